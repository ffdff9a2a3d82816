/* podspec.c: Kubernetes PodSpecs, labels, taints and tolerations.
 *
 * Pod templates use Kubernetes' own field names, whether they come from a
 * scenario's `template:` or from a real manifest's spec.template.spec.
 * Fields the simulation uses are read and checked; every other real
 * PodSpec field is accepted and noted as ignored (`kbsim validate` lists
 * them); anything else is an error with a suggestion.
 *
 * Windows rules recorded here (facts section 3, kubernetes/website
 * content/en/docs/concepts/windows/intro.md): the securityContext fields
 * the API server rejects on a pod with os.name windows, and the features
 * Windows nodes do not support.
 */
#include "scenarios/loader-private.h"

#include <string.h>

#include "models/catalog.h"
#include "sim/units.h"

static const char *const pod_used[] = {
    "nodeSelector", "affinity", "tolerations", "runtimeClassName", "os",
    "nodeName", "hostNetwork", "securityContext", "containers",
    "initContainers", "priorityClassName", "priority", "schedulerName",
    "hostPID", "hostIPC", "shareProcessNamespace", "volumes", "dnsPolicy",
    "topologySpreadConstraints", NULL
};

/* The rest of PodSpec (k8s.io/api core/v1 types.go), accepted unused. */
static const char *const pod_ignored[] = {
    "activeDeadlineSeconds", "automountServiceAccountToken", "dnsConfig",
    "enableServiceLinks", "ephemeralContainers", "hostAliases", "hostUsers",
    "hostname", "hostnameOverride", "imagePullSecrets", "overhead",
    "preemptionPolicy", "readinessGates", "resourceClaims", "resources",
    "restartPolicy", "schedulingGates", "serviceAccount",
    "serviceAccountName", "setHostnameAsFQDN", "subdomain",
    "terminationGracePeriodSeconds", NULL
};

static const char *const container_used[] = {
    "name", "image", "resources", "ports", "securityContext",
    "volumeDevices", "volumeMounts", NULL
};

static const char *const container_ignored[] = {
    "args", "command", "env", "envFrom", "imagePullPolicy", "lifecycle",
    "livenessProbe", "readinessProbe", "resizePolicy", "restartPolicy",
    "startupProbe", "stdin", "stdinOnce", "terminationMessagePath",
    "terminationMessagePolicy", "tty", "workingDir", NULL
};

/* Rejected by the API server when os.name is windows (facts section 3). */
static const char *const pod_linux_only_sc[] = {
    "seLinuxOptions", "seccompProfile", "fsGroup", "fsGroupChangePolicy",
    "sysctls", "runAsUser", "runAsGroup", "supplementalGroups", NULL
};

static const char *const container_linux_only_sc[] = {
    "seLinuxOptions", "seccompProfile", "capabilities",
    "readOnlyRootFilesystem", "privileged", "allowPrivilegeEscalation",
    "procMount", "runAsUser", "runAsGroup", NULL
};

static const char *const pod_sc_other[] = {
    "runAsNonRoot", "windowsOptions", "appArmorProfile",
    "supplementalGroupsPolicy", "seLinuxChangePolicy", NULL
};

static const char *const container_sc_other[] = {
    "runAsNonRoot", "windowsOptions", "appArmorProfile", NULL
};

GPtrArray *
loader__labels (LoadCtx *ctx, const YNode *map, const char *what)
{
    GPtrArray *labels = kb_labels_new ();

    if (map == NULL || ynode_is_null (map))
        return labels;
    if (!loader__is_map (ctx, map, what))
        return labels;
    for (guint i = 0; i < ynode_len (map); i++) {
        const YNode *k = ynode_key (map, i), *v = ynode_value (map, i);
        g_autofree char *w = g_strdup_printf ("%s.%s", what,
                                              k->value ? k->value : "?");

        if (!loader__is_scalar (ctx, k, what))
            continue;
        if (v->kind != YNODE_SCALAR) {
            loader__is_scalar (ctx, v, w);
            continue;
        }
        kb_labels_set (labels, k->value, ynode_is_null (v) ? "" : v->value);
    }
    return labels;
}

