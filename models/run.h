/* run.h: one run of a scenario, with one owner: its cluster, its samples,
 * its summary and its cost.
 *
 * A run is always the same sequence: build the cluster of a replication,
 * start sampling it, simulate to the scenario's end, take the final
 * sample, summarise, compute the cost. run_new() does the first two
 * steps, run_execute() the rest; run_until() stops on the way for
 * callers that look at the cluster at chosen instants (an explanation at
 * --at, a lesson's moments). `kbsim run`, `kbsim demo`, `kbsim explain`,
 * every replication of an experiment and the tests make their runs here,
 * so the sequence is written once.
 *
 * Ownership: the Run owns the Cluster, the Metrics, the RunSummary and the
 * CostReport and frees them in run_free(); the accessors lend them
 * (transfer none) until then. The scenario is borrowed and must outlive
 * the Run. A Run is used by one thread at a time; Runs of one scenario may
 * run on different threads at once (a cluster never writes to its
 * scenario).
 *
 * Like the rest of models/, a Run knows nothing of files, charts or
 * experiments: writing a run down is for the floors above.
 */
#ifndef KBSIM_RUN_H
#define KBSIM_RUN_H

#include <glib.h>

#include "models/cluster.h"
#include "models/cost.h"
#include "models/metrics.h"
#include "models/spec.h"

G_BEGIN_DECLS

typedef struct Run Run;

typedef enum {
    RUN_FLAGS_NONE = 0,
    /* Take no samples: no Metrics (run_metrics() is NULL) and no summary,
     * so run_execute() may not be called. For callers that only look at
     * the cluster, such as `kbsim explain`, which then simulate exactly
     * the events a bare cluster has. */
    RUN_NO_SAMPLES = 1 << 0
} RunFlags;

/* Builds the cluster of replication `replication` of s and, unless
 * RUN_NO_SAMPLES, starts sampling it; nothing is simulated yet.
 * (transfer full): run_free(). */
Run *run_new (const Scenario *s, guint replication, RunFlags flags);
void run_free (Run *run);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* What the cluster reports as the run goes: every event to sink, every
 * pod that reaches Succeeded or Failed to hook (NULL stops either), and
 * whether finished pods' records are freed (long runs; see
 * cluster_set_drop_finished()). Set them before the run advances: the
 * cluster emits nothing before its first event at t=0. */
void run_set_event_sink (Run *run, ClusterEventFunc sink, gpointer data);
void run_set_pod_hook (Run *run, ClusterPodFunc hook, gpointer data);
void run_set_drop_finished (Run *run, gboolean drop);

/* Simulates up to `until` (the scenario's duration at most) and stops
 * there, leaving later events queued. Not after run_execute(). */
void run_until (Run *run, SimTime until);

/* Finishes the run: simulates to the scenario's end, takes the final
 * sample, summarises and computes the cost. Once per Run, and not with
 * RUN_NO_SAMPLES. */
void run_execute (Run *run);

/* (transfer none), valid until run_free(). */
const Scenario   *run_scenario (const Run *run);
/* Not const, because explain_pod() and rundata_from_run() take a
 * Cluster *; only the Run advances it (never cluster_run_until()). */
Cluster          *run_cluster (Run *run);
/* NULL with RUN_NO_SAMPLES. */
const Metrics    *run_metrics (const Run *run);
/* NULL until run_execute(). */
const RunSummary *run_summary (const Run *run);
const CostReport *run_cost (const Run *run);

G_END_DECLS

#endif
