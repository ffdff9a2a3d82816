/* test-chart.c: reports/chart.h: ticks, number formats, layout, and every
 * kind of chart written as PNG, SVG and PDF.
 *
 * Charts are checked by geometry and data, not by pixels of text (cairo's
 * test/README): PNG pixels are sampled only where a series must have put
 * its colour, computed from chart_layout(); text is checked by extracting
 * it from the PDF with pdftotext (poppler-utils), and that check is
 * skipped when pdftotext is missing.
 *
 * Set KBSIM_CHART_KEEP=DIR to keep a PNG of every kind in DIR for a look.
 */
#include "reports/chart.h"
#include "tests/support/testutil.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <pango/pangocairo.h>

#define W_PT    400.0
#define H_PT    300.0
#define DPI     144.0
#define W_PX    800             /* W_PT * DPI / 72 */
#define H_PX    600

/* ---- nice ticks --------------------------------------------------------- */

typedef struct {
    double lo, hi;
    guint max_ticks;
    double step, first;
    guint n;
} TickCase;

static void
check_ticks (void (*fn) (double, double, guint, double *, double *, guint *),
             const TickCase *cases, gsize n_cases)
{
    for (gsize i = 0; i < n_cases; i++) {
        const TickCase *c = &cases[i];
        double step = -1, first = -1;
        guint n = 0;

        fn (c->lo, c->hi, c->max_ticks, &step, &first, &n);
        g_test_message ("case %" G_GSIZE_FORMAT ": (%g, %g, %u) -> "
                        "(%g, %g, %u)", i, c->lo, c->hi, c->max_ticks, step,
                        first, n);
        g_assert_cmpfloat_with_epsilon (step, c->step, c->step * 1e-12);
        g_assert_cmpfloat_with_epsilon (first, c->first, c->step * 1e-9);
        g_assert_cmpuint (n, ==, c->n);
        /* The documented rule: the ticks cover the range. */
        g_assert_cmpfloat (first, <=, MIN (c->lo, c->hi) + step * 1e-9);
        g_assert_cmpfloat (first + (n - 1) * step, >=,
                           MAX (c->lo, c->hi) - step * 1e-9);
        g_assert_cmpuint (n, <=, c->max_ticks);
    }
}

static void
test_nice_ticks (void)
{
    static const TickCase cases[] = {
        /* lo, hi, max -> step, first, n: the ticks */
        { 0, 97, 6, 20, 0, 6 },                 /* 0 .. 100 */
        { 0, 100, 6, 20, 0, 6 },                /* hi on a tick */
        { 0, 80, 5, 20, 0, 5 },
        { 3, 97, 6, 20, 0, 6 },
        { 0, 1, 6, 0.2, 0, 6 },
        { 0, 1, 5, 0.5, 0, 3 },                 /* 0.2 needs 6 */
        { 0, 12500, 5, 5000, 0, 4 },            /* 0 .. 15,000 */
        { 0, 12500, 8, 2000, 0, 8 },            /* 0 .. 14,000 */
        { 0, 12500, 14, 1000, 0, 14 },
        { -3, 7, 6, 5, -5, 4 },                 /* 2 would need 7 */
        { -97, -3, 6, 20, -100, 6 },
        { 97, 0, 6, 20, 0, 6 },                 /* swapped */
        { 0.1, 0.3, 3, 0.1, 0.1, 3 },           /* 0.3 / 0.1 > 3 */
        { 0.001, 0.0097, 6, 0.002, 0, 6 },
        { 0, 1e-9, 6, 2e-10, 0, 6 },            /* tiny */
        { 1e6, 1e6 + 1, 6, 0.2, 1e6, 6 },       /* tiny, far from 0 */
        { 0, 1e300, 6, 2e299, 0, 6 },           /* huge */
        { -8e307, 8e307, 3, 1e308, -1e308, 3 }, /* near DBL_MAX */
        { 50, 50, 5, 5, 45, 3 },                /* lo == hi: 45 .. 55 */
        { -2, -2, 5, 0.1, -2.2, 5 },            /* -2.2 .. -1.8 */
        { 0, 0, 5, 0.5, 0, 3 },                 /* 0 .. 1 */
        { 0, 0, 6, 0.2, 0, 6 },
    };

    g_test_summary ("ticks step by 1, 2 or 5 times a power of ten, cover "
                    "[lo, hi] and number at most max_ticks");
    check_ticks (chart_nice_ticks, cases, G_N_ELEMENTS (cases));
}

static void
test_nice_time_ticks (void)
{
    static const TickCase cases[] = {
        { 0, 86400, 6, 21600, 0, 5 },           /* every 6 h */
        { 0, 86400, 10, 10800, 0, 9 },          /* every 3 h */
        { 0, 3 * 86400, 6, 86400, 0, 4 },       /* 12 h would need 7 */
        { 0, 3600, 6, 900, 0, 5 },              /* every 15 min */
        { 0, 100, 6, 30, 0, 5 },                /* 15 s would need 8 */
        { 0, 30 * 86400, 6, 604800, 0, 6 },     /* weekly */
        { 0, 400 * 86400, 6, 100 * 86400, 0, 5 },
        { 0, 0.5, 6, 0.1, 0, 6 },               /* under a second */
        { 7200, 7200, 5, 600, 6000, 5 },        /* lo == hi: 6480 .. 7920 */
    };

    g_test_summary ("time ticks step by whole seconds, minutes, hours or "
                    "days");
    check_ticks (chart_nice_time_ticks, cases, G_N_ELEMENTS (cases));
}

/* ---- number formats ----------------------------------------------------- */

typedef struct {
    UnitsValueFormat format;
    double v, step;
    const char *text;
} FormatCase;

