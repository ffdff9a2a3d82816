/* dynamics.c: the cluster changing under its workloads.
 *
 * Timed events from the scenario (upgrades, outages, failures, resizes,
 * cordons, load changes) and random node failures per pool. A failed node
 * stops: its pods make no progress, but for node-monitor-grace-period
 * (40 s, 50 s from 1.32) nobody notices. Then the node lifecycle
 * controller marks it Unknown and taints it node.kubernetes.io/unreachable
 * (NoSchedule and NoExecute), and the taint manager deletes each pod once
 * its toleration of the NoExecute taint runs out: 300 s for pods without
 * their own (the DefaultTolerationSeconds admission plugin), never for
 * DaemonSet pods (their controller tolerates it with no limit). A node
 * that comes back keeps the pods still bound to it: they restart in place
 * (a new sandbox, the images still cached).
 *
 * A rolling pool upgrade works as a managed node pool does: in batches of
 * max_unavailable nodes, each node is cordoned and drained as `kubectl
 * drain --ignore-daemonsets` does (its pods other than DaemonSet pods
 * deleted through the Eviction API and recreated elsewhere by their
 * controllers; the drain waits out their grace period), re-imaged to the
 * new Windows build and/or kubelet for `per_node`, and rejoins with an
 * empty image store but for the images the pool bakes in
 * (prepulled_images); its DaemonSet pods restart there. Images that do
 * not match the new build then fail exactly as the kubelet model says
 * (facts section 2). NEEDSWORK: drains do not consult
 * PodDisruptionBudgets, which the scenario types do not have yet.
 */
#include "models/model-private.h"

#include <string.h>

#include "models/skew.h"

/* The DefaultTolerationSeconds admission plugin gives every pod that
 * does not tolerate node.kubernetes.io/unreachable:NoExecute itself a
 * toleration of it for 300 s (--default-unreachable-toleration-seconds). */
#define DEFAULT_TOLERATION_SECONDS  300
#define TAINT_UNREACHABLE       "node.kubernetes.io/unreachable"
/* terminationGracePeriodSeconds when a pod does not set it (k8s.io/api
 * core/v1 DefaultTerminationGracePeriodSeconds). NEEDSWORK: the loader
 * does not read a pod's own terminationGracePeriodSeconds yet
 * (scenarios/podspec.c lists it as ignored), so every drain waits 30 s;
 * the simulation has no model of how fast a container stops, so the
 * drain waits the whole period, the most it may take. */
#define TERMINATION_GRACE       (30 * SIM_SEC)
/* NEEDSWORK: re-imaging time is not in the reference; Windows nodes take
 * longer to provision (facts 5.4: autoscale + pull 8-10 min). */
#define UPGRADE_PER_NODE_LINUX   (4 * SIM_MINUTE)
#define UPGRADE_PER_NODE_WINDOWS (12 * SIM_MINUTE)
#define SCALE_DELAY_LINUX        (3 * SIM_MINUTE)
#define SCALE_DELAY_WINDOWS      (8 * SIM_MINUTE)

static void event_handler (SimEngine *e, gpointer obj, gint64 arg);
static void node_unknown_handler (SimEngine *e, gpointer obj, gint64 arg);
static void node_evict_handler (SimEngine *e, gpointer obj, gint64 arg);
static void node_fail_handler (SimEngine *e, gpointer obj, gint64 arg);
static void node_repair_handler (SimEngine *e, gpointer obj, gint64 arg);
static void reimaged_handler (SimEngine *e, gpointer obj, gint64 arg);
static void drained_handler (SimEngine *e, gpointer obj, gint64 arg);
static void node_join_handler (SimEngine *e, gpointer obj, gint64 arg);

static const SimEventKind event_kind = { "scenario-event", event_handler };
static const SimEventKind unknown_kind = { "node-monitor-grace",
                                           node_unknown_handler };
static const SimEventKind evict_kind = { "taint-eviction",
                                         node_evict_handler };
static const SimEventKind fail_kind = { "node-failure", node_fail_handler };
static const SimEventKind repair_kind = { "node-repair",
                                          node_repair_handler };
static const SimEventKind reimaged_kind = { "node-reimaged",
                                            reimaged_handler };
static const SimEventKind drained_kind = { "node-drained",
                                           drained_handler };
static const SimEventKind join_kind = { "node-join", node_join_handler };

/* Upgrade runs and node operations live until the cluster is freed
 * (Dynamics.allocs), so an event still pending when a run stops is never a
 * dangling pointer. */
