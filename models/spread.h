/* spread.h: kube-scheduler's PodTopologySpread plugin: the arithmetic.
 *
 * The pure formulas of kubernetes/kubernetes pkg/scheduler/framework/
 * plugins/podtopologyspread (scoring.go, filtering.go), for tests and
 * for the part of spread.c that reads the cluster's counts. No engine,
 * no cluster, no allocation.
 */
#ifndef KBSIM_SPREAD_H
#define KBSIM_SPREAD_H

#include <glib.h>

G_BEGIN_DECLS

/* apis/config/v1 default_plugins.go: PodTopologySpread's Score weight. */
#define SPREAD_WEIGHT           2

/* podtopologyspread/plugin.go systemDefaultConstraints: what a pod of a
 * Service, ReplicationController, ReplicaSet or StatefulSet without
 * constraints of its own is spread by, both ScheduleAnyway. */
#define SPREAD_DEFAULT_HOSTNAME_SKEW 3
#define SPREAD_DEFAULT_ZONE_SKEW     5

#define SPREAD_LABEL_HOSTNAME   "kubernetes.io/hostname"
#define SPREAD_LABEL_ZONE       "topology.kubernetes.io/zone"

/* scoring.go topologyNormalizingWeight: log(size + 2), size the number
 * of the constraint's domains among the filtered nodes. */
double spread_normalizing_weight (guint size);

/* scoring.go scoreForCount: cnt x weight + (maxSkew - 1). */
double spread_score_for_count (gint64 cnt, gint max_skew, double weight);

/* scoring.go NormalizeScore: ignored nodes score 0; if the highest raw
 * score is 0 every other node scores MaxNodeScore (100); else
 * 100 x (max + min - s) / max, in integers, so the node with the fewest
 * matching pods scores highest. ignored may be NULL. In place. */
void spread_normalize (gint64 *scores, const gboolean *ignored, guint n);

/* filtering.go Filter: a node fails a DoNotSchedule constraint when
 * matchNum + selfMatch - minMatch > maxSkew, where minMatch is the global
 * minimum over the eligible domains, or 0 while they number fewer than
 * minDomains. */
gboolean spread_skew_ok (gint64 match_num, gboolean self_match,
                         gint64 min_match, guint n_domains,
                         gint min_domains, gint max_skew);

G_END_DECLS

#endif
