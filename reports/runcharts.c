/* runcharts.c: the charts of one run. See runcharts.h.
 *
 * Every chart reads only what the run recorded (samples, pod records,
 * summary, node lifetimes); charts with nothing to show say so instead of
 * drawing empty axes.
 */
#include "reports/runcharts.h"

#include <math.h>
#include <string.h>

#include "reports/output.h"

#define WIDTH_PT    640.0
#define HEIGHT_PT   360.0

static const char *const os_label[KB_N_OS] = { "unknown", "Linux",
                                               "Windows" };
static const ChartColor os_color[KB_N_OS] = { CHART_COLOR_BLACK,
                                              CHART_COLOR_LINUX,
                                              CHART_COLOR_WINDOWS };

/* Pools take their OS's colours: Linux pools warm shades beginning with
 * orange, Windows pools cool ones beginning with blue, so a stacked chart
 * by pool still reads as Linux against Windows. */
static const ChartColor pool_shades[KB_N_OS][3] = {
    { CHART_COLOR_BLACK, CHART_COLOR_REDDISH_PURPLE, CHART_COLOR_BLACK },
    { CHART_COLOR_LINUX, CHART_COLOR_VERMILLION, CHART_COLOR_YELLOW },
    { CHART_COLOR_WINDOWS, CHART_COLOR_SKY_BLUE, CHART_COLOR_BLUISH_GREEN }
};

/* The colour of pool p: the k-th pool of its OS takes its OS's k-th shade
 * (cycling). */
static ChartColor
pool_color (const Scenario *s, guint p)
{
    const KbPoolSpec *pool = g_ptr_array_index (s->pools, p);
    guint k = 0;

    for (guint i = 0; i < p; i++)
        k += ((KbPoolSpec *) g_ptr_array_index (s->pools, i))->os == pool->os;
    return pool_shades[pool->os < KB_N_OS ? pool->os : 0][k % 3];
}

static const char *
extension (ChartFormat f)
{
    return f == CHART_FORMAT_SVG ? "svg" : f == CHART_FORMAT_PDF ? "pdf"
                                                                 : "png";
}

static gboolean
save (Chart *chart, const char *dir, const char *name, ChartFormat format,
      double dpi, GError **error)
{
    g_autofree char *file = g_strdup_printf ("%s.%s", name,
                                             extension (format));
    g_autofree char *path = g_build_filename (dir, file, NULL);

    return chart_save (chart, path, format, WIDTH_PT, HEIGHT_PT, dpi, error);
}

static void
add_event_markers (Chart *chart, const Scenario *s)
{
    for (guint i = 0; i < s->events->len; i++) {
        const KbEventSpec *e = g_ptr_array_index (s->events, i);
        const char *target = e->pool ? e->pool : e->registry ? e->registry
                             : e->workload ? e->workload : "";
        g_autofree char *label = g_strdup_printf (
            "%s %s", target, scenario_event_action_name (e->action));

        chart_add_event (chart, sim_time_to_seconds (e->at), label);
    }
}

static void
time_axis (Chart *chart)
{
    chart_set_axis (chart, CHART_AXIS_X, "Simulated time", NULL,
                    UNITS_VALUE_TIME);
}

SimTime
runcharts_placement_bucket (SimTime end)
{
    /* about a dozen buckets or more, in round minutes for short runs */
    return end > 2 * SIM_DAY ? 6 * SIM_HOUR
           : end > 12 * SIM_HOUR ? SIM_HOUR
           : MAX ((end / 12) / SIM_MINUTE, 1) * SIM_MINUTE;
}

/* Placement success by the hour the pods were created: the share that
 * reached Running within the deadline, over pods whose deadline had
 * passed by the end. */
