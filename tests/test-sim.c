/* test-sim.c: whole runs of the placement core checked against what must
 * hold: conservation, the kernel barrier, queueing theory, determinism.
 */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>

#include "models/cluster.h"
#include "models/image.h"
#include "models/metrics.h"
#include "models/run.h"
#include "scenarios/scenario.h"
#include "tests/support/testutil.h"

/* Recounts every pod from scratch and compares with the counters. */
static void
check_recount (Cluster *c)
{
    gint64 arrived[KB_N_OS] = { 0 }, phase[KB_N_OS][POD_N_PHASES] = { 0 };
    GPtrArray *pods = cluster_pods (c);

    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);

        arrived[p->os]++;
        phase[p->os][p->phase]++;
    }
    for (int os = 0; os < KB_N_OS; os++) {
        const OsCounters *k = cluster_counters (c, (KbOs) os);

        g_assert_cmpint (k->arrived, ==, arrived[os]);
        for (int ph = 0; ph < POD_N_PHASES; ph++)
            g_assert_cmpint (k->phase[ph], ==, phase[os][ph]);
    }
}

static void
test_conservation (void)
{
    static const char *const examples[] = { "demo.yaml", "mixed-minimal.yaml",
                                            "linux-only.yaml",
                                            "from-manifests.yaml" };

    g_test_summary ("arrived = pending + running + succeeded + failed per "
                    "OS at every sample and at every hour, by recount");
    for (gsize e = 0; e < G_N_ELEMENTS (examples); e++) {
        g_autoptr (Scenario) s = testutil_load_example (examples[e]);
        g_autoptr (Run) run = run_new (s, 0, RUN_FLAGS_NONE);
        Cluster *c = run_cluster (run);

        for (SimTime t = SIM_HOUR; t <= MIN (s->duration, 2 * SIM_DAY);
             t += SIM_HOUR) {
            run_until (run, t);
            g_assert_true (cluster_check_conservation (c));
            check_recount (c);
        }
        run_execute (run);
        g_assert_true (metrics_always_conserved (run_metrics (run)));
    }
}

/* ---- the barrier -------------------------------------------------------------- */

static void
check_no_barrier_crossing (Cluster *c)
{
    GPtrArray *pods = cluster_pods (c);
    guint running = 0;

    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);
        const KbPodTemplate *t = p->tmpl;

        if (p->running < 0)
            continue;
        running++;
        for (guint k = 0; k < t->containers->len; k++) {
            const KbContainerSpec *ct = g_ptr_array_index (t->containers, k);
            const KbImageSpec *img = scenario_find_image (
                cluster_scenario (c), ct->image);
            ImageChoice ch = image_select (img, p->node->os, p->node->arch,
                                           &p->node->build, t->host_process);

            /* Running means an entry of the right OS and a build the host
             * can run under process isolation. */
            g_assert_cmpint (ch.verdict, ==, IMAGE_OK);
            g_assert_cmpint (ch.manifest->os, ==, p->node->os);
        }
    }
    g_assert_cmpuint (running, >, 0);
}

static void
test_barrier_examples (void)
{
    static const char *const examples[] = { "demo.yaml", "mixed-minimal.yaml",
                                            "from-manifests.yaml" };

    g_test_summary ("no pod ever runs on a node of another OS or an "
                    "incompatible Windows build");
    for (gsize e = 0; e < G_N_ELEMENTS (examples); e++) {
        g_autoptr (Scenario) s = testutil_load_example (examples[e]);
        g_autoptr (Run) run = run_new (s, 0, RUN_NO_SAMPLES);

        run_until (run, MIN (s->duration, SIM_DAY));
        check_no_barrier_crossing (run_cluster (run));
    }
}

/* One Windows pool of host build H and a Deployment whose image is built
 * only for build I; the pod runs iff Microsoft's process-isolation matrix
 * (facts section 2) allows I on H. As an index, an incompatible image
 * fails at pull; as a single manifest, when its task starts. */
