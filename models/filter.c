/* filter.c: kube-scheduler's default Filter and Score plugins for one pod,
 * and the FailedScheduling message built from their verdicts.
 *
 * Each function follows one plugin of kubernetes/kubernetes pkg/scheduler
 * (framework/plugins/...; behaviour re-expressed, no code copied):
 *
 *   nodeunschedulable  spec.unschedulable, unless the pod tolerates the
 *                      node.kubernetes.io/unschedulable:NoSchedule taint
 *   nodename           spec.nodeName
 *   tainttoleration    first untolerated NoSchedule/NoExecute taint; score
 *                      from untolerated PreferNoSchedule taints
 *   nodeaffinity       nodeSelector AND required terms (component-helpers
 *                      scheduling/corev1/nodeaffinity); score from
 *                      preferred terms
 *   nodeports          host ports already in use on the node
 *   noderesources      fit (pods, cpu, memory), LeastAllocated and
 *                      BalancedAllocation scores
 *   imagelocality      images already on the node, scaled by spread
 *
 * The filters run in the order of apis/config/v1 default_plugins.go since
 * v1.20 (facts 6.1): a node records only the first one it fails. Scores
 * are int64 on 0..MaxNodeScore (100), normalised as each plugin's
 * NormalizeScore does, then weighted and summed as the framework does.
 *
 * The filter path (filter_node and what it calls) allocates nothing: the
 * scheduler calls it once per node per attempt. Messages and scores may
 * allocate.
 *
 * Texts of FailedScheduling change with the control plane's version; each
 * is listed in reason_text() with the upstream change that introduced it.
 */
#include "models/filter.h"

#include <math.h>
#include <string.h>

#define MAX_NODE_SCORE          100

/* pkg/scheduler/util: requests assumed for containers that set none, for
 * scoring only ("200 MB" in the source is 200 MiB). */
#define DEFAULT_MILLI_CPU       G_GINT64_CONSTANT (100)
#define DEFAULT_MEMORY          (G_GINT64_CONSTANT (200) * 1024 * 1024)

/* imagelocality: scores move between 23 MiB and 1000 MiB per container. */
#define MIB                     (G_GINT64_CONSTANT (1024) * 1024)
#define IMAGE_MIN_THRESHOLD     (23 * MIB)
#define IMAGE_MAX_PER_CONTAINER (1000 * MIB)

/* schedule_one.go. */
#define MIN_FEASIBLE_NODES      100
#define MIN_FEASIBLE_PERCENTAGE 5

/* apis/config/v1 default_plugins.go: Score weights. */
#define WEIGHT_TAINT_TOLERATION 3
#define WEIGHT_NODE_AFFINITY    2
#define WEIGHT_RESOURCES_FIT    1
#define WEIGHT_BALANCED         1
#define WEIGHT_IMAGE_LOCALITY   1

#define LABEL_HOSTNAME          "kubernetes.io/hostname"
#define LABEL_ZONE              "topology.kubernetes.io/zone"
#define FIELD_NODE_NAME         "metadata.name"
#define TAINT_UNSCHEDULABLE     "node.kubernetes.io/unschedulable"

static gint64 nonzero_request (const KbPodTemplate *t, gint64 effective,
                               gboolean cpu);

static const char *
str0 (const char *s)
{
    return s != NULL ? s : "";
}

/* TRUE when the control plane is 1.minor or later. */
static gboolean
cp_at_least (const KubeVersion *cp, guint minor)
{
    return cp->major > 1 || (cp->major == 1 && cp->minor >= minor);
}

/* ---- tolerations (k8s.io/api core/v1 toleration.go ToleratesTaint) ------- */

static gboolean
toleration_matches (const KbToleration *t, const KbTaint *taint)
{
    if (t->effect != KB_TAINT_ANY && t->effect != taint->effect)
        return FALSE;
    /* An empty key matches every key; validation allows it with Exists
     * only, but the check itself does not look at the operator. */
    if (str0 (t->key)[0] != '\0' && strcmp (t->key, str0 (taint->key)) != 0)
        return FALSE;
    switch (t->op) {
    case KB_TOLERATION_EXISTS:
        return TRUE;
    case KB_TOLERATION_EQUAL:
        return strcmp (str0 (t->value), str0 (taint->value)) == 0;
    }
    return FALSE;
}

gboolean
filter_tolerates (const GPtrArray *tolerations, const KbTaint *taint)
{
    g_return_val_if_fail (taint != NULL, FALSE);

    if (tolerations == NULL)
        return FALSE;
    for (guint i = 0; i < tolerations->len; i++)
        if (toleration_matches (g_ptr_array_index (tolerations, i), taint))
            return TRUE;
    return FALSE;
}

