/* model-private.h: what the files of models/ share. Not for use outside
 * models/.
 *
 * The files, from the store up:
 *
 *   cluster.c       the store: nodes, pods, workloads and their counters
 *   cost.c          the cost a pod accrues on its node
 *   kubelet.c       a bound pod's way to Running and its end
 *   sched.c         the scheduling queue and cycle
 *   controller.c    the workload controllers that create pods
 *   dynamics.c      timed events, failures, upgrades, resizes
 *   autoscaler.c    the cluster autoscaler
 *   assemble.c      builds a cluster from the models above and starts it
 *
 * (filter.c, image.c, skew.c and platform.c are pure functions below the
 * store; metrics.c and explain.c read the store and the scheduler's view.)
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

/* A registry as the simulation sees it: its transfers share bandwidth. */
typedef struct {
    const KbRegistrySpec *spec;
    GPtrArray *transfers;           /* PullJob *, in the transfer phase */
    SimTime down_until;             /* an outage lasts until then */
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
    guint64 image_epoch;            /* bumped when any node gains an
                                     * image or the node count changes
                                     * (ImageLocality's spread) */

    /* statistics */
    GHashTable *reasons;            /* "reason\tos" -> ReasonCount * */
    GArray *time_to_running[KB_N_OS];   /* double seconds */
    gint64 pulls;
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

    /* the models' own state, owned by assemble.c */
    Kubelet *kubelet;
    Sched *sched;
    Controller *controller;
    Dynamics *dynamics;
};

/* cluster.c */
/* The store of a new cluster: its nodes (from the scenario's pools),
 * registries and counters, with no model started. (transfer full):
 * cluster__store_free(), after every model let go of it. */
Cluster *cluster__store_new (const Scenario *s, guint replication);
void   cluster__store_free (Cluster *c);
void   cluster__emit (Cluster *c, const char *type, const char *reason,
                      const char *kind, const char *object,
                      const char *format, ...) G_GNUC_PRINTF (6, 7);
void   cluster__count_reason (Cluster *c, const char *reason, KbOs os,
                              const char *message);
/* Binds a pod to a node (ContainerCreating), keeping the counters. */
void   cluster__bind_node (Cluster *c, Pod *pod, Node *node);
void   cluster__set_reason (Cluster *c, Pod *pod, PodReason reason);
void   cluster__set_phase (Cluster *c, Pod *pod, PodPhase phase,
                           PodReason reason);
Pod   *cluster__new_pod (Cluster *c, Workload *w);
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

/* kubelet.c */
/* (transfer full): kubelet__free(), which frees the pulls under way. */
Kubelet *kubelet__new (void);
void   kubelet__free (Kubelet *k);
void   kubelet__bind (Cluster *c, Pod *pod, Node *node);
/* Frees the pod's resources on its node; the pod leaves the node. */
void   kubelet__release (Cluster *c, Pod *pod);
void   kubelet__evict (Cluster *c, Pod *pod, const char *message);
void   kubelet__freeze (Cluster *c, Pod *pod);
/* The node's kubelet runs again: pods bound meanwhile make progress. */
void   kubelet__node_ready (Cluster *c, Node *node);
/* A registry outage begins: transfers in flight from it fail. */
void   kubelet__registry_down (Cluster *c, Registry *reg);

/* sched.c */
/* (transfer full): sched__free(). */
Sched *sched__new (void);
void   sched__free (Sched *q);
void   sched__enqueue (Cluster *c, Pod *pod);
void   sched__remove (Cluster *c, Pod *pod);
/* A cluster change that may help waiting pods: a pod ended or was
 * deleted (resources freed), or a node appeared or changed. */
void   sched__pod_freed (Cluster *c);
void   sched__node_changed (Cluster *c);
const FilterPod *sched__view (Cluster *c, const Pod *pod);
/* The control plane's version changed. */
void   sched__version_changed (Cluster *c);
/* The pods whose last attempt failed, waiting for a cluster change; it
 * may still hold pods deleted or bound since. (transfer none): valid
 * until the scheduler next runs. */
const GPtrArray *sched__unschedulable (Cluster *c);

/* controller.c */
/* Builds the workloads into the store; controller__start_workloads(),
 * from the cluster's t=0 start event, creates their first pods.
 * (transfer full): controller__free(). */
Controller *controller__new (Cluster *c);
void   controller__free (Controller *ctl);
void   controller__start_workloads (Cluster *c);
/* A pod finished (Succeeded, Failed) or was deleted. */
void   controller__pod_ended (Cluster *c, Pod *pod);
void   controller__node_added (Cluster *c, Node *node);
void   controller__set_replicas (Cluster *c, Workload *w, gint64 n);
void   controller__set_rate (Cluster *c, Workload *w, double rate);
/* A rolling update of w to a new image (Deployments). */
void   controller__rollout (Cluster *c, Workload *w, const char *image,
                            gint64 max_surge, gint64 max_unavailable);
/* A pod reached Running (rollouts advance on it). */
void   controller__pod_running (Cluster *c, Pod *pod);

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
/* Cordons, drains and removes a node. */
void   dynamics__remove_node (Cluster *c, Node *node);

/* autoscaler.c */
/* Schedules the first scan, if any pool is autoscaled. */
void   autoscaler__start (Cluster *c);

G_END_DECLS

#endif
