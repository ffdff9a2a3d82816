/* chart.c: charts drawn with cairo, text set with pango. See chart.h.
 *
 * A Chart only stores what the caller added. Drawing builds a Frame: it
 * sums up the data (ranges, histogram counts, stack heights), measures
 * every piece of text and places the title, legend, colour scale, event
 * band, axes and plot area; then draws in one pass and leaves errors in
 * cairo's sticky status. chart_layout() builds the same Frame without
 * drawing.
 *
 * Text is measured with hinting off and at 72 "dpi" (a font size in points
 * is that many user units), so layouts are the same on every surface and
 * at every scale: the layout a test asks for is the layout a PNG at 300
 * dpi gets.
 */
#include "reports/chart.h"

#include <math.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "reports/canvas.h"

G_DEFINE_QUARK (kb-chart-error-quark, kb_chart_error)

/* ---- style ------------------------------------------------------------ */

#define FONT_FAMILY     "DejaVu Sans"
#define MARGIN          10.0    /* around everything */
#define GAP             6.0     /* between neighbouring blocks */
#define SIDE_GAP        14.0    /* plot to legend or colour scale */
#define TICK_LEN        4.0
#define LINE_WIDTH      1.75
#define BAND_ALPHA      0.25
#define OVERLAY_ALPHA   0.45    /* histograms drawn over each other */
#define SWATCH_W        18.0
#define LEGEND_MAX      6       /* more entries than this go below */
#define SCALE_BAR_W     10.0
#define COORD_LIMIT     1e6     /* mapped coordinates are clamped to this */

#define TEXT_RGB        0x222222
#define MUTED_RGB       0x555555
#define GRID_RGB        0xE6E6E6
#define AXIS_RGB        0x888888
#define FRAME_RGB       0xCCCCCC
#define WHITE_RGB       0xFFFFFF

/* Okabe & Ito, "Color Universal Design" (2008). */
static const guint32 palette[CHART_N_COLORS] = {
    0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442,
    0x0072B2, 0xD55E00, 0xCC79A7, 0x000000,
};

/* Yellow is hard to see as a thin line on white, so it comes late. */
static const ChartColor auto_order[CHART_N_COLORS] = {
    CHART_COLOR_BLUE, CHART_COLOR_ORANGE, CHART_COLOR_BLUISH_GREEN,
    CHART_COLOR_VERMILLION, CHART_COLOR_SKY_BLUE, CHART_COLOR_REDDISH_PURPLE,
    CHART_COLOR_YELLOW, CHART_COLOR_BLACK,
};

/* ColorBrewer "Blues", 9 classes: sequential, light to dark, readable
 * with every common colour-vision deficiency and in grey. */
static const guint32 blues[] = {
    0xF7FBFF, 0xDEEBF7, 0xC6DBEF, 0x9ECAE1, 0x6BAED6,
    0x4292C6, 0x2171B5, 0x08519C, 0x08306B,
};

typedef enum {
    FONT_TITLE,
    FONT_SUBTITLE,
    FONT_AXIS,
    FONT_TICK,
    FONT_LEGEND,
    FONT_SMALL,
    FONT_MESSAGE,
    N_FONTS
} FontRole;

static const char *const font_specs[N_FONTS] = {
    FONT_FAMILY " Bold 13",
    FONT_FAMILY " 10",
    FONT_FAMILY " 10",
    FONT_FAMILY " 8.5",
    FONT_FAMILY " 9",
    FONT_FAMILY " 8",
    FONT_FAMILY " Italic 11",
};

/* ---- the chart -------------------------------------------------------- */

typedef enum {
    SHAPE_NONE,
    SHAPE_XY,
    SHAPE_BARS,
    SHAPE_HEATMAP
} Shape;

typedef enum {
    SERIES_LINE,
    SERIES_STEP,
    SERIES_AREA,
    SERIES_BARS,
    SERIES_HISTOGRAM,
    SERIES_CDF,
    SERIES_POINTS
} SeriesKind;

typedef struct {
    double q;
    char *label;
} Quantile;

typedef struct {
    SeriesKind kind;
    char *name;
    ChartColor color;
    gsize n;
    double *x;                  /* NULL for bars, histograms and CDFs */
    double *y;                  /* values; finite and sorted for a CDF */
    double *lower, *upper;      /* the band, or NULL */
    guint bins;                 /* histograms */
    GArray *quantiles;          /* Quantile, CDFs only */
    char **bar_labels;          /* bars: one text per category, or NULL */
} Series;

typedef struct {
    char *label;
    char *unit;
    UnitsValueFormat format;
    gboolean fixed;
    double lo, hi;
    gboolean from_zero;
} Axis;

typedef struct {
    char **row_labels;
    gsize rows, cols;
    double *edges;              /* cols + 1 */
    double *values;             /* rows * cols */
    char *label;
    UnitsValueFormat format;
} Heatmap;

typedef struct {
    double x;
    char *label;
} Event;

struct Chart {
    char *title;
    char *subtitle;
    char *empty_message;
    Axis axes[2];
    Shape shape;
    GPtrArray *series;          /* Series, owned */
    char **categories;          /* NULL-terminated */
    gsize n_categories;
    ChartBarMode bar_mode;
    Heatmap *heatmap;
    GArray *events;             /* Event */
};

guint32
chart_color_rgb (ChartColor color)
{
    g_return_val_if_fail (color >= 0 && color < CHART_N_COLORS, 0);
    return palette[color];
}

static void
series_free (gpointer data)
{
    Series *s = data;

    if (s->quantiles != NULL) {
        for (guint i = 0; i < s->quantiles->len; i++)
            g_free (g_array_index (s->quantiles, Quantile, i).label);
        g_array_free (s->quantiles, TRUE);
    }
    g_free (s->name);
    g_free (s->x);
    g_free (s->y);
    g_free (s->lower);
    g_free (s->upper);
    g_strfreev (s->bar_labels);
    g_free (s);
}

static void
heatmap_free (Heatmap *h)
{
    if (h == NULL)
        return;
    g_strfreev (h->row_labels);
    g_free (h->edges);
    g_free (h->values);
    g_free (h->label);
    g_free (h);
}

Chart *
chart_new (const char *title)
{
    Chart *c = g_new0 (Chart, 1);

    c->title = g_strdup (title);
    c->empty_message = g_strdup ("no data");
    c->axes[CHART_AXIS_Y].from_zero = TRUE;
    c->series = g_ptr_array_new_with_free_func (series_free);
    c->events = g_array_new (FALSE, TRUE, sizeof (Event));
    return c;
}

void
chart_free (Chart *chart)
{
    if (chart == NULL)
        return;
    for (guint i = 0; i < chart->events->len; i++)
        g_free (g_array_index (chart->events, Event, i).label);
    g_array_free (chart->events, TRUE);
    for (int a = 0; a < 2; a++) {
        g_free (chart->axes[a].label);
        g_free (chart->axes[a].unit);
    }
    g_ptr_array_free (chart->series, TRUE);
    g_strfreev (chart->categories);
    heatmap_free (chart->heatmap);
    g_free (chart->title);
    g_free (chart->subtitle);
    g_free (chart->empty_message);
    g_free (chart);
}

void
chart_set_subtitle (Chart *chart, const char *subtitle)
{
    g_return_if_fail (chart != NULL);
    g_free (chart->subtitle);
    chart->subtitle = g_strdup (subtitle);
}

void
chart_set_axis (Chart *chart, ChartAxis axis, const char *label,
                const char *unit, UnitsValueFormat format)
{
    g_return_if_fail (chart != NULL);
    g_return_if_fail (axis == CHART_AXIS_X || axis == CHART_AXIS_Y);
    g_return_if_fail (format >= UNITS_VALUE_PLAIN
                      && format <= UNITS_VALUE_TIME);
    g_free (chart->axes[axis].label);
    g_free (chart->axes[axis].unit);
    chart->axes[axis].label = g_strdup (label);
    chart->axes[axis].unit = g_strdup (unit);
    chart->axes[axis].format = format;
}

void
chart_set_axis_range (Chart *chart, ChartAxis axis, double lo, double hi)
{
    g_return_if_fail (chart != NULL);
    g_return_if_fail (axis == CHART_AXIS_X || axis == CHART_AXIS_Y);
    g_return_if_fail (isfinite (lo) && isfinite (hi) && lo < hi);
    g_return_if_fail (isfinite (hi - lo));
    chart->axes[axis].fixed = TRUE;
    chart->axes[axis].lo = lo;
    chart->axes[axis].hi = hi;
}

void
chart_set_axis_from_zero (Chart *chart, ChartAxis axis, gboolean from_zero)
{
    g_return_if_fail (chart != NULL);
    g_return_if_fail (axis == CHART_AXIS_X || axis == CHART_AXIS_Y);
    chart->axes[axis].from_zero = from_zero;
}

void
chart_set_empty_message (Chart *chart, const char *message)
{
    g_return_if_fail (chart != NULL);
    g_free (chart->empty_message);
    chart->empty_message = g_strdup (message != NULL ? message : "");
}

/* ---- adding data ------------------------------------------------------ */

static gboolean
color_valid (ChartColor color)
{
    return color == CHART_COLOR_AUTO
           || (color >= 0 && color < CHART_N_COLORS);
}

/* The first colour of the automatic order no series has yet. */
static ChartColor
color_next (const Chart *chart)
{
    for (int i = 0; i < CHART_N_COLORS; i++) {
        gboolean used = FALSE;

        for (guint j = 0; j < chart->series->len && !used; j++) {
            const Series *s = g_ptr_array_index (chart->series, j);

            used = s->color == auto_order[i];
        }
        if (!used)
            return auto_order[i];
    }
    return auto_order[chart->series->len % CHART_N_COLORS];
}

static double *
copy_doubles (const double *v, gsize n)
{
    gsize size;

    if (n == 0 || v == NULL)
        return NULL;
    if (!g_size_checked_mul (&size, n, sizeof (double)))
        g_error ("chart: %" G_GSIZE_FORMAT " values overflow", n);
    return g_memdup2 (v, size);
}

/* Whether a series of this shape may join the chart. */
static gboolean
shape_allows (const Chart *chart, Shape shape)
{
    return chart->shape == SHAPE_NONE || chart->shape == shape;
}

static guint
series_append (Chart *chart, SeriesKind kind, const char *name,
               ChartColor color, const double *x, const double *y,
               gsize n)
{
    Series *s = g_new0 (Series, 1);

    chart->shape = kind == SERIES_BARS ? SHAPE_BARS : SHAPE_XY;
    s->kind = kind;
    s->name = g_strdup (name);
    s->color = color == CHART_COLOR_AUTO ? color_next (chart) : color;
    s->n = n;
    s->x = copy_doubles (x, n);
    s->y = copy_doubles (y, n);
    g_ptr_array_add (chart->series, s);
    return chart->series->len - 1;
}

guint
chart_add_line (Chart *chart, const char *name, ChartColor color,
                const double *x, const double *y, gsize n)
{
    g_return_val_if_fail (chart != NULL, G_MAXUINT);
    g_return_val_if_fail (color_valid (color), G_MAXUINT);
    g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), G_MAXUINT);
    g_return_val_if_fail (shape_allows (chart, SHAPE_XY), G_MAXUINT);
    return series_append (chart, SERIES_LINE, name, color, x, y, n);
}