typedef struct {
    Cluster *c;
    const KbEventSpec *ev;
    guint32 *nodes;                 /* node ids to upgrade, in order */
    guint n_nodes;
    guint next;
    guint busy;
    guint skipped;                  /* not Ready when their turn came */
    guint32 *surge;                 /* extra nodes for the upgrade */
    guint n_surge;
    gboolean done;
} UpgradeRun;

struct Dynamics {
    GPtrArray *allocs;              /* UpgradeRun, NodeOp and their arrays,
                                     * owned */
    SimTime pending_duration;       /* node_failure "for", while fanning
                                     * out repairs */
    guint *pool_next_ordinal;       /* per pool: the next node's number */
    guint *pool_upcoming;           /* per pool: nodes provisioning */
    guint *pool_cancelled;          /* per pool: joins still to come that
                                     * were given up (dynamics__cancel_
                                     * upcoming) */
};

/* Callbacks that need the cluster and a node get both through this. */
typedef struct {
    Cluster *c;
    Node *node;
    UpgradeRun *run;
} NodeOp;

static Cluster *the_cluster (const Node *n);

/* ---- node helpers -------------------------------------------------------- */

/* A node leaves the pool-level caches while its labels differ from its
 * pool's (re-imaged to another build) or it carries failure taints. */
static void
update_custom (Cluster *c, Node *node)
{
    cluster__node_set_own_taints (c, node, node->custom_labels
                                           || node->down_since >= 0);
}

static void
add_taint (Node *node, const char *key, KbTaintEffect effect)
{
    KbTaint *t = g_new0 (KbTaint, 1);

    t->key = g_strdup (key);
    t->value = g_strdup ("");
    t->effect = effect;
    g_ptr_array_add (node->taints, t);
}

static void
remove_taints (Node *node, const char *key)
{
    for (guint i = node->taints->len; i > 0; i--) {
        KbTaint *t = g_ptr_array_index (node->taints, i - 1);

        if (strcmp (t->key, key) == 0)
            g_ptr_array_remove_index (node->taints, i - 1);
    }
}

static void
set_cordon (Cluster *c, Node *node, gboolean on)
{
    if (node->unschedulable == on)
        return;
    node->unschedulable = on;
    cluster__sync_node (c, node);
    cluster__emit (c, "Normal", on ? "NodeNotSchedulable" : "NodeSchedulable",
                   "Node", node->name, "Node %s status is now: %s",
                   node->name, on ? "NodeNotSchedulable" : "NodeSchedulable");
    if (!on)
        sched__node_changed (c);
}

/* ---- failures ------------------------------------------------------------ */

/* How long the node lifecycle controller waits for a silent node before
 * it marks it Unknown (monitorNodeHealth, node-monitor-grace-period):
 * the scenario's, else 40 s (pkg/controller/nodelifecycle/config/
 * v1alpha1/defaults.go), 50 s from 1.32 (kubernetes PR #126287). */
static SimTime
monitor_grace (Cluster *c)
{
    SimTime g = c->s->control_plane.node_monitor_grace_period;

    if (g > 0)
        return g;
    return c->cp_version.minor >= 32 ? 50 * SIM_SEC : 40 * SIM_SEC;
}

/* The node's kubelet stops: nothing on it progresses, but the API still
 * shows it Ready until the grace period is over. */
static gboolean
node_down (Cluster *c, Node *node)
{
    if (node->state != NODE_READY)
        return FALSE;
    node->state = NODE_NOT_READY;
    node->down_since = sim_engine_now (c->engine);
    node->down_epoch++;
    update_custom (c, node);
    for (guint i = 0; i < node->pods->len; i++)
        kubelet__freeze (c, g_ptr_array_index (node->pods, i));
    sim_engine_schedule_in (c->engine, monitor_grace (c), &unknown_kind, node,
                            node->down_epoch);
    return TRUE;
}

/* How long the pod tolerates the NoExecute taint: -1 for ever, as the
 * taint manager reckons it (pkg/controller/tainteviction/
 * taint_eviction.go, getMinTolerationTime: the least tolerationSeconds
 * of the tolerations that match, for ever when none gives one). */