static void
run_matrix_cell (guint host, guint image, gboolean index,
                 gboolean expect_running)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: cell\n"
        "duration: 1h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: win, os: windows, windows_build: \"10.0.%u\", count: 1,"
        " instance: m5.xlarge, sandbox_image: mcr.microsoft.com/oss/"
        "kubernetes/pause:3.6}\n"
        "images:\n"
        "  - name: mcr.microsoft.com/oss/kubernetes/pause:3.6\n"
        "    manifests: [{os: windows, arch: amd64, size: 1MB}]\n"
        "  - name: contoso/app:%u\n"
        "    index: %s\n"
        "    manifests: [{os: windows, arch: amd64, os_version: "
        "\"10.0.%u.1\", size: 100MB}]\n"
        "workloads:\n"
        "  - name: app\n"
        "    kind: Deployment\n"
        "    replicas: 1\n"
        "    template:\n"
        "      containers: [{name: app, image: contoso/app:%u}]\n",
        host, image, index ? "true" : "false", image, image);
    g_autoptr (Scenario) s = testutil_load_text (yaml);
    g_autoptr (Run) run = run_new (s, 0, RUN_NO_SAMPLES);
    const Pod *pod;

    run_until (run, s->duration);
    pod = g_ptr_array_index (cluster_pods (run_cluster (run)), 0);
    if (expect_running) {
        g_assert_cmpint (pod->phase, ==, POD_RUNNING);
    } else {
        g_assert_cmpint (pod->phase, ==, POD_PENDING);
        if (index) {
            g_assert_cmpint (pod->reason, ==, POD_REASON_IMAGE_PULL_BACKOFF);
            testutil_assert_contains (pod->message,
                                      "no match for platform in manifest");
        } else {
            /* created, then the task fails to start (facts 10.2) */
            g_assert_cmpint (pod->reason, ==, POD_REASON_CRASH_LOOP_BACKOFF);
            testutil_assert_contains (pod->start_error,
                                      "hcs::CreateComputeSystem");
        }
    }
}

static void
test_barrier_matrix (void)
{
    static const guint builds[] = { 14393, 17763, 20348, 26100 };

    g_test_summary ("every cell of the process-isolation compatibility "
                    "matrix, as an image index and as a single manifest");
    for (gsize h = 0; h < G_N_ELEMENTS (builds); h++)
        for (gsize i = 0; i < G_N_ELEMENTS (builds); i++) {
            gboolean ok = platform_win_supported (builds[h], builds[i],
                                                  PLATFORM_ISOLATION_PROCESS);

            run_matrix_cell (builds[h], builds[i], TRUE, ok);
            run_matrix_cell (builds[h], builds[i], FALSE, ok);
        }
}

/* ---- queueing theory ----------------------------------------------------------- */

/* Erlang C: the probability that an arrival waits in an M/M/c queue with
 * offered load a = lambda/mu, and the mean wait Wq = C / (c mu - lambda). */
static double
erlang_c (guint c, double a)
{
    double term = 1, sum = 1, last;

    for (guint k = 1; k < c; k++) {
        term *= a / k;
        sum += term;
    }
    last = term * a / c * c / (c - a);
    return last / (sum + last);
}

typedef struct {
    SimTime warm;
    double waits;           /* sum of created -> bound, seconds */
    double n;
} WaitStats;

static void
collect_wait (const Pod *pod, gpointer data)
{
    WaitStats *w = data;

    if (pod->created < w->warm)
        return;
    w->waits += sim_time_to_seconds (pod->scheduled - pod->created);
    w->n++;
}

/* Tolerance: the relative standard error of the mean wait, measured by
 * batch means over several seeds at this load (rho = 0.75, c = 8), is
 * about 2.6% at 3.4e5 jobs and falls as 1/sqrt(n); 3.4e6 jobs put 3% at
 * about 3.6 standard errors (a false failure below 1 in 3000 for a fixed
 * seed), while a real error such as the back-off delaying every start by
 * 10 s (+1.6%) or scheduling in the wrong order would still show. */
