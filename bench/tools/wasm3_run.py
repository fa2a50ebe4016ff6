#!/usr/bin/env python3
"""wasm3_run.py FILE.wasm [EXPORT] — calls an export (default `run`) of an
import-free module under wasm3 (the pywasm3 package) and prints its result,
as `weft run --invoke` does. Used by bench/cli-bench.sh."""
import sys

import wasm3

STACK_BYTES = 1 << 20  # wasm3's value/call stack; the guests recurse little


def main() -> int:
    if len(sys.argv) not in (2, 3):
        print(__doc__, file=sys.stderr)
        return 2
    path = sys.argv[1]
    name = sys.argv[2] if len(sys.argv) == 3 else "run"
    with open(path, "rb") as f:
        wasm = f.read()
    env = wasm3.Environment()
    rt = env.new_runtime(STACK_BYTES)
    rt.load(env.parse_module(wasm))
    result = rt.find_function(name)()
    if result is not None:
        print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
