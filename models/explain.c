/* explain.c: see explain.h. Built only from the model's own state and the
 * same rules the simulation applies (filters, image choice, skew). */
#include "models/explain.h"

#include <string.h>

#include "models/image.h"
#include "models/model-private.h"
#include "models/skew.h"

const Pod *
explain_find_pod (const Cluster *c, const char *name)
{
    for (guint i = 0; i < c->pods->len; i++) {
        const Pod *p = g_ptr_array_index (c->pods, i);

        if (p && strcmp (p->name, name) == 0)
            return p;
    }
    return NULL;
}

static void
describe_header (GString *out, Cluster *c, const Pod *pod)
{
    char t[SIM_TIME_FORMAT_SIZE];

    g_string_append_printf (out, "Name:         %s\n", pod->name);
    g_string_append_printf (out, "Namespace:    %s\n",
                            pod->workload->spec->namespace);
    if (pod->job)               /* a CronJob's pod: its Job owns it */
        g_string_append_printf (out, "Controlled By: Job/%s\n",
                                pod->job->name);
    else
        g_string_append_printf (out, "Controlled By: %s/%s\n",
                                scenario_workload_kind_name (
                                    pod->workload->spec->kind),
                                pod->workload->spec->name);
    g_string_append_printf (out, "Node:         %s\n",
                            pod->node ? pod->node->name : "<none>");
    g_string_append_printf (out, "Created:      %s\n",
                            sim_time_format (pod->created, t));
    g_string_append_printf (out, "Status:       %s\n",
                            cluster_phase_name (pod->phase));
    if (pod->phase == POD_PENDING)
        g_string_append_printf (out, "  Reason:     %s\n",
                                cluster_pod_status (pod));
    if (pod->message)
        g_string_append_printf (out, "  Message:    %s\n", pod->message);
    /* The CRI's record of the last failed start (containerd
     * container_start.go: StartError, 128). */
    if (pod->phase == POD_PENDING && pod->start_error)
        g_string_append_printf (out, "Last State:   Terminated\n"
                                "  Reason:     StartError\n"
                                "  Exit Code:  128\n"
                                "  Message:    %s\n"
                                "Restart Count: %u\n", pod->start_error,
                                pod->start_failures - 1);
    g_string_append_printf (out, "Conditions:\n  PodScheduled   %s\n"
                            "  Ready          %s\n",
                            pod->node ? "True" : "False",
                            pod->phase == POD_RUNNING ? "True" : "False");
    (void) c;
}

static void
describe_events (GString *out, Cluster *c, const GPtrArray *events)
{
    SimTime now = sim_engine_now (c->engine);
    guint first = events->len > 12 ? events->len - 12 : 0;

    int width = 17;                 /* kubectl's columns grow to fit */

    for (guint i = first; i < events->len; i++) {
        g_auto (GStrv) f = g_strsplit (g_ptr_array_index (events, i), "\t",
                                       4);
        width = MAX (width, (int) strlen (f[2]));
    }
    g_string_append_printf (out, "Events:\n  Type     %-*s Age     Message\n"
                            "  ----     %-*s ----    -------\n",
                            width, "Reason", width, "------");
    if (events->len == 0)
        g_string_append (out, "  <none>\n");
    if (first > 0)
        g_string_append_printf (out, "  (%u earlier events not shown)\n",
                                first);
    for (guint i = first; i < events->len; i++) {
        g_auto (GStrv) f = g_strsplit (g_ptr_array_index (events, i), "\t",
                                       4);
        SimTime at = g_ascii_strtoll (f[0], NULL, 10);
        g_autofree char *age = sim_time_format_short (now - at);

        g_string_append_printf (out, "  %-8s %-*s %-7s %s\n", f[1], width,
                                f[2], age, f[3]);
    }
}

