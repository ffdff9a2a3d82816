/* cmd-sweep.c: `kbsim sweep` (a grid of what-if values) and `kbsim
 * compare` (scenarios or variants side by side).
 *
 * Both load one Scenario per point or variant (the scenario file with
 * --set overrides), run them as one batch of replications 0..R-1 on the
 * thread pool, and so compare them on common random numbers: replication
 * k sees the same arrivals and failures at every point. A compare pairs
 * replication k of a variant with replication k of the first, so its
 * differences and their intervals are paired.
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
        g_auto (GStrv) p = g_strsplit (eq + 1, ":", -1);
        guint np = g_strv_length (p);
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
            axis_free (a);
            return NULL;
        }
        a->numeric = TRUE;
        /* k * step from FROM, so 0.1 steps do not drift */
        {
            guint count = (guint) floor ((v[1] - v[0]) / v[2] + 1e-9) + 1;

            for (guint k = 0; k < count; k++)
                g_ptr_array_add (a->values, number_text (v[0] + k * v[2]));
        }
    } else {
        g_auto (GStrv) p = g_strsplit (eq + 1, ",", -1);

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

/* Loads path with base sets plus extra; the error names the variant. */
static Scenario *
load_variant (const char *path, const char *const *base,
              const char *const *extra, const char *label, GError **error)
{
    g_autoptr (GPtrArray) sets = g_ptr_array_new ();
    g_autoptr (GError) err = NULL;
    Scenario *s;

    for (guint i = 0; base && base[i]; i++)
        g_ptr_array_add (sets, (gpointer) base[i]);
    for (guint i = 0; extra && extra[i]; i++)
        g_ptr_array_add (sets, (gpointer) extra[i]);
    g_ptr_array_add (sets, NULL);
    s = scenario_load (path, (const char *const *) sets->pdata, &err);
    if (s == NULL)
        g_set_error (error, err->domain, err->code, "%s%s%s", label ? label
                     : "", label ? ": " : "", err->message);
    else if (s->dev_host != NULL) {
        g_set_error (error, KB_SCENARIO_ERROR, KB_SCENARIO_ERROR_INVALID,
                     "%s describes a developer's desktop (dev_host), not a "
                     "cluster; 'kbsim run %s' shows what starts where", path,
                     path);
        g_clear_pointer (&s, scenario_free);
    }
    return s;
}

static gboolean
parse_metrics (const char *cmd, char **keys, GArray *out, int *status)
{
    if (keys == NULL) {
        g_array_append_vals (out, default_metrics,
                             G_N_ELEMENTS (default_metrics));
        return TRUE;
    }
    for (guint i = 0; keys[i]; i++) {
        ExpMetric m;

        if (!exp_metric_lookup (keys[i], &m)) {
            g_autofree char *why = exp_metric_unknown (keys[i]);

            *status = cmd_usage_error (cmd, "--metric: %s", why);
            return FALSE;
        }
        g_array_append_val (out, m);
    }
    return TRUE;
}

static char *
mean_pm (ExpMetric m, const ExpStats *st)
{
    g_autofree char *mean = exp_metric_format (m, st->mean);
    g_autofree char *half = NULL;

    if (!isfinite (st->half))
        return g_steal_pointer (&mean);
    half = exp_metric_format (m, st->half);
    return g_strdup_printf ("%s \u00b1 %s", mean, half);
}

/* Runs the batch with a progress line. (transfer full) */
static ExpResult **
run_batch (const char *what, Scenario **scenarios, guint n, int reps,
           int jobs, gboolean quiet)
{
    ExpOptions o = { 0 };
    CmdProgress progress;
    ExpResult **rs;

    o.replications = (guint) reps;
    o.jobs = (guint) jobs;
    o.keep_first = TRUE;        /* each point's replication 0, for the
                                 * report of the first */
    cmd_progress_init (&progress, what, quiet);
    cmd_progress_attach (&progress, &o);
    rs = experiment_run_batch ((const Scenario *const *) scenarios, n, &o);
    cmd_progress_end (&progress);
    return rs;
}

static void
free_batch (ExpResult **rs, Scenario **scenarios, guint n)
{
    for (guint i = 0; i < n; i++) {
        exp_result_free (rs ? rs[i] : NULL);
        scenario_free (scenarios[i]);
    }
    g_free (rs);
    g_free (scenarios);
}

static gboolean
save_chart (Chart *chart, const char *dir, const char *name,
            ReportSection *sec, const char *caption, GError **error)
{
    g_autofree char *file = g_strconcat (name, ".png", NULL);
    g_autofree char *path = g_build_filename (dir, file, NULL);
    gboolean ok = chart_save (chart, path, CHART_FORMAT_PNG, 720, 400, 144,
                              error);

    if (sec)
        report_section_add_chart (sec, chart, caption);
    else
        chart_free (chart);
    return ok;
}

/* The capacity report of result r's first replication, with sections;
 * its appendix lists r's scenario as written. */
static gboolean
write_first_report (const char *path, const ExpResult *r,
                    const GPtrArray *sections, GError **error)
{
    g_autoptr (RunData) rd = rundata_from_run (run_cluster (r->run),
                                               run_metrics (r->run),
                                               run_summary (r->run));

    return report_write_pdf_with (path, rd, r->scenario->source, sections,
                                  error);
}

/* ---- sweep ------------------------------------------------------------------- */

/* A row per point: its value on each axis, then each metric's mean with
 * the half-width of its interval. */
static void
print_sweep (const GPtrArray *axes, const GArray *metrics,
             const char *const *const *keys, ExpResult *const *rs, guint n)
{
    guint na = axes->len, nc = na + metrics->len;
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
            ((const Axis *) g_ptr_array_index (axes, j))->path));
    /* the keys cut to the column */
    for (guint k = 0; k < metrics->len; k++)
        g_ptr_array_add (row, g_strndup (exp_metric_info (g_array_index (
            metrics, ExpMetric, k))->key, 24));
    cmd_text_table_add_row (t, (const char *const *) row->pdata);
    for (guint i = 0; i < n; i++) {
        g_ptr_array_set_size (row, 0);
        for (guint j = 0; j < na; j++)
            g_ptr_array_add (row, g_strdup (keys[i][j]));
        for (guint k = 0; k < metrics->len; k++) {
            ExpMetric m = g_array_index (metrics, ExpMetric, k);
            ExpStats st;

            exp_result_stats (rs[i], m, &st);
            g_ptr_array_add (row, mean_pm (m, &st));
        }
        cmd_text_table_add_row (t, (const char *const *) row->pdata);
    }
    cmd_text_table_print (t);
}

