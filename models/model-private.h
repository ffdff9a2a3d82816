/* model-private.h: what the files of models/ share. Not for use outside
 * models/.
 *
 * The files stand in floors, from the store up; each uses names defined
 * in the floors below it only:
 *
 *   cluster.c       the store: nodes, pods, workloads and their counters
 *   cost.c          the cost a pod accrues on its node
 *   kubelet.c       a bound pod's way to Running and its end
 *   sched.c         the scheduling queue and cycle
 *   controller.c    the workload controllers that create pods
 *   dynamics.c      timed events, failures, upgrades, resizes
 *   autoscaler.c    the cluster autoscaler
 *   assemble.c      puts a cluster together from all of these, starts it
 *
 * Beside them: spec.c, platform.c, skew.c, image.c and filter.c are pure
 * functions on the scenario's types and on nodes, which every floor may
 * call; metrics.c and explain.c read the store (explain.c also the
 * scheduler's view of a pod); desktop.c and catalog.c need no cluster.
 *
 * struct Cluster is the store: the shared hot data every model reads and
 * updates directly. Each model's own state is a struct defined in its own
 * .c, reached through the pointer the store keeps for it; no other file
 * touches its fields.
 */
#ifndef KBSIM_MODEL_PRIVATE_H
#define KBSIM_MODEL_PRIVATE_H

#include "models/cluster.h"
#include "models/filter.h"
#include "models/image.h"

G_BEGIN_DECLS

typedef struct PullJob PullJob;         /* kubelet.c */
typedef struct Kubelet Kubelet;         /* kubelet.c */
typedef struct Sched Sched;             /* sched.c */
typedef struct Controller Controller;   /* controller.c */
typedef struct Dynamics Dynamics;       /* dynamics.c */
typedef struct Autoscaler Autoscaler;   /* autoscaler.c */
typedef struct SpreadView SpreadView;   /* spread.c */

/* A registry as the simulation sees it: its transfers, and what its
 * aggregate link did (kubelet.c keeps the figures; metrics.c reads them
 * through cluster_registry_stats). */
typedef struct {
    const KbRegistrySpec *spec;
    GPtrArray *transfers;           /* PullJob *, in the transfer phase */
    SimTime down_until;             /* an outage lasts until then */
    guint n_capped;                 /* transfers held back by the
                                     * aggregate cap now */
    SimTime since;                  /* the figures below run to here */
    double busy_seconds;            /* with at least one transfer */
    double bound_seconds;           /* with the aggregate cap binding */
    double transfer_seconds;        /* summed over transfers */
    double capped_seconds;          /* summed over transfers held back */
    gint64 transfers_done;
    gint64 bytes;
} Registry;

/* What a scheduling walk reads of every node, kept in one dense array so
 * that a walk over thousands of nodes stays in cache; cluster__sync_node
 * refreshes a node's entry after any change to these fields. */
enum {
    HOT_GONE = 1 << 0,
    HOT_UNSCHEDULABLE = 1 << 1,
    HOT_OWN_TAINTS = 1 << 2
};

typedef struct {
    guint32 pool;
    guint32 flags;
    guint32 version;
    guint32 run_end;        /* one past the last node of its pool run */
    gint64 cpu_free;        /* allocatable - requested */
    gint64 mem_free;
    gint64 pods_free;
} NodeHot;

/* The pods of one template bound to nodes, node by node: what
 * PodTopologySpread counts (spread.c). Pods of one template share their
 * labels, owner and namespace, so any label selector matches all of them
 * or none. Kept by cluster__node_take and cluster__node_give_back, so
 * that counting a domain costs the nodes that hold the template's pods,
 * never a scan of every pod. */
typedef struct {
    const KbPodTemplate *tmpl;
    const KbWorkloadSpec *owner;    /* the workload it belongs to, or
                                     * NULL (not the scenario's) */
    GHashTable *by_node;            /* node id + 1 -> count, both
                                     * GUINT_TO_POINTER; no zero counts */
    gint64 total;
} TmplPods;

/* Counts of failure reasons for the summary: reason -> count and the
 * first message seen. */