static gboolean
parse_effect (LoadCtx *ctx, const YNode *map, const char *what,
              gboolean required, KbTaintEffect *out)
{
    static const char *const names[] = {
        "NoSchedule", "PreferNoSchedule", "NoExecute", NULL
    };
    g_autofree char *e = NULL;

    if (!loader__get_str (ctx, map, "effect", what, required, &e))
        return FALSE;
    for (int i = 0; names[i]; i++)
        if (strcmp (e, names[i]) == 0) {
            *out = (KbTaintEffect) i;
            return TRUE;
        }
    loader__error (ctx, ynode_get (map, "effect"), "%seffect: expected "
                   "NoSchedule, PreferNoSchedule or NoExecute, got '%s'",
                   what, e);
    return FALSE;
}

GPtrArray *
loader__taints (LoadCtx *ctx, const YNode *seq, const char *what)
{
    static const char *const keys[] = { "key", "value", "effect",
                                        "timeAdded", NULL };
    GPtrArray *taints = g_ptr_array_new_with_free_func (kb_taint_free);

    if (seq == NULL || ynode_is_null (seq) || !loader__is_seq (ctx, seq, what))
        return taints;
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *m = ynode_item (seq, i);
        KbTaint *t;

        if (!loader__is_map (ctx, m, what))
            continue;
        loader__check_keys (ctx, m, "taint", keys, NULL);
        t = g_new0 (KbTaint, 1);
        t->value = g_strdup ("");
        loader__get_str (ctx, m, "key", "taint.", TRUE, &t->key);
        if (ynode_get (m, "value") && !ynode_is_null (ynode_get (m, "value")))
            loader__get_str (ctx, m, "value", "taint.", FALSE, &t->value);
        parse_effect (ctx, m, "taint.", TRUE, &t->effect);
        if (t->key == NULL)
            t->key = g_strdup ("");
        g_ptr_array_add (taints, t);
    }
    return taints;
}

static KbToleration *
parse_toleration (LoadCtx *ctx, const YNode *m)
{
    static const char *const keys[] = { "key", "operator", "value", "effect",
                                        "tolerationSeconds", NULL };
    KbToleration *t = g_new0 (KbToleration, 1);
    g_autofree char *op = NULL;

    loader__check_keys (ctx, m, "toleration", keys, NULL);
    t->key = g_strdup ("");
    t->value = g_strdup ("");
    t->effect = KB_TAINT_ANY;
    t->toleration_seconds = -1;
    loader__get_str (ctx, m, "key", "toleration.", FALSE, &t->key);
    if (ynode_get (m, "value") && !ynode_is_null (ynode_get (m, "value")))
        loader__get_str (ctx, m, "value", "toleration.", FALSE, &t->value);
    if (ynode_get (m, "effect") && !ynode_is_null (ynode_get (m, "effect")))
        parse_effect (ctx, m, "toleration.", FALSE, &t->effect);
    loader__get_int (ctx, m, "tolerationSeconds", "toleration.", G_MININT64,
                     G_MAXINT64, &t->toleration_seconds);
    t->op = KB_TOLERATION_EQUAL;
    if (loader__get_str (ctx, m, "operator", "toleration.", FALSE, &op)) {
        if (strcmp (op, "Exists") == 0)
            t->op = KB_TOLERATION_EXISTS;
        else if (strcmp (op, "Equal") != 0)
            loader__error (ctx, ynode_get (m, "operator"), "toleration."
                           "operator: expected Equal or Exists, got '%s'", op);
    }
    /* The API server's validation of tolerations. */
    if (t->op == KB_TOLERATION_EXISTS && t->value[0] != '\0')
        loader__error (ctx, m, "toleration: value must be empty when "
                       "operator is 'Exists'");
    if (t->op == KB_TOLERATION_EQUAL && t->key[0] == '\0')
        loader__error (ctx, m, "toleration: operator must be Exists when "
                       "key is empty");
    return t;
}