static void
test_mmc (void)
{
    const guint c = 8;
    const double lambda = 6.0 / 3600, mu = 1.0 / 3600;     /* rho = 0.75 */
    g_autofree char *yaml = g_strdup_printf (
        "name: mmc\n"
        "seed: 2024\n"
        "duration: 24000d\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: slots, os: linux, count: %u, cpu: \"1\", memory: 4Gi,"
        " container_start: 0s, prepulled_images: [registry.k8s.io/pause:3.10,"
        " alpine:3.22]}\n"
        "workloads:\n"
        "  - name: job\n"
        "    kind: Job\n"
        "    arrivals: {process: poisson, rate: 6/h}\n"
        "    duration: {dist: exponential, mean: 1h}\n"
        "    template:\n"
        "      containers: [{name: j, image: alpine:3.22, resources: "
        "{requests: {cpu: \"1\"}}}]\n"
        "metrics: {sample_every: 1000d}\n", c);
    g_autoptr (Scenario) s = testutil_load_text (yaml);
    g_autoptr (Run) run = run_new (s, 0, RUN_NO_SAMPLES);
    double wq = erlang_c (c, lambda / mu) / (c * mu - lambda);
    WaitStats w = { 30 * SIM_DAY, 0, 0 };
    double mean;

    g_test_summary ("Poisson jobs on c identical slots wait as Erlang C "
                    "says, within 3% over 3.4 million jobs");
    run_set_drop_finished (run, TRUE);
    run_set_pod_hook (run, collect_wait, &w);
    run_until (run, s->duration);
    mean = w.waits / w.n;
    g_test_message ("jobs %.0f, mean wait %.1f s, Erlang C %.1f s", w.n,
                    mean, wq);
    g_assert_cmpfloat (w.n, >, 3.3e6);
    g_assert_cmpfloat (fabs (mean - wq) / wq, <, 0.03);
    g_assert_true (cluster_check_conservation (run_cluster (run)));
}

/* Little's law on the pending queue, from the sampled queue length (time
 * average) against arrival rate times mean wait, over a busy Linux
 * cluster. The samples are exact counts at regular instants, so the
 * agreement is statistical, not by construction. */
static void
test_little (void)
{
    g_autoptr (Scenario) s = testutil_load_text (
        "name: little\n"
        "seed: 5\n"
        "duration: 400d\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: slots, os: linux, count: 4, cpu: \"1\", memory: 4Gi,"
        " container_start: 0s, prepulled_images: [registry.k8s.io/pause:3.10,"
        " alpine:3.22]}\n"
        "workloads:\n"
        "  - name: job\n"
        "    kind: Job\n"
        "    arrivals: {process: poisson, rate: 3/h}\n"
        "    duration: {dist: exponential, mean: 1h}\n"
        "    template:\n"
        "      containers: [{name: j, image: alpine:3.22, resources: "
        "{requests: {cpu: \"1\"}}}]\n"
        "metrics: {sample_every: 1m}\n");
    g_autoptr (Run) run = run_new (s, 0, RUN_FLAGS_NONE);
    WaitStats w = { 0, 0, 0 };
    const GArray *samples;
    double area = 0, lq, lambda_hat, wait;

    g_test_summary ("Little's law holds on the queue of unscheduled pods");
    run_set_drop_finished (run, TRUE);
    run_set_pod_hook (run, collect_wait, &w);
    run_execute (run);
    samples = metrics_samples (run_metrics (run));
    for (guint i = 0; i < samples->len; i++)
        area += g_array_index (samples, Sample, i).v[KB_OS_LINUX]
                                                    [POD_COL_UNSCHEDULED];
    lq = area / samples->len;
    lambda_hat = w.n / sim_time_to_seconds (s->duration);
    wait = w.waits / w.n;
    g_test_message ("L %.4f, lambda W %.4f", lq, lambda_hat * wait);
    g_assert_cmpfloat (fabs (lq - lambda_hat * wait) / lq, <, 0.05);
}

