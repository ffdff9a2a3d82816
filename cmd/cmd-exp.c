/* cmd-exp.c: what run --replications, sweep, compare and plan share. See
 * cmd-exp.h.
 *
 * The shared options live in one table, so --replications is -r, an
 * integer called N, in every command that has it; each command writes
 * only the help line that says what the option means there.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd-exp.h"
#include "cmd/cmd-print.h"
#include "reports/rundata.h"
#include "scenarios/scenario.h"

/* ---- the shared options ------------------------------------------------- */

static const struct {
    GOptionEntry entry;         /* without arg_data and description */
    gsize offset;               /* of its value in CmdExpArgs */
} shared_options[CMD_EXP_N_OPTIONS] = {
    [CMD_EXP_SET] = {
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, "PATH=VALUE" },
        G_STRUCT_OFFSET (CmdExpArgs, sets) },
    [CMD_EXP_METRIC] = {
        { "metric", 'm', 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, "METRIC" },
        G_STRUCT_OFFSET (CmdExpArgs, metrics) },
    [CMD_EXP_REPLICATIONS] = {
        { "replications", 'r', 0, G_OPTION_ARG_INT, NULL, NULL, "N" },
        G_STRUCT_OFFSET (CmdExpArgs, replications) },
    [CMD_EXP_JOBS] = {
        { "jobs", 'j', 0, G_OPTION_ARG_INT, NULL, NULL, "N" },
        G_STRUCT_OFFSET (CmdExpArgs, jobs) },
    [CMD_EXP_OUT] = {
        { "out", 'o', 0, G_OPTION_ARG_FILENAME, NULL, NULL, "DIR" },
        G_STRUCT_OFFSET (CmdExpArgs, out) },
    [CMD_EXP_REPORT] = {
        { "report", 0, 0, G_OPTION_ARG_FILENAME, NULL, NULL, "FILE" },
        G_STRUCT_OFFSET (CmdExpArgs, report) },
    [CMD_EXP_QUIET] = {
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, NULL, NULL, NULL },
        G_STRUCT_OFFSET (CmdExpArgs, quiet) },
};

GOptionEntry
cmd_exp_option (CmdExpOption which, CmdExpArgs *a, const char *help)
{
    GOptionEntry e;

    g_assert (which < CMD_EXP_N_OPTIONS);
    e = shared_options[which].entry;
    e.arg_data = G_STRUCT_MEMBER_P (a, shared_options[which].offset);
    e.description = help;
    return e;
}

void
cmd_exp_args_clear (CmdExpArgs *a)
{
    g_clear_pointer (&a->sets, g_strfreev);
    g_clear_pointer (&a->metrics, g_strfreev);
    g_clear_pointer (&a->out, g_free);
    g_clear_pointer (&a->report, g_free);
}

