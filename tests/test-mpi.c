/* test-mpi.c: the commands under `mpirun -np 2` and `-np 3
 * --oversubscribe` write the very files, byte for byte, and print the
 * very lines that the same command writes alone (experiments/ranks.h);
 * a rank that cannot load the scenario, or dies, leaves no output.
 *
 * Runs the program named by $KBSIM under the mpirun on the PATH. Skips
 * when there is no mpirun, or when this kbsim was built without MPI.
 * As root, Open MPI wants OMPI_ALLOW_RUN_AS_ROOT and its _CONFIRM: the
 * runs here set both.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "tests/support/testutil.h"

static char *tmp;
static char *mpirun;

/* A small M/M/c queue: a run takes milliseconds, and its series and
 * buckets are long enough (5 days, hourly) to fill a RESULT. */
static const char *mmc_yaml =
    "name: mpi-mmc\n"
    "seed: 5\n"
    "duration: 5d\n"
    "control_plane: {version: \"1.31\"}\n"
    "node_pools:\n"
    "  - {name: slots, os: linux, count: 10, cpu: \"1\", memory: 4Gi,"
    " price_per_hour: 0.10, container_start: 0s,"
    " prepulled_images: [registry.k8s.io/pause:3.10, alpine:3.22]}\n"
    "workloads:\n"
    "  - name: job\n"
    "    kind: Job\n"
    "    arrivals: {process: poisson, rate: 6/h}\n"
    "    duration: {dist: exponential, mean: 1h}\n"
    "    template:\n"
    "      containers: [{name: j, image: alpine:3.22, resources: "
    "{requests: {cpu: \"1\"}}}]\n"
    "metrics: {sample_every: 1h, placement_deadline: 30m}\n";

/* Runs kbsim args in tmp: alone when ranks is 0, else under mpirun with
 * that many ranks, with hook ("NAME=VALUE", or NULL) in the environment.
 * Returns the exit status (128 when killed by a signal). */
static int
run_kbsim (guint ranks, const char *hook, const char *const *args,
           char **out, char **err)
{
    const char *prog = g_getenv ("KBSIM");
    g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
    g_auto (GStrv) env = g_get_environ ();
    g_autoptr (GError) error = NULL;
    int status;

    if (ranks > 0) {
        g_ptr_array_add (argv, g_strdup (mpirun));
        g_ptr_array_add (argv, g_strdup ("-np"));
        g_ptr_array_add (argv, g_strdup_printf ("%u", ranks));
        g_ptr_array_add (argv, g_strdup ("--oversubscribe"));
    }
    g_ptr_array_add (argv, g_strdup (prog ? prog : "./kbsim"));
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add (argv, g_strdup (args[i]));
    g_ptr_array_add (argv, NULL);
    env = g_environ_setenv (env, "OMPI_ALLOW_RUN_AS_ROOT", "1", TRUE);
    env = g_environ_setenv (env, "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1",
                            TRUE);
    /* Under AddressSanitizer (make test-asan), LeakSanitizer would
     * report Open MPI's own allocations at exit, thousands of them in
     * components it has already unloaded, which no suppression can name:
     * the runs under mpirun check for memory errors, not for leaks. */
    if (ranks > 0 && g_environ_getenv (env, "ASAN_OPTIONS") != NULL) {
        g_autofree char *asan = g_strconcat (
            g_environ_getenv (env, "ASAN_OPTIONS"), ":detect_leaks=0", NULL);

        env = g_environ_setenv (env, "ASAN_OPTIONS", asan, TRUE);
    }
    if (hook != NULL) {
        g_auto (GStrv) kv = g_strsplit (hook, "=", 2);

        env = g_environ_setenv (env, kv[0], kv[1], TRUE);
    }
    g_assert_true (g_spawn_sync (tmp, (char **) argv->pdata, env,
                                 G_SPAWN_DEFAULT, NULL, NULL, out, err,
                                 &status, &error));
    g_assert_no_error (error);
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

static void
remove_tree (const char *path)
{
    GDir *d = g_dir_open (path, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d)) != NULL) {
        g_autofree char *p = g_build_filename (path, name, NULL);

        if (g_file_test (p, G_FILE_TEST_IS_DIR))
            remove_tree (p);
        else
            g_unlink (p);
    }
    if (d)
        g_dir_close (d);
    g_rmdir (path);
}

/* Asserts that folders a and b hold the same names with the same bytes,
 * and returns how many files they hold. */