static const FormatCase format_cases[] = {
    { UNITS_VALUE_PLAIN, 12500, 2500, "12,500" },
    { UNITS_VALUE_PLAIN, 1234567, 1, "1,234,567" },
    { UNITS_VALUE_PLAIN, 999, 1, "999" },
    { UNITS_VALUE_PLAIN, 1000, 1000, "1,000" },
    { UNITS_VALUE_PLAIN, 1e6, 2e5, "1,000,000" },
    { UNITS_VALUE_PLAIN, -1500, 500, "-1,500" },
    { UNITS_VALUE_PLAIN, 0.25, 0.05, "0.25" },
    { UNITS_VALUE_PLAIN, 0.6000000000000001, 0.2, "0.6" },
    { UNITS_VALUE_PLAIN, 0, 0.2, "0.0" },
    { UNITS_VALUE_PLAIN, -1e-17, 0.2, "0.0" },          /* no "-0.0" */
    { UNITS_VALUE_PLAIN, 12.345, 0, "12.3" },
    { UNITS_VALUE_PLAIN, 0.012345, 0, "0.0123" },
    { UNITS_VALUE_PLAIN, 12345, 0, "12,345" },
    { UNITS_VALUE_PLAIN, 3, 0, "3.00" },
    { UNITS_VALUE_PLAIN, NAN, 1, "n/a" },
    { UNITS_VALUE_PERCENT, 0.4, 0.2, "40%" },
    { UNITS_VALUE_PERCENT, 0.125, 0.025, "12.5%" },
    { UNITS_VALUE_PERCENT, 1, 0.2, "100%" },
    { UNITS_VALUE_PERCENT, 0, 0.2, "0%" },
    { UNITS_VALUE_PERCENT, 0.999, 0, "99.9%" },
    { UNITS_VALUE_USD, 1234, 500, "$1,234" },
    { UNITS_VALUE_USD, 12500, 2500, "$12,500" },
    { UNITS_VALUE_USD, -5, 5, "-$5" },
    { UNITS_VALUE_USD, 0.5, 0.1, "$0.50" },
    { UNITS_VALUE_USD, 0.05, 0.01, "$0.05" },
    { UNITS_VALUE_USD, 0.005, 0.005, "$0.005" },
    { UNITS_VALUE_USD, 1.2345, 0, "$1.23" },
    { UNITS_VALUE_BYTES, 1.5e9, 5e8, "1.5 GB" },
    { UNITS_VALUE_BYTES, 0, 5e8, "0.0 GB" },
    { UNITS_VALUE_BYTES, 2e9, 1e9, "2 GB" },
    { UNITS_VALUE_BYTES, 250e6, 50e6, "250 MB" },
    { UNITS_VALUE_BYTES, 12.5e12, 2.5e12, "12.5 TB" },
    { UNITS_VALUE_BYTES, 1.49e9, 0, "1.49 GB" },
    { UNITS_VALUE_BYTES, 70e6, 0, "70.0 MB" },
    { UNITS_VALUE_BYTES, 812, 0, "812 B" },
    { UNITS_VALUE_TIME, 0, 21600, "0" },
    { UNITS_VALUE_TIME, 21600, 21600, "6 h" },
    { UNITS_VALUE_TIME, 86400, 21600, "1 d" },
    { UNITS_VALUE_TIME, 129600, 21600, "1 d 12 h" },
    { UNITS_VALUE_TIME, 604800, 86400, "7 d" },
    { UNITS_VALUE_TIME, 3 * 86400 + 1, 86400, "3 d" },  /* rounded */
    { UNITS_VALUE_TIME, 1800, 900, "30 min" },
    { UNITS_VALUE_TIME, 5400, 900, "1 h 30 min" },
    { UNITS_VALUE_TIME, 45, 15, "45 s" },
    { UNITS_VALUE_TIME, 90, 30, "1 min 30 s" },
    { UNITS_VALUE_TIME, 1.5, 0.5, "1.5 s" },
    { UNITS_VALUE_TIME, -3600, 3600, "-1 h" },
    { UNITS_VALUE_TIME, 5432, 0, "1 h 30 min 32 s" },
    { UNITS_VALUE_TIME, 95, 0, "1 min 35 s" },
    { UNITS_VALUE_TIME, 12.5, 0, "12.5 s" },
    { UNITS_VALUE_TIME, 0.25, 0, "0.25 s" },
};

static void
check_formats (void)
{
    for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++) {
        const FormatCase *c = &format_cases[i];
        g_autofree char *s = units_format_value (c->format, c->v, c->step);

        g_test_message ("case %" G_GSIZE_FORMAT ": %g step %g", i, c->v,
                        c->step);
        g_assert_cmpstr (s, ==, c->text);
    }
}

static void
test_format (void)
{
    g_test_summary ("thousands separators, percent, USD, decimal bytes and "
                    "simulated time, at the step's precision");
    check_formats ();
}

static void
test_format_locale (void)
{
    static const char *const locales[] = {
        "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "de_DE",
        "fr_FR", "nl_NL.UTF-8", "it_IT.UTF-8"
    };
    g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
    const char *found = NULL;

    g_test_summary ("a locale with a decimal comma changes no label");
    for (gsize i = 0; i < G_N_ELEMENTS (locales) && found == NULL; i++)
        found = setlocale (LC_NUMERIC, locales[i]);
    if (found == NULL) {
        g_test_skip ("no locale with a decimal comma is installed");
        return;
    }
    check_formats ();
    setlocale (LC_NUMERIC, saved);
}

/* ---- the charts --------------------------------------------------------- */

/* A point, in data units, where a colour must be: the series' colour
 * drawn at alpha over white. */
typedef struct {
    double x, y;
    guint32 rgb;
    double alpha;
} Probe;

