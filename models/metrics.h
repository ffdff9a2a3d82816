/* metrics.h: what a run measures: samples over time and the summary.
 *
 * A Metrics samples its cluster every metrics.sample_every (pods by phase
 * and waiting reason per OS, requested CPU by pool, bytes being pulled)
 * and checks conservation at every sample. metrics_summarize() turns the
 * finished run into the figures the terminal summary and summary.json
 * show.
 */
#ifndef KBSIM_METRICS_H
#define KBSIM_METRICS_H

#include <glib.h>

#include "models/cluster.h"

G_BEGIN_DECLS


typedef struct {
    SimTime time;
    gint64 arrived[KB_N_OS];
    gint64 v[KB_N_OS][POD_N_COLS];
    gboolean conserved;
    double *pool_cpu_util;          /* requested / allocatable, per pool;
                                     * owned */
} Sample;

typedef struct Metrics Metrics;

/* Starts sampling c (which must outlive the Metrics). (transfer full). */
Metrics *metrics_new (Cluster *c);
void     metrics_free (Metrics *m);
/* Takes a final sample at the current time. */
void     metrics_finish (Metrics *m);

/* (transfer none): Sample entries, valid while m lives. */
const GArray *metrics_samples (const Metrics *m);
gboolean      metrics_always_conserved (const Metrics *m);

typedef struct {
    char *reason;
    KbOs os;
    gint64 count;
    char *example;
} SummaryReason;

/* What a registry's links did: its pull transfers (the layers a node
 * lacked, after latency, before extraction) and, when it has an
 * aggregate cap, how long the cap bound. The cap binds when the shares
 * the transfers would get from their nodes' links add up to more than
 * it; a transfer it holds below that share is held back. */
typedef struct {
    char *name;
    double aggregate_bandwidth;     /* bytes per second; 0: no cap */
    gint64 transfers;               /* finished */
    gint64 bytes;                   /* that they moved */
    double busy_seconds;            /* with at least one transfer */
    double bound_seconds;           /* with the cap binding */
    double transfer_seconds;        /* summed over transfers */
    double capped_seconds;          /* summed over transfers held back */
} SummaryRegistry;

typedef struct {
    char *name;
    const char *kind;
    KbOs os;
    gint64 pods;                    /* created */
    gint64 running;
    gint64 waiting;                 /* Pending now */
    gint64 placed, eligible;
    const char *top_status;         /* the most common status of its
                                     * waiting pods, or NULL */
    gint64 top_count;
    struct {
        const char *status;         /* static strings from
                                     * cluster_pod_status() */
        gint64 count;
    } tally[8];
    gboolean api_rejected;
    char *reject_message;
    gint64 rejected;                /* creates the API server refused:
                                     * pods that never ran, counted in
                                     * eligible once their deadline has
                                     * come, never in placed */
} SummaryWorkload;

typedef struct {
    SimTime end;
    gint64 arrived[KB_N_OS];
    gint64 phase[KB_N_OS][POD_N_PHASES];
    gint64 placed[KB_N_OS];         /* Running within the deadline */
    gint64 eligible[KB_N_OS];       /* pods whose deadline has come,
                                     * rejected ones included */
    gint64 rejected[KB_N_OS];       /* creates the API server refused */
    double ttr_p50[KB_N_OS], ttr_p95[KB_N_OS], ttr_p99[KB_N_OS];
    gint64 ttr_n[KB_N_OS];
    double ttr_mean[KB_N_OS];       /* NaN without pods that ran */
    double ttr_mean_all, ttr_p95_all;   /* over both OS */
    GPtrArray *reasons;             /* SummaryReason, count descending */
    GPtrArray *workloads;           /* SummaryWorkload */
    GPtrArray *registries;          /* SummaryRegistry, in the scenario's
                                     * order; those that transferred
                                     * nothing are left out */
    gint64 pulls;
    gint64 pull_bytes[KB_N_OS];
    double pull_seconds[KB_N_OS];
    gint64 nodes_by_pool_len;
    gint64 *nodes_by_pool;          /* ready nodes per pool */
    guint64 events;
    gboolean conserved;
    GPtrArray *warnings;            /* char *: nodes outside the skew
                                     * policy, unsupported Windows builds */
} RunSummary;

/* (transfer full): run_summary_free(). */
RunSummary *metrics_summarize (const Metrics *m);

/* The one constructor of a RunSummary, for metrics_summarize() and for a
 * summary read back from summary.json: end and every count 0, the
 * time-to-Running statistics NaN, the four lists (reasons, workloads,
 * registries, warnings) empty and owning their elements, nodes_by_pool n_pools
 * zeros. (transfer full): run_summary_free(), which frees the lists'
 * elements too. */
RunSummary *run_summary_new (guint n_pools);
void        run_summary_free (RunSummary *s);

/* Appends a reason (reason and example copied; example may be NULL).
 * (transfer none): valid while s lives. */
SummaryReason   *run_summary_add_reason (RunSummary *s, const char *reason,
                                         KbOs os, gint64 count,
                                         const char *example);
/* Appends a workload named name (copied) of kind (a static or interned
 * string, not copied), every count 0, for the caller to fill; a
 * reject_message it sets must come from g_malloc(): the summary frees
 * it. (transfer none): valid while s lives. */
SummaryWorkload *run_summary_add_workload (RunSummary *s, const char *name,
                                           const char *kind, KbOs os);
/* Appends a registry named name (copied), every figure 0, for the
 * caller to fill. (transfer none): valid while s lives. */
SummaryRegistry *run_summary_add_registry (RunSummary *s, const char *name);
/* The share of a registry's transfer time held back by its aggregate
 * cap: capped_seconds / transfer_seconds, 0 without transfers. */
double      summary_registry_bound_share (const SummaryRegistry *r);
/* A registry's aggregate cap counts as the bottleneck of its pulls when
 * it held transfers back for at least this share of their time. */
#define SUMMARY_REGISTRY_BOTTLENECK 0.5
gboolean    summary_registry_is_bottleneck (const SummaryRegistry *r);
/* One line for the summaries: "acr (aggregate cap 100 MB/s): 4
 * transfers, 8.00 GB; the cap bound for 1m20s and held back 100% of
 * their transfer time: the bottleneck", or "mcr (per node): ..." for a
 * registry without a cap. (transfer full): g_free(). */
char       *summary_registry_describe (const SummaryRegistry *r);
/* placed / eligible, or 1 when nothing was eligible. */
double      run_summary_placement (const RunSummary *s, KbOs os);

G_END_DECLS

#endif
