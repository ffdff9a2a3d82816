/* test-cli.c: commands as a user runs them: kbsim run
 * --replications, sweep, compare and plan, their files, their exit
 * status and their errors. Runs the program named by $KBSIM (the Makefile
 * sets it). */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "experiments/experiment.h"
#include "tests/support/testutil.h"

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
    g_autoptr (GPtrArray) args = g_ptr_array_new ();
    const char *a;
    va_list ap;

    va_start (ap, err);
    while ((a = va_arg (ap, const char *)) != NULL)
        g_ptr_array_add (args, (gpointer) a);
    va_end (ap);
    g_ptr_array_add (args, NULL);
    return testutil_kbsim (tmp, (const char *const *) args->pdata, out, err);
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
    testutil_assert_contains (out, "Over 4 replications");
    testutil_assert_contains (out, "95% CONFIDENCE INTERVAL");
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
    testutil_assert_contains (out, "node_pools.slots.count");
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
    testutil_assert_contains (out, "small");
    testutil_assert_contains (out, " *");
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
    testutil_assert_contains (out, "Cost per 30 days");
    testutil_assert_contains (out, "slots");
    g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
    testutil_assert_contains (text, "\"met\" : true");
    testutil_assert_contains (text, "\"requested\" : 0.9");
    g_clear_pointer (&out, g_free);
    g_clear_pointer (&text, g_free);
    /* a target out of reach: exit 3, "missed" (history: the target was
     * lowered to what the bounds reached and then printed as "met"), and
     * still an answer */
    g_assert_cmpint (kbsim (&out, NULL, "plan", "mmc.yaml", "--target",
                            "pods_failed>=5", "--vary",
                            "node_pools.slots.count=6:8", "-r", "2", "-q",
                            "--out", "plan2", NULL), ==, 3);
    testutil_assert_contains (out, "Target missed: no configuration within "
                              "the bounds");
    testutil_assert_contains (out, "pods Failed >= 5: achieved");
    testutil_assert_contains (out, "): missed\n");
    testutil_assert_contains (out, "the best reachable within the bounds");
    g_assert_null (strstr (out, ": met"));
    g_free (json);
    json = in_tmp ("plan2/plan.json");
    g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
    testutil_assert_contains (text, "\"met\" : false");
    testutil_assert_contains (text, "\"targets_reachable\" : false");
    testutil_assert_contains (text, "\"requested\" : 5");
    g_assert_null (strstr (text, "\"met\" : true"));
}

/* A plan whose only failures come from a template the API server
 * refuses: every count says not placed, the plan says missed and names
 * the fields, and exits 3 (history: "No failures", the target "met
 * trivially", and 0 nodes recommended with exit 0). */
static void
test_plan_rejected (void)
{
    g_autofree char *out = NULL;
    g_autofree char *yaml = in_tmp ("rejected.yaml");
    g_autofree char *json = in_tmp ("plan-rej/plan.json");
    g_autofree char *text = NULL;

    g_assert_true (g_file_set_contents (yaml,
        "name: rejected\n"
        "duration: 1h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: win, os: windows, windows_build: ltsc2022, count: 1,"
        " instance: m5.xlarge}\n"
        "workloads:\n"
        "  - name: ported\n"
        "    kind: Deployment\n"
        "    replicas: 2\n"
        "    template:\n"
        "      os: {name: windows}\n"
        "      securityContext: {runAsUser: 1000}\n"
        "      containers: [{name: a, image: mcr.microsoft.com/windows/"
        "nanoserver:ltsc2022}]\n", -1, NULL));
    g_test_summary ("a plan whose pods the API server refuses is missed, "
                    "names the field and exits 3");
    g_assert_cmpint (kbsim (&out, NULL, "plan", "rejected.yaml", "--target",
                            "placement=99.9%", "--vary",
                            "node_pools.win.count=0:2", "-r", "2", "-q",
                            "--out", "plan-rej", NULL), ==, 3);
    testutil_assert_contains (out, "Target missed");
    testutil_assert_contains (out, "no node count can");
    testutil_assert_contains (out, "placement success >= 99.90%: achieved 0.00%");
    testutil_assert_contains (out, "spec.securityContext.runAsUser: "
                              "Forbidden");
    g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
    testutil_assert_contains (text, "\"met\" : false");
    testutil_assert_contains (text, "\"unfixable\" : true");
}

