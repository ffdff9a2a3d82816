/* test-precheck.c: precheck_unplaceable() finds the workloads no pool can
 * run, whatever the node counts, and only those.
 *
 * The cluster, by hand: a Linux pool (c5.xlarge, 4 vCPU, allocatable
 * 3920m as in test-headroom.c), a Windows Server 2022 pool (10.0.20348)
 * tainted os=windows:NoSchedule, and a Windows Server 2019 pool
 * (10.0.17763) that an upgrade takes to 2022 at 2h.
 *
 *   web       Linux, 1 cpu: fits the Linux pool             -> placeable
 *   iis19     an index with only a 10.0.17763 entry, tolerates the
 *             taint: win2019 runs it before its upgrade     -> placeable
 *   iis16     an index with only a 10.0.14393 entry: no pool
 *             has that build at any time (containerd's rule:
 *             below 20348 the builds must be equal; 20348
 *             and 17763 hosts take no 14393 image)           -> finding
 *   gpu       nodeSelector accelerator=nvidia: no pool's
 *             labels carry it                                -> finding
 *   huge      64 cpu: more than any node's allocatable       -> finding
 *   hyperv    RuntimeClass handler runhcs-wcow-hypervisor:
 *             Kubernetes supports only process isolation     -> finding
 */
#include <string.h>

#include <glib.h>

#include "models/cluster.h"
#include "models/precheck.h"
#include "models/run.h"
#include "tests/support/testutil.h"

#define WIN_TOLERATE \
    "      tolerations: [{key: os, operator: Exists}]\n"

static const char yaml[] =
    "name: precheck\n"
    "duration: 4h\n"
    "control_plane: {version: \"1.31\"}\n"
    "node_pools:\n"
    "  - {name: linux, os: linux, count: 1, instance: c5.xlarge}\n"
    "  - {name: win2022, os: windows, windows_build: ltsc2022, count: 1,\n"
    "     instance: m5.xlarge,\n"
    "     taints: [{key: os, value: windows, effect: NoSchedule}]}\n"
    "  - {name: win2019, os: windows, windows_build: ltsc2019, count: 1,\n"
    "     instance: m5.xlarge,\n"
    "     taints: [{key: os, value: windows, effect: NoSchedule}]}\n"
    "runtime_classes:\n"
    "  - {name: hyperv, handler: runhcs-wcow-hypervisor}\n"
    "images:\n"
    "  - name: contoso.azurecr.io/iis19:1\n"
    "    manifests:\n"
    "      - {os: windows, arch: amd64, os_version: 10.0.17763.5458,\n"
    "         layers: [{digest: sha256:iis19, size: 100MB}]}\n"
    "  - name: contoso.azurecr.io/iis16:1\n"
    "    manifests:\n"
    "      - {os: windows, arch: amd64, os_version: 10.0.14393.6709,\n"
    "         layers: [{digest: sha256:iis16, size: 100MB}]}\n"
    "workloads:\n"
    "  - name: web\n"
    "    kind: Deployment\n"
    "    replicas: 1\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: linux}\n"
    "      containers: [{name: web, image: nginx:1.27,\n"
    "                    resources: {requests: {cpu: \"1\"}}}]\n"
    "  - name: iis19\n"
    "    kind: Deployment\n"
    "    replicas: 1\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: windows}\n"
    WIN_TOLERATE
    "      containers: [{name: a, image: contoso.azurecr.io/iis19:1}]\n"
    "  - name: iis16\n"
    "    kind: Deployment\n"
    "    replicas: 1\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: windows}\n"
    WIN_TOLERATE
    "      containers: [{name: a, image: contoso.azurecr.io/iis16:1}]\n"
    "  - name: gpu\n"
    "    kind: Deployment\n"
    "    replicas: 1\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: linux, accelerator: nvidia}\n"
    "      containers: [{name: a, image: nginx:1.27}]\n"
    "  - name: huge\n"
    "    kind: Deployment\n"
    "    replicas: 1\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: linux}\n"
    "      containers: [{name: a, image: nginx:1.27,\n"
    "                    resources: {requests: {cpu: \"64\"}}}]\n"
    "  - name: hyperv\n"
    "    kind: Deployment\n"
    "    replicas: 1\n"
    "    template:\n"
    "      runtimeClassName: hyperv\n"
    "      nodeSelector: {kubernetes.io/os: windows}\n"
    WIN_TOLERATE
    "      containers: [{name: a, image: \"mcr.microsoft.com/windows/"
    "nanoserver:ltsc2022\"}]\n"
    "events:\n"
    "  - {at: 2h, action: upgrade_pool, pool: win2019,\n"
    "     windows_build: ltsc2022}\n";

static const PrecheckFinding *
finding (GPtrArray *found, const char *workload)
{
    for (guint i = 0; i < found->len; i++) {
        const PrecheckFinding *f = g_ptr_array_index (found, i);

        if (strcmp (f->workload, workload) == 0)
            return f;
    }
    return NULL;
}

static void
test_unplaceable (void)
{
    Scenario *s = testutil_load_text (yaml);
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    g_autoptr (GPtrArray) found = precheck_unplaceable (run_cluster (run));
    const PrecheckFinding *f;

    g_test_summary ("the workloads no pool runs in any of its builds are "
                    "found, with what stops them; the others are not");
    g_assert_null (finding (found, "web"));
    /* win2019 runs it until its upgrade: more win2019 nodes would help */
    g_assert_null (finding (found, "iis19"));
    g_assert_cmpuint (found->len, ==, 4);

    f = finding (found, "iis16");
    g_assert_nonnull (f);
    g_assert_cmpint (f->os, ==, KB_OS_WINDOWS);
    testutil_assert_contains (f->why, "win2022: image contoso.azurecr.io/"
                              "iis16:1 has no entry for windows 10.0.20348");
    testutil_assert_contains (f->why, "win2019 at 10.0.17763: image "
                              "contoso.azurecr.io/iis16:1 has no entry");
    testutil_assert_contains (f->why, "win2019 at 10.0.20348: image");
    testutil_assert_contains (f->fix, "Publish the image as an index");

    f = finding (found, "gpu");
    g_assert_nonnull (f);
    /* the Linux pool fails on the selector, the Windows ones on their
     * taint first (TaintToleration runs before NodeAffinity in kbsim's
     * filter order as in the scheduler's) or the selector */
    testutil_assert_contains (f->why, "linux: the scheduler: node(s) "
                              "didn't match Pod's node affinity/selector");
    testutil_assert_contains (f->fix, "Fix the template");

    f = finding (found, "huge");
    g_assert_nonnull (f);
    testutil_assert_contains (f->why, "linux: the scheduler: Insufficient "
                              "cpu");

    f = finding (found, "hyperv");
    g_assert_nonnull (f);
    testutil_assert_contains (f->why, "win2022: RuntimeClass hyperv: no "
                              "runtime for \"runhcs-wcow-hypervisor\" is "
                              "configured");
    run_free (run);
    scenario_free (s);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/precheck/unplaceable", test_unplaceable);
    return g_test_run ();
}