static gint64
toleration_seconds (Cluster *c, Pod *pod, const KbTaint *taint)
{
    const GPtrArray *tols = sched__view (c, pod)->tolerations;
    g_autoptr (GPtrArray) one = g_ptr_array_sized_new (1);
    gint64 least = G_MAXINT64;
    gboolean matched = FALSE;

    if (pod->daemon_node && controller__daemon_tolerates (pod->tmpl, taint))
        return -1;
    g_ptr_array_add (one, NULL);
    for (guint i = 0; tols && i < tols->len; i++) {
        const KbToleration *t = g_ptr_array_index (tols, i);

        one->pdata[0] = (gpointer) t;
        if (!filter_tolerates (one, taint))
            continue;
        matched = TRUE;
        if (t->toleration_seconds >= 0)
            least = MIN (least, t->toleration_seconds);
    }
    if (!matched)
        return DEFAULT_TOLERATION_SECONDS;
    return least == G_MAXINT64 ? -1 : least;
}

/* The taint manager's pass over a tainted node: deletes the pods whose
 * toleration has run out since the taint was added, and comes back for
 * the next one. NEEDSWORK: a pod bound after the taint is timed from the
 * taint, not from its binding. */
static void
evict_due (Cluster *c, Node *node)
{
    static const KbTaint taint = { (char *) TAINT_UNREACHABLE, (char *) "",
                                   KB_TAINT_NO_EXECUTE };
    SimTime now = sim_engine_now (c->engine);
    SimTime tainted = node->down_since + monitor_grace (c);
    SimTime next = G_MAXINT64;
    g_autoptr (GPtrArray) pods = g_ptr_array_copy (node->pods, NULL, NULL);

    for (guint i = 0; i < pods->len; i++) {
        Pod *pod = g_ptr_array_index (pods, i);
        gint64 secs;
        SimTime due;

        if (!g_ptr_array_find (node->pods, pod, NULL))
            continue;
        secs = toleration_seconds (c, pod, &taint);
        if (secs < 0)
            continue;
        due = sim_time_add (tainted, secs * SIM_SEC);
        if (due > now) {
            next = MIN (next, due);
            continue;
        }
        cluster__emit (c, "Normal", "TaintManagerEviction", "Pod", pod->name,
                       "Marking for deletion Pod default/%s", pod->name);
        kubelet__evict (c, pod, "the node is unreachable (taint node."
                        "kubernetes.io/unreachable:NoExecute)");
    }
    if (next < G_MAXINT64)
        sim_engine_schedule (c->engine, next, &evict_kind, node,
                             node->down_epoch);
}

/* The grace period is over and the node is still silent: the node
 * lifecycle controller marks it Unknown and taints it. */
static void
node_unknown_handler (SimEngine *e, gpointer obj, gint64 epoch)
{
    Node *node = obj;
    Cluster *c = the_cluster (node);

    (void) e;
    if (node->state != NODE_NOT_READY || node->down_since < 0
        || node->down_epoch != (guint32) epoch)
        return;
    add_taint (node, TAINT_UNREACHABLE, KB_TAINT_NO_SCHEDULE);
    add_taint (node, TAINT_UNREACHABLE, KB_TAINT_NO_EXECUTE);
    update_custom (c, node);
    cluster__sync_node (c, node);
    cluster__emit (c, "Normal", "NodeNotReady", "Node", node->name,
                   "Node %s status is now: NodeNotReady", node->name);
    evict_due (c, node);
}

static void
node_evict_handler (SimEngine *e, gpointer obj, gint64 epoch)
{
    Node *node = obj;
    Cluster *c = the_cluster (node);

    (void) e;
    if (node->state == NODE_NOT_READY && node->down_since >= 0
        && node->down_epoch == (guint32) epoch)
        evict_due (c, node);
}

/* The node is back. The pods still bound to it stay and restart in place;
 * the taints go, if it had been marked Unknown. */
static void
node_up (Cluster *c, Node *node)
{
    gboolean tainted;

    if (node->state != NODE_NOT_READY || node->down_since < 0)
        return;
    tainted = sim_engine_now (c->engine)
              >= node->down_since + monitor_grace (c);
    node->down_total += sim_engine_now (c->engine) - node->down_since;
    node->down_since = -1;
    node->state = NODE_READY;
    remove_taints (node, TAINT_UNREACHABLE);
    update_custom (c, node);
    cluster__sync_node (c, node);
    kubelet__restart_pods (c, node);
    if (tainted)
        cluster__emit (c, "Normal", "NodeReady", "Node", node->name,
                       "Node %s status is now: NodeReady", node->name);
    sched__node_changed (c);
    controller__node_added (c, node);
}

/* Random failures: each node fails after a draw from the pool's time
 * between failures, and is repaired after a draw from its time to repair;
 * over a long run the fraction of node-time down is mttr / (mtbf + mttr). */
