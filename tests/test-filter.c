/* test-filter.c: kube-scheduler's default filters, the FailedScheduling
 * text, numFeasibleNodesToFind, the default scores and the RuntimeClass
 * merge (models/filter.c).
 *
 * Expected strings come from ../shared/reference/windows-kubernetes-facts.md
 * section 6.1 where it has them (the tainted-Windows-node example for 1.31
 * and 1.35, the taint wording by version) and otherwise from the upstream
 * sources cited in filter.c. Expected scores are worked out by hand in the
 * comments next to them, with the integer truncation the plugins do.
 */
#include <string.h>

#include <glib.h>

#include "models/filter.h"

/* Constructors and frees from scenarios/spec.c that only the loader's
 * private header declares, or none. */
KbPodTemplate *kb_pod_template_new (void);
KbSelectorTerm *kb_selector_term_new (void);
KbSelectorRequirement *kb_selector_requirement_new (void);
KbContainerSpec *kb_container_new (void);

#define GIB (G_GINT64_CONSTANT (1024) * 1024 * 1024)
#define MIB (G_GINT64_CONSTANT (1024) * 1024)

/* ---- builders ------------------------------------------------------------ */

static KubeVersion
kv (guint minor)
{
    KubeVersion v = { 1, minor, -1 };

    return v;
}

/* A Ready node with 4 cpu, 16 GiB, 110 pods, labelled with its hostname. */
static Node *
node_new (const char *name)
{
    Node *n = g_new0 (Node, 1);

    n->name = g_strdup (name);
    n->labels = kb_labels_new ();
    kb_labels_set (n->labels, "kubernetes.io/hostname", name);
    n->taints = g_ptr_array_new_with_free_func (kb_taint_free);
    n->host_ports = g_array_new (FALSE, FALSE, sizeof (guint16));
    n->alloc_cpu = 4000;
    n->alloc_mem = 16 * GIB;
    n->max_pods = 110;
    return n;
}

static void
node_free (Node *n)
{
    g_free (n->name);
    g_ptr_array_unref (n->labels);
    g_ptr_array_unref (n->taints);
    g_array_unref (n->host_ports);
    if (n->pods != NULL)
        g_ptr_array_unref (n->pods);
    g_free (n);
}

static void
node_taint (Node *n, const char *key, const char *value, KbTaintEffect e)
{
    KbTaint *t = g_new0 (KbTaint, 1);

    t->key = g_strdup (key);
    t->value = g_strdup (value);
    t->effect = e;
    g_ptr_array_add (n->taints, t);
}

static KbToleration *
toleration_new (const char *key, KbTolerationOp op, const char *value,
                KbTaintEffect effect)
{
    KbToleration *t = g_new0 (KbToleration, 1);

    t->key = g_strdup (key);
    t->op = op;
    t->value = g_strdup (value);
    t->effect = effect;
    t->toleration_seconds = -1;
    return t;
}

/* A requirement; values end with NULL. */
static KbSelectorRequirement *
req_new (const char *key, KbSelectorOp op, gboolean field, ...)
{
    KbSelectorRequirement *r = kb_selector_requirement_new ();
    const char *v;
    va_list ap;

    r->key = g_strdup (key);
    r->op = op;
    r->field = field;
    va_start (ap, field);
    while ((v = va_arg (ap, const char *)) != NULL)
        g_ptr_array_add (r->values, g_strdup (v));
    va_end (ap);
    return r;
}

/* A term of the given weight holding the requirements; ends with NULL. */
static KbSelectorTerm *
term_new (gint weight, ...)
{
    KbSelectorTerm *t = kb_selector_term_new ();
    KbSelectorRequirement *r;
    va_list ap;

    t->weight = weight;
    va_start (ap, weight);
    while ((r = va_arg (ap, KbSelectorRequirement *)) != NULL)
        g_ptr_array_add (t->requirements, r);
    va_end (ap);
    return t;
}

static KbContainerSpec *
container_new (const char *image, gint64 cpu, gint64 mem)
{
    KbContainerSpec *c = kb_container_new ();

    c->name = g_strdup ("c");
    c->image = g_strdup (image);
    c->cpu_request = cpu;
    c->memory_request = mem;
    return c;
}

static void
check_code (const FilterPod *sp, const Node *n, FilterCode want)
{
    FilterResult r = filter_node (sp, n);

    g_assert_cmpint (r.code, ==, want);
}

/* ---- NodeUnschedulable, NodeName ----------------------------------------- */

static void
test_unschedulable (void)
{
    static const struct {
        gboolean cordoned;
        const char *tol_key;        /* NULL: no toleration */
        KbTolerationOp op;
        KbTaintEffect effect;
        FilterCode want;
    } cases[] = {
        { FALSE, NULL, 0, 0, FILTER_OK },
        { TRUE, NULL, 0, 0, FILTER_NODE_UNSCHEDULABLE },
        { TRUE, "node.kubernetes.io/unschedulable", KB_TOLERATION_EXISTS,
          KB_TAINT_NO_SCHEDULE, FILTER_OK },
        { TRUE, "node.kubernetes.io/unschedulable", KB_TOLERATION_EXISTS,
          KB_TAINT_ANY, FILTER_OK },
        { TRUE, "", KB_TOLERATION_EXISTS, KB_TAINT_ANY, FILTER_OK },
        { TRUE, "node.kubernetes.io/unschedulable", KB_TOLERATION_EXISTS,
          KB_TAINT_NO_EXECUTE, FILTER_NODE_UNSCHEDULABLE },
        { TRUE, "os", KB_TOLERATION_EXISTS, KB_TAINT_ANY,
          FILTER_NODE_UNSCHEDULABLE },
    };

    g_test_summary ("a cordoned node fails NodeUnschedulable unless the pod "
                    "tolerates node.kubernetes.io/unschedulable:NoSchedule");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KbPodTemplate *t = kb_pod_template_new ();
        Node *n = node_new ("n1");
        FilterPod sp;

        if (cases[i].tol_key != NULL)
            g_ptr_array_add (t->tolerations,
                             toleration_new (cases[i].tol_key, cases[i].op,
                                             "", cases[i].effect));
        n->unschedulable = cases[i].cordoned;
        filter_pod_init (&sp, t, NULL, 100, MIB, NULL);
        check_code (&sp, n, cases[i].want);
        filter_pod_clear (&sp);
        node_free (n);
        kb_pod_template_free (t);
    }
}

static void
test_node_name (void)
{
    static const struct {
        const char *pod_node_name;  /* NULL: unset */
        const char *node;
        FilterCode want;
    } cases[] = {
        { NULL, "n1", FILTER_OK },
        { "n1", "n1", FILTER_OK },
        { "n1", "n2", FILTER_NODE_NAME },
        { "n1", "n10", FILTER_NODE_NAME },
    };

    g_test_summary ("spec.nodeName admits only the node of that name");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KbPodTemplate *t = kb_pod_template_new ();
        Node *n = node_new (cases[i].node);
        FilterPod sp;

        t->node_name = g_strdup (cases[i].pod_node_name);
        filter_pod_init (&sp, t, NULL, 100, MIB, NULL);
        check_code (&sp, n, cases[i].want);
        filter_pod_clear (&sp);
        node_free (n);
        kb_pod_template_free (t);
    }
}

