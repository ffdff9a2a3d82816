/* testutil.c: see testutil.h. */
#include "tests/support/testutil.h"

#include <string.h>

#include "reports/chart.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <sys/wait.h>
#include <pango/pangocairo.h>

Scenario *
testutil_load_text (const char *yaml)
{
    g_autofree char *dir = g_dir_make_tmp ("kbsim-test-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "s.yaml", NULL);
    g_autoptr (GError) error = NULL;
    Scenario *s;

    g_assert_true (g_file_set_contents (path, yaml, -1, NULL));
    s = scenario_load (path, NULL, &error);
    g_assert_no_error (error);
    g_unlink (path);
    g_rmdir (dir);
    return s;
}

Scenario *
testutil_load_example (const char *name)
{
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..",
                                                   "scenarios", name, NULL);
    g_autoptr (GError) error = NULL;
    Scenario *s = scenario_load (path, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (s);
    return s;
}

/* FcFini() frees fontconfig's configuration and caches; the build does
 * not link fontconfig directly (pango loads it), so it is looked up in
 * the library already loaded. */
void
testutil_release_fonts (void)
{
    chart_release_fonts ();
}

char *
testutil_pdf_text (const char *pdf)
{
    g_autofree char *tool = g_find_program_in_path ("pdftotext");
    const char *argv[] = { "pdftotext", "-q", "-enc", "UTF-8", pdf, "-",
                           NULL };
    char *out = NULL;
    int status;

    if (tool == NULL) {
        g_test_skip ("pdftotext (poppler-utils) is not installed");
        return NULL;
    }
    argv[0] = tool;
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                                 G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &out, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    return out;
}

char *
testutil_pdf_words (const char *pdf)
{
    char *out = testutil_pdf_text (pdf);
    char *w;
    gboolean blank = FALSE;

    if (out == NULL)
        return NULL;
    w = out;
    for (const char *r = out; *r; r++) {
        gboolean b = g_ascii_isspace (*r);

        if (!b || !blank)
            *w++ = b ? ' ' : *r;
        blank = b;
    }
    *w = '\0';
    return out;
}

void
testutil__assert_contains (const char *file, int line, const char *func,
                           const char *expr, const char *haystack,
                           const char *needle, gboolean want)
{
    g_autofree char *msg = NULL;
    gboolean found;

    if (haystack == NULL) {
        msg = g_strdup_printf ("%s is NULL, looking for \"%s\"", expr,
                               needle);
        g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
        return;
    }
    found = strstr (haystack, needle) != NULL;
    if (found == want)
        return;
    msg = g_strdup_printf ("%s %s \"%s\"; it reads:\n%s", expr,
                           want ? "lacks" : "holds", needle, haystack);
    g_assertion_message (G_LOG_DOMAIN, file, line, func, msg);
}

int
testutil_kbsim (const char *dir, const char *const *args, char **out,
                char **err)
{
    const char *prog = g_getenv ("KBSIM");
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_autofree char *o = NULL;
    g_autofree char *e = NULL;
    g_autoptr (GError) error = NULL;
    int status;

    g_ptr_array_add (argv, (gpointer) (prog ? prog : "./kbsim"));
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add (argv, (gpointer) args[i]);
    g_ptr_array_add (argv, NULL);
    g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL,
                                 G_SPAWN_DEFAULT, NULL, NULL, &o, &e,
                                 &status, &error));
    g_assert_no_error (error);
    if (out)
        *out = g_steal_pointer (&o);
    if (err)
        *err = g_steal_pointer (&e);
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}
