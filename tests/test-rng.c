/* test-rng.c: random streams are reproducible and independent, and every
 * distribution has its documented moments, support and parameter checks.
 *
 * Statistical checks use fixed seeds, so each either always passes or always
 * fails; the tolerances are chosen so that a correct implementation fails
 * for only a negligible fraction of seeds (GLib glib/tests/rand.c).
 */
#include "sim/rng.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#define SEED        G_GUINT64_CONSTANT (20240601)
#define N_SEQ       1000        /* draws compared for determinism */
#define N_CORR      100000      /* draws per stream for correlations */
#define N_MOMENT    200000      /* draws per distribution for moments */

/* Tolerances for moments are K_SIGMA standard errors. By the central limit
 * theorem an estimate is close to normal at these n, and a normal variate
 * lies beyond 5 sigma with probability 5.7e-7: a correct implementation
 * fails a given check for fewer than one seed in a million. */
#define K_SIGMA     5.0

/* ---- helpers ------------------------------------------------------------ */

static void
draw_uniforms (guint64 seed, const char *purpose, guint rep, double *out,
               guint n)
{
    SimRng *rng = sim_rng_new (seed, purpose, rep);

    for (guint i = 0; i < n; i++)
        out[i] = sim_rng_uniform (rng);
    sim_rng_free (rng);
}

static guint
count_equal (const double *a, const double *b, guint n)
{
    guint same = 0;

    for (guint i = 0; i < n; i++)
        same += a[i] == b[i];
    return same;
}

