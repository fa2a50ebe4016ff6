#!/usr/bin/env bash
# cli-bench.sh — times whole command-line runs of the compute guests:
#   weft        build/weft run --invoke run GUEST.run.wasm
#   wasm-interp wabt's interpreter (Debian package wabt): --run-all-exports
#   wasm3       wasm3 through Python: pywasm3 in bench/.venv (skipped, with
#               a note, when it does not install)
#   native      the guest's own source built for this machine (gcc -O2, or
#               the host Go), as guests/build.sh builds it for the checksums:
#               not a peer, the yardstick of how far each interpreter is
#               from native code
# with hyperfine, in one session so the peers share the machine's state.
# Every timed run is checked: each command is wrapped in tools/expect.sh,
# which fails unless the printed result is the guest's checksum from
# guests/checksums.txt. A `startup` row (wat/startup.wat, returns 0 at once)
# gives each tool's fixed cost: process start, load, compile, instantiate.
# The Go guests need WASI, which only weft has here (Debian's wasm-interp is
# built without it, pywasm3 has none): they are timed under weft alone, as
# `weft run go-NAME.wasm` (_start prints the checksum), when weft runs them.
#
# usage: bench/cli-bench.sh [-r RUNS] [-o DIR] [GUEST...]
#   -r RUNS  timed runs per command (default 5; the report takes medians)
#   -o DIR   where hyperfine's JSON goes (default bench/results/cli)
#   GUEST    names from guests/checksums.txt (default: all but large-go)
# Environment: WEFT=path to the weft binary (default build/weft, built by
# scripts/build.sh when missing; a snapshot copy is timed, so a rebuild
# during the run does not change the binary under test); WEFT_BENCH_VENV=
# where pywasm3's venv lives (default bench/.venv).
# Then: bench/report.py writes bench/RESULTS.md.
set -euo pipefail

bench="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench")"
runs=5
out="$bench/results/cli"
while getopts "r:o:h" opt; do
  case "$opt" in
    r) runs="$OPTARG" ;;
    o) out="$OPTARG" ;;
    *) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
shift $((OPTIND - 1))

need() { command -v "$1" >/dev/null || { echo "cli-bench: $1 not found ($2)" >&2; exit 1; }; }
need hyperfine "scripts/setup.sh installs it"
need wasm-interp "Debian package wabt, installed by scripts/setup.sh"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# --- weft: a snapshot of the binary ---
weft_src="${WEFT:-$root/build/weft}"
if [ ! -x "$weft_src" ]; then
  echo "cli-bench: building weft (scripts/build.sh)" >&2
  "$root/scripts/build.sh"
fi
cp "$weft_src" "$tmp/weft"
weft="$tmp/weft"

# --- wasm3 through pywasm3, in a venv of its own ---
venv="${WEFT_BENCH_VENV:-$bench/.venv}"
py=""
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import wasm3" 2>/dev/null; then
  echo "cli-bench: installing pywasm3 into $venv" >&2
  if python3 -m venv "$venv" >/dev/null 2>&1 && "$venv/bin/pip" install -q pywasm3 >"$tmp/pip.log" 2>&1; then
    :
  else
    echo "cli-bench: pywasm3 did not install; wasm3 is left out (see $out/pip.log)" >&2
    mkdir -p "$out"
    cp "$tmp/pip.log" "$out/pip.log" 2>/dev/null || true
  fi
fi
if "$venv/bin/python" -c "import wasm3" 2>/dev/null; then
  py="$venv/bin/python"
fi

# --- guests ---
sums="$bench/guests/checksums.txt"
if [ $# -eq 0 ]; then
  set -- startup $(awk '!/^#/ && $1 != "large-go" {print $1}' "$sums")
fi

# --- native builds of the guests: $tmp/native/NAME ---
# shellcheck source=guests/guests.sh
. "$bench/guests/guests.sh"
mkdir -p "$tmp/native"
for spec in "${C_GUESTS[@]}"; do
  IFS=: read -r name src _ <<<"$spec"
  native_c "$src" "$tmp/native/$name"
done
if command -v go >/dev/null; then
  for name in "${GO_GUESTS[@]}"; do
    native_go "$name" "$tmp/native/go-$name"
  done
fi

mkdir -p "$out"
rm -f "$out"/*.json

# --- the machine and the tools, for the report ---
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "cores: $(nproc)"
  echo "kernel: $(uname -sr)"
  echo "load-before: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "weft: $("$weft" version 2>/dev/null | head -1) ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- core cli 2>/dev/null || echo ', with uncommitted core/cli changes'))"
  echo "wasm-interp: wabt $(wasm-interp --version)"
  if [ -n "$py" ]; then
    echo "wasm3: pywasm3 $("$py" -c 'import importlib.metadata as m; print(m.version("pywasm3"))') on $("$py" --version 2>&1)"
  else
    echo "wasm3: not installed (pywasm3 failed to install)"
  fi
  echo "native: $(gcc --version | head -1); $(go version 2>/dev/null || echo 'no go')"
  echo "hyperfine: $(hyperfine --version | awk '{print $2}')"
  echo "runs: $runs"
  [ -z "${WEFT_BENCH_RUN:-}" ] || echo "run: $WEFT_BENCH_RUN"
} >"$out/machine.txt"

for g in "$@"; do
  if [ "$g" = startup ]; then
    file="$bench/guests/wasm/startup.wasm"
    want=0
  else
    file="$bench/guests/wasm/$g.run.wasm"
    want="$(awk -v g="$g" '$1 == g {print $2}' "$sums")"
  fi
  case "$g" in go-*) file="$bench/guests/wasm/$g.wasm" ;; esac
  [ -f "$file" ] && [ -n "$want" ] || { echo "cli-bench: unknown guest $g" >&2; exit 1; }
  expect="$bench/tools/expect.sh"
  case "$g" in
    go-*)
      if ! "$expect" "$want" "$weft" run "$file" 2>/dev/null; then
        echo "== $g: skipped, weft does not run it (no WASI?)" >&2
        continue
      fi
      cmds=(-n weft "$expect $want $weft run $file")
      ;;
    *)
      cmds=(
        -n weft "$expect $want $weft run --invoke run $file"
        -n wasm-interp "$expect $want wasm-interp --run-all-exports $file"
      )
      if [ -n "$py" ]; then
        cmds+=(-n wasm3 "$expect $want $py $bench/tools/wasm3_run.py $file")
      fi
      ;;
  esac
  if [ -x "$tmp/native/$g" ]; then
    cmds+=(-n native "$expect $want $tmp/native/$g")
  fi
  echo "== $g (want $want)" >&2
  if ! hyperfine -N --style basic --runs "$runs" --export-json "$out/$g.json" "${cmds[@]}" >&2; then
    echo "cli-bench: $g failed; a run's output did not match. Rerun by hand:" >&2
    echo "  ${cmds[1]}" >&2
    exit 1
  fi
done

echo "load-after: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/machine.txt"
echo "cli-bench: results in $out; now run bench/report.py" >&2
