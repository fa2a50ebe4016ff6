//! wasm-smith configured for what weft implements: WebAssembly 2.0 (SIMD,
//! reference types, bulk memory, multi-value, ...) plus tail calls. Nothing
//! of threads, GC, exceptions, memory64, multi-memory, relaxed SIMD,
//! extended-const or the other later proposals.
//!
//! The C entry points are declared in ../smith.h.

use arbitrary::{Arbitrary, Unstructured};
use std::panic::{catch_unwind, AssertUnwindSafe};
use wasm_smith::{Config, Module};

/// Flag: add wasm-smith's own fuel counter (an exported global decremented
/// at every function entry and loop head; unreachable when it runs out) so
/// that every export terminates in any engine.
pub const SMITH_TERMINATE: u32 = 1;
/// Flag: canonicalize NaNs after every float operation, so that engines
/// agree bit for bit on memory contents and results.
pub const SMITH_CANON_NANS: u32 = 2;
/// Flag: no imports (the second engine of the differential has none to give).
pub const SMITH_NO_IMPORTS: u32 = 4;
/// Flag: for comparing with another engine: everything exported (so that
/// all state is observed) and every memory with a maximum (so that
/// memory.grow and table.grow cannot ask either engine for gigabytes).
pub const SMITH_PORTABLE: u32 = 8;

/// Fuel for SMITH_TERMINATE: well under the smallest call-depth limit of
/// the engines compared (wazero's interpreter: 2000 frames), so recursion
/// runs out of fuel before it exhausts any engine's stack.
pub const TERMINATE_FUEL: u32 = 1000;

/// Largest initial or maximum memory generated: 16 MiB, the fuzz engines'
/// configured limit (a bigger memory would fail to instantiate, not run).
const MAX_MEMORY_BYTES: u64 = 256 * 65536;
/// Largest table generated.
const MAX_TABLE_ELEMENTS: u64 = 10_000;

/// A swarm configuration (each input picks its own limits and features)
/// narrowed to what weft supports.
pub fn config(u: &mut Unstructured, flags: u32) -> arbitrary::Result<Config> {
    let mut c = Config::arbitrary(u)?;
    // Proposals weft does not implement.
    c.exceptions_enabled = false;
    c.threads_enabled = false;
    c.shared_everything_threads_enabled = false;
    c.acquire_release_atomics_enabled = false;
    c.gc_enabled = false;
    c.custom_descriptors_enabled = false;
    c.multibyte_array_access_enabled = false;
    c.limit_arrays_in_const_exprs = false;
    c.compact_imports_enabled = false;
    c.memory64_enabled = false;
    c.relaxed_simd_enabled = false;
    c.extended_const_enabled = false;
    c.wide_arithmetic_enabled = false;
    c.custom_page_sizes_enabled = false;
    c.max_tags = 0;
    // Multi-memory is not 2.0; several tables are (with reference types).
    c.max_memories = c.max_memories.min(1);
    c.max_tables = if c.reference_types_enabled { c.max_tables.min(4) } else { c.max_tables.min(1) };
    // Sizes that instantiate under the fuzz engines' limits and keep one
    // input fast.
    c.max_memory32_bytes = c.max_memory32_bytes.min(MAX_MEMORY_BYTES);
    c.max_table_elements = c.max_table_elements.min(MAX_TABLE_ELEMENTS);
    c.max_funcs = c.max_funcs.min(100);
    c.max_types = c.max_types.min(100);
    c.max_globals = c.max_globals.min(100);
    c.max_exports = c.max_exports.min(100);
    c.max_imports = if flags & SMITH_NO_IMPORTS != 0 { 0 } else { c.max_imports.min(20) };
    c.max_element_segments = c.max_element_segments.min(50);
    c.max_data_segments = c.max_data_segments.min(50);
    c.max_elements = c.max_elements.min(100);
    c.canonicalize_nans = flags & SMITH_CANON_NANS != 0;
    if flags & SMITH_PORTABLE != 0 {
        c.export_everything = true;
        c.memory_max_size_required = true;
        c.table_max_size_required = true; // table.grow cannot ask for 2^32 either
        // The differential learns only from calls: always some functions,
        // with bodies of some length (the swarm often picks none).
        c.max_types = c.max_types.max(10);
        c.max_funcs = c.max_funcs.max(10);
        c.min_types = 1;
        c.min_funcs = 1;
        c.max_instructions = c.max_instructions.max(200);
    }
    Ok(c)
}

/// A valid module from arbitrary bytes, or None when wasm-smith gives up.
pub fn generate(data: &[u8], flags: u32) -> Option<Vec<u8>> {
    let mut u = Unstructured::new(data);
    let config = config(&mut u, flags).ok()?;
    let mut module = Module::new(config, &mut u).ok()?;
    if flags & SMITH_TERMINATE != 0 {
        module.ensure_termination(TERMINATE_FUEL).ok()?;
    }
    Some(module.to_bytes())
}

/// C entry: builds a module from `len` bytes at `data`. Returns 1 and sets
/// `*out` / `*out_len` (free with weft_fuzz_smith_free), or 0. Never
/// unwinds into C.
///
/// # Safety
/// `data` must point to `len` readable bytes (or be anything when len is
/// 0); `out` and `out_len` must be valid for writes.
#[no_mangle]
pub unsafe extern "C" fn weft_fuzz_smith(
    data: *const u8,
    len: usize,
    flags: u32,
    out: *mut *mut u8,
    out_len: *mut usize,
) -> i32 {
    let input: &[u8] = if len == 0 || data.is_null() {
        &[]
    } else {
        std::slice::from_raw_parts(data, len)
    };
    match catch_unwind(AssertUnwindSafe(|| generate(input, flags))) {
        Ok(Some(bytes)) => {
            let b = bytes.into_boxed_slice();
            *out_len = b.len();
            *out = Box::into_raw(b) as *mut u8;
            1
        }
        _ => 0,
    }
}

/// Frees what weft_fuzz_smith returned.
///
/// # Safety
/// `p` / `len` must come from one successful weft_fuzz_smith call, once.
#[no_mangle]
pub unsafe extern "C" fn weft_fuzz_smith_free(p: *mut u8, len: usize) {
    if !p.is_null() {
        drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(p, len)));
    }
}
