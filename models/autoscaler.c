/* autoscaler.c: a cluster autoscaler for pools with `autoscale`.
 *
 * As kubernetes/autoscaler's cluster-autoscaler (release 1.31) does it,
 * every autoscaler.scan_interval (10 s):
 *   - upcoming nodes: the nodes a pool is still provisioning are template
 *     nodes in the scan's snapshot, and the pending pods are packed onto
 *     them first "so that we can pack unschedulable pods on them and not
 *     trigger another scale-up" (core/static_autoscaler.go, RunOnce,
 *     addUpcomingNodesToClusterSnapshot);
 *   - scale-up: for the pods left, each autoscaled pool (node group) not
 *     at its max and not backed off is tried with a template node built
 *     from the pool (labels, taints, allocatable) through the scheduler's
 *     own filters, so a Windows pod never grows a Linux pool; the nodes it
 *     needs are counted as the binpacking estimator does
 *     (estimator/binpacking_estimator.go: pods in decreasing order of
 *     cpu/allocatable + memory/allocatable, decreasing_pod_orderer.go,
 *     each on the first new node it fits, a new node when none does).
 *     The expander picks among the pools (least-waste: the least idle CPU
 *     and memory after placing them; price: the cheapest nodes; random);
 *     the nodes join after provision_delay. When no pool grows, each pod
 *     left gets NotTriggerScaleUp with every pool's reasons counted once
 *     per pool (processors/status/eventing_scale_up_processor.go,
 *     ReasonsMessage);
 *   - provisioning time-out: nodes that have not registered within
 *     max_node_provision_time (15 min) are given up and deleted, and the
 *     pool is backed off for 5 min, doubling to 30 min, reset after 3 h
 *     without failure (clusterstate/clusterstate.go, updateScaleRequests;
 *     main.go initial-/max-node-group-backoff-duration,
 *     node-group-backoff-reset-timeout);
 *   - scale-down, not within scale_down_delay_after_add (10 min) of a
 *     scale-up (static_autoscaler.go, isScaleDownInCooldown): a node below
 *     scale_down_utilization_threshold (0.5) requested (the larger of CPU
 *     and memory) for scale_down_unneeded_time (10 min) is removed when
 *     its pool is above min; empty nodes (DaemonSet pods aside) up to
 *     max_scale_down_parallelism (10) a scan, nodes whose pods must move
 *     up to max_drain_parallelism (1), each only if every pod on it fits
 *     on another Ready node.
 * Event texts follow cluster-autoscaler's: "pod triggered scale-up:
 * [{pool 3->5 (max: 20)}]", "pod didn't trigger scale-up: 2 node(s)
 * didn't match Pod's node affinity/selector, 1 max node group size
 * reached" (Go prints these in map order; here the larger counts come
 * first, then alphabetical order).
 *
 * NEEDSWORK: the template node carries no DaemonSet pods, which
 * cluster-autoscaler adds to it; a pool's DaemonSets take room that the
 * estimate does not see.
 */
#include "models/model-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* max-nodes-per-scaleup (main.go) */
#define MAX_NODES_PER_SCALEUP   1000
/* initial-node-group-backoff-duration, max-node-group-backoff-duration,
 * node-group-backoff-reset-timeout (main.go) */
#define BACKOFF_INITIAL         (5 * SIM_MINUTE)
#define BACKOFF_MAX             (30 * SIM_MINUTE)
#define BACKOFF_RESET           (3 * SIM_HOUR)

static void scan_handler (SimEngine *e, gpointer obj, gint64 arg);
static void timeout_handler (SimEngine *e, gpointer obj, gint64 arg);
static const SimEventKind scan_kind = { "cluster-autoscaler", scan_handler };
static const SimEventKind timeout_kind = { "ca-scale-up-timeout",
                                           timeout_handler };

typedef struct {
    SimTime backoff_until;
    SimTime backoff;                /* the last back-off's length */
    SimTime last_failure;           /* -1: none */
} PoolState;

/* One block (dynamics__keep frees it with the cluster). */
struct Autoscaler {
    SimTime last_scale_up;          /* -1: none yet */
    PoolState pool[];               /* by pool index */
};

/* A node of the scan's snapshot that is not there yet: an upcoming node
 * or one the estimator adds. */
typedef struct {
    Node node;                      /* the template, with requests added */
    GArray *ports;                  /* guint16, the pods' host ports */
} Bin;