typedef struct {
    char *reason;
    KbOs os;
    gint64 count;
    char *example;
} ReasonCount;

struct Cluster {
    const Scenario *s;
    guint replication;
    SimEngine *engine;
    GPtrArray *nodes;               /* Node *, owned */
    GPtrArray *pods;                /* Pod *, owned */
    GPtrArray *workloads;           /* Workload *, owned */
    GHashTable *strings;            /* interned strings */
    GHashTable *rngs;               /* purpose -> SimRng * */
    GHashTable *registries;         /* name -> Registry * */
    GHashTable *image_nodes;        /* interned image -> node count */
    GHashTable *image_pulls;        /* interned image -> ImagePullStats */
    OsCounters counters[KB_N_OS];
    KubeVersion cp_version;

    /* the nodes as a scheduling walk reads them */
    guint n_listed;                 /* nodes not gone */
    NodeHot *hot;                   /* by node id */
    guint hot_cap;
    guint *pool_own_taints;         /* per pool: nodes with own_taints */
    guint64 sched_gen;              /* bumped by every cluster__sync_node
                                     * and control-plane version change:
                                     * what a filter reads has changed */
    guint64 image_epoch;            /* bumped when any node gains an
                                     * image or the node count changes
                                     * (ImageLocality's spread) */
    GHashTable *tmpl_pods;          /* KbPodTemplate * -> TmplPods *:
                                     * bound pods by template and node */
    GPtrArray *tmpl_pods_list;      /* the same TmplPods *, in the order
                                     * first bound (selectors walk it) */

    /* statistics */
    GHashTable *reasons;            /* "reason\tos" -> ReasonCount * */
    GArray *time_to_running[KB_N_OS];   /* double seconds */
    gint64 pulls;
    gint64 deleted[KB_N_OS];        /* pods deleted through the API: their
                                     * records end Failed (Evicted), but
                                     * the figures count them apart */
    gint64 pull_bytes[KB_N_OS];
    double pull_seconds[KB_N_OS];

    /* retention: finished pods may be dropped (long runs) */
    gboolean drop_finished;
    ClusterPodFunc pod_hook;
    gpointer pod_hook_data;

    /* cost accrued by pods as they leave their nodes */
    double *workload_cost;          /* by workload index */
    double pod_running_hours;

    /* output */
    ClusterEventFunc event_sink;
    gpointer event_data;
    GHashTable *pod_namespaces;     /* pod name -> namespace (the spec's),
                                     * for pods outside "default" only */

    /* the models' own state, owned by assemble.c */
    Kubelet *kubelet;
    Sched *sched;
    Controller *controller;
    Dynamics *dynamics;
    Autoscaler *autoscaler;         /* NULL without autoscaled pools; kept
                                     * by dynamics__keep */
};

/* cluster.c */
/* The store of a new cluster: its nodes (from the scenario's pools),
 * registries and counters, with no model started. (transfer full):
 * cluster__store_free(), after every model let go of it. */
Cluster *cluster__store_new (const Scenario *s, guint replication);
void   cluster__store_free (Cluster *c);
/* An event about kind/object. cluster__emit finds a Pod's namespace by
 * its name and files every other kind under "default" (cluster-scoped
 * objects); cluster__emit_in names the namespace (a controller's own
 * objects). */
void   cluster__emit (Cluster *c, const char *type, const char *reason,
                      const char *kind, const char *object,
                      const char *format, ...) G_GNUC_PRINTF (6, 7);
void   cluster__emit_in (Cluster *c, const char *ns, const char *type,
                         const char *reason, const char *kind,
                         const char *object, const char *format, ...)
    G_GNUC_PRINTF (7, 8);
void   cluster__count_reason (Cluster *c, const char *reason, KbOs os,
                              const char *message);
/* A pod's requests, scoring extras, pod slot and host ports on a node:
 * take adds them, give_back removes them (bumping the node's version and
 * refreshing its hot entry). Neither touches node->pods or the pod: the
 * kubelet binds and releases with them, and headroom.c counts copies of
 * a pod that never exist as pods. */
