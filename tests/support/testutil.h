/* testutil.h: helpers the test binaries share (linked into each). */
#ifndef KBSIM_TESTUTIL_H
#define KBSIM_TESTUTIL_H

#include "scenarios/scenario.h"

G_BEGIN_DECLS

/* Loads scenario text through a temporary file, as a user's would be;
 * fails the test on any error. (transfer full): scenario_free(). */
Scenario *testutil_load_text (const char *yaml);
/* Loads scenarios/NAME from the source tree; fails the test on error.
 * (transfer full): scenario_free(). */
Scenario *testutil_load_example (const char *name);

/* The text pdftotext finds in pdf; fails the test when pdftotext fails.
 * Without pdftotext it marks the test skipped (g_test_skip) and returns
 * NULL: the caller returns. (transfer full): g_free(). */
char *testutil_pdf_text (const char *pdf);
/* The same with every run of blanks and line breaks made one space, so
 * wrapped lines still match. */
char *testutil_pdf_words (const char *pdf);

/* Runs $KBSIM (./kbsim when unset) in dir (NULL: here) with the
 * NULL-terminated args, to completion; stdout and stderr into *out and
 * *err when they are not NULL. Returns the exit status, 128 when it was
 * killed by a signal. */
int testutil_kbsim (const char *dir, const char *const *args, char **out,
                    char **err);

/* Frees what pango, cairo and fontconfig keep for the life of the
 * process, so that LeakSanitizer reports only our own leaks. Call last. */
void testutil_release_fonts (void);

/* Asserts that haystack holds (or lacks) needle; on failure the message
 * shows both, where g_assert_nonnull (strstr (...)) shows only "NULL". */
#define testutil_assert_contains(haystack, needle) \
    testutil__assert_contains (__FILE__, __LINE__, G_STRFUNC, #haystack, \
                               (haystack), (needle), TRUE)
#define testutil_assert_lacks(haystack, needle) \
    testutil__assert_contains (__FILE__, __LINE__, G_STRFUNC, #haystack, \
                               (haystack), (needle), FALSE)
void testutil__assert_contains (const char *file, int line, const char *func,
                                const char *expr, const char *haystack,
                                const char *needle, gboolean want);

G_END_DECLS

#endif
