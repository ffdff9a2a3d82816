/* cmd-get.c: `kbsim get pods|nodes|events SCENARIO [--at T] [-o wide|yaml|
 * json] [-n NS | -A] [-l SELECTOR]`.
 *
 * Runs the scenario up to --at (the end by default), recording every event
 * on the way, and prints what `kubectl get` would print at that moment:
 * the same columns, the same cell formats and the same row order, so that
 * a trainer can show a class the screens they will meet on a real
 * cluster. Everything printed is read from the cluster (models/cluster.h)
 * and the events it emitted; nothing is simulated past --at.
 *
 * The rules come from the kubectl and Kubernetes sources, cited where
 * they are applied:
 *  - columns and cells: kubernetes pkg/printers/internalversion/
 *    printers.go (printPod, printNode, printEvent);
 *  - ages: k8s.io/apimachinery pkg/util/duration/duration.go
 *    (HumanDuration);
 *  - padding: k8s.io/cli-runtime pkg/printers/tabwriter.go (minwidth 6,
 *    padding 3, spaces);
 *  - row order, "No resources found", -o json/yaml as a v1 List:
 *    k8s.io/kubectl pkg/cmd/get/get.go;
 *  - events: client-go tools/record/event.go (makeEvent's names) and
 *    events_cache.go (repeats folded into count), kube-apiserver's
 *    --event-ttl (1h);
 *  - label selectors: k8s.io/apimachinery pkg/labels/selector.go;
 *  - Windows nodeInfo: kubernetes pkg/kubelet/winstats/version.go.
 */
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "models/cluster.h"
#include "models/platform.h"
#include "models/run.h"
#include "scenarios/scenario.h"
#include "cmd/cmd.h"
#include "sim/suggest.h"
#include "sim/units.h"

/* kube-apiserver --event-ttl, "Amount of time to retain events", 1 hour
 * by default (cmd/kube-apiserver/app/options): an event not updated for
 * that long is gone from `kubectl get events`. */
#define GET_EVENT_TTL SIM_HOUR

typedef enum {
    GET_PODS,
    GET_NODES,
    GET_EVENTS
} GetKind;

typedef enum {
    GET_OUT_TABLE,
    GET_OUT_WIDE,
    GET_OUT_JSON,
    GET_OUT_YAML
} GetOutput;

/* ---- ages: apimachinery's HumanDuration ------------------------------ */

/* duration.HumanDuration: "45s" below 2 minutes, "5m30s" below 10
 * minutes, "42m" below 3 hours, "5h12m" below 8 hours, "20h" below 2
 * days, "3d4h" below 8 days, "120d" below 2 years, then "2y30d" and
 * "9y". Zero parts are left out ("5m", "3h", "4d"). (transfer full) */
static char *
get_human_duration (SimTime d)
{
    gint64 s = d / SIM_SEC, m = s / 60, h = s / 3600, days = h / 24;

    if (s < -1)
        return g_strdup ("<invalid>");
    if (s < 0)
        return g_strdup ("0s");
    if (s < 120)
        return g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
    if (m < 10)
        return s % 60 ? g_strdup_printf ("%" G_GINT64_FORMAT "m%"
                                         G_GINT64_FORMAT "s", m, s % 60)
                      : g_strdup_printf ("%" G_GINT64_FORMAT "m", m);
    if (m < 180)
        return g_strdup_printf ("%" G_GINT64_FORMAT "m", m);
    if (h < 8)
        return m % 60 ? g_strdup_printf ("%" G_GINT64_FORMAT "h%"
                                         G_GINT64_FORMAT "m", h, m % 60)
                      : g_strdup_printf ("%" G_GINT64_FORMAT "h", h);
    if (h < 48)
        return g_strdup_printf ("%" G_GINT64_FORMAT "h", h);
    if (h < 24 * 8)
        return h % 24 ? g_strdup_printf ("%" G_GINT64_FORMAT "d%"
                                         G_GINT64_FORMAT "h", days, h % 24)
                      : g_strdup_printf ("%" G_GINT64_FORMAT "d", days);
    if (h < 24 * 365 * 2)
        return g_strdup_printf ("%" G_GINT64_FORMAT "d", days);
    if (h < 24 * 365 * 8 && days % 365)
        return g_strdup_printf ("%" G_GINT64_FORMAT "y%" G_GINT64_FORMAT
                                "d", days / 365, days % 365);
    return g_strdup_printf ("%" G_GINT64_FORMAT "y", days / 365);
}

/* An instant of the run as the API writes timestamps (RFC 3339, seconds,
 * UTC): "2024-01-01T00:05:00Z". (transfer full) */
static char *
get_timestamp (const Scenario *s, SimTime t)
{
    g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (
        s->start_unix + t / SIM_SEC);

    return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* ---- label selectors ------------------------------------------------- */

typedef enum {
    SEL_EQUALS,             /* key=value, key==value */
    SEL_NOT_EQUALS,         /* key!=value: also matches without the key */
    SEL_IN,
    SEL_NOT_IN,             /* also matches without the key */
    SEL_EXISTS,             /* key */
    SEL_DOES_NOT_EXIST      /* !key */
} SelOp;

typedef struct {
    char *key;
    SelOp op;
    GPtrArray *values;      /* char * */
} SelReq;

static void
sel_req_free (gpointer p)
{
    SelReq *r = p;

    g_free (r->key);
    g_ptr_array_unref (r->values);
    g_free (r);
}

/* A label name or value character (validation.go, qualifiedNameFmt and
 * labelValueFmt): alphanumerics with '-', '_' and '.' inside; a key may
 * carry a DNS prefix and '/'. */
static gboolean
sel_char (char c, gboolean key)
{
    return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '.'
           || (key && c == '/');
}

static void
sel_skip_space (const char **p)
{
    while (**p == ' ')
        (*p)++;
}

/* The next key or value at *p (possibly empty), advancing *p. */
static char *
sel_word (const char **p, gboolean key)
{
    const char *start;

    sel_skip_space (p);
    start = *p;
    while (**p && sel_char (**p, key))
        (*p)++;
    return g_strndup (start, *p - start);
}

static gboolean
sel_bad (GError **error, const char *what, const char *at)
{
    g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                 "%s at '%s'", what, *at ? at : "(end)");
    return FALSE;
}

/* "(a,b,c)" after in/notin. */
static gboolean
sel_parse_set (const char **p, SelReq *r, GError **error)
{
    sel_skip_space (p);
    if (**p != '(')
        return sel_bad (error, "expected '(' after in/notin", *p);
    (*p)++;
    for (;;) {
        g_ptr_array_add (r->values, sel_word (p, FALSE));
        sel_skip_space (p);
        if (**p == ')')
            break;
        if (**p != ',')
            return sel_bad (error, "expected ',' or ')' in a set", *p);
        (*p)++;
    }
    (*p)++;
    return TRUE;
}

/* The operator and value(s) after a key. */
static gboolean
sel_parse_op (const char **p, SelReq *r, GError **error)
{
    sel_skip_space (p);
    if (**p == '\0' || **p == ',') {
        r->op = SEL_EXISTS;
        return TRUE;
    }
    if (g_str_has_prefix (*p, "!=") || g_str_has_prefix (*p, "==")
        || **p == '=') {
        r->op = **p == '!' ? SEL_NOT_EQUALS : SEL_EQUALS;
        *p += (**p == '!' || (*p)[1] == '=') ? 2 : 1;
        g_ptr_array_add (r->values, sel_word (p, FALSE));
        return TRUE;
    }
    if (g_str_has_prefix (*p, "notin") || g_str_has_prefix (*p, "in")) {
        r->op = **p == 'n' ? SEL_NOT_IN : SEL_IN;
        *p += r->op == SEL_NOT_IN ? 5 : 2;
        return sel_parse_set (p, r, error);
    }
    return sel_bad (error, "expected one of =, ==, !=, in, notin, or ','",
                    *p);
}

