/* test-registry.c: the links an image pull crosses, and the summary of
 * a registry's aggregate cap.
 *
 * History (issue 14, item 11): every registry was one pipe shared by all
 * nodes' pulls, 100 MB/s unless given, so adding Windows nodes made every
 * Windows pull slower. CDN-backed public registries (Docker Hub, MCR,
 * registry.k8s.io) publish no aggregate cap; a node's own network limits
 * its pulls there. Azure Container Registry documented a download limit
 * per registry and tier (30, 60, 100 for Basic, Standard, Premium; facts
 * 10.5). Now a registry links each node on its own by default, an
 * aggregate cap is an explicit key, and the summary says how long it
 * bound.
 *
 * Every expected time is worked by hand from the scenario: a pull takes
 * the registry's latency (100 ms by default), then its bytes at the
 * transfer's max-min fair share of its links, then its bytes at the
 * node's disk speed (2 GB at 2000 MB/s: 1 s here).
 */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "models/cluster.h"
#include "models/metrics.h"
#include "models/run.h"
#include "reports/runfiles.h"
#include "scenarios/scenario.h"
#include "tests/support/testutil.h"

#define LATENCY 0.1             /* seconds, the default */
#define EXTRACT 1.0             /* 2 GB at 2000 MB/s */
#define IMAGE_BYTES 2e9

/* n Windows nodes (network `nic`), each running one DaemonSet pod of a
 * 2 GB image from registry `reg` (cdn.example.com), the pause image
 * baked in; a second pool of m nodes with network `nic2` when m > 0. */
static Scenario *
registry_scenario (int n, const char *nic, int m, const char *nic2,
                   const char *reg)
{
    g_autofree char *second = m > 0 ? g_strdup_printf (
        "  - {name: slow, os: windows, windows_build: ltsc2022, count: %d,"
        " instance: m5.xlarge, network_bandwidth: %s, disk_bandwidth:"
        " 2000MB/s, prepulled_images: [registry.k8s.io/pause:3.10]}\n",
        m, nic2) : g_strdup ("");
    g_autofree char *yaml = g_strdup_printf (
        "name: registry\n"
        "duration: 1h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: win, os: windows, windows_build: ltsc2022, count: %d,"
        " instance: m5.xlarge, network_bandwidth: %s, disk_bandwidth:"
        " 2000MB/s, prepulled_images: [registry.k8s.io/pause:3.10]}\n"
        "%s"
        "registries:\n"
        "  - {name: cdn, host: cdn.example.com%s%s}\n"
        "images:\n"
        "  - name: cdn.example.com/app:1\n"
        "    manifests:\n"
        "      - {os: windows, arch: amd64, os_version: 10.0.20348.2340,"
        " size: 2GB}\n"
        "workloads:\n"
        "  - name: app\n"
        "    kind: DaemonSet\n"
        "    template:\n"
        "      nodeSelector: {kubernetes.io/os: windows}\n"
        "      containers: [{name: app, image: cdn.example.com/app:1}]\n",
        n, nic, second, reg[0] ? ", " : "", reg);

    return testutil_load_text (yaml);
}

/* The seconds each of the image's pulls took, in the order the pods
 * reached Running (transfer full). */
static GArray *
pull_seconds (Scenario *s, guint *n_pulls)
{
    Run *run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    GArray *out = g_array_new (FALSE, FALSE, sizeof (double));
    const GArray *ttr;

    run_until (run, 30 * SIM_MINUTE);
    ttr = cluster_time_to_running (c, KB_OS_WINDOWS);
    g_array_append_vals (out, ttr->data, ttr->len);
    *n_pulls = 0;
    {
        g_autoptr (GPtrArray) pulls = cluster_image_pulls (c);

        for (guint i = 0; i < pulls->len; i++)
            *n_pulls += ((ImagePullStats *) g_ptr_array_index (pulls, i))
                            ->pulls[KB_OS_WINDOWS];
    }
    g_assert_true (cluster_check_conservation (c));
    run_free (run);
    return out;
}

