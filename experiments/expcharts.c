/* expcharts.c: charts of experiments. See expcharts.h. */
#include "experiments/expcharts.h"

#include <math.h>

UnitsValueFormat
expchart_format (ExpMetric m)
{
    switch (exp_metric_info (m)->unit) {
    case EXP_UNIT_SHARE:
        return UNITS_VALUE_PERCENT;
    case EXP_UNIT_SECONDS:
        return UNITS_VALUE_TIME;
    case EXP_UNIT_USD:
        return UNITS_VALUE_USD;
    case EXP_UNIT_BYTES:
        return UNITS_VALUE_BYTES;
    case EXP_UNIT_PODS:
    default:
        return UNITS_VALUE_PLAIN;
    }
}

static char *
replications_subtitle (const char *what, guint n)
{
    return g_strdup_printf ("%s; mean of %u replication%s, band: 95%% "
                            "confidence interval", what, n,
                            n == 1 ? "" : "s");
}

/* The mean and 95% interval at each sample of a per-replication series
 * (waiting or running: n x n_samples per OS) summed over the OS mask. */
static void
series_stats (const ExpResult *r, double *const *series, guint os_mask,
              double *mean, double *lo, double *hi)
{
    g_autofree double *col = g_new (double, r->n);

    for (guint i = 0; i < r->n_samples; i++) {
        ExpStats st;

        for (guint k = 0; k < r->n; k++) {
            col[k] = 0;
            for (int os = 0; os < KB_N_OS; os++)
                if (os_mask & (1u << os))
                    col[k] += series[os][(gsize) k * r->n_samples + i];
        }
        exp_stats_compute (col, r->n, &st);
        mean[i] = st.mean;
        /* one replication has no interval: the band collapses */
        lo[i] = isfinite (st.lo) ? MAX (st.lo, 0) : st.mean;
        hi[i] = isfinite (st.hi) ? st.hi : st.mean;
    }
}

static void
add_band_line (Chart *chart, const ExpResult *r, double *const *series,
               const char *name, ChartColor color, guint os_mask)
{
    g_autofree double *mean = g_new (double, r->n_samples);
    g_autofree double *lo = g_new (double, r->n_samples);
    g_autofree double *hi = g_new (double, r->n_samples);
    guint s;

    series_stats (r, series, os_mask, mean, lo, hi);
    s = chart_add_step (chart, name, color, r->sample_seconds, mean,
                        r->n_samples);
    chart_set_band (chart, s, lo, hi, r->n_samples);
}

/* One band line per OS of a series of r. */
static Chart *
os_band_chart (const ExpResult *r, double *const *series, const char *title,
               const char *what)
{
    Chart *chart = chart_new (title);
    g_autofree char *sub = replications_subtitle (what, r->n);

    chart_set_subtitle (chart, sub);
    chart_set_axis (chart, CHART_AXIS_X, "Simulated time", NULL,
                    UNITS_VALUE_TIME);
    chart_set_axis (chart, CHART_AXIS_Y, "Pods", NULL, UNITS_VALUE_PLAIN);
    chart_set_empty_message (chart, "no samples in this run");
    add_band_line (chart, r, series, "Linux", CHART_COLOR_LINUX,
                   1u << KB_OS_LINUX);
    add_band_line (chart, r, series, "Windows", CHART_COLOR_WINDOWS,
                   1u << KB_OS_WINDOWS);
    return chart;
}

Chart *
expchart_waiting (const ExpResult *r)
{
    return os_band_chart (r, r->waiting, "Pods waiting over time",
                          "Pending pods (unscheduled, creating or backing "
                          "off)");
}

