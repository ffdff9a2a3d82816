/* test-experiment.c: replications, their statistics and their
 * determinism. */
#include <math.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "experiments/expfiles.h"
#include "experiments/experiment.h"
#include "tests/support/testutil.h"

/* Poisson Job arrivals at 6/h onto c one-CPU slots (the M/M/c scenario of
 * test-sim.c, shorter). */
static Scenario *
load_mmc (guint c, const char *duration)
{
    g_autofree char *yaml = g_strdup_printf (
        "name: mmc\n"
        "seed: 11\n"
        "duration: %s\n"
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
        "metrics: {sample_every: 1h, placement_deadline: 30m}\n",
        duration, c);

    return testutil_load_text (yaml);
}

static void
test_stats (void)
{
    const double v[] = { 1, 2, 3, 4, 5 };
    const double gaps[] = { NAN, 7, INFINITY, 9 };
    ExpStats st;

    g_test_summary ("mean, sd and the Student t interval of known data; "
                    "non-finite values are left out");
    exp_stats_compute (v, 5, &st);
    g_assert_cmpuint (st.n, ==, 5);
    g_assert_cmpfloat_with_epsilon (st.mean, 3, 1e-12);
    g_assert_cmpfloat_with_epsilon (st.sd, sqrt (2.5), 1e-12);
    /* t(0.975, 4) = 2.7764451 */
    g_assert_cmpfloat_with_epsilon (st.half, 2.7764451 * sqrt (2.5 / 5),
                                    1e-6);
    g_assert_cmpfloat (st.lo, <, st.mean);
    g_assert_cmpfloat_with_epsilon (st.hi - st.lo, 2 * st.half, 1e-12);
    g_assert_cmpfloat (st.min, ==, 1);
    g_assert_cmpfloat (st.max, ==, 5);

    exp_stats_compute (gaps, 4, &st);
    g_assert_cmpuint (st.n, ==, 2);
    g_assert_cmpfloat_with_epsilon (st.mean, 8, 1e-12);
    /* t(0.975, 1) = 12.7062047 */
    g_assert_cmpfloat_with_epsilon (st.half, 12.7062047 * sqrt (2) / sqrt (2),
                                    1e-5);

    exp_stats_compute (v, 1, &st);
    g_assert_cmpuint (st.n, ==, 1);
    g_assert_true (isnan (st.half));
    exp_stats_compute (gaps, 1, &st);
    g_assert_cmpuint (st.n, ==, 0);
    g_assert_true (isnan (st.mean));
}

/* The number of Jobs created in D at rate lambda is Poisson with mean
 * lambda D, whatever the slots do: a metric whose expectation is known
 * exactly. 200 intervals of 5 replications each, from disjoint
 * replications, should cover it about 95% of the time; 90% to 99% is
 * well over three standard errors (1.5%) either way. */
static void
test_ci_coverage (void)
{
    g_autoptr (Scenario) s = load_mmc (8, "2d");
    const double expect = 6.0 * 48;
    const guint intervals = 200, per = 5;
    ExpOptions o = { 0 };
    const Scenario *one = s;
    ExpResult **rs;
    guint covered = 0;

    g_test_summary ("about 95% of 200 confidence intervals cover a "
                    "metric's known expectation");
    /* one batch of 1000 replications, cut into 200 intervals */
    o.replications = per * intervals;
    o.jobs = 2;
    rs = experiment_run_batch (&one, 1, &o);
    for (guint i = 0; i < intervals; i++) {
        double v[5];
        ExpStats st;

        for (guint k = 0; k < per; k++)
            v[k] = exp_result_value (rs[0], i * per + k, EXP_ARRIVED);
        exp_stats_compute (v, per, &st);
        covered += st.lo <= expect && expect <= st.hi;
    }
    g_test_message ("%u of %u intervals cover %.0f", covered, intervals,
                    expect);
    g_assert_cmpuint (covered, >=, 180);
    g_assert_cmpuint (covered, <=, 198);
    g_assert_true (rs[0]->conserved);
    exp_result_free (rs[0]);
    g_free (rs);
}