/* A node as a new member of the pool would be. */
static void
template_node (Cluster *c, guint pool, Node *out)
{
    const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool);

    memset (out, 0, sizeof *out);
    out->pool = pool;
    out->spec = p;
    out->name = (char *) "template-node-for-scale-up";
    out->os = p->os;
    out->arch = p->arch;
    out->build = p->windows_build;
    out->labels = p->labels;
    out->taints = p->taints;
    out->alloc_cpu = p->cpu;
    out->alloc_mem = p->memory;
    out->max_pods = p->max_pods;
    out->state = NODE_READY;
}

static void
bin_free (gpointer p)
{
    Bin *b = p;

    g_array_unref (b->ports);
    g_free (b);
}

static Bin *
bin_new (Cluster *c, guint pool)
{
    Bin *b = g_new0 (Bin, 1);

    template_node (c, pool, &b->node);
    b->ports = g_array_new (FALSE, FALSE, sizeof (guint16));
    b->node.host_ports = b->ports;
    return b;
}

/* Places the pod on the bin if it fits there now (the resource and port
 * filters; the caller checked the template's taints and labels). */
static gboolean
bin_try (Cluster *c, Bin *b, Pod *pod)
{
    const KbPodTemplate *t = pod->tmpl;

    if (filter_node_dynamic (sched__view (c, pod), &b->node).code
        != FILTER_OK)
        return FALSE;
    b->node.req_cpu += pod->cpu;
    b->node.req_mem += pod->mem;
    b->node.n_pods++;
    for (guint i = 0; i < t->containers->len; i++) {
        const KbContainerSpec *ct = g_ptr_array_index (t->containers, i);

        g_array_append_vals (b->ports, ct->host_ports->data,
                             ct->host_ports->len);
    }
    return TRUE;
}

/* Nodes per pool, joined or joining, counted once a scan. */
static gint64 *
pool_sizes (Cluster *c)
{
    gint64 *n = g_new0 (gint64, c->s->pools->len);

    for (guint p = 0; p < c->s->pools->len; p++)
        n[p] = dynamics__pool_upcoming (c, p);
    for (guint i = 0; i < c->nodes->len; i++) {
        const Node *node = g_ptr_array_index (c->nodes, i);

        n[node->pool] += node->state != NODE_GONE;
    }
    return n;
}

/* A pod with its importance as one number: higher priority first, then
 * the order the pods were created in (their ids). */
typedef struct {
    guint64 key;
    Pod *pod;
} Keyed;

static int
keyed_cmp (const void *a, const void *b)
{
    guint64 x = ((const Keyed *) a)->key, y = ((const Keyed *) b)->key;

    return x < y ? -1 : x > y;
}

/* Pods waiting on the scheduler whose last attempt failed, by
 * importance; only those that failed for the first time when fresh_only
 * (the ones a NotTriggerScaleUp event is for). */
static GPtrArray *
waiting_pods (Cluster *c, gboolean fresh_only)
{
    const GPtrArray *lists[2] = { NULL, NULL };
    g_autoptr (GArray) keyed = g_array_new (FALSE, FALSE, sizeof (Keyed));
    GPtrArray *out;

    if (fresh_only)
        lists[0] = sched__failed_once (c);
    else
        sched__unschedulable (c, &lists[0], &lists[1]);
    for (guint l = 0; l < 2 && lists[l]; l++)
        for (guint i = 0; i < lists[l]->len; i++) {
            Pod *p = g_ptr_array_index (lists[l], i);
            Keyed k;

            if (p->deleted || p->node != NULL || p->daemon_node != NULL
                || (fresh_only && p->sched_attempts != 1))
                continue;
            /* priority descending, then id */
            k.key = (guint64) ((gint64) G_MAXINT32 - p->priority) << 32
                    | p->id;
            k.pod = p;
            g_array_append_val (keyed, k);
        }
    /* sorted on the keys alone (a backlog of thousands, every scan: no
     * pod is read while sorting); a pod listed twice sits next to itself
     * and is dropped in one pass */
    if (keyed->len > 1)
        qsort (keyed->data, keyed->len, sizeof (Keyed), keyed_cmp);
    out = g_ptr_array_sized_new (keyed->len);
    for (guint i = 0; i < keyed->len; i++) {
        Pod *p = g_array_index (keyed, Keyed, i).pod;

        if (out->len == 0 || out->pdata[out->len - 1] != p)
            g_ptr_array_add (out, p);
    }
    return out;
}