guint
chart_add_step (Chart *chart, const char *name, ChartColor color,
                const double *x, const double *y, gsize n)
{
    g_return_val_if_fail (chart != NULL, G_MAXUINT);
    g_return_val_if_fail (color_valid (color), G_MAXUINT);
    g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), G_MAXUINT);
    g_return_val_if_fail (shape_allows (chart, SHAPE_XY), G_MAXUINT);
    return series_append (chart, SERIES_STEP, name, color, x, y, n);
}

static const Series *
first_area (const Chart *chart)
{
    for (guint i = 0; i < chart->series->len; i++) {
        const Series *s = g_ptr_array_index (chart->series, i);

        if (s->kind == SERIES_AREA)
            return s;
    }
    return NULL;
}

/* Whether x matches the first stacked area's x, as stacking needs. */
static gboolean
area_x_matches (const Chart *chart, const double *x, gsize n)
{
    const Series *first = first_area (chart);

    if (first == NULL)
        return TRUE;
    if (first->n != n)
        return FALSE;
    for (gsize i = 0; i < n; i++)
        if (first->x[i] != x[i]
            && !(isnan (first->x[i]) && isnan (x[i])))
            return FALSE;
    return TRUE;
}

guint
chart_add_area (Chart *chart, const char *name, ChartColor color,
                const double *x, const double *y, gsize n)
{
    g_return_val_if_fail (chart != NULL, G_MAXUINT);
    g_return_val_if_fail (color_valid (color), G_MAXUINT);
    g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), G_MAXUINT);
    g_return_val_if_fail (area_x_matches (chart, x, n), G_MAXUINT);
    g_return_val_if_fail (shape_allows (chart, SHAPE_XY), G_MAXUINT);
    return series_append (chart, SERIES_AREA, name, color, x, y, n);
}

guint
chart_add_points (Chart *chart, const char *name, ChartColor color,
                  const double *x, const double *y, gsize n)
{
    g_return_val_if_fail (chart != NULL, G_MAXUINT);
    g_return_val_if_fail (color_valid (color), G_MAXUINT);
    g_return_val_if_fail (n == 0 || (x != NULL && y != NULL), G_MAXUINT);
    g_return_val_if_fail (shape_allows (chart, SHAPE_XY), G_MAXUINT);
    return series_append (chart, SERIES_POINTS, name, color, x, y, n);
}

gboolean
chart_set_band (Chart *chart, guint series, const double *lower,
                const double *upper, gsize n)
{
    Series *s;

    g_return_val_if_fail (chart != NULL, FALSE);
    g_return_val_if_fail (series < chart->series->len, FALSE);
    s = g_ptr_array_index (chart->series, series);
    g_return_val_if_fail (s->kind == SERIES_LINE || s->kind == SERIES_STEP
                          || s->kind == SERIES_POINTS, FALSE);
    g_return_val_if_fail (s->n == n && s->lower == NULL, FALSE);
    g_return_val_if_fail (n == 0 || (lower != NULL && upper != NULL),
                          FALSE);
    s->lower = copy_doubles (lower, n);
    s->upper = copy_doubles (upper, n);
    return TRUE;
}

guint
chart_add_histogram (Chart *chart, const char *name, ChartColor color,
                     const double *values, gsize n, guint bins)
{
    guint i;

    g_return_val_if_fail (chart != NULL, G_MAXUINT);
    g_return_val_if_fail (color_valid (color), G_MAXUINT);
    g_return_val_if_fail (n == 0 || values != NULL, G_MAXUINT);
    g_return_val_if_fail (bins >= 1 && bins <= 100000, G_MAXUINT);
    g_return_val_if_fail (shape_allows (chart, SHAPE_XY), G_MAXUINT);
    i = series_append (chart, SERIES_HISTOGRAM, name, color, NULL, values,
                       n);
    ((Series *) g_ptr_array_index (chart->series, i))->bins = bins;
    return i;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}

guint
chart_add_cdf (Chart *chart, const char *name, ChartColor color,
               const double *values, gsize n)
{
    Series *s;
    gsize kept = 0;
    guint i;

    g_return_val_if_fail (chart != NULL, G_MAXUINT);
    g_return_val_if_fail (color_valid (color), G_MAXUINT);
    g_return_val_if_fail (n == 0 || values != NULL, G_MAXUINT);
    g_return_val_if_fail (shape_allows (chart, SHAPE_XY), G_MAXUINT);
    i = series_append (chart, SERIES_CDF, name, color, NULL, values, n);
    s = g_ptr_array_index (chart->series, i);
    /* A CDF is over the values there are: drop the non-finite ones. */
    for (gsize j = 0; j < n; j++)
        if (isfinite (s->y[j]))
            s->y[kept++] = s->y[j];
    s->n = kept;
    if (kept > 0)
        qsort (s->y, kept, sizeof (double), compare_doubles);
    s->quantiles = g_array_new (FALSE, FALSE, sizeof (Quantile));
    return i;
}

gboolean
chart_add_cdf_quantile (Chart *chart, guint series, double q,
                        const char *label)
{
    Series *s;
    Quantile mark;

    g_return_val_if_fail (chart != NULL, FALSE);
    g_return_val_if_fail (series < chart->series->len, FALSE);
    s = g_ptr_array_index (chart->series, series);
    g_return_val_if_fail (s->kind == SERIES_CDF, FALSE);
    g_return_val_if_fail (q > 0.0 && q <= 1.0, FALSE);
    mark.q = q;
    if (label != NULL) {
        mark.label = g_strdup (label);
    } else {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        mark.label = g_strconcat ("p", g_ascii_formatd (buf, sizeof buf,
                                                        "%.10g", q * 100),
                                  NULL);
    }
    g_array_append_val (s->quantiles, mark);
    return TRUE;
}

void
chart_set_categories (Chart *chart, const char *const *labels, gsize n)
{
    g_return_if_fail (chart != NULL);
    g_return_if_fail (n == 0 || labels != NULL);
    g_return_if_fail (chart->shape == SHAPE_NONE);
    g_strfreev (chart->categories);
    chart->categories = g_new0 (char *, n + 1);
    for (gsize i = 0; i < n; i++)
        chart->categories[i] = g_strdup (labels[i] != NULL ? labels[i] : "");
    chart->n_categories = n;
}

void
chart_set_bar_mode (Chart *chart, ChartBarMode mode)
{
    g_return_if_fail (chart != NULL);
    g_return_if_fail (mode == CHART_BARS_GROUPED
                      || mode == CHART_BARS_STACKED);
    chart->bar_mode = mode;
}

guint
chart_add_bars (Chart *chart, const char *name, ChartColor color,
                const double *values, gsize n)
{
    g_return_val_if_fail (chart != NULL, G_MAXUINT);
    g_return_val_if_fail (color_valid (color), G_MAXUINT);
    g_return_val_if_fail (n == chart->n_categories, G_MAXUINT);
    g_return_val_if_fail (n == 0 || values != NULL, G_MAXUINT);
    g_return_val_if_fail (shape_allows (chart, SHAPE_BARS), G_MAXUINT);
    return series_append (chart, SERIES_BARS, name, color, NULL, values, n);
}

gboolean
chart_set_bar_labels (Chart *chart, guint series, const char *const *labels,
                      gsize n)
{
    Series *s;

    g_return_val_if_fail (chart != NULL && labels != NULL, FALSE);
    g_return_val_if_fail (series < chart->series->len, FALSE);
    s = g_ptr_array_index (chart->series, series);
    g_return_val_if_fail (s->kind == SERIES_BARS && n == s->n, FALSE);
    g_strfreev (s->bar_labels);
    s->bar_labels = g_new0 (char *, n + 1);
    for (gsize i = 0; i < n; i++)
        s->bar_labels[i] = g_strdup (labels[i] ? labels[i] : "");
    return TRUE;
}

gboolean
chart_set_heatmap (Chart *chart, const char *const *row_labels,
                   gsize rows, const double *x_edges, gsize cols,
                   const double *values, const char *scale_label,
                   UnitsValueFormat format)
{
    Heatmap *h;
    gsize cells = 0;
    gboolean sized = g_size_checked_mul (&cells, rows, cols);

    g_return_val_if_fail (chart != NULL, FALSE);
    g_return_val_if_fail (chart->heatmap == NULL, FALSE);
    g_return_val_if_fail (sized, FALSE);
    g_return_val_if_fail (cols < G_MAXSIZE, FALSE);
    g_return_val_if_fail (rows == 0 || row_labels != NULL, FALSE);
    g_return_val_if_fail (x_edges != NULL, FALSE);
    g_return_val_if_fail (cells == 0 || values != NULL, FALSE);
    g_return_val_if_fail (format >= UNITS_VALUE_PLAIN
                          && format <= UNITS_VALUE_TIME, FALSE);
    g_return_val_if_fail (shape_allows (chart, SHAPE_HEATMAP), FALSE);
    chart->shape = SHAPE_HEATMAP;
    h = g_new0 (Heatmap, 1);
    h->rows = rows;
    h->cols = cols;
    h->row_labels = g_new0 (char *, rows + 1);
    for (gsize r = 0; r < rows; r++)
        h->row_labels[r] = g_strdup (row_labels[r] != NULL ? row_labels[r]
                                                           : "");
    h->edges = copy_doubles (x_edges, cols + 1);
    h->values = copy_doubles (values, cells);
    h->label = g_strdup (scale_label);
    h->format = format;
    chart->heatmap = h;
    return TRUE;
}

void
chart_add_event (Chart *chart, double x, const char *label)
{
    Event e;

    g_return_if_fail (chart != NULL);
    e.x = x;
    e.label = g_strdup (label != NULL ? label : "");
    g_array_append_val (chart->events, e);
}

/* ---- ticks ------------------------------------------------------------ */

#define TICK_EPS 1e-9           /* slack, in steps, for rounding errors */

/* The i-th step of ..., 0.5, 1, 2, 5, 10, ... with step_125 (0) == 1.
 * Negative powers of ten divide, so that 0.2 is the double nearest 0.2. */
static double
step_125 (int i)
{
    static const double mantissa[3] = { 1, 2, 5 };
    int k = (int) floor (i / 3.0);
    int j = i - 3 * k;

    return k >= 0 ? mantissa[j] * pow (10, k) : mantissa[j] / pow (10, -k);
}

static const double time_steps[] = {
    1, 2, 5, 10, 15, 30,                        /* seconds */
    60, 120, 300, 600, 900, 1800,               /* minutes */
    3600, 7200, 10800, 21600, 43200,            /* hours */
    86400, 172800, 604800, 1209600,             /* days */
};

/* The i-th step of a time axis: sub-second steps are 1-2-5 (i < 0), then
 * the clock steps above, then 20 d, 50 d, 100 d, ... */
static double
step_time (int i)
{
    int n = G_N_ELEMENTS (time_steps);

    if (i < 0)
        return step_125 (i);
    if (i < n)
        return time_steps[i];
    return step_125 (i - n + 4) * 86400;   /* step_125 (4) == 20 */
}

/* Ranges narrower than this are treated as a single value. */
#define RANGE_MIN 1e-290

static void
range_widen (double *lo, double *hi)
{
    if (*lo > *hi) {
        double t = *lo;

        *lo = *hi;
        *hi = t;
    }
    if (*hi - *lo >= RANGE_MIN)
        return;
    if (fabs (*lo) >= 1e-280) {
        double d = fabs (*lo) / 10;

        *hi = *lo + d;
        *lo -= d;
    } else {
        *hi = *lo + 1;
    }
}

