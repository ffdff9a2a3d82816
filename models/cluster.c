/* cluster.c: the store every model shares, and nothing else.
 *
 * It holds the nodes (built from the scenario's pools), pods and
 * workloads, and keeps what follows from changing them: pod phases and
 * the conservation counters, time to Running, each node's entry in the
 * dense array a scheduling walk reads, node image stores, interned
 * strings, random streams, the event stream and failure-reason counts.
 * It knows no scheduling, kubelet or controller policy and starts no
 * model: assemble.c puts the models on top of it.
 */
#include "models/model-private.h"

#include <string.h>

static void
node_free (gpointer p)
{
    Node *n = p;

    g_free (n->name);
    g_ptr_array_unref (n->labels);
    g_ptr_array_unref (n->taints);
    g_hash_table_unref (n->layers);
    g_ptr_array_unref (n->images);
    g_queue_clear (&n->pull_queue);
    g_ptr_array_unref (n->transfers);
    g_ptr_array_unref (n->pods);
    g_array_unref (n->host_ports);
    g_free (n);
}

static void
pod_free (gpointer p)
{
    Pod *pod = p;

    if (pod == NULL)
        return;
    g_free (pod->name);
    g_free (pod);
}

static void
workload_free (gpointer p)
{
    Workload *w = p;

    g_ptr_array_unref (w->pods);
    if (w->active_jobs)
        g_ptr_array_unref (w->active_jobs);
    g_free (w->reject_message);
    if (w->rejected_at)
        g_array_unref (w->rejected_at);
    g_free (w);
}

static void
registry_free (gpointer p)
{
    Registry *r = p;

    g_ptr_array_unref (r->transfers);
    g_free (r);
}

static void
reason_free (gpointer p)
{
    ReasonCount *r = p;

    g_free (r->reason);
    g_free (r->example);
    g_free (r);
}

void
cluster__sync_node (Cluster *c, const Node *n)
{
    NodeHot *h;

    if (n->id >= c->hot_cap) {
        c->hot_cap = MAX (n->id + 1, 2 * c->hot_cap);
        c->hot = g_renew (NodeHot, c->hot, c->hot_cap);
    }
    h = &c->hot[n->id];
    c->sched_gen++;             /* a cached scheduling failure is stale */
    h->pool = n->pool;
    h->flags = (n->state == NODE_GONE ? HOT_GONE : 0)
               | (n->unschedulable ? HOT_UNSCHEDULABLE : 0)
               | (n->own_taints ? HOT_OWN_TAINTS : 0);
    h->version = n->version;
    h->run_end = ((Node *) g_ptr_array_index (c->nodes, n->run_start))
                     ->run_end;
    h->cpu_free = n->alloc_cpu - n->req_cpu;
    h->mem_free = n->alloc_mem - n->req_mem;
    h->pods_free = n->max_pods - n->n_pods;
}

static gint
pull_stats_cmp (gconstpointer a, gconstpointer b)
{
    const ImagePullStats *x = *(ImagePullStats **) a;
    const ImagePullStats *y = *(ImagePullStats **) b;
    gint64 bx = 0, by = 0;

    for (int os = 0; os < KB_N_OS; os++) {
        bx += x->bytes[os];
        by += y->bytes[os];
    }
    if (bx != by)
        return bx > by ? -1 : 1;
    return strcmp (x->image, y->image);
}

GPtrArray *
cluster_image_pulls (const Cluster *c)
{
    GPtrArray *out = g_ptr_array_new ();
    GHashTableIter it;
    gpointer v;

    g_hash_table_iter_init (&it, c->image_pulls);
    while (g_hash_table_iter_next (&it, NULL, &v))
        g_ptr_array_add (out, v);
    g_ptr_array_sort (out, pull_stats_cmp);     /* hash order never shows */
    return out;
}

const GArray *
cluster_time_to_running (const Cluster *c, KbOs os)
{
    return c->time_to_running[os];
}

gint64
cluster_pulled_bytes (const Cluster *c, KbOs os)
{
    return c->pull_bytes[os];
}

gboolean
cluster_node_has_image (const Node *node, const char *iname)
{
    for (guint i = 0; i < node->images->len; i++)
        if (node->images->pdata[i] == iname)
            return TRUE;
    return FALSE;
}