/* Pearson's sample correlation, two-pass. */
static double
correlation (const double *x, const double *y, guint n)
{
    double mx = 0.0, my = 0.0, sxy = 0.0, sxx = 0.0, syy = 0.0;

    for (guint i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= n;
    my /= n;
    for (guint i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt (sxx * syy);
}

/* Under independence the sample correlation of n pairs is approximately
 * N(0, 1/n), so |r| < 4/sqrt(n) fails for a correct generator with
 * probability 6.3e-5 (4 sigma). */
static void
check_uncorrelated (guint64 seed_x, const char *purpose_x, guint rep_x,
                    guint64 seed_y, const char *purpose_y, guint rep_y)
{
    double *x = g_new (double, N_CORR);
    double *y = g_new (double, N_CORR);
    double r;

    draw_uniforms (seed_x, purpose_x, rep_x, x, N_CORR);
    draw_uniforms (seed_y, purpose_y, rep_y, y, N_CORR);
    r = correlation (x, y, N_CORR);
    g_test_message ("corr(%" G_GUINT64_FORMAT "/%s/%u, %" G_GUINT64_FORMAT
                    "/%s/%u) = %g", seed_x, purpose_x, rep_x, seed_y,
                    purpose_y, rep_y, r);
    g_assert_cmpfloat (fabs (r), <, 4.0 / sqrt (N_CORR));
    g_free (x);
    g_free (y);
}

/* Whether x is a value of the table with positive weight. */
static gboolean
in_empirical_support (const SimDist *d, double x)
{
    for (guint i = 0; i < d->n; i++)
        if (d->values[i] == x && d->weights[i] > 0.0)
            return TRUE;
    return FALSE;
}

/* Draws N_MOMENT samples from d with a fixed seed (replication rep of the
 * stream named after the kind, so each parameter set sees other numbers)
 * and checks that they lie
 * in [lo, hi) and that their mean and variance match sim_dist_mean() and
 * sim_dist_variance().
 *
 * The sample mean has standard error sqrt(Var / n), Var the theoretical
 * variance.
 *
 * The unbiased sample variance s^2 has variance (mu4 - sigma^4) / n +
 * O(1/n^2), mu4 the fourth central moment (Cramer, Mathematical Methods of
 * Statistics, 27.4). Deriving mu4 for every kind would be a second
 * implementation to trust, so it is estimated from the sample: m4 - m2^2,
 * with m2 and m4 the sample's central moments, is consistent for
 * mu4 - sigma^4 (every distribution here has all moments finite) and never
 * negative (m4 >= m2^2 by Jensen). Its own relative error at n = 200000 is
 * a few per cent for these parameters, far inside the 5-sigma margin. */
static void
check_moments (const SimDist *d, guint rep, double lo, double hi)
{
    SimRng *rng = sim_rng_new (SEED, sim_dist_kind_name (d->kind), rep);
    double *x = g_new (double, N_MOMENT);
    double mean = sim_dist_mean (d), var = sim_dist_variance (d);
    double sum = 0.0, m2 = 0.0, m4 = 0.0, xbar, s2, tol_mean, tol_var;

    for (guint i = 0; i < N_MOMENT; i++) {
        x[i] = sim_dist_sample (d, rng);
        g_assert_cmpfloat (x[i], >=, lo);
        g_assert_cmpfloat (x[i], <, hi);
        if (d->kind == SIM_DIST_EMPIRICAL)
            g_assert_true (in_empirical_support (d, x[i]));
        sum += x[i];
    }
    xbar = sum / N_MOMENT;
    for (guint i = 0; i < N_MOMENT; i++) {
        double dev2 = (x[i] - xbar) * (x[i] - xbar);

        m2 += dev2;
        m4 += dev2 * dev2;
    }
    s2 = m2 / (N_MOMENT - 1);
    m2 /= N_MOMENT;
    m4 /= N_MOMENT;

    tol_mean = K_SIGMA * sqrt (var / N_MOMENT);
    tol_var = K_SIGMA * sqrt ((m4 - m2 * m2) / N_MOMENT);
    g_test_message ("%s #%u: mean %.6g vs %.6g (z %.2f), "
                    "var %.6g vs %.6g (z %.2f)",
                    sim_dist_kind_name (d->kind), rep, xbar, mean,
                    (xbar - mean) / (tol_mean / K_SIGMA), s2, var,
                    (s2 - var) / (tol_var / K_SIGMA));
    g_assert_cmpfloat (tol_mean, >, 0.0);
    g_assert_cmpfloat_with_epsilon (xbar, mean, tol_mean);
    g_assert_cmpfloat_with_epsilon (s2, var, tol_var);

    g_free (x);
    sim_rng_free (rng);
}

/* Hand-computed moments agree to 1e-12, relative. */
static void
check_exact (const SimDist *d, double mean, double var)
{
    g_assert_cmpfloat_with_epsilon (sim_dist_mean (d), mean,
                                    1e-12 * fmax (1.0, fabs (mean)));
    g_assert_cmpfloat_with_epsilon (sim_dist_variance (d), var,
                                    1e-12 * fmax (1e-300, fabs (var)));
}

/* Asserts that an init failed with the given message and left d cleared. */
static void
check_invalid (gboolean ok, SimDist *d, GError **error, const char *message)
{
    g_assert_false (ok);
    g_assert_error (*error, KB_RNG_ERROR, KB_RNG_ERROR_INVALID);
    g_assert_cmpstr ((*error)->message, ==, message);
    g_assert_null (d->values);
    g_assert_null (d->weights);
    g_assert_null (d->table);
    sim_dist_clear (d);
    g_clear_error (error);
}

/* ---- the seed mixer ----------------------------------------------------- */

/* An independent transcription of the formula documented in rng.c. */
static guint64
ref_fnv1a64 (const char *s)
{
    guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

    for (size_t i = 0; i < strlen (s); i++)
        h = (h ^ (unsigned char) s[i]) * G_GUINT64_CONSTANT (0x100000001b3);
    return h;
}

static guint64
ref_splitmix64 (guint64 z)
{
    z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static guint64
ref_mix (guint64 seed, const char *purpose, guint rep)
{
    guint64 golden = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

    return ref_splitmix64 (seed ^ ref_splitmix64 (ref_fnv1a64 (purpose)
                           ^ ref_splitmix64 (rep + golden)));
}

static void
test_mix_reference (void)
{
    guint64 golden = G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

    g_test_summary ("sim_rng_mix computes the formula documented in rng.c");

    /* The reference itself, against published test vectors: FNV-1a from
     * the FNV specification, splitmix64's first output for seed 1234567
     * from Vigna's splitmix64.c. */
    g_assert_cmphex (ref_fnv1a64 (""), ==,
                     G_GUINT64_CONSTANT (0xcbf29ce484222325));
    g_assert_cmphex (ref_fnv1a64 ("a"), ==,
                     G_GUINT64_CONSTANT (0xaf63dc4c8601ec8c));
    g_assert_cmphex (ref_fnv1a64 ("foobar"), ==,
                     G_GUINT64_CONSTANT (0x85944171f73967e8));
    g_assert_cmphex (ref_splitmix64 (G_GUINT64_CONSTANT (1234567) + golden),
                     ==, G_GUINT64_CONSTANT (6457827717110365317));

    g_assert_cmphex (sim_rng_mix (0, "", 0), ==, ref_mix (0, "", 0));
    g_assert_cmphex (sim_rng_mix (SEED, "arrivals", 0), ==,
                     ref_mix (SEED, "arrivals", 0));
    g_assert_cmphex (sim_rng_mix (G_MAXUINT64, "node-failure", G_MAXUINT),
                     ==, ref_mix (G_MAXUINT64, "node-failure", G_MAXUINT));
    g_assert_cmphex (sim_rng_mix (42, "tie-break", 7), ==,
                     ref_mix (42, "tie-break", 7));
}

static gint
cmp_guint64 (gconstpointer a, gconstpointer b)
{
    guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;

    return (x > y) - (x < y);
}

static void
test_mix_distinct (void)
{
    static const char *const purposes[] = {
        "arrivals", "node-failure", "tie-break", "image-pull", "", "a", "b",
        "Arrivals", "arrivals ", "arrivals2",
    };
    GArray *all = g_array_new (FALSE, FALSE, sizeof (guint64));

    g_test_summary ("sim_rng_mix is pure, and 100 adjacent seeds x 10 "
                    "purposes x 10 replications give 10000 distinct values");

    for (guint64 seed = 0; seed < 100; seed++)
        for (guint p = 0; p < G_N_ELEMENTS (purposes); p++)
            for (guint rep = 0; rep < 10; rep++) {
                guint64 x = sim_rng_mix (seed, purposes[p], rep);

                g_assert_cmphex (x, ==,
                                 sim_rng_mix (seed, purposes[p], rep));
                g_array_append_val (all, x);
            }
    g_assert_cmpuint (all->len, ==, 10000);

    g_array_sort (all, cmp_guint64);
    for (guint i = 1; i < all->len; i++)
        g_assert_cmphex (g_array_index (all, guint64, i - 1), !=,
                         g_array_index (all, guint64, i));
    g_array_free (all, TRUE);
}

/* ---- streams ------------------------------------------------------------ */

static void
test_stream_deterministic (void)
{
    double a[N_SEQ], b[N_SEQ];
    SimRng *rng;

    g_test_summary ("the same (seed, purpose, replication) gives the same "
                    "draws; changing any one of them gives other draws");

    draw_uniforms (SEED, "arrivals", 0, a, N_SEQ);
    draw_uniforms (SEED, "arrivals", 0, b, N_SEQ);
    g_assert_cmpmem (a, sizeof a, b, sizeof b);

    /* Uniforms are multiples of 2^-32, so two unrelated sequences agree at
     * one of 1000 places with probability 2.3e-7. */
    draw_uniforms (SEED + 1, "arrivals", 0, b, N_SEQ);
    g_assert_cmpuint (count_equal (a, b, N_SEQ), ==, 0);
    draw_uniforms (SEED, "arrivalt", 0, b, N_SEQ);
    g_assert_cmpuint (count_equal (a, b, N_SEQ), ==, 0);
    draw_uniforms (SEED, "arrivals", 1, b, N_SEQ);
    g_assert_cmpuint (count_equal (a, b, N_SEQ), ==, 0);

    rng = sim_rng_new (SEED, "arrivals", 0);
    g_assert_cmpstr (gsl_rng_name (sim_rng_gsl (rng)), ==, "mt19937");
    sim_rng_free (rng);
}

/* Replays the seeding documented in rng.c with GSL directly. */
static void
check_seeding (guint64 seed, const char *purpose, guint rep)
{
    guint64 x = ref_mix (seed, purpose, rep);
    gsl_rng *ref = gsl_rng_alloc (gsl_rng_mt19937);
    SimRng *rng = sim_rng_new (seed, purpose, rep);

    g_assert_cmphex ((guint32) (x ^ (x >> 32)), !=, 0);
    gsl_rng_set (ref, (guint32) (x ^ (x >> 32)));
    for (guint i = 0; i < N_SEQ; i++)
        g_assert_cmpfloat (sim_rng_uniform (rng), ==, gsl_rng_uniform (ref));
    sim_rng_free (rng);
    gsl_rng_free (ref);
}

static void
test_stream_seeding (void)
{
    g_test_summary ("a stream is mt19937 seeded with the mixed value folded "
                    "to 32 bits as hi ^ lo");

    check_seeding (SEED, "arrivals", 0);
    check_seeding (0, "", 0);
    check_seeding (G_MAXUINT64, "node-failure", 12345);
}

static void
test_stream_uncorrelated (void)
{
    g_test_summary ("streams of other purposes, replications and adjacent "
                    "seeds have sample correlation within 4/sqrt(n) of 0");

    check_uncorrelated (SEED, "arrivals", 0, SEED, "node-failure", 0);
    check_uncorrelated (SEED, "arrivals", 0, SEED, "arrivals", 1);
    check_uncorrelated (SEED, "arrivals", 0, SEED + 1, "arrivals", 0);
    check_uncorrelated (0, "a", 0, 0, "b", 0);
}

static void
test_stream_isolated (void)
{
    double alone[N_SEQ], mixed[N_SEQ], rep3_alone[N_SEQ];
    SimRng *a, *b, *c = NULL, *reps[4];
    SimDist trunc;

    g_test_summary ("a stream's draws do not depend on which other streams "
                    "exist or how often they are drawn from");

    draw_uniforms (SEED, "arrivals", 0, alone, N_SEQ);
    draw_uniforms (SEED, "arrivals", 3, rep3_alone, N_SEQ);

    /* Rejection sampling draws a varying number of uniforms from b. */
    g_assert_true (sim_dist_init_normal_trunc (&trunc, -0.5, 1.0, NULL));
    b = sim_rng_new (SEED, "node-failure", 0);
    for (guint i = 0; i < 17; i++)
        sim_dist_sample (&trunc, b);
    a = sim_rng_new (SEED, "arrivals", 0);
    for (guint i = 0; i < N_SEQ; i++) {
        mixed[i] = sim_rng_uniform (a);
        for (guint j = 0; j < i % 7; j++)
            sim_dist_sample (&trunc, b);
        if (i == N_SEQ / 2)
            c = sim_rng_new (SEED, "tie-break", 0);
        if (c != NULL)
            sim_rng_uniform_int (c, 10);
    }
    g_assert_cmpmem (alone, sizeof alone, mixed, sizeof mixed);
    sim_rng_free (a);
    sim_rng_free (b);
    sim_rng_free (c);

    /* Replication 3 is the same whether or not 0 to 2 ran before it. */
    for (guint r = 0; r < 4; r++) {
        reps[r] = sim_rng_new (SEED, "arrivals", r);
        for (guint i = 0; i < N_SEQ; i++)
            mixed[i] = sim_rng_uniform (reps[r]);
    }
    g_assert_cmpmem (rep3_alone, sizeof rep3_alone, mixed, sizeof mixed);
    for (guint r = 0; r < 4; r++)
        sim_rng_free (reps[r]);
    sim_dist_clear (&trunc);
}

static void
test_stream_uniform (void)
{
    SimRng *rng = sim_rng_new (SEED, "uniform", 0);
    guint counts[10] = { 0 };
    double sum = 0.0, mean;

    g_test_summary ("sim_rng_uniform is on [0, 1) with mean 1/2; "
                    "sim_rng_uniform_int covers [0, n) evenly");

    for (guint i = 0; i < N_MOMENT; i++) {
        double u = sim_rng_uniform (rng);

        g_assert_cmpfloat (u, >=, 0.0);
        g_assert_cmpfloat (u, <, 1.0);
        sum += u;
    }
    /* Standard error of the mean of U(0, 1): sqrt(1/12/n). */
    mean = sum / N_MOMENT;
    g_assert_cmpfloat_with_epsilon (mean, 0.5,
                                    K_SIGMA * sqrt (1.0 / 12.0 / N_MOMENT));

    /* Each count is Binomial(n, 1/10): sd sqrt(n 0.1 0.9). */
    for (guint i = 0; i < N_MOMENT; i++) {
        guint32 k = sim_rng_uniform_int (rng, 10);

        g_assert_cmpuint (k, <, 10);
        counts[k]++;
    }
    for (guint k = 0; k < 10; k++)
        g_assert_cmpfloat_with_epsilon (counts[k], N_MOMENT / 10.0,
                                        K_SIGMA * sqrt (N_MOMENT * 0.09));

    for (guint i = 0; i < 100; i++) {
        g_assert_cmpuint (sim_rng_uniform_int (rng, 1), ==, 0);
        g_assert_cmpuint (sim_rng_uniform_int (rng, G_MAXUINT32), <,
                          G_MAXUINT32);
    }
    sim_rng_free (rng);
}

/* ---- distributions ------------------------------------------------------ */

static void
test_dist_constant (void)
{
    static const double values[] = { 3.5, -2.0, 0.0 };
    SimRng *rng = sim_rng_new (SEED, "constant", 0);
    SimDist d;

    g_test_summary ("a constant always returns its value; variance 0");

    for (guint v = 0; v < G_N_ELEMENTS (values); v++) {
        sim_dist_init_constant (&d, values[v]);
        g_assert_cmpint (d.kind, ==, SIM_DIST_CONSTANT);
        for (guint i = 0; i < N_SEQ; i++)
            g_assert_cmpfloat (sim_dist_sample (&d, rng), ==, values[v]);
        g_assert_cmpfloat (sim_dist_mean (&d), ==, values[v]);
        g_assert_cmpfloat (sim_dist_variance (&d), ==, 0.0);
        sim_dist_clear (&d);
    }
    sim_rng_free (rng);
}

static void
test_dist_exponential (void)
{
    SimDist d;

    g_test_summary ("exponential samples are >= 0 with mean a, variance a^2");

    g_assert_true (sim_dist_init_exponential (&d, 3.0, NULL));
    check_moments (&d, 0, 0.0, INFINITY);
    g_assert_true (sim_dist_init_exponential (&d, 0.25, NULL));
    check_moments (&d, 1, 0.0, INFINITY);
}

static void
test_dist_lognormal (void)
{
    SimRng *rng;
    SimDist d;

    g_test_summary ("lognormal given by mean and sd has that mean and sd; "
                    "sd 0 is the constant mean");

    g_assert_true (sim_dist_init_lognormal (&d, 20.0, 5.0, NULL));
    check_moments (&d, 0, 0.0, INFINITY);
    g_assert_true (sim_dist_init_lognormal (&d, 1.0, 0.8, NULL));
    check_moments (&d, 1, 0.0, INFINITY);
    g_assert_true (sim_dist_init_lognormal (&d, 1000.0, 100.0, NULL));
    check_moments (&d, 2, 0.0, INFINITY);

    g_assert_true (sim_dist_init_lognormal (&d, 7.0, 0.0, NULL));
    g_assert_cmpfloat (d.sigma, ==, 0.0);
    rng = sim_rng_new (SEED, "lognormal", 0);
    for (guint i = 0; i < N_SEQ; i++)
        g_assert_cmpfloat_with_epsilon (sim_dist_sample (&d, rng), 7.0,
                                        7.0 * 1e-15);
    sim_rng_free (rng);
    check_exact (&d, 7.0, 0.0);
}

static void
test_dist_normal_trunc (void)
{
    SimDist d;

    g_test_summary ("normal truncated at 0 is >= 0 with the truncated "
                    "moments, by rejection (mu >= 0) and by the tail "
                    "(mu < 0)");

    g_assert_true (sim_dist_init_normal_trunc (&d, 0.0, 1.0, NULL));
    check_moments (&d, 0, 0.0, INFINITY);
    g_assert_true (sim_dist_init_normal_trunc (&d, 1.0, 2.0, NULL));
    check_moments (&d, 1, 0.0, INFINITY);
    g_assert_true (sim_dist_init_normal_trunc (&d, -0.5, 1.0, NULL));
    check_moments (&d, 2, 0.0, INFINITY);
    g_assert_true (sim_dist_init_normal_trunc (&d, -2.0, 1.0, NULL));
    check_moments (&d, 3, 0.0, INFINITY);
    g_assert_true (sim_dist_init_normal_trunc (&d, -10.0, 0.5, NULL));
    check_moments (&d, 4, 0.0, INFINITY);
}

static void
test_dist_uniform (void)
{
    SimRng *rng;
    SimDist d;

    g_test_summary ("uniform samples are in [lo, hi) with mean (lo + hi)/2, "
                    "variance (hi - lo)^2/12; lo == hi gives lo");

    g_assert_true (sim_dist_init_uniform (&d, 2.0, 5.0, NULL));
    check_moments (&d, 0, 2.0, 5.0);
    g_assert_true (sim_dist_init_uniform (&d, -1.0, 1.0, NULL));
    check_moments (&d, 1, -1.0, 1.0);
    g_assert_true (sim_dist_init_uniform (&d, 1e6, 1e6 + 1.0, NULL));
    check_moments (&d, 2, 1e6, 1e6 + 1.0);

    g_assert_true (sim_dist_init_uniform (&d, 4.0, 4.0, NULL));
    rng = sim_rng_new (SEED, "uniform", 0);
    for (guint i = 0; i < N_SEQ; i++)
        g_assert_cmpfloat (sim_dist_sample (&d, rng), ==, 4.0);
    sim_rng_free (rng);
    check_exact (&d, 4.0, 0.0);
}

static void
test_dist_weibull (void)
{
    SimDist d;

    g_test_summary ("weibull samples are >= 0 with mean scale Gamma(1+1/k) "
                    "and the matching variance; weibull_mean fixes the mean");

    g_assert_true (sim_dist_init_weibull (&d, 2.0, 1.0, NULL));
    check_moments (&d, 0, 0.0, INFINITY);
    g_assert_true (sim_dist_init_weibull (&d, 1.0, 2.0, NULL));
    check_moments (&d, 1, 0.0, INFINITY);
    g_assert_true (sim_dist_init_weibull (&d, 10.0, 0.7, NULL));
    check_moments (&d, 2, 0.0, INFINITY);
    g_assert_true (sim_dist_init_weibull (&d, 3.0, 5.0, NULL));
    check_moments (&d, 3, 0.0, INFINITY);

    g_assert_true (sim_dist_init_weibull_mean (&d, 10.0, 1.5, NULL));
    g_assert_cmpint (d.kind, ==, SIM_DIST_WEIBULL);
    g_assert_cmpfloat_with_epsilon (sim_dist_mean (&d), 10.0, 1e-12);
    check_moments (&d, 4, 0.0, INFINITY);
}

static void
test_dist_empirical (void)
{
    static const double v3[] = { 1.0, 2.0, 3.0 };
    static const double w112[] = { 1.0, 1.0, 2.0 };
    static const double w101[] = { 1.0, 0.0, 1.0 };
    static const double v4[] = { 0.5, 10.0, 100.0, 7.0 };
    SimDist d;

    g_test_summary ("empirical samples are table values of positive weight, "
                    "with the weighted mean and variance");

    g_assert_true (sim_dist_init_empirical (&d, v3, w112, 3, NULL));
    check_moments (&d, 0, 1.0, 4.0);
    sim_dist_clear (&d);
    g_assert_true (sim_dist_init_empirical (&d, v4, NULL, 4, NULL));
    check_moments (&d, 1, 0.5, 101.0);
    sim_dist_clear (&d);
    /* Weight 0: 2 never appears (in_empirical_support). */
    g_assert_true (sim_dist_init_empirical (&d, v3, w101, 3, NULL));
    check_moments (&d, 2, 1.0, 4.0);
    sim_dist_clear (&d);
}

static void
test_dist_exact_moments (void)
{
    static const double v3[] = { 1.0, 2.0, 3.0 };
    static const double w112[] = { 1.0, 1.0, 2.0 };
    static const double v4[] = { 1.0, 2.0, 3.0, 4.0 };
    SimDist d;

    g_test_summary ("sim_dist_mean and sim_dist_variance match moments "
                    "computed by hand");

    sim_dist_init_constant (&d, 3.5);
    check_exact (&d, 3.5, 0.0);

    g_assert_true (sim_dist_init_exponential (&d, 3.0, NULL));
    check_exact (&d, 3.0, 9.0);

    /* sigma^2 = ln(1 + 25/400), zeta = ln 20 - sigma^2/2 */
    g_assert_true (sim_dist_init_lognormal (&d, 20.0, 5.0, NULL));
    check_exact (&d, 20.0, 25.0);
    g_assert_cmpfloat_with_epsilon (d.sigma, sqrt (log (17.0 / 16.0)),
                                    1e-15);
    g_assert_cmpfloat_with_epsilon (d.zeta,
                                    log (20.0) - log (17.0 / 16.0) / 2.0,
                                    1e-14);
    /* and back: E exp(zeta + sigma Z) = exp(zeta + sigma^2/2) */
    g_assert_cmpfloat_with_epsilon (exp (d.zeta + d.sigma * d.sigma / 2.0),
                                    20.0, 1e-12);

    /* Half-normal: mean sqrt(2/pi), variance 1 - 2/pi. */
    g_assert_true (sim_dist_init_normal_trunc (&d, 0.0, 1.0, NULL));
    check_exact (&d, sqrt (2.0 / G_PI), 1.0 - 2.0 / G_PI);
    g_assert_true (sim_dist_init_normal_trunc (&d, 0.0, 3.0, NULL));
    check_exact (&d, 3.0 * sqrt (2.0 / G_PI), 9.0 * (1.0 - 2.0 / G_PI));
    /* Far from 0 the truncation vanishes: mean mu, variance sigma^2. */
    g_assert_true (sim_dist_init_normal_trunc (&d, 50.0, 2.0, NULL));
    check_exact (&d, 50.0, 4.0);
    /* Deep in the tail, where the textbook formula cancels; reference
     * values computed with 80-digit arithmetic (mpmath). */
    g_assert_true (sim_dist_init_normal_trunc (&d, -1.0, 1.0, NULL));
    check_exact (&d, 0.52513527616098120909, 0.19909766557034879155);
    g_assert_true (sim_dist_init_normal_trunc (&d, -10.0, 1.0, NULL));
    check_exact (&d, 0.098093233962511962844, 0.0094453778256562611641);
    g_assert_true (sim_dist_init_normal_trunc (&d, -1000.0, 1.0, NULL));
    check_exact (&d, 9.99998000009999926e-4, 9.9999400004999948201e-7);
    g_assert_true (sim_dist_init_normal_trunc (&d, -2e5, 2.0, NULL));
    check_exact (&d, 2.0 * 9.999999998000000001e-6,
                 4.0 * 9.999999994000000005e-11);

    g_assert_true (sim_dist_init_uniform (&d, 2.0, 5.0, NULL));
    check_exact (&d, 3.5, 0.75);

    /* Shape 1 is the exponential; shape 2 the Rayleigh. */
    g_assert_true (sim_dist_init_weibull (&d, 2.0, 1.0, NULL));
    check_exact (&d, 2.0, 4.0);
    g_assert_true (sim_dist_init_weibull (&d, 1.0, 2.0, NULL));
    check_exact (&d, sqrt (G_PI) / 2.0, 1.0 - G_PI / 4.0);

    /* (1 + 2 + 2*3)/4 = 2.25; (1 + 4 + 2*9)/4 - 2.25^2 = 0.6875 */
    g_assert_true (sim_dist_init_empirical (&d, v3, w112, 3, NULL));
    check_exact (&d, 2.25, 0.6875);
    sim_dist_clear (&d);
    g_assert_true (sim_dist_init_empirical (&d, v4, NULL, 4, NULL));
    check_exact (&d, 2.5, 1.25);
    sim_dist_clear (&d);
}

static void
test_dist_invalid (void)
{
    static const double v2[] = { 1.0, 2.0 };
    static const double v_nan[] = { 1.0, NAN };
    static const double w_neg[] = { 1.0, -1.0 };
    static const double w_zero[] = { 0.0, 0.0 };
    static const double w_inf[] = { INFINITY, 1.0 };
    static const double w_big[] = { 1e308, 1e308 };
    SimDist d;
    GError *error = NULL;

    g_test_summary ("out-of-domain parameters fail with KB_RNG_ERROR_INVALID "
                    "and a message naming the parameter and value");

    check_invalid (sim_dist_init_exponential (&d, -1.0, &error), &d, &error,
                   "exponential: mean must be positive, got -1");
    check_invalid (sim_dist_init_exponential (&d, 0.0, &error), &d, &error,
                   "exponential: mean must be positive, got 0");
    check_invalid (sim_dist_init_exponential (&d, NAN, &error), &d, &error,
                   "exponential: mean must be finite, got nan");
    check_invalid (sim_dist_init_lognormal (&d, -1.0, 1.0, &error), &d,
                   &error, "lognormal: mean must be positive, got -1");
    check_invalid (sim_dist_init_lognormal (&d, 1.0, -0.5, &error), &d,
                   &error, "lognormal: sd must be non-negative, got -0.5");
    check_invalid (sim_dist_init_lognormal (&d, INFINITY, 1.0, &error), &d,
                   &error, "lognormal: mean must be finite, got inf");
    check_invalid (sim_dist_init_lognormal (&d, 1e-300, 1e300, &error), &d,
                   &error, "lognormal: sd/mean too large, "
                   "got mean 1e-300, sd 1e+300");
    check_invalid (sim_dist_init_normal_trunc (&d, NAN, 1.0, &error), &d,
                   &error, "normal-truncated: mu must be finite, got nan");
    check_invalid (sim_dist_init_normal_trunc (&d, 1.0, 0.0, &error), &d,
                   &error, "normal-truncated: sigma must be positive, got 0");
    check_invalid (sim_dist_init_uniform (&d, 5.0, 2.0, &error), &d, &error,
                   "uniform: hi must not be below lo, got lo 5, hi 2");
    check_invalid (sim_dist_init_uniform (&d, 0.0, INFINITY, &error), &d,
                   &error, "uniform: hi must be finite, got inf");
    check_invalid (sim_dist_init_uniform (&d, -1e308, 1e308, &error), &d,
                   &error, "uniform: range too wide, "
                   "got lo -1e+308, hi 1e+308");
    check_invalid (sim_dist_init_weibull (&d, 0.0, 1.0, &error), &d, &error,
                   "weibull: scale must be positive, got 0");
    check_invalid (sim_dist_init_weibull (&d, 1.0, -2.0, &error), &d,
                   &error, "weibull: shape must be positive, got -2");
    check_invalid (sim_dist_init_weibull_mean (&d, -1.0, 2.0, &error), &d,
                   &error, "weibull: mean must be positive, got -1");
    check_invalid (sim_dist_init_weibull_mean (&d, 1.0, 1e-3, &error), &d,
                   &error, "weibull: no representable scale for mean 1, "
                   "shape 0.001");
    check_invalid (sim_dist_init_empirical (&d, v2, NULL, 0, &error), &d,
                   &error, "empirical: needs at least one value");
    check_invalid (sim_dist_init_empirical (&d, v_nan, NULL, 2, &error), &d,
                   &error, "empirical: values[1] must be finite, got nan");
    check_invalid (sim_dist_init_empirical (&d, v2, w_neg, 2, &error), &d,
                   &error, "empirical: weights[1] must be non-negative, "
                   "got -1");
    check_invalid (sim_dist_init_empirical (&d, v2, w_zero, 2, &error), &d,
                   &error, "empirical: weights must not all be zero");
    check_invalid (sim_dist_init_empirical (&d, v2, w_inf, 2, &error), &d,
                   &error, "empirical: weights[0] must be finite, got inf");
    check_invalid (sim_dist_init_empirical (&d, v2, w_big, 2, &error), &d,
                   &error, "empirical: sum of weights overflows");

    /* Boundary values that are valid. */
    g_assert_true (sim_dist_init_lognormal (&d, 1.0, 0.0, &error));
    g_assert_no_error (error);
    g_assert_true (sim_dist_init_normal_trunc (&d, -3.0, 1e-3, &error));
    g_assert_no_error (error);
    g_assert_true (sim_dist_init_weibull (&d, 1e-9, 50.0, &error));
    g_assert_no_error (error);
}

static void
test_dist_copy_clear (void)
{
    static const double values[] = { 1.0, 5.0, 9.0, 13.0 };
    static const double weights[] = { 4.0, 3.0, 2.0, 1.0 };
    double from_src[N_SEQ], from_dst[N_SEQ];
    SimRng *rng;
    SimDist src, dst, expo, expo_copy;

    g_test_summary ("sim_dist_copy is deep and draws as the original does; "
                    "sim_dist_clear is idempotent and a no-op for "
                    "parametric kinds");

    g_assert_true (sim_dist_init_empirical (&src, values, weights, 4, NULL));
    sim_dist_copy (&dst, &src);
    g_assert_true (dst.values != src.values);
    g_assert_true (dst.weights != src.weights);
    g_assert_true (dst.table != src.table);
    g_assert_cmpuint (dst.n, ==, 4);

    rng = sim_rng_new (SEED, "copy", 0);
    for (guint i = 0; i < N_SEQ; i++)
        from_src[i] = sim_dist_sample (&src, rng);
    sim_rng_free (rng);

    /* The copy must outlive the original. */
    sim_dist_clear (&src);
    g_assert_null (src.values);
    g_assert_null (src.weights);
    g_assert_null (src.table);
    sim_dist_clear (&src);

    rng = sim_rng_new (SEED, "copy", 0);
    for (guint i = 0; i < N_SEQ; i++)
        from_dst[i] = sim_dist_sample (&dst, rng);
    sim_rng_free (rng);
    g_assert_cmpmem (from_src, sizeof from_src, from_dst, sizeof from_dst);
    sim_dist_clear (&dst);
    sim_dist_clear (&dst);

    g_assert_true (sim_dist_init_exponential (&expo, 2.0, NULL));
    sim_dist_copy (&expo_copy, &expo);
    g_assert_cmpint (expo_copy.kind, ==, SIM_DIST_EXPONENTIAL);
    g_assert_cmpfloat (expo_copy.a, ==, 2.0);
    sim_dist_clear (&expo);
    sim_dist_clear (&expo);
    g_assert_cmpint (expo.kind, ==, SIM_DIST_EXPONENTIAL);
    g_assert_cmpfloat (sim_dist_mean (&expo), ==, 2.0);
    rng = sim_rng_new (SEED, "copy", 0);
    g_assert_cmpfloat (sim_dist_sample (&expo, rng), >=, 0.0);
    sim_rng_free (rng);
    sim_dist_clear (&expo_copy);
}

static void
test_dist_kind_name (void)
{
    g_test_summary ("every kind has its documented name");

    g_assert_cmpstr (sim_dist_kind_name (SIM_DIST_CONSTANT), ==, "constant");
    g_assert_cmpstr (sim_dist_kind_name (SIM_DIST_EXPONENTIAL), ==,
                     "exponential");
    g_assert_cmpstr (sim_dist_kind_name (SIM_DIST_LOGNORMAL), ==,
                     "lognormal");
    g_assert_cmpstr (sim_dist_kind_name (SIM_DIST_NORMAL_TRUNC), ==,
                     "normal-truncated");
    g_assert_cmpstr (sim_dist_kind_name (SIM_DIST_UNIFORM), ==, "uniform");
    g_assert_cmpstr (sim_dist_kind_name (SIM_DIST_WEIBULL), ==, "weibull");
    g_assert_cmpstr (sim_dist_kind_name (SIM_DIST_EMPIRICAL), ==,
                     "empirical");
}

int
main (int argc, char **argv)
{
    gsl_set_error_handler_off ();
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/rng/mix/reference", test_mix_reference);
    g_test_add_func ("/rng/mix/distinct", test_mix_distinct);
    g_test_add_func ("/rng/stream/deterministic", test_stream_deterministic);
    g_test_add_func ("/rng/stream/seeding", test_stream_seeding);
    g_test_add_func ("/rng/stream/uncorrelated", test_stream_uncorrelated);
    g_test_add_func ("/rng/stream/isolated", test_stream_isolated);
    g_test_add_func ("/rng/stream/uniform", test_stream_uniform);
    g_test_add_func ("/rng/dist/constant", test_dist_constant);
    g_test_add_func ("/rng/dist/exponential", test_dist_exponential);
    g_test_add_func ("/rng/dist/lognormal", test_dist_lognormal);
    g_test_add_func ("/rng/dist/normal-truncated", test_dist_normal_trunc);
    g_test_add_func ("/rng/dist/uniform", test_dist_uniform);
    g_test_add_func ("/rng/dist/weibull", test_dist_weibull);
    g_test_add_func ("/rng/dist/empirical", test_dist_empirical);
    g_test_add_func ("/rng/dist/exact-moments", test_dist_exact_moments);
    g_test_add_func ("/rng/dist/invalid", test_dist_invalid);
    g_test_add_func ("/rng/dist/copy-clear", test_dist_copy_clear);
    g_test_add_func ("/rng/dist/kind-name", test_dist_kind_name);

    return g_test_run ();
}
