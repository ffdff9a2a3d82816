/* assemble.c: putting a cluster together and starting it.
 *
 * cluster_new() and cluster_free() (declared in cluster.h) are the only
 * place that knows every model: the store (cluster.c) is built first,
 * then the scheduler, the controllers (which build the workloads), the
 * cluster's own start event, the scenario's timed events and failures
 * (dynamics.c) and the autoscaler's scan. Nothing runs until the engine
 * does, so whoever builds a cluster can attach an event sink first.
 */
#include "models/model-private.h"

/* The cluster's first event, at t=0: nothing happens while cluster_new()
 * runs, so whoever builds a cluster can attach an event sink and still see
 * every event, UnsupportedSkew and FailedCreate at t=0 included. Skew
 * first: a node it takes down is down before any pod is placed. */
static void
start_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    Cluster *c = obj;

    (void) e;
    (void) arg;
    dynamics__apply_skew (c);
    controller__start_workloads (c);
}

static const SimEventKind start_kind = { "cluster-start", start_handler };

Cluster *
cluster_new (const Scenario *s, guint replication)
{
    Cluster *c = cluster__store_new (s, replication);

    c->kubelet = kubelet__new ();
    c->sched = sched__new ();
    c->controller = controller__new (c);
    c->dynamics = dynamics__new (c);
    /* The order of the protocol in model-private.h: the scheduler lets an
     * ended pod go before its controller replaces it. */
    kubelet__add_hooks (c->kubelet, &sched__kubelet_hooks);
    kubelet__add_hooks (c->kubelet, &controller__kubelet_hooks);
    /* Scheduled before the scenario's own events, so that it is the first
     * event at t=0 whatever they say. */
    sim_engine_schedule (c->engine, 0, &start_kind, c, 0);
    dynamics__start (c);
    autoscaler__start (c);
    return c;
}

void
cluster_free (Cluster *c)
{
    if (c == NULL)
        return;
    kubelet__free (c->kubelet);
    sched__free (c->sched);
    controller__free (c->controller);
    dynamics__free (c->dynamics);
    cluster__store_free (c);
}
