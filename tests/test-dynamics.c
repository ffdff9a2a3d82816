/* test-dynamics.c: upgrades, outages, failures, skew and cost over whole
 * runs. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "models/cluster.h"
#include "models/cost.h"
#include "models/metrics.h"
#include "models/run.h"
#include "scenarios/scenario.h"
#include "tests/support/testutil.h"

/* Collects events into a string for assertions. */
static void
collect (const ClusterEvent *ev, gpointer data)
{
    g_string_append_printf (data, "%s %s/%s: %s\n", ev->reason, ev->kind,
                            ev->object, ev->message);
}

static void
count_live (Cluster *c, const char *workload, gint64 *running,
            gint64 *waiting, const char **status)
{
    GPtrArray *pods = cluster_pods (c);

    *running = *waiting = 0;
    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);

        if (p == NULL || strcmp (p->workload->spec->name, workload) != 0)
            continue;
        if (p->phase == POD_RUNNING)
            (*running)++;
        if (p->phase == POD_PENDING) {
            (*waiting)++;
            *status = cluster_pod_status (p);
        }
    }
}

/* A Windows pool moves from 17763 to 20348 while an app's image has only
 * a 17763 entry (as an index): after the upgrade its pods cannot pull.
 * With a multi-build index they survive by pulling the 20348 entry. */
static void
run_upgrade (gboolean multi_build, gint64 *running, gint64 *waiting,
             const char **status)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: upgrade\n"
        "duration: 6h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 1, instance: m5.xlarge}\n"
        "  - {name: win, os: windows, windows_build: ltsc2019, count: 3,"
        " instance: m5.xlarge}\n"
        "images:\n"
        "  - name: contoso/app:1\n"
        "    manifests:\n"
        "      - {os: windows, arch: amd64, os_version: 10.0.17763.1, size:"
        " 300MB}\n"
        "%s"
        "workloads:\n"
        "  - name: app\n"
        "    kind: Deployment\n"
        "    replicas: 6\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: app, image: contoso/app:1, resources:"
        " {requests: {cpu: 200m}}}]\n"
        "events:\n"
        "  - {at: 1h, action: upgrade_pool, pool: win, windows_build:"
        " ltsc2022, max_unavailable: 1, per_node: 10m}\n",
        multi_build ? "      - {os: windows, arch: amd64, os_version:"
                      " 10.0.20348.1, size: 320MB}\n" : "");
    g_autoptr (Scenario) s = testutil_load_text (yaml);
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    GString *events = g_string_new (NULL);

    run_set_event_sink (run, collect, events);
    run_until (run, 50 * SIM_MINUTE);
    count_live (c, "app", running, waiting, status);
    g_assert_cmpint (*running, ==, 6);      /* all fine before */
    run_until (run, s->duration);
    testutil_assert_contains (events->str, "UpgradeComplete");
    g_assert_true (cluster_check_conservation (c));
    count_live (c, "app", running, waiting, status);
    g_string_free (events, TRUE);
    run_free (run);
}

static gint64 ready_nodes (Cluster *c, const char *pool);

static gint64
listed_nodes (Cluster *c)
{
    gint64 n = 0;

    for (guint i = 0; i < cluster_nodes (c)->len; i++)
        n += ((Node *) g_ptr_array_index (cluster_nodes (c), i))->state
             != NODE_GONE;
    return n;
}

