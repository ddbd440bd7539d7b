// Command gocompat applies Go's own encoding/base64, encoding/json and
// net/url the way the API server and the kubelet do, for regcred's parity
// tests (tests/it/go_parity.rs).
//
// Input: one JSON object per line, {"mode": M, "input": base64 of the bytes}.
// Output: one JSON object per line, in the same order.
//
// Modes:
//
//	std, raw      base64.StdEncoding / RawStdEncoding.DecodeString
//	auth          the kubelet's decodeDockerConfigFieldAuth
//	json          json.Unmarshal into map[string]interface{} (API server
//	              validation of .dockerconfigjson / .dockercfg), plus the
//	              token stream (json.Decoder, UseNumber) when the syntax is valid
//	kubelet-json  json.Unmarshal into the kubelet's DockerConfigJSON
//	kubelet-cfg   json.Unmarshal into the kubelet's DockerConfig
//	url           the kubelet's registry key parse: https:// prefix, url.Parse
//	fields        json.Unmarshal of {"KEY": "x"} into the credential fields of
//	              Docker's AuthConfig: which field KEY reaches (value), and
//	              the Go version (msg), since Go 1.21 changed the case folding
//
// The structs and functions below transcribe
// kubernetes/pkg/credentialprovider/config.go.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"runtime"
	"sort"
	"strings"
)

type DockerConfigJSON struct {
	Auths       DockerConfig      `json:"auths"`
	HTTPHeaders map[string]string `json:"HttpHeaders,omitempty"`
}

type DockerConfig map[string]DockerConfigEntry

type DockerConfigEntry struct {
	Username string
	Password string
	Email    string
}

type dockerConfigEntryWithAuth struct {
	Username string `json:"username,omitempty"`
	Password string `json:"password,omitempty"`
	Email    string `json:"email,omitempty"`
	Auth     string `json:"auth,omitempty"`
}

func (ident *DockerConfigEntry) UnmarshalJSON(data []byte) error {
	var tmp dockerConfigEntryWithAuth
	err := json.Unmarshal(data, &tmp)
	if err != nil {
		return err
	}
	ident.Username = tmp.Username
	ident.Password = tmp.Password
	ident.Email = tmp.Email
	if len(tmp.Auth) == 0 {
		return nil
	}
	ident.Username, ident.Password, err = decodeDockerConfigFieldAuth(tmp.Auth)
	return err
}

var errNoColon = errors.New("unable to parse auth field, must be formatted as base64(username:password)")

func decodeDockerConfigFieldAuth(field string) (username, password string, err error) {
	var decoded []byte
	if strings.HasSuffix(strings.TrimSpace(field), "=") {
		decoded, err = base64.StdEncoding.DecodeString(field)
	} else {
		decoded, err = base64.RawStdEncoding.DecodeString(field)
	}
	if err != nil {
		return
	}
	parts := strings.SplitN(string(decoded), ":", 2)
	if len(parts) != 2 {
		err = errNoColon
		return
	}
	username = parts[0]
	password = parts[1]
	return
}

// The fields of Docker's AuthConfig (api/types/registry) plus email.
type authFields struct {
	Username      string `json:"username,omitempty"`
	Password      string `json:"password,omitempty"`
	Auth          string `json:"auth,omitempty"`
	Email         string `json:"email,omitempty"`
	IdentityToken string `json:"identitytoken,omitempty"`
	RegistryToken string `json:"registrytoken,omitempty"`
}

func fieldSet(f authFields) string {
	for _, c := range []struct{ name, value string }{
		{"username", f.Username}, {"password", f.Password}, {"auth", f.Auth},
		{"email", f.Email}, {"identitytoken", f.IdentityToken}, {"registrytoken", f.RegistryToken},
	} {
		if c.value != "" {
			return c.name
		}
	}
	return ""
}

type request struct {
	Mode  string `json:"mode"`
	Input string `json:"input"`
}