/* Whether a node of the pool could host the pod at all. */
static FilterResult
template_check (Cluster *c, guint pool, Pod *pod)
{
    Node tmpl;

    template_node (c, pool, &tmpl);
    return filter_node (sched__view (c, pod), &tmpl);
}

/* The pods the pools' upcoming nodes will host leave `pods`: each, in
 * order of importance, on the first upcoming node it fits. */
static void
pack_upcoming (Cluster *c, GPtrArray *pods)
{
    g_autoptr (GPtrArray) bins = g_ptr_array_new_with_free_func (bin_free);
    guint kept = 0;

    for (guint p = 0; p < c->s->pools->len; p++) {
        const KbPoolSpec *ps = g_ptr_array_index (c->s->pools, p);

        for (guint k = 0; ps->autoscale.enabled
                        && k < dynamics__pool_upcoming (c, p); k++)
            g_ptr_array_add (bins, bin_new (c, p));
    }
    for (guint i = 0; i < pods->len; i++) {
        Pod *pod = g_ptr_array_index (pods, i);
        gboolean placed = FALSE;

        for (guint k = 0; k < bins->len && !placed; k++) {
            Bin *b = g_ptr_array_index (bins, k);

            placed = filter_node_static (sched__view (c, pod), &b->node).code
                         == FILTER_OK && bin_try (c, b, pod);
        }
        if (!placed)
            pods->pdata[kept++] = pod;
    }
    g_ptr_array_set_size (pods, kept);
}

/* ---- scale-up ------------------------------------------------------------ */

typedef struct {
    guint pool;
    GPtrArray *pods;                /* Pod * the new nodes would host */
    gint64 cpu, mem;
    double waste;
    gint64 nodes;                   /* how many to add */
} Option;

static void
option_clear (Option *o)
{
    g_clear_pointer (&o->pods, g_ptr_array_unref);
}

/* The DecreasingPodOrderer's score of a pod against the template:
 * cpu/allocatable + memory/allocatable. */
typedef struct {
    Pod *pod;
    double score;
} Ranked;

static gint
ranked_cmp (gconstpointer a, gconstpointer b)
{
    const Ranked *x = a, *y = b;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->pod->workload->index != y->pod->workload->index)
        return x->pod->workload->index < y->pod->workload->index ? -1 : 1;
    return x->pod->id < y->pod->id ? -1 : x->pod->id > y->pod->id;
}

/* The binpacking estimator on the pool's template: the pods that fit it,
 * in decreasing order, each on the first new node it fits, a new node
 * when none does, up to `room` nodes. Fills o->pods and o->nodes. */
static void
estimate (Cluster *c, guint pool, GPtrArray *fits, gint64 room, Option *o)
{
    const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool);
    g_autoptr (GArray) ranked = g_array_sized_new (FALSE, FALSE,
                                                   sizeof (Ranked),
                                                   fits->len);
    g_autoptr (GPtrArray) bins = g_ptr_array_new_with_free_func (bin_free);

    for (guint i = 0; i < fits->len; i++) {
        Ranked r = { g_ptr_array_index (fits, i), 0 };

        r.score = (double) r.pod->cpu / MAX (p->cpu, 1)
                  + (double) r.pod->mem / MAX (p->memory, 1);
        g_array_append_val (ranked, r);
    }
    g_array_sort (ranked, ranked_cmp);
    /* a template that fitted no bin, with no bin left to open: until a
     * bin changes, its next pods fit none either */
    const KbPodTemplate *full = NULL;

    for (guint i = 0; i < ranked->len; i++) {
        Pod *pod = g_array_index (ranked, Ranked, i).pod;
        gboolean placed = FALSE;

        if (pod->tmpl == full)
            continue;
        for (guint k = 0; k < bins->len && !placed; k++)
            placed = bin_try (c, g_ptr_array_index (bins, k), pod);
        if (!placed && (gint64) bins->len < room) {
            g_ptr_array_add (bins, bin_new (c, pool));
            placed = bin_try (c, g_ptr_array_index (bins, bins->len - 1),
                              pod);
        }
        if (!placed && (gint64) bins->len >= room)
            full = pod->tmpl;
        if (placed) {
            full = NULL;
            g_ptr_array_add (o->pods, pod);
            o->cpu += pod->cpu;
            o->mem += pod->mem;
        }
    }
    o->nodes = bins->len;
}