typedef struct {
    const char *what;
    int n;                      /* nodes of the first pool */
    const char *nic;
    int m;                      /* nodes of the second pool */
    const char *nic2;
    const char *reg;            /* the registry's link keys */
    double transfer[2];         /* seconds: first pool, second pool */
} LinkCase;

/* The time to Running is the pull plus what comes before and after it
 * (scheduling, the container start), the same for every case: measured
 * once, on a lone node with no cap. */
static double
overhead (void)
{
    g_autoptr (Scenario) s = registry_scenario (1, "1000MB/s", 0, "",
                                                "per_node_bandwidth: 100MB/s");
    guint n;
    g_autoptr (GArray) t = pull_seconds (s, &n);

    g_assert_cmpuint (t->len, ==, 1);
    return g_array_index (t, double, 0) - (LATENCY + 20.0 + EXTRACT);
}

static const LinkCase link_cases[] = {
    /* 2 GB at 100 MB/s each: 20 s, however many nodes pull. */
    { "per-node, 2 nodes", 2, "1000MB/s", 0, "",
      "per_node_bandwidth: 100MB/s", { 20.0, 0 } },
    { "per-node, 4 nodes", 4, "1000MB/s", 0, "",
      "per_node_bandwidth: 100MB/s", { 20.0, 0 } },
    /* No link keys: the node's 125 MB/s network: 16 s. */
    { "default, 3 nodes", 3, "125MB/s", 0, "", "", { 16.0, 0 } },
    /* One 100 MB/s cap shared by n nodes: 2 GB at 100/n MB/s. */
    { "aggregate, 2 nodes", 2, "125MB/s", 0, "",
      "aggregate_bandwidth: 100MB/s", { 40.0, 0 } },
    { "aggregate, 4 nodes", 4, "125MB/s", 0, "",
      "aggregate_bandwidth: 100MB/s", { 80.0, 0 } },
    /* The old key keeps its old meaning: an aggregate cap. */
    { "old bandwidth, 2 nodes", 2, "125MB/s", 0, "",
      "bandwidth: 100MB/s", { 40.0, 0 } },
    /* ACR Basic, 30 MB/s for the registry: 15 MB/s each, 133.3 s. */
    { "tier basic, 2 nodes", 2, "125MB/s", 0, "", "tier: basic",
      { 2000.0 / 15, 0 } },
    /* Premium, 100 MB/s, 5 nodes: 20 MB/s each, 100 s. */
    { "tier premium, 5 nodes", 5, "125MB/s", 0, "", "tier: premium",
      { 100.0, 0 } },
    /* Max-min fair: a node on a 25 MB/s network takes 25 of a 100 MB/s
     * cap (80 s), the other node the 75 left (26.7 s), not an equal 50. */
    { "aggregate, unequal nodes", 1, "125MB/s", 1, "25MB/s",
      "aggregate_bandwidth: 100MB/s", { 2000.0 / 75, 80.0 } },
    /* Both limits: 40 MB/s per node under a 100 MB/s cap. 2 nodes ask
     * 80 in all: the per-node link binds (50 s); 4 nodes ask 160: the
     * cap binds, 25 each (80 s). */
    { "both, 2 nodes", 2, "125MB/s", 0, "",
      "per_node_bandwidth: 40MB/s, aggregate_bandwidth: 100MB/s",
      { 50.0, 0 } },
    { "both, 4 nodes", 4, "125MB/s", 0, "",
      "per_node_bandwidth: 40MB/s, aggregate_bandwidth: 100MB/s",
      { 80.0, 0 } },
};

static int
cmp_double (gconstpointer a, gconstpointer b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}

