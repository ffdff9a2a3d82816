/* test-output.c: a run's folder appears whole or not at all. A run that
 * fails, or that SIGINT or SIGTERM stops, leaves no temporary file or
 * staging folder and leaves an earlier run's folder as it was; a
 * scenario's name cannot steer its default folder out of out/.
 *
 * History: before the staging folder and the signal handler, SIGTERM
 * during a run left a 75-490 MB events.log.XXXXXX beside a half-written
 * folder, and a scenario named ../../escaped wrote its results two levels
 * above out/. Runs the program named by $KBSIM. */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "tests/support/testutil.h"

/* A run long enough to be signalled: an M/M/1 queue over 30,000 days
 * takes tens of seconds (and is killed long before). */
static const char *long_yaml =
    "name: %s\n"
    "seed: 3\n"
    "duration: 30000d\n"
    "control_plane: {version: \"1.31\"}\n"
    "node_pools:\n"
    "  - {name: slots, os: linux, count: 2, cpu: \"1\", memory: 4Gi,"
    " container_start: 0s, prepulled_images: [registry.k8s.io/pause:3.10,"
    " alpine:3.22]}\n"
    "workloads:\n"
    "  - name: job\n"
    "    kind: Job\n"
    "    arrivals: {process: poisson, rate: 60/h}\n"
    "    duration: {dist: exponential, mean: 1m}\n"
    "    template:\n"
    "      containers: [{name: j, image: alpine:3.22, resources: "
    "{requests: {cpu: \"1\"}}}]\n"
    "metrics: {sample_every: 1d}\n";

static char *
make_dir (void)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp ("kbsim-output-XXXXXX", &error);

    g_assert_no_error (error);
    return dir;
}

static void
remove_tree (const char *path)
{
    GDir *d = g_dir_open (path, 0, NULL);
    const char *name;

    if (d != NULL) {
        while ((name = g_dir_read_name (d)) != NULL) {
            g_autofree char *child = g_build_filename (path, name, NULL);

            remove_tree (child);
        }
        g_dir_close (d);
    }
    if (g_rmdir (path) != 0)
        g_unlink (path);
}