/* ---- node affinity ------------------------------------------------------- */

/* Go's strconv.ParseInt (s, 10, 64): an optional sign, then decimal digits
 * only; FALSE on anything else or on overflow. */
static gboolean
parse_int64 (const char *s, gint64 *out)
{
    gboolean neg = FALSE;
    guint64 v = 0, limit;

    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    if (*s == '\0')
        return FALSE;
    limit = neg ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
    for (; *s != '\0'; s++) {
        guint d;

        if (*s < '0' || *s > '9')
            return FALSE;
        d = (guint) (*s - '0');
        if (v > (limit - d) / 10)
            return FALSE;
        v = v * 10 + d;
    }
    *out = neg ? (gint64) (0 - v) : (gint64) v;
    return TRUE;
}

static const char *
labels_get (const GPtrArray *labels, const char *key)
{
    return labels != NULL ? kb_labels_get (labels, key) : NULL;
}

static gboolean
values_contain (const GPtrArray *values, const char *v)
{
    for (guint i = 0; values != NULL && i < values->len; i++)
        if (strcmp (g_ptr_array_index (values, i), v) == 0)
            return TRUE;
    return FALSE;
}

static guint
n_values (const KbSelectorRequirement *r)
{
    return r->values != NULL ? r->values->len : 0;
}

/* Whether a requirement parses as labels.NewRequirement (matchExpressions)
 * or as a field selector (matchFields: In or NotIn with one value) would
 * accept it. A term holding a bad requirement matches no node. Key syntax
 * is the loader's business. */
static gboolean
requirement_valid (const KbSelectorRequirement *r)
{
    gint64 ignored;

    if (r->field)
        return (r->op == KB_SELECTOR_IN || r->op == KB_SELECTOR_NOT_IN)
               && n_values (r) == 1;
    switch (r->op) {
    case KB_SELECTOR_IN:
    case KB_SELECTOR_NOT_IN:
        return n_values (r) > 0;
    case KB_SELECTOR_EXISTS:
    case KB_SELECTOR_DOES_NOT_EXIST:
        return n_values (r) == 0;
    case KB_SELECTOR_GT:
    case KB_SELECTOR_LT:
        return n_values (r) == 1
               && parse_int64 (g_ptr_array_index (r->values, 0), &ignored);
    }
    return FALSE;
}

/* labels.Requirement.Matches. */
static gboolean
label_requirement_matches (const KbSelectorRequirement *r,
                           const GPtrArray *labels)
{
    const char *have = labels_get (labels, r->key);
    gint64 a, b;

    switch (r->op) {
    case KB_SELECTOR_IN:
        return have != NULL && values_contain (r->values, have);
    case KB_SELECTOR_NOT_IN:
        return have == NULL || !values_contain (r->values, have);
    case KB_SELECTOR_EXISTS:
        return have != NULL;
    case KB_SELECTOR_DOES_NOT_EXIST:
        return have == NULL;
    case KB_SELECTOR_GT:
    case KB_SELECTOR_LT:
        /* A label that is not an integer matches neither. */
        if (have == NULL || !parse_int64 (have, &a)
            || !parse_int64 (g_ptr_array_index (r->values, 0), &b))
            return FALSE;
        return r->op == KB_SELECTOR_GT ? a > b : a < b;
    }
    return FALSE;
}

/* A field selector term: "=" or "!=" on the node's fields, of which only
 * metadata.name exists (others read as ""). */
static gboolean
field_requirement_matches (const KbSelectorRequirement *r,
                           const char *node_name)
{
    const char *have = strcmp (r->key, FIELD_NODE_NAME) == 0 ? node_name : "";
    gboolean eq = strcmp (have, g_ptr_array_index (r->values, 0)) == 0;

    return r->op == KB_SELECTOR_IN ? eq : !eq;
}

/* One term: its requirements ANDed. A term without requirements matches
 * nothing (nodeaffinity drops it); for a node without a name the
 * matchFields part is not checked, as upstream does. */
static gboolean
term_matches (const KbSelectorTerm *term, const GPtrArray *labels,
              const char *node_name)
{
    const GPtrArray *reqs = term->requirements;

    if (reqs == NULL || reqs->len == 0)
        return FALSE;
    for (guint i = 0; i < reqs->len; i++)
        if (!requirement_valid (g_ptr_array_index (reqs, i)))
            return FALSE;
    for (guint i = 0; i < reqs->len; i++) {
        const KbSelectorRequirement *r = g_ptr_array_index (reqs, i);

        if (r->field) {
            if (node_name[0] != '\0'
                && !field_requirement_matches (r, node_name))
                return FALSE;
        } else if (!label_requirement_matches (r, labels)) {
            return FALSE;
        }
    }
    return TRUE;
}

