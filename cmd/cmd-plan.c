/* cmd-plan.c: `kbsim plan SCENARIO --target ...`: the capacity planner.
 *
 * Prints the recommendation (nodes per pool, monthly cost with its
 * interval, each target against what was achieved, what binds each pool)
 * and writes to DIR (default out/<scenario>/plan/): plan.json, plan.csv
 * (every configuration run, with its statistics), frontier.png and the
 * capacity report of the recommended configuration with a planner
 * section. Exit status: 0 when the targets are met, 3 when no
 * configuration within the bounds meets them (the best found is still
 * printed and written), 2 for usage and input errors.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "experiments/expcharts.h"
#include "experiments/expfiles.h"
#include "reports/output.h"
#include "reports/report.h"
#include "cmd/cmd-exp.h"
#include "cmd/cmd-print.h"
#include "experiments/planner.h"

#define KB_EXIT_TARGETS_MISSED 3

typedef struct {
    gboolean enabled;
    gboolean shown;
} PlanProgressLine;

/* What each stage of the search is doing, as the progress line says it. */
static const char *
stage_words (const char *stage)
{
    static const struct { const char *stage, *words; } w[] = {
        { "top", "running the upper bounds" },
        { "box", "box, screening" },
        { "box-rest", "box, promising ones" },
        { "refine", "refining" },
        { "verify", "checking with fresh replications" },
        { "explain", "finding what binds" },
    };

    for (guint i = 0; stage && i < G_N_ELEMENTS (w); i++)
        if (strcmp (stage, w[i].stage) == 0)
            return w[i].words;
    return "searching";
}

/* The progress line: the stage, its count and, where the stage's length
 * is known, the time that stage has left at the pace so far. The local
 * search that follows the box has no length known beforehand, so no
 * estimate of the whole search is given before it. Under 80 columns for
 * counts up to 99,999 and times up to 99,999 s. */
static void
plan_progress (const PlanProgress *at, gpointer data)
{
    PlanProgressLine *p = data;
    g_autofree char *count = NULL;
    g_autofree char *left = NULL;

    if (!p->enabled || at->elapsed < 1.0)
        return;
    if (at->stage_total > 0) {
        count = g_strdup_printf (" %u/%u", at->stage_done, at->stage_total);
        if (at->stage_done > 0 && at->stage_done < at->stage_total)
            left = g_strdup_printf (", ~%.0f s left",
                                    at->stage_elapsed / at->stage_done
                                    * (at->stage_total - at->stage_done));
    }
    fprintf (stderr, "\r\033[Kkbsim plan: %s%s%s; %u sims, %.0f s",
             stage_words (at->stage), count ? count : "", left ? left : "",
             at->simulations, at->elapsed);
    fflush (stderr);
    p->shown = TRUE;
}

static const char *
op_text (PlanOp op)
{
    return op == PLAN_AT_LEAST ? ">=" : "<=";
}

/* One target as asked, judged against the value asked for: "met" or
 * "missed", never against a goal the search relaxed. */
static char *
target_line (const PlanTarget *t, const ExpResult *r, gboolean *met)
{
    ExpStats st;
    double bound;
    g_autofree char *want = exp_metric_format (t->metric, t->value);
    g_autofree char *mean = NULL;
    g_autofree char *ci = NULL;

    exp_result_stats (r, t->metric, &st);
    *met = plan_target_met (t, t->value, r, &bound);
    mean = exp_metric_format (t->metric, st.mean);
    ci = cmd_format_ci (t->metric, &st);
    return g_strdup_printf ("%s %s %s: achieved %s (95%% CI %s): %s",
                            exp_metric_info (t->metric)->label,
                            op_text (t->op), want, mean, ci,
                            *met ? "met" : "missed");
}

/* When the search aimed lower than target i asked: the best the bounds
 * reach, or NULL. (transfer full) */
static char *
reachable_line (const PlanProblem *p, const PlanResult *r, guint i)
{
    const PlanTarget *t = g_ptr_array_index (p->targets, i);
    g_autofree char *best = NULL;

    if (r->relaxed[i] == t->value)
        return NULL;
    best = exp_metric_format (t->metric, r->relaxed[i]);
    return g_strdup_printf ("the best reachable within the bounds is %s "
                            "(the 95%% bound of the best configuration "
                            "found); the "
                            "recommendation is the cheapest configuration "
                            "that reaches it", best);
}

