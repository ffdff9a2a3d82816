/* test-explain.c: `kbsim explain` names the right rule and the right fix
 * for each kind of stuck pod. */
#include <string.h>

#include <glib.h>
#include <gsl/gsl_errno.h>

#include "models/cluster.h"
#include "models/explain.h"
#include "models/run.h"
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

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/explain/wrong-os", test_wrong_os);
    g_test_add_func ("/explain/wrong-build", test_wrong_build);
    g_test_add_func ("/explain/unscheduled", test_unscheduled);
    return g_test_run ();
}
