/* loader.c: a YAML scenario into a checked, resolved Scenario.
 *
 * The order of work: parse the file (ytree), apply --set overrides to the
 * tree, read each top-level section into scenario structures collecting
 * every error, then resolve references (images against the scenario's
 * images and the built-in catalogue, registries, pools, runtime classes,
 * priority classes) and check the rules that span sections. Keys and
 * defaults are documented in scenarios/KEYS.md.
 */
#include "scenarios/loader-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/catalog.h"
#include "sim/suggest.h"
#include "sim/units.h"

G_DEFINE_QUARK (kb-scenario-error-quark, kb_scenario_error)

/* Defaults, each documented in KEYS.md. */
#define DEFAULT_DURATION        SIM_DAY
#define DEFAULT_SAMPLE_EVERY    (5 * SIM_MINUTE)
/* A bound that keeps a run's memory finite (KEYS.md, "Run limits"): a
 * million metric samples per run.  A sample costs about 2 KB (measured:
 * 950,000 samples of mixed-minimal took 2.1 GB). */
#define MAX_SAMPLES             1000000
#define DEFAULT_DEADLINE        (5 * SIM_MINUTE)
/* A registry has no link of its own unless given: CDN-backed public
 * registries publish no aggregate cap, so each node pulls at its own
 * network_bandwidth (facts 10.5). The latency is a parameter (facts 9). */
#define DEFAULT_REGISTRY_LAT    (100 * SIM_MSEC)
/* Per-node network and extraction speeds (facts 5.4: extraction often
 * dominates; figures unconfirmed). */
#define DEFAULT_NODE_NET_BW     (125.0 * 1000 * 1000)
#define DEFAULT_DISK_BW_LINUX   (200.0 * 1000 * 1000)
#define DEFAULT_DISK_BW_WINDOWS (60.0 * 1000 * 1000)
#define DEFAULT_PROVISION_LINUX   (3 * SIM_MINUTE)
#define DEFAULT_PROVISION_WINDOWS (8 * SIM_MINUTE)
/* Day 0 when the scenario gives no `start`: 2024-01-01, a Monday, so that
 * weekday schedules fire on days 0-4 (a choice, documented in KEYS.md). */
#define DEFAULT_START_YEAR 2024

/* `lesson` (kbsim demo's narration) is read by lesson.c, not here. */
static const char *const top_keys[] = {
    "name", "description", "seed", "duration", "control_plane", "dev_host",
    "compose",
    "node_pools", "node_list", "registries", "images", "images_from",
    "runtime_classes",
    "priority_classes", "workloads", "events", "failures", "cost", "metrics",
    "autoscaler", "lesson", "start", NULL
};

static void
note_default (LoadCtx *ctx, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static void
note_default (LoadCtx *ctx, const char *fmt, ...)
{
    va_list ap;

    va_start (ap, fmt);
    g_ptr_array_add (ctx->s->defaults_used, g_strdup_vprintf (fmt, ap));
    va_end (ap);
}

/* ---- control plane ------------------------------------------------------ */

static void
read_control_plane (LoadCtx *ctx, const YNode *cp)
{
    static const char *const keys[] = { "os", "version", "nodes", "instance",
                                        "skew_policy", "unsupported_node",
                                        "node_monitor_grace_period",
                                        "time_zone", NULL };
    static const char *const un_keys[] = { "ready_probability",
                                           "pod_failure_rate", NULL };
    KbControlPlaneSpec *c = &ctx->s->control_plane;
    g_autofree char *os = NULL, *version = NULL, *policy = NULL;
    const YNode *un;

    c->loc = loader__loc (ctx, cp);
    if (!loader__is_map (ctx, cp, "control_plane"))
        return;
    loader__check_keys (ctx, cp, "control_plane", keys, NULL);
    if (loader__get_str (ctx, cp, "os", "control_plane.", FALSE, &os)
        && strcmp (os, "linux") != 0) {
        if (strcmp (os, "windows") == 0)
            loader__error (ctx, ynode_get (cp, "os"), "control_plane.os: the "
                           "Kubernetes control plane runs only on Linux; got "
                           "'windows'");
        else
            loader__error (ctx, ynode_get (cp, "os"), "control_plane.os: "
                           "expected linux, got '%s'", os);
    }
    if (loader__get_str (ctx, cp, "version", "control_plane.", TRUE,
                         &version)) {
        g_autoptr (GError) err = NULL;

        if (!platform_kube_version_parse (version, &c->version, &err))
            loader__error (ctx, ynode_get (cp, "version"), "control_plane."
                           "version: %s", err->message);
    }
    if ((un = ynode_get (cp, "time_zone")) && !ynode_is_null (un))
        loader__time_zone (ctx, un, "control_plane.time_zone", &c->time_zone,
                           &c->tz);
    c->nodes = 3;
    loader__get_int (ctx, cp, "nodes", "control_plane.", 1, 100, &c->nodes);
    loader__get_str (ctx, cp, "instance", "control_plane.", FALSE,
                     &c->instance);
    c->skew_policy = KB_SKEW_ENFORCE;
    if (loader__get_str (ctx, cp, "skew_policy", "control_plane.", FALSE,
                         &policy)) {
        if (strcmp (policy, "warn") == 0)
            c->skew_policy = KB_SKEW_WARN;
        else if (strcmp (policy, "enforce") != 0)
            loader__error (ctx, ynode_get (cp, "skew_policy"), "control_plane"
                           ".skew_policy: expected enforce or warn, got '%s'",
                           policy);
    }
    c->unsupported_ready_probability = 1.0;
    c->unsupported_pod_failure_rate = 0.0;
    un = ynode_get (cp, "unsupported_node");
    if (un && loader__is_map (ctx, un, "control_plane.unsupported_node")) {
        loader__check_keys (ctx, un, "unsupported_node", un_keys, NULL);
        loader__get_number (ctx, un, "ready_probability", "unsupported_node.",
                            0, 1, &c->unsupported_ready_probability);
        loader__get_number (ctx, un, "pod_failure_rate", "unsupported_node.",
                            0, 1, &c->unsupported_pod_failure_rate);
    }
    if (loader__get_duration (ctx, cp, "node_monitor_grace_period",
                              "control_plane.",
                              &c->node_monitor_grace_period)
        && c->node_monitor_grace_period <= 0)
        loader__error (ctx, ynode_get (cp, "node_monitor_grace_period"),
                       "control_plane.node_monitor_grace_period: must be "
                       "positive");
}

/* ---- node pools --------------------------------------------------------- */

static const char *const pool_keys[] = {
    "name", "os", "arch", "windows_build", "kubelet", "count", "instance",
    "cpu", "memory", "pods", "price_per_hour", "windows_surcharge_per_hour",
    "discount", "labels", "taints", "autoscale", "network_bandwidth",
    "disk_bandwidth", "max_parallel_image_pulls", "prepulled_images",
    "sandbox_image", "container_start", "zones", NULL
};

/* Allocatable = capacity less the kubelet's reservations. We use the EKS
 * AMI's formulas (amazon-eks-ami bootstrap: cpu 6% of the first core, 1%
 * of the second, 0.5% of the next two, 0.25% of the rest; memory 255Mi +
 * 11Mi per pod; plus the 100Mi hard eviction threshold). NEEDSWORK: not in
 * the reference facts; AKS and GKE reserve differently. */
static void
allocatable_from_capacity (guint vcpu, double mem_gib, gint64 max_pods,
                           gint64 *cpu, gint64 *memory)
{
    double reserved_m = 0;

    for (guint core = 1; core <= vcpu; core++)
        reserved_m += core == 1 ? 60 : core == 2 ? 10 : core <= 4 ? 5 : 2.5;
    *cpu = (gint64) vcpu * 1000 - (gint64) reserved_m;
    *memory = (gint64) (mem_gib * 1024 * 1024 * 1024)
              - (255 + 11 * max_pods + 100) * (gint64) 1024 * 1024;
    if (*memory < 0)
        *memory = 0;
}

static void
read_pool_instance (LoadCtx *ctx, const YNode *m, KbPoolSpec *p)
{
    const CatalogInstance *inst = NULL;

    if (loader__get_str (ctx, m, "instance", "", FALSE, &p->instance)) {
        inst = catalog_instance_lookup (p->instance);
        if (inst == NULL)
            loader__error (ctx, ynode_get (m, "instance"), "instance: unknown "
                           "instance type '%s' (see `kbsim validate "
                           "--instances`, or give cpu, memory and "
                           "price_per_hour instead)", p->instance);
    }
    if (inst) {
        p->max_pods = p->os == KB_OS_WINDOWS ? inst->max_pods_windows
                                             : inst->max_pods_linux;
        loader__get_int (ctx, m, "pods", "", 1, 1000, &p->max_pods);
        allocatable_from_capacity (inst->vcpu, inst->memory_gib, p->max_pods,
                                   &p->cpu, &p->memory);
        p->price_per_hour = inst->linux_per_hour;
        if (p->os == KB_OS_WINDOWS)
            p->windows_surcharge_per_hour =
                inst->windows_surcharge_per_vcpu_hour * inst->vcpu;
    } else {
        p->max_pods = 110;
        loader__get_int (ctx, m, "pods", "", 1, 1000, &p->max_pods);
    }
    loader__get_cpu (ctx, m, "cpu", "", &p->cpu);
    loader__get_bytes (ctx, m, "memory", "", &p->memory);
    loader__get_number (ctx, m, "price_per_hour", "", 0, 1e6,
                        &p->price_per_hour);
    loader__get_number (ctx, m, "windows_surcharge_per_hour", "", 0, 1e6,
                        &p->windows_surcharge_per_hour);
    if (inst == NULL && p->instance == NULL
        && (ynode_get (m, "cpu") == NULL || ynode_get (m, "memory") == NULL))
        loader__error (ctx, m, "node pool '%s': give an instance type or "
                       "both cpu and memory", p->name ? p->name : "?");
}

static void
read_pool_os (LoadCtx *ctx, const YNode *m, KbPoolSpec *p)
{
    g_autofree char *os = NULL, *arch = NULL, *build = NULL;

    if (loader__get_str (ctx, m, "os", "", TRUE, &os)) {
        p->os = platform_os_from_string (os);
        if (p->os == KB_OS_UNKNOWN) {
            const char *hint = suggest_closest (os, platform_os_names ());

            loader__error (ctx, ynode_get (m, "os"), "os: unknown operating "
                           "system '%s' (%s%s%s)", os,
                           hint ? "did you mean '" : "expected linux or "
                           "windows", hint ? hint : "", hint ? "'?" : "");
        }
    }
    p->arch = KB_ARCH_AMD64;
    if (loader__get_str (ctx, m, "arch", "", FALSE, &arch)) {
        p->arch = platform_arch_from_string (arch);
        if (p->arch == KB_ARCH_UNKNOWN)
            loader__error (ctx, ynode_get (m, "arch"), "arch: unknown "
                           "architecture '%s' (expected amd64, arm64, arm, "
                           "386, ppc64le or s390x)", arch);
    }
    if (loader__get_str (ctx, m, "windows_build", "", FALSE, &build)) {
        g_autoptr (GError) err = NULL;

        if (p->os == KB_OS_LINUX)
            loader__error (ctx, ynode_get (m, "windows_build"), "windows_"
                           "build: a Linux pool has no Windows build");
        else if (!platform_win_version_parse (build, &p->windows_build,
                                              &err))
            loader__error (ctx, ynode_get (m, "windows_build"),
                           "windows_build: %s", err->message);
    } else if (p->os == KB_OS_WINDOWS) {
        loader__error (ctx, m, "node pool '%s': a Windows pool needs "
                       "windows_build (e.g. ltsc2022 or 10.0.20348): process "
                       "isolation requires images of the host's build",
                       p->name ? p->name : "?");
    }
}

static void
read_autoscale (LoadCtx *ctx, const YNode *a, KbPoolSpec *p)
{
    static const char *const keys[] = { "min", "max", "provision_delay",
                                        NULL };

    if (!loader__is_map (ctx, a, "autoscale"))
        return;
    loader__check_keys (ctx, a, "autoscale", keys, NULL);
    p->autoscale.enabled = TRUE;
    p->autoscale.min = 0;
    p->autoscale.max = -1;
    loader__get_int (ctx, a, "min", "autoscale.", 0, 100000,
                     &p->autoscale.min);
    if (ynode_get (a, "max") == NULL)
        loader__error (ctx, a, "autoscale.max: missing, and it is required");
    loader__get_int (ctx, a, "max", "autoscale.", 0, 100000,
                     &p->autoscale.max);
    if (p->autoscale.max >= 0 && p->autoscale.max < p->autoscale.min)
        loader__error (ctx, ynode_get (a, "max"), "autoscale.max: must be at "
                       "least min (%" G_GINT64_FORMAT ")", p->autoscale.min);
    p->autoscale.provision_delay = p->os == KB_OS_WINDOWS
                                       ? DEFAULT_PROVISION_WINDOWS
                                       : DEFAULT_PROVISION_LINUX;
    loader__get_duration (ctx, a, "provision_delay", "autoscale.",
                          &p->autoscale.provision_delay);
}

/* The labels the kubelet and the cloud set on every node (facts 3). */
static void
add_well_known_labels (KbPoolSpec *p)
{
    kb_labels_set (p->labels, "kubernetes.io/os", platform_os_name (p->os));
    kb_labels_set (p->labels, "kubernetes.io/arch",
                   platform_arch_name (p->arch));
    if (p->os == KB_OS_WINDOWS) {
        g_autofree char *b = g_strdup_printf ("%u.%u.%u",
                                              p->windows_build.major,
                                              p->windows_build.minor,
                                              p->windows_build.build);

        kb_labels_set (p->labels, "node.kubernetes.io/windows-build", b);
    }
    if (p->instance)
        kb_labels_set (p->labels, "node.kubernetes.io/instance-type",
                       p->instance);
    if (!p->from_node_list)
        kb_labels_set (p->labels, "kbsim.io/pool", p->name);
}

static void
read_prepulled (LoadCtx *ctx, const YNode *seq, KbPoolSpec *p)
{
    if (!loader__is_seq (ctx, seq, "prepulled_images"))
        return;
    for (guint i = 0; i < ynode_len (seq); i++) {
        g_autofree char *ref = loader__scalar_dup (ctx, ynode_item (seq, i),
                                                   "prepulled_images");

        if (ref) {
            char *norm = catalog_normalize_reference (ref);

            loader__use_image (ctx, norm, ynode_item (seq, i));
            g_ptr_array_add (p->prepulled, norm);
        }
    }
}

/* zones: [a, b, c]: the pool's nodes take the values in turn, as a
 * cloud spreads a node group over its subnets' zones. */
static void
read_zones (LoadCtx *ctx, const YNode *seq, KbPoolSpec *p)
{
    if (!loader__is_seq (ctx, seq, "zones"))
        return;
    for (guint i = 0; i < ynode_len (seq); i++) {
        char *zone = loader__scalar_dup (ctx, ynode_item (seq, i), "zones");

        if (zone && zone[0] == '\0') {
            loader__error (ctx, ynode_item (seq, i), "zones: an empty zone "
                           "name");
            g_free (zone);
        } else if (zone) {
            g_ptr_array_add (p->zones, zone);
        }
    }
}

static KbPoolSpec *
read_pool (LoadCtx *ctx, const YNode *m)
{
    KbPoolSpec *p = kb_pool_new ();
    const YNode *n;
    g_autofree char *kubelet = NULL;

    p->loc = loader__loc (ctx, m);
    loader__check_keys (ctx, m, "node pool", pool_keys, NULL);
    loader__get_str (ctx, m, "name", "", TRUE, &p->name);
    read_pool_os (ctx, m, p);
    if (loader__get_str (ctx, m, "kubelet", "", FALSE, &kubelet)) {
        g_autoptr (GError) err = NULL;

        if (!platform_kube_version_parse (kubelet, &p->kubelet, &err))
            loader__error (ctx, ynode_get (m, "kubelet"), "kubelet: %s",
                           err->message);
    } else {
        p->kubelet = ctx->s->control_plane.version;
        p->kubelet.major = 0;   /* filled in after the control plane */
    }
    read_pool_instance (ctx, m, p);
    if ((n = ynode_get (m, "autoscale")) && !ynode_is_null (n))
        read_autoscale (ctx, n, p);
    if (ynode_get (m, "count") == NULL && p->autoscale.enabled)
        p->count = p->autoscale.min;
    else if (ynode_get (m, "count") == NULL)
        loader__error (ctx, m, "count: missing, and it is required");
    loader__get_int (ctx, m, "count", "", 0, 100000, &p->count);
    loader__get_number (ctx, m, "discount", "", 0, 1, &p->discount);
    g_ptr_array_unref (p->labels);
    p->labels = loader__labels (ctx, ynode_get (m, "labels"), "labels");
    g_ptr_array_unref (p->taints);
    p->taints = loader__taints (ctx, ynode_get (m, "taints"), "taints");
    p->network_bandwidth = DEFAULT_NODE_NET_BW;
    p->disk_bandwidth = p->os == KB_OS_WINDOWS ? DEFAULT_DISK_BW_WINDOWS
                                               : DEFAULT_DISK_BW_LINUX;
    n = ynode_get (m, "network_bandwidth");
    if (n && loader__is_scalar (ctx, n, "network_bandwidth")) {
        g_autoptr (GError) err = NULL;

        if (!units_parse_bandwidth (n->value, &p->network_bandwidth, &err))
            loader__error (ctx, n, "network_bandwidth: %s", err->message);
    }
    n = ynode_get (m, "disk_bandwidth");
    if (n && loader__is_scalar (ctx, n, "disk_bandwidth")) {
        g_autoptr (GError) err = NULL;

        if (!units_parse_bandwidth (n->value, &p->disk_bandwidth, &err))
            loader__error (ctx, n, "disk_bandwidth: %s", err->message);
    }
    loader__get_int (ctx, m, "max_parallel_image_pulls", "", 1, 100,
                     &p->max_parallel_pulls);
    if ((n = ynode_get (m, "prepulled_images")) && !ynode_is_null (n))
        read_prepulled (ctx, n, p);
    if ((n = ynode_get (m, "zones")) && !ynode_is_null (n))
        read_zones (ctx, n, p);
    loader__default_sandbox (ctx, m, p);
    if (p->name)
        add_well_known_labels (p);
    else
        p->name = g_strdup ("");
    return p;
}

/* Checks that names in a list are unique; reports the second use. */
static gboolean
name_taken (LoadCtx *ctx, GPtrArray *list, gsize name_offset,
            const char *name, const YNode *at, const char *what)
{
    for (guint i = 0; i < list->len; i++) {
        const char *other = *(char **) ((char *) g_ptr_array_index (list, i)
                                        + name_offset);

        if (other == NULL || strcmp (other, name) != 0)
            continue;
        loader__error (ctx, at, "duplicate %s name '%s'", what, name);
        return TRUE;
    }
    return FALSE;
}

static void
read_pools (LoadCtx *ctx, const YNode *seq)
{
    if (!loader__is_seq (ctx, seq, "node_pools"))
        return;
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *m = ynode_item (seq, i);
        KbPoolSpec *p;

        if (!loader__is_map (ctx, m, "node_pools"))
            continue;
        p = read_pool (ctx, m);
        if (p->name[0] && name_taken (ctx, ctx->s->pools,
                                      G_STRUCT_OFFSET (KbPoolSpec, name),
                                      p->name, ynode_get (m, "name"),
                                      "node pool")) {
            kb_pool_free (p);
            continue;
        }
        g_ptr_array_add (ctx->s->pools, p);
    }
}

