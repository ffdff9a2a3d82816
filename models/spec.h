/* spec.h: a scenario as the models take it, checked and resolved: the
 * models' input. Knows nothing of YAML or files: the loader in scenarios/
 * turns YAML scenarios, Kubernetes manifests and
 * `kubectl get nodes -o yaml` node lists into these plain structures; the
 * models build clusters from them. Everything here is owned by the
 * Scenario and freed by scenario_free(); lists are GPtrArrays created with
 * their element's free function. Strings are never NULL unless the field
 * says "or NULL".
 *
 * Every item keeps its KbLoc so that later stages can point at the line
 * that caused a problem.
 */
#ifndef KBSIM_SPEC_H
#define KBSIM_SPEC_H

#include <glib.h>

#include "models/cron.h"
#include "models/platform.h"
#include "sim/rng.h"
#include "sim/time.h"

G_BEGIN_DECLS

typedef struct {
    const char *file;           /* (transfer none): interned by the
                                 * Scenario */
    guint line, col;
} KbLoc;

/* ---- Kubernetes scheduling vocabulary ------------------------------------ */

/* A key=value pair (labels, nodeSelector). Lists of them are kept sorted
 * by key, so iteration order never depends on a hash table. */
typedef struct {
    char *key;
    char *value;
} KbLabel;

typedef enum {
    KB_TAINT_NO_SCHEDULE,
    KB_TAINT_PREFER_NO_SCHEDULE,
    KB_TAINT_NO_EXECUTE,
    KB_TAINT_ANY = -1           /* a toleration with no effect: all */
} KbTaintEffect;

typedef struct {
    char *key;
    char *value;                /* may be "" */
    KbTaintEffect effect;
} KbTaint;

typedef enum {
    KB_TOLERATION_EQUAL,
    KB_TOLERATION_EXISTS
} KbTolerationOp;

typedef struct {
    char *key;                  /* "" with Exists: tolerates everything */
    KbTolerationOp op;
    char *value;
    KbTaintEffect effect;       /* KB_TAINT_ANY when not given */
    gint64 toleration_seconds;  /* -1 when not given */
} KbToleration;

typedef enum {
    KB_SELECTOR_IN,
    KB_SELECTOR_NOT_IN,
    KB_SELECTOR_EXISTS,
    KB_SELECTOR_DOES_NOT_EXIST,
    KB_SELECTOR_GT,
    KB_SELECTOR_LT
} KbSelectorOp;

typedef struct {
    char *key;
    KbSelectorOp op;
    GPtrArray *values;          /* char * */
    gboolean field;             /* a matchFields entry (metadata.name) */
} KbSelectorRequirement;

/* Requirements ANDed together; a node affinity's terms are ORed. */
typedef struct {
    GPtrArray *requirements;    /* KbSelectorRequirement */
    gint weight;                /* preferred terms: 1..100; else 0 */
} KbSelectorTerm;

/* metav1.LabelSelector over pod labels: matchLabels and matchExpressions
 * (In, NotIn, Exists, DoesNotExist), ANDed. */
typedef struct {
    GPtrArray *match_labels;        /* KbLabel, sorted */
    GPtrArray *match_expressions;   /* KbSelectorRequirement */
} KbLabelSelector;

/* A pod's spec.topologySpreadConstraints entry (core/v1
 * TopologySpreadConstraint), with the defaults of podtopologyspread
 * common.go filled in. */
typedef struct {
    gint max_skew;                  /* >= 1 */
    char *topology_key;
    gboolean do_not_schedule;       /* whenUnsatisfiable: DoNotSchedule;
                                     * else ScheduleAnyway */
    KbLabelSelector *selector;      /* or NULL: matches no pod */
    gint min_domains;               /* 1 when not given */
    gboolean honor_affinity;        /* nodeAffinityPolicy: Honor (the
                                     * default) or Ignore */
    gboolean honor_taints;          /* nodeTaintsPolicy: Honor, or Ignore
                                     * (the default) */
    KbLoc loc;
} KbSpreadConstraint;

