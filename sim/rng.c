/* rng.c: reproducible random streams and the distributions drawn from them.
 *
 * A SimRng is one GSL Mersenne Twister (gsl_rng_mt19937) per purpose and
 * replication. Its seed comes from sim_rng_mix(), a pure function of the
 * scenario seed, the purpose name and the replication index, so no stream
 * depends on how many others exist or how often they were drawn from: a new
 * draw in one model shifts no other model's numbers. A SimDist holds the
 * validated, pre-computed parameters of one distribution (derived lognormal
 * zeta and sigma, the alias table of an empirical one) and is read-only
 * while sampling. Parameters are checked once, at initialisation, with
 * GError; sampling itself never fails.
 */
#include "sim/rng.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

G_DEFINE_QUARK (kb-rng-error-quark, kb_rng_error)

struct SimRng {
    gsl_rng *gsl;               /* owned, gsl_rng_mt19937 */
};

/* ---- seeding ------------------------------------------------------------ */

#define FNV1A64_OFFSET  G_GUINT64_CONSTANT (0xcbf29ce484222325)
#define FNV1A64_PRIME   G_GUINT64_CONSTANT (0x00000100000001b3)
#define GOLDEN_GAMMA    G_GUINT64_CONSTANT (0x9e3779b97f4a7c15)

/* Stands in for a folded seed of 0, which gsl_rng_set() would replace by
 * its own default (4357 for mt19937). Any nonzero constant does. */
#define SEED32_FOR_ZERO 0x9e3779b9u

/* FNV-1a, 64-bit: the bytes of s without the terminating NUL. */
static guint64
fnv1a64 (const char *s)
{
    guint64 h = FNV1A64_OFFSET;

    for (; *s != '\0'; s++) {
        h ^= (guint8) *s;
        h *= FNV1A64_PRIME;
    }
    return h;
}

/* The splitmix64 finaliser (Steele, Lea and Flood 2014; constants from
 * Stafford's "variant 13"), without splitmix64's additive step. A bijection
 * on 64 bits that flips each output bit with probability about 1/2 for any
 * flipped input bit. */
static guint64
splitmix64 (guint64 x)
{
    x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* The mixer, with m() the finaliser above and all arithmetic mod 2^64:
 *
 *     h = FNV-1a-64 (purpose)
 *     x = m (seed ^ m (h ^ m (replication + 0x9e3779b97f4a7c15)))
 *
 * Nesting rather than XOR-ing three hashes keeps (seed, purpose, rep)
 * triples that differ in several fields from cancelling out; the added
 * golden-ratio constant keeps replication 0 away from m(0) = 0. For fixed
 * purpose and replication the map from seed is a bijection, so distinct
 * seeds never collide.
 *
 * This formula fixes every stream of every recorded result: changing it
 * changes all of them. */
guint64
sim_rng_mix (guint64 seed, const char *purpose, guint replication)
{
    guint64 r, p;

    g_return_val_if_fail (purpose != NULL, 0);

    r = splitmix64 ((guint64) replication + GOLDEN_GAMMA);
    p = splitmix64 (fnv1a64 (purpose) ^ r);
    return splitmix64 (seed ^ p);
}

/* GSL's mt19937 keeps only the low 32 bits of its seed, and reads 0 as "use
 * the default seed". Fold the mixed value to 32 bits as hi ^ lo, so all 64
 * bits count, and map 0 to a fixed nonzero value.
 *
 * NEEDSWORK: with 32 bits of seed, some two of 2^16 streams share a seed
 * with probability about 0.4 (birthday bound). Seeding the full 624-word state
 * (init_by_array) would need GSL internals or our own generator. */
static unsigned long
fold_seed32 (guint64 x)
{
    guint32 s = (guint32) (x ^ (x >> 32));

    return s != 0 ? s : SEED32_FOR_ZERO;
}

SimRng *
sim_rng_new (guint64 seed, const char *purpose, guint replication)
{
    SimRng *rng;

    g_return_val_if_fail (purpose != NULL, NULL);

    rng = g_new0 (SimRng, 1);
    rng->gsl = gsl_rng_alloc (gsl_rng_mt19937);
    if (rng->gsl == NULL)
        g_error ("gsl_rng_alloc: out of memory");
    gsl_rng_set (rng->gsl,
                 fold_seed32 (sim_rng_mix (seed, purpose, replication)));
    return rng;
}

void
sim_rng_free (SimRng *rng)
{
    if (rng == NULL)
        return;
    gsl_rng_free (rng->gsl);
    g_free (rng);
}

double
sim_rng_uniform (SimRng *rng)
{
    return gsl_rng_uniform (rng->gsl);
}

guint32
sim_rng_uniform_int (SimRng *rng, guint32 n)
{
    g_return_val_if_fail (n > 0, 0);

    /* mt19937 spans [0, 2^32 - 1], so any guint32 n fits its range. */
    return (guint32) gsl_rng_uniform_int (rng->gsl, n);
}

gsl_rng *
sim_rng_gsl (SimRng *rng)
{
    return rng->gsl;
}

/* ---- parameter checks --------------------------------------------------- */

/* Error messages format numbers without the locale: "-0.5", never "-0,5". */
static const char *
fmt_double (char buf[G_ASCII_DTOSTR_BUF_SIZE], double x)
{
    return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%g", x);
}

static gboolean
set_invalid (GError **error, const char *dist, const char *what,
             const char *must, double x)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    g_set_error (error, KB_RNG_ERROR, KB_RNG_ERROR_INVALID,
                 "%s: %s must be %s, got %s", dist, what, must,
                 fmt_double (buf, x));
    return FALSE;
}

