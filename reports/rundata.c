/* rundata.c: a run's figures as the charts and the report read them,
 * and the live run's view of them. See rundata.h.
 *
 * rundata_from_run() copies what it needs from a finished cluster and
 * borrows its samples and summary; the reader of a run folder
 * (runfiles.c) fills an empty RunData from rundata__new() instead, and
 * owns all of it.
 */
#include "reports/rundata.h"

#include "scenarios/scenario.h"

RunData *
rundata__new (void)
{
    RunData *d = g_new0 (RunData, 1);

    d->pods = g_array_new (FALSE, FALSE, sizeof (RunPod));
    for (int os = 0; os < KB_N_OS; os++)
        d->ttr[os] = g_array_new (FALSE, FALSE, sizeof (double));
    d->pulls = g_ptr_array_new_with_free_func (g_free);
    d->nodes = g_array_new (FALSE, FALSE, sizeof (RunNode));
    return d;
}

void
rundata_free (RunData *d)
{
    if (d == NULL)
        return;
    g_array_unref (d->pods);
    for (int os = 0; os < KB_N_OS; os++)
        g_array_unref (d->ttr[os]);
    g_ptr_array_unref (d->pulls);
    g_array_unref (d->nodes);
    if (d->node_pools)
        g_hash_table_unref (d->node_pools);
    if (d->own_samples)
        g_array_unref (d->own_samples);
    run_summary_free (d->own_summary);
    cost_report_free (d->own_cost);
    scenario_free (d->own_sc);
    g_free (d);
}

RunData *
rundata_from_run (Cluster *c, const Metrics *m, const RunSummary *s)
{
    RunData *d = rundata__new ();
    GPtrArray *pods = cluster_pods (c);
    GPtrArray *nodes = cluster_nodes (c);
    g_autoptr (GPtrArray) pulls = cluster_image_pulls (c);

    d->sc = cluster_scenario (c);
    d->end = sim_engine_now (cluster_engine (c));
    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);
        RunPod r;

        if (p == NULL)
            continue;
        r.os = p->os;
        r.workload = p->workload->index;
        r.pool = p->node ? (gint) p->node->pool : -1;
        r.created = p->created;
        r.scheduled = p->scheduled;
        r.running = p->running;
        g_array_append_val (d->pods, r);
    }
    for (int os = 0; os < KB_N_OS; os++) {
        const GArray *t = cluster_time_to_running (c, os);

        g_array_append_vals (d->ttr[os], t->data, t->len);
    }
    for (guint i = 0; i < pulls->len; i++)
        g_ptr_array_add (d->pulls, g_memdup2 (g_ptr_array_index (pulls, i),
                                              sizeof (ImagePullStats)));
    for (guint i = 0; i < nodes->len; i++) {
        const Node *n = g_ptr_array_index (nodes, i);
        RunNode r;

        r.pool = n->pool;
        r.added = n->added;
        r.removed = n->removed;
        r.hourly = cost_node_hourly (n);
        g_array_append_val (d->nodes, r);
    }
    d->samples = metrics_samples (m);
    d->summary = s;
    d->own_cost = cost_compute (c);
    d->cost = d->own_cost;
    return d;
}
