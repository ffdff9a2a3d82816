/* cluster.h: the simulated cluster: nodes, pods, workloads, and the
 * counters every part updates.
 *
 * The models (scheduler, kubelet, controllers) share these structures
 * directly: they are the simulation's hot data, and an accessor per field
 * would only hide what the event loop touches. Outside models/ they are
 * read-only; everything is owned by the Cluster and freed with it.
 *
 * The store (cluster.c) knows no scheduling, kubelet or controller
 * policy: the models sit above it (models/model-private.h), and
 * cluster_new() in assemble.c puts them together.
 *
 * Ownership and lifetime: a Cluster owns its nodes and pods. Pods are
 * not freed before the cluster (their records feed pods.csv), unless
 * cluster_set_drop_finished() asks for it; a deleted pod keeps its record
 * with `deleted` set. A node that leaves keeps its
 * record with state NODE_GONE. Events carry Node/Pod pointers; a pod or
 * node cancels its own pending timer before changing state.
 *
 * Conservation: every pod that arrived is in exactly one phase, so
 * arrived = pending + running + succeeded + failed per OS at every
 * instant (cluster_check_conservation).
 */
#ifndef KBSIM_CLUSTER_H
#define KBSIM_CLUSTER_H

#include <glib.h>

#include "models/platform.h"
#include "models/spec.h"
#include "sim/engine.h"
#include "sim/rng.h"

G_BEGIN_DECLS

typedef struct Cluster Cluster;
typedef struct Node Node;
typedef struct Pod Pod;
typedef struct Workload Workload;
typedef struct JobRun JobRun;

typedef enum {
    NODE_READY,
    NODE_NOT_READY,
    NODE_GONE
} NodeState;

/* Pod phases as the API shows them. */
typedef enum {
    POD_PENDING,
    POD_RUNNING,
    POD_SUCCEEDED,
    POD_FAILED,
    POD_N_PHASES
} PodPhase;

/* Why a pod is where it is: the waiting reason `kubectl get pods` shows
 * (or the failure reason for Failed pods). */
typedef enum {
    POD_REASON_NONE,
    POD_REASON_UNSCHEDULABLE,           /* Pending, not bound */
    POD_REASON_CONTAINER_CREATING,      /* bound; sandbox, pulls, create */
    POD_REASON_ERR_IMAGE_PULL,
    POD_REASON_IMAGE_PULL_BACKOFF,
    POD_REASON_CREATE_CONTAINER_ERROR,
    POD_REASON_RUN_CONTAINER_ERROR,     /* the task failed to start */
    POD_REASON_CRASH_LOOP_BACKOFF,      /* waiting out the restart
                                         * back-off */
    POD_REASON_CREATE_POD_SANDBOX_ERROR,  /* shown as ContainerCreating */
    POD_REASON_OS_NOT_SUPPORTED,        /* admission: PodOSNotSupported */
    POD_REASON_OS_SELECTOR_MISMATCH,    /* admission:
                                         * PodOSSelectorNodeLabelDoesNotMatch */
    POD_REASON_COMPLETED,
    POD_REASON_EVICTED,
    POD_REASON_ERROR,                   /* the container failed */
    POD_N_REASONS
} PodReason;