/* x is finite and > 0. */
static gboolean
check_positive (double x, const char *dist, const char *what, GError **error)
{
    if (!isfinite (x))
        return set_invalid (error, dist, what, "finite", x);
    if (x <= 0.0)
        return set_invalid (error, dist, what, "positive", x);
    return TRUE;
}

/* x is finite and >= 0. */
static gboolean
check_nonnegative (double x, const char *dist, const char *what,
                   GError **error)
{
    if (!isfinite (x))
        return set_invalid (error, dist, what, "finite", x);
    if (x < 0.0)
        return set_invalid (error, dist, what, "non-negative", x);
    return TRUE;
}

static gboolean
check_finite (double x, const char *dist, const char *what, GError **error)
{
    if (!isfinite (x))
        return set_invalid (error, dist, what, "finite", x);
    return TRUE;
}

/* ---- initialisation --------------------------------------------------------
 *
 * Every sim_dist_init_*() starts by zeroing *d, so a failed one leaves a
 * cleared SimDist that sim_dist_clear() accepts.
 */

void
sim_dist_init_constant (SimDist *d, double value)
{
    memset (d, 0, sizeof *d);
    d->kind = SIM_DIST_CONSTANT;
    d->a = value;
}

gboolean
sim_dist_init_exponential (SimDist *d, double mean, GError **error)
{
    memset (d, 0, sizeof *d);
    if (!check_positive (mean, "exponential", "mean", error))
        return FALSE;
    d->kind = SIM_DIST_EXPONENTIAL;
    d->a = mean;
    return TRUE;
}

/* For X = exp(zeta + sigma Z): E X = exp(zeta + sigma^2/2) and
 * Var X = (exp(sigma^2) - 1) (E X)^2. Solving for a given mean a and
 * deviation b: sigma^2 = ln(1 + b^2/a^2), zeta = ln(a) - sigma^2/2.
 * b = 0 is the degenerate sigma = 0, always a. */