int
cmd_sweep (int argc, char **argv)
{
    g_auto (GStrv) sets = NULL;
    g_auto (GStrv) varies = NULL;
    g_auto (GStrv) metric_keys = NULL;
    g_autofree char *out = NULL;
    g_autofree char *report = NULL;
    int replications = 10, jobs = 0;
    gboolean quiet = FALSE;
    GOptionEntry entries[] = {
        { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &varies,
          "A value to sweep (repeatable; the grid is every combination)",
          "PATH=FROM:TO:STEP|V1,V2" },
        { "metric", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &metric_keys,
          "A metric to chart and print (repeatable; default placement, "
          "placement_windows, p95_time_to_running, cost_per_30_days)",
          "METRIC" },
        { "replications", 'r', 0, G_OPTION_ARG_INT, &replications,
          "Replications per point (default 10)", "N" },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
          "Threads (default: one per core)", "N" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
          "Override a value at every point (repeatable)", "PATH=VALUE" },
        { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
          "Write the files here (default out/<scenario name>/sweep)", "DIR" },
        { "report", 0, 0, G_OPTION_ARG_FILENAME, &report,
          "Also write a PDF: the first point's capacity report with a sweep "
          "section", "FILE" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
          "No progress line", NULL },
        G_OPTION_ENTRY_NULL
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "SCENARIO - run a grid of what-if values with confidence intervals");
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) axes = g_ptr_array_new_with_free_func (
        (GDestroyNotify) axis_free);
    g_autoptr (GArray) metrics = g_array_new (FALSE, FALSE,
                                              sizeof (ExpMetric));
    g_autoptr (GPtrArray) sections = g_ptr_array_new_with_free_func (
        (GDestroyNotify) report_section_free);
    Scenario **scenarios;
    ExpResult **rs;
    char ***keys;
    g_autofree const char **titles = NULL;
    guint n = 1;
    int status = KB_EXIT_OK;
    ReportSection *sec = NULL;

    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (ctx,
        "Runs SCENARIO at every combination of the --vary values, each with "
        "the same\nreplications (common random numbers, so differences "
        "between points are the\nknob's, not the noise's), and writes "
        "sweep.csv (one row per point and metric,\nwith its 95% confidence "
        "interval), sweep.json and a chart per metric against\nthe swept "
        "value (a heat map for two). PATH is any --set path.\n\n"
        "Examples:\n  kbsim sweep scenarios/demo.yaml --vary "
        "node_pools.win2022.count=2:12:2 -r 10\n  kbsim sweep "
        "scenarios/demo.yaml --vary node_pools.win2022.count=2:8:2 \\\n"
        "      --vary cost.egress_per_gb=0.05,0.09 --metric cost_per_30_days");
    if (!cmd_parse_options (ctx, "sweep", &argc, &argv))
        return KB_EXIT_USAGE;
    if (!cmd_check_replications ("sweep", replications, jobs, &status))
        return status;
    if (argc != 2)
        return cmd_usage_error ("sweep", argc < 2
                                ? "missing SCENARIO (a YAML file)"
                                : "expected one SCENARIO, got %d", argc - 1);
    if (varies == NULL)
        return cmd_usage_error ("sweep", "give at least one --vary, e.g. "
                                "--vary node_pools.win2022.count=2:12:2");
    if (!parse_metrics ("sweep", metric_keys, metrics, &status))
        return status;
    for (guint i = 0; varies[i]; i++) {
        Axis *a = axis_parse (varies[i], &error);

        if (a == NULL)
            return cmd_usage_error ("sweep", "%s", error->message);
        n *= a->values->len;
        if (n > MAX_POINTS)
            return cmd_usage_error ("sweep", "the grid has more than %d "
                                    "points; sweep fewer values",
                                    MAX_POINTS);
        g_ptr_array_add (axes, a);
    }
    titles = g_new0 (const char *, axes->len + 1);
    for (guint j = 0; j < axes->len; j++)
        titles[j] = ((Axis *) g_ptr_array_index (axes, j))->path;

    /* every point: the first axis varies fastest */
    scenarios = g_new0 (Scenario *, n);
    keys = g_new0 (char **, n);
    for (guint i = 0; i < n; i++) {
        g_autoptr (GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
        g_autofree char *label = NULL;
        guint rest = i;

        keys[i] = g_new0 (char *, axes->len + 1);
        for (guint j = 0; j < axes->len; j++) {
            const Axis *a = g_ptr_array_index (axes, j);
            const char *v = g_ptr_array_index (a->values,
                                               rest % a->values->len);

            rest /= a->values->len;
            keys[i][j] = g_strdup (v);
            g_ptr_array_add (extra, g_strdup_printf ("%s=%s", a->path, v));
        }
        g_ptr_array_add (extra, NULL);
        label = g_strjoinv (", ", (char **) extra->pdata);
        scenarios[i] = load_variant (argv[1], (const char *const *) sets,
                                     (const char *const *) extra->pdata,
                                     label, &error);
        if (scenarios[i] == NULL) {
            status = cmd_input_error (error);
            goto done;
        }
    }
    if (out == NULL)
        out = g_build_filename ("out", scenarios[0]->name, "sweep", NULL);

    rs = run_batch ("kbsim sweep", scenarios, n, replications, jobs, quiet);

    print_sweep (axes, metrics, (const char *const *const *) keys, rs, n);
    printf ("(mean \u00b1 half-width of the 95%% confidence interval over %d "
            "replications per point, the same replications at every "
            "point)\n", replications);

    if (report) {
        g_autofree char *intro = g_strdup_printf (
            "%s was run at %u points, %d replications each, with the same "
            "random numbers at every point. Each chart shows a metric's mean "
            "with its 95%% confidence interval; sweep.csv has every figure. "
            "The pages after this section show the first point's replication "
            "0.", scenarios[0]->name, n, replications);

        sec = report_section_new ("Sweep");
        report_section_add_paragraph (sec, intro);
        g_ptr_array_add (sections, sec);
    }
    {
        g_autofree char *csv = g_build_filename (out, "sweep.csv", NULL);
        g_autofree char *json = g_build_filename (out, "sweep.json", NULL);
        const Axis *ax = g_ptr_array_index (axes, 0);
        gboolean ok = output_mkdir (out, &error)
            && expfiles_stats_csv (csv, titles,
                                 (const char *const *const *) keys, rs, n,
                                 &error)
            && expfiles_stats_json (json, titles,
                                  (const char *const *const *) keys, rs, n,
                                  NULL, &error);

        for (guint k = 0; ok && k < metrics->len && axes->len <= 2; k++) {
            ExpMetric m = g_array_index (metrics, ExpMetric, k);
            g_autofree char *name = g_strdup_printf ("sweep-%s",
                                                     exp_metric_info (m)->key);
            Chart *chart;
            g_autofree char *caption = NULL;

            if (axes->len == 1) {
                chart = expchart_sweep_line (rs, ax->numbers, n, ax->path, m);
                caption = g_strdup_printf ("%s against %s, mean and 95%% "
                                           "band.", exp_metric_info (m)->label,
                                           ax->path);
            } else {
                const Axis *ay = g_ptr_array_index (axes, 1);

                chart = expchart_sweep_heatmap (
                    rs, ax->numbers, ax->values->len, ax->path,
                    (const char *const *) ay->values->pdata, ay->values->len,
                    ay->path, m);
                caption = g_strdup_printf ("%s over %s and %s (means).",
                                           exp_metric_info (m)->label,
                                           ax->path, ay->path);
            }
            ok = save_chart (chart, out, name, sec, caption, &error);
        }
        if (ok && sec) {
            report_section_set_columns (sec, (const char *const[]) {
                "Point", ">placement", ">p95 time to Running",
                ">cost per 30 days" }, 4);
            for (guint i = 0; i < n; i++) {
                g_autofree char *pt = g_strjoinv (", ", keys[i]);
                ExpStats a, b, c;
                g_autofree char *ca = NULL;
                g_autofree char *cb = NULL;
                g_autofree char *cc = NULL;

                exp_result_stats (rs[i], EXP_PLACEMENT, &a);
                exp_result_stats (rs[i], EXP_TTR_P95, &b);
                exp_result_stats (rs[i], EXP_COST_30D, &c);
                ca = mean_pm (EXP_PLACEMENT, &a);
                cb = mean_pm (EXP_TTR_P95, &b);
                cc = mean_pm (EXP_COST_30D, &c);
                report_section_add_row (sec, (const char *const[]) {
                    pt, ca, cb, cc });
            }
            ok = write_first_report (report, rs[0], sections, &error);
        }
        if (!ok)
            status = cmd_input_error (error);
        else
            printf ("Files: %s/{sweep.csv,sweep.json%s}%s%s\n", out,
                    axes->len <= 2 ? ",sweep-*.png" : "",
                    report ? "\nReport: " : "", report ? report : "");
        if (axes->len > 2 && ok)
            printf ("(no charts: they show one or two swept values; "
                    "sweep.csv has every point)\n");
    }
    for (guint i = 0; i < n; i++)
        if (!rs[i]->conserved && status == KB_EXIT_OK) {
            fprintf (stderr, "kbsim sweep: conservation check failed (a "
                     "kbsim bug)\n");
            status = KB_EXIT_CHECKS_FAILED;
        }
    free_batch (rs, scenarios, n);
    scenarios = NULL;
done:
    if (scenarios)
        free_batch (NULL, scenarios, n);
    for (guint i = 0; i < n; i++)
        g_strfreev (keys[i]);
    g_free (keys);
    return status;
}

