/* cost.h: what the cluster costs, and who is using it.
 *
 * Nodes are billed per second from launch to termination, booting,
 * draining and failed time included, at the Linux price plus, on Windows,
 * the licence surcharge per vCPU-hour (facts section 8), times the pool's
 * discount. The control-plane fee runs for the whole run; registry egress
 * is charged per GB pulled. A node's cost is shared among its pods by
 * their requests (the larger of their CPU and memory shares of the node)
 * for the time they are bound; what is left is idle capacity.
 */
#ifndef KBSIM_COST_H
#define KBSIM_COST_H

#include <glib.h>

#include "models/cluster.h"

G_BEGIN_DECLS

typedef struct {
    SimTime end;
    double total;
    double nodes;                   /* all node cost */
    double control_plane;
    double egress;
    double *by_pool;                /* node cost per pool */
    guint n_pools;
    double by_os[KB_N_OS];          /* node cost per node OS */
    double windows_licence;         /* the surcharge part of by_os[windows] */
    double *by_workload;            /* attributed by requests */
    guint n_workloads;
    double idle;                    /* nodes - sum of by_workload */
    double running_pod_hours;
    double per_pod_hour;            /* total / running pod-hours */
    double per_30_days;             /* the run's rate projected */
} CostReport;

/* (transfer full): cost_report_free(). At the cluster's current time. */
CostReport *cost_compute (const Cluster *c);
void        cost_report_free (CostReport *r);

/* A node's price per hour, surcharge and discount included. */
double      cost_node_hourly (const Node *node);

G_END_DECLS

#endif