static void
test_upgrade_surge (void)
{
    Scenario *s = testutil_load_text (
        "name: surge\n"
        "duration: 4h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, kubelet: \"1.30\", count: 3, instance:"
        " m5.xlarge}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 3\n"
        "    template:\n"
        "      containers: [{name: a, image: nginx:1.27, resources:"
        " {requests: {cpu: \"3\"}}}]\n"
        "events:\n"
        "  - {at: 1h, action: upgrade_pool, pool: lnx, kubelet: \"1.31\","
        " max_surge: 1, max_unavailable: 1, per_node: 10m}\n");
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    gint64 min_running = G_MAXINT64, max_nodes = 0, running, waiting;
    const char *status = NULL;

    g_test_summary ("with max_surge 1 a surge node on the new version keeps "
                    "every replica running through the upgrade, then "
                    "leaves");
    for (SimTime t = SIM_HOUR + SIM_MINUTE; t <= s->duration;
         t += SIM_MINUTE) {
        run_until (run, t);
        if (t < 3 * SIM_HOUR) {
            count_live (c, "web", &running, &waiting, &status);
            /* Allow the minutes a moved pod needs to start again. */
            min_running = MIN (min_running, running);
        }
        max_nodes = MAX (max_nodes, listed_nodes (c));
    }
    g_assert_cmpint (max_nodes, ==, 4);
    g_assert_cmpint (ready_nodes (c, "lnx"), ==, 3);
    count_live (c, "web", &running, &waiting, &status);
    g_assert_cmpint (running, ==, 3);
    g_assert_cmpint (min_running, >=, 2);
    for (guint i = 0; i < cluster_nodes (c)->len; i++) {
        const Node *n = g_ptr_array_index (cluster_nodes (c), i);

        if (n->state == NODE_READY)
            g_assert_cmpuint (n->kubelet.minor, ==, 31);
    }
    run_free (run);
    scenario_free (s);
}

static void
test_upgrade_single_build (void)
{
    gint64 running, waiting;
    const char *status = NULL;

    g_test_summary ("after a 17763 -> 20348 pool upgrade, an ltsc2019-only "
                    "image index can no longer be pulled");
    run_upgrade (FALSE, &running, &waiting, &status);
    g_assert_cmpint (running, ==, 0);
    g_assert_cmpint (waiting, ==, 6);
    g_assert_cmpstr (status, ==, "ImagePullBackOff");
}

static void
test_upgrade_multi_build (void)
{
    gint64 running, waiting;
    const char *status = NULL;

    g_test_summary ("with a multi-build image index the pods survive the "
                    "upgrade by pulling the matching entry");
    run_upgrade (TRUE, &running, &waiting, &status);
    g_assert_cmpint (running, ==, 6);
    g_assert_cmpint (waiting, ==, 0);
}

static void
test_control_plane_skew (void)
{
    static const char *const policies[] = { "enforce", "warn" };

    g_test_summary ("a control-plane upgrade that would leave a kubelet four "
                    "minors behind is refused with kubeadm's message, or "
                    "allowed with a warning");
    for (int i = 0; i < 2; i++) {
        g_autofree char *yaml = g_strdup_printf (
            "name: skew\n"
            "duration: 2h\n"
            "control_plane: {version: \"1.30\", skew_policy: %s}\n"
            "node_pools:\n"
            "  - {name: old, os: linux, kubelet: \"1.27\", count: 1,"
            " instance: m5.xlarge}\n"
            "events:\n"
            "  - {at: 1h, action: upgrade_control_plane, version: \"1.31\"}\n",
            policies[i]);
        g_autoptr (Scenario) s = testutil_load_text (yaml);
        Run *run = run_new (s, 0, RUN_NO_SAMPLES);
        GString *events = g_string_new (NULL);

        run_set_event_sink (run, collect, events);
        run_until (run, s->duration);
        testutil_assert_contains (events->str, "Kubelet version \"1.27.0\" "
                                  "is lower than kubadm can support. Please "
                                  "upgrade kubelet");
        testutil_assert_contains (events->str, i == 0 ? "UpgradeRefused"
                                                      : "Upgraded");
        testutil_assert_lacks (events->str, i == 0 ? "Upgraded "
                                                   : "UpgradeRefused");
        g_string_free (events, TRUE);
        run_free (run);
    }
}

