/* report.c: what the capacity report and the lesson handouts say. See
 * report.h.
 *
 * The pages are doc.c's; this file decides the sections, their order and
 * their words: the title page with the executive summary, the pools, the
 * nine run charts each with a sentence on what it shows for this run, the
 * failures, the cost tables, the assumptions and the scenario's text,
 * with the sections other commands add (ReportSection: blocks kept until
 * the document is laid out) after the summary. A handout is the lesson's
 * sections, the charts it names and the scenario.
 */
#include "reports/report.h"

#include <string.h>

#include "models/cost.h"
#include "sim/units.h"
#include "reports/chart.h"
#include "reports/doc.h"
#include "reports/risks.h"
#include "reports/runcharts.h"

G_DEFINE_QUARK (kb-report-error-quark, kb_report_error)

#define RISK_CHARS  110
#define RISKS_MAX   4

static const char *const chart_order[] = {
    "placement", "phases-linux", "phases-windows", "reasons", "ttr", "pulls",
    "cost", "cost-os", "utilization"
};

/* What the report or handout says: the run and what the command adds. */
typedef struct {
    const RunData *rd;          /* NULL: a handout without a run */
    const Scenario *sc;
    const RunSummary *s;
    const CostReport *cost;
    const char *text;
    const GPtrArray *sections;  /* ReportSection *, or NULL */
    gboolean handout;           /* a lesson handout, not a report */
    const char *title;          /* the handout's */
    const char *const *chart_names;     /* the handout's run charts */
} Report;

/* ---- formatting -------------------------------------------------------- */

static char *
money (double v)
{
    return units_format_value (UNITS_VALUE_USD, v, 0.01);
}

static char *
share (double frac)
{
    return units_format_value (UNITS_VALUE_PERCENT, frac, 0.001);
}

/* A count with thousands separators: "20,106". */
static char *
count (gint64 n)
{
    return units_format_value (UNITS_VALUE_PLAIN, (double) n, 1);
}

static char *
seconds (double v)
{
    return units_format_value (UNITS_VALUE_TIME, v, 0);
}

/* s on one line, at most max characters, "…" marking a cut. */
static char *
shorten (const char *s, glong max)
{
    g_autofree char *flat = g_strdup (s);

    g_strdelimit (flat, "\r\n\t", ' ');
    if (g_utf8_strlen (flat, -1) <= max)
        return g_steal_pointer (&flat);
    {
        g_autofree char *head = g_utf8_substring (flat, 0, max - 1);

        return g_strconcat (g_strchomp (head), "\u2026", NULL);
    }
}

static const char *
os_word (KbOs os)
{
    return os == KB_OS_WINDOWS ? "Windows" : os == KB_OS_LINUX ? "Linux"
                                                               : "other";
}

/* ---- page 1: title and executive summary ------------------------------- */

/* The title, the scenario's description, and what was simulated. */
static void
summary_heading (Doc *d, const Report *rep)
{
    g_autofree char *title = g_strdup_printf ("Capacity report: %s",
                                              rep->sc->name);
    g_autofree char *dur = seconds (sim_time_to_seconds (rep->sc->duration));
    g_autofree char *about = NULL;

    doc_title_page (d, 16);
    doc_heading (d, DOC_H1, title);
    if (rep->sc->description[0] != '\0')
        doc_paragraph (d, rep->sc->description);
    about = g_strdup_printf ("Simulated %s of virtual time from %s with "
                             "seed %" G_GUINT64_FORMAT "; %" G_GUINT64_FORMAT
                             " events.", dur, rep->sc->file, rep->sc->seed,
                             rep->s->events);
    doc_note (d, about);
}