void   cluster__node_take (Cluster *c, Node *node, const Pod *pod);
void   cluster__node_give_back (Cluster *c, Node *node, const Pod *pod);
/* The template's bound pods, or NULL while none was ever bound.
 * (transfer none): valid for the cluster's life. */
const TmplPods *cluster__tmpl_pods (Cluster *c, const KbPodTemplate *t);
/* How many of them are bound to the node (tp may be NULL: 0). */
guint  cluster__tmpl_pods_on (const TmplPods *tp, guint32 node_id);
/* The scenario's workload whose pods a template makes: the pod's own
 * workload, else the one whose template it is; NULL for neither. */
const KbWorkloadSpec *cluster__template_owner (Cluster *c,
                                               const KbPodTemplate *t,
                                               const Workload *w);
/* Binds a pod to a node (ContainerCreating), keeping the counters. */
void   cluster__bind_node (Cluster *c, Pod *pod, Node *node);
void   cluster__set_reason (Cluster *c, Pod *pod, PodReason reason);
void   cluster__set_phase (Cluster *c, Pod *pod, PodPhase phase,
                           PodReason reason);
/* A new Pending pod of w named "<prefix>-<ordinal>": prefix NULL means
 * the workload's name and its next ordinal. */
Pod   *cluster__new_pod (Cluster *c, Workload *w, const char *prefix,
                         guint ordinal);
/* The last step of a pod that Succeeded or Failed, once every model is
 * done with it: the pod hook sees it, then it may be freed. */
void   cluster__pod_done (Cluster *c, Pod *pod);
Registry *cluster__registry (Cluster *c, const char *name);
KbOs   cluster__workload_os (Cluster *c, const KbPodTemplate *t);
/* A template's effective requests (largest of the containers' sum and
 * any init container). */
void   cluster__pod_requests (const KbPodTemplate *t, gint64 *cpu,
                              gint64 *mem);
Node  *cluster__add_node (Cluster *c, guint pool_index, guint ordinal);
/* Refreshes c->hot for a node after its state, flags, requests, images or
 * run changed. */
void   cluster__sync_node (Cluster *c, const Node *node);
/* Marks an image (and its layers) present on a node. */
void   cluster__node_add_image (Cluster *c, Node *node, const char *name);
/* A node's taints or labels differ from its pool's (own), or agree again:
 * the pool-level caches skip it while they differ. */
void   cluster__node_set_own_taints (Cluster *c, Node *node, gboolean own);
void   cluster__node_clear_images (Cluster *c, Node *node);
const KbImageSpec *cluster__image (Cluster *c, const char *name);

/* cost.c */
void   cost__pod_released (Cluster *c, const Pod *pod, const Node *node);

/* kubelet.c
 *
 * How a pod ends, and who hears of it. The kubelet alone ends pods, in
 * one function (end_pod in kubelet.c): a pod Succeeds (its Job ran its
 * time), Fails (admission, a node outside the skew policy) or is deleted
 * through the API (kubelet__evict, kubelet__evict_node: drains, failed
 * nodes, scale-down, rollouts). The models above the kubelet learn of it
 * through KubeletHooks, never by being called from below, and nobody who
 * ends a pod has a follow-up call to make. Ending a pod:
 *
 *   1. the phase and reason are set (the counters follow), the node's
 *      resources and ports are freed, the pod's timers and pull let go;
 *   2. every table's pod_ended sees the pod, in the order the tables were
 *      added: the scheduler's (the pod leaves its queues), then the
 *      controllers' (replacement, the next pods of a Job, a rollout's
 *      next step);
 *   3. cluster__pod_done: the store's pod hook sees it, then the pod may
 *      be freed (cluster_set_drop_finished), so no table keeps a pointer
 *      to it past its pod_ended;
 *   4. when the kubelet call that ended pods returns, every table's
 *      room_freed, once for the call: after the pod for kubelet__evict
 *      (if it had not ended already) and the kubelet's own ends, after
 *      the whole node for kubelet__evict_node (even a node that held no
 *      pod). The scheduler
 *      moves pods that lacked resources or ports back to activeQ.
 *
 * Every pod that reaches Running is shown to pod_running (rollouts).
 * Hooks may call down again (a controller's pod_ended may create pods or
 * delete more, which nests steps 1 to 4). A controller that deletes a
 * pod itself takes it out of its workload first, so its pod_ended knows
 * not to replace it. assemble.c adds the tables; a NULL entry is
 * skipped.
 */
