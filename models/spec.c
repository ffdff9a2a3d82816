/* spec.c: lifetimes and lookups of the models' input (spec.h).
 *
 * The plain data of spec.h: how each piece is created and freed, the
 * sorted label lists, and the lookups by name. The loader in scenarios/
 * fills these structures; the models only read them.
 */
#include "models/spec.h"

#include <string.h>

#include "sim/units.h"

void
kb_label_free (gpointer p)
{
    KbLabel *l = p;

    g_free (l->key);
    g_free (l->value);
    g_free (l);
}

void
kb_taint_free (gpointer p)
{
    KbTaint *t = p;

    g_free (t->key);
    g_free (t->value);
    g_free (t);
}

void
kb_toleration_free (gpointer p)
{
    KbToleration *t = p;

    g_free (t->key);
    g_free (t->value);
    g_free (t);
}

static void
selector_requirement_free (gpointer p)
{
    KbSelectorRequirement *r = p;

    g_free (r->key);
    g_ptr_array_unref (r->values);
    g_free (r);
}

void
kb_selector_term_free (gpointer p)
{
    KbSelectorTerm *t = p;

    g_ptr_array_unref (t->requirements);
    g_free (t);
}

void
kb_container_free (gpointer p)
{
    KbContainerSpec *c = p;

    g_free (c->name);
    g_free (c->image);
    g_array_unref (c->host_ports);
    g_free (c);
}

KbSelectorTerm *
kb_selector_term_new (void)
{
    KbSelectorTerm *t = g_new0 (KbSelectorTerm, 1);

    t->requirements = g_ptr_array_new_with_free_func (
        selector_requirement_free);
    return t;
}

KbSelectorRequirement *
kb_selector_requirement_new (void)
{
    KbSelectorRequirement *r = g_new0 (KbSelectorRequirement, 1);

    r->values = g_ptr_array_new_with_free_func (g_free);
    return r;
}

KbContainerSpec *
kb_container_new (void)
{
    KbContainerSpec *c = g_new0 (KbContainerSpec, 1);

    c->host_ports = g_array_new (FALSE, FALSE, sizeof (guint16));
    return c;
}

void
kb_spread_constraint_free (gpointer p)
{
    KbSpreadConstraint *sc = p;

    g_free (sc->topology_key);
    if (sc->selector) {
        g_ptr_array_unref (sc->selector->match_labels);
        g_ptr_array_unref (sc->selector->match_expressions);
        g_free (sc->selector);
    }
    g_free (sc);
}

KbPodTemplate *
kb_pod_template_new (void)
{
    KbPodTemplate *t = g_new0 (KbPodTemplate, 1);

    t->labels = kb_labels_new ();
    t->node_selector = kb_labels_new ();
    t->required_terms = g_ptr_array_new_with_free_func (
        kb_selector_term_free);
    t->preferred_terms = g_ptr_array_new_with_free_func (
        kb_selector_term_free);
    t->tolerations = g_ptr_array_new_with_free_func (kb_toleration_free);
    t->containers = g_ptr_array_new_with_free_func (kb_container_free);
    t->init_containers = g_ptr_array_new_with_free_func (kb_container_free);
    t->linux_only_fields = g_ptr_array_new_with_free_func (g_free);
    t->windows_unsupported = g_ptr_array_new_with_free_func (g_free);
    t->spread_constraints = g_ptr_array_new_with_free_func (
        kb_spread_constraint_free);
    t->scheduler_name = g_strdup ("default-scheduler");
    return t;
}

void
kb_pod_template_free (gpointer p)
{
    KbPodTemplate *t = p;

    if (t == NULL)
        return;
    g_ptr_array_unref (t->labels);
    g_ptr_array_unref (t->node_selector);
    g_ptr_array_unref (t->required_terms);
    g_ptr_array_unref (t->preferred_terms);
    g_ptr_array_unref (t->tolerations);
    g_ptr_array_unref (t->containers);
    g_ptr_array_unref (t->init_containers);
    g_ptr_array_unref (t->linux_only_fields);
    g_ptr_array_unref (t->windows_unsupported);
    g_ptr_array_unref (t->spread_constraints);
    g_free (t->runtime_class);
    g_free (t->node_name);
    g_free (t->priority_class);
    g_free (t->scheduler_name);
    g_free (t);
}

