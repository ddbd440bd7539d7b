#!/usr/bin/env bash
# Rebuilds the seed corpus (fuzz/corpus/<target>/seed-*) from fixtures/ and a
# few hand-written inputs. Run from anywhere; idempotent. Inputs libFuzzer
# adds while fuzzing are not committed (see fuzz/.gitignore); crashes are kept
# as fuzz/corpus/<target>/regression-* by hand, with their fix and test.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
corpus=$here/corpus
for t in lint_yaml docker_config base64 image_ref yaml_quote fix; do
    mkdir -p "$corpus/$t"
    rm -f "$corpus/$t"/seed-*
done

# A stable, short name per seed: the content's hash.
put() { # target, file with the seed's bytes
    sum=$(sha256sum "$2" | cut -c1-16)
    cp "$2" "$corpus/$1/seed-$sum"
}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
text() { # target, text (printf format)
    printf "$2" > "$tmp"
    put "$1" "$tmp"
}

# (a) every fixture manifest, (b) every JSON fixture and the decoded
# .dockerconfigjson values of the manifests.
find "$root/fixtures" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -size -32k |
    sort | while read -r f; do
        put lint_yaml "$f"
        case "$f" in */fixtures/fix/*|*/missing-image-pull-secrets/*|*/pull-secret-wrong-type/*|*/pull-secret-missing-key/*) put fix "$f" ;; esac
        case "$f" in *.json) put docker_config "$f" ;; esac
        grep -E '^\s+\.docker(configjson|cfg): [A-Za-z0-9+/=]+\s*$' "$f" |
            sed -E 's/^.*: //' | while read -r v; do
                printf '%s' "$v" > "$tmp"
                put base64 "$tmp"
                if printf '%s' "$v" | base64 -d > "$tmp" 2>/dev/null; then
                    put docker_config "$tmp"
                fi
            done
        grep -hE '^\s+-?\s*image: ' "$f" | sed -E 's/^.*image: *//; s/^"//; s/"$//' |
            while read -r v; do text image_ref "$v\nhttps://index.docker.io/v1/\nreg.example.com"; done
    done

# (c) base64 edge cases: padding, line breaks, trailing bits, wrong alphabet.
for v in '' 'YQ==' 'YQ' 'YWI=' 'YWJj' 'YQ=\n=' 'Y\r\nQ==' 'YR==' 'YQ==YQ==' 'a-_b' '====' 'YWJ jZA=='; do
    text base64 "$v"
done
# (d) images and keys.
for v in 'nginx\nhttps://index.docker.io/v1/' 'reg.io:5000/team/app:1.2@sha256:0123456789012345678901234567890123456789012345678901234567890123\nreg.io:5000\n*.io:5000/team' \
         'localhost/app\nhttp://localhost\n[::1]:5000' 'a_b.io/x\n%%41.io\nreg.io/v2/' 'REG.IO/App\n*.*.io\n[a-' '{{ .Values.image }}\nx'; do
    text image_ref "$v"
done
# (e) strings go-yaml quotes: key NUL value.
for v in 'k\0yes' 'k\0123' 'k\0a: b' 'k\0 lead' 'k\0a\nb' 'k\0\xc2\x85x' 'key with: colon\0v' 'k\0#x' 'k\0-' 'k\0~' 'k\0it'"'"'s' 'k\0a\tb' 'k\0\xef\xbb\xbfx' 'a\nb\0c' 'k\02001-12-14' 'k\00o17' 'k\0\xe2\x80\xa8'; do
    text yaml_quote "$v"
done
# (f) masking (issue 11): values after a syntax error, keys Go reads as
# credential fields only after unescaping or case folding.
text lint_yaml '{"kind":"Secret","data":{"pw":"Q0FOQVJZ"},"stringData":{"p":"CANARY"} "x"}\n'
text lint_yaml 'kind: Secret\nstringData:\n  password: CANARY: x\n'
text lint_yaml 'kind: Secret\nstringData:\n  pa\xc5\xbf\xc5\xbfword: CANARY\n  "p\\u0061ssword": [CANARY, {a: b}\n'
text docker_config '{"auths":{"r:x":{"\\u0061uth":"dTpDQU5BUlk=","pa\xc5\xbf\xc5\xbfword":"CANARY","\xc4\xb1dentitytoken":"C","registryto\xe2\x84\xaaen":"C"}}}'
text docker_config '{"auths":{"r":{"email":"e","password":"CAN"ARY" "x"}}}'
# (g) encodings, line ends and control characters (issue 11): UTF-16 LE/BE
# with a byte order mark (decoded), UTF-32 (refused), a mark then an odd
# byte or a lone surrogate, CR-only and mixed CR/LF lines, escapes in
# names and comments. Octal escapes: POSIX printf has no \x.
text lint_yaml '\377\376k\0i\0n\0d\0:\0 \0S\0e\0c\0r\0e\0t\0\n\0d\0a\0t\0a\0:\0 \0{\0a\0:\0 \0!\0}\0\n\0'
text lint_yaml '\376\377\0k\0i\0n\0d\0:\0 \0S\0e\0c\0r\0e\0t\0\r\0d\0a\0t\0a\0:\0 \0{\0a\0:\0 \0!\0}'
text lint_yaml '\377\376\0\0k\0\0\0i\0\0\0n\0\0\0d\0\0\0'
text lint_yaml '\0\0\376\377\0\0\0k'
text lint_yaml '\377\376a\0\0\330b\0'
text lint_yaml '\377\376k'
text lint_yaml 'apiVersion: v1\rkind: Secret\rmetadata:\r  name: s\rdata:\r  a: not-base64!\r---\rkind: Secret\rdata: {b: "!"}\r'
text lint_yaml 'apiVersion: v1\r\nkind: Secret\rmetadata:\n  name: s\r\ndata:\r  a: "x\r  y"\n'
text lint_yaml 'kind: Secret\ndata:\n  a: not-base64! # \033[2J\302\23331m\n  "b\033": x\n'
for t in lint_yaml docker_config base64 image_ref yaml_quote fix; do
    printf '%s: %s seeds\n' "$t" "$(ls "$corpus/$t" | grep -c '^seed-')"
done
