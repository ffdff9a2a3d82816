/* chart.h: charts drawn with cairo, text through pango.
 *
 * The chart layer knows no simulation: nothing from models/ or scenarios/.
 * runcharts.c and the studies turn runs into charts; sim/units.h is here
 * only to format numbers.
 *
 * A Chart collects a title, two axes, data series, event markers and
 * annotations; chart_render() draws it onto any cairo context and
 * chart_save() writes a PNG, SVG or PDF file. Units are points (1/72 in)
 * everywhere; text is "DejaVu Sans" (fonts-dejavu-core).
 *
 * A chart is one of three shapes, fixed by the first series added:
 *
 *   numeric x    line, step line, stacked area, confidence band,
 *                histogram and empirical CDF series, mixed freely;
 *   categorical  grouped or stacked bars over chart_set_categories();
 *   heat map     one grid of cells, rows labelled, columns over a
 *                numeric (usually time) x.
 *
 * Adding a series of another shape is a bug in the caller
 * (g_return_val_if_fail). Event markers go on numeric-x charts and heat
 * maps.
 *
 * Axes. The y axis starts at 0 unless chart_set_axis_from_zero() says
 * otherwise or chart_set_axis_range() fixes it; an automatic y range is
 * widened to whole ticks. An automatic x range is the data's range exactly
 * (lines reach both edges) and only ticks inside it are drawn. Ticks step
 * by 1, 2 or 5 times a power of ten (chart_nice_ticks()); a TIME axis
 * steps by whole seconds, minutes, hours or days instead
 * (chart_nice_time_ticks()).
 *
 * Layout. The legend and the heat map's colour scale sit outside the plot
 * area, to its right, or below it when there are many series; event labels
 * and quantile labels sit in a band above the plot. None of them covers
 * data; chart_layout() reports the rectangles so tests can check that.
 *
 * Data without any finite point draws the frame and the caller's empty
 * message in the middle of the plot.
 *
 * Numbers are formatted the same in every locale.
 *
 * Ownership: every array and string passed in is copied; the caller keeps
 * its own. A Chart is not thread-safe but distinct charts may be drawn from
 * distinct threads.
 */
#ifndef KBSIM_CHART_H
#define KBSIM_CHART_H

#include <cairo.h>
#include <glib.h>

#include "sim/units.h"

G_BEGIN_DECLS

#define KB_CHART_ERROR (kb_chart_error_quark ())
GQuark kb_chart_error_quark (void);

typedef enum {
    KB_CHART_ERROR_INVALID,     /* size or resolution out of range */
    KB_CHART_ERROR_IO,          /* the file could not be written */
    KB_CHART_ERROR_FAILED       /* cairo reported an error while drawing */
} KbChartError;

typedef struct Chart Chart;

typedef enum {
    CHART_FORMAT_PNG,
    CHART_FORMAT_SVG,
    CHART_FORMAT_PDF
} ChartFormat;

typedef enum {
    CHART_AXIS_X,
    CHART_AXIS_Y
} ChartAxis;

/* The Okabe-Ito palette, safe for the common colour-vision deficiencies.
 * CHART_COLOR_AUTO takes the next colour of the automatic order (blue,
 * orange, green, vermillion, sky blue, purple, yellow, black) not already
 * used by an earlier series. Windows is always blue and Linux always
 * orange. */
typedef enum {
    CHART_COLOR_AUTO = -1,
    CHART_COLOR_ORANGE,         /* #E69F00 */
    CHART_COLOR_SKY_BLUE,       /* #56B4E9 */
    CHART_COLOR_BLUISH_GREEN,   /* #009E73 */
    CHART_COLOR_YELLOW,         /* #F0E442 */
    CHART_COLOR_BLUE,           /* #0072B2 */
    CHART_COLOR_VERMILLION,     /* #D55E00 */
    CHART_COLOR_REDDISH_PURPLE, /* #CC79A7 */
    CHART_COLOR_BLACK,          /* #000000 */
    CHART_N_COLORS,

    CHART_COLOR_WINDOWS = CHART_COLOR_BLUE,
    CHART_COLOR_LINUX = CHART_COLOR_ORANGE
} ChartColor;

typedef enum {
    CHART_BARS_GROUPED,         /* side by side within a category */
    CHART_BARS_STACKED          /* on top of each other */
} ChartBarMode;

/* Returns the colour as 0xRRGGBB. */
guint32 chart_color_rgb (ChartColor color);

/* ---- the chart -------------------------------------------------------- */

/* Creates an empty chart. title may be NULL.
 * (transfer full): free with chart_free(). */
Chart *chart_new (const char *title);
void   chart_free (Chart *chart);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Chart, chart_free)

/* A second, smaller line under the title; NULL removes it. */
void chart_set_subtitle (Chart *chart, const char *subtitle);

/* Names an axis and says how its numbers are written. The title reads
 * "label (unit)", or just label when unit is NULL or empty. Defaults: no
 * label, UNITS_VALUE_PLAIN. On a categorical or heat map chart the format
 * of the category axis is not used. */
