/* test-report.c: the capacity report PDF, from real runs, read back with
 * poppler's pdfinfo and pdftotext. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "models/cluster.h"
#include "models/cost.h"
#include "models/metrics.h"
#include "models/run.h"
#include "reports/chart.h"
#include "reports/report.h"
#include "tests/support/testutil.h"

#define N_MANY_POOLS 30

/* A scenario and its finished run, freed together. */
typedef struct {
    Scenario *sc;
    Run *run;
    const RunSummary *s;        /* the run's */
} Case;

static void
case_run (Case *r, Scenario *sc)
{
    r->sc = sc;
    r->run = run_new (sc, 0, RUN_FLAGS_NONE);
    run_execute (r->run);
    r->s = run_summary (r->run);
}

static void
case_clear (Case *r)
{
    run_free (r->run);
    scenario_free (r->sc);
}

static RunData *
case_data (Case *r)
{
    return rundata_from_run (run_cluster (r->run), run_metrics (r->run),
                             r->s);
}

static gboolean
have_poppler (void)
{
    g_autofree char *a = g_find_program_in_path ("pdftotext");
    g_autofree char *b = g_find_program_in_path ("pdfinfo");

    return a != NULL && b != NULL;
}

/* The number of pages pdfinfo counts in pdf. */
static int
page_count (const char *pdf)
{
    const char *argv[] = { "pdfinfo", pdf, NULL };
    g_autofree char *info = NULL;
    g_auto (GStrv) lines = NULL;
    gint status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                                 G_SPAWN_SEARCH_PATH
                                 | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &info, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    lines = g_strsplit (info, "\n", -1);
    for (guint i = 0; lines[i]; i++)
        if (g_str_has_prefix (lines[i], "Pages:"))
            return (int) g_ascii_strtoll (lines[i] + strlen ("Pages:"),
                                          NULL, 10);
    g_assert_not_reached ();
    return 0;
}

/* Writes the report of r into a fresh folder; returns the PDF's path and
 * the folder in *dir. */
static char *
write_report (Case *r, const char *text, char **dir)
{
    g_autoptr (GError) error = NULL;
    char *path;

    *dir = g_dir_make_tmp ("kbsim-report-XXXXXX", NULL);
    g_assert_nonnull (*dir);
    path = g_build_filename (*dir, "report.pdf", NULL);
    {
        g_autoptr (RunData) rd = case_data (r);

        g_assert_true (report_write_pdf (path, rd, text, &error));
    }
    g_assert_no_error (error);
    return path;
}

static void
remove_report (const char *dir, const char *path)
{
    g_assert_cmpint (g_unlink (path), ==, 0);
    g_assert_cmpint (g_rmdir (dir), ==, 0);     /* no temporary left */
}

static void
check_footers (const char *text, int pages)
{
    for (int k = 1; k <= pages; k++) {
        g_autofree char *f = g_strdup_printf ("Page %d of %d", k, pages);

        testutil_assert_contains (text, f);
    }
}

/* The words pdftotext finds on page `page` of pdf, blanks and line
 * breaks made one space. (transfer full). */
static char *
page_words (const char *pdf, int page)
{
    g_autofree char *p = g_strdup_printf ("%d", page);
    const char *argv[] = { "pdftotext", "-f", p, "-l", p, pdf, "-", NULL };
    g_autofree char *out = NULL;
    g_auto (GStrv) words = NULL;
    gint status = 0;

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                                 G_SPAWN_SEARCH_PATH
                                 | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                                 &out, NULL, &status, NULL));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    words = g_strsplit_set (out, " \n\t\f", -1);
    {
        GString *b = g_string_new (NULL);

        for (guint i = 0; words[i]; i++)
            if (words[i][0] != '\0')
                g_string_append_printf (b, "%s%s", b->len ? " " : "",
                                        words[i]);
        return g_string_free (b, FALSE);
    }
}

/* Issue 20: page 1's risks were raw scheduler and kubelet messages cut
 * mid-word ("... 8 node(s) didn't match Pod's nod…"). They are sentences
 * now, with the event that caused them; the messages stay in the
 * failures section. */
static void
check_demo_page1 (const char *path, const RunSummary *s)
{
    g_autofree char *p1 = page_words (path, 1);
    g_autofree char *all = testutil_pdf_words (path);

    g_assert_cmpuint (s->reasons->len, >, 0);
    for (guint i = 0; i < s->reasons->len; i++) {
        const SummaryReason *r = g_ptr_array_index (s->reasons, i);
        g_autofree char *head = g_strndup (r->example, 30);

        /* not on page 1, but in the failures section */
        testutil_assert_lacks (p1, head);
        testutil_assert_contains (all, head);
    }
    testutil_assert_lacks (p1, "nodes are available");
    testutil_assert_lacks (p1, "rpc error");
    testutil_assert_lacks (p1, "\u2026");
    /* the upgrade is named as a cause, with its fix */
    testutil_assert_contains (p1, "The win2019 upgrade to build 10.0.20348");
    testutil_assert_contains (p1, "stranded");
    testutil_assert_contains (p1, "Rebuild the image for build 20348");
    testutil_assert_contains (p1, "registry outage at 4 d");
    testutil_assert_contains (p1, "nightly-batch pods waited longer than");
}