static void
test_registry_outage (void)
{
    g_autoptr (Scenario) s = testutil_load_text (
        "name: outage\n"
        "duration: 3h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 2, instance: m5.xlarge,"
        " prepulled_images: [registry.k8s.io/pause:3.10]}\n"
        "registries:\n"
        "  - {name: hub, host: docker.io, bandwidth: 50MB/s}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 2\n"
        "    template:\n"
        "      containers: [{name: web, image: nginx:1.27}]\n"
        "events:\n"
        "  - {at: 0s, action: registry_outage, registry: hub, for: 1h}\n");
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    gint64 running, waiting;
    const char *status = NULL;

    g_test_summary ("pulls fail with ErrImagePull (a resolve timeout, not "
                    "RegistryUnavailable) during an outage and succeed "
                    "after it, through the pull back-off");
    run_until (run, 30 * SIM_MINUTE);
    count_live (c, "web", &running, &waiting, &status);
    g_assert_cmpint (running, ==, 0);
    g_assert_cmpint (waiting, ==, 2);
    run_until (run, s->duration);
    count_live (c, "web", &running, &waiting, &status);
    g_assert_cmpint (running, ==, 2);
    run_free (run);
}

static void
test_node_failure_eviction (void)
{
    g_autoptr (Scenario) s = testutil_load_text (
        "name: failure\n"
        "duration: 2h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 3, instance: m5.xlarge}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 6\n"
        "    template:\n"
        "      containers: [{name: web, image: nginx:1.27, resources:"
        " {requests: {cpu: 100m}}}]\n"
        "events:\n"
        "  - {at: 30m, action: node_failure, node: lnx-0}\n");
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    Node *dead = g_ptr_array_index (cluster_nodes (c), 0);
    gint64 running, waiting, on_dead;
    const char *status = NULL;

    g_test_summary ("pods on a failed node are deleted 40 s + 300 s after "
                    "the failure and replaced on the other nodes");
    run_until (run, 29 * SIM_MINUTE);
    on_dead = dead->n_pods;
    g_assert_cmpint (on_dead, >, 0);
    run_until (run, 34 * SIM_MINUTE);     /* 4 min after: still bound */
    g_assert_cmpint (dead->n_pods, ==, on_dead);
    run_until (run, 36 * SIM_MINUTE);     /* 6 min after: deleted */
    g_assert_cmpint (dead->n_pods, ==, 0);
    run_until (run, s->duration);
    count_live (c, "web", &running, &waiting, &status);
    g_assert_cmpint (running, ==, 6);
    g_assert_cmpint (cluster_counters (c, KB_OS_LINUX)->phase[POD_FAILED], ==,
                     on_dead);
    g_assert_true (cluster_check_conservation (c));
    run_free (run);
}

/* mtbf 10 h, mttr 2 h over 50 nodes and 1000 days: about 100,000 cycles.
 * The fraction of node-time down estimates mttr / (mtbf + mttr) = 1/6; its
 * standard error (renewal-reward, exponential up and down times) is about
 * 0.0007 here, so 0.004 is more than 5 standard errors. */
static void
test_failure_fraction (void)
{
    g_autoptr (Scenario) s = testutil_load_text (
        "name: mtbf\n"
        "seed: 9\n"
        "duration: 1000d\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 50, instance: m5.xlarge}\n"
        "failures:\n"
        "  nodes: {mtbf: 10h, mttr: 2h}\n"
        "metrics: {sample_every: 100d}\n");
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    GPtrArray *nodes;
    double down = 0, total = 0;

    g_test_summary ("random node failures: the long-run fraction of "
                    "node-time down matches mttr / (mtbf + mttr)");
    run_until (run, s->duration);
    nodes = cluster_nodes (c);
    for (guint i = 0; i < nodes->len; i++) {
        const Node *n = g_ptr_array_index (nodes, i);
        SimTime d = n->down_total;

        if (n->down_since >= 0)
            d += s->duration - n->down_since;
        down += sim_time_to_seconds (d);
        total += sim_time_to_seconds (s->duration);
    }
    g_test_message ("fraction down %.5f, expected %.5f", down / total,
                    1.0 / 6);
    g_assert_cmpfloat (fabs (down / total - 1.0 / 6), <, 0.004);
    run_free (run);
}