static void
test_link_times (void)
{
    double over = overhead ();

    g_test_summary ("each node's pull of a 2 GB image takes latency, its "
                    "max-min share of its node's network, the registry's "
                    "per-node link and aggregate cap, then extraction");
    /* The Windows container_start default, 5 s, and scheduling at
     * once. */
    g_assert_cmpfloat_with_epsilon (over, 5.0, 1e-3);
    for (guint i = 0; i < G_N_ELEMENTS (link_cases); i++) {
        const LinkCase *lc = &link_cases[i];
        g_autoptr (Scenario) s = registry_scenario (lc->n, lc->nic, lc->m,
                                                    lc->nic2, lc->reg);
        guint pulls;
        g_autoptr (GArray) t = pull_seconds (s, &pulls);

        g_test_message ("%s", lc->what);
        g_assert_cmpuint (pulls, ==, (guint) (lc->n + lc->m));
        g_assert_cmpuint (t->len, ==, (guint) (lc->n + lc->m));
        g_array_sort (t, cmp_double);
        /* Sorted: the faster pool's pods first. Microsecond clock, so a
         * millisecond is ample. */
        for (guint k = 0; k < t->len; k++) {
            double want = over + LATENCY + EXTRACT
                          + (k < (guint) (lc->m > 0 ? 1 : lc->n)
                             ? lc->transfer[0] : lc->transfer[1]);

            g_assert_cmpfloat_with_epsilon (g_array_index (t, double, k),
                                            want, 1e-3);
        }
    }
}

/* The old key says what it is read as, where `kbsim validate` shows it;
 * the new keys say nothing. */
static void
test_old_key_deprecated (void)
{
    g_autoptr (Scenario) old = registry_scenario (1, "125MB/s", 0, "",
                                                  "bandwidth: 60MB/s");
    g_autoptr (Scenario) now = registry_scenario (
        1, "125MB/s", 0, "", "aggregate_bandwidth: 60MB/s");
    const KbRegistrySpec *r = scenario_find_registry (old, "cdn");

    g_test_summary ("registries[].bandwidth is read as aggregate_bandwidth "
                    "and flagged as deprecated");
    g_assert_cmpfloat (r->aggregate_bandwidth, ==, 60e6);
    g_assert_cmpfloat (r->per_node_bandwidth, ==, 0);
    g_assert_cmpuint (old->deprecated->len, ==, 1);
    testutil_assert_contains (g_ptr_array_index (old->deprecated, 0),
                              ":7:51: registry cdn: bandwidth is "
                              "deprecated and read as aggregate_bandwidth");
    g_assert_cmpuint (now->deprecated->len, ==, 0);
}

/* ACR's documented figures per tier (facts 10.5), read as MB/s. */
static void
test_tiers (void)
{
    static const struct {
        const char *key;
        double bytes_per_s;
    } tiers[] = {
        { "tier: basic", 30e6 },
        { "tier: standard", 60e6 },
        { "tier: premium", 100e6 },
    };

    g_test_summary ("tier basic, standard, premium set an aggregate cap of "
                    "30, 60, 100 MB/s");
    for (guint i = 0; i < G_N_ELEMENTS (tiers); i++) {
        g_autoptr (Scenario) s = registry_scenario (1, "125MB/s", 0, "",
                                                    tiers[i].key);
        const KbRegistrySpec *r = scenario_find_registry (s, "cdn");

        g_assert_cmpfloat (r->aggregate_bandwidth, ==, tiers[i].bytes_per_s);
    }
}

/* The summary's figures for registry cdn after the whole run.
 * (transfer none): valid while run lives. */
static const SummaryRegistry *
summary_registry (Run *run)
{
    const RunSummary *s;

    run_execute (run);
    s = run_summary (run);
    g_assert_cmpuint (s->registries->len, ==, 1);
    return g_ptr_array_index (s->registries, 0);
}

typedef struct {
    const char *what;
    int n, m;
    const char *nic2;
    const char *reg;
    double busy, bound, transfer, held;     /* seconds */
    gboolean bottleneck;
} BoundCase;