/* ---- taints and tolerations ---------------------------------------------- */

static void
test_tolerates (void)
{
    static const struct {
        const char *tkey, *tvalue;      /* toleration */
        KbTolerationOp op;
        KbTaintEffect teffect;
        const char *key, *value;        /* taint */
        KbTaintEffect effect;
        gboolean want;
    } cases[] = {
        { "os", "windows", KB_TOLERATION_EQUAL, KB_TAINT_NO_SCHEDULE,
          "os", "windows", KB_TAINT_NO_SCHEDULE, TRUE },
        { "os", "linux", KB_TOLERATION_EQUAL, KB_TAINT_NO_SCHEDULE,
          "os", "windows", KB_TAINT_NO_SCHEDULE, FALSE },
        { "arch", "windows", KB_TOLERATION_EQUAL, KB_TAINT_NO_SCHEDULE,
          "os", "windows", KB_TAINT_NO_SCHEDULE, FALSE },
        { "os", "windows", KB_TOLERATION_EQUAL, KB_TAINT_ANY,
          "os", "windows", KB_TAINT_NO_EXECUTE, TRUE },
        { "os", "windows", KB_TOLERATION_EQUAL, KB_TAINT_PREFER_NO_SCHEDULE,
          "os", "windows", KB_TAINT_NO_SCHEDULE, FALSE },
        { "os", "", KB_TOLERATION_EQUAL, KB_TAINT_NO_SCHEDULE,
          "os", "", KB_TAINT_NO_SCHEDULE, TRUE },
        { "os", "", KB_TOLERATION_EQUAL, KB_TAINT_NO_SCHEDULE,
          "os", "windows", KB_TAINT_NO_SCHEDULE, FALSE },
        { "os", "", KB_TOLERATION_EXISTS, KB_TAINT_NO_SCHEDULE,
          "os", "windows", KB_TAINT_NO_SCHEDULE, TRUE },
        { "os", "", KB_TOLERATION_EXISTS, KB_TAINT_NO_SCHEDULE,
          "os", "windows", KB_TAINT_NO_EXECUTE, FALSE },
        { "os", "", KB_TOLERATION_EXISTS, KB_TAINT_ANY,
          "gpu", "true", KB_TAINT_NO_SCHEDULE, FALSE },
        { "", "", KB_TOLERATION_EXISTS, KB_TAINT_ANY,
          "anything", "at-all", KB_TAINT_NO_EXECUTE, TRUE },
        { "", "", KB_TOLERATION_EXISTS, KB_TAINT_NO_SCHEDULE,
          "anything", "at-all", KB_TAINT_NO_SCHEDULE, TRUE },
        { "", "", KB_TOLERATION_EXISTS, KB_TAINT_NO_SCHEDULE,
          "anything", "at-all", KB_TAINT_NO_EXECUTE, FALSE },
    };

    g_test_summary ("ToleratesTaint: effect (empty = all), key (empty = "
                    "all), then Equal compares values and Exists does not");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KbToleration tol = { (char *) cases[i].tkey, cases[i].op,
                             (char *) cases[i].tvalue, cases[i].teffect,
                             -1 };
        KbTaint taint = { (char *) cases[i].key, (char *) cases[i].value,
                          cases[i].effect };
        g_autoptr (GPtrArray) tols = g_ptr_array_new ();

        g_ptr_array_add (tols, &tol);
        g_test_message ("case %" G_GSIZE_FORMAT, i);
        g_assert_cmpint (filter_tolerates (tols, &taint), ==, cases[i].want);
    }
}

static void
test_tolerates_none (void)
{
    KbTaint taint = { (char *) "os", (char *) "windows",
                      KB_TAINT_NO_SCHEDULE };
    g_autoptr (GPtrArray) empty = g_ptr_array_new ();

    g_test_summary ("no tolerations tolerate nothing");
    g_assert_false (filter_tolerates (NULL, &taint));
    g_assert_false (filter_tolerates (empty, &taint));
}

static void
test_taint_filter (void)
{
    KbPodTemplate *t = kb_pod_template_new ();
    Node *n = node_new ("win-1");
    FilterPod sp;
    FilterResult r;

    g_test_summary ("TaintToleration reports the first untolerated "
                    "NoSchedule/NoExecute taint in node order and ignores "
                    "PreferNoSchedule");
    node_taint (n, "soft", "x", KB_TAINT_PREFER_NO_SCHEDULE);
    node_taint (n, "evict", "y", KB_TAINT_NO_EXECUTE);
    node_taint (n, "os", "windows", KB_TAINT_NO_SCHEDULE);

    filter_pod_init (&sp, t, NULL, 100, MIB, NULL);
    r = filter_node (&sp, n);
    g_assert_cmpint (r.code, ==, FILTER_TAINT);
    g_assert_cmpstr (r.taint->key, ==, "evict");
    filter_pod_clear (&sp);

    g_ptr_array_add (t->tolerations,
                     toleration_new ("evict", KB_TOLERATION_EXISTS, "",
                                     KB_TAINT_NO_EXECUTE));
    filter_pod_init (&sp, t, NULL, 100, MIB, NULL);
    r = filter_node (&sp, n);
    g_assert_cmpint (r.code, ==, FILTER_TAINT);
    g_assert_cmpstr (r.taint->key, ==, "os");
    g_assert_cmpstr (r.taint->value, ==, "windows");
    filter_pod_clear (&sp);

    g_ptr_array_add (t->tolerations,
                     toleration_new ("os", KB_TOLERATION_EQUAL, "windows",
                                     KB_TAINT_NO_SCHEDULE));
    filter_pod_init (&sp, t, NULL, 100, MIB, NULL);
    r = filter_node (&sp, n);
    g_assert_cmpint (r.code, ==, FILTER_OK);
    g_assert_null (r.taint);
    filter_pod_clear (&sp);

    node_free (n);
    kb_pod_template_free (t);
}

/* ---- node affinity ------------------------------------------------------- */

static void
test_node_selector (void)
{
    static const struct {
        const char *sel_key, *sel_value;
        const char *label_value;        /* node's label, NULL: absent */
        gboolean want;
    } cases[] = {
        { "kubernetes.io/os", "windows", "windows", TRUE },
        { "kubernetes.io/os", "windows", "linux", FALSE },
        { "kubernetes.io/os", "windows", NULL, FALSE },
        { "kubernetes.io/os", "windows", "Windows", FALSE },
        { "kubernetes.io/os", "", "", TRUE },
        { "kubernetes.io/os", "", NULL, FALSE },
    };

    g_test_summary ("nodeSelector: the label must exist with that exact "
                    "value");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KbPodTemplate *t = kb_pod_template_new ();
        Node *n = node_new ("n1");
        FilterPod sp;

        kb_labels_set (t->node_selector, cases[i].sel_key,
                       cases[i].sel_value);
        if (cases[i].label_value != NULL)
            kb_labels_set (n->labels, cases[i].sel_key,
                           cases[i].label_value);
        filter_pod_init (&sp, t, NULL, 100, MIB, NULL);
        g_test_message ("case %" G_GSIZE_FORMAT, i);
        g_assert_cmpint (filter_node_affinity (&sp, n->labels, n->name), ==,
                         cases[i].want);
        check_code (&sp, n, cases[i].want ? FILTER_OK
                                          : FILTER_NODE_AFFINITY);
        filter_pod_clear (&sp);
        node_free (n);
        kb_pod_template_free (t);
    }
}

