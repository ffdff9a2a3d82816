/* headroom.c: copies of a pod placed one at a time until one fails to
 * schedule, as kubernetes-sigs/cluster-capacity counts them (the rule and
 * its sources are in headroom.h; no code of theirs is used here).
 *
 * A copy is a Pod record that never enters the store: the scheduler's
 * attempt (sched__pick_node) chooses its node, cluster__node_take puts its
 * requests there, as cluster-capacity's binder does when it sets the
 * copy's nodeName, and cluster__node_give_back takes them off once the
 * count is over. The copies share one template, the given one with
 * spec.nodeName cleared (podgenerator.go resets it), whose scheduler
 * cache entry is dropped at the end.
 */
#include "models/headroom.h"

#include <string.h>

#include "models/model-private.h"

G_DEFINE_QUARK (kb-headroom-error-quark, kb_headroom_error)

void
headroom_free (Headroom *h)
{
    if (h == NULL)
        return;
    g_array_unref (h->pools);
    g_array_unref (h->nodes);
    g_free (h->stop_type);
    g_free (h->stop_message);
    g_free (h);
}

/* The copy every attempt schedules: what sched__pick_node and
 * cluster__node_take read of a pod. */
static void
copy_init (Cluster *c, Pod *copy, const KbPodTemplate *tmpl)
{
    memset (copy, 0, sizeof *copy);
    copy->tmpl = tmpl;
    copy->os = cluster__workload_os (c, tmpl);
    cluster__pod_requests (tmpl, &copy->cpu, &copy->mem);
    filter_nonzero_extra (tmpl, copy->cpu, copy->mem, &copy->nz_extra_cpu,
                          &copy->nz_extra_mem);
    copy->priority = tmpl->priority;
    copy->scheduled = copy->running = copy->finished = -1;
    copy->phase = POD_PENDING;
}

static void
pool_clear (gpointer p)
{
    g_free (((HeadroomPool *) p)->name);
}

static void
node_clear (gpointer p)
{
    g_free (((HeadroomNode *) p)->name);
}

static Headroom *
headroom_new (Cluster *c)
{
    Headroom *h = g_new0 (Headroom, 1);

    h->at = sim_engine_now (c->engine);
    h->pools = g_array_new (FALSE, TRUE, sizeof (HeadroomPool));
    h->nodes = g_array_new (FALSE, TRUE, sizeof (HeadroomNode));
    g_array_set_clear_func (h->pools, pool_clear);
    g_array_set_clear_func (h->nodes, node_clear);
    for (guint i = 0; i < c->s->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (c->s->pools, i);
        HeadroomPool hp = { g_strdup (p->name), p->os, 0, 0 };

        g_array_append_val (h->pools, hp);
    }
    for (guint i = 0; i < c->nodes->len; i++) {
        const Node *n = g_ptr_array_index (c->nodes, i);

        if (n->state != NODE_GONE && n->pool < h->pools->len)
            g_array_index (h->pools, HeadroomPool, n->pool).nodes++;
    }
    return h;
}

/* Copies per pool and per node, from the nodes the copies went to. */
static void
tally (Headroom *h, Cluster *c, const GPtrArray *placed)
{
    g_autofree gint64 *per_node = g_new0 (gint64, c->nodes->len);

    for (guint i = 0; i < placed->len; i++) {
        const Node *n = g_ptr_array_index (placed, i);

        per_node[n->id]++;
        if (n->pool < h->pools->len)
            g_array_index (h->pools, HeadroomPool, n->pool).fits++;
    }
    h->total = placed->len;
    for (guint i = 0; i < c->nodes->len; i++) {
        const Node *n = g_ptr_array_index (c->nodes, i);
        HeadroomNode hn = { NULL, n->pool, per_node[i] };

        if (per_node[i] == 0)
            continue;
        hn.name = g_strdup (n->name);
        g_array_append_val (h->nodes, hn);
    }
}

/* Schedules copies until one fails or max_limit are bound; returns the
 * nodes they went to, in order (transfer container). */
static GPtrArray *
place_copies (Cluster *c, Pod *copy, gint64 max_limit, Headroom *h)
{
    GPtrArray *placed = g_ptr_array_new ();

    for (;;) {
        const char *message = NULL;
        Node *node = sched__pick_node (c, copy, &message);

        if (node == NULL) {
            h->stop_type = g_strdup ("Unschedulable");
            h->stop_message = g_strdup (message);
            break;
        }
        cluster__node_take (c, node, copy);
        g_ptr_array_add (placed, node);
        if (max_limit > 0 && (gint64) placed->len >= max_limit) {
            h->stop_type = g_strdup ("LimitReached");
            h->stop_message = g_strdup_printf ("Maximum number of pods "
                                               "simulated: %" G_GINT64_FORMAT,
                                               max_limit);
            break;
        }
    }
    return placed;
}

Headroom *
headroom_count (Cluster *c, const KbPodTemplate *tmpl, const char *name,
                gint64 max_limit, GError **error)
{
    g_autofree char *first = NULL;
    g_autofree char *why = NULL;
    g_autoptr (GPtrArray) placed = NULL;
    KbPodTemplate shape;
    Headroom *h;
    Pod copy;

    g_return_val_if_fail (c != NULL && tmpl != NULL && name != NULL, NULL);
    g_return_val_if_fail (error == NULL || *error == NULL, NULL);

    first = g_strdup_printf ("%s-0", name);
    why = controller__rejection (c, tmpl, first);
    if (why != NULL) {
        g_set_error (error, KB_HEADROOM_ERROR, KB_HEADROOM_ERROR_REJECTED,
                     "%s", why);
        return NULL;
    }
    shape = *tmpl;              /* shallow: only node_name differs */
    shape.node_name = NULL;
    copy_init (c, &copy, &shape);
    h = headroom_new (c);
    placed = place_copies (c, &copy, max_limit, h);
    tally (h, c, placed);
    for (guint i = placed->len; i-- > 0;)
        cluster__node_give_back (c, g_ptr_array_index (placed, i), &copy);
    sched__forget_template (c, &shape);
    return h;
}