/* Parses a label selector as labels.Parse does: requirements separated
 * by ',', each "key", "!key", "key=v", "key==v", "key!=v",
 * "key in (v1,v2)" or "key notin (v1,v2)"; all must hold. The message
 * names the spot: "expected ... at '...'". (transfer full) */
static GPtrArray *
sel_parse (const char *text, GError **error)
{
    g_autoptr (GPtrArray) reqs = g_ptr_array_new_with_free_func (
        sel_req_free);
    const char *p = text;

    sel_skip_space (&p);
    while (*p) {
        SelReq *r = g_new0 (SelReq, 1);
        gboolean negated = FALSE;

        r->values = g_ptr_array_new_with_free_func (g_free);
        g_ptr_array_add (reqs, r);
        sel_skip_space (&p);
        if (*p == '!') {
            negated = TRUE;
            p++;
        }
        r->key = sel_word (&p, TRUE);
        if (r->key[0] == '\0')
            return sel_bad (error, "expected a label key", p), NULL;
        if (negated)
            r->op = SEL_DOES_NOT_EXIST;
        else if (!sel_parse_op (&p, r, error))
            return NULL;
        sel_skip_space (&p);
        if (*p == ',')
            p++;
        else if (*p)
            return sel_bad (error, "expected ','", p), NULL;
    }
    return g_steal_pointer (&reqs);
}

static gboolean
sel_has_value (const SelReq *r, const char *v)
{
    for (guint i = 0; i < r->values->len; i++)
        if (strcmp (g_ptr_array_index (r->values, i), v) == 0)
            return TRUE;
    return FALSE;
}

/* Whether labels (KbLabel) satisfy every requirement (selector.go,
 * Requirement.Matches). */
static gboolean
sel_matches (const GPtrArray *reqs, const GPtrArray *labels)
{
    for (guint i = 0; reqs && i < reqs->len; i++) {
        const SelReq *r = g_ptr_array_index (reqs, i);
        const char *v = kb_labels_get (labels, r->key);
        gboolean ok;

        switch (r->op) {
        case SEL_EQUALS:
        case SEL_IN:
            ok = v && sel_has_value (r, v);
            break;
        case SEL_NOT_EQUALS:
        case SEL_NOT_IN:
            ok = !v || !sel_has_value (r, v);
            break;
        case SEL_EXISTS:
            ok = v != NULL;
            break;
        default:
            ok = v == NULL;
            break;
        }
        if (!ok)
            return FALSE;
    }
    return TRUE;
}

/* ---- recording the run: events and restarts -------------------------- */

/* One Event object: repeats of the same object, type, reason and message
 * are folded into it, as client-go's EventCorrelator does
 * (events_cache.go, eventLogger: count and lastTimestamp updated, name
 * and firstTimestamp kept). */
typedef struct {
    char *name;             /* "<object>.<hex UnixNano>" (makeEvent) */
    char *namespace;
    char *kind;
    char *object;
    char *type;
    char *reason;
    char *message;
    SimTime first, last;
    gint64 count;
} GetEvent;

static void
get_event_free (gpointer p)
{
    GetEvent *e = p;

    g_free (e->name);
    g_free (e->namespace);
    g_free (e->kind);
    g_free (e->object);
    g_free (e->type);
    g_free (e->reason);
    g_free (e->message);
    g_free (e);
}

/* Per pod: when its last container start failed, for RESTARTS's
 * "(2m ago)". */
typedef struct {
    guint seen_failures;    /* pod->start_failures when last looked at */
    SimTime last_failed;    /* time of its latest Warning Failed event */
    SimTime restarted;      /* its latest start failure; -1 */
} PodTrack;

typedef struct {
    const Scenario *s;
    Cluster *cluster;
    GHashTable *by_key;     /* fold key -> GetEvent (borrowed) */
    GPtrArray *events;      /* GetEvent, owned */
    GHashTable *pods;       /* pod name -> Pod * (borrowed) */
    guint pods_indexed;     /* cluster_pods() entries already in pods */
    GHashTable *tracks;     /* pod name -> PodTrack (owned) */
    SimTime name_time;      /* the instant of the last new event */
    guint name_seq;         /* new events at that instant so far */
} Recorder;

static const Pod *
recorder_pod (Recorder *r, const char *name)
{
    GPtrArray *all = cluster_pods (r->cluster);

    /* Pods are only ever appended: index the new ones. */
    for (; r->pods_indexed < all->len; r->pods_indexed++) {
        Pod *p = g_ptr_array_index (all, r->pods_indexed);

        if (p)
            g_hash_table_insert (r->pods, p->name, p);
    }
    return g_hash_table_lookup (r->pods, name);
}

/* A start failure shows as start_failures growing; the kubelet's Warning
 * Failed event ("Error: failed to create containerd task: ...") is
 * emitted at that same instant, just before the count changes. */
static void
track_pod (Recorder *r, const ClusterEvent *ev)
{
    const Pod *pod = recorder_pod (r, ev->object);
    PodTrack *t;

    if (pod == NULL)
        return;
    t = g_hash_table_lookup (r->tracks, pod->name);
    if (t == NULL) {
        t = g_new0 (PodTrack, 1);
        t->restarted = -1;
        g_hash_table_insert (r->tracks, g_strdup (pod->name), t);
    }
    if (pod->start_failures != t->seen_failures) {
        t->seen_failures = pod->start_failures;
        t->restarted = t->last_failed;
    }
    if (strcmp (ev->reason, "Failed") == 0)
        t->last_failed = ev->time;
}

static void
record (const ClusterEvent *ev, gpointer data)
{
    Recorder *r = data;
    g_autofree char *key = g_strjoin ("\x1f", ev->namespace, ev->kind,
                                      ev->object, ev->type, ev->reason,
                                      ev->message, NULL);
    GetEvent *e = g_hash_table_lookup (r->by_key, key);

    if (strcmp (ev->kind, "Pod") == 0)
        track_pod (r, ev);
    if (e) {
        e->count++;
        e->last = ev->time;
        return;
    }
    e = g_new0 (GetEvent, 1);
    /* UnixNano of the first occurrence, in hex, after the object's name
     * (tools/record/event.go, makeEvent). */
    if (ev->time != r->name_time) {
        r->name_time = ev->time;
        r->name_seq = 0;
    }
    /* Events of one microsecond get successive nanoseconds, in emission
     * order, so that names stay unique as time.Now() makes them. */
    e->name = g_strdup_printf ("%s.%" G_GINT64_MODIFIER "x", ev->object,
                               (r->s->start_unix * SIM_SEC + ev->time)
                               * 1000 + MIN (r->name_seq++, 999));
    e->namespace = g_strdup (ev->namespace);
    e->kind = g_strdup (ev->kind);
    e->object = g_strdup (ev->object);
    e->type = g_strdup (ev->type);
    e->reason = g_strdup (ev->reason);
    e->message = g_strdup (ev->message);
    e->first = e->last = ev->time;
    e->count = 1;
    g_ptr_array_add (r->events, e);
    g_hash_table_insert (r->by_key, g_steal_pointer (&key), e);
}

/* The time of the pod's latest failed start, or -1. */
static SimTime
recorder_restarted (Recorder *r, const Pod *pod)
{
    PodTrack *t = g_hash_table_lookup (r->tracks, pod->name);

    if (t == NULL)
        return -1;
    if (pod->start_failures != t->seen_failures)
        return t->last_failed;
    return t->restarted;
}

/* ---- the table printer ------------------------------------------------ */

/* Rows of cells, printed as kubectl's tabwriter does (cli-runtime
 * printers/tabwriter.go: minwidth 6, padding 3, pad with spaces): every
 * column but the last is as wide as its widest cell plus 3, at least 6;
 * the last is not padded. Widths count characters, not bytes. */