KbWorkloadSpec *
kb_workload_new (void)
{
    KbWorkloadSpec *w = g_new0 (KbWorkloadSpec, 1);

    for (int h = 0; h < 24; h++)
        w->daily_profile[h] = 1.0;
    w->completions = 1;
    w->parallelism = 1;
    w->max_surge = -1;
    w->max_unavailable = -1;
    w->namespace = g_strdup ("default");
    w->starting_deadline = -1;
    sim_dist_init_constant (&w->duration, 0);
    return w;
}

void
kb_workload_free (gpointer p)
{
    KbWorkloadSpec *w = p;

    g_free (w->name);
    g_free (w->namespace);
    g_free (w->schedule);
    cron_schedule_free (w->cron);
    g_free (w->time_zone);
    if (w->tz)
        g_time_zone_unref (w->tz);
    g_free (w->source);
    sim_dist_clear (&w->duration);
    kb_pod_template_free (w->template);
    g_free (w);
}

void
kb_runtime_class_free (gpointer p)
{
    KbRuntimeClassSpec *r = p;

    g_free (r->name);
    g_free (r->handler);
    g_ptr_array_unref (r->node_selector);
    g_ptr_array_unref (r->tolerations);
    g_free (r);
}

KbPoolSpec *
kb_pool_new (void)
{
    KbPoolSpec *p = g_new0 (KbPoolSpec, 1);

    p->labels = kb_labels_new ();
    p->taints = g_ptr_array_new_with_free_func (kb_taint_free);
    p->prepulled = g_ptr_array_new_with_free_func (g_free);
    p->zones = g_ptr_array_new_with_free_func (g_free);
    p->discount = 1.0;
    p->max_parallel_pulls = 1;
    p->windows_build.revision = -1;
    p->kubelet.patch = -1;
    return p;
}

void
kb_pool_free (gpointer p)
{
    KbPoolSpec *pool = p;

    g_free (pool->name);
    g_free (pool->instance);
    g_free (pool->sandbox_image);
    g_ptr_array_unref (pool->labels);
    g_ptr_array_unref (pool->taints);
    g_ptr_array_unref (pool->prepulled);
    g_ptr_array_unref (pool->zones);
    g_free (pool);
}

static void
layer_free (gpointer p)
{
    KbLayerSpec *l = p;

    g_free (l->digest);
    g_free (l);
}

KbManifestSpec *
kb_manifest_new (void)
{
    KbManifestSpec *m = g_new0 (KbManifestSpec, 1);

    m->layers = g_ptr_array_new_with_free_func (layer_free);
    m->os_version.revision = -1;
    return m;
}

static void
manifest_free (gpointer p)
{
    KbManifestSpec *m = p;

    g_ptr_array_unref (m->layers);
    g_free (m);
}

KbImageSpec *
kb_image_new (void)
{
    KbImageSpec *i = g_new0 (KbImageSpec, 1);

    i->manifests = g_ptr_array_new_with_free_func (manifest_free);
    i->is_index = TRUE;
    return i;
}

void
kb_image_free (gpointer p)
{
    KbImageSpec *i = p;

    g_free (i->name);
    g_free (i->registry);
    g_ptr_array_unref (i->manifests);
    g_free (i);
}

void
kb_registry_free (gpointer p)
{
    KbRegistrySpec *r = p;

    g_free (r->name);
    g_free (r->host);
    sim_dist_clear (&r->pull_delay);
    g_free (r);
}

void
kb_event_free (gpointer p)
{
    KbEventSpec *e = p;

    g_free (e->pool);
    g_free (e->node);
    g_free (e->registry);
    g_free (e->workload);
    g_free (e->image);
    g_free (e);
}

void
kb_failure_free (gpointer p)
{
    KbFailureSpec *f = p;

    g_free (f->pool);
    sim_dist_clear (&f->time_between);
    sim_dist_clear (&f->time_to_repair);
    g_free (f);
}

GPtrArray *
kb_labels_new (void)
{
    return g_ptr_array_new_with_free_func (kb_label_free);
}

