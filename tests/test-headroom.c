/* test-headroom.c: headroom_count() on a cluster whose answer is worked
 * out by hand, below, from kbsim's allocatable rule (loader.c,
 * allocatable_from_capacity: cpu = vCPU * 1000m less 60m + 10m + 5m + 5m
 * for four cores; memory = capacity less (255 + 11 * max pods + 100) MiB)
 * and the catalogue's instances:
 *
 *   linux    2 x c5.xlarge  4 vCPU,  8 GiB, 58 pods (Linux)
 *            cpu 4000 - 80 = 3920m; memory 8192 - (255 + 638 + 100)
 *            = 7199 MiB
 *   win2022  2 x m5.xlarge  4 vCPU, 16 GiB, 14 pods (Windows), tainted
 *            os=windows:NoSchedule
 *            cpu 3920m; memory 16384 - (255 + 154 + 100) = 15875 MiB
 *   win2019  1 x m5.xlarge, the same, Windows Server 2019 (10.0.17763)
 *
 * At time 0 the workloads' first pods are bound (api 2, dotnet 3; big
 * fits nowhere and holds nothing while Pending).
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

#include "models/cluster.h"
#include "models/headroom.h"
#include "models/run.h"
#include "tests/support/testutil.h"

static const char cluster_yaml[] =
    "name: headroom\n"
    "seed: 5\n"
    "duration: 4h\n"
    "control_plane: {version: \"1.31\"}\n"
    "node_pools:\n"
    "  - {name: linux, os: linux, count: 2, instance: c5.xlarge}\n"
    "  - {name: win2022, os: windows, windows_build: ltsc2022, count: 2,\n"
    "     instance: m5.xlarge,\n"
    "     taints: [{key: os, value: windows, effect: NoSchedule}]}\n"
    "  - {name: win2019, os: windows, windows_build: ltsc2019, count: 1,\n"
    "     instance: m5.xlarge,\n"
    "     taints: [{key: os, value: windows, effect: NoSchedule}]}\n"
    "workloads:\n"
    "  - name: api\n"
    "    kind: Deployment\n"
    "    replicas: 2\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: linux}\n"
    "      containers:\n"
    "        - {name: web, image: nginx:1.27,\n"
    "           resources: {requests: {cpu: \"1\", memory: 512Mi}}}\n"
    "  - name: dotnet\n"
    "    kind: Deployment\n"
    "    replicas: 3\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: windows,\n"
    "                     node.kubernetes.io/windows-build: 10.0.20348}\n"
    "      tolerations: [{key: os, operator: Equal, value: windows,\n"
    "                     effect: NoSchedule}]\n"
    "      containers:\n"
    "        - {name: app, image: \"mcr.microsoft.com/windows/servercore/"
    "iis:windowsservercore-ltsc2022\",\n"
    "           resources: {requests: {cpu: 500m, memory: 4Gi}}}\n"
    "  - name: big\n"
    "    kind: Deployment\n"
    "    replicas: 1\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: windows}\n"
    "      tolerations: [{key: os, operator: Exists}]\n"
    "      containers:\n"
    "        - {name: app, image: \"mcr.microsoft.com/windows/servercore/"
    "iis:windowsservercore-ltsc2022\",\n"
    "           resources: {requests: {cpu: 500m, memory: 20Gi}}}\n"
    "events:\n"
    "  - {at: 1h, action: set_replicas, workload: dotnet, replicas: 1}\n";

static const Workload *
find_workload (Cluster *c, const char *name)
{
    GPtrArray *ws = cluster_workloads (c);

    for (guint i = 0; i < ws->len; i++) {
        const Workload *w = g_ptr_array_index (ws, i);

        if (strcmp (w->spec->name, name) == 0)
            return w;
    }
    g_assert_not_reached ();
    return NULL;
}

/* Counts copies of workload `name` at time `at` (limit as given). */
static Headroom *
count_at (SimTime at, const char *name, gint64 limit)
{
    Scenario *s = testutil_load_text (cluster_yaml);
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    g_autoptr (GError) error = NULL;
    Headroom *h;

    run_until (run, at);
    h = headroom_count (c, find_workload (c, name)->tmpl, name, limit,
                        &error);
    g_assert_no_error (error);
    g_assert_nonnull (h);
    run_free (run);
    scenario_free (s);
    return h;
}

