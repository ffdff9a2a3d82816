/* sched.c: the scheduling queue and the scheduling cycle.
 *
 * As kube-scheduler's default profile does it (pkg/scheduler: queue in
 * internal/queue/scheduling_queue.go, cycle in schedule_one.go):
 *   - activeQ is ordered by priority, then by when the pod was (re)queued;
 *   - a pod that fails waits among the unschedulable pods with a back-off
 *     of 1 s doubling to 10 s per attempt; a cluster change that may help
 *     it (queueing hints: a pod ended when it lacked resources or ports; a
 *     node appeared or changed for any failure) moves it back, to activeQ
 *     once its back-off is over; pods left unschedulable for 5 minutes are
 *     retried anyway (flushUnschedulablePodsLeftover, every 30 s);
 *   - each attempt walks the nodes from a rotating start index, filtering
 *     until numFeasibleNodesToFind nodes fit, scores those, and binds to
 *     the best, breaking ties at random from the "tie-break" stream.
 * Scheduling takes no virtual time; binding hands the pod to its kubelet.
 * The kubelet tells the scheduler of pods that ended (they leave the
 * queues) and of room it freed (pods that lacked it are moved back)
 * through sched__kubelet_hooks.
 *
 * Caches keep a walk over 5,000 nodes cheap (tests/bench-sim.c): per
 * template, the filters that read only a node's labels and taints
 * (TaintToleration, NodeAffinity) and the static score parts are kept per
 * pool (PoolCache), and each node's local score while the node's version
 * and the image epoch are unchanged (ScoreCache). Nodes with taints or
 * labels of their own, and pods that name a node, bypass the pool cache.
 * A run of one pool's nodes that the pod cannot use is passed over in one
 * step (schedule_one).
 */
#include "models/model-private.h"

#include <string.h>

#define BACKOFF_INITIAL     SIM_SEC
#define BACKOFF_MAX         (10 * SIM_SEC)
#define UNSCHED_MAX_STAY    (5 * SIM_MINUTE)
#define FLUSH_EVERY         (30 * SIM_SEC)
/* The failures freed room may mend (the queueing hints of
 * NodeResourcesFit and NodePorts, and PodTopologySpread's, which
 * registers pod deletions too: room_freed). */
#define ROOM_CODES          (1u << FILTER_RESOURCES | 1u << FILTER_NODE_PORTS \
                             | 1u << FILTER_SPREAD)

/* The size of an image entry on a pool's nodes, for one scoring pass. */
typedef struct {
    const char *image;              /* interned */
    guint32 pool;
    guint32 build;                  /* pools change build in upgrades */
    gint64 size;
    guint n_with;
} ImageSizeCache;

struct Sched {
    GArray *levels;                 /* activeQ: ActiveLevel, by priority,
                                     * highest first */
    guint n_active;
    /* The pods waiting for a cluster event, in two lists by what their
     * last failure was (ROOM_CODES: whether freed room may help), each in
     * the order they were listed (unsched_seq), which is also the order
     * of their unsched_since: a move that freed room reads only the
     * first list, and the flush only the pods listed long enough ago. */
    GPtrArray *unsched_room;
    GPtrArray *unsched_other;
    guint64 unsched_seq;
    GHashTable *listed_templates;   /* template -> entries in the two
                                     * lists (gone or bound pods too) */
    GPtrArray *fresh;               /* Pod *, a superset of the
                                     * unschedulable ones that failed once,
                                     * in the order they were listed */
    guint fresh_kept;               /* its length when last compacted */
    guint64 queue_seq;
    guint next_start_node;
    gboolean cycle_pending;
    gboolean flush_armed;
    GHashTable *entries;            /* template -> SchedEntry *, cached */
    GHashTable *messages;           /* results signature -> interned
                                     * FailedScheduling text */
    /* scratch, one (static_parts: two) per node, grown with the cluster */
    FilterResult *results;
    Node **feasible;
    guint32 *feasible_ids;          /* the same nodes' ids */
    gint64 *scores;
    gint64 *static_parts;
    gint64 *node_parts;
    guint scratch_len;
    ImageSizeCache image_cache[16]; /* per scoring pass */
    guint image_cache_len;
    GHashTable *image_names;        /* template image string -> interned */
    const char *last_image;         /* the last lookup in image_names */
    const char *last_iname;
    gint64 attempts;                /* scheduling attempts */
    gint64 bindings;
};

static void cycle_handler (SimEngine *e, gpointer obj, gint64 arg);
static void backoff_done (SimEngine *e, gpointer obj, gint64 arg);
static void flush_handler (SimEngine *e, gpointer obj, gint64 arg);