void
kb_labels_set (GPtrArray *labels, const char *key, const char *value)
{
    guint i = 0;
    KbLabel *l;

    while (i < labels->len) {
        KbLabel *o = g_ptr_array_index (labels, i);
        int c = strcmp (o->key, key);

        if (c == 0) {
            g_free (o->value);
            o->value = g_strdup (value);
            return;
        }
        if (c > 0)
            break;
        i++;
    }
    l = g_new0 (KbLabel, 1);
    l->key = g_strdup (key);
    l->value = g_strdup (value);
    g_ptr_array_insert (labels, (gint) i, l);
}

const char *
kb_labels_get (const GPtrArray *labels, const char *key)
{
    for (guint i = 0; i < labels->len; i++) {
        const KbLabel *l = g_ptr_array_index (labels, i);

        if (strcmp (l->key, key) == 0)
            return l->value;
    }
    return NULL;
}

void
kb_compose_free (gpointer p)
{
    KbComposeSpec *c = p;

    g_free (c->name);
    g_free (c->engine);
    g_ptr_array_unref (c->services);
    g_free (c);
}

void
kb_dev_host_free (KbDevHostSpec *h)
{
    if (h == NULL)
        return;
    g_ptr_array_unref (h->wsl);
    g_free (h);
}

Scenario *
kb_scenario_new (void)
{
    Scenario *s = g_new0 (Scenario, 1);

    s->pools = g_ptr_array_new_with_free_func (kb_pool_free);
    s->registries = g_ptr_array_new_with_free_func (kb_registry_free);
    s->images = g_ptr_array_new_with_free_func (kb_image_free);
    s->runtime_classes = g_ptr_array_new_with_free_func (
        kb_runtime_class_free);
    s->workloads = g_ptr_array_new_with_free_func (kb_workload_free);
    s->events = g_ptr_array_new_with_free_func (kb_event_free);
    s->failures = g_ptr_array_new_with_free_func (kb_failure_free);
    s->ignored_fields = g_ptr_array_new_with_free_func (g_free);
    s->defaults_used = g_ptr_array_new_with_free_func (g_free);
    s->deprecated = g_ptr_array_new_with_free_func (g_free);
    s->files = g_ptr_array_new_with_free_func (g_free);
    s->compose = g_ptr_array_new_with_free_func (kb_compose_free);
    s->warnings = g_ptr_array_new_with_free_func (g_free);
    s->name = g_strdup ("");
    s->description = g_strdup ("");
    s->cost.currency = g_strdup ("USD");
    s->control_plane.node_monitor_grace_period = -1;
    /* cluster-autoscaler main.go (release 1.31): scan-interval,
     * scale-down-delay-after-add, scale-down-unneeded-time,
     * scale-down-utilization-threshold, max-node-provision-time,
     * max-scale-down-parallelism, max-drain-parallelism. */
    s->autoscaler = (KbAutoscalerSpec) {
        .scan_interval = 10 * SIM_SEC,
        .scale_down_delay_after_add = 10 * SIM_MINUTE,
        .scale_down_unneeded_time = 10 * SIM_MINUTE,
        .scale_down_utilization_threshold = 0.5,
        .max_node_provision_time = 15 * SIM_MINUTE,
        .max_scale_down_parallelism = 10,
        .max_drain_parallelism = 1,
    };
    return s;
}

void
scenario_free (Scenario *s)
{
    if (s == NULL)
        return;
    g_free (s->name);
    g_free (s->description);
    g_free (s->source);
    g_free (s->file);
    g_free (s->control_plane.instance);
    g_free (s->control_plane.time_zone);
    if (s->control_plane.tz)
        g_time_zone_unref (s->control_plane.tz);
    g_free (s->cost.currency);
    g_ptr_array_unref (s->pools);
    g_ptr_array_unref (s->registries);
    g_ptr_array_unref (s->images);
    g_ptr_array_unref (s->runtime_classes);
    g_ptr_array_unref (s->workloads);
    g_ptr_array_unref (s->events);
    g_ptr_array_unref (s->failures);
    g_ptr_array_unref (s->ignored_fields);
    g_ptr_array_unref (s->defaults_used);
    g_ptr_array_unref (s->deprecated);
    g_ptr_array_unref (s->files);
    g_ptr_array_unref (s->compose);
    if (s->warnings != NULL)
        g_ptr_array_unref (s->warnings);
    kb_dev_host_free (s->dev_host);
    g_free (s);
}

