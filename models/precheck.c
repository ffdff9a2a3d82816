/* precheck.c: the pods that no node count can place (see precheck.h). */
#include "models/precheck.h"

#include <string.h>

#include "models/filter.h"
#include "models/image.h"
#include "models/model-private.h"

static void
finding_free (gpointer p)
{
    PrecheckFinding *f = p;

    g_free (f->workload);
    g_free (f->why);
    g_free (f->fix);
    g_free (f);
}

/* The Windows builds pool p has during the run: its own, then each one an
 * upgrade_pool event gives it, without repeats. */
static GArray *
pool_builds (const Scenario *s, const KbPoolSpec *p)
{
    GArray *b = g_array_new (FALSE, FALSE, sizeof (WinVersion));

    g_array_append_val (b, p->windows_build);
    for (guint i = 0; p->os == KB_OS_WINDOWS && i < s->events->len; i++) {
        const KbEventSpec *ev = g_ptr_array_index (s->events, i);
        gboolean seen = FALSE;

        if (ev->action != KB_EVENT_UPGRADE_POOL || !ev->has_windows_build
            || g_strcmp0 (ev->pool, p->name) != 0)
            continue;
        for (guint k = 0; k < b->len; k++)
            seen |= memcmp (&g_array_index (b, WinVersion, k),
                            &ev->windows_build, sizeof (WinVersion)) == 0;
        if (!seen)
            g_array_append_val (b, ev->windows_build);
    }
    return b;
}

/* An empty node of pool p as it is in build *build: the pool's labels
 * with the build label the upgrade writes (dynamics.c, reimage). */
static void
pool_node (const KbPoolSpec *p, const WinVersion *build, Node *n,
           GPtrArray *labels, GArray *ports)
{
    for (guint i = 0; i < p->labels->len; i++) {
        const KbLabel *l = g_ptr_array_index (p->labels, i);

        kb_labels_set (labels, l->key, l->value);
    }
    if (p->os == KB_OS_WINDOWS
        && kb_labels_get (labels, "node.kubernetes.io/windows-build")) {
        g_autofree char *v = g_strdup_printf ("%u.%u.%u", build->major,
                                              build->minor, build->build);

        kb_labels_set (labels, "node.kubernetes.io/windows-build", v);
    }
    memset (n, 0, sizeof *n);
    n->spec = p;
    n->name = (char *) p->name;
    n->os = p->os;
    n->arch = p->arch;
    n->build = *build;
    n->labels = labels;
    n->taints = p->taints;
    n->alloc_cpu = p->cpu;
    n->alloc_mem = p->memory;
    n->max_pods = p->max_pods;
    n->state = NODE_READY;
    n->host_ports = ports;
}

/* What stops the image of one container on node n, or NULL. */
static char *
image_stop (Cluster *c, const KbContainerSpec *ct, const Node *n,
            gboolean host_process)
{
    const KbImageSpec *img = cluster__image (c, ct->image);
    g_autofree char *host = NULL;
    ImageChoice ch;

    if (img == NULL)
        return NULL;
    ch = image_select (img, n->os, n->arch, &n->build, host_process);
    if (ch.verdict == IMAGE_OK)
        return NULL;
    host = n->os == KB_OS_WINDOWS
           ? platform_win_version_format (&n->build)
           : g_strdup (platform_arch_name (n->arch));
    switch (ch.verdict) {
    case IMAGE_NO_MATCH:
        return g_strdup_printf ("image %s has no entry for %s %s (the pull "
                                "fails: no match for platform in manifest)",
                                img->name, platform_os_name (n->os), host);
    case IMAGE_WRONG_OS:
        return g_strdup_printf ("image %s is a single %s manifest (the "
                                "container cannot be created on %s)",
                                img->name,
                                platform_os_name (ch.manifest->os),
                                platform_os_name (n->os));
    default:
        return g_strdup_printf ("image %s is a single manifest of another "
                                "Windows build than %s (the container "
                                "fails to start)", img->name, host);
    }
}