/* The blockers matter when a target is out of reach or a template is
 * refused; otherwise the upper bounds' failures are not the answer's. */
static gboolean
show_blockers (const PlanResult *r)
{
    return r->blockers->len > 0 && (!r->targets_met || r->unfixable);
}

static guint
n_screened (const PlanResult *r)
{
    guint n = 0;

    for (guint i = 0; i < r->points->len; i++)
        n += ((const PlanPoint *) g_ptr_array_index (r->points, i))->screened;
    return n;
}

static char *
pool_value (const PlanVar *v, const PlanPoint *pt, guint i)
{
    g_autofree char *inst = v->instances
        ? g_strdup_printf (", %s", (char *) g_ptr_array_index (
              v->instances, pt->instance[i]))
        : NULL;

    if (v->kind == PLAN_VAR_COUNT)
        return g_strdup_printf ("%" G_GINT64_FORMAT " node%s%s",
                                pt->values[i], pt->values[i] == 1 ? "" : "s",
                                inst ? inst : "");
    return g_strdup_printf ("autoscale up to %" G_GINT64_FORMAT " node%s "
                            "(from %" G_GINT64_FORMAT ")%s", pt->values[i],
                            pt->values[i] == 1 ? "" : "s",
                            MIN (v->base_min, pt->values[i]),
                            inst ? inst : "");
}

/* The metric the frontier plots: the first share target, else the first
 * target. */
static const PlanTarget *
frontier_target (const PlanProblem *p, guint *index)
{
    for (guint i = 0; i < p->targets->len; i++) {
        const PlanTarget *t = g_ptr_array_index (p->targets, i);

        if (exp_metric_info (t->metric)->unit == EXP_UNIT_SHARE) {
            *index = i;
            return t;
        }
    }
    *index = 0;
    return g_ptr_array_index (p->targets, 0);
}

/* Whether pt meets every target as asked (its colour on the frontier:
 * green never means a relaxed goal). */
static gboolean
meets_as_asked (const PlanProblem *p, const PlanPoint *pt)
{
    for (guint i = 0; i < p->targets->len; i++) {
        const PlanTarget *t = g_ptr_array_index (p->targets, i);

        if (!plan_target_met (t, t->value, pt->result, NULL))
            return FALSE;
    }
    return TRUE;
}

static Chart *
frontier_chart (const PlanProblem *p, const PlanResult *r)
{
    guint n = r->points->len, best = 0, ti;
    const PlanTarget *t = frontier_target (p, &ti);
    g_autofree double *cost = g_new (double, n);
    g_autofree double *y = g_new (double, n);
    g_autofree double *lo = g_new (double, n);
    g_autofree double *hi = g_new (double, n);
    g_autofree gboolean *ok = g_new (gboolean, n);

    for (guint i = 0; i < n; i++) {
        const PlanPoint *pt = g_ptr_array_index (r->points, i);
        ExpStats st;

        exp_result_stats (pt->result, t->metric, &st);
        cost[i] = pt->cost;
        y[i] = st.mean;
        lo[i] = isfinite (st.lo) ? st.lo : st.mean;
        hi[i] = isfinite (st.hi) ? st.hi : st.mean;
        ok[i] = meets_as_asked (p, pt);
        if (pt == r->best)
            best = i;
    }
    return expchart_frontier (cost, y, lo, hi, ok, n, best, t->metric,
                              t->value);
}