struct Node {
    Cluster *cluster;
    guint32 id;
    guint32 pool;                   /* index into scenario->pools */
    const KbPoolSpec *spec;
    char *name;
    KbOs os;
    KbArch arch;
    WinVersion build;
    KubeVersion kubelet;
    GPtrArray *labels;              /* KbLabel, sorted; owned: the pool's
                                     * plus kubernetes.io/hostname */
    GPtrArray *taints;              /* KbTaint; owned copy (failures and
                                     * cordons add taints) */
    gint64 alloc_cpu;               /* millicores */
    gint64 alloc_mem;               /* bytes */
    gint64 max_pods;
    gint64 req_cpu;                 /* sum of bound pods' requests */
    gint64 req_mem;
    gint64 nz_extra_cpu;            /* what scoring adds for containers
                                     * that request nothing (100m / 200
                                     * MiB each), over bound pods */
    gint64 nz_extra_mem;
    gboolean custom_labels;         /* re-imaged: labels differ from the
                                     * pool's */
    gboolean unsupported;           /* kubelet outside the skew policy */
    guint32 reimage_epoch;          /* bumped when the image store is
                                     * emptied */
    gboolean own_taints;            /* taints differ from the pool's, so
                                     * pool-level filter results do not
                                     * apply to this node */
    guint32 version;                /* bumped when requests or images
                                     * change (score caches) */
    guint32 run_start;              /* first node of the run of nodes
                                     * (consecutive ids) in this pool */
    guint32 run_end;                /* on a run's first node: one past its
                                     * last */
    gint64 n_pods;
    NodeState state;
    gboolean unschedulable;         /* cordoned */
    SimTime added;                  /* billed from here */
    SimTime removed;                /* -1 while in the cluster */
    SimTime down_since;             /* -1 unless NotReady by failure */
    SimTime down_total;             /* time spent failed */
    guint32 down_epoch;             /* bumped at each failure */
    SimTime underused_since;        /* autoscaler: below 50% requested
                                     * since then; -1 when not */
    GHashTable *layers;             /* image store: layer digest (interned
                                     * by the cluster) -> present */
    GPtrArray *images;              /* interned names of the images
                                     * present: few, so a scan beats a
                                     * hash */
    GQueue pull_queue;              /* PullJob *, waiting for a slot */
    guint active_pulls;
    GPtrArray *transfers;           /* PullJob *, in the transfer phase
                                     * (they share its network link) */
    GPtrArray *pods;                /* Pod *, bound and not finished */
    GArray *host_ports;             /* guint16 in use */
};

struct Pod {
    guint32 id;
    char *name;                     /* "<workload>-<ordinal>" */
    Workload *workload;
    const KbPodTemplate *tmpl;
    KbOs os;                        /* the OS it is meant for (metrics) */
    gint64 cpu;                     /* effective requests, millicores */
    gint64 mem;                     /* bytes */
    gint64 nz_extra_cpu;            /* see Node */
    gint64 nz_extra_mem;
    gint32 priority;
    PodPhase phase;
    PodReason reason;
    const char *message;            /* last failure text; interned */
    Node *node;                     /* bound node, or NULL */
    Node *daemon_node;              /* DaemonSet pods: their node */
    SimTime created;
    SimTime scheduled;              /* -1 until bound */
    SimTime running;                /* -1 until Running */
    SimTime finished;               /* -1 until Succeeded/Failed/deleted */
    double run_seconds;             /* Jobs with a duration: how long it
                                     * runs, drawn when created; else -1 */
    guint sched_attempts;           /* failed scheduling attempts */
    SimTime sched_ready;            /* backoff ends (scheduling) */
    SimTime unsched_since;          /* last failed attempt */
    gboolean in_active_q;
    GList *active_link;             /* its link in activeQ's queue */
    guint unsched_entries;          /* times listed among the
                                     * unschedulable (scheduler) */
    guint64 unsched_seq;            /* when it was last listed there */
    gboolean in_fresh;              /* listed in the scheduler's fresh
                                     * failures */
    guint pull_failures;            /* for the image pull back-off */
    guint start_failures;           /* for the container restart back-off;
                                     * the Restart Count */
    const char *start_error;        /* the last StartError's message
                                     * (Last State); interned, or NULL */
    guint container;                /* next container to prepare */
    gboolean sandbox_ready;
    gpointer pull;                  /* the kubelet's PullJob in progress */
    SimEventId timer;               /* kubelet: completion, back-off, start */
    SimEventId sched_timer;         /* scheduler: end of back-off */
    SimEventId fail_timer;          /* unsupported node: pod failure */
    guint sched_fail_mask;          /* FilterCode bits of the last failure,
                                     * for queueing hints */
    gboolean deleted;
    guint64 queue_seq;              /* order in the scheduling queue */
    guint wl_index;                 /* position in workload->pods */
    JobRun *job;                    /* a CronJob's pod: its Job; else
                                     * NULL */
};