static const SimEventKind cycle_kind = { "schedule", cycle_handler };
static const SimEventKind backoff_kind = { "sched-backoff-done",
                                           backoff_done };
static const SimEventKind flush_kind = { "sched-flush", flush_handler };

/* ---- activeQ ------------------------------------------------------------- */

/* activeQ pops the pod of highest priority, the earliest queued among
 * equals. A pod's queue_seq is drawn when it joins, so each priority's
 * pods are in FIFO order: one queue per priority (clusters have few),
 * highest first, makes joining, popping and leaving O(1) where a heap
 * over a backlog of thousands cost a cache miss per level. */
typedef struct {
    gint64 priority;
    GQueue pods;
} ActiveLevel;

static void
active_push (Sched *q, Pod *pod)
{
    guint i = 0;
    ActiveLevel *l;

    while (i < q->levels->len
           && g_array_index (q->levels, ActiveLevel, i).priority
                  > pod->priority)
        i++;
    if (i == q->levels->len
        || g_array_index (q->levels, ActiveLevel, i).priority
               != pod->priority) {
        ActiveLevel fresh = { pod->priority, G_QUEUE_INIT };

        g_array_insert_val (q->levels, i, fresh);
    }
    l = &g_array_index (q->levels, ActiveLevel, i);
    g_queue_push_tail (&l->pods, pod);
    pod->active_link = l->pods.tail;
    q->n_active++;
}

static Pod *
active_pop (Sched *q)
{
    for (guint i = 0; i < q->levels->len; i++) {
        ActiveLevel *l = &g_array_index (q->levels, ActiveLevel, i);
        Pod *pod;

        if (l->pods.length == 0)
            continue;
        pod = g_queue_pop_head (&l->pods);
        pod->active_link = NULL;
        q->n_active--;
        return pod;
    }
    return NULL;
}

static void
active_remove (Sched *q, Pod *pod)
{
    for (guint i = 0; pod->active_link && i < q->levels->len; i++) {
        ActiveLevel *l = &g_array_index (q->levels, ActiveLevel, i);

        if (l->priority == pod->priority) {
            g_queue_delete_link (&l->pods, pod->active_link);
            pod->active_link = NULL;
            q->n_active--;
        }
    }
}

static void
want_cycle (Cluster *c)
{
    Sched *q = c->sched;

    if (!q->cycle_pending && q->n_active > 0) {
        q->cycle_pending = TRUE;
        sim_engine_schedule_in (c->engine, 0, &cycle_kind, c, 0);
    }
}

static void
to_active (Cluster *c, Pod *pod)
{
    Sched *q = c->sched;

    pod->in_active_q = TRUE;
    pod->queue_seq = q->queue_seq++;
    active_push (q, pod);
    want_cycle (c);
}

void
sched__enqueue (Cluster *c, Pod *pod)
{
    pod->sched_ready = sim_engine_now (c->engine);
    to_active (c, pod);
}

/* ---- the FilterPod view, cached per template ----------------------------- */

/* Filter results and static score parts that depend only on a pool's
 * labels and taints, computed once per (template, pool). */
typedef struct {
    gboolean valid;
    FilterResult r;
    gint64 taint_count;
    gint64 affinity_weight;
} PoolCache;

/* A node's local score for this template, valid while the node's
 * version and the cluster's image epoch are those recorded. */
typedef struct {
    gint64 score;
    guint32 version;
    guint64 epoch;
} ScoreCache;

typedef struct {
    FilterPod sp;
    gboolean host_ports;            /* any container asks for a host port */
    PoolCache *pools;
    guint n_pools;
    ScoreCache *scores;             /* by node id, grown on demand */
    guint n_scores;
    /* The last failed attempt of a pod of this template that filters as
     * the template alone says (no DaemonSet pin, nodeName or per-node
     * identity): while the cluster's state generation is the one
     * recorded, another such attempt would walk every node to the same
     * results, so its message and mask are reused. */
    gboolean fail_valid;
    guint64 fail_gen;
    const char *fail_msg;
    guint fail_mask;
    SpreadView *spread;             /* PodTopologySpread's rules; NULL
                                     * until the first attempt */
    gboolean spread_filter;         /* it has DoNotSchedule rules */
} SchedEntry;

static void
sched_entry_free (gpointer p)
{
    SchedEntry *e = p;

    filter_pod_clear (&e->sp);
    if (e->spread)
        spread__view_free (e->spread);
    g_free (e->pools);
    g_free (e->scores);
    g_free (e);
}

