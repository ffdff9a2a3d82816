/* test-golden.c: every scenario and lesson writes the same files as when
 * tests/golden/outputs.sha256 was last written on purpose.
 *
 * History: the architecture issue moved most of the code between folders
 * and promised byte-identical output across the moves; this test holds
 * that promise, and later ones that change numbers on purpose say so by
 * rewriting the list (tests/golden/outputs.sh --write). */
#include <string.h>

#include <glib.h>

static void
test_outputs_unchanged (void)
{
    g_autofree char *root = g_test_build_filename (G_TEST_DIST, "..", NULL);
    g_autofree char *want = NULL;
    g_autofree char *got = NULL;
    g_autofree char *err = NULL;
    g_autoptr (GError) error = NULL;
    g_autoptr (GHashTable) expected =
        g_hash_table_new (g_str_hash, g_str_equal);
    const char *argv[] = { "sh", "tests/golden/outputs.sh", NULL };
    g_auto (GStrv) want_lines = NULL;
    g_auto (GStrv) got_lines = NULL;
    guint mismatches = 0, i;
    int status;

    g_test_summary ("the checksums of each scenario's and lesson's outputs "
                    "equal tests/golden/outputs.sha256");
    {
        g_autofree char *path = g_build_filename (root, "tests", "golden",
                                                  "outputs.sha256", NULL);
        g_file_get_contents (path, &want, NULL, &error);
        g_assert_no_error (error);
    }
    g_spawn_sync (root, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
                  NULL, &got, &err, &status, &error);
    g_assert_no_error (error);
    if (!g_spawn_check_wait_status (status, NULL))
        g_test_message ("outputs.sh: %s", err);
    g_assert_true (g_spawn_check_wait_status (status, NULL));

    want_lines = g_strsplit (want, "\n", -1);
    got_lines = g_strsplit (got, "\n", -1);
    for (i = 0; want_lines[i]; i++) {
        char *sp = strstr (want_lines[i], "  ");
        if (sp)
            g_hash_table_insert (expected, sp + 2, want_lines[i]);
    }
    for (i = 0; got_lines[i]; i++) {
        const char *sp = strstr (got_lines[i], "  ");
        const char *line;
        if (!sp)
            continue;
        line = g_hash_table_lookup (expected, sp + 2);
        if (!line || strcmp (line, got_lines[i]) != 0) {
            g_test_message ("changed: %s (%s)", sp + 2,
                            line ? "other bytes" : "not in the list");
            mismatches++;
        }
        g_hash_table_remove (expected, sp + 2);
    }
    mismatches += g_hash_table_size (expected);
    if (g_hash_table_size (expected) > 0)
        g_test_message ("%u listed outputs were not written",
                        g_hash_table_size (expected));
    g_assert_cmpuint (mismatches, ==, 0);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/golden/outputs-unchanged", test_outputs_unchanged);
    return g_test_run ();
}
