/* autoscaler.c: a cluster autoscaler for pools with `autoscale`.
 *
 * As kubernetes/autoscaler's cluster-autoscaler does it, every 10 s
 * (scan-interval):
 *   - scale-up: for pods the scheduler could not place, each autoscaled
 *     pool is tried with a template node built from the pool (its labels,
 *     taints and allocatable) through the scheduler's own filters, so a
 *     Windows pod never grows a Linux pool. Among the pools that would
 *     host pods, the expander picks one (autoscaler.expander: least-waste,
 *     the least idle CPU and memory after placing them, by default; price,
 *     the cheapest nodes; random); enough nodes for those pods are
 *     added, up to max, and join after provision_delay. Pods that no pool
 *     can host get NotTriggerScaleUp with the reasons.
 *   - scale-down: a node below 50% requested (the larger of CPU and
 *     memory) for 10 minutes is removed when its pool is above min and
 *     every pod on it (DaemonSet pods aside) fits on another Ready node;
 *     one node per scan.
 * Event texts follow cluster-autoscaler's: "pod triggered scale-up:
 * [{pool 3->5 (max: 20)}]", "pod didn't trigger scale-up: ...".
 */
#include "models/model-private.h"

#include <math.h>
#include <string.h>

#define SCAN_INTERVAL           (10 * SIM_SEC)
#define SCALE_DOWN_UNNEEDED     (10 * SIM_MINUTE)
#define SCALE_DOWN_THRESHOLD    0.5

static void scan_handler (SimEngine *e, gpointer obj, gint64 arg);
static const SimEventKind scan_kind = { "cluster-autoscaler", scan_handler };

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

typedef struct {
    guint pool;
    GPtrArray *pods;                /* Pod * it would host */
    gint64 cpu, mem;
    double waste;
    gint64 nodes;                   /* how many to add */
} Option;

static void
option_clear (Option *o)
{
    g_ptr_array_unref (o->pods);
}

/* Pods waiting on the scheduler whose last attempt failed. */
static GPtrArray *
waiting_pods (Cluster *c)
{
    const GPtrArray *unschedulable = sched__unschedulable (c);
    GPtrArray *out = g_ptr_array_new ();

    for (guint i = 0; i < unschedulable->len; i++) {
        Pod *p = g_ptr_array_index (unschedulable, i);

        if (!p->deleted && p->node == NULL && p->daemon_node == NULL)
            g_ptr_array_add (out, p);
    }
    return out;
}

/* The pods of `pods` that new nodes of the pool would host, as an option
 * with the number of nodes to add (up to the pool's max); marks in
 * helped the pods the pool could host at all. Returns FALSE, with
 * nothing to clear, when the pool offers nothing. */
static gboolean
pool_option (Cluster *c, guint pool, GPtrArray *pods, gboolean *helped,
             const gint64 *sizes, Option *o)
{
    const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool);
    gint64 room = p->autoscale.max - sizes[pool];
    Node tmpl;

    *o = (Option) { pool, g_ptr_array_new (), 0, 0, 0, 0 };
    template_node (c, pool, &tmpl);
    for (guint i = 0; i < pods->len; i++) {
        Pod *pod = g_ptr_array_index (pods, i);

        if (filter_node (sched__view (c, pod), &tmpl).code == FILTER_OK) {
            helped[i] = TRUE;
            if (room > 0) {
                g_ptr_array_add (o->pods, pod);
                o->cpu += pod->cpu;
                o->mem += pod->mem;
            }
        }
    }
    if (o->pods->len == 0 || room <= 0) {
        option_clear (o);
        return FALSE;
    }
    /* Nodes to host them, by the scarcer resource. */
    o->nodes = MAX ((gint64) ceil ((double) o->cpu / MAX (p->cpu, 1)),
                    (gint64) ceil ((double) o->mem / MAX (p->memory, 1)));
    o->nodes = MAX (o->nodes, (gint64) ceil ((double) o->pods->len
                                             / MAX (p->max_pods, 1)));
    o->nodes = CLAMP (o->nodes, 1, room);
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

/* Adds the nodes of the chosen option, telling each pod it hosts. */
static void
trigger_scale_up (Cluster *c, const gint64 *sizes, const Option *best)
{
    const KbPoolSpec *p = g_ptr_array_index (c->s->pools, best->pool);
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
}

static gboolean
scale_up (Cluster *c, const gint64 *sizes)
{
    g_autoptr (GPtrArray) pods = waiting_pods (c);
    g_autofree gboolean *helped = g_new0 (gboolean, pods->len + 1);
    Option best = { 0 };
    gboolean have = FALSE;

    if (pods->len == 0)
        return FALSE;
    for (guint pool = 0; pool < c->s->pools->len; pool++) {
        const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool);
        Option o;

        if (!p->autoscale.enabled || !pool_option (c, pool, pods, helped,
                                                   sizes, &o))
            continue;
        o.waste = option_measure (c, &o);
        if (!have || o.waste < best.waste) {
            if (have)
                option_clear (&best);
            best = o;
            have = TRUE;
        } else {
            option_clear (&o);
        }
    }
    for (guint i = 0; i < pods->len; i++) {
        Pod *pod = g_ptr_array_index (pods, i);

        if (!helped[i] && pod->sched_attempts == 1)
            cluster__emit (c, "Normal", "NotTriggerScaleUp", "Pod", pod->name,
                           "pod didn't trigger scale-up: no node group can "
                           "host it (%s)", pod->message ? pod->message : "");
    }
    if (!have)
        return FALSE;
    trigger_scale_up (c, sizes, &best);
    option_clear (&best);
    return TRUE;
}

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

static void
scale_down (Cluster *c, const gint64 *sizes)
{
    SimTime now = sim_engine_now (c->engine);

    for (guint i = 0; i < c->nodes->len; i++) {
        Node *n = g_ptr_array_index (c->nodes, i);
        const KbPoolSpec *p = n->spec;
        double used;

        if (!p->autoscale.enabled || n->state != NODE_READY
            || n->unschedulable) {
            n->underused_since = -1;
            continue;
        }
        used = MAX ((double) n->req_cpu / MAX (n->alloc_cpu, 1),
                    (double) n->req_mem / MAX (n->alloc_mem, 1));
        if (used >= SCALE_DOWN_THRESHOLD) {
            n->underused_since = -1;
            continue;
        }
        if (n->underused_since < 0)
            n->underused_since = now;
        if (now - n->underused_since < SCALE_DOWN_UNNEEDED
            || sizes[n->pool] - (gint64) dynamics__pool_upcoming (c, n->pool)
                   <= p->autoscale.min
            || !pods_fit_elsewhere (c, n))
            continue;
        cluster__emit (c, "Normal", "ScaleDown", "Node", n->name,
                       "node removed by cluster autoscaler (%.0f%% requested "
                       "for more than 10 minutes)", 100 * used);
        dynamics__remove_node (c, n);
        return;                 /* one node a scan */
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
    sim_engine_schedule_in (e, SCAN_INTERVAL, &scan_kind, c, 0);
}

void
autoscaler__start (Cluster *c)
{
    for (guint i = 0; i < c->s->pools->len; i++)
        if (((KbPoolSpec *) g_ptr_array_index (c->s->pools, i))
                ->autoscale.enabled) {
            sim_engine_schedule_in (c->engine, SCAN_INTERVAL, &scan_kind, c,
                                    0);
            return;
        }
}