/* Placement per OS against REPORT_PLACEMENT_TARGET. */
static void
summary_placement (Doc *d, const Report *rep)
{
    const RunSummary *s = rep->s;
    g_autofree char *target = share (REPORT_PLACEMENT_TARGET);

    doc_heading (d, DOC_H3, "Placement");
    for (KbOs os = KB_OS_LINUX; os <= KB_OS_WINDOWS; os++) {
        double p = run_summary_placement (s, os);
        g_autofree char *pct = share (p);
        g_autofree char *placed = count (s->placed[os]);
        g_autofree char *eligible = count (s->eligible[os]);
        g_autofree char *line = NULL;
        g_autofree char *refused = s->rejected[os] == 0 ? g_strdup ("")
            : g_strdup_printf (", %" G_GINT64_FORMAT " refused by the API "
                               "server", s->rejected[os]);

        if (s->eligible[os] == 0 && s->arrived[os] == 0)
            line = g_strdup_printf ("%s: no %s pod was created in this "
                                    "run, so there is nothing to measure "
                                    "against the %s target.", os_word (os),
                                    os_word (os), target);
        else if (s->eligible[os] == 0)
            line = g_strdup_printf ("%s: %" G_GINT64_FORMAT " pod%s created, "
                                    "none yet past its placement deadline; "
                                    "not measured against the %s target.",
                                    os_word (os), s->arrived[os],
                                    s->arrived[os] == 1 ? "" : "s", target);
        else
            line = g_strdup_printf ("%s: %s of %s pods placed (%s%s); "
                                    "%s the %s target.", os_word (os),
                                    placed, eligible, pct, refused,
                                    p >= REPORT_PLACEMENT_TARGET ? "meets"
                                                                 : "misses",
                                    target);
        doc_bullet (d, "\u2022", line);
    }
}

/* The monthly cost; the licence's and idle capacity's parts of it. */
static void
summary_cost (Doc *d, const Report *rep)
{
    const CostReport *r = rep->cost;
    g_autofree char *month = money (r->per_30_days);
    g_autofree char *total = money (r->total);
    g_autofree char *dur = seconds (sim_time_to_seconds (rep->sc->duration));
    g_autofree char *line = NULL;

    doc_heading (d, DOC_H3, "Cost");
    line = g_strdup_printf ("Monthly cost: %s per 30 days at this run's "
                            "rate (%s for the %s simulated).", month, total,
                            dur);
    doc_bullet (d, "\u2022", line);
    if (r->nodes > 0) {
        g_autofree char *lic = money (r->windows_licence);
        g_autofree char *idle = share (r->idle / r->nodes);
        g_autofree char *more = g_strdup_printf (
            "Windows licence: %s of the run's cost; idle capacity: %s of "
            "node cost.", lic, idle);

        doc_bullet (d, "\u2022", more);
    }
}

/* The biggest risks in words (risks.h), then the warnings, numbered; the
 * raw messages stay in the failures section. */
static void
summary_risks (Doc *d, const Report *rep)
{
    const RunSummary *s = rep->s;
    g_autoptr (GPtrArray) risks = risks_list (rep->rd, RISKS_MAX);
    guint n = 0;

    doc_heading (d, DOC_H3, "Biggest risks");
    for (guint i = 0; i < risks->len; i++) {
        g_autofree char *mark = g_strdup_printf ("%u.", ++n);

        doc_bullet (d, mark, g_ptr_array_index (risks, i));
    }
    for (guint i = 0; i < s->warnings->len && n < RISKS_MAX + 1; i++) {
        g_autofree char *w = shorten (g_ptr_array_index (s->warnings, i),
                                      RISK_CHARS + 40);
        g_autofree char *mark = g_strdup_printf ("%u.", ++n);

        doc_bullet (d, mark, w);
    }
    if (n == 0)
        doc_paragraph (d, "No pod was kept from running and no warning was "
                       "raised in this run.");
    else if (s->reasons->len > 0)
        doc_note (d, "The failures section keeps one real message for each "
                  "reason.");
}

static void
section_title (Doc *d, const Report *rep)
{
    summary_heading (d, rep);
    doc_heading (d, DOC_H2, "Executive summary");
    summary_placement (d, rep);
    summary_cost (d, rep);
    summary_risks (d, rep);
    if (!rep->s->conserved)
        doc_paragraph (d, "Warning: the conservation check failed (a kbsim "
                       "bug); the figures may be wrong.");
}

/* ---- page 2: the pools ------------------------------------------------- */

/* The upgrades of pool p that started before the end of the run, in
 * order: the last one's build and kubelet are the pool's at the end. */
static void
pool_at_end (const Report *rep, const KbPoolSpec *p, WinVersion *build,
             KubeVersion *kubelet)
{
    *build = p->windows_build;
    *kubelet = p->kubelet;
    for (guint i = 0; i < rep->sc->events->len; i++) {
        const KbEventSpec *e = g_ptr_array_index (rep->sc->events, i);

        if (e->action != KB_EVENT_UPGRADE_POOL || e->at > rep->s->end
            || g_strcmp0 (e->pool, p->name) != 0)
            continue;
        if (e->has_windows_build)
            *build = e->windows_build;
        if (e->has_version)
            *kubelet = e->version;
    }
}

/* "10.0.17763 \u2192 10.0.20348" for a pool upgraded in the run, else the
 * one build; a dash for Linux. (transfer full). */
