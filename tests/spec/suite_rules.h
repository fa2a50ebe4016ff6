/* suite_rules.h — what the runner knows about the suite's layout: which
 * files are skipped and why, and which proposals need extra features. */
#ifndef SPEC_SUITE_RULES_H
#define SPEC_SUITE_RULES_H

#include <stdint.h>

/* Skip reason of a module in the text format (.wat): we run binaries only. */
#define SKIP_TEXT_FORMAT "text format"

/* The reason a whole file is skipped, or NULL to run it. `base` is the file
 * name without directory. */
const char *suite_file_skip_reason(const char *base);
/* Prints the file skip rules in force, one line each, with their reasons
 * and how to lift them. */
void suite_print_rules(void);
/* Feature bits a file needs beyond WEFT_FEATURES_V2, by the name of the
 * directory it sits in (e.g. the tail-call proposal's suite). */
uint32_t suite_extra_features(const char *json_path);

#endif /* SPEC_SUITE_RULES_H */