/* ---- pods ---------------------------------------------------------------- */

typedef struct {
    char *name;
    char *image;                /* normalised reference */
    gint64 cpu_request;         /* millicores */
    gint64 memory_request;      /* bytes */
    gint64 cpu_limit;           /* millicores, 0 when not set */
    gint64 memory_limit;        /* bytes, 0 when not set */
    GArray *host_ports;         /* guint16 */
    KbLoc loc;
} KbContainerSpec;

typedef struct {
    GPtrArray *labels;          /* KbLabel, sorted: metadata.labels of a
                                 * PodTemplateSpec (a bare Pod's own);
                                 * empty when the scenario wrote a bare
                                 * PodSpec. What topologySpreadConstraints
                                 * and `kbsim get -l` select */
    GPtrArray *node_selector;   /* KbLabel, sorted by key */
    GPtrArray *required_terms;  /* KbSelectorTerm, ORed; empty: none */
    GPtrArray *preferred_terms; /* KbSelectorTerm with weights */
    GPtrArray *tolerations;     /* KbToleration */
    char *runtime_class;        /* or NULL */
    KbOs os_name;               /* spec.os.name; KB_OS_UNKNOWN if unset */
    char *node_name;            /* or NULL */
    gboolean host_network;
    gboolean host_process;      /* windowsOptions.hostProcess */
    GPtrArray *containers;      /* KbContainerSpec */
    GPtrArray *init_containers; /* KbContainerSpec */
    char *priority_class;       /* or NULL */
    gint32 priority;            /* resolved from priority_class */
    char *scheduler_name;       /* "default-scheduler" unless set */
    GPtrArray *linux_only_fields;   /* char *: fields set that a Windows
                                     * pod may not set, by path */
    GPtrArray *windows_unsupported; /* char *: fields Windows nodes do not
                                     * support (volumeDevices, ...) */
    GPtrArray *spread_constraints;  /* KbSpreadConstraint */
    KbLoc loc;
} KbPodTemplate;

/* ---- workloads ----------------------------------------------------------- */

typedef enum {
    KB_WORKLOAD_DEPLOYMENT,
    KB_WORKLOAD_REPLICASET,
    KB_WORKLOAD_STATEFULSET,
    KB_WORKLOAD_DAEMONSET,
    KB_WORKLOAD_JOB,
    KB_WORKLOAD_CRONJOB,
    KB_WORKLOAD_POD
} KbWorkloadKind;

typedef enum {
    KB_ARRIVALS_NONE,           /* a fixed set of pods */
    KB_ARRIVALS_POISSON,        /* exponential gaps at rate */
    KB_ARRIVALS_PERIODIC        /* one every 1/rate */
} KbArrivalProcess;

/* A CronJob's spec.concurrencyPolicy. */
typedef enum {
    KB_CONCURRENCY_ALLOW,       /* the default */
    KB_CONCURRENCY_FORBID,
    KB_CONCURRENCY_REPLACE
} KbConcurrencyPolicy;

typedef struct {
    char *name;
    char *namespace;            /* metadata.namespace; "default" */
    KbWorkloadKind kind;
    gint64 replicas;            /* Deployment, ReplicaSet, StatefulSet */
    gint64 completions;         /* Job objects: pods to finish; 1 default */
    gint64 parallelism;         /* Job objects */
    KbArrivalProcess arrivals;
    double rate;                /* arrivals per second */
    double daily_profile[24];   /* rate multipliers by hour; all 1 when not
                                 * given */
    gboolean has_daily_profile;
    char *schedule;             /* CronJob schedule as written, or NULL */
    CronSchedule *cron;         /* CronJob: parsed (owned), or NULL */
    char *time_zone;            /* CronJob spec.timeZone, or NULL */
    GTimeZone *tz;              /* CronJob: the zone its schedule is read
                                 * in (owned): time_zone's, else the
                                 * control plane's */
    KbConcurrencyPolicy concurrency;
    SimTime starting_deadline;  /* startingDeadlineSeconds; -1: none */
    gboolean suspend;
    SimDist duration;           /* run time of a Job's pod; constant 0 =
                                 * runs until stopped */
    gboolean has_duration;
    gint64 max_surge;           /* rolling update, pods (after percent
                                 * resolution) */
    gint64 max_unavailable;
    KbPodTemplate *template;
    char *source;               /* manifest file, or NULL */
    KbLoc loc;
} KbWorkloadSpec;