/* Two pools for ten hours, one Linux node added at 5 h (joining 3 min
 * later), images baked in so nothing is pulled:
 *   Linux  m5.xlarge 2 x 0.192 x 10     = 3.8400
 *   Linux  added node 0.192 x 4.95      = 0.9504
 *   Windows m5.xlarge (0.192 + 4 x 0.046) x 10 = 3.7600, licence 1.8400
 *   control plane 0.10 x 10             = 1.0000
 *   total                               = 9.5504 */
static void
test_cost (void)
{
    g_autoptr (Scenario) s = testutil_load_text (
        "name: cost\n"
        "duration: 10h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 2, instance: m5.xlarge,"
        " prepulled_images: [registry.k8s.io/pause:3.10, nginx:1.27]}\n"
        "  - {name: win, os: windows, windows_build: ltsc2022, count: 1,"
        " instance: m5.xlarge, prepulled_images: [registry.k8s.io/pause:3.10]}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 2\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: linux}\n"
        "      containers: [{name: web, image: nginx:1.27, resources:"
        " {requests: {cpu: \"1\"}}}]\n"
        "events:\n"
        "  - {at: 5h, action: scale_pool, pool: lnx, count: 3}\n"
        "cost: {control_plane_per_hour: 0.10, egress_per_gb: 0.09}\n");
    g_autoptr (Run) run = run_new (s, 0, RUN_FLAGS_NONE);
    const CostReport *r;

    g_test_summary ("a hand-computed two-pool run matches to the cent; the "
                    "surcharge applies only to Windows; partial hours are "
                    "billed for their part");
    run_execute (run);
    r = run_cost (run);
    g_assert_cmpfloat_with_epsilon (r->by_pool[0], 3.84 + 0.9504, 0.005);
    g_assert_cmpfloat_with_epsilon (r->by_pool[1], 3.76, 0.005);
    g_assert_cmpfloat_with_epsilon (r->windows_licence, 1.84, 0.005);
    g_assert_cmpfloat_with_epsilon (r->by_os[KB_OS_LINUX], 4.7904, 0.005);
    g_assert_cmpfloat_with_epsilon (r->control_plane, 1.0, 0.005);
    g_assert_cmpfloat (r->egress, ==, 0);
    g_assert_cmpfloat_with_epsilon (r->total, 9.5504, 0.005);
    /* Attribution: two pods of 1 cpu on 3.92-cpu nodes for ~10 h each. */
    g_assert_cmpfloat (r->by_workload[0], >, 0);
    g_assert_cmpfloat_with_epsilon (r->by_workload[0] + r->idle, r->nodes,
                                    1e-9);
}

static gint64
ready_nodes (Cluster *c, const char *pool)
{
    GPtrArray *nodes = cluster_nodes (c);
    gint64 n = 0;

    for (guint i = 0; i < nodes->len; i++) {
        const Node *node = g_ptr_array_index (nodes, i);

        n += node->state == NODE_READY
             && strcmp (node->spec->name, pool) == 0;
    }
    return n;
}