static Chart *
placement_chart (const RunData *d)
{
    const Scenario *s = d->sc;
    const GArray *pods = d->pods;
    SimTime end = d->end;
    SimTime deadline = s->metrics.placement_deadline;
    SimTime bucket = runcharts_placement_bucket (end);
    guint n = (guint) (end / bucket) + 1;
    g_autofree double *x = g_new (double, n);
    g_autofree double *placed = g_new0 (double, KB_N_OS * n);
    g_autofree double *total = g_new0 (double, KB_N_OS * n);
    g_autofree char *sub = sim_time_format_short (deadline);
    g_autofree char *subtitle = g_strdup_printf (
        "share of pods Running within %s of creation, by creation time", sub);
    Chart *chart = chart_new ("Placement success");
    gboolean any = FALSE;

    chart_set_subtitle (chart, subtitle);
    time_axis (chart);
    if (end > 0)                /* the whole run, even if pods came at once */
        chart_set_axis_range (chart, CHART_AXIS_X, 0,
                              sim_time_to_seconds (end));
    chart_set_axis (chart, CHART_AXIS_Y, "Placed", NULL, UNITS_VALUE_PERCENT);
    chart_set_axis_range (chart, CHART_AXIS_Y, 0, 1);
    chart_set_empty_message (chart, "no pods were created in this run");
    for (guint i = 0; i < pods->len; i++) {
        const RunPod *p = &g_array_index (pods, RunPod, i);
        guint b;

        if (p->created + deadline > end)
            continue;
        b = (guint) (p->created / bucket);
        total[p->os * n + b]++;
        placed[p->os * n + b] += p->running >= 0
                                 && p->running - p->created <= deadline;
    }
    for (guint b = 0; b < n; b++)
        x[b] = sim_time_to_seconds (b * bucket);
    for (int os = KB_OS_LINUX; os < KB_N_OS; os++) {
        g_autofree double *y = g_new (double, n);
        gboolean has = FALSE;

        for (guint b = 0; b < n; b++) {
            y[b] = total[os * n + b] > 0
                   ? placed[os * n + b] / total[os * n + b] : NAN;
            has |= total[os * n + b] > 0;
        }
        if (has)
            chart_add_step (chart, os_label[os], os_color[os], x, y, n);
        any |= has;
    }
    if (any)
        add_event_markers (chart, s);
    return chart;
}

static Chart *
phases_chart (const RunData *d, KbOs os)
{
    static const struct {
        PodColumn col;
        const char *name;
        ChartColor color;
    } cols[] = {
        { POD_COL_RUNNING, "Running", CHART_COLOR_BLUISH_GREEN },
        { POD_COL_CREATING, "ContainerCreating", CHART_COLOR_SKY_BLUE },
        { POD_COL_BACKOFF, "back-off", CHART_COLOR_VERMILLION },
        { POD_COL_UNSCHEDULED, "Pending, unscheduled", CHART_COLOR_YELLOW },
    };
    const GArray *samples = d->samples;
    g_autofree char *title = g_strdup_printf ("%s pods by state",
                                              os_label[os]);
    g_autofree double *x = g_new (double, samples->len + 1);
    g_autofree double *y = g_new (double, samples->len + 1);
    Chart *chart = chart_new (title);
    gint64 seen = 0;

    chart_set_subtitle (chart, "pods not finished, stacked; back-off is "
                        "ErrImagePull, ImagePullBackOff, "
                        "CreateContainerError, RunContainerError or "
                        "CrashLoopBackOff");
    time_axis (chart);
    chart_set_axis (chart, CHART_AXIS_Y, "Pods", NULL, UNITS_VALUE_PLAIN);
    chart_set_empty_message (chart, os == KB_OS_WINDOWS
                             ? "no Windows pods in this run"
                             : "no Linux pods in this run");
    for (guint i = 0; i < samples->len; i++)
        seen = MAX (seen, g_array_index (samples, Sample, i).arrived[os]);
    if (seen == 0)
        return chart;
    for (gsize k = 0; k < G_N_ELEMENTS (cols); k++) {
        for (guint i = 0; i < samples->len; i++) {
            const Sample *sm = &g_array_index (samples, Sample, i);

            x[i] = sim_time_to_seconds (sm->time);
            y[i] = (double) sm->v[os][cols[k].col];
        }
        chart_add_area (chart, cols[k].name, cols[k].color, x, y,
                        samples->len);
    }
    add_event_markers (chart, d->sc);
    return chart;
}

