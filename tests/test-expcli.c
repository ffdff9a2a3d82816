/* test-expcli.c: the experiment commands as a user runs them: kbsim run
 * --replications, sweep, compare and plan, their files, their exit
 * status and their errors. Runs the program named by $KBSIM (the Makefile
 * sets it). */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sim/experiment.h"

static char *tmp;

static const char *mmc_yaml =
    "name: cli-mmc\n"
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

/* Runs kbsim with args; returns the exit status, stdout in *out and
 * stderr in *err (both may be NULL). */
static int
kbsim (char **out, char **err, ...)
{
    const char *prog = g_getenv ("KBSIM");
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_autofree char *o = NULL;
    g_autofree char *e = NULL;
    g_autoptr (GError) error = NULL;
    const char *a;
    va_list ap;
    int status;

    g_ptr_array_add (argv, (gpointer) (prog ? prog : "./kbsim"));
    va_start (ap, err);
    while ((a = va_arg (ap, const char *)) != NULL)
        g_ptr_array_add (argv, (gpointer) a);
    va_end (ap);
    g_ptr_array_add (argv, NULL);
    g_assert_true (g_spawn_sync (tmp, (char **) argv->pdata, NULL,
                                 G_SPAWN_DEFAULT, NULL, NULL, &o, &e,
                                 &status, &error));
    g_assert_no_error (error);
    if (out)
        *out = g_steal_pointer (&o);
    if (err)
        *err = g_steal_pointer (&e);
    return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

static guint
count_lines (const char *path)
{
    g_autofree char *text = NULL;
    guint n = 0;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    for (const char *p = text; *p; p++)
        n += *p == '\n';
    return n;
}

static char *
in_tmp (const char *rel)
{
    return g_build_filename (tmp, rel, NULL);
}

static void
test_run_replications (void)
{
    g_autofree char *out = NULL;
    g_autofree char *csv = in_tmp ("rep/replications.csv");
    g_autofree char *json = in_tmp ("rep/replications.json");
    g_autofree char *pdf = in_tmp ("rep/report.pdf");
    g_autofree char *j1 = NULL;
    g_autofree char *j2 = NULL;

    g_test_summary ("run --replications prints intervals and writes the "
                    "same files on 1 and 2 jobs");
    g_assert_cmpint (kbsim (&out, NULL, "run", "mmc.yaml", "-r", "4", "-j",
                            "1", "-q", "--out", "rep", NULL), ==, 0);
    g_assert_true (g_file_get_contents (json, &j1, NULL, NULL));
    g_assert_cmpuint (count_lines (csv), ==, 5);
    g_assert_true (g_file_test (pdf, G_FILE_TEST_EXISTS));
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (kbsim (&out, NULL, "run", "mmc.yaml", "-r", "4", "-j",
                            "2", "--out", "rep", NULL), ==, 0);
    g_assert_true (g_file_get_contents (json, &j2, NULL, NULL));
    g_assert_cmpstr (j1, ==, j2);
    g_assert_nonnull (strstr (out, "Over 4 replications"));
    g_assert_nonnull (strstr (out, "95% CONFIDENCE INTERVAL"));
}

static void
test_sweep (void)
{
    g_autofree char *out = NULL;
    g_autofree char *csv = in_tmp ("sw/sweep.csv");
    g_autofree char *png = in_tmp ("sw/sweep-placement.png");

    g_test_summary ("sweep writes one row per point and metric and a chart "
                    "per metric");
    g_assert_cmpint (kbsim (&out, NULL, "sweep", "mmc.yaml", "--vary",
                            "node_pools.slots.count=8:12:2", "-r", "2", "-q",
                            "--out", "sw", NULL), ==, 0);
    g_assert_cmpuint (count_lines (csv), ==, 1 + 3 * EXP_N_METRICS);
    g_assert_true (g_file_test (png, G_FILE_TEST_EXISTS));
    g_assert_nonnull (strstr (out, "node_pools.slots.count"));
}

static void
test_compare (void)
{
    g_autofree char *out = NULL;
    g_autofree char *csv = in_tmp ("cmp/compare.csv");

    g_test_summary ("compare prints paired differences and marks the "
                    "significant ones");
    g_assert_cmpint (kbsim (&out, NULL, "compare", "mmc.yaml", "--variant",
                            "small:node_pools.slots.count=7", "-r", "4",
                            "-q", "--out", "cmp", NULL), ==, 0);
    g_assert_cmpuint (count_lines (csv), ==, 1 + 2 * EXP_N_METRICS);
    /* 7 slots against 10 at load 6: waits are far longer, every
     * replication; the difference is significant */
    g_assert_nonnull (strstr (out, "small"));
    g_assert_nonnull (strstr (out, " *"));
}

static void
test_plan (void)
{
    g_autofree char *out = NULL;
    g_autofree char *json = in_tmp ("plan/plan.json");
    g_autofree char *text = NULL;

    g_test_summary ("plan prints a recommendation with its cost and writes "
                    "plan.json and the frontier");
    g_assert_cmpint (kbsim (&out, NULL, "plan", "mmc.yaml", "--target",
                            "placement=90%", "--vary",
                            "node_pools.slots.count=6:14", "-r", "3", "-q",
                            "--out", "plan", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "Cost per 30 days"));
    g_assert_nonnull (strstr (out, "slots"));
    g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "\"targets_met\" : true"));
    g_clear_pointer (&out, g_free);
    /* a target out of reach: exit 3, and still an answer */
    g_assert_cmpint (kbsim (&out, NULL, "plan", "mmc.yaml", "--target",
                            "pods_failed>=5", "--vary",
                            "node_pools.slots.count=6:8", "-r", "2", "-q",
                            "--out", "plan2", NULL), ==, 3);
    g_assert_nonnull (strstr (out, "No configuration within the bounds"));
}