gboolean
filter_node_affinity (const FilterPod *sp, const GPtrArray *labels,
                      const char *node_name)
{
    const GPtrArray *terms;

    g_return_val_if_fail (sp != NULL, FALSE);

    node_name = str0 (node_name);
    /* nodeSelector: every key present with exactly that value. */
    for (guint i = 0; sp->node_selector && i < sp->node_selector->len; i++) {
        const KbLabel *want = g_ptr_array_index (sp->node_selector, i);
        const char *have = labels_get (labels, want->key);

        if (have == NULL || strcmp (have, str0 (want->value)) != 0)
            return FALSE;
    }
    terms = sp->tmpl != NULL ? sp->tmpl->required_terms : NULL;
    if (terms == NULL || terms->len == 0)
        return TRUE;
    for (guint i = 0; i < terms->len; i++)
        if (term_matches (g_ptr_array_index (terms, i), labels, node_name))
            return TRUE;
    return FALSE;
}

/* ---- the filters --------------------------------------------------------- */

static gboolean
ports_free (const KbPodTemplate *tmpl, const GArray *in_use)
{
    if (tmpl == NULL || in_use == NULL || in_use->len == 0)
        return TRUE;
    for (guint i = 0; i < tmpl->containers->len; i++) {
        const KbContainerSpec *c = g_ptr_array_index (tmpl->containers, i);

        for (guint j = 0; c->host_ports != NULL && j < c->host_ports->len;
             j++) {
            guint16 want = g_array_index (c->host_ports, guint16, j);

            if (want == 0)
                continue;
            for (guint k = 0; k < in_use->len; k++)
                if (g_array_index (in_use, guint16, k) == want)
                    return FALSE;
        }
    }
    return TRUE;
}

/* NodeResourcesFit: every shortage, in upstream's order. A resource the
 * pod does not request never falls short. */
static guint
resources_short (const FilterPod *sp, const Node *node)
{
    guint bits = 0;

    if (node->n_pods + 1 > node->max_pods)
        bits |= FILTER_TOO_MANY_PODS;
    if (sp->cpu > 0 && sp->cpu > node->alloc_cpu - node->req_cpu)
        bits |= FILTER_INSUFFICIENT_CPU;
    if (sp->mem > 0 && sp->mem > node->alloc_mem - node->req_mem)
        bits |= FILTER_INSUFFICIENT_MEMORY;
    return bits;
}

static const KbTaint *
first_untolerated (const FilterPod *sp, const GPtrArray *taints)
{
    for (guint i = 0; taints != NULL && i < taints->len; i++) {
        const KbTaint *t = g_ptr_array_index (taints, i);

        if (t->effect != KB_TAINT_NO_SCHEDULE
            && t->effect != KB_TAINT_NO_EXECUTE)
            continue;
        if (!filter_tolerates (sp->tolerations, t))
            return t;
    }
    return NULL;
}

FilterResult
filter_node_static (const FilterPod *sp, const Node *node)
{
    FilterResult r = { FILTER_OK, NULL, 0 };

    if ((r.taint = first_untolerated (sp, node->taints)) != NULL)
        r.code = FILTER_TAINT;
    else if (!filter_node_affinity (sp, node->labels, node->name))
        r.code = FILTER_NODE_AFFINITY;
    return r;
}

FilterResult
filter_node_dynamic (const FilterPod *sp, const Node *node)
{
    FilterResult r = { FILTER_OK, NULL, 0 };

    if (!ports_free (sp->tmpl, node->host_ports))
        r.code = FILTER_NODE_PORTS;
    else if ((r.insufficient = resources_short (sp, node)) != 0)
        r.code = FILTER_RESOURCES;
    return r;
}

FilterResult
filter_node (const FilterPod *sp, const Node *node)
{
    static const KbTaint unschedulable = {
        (char *) TAINT_UNSCHEDULABLE, (char *) "", KB_TAINT_NO_SCHEDULE
    };
    FilterResult r = { FILTER_OK, NULL, 0 };

    g_return_val_if_fail (sp != NULL && node != NULL, r);

    if (node->unschedulable
        && !filter_tolerates (sp->tolerations, &unschedulable))
        r.code = FILTER_NODE_UNSCHEDULABLE;
    else if (sp->node_name != NULL
             && strcmp (sp->node_name, str0 (node->name)) != 0)
        r.code = FILTER_NODE_NAME;
    else if ((r = filter_node_static (sp, node)).code == FILTER_OK)
        r = filter_node_dynamic (sp, node);
    return r;
}