/* ---- compare ------------------------------------------------------------------ */

/* The paired difference of metric m between results a and b (b - a, by
 * replication). */
static void
paired_diff (const ExpResult *a, const ExpResult *b, ExpMetric m,
             ExpStats *out)
{
    guint n = MIN (a->n, b->n);
    g_autofree double *d = g_new (double, n);

    for (guint k = 0; k < n; k++)
        d[k] = exp_result_value (b, k, m) - exp_result_value (a, k, m);
    exp_stats_compute (d, n, out);
}

static char *
diff_text (ExpMetric m, const ExpStats *d, gboolean *significant)
{
    g_autofree char *mean = exp_metric_format (m, fabs (d->mean));
    g_autofree char *half = exp_metric_format (m, d->half);
    const char *sign = d->mean > 0 ? "+" : d->mean < 0 ? "-" : "";

    /* no sign on a difference that prints as zero */
    if (strpbrk (mean, "123456789") == NULL)
        sign = "";

    *significant = isfinite (d->half) && (d->lo > 0 || d->hi < 0);
    if (d->n == 0)
        return g_strdup ("-");
    if (!isfinite (d->half))
        return g_strdup_printf ("%s%s", sign, mean);
    return g_strdup_printf ("%s%s \u00b1 %s%s", sign, mean, half,
                            *significant ? " *" : "");
}