typedef struct {
    char *name;
    char *handler;              /* "runhcs-wcow-process", "runhcs-wcow-
                                 * hypervisor", "runc", ... */
    GPtrArray *node_selector;   /* KbLabel */
    GPtrArray *tolerations;     /* KbToleration */
    KbLoc loc;
} KbRuntimeClassSpec;

/* ---- images and registries ----------------------------------------------- */

typedef struct {
    char *digest;
    gint64 size;                /* compressed bytes */
} KbLayerSpec;

typedef struct {
    KbOs os;
    KbArch arch;
    WinVersion os_version;
    gboolean has_os_version;
    GPtrArray *layers;          /* KbLayerSpec */
    gint64 size;                /* sum of layers */
    KbLoc loc;
} KbManifestSpec;

typedef struct {
    char *name;                 /* normalised reference */
    char *registry;             /* a registry's name */
    gboolean is_index;          /* an image index (manifest list) rather
                                 * than a single manifest */
    GPtrArray *manifests;       /* KbManifestSpec */
    gboolean from_catalog;
    KbLoc loc;
} KbImageSpec;

/* Where a registry's aggregate cap came from: given in bytes per second,
 * or an Azure Container Registry tier's documented download bandwidth
 * (facts 10.5). */
typedef enum {
    KB_REGISTRY_TIER_NONE,
    KB_REGISTRY_TIER_BASIC,
    KB_REGISTRY_TIER_STANDARD,
    KB_REGISTRY_TIER_PREMIUM
} KbRegistryTier;

/* The link of a registry. Each transfer from it is held to a max-min fair
 * share of up to three links: its node's network_bandwidth (shared by all
 * of that node's transfers), per_node_bandwidth (shared by that node's
 * transfers from this registry) and aggregate_bandwidth (shared by all
 * nodes' transfers from this registry). */
typedef struct {
    char *name;
    char *host;
    double per_node_bandwidth;  /* bytes per second per node; 0: only the
                                 * node's network_bandwidth limits */
    double aggregate_bandwidth; /* bytes per second for all nodes' pulls
                                 * at once; 0: no aggregate cap */
    KbRegistryTier tier;        /* set when aggregate_bandwidth came from
                                 * `tier` */
    SimTime latency;
    SimDist pull_delay;         /* extra time before each pull, seconds;
                                 * constant 0 unless given */
    double pull_failure_probability;
    KbLoc loc;
} KbRegistrySpec;

/* ---- nodes --------------------------------------------------------------- */

typedef struct {
    gboolean enabled;
    gint64 min, max;
    SimTime provision_delay;
} KbAutoscaleSpec;

