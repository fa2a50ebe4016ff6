#!/usr/bin/env python3
"""report.py — turns the raw results in bench/results/ into bench/RESULTS.md.

Inputs (each optional; a missing one leaves its section out):
  results/cli/*.json     hyperfine exports of bench/cli-bench.sh
  results/cli/machine.txt  date, CPU, cores and tool versions of that run
  results/go-bench.txt   `go test -bench` output of bench/run-go-bench.sh
  results/soak.txt       output of tests/soak/record.sh (load and soak run)
  results/instr-steps.tsv  bench/instr-steps.sh: instructions per guest per revision
  results/time-steps.tsv   bench/time-steps.sh: wall time per guest per revision
  results/ablation-time.tsv, ablation-instr.tsv  the same two scripts given one
                           revision and its variants (REV+VARIANT): what each
                           design choice pays

Every figure is a median over the samples of one benchmark (hyperfine
runs, or go test -count), as benchstat reports; ratios divide two medians
measured in the same session. Standard library only.

usage: bench/report.py [-o FILE]   (default bench/RESULTS.md)
"""
import argparse
import glob
import json
import math
import os
import re
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(HERE, "results")

CLI_TOOLS = ["weft", "wasm-interp", "wasm3"]
# Go runtimes in column order; weft appears only when built with -tags weft.
GO_RUNTIMES = ["weft", "wazero-interp", "wazero-compiler", "wasmtime"]


def read_kv(path):
    """Reads "key: value" lines (later keys of the same name win)."""
    kv = {}
    if not os.path.exists(path):
        return kv
    with open(path) as f:
        for line in f:
            if ":" in line and not line.startswith(("#", "Benchmark")):
                k, v = line.split(":", 1)
                kv[k.strip()] = v.strip()
    return kv


def fmt_time(seconds):
    """Formats a duration with three significant digits and a fitting unit."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale or unit == "ns":
            v = seconds / scale
            return f"{v:.3g} {unit}" if v < 100 else f"{v:.0f} {unit}"
    return "?"


def fmt_ratio(r):
    return f"{r:.3g}×" if r < 100 else f"{r:.0f}×"


def ratio_cols(rts, baseline):
    """The ratio columns of a Go table: (header, function of the medians).
    With weft present, each peer's time over weft's (above 1: weft is
    faster); without it, the baseline's time over each other runtime's
    (above 1: faster than wazero's interpreter)."""
    if baseline not in rts:
        return []
    others = [r for r in rts if r != baseline]
    if baseline == "weft":
        return [(f"{r} / weft", lambda v, r=r: v[r] / v["weft"]) for r in others]
    return [(f"{baseline} / {r}", lambda v, r=r: v[baseline] / v[r]) for r in others]


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


# ---- command line (hyperfine) ----

def load_cli():
    """Returns {guest: {tool: median seconds}}, guests in checksum order."""
    out = {}
    for path in glob.glob(os.path.join(RESULTS, "cli", "*.json")):
        guest = os.path.splitext(os.path.basename(path))[0]
        with open(path) as f:
            data = json.load(f)
        out[guest] = {r["command"]: statistics.median(r["times"]) for r in data["results"]}
    return out


def guest_order():
    order = ["startup"]
    path = os.path.join(HERE, "guests", "checksums.txt")
    with open(path) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                order.append(line.split()[0])
    return order


def sort_guests(names):
    order = guest_order()
    return sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n))


