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
 *
 * Filter results for a (template, pool) pair would be the same for every
 * node of the pool but for per-node state; filter_node is cheap enough
 * (no allocation) that the walk calls it per node. NEEDSWORK: cache the
 * static part per pool for 5,000-node clusters (see the bench).
 */
#include "models/model-private.h"

#include <string.h>

#define BACKOFF_INITIAL     SIM_SEC
#define BACKOFF_MAX         (10 * SIM_SEC)
#define UNSCHED_MAX_STAY    (5 * SIM_MINUTE)
#define FLUSH_EVERY         (30 * SIM_SEC)

static void cycle_handler (SimEngine *e, gpointer obj, gint64 arg);
static void backoff_done (SimEngine *e, gpointer obj, gint64 arg);
static void flush_handler (SimEngine *e, gpointer obj, gint64 arg);

static const SimEventKind cycle_kind = { "schedule", cycle_handler };
static const SimEventKind backoff_kind = { "sched-backoff-done",
                                           backoff_done };
static const SimEventKind flush_kind = { "sched-flush", flush_handler };

/* ---- activeQ: a binary heap of pods --------------------------------------- */

static gboolean
pod_before (const Pod *a, const Pod *b)
{
    if (a->priority != b->priority)
        return a->priority > b->priority;
    return a->queue_seq < b->queue_seq;
}

static void
heap_push (GPtrArray *h, Pod *pod)
{
    guint i = h->len;

    g_ptr_array_add (h, pod);
    while (i > 0) {
        guint parent = (i - 1) / 2;

        if (!pod_before (h->pdata[i], h->pdata[parent]))
            break;
        gpointer t = h->pdata[i];
        h->pdata[i] = h->pdata[parent];
        h->pdata[parent] = t;
        i = parent;
    }
}

static Pod *
heap_pop (GPtrArray *h)
{
    Pod *top = h->pdata[0];
    guint i = 0;

    h->pdata[0] = h->pdata[h->len - 1];
    g_ptr_array_set_size (h, h->len - 1);
    for (;;) {
        guint l = 2 * i + 1, r = l + 1, best = i;

        if (l < h->len && pod_before (h->pdata[l], h->pdata[best]))
            best = l;
        if (r < h->len && pod_before (h->pdata[r], h->pdata[best]))
            best = r;
        if (best == i)
            break;
        gpointer t = h->pdata[i];
        h->pdata[i] = h->pdata[best];
        h->pdata[best] = t;
        i = best;
    }
    return top;
}

static void
want_cycle (Cluster *c)
{
    if (!c->cycle_pending && c->active_q->len > 0) {
        c->cycle_pending = TRUE;
        sim_engine_schedule_in (c->engine, 0, &cycle_kind, c, 0);
    }
}

static void
to_active (Cluster *c, Pod *pod)
{
    pod->in_active_q = TRUE;
    pod->queue_seq = c->queue_seq++;
    heap_push (c->active_q, pod);
    want_cycle (c);
}

void
sched__enqueue (Cluster *c, Pod *pod)
{
    pod->sched_ready = sim_engine_now (c->engine);
    to_active (c, pod);
}

/* ---- the SchedPod view, cached per template -------------------------------- */

static void
sched_pod_free (gpointer p)
{
    SchedPod *sp = p;

    sched_pod_clear (sp);
    g_free (sp);
}

const SchedPod *
sched__view (Cluster *c, const Pod *pod)
{
    SchedPod *sp = g_hash_table_lookup (c->sched_pods, pod->tmpl);

    if (sp == NULL) {
        const KbRuntimeClassSpec *rc = NULL;
        const char *conflict = NULL;

        if (pod->tmpl->runtime_class)
            rc = scenario_find_runtime_class (c->s, pod->tmpl->runtime_class);
        sp = g_new0 (SchedPod, 1);
        sched_pod_init (sp, pod->tmpl, rc, pod->cpu, pod->mem, &conflict);
        g_hash_table_insert (c->sched_pods, (gpointer) pod->tmpl, sp);
    }
    return sp;
}

void
sched__init (Cluster *c)
{
    c->active_q = g_ptr_array_new ();
    c->unschedulable = g_ptr_array_new ();
    c->sched_pods = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                           NULL, sched_pod_free);
    c->sched_messages = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                               g_free, NULL);
}

