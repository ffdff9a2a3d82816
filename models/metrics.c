/* metrics.c: sampling a running cluster and summarising a finished run.
 *
 * Samples are taken by an engine event every metrics.sample_every from
 * the cluster's incremental counters (O(pools) a sample), checking
 * conservation each time; tests recount the pods from scratch.
 *
 * Pods deleted through the API (drains, the taint manager, scale-down,
 * controllers) leave the API; the store keeps their records as Failed
 * (Evicted), but the samples and the summary do not count them as
 * Failed: Failed means the pods that failed, and arrived exceeds
 * pending + running + succeeded + failed by the pods deleted.
 */
#include "models/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/model-private.h"
#include "models/skew.h"
#include "sim/units.h"

struct Metrics {
    Cluster *c;
    GArray *samples;                /* Sample */
    SimEventId next;
    gboolean conserved;
};

static void sample_handler (SimEngine *e, gpointer obj, gint64 arg);
static const SimEventKind sample_kind = { "metrics-sample", sample_handler };

static void
take_sample (Metrics *m)
{
    Cluster *c = m->c;
    Sample s = { 0 };
    guint n_pools = c->s->pools->len;
    g_autofree double *alloc = g_new0 (double, n_pools);

    s.time = sim_engine_now (c->engine);
    s.pool_cpu_util = g_new0 (double, n_pools);
    for (int os = 0; os < KB_N_OS; os++) {
        s.arrived[os] = c->counters[os].arrived;
        memcpy (s.v[os], c->counters[os].column, sizeof s.v[os]);
        s.v[os][POD_COL_FAILED] -= c->deleted[os];
    }
    for (guint i = 0; i < c->nodes->len; i++) {
        const Node *n = g_ptr_array_index (c->nodes, i);

        if (n->state == NODE_GONE)
            continue;
        s.pool_cpu_util[n->pool] += (double) n->req_cpu;
        alloc[n->pool] += (double) n->alloc_cpu;
    }
    for (guint p = 0; p < n_pools; p++)
        s.pool_cpu_util[p] = alloc[p] > 0 ? s.pool_cpu_util[p] / alloc[p]
                                          : 0;
    s.conserved = cluster_check_conservation (c);
    m->conserved &= s.conserved;
    g_array_append_val (m->samples, s);
}

static void
sample_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    Metrics *m = obj;

    (void) arg;
    take_sample (m);
    m->next = sim_engine_schedule_in (e, m->c->s->metrics.sample_every,
                                      &sample_kind, m, 0);
}

static void
sample_clear (gpointer p)
{
    g_free (((Sample *) p)->pool_cpu_util);
}

Metrics *
metrics_new (Cluster *c)
{
    Metrics *m = g_new0 (Metrics, 1);

    m->c = c;
    m->conserved = TRUE;
    m->samples = g_array_new (FALSE, FALSE, sizeof (Sample));
    g_array_set_clear_func (m->samples, sample_clear);
    m->next = sim_engine_schedule_in (c->engine, 0, &sample_kind, m, 0);
    return m;
}

void
metrics_free (Metrics *m)
{
    if (m == NULL)
        return;
    sim_engine_cancel (m->c->engine, m->next);
    g_array_unref (m->samples);
    g_free (m);
}

void
metrics_finish (Metrics *m)
{
    const Sample *last = m->samples->len
        ? &g_array_index (m->samples, Sample, m->samples->len - 1) : NULL;

    if (last == NULL || last->time != sim_engine_now (m->c->engine))
        take_sample (m);
}

const GArray *
metrics_samples (const Metrics *m)
{
    return m->samples;
}

gboolean
metrics_always_conserved (const Metrics *m)
{
    return m->conserved;
}

/* ---- the summary ---------------------------------------------------------------- */

static int
cmp_double (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}

/* The p-quantile by the nearest-rank method on sorted data. */
static double
quantile (const double *v, gsize n, double p)
{
    gsize k;

    if (n == 0)
        return NAN;
    k = (gsize) ceil (p * (double) n);
    return v[k > 0 ? k - 1 : 0];
}

static void
summary_reason_free (gpointer p)
{
    SummaryReason *r = p;

    g_free (r->reason);
    g_free (r->example);
    g_free (r);
}

static void
summary_workload_free (gpointer p)
{
    SummaryWorkload *w = p;

    g_free (w->name);
    g_free (w->reject_message);
    g_free (w);
}