static SchedEntry *
sched_entry (Cluster *c, const KbPodTemplate *tmpl)
{
    Sched *q = c->sched;
    SchedEntry *e = g_hash_table_lookup (q->entries, tmpl);

    if (e == NULL) {
        const KbRuntimeClassSpec *rc = NULL;
        const char *conflict = NULL;
        gint64 cpu, mem;

        if (tmpl->runtime_class)
            rc = scenario_find_runtime_class (c->s, tmpl->runtime_class);
        cluster__pod_requests (tmpl, &cpu, &mem);
        e = g_new0 (SchedEntry, 1);
        filter_pod_init (&e->sp, tmpl, rc, cpu, mem, &conflict);
        e->n_pools = c->s->pools->len;
        e->pools = g_new0 (PoolCache, e->n_pools);
        for (guint i = 0; i < tmpl->containers->len; i++)
            e->host_ports |= ((KbContainerSpec *) g_ptr_array_index (
                tmpl->containers, i))->host_ports->len > 0;
        g_hash_table_insert (q->entries, (gpointer) tmpl, e);
    }
    return e;
}

const FilterPod *
sched__view (Cluster *c, const Pod *pod)
{
    return &sched_entry (c, pod->tmpl)->sp;
}

/* The pool-level half of filtering, for a node that carries exactly its
 * pool's labels (plus its hostname) and taints. */
static inline const PoolCache *
pool_cache (SchedEntry *e, const Node *node)
{
    PoolCache *pc = &e->pools[node->pool];

    if (!pc->valid) {
        pc->r = filter_node_static (&e->sp, node);
        pc->taint_count = filter_taint_count (&e->sp, node);
        pc->affinity_weight = filter_affinity_weight (&e->sp, node);
        pc->valid = TRUE;
    }
    return pc;
}

static inline gboolean
pool_cacheable (const SchedEntry *e, const Node *node)
{
    return !node->own_taints && !e->sp.uses_node_identity
           && node->pool < e->n_pools;
}

Sched *
sched__new (void)
{
    Sched *q = g_new0 (Sched, 1);

    q->levels = g_array_new (FALSE, FALSE, sizeof (ActiveLevel));
    q->unsched_room = g_ptr_array_new ();
    q->unsched_other = g_ptr_array_new ();
    q->listed_templates = g_hash_table_new (g_direct_hash, g_direct_equal);
    q->fresh = g_ptr_array_new ();
    q->entries = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                        sched_entry_free);
    q->messages = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         NULL);
    q->image_names = g_hash_table_new (g_direct_hash, g_direct_equal);
    return q;
}

void
sched__free (Sched *q)
{
    if (q == NULL)
        return;
    for (guint i = 0; i < q->levels->len; i++)
        g_queue_clear (&g_array_index (q->levels, ActiveLevel, i).pods);
    g_array_unref (q->levels);
    g_ptr_array_unref (q->unsched_room);
    g_ptr_array_unref (q->unsched_other);
    g_hash_table_unref (q->listed_templates);
    g_ptr_array_unref (q->fresh);
    g_hash_table_unref (q->entries);
    g_hash_table_unref (q->messages);
    g_hash_table_unref (q->image_names);
    g_free (q->results);
    g_free (q->feasible);
    g_free (q->scores);
    g_free (q->static_parts);
    g_free (q->node_parts);
    g_free (q->feasible_ids);
    g_free (q);
}

/* ---- one scheduling attempt ---------------------------------------------- */

static void
ensure_scratch (Cluster *c)
{
    Sched *q = c->sched;

    if (q->scratch_len >= c->nodes->len)
        return;
    q->scratch_len = MAX (c->nodes->len, 2 * q->scratch_len);
    q->results = g_renew (FilterResult, q->results, q->scratch_len);
    q->feasible = g_renew (Node *, q->feasible, q->scratch_len);
    q->scores = g_renew (gint64, q->scores, q->scratch_len);
    q->static_parts = g_renew (gint64, q->static_parts, 2 * q->scratch_len);
    q->node_parts = g_renew (gint64, q->node_parts, q->scratch_len);
    q->feasible_ids = g_renew (guint32, q->feasible_ids, q->scratch_len);
}

/* ImageLocality's view of a node. The interned name of a container's
 * image is looked up once per template string; the size of the entry a
 * pool would pull is cached per scoring pass, so that each node costs one
 * pointer-hash lookup. */