GPtrArray *
loader__tolerations (LoadCtx *ctx, const YNode *seq, const char *what)
{
    GPtrArray *tols = g_ptr_array_new_with_free_func (kb_toleration_free);

    if (seq == NULL || ynode_is_null (seq) || !loader__is_seq (ctx, seq, what))
        return tols;
    for (guint i = 0; i < ynode_len (seq); i++)
        if (loader__is_map (ctx, ynode_item (seq, i), what))
            g_ptr_array_add (tols, parse_toleration (ctx,
                                                     ynode_item (seq, i)));
    return tols;
}

static void
parse_requirements (LoadCtx *ctx, const YNode *seq, gboolean field,
                    KbSelectorTerm *term)
{
    static const char *const ops[] = { "In", "NotIn", "Exists",
                                       "DoesNotExist", "Gt", "Lt", NULL };
    static const char *const keys[] = { "key", "operator", "values", NULL };
    const char *what = field ? "matchFields" : "matchExpressions";

    if (seq == NULL || !loader__is_seq (ctx, seq, what))
        return;
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *m = ynode_item (seq, i), *vals;
        KbSelectorRequirement *r;
        g_autofree char *op = NULL;
        int o;

        if (!loader__is_map (ctx, m, what))
            continue;
        loader__check_keys (ctx, m, what, keys, NULL);
        r = kb_selector_requirement_new ();
        r->field = field;
        loader__get_str (ctx, m, "key", "", TRUE, &r->key);
        if (r->key == NULL)
            r->key = g_strdup ("");
        loader__get_str (ctx, m, "operator", "", TRUE, &op);
        for (o = 0; op && ops[o] && strcmp (ops[o], op) != 0; o++)
            ;
        if (op && ops[o] == NULL)
            loader__error (ctx, ynode_get (m, "operator"), "operator: "
                           "expected In, NotIn, Exists, DoesNotExist, Gt or "
                           "Lt, got '%s'", op);
        r->op = op && ops[o] ? (KbSelectorOp) o : KB_SELECTOR_IN;
        vals = ynode_get (m, "values");
        if (vals && loader__is_seq (ctx, vals, "values"))
            for (guint j = 0; j < ynode_len (vals); j++) {
                char *v = loader__scalar_dup (ctx, ynode_item (vals, j),
                                              "values");
                if (v)
                    g_ptr_array_add (r->values, v);
            }
        /* Validation as the API server does it. */
        if ((r->op == KB_SELECTOR_IN || r->op == KB_SELECTOR_NOT_IN)
            && r->values->len == 0)
            loader__error (ctx, m, "%s: operator %s needs at least one "
                           "value", what, ops[r->op]);
        if ((r->op == KB_SELECTOR_EXISTS
             || r->op == KB_SELECTOR_DOES_NOT_EXIST) && r->values->len > 0)
            loader__error (ctx, m, "%s: operator %s takes no values", what,
                           ops[r->op]);
        if ((r->op == KB_SELECTOR_GT || r->op == KB_SELECTOR_LT)
            && r->values->len != 1)
            loader__error (ctx, m, "%s: operator %s takes exactly one "
                           "integer value", what, ops[r->op]);
        g_ptr_array_add (term->requirements, r);
    }
}

static KbSelectorTerm *
parse_term (LoadCtx *ctx, const YNode *m)
{
    static const char *const keys[] = { "matchExpressions", "matchFields",
                                        NULL };
    KbSelectorTerm *t = kb_selector_term_new ();

    if (!loader__is_map (ctx, m, "node selector term"))
        return t;
    loader__check_keys (ctx, m, "node selector term", keys, NULL);
    parse_requirements (ctx, ynode_get (m, "matchExpressions"), FALSE, t);
    parse_requirements (ctx, ynode_get (m, "matchFields"), TRUE, t);
    return t;
}