static gboolean read_dist (LoadCtx *ctx, const YNode *n, const char *what,
                           SimDist *out);

/* ---- registries and images ---------------------------------------------- */

/* A bandwidth key of a registry into *out, left alone when absent. */
static void
read_registry_bw (LoadCtx *ctx, const YNode *m, const char *key, double *out)
{
    const YNode *n = ynode_get (m, key);
    g_autoptr (GError) err = NULL;

    if (n && loader__is_scalar (ctx, n, key)
        && !units_parse_bandwidth (n->value, out, &err))
        loader__error (ctx, n, "%s: %s", key, err->message);
}

/* The link keys (KbRegistrySpec). The old `bandwidth` meant one pipe
 * shared by every node's pulls: it keeps that meaning, as an aggregate
 * cap, and says so in `kbsim validate`, rather than change what an old
 * scenario computes without a word. */
static void
read_registry_link (LoadCtx *ctx, const YNode *m, KbRegistrySpec *r)
{
    const YNode *tier = ynode_get (m, "tier");
    const YNode *old = ynode_get (m, "bandwidth");
    const YNode *agg = ynode_get (m, "aggregate_bandwidth");

    read_registry_bw (ctx, m, "per_node_bandwidth", &r->per_node_bandwidth);
    read_registry_bw (ctx, m, "aggregate_bandwidth", &r->aggregate_bandwidth);
    if (old && agg)
        loader__error (ctx, old, "bandwidth: give aggregate_bandwidth only "
                       "(bandwidth is its deprecated name)");
    else if (old) {
        read_registry_bw (ctx, m, "bandwidth", &r->aggregate_bandwidth);
        g_ptr_array_add (ctx->s->deprecated, g_strdup_printf (
            "%s:%u:%u: registry %s: bandwidth is deprecated and read as "
            "aggregate_bandwidth, one link shared by all nodes' pulls (its "
            "old meaning); write aggregate_bandwidth to keep that, or "
            "per_node_bandwidth for a CDN-backed registry (Docker Hub, MCR, "
            "registry.k8s.io), which limits each node's pulls only",
            old->file, old->line, old->col, r->name));
    }
    if (tier && loader__is_scalar (ctx, tier, "tier")) {
        r->tier = scenario_registry_tier_from_string (tier->value);
        if (r->tier == KB_REGISTRY_TIER_NONE)
            loader__error (ctx, tier, "tier: expected basic, standard or "
                           "premium, got '%s'", tier->value);
        else if (agg || old)
            loader__error (ctx, tier, "tier: give tier or %s, not both",
                           agg ? "aggregate_bandwidth" : "bandwidth");
        else
            r->aggregate_bandwidth = scenario_registry_tier_bandwidth (
                r->tier);
    }
}

static void
read_registries (LoadCtx *ctx, const YNode *seq)
{
    static const char *const keys[] = { "name", "host", "per_node_bandwidth",
                                        "aggregate_bandwidth", "tier",
                                        "bandwidth", "latency", "pull_delay",
                                        "pull_failure_probability", NULL };

    if (!loader__is_seq (ctx, seq, "registries"))
        return;
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *m = ynode_item (seq, i);
        KbRegistrySpec *r;

        if (!loader__is_map (ctx, m, "registries"))
            continue;
        loader__check_keys (ctx, m, "registry", keys, NULL);
        r = g_new0 (KbRegistrySpec, 1);
        r->loc = loader__loc (ctx, m);
        r->latency = DEFAULT_REGISTRY_LAT;
        if (!loader__get_str (ctx, m, "name", "", TRUE, &r->name))
            r->name = g_strdup ("");
        loader__get_str (ctx, m, "host", "", TRUE, &r->host);
        if (r->host == NULL)
            r->host = g_strdup (r->name);
        read_registry_link (ctx, m, r);
        loader__get_duration (ctx, m, "latency", "", &r->latency);
        sim_dist_init_constant (&r->pull_delay, 0);
        if (ynode_get (m, "pull_delay")) {
            sim_dist_clear (&r->pull_delay);
            if (!read_dist (ctx, ynode_get (m, "pull_delay"), "pull_delay",
                            &r->pull_delay))
                sim_dist_init_constant (&r->pull_delay, 0);
        }
        loader__get_number (ctx, m, "pull_failure_probability", "", 0, 1,
                            &r->pull_failure_probability);
        if (r->name[0] && name_taken (ctx, ctx->s->registries,
                                      G_STRUCT_OFFSET (KbRegistrySpec, name),
                                      r->name, ynode_get (m, "name"),
                                      "registry")) {
            kb_registry_free (r);
            continue;
        }
        g_ptr_array_add (ctx->s->registries, r);
    }
}