static void
test_autoscaler_barrier (void)
{
    Scenario *s = testutil_load_text (
        "name: ca\n"
        "duration: 2h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 1, instance: m5.xlarge,"
        " autoscale: {min: 1, max: 10}}\n"
        "  - {name: win, os: windows, windows_build: ltsc2022, count: 1,"
        " instance: m5.xlarge, autoscale: {min: 1, max: 10,"
        " provision_delay: 8m}}\n"
        "workloads:\n"
        "  - name: iis\n"
        "    kind: Deployment\n"
        "    replicas: 12\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: a, image: mcr.microsoft.com/windows/"
        "nanoserver:ltsc2022, resources: {requests: {cpu: \"1\"}}}]\n");
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    GString *events = g_string_new (NULL);
    gint64 running, waiting;
    const char *status = NULL;

    g_test_summary ("unschedulable Windows pods grow the Windows pool, never "
                    "the Linux one");
    run_set_event_sink (run, collect, events);
    run_until (run, s->duration);
    count_live (c, "iis", &running, &waiting, &status);
    g_assert_cmpint (running, ==, 12);
    g_assert_cmpint (ready_nodes (c, "lnx"), ==, 1);
    /* 12 pods of 1 cpu on nodes of 3.92 allocatable: 3 a node. */
    g_assert_cmpint (ready_nodes (c, "win"), ==, 4);
    testutil_assert_contains (events->str, "pod triggered scale-up: [{win "
                              "1->4 (max: 10)}]");
    g_string_free (events, TRUE);
    run_free (run);
    scenario_free (s);
}

static void
test_autoscaler_scale_down (void)
{
    Scenario *s = testutil_load_text (
        "name: ca-down\n"
        "duration: 2h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 5, instance: m5.xlarge,"
        " autoscale: {min: 1, max: 10}}\n"
        "  - {name: idle, os: linux, count: 4, instance: m5.xlarge,"
        " autoscale: {min: 2, max: 10}, taints: [{key: idle, value: \"y\","
        " effect: NoSchedule}]}\n"
        "workloads:\n"
        "  - name: small\n"
        "    kind: Deployment\n"
        "    template:\n"
        "      containers: [{name: a, image: nginx:1.27, resources:"
        " {requests: {cpu: \"1\"}}}]\n"
        "  - name: big\n"
        "    kind: Deployment\n"
        "    template:\n"
        "      containers: [{name: a, image: nginx:1.27, resources:"
        " {requests: {cpu: \"3\"}}}]\n");
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    gint64 running, waiting;
    const char *status = NULL;

    g_test_summary ("scale-down removes idle nodes down to min, never a "
                    "node whose pods cannot move");
    run_until (run, s->duration);
    /* Two nodes remain although min is 1: the node running `small` (25%
     * requested) cannot be emptied, `big`'s node has no room for it. The
     * idle pool stops at its min of 2. */
    g_assert_cmpint (ready_nodes (c, "lnx"), ==, 2);
    g_assert_cmpint (ready_nodes (c, "idle"), ==, 2);
    count_live (c, "small", &running, &waiting, &status);
    g_assert_cmpint (running, ==, 1);
    count_live (c, "big", &running, &waiting, &status);
    g_assert_cmpint (running, ==, 1);
    run_free (run);
    scenario_free (s);
}

/* A rollout to a rebuilt image that shares the servercore layers: only
 * the new top layer is pulled; the update completes with no fewer than
 * replicas - maxUnavailable pods running; a rollout to an image with no
 * entry for the nodes' build stalls and keeps the old pods. */
