#!/usr/bin/env bash
# check.sh — what a user of the Go package meets: in a scratch module that
# requires github.com/weftwasm/weft (through a replace directive to this
# checkout), the program main.go.txt must
#   1. build and run with plain `go build` (cgo compiles the C engine; no
#      CMake step),
#   2. build and run again after `go mod vendor`, from the vendor tree only,
#   3. fail to build with CGO_ENABLED=0, saying that weft needs cgo.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export GOFLAGS=-modcacherw

cd "$tmp"
cat > go.mod <<MOD
module example.com/user

go 1.24

require github.com/weftwasm/weft v0.0.0

replace github.com/weftwasm/weft => $root
MOD
cp "$here/main.go.txt" main.go
go mod tidy >/dev/null 2>&1 || true
want="run(21) = 42"

go build -o user .
[ "$(./user)" = "$want" ] || { echo "FAIL go-packaging: go build: got $(./user)"; exit 1; }

go mod vendor
# The replace target must not be needed any more: hide it from the build.
sed -i "s#=> $root#=> ./nowhere#" go.mod
sed -i "s#=> $root#=> ./nowhere#" vendor/modules.txt
go build -mod=vendor -o user-vendored .
[ "$(./user-vendored)" = "$want" ] || { echo "FAIL go-packaging: vendored build"; exit 1; }

if out="$(CGO_ENABLED=0 go build -mod=vendor -o user-nocgo . 2>&1)"; then
  echo "FAIL go-packaging: CGO_ENABLED=0 build succeeded"; exit 1
fi
# The reason must be the first error, not buried under undefined names.
if ! head -n 2 <<<"$out" | grep -q "weft needs cgo"; then
  echo "FAIL go-packaging: CGO_ENABLED=0 error does not start with why:"; echo "$out" | head -n 5; exit 1
fi
echo "ok go-packaging: go build, go mod vendor, and CGO_ENABLED=0 failing first with \"weft needs cgo\""
