/* test-runcharts.c: the charts `kbsim run` writes, from a real run. */
#include <math.h>
#include <string.h>

#include <cairo.h>
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

/* ---- OS colours, by pixels ---------------------------------------------
 *
 * Issue 20: the cost charts drew the Linux pool blue (Windows' colour,
 * taken from the automatic order) and "Cost by OS" all blue under a
 * one-entry legend. The charts are drawn at 1 px per point and a column
 * of the plot is read from the x axis up: the colours are checked where
 * the data must have put them, never on text. */

#define ORANGE  0xE69F00
#define BLUE    0x0072B2

typedef struct {
    cairo_surface_t *img;
    ChartLayout layout;
} Drawn;

static void
drawn_init (Drawn *dr, Chart *chart)
{
    cairo_t *cr;

    dr->img = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 640, 360);
    cr = cairo_create (dr->img);
    chart_render (chart, cr, 640, 360);
    g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
    cairo_destroy (cr);
    cairo_surface_flush (dr->img);
    chart_layout (chart, 640, 360, &dr->layout);
}

static void
drawn_clear (Drawn *dr)
{
    chart_layout_clear (&dr->layout);
    cairo_surface_destroy (dr->img);
}

static guint32
pixel_at (cairo_surface_t *img, int x, int y)
{
    const unsigned char *data = cairo_image_surface_get_data (img);
    int stride = cairo_image_surface_get_stride (img);

    return *(const guint32 *) (gconstpointer) (data + y * stride + x * 4)
           & 0xFFFFFF;
}

/* The lowest and highest rows of column x inside the plot painted rgb
 * exactly, or -1 for both when none is. */
static void
column_span (const Drawn *dr, double x, guint32 rgb, int *lo, int *hi)
{
    const ChartRect *p = &dr->layout.plot;
    int cx = (int) floor (x);

    *lo = *hi = -1;
    for (int y = (int) ceil (p->y); y < (int) floor (p->y + p->height); y++)
        if (pixel_at (dr->img, cx, y) == rgb) {
            if (*hi < 0)
                *hi = y;
            *lo = y;
        }
}

static RunData *
demo_run_data (Run **run)
{
    Scenario *s = testutil_load_example ("demo.yaml");

    s->duration = 3 * SIM_DAY;
    *run = run_new (s, 0, RUN_FLAGS_NONE);
    run_execute (*run);
    return rundata_from_run (run_cluster (*run), run_metrics (*run),
                             run_summary (*run));
}

static void
test_cost_colors (void)
{
    Run *run = NULL;
    RunData *rd = demo_run_data (&run);
    const Scenario *sc = rd->sc;
    g_autoptr (Chart) chart = runcharts_build ("cost", rd);
    Drawn dr;
    int olo, ohi, blo, bhi;

    g_test_summary ("the cost chart draws the first Linux pool orange at "
                    "the bottom of the stack and the first Windows pool "
                    "blue above it");
    g_assert_cmpstr (((KbPoolSpec *) sc->pools->pdata[0])->name, ==,
                     "linux-general");
    drawn_init (&dr, chart);
    column_span (&dr, dr.layout.plot.x + dr.layout.plot.width - 4, ORANGE,
                 &olo, &ohi);
    column_span (&dr, dr.layout.plot.x + dr.layout.plot.width - 4, BLUE,
                 &blo, &bhi);
    g_assert_cmpint (olo - ohi, >, 3);
    g_assert_cmpint (blo - bhi, >, 3);
    /* linux-general lies on the axis, win2019 above linux-batch. */
    g_assert_cmpint (olo, >=, (int) (dr.layout.plot.y
                                      + dr.layout.plot.height) - 3);
    g_assert_cmpint (blo, <, ohi);
    drawn_clear (&dr);
    rundata_free (rd);
    run_free (run);
    scenario_free ((Scenario *) sc);
}

static void
test_cost_os_colors (void)
{
    Run *run = NULL;
    RunData *rd = demo_run_data (&run);
    const Scenario *sc = rd->sc;
    g_autoptr (Chart) chart = runcharts_build ("cost-os", rd);
    double band;
    Drawn dr;
    int lo, hi;

    g_test_summary ("Cost by OS draws the Linux bar orange with no blue, "
                    "and the Windows bar blue with no orange");
    drawn_init (&dr, chart);
    band = dr.layout.plot.width / 3;
    column_span (&dr, dr.layout.plot.x + band * 0.5, ORANGE, &lo, &hi);
    g_assert_cmpint (lo - hi, >, 10);
    column_span (&dr, dr.layout.plot.x + band * 0.5, BLUE, &lo, &hi);
    g_assert_cmpint (lo, ==, -1);
    column_span (&dr, dr.layout.plot.x + band * 1.5, BLUE, &lo, &hi);
    g_assert_cmpint (lo - hi, >, 10);
    column_span (&dr, dr.layout.plot.x + band * 1.5, ORANGE, &lo, &hi);
    g_assert_cmpint (lo, ==, -1);
    drawn_clear (&dr);
    rundata_free (rd);
    run_free (run);
    scenario_free ((Scenario *) sc);
}

static void
test_reason_counts (void)
{
    Run *run = NULL;
    RunData *rd = demo_run_data (&run);
    const Scenario *sc = rd->sc;
    g_autoptr (Chart) chart = runcharts_build ("reasons", rd);
    g_autofree char *dir = g_dir_make_tmp ("kbsim-charts-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "reasons.pdf", NULL);
    g_autoptr (GError) error = NULL;
    g_autofree char *text = NULL;

    g_test_summary ("the failure-reasons chart writes each bar's pod count "
                    "on it, not only in summary.json");
    g_assert_true (chart_save (chart, path, CHART_FORMAT_PDF, 640, 360, 72,
                               &error));
    g_assert_no_error (error);
    text = testutil_pdf_text (path);
    if (text != NULL) {
        g_assert_cmpuint (rd->summary->reasons->len, >, 0);
        for (guint i = 0; i < rd->summary->reasons->len; i++) {
            const SummaryReason *r = rd->summary->reasons->pdata[i];
            g_autofree char *n = units_format_value (UNITS_VALUE_PLAIN,
                                                     (double) r->count, 1);

            testutil_assert_contains (text, n);
        }
        testutil_assert_lacks (text, "summary.json");
    }
    g_unlink (path);
    g_rmdir (dir);
    rundata_free (rd);
    run_free (run);
    scenario_free ((Scenario *) sc);
}

int
main (int argc, char **argv)
{
    int status;

    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/runcharts/all-formats", test_all_formats);
    g_test_add_func ("/runcharts/empty-messages", test_empty_messages);
    g_test_add_func ("/runcharts/cost-os-colours", test_cost_colors);
    g_test_add_func ("/runcharts/cost-by-os-colours", test_cost_os_colors);
    g_test_add_func ("/runcharts/reason-counts", test_reason_counts);
    status = g_test_run ();
    testutil_release_fonts ();
    return status;
}