/* A Job a CronJob created (controller.c). Its pods are the CronJob
 * workload's pods, each pointing here. Owned by the controller and kept
 * for the cluster's life, so pointers to it stay valid. */
struct JobRun {
    Workload *cronjob;
    char *name;                     /* "<cronjob>-<scheduled time in Unix
                                     * minutes>", as the controller names
                                     * it (getTimeHashInMinutes) */
    SimTime scheduled;              /* the schedule time it runs for */
    gint64 completions_left;
    gint64 live;                    /* its pods not ended */
    guint failures;                 /* its pods that failed */
    guint next_ordinal;             /* its next pod's suffix */
    gboolean finished;              /* Complete, Failed or deleted */
    SimEventId retry;               /* replacing a failed pod */
};

struct Workload {
    Cluster *cluster;
    guint32 index;
    const KbWorkloadSpec *spec;
    const KbPodTemplate *tmpl;      /* the current template: the spec's,
                                     * or one a rollout made */
    gint64 roll_surge;              /* during a rollout: its bounds */
    gint64 roll_unavailable;
    gboolean rolling;
    GPtrArray *pods;                /* Pod *, live (not finished), in no
                                     * particular order (removal swaps the
                                     * last one in) */
    guint next_ordinal;
    gint64 desired;                 /* replicas wanted now */
    gint64 completions_left;        /* Jobs from manifests */
    KbOs os;
    gboolean api_rejected;          /* a Windows pod with Linux-only
                                     * fields: never created */
    char *reject_message;
    GArray *rejected_at;            /* SimTime of each create the API
                                     * server refused, in order: each is
                                     * a pod that never ran; NULL until
                                     * the first */
    guint failed_creates;
    double rate;                    /* arrivals per second now (set_rate) */
    SimEventId next_arrival;
    /* Its own streams ("arrivals/NAME", "job-duration/NAME"), so that what
     * one workload draws never shifts another's numbers: a sweep that
     * resizes a Windows pool leaves the Linux Jobs' arrivals and
     * durations as they were (common random numbers). Owned by the
     * cluster; NULL until first used. */
    SimRng *rng_arrivals;
    SimRng *rng_thinning;
    SimRng *rng_duration;
    gint64 dropped;                 /* finished pods freed (long runs) */
    gint64 dropped_placed;
    /* CronJobs: the status the controller keeps */
    GPtrArray *active_jobs;         /* JobRun *, status.active, oldest
                                     * first (transfer none) */
    SimTime last_schedule;          /* status.lastScheduleTime; -1 */
    SimEventId cron_timer;          /* the next sync */
};

/* How a pod counts in the time series: Pending is split by what it waits
 * for. */
typedef enum {
    POD_COL_UNSCHEDULED,    /* Pending, not bound */
    POD_COL_CREATING,       /* bound, ContainerCreating (incl. sandbox
                             * failures, which show as ContainerCreating) */
    POD_COL_BACKOFF,        /* ErrImagePull, ImagePullBackOff,
                             * CreateContainerError, RunContainerError,
                             * CrashLoopBackOff */
    POD_COL_RUNNING,
    POD_COL_SUCCEEDED,
    POD_COL_FAILED,
    POD_N_COLS
} PodColumn;

PodColumn cluster_pod_column (const Pod *pod);

/* Counters by OS (index KbOs: unknown, linux, windows). */
typedef struct {
    gint64 arrived;
    gint64 phase[POD_N_PHASES];
    gint64 column[POD_N_COLS];      /* the same pods, by PodColumn */
    gint64 placed;                  /* Running within the deadline */
    gint64 deadline_passed;         /* pods whose deadline has come */
} OsCounters;

#define KB_N_OS 3