gboolean
sim_dist_init_lognormal (SimDist *d, double mean, double sd, GError **error)
{
    double cv, sigma2;

    memset (d, 0, sizeof *d);
    if (!check_positive (mean, "lognormal", "mean", error)
        || !check_nonnegative (sd, "lognormal", "sd", error))
        return FALSE;

    cv = sd / mean;
    sigma2 = log1p (cv * cv);
    if (!isfinite (sigma2)) {
        char buf_m[G_ASCII_DTOSTR_BUF_SIZE], buf_s[G_ASCII_DTOSTR_BUF_SIZE];

        g_set_error (error, KB_RNG_ERROR, KB_RNG_ERROR_INVALID,
                     "lognormal: sd/mean too large, got mean %s, sd %s",
                     fmt_double (buf_m, mean), fmt_double (buf_s, sd));
        return FALSE;
    }

    d->kind = SIM_DIST_LOGNORMAL;
    d->a = mean;
    d->b = sd;
    d->sigma = sqrt (sigma2);
    d->zeta = log (mean) - sigma2 / 2.0;
    return TRUE;
}

gboolean
sim_dist_init_normal_trunc (SimDist *d, double mu, double sigma,
                            GError **error)
{
    memset (d, 0, sizeof *d);
    if (!check_finite (mu, "normal-truncated", "mu", error)
        || !check_positive (sigma, "normal-truncated", "sigma", error))
        return FALSE;
    d->kind = SIM_DIST_NORMAL_TRUNC;
    d->a = mu;
    d->b = sigma;
    return TRUE;
}

/* lo == hi is allowed: the constant lo. */
gboolean
sim_dist_init_uniform (SimDist *d, double lo, double hi, GError **error)
{
    char buf_lo[G_ASCII_DTOSTR_BUF_SIZE], buf_hi[G_ASCII_DTOSTR_BUF_SIZE];

    memset (d, 0, sizeof *d);
    if (!check_finite (lo, "uniform", "lo", error)
        || !check_finite (hi, "uniform", "hi", error))
        return FALSE;
    if (hi < lo) {
        g_set_error (error, KB_RNG_ERROR, KB_RNG_ERROR_INVALID,
                     "uniform: hi must not be below lo, got lo %s, hi %s",
                     fmt_double (buf_lo, lo), fmt_double (buf_hi, hi));
        return FALSE;
    }
    if (!isfinite (hi - lo)) {
        g_set_error (error, KB_RNG_ERROR, KB_RNG_ERROR_INVALID,
                     "uniform: range too wide, got lo %s, hi %s",
                     fmt_double (buf_lo, lo), fmt_double (buf_hi, hi));
        return FALSE;
    }
    d->kind = SIM_DIST_UNIFORM;
    d->a = lo;
    d->b = hi;
    return TRUE;
}

gboolean
sim_dist_init_weibull (SimDist *d, double scale, double shape,
                       GError **error)
{
    memset (d, 0, sizeof *d);
    if (!check_positive (scale, "weibull", "scale", error)
        || !check_positive (shape, "weibull", "shape", error))
        return FALSE;
    d->kind = SIM_DIST_WEIBULL;
    d->a = scale;
    d->b = shape;
    return TRUE;
}

gboolean
sim_dist_init_weibull_mean (SimDist *d, double mean, double shape,
                            GError **error)
{
    double scale;

    memset (d, 0, sizeof *d);
    if (!check_positive (mean, "weibull", "mean", error)
        || !check_positive (shape, "weibull", "shape", error))
        return FALSE;

    /* Gamma(1 + 1/shape) overflows for shape below about 1/170.6, and a
     * tiny mean over a huge Gamma underflows to 0. */
    scale = mean / gsl_sf_gamma (1.0 + 1.0 / shape);
    if (!(isfinite (scale) && scale > 0.0)) {
        char buf_m[G_ASCII_DTOSTR_BUF_SIZE], buf_k[G_ASCII_DTOSTR_BUF_SIZE];

        g_set_error (error, KB_RNG_ERROR, KB_RNG_ERROR_INVALID,
                     "weibull: no representable scale for mean %s, shape %s",
                     fmt_double (buf_m, mean), fmt_double (buf_k, shape));
        return FALSE;
    }
    return sim_dist_init_weibull (d, scale, shape, error);
}

