#!/usr/bin/env bash
# run.sh [WEFT...] — runs the WASI test guests under `weft run` and checks
# their results: wasi_suite.wasm (every preview1 function, results and errno,
# in groups), the sandbox escapes (and a rename race), exit codes, traps,
# -timeout, -hostlogging, and the Go wasip1 guest. Each weft binary is run
# with both path resolvers: openat2 (the default where the kernel has it)
# and the portable walk (WEFT_WASI_RESOLVE=walk).
#
# Default binaries: build/weft, and build-asan/weft too unless
# WEFT_TEST_QUICK=1. Prints "wasi: ..." as its summary; exits non-zero if
# anything failed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
suite="$here/wasi_suite.wasm"
goguest="$here/goguest/goguest.wasm"

bins=("$@")
if [ ${#bins[@]} -eq 0 ]; then
  bins=("$root/build/weft")
  if [ "${WEFT_TEST_QUICK:-0}" != 1 ] && [ -x "$root/build-asan/weft" ]; then
    bins+=("$root/build-asan/weft")
  fi
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
checks_passed=0 checks_failed=0 runs_ok=0 runs_failed=0
coverage="$tmp/coverage.log"
: > "$coverage"

pass() { runs_ok=$((runs_ok + 1)); }
fail() { runs_failed=$((runs_failed + 1)); echo "FAIL [$label] $*"; }

# Adds the "wasi-suite G: N passed, M failed" line of a run to the totals.
count_checks() {
  local line
  line="$(grep -E '^wasi-suite [a-z]+: [0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)"
  if [ -z "$line" ]; then
    echo "  (no summary line)"
    return 1
  fi
  local p f
  p="$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')"
  f="$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')"
  checks_passed=$((checks_passed + p))
  checks_failed=$((checks_failed + f))
  [ "$f" -eq 0 ]
}

# group NAME STDIN_CMD WEFT_OPTIONS... -- GUEST_ARGS...: runs one group of
# wasi_suite.wasm with -hostlogging, checks exit 0 and its check counts.
group() {
  local name="$1" input="$2"; shift 2
  local opts=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  local out="$tmp/$name.out" err="$tmp/$name.err"
  bash -c "$input" | "$weft" run -hostlogging "${opts[@]}" "$suite" "$name" "$@" >"$out" 2>"$err"
  local rc=${PIPESTATUS[1]}
  grep -o 'wasi_snapshot_preview1\.[a-z_]*(' "$err" >> "$coverage"
  if count_checks "$out" && [ "$rc" -eq 0 ]; then
    pass
  else
    fail "group $name: exit $rc"
    grep -v '^\[wasi\]' "$out" "$err" | head -n 40
  fi
}

# The host-side tree of the sandbox tests (see src/t_sandbox.c).
make_sandbox_tree() {
  local t="$1"
  mkdir -p "$t/outside" "$t/root/sub/deeper" "$t/ro/dir" "$t/root/swap_real"
  printf OUTSIDE > "$t/outside/secret.txt"
  printf INSIDE > "$t/root/inside.txt"
  printf INSIDE > "$t/root/swap_real/secret.txt"
  printf 'read only\n' > "$t/ro/ro.txt"
  ln -s "$t/outside/secret.txt" "$t/root/link_abs"
  ln -s ../outside/secret.txt "$t/root/link_up"
  ln -s ../../outside/secret.txt "$t/root/sub/link_upup"
  ln -s ../outside "$t/root/link_dir_out"
  ln -s / "$t/root/link_root"
  ln -s .. "$t/root/link_dotdot"
  ln -s chain2 "$t/root/chain1"
  ln -s sub/chain3 "$t/root/chain2"
  ln -s ../../outside/secret.txt "$t/root/sub/chain3"
  ln -s ../inside.txt "$t/root/sub/link_ok"
  ln -s ../../sub/../inside.txt "$t/root/sub/deeper/link_ok2"
  ln -s swap_real "$t/root/swap"
}

# A fingerprint of everything outside the writable root.
outside_state() {
  (cd "$1" && find outside ro -printf '%p %s %m %T@\n' | sort && cat outside/secret.txt ro/ro.txt)
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' \
    2>/dev/null || echo $((20000 + RANDOM % 30000))
}

run_basic_groups() {
  group args true -env FOO=bar -env EMPTY= -- a "b c" ""
  group clock true --
  group random true --
  group proc true --
  group stdio "printf 'line one\nline two\n'" --
  if ! grep -q '^stdout: hello$' "$tmp/stdio.out" || ! grep -q '^stderr: hello$' "$tmp/stdio.err"; then
    fail "stdio: output not where expected"
  fi
}

run_fs_groups() {
  local t="$tmp/fs"
  for g in fd readdir path efault; do
    rm -rf "$t" && mkdir -p "$t/scratch"
    group "$g" true -mount "$t/scratch:/scratch" --
  done
  rm -rf "$t" && mkdir -p "$t/scratch" "$t/ro/dir" && printf 'read only\n' > "$t/ro/ro.txt"
  local before after
  before="$(cd "$t" && find ro -printf '%p %s %T@\n' | sort; cat ro/ro.txt)"
  group readonly true -mount "$t/scratch:/scratch" -mount "$t/ro:/ro:ro" --
  after="$(cd "$t" && find ro -printf '%p %s %T@\n' | sort; cat ro/ro.txt)"
  [ "$before" = "$after" ] || fail "readonly: the read-only mount changed on the host"
  rm -rf "$t" && mkdir -p "$t/scratch"
  group poll "sleep 1; printf 'late\n'" -mount "$t/scratch:/scratch" --
}

run_sock_group() {
  local t="$tmp/sock" port
  rm -rf "$t" && mkdir -p "$t/scratch"
  port="$(free_port)"
  "$weft" run -hostlogging -mount "$t/scratch:/scratch" -listen "127.0.0.1:$port" \
    -timeout 30s "$suite" sock >"$tmp/sock.out" 2>"$tmp/sock.err" &
  local pid=$! reply=""
  for _ in $(seq 1 200); do
    [ -e "$t/scratch/sock_ready" ] && break
    sleep 0.05
  done
  if exec 9<>"/dev/tcp/127.0.0.1/$port"; then
    printf ping >&9
    reply="$(timeout 10 cat <&9)"
    exec 9>&-
  fi
  wait "$pid"
  local rc=$?
  grep -o 'wasi_snapshot_preview1\.[a-z_]*(' "$tmp/sock.err" >> "$coverage"
  if count_checks "$tmp/sock.out" && [ "$rc" -eq 0 ] && [ "$reply" = "pong!" ]; then
    pass
  else
    fail "group sock: exit $rc, reply '$reply'"
    grep -v '^\[wasi\]' "$tmp/sock.out" "$tmp/sock.err" | head -n 40
  fi
}

run_sandbox() {
  local t="$tmp/sb" before after
  rm -rf "$t" && mkdir -p "$t"
  make_sandbox_tree "$t"
  before="$(outside_state "$t")"
  group sandbox true -mount "$t/root:/scratch" -mount "$t/ro:/ro:ro" --
  after="$(outside_state "$t")"
  [ "$before" = "$after" ] || fail "sandbox: something outside the mount changed"
  [ "$(ls "$t")" = "$(printf 'outside\nro\nroot')" ] || fail "sandbox: new entries beside the mount"
  grep -q 'escape attempts refused' "$tmp/sandbox.out" &&
    echo "  [$label] $(grep 'escape attempts refused' "$tmp/sandbox.out")"
}

# The rename race: a host process keeps swapping root/swap between a
# directory inside and links to the outside while the guest reads through it.
run_race() {
  local t="$tmp/race"
  rm -rf "$t" && mkdir -p "$t"
  make_sandbox_tree "$t"
  python3 "$here/swapper.py" "$t" 3 >"$tmp/swapper.out" 2>&1 &
  local swapper=$!
  for _ in $(seq 1 100); do
    [ -e "$t/swapping" ] && break
    sleep 0.05
  done
  "$weft" run -mount "$t/root:/scratch" "$suite" race 1500 >"$tmp/race.out" 2>&1
  local rc=$?
  wait "$swapper"
  if count_checks "$tmp/race.out" && [ "$rc" -eq 0 ] && grep -q swaps "$tmp/swapper.out"; then
    pass
    echo "  [$label] $(grep '^race:' "$tmp/race.out"); $(cat "$tmp/swapper.out")"
  else
    fail "race: exit $rc"
    cat "$tmp/race.out" | head -n 20
  fi
}

expect_exit() { # expect_exit WANT DESCRIPTION COMMAND...
  local want="$1" what="$2"; shift 2
  "$@" >"$tmp/cmd.out" 2>"$tmp/cmd.err"
  local rc=$?
  if [ "$rc" -eq "$want" ]; then pass; else fail "$what: exit $rc, want $want"; cat "$tmp/cmd.err" | head -n 10; fi
}

run_cli_checks() {
  expect_exit 42 "proc_exit 42" "$weft" run -hostlogging "$suite" exit 42
  grep -o 'wasi_snapshot_preview1\.[a-z_]*(' "$tmp/cmd.err" >> "$coverage"
  expect_exit 134 "proc_raise(abrt) exits 128+6" "$weft" run "$suite" raise 6
  expect_exit 0 "proc_raise(chld) is ignored" "$weft" run "$suite" raise 16
  grep -q 'proc_raise returned 0' "$tmp/cmd.out" || fail "raise 16: output"
  expect_exit 1 "a trap" "$weft" run "$suite" trap
  grep -q '^weft: trap: unreachable' "$tmp/cmd.err" && grep -q '  at func\[' "$tmp/cmd.err" ||
    fail "trap: no message and backtrace on stderr"
  local t0 t1
  t0=$(date +%s%N)
  expect_exit 1 "-timeout on a busy loop" "$weft" run -timeout 300ms "$suite" spin
  grep -q 'longer than -timeout 300ms' "$tmp/cmd.err" || fail "-timeout: no message"
  expect_exit 1 "-timeout during poll_oneoff's sleep" "$weft" run -timeout 300ms "$suite" sleep
  t1=$(date +%s%N)
  [ $(((t1 - t0) / 1000000)) -lt 5000 ] || fail "-timeout: took $(((t1 - t0) / 1000000)) ms"
  expect_exit 1 "-fuel on a busy loop" "$weft" run -fuel 1000000 "$suite" spin
  grep -q 'used up its -fuel' "$tmp/cmd.err" || fail "-fuel: no message"
  expect_exit 42 "-fuel enough for the run" "$weft" run -fuel 100000000 "$suite" exit 42
  expect_exit 2 "-max-memory-pages below the guest's memory" \
    "$weft" run -max-memory-pages 1 "$suite" exit 0
  grep -q 'exceeds the limit of 1 pages' "$tmp/cmd.err" || fail "-max-memory-pages: no message"
  expect_exit 2 "a missing mount" "$weft" run -mount "$tmp/does-not-exist:/x" "$suite" args
  grep -q 'cannot open host directory' "$tmp/cmd.err" || fail "missing mount: message"
  expect_exit 2 "a bad option" "$weft" run -bogus "$suite"
  expect_exit 0 "weft inspect" "$weft" inspect "$suite"
  grep -q 'func   wasi_snapshot_preview1.fd_write: (i32, i32, i32, i32) -> (i32)' "$tmp/cmd.out" ||
    fail "inspect: no fd_write import listed"
  expect_exit 0 "weft version" "$weft" version
}

run_goguest() {
  local t="$tmp/go"
  rm -rf "$t" && mkdir -p "$t/data/sub" "$t/outside"
  printf 'hello from the host\n' > "$t/data/msg.txt"
  printf 'x' > "$t/data/sub/inner.txt"
  printf 'SECRET' > "$t/outside/passwd"
  env -i PATH="$PATH" WEFT_INHERITED=yes "$weft" run -mount "$t/data:/data" -env FOO=bar \
    -env-inherit "$goguest" /data msg.txt 150ms 7 >"$tmp/go.out" 2>"$tmp/go.err"
  local rc=$?
  local want
  want="$(printf '%s\n' 'arg[0]='"$goguest" 'arg[1]=/data' 'arg[2]=msg.txt' 'arg[3]=150ms' \
    'arg[4]=7' 'env FOO=bar' "env PATH=$PATH" 'env WEFT_INHERITED=yes' \
    'file msg.txt: "hello from the host"' 'walk dir .' 'walk file msg.txt' 'walk dir sub' \
    'walk file sub/inner.txt' 'write: ok' 'slept at least 150ms: true')"
  if [ "$rc" -eq 7 ] && [ "$(cat "$tmp/go.out")" = "$want" ] &&
    [ "$(cat "$t/data/out.txt" 2>/dev/null)" = "written by go" ]; then
    pass
  else
    fail "Go wasip1 guest: exit $rc"
    diff <(echo "$want") "$tmp/go.out" | head -n 20
    head -n 10 "$tmp/go.err"
  fi
}

# Our ABI constants (core/src/wasi/wasi_abi.h) against wasi-libc's <wasi/api.h>.
check_abi_constants() {
  local api=/usr/include/wasm32-wasi/wasi/api.h ours="$root/core/src/wasi/wasi_abi.h"
  label=abi
  if [ ! -f "$api" ]; then
    echo "wasi: $api is absent (wasi-libc); ABI constants not compared"
    return
  fi
  local theirs mine
  theirs="$(sed -nE 's/^#define __WASI_ERRNO_([A-Z0-9]+) \(UINT16_C\(([0-9]+)\)\)/\1 \2/p' "$api")"
  mine="$(grep -oE 'X\([A-Z0-9]+, [0-9]+\)' "$ours" | sed -E 's/X\(([A-Z0-9]+), ([0-9]+)\)/\1 \2/')"
  if [ "$theirs" = "$mine" ] && [ "$(echo "$mine" | wc -l)" -eq 77 ]; then pass; else
    fail "errno values differ from api.h"; diff <(echo "$theirs") <(echo "$mine") | head; fi
  theirs="$(sed -nE 's/^#define __WASI_RIGHTS_([A-Z_]+) \(\(__wasi_rights_t\)\(1 << ([0-9]+)\)\)/\1 \2/p' "$api")"
  mine="$(sed -nE 's/^#define WASI_RIGHT_([A-Z_]+) \(1ull << ([0-9]+)\)/\1 \2/p' "$ours")"
  if [ "$theirs" = "$mine" ] && [ "$(echo "$mine" | wc -l)" -eq 30 ]; then pass; else
    fail "rights bits differ from api.h"; diff <(echo "$theirs") <(echo "$mine") | head; fi
}
check_abi_constants

for weft in "${bins[@]}"; do
  if [ ! -x "$weft" ]; then
    echo "wasi: no weft binary at $weft (build first)"
    exit 1
  fi
  for mode in openat2 walk; do
    label="$(basename "$(dirname "$weft")")/$mode"
    if [ "$mode" = walk ]; then export WEFT_WASI_RESOLVE=walk; else unset WEFT_WASI_RESOLVE; fi
    echo "--> $label"
    run_basic_groups
    run_fs_groups
    run_sock_group
    run_sandbox
    run_race
    run_cli_checks
    run_goguest
  done
done
unset WEFT_WASI_RESOLVE

# Every preview1 function was called (seen in -hostlogging output).
all="args_get args_sizes_get environ_get environ_sizes_get clock_res_get clock_time_get
fd_advise fd_allocate fd_close fd_datasync fd_fdstat_get fd_fdstat_set_flags
fd_fdstat_set_rights fd_filestat_get fd_filestat_set_size fd_filestat_set_times fd_pread
fd_prestat_get fd_prestat_dir_name fd_pwrite fd_read fd_readdir fd_renumber fd_seek fd_sync
fd_tell fd_write path_create_directory path_filestat_get path_filestat_set_times path_link
path_open path_readlink path_remove_directory path_rename path_symlink path_unlink_file
poll_oneoff proc_exit proc_raise sched_yield random_get sock_accept sock_recv sock_send
sock_shutdown"
label=coverage
called=0
for f in $all; do
  if grep -q "wasi_snapshot_preview1\.$f(" "$coverage"; then
    called=$((called + 1))
  else
    fail "never called: $f"
  fi
done

echo "wasi: $checks_passed checks passed, $checks_failed failed; $runs_ok runs ok, $runs_failed failed; $called/46 functions called"
[ "$checks_failed" -eq 0 ] && [ "$runs_failed" -eq 0 ]
