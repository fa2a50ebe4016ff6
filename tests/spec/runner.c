/* runner.c — runs one spec file: sets up a fresh engine, spectest host and
 * module registry, dispatches each command, tallies and prints. */
#include "runner.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "fileio.h"
#include "json.h"
#include "known_messages.h"
#include "spec_file.h"
#include "suite_rules.h"
#include "watchdog.h"

/* Failures printed per file unless -v: enough to see a pattern, few enough
 * that one broken feature does not bury the rest of the output. */
#define FAILURES_SHOWN_PER_FILE 20

/* ------------------------------------------------------------ reporting */

outcome spec_fail(spec_file *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->message, sizeof f->message, fmt, ap);
    va_end(ap);
    return OUTCOME_FAIL;
}

outcome spec_skip(spec_file *f, const char *reason)
{
    f->skip_reason = reason;
    return OUTCOME_SKIP;
}

void spec_note(spec_file *f, const char *fmt, ...)
{
    if (!f->opt->verbose)
        return;
    char msg[SPEC_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    printf("%s:%ld: %s: note: %s\n", f->source, f->line, f->ctype, msg);
}

outcome spec_expect_message(spec_file *f, const char *want, const char *got)
{
    if (strstr(got, want))
        return OUTCOME_PASS;
    const char *reason = known_message_difference(f->source, f->line);
    if (!reason)
        return spec_fail(f, "rejected with \"%s\", expected \"%s\"", got, want);
    f->known_message_diffs++;
    spec_note(f, "expected \"%s\", engine said \"%s\" (known: %s)", want, got, reason);
    return OUTCOME_PASS;
}

static void tally_skip(spec_file *f, const char *reason, unsigned long n)
{
    f->counts.skipped += n;
    for (size_t i = 0; i < f->nskips; i++) {
        if (f->skips[i].reason == reason) {
            f->skips[i].count += n;
            return;
        }
    }
    if (f->nskips < MAX_SKIP_REASONS) {
        f->skips[f->nskips].reason = reason;
        f->skips[f->nskips].count = n;
        f->nskips++;
    }
}

static void report_failure(spec_file *f)
{
    f->counts.failed++;
    if (!f->opt->verbose && f->counts.failed > FAILURES_SHOWN_PER_FILE) {
        f->failures_hidden++;
        return;
    }
    if (f->line > 0)
        printf("%s:%ld: %s: %s\n", f->source, f->line, f->ctype, f->message);
    else
        printf("%s: %s\n", f->source, f->message);
}

static void tally(spec_file *f, outcome o)
{
    switch (o) {
    case OUTCOME_NONE: break;
    case OUTCOME_PASS: f->counts.passed++; break;
    case OUTCOME_FAIL: report_failure(f); break;
    case OUTCOME_SKIP:
        tally_skip(f, f->skip_reason, 1);
        if (f->opt->verbose)
            printf("%s:%ld: %s: skipped: %s\n", f->source, f->line, f->ctype, f->skip_reason);
        break;
    }
}

static void print_summary(const spec_file *f)
{
    if (f->failures_hidden)
        printf("%s: %lu more failures not shown (use -v)\n", f->source, f->failures_hidden);
    if (f->opt->quiet && f->counts.failed == 0)
        return;
    printf("%s: %lu passed, %lu failed, %lu skipped", path_base(f->path), f->counts.passed,
           f->counts.failed, f->counts.skipped);
    for (size_t i = 0; i < f->nskips; i++)
        printf("%s%s: %lu", i ? "; " : " [skipped: ", f->skips[i].reason, f->skips[i].count);
    printf("%s", f->nskips ? "]" : "");
    if (f->known_message_diffs)
        printf(" [%lu rejected with a known, documented message difference]",
               f->known_message_diffs);
    printf("\n");
}

/* A problem with the file itself (unreadable, not JSON): one failure. */
static void file_failure(spec_file *f, const char *what, const char *detail)
{
    f->ctype = "file";
    snprintf(f->message, sizeof f->message, "%s: %s", what, detail);
    report_failure(f);
}

/* ------------------------------------------------------------- commands */

static void run_command(spec_file *f, const json_value *cmd)
{
    const json_string *type = json_get_string(cmd, "type");
    const command_def *def = type ? command_find(type) : NULL;
    f->line = json_get_long(cmd, "line", 0);
    f->ctype = type ? type->chars : "?";
    watchdog_locate(f->source, f->line);
    if (!def) {
        tally(f, spec_fail(f, "unknown command type"));
        return;
    }
    tally(f, def->run(f, cmd));
}

static weft_engine *engine_for(const char *path)
{
    weft_config *c = weft_config_new();
    if (!c)
        return NULL;
    weft_config_set_features(c, WEFT_FEATURES_V2 | suite_extra_features(path));
    weft_engine *e = weft_engine_new(c);
    weft_config_delete(c);
    return e;
}

static void run_all(spec_file *f, const json_value *commands)
{
    f->engine = engine_for(f->path);
    f->host = f->engine ? spectest_host_new(f->engine, f->opt->verbose) : NULL;
    if (!f->host) {
        file_failure(f, "setup", "cannot create the engine or the spectest host");
    } else {
        registry_init(&f->reg, f->host);
        for (size_t i = 0; i < commands->u.array.count; i++)
            run_command(f, &commands->u.array.items[i]);
        registry_free(&f->reg);
    }
    spectest_host_delete(f->host);
    if (f->engine)
        weft_engine_delete(f->engine);
}

/* ----------------------------------------------------------------- file */

static void run_document(spec_file *f, const json_doc *doc)
{
    const json_value *commands = json_get(&doc->root, "commands");
    const json_string *source = json_get_string(&doc->root, "source_filename");
    if (source)
        snprintf(f->source, sizeof f->source, "%s", path_base(source->chars));
    if (!commands || commands->type != JSON_ARRAY) {
        file_failure(f, "bad spec file", "no \"commands\" array");
        return;
    }
    f->dir = path_dir(f->path);
    if (!f->dir)
        file_failure(f, "setup", "out of memory");
    else
        run_all(f, commands);
    free(f->dir);
}

void runner_run_file(const char *path, const runner_options *opt, spec_counts *totals)
{
    spec_file f;
    memset(&f, 0, sizeof f);
    f.path = path;
    snprintf(f.source, sizeof f.source, "%s", path_base(path));
    f.opt = opt;
    if (opt->verbose)
        printf("%s: running\n", path);
    size_t len = 0;
    char *bytes = file_read(path, &len);
    if (!bytes) {
        file_failure(&f, "cannot read", strerror(errno));
    } else {
        json_doc doc;
        char err[JSON_ERROR_SIZE];
        int parsed = json_parse(bytes, len, &doc, err);
        free(bytes); /* the document holds copies of everything it needs */
        if (!parsed) {
            file_failure(&f, "invalid JSON", err);
        } else {
            run_document(&f, &doc);
            json_doc_free(&doc);
        }
    }
    print_summary(&f);
    totals->passed += f.counts.passed;
    totals->failed += f.counts.failed;
    totals->skipped += f.counts.skipped;
}