static gboolean
image_info (const char *image, const Node *node, gint64 *size,
            guint *n_with, gpointer data)
{
    Cluster *c = data;
    Sched *q = c->sched;
    const char *iname = image == q->last_image ? q->last_iname
                        : g_hash_table_lookup (q->image_names, image);
    ImageSizeCache *hit = NULL;

    if (iname == NULL) {
        iname = cluster_intern (c, image);
        g_hash_table_insert (q->image_names, (gpointer) image,
                             (gpointer) iname);
    }
    q->last_image = image;
    q->last_iname = iname;
    if (!cluster_node_has_image (node, iname))
        return FALSE;
    for (guint i = 0; i < q->image_cache_len && hit == NULL; i++)
        if (q->image_cache[i].image == iname
            && q->image_cache[i].pool == node->pool
            && q->image_cache[i].build == node->build.build)
            hit = &q->image_cache[i];
    if (hit == NULL) {
        const KbImageSpec *img = cluster__image (c, image);
        ImageChoice ch = image_select (img, node->os, node->arch,
                                       &node->build, FALSE);

        if (q->image_cache_len == G_N_ELEMENTS (q->image_cache))
            q->image_cache_len = 0;
        hit = &q->image_cache[q->image_cache_len++];
        hit->image = iname;
        hit->pool = node->pool;
        hit->build = node->build.build;
        hit->size = ch.manifest ? ch.manifest->size : 0;
        hit->n_with = GPOINTER_TO_UINT (g_hash_table_lookup (c->image_nodes,
                                                             iname));
    }
    *size = hit->size;
    *n_with = hit->n_with;
    return TRUE;
}

/* Each feasible node's local score, from the template's cache when the
 * node and the image spread are unchanged since it was computed. */
static void
local_scores (Cluster *c, SchedEntry *e, guint n_feasible, guint n_all)
{
    Sched *q = c->sched;

    if (e->n_scores < c->nodes->len) {
        guint old = e->n_scores;

        e->n_scores = MAX (c->nodes->len, 2 * old);
        e->scores = g_renew (ScoreCache, e->scores, e->n_scores);
        for (guint i = old; i < e->n_scores; i++)
            e->scores[i].epoch = G_MAXUINT64;
    }
    for (guint i = 0; i < n_feasible; i++) {
        guint32 id = q->feasible_ids[i];
        ScoreCache *sc = &e->scores[id];

        if (sc->epoch != c->image_epoch || sc->version != c->hot[id].version) {
            sc->score = filter_node_local_score (&e->sp, q->feasible[i], n_all,
                                                 image_info, c);
            sc->version = c->hot[id].version;
            sc->epoch = c->image_epoch;
        }
        q->node_parts[i] = sc->score;
    }
}

static Node *
pick_best (Cluster *c, const Pod *pod, SchedEntry *e, guint n_feasible,
           guint n_all)
{
    Sched *q = c->sched;
    SimRng *rng;
    gint64 best = G_MININT64;
    guint ties = 0;
    Node *chosen = NULL;

    if (n_feasible == 1)
        return q->feasible[0];
    for (guint i = 0; i < n_feasible; i++) {
        const Node *n = q->feasible[i];
        const NodeHot *h = &c->hot[q->feasible_ids[i]];

        if ((h->flags & HOT_OWN_TAINTS) == 0 && !e->sp.uses_node_identity
            && h->pool < e->n_pools && e->pools[h->pool].valid) {
            const PoolCache *pc = &e->pools[h->pool];

            q->static_parts[2 * i] = pc->taint_count;
            q->static_parts[2 * i + 1] = pc->affinity_weight;
        } else {
            q->static_parts[2 * i] = filter_taint_count (&e->sp, n);
            q->static_parts[2 * i + 1] = filter_affinity_weight (&e->sp, n);
        }
    }
    q->image_cache_len = 0;
    local_scores (c, e, n_feasible, n_all);
    filter_score_nodes (&e->sp, q->feasible, n_feasible, n_all, image_info, c,
                        q->static_parts, q->node_parts, q->scores);
    /* PodTopologySpread depends on where pods run: computed afresh from
     * the store's counts at every attempt, never from ScoreCache. */
    spread__score (c, e->spread, &e->sp, q->feasible, n_feasible, q->scores);
    /* A uniformly random node among the best-scoring ones, as
     * schedule_one.go's selectHost picks (one draw a pod). */
    for (guint i = 0; i < n_feasible; i++) {
        if (q->scores[i] > best) {
            best = q->scores[i];
            ties = 1;
        } else if (q->scores[i] == best) {
            ties++;
        }
    }
    /* one stream per OS: resizing a Windows pool leaves the Linux pods'
     * draws alone (common random numbers across sweep points) */
    rng = cluster_rng (c, pod->os == KB_OS_WINDOWS ? "tie-break/windows"
                                                   : "tie-break/linux");
    ties = ties > 1 ? sim_rng_uniform_int (rng, ties) : 0;
    for (guint i = 0; i < n_feasible && chosen == NULL; i++)
        if (q->scores[i] == best && ties-- == 0)
            chosen = q->feasible[i];
    return chosen;
}