static void
run_rollout (const char *to, gint64 *pulled, gint64 *running_new,
             gint64 *running_old, gint64 *min_running, guint *new_nodes)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: rollout\n"
        "duration: 3h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 1, instance: m5.xlarge}\n"
        "  - {name: win, os: windows, windows_build: ltsc2022, count: 2,"
        " instance: m5.2xlarge}\n"
        "images:\n"
        "  - name: contoso/app:1\n"
        "    manifests: [{os: windows, arch: amd64, os_version: 10.0.20348.1,"
        " layers: [{digest: base, size: 1.5GB}, {digest: app1, size: 50MB}]}]\n"
        "  - name: contoso/app:2\n"
        "    manifests: [{os: windows, arch: amd64, os_version: 10.0.20348.1,"
        " layers: [{digest: base, size: 1.5GB}, {digest: app2, size: 60MB}]}]\n"
        "  - name: contoso/app:3\n"
        "    manifests: [{os: windows, arch: amd64, os_version: 10.0.17763.1,"
        " size: 1GB}]\n"
        "workloads:\n"
        "  - name: app\n"
        "    kind: Deployment\n"
        "    replicas: 4\n"
        "    max_surge: 1\n"
        "    max_unavailable: 1\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: app, image: contoso/app:1}]\n"
        "events:\n"
        "  - {at: 1h, action: rollout, workload: app, image: %s}\n", to);
    Scenario *s = testutil_load_text (yaml);
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);

    run_until (run, SIM_HOUR);
    *min_running = G_MAXINT64;
    for (SimTime t = SIM_HOUR; t <= s->duration; t += 10 * SIM_SEC) {
        run_until (run, t);
        *min_running = MIN (*min_running, cluster_counters (
            c, KB_OS_WINDOWS)->phase[POD_RUNNING]);
    }
    *running_new = *running_old = 0;
    for (guint i = 0; i < cluster_pods (c)->len; i++) {
        const Pod *p = g_ptr_array_index (cluster_pods (c), i);
        const KbContainerSpec *ct = g_ptr_array_index (p->tmpl->containers,
                                                       0);

        if (p->phase != POD_RUNNING)
            continue;
        if (strcmp (ct->image, "docker.io/contoso/app:1") == 0)
            (*running_old)++;
        else
            (*running_new)++;
    }
    *pulled = cluster_pulled_bytes (c, KB_OS_WINDOWS);
    *new_nodes = 0;
    for (guint i = 0; i < cluster_nodes (c)->len; i++)
        *new_nodes += cluster_node_has_image (
            g_ptr_array_index (cluster_nodes (c), i),
            cluster_intern (c, "docker.io/contoso/app:2"));
    g_assert_true (cluster_check_conservation (c));
    run_free (run);
    scenario_free (s);
}

static void
test_rollout (void)
{
    gint64 pulled, new_run, old_run, min_run, pulled_v1_only;
    guint nodes;

    g_test_summary ("a rollout pulls only changed layers, keeps replicas - "
                    "maxUnavailable running, and stalls on an image the "
                    "nodes cannot run");
    run_rollout ("contoso/app:1", &pulled_v1_only, &new_run, &old_run,
                 &min_run, &nodes);
    run_rollout ("contoso/app:2", &pulled, &new_run, &old_run, &min_run,
                 &nodes);
    g_assert_cmpint (new_run, ==, 4);
    g_assert_cmpint (old_run, ==, 0);
    g_assert_cmpint (min_run, >=, 3);
    /* Each node the new pods landed on pulled the 60 MB top layer, and
     * nothing else new. */
    g_assert_cmpuint (nodes, >=, 1);
    g_assert_cmpint (pulled - pulled_v1_only, ==, nodes * 60000000);
    run_rollout ("contoso/app:3", &pulled, &new_run, &old_run, &min_run,
                 &nodes);
    g_assert_cmpint (new_run, ==, 0);
    g_assert_cmpint (old_run, >=, 3);
}

static void
test_skew_warnings_and_flaky_pulls (void)
{
    Scenario *s = testutil_load_text (
        "name: warn\n"
        "duration: 2h\n"
        "control_plane: {version: \"1.35\"}\n"
        "node_pools:\n"
        "  - {name: old, os: windows, windows_build: ltsc2019, kubelet:"
        " \"1.31\", count: 2, instance: m5.xlarge}\n"
        "  - {name: lnx, os: linux, count: 2, instance: m5.xlarge}\n"
        "registries:\n"
        "  - {name: hub, host: docker.io, pull_failure_probability: 0.5}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 8\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: linux}\n"
        "      containers: [{name: a, image: nginx:1.27}]\n");
    Run *run = run_new (s, 0, RUN_FLAGS_NONE);
    Cluster *c = run_cluster (run);
    const RunSummary *sum;
    gint64 running, waiting;
    const char *status = NULL;
    gboolean flaky = FALSE;

    g_test_summary ("nodes outside the skew policy and Windows builds the "
                    "release does not support are flagged; pulls that fail "
                    "by chance are retried until they succeed");
    run_execute (run);
    sum = run_summary (run);
    g_assert_cmpuint (sum->warnings->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (sum->warnings, 0), ==,
                     "old: 2 node(s) outside the version-skew policy: "
                     "kubelet 1.31 is 4 minor versions older than the API "
                     "server 1.35; the policy allows 3");
    testutil_assert_contains (g_ptr_array_index (sum->warnings, 1),
                              "does not support as a node OS");
    for (guint i = 0; i < sum->reasons->len; i++)
        flaky |= strstr (((SummaryReason *) g_ptr_array_index (
                             sum->reasons, i))->example,
                         "unexpected EOF") != NULL;
    g_assert_true (flaky);
    count_live (c, "web", &running, &waiting, &status);
    g_assert_cmpint (running, ==, 8);
    run_free (run);
    scenario_free (s);
}

