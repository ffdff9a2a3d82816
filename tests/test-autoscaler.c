/* test-autoscaler.c: the cluster autoscaler against cluster-autoscaler
 * 1.31.
 *
 * History (issue 14, item 7): the autoscaler ignored the nodes it was
 * still provisioning, so every 10 s scan during a provision delay added
 * more (a pool of one m5.xlarge with six 1500m pods grew to its maximum
 * of 20 where two nodes were needed); it sized scale-ups by the ceiling
 * of summed requests, removed one node a scan, had no cool-down after a
 * scale-up, waited for ever for nodes that never registered, and said
 * "no node group can host it" where cluster-autoscaler counts each
 * group's reasons.
 *
 * Sizes by hand: an m5.xlarge has 3920m allocatable (4000m less the EKS
 * reservation of 80m), so it holds two pods of 1500m (3000m) but one of
 * 2500m.
 */
#include <string.h>

#include <glib.h>
#include <gsl/gsl_errno.h>

#include "models/cluster.h"
#include "models/run.h"
#include "scenarios/scenario.h"
#include "tests/support/testutil.h"

static void
collect (const ClusterEvent *ev, gpointer data)
{
    g_string_append_printf (data, "%s %s/%s: %s\n", ev->reason, ev->kind,
                            ev->object, ev->message);
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

static guint
count_of (const char *haystack, const char *needle)
{
    guint n = 0;

    for (const char *p = strstr (haystack, needle); p;
         p = strstr (p + 1, needle))
        n++;
    return n;
}

/* One m5.xlarge pool (min 1, max 20) and `replicas` pods of `cpu`. */
static Run *
one_pool (const char *cpu, int replicas, Scenario **s, GString *events)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: ca\n"
        "duration: 1h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 1, instance: m5.xlarge,"
        " autoscale: {min: 1, max: 20}}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: %d\n"
        "    template:\n"
        "      containers: [{name: a, image: nginx:1.27, resources:"
        " {requests: {cpu: %s}}}]\n", replicas, cpu);
    Run *run;

    *s = testutil_load_text (yaml);
    run = run_new (*s, 0, RUN_NO_SAMPLES);
    run_set_event_sink (run, collect, events);
    return run;
}

/* Six 1500m pods: two fit on the node there is, the four others need two
 * nodes at two a node; the scans during the 3 min provision delay see
 * the two upcoming nodes and add none. */
static void
test_upcoming_nodes (void)
{
    g_autoptr (GString) events = g_string_new (NULL);
    Scenario *s;
    Run *run = one_pool ("1500m", 6, &s, events);
    Cluster *c = run_cluster (run);

    g_test_summary ("pending pods pack onto upcoming nodes: one scale-up "
                    "of exactly the nodes needed");
    run_until (run, 100 * SIM_SEC);
    g_assert_cmpuint (count_of (events->str, "TriggeredScaleUp"), ==, 4);
    testutil_assert_contains (events->str, "pod triggered scale-up: [{lnx "
                              "1->3 (max: 20)}]");
    run_until (run, s->duration);
    g_assert_cmpint (ready_nodes (c, "lnx"), ==, 3);
    g_assert_cmpint (cluster_counters (c, KB_OS_LINUX)->phase[POD_RUNNING],
                     ==, 6);
    run_free (run);
    scenario_free (s);
}

/* Four 2500m pods: one on the node there is, three pending. First fit
 * puts one on each new node: three nodes. The ceiling of the summed
 * requests would say 7500 / 3920 -> 2. */
static void
test_binpacking (void)
{
    g_autoptr (GString) events = g_string_new (NULL);
    Scenario *s;
    Run *run = one_pool ("2500m", 4, &s, events);
    Cluster *c = run_cluster (run);

    g_test_summary ("the estimator packs first fit, not by summed requests");
    run_until (run, s->duration);
    testutil_assert_contains (events->str, "pod triggered scale-up: [{lnx "
                              "1->4 (max: 20)}]");
    g_assert_cmpuint (count_of (events->str, "TriggeredScaleUp"), ==, 3);
    g_assert_cmpint (ready_nodes (c, "lnx"), ==, 4);
    run_free (run);
    scenario_free (s);
}

/* The `work` pool grows at the 10 s scan (one pod of two fits), so that
 * scan does not scale down. The `idle` pool's four nodes are tainted,
 * nothing lands there, and they are unneeded from the 20 s scan. */
static Run *
idle_pool (const char *autoscaler, Scenario **s)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: ca-down\n"
        "duration: 1h\n"
        "control_plane: {version: \"1.31\"}\n"
        "autoscaler: {%s}\n"
        "node_pools:\n"
        "  - {name: work, os: linux, count: 1, instance: m5.xlarge,"
        " autoscale: {min: 1, max: 5}}\n"
        "  - {name: idle, os: linux, count: 4, instance: m5.xlarge,"
        " autoscale: {min: 1, max: 10}, taints: [{key: idle, value: \"y\","
        " effect: NoSchedule}]}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 2\n"
        "    template:\n"
        "      containers: [{name: a, image: nginx:1.27, resources:"
        " {requests: {cpu: \"3\"}}}]\n", autoscaler);

    *s = testutil_load_text (yaml);
    return run_new (*s, 0, RUN_NO_SAMPLES);
}

