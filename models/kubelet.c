/* kubelet.c: what happens on a node after the scheduler binds a pod.
 *
 * Admission (pkg/kubelet/lifecycle/predicate.go), then the pod sandbox
 * (the pause image, subject to the same platform rules), then each
 * container's image: chosen from the image index as containerd does
 * (image.c), pulled layer by layer unless present, then the container is
 * created and started. Failures follow the kubelet's reasons and back-off
 * (facts 5.3 and 6): a pull with no matching platform is ErrImagePull,
 * then ImagePullBackOff, retried after 10 s doubling to 300 s, and so is a
 * pull from a registry that cannot be reached; a single manifest of
 * another OS pulls and then fails at create (CreateContainerError); one of
 * another Windows build is created and fails when its task starts
 * (RunContainerError, then CrashLoopBackOff on the container restart
 * back-off, facts 10.2); a sandbox that cannot start leaves the pod in
 * ContainerCreating with FailedCreatePodSandBox.
 *
 * Pulls: one at a time per node unless the pool allows more
 * (serializeImagePulls / maxParallelImagePulls); a pull waits for the
 * registry's latency, transfers the layers the node lacks, then extracts
 * them at the node's disk speed. Transfers share links max-min fairly
 * (spec.h, KbRegistrySpec): the node's network, the registry's
 * per-node link, the registry's aggregate cap when it has one; shares are
 * recomputed whenever a transfer starts or ends, for the transfers whose
 * links it shares.
 *
 * A pod ends here and nowhere else (end_pod): it Succeeds, Fails or is
 * deleted. The scheduler and the controllers above hear of it, and of
 * pods reaching Running, through the KubeletHooks tables that assemble.c
 * adds; the kubelet calls nothing above it (the protocol is in
 * model-private.h).
 */
#include "models/model-private.h"

#include <math.h>
#include <string.h>

#define PULL_BACKOFF_INITIAL (10 * SIM_SEC)
#define PULL_BACKOFF_MAX     (300 * SIM_SEC)
/* The container restart back-off, a flowcontrol.Backoff of its own keyed
 * per container (pkg/kubelet/kubelet.go: 10 s initial, MaxContainerBackOff
 * 300 s; facts 5.3), not the image one. */
#define CRASH_BACKOFF_INITIAL (10 * SIM_SEC)
#define CRASH_BACKOFF_MAX     (300 * SIM_SEC)
/* The kubelet shows ErrImagePull until its next sync notices the
 * back-off; a second is a plain stand-in for that delay. */
#define SYNC_DELAY           SIM_SEC

typedef enum {
    PULL_QUEUED,
    PULL_LATENCY,
    PULL_TRANSFER,
    PULL_EXTRACT
} PullPhase;

struct PullJob {
    Cluster *c;
    Pod *pod;                       /* NULL when the pod went away */
    Node *node;
    Registry *reg;
    const KbImageSpec *img;
    const KbManifestSpec *mf;
    gboolean sandbox;
    PullPhase phase;
    gint64 bytes;
    double left;                    /* bytes still to send */
    double rate;                    /* bytes per second; 0 until set */
    double demand;                  /* its share of its node's links */
    gboolean capped;                /* held back by the aggregate cap */
    SimTime last;
    SimTime queued;
    SimTime started;
    SimEventId ev;
    guint32 reimage_epoch;          /* the node's, when the pull began */
};

/* The kubelets of all nodes: the pulls they have under way. */
struct Kubelet {
    GHashTable *pulls;              /* PullJob * set, owned (a job whose
                                     * pod went away goes on) */
    GPtrArray *hooks;               /* const KubeletHooks *, in the order
                                     * they were added */
};

static void prepare_next (Cluster *c, Pod *pod);
static void fail_pod (Cluster *c, Pod *pod, PodReason reason,
                      const char *event_reason, const char *msg);
static void end_pod (Cluster *c, Pod *pod, PodPhase phase,
                     PodReason reason);
static void room_freed (Cluster *c);
static void pull_step (SimEngine *e, gpointer obj, gint64 arg);
static void pod_timer (SimEngine *e, gpointer obj, gint64 arg);
static void pod_complete (SimEngine *e, gpointer obj, gint64 arg);

static const SimEventKind pull_kind = { "image-pull", pull_step };
static const SimEventKind timer_kind = { "kubelet-retry", pod_timer };
static const SimEventKind complete_kind = { "pod-complete", pod_complete };
static void pod_unsupported_failure (SimEngine *e, gpointer obj, gint64 arg);
static const SimEventKind unsupported_kind = { "pod-failure-unsupported",
                                               pod_unsupported_failure };

/* What the pod's timer does when it fires. */
enum {
    TIMER_RETRY,            /* try the current step again */
    TIMER_SHOW_BACKOFF,     /* ErrImagePull -> ImagePullBackOff */
    TIMER_SHOW_CRASH_LOOP,  /* RunContainerError -> CrashLoopBackOff */
    TIMER_START             /* containers created: Running */
};

static const KbContainerSpec *
container_at (const Pod *pod, guint i)
{
    const KbPodTemplate *t = pod->tmpl;

    if (i < t->init_containers->len)
        return g_ptr_array_index (t->init_containers, i);
    i -= t->init_containers->len;
    return i < t->containers->len ? g_ptr_array_index (t->containers, i)
                                  : NULL;
}

static SimTime
pull_backoff (Pod *pod)
{
    SimTime d = PULL_BACKOFF_INITIAL << MIN (pod->pull_failures, 6u);

    pod->pull_failures++;
    return MIN (d, PULL_BACKOFF_MAX);
}