static guint
assert_same_tree (const char *a, const char *b)
{
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    GDir *d = g_dir_open (a, 0, NULL);
    const char *name;
    guint files = 0, in_b = 0;

    g_assert_nonnull (d);
    while ((name = g_dir_read_name (d)) != NULL)
        g_ptr_array_add (names, g_strdup (name));
    g_dir_close (d);
    d = g_dir_open (b, 0, NULL);
    g_assert_nonnull (d);
    while (g_dir_read_name (d) != NULL)
        in_b++;
    g_dir_close (d);
    g_assert_cmpuint (in_b, ==, names->len);
    for (guint i = 0; i < names->len; i++) {
        g_autofree char *pa = g_build_filename (a, names->pdata[i], NULL);
        g_autofree char *pb = g_build_filename (b, names->pdata[i], NULL);
        g_autofree char *ta = NULL;
        g_autofree char *tb = NULL;
        gsize la = 0, lb = 0;

        if (g_file_test (pa, G_FILE_TEST_IS_DIR)) {
            files += assert_same_tree (pa, pb);
            continue;
        }
        g_assert_true (g_file_get_contents (pa, &ta, &la, NULL));
        g_assert_true (g_file_get_contents (pb, &tb, &lb, NULL));
        if (la != lb || memcmp (ta, tb, la) != 0)
            g_error ("%s and %s differ", pa, pb);
        files++;
    }
    return files;
}

/* out with the one wall-clock figure kbsim prints (the plan's "Search:
 * ..., 0.1 s.") masked. (transfer full) */
static char *
mask_wall_time (const char *out)
{
    g_autoptr (GRegex) re = g_regex_new ("^(Search: .*), [^,]+\\.$",
                                         G_REGEX_MULTILINE, 0, NULL);

    return g_regex_replace (re, out, -1, 0, "\\1, (wall time).", 0, NULL);
}

/* Runs the command (args, with "--out", "out" appended) alone, then
 * under mpirun with each rank count of ranks, and checks that every run
 * prints (but for wall time) and writes the same. */
static void
check_same (const char *const *args, int want_status)
{
    static const guint ranks[] = { 2, 3 };
    g_autoptr (GPtrArray) all = g_ptr_array_new ();
    g_autofree char *out_dir = g_build_filename (tmp, "out", NULL);
    g_autofree char *alone_dir = g_build_filename (tmp, "alone", NULL);
    g_autofree char *alone = NULL;

    if (mpirun == NULL) {
        g_test_skip ("no mpirun on the PATH");
        return;
    }
    for (guint i = 0; args[i]; i++)
        g_ptr_array_add (all, (gpointer) args[i]);
    g_ptr_array_add (all, (gpointer) "--out");
    g_ptr_array_add (all, (gpointer) "out");
    g_ptr_array_add (all, NULL);
    remove_tree (out_dir);
    remove_tree (alone_dir);
    g_assert_cmpint (run_kbsim (0, NULL, (const char *const *) all->pdata,
                                &alone, NULL), ==, want_status);
    g_assert_cmpint (g_rename (out_dir, alone_dir), ==, 0);
    for (guint k = 0; k < G_N_ELEMENTS (ranks); k++) {
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        g_autofree char *a = NULL;
        g_autofree char *b = NULL;

        g_assert_cmpint (run_kbsim (ranks[k], NULL,
                                    (const char *const *) all->pdata, &out,
                                    &err), ==, want_status);
        a = mask_wall_time (alone);
        b = mask_wall_time (out);

        g_assert_cmpstr (b, ==, a);
        g_assert_cmpuint (assert_same_tree (alone_dir, out_dir), >, 2);
        remove_tree (out_dir);
    }
    remove_tree (alone_dir);
}

static void
test_sweep (void)
{
    static const char *const args[] = {
        "sweep", "mmc.yaml", "--vary", "node_pools.slots.count=8:12:2",
        "-r", "4", "-j", "1", "-q", NULL
    };

    g_test_summary ("a sweep over 2 and 3 ranks writes the files it "
                    "writes alone");
    check_same (args, 0);
}

static void
test_compare (void)
{
    static const char *const args[] = {
        "compare", "mmc.yaml", "--variant", "small:node_pools.slots.count=7",
        "-r", "5", "-j", "2", "-q", NULL
    };

    g_test_summary ("a comparison over 2 and 3 ranks, 2 threads each, "
                    "writes the files it writes alone");
    check_same (args, 0);
}

static void
test_replications (void)
{
    static const char *const args[] = {
        "run", "mmc.yaml", "-r", "7", "-j", "1", "-q", NULL
    };

    g_test_summary ("run --replications over 2 and 3 ranks: the same run "
                    "folder, report and events of replication 0 included");
    check_same (args, 0);
}

static void
test_plan (void)
{
    static const char *const args[] = {
        "plan", "mmc.yaml", "--target", "placement=90%", "--vary",
        "node_pools.slots.count=6:14", "-r", "3", "-j", "1", "-q", NULL
    };

    g_test_summary ("a plan whose rounds run over 2 and 3 ranks finds and "
                    "writes what it finds alone");
    check_same (args, 0);
}