/* Validates values and weights; returns the weight total, or -1 with error
 * set. weights may be NULL. */
static double
empirical_check (const double *values, const double *weights, guint n,
                 GError **error)
{
    char what[32];
    double total = 0.0;

    for (guint i = 0; i < n; i++) {
        g_snprintf (what, sizeof what, "values[%u]", i);
        if (!check_finite (values[i], "empirical", what, error))
            return -1.0;
        if (weights == NULL)
            continue;
        g_snprintf (what, sizeof what, "weights[%u]", i);
        if (!check_nonnegative (weights[i], "empirical", what, error))
            return -1.0;
        total += weights[i];
    }
    if (weights == NULL)
        return n;
    if (total == 0.0) {
        g_set_error_literal (error, KB_RNG_ERROR, KB_RNG_ERROR_INVALID,
                             "empirical: weights must not all be zero");
        return -1.0;
    }
    if (!isfinite (total)) {
        g_set_error_literal (error, KB_RNG_ERROR, KB_RNG_ERROR_INVALID,
                             "empirical: sum of weights overflows");
        return -1.0;
    }
    return total;
}

static void
empirical_build_table (SimDist *d)
{
    d->table = gsl_ran_discrete_preproc (d->n, d->weights);
    if (d->table == NULL)
        g_error ("gsl_ran_discrete_preproc: out of memory");
}

gboolean
sim_dist_init_empirical (SimDist *d, const double *values,
                         const double *weights, guint n, GError **error)
{
    memset (d, 0, sizeof *d);
    if (n == 0) {
        g_set_error_literal (error, KB_RNG_ERROR, KB_RNG_ERROR_INVALID,
                             "empirical: needs at least one value");
        return FALSE;
    }
    g_return_val_if_fail (values != NULL, FALSE);
    if (empirical_check (values, weights, n, error) < 0.0)
        return FALSE;

    d->kind = SIM_DIST_EMPIRICAL;
    d->n = n;
    d->values = g_new (double, n);
    memcpy (d->values, values, n * sizeof (double));
    d->weights = g_new (double, n);
    for (guint i = 0; i < n; i++)
        d->weights[i] = weights != NULL ? weights[i] : 1.0;
    empirical_build_table (d);
    return TRUE;
}

void
sim_dist_clear (SimDist *d)
{
    if (d == NULL)
        return;
    g_clear_pointer (&d->table, gsl_ran_discrete_free);
    g_clear_pointer (&d->values, g_free);
    g_clear_pointer (&d->weights, g_free);
    d->n = 0;
}

/* The table is rebuilt rather than copied: gsl_ran_discrete_t is opaque,
 * and preprocessing the same weights gives the same table, hence the same
 * draws. */
void
sim_dist_copy (SimDist *dst, const SimDist *src)
{
    g_return_if_fail (dst != NULL && src != NULL && dst != src);

    *dst = *src;
    if (src->kind != SIM_DIST_EMPIRICAL || src->values == NULL)
        return;
    dst->values = g_new (double, src->n);
    memcpy (dst->values, src->values, src->n * sizeof (double));
    dst->weights = g_new (double, src->n);
    memcpy (dst->weights, src->weights, src->n * sizeof (double));
    empirical_build_table (dst);
}

/* ---- sampling ----------------------------------------------------------- */

/* N(mu, sigma^2) conditioned on x >= 0. For mu >= 0 at least half the mass
 * is kept, so plain rejection needs under two tries on average. For mu < 0,
 * gsl_ran_gaussian_tail() draws x >= -mu from N(0, sigma^2) efficiently
 * however far out the tail is; shifting by mu gives the truncated normal.
 * The clamp only catches rounding in the tail's x * sigma. */
static double
sample_normal_trunc (double mu, double sigma, gsl_rng *r)
{
    double x;

    if (mu >= 0.0) {
        do
            x = mu + gsl_ran_gaussian (r, sigma);
        while (x < 0.0);
        return x;
    }
    x = mu + gsl_ran_gaussian_tail (r, -mu, sigma);
    return x < 0.0 ? 0.0 : x;
}