void
sched__clear (Cluster *c)
{
    g_ptr_array_unref (c->active_q);
    g_ptr_array_unref (c->unschedulable);
    g_hash_table_unref (c->sched_pods);
    g_hash_table_unref (c->sched_messages);
    g_free (c->results);
    g_free (c->feasible);
    g_free (c->scores);
}

/* ---- one scheduling attempt --------------------------------------------------- */

static void
ensure_scratch (Cluster *c)
{
    if (c->scratch_len >= c->nodes->len)
        return;
    c->scratch_len = MAX (c->nodes->len, 2 * c->scratch_len);
    c->results = g_renew (FilterResult, c->results, c->scratch_len);
    c->feasible = g_renew (Node *, c->feasible, c->scratch_len);
    c->scores = g_renew (gint64, c->scores, c->scratch_len);
}

static gboolean
image_info (const char *image, const Node *node, gint64 *size,
            guint *n_with, gpointer data)
{
    Cluster *c = data;
    const char *iname = g_hash_table_lookup (c->strings, image);
    const KbImageSpec *img;
    ImageChoice ch;

    if (iname == NULL || !g_hash_table_contains (node->images, iname))
        return FALSE;
    img = cluster__image (c, image);
    ch = image_select (img, node->os, node->arch, &node->build, FALSE);
    *size = ch.manifest ? ch.manifest->size : 0;
    *n_with = GPOINTER_TO_UINT (g_hash_table_lookup (c->image_nodes, iname));
    return TRUE;
}

/* Nodes the scheduler knows: every node that has joined and not left. */
static gboolean
node_listed (const Node *n)
{
    return n->state != NODE_GONE;
}

static Node *
pick_best (Cluster *c, const SchedPod *sp, guint n_feasible, guint n_all)
{
    SimRng *rng;
    gint64 best = G_MININT64;
    guint ties = 0;
    Node *chosen = NULL;

    if (n_feasible == 1)
        return c->feasible[0];
    sched_score_nodes (sp, c->feasible, n_feasible, n_all, image_info, c,
                       c->scores);
    rng = cluster_rng (c, "tie-break");
    /* Reservoir sampling over the best-scoring nodes, as
     * schedule_one.go's selectHost does. */
    for (guint i = 0; i < n_feasible; i++) {
        if (c->scores[i] > best) {
            best = c->scores[i];
            chosen = c->feasible[i];
            ties = 1;
        } else if (c->scores[i] == best) {
            ties++;
            if (sim_rng_uniform_int (rng, ties) == 0)
                chosen = c->feasible[i];
        }
    }
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
    guint64 sig = results_signature (c->results, n);
    const char *msg = g_hash_table_lookup (c->sched_messages, &sig);

    if (msg == NULL) {
        g_autofree char *text = filter_failed_scheduling (c->results, n,
                                                          &c->cp_version);
        guint64 *key = g_new (guint64, 1);

        *key = sig;
        msg = cluster_intern (c, text);
        g_hash_table_insert (c->sched_messages, key, (gpointer) msg);
    }
    return msg;
}

static void
record_failure (Cluster *c, Pod *pod, guint n_all)
{
    const char *msg = failure_message (c, n_all);
    SimTime backoff;

    pod->sched_fail_mask = 0;
    for (guint i = 0; i < n_all; i++)
        pod->sched_fail_mask |= 1u << c->results[i].code;
    if (msg != pod->message) {
        pod->message = msg;
        cluster__emit (c, "Warning", "FailedScheduling", "Pod", pod->name,
                       "%s", msg);
    }
    if (pod->sched_attempts == 0)       /* count pods, not attempts */
        cluster__count_reason (c, "FailedScheduling", pod->os, msg);
    pod->sched_attempts++;
    pod->unsched_since = sim_engine_now (c->engine);
    backoff = BACKOFF_INITIAL << MIN (pod->sched_attempts - 1, 4u);
    pod->sched_ready = sim_engine_now (c->engine) + MIN (backoff,
                                                         BACKOFF_MAX);
    pod->queue_seq = c->queue_seq++;
    g_ptr_array_add (c->unschedulable, pod);
    /* The periodic flush runs only while pods wait, so an idle cluster
     * costs no events. */
    if (!c->flush_armed) {
        c->flush_armed = TRUE;
        sim_engine_schedule_in (c->engine, FLUSH_EVERY, &flush_kind, c, 0);
    }
}

