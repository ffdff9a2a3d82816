/* test-spread.c: PodTopologySpread, from its formulas to whole runs.
 *
 * History: until this test kbsim scored only TaintToleration,
 * NodeAffinity, NodeResourcesFit, BalancedAllocation and ImageLocality,
 * so a Deployment's pods piled onto the least-loaded nodes and the
 * classic mixed-cluster mistake (a Linux Deployment without a
 * nodeSelector) put 1 of 16 nginx pods on Windows in
 * scenarios/mixed-minimal.yaml where the real scheduler, spreading by
 * the system-default constraints, puts 6 there (issue 14, item 1).
 *
 * Every expected number below is worked out by hand from the formulas of
 * kubernetes pkg/scheduler/framework/plugins/podtopologyspread
 * (scoring.go) and noderesources, not read from the code under test.
 */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "models/cluster.h"
#include "models/run.h"
#include "models/spread.h"
#include "scenarios/scenario.h"
#include "tests/support/testutil.h"

/* ---- the formulas ------------------------------------------------------ */

static void
test_formulas (void)
{
    static const struct {
        gint64 in[4];
        gboolean ignored[4];
        guint n;
        gint64 want[4];
    } norm[] = {
        /* max 6, min 2: 100 (6+2-s) / 6 = 100, 66, 33 */
        { { 2, 4, 6 }, { 0 }, 3, { 100, 66, 33 } },
        /* all equal: 100 (s+s-s) / s = 100 */
        { { 6, 6 }, { 0 }, 2, { 100, 100 } },
        /* all zero: MaxNodeScore */
        { { 0, 0, 0 }, { 0 }, 3, { 100, 100, 100 } },
        /* an ignored node scores 0 and takes no part in min and max:
         * max 9, min 4: 100, 0, 100 (9+4-9)/9 = 44 */
        { { 4, 100, 9 }, { FALSE, TRUE, FALSE }, 3, { 100, 0, 44 } },
    };

    g_test_summary ("topologyNormalizingWeight, scoreForCount, "
                    "NormalizeScore and the Filter skew rule on worked "
                    "examples");
    /* log(size + 2) */
    g_assert_cmpfloat_with_epsilon (spread_normalizing_weight (3),
                                    1.6094379124341003, 1e-12);
    g_assert_cmpfloat_with_epsilon (spread_normalizing_weight (0),
                                    0.6931471805599453, 1e-12);
    /* 2 pods, maxSkew 5, weight ln 4: 2 x 1.386294 + 4 */
    g_assert_cmpfloat_with_epsilon (spread_score_for_count (2, 5,
                                                            log (4.0)),
                                    6.772588722239781, 1e-12);
    g_assert_cmpfloat_with_epsilon (spread_score_for_count (0, 3, 1.0), 2.0,
                                    1e-12);
    for (gsize k = 0; k < G_N_ELEMENTS (norm); k++) {
        gint64 s[4];

        memcpy (s, norm[k].in, sizeof s);
        spread_normalize (s, norm[k].ignored, norm[k].n);
        for (guint i = 0; i < norm[k].n; i++)
            g_assert_cmpint (s[i], ==, norm[k].want[i]);
    }
    /* match + self - min <= maxSkew; min counts as 0 below minDomains */
    g_assert_true (spread_skew_ok (1, TRUE, 0, 3, 1, 2));
    g_assert_false (spread_skew_ok (2, TRUE, 0, 3, 1, 2));
    g_assert_true (spread_skew_ok (2, TRUE, 1, 3, 1, 2));
    g_assert_false (spread_skew_ok (2, TRUE, 1, 2, 3, 2));
    g_assert_true (spread_skew_ok (1, FALSE, 0, 1, 1, 1));
}

/* ---- whole runs -------------------------------------------------------- */

/* Runs the scenario to `until` and returns how many pods of workload
 * `wl` are bound to nodes of each pool (counts[pool]) or to each node
 * (by node id) when by_node is set. */
static void
count_bound (Scenario *s, SimTime until, const char *wl, gboolean by_node,
             guint *counts, guint n_counts)
{
    g_autoptr (Run) run = run_new (s, 0, RUN_FLAGS_NONE);
    Cluster *c = run_cluster (run);
    GPtrArray *pods;

    run_until (run, until);
    pods = cluster_pods (c);
    memset (counts, 0, n_counts * sizeof *counts);
    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);
        guint at;

        if (p == NULL || p->node == NULL || strcmp (p->workload->spec->name,
                                                    wl) != 0)
            continue;
        at = by_node ? p->node->id : p->node->pool;
        g_assert_cmpuint (at, <, n_counts);
        counts[at]++;
    }
}