static void
read_layers (LoadCtx *ctx, const YNode *seq, KbManifestSpec *mf)
{
    static const char *const keys[] = { "digest", "size", NULL };

    if (!loader__is_seq (ctx, seq, "layers"))
        return;
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *l = ynode_item (seq, i);
        KbLayerSpec *layer;

        if (!loader__is_map (ctx, l, "layers"))
            continue;
        loader__check_keys (ctx, l, "layer", keys, NULL);
        layer = g_new0 (KbLayerSpec, 1);
        if (!loader__get_str (ctx, l, "digest", "layer.", TRUE,
                              &layer->digest))
            layer->digest = g_strdup ("");
        if (ynode_get (l, "size") == NULL)
            loader__error (ctx, l, "layer.size: missing, and it is required");
        loader__get_bytes (ctx, l, "size", "layer.", &layer->size);
        mf->size += layer->size;
        g_ptr_array_add (mf->layers, layer);
    }
}

static KbManifestSpec *
read_manifest (LoadCtx *ctx, const YNode *m, const char *image)
{
    static const char *const keys[] = { "os", "arch", "os_version", "size",
                                        "layers", NULL };
    KbManifestSpec *mf = kb_manifest_new ();
    g_autofree char *os = NULL, *arch = NULL, *ver = NULL;

    mf->loc = loader__loc (ctx, m);
    loader__check_keys (ctx, m, "image manifest", keys, NULL);
    if (loader__get_str (ctx, m, "os", "", TRUE, &os)) {
        mf->os = platform_os_from_string (os);
        if (mf->os == KB_OS_UNKNOWN)
            loader__error (ctx, ynode_get (m, "os"), "os: unknown operating "
                           "system '%s' (expected linux or windows)", os);
    }
    mf->arch = KB_ARCH_AMD64;
    if (loader__get_str (ctx, m, "arch", "", FALSE, &arch)) {
        mf->arch = platform_arch_from_string (arch);
        if (mf->arch == KB_ARCH_UNKNOWN)
            loader__error (ctx, ynode_get (m, "arch"), "arch: unknown "
                           "architecture '%s'", arch);
    }
    if (loader__get_str (ctx, m, "os_version", "", FALSE, &ver)) {
        g_autoptr (GError) err = NULL;

        mf->has_os_version = TRUE;
        if (mf->os == KB_OS_LINUX)
            loader__error (ctx, ynode_get (m, "os_version"), "os_version: "
                           "only Windows manifests carry an os.version");
        else if (!platform_win_version_parse (ver, &mf->os_version, &err))
            loader__error (ctx, ynode_get (m, "os_version"), "os_version: %s",
                           err->message);
    }
    if (ynode_get (m, "layers")) {
        read_layers (ctx, ynode_get (m, "layers"), mf);
        if (ynode_get (m, "size"))
            loader__error (ctx, ynode_get (m, "size"), "size: give either "
                           "size or layers, not both");
    } else if (ynode_get (m, "size")) {
        KbLayerSpec *layer = g_new0 (KbLayerSpec, 1);

        loader__get_bytes (ctx, m, "size", "", &layer->size);
        layer->digest = g_strdup_printf ("%s@%s/%s", image, os ? os : "?",
                                         arch ? arch : "amd64");
        mf->size = layer->size;
        g_ptr_array_add (mf->layers, layer);
    } else {
        loader__error (ctx, m, "image manifest: give its size or its layers");
    }
    return mf;
}

static void
read_image (LoadCtx *ctx, const YNode *m)
{
    static const char *const keys[] = { "name", "registry", "index",
                                        "manifests", NULL };
    KbImageSpec *img = kb_image_new ();
    g_autofree char *name = NULL;
    const YNode *mfs;

    img->loc = loader__loc (ctx, m);
    loader__check_keys (ctx, m, "image", keys, NULL);
    if (!loader__get_str (ctx, m, "name", "", TRUE, &name)) {
        kb_image_free (img);
        return;
    }
    img->name = catalog_normalize_reference (name);
    loader__get_str (ctx, m, "registry", "", FALSE, &img->registry);
    loader__get_bool (ctx, m, "index", "", &img->is_index);
    mfs = ynode_get (m, "manifests");
    if (mfs == NULL || ynode_is_null (mfs))
        loader__error (ctx, m, "image '%s' has no manifests: give at least "
                       "one (os, arch, size or layers)", name);
    else if (loader__is_seq (ctx, mfs, "manifests"))
        for (guint i = 0; i < ynode_len (mfs); i++)
            if (loader__is_map (ctx, ynode_item (mfs, i), "manifests"))
                g_ptr_array_add (img->manifests,
                                 read_manifest (ctx, ynode_item (mfs, i),
                                                img->name));
    if (mfs && mfs->kind == YNODE_SEQUENCE && ynode_len (mfs) == 0)
        loader__error (ctx, mfs, "image '%s' has no manifests: give at least "
                       "one (os, arch, size or layers)", name);
    if (!img->is_index && img->manifests->len > 1)
        loader__error (ctx, mfs, "image '%s': a single manifest (index: "
                       "false) has exactly one entry", name);
    if (name_taken (ctx, ctx->s->images, G_STRUCT_OFFSET (KbImageSpec, name),
                    img->name, ynode_get (m, "name"), "image")) {
        kb_image_free (img);
        return;
    }
    g_ptr_array_add (ctx->s->images, img);
}

static void
read_images (LoadCtx *ctx, const YNode *seq)
{
    if (!loader__is_seq (ctx, seq, "images"))
        return;
    for (guint i = 0; i < ynode_len (seq); i++)
        if (loader__is_map (ctx, ynode_item (seq, i), "images"))
            read_image (ctx, ynode_item (seq, i));
}

/* ---- runtime classes and priority classes ------------------------------- */

static void
read_runtime_classes (LoadCtx *ctx, const YNode *seq)
{
    static const char *const keys[] = { "name", "handler", "scheduling",
                                        "overhead", NULL };
    static const char *const sched_keys[] = { "nodeSelector", "tolerations",
                                              NULL };

    if (!loader__is_seq (ctx, seq, "runtime_classes"))
        return;
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *m = ynode_item (seq, i), *sch;
        KbRuntimeClassSpec *rc;

        if (!loader__is_map (ctx, m, "runtime_classes"))
            continue;
        loader__check_keys (ctx, m, "runtime class", keys, NULL);
        rc = g_new0 (KbRuntimeClassSpec, 1);
        rc->loc = loader__loc (ctx, m);
        if (!loader__get_str (ctx, m, "name", "", TRUE, &rc->name))
            rc->name = g_strdup ("");
        if (!loader__get_str (ctx, m, "handler", "", TRUE, &rc->handler))
            rc->handler = g_strdup ("");
        sch = ynode_get (m, "scheduling");
        if (sch && loader__is_map (ctx, sch, "scheduling"))
            loader__check_keys (ctx, sch, "scheduling", sched_keys, NULL);
        rc->node_selector = loader__labels (ctx, ynode_get (sch,
                                                            "nodeSelector"),
                                            "scheduling.nodeSelector");
        rc->tolerations = loader__tolerations (ctx, ynode_get (sch,
                                                               "tolerations"),
                                               "scheduling.tolerations");
        g_ptr_array_add (ctx->s->runtime_classes, rc);
    }
}

/* ---- distributions, arrivals, workloads --------------------------------- */

/* The values of an empirical distribution, durations in seconds, into v. */
static void
read_empirical_values (LoadCtx *ctx, const YNode *seq, const char *what,
                       GArray *v)
{
    for (guint i = 0; i < ynode_len (seq); i++) {
        SimTime t = 0;
        const YNode *x = ynode_item (seq, i);

        if (loader__is_scalar (ctx, x, "values")
            && units_parse_duration (x->value, &t, NULL)) {
            double d = sim_time_to_seconds (t);

            g_array_append_val (v, d);
        } else if (x->kind == YNODE_SCALAR) {
            loader__error (ctx, x, "%s.values: expected a duration, got "
                           "'%s'", what, x->value);
        }
    }
}

/* The weights of an empirical distribution, plain numbers, into w. */
static void
read_empirical_weights (LoadCtx *ctx, const YNode *seq, const char *what,
                        GArray *w)
{
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *x = ynode_item (seq, i);
        double d;

        if (loader__is_scalar (ctx, x, "weights")
            && units_parse_decimal (x->value, &d, NULL))
            g_array_append_val (w, d);
        else if (x->kind == YNODE_SCALAR)
            loader__error (ctx, x, "%s.weights: expected a non-negative "
                           "number, got '%s'", what, x->value);
    }
}

/* {dist: empirical, values: [..], weights: [..]}: weights are optional,
 * and as many as the values when given. */
static gboolean
read_empirical (LoadCtx *ctx, const YNode *n, const char *what, SimDist *out)
{
    const YNode *vals = ynode_get (n, "values");
    const YNode *ws = ynode_get (n, "weights");
    g_autoptr (GArray) v = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr (GArray) w = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr (GError) err = NULL;

    if (vals == NULL || !loader__is_seq (ctx, vals, "values"))
        return FALSE;
    read_empirical_values (ctx, vals, what, v);
    if (ws && loader__is_seq (ctx, ws, "weights"))
        read_empirical_weights (ctx, ws, what, w);
    if (ws && w->len != v->len) {
        loader__error (ctx, ws, "%s: values and weights differ in "
                       "length", what);
        return FALSE;
    }
    if (!sim_dist_init_empirical (out, (double *) v->data,
                                  ws ? (double *) w->data : NULL, v->len,
                                  &err)) {
        loader__error (ctx, n, "%s: %s", what, err->message);
        return FALSE;
    }
    return TRUE;
}

/* The distributions given by parameters: {dist: exponential, mean},
 * {dist: lognormal or normal, mean, sd}, {dist: uniform, min, max} and
 * {dist: weibull, scale, shape}. kind is one of these (read_dist() checks
 * it); prefix is "<what>." for messages. */
static gboolean
read_parametric (LoadCtx *ctx, const YNode *n, const char *kind,
                 const char *what, const char *prefix, SimDist *out)
{
    g_autoptr (GError) err = NULL;
    SimTime a = 0, b = 0;
    double shape = 1;
    gboolean ok;

    if (strcmp (kind, "exponential") == 0) {
        loader__get_duration (ctx, n, "mean", prefix, &a);
        ok = sim_dist_init_exponential (out, sim_time_to_seconds (a), &err);
    } else if (strcmp (kind, "lognormal") == 0 || strcmp (kind, "normal")
               == 0) {
        loader__get_duration (ctx, n, "mean", prefix, &a);
        loader__get_duration (ctx, n, "sd", prefix, &b);
        ok = kind[0] == 'l'
                 ? sim_dist_init_lognormal (out, sim_time_to_seconds (a),
                                            sim_time_to_seconds (b), &err)
                 : sim_dist_init_normal_trunc (out, sim_time_to_seconds (a),
                                               sim_time_to_seconds (b), &err);
    } else if (strcmp (kind, "uniform") == 0) {
        loader__get_duration (ctx, n, "min", prefix, &a);
        loader__get_duration (ctx, n, "max", prefix, &b);
        ok = sim_dist_init_uniform (out, sim_time_to_seconds (a),
                                    sim_time_to_seconds (b), &err);
    } else {
        g_assert (strcmp (kind, "weibull") == 0);
        loader__get_duration (ctx, n, "scale", prefix, &a);
        loader__get_number (ctx, n, "shape", prefix, 0.01, 100, &shape);
        ok = sim_dist_init_weibull (out, sim_time_to_seconds (a), shape,
                                    &err);
    }
    if (!ok) {
        loader__error (ctx, n, "%s: %s", what, err->message);
        return FALSE;
    }
    return TRUE;
}