gboolean
cmd_exp_parse_metrics (const char *cmd, char **keys,
                       const ExpMetric *defaults, guint n, GArray *out,
                       int *status)
{
    if (keys == NULL && defaults != NULL) {
        g_array_append_vals (out, defaults, n);
        return TRUE;
    }
    if (keys == NULL) {
        for (int m = 0; m < EXP_N_METRICS; m++)
            g_array_append_val (out, m);
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

gboolean
cmd_check_replications (const char *cmd, int replications, int jobs,
                        int *status)
{
    if (replications < 1 || replications > 100000) {
        *status = cmd_usage_error (cmd, "--replications: expected 1 to "
                                   "100000, got %d", replications);
        return FALSE;
    }
    if (jobs < 0 || jobs > 1024) {
        *status = cmd_usage_error (cmd, "--jobs: expected 0 to 1024 (0: one "
                                   "per core), got %d", jobs);
        return FALSE;
    }
    return TRUE;
}

/* ---- variants ----------------------------------------------------------- */

void
cmd_variants_init (CmdVariants *v, guint n)
{
    v->n = n;
    v->scenarios = g_new0 (Scenario *, n);
    v->keys = g_new0 (char **, n);
    v->results = NULL;
    v->sources = g_new0 (ExpSource, n);
    v->paths = g_new0 (char *, n);
    v->sets = g_new0 (char **, n);
}

void
cmd_variants_clear (CmdVariants *v)
{
    for (guint i = 0; i < v->n; i++) {
        if (v->results)
            exp_result_free (v->results[i]);
        scenario_free (v->scenarios[i]);
        g_strfreev (v->keys[i]);
        g_free (v->paths[i]);
        g_strfreev (v->sets[i]);
    }
    g_clear_pointer (&v->sources, g_free);
    g_clear_pointer (&v->paths, g_free);
    g_clear_pointer (&v->sets, g_free);
    g_clear_pointer (&v->results, g_free);
    g_clear_pointer (&v->scenarios, g_free);
    g_clear_pointer (&v->keys, g_free);
    v->n = 0;
}

gboolean
cmd_variants_load (CmdVariants *v, guint i, const char *path,
                   const char *const *base, const char *const *extra,
                   const char *label, GError **error)
{
    g_autoptr (GPtrArray) sets = g_ptr_array_new ();
    g_autoptr (GError) err = NULL;
    Scenario *s;

    for (guint k = 0; base && base[k]; k++)
        g_ptr_array_add (sets, (gpointer) base[k]);
    for (guint k = 0; extra && extra[k]; k++)
        g_ptr_array_add (sets, (gpointer) extra[k]);
    g_ptr_array_add (sets, NULL);
    s = scenario_load (path, (const char *const *) sets->pdata, &err);
    if (s == NULL) {
        g_set_error (error, err->domain, err->code, "%s%s%s", label ? label
                     : "", label ? ": " : "", err->message);
        return FALSE;
    }
    if (s->dev_host != NULL) {
        g_set_error (error, KB_SCENARIO_ERROR, KB_SCENARIO_ERROR_INVALID,
                     "%s describes a developer's desktop (dev_host), not a "
                     "cluster; 'kbsim run %s' shows what starts where", path,
                     path);
        scenario_free (s);
        return FALSE;
    }
    v->scenarios[i] = s;
    v->paths[i] = g_strdup (path);
    v->sets[i] = g_strdupv ((char **) sets->pdata);
    v->sources[i].path = v->paths[i];
    v->sources[i].sets = (const char *const *) v->sets[i];
    return TRUE;
}

void
cmd_variants_run (CmdVariants *v, const char *what, const CmdExpArgs *a)
{
    ExpOptions o = { 0 };
    CmdProgress progress;

    g_return_if_fail (v->results == NULL);
    o.replications = (guint) a->replications;
    o.jobs = (guint) a->jobs;
    o.keep_first = TRUE;        /* each variant's replication 0, for the
                                 * report of the first */
    o.sources = v->sources;
    cmd_progress_init (&progress, what, a->quiet);
    cmd_progress_attach (&progress, &o);
    v->results = experiment_run_batch (
        (const Scenario *const *) v->scenarios, v->n, &o);
    cmd_progress_end (&progress);
}

/* ---- progress ----------------------------------------------------------- */

static void
progress_print (guint done, guint total, double elapsed, gpointer data)
{
    CmdProgress *p = data;
    char left[64] = "";

    if (elapsed < 1.0)
        return;
    if (done > 0 && done < total) {
        double rest = elapsed * (total - done) / done;

        g_snprintf (left, sizeof left, ", about %.0f s left", ceil (rest));
    }
    fprintf (stderr, "\r\033[K%s: %u/%u runs done, %.0f s elapsed%s",
             p->what, p->done_before + done, p->total ? p->total
                                                      : p->done_before + total,
             elapsed, left);
    fflush (stderr);
    p->shown = TRUE;
}

void
cmd_progress_init (CmdProgress *p, const char *what, gboolean quiet)
{
    memset (p, 0, sizeof *p);
    p->what = what;
    p->enabled = !quiet && isatty (STDERR_FILENO);
}

void
cmd_progress_attach (CmdProgress *p, ExpOptions *o)
{
    o->progress = p->enabled ? progress_print : NULL;
    o->progress_data = p;
}

void
cmd_progress_end (CmdProgress *p)
{
    if (p->shown)
        fprintf (stderr, "\r\033[K");
    p->shown = FALSE;
}

/* ---- figures and tables ------------------------------------------------- */

/* Shown clamped to what the metric can be: no negative counts, no share
 * over 100%. The files keep the Student t bounds as they are. */
char *
cmd_format_ci (ExpMetric m, const ExpStats *st)
{
    double top = exp_metric_info (m)->unit == EXP_UNIT_SHARE ? 1 : INFINITY;
    g_autofree char *lo = exp_metric_format (m, CLAMP (st->lo, 0, top));
    g_autofree char *hi = exp_metric_format (m, CLAMP (st->hi, 0, top));

    if (!isfinite (st->half))
        return g_strdup ("-");
    return g_strdup_printf ("%s .. %s", lo, hi);
}

/* A metric's row: its label, then mean, interval, min and max in its
 * unit; cells[1..4] are new (g_free()). */
static void
stats_row (const ExpResult *r, ExpMetric m, const char *cells[5])
{
    ExpStats st;

    exp_result_stats (r, m, &st);
    cells[0] = exp_metric_info (m)->label;
    cells[1] = exp_metric_format (m, st.mean);
    cells[2] = cmd_format_ci (m, &st);
    cells[3] = exp_metric_format (m, st.min);
    cells[4] = exp_metric_format (m, st.max);
}

static void
stats_row_clear (const char *cells[5])
{
    for (int i = 1; i < 5; i++)
        g_free ((char *) cells[i]);
}

char *
cmd_format_mean_pm (ExpMetric m, const ExpStats *st)
{
    g_autofree char *mean = exp_metric_format (m, st->mean);
    g_autofree char *half = NULL;

    if (!isfinite (st->half))
        return g_steal_pointer (&mean);
    half = exp_metric_format (m, st->half);
    return g_strdup_printf ("%s \u00b1 %s", mean, half);
}

void
cmd_print_stats (const ExpResult *r, const ExpMetric *which, guint n)
{
    static const CmdColumn cols[] = {
        { 34, FALSE, 0, " " }, { 12, TRUE, 0, "  " }, { 27, FALSE, 0, " " },
        { 12, TRUE, 0, " " }, { 12, TRUE, 0, NULL }
    };
    g_autoptr (CmdTextTable) t = cmd_text_table_new (cols,
                                                     G_N_ELEMENTS (cols));

    cmd_text_table_add_row (t, (const char *const[]) {
        "METRIC", "MEAN", "95% CONFIDENCE INTERVAL", "MIN", "MAX" });
    for (guint i = 0; i < n; i++) {
        const char *cells[5];

        stats_row (r, which ? which[i] : (ExpMetric) i, cells);
        cmd_text_table_add_row (t, cells);
        stats_row_clear (cells);
    }
    cmd_text_table_print (t);
}

ReportSection *
cmd_stats_section (const char *title, const ExpResult *r)
{
    static const char *const cols[] = {
        "Metric", ">Mean", ">95% confidence interval", ">Min", ">Max"
    };
    ReportSection *sec = report_section_new (title);
    g_autofree char *intro = g_strdup_printf (
        "The scenario was run %u times with independent random numbers "
        "(replications %u to %u of seed %" G_GUINT64_FORMAT "). Each figure "
        "is the mean over the replications with a 95%% Student t "
        "confidence interval for it: a range that, by the usual reading, "
        "holds the long-run mean with 95%% confidence. The pages after "
        "this section show replication %u alone.", r->n, r->first,
        r->first + r->n - 1, r->scenario->seed, r->first);

    report_section_add_paragraph (sec, intro);
    report_section_set_columns (sec, cols, G_N_ELEMENTS (cols));
    for (int m = 0; m < EXP_N_METRICS; m++) {
        const char *cells[5];

        stats_row (r, (ExpMetric) m, cells);
        report_section_add_row (sec, cells);
        stats_row_clear (cells);
    }
    return sec;
}

/* ---- files -------------------------------------------------------------- */

gboolean
cmd_save_chart (Chart *chart, const char *dir, const char *name,
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

gboolean
cmd_write_first_report (const char *path, const ExpResult *r,
                        const GPtrArray *sections, GError **error)
{
    g_autoptr (RunData) rd = rundata_from_run (run_cluster (r->run),
                                               run_metrics (r->run),
                                               run_summary (r->run));

    return report_write_pdf_with (path, rd, r->scenario->source, sections,
                                  error);
}