/* The smallest step of the sequence with at most max_ticks ticks: ticks
 * covering [lo, hi] when cover, else the ticks inside it. lo < hi. */
static void
ticks_search (double lo, double hi, guint max_ticks, gboolean time,
              gboolean cover, double *step, double *first, guint *n)
{
    double raw = (hi - lo) / (max_ticks - 1);
    int i = time && raw >= 1 ? 0 : 3 * (int) floor (log10 (raw)) - 1;

    /* Smaller steps than raw always give too many ticks, so the search
     * starts just below it and takes a few dozen rounds at most. */
    for (int rounds = 0; rounds < 10000; rounds++, i++) {
        double s = time ? step_time (i) : step_125 (i);
        double a, b;

        if (!isfinite (s))
            break;
        if (cover) {
            a = floor (lo / s + TICK_EPS);
            b = ceil (hi / s - TICK_EPS);
        } else {
            a = ceil (lo / s - TICK_EPS);
            b = floor (hi / s + TICK_EPS);
        }
        if (b - a + 1 <= max_ticks) {
            *step = s;
            *first = a * s + 0.0;       /* no "-0" */
            *n = b >= a ? (guint) (b - a + 1) : 0;
            return;
        }
    }
    *step = hi - lo;
    *first = lo;
    *n = 2;
}

static void
nice_ticks (double lo, double hi, guint max_ticks, gboolean time,
            gboolean cover, double *step, double *first, guint *n)
{
    *step = 1;
    *first = 0;
    *n = 0;
    g_return_if_fail (isfinite (lo) && isfinite (hi));
    g_return_if_fail (max_ticks >= 3);
    range_widen (&lo, &hi);
    g_return_if_fail (isfinite (hi - lo));
    ticks_search (lo, hi, max_ticks, time, cover, step, first, n);
}

void
chart_nice_ticks (double lo, double hi, guint max_ticks, double *step,
                  double *first, guint *n)
{
    nice_ticks (lo, hi, max_ticks, FALSE, TRUE, step, first, n);
}

void
chart_nice_time_ticks (double lo, double hi, guint max_ticks, double *step,
                       double *first, guint *n)
{
    nice_ticks (lo, hi, max_ticks, TRUE, TRUE, step, first, n);
}

/* ---- text ------------------------------------------------------------- */

typedef struct {
    PangoContext *pango;
    PangoFontDescription *fonts[N_FONTS];
} Text;

/* A piece of text, laid out and measured (logical extents, points). */
typedef struct {
    PangoLayout *layout;        /* NULL: no text */
    double w, h;
} Label;

/* One context for measuring and drawing (canvas.h: text has the same
 * size on every surface and scale). cr, when given, is the context the
 * text will be drawn on. */
static void
text_init (Text *t, cairo_t *cr)
{
    t->pango = canvas_text_context (cr);
    for (int i = 0; i < N_FONTS; i++)
        t->fonts[i] = pango_font_description_from_string (font_specs[i]);
}

static void
text_clear (Text *t)
{
    for (int i = 0; i < N_FONTS; i++)
        pango_font_description_free (t->fonts[i]);
    g_clear_object (&t->pango);
}

/* Lays out s (NULL or "" gives an empty label). max_w > 0 limits the
 * width: wrapping onto more lines when wrap, else ellipsizing. */
static void
label_set (Label *lb, const Text *t, FontRole role, const char *s,
           double max_w, gboolean wrap)
{
    PangoRectangle r;

    g_clear_object (&lb->layout);
    lb->w = lb->h = 0;
    if (s == NULL || *s == '\0')
        return;
    lb->layout = pango_layout_new (t->pango);
    pango_layout_set_font_description (lb->layout, t->fonts[role]);
    pango_layout_set_text (lb->layout, s, -1);
    if (max_w > 0) {
        pango_layout_set_width (lb->layout, pango_units_from_double (max_w));
        if (wrap)
            pango_layout_set_wrap (lb->layout, PANGO_WRAP_WORD_CHAR);
        else
            pango_layout_set_ellipsize (lb->layout, PANGO_ELLIPSIZE_END);
    }
    pango_layout_get_extents (lb->layout, NULL, &r);
    lb->w = pango_units_to_double (r.width);
    lb->h = pango_units_to_double (r.height);
}

static void
label_clear (Label *lb)
{
    g_clear_object (&lb->layout);
    lb->w = lb->h = 0;
}

/* Draws lb with the point (ax, ay) of its box, in fractions of its width
 * and height, at (x, y): (0, 0) is the top left, (0.5, 0.5) the centre. */
static void
label_draw (cairo_t *cr, const Label *lb, double x, double y, double ax,
            double ay)
{
    PangoRectangle r;

    if (lb->layout == NULL)
        return;
    pango_layout_get_extents (lb->layout, NULL, &r);
    cairo_move_to (cr, x - ax * lb->w - pango_units_to_double (r.x),
                   y - ay * lb->h - pango_units_to_double (r.y));
    pango_cairo_show_layout (cr, lb->layout);
}

/* ---- the frame: data summed up and everything placed ------------------ */

typedef struct {
    double value;
    Label label;
} Tick;

typedef struct {
    double lo, hi;              /* the values at the plot's edges */
    double step;
    UnitsValueFormat format;
    GArray *ticks;              /* Tick */
    double label_w, label_h;    /* the largest tick label */
} Scale;

typedef struct {
    guint series;
    Label label;
    double dx, dy;              /* from the legend's top left */
} LegendEntry;

/* A vertical line with a label in the band above the plot: an event, or
 * a quantile of a CDF. */
typedef struct {
    double x;
    char *text;
    const Series *series;       /* a quantile's CDF; NULL for an event */
    double q;
    Label label;
    gboolean shown;
    guint row;                  /* in the band, from its top */
    double line_x;
    double text_x;              /* left edge of the label */
} Marker;

typedef struct {
    const Chart *chart;
    Text text;
    double width, height;
    ChartLayout out;

    /* The data, summed up. */
    gboolean have_data;
    double data_x_lo, data_x_hi, data_y_lo, data_y_hi;
    double hist_lo, hist_hi;    /* the histograms' common range */
    GPtrArray *hist_counts;     /* per series: double[bins], or NULL */
    double z_lo, z_hi;          /* the heat map's colour range */

    Scale x, y;
    Label title, subtitle, x_title, y_title, message;

    GArray *legend;             /* LegendEntry */
    double legend_row_h;

    Label scale_title;
    Scale z;                    /* the heat map's colour scale */
    ChartRect scale_bar;

    Label *cats;                /* bar categories or heat map rows */
    gsize n_cats;
    gboolean cats_rotated;      /* bar labels at 45 degrees */
    guint cats_stride;          /* heat map: every stride-th row label */

    GArray *markers;            /* Marker: the chart's events in order,
                                 * then its quantiles */
    double event_row_h;
    guint event_rows;
} Frame;

static void
ticks_clear (GArray *ticks)
{
    for (guint i = 0; i < ticks->len; i++)
        label_clear (&g_array_index (ticks, Tick, i).label);
    g_array_set_size (ticks, 0);
}

static void
frame_clear (Frame *f)
{
    ticks_clear (f->x.ticks);
    ticks_clear (f->y.ticks);
    ticks_clear (f->z.ticks);
    g_array_free (f->x.ticks, TRUE);
    g_array_free (f->y.ticks, TRUE);
    g_array_free (f->z.ticks, TRUE);
    label_clear (&f->title);
    label_clear (&f->subtitle);
    label_clear (&f->x_title);
    label_clear (&f->y_title);
    label_clear (&f->message);
    for (guint i = 0; i < f->legend->len; i++)
        label_clear (&g_array_index (f->legend, LegendEntry, i).label);
    g_array_free (f->legend, TRUE);
    label_clear (&f->scale_title);
    for (gsize i = 0; i < f->n_cats; i++)
        label_clear (&f->cats[i]);
    g_free (f->cats);
    for (guint i = 0; i < f->markers->len; i++) {
        Marker *m = &g_array_index (f->markers, Marker, i);

        label_clear (&m->label);
        g_free (m->text);
    }
    g_array_free (f->markers, TRUE);
    g_ptr_array_free (f->hist_counts, TRUE);
    if (f->out.event_labels != NULL)
        g_array_free (f->out.event_labels, TRUE);
    text_clear (&f->text);
}

/* ---- summing up the data ---------------------------------------------- */

static void
extend_x (Frame *f, double v)
{
    if (!isfinite (v))
        return;
    f->data_x_lo = MIN (f->data_x_lo, v);
    f->data_x_hi = MAX (f->data_x_hi, v);
}

static void
extend_y (Frame *f, double v)
{
    if (!isfinite (v))
        return;
    f->data_y_lo = MIN (f->data_y_lo, v);
    f->data_y_hi = MAX (f->data_y_hi, v);
    f->have_data = TRUE;
}

static void
sum_up_line (Frame *f, const Series *s)
{
    for (gsize i = 0; i < s->n; i++) {
        if (!isfinite (s->x[i]))
            continue;
        if (isfinite (s->y[i])) {
            extend_x (f, s->x[i]);
            extend_y (f, s->y[i]);
        }
        if (s->lower != NULL && isfinite (s->lower[i])
            && isfinite (s->upper[i])) {
            extend_x (f, s->x[i]);
            extend_y (f, s->lower[i]);
            extend_y (f, s->upper[i]);
        }
    }
}

/* Stacked areas: the top of the stack at each x. */
static void
sum_up_areas (Frame *f)
{
    const Series *first = first_area (f->chart);
    double *top;

    if (first == NULL || first->n == 0)
        return;
    top = g_new0 (double, first->n);
    for (guint k = 0; k < f->chart->series->len; k++) {
        const Series *s = g_ptr_array_index (f->chart->series, k);

        if (s->kind != SERIES_AREA)
            continue;
        for (gsize i = 0; i < s->n; i++)
            top[i] += isfinite (s->y[i]) ? s->y[i] : 0;
    }
    for (gsize i = 0; i < first->n; i++) {
        if (!isfinite (first->x[i]))
            continue;
        extend_x (f, first->x[i]);
        extend_y (f, 0);
        extend_y (f, top[i]);
    }
    g_free (top);
}

/* All histograms share [hist_lo, hist_hi]; a single value gets a range
 * of 1 around it. */
static void
sum_up_histograms (Frame *f)
{
    const GPtrArray *series = f->chart->series;

    f->hist_lo = INFINITY;
    f->hist_hi = -INFINITY;
    for (guint k = 0; k < series->len; k++) {
        const Series *s = g_ptr_array_index (series, k);

        for (gsize i = 0; s->kind == SERIES_HISTOGRAM && i < s->n; i++) {
            if (isfinite (s->y[i])) {
                f->hist_lo = MIN (f->hist_lo, s->y[i]);
                f->hist_hi = MAX (f->hist_hi, s->y[i]);
            }
        }
    }
    if (f->hist_lo > f->hist_hi)
        return;
    range_widen (&f->hist_lo, &f->hist_hi);
    for (guint k = 0; k < series->len; k++) {
        const Series *s = g_ptr_array_index (series, k);
        double *counts, width;

        if (s->kind != SERIES_HISTOGRAM)
            continue;
        counts = g_new0 (double, s->bins);
        width = (f->hist_hi - f->hist_lo) / s->bins;
        for (gsize i = 0; i < s->n; i++) {
            double b = floor ((s->y[i] - f->hist_lo) / width);

            if (isfinite (b))
                counts[(guint) CLAMP (b, 0, s->bins - 1)] += 1;
        }
        for (guint b = 0; b < s->bins; b++)
            extend_y (f, counts[b]);
        extend_x (f, f->hist_lo);
        extend_x (f, f->hist_hi);
        g_ptr_array_index (f->hist_counts, k) = counts;
    }
}