/* A duration distribution: "20m" (constant) or {dist: lognormal, mean: 20m,
 * sd: 5m}, {dist: exponential, mean}, {dist: uniform, min, max},
 * {dist: weibull, scale, shape}, {dist: normal, mean, sd} (truncated at
 * zero), {dist: empirical, values: [..], weights: [..]}, {dist: constant,
 * value}. Parameters in seconds internally. */
static gboolean
read_dist (LoadCtx *ctx, const YNode *n, const char *what, SimDist *out)
{
    static const char *const kinds[] = { "constant", "exponential",
                                         "lognormal", "normal", "uniform",
                                         "weibull", "empirical", NULL };
    static const char *const keys[] = { "dist", "mean", "sd", "min", "max",
                                        "scale", "shape", "value", "values",
                                        "weights", NULL };
    g_autofree char *kind = NULL;
    g_autofree char *prefix = g_strconcat (what, ".", NULL);
    const char *hint;

    if (n->kind == YNODE_SCALAR) {
        g_autoptr (GError) err = NULL;
        SimTime t;

        if (!units_parse_duration (n->value, &t, &err)) {
            loader__error (ctx, n, "%s: %s", what, err->message);
            return FALSE;
        }
        sim_dist_init_constant (out, sim_time_to_seconds (t));
        return TRUE;
    }
    if (!loader__is_map (ctx, n, what))
        return FALSE;
    loader__check_keys (ctx, n, what, keys, NULL);
    if (!loader__get_str (ctx, n, "dist", prefix, TRUE, &kind))
        return FALSE;
    if (strcmp (kind, "constant") == 0) {
        SimTime t = 0;

        loader__get_duration (ctx, n, "value", prefix, &t);
        sim_dist_init_constant (out, sim_time_to_seconds (t));
        return TRUE;
    }
    if (strcmp (kind, "empirical") == 0)
        return read_empirical (ctx, n, what, out);
    if (g_strv_contains (kinds, kind))
        return read_parametric (ctx, n, kind, what, prefix, out);
    hint = suggest_closest (kind, kinds);
    loader__error (ctx, ynode_get (n, "dist"), "%s.dist: unknown "
                   "distribution '%s'%s%s%s", what, kind,
                   hint ? " (did you mean '" : "", hint ? hint : "",
                   hint ? "'?)" : "");
    return FALSE;
}

static void
read_arrivals (LoadCtx *ctx, const YNode *a, KbWorkloadSpec *w)
{
    static const char *const keys[] = { "process", "rate", "daily_profile",
                                        NULL };
    g_autofree char *proc = NULL;
    const YNode *rate, *prof;

    if (!loader__is_map (ctx, a, "arrivals"))
        return;
    loader__check_keys (ctx, a, "arrivals", keys, NULL);
    w->arrivals = KB_ARRIVALS_POISSON;
    if (loader__get_str (ctx, a, "process", "arrivals.", FALSE, &proc)) {
        if (strcmp (proc, "periodic") == 0)
            w->arrivals = KB_ARRIVALS_PERIODIC;
        else if (strcmp (proc, "poisson") != 0)
            loader__error (ctx, ynode_get (a, "process"), "arrivals.process: "
                           "expected poisson or periodic, got '%s'", proc);
    }
    rate = ynode_get (a, "rate");
    if (rate == NULL)
        loader__error (ctx, a, "arrivals.rate: missing, and it is required "
                       "(e.g. 120/h)");
    else if (loader__is_scalar (ctx, rate, "arrivals.rate")) {
        g_autoptr (GError) err = NULL;

        if (!units_parse_rate (rate->value, &w->rate, &err))
            loader__error (ctx, rate, "arrivals.rate: %s", err->message);
    }
    prof = ynode_get (a, "daily_profile");
    if (prof && loader__is_seq (ctx, prof, "arrivals.daily_profile")) {
        if (ynode_len (prof) != 24) {
            loader__error (ctx, prof, "arrivals.daily_profile: expected 24 "
                           "hourly multipliers, got %u", ynode_len (prof));
            return;
        }
        w->has_daily_profile = TRUE;
        for (guint h = 0; h < 24; h++) {
            const YNode *x = ynode_item (prof, h);

            if (!loader__is_scalar (ctx, x, "daily_profile")
                || !units_parse_decimal (x->value, &w->daily_profile[h], NULL))
                loader__error (ctx, x, "arrivals.daily_profile: expected a "
                               "non-negative number, got '%s'",
                               x->kind == YNODE_SCALAR ? x->value : "a list");
        }
    }
}

static const char *const workload_kinds[] = {
    "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob",
    "Pod", NULL
};

/* A rolling-update bound: an integer or a percentage of replicas, rounded
 * as Kubernetes does (surge up, unavailable down). */
static void
read_rolling_bound (LoadCtx *ctx, const YNode *m, const char *key,
                    gboolean round_up, KbWorkloadSpec *w, gint64 *out)
{
    const YNode *v = ynode_get (m, key);

    if (v == NULL || !loader__is_scalar (ctx, v, key))
        return;
    if (g_str_has_suffix (v->value, "%")) {
        double f;

        if (!units_parse_fraction (v->value, &f, NULL)) {
            loader__error (ctx, v, "%s: expected an integer or a percentage "
                           "from 0%% to 100%%, got '%s'", key, v->value);
            return;
        }
        *out = round_up ? (gint64) ceil (f * (double) w->replicas - 1e-9)
                        : (gint64) floor (f * (double) w->replicas + 1e-9);
    } else {
        loader__get_int (ctx, m, key, "", 0, 1000000, out);
    }
}

/* A CronJob's keys in a scenario: schedule (required), time_zone,
 * concurrency_policy, starting_deadline, suspend; other kinds take none
 * of them. */
static void
read_cron_keys (LoadCtx *ctx, const YNode *m, KbWorkloadSpec *w)
{
    static const char *const cron_keys[] = { "schedule", "time_zone",
                                             "concurrency_policy",
                                             "starting_deadline", "suspend",
                                             NULL };
    const YNode *n;

    if (w->kind != KB_WORKLOAD_CRONJOB) {
        for (guint i = 0; cron_keys[i]; i++)
            if ((n = ynode_get (m, cron_keys[i])) != NULL)
                loader__error (ctx, n, "%s: only a CronJob takes it; '%s' "
                               "is a %s", cron_keys[i], w->name,
                               scenario_workload_kind_name (w->kind));
        return;
    }
    if ((n = ynode_get (m, "schedule")) == NULL || ynode_is_null (n))
        loader__error (ctx, m, "workload '%s': a CronJob needs a schedule "
                       "(e.g. \"30 2 * * *\")", w->name);
    else
        loader__cron_schedule (ctx, n, "schedule", w);
    if ((n = ynode_get (m, "time_zone")) && !ynode_is_null (n))
        loader__time_zone (ctx, n, "time_zone", &w->time_zone, &w->tz);
    loader__concurrency (ctx, m, "concurrency_policy", "", w);
    loader__get_bool (ctx, m, "suspend", "", &w->suspend);
    if (loader__get_duration (ctx, m, "starting_deadline", "",
                              &w->starting_deadline)
        && w->starting_deadline < 0)
        loader__error (ctx, ynode_get (m, "starting_deadline"),
                       "starting_deadline: must not be negative");
}

static void
read_workload_kind (LoadCtx *ctx, const YNode *m, KbWorkloadSpec *w)
{
    g_autofree char *kind = NULL;
    int k;

    w->kind = KB_WORKLOAD_DEPLOYMENT;
    if (loader__get_str (ctx, m, "kind", "", TRUE, &kind)) {
        for (k = 0; workload_kinds[k] && strcmp (workload_kinds[k], kind);
             k++)
            ;
        if (workload_kinds[k])
            w->kind = (KbWorkloadKind) k;
        else {
            const char *hint = suggest_closest (kind, workload_kinds);

            loader__error (ctx, ynode_get (m, "kind"), "kind: unknown "
                           "workload kind '%s'%s%s%s", kind,
                           hint ? " (did you mean '" : "", hint ? hint : "",
                           hint ? "'?)" : " (expected Deployment, "
                           "StatefulSet, DaemonSet, Job, CronJob or Pod; "
                           "ReplicaSet comes in manifests)");
        }
    }
}

static void
read_workload (LoadCtx *ctx, const YNode *m)
{
    static const char *const keys[] = { "name", "namespace", "kind",
                                        "replicas", "arrivals", "duration",
                                        "template", "max_surge",
                                        "max_unavailable", "completions",
                                        "parallelism", "schedule",
                                        "time_zone", "concurrency_policy",
                                        "starting_deadline", "suspend",
                                        NULL };
    KbWorkloadSpec *w = kb_workload_new ();
    const YNode *n;

    w->loc = loader__loc (ctx, m);
    loader__check_keys (ctx, m, "workload", keys, NULL);
    if (!loader__get_str (ctx, m, "name", "", TRUE, &w->name))
        w->name = g_strdup ("");
    read_workload_kind (ctx, m, w);
    loader__namespace (ctx, ynode_get (m, "namespace"), "namespace", w);
    w->replicas = 1;
    loader__get_int (ctx, m, "replicas", "", 0, 10000000, &w->replicas);
    loader__get_int (ctx, m, "completions", "", 1, 10000000, &w->completions);
    loader__get_int (ctx, m, "parallelism", "", 1, 10000000,
                     &w->parallelism);
    if ((n = ynode_get (m, "arrivals")) && !ynode_is_null (n)) {
        if (w->kind != KB_WORKLOAD_JOB)
            loader__error (ctx, n, "arrivals: only Jobs arrive over time; "
                           "'%s' is a %s", w->name,
                           scenario_workload_kind_name (w->kind));
        read_arrivals (ctx, n, w);
    }
    if ((n = ynode_get (m, "duration")) && !ynode_is_null (n)) {
        sim_dist_clear (&w->duration);
        w->has_duration = read_dist (ctx, n, "duration", &w->duration);
        if (!w->has_duration)
            sim_dist_init_constant (&w->duration, 0);
    }
    if (w->kind == KB_WORKLOAD_REPLICASET)
        loader__error (ctx, ynode_get (m, "kind"), "kind: write a ReplicaSet "
                       "as a Kubernetes manifest (workloads: [{manifest: "
                       "FILE}]); in a scenario use a Deployment");
    if ((w->kind == KB_WORKLOAD_JOB || w->kind == KB_WORKLOAD_CRONJOB)
        && ynode_get (m, "duration") == NULL)
        loader__error (ctx, m, "workload '%s': a %s needs a duration (how "
                       "long each pod runs)", w->name,
                       scenario_workload_kind_name (w->kind));
    read_cron_keys (ctx, m, w);
    read_rolling_bound (ctx, m, "max_surge", TRUE, w, &w->max_surge);
    read_rolling_bound (ctx, m, "max_unavailable", FALSE, w,
                        &w->max_unavailable);
    n = ynode_get (m, "template");
    if (n == NULL || ynode_is_null (n)) {
        loader__error (ctx, m, "workload '%s': template: missing, and it is "
                       "required (a PodSpec with at least containers)",
                       w->name);
        w->template = kb_pod_template_new ();
        w->template->loc = w->loc;
    } else if (ynode_get (n, "spec") && ynode_get (n, "containers") == NULL) {
        /* A PodTemplateSpec ({metadata, spec}) rather than a PodSpec:
         * its labels are what topologySpreadConstraints select. */
        const YNode *meta = ynode_get (n, "metadata");

        w->template = loader__pod_spec (ctx, ynode_get (n, "spec"));
        if (meta && loader__is_map (ctx, meta, "template.metadata")) {
            g_ptr_array_unref (w->template->labels);
            w->template->labels = loader__labels (ctx, ynode_get (meta,
                                                                 "labels"),
                                                  "template.metadata.labels");
        }
    } else {
        w->template = loader__pod_spec (ctx, n);
    }
    g_ptr_array_add (ctx->s->workloads, w);
}

