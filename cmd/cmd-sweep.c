/* cmd-sweep.c: `kbsim sweep SCENARIO --vary PATH=...`: a grid of what-if
 * values.
 *
 * Each point of the grid is the scenario file with --set overrides and
 * one value per --vary; the points run as one batch of replications
 * 0..R-1 on the thread pool (cmd_variants_run()), so replication k sees
 * the same arrivals and failures at every point (common random numbers)
 * and differences between points are the knob's, not the noise's. The
 * command parses its options, builds the points, runs them, prints a
 * row per point and writes sweep.csv, sweep.json, a chart per metric
 * (against one swept value, or a heat map over two) and, with --report,
 * the first point's capacity report with a sweep section.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "experiments/expcharts.h"
#include "experiments/expfiles.h"
#include "reports/output.h"
#include "reports/report.h"
#include "cmd/cmd-exp.h"
#include "cmd/cmd-print.h"

#define MAX_POINTS 1000

/* The metrics shown unless --metric says otherwise. */
static const ExpMetric default_metrics[] = {
    EXP_PLACEMENT, EXP_PLACEMENT_WINDOWS, EXP_TTR_P95, EXP_COST_30D
};

typedef struct {
    char *path;                 /* node_pools.win2022.count */
    GPtrArray *values;          /* char * */
    gboolean numeric;
    double *numbers;            /* when numeric */
} Axis;

static void
axis_free (Axis *a)
{
    g_free (a->path);
    g_ptr_array_unref (a->values);
    g_free (a->numbers);
    g_free (a);
}

static char *
number_text (double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

/* FROM:TO:STEP (inclusive) or FROM:TO (step 1) into a's values. */
static gboolean
axis_parse_range (Axis *a, const char *text, const char *range,
                  GError **error)
{
    g_auto (GStrv) p = g_strsplit (range, ":", -1);
    guint np = g_strv_length (p), count;
    double v[3] = { 0, 0, 1 };
    gboolean ok = np == 2 || np == 3;

    for (guint i = 0; ok && i < np; i++) {
        char *end;

        v[i] = g_ascii_strtod (p[i], &end);
        ok = end != p[i] && *end == '\0' && isfinite (v[i]);
    }
    if (!ok || !(v[2] > 0) || v[1] < v[0]
        || (v[1] - v[0]) / v[2] > MAX_POINTS || v[0] + v[2] == v[0]) {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--vary '%s': a range is FROM:TO or FROM:TO:STEP "
                     "with FROM <= TO, STEP > 0 and at most %d values",
                     text, MAX_POINTS);
        return FALSE;
    }
    a->numeric = TRUE;
    /* k * step from FROM, so 0.1 steps do not drift */
    count = (guint) floor ((v[1] - v[0]) / v[2] + 1e-9) + 1;
    for (guint k = 0; k < count; k++)
        g_ptr_array_add (a->values, number_text (v[0] + k * v[2]));
    return TRUE;
}

/* V1,V2,... into a's values; numeric when every value is a number. */
static void
axis_parse_list (Axis *a, const char *list)
{
    g_auto (GStrv) p = g_strsplit (list, ",", -1);

    a->numeric = TRUE;
    for (guint i = 0; p[i]; i++) {
        char *end;

        g_strstrip (p[i]);
        if (p[i][0] == '\0')
            continue;
        g_ascii_strtod (p[i], &end);
        a->numeric = a->numeric && end != p[i] && *end == '\0';
        g_ptr_array_add (a->values, g_strdup (p[i]));
    }
}

/* PATH=A:B:STEP (inclusive), PATH=A:B (step 1) or PATH=V1,V2,... */
static Axis *
axis_parse (const char *text, GError **error)
{
    const char *eq = strchr (text, '=');
    Axis *a;

    if (eq == NULL || eq == text || eq[1] == '\0') {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--vary '%s': expected PATH=FROM:TO:STEP or "
                     "PATH=V1,V2,..., e.g. node_pools.win2022.count=2:20:2",
                     text);
        return NULL;
    }
    a = g_new0 (Axis, 1);
    a->path = g_strndup (text, eq - text);
    a->values = g_ptr_array_new_with_free_func (g_free);
    if (strchr (eq + 1, ':') != NULL) {
        if (!axis_parse_range (a, text, eq + 1, error)) {
            axis_free (a);
            return NULL;
        }
    } else {
        axis_parse_list (a, eq + 1);
    }
    if (a->values->len == 0) {
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--vary '%s': no values", text);
        axis_free (a);
        return NULL;
    }
    a->numbers = g_new (double, a->values->len);
    for (guint i = 0; i < a->values->len; i++)
        a->numbers[i] = a->numeric
            ? g_ascii_strtod (g_ptr_array_index (a->values, i), NULL)
            : i + 1;
    return a;
}

