/* describe.c: the one-screen summary of a scenario (`kbsim validate`).
 *
 * Tables are laid out for an 80-column terminal; long names are cut with
 * an ellipsis rather than pushing columns out of line.
 */
#include "scenarios/scenario.h"

#include <string.h>

#include "sim/units.h"

static char *
fit (const char *s, gsize width)
{
    if (g_utf8_strlen (s, -1) <= (glong) width)
        return g_strdup (s);
    {
        g_autofree char *cut = g_utf8_substring (s, 0, (glong) width - 1);

        return g_strconcat (cut, "…", NULL);
    }
}

/* Word-wraps text to width columns, each line indented by two spaces. */
static char *
wrap (const char *text, guint width)
{
    g_auto (GStrv) words = g_strsplit_set (text, " \n", -1);
    GString *out = g_string_new ("  ");
    guint col = 2;

    for (guint i = 0; words[i]; i++) {
        guint len = (guint) g_utf8_strlen (words[i], -1);

        if (len == 0)
            continue;
        if (col > 2 && col + 1 + len > width) {
            g_string_append (out, "\n  ");
            col = 2;
        } else if (col > 2) {
            g_string_append_c (out, ' ');
            col++;
        }
        g_string_append (out, words[i]);
        col += len;
    }
    g_string_append_c (out, '\n');
    return g_string_free (out, FALSE);
}

static char *
pool_build (const KbPoolSpec *p)
{
    if (p->os != KB_OS_WINDOWS)
        return g_strdup ("-");
    return platform_win_version_format (&p->windows_build);
}

static void
describe_pools (GString *out, const Scenario *s)
{
    gint64 nodes = 0;
    double per_hour = 0;

    for (guint i = 0; i < s->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (s->pools, i);

        nodes += p->count;
        per_hour += p->count * (p->price_per_hour
                                + p->windows_surcharge_per_hour)
                    * p->discount;
    }
    g_string_append_printf (out, "\nNode pools: %u, %" G_GINT64_FORMAT
                            " nodes, %.2f %s/hour\n", s->pools->len, nodes,
                            per_hour, s->cost.currency);
    g_string_append_printf (out, "  %-16s %-7s %-11s %-7s %5s %-16s %5s %8s "
                            "%4s\n", "NAME", "OS", "BUILD", "KUBELET",
                            "COUNT", "INSTANCE", "CPU", "MEMORY", "PODS");
    for (guint i = 0; i < s->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (s->pools, i);
        g_autofree char *name = fit (p->name, 16);
        g_autofree char *build = pool_build (p);
        g_autofree char *kubelet = platform_kube_version_format (&p->kubelet);
        g_autofree char *inst = fit (p->instance ? p->instance : "-", 16);
        g_autofree char *mem = g_strdup_printf (
            "%.1fGi", (double) p->memory / (1024.0 * 1024 * 1024));
        g_autofree char *count = NULL;

        if (p->autoscale.enabled)
            count = g_strdup_printf ("%" G_GINT64_FORMAT "*", p->count);
        else
            count = g_strdup_printf ("%" G_GINT64_FORMAT, p->count);
        g_string_append_printf (out, "  %-16s %-7s %-11s %-7s %5s %-16s %5.1f "
                                "%8s %4" G_GINT64_FORMAT "\n", name,
                                platform_os_name (p->os), build, kubelet,
                                count, inst, p->cpu / 1000.0, mem,
                                p->max_pods);
    }
    for (guint i = 0; i < s->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (s->pools, i);

        if (p->autoscale.enabled)
            g_string_append_printf (out, "  * %s autoscales from %"
                                    G_GINT64_FORMAT " to %" G_GINT64_FORMAT
                                    " nodes\n", p->name, p->autoscale.min,
                                    p->autoscale.max);
    }
}

static char *
manifest_platforms (const KbImageSpec *img)
{
    GString *g = g_string_new (NULL);

    for (guint i = 0; i < img->manifests->len; i++) {
        const KbManifestSpec *m = g_ptr_array_index (img->manifests, i);

        g_string_append_printf (g, "%s%s/%s", i ? ", " : "",
                                platform_os_name (m->os),
                                platform_arch_name (m->arch));
        if (m->has_os_version)
            g_string_append_printf (g, " %u", m->os_version.build);
    }
    return g_string_free (g, FALSE);
}

static void
describe_images (GString *out, const Scenario *s)
{
    g_string_append_printf (out, "\nImages: %u\n", s->images->len);
    for (guint i = 0; i < s->images->len; i++) {
        const KbImageSpec *img = g_ptr_array_index (s->images, i);
        const KbManifestSpec *m0 = g_ptr_array_index (img->manifests, 0);
        g_autofree char *name = fit (img->name, 52);
        g_autofree char *plat = manifest_platforms (img);
        g_autofree char *size = units_format_bytes (m0 ? m0->size : 0);

        g_string_append_printf (out, "  %-52s %9s%s\n    %s%s\n", name, size,
                                img->from_catalog ? "  (catalogue)" : "",
                                plat, img->is_index ? ""
                                                    : "  (single manifest)");
    }
}