/* ---- reason texts -------------------------------------------------------- */

/* The taint reason (facts 6.1). 1.18-1.24 and 1.25-1.34 differ; the new
 * wording (kubernetes PR #109119) lost its v1.24 milestone at code freeze,
 * so whether 1.24 already had it is unconfirmed: kbsim starts it at 1.25.
 * The 1.34 patch that backported the 1.35 text is unknown, so 1.34 keeps
 * the {key: value} form. */
static char *
taint_text (const KbTaint *t, const KubeVersion *cp)
{
    const char *key = t != NULL ? str0 (t->key) : "";
    const char *value = t != NULL ? str0 (t->value) : "";

    if (cp_at_least (cp, 35))
        return g_strdup ("node(s) had untolerated taint(s)");
    if (cp_at_least (cp, 25))
        return g_strdup_printf ("node(s) had untolerated taint {%s: %s}",
                                key, value);
    if (cp_at_least (cp, 18))
        return g_strdup_printf ("node(s) had taint {%s: %s}, that the pod "
                                "didn't tolerate", key, value);
    return g_strdup ("node(s) had taints that the pod didn't tolerate");
}

/* NodeName and NodeAffinity texts also changed (not in the facts; from
 * upstream history): "requested hostname" became "requested node name" in
 * PR #97454 (v1.21); NodeAffinity said "didn't match node selector" until
 * PR #96202 (v1.20) gave it "didn't match Pod's node affinity", and PR
 * #97521 (v1.21) appended "/selector". */
static const char *
node_name_text (const KubeVersion *cp)
{
    return cp_at_least (cp, 21)
           ? "node(s) didn't match the requested node name"
           : "node(s) didn't match the requested hostname";
}

static const char *
node_affinity_text (const KubeVersion *cp)
{
    if (cp_at_least (cp, 21))
        return "node(s) didn't match Pod's node affinity/selector";
    if (cp_at_least (cp, 20))
        return "node(s) didn't match Pod's node affinity";
    return "node(s) didn't match node selector";
}

void
filter_reasons (const FilterResult *r, const KubeVersion *cp, GPtrArray *out)
{
    g_return_if_fail (r != NULL && cp != NULL && out != NULL);

    switch (r->code) {
    case FILTER_OK:
        break;
    case FILTER_NODE_UNSCHEDULABLE:
        g_ptr_array_add (out, g_strdup ("node(s) were unschedulable"));
        break;
    case FILTER_NODE_NAME:
        g_ptr_array_add (out, g_strdup (node_name_text (cp)));
        break;
    case FILTER_TAINT:
        g_ptr_array_add (out, taint_text (r->taint, cp));
        break;
    case FILTER_NODE_AFFINITY:
        g_ptr_array_add (out, g_strdup (node_affinity_text (cp)));
        break;
    case FILTER_NODE_PORTS:
        g_ptr_array_add (out, g_strdup ("node(s) didn't have free ports "
                                        "for the requested pod ports"));
        break;
    case FILTER_SPREAD:
    case FILTER_SPREAD_LABEL:
        /* podtopologyspread plugin.go ErrReasonConstraintsNotMatch,
         * ErrReasonNodeLabelNotMatch */
        g_ptr_array_add (out, g_strdup (r->code == FILTER_SPREAD
                                        ? "node(s) didn't match pod "
                                          "topology spread constraints"
                                        : "node(s) didn't match pod "
                                          "topology spread constraints "
                                          "(missing required label)"));
        break;
    case FILTER_RESOURCES:
        if (r->insufficient & FILTER_TOO_MANY_PODS)
            g_ptr_array_add (out, g_strdup ("Too many pods"));
        if (r->insufficient & FILTER_INSUFFICIENT_CPU)
            g_ptr_array_add (out, g_strdup ("Insufficient cpu"));
        if (r->insufficient & FILTER_INSUFFICIENT_MEMORY)
            g_ptr_array_add (out, g_strdup ("Insufficient memory"));
        break;
    }
}

/* ---- the FailedScheduling message ---------------------------------------- */

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* FitError.Error's histogram: "<count> <reason>" for each distinct reason,
 * sorted bytewise as Go's sort.Strings does ("10 x" before "2 x"), joined
 * with ", ". Sorts `reasons` in place. */