static void
read_workloads (LoadCtx *ctx, const YNode *seq, const char *base_dir)
{
    if (!loader__is_seq (ctx, seq, "workloads"))
        return;
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *m = ynode_item (seq, i), *man;

        if (!loader__is_map (ctx, m, "workloads"))
            continue;
        man = ynode_get (m, "manifest");
        if (man) {
            static const char *const keys[] = { "manifest", NULL };

            loader__check_keys (ctx, m, "manifest entry", keys, NULL);
            if (loader__is_scalar (ctx, man, "manifest"))
                loader__manifest (ctx, man, man->value, base_dir);
            continue;
        }
        read_workload (ctx, m);
    }
}

/* ---- events ------------------------------------------------------------- */

static const char *const event_actions[] = {
    "upgrade_pool", "upgrade_control_plane", "registry_outage",
    "node_failure", "scale_pool", "cordon", "uncordon", "rollout",
    "set_replicas", "set_rate", NULL
};

/* Which keys each action takes besides at and action. */
static const char *const *
event_keys (KbEventAction a)
{
    static const char *const upgrade_pool[] = {
        "at", "action", "pool", "windows_build", "kubelet",
        "max_unavailable", "max_surge", "per_node", NULL };
    static const char *const upgrade_cp[] = { "at", "action", "version",
                                              NULL };
    static const char *const outage[] = { "at", "action", "registry", "for",
                                          NULL };
    static const char *const failure[] = { "at", "action", "pool", "node",
                                           "count", "for", NULL };
    static const char *const scale[] = { "at", "action", "pool", "count",
                                         NULL };
    static const char *const cordon[] = { "at", "action", "pool", "node",
                                          NULL };
    static const char *const rollout[] = { "at", "action", "workload",
                                           "image", "max_surge",
                                           "max_unavailable", NULL };
    static const char *const replicas[] = { "at", "action", "workload",
                                            "replicas", NULL };
    static const char *const rate[] = { "at", "action", "workload", "rate",
                                        NULL };

    switch (a) {
    case KB_EVENT_UPGRADE_POOL: return upgrade_pool;
    case KB_EVENT_UPGRADE_CONTROL_PLANE: return upgrade_cp;
    case KB_EVENT_REGISTRY_OUTAGE: return outage;
    case KB_EVENT_NODE_FAILURE: return failure;
    case KB_EVENT_SCALE_POOL: return scale;
    case KB_EVENT_CORDON:
    case KB_EVENT_UNCORDON: return cordon;
    case KB_EVENT_ROLLOUT: return rollout;
    case KB_EVENT_SET_REPLICAS: return replicas;
    default: return rate;
    }
}

static void
read_event_fields (LoadCtx *ctx, const YNode *m, KbEventSpec *e)
{
    g_autofree char *build = NULL, *ver = NULL, *image = NULL;
    const YNode *r;

    loader__get_str (ctx, m, "pool", "", FALSE, &e->pool);
    loader__get_str (ctx, m, "node", "", FALSE, &e->node);
    loader__get_str (ctx, m, "registry", "", FALSE, &e->registry);
    loader__get_str (ctx, m, "workload", "", FALSE, &e->workload);
    if (loader__get_str (ctx, m, "image", "", FALSE, &image)) {
        e->image = catalog_normalize_reference (image);
        loader__use_image (ctx, e->image, ynode_get (m, "image"));
    }
    if (loader__get_str (ctx, m, "windows_build", "", FALSE, &build)) {
        g_autoptr (GError) err = NULL;

        e->has_windows_build = platform_win_version_parse (
            build, &e->windows_build, &err);
        if (!e->has_windows_build)
            loader__error (ctx, ynode_get (m, "windows_build"),
                           "windows_build: %s", err->message);
    }
    if (loader__get_str (ctx, m, "version", "", FALSE, &ver)
        || loader__get_str (ctx, m, "kubelet", "", FALSE, &ver)) {
        g_autoptr (GError) err = NULL;
        const YNode *at = ynode_get (m, "version") ? ynode_get (m, "version")
                                                   : ynode_get (m, "kubelet");

        e->has_version = platform_kube_version_parse (ver, &e->version,
                                                      &err);
        if (!e->has_version)
            loader__error (ctx, at, "%s: %s", ynode_get (m, "version")
                           ? "version" : "kubelet", err->message);
    }
    loader__get_duration (ctx, m, "for", "", &e->duration);
    loader__get_duration (ctx, m, "per_node", "", &e->per_node);
    loader__get_int (ctx, m, "count", "", 0, 100000, &e->count);
    loader__get_int (ctx, m, "replicas", "", 0, 10000000, &e->count);
    loader__get_int (ctx, m, "max_unavailable", "", 0, 100000,
                     &e->max_unavailable);
    loader__get_int (ctx, m, "max_surge", "", 0, 100000, &e->max_surge);
    r = ynode_get (m, "rate");
    if (r && loader__is_scalar (ctx, r, "rate")) {
        g_autoptr (GError) err = NULL;

        if (!units_parse_rate (r->value, &e->rate, &err))
            loader__error (ctx, r, "rate: %s", err->message);
    }
}

/* Whether map has key with a value: a YAML null (`~`, `null`, nothing)
 * is no value, as the readers treat it. */
static gboolean
has_value (const YNode *map, const char *key)
{
    const YNode *v = ynode_get (map, key);

    return v != NULL && !(v->kind == YNODE_SCALAR && ynode_is_null (v));
}

/* Each action's required keys. */
static void
check_event_required (LoadCtx *ctx, const YNode *m, KbEventSpec *e)
{
    static const struct {
        KbEventAction action;
        const char *key;
    } req[] = {
        { KB_EVENT_UPGRADE_POOL, "pool" },
        { KB_EVENT_UPGRADE_CONTROL_PLANE, "version" },
        { KB_EVENT_REGISTRY_OUTAGE, "registry" },
        { KB_EVENT_REGISTRY_OUTAGE, "for" },
        { KB_EVENT_SCALE_POOL, "pool" },
        { KB_EVENT_SCALE_POOL, "count" },
        { KB_EVENT_ROLLOUT, "workload" },
        { KB_EVENT_ROLLOUT, "image" },
        { KB_EVENT_SET_REPLICAS, "workload" },
        { KB_EVENT_SET_REPLICAS, "replicas" },
        { KB_EVENT_SET_RATE, "workload" },
        { KB_EVENT_SET_RATE, "rate" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (req); i++)
        if (req[i].action == e->action && !has_value (m, req[i].key)) {
            const YNode *v = ynode_get (m, req[i].key);

            loader__error (ctx, v ? v : m, "%s: missing %s, and it is "
                           "required", event_actions[e->action], req[i].key);
        }
    if ((e->action == KB_EVENT_NODE_FAILURE || e->action == KB_EVENT_CORDON
         || e->action == KB_EVENT_UNCORDON) && e->pool == NULL
        && e->node == NULL)
        loader__error (ctx, m, "%s: give a pool or a node",
                       event_actions[e->action]);
    if (e->action == KB_EVENT_UPGRADE_POOL
        && !has_value (m, "windows_build") && !has_value (m, "kubelet"))
        loader__error (ctx, m, "upgrade_pool: give windows_build, kubelet or "
                       "both");
}

static void
read_events (LoadCtx *ctx, const YNode *seq)
{
    if (!loader__is_seq (ctx, seq, "events"))
        return;
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *m = ynode_item (seq, i);
        g_autofree char *action = NULL;
        KbEventSpec *e;
        int a;

        if (!loader__is_map (ctx, m, "events"))
            continue;
        if (!loader__get_str (ctx, m, "action", "", TRUE, &action))
            continue;
        for (a = 0; event_actions[a] && strcmp (event_actions[a], action);
             a++)
            ;
        if (event_actions[a] == NULL) {
            const char *hint = suggest_closest (action, event_actions);

            loader__error (ctx, ynode_get (m, "action"), "action: unknown "
                           "event action '%s'%s%s%s", action,
                           hint ? " (did you mean '" : "", hint ? hint : "",
                           hint ? "'?)" : "");
            continue;
        }
        e = g_new0 (KbEventSpec, 1);
        e->action = (KbEventAction) a;
        e->loc = loader__loc (ctx, m);
        e->count = -1;
        e->max_unavailable = -1;   /* unset: each action's default */
        e->max_surge = -1;
        e->windows_build.revision = -1;
        loader__check_keys (ctx, m, action, event_keys (e->action), NULL);
        if (ynode_get (m, "at") == NULL)
            loader__error (ctx, m, "%s: missing at, and it is required",
                           action);
        loader__get_duration (ctx, m, "at", "", &e->at);
        read_event_fields (ctx, m, e);
        check_event_required (ctx, m, e);
        g_ptr_array_add (ctx->s->events, e);
    }
}

/* ---- failures, cost, metrics -------------------------------------------- */

static KbFailureSpec *
read_failure (LoadCtx *ctx, const YNode *m, const char *pool)
{
    static const char *const keys[] = { "mtbf", "mttr", "distribution",
                                        "shape", NULL };
    KbFailureSpec *f = g_new0 (KbFailureSpec, 1);
    SimTime mtbf = 0, mttr = 0;
    double shape = 1.5;
    g_autofree char *dist = NULL;
    g_autoptr (GError) err = NULL;
    gboolean ok;

    f->pool = g_strdup (pool);
    f->loc = loader__loc (ctx, m);
    loader__check_keys (ctx, m, "failures", keys, NULL);
    if (ynode_get (m, "mtbf") == NULL || ynode_get (m, "mttr") == NULL)
        loader__error (ctx, m, "failures: give both mtbf and mttr");
    loader__get_duration (ctx, m, "mtbf", "failures.", &mtbf);
    loader__get_duration (ctx, m, "mttr", "failures.", &mttr);
    loader__get_number (ctx, m, "shape", "failures.", 0.1, 20, &shape);
    ok = loader__get_str (ctx, m, "distribution", "failures.", FALSE, &dist)
         && strcmp (dist, "weibull") == 0;
    if (dist && !ok && strcmp (dist, "exponential") != 0)
        loader__error (ctx, ynode_get (m, "distribution"), "failures."
                       "distribution: expected exponential or weibull, got "
                       "'%s'", dist);
    if (mtbf <= 0)
        mtbf = SIM_TIME_NEVER / 4;
    if (ok)
        ok = sim_dist_init_weibull_mean (&f->time_between,
                                         sim_time_to_seconds (mtbf), shape,
                                         &err);
    else
        ok = sim_dist_init_exponential (&f->time_between,
                                        sim_time_to_seconds (mtbf), &err);
    if (!ok)
        loader__error (ctx, m, "failures: %s", err->message);
    g_clear_error (&err);
    if (mttr <= 0)
        sim_dist_init_constant (&f->time_to_repair, 0);
    else if (!sim_dist_init_exponential (&f->time_to_repair,
                                         sim_time_to_seconds (mttr), &err))
        loader__error (ctx, m, "failures: %s", err->message);
    return f;
}

static void
read_failures (LoadCtx *ctx, const YNode *m)
{
    static const char *const keys[] = { "nodes", "pools", NULL };
    const YNode *n, *pools;

    if (!loader__is_map (ctx, m, "failures"))
        return;
    loader__check_keys (ctx, m, "failures", keys, NULL);
    if ((n = ynode_get (m, "nodes")) && loader__is_map (ctx, n,
                                                        "failures.nodes"))
        g_ptr_array_add (ctx->s->failures, read_failure (ctx, n, NULL));
    pools = ynode_get (m, "pools");
    if (pools && loader__is_map (ctx, pools, "failures.pools"))
        for (guint i = 0; i < ynode_len (pools); i++) {
            const YNode *k = ynode_key (pools, i), *v = ynode_value (pools, i);

            if (k->kind == YNODE_SCALAR && loader__is_map (ctx, v, k->value))
                g_ptr_array_add (ctx->s->failures,
                                 read_failure (ctx, v, k->value));
        }
}