static void
table_print (GString *out, const GPtrArray *rows)
{
    const GStrv head = g_ptr_array_index (rows, 0);
    guint ncol = g_strv_length (head);
    g_autofree glong *width = g_new0 (glong, ncol);

    for (guint r = 0; r < rows->len; r++) {
        const GStrv row = g_ptr_array_index (rows, r);

        for (guint c = 0; c < ncol; c++)
            width[c] = MAX (width[c], g_utf8_strlen (row[c], -1) + 3);
    }
    for (guint r = 0; r < rows->len; r++) {
        const GStrv row = g_ptr_array_index (rows, r);

        for (guint c = 0; c + 1 < ncol; c++) {
            g_string_append (out, row[c]);
            for (glong k = g_utf8_strlen (row[c], -1); k < MAX (width[c], 6);
                 k++)
                g_string_append_c (out, ' ');
        }
        g_string_append (out, row[ncol - 1]);
        g_string_append_c (out, '\n');
    }
}

static GPtrArray *
table_new (const char *const *head)
{
    GPtrArray *rows = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_strfreev);

    g_ptr_array_add (rows, g_strdupv ((GStrv) head));
    return rows;
}

/* ---- what the objects look like --------------------------------------- */

typedef struct {
    const Scenario *s;
    Cluster *cluster;
    Recorder *rec;
    SimTime now;
    GetOutput output;
    const char *namespace;  /* NULL: all (-A) */
    const GPtrArray *selector;  /* SelReq, or NULL */
} GetCtx;

/* A pod's labels: its template's metadata.labels, or app=<workload> when
 * the scenario wrote a bare PodSpec (kbsim's default). (transfer
 * container: elements borrowed from the scenario or from `own`) */
static const GPtrArray *
pod_labels (const Pod *pod, GPtrArray *own)
{
    const GPtrArray *l = pod->workload->spec->template->labels;

    if (l->len > 0)
        return l;
    kb_labels_set (own, "app", pod->workload->spec->name);
    return own;
}

/* kbsim's addresses: node n has InternalIP 10.0.<n/200>.<n%200+10> and
 * pod CIDR 10.244.<n>.0/24 (the usual kubeadm --pod-network-cidr); a pod
 * takes .<2 + id%253> in it. No CNI allocates them. (transfer full) */
static char *
node_ip (const Node *n)
{
    return g_strdup_printf ("10.0.%u.%u", n->id / 200 % 256,
                            n->id % 200 + 10);
}

static char *
pod_ip (const Pod *pod)
{
    const Node *n = pod->node;

    if (n == NULL || (!pod->sandbox_ready && pod->phase == POD_PENDING))
        return NULL;
    if (pod->tmpl->host_network)
        return node_ip (n);
    return g_strdup_printf ("10.%u.%u.%u", (244 + n->id / 256) % 256,
                            n->id % 256, 2 + pod->id % 253);
}

static gboolean
pod_visible (const GetCtx *g, const Pod *pod)
{
    g_autoptr (GPtrArray) own = kb_labels_new ();

    if (pod == NULL || pod->deleted || pod->created > g->now)
        return FALSE;
    if (g->namespace
        && strcmp (pod->workload->spec->namespace, g->namespace) != 0)
        return FALSE;
    return sel_matches (g->selector, pod_labels (pod, own));
}

static gint
pod_cmp (gconstpointer a, gconstpointer b)
{
    const Pod *x = *(const Pod *const *) a, *y = *(const Pod *const *) b;
    int c = strcmp (x->workload->spec->namespace,
                    y->workload->spec->namespace);

    return c ? c : strcmp (x->name, y->name);
}

/* The pods `kubectl get pods` lists: in the API server's order, which is
 * etcd's key order, namespace then name byte by byte ("web-10" before
 * "web-2"); get.go sorts only with --sort-by. (transfer container) */
static GPtrArray *
visible_pods (const GetCtx *g)
{
    GPtrArray *all = cluster_pods (g->cluster), *out = g_ptr_array_new ();

    for (guint i = 0; i < all->len; i++)
        if (pod_visible (g, g_ptr_array_index (all, i)))
            g_ptr_array_add (out, g_ptr_array_index (all, i));
    g_ptr_array_sort (out, pod_cmp);
    return out;
}

static guint
pod_restarts (const Pod *pod)
{
    /* The first failed start is container 0's StartError; each later one
     * is a restart (explain.c's Restart Count). */
    return pod->start_failures > 0 ? pod->start_failures - 1 : 0;
}

/* RESTARTS: the sum of restartCount, with "(AGE ago)" of the last
 * termination when there is one (printPod: "%d (%s ago)"). */
static char *
pod_restarts_cell (const GetCtx *g, const Pod *pod)
{
    guint n = pod_restarts (pod);
    SimTime at = recorder_restarted (g->rec, pod);
    g_autofree char *ago = NULL;

    if (n == 0 || at < 0)
        return g_strdup_printf ("%u", n);
    ago = get_human_duration (g->now - at);
    return g_strdup_printf ("%u (%s ago)", n, ago);
}

static GStrv
pod_row (const GetCtx *g, const Pod *pod)
{
    GStrvBuilder *b = g_strv_builder_new ();
    guint total = pod->tmpl->containers->len;
    g_autofree char *ready = g_strdup_printf (
        "%u/%u", pod->phase == POD_RUNNING ? total : 0, total);
    g_autofree char *restarts = pod_restarts_cell (g, pod);
    g_autofree char *age = get_human_duration (g->now - pod->created);
    GStrv row;

    if (g->namespace == NULL)
        g_strv_builder_add (b, pod->workload->spec->namespace);
    g_strv_builder_add_many (b, pod->name, ready, cluster_pod_status (pod),
                             restarts, age, NULL);
    if (g->output == GET_OUT_WIDE) {
        g_autofree char *ip = pod_ip (pod);

        g_strv_builder_add_many (b, ip ? ip : "<none>",
                                 pod->node ? pod->node->name : "<none>",
                                 "<none>", "<none>", NULL);
    }
    row = g_strv_builder_end (b);
    g_strv_builder_unref (b);
    return row;
}

static void
print_pods (GString *out, const GetCtx *g, const GPtrArray *pods)
{
    static const char *const head[] = { "NAME", "READY", "STATUS",
                                        "RESTARTS", "AGE", NULL };
    static const char *const wide[] = { "IP", "NODE", "NOMINATED NODE",
                                        "READINESS GATES", NULL };
    g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_strfreev);
    GStrvBuilder *b = g_strv_builder_new ();

    if (g->namespace == NULL)
        g_strv_builder_add (b, "NAMESPACE");
    g_strv_builder_addv (b, (const char **) head);
    if (g->output == GET_OUT_WIDE)
        g_strv_builder_addv (b, (const char **) wide);
    g_ptr_array_add (rows, g_strv_builder_end (b));
    g_strv_builder_unref (b);
    for (guint i = 0; i < pods->len; i++)
        g_ptr_array_add (rows, pod_row (g, g_ptr_array_index (pods, i)));
    table_print (out, rows);
}

/* ---- nodes ------------------------------------------------------------- */

static gboolean
node_visible (const GetCtx *g, const Node *n)
{
    return n->state != NODE_GONE && n->added <= g->now
           && sel_matches (g->selector, n->labels);
}

static gint
node_cmp (gconstpointer a, gconstpointer b)
{
    return strcmp ((*(const Node *const *) a)->name,
                   (*(const Node *const *) b)->name);
}

static GPtrArray *
visible_nodes (const GetCtx *g)
{
    GPtrArray *all = cluster_nodes (g->cluster), *out = g_ptr_array_new ();

    for (guint i = 0; i < all->len; i++)
        if (node_visible (g, g_ptr_array_index (all, i)))
            g_ptr_array_add (out, g_ptr_array_index (all, i));
    g_ptr_array_sort (out, node_cmp);
    return out;
}

/* STATUS: the Ready condition, "Ready" or "NotReady" (a kubelet that
 * stopped posting leaves it Unknown, which prints as NotReady too), then
 * ",SchedulingDisabled" when cordoned (printNode). */