static void
parse_node_affinity (LoadCtx *ctx, const YNode *na, KbPodTemplate *t)
{
    static const char *const keys[] = {
        "requiredDuringSchedulingIgnoredDuringExecution",
        "preferredDuringSchedulingIgnoredDuringExecution", NULL
    };
    static const char *const req_keys[] = { "nodeSelectorTerms", NULL };
    static const char *const pref_keys[] = { "weight", "preference", NULL };
    const YNode *req, *pref, *terms;

    if (!loader__is_map (ctx, na, "nodeAffinity"))
        return;
    loader__check_keys (ctx, na, "nodeAffinity", keys, NULL);
    req = ynode_get (na, keys[0]);
    if (req && loader__is_map (ctx, req, keys[0])) {
        loader__check_keys (ctx, req, keys[0], req_keys, NULL);
        terms = ynode_get (req, "nodeSelectorTerms");
        if (terms == NULL || !loader__is_seq (ctx, terms, "nodeSelectorTerms")
            || ynode_len (terms) == 0)
            loader__error (ctx, req, "nodeSelectorTerms: at least one term "
                           "is required");
        else
            for (guint i = 0; i < ynode_len (terms); i++)
                g_ptr_array_add (t->required_terms,
                                 parse_term (ctx, ynode_item (terms, i)));
    }
    pref = ynode_get (na, keys[1]);
    if (pref && loader__is_seq (ctx, pref, keys[1]))
        for (guint i = 0; i < ynode_len (pref); i++) {
            const YNode *p = ynode_item (pref, i);
            KbSelectorTerm *term;
            gint64 w = 1;

            if (!loader__is_map (ctx, p, keys[1]))
                continue;
            loader__check_keys (ctx, p, "preferred term", pref_keys, NULL);
            if (ynode_get (p, "weight") == NULL)
                loader__error (ctx, p, "weight: missing, and it is required");
            loader__get_int (ctx, p, "weight", "", 1, 100, &w);
            term = parse_term (ctx, ynode_get (p, "preference")
                                        ? ynode_get (p, "preference") : p);
            term->weight = (gint) w;
            g_ptr_array_add (t->preferred_terms, term);
        }
}

/* metav1.LabelSelector: matchLabels and matchExpressions (no Gt/Lt:
 * LabelSelectorAsSelector accepts In, NotIn, Exists, DoesNotExist). */
static KbLabelSelector *
parse_label_selector (LoadCtx *ctx, const YNode *m)
{
    static const char *const keys[] = { "matchLabels", "matchExpressions",
                                        NULL };
    KbLabelSelector *sel;
    KbSelectorTerm *term;

    if (m == NULL || ynode_is_null (m) || !loader__is_map (ctx, m,
                                                           "labelSelector"))
        return NULL;
    loader__check_keys (ctx, m, "labelSelector", keys, NULL);
    sel = g_new0 (KbLabelSelector, 1);
    sel->match_labels = loader__labels (ctx, ynode_get (m, "matchLabels"),
                                        "matchLabels");
    term = kb_selector_term_new ();
    parse_requirements (ctx, ynode_get (m, "matchExpressions"), FALSE, term);
    for (guint i = 0; i < term->requirements->len; i++) {
        const KbSelectorRequirement *r = g_ptr_array_index (term->requirements,
                                                            i);

        if (r->op == KB_SELECTOR_GT || r->op == KB_SELECTOR_LT)
            loader__error (ctx, ynode_get (m, "matchExpressions"),
                           "labelSelector: operator %s is for node "
                           "selectors only", r->op == KB_SELECTOR_GT ? "Gt"
                                                                    : "Lt");
    }
    sel->match_expressions = g_ptr_array_ref (term->requirements);
    kb_selector_term_free (term);
    return sel;
}

