/* test-outage.c: node outages as the node lifecycle controller and the
 * taint manager handle them, and drains.
 *
 * History (issue 14, items 3, 5 and 6): kbsim tainted a failed node at
 * once, evicted every pod after 300 s (DaemonSet pods too), and deleted
 * every pod still bound when the node came back ("the node restarted"),
 * so a blip of seconds replaced pods and re-pulled their images; drained
 * pods counted as Failed. Kubernetes waits node-monitor-grace-period
 * (40 s before 1.32) before it taints a silent node, gives pods 300 s
 * from then (DefaultTolerationSeconds), never evicts DaemonSet pods (their
 * NoExecute tolerations have no tolerationSeconds), keeps the pods of a
 * node that returns in time (they restart in place), and a drain deletes
 * pods through the Eviction API, skipping DaemonSet pods.
 */
#include <string.h>

#include <glib.h>
#include <gsl/gsl_errno.h>

#include "models/cluster.h"
#include "models/metrics.h"
#include "models/run.h"
#include "scenarios/scenario.h"
#include "tests/support/testutil.h"

static void
collect (const ClusterEvent *ev, gpointer data)
{
    g_string_append_printf (data, "%s %s/%s: %s\n", ev->reason, ev->kind,
                            ev->object, ev->message);
}

/* Two m5.xlarge nodes with four web pods and a DaemonSet, lnx-0 failing
 * at 10 min for `outage`; nothing baked in, so a pod started on a node
 * without its image pulls. */
static Scenario *
outage_scenario (const char *outage, const char *version,
                 const char *extra_cp)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: outage\n"
        "duration: 1h\n"
        "control_plane: {version: \"%s\"%s}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, kubelet: \"%s\", count: 2, instance:"
        " m5.xlarge}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 4\n"
        "    template:\n"
        "      containers: [{name: web, image: nginx:1.27, resources:"
        " {requests: {cpu: 100m}}}]\n"
        "  - name: agent\n"
        "    kind: DaemonSet\n"
        "    template:\n"
        "      containers: [{name: a, image: registry.k8s.io/pause:3.10}]\n"
        "events:\n"
        "  - {at: 10m, action: node_failure, node: lnx-0, for: %s}\n",
        version, extra_cp, version, outage);

    return testutil_load_text (yaml);
}

/* The pods bound to the node now (transfer container). */
static GPtrArray *
bound (const Node *n)
{
    return g_ptr_array_copy (n->pods, NULL, NULL);
}

static gboolean
still_bound (const GPtrArray *pods, const Node *n)
{
    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);

        if (p->node != n || p->deleted || p->phase != POD_RUNNING)
            return FALSE;
    }
    return TRUE;
}

static const Pod *
daemon_pod (const GPtrArray *pods)
{
    for (guint i = 0; i < pods->len; i++)
        if (((Pod *) g_ptr_array_index (pods, i))->daemon_node)
            return g_ptr_array_index (pods, i);
    return NULL;
}

/* 30 s is less than the 40 s grace period: nobody notices, no taint,
 * and the pods restart in place: no pod is replaced, nothing is pulled
 * again. */
static void
test_short_outage (void)
{
    g_autoptr (Scenario) s = outage_scenario ("30s", "1.31", "");
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    Node *n = g_ptr_array_index (cluster_nodes (c), 0);
    g_autoptr (GString) events = g_string_new (NULL);
    g_autoptr (GPtrArray) before = NULL;
    gint64 arrived, pulled;

    g_test_summary ("a node back within node-monitor-grace-period keeps its "
                    "pods: they restart in place, nothing is replaced or "
                    "pulled again");
    run_set_event_sink (run, collect, events);
    run_until (run, 9 * SIM_MINUTE);
    before = bound (n);
    g_assert_cmpuint (before->len, >=, 2);      /* web pods and the agent */
    arrived = cluster_counters (c, KB_OS_LINUX)->arrived;
    pulled = cluster_pulled_bytes (c, KB_OS_LINUX);
    run_until (run, 20 * SIM_MINUTE);
    g_assert_true (still_bound (before, n));
    g_assert_cmpint (cluster_counters (c, KB_OS_LINUX)->arrived, ==, arrived);
    g_assert_cmpint (cluster_pulled_bytes (c, KB_OS_LINUX), ==, pulled);
    testutil_assert_contains (events->str, "SandboxChanged Pod/");
    testutil_assert_lacks (events->str, "NodeNotReady");
    testutil_assert_lacks (events->str, "Killing");
    g_assert_true (cluster_check_conservation (c));
    run_free (run);
}

/* A 10 min outage from 600 s: tainted at 600 + 40 = 640 s, the web pods
 * (300 s by DefaultTolerationSeconds) deleted at 940 s; the DaemonSet pod
 * tolerates the taint for ever, stays bound and restarts when the node
 * returns at 1200 s. */