typedef struct {
    void (*pod_running) (Cluster *c, Pod *pod);
    void (*pod_ended) (Cluster *c, Pod *pod);
    void (*room_freed) (Cluster *c);
} KubeletHooks;

/* (transfer full): kubelet__free(), which frees the pulls under way. */
Kubelet *kubelet__new (void);
void   kubelet__free (Kubelet *k);
/* Adds a table (transfer none: a static table outlives the kubelet). */
void   kubelet__add_hooks (Kubelet *k, const KubeletHooks *hooks);
/* Binds a pod to a node (the scheduler's choice, or spec.nodeName) and
 * starts it there: admission, sandbox, pulls, containers. */
void   kubelet__bind (Cluster *c, Pod *pod, Node *node);
/* Deletes a pod through the API (drains, the taint manager, scale-down,
 * controllers): its record ends Failed with reason Evicted and counts in
 * c->deleted (not a failure in the figures); nothing happens to a pod
 * that ended already. */
void   kubelet__evict (Cluster *c, Pod *pod, const char *message);
/* Deletes every pod bound to the node, then room_freed once. */
void   kubelet__evict_node (Cluster *c, Node *node, const char *message);
/* The pod's node stopped: the pod keeps its status but makes no
 * progress (its timer stops, its pull is abandoned). */
void   kubelet__freeze (Cluster *c, Pod *pod);
/* The node's kubelet runs again after an outage or a re-image: every pod
 * still bound restarts in place (new sandbox, containers started again,
 * pulling only images the node no longer holds). */
void   kubelet__restart_pods (Cluster *c, Node *node);
/* A registry outage begins: transfers in flight from it fail. */
void   kubelet__registry_down (Cluster *c, Registry *reg);

/* sched.c */
/* (transfer full): sched__free(). */
Sched *sched__new (void);
void   sched__free (Sched *q);
/* What the scheduler hears from the kubelet: ended pods leave its
 * queues; freed room retries the pods that lacked it. */
extern const KubeletHooks sched__kubelet_hooks;
void   sched__enqueue (Cluster *c, Pod *pod);
/* A node appeared or changed (joined, uncordoned, Ready again): every
 * waiting pod may fit now. */
void   sched__node_changed (Cluster *c);
const FilterPod *sched__view (Cluster *c, const Pod *pod);
/* One scheduling attempt for pod, as the cycle makes it (the rotating
 * start node, numFeasibleNodesToFind, scoring, the tie-break draw), that
 * neither binds the pod nor queues it: the node chosen, or NULL with
 * *message set to the FailedScheduling text ((transfer none): interned
 * in the cluster). The pod need not be in the store; pod->tmpl, os and
 * daemon_node are read. */
Node  *sched__pick_node (Cluster *c, Pod *pod, const char **message);
/* Drops what the scheduler caches for a template (before a caller frees
 * a template that is not the scenario's). */
void   sched__forget_template (Cluster *c, const KbPodTemplate *tmpl);
/* The control plane's version changed. */
void   sched__version_changed (Cluster *c);
/* The pods whose last attempt failed, waiting for a cluster change; it
 * may still hold pods deleted or bound since. (transfer none): valid
 * until the scheduler next runs. */
/* The pods waiting for a cluster event, in two lists (those whose last
 * failure freed room may mend, and the others); each may hold pods since
 * deleted or bound: check. */
void sched__unschedulable (Cluster *c, const GPtrArray **room,
                           const GPtrArray **other);
/* The templates of the pods listed among the unschedulable, each with
 * how many entries (a superset: pods since deleted or bound count until
 * they leave the lists). (transfer none) */
GHashTable *sched__listed_templates (Cluster *c);
/* The filters' view of a template, as sched__view() gives a pod's. */
const FilterPod *sched__template_view (Cluster *c, const KbPodTemplate *tmpl);
/* The unschedulable pods whose only attempt failed, and maybe some that
 * no longer are: check sched_attempts == 1 and node == NULL. */