static gint64
pool_fits (const Headroom *h, const char *pool)
{
    for (guint i = 0; i < h->pools->len; i++) {
        const HeadroomPool *p = &g_array_index (h->pools, HeadroomPool, i);

        if (strcmp (p->name, pool) == 0)
            return p->fits;
    }
    g_assert_not_reached ();
    return -1;
}

static void
check (const Headroom *h, gint64 linux, gint64 win2022, gint64 win2019,
       const char *type, const char *message)
{
    g_assert_cmpint (pool_fits (h, "linux"), ==, linux);
    g_assert_cmpint (pool_fits (h, "win2022"), ==, win2022);
    g_assert_cmpint (pool_fits (h, "win2019"), ==, win2019);
    g_assert_cmpint (h->total, ==, linux + win2022 + win2019);
    g_assert_cmpstr (h->stop_type, ==, type);
    g_assert_cmpstr (h->stop_message, ==, message);
}

/* api (1 cpu, 512Mi, Linux only): a Linux node fits floor(3920 / 1000)
 * = 3 api pods by cpu (memory would allow floor(7199 / 512) = 14), so
 * the pool holds 6, 2 of them placed at time 0: 4 more, however those 2
 * were spread. The fifth copy finds both Linux nodes at 3000m of 3920m
 * (920m free < 1000m) and the three Windows nodes tainted. */
static void
test_linux_cpu_binds (void)
{
    g_autoptr (Headroom) h = count_at (0, "api", 0);

    g_test_summary ("a Linux pool where cpu binds: 4 more, and the fifth "
                    "copy's FailedScheduling text");
    check (h, 4, 0, 0, "Unschedulable",
           "0/5 nodes are available: 2 Insufficient cpu, 3 node(s) had "
           "untolerated taint {os: windows}. preemption: 0/5 nodes are "
           "available: 2 No preemption victims found for incoming pod, 3 "
           "Preemption is not helpful for scheduling.");
    g_assert_cmpint (h->pools->len, ==, 3);
    g_assert_cmpint (g_array_index (h->pools, HeadroomPool, 0).nodes, ==, 2);
}

/* dotnet (500m, 4Gi, Windows Server 2022 only): a win2022 node fits
 * floor(15875 / 4096) = 3 by memory (3 * 4096 = 12288 <= 15875 < 16384
 * = 4 * 4096), and floor(3920 / 500) = 7 by cpu, so memory binds: the
 * pool holds 6, 3 placed at time 0, so 3 more. The win2019 node fails its
 * windows-build label, the Linux nodes their os label; the next copy
 * finds both win2022 nodes at 12288 MiB (3587 MiB free < 4096). */
static void
test_windows_memory_binds (void)
{
    g_autoptr (Headroom) h = count_at (0, "dotnet", 0);

    g_test_summary ("a Windows pool where memory binds, selected by its "
                    "windows-build label: 3 more");
    check (h, 0, 3, 0, "Unschedulable",
           "0/5 nodes are available: 2 Insufficient memory, 3 node(s) "
           "didn't match Pod's node affinity/selector. preemption: 0/5 "
           "nodes are available: 2 No preemption victims found for "
           "incoming pod, 3 Preemption is not helpful for scheduling.");
}

/* At 2h, set_replicas (1h) left 1 dotnet pod: 6 - 1 = 5 more. At 1h
 * itself the event has run too (every event at or before --at). */