/* The names in dir, sorted and joined by spaces. */
static int
by_name (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

static char *
list_dir (const char *dir)
{
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    GDir *d = g_dir_open (dir, 0, NULL);
    const char *name;
    GString *out = g_string_new (NULL);

    g_assert_nonnull (d);
    while ((name = g_dir_read_name (d)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
    g_dir_close (d);
    g_ptr_array_sort (names, by_name);
    for (guint i = 0; i < names->len; i++)
        g_string_append_printf (out, "%s%s", i ? " " : "",
                                (char *) g_ptr_array_index (names, i));
    return g_string_free (out, FALSE);
}

static char *
write_scenario (const char *dir, const char *name, const char *duration)
{
    g_autofree char *yaml = g_strdup_printf (long_yaml, name);
    char *path = g_build_filename (dir, "s.yaml", NULL);

    if (duration != NULL) {
        g_autofree char *old = yaml;
        g_auto (GStrv) parts = g_strsplit (old, "30000d", 2);

        yaml = g_strjoin (duration, parts[0], parts[1], NULL);
    }
    g_assert_true (g_file_set_contents (path, yaml, -1, NULL));
    return path;
}

/* Runs kbsim in dir to completion; returns its exit status. */
static int
kbsim_sync (const char *dir, const char *const *args)
{
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_autoptr (GError) error = NULL;
    int status;

    g_ptr_array_add (argv, (gpointer) g_getenv ("KBSIM"));
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add (argv, (gpointer) args[i]);
    g_ptr_array_add (argv, NULL);
    g_assert_true (g_spawn_sync (dir, (char **) argv->pdata, NULL,
                                 G_SPAWN_STDOUT_TO_DEV_NULL
                                 | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    return WEXITSTATUS (status);
}

/* Whether dir holds a staging folder whose events.log is being written. */
static gboolean
run_in_progress (const char *dir)
{
    g_autofree char *names = list_dir (dir);

    return strstr (names, "run.kbsim-") != NULL;
}

/* Starts a long run into dir/run, signals it once its staging folder
 * exists, and returns its exit status. */
static int
signal_run (const char *dir, int sig)
{
    g_autofree char *yaml = write_scenario (dir, "long", NULL);
    const char *argv[] = { g_getenv ("KBSIM"), "run", "s.yaml", "--out",
                           "run", "-q", NULL };
    g_autoptr (GError) error = NULL;
    GPid pid;
    int status;

    g_assert_true (g_spawn_async (dir, (char **) argv, NULL,
                                  G_SPAWN_DO_NOT_REAP_CHILD
                                  | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                                  &pid, &error));
    g_assert_no_error (error);
    for (int i = 0; i < 3000 && !run_in_progress (dir); i++)
        g_usleep (10000);
    g_assert_true (run_in_progress (dir));
    g_usleep (200000);          /* well into the run */
    g_assert_cmpint (kill (pid, sig), ==, 0);
    g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
    g_spawn_close_pid (pid);
    g_assert_true (WIFEXITED (status));
    return WEXITSTATUS (status);
}

static void
test_sigterm_leaves_nothing (void)
{
    g_autofree char *dir = make_dir ();
    g_autofree char *names = NULL;

    g_test_summary ("SIGTERM during a first run: exit 143, and nothing but "
                    "the scenario is left");
    g_assert_cmpint (signal_run (dir, SIGTERM), ==, 128 + SIGTERM);
    names = list_dir (dir);
    g_assert_cmpstr (names, ==, "s.yaml");
    remove_tree (dir);
}

static void
test_sigint_keeps_old_run (void)
{
    g_autofree char *dir = make_dir ();
    g_autofree char *yaml = write_scenario (dir, "long", "2h");
    g_autofree char *summary = g_build_filename (dir, "run", "summary.json",
                                                 NULL);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autofree char *names = NULL;
    g_autofree char *run_names = NULL;
    const char *args[] = { "run", "s.yaml", "--out", "run", "-q", NULL };

    g_test_summary ("SIGINT during a second run: exit 130, the first run's "
                    "folder intact, no staging folder left");
    g_assert_cmpint (kbsim_sync (dir, args), ==, 0);
    g_assert_true (g_file_get_contents (summary, &before, NULL, NULL));
    g_assert_cmpint (signal_run (dir, SIGINT), ==, 128 + SIGINT);
    names = list_dir (dir);
    g_assert_cmpstr (names, ==, "run s.yaml");
    g_assert_true (g_file_get_contents (summary, &after, NULL, NULL));
    g_assert_cmpstr (before, ==, after);
    {
        g_autofree char *run = g_build_filename (dir, "run", NULL);

        run_names = list_dir (run);
    }
    testutil_assert_lacks (run_names, "XXXXXX");
    testutil_assert_lacks (run_names, ".kbsim-");
    remove_tree (dir);
}

static void
test_failed_run_keeps_old_run (void)
{
    g_autofree char *dir = make_dir ();
    g_autofree char *yaml = write_scenario (dir, "short", "2h");
    g_autofree char *summary = g_build_filename (dir, "run", "summary.json",
                                                 NULL);
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;
    g_autofree char *names = NULL;
    const char *first[] = { "run", "s.yaml", "--out", "run", "-q", NULL };
    const char *failing[] = { "run", "s.yaml", "--out", "run", "-q",
                              "--set", "duration=3h", "--report",
                              "no-such-folder/report.pdf", NULL };

    g_test_summary ("a run that fails while writing leaves the earlier "
                    "folder as it was and no staging folder");
    g_assert_cmpint (kbsim_sync (dir, first), ==, 0);
    g_assert_true (g_file_get_contents (summary, &before, NULL, NULL));
    g_assert_cmpint (kbsim_sync (dir, failing), ==, 2);
    names = list_dir (dir);
    g_assert_cmpstr (names, ==, "run s.yaml");
    g_assert_true (g_file_get_contents (summary, &after, NULL, NULL));
    g_assert_cmpstr (before, ==, after);
    remove_tree (dir);
}

static void
test_foreign_folder_refused (void)
{
    g_autofree char *dir = make_dir ();
    g_autofree char *yaml = write_scenario (dir, "short", "1h");
    g_autofree char *mine = g_build_filename (dir, "notes", "mine.txt",
                                              NULL);
    g_autofree char *names = NULL;
    const char *args[] = { "run", "s.yaml", "--out", "notes", "-q", NULL };

    g_test_summary ("a folder kbsim did not write is never replaced");
    g_autofree char *notes = g_build_filename (dir, "notes", NULL);

    g_assert_cmpint (g_mkdir (notes, 0755), ==, 0);
    g_assert_true (g_file_set_contents (mine, "mine", -1, NULL));
    g_assert_cmpint (kbsim_sync (dir, args), ==, 2);
    names = list_dir (notes);
    g_assert_cmpstr (names, ==, "mine.txt");
    remove_tree (dir);
}

static void
test_name_stays_inside_out (void)
{
    g_autofree char *dir = make_dir ();
    g_autofree char *yaml = write_scenario (dir, "\"../../escaped\"", "1h");
    g_autofree char *out = g_build_filename (dir, "out", NULL);
    g_autofree char *names = NULL;
    g_autofree char *top = NULL;
    const char *args[] = { "run", "s.yaml", "-q", NULL };

    g_test_summary ("a scenario named ../../escaped writes below out/");
    g_assert_cmpint (kbsim_sync (dir, args), ==, 0);
    top = list_dir (dir);
    g_assert_cmpstr (top, ==, "out s.yaml");
    names = list_dir (out);
    g_assert_cmpstr (names, ==, "_.._.._escaped");
    remove_tree (dir);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/output/sigterm-leaves-nothing",
                     test_sigterm_leaves_nothing);
    g_test_add_func ("/output/sigint-keeps-old-run",
                     test_sigint_keeps_old_run);
    g_test_add_func ("/output/failed-run-keeps-old-run",
                     test_failed_run_keeps_old_run);
    g_test_add_func ("/output/foreign-folder-refused",
                     test_foreign_folder_refused);
    g_test_add_func ("/output/name-stays-inside-out",
                     test_name_stays_inside_out);
    return g_test_run ();
}