type response struct {
	OK     bool       `json:"ok"`
	Err    string     `json:"err,omitempty"`    // syntax, type, base64, nocolon, url, other
	Offset int64      `json:"offset"`           // SyntaxError.Offset or CorruptInputError
	Msg    string     `json:"msg,omitempty"`    // SyntaxError text
	Value  string     `json:"value,omitempty"`  // UnmarshalTypeError.Value
	Out    string     `json:"out,omitempty"`    // decoded bytes, hex
	Creds  [][]string `json:"creds,omitempty"`  // [registry, user, password] hex, sorted
	Tokens []string   `json:"tokens,omitempty"` // json mode
}

func classify(err error, r *response) {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var b64 base64.CorruptInputError
	switch {
	case errors.As(err, &syn):
		r.Err, r.Offset, r.Msg = "syntax", syn.Offset, syn.Error()
	case errors.As(err, &typ):
		r.Err, r.Value = "type", typ.Value
	case errors.As(err, &b64):
		r.Err, r.Offset = "base64", int64(b64)
	case errors.Is(err, errNoColon):
		r.Err = "nocolon"
	default:
		r.Err, r.Msg = "other", err.Error()
	}
}

func creds(cfg DockerConfig) [][]string {
	out := [][]string{}
	for reg, e := range cfg {
		out = append(out, []string{hex.EncodeToString([]byte(reg)),
			hex.EncodeToString([]byte(e.Username)), hex.EncodeToString([]byte(e.Password))})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

func tokens(data []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	out := []string{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out
		}
		if err != nil {
			return append(out, "error:"+err.Error())
		}
		switch t := tok.(type) {
		case json.Delim:
			out = append(out, t.String())
		case string:
			out = append(out, "s:"+hex.EncodeToString([]byte(t)))
		case json.Number:
			out = append(out, "n:"+string(t))
		case bool:
			out = append(out, fmt.Sprintf("b:%v", t))
		case nil:
			out = append(out, "z")
		}
	}
}

func run(req request) response {
	var r response
	data, err := base64.StdEncoding.DecodeString(req.Input)
	if err != nil {
		return response{Err: "bad request"}
	}
	switch req.Mode {
	case "std", "raw":
		enc := base64.StdEncoding
		if req.Mode == "raw" {
			enc = base64.RawStdEncoding
		}
		out, err := enc.DecodeString(string(data))
		if err != nil {
			classify(err, &r)
		} else {
			r.OK, r.Out = true, hex.EncodeToString(out)
		}
	case "auth":
		u, p, err := decodeDockerConfigFieldAuth(string(data))
		if err != nil {
			classify(err, &r)
		} else {
			r.OK = true
			r.Creds = [][]string{{"", hex.EncodeToString([]byte(u)), hex.EncodeToString([]byte(p))}}
		}
	case "json":
		err := json.Unmarshal(data, &map[string]interface{}{})
		if err != nil {
			classify(err, &r)
		} else {
			r.OK = true
		}
		if r.Err != "syntax" {
			r.Tokens = tokens(data)
		}
	case "kubelet-json":
		var cfg DockerConfigJSON
		if err := json.Unmarshal(data, &cfg); err != nil {
			classify(err, &r)
		} else {
			r.OK, r.Creds = true, creds(cfg.Auths)
		}
	case "kubelet-cfg":
		var cfg DockerConfig
		if err := json.Unmarshal(data, &cfg); err != nil {
			classify(err, &r)
		} else {
			r.OK, r.Creds = true, creds(cfg)
		}
	case "fields":
		var f authFields
		if err := json.Unmarshal(data, &f); err != nil {
			classify(err, &r)
		} else {
			r.OK, r.Value, r.Msg = true, fieldSet(f), runtime.Version()
		}
	case "url":
		value := string(data)
		if !strings.HasPrefix(value, "https://") && !strings.HasPrefix(value, "http://") {
			value = "https://" + value
		}
		if _, err := url.Parse(value); err != nil {
			r.Err, r.Msg = "url", err.Error()
		} else {
			r.OK = true
		}
	default:
		r.Err = "unknown mode"
	}
	return r
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var req request
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, "bad request line:", err)
			os.Exit(2)
		}
		if err := enc.Encode(run(req)); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
	if err := in.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