static void
test_at_later_time (void)
{
    g_autoptr (Headroom) h = count_at (2 * SIM_HOUR, "dotnet", 0);
    g_autoptr (Headroom) at_event = count_at (SIM_HOUR, "dotnet", 0);

    g_test_summary ("--at: the cluster as the run has it then (dotnet "
                    "scaled to 1 at 1h: 5 more)");
    g_assert_cmpint (h->at, ==, 2 * SIM_HOUR);
    g_assert_cmpint (at_event->total, ==, 5);
    check (h, 0, 5, 0, "Unschedulable",
           "0/5 nodes are available: 2 Insufficient memory, 3 node(s) "
           "didn't match Pod's node affinity/selector. preemption: 0/5 "
           "nodes are available: 2 No preemption victims found for "
           "incoming pod, 3 Preemption is not helpful for scheduling.");
}

/* big (20Gi) exceeds every Windows node's 15875 MiB and selects no Linux
 * node: 0, and the first copy's text. Its parts sort as whole "<count>
 * <reason>" strings (Go's sort.Strings), so "2 node(s)" comes before
 * "3 Insufficient". */
static void
test_fits_nowhere (void)
{
    g_autoptr (Headroom) h = count_at (0, "big", 0);

    g_test_summary ("a pod that fits nowhere: 0 and the reason");
    check (h, 0, 0, 0, "Unschedulable",
           "0/5 nodes are available: 2 node(s) didn't match Pod's node "
           "affinity/selector, 3 Insufficient memory. preemption: 0/5 "
           "nodes are available: 2 Preemption is not helpful for "
           "scheduling, 3 No preemption victims found for incoming pod.");
    g_assert_cmpint (h->nodes->len, ==, 0);
}

/* cluster-capacity's --max-limit: stop right after the N-th bind. */
static void
test_limit (void)
{
    g_autoptr (Headroom) h = count_at (0, "api", 3);

    g_test_summary ("a limit stops the count after that many copies, "
                    "with LimitReached");
    check (h, 3, 0, 0, "LimitReached",
           "Maximum number of pods simulated: 3");
}

/* Max pods per node and host ports bind too: two nodes given 4 cpu, 8Gi
 * and `pods: 3` (allocatable as given), one `small` pod (100m) placed at
 * time 0. small: 2 * 3 - 1 = 5 more, then Too many pods on both nodes.
 * porty asks for host port 8080: one per node, 2, then no free port. */
static const char slots_yaml[] =
    "name: slots\n"
    "duration: 1h\n"
    "control_plane: {version: \"1.31\"}\n"
    "node_pools:\n"
    "  - {name: tiny, os: linux, count: 2, cpu: \"4\", memory: 8Gi, pods: 3}\n"
    "workloads:\n"
    "  - {name: small, kind: Deployment, replicas: 1, template: {containers:"
    " [{name: a, image: nginx:1.27, resources: {requests: {cpu: 100m}}}]}}\n"
    "  - {name: porty, kind: Deployment, replicas: 0, template: {containers:"
    " [{name: a, image: nginx:1.27, ports: [{containerPort: 80,"
    " hostPort: 8080}], resources: {requests: {cpu: 100m}}}]}}\n";

static void
test_pods_and_ports (void)
{
    Scenario *s = testutil_load_text (slots_yaml);
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    g_autoptr (Headroom) small = NULL;
    g_autoptr (Headroom) porty = NULL;

    g_test_summary ("max pods per node and host ports stop the count");
    run_until (run, 0);
    small = headroom_count (c, find_workload (c, "small")->tmpl, "small", 0,
                            NULL);
    porty = headroom_count (c, find_workload (c, "porty")->tmpl, "porty", 0,
                            NULL);
    g_assert_cmpint (small->total, ==, 5);
    g_assert_cmpstr (small->stop_message, ==,
                     "0/2 nodes are available: 2 Too many pods. preemption: "
                     "0/2 nodes are available: 2 No preemption victims found "
                     "for incoming pod.");
    g_assert_cmpint (porty->total, ==, 2);
    g_assert_cmpstr (porty->stop_message, ==,
                     "0/2 nodes are available: 2 node(s) didn't have free "
                     "ports for the requested pod ports. preemption: 0/2 "
                     "nodes are available: 2 No preemption victims found for "
                     "incoming pod.");
    run_free (run);
    scenario_free (s);
}