static void
sum_up_bars (Frame *f)
{
    const Chart *c = f->chart;

    for (gsize i = 0; i < c->n_categories; i++) {
        double up = 0, down = 0;

        for (guint k = 0; k < c->series->len; k++) {
            const Series *s = g_ptr_array_index (c->series, k);
            double v = s->y[i];

            if (!isfinite (v))
                continue;
            /* Room above a labelled bar for its text. */
            if (s->bar_labels != NULL && s->bar_labels[i][0] != '\0')
                extend_y (f, v * 1.12);
            if (c->bar_mode == CHART_BARS_GROUPED)
                extend_y (f, v);
            else if (v >= 0)
                up += v;
            else
                down += v;
        }
        if (c->bar_mode == CHART_BARS_STACKED && c->series->len > 0) {
            extend_y (f, up);
            extend_y (f, down);
        }
    }
    f->data_x_lo = 0;
    f->data_x_hi = c->n_categories;
}

static void
sum_up_heatmap (Frame *f)
{
    const Heatmap *h = f->chart->heatmap;

    f->z_lo = 0;
    f->z_hi = -INFINITY;
    for (gsize i = 0; i < h->rows * h->cols; i++) {
        if (isfinite (h->values[i])) {
            f->z_lo = MIN (f->z_lo, h->values[i]);
            f->z_hi = MAX (f->z_hi, h->values[i]);
            f->have_data = TRUE;
        }
    }
    if (f->z_hi <= f->z_lo)
        f->z_hi = f->z_lo + 1;
    for (gsize c = 0; c <= h->cols; c++)
        extend_x (f, h->edges[c]);
    f->data_y_lo = 0;
    f->data_y_hi = h->rows;
    if (h->rows == 0 || h->cols == 0 || !(f->data_x_lo < f->data_x_hi))
        f->have_data = FALSE;
}

static void
frame_sum_up (Frame *f)
{
    const Chart *c = f->chart;

    f->data_x_lo = f->data_y_lo = INFINITY;
    f->data_x_hi = f->data_y_hi = -INFINITY;
    if (c->shape == SHAPE_HEATMAP) {
        sum_up_heatmap (f);
        return;
    }
    if (c->shape == SHAPE_BARS) {
        sum_up_bars (f);
        f->have_data = f->have_data && c->n_categories > 0;
        return;
    }
    for (guint k = 0; k < c->series->len; k++) {
        const Series *s = g_ptr_array_index (c->series, k);

        if (s->kind == SERIES_LINE || s->kind == SERIES_STEP
            || s->kind == SERIES_POINTS) {
            sum_up_line (f, s);
        } else if (s->kind == SERIES_CDF && s->n > 0) {
            extend_x (f, s->y[0]);
            extend_x (f, s->y[s->n - 1]);
            extend_y (f, 0);
            extend_y (f, 1);
        }
    }
    sum_up_areas (f);
    sum_up_histograms (f);
}

/* ---- scales ----------------------------------------------------------- */

static guint
ticks_for_length (double length, double per_tick, guint most)
{
    double n = floor (length / per_tick) + 1;

    return (guint) CLAMP (n, 3, most);
}

/* The range an axis shows for data in [lo, hi] (empty when lo > hi):
 * fixed, or the data with 0 when from_zero. *cover says whether ticks may
 * widen it. */
static void
axis_range (const Axis *a, double *lo, double *hi, gboolean *cover)
{
    if (a->fixed) {
        *lo = a->lo;
        *hi = a->hi;
        *cover = FALSE;
        return;
    }
    if (!(*lo <= *hi)) {
        *lo = 0;
        *hi = 1;
    }
    if (a->from_zero) {
        *lo = MIN (*lo, 0);
        *hi = MAX (*hi, 0);
    }
    range_widen (lo, hi);
}

/* Sets s to [lo, hi] with at most max_ticks ticks, measured; when cover
 * the range grows to the outer ticks. */
static void
scale_set (Frame *f, Scale *s, double lo, double hi, UnitsValueFormat fmt,
           gboolean cover, guint max_ticks)
{
    double step, first;
    guint n;

    ticks_clear (s->ticks);
    nice_ticks (lo, hi, max_ticks, fmt == UNITS_VALUE_TIME, cover, &step,
                &first, &n);
    if (cover && n >= 2) {
        lo = first;
        hi = first + (n - 1) * step;
    }
    s->lo = lo;
    s->hi = hi;
    s->step = step;
    s->format = fmt;
    s->label_w = s->label_h = 0;
    for (guint i = 0; i < n; i++) {
        Tick t = { first + i * step, { NULL, 0, 0 } };
        char *text = units_format_value (fmt, t.value, step);

        label_set (&t.label, &f->text, FONT_TICK, text, 0, FALSE);
        g_free (text);
        s->label_w = MAX (s->label_w, t.label.w);
        s->label_h = MAX (s->label_h, t.label.h);
        g_array_append_val (s->ticks, t);
    }
}

static void
scale_for_axis (Frame *f, Scale *s, ChartAxis axis, double lo, double hi,
                gboolean cover, guint max_ticks)
{
    const Axis *a = &f->chart->axes[axis];

    axis_range (a, &lo, &hi, &cover);
    scale_set (f, s, lo, hi, a->format, cover, max_ticks);
}

static double
map_x (const Frame *f, double v)
{
    const ChartRect *p = &f->out.plot;
    double x = p->x + (v - f->x.lo) / (f->x.hi - f->x.lo) * p->width;

    return CLAMP (x, -COORD_LIMIT, COORD_LIMIT);
}

static double
map_y (const Frame *f, double v)
{
    const ChartRect *p = &f->out.plot;
    double y = p->y + p->height
               - (v - f->y.lo) / (f->y.hi - f->y.lo) * p->height;

    return CLAMP (y, -COORD_LIMIT, COORD_LIMIT);
}

/* Numeric x ticks, as many as fit without labels touching. */
static void
place_x_ticks (Frame *f)
{
    guint most = ticks_for_length (f->out.plot.width, 45, 12);

    for (;;) {
        double spacing;

        scale_for_axis (f, &f->x, CHART_AXIS_X, f->data_x_lo, f->data_x_hi,
                        FALSE, most);
        spacing = f->x.step / (f->x.hi - f->x.lo) * f->out.plot.width;
        if (most == 3 || f->x.label_w + 14 <= spacing)
            break;
        most--;
    }
}

static void
place_y_ticks (Frame *f)
{
    guint most = ticks_for_length (f->out.plot.height, 30, 10);

    for (;;) {
        double spacing;

        scale_for_axis (f, &f->y, CHART_AXIS_Y, f->data_y_lo, f->data_y_hi,
                        TRUE, most);
        spacing = f->y.step / (f->y.hi - f->y.lo) * f->out.plot.height;
        if (most == 3 || f->y.label_h + 4 <= spacing)
            break;
        most--;
    }
}

/* ---- measuring -------------------------------------------------------- */

static char *
axis_title (const Axis *a)
{
    if (a->label == NULL || *a->label == '\0')
        return NULL;
    if (a->unit == NULL || *a->unit == '\0')
        return g_strdup (a->label);
    return g_strdup_printf ("%s (%s)", a->label, a->unit);
}

static gboolean
series_in_legend (const Series *s)
{
    return s->name != NULL && *s->name != '\0';
}

/* Places the legend's entries: one column to the right of the plot, or
 * rows below it when there are more than LEGEND_MAX, or the column would
 * take more than 30% of the width or most of the height. */
static void
measure_legend (Frame *f, double top)
{
    ChartRect *box = &f->out.legend;
    double widest = 0, x = 0, y = 0;
    double avail = f->width - 2 * MARGIN;

    for (guint k = 0; k < f->chart->series->len; k++) {
        const Series *s = g_ptr_array_index (f->chart->series, k);
        LegendEntry e = { k, { NULL, 0, 0 }, 0, 0 };

        if (!series_in_legend (s))
            continue;
        label_set (&e.label, &f->text, FONT_LEGEND, s->name,
                   MAX (80, 0.28 * f->width), FALSE);
        widest = MAX (widest, e.label.w);
        f->legend_row_h = MAX (f->legend_row_h, e.label.h + 4);
        g_array_append_val (f->legend, e);
    }
    if (f->legend->len == 0 || f->out.empty)
        return;
    box->width = SWATCH_W + 5 + widest;
    box->height = f->legend->len * f->legend_row_h;
    if (f->legend->len <= LEGEND_MAX && box->width <= 0.3 * f->width
        && box->height <= 0.6 * (f->height - top - MARGIN)) {
        f->out.legend_place = CHART_LEGEND_RIGHT;
        for (guint i = 0; i < f->legend->len; i++)
            g_array_index (f->legend, LegendEntry, i).dy =
                i * f->legend_row_h;
        return;
    }
    f->out.legend_place = CHART_LEGEND_BOTTOM;
    box->width = 0;
    for (guint i = 0; i < f->legend->len; i++) {
        LegendEntry *e = &g_array_index (f->legend, LegendEntry, i);
        double w = SWATCH_W + 5 + e->label.w;

        if (x > 0 && x + w > avail) {
            x = 0;
            y += f->legend_row_h;
        }
        e->dx = x;
        e->dy = y;
        box->width = MAX (box->width, x + w);
        x += w + 16;
    }
    box->height = y + f->legend_row_h;
}

static void
measure_categories (Frame *f)
{
    const Chart *c = f->chart;
    const Heatmap *h = c->heatmap;
    char **labels = h != NULL ? h->row_labels : c->categories;
    double max_w = h != NULL ? MAX (60, 0.25 * f->width) : 110;

    f->n_cats = h != NULL ? h->rows : c->n_categories;
    f->cats = g_new0 (Label, f->n_cats);
    for (gsize i = 0; i < f->n_cats; i++)
        label_set (&f->cats[i], &f->text, FONT_TICK, labels[i], max_w,
                   FALSE);
}

static void
measure_text (Frame *f)
{
    const Chart *c = f->chart;
    double inner = f->width - 2 * MARGIN;
    char *x_title = axis_title (&c->axes[CHART_AXIS_X]);
    char *y_title = axis_title (&c->axes[CHART_AXIS_Y]);

    label_set (&f->title, &f->text, FONT_TITLE, c->title, inner, TRUE);
    label_set (&f->subtitle, &f->text, FONT_SUBTITLE, c->subtitle, inner,
               TRUE);
    label_set (&f->x_title, &f->text, FONT_AXIS, x_title, inner, FALSE);
    label_set (&f->y_title, &f->text, FONT_AXIS, y_title,
               MAX (40, 0.6 * f->height), FALSE);
    g_free (x_title);
    g_free (y_title);
    if (c->shape == SHAPE_BARS || c->shape == SHAPE_HEATMAP)
        measure_categories (f);
    if (c->heatmap != NULL && !f->out.empty)
        label_set (&f->scale_title, &f->text, FONT_SMALL, c->heatmap->label,
                   80, TRUE);
}

