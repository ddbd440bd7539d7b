// Command keyring answers, with Go's own net/url and path/filepath, the
// questions regcred's image module claims to answer exactly as the kubelet:
// which auths keys a kubelet keyring tries for an image (pkg/credentialprovider
// keyring.go, modelled from the facts in ../../../docs/kubernetes.md §2),
// whether url.Parse accepts a string, and what filepath.Match says.
//
// Input: JSON lines on stdin, one case each:
//
//	{"op":"keyring","keys":["reg.io","https://index.docker.io/v1/"],"image":"docker.io/library/nginx"}
//	{"op":"url","input":"https://reg.io:abc"}
//	{"op":"match","pattern":"*.gcr.io","name":"eu.gcr.io"}
//	{"op":"reference","input":"nginx:1.27"}
//
// Output: one JSON line per case, in order:
//
//	{"tried":[1],"fallback":true}
//	{"ok":false,"err":"invalid port \":abc\" after host"}
//	{"ok":true,"host":"<hex>","path":"<hex>"}
//	{"matched":true,"bad":false}
//	{"ok":true,"name":"docker.io/library/nginx","tag":"1.27","digest":""}
//
// The reference op is distribution/reference's ParseNormalizedNamed rebuilt
// from its documented regular expressions and go-digest's validation (the
// module itself is not in the standard library).
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

type request struct {
	Op      string   `json:"op"`
	Keys    []string `json:"keys"`
	Image   string   `json:"image"`
	Input   string   `json:"input"`
	Pattern string   `json:"pattern"`
	Name    string   `json:"name"`
}

// keyring mirrors the kubelet's BasicDockerKeyring: an index of keys and,
// per index key, the positions of the auths keys that produced it (in the
// order they were added, like the kubelet's credential slices).
type keyring struct {
	index []string
	creds map[string][]int
}

func (k *keyring) add(position int, loc string) {
	value := loc
	if !strings.HasPrefix(value, "https://") && !strings.HasPrefix(value, "http://") {
		value = "https://" + value
	}
	parsed, err := url.Parse(value)
	if err != nil {
		return // the kubelet logs and skips the key
	}
	effectivePath := parsed.Path
	if strings.HasPrefix(effectivePath, "/v2/") || strings.HasPrefix(effectivePath, "/v1/") {
		effectivePath = effectivePath[3:]
	}
	var key string
	if len(effectivePath) > 0 && effectivePath != "/" {
		key = parsed.Host + effectivePath
	} else {
		key = parsed.Host
	}
	k.creds[key] = append(k.creds[key], position)
	k.index = append(k.index, key)

	seen := map[string]bool{}
	unique := []string{}
	for _, s := range k.index {
		if !seen[s] {
			seen[s] = true
			unique = append(unique, s)
		}
	}
	k.index = unique
	sort.Sort(sort.Reverse(sort.StringSlice(k.index)))
}

func parseSchemelessURL(s string) (*url.URL, error) {
	parsed, err := url.Parse("https://" + s)
	if err != nil {
		return nil, err
	}
	parsed.Scheme = ""
	return parsed, nil
}

func splitURL(u *url.URL) ([]string, string) {
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, port = u.Host, ""
	}
	return strings.Split(host, "."), port
}

func urlsMatch(glob, target *url.URL) (bool, error) {
	globParts, globPort := splitURL(glob)
	targetParts, targetPort := splitURL(target)
	if globPort != targetPort {
		return false, nil
	}
	if len(globParts) != len(targetParts) {
		return false, nil
	}
	if !strings.HasPrefix(target.Path, glob.Path) {
		return false, nil
	}
	for i, part := range globParts {
		matched, err := filepath.Match(part, targetParts[i])
		if err != nil {
			return false, err
		}
		if !matched {
			return false, nil
		}
	}
	return true, nil
}

func urlsMatchStr(glob, target string) (bool, error) {
	g, err := parseSchemelessURL(glob)
	if err != nil {
		return false, err
	}
	t, err := parseSchemelessURL(target)
	if err != nil {
		return false, err
	}
	return urlsMatch(g, t)
}

func isDefaultRegistryMatch(image string) bool {
	parts := strings.SplitN(image, "/", 2)
	if len(parts[0]) == 0 {
		return false
	}
	if len(parts) == 1 {
		return true
	}
	if parts[0] == "docker.io" || parts[0] == "index.docker.io" {
		return true
	}
	return !strings.ContainsAny(parts[0], ".:")
}

func (k *keyring) lookup(image string) ([]int, bool) {
	tried := []int{}
	for _, key := range k.index {
		if matched, _ := urlsMatchStr(key, image); matched {
			tried = append(tried, k.creds[key]...)
		}
	}
	if len(tried) > 0 {
		return tried, false
	}
	if isDefaultRegistryMatch(image) {
		if positions, ok := k.creds["index.docker.io"]; ok {
			return positions, true
		}
	}
	return tried, false
}