/* One required term with one matchExpressions requirement against a node
 * whose label "k" is `label` (NULL: absent). */
static gboolean
match_one (KbSelectorOp op, const char *label, const char *v1,
           const char *v2)
{
    KbPodTemplate *t = kb_pod_template_new ();
    Node *n = node_new ("n1");
    FilterPod sp;
    gboolean got;

    if (label != NULL)
        kb_labels_set (n->labels, "k", label);
    g_ptr_array_add (t->required_terms,
                     term_new (0, req_new ("k", op, FALSE, v1, v2, NULL),
                               NULL));
    filter_pod_init (&sp, t, NULL, 100, MIB, NULL);
    got = filter_node_affinity (&sp, n->labels, n->name);
    filter_pod_clear (&sp);
    node_free (n);
    kb_pod_template_free (t);
    return got;
}

static void
test_affinity_operators (void)
{
    static const struct {
        KbSelectorOp op;
        const char *label;
        const char *v1, *v2;            /* values; NULL ends */
        gboolean want;
    } cases[] = {
        { KB_SELECTOR_IN, "a", "a", "b", TRUE },
        { KB_SELECTOR_IN, "c", "a", "b", FALSE },
        { KB_SELECTOR_IN, NULL, "a", NULL, FALSE },
        { KB_SELECTOR_IN, "a", NULL, NULL, FALSE },      /* no values */
        { KB_SELECTOR_NOT_IN, "c", "a", "b", TRUE },
        { KB_SELECTOR_NOT_IN, "a", "a", "b", FALSE },
        { KB_SELECTOR_NOT_IN, NULL, "a", NULL, TRUE },
        { KB_SELECTOR_EXISTS, "", NULL, NULL, TRUE },
        { KB_SELECTOR_EXISTS, NULL, NULL, NULL, FALSE },
        { KB_SELECTOR_EXISTS, "a", "a", NULL, FALSE },   /* has values */
        { KB_SELECTOR_DOES_NOT_EXIST, NULL, NULL, NULL, TRUE },
        { KB_SELECTOR_DOES_NOT_EXIST, "a", NULL, NULL, FALSE },
        { KB_SELECTOR_GT, "20348", "17763", NULL, TRUE },
        { KB_SELECTOR_GT, "17763", "17763", NULL, FALSE },
        { KB_SELECTOR_GT, "9", "10", NULL, FALSE },      /* not strings */
        { KB_SELECTOR_GT, "-1", "-2", NULL, TRUE },
        { KB_SELECTOR_GT, "+5", "4", NULL, TRUE },
        { KB_SELECTOR_GT, "10.0", "4", NULL, FALSE },    /* not an int */
        { KB_SELECTOR_GT, NULL, "4", NULL, FALSE },
        { KB_SELECTOR_GT, "5", "four", NULL, FALSE },    /* bad value */
        { KB_SELECTOR_GT, "5", "1", "2", FALSE },        /* two values */
        { KB_SELECTOR_GT, "99999999999999999999", "1", NULL, FALSE },
        { KB_SELECTOR_LT, "9", "10", NULL, TRUE },
        { KB_SELECTOR_LT, "10", "10", NULL, FALSE },
        { KB_SELECTOR_LT, "x", "10", NULL, FALSE },
        { KB_SELECTOR_LT, "-9223372036854775808", "0", NULL, TRUE },
    };

    g_test_summary ("matchExpressions operators as labels.Requirement "
                    "matches them, Gt/Lt on 64-bit integers, malformed "
                    "requirements matching nothing");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_test_message ("case %" G_GSIZE_FORMAT, i);
        g_assert_cmpint (match_one (cases[i].op, cases[i].label,
                                    cases[i].v1, cases[i].v2), ==,
                         cases[i].want);
    }
}

/* A Windows and a Linux node, both amd64. */
static void
two_nodes (Node **win, Node **lin)
{
    *win = node_new ("win-1");
    *lin = node_new ("lin-1");
    kb_labels_set ((*win)->labels, "kubernetes.io/os", "windows");
    kb_labels_set ((*win)->labels, "kubernetes.io/arch", "amd64");
    kb_labels_set ((*lin)->labels, "kubernetes.io/os", "linux");
    kb_labels_set ((*lin)->labels, "kubernetes.io/arch", "amd64");
}

/* Checks which of the two nodes the template's view admits. */
static void
check_affinity (const KbPodTemplate *t, const Node *win, const Node *lin,
                gboolean want_win, gboolean want_lin)
{
    FilterPod sp;

    filter_pod_init (&sp, t, NULL, 100, MIB, NULL);
    g_assert_cmpint (filter_node_affinity (&sp, win->labels, win->name), ==,
                     want_win);
    g_assert_cmpint (filter_node_affinity (&sp, lin->labels, lin->name), ==,
                     want_lin);
    filter_pod_clear (&sp);
}

static void
test_affinity_terms (void)
{
    KbPodTemplate *t = kb_pod_template_new ();
    Node *win, *lin;

    g_test_summary ("required terms are ORed, their requirements ANDed; no "
                    "terms means no constraint; an empty term matches "
                    "nothing");
    two_nodes (&win, &lin);
    check_affinity (t, win, lin, TRUE, TRUE);
    g_ptr_array_add (t->required_terms, term_new (0, NULL));
    check_affinity (t, win, lin, FALSE, FALSE);
    g_ptr_array_add (t->required_terms,
                     term_new (0, req_new ("kubernetes.io/os",
                                           KB_SELECTOR_IN, FALSE,
                                           "windows", NULL),
                               req_new ("kubernetes.io/arch",
                                        KB_SELECTOR_IN, FALSE, "amd64",
                                        NULL),
                               NULL));
    check_affinity (t, win, lin, TRUE, FALSE);
    g_ptr_array_add (t->required_terms,
                     term_new (0, req_new ("kubernetes.io/os",
                                           KB_SELECTOR_IN, FALSE, "linux",
                                           NULL),
                               req_new ("kubernetes.io/arch",
                                        KB_SELECTOR_IN, FALSE, "arm64",
                                        NULL),
                               NULL));
    check_affinity (t, win, lin, TRUE, FALSE);
    node_free (win);
    node_free (lin);
    kb_pod_template_free (t);
}