static SimTime
crash_backoff (const Pod *pod)
{
    guint n = pod->start_failures > 0 ? pod->start_failures - 1 : 0;

    return MIN (CRASH_BACKOFF_INITIAL << MIN (n, 6u), CRASH_BACKOFF_MAX);
}

/* A whole number of seconds as Go's time.Duration prints it: "10s",
 * "1m20s", "5m0s". (transfer full) */
static char *
go_duration (SimTime d)
{
    gint64 s = d / SIM_SEC;

    if (s < 60)
        return g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
    if (s < 3600)
        return g_strdup_printf ("%" G_GINT64_FORMAT "m%" G_GINT64_FORMAT "s",
                                s / 60, s % 60);
    return g_strdup_printf ("%" G_GINT64_FORMAT "h%" G_GINT64_FORMAT "m%"
                            G_GINT64_FORMAT "s", s / 3600, s / 60 % 60,
                            s % 60);
}

/* The kubelet's name for a pod in its messages, pkg/kubelet/util/format
 * Pod: "%s_%s(%s)", name, namespace, UID. kbsim's pods have no UID; a
 * UUID-shaped one is made from the SHA-256 of namespace and name, so that
 * a seed gives the same text. (transfer full) */
static char *
format_pod (const Pod *pod)
{
    const char *ns = pod->workload->spec->namespace;
    g_autofree char *key = g_strconcat (ns, "/", pod->name, NULL);
    g_autofree char *h = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                        key, -1);

    return g_strdup_printf ("%s_%s(%.8s-%.4s-%.4s-%.4s-%.12s)", pod->name,
                            ns, h, h + 8, h + 12, h + 16, h + 20);
}

static void
set_timer (Cluster *c, Pod *pod, SimTime delay, gint64 what)
{
    if (pod->timer.gen)
        sim_engine_cancel (c->engine, pod->timer);
    pod->timer = sim_engine_schedule_in (c->engine, delay, &timer_kind, pod,
                                         what);
}

/* ---- pulls and their links ---------------------------------------------- */

/* Books a registry's figures up to now, before its transfers or the
 * number held back by its cap change. */
static void
registry_book (Cluster *c, Registry *reg)
{
    SimTime now = sim_engine_now (c->engine);
    double dt = sim_time_to_seconds (now - reg->since);

    if (reg->transfers->len > 0)
        reg->busy_seconds += dt;
    if (reg->n_capped > 0)
        reg->bound_seconds += dt;
    reg->transfer_seconds += dt * reg->transfers->len;
    reg->capped_seconds += dt * reg->n_capped;
    reg->since = now;
}

/* Moves a transfer to a new rate: what it sent at the old rate is
 * booked and its end re-timed. A transfer whose rate stays is left
 * alone, so a change on one node re-times no other node's transfers
 * unless an aggregate cap joins them. A new transfer has rate 0. */
static void
transfer_set_rate (Cluster *c, PullJob *j, double rate)
{
    SimTime now = sim_engine_now (c->engine);

    if (rate == j->rate)
        return;
    if (j->rate > 0)
        j->left = MAX (j->left - j->rate * sim_time_to_seconds (now - j->last),
                       0);
    j->last = now;
    j->rate = rate;
    sim_engine_cancel (c->engine, j->ev);
    j->ev = sim_engine_schedule_in (c->engine,
                                    sim_time_from_seconds (j->left / rate),
                                    &pull_kind, j, 0);
}

static guint
node_transfers_from (const Node *node, const Registry *reg)
{
    guint n = 0;

    for (guint i = 0; i < node->transfers->len; i++)
        n += ((PullJob *) g_ptr_array_index (node->transfers, i))->reg == reg;
    return n;
}

/* The max-min fair shares of a node's transfers over the node's own
 * links: its network_bandwidth, shared by all of them, and each
 * registry's per_node_bandwidth, shared by those from that registry.
 * Water-filling: every registry group whose per-node share is below the
 * level the open transfers would get is fixed at that share, which can
 * only raise the level for the rest; repeat until none is below. Sets
 * each transfer's demand (what it gets unless an aggregate cap holds it
 * back). A node's transfers are few: the quadratic scan is cheap. */
static void
node_shares (Node *node)
{
    GPtrArray *t = node->transfers;
    double left = node->spec->network_bandwidth;
    guint open = t->len;
    gboolean fixed = TRUE;

    for (guint i = 0; i < t->len; i++)
        ((PullJob *) g_ptr_array_index (t, i))->demand = -1;
    while (open > 0 && fixed) {
        double level = left / open;

        fixed = FALSE;
        for (guint i = 0; i < t->len; i++) {
            PullJob *j = g_ptr_array_index (t, i);
            double cap = j->reg->spec->per_node_bandwidth;
            guint n;

            if (j->demand >= 0 || cap <= 0)
                continue;
            n = node_transfers_from (node, j->reg);
            if (cap / n >= level)
                continue;
            for (guint k = 0; k < t->len; k++) {
                PullJob *o = g_ptr_array_index (t, k);

                if (o->reg == j->reg)
                    o->demand = cap / n;
            }
            left -= cap;
            open -= n;
            fixed = TRUE;
        }
    }
    for (guint i = 0; i < t->len; i++) {
        PullJob *j = g_ptr_array_index (t, i);

        if (j->demand < 0)
            j->demand = left / open;
    }
}