typedef struct {
    const char *name;
    Chart *(*build) (void);
    const char *texts[4];       /* in the PDF's text; NULL ends */
    Probe probes[3];            /* alpha 0 ends */
} KindCase;

#define BLUE   0x0072B2
#define ORANGE 0xE69F00
#define GREEN  0x009E73

static Chart *
build_line (void)
{
    static const double x[] = { 0, 21600, 43200, 64800, 86400 };
    static const double win[] = { 50, 50, 50, 50, 50 };
    static const double lin[] = { 20, 20, 20, 20, 20 };
    Chart *c = chart_new ("Pending pods by OS");

    chart_set_subtitle (c, "demo scenario, seed 1");
    chart_set_axis (c, CHART_AXIS_X, "Simulated time", NULL,
                    UNITS_VALUE_TIME);
    chart_set_axis (c, CHART_AXIS_Y, "Pending", "pods", UNITS_VALUE_PLAIN);
    chart_set_axis_range (c, CHART_AXIS_Y, 0, 100);
    chart_add_line (c, "windows", CHART_COLOR_WINDOWS, x, win, 5);
    chart_add_line (c, "linux", CHART_COLOR_LINUX, x, lin, 5);
    return c;
}

static Chart *
build_step (void)
{
    static const double x[] = { 0, 50, 100 };
    static const double y[] = { 20, 80, 80 };
    Chart *c = chart_new ("Running pods");

    chart_set_axis (c, CHART_AXIS_X, "Sample", NULL, UNITS_VALUE_PLAIN);
    chart_set_axis (c, CHART_AXIS_Y, "Running", "pods", UNITS_VALUE_PLAIN);
    chart_set_axis_range (c, CHART_AXIS_X, 0, 100);
    chart_set_axis_range (c, CHART_AXIS_Y, 0, 100);
    chart_add_step (c, "windows", CHART_COLOR_WINDOWS, x, y, 3);
    return c;
}

static Chart *
build_area (void)
{
    static const double x[] = { 0, 5, 10 };
    static const double a[] = { 3000, 3000, 3000 };
    static const double b[] = { 2000, 2000, 2000 };
    static const double d[] = { 1000, 1000, 1000 };
    Chart *c = chart_new ("Pods by state, stacked");

    chart_set_axis (c, CHART_AXIS_X, "Hour", NULL, UNITS_VALUE_PLAIN);
    chart_set_axis (c, CHART_AXIS_Y, "Pods", NULL, UNITS_VALUE_PLAIN);
    chart_add_area (c, "running", CHART_COLOR_BLUISH_GREEN, x, a, 3);
    chart_add_area (c, "creating", CHART_COLOR_BLUE, x, b, 3);
    chart_add_area (c, "backoff", CHART_COLOR_ORANGE, x, d, 3);
    return c;
}

static const char *const pools[] = {
    "linux", "windows-2019", "windows-2022"
};

static Chart *
build_grouped (void)
{
    static const double placed[] = { 90, 40, 70 };
    static const double failed[] = { 10, 60, 30 };
    Chart *c = chart_new ("Placement by pool");

    chart_set_axis (c, CHART_AXIS_Y, "Pods", NULL, UNITS_VALUE_PLAIN);
    chart_set_categories (c, pools, 3);
    chart_add_bars (c, "placed", CHART_COLOR_BLUE, placed, 3);
    chart_add_bars (c, "failed", CHART_COLOR_ORANGE, failed, 3);
    return c;
}

static Chart *
build_stacked (void)
{
    static const double nodes[] = { 9000, 4000, 7000 };
    static const double licence[] = { 1000, 6000, 3000 };
    Chart *c = chart_new ("Cost by pool");

    chart_set_axis (c, CHART_AXIS_Y, "Cost", NULL, UNITS_VALUE_USD);
    chart_set_categories (c, pools, 3);
    chart_set_bar_mode (c, CHART_BARS_STACKED);
    chart_add_bars (c, "nodes", CHART_COLOR_BLUE, nodes, 3);
    chart_add_bars (c, "licence", CHART_COLOR_ORANGE, licence, 3);
    return c;
}

static Chart *
build_histogram (void)
{
    double v[1000];
    Chart *c = chart_new ("Image pull durations");

    for (int i = 0; i < 1000; i++)
        v[i] = i;
    chart_set_axis (c, CHART_AXIS_X, "Pull time", NULL, UNITS_VALUE_TIME);
    chart_set_axis (c, CHART_AXIS_Y, "Pulls", NULL, UNITS_VALUE_PLAIN);
    chart_add_histogram (c, "pulls", CHART_COLOR_BLUE, v, 1000, 10);
    return c;
}

static Chart *
build_cdf (void)
{
    double v[101];
    Chart *c = chart_new ("Time to Running");
    guint s;

    /* 1 .. 100 shuffled (37 is prime to 100), and a NaN, which a CDF
     * leaves out. */
    for (int i = 0; i < 100; i++)
        v[i] = (i * 37) % 100 + 1;
    v[100] = v[7];
    v[7] = NAN;
    chart_set_axis (c, CHART_AXIS_X, "Creation to Running", NULL,
                    UNITS_VALUE_TIME);
    chart_set_axis (c, CHART_AXIS_Y, "Pods", NULL, UNITS_VALUE_PERCENT);
    s = chart_add_cdf (c, "windows", CHART_COLOR_WINDOWS, v, 101);
    chart_add_cdf_quantile (c, s, 0.5, NULL);
    chart_add_cdf_quantile (c, s, 0.95, NULL);
    return c;
}