/* With the defaults the idle nodes are unneeded for 10 min at the
 * 10 min 20 s scan, which removes the three above min at once (the
 * cool-down after the 10 s scale-up ended at 10 min 10 s). With
 * scale_down_delay_after_add 20m they wait for the 20 min 10 s scan. */
static void
test_scale_down (void)
{
    Scenario *s;
    Run *run = idle_pool ("", &s);
    Cluster *c = run_cluster (run);

    g_test_summary ("empty nodes go in one scan once unneeded for 10 min; "
                    "none within scale-down-delay-after-add of a scale-up");
    run_until (run, 615 * SIM_SEC);
    g_assert_cmpint (ready_nodes (c, "work"), ==, 2);
    g_assert_cmpint (ready_nodes (c, "idle"), ==, 4);
    run_until (run, 625 * SIM_SEC);
    g_assert_cmpint (ready_nodes (c, "idle"), ==, 1);
    g_assert_cmpint (ready_nodes (c, "work"), ==, 2);
    run_free (run);
    scenario_free (s);

    run = idle_pool ("scale_down_delay_after_add: 20m", &s);
    c = run_cluster (run);
    run_until (run, 1205 * SIM_SEC);
    g_assert_cmpint (ready_nodes (c, "idle"), ==, 4);
    run_until (run, 1215 * SIM_SEC);
    g_assert_cmpint (ready_nodes (c, "idle"), ==, 1);
    run_free (run);
    scenario_free (s);
}

/* Windows nodes that take 20 min never register within the 15 min
 * max-node-provision-time: given up at 10 s + 15 min, the pool backed off
 * for 5 min, tried again at the 20 min 10 s scan; the slow node never
 * joins. */
static void
test_provision_timeout (void)
{
    g_autoptr (Scenario) s = testutil_load_text (
        "name: ca-slow\n"
        "duration: 1h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 1, instance: m5.xlarge}\n"
        "  - {name: win, os: windows, windows_build: ltsc2022, count: 1,"
        " instance: m5.xlarge, autoscale: {min: 1, max: 5,"
        " provision_delay: 20m}}\n"
        "workloads:\n"
        "  - name: iis\n"
        "    kind: Deployment\n"
        "    replicas: 2\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: a, image: mcr.microsoft.com/windows/"
        "nanoserver:ltsc2022, resources: {requests: {cpu: \"3\"}}}]\n");
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    g_autoptr (GString) events = g_string_new (NULL);

    g_test_summary ("nodes that do not register within "
                    "max-node-provision-time are given up and the pool "
                    "backs off");
    run_set_event_sink (run, collect, events);
    run_until (run, 15 * SIM_MINUTE + 5 * SIM_SEC);
    testutil_assert_lacks (events->str, "ScaleUpTimedOut");
    run_until (run, 20 * SIM_MINUTE + 5 * SIM_SEC);
    testutil_assert_contains (events->str, "ScaleUpTimedOut NodePool/win: "
                              "Nodes added to group win failed to register "
                              "within 15m0s");
    g_assert_cmpuint (count_of (events->str, "TriggeredScaleUp"), ==, 1);
    run_until (run, 20 * SIM_MINUTE + 30 * SIM_SEC);
    g_assert_cmpuint (count_of (events->str, "TriggeredScaleUp"), ==, 2);
    g_assert_cmpint (ready_nodes (c, "win"), ==, 1);
    run_free (run);
}

/* A Windows pod pending while the Windows pool is at its max: each Linux
 * pool rejects it on its selector, the Windows pool is at max. */
static void
test_not_triggered (void)
{
    g_autoptr (Scenario) s = testutil_load_text (
        "name: ca-none\n"
        "duration: 5m\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx-a, os: linux, count: 1, instance: m5.xlarge,"
        " autoscale: {min: 1, max: 3}}\n"
        "  - {name: lnx-b, os: linux, count: 1, instance: m5.xlarge,"
        " autoscale: {min: 1, max: 3}}\n"
        "  - {name: win, os: windows, windows_build: ltsc2022, count: 1,"
        " instance: m5.xlarge, autoscale: {min: 1, max: 1}}\n"
        "workloads:\n"
        "  - name: iis\n"
        "    kind: Deployment\n"
        "    replicas: 2\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: a, image: mcr.microsoft.com/windows/"
        "nanoserver:ltsc2022, resources: {requests: {cpu: \"3\"}}}]\n");
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    g_autoptr (GString) events = g_string_new (NULL);

    g_test_summary ("NotTriggerScaleUp counts each node group's reasons");
    run_set_event_sink (run, collect, events);
    run_until (run, s->duration);
    testutil_assert_contains (events->str, "NotTriggerScaleUp Pod/iis-");
    testutil_assert_contains (events->str, ": pod didn't trigger scale-up: "
                              "2 node(s) didn't match Pod's node "
                              "affinity/selector, 1 max node group size "
                              "reached\n");
    testutil_assert_lacks (events->str, "TriggeredScaleUp Pod");
    run_free (run);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/autoscaler/upcoming-nodes", test_upcoming_nodes);
    g_test_add_func ("/autoscaler/binpacking", test_binpacking);
    g_test_add_func ("/autoscaler/scale-down", test_scale_down);
    g_test_add_func ("/autoscaler/provision-timeout", test_provision_timeout);
    g_test_add_func ("/autoscaler/not-triggered", test_not_triggered);
    return g_test_run ();
}