static void
append_histogram (GString *msg, GPtrArray *reasons)
{
    g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);

    g_ptr_array_sort (reasons, compare_strings);
    for (guint i = 0; i < reasons->len;) {
        const char *reason = g_ptr_array_index (reasons, i);
        guint j = i + 1;

        while (j < reasons->len
               && strcmp (g_ptr_array_index (reasons, j), reason) == 0)
            j++;
        g_ptr_array_add (items, g_strdup_printf ("%u %s", j - i, reason));
        i = j;
    }
    g_ptr_array_sort (items, compare_strings);
    for (guint i = 0; i < items->len; i++)
        g_string_append_printf (msg, "%s%s", i ? ", " : "",
                                (char *) g_ptr_array_index (items, i));
}

/* DefaultPreemption's verdict per node, without victims modelled: nodes
 * that failed an UnschedulableAndUnresolvable filter are not worth
 * preempting on; the others (NodePorts, NodeResourcesFit: Unschedulable)
 * find no lower-priority victims.
 * NEEDSWORK: since kubernetes PR #131345 (2025, assumed v1.34) a pod that
 * exceeds a node's whole allocatable fails NodeResourcesFit as
 * UnschedulableAndUnresolvable, i.e. "not helpful"; FilterResult does not
 * say which nodes are too small. */
static const char *
preemption_text (const FilterResult *r)
{
    /* filtering.go: a skew is Unschedulable (preemption may help), a
     * missing topology label UnschedulableAndUnresolvable */
    if (r->code == FILTER_RESOURCES || r->code == FILTER_NODE_PORTS
        || r->code == FILTER_SPREAD)
        return "No preemption victims found for incoming pod";
    return "Preemption is not helpful for scheduling";
}

char *
filter_failed_scheduling (const FilterResult *results, guint n_nodes,
                          const KubeVersion *cp)
{
    g_autoptr (GPtrArray) reasons = NULL;
    GString *msg;

    g_return_val_if_fail (cp != NULL, NULL);
    g_return_val_if_fail (results != NULL || n_nodes == 0, NULL);

    /* schedule_one.go: an empty snapshot fails with ErrNoNodesAvailable
     * before any filter or PostFilter runs; the event shows its text. */
    if (n_nodes == 0)
        return g_strdup ("no nodes available to schedule pods");

    reasons = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; i < n_nodes; i++)
        filter_reasons (&results[i], cp, reasons);
    msg = g_string_new (NULL);
    g_string_append_printf (msg, "0/%u nodes are available: ", n_nodes);
    append_histogram (msg, reasons);
    g_string_append_c (msg, '.');

    /* The PostFilter message joined the event in v1.24 (PR #107775). */
    if (cp_at_least (cp, 24)) {
        g_autoptr (GPtrArray) verdicts = g_ptr_array_new ();

        for (guint i = 0; i < n_nodes; i++)
            if (results[i].code != FILTER_OK)
                g_ptr_array_add (verdicts,
                                 (gpointer) preemption_text (&results[i]));
        g_string_append_printf (msg, " preemption: 0/%u nodes are "
                                "available: ", n_nodes);
        append_histogram (msg, verdicts);
        g_string_append_c (msg, '.');
    }
    return g_string_free (msg, FALSE);
}

/* ---- how many nodes to look at ------------------------------------------- */

guint
filter_num_feasible_to_find (guint n_nodes, guint percentage)
{
    gint64 pct = percentage, num;

    if (n_nodes < MIN_FEASIBLE_NODES)
        return n_nodes;
    if (pct == 0) {
        pct = 50 - (gint64) n_nodes / 125;
        if (pct < MIN_FEASIBLE_PERCENTAGE)
            pct = MIN_FEASIBLE_PERCENTAGE;
    }
    num = (gint64) n_nodes * pct / 100;
    if (num < MIN_FEASIBLE_NODES)
        return MIN_FEASIBLE_NODES;
    /* Configuration keeps percentage <= 100; past it, all nodes. */
    return num > n_nodes ? n_nodes : (guint) num;
}

/* ---- the pod as the scheduler sees it ------------------------------------ */

static gboolean
terms_name_a_node (const GPtrArray *terms)
{
    for (guint i = 0; terms != NULL && i < terms->len; i++) {
        const KbSelectorTerm *t = g_ptr_array_index (terms, i);

        for (guint j = 0; t->requirements && j < t->requirements->len;
             j++) {
            const KbSelectorRequirement *r =
                g_ptr_array_index (t->requirements, j);

            if (r->field || strcmp (r->key, LABEL_HOSTNAME) == 0
                || strcmp (r->key, LABEL_ZONE) == 0)
                return TRUE;
        }
    }
    return FALSE;
}