static Chart *
build_heatmap (void)
{
    static const char *const rows[] = {
        "linux-pool", "win2019-pool", "win2022-pool"
    };
    double edges[25], values[3 * 24];
    Chart *c = chart_new ("Pods in back-off by pool");

    for (int i = 0; i <= 24; i++)
        edges[i] = i * 3600.0;
    for (int i = 0; i < 3 * 24; i++)
        values[i] = i;
    chart_set_axis (c, CHART_AXIS_X, "Simulated time", NULL,
                    UNITS_VALUE_TIME);
    chart_set_heatmap (c, rows, 3, edges, 24, values, "Backoff pods",
                       UNITS_VALUE_PLAIN);
    return c;
}

static Chart *
build_band (void)
{
    static const double x[] = { 0, 25, 50, 75, 100 };
    static const double mid[] = { 50, 50, 50, 50, 50 };
    static const double lo[] = { 30, 30, 30, 30, 30 };
    static const double hi[] = { 70, 70, 70, 70, 70 };
    Chart *c = chart_new ("Placement over 20 replications");
    guint s;

    chart_set_axis (c, CHART_AXIS_X, "Arrival rate", "pods/h",
                    UNITS_VALUE_PLAIN);
    chart_set_axis (c, CHART_AXIS_Y, "Placed", NULL, UNITS_VALUE_PLAIN);
    chart_set_axis_range (c, CHART_AXIS_X, 0, 100);
    chart_set_axis_range (c, CHART_AXIS_Y, 0, 100);
    s = chart_add_line (c, "mean, 95% interval", CHART_COLOR_BLUE, x, mid,
                        5);
    chart_set_band (c, s, lo, hi, 5);
    return c;
}

static Chart *
build_events (void)
{
    Chart *c = build_line ();

    chart_add_event (c, 30000, "win2019 upgrade starts");
    chart_add_event (c, 32000, "win2019 upgrade ends");
    chart_add_event (c, 33000, "control plane 1.29");
    chart_add_event (c, 84000, "registry outage");
    chart_add_event (c, 200000, "after the run");
    return c;
}

static Chart *
build_empty (void)
{
    Chart *c = chart_new ("Image pulls");

    chart_set_axis (c, CHART_AXIS_X, "Pull time", NULL, UNITS_VALUE_TIME);
    chart_set_axis (c, CHART_AXIS_Y, "Pulls", NULL, UNITS_VALUE_PLAIN);
    chart_set_empty_message (c, "no image pulls in this run");
    chart_add_histogram (c, "pulls", CHART_COLOR_BLUE, NULL, 0, 10);
    return c;
}

static const KindCase kinds[] = {
    { "line", build_line,
      { "Pending pods by OS", "Simulated time", "12 h", "Pending (pods)" },
      { { 43200, 50, BLUE, 1 }, { 43200, 20, ORANGE, 1 } } },
    { "step", build_step,
      { "Running pods", "Sample", "80", NULL },
      { { 25, 20, BLUE, 1 }, { 75, 80, BLUE, 1 } } },
    { "area", build_area,
      { "Pods by state, stacked", "6,000", "backoff", NULL },
      { { 5, 1500, GREEN, 1 }, { 5, 4000, BLUE, 1 },
        { 5, 5500, ORANGE, 1 } } },
    { "grouped-bars", build_grouped,
      { "Placement by pool", "windows-2019", "100", NULL },
      { { 0.3, 45, BLUE, 1 }, { 1.7, 30, ORANGE, 1 } } },
    { "stacked-bars", build_stacked,
      { "Cost by pool", "$10,000", "licence", NULL },
      { { 0.5, 4500, BLUE, 1 }, { 0.5, 9500, ORANGE, 1 },
        { 1.5, 7000, ORANGE, 1 } } },
    { "histogram", build_histogram,
      { "Image pull durations", "Pulls", "10 min", NULL },
      { { 450, 50, BLUE, 1 } } },
    { "cdf", build_cdf,
      { "Time to Running", "p50 = 50 s", "p95 = 1 min 35 s", "60%" },
      { { 50.5, 0.5, BLUE, 1 } } },
    { "heatmap", build_heatmap,
      { "win2019-pool", "Backoff pods", "12 h", NULL },
      { { 23.5 * 3600, 2.5, 0x08306B, 1 } } },
    { "band", build_band,
      { "Placement over 20 replications", "Arrival rate (pods/h)", NULL },
      { { 50, 50, BLUE, 1 }, { 50, 40, BLUE, 0.25 } } },
    { "events", build_events,
      { "win2019 upgrade starts", "win2019 upgrade ends",
        "control plane 1.29", "registry outage" },
      { { 43200, 50, BLUE, 1 } } },
    { "empty", build_empty,
      { "Image pulls", "no image pulls in this run", "Pull time", NULL },
      { { 0, 0, 0, 0 } } },
};

/* ---- checks on files ---------------------------------------------------- */

static char *
tmp_dir (void)
{
    GError *error = NULL;
    char *dir = g_dir_make_tmp ("kbsim-chart-XXXXXX", &error);

    g_assert_no_error (error);
    return dir;
}

/* Removes dir, which must hold exactly the files named; so no temporary
 * file was left behind. */