static const KbFailureSpec *
failure_rule (Cluster *c, const Node *node)
{
    const KbFailureSpec *all = NULL;

    for (guint i = 0; i < c->s->failures->len; i++) {
        const KbFailureSpec *f = g_ptr_array_index (c->s->failures, i);

        if (f->pool && strcmp (f->pool, node->spec->name) == 0)
            return f;
        if (f->pool == NULL)
            all = f;
    }
    return all;
}

/* The stream PURPOSE/POOL: each pool's failures draw their own numbers,
 * so resizing one pool leaves the others' failures where they were. */
static SimRng *
pool_rng (Cluster *c, const Node *node, const char *purpose)
{
    g_autofree char *name = g_strdup_printf ("%s/%s", purpose,
                                             node->spec->name);

    return cluster_rng (c, name);
}

static void
schedule_failure (Cluster *c, Node *node)
{
    const KbFailureSpec *f = failure_rule (c, node);
    double secs;

    if (f == NULL)
        return;
    secs = sim_dist_sample (&f->time_between,
                            pool_rng (c, node, "node-failure"));
    sim_engine_schedule_in (c->engine, sim_time_from_seconds (secs),
                            &fail_kind, node, 0);
}

static void
node_fail_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    Node *node = obj;
    Cluster *c = the_cluster (node);
    const KbFailureSpec *f = failure_rule (c, node);
    double secs;

    (void) arg;
    if (node->state == NODE_GONE)
        return;
    if (!node_down (c, node)) {
        /* Busy being upgraded or already down: try again later. */
        schedule_failure (c, node);
        return;
    }
    secs = sim_dist_sample (&f->time_to_repair,
                            pool_rng (c, node, "node-repair"));
    sim_engine_schedule_in (e, sim_time_from_seconds (secs), &repair_kind,
                            node, 1);
}

static void
node_repair_handler (SimEngine *e, gpointer obj, gint64 again)
{
    Node *node = obj;
    Cluster *c = the_cluster (node);

    (void) e;
    node_up (c, node);
    if (again && node->state != NODE_GONE)
        schedule_failure (c, node);
}

/* ---- the skew policy's consequences -------------------------------------- */

/* Nodes whose kubelet falls outside the policy against the control plane
 * are flagged; with probability 1 - unsupported_node.ready_probability
 * such a node stops being Ready (facts section 4: Kubernetes does not
 * reject it, so the scenario decides). Drawn once, when a node becomes
 * unsupported. */
static void
apply_skew (Cluster *c)
{
    const KbControlPlaneSpec *cp = &c->s->control_plane;

    for (guint i = 0; i < c->nodes->len; i++) {
        Node *n = g_ptr_array_index (c->nodes, i);
        gboolean outside = skew_kubelet (&c->cp_version, &n->kubelet)
                           != SKEW_OK;

        if (n->state == NODE_GONE || outside == n->unsupported)
            continue;
        n->unsupported = outside;
        if (!outside)
            continue;
        cluster__emit (c, "Warning", "UnsupportedSkew", "Node", n->name,
                       "kubelet outside the version-skew policy");
        if (sim_rng_uniform (cluster_rng (c, "unsupported-nodes"))
            >= cp->unsupported_ready_probability)
            node_down (c, n);   /* not repaired: stays until upgraded */
    }
}

/* ---- upgrades ------------------------------------------------------------ */

static void upgrade_next (UpgradeRun *run);

static void
reimage (Cluster *c, Node *node, const KbEventSpec *ev)
{
    if (ev->has_windows_build && node->os == KB_OS_WINDOWS) {
        g_autofree char *b = g_strdup_printf ("%u.%u.%u",
                                              ev->windows_build.major,
                                              ev->windows_build.minor,
                                              ev->windows_build.build);

        node->build = ev->windows_build;
        kb_labels_set (node->labels, "node.kubernetes.io/windows-build", b);
    }
    if (ev->has_version)
        node->kubelet = ev->version;
    /* Labels now differ from the pool's: no pool-level caching. */
    node->custom_labels = TRUE;
    update_custom (c, node);
    cluster__node_clear_images (c, node);
    for (guint i = 0; i < node->spec->prepulled->len; i++)
        cluster__node_add_image (c, node,
                                 g_ptr_array_index (node->spec->prepulled,
                                                    i));
}