/* The first variant, then each other with its difference from the first;
 * columns as wide as their widest cell. */
static void
print_compare (const GArray *metrics, const char *const *labels,
               ExpResult *const *rs, guint n)
{
    guint nc = 2 * n;
    g_autofree CmdColumn *cols = g_new0 (CmdColumn, nc);
    g_autoptr (CmdTextTable) t = NULL;
    g_autoptr (GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

    for (guint c = 0; c < nc; c++) {
        cols[c].width = CMD_WIDTH_FIT;
        cols[c].right = c > 0;
        cols[c].gap = c + 1 < nc ? "  " : NULL;
    }
    t = cmd_text_table_new (cols, nc);
    g_ptr_array_add (row, g_strdup ("METRIC"));
    g_ptr_array_add (row, g_strdup (labels[0]));
    for (guint i = 1; i < n; i++) {
        g_ptr_array_add (row, g_strdup (labels[i]));
        g_ptr_array_add (row, g_strdup ("difference"));
    }
    cmd_text_table_add_row (t, (const char *const *) row->pdata);
    for (guint k = 0; k < metrics->len; k++) {
        ExpMetric m = g_array_index (metrics, ExpMetric, k);
        ExpStats st;

        g_ptr_array_set_size (row, 0);
        g_ptr_array_add (row, g_strdup (exp_metric_info (m)->label));
        exp_result_stats (rs[0], m, &st);
        g_ptr_array_add (row, exp_metric_format (m, st.mean));
        for (guint i = 1; i < n; i++) {
            ExpStats d;
            gboolean sig;

            exp_result_stats (rs[i], m, &st);
            g_ptr_array_add (row, exp_metric_format (m, st.mean));
            paired_diff (rs[0], rs[i], m, &d);
            g_ptr_array_add (row, diff_text (m, &d, &sig));
        }
        cmd_text_table_add_row (t, (const char *const *) row->pdata);
    }
    cmd_text_table_print (t);
}

int
cmd_compare (int argc, char **argv)
{
    g_auto (GStrv) sets = NULL;
    g_auto (GStrv) variants = NULL;
    g_auto (GStrv) metric_keys = NULL;
    g_autofree char *out = NULL;
    g_autofree char *report = NULL;
    int replications = 10, jobs = 0;
    gboolean quiet = FALSE;
    GOptionEntry entries[] = {
        { "variant", 'V', 0, G_OPTION_ARG_STRING_ARRAY, &variants,
          "A variant of the one SCENARIO (repeatable)",
          "NAME:PATH=VALUE[,PATH=VALUE...]" },
        { "metric", 'm', 0, G_OPTION_ARG_STRING_ARRAY, &metric_keys,
          "A metric to compare (repeatable; default: all)", "METRIC" },
        { "replications", 'r', 0, G_OPTION_ARG_INT, &replications,
          "Replications per variant (default 10)", "N" },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
          "Threads (default: one per core)", "N" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
          "Override a value in every variant (repeatable)", "PATH=VALUE" },
        { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
          "Write the files here (default out/compare)", "DIR" },
        { "report", 0, 0, G_OPTION_ARG_FILENAME, &report,
          "Also write a PDF: the first variant's capacity report with a "
          "comparison section", "FILE" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
          "No progress line", NULL },
        G_OPTION_ENTRY_NULL
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "SCENARIO [SCENARIO...] - compare scenarios or variants side by "
        "side");
    g_autoptr (GError) error = NULL;
    g_autoptr (GArray) metrics = g_array_new (FALSE, FALSE,
                                              sizeof (ExpMetric));
    g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GPtrArray) sections = g_ptr_array_new_with_free_func (
        (GDestroyNotify) report_section_free);
    Scenario **scenarios;
    ExpResult **rs;
    char ***keys;
    const char *const titles[] = { "variant", NULL };
    guint n;
    int status = KB_EXIT_OK;
    gboolean ok;

    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (ctx,
        "Runs every scenario given, or one SCENARIO and each --variant of "
        "it, with the\nsame replications, and prints each metric side by "
        "side with the difference\nfrom the first and its 95% confidence "
        "interval, paired by replication; a *\nmarks a difference whose "
        "interval excludes zero. Writes compare.csv,\ncompare.json and "
        "charts overlaying the variants.\n\nExamples:\n"
        "  kbsim compare scenarios/demo.yaml --variant "
        "'bigger-win:node_pools.win2022.count=8'\n"
        "  kbsim compare scenarios/mixed-minimal.yaml scenarios/demo.yaml");
    if (!cmd_parse_options (ctx, "compare", &argc, &argv))
        return KB_EXIT_USAGE;
    if (!cmd_check_replications ("compare", replications, jobs, &status))
        return status;
    if (replications < 2)
        return cmd_usage_error ("compare", "--replications: a comparison "
                                "needs at least 2");
    if (argc < 2)
        return cmd_usage_error ("compare", "missing SCENARIO (a YAML file)");
    if (variants && argc != 2)
        return cmd_usage_error ("compare", "--variant works on one "
                                "SCENARIO, got %d", argc - 1);
    if (!variants && argc < 3)
        return cmd_usage_error ("compare", "give two or more scenarios, or "
                                "one with --variant NAME:PATH=VALUE");
    if (metric_keys == NULL)
        for (int m = 0; m < EXP_N_METRICS; m++)
            g_array_append_val (metrics, m);
    else if (!parse_metrics ("compare", metric_keys, metrics, &status))
        return status;

    n = variants ? g_strv_length (variants) + 1 : (guint) argc - 1;
    scenarios = g_new0 (Scenario *, n);
    keys = g_new0 (char **, n);
    for (guint i = 0; i < n; i++) {
        g_auto (GStrv) extra = NULL;
        const char *path = variants ? argv[1] : argv[i + 1];
        char *label;

        if (variants && i > 0) {
            const char *v = variants[i - 1];
            const char *colon = strchr (v, ':');

            if (colon == NULL || colon == v || strchr (colon, '=') == NULL) {
                status = cmd_usage_error ("compare", "--variant '%s': "
                                          "expected NAME:PATH=VALUE[,PATH="
                                          "VALUE...]", v);
                goto done;
            }
            label = g_strndup (v, colon - v);
            extra = g_strsplit (colon + 1, ",", -1);
            for (guint j = 0; extra[j]; j++)
                g_strstrip (extra[j]);
        } else {
            label = NULL;
        }
        scenarios[i] = load_variant (path, (const char *const *) sets,
                                     (const char *const *) extra, label,
                                     &error);
        if (scenarios[i] == NULL) {
            g_free (label);
            status = cmd_input_error (error);
            goto done;
        }
        if (label == NULL)
            label = g_strdup (variants ? "base" : scenarios[i]->name);
        g_ptr_array_add (labels, label);
        keys[i] = g_new0 (char *, 2);
        keys[i][0] = g_strdup (label);
    }
    if (out == NULL)
        out = g_build_filename ("out", "compare", NULL);

    rs = run_batch ("kbsim compare", scenarios, n, replications, jobs, quiet);

    print_compare (metrics, (const char *const *) labels->pdata, rs, n);
    printf ("(means over %d replications, paired by replication; "
            "difference: from %s, \u00b1 the 95%% interval's half-width; "
            "* the interval excludes 0)\n", replications,
            (char *) g_ptr_array_index (labels, 0));

    {
        g_autofree char *csv = g_build_filename (out, "compare.csv", NULL);
        g_autofree char *json = g_build_filename (out, "compare.json", NULL);
        ReportSection *sec = report ? report_section_new ("Comparison")
                                    : NULL;

        if (sec) {
            g_autofree char *intro = g_strdup_printf (
                "%u variants, %d replications each with the same random "
                "numbers; differences are from %s, paired by replication, "
                "with the half-width of their 95%% interval; * marks a "
                "difference whose interval excludes zero.", n, replications,
                (char *) g_ptr_array_index (labels, 0));

            report_section_add_paragraph (sec, intro);
            for (guint i = 1; i < n; i++) {
                const char *name = g_ptr_array_index (labels, i);
                g_autofree char *head = g_strdup_printf (
                    "%s against %s", name,
                    (char *) g_ptr_array_index (labels, 0));
                g_autofree char *c1 = g_strdup_printf (
                    ">%s", (char *) g_ptr_array_index (labels, 0));
                g_autofree char *c2 = g_strdup_printf (">%s", name);
                const char *heads[] = { "Metric", c1, c2, ">Difference" };

                report_section_add_heading (sec, head);
                report_section_set_columns (sec, heads, 4);
                for (guint k = 0; k < metrics->len; k++) {
                    ExpMetric m = g_array_index (metrics, ExpMetric, k);
                    ExpStats st, d;
                    gboolean sig;
                    g_autofree char *a = NULL;
                    g_autofree char *b = NULL;
                    g_autofree char *dt = NULL;
                    const char *row[4];

                    exp_result_stats (rs[0], m, &st);
                    a = exp_metric_format (m, st.mean);
                    exp_result_stats (rs[i], m, &st);
                    b = exp_metric_format (m, st.mean);
                    paired_diff (rs[0], rs[i], m, &d);
                    dt = diff_text (m, &d, &sig);
                    row[0] = exp_metric_info (m)->label;
                    row[1] = a;
                    row[2] = b;
                    row[3] = dt;
                    report_section_add_row (sec, row);
                }
            }
            g_ptr_array_add (sections, sec);
        }
        ok = output_mkdir (out, &error)
             && expfiles_stats_csv (csv, titles,
                                  (const char *const *const *) keys, rs, n,
                                  &error)
             && expfiles_stats_json (json, titles,
                                   (const char *const *const *) keys, rs, n,
                                   NULL, &error)
             && save_chart (expchart_waiting_overlay (
                                rs, (const char *const *) labels->pdata, n),
                            out, "compare-waiting", sec,
                            "Pods waiting over time in each variant, the "
                            "mean over the replications with its 95% band.",
                            &error)
             && save_chart (expchart_compare_bars (
                                rs, (const char *const *) labels->pdata, n,
                                EXP_PLACEMENT),
                            out, "compare-placement", sec,
                            "Placement success by variant (means).", &error)
             && save_chart (expchart_compare_bars (
                                rs, (const char *const *) labels->pdata, n,
                                EXP_COST_30D),
                            out, "compare-cost", sec,
                            "Cost per 30 days by variant (means).", &error)
             && (report == NULL
                 || write_first_report (report, rs[0], sections, &error));
        if (!ok)
            status = cmd_input_error (error);
        else
            printf ("Files: %s/{compare.csv,compare.json,compare-*.png}%s%s\n",
                    out, report ? "\nReport: " : "", report ? report : "");
    }
    free_batch (rs, scenarios, n);
    scenarios = NULL;
done:
    if (scenarios)
        free_batch (NULL, scenarios, n);
    for (guint i = 0; i < n; i++)
        g_strfreev (keys[i]);
    g_free (keys);
    return status;
}