void chart_set_axis (Chart *chart, ChartAxis axis, const char *label,
                     const char *unit, UnitsValueFormat format);

/* Fixes an axis to [lo, hi] (lo < hi, both finite); ticks are drawn only
 * inside it and data outside is clipped. */
void chart_set_axis_range (Chart *chart, ChartAxis axis, double lo,
                           double hi);

/* Whether an automatic range must include 0. Defaults: y TRUE, x FALSE. */
void chart_set_axis_from_zero (Chart *chart, ChartAxis axis,
                               gboolean from_zero);

/* The message a chart without data shows, e.g. "no image pulls in this
 * run". Default "no data". */
void chart_set_empty_message (Chart *chart, const char *message);

/* ---- numeric-x series ------------------------------------------------- */

/* Each adder copies n points and returns the series' index (from 0, in
 * order of adding, over all kinds), or G_MAXUINT on a caller bug. name
 * labels the legend; a series with a NULL name has no legend entry.
 * Non-finite values are gaps: a line breaks there. */

/* A polyline through (x[i], y[i]); x need not be sorted but usually is. */
guint chart_add_line (Chart *chart, const char *name, ChartColor color,
                      const double *x, const double *y, gsize n);

/* A step line: y[i] holds from x[i] until x[i + 1] (samples of a state,
 * as in timeseries.csv), also when y[i + 1] is missing (non-finite): a
 * lone value draws as a segment, not a dot. x must be ascending. */
guint chart_add_step (Chart *chart, const char *name, ChartColor color,
                      const double *x, const double *y, gsize n);

/* A stacked area: filled from the top of the previously added stacked
 * area (or from 0) up by y[i]. Every stacked area must have the same n
 * and x as the first; x ascending; non-finite y counts as 0. */
guint chart_add_area (Chart *chart, const char *name, ChartColor color,
                      const double *x, const double *y, gsize n);

/* Dots at (x[i], y[i]) without a line: a scatter, such as the costs and
 * placements the capacity planner tried. With a band, each dot gets a
 * whisker from lower[i] to upper[i] instead of a filled area. */
guint chart_add_points (Chart *chart, const char *name, ChartColor color,
                        const double *x, const double *y, gsize n);

/* A confidence band under a line or step series: lower[i] and upper[i]
 * at the series' x[i], drawn as a translucent area in the series'
 * colour beneath it. Returns FALSE on a caller bug (no such line series,
 * n differs, or a band already set). */
gboolean chart_set_band (Chart *chart, guint series, const double *lower,
                         const double *upper, gsize n);

/* A histogram of n raw values in bins equal bins. All histograms of a
 * chart share one range, [smallest, largest value over all of them], so
 * their bars line up; more than one histogram is drawn translucent. The
 * y axis counts values. */
guint chart_add_histogram (Chart *chart, const char *name, ChartColor color,
                           const double *values, gsize n, guint bins);

/* The empirical CDF of n raw values: the fraction of values <= x, a step
 * from 0 to 1. Set the y axis format to UNITS_VALUE_PERCENT for "40%". */
guint chart_add_cdf (Chart *chart, const char *name, ChartColor color,
                     const double *values, gsize n);

/* Marks the q-quantile (0 < q <= 1, nearest rank: the ceil(q n)-th
 * smallest value) of a CDF series: a dot where the curve reaches q, and a
 * dotted line in the series' colour at that value from the x axis up to
 * the label "LABEL = VALUE" (the value in the x axis format) in the band
 * above the plot, placed as event labels are. label NULL means "p" and
 * 100 q, e.g. "p95". Returns FALSE on a caller bug (no such CDF series).
 * A CDF without values shows no marks. */
gboolean chart_add_cdf_quantile (Chart *chart, guint series, double q,
                                 const char *label);

/* ---- categorical bars ------------------------------------------------- */

/* Sets the category labels of a bar chart (copied), left to right. Must
 * come before the first chart_add_bars(). */
void chart_set_categories (Chart *chart, const char *const *labels,
                           gsize n);
void chart_set_bar_mode (Chart *chart, ChartBarMode mode);

/* One value per category; n must equal the number of categories. In
 * stacked mode positive values stack up from 0 and negative ones down. */
guint chart_add_bars (Chart *chart, const char *name, ChartColor color,
                      const double *values, gsize n);

/* Texts drawn above each bar of bars series `series` (grouped mode), e.g.
 * the counts behind a share; n must equal the number of categories, and
 * "" or NULL draws none. Bars at 0 get no text. Returns FALSE on a caller
 * bug (not a bars series, wrong n). */
gboolean chart_set_bar_labels (Chart *chart, guint series,
                               const char *const *labels, gsize n);

/* ---- heat map --------------------------------------------------------- */

/* A grid of rows x cols cells: values[r * cols + c] colours the cell of
 * row r (row 0 at the top, labelled row_labels[r]) spanning x_edges[c] to
 * x_edges[c + 1], so x_edges has cols + 1 ascending entries. The colour
 * scale runs from light (the smallest value, or 0 if smaller) to dark (the
 * largest) through ColorBrewer's sequential "Blues"; non-finite cells are
 * left blank. scale_label and format describe the values in the small
 * legend. Returns FALSE on a caller bug (a second heat map, another kind
 * of series already added, sizes that overflow). */