/* An order-free signature of a walk's results: the same multiset of
 * (filter, taint, resources) gives the same FailedScheduling text, so the
 * text is formatted once per distinct signature, not once per attempt
 * (formatting and sorting dominated long, congested runs). */
static guint64
results_signature (const FilterResult *r, guint n)
{
    guint64 sig = n * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

    for (guint i = 0; i < n; i++) {
        guint64 x = (guint64) r[i].code
                    ^ ((guint64) r[i].insufficient << 8)
                    ^ ((guint64) (guintptr) r[i].taint << 16);

        x ^= x >> 30;
        x *= G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
        x ^= x >> 27;
        x *= G_GUINT64_CONSTANT (0x94d049bb133111eb);
        x ^= x >> 31;
        sig += x;
    }
    return sig;
}

static const char *
failure_message (Cluster *c, guint n)
{
    Sched *q = c->sched;
    guint64 sig = results_signature (q->results, n);
    const char *msg = g_hash_table_lookup (q->messages, &sig);

    if (msg == NULL) {
        g_autofree char *text = filter_failed_scheduling (q->results, n,
                                                          &c->cp_version);
        guint64 *key = g_new (guint64, 1);

        *key = sig;
        msg = cluster_intern (c, text);
        g_hash_table_insert (q->messages, key, (gpointer) msg);
    }
    return msg;
}

static guint
results_mask (const Sched *q, guint n)
{
    guint mask = 0;

    for (guint i = 0; i < n; i++)
        mask |= 1u << q->results[i].code;
    return mask;
}

/* One more (or one fewer) entry of pod among the unschedulable, counted
 * per pod and per template. */
static void
listed (Sched *q, Pod *pod, gint by)
{
    gpointer key = (gpointer) pod->tmpl;
    guint n = GPOINTER_TO_UINT (g_hash_table_lookup (q->listed_templates,
                                                     key));

    pod->unsched_entries += by;
    n += by;
    if (n == 0)
        g_hash_table_remove (q->listed_templates, key);
    else
        g_hash_table_insert (q->listed_templates, key, GUINT_TO_POINTER (n));
}

/* Keeps in q->fresh only the pods that may still be listed among the
 * unschedulable with one failed attempt: a pod leaves that state for
 * good (its next failure is its second), so order is kept and nothing
 * returns. */
static void
fresh_compact (Sched *q)
{
    guint kept = 0;

    for (guint i = 0; i < q->fresh->len; i++) {
        Pod *p = g_ptr_array_index (q->fresh, i);

        if (p->sched_attempts == 1 && p->unsched_entries > 0 && !p->deleted
            && p->node == NULL)
            q->fresh->pdata[kept++] = p;
        else
            p->in_fresh = FALSE;
    }
    g_ptr_array_set_size (q->fresh, kept);
    q->fresh_kept = kept;
}

static void
record_failure (Cluster *c, Pod *pod, const char *msg, guint mask)
{
    Sched *q = c->sched;
    SimTime backoff;

    pod->sched_fail_mask = mask;
    if (msg != pod->message) {
        pod->message = msg;
        cluster__emit (c, "Warning", "FailedScheduling", "Pod", pod->name,
                       "%s", msg);
    }
    if (pod->sched_attempts == 0)       /* count pods, not attempts */
        cluster__count_reason (c, "FailedScheduling", pod->os, msg);
    pod->sched_attempts++;
    if (pod->sched_attempts == 1 && !pod->in_fresh) {
        pod->in_fresh = TRUE;
        g_ptr_array_add (q->fresh, pod);
        if (q->fresh->len > 2 * q->fresh_kept + 64)
            fresh_compact (q);
    }
    listed (q, pod, 1);
    pod->unsched_since = sim_engine_now (c->engine);
    backoff = BACKOFF_INITIAL << MIN (pod->sched_attempts - 1, 4u);
    pod->sched_ready = sim_engine_now (c->engine) + MIN (backoff,
                                                         BACKOFF_MAX);
    pod->queue_seq = q->queue_seq++;
    pod->unsched_seq = q->unsched_seq++;
    g_ptr_array_add (mask & ROOM_CODES ? q->unsched_room : q->unsched_other,
                     pod);
    /* The periodic flush runs only while pods wait, so an idle cluster
     * costs no events. */
    if (!q->flush_armed) {
        q->flush_armed = TRUE;
        sim_engine_schedule_in (c->engine, FLUSH_EVERY, &flush_kind, c, 0);
    }
}

/* PodTopologySpread's Filter, which runs after NodeResourcesFit
 * (default_plugins.go), on the domains spread__prefilter counted at the
 * start of this attempt. */