static void
read_cost (LoadCtx *ctx, const YNode *m)
{
    static const char *const keys[] = { "currency", "control_plane_per_hour",
                                        "egress_per_gb", NULL };
    KbCostSpec *c = &ctx->s->cost;

    c->control_plane_per_hour = 0.10;   /* EKS/AKS Standard/GKE (facts 8) */
    c->egress_per_gb = 0;
    if (m == NULL) {
        note_default (ctx, "cost.control_plane_per_hour: 0.10 (EKS standard "
                      "support, AKS Standard, GKE)");
        return;
    }
    if (!loader__is_map (ctx, m, "cost"))
        return;
    loader__check_keys (ctx, m, "cost", keys, NULL);
    loader__get_str (ctx, m, "currency", "cost.", FALSE, &c->currency);
    if (!loader__get_number (ctx, m, "control_plane_per_hour", "cost.", 0,
                             1e6, &c->control_plane_per_hour))
        note_default (ctx, "cost.control_plane_per_hour: 0.10 (EKS standard "
                      "support, AKS Standard, GKE)");
    loader__get_number (ctx, m, "egress_per_gb", "cost.", 0, 1e6,
                        &c->egress_per_gb);
}

/* The cluster autoscaler's durations: positive, but for the delays,
 * which may be 0. */
static void
read_autoscaler_durations (LoadCtx *ctx, const YNode *m)
{
    KbAutoscalerSpec *a = &ctx->s->autoscaler;
    const struct {
        const char *key;
        SimTime *out;
        gboolean zero_ok;
    } d[] = {
        { "scan_interval", &a->scan_interval, FALSE },
        { "scale_down_delay_after_add", &a->scale_down_delay_after_add,
          TRUE },
        { "scale_down_unneeded_time", &a->scale_down_unneeded_time, TRUE },
        { "max_node_provision_time", &a->max_node_provision_time, FALSE },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (d); i++)
        if (loader__get_duration (ctx, m, d[i].key, "autoscaler.", d[i].out)
            && (*d[i].out < 0 || (*d[i].out == 0 && !d[i].zero_ok)))
            loader__error (ctx, ynode_get (m, d[i].key), "autoscaler.%s: "
                           "must be %s", d[i].key,
                           d[i].zero_ok ? "0 or more" : "positive");
}

static void
read_autoscaler (LoadCtx *ctx, const YNode *m)
{
    static const char *const keys[] = {
        "expander", "scan_interval", "scale_down_delay_after_add",
        "scale_down_unneeded_time", "scale_down_utilization_threshold",
        "max_node_provision_time", "max_scale_down_parallelism",
        "max_drain_parallelism", NULL
    };
    static const char *const names[] = { "least-waste", "price", "random",
                                         NULL };
    KbAutoscalerSpec *a = &ctx->s->autoscaler;
    g_autofree char *e = NULL;

    ctx->s->expander = KB_EXPANDER_LEAST_WASTE;
    if (m == NULL || !loader__is_map (ctx, m, "autoscaler"))
        return;
    loader__check_keys (ctx, m, "autoscaler", keys, NULL);
    read_autoscaler_durations (ctx, m);
    loader__get_number (ctx, m, "scale_down_utilization_threshold",
                        "autoscaler.", 0, 1,
                        &a->scale_down_utilization_threshold);
    loader__get_int (ctx, m, "max_scale_down_parallelism", "autoscaler.", 1,
                     100000, &a->max_scale_down_parallelism);
    loader__get_int (ctx, m, "max_drain_parallelism", "autoscaler.", 1,
                     100000, &a->max_drain_parallelism);
    if (!loader__get_str (ctx, m, "expander", "autoscaler.", FALSE, &e))
        return;
    for (int i = 0; names[i]; i++)
        if (strcmp (e, names[i]) == 0) {
            ctx->s->expander = (KbExpander) i;
            return;
        }
    loader__error (ctx, ynode_get (m, "expander"), "autoscaler.expander: "
                   "expected least-waste, price or random, got '%s'", e);
}

/* A run keeps one sample per sample_every of its duration: past
 * MAX_SAMPLES the memory, not the user's intent, would decide the run. */
static void
check_samples (LoadCtx *ctx, const YNode *m, const YNode *duration)
{
    const KbMetricsSpec *x = &ctx->s->metrics;
    const YNode *at = m ? ynode_get (m, "sample_every") : NULL;
    g_autofree char *msg = NULL;
    double samples;

    if (x->sample_every <= 0 || ctx->s->duration <= 0)
        return;
    samples = (double) ctx->s->duration / (double) x->sample_every;
    if (samples <= MAX_SAMPLES)
        return;
    msg = g_strdup_printf ("metrics.sample_every: %.3g "
        "samples over the duration of %.6g h; the limit is %d: use at least "
        "%.6g s", samples, sim_time_to_hours (ctx->s->duration), MAX_SAMPLES,
        ceil ((double) ctx->s->duration / MAX_SAMPLES) / SIM_SEC);

    if (at == NULL)
        at = m ? m : duration;
    if (at)
        loader__error (ctx, at, "%s", msg);
    else
        loader__error_raw (ctx, "%s", msg);
}

static void
read_metrics (LoadCtx *ctx, const YNode *m)
{
    static const char *const keys[] = { "sample_every", "placement_deadline",
                                        NULL };
    KbMetricsSpec *x = &ctx->s->metrics;

    x->sample_every = DEFAULT_SAMPLE_EVERY;
    x->placement_deadline = DEFAULT_DEADLINE;
    if (m && loader__is_map (ctx, m, "metrics")) {
        loader__check_keys (ctx, m, "metrics", keys, NULL);
        loader__get_duration (ctx, m, "sample_every", "metrics.",
                              &x->sample_every);
        loader__get_duration (ctx, m, "placement_deadline", "metrics.",
                              &x->placement_deadline);
        if (ynode_get (m, "sample_every") && x->sample_every <= 0)
            loader__error (ctx, ynode_get (m, "sample_every"), "metrics."
                           "sample_every: must be positive");
    }
    if (ynode_get (m, "placement_deadline") == NULL)
        note_default (ctx, "metrics.placement_deadline: 5m (a pod counts as "
                      "placed when Running within it)");
    if (ynode_get (m, "sample_every") == NULL)
        note_default (ctx, "metrics.sample_every: 5m");
}

/* ---- priority classes --------------------------------------------------- */

static void
resolve_priorities (LoadCtx *ctx, const YNode *pcs)
{
    g_autoptr (GHashTable) classes = g_hash_table_new (g_str_hash,
                                                       g_str_equal);

    /* Built in to every cluster (kubernetes scheduling/priority docs). */
    g_hash_table_insert (classes, (gpointer) "system-cluster-critical",
                         GINT_TO_POINTER (2000000000));
    g_hash_table_insert (classes, (gpointer) "system-node-critical",
                         GINT_TO_POINTER (2000001000));
    if (pcs && loader__is_map (ctx, pcs, "priority_classes"))
        for (guint i = 0; i < ynode_len (pcs); i++) {
            const YNode *k = ynode_key (pcs, i);
            gint64 v = 0;

            if (k->kind == YNODE_SCALAR
                && loader__get_int (ctx, pcs, k->value, "priority_classes.",
                                    G_MININT32, 1000000000, &v))
                g_hash_table_insert (classes, k->value, GINT_TO_POINTER (v));
        }
    for (guint i = 0; i < ctx->s->workloads->len; i++) {
        KbWorkloadSpec *w = g_ptr_array_index (ctx->s->workloads, i);
        gpointer v;

        if (w->template->priority_class == NULL)
            continue;
        if (g_hash_table_lookup_extended (classes, w->template->priority_class,
                                          NULL, &v))
            w->template->priority = GPOINTER_TO_INT (v);
        else
            loader__error_at (ctx, &w->template->loc, "priorityClassName: no "
                              "PriorityClass with name '%s' was found (define "
                              "it under priority_classes)",
                              w->template->priority_class);
    }
}

/* ---- resolution --------------------------------------------------------- */

static KbImageSpec *
image_from_catalog (const CatalogImage *ci)
{
    KbImageSpec *img = kb_image_new ();

    img->name = g_strdup (ci->name);
    img->is_index = ci->is_index;
    img->from_catalog = TRUE;
    for (guint i = 0; i < ci->n_manifests; i++) {
        const CatalogManifest *cm = &ci->manifests[i];
        KbManifestSpec *mf = kb_manifest_new ();

        mf->os = platform_os_from_string (cm->os);
        mf->arch = platform_arch_from_string (cm->arch);
        mf->has_os_version = cm->os_version != NULL
                             && platform_win_version_parse (cm->os_version,
                                                            &mf->os_version,
                                                            NULL);
        for (guint j = 0; j < cm->n_layers; j++) {
            KbLayerSpec *l = g_new0 (KbLayerSpec, 1);

            l->digest = g_strdup (cm->layers[j].digest);
            l->size = cm->layers[j].size;
            mf->size += l->size;
            g_ptr_array_add (mf->layers, l);
        }
        g_ptr_array_add (img->manifests, mf);
    }
    return img;
}

/* The registry host of a normalised reference: its first component. */
static char *
reference_host (const char *ref)
{
    const char *slash = strchr (ref, '/');

    return slash ? g_strndup (ref, (gsize) (slash - ref)) : g_strdup (ref);
}

static void
resolve_image_registry (LoadCtx *ctx, KbImageSpec *img)
{
    g_autofree char *host = NULL;
    KbRegistrySpec *r;

    if (img->registry) {
        if (scenario_find_registry (ctx->s, img->registry) == NULL)
            loader__error_at (ctx, &img->loc, "image '%s': registry '%s' is "
                              "not defined under registries", img->name,
                              img->registry);
        return;
    }
    host = reference_host (img->name);
    for (guint i = 0; i < ctx->s->registries->len; i++) {
        r = g_ptr_array_index (ctx->s->registries, i);
        if (strcmp (r->host, host) == 0) {
            img->registry = g_strdup (r->name);
            return;
        }
    }
    r = g_new0 (KbRegistrySpec, 1);
    r->name = g_strdup (host);
    r->host = g_strdup (host);
    r->latency = DEFAULT_REGISTRY_LAT;
    sim_dist_init_constant (&r->pull_delay, 0);
    r->loc = img->loc;
    g_ptr_array_add (ctx->s->registries, r);
    img->registry = g_strdup (host);
    note_default (ctx, "registry %s: no aggregate cap, each node pulls at "
                  "its network_bandwidth; latency 100ms (registry "
                  "throughput is unconfirmed in the reference)", host);
}

/* Every image used: the scenario's own entry, else the catalogue's, else
 * one inferred from what the scenario says of it (infer.c). */
static void
resolve_images (LoadCtx *ctx)
{
    g_autoptr (GList) refs = g_hash_table_get_keys (ctx->image_refs);

    /* Sorted, so that catalogue and inferred images are added in a stable
     * order. */
    refs = g_list_sort (refs, (GCompareFunc) strcmp);
    for (GList *l = refs; l; l = l->next) {
        const char *ref = l->data;
        const CatalogImage *ci;

        if (scenario_find_image (ctx->s, ref))
            continue;
        ci = catalog_image_lookup (ref);
        if (ci)
            g_ptr_array_add (ctx->s->images, image_from_catalog (ci));
        else
            g_ptr_array_add (ctx->s->images, loader__infer_image (
                ctx, ref, g_hash_table_lookup (ctx->image_refs, ref)));
    }
    for (guint i = 0; i < ctx->s->images->len; i++)
        resolve_image_registry (ctx, g_ptr_array_index (ctx->s->images, i));
}

static void
check_reference (LoadCtx *ctx, const KbLoc *loc, const char *what,
                 const char *name, gboolean found, GPtrArray *list,
                 gsize name_offset)
{
    g_autoptr (GPtrArray) names = g_ptr_array_new ();
    const char *hint;

    if (name == NULL || found)
        return;
    for (guint i = 0; i < list->len; i++)
        g_ptr_array_add (names, *(char **) ((char *) g_ptr_array_index (list,
                                                                        i)
                                            + name_offset));
    g_ptr_array_add (names, NULL);
    hint = suggest_closest (name, (const char *const *) names->pdata);
    loader__error_at (ctx, loc, "%s '%s' is not defined%s%s%s", what, name,
                      hint ? " (did you mean '" : "", hint ? hint : "",
                      hint ? "'?)" : "");
}