static JsonNode *
answer_json (const PlanProblem *p, const PlanResult *r)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    const PlanPoint *best = r->best;
    const ExpResult *judged = r->verify ? r->verify : best->result;

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "plan");
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "met");
    json_builder_add_boolean_value (b, plan_result_met (p, r));
    json_builder_set_member_name (b, "targets_reachable");
    json_builder_add_boolean_value (b, r->targets_met);
    json_builder_set_member_name (b, "unfixable");
    json_builder_add_boolean_value (b, r->unfixable);
    json_builder_set_member_name (b, "unplaceable_workloads");
    json_builder_add_int_value (b, r->unplaceable);
    json_builder_set_member_name (b, "verified");
    json_builder_add_boolean_value (b, r->verified);
    json_builder_set_member_name (b, "within_budget");
    json_builder_add_boolean_value (b, r->within_budget);
    json_builder_set_member_name (b, "budget_per_30_days");
    if (isfinite (p->budget))
        json_builder_add_double_value (b, p->budget);
    else
        json_builder_add_null_value (b);
    json_builder_set_member_name (b, "cost_per_30_days");
    json_builder_add_double_value (b, round (best->cost * 100) / 100);
    json_builder_set_member_name (b, "set");
    json_builder_begin_array (b);
    for (guint i = 0; best->sets[i]; i++)
        json_builder_add_string_value (b, best->sets[i]);
    json_builder_end_array (b);
    json_builder_set_member_name (b, "targets");
    json_builder_begin_array (b);
    for (guint i = 0; i < p->targets->len; i++) {
        const PlanTarget *t = g_ptr_array_index (p->targets, i);
        double bound;
        gboolean met = plan_target_met (t, t->value, judged, &bound);

        json_builder_begin_object (b);
        json_builder_set_member_name (b, "target");
        json_builder_add_string_value (b, t->text);
        json_builder_set_member_name (b, "metric");
        json_builder_add_string_value (b, exp_metric_info (t->metric)->key);
        json_builder_set_member_name (b, "op");
        json_builder_add_string_value (b, op_text (t->op));
        json_builder_set_member_name (b, "requested");
        json_builder_add_double_value (b, t->value);
        json_builder_set_member_name (b, "searched_for");
        json_builder_add_double_value (b, r->relaxed[i]);
        json_builder_set_member_name (b, "reached");
        if (isfinite (bound))
            json_builder_add_double_value (b, bound);
        else
            json_builder_add_null_value (b);
        json_builder_set_member_name (b, "met");
        json_builder_add_boolean_value (b, met);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
    json_builder_set_member_name (b, "binding");
    json_builder_begin_array (b);
    for (guint i = 0; i < r->explain->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (r->explain, i));
    json_builder_end_array (b);
    json_builder_set_member_name (b, "blockers");
    json_builder_begin_array (b);
    for (guint i = 0; i < r->blockers->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (r->blockers, i));
    json_builder_end_array (b);
    json_builder_set_member_name (b, "notes");
    json_builder_begin_array (b);
    for (guint i = 0; i < r->notes->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (r->notes, i));
    json_builder_end_array (b);
    json_builder_set_member_name (b, "configurations");
    json_builder_add_int_value (b, r->points->len);
    json_builder_set_member_name (b, "simulations");
    json_builder_add_int_value (b, r->simulations);
    json_builder_end_object (b);
    json_builder_end_object (b);
    return json_builder_get_root (b);
}

/* The headline in words, for the terminal and the report. */
static char *
headline (const PlanProblem *p, const PlanResult *r)
{
    const ExpResult *judged = r->verify ? r->verify : r->best->result;
    ExpStats st;
    g_autofree char *cost = NULL;

    exp_result_stats (judged, EXP_COST_30D, &st);
    cost = exp_metric_format (EXP_COST_30D, st.mean);

    if (!r->targets_met)
        return g_strdup_printf (
            "Target missed: no configuration within the bounds meets every "
            "target%s. The recommendation below is the cheapest that does "
            "as well as the largest one tried (%s per 30 days).",
            r->unfixable ? ", and no node count can: some pods are "
            "refused or fit no pool (see what stops the pods)" : "", cost);
    if (!r->verified)
        return g_strdup_printf (
            "The search found a configuration (%s per 30 days), but fresh "
            "replications did not confirm it meets every target: see the "
            "notes below, and run with more replications.", cost);
    if (!r->within_budget) {
        g_autofree char *budget = exp_metric_format (EXP_COST_30D,
                                                     p->budget);

        return g_strdup_printf ("The cheapest configuration that meets "
                                "every target costs %s per 30 days, over "
                                "the budget of %s.", cost, budget);
    }
    return g_strdup_printf ("The cheapest configuration that meets every "
                            "target with 95%% confidence costs %s per 30 "
                            "days.", cost);
}