/* ---- placing ---------------------------------------------------------- */

/* Whether a label over [a, b] in row r is clear of the labels and lines
 * placed so far. Rows count down from the top of the band and a marker's
 * line runs from its label's row down to the plot, so it crosses the
 * rows below its own. */
static gboolean
event_row_free (const Frame *f, const guint *placed, guint n_placed,
                guint r, double a, double b, double line_x)
{
    for (guint i = 0; i < n_placed; i++) {
        const Marker *p = &g_array_index (f->markers, Marker, placed[i]);
        double pa = p->text_x, pb = p->text_x + p->label.w;

        if (p->row == r && a < pb + 8 && pa < b + 8)
            return FALSE;
        if (p->row < r && p->line_x >= a - 2 && p->line_x <= b + 2)
            return FALSE;
        if (p->row > r && line_x >= pa - 2 && line_x <= pb + 2)
            return FALSE;
    }
    return TRUE;
}

static int
compare_event_x (gconstpointer a, gconstpointer b, gpointer data)
{
    const GArray *markers = data;
    guint i = *(const guint *) a, j = *(const guint *) b;
    double x = g_array_index (markers, Marker, i).x;
    double y = g_array_index (markers, Marker, j).x;

    if (x != y)
        return (x > y) - (x < y);
    return (i > j) - (i < j);
}

/* Left to right, each label goes into the first row where it is clear,
 * to the right of its line, or to its left near the right edge. The band
 * is above the plot and the legend or colour scale starts at the plot's
 * top, so labels may run on over them up to the right margin. */
static void
place_events (Frame *f)
{
    const ChartRect *p = &f->out.plot;
    guint n = f->markers->len, n_placed = 0;
    guint *order = g_new (guint, n);
    guint *placed = g_new (guint, n);

    f->event_rows = 0;
    for (guint i = 0; i < n; i++)
        order[i] = i;
    g_qsort_with_data (order, n, sizeof (guint), compare_event_x,
                       f->markers);
    for (guint k = 0; k < n; k++) {
        Marker *e = &g_array_index (f->markers, Marker, order[k]);
        double x = e->x, a;
        guint r = 0;

        e->shown = !f->out.empty && isfinite (x)
                   && x >= f->x.lo - 1e-9 * (f->x.hi - f->x.lo)
                   && x <= f->x.hi + 1e-9 * (f->x.hi - f->x.lo);
        if (!e->shown)
            continue;
        label_set (&e->label, &f->text, FONT_SMALL, e->text,
                   MAX (60, 0.45 * p->width), FALSE);
        e->line_x = map_x (f, x);
        a = e->line_x + 3;
        if (a + e->label.w > f->width - MARGIN)
            a = MAX (p->x, e->line_x - 3 - e->label.w);
        while (!event_row_free (f, placed, n_placed, r, a, a + e->label.w,
                                e->line_x) && r < n)
            r++;
        e->row = r;
        e->text_x = a;
        f->event_row_h = MAX (f->event_row_h, e->label.h + 2);
        f->event_rows = MAX (f->event_rows, r + 1);
        placed[n_placed++] = order[k];
    }
    g_free (order);
    g_free (placed);
}

/* Bar categories: horizontal when the widest fits its band, else at 45
 * degrees. Returns the height the labels take; *left is how far the first
 * reaches left of the plot. */
static double
place_bar_labels (Frame *f, double *left)
{
    double band = f->out.plot.width / MAX (f->n_cats, 1);
    double widest = 0, high = 0;

    for (gsize i = 0; i < f->n_cats; i++) {
        widest = MAX (widest, f->cats[i].w);
        high = MAX (high, f->cats[i].h);
    }
    f->cats_rotated = widest + 6 > band;
    if (!f->cats_rotated || f->n_cats == 0) {
        *left = 0;
        return high;
    }
    *left = MAX (0, (f->cats[0].w + f->cats[0].h) * G_SQRT2 / 2 - band / 2);
    return (widest + high) * G_SQRT2 / 2;
}

/* Heat map rows: every stride-th label when rows are too thin for all.
 * Returns the width the labels take. */
static double
place_row_labels (Frame *f)
{
    double row_h = f->out.plot.height / MAX (f->n_cats, 1);
    double widest = 0, high = 0;

    for (gsize i = 0; i < f->n_cats; i++) {
        widest = MAX (widest, f->cats[i].w);
        high = MAX (high, f->cats[i].h);
    }
    f->cats_stride = (guint) MAX (1, ceil ((high + 1) / row_h));
    return widest;
}

/* The heat map's scale: title, then a bar with ticks, right of the plot. */
static void
place_color_scale (Frame *f)
{
    ChartRect *box = &f->out.scale;
    ChartRect *bar = &f->scale_bar;
    double avail;

    scale_set (f, &f->z, f->z_lo, f->z_hi, f->chart->heatmap->format, FALSE,
               4);
    box->width = MAX (f->scale_title.w, SCALE_BAR_W + 4 + f->z.label_w);
    box->x = f->width - MARGIN - box->width;
    box->y = f->out.plot.y;
    avail = f->out.plot.height - f->scale_title.h - 4 - f->z.label_h;
    bar->x = box->x;
    bar->y = box->y + f->scale_title.h + 4 + f->z.label_h / 2;
    bar->width = SCALE_BAR_W;
    bar->height = CLAMP (avail, 20, 160);
    box->height = bar->y + bar->height + f->z.label_h / 2 - box->y;
}

/* Title and subtitle from the top; returns where the rest starts. */
static double
place_titles (Frame *f)
{
    double top = MARGIN;

    if (f->title.layout == NULL && f->subtitle.layout == NULL)
        return top;
    f->out.title.x = MARGIN;
    f->out.title.y = MARGIN;
    f->out.title.width = MAX (f->title.w, f->subtitle.w);
    top += f->title.h;
    if (f->title.layout != NULL && f->subtitle.layout != NULL)
        top += 2;
    top += f->subtitle.h;
    f->out.title.height = top - MARGIN;
    return top + GAP;
}

/* The space beside the plot that the axes' labels need. */
typedef struct {
    double y_labels_w;          /* left of the plot */
    double x_labels_h;          /* below it */
    double over_left;           /* x labels reaching past its left edge */
    double over_right;          /* and past its right edge */
    double events_h;            /* the band above it */
} Margins;

static void
measure_margins (Frame *f, Margins *m)
{
    const ChartRect *p = &f->out.plot;

    memset (m, 0, sizeof *m);
    if (f->out.empty)
        return;
    if (f->chart->shape == SHAPE_BARS) {
        m->x_labels_h = place_bar_labels (f, &m->over_left);
    } else {
        place_x_ticks (f);
        m->x_labels_h = f->x.label_h;
        if (f->x.ticks->len > 0) {
            const Tick *a = &g_array_index (f->x.ticks, Tick, 0);
            const Tick *b = &g_array_index (f->x.ticks, Tick,
                                            f->x.ticks->len - 1);

            m->over_left = MAX (0, a->label.w / 2 - (map_x (f, a->value)
                                                     - p->x));
            m->over_right = MAX (0, map_x (f, b->value) + b->label.w / 2
                                    - (p->x + p->width));
        }
        place_events (f);
        m->events_h = f->event_rows * f->event_row_h;
    }
    if (f->chart->shape == SHAPE_HEATMAP) {
        m->y_labels_w = place_row_labels (f);
    } else {
        place_y_ticks (f);
        m->y_labels_w = f->y.label_w;
    }
}

/* Sets the plot rectangle from the space the rest takes. */
static void
place_plot (Frame *f, const Margins *m, double top, double right_side,
            double bottom_side)
{
    ChartRect *p = &f->out.plot;
    double left = MARGIN + (f->y_title.layout != NULL ? f->y_title.h + GAP
                                                       : 0);
    double right, bottom, over_right = m->over_right;

    if (m->y_labels_w > 0)
        left += m->y_labels_w + TICK_LEN + 3;
    left = MAX (left, MARGIN + m->over_left);
    if (right_side > 0)
        over_right = MAX (0, over_right - (SIDE_GAP - 4));
    right = f->width - MARGIN - right_side - over_right;
    p->y = top + (m->events_h > 0 ? m->events_h + 4
                                  : MAX (GAP, f->y.label_h / 2 + 2));
    bottom = f->height - MARGIN - bottom_side
             - (f->x_title.layout != NULL ? f->x_title.h + GAP : 0);
    if (!f->out.empty)
        bottom -= m->x_labels_h + TICK_LEN + 3;
    p->x = left;
    p->width = MAX (1, right - left);
    p->height = MAX (1, bottom - p->y);
}

static void
place_legend (Frame *f)
{
    ChartRect *box = &f->out.legend;

    if (f->out.legend_place == CHART_LEGEND_RIGHT) {
        box->x = f->width - MARGIN - box->width;
        box->y = f->out.plot.y;
    } else if (f->out.legend_place == CHART_LEGEND_BOTTOM) {
        box->x = MIN (f->out.plot.x, f->width - MARGIN - box->width);
        box->x = MAX (box->x, MARGIN);
        box->y = f->height - MARGIN - box->height;
    } else {
        memset (box, 0, sizeof *box);
    }
}

/* Whether every need of now is met by the space m reserves. */
static gboolean
margins_within (const Margins *now, const Margins *m)
{
    return now->y_labels_w <= m->y_labels_w + 0.01
           && now->x_labels_h <= m->x_labels_h + 0.01
           && now->over_left <= m->over_left + 0.01
           && now->over_right <= m->over_right + 0.01
           && now->events_h <= m->events_h + 0.01;
}

static void
margins_max (Margins *m, const Margins *now)
{
    m->y_labels_w = MAX (m->y_labels_w, now->y_labels_w);
    m->x_labels_h = MAX (m->x_labels_h, now->x_labels_h);
    m->over_left = MAX (m->over_left, now->over_left);
    m->over_right = MAX (m->over_right, now->over_right);
    m->events_h = MAX (m->events_h, now->events_h);
}

static void
place_everything (Frame *f)
{
    double top = place_titles (f);
    double right_side = 0, bottom_side = 0;
    Margins m = { 0, 0, 0, 0, 0 };

    measure_legend (f, top);
    if (f->out.legend_place == CHART_LEGEND_RIGHT)
        right_side = f->out.legend.width + SIDE_GAP;
    else if (f->out.legend_place == CHART_LEGEND_BOTTOM)
        bottom_side = f->out.legend.height + GAP;
    if (f->chart->heatmap != NULL && !f->out.empty) {
        /* Its width depends only on its labels. */
        place_color_scale (f);
        right_side = f->out.scale.width + SIDE_GAP;
    }
    /* The tick labels depend on the plot's size and the plot's size on
     * them. The space reserved only grows, so this settles in a round or
     * two; it stops when the labels of the last plot fit. */
    for (int round = 0; round < 8; round++) {
        Margins now;

        place_plot (f, &m, top, right_side, bottom_side);
        measure_margins (f, &now);
        if (margins_within (&now, &m))
            break;
        margins_max (&m, &now);
    }
    if (f->chart->heatmap != NULL && !f->out.empty)
        place_color_scale (f);
    place_legend (f);
}