/* Asserts that the folder tmp/name was not left, nor a staging folder
 * or temporary file beside it. */
static void
assert_nothing_written (const char *name)
{
    GDir *d = g_dir_open (tmp, 0, NULL);
    const char *entry;

    g_assert_nonnull (d);
    while ((entry = g_dir_read_name (d)) != NULL)
        if (g_str_has_prefix (entry, name))
            g_error ("%s/%s was left behind", tmp, entry);
    g_dir_close (d);
}

static void
test_rank_cannot_load (void)
{
    static const char *const cmds[][14] = {
        { "sweep", "mmc.yaml", "--vary", "node_pools.slots.count=8:12:2",
          "-r", "3", "-j", "1", "-q", "--out", "failed", NULL },
        { "run", "mmc.yaml", "-r", "6", "-j", "1", "-q", "--out", "failed",
          NULL },
        { "plan", "mmc.yaml", "--target", "placement=90%", "--vary",
          "node_pools.slots.count=6:14", "-r", "3", "-j", "1", "-q",
          "--out", "failed", NULL },
    };

    g_test_summary ("a --set only rank 1 sees (its scenario does not "
                    "load) ends the job: exit 2, rank 0 names rank 1 and "
                    "the error once, no output file");
    if (mpirun == NULL) {
        g_test_skip ("no mpirun on the PATH");
        return;
    }
    for (guint i = 0; i < G_N_ELEMENTS (cmds); i++) {
        g_autofree char *out = NULL;
        g_autofree char *err = NULL;
        const char *first;

        g_assert_cmpint (run_kbsim (
            2, "KBSIM_TEST_RANK_SET=1:node_pools.slots.count=lots",
            cmds[i], &out, &err), ==, 2);
        first = strstr (err, "kbsim: rank 1: ");
        g_assert_nonnull (first);
        testutil_assert_contains (first, "expected a non-negative integer, "
                                  "got 'lots'");
        g_assert_null (strstr (first + 1, "kbsim: rank 1: "));
        assert_nothing_written ("failed");
    }
}

static void
test_rank_dies (void)
{
    static const char *const args[] = {
        "run", "mmc.yaml", "-r", "6", "-j", "1", "-q", "--out", "died", NULL
    };
    g_autofree char *err = NULL;

    g_test_summary ("a rank that dies at its first task ends the job with "
                    "a failure status and leaves no output file (rank 0 "
                    "removes its staging folder on mpirun's SIGTERM)");
    if (mpirun == NULL) {
        g_test_skip ("no mpirun on the PATH");
        return;
    }
    g_assert_cmpint (run_kbsim (2, "KBSIM_TEST_RANK_EXIT=1", args, NULL,
                                &err), !=, 0);
    assert_nothing_written ("died");
}

static void
test_command_without_batches (void)
{
    static const char *const args[] = { "validate", "mmc.yaml", NULL };
    g_autofree char *alone = NULL;
    g_autofree char *out = NULL;

    g_test_summary ("a command with no batch (validate) runs on rank 0 "
                    "and the other ranks stop with it");
    if (mpirun == NULL) {
        g_test_skip ("no mpirun on the PATH");
        return;
    }
    g_assert_cmpint (run_kbsim (0, NULL, args, &alone, NULL), ==, 0);
    g_assert_cmpint (run_kbsim (3, NULL, args, &out, NULL), ==, 0);
    g_assert_cmpstr (out, ==, alone);
}

int
main (int argc, char **argv)
{
    g_autofree char *yaml = NULL;
    int rc;

    g_test_init (&argc, &argv, NULL);
    tmp = g_dir_make_tmp ("kbsim-mpi-XXXXXX", NULL);
    yaml = g_build_filename (tmp, "mmc.yaml", NULL);
    g_assert_true (g_file_set_contents (yaml, mmc_yaml, -1, NULL));
#ifdef KBSIM_HAVE_MPI
    mpirun = g_find_program_in_path ("mpirun");
#endif
    g_test_add_func ("/mpi/sweep", test_sweep);
    g_test_add_func ("/mpi/compare", test_compare);
    g_test_add_func ("/mpi/replications", test_replications);
    g_test_add_func ("/mpi/plan", test_plan);
    g_test_add_func ("/mpi/rank-cannot-load", test_rank_cannot_load);
    g_test_add_func ("/mpi/rank-dies", test_rank_dies);
    g_test_add_func ("/mpi/command-without-batches",
                     test_command_without_batches);
    rc = g_test_run ();
    remove_tree (tmp);
    g_free (tmp);
    g_free (mpirun);
    return rc;
}