static void
check_long_outage (const char *version, const char *cp, SimTime deleted_at)
{
    g_autoptr (Scenario) s = outage_scenario ("10m", version, cp);
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    Node *n = g_ptr_array_index (cluster_nodes (c), 0);
    g_autoptr (GString) events = g_string_new (NULL);
    g_autoptr (GPtrArray) before = NULL;
    const Pod *agent;

    run_set_event_sink (run, collect, events);
    run_until (run, 9 * SIM_MINUTE);
    before = bound (n);
    agent = daemon_pod (before);
    g_assert_nonnull (agent);
    g_assert_cmpuint (before->len, >=, 2);
    run_until (run, deleted_at - SIM_SEC);
    g_assert_cmpuint (n->pods->len, ==, before->len);
    run_until (run, deleted_at + SIM_SEC);
    g_assert_cmpuint (n->pods->len, ==, 1);
    g_assert_true (n->pods->pdata[0] == agent);
    testutil_assert_contains (events->str, "TaintManagerEviction Pod/web-");
    testutil_assert_lacks (events->str, "TaintManagerEviction Pod/agent-");
    run_until (run, 30 * SIM_MINUTE);
    g_assert_true (agent->node == n && !agent->deleted);
    g_assert_cmpint (agent->phase, ==, POD_RUNNING);
    g_assert_true (cluster_check_conservation (c));
    run_free (run);
}

static void
test_long_outage (void)
{
    g_test_summary ("a long outage deletes the pods grace period + 300 s "
                    "after the failure, never the DaemonSet pod, which "
                    "restarts in place; the grace period follows the "
                    "control plane's version and the scenario");
    check_long_outage ("1.31", "", 940 * SIM_SEC);
    /* 1.32 and later: 50 s, so 600 + 50 + 300. */
    check_long_outage ("1.32", "", 950 * SIM_SEC);
    /* The scenario's own: 600 + 120 + 300. */
    check_long_outage ("1.31", ", node_monitor_grace_period: 2m",
                       1020 * SIM_SEC);
}

/* Two nodes upgraded one at a time from 10 min, 10 min each: the first
 * is drained (its web pods deleted, the DaemonSet pod left), waits the
 * 30 s grace period and comes back at 600 + 30 + 600 = 1230 s. Nothing
 * counts as Failed. */
static void
test_drain (void)
{
    g_autoptr (Scenario) s = testutil_load_text (
        "name: drain\n"
        "duration: 2h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, kubelet: \"1.30\", count: 2, instance:"
        " m5.xlarge}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 4\n"
        "    template:\n"
        "      containers: [{name: web, image: nginx:1.27, resources:"
        " {requests: {cpu: 100m}}}]\n"
        "  - name: agent\n"
        "    kind: DaemonSet\n"
        "    template:\n"
        "      containers: [{name: a, image: registry.k8s.io/pause:3.10}]\n"
        "events:\n"
        "  - {at: 10m, action: upgrade_pool, pool: lnx, kubelet: \"1.31\","
        " max_unavailable: 1, per_node: 10m}\n");
    Run *run = run_new (s, 0, RUN_FLAGS_NONE);
    Cluster *c = run_cluster (run);
    Node *n = g_ptr_array_index (cluster_nodes (c), 0);
    g_autoptr (GString) events = g_string_new (NULL);
    const RunSummary *sum;
    const Pod *agent;

    g_test_summary ("a drain deletes pods through the Eviction API (not "
                    "Failed), skips DaemonSet pods and waits their grace "
                    "period");
    run_set_event_sink (run, collect, events);
    run_until (run, 9 * SIM_MINUTE);
    agent = daemon_pod (n->pods);
    g_assert_nonnull (agent);
    run_until (run, 1229 * SIM_SEC);
    g_assert_cmpint (n->state, ==, NODE_NOT_READY);
    run_until (run, 1231 * SIM_SEC);
    g_assert_cmpint (n->state, ==, NODE_READY);
    run_until (run, s->duration);
    testutil_assert_contains (events->str, "UpgradeComplete");
    testutil_assert_lacks (events->str, "Killing Pod/agent-");
    g_assert_true (agent->node == n && agent->phase == POD_RUNNING);
    run_execute (run);
    sum = run_summary (run);
    g_assert_cmpint (sum->phase[KB_OS_LINUX][POD_FAILED], ==, 0);
    g_assert_cmpint (sum->phase[KB_OS_LINUX][POD_RUNNING], ==, 4 + 2);
    g_assert_cmpint (sum->arrived[KB_OS_LINUX], >, 4 + 2);
    g_assert_true (sum->conserved);
    run_free (run);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/outage/short-keeps-pods", test_short_outage);
    g_test_add_func ("/outage/long-evicts-after-toleration",
                     test_long_outage);
    g_test_add_func ("/outage/drain", test_drain);
    return g_test_run ();
}