/* Why the pool cannot help the pod, as cluster-autoscaler words it:
 * appended to reasons (char *, owned), one entry per reason. */
static void
pool_reasons (Cluster *c, guint pool, const gint64 *sizes, Pod *pod,
              GPtrArray *reasons)
{
    const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool);
    FilterResult r;

    if (sizes[pool] >= p->autoscale.max) {
        g_ptr_array_add (reasons, g_strdup ("max node group size reached"));
        return;
    }
    if (c->autoscaler->pool[pool].backoff_until > sim_engine_now (c->engine)) {
        g_ptr_array_add (reasons,
                         g_strdup ("in backoff after failed scale-up"));
        return;
    }
    r = template_check (c, pool, pod);
    if (r.code != FILTER_OK)
        filter_reasons (&r, &c->cp_version, reasons);
}

/* The pool's option for the pods: FALSE, with nothing to clear, when it
 * offers nothing (at max, backed off, or no pod fits its template). */
static gboolean
pool_option (Cluster *c, guint pool, GPtrArray *pods, const gint64 *sizes,
             Option *o)
{
    const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool);
    gint64 room = MIN (p->autoscale.max - sizes[pool],
                       (gint64) MAX_NODES_PER_SCALEUP);
    g_autoptr (GPtrArray) fits = g_ptr_array_new ();

    if (room <= 0 || c->autoscaler->pool[pool].backoff_until
                         > sim_engine_now (c->engine))
        return FALSE;
    const KbPodTemplate *last = NULL;
    gboolean last_fits = FALSE;

    for (guint i = 0; i < pods->len; i++) {
        Pod *pod = g_ptr_array_index (pods, i);

        /* the check depends on the template alone (the pool's template
         * node is empty): pods of a backlog come in runs of one */
        if (pod->tmpl != last) {
            last = pod->tmpl;
            last_fits = template_check (c, pool, pod).code == FILTER_OK;
        }
        if (last_fits)
            g_ptr_array_add (fits, pod);
    }
    if (fits->len == 0)
        return FALSE;
    *o = (Option) { pool, g_ptr_array_new (), 0, 0, 0, 0 };
    estimate (c, pool, fits, room, o);
    return TRUE;
}

/* The expander's measure, lower is better: least-waste the share of the
 * new nodes' CPU and memory left idle; price the cost per hour of the
 * nodes added; random a uniform draw. */
static double
option_measure (Cluster *c, const Option *o)
{
    const KbPoolSpec *p = g_ptr_array_index (c->s->pools, o->pool);

    switch (c->s->expander) {
    case KB_EXPANDER_PRICE:
        return o->nodes * (p->price_per_hour + p->windows_surcharge_per_hour)
               * p->discount;
    case KB_EXPANDER_RANDOM:
        return sim_rng_uniform (cluster_rng (c, "ca-expander"));
    default:
        return (1 - (double) o->cpu / (o->nodes * (double) p->cpu))
               + (1 - (double) o->mem / (o->nodes * (double) p->memory));
    }
}

/* A duration as Go's time.Duration prints it (%v): "15m0s", "1h0m0s". */
static char *
go_duration (SimTime t)
{
    gint64 s = t / SIM_SEC;

    if (s >= 3600)
        return g_strdup_printf ("%" G_GINT64_FORMAT "h%" G_GINT64_FORMAT "m%"
                                G_GINT64_FORMAT "s", s / 3600, s / 60 % 60,
                                s % 60);
    if (s >= 60)
        return g_strdup_printf ("%" G_GINT64_FORMAT "m%" G_GINT64_FORMAT "s",
                                s / 60, s % 60);
    return g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
}

/* Adds the nodes of the chosen option, telling each pod it hosts. Nodes
 * that will not have registered within max_node_provision_time are given
 * up then (timeout_handler) and never join. */