const char *
cluster_intern (Cluster *c, const char *s)
{
    char *v = g_hash_table_lookup (c->strings, s);

    if (v == NULL) {
        v = g_strdup (s);
        g_hash_table_add (c->strings, v);
    }
    return v;
}

static GPtrArray *
copy_taints (const GPtrArray *taints)
{
    GPtrArray *out = g_ptr_array_new_with_free_func (kb_taint_free);

    for (guint i = 0; i < taints->len; i++) {
        const KbTaint *t = g_ptr_array_index (taints, i);
        KbTaint *n = g_new0 (KbTaint, 1);

        n->key = g_strdup (t->key);
        n->value = g_strdup (t->value);
        n->effect = t->effect;
        g_ptr_array_add (out, n);
    }
    return out;
}

void
cluster__node_add_image (Cluster *c, Node *node, const char *name)
{
    const KbImageSpec *img = cluster__image (c, name);
    ImageChoice ch;
    const char *iname;

    if (img == NULL)
        return;
    ch = image_select (img, node->os, node->arch, &node->build, FALSE);
    if (ch.manifest == NULL)
        return;
    for (guint i = 0; i < ch.manifest->layers->len; i++) {
        const KbLayerSpec *l = g_ptr_array_index (ch.manifest->layers, i);

        g_hash_table_add (node->layers,
                          (gpointer) cluster_intern (c, l->digest));
    }
    iname = cluster_intern (c, img->name);
    if (!cluster_node_has_image (node, iname)) {
        g_ptr_array_add (node->images, (gpointer) iname);
        node->version++;
        c->image_epoch++;
        if (node->id < c->nodes->len)   /* not while it is being built */
            cluster__sync_node (c, node);
        g_hash_table_replace (c->image_nodes, (gpointer) iname,
                              GUINT_TO_POINTER (GPOINTER_TO_UINT (
                                  g_hash_table_lookup (c->image_nodes,
                                                       iname)) + 1));
    }
}

void
cluster__node_set_own_taints (Cluster *c, Node *node, gboolean own)
{
    if (node->own_taints == own)
        return;
    node->own_taints = own;
    if (own)
        c->pool_own_taints[node->pool]++;
    else
        c->pool_own_taints[node->pool]--;
    cluster__sync_node (c, node);
}

/* Empties a node's image store (a re-imaged or replaced node). */
void
cluster__node_clear_images (Cluster *c, Node *node)
{
    for (guint i = 0; i < node->images->len; i++) {
        gpointer iname = node->images->pdata[i];
        guint n = GPOINTER_TO_UINT (g_hash_table_lookup (c->image_nodes,
                                                         iname));

        g_hash_table_replace (c->image_nodes, iname,
                              GUINT_TO_POINTER (n > 0 ? n - 1 : 0));
    }
    g_ptr_array_set_size (node->images, 0);
    g_hash_table_remove_all (node->layers);
    node->reimage_epoch++;
    node->version++;
    c->image_epoch++;
    cluster__sync_node (c, node);
}

static void tmpl_pods_free (gpointer p);