def cli_section(cli, machine):
    tools = [t for t in CLI_TOOLS if any(t in v for v in cli.values())]
    peers = [t for t in tools if t != "weft"]
    lines = [
        "## Command line: weft vs wasm-interp vs wasm3",
        "",
        f"Median wall time of {machine.get('runs', '?')} runs of each whole command "
        "(hyperfine, `bench/cli-bench.sh`), each run checked against the guest's "
        "expected checksum:",
        "",
        "- weft: `build/weft run --invoke run GUEST.run.wasm`",
        "- wasm-interp: wabt's interpreter, `wasm-interp --run-all-exports GUEST.run.wasm`",
        "- wasm3: `python tools/wasm3_run.py GUEST.run.wasm` (pywasm3; includes "
        "Python's start-up, see the `startup` row)",
        "",
        "A ratio is peer time / weft time: above 1, weft is faster. The `startup` "
        "row (a module whose `run` returns at once) is each tool's fixed cost "
        "and is left out of the geometric mean. The `go-*` rows need WASI, "
        "which neither peer has here: they time `weft run go-NAME.wasm` alone "
        "(the WASI command, Go runtime start-up included).",
        "",
    ]
    head = ["guest"] + tools + [f"{p} / weft" for p in peers]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
    ratios = {p: [] for p in peers}
    for g in sort_guests(cli):
        row = [g] + [fmt_time(cli[g][t]) if t in cli[g] else "—" for t in tools]
        for p in peers:
            if p in cli[g] and "weft" in cli[g]:
                r = cli[g][p] / cli[g]["weft"]
                row.append(fmt_ratio(r))
                if g != "startup":
                    ratios[p].append(r)
            else:
                row.append("—")
        lines.append("| " + " | ".join(row) + " |")
    gm = ["**geometric mean**"] + [""] * len(tools)
    gm += [f"**{fmt_ratio(geomean(ratios[p]))}**" if ratios[p] else "—" for p in peers]
    lines.append("| " + " | ".join(gm) + " |")
    lines.append("")
    return lines


def native_section(cli, machine):
    """How many times native code's time each interpreter takes."""
    rows = [g for g in sort_guests(cli) if "native" in cli[g]]
    if not rows:
        return []
    tools = [t for t in CLI_TOOLS if any(t in cli[g] for g in rows)]
    lines = [
        "### How far from native code",
        "",
        "The same guests built for this machine from the same source "
        f"(`native` in cli-bench.sh: {machine.get('native', '?')}), "
        "timed in the same hyperfine sessions as the rows above. Not a peer: "
        "the yardstick. A ratio is the tool's time / native time: how many "
        "times slower than native code it runs (below is better). Each "
        "command's start-up is included (the interpreters': the `startup` row "
        "above; a native process starts in about a millisecond): it weighs "
        "most in the guests that run shortest natively. The geometric mean is over "
        "the guests every tool ran (the C guests); the `go-*` rows run under "
        "weft alone.",
        "",
    ]
    head = ["guest", "native"] + [f"{t} / native" for t in tools]
    lines += table_head(head)
    common = [g for g in rows if all(t in cli[g] for t in tools)]
    for g in rows:
        row = [g, fmt_time(cli[g]["native"])]
        row += [fmt_ratio(cli[g][t] / cli[g]["native"]) if t in cli[g] else "—" for t in tools]
        lines.append("| " + " | ".join(row) + " |")
    gm = [f"**geometric mean ({len(common)} guests)**", ""]
    gm += [f"**{fmt_ratio(geomean([cli[g][t] / cli[g]['native'] for g in common]))}**"
           for t in tools]
    lines.append("| " + " | ".join(gm) + " |")
    lines.append("")
    return lines


# ---- Go embedding (go test -bench) ----

BENCH_RE = re.compile(r"^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op")


def load_go():
    """Returns {(top, key): {rt: median ns}}; key is the non-rt part."""
    path = os.path.join(RESULTS, "go-bench.txt")
    samples = {}
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        for line in f:
            m = BENCH_RE.match(line)
            if not m:
                continue
            parts = m.group(1).split("/")
            top = parts[0][len("Benchmark"):]
            kv = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
            rt = kv.pop("rt", "?")
            key = ",".join(f"{k}={v}" for k, v in kv.items())
            samples.setdefault((top, key), {}).setdefault(rt, []).append(float(m.group(2)))
    return {k: {rt: statistics.median(v) for rt, v in rts.items()} for k, rts in samples.items()}


def ratio_or_dash(fn, vals):
    try:
        return fmt_ratio(fn(vals))
    except (KeyError, ZeroDivisionError):
        return "—"


