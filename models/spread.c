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

/* The two well-known keys, one copy each, so that the rules the system
 * defaults make can be told by their address (node_label()) without
 * relying on the compiler merging string literals. */
static const char label_hostname[] = SPREAD_LABEL_HOSTNAME;
static const char label_zone[] = SPREAD_LABEL_ZONE;

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
    gint min_domains;
    gboolean honor_affinity;        /* nodeAffinityPolicy: Honor */
    gboolean honor_taints;          /* nodeTaintsPolicy: Honor */
    const KbLabelSelector *selector;/* NULL with own: the template's pods
                                     * (DefaultSelector); NULL else:
                                     * nothing */
    gboolean own;
    gboolean self_match;            /* the incoming pod matches it */
    GPtrArray *matching;            /* TmplPods * it selects, (transfer
                                     * none) */
    guint seen;                     /* store templates looked at so far */
    /* PreFilter (DoNotSchedule rules): matching pods per eligible
     * domain, their number and minimum */
    GHashTable *domains;            /* value -> count */
    gint64 min_match;
} SpreadRule;

struct SpreadView {
    const KbPodTemplate *tmpl;
    const char *ns;
    gboolean system_defaulted;      /* the rules are the system defaults */
    GArray *soft;                   /* SpreadRule, ScheduleAnyway */
    GArray *hard;                   /* SpreadRule, DoNotSchedule */
};

/* metav1.LabelSelectorAsSelector, then Matches on a template's labels. */
static gboolean
selector_matches (const KbLabelSelector *sel, const GPtrArray *labels)
{
    for (guint i = 0; i < sel->match_labels->len; i++) {
        const KbLabel *l = g_ptr_array_index (sel->match_labels, i);
        const char *have = kb_labels_get (labels, l->key);

        if (have == NULL || strcmp (have, l->value) != 0)
            return FALSE;
    }
    for (guint i = 0; i < sel->match_expressions->len; i++) {
        const KbSelectorRequirement *r =
            g_ptr_array_index (sel->match_expressions, i);
        const char *have = kb_labels_get (labels, r->key);
        gboolean in = FALSE;

        for (guint j = 0; have && j < r->values->len; j++)
            in |= strcmp (g_ptr_array_index (r->values, j), have) == 0;
        if ((r->op == KB_SELECTOR_IN && !in)
            || (r->op == KB_SELECTOR_NOT_IN && in)
            || (r->op == KB_SELECTOR_EXISTS && have == NULL)
            || (r->op == KB_SELECTOR_DOES_NOT_EXIST && have != NULL))
            return FALSE;
    }
    return TRUE;
}

static gboolean
selector_empty (const KbLabelSelector *sel)
{
    return sel->match_labels->len == 0 && sel->match_expressions->len == 0;
}

/* The store's templates the rule selects, brought up to date: templates
 * are only ever added, so only the new ones are looked at. A nil
 * selector selects nothing; an empty one is labels.Everything, which
 * countPodsMatchSelector counts as nothing too (selector.Empty()). */
static void
rule_refresh (Cluster *c, const SpreadView *v, SpreadRule *r)
{
    for (; r->seen < c->tmpl_pods_list->len; r->seen++) {
        TmplPods *tp = g_ptr_array_index (c->tmpl_pods_list, r->seen);
        const char *ns = tp->owner ? tp->owner->namespace : "default";

        if (r->own ? tp->tmpl == v->tmpl
                   : r->selector != NULL && !selector_empty (r->selector)
                         && strcmp (ns, v->ns) == 0
                         && selector_matches (r->selector, tp->tmpl->labels))
            g_ptr_array_add (r->matching, tp);
    }
}

static guint
rule_pods_on (const SpreadRule *r, guint32 node_id)
{
    guint n = 0;

    for (guint i = 0; i < r->matching->len; i++)
        n += cluster__tmpl_pods_on (g_ptr_array_index (r->matching, i),
                                    node_id);
    return n;
}

static void
rule_clear (gpointer p)
{
    SpreadRule *r = p;

    g_ptr_array_unref (r->matching);
    if (r->domains)
        g_hash_table_unref (r->domains);
}

static void
add_rule (GArray *to, SpreadRule r)
{
    r.matching = g_ptr_array_new ();
    g_array_append_val (to, r);
}