static void
resolve_events (LoadCtx *ctx)
{
    Scenario *s = ctx->s;

    for (guint i = 0; i < s->events->len; i++) {
        KbEventSpec *e = g_ptr_array_index (s->events, i);

        check_reference (ctx, &e->loc, "node pool", e->pool,
                         e->pool && scenario_find_pool (s, e->pool),
                         s->pools, G_STRUCT_OFFSET (KbPoolSpec, name));
        check_reference (ctx, &e->loc, "registry", e->registry,
                         e->registry && scenario_find_registry (s,
                                                                e->registry),
                         s->registries, G_STRUCT_OFFSET (KbRegistrySpec,
                                                         name));
        check_reference (ctx, &e->loc, "workload", e->workload,
                         e->workload && scenario_find_workload (s,
                                                                e->workload),
                         s->workloads, G_STRUCT_OFFSET (KbWorkloadSpec,
                                                        name));
        if (e->action == KB_EVENT_UPGRADE_POOL && e->has_windows_build
            && e->pool && scenario_find_pool (s, e->pool)
            && scenario_find_pool (s, e->pool)->os != KB_OS_WINDOWS)
            loader__error_at (ctx, &e->loc, "upgrade_pool: pool '%s' is a "
                              "Linux pool and has no Windows build", e->pool);
    }
}

static gint
event_cmp (gconstpointer a, gconstpointer b)
{
    const KbEventSpec *x = *(KbEventSpec **) a, *y = *(KbEventSpec **) b;

    return (x->at > y->at) - (x->at < y->at);
}

/* CronJobs without a timeZone read their schedule in the control plane's
 * zone (kube-controller-manager's time.Local, robfig's default), UTC
 * unless control_plane.time_zone says otherwise; the defaults are
 * reported only where a CronJob depends on them. */
static void
resolve_cron_zones (LoadCtx *ctx, const YNode *root)
{
    Scenario *s = ctx->s;
    gboolean any = FALSE, local = FALSE;

    if (s->control_plane.tz == NULL) {
        s->control_plane.tz = g_time_zone_new_utc ();
        g_free (s->control_plane.time_zone);
        s->control_plane.time_zone = g_strdup ("UTC");
    }
    for (guint i = 0; i < s->workloads->len; i++) {
        KbWorkloadSpec *w = g_ptr_array_index (s->workloads, i);

        if (w->kind != KB_WORKLOAD_CRONJOB)
            continue;
        any = TRUE;
        if (w->tz == NULL) {
            w->tz = g_time_zone_ref (s->control_plane.tz);
            local = TRUE;
        }
    }
    if (any && ynode_get (root, "start") == NULL)
        note_default (ctx, "start: 2024-01-01 (day 0, a Monday; time 0 is "
                      "its midnight UTC)");
    if (local && ynode_get (ynode_get (root, "control_plane"), "time_zone")
                 == NULL)
        note_default (ctx, "control_plane.time_zone: UTC (CronJobs without "
                      "timeZone)");
}

static void
resolve (LoadCtx *ctx, const YNode *root)
{
    Scenario *s = ctx->s;

    for (guint i = 0; i < s->pools->len; i++) {
        KbPoolSpec *p = g_ptr_array_index (s->pools, i);

        if (p->kubelet.major == 0) {
            p->kubelet = s->control_plane.version;
            note_default (ctx, "node_pools.%s.kubelet: the control plane's "
                          "version", p->name);
        }
    }
    for (guint i = 0; i < s->workloads->len; i++) {
        KbWorkloadSpec *w = g_ptr_array_index (s->workloads, i);
        const char *rc = w->template->runtime_class;

        for (guint j = 0; j < i; j++)
            if (strcmp (w->name, ((KbWorkloadSpec *)
                                  g_ptr_array_index (s->workloads, j))->name)
                == 0 && w->name[0])
                loader__error_at (ctx, &w->loc, "duplicate workload name "
                                  "'%s' (kbsim needs workload names unique "
                                  "across namespaces)", w->name);
        check_reference (ctx, &w->template->loc, "runtime class", rc,
                         rc && scenario_find_runtime_class (s, rc),
                         s->runtime_classes,
                         G_STRUCT_OFFSET (KbRuntimeClassSpec, name));
    }
    for (guint i = 0; i < s->runtime_classes->len; i++) {
        KbRuntimeClassSpec *rc = g_ptr_array_index (s->runtime_classes, i);

        for (guint j = 0; j < i; j++)
            if (strcmp (rc->name, ((KbRuntimeClassSpec *)
                                   g_ptr_array_index (s->runtime_classes,
                                                      j))->name) == 0
                && rc->name[0])
                loader__error_at (ctx, &rc->loc, "duplicate runtime class "
                                  "name '%s'", rc->name);
    }
    for (guint i = 0; i < s->failures->len; i++) {
        KbFailureSpec *f = g_ptr_array_index (s->failures, i);

        check_reference (ctx, &f->loc, "node pool", f->pool,
                         f->pool && scenario_find_pool (s, f->pool),
                         s->pools, G_STRUCT_OFFSET (KbPoolSpec, name));
    }
    resolve_cron_zones (ctx, root);
    resolve_priorities (ctx, ynode_get (root, "priority_classes"));
    resolve_images (ctx);
    resolve_events (ctx);
    g_ptr_array_sort (s->events, event_cmp);    /* stable in GLib */
}

/* ---- --set overrides ---------------------------------------------------- */

/* One --set PATH=VALUE being applied. Its scalars are placed as if the
 * text "--set PATH=VALUE" were line 1 of a file named "--set PATH", so
 * that errors about the value point at it. */
typedef struct {
    LoadCtx *ctx;
    YTree *tree;                /* owns the scalars made for the value */
    const char *where;          /* "--set PATH" */
    const char *value;          /* the text after '=' */
    guint value_col;            /* its column in "--set PATH=VALUE" */
    char **segs;                /* PATH split at its dots */
    guint n;                    /* the number of segs */
} Override;

/* The item of a list whose name is name, or NULL. (transfer none). */
static YNode *
named_item (const YNode *seq, const char *name)
{
    for (guint k = 0; k < ynode_len (seq); k++) {
        const YNode *nm = ynode_get (ynode_item (seq, k), "name");

        if (nm && nm->kind == YNODE_SCALAR && strcmp (nm->value, name) == 0)
            return ynode_item (seq, k);
    }
    return NULL;
}

/* The index in map of the longest run segs[i..*end) of dot-joined
 * segments that is one of its keys (keys such as kubernetes.io/os contain
 * dots), or G_MAXUINT when no run is a key. segs is restored on return. */
static guint
longest_key (const YNode *map, char **segs, guint i, guint n, guint *end)
{
    for (guint j = n; j > i; j--) {
        g_autofree char *key = NULL;
        char *saved = segs[j];

        segs[j] = NULL;
        key = g_strjoinv (".", segs + i);
        segs[j] = saved;
        for (guint k = 0; k < ynode_len (map); k++)
            if (ynode_key (map, k)->kind == YNODE_SCALAR
                && strcmp (ynode_key (map, k)->value, key) == 0) {
                *end = j;
                return k;
            }
    }
    return G_MAXUINT;
}

static YNode *
override_value (const Override *o)
{
    return ytree_new_scalar (o->tree, o->value, o->where, 1, o->value_col);
}

/* Replaces the value at map's key_index, which must be a single value. */
static gboolean
override_replace (const Override *o, YNode *map, guint key_index)
{
    YNode *old = ynode_value (map, key_index);

    if (old->kind != YNODE_SCALAR) {
        loader__error_raw (o->ctx,
            "%s: only single values can be set, and this is %s",
            o->where, old->kind == YNODE_MAPPING ? "a mapping" : "a list");
        return FALSE;
    }
    map->items->pdata[2 * key_index + 1] = override_value (o);
    return TRUE;
}

/* Adds the last segment of PATH as a new key of an existing mapping; in
 * "--set PATH=VALUE" it is placed at column 7, where PATH starts. */
static gboolean
override_add (const Override *o, YNode *map)
{
    g_ptr_array_add (map->items, ytree_new_scalar (o->tree,
                                                   o->segs[o->n - 1],
                                                   o->where, 1, 7));
    g_ptr_array_add (map->items, override_value (o));
    return TRUE;
}

/* Follows PATH down from cur, a list item by its name and a mapping by its
 * longest matching key, to the value to set. */
static gboolean
override_walk (const Override *o, YNode *cur)
{
    guint i = 0;

    while (i < o->n) {
        guint key_index, end = i;

        if (cur->kind == YNODE_SEQUENCE) {
            cur = named_item (cur, o->segs[i]);
            if (cur == NULL) {
                loader__error_raw (o->ctx, "%s: no entry named '%s' in "
                                   "that list", o->where, o->segs[i]);
                return FALSE;
            }
            i++;
            continue;
        }
        if (cur->kind != YNODE_MAPPING) {
            loader__error_raw (o->ctx, "%s: '%s' is a value, not a mapping "
                               "or list", o->where, o->segs[i - 1]);
            return FALSE;
        }
        key_index = longest_key (cur, o->segs, i, o->n, &end);
        if (key_index == G_MAXUINT && i + 1 == o->n)
            return override_add (o, cur);
        if (key_index == G_MAXUINT) {
            loader__error_raw (o->ctx, "%s: no key '%s' at that level",
                               o->where, o->segs[i]);
            return FALSE;
        }
        if (end == o->n)
            return override_replace (o, cur, key_index);
        cur = ynode_value (cur, key_index);
        i = end;
    }
    return TRUE;
}

/* Applies one --set PATH=VALUE (spec) to the tree before it is read.
 * PATH is dot-separated keys from the root, with list items addressed by
 * their name; VALUE replaces a single value, or becomes a new key of an
 * existing mapping. A malformed spec or a PATH that leads nowhere is
 * reported without a position (it is not in the file) and returns
 * FALSE. */
static gboolean
override_one (LoadCtx *ctx, YTree *tree, YNode *root, const char *spec)
{
    const char *eq = strchr (spec, '=');
    g_autofree char *path = NULL, *where = NULL;
    g_auto (GStrv) segs = NULL;
    Override o;
    g_autofree char *why = ytree_check_text (spec, strlen (spec));

    if (why) {
        g_autofree char *shown = g_strescape (spec, NULL);

        loader__error_raw (ctx, "--set '%.200s': %s", shown, why);
        return FALSE;
    }
    if (eq == NULL || eq == spec) {
        loader__error_raw (ctx,
            "--set '%s': expected PATH=VALUE, e.g. "
            "node_pools.win2019.count=10", spec);
        return FALSE;
    }
    path = g_strndup (spec, (gsize) (eq - spec));
    where = g_strdup_printf ("--set %s", path);
    segs = g_strsplit (path, ".", -1);
    o.ctx = ctx;
    o.tree = tree;
    o.where = where;
    o.n = g_strv_length (segs);
    o.segs = segs;
    o.value = eq + 1;
    o.value_col = (guint) (eq - spec) + 8;
    return override_walk (&o, root);
}

/* ---- entry point -------------------------------------------------------- */

/* `start: YYYY-MM-DD`: the date of day 0; time 0 is its midnight UTC. */
static void
read_start (LoadCtx *ctx, const YNode *n)
{
    gint y, mo, d, dy, dm, dd;
    gboolean ok;
    gint64 days;

    ctx->s->start_unix = cron__days_from_civil (DEFAULT_START_YEAR, 1, 1)
                         * 86400;
    if (n == NULL || ynode_is_null (n) || !loader__is_scalar (ctx, n,
                                                              "start"))
        return;
    ok = strlen (n->value) == 10;
    for (int i = 0; ok && i < 10; i++)
        ok = i == 4 || i == 7 ? n->value[i] == '-'
                              : g_ascii_isdigit (n->value[i]);
    y = ok ? atoi (n->value) : 0;
    mo = ok ? atoi (n->value + 5) : 0;
    d = ok ? atoi (n->value + 8) : 0;
    if (!ok || y < 1900 || mo < 1 || mo > 12 || d < 1) {
        loader__error (ctx, n, "start: expected a date YYYY-MM-DD from 1900 "
                       "on, got '%s'", n->value);
        return;
    }
    days = cron__days_from_civil (y, mo, d);
    cron__civil_from_days (days, &dy, &dm, &dd);
    if (dd != d || dm != mo) {
        loader__error (ctx, n, "start: %s is not a date", n->value);
        return;
    }
    ctx->s->start_unix = days * 86400;
}

