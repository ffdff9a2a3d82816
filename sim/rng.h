/* rng.h: reproducible random streams and the distributions models draw from.
 *
 * Every purpose ("arrivals", "node-failure", "tie-break", ...) gets its own
 * GSL Mersenne Twister stream, seeded from (scenario seed, purpose name,
 * replication index) through sim_rng_mix(). A new draw in one model therefore
 * shifts no other model's numbers, and replication k sees the same streams
 * whether it runs alone or among others.
 *
 * Low level: knows no Kubernetes; purposes are names the models choose.
 */
#ifndef KBSIM_RNG_H
#define KBSIM_RNG_H

#include <glib.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>

G_BEGIN_DECLS

#define KB_RNG_ERROR (kb_rng_error_quark ())
GQuark kb_rng_error_quark (void);

typedef enum {
    KB_RNG_ERROR_INVALID,   /* a distribution parameter out of its domain */
    KB_RNG_ERROR_FAILED
} KbRngError;

typedef struct SimRng SimRng;

/* The documented 64-bit seed mixer: splitmix64 finalisers over the seed, a
 * FNV-1a hash of purpose and the replication index (the exact formula is in
 * rng.c). Pure function; purpose is a NUL-terminated name. */
guint64 sim_rng_mix (guint64 seed, const char *purpose, guint replication);

/* A gsl_rng_mt19937 seeded with sim_rng_mix() folded to 32 bits (hi ^ lo;
 * 0 maps to a fixed nonzero seed). (transfer full): free with
 * sim_rng_free(), which accepts NULL. */
SimRng *sim_rng_new (guint64 seed, const char *purpose, guint replication);
void    sim_rng_free (SimRng *rng);

/* Uniform on [0, 1). */
double  sim_rng_uniform (SimRng *rng);
/* Uniform integer on [0, n), n > 0. */
guint32 sim_rng_uniform_int (SimRng *rng, guint32 n);
/* (transfer none): the underlying generator, valid while rng lives. */
gsl_rng *sim_rng_gsl (SimRng *rng);

typedef enum {
    SIM_DIST_CONSTANT,      /* a = value */
    SIM_DIST_EXPONENTIAL,   /* a = mean */
    SIM_DIST_LOGNORMAL,     /* a = mean, b = standard deviation (of the
                             * variate, not of its log); zeta and sigma are
                             * derived: sigma^2 = ln(1 + b^2/a^2),
                             * zeta = ln(a) - sigma^2/2 */
    SIM_DIST_NORMAL_TRUNC,  /* a = mu, b = sigma of the underlying normal,
                             * conditioned on x >= 0 */
    SIM_DIST_UNIFORM,       /* [a, b) */
    SIM_DIST_WEIBULL,       /* a = scale, b = shape */
    SIM_DIST_EMPIRICAL      /* values[i] drawn with probability
                             * weights[i] / sum(weights) */
} SimDistKind;

/* A distribution, embedded by its owner: sim_dist_init_*() then
 * sim_dist_clear(). Sampling does not modify it, so one SimDist may be
 * shared by several streams.
 *
 * Each init rejects out-of-domain parameters (NaN or infinite values, a
 * non-positive mean, scale, shape or sigma, a negative lognormal sd, hi < lo,
 * an empty table, negative or all-zero weights) with KB_RNG_ERROR_INVALID
 * and a message such as "lognormal: mean must be positive, got -1". On
 * failure *d is left zeroed, and sim_dist_clear() on it is harmless.
 * Degenerate cases are allowed: lognormal sd 0 and uniform lo == hi are
 * constants. */
typedef struct {
    SimDistKind kind;
    double a, b;
    double zeta, sigma;             /* lognormal, derived */
    double *values;                 /* empirical, owned */
    double *weights;                /* empirical, owned */
    guint n;                        /* empirical */
    gsl_ran_discrete_t *table;      /* empirical, owned */
} SimDist;

void     sim_dist_init_constant (SimDist *d, double value);
gboolean sim_dist_init_exponential (SimDist *d, double mean, GError **error);
gboolean sim_dist_init_lognormal (SimDist *d, double mean, double sd,
                                  GError **error);
gboolean sim_dist_init_normal_trunc (SimDist *d, double mu, double sigma,
                                     GError **error);
gboolean sim_dist_init_uniform (SimDist *d, double lo, double hi,
                                GError **error);
gboolean sim_dist_init_weibull (SimDist *d, double scale, double shape,
                                GError **error);
/* A Weibull with the given mean and shape: scale = mean / Gamma(1 + 1/shape)
 * (for mtbf given as a mean). */
gboolean sim_dist_init_weibull_mean (SimDist *d, double mean, double shape,
                                     GError **error);
/* Copies values and weights (weights may be NULL: equal weights); zero
 * weights are allowed as long as one is positive. */
gboolean sim_dist_init_empirical (SimDist *d, const double *values,
                                  const double *weights, guint n,
                                  GError **error);
/* Frees what an empirical distribution owns and NULLs its pointers; a no-op
 * for the other kinds. Safe to call twice. */
void     sim_dist_clear (SimDist *d);
/* Deep copy of an initialised src into uninitialised dst (an empirical
 * table is rebuilt, and draws the same as the original). */
void     sim_dist_copy (SimDist *dst, const SimDist *src);

/* One draw from rng. The truncated normal uses rejection when mu >= 0 and
 * gsl_ran_gaussian_tail() when mu < 0, and never returns a negative value;
 * a uniform stays in [a, b) when a < b. */
double   sim_dist_sample (const SimDist *d, SimRng *rng);
/* Theoretical mean and variance (exact truncated-normal moments; +inf for a
 * Weibull whose Gamma overflows). */
double   sim_dist_mean (const SimDist *d);
double   sim_dist_variance (const SimDist *d);
/* "exponential", "lognormal", ... (transfer none): static string. */
const char *sim_dist_kind_name (SimDistKind kind);

G_END_DECLS

#endif
