/* fuzz.c: a libFuzzer harness for one input format. Built once per
 * target with -DFUZZ_TARGET=fuzz_<name> by make fuzz (see
 * tests/support/fuzz-targets.h for the targets). */
#include <gsl/gsl_errno.h>

#include "tests/support/fuzz-targets.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t len);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
    (void) argc;
    (void) argv;
    gsl_set_error_handler_off ();
    return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t len)
{
    FUZZ_TARGET (data, len);
    return 0;
}