/* Shares a registry's aggregate cap among its transfers, each asking its
 * demand: max-min fair, so a transfer asking less than the level keeps
 * its demand and the others split what it leaves. The cap binds when the
 * demands add up to more than it; the transfers it holds back are
 * counted for the summary.
 * NEEDSWORK: a node's other transfers do not reclaim the node share the
 * cap takes from one of them (exact when a node has one transfer at a
 * time, the kubelet's default serializeImagePulls). */
static void
registry_shares (Cluster *c, Registry *reg)
{
    GPtrArray *t = reg->transfers;
    double left = reg->spec->aggregate_bandwidth, sum = 0, level = INFINITY;
    guint open = t->len;
    gboolean fixed = TRUE;

    registry_book (c, reg);
    for (guint i = 0; i < t->len; i++) {
        PullJob *j = g_ptr_array_index (t, i);

        sum += j->demand;
        j->capped = TRUE;               /* open, for the loop below */
    }
    while (sum > left && open > 0 && fixed) {
        level = left / open;
        fixed = FALSE;
        for (guint i = 0; i < t->len; i++) {
            PullJob *j = g_ptr_array_index (t, i);

            if (j->capped && j->demand <= level) {
                j->capped = FALSE;
                left -= j->demand;
                open--;
                fixed = TRUE;
            }
        }
        level = open > 0 ? left / open : INFINITY;
    }
    reg->n_capped = 0;
    for (guint i = 0; i < t->len; i++) {
        PullJob *j = g_ptr_array_index (t, i);

        j->capped = j->demand > level;
        reg->n_capped += j->capped;
        transfer_set_rate (c, j, j->capped ? level : j->demand);
    }
}

static gboolean
has_cap (const Registry *reg)
{
    return reg->spec->aggregate_bandwidth > 0;
}

/* Re-shares the links after a transfer of node from reg started or
 * ended: the node's own links, then the aggregate cap of reg and of
 * every registry the node's transfers come from, which reaches other
 * nodes' transfers. */
static void
links_retime (Cluster *c, Node *node, Registry *reg)
{
    GPtrArray *t = node->transfers;

    node_shares (node);
    for (guint i = 0; i < t->len; i++) {
        PullJob *j = g_ptr_array_index (t, i);

        if (!has_cap (j->reg))
            transfer_set_rate (c, j, j->demand);
    }
    if (has_cap (reg))
        registry_shares (c, reg);
    for (guint i = 0; i < t->len; i++) {
        Registry *r = ((PullJob *) g_ptr_array_index (t, i))->reg;
        gboolean done = r == reg || !has_cap (r);

        for (guint k = 0; k < i && !done; k++)
            done = ((PullJob *) g_ptr_array_index (t, k))->reg == r;
        if (!done)
            registry_shares (c, r);
    }
}

static void
transfer_begin (Cluster *c, PullJob *j)
{
    registry_book (c, j->reg);
    j->phase = PULL_TRANSFER;
    j->left = (double) j->bytes;
    j->last = sim_engine_now (c->engine);
    j->rate = 0;
    g_ptr_array_add (j->reg->transfers, j);
    g_ptr_array_add (j->node->transfers, j);
    links_retime (c, j->node, j->reg);
}

/* Takes a transfer off its links (it finished, or its registry went
 * down) and re-shares them. */
static void
transfer_end (Cluster *c, PullJob *j)
{
    registry_book (c, j->reg);
    g_ptr_array_remove (j->reg->transfers, j);
    g_ptr_array_remove (j->node->transfers, j);
    if (j->capped)
        j->reg->n_capped--;
    links_retime (c, j->node, j->reg);
}

static gint64
missing_bytes (Cluster *c, const Node *node, const KbManifestSpec *mf)
{
    gint64 bytes = 0;

    for (guint i = 0; i < mf->layers->len; i++) {
        const KbLayerSpec *l = g_ptr_array_index (mf->layers, i);
        const char *d = g_hash_table_lookup (c->strings, l->digest);

        if (d == NULL || !g_hash_table_contains (node->layers, d))
            bytes += l->size;
    }
    return bytes;
}

static void
pull_start (Cluster *c, PullJob *j)
{
    j->node->active_pulls++;
    j->started = sim_engine_now (c->engine);
    j->phase = PULL_LATENCY;
    /* Latency plus the registry's pull_delay distribution (slow pulls). */
    j->ev = sim_engine_schedule_in (
        c->engine,
        sim_time_add (j->reg->spec->latency,
                      sim_time_from_seconds (sim_dist_sample (
                          &j->reg->spec->pull_delay,
                          cluster_rng (c, "pull-delay")))),
        &pull_kind, j, 0);
}

static void
pull_enqueue (Cluster *c, Pod *pod, Node *node, const KbImageSpec *img,
              const KbManifestSpec *mf, gboolean sandbox)
{
    PullJob *j = g_new0 (PullJob, 1);

    j->c = c;
    j->pod = pod;
    j->node = node;
    j->reg = cluster__registry (c, img->registry);
    j->img = img;
    j->mf = mf;
    j->sandbox = sandbox;
    j->queued = sim_engine_now (c->engine);
    j->reimage_epoch = node->reimage_epoch;
    pod->pull = j;
    g_hash_table_add (c->kubelet->pulls, j);
    if (!sandbox)
        cluster__emit (c, "Normal", "Pulling", "Pod", pod->name,
                       "Pulling image \"%s\"", img->name);
    if (node->active_pulls < (guint) node->spec->max_parallel_pulls)
        pull_start (c, j);
    else
        g_queue_push_tail (&node->pull_queue, j);
}

