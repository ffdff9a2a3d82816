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

/* The text pdftotext finds in pdf, every run of blanks and line breaks
 * made one space, so wrapped lines still match; fails the test when
 * pdftotext fails. NULL when pdftotext is not installed.
 * (transfer full): g_free(). */
char *testutil_pdf_words (const char *pdf);

/* Frees what pango, cairo and fontconfig keep for the life of the
 * process, so that LeakSanitizer reports only our own leaks. Call last. */
void testutil_release_fonts (void);

G_END_DECLS

#endif