/* The copies leave the nodes as they were: a second count agrees, and
 * the run's own pods are unchanged. */
static void
test_nodes_restored (void)
{
    Scenario *s = testutil_load_text (cluster_yaml);
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    const KbPodTemplate *t;
    g_autoptr (Headroom) a = NULL;
    g_autoptr (Headroom) b = NULL;
    gint64 req = 0, pods = 0;

    g_test_summary ("counting leaves every node's requests as they were");
    run_until (run, 0);
    t = find_workload (c, "dotnet")->tmpl;
    a = headroom_count (c, t, "dotnet", 0, NULL);
    b = headroom_count (c, t, "dotnet", 0, NULL);
    g_assert_cmpint (a->total, ==, 3);
    g_assert_cmpint (b->total, ==, 3);
    for (guint i = 0; i < cluster_nodes (c)->len; i++) {
        const Node *n = g_ptr_array_index (cluster_nodes (c), i);

        req += n->req_mem;
        pods += n->n_pods;
    }
    g_assert_cmpint (pods, ==, 5);
    g_assert_cmpint (req, ==, 2 * 512 * 1024 * 1024
                              + 3 * (gint64) 4096 * 1024 * 1024);
    run_free (run);
    scenario_free (s);
}

/* Linux-only fields on a Windows pod: the API server refuses the first
 * copy, so there is nothing to count. */
static void
test_rejected (void)
{
    Scenario *s = testutil_load_text (cluster_yaml);
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    g_autoptr (GError) error = NULL;
    KbPodTemplate t = *find_workload (c, "dotnet")->tmpl;
    g_autoptr (GPtrArray) fields = g_ptr_array_new ();
    Headroom *h;

    g_test_summary ("a pod the API server rejects is an error, with its "
                    "validation text");
    g_ptr_array_add (fields, (gpointer) "securityContext.seLinuxOptions");
    t.os_name = KB_OS_WINDOWS;
    t.linux_only_fields = fields;
    run_until (run, 0);
    h = headroom_count (c, &t, "dotnet", 0, &error);
    g_assert_null (h);
    g_assert_error (error, KB_HEADROOM_ERROR, KB_HEADROOM_ERROR_REJECTED);
    testutil_assert_contains (error->message, "Pod \"dotnet-0\" is invalid: "
                              "spec.securityContext.seLinuxOptions: "
                              "Forbidden");
    run_free (run);
    scenario_free (s);
}

/* ---- the command, as a user runs it ($KBSIM, set by the Makefile) ------ */

static char *tmp;

/* Runs kbsim with args in tmp; returns the exit status, stdout in *out
 * and stderr in *err (both may be NULL). */
static int
kbsim (char **out, char **err, ...)
{
    g_autoptr (GPtrArray) args = g_ptr_array_new ();
    const char *a;
    va_list ap;

    va_start (ap, err);
    while ((a = va_arg (ap, const char *)) != NULL)
        g_ptr_array_add (args, (gpointer) a);
    va_end (ap);
    g_ptr_array_add (args, NULL);
    return testutil_kbsim (tmp, (const char *const *) args->pdata, out, err);
}