static Chart *
reasons_chart (const RunSummary *s)
{
    g_autoptr (GPtrArray) names = g_ptr_array_new ();
    Chart *chart = chart_new ("Failure reasons");

    chart_set_subtitle (chart, "share of each OS's pods affected at least "
                        "once; the pod count on each bar");
    chart_set_axis (chart, CHART_AXIS_Y, "Pods affected", NULL,
                    UNITS_VALUE_PERCENT);
    chart_set_empty_message (chart, "no failures in this run");
    for (guint i = 0; i < s->reasons->len; i++) {
        const SummaryReason *r = g_ptr_array_index (s->reasons, i);
        gboolean dup = FALSE;

        for (guint k = 0; k < names->len; k++)
            dup |= strcmp (names->pdata[k], r->reason) == 0;
        if (!dup && names->len < 8)
            g_ptr_array_add (names, r->reason);
    }
    if (names->len == 0)
        return chart;
    chart_set_categories (chart, (const char *const *) names->pdata,
                          names->len);
    chart_set_bar_mode (chart, CHART_BARS_GROUPED);
    for (int os = KB_OS_LINUX; os < KB_N_OS; os++) {
        g_autofree double *v = g_new0 (double, names->len);
        g_autofree gint64 *count = g_new0 (gint64, names->len);
        g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (
            g_free);
        guint series;

        for (guint i = 0; i < s->reasons->len; i++) {
            const SummaryReason *r = g_ptr_array_index (s->reasons, i);

            for (guint k = 0; k < names->len; k++)
                if (r->os == (KbOs) os && s->arrived[os] > 0
                    && strcmp (names->pdata[k], r->reason) == 0) {
                    v[k] += (double) r->count / (double) s->arrived[os];
                    count[k] += r->count;
                }
        }
        for (guint k = 0; k < names->len; k++)
            g_ptr_array_add (labels, units_format_value (
                UNITS_VALUE_PLAIN, (double) count[k], 1));
        series = chart_add_bars (chart, os_label[os], os_color[os], v,
                                 names->len);
        chart_set_bar_labels (chart, series,
                              (const char *const *) labels->pdata,
                              names->len);
    }
    return chart;
}

static Chart *
ttr_chart (const RunData *d)
{
    Chart *chart = chart_new ("Time to Running");

    chart_set_subtitle (chart, "from creation, all pods that got there; "
                        "p50 and p95 marked");
    chart_set_axis (chart, CHART_AXIS_X, "Time to Running", NULL,
                    UNITS_VALUE_TIME);
    chart_set_axis (chart, CHART_AXIS_Y, "Pods", NULL, UNITS_VALUE_PERCENT);
    chart_set_empty_message (chart, "no pod reached Running in this run");
    for (int os = KB_OS_LINUX; os < KB_N_OS; os++) {
        const GArray *t = d->ttr[os];
        guint series;

        if (t->len == 0)
            continue;
        series = chart_add_cdf (chart, os_label[os], os_color[os],
                                (const double *) (gpointer) t->data, t->len);
        chart_add_cdf_quantile (chart, series, 0.5, NULL);
        chart_add_cdf_quantile (chart, series, 0.95, NULL);
    }
    return chart;
}