/* Copies what tests may check into f->out. */
static void
frame_publish (Frame *f)
{
    ChartLayout *out = &f->out;
    double band_h = f->event_rows * f->event_row_h;

    out->x_lo = f->x.lo;
    out->x_hi = f->x.hi;
    out->y_lo = f->y.lo;
    out->y_hi = f->y.hi;
    if (f->event_rows > 0) {
        out->events.x = out->plot.x;
        out->events.y = out->plot.y - 4 - band_h;
        out->events.width = f->width - MARGIN - out->plot.x;
        out->events.height = band_h;
    }
    for (guint i = 0; i < out->event_labels->len; i++) {
        const Marker *e = &g_array_index (f->markers, Marker, i);
        ChartRect *r = &g_array_index (out->event_labels, ChartRect, i);

        if (!e->shown)
            continue;
        r->x = e->text_x;
        r->y = out->events.y + e->row * f->event_row_h + 1;
        r->width = e->label.w;
        r->height = e->label.h;
    }
}

/* The ceil(q n)-th smallest of a CDF's n sorted values. */
static double
quantile_value (const Series *s, double q)
{
    double rank = ceil (q * s->n - 1e-9);

    return s->y[(gsize) CLAMP (rank, 1, s->n) - 1];
}

/* Events, then every quantile mark of a CDF with values. */
static void
frame_markers (Frame *f)
{
    const Chart *c = f->chart;
    Marker m;

    for (guint i = 0; i < c->events->len; i++) {
        const Event *e = &g_array_index (c->events, Event, i);

        memset (&m, 0, sizeof m);
        m.x = e->x;
        m.text = g_strdup (e->label);
        g_array_append_val (f->markers, m);
    }
    for (guint k = 0; k < c->series->len; k++) {
        const Series *s = g_ptr_array_index (c->series, k);

        for (guint i = 0; s->kind == SERIES_CDF && s->n > 0
                          && i < s->quantiles->len; i++) {
            const Quantile *q = &g_array_index (s->quantiles, Quantile, i);
            char *value;

            memset (&m, 0, sizeof m);
            m.series = s;
            m.q = q->q;
            m.x = quantile_value (s, q->q);
            value = units_format_value (c->axes[CHART_AXIS_X].format, m.x,
                                        0);
            m.text = g_strdup_printf ("%s = %s", q->label, value);
            g_free (value);
            g_array_append_val (f->markers, m);
        }
    }
}

/* ---- the frame -------------------------------------------------------- */

static void
frame_init (Frame *f, const Chart *chart, cairo_t *cr, double width,
            double height)
{
    memset (f, 0, sizeof *f);
    f->chart = chart;
    f->width = width;
    f->height = height;
    text_init (&f->text, cr);
    f->x.ticks = g_array_new (FALSE, TRUE, sizeof (Tick));
    f->y.ticks = g_array_new (FALSE, TRUE, sizeof (Tick));
    f->z.ticks = g_array_new (FALSE, TRUE, sizeof (Tick));
    f->legend = g_array_new (FALSE, TRUE, sizeof (LegendEntry));
    f->markers = g_array_new (FALSE, TRUE, sizeof (Marker));
    f->hist_counts = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_set_size (f->hist_counts, chart->series->len);
    f->out.event_labels = g_array_new (FALSE, TRUE, sizeof (ChartRect));
    g_array_set_size (f->out.event_labels, chart->events->len);

    frame_sum_up (f);
    f->out.empty = !f->have_data;
    frame_markers (f);
    measure_text (f);
    /* The category axes, which place_everything() leaves alone. */
    if (chart->shape == SHAPE_BARS) {
        f->x.lo = 0;
        f->x.hi = MAX (f->n_cats, 1);
    } else if (chart->shape == SHAPE_HEATMAP) {
        f->y.lo = MAX (f->n_cats, 1);
        f->y.hi = 0;
    }
    place_everything (f);
    frame_publish (f);
}

/* ---- drawing: helpers ------------------------------------------------- */

static void
set_rgb (cairo_t *cr, guint32 rgb, double alpha)
{
    cairo_set_source_rgba (cr, ((rgb >> 16) & 0xFF) / 255.0,
                           ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0,
                           alpha);
}

static void
set_color (cairo_t *cr, ChartColor color, double alpha)
{
    set_rgb (cr, palette[color], alpha);
}

/* The heat map's colour for t in [0, 1]: "Blues", interpolated. */
static guint32
heat_rgb (double t)
{
    int last = G_N_ELEMENTS (blues) - 1;
    double pos = CLAMP (t, 0, 1) * last;
    int i = MIN ((int) pos, last - 1);
    double u = pos - i;
    guint32 rgb = 0;

    for (int shift = 16; shift >= 0; shift -= 8) {
        double a = (blues[i] >> shift) & 0xFF;
        double b = (blues[i + 1] >> shift) & 0xFF;

        rgb |= (guint32) lround (a + (b - a) * u) << shift;
    }
    return rgb;
}

static double
plot_bottom (const Frame *f)
{
    return f->out.plot.y + f->out.plot.height;
}

static double
plot_right (const Frame *f)
{
    return f->out.plot.x + f->out.plot.width;
}

/* Clips to the plot, grown by pad so lines along an edge show whole. */
static void
clip_plot (cairo_t *cr, const Frame *f, double pad)
{
    const ChartRect *p = &f->out.plot;

    cairo_rectangle (cr, p->x - pad, p->y - pad, p->width + 2 * pad,
                     p->height + 2 * pad);
    cairo_clip (cr);
}

/* ---- drawing: frame, grid and axes ------------------------------------ */

static void
draw_titles (cairo_t *cr, const Frame *f)
{
    double y = f->out.title.y;

    set_rgb (cr, TEXT_RGB, 1);
    label_draw (cr, &f->title, MARGIN, y, 0, 0);
    if (f->title.layout != NULL)
        y += f->title.h + 2;
    set_rgb (cr, MUTED_RGB, 1);
    label_draw (cr, &f->subtitle, MARGIN, y, 0, 0);
}

static void
draw_grid (cairo_t *cr, const Frame *f)
{
    const ChartRect *p = &f->out.plot;

    set_rgb (cr, GRID_RGB, 1);
    cairo_set_line_width (cr, 0.75);
    for (guint i = 0; f->chart->shape != SHAPE_HEATMAP
                      && i < f->y.ticks->len; i++) {
        double y = map_y (f, g_array_index (f->y.ticks, Tick, i).value);

        if (fabs (y - plot_bottom (f)) < 0.5)
            continue;
        cairo_move_to (cr, p->x, y);
        cairo_line_to (cr, plot_right (f), y);
    }
    for (guint i = 0; f->chart->shape == SHAPE_XY
                      && i < f->x.ticks->len; i++) {
        double x = map_x (f, g_array_index (f->x.ticks, Tick, i).value);

        if (fabs (x - p->x) < 0.5)
            continue;
        cairo_move_to (cr, x, p->y);
        cairo_line_to (cr, x, plot_bottom (f));
    }
    cairo_stroke (cr);
}

static void
draw_category_labels (cairo_t *cr, const Frame *f)
{
    const ChartRect *p = &f->out.plot;
    double y = plot_bottom (f) + TICK_LEN + 3;

    if (f->chart->shape == SHAPE_HEATMAP) {
        double row_h = p->height / MAX (f->n_cats, 1);

        for (gsize r = 0; r < f->n_cats; r += f->cats_stride)
            label_draw (cr, &f->cats[r], p->x - TICK_LEN,
                        p->y + (r + 0.5) * row_h, 1, 0.5);
        return;
    }
    for (gsize i = 0; i < f->n_cats; i++) {
        double x = map_x (f, i + 0.5);

        if (!f->cats_rotated) {
            label_draw (cr, &f->cats[i], x, y, 0.5, 0);
            continue;
        }
        cairo_save (cr);
        cairo_translate (cr, x, y);
        cairo_rotate (cr, -G_PI / 4);
        label_draw (cr, &f->cats[i], 0, 0, 1, 0.5);
        cairo_restore (cr);
    }
}

static void
draw_axes (cairo_t *cr, const Frame *f)
{
    const ChartRect *p = &f->out.plot;
    gboolean y_numeric = f->chart->shape != SHAPE_HEATMAP;
    gboolean x_numeric = f->chart->shape != SHAPE_BARS;

    set_rgb (cr, AXIS_RGB, 1);
    cairo_set_line_width (cr, 1);
    cairo_move_to (cr, p->x, p->y);
    cairo_line_to (cr, p->x, plot_bottom (f));
    cairo_line_to (cr, plot_right (f), plot_bottom (f));
    for (guint i = 0; y_numeric && i < f->y.ticks->len; i++) {
        double y = map_y (f, g_array_index (f->y.ticks, Tick, i).value);

        cairo_move_to (cr, p->x - TICK_LEN, y);
        cairo_line_to (cr, p->x, y);
    }
    for (guint i = 0; x_numeric && i < f->x.ticks->len; i++) {
        double x = map_x (f, g_array_index (f->x.ticks, Tick, i).value);

        cairo_move_to (cr, x, plot_bottom (f));
        cairo_line_to (cr, x, plot_bottom (f) + TICK_LEN);
    }
    cairo_stroke (cr);

    set_rgb (cr, MUTED_RGB, 1);
    for (guint i = 0; y_numeric && i < f->y.ticks->len; i++) {
        const Tick *t = &g_array_index (f->y.ticks, Tick, i);

        label_draw (cr, &t->label, p->x - TICK_LEN - 3, map_y (f, t->value),
                    1, 0.5);
    }
    for (guint i = 0; x_numeric && i < f->x.ticks->len; i++) {
        const Tick *t = &g_array_index (f->x.ticks, Tick, i);

        label_draw (cr, &t->label, map_x (f, t->value),
                    plot_bottom (f) + TICK_LEN + 3, 0.5, 0);
    }
    draw_category_labels (cr, f);
}

static void
draw_axis_titles (cairo_t *cr, const Frame *f)
{
    const ChartRect *p = &f->out.plot;
    double bottom = f->height - MARGIN - f->x_title.h;

    if (f->out.legend_place == CHART_LEGEND_BOTTOM)
        bottom -= f->out.legend.height + GAP;
    set_rgb (cr, TEXT_RGB, 1);
    label_draw (cr, &f->x_title, p->x + p->width / 2, bottom, 0.5, 0);
    if (f->y_title.layout == NULL)
        return;
    cairo_save (cr);
    cairo_translate (cr, MARGIN, p->y + p->height / 2);
    cairo_rotate (cr, -G_PI / 2);
    label_draw (cr, &f->y_title, 0, 0, 0.5, 0);
    cairo_restore (cr);
}

static void
draw_empty (cairo_t *cr, Frame *f)
{
    const ChartRect *p = &f->out.plot;

    set_rgb (cr, FRAME_RGB, 1);
    cairo_set_line_width (cr, 1);
    cairo_rectangle (cr, p->x, p->y, p->width, p->height);
    cairo_stroke (cr);
    label_set (&f->message, &f->text, FONT_MESSAGE, f->chart->empty_message,
               MAX (20, p->width - 20), TRUE);
    if (f->message.layout != NULL)
        pango_layout_set_alignment (f->message.layout, PANGO_ALIGN_CENTER);
    set_rgb (cr, MUTED_RGB, 1);
    label_draw (cr, &f->message, p->x + p->width / 2,
                p->y + p->height / 2, 0.5, 0.5);
}

/* ---- drawing: series -------------------------------------------------- */

/* A polyline through the finite points, broken at the others; a step
 * line holds each y until the next x. Each piece starts with a zero
 * length segment, so that a lone point shows as a dot (round caps). */