/* ---- failure classes, each as a real cluster shows it --------------------- */

/* A small mixed cluster: one Linux node, one Windows Server 2022 node
 * (untainted unless the case adds a taint), plus `extra` YAML, run to its
 * end. */
static Run *
run_case (const char *pools_extra, const char *rest, Scenario **out)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: case\n"
        "duration: 2h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 1, instance: m5.xlarge}\n"
        "  - {name: win, os: windows, windows_build: ltsc2022, count: 1,"
        " instance: m5.xlarge%s}\n"
        "%s", pools_extra, rest);
    Scenario *s = testutil_load_text (yaml);
    Run *run = run_new (s, 0, RUN_FLAGS_NONE);

    run_execute (run);
    g_assert_true (cluster_check_conservation (run_cluster (run)));
    *out = s;
    return run;
}

static const Pod *
first_pod_of (Cluster *c, const char *workload)
{
    GPtrArray *pods = cluster_pods (c);

    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);

        if (strcmp (p->workload->spec->name, workload) == 0)
            return p;
    }
    return NULL;
}

static void
test_admission (void)
{
    Scenario *s;
    Run *run = run_case ("",
        "workloads:\n"
        "  - name: by-name\n"
        "    kind: Pod\n"
        "    template:\n"
        "      nodeName: win-0\n"
        "      nodeSelector: {kubernetes.io/os: linux}\n"
        "      containers: [{name: a, image: nginx:1.27}]\n"
        "  - name: os-field\n"
        "    kind: Pod\n"
        "    template:\n"
        "      nodeName: lnx-0\n"
        "      os: {name: windows}\n"
        "      containers: [{name: a, image: mcr.microsoft.com/windows/"
        "nanoserver:ltsc2022}]\n", &s);
    Cluster *c = run_cluster (run);
    const Pod *a = first_pod_of (c, "by-name");
    const Pod *b = first_pod_of (c, "os-field");

    g_test_summary ("pods that bypass the scheduler are refused by the "
                    "kubelet's admission with the real reasons");
    g_assert_cmpint (a->phase, ==, POD_FAILED);
    g_assert_cmpstr (cluster_pod_status (a), ==,
                     "PodOSSelectorNodeLabelDoesNotMatch");
    g_assert_cmpstr (a->message, ==, "Failed to admit pod as the "
                     "`kubernetes.io/os` label doesn't match node label");
    g_assert_cmpint (b->phase, ==, POD_FAILED);
    g_assert_cmpstr (cluster_pod_status (b), ==, "PodOSNotSupported");
    run_free (run);
    scenario_free (s);
}

static void
test_daemonset_taint (void)
{
    Scenario *s;
    Run *run = run_case ("",
        "workloads:\n"
        "  - name: agent\n"
        "    kind: DaemonSet\n"
        "    template:\n"
        "      containers: [{name: a, image: debian:bookworm-slim}]\n", &s);
    Cluster *c = run_cluster (run);
    const Pod *on_win = NULL;
    GPtrArray *pods = cluster_pods (c);
    Scenario *s2;
    Run *run2;
    Cluster *c2;

    g_test_summary ("a Linux DaemonSet without a selector lands on an "
                    "untainted Windows node and sits in ImagePullBackOff; "
                    "the os=windows taint keeps it off");
    g_assert_cmpuint (pods->len, ==, 2);
    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);

        if (p->node && p->node->os == KB_OS_WINDOWS)
            on_win = p;
        else
            g_assert_cmpint (p->phase, ==, POD_RUNNING);
    }
    g_assert_nonnull (on_win);
    g_assert_cmpstr (cluster_pod_status (on_win), ==, "ImagePullBackOff");
    run_free (run);
    scenario_free (s);

    run2 = run_case (", taints: [{key: os, value: windows, effect: "
                   "NoSchedule}]",
        "workloads:\n"
        "  - name: agent\n"
        "    kind: DaemonSet\n"
        "    template:\n"
        "      containers: [{name: a, image: debian:bookworm-slim}]\n", &s2);
    c2 = run_cluster (run2);
    g_assert_cmpuint (cluster_pods (c2)->len, ==, 1);
    g_assert_cmpint (((Pod *) g_ptr_array_index (cluster_pods (c2), 0))
                         ->phase, ==, POD_RUNNING);
    run_free (run2);
    scenario_free (s2);
}

