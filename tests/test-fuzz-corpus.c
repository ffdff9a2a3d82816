/* test-fuzz-corpus.c: every input kept in tests/data/fuzz/TARGET/ (those
 * that once crashed or hung a harness of make fuzz, and hand-made hostile
 * ones) is fed to its target again: under make test-asan any crash, leak
 * or undefined behaviour fails. One test case per file. */
#include <string.h>

#include <glib.h>
#include <gsl/gsl_errno.h>

#include "tests/support/fuzz-targets.h"

static int
by_name (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

static void
replay (gconstpointer data)
{
    const char *path = data;
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *target = g_path_get_basename (dir);
    g_autofree char *bytes = NULL;
    FuzzTarget fn = fuzz_target_find (target);
    gsize len;

    g_assert_nonnull (fn);
    g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
    fn ((const uint8_t *) bytes, len);
}

/* Every folder under tests/data/fuzz/ names a target. */
static void
test_folders_name_targets (void)
{
    g_autofree char *root = g_test_build_filename (G_TEST_DIST, "data",
                                                   "fuzz", NULL);
    GDir *d = g_dir_open (root, 0, NULL);
    const char *name;
    guint n = 0;

    g_test_summary ("each corpus folder names a fuzz target");
    g_assert_nonnull (d);
    while ((name = g_dir_read_name (d)) != NULL) {
        g_assert_nonnull (fuzz_target_find (name));
        n++;
    }
    g_dir_close (d);
    g_assert_cmpuint (n, >=, 1);
}

int
main (int argc, char **argv)
{
    g_autofree char *root = NULL;
    g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
    GDir *d;
    const char *t;

    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    root = g_test_build_filename (G_TEST_DIST, "data", "fuzz", NULL);
    g_test_add_func ("/fuzz-corpus/folders-name-targets",
                     test_folders_name_targets);
    if ((d = g_dir_open (root, 0, NULL)) != NULL) {
        while ((t = g_dir_read_name (d)) != NULL) {
            g_autofree char *sub = g_build_filename (root, t, NULL);
            GDir *f = g_dir_open (sub, 0, NULL);
            const char *file;

            while (f != NULL && (file = g_dir_read_name (f)) != NULL)
                g_ptr_array_add (paths, g_build_filename (sub, file, NULL));
            if (f != NULL)
                g_dir_close (f);
        }
        g_dir_close (d);
    }
    g_ptr_array_sort (paths, by_name);
    for (guint i = 0; i < paths->len; i++) {
        const char *p = g_ptr_array_index (paths, i);
        g_autofree char *rel = g_strdup (p + strlen (root));
        g_autofree char *name = g_strconcat ("/fuzz-corpus", rel, NULL);

        g_test_add_data_func (name, p, replay);
    }
    return g_test_run ();
}