Chart *
expchart_placement (const ExpResult *r)
{
    g_autofree char *dl = sim_time_format_short (
        r->scenario->metrics.placement_deadline);
    g_autofree char *what = g_strdup_printf (
        "share of pods Running within %s of creation, by creation time", dl);
    g_autofree char *sub = replications_subtitle (what, r->n);
    g_autofree double *col = g_new (double, r->n);
    g_autofree double *mean = g_new (double, r->n_buckets + 1);
    g_autofree double *lo = g_new (double, r->n_buckets + 1);
    g_autofree double *hi = g_new (double, r->n_buckets + 1);
    g_autofree double *x = g_new (double, r->n_buckets + 1);
    Chart *chart = chart_new ("Placement success over time");

    chart_set_subtitle (chart, sub);
    chart_set_axis (chart, CHART_AXIS_X, "Simulated time", NULL,
                    UNITS_VALUE_TIME);
    chart_set_axis (chart, CHART_AXIS_Y, "Placed", NULL, UNITS_VALUE_PERCENT);
    chart_set_axis_range (chart, CHART_AXIS_Y, 0, 1);
    if (r->scenario->duration > 0)
        chart_set_axis_range (chart, CHART_AXIS_X, 0, sim_time_to_seconds (
            r->scenario->duration));
    chart_set_empty_message (chart, "no pod reached its deadline");
    for (int os = KB_OS_LINUX; os < KB_N_OS; os++) {
        gboolean any = FALSE;
        guint s;

        for (guint b = 0; b < r->n_buckets; b++) {
            ExpStats st;

            for (guint k = 0; k < r->n; k++)
                col[k] = r->placement[os][(gsize) k * r->n_buckets + b];
            exp_stats_compute (col, r->n, &st);
            x[b] = r->bucket_seconds[b];
            mean[b] = st.mean;
            /* a share's band stays within 0 and 100% */
            lo[b] = isfinite (st.lo) ? CLAMP (st.lo, 0, 1) : st.mean;
            hi[b] = isfinite (st.hi) ? CLAMP (st.hi, 0, 1) : st.mean;
            any |= isfinite (st.mean);
        }
        if (!any)
            continue;
        s = chart_add_step (chart, os == KB_OS_WINDOWS ? "Windows" : "Linux",
                            os == KB_OS_WINDOWS ? CHART_COLOR_WINDOWS
                                                : CHART_COLOR_LINUX,
                            x, mean, r->n_buckets);
        chart_set_band (chart, s, lo, hi, r->n_buckets);
    }
    return chart;
}

Chart *
expchart_running (const ExpResult *r)
{
    return os_band_chart (r, r->running, "Pods running over time",
                          "pods in phase Running");
}

Chart *
expchart_waiting_overlay (ExpResult *const *results,
                          const char *const *names, guint n)
{
    Chart *chart = chart_new ("Pods waiting over time, by variant");
    g_autofree char *sub = replications_subtitle (
        "Pending pods of both OS", n ? results[0]->n : 0);

    chart_set_subtitle (chart, sub);
    chart_set_axis (chart, CHART_AXIS_X, "Simulated time", NULL,
                    UNITS_VALUE_TIME);
    chart_set_axis (chart, CHART_AXIS_Y, "Pods", NULL, UNITS_VALUE_PLAIN);
    for (guint i = 0; i < n; i++)
        add_band_line (chart, results[i], results[i]->waiting, names[i],
                       CHART_COLOR_AUTO, ~0u);
    return chart;
}

Chart *
expchart_sweep_line (ExpResult *const *results, const double *x, guint n,
                     const char *x_label, ExpMetric m)
{
    const ExpMetricInfo *info = exp_metric_info (m);
    g_autofree char *title = g_strdup_printf ("%c%s against %s",
                                              g_ascii_toupper (info->label[0]),
                                              info->label + 1, x_label);
    g_autofree char *sub = replications_subtitle ("common random numbers "
                                                  "across points",
                                                  n ? results[0]->n : 0);
    g_autofree double *mean = g_new (double, n);
    g_autofree double *lo = g_new (double, n);
    g_autofree double *hi = g_new (double, n);
    Chart *chart = chart_new (title);
    guint s;

    for (guint i = 0; i < n; i++) {
        ExpStats st;

        exp_result_stats (results[i], m, &st);
        mean[i] = st.mean;
        lo[i] = isfinite (st.lo) ? st.lo : st.mean;
        hi[i] = isfinite (st.hi) ? st.hi : st.mean;
    }
    chart_set_subtitle (chart, sub);
    chart_set_axis (chart, CHART_AXIS_X, x_label, NULL, UNITS_VALUE_PLAIN);
    chart_set_axis (chart, CHART_AXIS_Y, info->label, NULL,
                    expchart_format (m));
    chart_set_axis_from_zero (chart, CHART_AXIS_Y,
                              info->unit != EXP_UNIT_SHARE);
    if (n > 1 && x[n - 1] > x[0]) {
        /* room for the end dots */
        double pad = (x[n - 1] - x[0]) * 0.03;

        chart_set_axis_range (chart, CHART_AXIS_X, x[0] - pad,
                              x[n - 1] + pad);
    }
    s = chart_add_line (chart, NULL, CHART_COLOR_BLUE, x, mean, n);
    chart_set_band (chart, s, lo, hi, n);
    s = chart_add_points (chart, NULL, CHART_COLOR_BLUE, x, mean, n);
    return chart;
}

