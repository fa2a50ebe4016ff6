#!/usr/bin/env bash
# spectest-dir.sh — prints the spec suite's root (the folder holding v2/ and
# tail-call/): $WEFT_SPECTEST_ROOT if set, else the first of the usual places
# that exists. Prints nothing when the suite is absent.
root="$(cd "$(dirname "$0")/.." && pwd)"
for d in "${WEFT_SPECTEST_ROOT:-}" "$root/../shared/spectest" /work/shared/spectest; do
  if [ -n "$d" ] && [ -d "$d/v2" ]; then
    (cd "$d" && pwd)
    exit 0
  fi
done