/* Each registry's link: what limits one node's pulls from it, and what
 * all nodes' pulls share. */
static void
describe_registries (GString *out, const Scenario *s)
{
    g_string_append_printf (out, "\nRegistries: %u\n", s->registries->len);
    for (guint i = 0; i < s->registries->len; i++) {
        const KbRegistrySpec *r = g_ptr_array_index (s->registries, i);
        g_autofree char *per = units_format_bytes (
            (gint64) r->per_node_bandwidth);
        g_autofree char *agg = units_format_bytes (
            (gint64) r->aggregate_bandwidth);
        g_autofree char *node = r->per_node_bandwidth > 0
            ? g_strdup_printf ("%s/s per node", per)
            : g_strdup ("each node at its network_bandwidth");
        g_autofree char *all = r->aggregate_bandwidth > 0
            ? g_strdup_printf ("%s/s shared by all nodes%s%s%s", agg,
                               r->tier ? " (ACR " : "",
                               scenario_registry_tier_name (r->tier),
                               r->tier ? ")" : "")
            : g_strdup ("no aggregate cap");

        g_string_append_printf (out, "  %-20s %s; %s\n", r->name, node, all);
    }
}

static char *
workload_size (const KbWorkloadSpec *w)
{
    switch (w->kind) {
    case KB_WORKLOAD_DAEMONSET:
        return g_strdup ("1 per node");
    case KB_WORKLOAD_JOB:
        if (w->arrivals != KB_ARRIVALS_NONE)
            return g_strdup_printf ("%.4g/h", w->rate * 3600);
        return g_strdup_printf ("%" G_GINT64_FORMAT " pods", w->completions);
    case KB_WORKLOAD_CRONJOB:
        return g_strdup_printf ("at %s", w->schedule ? w->schedule : "?");
    case KB_WORKLOAD_POD:
        return g_strdup ("1 pod");
    default:
        return g_strdup_printf ("%" G_GINT64_FORMAT " replicas", w->replicas);
    }
}

static char *
workload_placement (const KbPodTemplate *t)
{
    GString *g = g_string_new (NULL);

    for (guint i = 0; i < t->node_selector->len; i++) {
        const KbLabel *l = g_ptr_array_index (t->node_selector, i);
        const char *key = strcmp (l->key, "kubernetes.io/os") == 0 ? "os"
                                                                  : l->key;

        g_string_append_printf (g, "%s%s=%s", i ? ", " : "", key, l->value);
    }
    if (t->required_terms->len)
        g_string_append_printf (g, "%saffinity", g->len ? ", " : "");
    if (t->runtime_class)
        g_string_append_printf (g, "%sruntimeClass %s", g->len ? ", " : "",
                                t->runtime_class);
    if (t->tolerations->len)
        g_string_append_printf (g, "%s%u toleration%s", g->len ? ", " : "",
                                t->tolerations->len,
                                t->tolerations->len > 1 ? "s" : "");
    if (t->node_name)
        g_string_append_printf (g, "%snodeName %s", g->len ? ", " : "",
                                t->node_name);
    if (g->len == 0)
        g_string_append (g, "anywhere");
    return g_string_free (g, FALSE);
}

/* A CronJob's line: where it lives, its zone and policy. */
static void
describe_cronjob (GString *out, const KbWorkloadSpec *w)
{
    static const char *const policies[] = { "Allow", "Forbid", "Replace" };

    if (w->kind != KB_WORKLOAD_CRONJOB)
        return;
    g_string_append_printf (out, "    %s, concurrencyPolicy %s",
                            w->time_zone ? w->time_zone
                                         : "the control plane's time zone",
                            policies[w->concurrency]);
    if (w->starting_deadline >= 0) {
        g_autofree char *d = sim_time_format_short (w->starting_deadline);

        g_string_append_printf (out, ", startingDeadline %s", d);
    }
    g_string_append_printf (out, "%s\n", w->suspend ? ", suspended" : "");
}

static void
describe_workloads (GString *out, const Scenario *s)
{
    g_string_append_printf (out, "\nWorkloads: %u\n", s->workloads->len);
    for (guint i = 0; i < s->workloads->len; i++) {
        const KbWorkloadSpec *w = g_ptr_array_index (s->workloads, i);
        g_autofree char *full = strcmp (w->namespace, "default")
            ? g_strdup_printf ("%s/%s", w->namespace, w->name)
            : g_strdup (w->name);
        g_autofree char *name = fit (full, 22);
        g_autofree char *size = workload_size (w);
        g_autofree char *where = workload_placement (w->template);
        const KbContainerSpec *c = w->template->containers->len
            ? g_ptr_array_index (w->template->containers, 0) : NULL;
        g_autofree char *image = fit (c ? c->image : "-", 60);

        g_string_append_printf (out, "  %-22s %-11s %-12s %s\n    %s\n", name,
                                scenario_workload_kind_name (w->kind), size,
                                where, image);
        describe_cronjob (out, w);
        if ((w->kind == KB_WORKLOAD_JOB || w->kind == KB_WORKLOAD_CRONJOB)
            && !w->has_duration)
            g_string_append_printf (out, "    note: no kbsim.io/duration, so "
                                    "this %s's pods run until the simulation "
                                    "stops\n",
                                    scenario_workload_kind_name (w->kind));
    }
}