static const char *
node_status (const Node *n)
{
    if (n->state == NODE_READY)
        return n->unschedulable ? "Ready,SchedulingDisabled" : "Ready";
    return n->unschedulable ? "NotReady,SchedulingDisabled" : "NotReady";
}

static gint
str_ptr_cmp (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* ROLES: node-role.kubernetes.io/<role> labels and kubernetes.io/role,
 * sorted and joined by ','; "<none>" without (findNodeRoles). kbsim's
 * control plane has no Node objects, so workers show <none>.
 * (transfer full) */
static char *
node_roles (const Node *n)
{
    g_autoptr (GPtrArray) roles = g_ptr_array_new ();
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < n->labels->len; i++) {
        const KbLabel *l = g_ptr_array_index (n->labels, i);

        if (g_str_has_prefix (l->key, "node-role.kubernetes.io/")
            && l->key[strlen ("node-role.kubernetes.io/")])
            g_ptr_array_add (roles, l->key + strlen ("node-role.kubernetes."
                                                     "io/"));
        else if (strcmp (l->key, "kubernetes.io/role") == 0 && *l->value)
            g_ptr_array_add (roles, l->value);
    }
    g_ptr_array_sort (roles, str_ptr_cmp);
    for (guint i = 0; i < roles->len; i++)
        g_string_append_printf (s, "%s%s", i ? "," : "",
                                (char *) g_ptr_array_index (roles, i));
    return s->len ? g_string_free (s, FALSE)
                  : (g_string_free (s, TRUE), g_strdup ("<none>"));
}

/* nodeInfo.kubeletVersion: "v1.31.2"; a scenario that gives no patch
 * level gets .0. (transfer full) */
static char *
node_version (const Node *n)
{
    return g_strdup_printf ("v%u.%u.%d", n->kubelet.major, n->kubelet.minor,
                            MAX (n->kubelet.patch, 0));
}

/* nodeInfo.osImage on Windows is the registry's ProductName
 * (winstats/version.go, GetOSInfo); cloud images are Datacenter. On
 * Linux it is /etc/os-release's PRETTY_NAME, which kbsim does not model:
 * it says Ubuntu 22.04, as many managed node images are. */
static const char *
node_os_image (const Node *n)
{
    if (n->os != KB_OS_WINDOWS)
        return "Ubuntu 22.04.5 LTS";
    switch (n->build.build) {
    case 14393:
        return "Windows Server 2016 Datacenter";
    case 17763:
        return "Windows Server 2019 Datacenter";
    case 20348:
        return "Windows Server 2022 Datacenter";
    case 26100:
        return "Windows Server 2025 Datacenter";
    default:
        return "Windows Server Datacenter";
    }
}

/* nodeInfo.kernelVersion: on Windows GetPatchVersion's
 * "%d.%d.%s.%d" (major.minor.build.UBR), the build without UBR when the
 * scenario gives none; on Linux `uname -r`, kbsim's pick to match the OS
 * image. (transfer full) */
static char *
node_kernel (const Node *n)
{
    if (n->os != KB_OS_WINDOWS)
        return g_strdup ("5.15.0-1075-aws");
    return platform_win_version_format (&n->build);
}

/* nodeInfo.containerRuntimeVersion, "<runtime>://<version>"; kbsim
 * models containerd 1.7-era behaviour on both OSes. */
#define GET_RUNTIME_VERSION "containerd://1.7.22"

static GStrv
node_row (const GetCtx *g, const Node *n)
{
    GStrvBuilder *b = g_strv_builder_new ();
    g_autofree char *roles = node_roles (n);
    g_autofree char *age = get_human_duration (g->now - n->added);
    g_autofree char *version = node_version (n);
    GStrv row;

    g_strv_builder_add_many (b, n->name, node_status (n), roles, age,
                             version, NULL);
    if (g->output == GET_OUT_WIDE) {
        g_autofree char *ip = node_ip (n);
        g_autofree char *kernel = node_kernel (n);

        g_strv_builder_add_many (b, ip, "<none>", node_os_image (n), kernel,
                                 GET_RUNTIME_VERSION, NULL);
    }
    row = g_strv_builder_end (b);
    g_strv_builder_unref (b);
    return row;
}

static void
print_nodes (GString *out, const GetCtx *g, const GPtrArray *nodes)
{
    static const char *const head[] = { "NAME", "STATUS", "ROLES", "AGE",
                                        "VERSION", NULL };
    static const char *const wide[] = { "NAME", "STATUS", "ROLES", "AGE",
                                        "VERSION", "INTERNAL-IP",
                                        "EXTERNAL-IP", "OS-IMAGE",
                                        "KERNEL-VERSION",
                                        "CONTAINER-RUNTIME", NULL };
    g_autoptr (GPtrArray) rows = table_new (g->output == GET_OUT_WIDE ? wide
                                                                      : head);

    for (guint i = 0; i < nodes->len; i++)
        g_ptr_array_add (rows, node_row (g, g_ptr_array_index (nodes, i)));
    table_print (out, rows);
}

/* ---- events ------------------------------------------------------------ */

static gint
event_cmp (gconstpointer a, gconstpointer b)
{
    const GetEvent *x = *(const GetEvent *const *) a;
    const GetEvent *y = *(const GetEvent *const *) b;
    int c = strcmp (x->namespace, y->namespace);

    return c ? c : strcmp (x->name, y->name);
}

/* The events still stored at `now`: updated within --event-ttl, in the
 * namespace asked for. Events carry no labels, so any -l selects none,
 * as on a real cluster. Sorted by namespace and name like every list
 * (the names start with the object's, so an object's events stay
 * together, oldest first); `kubectl get events` does not sort by time
 * unless told to (--sort-by=.lastTimestamp). (transfer container) */
static GPtrArray *
visible_events (const GetCtx *g)
{
    GPtrArray *out = g_ptr_array_new ();

    for (guint i = 0; i < g->rec->events->len; i++) {
        GetEvent *e = g_ptr_array_index (g->rec->events, i);

        if (g->now - e->last >= GET_EVENT_TTL)
            continue;
        if (g->namespace && strcmp (e->namespace, g->namespace) != 0)
            continue;
        if (g->selector && g->selector->len > 0)
            continue;
        g_ptr_array_add (out, e);
    }
    g_ptr_array_sort (out, event_cmp);
    return out;
}

/* printEvent: LAST SEEN (lastTimestamp's age), TYPE, REASON, OBJECT
 * ("kind/name", kind lowercased), MESSAGE (trimmed). Wide adds
 * SUBOBJECT, SOURCE, FIRST SEEN, COUNT and NAME; kbsim keeps no field
 * path and no source component, so those two are empty. */
static GStrv
event_row (const GetCtx *g, const GetEvent *e)
{
    GStrvBuilder *b = g_strv_builder_new ();
    g_autofree char *last = get_human_duration (g->now - e->last);
    g_autofree char *kind = g_ascii_strdown (e->kind, -1);
    g_autofree char *target = g_strdup_printf ("%s/%s", kind, e->object);
    g_autofree char *msg = g_strstrip (g_strdup (e->message));
    GStrv row;

    if (g->namespace == NULL)
        g_strv_builder_add (b, e->namespace);
    g_strv_builder_add_many (b, last, e->type, e->reason, target, NULL);
    if (g->output == GET_OUT_WIDE) {
        g_autofree char *first = get_human_duration (g->now - e->first);
        g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  e->count);

        g_strv_builder_add_many (b, "", "", msg, first, count, e->name,
                                 NULL);
    } else {
        g_strv_builder_add (b, msg);
    }
    row = g_strv_builder_end (b);
    g_strv_builder_unref (b);
    return row;
}