static void
test_affinity_fields (void)
{
    KbPodTemplate *t = kb_pod_template_new ();
    Node *win, *lin, *anon = node_new ("");
    FilterPod sp;

    g_test_summary ("matchFields reads metadata.name, In/NotIn with one "
                    "value only, and is skipped for a node without a name");
    two_nodes (&win, &lin);
    g_ptr_array_add (t->required_terms,
                     term_new (0, req_new ("metadata.name", KB_SELECTOR_IN,
                                           TRUE, "lin-1", NULL),
                               NULL));
    check_affinity (t, win, lin, FALSE, TRUE);

    g_ptr_array_set_size (t->required_terms, 0);
    g_ptr_array_add (t->required_terms,
                     term_new (0, req_new ("metadata.name",
                                           KB_SELECTOR_NOT_IN, TRUE,
                                           "lin-1", NULL),
                               NULL));
    check_affinity (t, win, lin, TRUE, FALSE);
    filter_pod_init (&sp, t, NULL, 100, MIB, NULL);
    g_assert_true (filter_node_affinity (&sp, anon->labels, anon->name));
    filter_pod_clear (&sp);

    /* Two values, or another operator: the term never matches. */
    g_ptr_array_set_size (t->required_terms, 0);
    g_ptr_array_add (t->required_terms,
                     term_new (0, req_new ("metadata.name", KB_SELECTOR_IN,
                                           TRUE, "lin-1", "win-1", NULL),
                               NULL));
    g_ptr_array_add (t->required_terms,
                     term_new (0, req_new ("metadata.name",
                                           KB_SELECTOR_EXISTS, TRUE, NULL),
                               NULL));
    check_affinity (t, win, lin, FALSE, FALSE);
    /* A field other than metadata.name reads as "". */
    g_ptr_array_add (t->required_terms,
                     term_new (0, req_new ("spec.other", KB_SELECTOR_IN,
                                           TRUE, "", NULL),
                               NULL));
    check_affinity (t, win, lin, TRUE, TRUE);

    node_free (win);
    node_free (lin);
    node_free (anon);
    kb_pod_template_free (t);
}

static void
test_affinity_selector_and_terms (void)
{
    KbPodTemplate *t = kb_pod_template_new ();
    Node *win, *lin;

    g_test_summary ("nodeSelector and required terms must both hold");
    two_nodes (&win, &lin);
    g_ptr_array_add (t->required_terms,
                     term_new (0, req_new ("kubernetes.io/arch",
                                           KB_SELECTOR_EXISTS, FALSE, NULL),
                               NULL));
    check_affinity (t, win, lin, TRUE, TRUE);
    kb_labels_set (t->node_selector, "kubernetes.io/os", "linux");
    check_affinity (t, win, lin, FALSE, TRUE);
    kb_labels_set (t->node_selector, "kubernetes.io/arch", "arm64");
    check_affinity (t, win, lin, FALSE, FALSE);
    node_free (win);
    node_free (lin);
    kb_pod_template_free (t);
}

/* ---- NodePorts, NodeResourcesFit, order ---------------------------------- */

static void
test_ports (void)
{
    KbPodTemplate *t = kb_pod_template_new ();
    KbContainerSpec *c = container_new ("app", 100, MIB);
    Node *n = node_new ("n1");
    guint16 p8080 = 8080, p9090 = 9090;
    FilterPod sp;

    g_test_summary ("NodePorts fails a node already using a requested "
                    "host port");
    g_array_append_val (c->host_ports, p8080);
    g_ptr_array_add (t->containers, c);
    filter_pod_init (&sp, t, NULL, 100, MIB, NULL);
    check_code (&sp, n, FILTER_OK);
    g_array_append_val (n->host_ports, p9090);
    check_code (&sp, n, FILTER_OK);
    g_array_append_val (n->host_ports, p8080);
    check_code (&sp, n, FILTER_NODE_PORTS);
    filter_pod_clear (&sp);
    node_free (n);
    kb_pod_template_free (t);
}

static void
test_resources (void)
{
    static const struct {
        gint64 n_pods, req_cpu, req_mem;    /* node: 4000m, 16 GiB, 110 */
        gint64 cpu, mem;                    /* the pod */
        guint want;
    } cases[] = {
        { 0, 0, 0, 500, GIB, 0 },
        { 109, 0, 0, 500, GIB, 0 },
        { 110, 0, 0, 500, GIB, FILTER_TOO_MANY_PODS },
        { 0, 3500, 0, 500, GIB, 0 },                    /* exactly full */
        { 0, 3501, 0, 500, GIB, FILTER_INSUFFICIENT_CPU },
        { 0, 0, 15 * GIB, 500, GIB, 0 },
        { 0, 0, 15 * GIB + 1, 500, GIB, FILTER_INSUFFICIENT_MEMORY },
        { 0, 3600, 16 * GIB, 500, GIB,
          FILTER_INSUFFICIENT_CPU | FILTER_INSUFFICIENT_MEMORY },
        { 110, 3600, 16 * GIB, 500, GIB,
          FILTER_TOO_MANY_PODS | FILTER_INSUFFICIENT_CPU
          | FILTER_INSUFFICIENT_MEMORY },
        /* A resource the pod does not request never falls short. */
        { 0, 5000, 17 * GIB, 0, 0, 0 },
        { 0, 5000, 0, 0, GIB, 0 },
    };

    g_test_summary ("NodeResourcesFit reports every shortage: pods count, "
                    "cpu and memory against allocatable minus requests");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KbPodTemplate *t = kb_pod_template_new ();
        Node *n = node_new ("n1");
        FilterPod sp;
        FilterResult r;

        n->n_pods = cases[i].n_pods;
        n->req_cpu = cases[i].req_cpu;
        n->req_mem = cases[i].req_mem;
        filter_pod_init (&sp, t, NULL, cases[i].cpu, cases[i].mem, NULL);
        r = filter_node (&sp, n);
        g_test_message ("case %" G_GSIZE_FORMAT, i);
        g_assert_cmpint (r.code, ==,
                         cases[i].want ? FILTER_RESOURCES : FILTER_OK);
        g_assert_cmpuint (r.insufficient, ==, cases[i].want);
        filter_pod_clear (&sp);
        node_free (n);
        kb_pod_template_free (t);
    }
}

static void
test_order (void)
{
    KbPodTemplate *t = kb_pod_template_new ();
    KbContainerSpec *c = container_new ("app", 500, GIB);
    Node *n = node_new ("n1");
    guint16 port = 80;
    FilterPod sp;

    g_test_summary ("a node failing every filter reports them in plugin "
                    "order, one at a time as each is fixed");
    g_array_append_val (c->host_ports, port);
    g_ptr_array_add (t->containers, c);
    t->node_name = g_strdup ("n1");
    kb_labels_set (t->node_selector, "kubernetes.io/os", "windows");
    filter_pod_init (&sp, t, NULL, 500, GIB, NULL);

    n->unschedulable = TRUE;
    g_free (n->name);
    n->name = g_strdup ("n2");
    node_taint (n, "os", "windows", KB_TAINT_NO_SCHEDULE);
    g_array_append_val (n->host_ports, port);
    n->req_cpu = 4000;

    check_code (&sp, n, FILTER_NODE_UNSCHEDULABLE);
    n->unschedulable = FALSE;
    check_code (&sp, n, FILTER_NODE_NAME);
    g_free (n->name);
    n->name = g_strdup ("n1");
    check_code (&sp, n, FILTER_TAINT);
    g_ptr_array_set_size (n->taints, 0);
    check_code (&sp, n, FILTER_NODE_AFFINITY);
    kb_labels_set (n->labels, "kubernetes.io/os", "windows");
    check_code (&sp, n, FILTER_NODE_PORTS);
    g_array_set_size (n->host_ports, 0);
    check_code (&sp, n, FILTER_RESOURCES);
    n->req_cpu = 0;
    check_code (&sp, n, FILTER_OK);

    filter_pod_clear (&sp);
    node_free (n);
    kb_pod_template_free (t);
}

/* ---- reason texts and FailedScheduling ----------------------------------- */