static void
describe_events (GString *out, const Scenario *s)
{
    if (s->events->len == 0)
        return;
    g_string_append_printf (out, "\nEvents: %u\n", s->events->len);
    for (guint i = 0; i < s->events->len; i++) {
        const KbEventSpec *e = g_ptr_array_index (s->events, i);
        char at[SIM_TIME_FORMAT_SIZE];
        const char *target = e->pool ? e->pool : e->registry ? e->registry
                             : e->workload ? e->workload : e->node ? e->node
                             : "";
        g_autofree char *detail = NULL;

        if (e->has_windows_build)
            detail = platform_win_version_format (&e->windows_build);
        else if (e->has_version)
            detail = platform_kube_version_format (&e->version);
        g_string_append_printf (out, "  %-16s %-22s %s%s%s\n",
                                sim_time_format (e->at, at),
                                scenario_event_action_name (e->action),
                                target, detail ? " -> " : "",
                                detail ? detail : "");
    }
}

static void
describe_list (GString *out, const char *title, const GPtrArray *list,
               guint max)
{
    if (list->len == 0)
        return;
    g_string_append_printf (out, "\n%s: %u\n", title, list->len);
    for (guint i = 0; i < list->len && i < max; i++)
        g_string_append_printf (out, "  %s\n",
                                (char *) g_ptr_array_index (list, i));
    if (list->len > max)
        g_string_append_printf (out, "  ... and %u more\n", list->len - max);
}

/* A developer's desktop: the machine, its engines, the projects. */
static void
describe_dev_host (GString *out, const Scenario *s)
{
    static const char *const editions[] = { "Home", "Pro", "Enterprise",
                                            "Education" };
    const KbDevHostSpec *h = s->dev_host;
    const char *name = platform_win_build_name (h->build.build);

    g_string_append_printf (out, "\nDeveloper machine: %s (%u.%u.%u) %s, %s; "
                            "Docker Desktop with the %s daemon active\n",
                            name ? name : "Windows", h->build.major,
                            h->build.minor, h->build.build,
                            editions[h->edition], platform_arch_name (h->arch),
                            h->daemon == KB_OS_WINDOWS ? "Windows" : "Linux");
    for (guint i = 0; i < h->wsl->len; i++)
        g_string_append_printf (out, "  WSL distribution %s with its own "
                                "Linux engine\n",
                                (char *) g_ptr_array_index (h->wsl, i));
    g_string_append_printf (out, "\nCompose projects: %u\n", s->compose->len);
    for (guint i = 0; i < s->compose->len; i++) {
        const KbComposeSpec *c = g_ptr_array_index (s->compose, i);

        g_string_append_printf (out, "  %s on %s: %u service%s\n", c->name,
                                c->engine, c->services->len,
                                c->services->len == 1 ? "" : "s");
        for (guint j = 0; j < c->services->len; j++) {
            const KbServiceSpec *sv = g_ptr_array_index (c->services, j);

            g_string_append_printf (out, "    %-16s %s%s%s\n", sv->name,
                                    sv->image, sv->platform ? "  platform "
                                                            : "",
                                    sv->platform ? sv->platform : "");
        }
    }
}

char *
scenario_describe (const Scenario *s)
{
    GString *out = g_string_new (NULL);
    g_autofree char *cp = platform_kube_version_format (
        &s->control_plane.version);
    char dur[SIM_TIME_FORMAT_SIZE];

    g_string_append_printf (out, "%s: %s\n", s->file, s->name);
    if (s->description[0]) {
        g_autofree char *wrapped = wrap (s->description, 76);

        g_string_append (out, wrapped);
    }
    if (s->dev_host != NULL) {
        describe_dev_host (out, s);
        describe_images (out, s);
        describe_list (out, "Accepted but not simulated", s->ignored_fields,
                       12);
        return g_string_free (out, FALSE);
    }
    g_string_append_printf (out, "  seed %" G_GUINT64_FORMAT ", duration %s\n"
                            "\nControl plane: Kubernetes %s on Linux, %"
                            G_GINT64_FORMAT " nodes, skew policy %s\n",
                            s->seed, sim_time_format (s->duration, dur), cp,
                            s->control_plane.nodes,
                            s->control_plane.skew_policy == KB_SKEW_ENFORCE
                                ? "enforce" : "warn");
    describe_pools (out, s);
    describe_registries (out, s);
    describe_images (out, s);
    describe_workloads (out, s);
    describe_events (out, s);
    if (s->failures->len)
        g_string_append_printf (out, "\nNode failures: %u rule%s\n",
                                s->failures->len,
                                s->failures->len > 1 ? "s" : "");
    describe_list (out, "Accepted but not simulated", s->ignored_fields, 12);
    describe_list (out, "Warnings", s->warnings, 20);
    describe_list (out, "Defaults used", s->defaults_used, 20);
    describe_list (out, "Deprecated", s->deprecated, 20);
    return g_string_free (out, FALSE);
}