static char *
pool_build_cell (const Report *rep, const KbPoolSpec *p)
{
    WinVersion b;
    KubeVersion k;
    g_autofree char *start = NULL;
    g_autofree char *end = NULL;

    if (p->os != KB_OS_WINDOWS)
        return g_strdup ("\u2014");
    pool_at_end (rep, p, &b, &k);
    start = platform_win_version_format (&p->windows_build);
    end = platform_win_version_format (&b);
    if (strcmp (start, end) == 0)
        return g_steal_pointer (&start);
    return g_strdup_printf ("%s \u2192 %s", start, end);
}

static char *
pool_kubelet_cell (const Report *rep, const KbPoolSpec *p)
{
    WinVersion b;
    KubeVersion k;
    g_autofree char *start = NULL;
    g_autofree char *end = NULL;

    pool_at_end (rep, p, &b, &k);
    start = platform_kube_version_format (&p->kubelet);
    end = platform_kube_version_format (&k);
    if (strcmp (start, end) == 0)
        return g_steal_pointer (&start);
    return g_strdup_printf ("%s \u2192 %s", start, end);
}

static void
section_pools (Doc *d, const Report *rep)
{
    static const DocColumn cols[] = {
        { "Pool", FALSE, TRUE, FALSE },
        { "OS", FALSE, FALSE, FALSE },
        { "Windows build", FALSE, FALSE, FALSE },
        { "Kubelet", FALSE, FALSE, FALSE },
        { "Nodes", TRUE, FALSE, FALSE },
        { "Instance", FALSE, TRUE, FALSE },
        { "$/hour", TRUE, FALSE, FALSE },
    };
    g_autoptr (GPtrArray) rows = doc_rows_new ();
    const KbControlPlaneSpec *cp = &rep->sc->control_plane;
    g_autofree char *cpv = platform_kube_version_format (&cp->version);
    g_autofree char *intro = NULL;
    gint64 nodes = 0;

    doc_heading (d, DOC_H2, "The cluster");
    for (guint i = 0; i < rep->sc->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (rep->sc->pools, i);
        gint64 n = i < (guint) rep->s->nodes_by_pool_len
                   ? rep->s->nodes_by_pool[i] : 0;

        nodes += n;
        doc_row_add (rows, g_strdup (p->name),
                     g_strdup (os_word (p->os)),
                     pool_build_cell (rep, p),
                     pool_kubelet_cell (rep, p),
                     g_strdup_printf ("%" G_GINT64_FORMAT, n),
                     g_strdup (p->instance ? p->instance : "custom"),
                     units_format_value (UNITS_VALUE_USD, p->price_per_hour
                                         + p->windows_surcharge_per_hour,
                                         0.001),
                     NULL);
    }
    intro = g_strdup_printf ("%u node pool%s with %" G_GINT64_FORMAT
                             " ready node%s at the end of the run (the "
                             "Nodes column); control plane Kubernetes %s "
                             "on %" G_GINT64_FORMAT " node%s. An arrow "
                             "marks a pool upgraded during the run: its "
                             "build and kubelet at the start "
                             "\u2192 at the end. The price per hour is the "
                             "list price of a node, Windows licence "
                             "included, before discounts.",
                             rep->sc->pools->len,
                             rep->sc->pools->len == 1 ? "" : "s", nodes,
                             nodes == 1 ? "" : "s", cpv, cp->nodes,
                             cp->nodes == 1 ? "" : "s");
    doc_paragraph (d, intro);
    doc_table (d, cols, G_N_ELEMENTS (cols), rows);
}

/* ---- the charts -------------------------------------------------------- */

static char *
sentence_phases (const RunSummary *s, KbOs os)
{
    const gint64 *ph = s->phase[os];

    if (s->arrived[os] == 0)
        return g_strdup_printf ("No %s pods arrived in this run.",
                                os_word (os));
    return g_strdup_printf ("Of %" G_GINT64_FORMAT " %s pods that arrived, "
                            "%" G_GINT64_FORMAT " were Running at the end, %"
                            G_GINT64_FORMAT " Pending, %" G_GINT64_FORMAT
                            " Succeeded and %" G_GINT64_FORMAT " Failed.",
                            s->arrived[os], os_word (os), ph[POD_RUNNING],
                            ph[POD_PENDING], ph[POD_SUCCEEDED],
                            ph[POD_FAILED]);
}

