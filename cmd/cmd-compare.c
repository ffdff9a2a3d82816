/* cmd-compare.c: `kbsim compare`: scenarios, or variants of one,
 * side by side.
 *
 * Every scenario given, or one SCENARIO and each --variant of it, is
 * loaded as a variant and all run as one batch of replications 0..R-1
 * (cmd_variants_run()), so replication k of every variant sees the same
 * arrivals and failures. A difference pairs replication k of a variant
 * with replication k of the first, so its interval is that of the
 * paired differences, and a * marks one whose interval excludes zero.
 * The command parses its options, builds the variants, runs them,
 * prints the side-by-side table and writes compare.csv, compare.json,
 * the charts overlaying the variants and, with --report, the first
 * variant's capacity report with a comparison section.
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

typedef struct {
    CmdExpArgs x;
    char **variants;            /* --variant NAME:PATH=VALUE,... */
    GArray *metrics;            /* ExpMetric */
} Compare;

static void
compare_clear (Compare *c)
{
    cmd_exp_args_clear (&c->x);
    g_clear_pointer (&c->variants, g_strfreev);
    g_clear_pointer (&c->metrics, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Compare, compare_clear)

/* ---- figures ------------------------------------------------------------ */

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

/* ---- options ------------------------------------------------------------ */

static const char compare_description[] =
    "Runs every scenario given, or one SCENARIO and each --variant of "
    "it, with the\nsame replications, and prints each metric side by "
    "side with the difference\nfrom the first and its 95% confidence "
    "interval, paired by replication; a *\nmarks a difference whose "
    "interval excludes zero. Writes compare.csv,\ncompare.json and "
    "charts overlaying the variants.\n\nExamples:\n"
    "  kbsim compare scenarios/demo.yaml --variant "
    "'bigger-win:node_pools.win2022.count=8'\n"
    "  kbsim compare scenarios/mixed-minimal.yaml scenarios/demo.yaml";

/* The checks of what the command line asks for, after parsing. */
static gboolean
compare_check (const Compare *c, int argc, int *status)
{
    const char *why = NULL;

    if (!cmd_check_replications ("compare", c->x.replications, c->x.jobs,
                                 status))
        return FALSE;
    if (c->x.replications < 2)
        why = "--replications: a comparison needs at least 2";
    else if (argc < 2)
        why = "missing SCENARIO (a YAML file)";
    else if (c->variants && argc != 2) {
        *status = cmd_usage_error ("compare", "--variant works on one "
                                   "SCENARIO, got %d", argc - 1);
        return FALSE;
    } else if (!c->variants && argc < 3)
        why = "give two or more scenarios, or one with --variant "
              "NAME:PATH=VALUE";
    if (why != NULL) {
        *status = cmd_usage_error ("compare", "%s", why);
        return FALSE;
    }
    return cmd_exp_parse_metrics ("compare", c->x.metrics, NULL, 0,
                                  c->metrics, status);
}

static const char compare_usage[] =
    "SCENARIO [SCENARIO...] - compare scenarios or variants side by "
    "side";

static gboolean
compare_options (Compare *c, int *argc, char ***argv, int *status)
{
    GOptionEntry entries[] = {
        { "variant", 'V', 0, G_OPTION_ARG_STRING_ARRAY, &c->variants,
          "A variant of the one SCENARIO (repeatable)",
          "NAME:PATH=VALUE[,PATH=VALUE...]" },
        cmd_exp_option (CMD_EXP_METRIC, &c->x,
                        "A metric to compare (repeatable; default: all)"),
        cmd_exp_option (CMD_EXP_REPLICATIONS, &c->x,
                        "Replications per variant (default 10)"),
        cmd_exp_option (CMD_EXP_JOBS, &c->x,
                        "Threads (default: one per core)"),
        cmd_exp_option (CMD_EXP_SET, &c->x,
                        "Override a value in every variant (repeatable)"),
        cmd_exp_option (CMD_EXP_OUT, &c->x,
                        "Write the files here (default out/compare)"),
        cmd_exp_option (CMD_EXP_REPORT, &c->x,
                        "Also write a PDF: the first variant's capacity "
                        "report with a comparison section"),
        cmd_exp_option (CMD_EXP_QUIET, &c->x, "No progress line"),
        G_OPTION_ENTRY_NULL
    };

    if (!cmd_parse ("compare", compare_usage, entries, compare_description,
                    argc, argv)) {
        *status = KB_EXIT_USAGE;
        return FALSE;
    }
    return compare_check (c, *argc, status);
}

/* ---- the variants ------------------------------------------------------- */

/* Variant i: scenario i + 1 of argv, or the base (i = 0) and the
 * --variants of argv[1]; its one key is its label (the variant's NAME,
 * "base", or the scenario's name). */
static gboolean
compare_variant (const Compare *c, char **argv, CmdVariants *v, guint i,
                 int *status)
{
    g_autoptr (GError) error = NULL;
    g_auto (GStrv) extra = NULL;
    g_autofree char *label = NULL;
    const char *path = c->variants ? argv[1] : argv[i + 1];

    if (c->variants && i > 0) {
        const char *spec = c->variants[i - 1];
        const char *colon = strchr (spec, ':');

        if (colon == NULL || colon == spec || strchr (colon, '=') == NULL) {
            *status = cmd_usage_error ("compare", "--variant '%s': expected "
                                       "NAME:PATH=VALUE[,PATH=VALUE...]",
                                       spec);
            return FALSE;
        }
        label = g_strndup (spec, colon - spec);
        extra = g_strsplit (colon + 1, ",", -1);
        for (guint j = 0; extra[j]; j++)
            g_strstrip (extra[j]);
    }
    if (!cmd_variants_load (v, i, path, (const char *const *) c->x.sets,
                            (const char *const *) extra, label, &error)) {
        *status = cmd_input_error (error);
        return FALSE;
    }
    if (label == NULL)
        label = g_strdup (c->variants ? "base" : v->scenarios[i]->name);
    v->keys[i] = g_new0 (char *, 2);
    v->keys[i][0] = g_steal_pointer (&label);
    return TRUE;
}

/* ---- printing ----------------------------------------------------------- */

/* The first variant, then each other with its difference from the first;
 * columns as wide as their widest cell. */
static void
print_compare (const Compare *c, const CmdVariants *v,
               const char *const *labels)
{
    guint nc = 2 * v->n;
    g_autofree CmdColumn *cols = g_new0 (CmdColumn, nc);
    g_autoptr (CmdTextTable) t = NULL;
    g_autoptr (GPtrArray) row = g_ptr_array_new_with_free_func (g_free);

    for (guint k = 0; k < nc; k++) {
        cols[k].width = CMD_WIDTH_FIT;
        cols[k].right = k > 0;
        cols[k].gap = k + 1 < nc ? "  " : NULL;
    }
    t = cmd_text_table_new (cols, nc);
    g_ptr_array_add (row, g_strdup ("METRIC"));
    g_ptr_array_add (row, g_strdup (labels[0]));
    for (guint i = 1; i < v->n; i++) {
        g_ptr_array_add (row, g_strdup (labels[i]));
        g_ptr_array_add (row, g_strdup ("difference"));
    }
    cmd_text_table_add_row (t, (const char *const *) row->pdata);
    for (guint k = 0; k < c->metrics->len; k++) {
        ExpMetric m = g_array_index (c->metrics, ExpMetric, k);
        ExpStats st;

        g_ptr_array_set_size (row, 0);
        g_ptr_array_add (row, g_strdup (exp_metric_info (m)->label));
        exp_result_stats (v->results[0], m, &st);
        g_ptr_array_add (row, exp_metric_format (m, st.mean));
        for (guint i = 1; i < v->n; i++) {
            ExpStats d;
            gboolean sig;

            exp_result_stats (v->results[i], m, &st);
            g_ptr_array_add (row, exp_metric_format (m, st.mean));
            paired_diff (v->results[0], v->results[i], m, &d);
            g_ptr_array_add (row, diff_text (m, &d, &sig));
        }
        cmd_text_table_add_row (t, (const char *const *) row->pdata);
    }
    cmd_text_table_print (t);
    printf ("(means over %d replications, paired by replication; "
            "difference: from %s, \u00b1 the 95%% interval's half-width; "
            "* the interval excludes 0)\n", c->x.replications, labels[0]);
}

/* ---- writing ------------------------------------------------------------ */

/* The report's table of variant i against the first. */
static void
compare_section_table (ReportSection *sec, const Compare *c,
                       const CmdVariants *v, const char *const *labels,
                       guint i)
{
    g_autofree char *head = g_strdup_printf ("%s against %s", labels[i],
                                             labels[0]);
    g_autofree char *c1 = g_strdup_printf (">%s", labels[0]);
    g_autofree char *c2 = g_strdup_printf (">%s", labels[i]);
    const char *heads[] = { "Metric", c1, c2, ">Difference" };

    report_section_add_heading (sec, head);
    report_section_set_columns (sec, heads, 4);
    for (guint k = 0; k < c->metrics->len; k++) {
        ExpMetric m = g_array_index (c->metrics, ExpMetric, k);
        ExpStats st, d;
        gboolean sig;
        g_autofree char *a = NULL;
        g_autofree char *b = NULL;
        g_autofree char *dt = NULL;
        const char *row[4];

        exp_result_stats (v->results[0], m, &st);
        a = exp_metric_format (m, st.mean);
        exp_result_stats (v->results[i], m, &st);
        b = exp_metric_format (m, st.mean);
        paired_diff (v->results[0], v->results[i], m, &d);
        dt = diff_text (m, &d, &sig);
        row[0] = exp_metric_info (m)->label;
        row[1] = a;
        row[2] = b;
        row[3] = dt;
        report_section_add_row (sec, row);
    }
}

/* The report's comparison section; the charts are added as they are
 * saved. */
static ReportSection *
compare_section (const Compare *c, const CmdVariants *v,
                 const char *const *labels)
{
    ReportSection *sec = report_section_new ("Comparison");
    g_autofree char *intro = g_strdup_printf (
        "%u variants, %d replications each with the same random "
        "numbers; differences are from %s, paired by replication, "
        "with the half-width of their 95%% interval; * marks a "
        "difference whose interval excludes zero.", v->n,
        c->x.replications, labels[0]);

    report_section_add_paragraph (sec, intro);
    for (guint i = 1; i < v->n; i++)
        compare_section_table (sec, c, v, labels, i);
    return sec;
}

/* compare.csv, compare.json, the charts and, with --report, the PDF. */
static gboolean
compare_write (const Compare *c, const CmdVariants *v,
               const char *const *labels, GError **error)
{
    static const char *const titles[] = { "variant", NULL };
    const char *dir = c->x.out;
    g_autofree char *csv = g_build_filename (dir, "compare.csv", NULL);
    g_autofree char *json = g_build_filename (dir, "compare.json", NULL);
    g_autoptr (GPtrArray) sections = g_ptr_array_new_with_free_func (
        (GDestroyNotify) report_section_free);
    ReportSection *sec = NULL;

    if (c->x.report) {
        sec = compare_section (c, v, labels);
        g_ptr_array_add (sections, sec);
    }
    return output_mkdir (dir, error)
           && expfiles_stats_csv (csv, titles,
                                  (const char *const *const *) v->keys,
                                  v->results, v->n, error)
           && expfiles_stats_json (json, titles,
                                   (const char *const *const *) v->keys,
                                   v->results, v->n, NULL, error)
           && cmd_save_chart (expchart_waiting_overlay (v->results, labels,
                                                        v->n),
                              dir, "compare-waiting", sec,
                              "Pods waiting over time in each variant, the "
                              "mean over the replications with its 95% "
                              "band.", error)
           && cmd_save_chart (expchart_compare_bars (v->results, labels, v->n,
                                                     EXP_PLACEMENT),
                              dir, "compare-placement", sec,
                              "Placement success by variant (means).", error)
           && cmd_save_chart (expchart_compare_bars (v->results, labels, v->n,
                                                     EXP_COST_30D),
                              dir, "compare-cost", sec,
                              "Cost per 30 days by variant (means).", error)
           && (c->x.report == NULL
               || cmd_write_first_report (c->x.report, v->results[0],
                                          sections, error));
}

/* ---- the command -------------------------------------------------------- */

int
cmd_compare (int argc, char **argv)
{
    g_auto (Compare) c = { .x.replications = 10 };
    g_auto (CmdVariants) v = { 0 };
    g_autofree const char **labels = NULL;
    g_autoptr (GError) error = NULL;
    int status = KB_EXIT_OK;

    c.metrics = g_array_new (FALSE, FALSE, sizeof (ExpMetric));
    if (!compare_options (&c, &argc, &argv, &status))
        return status;
    cmd_variants_init (&v, c.variants ? g_strv_length (c.variants) + 1
                                      : (guint) argc - 1);
    labels = g_new0 (const char *, v.n + 1);
    for (guint i = 0; i < v.n; i++) {
        if (!compare_variant (&c, argv, &v, i, &status))
            return status;
        labels[i] = v.keys[i][0];
    }
    if (c.x.out == NULL)
        c.x.out = g_build_filename ("out", "compare", NULL);
    cmd_variants_run (&v, "kbsim compare", &c.x);
    print_compare (&c, &v, labels);
    if (!compare_write (&c, &v, labels, &error))
        return cmd_input_error (error);
    printf ("Files: %s/{compare.csv,compare.json,compare-*.png}%s%s\n",
            c.x.out, c.x.report ? "\nReport: " : "",
            c.x.report ? c.x.report : "");
    return status;
}