static void
pull_finished (Cluster *c, PullJob *j)
{
    Node *node = j->node;
    Pod *pod = j->pod;
    SimTime now = sim_engine_now (c->engine);
    /* A node re-imaged or removed meanwhile keeps nothing of it. */
    gboolean lands = node->state != NODE_GONE
                     && node->reimage_epoch == j->reimage_epoch;

    for (guint i = 0; lands && i < j->mf->layers->len; i++) {
        const KbLayerSpec *l = g_ptr_array_index (j->mf->layers, i);

        g_hash_table_add (node->layers,
                          (gpointer) cluster_intern (c, l->digest));
    }
    if (lands)
        cluster__node_add_image (c, node, j->img->name);
    c->pulls++;
    c->pull_bytes[node->os] += j->bytes;
    c->pull_seconds[node->os] += sim_time_to_seconds (now - j->started);
    {
        const char *iname = cluster_intern (c, j->img->name);
        ImagePullStats *st = g_hash_table_lookup (c->image_pulls, iname);

        if (st == NULL) {
            st = g_new0 (ImagePullStats, 1);
            st->image = iname;
            g_hash_table_insert (c->image_pulls, (gpointer) iname, st);
        }
        st->pulls[node->os]++;
        st->bytes[node->os] += j->bytes;
        st->seconds[node->os] += sim_time_to_seconds (now - j->started);
    }
    node->active_pulls--;
    g_hash_table_remove (c->kubelet->pulls, j);
    if (!g_queue_is_empty (&node->pull_queue))
        pull_start (c, g_queue_pop_head (&node->pull_queue));
    if (pod) {
        g_autofree char *took = sim_time_format_short (now - j->started);
        g_autofree char *waited = sim_time_format_short (now - j->queued);

        pod->pull = NULL;
        if (!j->sandbox)
            cluster__emit (c, "Normal", "Pulled", "Pod", pod->name,
                           "Successfully pulled image \"%s\" in %s (%s "
                           "including waiting). Image size: %" G_GINT64_FORMAT
                           " bytes.", j->img->name, took, waited,
                           j->mf->size);
        prepare_next (c, pod);
    }
    g_free (j);
}

/* FailedCreatePodSandBox with msg, retried on the pull back-off; counted
 * once a pod. */
static void
sandbox_failed (Cluster *c, Pod *pod, const char *msg)
{
    cluster__set_reason (c, pod, POD_REASON_CREATE_POD_SANDBOX_ERROR);
    pod->message = cluster_intern (c, msg);
    cluster__emit (c, "Warning", "FailedCreatePodSandBox", "Pod", pod->name,
                   "%s", msg);
    if (pod->pull_failures == 0)
        cluster__count_reason (c, "FailedCreatePodSandBox", pod->os, msg);
    set_timer (c, pod, pull_backoff (pod), TIMER_RETRY);
}

/* The registry cannot be reached. containerd reports the failed resolve
 * as any other pull error, so the kubelet shows ErrImagePull and then
 * ImagePullBackOff: its RegistryUnavailable needs an error that starts
 * with "RegistryUnavailable" (pkg/kubelet/images/image_manager.go
 * evalCRIPullErr), which containerd never sends (facts 10.2). The pause
 * image is pulled by containerd inside RunPodSandbox, so there the pull
 * error is the sandbox's. */
static void
registry_unreachable (Cluster *c, Pod *pod, const KbImageSpec *img,
                      gboolean sandbox)
{
    g_autofree char *err = image_registry_timeout_error (img->name, sandbox);

    if (sandbox) {
        sandbox_failed (c, pod, err);
        return;
    }
    cluster__emit (c, "Warning", "Failed", "Pod", pod->name,
                   "Failed to pull image \"%s\": %s", img->name, err);
    cluster__emit (c, "Warning", "Failed", "Pod", pod->name,
                   "Error: ErrImagePull");
    if (pod->reason != POD_REASON_ERR_IMAGE_PULL)
        cluster__count_reason (c, "ErrImagePull", pod->os, err);
    cluster__set_reason (c, pod, POD_REASON_ERR_IMAGE_PULL);
    pod->message = cluster_intern (c, err);
    set_timer (c, pod, SYNC_DELAY, TIMER_SHOW_BACKOFF);
}

/* A pull that fails by chance (registries.pull_failure_probability).
 * NEEDSWORK: the reference has no figure or text for transient pull
 * failures; this is containerd's form for a broken transfer. */
static void
pull_broke (Cluster *c, Pod *pod, const KbImageSpec *img)
{
    g_autofree char *err = g_strdup_printf (
        "rpc error: code = Unknown desc = failed to pull and unpack image "
        "\"%s\": failed to copy: unexpected EOF", img->name);

    cluster__emit (c, "Warning", "Failed", "Pod", pod->name,
                   "Failed to pull image \"%s\": %s", img->name, err);
    if (pod->reason != POD_REASON_ERR_IMAGE_PULL)
        cluster__count_reason (c, "ErrImagePull", pod->os, err);
    cluster__set_reason (c, pod, POD_REASON_ERR_IMAGE_PULL);
    pod->message = cluster_intern (c, err);
    set_timer (c, pod, SYNC_DELAY, TIMER_SHOW_BACKOFF);
}