static void
rm_dir (const char *dir, const char *const *names, gsize n)
{
    GDir *d = g_dir_open (dir, 0, NULL);
    const char *entry;
    guint count = 0;

    g_assert_nonnull (d);
    while ((entry = g_dir_read_name (d)) != NULL) {
        g_autofree char *path = g_build_filename (dir, entry, NULL);
        gboolean expected = FALSE;

        for (gsize i = 0; i < n; i++)
            expected |= strcmp (entry, names[i]) == 0;
        if (!expected)
            g_test_message ("unexpected file %s", entry);
        g_assert_true (expected);
        g_assert_cmpint (g_unlink (path), ==, 0);
        count++;
    }
    g_dir_close (d);
    g_assert_cmpuint (count, ==, n);
    g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static guint
color_distance (guint32 a, guint32 b)
{
    guint d = 0;

    for (int shift = 0; shift <= 16; shift += 8)
        d += ABS ((int) ((a >> shift) & 0xFF) - (int) ((b >> shift) & 0xFF));
    return d;
}

static guint32
blend_white (guint32 rgb, double alpha)
{
    guint32 out = 0;

    for (int shift = 0; shift <= 16; shift += 8) {
        double c = (rgb >> shift) & 0xFF;

        out |= (guint32) lround (255 + (c - 255) * alpha) << shift;
    }
    return out;
}

static guint32
pixel (cairo_surface_t *img, int x, int y)
{
    const unsigned char *data = cairo_image_surface_get_data (img);
    int stride = cairo_image_surface_get_stride (img);

    return *(const guint32 *) (data + y * stride + x * 4) & 0xFFFFFF;
}

/* Whether rgb is within 3 pixels of the probe's point. */
static gboolean
probe_found (cairo_surface_t *img, const ChartLayout *l, const Probe *p)
{
    double scale = DPI / 72;
    double px = l->plot.x + (p->x - l->x_lo) / (l->x_hi - l->x_lo)
                            * l->plot.width;
    double py = l->plot.y + l->plot.height
                - (p->y - l->y_lo) / (l->y_hi - l->y_lo) * l->plot.height;
    guint32 want = blend_white (p->rgb, p->alpha);
    int cx = (int) floor (px * scale), cy = (int) floor (py * scale);

    for (int y = cy - 3; y <= cy + 3; y++)
        for (int x = cx - 3; x <= cx + 3; x++)
            if (x >= 0 && y >= 0 && x < W_PX && y < H_PX
                && color_distance (pixel (img, x, y), want) <= 24)
                return TRUE;
    g_test_message ("no #%06X near (%d, %d): #%06X there", want, cx, cy,
                    pixel (img, cx, cy));
    return FALSE;
}

static void
check_png (const char *path, Chart *chart, const KindCase *k)
{
    cairo_surface_t *img = cairo_image_surface_create_from_png (path);
    ChartLayout l;
    guint inked = 0;

    g_assert_cmpint (cairo_surface_status (img), ==, CAIRO_STATUS_SUCCESS);
    g_assert_cmpint (cairo_image_surface_get_width (img), ==, W_PX);
    g_assert_cmpint (cairo_image_surface_get_height (img), ==, H_PX);
    cairo_surface_flush (img);
    for (int y = 0; y < H_PX; y++)
        for (int x = 0; x < W_PX; x++)
            inked += color_distance (pixel (img, x, y), 0xFFFFFF) > 60;
    /* Even the empty chart has a title, a frame and a message. */
    g_assert_cmpuint (inked, >, W_PX * H_PX / 200);
    chart_layout (chart, W_PT, H_PT, &l);
    g_assert_cmpint (l.empty, ==, k->build == build_empty);
    for (gsize i = 0; i < G_N_ELEMENTS (k->probes); i++) {
        if (k->probes[i].alpha == 0)
            break;
        g_test_message ("%s probe %" G_GSIZE_FORMAT, k->name, i);
        g_assert_true (probe_found (img, &l, &k->probes[i]));
    }
    chart_layout_clear (&l);
    cairo_surface_destroy (img);
}

/* Whether data, which may hold NULs, contains s. */
static gboolean
mem_contains (const char *data, gsize len, const char *s)
{
    gsize n = strlen (s);

    for (gsize i = 0; i + n <= len; i++)
        if (memcmp (data + i, s, n) == 0)
            return TRUE;
    return FALSE;
}

static void
check_file_starts (const char *path, const char *magic, const char *within)
{
    g_autofree char *data = NULL;
    gsize len = 0;

    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    g_assert_cmpuint (len, >, strlen (magic));
    g_assert_cmpint (memcmp (data, magic, strlen (magic)), ==, 0);
    if (within != NULL)
        g_assert_true (mem_contains (data, len, within));
}

static void
check_pdf (const char *path, const KindCase *k)
{
    g_autofree char *text = NULL;

    check_file_starts (path, "%PDF-", NULL);
    text = testutil_pdf_text (path);
    if (text == NULL)
        return;
    for (gsize i = 0; i < G_N_ELEMENTS (k->texts) && k->texts[i]; i++) {
        if (strstr (text, k->texts[i]) == NULL)
            g_test_message ("'%s' not in:\n%s", k->texts[i], text);
        testutil_assert_contains (text, k->texts[i]);
    }
}

static void
keep_png (const KindCase *k, Chart *chart)
{
    const char *keep = g_getenv ("KBSIM_CHART_KEEP");
    g_autofree char *name = NULL;
    g_autofree char *path = NULL;
    GError *error = NULL;

    if (keep == NULL || *keep == '\0')
        return;
    name = g_strconcat (k->name, ".png", NULL);
    path = g_build_filename (keep, name, NULL);
    g_assert_cmpint (g_mkdir_with_parents (keep, 0755), ==, 0);
    g_assert_true (chart_save (chart, path, CHART_FORMAT_PNG, W_PT, H_PT,
                               DPI, &error));
    g_assert_no_error (error);
}

static void
test_kind (gconstpointer data)
{
    static const char *const names[] = { "c.png", "c.svg", "c.pdf" };
    const KindCase *k = data;
    g_autoptr (Chart) chart = k->build ();
    g_autofree char *dir = tmp_dir ();
    g_autofree char *png = g_build_filename (dir, names[0], NULL);
    g_autofree char *svg = g_build_filename (dir, names[1], NULL);
    g_autofree char *pdf = g_build_filename (dir, names[2], NULL);
    GError *error = NULL;

    g_test_summary ("a chart of each kind is written as PNG, SVG and PDF; "
                    "its series' colours are where its data is and its "
                    "title, axis and tick labels are in the PDF's text");
    g_assert_true (chart_save (chart, png, CHART_FORMAT_PNG, W_PT, H_PT,
                               DPI, &error));
    g_assert_no_error (error);
    g_assert_true (chart_save (chart, svg, CHART_FORMAT_SVG, W_PT, H_PT,
                               DPI, &error));
    g_assert_no_error (error);
    g_assert_true (chart_save (chart, pdf, CHART_FORMAT_PDF, W_PT, H_PT,
                               DPI, &error));
    g_assert_no_error (error);
    check_png (png, chart, k);
    check_file_starts (svg, "<?xml", "<svg");
    check_pdf (pdf, k);
    keep_png (k, chart);
    rm_dir (dir, names, G_N_ELEMENTS (names));
}

/* ---- layout ------------------------------------------------------------- */

static gboolean
rects_meet (const ChartRect *a, const ChartRect *b)
{
    return a->x < b->x + b->width && b->x < a->x + a->width
           && a->y < b->y + b->height && b->y < a->y + a->height;
}

static void
assert_inside (const ChartRect *r, double w, double h)
{
    g_assert_cmpfloat (r->x, >=, 0);
    g_assert_cmpfloat (r->y, >=, 0);
    g_assert_cmpfloat (r->x + r->width, <=, w);
    g_assert_cmpfloat (r->y + r->height, <=, h);
}

static Chart *
build_many (guint n_series, gboolean long_names)
{
    Chart *c = chart_new ("Placement by workload");
    static const double x[] = { 0, 1, 2 };

    for (guint i = 0; i < n_series; i++) {
        double y[] = { i, i + 1, i + 2 };
        g_autofree char *name = long_names
            ? g_strdup_printf ("windows-2022-iis-workload-%u-with-a-long-name",
                               i)
            : g_strdup_printf ("series %u", i);

        chart_add_line (c, name, CHART_COLOR_AUTO, x, y, 3);
    }
    return c;
}

static void
test_legend_placement (void)
{
    static const struct {
        guint series;
        gboolean long_names;
        double w, h;
        ChartLegendPlace place;
    } cases[] = {
        { 0, FALSE, 400, 300, CHART_LEGEND_NONE },
        { 1, FALSE, 400, 300, CHART_LEGEND_RIGHT },
        { 3, FALSE, 400, 300, CHART_LEGEND_RIGHT },
        { 6, FALSE, 400, 300, CHART_LEGEND_RIGHT },
        { 7, FALSE, 400, 300, CHART_LEGEND_BOTTOM },
        { 12, FALSE, 400, 300, CHART_LEGEND_BOTTOM },
        { 2, TRUE, 400, 300, CHART_LEGEND_BOTTOM },     /* too wide */
        { 6, FALSE, 400, 120, CHART_LEGEND_BOTTOM },    /* too tall */
        { 3, FALSE, 200, 150, CHART_LEGEND_RIGHT },
    };

    g_test_summary ("the legend sits right of the plot, or below it when "
                    "there are many series, and never over it");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (Chart) c = build_many (cases[i].series,
                                          cases[i].long_names);
        ChartLayout l;

        g_test_message ("case %" G_GSIZE_FORMAT, i);
        chart_layout (c, cases[i].w, cases[i].h, &l);
        g_assert_cmpint (l.legend_place, ==, cases[i].place);
        g_assert_false (rects_meet (&l.legend, &l.plot));
        assert_inside (&l.plot, cases[i].w, cases[i].h);
        if (l.legend_place != CHART_LEGEND_NONE)
            assert_inside (&l.legend, cases[i].w, cases[i].h);
        if (l.legend_place == CHART_LEGEND_RIGHT)
            g_assert_cmpfloat (l.legend.x, >=, l.plot.x + l.plot.width);
        if (l.legend_place == CHART_LEGEND_BOTTOM)
            g_assert_cmpfloat (l.legend.y, >=, l.plot.y + l.plot.height);
        g_assert_false (rects_meet (&l.title, &l.plot));
        chart_layout_clear (&l);
    }
}