static void
trigger_scale_up (Cluster *c, const gint64 *sizes, const Option *best)
{
    const KbPoolSpec *p = g_ptr_array_index (c->s->pools, best->pool);
    SimTime limit = c->s->autoscaler.max_node_provision_time;
    gint64 size = sizes[best->pool];

    for (guint i = 0; i < best->pods->len; i++) {
        Pod *pod = g_ptr_array_index (best->pods, i);

        cluster__emit (c, "Normal", "TriggeredScaleUp", "Pod", pod->name,
                       "pod triggered scale-up: [{%s %" G_GINT64_FORMAT
                       "->%" G_GINT64_FORMAT " (max: %" G_GINT64_FORMAT
                       ")}]", p->name, size, size + best->nodes,
                       p->autoscale.max);
    }
    for (gint64 k = 0; k < best->nodes; k++)
        dynamics__add_node_later (c, best->pool,
                                  p->autoscale.provision_delay);
    if (p->autoscale.provision_delay > limit)
        sim_engine_schedule_in (c->engine, limit, &timeout_kind, c,
                                ((gint64) best->pool << 32) | best->nodes);
    c->autoscaler->last_scale_up = sim_engine_now (c->engine);
}

static void
timeout_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    Cluster *c = obj;
    guint pool = (guint) (arg >> 32);
    const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool);
    PoolState *ps = &c->autoscaler->pool[pool];
    SimTime now = sim_engine_now (e);
    g_autofree char *within = go_duration (
        c->s->autoscaler.max_node_provision_time);

    dynamics__cancel_upcoming (c, pool, (guint) (arg & G_MAXUINT32));
    cluster__emit (c, "Warning", "ScaleUpTimedOut", "NodePool", p->name,
                   "Nodes added to group %s failed to register within %s",
                   p->name, within);
    if (ps->last_failure < 0 || now - ps->last_failure > BACKOFF_RESET)
        ps->backoff = BACKOFF_INITIAL;
    else
        ps->backoff = MIN (ps->backoff * 2, BACKOFF_MAX);
    ps->last_failure = now;
    ps->backoff_until = now + ps->backoff;
}

typedef struct {
    const char *reason;
    gint count;
} ReasonTally;

static gint
tally_cmp (gconstpointer a, gconstpointer b)
{
    const ReasonTally *x = a, *y = b;

    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp (x->reason, y->reason);
}

/* "pod didn't trigger scale-up: 2 <reason>, 1 <reason>": each pool's
 * reasons counted once per pool. (transfer full): g_free(). */
static char *
not_triggered_message (Cluster *c, const gint64 *sizes, Pod *pod)
{
    g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (GArray) tally = g_array_new (FALSE, FALSE,
                                            sizeof (ReasonTally));
    GString *msg = g_string_new ("pod didn't trigger scale-up: ");

    for (guint p = 0; p < c->s->pools->len; p++) {
        g_autoptr (GPtrArray) r = g_ptr_array_new_with_free_func (g_free);

        if (!((KbPoolSpec *) g_ptr_array_index (c->s->pools, p))
                 ->autoscale.enabled)
            continue;
        pool_reasons (c, p, sizes, pod, r);
        for (guint i = 0; i < r->len; i++) {
            guint k;

            for (k = 0; k < tally->len; k++)
                if (strcmp (g_array_index (tally, ReasonTally, k).reason,
                            r->pdata[i]) == 0)
                    break;
            if (k == tally->len) {
                ReasonTally t = { r->pdata[i], 0 };

                g_array_append_val (tally, t);
                g_ptr_array_add (all, g_steal_pointer (&r->pdata[i]));
            }
            g_array_index (tally, ReasonTally, k).count++;
        }
    }
    g_array_sort (tally, tally_cmp);
    for (guint k = 0; k < tally->len; k++)
        g_string_append_printf (msg, "%s%d %s", k ? ", " : "",
                                g_array_index (tally, ReasonTally, k).count,
                                g_array_index (tally, ReasonTally, k).reason);
    return g_string_free (msg, FALSE);
}

static void
emit_not_triggered (Cluster *c, const gint64 *sizes, GPtrArray *pods)
{
    for (guint i = 0; i < pods->len; i++) {
        Pod *pod = g_ptr_array_index (pods, i);
        g_autofree char *msg = NULL;

        if (pod->sched_attempts != 1)
            continue;
        msg = not_triggered_message (c, sizes, pod);
        cluster__emit (c, "Normal", "NotTriggerScaleUp", "Pod", pod->name,
                       "%s", msg);
    }
}

/* Whether an autoscaled pool has nodes on the way (which pack_upcoming()
 * fills first). */