static const char *
filter_words (const FilterResult *r)
{
    switch (r->code) {
    case FILTER_NODE_UNSCHEDULABLE:
        return "the nodes are cordoned (NodeUnschedulable)";
    case FILTER_NODE_NAME:
        return "spec.nodeName names another node (NodeName)";
    case FILTER_TAINT:
        return "a taint the pod does not tolerate (TaintToleration)";
    case FILTER_NODE_AFFINITY:
        return "labels do not match the pod's nodeSelector or affinity "
               "(NodeAffinity)";
    case FILTER_NODE_PORTS:
        return "a host port is taken (NodePorts)";
    case FILTER_RESOURCES:
        return "not enough free cpu, memory or pod slots "
               "(NodeResourcesFit)";
    case FILTER_SPREAD:
        return "too many matching pods in its domain for the pod's "
               "topologySpreadConstraints (PodTopologySpread)";
    case FILTER_SPREAD_LABEL:
        return "no label for a topologySpreadConstraints key "
               "(PodTopologySpread)";
    default:
        return "fits";
    }
}

/* Why no node fits: one line per pool, with the first filter it fails
 * for this pod on its first Ready node. */
static void
why_unscheduled (GString *out, Cluster *c, const Pod *pod)
{
    const FilterPod *sp = sched__view (c, pod);

    g_string_append (out, "\nWhy: no node passes the scheduler's filters. "
                     "Per pool, the first filter its nodes fail:\n");
    for (guint p = 0; p < c->s->pools->len; p++) {
        const KbPoolSpec *pool = g_ptr_array_index (c->s->pools, p);
        const Node *node = NULL;
        FilterResult r;

        for (guint i = 0; i < c->nodes->len && node == NULL; i++) {
            const Node *n = g_ptr_array_index (c->nodes, i);

            if (n->pool == p && n->state != NODE_GONE)
                node = n;
        }
        if (node == NULL) {
            g_string_append_printf (out, "  %-18s no nodes\n", pool->name);
            continue;
        }
        r = filter_node (sp, node);
        g_string_append_printf (out, "  %-18s %-8s %s", pool->name,
                                platform_os_name (pool->os),
                                filter_words (&r));
        if (r.code == FILTER_TAINT && r.taint)
            g_string_append_printf (out, ": {%s: %s} %s", r.taint->key,
                                    r.taint->value,
                                    scenario_taint_effect_name (
                                        r.taint->effect));
        g_string_append_c (out, '\n');
    }
    g_string_append (out, "\nFix: give the pod a toleration for the taint "
                     "of the pool it should run on (for Windows pools "
                     "usually os=windows:NoSchedule), a nodeSelector that "
                     "pool's labels match (kubernetes.io/os, "
                     "node.kubernetes.io/windows-build), or more room in "
                     "that pool.\n");
}

/* Whether anything actually blocks a bound pod: an image that cannot
 * run here, or a sandbox that cannot start. */
static gboolean
blocked (Cluster *c, const Pod *pod)
{
    if (pod->reason == POD_REASON_CREATE_POD_SANDBOX_ERROR
        || cluster_pod_column (pod) == POD_COL_BACKOFF)
        return TRUE;
    for (guint k = 0; k < pod->tmpl->containers->len; k++) {
        const KbContainerSpec *ct = g_ptr_array_index (pod->tmpl->containers,
                                                       k);
        ImageChoice ch = image_select (cluster__image (c, ct->image),
                                       pod->node->os, pod->node->arch,
                                       &pod->node->build,
                                       pod->tmpl->host_process);

        if (ch.verdict != IMAGE_OK)
            return TRUE;
    }
    return FALSE;
}

/* The entries of an image against a node, one line each. */
static void
list_entries (GString *out, const KbImageSpec *img, const Node *node,
              gboolean host_process)
{
    g_string_append_printf (out, "  Image %s is %s with %u entr%s:\n",
                            img->name, img->is_index ? "an image index"
                            : "a single manifest", img->manifests->len,
                            img->manifests->len == 1 ? "y" : "ies");
    for (guint i = 0; i < img->manifests->len; i++) {
        gboolean fits;
        g_autofree char *v = image_entry_verdict (
            g_ptr_array_index (img->manifests, i), node->os, node->arch,
            &node->build, host_process, &fits);

        g_string_append_printf (out, "    %s %s\n", fits ? "[fits]  "
                                : "[no]    ", v);
    }
}