static void
test_layout_every_kind (void)
{
    static const double sizes[][2] = {
        { 400, 300 }, { 640, 360 }, { 240, 180 }, { 1200, 400 },
    };

    g_test_summary ("at several sizes, nothing a layout places covers the "
                    "plot and everything is on the canvas");
    for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++) {
        g_autoptr (Chart) c = kinds[i].build ();

        for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++) {
            double w = sizes[s][0], h = sizes[s][1];
            ChartLayout l;

            g_test_message ("%s at %g x %g", kinds[i].name, w, h);
            chart_layout (c, w, h, &l);
            assert_inside (&l.plot, w, h);
            g_assert_cmpfloat (l.plot.width, >, w / 3);
            g_assert_cmpfloat (l.plot.height, >, h / 5);
            g_assert_false (rects_meet (&l.legend, &l.plot));
            g_assert_false (rects_meet (&l.scale, &l.plot));
            g_assert_false (rects_meet (&l.events, &l.plot));
            g_assert_false (rects_meet (&l.events, &l.legend));
            g_assert_false (rects_meet (&l.events, &l.scale));
            g_assert_false (rects_meet (&l.events, &l.title));
            if (l.events.width > 0)
                assert_inside (&l.events, w, h);
            g_assert_false (rects_meet (&l.title, &l.plot));
            g_assert_false (rects_meet (&l.legend, &l.scale));
            if (l.scale.width > 0)
                assert_inside (&l.scale, w, h);
            chart_layout_clear (&l);
        }
    }
}