static void
test_taint_texts (void)
{
    static const struct {
        guint minor;
        const char *want;
    } cases[] = {
        { 16, "node(s) had taints that the pod didn't tolerate" },
        { 17, "node(s) had taints that the pod didn't tolerate" },
        { 18, "node(s) had taint {os: windows}, that the pod didn't "
              "tolerate" },
        { 24, "node(s) had taint {os: windows}, that the pod didn't "
              "tolerate" },
        { 25, "node(s) had untolerated taint {os: windows}" },
        { 34, "node(s) had untolerated taint {os: windows}" },
        { 35, "node(s) had untolerated taint(s)" },
        { 36, "node(s) had untolerated taint(s)" },
    };
    KbTaint taint = { (char *) "os", (char *) "windows",
                      KB_TAINT_NO_SCHEDULE };
    FilterResult r = { FILTER_TAINT, &taint, 0 };

    g_test_summary ("the taint reason by control-plane version (facts 6.1; "
                    "1.25 taken as the start of 'untolerated taint {...}')");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
        KubeVersion v = kv (cases[i].minor);

        filter_reasons (&r, &v, out);
        g_assert_cmpuint (out->len, ==, 1);
        g_assert_cmpstr (g_ptr_array_index (out, 0), ==, cases[i].want);
    }
}

static void
test_other_texts (void)
{
    static const struct {
        FilterCode code;
        guint insufficient;
        guint minor;
        const char *want;       /* reasons joined with "|" */
    } cases[] = {
        { FILTER_OK, 0, 31, "" },
        { FILTER_NODE_UNSCHEDULABLE, 0, 31, "node(s) were unschedulable" },
        { FILTER_NODE_UNSCHEDULABLE, 0, 17, "node(s) were unschedulable" },
        { FILTER_NODE_NAME, 0, 31,
          "node(s) didn't match the requested node name" },
        { FILTER_NODE_NAME, 0, 21,
          "node(s) didn't match the requested node name" },
        { FILTER_NODE_NAME, 0, 20,
          "node(s) didn't match the requested hostname" },
        { FILTER_NODE_AFFINITY, 0, 31,
          "node(s) didn't match Pod's node affinity/selector" },
        { FILTER_NODE_AFFINITY, 0, 21,
          "node(s) didn't match Pod's node affinity/selector" },
        { FILTER_NODE_AFFINITY, 0, 20,
          "node(s) didn't match Pod's node affinity" },
        { FILTER_NODE_AFFINITY, 0, 19, "node(s) didn't match node selector" },
        { FILTER_NODE_PORTS, 0, 31,
          "node(s) didn't have free ports for the requested pod ports" },
        { FILTER_RESOURCES, FILTER_INSUFFICIENT_CPU, 31, "Insufficient cpu" },
        { FILTER_RESOURCES, FILTER_INSUFFICIENT_MEMORY, 31,
          "Insufficient memory" },
        { FILTER_RESOURCES, FILTER_TOO_MANY_PODS, 31, "Too many pods" },
        { FILTER_RESOURCES, FILTER_INSUFFICIENT_MEMORY
          | FILTER_INSUFFICIENT_CPU | FILTER_TOO_MANY_PODS, 31,
          "Too many pods|Insufficient cpu|Insufficient memory" },
    };

    g_test_summary ("the other reason texts, one per shortage for "
                    "NodeResourcesFit");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func (g_free);
        FilterResult r = { cases[i].code, NULL, cases[i].insufficient };
        KubeVersion v = kv (cases[i].minor);
        g_autofree char *got = NULL;

        filter_reasons (&r, &v, out);
        g_ptr_array_add (out, NULL);
        got = g_strjoinv ("|", (char **) out->pdata);
        g_assert_cmpstr (got, ==, cases[i].want);
    }
}

/* The facts' example: a Windows pod (nodeSelector kubernetes.io/os:
 * windows) without the toleration, in a cluster of 2 Windows nodes tainted
 * os=windows:NoSchedule and 3 Linux nodes. */
static void
windows_case (FilterResult *results)
{
    KbPodTemplate *t = kb_pod_template_new ();
    FilterPod sp;

    kb_labels_set (t->node_selector, "kubernetes.io/os", "windows");
    filter_pod_init (&sp, t, NULL, 500, GIB, NULL);
    for (guint i = 0; i < 5; i++) {
        g_autofree char *name = g_strdup_printf ("node-%u", i);
        Node *n = node_new (name);

        /* Interleaved, so the counts do not come from the order. */
        if (i % 2 == 1) {
            kb_labels_set (n->labels, "kubernetes.io/os", "windows");
            node_taint (n, "os", "windows", KB_TAINT_NO_SCHEDULE);
        } else {
            kb_labels_set (n->labels, "kubernetes.io/os", "linux");
        }
        results[i] = filter_node (&sp, n);
        /* The message reads the taint, which the node owns: keep a copy
         * that outlives it. */
        node_free (n);
        if (results[i].code == FILTER_TAINT) {
            static const KbTaint os_windows = {
                (char *) "os", (char *) "windows", KB_TAINT_NO_SCHEDULE
            };

            results[i].taint = &os_windows;
        }
    }
    filter_pod_clear (&sp);
    kb_pod_template_free (t);
}

static void
test_message_windows (void)
{
    static const struct {
        guint minor;
        const char *want;
    } cases[] = {
        { 31, "0/5 nodes are available: 2 node(s) had untolerated taint "
              "{os: windows}, 3 node(s) didn't match Pod's node "
              "affinity/selector. preemption: 0/5 nodes are available: 5 "
              "Preemption is not helpful for scheduling." },
        { 35, "0/5 nodes are available: 2 node(s) had untolerated "
              "taint(s), 3 node(s) didn't match Pod's node "
              "affinity/selector. preemption: 0/5 nodes are available: 5 "
              "Preemption is not helpful for scheduling." },
        /* 1.24: the preemption part arrives, with the older taint text. */
        { 24, "0/5 nodes are available: 2 node(s) had taint {os: "
              "windows}, that the pod didn't tolerate, 3 node(s) didn't "
              "match Pod's node affinity/selector. preemption: 0/5 nodes "
              "are available: 5 Preemption is not helpful for "
              "scheduling." },
        { 20, "0/5 nodes are available: 2 node(s) had taint {os: "
              "windows}, that the pod didn't tolerate, 3 node(s) didn't "
              "match Pod's node affinity." },
        /* Before 1.20 NodeAffinity ran ahead of TaintToleration, so a
         * real 1.17 scheduler would report 5 selector mismatches here;
         * filter_node has no version, this checks the wording only. */
        { 17, "0/5 nodes are available: 2 node(s) had taints that the pod "
              "didn't tolerate, 3 node(s) didn't match node selector." },
    };
    FilterResult results[5];

    g_test_summary ("FailedScheduling for the facts' tainted-Windows-node "
                    "case, exact for 1.31 and 1.35 (facts 6.1)");
    windows_case (results);
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KubeVersion v = kv (cases[i].minor);
        g_autofree char *msg = filter_failed_scheduling (results, 5, &v);

        g_assert_cmpstr (msg, ==, cases[i].want);
    }
}

