/* test-runcharts.c: the charts `kbsim run` writes, from a real run. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "models/cluster.h"
#include "models/metrics.h"
#include "models/run.h"
#include "reports/runcharts.h"
#include "tests/support/testutil.h"

static const char *const names[] = {
    "placement", "phases-linux", "phases-windows", "reasons", "ttr", "pulls",
    "cost", "cost-os", "utilization"
};

static void
remove_tree (const char *dir)
{
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *n;

    while (d && (n = g_dir_read_name (d))) {
        g_autofree char *p = g_build_filename (dir, n, NULL);

        g_unlink (p);
    }
    g_rmdir (dir);
}

static void
test_all_formats (void)
{
    g_autoptr (Scenario) s = testutil_load_example ("demo.yaml");
    g_autoptr (Run) run = NULL;
    static const ChartFormat formats[] = { CHART_FORMAT_PNG, CHART_FORMAT_SVG,
                                           CHART_FORMAT_PDF };
    static const char *const ext[] = { "png", "svg", "pdf" };

    g_test_summary ("a run writes every chart in PNG, SVG and PDF; the PDFs "
                    "carry their titles and axis labels");
    s->duration = 3 * SIM_DAY;
    run = run_new (s, 0, RUN_FLAGS_NONE);
    run_execute (run);
    for (gsize f = 0; f < G_N_ELEMENTS (formats); f++) {
        g_autofree char *dir = g_dir_make_tmp ("kbsim-charts-XXXXXX", NULL);
        g_autoptr (GError) error = NULL;

        g_autoptr (RunData) rd = rundata_from_run (run_cluster (run),
                                                   run_metrics (run),
                                                   run_summary (run));

        g_assert_true (runcharts_write (dir, rd, formats[f], 96, &error));
        g_assert_no_error (error);
        for (gsize i = 0; i < G_N_ELEMENTS (names); i++) {
            g_autofree char *file = g_strdup_printf ("%s.%s", names[i],
                                                     ext[f]);
            g_autofree char *path = g_build_filename (dir, file, NULL);
            GStatBuf st;

            g_assert_cmpint (g_stat (path, &st), ==, 0);
            g_assert_cmpint (st.st_size, >, 1000);
        }
        if (formats[f] == CHART_FORMAT_PDF) {
            g_autofree char *p1 = g_build_filename (dir, "placement.pdf",
                                                    NULL);
            g_autofree char *p2 = g_build_filename (dir, "cost.pdf", NULL);
            g_autofree char *t1 = testutil_pdf_text (p1);
            g_autofree char *t2 = testutil_pdf_text (p2);

            testutil_assert_contains (t1, "Placement success");
            testutil_assert_contains (t1, "Simulated time");
            testutil_assert_contains (t1, "win2019 upgrade_pool");
            testutil_assert_contains (t2, "Cost accrued");
            testutil_assert_contains (t2, "win2022");
        }
        remove_tree (dir);
    }
}

static void
test_empty_messages (void)
{
    g_autoptr (Scenario) s = testutil_load_text (
        "name: quiet\n"
        "duration: 1h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 1, instance: m5.xlarge}\n");
    g_autoptr (Run) run = run_new (s, 0, RUN_FLAGS_NONE);
    g_autofree char *dir = g_dir_make_tmp ("kbsim-charts-XXXXXX", NULL);
    g_autoptr (GError) error = NULL;

    g_test_summary ("charts with nothing to show say so");
    run_execute (run);
    {
        g_autoptr (RunData) rd = rundata_from_run (run_cluster (run),
                                                   run_metrics (run),
                                                   run_summary (run));

        g_assert_true (runcharts_write (dir, rd, CHART_FORMAT_PDF, 96,
                                        &error));
    }
    {
        g_autofree char *p = g_build_filename (dir, "pulls.pdf", NULL);
        g_autofree char *t = testutil_pdf_text (p);
        g_autofree char *p2 = g_build_filename (dir, "phases-windows.pdf",
                                                NULL);
        g_autofree char *t2 = testutil_pdf_text (p2);

        testutil_assert_contains (t, "no image pulls in this run");
        testutil_assert_contains (t2, "no Windows pods in this run");
    }
    remove_tree (dir);
}

int
main (int argc, char **argv)
{
    int status;

    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/runcharts/all-formats", test_all_formats);
    g_test_add_func ("/runcharts/empty-messages", test_empty_messages);
    status = g_test_run ();
    testutil_release_fonts ();
    return status;
}