static ReportSection *
plan_section (const PlanProblem *p, const PlanResult *r, Chart *frontier)
{
    static const char *const cols[] = { "Pool", "OS", "Recommended",
                                        ">Searched" };
    ReportSection *sec = report_section_new ("Capacity plan");
    const ExpResult *judged = r->verify ? r->verify : r->best->result;
    g_autofree char *head = headline (p, r);
    g_autofree char *how = g_strdup_printf (
        "The planner sampled the whole box of pool sizes, then refined "
        "around the cheapest configurations that met the targets: %u "
        "configurations, %u simulations in all, with %u replications each "
        "(the same random numbers for every configuration; %u "
        "configurations were dropped after their first replications, "
        "hopeless even at the optimistic end of their interval), and "
        "checked the answer with %u fresh replications.", r->points->len,
        r->simulations, p->replications, n_screened (r), p->replications);

    report_section_add_paragraph (sec, head);
    for (guint i = 0; i < p->targets->len; i++) {
        gboolean met;
        g_autofree char *line = target_line (
            g_ptr_array_index (p->targets, i), judged, &met);
        g_autofree char *reach = reachable_line (p, r, i);
        g_autofree char *both = reach ? g_strdup_printf ("%s; %s.", line,
                                                         reach) : NULL;

        report_section_add_paragraph (sec, both ? both : line);
    }
    for (guint i = 0; show_blockers (r) && i < r->blockers->len; i++)
        report_section_add_paragraph (sec, g_ptr_array_index (r->blockers,
                                                              i));
    report_section_set_columns (sec, cols, G_N_ELEMENTS (cols));
    for (guint i = 0; i < p->vars->len; i++) {
        const PlanVar *v = g_ptr_array_index (p->vars, i);
        g_autofree char *val = pool_value (v, r->best, i);
        g_autofree char *range = g_strdup_printf (
            "%" G_GINT64_FORMAT " to %" G_GINT64_FORMAT, v->lo, v->hi);
        const char *cells[] = { v->pool, v->os == KB_OS_WINDOWS ? "Windows"
                                                                : "Linux",
                                val, range };

        report_section_add_row (sec, cells);
    }
    for (guint i = 0; i < r->explain->len; i++)
        report_section_add_paragraph (sec, g_ptr_array_index (r->explain,
                                                              i));
    report_section_add_paragraph (sec, how);
    for (guint i = 0; i < r->notes->len; i++)
        report_section_add_paragraph (sec, g_ptr_array_index (r->notes, i));
    report_section_add_chart (sec, frontier,
                              "Every configuration the planner ran, at its "
                              "mean cost per 30 days: green ones meet every "
                              "target with 95% confidence, red ones miss "
                              "one; the blue dot is the recommendation and "
                              "the step line the best placement seen at or "
                              "under each cost.");
    return sec;
}

static void
print_pools (const PlanProblem *p, const PlanResult *r)
{
    static const CmdColumn cols[] = {
        { 22, FALSE, 0, " " }, { 8, FALSE, 0, " " }, { CMD_WIDTH_NONE }
    };
    g_autoptr (CmdTextTable) t = cmd_text_table_new (cols,
                                                     G_N_ELEMENTS (cols));

    cmd_text_table_add_row (t, (const char *const[]) {
        "POOL", "OS", "RECOMMENDED" });
    for (guint i = 0; i < p->vars->len; i++) {
        const PlanVar *v = g_ptr_array_index (p->vars, i);
        g_autofree char *val = pool_value (v, r->best, i);

        cmd_text_table_add_row (t, (const char *const[]) {
            v->pool, v->os == KB_OS_WINDOWS ? "windows" : "linux", val });
    }
    cmd_text_table_print (t);
}

static void
print_plan (const PlanProblem *p, const PlanResult *r, const char *dir,
            const char *report)
{
    const ExpResult *judged = r->verify ? r->verify : r->best->result;
    g_autofree char *head = headline (p, r);
    ExpStats cost;
    g_autofree char *ci = NULL;
    g_autofree char *mean = NULL;

    exp_result_stats (judged, EXP_COST_30D, &cost);
    ci = cmd_format_ci (EXP_COST_30D, &cost);
    mean = exp_metric_format (EXP_COST_30D, cost.mean);
    printf ("%s\n\n", head);
    print_pools (p, r);
    printf ("\nCost per 30 days: %s (95%% CI %s)\n", mean, ci);
    printf ("\nTargets (checked on fresh replications %u-%u):\n",
            judged->first, judged->first + judged->n - 1);
    for (guint i = 0; i < p->targets->len; i++) {
        gboolean met;
        g_autofree char *line = target_line (
            g_ptr_array_index (p->targets, i), judged, &met);
        g_autofree char *reach = reachable_line (p, r, i);

        printf ("  %s\n", line);
        if (reach)
            printf ("    (%s)\n", reach);
    }
    if (show_blockers (r)) {
        printf ("\nWhat stops the pods at the upper bounds:\n");
        for (guint i = 0; i < r->blockers->len; i++)
            printf ("  %s\n", (char *) g_ptr_array_index (r->blockers, i));
    }
    printf ("\nWhat binds:\n");
    for (guint i = 0; i < r->explain->len; i++)
        printf ("  %s\n", (char *) g_ptr_array_index (r->explain, i));
    printf ("\nSearch: %u configurations (%u dropped after their first "
            "replications), %u simulations (%u replications each), %u local "
            "move%s, %.1f s.\n", r->points->len, n_screened (r),
            r->simulations, p->replications, r->passes,
            r->passes == 1 ? "" : "s", r->seconds);
    for (guint i = 0; i < r->notes->len; i++)
        printf ("  %s\n", (char *) g_ptr_array_index (r->notes, i));
    printf ("\nTo run it:  kbsim run %s", p->scenario_path);
    for (guint i = 0; r->best->sets[i]; i++)
        printf (" --set %s", r->best->sets[i]);
    printf ("\nFiles: %s/{plan.json,plan.csv,frontier.png}\nReport: %s\n",
            dir, report);
}