/* Honor or Ignore (core/v1 NodeInclusionPolicy). */
static void
parse_policy (LoadCtx *ctx, const YNode *m, const char *key, gboolean *honor)
{
    g_autofree char *v = NULL;

    if (!loader__get_str (ctx, m, key, "topologySpreadConstraints.", FALSE,
                          &v))
        return;
    if (strcmp (v, "Honor") == 0 || strcmp (v, "Ignore") == 0)
        *honor = strcmp (v, "Honor") == 0;
    else
        loader__error (ctx, ynode_get (m, key), "topologySpreadConstraints."
                       "%s: expected Honor or Ignore, got '%s'", key, v);
}

/* spec.topologySpreadConstraints, validated as the API server does
 * (maxSkew >= 1, minDomains >= 1 and only with DoNotSchedule); defaults
 * as podtopologyspread common.go fills them in. */
static void
parse_spread (LoadCtx *ctx, const YNode *seq, KbPodTemplate *t)
{
    static const char *const keys[] = {
        "maxSkew", "topologyKey", "whenUnsatisfiable", "labelSelector",
        "minDomains", "nodeAffinityPolicy", "nodeTaintsPolicy", NULL
    };
    static const char *const ignored[] = { "matchLabelKeys", NULL };

    if (!loader__is_seq (ctx, seq, "topologySpreadConstraints"))
        return;
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *m = ynode_item (seq, i);
        KbSpreadConstraint *sc;
        g_autofree char *when = NULL;
        gint64 v;

        if (!loader__is_map (ctx, m, "topologySpreadConstraints"))
            continue;
        loader__check_keys (ctx, m, "topology spread constraint", keys,
                            ignored);
        sc = g_new0 (KbSpreadConstraint, 1);
        sc->loc = loader__loc (ctx, m);
        sc->max_skew = 1;
        sc->min_domains = 1;
        sc->honor_affinity = TRUE;
        if (ynode_get (m, "maxSkew") == NULL)
            loader__error (ctx, m, "topologySpreadConstraints: maxSkew: "
                           "missing, and it is required");
        if (loader__get_int (ctx, m, "maxSkew", "topologySpreadConstraints.",
                             1, G_MAXINT32, &v))
            sc->max_skew = (gint) v;
        loader__get_str (ctx, m, "topologyKey", "topologySpreadConstraints.",
                         TRUE, &sc->topology_key);
        if (sc->topology_key == NULL)
            sc->topology_key = g_strdup ("");
        loader__get_str (ctx, m, "whenUnsatisfiable",
                         "topologySpreadConstraints.", TRUE, &when);
        if (when && strcmp (when, "DoNotSchedule") == 0)
            sc->do_not_schedule = TRUE;
        else if (when && strcmp (when, "ScheduleAnyway") != 0)
            loader__error (ctx, ynode_get (m, "whenUnsatisfiable"),
                           "topologySpreadConstraints.whenUnsatisfiable: "
                           "expected DoNotSchedule or ScheduleAnyway, got "
                           "'%s'", when);
        if (loader__get_int (ctx, m, "minDomains",
                             "topologySpreadConstraints.", 1, G_MAXINT32,
                             &v)) {
            sc->min_domains = (gint) v;
            if (!sc->do_not_schedule)
                loader__error (ctx, ynode_get (m, "minDomains"),
                               "topologySpreadConstraints.minDomains: may "
                               "only be set with whenUnsatisfiable: "
                               "DoNotSchedule");
        }
        parse_policy (ctx, m, "nodeAffinityPolicy", &sc->honor_affinity);
        parse_policy (ctx, m, "nodeTaintsPolicy", &sc->honor_taints);
        sc->selector = parse_label_selector (ctx, ynode_get (m,
                                                             "labelSelector"));
        g_ptr_array_add (t->spread_constraints, sc);
    }
}

