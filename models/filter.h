/* filter.h: kube-scheduler's default Filter and Score plugins, and the
 * FailedScheduling message, for one pod against nodes.
 *
 * Faithful to kubernetes/kubernetes pkg/scheduler (framework/types.go
 * FitError.Error, plugins nodeunschedulable, nodename, tainttoleration,
 * nodeaffinity, nodeports, noderesources, imagelocality; apis/config/v1
 * default_plugins.go) and facts section 6.1. Pure functions: no engine,
 * no allocation on the filter path. Knows no queue and no cluster beyond
 * the nodes it is given.
 */
#ifndef KBSIM_FILTER_H
#define KBSIM_FILTER_H

#include <glib.h>

#include "models/cluster.h"

G_BEGIN_DECLS

/* The default Filter plugins, in the order they run (the order of v1.20
 * and later; before, NodeResourcesFit, NodePorts and NodeAffinity ran
 * ahead of TaintToleration). A node records only the first one it
 * fails. */
typedef enum {
    FILTER_OK = 0,
    FILTER_NODE_UNSCHEDULABLE,  /* "node(s) were unschedulable" */
    FILTER_NODE_NAME,           /* "node(s) didn't match the requested node
                                 * name" */
    FILTER_TAINT,               /* untolerated NoSchedule/NoExecute taint */
    FILTER_NODE_AFFINITY,       /* "node(s) didn't match Pod's node
                                 * affinity/selector" */
    FILTER_NODE_PORTS,          /* "node(s) didn't have free ports for the
                                 * requested pod ports" */
    FILTER_RESOURCES,           /* Insufficient cpu / memory, Too many pods */
    FILTER_SPREAD,              /* PodTopologySpread, a DoNotSchedule
                                 * constraint's skew: "node(s) didn't match
                                 * pod topology spread constraints" */
    FILTER_SPREAD_LABEL         /* the same "(missing required label)":
                                 * the node lacks the topologyKey */
} FilterCode;

#define FILTER_INSUFFICIENT_CPU    (1u << 0)
#define FILTER_INSUFFICIENT_MEMORY (1u << 1)
#define FILTER_TOO_MANY_PODS       (1u << 2)

typedef struct {
    FilterCode code;
    const KbTaint *taint;       /* FILTER_TAINT: the first untolerated one */
    guint insufficient;         /* FILTER_RESOURCES: FILTER_INSUFFICIENT_*
                                 * bits; NodeResourcesFit reports each */
} FilterResult;

/* A pod as the scheduler sees it after admission: the template with its
 * RuntimeClass's scheduling merged in (nodeSelector added, tolerations
 * appended), as the RuntimeClass admission controller does. */
typedef struct {
    const KbPodTemplate *tmpl;
    GPtrArray *node_selector;   /* KbLabel, merged; owned */
    GPtrArray *tolerations;     /* KbToleration *, merged; (transfer none)
                                 * pointers into template and class */
    gint64 cpu, mem;            /* effective requests */
    gint64 nz_cpu, nz_mem;      /* the same as scoring counts them */
    const char *node_name;      /* spec.nodeName or NULL */
    gboolean uses_node_identity;/* spec.nodeName, or selector terms that
                                 * name a node (hostname label,
                                 * matchFields) or a zone (a pool's nodes
                                 * differ in it), required or preferred:
                                 * results cannot be shared across a
                                 * pool */
} FilterPod;

/* Builds the view; rc may be NULL. Returns FALSE (with *conflict set to
 * the first conflicting key, (transfer none) from rc) when the class's
 * nodeSelector conflicts with the pod's, which the admission controller
 * rejects; conflict may be NULL. Either way sp is initialised (on a
 * conflict the pod's value is kept) and must be cleared with
 * filter_pod_clear(), which may be called more than once. */
gboolean filter_pod_init (FilterPod *sp, const KbPodTemplate *tmpl,
                          const KbRuntimeClassSpec *rc, gint64 cpu,
                          gint64 mem, const char **conflict);
void     filter_pod_clear (FilterPod *sp);

/* Taint/toleration matching (k8s.io/api core/v1 toleration.go). */
gboolean filter_tolerates (const GPtrArray *tolerations, const KbTaint *taint);
/* nodeSelector and required node affinity against a node's labels and
 * name (all operators; Gt/Lt compare integers). */