static void
reimaged_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    NodeOp *op = obj;
    Cluster *c = op->c;
    Node *node = op->node;
    UpgradeRun *run = op->run;
    g_autofree char *b = platform_win_version_format (&node->build);
    g_autofree char *k = platform_kube_version_format (&node->kubelet);

    (void) e;
    (void) arg;
    run->busy--;
    if (node->state == NODE_GONE) {     /* removed while being upgraded */
        upgrade_next (run);
        return;
    }
    node->state = NODE_READY;
    node->unschedulable = FALSE;
    cluster__sync_node (c, node);
    kubelet__restart_pods (c, node);
    cluster__emit (c, "Normal", "NodeReady", "Node", node->name,
                   "Node %s rejoined after its upgrade (kubelet %s%s%s)",
                   node->name, k, node->os == KB_OS_WINDOWS ? ", build " : "",
                   node->os == KB_OS_WINDOWS ? b : "");
    sched__node_changed (c);
    controller__node_added (c, node);
    apply_skew (c);
    upgrade_next (run);
}

/* kubectl drain --ignore-daemonsets: every pod but the DaemonSet pods
 * is deleted through the Eviction API (their controllers recreate them
 * elsewhere at once). Returns how many were deleted. */
static guint
drain (Cluster *c, Node *node, const char *why)
{
    g_autoptr (GPtrArray) pods = g_ptr_array_copy (node->pods, NULL, NULL);
    guint n = 0;

    for (guint i = 0; i < pods->len; i++) {
        Pod *pod = g_ptr_array_index (pods, i);

        if (pod->daemon_node || !g_ptr_array_find (node->pods, pod, NULL))
            continue;
        kubelet__evict (c, pod, why);
        n++;
    }
    return n;
}

static void
upgrade_node (UpgradeRun *run, Node *node)
{
    Cluster *c = run->c;
    NodeOp *op = g_new0 (NodeOp, 1);
    guint evicted;

    set_cordon (c, node, TRUE);
    evicted = drain (c, node, "draining the node for an upgrade");
    g_ptr_array_add (c->dynamics->allocs, op);
    op->c = c;
    op->node = node;
    op->run = run;
    run->busy++;
    /* The drain ends when the evicted pods have stopped, within their
     * grace period. */
    sim_engine_schedule_in (c->engine, evicted ? TERMINATION_GRACE : 0,
                            &drained_kind, op, 0);
}

/* Drained: the node goes down for its re-image; its DaemonSet pods stay
 * bound and stop with it. */
static void
drained_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    NodeOp *op = obj;
    Cluster *c = op->c;
    Node *node = op->node;
    UpgradeRun *run = op->run;
    SimTime per_node = run->ev->per_node > 0 ? run->ev->per_node
                       : node->os == KB_OS_WINDOWS ? UPGRADE_PER_NODE_WINDOWS
                                                   : UPGRADE_PER_NODE_LINUX;

    (void) arg;
    if (node->state != NODE_READY) {    /* removed or failed meanwhile */
        run->busy--;
        if (node->state == NODE_NOT_READY)
            run->skipped++;
        upgrade_next (run);
        return;
    }
    node->state = NODE_NOT_READY;
    for (guint i = 0; i < node->pods->len; i++)
        kubelet__freeze (c, g_ptr_array_index (node->pods, i));
    cluster__sync_node (c, node);
    reimage (c, node, run->ev);
    sim_engine_schedule_in (e, per_node, &reimaged_kind, op, 0);
}

static void
upgrade_next (UpgradeRun *run)
{
    Cluster *c = run->c;
    guint batch = run->ev->max_unavailable > 0
                  ? (guint) run->ev->max_unavailable : 1;

    while (run->busy < batch && run->next < run->n_nodes) {
        Node *node = g_ptr_array_index (c->nodes, run->nodes[run->next++]);

        if (node->state == NODE_READY)
            upgrade_node (run, node);
        else if (node->state == NODE_NOT_READY)
            run->skipped++;
    }
    if (run->busy == 0 && run->next >= run->n_nodes && !run->done) {
        run->done = TRUE;
        /* The surge nodes leave once the pool is upgraded. */
        for (guint i = 0; i < run->n_surge; i++) {
            Node *n = g_ptr_array_index (c->nodes, run->surge[i]);

            if (n->state != NODE_GONE)
                dynamics__remove_node (c, n);
        }
        if (run->skipped)
            cluster__emit (c, "Warning", "UpgradeIncomplete", "NodePool",
                           run->ev->pool, "Upgrade of %s finished; %u "
                           "node(s) skipped because they were not Ready",
                           run->ev->pool, run->skipped);
        else
            cluster__emit (c, "Normal", "UpgradeComplete", "NodePool",
                           run->ev->pool, "All nodes of %s upgraded",
                           run->ev->pool);
    }
}

