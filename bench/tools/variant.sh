#!/usr/bin/env bash
# variant.sh — build variants of the engine that take one design choice
# away, for measuring what that choice pays (time-steps.sh and
# instr-steps.sh take REV+VARIANT wherever they take a revision).
#
#   variant.sh NAME DIR   applies variant NAME to the source tree DIR (a
#                         throwaway worktree: the files are edited in place)
#                         and prints the extra CMake arguments it needs
#   variant.sh -d NAME    prints the variant's one-line description
#   variant.sh -l         lists the variants
#
# `nobounds` builds an engine with no sandbox: never run it on anything but
# the bench guests. It measures what the explicit bounds checks cost, the
# most that removing or hoisting them could win.
set -euo pipefail

describe() {
  case "$1" in
    switch) echo "without direct threading: a switch on the op number (WEFT_SWITCH_DISPATCH) instead of a jump to the handler address in the code" ;;
    nobounds) echo "without bounds checks on loads and stores (unsafe, measurement only): what the checks cost" ;;
    noalign) echo "without 16-byte handler alignment (the align-labels pragma of interp.c removed)" ;;
    clang) echo "built by clang instead of the default C compiler" ;;
    clang19) echo "built by clang 19, whose default dispatch is tail-calling handlers (musttail, preserve_none)" ;;
    clang19-goto) echo "built by clang 19 with the computed-goto loop (WEFT_GOTO_DISPATCH)" ;;
    clang-tail) echo "built by clang (14 on Debian 12) with tail-calling handlers, without preserve_none (WEFT_TAIL_DISPATCH)" ;;
    *) echo "variant.sh: unknown variant '$1' (variant.sh -l lists them)" >&2; exit 2 ;;
  esac
}

# replace FILE OLD NEW: edits FILE, and fails unless OLD was there, so a
# variant cannot silently stop applying when the code it edits changes.
replace() {
  local file="$1" old="$2" new="$3"
  grep -qF -- "$old" "$file" || { echo "variant.sh: '$old' not found in $file" >&2; exit 1; }
  OLD="$old" NEW="$new" perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/g' "$file"
}

case "${1:-}" in
  -l) for v in switch nobounds noalign clang clang19 clang19-goto clang-tail; do
        printf '%-12s %s\n' "$v" "$(describe "$v")"
      done
      exit 0 ;;
  -d) describe "$2"; exit 0 ;;
  "" | -h) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

name="$1" dir="$2"
describe "$name" >/dev/null
case "$name" in
  switch) echo "-DCMAKE_C_FLAGS=-DWEFT_SWITCH_DISPATCH" ;;
  nobounds) replace "$dir/core/src/interp.c" "if (UNLIKELY(ea + (width) > mem0->size))" "if (0)" ;;
  noalign) replace "$dir/core/src/interp.c" '#pragma GCC optimize("align-labels=16")' "" ;;
  clang) echo "-DCMAKE_C_COMPILER=clang" ;;
  clang19) echo "-DCMAKE_C_COMPILER=clang-19" ;;
  clang19-goto) echo "-DCMAKE_C_COMPILER=clang-19 -DCMAKE_C_FLAGS=-DWEFT_GOTO_DISPATCH" ;;
  clang-tail) echo "-DCMAKE_C_COMPILER=clang -DCMAKE_C_FLAGS=-DWEFT_TAIL_DISPATCH" ;;
esac