static void
parse_affinity (LoadCtx *ctx, const YNode *aff, KbPodTemplate *t)
{
    static const char *const used[] = { "nodeAffinity", NULL };
    static const char *const ignored[] = { "podAffinity", "podAntiAffinity",
                                           NULL };

    if (!loader__is_map (ctx, aff, "affinity"))
        return;
    loader__check_keys (ctx, aff, "affinity", used, ignored);
    if (ynode_get (aff, "nodeAffinity"))
        parse_node_affinity (ctx, ynode_get (aff, "nodeAffinity"), t);
}

/* Records which Linux-only securityContext fields are set, by path. */
static void
scan_security_context (LoadCtx *ctx, const YNode *sc, const char *path,
                       const char *const *linux_only,
                       const char *const *other, KbPodTemplate *t)
{
    if (!loader__is_map (ctx, sc, path))
        return;
    loader__check_keys (ctx, sc, "securityContext", linux_only, other);
    for (guint i = 0; i < ynode_len (sc); i++) {
        const YNode *k = ynode_key (sc, i);

        for (gsize j = 0; linux_only[j]; j++)
            if (k->kind == YNODE_SCALAR && strcmp (k->value, linux_only[j]) == 0
                && !ynode_is_null (ynode_value (sc, i)))
                g_ptr_array_add (t->linux_only_fields,
                                 g_strdup_printf ("%s.%s", path, k->value));
    }
}

static gboolean
host_process_set (const YNode *sc)
{
    const YNode *wo = ynode_get (sc, "windowsOptions");
    const YNode *hp = ynode_get (wo, "hostProcess");

    return hp && hp->kind == YNODE_SCALAR && strcmp (hp->value, "true") == 0;
}

static void
parse_resources (LoadCtx *ctx, const YNode *res, KbContainerSpec *c,
                 KbPodTemplate *t)
{
    static const char *const keys[] = { "requests", "limits", NULL };
    static const char *const ignored[] = { "claims", NULL };
    gint64 *cpu[2] = { &c->cpu_request, &c->cpu_limit };
    gint64 *mem[2] = { &c->memory_request, &c->memory_limit };

    if (!loader__is_map (ctx, res, "resources"))
        return;
    loader__check_keys (ctx, res, "resources", keys, ignored);
    for (int i = 0; i < 2; i++) {
        const YNode *m = ynode_get (res, keys[i]);
        g_autofree char *prefix = g_strdup_printf ("resources.%s.", keys[i]);

        if (m == NULL || !loader__is_map (ctx, m, keys[i]))
            continue;
        for (guint j = 0; j < ynode_len (m); j++) {
            const YNode *k = ynode_key (m, j);

            if (k->kind != YNODE_SCALAR)
                continue;
            if (strcmp (k->value, "cpu") == 0)
                loader__get_cpu (ctx, m, "cpu", prefix, cpu[i]);
            else if (strcmp (k->value, "memory") == 0)
                loader__get_bytes (ctx, m, "memory", prefix, mem[i]);
            else if (g_str_has_prefix (k->value, "hugepages-"))
                g_ptr_array_add (t->windows_unsupported,
                                 g_strdup_printf ("%s (HugePages)",
                                                  k->value));
            else
                loader__ignored (ctx, k, k->value);
        }
    }
    /* Kubernetes defaults a missing request to the limit. */
    if (ynode_get (ynode_get (res, "requests"), "cpu") == NULL)
        c->cpu_request = c->cpu_limit;
    if (ynode_get (ynode_get (res, "requests"), "memory") == NULL)
        c->memory_request = c->memory_limit;
}