static gint
pool_index (Cluster *c, const char *name)
{
    for (guint i = 0; i < c->s->pools->len; i++)
        if (strcmp (((KbPoolSpec *) g_ptr_array_index (c->s->pools, i))->name,
                    name) == 0)
            return (gint) i;
    return -1;
}

static void
start_upgrade (Cluster *c, const KbEventSpec *ev)
{
    UpgradeRun *run = g_new0 (UpgradeRun, 1);
    gint pool = pool_index (c, ev->pool);

    g_ptr_array_add (c->dynamics->allocs, run);
    run->c = c;
    run->ev = ev;
    run->nodes = g_new (guint32, c->nodes->len + 1);
    g_ptr_array_add (c->dynamics->allocs, run->nodes);
    for (guint i = 0; i < c->nodes->len; i++) {
        Node *n = g_ptr_array_index (c->nodes, i);

        if ((gint) n->pool == pool && n->state != NODE_GONE)
            run->nodes[run->n_nodes++] = n->id;
    }
    cluster__emit (c, "Normal", "UpgradeStarted", "NodePool", ev->pool,
                   "Upgrading %u node(s), %" G_GINT64_FORMAT " at a time",
                   run->n_nodes, MAX ((gint64) 1, ev->max_unavailable));
    /* max_surge extra nodes, already on the new version, carry pods while
     * old ones are away. NEEDSWORK: they join at once rather than after
     * the pool's provisioning delay. */
    run->n_surge = ev->max_surge > 0 ? (guint) ev->max_surge : 0;
    run->surge = g_new (guint32, run->n_surge + 1);
    g_ptr_array_add (c->dynamics->allocs, run->surge);
    for (guint k = 0; k < run->n_surge; k++) {
        Node *n = cluster__add_node (c, (guint) pool,
                                     c->dynamics->pool_next_ordinal[pool]++);

        reimage (c, n, ev);
        run->surge[k] = n->id;
        cluster__emit (c, "Normal", "RegisteredNode", "Node", n->name,
                       "Surge node %s joined for the upgrade", n->name);
        sched__node_changed (c);
        controller__node_added (c, n);
    }
    upgrade_next (run);
}

/* ---- the control plane --------------------------------------------------- */

static void
upgrade_control_plane (Cluster *c, const KbEventSpec *ev)
{
    g_autoptr (GArray) kubelets = g_array_new (FALSE, FALSE,
                                               sizeof (KubeVersion));
    g_autoptr (GError) error = NULL;
    g_autofree char *from = platform_kube_version_format (&c->cp_version);
    g_autofree char *to = platform_kube_version_format (&ev->version);

    for (guint i = 0; i < c->nodes->len; i++) {
        const Node *n = g_ptr_array_index (c->nodes, i);

        if (n->state != NODE_GONE)
            g_array_append_val (kubelets, n->kubelet);
    }
    if (!skew_check_upgrade (&c->cp_version, &ev->version,
                             (KubeVersion *) kubelets->data, kubelets->len,
                             &error)) {
        cluster__count_reason (c, "ControlPlaneUpgradeRefused", KB_OS_LINUX,
                               error->message);
        if (c->s->control_plane.skew_policy == KB_SKEW_ENFORCE) {
            cluster__emit (c, "Warning", "UpgradeRefused", "ControlPlane",
                           "kube-apiserver", "%s -> %s refused: %s", from,
                           to, error->message);
            return;
        }
        cluster__emit (c, "Warning", "UnsupportedSkew", "ControlPlane",
                       "kube-apiserver", "%s -> %s outside the skew policy "
                       "(skew_policy: warn): %s", from, to, error->message);
    }
    c->cp_version = ev->version;
    sched__version_changed (c);
    apply_skew (c);
    cluster__emit (c, "Normal", "Upgraded", "ControlPlane", "kube-apiserver",
                   "Control plane upgraded from %s to %s", from, to);
}

/* ---- resizing ------------------------------------------------------------ */

static void
node_join_handler (SimEngine *e, gpointer obj, gint64 pool)
{
    Cluster *c = obj;
    Node *node;

    (void) e;
    if (c->dynamics->pool_cancelled[pool] > 0) {
        c->dynamics->pool_cancelled[pool]--;    /* given up meanwhile */
        return;
    }
    c->dynamics->pool_upcoming[pool]--;
    node = cluster__add_node (c, (guint) pool,
                              c->dynamics->pool_next_ordinal[pool]++);
    cluster__emit (c, "Normal", "RegisteredNode", "Node", node->name,
                   "Node %s event: Registered Node %s in Controller",
                   node->name, node->name);
    sched__node_changed (c);
    controller__node_added (c, node);
    schedule_failure (c, node);
}