static void
test_message_sort (void)
{
    FilterResult results[12];
    KubeVersion v = kv (31);
    g_autofree char *msg = NULL;

    g_test_summary ("'<count> <reason>' items sort bytewise like Go's "
                    "sort.Strings: '10 ...' before '2 ...'");
    for (guint i = 0; i < 12; i++) {
        FilterResult r = { FILTER_NODE_AFFINITY, NULL, 0 };

        if (i == 3 || i == 8) {
            r.code = FILTER_RESOURCES;
            r.insufficient = FILTER_INSUFFICIENT_CPU;
        }
        results[i] = r;
    }
    msg = filter_failed_scheduling (results, 12, &v);
    g_assert_cmpstr (msg, ==,
                     "0/12 nodes are available: 10 node(s) didn't match "
                     "Pod's node affinity/selector, 2 Insufficient cpu. "
                     "preemption: 0/12 nodes are available: 10 Preemption "
                     "is not helpful for scheduling, 2 No preemption "
                     "victims found for incoming pod.");
}

static void
test_message_resources (void)
{
    FilterResult results[3] = {
        { FILTER_RESOURCES, NULL,
          FILTER_INSUFFICIENT_CPU | FILTER_INSUFFICIENT_MEMORY },
        { FILTER_RESOURCES, NULL, FILTER_INSUFFICIENT_MEMORY },
        { FILTER_RESOURCES, NULL, FILTER_TOO_MANY_PODS },
    };
    KubeVersion v = kv (31);
    g_autofree char *msg = filter_failed_scheduling (results, 3, &v);

    g_test_summary ("a node short of two resources counts under both "
                    "reasons; N stays the number of nodes");
    g_assert_cmpstr (msg, ==,
                     "0/3 nodes are available: 1 Insufficient cpu, 1 Too "
                     "many pods, 2 Insufficient memory. preemption: 0/3 "
                     "nodes are available: 3 No preemption victims found "
                     "for incoming pod.");
}

static void
test_message_preemption_mix (void)
{
    KbTaint taint = { (char *) "a", (char *) "b", KB_TAINT_NO_EXECUTE };
    FilterResult results[5] = {
        { FILTER_NODE_PORTS, NULL, 0 },
        { FILTER_RESOURCES, NULL, FILTER_INSUFFICIENT_CPU },
        { FILTER_TAINT, &taint, 0 },
        { FILTER_NODE_NAME, NULL, 0 },
        { FILTER_NODE_UNSCHEDULABLE, NULL, 0 },
    };
    KubeVersion v = kv (31);
    g_autofree char *msg = filter_failed_scheduling (results, 5, &v);

    g_test_summary ("ports and resource failures find no victims; "
                    "unresolvable filters make preemption not helpful");
    g_assert_cmpstr (msg, ==,
                     "0/5 nodes are available: 1 Insufficient cpu, 1 "
                     "node(s) didn't have free ports for the requested "
                     "pod ports, 1 node(s) didn't match the requested node "
                     "name, 1 node(s) had untolerated taint {a: b}, 1 "
                     "node(s) were unschedulable. preemption: 0/5 nodes "
                     "are available: 2 No preemption victims found for "
                     "incoming pod, 3 Preemption is not helpful for "
                     "scheduling.");
}

static void
test_message_no_nodes (void)
{
    KubeVersion v = kv (31);
    g_autofree char *msg = filter_failed_scheduling (NULL, 0, &v);

    g_test_summary ("an empty cluster gives ErrNoNodesAvailable's text");
    g_assert_cmpstr (msg, ==, "no nodes available to schedule pods");
}

/* ---- numFeasibleNodesToFind ---------------------------------------------- */

static void
test_num_feasible (void)
{
    static const struct {
        guint n, percentage, want;
    } cases[] = {
        { 0, 0, 0 },
        { 50, 0, 50 },
        { 99, 0, 99 },
        { 100, 0, 100 },        /* 50% of 100 = 50, raised to 100 */
        { 500, 0, 230 },        /* 50 - 4 = 46% */
        { 1000, 0, 420 },       /* 50 - 8 = 42% */
        { 5000, 0, 500 },       /* 50 - 40 = 10% */
        { 6250, 0, 312 },       /* 50 - 50 = 0, floor 5%: 312.5 */
        { 10000, 0, 500 },      /* 50 - 80 < 5: 5% */
        { 50, 10, 50 },
        { 1000, 10, 100 },
        { 5000, 10, 500 },
        { 5000, 30, 1500 },
        { 200, 100, 200 },
        { 150, 50, 100 },       /* 75, raised to 100 */
    };

    g_test_summary ("numFeasibleNodesToFind: all below 100 nodes, else the "
                    "adaptive 50 - n/125 percent (at least 5) or the given "
                    "one, at least 100 nodes");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_test_message ("n=%u percentage=%u", cases[i].n,
                        cases[i].percentage);
        g_assert_cmpuint (filter_num_feasible_to_find (cases[i].n,
                                                       cases[i].percentage),
                          ==, cases[i].want);
    }
}

/* ---- scores -------------------------------------------------------------- */

/* The pod used by the score tests: one container, 500m and 1 GiB. */
static KbPodTemplate *
score_template (void)
{
    KbPodTemplate *t = kb_pod_template_new ();

    g_ptr_array_add (t->containers, container_new ("app:1", 500, GIB));
    return t;
}

static void
score (const KbPodTemplate *t, gint64 cpu, gint64 mem, Node **nodes,
       guint n, ImageInfoFunc info, gpointer data, gint64 *totals)
{
    FilterPod sp;

    filter_pod_init (&sp, t, NULL, cpu, mem, NULL);
    filter_score_nodes (&sp, nodes, n, n, info, data, NULL, NULL, totals);
    filter_pod_clear (&sp);
}

static void
test_score_prefer_no_schedule (void)
{
    KbPodTemplate *t = score_template ();
    Node *nodes[2] = { node_new ("a"), node_new ("b") };
    gint64 totals[2];

    g_test_summary ("an untolerated PreferNoSchedule taint costs the whole "
                    "TaintToleration weight (3 x 100); tolerated, none");
    node_taint (nodes[1], "spot", "true", KB_TAINT_PREFER_NO_SCHEDULE);
    score (t, 500, GIB, nodes, 2, NULL, NULL, totals);
    g_assert_cmpint (totals[0] - totals[1], ==, 300);

    g_ptr_array_add (t->tolerations,
                     toleration_new ("spot", KB_TOLERATION_EXISTS, "",
                                     KB_TAINT_PREFER_NO_SCHEDULE));
    score (t, 500, GIB, nodes, 2, NULL, NULL, totals);
    g_assert_cmpint (totals[0], ==, totals[1]);

    node_free (nodes[0]);
    node_free (nodes[1]);
    kb_pod_template_free (t);
}