static void
test_taint_without_toleration (void)
{
    Scenario *s;
    Run *run = run_case (", taints: [{key: os, value: windows, effect: "
                           "NoSchedule}]",
        "workloads:\n"
        "  - name: iis\n"
        "    kind: Deployment\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: a, image: mcr.microsoft.com/windows/"
        "servercore:ltsc2022}]\n", &s);
    Cluster *c = run_cluster (run);
    const Pod *p = first_pod_of (c, "iis");

    g_test_summary ("a Windows pod without the toleration: FailedScheduling "
                    "with the exact text for 1.31");
    g_assert_cmpint (p->phase, ==, POD_PENDING);
    g_assert_null (p->node);
    g_assert_cmpstr (p->message, ==, "0/2 nodes are available: 1 node(s) "
                     "didn't match Pod's node affinity/selector, 1 node(s) "
                     "had untolerated taint {os: windows}. preemption: 0/2 "
                     "nodes are available: 2 Preemption is not helpful for "
                     "scheduling.");
    run_free (run);
    scenario_free (s);
}

static void
test_sandbox_and_runtime_class (void)
{
    Scenario *s;
    Run *run = run_case (", sandbox_image: contoso/pause-2019:1",
        "images:\n"
        "  - name: contoso/pause-2019:1\n"
        "    index: false\n"
        "    manifests: [{os: windows, arch: amd64, os_version: 10.0.17763,"
        " size: 1MB}]\n"
        "runtime_classes:\n"
        "  - {name: hyperv, handler: runhcs-wcow-hypervisor}\n"
        "workloads:\n"
        "  - name: app\n"
        "    kind: Deployment\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: a, image: mcr.microsoft.com/windows/"
        "nanoserver:ltsc2022}]\n", &s);
    Cluster *c = run_cluster (run);
    const Pod *p = first_pod_of (c, "app");
    Scenario *s2;
    Run *run2;
    Cluster *c2;

    g_test_summary ("a pause image of the wrong build, and a Hyper-V "
                    "RuntimeClass, leave pods in ContainerCreating with "
                    "FailedCreatePodSandBox");
    g_assert_cmpint (p->phase, ==, POD_PENDING);
    g_assert_cmpstr (cluster_pod_status (p), ==, "ContainerCreating");
    testutil_assert_contains (p->message, "Failed to create pod sandbox");
    testutil_assert_contains (p->message, "failed to start sandbox \"");
    testutil_assert_contains (p->message, "hcs::CreateComputeSystem");
    run_free (run);
    scenario_free (s);

    run2 = run_case ("",
        "runtime_classes:\n"
        "  - {name: hyperv, handler: runhcs-wcow-hypervisor}\n"
        "workloads:\n"
        "  - name: app\n"
        "    kind: Deployment\n"
        "    template:\n"
        "      runtimeClassName: hyperv\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: a, image: mcr.microsoft.com/windows/"
        "nanoserver:ltsc2022}]\n", &s2);
    c2 = run_cluster (run2);
    p = first_pod_of (c2, "app");
    g_assert_cmpstr (cluster_pod_status (p), ==, "ContainerCreating");
    testutil_assert_contains (p->message, "no runtime for "
                              "\"runhcs-wcow-hypervisor\" is configured");
    run_free (run2);
    scenario_free (s2);
}