static Node *
node_new (Cluster *c, guint pool_index, guint ordinal)
{
    const KbPoolSpec *p = g_ptr_array_index (c->s->pools, pool_index);
    Node *n = g_new0 (Node, 1);

    n->cluster = c;
    n->id = c->nodes->len;
    n->pool = pool_index;
    n->spec = p;
    n->name = p->from_node_list ? g_strdup (p->name)
                                : g_strdup_printf ("%s-%u", p->name, ordinal);
    n->os = p->os;
    n->arch = p->arch;
    n->build = p->windows_build;
    n->kubelet = p->kubelet;
    n->labels = kb_labels_new ();
    for (guint i = 0; i < p->labels->len; i++) {
        const KbLabel *l = g_ptr_array_index (p->labels, i);

        kb_labels_set (n->labels, l->key, l->value);
    }
    kb_labels_set (n->labels, "kubernetes.io/hostname", n->name);
    if (p->zones->len > 0)
        kb_labels_set (n->labels, "topology.kubernetes.io/zone",
                       g_ptr_array_index (p->zones,
                                          ordinal % p->zones->len));
    n->taints = copy_taints (p->taints);
    n->alloc_cpu = p->cpu;
    n->alloc_mem = p->memory;
    n->max_pods = p->max_pods;
    n->state = NODE_READY;
    n->added = sim_engine_now (c->engine);
    n->removed = -1;
    n->down_since = -1;
    n->underused_since = -1;
    n->layers = g_hash_table_new (g_direct_hash, g_direct_equal);
    n->images = g_ptr_array_new ();
    g_queue_init (&n->pull_queue);
    n->transfers = g_ptr_array_new ();
    n->pods = g_ptr_array_new ();
    n->host_ports = g_array_new (FALSE, FALSE, sizeof (guint16));
    for (guint i = 0; i < p->prepulled->len; i++)
        cluster__node_add_image (c, n, g_ptr_array_index (p->prepulled, i));
    g_ptr_array_add (c->nodes, n);
    c->n_listed++;
    c->image_epoch++;           /* ImageLocality's spread is per node */
    /* Runs of consecutive nodes in one pool, which a scheduling walk can
     * pass over in one step when the pool cannot host a pod. */
    n->run_start = n->id;
    if (n->id > 0) {
        Node *prev = g_ptr_array_index (c->nodes, n->id - 1);

        if (prev->pool == n->pool)
            n->run_start = prev->run_start;
    }
    ((Node *) g_ptr_array_index (c->nodes, n->run_start))->run_end =
        n->id + 1;
    for (guint i = n->run_start; i <= n->id; i++)
        cluster__sync_node (c, g_ptr_array_index (c->nodes, i));
    return n;
}

Node *
cluster__add_node (Cluster *c, guint pool_index, guint ordinal)
{
    return node_new (c, pool_index, ordinal);
}

Cluster *
cluster__store_new (const Scenario *s, guint replication)
{
    Cluster *c = g_new0 (Cluster, 1);

    c->s = s;
    c->replication = replication;
    c->engine = sim_engine_new ();
    c->nodes = g_ptr_array_new_with_free_func (node_free);
    c->pods = g_ptr_array_new_with_free_func (pod_free);
    c->workloads = g_ptr_array_new_with_free_func (workload_free);
    c->strings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        NULL);
    c->rngs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) sim_rng_free);
    c->registries = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                           registry_free);
    c->image_nodes = g_hash_table_new (g_direct_hash, g_direct_equal);
    c->image_pulls = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                            NULL, g_free);
    c->reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        reason_free);
    c->pod_namespaces = g_hash_table_new_full (g_str_hash, g_str_equal,
                                               g_free, NULL);
    c->tmpl_pods = g_hash_table_new (g_direct_hash, g_direct_equal);
    c->tmpl_pods_list = g_ptr_array_new_with_free_func (tmpl_pods_free);
    for (int i = 0; i < KB_N_OS; i++)
        c->time_to_running[i] = g_array_new (FALSE, FALSE, sizeof (double));
    c->cp_version = s->control_plane.version;
    c->pool_own_taints = g_new0 (guint, s->pools->len);
    for (guint i = 0; i < s->registries->len; i++) {
        const KbRegistrySpec *rs = g_ptr_array_index (s->registries, i);
        Registry *r = g_new0 (Registry, 1);

        r->spec = rs;
        r->transfers = g_ptr_array_new ();
        g_hash_table_insert (c->registries, rs->name, r);
    }
    for (guint i = 0; i < s->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (s->pools, i);

        for (gint64 k = 0; k < p->count; k++)
            node_new (c, i, (guint) k);
    }
    return c;
}

void
cluster__store_free (Cluster *c)
{
    sim_engine_free (c->engine);
    g_ptr_array_unref (c->workloads);
    g_ptr_array_unref (c->pods);
    g_ptr_array_unref (c->nodes);
    g_free (c->hot);
    g_hash_table_unref (c->registries);
    g_hash_table_unref (c->image_nodes);
    g_hash_table_unref (c->image_pulls);
    g_hash_table_unref (c->reasons);
    g_hash_table_unref (c->pod_namespaces);
    g_hash_table_unref (c->tmpl_pods);
    g_ptr_array_unref (c->tmpl_pods_list);
    g_free (c->pool_own_taints);
    g_free (c->workload_cost);
    g_hash_table_unref (c->rngs);
    g_hash_table_unref (c->strings);
    for (int i = 0; i < KB_N_OS; i++)
        g_array_unref (c->time_to_running[i]);
    g_free (c);
}

