/* experiment.h: independent replications of scenarios, run in parallel,
 * and the statistics of their results.
 *
 * A replication is one run of a scenario with replication index k: every
 * random stream is derived from (seed, purpose, k) (sim/rng.h), so
 * replication k gives the same figures whether it runs alone, first or
 * last, on one thread or many, and whatever other scenarios share the
 * batch. Two scenarios that differ only in a knob therefore see the same
 * arrivals and failures at the same k: common random numbers, which is
 * what makes differences between sweep points or compared variants
 * differences of the knob rather than of the noise.
 *
 * experiment_run_batch() runs every (scenario, replication) pair of a
 * batch on a GLib thread pool of `jobs` threads, and, under mpirun, on
 * the other ranks' threads too (experiments/ranks.h); results are stored
 * by index, so the output never depends on which thread or rank
 * finished first.
 *
 * Each replication is reduced to a fixed vector of scalar metrics
 * (ExpMetric) and to a few series (pods waiting and Running per OS at
 * each sample, placement success per OS by creation time), so a batch
 * of thousands of runs holds kilobytes, not clusters. The caller may
 * ask to keep the first replication whole, as its Run (models/run.h), for
 * the usual single-run outputs.
 */
#ifndef KBSIM_EXPERIMENT_H
#define KBSIM_EXPERIMENT_H

#include <glib.h>

#include "models/cluster.h"
#include "models/cost.h"
#include "models/metrics.h"
#include "models/run.h"
#include "scenarios/scenario.h"

G_BEGIN_DECLS

typedef enum {
    EXP_PLACEMENT,              /* placed / eligible over both OS */
    EXP_PLACEMENT_LINUX,
    EXP_PLACEMENT_WINDOWS,
    EXP_TTR_MEAN,               /* mean time from creation to Running */
    EXP_TTR_P95,
    EXP_TTR_P95_LINUX,
    EXP_TTR_P95_WINDOWS,
    EXP_ARRIVED,
    EXP_PENDING_END,            /* pods still Pending at the end */
    EXP_FAILED,
    EXP_COST_30D,               /* the run's cost rate, per 30 days */
    EXP_COST_RUN,
    EXP_LICENCE_30D,            /* the Windows licence part, per 30 days */
    EXP_IDLE_SHARE,             /* idle capacity / node cost */
    EXP_PULL_BYTES_WINDOWS,
    EXP_PULL_BYTES_LINUX,
    EXP_N_METRICS
} ExpMetric;

typedef enum {
    EXP_UNIT_SHARE,             /* a fraction, shown as a percentage */
    EXP_UNIT_SECONDS,
    EXP_UNIT_PODS,
    EXP_UNIT_USD,
    EXP_UNIT_BYTES
} ExpUnit;

typedef struct {
    const char *key;            /* as written on the command line and in
                                 * CSV and JSON: "placement" */
    const char *label;          /* for people: "placement success" */
    ExpUnit unit;
    int better;                 /* +1: higher is better, -1: lower is */
} ExpMetricInfo;

/* (transfer none): static. */
const ExpMetricInfo *exp_metric_info (ExpMetric m);
/* Finds a metric by key; FALSE when there is none. */
gboolean exp_metric_lookup (const char *key, ExpMetric *out);
/* (transfer full): the keys, comma separated, for error messages. */
char    *exp_metric_keys (void);
/* (transfer full): "no metric 'KEY' (did you mean 'K'?); metrics: ...".
 */
char    *exp_metric_unknown (const char *key);
/* (transfer full): v written in m's unit: "99.87%", "4 min 12 s" (under
 * a minute to a tenth: "12.3 s"), "$1,234.50", "2.20 GB", "1,234". NaN
 * gives "-". */
char    *exp_metric_format (ExpMetric m, double v);

/* exp_metric_format() with enough decimals that v and near, when they
 * differ, do not print the same: "99.897%" against a 99.9% target. */
char    *exp_metric_format_near (ExpMetric m, double v, double near);