static void
path_line (cairo_t *cr, const Frame *f, const Series *s)
{
    gboolean pen = FALSE;
    double last_y = 0;

    for (gsize i = 0; i < s->n; i++) {
        double x, y;

        if (!isfinite (s->x[i]) || !isfinite (s->y[i])) {
            /* a step holds its value until the next x, even when the
             * next value is missing: an isolated sample is a segment */
            if (pen && s->kind == SERIES_STEP && isfinite (s->x[i]))
                cairo_line_to (cr, map_x (f, s->x[i]), last_y);
            pen = FALSE;
            continue;
        }
        x = map_x (f, s->x[i]);
        y = map_y (f, s->y[i]);
        if (!pen) {
            cairo_move_to (cr, x, y);
        } else if (s->kind == SERIES_STEP) {
            cairo_line_to (cr, x, last_y);
        }
        cairo_line_to (cr, x, y);
        pen = TRUE;
        last_y = y;
    }
}

/* The band between lower and upper, in pieces where all three are
 * finite. Steps hold their value as the line does. */
static void
path_band (cairo_t *cr, const Frame *f, const Series *s)
{
    gsize i = 0;

    while (i < s->n) {
        gsize a = i, b;

        while (a < s->n && !(isfinite (s->x[a]) && isfinite (s->lower[a])
                             && isfinite (s->upper[a])))
            a++;
        for (b = a; b < s->n && isfinite (s->x[b]) && isfinite (s->lower[b])
                    && isfinite (s->upper[b]); b++)
            ;
        for (gsize j = a; j < b; j++) {
            double x = map_x (f, s->x[j]), y = map_y (f, s->upper[j]);

            if (j == a)
                cairo_move_to (cr, x, y);
            else if (s->kind == SERIES_STEP)
                cairo_line_to (cr, x, map_y (f, s->upper[j - 1]));
            cairo_line_to (cr, x, y);
        }
        /* a step's band holds, as its line does, until the next x */
        if (b > a && s->kind == SERIES_STEP && b < s->n
            && isfinite (s->x[b])) {
            double xe = map_x (f, s->x[b]);

            cairo_line_to (cr, xe, map_y (f, s->upper[b - 1]));
            cairo_line_to (cr, xe, map_y (f, s->lower[b - 1]));
        }
        for (gsize j = b; j > a; j--) {
            double x = map_x (f, s->x[j - 1]), y = map_y (f, s->lower[j - 1]);

            if (j < b && s->kind == SERIES_STEP)
                cairo_line_to (cr, map_x (f, s->x[j]), y);
            cairo_line_to (cr, x, y);
        }
        if (b > a)
            cairo_close_path (cr);
        i = b;
    }
}

/* Dots with a white rim, so overlapping ones stay apart; a band is drawn
 * as whiskers through each dot. */
static void
draw_points (cairo_t *cr, const Frame *f, const Series *s)
{
    for (gsize i = 0; s->lower != NULL && i < s->n; i++) {
        double x, lo, hi;

        if (!isfinite (s->x[i]) || !isfinite (s->lower[i])
            || !isfinite (s->upper[i]))
            continue;
        x = map_x (f, s->x[i]);
        lo = map_y (f, s->lower[i]);
        hi = map_y (f, s->upper[i]);
        cairo_move_to (cr, x, lo);
        cairo_line_to (cr, x, hi);
        cairo_move_to (cr, x - 2.5, lo);
        cairo_line_to (cr, x + 2.5, lo);
        cairo_move_to (cr, x - 2.5, hi);
        cairo_line_to (cr, x + 2.5, hi);
    }
    set_color (cr, s->color, 0.7);
    cairo_save (cr);
    cairo_set_line_width (cr, 1);
    cairo_stroke (cr);
    cairo_restore (cr);
    for (gsize i = 0; i < s->n; i++) {
        if (!isfinite (s->x[i]) || !isfinite (s->y[i]))
            continue;
        cairo_new_sub_path (cr);
        cairo_arc (cr, map_x (f, s->x[i]), map_y (f, s->y[i]), 3.2, 0,
                   2 * G_PI);
    }
    set_color (cr, s->color, 1);
    cairo_fill_preserve (cr);
    cairo_set_source_rgb (cr, 1, 1, 1);
    cairo_save (cr);
    cairo_set_line_width (cr, 0.8);
    cairo_stroke (cr);
    cairo_restore (cr);
}

/* Stacked areas, each from the previous one's top. */
static void
draw_areas (cairo_t *cr, const Frame *f)
{
    const Series *first = first_area (f->chart);
    double *base, *top;

    if (first == NULL || first->n == 0)
        return;
    base = g_new0 (double, first->n);
    top = g_new0 (double, first->n);
    for (guint k = 0; k < f->chart->series->len; k++) {
        const Series *s = g_ptr_array_index (f->chart->series, k);
        gboolean pen = FALSE;

        if (s->kind != SERIES_AREA)
            continue;
        for (gsize i = 0; i < s->n; i++)
            top[i] = base[i] + (isfinite (s->y[i]) ? s->y[i] : 0);
        for (gsize i = 0; i < s->n; i++) {
            if (!isfinite (s->x[i]))
                continue;
            if (pen)
                cairo_line_to (cr, map_x (f, s->x[i]), map_y (f, top[i]));
            else
                cairo_move_to (cr, map_x (f, s->x[i]), map_y (f, top[i]));
            pen = TRUE;
        }
        for (gsize i = s->n; pen && i > 0; i--)
            if (isfinite (s->x[i - 1]))
                cairo_line_to (cr, map_x (f, s->x[i - 1]),
                               map_y (f, base[i - 1]));
        set_color (cr, s->color, 1);
        cairo_fill (cr);
        memcpy (base, top, s->n * sizeof (double));
    }
    g_free (base);
    g_free (top);
}

static guint
count_kind (const Chart *c, SeriesKind kind)
{
    guint n = 0;

    for (guint k = 0; k < c->series->len; k++)
        n += ((const Series *) g_ptr_array_index (c->series, k))->kind
             == kind;
    return n;
}

/* One histogram alone is solid with white gaps between its bins; several
 * are translucent, outlined, over each other. */
static void
draw_histograms (cairo_t *cr, const Frame *f)
{
    gboolean overlay = count_kind (f->chart, SERIES_HISTOGRAM) > 1;

    for (guint k = 0; k < f->chart->series->len; k++) {
        const Series *s = g_ptr_array_index (f->chart->series, k);
        const double *counts = g_ptr_array_index (f->hist_counts, k);
        double width = (f->hist_hi - f->hist_lo) / MAX (s->bins, 1);

        if (s->kind != SERIES_HISTOGRAM || counts == NULL)
            continue;
        for (guint b = 0; b < s->bins; b++) {
            double x0 = map_x (f, f->hist_lo + b * width);
            double x1 = map_x (f, f->hist_lo + (b + 1) * width);
            double y = map_y (f, counts[b]);

            if (counts[b] > 0)
                cairo_rectangle (cr, x0, y, x1 - x0, map_y (f, 0) - y);
        }
        set_color (cr, s->color, overlay ? OVERLAY_ALPHA : 1);
        cairo_fill_preserve (cr);
        if (overlay)
            set_color (cr, s->color, 1);
        else
            set_rgb (cr, WHITE_RGB, 1);
        cairo_set_line_width (cr, overlay ? 1 : 0.75);
        cairo_stroke (cr);
    }
}

static void
draw_bar (cairo_t *cr, const Frame *f, double x, double w, double from,
          double to)
{
    double y0 = map_y (f, from), y1 = map_y (f, to);

    cairo_rectangle (cr, x, MIN (y0, y1), w, fabs (y1 - y0));
}

/* Series s's text for category i, centred above the end of its bar at x
 * (value v), or inside the bar in white where the plot's top is too
 * near. */
static void
draw_bar_label (cairo_t *cr, const Frame *f, const Series *s, gsize i,
                double x, double v)
{
    Label lb = { 0 };
    double y = map_y (f, v);

    if (s->bar_labels == NULL || s->bar_labels[i][0] == '\0' || v == 0)
        return;
    label_set (&lb, &f->text, FONT_SMALL, s->bar_labels[i], 0, FALSE);
    if (y - lb.h - 2 >= f->out.plot.y) {
        set_rgb (cr, TEXT_RGB, 1);
        label_draw (cr, &lb, x, y - 2, 0.5, 1);
    } else {
        set_rgb (cr, WHITE_RGB, 1);
        label_draw (cr, &lb, x, y + 2, 0.5, 0);
    }
    label_clear (&lb);
}

/* Grouped bars share 80% of their category's band; stacked ones are 60%
 * of it wide. Stacked segments are parted by a thin white line. */
static void
draw_bars (cairo_t *cr, const Frame *f)
{
    const Chart *c = f->chart;
    guint ns = c->series->len;
    double band = f->out.plot.width / MAX (c->n_categories, 1);
    gboolean stacked = c->bar_mode == CHART_BARS_STACKED;

    for (gsize i = 0; i < c->n_categories; i++) {
        double left = map_x (f, i), up = 0, down = 0;

        for (guint k = 0; k < ns; k++) {
            const Series *s = g_ptr_array_index (c->series, k);
            double v = s->y[i];

            if (!isfinite (v))
                continue;
            if (!stacked) {
                double w = band * 0.8 / ns;

                draw_bar (cr, f, left + band * 0.1 + k * w + 0.5, w - 1, 0,
                          v);
            } else {
                double *base = v >= 0 ? &up : &down;

                draw_bar (cr, f, left + band * 0.2, band * 0.6, *base,
                          *base + v);
                *base += v;
            }
            set_color (cr, s->color, 1);
            if (!stacked) {
                cairo_fill (cr);
                draw_bar_label (cr, f, s, i, left + band * 0.1
                                + (k + 0.5) * band * 0.8 / ns, v);
                continue;
            }
            cairo_fill_preserve (cr);
            set_rgb (cr, WHITE_RGB, 1);
            cairo_set_line_width (cr, 0.75);
            cairo_stroke (cr);
        }
    }
}

/* The empirical CDF: 0 from the left edge to the smallest value, a rise
 * of 1/n at each value, 1 on to the right edge. */
static void
draw_cdf (cairo_t *cr, const Frame *f, const Series *s)
{
    double level = map_y (f, 0);

    if (s->n == 0)
        return;
    cairo_move_to (cr, map_x (f, f->x.lo), level);
    for (gsize i = 0; i < s->n; i++) {
        double x = map_x (f, s->y[i]);

        cairo_line_to (cr, x, level);
        level = map_y (f, (double) (i + 1) / s->n);
        cairo_line_to (cr, x, level);
    }
    cairo_line_to (cr, map_x (f, f->x.hi), level);
    set_color (cr, s->color, 1);
    cairo_stroke (cr);
}

static void
draw_heatmap (cairo_t *cr, const Frame *f)
{
    const Heatmap *h = f->chart->heatmap;
    const ChartRect *p = &f->out.plot;
    double row_h = p->height / h->rows;

    for (gsize r = 0; r < h->rows; r++) {
        for (gsize c = 0; c < h->cols; c++) {
            double v = h->values[r * h->cols + c];
            double x0 = map_x (f, h->edges[c]);
            double x1 = map_x (f, h->edges[c + 1]);

            if (!isfinite (v) || !(x1 > x0))
                continue;
            /* A hair wider and taller, or anti-aliasing leaves seams. */
            cairo_rectangle (cr, x0, p->y + r * row_h, x1 - x0 + 0.3,
                             row_h + 0.3);
            set_rgb (cr, heat_rgb ((v - f->z_lo) / (f->z_hi - f->z_lo)), 1);
            cairo_fill (cr);
        }
    }
}

