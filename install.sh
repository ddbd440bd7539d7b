#!/bin/sh
# Installs a released regcred (regcred and regcred-fn) without compiling:
# downloads the archive for this machine from a release, checks it against
# the release's SHA256SUMS, and copies the two binaries into a folder.
#
#   REGCRED_VERSION=v0.1.0 \
#   REGCRED_BASE_URL=https://HOST/OWNER/REPO/releases/download \
#   sh install.sh
#
# REGCRED_VERSION   the release tag (required)
# REGCRED_BASE_URL  where releases are: files are read from BASE/TAG/NAME (required)
# REGCRED_INSTALL_DIR  the folder to install into (default: $HOME/.local/bin)
# REGCRED_TARGET    the archive's target triple (default: this machine's)
#
# The action (action.yml) and the CI examples in docs/ci.md use it. Needs
# curl or wget, tar (unzip on Windows), and sha256sum or shasum.
set -eu

die() {
  echo "install.sh: $*" >&2
  exit 1
}

version=${REGCRED_VERSION:-}
base=${REGCRED_BASE_URL:-}
[ -n "$version" ] || die "set REGCRED_VERSION to a release tag, such as v0.1.0"
[ -n "$base" ] || die "set REGCRED_BASE_URL to where the releases are (files are read from \$REGCRED_BASE_URL/$version/)"
dir=${REGCRED_INSTALL_DIR:-${HOME:-.}/.local/bin}

target=${REGCRED_TARGET:-}
if [ -z "$target" ]; then
  case "$(uname -s)" in
    Linux) os=unknown-linux-musl ;;
    Darwin) os=apple-darwin ;;
    MINGW* | MSYS* | CYGWIN* | Windows_NT) os=pc-windows-msvc ;;
    *) die "no release archive for $(uname -s): build from source (cargo install --locked)" ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
    *) die "no release archive for $(uname -m): build from source (cargo install --locked)" ;;
  esac
  target=$arch-$os
fi
case "$target" in
  *windows*) archive=regcred-$version-$target.zip exe=.exe ;;
  *) archive=regcred-$version-$target.tar.gz exe= ;;
esac

fetch() { # URL FILE
  if command -v curl >/dev/null 2>&1; then
    curl --proto '=https,file' -fsSL -o "$2" "$1" || die "cannot download $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1" || die "cannot download $1"
  else
    die "needs curl or wget"
  fi
}

sha256() { # FILE
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d' ' -f1
  else
    die "needs sha256sum or shasum to check the download"
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fetch "$base/$version/SHA256SUMS" "$tmp/SHA256SUMS"
fetch "$base/$version/$archive" "$tmp/$archive"
expected=$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1 }' "$tmp/SHA256SUMS")
[ -n "$expected" ] || die "SHA256SUMS of $version lists no $archive"
actual=$(sha256 "$tmp/$archive")
[ "$actual" = "$expected" ] || die "$archive does not match SHA256SUMS (expected $expected, got $actual): not installed"

mkdir -p "$tmp/x"
case "$archive" in
  *.zip) (cd "$tmp/x" && unzip -q "../$archive") ;;
  *) tar -xzf "$tmp/$archive" -C "$tmp/x" ;;
esac
mkdir -p "$dir"
for bin in regcred regcred-fn; do
  found=$(find "$tmp/x" -type f -name "$bin$exe" | head -n 1)
  [ -n "$found" ] || die "$archive has no $bin$exe"
  cp "$found" "$dir/$bin$exe.tmp"
  chmod 755 "$dir/$bin$exe.tmp"
  mv -f "$dir/$bin$exe.tmp" "$dir/$bin$exe"
done
echo "installed regcred $version ($target) in $dir"