const Scenario *
cluster_scenario (const Cluster *c)
{
    return c->s;
}

SimEngine *
cluster_engine (Cluster *c)
{
    return c->engine;
}

GPtrArray *
cluster_nodes (const Cluster *c)
{
    return c->nodes;
}

Node *
cluster_find_node (const Cluster *c, const char *name)
{
    for (guint i = 0; i < c->nodes->len; i++) {
        Node *n = g_ptr_array_index (c->nodes, i);

        if (strcmp (n->name, name) == 0)
            return n;
    }
    return NULL;
}

GPtrArray *
cluster_pods (const Cluster *c)
{
    return c->pods;
}

GPtrArray *
cluster_workloads (const Cluster *c)
{
    return c->workloads;
}

const OsCounters *
cluster_counters (const Cluster *c, KbOs os)
{
    return &c->counters[os];
}

SimRng *
cluster_rng (Cluster *c, const char *purpose)
{
    SimRng *r = g_hash_table_lookup (c->rngs, purpose);

    if (r == NULL) {
        r = sim_rng_new (c->s->seed, purpose, c->replication);
        g_hash_table_insert (c->rngs, g_strdup (purpose), r);
    }
    return r;
}

void
cluster_set_event_sink (Cluster *c, ClusterEventFunc sink, gpointer data)
{
    c->event_sink = sink;
    c->event_data = data;
}

void
cluster_set_pod_hook (Cluster *c, ClusterPodFunc hook, gpointer data)
{
    c->pod_hook = hook;
    c->pod_hook_data = data;
}

void
cluster_set_drop_finished (Cluster *c, gboolean drop)
{
    c->drop_finished = drop;
}

void
cluster__pod_done (Cluster *c, Pod *pod)
{
    Workload *w = pod->workload;

    if (c->pod_hook)
        c->pod_hook (pod, c->pod_hook_data);
    if (!c->drop_finished)
        return;
    w->dropped++;
    w->dropped_placed += pod->running >= 0
        && pod->running - pod->created <= c->s->metrics.placement_deadline;
    c->pods->pdata[pod->id] = NULL;
    g_hash_table_remove (c->pod_namespaces, pod->name);
    pod_free (pod);
}

void
cluster_run_until (Cluster *c, SimTime until)
{
    sim_engine_run_until (c->engine, MIN (until, c->s->duration));
}

static void
emit_v (Cluster *c, const char *ns, const char *type, const char *reason,
        const char *kind, const char *object, const char *format, va_list ap)
{
    ClusterEvent ev;
    g_autofree char *msg = g_strdup_vprintf (format, ap);

    ev.time = sim_engine_now (c->engine);
    ev.namespace = ns;
    ev.type = type;
    ev.reason = reason;
    ev.kind = kind;
    ev.object = object;
    ev.message = msg;
    c->event_sink (&ev, c->event_data);
}

void
cluster__emit (Cluster *c, const char *type, const char *reason,
               const char *kind, const char *object, const char *format, ...)
{
    const char *ns = NULL;
    va_list ap;

    if (c->event_sink == NULL)
        return;
    if (g_hash_table_size (c->pod_namespaces) > 0
        && strcmp (kind, "Pod") == 0)
        ns = g_hash_table_lookup (c->pod_namespaces, object);
    va_start (ap, format);
    emit_v (c, ns ? ns : "default", type, reason, kind, object, format, ap);
    va_end (ap);
}

void
cluster__emit_in (Cluster *c, const char *ns, const char *type,
                  const char *reason, const char *kind, const char *object,
                  const char *format, ...)
{
    va_list ap;

    if (c->event_sink == NULL)
        return;
    va_start (ap, format);
    emit_v (c, ns, type, reason, kind, object, format, ap);
    va_end (ap);
}

void
cluster__count_reason (Cluster *c, const char *reason, KbOs os,
                       const char *message)
{
    g_autofree char *key = g_strdup_printf ("%s\t%d", reason, os);
    ReasonCount *r = g_hash_table_lookup (c->reasons, key);

    if (r == NULL) {
        r = g_new0 (ReasonCount, 1);
        r->reason = g_strdup (reason);
        r->os = os;
        r->example = g_strdup (message);
        g_hash_table_insert (c->reasons, g_steal_pointer (&key), r);
    }
    r->count++;
}