static void
draw_series (cairo_t *cr, const Frame *f)
{
    cairo_save (cr);
    clip_plot (cr, f, 0);
    if (f->chart->shape == SHAPE_HEATMAP)
        draw_heatmap (cr, f);
    else if (f->chart->shape == SHAPE_BARS)
        draw_bars (cr, f);
    draw_areas (cr, f);
    draw_histograms (cr, f);
    for (guint k = 0; k < f->chart->series->len; k++) {
        const Series *s = g_ptr_array_index (f->chart->series, k);

        if (s->lower == NULL || s->kind == SERIES_POINTS)
            continue;
        path_band (cr, f, s);
        set_color (cr, s->color, BAND_ALPHA);
        cairo_fill (cr);
    }
    cairo_restore (cr);

    cairo_save (cr);
    clip_plot (cr, f, LINE_WIDTH);
    cairo_set_line_width (cr, LINE_WIDTH);
    cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
    for (guint k = 0; k < f->chart->series->len; k++) {
        const Series *s = g_ptr_array_index (f->chart->series, k);

        if (s->kind == SERIES_LINE || s->kind == SERIES_STEP) {
            path_line (cr, f, s);
            set_color (cr, s->color, 1);
            cairo_stroke (cr);
        } else if (s->kind == SERIES_CDF) {
            draw_cdf (cr, f, s);
        } else if (s->kind == SERIES_POINTS) {
            draw_points (cr, f, s);
        }
    }
    cairo_restore (cr);
}

/* ---- drawing: markers, legend, colour scale --------------------------- */

/* Events: grey dashes from their label down through the plot. Quantiles:
 * dots in their CDF's colour, and a dot where the CDF reaches q. */
static void
draw_marker_line (cairo_t *cr, const Frame *f, const Marker *m, double top)
{
    static const double dash[] = { 4, 3 };
    static const double dots[] = { 1, 2 };

    cairo_save (cr);
    if (m->series == NULL) {
        set_rgb (cr, MUTED_RGB, 1);
        cairo_set_line_width (cr, 1);
        cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
    } else {
        set_color (cr, m->series->color, 1);
        cairo_set_line_width (cr, 1);
        cairo_set_dash (cr, dots, G_N_ELEMENTS (dots), 0);
    }
    cairo_move_to (cr, m->line_x, plot_bottom (f));
    cairo_line_to (cr, m->line_x, top);
    cairo_stroke (cr);
    cairo_restore (cr);
    if (m->series != NULL) {
        set_color (cr, m->series->color, 1);
        cairo_arc (cr, m->line_x, map_y (f, m->q), 2.75, 0, 2 * G_PI);
        cairo_fill (cr);
    }
}

static void
draw_markers (cairo_t *cr, const Frame *f)
{
    double band_y = f->out.plot.y - 4 - f->event_rows * f->event_row_h;

    for (guint i = 0; i < f->markers->len; i++) {
        const Marker *m = &g_array_index (f->markers, Marker, i);
        double y = band_y + m->row * f->event_row_h + 1;

        if (!m->shown)
            continue;
        draw_marker_line (cr, f, m, y - 1);
        set_rgb (cr, TEXT_RGB, 1);
        label_draw (cr, &m->label, m->text_x, y, 0, 0);
    }
}

static void
draw_swatch (cairo_t *cr, const Series *s, double x, double mid)
{
    if (s->kind == SERIES_POINTS) {
        cairo_arc (cr, x + SWATCH_W / 2, mid, 3.2, 0, 2 * G_PI);
        set_color (cr, s->color, 1);
        cairo_fill (cr);
        return;
    }
    if (s->kind == SERIES_LINE || s->kind == SERIES_STEP
        || s->kind == SERIES_CDF) {
        if (s->lower != NULL) {
            cairo_rectangle (cr, x, mid - 5, SWATCH_W, 10);
            set_color (cr, s->color, BAND_ALPHA);
            cairo_fill (cr);
        }
        cairo_move_to (cr, x, mid);
        cairo_line_to (cr, x + SWATCH_W, mid);
        cairo_set_line_width (cr, LINE_WIDTH);
        set_color (cr, s->color, 1);
        cairo_stroke (cr);
        return;
    }
    cairo_rectangle (cr, x + 4, mid - 5, 10, 10);
    set_color (cr, s->color, 1);
    cairo_fill (cr);
}

static void
draw_legend (cairo_t *cr, const Frame *f)
{
    const ChartRect *box = &f->out.legend;

    if (f->out.legend_place == CHART_LEGEND_NONE)
        return;
    for (guint i = 0; i < f->legend->len; i++) {
        const LegendEntry *e = &g_array_index (f->legend, LegendEntry, i);
        const Series *s = g_ptr_array_index (f->chart->series, e->series);
        double x = box->x + e->dx;
        double mid = box->y + e->dy + f->legend_row_h / 2;

        draw_swatch (cr, s, x, mid);
        set_rgb (cr, TEXT_RGB, 1);
        label_draw (cr, &e->label, x + SWATCH_W + 5, mid, 0, 0.5);
    }
}

static void
draw_color_scale (cairo_t *cr, const Frame *f)
{
    const ChartRect *bar = &f->scale_bar;
    cairo_pattern_t *ramp;
    int last = G_N_ELEMENTS (blues) - 1;

    if (f->chart->heatmap == NULL)
        return;
    set_rgb (cr, TEXT_RGB, 1);
    label_draw (cr, &f->scale_title, f->out.scale.x, f->out.scale.y, 0, 0);
    ramp = cairo_pattern_create_linear (0, bar->y + bar->height, 0, bar->y);
    for (int i = 0; i <= last; i++)
        cairo_pattern_add_color_stop_rgb (ramp, (double) i / last,
                                          ((blues[i] >> 16) & 0xFF) / 255.0,
                                          ((blues[i] >> 8) & 0xFF) / 255.0,
                                          (blues[i] & 0xFF) / 255.0);
    cairo_rectangle (cr, bar->x, bar->y, bar->width, bar->height);
    cairo_set_source (cr, ramp);
    cairo_fill_preserve (cr);
    cairo_pattern_destroy (ramp);
    set_rgb (cr, AXIS_RGB, 1);
    cairo_set_line_width (cr, 0.5);
    cairo_stroke (cr);
    for (guint i = 0; i < f->z.ticks->len; i++) {
        const Tick *t = &g_array_index (f->z.ticks, Tick, i);
        double y = bar->y + bar->height
                   - (t->value - f->z.lo) / (f->z.hi - f->z.lo) * bar->height;

        set_rgb (cr, AXIS_RGB, 1);
        cairo_move_to (cr, bar->x + bar->width, y);
        cairo_line_to (cr, bar->x + bar->width + 3, y);
        cairo_stroke (cr);
        set_rgb (cr, MUTED_RGB, 1);
        label_draw (cr, &t->label, bar->x + bar->width + 4, y, 0, 0.5);
    }
}

/* ---- public drawing --------------------------------------------------- */

void
chart_layout (Chart *chart, double width, double height, ChartLayout *out)
{
    Frame f;

    g_return_if_fail (chart != NULL && out != NULL);
    g_return_if_fail (isfinite (width) && isfinite (height));
    g_return_if_fail (width > 0 && height > 0);
    frame_init (&f, chart, NULL, width, height);
    *out = f.out;
    f.out.event_labels = NULL;
    frame_clear (&f);
}

void
chart_layout_clear (ChartLayout *layout)
{
    if (layout->event_labels != NULL)
        g_array_free (layout->event_labels, TRUE);
    memset (layout, 0, sizeof *layout);
}

void
chart_render (Chart *chart, cairo_t *cr, double width, double height)
{
    Frame f;

    g_return_if_fail (chart != NULL && cr != NULL);
    g_return_if_fail (isfinite (width) && isfinite (height));
    g_return_if_fail (width > 0 && height > 0);
    cairo_save (cr);
    frame_init (&f, chart, cr, width, height);
    set_rgb (cr, WHITE_RGB, 1);
    cairo_rectangle (cr, 0, 0, width, height);
    cairo_fill (cr);
    draw_titles (cr, &f);
    if (f.out.empty) {
        draw_empty (cr, &f);
    } else {
        draw_grid (cr, &f);
        draw_series (cr, &f);
        draw_axes (cr, &f);
        draw_markers (cr, &f);
        draw_legend (cr, &f);
        draw_color_scale (cr, &f);
    }
    draw_axis_titles (cr, &f);
    frame_clear (&f);
    cairo_new_path (cr);
    cairo_restore (cr);
}

/* ---- files ------------------------------------------------------------ */

#define SIZE_MAX_PT 100000.0    /* about 35 m */

static gboolean
check_size (const char *path, ChartFormat format, double w, double h,
            double dpi, GError **error)
{
    int px_w, px_h;

    if (!(w > 0 && h > 0 && w <= SIZE_MAX_PT && h <= SIZE_MAX_PT)) {
        g_set_error (error, KB_CHART_ERROR, KB_CHART_ERROR_INVALID,
                     "%s: invalid chart size %g x %g pt", path, w, h);
        return FALSE;
    }
    if (format == CHART_FORMAT_PNG
        && !canvas_png_size (w, h, dpi, &px_w, &px_h)) {
        g_set_error (error, KB_CHART_ERROR, KB_CHART_ERROR_INVALID,
                     "%s: invalid resolution %g dpi for %g x %g pt (at most "
                     "%d pixels a side)", path, dpi, w, h,
                     CANVAS_PNG_MAX_PX);
        return FALSE;
    }
    return TRUE;
}

typedef struct {
    Chart *chart;
    double w, h;
} ChartFile;

static void
draw_chart_file (cairo_t *cr, gpointer data)
{
    ChartFile *cf = data;

    chart_render (cf->chart, cr, cf->w, cf->h);
}

gboolean
chart_save (Chart *chart, const char *path, ChartFormat format,
            double width_pt, double height_pt, double dpi, GError **error)
{
    static const CanvasFormat formats[] = {
        [CHART_FORMAT_PNG] = CANVAS_PNG,
        [CHART_FORMAT_SVG] = CANVAS_SVG,
        [CHART_FORMAT_PDF] = CANVAS_PDF,
    };
    ChartFile cf = { chart, width_pt, height_pt };
    GError *local = NULL;

    g_return_val_if_fail (chart != NULL && path != NULL, FALSE);
    g_return_val_if_fail (format >= CHART_FORMAT_PNG
                          && format <= CHART_FORMAT_PDF, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    if (!check_size (path, format, width_pt, height_pt, dpi, error))
        return FALSE;
    if (!canvas_save (path, formats[format], width_pt, height_pt, dpi,
                      chart->title, draw_chart_file, &cf, &local)) {
        g_set_error_literal (error, KB_CHART_ERROR,
                             local->code == KB_CANVAS_ERROR_IO
                             ? KB_CHART_ERROR_IO : KB_CHART_ERROR_FAILED,
                             local->message);
        g_error_free (local);
        return FALSE;
    }
    return TRUE;
}

void
chart_release_fonts (void)
{
    canvas_release_fonts ();
}
