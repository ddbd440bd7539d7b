// Command secretvalues decodes Secret data and stringData the way the API
// server does (encoding/json into map[string][]byte and map[string]string),
// for regcred's secret-data-not-string tests (tests/it/secret_values_go.rs).
//
// Input: one JSON object per line, {"data": {...}} or {"stringData": {...}}.
// Output: one line per input: "ok" or "error".
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

type secret struct {
	Data       map[string][]byte `json:"data,omitempty"`
	StringData map[string]string `json:"stringData,omitempty"`
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	for in.Scan() {
		var s secret
		if err := json.Unmarshal(in.Bytes(), &s); err != nil {
			fmt.Println("error")
		} else {
			fmt.Println("ok")
		}
	}
}