static void
test_demo (void)
{
    g_autofree char *demo = NULL;
    g_autofree char *yaml = NULL;
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    g_autofree char *again = NULL;
    g_autofree char *bytes1 = NULL;
    g_autofree char *bytes2 = NULL;
    gsize n1, n2;
    Case r;
    const CostReport *cost;
    int pages;

    g_test_summary ("the demo's report: footers count its pages, the "
                    "executive summary shows the run's own figures, the "
                    "same run gives the same bytes");
    if (!have_poppler ()) {
        g_test_skip ("pdfinfo or pdftotext not installed");
        return;
    }
    demo = g_test_build_filename (G_TEST_DIST, "..", "scenarios",
                                  "demo.yaml", NULL);
    g_assert_true (g_file_get_contents (demo, &yaml, NULL, NULL));
    case_run (&r, testutil_load_example ("demo.yaml"));
    path = write_report (&r, yaml, &dir);
    pages = page_count (path);
    /* Issue 20: 13 pages, several holding one small table or a chart
     * alone. Now the pools follow the summary, the failures, cost and
     * assumptions follow the last chart, and the listing follows them:
     * the same content in at most 9 pages. */
    g_assert_cmpint (pages, >=, 7);
    g_assert_cmpint (pages, <=, 9);
    text = testutil_pdf_words (path);
    check_footers (text, pages);
    testutil_assert_contains (text, "Capacity report: demo");
    testutil_assert_contains (text, "seed 42");
    testutil_assert_contains (text, "kbsim " KBSIM_VERSION);

    for (KbOs os = KB_OS_LINUX; os <= KB_OS_WINDOWS; os++) {
        double p = run_summary_placement (r.s, os);
        g_autofree char *pct = units_format_value (UNITS_VALUE_PERCENT, p,
                                                   0.001);
        g_autofree char *placed = units_format_value (
            UNITS_VALUE_PLAIN, (double) r.s->placed[os], 1);
        g_autofree char *eligible = units_format_value (
            UNITS_VALUE_PLAIN, (double) r.s->eligible[os], 1);
        g_autofree char *line = g_strdup_printf (
            "%s: %s of %s pods placed (%s); %s the 99.9%% target.",
            os == KB_OS_LINUX ? "Linux" : "Windows", placed, eligible, pct,
            p >= REPORT_PLACEMENT_TARGET ? "meets" : "misses");

        g_assert_cmpint (r.s->eligible[os], >, 0);
        if (strstr (text, line) == NULL)
            g_error ("'%s' not in the report", line);
    }
    cost = run_cost (r.run);
    {
        g_autofree char *month = units_format_value (UNITS_VALUE_USD,
                                                     cost->per_30_days,
                                                     0.01);
        g_autofree char *line = g_strdup_printf ("Monthly cost: %s per 30 "
                                                 "days", month);

        testutil_assert_contains (text, line);
    }
    check_demo_page1 (path, r.s);
    /* every pool and the listing's last key are there */
    for (guint i = 0; i < r.sc->pools->len; i++)
        testutil_assert_contains (text, ((KbPoolSpec *) g_ptr_array_index (
            r.sc->pools, i))->name);

    /* deterministic */
    g_assert_true (g_file_get_contents (path, &bytes1, &n1, NULL));
    g_assert_cmpint (g_unlink (path), ==, 0);
    g_free (write_report (&r, yaml, &again));
    g_assert_cmpstr (again, !=, NULL);
    {
        g_autofree char *p2 = g_build_filename (again, "report.pdf", NULL);

        g_assert_true (g_file_get_contents (p2, &bytes2, &n2, NULL));
        g_assert_cmpmem (bytes1, n1, bytes2, n2);
        remove_report (again, p2);
    }
    g_rmdir (dir);
    case_clear (&r);
}

static char *
many_pools_yaml (int n)
{
    GString *b = g_string_new ("name: many-pools\nseed: 7\nduration: 2h\n"
                               "control_plane: {version: \"1.31\"}\n"
                               "node_pools:\n");

    for (int i = 0; i < n; i++)
        g_string_append_printf (b, "  - {name: pool-%02d-with-a-rather-long-"
                                "descriptive-name-for-ellipsis, os: %s,%s "
                                "count: 1, instance: m5.xlarge}\n", i,
                                i % 3 ? "linux" : "windows",
                                i % 3 ? "" : " windows_build: ltsc2022,");
    g_string_append (b, "workloads:\n"
                     "  - name: web\n    kind: Deployment\n    replicas: 8\n"
                     "    template:\n      containers:\n"
                     "        - name: nginx\n          image: nginx:1.27\n"
                     "          resources: {requests: {cpu: 250m, memory: "
                     "256Mi}}\n");
    return g_string_free (b, FALSE);
}

