#!/usr/bin/env bash
# go-test.sh — gofmt, go vet and go test -race over the root module (the Go package,
# its sub-packages and the examples), ending with one summary line.
#
# vet's stdmethods check is off: wazero's api.Memory, which ours mirrors
# for source compatibility, has ReadByte(offset) and WriteByte(offset, v),
# not io.ByteReader's signatures.
set -uo pipefail
cd "$(dirname "$0")/.."
unformatted="$(gofmt -l go examples tests bench 2>/dev/null)"
if [ -n "$unformatted" ]; then
  echo "go test: gofmt -l lists files to format:"; echo "$unformatted"; exit 1
fi
go vet -stdmethods=false ./... || { echo "go test: go vet failed"; exit 1; }
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
go test -race -count=1 ./... 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
# The Go package again with every call through cgo (no fast calls, see
# go/fastcall.go), the build other architectures get.
go vet -stdmethods=false -tags weft_nofastcall ./go/ || { echo "go test: go vet (weft_nofastcall) failed"; exit 1; }
go test -count=1 -tags weft_nofastcall ./go/ 2>&1 | sed 's/^ok  /ok   (weft_nofastcall) /' | tee -a "$out"
[ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
ok=$(grep -c '^ok ' "$out")
failed=$(grep -cE '^FAIL[[:space:]]' "$out")  # package lines, not the bare FAIL lines
echo "go test: $ok packages passed, $failed failed (go vet clean)"
exit "$rc"