static const BoundCase bound_cases[] = {
    /* Two nodes under a 100 MB/s cap: both held to 50 for the whole
     * 40 s: bound 40 s, held 2 x 40 s of 80 s, share 1. */
    { "aggregate, 2 nodes", 2, 0, "", "aggregate_bandwidth: 100MB/s",
      40, 40, 80, 80, TRUE },
    /* No cap: nothing is held back. */
    { "per-node, 2 nodes", 2, 0, "", "per_node_bandwidth: 100MB/s",
      20, 0, 40, 0, FALSE },
    /* The per-node links ask 80 of a 100 MB/s cap: it never binds. */
    { "both, 2 nodes", 2, 0, "",
      "per_node_bandwidth: 40MB/s, aggregate_bandwidth: 100MB/s",
      50, 0, 100, 0, FALSE },
    /* A 125 MB/s node and a 25 MB/s node ask 150 of 100: the fast one is
     * held to 75 for its 26.7 s, then the slow one alone (25) fits: the
     * cap held back 26.7 s of 106.7 s, a quarter: not the bottleneck. */
    { "unequal nodes", 1, 1, "25MB/s", "aggregate_bandwidth: 100MB/s",
      80, 2000.0 / 75, 80 + 2000.0 / 75, 2000.0 / 75, FALSE },
};

static void
test_bound_share (void)
{
    g_test_summary ("the summary says how long each registry's aggregate "
                    "cap bound and what share of its transfer time it held "
                    "back");
    for (guint i = 0; i < G_N_ELEMENTS (bound_cases); i++) {
        const BoundCase *bc = &bound_cases[i];
        g_autoptr (Scenario) s = registry_scenario (bc->n, "125MB/s", bc->m,
                                                    bc->nic2, bc->reg);
        Run *run = run_new (s, 0, RUN_FLAGS_NONE);
        const SummaryRegistry *r = summary_registry (run);

        g_test_message ("%s", bc->what);
        g_assert_cmpstr (r->name, ==, "cdn");
        g_assert_cmpint (r->transfers, ==, bc->n + bc->m);
        g_assert_cmpint (r->bytes, ==, (gint64) ((bc->n + bc->m)
                                                 * IMAGE_BYTES));
        g_assert_cmpfloat_with_epsilon (r->busy_seconds, bc->busy, 1e-3);
        g_assert_cmpfloat_with_epsilon (r->bound_seconds, bc->bound, 1e-3);
        g_assert_cmpfloat_with_epsilon (r->transfer_seconds, bc->transfer,
                                        1e-3);
        g_assert_cmpfloat_with_epsilon (r->capped_seconds, bc->held, 1e-3);
        g_assert_cmpint (summary_registry_is_bottleneck (r), ==,
                         bc->bottleneck);
        run_free (run);
    }
}

/* summary.json carries the figures, and reading the run folder back
 * gives the same line the terminal printed. */
