/* spread.c: PodTopologySpread, the default plugin that spreads a
 * workload's pods over nodes and zones.
 *
 * Re-expressed from kubernetes/kubernetes pkg/scheduler/framework/
 * plugins/podtopologyspread (no code copied):
 *   plugin.go     systemDefaultConstraints: hostname maxSkew 3 and zone
 *                 maxSkew 5, ScheduleAnyway, for a pod without
 *                 constraints of its own that a Service,
 *                 ReplicationController, ReplicaSet or StatefulSet
 *                 selects;
 *   common.go     buildDefaultConstraints (the selector is
 *                 helper.DefaultSelector: the owners' selectors ANDed),
 *                 matchNodeInclusionPolicies, countPodsMatchSelector;
 *   scoring.go    initPreScoreState, PreScore, Score, NormalizeScore,
 *                 topologyNormalizingWeight, scoreForCount.
 * The Score weight 2 is apis/config/v1 default_plugins.go's.
 *
 * kbsim's pods carry no labels of their own; a template's pods share
 * owner and namespace, so DefaultSelector selects: for a Deployment the
 * pods of its current ReplicaSet (the selector includes
 * pod-template-hash), i.e. of the same template; for a ReplicaSet or
 * StatefulSet the pods of its template too (kbsim rolls out Deployments
 * only). DaemonSets, Jobs, CronJobs and bare pods have no default
 * constraints (no Service is modelled).
 *
 * Counting: the store keeps each template's bound pods per node
 * (TmplPods), so a zone's count walks the nodes that hold the
 * template's pods, and a node's count is one lookup: the cost of an
 * attempt grows with the feasible nodes and the workload's spread, never
 * with every pod on every node. Nothing here is cached across attempts:
 * every bind and release changes the counts.
 */
#include "models/spread.h"

#include <math.h>
#include <string.h>

#include "models/model-private.h"

#define MAX_NODE_SCORE 100

/* ---- the formulas ---------------------------------------------------- */

double
spread_normalizing_weight (guint size)
{
    /* scoring.go topologyNormalizingWeight */
    return log ((double) size + 2.0);
}

double
spread_score_for_count (gint64 cnt, gint max_skew, double weight)
{
    /* scoring.go scoreForCount */
    return (double) cnt * weight + (double) (max_skew - 1);
}

void
spread_normalize (gint64 *scores, const gboolean *ignored, guint n)
{
    gint64 min = G_MAXINT64, max = 0;

    /* scoring.go NormalizeScore */
    for (guint i = 0; i < n; i++) {
        if (ignored && ignored[i])
            continue;
        min = MIN (min, scores[i]);
        max = MAX (max, scores[i]);
    }
    for (guint i = 0; i < n; i++) {
        if (ignored && ignored[i])
            scores[i] = 0;
        else if (max == 0)
            scores[i] = MAX_NODE_SCORE;
        else
            scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
    }
}

gboolean
spread_skew_ok (gint64 match_num, gboolean self_match, gint64 min_match,
                guint n_domains, gint min_domains, gint max_skew)
{
    /* filtering.go preFilterState.minMatchNum, Filter */
    if ((gint64) n_domains < min_domains)
        min_match = 0;
    return match_num + (self_match ? 1 : 0) - min_match <= max_skew;
}

/* ---- a template's constraints ---------------------------------------- */

typedef struct {
    const char *key;                /* topologyKey */
    gint max_skew;
    gboolean honor_affinity;        /* nodeAffinityPolicy: Honor */
    gboolean honor_taints;          /* nodeTaintsPolicy: Honor */
} SpreadRule;

struct SpreadView {
    const KbPodTemplate *tmpl;
    gboolean system_defaulted;      /* the rules are the system defaults */
    SpreadRule soft[2];             /* ScheduleAnyway rules */
    guint n_soft;
};

SpreadView *
spread__view_new (Cluster *c, const KbPodTemplate *tmpl,
                  const Workload *w)
{
    const KbWorkloadSpec *owner = cluster__template_owner (c, tmpl, w);
    SpreadView *v = g_new0 (SpreadView, 1);

    v->tmpl = tmpl;
    if (owner == NULL)
        return v;
    switch (owner->kind) {
    case KB_WORKLOAD_DEPLOYMENT:
    case KB_WORKLOAD_REPLICASET:
    case KB_WORKLOAD_STATEFULSET:
        /* plugin.go systemDefaultConstraints; common.go
         * filterTopologySpreadConstraints: Honor and Ignore when unset */
        v->system_defaulted = TRUE;
        v->soft[0] = (SpreadRule) { SPREAD_LABEL_HOSTNAME,
                                    SPREAD_DEFAULT_HOSTNAME_SKEW, TRUE,
                                    FALSE };
        v->soft[1] = (SpreadRule) { SPREAD_LABEL_ZONE,
                                    SPREAD_DEFAULT_ZONE_SKEW, TRUE, FALSE };
        v->n_soft = 2;
        break;
    default:
        break;
    }
    return v;
}

void
spread__view_free (SpreadView *v)
{
    g_free (v);
}

/* ---- scoring ----------------------------------------------------------- */