static char *
sentence_ttr (const RunSummary *s)
{
    GString *b = g_string_new (NULL);

    for (KbOs os = KB_OS_LINUX; os <= KB_OS_WINDOWS; os++) {
        g_autofree char *p50 = seconds (s->ttr_p50[os]);
        g_autofree char *p95 = seconds (s->ttr_p95[os]);

        if (s->ttr_n[os] == 0)
            g_string_append_printf (b, "%sno %s pod reached Running",
                                    b->len ? "; " : "", os_word (os));
        else
            g_string_append_printf (b, "%shalf the %s pods were Running "
                                    "within %s of creation, 95%% within %s",
                                    b->len ? "; " : "", os_word (os), p50,
                                    p95);
    }
    b->str[0] = g_ascii_toupper (b->str[0]);
    g_string_append_c (b, '.');
    return g_string_free (b, FALSE);
}

static char *
sentence_utilization (const Report *rep)
{
    const GArray *samples = rep->rd->samples;
    guint n = rep->sc->pools->len, best = 0, worst = 0;
    g_autofree double *avg = g_new0 (double, MAX (n, 1));
    g_autofree char *hi = NULL;
    g_autofree char *lo = NULL;

    if (n == 0 || samples->len == 0)
        return g_strdup ("No pool was sampled in this run.");
    for (guint i = 0; i < samples->len; i++) {
        const Sample *sm = &g_array_index (samples, Sample, i);

        for (guint p = 0; p < n; p++)
            avg[p] += sm->pool_cpu_util[p] / samples->len;
    }
    for (guint p = 1; p < n; p++) {
        if (avg[p] > avg[best])
            best = p;
        if (avg[p] < avg[worst])
            worst = p;
    }
    hi = share (avg[best]);
    lo = share (avg[worst]);
    return g_strdup_printf (
        "On average %s had the most of its CPU requested (%s) and %s the "
        "least (%s).",
        ((KbPoolSpec *) g_ptr_array_index (rep->sc->pools, best))->name, hi,
        ((KbPoolSpec *) g_ptr_array_index (rep->sc->pools, worst))->name, lo);
}

static char *node_share (const CostReport *r, double v);

/* One sentence on what the named chart shows for this run.
 * (transfer full). */
static char *
chart_sentence (const Report *rep, const char *name)
{
    const RunSummary *s = rep->s;
    const CostReport *r = rep->cost;

    if (strcmp (name, "placement") == 0) {
        g_autofree char *w = share (run_summary_placement (s, KB_OS_WINDOWS));
        g_autofree char *l = share (run_summary_placement (s, KB_OS_LINUX));

        return g_strdup_printf ("Windows pods were placed %s of the time, "
                                "Linux %s.", w, l);
    }
    if (strcmp (name, "phases-linux") == 0)
        return sentence_phases (s, KB_OS_LINUX);
    if (strcmp (name, "phases-windows") == 0)
        return sentence_phases (s, KB_OS_WINDOWS);
    if (strcmp (name, "reasons") == 0) {
        const SummaryReason *top;

        if (s->reasons->len == 0)
            return g_strdup ("No pod waited or failed for any reason.");
        top = g_ptr_array_index (s->reasons, 0);
        return g_strdup_printf ("%u reason%s kept pods from running; the "
                                "most common was %s (%" G_GINT64_FORMAT
                                " %s pods).", s->reasons->len,
                                s->reasons->len == 1 ? "" : "s", top->reason,
                                top->count, os_word (top->os));
    }
    if (strcmp (name, "ttr") == 0)
        return sentence_ttr (s);
    if (strcmp (name, "pulls") == 0) {
        g_autofree char *w = g_format_size_full (
            s->pull_bytes[KB_OS_WINDOWS], G_FORMAT_SIZE_DEFAULT);
        g_autofree char *l = g_format_size_full (
            s->pull_bytes[KB_OS_LINUX], G_FORMAT_SIZE_DEFAULT);

        GString *out = g_string_new (NULL);

        g_string_append_printf (out, "%" G_GINT64_FORMAT " image pulls moved "
                                "%s to Windows nodes and %s to Linux nodes.",
                                s->pulls, w, l);
        for (guint i = 0; i < s->registries->len; i++) {
            const SummaryRegistry *rg = g_ptr_array_index (s->registries, i);
            g_autofree char *cap = units_format_bytes (
                (gint64) rg->aggregate_bandwidth);

            if (rg->aggregate_bandwidth > 0 && rg->capped_seconds > 0)
                g_string_append_printf (
                    out, " Registry %s's aggregate cap (%s/s) held its "
                    "transfers back for %.0f%% of their time%s.", rg->name,
                    cap, 100 * summary_registry_bound_share (rg),
                    summary_registry_is_bottleneck (rg)
                        ? ": it was the bottleneck of its pulls" : "");
        }
        return g_string_free (out, FALSE);
    }
    if (strcmp (name, "cost") == 0) {
        g_autofree char *t = money (r->total);
        g_autofree char *lic = money (r->windows_licence);

        return g_strdup_printf ("The run cost %s; %s of it is Windows "
                                "licence.", t, lic);
    }
    if (strcmp (name, "cost-os") == 0) {
        g_autofree char *l = money (r->by_os[KB_OS_LINUX]);
        g_autofree char *w = money (r->by_os[KB_OS_WINDOWS]);
        g_autofree char *lic = money (r->windows_licence);

        g_autofree char *ls = node_share (r, r->by_os[KB_OS_LINUX]);
        g_autofree char *ws = node_share (r, r->by_os[KB_OS_WINDOWS]);

        return g_strdup_printf ("Linux nodes cost %s (%s of node cost) and "
                                "Windows nodes %s (%s), %s of which is "
                                "licence.", l, ls, w, ws, lic);
    }
    if (strcmp (name, "utilization") == 0)
        return sentence_utilization (rep);
    return g_strdup ("");
}