/* The sandbox fails before any image of the pod matters: either the
 * RuntimeClass names a handler the node has no runtime for (Hyper-V;
 * facts section 3) or the node's pause image has no entry for its build. */
static void
why_no_sandbox (GString *out, Cluster *c, const Pod *pod, const char *host)
{
    const Node *node = pod->node;
    const KbImageSpec *pause = cluster__image (c, node->spec->sandbox_image);

    if (pod->message && strstr (pod->message, "no runtime for")) {
        g_string_append_printf (out, "  Its RuntimeClass %s names a handler "
                                "the node's containerd has no runtime for: "
                                "Kubernetes supports only process isolation "
                                "on Windows, so the pod sandbox cannot "
                                "start.\n\nFix: drop runtimeClassName, or "
                                "use a RuntimeClass whose handler is the "
                                "node's default (process-isolated) runtime; "
                                "and make the image match the node's build "
                                "instead of relying on Hyper-V.\n",
                                pod->tmpl->runtime_class);
        return;
    }
    g_string_append (out, "  The pod sandbox (pause) image cannot run on "
                     "this host:\n");
    if (pause)
        list_entries (out, pause, node, FALSE);
    g_string_append_printf (out, "\nFix: configure the node's runtime with a "
                            "pause image that has an entry for %s%s (the "
                            "multi-platform registry.k8s.io/pause does).\n",
                            host ? "build " : "", host ? host
                            : platform_os_name (node->os));
}

static void
why_stuck (GString *out, Cluster *c, const Pod *pod)
{
    if (!blocked (c, pod)) {
        g_string_append_printf (out, "\nNothing blocks it: its node %s can "
                                "run its images; it is pulling them or "
                                "starting its containers (Windows images "
                                "are large: see `kbsim run`'s pull "
                                "figures).\n", pod->node->name);
        return;
    }
    const Node *node = pod->node;
    g_autofree char *host = node->os == KB_OS_WINDOWS
        ? platform_win_version_format (&node->build) : NULL;
    const char *name = node->os == KB_OS_WINDOWS
        ? platform_win_build_name (node->build.build) : NULL;

    g_string_append_printf (out, "\nWhy: the pod is bound to %s, a %s node%s"
                            "%s%s%s%s, and cannot start there.\n",
                            node->name, platform_os_name (node->os),
                            host ? " (" : "", name ? name : "",
                            host && name ? ", build " : "", host ? host : "",
                            host ? ")" : "");
    if (pod->reason == POD_REASON_CREATE_POD_SANDBOX_ERROR) {
        why_no_sandbox (out, c, pod, host);
        return;
    }
    for (guint k = 0; k < pod->tmpl->containers->len; k++) {
        const KbContainerSpec *ct = g_ptr_array_index (pod->tmpl->containers,
                                                       k);
        const KbImageSpec *img = cluster__image (c, ct->image);
        ImageChoice ch = image_select (img, node->os, node->arch,
                                       &node->build, pod->tmpl->host_process);

        list_entries (out, img, node, pod->tmpl->host_process);
        if (ch.verdict == IMAGE_NO_MATCH)
            g_string_append (out, "  containerd chooses only among the "
                             "index's entries and none fits this host, so "
                             "the pull fails: \"no match for platform in "
                             "manifest\" (ErrImagePull, then "
                             "ImagePullBackOff).\n");
        else if (ch.verdict == IMAGE_WRONG_BUILD)
            g_string_append (out, "  A single manifest is pulled whatever "
                             "its build, and the container is created; its "
                             "task then fails to start, as HCS refuses a "
                             "container OS that does not match the host's "
                             "(RunContainerError, then CrashLoopBackOff on "
                             "the container restart back-off).\n");
        else if (ch.verdict == IMAGE_WRONG_OS)
            g_string_append (out, "  A single manifest is pulled whatever "
                             "its platform; the container then fails at "
                             "create (CreateContainerError).\n");
    }
    if (pod->os != node->os && node->os == KB_OS_WINDOWS)
        g_string_append_printf (out, "\nFix: keep the pod off Windows nodes: "
                                "nodeSelector kubernetes.io/os: %s, or taint "
                                "the Windows nodes (os=windows:NoSchedule) so "
                                "that only pods that tolerate it land "
                                "there.\n", platform_os_name (pod->os));
    else if (pod->os != node->os)
        g_string_append_printf (out, "\nFix: send the pod to %s nodes: "
                                "nodeSelector kubernetes.io/os: %s (and the "
                                "toleration of their taint, if they have "
                                "one).\n", platform_os_name (pod->os),
                                platform_os_name (pod->os));
    else if (node->os == KB_OS_WINDOWS)
        g_string_append_printf (out, "\nFix: rebuild the image for build %s "
                                "and publish a multi-build image index (one "
                                "entry per Windows build), or pin the pod to "
                                "nodes of the image's build with nodeSelector "
                                "node.kubernetes.io/windows-build (or a "
                                "RuntimeClass that sets it).\n", host);
}