/* The statistics of n values: mean, sample standard deviation, the
 * half-width of the two-sided 95% Student t interval for the mean
 * (NaN when n < 2), that interval, and the extremes. Non-finite values
 * (a time-to-Running quantile of a run where no pod ran) are left out and
 * n counts the rest. */
typedef struct {
    guint n;
    double mean, sd, half, lo, hi, min, max;
} ExpStats;

void exp_stats_compute (const double *v, guint n, ExpStats *out);

typedef void (*ExpProgressFunc) (guint done, guint total, double elapsed,
                                 gpointer data);

/* How a scenario of a batch was loaded: scenario_load (path, sets). Under
 * mpirun this is what the other ranks are sent to load their own copy
 * (experiments/ranks.h), so path must name the same file on every node. */
typedef struct {
    const char *path;
    const char *const *sets;    /* NULL-terminated, or NULL */
} ExpSource;

typedef struct {
    guint replications;         /* per scenario, >= 1 */
    guint first;                /* index of the first replication */
    guint jobs;                 /* threads; 0: one per core */
    gboolean keep_first;        /* keep replication `first` of the
                                 * batch's first scenario whole */
    ClusterEventFunc first_sink;    /* events of replication `first` (called
                                     * from a worker thread), or NULL */
    gpointer first_sink_data;
    ExpProgressFunc progress;   /* called from the calling thread, at
                                 * most every 200 ms, or NULL */
    gpointer progress_data;
    const ExpSource *sources;   /* one per scenario of the batch, or NULL:
                                 * with sources, a batch run under mpirun
                                 * is spread over every rank; without,
                                 * it runs on this process alone */
} ExpOptions;

typedef struct {
    const Scenario *scenario;   /* (transfer none) */
    guint n;                    /* replications */
    guint first;
    double *values;             /* n x EXP_N_METRICS, by replication */
    gboolean conserved;         /* every replication conserved its pods */
    /* pods waiting (Pending: unscheduled, creating or backing off) at each
     * sample, per OS, for every replication: n x n_samples each (long
     * runs with many replications keep the first samples only) */
    guint n_samples;
    double *sample_seconds;
    double *waiting[KB_N_OS];
    double *running[KB_N_OS];   /* pods Running, the same way */
    /* placement success by creation-time bucket, as the placement chart
     * draws it (NaN where no pod of that OS was created): n x n_buckets */
    guint n_buckets;
    double *bucket_seconds;     /* each bucket's start */
    double *placement[KB_N_OS];
    /* replication `first` of the batch's first scenario, executed, when
     * keep_first was set, else NULL; owned and freed with the result,
     * unless a caller takes it (g_steal_pointer) */
    Run *run;
} ExpResult;

/* Runs o->replications replications of each of the n scenarios (which
 * must outlive the results). (transfer full): an array of n results,
 * free each with exp_result_free() and the array with g_free().
 *
 * Under mpirun with o->sources, a rank that cannot load a scenario (or
 * fails otherwise) ends the program: rank 0 prints that rank's message
 * once, stops the others and exits with status 2 (exp_ranks_fail()),
 * before any caller could write a file from a partial batch. */
ExpResult **experiment_run_batch (const Scenario *const *scenarios, guint n,
                                  const ExpOptions *o);
/* One scenario. (transfer full): exp_result_free(). */
ExpResult  *experiment_run (const Scenario *s, const ExpOptions *o);
void        exp_result_free (ExpResult *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExpResult, exp_result_free)

/* Appends more's replications (which must follow into's: more->first ==
 * into->first + into->n, the same scenario) to into's values, and frees
 * more. The per-sample series and the kept run of into are dropped, as
 * they would no longer cover every replication: what is left is what
 * the statistics need. */
void   exp_result_append (ExpResult *into, ExpResult *more);

double exp_result_value (const ExpResult *r, guint rep, ExpMetric m);
void   exp_result_stats (const ExpResult *r, ExpMetric m, ExpStats *out);
/* The metrics of one finished run, as a replication records them. */
void   exp_metrics_of_run (const RunSummary *s, const CostReport *cost,
                           double out[EXP_N_METRICS]);

/* The number of processors GLib sees, at least 1. */
guint  exp_default_jobs (void);

G_END_DECLS

#endif
