#!/usr/bin/env bash
# check_symbols.sh LIBWEFT_SO — the ABI promise, checked:
#  1. the shared library exports only weft_* symbols (plus the version node);
#  2. it has a SONAME;
#  3. every exported function is declared in weft.h and every WEFT_API
#     declaration in weft.h is exported (no stale or hidden-by-mistake names).
set -euo pipefail
lib="$1"
header="$(dirname "$0")/../../core/include/weft.h"

exported="$(nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | grep -v '^WEFT_1$' | sort -u)"
bad="$(echo "$exported" | grep -v '^weft_' || true)"
if [ -n "$bad" ]; then
  echo "FAIL: non-weft_ symbols exported from $lib:"; echo "$bad"; exit 1
fi
soname="$(objdump -p "$lib" | awk '/SONAME/ {print $2}')"
if [ -z "$soname" ]; then
  echo "FAIL: $lib has no SONAME"; exit 1
fi
declared="$(grep -oE 'WEFT_API[^(]*\(' "$header" | grep -oE 'weft_[a-z0-9_]+ *\($' | tr -d ' (' | sort -u)"
missing="$(comm -13 <(echo "$exported") <(echo "$declared"))"
extra="$(comm -23 <(echo "$exported") <(echo "$declared"))"
if [ -n "$missing" ]; then
  echo "FAIL: declared in weft.h but not exported:"; echo "$missing"; exit 1
fi
if [ -n "$extra" ]; then
  echo "FAIL: exported but not declared in weft.h:"; echo "$extra"; exit 1
fi
echo "ok: $(echo "$exported" | wc -l) weft_ symbols, SONAME $soname, all declared in weft.h"