/* common.go matchNodeInclusionPolicies: whether a node's pods count for
 * the incoming pod. Taints Honor skips nodes with an untolerated
 * NoSchedule or NoExecute taint (helper.DoNotScheduleTaintsFilterFunc). */
static gboolean
node_included (const SpreadRule *r, const FilterPod *sp, const Node *node)
{
    if (r->honor_affinity
        && !filter_node_affinity (sp, node->labels, node->name))
        return FALSE;
    if (r->honor_taints) {
        for (guint i = 0; node->taints && i < node->taints->len; i++) {
            const KbTaint *t = g_ptr_array_index (node->taints, i);

            if ((t->effect == KB_TAINT_NO_SCHEDULE
                 || t->effect == KB_TAINT_NO_EXECUTE)
                && !filter_tolerates (sp->tolerations, t))
                return FALSE;
        }
    }
    return TRUE;
}

static const char *
label_or_empty (const Node *node, const char *key)
{
    const char *v = kb_labels_get (node->labels, key);

    return v != NULL ? v : "";
}

/* PreScore for one rule on a key other than the hostname: the matching
 * pods in each domain of the filtered nodes (a node without the key
 * counts in the domain "" when the rules are the system defaults, as
 * initPreScoreState's map does), and the number of those domains. */
static guint
domain_counts (Cluster *c, const SpreadView *v, const SpreadRule *r,
               const FilterPod *sp, Node *const *nodes, guint n,
               const gboolean *ignored, GHashTable *counts)
{
    const TmplPods *tp = cluster__tmpl_pods (c, v->tmpl);
    GHashTableIter it;
    gpointer key, val;

    for (guint i = 0; i < n; i++)
        if (!ignored[i])
            g_hash_table_insert (counts,
                                 (gpointer) label_or_empty (nodes[i], r->key),
                                 GINT_TO_POINTER (0));
    if (tp == NULL)
        return g_hash_table_size (counts);
    g_hash_table_iter_init (&it, tp->by_node);
    while (g_hash_table_iter_next (&it, &key, &val)) {
        const Node *node = g_ptr_array_index (c->nodes,
                                              GPOINTER_TO_UINT (key) - 1);
        const char *dom;
        gpointer have;

        if (node->state == NODE_GONE || !node_included (r, sp, node))
            continue;
        if (!v->system_defaulted
            && kb_labels_get (node->labels, r->key) == NULL)
            continue;
        dom = label_or_empty (node, r->key);
        if (g_hash_table_lookup_extended (counts, dom, NULL, &have))
            g_hash_table_insert (counts, (gpointer) dom,
                                 GINT_TO_POINTER (GPOINTER_TO_INT (have)
                                                  + GPOINTER_TO_INT (val)));
    }
    return g_hash_table_size (counts);
}

/* PreScore, Score and NormalizeScore over the filtered nodes; adds the
 * weighted scores to totals. */
void
spread__score (Cluster *c, const SpreadView *v, const FilterPod *sp,
               Node *const *nodes, guint n, gint64 *totals)
{
    g_autofree gboolean *ignored = NULL;
    g_autofree double *raw = NULL;
    g_autofree gint64 *scores = NULL;
    guint n_ignored = 0;

    if (v->n_soft == 0 || n == 0)
        return;
    ignored = g_new0 (gboolean, n);
    raw = g_new0 (double, n);
    /* Only non-default rules require every key on a node
     * (requireAllTopologies): so that nodes without a zone still get
     * hostname spreading. */
    for (guint i = 0; i < n && !v->system_defaulted; i++) {
        for (guint j = 0; j < v->n_soft && !ignored[i]; j++)
            ignored[i] = kb_labels_get (nodes[i]->labels,
                                        v->soft[j].key) == NULL;
        n_ignored += ignored[i];
    }
    for (guint j = 0; j < v->n_soft; j++) {
        const SpreadRule *r = &v->soft[j];
        const TmplPods *tp = cluster__tmpl_pods (c, v->tmpl);
        gboolean host = strcmp (r->key, SPREAD_LABEL_HOSTNAME) == 0;
        g_autoptr (GHashTable) counts = NULL;
        guint size;
        double w;

        if (host) {
            size = n - n_ignored;
        } else {
            counts = g_hash_table_new (g_str_hash, g_str_equal);
            size = domain_counts (c, v, r, sp, nodes, n, ignored, counts);
        }
        w = spread_normalizing_weight (size);
        for (guint i = 0; i < n; i++) {
            const char *dom = kb_labels_get (nodes[i]->labels, r->key);
            gint64 cnt;

            /* Score: a node without the key gets nothing for it */
            if (ignored[i] || dom == NULL)
                continue;
            cnt = host ? (gint64) cluster__tmpl_pods_on (tp, nodes[i]->id)
                       : (gint64) GPOINTER_TO_INT (g_hash_table_lookup (counts,
                                                                        dom));
            raw[i] += spread_score_for_count (cnt, r->max_skew, w);
        }
    }
    scores = g_new (gint64, n);
    for (guint i = 0; i < n; i++)
        scores[i] = (gint64) round (raw[i]);    /* Go's math.Round */
    spread_normalize (scores, ignored, n);
    for (guint i = 0; i < n; i++)
        totals[i] += SPREAD_WEIGHT * scores[i];
}