static inline FilterResult
spread_result (const SchedEntry *e, const Node *node)
{
    FilterResult r = { FILTER_OK, NULL, 0 };

    if (e->spread_filter)
        r.code = spread__filter (e->spread, node);
    return r;
}

/* One node's filter result. A DaemonSet pod is pinned to its node by
 * required affinity on metadata.name, and tolerates the node being
 * cordoned (the controller adds that toleration). NEEDSWORK: the other
 * automatic tolerations (not-ready, unreachable, pressure) arrive with
 * node failures. Nodes that carry their pool's taints use the pool-level
 * cache for TaintToleration and NodeAffinity. */
static FilterResult
node_result (SchedEntry *e, const Pod *pod, Node *node)
{
    static const FilterResult affinity = { FILTER_NODE_AFFINITY, NULL, 0 };
    const FilterPod *sp = &e->sp;
    gboolean cordoned = node->unschedulable;
    FilterResult r;

    if (pod->daemon_node) {
        if (node != pod->daemon_node)
            return affinity;
        cordoned = FALSE;
    }
    if (cordoned || node->unschedulable || sp->node_name
        || !pool_cacheable (e, node)) {
        if (cordoned == node->unschedulable) {
            r = filter_node (sp, node);
        } else {
            node->unschedulable = FALSE;
            r = filter_node (sp, node);
            node->unschedulable = TRUE;
        }
        return r.code == FILTER_OK ? spread_result (e, node) : r;
    }
    r = pool_cache (e, node)->r;
    if (r.code == FILTER_OK)
        r = filter_node_dynamic (sp, node);
    return r.code == FILTER_OK ? spread_result (e, node) : r;
}

/* The results of every listed node among the first `positions` of a
 * walk from `start`, for the FailedScheduling message. Returns how many. */
static guint
walk_results (Cluster *c, SchedEntry *e, const Pod *pod, guint start,
              guint positions)
{
    Sched *q = c->sched;
    guint n = c->nodes->len, m = 0;

    for (guint k = 0; k < positions; k++) {
        Node *node = g_ptr_array_index (c->nodes, (start + k) % n);

        if (node->state != NODE_GONE)
            q->results[m++] = node_result (e, pod, node);
    }
    return m;
}

/* One scheduling attempt: the node the pod goes to, or NULL with the
 * per-node results of the walk in q->results[0..*n_results-1]. The walk
 * visits nodes from the rotating start until `want` fit. A run of nodes
 * of one pool that the pod cannot use (its pool-level filters fail, and
 * none of its nodes has taints of its own) is passed over in one step:
 * every node in it is infeasible, so the outcome and the next start
 * index are those of visiting each. The per-node results are only needed
 * when nothing fits, and are then recomputed for the message. */
static inline gboolean
template_alone (const SchedEntry *e, const Pod *pod)
{
    return pod->daemon_node == NULL && e->sp.node_name == NULL
           && !e->sp.uses_node_identity;
}

static Node *
attempt (Cluster *c, Pod *pod, guint *n_results)
{
    Sched *q = c->sched;
    SchedEntry *e = sched_entry (c, pod->tmpl);
    guint n = c->nodes->len, n_feasible = 0, want, start, k = 0;
    gboolean fast;

    ensure_scratch (c);
    want = filter_num_feasible_to_find (c->n_listed, 0);
    start = n ? q->next_start_node % n : 0;
    q->attempts++;
    fast = template_alone (e, pod);
    if (e->spread == NULL) {
        e->spread = spread__view_new (c, pod->tmpl, pod->workload);
        e->spread_filter = spread__has_filter (e->spread);
    }
    if (e->spread_filter)
        spread__prefilter (c, e->spread, &e->sp);
    while (k < n && n_feasible < want) {
        guint idx = (start + k) % n;
        const NodeHot *h = &c->hot[idx];
        Node *node;

        if (h->flags & HOT_GONE) {
            k++;
            continue;
        }
        /* The fast path reads only the dense array: pool-level filters
         * from the template's cache, then NodeResourcesFit. */
        if (fast && (h->flags & (HOT_UNSCHEDULABLE | HOT_OWN_TAINTS)) == 0
            && h->pool < e->n_pools && e->pools[h->pool].valid) {
            if (e->pools[h->pool].r.code != FILTER_OK) {
                /* The whole run is unusable only if none of its nodes
                 * carries taints or labels of its own. */
                k += c->pool_own_taints[h->pool] == 0
                         ? MIN (h->run_end - idx, n - k) : 1;
                continue;
            }
            if (!e->host_ports) {
                if (h->pods_free >= 1
                    && (e->sp.cpu <= 0 || e->sp.cpu <= h->cpu_free)
                    && (e->sp.mem <= 0 || e->sp.mem <= h->mem_free)
                    && (!e->spread_filter
                        || spread__filter (e->spread,
                                           g_ptr_array_index (c->nodes, idx))
                               == FILTER_OK)) {
                    q->feasible_ids[n_feasible] = idx;
                    q->feasible[n_feasible++] = g_ptr_array_index (c->nodes,
                                                                   idx);
                }
                k++;
                continue;
            }
        }
        node = g_ptr_array_index (c->nodes, idx);
        if (fast && pool_cacheable (e, node)
            && c->pool_own_taints[node->pool] == 0
            && pool_cache (e, node)->r.code != FILTER_OK) {
            k += MIN (h->run_end - idx, n - k);
            continue;
        }
        if (node_result (e, pod, node).code == FILTER_OK) {
            q->feasible_ids[n_feasible] = idx;
            q->feasible[n_feasible++] = node;
        }
        k++;
    }
    q->next_start_node = n ? (start + k) % n : 0;
    if (n_feasible == 0) {
        *n_results = walk_results (c, e, pod, start, k);
        return NULL;
    }
    return pick_best (c, pod, e, n_feasible, c->n_listed);
}