static void
test_api_rejection (void)
{
    Scenario *s;
    Run *run = run_case ("",
        "workloads:\n"
        "  - name: bad\n"
        "    kind: Deployment\n"
        "    replicas: 3\n"
        "    template:\n"
        "      os: {name: windows}\n"
        "      securityContext: {runAsUser: 1000}\n"
        "      containers: [{name: a, image: mcr.microsoft.com/windows/"
        "nanoserver:ltsc2022, securityContext: {privileged: true}}]\n", &s);
    Cluster *c = run_cluster (run);
    const Workload *w = g_ptr_array_index (cluster_workloads (c), 0);
    const RunSummary *sum = run_summary (run);
    const SummaryWorkload *sw = g_ptr_array_index (sum->workloads, 0);
    const SummaryReason *top;

    g_test_summary ("a Windows pod with Linux-only securityContext fields is "
                    "rejected by the API server: no pod is ever created, "
                    "and the three replicas count as not placed");
    g_assert_true (w->api_rejected);
    testutil_assert_contains (w->reject_message, "spec.securityContext."
                              "runAsUser: Forbidden");
    testutil_assert_contains (w->reject_message, "containers[0]."
                              "securityContext.privileged");
    g_assert_cmpuint (cluster_pods (c)->len, ==, 0);
    /* History: the summary said 100% placed and "No failures". Three
     * replicas wanted at time 0, deadline 5 m inside the 2 h run: three
     * eligible, none placed. */
    g_assert_cmpint (sum->rejected[KB_OS_WINDOWS], ==, 3);
    g_assert_cmpint (sum->eligible[KB_OS_WINDOWS], ==, 3);
    g_assert_cmpint (sum->placed[KB_OS_WINDOWS], ==, 0);
    g_assert_cmpfloat (run_summary_placement (sum, KB_OS_WINDOWS), ==, 0.0);
    g_assert_cmpint (sw->rejected, ==, 3);
    g_assert_cmpint (sw->eligible, ==, 3);
    g_assert_cmpuint (sum->reasons->len, >=, 1);
    top = g_ptr_array_index (sum->reasons, 0);
    g_assert_cmpstr (top->reason, ==, "FailedCreate");
    g_assert_cmpint (top->count, ==, 3);
    testutil_assert_contains (top->example, "Error creating: Pod \"bad-0\" "
                              "is invalid");
    run_free (run);
    scenario_free (s);
}

static void
test_shared_layers (void)
{
    Scenario *s;
    Run *run = run_case ("",
        "workloads:\n"
        "  - name: core\n"
        "    kind: Pod\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: a, image: mcr.microsoft.com/windows/"
        "servercore:ltsc2022}]\n"
        "  - name: iis\n"
        "    kind: Pod\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: a, image: mcr.microsoft.com/windows/"
        "servercore/iis:windowsservercore-ltsc2022}]\n", &s);
    Cluster *c = run_cluster (run);
    const Pod *a = first_pod_of (c, "core"), *b = first_pod_of (c, "iis");
    const KbImageSpec *core = scenario_find_image (
        s, "mcr.microsoft.com/windows/servercore:ltsc2022");
    const KbImageSpec *iis = scenario_find_image (
        s, "mcr.microsoft.com/windows/servercore/iis:"
        "windowsservercore-ltsc2022");
    gint64 core_size = ((KbManifestSpec *) g_ptr_array_index (
        core->manifests, 0))->size;
    gint64 iis_size = ((KbManifestSpec *) g_ptr_array_index (
        iis->manifests, 0))->size;
    const RunSummary *sum = run_summary (run);

    g_test_summary ("layers shared between images are pulled once per "
                    "node: IIS after servercore pulls only its own layer");
    g_assert_cmpint (a->phase, ==, POD_RUNNING);
    g_assert_cmpint (b->phase, ==, POD_RUNNING);
    /* The Windows node pulled the pause image, servercore, and of IIS only
     * what servercore lacks. */
    g_assert_cmpint (sum->pull_bytes[KB_OS_WINDOWS], <,
                     core_size + iis_size);
    g_assert_cmpint (sum->pull_bytes[KB_OS_WINDOWS], >=, iis_size);
    run_free (run);
    scenario_free (s);
}

