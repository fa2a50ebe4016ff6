//! weft-smith: writes wasm-smith modules for weft's differential driver
//! (tests/fuzz/diff.sh) and turns fuzz_exec inputs into the modules they
//! stand for.
//!
//!   weft-smith gen [--terminate] [--canon-nans] [--no-imports] [--portable]
//!                  [--diff] --seed S --count N --out DIR
//!       N modules from seeds S..S+N, each from a pseudo-random byte
//!       string of pseudo-random length; writes DIR/seed-<k>.wasm.
//!       --diff is all four flags: what the differential needs.
//!   weft-smith convert [flags] INPUT OUTPUT.wasm
//!       the module a fuzz_exec input (a crash file) generates.

use std::process::exit;
use weft_fuzz_smith::{
    generate, SMITH_CANON_NANS, SMITH_NO_IMPORTS, SMITH_PORTABLE, SMITH_TERMINATE,
};

fn usage() -> ! {
    eprintln!(
        "usage: weft-smith gen [--terminate] [--canon-nans] [--no-imports] [--portable] [--diff] --seed S --count N --out DIR\n       weft-smith convert [flags] INPUT OUTPUT.wasm"
    );
    exit(2)
}

/// splitmix64: a small, well-mixed generator; the seed alone fixes the module.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Entropy for one seed: 64 B to 16 KiB of pseudo-random bytes.
fn entropy(seed: u64) -> Vec<u8> {
    let mut g = SplitMix(seed);
    let len = 64 + (g.next() % (16 * 1024 - 64)) as usize;
    let mut v = Vec::with_capacity(len + 8);
    while v.len() < len {
        v.extend_from_slice(&g.next().to_le_bytes());
    }
    v.truncate(len);
    v
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        usage();
    }
    let mut flags = 0u32;
    let mut seed = 0u64;
    let mut count = 1u64;
    let mut out = None;
    let mut rest = Vec::new();
    let mut i = 1;
    while i < args.len() {
        let a = args[i].as_str();
        let mut value = || {
            i += 1;
            args.get(i).cloned().unwrap_or_else(|| usage())
        };
        match a {
            "--terminate" => flags |= SMITH_TERMINATE,
            "--canon-nans" => flags |= SMITH_CANON_NANS,
            "--no-imports" => flags |= SMITH_NO_IMPORTS,
            "--portable" => flags |= SMITH_PORTABLE,
            // All that the differential needs.
            "--diff" => {
                flags |= SMITH_TERMINATE | SMITH_CANON_NANS | SMITH_NO_IMPORTS | SMITH_PORTABLE
            }
            "--seed" => seed = value().parse().unwrap_or_else(|_| usage()),
            "--count" => count = value().parse().unwrap_or_else(|_| usage()),
            "--out" => out = Some(value()),
            _ if a.starts_with("--") => usage(),
            _ => rest.push(a.to_string()),
        }
        i += 1;
    }
    match args[0].as_str() {
        "gen" => {
            let dir = out.unwrap_or_else(|| usage());
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| {
                eprintln!("weft-smith: {dir}: {e}");
                exit(1)
            });
            let mut made = 0;
            for k in seed..seed + count {
                if let Some(wasm) = generate(&entropy(k), flags) {
                    let path = format!("{dir}/seed-{k}.wasm");
                    std::fs::write(&path, wasm).unwrap_or_else(|e| {
                        eprintln!("weft-smith: {path}: {e}");
                        exit(1)
                    });
                    made += 1;
                }
            }
            eprintln!("weft-smith: {made} modules in {dir}");
        }
        "convert" => {
            if rest.len() != 2 {
                usage();
            }
            let input = std::fs::read(&rest[0]).unwrap_or_else(|e| {
                eprintln!("weft-smith: {}: {e}", rest[0]);
                exit(1)
            });
            match generate(&input, flags) {
                Some(wasm) => std::fs::write(&rest[1], wasm).unwrap_or_else(|e| {
                    eprintln!("weft-smith: {}: {e}", rest[1]);
                    exit(1)
                }),
                None => {
                    eprintln!("weft-smith: wasm-smith made no module of {}", rest[0]);
                    exit(1)
                }
            }
        }
        _ => usage(),
    }
}