static void
parse_ports (LoadCtx *ctx, const YNode *ports, KbContainerSpec *c)
{
    static const char *const keys[] = { "containerPort", "hostPort",
                                        "protocol", NULL };
    static const char *const ignored[] = { "name", "hostIP", NULL };

    if (!loader__is_seq (ctx, ports, "ports"))
        return;
    for (guint i = 0; i < ynode_len (ports); i++) {
        const YNode *p = ynode_item (ports, i);
        gint64 hp = 0, cp = 0;

        if (!loader__is_map (ctx, p, "ports"))
            continue;
        loader__check_keys (ctx, p, "port", keys, ignored);
        loader__get_int (ctx, p, "containerPort", "", 1, 65535, &cp);
        if (loader__get_int (ctx, p, "hostPort", "", 1, 65535, &hp)) {
            guint16 v = (guint16) hp;

            g_array_append_val (c->host_ports, v);
        }
    }
}

static KbContainerSpec *
parse_container (LoadCtx *ctx, const YNode *m, const char *what,
                 KbPodTemplate *t, guint index)
{
    KbContainerSpec *c = kb_container_new ();
    const YNode *image, *sc;

    c->loc = loader__loc (ctx, m);
    loader__check_keys (ctx, m, "container", container_used,
                        container_ignored);
    loader__get_str (ctx, m, "name", "", TRUE, &c->name);
    if (c->name == NULL)
        c->name = g_strdup_printf ("container-%u", index);
    image = ynode_get (m, "image");
    if (loader__get_str (ctx, m, "image", "", TRUE, &c->image)) {
        char *norm = catalog_normalize_reference (c->image);

        g_free (c->image);
        c->image = norm;
        loader__use_image (ctx, norm, image);
    } else {
        c->image = g_strdup ("");
    }
    if (ynode_get (m, "resources"))
        parse_resources (ctx, ynode_get (m, "resources"), c, t);
    if (ynode_get (m, "ports"))
        parse_ports (ctx, ynode_get (m, "ports"), c);
    sc = ynode_get (m, "securityContext");
    if (sc && !ynode_is_null (sc)) {
        g_autofree char *path = g_strdup_printf ("%s[%u].securityContext",
                                                 what, index);

        scan_security_context (ctx, sc, path, container_linux_only_sc,
                               container_sc_other, t);
        if (host_process_set (sc))
            t->host_process = TRUE;
    }
    if (ynode_get (m, "volumeDevices"))
        g_ptr_array_add (t->windows_unsupported,
                         g_strdup ("volumeDevices (raw block volumes)"));
    return c;
}

static void
parse_containers (LoadCtx *ctx, const YNode *seq, const char *what,
                  GPtrArray *out, KbPodTemplate *t)
{
    if (!loader__is_seq (ctx, seq, what))
        return;
    for (guint i = 0; i < ynode_len (seq); i++)
        if (loader__is_map (ctx, ynode_item (seq, i), what))
            g_ptr_array_add (out, parse_container (ctx, ynode_item (seq, i),
                                                   what, t, i));
}

static void
parse_os (LoadCtx *ctx, const YNode *os, KbPodTemplate *t)
{
    static const char *const keys[] = { "name", NULL };
    g_autofree char *name = NULL;

    if (!loader__is_map (ctx, os, "os"))
        return;
    loader__check_keys (ctx, os, "os", keys, NULL);
    if (!loader__get_str (ctx, os, "name", "os.", TRUE, &name))
        return;
    t->os_name = platform_os_from_string (name);
    if (t->os_name == KB_OS_UNKNOWN)
        loader__error (ctx, ynode_get (os, "name"), "os.name: expected linux "
                       "or windows, got '%s'", name);
}

