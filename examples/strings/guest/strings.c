/* strings.c — string functions for the Go host in ../main.go. Strings cross
 * the boundary as (pointer, length) into this module's memory: the host
 * allocates the input with the exported malloc and writes it; each function
 * returns a new string, allocated with malloc, that the host reads and
 * frees.
 *
 * Two ways to return the (pointer, length) pair:
 *   upper    packs it into one i64: ptr << 32 | len (works with any
 *            toolchain)
 *   reverse  returns a struct, which clang's experimental multi-value ABI
 *            (-mmultivalue -Xclang -target-abi -Xclang experimental-mv)
 *            turns into two i32 results
 */
#include <stdint.h>
#include <stdlib.h>

#define EXPORT(name) __attribute__((export_name(name)))

typedef struct {
    char *ptr;
    uint32_t len;
} string;

/* upper returns s with its ASCII letters in upper case. */
EXPORT("upper")
uint64_t upper(const char *s, uint32_t len)
{
    char *out = malloc(len ? len : 1);
    if (!out)
        return 0; /* ptr 0: the host reports the failure */
    for (uint32_t i = 0; i < len; i++) {
        char c = s[i];
        out[i] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
    }
    return (uint64_t)(uintptr_t)out << 32 | len;
}

/* utf8_len returns the length of the UTF-8 sequence that starts with byte
 * b (1 for an invalid lead byte, so bad input is reversed byte by byte). */
static uint32_t utf8_len(unsigned char b)
{
    if (b >= 0xf0 && b <= 0xf4)
        return 4;
    if (b >= 0xe0)
        return b <= 0xef ? 3 : 1;
    if (b >= 0xc2)
        return 2;
    return 1;
}

/* reverse returns s with its characters (UTF-8 code points) in reverse
 * order. */
EXPORT("reverse")
string reverse(const char *s, uint32_t len)
{
    char *out = malloc(len ? len : 1);
    if (!out)
        return (string){0, 0};
    uint32_t i = 0;
    while (i < len) {
        uint32_t n = utf8_len((unsigned char)s[i]);
        if (n > len - i)
            n = 1;
        for (uint32_t k = 0; k < n; k++) /* the character keeps its byte order */
            out[len - i - n + k] = s[i + k];
        i += n;
    }
    return (string){out, len};
}