static gboolean
write_plan (const PlanProblem *p, const PlanResult *r, const char *dir,
            const char *report, const char *scenario_text, GError **error)
{
    guint n = r->points->len, nv = p->vars->len;
    g_autofree char *json = g_build_filename (dir, "plan.json", NULL);
    g_autofree char *csv = g_build_filename (dir, "plan.csv", NULL);
    g_autofree char *png = g_build_filename (dir, "frontier.png", NULL);
    g_autofree const char **titles = g_new0 (const char *, nv + 1);
    g_autofree ExpResult **results = g_new (ExpResult *, n);
    char ***keys = g_new (char **, n);
    g_autoptr (JsonNode) extra = answer_json (p, r);
    g_autoptr (GPtrArray) sections = g_ptr_array_new_with_free_func (
        (GDestroyNotify) report_section_free);
    g_auto (GStrv) names = g_new0 (char *, nv + 1);
    Chart *frontier = frontier_chart (p, r);
    Run *kept = r->verify->run;
    g_autoptr (RunData) rd = rundata_from_run (run_cluster (kept),
                                               run_metrics (kept),
                                               run_summary (kept));
    gboolean ok;

    for (guint j = 0; j < nv; j++) {
        const PlanVar *v = g_ptr_array_index (p->vars, j);

        names[j] = g_strdup_printf ("node_pools.%s.%s", v->pool,
                                    v->kind == PLAN_VAR_COUNT
                                    ? "count" : "autoscale.max");
        titles[j] = names[j];
    }
    for (guint i = 0; i < n; i++) {
        const PlanPoint *pt = g_ptr_array_index (r->points, i);

        results[i] = pt->result;
        keys[i] = g_new0 (char *, nv + 1);
        for (guint j = 0; j < nv; j++)
            keys[i][j] = g_strdup_printf ("%" G_GINT64_FORMAT, pt->values[j]);
    }
    g_ptr_array_add (sections, plan_section (p, r, frontier));
    ok = output_mkdir (dir, error)
         && expfiles_stats_json (json, titles,
                               (const char *const *const *) keys, results, n,
                               extra, error)
         && expfiles_stats_csv (csv, titles, (const char *const *const *) keys,
                              results, n, error)
         && chart_save (frontier, png, CHART_FORMAT_PNG, 720, 400, 144,
                        error)
         && report_write_pdf_with (report, rd, scenario_text, sections,
                                   error);
    for (guint i = 0; i < n; i++)
        g_strfreev (keys[i]);
    g_free (keys);
    return ok;
}

/* ---- the command -------------------------------------------------------- */

/* The options as parsed: the shared ones (--replications, --jobs, --set,
 * --out, --report, --quiet) and plan's own. */
typedef struct {
    CmdExpArgs x;
    char **targets;             /* --target METRIC=VALUE */
    char **varies;              /* --vary PATH=LO:HI */
    char *budget;               /* --budget AMOUNT/month */
    gint box;                   /* --box N, 0: the default */
} PlanArgs;