static void
test_score_least_allocated (void)
{
    KbPodTemplate *t = score_template ();
    KbPodTemplate *besteffort = kb_pod_template_new ();
    Node *nodes[3] = { node_new ("empty"), node_new ("busy"),
                       node_new ("one-besteffort") };
    Pod *bound = g_new0 (Pod, 1);
    gint64 totals[3];

    g_test_summary ("LeastAllocated prefers the emptier node and counts a "
                    "pod without requests as 100m / 200 MiB");
    nodes[1]->req_cpu = 3000;
    g_ptr_array_add (besteffort->containers, container_new ("x", 0, 0));
    bound->tmpl = besteffort;
    nodes[2]->pods = g_ptr_array_new ();
    g_ptr_array_add (nodes[2]->pods, bound);
    nodes[2]->n_pods = 1;
    /* What the kubelet keeps for a bound best-effort pod. */
    filter_nonzero_extra (besteffort, 0, 0, &nodes[2]->nz_extra_cpu,
                          &nodes[2]->nz_extra_mem);

    score (t, 500, GIB, nodes, 3, NULL, NULL, totals);
    /* Every node: TaintToleration 3 x 100, NodeAffinity 0, ImageLocality
     * 0 (no image_info). The pod: 500m, 1 GiB; nodes: 4000m, 16 GiB.
     * empty: LeastAllocated cpu 3500*100/4000 = 87, memory 15*100/16 =
     *   93, mean 90; Balanced |0.125 - 0.0625| / 2 = 0.03125: 96.
     * busy (3000m requested): cpu 500*100/4000 = 12, memory 93, mean 52;
     *   Balanced |0.875 - 0.0625| / 2 = 0.40625: 59.
     * one-besteffort: cpu 3400*100/4000 = 85, memory (16384 - 200 -
     *   1024)*100/16384 = 92, mean 88; Balanced on real requests as
     *   empty: 96. */
    g_assert_cmpint (totals[0], ==, 300 + 90 + 96);
    g_assert_cmpint (totals[1], ==, 300 + 52 + 59);
    g_assert_cmpint (totals[2], ==, 300 + 88 + 96);
    g_assert_cmpint (totals[0], >, totals[2]);
    g_assert_cmpint (totals[2], >, totals[1]);

    node_free (nodes[0]);
    node_free (nodes[1]);
    node_free (nodes[2]);
    g_free (bound);
    kb_pod_template_free (besteffort);
    kb_pod_template_free (t);
}

static void
test_score_balanced (void)
{
    static const struct {
        gint64 req_cpu, req_mem;    /* node: 4000m, 8 GiB */
        gint64 cpu, mem;            /* pod */
        gint64 want;
    } cases[] = {
        /* cpu 2000/4000 = 0.5, memory 2/8 = 0.25: std 0.125 -> 87.
         * LeastAllocated: cpu 50, memory 75, mean 62. */
        { 1000, GIB, 1000, GIB, 300 + 62 + 87 },
        /* cpu 6000/4000 capped at 1, memory 0.25: std 0.375 -> 62.
         * LeastAllocated: cpu 0 (over), memory 75, mean 37. */
        { 5000, GIB, 1000, GIB, 300 + 37 + 62 },
        /* Best effort: Balanced skipped (0); LeastAllocated counts
         * 100m and 200 MiB: 3900*100/4000 = 97, 7992*100/8192 = 97. */
        { 0, 0, 0, 0, 300 + 97 + 0 },
    };

    g_test_summary ("BalancedAllocation is (1 - std) x 100 of the cpu and "
                    "memory fractions, capped at 1, skipped for best-effort "
                    "pods");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KbPodTemplate *t = kb_pod_template_new ();
        Node *n = node_new ("n1");
        gint64 total;

        n->alloc_mem = 8 * GIB;
        n->req_cpu = cases[i].req_cpu;
        n->req_mem = cases[i].req_mem;
        score (t, cases[i].cpu, cases[i].mem, &n, 1, NULL, NULL, &total);
        g_test_message ("case %" G_GSIZE_FORMAT, i);
        g_assert_cmpint (total, ==, cases[i].want);
        node_free (n);
        kb_pod_template_free (t);
    }
}

typedef struct {
    const char *node;       /* the node that has the image */
    gint64 size;
    guint with;
} ImageFixture;

static gboolean
fixture_image_info (const char *image, const Node *node, gint64 *size,
                    guint *n_with, gpointer data)
{
    const ImageFixture *f = data;

    if (strcmp (image, "app:1") != 0 || strcmp (node->name, f->node) != 0)
        return FALSE;
    *size = f->size;
    *n_with = f->with;
    return TRUE;
}

static void
test_score_image_locality (void)
{
    static const struct {
        gint64 size;
        guint with, n_all;
        gint64 want;
    } cases[] = {
        /* 500 MiB on 1 of 4 nodes: 125 MiB; (125 - 23) * 100 / 977. */
        { 500 * MIB, 1, 4, 10 },
        /* Below 23 MiB after scaling: nothing. */
        { 80 * MIB, 1, 4, 0 },
        /* 2000 MiB everywhere: clamped at 1000 MiB x 1 container. */
        { 2000 * MIB, 4, 4, 100 },
    };
    KbPodTemplate *t = score_template ();

    g_test_summary ("ImageLocality prefers the node holding the image, "
                    "scaled by its spread and clamped to [23, 1000] MiB");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        ImageFixture f = { "has", cases[i].size, cases[i].with };
        Node *nodes[2] = { node_new ("has"), node_new ("lacks") };
        gint64 totals[2];
        FilterPod sp;

        filter_pod_init (&sp, t, NULL, 500, GIB, NULL);
        filter_score_nodes (&sp, nodes, 2, cases[i].n_all,
                            fixture_image_info, &f, NULL, NULL, totals);
        filter_pod_clear (&sp);
        g_test_message ("case %" G_GSIZE_FORMAT, i);
        g_assert_cmpint (totals[0] - totals[1], ==, cases[i].want);
        node_free (nodes[0]);
        node_free (nodes[1]);
    }
    kb_pod_template_free (t);
}

static void
test_score_node_affinity (void)
{
    KbPodTemplate *t = score_template ();
    Node *nodes[3] = { node_new ("both"), node_new ("zone"),
                       node_new ("none") };
    gint64 totals[3];

    g_test_summary ("preferred terms add their weights, normalised to the "
                    "best node, times 2");
    g_ptr_array_add (t->preferred_terms,
                     term_new (10, req_new ("zone", KB_SELECTOR_IN, FALSE,
                                            "a", NULL), NULL));
    g_ptr_array_add (t->preferred_terms,
                     term_new (30, req_new ("disk", KB_SELECTOR_EXISTS,
                                            FALSE, NULL), NULL));
    g_ptr_array_add (t->preferred_terms, term_new (50, NULL));
    kb_labels_set (nodes[0]->labels, "zone", "a");
    kb_labels_set (nodes[0]->labels, "disk", "ssd");
    kb_labels_set (nodes[1]->labels, "zone", "a");
    score (t, 500, GIB, nodes, 3, NULL, NULL, totals);
    /* Raw 40, 10, 0 -> 100, 25, 0 -> x2. */
    g_assert_cmpint (totals[0] - totals[2], ==, 200);
    g_assert_cmpint (totals[1] - totals[2], ==, 50);

    node_free (nodes[0]);
    node_free (nodes[1]);
    node_free (nodes[2]);
    kb_pod_template_free (t);
}

/* ---- the pod view: RuntimeClass merge, node identity --------------------- */

static KbRuntimeClassSpec *
runtime_class_new (const char *os)
{
    KbRuntimeClassSpec *rc = g_new0 (KbRuntimeClassSpec, 1);

    rc->name = g_strdup ("windows-2019");
    rc->handler = g_strdup ("runhcs-wcow-process");
    rc->node_selector = kb_labels_new ();
    kb_labels_set (rc->node_selector, "kubernetes.io/os", os);
    kb_labels_set (rc->node_selector, "node.kubernetes.io/windows-build",
                   "10.0.17763");
    rc->tolerations = g_ptr_array_new_with_free_func (kb_toleration_free);
    g_ptr_array_add (rc->tolerations,
                     toleration_new ("os", KB_TOLERATION_EQUAL, "windows",
                                     KB_TAINT_NO_SCHEDULE));
    return rc;
}