static gboolean
any_upcoming (Cluster *c)
{
    for (guint pool = 0; pool < c->s->pools->len; pool++)
        if (((const KbPoolSpec *) g_ptr_array_index (c->s->pools, pool))
                ->autoscale.enabled && dynamics__pool_upcoming (c, pool) > 0)
            return TRUE;
    return FALSE;
}

/* Whether some autoscaled pool could grow now, or has nodes on the way
 * (which pack_upcoming() would fill first). */
static gboolean
may_scale (Cluster *c, const gint64 *sizes)
{
    for (guint pool = 0; pool < c->s->pools->len; pool++) {
        const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool);

        if (!p->autoscale.enabled)
            continue;
        if (dynamics__pool_upcoming (c, pool) > 0
            || (p->autoscale.max > sizes[pool]
                && c->autoscaler->pool[pool].backoff_until
                   <= sim_engine_now (c->engine)))
            return TRUE;
    }
    return FALSE;
}

/* Whether the template of some waiting pod fits the template node of an
 * autoscaled pool that may grow now: when none does, no pool_option()
 * can exist, whatever the pods. Reads templates, not pods: a backlog of
 * thousands is a handful of templates. */
static gboolean
any_template_fits (Cluster *c, const gint64 *sizes)
{
    GHashTableIter it;
    gpointer key;

    g_hash_table_iter_init (&it, sched__listed_templates (c));
    while (g_hash_table_iter_next (&it, &key, NULL)) {
        const KbPodTemplate *t = key;

        for (guint pool = 0; pool < c->s->pools->len; pool++) {
            const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool);
            Node tmpl;

            if (!p->autoscale.enabled || p->autoscale.max <= sizes[pool]
                || c->autoscaler->pool[pool].backoff_until
                   > sim_engine_now (c->engine))
                continue;
            template_node (c, pool, &tmpl);
            if (filter_node (sched__template_view (c, t), &tmpl).code
                == FILTER_OK)
                return TRUE;
        }
    }
    return FALSE;
}

static gboolean
scale_up (Cluster *c, const gint64 *sizes)
{
    g_autoptr (GPtrArray) pods = NULL;
    Option best = { 0 };
    gboolean have = FALSE;

    if (!may_scale (c, sizes)
        || (!any_upcoming (c) && !any_template_fits (c, sizes))) {
        /* Every pool at its ceiling (or backing off), or no waiting
         * pod's template fits a pool that may grow, and nothing on the
         * way: no option can exist, so only the pods that just failed
         * get their NotTriggerScaleUp, as the full pass would give
         * them, without sorting the whole backlog every scan. */
        pods = waiting_pods (c, TRUE);
        emit_not_triggered (c, sizes, pods);
        return FALSE;
    }
    pods = waiting_pods (c, FALSE);
    pack_upcoming (c, pods);
    if (pods->len == 0)
        return FALSE;
    for (guint pool = 0; pool < c->s->pools->len; pool++) {
        const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool);
        Option o;

        if (!p->autoscale.enabled || !pool_option (c, pool, pods, sizes, &o))
            continue;
        o.waste = option_measure (c, &o);
        if (!have || o.waste < best.waste) {
            option_clear (&best);
            best = o;
            have = TRUE;
        } else {
            option_clear (&o);
        }
    }
    if (!have) {
        emit_not_triggered (c, sizes, pods);
        return FALSE;
    }
    trigger_scale_up (c, sizes, &best);
    option_clear (&best);
    return TRUE;
}

/* ---- scale-down ---------------------------------------------------------- */

/* Could every pod on `node` (DaemonSet pods aside) go to another Ready
 * node? First fit with temporary reservations, through the filters. */
static gboolean
pods_fit_elsewhere (Cluster *c, Node *node)
{
    g_autofree gint64 *cpu = g_new0 (gint64, c->nodes->len);
    g_autofree gint64 *mem = g_new0 (gint64, c->nodes->len);
    g_autofree gint64 *cnt = g_new0 (gint64, c->nodes->len);

    for (guint k = 0; k < node->pods->len; k++) {
        const Pod *pod = g_ptr_array_index (node->pods, k);
        const FilterPod *sp = sched__view (c, pod);
        gboolean placed = FALSE;

        if (pod->daemon_node)
            continue;
        for (guint i = 0; i < c->nodes->len && !placed; i++) {
            Node *o = g_ptr_array_index (c->nodes, i);

            if (o == node || o->state != NODE_READY || o->unschedulable
                || filter_node_static (sp, o).code != FILTER_OK)
                continue;
            if (o->req_cpu + cpu[i] + pod->cpu <= o->alloc_cpu
                && o->req_mem + mem[i] + pod->mem <= o->alloc_mem
                && o->n_pods + cnt[i] + 1 <= o->max_pods) {
                cpu[i] += pod->cpu;
                mem[i] += pod->mem;
                cnt[i]++;
                placed = TRUE;
            }
        }
        if (!placed)
            return FALSE;
    }
    return TRUE;
}