typedef struct {
    char *name;
    KbOs os;
    KbArch arch;
    WinVersion windows_build;   /* Windows pools */
    KubeVersion kubelet;
    gint64 count;
    char *instance;             /* catalogue name, or NULL */
    gint64 cpu;                 /* allocatable millicores */
    gint64 memory;              /* allocatable bytes */
    gint64 max_pods;
    double price_per_hour;      /* USD, Linux price or the whole price
                                 * when given directly */
    double windows_surcharge_per_hour;  /* USD, 0 for Linux */
    double discount;            /* multiplier on price, 1 = none */
    GPtrArray *labels;          /* KbLabel, sorted, including the
                                 * well-known ones the kubelet sets */
    GPtrArray *taints;          /* KbTaint */
    GPtrArray *zones;           /* char *: topology.kubernetes.io/zone
                                 * values, given to the pool's nodes
                                 * round-robin by ordinal; empty: the
                                 * nodes carry no zone label */
    KbAutoscaleSpec autoscale;
    double network_bandwidth;   /* bytes per second per node */
    double disk_bandwidth;      /* extraction, bytes per second */
    gint64 max_parallel_pulls;  /* 1 = serializeImagePulls */
    GPtrArray *prepulled;       /* char *: normalised image references
                                 * baked into the node image */
    char *sandbox_image;        /* the pause image the runtime uses */
    SimTime container_start;    /* from created to Running */
    gboolean from_node_list;    /* one real node from a node list */
    KbLoc loc;
} KbPoolSpec;

/* ---- timed events, failures, cost, metrics ------------------------------- */

typedef enum {
    KB_EVENT_UPGRADE_POOL,
    KB_EVENT_UPGRADE_CONTROL_PLANE,
    KB_EVENT_REGISTRY_OUTAGE,
    KB_EVENT_NODE_FAILURE,
    KB_EVENT_SCALE_POOL,
    KB_EVENT_CORDON,
    KB_EVENT_UNCORDON,
    KB_EVENT_ROLLOUT,
    KB_EVENT_SET_REPLICAS,
    KB_EVENT_SET_RATE
} KbEventAction;

typedef struct {
    SimTime at;
    KbEventAction action;
    char *pool;                 /* or NULL */
    char *node;                 /* or NULL */
    char *registry;             /* or NULL */
    char *workload;             /* or NULL */
    char *image;                /* or NULL: rollout's new image */
    WinVersion windows_build;
    gboolean has_windows_build;
    KubeVersion version;        /* kubelet or control plane */
    gboolean has_version;
    SimTime duration;           /* outage length ("for") */
    gint64 count;               /* nodes, replicas; -1 unset */
    double rate;                /* set_rate, per second */
    gint64 max_unavailable;     /* -1 when not given */
    gint64 max_surge;           /* -1 when not given */
    SimTime per_node;           /* upgrade time per node */
    KbLoc loc;
} KbEventSpec;

typedef struct {
    char *pool;                 /* or NULL: every pool */
    SimDist time_between;       /* mtbf */
    SimDist time_to_repair;     /* mttr */
    KbLoc loc;
} KbFailureSpec;

typedef enum {
    KB_SKEW_ENFORCE,
    KB_SKEW_WARN
} KbSkewPolicy;

typedef struct {
    KubeVersion version;
    char *time_zone;            /* kube-controller-manager's local zone:
                                 * CronJobs without timeZone; "UTC" */
    GTimeZone *tz;              /* time_zone resolved (owned) */
    gint64 nodes;
    char *instance;             /* or NULL */
    KbSkewPolicy skew_policy;
    double unsupported_ready_probability;
    double unsupported_pod_failure_rate;
    SimTime node_monitor_grace_period;  /* kube-controller-manager's; -1:
                                         * the default of the control
                                         * plane's version (40 s before
                                         * 1.32, 50 s from 1.32) */
    KbLoc loc;
} KbControlPlaneSpec;

typedef struct {
    char *currency;
    double control_plane_per_hour;
    double egress_per_gb;
} KbCostSpec;

typedef struct {
    SimTime sample_every;
    SimTime placement_deadline;
} KbMetricsSpec;

typedef enum {
    KB_EXPANDER_LEAST_WASTE,
    KB_EXPANDER_PRICE,
    KB_EXPANDER_RANDOM
} KbExpander;

/* The cluster autoscaler's flags that the simulation uses, with
 * cluster-autoscaler's defaults (main.go, release 1.31). */