static void
append_tolerations (GPtrArray *to, const GPtrArray *from)
{
    for (guint i = 0; from != NULL && i < from->len; i++)
        g_ptr_array_add (to, g_ptr_array_index (from, i));
}

gboolean
filter_pod_init (FilterPod *sp, const KbPodTemplate *tmpl,
                 const KbRuntimeClassSpec *rc, gint64 cpu, gint64 mem,
                 const char **conflict)
{
    gboolean ok = TRUE;

    g_return_val_if_fail (sp != NULL && tmpl != NULL, FALSE);

    memset (sp, 0, sizeof *sp);
    sp->tmpl = tmpl;
    sp->cpu = cpu;
    sp->mem = mem;
    sp->nz_cpu = nonzero_request (tmpl, cpu, TRUE);
    sp->nz_mem = nonzero_request (tmpl, mem, FALSE);
    sp->node_name = tmpl->node_name;
    sp->node_selector = kb_labels_new ();
    for (guint i = 0; tmpl->node_selector && i < tmpl->node_selector->len;
         i++) {
        const KbLabel *l = g_ptr_array_index (tmpl->node_selector, i);

        kb_labels_set (sp->node_selector, l->key, l->value);
    }
    sp->tolerations = g_ptr_array_new ();
    append_tolerations (sp->tolerations, tmpl->tolerations);
    if (conflict != NULL)
        *conflict = NULL;

    /* plugin/pkg/admission/runtimeclass: the class's nodeSelector is
     * added key by key; a key the pod sets to another value is a
     * conflict (the first in key order is reported; the pod's value is
     * kept). Its tolerations come after the pod's. */
    if (rc != NULL) {
        for (guint i = 0; rc->node_selector && i < rc->node_selector->len;
             i++) {
            const KbLabel *l = g_ptr_array_index (rc->node_selector, i);
            const char *have = kb_labels_get (sp->node_selector, l->key);

            if (have == NULL) {
                kb_labels_set (sp->node_selector, l->key, l->value);
            } else if (strcmp (have, str0 (l->value)) != 0 && ok) {
                ok = FALSE;
                if (conflict != NULL)
                    *conflict = l->key;
            }
        }
        append_tolerations (sp->tolerations, rc->tolerations);
    }

    sp->uses_node_identity =
        sp->node_name != NULL
        || kb_labels_get (sp->node_selector, LABEL_HOSTNAME) != NULL
        || kb_labels_get (sp->node_selector, LABEL_ZONE) != NULL
        || terms_name_a_node (tmpl->required_terms)
        || terms_name_a_node (tmpl->preferred_terms);
    return ok;
}

void
filter_pod_clear (FilterPod *sp)
{
    g_return_if_fail (sp != NULL);

    g_clear_pointer (&sp->node_selector, g_ptr_array_unref);
    g_clear_pointer (&sp->tolerations, g_ptr_array_unref);
}

/* ---- scores -------------------------------------------------------------- */

/* helper/normalize_score.go DefaultNormalizeScore: scale to 0..100 by the
 * highest score; reversed, 100 minus that (all 100 when all are 0). */
static void
normalize (gint64 *scores, guint n, gboolean reverse)
{
    gint64 max = 0;

    for (guint i = 0; i < n; i++)
        max = MAX (max, scores[i]);
    if (max == 0) {             /* the common case: nothing to scale */
        for (guint i = 0; i < n; i++)
            scores[i] = reverse ? MAX_NODE_SCORE : 0;
        return;
    }
    for (guint i = 0; i < n; i++) {
        gint64 s = max == 0 ? 0 : MAX_NODE_SCORE * scores[i] / max;

        scores[i] = reverse ? MAX_NODE_SCORE - s : s;
    }
}

/* TaintToleration: untolerated PreferNoSchedule taints. Only tolerations
 * without an effect or with PreferNoSchedule count, which is what
 * matching against such a taint checks anyway. */
gint64
filter_taint_count (const FilterPod *sp, const Node *node)
{
    gint64 n = 0;

    for (guint i = 0; node->taints && i < node->taints->len; i++) {
        const KbTaint *t = g_ptr_array_index (node->taints, i);

        if (t->effect == KB_TAINT_PREFER_NO_SCHEDULE
            && !filter_tolerates (sp->tolerations, t))
            n++;
    }
    return n;
}