static char *
json_of (ExpResult *r)
{
    g_autofree char *dir = g_dir_make_tmp ("kbsim-exp-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "r.json", NULL);
    char *text = NULL;

    g_assert_true (expfiles_stats_json (path, NULL, NULL, &r, 1, NULL, NULL));
    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_unlink (path);
    g_rmdir (dir);
    return text;
}

/* The demo scenario (failures, autoscaler, upgrades, outage: every
 * stream in use) with 4 replications on 1 and on 2 threads. */
static void
test_jobs_determinism (void)
{
    g_autoptr (Scenario) s = testutil_load_example ("demo.yaml");
    ExpOptions o = { 0 };
    g_autoptr (ExpResult) one = NULL;
    g_autoptr (ExpResult) two = NULL;
    g_autoptr (ExpResult) alone = NULL;
    g_autofree char *j1 = NULL;
    g_autofree char *j2 = NULL;

    g_test_summary ("replications give the same bytes on 1 or 2 threads, "
                    "and replication k alone equals replication k in a "
                    "batch");
    o.replications = 4;
    o.jobs = 1;
    one = experiment_run (s, &o);
    o.jobs = 2;
    two = experiment_run (s, &o);
    g_assert_cmpmem (one->values, 4 * EXP_N_METRICS * sizeof (double),
                     two->values, 4 * EXP_N_METRICS * sizeof (double));
    for (int os = 0; os < KB_N_OS; os++) {
        g_assert_cmpmem (one->waiting[os], 4 * one->n_samples
                         * sizeof (double), two->waiting[os],
                         4 * two->n_samples * sizeof (double));
        g_assert_cmpmem (one->placement[os], 4 * one->n_buckets
                         * sizeof (double), two->placement[os],
                         4 * two->n_buckets * sizeof (double));
    }
    j1 = json_of (one);
    j2 = json_of (two);
    g_assert_cmpstr (j1, ==, j2);

    /* replications differ from each other */
    g_assert_cmpfloat (exp_result_value (one, 0, EXP_ARRIVED), !=,
                       exp_result_value (one, 1, EXP_ARRIVED));

    o.replications = 1;
    o.first = 2;
    alone = experiment_run (s, &o);
    g_assert_cmpmem (alone->values, EXP_N_METRICS * sizeof (double),
                     one->values + 2 * EXP_N_METRICS,
                     EXP_N_METRICS * sizeof (double));
}

/* keep_first keeps replication `first` whole, and its figures are the
 * ones a plain run of that replication gives. */
static void
test_keep_first (void)
{
    g_autoptr (Scenario) s = load_mmc (6, "3d");
    ExpOptions o = { 0 };
    g_autoptr (ExpResult) r = NULL;
    g_autoptr (Run) plain = run_new (s, 3, RUN_FLAGS_NONE);
    double v[EXP_N_METRICS];

    g_test_summary ("the kept replication is the same run as a plain one");
    o.replications = 3;
    o.first = 3;
    o.keep_first = TRUE;
    r = experiment_run (s, &o);
    g_assert_nonnull (r->run);
    g_assert_nonnull (run_summary (r->run));
    g_assert_nonnull (run_cost (r->run));
    run_execute (plain);
    exp_metrics_of_run (run_summary (plain), run_cost (plain), v);
    g_assert_cmpmem (v, sizeof v, r->values, sizeof v);
    g_assert_cmpint (run_summary (r->run)->arrived[KB_OS_LINUX], ==,
                     run_summary (plain)->arrived[KB_OS_LINUX]);
}

/* With common random numbers every replication sees the same Jobs at
 * every c: the same arrival times and the same run times (drawn when a
 * Job is created). Under first-come first-served, adding a slot can only
 * make each Job start earlier, so within each replication the mean wait
 * falls with c, the number of Jobs is the same, and cost rises. */
static void
test_sweep_monotone (void)
{
    const guint cs[] = { 7, 8, 9, 10, 11 }, n = G_N_ELEMENTS (cs);
    Scenario *sc[G_N_ELEMENTS (cs)];
    ExpOptions o = { 0 };
    ExpResult **rs;

    g_test_summary ("with common random numbers, waits fall and arrivals "
                    "stay equal across a sweep of c, replication by "
                    "replication");
    for (guint i = 0; i < n; i++)
        sc[i] = load_mmc (cs[i], "20d");
    o.replications = 4;
    o.jobs = 2;
    rs = experiment_run_batch ((const Scenario *const *) sc, n, &o);
    for (guint k = 0; k < o.replications; k++)
        for (guint i = 1; i < n; i++) {
            double w0 = exp_result_value (rs[i - 1], k, EXP_TTR_MEAN);
            double w1 = exp_result_value (rs[i], k, EXP_TTR_MEAN);

            g_assert_cmpfloat (w1, <=, w0);
            g_assert_cmpfloat (exp_result_value (rs[i], k, EXP_ARRIVED), ==,
                               exp_result_value (rs[0], k, EXP_ARRIVED));
            g_assert_cmpfloat (exp_result_value (rs[i], k, EXP_PLACEMENT),
                               >=, exp_result_value (rs[i - 1], k,
                                                     EXP_PLACEMENT));
        }
    /* and the means are strictly ordered where the queue matters */
    {
        ExpStats a, b;

        exp_result_stats (rs[0], EXP_TTR_MEAN, &a);
        exp_result_stats (rs[2], EXP_TTR_MEAN, &b);
        g_assert_cmpfloat (b.mean, <, a.mean);
    }
    for (guint i = 0; i < n; i++) {
        exp_result_free (rs[i]);
        scenario_free (sc[i]);
    }
    g_free (rs);
}

static void
test_metric_names (void)
{
    ExpMetric m;
    g_autofree char *keys = exp_metric_keys ();
    g_autofree char *pct = exp_metric_format (EXP_PLACEMENT, 0.99912);
    g_autofree char *usd = exp_metric_format (EXP_COST_30D, 12345.678);
    g_autofree char *none = exp_metric_format (EXP_TTR_P95, NAN);

    g_test_summary ("metrics are found by key and formatted in their unit");
    g_assert_true (exp_metric_lookup ("placement", &m));
    g_assert_cmpint (m, ==, EXP_PLACEMENT);
    g_assert_true (exp_metric_lookup ("p95_time_to_running", &m));
    g_assert_cmpint (m, ==, EXP_TTR_P95);
    g_assert_false (exp_metric_lookup ("placment", &m));
    testutil_assert_contains (keys, "cost_per_30_days");
    g_assert_cmpstr (pct, ==, "99.91%");
    g_assert_cmpstr (usd, ==, "$12,345.68");
    g_assert_cmpstr (none, ==, "-");
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/experiment/stats", test_stats);
    g_test_add_func ("/experiment/metric-names", test_metric_names);
    g_test_add_func ("/experiment/ci-coverage", test_ci_coverage);
    g_test_add_func ("/experiment/jobs-determinism", test_jobs_determinism);
    g_test_add_func ("/experiment/keep-first", test_keep_first);
    g_test_add_func ("/experiment/sweep-monotone", test_sweep_monotone);
    return g_test_run ();
}