/* A workload whose only image entry is for a build no pool has: validate
 * names it with its place in the file, and the plan counts its pods as
 * not placed, says missed and why, and exits 3 (history: the search
 * silently sized pools around pods that could never run). */
static void
test_plan_unplaceable (void)
{
    g_autofree char *out = NULL;
    g_autofree char *yaml = in_tmp ("unplaceable.yaml");
    g_autofree char *json = in_tmp ("plan-unpl/plan.json");
    g_autofree char *text = NULL;

    g_assert_true (g_file_set_contents (yaml,
        "name: unplaceable\n"
        "duration: 1h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: linux, os: linux, count: 1, instance: c5.xlarge}\n"
        "  - {name: win, os: windows, windows_build: ltsc2022, count: 1,"
        " instance: m5.xlarge}\n"
        "images:\n"
        "  - name: contoso.azurecr.io/iis:1\n"
        "    manifests:\n"
        "      - {os: windows, arch: amd64, os_version: 10.0.17763.5458,"
        " layers: [{digest: sha256:iis, size: 100MB}]}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 2\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: linux}\n"
        "      containers: [{name: web, image: nginx:1.27}]\n"
        "  - name: iis\n"
        "    kind: Deployment\n"
        "    replicas: 2\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: a, image: contoso.azurecr.io/iis:1}]\n",
        -1, NULL));
    g_test_summary ("validate names a workload no pool can run; the plan "
                    "counts it as not placed, says missed and exits 3");
    g_assert_cmpint (kbsim (&out, NULL, "validate", "unplaceable.yaml",
                            NULL), ==, 0);
    testutil_assert_contains (out, "Workloads no pool can run");
    testutil_assert_contains (out, "unplaceable.yaml:18:5: iis: ");
    testutil_assert_contains (out, "win: image contoso.azurecr.io/iis:1 has "
                              "no entry for windows 10.0.20348");
    g_clear_pointer (&out, g_free);
    g_assert_cmpint (kbsim (&out, NULL, "plan", "unplaceable.yaml",
                            "--target", "placement=99.9%", "--vary",
                            "node_pools.win.count=0:2", "--vary",
                            "node_pools.linux.count=1:2", "-r", "2", "-q",
                            "--out", "plan-unpl", NULL), ==, 3);
    testutil_assert_contains (out, "Target missed");
    testutil_assert_contains (out, "iis (Windows): no pool can run its pods");
    /* 2 web pods placed of 4 eligible */
    testutil_assert_contains (out, "achieved 50.00%");
    /* the Windows pool is not bought for pods it cannot run */
    testutil_assert_contains (out, "win                    windows  0 nodes");
    g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
    testutil_assert_contains (text, "\"met\" : false");
    testutil_assert_contains (text, "\"unfixable\" : true");
}

/* Every command's --help fits an 80-column terminal (history: GLib
 * prints option descriptions unwrapped, and `kbsim help run` had lines
 * of 110 columns), and still says what the options are. */
