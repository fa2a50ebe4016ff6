/* guest.c — the Wasm side of examples/c-host. Built with
 *   clang --target=wasm32-wasi -O2 -nostdlib -Wl,--no-entry -Wl,--export=summarize
 * It imports two host functions from "env" and exports `summarize`. */
#include <stdint.h>

/* Host functions, implemented in C by host.c with their natural signatures. */
__attribute__((import_module("env"), import_name("print")))
void host_print(const char *text, int32_t len);
__attribute__((import_module("env"), import_name("scale")))
double host_scale(int32_t value, double factor);

static int32_t format_int(char *out, int32_t v)
{
    char digits[12];
    int32_t n = 0, len = 0;
    uint32_t u = v < 0 ? (uint32_t)0 - (uint32_t)v : (uint32_t)v;
    do {
        digits[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[len++] = '-';
    while (n)
        out[len++] = digits[--n];
    return len;
}

/* Sums host_scale(i, factor) for i in [1, n] and reports through print. */
__attribute__((export_name("summarize")))
double summarize(int32_t n, double factor)
{
    double total = 0;
    for (int32_t i = 1; i <= n; i++)
        total += host_scale(i, factor);
    static char line[64] = "guest: summed values 1..";
    int32_t len = 24;
    len += format_int(line + len, n);
    host_print(line, len);
    return total;
}