def go_table(go, top, label, unit_fn, baseline, extra=None):
    """One table of a benchmark family: a row per key, a column per runtime,
    then ratios of each other runtime to the baseline runtime."""
    keys = [k for (t, k) in go if t == top]
    if not keys:
        return []
    rts = [r for r in GO_RUNTIMES if any(r in go[(top, k)] for k in keys)]
    ratios = ratio_cols(rts, baseline)
    head = [label] + rts
    if extra:
        head.append(extra[0])
    head += [h for h, _ in ratios]
    if extra and len(extra) > 2:
        head.append(extra[2])
    lines = ["| " + " | ".join(head) + " |",
             "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]

    def keyname(k):
        return k.split("=", 1)[1] if "=" in k else k

    if top == "Compute":
        keys = sort_guests(keys and [keyname(k) for k in keys])
        keys = [f"guest={k}" for k in keys]
    collected = [[] for _ in ratios]
    for k in keys:
        vals = go[(top, k)]
        row = [keyname(k)] + [unit_fn(vals[r]) if r in vals else "—" for r in rts]
        if extra:
            row.append(extra[1](keyname(k)))
        for n, (_, fn) in enumerate(ratios):
            try:
                collected[n].append(fn(vals))
            except (KeyError, ZeroDivisionError):
                pass
        row += [ratio_or_dash(fn, vals) for _, fn in ratios]
        if extra and len(extra) > 2:
            row.append(extra[3](keyname(k), vals))
        lines.append("| " + " | ".join(row) + " |")
    if len(keys) > 2 and ratios:
        row = ["**geometric mean**"] + [""] * (len(rts) + (1 if extra else 0))
        row += [f"**{fmt_ratio(geomean(c))}**" if c else "—" for c in collected]
        if extra and len(extra) > 2:
            row.append("")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    return lines


def go_section(go, gomachine, cli):
    has_weft = any("weft" in v for v in go.values())
    baseline = "weft" if has_weft else "wazero-interp"
    ns = lambda v: fmt_time(v * 1e-9)
    lines = [
        "## Go embedding: " + ("weft vs " if has_weft else "") +
        "wazero (interpreter, compiler) and wasmtime-go",
        "",
        f"`bench/run-go-bench.sh` (go test -bench in bench/go, -count "
        f"{gomachine.get('count', '5')}); medians. Modules: "
        + ", ".join(v for k, v in gomachine.items() if k == "modules") + ".",
        "",
    ]
    if has_weft:
        lines.append("Ratios are runtime time / weft time: above 1, weft is faster.")
    else:
        lines += [
            "weft is not in these tables (the harness was built with -tags "
            "noweft; see bench/README.md). Ratios are wazero-interp "
            "time / runtime time: above 1, faster than wazero's interpreter. The "
            "compute table also shows weft's CLI median from the table above (a "
            "whole process, start-up included, measured in the same session but "
            "another harness) and wazero-interp / weft CLI, as a first reading "
            "of interpreter against interpreter. For the go-* guests that CLI "
            "figure is the WASI command (`weft run go-NAME.wasm`: Go runtime "
            "start-up included) while the Go harness calls the reactor's `run`.",
        ]
    lines.append("")

    extra = None
    if not has_weft and cli:
        def weft_cli(g):
            t = cli.get(g, {}).get("weft")
            return fmt_time(t) if t else "—"

        def interp_vs_cli(g, vals):
            t = cli.get(g, {}).get("weft")
            return fmt_ratio(vals["wazero-interp"] * 1e-9 / t) if t and "wazero-interp" in vals else "—"
        extra = ("weft CLI", weft_cli, "wazero-interp / weft CLI", interp_vs_cli)

    lines += ["### Compute: one call of `run`, checksum checked", ""]
    lines += go_table(go, "Compute", "guest", ns, baseline, extra)
    lines += ["### Compile (decode, validate, compile; then close)", "",
              "`small` is bench/guests/wat/trivial.wat (234 bytes); `large` is "
              "bench/guests/wasm/large-go.wasm, a stripped Go program (~4.7 MiB). "
              "wasmtime compiles in parallel on all cores by default.", ""]
    lines += go_table(go, "Compile", "module", ns, baseline)
    lines += ["### Instantiate (link WASI + env, make memory, copy data; then close)", ""]
    lines += go_table(go, "Instantiate", "module", ns, baseline)
    lines += ["### Calls and memory", "",
              "`Call`: Go → Wasm call of a trivial export (`nop()`, `add(i32, i32)`, "
              "`addcall`, add through a call inside the guest, and `callhost`, an export "
              "that calls the Go host function below once: the one call of the four that "
              "reaches a host function, which weft guards against its panic). "
              "`HostCall`: Wasm → Go, one call of a Go host function that does "
              "nothing (reflection-free APIs: weft's and wazero's WithGoModuleFunction, "
              "wasmtime-go's FuncNew). `MemoryRead`: copy 4 KiB of guest memory "
              "into a Go slice."
              + (f" Pinned to one CPU ({gomachine['boundary-pinned']}; every "
                 "runtime alike, GOMAXPROCS 1), which steadies these ns figures "
                 "on this shared VM." if gomachine.get("boundary-pinned") else ""),
              ""]
    rows = []
    for top in ("Call", "HostCall", "MemoryRead"):
        for (t, k) in sorted(go):
            if t == top:
                rows.append((f"{top}" + (f" {k.split('=', 1)[1]}" if k else ""), go[(t, k)]))
    if rows:
        rts = [r for r in GO_RUNTIMES if any(r in v for _, v in rows)]
        ratios = ratio_cols(rts, baseline)
        head = ["benchmark"] + rts + [h for h, _ in ratios]
        lines.append("| " + " | ".join(head) + " |")
        lines.append("|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|")
        for name, vals in rows:
            row = [name] + [ns(vals[r]) if r in vals else "—" for r in rts]
            row += [ratio_or_dash(fn, vals) for _, fn in ratios]
            lines.append("| " + " | ".join(row) + " |")
        lines.append("")
    return lines


# ---- the performance goals (issue 6), checked against the tables ----

def _geomean_ratio(rows, peer, base="weft"):
    rs = [v[peer] / v[base] for v in rows if peer in v and base in v and v[base] > 0]
    return geomean(rs)


def targets_section(cli, go, machine, gomachine):
    """A row per goal: the figure measured, the goal, whether it is met.
    Each figure is one already in the tables below (a geometric mean, or
    the least favourable row of a family)."""
    goals = []  # (what, measured ratio or None, at least)
    compute = [v for (t, _), v in go.items() if t == "Compute"]
    goals.append(("compute, geometric mean: wazero-interp / weft (Go harness)",
                  _geomean_ratio(compute, "wazero-interp"), 10))
    guests = [v for g, v in cli.items() if g != "startup"]
    goals.append(("compute, geometric mean: wasm3 / weft (command line)",
                  _geomean_ratio(guests, "wasm3"), 1.5))
    # wasm3's command includes Python's start-up: the same less each tool's
    # fixed cost (the startup row), so that it cannot flatter weft.
    fixed = cli.get("startup", {})
    if "wasm3" in fixed and "weft" in fixed:
        net = [{t: v[t] - fixed[t] for t in ("weft", "wasm3") if t in v} for v in guests]
        goals.append(("the same, each tool's start-up row taken off its times",
                      _geomean_ratio(net, "wasm3"), 1.5))
    large = go.get(("Compile", "module=large"), {})
    for peer, least in (("wazero-compiler", 20), ("wazero-interp", 2)):
        r = large[peer] / large["weft"] if peer in large and "weft" in large else None
        goals.append((f"compile of the large module: {peer} / weft", r, least))
    for top, what in (("HostCall", "Wasm → Go host call"), ("Call", "Go → Wasm call")):
        rows = [(k, v) for (t, k), v in go.items() if t == top and "weft" in v]
        for peer, least in (("wazero-compiler", 1), ("wasmtime", 10)):
            rs = [(v[peer] / v["weft"], k) for k, v in rows if peer in v]
            worst = min(rs) if rs else (None, "")
            name = worst[1].split("=", 1)[-1] if len(rs) > 1 else ""
            goals.append((f"{what}: {peer} / weft" +
                          (f" (the least of {len(rs)} exports: {name})" if name else ""),
                          worst[0], least))
    for k in ("module=small", "module=large"):
        v = go.get(("Instantiate", k), {})
        for peer in ("wazero-interp", "wazero-compiler"):
            r = v[peer] / v["weft"] if peer in v and "weft" in v else None
            goals.append((f"instantiate {k.split('=')[1]}: {peer} / weft", r, 1))
    if all(r is None for _, r, _ in goals):
        return []
    run_cli, run_go = machine.get("run"), gomachine.get("run")
    if run_cli and run_cli == run_go:
        when = (f"All of them come from one run (`bench/run-all.sh`, run `{run_cli}`): "
                "the command-line harness, then the Go harness, timing one weft revision.")
    else:
        when = ("The command-line and Go tables come from separate runs "
                f"({machine.get('date', '?')}, {gomachine.get('date', '?')}): "
                "`bench/run-all.sh` makes them in one.")
    lines = ["## Targets", "",
             "The performance goals, each against the figure in the tables below "
             "(ratios: peer time / weft time, above 1 weft is faster). " + when, "",
             "| goal | measured | at least | met |", "|---|---:|---:|---|"]
    for what, r, least in goals:
        met = "—" if r is None else ("yes" if r >= least else "**no**")
        lines.append(f"| {what} | {fmt_ratio(r) if r is not None else '—'} | "
                     f"{fmt_ratio(least)} | {met} |")
    lines.append("")
    return lines


def soak_section(path):
    """The "Load and soak" section from tests/soak/record.sh's output: the
    header's "key: value" lines, the program's "result k=v ..." line and its
    table of outcomes. Empty when the file is absent."""
    if not os.path.exists(path):
        return []
    head, result, rows = {}, {}, []
    in_table = False
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("result "):
                result = dict(kv.split("=", 1) for kv in line.split()[1:] if "=" in kv)
            elif line.startswith("outcome "):
                in_table = True
            elif in_table and line.strip():
                cols = line.split()
                if cols[0] == "total" or len(cols) != 6:
                    in_table = False
                else:
                    rows.append(cols)
            elif re.match(r"^[a-z-]+: ", line) and not line.startswith(("soak: ", "unexpected")):
                k, v = line.split(": ", 1)
                head.setdefault(k, v)
    if not result:
        return ["## Load and soak", "", f"`{os.path.relpath(path, HERE)}` has no result line "
                "(the soak did not finish?).", ""]
    r = result
    ok = head.get("exit") == "0"
    lines = [
        "## Load and soak (tests/soak)",
        "",
        f"`{head.get('command', 'tests/soak')}` on {head.get('date', '?')}, weft tree "
        f"{head.get('weft-tree', '?')}, {head.get('go', '?')}; load average before → after: "
        f"{head.get('load-before', '?')} → {head.get('load-after', '?')}. "
        f"Verdict: **{'ok' if ok else 'FAILED (exit ' + head.get('exit', '?') + ')'}**. "
        "Each call instantiates a guest, calls it and closes it; calls/s is what "
        "this shared machine gave under that load average, not a benchmark. "
        "How to run and read it: tests/soak/README.md.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| duration, workers | {r.get('duration_s')} s, {r.get('workers')} goroutines |",
        f"| calls | {r.get('calls')} ({r.get('calls_per_s')} calls/s) |",
        f"| lost calls | {r.get('lost')} |",
        f"| unexpected outcomes | {r.get('unexpected')} |",
        f"| peak RSS (soak phase) | {r.get('peak_rss_mib')} MiB |",
        f"| RSS before (warm-up done, all closed) → after (all closed) | "
        f"{r.get('rss_before_mib')} MiB → {r.get('rss_after_mib')} MiB |",
        f"| live C objects: before (all closed); open runtimes before → after the load; after close | "
        f"{r.get('live_before')}; {r.get('live_open', '?')} → {r.get('live_during')}; {r.get('live_after')} |",
        f"| Go heap in use of the open runtimes, before → after the load | "
        f"{r.get('heap_open_mib', '?')} MiB → {r.get('heap_end_mib', '?')} MiB |",
        f"| goroutines before → after | {r.get('goroutines_before')} → {r.get('goroutines_after')} |",
        "",
    ]
    if rows:
        lines += ["| outcome | calls | calls/s | lost | unexpected |", "|---|--:|--:|--:|--:|"]
        for name, started, finished, lost, unexpected, rate in rows:
            lines.append(f"| {name} | {finished} | {rate} | {lost} | {unexpected} |")
        lines.append("")
    return lines


STEPS_INTRO = {
    "instr": ("What each change paid: instructions executed",
              "`bench/instr-steps.sh` (`{path}`): each revision's CLI runs each compute guest once "
              "under valgrind's cachegrind, which counts the instructions executed (this VM has no "
              "hardware counters). Counts do not depend on the machine's load, but they are a "
              "proxy: a change that moves code (handler alignment) or helps branch prediction "
              "shows in wall time only. The first row is the baseline, in billions of "
              "instructions.", 1e9),
    "time": ("What each change paid: wall time",
             "`bench/time-steps.sh` (`{path}`): each revision's CLI times `weft run --invoke run` "
             "of each compute guest, median of the runs, the revisions taking turns so load "
             "changes hit all alike. The first row is the baseline, in seconds.", 1),
}


def read_steps(path):
    """(guests, [(rev, subject, [figure per guest])]) of a steps TSV, or
    None when the file is absent or has fewer than two builds."""
    if not os.path.exists(path):
        return None
    with open(path) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    if len(rows) < 3:
        return None
    return rows[0][2:], [(r[0], r[1], [float(x) for x in r[2:]]) for r in rows[1:]]


def table_head(head):
    return ["| " + " | ".join(head) + " |",
            "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|"]


def ratio_section(name, title, first_label, intro):
    """A section of builds against the first one, from results/NAME-time.tsv
    (time-steps.sh) and results/NAME-instr.tsv (instr-steps.sh): a cell is a
    build's figure / the first build's, in wall time and, where measured,
    in instructions. [] when neither file exists."""
    lines = []
    for kind, suffix in (("wall time", "time"), ("instructions", "instr")):
        path = os.path.join(RESULTS, f"{name}-{suffix}.tsv")
        steps = read_steps(path)
        if not steps:
            continue
        guests, data = steps
        unit = 1e9 if kind == "instructions" else 1
        lines += [f"{kind.capitalize()} (`{os.path.relpath(path, HERE)}`):", ""]
        lines += table_head(["build"] + guests + ["geomean"])
        rev0, subj0, base = data[0]
        lines.append(f"| `{rev0}` {first_label} | " +
                     " | ".join(f"{n / unit:.2f}" for n in base) + " | |")
        for rev, subj, fig in data[1:]:
            ratios = [v / b for v, b in zip(fig, base)]
            lines.append(f"| `{rev}` {subj} | " + " | ".join(f"{r:.3f}" for r in ratios) +
                         f" | **{geomean(ratios):.3f}** |")
        lines.append("")
    return [f"## {title}", "", intro, ""] + lines if lines else []


# "What each design choice pays": one revision, each build with one choice
# taken away (tools/variant.sh), against the revision as it is.
ABLATION = ("ablation", "What each design choice pays: builds without it", "as it is",
            "`bench/time-steps.sh` and `bench/instr-steps.sh` given `REV+VARIANT` "
            "(`bench/tools/variant.sh -l`): one revision built as it is and with one "
            "design choice taken away, timed in turns (medians) or counted. A cell is "
            "the figure without the choice divided by the figure with it: above 1, "
            "the choice pays that much; below 1, what it costs (the bounds checks, "
            "which weft keeps for the sandbox). The first row is the revision as it is, in "
            "seconds or billions of instructions.")

# "Dispatch by compiler": one revision built by each compiler with each
# dispatch it has, against the default build (GCC, computed goto).
DISPATCH = ("dispatch", "Dispatch by compiler: computed goto or tail calls",
            "GCC, computed-goto loop (the default build)",
            "One revision built by GCC (the default, and what cgo uses unless told "
            "otherwise), clang 14 and clang 19, each with the computed-goto loop and "
            "with handlers that tail-call each other (`bench/tools/variant.sh`: "
            "`clang`, `clang-tail`, `clang19-goto`, `clang19`), timed in turns by "
            "`bench/time-steps.sh` (medians) or counted by `bench/instr-steps.sh`. A "
            "cell is the build's figure divided by the default build's: above 1, "
            "slower than it. The first row is the default build, in seconds or "
            "billions of instructions.")


def steps_section(path, kind):
    """A "What each change paid" section from instr-steps.sh's or
    time-steps.sh's TSV: per revision, each guest's figure at the revision
    before / at this one (above 1, the change paid). Empty when the file is
    absent."""
    steps = read_steps(path)
    if not steps:
        return []
    title, intro, unit = STEPS_INTRO[kind]
    guests, data = steps
    lines = [
        f"## {title}",
        "",
        intro.format(path=os.path.relpath(path, HERE)) + " A cell is the figure at the revision "
        "before divided by the figure at this one: above 1, the change paid.",
        "",
    ] + table_head(["change"] + guests + ["geomean"])
    rev0, subj0, base = data[0]
    lines.append(f"| `{rev0}` (baseline) {subj0} | " +
                 " | ".join(f"{n / unit:.2f}" for n in base) + " | |")
    for (_, _, before), (rev, subj, after) in zip(data, data[1:]):
        ratios = [b / a for b, a in zip(before, after)]
        lines.append(f"| `{rev}` {subj} | " + " | ".join(f"{r:.3f}" for r in ratios) +
                     f" | {geomean(ratios):.3f} |")
    total = [b / a for b, a in zip(base, data[-1][2])]
    lines.append(f"| **all of them** | " + " | ".join(f"**{r:.2f}**" for r in total) +
                 f" | **{geomean(total):.2f}** |")
    lines.append("")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", default=os.path.join(HERE, "RESULTS.md"))
    args = ap.parse_args()

    machine = read_kv(os.path.join(RESULTS, "cli", "machine.txt"))
    gomachine = read_kv(os.path.join(RESULTS, "go-bench.txt"))
    gopath = os.path.join(RESULTS, "go-bench.txt")
    if os.path.exists(gopath):
        with open(gopath) as f:
            first = f.readline()
            m = re.search(r"-c (\d+)", first)
            if m:
                gomachine["count"] = m.group(1)
            mods = [line.split(":", 1)[1].strip() for line in f if line.startswith("module:")]
        gomachine["modules"] = ", ".join(dict.fromkeys(mods)) if mods else "?"
    cli = load_cli()
    go = load_go()
    soak = soak_section(os.path.join(RESULTS, "soak.txt"))
    if not cli and not go and not soak:
        sys.exit("report: no results in bench/results/ (run cli-bench.sh or run-go-bench.sh first)")

    date = machine.get("date") or gomachine.get("date", "?")
    cpu = machine.get("cpu") or gomachine.get("cpu", "?")
    out = [
        "# weft benchmark results",
        "",
        "Generated by `bench/report.py` from the raw results in `bench/results/`; "
        "do not edit by hand. How to rerun: bench/README.md.",
        "",
        f"- Date: {date}" + (f" (Go harness: {gomachine['date']})" if gomachine.get("date") and gomachine.get("date") != date else ""),
        f"- Machine: {cpu}, {machine.get('cores') or gomachine.get('cores', '?')} cores, "
        f"{machine.get('kernel', '?')}",
    ]
    for key, label in (("weft", "weft CLI"), ("wasm-interp", "wasm-interp"),
                       ("wasm3", "wasm3"), ("native", "native builds"),
                       ("hyperfine", "hyperfine")):
        if key in machine:
            out.append(f"- {label}: {machine[key]}")
    if "go" in gomachine:
        out.append(f"- Go: {gomachine['go']}")
    if "weft-tree" in gomachine:
        out.append(f"- weft in the Go harness: built from {gomachine['weft-tree']}")
    loads = []
    for name, kv in (("CLI run", machine), ("Go run", gomachine)):
        if "load-before" in kv:
            loads.append(f"{name} {kv['load-before']} → {kv.get('load-after', '?')}")
    if loads:
        out.append("- Load average (1, 5, 15 min) before → after: " + "; ".join(loads) +
                   ". The machine is shared with other work; figures from a loaded "
                   "machine are noisier and compare only within one table.")
    out.append("")
    out += targets_section(cli, go, machine, gomachine)
    if cli:
        out += cli_section(cli, machine)
        out += native_section(cli, machine)
    if go:
        out += go_section(go, gomachine, cli)
    out += soak
    out += ratio_section(*ABLATION)
    out += ratio_section(*DISPATCH)
    out += steps_section(os.path.join(RESULTS, "time-steps.tsv"), "time")
    out += steps_section(os.path.join(RESULTS, "instr-steps.tsv"), "instr")
    with open(args.o, "w") as f:
        f.write("\n".join(out).rstrip() + "\n")
    print(f"report: wrote {args.o}", file=sys.stderr)


if __name__ == "__main__":
    main()