void
dynamics__add_node_later (Cluster *c, guint pool, SimTime delay)
{
    c->dynamics->pool_upcoming[pool]++;
    sim_engine_schedule_in (c->engine, delay, &join_kind, c, pool);
}

void
dynamics__cancel_upcoming (Cluster *c, guint pool, guint n)
{
    Dynamics *d = c->dynamics;

    n = MIN (n, d->pool_upcoming[pool]);
    d->pool_upcoming[pool] -= n;
    d->pool_cancelled[pool] += n;
}

void
dynamics__keep (Cluster *c, gpointer block)
{
    g_ptr_array_add (c->dynamics->allocs, block);
}

void
dynamics__remove_node (Cluster *c, Node *node)
{
    set_cordon (c, node, TRUE);
    kubelet__evict_node (c, node, "the node was removed");
    /* DaemonSet pods still waiting for this node go with it. */
    for (guint i = 0; i < c->workloads->len; i++) {
        Workload *w = g_ptr_array_index (c->workloads, i);

        for (guint k = w->pods->len; k > 0; k--) {
            Pod *p = g_ptr_array_index (w->pods, k - 1);

            if (p->daemon_node == node)
                kubelet__evict (c, p, "the node was removed");
        }
    }
    node->state = NODE_GONE;
    node->removed = sim_engine_now (c->engine);
    c->n_listed--;
    cluster__node_clear_images (c, node);
    cluster__emit (c, "Normal", "RemovingNode", "Node", node->name,
                   "Node %s event: Removing Node %s from Controller",
                   node->name, node->name);
}

static void
scale_pool (Cluster *c, const KbEventSpec *ev)
{
    gint pool = pool_index (c, ev->pool);
    const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool);
    gint64 have = 0;
    SimTime delay = p->autoscale.enabled ? p->autoscale.provision_delay
                    : p->os == KB_OS_WINDOWS ? SCALE_DELAY_WINDOWS
                                             : SCALE_DELAY_LINUX;

    for (guint i = 0; i < c->nodes->len; i++) {
        Node *n = g_ptr_array_index (c->nodes, i);

        have += (gint) n->pool == pool && n->state != NODE_GONE;
    }
    for (gint64 k = have; k < ev->count; k++)
        dynamics__add_node_later (c, (guint) pool, delay);
    /* Scale-in removes the newest nodes first. */
    for (guint i = c->nodes->len; i > 0 && have > ev->count; i--) {
        Node *n = g_ptr_array_index (c->nodes, i - 1);

        if ((gint) n->pool == pool && n->state != NODE_GONE) {
            dynamics__remove_node (c, n);
            have--;
        }
    }
}

/* ---- dispatch ------------------------------------------------------------ */

static void
for_target_nodes (Cluster *c, const KbEventSpec *ev, gint64 limit,
                  void (*fn) (Cluster *c, Node *node))
{
    gint pool = ev->pool ? pool_index (c, ev->pool) : -1;
    gint64 done = 0;

    for (guint i = 0; i < c->nodes->len && (limit < 0 || done < limit); i++) {
        Node *n = g_ptr_array_index (c->nodes, i);

        if (n->state == NODE_GONE)
            continue;
        if ((ev->node && strcmp (ev->node, n->name) == 0)
            || (ev->node == NULL && (gint) n->pool == pool)) {
            fn (c, n);
            done++;
        }
    }
}

static void
cordon_fn (Cluster *c, Node *n)
{
    set_cordon (c, n, TRUE);
}

static void
uncordon_fn (Cluster *c, Node *n)
{
    set_cordon (c, n, FALSE);
}

/* Takes a node down and, when the event gives a duration, brings it back
 * then; nodes that were not Ready (upgrading, already down) are left. */
static void
fail_fn (Cluster *c, Node *n)
{
    SimTime d = c->dynamics->pending_duration;

    if (node_down (c, n) && d > 0)
        sim_engine_schedule_in (c->engine, d, &repair_kind, n, 0);
}