static void
summary_registry_free (gpointer p)
{
    SummaryRegistry *r = p;

    g_free (r->name);
    g_free (r);
}

RunSummary *
run_summary_new (guint n_pools)
{
    RunSummary *s = g_new0 (RunSummary, 1);

    for (int os = 0; os < KB_N_OS; os++)
        s->ttr_p50[os] = s->ttr_p95[os] = s->ttr_p99[os] = s->ttr_mean[os]
            = NAN;
    s->ttr_mean_all = s->ttr_p95_all = NAN;
    s->reasons = g_ptr_array_new_with_free_func (summary_reason_free);
    s->workloads = g_ptr_array_new_with_free_func (summary_workload_free);
    s->registries = g_ptr_array_new_with_free_func (summary_registry_free);
    s->warnings = g_ptr_array_new_with_free_func (g_free);
    s->nodes_by_pool_len = n_pools;
    s->nodes_by_pool = g_new0 (gint64, MAX (n_pools, 1));
    return s;
}

SummaryRegistry *
run_summary_add_registry (RunSummary *s, const char *name)
{
    SummaryRegistry *r = g_new0 (SummaryRegistry, 1);

    r->name = g_strdup (name);
    g_ptr_array_add (s->registries, r);
    return r;
}

double
summary_registry_bound_share (const SummaryRegistry *r)
{
    return r->transfer_seconds > 0 ? r->capped_seconds / r->transfer_seconds
                                   : 0;
}

gboolean
summary_registry_is_bottleneck (const SummaryRegistry *r)
{
    return r->aggregate_bandwidth > 0
           && summary_registry_bound_share (r) >= SUMMARY_REGISTRY_BOTTLENECK;
}

char *
summary_registry_describe (const SummaryRegistry *r)
{
    g_autofree char *bytes = units_format_bytes (r->bytes);
    g_autofree char *cap = units_format_bytes ((gint64) r->aggregate_bandwidth);
    g_autofree char *bound = sim_time_format_short (
        sim_time_from_seconds (r->bound_seconds));
    g_autofree char *link = r->aggregate_bandwidth > 0
        ? g_strdup_printf ("aggregate cap %s/s", cap)
        : g_strdup ("per node, no aggregate cap");
    GString *out = g_string_new (NULL);

    g_string_append_printf (out, "%s (%s): %" G_GINT64_FORMAT " transfer%s, "
                            "%s", r->name, link, r->transfers,
                            r->transfers == 1 ? "" : "s", bytes);
    if (r->aggregate_bandwidth > 0)
        g_string_append_printf (out, "; the cap bound for %s and held back "
                                "%.0f%% of their transfer time%s", bound,
                                100 * summary_registry_bound_share (r),
                                summary_registry_is_bottleneck (r)
                                    ? ": the bottleneck" : "");
    return g_string_free (out, FALSE);
}

SummaryReason *
run_summary_add_reason (RunSummary *s, const char *reason, KbOs os,
                        gint64 count, const char *example)
{
    SummaryReason *r = g_new0 (SummaryReason, 1);

    r->reason = g_strdup (reason);
    r->os = os;
    r->count = count;
    r->example = g_strdup (example);
    g_ptr_array_add (s->reasons, r);
    return r;
}

SummaryWorkload *
run_summary_add_workload (RunSummary *s, const char *name, const char *kind,
                          KbOs os)
{
    SummaryWorkload *w = g_new0 (SummaryWorkload, 1);

    w->name = g_strdup (name);
    w->kind = kind;
    w->os = os;
    g_ptr_array_add (s->workloads, w);
    return w;
}

static gint
reason_cmp (gconstpointer a, gconstpointer b)
{
    const SummaryReason *x = *(SummaryReason **) a;
    const SummaryReason *y = *(SummaryReason **) b;

    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    if (strcmp (x->reason, y->reason))
        return strcmp (x->reason, y->reason);
    return x->os - y->os;
}

static void
summarize_reasons (const Cluster *c, RunSummary *s)
{
    GHashTableIter it;
    gpointer v;

    g_hash_table_iter_init (&it, c->reasons);
    while (g_hash_table_iter_next (&it, NULL, &v)) {
        const ReasonCount *rc = v;

        run_summary_add_reason (s, rc->reason, rc->os, rc->count,
                                rc->example);
    }
    /* Sorted fully, so hash order never shows. */
    g_ptr_array_sort (s->reasons, reason_cmp);
}

