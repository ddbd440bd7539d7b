// Command keyring answers, with Go's own net/url and path/filepath, the
// questions regcred's image module claims to answer exactly as the kubelet:
// which auths keys a kubelet keyring tries for an image (pkg/credentialprovider
// keyring.go, modelled from the facts in ../../../../shared/KUBERNETES.md §2),
// whether url.Parse accepts a string, and what filepath.Match says.
//
// Input: JSON lines on stdin, one case each:
//
//	{"op":"keyring","keys":["reg.io","https://index.docker.io/v1/"],"image":"docker.io/library/nginx"}
//	{"op":"url","input":"https://reg.io:abc"}
//	{"op":"match","pattern":"*.gcr.io","name":"eu.gcr.io"}
//
// Output: one JSON line per case, in order:
//
//	{"tried":[1],"fallback":true}
//	{"ok":false,"err":"invalid port \":abc\" after host"}
//	{"ok":true,"host":"<hex>","path":"<hex>"}
//	{"matched":true,"bad":false}
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
