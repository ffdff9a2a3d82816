/* explain.h: why a pod is where it is, in plain words.
 *
 * For `kbsim explain`: a pod's story in `kubectl describe pod` style, then
 * the reason a senior engineer would give: for an unscheduled pod, every
 * node pool with the first scheduler filter it fails; for a pod stuck on a
 * node, the host against each entry of its image index with the
 * containerd rule that decides, and what would fix it.
 */
#ifndef KBSIM_EXPLAIN_H
#define KBSIM_EXPLAIN_H

#include <glib.h>

#include "models/cluster.h"

G_BEGIN_DECLS

/* The pod named `name` (as kbsim names pods: "<workload>-<n>"), or NULL.
 * (transfer none). */
const Pod *explain_find_pod (const Cluster *c, const char *name);

/* The explanation of a pod at the cluster's current time; events are the
 * ClusterEvent lines recorded for it (char *, "time\ttype\treason\tmsg").
 * (transfer full): g_free(). */
char *explain_pod (Cluster *c, const Pod *pod, const GPtrArray *events);

/* A node's OS, build, kubelet and skew status, its pods and its images.
 * (transfer full): g_free(). */
char *explain_node (Cluster *c, const Node *node);

G_END_DECLS

#endif
