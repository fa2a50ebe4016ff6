#!/usr/bin/env bash
# check.sh — wazero compatibility: wazero's own example programs, fetched
# from the Go module proxy at test time (never committed here), are built
# twice — once against wazero, once against weft with only their imports
# rewritten — and each pair must print the same thing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
WAZERO_VERSION="${WAZERO_VERSION:-v1.12.0}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export GOFLAGS=-modcacherw

# example directory, then the program's arguments
EXAMPLES=(
  "basic|1 2"
  "import-go|2000"
  "multiple-results|"
  "concurrent-instantiation|"
  "multiple-runtimes|"
  "allocation/rust|wazero"
  "allocation/tinygo|wazero"
  "allocation/zig|wazero"
)

src="$(cd "$tmp" && go mod download -json "github.com/tetratelabs/wazero@$WAZERO_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [ -z "$src" ] || [ ! -d "$src/examples" ]; then
  echo "FAIL wazero-compat: cannot fetch wazero $WAZERO_VERSION from the module proxy"
  exit 1
fi

# make_module DIR REQUIRE [REPLACE]: a scratch module holding the examples.
make_module() {
  local dir="$1"
  mkdir -p "$dir"
  printf 'module compat\n\ngo 1.24\n\nrequire %s\n%s\n' "$2" "${3:-}" > "$dir/go.mod"
  for e in "${EXAMPLES[@]}"; do
    local ex="${e%%|*}"
    mkdir -p "$dir/$ex"
    cp -r "$src/examples/$ex/." "$dir/$ex/"
    chmod -R u+w "$dir/$ex"
    rm -f "$dir/$ex"/*_test.go
  done
}

make_module "$tmp/wazero" "github.com/tetratelabs/wazero $WAZERO_VERSION"
make_module "$tmp/weft" "github.com/weftwasm/weft v0.0.0" "replace github.com/weftwasm/weft => $root"
find "$tmp/weft" -name '*.go' -exec sed -i \
  -e 's#"github.com/tetratelabs/wazero"#wazero "github.com/weftwasm/weft/go"#' \
  -e 's#"github.com/tetratelabs/wazero/api"#"github.com/weftwasm/weft/go/api"#' \
  -e 's#"github.com/tetratelabs/wazero/sys"#"github.com/weftwasm/weft/go/sys"#' \
  -e 's#"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"#wasi_snapshot_preview1 "github.com/weftwasm/weft/go/imports/wasip1"#' {} +
(cd "$tmp/wazero" && go mod tidy >/dev/null 2>&1)
(cd "$tmp/weft" && go mod tidy >/dev/null 2>&1) || true

failed=0
for e in "${EXAMPLES[@]}"; do
  ex="${e%%|*}" args="${e#*|}"
  # shellcheck disable=SC2086
  want="$(cd "$tmp/wazero/$ex" && go run . $args 2>&1 | sort)"
  # shellcheck disable=SC2086
  got="$(cd "$tmp/weft/$ex" && go run . $args 2>&1 | sort)" || true
  if [ "$got" = "$want" ] && [ -n "$want" ]; then
    echo "same: $ex"
  else
    echo "DIFFERENT: $ex"
    diff <(echo "$want") <(echo "$got") | head -n 10
    failed=$((failed + 1))
  fi
done
n=${#EXAMPLES[@]}
if [ "$failed" -ne 0 ]; then
  echo "FAIL wazero-compat: $failed of $n wazero examples behave differently on weft"
  exit 1
fi
echo "ok wazero-compat: $n of $n wazero $WAZERO_VERSION examples print the same on weft, imports rewritten only"