static void
write_tmp (const char *name, const char *text)
{
    g_autofree char *path = g_build_filename (tmp, name, NULL);

    g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* The whole table for dotnet at 0, as worked out above. */
static void
test_cli_text (void)
{
    g_autofree char *out = NULL;
    g_autofree char *again = NULL;

    g_test_summary ("kbsim headroom prints POOL OS NODES FITS, the total "
                    "and the reason, the same bytes every time");
    g_assert_cmpint (kbsim (&out, NULL, "headroom", "h.yaml", "--workload",
                            "dotnet", NULL), ==, 0);
    g_assert_cmpstr (out, ==,
        "Headroom for workload 'dotnet' at 00:00:00 (copies placed one at "
        "a time)\n"
        "\n"
        "POOL     OS       NODES   FITS\n"
        "linux    linux        2      0\n"
        "win2022  windows      2      3\n"
        "win2019  windows      1      0\n"
        "total                 5      3\n"
        "\n"
        "stopped by: Unschedulable: 0/5 nodes are available: 2 Insufficient "
        "memory, 3 node(s) didn't match Pod's node affinity/selector. "
        "preemption: 0/5 nodes are available: 2 No preemption victims "
        "found for incoming pod, 3 Preemption is not helpful for "
        "scheduling.\n");
    g_assert_cmpint (kbsim (&again, NULL, "headroom", "h.yaml", "--workload",
                            "dotnet", NULL), ==, 0);
    g_assert_cmpstr (out, ==, again);
}

static void
test_cli_json (void)
{
    g_autofree char *out = NULL;
    g_autofree char *again = NULL;

    g_test_summary ("-o json carries the same figures, byte-identical "
                    "across runs");
    g_assert_cmpint (kbsim (&out, NULL, "headroom", "h.yaml", "--workload",
                            "api", "--at", "2h", "-o", "json", NULL), ==, 0);
    testutil_assert_contains (out, "\"at_seconds\" : 7200");
    testutil_assert_contains (out, "\"total\" : 4");
    testutil_assert_contains (out, "\"name\" : \"linux\",\n      \"os\" : "
                              "\"linux\",\n      \"nodes\" : 2,\n      "
                              "\"fits\" : 4");
    testutil_assert_contains (out, "\"stop_type\" : \"Unschedulable\"");
    testutil_assert_contains (out, "\"stop_message\" : \"0/5 nodes are "
                              "available: 2 Insufficient cpu, 3 node(s) had "
                              "untolerated taint {os: windows}.");
    g_assert_cmpint (kbsim (&again, NULL, "headroom", "h.yaml", "--workload",
                            "api", "--at", "2h", "-o", "json", NULL), ==, 0);
    g_assert_cmpstr (out, ==, again);
}

/* dotnet's pod at 5Gi instead of 4Gi, naming a node (cleared, as
 * cluster-capacity clears it): a win2022 node holding j dotnet pods has
 * 15875 - 4096j MiB free, so floor(that / 5120) copies: j = 3, 0 give
 * 0 + 3; j = 2, 1 give 1 + 2. Either way 3. */
static void
test_cli_pod_file (void)
{
    g_autofree char *out = NULL;

    g_test_summary ("--pod FILE counts a Pod manifest's copies, with "
                    "spec.nodeName cleared");
    write_tmp ("probe.yaml",
        "apiVersion: v1\n"
        "kind: Pod\n"
        "metadata: {name: probe}\n"
        "spec:\n"
        "  nodeName: linux-0\n"
        "  nodeSelector: {node.kubernetes.io/windows-build: 10.0.20348}\n"
        "  tolerations: [{key: os, operator: Exists}]\n"
        "  containers:\n"
        "    - name: app\n"
        "      image: mcr.microsoft.com/windows/servercore/iis:"
        "windowsservercore-ltsc2022\n"
        "      resources: {requests: {cpu: 500m, memory: 5Gi}}\n");
    g_assert_cmpint (kbsim (&out, NULL, "headroom", "h.yaml", "--pod",
                            "probe.yaml", NULL), ==, 0);
    testutil_assert_contains (out, "pod 'probe' (probe.yaml)");
    testutil_assert_contains (out, "win2022  windows      2      3\n");
    testutil_assert_contains (out, "total                 5      3\n");
}

/* One line per mistake: the exit status and the words that name it. */
static void
check_error (const char *want, ...)
{
    const char *prog = g_getenv ("KBSIM");
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();
    g_autofree char *err = NULL;
    g_autoptr (GError) error = NULL;
    const char *a;
    va_list ap;
    int status;

    g_ptr_array_add (argv, (gpointer) (prog ? prog : "./kbsim"));
    g_ptr_array_add (argv, (gpointer) "headroom");
    va_start (ap, want);
    while ((a = va_arg (ap, const char *)) != NULL)
        g_ptr_array_add (argv, (gpointer) a);
    va_end (ap);
    g_ptr_array_add (argv, NULL);
    g_assert_true (g_spawn_sync (tmp, (char **) argv->pdata, NULL,
                                 G_SPAWN_DEFAULT, NULL, NULL, NULL, &err,
                                 &status, &error));
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 2);
    testutil_assert_contains (err, want);
}