/* ---- determinism ---------------------------------------------------------------- */

static char *
run_trace (const char *example, guint64 seed)
{
    g_autoptr (Scenario) s = testutil_load_example (example);
    g_autoptr (Run) run = NULL;
    GString *out = g_string_new (NULL);
    GPtrArray *pods;

    s->seed = seed;
    run = run_new (s, 0, RUN_NO_SAMPLES);
    run_until (run, SIM_DAY);
    pods = cluster_pods (run_cluster (run));
    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);

        g_string_append_printf (out, "%s %s %" G_GINT64_FORMAT " %"
                                G_GINT64_FORMAT " %d\n", p->name,
                                p->node ? p->node->name : "-", p->scheduled,
                                p->running, p->phase);
    }
    return g_string_free (out, FALSE);
}

static void
test_determinism (void)
{
    g_autofree char *a = run_trace ("demo.yaml", 42);
    g_autofree char *b = run_trace ("demo.yaml", 42);
    g_autofree char *d = run_trace ("demo.yaml", 43);

    g_test_summary ("the same seed gives the same run, pod by pod; another "
                    "seed differs");
    g_assert_cmpstr (a, ==, b);
    g_assert_cmpstr (a, !=, d);
}

/* A run stopped on the way (explain --at, a lesson's moments) is the same
 * run: run_until() only pauses the engine. */
static void
test_run_stepped (void)
{
    g_autoptr (Scenario) s = testutil_load_example ("mixed-minimal.yaml");
    g_autoptr (Run) straight = run_new (s, 0, RUN_FLAGS_NONE);
    g_autoptr (Run) stepped = run_new (s, 0, RUN_FLAGS_NONE);
    const RunSummary *a, *b;

    g_test_summary ("a Run advanced in steps and then executed gives the "
                    "figures of one executed at once");
    run_execute (straight);
    for (SimTime t = 7 * SIM_MINUTE; t < s->duration; t += 7 * SIM_MINUTE)
        run_until (stepped, t);
    run_execute (stepped);
    a = run_summary (straight);
    b = run_summary (stepped);
    g_assert_cmpint (a->end, ==, s->duration);
    g_assert_cmpint (b->end, ==, a->end);
    g_assert_cmpuint (b->events, ==, a->events);
    g_assert_cmpmem (b->phase, sizeof b->phase, a->phase, sizeof a->phase);
    g_assert_cmpmem (b->placed, sizeof b->placed, a->placed,
                     sizeof a->placed);
    g_assert_cmpuint (metrics_samples (run_metrics (stepped))->len, ==,
                      metrics_samples (run_metrics (straight))->len);
    g_assert_cmpfloat (run_cost (stepped)->total, ==,
                       run_cost (straight)->total);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/sim/conservation", test_conservation);
    g_test_add_func ("/sim/barrier/examples", test_barrier_examples);
    g_test_add_func ("/sim/barrier/matrix", test_barrier_matrix);
    g_test_add_func ("/sim/queueing/mmc-erlang-c", test_mmc);
    g_test_add_func ("/sim/queueing/little", test_little);
    g_test_add_func ("/sim/determinism", test_determinism);
    g_test_add_func ("/sim/run/stepped", test_run_stepped);
    g_test_add_func ("/sim/kubelet/admission", test_admission);
    g_test_add_func ("/sim/daemonset/taint", test_daemonset_taint);
    g_test_add_func ("/sim/scheduler/taint-without-toleration",
                     test_taint_without_toleration);
    g_test_add_func ("/sim/kubelet/sandbox-and-runtime-class",
                     test_sandbox_and_runtime_class);
    g_test_add_func ("/sim/apiserver/windows-fields", test_api_rejection);
    g_test_add_func ("/sim/kubelet/shared-layers", test_shared_layers);
    return g_test_run ();
}