static void
plan_args_clear (PlanArgs *a)
{
    cmd_exp_args_clear (&a->x);
    g_clear_pointer (&a->targets, g_strfreev);
    g_clear_pointer (&a->varies, g_strfreev);
    g_clear_pointer (&a->budget, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PlanArgs, plan_args_clear)

/* The help's description; %s: the metric keys. */
/* A ", "-separated list broken into lines of at most width columns, the
 * lines after the first indented by indent (the first is indented by the
 * caller). (transfer full) */
static char *
wrap_list (const char *list, guint indent, guint width)
{
    g_auto (GStrv) words = g_strsplit (list, ", ", -1);
    GString *out = g_string_new (NULL);
    guint col = indent;

    for (guint i = 0; words[i]; i++) {
        gsize len = strlen (words[i]) + (words[i + 1] ? 1 : 0);

        if (i > 0 && col + 1 + len > width) {
            g_string_append_printf (out, "\n%*s", (int) indent, "");
            col = indent;
        } else if (i > 0) {
            g_string_append_c (out, ' ');
            col++;
        }
        g_string_append_printf (out, "%s%s", words[i],
                                words[i + 1] ? "," : "");
        col += len;
    }
    return g_string_free (out, FALSE);
}

static const char plan_description[] =
    "Searches node counts (autoscaling ceilings for autoscaled pools, "
    "and instance\ntypes when --vary offers several) for the cheapest "
    "configuration whose 95%%\nconfidence interval clears every target, "
    "running each configuration with the\nsame replications. It does not "
    "assume that more nodes never hurt (a shared\nregistry link can make "
    "them): it samples the whole box of pool sizes (--box\n"
    "configurations), drops hopeless ones after 2 replications, refines "
    "around the\ncheapest that meet the targets with moves in both "
    "directions and exchanges\nbetween pools of one OS, checks the answer "
    "with fresh replications, and says\nwhat binds each pool. Before it "
    "searches it names the workloads no pool can run\nin any of its "
    "Windows builds (selectors, tolerations, requests, image entries,\n"
    "RuntimeClass): their pods count as not placed. A target is met or "
    "missed as\nasked: when no configuration meets it, it is \"missed\", "
    "with the best value\nreached, what stopped the pods, and the cheapest "
    "configuration that does as\nwell.\n\nTargets: METRIC=VALUE means at least VALUE for shares "
    "and at most VALUE for\ntimes and costs; write >= or <= to say "
    "otherwise. Metrics:\n  %s\n\nExit status: 0 targets met; 3 no "
    "configuration within the bounds meets them,\nthe answer is over "
    "--budget, or fresh replications did not confirm it; 2 usage\nor "
    "input errors.\n\nExamples:\n  kbsim plan scenarios/demo.yaml --target "
    "placement=99.9%%\n  kbsim plan scenarios/demo.yaml --target "
    "placement_windows=99%% \\\n      --target "
    "p95_time_to_running=10m --vary node_pools.win2022.count=2:12 \\\n"
    "      --vary node_pools.win2022.instance=m5.xlarge,m5.2xlarge "
    "--budget 20000/month";

static const char plan_usage[] =
    "SCENARIO - find the cheapest node mix that meets the targets";

static gboolean
plan_options (PlanArgs *a, int *argc, char ***argv, int *status)
{
    GOptionEntry entries[] = {
        { "target", 't', 0, G_OPTION_ARG_STRING_ARRAY, &a->targets,
          "A target every configuration must meet (repeatable)",
          "METRIC=VALUE" },
        { "vary", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->varies,
          "A pool to size and its bounds (repeatable; default: every pool)",
          "PATH=LO:HI" },
        { "budget", 0, 0, G_OPTION_ARG_STRING, &a->budget,
          "The most the answer may cost per 30 days", "AMOUNT/month" },
        { "box", 0, 0, G_OPTION_ARG_INT, &a->box,
          "Configurations sampled across the whole box (default 32)", "N" },
        cmd_exp_option (CMD_EXP_REPLICATIONS, &a->x,
                        "Replications per configuration (default 10)"),
        cmd_exp_option (CMD_EXP_JOBS, &a->x,
                        "Threads (default: one per core)"),
        cmd_exp_option (CMD_EXP_SET, &a->x,
                        "Override a value by path first (repeatable)"),
        cmd_exp_option (CMD_EXP_OUT, &a->x, "Write the files here (default "
                        "out/<scenario name>/plan)"),
        cmd_exp_option (CMD_EXP_REPORT, &a->x,
                        "Write the PDF report here (default DIR/report.pdf)"),
        cmd_exp_option (CMD_EXP_QUIET, &a->x, "No progress line"),
        G_OPTION_ENTRY_NULL
    };
    g_autofree char *list = exp_metric_keys ();
    g_autofree char *keys = wrap_list (list, 2, 78);
    g_autofree char *description = g_strdup_printf (plan_description, keys);

    if (!cmd_parse ("plan", plan_usage, entries, description,
                    argc, argv)) {
        *status = KB_EXIT_USAGE;
        return FALSE;
    }
    if (!cmd_check_replications ("plan", a->x.replications, a->x.jobs,
                                 status))
        return FALSE;
    if (a->box < 0 || a->box > 4096) {
        *status = cmd_usage_error ("plan", "--box %d: expected 1 to 4096 "
                                   "configurations", a->box);
        return FALSE;
    }
    if (*argc != 2)
        *status = cmd_usage_error ("plan", *argc < 2
                                   ? "missing SCENARIO (a YAML file)"
                                   : "expected one SCENARIO, got %d",
                                   *argc - 1);
    else if (a->targets == NULL)
        *status = cmd_usage_error ("plan", "give at least one --target, "
                                   "e.g. --target placement=99.9%%");
    return *argc == 2 && a->targets != NULL;
}

/* --budget and the --targets into p and tlist (PlanTarget). */
static gboolean
plan_targets (const PlanArgs *a, PlanProblem *p, GPtrArray *tlist,
              int *status)
{
    g_autoptr (GError) error = NULL;

    p->budget = INFINITY;
    if (a->budget && !plan_budget_parse (a->budget, &p->budget, &error)) {
        *status = cmd_usage_error ("plan", "%s", error->message);
        return FALSE;
    }
    for (guint i = 0; a->targets[i]; i++) {
        PlanTarget *t = plan_target_parse (a->targets[i], &error);

        if (t == NULL) {
            *status = cmd_usage_error ("plan", "%s", error->message);
            return FALSE;
        }
        g_ptr_array_add (tlist, t);
    }
    p->targets = tlist;
    return TRUE;
}

/* Runs the planner with its progress line. (transfer full) */
static PlanResult *
plan_search (PlanProblem *p, const PlanArgs *a, const char *path,
             GError **error)
{
    PlanProgressLine progress = { 0 };
    PlanResult *r;

    p->scenario_path = path;
    p->base_sets = (const char *const *) a->x.sets;
    p->replications = (guint) a->x.replications;
    p->box_points = (guint) a->box;
    p->jobs = (guint) a->x.jobs;
    progress.enabled = !a->x.quiet && isatty (fileno (stderr));
    p->progress = plan_progress;
    p->progress_data = &progress;
    r = planner_run (p, error);
    if (progress.shown)
        fprintf (stderr, "\r\033[K");
    /* the line's state lives here only */
    p->progress = NULL;
    p->progress_data = NULL;
    return r;
}

int
cmd_plan (int argc, char **argv)
{
    g_auto (PlanArgs) a = { .x.replications = 10 };
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = NULL;
    g_autoptr (GPtrArray) tlist = g_ptr_array_new_with_free_func (
        (GDestroyNotify) plan_target_free);
    g_autoptr (GPtrArray) vars = NULL;
    PlanProblem p = { 0 };
    PlanResult *r;
    int status = KB_EXIT_OK;

    if (!plan_options (&a, &argc, &argv, &status)
        || !plan_targets (&a, &p, tlist, &status))
        return status;
    s = scenario_load (argv[1], (const char *const *) a.x.sets, &error);
    if (s == NULL)
        return cmd_input_error (error);
    if ((status = cmd_require_cluster ("plan", argv[1], s->dev_host != NULL)))
        return status;
    vars = plan_vars_from (s, (const char *const *) a.varies, &error);
    if (vars == NULL)
        return cmd_usage_error ("plan", "%s", error->message);
    if (a.x.out == NULL)
        a.x.out = cmd_default_out (s->name, "plan");
    if (a.x.report == NULL)
        a.x.report = g_build_filename (a.x.out, "report.pdf", NULL);
    p.vars = vars;
    if ((r = plan_search (&p, &a, argv[1], &error)) == NULL)
        return cmd_input_error (error);
    if (!write_plan (&p, r, a.x.out, a.x.report, s->source, &error)) {
        plan_result_free (r);
        return cmd_input_error (error);
    }
    print_plan (&p, r, a.x.out, a.x.report);
    if (!plan_result_met (&p, r) || !r->within_budget)
        status = KB_EXIT_TARGETS_MISSED;
    plan_result_free (r);
    return status;
}