static void
runtime_class_free (KbRuntimeClassSpec *rc)
{
    g_free (rc->name);
    g_free (rc->handler);
    g_ptr_array_unref (rc->node_selector);
    g_ptr_array_unref (rc->tolerations);
    g_free (rc);
}

static void
test_runtime_class (void)
{
    KbPodTemplate *t = kb_pod_template_new ();
    KbRuntimeClassSpec *rc = runtime_class_new ("windows");
    KbRuntimeClassSpec *bad = runtime_class_new ("linux");
    const char *conflict = "unset";
    FilterPod sp;

    g_test_summary ("the RuntimeClass admission merge: nodeSelector keys "
                    "added, tolerations appended, a differing value is a "
                    "conflict");
    kb_labels_set (t->node_selector, "kubernetes.io/os", "windows");
    g_ptr_array_add (t->tolerations,
                     toleration_new ("team", KB_TOLERATION_EXISTS, "",
                                     KB_TAINT_ANY));
    t->node_name = NULL;

    g_assert_true (filter_pod_init (&sp, t, rc, 500, GIB, &conflict));
    g_assert_null (conflict);
    g_assert_true (sp.tmpl == t);
    g_assert_cmpint (sp.cpu, ==, 500);
    g_assert_cmpint (sp.mem, ==, GIB);
    g_assert_null (sp.node_name);
    g_assert_cmpuint (sp.node_selector->len, ==, 2);
    g_assert_cmpstr (kb_labels_get (sp.node_selector, "kubernetes.io/os"),
                     ==, "windows");
    g_assert_cmpstr (kb_labels_get (sp.node_selector,
                                    "node.kubernetes.io/windows-build"), ==,
                     "10.0.17763");
    g_assert_cmpuint (sp.tolerations->len, ==, 2);
    g_assert_true (g_ptr_array_index (sp.tolerations, 0)
                   == g_ptr_array_index (t->tolerations, 0));
    g_assert_true (g_ptr_array_index (sp.tolerations, 1)
                   == g_ptr_array_index (rc->tolerations, 0));
    g_assert_false (sp.uses_node_identity);
    /* The template's own list is untouched. */
    g_assert_cmpuint (t->node_selector->len, ==, 1);
    filter_pod_clear (&sp);

    g_assert_false (filter_pod_init (&sp, t, bad, 500, GIB, &conflict));
    g_assert_cmpstr (conflict, ==, "kubernetes.io/os");
    g_assert_cmpstr (kb_labels_get (sp.node_selector, "kubernetes.io/os"),
                     ==, "windows");
    filter_pod_clear (&sp);
    filter_pod_clear (&sp);      /* harmless twice */

    g_assert_true (filter_pod_init (&sp, t, NULL, 500, GIB, NULL));
    g_assert_cmpuint (sp.node_selector->len, ==, 1);
    g_assert_cmpuint (sp.tolerations->len, ==, 1);
    filter_pod_clear (&sp);

    runtime_class_free (rc);
    runtime_class_free (bad);
    kb_pod_template_free (t);
}

static void
test_node_identity (void)
{
    static const struct {
        const char *why;
        gboolean want;
    } cases[] = {
        { "nothing", FALSE },
        { "nodeName", TRUE },
        { "nodeSelector hostname", TRUE },
        { "required hostname", TRUE },
        { "preferred matchFields", TRUE },
        { "required zone", FALSE },
    };

    g_test_summary ("uses_node_identity marks pods whose placement names "
                    "one node");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KbPodTemplate *t = kb_pod_template_new ();
        FilterPod sp;

        switch (i) {
        case 1:
            t->node_name = g_strdup ("n1");
            break;
        case 2:
            kb_labels_set (t->node_selector, "kubernetes.io/hostname", "n1");
            break;
        case 3:
            g_ptr_array_add (t->required_terms,
                             term_new (0, req_new ("kubernetes.io/hostname",
                                                   KB_SELECTOR_IN, FALSE,
                                                   "n1", NULL), NULL));
            break;
        case 4:
            g_ptr_array_add (t->preferred_terms,
                             term_new (5, req_new ("metadata.name",
                                                   KB_SELECTOR_IN, TRUE,
                                                   "n1", NULL), NULL));
            break;
        case 5:
            g_ptr_array_add (t->required_terms,
                             term_new (0, req_new ("zone", KB_SELECTOR_IN,
                                                   FALSE, "a", NULL),
                                       NULL));
            break;
        default:
            break;
        }
        filter_pod_init (&sp, t, NULL, 0, 0, NULL);
        g_test_message ("%s", cases[i].why);
        g_assert_cmpint (sp.uses_node_identity, ==, cases[i].want);
        filter_pod_clear (&sp);
        kb_pod_template_free (t);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/filter/unschedulable", test_unschedulable);
    g_test_add_func ("/filter/node-name", test_node_name);
    g_test_add_func ("/filter/taint/tolerates", test_tolerates);
    g_test_add_func ("/filter/taint/tolerates-none", test_tolerates_none);
    g_test_add_func ("/filter/taint/filter", test_taint_filter);
    g_test_add_func ("/filter/affinity/node-selector", test_node_selector);
    g_test_add_func ("/filter/affinity/operators", test_affinity_operators);
    g_test_add_func ("/filter/affinity/terms", test_affinity_terms);
    g_test_add_func ("/filter/affinity/match-fields", test_affinity_fields);
    g_test_add_func ("/filter/affinity/selector-and-terms",
                     test_affinity_selector_and_terms);
    g_test_add_func ("/filter/ports", test_ports);
    g_test_add_func ("/filter/resources", test_resources);
    g_test_add_func ("/filter/order", test_order);
    g_test_add_func ("/filter/reasons/taint", test_taint_texts);
    g_test_add_func ("/filter/reasons/other", test_other_texts);
    g_test_add_func ("/filter/message/windows-taint", test_message_windows);
    g_test_add_func ("/filter/message/sort", test_message_sort);
    g_test_add_func ("/filter/message/two-resources",
                     test_message_resources);
    g_test_add_func ("/filter/message/preemption-mix",
                     test_message_preemption_mix);
    g_test_add_func ("/filter/message/no-nodes", test_message_no_nodes);
    g_test_add_func ("/filter/num-feasible", test_num_feasible);
    g_test_add_func ("/filter/score/prefer-no-schedule",
                     test_score_prefer_no_schedule);
    g_test_add_func ("/filter/score/least-allocated",
                     test_score_least_allocated);
    g_test_add_func ("/filter/score/balanced", test_score_balanced);
    g_test_add_func ("/filter/score/image-locality",
                     test_score_image_locality);
    g_test_add_func ("/filter/score/node-affinity",
                     test_score_node_affinity);
    g_test_add_func ("/filter/pod/runtime-class", test_runtime_class);
    g_test_add_func ("/filter/pod/node-identity", test_node_identity);
    return g_test_run ();
}