static void
pull_failed (Cluster *c, PullJob *j, gboolean outage)
{
    Node *node = j->node;
    Pod *pod = j->pod;

    node->active_pulls--;
    g_hash_table_remove (c->kubelet->pulls, j);
    if (!g_queue_is_empty (&node->pull_queue))
        pull_start (c, g_queue_pop_head (&node->pull_queue));
    if (pod) {
        pod->pull = NULL;
        if (outage)
            registry_unreachable (c, pod, j->img, j->sandbox);
        else
            pull_broke (c, pod, j->img);
    }
    g_free (j);
}

void
kubelet__registry_down (Cluster *c, Registry *reg)
{
    while (reg->transfers->len > 0) {
        PullJob *j = g_ptr_array_index (reg->transfers, 0);

        transfer_end (c, j);
        sim_engine_cancel (c->engine, j->ev);
        pull_failed (c, j, TRUE);
    }
}

static void
pull_step (SimEngine *e, gpointer obj, gint64 arg)
{
    PullJob *j = obj;
    Cluster *c = j->c;

    (void) e;
    (void) arg;
    switch (j->phase) {
    case PULL_LATENCY:
        if (sim_engine_now (c->engine) < j->reg->down_until) {
            pull_failed (c, j, TRUE);
            break;
        }
        if (j->reg->spec->pull_failure_probability > 0
            && sim_rng_uniform (cluster_rng (c, "pull-failure"))
                   < j->reg->spec->pull_failure_probability) {
            pull_failed (c, j, FALSE);
            break;
        }
        j->bytes = missing_bytes (c, j->node, j->mf);
        transfer_begin (c, j);
        break;
    case PULL_TRANSFER:
        transfer_end (c, j);
        j->reg->transfers_done++;
        j->reg->bytes += j->bytes;
        j->phase = PULL_EXTRACT;
        j->ev = sim_engine_schedule_in (
            c->engine, sim_time_from_seconds ((double) j->bytes
                                              / j->node->spec->disk_bandwidth),
            &pull_kind, j, 0);
        break;
    default:
        pull_finished (c, j);
        break;
    }
}

/* ---- the pod's way to Running -------------------------------------------- */

/* Admission as the kubelet does it for pods that bypass the scheduler
 * (facts section 3). */
static gboolean
admit (Cluster *c, Pod *pod, Node *node)
{
    const char *sel = kb_labels_get (pod->tmpl->node_selector,
                                     "kubernetes.io/os");
    const char *label = kb_labels_get (node->labels, "kubernetes.io/os");

    if (sel && label && strcmp (sel, label) != 0) {
        fail_pod (c, pod, POD_REASON_OS_SELECTOR_MISMATCH,
                  "PodOSSelectorNodeLabelDoesNotMatch",
                  "Failed to admit pod as the `kubernetes.io/os` label "
                  "doesn't match node label");
        return FALSE;
    }
    if (pod->tmpl->os_name != KB_OS_UNKNOWN && pod->tmpl->os_name != node->os) {
        fail_pod (c, pod, POD_REASON_OS_NOT_SUPPORTED, "PodOSNotSupported",
                  "Failed to admit pod as the OS field doesn't match node OS");
        return FALSE;
    }
    return TRUE;
}

void
kubelet__bind (Cluster *c, Pod *pod, Node *node)
{
    cluster__bind_node (c, pod, node);
    pod->scheduled = sim_engine_now (c->engine);
    cluster__node_take (c, node, pod);
    g_ptr_array_add (node->pods, pod);
    cluster__emit (c, "Normal", "Scheduled", "Pod", pod->name,
                   "Successfully assigned %s/%s to %s",
                   pod->workload->spec->namespace, pod->name, node->name);
    /* A node that is not Ready has no running kubelet: the pod waits in
     * ContainerCreating until kubelet__restart_pods. */
    if (admit (c, pod, node) && node->state == NODE_READY)
        prepare_next (c, pod);
}

/* The node's kubelet runs again after an outage or a re-image, and its
 * pods are where they were: the sandbox of each is gone, so it is killed
 * and re-created with its containers (pkg/kubelet/kuberuntime,
 * computePodActions: SandboxChanged), in place. The images the node
 * still holds are not pulled again. A Running pod stays Running in the
 * API while its containers restart. */
void
kubelet__restart_pods (Cluster *c, Node *node)
{
    g_autoptr (GPtrArray) pods = g_ptr_array_copy (node->pods, NULL, NULL);

    for (guint i = 0; i < pods->len; i++) {
        Pod *pod = g_ptr_array_index (pods, i);

        if (!g_ptr_array_find (node->pods, pod, NULL))
            continue;           /* ended by a watcher meanwhile */
        kubelet__freeze (c, pod);
        if (pod->fail_timer.gen)
            sim_engine_cancel (c->engine, pod->fail_timer);
        pod->fail_timer = SIM_EVENT_ID_NONE;
        if (pod->phase == POD_RUNNING)
            cluster__emit (c, "Normal", "SandboxChanged", "Pod", pod->name,
                           "Pod sandbox changed, it will be killed and "
                           "re-created.");
        pod->sandbox_ready = FALSE;
        pod->container = 0;
        prepare_next (c, pod);
    }
}

/* Kubernetes supports only process isolation on Windows (facts section
 * 3): a RuntimeClass handler asking for Hyper-V isolation names a runtime
 * the node's containerd does not have, and the sandbox cannot start. */