typedef struct {
    SimTime scan_interval;              /* 10 s */
    SimTime scale_down_delay_after_add; /* 10 min */
    SimTime scale_down_unneeded_time;   /* 10 min */
    double scale_down_utilization_threshold;   /* 0.5 */
    SimTime max_node_provision_time;    /* 15 min */
    gint64 max_scale_down_parallelism;  /* 10 */
    gint64 max_drain_parallelism;       /* 1 */
} KbAutoscalerSpec;

/* ---- a developer's desktop: Docker Desktop, WSL, Compose ----------------- */

typedef enum {
    KB_EDITION_HOME,
    KB_EDITION_PRO,
    KB_EDITION_ENTERPRISE,
    KB_EDITION_EDUCATION
} KbEdition;

typedef enum {
    KB_ISOLATION_DEFAULT,       /* the daemon's default */
    KB_ISOLATION_PROCESS,
    KB_ISOLATION_HYPERV
} KbIsolation;

/* A Windows 10/11 machine with Docker Desktop (facts section 7). */
typedef struct {
    KbEdition edition;
    WinVersion build;           /* the host's Windows build */
    KbArch arch;
    KbOs daemon;                /* Docker Desktop's active daemon */
    gboolean linux_vm_hyperv;   /* the Linux daemon's VM: Hyper-V, not
                                 * WSL 2 */
    KbIsolation windows_isolation;  /* the Windows daemon's default */
    GPtrArray *wsl;             /* char *: WSL distributions that run a
                                 * Linux engine of their own */
    double bandwidth;           /* bytes per second for image pulls */
    SimTime switch_time;        /* switching Docker Desktop's daemon */
    SimTime wsl_start;          /* starting a WSL distribution */
    KbLoc loc;
} KbDevHostSpec;

typedef struct {
    guint16 host;               /* 0: not published on the host */
    guint16 container;
} KbPortSpec;

/* A Compose service, as compose-spec 05-services.md names its keys. */
typedef struct {
    char *name;
    char *image;                /* normalised reference */
    char *platform;             /* as written, or NULL */
    KbOs platform_os;           /* KB_OS_UNKNOWN without platform */
    KbArch platform_arch;       /* KB_ARCH_UNKNOWN when not given */
    KbIsolation isolation;
    GArray *ports;              /* KbPortSpec */
    GPtrArray *depends_on;      /* char *: service names */
    KbLoc loc;
} KbServiceSpec;

/* A Compose project and the engine it is brought up on. */
typedef struct {
    char *name;
    char *engine;               /* "desktop" or a WSL distribution */
    GPtrArray *services;        /* KbServiceSpec, in the file's order */
    KbLoc loc;
} KbComposeSpec;

/* ---- the scenario -------------------------------------------------------- */

typedef struct {
    char *name;
    char *description;          /* may be "" */
    char *file;                 /* the scenario file as given */
    char *source;               /* its text as read, before --set (NULL
                                 * for a scenario not read from a file) */
    guint64 seed;
    SimTime duration;
    gint64 start_unix;          /* time 0 in Unix seconds: midnight UTC
                                 * of the `start` date (2024-01-01) */
    KbControlPlaneSpec control_plane;
    GPtrArray *pools;           /* KbPoolSpec */
    GPtrArray *registries;      /* KbRegistrySpec */
    GPtrArray *images;          /* KbImageSpec, defined and used */
    GPtrArray *runtime_classes; /* KbRuntimeClassSpec */
    GPtrArray *workloads;       /* KbWorkloadSpec */
    GPtrArray *events;          /* KbEventSpec, sorted by time (stable) */
    GPtrArray *failures;        /* KbFailureSpec */
    KbCostSpec cost;
    KbMetricsSpec metrics;
    KbExpander expander;        /* the cluster autoscaler's */
    KbAutoscalerSpec autoscaler;
    GPtrArray *ignored_fields;  /* char *: "file:line:col: field" for each
                                 * accepted Kubernetes field the
                                 * simulation does not use */
    GPtrArray *defaults_used;   /* char *: "key: value (default)" */
    GPtrArray *deprecated;      /* char *: "file:line:col: key: what it
                                 * is read as and what to write" */
    GPtrArray *files;           /* owns interned file names */
    KbDevHostSpec *dev_host;    /* a developer's desktop instead of a
                                 * cluster, or NULL */
    GPtrArray *compose;         /* KbComposeSpec; empty without dev_host */
    GPtrArray *warnings;        /* char *: "file:line:col: ..." for what
                                 * loading had to guess and cannot judge
                                 * (an image whose Windows build nothing
                                 * tells); validate and run print them */
} Scenario;