/* The most common status among a workload's waiting pods (ties: the one
 * that got there first), kept as a tiny tally of static strings. */
static void
count_status (SummaryWorkload *sw, const char *status)
{
    guint i;

    for (i = 0; i < G_N_ELEMENTS (sw->tally) && sw->tally[i].status; i++)
        if (sw->tally[i].status == status)
            break;
    if (i == G_N_ELEMENTS (sw->tally))
        return;
    sw->tally[i].status = status;
    sw->tally[i].count++;
    if (sw->tally[i].count > sw->top_count) {
        sw->top_count = sw->tally[i].count;
        sw->top_status = status;
    }
}

/* A refused create is a pod that never ran: eligible once its deadline
 * has come, as a created pod is, and never placed. */
static void
summarize_rejected (const Workload *w, SummaryWorkload *sw, RunSummary *s,
                    SimTime deadline)
{
    if (w->rejected_at == NULL)
        return;
    sw->rejected = w->rejected_at->len;
    s->rejected[w->os] += w->rejected_at->len;
    for (guint k = 0; k < w->rejected_at->len; k++)
        if (g_array_index (w->rejected_at, SimTime, k) + deadline <= s->end) {
            sw->eligible++;
            s->eligible[w->os]++;
        }
}

static void
summarize_workloads (const Cluster *c, RunSummary *s)
{
    SimTime deadline = c->s->metrics.placement_deadline;

    for (guint i = 0; i < c->workloads->len; i++) {
        const Workload *w = g_ptr_array_index (c->workloads, i);
        SummaryWorkload *sw = run_summary_add_workload (
            s, w->spec->name, scenario_workload_kind_name (w->spec->kind),
            w->os);

        sw->api_rejected = w->api_rejected;
        sw->reject_message = g_strdup (w->reject_message);
        sw->pods = sw->eligible = w->dropped;
        sw->placed = w->dropped_placed;
        s->eligible[w->os] += w->dropped;
        s->placed[w->os] += w->dropped_placed;
        summarize_rejected (w, sw, s, deadline);
    }
    for (guint i = 0; i < c->pods->len; i++) {
        const Pod *pod = g_ptr_array_index (c->pods, i);
        SummaryWorkload *sw;

        if (pod == NULL)
            continue;
        sw = g_ptr_array_index (s->workloads, pod->workload->index);

        sw->pods++;
        sw->running += pod->phase == POD_RUNNING;
        if (pod->phase == POD_PENDING) {
            sw->waiting++;
            count_status (sw, cluster_pod_status (pod));
        }
        if (pod->created + deadline <= s->end) {
            gboolean placed = pod->running >= 0
                              && pod->running - pod->created <= deadline;

            sw->eligible++;
            sw->placed += placed;
            s->eligible[pod->os]++;
            s->placed[pod->os] += placed;
        }
    }
}

/* What the control plane's release says about the nodes at the end:
 * kubelets outside the skew policy, Windows builds it does not support
 * (facts sections 3 and 4). One line per pool. */
/* The registries' figures up to the end: the open interval since each
 * was last booked counts at its current state. */
static void
summarize_registries (const Cluster *c, RunSummary *s)
{
    double end = sim_time_to_seconds (s->end);

    for (guint i = 0; i < c->s->registries->len; i++) {
        const KbRegistrySpec *rs = g_ptr_array_index (c->s->registries, i);
        const Registry *r = g_hash_table_lookup (c->registries, rs->name);
        double dt;
        SummaryRegistry *o;

        if (r == NULL || (r->transfers_done == 0 && r->transfers->len == 0))
            continue;
        dt = end - sim_time_to_seconds (r->since);
        o = run_summary_add_registry (s, rs->name);
        o->aggregate_bandwidth = rs->aggregate_bandwidth;
        o->transfers = r->transfers_done;
        o->bytes = r->bytes;
        o->busy_seconds = r->busy_seconds + (r->transfers->len ? dt : 0);
        o->bound_seconds = r->bound_seconds + (r->n_capped ? dt : 0);
        o->transfer_seconds = r->transfer_seconds + dt * r->transfers->len;
        o->capped_seconds = r->capped_seconds + dt * r->n_capped;
    }
}