/* Writes the report of a scenario of n pools; checks every pool is in it
 * twice (its table row, name ellipsized, and the listing) and returns the
 * pages. *header_rows: how often the pool table's header shows. */
static int
pools_report (int n, int *header_rows)
{
    g_autofree char *yaml = many_pools_yaml (n);
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autofree char *text = NULL;
    Case r;
    int pages;

    case_run (&r, testutil_load_text (yaml));
    path = write_report (&r, yaml, &dir);
    pages = page_count (path);
    text = testutil_pdf_words (path);
    check_footers (text, pages);
    for (int i = 0; i < n; i++) {
        g_autofree char *name = g_strdup_printf ("pool-%02d-with", i);
        const char *first = strstr (text, name);

        g_assert_nonnull (first);
        testutil_assert_contains (first + 1, name);
    }
    *header_rows = 0;
    for (const char *h = text; (h = strstr (h, "Kubelet Nodes Instance"));
         h++)
        (*header_rows)++;
    remove_report (dir, path);
    case_clear (&r);
    return pages;
}

static void
test_many_pools (void)
{
    int headers30, headers60, pages30, pages60;

    g_test_summary ("30 pools are all listed; 60 run the pool table over "
                    "more than one page with its header repeated");
    if (!have_poppler ()) {
        g_test_skip ("pdfinfo or pdftotext not installed");
        return;
    }
    pages30 = pools_report (30, &headers30);
    g_assert_cmpint (pages30, >=, 11);
    /* the pool table follows the summary on page 1, so 30 rows may
     * reach page 2 */
    g_assert_cmpint (headers30, >=, 1);
    g_assert_cmpint (headers30, <=, 2);
    pages60 = pools_report (60, &headers60);
    g_assert_cmpint (headers60, >=, 2);
    g_assert_cmpint (headers60, >, headers30 - 1);
    g_assert_cmpint (pages60, >, pages30);
}

/* Issue 20: a Windows workload the API server refused (runAsUser is
 * Linux-only) left page 1 saying Linux "meets the 99.9% target
 * trivially" and the risk was the raw FailedCreate message. */
static void
test_rejected (void)
{
    static const char yaml[] =
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
        "nanoserver:ltsc2022}]\n";
    g_autofree char *dir = NULL;
    g_autofree char *path = NULL;
    g_autofree char *p1 = NULL;
    Case r;

    g_test_summary ("a workload the API server refuses is page 1's first "
                    "risk, counted as pods not placed, and no OS 'meets "
                    "the target trivially'");
    if (!have_poppler ()) {
        g_test_skip ("pdfinfo or pdftotext not installed");
        return;
    }
    case_run (&r, testutil_load_text (yaml));
    path = write_report (&r, yaml, &dir);
    p1 = page_words (path, 1);
    testutil_assert_contains (p1, "Windows: 0 of 2 pods placed (0.0%, 2 "
                              "refused by the API server); misses");
    testutil_assert_contains (p1, "1. ported never ran: the API server "
                              "refused all 2 of its pods (FailedCreate) "
                              "because spec.securityContext.runAsUser");
    testutil_assert_contains (p1, "Remove spec.securityContext.runAsUser");
    testutil_assert_contains (p1, "Linux: no Linux pod was created");
    testutil_assert_lacks (p1, "trivially");
    testutil_assert_lacks (p1, "Error creating");
    remove_report (dir, path);
    case_clear (&r);
}

static void
test_bad_path (void)
{
    g_autoptr (GError) error = NULL;
    Case r;

    g_test_summary ("an unwritable path fails with an error and no file");
    case_run (&r, testutil_load_example ("mixed-minimal.yaml"));
    {
        g_autoptr (RunData) rd = case_data (&r);

        g_assert_false (report_write_pdf ("/nonexistent-dir/report.pdf", rd,
                                          NULL, &error));
    }
    g_assert_error (error, KB_REPORT_ERROR, KB_REPORT_ERROR_FAILED);
    case_clear (&r);
}

int
main (int argc, char **argv)
{
    int status;

    gsl_set_error_handler_off ();
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/report/demo", test_demo);
    g_test_add_func ("/report/many-pools", test_many_pools);
    g_test_add_func ("/report/rejected", test_rejected);
    g_test_add_func ("/report/bad-path", test_bad_path);
    status = g_test_run ();
    testutil_release_fonts ();
    return status;
}
