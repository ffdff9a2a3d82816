/* test-explain.c: `kbsim explain` names the right rule and the right fix
 * for each kind of stuck pod. */
#include <string.h>

#include <glib.h>
#include <gsl/gsl_errno.h>

#include <glib/gstdio.h>

#include "models/cluster.h"
#include "models/explain.h"
#include "models/run.h"
#include "reports/runfiles.h"
#include "tests/support/testutil.h"

static char *
explain_first (const char *yaml, const char *pod_name)
{
    Scenario *s = testutil_load_text (yaml);
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    g_autoptr (GPtrArray) none = g_ptr_array_new ();
    const Pod *pod;
    char *text;

    run_until (run, s->duration);
    pod = explain_find_pod (run_cluster (run), pod_name);
    g_assert_nonnull (pod);
    text = explain_pod (run_cluster (run), pod, none);
    run_free (run);
    scenario_free (s);
    return text;
}

#define CLUSTER \
    "duration: 1h\n" \
    "control_plane: {version: \"1.31\"}\n" \
    "node_pools:\n" \
    "  - {name: win, os: windows, windows_build: ltsc2022, count: 1," \
    " instance: m5.xlarge%s}\n"

static void
test_wrong_os (void)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: wrong-os\n" CLUSTER
        "workloads:\n"
        "  - {name: web, kind: Pod, template: {containers: [{name: a,"
        " image: nginx:1.27}]}}\n", "");
    g_autofree char *text = explain_first (yaml, "web-0");

    g_test_summary ("a Linux pod on a Windows node: the kernel rule per "
                    "index entry, and the nodeSelector or taint that fixes "
                    "it");
    testutil_assert_contains (text, "linux/amd64: the host runs windows, "
                              "and a container shares its host's kernel");
    testutil_assert_contains (text, "no match for platform in manifest");
    testutil_assert_contains (text, "nodeSelector kubernetes.io/os: "
                              "linux");
}

static void
test_wrong_build (void)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: wrong-build\n" CLUSTER
        "images:\n"
        "  - name: contoso/app:1\n"
        "    manifests: [{os: windows, arch: amd64, os_version: "
        "10.0.17763.1, size: 100MB}]\n"
        "workloads:\n"
        "  - {name: app, kind: Pod, template: {containers: [{name: a,"
        " image: contoso/app:1}]}}\n", "");
    g_autofree char *text = explain_first (yaml, "app-0");

    g_test_summary ("a 2019 image on a 2022 node: containerd's build rule, "
                    "and a rebuild for 10.0.20348 as the fix");
    testutil_assert_contains (text, "windows/amd64 10.0.17763.1: ");
    testutil_assert_contains (text, "[no]");
    testutil_assert_contains (text, "rebuild the image for build "
                              "10.0.20348");
}

static void
test_unscheduled (void)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: taint\n" CLUSTER
        "workloads:\n"
        "  - {name: iis, kind: Pod, template: {nodeSelector:"
        " {kubernetes.io/os: windows}, containers: [{name: a,"
        " image: mcr.microsoft.com/windows/nanoserver:ltsc2022}]}}\n",
        ", taints: [{key: os, value: windows, effect: NoSchedule}]");
    g_autofree char *text = explain_first (yaml, "iis-0");

    g_test_summary ("an unscheduled pod: each pool with the first filter it "
                    "fails, naming the taint");
    testutil_assert_contains (text, "a taint the pod does not tolerate "
                              "(TaintToleration): {os: windows} "
                              "NoSchedule");
    testutil_assert_contains (text, "toleration");
}

static void
collect_ns (const ClusterEvent *ev, gpointer data)
{
    g_ptr_array_add (data, g_strdup_printf ("%s %s/%s %s", ev->namespace,
                                            ev->kind, ev->object,
                                            ev->reason));
}

static gboolean
has_line (const GPtrArray *lines, const char *line)
{
    for (guint i = 0; i < lines->len; i++)
        if (strcmp (g_ptr_array_index (lines, i), line) == 0)
            return TRUE;
    return FALSE;
}

/* Until issue 14, everything was in namespace default: explain printed
 * "Namespace: default" whatever the manifest said. */
static void
test_namespace (void)
{
    static const char manifest[] =
        "apiVersion: v1\n"
        "kind: Pod\n"
        "metadata: {name: cart, namespace: shop}\n"
        "spec: {containers: [{name: a, image: \"nginx:1.27\"}]}\n";
    g_autofree char *dir = g_dir_make_tmp ("kbsim-ns-XXXXXX", NULL);
    g_autofree char *spath = g_build_filename (dir, "s.yaml", NULL);
    g_autofree char *mpath = g_build_filename (dir, "pod.yaml", NULL);
    g_autofree char *csv = g_build_filename (dir, "pods.csv", NULL);
    g_autofree char *yaml = g_strdup_printf (
        "name: ns\n" CLUSTER "workloads: [{manifest: pod.yaml}]\n", "");
    g_autoptr (GError) error = NULL;
    g_autoptr (GPtrArray) none = g_ptr_array_new ();
    g_autoptr (GPtrArray) events = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *text = NULL, *rows = NULL;
    Scenario *s;
    Run *run;
    Cluster *c;

    g_test_summary ("a manifest pod in namespace shop shows shop in "
                    "explain, in pods.csv and on its events");
    g_assert_true (g_file_set_contents (spath, yaml, -1, NULL));
    g_assert_true (g_file_set_contents (mpath, manifest, -1, NULL));
    s = scenario_load (spath, NULL, &error);
    g_assert_no_error (error);
    run = run_new (s, 0, RUN_NO_SAMPLES);
    c = run_cluster (run);
    run_set_event_sink (run, collect_ns, events);
    run_until (run, s->duration);
    text = explain_pod (c, explain_find_pod (c, "cart-0"), none);
    testutil_assert_contains (text, "Namespace:    shop\n");
    g_assert_true (runfiles_write_pods (csv, c, &error));
    g_assert_true (g_file_get_contents (csv, &rows, NULL, NULL));
    testutil_assert_contains (rows, "pod,namespace,workload,");
    testutil_assert_contains (rows, "\ncart-0,shop,cart,");
    /* the kubelet's and the scheduler's events find the pod's namespace
     * by its name; the controller names its own */
    g_assert_true (has_line (events, "shop Pod/cart SuccessfulCreate"));
    g_assert_true (has_line (events, "shop Pod/cart-0 Scheduled"));
    g_assert_true (has_line (events, "shop Pod/cart-0 Pulling"));
    run_free (run);
    scenario_free (s);
    g_unlink (csv);
    g_unlink (mpath);
    g_unlink (spath);
    g_rmdir (dir);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/explain/wrong-os", test_wrong_os);
    g_test_add_func ("/explain/wrong-build", test_wrong_build);
    g_test_add_func ("/explain/unscheduled", test_unscheduled);
    g_test_add_func ("/explain/namespace", test_namespace);
    return g_test_run ();
}