static gboolean
handler_unsupported (Cluster *c, Pod *pod)
{
    const KbRuntimeClassSpec *rc = pod->tmpl->runtime_class
        ? scenario_find_runtime_class (c->s, pod->tmpl->runtime_class) : NULL;
    g_autofree char *msg = NULL;

    if (rc == NULL || strstr (rc->handler, "hypervisor") == NULL)
        return FALSE;
    msg = g_strdup_printf ("Failed to create pod sandbox: rpc error: code = "
                           "Unknown desc = failed to get sandbox runtime: no "
                           "runtime for \"%s\" is configured", rc->handler);
    sandbox_failed (c, pod, msg);
    return TRUE;
}

/* containerd pulls the pause image itself, inside RunPodSandbox. From an
 * index with no entry for the host the pull fails, and so it does for a
 * single manifest whose config names another OS (containerd compares the
 * config's OS and architecture); a single manifest of another Windows
 * build is pulled, and the sandbox's task then fails to start, with the
 * HCS text (facts 10.2). */
static void
sandbox_step (Cluster *c, Pod *pod)
{
    Node *node = pod->node;
    const KbImageSpec *img = cluster__image (c, node->spec->sandbox_image);
    ImageChoice ch;
    const char *iname;

    if (handler_unsupported (c, pod))
        return;
    if (img == NULL) {
        pod->sandbox_ready = TRUE;
        return;
    }
    ch = image_select (img, node->os, node->arch, &node->build, FALSE);
    if (ch.verdict == IMAGE_NO_MATCH || ch.verdict == IMAGE_WRONG_OS) {
        g_autofree char *msg = image_sandbox_pull_error (img->name);

        sandbox_failed (c, pod, msg);
        return;
    }
    iname = g_hash_table_lookup (c->strings, img->name);
    if (!(iname && cluster_node_has_image (node, iname))) {
        pull_enqueue (c, pod, node, img, ch.manifest, TRUE);
        return;
    }
    if (ch.verdict == IMAGE_OK) {
        pod->sandbox_ready = TRUE;
        return;
    }
    {
        g_autofree char *msg = image_sandbox_error (pod->name);

        sandbox_failed (c, pod, msg);
    }
}

static void
image_pull_failed (Cluster *c, Pod *pod, const KbImageSpec *img)
{
    g_autofree char *err = image_pull_error (img->name);

    cluster__emit (c, "Normal", "Pulling", "Pod", pod->name,
                   "Pulling image \"%s\"", img->name);
    cluster__emit (c, "Warning", "Failed", "Pod", pod->name,
                   "Failed to pull image \"%s\": %s", img->name, err);
    cluster__emit (c, "Warning", "Failed", "Pod", pod->name,
                   "Error: ErrImagePull");
    if (pod->reason != POD_REASON_IMAGE_PULL_BACKOFF)
        cluster__count_reason (c, "ErrImagePull", pod->os, err);
    cluster__set_reason (c, pod, POD_REASON_ERR_IMAGE_PULL);
    pod->message = cluster_intern (c, err);
    set_timer (c, pod, SYNC_DELAY, TIMER_SHOW_BACKOFF);
}

static void
create_failed (Cluster *c, Pod *pod, ImageChoice ch)
{
    g_autofree char *err = image_create_error (ch.manifest->os);

    cluster__emit (c, "Warning", "Failed", "Pod", pod->name, "Error: %s",
                   err);
    if (pod->reason != POD_REASON_CREATE_CONTAINER_ERROR)
        cluster__count_reason (c, "CreateContainerError", pod->os, err);
    cluster__set_reason (c, pod, POD_REASON_CREATE_CONTAINER_ERROR);
    pod->message = cluster_intern (c, err);
    set_timer (c, pod, pull_backoff (pod), TIMER_RETRY);
}

/* StartContainer failed: the kubelet's event is "Error: %v" with the gRPC
 * message (pkg/kubelet/kuberuntime/kuberuntime_container.go,
 * startContainer, events.FailedToStartContainer, ErrRunContainer); the
 * CRI marks the container exited with reason StartError and exit code 128
 * (containerd internal/cri/server/container_start.go, errorStartReason,
 * errorStartExitCode). The next sync finds it in back-off. Counted once a
 * pod, under RunContainerError. */
static void
start_failed (Cluster *c, Pod *pod, const KbContainerSpec *ct)
{
    g_autofree char *err = image_start_error (pod->name, ct->name);

    cluster__emit (c, "Warning", "Failed", "Pod", pod->name, "Error: %s",
                   err);
    if (pod->start_failures == 0)
        cluster__count_reason (c, "RunContainerError", pod->os, err);
    pod->start_failures++;
    cluster__set_reason (c, pod, POD_REASON_RUN_CONTAINER_ERROR);
    pod->message = cluster_intern (c, err);
    pod->start_error = pod->message;
    set_timer (c, pod, SYNC_DELAY, TIMER_SHOW_CRASH_LOOP);
}

/* The sync after a failed start: the container is in back-off
 * (kuberuntime_manager.go, doBackOff). NEEDSWORK: the kubelet retries at
 * once after the first failure and backs off from the second; here every
 * failure waits, 10 s doubling to 300 s. */
static void
show_crash_loop (Cluster *c, Pod *pod)
{
    const KbContainerSpec *ct = container_at (pod, pod->container);
    SimTime wait = crash_backoff (pod);
    g_autofree char *d = go_duration (wait);
    g_autofree char *who = format_pod (pod);
    g_autofree char *msg = NULL;

    /* kuberuntime_manager.go doBackOff: the event
     * "Back-off restarting failed container %s in pod %s" (reason
     * BackOff) and the waiting message
     * "back-off %s restarting failed container=%s pod=%s". */
    cluster__emit (c, "Warning", "BackOff", "Pod", pod->name,
                   "Back-off restarting failed container %s in pod %s",
                   ct->name, who);
    msg = g_strdup_printf ("back-off %s restarting failed container=%s "
                           "pod=%s", d, ct->name, who);
    cluster__set_reason (c, pod, POD_REASON_CRASH_LOOP_BACKOFF);
    pod->message = cluster_intern (c, msg);
    set_timer (c, pod, MAX (wait - SYNC_DELAY, 0), TIMER_RETRY);
}

