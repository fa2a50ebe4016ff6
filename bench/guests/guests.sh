# guests.sh — the benchmark guests built from source and their native
# builds, sourced by guests/build.sh (which builds them to Wasm, and
# natively for the expected checksums) and cli-bench.sh (which times the
# native builds: the "how far from native" table).
#
# C_GUESTS: name:source:extra clang flags (for the Wasm build only). memops
# and bulkmem share a source: bulkmem lets clang lower memcpy/memset to
# memory.copy/memory.fill; natively the two are the same program.
# GO_GUESTS: packages under guests/go, named go-NAME in checksums.txt.
# shellcheck disable=SC2034 # used by the scripts that source this
C_GUESTS=(
  fib:fib.c:
  sieve:sieve.c:
  crc32:crc32.c:
  sha256:sha256.c:
  nbody:nbody.c:
  matmul:matmul.c:
  spectral:spectral.c:
  memops:memops.c:
  bulkmem:memops.c:-mbulk-memory
  qsort:qsort.c:
  hashtable:hashtable.c:
  json:json.c:
  interp:interp.c:
)
GO_GUESTS=(sortmap strs)

# The flags of every C build, Wasm or native (the native build computes the
# expected checksums, so the two must compile the same program).
GUEST_CFLAGS=(-O2 -Wall -Wextra -Werror)

guests_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# native_c SOURCE OUT: the C guest c/SOURCE built for this machine.
native_c() {
  gcc "${GUEST_CFLAGS[@]}" -I"$guests_dir/c" "$guests_dir/c/$1" -o "$2" -lm
}

# native_go PACKAGE OUT: the Go guest go/PACKAGE built for this machine.
native_go() {
  (cd "$guests_dir/go" && go build -trimpath -o "$2" "./$1")
}