/* scenarios/mixed-minimal.yaml: 3 Linux and 2 Windows m5.xlarge nodes,
 * no taints; iis (4 x 500m/1Gi, Windows only) is placed first, 2 per
 * Windows node; then web (16 x 250m/256Mi, no nodeSelector), all at t=0
 * in one cycle, so no image is on any node yet (ImageLocality 0) and
 * only these scores differ between nodes:
 *
 *   allocatable   Linux 3920m, 15391Mi; Windows 3920m, 15875Mi (KEYS.md)
 *   LeastAllocated    ((A-R)100/A cpu + (A-R)100/A mem) / 2, integers
 *   BalancedAllocation (1 - |fcpu - fmem| / 2) x 100, truncated
 *   PodTopologySpread (system default, hostname only: no zone labels)
 *     raw = round(cnt x ln(5 + 2) + (3 - 1)): cnt 0..3 -> 2, 4, 6, 8;
 *     100 (max + min - raw) / max, weight 2.
 *
 * A Linux node with j web pods scores LA + BA = 192, 186, 179, 173 for
 * j = 0..3; a Windows node (1000m, 2Gi of iis) with j web pods
 * 167, 160, 154, 148. Without spreading a Windows node (167) first
 * ties a Linux one when every Linux node holds 4 pods (12 placed); the
 * last four pods then go to four different nodes of the five tied at
 * 167 (a node that takes one drops to 160): 1 or 2 on Windows, by the
 * tie-break draw (1 with this seed).
 *
 * With spreading, pods 1-3 go one per Linux node (192 + 200). Pod 4:
 * Linux nodes have cnt 1 (raw 4), Windows cnt 0 (raw 2): max 4, min 2,
 * Linux 100 (6-4)/4 = 50, Windows 100; Linux 186 + 100 = 286 against
 * Windows 167 + 200 = 367: Windows. Pod 5: the other Windows node (the
 * first now has cnt 1 like the Linux ones; 160 + 100 < 167 + 200).
 * Pod 6 sees every node at cnt 1: all 200, and Linux 186 > 160. So each
 * round of 5 pods gives 3 to Linux and 2 to Windows, the same at
 * cnt 2 (Linux raw 6, Windows raw 4: Linux 179 + 2 x 100 (6+4-6)/6 =
 * 311 against Windows 160 + 200 = 360) and at cnt 3 (173 + 2 x 75 = 323
 * against 154 + 200 = 354); pod 16 opens the fourth round on Linux.
 * Ties only ever fall between nodes of one OS in the same state, so
 * the tie-break draw cannot change the count: 3 + 3 + 3 + 1 on Linux
 * (10) and 2 + 2 + 2 = 6 on Windows. */
static void
test_mixed_minimal (void)
{
    g_autoptr (Scenario) s = testutil_load_example ("mixed-minimal.yaml");
    guint per_pool[2];

    g_test_summary ("mixed-minimal: the system-default spreading sends 6 "
                    "of web's 16 Linux pods to the Windows nodes (1 "
                    "without it)");
    count_bound (s, SIM_SEC, "web", FALSE, per_pool, 2);
    g_assert_cmpuint (per_pool[1], ==, 6);
    g_assert_cmpuint (per_pool[0], ==, 10);
}

/* A pool of three large nodes in zones a, b, a (round-robin: z-0 in a,
 * z-1 in b, z-2 in a), pods that request nothing: LeastAllocated is
 * (A - 100m)100/A = 99 on 1000 cpus for the first pods, BalancedAllocation
 * skips a pod without requests, so only PodTopologySpread tells nodes
 * apart. Hostname weight ln(3 + 2) = 1.609438, zone weight ln(2 + 2) =
 * 1.386294 (two zones), raw = round(host x 1.609438 + 2 + zone x
 * 1.386294 + 4).
 *
 *   pods 1-3: each node gets one (an empty node in the emptier zone
 *             always has the lowest raw score), so a holds 2, b 1;
 *   pod 4:    z-0, z-2: round(1.609 + 2 + 2 x 1.386 + 4) = 10;
 *             z-1: round(1.609 + 2 + 1.386 + 4) = 9; max 10, min 9:
 *             z-1 scores 100 (19 - 9)/10 = 100, the others 90: z-1.
 *
 * So 4 replicas end 1, 2, 1 whatever the ties, where hostname spreading
 * alone would leave z-1 with 2 pods only one time in three. With 7
 * (the tie branches of pods 5 and 6 enumerated by hand, with the same
 * formula): pod 5 goes to z-0 or z-2; pod 6 to the other a node or to
 * z-1; every branch ends 2, 3, 2 after pod 7. */
static Scenario *
zones_scenario (guint replicas)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: zones\n"
        "duration: 1h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: z, os: linux, count: 3, cpu: \"1000\", memory: 4096Gi,"
        " pods: 110, zones: [a, b]}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: %u\n"
        "    template:\n"
        "      containers: [{name: web, image: nginx:1.27}]\n",
        replicas);

    return testutil_load_text (yaml);
}