/* An event as `kubectl get events` shows it. Strings are valid only
 * during the sink call. */
typedef struct ClusterEvent {
    SimTime time;
    const char *namespace;          /* the object's namespace; "default"
                                     * for cluster-scoped objects (Node,
                                     * ...), where client-go's recorder
                                     * files their events (makeEvent) */
    const char *type;               /* "Normal" or "Warning" */
    const char *reason;             /* "Scheduled", "Pulling", ... */
    const char *kind;               /* "Pod", "Node", ... */
    const char *object;
    const char *message;
} ClusterEvent;

typedef void (*ClusterEventFunc) (const ClusterEvent *ev, gpointer data);

/* (transfer full): cluster_free(). Builds nodes and workloads from the
 * scenario (which must outlive the cluster) for replication `rep`. */
Cluster *cluster_new (const Scenario *scenario, guint replication);
void     cluster_free (Cluster *cluster);

const Scenario *cluster_scenario (const Cluster *c);
SimEngine      *cluster_engine (Cluster *c);
GPtrArray      *cluster_nodes (const Cluster *c);     /* Node * */
/* The node named name, removed ones included (names are never reused),
 * or NULL. A scan: not for hot paths. */
Node           *cluster_find_node (const Cluster *c, const char *name);
GPtrArray      *cluster_pods (const Cluster *c);      /* Pod *, all ever;
                                                         * NULL for dropped
                                                         * ones */
GPtrArray      *cluster_workloads (const Cluster *c); /* Workload * */
const OsCounters *cluster_counters (const Cluster *c, KbOs os);

/* Receives every event as it happens (or NULL to stop). */
void cluster_set_event_sink (Cluster *c, ClusterEventFunc sink,
                             gpointer data);

/* Called for every pod that reaches Succeeded or Failed. */
typedef void (*ClusterPodFunc) (const Pod *pod, gpointer data);
void cluster_set_pod_hook (Cluster *c, ClusterPodFunc hook, gpointer data);

/* Long runs: free each pod's record once it has Succeeded or Failed and
 * the hook has seen it. cluster_pods() then holds NULL in its place, and
 * the per-workload placement figures count those pods as eligible as soon
 * as they finish. Counters, conservation and time-to-Running are
 * unaffected. */
void cluster_set_drop_finished (Cluster *c, gboolean drop);

/* Runs the simulation until `until` (the scenario's duration at most). */
void cluster_run_until (Cluster *c, SimTime until);

/* Per image: pulls completed, bytes transferred and seconds spent, by the
 * OS of the nodes that pulled it. */
typedef struct {
    const char *image;              /* interned */
    gint64 pulls[KB_N_OS];
    gint64 bytes[KB_N_OS];
    double seconds[KB_N_OS];
} ImagePullStats;

/* (transfer container): the array is new, its elements belong to the
 * cluster; sorted by bytes, largest first. */
GPtrArray *cluster_image_pulls (const Cluster *c);

/* Creation to Running, seconds, for every pod that got there (transfer
 * none). */
const GArray *cluster_time_to_running (const Cluster *c, KbOs os);

/* Bytes transferred by image pulls to nodes of an OS so far. */
gint64 cluster_pulled_bytes (const Cluster *c, KbOs os);

/* Whether the node holds an image (interned name). */
gboolean cluster_node_has_image (const Node *node, const char *iname);

/* Interns a string for the cluster's lifetime. (transfer none). */
const char *cluster_intern (Cluster *c, const char *s);

/* The stream for a purpose ("tie-break", "arrivals", ...). (transfer
 * none). */
SimRng *cluster_rng (Cluster *c, const char *purpose);

/* TRUE when arrived = pending + running + succeeded + failed for every
 * OS. */
gboolean cluster_check_conservation (const Cluster *c);

const char *cluster_phase_name (PodPhase phase);
/* The STATUS column of `kubectl get pods` for a pod. (transfer none). */
const char *cluster_pod_status (const Pod *pod);

G_END_DECLS

#endif