static void
print_events (GString *out, const GetCtx *g, const GPtrArray *events)
{
    static const char *const head[] = { "LAST SEEN", "TYPE", "REASON",
                                        "OBJECT", "MESSAGE", NULL };
    static const char *const wide[] = { "LAST SEEN", "TYPE", "REASON",
                                        "OBJECT", "SUBOBJECT", "SOURCE",
                                        "MESSAGE", "FIRST SEEN", "COUNT",
                                        "NAME", NULL };
    g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (
        (GDestroyNotify) g_strfreev);
    GStrvBuilder *b = g_strv_builder_new ();

    if (g->namespace == NULL)
        g_strv_builder_add (b, "NAMESPACE");
    g_strv_builder_addv (b, (const char **) (g->output == GET_OUT_WIDE
                                             ? wide : head));
    g_ptr_array_add (rows, g_strv_builder_end (b));
    g_strv_builder_unref (b);
    for (guint i = 0; i < events->len; i++)
        g_ptr_array_add (rows, event_row (g, g_ptr_array_index (events, i)));
    table_print (out, rows);
}

/* ---- -o json and -o yaml ----------------------------------------------- */

/* kubectl prints unstructured objects: Go's encoding/json sorts map keys,
 * and sigs.k8s.io/yaml goes through JSON, so both outputs list keys in
 * byte order whatever order they were set in. */
static GList *
sorted_members (JsonObject *o)
{
    return g_list_sort (json_object_get_members (o), (GCompareFunc) strcmp);
}

static void
json_string (GString *out, const char *s)
{
    g_string_append_c (out, '"');
    for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
        if (*p == '"' || *p == '\\')
            g_string_append_printf (out, "\\%c", *p);
        else if (*p == '\n')
            g_string_append (out, "\\n");
        else if (*p == '\t')
            g_string_append (out, "\\t");
        else if (*p == '\r')
            g_string_append (out, "\\r");
        /* encoding/json escapes <, > and & for HTML safety */
        else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
            g_string_append_printf (out, "\\u%04x", *p);
        else
            g_string_append_c (out, (char) *p);
    }
    g_string_append_c (out, '"');
}

static void json_node_emit (GString *out, JsonNode *n, int indent);

static void
json_pad (GString *out, int indent)
{
    g_string_append_c (out, '\n');
    for (int i = 0; i < indent; i++)
        g_string_append (out, "    ");
}

static void
json_object_emit (GString *out, JsonObject *o, int indent)
{
    g_autoptr (GList) keys = sorted_members (o);

    if (keys == NULL) {
        g_string_append (out, "{}");
        return;
    }
    g_string_append_c (out, '{');
    for (GList *k = keys; k; k = k->next) {
        json_pad (out, indent + 1);
        json_string (out, k->data);
        g_string_append (out, ": ");
        json_node_emit (out, json_object_get_member (o, k->data),
                        indent + 1);
        if (k->next)
            g_string_append_c (out, ',');
    }
    json_pad (out, indent);
    g_string_append_c (out, '}');
}

/* json.MarshalIndent(obj, "", "    "), as kubectl's JSON printer calls
 * it (cli-runtime printers/json.go). */
static void
json_node_emit (GString *out, JsonNode *n, int indent)
{
    if (JSON_NODE_HOLDS_OBJECT (n)) {
        json_object_emit (out, json_node_get_object (n), indent);
    } else if (JSON_NODE_HOLDS_ARRAY (n)) {
        JsonArray *a = json_node_get_array (n);
        guint len = json_array_get_length (a);

        if (len == 0) {
            g_string_append (out, "[]");
            return;
        }
        g_string_append_c (out, '[');
        for (guint i = 0; i < len; i++) {
            json_pad (out, indent + 1);
            json_node_emit (out, json_array_get_element (a, i), indent + 1);
            if (i + 1 < len)
                g_string_append_c (out, ',');
        }
        json_pad (out, indent);
        g_string_append_c (out, ']');
    } else if (json_node_get_value_type (n) == G_TYPE_BOOLEAN) {
        g_string_append (out, json_node_get_boolean (n) ? "true" : "false");
    } else if (json_node_get_value_type (n) == G_TYPE_INT64) {
        g_string_append_printf (out, "%" G_GINT64_FORMAT,
                                json_node_get_int (n));
    } else {
        json_string (out, json_node_get_string (n));
    }
}

/* Whether YAML would read the plain scalar s as something other than a
 * string (YAML 1.1 as go-yaml resolves it: booleans, null, numbers,
 * timestamps); go-yaml then double-quotes it. */
static gboolean
yaml_ambiguous (const char *s)
{
    static const char *const words[] = {
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true",
        "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off",
        "Off", "OFF", "null", "Null", "NULL", "~", NULL
    };
    char *end;

    if (*s == '\0' || g_strv_contains (words, s))
        return TRUE;
    g_ascii_strtod (s, &end);
    if (*end == '\0')
        return TRUE;
    /* a date or timestamp: 2024-01-01... */
    return strlen (s) >= 10 && g_ascii_isdigit (s[0]) && s[4] == '-'
           && s[7] == '-';
}

/* Whether the emitter may write s plain: no leading indicator, no ": "
 * or " #", no edge spaces (libyaml's analysis, which go-yaml shares);
 * otherwise single quotes. */
static gboolean
yaml_plain_ok (const char *s)
{
    size_t n = strlen (s);

    if (strchr ("-?:,[]{}#&*!|>'\"%@`", s[0]) || s[0] == ' '
        || s[n - 1] == ' ' || s[n - 1] == ':')
        return s[0] == '-' && s[1] != ' ' && s[1] != '\0'
               && !strstr (s, ": ") && !strstr (s, " #")
               && s[n - 1] != ' ' && s[n - 1] != ':';
    return !strstr (s, ": ") && !strstr (s, " #") && !strchr (s, '\n');
}

static void
yaml_scalar (GString *out, JsonNode *n)
{
    const char *s;

    if (json_node_get_value_type (n) == G_TYPE_BOOLEAN) {
        g_string_append (out, json_node_get_boolean (n) ? "true" : "false");
        return;
    }
    if (json_node_get_value_type (n) == G_TYPE_INT64) {
        g_string_append_printf (out, "%" G_GINT64_FORMAT,
                                json_node_get_int (n));
        return;
    }
    s = json_node_get_string (n);
    if (yaml_ambiguous (s)) {
        json_string (out, s);
    } else if (yaml_plain_ok (s)) {
        g_string_append (out, s);
    } else {
        g_auto (GStrv) parts = g_strsplit (s, "'", -1);
        g_autofree char *q = g_strjoinv ("''", parts);

        g_string_append_printf (out, "'%s'", q);
    }
}

static void yaml_object (GString *out, JsonObject *o, int indent,
                         gboolean first_inline);

static void
yaml_spaces (GString *out, int n)
{
    for (int i = 0; i < n; i++)
        g_string_append_c (out, ' ');
}

/* A value after "key:" (or "- "): a scalar on the line, an empty
 * collection as {} or [], else on the following lines; go-yaml does not
 * indent a sequence under its key. */
static void
yaml_value (GString *out, JsonNode *n, int indent, gboolean in_seq)
{
    if (JSON_NODE_HOLDS_OBJECT (n)) {
        JsonObject *o = json_node_get_object (n);

        if (json_object_get_size (o) == 0) {
            g_string_append (out, " {}\n");
        } else if (in_seq) {
            g_string_append_c (out, ' ');
            yaml_object (out, o, indent, TRUE);
        } else {
            g_string_append_c (out, '\n');
            yaml_object (out, o, indent + 2, FALSE);
        }
    } else if (JSON_NODE_HOLDS_ARRAY (n)) {
        JsonArray *a = json_node_get_array (n);

        if (json_array_get_length (a) == 0) {
            g_string_append (out, " []\n");
            return;
        }
        g_string_append_c (out, '\n');
        for (guint i = 0; i < json_array_get_length (a); i++) {
            yaml_spaces (out, indent);
            g_string_append_c (out, '-');
            yaml_value (out, json_array_get_element (a, i), indent + 2,
                        TRUE);
        }
    } else {
        g_string_append_c (out, ' ');
        yaml_scalar (out, n);
        g_string_append_c (out, '\n');
    }
}

