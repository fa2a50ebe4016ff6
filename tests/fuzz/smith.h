/* smith.h — the C face of tests/fuzz/smith (a Rust staticlib around
 * wasm-smith): fuzzer bytes in, a valid WebAssembly module out, limited to
 * the features weft implements (WebAssembly 2.0 and tail calls). */
#ifndef WEFT_FUZZ_SMITH_H
#define WEFT_FUZZ_SMITH_H

#include <stddef.h>
#include <stdint.h>

/* Flags (as in smith/src/lib.rs). */
#define SMITH_TERMINATE 1u  /* wasm-smith's own fuel counter in every function and loop */
#define SMITH_CANON_NANS 2u /* canonical NaNs after every float operation */
#define SMITH_NO_IMPORTS 4u /* no imports */
#define SMITH_PORTABLE 8u   /* for a second engine: export everything, memories bounded */

/* Builds a module from len bytes at data. Returns 1 and sets *out and *out_len
 * (free with weft_fuzz_smith_free), or 0 when wasm-smith made none. */
int weft_fuzz_smith(const uint8_t *data, size_t len, uint32_t flags, uint8_t **out,
                    size_t *out_len);
void weft_fuzz_smith_free(uint8_t *p, size_t len);

#endif