static void
node_failure_event (Cluster *c, const KbEventSpec *ev)
{
    /* A named node, or `count` nodes of the pool chosen at random. */
    if (ev->node == NULL && ev->count > 0) {
        gint pool = pool_index (c, ev->pool);
        g_autoptr (GPtrArray) ready = g_ptr_array_new ();
        SimRng *rng = cluster_rng (c, "node-failure-event");

        for (guint i = 0; i < c->nodes->len; i++) {
            Node *n = g_ptr_array_index (c->nodes, i);

            if ((gint) n->pool == pool && n->state == NODE_READY)
                g_ptr_array_add (ready, n);
        }
        for (gint64 k = 0; k < ev->count && ready->len > 0; k++) {
            guint pick = sim_rng_uniform_int (rng, ready->len);
            Node *n = g_ptr_array_steal_index_fast (ready, pick);

            if (node_down (c, n) && ev->duration > 0)
                sim_engine_schedule_in (c->engine, ev->duration,
                                        &repair_kind, n, 0);
        }
        return;
    }
    c->dynamics->pending_duration = ev->duration;
    for_target_nodes (c, ev, ev->node ? 1 : -1, fail_fn);
}

static void
event_handler (SimEngine *e, gpointer obj, gint64 index)
{
    Cluster *c = obj;
    const KbEventSpec *ev = g_ptr_array_index (c->s->events, index);
    Registry *reg;
    Workload *w = NULL;

    (void) e;
    if (ev->workload)
        for (guint i = 0; i < c->workloads->len && w == NULL; i++)
            if (strcmp (((Workload *) g_ptr_array_index (
                            c->workloads, i))->spec->name, ev->workload) == 0)
                w = g_ptr_array_index (c->workloads, i);
    switch (ev->action) {
    case KB_EVENT_UPGRADE_POOL:
        start_upgrade (c, ev);
        break;
    case KB_EVENT_UPGRADE_CONTROL_PLANE:
        upgrade_control_plane (c, ev);
        break;
    case KB_EVENT_REGISTRY_OUTAGE:
        reg = cluster__registry (c, ev->registry);
        reg->down_until = sim_time_add (sim_engine_now (c->engine),
                                        ev->duration);
        {
            g_autofree char *d = sim_time_format_short (ev->duration);

            cluster__emit (c, "Warning", "RegistryOutage", "Registry",
                           reg->spec->name, "%s unreachable for %s",
                           reg->spec->host, d);
        }
        kubelet__registry_down (c, reg);
        break;
    case KB_EVENT_NODE_FAILURE:
        node_failure_event (c, ev);
        break;
    case KB_EVENT_SCALE_POOL:
        scale_pool (c, ev);
        break;
    case KB_EVENT_CORDON:
        for_target_nodes (c, ev, -1, cordon_fn);
        break;
    case KB_EVENT_UNCORDON:
        for_target_nodes (c, ev, -1, uncordon_fn);
        break;
    case KB_EVENT_SET_REPLICAS:
        if (w)
            controller__set_replicas (c, w, ev->count);
        break;
    case KB_EVENT_SET_RATE:
        if (w)
            controller__set_rate (c, w, ev->rate);
        break;
    case KB_EVENT_ROLLOUT:
        if (w)
            controller__rollout (c, w, ev->image, ev->max_surge,
                                 ev->max_unavailable);
        break;
    }
}

static Cluster *
the_cluster (const Node *n)
{
    return n->cluster;
}

void
dynamics__apply_skew (Cluster *c)
{
    apply_skew (c);
}

Dynamics *
dynamics__new (Cluster *c)
{
    Dynamics *d = g_new0 (Dynamics, 1);

    d->allocs = g_ptr_array_new_with_free_func (g_free);
    d->pool_next_ordinal = g_new0 (guint, c->s->pools->len);
    d->pool_upcoming = g_new0 (guint, c->s->pools->len);
    d->pool_cancelled = g_new0 (guint, c->s->pools->len);
    for (guint i = 0; i < c->s->pools->len; i++)
        d->pool_next_ordinal[i] =
            (guint) ((KbPoolSpec *) g_ptr_array_index (c->s->pools, i))->count;
    return d;
}

void
dynamics__free (Dynamics *d)
{
    if (d == NULL)
        return;
    g_ptr_array_unref (d->allocs);
    g_free (d->pool_next_ordinal);
    g_free (d->pool_upcoming);
    g_free (d->pool_cancelled);
    g_free (d);
}

guint
dynamics__pool_upcoming (Cluster *c, guint pool)
{
    return c->dynamics->pool_upcoming[pool];
}

void
dynamics__start (Cluster *c)
{
    for (guint i = 0; i < c->s->events->len; i++) {
        const KbEventSpec *ev = g_ptr_array_index (c->s->events, i);

        sim_engine_schedule (c->engine, ev->at, &event_kind, c, i);
    }
    for (guint i = 0; i < c->nodes->len; i++)
        schedule_failure (c, g_ptr_array_index (c->nodes, i));
}