static void
yaml_object (GString *out, JsonObject *o, int indent, gboolean first_inline)
{
    g_autoptr (GList) keys = sorted_members (o);

    for (GList *k = keys; k; k = k->next) {
        JsonNode *v = json_object_get_member (o, k->data);

        if (!(first_inline && k == keys))
            yaml_spaces (out, indent);
        g_string_append_printf (out, "%s:", (char *) k->data);
        yaml_value (out, v, indent, FALSE);
    }
}

static JsonObject *
obj_child (JsonObject *parent, const char *key)
{
    JsonObject *o = json_object_new ();

    json_object_set_object_member (parent, key, o);
    return o;
}

/* o.key = the KbLabel list as a map, unless it is empty. */
static void
set_labels (JsonObject *o, const char *key, const GPtrArray *labels)
{
    JsonObject *l;

    if (labels->len == 0)
        return;
    l = obj_child (o, key);
    for (guint i = 0; i < labels->len; i++) {
        const KbLabel *kl = g_ptr_array_index (labels, i);

        json_object_set_string_member (l, kl->key, kl->value);
    }
}

static void
set_time (JsonObject *o, const char *key, const GetCtx *g, SimTime t)
{
    g_autofree char *ts = get_timestamp (g->s, t);

    json_object_set_string_member (o, key, ts);
}

/* ---- the objects as the API would return them ------------------------- */

/* Quantities in their canonical form (apimachinery resource.Quantity):
 * "500m", "2" for cpu; the largest exact binary suffix for bytes,
 * "256Mi", "16Gi". (transfer full) */
static char *
quantity_cpu (gint64 millicores)
{
    if (millicores % 1000 == 0)
        return g_strdup_printf ("%" G_GINT64_FORMAT, millicores / 1000);
    return g_strdup_printf ("%" G_GINT64_FORMAT "m", millicores);
}

static char *
quantity_bytes (gint64 bytes)
{
    static const char *const suffix[] = { "", "Ki", "Mi", "Gi", "Ti", "Pi" };
    guint i = 0;

    while (bytes != 0 && bytes % 1024 == 0 && i + 1 < G_N_ELEMENTS (suffix)) {
        bytes /= 1024;
        i++;
    }
    return g_strdup_printf ("%" G_GINT64_FORMAT "%s", bytes, suffix[i]);
}

static JsonObject *
pod_container_state (const GetCtx *g, const Pod *pod)
{
    JsonObject *state = json_object_new (), *st;

    if (pod->phase == POD_RUNNING) {
        set_time (obj_child (state, "running"), "startedAt", g,
                  pod->running);
    } else if (pod->phase == POD_PENDING) {
        st = obj_child (state, "waiting");
        json_object_set_string_member (
            st, "reason", pod->reason == POD_REASON_UNSCHEDULABLE
                          || pod->reason == POD_REASON_CREATE_POD_SANDBOX_ERROR
                          ? "ContainerCreating" : cluster_pod_status (pod));
        if (pod->message && pod->reason != POD_REASON_CREATE_POD_SANDBOX_ERROR)
            json_object_set_string_member (st, "message", pod->message);
    } else {
        st = obj_child (state, "terminated");
        json_object_set_int_member (st, "exitCode",
                                    pod->phase == POD_SUCCEEDED ? 0 : 1);
        json_object_set_string_member (st, "reason",
                                       cluster_pod_status (pod));
        set_time (st, "finishedAt", g, pod->finished);
    }
    return state;
}

/* status.containerStatuses: one per container, all sharing the pod's
 * state (kbsim follows a pod, not each container); absent until the pod
 * is bound, as the kubelet writes them. */
static void
pod_container_statuses (JsonObject *status, const GetCtx *g, const Pod *pod)
{
    JsonArray *a;

    if (pod->node == NULL)
        return;
    a = json_array_new ();
    for (guint k = 0; k < pod->tmpl->containers->len; k++) {
        const KbContainerSpec *ct = g_ptr_array_index (pod->tmpl->containers,
                                                       k);
        JsonObject *cs = json_object_new ();

        json_object_set_string_member (cs, "image", ct->image);
        json_object_set_string_member (cs, "name", ct->name);
        json_object_set_boolean_member (cs, "ready",
                                        pod->phase == POD_RUNNING);
        json_object_set_int_member (cs, "restartCount", pod_restarts (pod));
        json_object_set_boolean_member (cs, "started",
                                        pod->phase == POD_RUNNING);
        json_object_set_object_member (cs, "state",
                                       pod_container_state (g, pod));
        json_array_add_object_element (a, cs);
    }
    json_object_set_array_member (status, "containerStatuses", a);
}

static void
pod_spec_json (JsonObject *spec, const Pod *pod)
{
    JsonArray *cts = json_array_new ();

    for (guint k = 0; k < pod->tmpl->containers->len; k++) {
        const KbContainerSpec *ct = g_ptr_array_index (pod->tmpl->containers,
                                                       k);
        JsonObject *c = json_object_new ();
        JsonObject *res = obj_child (c, "resources"), *req;

        json_object_set_string_member (c, "image", ct->image);
        json_object_set_string_member (c, "name", ct->name);
        if (ct->cpu_request || ct->memory_request) {
            g_autofree char *cpu = quantity_cpu (ct->cpu_request);
            g_autofree char *mem = quantity_bytes (ct->memory_request);

            req = obj_child (res, "requests");
            if (ct->cpu_request)
                json_object_set_string_member (req, "cpu", cpu);
            if (ct->memory_request)
                json_object_set_string_member (req, "memory", mem);
        }
        json_array_add_object_element (cts, c);
    }
    json_object_set_array_member (spec, "containers", cts);
    if (pod->node)
        json_object_set_string_member (spec, "nodeName", pod->node->name);
    set_labels (spec, "nodeSelector", pod->tmpl->node_selector);
}

static JsonNode *
pod_json (const GetCtx *g, const Pod *pod)
{
    JsonObject *o = json_object_new ();
    JsonObject *meta = obj_child (o, "metadata");
    JsonObject *status;
    g_autoptr (GPtrArray) own = kb_labels_new ();
    g_autofree char *ip = pod_ip (pod);
    JsonNode *n = json_node_new (JSON_NODE_OBJECT);

    json_object_set_string_member (o, "apiVersion", "v1");
    json_object_set_string_member (o, "kind", "Pod");
    set_time (meta, "creationTimestamp", g, pod->created);
    set_labels (meta, "labels", pod_labels (pod, own));
    json_object_set_string_member (meta, "name", pod->name);
    json_object_set_string_member (meta, "namespace",
                                   pod->workload->spec->namespace);
    pod_spec_json (obj_child (o, "spec"), pod);
    status = obj_child (o, "status");
    pod_container_statuses (status, g, pod);
    if (pod->node && ip) {
        g_autofree char *host = node_ip (pod->node);

        json_object_set_string_member (status, "hostIP", host);
        json_object_set_string_member (status, "podIP", ip);
    }
    json_object_set_string_member (status, "phase",
                                   cluster_phase_name (pod->phase));
    if (pod->phase == POD_FAILED && pod->reason != POD_REASON_ERROR)
        json_object_set_string_member (status, "reason",
                                       cluster_pod_status (pod));
    json_node_take_object (n, o);
    return n;
}