/* NodeAffinity: weights of the preferred terms the node matches. Terms
 * of weight 0 or without requirements are dropped upstream; a term that
 * does not parse fails the whole cycle there and simply never matches
 * here. */
gint64
filter_affinity_weight (const FilterPod *sp, const Node *node)
{
    const GPtrArray *terms = sp->tmpl->preferred_terms;
    gint64 sum = 0;

    for (guint i = 0; terms != NULL && i < terms->len; i++) {
        const KbSelectorTerm *t = g_ptr_array_index (terms, i);

        if (t->weight != 0
            && term_matches (t, node->labels, str0 (node->name)))
            sum += t->weight;
    }
    return sum;
}

/* A pod's request as scoring counts it (component-helpers resource
 * PodRequests with NonMissingContainerRequests): containers that request
 * nothing count 100m / 200 MiB; sum of containers, at least the largest
 * init container. `effective` is the pod's real request; anything it
 * holds beyond the containers' own figures (overhead) is kept. */
static gint64
nonzero_request (const KbPodTemplate *t, gint64 effective, gboolean cpu)
{
    gint64 dflt = cpu ? DEFAULT_MILLI_CPU : DEFAULT_MEMORY;
    gint64 raw_sum = 0, nz_sum = 0, raw_init = 0, nz_init = 0;

    if (t == NULL || t->containers == NULL || t->containers->len == 0)
        return effective != 0 ? effective : dflt;
    for (guint i = 0; i < t->containers->len; i++) {
        const KbContainerSpec *c = g_ptr_array_index (t->containers, i);
        gint64 v = cpu ? c->cpu_request : c->memory_request;

        raw_sum += v;
        nz_sum += v != 0 ? v : dflt;
    }
    for (guint i = 0; t->init_containers && i < t->init_containers->len;
         i++) {
        const KbContainerSpec *c = g_ptr_array_index (t->init_containers, i);
        gint64 v = cpu ? c->cpu_request : c->memory_request;

        raw_init = MAX (raw_init, v);
        nz_init = MAX (nz_init, v != 0 ? v : dflt);
    }
    return effective + MAX (nz_sum, nz_init) - MAX (raw_sum, raw_init);
}

/* NodeInfo.NonZeroRequested: the node's requests with every bound pod
 * counted as above. */
void
filter_nonzero_extra (const KbPodTemplate *tmpl, gint64 cpu, gint64 mem,
                      gint64 *extra_cpu, gint64 *extra_mem)
{
    *extra_cpu = nonzero_request (tmpl, cpu, TRUE) - cpu;
    *extra_mem = nonzero_request (tmpl, mem, FALSE) - mem;
}

/* The node's requested resources as scoring counts them: kept by the
 * kubelet as pods are bound and released (nz_extra_*), so scoring a node
 * costs O(1) however many pods it runs. */
static gint64
node_nonzero (const Node *node, gboolean cpu)
{
    return cpu ? node->req_cpu + node->nz_extra_cpu
               : node->req_mem + node->nz_extra_mem;
}

/* least_allocated.go leastRequestedScore. */
static gint64
least_requested (gint64 requested, gint64 capacity)
{
    if (capacity == 0 || requested > capacity)
        return 0;
    return (capacity - requested) * MAX_NODE_SCORE / capacity;
}

/* NodeResourcesFit, LeastAllocated strategy, cpu and memory of weight 1;
 * a resource the node has none of is left out. */
static gint64
least_allocated (const FilterPod *sp, const Node *node)
{
    gint64 score = 0, weights = 0;

    if (node->alloc_cpu != 0) {
        score += least_requested (node_nonzero (node, TRUE) + sp->nz_cpu,
                                  node->alloc_cpu);
        weights++;
    }
    if (node->alloc_mem != 0) {
        score += least_requested (node_nonzero (node, FALSE) + sp->nz_mem,
                                  node->alloc_mem);
        weights++;
    }
    return weights != 0 ? score / weights : 0;
}

/* NodeResourcesBalancedAllocation on real requests (useRequested), each
 * fraction capped at 1: (1 - std) * 100, std of two fractions being half
 * their distance. A pod requesting nothing is skipped (PreScore returns
 * Skip, kubernetes#129138), which adds 0 for every node. Current
 * behaviour; older releases used the non-zero requests. */