/* What stops the pods of w on node n, or NULL when they can run there. */
static char *
node_stop (Cluster *c, const Workload *w, const FilterPod *sp,
           const KbRuntimeClassSpec *rc, const Node *n, gboolean *by_image)
{
    const KbPodTemplate *t = w->tmpl;
    FilterResult r = filter_node (sp, n);
    const GPtrArray *lists[2] = { t->init_containers, t->containers };

    *by_image = FALSE;
    if (r.code != FILTER_OK) {
        g_autoptr (GPtrArray) why = g_ptr_array_new_with_free_func (g_free);
        g_autofree char *joined = NULL;

        filter_reasons (&r, &c->cp_version, why);
        g_ptr_array_add (why, NULL);
        joined = g_strjoinv ("; ", (char **) why->pdata);
        return g_strdup_printf ("the scheduler: %s", joined);
    }
    /* Hyper-V isolation: the runtime has no such handler (kubelet.c,
     * handler_unsupported). */
    if (rc && strstr (rc->handler, "hypervisor"))
        return g_strdup_printf ("RuntimeClass %s: no runtime for \"%s\" is "
                                "configured", rc->name, rc->handler);
    for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
        for (guint i = 0; lists[l] && i < lists[l]->len; i++) {
            char *why = image_stop (c, g_ptr_array_index (lists[l], i), n,
                                    t->host_process);

            if (why) {
                *by_image = TRUE;
                return why;
            }
        }
    return NULL;
}

/* The finding for w, or NULL when some pool runs its pods in some build. */
static PrecheckFinding *
check_workload (Cluster *c, const Workload *w)
{
    const Scenario *s = c->s;
    const KbRuntimeClassSpec *rc = w->tmpl->runtime_class
        ? scenario_find_runtime_class (s, w->tmpl->runtime_class) : NULL;
    g_autoptr (GString) why = g_string_new (NULL);
    gboolean any_image = FALSE;
    PrecheckFinding *f;
    FilterPod sp;
    gint64 cpu, mem;

    cluster__pod_requests (w->tmpl, &cpu, &mem);
    filter_pod_init (&sp, w->tmpl, rc, cpu, mem, NULL);
    for (guint p = 0; p < s->pools->len; p++) {
        const KbPoolSpec *ps = g_ptr_array_index (s->pools, p);
        g_autoptr (GArray) builds = pool_builds (s, ps);

        for (guint b = 0; b < builds->len; b++) {
            g_autoptr (GPtrArray) labels = kb_labels_new ();
            g_autoptr (GArray) ports = g_array_new (FALSE, FALSE,
                                                    sizeof (guint16));
            g_autofree char *stop = NULL;
            gboolean by_image;
            Node n;

            pool_node (ps, &g_array_index (builds, WinVersion, b), &n,
                       labels, ports);
            stop = node_stop (c, w, &sp, rc, &n, &by_image);
            if (stop == NULL) {
                filter_pod_clear (&sp);
                return NULL;
            }
            any_image |= by_image;
            if (b == 0 || by_image) {
                g_autofree char *bv = platform_win_version_format (
                    &g_array_index (builds, WinVersion, b));

                g_string_append_printf (why, "%s%s%s%s: %s",
                                        why->len ? "; " : "", ps->name,
                                        builds->len > 1 ? " at " : "",
                                        builds->len > 1 ? bv : "", stop);
            }
        }
    }
    filter_pod_clear (&sp);
    f = g_new0 (PrecheckFinding, 1);
    f->workload = g_strdup (w->spec->name);
    f->os = w->os;
    f->why = g_strdup (why->len ? why->str : "the scenario has no pools");
    f->fix = g_strdup (
        s->pools->len == 0 ? "Add a pool."
        : any_image ? "Publish the image as an index with an entry for "
                      "the OS and build of a pool that accepts the pods, "
                      "or add a pool of the build it was made for."
        : "Fix the template (its selectors, tolerations, requests or "
          "RuntimeClass) or add a pool it accepts.");
    return f;
}

GPtrArray *
precheck_unplaceable (Cluster *c)
{
    GPtrArray *out = g_ptr_array_new_with_free_func (finding_free);

    for (guint i = 0; i < c->workloads->len; i++) {
        const Workload *w = g_ptr_array_index (c->workloads, i);
        PrecheckFinding *f;

        if (w->api_rejected || w->spec->kind == KB_WORKLOAD_DAEMONSET)
            continue;
        if ((f = check_workload (c, w)) != NULL)
            g_ptr_array_add (out, f);
    }
    return out;
}