static Chart *
pulls_chart (const RunData *d)
{
    const GPtrArray *stats = d->pulls;
    guint n = MIN (stats->len, 8u);
    g_autofree const char **names = g_new0 (const char *, n + 1);
    Chart *chart = chart_new ("Image pulls");

    chart_set_subtitle (chart, "bytes transferred per image (the largest "
                        "eight), by the OS of the pulling nodes");
    chart_set_axis (chart, CHART_AXIS_Y, "Pulled", NULL, UNITS_VALUE_BYTES);
    chart_set_empty_message (chart, "no image pulls in this run");
    if (n == 0)
        return chart;
    for (guint i = 0; i < n; i++) {
        const char *img = ((ImagePullStats *) stats->pdata[i])->image;
        const char *slash = strrchr (img, '/');

        names[i] = slash ? slash + 1 : img;
    }
    chart_set_categories (chart, names, n);
    chart_set_bar_mode (chart, CHART_BARS_STACKED);
    for (int os = KB_OS_LINUX; os < KB_N_OS; os++) {
        g_autofree double *v = g_new0 (double, n);

        for (guint i = 0; i < n; i++)
            v[i] = (double) ((ImagePullStats *) stats->pdata[i])->bytes[os];
        chart_add_bars (chart, os_label[os], os_color[os], v, n);
    }
    return chart;
}

/* Node cost accrued by pool at each sample time, from node lifetimes. */
static Chart *
cost_chart (const RunData *d)
{
    const Scenario *s = d->sc;
    const GArray *samples = d->samples;
    const GArray *nodes = d->nodes;
    g_autofree double *x = g_new (double, samples->len + 1);
    g_autofree double *y = g_new (double, samples->len + 1);
    g_autofree char *unit = g_strdup (s->cost.currency);
    Chart *chart = chart_new ("Cost accrued");

    chart_set_subtitle (chart, "node cost by pool, billed per second "
                        "(Windows licence included)");
    time_axis (chart);
    chart_set_axis (chart, CHART_AXIS_Y, "Cost", NULL,
                    strcmp (unit, "USD") == 0 ? UNITS_VALUE_USD
                                              : UNITS_VALUE_PLAIN);
    chart_set_empty_message (chart, "no nodes in this run");
    if (samples->len == 0 || nodes->len == 0)
        return chart;
    for (guint p = 0; p < s->pools->len; p++) {
        const KbPoolSpec *pool = g_ptr_array_index (s->pools, p);
        g_autofree char *name = g_strdup_printf ("%s (%s)", pool->name,
                                                 os_label[pool->os < KB_N_OS
                                                          ? pool->os : 0]);

        for (guint i = 0; i < samples->len; i++) {
            SimTime t = g_array_index (samples, Sample, i).time;

            x[i] = sim_time_to_seconds (t);
            y[i] = 0;
            for (guint k = 0; k < nodes->len; k++) {
                const RunNode *n = &g_array_index (nodes, RunNode, k);
                SimTime until = n->removed >= 0 ? MIN (n->removed, t) : t;

                if (n->pool == p && until > n->added)
                    y[i] += sim_time_to_hours (until - n->added) * n->hourly;
            }
        }
        chart_add_area (chart, name, pool_color (s, p), x, y,
                        samples->len);
    }
    add_event_markers (chart, s);
    return chart;
}

/* Three stacked bars: Linux nodes (orange), Windows nodes (blue) with the
 * licence surcharge on top (sky blue), and what no OS accounts for. */