/* The charts, two to a page, from a new page. */
static void
section_charts (Doc *d, const Report *rep)
{
    doc_new_page (d);
    for (gsize i = 0; i < G_N_ELEMENTS (chart_order); i++) {
        g_autoptr (Chart) chart = runcharts_build (chart_order[i], rep->rd);
        g_autofree char *text = chart_sentence (rep, chart_order[i]);

        doc_chart (d, chart, text);
    }
}

/* ---- failures, cost, assumptions, listing ------------------------------ */

static void
section_failures (Doc *d, const Report *rep)
{
    static const DocColumn cols[] = {
        { "Reason", FALSE, FALSE, FALSE },
        { "OS", FALSE, FALSE, FALSE },
        { "Pods", TRUE, FALSE, FALSE },
        { "Example message", FALSE, FALSE, TRUE },
    };
    g_autoptr (GPtrArray) rows = doc_rows_new ();

    doc_heading (d, DOC_H2, "Failures");
    if (rep->s->reasons->len == 0) {
        doc_paragraph (d, "No pod waited or failed for any reason in this "
                       "run.");
        return;
    }
    doc_paragraph (d, "Why pods were kept from running, with one real "
                   "message for each reason, most pods first.");
    for (guint i = 0; i < rep->s->reasons->len; i++) {
        const SummaryReason *r = g_ptr_array_index (rep->s->reasons, i);

        doc_row_add (rows, g_strdup (r->reason), g_strdup (os_word (r->os)),
                     count (r->count),
                     g_strdup (r->example ? r->example : ""), NULL);
    }
    doc_table (d, cols, G_N_ELEMENTS (cols), rows);
}

/* v as a share of the node cost (of 1 when nothing was spent on nodes). */
static char *
node_share (const CostReport *r, double v)
{
    return share (v / (r->nodes > 0 ? r->nodes : 1));
}

/* The totals, two items to a row: what was spent on the left, what it
 * bought on the right. */
static void
cost_totals (Doc *d, const CostReport *r)
{
    static const DocColumn cols[] = {
        { "Item", FALSE, TRUE, FALSE },
        { "Amount", TRUE, FALSE, FALSE },
        { "Item", FALSE, TRUE, FALSE },
        { "Amount", TRUE, FALSE, FALSE },
    };
    g_autoptr (GPtrArray) rows = doc_rows_new ();

    doc_row_add (rows, g_strdup ("Total for the run"), money (r->total),
                 g_strdup ("Projected per 30 days"), money (r->per_30_days),
                 NULL);
    doc_row_add (rows, g_strdup ("Nodes"), money (r->nodes),
                 g_strdup ("Idle capacity"), money (r->idle), NULL);
    doc_row_add (rows, g_strdup ("Control plane"), money (r->control_plane),
                 g_strdup ("Running pod-hours"),
                 units_format_value (UNITS_VALUE_PLAIN, r->running_pod_hours,
                                     0.1), NULL);
    doc_row_add (rows, g_strdup ("Registry egress"), money (r->egress),
                 g_strdup ("Per running pod-hour"),
                 units_format_value (UNITS_VALUE_USD, r->per_pod_hour,
                                     0.0001), NULL);
    doc_table (d, cols, G_N_ELEMENTS (cols), rows);
}

