/* cost.c: node-seconds, fees and egress, attributed to workloads.
 *
 * See cost.h. Pods accrue their share as they leave a node (kubelet
 * release); pods still bound at the end are added when the report is
 * computed, so the report is exact at any instant.
 */
#include "models/cost.h"

#include "models/model-private.h"

double
cost_node_hourly (const Node *node)
{
    return (node->spec->price_per_hour + node->spec->windows_surcharge_per_hour)
           * node->spec->discount;
}

/* The share of a node a pod holds: the larger of its CPU and memory
 * fractions of the node's allocatable. */
static double
pod_share (const Pod *pod, const Node *node)
{
    double cpu = node->alloc_cpu > 0 ? (double) pod->cpu / node->alloc_cpu : 0;
    double mem = node->alloc_mem > 0 ? (double) pod->mem / node->alloc_mem : 0;

    return MIN (1.0, MAX (cpu, mem));
}

static double
pod_cost_until (const Pod *pod, const Node *node, SimTime until)
{
    SimTime from = pod->scheduled >= 0 ? pod->scheduled : until;

    return sim_time_to_hours (until - from) * cost_node_hourly (node)
           * pod_share (pod, node);
}

static double
running_hours_until (const Pod *pod, SimTime until)
{
    return pod->running >= 0 ? sim_time_to_hours (until - pod->running) : 0;
}

void
cost__pod_released (Cluster *c, const Pod *pod, const Node *node)
{
    SimTime now = sim_engine_now (c->engine);

    if (c->workload_cost == NULL)
        c->workload_cost = g_new0 (double, c->s->workloads->len);
    c->workload_cost[pod->workload->index] += pod_cost_until (pod, node, now);
    c->pod_running_hours += running_hours_until (pod, now);
}

CostReport *
cost_compute (const Cluster *c)
{
    CostReport *r = g_new0 (CostReport, 1);
    SimTime now = sim_engine_now (c->engine);
    double attributed = 0, gb = 0;

    r->end = now;
    r->n_pools = c->s->pools->len;
    r->by_pool = g_new0 (double, r->n_pools);
    r->n_workloads = c->s->workloads->len;
    r->by_workload = g_new0 (double, r->n_workloads);
    for (guint i = 0; c->workload_cost && i < r->n_workloads; i++)
        r->by_workload[i] = c->workload_cost[i];
    r->running_pod_hours = c->pod_running_hours;
    for (guint i = 0; i < c->nodes->len; i++) {
        const Node *n = g_ptr_array_index (c->nodes, i);
        SimTime until = n->removed >= 0 ? n->removed : now;
        double hours = sim_time_to_hours (until - n->added);
        double cost = hours * cost_node_hourly (n);

        r->by_pool[n->pool] += cost;
        r->by_os[n->os] += cost;
        r->windows_licence += hours * n->spec->windows_surcharge_per_hour
                              * n->spec->discount;
        r->nodes += cost;
        for (guint k = 0; k < n->pods->len; k++) {
            const Pod *p = g_ptr_array_index (n->pods, k);

            r->by_workload[p->workload->index] += pod_cost_until (p, n, now);
            r->running_pod_hours += running_hours_until (p, now);
        }
    }
    for (guint i = 0; i < r->n_workloads; i++)
        attributed += r->by_workload[i];
    r->idle = r->nodes - attributed;
    r->control_plane = sim_time_to_hours (now)
                       * c->s->cost.control_plane_per_hour;
    for (int os = 0; os < KB_N_OS; os++)
        gb += c->pull_bytes[os] / 1e9;
    r->egress = gb * c->s->cost.egress_per_gb;
    r->total = r->nodes + r->control_plane + r->egress;
    r->per_pod_hour = r->running_pod_hours > 0
                      ? r->total / r->running_pod_hours : 0;
    r->per_30_days = now > 0 ? r->total * (30.0 * SIM_DAY / (double) now)
                             : 0;
    return r;
}

void
cost_report_free (CostReport *r)
{
    if (r == NULL)
        return;
    g_free (r->by_pool);
    g_free (r->by_workload);
    g_free (r);
}
