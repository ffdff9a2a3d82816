/* run.c: one run of a scenario from cluster to cost. See run.h.
 *
 * The order is the one every caller used before it was written down here:
 * the cluster first (it emits nothing until its first event at t=0), then
 * the Metrics, whose first sample at t=0 comes after the events the
 * cluster scheduled for t=0 as it was built; at the end the final sample, the
 * summary from the samples and the cost at the end time. The hooks are
 * the cluster's own; the Run only passes them on.
 */
#include "models/run.h"

struct Run {
    const Scenario *scenario;
    Cluster *cluster;
    Metrics *metrics;           /* NULL with RUN_NO_SAMPLES */
    RunSummary *summary;        /* NULL until run_execute() */
    CostReport *cost;
};

Run *
run_new (const Scenario *s, guint replication, RunFlags flags)
{
    Run *run;

    g_return_val_if_fail (s != NULL, NULL);
    run = g_new0 (Run, 1);
    run->scenario = s;
    run->cluster = cluster_new (s, replication);
    if (!(flags & RUN_NO_SAMPLES))
        run->metrics = metrics_new (run->cluster);
    return run;
}

void
run_free (Run *run)
{
    if (run == NULL)
        return;
    run_summary_free (run->summary);
    cost_report_free (run->cost);
    /* the Metrics cancel their pending sample in the cluster's engine */
    metrics_free (run->metrics);
    cluster_free (run->cluster);
    g_free (run);
}

void
run_set_event_sink (Run *run, ClusterEventFunc sink, gpointer data)
{
    cluster_set_event_sink (run->cluster, sink, data);
}

void
run_set_pod_hook (Run *run, ClusterPodFunc hook, gpointer data)
{
    cluster_set_pod_hook (run->cluster, hook, data);
}

void
run_set_drop_finished (Run *run, gboolean drop)
{
    cluster_set_drop_finished (run->cluster, drop);
}

void
run_until (Run *run, SimTime until)
{
    g_return_if_fail (run->summary == NULL);
    cluster_run_until (run->cluster, until);
}

void
run_execute (Run *run)
{
    g_return_if_fail (run->metrics != NULL && run->summary == NULL);
    cluster_run_until (run->cluster, run->scenario->duration);
    metrics_finish (run->metrics);
    run->summary = metrics_summarize (run->metrics);
    run->cost = cost_compute (run->cluster);
}

const Scenario *
run_scenario (const Run *run)
{
    return run->scenario;
}

Cluster *
run_cluster (Run *run)
{
    return run->cluster;
}

const Metrics *
run_metrics (const Run *run)
{
    return run->metrics;
}

const RunSummary *
run_summary (const Run *run)
{
    return run->summary;
}

const CostReport *
run_cost (const Run *run)
{
    return run->cost;
}