static void
cost_by_pool (Doc *d, const Report *rep)
{
    static const DocColumn cols[] = {
        { "Pool", FALSE, TRUE, FALSE },
        { "OS", FALSE, FALSE, FALSE },
        { "Cost", TRUE, FALSE, FALSE },
        { "Share of nodes", TRUE, FALSE, FALSE },
    };
    const CostReport *r = rep->cost;
    g_autoptr (GPtrArray) rows = doc_rows_new ();

    doc_heading (d, DOC_H3, "By pool");
    for (guint i = 0; i < r->n_pools && i < rep->sc->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (rep->sc->pools, i);

        doc_row_add (rows, g_strdup (p->name), g_strdup (os_word (p->os)),
                     money (r->by_pool[i]), node_share (r, r->by_pool[i]),
                     NULL);
    }
    doc_table (d, cols, G_N_ELEMENTS (cols), rows);
}

/* The OS the summary gives the workload named name, or KB_OS_UNKNOWN. */
static KbOs
workload_os (const RunSummary *s, const char *name)
{
    for (guint k = 0; k < s->workloads->len; k++) {
        const SummaryWorkload *sw = g_ptr_array_index (s->workloads, k);

        if (strcmp (sw->name, name) == 0)
            return sw->os;
    }
    return KB_OS_UNKNOWN;
}

static void
cost_by_workload (Doc *d, const Report *rep)
{
    static const DocColumn cols[] = {
        { "Workload", FALSE, TRUE, FALSE },
        { "Kind", FALSE, FALSE, FALSE },
        { "OS", FALSE, FALSE, FALSE },
        { "Cost", TRUE, FALSE, FALSE },
        { "Share of nodes", TRUE, FALSE, FALSE },
    };
    const CostReport *r = rep->cost;
    g_autoptr (GPtrArray) rows = doc_rows_new ();

    doc_heading (d, DOC_H3, "By workload");
    for (guint i = 0; i < r->n_workloads && i < rep->sc->workloads->len; i++) {
        const KbWorkloadSpec *ws = g_ptr_array_index (rep->sc->workloads, i);

        doc_row_add (rows, g_strdup (ws->name),
                     g_strdup (scenario_workload_kind_name (ws->kind)),
                     g_strdup (os_word (workload_os (rep->s, ws->name))),
                     money (r->by_workload[i]),
                     node_share (r, r->by_workload[i]), NULL);
    }
    doc_row_add (rows, g_strdup ("(idle capacity)"), g_strdup (""),
                 g_strdup (""), money (r->idle), node_share (r, r->idle),
                 NULL);
    doc_table (d, cols, G_N_ELEMENTS (cols), rows);
}

static void
section_cost (Doc *d, const Report *rep)
{
    doc_heading (d, DOC_H2, "Cost");
    doc_paragraph (d, "Nodes are billed per second from launch to "
                   "termination; a node's cost is shared among its pods by "
                   "their requests, and what is left is idle capacity.");
    cost_totals (d, rep->cost);
    cost_by_pool (d, rep);
    cost_by_workload (d, rep);
}

static const char *const built_in[] = {
    "Time is virtual: events run in order on one clock, and the same "
    "scenario and seed give the same run.",
    "Pods are placed by filtering nodes as the kube-scheduler does (node "
    "selectors, affinity, taints and tolerations, resources, spec.os).",
    "A Windows image runs under process isolation only when its OS build "
    "suits the host's, as containerd decides.",
    "An image pull shares its node's network with the node's other pulls, "
    "and a registry's aggregate cap, when it has one, with every node's; "
    "every pull also takes the registry's latency and any pull delay "
    "given.",
    "A pod is placed when it reaches Running within the placement deadline "
    "of its creation.",
    "Nodes are billed per second from launch to termination, booting, "
    "draining and failed time included; Windows adds a licence surcharge "
    "per vCPU-hour.",
    "The control-plane fee runs for the whole run and registry egress is "
    "charged per GB pulled.",
    "The monthly figure projects this run's average rate over 30 days.",
};

static void
section_assumptions (Doc *d, const Report *rep)
{
    const GPtrArray *du = rep->sc->defaults_used;

    doc_heading (d, DOC_H2, "Assumptions");
    doc_heading (d, DOC_H3, "Defaults this scenario relied on");
    if (du == NULL || du->len == 0)
        doc_paragraph (d, "None: the scenario set every value kbsim "
                       "uses.");
    for (guint i = 0; du && i < du->len; i++)
        doc_bullet (d, "\u2022", g_ptr_array_index (du, i));
    doc_heading (d, DOC_H3, "How kbsim models the cluster");
    for (gsize i = 0; i < G_N_ELEMENTS (built_in); i++)
        doc_bullet (d, "\u2022", built_in[i]);
}