static void
schedule_one (Cluster *c, Pod *pod)
{
    Sched *q = c->sched;
    SchedEntry *e = sched_entry (c, pod->tmpl);
    guint n_results = 0, n = c->nodes->len;
    Node *node;

    if (e->fail_valid && e->fail_gen == c->sched_gen
        && template_alone (e, pod)) {
        /* What attempt would do: count it, walk all n nodes from the
         * start (which leaves the start where it was, modulo n) and
         * fail as before. */
        q->attempts++;
        q->next_start_node = n ? q->next_start_node % n : 0;
        record_failure (c, pod, e->fail_msg, e->fail_mask);
        return;
    }
    node = attempt (c, pod, &n_results);
    if (node == NULL) {
        const char *msg = failure_message (c, n_results);
        guint mask = results_mask (q, n_results);

        if (template_alone (e, pod)) {
            e->fail_valid = TRUE;
            e->fail_gen = c->sched_gen;
            e->fail_msg = msg;
            e->fail_mask = mask;
        }
        record_failure (c, pod, msg, mask);
        return;
    }
    q->bindings++;
    pod->message = NULL;
    /* It left the queues when cycle_handler took it from activeQ. */
    kubelet__bind (c, pod, node);
}

Node *
sched__pick_node (Cluster *c, Pod *pod, const char **message)
{
    guint n_results = 0;
    Node *node = attempt (c, pod, &n_results);

    *message = node ? NULL : failure_message (c, n_results);
    return node;
}

void
sched__forget_template (Cluster *c, const KbPodTemplate *tmpl)
{
    g_hash_table_remove (c->sched->entries, tmpl);
}

static void
cycle_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    Cluster *c = obj;
    Sched *q = c->sched;

    (void) e;
    (void) arg;
    q->cycle_pending = FALSE;
    while (q->n_active > 0) {
        Pod *pod = active_pop (q);

        pod->in_active_q = FALSE;
        if (pod->deleted || pod->node != NULL)
            continue;
        schedule_one (c, pod);
    }
}

/* ---- moving pods back ---------------------------------------------------- */

static void
backoff_done (SimEngine *e, gpointer obj, gint64 arg)
{
    Pod *pod = obj;
    Cluster *c = (Cluster *) (gintptr) arg;

    (void) e;
    pod->sched_timer = SIM_EVENT_ID_NONE;
    if (!pod->deleted && pod->node == NULL && !pod->in_active_q)
        to_active (c, pod);
}

/* What one unschedulable pod does in a move: FALSE to keep it listed;
 * TRUE when it leaves the list, for activeQ or for a timer at the end of
 * its back-off (or because it is gone or bound). */
static gboolean
move_one (Cluster *c, Pod *pod, guint helps_mask, SimTime now)
{
    if (pod->deleted || pod->node != NULL) {
        listed (c->sched, pod, -1);
        return TRUE;
    }
    if ((pod->sched_fail_mask & helps_mask) == 0)
        return FALSE;
    listed (c->sched, pod, -1);
    if (pod->sched_ready <= now)
        to_active (c, pod);
    else if (pod->sched_timer.gen == 0)
        pod->sched_timer = sim_engine_schedule (c->engine, pod->sched_ready,
                                                &backoff_kind, pod,
                                                (gintptr) c);
    return TRUE;
}