/* gsl_ran_flat() computes lo (1 - u) + hi u, which can round up to hi when
 * u is just below 1; keep the interval half-open. */
static double
sample_uniform (double lo, double hi, gsl_rng *r)
{
    double x = gsl_ran_flat (r, lo, hi);

    return x < hi || hi == lo ? x : nextafter (hi, lo);
}

/* Parameters map to GSL as: gsl_ran_exponential (r, mean),
 * gsl_ran_lognormal (r, zeta, sigma), gsl_ran_weibull (r, scale, shape).
 * A lognormal with sigma = 0 still draws, so the stream advances the same
 * whatever the deviation. */
double
sim_dist_sample (const SimDist *d, SimRng *rng)
{
    gsl_rng *r;

    g_return_val_if_fail (d != NULL && rng != NULL, NAN);
    r = rng->gsl;

    switch (d->kind) {
    case SIM_DIST_CONSTANT:
        return d->a;
    case SIM_DIST_EXPONENTIAL:
        return gsl_ran_exponential (r, d->a);
    case SIM_DIST_LOGNORMAL:
        return gsl_ran_lognormal (r, d->zeta, d->sigma);
    case SIM_DIST_NORMAL_TRUNC:
        return sample_normal_trunc (d->a, d->b, r);
    case SIM_DIST_UNIFORM:
        return sample_uniform (d->a, d->b, r);
    case SIM_DIST_WEIBULL:
        return gsl_ran_weibull (r, d->a, d->b);
    case SIM_DIST_EMPIRICAL:
        g_return_val_if_fail (d->table != NULL, NAN);
        return d->values[gsl_ran_discrete (r, d->table)];
    }
    g_return_val_if_reached (NAN);
}

/* ---- moments ------------------------------------------------------------ */

/* Truncated normal on [0, inf), with alpha = -mu/sigma and lambda the
 * inverse Mills ratio phi(alpha) / (1 - Phi(alpha)) (Johnson, Kotz and
 * Balakrishnan, vol. 1, 2nd ed., sec. 10.1):
 *     mean = mu + sigma lambda
 *     var  = sigma^2 (1 + alpha lambda - lambda^2)
 * Used as written while alpha < TRUNC_TAIL_ALPHA (relative error about
 * 1e-13 at worst). Further out both cancel: with lambda = alpha + delta and
 * delta ~ 1/alpha, mean is sigma delta, and var, about sigma^2 / alpha^2,
 * is the difference of two terms near alpha^2; at alpha = 1000 the formula
 * keeps 5 digits, at 1e5 none. There, Laplace's continued fraction
 *     lambda = alpha + 1/(alpha + 2/(alpha + 3/(alpha + ...)))
 * gives delta = 1/c1 and eps = 2/c2, with c1 = alpha + eps and c2 the
 * tail from "alpha + 3/...", without subtracting; and
 *     1 + alpha lambda - lambda^2 = 1 - alpha delta - delta^2
 *                                 = delta (eps - delta)
 * since alpha delta = 1 - eps delta. eps is about 2 delta, so nothing
 * cancels. The fraction converges fast for alpha >= 3: TRUNC_TAIL_DEPTH
 * terms give full double precision there (checked against 80-digit
 * arithmetic; at alpha = 1 they would give only 5 digits). */
#define TRUNC_TAIL_ALPHA 3.0
#define TRUNC_TAIL_DEPTH 60