static void
section_listing (Doc *d, const Report *rep)
{
    g_autofree char *file = g_strdup_printf ("As read from %s.", rep->sc
                                             ? rep->sc->file
                                             : "the lesson's scenario file");

    if (rep->handout)
        doc_new_page (d);
    doc_heading (d, DOC_H2, "Appendix: the scenario");
    doc_note (d, file);
    if (rep->text == NULL) {
        doc_paragraph (d, "The scenario's text was not given.");
        return;
    }
    doc_listing (d, rep->text);
}

/* ---- sections other commands add --------------------------------------- */

typedef enum {
    BLOCK_HEADING,
    BLOCK_PARAGRAPH,
    BLOCK_CODE,
    BLOCK_TABLE,
    BLOCK_CHART
} BlockKind;

typedef struct {
    BlockKind kind;
    char *text;                 /* heading, paragraph, code, caption */
    Chart *chart;
    DocColumn *cols;            /* tables */
    char **col_titles;          /* what cols[].title points into */
    guint n_cols;
    GPtrArray *rows;            /* char ** */
} Block;

struct ReportSection {
    char *title;
    GPtrArray *blocks;          /* Block, in order */
    Block *table;               /* the table rows go to, or NULL */
};

static void
block_free (gpointer p)
{
    Block *b = p;

    g_free (b->text);
    if (b->chart)
        chart_free (b->chart);
    g_free (b->cols);
    g_strfreev (b->col_titles);
    if (b->rows)
        g_ptr_array_unref (b->rows);
    g_free (b);
}

static Block *
block_add (ReportSection *sec, BlockKind kind, const char *text)
{
    Block *b = g_new0 (Block, 1);

    b->kind = kind;
    b->text = g_strdup (text);
    g_ptr_array_add (sec->blocks, b);
    return b;
}

ReportSection *
report_section_new (const char *title)
{
    ReportSection *sec = g_new0 (ReportSection, 1);

    sec->title = g_strdup (title);
    sec->blocks = g_ptr_array_new_with_free_func (block_free);
    return sec;
}

void
report_section_free (ReportSection *sec)
{
    if (sec == NULL)
        return;
    g_free (sec->title);
    g_ptr_array_unref (sec->blocks);
    g_free (sec);
}

void
report_section_add_paragraph (ReportSection *sec, const char *text)
{
    block_add (sec, BLOCK_PARAGRAPH, text);
}

void
report_section_add_heading (ReportSection *sec, const char *text)
{
    block_add (sec, BLOCK_HEADING, text);
}

void
report_section_add_code (ReportSection *sec, const char *text)
{
    block_add (sec, BLOCK_CODE, text);
}

void
report_section_set_columns (ReportSection *sec, const char *const *titles,
                            guint n)
{
    Block *b = block_add (sec, BLOCK_TABLE, NULL);

    b->n_cols = n;
    b->cols = g_new0 (DocColumn, n);
    b->col_titles = g_new0 (char *, n + 1);
    b->rows = doc_rows_new ();
    for (guint j = 0; j < n; j++) {
        gboolean numeric = titles[j][0] == '>';

        b->col_titles[j] = g_strdup (titles[j] + numeric);
        b->cols[j].title = b->col_titles[j];
        b->cols[j].numeric = numeric;
        b->cols[j].wrap = j == 0;
    }
    sec->table = b;
}

void
report_section_add_row (ReportSection *sec, const char *const *cells)
{
    Block *b = sec->table;
    char **row;

    g_return_if_fail (b != NULL);
    row = g_new0 (char *, b->n_cols + 1);
    for (guint j = 0; j < b->n_cols; j++)
        row[j] = g_strdup (cells[j]);
    g_ptr_array_add (b->rows, row);
}

void
report_section_add_chart (ReportSection *sec, Chart *chart,
                          const char *caption)
{
    Block *b = block_add (sec, BLOCK_CHART, caption ? caption : "");

    b->chart = chart;
}