void      scenario_free (Scenario *scenario);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scenario, scenario_free)

/* Lookups by name. (transfer none). NULL when absent. */
KbPoolSpec     *scenario_find_pool (const Scenario *s, const char *name);
KbImageSpec    *scenario_find_image (const Scenario *s, const char *ref);
KbRegistrySpec *scenario_find_registry (const Scenario *s, const char *name);
KbWorkloadSpec *scenario_find_workload (const Scenario *s, const char *name);
KbRuntimeClassSpec *scenario_find_runtime_class (const Scenario *s,
                                                 const char *name);

/* Sorted label lists: a new empty one (transfer full, g_ptr_array_unref);
 * set key=value, replacing an existing value. */
GPtrArray *kb_labels_new (void);
void kb_labels_set (GPtrArray *labels, const char *key, const char *value);
void kb_taint_free (gpointer p);
void kb_container_free (gpointer p);
/* An empty pod template (transfer full): kb_pod_template_free(). */
KbPodTemplate *kb_pod_template_new (void);
void kb_pod_template_free (gpointer p);

/* The value of key in a sorted label list, or NULL. (transfer none). */
const char *kb_labels_get (const GPtrArray *labels, const char *key);

/* Constructors and frees of the spec types (the free functions suit
 * GPtrArray). Each _new returns a zeroed item with its lists created
 * empty: (transfer full), freed by the matching _free. */
Scenario *kb_scenario_new (void);
KbPoolSpec *kb_pool_new (void);
void kb_pool_free (gpointer p);
KbWorkloadSpec *kb_workload_new (void);
void kb_workload_free (gpointer p);
KbSelectorTerm *kb_selector_term_new (void);
void kb_selector_term_free (gpointer p);
KbSelectorRequirement *kb_selector_requirement_new (void);
KbContainerSpec *kb_container_new (void);
KbManifestSpec *kb_manifest_new (void);
KbImageSpec *kb_image_new (void);
void kb_image_free (gpointer p);
void kb_label_free (gpointer p);
void kb_spread_constraint_free (gpointer p);
void kb_toleration_free (gpointer p);
void kb_runtime_class_free (gpointer p);
void kb_registry_free (gpointer p);
void kb_event_free (gpointer p);
void kb_failure_free (gpointer p);
void kb_compose_free (gpointer p);
void kb_dev_host_free (KbDevHostSpec *h);

const char *scenario_workload_kind_name (KbWorkloadKind kind);
const char *scenario_event_action_name (KbEventAction action);
const char *scenario_taint_effect_name (KbTaintEffect effect);

/* An Azure Container Registry tier: "basic", "standard", "premium" (or
 * "" for none), and its documented download bandwidth in bytes per
 * second (0 for none). kbsim reads the documented figure as megabytes per
 * second; the page heads it "Mbps" without saying which (facts 10.5). */
const char *scenario_registry_tier_name (KbRegistryTier tier);
double      scenario_registry_tier_bandwidth (KbRegistryTier tier);
/* KB_REGISTRY_TIER_NONE for an unknown name. */
KbRegistryTier scenario_registry_tier_from_string (const char *name);

G_END_DECLS

#endif
