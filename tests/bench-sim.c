/* bench-sim.c: the placement core at Kubernetes' scalability limits.
 *
 * 5,000 nodes (4,000 Linux; 1,000 Windows in two builds, tainted), about
 * 150,000 pods running at steady state (Deployments on both OSes, plus
 * Linux Jobs arriving at 10 per second for about 50 minutes each), one
 * simulated day: about a million pod lifecycles, with random node
 * failures (mtbf 30 days, mttr 2 hours: about 170 failures, each evicting
 * its pods after 300 s) and the cluster autoscaler on the Linux pool
 * (3,600 to 4,400 nodes). Prints wall time, pods
 * and events per second and peak memory, median of three runs
 * (KBSIM_BENCH_RUNS=1 for one).
 * KBSIM_BENCH_HOURS shortens the simulated time for a quick look.
 * Never part of make test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "models/cluster.h"
#include "models/run.h"
#include "scenarios/scenario.h"

static const char scenario_text[] =
    "name: bench-5000\n"
    "seed: 1\n"
    "duration: %dh\n"
    "control_plane: {version: \"1.31\", nodes: 3}\n"
    "node_pools:\n"
    "  - {name: linux, os: linux, count: 4000, instance: m5.4xlarge,"
    " autoscale: {min: 3600, max: 4400}, prepulled_images:"
    " [registry.k8s.io/pause:3.10, nginx:1.27, alpine:3.22]}\n"
    "  - {name: win2019, os: windows, windows_build: ltsc2019, count: 500,"
    " instance: m5.4xlarge, taints: [{key: os, value: windows,"
    " effect: NoSchedule}], prepulled_images: [registry.k8s.io/pause:3.10,"
    " mcr.microsoft.com/windows/servercore:ltsc2019]}\n"
    "  - {name: win2022, os: windows, windows_build: ltsc2022, count: 500,"
    " instance: m5.4xlarge, taints: [{key: os, value: windows,"
    " effect: NoSchedule}], prepulled_images: [registry.k8s.io/pause:3.10,"
    " mcr.microsoft.com/windows/servercore:ltsc2022]}\n"
    "workloads:\n"
    "  - name: web\n"
    "    kind: Deployment\n"
    "    replicas: 100000\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: linux}\n"
    "      containers: [{name: web, image: nginx:1.27, resources:"
    " {requests: {cpu: 200m, memory: 256Mi}}}]\n"
    "  - name: win2019-app\n"
    "    kind: Deployment\n"
    "    replicas: 10000\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: windows,"
    " node.kubernetes.io/windows-build: \"10.0.17763\"}\n"
    "      tolerations: [{key: os, operator: Equal, value: windows,"
    " effect: NoSchedule}]\n"
    "      containers: [{name: app, image:"
    " mcr.microsoft.com/windows/servercore:ltsc2019, resources: {requests:"
    " {cpu: 500m, memory: 1Gi}}}]\n"
    "  - name: win2022-app\n"
    "    kind: Deployment\n"
    "    replicas: 10000\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: windows,"
    " node.kubernetes.io/windows-build: \"10.0.20348\"}\n"
    "      tolerations: [{key: os, operator: Equal, value: windows,"
    " effect: NoSchedule}]\n"
    "      containers: [{name: app, image:"
    " mcr.microsoft.com/windows/servercore:ltsc2022, resources: {requests:"
    " {cpu: 500m, memory: 1Gi}}}]\n"
    "  - name: batch\n"
    "    kind: Job\n"
    "    arrivals: {process: poisson, rate: 10/s}\n"
    "    duration: {dist: exponential, mean: 50m}\n"
    "    template:\n"
    "      nodeSelector: {kubernetes.io/os: linux}\n"
    "      containers: [{name: job, image: alpine:3.22, resources:"
    " {requests: {cpu: 250m, memory: 512Mi}}}]\n"
    "failures:\n"
    "  nodes: {mtbf: 30d, mttr: 2h}\n"
    "metrics: {sample_every: 5m}\n";

static glong
peak_rss_mib (void)
{
    struct rusage ru;

    getrusage (RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static int
cmp_double (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}

int
main (void)
{
    const char *h = g_getenv ("KBSIM_BENCH_HOURS");
    int hours = h ? atoi (h) : 24;
    g_autofree char *dir = g_dir_make_tmp ("kbsim-bench-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "bench.yaml", NULL);
    g_autofree char *text = g_strdup_printf (scenario_text, hours);
    const char *rs = g_getenv ("KBSIM_BENCH_RUNS");
    int runs = rs ? CLAMP (atoi (rs), 1, 3) : 3;
    double secs[3];
    guint64 events = 0;
    gint64 pods = 0, running = 0;

    gsl_set_error_handler_off ();
    g_file_set_contents (path, text, -1, NULL);
    for (int r = 0; r < runs; r++) {
        g_autoptr (GError) error = NULL;
        g_autoptr (Scenario) s = scenario_load (path, NULL, &error);
        gint64 t0;
        Run *run;
        Cluster *c;

        if (s == NULL) {
            fprintf (stderr, "%s\n", error->message);
            return 1;
        }
        t0 = g_get_monotonic_time ();
        /* the engine and the models alone: no samples, finished pods
         * freed */
        run = run_new (s, 0, RUN_NO_SAMPLES);
        run_set_drop_finished (run, TRUE);
        run_until (run, s->duration);
        secs[r] = (g_get_monotonic_time () - t0) / 1e6;
        c = run_cluster (run);
        events = sim_engine_events_run (cluster_engine (c));
        pods = cluster_counters (c, KB_OS_LINUX)->arrived
               + cluster_counters (c, KB_OS_WINDOWS)->arrived;
        running = cluster_counters (c, KB_OS_LINUX)->phase[POD_RUNNING]
                  + cluster_counters (c, KB_OS_WINDOWS)->phase[POD_RUNNING];
        if (!cluster_check_conservation (c)) {
            fprintf (stderr, "conservation failed\n");
            return 1;
        }
        run_free (run);
    }
    qsort (secs, runs, sizeof secs[0], cmp_double);
    printf ("5,000 nodes, %d h simulated: %" G_GINT64_FORMAT " pods created, "
            "%" G_GINT64_FORMAT " running at the end\n", hours, pods,
            running);
    printf ("  wall time %.2f s (median of %d), %.0f pods/s, %.0f "
            "events/s, peak RSS %ld MiB\n", secs[runs / 2], runs,
            pods / secs[runs / 2], events / secs[runs / 2],
            peak_rss_mib ());
    g_unlink (path);
    g_rmdir (dir);
    return 0;
}