/* Advances a bound pod by as many steps as can happen now. */
static void
prepare_next (Cluster *c, Pod *pod)
{
    Node *node = pod->node;

    if (!pod->sandbox_ready) {
        sandbox_step (c, pod);
        if (!pod->sandbox_ready)
            return;
    }
    for (;;) {
        const KbContainerSpec *ct = container_at (pod, pod->container);
        const KbImageSpec *img;
        const char *iname;
        ImageChoice ch;

        if (ct == NULL)
            break;
        img = cluster__image (c, ct->image);
        ch = image_select (img, node->os, node->arch, &node->build,
                           pod->tmpl->host_process);
        if (ch.verdict == IMAGE_NO_MATCH) {
            image_pull_failed (c, pod, img);
            return;
        }
        iname = g_hash_table_lookup (c->strings, img->name);
        if (!(iname && cluster_node_has_image (node, iname))) {
            pull_enqueue (c, pod, node, img, ch.manifest, FALSE);
            return;
        }
        if (ch.verdict == IMAGE_WRONG_OS) {
            create_failed (c, pod, ch);
            return;
        }
        if (ch.verdict == IMAGE_WRONG_BUILD) {
            start_failed (c, pod, ct);
            return;
        }
        pod->container++;
    }
    cluster__set_reason (c, pod, POD_REASON_CONTAINER_CREATING);
    set_timer (c, pod, node->spec->container_start, TIMER_START);
}

static void
start_running (Cluster *c, Pod *pod)
{

    for (guint i = 0; i < pod->tmpl->containers->len; i++)
        cluster__emit (c, "Normal", "Started", "Pod", pod->name,
                       "Started container %s", ((KbContainerSpec *)
                       g_ptr_array_index (pod->tmpl->containers, i))->name);
    pod->message = NULL;
    pod->workload->failed_creates = 0;
    cluster__set_phase (c, pod, POD_RUNNING, POD_REASON_NONE);
    for (guint i = 0; i < c->kubelet->hooks->len; i++) {
        const KubeletHooks *h = g_ptr_array_index (c->kubelet->hooks, i);

        if (h->pod_running)
            h->pod_running (c, pod);
    }
    /* On a node outside the skew policy, pods fail at the scenario's
     * unsupported_node.pod_failure_rate (per pod-hour; facts section 4:
     * a configurable failure, not a hard rule). */
    if (pod->node->unsupported
        && c->s->control_plane.unsupported_pod_failure_rate > 0) {
        double hours = gsl_ran_exponential (
            sim_rng_gsl (cluster_rng (c, "unsupported-pods")),
            1.0 / c->s->control_plane.unsupported_pod_failure_rate);

        pod->fail_timer = sim_engine_schedule_in (
            c->engine, sim_time_from_seconds (hours * 3600),
            &unsupported_kind, pod, 0);
    }
    if (pod->run_seconds >= 0) {
        double secs = pod->run_seconds;

        pod->timer = sim_engine_schedule_in (c->engine,
                                             sim_time_from_seconds (secs),
                                             &complete_kind, pod, 0);
    }
}

static void
pod_timer (SimEngine *e, gpointer obj, gint64 what)
{
    Pod *pod = obj;
    Cluster *c = pod->workload->cluster;

    (void) e;
    pod->timer = SIM_EVENT_ID_NONE;
    if (pod->node == NULL || pod->deleted)
        return;
    switch (what) {
    case TIMER_SHOW_BACKOFF: {
        const KbContainerSpec *ct = container_at (pod, pod->container);
        SimTime wait = pull_backoff (pod);

        cluster__emit (c, "Normal", "BackOff", "Pod", pod->name,
                       "Back-off pulling image \"%s\"", ct->image);
        cluster__set_reason (c, pod, POD_REASON_IMAGE_PULL_BACKOFF);
        set_timer (c, pod, MAX (wait - SYNC_DELAY, 0), TIMER_RETRY);
        break;
    }
    case TIMER_SHOW_CRASH_LOOP:
        show_crash_loop (c, pod);
        break;
    case TIMER_START:
        start_running (c, pod);
        break;
    default:
        prepare_next (c, pod);
        break;
    }
}

static void
pod_unsupported_failure (SimEngine *e, gpointer obj, gint64 arg)
{
    Pod *pod = obj;
    Cluster *c = pod->workload->cluster;
    g_autofree char *k = platform_kube_version_format (&pod->node->kubelet);
    g_autofree char *msg = g_strdup_printf (
        "the container failed on a node whose kubelet %s is outside the "
        "version-skew policy (control_plane.unsupported_node."
        "pod_failure_rate)", k);

    (void) e;
    (void) arg;
    pod->fail_timer = SIM_EVENT_ID_NONE;
    fail_pod (c, pod, POD_REASON_ERROR, "UnsupportedSkew", msg);
}