static gint64
balanced_allocation (const FilterPod *sp, const Node *node)
{
    double f[2];
    guint n = 0;
    double std = 0.0;

    if (sp->cpu == 0 && sp->mem == 0)
        return 0;
    if (node->alloc_cpu != 0)
        f[n++] = MIN (1.0, (double) (node->req_cpu + sp->cpu)
                           / (double) node->alloc_cpu);
    if (node->alloc_mem != 0)
        f[n++] = MIN (1.0, (double) (node->req_mem + sp->mem)
                           / (double) node->alloc_mem);
    if (n == 2)
        std = fabs (f[0] - f[1]) / 2.0;
    return (gint64) ((1.0 - std) * (double) MAX_NODE_SCORE);
}

static void
image_sum (const GPtrArray *containers, const Node *node, guint n_all,
           ImageInfoFunc image_info, gpointer data, gint64 *sum,
           gint64 *count)
{
    for (guint i = 0; containers != NULL && i < containers->len; i++) {
        const KbContainerSpec *c = g_ptr_array_index (containers, i);
        gint64 size = 0;
        guint with = 0;

        (*count)++;
        if (image_info (c->image, node, &size, &with, data))
            *sum += (gint64) ((double) size
                              * ((double) with / (double) n_all));
    }
}

/* ImageLocality: sizes of the images already on the node, init
 * containers included, each scaled by the share of nodes holding it;
 * mapped from [23 MiB, 1000 MiB x containers] onto 0..100. */
static gint64
image_locality (const FilterPod *sp, const Node *node, guint n_all,
                ImageInfoFunc image_info, gpointer data)
{
    gint64 sum = 0, count = 0, max;

    if (image_info == NULL || n_all == 0)
        return 0;
    image_sum (sp->tmpl->init_containers, node, n_all, image_info, data,
               &sum, &count);
    image_sum (sp->tmpl->containers, node, n_all, image_info, data, &sum,
               &count);
    if (count == 0)
        return 0;
    max = IMAGE_MAX_PER_CONTAINER * count;
    sum = CLAMP (sum, IMAGE_MIN_THRESHOLD, max);
    return MAX_NODE_SCORE * (sum - IMAGE_MIN_THRESHOLD)
           / (max - IMAGE_MIN_THRESHOLD);
}

void
filter_score_nodes (const FilterPod *sp, Node *const *nodes, guint n,
                    guint n_all_nodes, ImageInfoFunc image_info,
                    gpointer image_data, const gint64 *static_parts,
                    const gint64 *node_parts, gint64 *totals)
{
    g_autofree gint64 *s = NULL;

    g_return_if_fail (sp != NULL && sp->tmpl != NULL);
    g_return_if_fail (n == 0 || (nodes != NULL && totals != NULL));

    if (n == 0)
        return;
    if (static_parts != NULL && node_parts != NULL) {
        gint64 max_taints = 0, max_weight = 0;

        for (guint i = 0; i < n; i++) {
            max_taints = MAX (max_taints, static_parts[2 * i]);
            max_weight = MAX (max_weight, static_parts[2 * i + 1]);
        }
        /* The common case: no PreferNoSchedule taint and no preferred
         * term anywhere, so both normalise to constants. */
        if (max_taints == 0 && max_weight == 0) {
            for (guint i = 0; i < n; i++)
                totals[i] = WEIGHT_TAINT_TOLERATION * MAX_NODE_SCORE
                            + node_parts[i];
            return;
        }
    }
    s = g_new (gint64, n);
    for (guint i = 0; i < n; i++)
        s[i] = static_parts ? static_parts[2 * i]
                            : filter_taint_count (sp, nodes[i]);
    normalize (s, n, TRUE);
    for (guint i = 0; i < n; i++)
        totals[i] = WEIGHT_TAINT_TOLERATION * s[i];

    for (guint i = 0; i < n; i++)
        s[i] = static_parts ? static_parts[2 * i + 1]
                            : filter_affinity_weight (sp, nodes[i]);
    normalize (s, n, FALSE);
    for (guint i = 0; i < n; i++)
        totals[i] += WEIGHT_NODE_AFFINITY * s[i];

    for (guint i = 0; i < n; i++)
        totals[i] += node_parts ? node_parts[i]
                                : filter_node_local_score (sp, nodes[i],
                                                           n_all_nodes,
                                                           image_info,
                                                           image_data);
}

gint64
filter_node_local_score (const FilterPod *sp, const Node *node,
                         guint n_all_nodes, ImageInfoFunc image_info,
                         gpointer image_data)
{
    return WEIGHT_RESOURCES_FIT * least_allocated (sp, node)
           + WEIGHT_BALANCED * balanced_allocation (sp, node)
           + WEIGHT_IMAGE_LOCALITY * image_locality (sp, node, n_all_nodes,
                                                     image_info, image_data);
}