static void
scan_windows_unsupported (const YNode *spec, KbPodTemplate *t)
{
    const YNode *dns = ynode_get (spec, "dnsPolicy");
    const YNode *vols = ynode_get (spec, "volumes");

    if (dns && dns->kind == YNODE_SCALAR
        && strcmp (dns->value, "ClusterFirstWithHostNet") == 0)
        g_ptr_array_add (t->windows_unsupported,
                         g_strdup ("dnsPolicy: ClusterFirstWithHostNet"));
    for (guint i = 0; vols && vols->kind == YNODE_SEQUENCE
                      && i < ynode_len (vols); i++) {
        const YNode *med = ynode_get (ynode_get (ynode_item (vols, i),
                                                 "emptyDir"), "medium");

        if (med && med->kind == YNODE_SCALAR
            && strcmp (med->value, "Memory") == 0)
            g_ptr_array_add (t->windows_unsupported,
                             g_strdup ("emptyDir with medium Memory"));
    }
}

static void
flag_pod_level_linux_only (LoadCtx *ctx, const YNode *spec, KbPodTemplate *t)
{
    static const char *const keys[] = { "hostPID", "hostIPC",
                                        "shareProcessNamespace", NULL };

    for (gsize i = 0; keys[i]; i++) {
        gboolean on = FALSE;

        if (loader__get_bool (ctx, spec, keys[i], "", &on) && on)
            g_ptr_array_add (t->linux_only_fields, g_strdup (keys[i]));
    }
}

KbPodTemplate *
loader__pod_spec (LoadCtx *ctx, const YNode *spec)
{
    KbPodTemplate *t = kb_pod_template_new ();
    const YNode *n;
    gint64 prio;

    t->loc = loader__loc (ctx, spec);
    if (!loader__is_map (ctx, spec, "pod template"))
        return t;
    loader__check_keys (ctx, spec, "pod template", pod_used, pod_ignored);
    g_ptr_array_unref (t->node_selector);
    t->node_selector = loader__labels (ctx, ynode_get (spec, "nodeSelector"),
                                       "nodeSelector");
    if ((n = ynode_get (spec, "affinity")) && !ynode_is_null (n))
        parse_affinity (ctx, n, t);
    if ((n = ynode_get (spec, "topologySpreadConstraints"))
        && !ynode_is_null (n))
        parse_spread (ctx, n, t);
    g_ptr_array_unref (t->tolerations);
    t->tolerations = loader__tolerations (ctx, ynode_get (spec,
                                                          "tolerations"),
                                          "tolerations");
    loader__get_str (ctx, spec, "runtimeClassName", "", FALSE,
                     &t->runtime_class);
    if ((n = ynode_get (spec, "os")) && !ynode_is_null (n))
        parse_os (ctx, n, t);
    loader__get_str (ctx, spec, "nodeName", "", FALSE, &t->node_name);
    loader__get_bool (ctx, spec, "hostNetwork", "", &t->host_network);
    loader__get_str (ctx, spec, "priorityClassName", "", FALSE,
                     &t->priority_class);
    if (loader__get_int (ctx, spec, "priority", "", G_MININT32, 1000000000,
                         &prio))
        t->priority = (gint32) prio;
    loader__get_str (ctx, spec, "schedulerName", "", FALSE,
                     &t->scheduler_name);
    flag_pod_level_linux_only (ctx, spec, t);
    if ((n = ynode_get (spec, "securityContext")) && !ynode_is_null (n)) {
        scan_security_context (ctx, n, "securityContext", pod_linux_only_sc,
                               pod_sc_other, t);
        if (host_process_set (n))
            t->host_process = TRUE;
    }
    scan_windows_unsupported (spec, t);
    if ((n = ynode_get (spec, "initContainers")) && !ynode_is_null (n))
        parse_containers (ctx, n, "initContainers", t->init_containers, t);
    n = ynode_get (spec, "containers");
    if (n == NULL || ynode_is_null (n))
        loader__error (ctx, spec, "pod template: containers: missing, and at "
                       "least one container is required");
    else
        parse_containers (ctx, n, "containers", t->containers, t);
    if (n && n->kind == YNODE_SEQUENCE && ynode_len (n) == 0)
        loader__error (ctx, n, "containers: at least one container is "
                       "required");
    return t;
}