static void
read_top (LoadCtx *ctx, const YNode *root, const char *base_dir)
{
    Scenario *s = ctx->s;
    const YNode *n;
    gint64 seed = 1;

    loader__check_keys (ctx, root, "scenario", top_keys, NULL);
    /* s->name stays "" (kb_scenario_new) when it is missing */
    loader__get_str (ctx, root, "name", "", TRUE, &s->name);
    loader__get_str (ctx, root, "description", "", FALSE, &s->description);
    if (loader__get_int (ctx, root, "seed", "", 0, G_MAXINT64, &seed))
        s->seed = (guint64) seed;
    else {
        s->seed = 1;
        if (ynode_get (root, "seed") == NULL)
            note_default (ctx, "seed: 1");
    }
    s->duration = DEFAULT_DURATION;
    if (!loader__get_duration (ctx, root, "duration", "", &s->duration)
        && ynode_get (root, "duration") == NULL)
        note_default (ctx, "duration: 1d");
    if (ynode_get (root, "duration") && s->duration <= 0)
        loader__error (ctx, ynode_get (root, "duration"), "duration: must be "
                       "positive");
    read_start (ctx, ynode_get (root, "start"));
    loader__dev_host (ctx, root, base_dir);
    n = ynode_get (root, "control_plane");
    if (n == NULL && ctx->s->dev_host != NULL)
        ;   /* a developer's desktop: no cluster */
    else if (n == NULL)
        loader__error (ctx, root, "control_plane: missing, and it is "
                       "required (at least its version, e.g. {version: "
                       "\"1.31\"})");
    else
        read_control_plane (ctx, n);
    if ((n = ynode_get (root, "node_pools")) && !ynode_is_null (n))
        read_pools (ctx, n);
    if ((n = ynode_get (root, "node_list")) && loader__is_scalar (ctx, n,
                                                                  "node_list"))
        loader__node_list (ctx, n, n->value, base_dir);
    if (s->pools->len == 0 && s->dev_host == NULL)
        loader__error (ctx, root, "the scenario has no nodes: give node_pools "
                       "or a node_list");
    if ((n = ynode_get (root, "registries")) && !ynode_is_null (n))
        read_registries (ctx, n);
    if ((n = ynode_get (root, "images")) && !ynode_is_null (n))
        read_images (ctx, n);
    if ((n = ynode_get (root, "images_from")) && !ynode_is_null (n))
        loader__images_from (ctx, n, base_dir);
    if ((n = ynode_get (root, "runtime_classes")) && !ynode_is_null (n))
        read_runtime_classes (ctx, n);
    if ((n = ynode_get (root, "workloads")) && !ynode_is_null (n))
        read_workloads (ctx, n, base_dir);
    if ((n = ynode_get (root, "events")) && !ynode_is_null (n))
        read_events (ctx, n);
    if ((n = ynode_get (root, "failures")) && !ynode_is_null (n))
        read_failures (ctx, n);
    read_cost (ctx, ynode_get (root, "cost"));
    read_autoscaler (ctx, ynode_get (root, "autoscaler"));
    read_metrics (ctx, ynode_get (root, "metrics"));
    check_samples (ctx, ynode_get (root, "metrics"),
                   ynode_get (root, "duration"));
}

static void
image_ref_free (gpointer p)
{
    g_free (p);
}

static void
node_image_free (gpointer p)
{
    LoaderNodeImage *ni = p;

    g_free (ni->node);
    g_free (ni);
}

/* The tree, or NULL with error set from ytree's (IO stays IO). */
static YTree *
tree_or_error (YTree *tree, GError *local, GError **error)
{
    if (tree == NULL)
        g_set_error (error, KB_SCENARIO_ERROR,
                     local->code == KB_YTREE_ERROR_IO
                         ? KB_SCENARIO_ERROR_IO : KB_SCENARIO_ERROR_INVALID,
                     "%s", local->message);
    return tree;
}

static Scenario *load_tree (YTree *tree, const char *path,
                            const char *const *overrides,
                            const char *pod_path, KbWorkloadSpec **pod,
                            GError **error);

Scenario *
scenario_load (const char *path, const char *const *overrides,
               GError **error)
{
    g_autoptr (GError) local = NULL;
    YTree *tree = ytree_load_file (path, &local);

    if (tree_or_error (tree, local, error) == NULL)
        return NULL;
    return load_tree (tree, path, overrides, NULL, NULL, error);
}

Scenario *
scenario_load_with_pod (const char *path, const char *const *overrides,
                        const char *pod_path, KbWorkloadSpec **pod,
                        GError **error)
{
    g_autoptr (GError) local = NULL;
    YTree *tree;

    g_return_val_if_fail (pod_path != NULL && pod != NULL, NULL);
    *pod = NULL;
    tree = ytree_load_file (path, &local);
    if (tree_or_error (tree, local, error) == NULL)
        return NULL;
    return load_tree (tree, path, overrides, pod_path, pod, error);
}

Scenario *
scenario_load_data (const char *name, const char *data, gsize len,
                    const char *const *overrides, GError **error)
{
    g_autoptr (GError) local = NULL;
    YTree *tree = ytree_load_data (data, len, name, &local);
    Scenario *s;

    if (tree_or_error (tree, local, error) == NULL)
        return NULL;
    s = load_tree (tree, name, overrides, NULL, NULL, error);
    if (s != NULL)
        s->source = g_strndup (data, len);
    return s;
}

/* The document of a --pod file, checked to be one Pod. NULL after
 * reporting. */
static const YNode *
pod_document (LoadCtx *ctx, const char *pod_path)
{
    g_autoptr (GError) err = NULL;
    YTree *tree = ytree_load_file (pod_path, &err);
    const YNode *doc = NULL, *kind;

    if (tree == NULL) {
        loader__error_raw (ctx, "%s", err->message);
        return NULL;
    }
    g_ptr_array_add (ctx->trees, tree);
    for (guint i = 0; i < ytree_n_documents (tree); i++) {
        const YNode *d = ytree_document (tree, i);

        if (ynode_is_null (d))
            continue;           /* an empty document, as after a final --- */
        if (doc != NULL) {
            loader__error (ctx, d, "a pod file holds one Pod; this is a "
                           "second object");
            return NULL;
        }
        doc = d;
    }
    if (doc == NULL) {
        loader__error_raw (ctx, "%s:1:1: expected a Pod (apiVersion: v1, "
                           "kind: Pod), found nothing", pod_path);
        return NULL;
    }
    if (!loader__is_map (ctx, doc, "Pod"))
        return NULL;
    kind = ynode_get (doc, "kind");
    if (kind && kind->kind == YNODE_SCALAR && kind->value
        && strcmp (kind->value, "Pod") != 0) {
        loader__error (ctx, kind, "kind: expected Pod, got '%s' (for a "
                       "workload of the scenario, use --workload NAME)",
                       kind->value);
        return NULL;
    }
    return doc;
}

/* Reads the --pod file into *pod, resolved against the scenario as its
 * own workloads were: the pod is read into a list of its own, which the
 * resolution steps see in place of the scenario's workloads. */
static void
read_pod_file (LoadCtx *ctx, const YNode *root, const char *pod_path,
               KbWorkloadSpec **pod)
{
    const YNode *doc = pod_document (ctx, pod_path);
    GPtrArray *own = ctx->s->workloads;
    g_autoptr (GPtrArray) read = g_ptr_array_new_with_free_func (
        kb_workload_free);
    KbWorkloadSpec *w;
    const char *rc;

    if (doc == NULL)
        return;
    ctx->s->workloads = read;
    loader__object (ctx, doc, pod_path);
    if (read->len == 1 && ctx->n_errors == 0) {
        w = g_ptr_array_index (read, 0);
        rc = w->template->runtime_class;
        check_reference (ctx, &w->template->loc, "runtime class", rc,
                         rc && scenario_find_runtime_class (ctx->s, rc),
                         ctx->s->runtime_classes,
                         G_STRUCT_OFFSET (KbRuntimeClassSpec, name));
        resolve_priorities (ctx, ynode_get (root, "priority_classes"));
        resolve_images (ctx);
    }
    ctx->s->workloads = own;
    if (read->len == 1 && ctx->n_errors == 0)
        *pod = g_ptr_array_steal_index (read, 0);
}

/* Sets error from the errors collected (sorted), "path: and N more"
 * past the limit. */
static void
set_load_error (LoadCtx *ctx, const char *path, GError **error)
{
    GString *msg = g_string_new (NULL);

    loader__sort_errors (ctx);
    for (guint i = 0; i < ctx->errors->len; i++)
        g_string_append_printf (msg, "%s%s", i ? "\n" : "",
                                ((LoadError *) g_ptr_array_index (
                                    ctx->errors, i))->text);
    if (ctx->n_errors > ctx->errors->len)
        g_string_append_printf (msg, "\n%s: and %u more errors", path,
                                ctx->n_errors - ctx->errors->len);
    g_set_error_literal (error, KB_SCENARIO_ERROR, KB_SCENARIO_ERROR_INVALID,
                         msg->str);
    g_string_free (msg, TRUE);
}

/* Reads the scenario in tree (which it takes) as the file path, and the
 * pod file pod_path into *pod when pod_path is not NULL. */
static Scenario *
load_tree (YTree *tree, const char *path, const char *const *overrides,
           const char *pod_path, KbWorkloadSpec **pod, GError **error)
{
    LoadCtx ctx = { 0 };
    g_autofree char *base_dir = g_path_get_dirname (path);
    YNode *root;
    Scenario *s;

    if (ytree_n_documents (tree) != 1
        || ytree_document (tree, 0)->kind != YNODE_MAPPING
        || ynode_len (ytree_document (tree, 0)) == 0) {
        g_set_error (error, KB_SCENARIO_ERROR, KB_SCENARIO_ERROR_INVALID,
                     "%s:1:1: %s", path, ytree_n_documents (tree) > 1
                     ? "a scenario is one YAML document; this file has "
                       "several (put Kubernetes objects in a manifest file "
                       "and reference it under workloads)"
                     : "expected a scenario: a mapping with name, "
                       "control_plane, node_pools and workloads");
        ytree_free (tree);
        return NULL;
    }
    root = ytree_document (tree, 0);
    s = kb_scenario_new ();
    s->file = g_strdup (path);
    s->source = ytree_steal_text (tree);
    ctx.s = s;
    ctx.errors = g_ptr_array_new_with_free_func (loader__error_free);
    ctx.trees = g_ptr_array_new_with_free_func ((GDestroyNotify) ytree_free);
    ctx.manifest_stack = g_ptr_array_new_with_free_func (g_free);
    ctx.image_refs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            image_ref_free);
    ctx.node_images = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             node_image_free);
    g_ptr_array_add (ctx.trees, tree);
    for (gsize i = 0; overrides && overrides[i]; i++)
        override_one (&ctx, tree, root, overrides[i]);
    read_top (&ctx, root, base_dir);
    /* References are checked even after other errors, so that one run
     * lists everything; every structure is complete, if wrong. */
    resolve (&ctx, root);
    if (pod_path != NULL && ctx.n_errors == 0)
        read_pod_file (&ctx, root, pod_path, pod);
    if (ctx.n_errors > 0) {
        set_load_error (&ctx, path, error);
        scenario_free (s);
        s = NULL;
    }
    g_ptr_array_unref (ctx.errors);
    g_ptr_array_unref (ctx.trees);
    g_ptr_array_unref (ctx.manifest_stack);
    g_hash_table_unref (ctx.image_refs);
    g_hash_table_unref (ctx.node_images);
    return s;
}