static void
pod_complete (SimEngine *e, gpointer obj, gint64 arg)
{
    Pod *pod = obj;
    Cluster *c = pod->workload->cluster;

    (void) e;
    (void) arg;
    pod->timer = SIM_EVENT_ID_NONE;
    cluster__emit (c, "Normal", "Completed", "Pod", pod->name,
                   "Pod completed");
    end_pod (c, pod, POD_SUCCEEDED, POD_REASON_COMPLETED);
    room_freed (c);
}

/* A node stops: its pods keep their status in the API but nothing on the
 * node progresses (timers stop, pulls are abandoned). */
void
kubelet__freeze (Cluster *c, Pod *pod)
{
    PullJob *j = pod->pull;

    if (pod->timer.gen)
        sim_engine_cancel (c->engine, pod->timer);
    pod->timer = SIM_EVENT_ID_NONE;
    if (j)
        j->pod = NULL;
    pod->pull = NULL;
}

/* ---- a pod's end ------------------------------------------------------- */

/* Frees the pod's resources on its node (the pod leaves the node) and
 * lets go of its timers and its pull. */
static void
release_pod (Cluster *c, Pod *pod)
{
    Node *node = pod->node;
    PullJob *j = pod->pull;

    if (node)
        cost__pod_released (c, pod, node);
    if (pod->timer.gen)
        sim_engine_cancel (c->engine, pod->timer);
    pod->timer = SIM_EVENT_ID_NONE;
    if (pod->fail_timer.gen)
        sim_engine_cancel (c->engine, pod->fail_timer);
    pod->fail_timer = SIM_EVENT_ID_NONE;
    if (j)
        j->pod = NULL;          /* the pull goes on; the image lands */
    pod->pull = NULL;
    if (node == NULL)
        return;
    g_ptr_array_remove (node->pods, pod);
    cluster__node_give_back (c, node, pod);
}

/* The one way a pod ends: the protocol in model-private.h, steps 1 to 3.
 * The caller fires room_freed() once it has ended its pods. */
static void
end_pod (Cluster *c, Pod *pod, PodPhase phase, PodReason reason)
{
    cluster__set_phase (c, pod, phase, reason);
    release_pod (c, pod);
    for (guint i = 0; i < c->kubelet->hooks->len; i++) {
        const KubeletHooks *h = g_ptr_array_index (c->kubelet->hooks, i);

        if (h->pod_ended)
            h->pod_ended (c, pod);
    }
    cluster__pod_done (c, pod);
}

/* Step 4 of the protocol. */
static void
room_freed (Cluster *c)
{
    for (guint i = 0; i < c->kubelet->hooks->len; i++) {
        const KubeletHooks *h = g_ptr_array_index (c->kubelet->hooks, i);

        if (h->room_freed)
            h->room_freed (c);
    }
}

/* The kubelet fails a pod (admission, a node outside the skew policy). */
static void
fail_pod (Cluster *c, Pod *pod, PodReason reason, const char *event_reason,
          const char *msg)
{
    cluster__emit (c, "Warning", event_reason, "Pod", pod->name, "%s", msg);
    cluster__count_reason (c, event_reason, pod->os, msg);
    pod->message = cluster_intern (c, msg);
    end_pod (c, pod, POD_FAILED, reason);
    room_freed (c);
}

/* Deletion through the API (the Eviction API of a drain, the taint
 * manager, a controller): the kubelet stops the containers and the pod
 * object goes away. Its record ends Failed with reason Evicted, the
 * terminal phase the kubelet gives a deleted pod's killed containers,
 * and is counted in c->deleted, so that the figures count it as deleted,
 * not among the pods that failed. FALSE for a pod that had ended
 * already. */
static gboolean
evict_pod (Cluster *c, Pod *pod, const char *message)
{
    if (pod->phase == POD_SUCCEEDED || pod->phase == POD_FAILED)
        return FALSE;
    cluster__emit (c, "Normal", "Killing", "Pod", pod->name,
                   "Stopping container (%s)", message);
    pod->message = cluster_intern (c, message);
    pod->deleted = TRUE;
    c->deleted[pod->os]++;
    end_pod (c, pod, POD_FAILED, POD_REASON_EVICTED);
    return TRUE;
}

void
kubelet__evict (Cluster *c, Pod *pod, const char *message)
{
    if (evict_pod (c, pod, message))
        room_freed (c);
}

void
kubelet__evict_node (Cluster *c, Node *node, const char *message)
{
    g_autoptr (GPtrArray) pods = g_ptr_array_copy (node->pods, NULL, NULL);

    /* A watcher may end other pods of the node meanwhile (a rollout
     * deletes its old pods): those have left node->pods, and may have
     * been freed. */
    for (guint i = 0; i < pods->len; i++)
        if (g_ptr_array_find (node->pods, pods->pdata[i], NULL))
            evict_pod (c, pods->pdata[i], message);
    room_freed (c);
}

void
kubelet__add_hooks (Kubelet *k, const KubeletHooks *hooks)
{
    g_ptr_array_add (k->hooks, (gpointer) hooks);
}

Kubelet *
kubelet__new (void)
{
    Kubelet *k = g_new0 (Kubelet, 1);

    k->pulls = g_hash_table_new (g_direct_hash, g_direct_equal);
    k->hooks = g_ptr_array_new ();
    return k;
}

void
kubelet__free (Kubelet *k)
{
    GHashTableIter it;
    gpointer j;

    if (k == NULL)
        return;
    g_hash_table_iter_init (&it, k->pulls);
    while (g_hash_table_iter_next (&it, &j, NULL))
        g_free (j);
    g_hash_table_unref (k->pulls);
    g_ptr_array_unref (k->hooks);
    g_free (k);
}