PodColumn
cluster_pod_column (const Pod *pod)
{
    switch (pod->phase) {
    case POD_RUNNING:
        return POD_COL_RUNNING;
    case POD_SUCCEEDED:
        return POD_COL_SUCCEEDED;
    case POD_FAILED:
        return POD_COL_FAILED;
    default:
        break;
    }
    switch (pod->reason) {
    case POD_REASON_ERR_IMAGE_PULL:
    case POD_REASON_IMAGE_PULL_BACKOFF:
    case POD_REASON_CREATE_CONTAINER_ERROR:
    case POD_REASON_RUN_CONTAINER_ERROR:
    case POD_REASON_CRASH_LOOP_BACKOFF:
        return POD_COL_BACKOFF;
    default:
        return pod->node ? POD_COL_CREATING : POD_COL_UNSCHEDULED;
    }
}

/* Reason changes keep the column counters; every change of reason, node
 * or phase goes through here or cluster__set_phase. */
void
cluster__set_reason (Cluster *c, Pod *pod, PodReason reason)
{
    OsCounters *k = &c->counters[pod->os];

    k->column[cluster_pod_column (pod)]--;
    pod->reason = reason;
    k->column[cluster_pod_column (pod)]++;
}

/* ---- bound pods by template (PodTopologySpread's counts) --------------- */

static void
tmpl_pods_free (gpointer p)
{
    TmplPods *tp = p;

    g_hash_table_unref (tp->by_node);
    g_free (tp);
}

const KbWorkloadSpec *
cluster__template_owner (Cluster *c, const KbPodTemplate *t,
                         const Workload *w)
{
    if (w != NULL)
        return w->spec;
    for (guint i = 0; i < c->s->workloads->len; i++) {
        const KbWorkloadSpec *ws = g_ptr_array_index (c->s->workloads, i);

        if (ws->template == t)
            return ws;
    }
    return NULL;
}

const TmplPods *
cluster__tmpl_pods (Cluster *c, const KbPodTemplate *t)
{
    return g_hash_table_lookup (c->tmpl_pods, t);
}

guint
cluster__tmpl_pods_on (const TmplPods *tp, guint32 node_id)
{
    if (tp == NULL)
        return 0;
    return GPOINTER_TO_UINT (g_hash_table_lookup (tp->by_node,
                                                  GUINT_TO_POINTER (node_id
                                                                    + 1)));
}

static void
tmpl_pods_add (Cluster *c, const Node *node, const Pod *pod, gint delta)
{
    TmplPods *tp = g_hash_table_lookup (c->tmpl_pods, pod->tmpl);
    gpointer key = GUINT_TO_POINTER (node->id + 1);
    guint n;

    if (tp == NULL) {
        tp = g_new0 (TmplPods, 1);
        tp->tmpl = pod->tmpl;
        tp->owner = cluster__template_owner (c, pod->tmpl, pod->workload);
        tp->by_node = g_hash_table_new (g_direct_hash, g_direct_equal);
        g_hash_table_insert (c->tmpl_pods, (gpointer) pod->tmpl, tp);
        g_ptr_array_add (c->tmpl_pods_list, tp);
    }
    n = GPOINTER_TO_UINT (g_hash_table_lookup (tp->by_node, key));
    g_return_if_fail (delta > 0 || n > 0);
    n = delta > 0 ? n + 1 : n - 1;
    if (n == 0)
        g_hash_table_remove (tp->by_node, key);
    else
        g_hash_table_insert (tp->by_node, key, GUINT_TO_POINTER (n));
    tp->total += delta;
}

void
cluster__node_take (Cluster *c, Node *node, const Pod *pod)
{
    const KbPodTemplate *t = pod->tmpl;

    node->req_cpu += pod->cpu;
    node->req_mem += pod->mem;
    node->nz_extra_cpu += pod->nz_extra_cpu;
    node->nz_extra_mem += pod->nz_extra_mem;
    node->version++;
    node->n_pods++;
    tmpl_pods_add (c, node, pod, 1);
    cluster__sync_node (c, node);
    for (guint i = 0; i < t->containers->len; i++) {
        const KbContainerSpec *ct = g_ptr_array_index (t->containers, i);

        g_array_append_vals (node->host_ports, ct->host_ports->data,
                             ct->host_ports->len);
    }
}