static void
test_errors (void)
{
    const char *const cases[][6] = {
        { "sweep", "mmc.yaml", NULL, NULL, NULL, "--vary" },
        { "sweep", "mmc.yaml", "--vary", "x=5:1", NULL, "FROM <= TO" },
        { "plan", "mmc.yaml", NULL, NULL, NULL, "--target" },
        { "plan", "mmc.yaml", "--target", "placment=99%", NULL,
          "no metric 'placment'" },
        { "plan", "mmc.yaml", "--target", "placement=2", NULL, "placement=2" },
        { "compare", "mmc.yaml", NULL, NULL, NULL, "two or more" },
        { "run", "mmc.yaml", "-r", "0", NULL, "--replications" },
        { "sweep", "mmc.yaml", "--vary", "node_pools.slots.cont=1,2", NULL,
          "cont" },
    };

    g_test_summary ("usage mistakes exit 2 with a message naming them");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *err = NULL;
        int st = kbsim (NULL, &err, cases[i][0], cases[i][1], cases[i][2],
                        cases[i][3], cases[i][4], NULL);

        g_test_message ("%s %s: %s", cases[i][0], cases[i][2]
                        ? cases[i][2] : "", err);
        g_assert_cmpint (st, ==, 2);
        g_assert_nonnull (strstr (err, cases[i][5]));
    }
}

static void
remove_tree (const char *path)
{
    GDir *d = g_dir_open (path, 0, NULL);
    const char *n;

    while (d && (n = g_dir_read_name (d))) {
        g_autofree char *p = g_build_filename (path, n, NULL);

        if (g_file_test (p, G_FILE_TEST_IS_DIR))
            remove_tree (p);
        else
            g_unlink (p);
    }
    if (d)
        g_dir_close (d);
    g_rmdir (path);
}

int
main (int argc, char **argv)
{
    g_autofree char *yaml = NULL;
    int rc;

    g_test_init (&argc, &argv, NULL);
    tmp = g_dir_make_tmp ("kbsim-cli-XXXXXX", NULL);
    yaml = g_build_filename (tmp, "mmc.yaml", NULL);
    g_assert_true (g_file_set_contents (yaml, mmc_yaml, -1, NULL));
    g_test_add_func ("/expcli/run-replications", test_run_replications);
    g_test_add_func ("/expcli/sweep", test_sweep);
    g_test_add_func ("/expcli/compare", test_compare);
    g_test_add_func ("/expcli/plan", test_plan);
    g_test_add_func ("/expcli/errors", test_errors);
    rc = g_test_run ();
    remove_tree (tmp);
    g_free (tmp);
    return rc;
}