SpreadView *
spread__view_new (Cluster *c, const KbPodTemplate *tmpl,
                  const Workload *w)
{
    const KbWorkloadSpec *owner = cluster__template_owner (c, tmpl, w);
    SpreadView *v = g_new0 (SpreadView, 1);
    const GPtrArray *user = tmpl->spread_constraints;

    v->tmpl = tmpl;
    v->ns = owner ? owner->namespace : "default";
    v->soft = g_array_new (FALSE, TRUE, sizeof (SpreadRule));
    v->hard = g_array_new (FALSE, TRUE, sizeof (SpreadRule));
    g_array_set_clear_func (v->soft, rule_clear);
    g_array_set_clear_func (v->hard, rule_clear);
    /* common.go filterTopologySpreadConstraints: the pod's own
     * constraints, split by whenUnsatisfiable */
    for (guint i = 0; user && i < user->len; i++) {
        const KbSpreadConstraint *sc = g_ptr_array_index (user, i);
        SpreadRule r = { sc->topology_key, sc->max_skew, sc->min_domains,
                         sc->honor_affinity, sc->honor_taints, sc->selector,
                         FALSE, FALSE, NULL, 0, NULL, 0 };

        r.self_match = sc->selector != NULL
                       && selector_matches (sc->selector, tmpl->labels);
        add_rule (sc->do_not_schedule ? v->hard : v->soft, r);
    }
    if (user && user->len > 0)
        return v;
    switch (owner ? owner->kind : KB_WORKLOAD_POD) {
    case KB_WORKLOAD_DEPLOYMENT:
    case KB_WORKLOAD_REPLICASET:
    case KB_WORKLOAD_STATEFULSET:
        /* plugin.go systemDefaultConstraints (all ScheduleAnyway);
         * Honor and Ignore as common.go defaults them */
        v->system_defaulted = TRUE;
        add_rule (v->soft, (SpreadRule) { label_hostname,
                                          SPREAD_DEFAULT_HOSTNAME_SKEW, 1,
                                          TRUE, FALSE, NULL, TRUE, TRUE,
                                          NULL, 0, NULL, 0 });
        add_rule (v->soft, (SpreadRule) { label_zone,
                                          SPREAD_DEFAULT_ZONE_SKEW, 1, TRUE,
                                          FALSE, NULL, TRUE, TRUE, NULL, 0,
                                          NULL, 0 });
        break;
    default:
        break;
    }
    return v;
}

void
spread__view_free (SpreadView *v)
{
    g_array_unref (v->soft);
    g_array_unref (v->hard);
    g_free (v);
}

gboolean
spread__has_filter (const SpreadView *v)
{
    return v->hard->len > 0;
}

/* ---- shared by filter and score ---------------------------------------- */

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

/* A node's value for a topology key. The two well-known keys are read
 * without a label search (the walk asks for them at every filtered
 * node): kbsim sets the hostname label to the node's name, and a pool
 * node has a zone label only from its pool's `zones` (node-list nodes and
 * re-imaged ones are searched). */
static const char *
node_label (const Node *node, const char *key)
{
    if (key == label_hostname || strcmp (key, SPREAD_LABEL_HOSTNAME) == 0)
        return node->name;
    if ((key == label_zone || strcmp (key, SPREAD_LABEL_ZONE) == 0)
        && node->spec->zones->len == 0 && !node->spec->from_node_list
        && !node->custom_labels)
        return NULL;
    return kb_labels_get (node->labels, key);
}

static const char *
label_or_empty (const Node *node, const char *key)
{
    const char *v = node_label (node, key);

    return v != NULL ? v : "";
}

/* nodeLabelsMatchSpreadConstraints: the node has every rule's key. */
static gboolean
has_all_keys (const GArray *rules, const Node *node)
{
    for (guint j = 0; j < rules->len; j++)
        if (node_label (node,
                           g_array_index (rules, SpreadRule, j).key) == NULL)
            return FALSE;
    return TRUE;
}

/* Adds each matching pod on an included node to its domain's count, for
 * the domains already in `counts`. */
static void
count_into (Cluster *c, const SpreadRule *r, const FilterPod *sp,
            const GArray *all_keys, GHashTable *counts)
{
    for (guint m = 0; m < r->matching->len; m++) {
        const TmplPods *tp = g_ptr_array_index (r->matching, m);
        GHashTableIter it;
        gpointer key, val;

        g_hash_table_iter_init (&it, tp->by_node);
        while (g_hash_table_iter_next (&it, &key, &val)) {
            const Node *node = g_ptr_array_index (c->nodes,
                                                  GPOINTER_TO_UINT (key) - 1);
            const char *dom;
            gpointer have;

            if (node->state == NODE_GONE
                || (all_keys && !has_all_keys (all_keys, node))
                || !node_included (r, sp, node))
                continue;
            dom = label_or_empty (node, r->key);
            if (g_hash_table_lookup_extended (counts, dom, NULL, &have))
                g_hash_table_insert (counts, (gpointer) dom,
                                     GINT_TO_POINTER (GPOINTER_TO_INT (have)
                                                      + GPOINTER_TO_INT (val)));
        }
    }
}

/* ---- filtering (DoNotSchedule) ------------------------------------------ */

/* filtering.go calPreFilterState: every node that has all the hard
 * rules' keys and passes a rule's inclusion policies makes its value a
 * domain of that rule (with 0 pods if none match); then the matching
 * pods are counted in and the minimum taken. NEEDSWORK: the domains are
 * found by a walk over every node per attempt, only for pods with
 * DoNotSchedule constraints; cache them per node-set change if such pods
 * become common in large scenarios. */