static Chart *
cost_os_chart (const RunData *d)
{
    static const char *const names[] = { "Linux nodes", "Windows nodes",
                                         "control plane and egress" };
    const CostReport *r = d->cost;
    const Scenario *s = d->sc;
    Chart *chart = chart_new ("Cost by OS");
    double lin[3] = { r->by_os[KB_OS_LINUX], 0, 0 };
    double win[3] = { 0, r->by_os[KB_OS_WINDOWS] - r->windows_licence, 0 };
    double lic[3] = { 0, r->windows_licence, 0 };
    double rest[3] = { 0, 0, r->control_plane + r->egress };

    chart_set_subtitle (chart, "for the whole run; the licence surcharge on "
                        "Windows nodes stacked on top");
    chart_set_axis (chart, CHART_AXIS_Y, "Cost", NULL,
                    strcmp (s->cost.currency, "USD") == 0 ? UNITS_VALUE_USD
                                                          : UNITS_VALUE_PLAIN);
    chart_set_categories (chart, names, 3);
    chart_set_bar_mode (chart, CHART_BARS_STACKED);
    chart_add_bars (chart, "Linux nodes", CHART_COLOR_LINUX, lin, 3);
    chart_add_bars (chart, "Windows nodes", CHART_COLOR_WINDOWS, win, 3);
    chart_add_bars (chart, "Windows licence", CHART_COLOR_SKY_BLUE, lic, 3);
    chart_add_bars (chart, "control plane and egress", CHART_COLOR_BLACK,
                    rest, 3);
    return chart;
}

static Chart *
utilization_chart (const RunData *d)
{
    const Scenario *s = d->sc;
    const GArray *samples = d->samples;
    guint rows = s->pools->len, cols;
    Chart *chart = chart_new ("CPU requested by pool");
    g_autoptr (GPtrArray) labels = g_ptr_array_new ();
    g_autofree double *edges = NULL;
    g_autofree double *values = NULL;

    chart_set_subtitle (chart, "requested CPU over allocatable CPU of the "
                        "pool's nodes");
    time_axis (chart);
    chart_set_empty_message (chart, "no samples in this run");
    if (samples->len < 2 || rows == 0)
        return chart;
    cols = samples->len - 1;
    edges = g_new (double, cols + 1);
    values = g_new (double, (gsize) rows * cols);
    for (guint p = 0; p < rows; p++)
        g_ptr_array_add (labels, ((KbPoolSpec *) g_ptr_array_index (
            s->pools, p))->name);
    for (guint i = 0; i <= cols; i++)
        edges[i] = sim_time_to_seconds (g_array_index (samples, Sample,
                                                       i).time);
    for (guint p = 0; p < rows; p++)
        for (guint i = 0; i < cols; i++)
            values[p * cols + i] = g_array_index (samples, Sample,
                                                  i).pool_cpu_util[p];
    chart_set_heatmap (chart, (const char *const *) labels->pdata, rows,
                       edges, cols, values, "CPU requested",
                       UNITS_VALUE_PERCENT);
    return chart;
}

static const char *const chart_names[] = {
    "placement", "phases-linux", "phases-windows", "reasons", "ttr", "pulls",
    "cost", "cost-os", "utilization", NULL
};

const char *const *
runcharts_names (void)
{
    return chart_names;
}

Chart *
runcharts_build (const char *name, const RunData *d)
{
    if (strcmp (name, "placement") == 0)
        return placement_chart (d);
    if (strcmp (name, "phases-linux") == 0)
        return phases_chart (d, KB_OS_LINUX);
    if (strcmp (name, "phases-windows") == 0)
        return phases_chart (d, KB_OS_WINDOWS);
    if (strcmp (name, "reasons") == 0)
        return reasons_chart (d->summary);
    if (strcmp (name, "ttr") == 0)
        return ttr_chart (d);
    if (strcmp (name, "pulls") == 0)
        return pulls_chart (d);
    if (strcmp (name, "cost") == 0)
        return cost_chart (d);
    if (strcmp (name, "cost-os") == 0)
        return cost_os_chart (d);
    if (strcmp (name, "utilization") == 0)
        return utilization_chart (d);
    return NULL;
}

gboolean
runcharts_write (const char *dir, const RunData *d, ChartFormat format,
                 double dpi, GError **error)
{
    gboolean ok = output_mkdir (dir, error);

    for (gsize i = 0; ok && chart_names[i]; i++) {
        g_autoptr (Chart) chart = runcharts_build (chart_names[i], d);

        ok = save (chart, dir, chart_names[i], format, dpi, error);
    }
    return ok;
}