static void
test_events_layout (void)
{
    g_autoptr (Chart) c = build_events ();
    ChartLayout l;
    const ChartRect *r;
    guint shown = 0;

    g_test_summary ("event labels sit above the plot, clear of each other; "
                    "close events are staggered; events off the axis are "
                    "not drawn");
    chart_layout (c, W_PT, H_PT, &l);
    g_assert_cmpuint (l.event_labels->len, ==, 5);
    r = (const ChartRect *) (gpointer) l.event_labels->data;
    for (guint i = 0; i < 4; i++) {
        g_assert_cmpfloat (r[i].width, >, 0);
        g_assert_cmpfloat (r[i].y, >=, l.events.y);
        g_assert_cmpfloat (r[i].y + r[i].height, <=,
                           l.events.y + l.events.height + 1e-9);
        g_assert_cmpfloat (r[i].x, >=, l.events.x);
        g_assert_cmpfloat (r[i].x + r[i].width, <=,
                           l.events.x + l.events.width + 1e-9);
        g_assert_false (rects_meet (&r[i], &l.plot));
        for (guint j = 0; j < i; j++)
            g_assert_false (rects_meet (&r[i], &r[j]));
        shown++;
    }
    g_assert_cmpuint (shown, ==, 4);
    /* 30,000 s, 32,000 s and 33,000 s are close: three rows. */
    g_assert_cmpfloat (r[0].y, <, r[1].y);
    g_assert_cmpfloat (r[1].y, <, r[2].y);
    /* The last one, at 200,000 s, is past the end of the x axis. */
    g_assert_cmpfloat (r[4].width, ==, 0);
    chart_layout_clear (&l);
}

static void
test_empty_layout (void)
{
    static const struct {
        Chart *(*build) (void);
    } cases[] = { { build_empty }, { build_line } };

    g_test_summary ("a chart whose series hold no finite value is empty, "
                    "has no legend and still has a plot frame");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (Chart) c = cases[i].build ();
        ChartLayout l;

        chart_layout (c, W_PT, H_PT, &l);
        g_assert_cmpint (l.empty, ==, cases[i].build == build_empty);
        if (l.empty)
            g_assert_cmpint (l.legend_place, ==, CHART_LEGEND_NONE);
        g_assert_cmpfloat (l.plot.width, >, 100);
        chart_layout_clear (&l);
    }
    {
        static const double nan_y[] = { NAN, NAN };
        static const double x[] = { 0, 1 };
        g_autoptr (Chart) c = chart_new ("NaN only");
        ChartLayout l;

        chart_add_line (c, "gaps", CHART_COLOR_AUTO, x, nan_y, 2);
        chart_layout (c, W_PT, H_PT, &l);
        g_assert_true (l.empty);
        chart_layout_clear (&l);
    }
}

static void
test_axis_ranges (void)
{
    static const double x[] = { 10, 20, 30 };
    static const double y[] = { 3, 97, 50 };
    static const struct {
        gboolean from_zero;
        gboolean fixed;
        double y_lo, y_hi;
    } cases[] = {
        { TRUE, FALSE, 0, 100 },        /* from 0, up to the next tick */
        { FALSE, FALSE, 0, 100 },       /* 3 .. 97 widens to 0 .. 100 */
        { TRUE, TRUE, 25, 75 },         /* told */
    };

    g_test_summary ("the y axis starts at 0 and ends on a tick unless told "
                    "otherwise; the x axis spans the data exactly");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (Chart) c = chart_new (NULL);
        ChartLayout l;

        chart_add_line (c, NULL, CHART_COLOR_AUTO, x, y, 3);
        chart_set_axis_from_zero (c, CHART_AXIS_Y, cases[i].from_zero);
        if (cases[i].fixed)
            chart_set_axis_range (c, CHART_AXIS_Y, 25, 75);
        chart_layout (c, W_PT, H_PT, &l);
        g_assert_cmpfloat_with_epsilon (l.y_lo, cases[i].y_lo, 1e-9);
        g_assert_cmpfloat_with_epsilon (l.y_hi, cases[i].y_hi, 1e-9);
        g_assert_cmpfloat_with_epsilon (l.x_lo, 10, 1e-9);
        g_assert_cmpfloat_with_epsilon (l.x_hi, 30, 1e-9);
        g_assert_cmpint (l.legend_place, ==, CHART_LEGEND_NONE);
        chart_layout_clear (&l);
    }
}

/* ---- files: determinism and errors -------------------------------------- */

static void
test_deterministic (void)
{
    static const char *const names[] = { "a.pdf", "b.pdf", "a.png",
                                         "b.png" };
    g_autoptr (Chart) chart = build_events ();
    g_autofree char *dir = tmp_dir ();

    g_test_summary ("the same chart gives the same PDF and PNG bytes (the "
                    "PDF's creation date is pinned)");
    for (gsize i = 0; i < G_N_ELEMENTS (names); i += 2) {
        g_autofree char *a = g_build_filename (dir, names[i], NULL);
        g_autofree char *b = g_build_filename (dir, names[i + 1], NULL);
        g_autofree char *da = NULL, *db = NULL;
        ChartFormat fmt = i == 0 ? CHART_FORMAT_PDF : CHART_FORMAT_PNG;
        gsize la = 0, lb = 0;
        GError *error = NULL;

        g_assert_true (chart_save (chart, a, fmt, W_PT, H_PT, 96, &error));
        g_assert_true (chart_save (chart, b, fmt, W_PT, H_PT, 96, &error));
        g_assert_no_error (error);
        g_assert_true (g_file_get_contents (a, &da, &la, NULL));
        g_assert_true (g_file_get_contents (b, &db, &lb, NULL));
        g_assert_cmpmem (da, la, db, lb);
        if (fmt == CHART_FORMAT_PDF)
            g_assert_true (mem_contains (da, la, "20260101000000"));
    }
    rm_dir (dir, names, G_N_ELEMENTS (names));
}