static void
normal_trunc_moments (double mu, double sigma, double *mean, double *var)
{
    double alpha = -mu / sigma;
    double lambda, c, eps, delta;

    if (alpha < TRUNC_TAIL_ALPHA) {
        lambda = gsl_ran_ugaussian_pdf (alpha) / gsl_cdf_ugaussian_Q (alpha);
        *mean = mu + sigma * lambda;
        *var = sigma * sigma * (1.0 + alpha * lambda - lambda * lambda);
        return;
    }
    c = alpha;
    for (int k = TRUNC_TAIL_DEPTH; k >= 3; k--)
        c = alpha + k / c;              /* c_{k-1} = alpha + k / c_k */
    eps = 2.0 / c;
    delta = 1.0 / (alpha + eps);
    *mean = sigma * delta;
    *var = sigma * sigma * delta * (eps - delta);
}

static double
empirical_mean (const SimDist *d)
{
    double sw = 0.0, swx = 0.0;

    for (guint i = 0; i < d->n; i++) {
        sw += d->weights[i];
        swx += d->weights[i] * d->values[i];
    }
    return swx / sw;
}

/* Two passes: the sum of squared deviations, not E[x^2] - mean^2, which
 * cancels badly for values far from zero. */
static double
empirical_variance (const SimDist *d)
{
    double mean = empirical_mean (d);
    double sw = 0.0, swd2 = 0.0;

    for (guint i = 0; i < d->n; i++) {
        double dev = d->values[i] - mean;

        sw += d->weights[i];
        swd2 += d->weights[i] * dev * dev;
    }
    return swd2 / sw;
}

/* Weibull moments: E X^r = scale^r Gamma(1 + r/shape). Both are +inf when
 * Gamma overflows (shape below about 1/170). */
double
sim_dist_mean (const SimDist *d)
{
    double m, v;

    g_return_val_if_fail (d != NULL, NAN);

    switch (d->kind) {
    case SIM_DIST_CONSTANT:
    case SIM_DIST_EXPONENTIAL:
    case SIM_DIST_LOGNORMAL:
        return d->a;
    case SIM_DIST_NORMAL_TRUNC:
        normal_trunc_moments (d->a, d->b, &m, &v);
        return m;
    case SIM_DIST_UNIFORM:
        return d->a + (d->b - d->a) / 2.0;
    case SIM_DIST_WEIBULL:
        return d->a * gsl_sf_gamma (1.0 + 1.0 / d->b);
    case SIM_DIST_EMPIRICAL:
        g_return_val_if_fail (d->n > 0, NAN);
        return empirical_mean (d);
    }
    g_return_val_if_reached (NAN);
}

double
sim_dist_variance (const SimDist *d)
{
    double g1, w, m, v;

    g_return_val_if_fail (d != NULL, NAN);

    switch (d->kind) {
    case SIM_DIST_CONSTANT:
        return 0.0;
    case SIM_DIST_EXPONENTIAL:
        return d->a * d->a;
    case SIM_DIST_LOGNORMAL:
        return d->b * d->b;     /* b is the deviation by definition */
    case SIM_DIST_NORMAL_TRUNC:
        normal_trunc_moments (d->a, d->b, &m, &v);
        return v;
    case SIM_DIST_UNIFORM:
        w = d->b - d->a;
        return w * w / 12.0;
    case SIM_DIST_WEIBULL:
        g1 = gsl_sf_gamma (1.0 + 1.0 / d->b);
        return d->a * d->a * (gsl_sf_gamma (1.0 + 2.0 / d->b) - g1 * g1);
    case SIM_DIST_EMPIRICAL:
        g_return_val_if_fail (d->n > 0, NAN);
        return empirical_variance (d);
    }
    g_return_val_if_reached (NAN);
}

const char *
sim_dist_kind_name (SimDistKind kind)
{
    switch (kind) {
    case SIM_DIST_CONSTANT:     return "constant";
    case SIM_DIST_EXPONENTIAL:  return "exponential";
    case SIM_DIST_LOGNORMAL:    return "lognormal";
    case SIM_DIST_NORMAL_TRUNC: return "normal-truncated";
    case SIM_DIST_UNIFORM:      return "uniform";
    case SIM_DIST_WEIBULL:      return "weibull";
    case SIM_DIST_EMPIRICAL:    return "empirical";
    }
    g_return_val_if_reached (NULL);
}