static void
node_status_json (JsonObject *status, const GetCtx *g, const Node *n)
{
    JsonArray *addr = json_array_new (), *conds = json_array_new ();
    JsonObject *a = json_object_new (), *h = json_object_new ();
    JsonObject *ready = json_object_new ();
    JsonObject *alloc = obj_child (status, "allocatable");
    JsonObject *info = obj_child (status, "nodeInfo");
    g_autofree char *ip = node_ip (n), *kernel = node_kernel (n);
    g_autofree char *version = node_version (n);
    g_autofree char *cpu = quantity_cpu (n->alloc_cpu);
    g_autofree char *mem = quantity_bytes (n->alloc_mem);
    g_autofree char *pods = g_strdup_printf ("%" G_GINT64_FORMAT, n->max_pods);

    json_object_set_string_member (a, "address", ip);
    json_object_set_string_member (a, "type", "InternalIP");
    json_object_set_string_member (h, "address", n->name);
    json_object_set_string_member (h, "type", "Hostname");
    json_array_add_object_element (addr, a);
    json_array_add_object_element (addr, h);
    json_object_set_array_member (status, "addresses", addr);
    json_object_set_string_member (alloc, "cpu", cpu);
    json_object_set_string_member (alloc, "memory", mem);
    json_object_set_string_member (alloc, "pods", pods);
    json_object_set_string_member (ready, "status", n->state == NODE_READY
                                                    ? "True" : "Unknown");
    json_object_set_string_member (ready, "type", "Ready");
    json_array_add_object_element (conds, ready);
    json_object_set_array_member (status, "conditions", conds);
    json_object_set_string_member (info, "architecture",
                                   platform_arch_name (n->arch));
    json_object_set_string_member (info, "containerRuntimeVersion",
                                   GET_RUNTIME_VERSION);
    json_object_set_string_member (info, "kernelVersion", kernel);
    json_object_set_string_member (info, "kubeletVersion", version);
    json_object_set_string_member (info, "operatingSystem",
                                   platform_os_name (n->os));
    json_object_set_string_member (info, "osImage", node_os_image (n));
    (void) g;
}

static JsonNode *
node_json (const GetCtx *g, const Node *n)
{
    JsonObject *o = json_object_new ();
    JsonObject *meta = obj_child (o, "metadata");
    JsonObject *spec = obj_child (o, "spec");
    JsonNode *node = json_node_new (JSON_NODE_OBJECT);

    json_object_set_string_member (o, "apiVersion", "v1");
    json_object_set_string_member (o, "kind", "Node");
    set_time (meta, "creationTimestamp", g, n->added);
    set_labels (meta, "labels", n->labels);
    json_object_set_string_member (meta, "name", n->name);
    if (n->taints->len > 0) {
        JsonArray *taints = json_array_new ();

        for (guint i = 0; i < n->taints->len; i++) {
            const KbTaint *t = g_ptr_array_index (n->taints, i);
            JsonObject *to = json_object_new ();

            json_object_set_string_member (to, "effect",
                                           scenario_taint_effect_name (
                                               t->effect));
            json_object_set_string_member (to, "key", t->key);
            if (*t->value)
                json_object_set_string_member (to, "value", t->value);
            json_array_add_object_element (taints, to);
        }
        json_object_set_array_member (spec, "taints", taints);
    }
    if (n->unschedulable)
        json_object_set_boolean_member (spec, "unschedulable", TRUE);
    node_status_json (obj_child (o, "status"), g, n);
    json_node_take_object (node, o);
    return node;
}

static JsonNode *
event_json (const GetCtx *g, const GetEvent *e)
{
    JsonObject *o = json_object_new ();
    JsonObject *meta = obj_child (o, "metadata");
    JsonObject *inv = obj_child (o, "involvedObject");
    JsonNode *n = json_node_new (JSON_NODE_OBJECT);

    json_object_set_string_member (o, "apiVersion", "v1");
    json_object_set_string_member (o, "kind", "Event");
    json_object_set_int_member (o, "count", e->count);
    set_time (o, "firstTimestamp", g, e->first);
    set_time (o, "lastTimestamp", g, e->last);
    json_object_set_string_member (o, "message", e->message);
    json_object_set_string_member (o, "reason", e->reason);
    json_object_set_string_member (o, "type", e->type);
    set_time (meta, "creationTimestamp", g, e->first);
    json_object_set_string_member (meta, "name", e->name);
    json_object_set_string_member (meta, "namespace", e->namespace);
    json_object_set_string_member (inv, "kind", e->kind);
    json_object_set_string_member (inv, "name", e->object);
    if (strcmp (e->kind, "Node") != 0)
        json_object_set_string_member (inv, "namespace", e->namespace);
    json_node_take_object (n, o);
    return n;
}

/* A v1 List of the items, as get.go's printGeneric wraps several
 * objects. (transfer full) */
static JsonNode *
list_json (const GetCtx *g, GetKind kind, const GPtrArray *items)
{
    JsonObject *o = json_object_new ();
    JsonArray *a = json_array_new ();
    JsonNode *n = json_node_new (JSON_NODE_OBJECT);

    for (guint i = 0; i < items->len; i++) {
        gconstpointer it = g_ptr_array_index (items, i);

        json_array_add_element (a, kind == GET_PODS ? pod_json (g, it)
                                   : kind == GET_NODES ? node_json (g, it)
                                                       : event_json (g, it));
    }
    json_object_set_string_member (o, "apiVersion", "v1");
    json_object_set_array_member (o, "items", a);
    json_object_set_string_member (o, "kind", "List");
    json_object_set_string_member (obj_child (o, "metadata"),
                                   "resourceVersion", "");
    json_node_take_object (n, o);
    return n;
}

/* ---- the command ------------------------------------------------------- */

static const char *const kind_words[] = {
    "pods", "pod", "po", "nodes", "node", "no", "events", "event", "ev",
    NULL
};

static gboolean
parse_kind (const char *word, GetKind *out)
{
    for (guint i = 0; kind_words[i]; i++)
        if (strcmp (word, kind_words[i]) == 0) {
            *out = (GetKind) (i / 3);
            return TRUE;
        }
    return FALSE;
}

static gboolean
parse_output (const char *text, GetOutput *out)
{
    static const char *const names[] = { "", "wide", "json", "yaml", NULL };

    for (guint i = 0; names[i]; i++)
        if (strcmp (text, names[i]) == 0) {
            *out = (GetOutput) i;
            return TRUE;
        }
    return FALSE;
}

/* Everything the run and the printing need, set from the command line. */
typedef struct {
    char *at_text, *output, *namespace, *selector;
    gboolean all_namespaces;
    GStrv sets;
} GetArgs;

static void
get_args_clear (GetArgs *a)
{
    g_free (a->at_text);
    g_free (a->output);
    g_free (a->namespace);
    g_free (a->selector);
    g_strfreev (a->sets);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (GetArgs, get_args_clear)

/* Runs s to `at` with a recorder and prints the listing to out; FALSE
 * when there was nothing to list. */
static gboolean
get_at (GString *out, const Scenario *s, SimTime at, GetKind kind,
        GetOutput output, const char *ns, const GPtrArray *selector)
{
    g_autoptr (Run) run = run_new (s, 0, RUN_NO_SAMPLES);
    Recorder rec = { s, run_cluster (run),
                     g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            NULL),
                     g_ptr_array_new_with_free_func (get_event_free),
                     g_hash_table_new (g_str_hash, g_str_equal), 0,
                     g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            g_free), -1, 0 };
    GetCtx g = { s, rec.cluster, &rec, at, output, ns, selector };
    g_autoptr (GPtrArray) items = NULL;

    run_set_event_sink (run, record, &rec);
    run_until (run, at);
    items = kind == GET_PODS ? visible_pods (&g)
            : kind == GET_NODES ? visible_nodes (&g) : visible_events (&g);
    if (output == GET_OUT_JSON || output == GET_OUT_YAML) {
        g_autoptr (JsonNode) list = list_json (&g, kind, items);

        if (output == GET_OUT_JSON) {
            json_node_emit (out, list, 0);
            g_string_append_c (out, '\n');
        } else {
            yaml_object (out, json_node_get_object (list), 0, FALSE);
        }
    } else if (items->len > 0) {
        (kind == GET_PODS ? print_pods : kind == GET_NODES ? print_nodes
                                                           : print_events) (
            out, &g, items);
    }
    g_hash_table_unref (rec.by_key);
    g_ptr_array_unref (rec.events);
    g_hash_table_unref (rec.pods);
    g_hash_table_unref (rec.tracks);
    return items->len > 0 || output == GET_OUT_JSON
           || output == GET_OUT_YAML;
}

