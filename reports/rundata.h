/* rundata.h: what the charts and the capacity report read about a run.
 *
 * A RunData holds the figures of one finished run and nothing else: the
 * scenario, the sampled series, a record per pod (creation and Running
 * times, OS), node lifetimes and prices, pulls per image, the summary and
 * the cost. It is made either from the live run (rundata_from_run) or
 * from the files `kbsim run` wrote into its folder (runfiles_read() in
 * runfiles.h), so the report can be remade later without simulating
 * again; both give the same charts and the same report text.
 */
#ifndef KBSIM_RUNDATA_H
#define KBSIM_RUNDATA_H

#include <glib.h>

#include "models/cluster.h"
#include "models/cost.h"
#include "models/metrics.h"

G_BEGIN_DECLS

typedef struct {
    KbOs os;
    guint workload;             /* index into the scenario's workloads */
    gint pool;                  /* the pool of its node; -1: never bound */
    SimTime created;
    SimTime scheduled;          /* -1: never bound */
    SimTime running;            /* -1: never */
} RunPod;

typedef struct {
    guint pool;                 /* index into the scenario's pools */
    SimTime added;
    SimTime removed;            /* -1: still there */
    double hourly;              /* price per hour, surcharge and discount
                                 * included */
} RunNode;

typedef struct {
    const Scenario *sc;         /* (transfer none) unless owned below */
    SimTime end;
    GArray *pods;               /* RunPod */
    GArray *ttr[KB_N_OS];       /* double: creation to Running, seconds */
    GPtrArray *pulls;           /* ImagePullStats, largest first */
    GArray *nodes;              /* RunNode */
    const GArray *samples;      /* Sample */
    const RunSummary *summary;
    const CostReport *cost;
    GHashTable *node_pools;     /* reading a folder: node name to pool
                                 * index + 1 (GUINT_TO_POINTER), or NULL */
    /* what the RunData owns */
    Scenario *own_sc;
    GArray *own_samples;
    RunSummary *own_summary;
    CostReport *own_cost;
} RunData;

/* From a finished run (c, m and s must outlive the RunData).
 * (transfer full): rundata_free(). */
RunData *rundata_from_run (Cluster *c, const Metrics *m,
                           const RunSummary *s);

void     rundata_free (RunData *d);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunData, rundata_free)

/* An empty RunData owning its arrays, for runfiles_read() to fill.
 * (transfer full): rundata_free(). */
RunData *rundata__new (void);

G_END_DECLS

#endif