static void
test_unsupported_nodes (void)
{
    Scenario *s = testutil_load_text (
        "name: unsupported\n"
        "duration: 20h\n"
        "control_plane: {version: \"1.31\", unsupported_node:"
        " {ready_probability: 0, pod_failure_rate: 0.5}}\n"
        "node_pools:\n"
        "  - {name: ok, os: linux, count: 1, instance: m5.xlarge}\n"
        "  - {name: old, os: linux, kubelet: \"1.27\", count: 1,"
        " instance: m5.xlarge}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 2\n"
        "    template:\n"
        "      containers: [{name: a, image: nginx:1.27}]\n");
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    Node *old = g_ptr_array_index (cluster_nodes (c), 1);
    gint64 running, waiting;
    const char *status = NULL;
    g_autoptr (GString) events = g_string_new (NULL);

    g_test_summary ("a node outside the skew policy follows "
                    "unsupported_node: with ready_probability 0 it is "
                    "NotReady and its pods move away; a sink attached "
                    "after run_new() sees the t=0 UnsupportedSkew");
    run_set_event_sink (run, collect, events);
    g_assert_false (old->unsupported);  /* nothing happens before t=0 */
    run_until (run, s->duration);
    testutil_assert_contains (events->str, "UnsupportedSkew Node/old-0: ");
    g_assert_true (old->unsupported);
    g_assert_cmpint (old->state, ==, NODE_NOT_READY);
    g_assert_cmpint (old->n_pods, ==, 0);
    count_live (c, "web", &running, &waiting, &status);
    g_assert_cmpint (running, ==, 2);
    run_free (run);
    scenario_free (s);

    s = testutil_load_text (
        "name: unsupported-pods\n"
        "duration: 40h\n"
        "control_plane: {version: \"1.31\", unsupported_node:"
        " {ready_probability: 1, pod_failure_rate: 0.5}}\n"
        "node_pools:\n"
        "  - {name: old, os: linux, kubelet: \"1.27\", count: 1,"
        " instance: m5.xlarge}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 1\n"
        "    template:\n"
        "      containers: [{name: a, image: nginx:1.27}]\n");
    run = run_new (s, 0, RUN_NO_SAMPLES);
    c = run_cluster (run);
    run_until (run, s->duration);
    /* At 0.5 failures a pod-hour over 40 hours, about 20 failures; fewer
     * than 5 has probability below 1e-5. */
    g_assert_cmpint (cluster_counters (c, KB_OS_LINUX)->phase[POD_FAILED],
                     >=, 5);
    g_assert_true (cluster_check_conservation (c));
    run_free (run);
    scenario_free (s);
}

/* Two pools alike but for their price: least-waste cannot tell them
 * apart and keeps the first; price grows the cheaper one. */