/* Lookups: lists are short (tens of entries), a scan is fine. */
#define FIND_BY_NAME(type, array, field)                                   \
    for (guint i = 0; i < (array)->len; i++) {                             \
        type *x = g_ptr_array_index ((array), i);                          \
        if (strcmp (x->field, name) == 0)                                  \
            return x;                                                      \
    }                                                                      \
    return NULL

KbPoolSpec *
scenario_find_pool (const Scenario *s, const char *name)
{
    FIND_BY_NAME (KbPoolSpec, s->pools, name);
}

KbRegistrySpec *
scenario_find_registry (const Scenario *s, const char *name)
{
    FIND_BY_NAME (KbRegistrySpec, s->registries, name);
}

KbWorkloadSpec *
scenario_find_workload (const Scenario *s, const char *name)
{
    FIND_BY_NAME (KbWorkloadSpec, s->workloads, name);
}

KbRuntimeClassSpec *
scenario_find_runtime_class (const Scenario *s, const char *name)
{
    FIND_BY_NAME (KbRuntimeClassSpec, s->runtime_classes, name);
}

KbImageSpec *
scenario_find_image (const Scenario *s, const char *name)
{
    FIND_BY_NAME (KbImageSpec, s->images, name);
}

const char *
scenario_workload_kind_name (KbWorkloadKind kind)
{
    static const char *const names[] = {
        "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job",
        "CronJob", "Pod"
    };

    return (guint) kind < G_N_ELEMENTS (names) ? names[kind] : "?";
}

const char *
scenario_event_action_name (KbEventAction action)
{
    static const char *const names[] = {
        "upgrade_pool", "upgrade_control_plane", "registry_outage",
        "node_failure", "scale_pool", "cordon", "uncordon", "rollout",
        "set_replicas", "set_rate"
    };

    return (guint) action < G_N_ELEMENTS (names) ? names[action] : "?";
}

/* Azure Container Registry's download bandwidth per tier: 30, 60 and 100,
 * headed "Mbps", in the service-tiers page's older revision, still served
 * in its localised copies (docs.azure.cn/zh-CN/container-registry/
 * container-registry-skus, "下载带宽 (Mbps)"); the current page lists no
 * throughput (facts 10.5). Read as megabytes per second: at 100 Mbit/s a
 * Premium pull of a 10 GB image would take 13 min, where one was seen to
 * take about 6 (Azure/AKS#1532, facts 5.4). */
static const struct {
    const char *name;
    double mb_per_s;
} registry_tiers[] = {
    [KB_REGISTRY_TIER_NONE] = { "", 0 },
    [KB_REGISTRY_TIER_BASIC] = { "basic", 30 },
    [KB_REGISTRY_TIER_STANDARD] = { "standard", 60 },
    [KB_REGISTRY_TIER_PREMIUM] = { "premium", 100 },
};

const char *
scenario_registry_tier_name (KbRegistryTier tier)
{
    return (guint) tier < G_N_ELEMENTS (registry_tiers)
           ? registry_tiers[tier].name : "?";
}

double
scenario_registry_tier_bandwidth (KbRegistryTier tier)
{
    return (guint) tier < G_N_ELEMENTS (registry_tiers)
           ? registry_tiers[tier].mb_per_s * 1000 * 1000 : 0;
}

KbRegistryTier
scenario_registry_tier_from_string (const char *name)
{
    for (guint i = 1; i < G_N_ELEMENTS (registry_tiers); i++)
        if (strcmp (registry_tiers[i].name, name) == 0)
            return (KbRegistryTier) i;
    return KB_REGISTRY_TIER_NONE;
}

const char *
scenario_taint_effect_name (KbTaintEffect effect)
{
    switch (effect) {
    case KB_TAINT_NO_SCHEDULE:
        return "NoSchedule";
    case KB_TAINT_PREFER_NO_SCHEDULE:
        return "PreferNoSchedule";
    case KB_TAINT_NO_EXECUTE:
        return "NoExecute";
    default:
        return "";
    }
}