static void
test_cli_errors (void)
{
    g_autofree char *lesson = g_test_build_filename (
        G_TEST_DIST, "..", "scenarios", "lessons", "linux-only-fields.yaml",
        NULL);

    g_test_summary ("usage and input errors name their cause and exit 2");
    write_tmp ("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\n"
               "metadata: {name: d}\nspec: {}\n");
    check_error ("no workload 'dotnt' in h.yaml (did you mean 'dotnet'?)",
                 "h.yaml", "--workload", "dotnt", NULL);
    check_error ("give one of --workload NAME or --pod FILE", "h.yaml",
                 NULL);
    check_error ("give one of --workload NAME or --pod FILE", "h.yaml",
                 "--workload", "api", "--pod", "deploy.yaml", NULL);
    check_error ("missing SCENARIO", "--workload", "api", NULL);
    check_error ("--at 5h: outside the scenario, which runs from 0 to "
                 "04:00:00", "h.yaml", "--workload", "api", "--at", "5h",
                 NULL);
    check_error ("-o: unknown format 'yaml'", "h.yaml", "--workload", "api",
                 "-o", "yaml", NULL);
    check_error ("--max-limit: must be 0", "h.yaml", "--workload", "api",
                 "--max-limit", "-1", NULL);
    check_error ("deploy.yaml:2:7: kind: expected Pod, got 'Deployment'",
                 "h.yaml", "--pod", "deploy.yaml", NULL);
    check_error ("no-such.yaml", "h.yaml", "--pod", "no-such.yaml", NULL);
    check_error ("kbsim headroom: the API server rejects workload 'ported', "
                 "so no copy can be created: Pod \"ported-0\" is invalid: "
                 "spec.securityContext", lesson, "--workload", "ported",
                 NULL);
}

static void
remove_tree (const char *path)
{
    GDir *d = g_dir_open (path, 0, NULL);
    const char *n;

    while (d && (n = g_dir_read_name (d))) {
        g_autofree char *p = g_build_filename (path, n, NULL);

        g_unlink (p);
    }
    if (d)
        g_dir_close (d);
    g_rmdir (path);
}

int
main (int argc, char **argv)
{
    int rc;

    g_test_init (&argc, &argv, NULL);
    tmp = g_dir_make_tmp ("kbsim-headroom-XXXXXX", NULL);
    write_tmp ("h.yaml", cluster_yaml);
    g_test_add_func ("/headroom/linux-cpu-binds", test_linux_cpu_binds);
    g_test_add_func ("/headroom/windows-memory-binds",
                     test_windows_memory_binds);
    g_test_add_func ("/headroom/at-later-time", test_at_later_time);
    g_test_add_func ("/headroom/fits-nowhere", test_fits_nowhere);
    g_test_add_func ("/headroom/limit", test_limit);
    g_test_add_func ("/headroom/pods-and-ports", test_pods_and_ports);
    g_test_add_func ("/headroom/nodes-restored", test_nodes_restored);
    g_test_add_func ("/headroom/rejected", test_rejected);
    g_test_add_func ("/headroom/cli-text", test_cli_text);
    g_test_add_func ("/headroom/cli-json", test_cli_json);
    g_test_add_func ("/headroom/cli-pod-file", test_cli_pod_file);
    g_test_add_func ("/headroom/cli-errors", test_cli_errors);
    rc = g_test_run ();
    remove_tree (tmp);
    g_free (tmp);
    return rc;
}