Chart *
expchart_sweep_heatmap (ExpResult *const *results, const double *x, guint nx,
                        const char *x_label, const char *const *y_labels,
                        guint ny, const char *y_label, ExpMetric m)
{
    const ExpMetricInfo *info = exp_metric_info (m);
    g_autofree char *title = g_strdup_printf ("%c%s over %s and %s",
                                              g_ascii_toupper (info->label[0]),
                                              info->label + 1, x_label,
                                              y_label);
    g_autofree char *sub = g_strdup_printf (
        "mean of %u replications per cell; rows: %s", nx && ny
        ? results[0]->n : 0, y_label);
    g_autofree double *edges = g_new (double, nx + 1);
    g_autofree double *v = g_new (double, (gsize) nx * ny);
    Chart *chart = chart_new (title);

    g_return_val_if_fail (nx >= 1 && ny >= 1, chart);
    chart_set_subtitle (chart, sub);
    chart_set_axis (chart, CHART_AXIS_X, x_label, NULL, UNITS_VALUE_PLAIN);
    /* cells span halfway to their neighbours */
    for (guint i = 1; i < nx; i++)
        edges[i] = (x[i - 1] + x[i]) / 2;
    edges[0] = nx > 1 ? x[0] - (edges[1] - x[0]) : x[0] - 0.5;
    edges[nx] = nx > 1 ? x[nx - 1] + (x[nx - 1] - edges[nx - 1])
                       : x[0] + 0.5;
    for (guint iy = 0; iy < ny; iy++)
        for (guint ix = 0; ix < nx; ix++) {
            ExpStats st;

            exp_result_stats (results[iy * nx + ix], m, &st);
            v[iy * nx + ix] = st.mean;
        }
    chart_set_heatmap (chart, y_labels, ny, edges, nx, v, info->label,
                       expchart_format (m));
    return chart;
}

Chart *
expchart_compare_bars (ExpResult *const *results, const char *const *names,
                       guint n, ExpMetric m)
{
    const ExpMetricInfo *info = exp_metric_info (m);
    g_autofree char *title = g_strdup_printf ("%c%s by variant",
                                              g_ascii_toupper (info->label[0]),
                                              info->label + 1);
    g_autofree char *sub = g_strdup_printf (
        "mean of %u replications each, the same random numbers for every "
        "variant", n ? results[0]->n : 0);
    g_autofree double *v = g_new (double, n);
    Chart *chart = chart_new (title);

    for (guint i = 0; i < n; i++) {
        ExpStats st;

        exp_result_stats (results[i], m, &st);
        v[i] = st.mean;
    }
    chart_set_subtitle (chart, sub);
    chart_set_axis (chart, CHART_AXIS_Y, info->label, NULL,
                    expchart_format (m));
    chart_set_categories (chart, names, n);
    chart_add_bars (chart, NULL, CHART_COLOR_BLUE, v, n);
    return chart;
}