static gboolean
node_empty (const Node *node)
{
    for (guint k = 0; k < node->pods->len; k++)
        if (((Pod *) g_ptr_array_index (node->pods, k))->daemon_node == NULL)
            return FALSE;
    return TRUE;
}

/* The share of the node requested (the larger of CPU and memory), or -1
 * when the node is no candidate; keeps underused_since. */
static double
unneeded_share (Cluster *c, Node *n)
{
    const KbAutoscalerSpec *a = &c->s->autoscaler;
    double used;

    if (!n->spec->autoscale.enabled || n->state != NODE_READY
        || n->unschedulable) {
        n->underused_since = -1;
        return -1;
    }
    used = MAX ((double) n->req_cpu / MAX (n->alloc_cpu, 1),
                (double) n->req_mem / MAX (n->alloc_mem, 1));
    if (used >= a->scale_down_utilization_threshold) {
        n->underused_since = -1;
        return -1;
    }
    if (n->underused_since < 0)
        n->underused_since = sim_engine_now (c->engine);
    if (sim_engine_now (c->engine) - n->underused_since
        < a->scale_down_unneeded_time)
        return -1;
    return used;
}

static void
scale_down (Cluster *c, const gint64 *sizes)
{
    const KbAutoscalerSpec *a = &c->s->autoscaler;
    g_autofree gint64 *removed = g_new0 (gint64, c->s->pools->len);
    gint64 total = 0, drained = 0;
    gboolean cooldown = c->autoscaler->last_scale_up >= 0
        && sim_engine_now (c->engine)
               < c->autoscaler->last_scale_up + a->scale_down_delay_after_add;
    g_autofree char *unneeded = sim_time_format_short (
        a->scale_down_unneeded_time);

    for (guint i = 0; i < c->nodes->len; i++) {
        Node *n = g_ptr_array_index (c->nodes, i);
        double used = unneeded_share (c, n);
        gboolean empty;

        if (used < 0 || cooldown || total >= a->max_scale_down_parallelism
            || sizes[n->pool] - (gint64) dynamics__pool_upcoming (c, n->pool)
                   - removed[n->pool] <= n->spec->autoscale.min)
            continue;
        empty = node_empty (n);
        if (!empty && (drained >= a->max_drain_parallelism
                       || !pods_fit_elsewhere (c, n)))
            continue;
        cluster__emit (c, "Normal", "ScaleDown", "Node", n->name,
                       "node removed by cluster autoscaler (%.0f%% requested "
                       "for more than %s)", 100 * used, unneeded);
        dynamics__remove_node (c, n);
        removed[n->pool]++;
        total++;
        drained += !empty;
    }
}

static void
scan_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    Cluster *c = obj;
    g_autofree gint64 *sizes = pool_sizes (c);

    (void) arg;
    if (!scale_up (c, sizes))
        scale_down (c, sizes);
    sim_engine_schedule_in (e, c->s->autoscaler.scan_interval, &scan_kind, c,
                            0);
}

void
autoscaler__start (Cluster *c)
{
    guint n = c->s->pools->len;
    gboolean any = FALSE;
    Autoscaler *a;

    for (guint i = 0; i < n; i++)
        any |= ((KbPoolSpec *) g_ptr_array_index (c->s->pools, i))
                   ->autoscale.enabled;
    if (!any)
        return;
    a = g_malloc0 (sizeof *a + n * sizeof a->pool[0]);
    a->last_scale_up = -1;
    for (guint i = 0; i < n; i++)
        a->pool[i].last_failure = -1;
    dynamics__keep (c, a);
    c->autoscaler = a;
    sim_engine_schedule_in (c->engine, c->s->autoscaler.scan_interval,
                            &scan_kind, c, 0);
}