static void
test_save_errors (void)
{
    static const struct {
        ChartFormat format;
        double w, h, dpi;
        gboolean missing_dir;
        int code;
        const char *message_part;
    } cases[] = {
        { CHART_FORMAT_PNG, 0, 300, 96, FALSE, KB_CHART_ERROR_INVALID,
          "invalid chart size 0 x 300 pt" },
        { CHART_FORMAT_PDF, 400, -1, 96, FALSE, KB_CHART_ERROR_INVALID,
          "invalid chart size 400 x -1 pt" },
        { CHART_FORMAT_SVG, NAN, 300, 96, FALSE, KB_CHART_ERROR_INVALID,
          "invalid chart size" },
        { CHART_FORMAT_PNG, 400, 300, 0, FALSE, KB_CHART_ERROR_INVALID,
          "invalid resolution 0 dpi" },
        { CHART_FORMAT_PNG, 4000, 300, 1200, FALSE, KB_CHART_ERROR_INVALID,
          "at most 32767 pixels a side" },
        { CHART_FORMAT_PNG, 400, 300, 96, TRUE, KB_CHART_ERROR_IO,
          "cannot write" },
        { CHART_FORMAT_PDF, 400, 300, 96, TRUE, KB_CHART_ERROR_IO,
          "cannot write" },
    };
    g_autoptr (Chart) chart = build_line ();
    g_autofree char *dir = tmp_dir ();

    g_test_summary ("bad sizes and unwritable paths fail with "
                    "KB_CHART_ERROR, leaving no file behind");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *path = g_build_filename (
            dir, cases[i].missing_dir ? "no/such/dir/c" : "c", NULL);
        GError *error = NULL;
        gboolean ok;

        g_test_message ("case %" G_GSIZE_FORMAT, i);
        ok = chart_save (chart, path, cases[i].format, cases[i].w,
                         cases[i].h, cases[i].dpi, &error);
        g_assert_false (ok);
        g_assert_error (error, KB_CHART_ERROR, cases[i].code);
        testutil_assert_contains (error->message, cases[i].message_part);
        g_assert_true (g_str_has_prefix (error->message, path));
        g_error_free (error);
    }
    rm_dir (dir, NULL, 0);
}

static void
test_colors (void)
{
    static const struct {
        ChartColor color;
        guint32 rgb;
    } cases[] = {
        { CHART_COLOR_ORANGE, 0xE69F00 },
        { CHART_COLOR_SKY_BLUE, 0x56B4E9 },
        { CHART_COLOR_BLUISH_GREEN, 0x009E73 },
        { CHART_COLOR_YELLOW, 0xF0E442 },
        { CHART_COLOR_BLUE, 0x0072B2 },
        { CHART_COLOR_VERMILLION, 0xD55E00 },
        { CHART_COLOR_REDDISH_PURPLE, 0xCC79A7 },
        { CHART_COLOR_BLACK, 0x000000 },
        { CHART_COLOR_WINDOWS, 0x0072B2 },
        { CHART_COLOR_LINUX, 0xE69F00 },
    };

    g_test_summary ("the palette is Okabe-Ito; Windows is blue, Linux "
                    "orange");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        g_assert_cmphex (chart_color_rgb (cases[i].color), ==, cases[i].rgb);
}

static void
test_font (void)
{
    PangoFontMap *map = pango_cairo_font_map_get_default ();
    PangoContext *ctx = pango_font_map_create_context (map);
    PangoFontDescription *want =
        pango_font_description_from_string ("DejaVu Sans 10");
    PangoFont *font = pango_font_map_load_font (map, ctx, want);
    PangoFontDescription *got = pango_font_describe (font);

    g_test_summary ("charts' typeface, DejaVu Sans (fonts-dejavu-core), is "
                    "installed and is what pango picks");
    g_assert_cmpstr (pango_font_description_get_family (got), ==,
                     "DejaVu Sans");
    pango_font_description_free (got);
    pango_font_description_free (want);
    g_object_unref (font);
    g_object_unref (ctx);
}

static void
test_error_quark (void)
{
    g_test_summary ("the error domain has its documented name");
    g_assert_cmpstr (g_quark_to_string (KB_CHART_ERROR), ==,
                     "kb-chart-error-quark");
}

int
main (int argc, char **argv)
{
    int status;

    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/chart/ticks/nice", test_nice_ticks);
    g_test_add_func ("/chart/ticks/time", test_nice_time_ticks);
    g_test_add_func ("/chart/format/values", test_format);
    g_test_add_func ("/chart/format/locale", test_format_locale);
    g_test_add_func ("/chart/colors", test_colors);
    g_test_add_func ("/chart/font", test_font);
    for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++) {
        g_autofree char *path = g_strconcat ("/chart/kind/", kinds[i].name,
                                             NULL);

        g_test_add_data_func (path, &kinds[i], test_kind);
    }
    g_test_add_func ("/chart/layout/legend", test_legend_placement);
    g_test_add_func ("/chart/layout/every-kind", test_layout_every_kind);
    g_test_add_func ("/chart/layout/events", test_events_layout);
    g_test_add_func ("/chart/layout/empty", test_empty_layout);
    g_test_add_func ("/chart/layout/axis-ranges", test_axis_ranges);
    g_test_add_func ("/chart/save/deterministic", test_deterministic);
    g_test_add_func ("/chart/save/errors", test_save_errors);
    g_test_add_func ("/chart/error-quark", test_error_quark);

    status = g_test_run ();

    testutil_release_fonts ();
    return status;
}