/* Points of one class, with their whiskers. */
static void
frontier_points (Chart *chart, const char *name, ChartColor color,
                 const double *cost, const double *y, const double *lo,
                 const double *hi, const gboolean *pick, guint n)
{
    g_autoptr (GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr (GArray) ys = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr (GArray) ls = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr (GArray) hs = g_array_new (FALSE, FALSE, sizeof (double));
    guint s;

    for (guint i = 0; i < n; i++)
        if (pick[i]) {
            g_array_append_val (xs, cost[i]);
            g_array_append_val (ys, y[i]);
            g_array_append_val (ls, lo[i]);
            g_array_append_val (hs, hi[i]);
        }
    if (xs->len == 0)
        return;
    s = chart_add_points (chart, name, color, (double *) xs->data,
                          (double *) ys->data, xs->len);
    chart_set_band (chart, s, (double *) ls->data, (double *) hs->data,
                    xs->len);
}

static int
cmp_index_by (const void *a, const void *b, void *data)
{
    const double *key = data;
    double x = key[*(const guint *) a], y = key[*(const guint *) b];

    return (x > y) - (x < y);
}

/* A share target such as 99.9% lives in the top per mille: show the
 * band around it, not 0 to 100%. Returns how many configurations fall
 * below that band (0 when the chart is not zoomed). */
static guint
frontier_zoom (Chart *chart, const double *y, const double *lo, guint n,
               const ExpMetricInfo *info, double target)
{
    double window, floor, ylo;
    guint off = 0;

    if (!(isfinite (target) && info->unit == EXP_UNIT_SHARE
          && info->better > 0 && target > 0.5))
        return 0;
    window = MAX (10 * (1 - target), 0.002);
    floor = target - window;
    ylo = target;
    for (guint i = 0; i < n; i++) {
        if (!isfinite (y[i]))
            continue;
        if (y[i] < floor)
            off++;
        else
            ylo = MIN (ylo, MIN (y[i], lo[i]));
    }
    ylo = MAX (ylo - window * 0.1, 0);
    chart_set_axis_range (chart, CHART_AXIS_Y, ylo, 1 + window * 0.03);
    return off;
}

/* The best value of the metric seen at or below each cost, as a step
 * line, and the cost axis padded around the points; *xlo and *xhi get
 * that axis (infinite without a finite cost). */
static void
frontier_envelope (Chart *chart, const double *cost, const double *y,
                   guint n, const ExpMetricInfo *info, double *xlo,
                   double *xhi)
{
    g_autofree guint *order = g_new (guint, n);
    g_autofree double *fx = g_new (double, n);
    g_autofree double *fy = g_new (double, n);
    double run = -INFINITY;
    guint nf = 0;

    *xlo = INFINITY;
    *xhi = -INFINITY;
    for (guint i = 0; i < n; i++) {
        order[i] = i;
        if (isfinite (cost[i])) {
            *xlo = MIN (*xlo, cost[i]);
            *xhi = MAX (*xhi, cost[i]);
        }
    }
    g_qsort_with_data (order, n, sizeof (guint), cmp_index_by,
                       (gpointer) cost);
    for (guint k = 0; k < n; k++) {
        guint i = order[k];
        double v = info->better >= 0 ? y[i] : -y[i];

        if (!isfinite (v) || v <= run)
            continue;
        run = v;
        fx[nf] = cost[i];
        fy[nf] = y[i];
        nf++;
    }
    if (isfinite (*xlo) && *xhi > *xlo) {
        double pad = (*xhi - *xlo) * 0.04;

        chart_set_axis_range (chart, CHART_AXIS_X, MAX (*xlo - pad, 0),
                              *xhi + pad);
        *xlo = MAX (*xlo - pad, 0);
        *xhi += pad;
    }
    if (nf > 1)
        chart_add_step (chart, "best so far", CHART_COLOR_SKY_BLUE, fx, fy,
                        nf);
}

/* The configurations in three classes: meeting every target, missing
 * one, and the recommendation. */
static void
frontier_classes (Chart *chart, const double *cost, const double *y,
                  const double *lo, const double *hi,
                  const gboolean *feasible, guint n, guint best)
{
    g_autofree gboolean *pick = g_new0 (gboolean, n);

    for (guint i = 0; i < n; i++)
        pick[i] = feasible[i] && i != best;
    frontier_points (chart, "meets every target", CHART_COLOR_BLUISH_GREEN,
                     cost, y, lo, hi, pick, n);
    for (guint i = 0; i < n; i++)
        pick[i] = !feasible[i] && i != best;
    frontier_points (chart, "misses a target", CHART_COLOR_VERMILLION, cost,
                     y, lo, hi, pick, n);
    for (guint i = 0; i < n; i++)
        pick[i] = i == best;
    frontier_points (chart, "recommended", CHART_COLOR_BLUE, cost, y, lo,
                     hi, pick, n);
}

Chart *
expchart_frontier (const double *cost, const double *y, const double *lo,
                   const double *hi, const gboolean *feasible, guint n,
                   guint best, ExpMetric m, double target)
{
    const ExpMetricInfo *info = exp_metric_info (m);
    Chart *chart = chart_new ("Cost against placement: the planner's "
                              "frontier");
    guint off = frontier_zoom (chart, y, lo, n, info, target);
    g_autofree char *sub = NULL;
    double xlo, xhi;

    /* say how many configurations fell below a zoomed chart */
    if (off > 0)
        sub = g_strdup_printf ("%u configurations the planner ran (%u below "
                               "the chart); whiskers: 95%% confidence "
                               "interval of %s", n, off, info->label);
    else
        sub = g_strdup_printf ("%u configurations the planner ran; whiskers: "
                               "95%% confidence interval of %s", n,
                               info->label);
    chart_set_subtitle (chart, sub);
    chart_set_axis (chart, CHART_AXIS_X, "Cost per 30 days", NULL,
                    UNITS_VALUE_USD);
    chart_set_axis (chart, CHART_AXIS_Y, info->label, NULL,
                    expchart_format (m));
    chart_set_axis_from_zero (chart, CHART_AXIS_Y, FALSE);
    chart_set_empty_message (chart, "no configuration was run");
    frontier_envelope (chart, cost, y, n, info, &xlo, &xhi);
    if (isfinite (target) && isfinite (xlo)) {
        const double tx[] = { xlo, xhi }, ty[] = { target, target };
        g_autofree char *tv = exp_metric_format (m, target);
        g_autofree char *name = g_strdup_printf ("target %s", tv);

        chart_add_line (chart, name, CHART_COLOR_BLACK, tx, ty, 2);
    }
    frontier_classes (chart, cost, y, lo, hi, feasible, n, best);
    return chart;
}