const GPtrArray *sched__failed_once (Cluster *c);

/* spread.c: PodTopologySpread over the store's counts */
/* A template's spreading rules: its own topologySpreadConstraints, or
 * the system defaults its owner (w's, or the scenario workload whose
 * template it is) calls for. (transfer full): spread__view_free(). */
SpreadView *spread__view_new (Cluster *c, const KbPodTemplate *tmpl,
                              const Workload *w);
void   spread__view_free (SpreadView *v);
/* Adds PodTopologySpread's weighted score of each of the n filtered
 * nodes to totals[0..n-1] (nothing when the pod has no ScheduleAnyway
 * rule). */
void   spread__score (Cluster *c, SpreadView *v, const FilterPod *sp,
                      Node *const *nodes, guint n, gint64 *totals);
/* Whether the pod has DoNotSchedule constraints. Then, once per attempt,
 * spread__prefilter counts the domains, and spread__filter judges a node
 * that passed the other filters: FILTER_OK, FILTER_SPREAD or
 * FILTER_SPREAD_LABEL. */
gboolean spread__has_filter (const SpreadView *v);
void   spread__prefilter (Cluster *c, SpreadView *v, const FilterPod *sp);
FilterCode spread__filter (const SpreadView *v, const Node *node);

/* controller.c */
/* Builds the workloads into the store; controller__start_workloads(),
 * from the cluster's t=0 start event, creates their first pods.
 * (transfer full): controller__free(). */
Controller *controller__new (Cluster *c);
void   controller__free (Controller *ctl);
/* What the controllers hear from the kubelet: a pod Running (rollouts
 * advance), a pod ended (replaced, or a Job goes on). */
extern const KubeletHooks controller__kubelet_hooks;
void   controller__start_workloads (Cluster *c);
void   controller__node_added (Cluster *c, Node *node);
void   controller__set_replicas (Cluster *c, Workload *w, gint64 n);
void   controller__set_rate (Cluster *c, Workload *w, double rate);
/* A rolling update of w to a new image (Deployments). */
void   controller__rollout (Cluster *c, Workload *w, const char *image,
                            gint64 max_surge, gint64 max_unavailable);
/* Why the API server (its validation, or the RuntimeClass admission
 * controller) rejects a pod of template t named pod_name, or NULL when
 * it accepts it. (transfer full): g_free(). */
char  *controller__rejection (Cluster *c, const KbPodTemplate *t,
                              const char *pod_name);
/* Whether the tolerations the DaemonSet controller adds to its pods
 * tolerate t (the taint manager asks, in dynamics.c). */
gboolean controller__daemon_tolerates (const KbPodTemplate *tmpl,
                                       const KbTaint *t);

/* dynamics.c: timed events and node failures */
/* (transfer full): dynamics__free(). */
Dynamics *dynamics__new (Cluster *c);
void   dynamics__free (Dynamics *d);
/* Schedules the scenario's events and the nodes' random failures. */
void   dynamics__start (Cluster *c);
/* The first event at t=0: kubelets outside the skew policy take effect. */
void   dynamics__apply_skew (Cluster *c);
/* A node of the pool joins after delay (counted as upcoming). */
void   dynamics__add_node_later (Cluster *c, guint pool, SimTime delay);
/* Nodes of the pool provisioning now. */
guint  dynamics__pool_upcoming (Cluster *c, guint pool);
/* Gives up n of the pool's nodes still provisioning (the autoscaler
 * deletes instances that did not register in time): they never join. */
void   dynamics__cancel_upcoming (Cluster *c, guint pool, guint n);
/* Keeps a g_malloc'd block until the cluster is freed, for models that
 * have no state of their own in the store (the autoscaler). */
void   dynamics__keep (Cluster *c, gpointer block);
/* Cordons, drains and removes a node. */
void   dynamics__remove_node (Cluster *c, Node *node);

/* autoscaler.c */
/* Schedules the first scan, if any pool is autoscaled. */
void   autoscaler__start (Cluster *c);

G_END_DECLS

#endif
