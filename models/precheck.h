/* precheck.h: the pods that no node count can place.
 *
 * Before a capacity search sizes the pools, each workload's pod template
 * is put, without simulating time, against a node as each pool would
 * make it, in every Windows build the pool has during the run (its own
 * and each build an upgrade_pool event gives it): the scheduler's filters
 * on an empty node (taints, nodeSelector and affinity, the os/arch/build
 * labels, requests against the whole allocatable, host ports), then each
 * container's image entry for that host (an index with no entry for the
 * build fails at pull; a single manifest of another OS or build fails at
 * create or start), then the RuntimeClass handler. A workload no pool
 * passes in any of its builds cannot run whatever the node counts: the
 * finding says which pool stopped it and how.
 *
 * Not looked at: templates that rollouts bring later (only the template
 * the run starts with), DaemonSets (a pool that cannot host them simply
 * gets none), workloads the API server refuses (the run counts those
 * already, with the server's message), and capacity the scheduler would
 * find busy (that is what the search is for).
 */
#ifndef KBSIM_PRECHECK_H
#define KBSIM_PRECHECK_H

#include <glib.h>

#include "models/cluster.h"

G_BEGIN_DECLS

typedef struct {
    char *workload;
    KbOs os;
    char *why;                      /* per pool, what stops its pods */
    char *fix;                      /* what would let them run */
} PrecheckFinding;

/* The workloads of c's scenario that no pool can run, in the scenario's
 * order. c is a cluster as cluster_new() made it, not yet run.
 * (transfer full): an array whose free function frees the findings. */
GPtrArray *precheck_unplaceable (Cluster *c);

G_END_DECLS

#endif /* KBSIM_PRECHECK_H */
