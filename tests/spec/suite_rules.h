/* suite_rules.h — what the runner knows about the suite's layout: what is
 * skipped and why, and which proposals need extra features. Every file of
 * the suite runs (SIMD included); only text-format modules are skipped. */
#ifndef SPEC_SUITE_RULES_H
#define SPEC_SUITE_RULES_H

#include <stdint.h>

/* Skip reason of a module in the text format (.wat): we run binaries only. */
#define SKIP_TEXT_FORMAT "text format"

/* Feature bits a file needs beyond WEFT_FEATURES_V2, by the name of the
 * directory it sits in (e.g. the tail-call proposal's suite). */
uint32_t suite_extra_features(const char *json_path);

#endif /* SPEC_SUITE_RULES_H */