gboolean chart_set_heatmap (Chart *chart, const char *const *row_labels,
                            gsize rows, const double *x_edges, gsize cols,
                            const double *values, const char *scale_label,
                            UnitsValueFormat format);

/* ---- markers ---------------------------------------------------------- */

/* A vertical dashed line at x with a short label ("win2019 upgrade
 * starts") in the band above the plot. Labels never overlap each other
 * nor cross another marker's line: a label that would moves down a row.
 * Markers outside the x range are not drawn. */
void chart_add_event (Chart *chart, double x, const char *label);

/* ---- drawing ---------------------------------------------------------- */

typedef struct {
    double x, y, width, height;
} ChartRect;

typedef enum {
    CHART_LEGEND_NONE,
    CHART_LEGEND_RIGHT,
    CHART_LEGEND_BOTTOM
} ChartLegendPlace;

/* Where chart_render() puts things, for a given size. Rectangles with
 * nothing in them are all zero. Embed it; chart_layout_clear() frees the
 * array. */
typedef struct {
    ChartRect plot;             /* the data area, inside the axes */
    ChartRect title;            /* title and subtitle */
    ChartRect legend;           /* the series legend */
    ChartLegendPlace legend_place;
    ChartRect scale;            /* the heat map's colour scale */
    ChartRect events;           /* the band of event and quantile
                                 * labels, from the plot's left edge to
                                 * the right margin */
    GArray *event_labels;       /* ChartRect per event, in order added;
                                 * zero for markers outside the x range */
    double x_lo, x_hi;          /* the x values at the plot's left and
                                 * right edges (categories: 0 and n) */
    double y_lo, y_hi;          /* bottom and top (heat map rows: n, 0) */
    gboolean empty;             /* drawing the empty message */
} ChartLayout;

/* Computes the layout for a chart of width x height points, as
 * chart_render() would. Fills *out, which chart_layout_clear() must then
 * clear. */
void chart_layout (Chart *chart, double width, double height,
                   ChartLayout *out);
void chart_layout_clear (ChartLayout *layout);

/* Draws the chart into the rectangle (0, 0, width, height) of cr's user
 * space, in points, background included. Restores cr's graphics state
 * (cairo_save/cairo_restore) and clears its path. Failures land in cr's
 * sticky status: the caller checks cairo_status() once after drawing
 * everything. */
void chart_render (Chart *chart, cairo_t *cr, double width, double height);

/* Writes the chart to path as a file of width_pt x height_pt points: a PNG
 * at dpi pixels per inch (dpi is ignored for SVG and PDF). The file is
 * written under a temporary name and renamed when complete. PDFs carry a
 * fixed creation date, so the same chart gives the same PDF and PNG bytes
 * (an SVG's ids count cairo surfaces made so far in the process). Returns
 * FALSE with KB_CHART_ERROR set when the size or dpi is out of range (not
 * positive, a side over 100,000 pt, or a PNG side over 32767 pixels), the
 * file cannot be written, or cairo fails; no file is left behind then. */
gboolean chart_save (Chart *chart, const char *path, ChartFormat format,
                     double width_pt, double height_pt, double dpi,
                     GError **error);

/* Frees what pango, cairo and fontconfig keep for the life of the
 * process (font maps, caches), so leak checkers report only kbsim's own
 * leaks. Call once, when no chart will be drawn again. */
void chart_release_fonts (void);

/* ---- pure helpers, exposed for tests ---------------------------------- */

/* Ticks for [lo, hi] (swapped if lo > hi), at most max_ticks of them
 * (max_ticks >= 2): the smallest step of 1, 2 or 5 times a power of ten
 * such that the ticks first, first + step, ..., first + (n - 1) step cover
 * the range (first <= lo, last >= hi, both multiples of step) and
 * n <= max_ticks. So the top tick may exceed hi: (0, 97, 6) gives step 20,
 * first 0, n 6 (0 to 100), and (0, 1, 5) gives 0.5 (0, 0.5, 1) because
 * 0.2 would need six ticks. When lo == hi (or they differ by less than
 * 1e-290) the range is widened to lo +- |lo| / 10, or to [lo, lo + 1] when
 * lo is 0. lo, hi and hi - lo must be finite, and max_ticks at least 3:
 * a range around 0 always takes three ticks.
 */
void chart_nice_ticks (double lo, double hi, guint max_ticks, double *step,
                       double *first, guint *n);

/* The same rule for an axis of seconds, with steps people read on a
 * clock: 1, 2, 5, 10, 15, 30 s; 1, 2, 5, 10, 15, 30 min; 1, 2, 3, 6,
 * 12 h; 1, 2, 7, 14 d; then 1, 2, 5 times a power of ten days from 20 d.
 * Steps under a second are 1, 2, 5 times a power of ten seconds. */
void chart_nice_time_ticks (double lo, double hi, guint max_ticks,
                            double *step, double *first, guint *n);


G_END_DECLS

#endif