void
cluster__node_give_back (Cluster *c, Node *node, const Pod *pod)
{
    const KbPodTemplate *t = pod->tmpl;

    node->req_cpu -= pod->cpu;
    node->req_mem -= pod->mem;
    node->nz_extra_cpu -= pod->nz_extra_cpu;
    node->nz_extra_mem -= pod->nz_extra_mem;
    node->version++;
    node->n_pods--;
    tmpl_pods_add (c, node, pod, -1);
    cluster__sync_node (c, node);
    for (guint i = 0; i < t->containers->len; i++) {
        const KbContainerSpec *ct = g_ptr_array_index (t->containers, i);

        for (guint k = 0; k < ct->host_ports->len; k++)
            for (guint p = 0; p < node->host_ports->len; p++)
                if (g_array_index (node->host_ports, guint16, p)
                    == g_array_index (ct->host_ports, guint16, k)) {
                    g_array_remove_index_fast (node->host_ports, p);
                    break;
                }
    }
}

void
cluster__bind_node (Cluster *c, Pod *pod, Node *node)
{
    OsCounters *k = &c->counters[pod->os];

    k->column[cluster_pod_column (pod)]--;
    pod->node = node;
    pod->reason = POD_REASON_CONTAINER_CREATING;
    k->column[cluster_pod_column (pod)]++;
}

void
cluster__set_phase (Cluster *c, Pod *pod, PodPhase phase, PodReason reason)
{
    OsCounters *k = &c->counters[pod->os];
    SimTime now = sim_engine_now (c->engine);

    k->phase[pod->phase]--;
    k->phase[phase]++;
    k->column[cluster_pod_column (pod)]--;
    if (phase == POD_RUNNING && pod->running < 0) {
        double wait = sim_time_to_seconds (now - pod->created);

        pod->running = now;
        g_array_append_val (c->time_to_running[pod->os], wait);
        if (now - pod->created <= c->s->metrics.placement_deadline)
            k->placed++;
    }
    if ((phase == POD_SUCCEEDED || phase == POD_FAILED) && pod->finished < 0)
        pod->finished = now;
    pod->phase = phase;
    pod->reason = reason;
    k->column[cluster_pod_column (pod)]++;
}

/* Which OS a pod is meant for: its nodeSelector, else spec.os.name, else
 * what its images are built for. */
static KbOs
pod_target_os (Cluster *c, const KbPodTemplate *t)
{
    const char *os = kb_labels_get (t->node_selector, "kubernetes.io/os");
    gboolean linux_ok = FALSE, windows_ok = FALSE;

    if (os && platform_os_from_string (os) != KB_OS_UNKNOWN)
        return platform_os_from_string (os);
    if (t->os_name != KB_OS_UNKNOWN)
        return t->os_name;
    for (guint i = 0; i < t->containers->len; i++) {
        const KbContainerSpec *ct = g_ptr_array_index (t->containers, i);
        const KbImageSpec *img = cluster__image (c, ct->image);

        for (guint j = 0; img && j < img->manifests->len; j++) {
            const KbManifestSpec *m = g_ptr_array_index (img->manifests, j);

            linux_ok |= m->os == KB_OS_LINUX;
            windows_ok |= m->os == KB_OS_WINDOWS;
        }
    }
    return windows_ok && !linux_ok ? KB_OS_WINDOWS : KB_OS_LINUX;
}

/* Effective requests: the larger of the containers' sum and any single
 * init container (Kubernetes' rule for init containers). */
void
cluster__pod_requests (const KbPodTemplate *t, gint64 *cpu, gint64 *mem)
{
    *cpu = *mem = 0;
    for (guint i = 0; i < t->containers->len; i++) {
        const KbContainerSpec *ct = g_ptr_array_index (t->containers, i);

        *cpu += ct->cpu_request;
        *mem += ct->memory_request;
    }
    for (guint i = 0; i < t->init_containers->len; i++) {
        const KbContainerSpec *ct = g_ptr_array_index (t->init_containers, i);

        *cpu = MAX (*cpu, ct->cpu_request);
        *mem = MAX (*mem, ct->memory_request);
    }
}

