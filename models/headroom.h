/* headroom.h: how many more copies of a pod fit in a cluster as it stands,
 * counted the way kubernetes-sigs/cluster-capacity counts them.
 *
 * The rule (cluster-capacity pkg/framework/simulator.go, createNextPod,
 * postBindHook and Update; podgenerator.go; report.go): copies of one pod
 * are created one at a time, copy i named "<name>-<i>" from 0, with
 * spec.nodeName cleared and the default scheduler named; the default
 * scheduler's profile (its filters and its scoring, only the binder
 * replaced) schedules each and binds it, so that the copy holds its
 * requests, its pod slot and its host ports on its node before the next
 * copy is made. The count stops at the first copy that fails to schedule,
 * with reason "Unschedulable" and the scheduler's FailedScheduling text,
 * or, with a limit N > 0, right after the N-th copy is bound, with
 * reason "LimitReached" and "Maximum number of pods simulated: N".
 *
 * Here each copy goes through kbsim's own scheduling attempt
 * (sched__pick_node: the rotating start node, numFeasibleNodesToFind,
 * every default filter, the default scores and the tie-break draw), so
 * taints, nodeSelector and affinity, the os/arch/windows-build labels,
 * cpu, memory and max pods per node all apply as they do to the run's
 * own pods. A copy is never a pod of the cluster: it creates no events,
 * no counters and no kubelet work, and when the count is done every copy
 * is taken off its node again.
 *
 * What the count sees: the nodes listed at the cluster's current time and
 * the requests of the pods bound to them (Pending pods that are not bound
 * hold nothing). NEEDSWORK: cluster-capacity copies the cluster's
 * Pending pods too, and its scheduler would place those ahead of the
 * first copy; kbsim leaves them out. The kubelet's admission is not part
 * of the rule: a copy the scheduler binds counts even on a node whose
 * kubelet would refuse it (a Windows pod with no nodeSelector on a Linux
 * node), as it does in cluster-capacity.
 */
#ifndef KBSIM_HEADROOM_H
#define KBSIM_HEADROOM_H

#include <glib.h>

#include "models/cluster.h"

G_BEGIN_DECLS

#define KB_HEADROOM_ERROR (kb_headroom_error_quark ())
GQuark kb_headroom_error_quark (void);

typedef enum {
    KB_HEADROOM_ERROR_REJECTED,     /* the API server rejects the pod */
    KB_HEADROOM_ERROR_FAILED
} KbHeadroomError;

/* One node pool of the scenario. */
typedef struct {
    char *name;                     /* owned by the Headroom */
    KbOs os;
    gint64 nodes;                   /* its nodes listed at the time */
    gint64 fits;                    /* copies bound to them */
} HeadroomPool;

/* One node that took copies. */
typedef struct {
    char *name;                     /* owned by the Headroom */
    guint pool;                     /* index into pools */
    gint64 fits;
} HeadroomNode;

typedef struct {
    SimTime at;                     /* the cluster's time of the count */
    gint64 total;                   /* copies bound in all */
    GArray *pools;                  /* HeadroomPool, in the scenario's
                                     * pool order, every pool */
    GArray *nodes;                  /* HeadroomNode, by node id, only the
                                     * nodes with fits > 0 */
    char *stop_type;                /* "Unschedulable" or "LimitReached" */
    char *stop_message;             /* the FailedScheduling text ("0/5
                                     * nodes are available: ...") or
                                     * "Maximum number of pods simulated:
                                     * N" */
} Headroom;

/* Counts the copies of tmpl that fit in c at its current time, stopping
 * after max_limit copies when max_limit > 0. name is what copies are
 * named after ("<name>-<i>"). c must be at rest (between events, as
 * run_until() leaves it); its nodes are as they were when this returns,
 * but the scheduler's start node and tie-break streams have moved on, so
 * a caller that wants the run's own future must not advance c
 * afterwards. tmpl must outlive c.
 *
 * Returns NULL with KB_HEADROOM_ERROR_REJECTED when the API server
 * rejects the pod (Linux-only fields on a Windows pod, a RuntimeClass
 * whose nodeSelector conflicts with the pod's): no copy could be created.
 * A pod that fits nowhere is not an error: total 0 and the reason.
 * (transfer full): headroom_free(); it owns all its strings, so it may
 * outlive c and its scenario. */
Headroom *headroom_count (Cluster *c, const KbPodTemplate *tmpl,
                          const char *name, gint64 max_limit,
                          GError **error);
void      headroom_free (Headroom *h);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Headroom, headroom_free)

G_END_DECLS

#endif
