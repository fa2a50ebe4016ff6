#!/usr/bin/env bash
# check_header.sh — weft.h compiles on its own as strict C99 and as C++.
set -euo pipefail
include="$(cd "$(dirname "$0")/../../core/include" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf '#include "weft.h"\nint main(void) { return weft_abi_version() == WEFT_ABI_VERSION ? 0 : 1; }\n' > "$tmp/use.c"
cp "$tmp/use.c" "$tmp/use.cpp"
cc -std=c99 -pedantic -Wall -Wextra -Werror -I"$include" -c "$tmp/use.c" -o "$tmp/c.o"
c++ -std=c++11 -pedantic -Wall -Wextra -Werror -I"$include" -c "$tmp/use.cpp" -o "$tmp/cpp.o"
echo "ok: weft.h compiles as C99 (-pedantic -Werror) and C++11"