static void
section_blocks (Doc *d, const ReportSection *sec)
{
    doc_heading (d, DOC_H2, sec->title);
    for (guint i = 0; i < sec->blocks->len; i++) {
        const Block *b = g_ptr_array_index (sec->blocks, i);

        switch (b->kind) {
        case BLOCK_HEADING:
            doc_heading (d, DOC_H3, b->text);
            break;
        case BLOCK_PARAGRAPH:
            doc_paragraph (d, b->text);
            break;
        case BLOCK_CODE:
            doc_code (d, b->text);
            break;
        case BLOCK_TABLE:
            if (b->rows->len > 0)
                doc_table (d, b->cols, b->n_cols, b->rows);
            break;
        case BLOCK_CHART:
        default:
            doc_chart (d, b->chart, b->text);
            break;
        }
    }
}

static void
section_extra (Doc *d, const ReportSection *sec)
{
    doc_new_page (d);
    section_blocks (d, sec);
}

/* A lesson handout: the title, the sections one after another, the run
 * charts named, and the scenario. */
static void
section_handout (Doc *d, const Report *rep)
{
    doc_title_page (d, 10);
    doc_heading (d, DOC_H1, rep->title);
    for (guint i = 0; rep->sections && i < rep->sections->len; i++)
        section_blocks (d, g_ptr_array_index (rep->sections, i));
    for (guint i = 0; rep->chart_names && rep->chart_names[i]; i++) {
        g_autoptr (Chart) chart = runcharts_build (rep->chart_names[i],
                                                   rep->rd);
        g_autofree char *text = chart_sentence (rep, rep->chart_names[i]);

        if (i == 0)
            doc_heading (d, DOC_H2, "The run in charts");
        doc_chart (d, chart, text);
    }
    section_listing (d, rep);
}

/* ---- the document ------------------------------------------------------ */

static void
report_draw (Doc *d, gpointer data)
{
    const Report *rep = data;

    if (rep->handout) {
        section_handout (d, rep);
        return;
    }
    section_title (d, rep);
    for (guint i = 0; rep->sections && i < rep->sections->len; i++)
        section_extra (d, g_ptr_array_index (rep->sections, i));
    section_pools (d, rep);
    section_charts (d, rep);
    section_failures (d, rep);
    section_cost (d, rep);
    section_assumptions (d, rep);
    section_listing (d, rep);
}

/* Lays rep out into path: the running header names the scenario (or the
 * handout), kbsim's version and the seed. */
static gboolean
report_write (const Report *rep, const char *path, const char *pdf_title,
              GError **error)
{
    g_autofree char *seed = rep->sc ? g_strdup_printf ("seed %"
                                                       G_GUINT64_FORMAT,
                                                       rep->sc->seed)
                                    : g_strdup ("");
    const char *const header[3] = {
        rep->sc ? rep->sc->name : rep->title, "kbsim " KBSIM_VERSION, seed
    };
    GError *local = NULL;

    if (!doc_write_pdf (path, pdf_title, header, report_draw, (gpointer) rep,
                        &local)) {
        g_set_error_literal (error, KB_REPORT_ERROR, KB_REPORT_ERROR_FAILED,
                             local->message);
        g_error_free (local);
        return FALSE;
    }
    return TRUE;
}

gboolean
report_write_pdf (const char *path, const RunData *rd,
                  const char *scenario_text, GError **error)
{
    return report_write_pdf_with (path, rd, scenario_text, NULL, error);
}

gboolean
report_write_pdf_with (const char *path, const RunData *rd,
                       const char *scenario_text, const GPtrArray *sections,
                       GError **error)
{
    g_autofree char *title = NULL;
    Report rep = { 0 };

    g_return_val_if_fail (path != NULL && rd != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    rep.rd = rd;
    rep.sc = rd->sc;
    rep.s = rd->summary;
    rep.cost = rd->cost;
    rep.text = scenario_text;
    rep.sections = sections;
    title = g_strdup_printf ("Capacity report: %s", rep.sc->name);
    return report_write (&rep, path, title, error);
}

gboolean
report_write_handout (const char *path, const Scenario *sc, const RunData *rd,
                      const char *title, const GPtrArray *sections,
                      const char *const *charts, const char *scenario_text,
                      GError **error)
{
    Report rep = { 0 };

    g_return_val_if_fail (path != NULL && title != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    rep.handout = TRUE;
    rep.title = title;
    rep.chart_names = rd ? charts : NULL;
    rep.rd = rd;
    rep.sc = rd ? rd->sc : sc;
    rep.s = rd ? rd->summary : NULL;
    rep.cost = rd ? rd->cost : NULL;
    rep.text = scenario_text;
    rep.sections = sections;
    return report_write (&rep, path, title, error);
}