/* Moves the unschedulable pods that `helps` says may now fit and that
 * have waited at least min_stay: to activeQ when their back-off is over,
 * else to a timer at its end. The pods are visited in the order they were
 * listed, across both lists, as one list would have them; the first pod
 * listed less than min_stay ago ends the visit (all after it were listed
 * later still), and when `helps` holds only room codes the second list,
 * whose pods no room helps, is not read. */
static void
move_pods (Cluster *c, guint helps_mask, SimTime min_stay)
{
    Sched *q = c->sched;
    SimTime now = sim_engine_now (c->engine);
    GPtrArray *a = q->unsched_room, *b = q->unsched_other;
    guint i = 0, j = 0, ka = 0, kb = 0;
    guint nb = (helps_mask & ~ROOM_CODES) ? b->len : 0;

    while (i < a->len || j < nb) {
        gboolean from_a = j >= nb
            || (i < a->len && ((Pod *) a->pdata[i])->unsched_seq
                              < ((Pod *) b->pdata[j])->unsched_seq);
        Pod *pod = from_a ? a->pdata[i] : b->pdata[j];

        if (min_stay > 0 && now - pod->unsched_since < min_stay)
            break;
        if (from_a) {
            i++;
            if (!move_one (c, pod, helps_mask, now))
                a->pdata[ka++] = pod;
        } else {
            j++;
            if (!move_one (c, pod, helps_mask, now))
                b->pdata[kb++] = pod;
        }
    }
    /* the rest stays, in its order */
    if (ka < i)
        memmove (a->pdata + ka, a->pdata + i, (a->len - i) * sizeof (Pod *));
    g_ptr_array_set_size (a, a->len - (i - ka));
    if (kb < j)
        memmove (b->pdata + kb, b->pdata + j, (b->len - j) * sizeof (Pod *));
    g_ptr_array_set_size (b, b->len - (j - kb));
}

void
sched__node_changed (Cluster *c)
{
    move_pods (c, ~0u, 0);
}

static void
flush_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    Cluster *c = obj;
    Sched *q = c->sched;

    (void) arg;
    move_pods (c, ~0u, UNSCHED_MAX_STAY);
    q->flush_armed = q->unsched_room->len + q->unsched_other->len > 0;
    if (q->flush_armed)
        sim_engine_schedule_in (e, FLUSH_EVERY, &flush_kind, c, 0);
}

void
sched__unschedulable (Cluster *c, const GPtrArray **room,
                      const GPtrArray **other)
{
    *room = c->sched->unsched_room;
    *other = c->sched->unsched_other;
}

GHashTable *
sched__listed_templates (Cluster *c)
{
    return c->sched->listed_templates;
}

const FilterPod *
sched__template_view (Cluster *c, const KbPodTemplate *tmpl)
{
    return &sched_entry (c, tmpl)->sp;
}

const GPtrArray *
sched__failed_once (Cluster *c)
{
    fresh_compact (c->sched);
    return c->sched->fresh;
}

void
sched__version_changed (Cluster *c)
{
    Sched *q = c->sched;

    /* FailedScheduling wording depends on the control plane's version. */
    g_hash_table_remove_all (q->messages);
    c->sched_gen++;
}

/* ---- what the kubelet tells the scheduler ---------------------------- */

/* A pod ended: it leaves the queues. Eager, so that a deleted pod may be
 * freed at once: a pod ends before it is placed only when it is deleted
 * (rare), so O(queue) is fine. */
static void
pod_ended (Cluster *c, Pod *pod)
{
    Sched *q = c->sched;

    if (pod->sched_timer.gen)
        sim_engine_cancel (c->engine, pod->sched_timer);
    pod->sched_timer = SIM_EVENT_ID_NONE;
    if (pod->in_active_q) {
        active_remove (q, pod);
        pod->in_active_q = FALSE;
    }
    /* Only a pod never bound can wait among the unschedulable ones:
     * record_failure keeps unbound pods alone. */
    while (pod->unsched_entries > 0
           && (g_ptr_array_remove (q->unsched_room, pod)
               || g_ptr_array_remove (q->unsched_other, pod)))
        listed (q, pod, -1);
    if (pod->in_fresh) {
        g_ptr_array_remove (q->fresh, pod);
        pod->in_fresh = FALSE;
    }
}

/* Pods ended or a node was drained: pods that lacked resources or ports
 * may fit now (the queueing hint of NodeResourcesFit and NodePorts). */
static void
room_freed (Cluster *c)
{
    move_pods (c, ROOM_CODES, 0);
}

const KubeletHooks sched__kubelet_hooks = {
    .pod_ended = pod_ended,
    .room_freed = room_freed,
};