void
spread__prefilter (Cluster *c, SpreadView *v, const FilterPod *sp)
{
    for (guint j = 0; j < v->hard->len; j++) {
        SpreadRule *r = &g_array_index (v->hard, SpreadRule, j);
        GHashTableIter it;
        gpointer val;

        rule_refresh (c, v, r);
        if (r->domains == NULL)
            r->domains = g_hash_table_new (g_str_hash, g_str_equal);
        g_hash_table_remove_all (r->domains);
        for (guint i = 0; i < c->nodes->len; i++) {
            const Node *node = g_ptr_array_index (c->nodes, i);

            if (node->state != NODE_GONE && has_all_keys (v->hard, node)
                && node_included (r, sp, node))
                g_hash_table_insert (r->domains,
                                     (gpointer) label_or_empty (node, r->key),
                                     GINT_TO_POINTER (0));
        }
        count_into (c, r, sp, v->hard, r->domains);
        r->min_match = G_MAXINT32;      /* newCriticalPaths */
        g_hash_table_iter_init (&it, r->domains);
        while (g_hash_table_iter_next (&it, NULL, &val))
            r->min_match = MIN (r->min_match, GPOINTER_TO_INT (val));
    }
}

/* filtering.go Filter, after spread__prefilter in the same attempt. */
FilterCode
spread__filter (const SpreadView *v, const Node *node)
{
    for (guint j = 0; j < v->hard->len; j++) {
        const SpreadRule *r = &g_array_index (v->hard, SpreadRule, j);
        const char *dom = node_label (node, r->key);
        gint64 match;

        if (dom == NULL)
            return FILTER_SPREAD_LABEL;
        match = GPOINTER_TO_INT (g_hash_table_lookup (r->domains, dom));
        if (!spread_skew_ok (match, r->self_match, r->min_match,
                             g_hash_table_size (r->domains), r->min_domains,
                             r->max_skew))
            return FILTER_SPREAD;
    }
    return FILTER_OK;
}

/* ---- scoring ----------------------------------------------------------- */

/* PreScore for one rule on a key other than the hostname: the matching
 * pods in each domain of the filtered nodes (a node without the key
 * counts in the domain "" when the rules are the system defaults, as
 * initPreScoreState's map does), and the number of those domains. */
static guint
domain_counts (Cluster *c, const SpreadView *v, const SpreadRule *r,
               const FilterPod *sp, Node *const *nodes, guint n,
               const gboolean *ignored, GHashTable *counts)
{
    gboolean any_key = FALSE;

    for (guint i = 0; i < n; i++) {
        if (ignored[i])
            continue;
        any_key |= node_label (nodes[i], r->key) != NULL;
        g_hash_table_insert (counts,
                             (gpointer) label_or_empty (nodes[i], r->key),
                             GINT_TO_POINTER (0));
    }
    /* Score reads a domain's count only for nodes that have the key: with
     * none among the filtered nodes (no zones declared) counting would
     * walk every node holding matching pods for nothing. */
    if (any_key)
        count_into (c, r, sp, v->system_defaulted ? NULL : v->soft, counts);
    return g_hash_table_size (counts);
}

static gboolean
any_node_has (Node *const *nodes, guint n, const gboolean *ignored,
              const char *key)
{
    for (guint i = 0; i < n; i++)
        if (!ignored[i] && node_label (nodes[i], key) != NULL)
            return TRUE;
    return FALSE;
}

/* PreScore, Score and NormalizeScore over the filtered nodes; adds the
 * weighted scores to totals. */
void
spread__score (Cluster *c, SpreadView *v, const FilterPod *sp,
               Node *const *nodes, guint n, gint64 *totals)
{
    g_autofree gboolean *ignored = NULL;
    g_autofree double *raw = NULL;
    g_autofree gint64 *scores = NULL;
    guint n_ignored = 0;

    if (v->soft->len == 0 || n == 0)
        return;
    ignored = g_new0 (gboolean, n);
    raw = g_new0 (double, n);
    /* Only non-default rules require every key on a node
     * (requireAllTopologies): so that nodes without a zone still get
     * hostname spreading. */
    for (guint i = 0; i < n && !v->system_defaulted; i++) {
        ignored[i] = !has_all_keys (v->soft, nodes[i]);
        n_ignored += ignored[i];
    }
    for (guint j = 0; j < v->soft->len; j++) {
        SpreadRule *r = &g_array_index (v->soft, SpreadRule, j);
        gboolean host = strcmp (r->key, SPREAD_LABEL_HOSTNAME) == 0;
        g_autoptr (GHashTable) counts = NULL;
        guint size;
        double w;

        rule_refresh (c, v, r);
        if (host) {
            size = n - n_ignored;
        } else if (!any_node_has (nodes, n, ignored, r->key)) {
            /* no filtered node has the key (no zones declared): Score
             * adds nothing for it, whatever the weight; skip the count */
            continue;
        } else {
            counts = g_hash_table_new (g_str_hash, g_str_equal);
            size = domain_counts (c, v, r, sp, nodes, n, ignored, counts);
        }
        w = spread_normalizing_weight (size);
        for (guint i = 0; i < n; i++) {
            const char *dom = node_label (nodes[i], r->key);
            gint64 cnt;

            /* Score: a node without the key gets nothing for it */
            if (ignored[i] || dom == NULL)
                continue;
            cnt = host ? (gint64) rule_pods_on (r, nodes[i]->id)
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
