#!/usr/bin/env bash
# check.sh — the short soak that scripts/test.sh runs: 5 s of mixed load
# (after a 1 s warm-up), then 3 s of it under the race detector. Ends with
# one line, "ok soak: ..." or "FAIL soak: ...". A real soak is longer; see
# README.md. WEFT_SOAK_DURATION overrides the 5 s.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# The race detector's shadow memory grows the resident set by more than
# the plain run's tolerance: give it room (still far below a leak's growth).
go run ./tests/soak -duration "${WEFT_SOAK_DURATION:-5s}" -warmup 1s -report 0 2>&1 | tee "$out/plain"
plain=${PIPESTATUS[0]}
go run -race ./tests/soak -duration 3s -warmup 1s -report 0 -rss-slack 128 2>&1 | tee "$out/race"
race=${PIPESTATUS[0]}

summary() { # the figures of a run's "soak: ok" line, or its failure
  grep -E '^soak: (ok|FAIL)' "$1" | tail -n 1 | sed -E 's/^soak: (ok: )?//'
}
if [ "$plain" -eq 0 ] && [ "$race" -eq 0 ]; then
  echo "ok soak: $(summary "$out/plain"); under -race: $(summary "$out/race" | cut -d, -f1-3)"
  exit 0
fi
echo "FAIL soak: plain (exit $plain): $(summary "$out/plain"); race (exit $race): $(summary "$out/race")"
exit 1