/* ---- options ------------------------------------------------------------ */

typedef struct {
    CmdExpArgs x;
    char **varies;              /* --vary, as given */
    GArray *metrics;            /* ExpMetric: the table's and charts' */
    GPtrArray *axes;            /* Axis, in --vary order */
    guint n;                    /* points: the product of the axes */
} Sweep;

static void
sweep_clear (Sweep *w)
{
    cmd_exp_args_clear (&w->x);
    g_clear_pointer (&w->varies, g_strfreev);
    g_clear_pointer (&w->metrics, g_array_unref);
    g_clear_pointer (&w->axes, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Sweep, sweep_clear)

static const char sweep_description[] =
    "Runs SCENARIO at every combination of the --vary values, each with "
    "the same\nreplications (common random numbers, so differences "
    "between points are the\nknob's, not the noise's), and writes "
    "sweep.csv (one row per point and metric,\nwith its 95% confidence "
    "interval), sweep.json and a chart per metric against\nthe swept "
    "value (a heat map for two). PATH is any --set path.\n\n"
    "Examples:\n  kbsim sweep scenarios/demo.yaml --vary "
    "node_pools.win2022.count=2:12:2 -r 10\n  kbsim sweep "
    "scenarios/demo.yaml --vary node_pools.win2022.count=2:8:2 \\\n"
    "      --vary cost.egress_per_gb=0.05,0.09 --metric cost_per_30_days";

/* The --vary values, each an axis of the grid. */
static gboolean
sweep_axes (Sweep *w, int *status)
{
    g_autoptr (GError) error = NULL;

    w->n = 1;
    for (guint i = 0; w->varies[i]; i++) {
        Axis *a = axis_parse (w->varies[i], &error);

        if (a == NULL) {
            *status = cmd_usage_error ("sweep", "%s", error->message);
            return FALSE;
        }
        w->n *= a->values->len;
        g_ptr_array_add (w->axes, a);
        if (w->n > MAX_POINTS) {
            *status = cmd_usage_error ("sweep", "the grid has more than %d "
                                       "points; sweep fewer values",
                                       MAX_POINTS);
            return FALSE;
        }
    }
    return TRUE;
}

static const char sweep_usage[] =
    "SCENARIO - run a grid of what-if values with confidence intervals";

static gboolean
sweep_options (Sweep *w, int *argc, char ***argv, int *status)
{
    GOptionEntry entries[] = {
        { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &w->varies,
          "A value to sweep (repeatable; the grid is every combination)",
          "PATH=FROM:TO:STEP|V1,V2" },
        cmd_exp_option (CMD_EXP_METRIC, &w->x,
                        "A metric to chart and print (repeatable; default "
                        "placement, placement_windows, p95_time_to_running, "
                        "cost_per_30_days)"),
        cmd_exp_option (CMD_EXP_REPLICATIONS, &w->x,
                        "Replications per point (default 10)"),
        cmd_exp_option (CMD_EXP_JOBS, &w->x,
                        "Threads (default: one per core)"),
        cmd_exp_option (CMD_EXP_SET, &w->x,
                        "Override a value at every point (repeatable)"),
        cmd_exp_option (CMD_EXP_OUT, &w->x, "Write the files here (default "
                        "out/<scenario name>/sweep)"),
        cmd_exp_option (CMD_EXP_REPORT, &w->x,
                        "Also write a PDF: the first point's capacity report "
                        "with a sweep section"),
        cmd_exp_option (CMD_EXP_QUIET, &w->x, "No progress line"),
        G_OPTION_ENTRY_NULL
    };

    if (!cmd_parse ("sweep", sweep_usage, entries, sweep_description,
                    argc, argv)) {
        *status = KB_EXIT_USAGE;
        return FALSE;
    }
    if (!cmd_check_replications ("sweep", w->x.replications, w->x.jobs,
                                 status))
        return FALSE;
    if (*argc != 2) {
        *status = cmd_usage_error ("sweep", *argc < 2
                                   ? "missing SCENARIO (a YAML file)"
                                   : "expected one SCENARIO, got %d",
                                   *argc - 1);
        return FALSE;
    }
    if (w->varies == NULL) {
        *status = cmd_usage_error ("sweep", "give at least one --vary, e.g. "
                                   "--vary node_pools.win2022.count=2:12:2");
        return FALSE;
    }
    return cmd_exp_parse_metrics ("sweep", w->x.metrics, default_metrics,
                                  G_N_ELEMENTS (default_metrics), w->metrics,
                                  status)
           && sweep_axes (w, status);
}

/* ---- the points --------------------------------------------------------- */

/* Every point of the grid, the first axis varying fastest: its value on
 * each axis (its keys) and its scenario. */
static gboolean
sweep_points (const Sweep *w, const char *path, CmdVariants *v,
              GError **error)
{
    guint na = w->axes->len;

    cmd_variants_init (v, w->n);
    for (guint i = 0; i < w->n; i++) {
        g_autoptr (GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
        g_autofree char *label = NULL;
        guint rest = i;

        v->keys[i] = g_new0 (char *, na + 1);
        for (guint j = 0; j < na; j++) {
            const Axis *a = g_ptr_array_index (w->axes, j);
            const char *value = g_ptr_array_index (a->values,
                                                   rest % a->values->len);

            rest /= a->values->len;
            v->keys[i][j] = g_strdup (value);
            g_ptr_array_add (extra, g_strdup_printf ("%s=%s", a->path,
                                                     value));
        }
        g_ptr_array_add (extra, NULL);
        label = g_strjoinv (", ", (char **) extra->pdata);
        if (!cmd_variants_load (v, i, path, (const char *const *) w->x.sets,
                                (const char *const *) extra->pdata, label,
                                error))
            return FALSE;
    }
    return TRUE;
}

/* ---- printing ----------------------------------------------------------- */

/* A row per point: its value on each axis, then each metric's mean with
 * the half-width of its interval. */
static void
print_sweep (const Sweep *w, const CmdVariants *v)
{
    guint na = w->axes->len, nc = na + w->metrics->len;
    g_autofree CmdColumn *cols = g_new0 (CmdColumn, nc);
    g_autoptr (CmdTextTable) t = NULL;
    g_autoptr (GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

    for (guint c = 0; c < nc; c++) {
        cols[c].width = c == 0 ? 24 : c < na ? 16 : 24;
        cols[c].right = c >= na;
        cols[c].gap = "  ";
    }
    t = cmd_text_table_new (cols, nc);
    for (guint j = 0; j < na; j++)
        g_ptr_array_add (row, g_strdup (
            ((const Axis *) g_ptr_array_index (w->axes, j))->path));
    /* the keys cut to the column */
    for (guint k = 0; k < w->metrics->len; k++)
        g_ptr_array_add (row, g_strndup (exp_metric_info (g_array_index (
            w->metrics, ExpMetric, k))->key, 24));
    cmd_text_table_add_row (t, (const char *const *) row->pdata);
    for (guint i = 0; i < v->n; i++) {
        g_ptr_array_set_size (row, 0);
        for (guint j = 0; j < na; j++)
            g_ptr_array_add (row, g_strdup (v->keys[i][j]));
        for (guint k = 0; k < w->metrics->len; k++) {
            ExpMetric m = g_array_index (w->metrics, ExpMetric, k);
            ExpStats st;

            exp_result_stats (v->results[i], m, &st);
            g_ptr_array_add (row, cmd_format_mean_pm (m, &st));
        }
        cmd_text_table_add_row (t, (const char *const *) row->pdata);
    }
    cmd_text_table_print (t);
    printf ("(mean \u00b1 half-width of the 95%% confidence interval over %d "
            "replications per point, the same replications at every "
            "point)\n", w->x.replications);
}

/* ---- writing ------------------------------------------------------------ */

/* A chart per metric: against the swept value, or a heat map over two. */
static gboolean
sweep_charts (const Sweep *w, const CmdVariants *v, ReportSection *sec,
              GError **error)
{
    const Axis *ax = g_ptr_array_index (w->axes, 0);
    gboolean ok = TRUE;

    for (guint k = 0; ok && k < w->metrics->len && w->axes->len <= 2; k++) {
        ExpMetric m = g_array_index (w->metrics, ExpMetric, k);
        const char *label = exp_metric_info (m)->label;
        g_autofree char *name = g_strdup_printf ("sweep-%s",
                                                 exp_metric_info (m)->key);
        g_autofree char *caption = NULL;
        Chart *chart;

        if (w->axes->len == 1) {
            chart = expchart_sweep_line (v->results, ax->numbers, v->n,
                                         ax->path, m);
            caption = g_strdup_printf ("%s against %s, mean and 95%% band.",
                                       label, ax->path);
        } else {
            const Axis *ay = g_ptr_array_index (w->axes, 1);

            chart = expchart_sweep_heatmap (
                v->results, ax->numbers, ax->values->len, ax->path,
                (const char *const *) ay->values->pdata, ay->values->len,
                ay->path, m);
            caption = g_strdup_printf ("%s over %s and %s (means).", label,
                                       ax->path, ay->path);
        }
        ok = cmd_save_chart (chart, w->x.out, name, sec, caption, error);
    }
    return ok;
}

/* The report's sweep section: what was run, then the charts (added by
 * sweep_charts()) and a row per point. */
static ReportSection *
sweep_section (const Sweep *w, const CmdVariants *v)
{
    g_autofree char *intro = g_strdup_printf (
        "%s was run at %u points, %d replications each, with the same "
        "random numbers at every point. Each chart shows a metric's mean "
        "with its 95%% confidence interval; sweep.csv has every figure. "
        "The pages after this section show the first point's replication "
        "0.", v->scenarios[0]->name, v->n, w->x.replications);
    ReportSection *sec = report_section_new ("Sweep");

    report_section_add_paragraph (sec, intro);
    return sec;
}

static void
sweep_section_rows (ReportSection *sec, const CmdVariants *v)
{
    static const ExpMetric shown[] = { EXP_PLACEMENT, EXP_TTR_P95,
                                       EXP_COST_30D };

    report_section_set_columns (sec, (const char *const[]) {
        "Point", ">placement", ">p95 time to Running",
        ">cost per 30 days" }, 4);
    for (guint i = 0; i < v->n; i++) {
        char *cells[4];

        cells[0] = g_strjoinv (", ", v->keys[i]);
        for (guint k = 0; k < G_N_ELEMENTS (shown); k++) {
            ExpStats st;

            exp_result_stats (v->results[i], shown[k], &st);
            cells[k + 1] = cmd_format_mean_pm (shown[k], &st);
        }
        report_section_add_row (sec, (const char *const *) cells);
        for (guint k = 0; k < 4; k++)
            g_free (cells[k]);
    }
}

/* sweep.csv, sweep.json, the charts and, with --report, the PDF. */
static gboolean
sweep_write (const Sweep *w, const CmdVariants *v, GError **error)
{
    g_autofree char *csv = g_build_filename (w->x.out, "sweep.csv", NULL);
    g_autofree char *json = g_build_filename (w->x.out, "sweep.json", NULL);
    g_autofree const char **titles = g_new0 (const char *,
                                             w->axes->len + 1);
    g_autoptr (GPtrArray) sections = g_ptr_array_new_with_free_func (
        (GDestroyNotify) report_section_free);
    ReportSection *sec = NULL;

    for (guint j = 0; j < w->axes->len; j++)
        titles[j] = ((const Axis *) g_ptr_array_index (w->axes, j))->path;
    if (w->x.report) {
        sec = sweep_section (w, v);
        g_ptr_array_add (sections, sec);
    }
    if (!output_mkdir (w->x.out, error)
        || !expfiles_stats_csv (csv, titles,
                                (const char *const *const *) v->keys,
                                v->results, v->n, error)
        || !expfiles_stats_json (json, titles,
                                 (const char *const *const *) v->keys,
                                 v->results, v->n, NULL, error)
        || !sweep_charts (w, v, sec, error))
        return FALSE;
    if (sec == NULL)
        return TRUE;
    sweep_section_rows (sec, v);
    return cmd_write_first_report (w->x.report, v->results[0], sections,
                                   error);
}

/* ---- the command -------------------------------------------------------- */

int
cmd_sweep (int argc, char **argv)
{
    g_auto (Sweep) w = { .x.replications = 10 };
    g_auto (CmdVariants) v = { 0 };
    g_autoptr (GError) error = NULL;
    int status = KB_EXIT_OK;

    w.metrics = g_array_new (FALSE, FALSE, sizeof (ExpMetric));
    w.axes = g_ptr_array_new_with_free_func ((GDestroyNotify) axis_free);
    if (!sweep_options (&w, &argc, &argv, &status))
        return status;
    if (!sweep_points (&w, argv[1], &v, &error))
        return cmd_input_error (error);
    if (w.x.out == NULL)
        w.x.out = cmd_default_out (v.scenarios[0]->name, "sweep");
    cmd_variants_run (&v, "kbsim sweep", &w.x);
    print_sweep (&w, &v);
    if (!sweep_write (&w, &v, &error)) {
        status = cmd_input_error (error);
    } else {
        printf ("Files: %s/{sweep.csv,sweep.json%s}%s%s\n", w.x.out,
                w.axes->len <= 2 ? ",sweep-*.png" : "",
                w.x.report ? "\nReport: " : "", w.x.report ? w.x.report : "");
        if (w.axes->len > 2)
            printf ("(no charts: they show one or two swept values; "
                    "sweep.csv has every point)\n");
    }
    for (guint i = 0; i < v.n && status == KB_EXIT_OK; i++)
        if (!v.results[i]->conserved) {
            fprintf (stderr, "kbsim sweep: conservation check failed (a "
                     "kbsim bug)\n");
            status = KB_EXIT_CHECKS_FAILED;
        }
    return status;
}