// The grammar of github.com/distribution/reference (regexp.go).
const (
	alphanumeric        = `[a-z0-9]+`
	separator           = `(?:[._]|__|[-]+)`
	domainNameComponent = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`
	ipv6address         = `\[(?:[a-fA-F0-9:]+)\]`
	optionalPort        = `(?::[0-9]+)?`
	tagPat              = `[\w][\w.-]{0,127}`
	digestPat           = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][[:xdigit:]]{32,}`
	domainName          = domainNameComponent + `(?:\.` + domainNameComponent + `)*`
	domainAndPort       = `(?:` + domainName + `|` + ipv6address + `)` + optionalPort
	pathComponent       = alphanumeric + `(?:` + separator + alphanumeric + `)*`
	remoteName          = pathComponent + `(?:/` + pathComponent + `)*`
	namePat             = `(?:` + domainAndPort + `/)?` + remoteName
)

var (
	referenceRegexp  = regexp.MustCompile(`^(` + namePat + `)(?::(` + tagPat + `))?(?:@(` + digestPat + `))?$`)
	nameRegexp       = regexp.MustCompile(`^(?:(` + domainAndPort + `)/)?(` + remoteName + `)$`)
	identifierRegexp = regexp.MustCompile(`^[a-f0-9]{64}$`)
	digestHexLengths = map[string]int{"sha256": 64, "sha384": 96, "sha512": 128}
	lowerHex         = regexp.MustCompile(`^[a-f0-9]+$`)
)

func splitDockerDomain(name string) (string, string) {
	var domain, remainder string
	i := strings.IndexRune(name, '/')
	if i == -1 || (!strings.ContainsAny(name[:i], ".:") && name[:i] != "localhost" && strings.ToLower(name[:i]) == name[:i]) {
		domain, remainder = "docker.io", name
	} else {
		domain, remainder = name[:i], name[i+1:]
	}
	if domain == "index.docker.io" {
		domain = "docker.io"
	}
	if domain == "docker.io" && !strings.ContainsRune(remainder, '/') {
		remainder = "library/" + remainder
	}
	return domain, remainder
}

// parseNormalizedNamed returns the normalized name, tag and digest.
func parseNormalizedNamed(s string) (string, string, string, error) {
	if identifierRegexp.MatchString(s) {
		return "", "", "", errors.New("64-byte hexadecimal string")
	}
	domain, remainder := splitDockerDomain(s)
	remote := remainder
	if tagSep := strings.IndexRune(remainder, ':'); tagSep > -1 {
		remote = remainder[:tagSep]
	}
	if strings.ToLower(remote) != remote {
		return "", "", "", errors.New("repository name must be lowercase")
	}
	matches := referenceRegexp.FindStringSubmatch(domain + "/" + remainder)
	if matches == nil {
		return "", "", "", errors.New("invalid reference format")
	}
	if len(matches[1]) > 255 {
		return "", "", "", errors.New("repository name must not be more than 255 characters")
	}
	name := matches[1]
	if m := nameRegexp.FindStringSubmatch(name); m == nil {
		return "", "", "", errors.New("name does not match")
	}
	if d := matches[3]; d != "" {
		i := strings.Index(d, ":")
		algorithm, encoded := d[:i], d[i+1:]
		size, ok := digestHexLengths[algorithm]
		if !ok {
			return "", "", "", errors.New("unsupported digest algorithm")
		}
		if len(encoded) != size {
			return "", "", "", errors.New("invalid checksum digest length")
		}
		if !lowerHex.MatchString(encoded) {
			return "", "", "", errors.New("invalid checksum digest format")
		}
	}
	return name, matches[2], matches[3], nil
}

func answer(req request) (interface{}, error) {
	switch req.Op {
	case "keyring":
		k := &keyring{creds: map[string][]int{}}
		for i, key := range req.Keys {
			k.add(i, key)
		}
		tried, fallback := k.lookup(req.Image)
		return map[string]interface{}{"tried": tried, "fallback": fallback}, nil
	case "url":
		u, err := url.Parse(req.Input)
		if err != nil {
			var urlErr *url.Error
			if errors.As(err, &urlErr) {
				err = urlErr.Err
			}
			return map[string]interface{}{"ok": false, "err": err.Error()}, nil
		}
		return map[string]interface{}{
			"ok":   true,
			"host": hex.EncodeToString([]byte(u.Host)),
			"path": hex.EncodeToString([]byte(u.Path)),
		}, nil
	case "reference":
		name, tag, digest, err := parseNormalizedNamed(req.Input)
		if err != nil {
			return map[string]interface{}{"ok": false, "err": err.Error()}, nil
		}
		return map[string]interface{}{"ok": true, "name": name, "tag": tag, "digest": digest}, nil
	case "match":
		matched, err := filepath.Match(req.Pattern, req.Name)
		return map[string]interface{}{"matched": matched, "bad": err != nil}, nil
	}
	return nil, fmt.Errorf("unknown op %q", req.Op)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, "bad request:", err)
			os.Exit(2)
		}
		resp, err := answer(req)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if err := enc.Encode(resp); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		// Answer each line at once: the caller may wait for it.
		if err := out.Flush(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
