/* model-private.h: what cluster.c, sched.c, kubelet.c and controller.c
 * share. Not for use outside models/.
 */
#ifndef KBSIM_MODEL_PRIVATE_H
#define KBSIM_MODEL_PRIVATE_H

#include "models/cluster.h"
#include "models/filter.h"
#include "models/image.h"

G_BEGIN_DECLS

typedef struct PullJob PullJob;

/* A registry as the simulation sees it: its transfers share bandwidth. */
typedef struct {
    const KbRegistrySpec *spec;
    GPtrArray *transfers;           /* PullJob *, in the transfer phase */
} Registry;

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
    GHashTable *live_pulls;         /* PullJob * set, owned */
    OsCounters counters[KB_N_OS];
    KubeVersion cp_version;

    /* scheduler */
    GPtrArray *active_q;            /* Pod *, binary heap */
    GPtrArray *unschedulable;       /* Pod *, waiting for a cluster event */
    guint64 queue_seq;
    guint next_start_node;
    gboolean cycle_pending;
    gboolean flush_armed;
    FilterResult *results;          /* scratch, one per node */
    Node **feasible;                /* scratch */
    gint64 *scores;                 /* scratch */
    guint scratch_len;
    GHashTable *sched_pods;         /* template -> SchedPod *, cached */
    GHashTable *sched_messages;     /* results signature -> interned
                                     * FailedScheduling text */

    /* statistics */
    GHashTable *reasons;            /* "reason\tos" -> ReasonCount * */
    GArray *time_to_running[KB_N_OS];   /* double seconds */
    gint64 pulls;
    gint64 pull_bytes[KB_N_OS];
    double pull_seconds[KB_N_OS];
    gint64 sched_attempts;
    gint64 bindings;

    /* retention: finished pods may be dropped (long runs) */
    gboolean drop_finished;
    ClusterPodFunc pod_hook;
    gpointer pod_hook_data;

    /* output */
    ClusterEventFunc event_sink;
    gpointer event_data;
};

/* cluster.c */
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
Node  *cluster__add_node (Cluster *c, guint pool_index, guint ordinal);
void   cluster__node_has_image (Cluster *c, Node *node, const char *name);
const KbImageSpec *cluster__image (Cluster *c, const char *name);

/* sched.c */
void   sched__init (Cluster *c);
void   sched__clear (Cluster *c);
void   sched__enqueue (Cluster *c, Pod *pod);
void   sched__remove (Cluster *c, Pod *pod);
/* A cluster change that may help waiting pods: a pod ended or was
 * deleted (resources freed), or a node appeared or changed. */
void   sched__pod_freed (Cluster *c);
void   sched__node_changed (Cluster *c);
const SchedPod *sched__view (Cluster *c, const Pod *pod);

/* kubelet.c */
void   kubelet__bind (Cluster *c, Pod *pod, Node *node);
/* Frees the pod's resources on its node; the pod leaves the node. */
void   kubelet__release (Cluster *c, Pod *pod);
void   kubelet__clear (Cluster *c);

/* controller.c */
void   controller__start (Cluster *c);
/* A pod finished (Succeeded, Failed) or was deleted. */
void   controller__pod_ended (Cluster *c, Pod *pod);
void   controller__node_added (Cluster *c, Node *node);

G_END_DECLS

#endif