static void
summarize_warnings (const Cluster *c, RunSummary *s)
{
    for (guint p = 0; p < c->s->pools->len; p++) {
        const KbPoolSpec *spec = g_ptr_array_index (c->s->pools, p);
        guint outside = 0, unsupported = 0;
        const Node *example = NULL;
        SkewVerdict v = SKEW_OK;

        for (guint i = 0; i < c->nodes->len; i++) {
            const Node *n = g_ptr_array_index (c->nodes, i);
            SkewVerdict nv;

            if (n->pool != p || n->state == NODE_GONE)
                continue;
            nv = skew_kubelet (&c->cp_version, &n->kubelet);
            if (nv != SKEW_OK) {
                outside++;
                example = n;
                v = nv;
            }
            unsupported += n->os == KB_OS_WINDOWS
                           && !skew_windows_build_supported (&c->cp_version,
                                                             n->build.build);
        }
        if (outside) {
            g_autofree char *why = skew_describe (v, "kubelet",
                                                  &c->cp_version,
                                                  &example->kubelet);

            g_ptr_array_add (s->warnings, g_strdup_printf (
                "%s: %u node(s) outside the version-skew policy: %s",
                spec->name, outside, why));
        }
        if (unsupported) {
            g_autofree char *cp = platform_kube_version_format (
                &c->cp_version);
            const char *name = platform_win_build_name (spec->windows_build
                                                            .build);

            g_ptr_array_add (s->warnings, g_strdup_printf (
                "%s: %u Windows node(s) on a build Kubernetes %s does not "
                "support as a node OS%s%s%s", spec->name, unsupported, cp,
                name ? " (" : "", name ? name : "", name ? ")" : ""));
        }
    }
}

RunSummary *
metrics_summarize (const Metrics *m)
{
    const Cluster *c = m->c;
    RunSummary *s = run_summary_new (c->s->pools->len);
    GArray *all = g_array_new (FALSE, FALSE, sizeof (double));
    double sum_all = 0;

    s->end = sim_engine_now (c->engine);
    for (int os = 0; os < KB_N_OS; os++) {
        const OsCounters *k = &c->counters[os];
        GArray *t = c->time_to_running[os];
        g_autofree double *sorted = g_memdup2 (t->data,
                                               t->len * sizeof (double));

        s->arrived[os] = k->arrived;
        memcpy (s->phase[os], k->phase, sizeof k->phase);
        s->phase[os][POD_FAILED] -= c->deleted[os];
        if (t->len > 0)
            qsort (sorted, t->len, sizeof (double), cmp_double);
        s->ttr_n[os] = t->len;
        s->ttr_p50[os] = quantile (sorted, t->len, 0.50);
        s->ttr_p95[os] = quantile (sorted, t->len, 0.95);
        s->ttr_p99[os] = quantile (sorted, t->len, 0.99);
        if (t->len > 0) {
            double sum = 0;

            for (guint i = 0; i < t->len; i++)
                sum += sorted[i];
            s->ttr_mean[os] = sum / t->len;
            sum_all += sum;
            g_array_append_vals (all, sorted, t->len);
        }
        s->pull_bytes[os] = c->pull_bytes[os];
        s->pull_seconds[os] = c->pull_seconds[os];
    }
    g_array_sort (all, cmp_double);
    s->ttr_mean_all = all->len ? sum_all / all->len : NAN;
    s->ttr_p95_all = quantile ((const double *) all->data, all->len, 0.95);
    g_array_unref (all);
    summarize_reasons (c, s);
    summarize_workloads (c, s);
    summarize_registries (c, s);
    s->pulls = c->pulls;
    for (guint i = 0; i < c->nodes->len; i++) {
        const Node *n = g_ptr_array_index (c->nodes, i);

        if (n->state == NODE_READY)
            s->nodes_by_pool[n->pool]++;
    }
    s->events = sim_engine_events_run (c->engine);
    summarize_warnings (c, s);
    s->conserved = m->conserved && cluster_check_conservation (c);
    return s;
}

void
run_summary_free (RunSummary *s)
{
    if (s == NULL)
        return;
    g_ptr_array_unref (s->reasons);
    g_ptr_array_unref (s->workloads);
    g_ptr_array_unref (s->registries);
    g_ptr_array_unref (s->warnings);
    g_free (s->nodes_by_pool);
    g_free (s);
}

double
run_summary_placement (const RunSummary *s, KbOs os)
{
    return s->eligible[os] ? (double) s->placed[os] / s->eligible[os] : 1.0;
}