/* A DaemonSet pod is pinned to its node by required affinity on
 * metadata.name, and tolerates the node being cordoned (the controller
 * adds that toleration). NEEDSWORK: the other automatic tolerations
 * (not-ready, unreachable, pressure) arrive with node failures. */
static FilterResult
daemon_filter (const SchedPod *sp, const Pod *pod, Node *node)
{
    FilterResult r;

    if (pod->daemon_node == NULL)
        return filter_node (sp, node);
    if (node != pod->daemon_node) {
        r.code = FILTER_NODE_AFFINITY;
        r.taint = NULL;
        r.insufficient = 0;
        return r;
    }
    if (node->unschedulable) {
        node->unschedulable = FALSE;
        r = filter_node (sp, node);
        node->unschedulable = TRUE;
        return r;
    }
    return filter_node (sp, node);
}

static void
schedule_one (Cluster *c, Pod *pod)
{
    const SchedPod *sp = sched__view (c, pod);
    guint n = c->nodes->len, n_all = 0, n_feasible = 0, want, start;
    guint processed = 0;

    ensure_scratch (c);
    for (guint i = 0; i < n; i++)
        n_all += node_listed (g_ptr_array_index (c->nodes, i));
    want = sched_num_feasible_to_find (n_all, 0);
    start = n ? c->next_start_node % n : 0;
    c->sched_attempts++;
    /* Walk from the rotating start; stop once `want` nodes fit. */
    for (guint k = 0; k < n && n_feasible < want; k++) {
        Node *node = g_ptr_array_index (c->nodes, (start + k) % n);
        FilterResult r;

        if (!node_listed (node))
            continue;
        r = daemon_filter (sp, pod, node);
        c->results[processed++] = r;
        if (r.code == FILTER_OK)
            c->feasible[n_feasible++] = node;
    }
    c->next_start_node = n ? (start + processed) % n : 0;
    if (n_feasible == 0) {
        record_failure (c, pod, processed);
        return;
    }
    c->bindings++;
    pod->message = NULL;
    kubelet__bind (c, pod, pick_best (c, sp, n_feasible, n_all));
}

static void
cycle_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    Cluster *c = obj;

    (void) e;
    (void) arg;
    c->cycle_pending = FALSE;
    while (c->active_q->len > 0) {
        Pod *pod = heap_pop (c->active_q);

        pod->in_active_q = FALSE;
        if (pod->deleted || pod->node != NULL)
            continue;
        schedule_one (c, pod);
    }
}

/* ---- moving pods back ----------------------------------------------------------- */

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

/* Moves the unschedulable pods that `helps` says may now fit: to activeQ
 * when their back-off is over, else to a timer at its end. */
static void
move_pods (Cluster *c, guint helps_mask, SimTime min_stay)
{
    SimTime now = sim_engine_now (c->engine);
    guint kept = 0;

    for (guint i = 0; i < c->unschedulable->len; i++) {
        Pod *pod = g_ptr_array_index (c->unschedulable, i);

        if (pod->deleted || pod->node != NULL)
            continue;
        if ((pod->sched_fail_mask & helps_mask) == 0
            || now - pod->unsched_since < min_stay) {
            c->unschedulable->pdata[kept++] = pod;
            continue;
        }
        if (pod->sched_ready <= now)
            to_active (c, pod);
        else if (pod->sched_timer.gen == 0)
            pod->sched_timer = sim_engine_schedule (c->engine,
                                                    pod->sched_ready,
                                                    &backoff_kind, pod,
                                                    (gintptr) c);
    }
    g_ptr_array_set_size (c->unschedulable, kept);
}

void
sched__pod_freed (Cluster *c)
{
    move_pods (c, 1u << FILTER_RESOURCES | 1u << FILTER_NODE_PORTS, 0);
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

    (void) arg;
    move_pods (c, ~0u, UNSCHED_MAX_STAY);
    c->flush_armed = c->unschedulable->len > 0;
    if (c->flush_armed)
        sim_engine_schedule_in (e, FLUSH_EVERY, &flush_kind, c, 0);
}

void
sched__remove (Cluster *c, Pod *pod)
{
    (void) c;
    /* Lazy: the queue skips deleted or bound pods when it meets them. */
    if (pod->sched_timer.gen)
        sim_engine_cancel (c->engine, pod->sched_timer);
    pod->sched_timer = SIM_EVENT_ID_NONE;
}
