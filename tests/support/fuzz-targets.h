/* fuzz-targets.h: one entry per input format, fed raw bytes. The libFuzzer
 * harnesses (tests/fuzz/fuzz.c, make fuzz) and the corpus replay in
 * make test (tests/test-fuzz-corpus.c) call the same functions, so every
 * input that ever crashed or hung a harness keeps running under ASan.
 * Each function must neither crash, hang nor leak on any input. */
#ifndef KBSIM_FUZZ_TARGETS_H
#define KBSIM_FUZZ_TARGETS_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

typedef void (*FuzzTarget) (const uint8_t *data, size_t len);

void fuzz_yaml (const uint8_t *data, size_t len);
void fuzz_units (const uint8_t *data, size_t len);
void fuzz_cron (const uint8_t *data, size_t len);
void fuzz_scenario (const uint8_t *data, size_t len);
void fuzz_set (const uint8_t *data, size_t len);

/* The target called name ("yaml", "units", ...), or NULL. */
FuzzTarget fuzz_target_find (const char *name);

G_END_DECLS

#endif