static void
test_help_width (void)
{
    static const char *const cmds[] = { "run", "sweep", "plan", "compare",
                                        "report", "explain", "validate",
                                        "demo", "headroom", "get" };

    g_test_summary ("every --help line is at most 80 columns");
    for (guint i = 0; i < G_N_ELEMENTS (cmds); i++) {
        g_autofree char *out = NULL;
        g_auto (GStrv) lines = NULL;

        g_assert_cmpint (kbsim (&out, NULL, cmds[i], "--help", NULL), ==, 0);
        testutil_assert_contains (out, "Usage:");
        testutil_assert_contains (out, "  -h, --help");
        lines = g_strsplit (out, "\n", -1);
        for (guint k = 0; lines[k]; k++) {
            if (g_utf8_strlen (lines[k], -1) > 80)
                g_error ("kbsim %s --help: line of %ld columns: %s", cmds[i],
                         g_utf8_strlen (lines[k], -1), lines[k]);
        }
    }
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
        { "sweep", "mmc.yaml", "--vary", "seed=1e30:1e30:1", NULL,
          "a range is FROM:TO" },
        { "plan", "mmc.yaml", "--target", "placement=90%",
          "--vary=node_pools.slots.instance=", "name at least one instance" },

    };

    g_test_summary ("usage mistakes exit 2 with a message naming them");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *err = NULL;
        int st = kbsim (NULL, &err, cases[i][0], cases[i][1], cases[i][2],
                        cases[i][3], cases[i][4], NULL);

        g_test_message ("%s %s: %s", cases[i][0], cases[i][2]
                        ? cases[i][2] : "", err);
        g_assert_cmpint (st, ==, 2);
        testutil_assert_contains (err, cases[i][5]);
    }
}


/* kbsim report DIR lays the report out again from the run's files: the
 * same pages, word for word, as kbsim run wrote; without the scenario
 * file the run read (the copy in DIR serves). */
static void
test_report_from_files (void)
{
    g_autofree char *demo = g_test_build_filename (G_TEST_DIST, "..",
                                                   "scenarios", "demo.yaml",
                                                   NULL);
    g_autofree char *copy = in_tmp ("demo-copy.yaml");
    g_autofree char *first = in_tmp ("rep-demo/report.pdf");
    g_autofree char *again = in_tmp ("again.pdf");
    g_autofree char *text = NULL;
    g_autofree char *a = NULL;
    g_autofree char *b = NULL;
    g_autofree char *out = NULL;

    g_test_summary ("kbsim report DIR remakes the run's report from its "
                    "files, page for page");
    g_assert_true (g_file_get_contents (demo, &text, NULL, NULL));
    g_assert_true (g_file_set_contents (copy, text, -1, NULL));
    g_assert_cmpint (kbsim (NULL, NULL, "run", "demo-copy.yaml", "-q",
                            "--set", "duration=2d", "--out", "rep-demo",
                            NULL), ==, 0);
    /* the scenario file is gone: the copy in the folder is used */
    g_unlink (copy);
    g_assert_cmpint (kbsim (&out, NULL, "report", "rep-demo", "-o",
                            "again.pdf", NULL), ==, 0);
    testutil_assert_contains (out, "again.pdf");
    a = testutil_pdf_words (first);
    b = testutil_pdf_words (again);
    if (a == NULL)
        return;         /* skipped: no pdftotext */
    g_assert_cmpstr (a, ==, b);
    /* the --set override was kept: two days, not seven */
    testutil_assert_contains (a, "Simulated 2 d of virtual time");
}

static void
test_report_errors (void)
{
    g_autofree char *run_json = in_tmp ("rep-bad/run.json");
    g_autofree char *pods = in_tmp ("rep-bad/pods.csv");
    g_autofree char *text = NULL;
    g_autofree char *err = NULL;

    g_test_summary ("kbsim report names the folder or file it cannot use");
    g_assert_cmpint (kbsim (NULL, &err, "report", "no-such-dir", NULL), ==,
                     2);
    testutil_assert_contains (err, "is not a folder");
    g_clear_pointer (&err, g_free);
    g_assert_cmpint (kbsim (NULL, NULL, "run", "mmc.yaml", "-q", "--out",
                            "rep-bad", NULL), ==, 0);
    /* a damaged pods.csv: its file and line */
    g_assert_true (g_file_get_contents (pods, &text, NULL, NULL));
    g_assert_true (g_file_set_contents (pods, "pod,workload\nx,y\n", -1,
                                        NULL));
    g_assert_cmpint (kbsim (NULL, &err, "report", "rep-bad", NULL), ==, 2);
    testutil_assert_contains (err, "pods.csv:2: expected 12 fields");
    g_clear_pointer (&err, g_free);
    /* a time far past the run (it once overflowed the chart's buckets) */
    g_assert_true (g_file_set_contents (pods,
        "pod,namespace,workload,os,node,created_s,scheduled_s,running_s,"
        "finished_s,phase,status,message\njob-0,default,job,linux,,"
        "9223372036854,,,,Pending,Pending,\n", -1, NULL));
    g_assert_cmpint (kbsim (NULL, &err, "report", "rep-bad", NULL), ==, 2);
    testutil_assert_contains (err, "pods.csv:2:");
    g_clear_pointer (&err, g_free);
    g_assert_true (g_file_set_contents (pods, text, -1, NULL));
    /* another kbsim version's run */
    g_clear_pointer (&text, g_free);
    g_assert_true (g_file_get_contents (run_json, &text, NULL, NULL));
    {
        g_auto (GStrv) parts = g_strsplit (text, KBSIM_VERSION, 2);
        g_autofree char *old = g_strjoinv ("0.0.1", parts);

        g_assert_true (g_file_set_contents (run_json, old, -1, NULL));
    }
    g_assert_cmpint (kbsim (NULL, &err, "report", "rep-bad", NULL), ==, 2);
    testutil_assert_contains (err, "written by kbsim 0.0.1");
    g_clear_pointer (&err, g_free);
    g_unlink (run_json);
    g_assert_cmpint (kbsim (NULL, &err, "report", "rep-bad", NULL), ==, 2);
    testutil_assert_contains (err, "run.json");
}