static gint64
grown_pool (const char *expander, const char *pool)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: expander\n"
        "duration: 1h\n"
        "control_plane: {version: \"1.31\"}\n"
        "autoscaler: {expander: %s}\n"
        "node_pools:\n"
        "  - {name: dear, os: linux, count: 1, cpu: \"4\", memory: 16Gi,"
        " price_per_hour: 1.0, autoscale: {min: 1, max: 5}}\n"
        "  - {name: cheap, os: linux, count: 1, cpu: \"4\", memory: 16Gi,"
        " price_per_hour: 0.5, autoscale: {min: 1, max: 5}}\n"
        "workloads:\n"
        "  - name: w\n"
        "    kind: Deployment\n"
        "    replicas: 6\n"
        "    template:\n"
        "      containers: [{name: a, image: nginx:1.27, resources:"
        " {requests: {cpu: \"2\", memory: 8Gi}}}]\n", expander);
    Scenario *s = testutil_load_text (yaml);
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    GPtrArray *nodes;
    gint64 n = 0;

    run_until (run, s->duration);
    nodes = cluster_nodes (c);
    for (guint i = 0; i < nodes->len; i++) {
        const Node *node = g_ptr_array_index (nodes, i);

        n += node->state == NODE_READY
             && strcmp (node->spec->name, pool) == 0;
    }
    run_free (run);
    scenario_free (s);
    return n;
}

static void
test_pull_delay (void)
{
    Scenario *s = testutil_load_text (
        "name: slow\n"
        "duration: 2h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 1, instance: m5.xlarge,"
        " prepulled_images: [registry.k8s.io/pause:3.10]}\n"
        "registries:\n"
        "  - {name: hub, host: docker.io, pull_delay: {dist: uniform, min:"
        " 10m, max: 20m}}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Pod\n"
        "    template:\n"
        "      containers: [{name: a, image: nginx:1.27}]\n");
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    const Pod *p;

    g_test_summary ("a registry's pull_delay distribution delays each pull");
    run_until (run, s->duration);
    p = g_ptr_array_index (cluster_pods (c), 0);
    g_assert_cmpint (p->running, >=, 10 * SIM_MINUTE);
    g_assert_cmpint (p->running, <=, 21 * SIM_MINUTE);
    run_free (run);
    scenario_free (s);
}

static void
test_expander_price (void)
{
    g_test_summary ("the price expander grows the cheaper of two otherwise "
                    "equal pools; least-waste keeps the first");
    /* 6 pods of 2 cpu: 4 fit on the two nodes, 2 wait for one node. */
    g_assert_cmpint (grown_pool ("price", "cheap"), ==, 2);
    g_assert_cmpint (grown_pool ("price", "dear"), ==, 1);
    g_assert_cmpint (grown_pool ("least-waste", "dear"), ==, 2);
    g_assert_cmpint (grown_pool ("least-waste", "cheap"), ==, 1);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/dynamics/upgrade/single-build",
                     test_upgrade_single_build);
    g_test_add_func ("/dynamics/upgrade/surge", test_upgrade_surge);
    g_test_add_func ("/dynamics/upgrade/multi-build",
                     test_upgrade_multi_build);
    g_test_add_func ("/dynamics/control-plane/skew", test_control_plane_skew);
    g_test_add_func ("/dynamics/registry-outage", test_registry_outage);
    g_test_add_func ("/dynamics/node-failure/eviction",
                     test_node_failure_eviction);
    g_test_add_func ("/dynamics/node-failure/fraction", test_failure_fraction);
    g_test_add_func ("/dynamics/cost", test_cost);
    g_test_add_func ("/dynamics/rollout", test_rollout);
    g_test_add_func ("/dynamics/skew/unsupported-nodes",
                     test_unsupported_nodes);
    g_test_add_func ("/dynamics/pull-delay", test_pull_delay);
    g_test_add_func ("/dynamics/autoscaler/expander-price",
                     test_expander_price);
    g_test_add_func ("/dynamics/skew-warnings-and-flaky-pulls",
                     test_skew_warnings_and_flaky_pulls);
    g_test_add_func ("/dynamics/autoscaler/barrier", test_autoscaler_barrier);
    g_test_add_func ("/dynamics/autoscaler/scale-down",
                     test_autoscaler_scale_down);
    return g_test_run ();
}