gboolean filter_node_affinity (const FilterPod *sp, const GPtrArray *labels,
                               const char *node_name);

/* Runs the filters in order on one node. */
FilterResult filter_node (const FilterPod *sp, const Node *node);

/* The same in two halves, for callers that cache per pool:
 * filter_node_static runs TaintToleration and NodeAffinity (which depend
 * only on the node's taints and labels), filter_node_dynamic NodePorts and
 * NodeResourcesFit. filter_node = NodeUnschedulable, NodeName, static,
 * dynamic. */
FilterResult filter_node_static (const FilterPod *sp, const Node *node);
FilterResult filter_node_dynamic (const FilterPod *sp, const Node *node);

/* What scoring adds to a pod's request for containers that request
 * nothing (NonZeroRequested: 100m cpu, 200 MiB memory each). */
void filter_nonzero_extra (const KbPodTemplate *tmpl, gint64 cpu, gint64 mem,
                           gint64 *extra_cpu, gint64 *extra_mem);

/* Static score parts, which depend only on taints and labels: untolerated
 * PreferNoSchedule taints, and the weight of matching preferred terms. */
gint64 filter_taint_count (const FilterPod *sp, const Node *node);
gint64 filter_affinity_weight (const FilterPod *sp, const Node *node);

/* The reason text(s) of a result for a control plane of the given
 * version (taint wording changed in 1.18, 1.25 and 1.35: facts 6.1;
 * NodeName's in 1.21, NodeAffinity's in 1.20 and 1.21: see filter.c).
 * Appends one string per reason to out (char *, owned by out: give it
 * g_free as free function). */
void filter_reasons (const FilterResult *r, const KubeVersion *cp,
                     GPtrArray *out);

/* The whole FailedScheduling message for n_nodes results:
 * "0/N nodes are available: <count> <reason>, ... ." sorted as Go's
 * sort.Strings sorts the "<count> <reason>" strings, then, from 1.24 on,
 * " preemption: 0/N nodes are available: ..." with the DefaultPreemption
 * verdicts (no victims are modelled, so nodes failing on resources or
 * ports give "No preemption victims found for incoming pod" and the
 * others "Preemption is not helpful for scheduling"). FILTER_OK results
 * add no reason. With no nodes at all: "no nodes available to schedule
 * pods". (transfer full): g_free(). */
char *filter_failed_scheduling (const FilterResult *results, guint n_nodes,
                                const KubeVersion *cp);

/* kube-scheduler's numFeasibleNodesToFind: all nodes below 100; otherwise
 * percentage (0 = adaptive: max(5, 50 - n/125)) of n, at least 100. */
guint filter_num_feasible_to_find (guint n_nodes, guint percentage);

/* Scores the n feasible nodes with the default weights (TaintToleration
 * 3, NodeAffinity 2, NodeResourcesFit LeastAllocated 1,
 * NodeResourcesBalancedAllocation 1, ImageLocality 1), each on 0..100,
 * normalised across these nodes where the plugin's NormalizeScore does.
 * For ImageLocality (containers and init containers), image_info tells
 * whether `node` already has `image`, its size there, and on how many of
 * the cluster's n_all_nodes nodes it is present (the score is scaled by
 * that spread); image_info may be NULL. Writes one total per node into
 * totals[0..n-1]. */
typedef gboolean (*ImageInfoFunc) (const char *image, const Node *node,
                                   gint64 *size, guint *n_nodes_with,
                                   gpointer data);
void filter_score_nodes (const FilterPod *sp, Node *const *nodes, guint n,
                         guint n_all_nodes, ImageInfoFunc image_info,
                         gpointer image_data, const gint64 *static_parts,
                         const gint64 *node_parts, gint64 *totals);

/* The weighted sum of the scores that depend on one node alone, needing
 * no normalisation across nodes: LeastAllocated, BalancedAllocation and
 * ImageLocality. A caller may cache it while the node's requests, its
 * images and the images' spread are unchanged. */
gint64 filter_node_local_score (const FilterPod *sp, const Node *node,
                                guint n_all_nodes, ImageInfoFunc image_info,
                                gpointer image_data);

G_END_DECLS

#endif
