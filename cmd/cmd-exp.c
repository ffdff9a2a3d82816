/* cmd-exp.c: what run --replications, sweep, compare and plan share: the
 * progress line, the checks of --replications and --jobs, the terminal
 * table of statistics and the output folder's files. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "experiments/expfiles.h"
#include "cmd/cmd-exp.h"
#include "cmd/cmd-print.h"

/* ---- progress ------------------------------------------------------------- */

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

/* ---- options ---------------------------------------------------------------- */

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

/* ---- the table ------------------------------------------------------------------- */

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