char *
explain_pod (Cluster *c, const Pod *pod, const GPtrArray *events)
{
    GString *out = g_string_new (NULL);

    describe_header (out, c, pod);
    describe_events (out, c, events);
    if (pod->phase == POD_PENDING && pod->node == NULL)
        why_unscheduled (out, c, pod);
    else if (pod->phase == POD_PENDING && pod->node)
        why_stuck (out, c, pod);
    else if (pod->phase == POD_RUNNING)
        g_string_append (out, "\nThe pod is Running: its node's OS and "
                         "build match an entry of its images.\n");
    return g_string_free (out, FALSE);
}

char *
explain_node (Cluster *c, const Node *node)
{
    GString *out = g_string_new (NULL);
    g_autofree char *k = platform_kube_version_format (&node->kubelet);
    g_autofree char *cp = platform_kube_version_format (&c->cp_version);
    g_autofree char *skew = skew_describe (
        skew_kubelet (&c->cp_version, &node->kubelet), "kubelet",
        &c->cp_version, &node->kubelet);

    g_string_append_printf (out, "Name:         %s\nPool:         %s\n"
                            "OS:           %s/%s\n", node->name,
                            node->spec->name, platform_os_name (node->os),
                            platform_arch_name (node->arch));
    if (node->os == KB_OS_WINDOWS) {
        g_autofree char *b = platform_win_version_format (&node->build);
        const char *n = platform_win_build_name (node->build.build);

        g_string_append_printf (out, "Build:        %s%s%s%s\n", b,
                                n ? " (" : "", n ? n : "", n ? ")" : "");
    }
    g_string_append_printf (out, "Kubelet:      %s (control plane %s): %s\n",
                            k, cp, skew);
    g_string_append_printf (out, "State:        %s%s\n",
                            node->state == NODE_READY ? "Ready"
                            : node->state == NODE_GONE ? "Removed"
                                                       : "NotReady",
                            node->unschedulable ? ", SchedulingDisabled"
                                                : "");
    g_string_append_printf (out, "Allocated:    cpu %" G_GINT64_FORMAT
                            "m of %" G_GINT64_FORMAT "m, pods %"
                            G_GINT64_FORMAT " of %" G_GINT64_FORMAT "\n",
                            node->req_cpu, node->alloc_cpu, node->n_pods,
                            node->max_pods);
    g_string_append (out, "Pods:\n");
    for (guint i = 0; i < node->pods->len; i++) {
        const Pod *p = g_ptr_array_index (node->pods, i);

        g_string_append_printf (out, "  %-32s %s\n", p->name,
                                cluster_pod_status (p));
    }
    g_string_append (out, "Images:\n");
    for (guint i = 0; i < node->images->len; i++)
        g_string_append_printf (out, "  %s\n",
                                (char *) node->images->pdata[i]);
    return g_string_free (out, FALSE);
}