/* Names with commas and quotes survive the CSV files; a damaged
 * duration is refused instead of sizing the charts. */
static void
test_report_odd_names (void)
{
    g_autofree char *yaml = in_tmp ("odd.yaml");
    g_autofree char *summary = in_tmp ("rep-odd/summary.json");
    g_autofree char *text = NULL;
    g_autofree char *err = NULL;

    g_test_summary ("kbsim report reads back names with commas and refuses "
                    "a damaged duration");
    g_assert_true (g_file_set_contents (yaml,
        "name: odd\n"
        "duration: 2h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools: [{name: \"p,1\", os: linux, count: 2, cpu: \"2\","
        " memory: 4Gi}]\n"
        "workloads:\n"
        "  - {name: \"web,\\\"api\\\"\", kind: Deployment, replicas: 3,"
        " template: {containers: [{name: w, image: nginx:1.27}]}}\n",
        -1, NULL));
    g_assert_cmpint (kbsim (NULL, NULL, "run", "odd.yaml", "-q", "--out",
                            "rep-odd", NULL), ==, 0);
    g_assert_cmpint (kbsim (NULL, &err, "report", "rep-odd", "-o",
                            "odd.pdf", NULL), ==, 0);
    g_clear_pointer (&err, g_free);
    g_assert_true (g_file_get_contents (summary, &text, NULL, NULL));
    {
        g_auto (GStrv) parts = g_strsplit (text, "\"duration_seconds\" : ",
                                           2);
        g_autofree char *bad = g_strconcat (parts[0], "\"duration_seconds\""
                                            " : 1e300, \"x\" : ", parts[1],
                                            NULL);

        g_assert_true (g_file_set_contents (summary, bad, -1, NULL));
    }
    g_assert_cmpint (kbsim (NULL, &err, "report", "rep-odd", NULL), ==, 2);
    testutil_assert_contains (err, "duration_seconds");
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
    g_test_add_func ("/cli/run-replications", test_run_replications);
    g_test_add_func ("/cli/sweep", test_sweep);
    g_test_add_func ("/cli/compare", test_compare);
    g_test_add_func ("/cli/plan", test_plan);
    g_test_add_func ("/cli/plan-rejected", test_plan_rejected);
    g_test_add_func ("/cli/plan-unplaceable", test_plan_unplaceable);
    g_test_add_func ("/cli/help-width", test_help_width);
    g_test_add_func ("/cli/errors", test_errors);
    g_test_add_func ("/cli/report-from-files", test_report_from_files);
    g_test_add_func ("/cli/report-errors", test_report_errors);
    g_test_add_func ("/cli/report-odd-names", test_report_odd_names);
    rc = g_test_run ();
    remove_tree (tmp);
    g_free (tmp);
    return rc;
}