static const char get_usage[] =
    "pods|nodes|events SCENARIO - what `kubectl get` shows";

static const char get_description[] =
    "Runs the scenario to --at (the end by default) and prints what `kubectl "
    "get`\nwould print at that moment, in its columns and formats, so that "
    "a class sees\nthe screens of a real cluster. The resource may be "
    "written pods/pod/po,\nnodes/node/no or events/event/ev.\n"
    "\n"
    "Examples:\n"
    "  kbsim get pods scenarios/mixed-minimal.yaml --at 10m\n"
    "  kbsim get pods scenarios/mixed-minimal.yaml --at 10m -o wide "
    "-l app=web\n"
    "  kbsim get nodes scenarios/demo.yaml --at 2d -o wide\n"
    "  kbsim get events scenarios/lessons/wrong-os.yaml --at 5m\n"
    "  kbsim get pods scenarios/mixed-minimal.yaml -o json | jq "
    "'.items[0].status'\n"
    "\n"
    "Pods: NAME; READY, ready containers of all (\"1/1\"); STATUS, the "
    "phase or\nwhat the pod waits for (Pending: not scheduled; "
    "ContainerCreating;\nErrImagePull, ImagePullBackOff; "
    "RunContainerError, CrashLoopBackOff;\nCompleted, Error, Evicted); "
    "RESTARTS, with the last one's age (\"3 (2m ago)\");\nAGE since "
    "creation. -o wide adds IP, NODE, NOMINATED NODE, READINESS GATES.\n"
    "Nodes: NAME; STATUS, Ready or NotReady, \",SchedulingDisabled\" when "
    "cordoned;\nROLES (<none> for workers); AGE; VERSION, the kubelet's. "
    "-o wide adds\nINTERNAL-IP, EXTERNAL-IP, OS-IMAGE (\"Windows Server 2022 "
    "Datacenter\"),\nKERNEL-VERSION (the Windows build, \"10.0.20348\") and "
    "CONTAINER-RUNTIME.\nEvents: LAST SEEN, TYPE (Normal, Warning), REASON, "
    "OBJECT (\"pod/web-3\"),\nMESSAGE; repeats are folded into one event "
    "with a count (-o wide: COUNT,\nFIRST SEEN, NAME). As on a cluster, "
    "events older than an hour are gone (the\nAPI server's --event-ttl), "
    "and they are listed by object, not by time.\n"
    "Ages are kubectl's: \"45s\", \"5m30s\", \"42m\", \"5h12m\", \"20h\", "
    "\"3d4h\".\nRows are in the API server's order: namespace, then name "
    "(web-10 before web-2).\n"
    "\n"
    "Where it differs from kubectl: pods are named <workload>-<n>, not "
    "with a\nReplicaSet hash; a pod's labels are its template's "
    "metadata.labels, or\napp=<workload> when the scenario wrote a bare "
    "PodSpec; IP addresses are\nkbsim's (nodes 10.0.x.y, pods "
    "10.244.<node>.y), not a CNI's; Linux nodes say\nUbuntu 22.04 with a "
    "5.15 kernel, and every node containerd 1.7, because kbsim\nmodels "
    "neither; a Windows kernel version has no revision unless the "
    "scenario\ngives one; images are written normalised "
    "(docker.io/library/nginx:1.27);\n-o json and -o yaml hold the main "
    "fields only (labels, nodeName, container\nstates, podIP; node "
    "addresses, allocatable, nodeInfo);\ninit containers are not shown "
    "as Init:n/m; SUBOBJECT and SOURCE are empty;\n-o yaml does not fold "
    "long lines at 80 columns as kubectl's "
    "does.\nNo rows: \"No resources found in NS namespace.\" on stderr, exit "
    "0.";

/* The checks of the command line that need no scenario. */
static int
get_check_args (const GetArgs *a, int argc, char **argv, GetKind *kind,
                GetOutput *output, GPtrArray **selector)
{
    g_autoptr (GError) error = NULL;

    if (argc < 2)
        return cmd_usage_error ("get", "missing the resource: pods, nodes "
                                "or events");
    if (!parse_kind (argv[1], kind)) {
        const char *best = suggest_closest (argv[1], kind_words);

        return best ? cmd_usage_error ("get", "unknown resource '%s' (did "
                                       "you mean '%s'?)", argv[1], best)
                    : cmd_usage_error ("get", "unknown resource '%s': use "
                                       "pods, nodes or events", argv[1]);
    }
    if (argc != 3)
        return cmd_usage_error ("get", argc < 3 ? "missing SCENARIO (a YAML "
                                "file)" : "too many arguments");
    if (!parse_output (a->output ? a->output : "", output) || (a->output
                                                    && !*a->output))
        return cmd_usage_error ("get", "-o/--output: unknown format '%s' "
                                "(use wide, json or yaml)", a->output);
    if (a->all_namespaces && a->namespace)
        return cmd_usage_error ("get", "give -n/--namespace or "
                                "-A/--all-namespaces, not both");
    *selector = a->selector ? sel_parse (a->selector, &error) : NULL;
    if (a->selector && *selector == NULL)
        return cmd_usage_error ("get", "-l/--selector: invalid selector "
                                "'%s': %s", a->selector, error->message);
    return KB_EXIT_OK;
}

int
cmd_get (int argc, char **argv)
{
    g_auto (GetArgs) a = { 0 };
    GOptionEntry entries[] = {
        { "at", 0, 0, G_OPTION_ARG_STRING, &a.at_text,
          "The moment of the run to look at (default: the end)", "TIME" },
        { "output", 'o', 0, G_OPTION_ARG_STRING, &a.output,
          "wide, json or yaml", "FORMAT" },
        { "namespace", 'n', 0, G_OPTION_ARG_STRING, &a.namespace,
          "List pods and events of this namespace (default: default)",
          "NS" },
        { "all-namespaces", 'A', 0, G_OPTION_ARG_NONE, &a.all_namespaces,
          "List pods and events of every namespace", NULL },
        { "selector", 'l', 0, G_OPTION_ARG_STRING, &a.selector,
          "Label selector: k=v, k!=v, k, !k, k in (a,b), k notin (a,b)",
          "SELECTOR" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a.sets,
          "Override a value by path (repeatable)", "PATH=VALUE" },
        G_OPTION_ENTRY_NULL
    };
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = NULL;
    g_autoptr (GPtrArray) selector = NULL;
    g_autoptr (GString) out = g_string_new (NULL);
    const char *ns;
    GetKind kind = GET_PODS;
    GetOutput output = GET_OUT_TABLE;
    SimTime at;
    int status;

    if (!cmd_parse ("get", get_usage, entries, get_description, &argc,
                    &argv))
        return KB_EXIT_USAGE;
    status = get_check_args (&a, argc, argv, &kind, &output, &selector);
    if (status != KB_EXIT_OK)
        return status;
    s = scenario_load (argv[2], (const char *const *) a.sets, &error);
    if (s == NULL)
        return cmd_input_error (error);
    if (s->dev_host != NULL)
        return cmd_require_cluster ("get", argv[2], TRUE);
    at = s->duration;
    if (a.at_text && !units_parse_duration (a.at_text, &at, &error))
        return cmd_usage_error ("get", "--at: %s", error->message);
    if (at > s->duration) {
        g_autofree char *end = sim_time_format_short (s->duration);

        return cmd_usage_error ("get", "--at %s is past the end of the run "
                                "(%s lasts %s)", a.at_text, argv[2], end);
    }
    ns = a.all_namespaces ? NULL : a.namespace ? a.namespace : "default";
    if (!get_at (out, s, at, kind, output, kind == GET_NODES ? NULL : ns,
                 selector)) {
        if (kind == GET_NODES || ns == NULL)
            fprintf (stderr, "No resources found\n");
        else
            fprintf (stderr, "No resources found in %s namespace.\n", ns);
    }
    fputs (out->str, stdout);
    return KB_EXIT_OK;
}