static void
test_zones (void)
{
    static const struct {
        guint replicas;
        guint want[3];
    } cases[] = {
        { 4, { 1, 2, 1 } },
        { 7, { 2, 3, 2 } },
    };

    g_test_summary ("zones: [a, b] labels nodes round-robin and the "
                    "default zone constraint spreads by them");
    for (gsize k = 0; k < G_N_ELEMENTS (cases); k++) {
        g_autoptr (Scenario) s = zones_scenario (cases[k].replicas);
        g_autoptr (Run) run = run_new (s, 0, RUN_FLAGS_NONE);
        guint per_node[3];
        GPtrArray *nodes = cluster_nodes (run_cluster (run));
        static const char *const zone[3] = { "a", "b", "a" };

        for (guint i = 0; i < 3; i++)
            g_assert_cmpstr (kb_labels_get (((Node *) g_ptr_array_index (
                                 nodes, i))->labels,
                                 "topology.kubernetes.io/zone"), ==,
                             zone[i]);
        count_bound (s, SIM_SEC, "web", TRUE, per_node, 3);
        for (guint i = 0; i < 3; i++)
            g_assert_cmpuint (per_node[i], ==, cases[k].want[i]);
    }
}

/* A DoNotSchedule zone constraint, maxSkew 1, selecting app=web (the
 * template's own label), on pools pa (zone a), pb (zone b) and, in the
 * second case, pc (no zone label). filtering.go: a node fails when its
 * zone's matching pods + 1 - the lowest zone count > 1; a node without
 * the key fails with "(missing required label)"; with minDomains above
 * the number of domains the lowest count is taken as 0.
 *
 *   1. pb holds one pod at most (pods: 1), 4 replicas: b gets 1, a may
 *      get 2 (2 + 1 - 1 = 2 > 1 stops a third): 3 bound; the 4th fails
 *      on pa (skew) and pb (Too many pods), both Unschedulable, so
 *      DefaultPreemption finds no victims on either.
 *   2. minDomains 3 over zones a and b: each zone takes 1 pod (1 + 1 -
 *      0 > 1 after it), pc never (no zone): 2 of 3 bound; the 3rd fails
 *      on pa and pb (skew) and pc (missing label: UnschedulableAnd-
 *      Unresolvable, "not helpful"). */
static void
test_do_not_schedule (void)
{
    static const struct {
        const char *pb_pods;
        const char *extra_pool;
        const char *min_domains;
        guint replicas, bound;
        const char *message;
    } cases[] = {
        { "1", "", "", 4, 3,
          "0/2 nodes are available: 1 Too many pods, 1 node(s) didn't "
          "match pod topology spread constraints. preemption: 0/2 nodes "
          "are available: 2 No preemption victims found for incoming "
          "pod." },
        { "110", "  - {name: pc, os: linux, count: 1, cpu: \"8\", "
          "memory: 32Gi}\n", ", minDomains: 3", 3, 2,
          "0/3 nodes are available: 1 node(s) didn't match pod topology "
          "spread constraints (missing required label), 2 node(s) didn't "
          "match pod topology spread constraints. preemption: 0/3 nodes "
          "are available: 1 Preemption is not helpful for scheduling, 2 "
          "No preemption victims found for incoming pod." },
    };

    g_test_summary ("DoNotSchedule topologySpreadConstraints filter nodes "
                    "with the real FailedScheduling texts; minDomains");
    for (gsize k = 0; k < G_N_ELEMENTS (cases); k++) {
        g_autofree char *yaml = g_strdup_printf (
            "name: hard\n"
            "duration: 1h\n"
            "control_plane: {version: \"1.31\"}\n"
            "node_pools:\n"
            "  - {name: pa, os: linux, count: 1, cpu: \"8\", memory: 32Gi,"
            " zones: [a]}\n"
            "  - {name: pb, os: linux, count: 1, cpu: \"8\", memory: 32Gi,"
            " pods: %s, zones: [b]}\n"
            "%s"
            "workloads:\n"
            "  - name: web\n"
            "    kind: Deployment\n"
            "    replicas: %u\n"
            "    template:\n"
            "      metadata: {labels: {app: web}}\n"
            "      spec:\n"
            "        topologySpreadConstraints:\n"
            "          - {maxSkew: 1, topologyKey: topology.kubernetes.io/"
            "zone, whenUnsatisfiable: DoNotSchedule, labelSelector: "
            "{matchLabels: {app: web}}%s}\n"
            "        containers: [{name: web, image: nginx:1.27, resources:"
            " {requests: {cpu: 100m}}}]\n",
            cases[k].pb_pods, cases[k].extra_pool, cases[k].replicas,
            cases[k].min_domains);
        g_autoptr (Scenario) s = testutil_load_text (yaml);
        g_autoptr (Run) run = run_new (s, 0, RUN_FLAGS_NONE);
        GPtrArray *pods;
        guint bound = 0;
        const char *message = NULL;

        run_until (run, SIM_SEC);
        pods = cluster_pods (run_cluster (run));
        for (guint i = 0; i < pods->len; i++) {
            const Pod *p = g_ptr_array_index (pods, i);

            if (p->node != NULL)
                bound++;
            else
                message = p->message;
        }
        g_assert_cmpuint (bound, ==, cases[k].bound);
        g_assert_cmpstr (message, ==, cases[k].message);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/spread/formulas", test_formulas);
    g_test_add_func ("/spread/mixed-minimal", test_mixed_minimal);
    g_test_add_func ("/spread/zones", test_zones);
    g_test_add_func ("/spread/do-not-schedule", test_do_not_schedule);
    return g_test_run ();
}
