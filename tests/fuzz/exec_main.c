/* exec_main.c — weft-fuzz-exec, the command-line face of exec_harness.c:
 *
 *   weft-fuzz-exec [--out DIR] FILE.wasm|DIR...
 *       transcripts as the differential compares them: no weft fuel (the
 *       modules carry wasm-smith's counter), a fresh instance per export.
 *       To stdout, or to DIR/NAME.txt for each NAME.wasm.
 *   weft-fuzz-exec --check FILE.wasm|DIR...
 *       fuzz_exec's checks (fx_check_wasm) on each module: ctest replays
 *       regress/exec this way.
 *   weft-fuzz-exec --expect FILE.wasm|DIR...
 *       the transcript of each NAME.wasm must equal NAME.expected (what the
 *       second engine said): ctest replays regress/diff this way.
 * In a directory, only *.wasm files are read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec_harness.h"
#include "files.h"

typedef enum { MODE_PRINT, MODE_CHECK, MODE_EXPECT } mode_t_;

typedef struct run {
    mode_t_ mode;
    const char *out_dir;
    weft_engine *plain, *fueled;
    long done, failed;
} run;

static const fx_opts diff_opts = {.fuel = 0, .fresh_instance = true};

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* path with its .wasm suffix replaced by `ext`, optionally in another dir. */
static char *sibling(const char *path, const char *dir, const char *ext)
{
    const char *base = path;
    if (dir) {
        const char *slash = strrchr(path, '/');
        base = slash ? slash + 1 : path;
    }
    size_t stem = strlen(base) - strlen(".wasm");
    size_t len = (dir ? strlen(dir) + 1 : 0) + stem + strlen(ext) + 1;
    char *p = malloc(len);
    if (!p)
        abort();
    snprintf(p, len, "%s%s%.*s%s", dir ? dir : "", dir ? "/" : "", (int)stem, base, ext);
    return p;
}

static void one(const char *path, void *env)
{
    run *r = env;
    if (!has_suffix(path, ".wasm"))
        return;
    size_t len;
    uint8_t *wasm = fx_read_file(path, &len);
    if (!wasm) {
        r->failed++;
        return;
    }
    r->done++;
    if (r->mode == MODE_CHECK) {
        fx_check_wasm(r->fueled, wasm, len); /* aborts on failure */
        free(wasm);
        return;
    }
    fx_text t = {0};
    fx_run_wasm(r->plain, wasm, len, &diff_opts, &t);
    free(wasm);
    const char *text = t.p ? t.p : "";
    if (r->mode == MODE_PRINT && !r->out_dir) {
        printf("== %s\n%s", path, text);
    } else if (r->mode == MODE_PRINT) {
        char *out = sibling(path, r->out_dir, ".txt");
        FILE *f = fopen(out, "w");
        if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
            fprintf(stderr, "%s: cannot write\n", out);
            r->failed++;
        }
        free(out);
    } else {
        char *exp_path = sibling(path, NULL, ".expected");
        size_t exp_len;
        uint8_t *exp = fx_read_file(exp_path, &exp_len);
        if (!exp || exp_len != t.len || memcmp(exp, text, t.len) != 0) {
            fprintf(stderr, "%s: transcript differs from %s:\n%s", path, exp_path, text);
            r->failed++;
        }
        free(exp);
        free(exp_path);
    }
    fx_text_free(&t);
}

int main(int argc, char **argv)
{
    run r = {.mode = MODE_PRINT};
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (strcmp(argv[i], "--check") == 0)
            r.mode = MODE_CHECK;
        else if (strcmp(argv[i], "--expect") == 0)
            r.mode = MODE_EXPECT;
        else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
            r.out_dir = argv[++i];
        else
            break;
    }
    if (i >= argc || argv[i][0] == '-') {
        fprintf(stderr, "usage: weft-fuzz-exec [--out DIR | --check | --expect] FILE.wasm|DIR...\n");
        return 2;
    }
    r.plain = fx_engine_new(false);
    r.fueled = fx_engine_new(true);
    long n = fx_each_file(argc - i, argv + i, one, &r);
    weft_engine_delete(r.plain);
    weft_engine_delete(r.fueled);
    if (n < 0)
        return 1;
    if (r.mode != MODE_PRINT || r.failed)
        fprintf(stderr, "weft-fuzz-exec: %ld modules, %ld failed\n", r.done, r.failed);
    return r.failed ? 1 : 0;
}