Pod *
cluster__new_pod (Cluster *c, Workload *w, const char *prefix,
                  guint ordinal)
{
    Pod *pod = g_new0 (Pod, 1);

    pod->id = c->pods->len;
    pod->workload = w;
    pod->tmpl = w->tmpl;
    pod->name = prefix ? g_strdup_printf ("%s-%u", prefix, ordinal)
                       : g_strdup_printf ("%s-%u", w->spec->name,
                                          w->next_ordinal++);
    if (strcmp (w->spec->namespace, "default") != 0)
        g_hash_table_insert (c->pod_namespaces, g_strdup (pod->name),
                             w->spec->namespace);
    pod->os = w->os;
    cluster__pod_requests (pod->tmpl, &pod->cpu, &pod->mem);
    filter_nonzero_extra (pod->tmpl, pod->cpu, pod->mem, &pod->nz_extra_cpu,
                          &pod->nz_extra_mem);
    pod->priority = pod->tmpl->priority;
    pod->created = sim_engine_now (c->engine);
    pod->scheduled = pod->running = pod->finished = -1;
    pod->run_seconds = -1;
    pod->phase = POD_PENDING;
    pod->reason = POD_REASON_UNSCHEDULABLE;
    g_ptr_array_add (c->pods, pod);
    pod->wl_index = w->pods->len;
    g_ptr_array_add (w->pods, pod);
    c->counters[pod->os].arrived++;
    c->counters[pod->os].phase[POD_PENDING]++;
    c->counters[pod->os].column[POD_COL_UNSCHEDULED]++;
    return pod;
}

KbOs
cluster__workload_os (Cluster *c, const KbPodTemplate *t)
{
    return pod_target_os (c, t);
}

Registry *
cluster__registry (Cluster *c, const char *name)
{
    return g_hash_table_lookup (c->registries, name);
}

const KbImageSpec *
cluster__image (Cluster *c, const char *name)
{
    return scenario_find_image (c->s, name);
}

gboolean
cluster_check_conservation (const Cluster *c)
{
    for (int os = 0; os < KB_N_OS; os++) {
        const OsCounters *k = &c->counters[os];
        gint64 sum = 0;

        for (int p = 0; p < POD_N_PHASES; p++) {
            if (k->phase[p] < 0)
                return FALSE;
            sum += k->phase[p];
        }
        if (sum != k->arrived)
            return FALSE;
        sum = 0;
        for (int col = 0; col < POD_N_COLS; col++) {
            if (k->column[col] < 0)
                return FALSE;
            sum += k->column[col];
        }
        if (sum != k->arrived
            || k->column[POD_COL_RUNNING] != k->phase[POD_RUNNING])
            return FALSE;
    }
    return TRUE;
}

const char *
cluster_phase_name (PodPhase phase)
{
    static const char *const names[] = { "Pending", "Running", "Succeeded",
                                         "Failed" };

    return (guint) phase < G_N_ELEMENTS (names) ? names[phase] : "?";
}

const char *
cluster_pod_status (const Pod *pod)
{
    static const char *const names[] = {
        [POD_REASON_NONE] = NULL,
        [POD_REASON_UNSCHEDULABLE] = "Pending",
        [POD_REASON_CONTAINER_CREATING] = "ContainerCreating",
        [POD_REASON_ERR_IMAGE_PULL] = "ErrImagePull",
        [POD_REASON_IMAGE_PULL_BACKOFF] = "ImagePullBackOff",
        [POD_REASON_CREATE_CONTAINER_ERROR] = "CreateContainerError",
        [POD_REASON_RUN_CONTAINER_ERROR] = "RunContainerError",
        [POD_REASON_CRASH_LOOP_BACKOFF] = "CrashLoopBackOff",
        [POD_REASON_CREATE_POD_SANDBOX_ERROR] = "ContainerCreating",
        [POD_REASON_OS_NOT_SUPPORTED] = "PodOSNotSupported",
        [POD_REASON_OS_SELECTOR_MISMATCH] =
            "PodOSSelectorNodeLabelDoesNotMatch",
        [POD_REASON_COMPLETED] = "Completed",
        [POD_REASON_EVICTED] = "Evicted",
        [POD_REASON_ERROR] = "Error",
    };

    if ((guint) pod->reason < G_N_ELEMENTS (names) && names[pod->reason])
        return names[pod->reason];
    return cluster_phase_name (pod->phase);
}
