#!/usr/bin/env python3
"""dispatch_loops.py SEED — prints a random WAT module shaped like Go's
wasip1 code: one loop opening with a br_table on a local ($pc), its cases
jumping to one another. Most jumps are `local.set $pc (i32.const K); br $L`,
which the compiler sends straight to case K (core/src/compile_dispatch.c);
the rest are variants it must leave alone (br_if, the constant stored
elsewhere or not last, a computed $pc). K ranges past the table (the
default), table entries may name the exit block, and a case may jump from
inside an if or a block. Every case counts, so a run ends after 300 steps.

Exports run0, run7 and run123456: the machine started with that seed,
returning a checksum of its state. Used by dispatch-loops.sh."""
import random
import sys

SEEDS = (0, 7, 123456)


def jump(r, nentries):
    """One jump, usually one the compiler resolves."""
    k = r.randrange(nentries + 3)
    return r.choice([
        f"(local.set $pc (i32.const {k})) (br $L)",
        f"(local.set $pc (i32.const {k})) (br $L)",
        f"(block $x (local.set $pc (i32.const {k})) (br $L))",
        f"(local.set $pc (i32.const {k})) (local.set $o (i32.const {k})) (br $L)",
        f"(local.set $pc (i32.const {k})) (br_if $L (i32.and (local.get $acc) (i32.const 1)))",
        f"(local.set $o (i32.const {k})) (br $L)",
        f"(local.set $pc (i32.add (local.get $acc) (i32.const {k}))) (br $L)",
    ])


def module(seed):
    r = random.Random(seed)
    ncases = r.randint(1, 10)
    entries = [r.randrange(ncases + 1) for _ in range(r.randint(1, ncases + 3))]
    label = lambda k: "$exit" if k == ncases else f"$c{k}"  # ncases: the exit
    out = ["(module"]
    for s in SEEDS:
        out.append(f'(func (export "run{s}") (result i32) (call $machine (i32.const {s})))')
    out += ["(func $machine (param $seed i32) (result i32)",
            "(local $pc i32) (local $acc i32) (local $i i32) (local $o i32)",
            "(local.set $acc (local.get $seed))",
            f"(local.set $pc (i32.const {r.randrange(len(entries) + 2)}))",
            "(block $exit (loop $L"]
    out += [f"(block $c{k}" for k in reversed(range(ncases))]
    out.append("(br_table " + " ".join(label(e) for e in entries) +
               f" {label(r.randrange(ncases))} (local.get $pc)))")
    for k in range(ncases):
        body = [f"(local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const {r.randrange(1, 1000)}))"
                f" (i32.const {7 * k + 1})))",
                "(local.set $i (i32.add (local.get $i) (i32.const 1)))",
                "(br_if $exit (i32.ge_u (local.get $i) (i32.const 300)))"]
        if r.random() < 0.5:
            body.append(f"(if (i32.and (local.get $acc) (i32.const {1 << r.randrange(8)}))"
                        f" (then {jump(r, len(entries))}))")
        if r.random() < 0.3:
            body.append(f"(if (i32.and (local.get $acc) (i32.const 4))"
                        f" (then {jump(r, len(entries))}) (else {jump(r, len(entries))}))")
        body.append(jump(r, len(entries)))
        # case k's code ends block c(k+1); the last case ends the loop body
        out.append(" ".join(body) + (")" if k < ncases - 1 else ""))
    out.append("))")
    out.append("(i32.add (i32.mul (local.get $acc) (i32.const 31))"
               " (i32.add (local.get $pc) (local.get $i)))))")
    return "\n".join(out)


if __name__ == "__main__":
    print(module(int(sys.argv[1])))