static void
test_summary_json (void)
{
    g_autoptr (Scenario) s = registry_scenario (
        2, "125MB/s", 0, "", "aggregate_bandwidth: 100MB/s");
    Run *run = run_new (s, 0, RUN_FLAGS_NONE);
    const SummaryRegistry *r = summary_registry (run);
    g_autofree char *dir = g_dir_make_tmp ("kbsim-registry-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "summary.json", NULL);
    g_autofree char *text = NULL;
    g_autofree char *line = summary_registry_describe (r);
    g_autoptr (GError) error = NULL;

    g_test_summary ("summary.json lists each registry's aggregate cap, how "
                    "long it bound and the share of transfer time it held "
                    "back");
    g_assert_true (runfiles_write_summary (path, run_cluster (run),
                                           run_summary (run), run_cost (run),
                                           &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    testutil_assert_contains (text, "\"name\" : \"cdn\"");
    testutil_assert_contains (text, "\"aggregate_bound_seconds\" : 40");
    testutil_assert_contains (text, "\"aggregate_bound_share\" : 1");
    g_assert_cmpstr (line, ==, "cdn (aggregate cap 100 MB/s): 2 transfers, "
                     "4.00 GB; the cap bound for 40s and held back 100% of "
                     "their transfer time: the bottleneck");
    g_remove (path);
    g_rmdir (dir);
    run_free (run);
}

/* kbsim validate shows each registry's link, and the deprecation. */
static void
test_describe (void)
{
    static const struct {
        const char *reg;
        const char *line;
    } cases[] = {
        { "", "  cdn                  each node at its network_bandwidth; "
              "no aggregate cap\n" },
        { "per_node_bandwidth: 100MB/s", "  cdn                  100 MB/s per "
              "node; no aggregate cap\n" },
        { "tier: standard", "  cdn                  each node at its "
              "network_bandwidth; 60.0 MB/s shared by all nodes (ACR "
              "standard)\n" },
        { "bandwidth: 50MB/s", "  cdn                  each node at its "
              "network_bandwidth; 50.0 MB/s shared by all nodes\n" },
    };

    g_test_summary ("validate lists each registry's per-node link and "
                    "aggregate cap, and the deprecated key");
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (Scenario) s = registry_scenario (1, "125MB/s", 0, "",
                                                    cases[i].reg);
        g_autofree char *text = scenario_describe (s);

        testutil_assert_contains (text, "\nRegistries: 2\n");
        testutil_assert_contains (text, cases[i].line);
        if (strstr (cases[i].reg, "bandwidth: 50MB/s"))
            testutil_assert_contains (text, "\nDeprecated: 1\n");
        else
            testutil_assert_lacks (text, "\nDeprecated:");
    }
}

/* Bad link keys: the message names the key and the position. */
static void
test_bad_keys (void)
{
    static const struct {
        const char *reg;
        const char *message;
    } cases[] = {
        { "tier: gold", "s.yaml:4:46: tier: expected basic, standard or "
          "premium, got 'gold'" },
        { "tier: basic, aggregate_bandwidth: 10MB/s", "s.yaml:4:46: tier: "
          "give tier or aggregate_bandwidth, not both" },
        { "bandwidth: 10MB/s, aggregate_bandwidth: 10MB/s", "s.yaml:4:51: "
          "bandwidth: give aggregate_bandwidth only (bandwidth is its "
          "deprecated name)" },
        { "per_node_bandwidth: 0MB/s", "s.yaml:4:60: per_node_bandwidth: "
          "invalid bandwidth '0MB/s': must be greater than zero" },
    };

    g_test_summary ("an unknown tier, a tier with a cap, the old key with "
                    "the new, and a zero link are errors");
    for (guint i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *yaml = g_strdup_printf (
            "name: bad\n"
            "control_plane: {version: \"1.31\"}\n"
            "registries:\n"
            "  - {name: cdn, host: cdn.example.com, %s}\n", cases[i].reg);
        g_autoptr (GError) error = NULL;
        g_autoptr (Scenario) sc = scenario_load_data ("s.yaml", yaml,
                                                      strlen (yaml), NULL,
                                                      &error);

        g_assert_null (sc);
        g_assert_nonnull (error);
        testutil_assert_contains (error->message, cases[i].message);
    }
}

int
main (int argc, char **argv)
{
    gsl_set_error_handler_off ();
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/registry/link-times", test_link_times);
    g_test_add_func ("/registry/old-key-deprecated", test_old_key_deprecated);
    g_test_add_func ("/registry/tiers", test_tiers);
    g_test_add_func ("/registry/bound-share", test_bound_share);
    g_test_add_func ("/registry/summary-json", test_summary_json);
    g_test_add_func ("/registry/describe", test_describe);
    g_test_add_func ("/registry/bad-keys", test_bad_keys);
    return g_test_run ();
}
