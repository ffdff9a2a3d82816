/* risks.c: the executive summary's risks in plain words. See risks.h.
 *
 * Every pod that missed its placement deadline is put in a group: its
 * workload, the stage it was stuck in (no node within the deadline, or
 * bound but not Running in time) and the scenario event that caused it,
 * the latest event before the pod's deadline that touches its workload,
 * its pool or its image's registry (none: a cause present from the
 * start). Each group becomes one sentence; the cause is read from the
 * scenario where it can be (an image with no entry for the build of the
 * pool the pod was bound to, a registry outage, a pool that could not
 * grow), else from the stage.
 */
#include "reports/risks.h"

#include <string.h>

#include "models/platform.h"
#include "sim/units.h"

typedef enum {
    STAGE_NODE,                 /* no node within the deadline */
    STAGE_START                 /* bound, not Running in time */
} Stage;

typedef struct {
    guint workload;
    Stage stage;
    gint event;                 /* index into the scenario's events; -1 */
    gint pool;                  /* the first missed pod's pool, or -1 */
    SimTime first;              /* the first missed pod's creation */
    gint64 pods;
} Group;

typedef struct {
    gint64 pods;
    guint order;
    char *text;
} Risk;

static char *
when (SimTime t)
{
    return units_format_value (UNITS_VALUE_TIME, sim_time_to_seconds (t), 0);
}

/* The part of an image reference after its last '/'. */
static const char *
image_short (const char *ref)
{
    const char *slash = strrchr (ref, '/');

    return slash ? slash + 1 : ref;
}

static const KbPoolSpec *
pool_at (const Scenario *sc, gint p)
{
    return p >= 0 && (guint) p < sc->pools->len
           ? g_ptr_array_index (sc->pools, p) : NULL;
}

/* The Windows build pool p runs at time t: its own, or the last upgrade's
 * before t. */
static WinVersion
pool_build_at (const Scenario *sc, const KbPoolSpec *pool, SimTime t)
{
    WinVersion b = pool->windows_build;

    for (guint i = 0; i < sc->events->len; i++) {
        const KbEventSpec *e = g_ptr_array_index (sc->events, i);

        if (e->at <= t && e->action == KB_EVENT_UPGRADE_POOL
            && e->has_windows_build && g_strcmp0 (e->pool, pool->name) == 0)
            b = e->windows_build;
    }
    return b;
}

/* The image of workload ws's first container at time t: the template's,
 * or the last rollout's before t. (transfer none), or NULL. */
static const char *
image_at (const Scenario *sc, const KbWorkloadSpec *ws, SimTime t)
{
    const char *img = NULL;

    if (ws->template && ws->template->containers->len > 0)
        img = ((KbContainerSpec *) g_ptr_array_index (
            ws->template->containers, 0))->image;
    for (guint i = 0; i < sc->events->len; i++) {
        const KbEventSpec *e = g_ptr_array_index (sc->events, i);

        if (e->at <= t && e->action == KB_EVENT_ROLLOUT && e->image
            && g_strcmp0 (e->workload, ws->name) == 0)
            img = e->image;
    }
    return img;
}

/* Whether event e bears on a pod of workload ws bound to pool (or -1). */
static gboolean
event_touches (const Scenario *sc, const KbEventSpec *e,
               const KbWorkloadSpec *ws, KbOs os, gint pool, SimTime created)
{
    const KbPoolSpec *p = pool_at (sc, pool);

    if (e->workload)
        return strcmp (e->workload, ws->name) == 0;
    if (e->registry) {
        const KbImageSpec *im = NULL;
        const char *ref = image_at (sc, ws, created);

        im = ref ? scenario_find_image (sc, ref) : NULL;
        return im && g_strcmp0 (im->registry, e->registry) == 0
               && created <= e->at + e->duration;
    }
    if (e->pool) {
        const KbPoolSpec *ep = scenario_find_pool (sc, e->pool);

        return p ? strcmp (p->name, e->pool) == 0 : ep && ep->os == os;
    }
    return FALSE;
}

/* Ties at one time: an outage explains more than an upgrade, an upgrade
 * more than a rollout, a rollout more than a resize. */
static int
event_rank (KbEventAction a)
{
    switch (a) {
    case KB_EVENT_REGISTRY_OUTAGE:
        return 0;
    case KB_EVENT_UPGRADE_POOL:
        return 1;
    case KB_EVENT_ROLLOUT:
        return 2;
    default:
        return 3;
    }
}

static gint
cause_event (const Scenario *sc, const KbWorkloadSpec *ws, const RunPod *p,
             SimTime deadline)
{
    gint best = -1;

    for (guint i = 0; i < sc->events->len; i++) {
        const KbEventSpec *e = g_ptr_array_index (sc->events, i);
        const KbEventSpec *b = best >= 0 ? g_ptr_array_index (sc->events,
                                                              best) : NULL;

        if (e->at > p->created + deadline
            || !event_touches (sc, e, ws, p->os, p->pool, p->created))
            continue;
        if (b == NULL || e->at > b->at
            || (e->at == b->at && event_rank (e->action)
                                  < event_rank (b->action)))
            best = (gint) i;
    }
    return best;
}

static void
group_add (GArray *groups, const RunPod *p, Stage stage, gint event)
{
    Group g = { p->workload, stage, event, p->pool, p->created, 1 };

    for (guint i = 0; i < groups->len; i++) {
        Group *h = &g_array_index (groups, Group, i);

        if (h->workload == g.workload && h->stage == stage
            && h->event == event) {
            h->pods++;
            if (h->pool < 0)
                h->pool = p->pool;
            return;
        }
    }
    g_array_append_val (groups, g);
}

/* "the win2019 upgrade to 10.0.20348 at 2 d". (transfer full). */
static char *
event_phrase (const KbEventSpec *e)
{
    g_autofree char *t = when (e->at);

    switch (e->action) {
    case KB_EVENT_UPGRADE_POOL: {
        g_autofree char *b = e->has_windows_build
            ? platform_win_version_format (&e->windows_build) : NULL;
        g_autofree char *k = e->has_version
            ? platform_kube_version_format (&e->version) : NULL;

        return g_strdup_printf ("the %s upgrade to %s%s%s%s at %s", e->pool,
                                b ? "build " : "", b ? b : "",
                                b && k ? " and kubelet " : k ? "kubelet " : "",
                                k ? k : "", t);
    }
    case KB_EVENT_REGISTRY_OUTAGE: {
        g_autofree char *d = when (e->duration);

        return g_strdup_printf ("the %s registry outage at %s (%s)",
                                e->registry, t, d);
    }
    case KB_EVENT_ROLLOUT:
        return g_strdup_printf ("the %s rollout at %s", e->workload, t);
    case KB_EVENT_SET_REPLICAS:
        return g_strdup_printf ("the scale-out of %s to %" G_GINT64_FORMAT
                                " replicas at %s", e->workload, e->count, t);
    case KB_EVENT_SCALE_POOL:
        return g_strdup_printf ("the resize of %s to %" G_GINT64_FORMAT
                                " nodes at %s", e->pool, e->count, t);
    default:
        return g_strdup_printf ("the %s %s at %s",
                                e->pool ? e->pool : e->node ? e->node
                                : e->workload ? e->workload : "cluster",
                                scenario_event_action_name (e->action), t);
    }
}

/* The builds image has Windows entries for, as "17763 and 20348", or
 * NULL when one of them runs on build (or has no os.version).
 * (transfer full). */
static char *
image_misses_build (const KbImageSpec *im, const WinVersion *build)
{
    GString *b = g_string_new (NULL);
    guint n = 0;

    for (guint i = 0; i < im->manifests->len; i++) {
        const KbManifestSpec *m = g_ptr_array_index (im->manifests, i);

        if (m->os != KB_OS_WINDOWS)
            continue;
        if (platform_win_match_ok (platform_win_containerd_match (
                build, m->has_os_version ? &m->os_version : NULL))) {
            g_string_free (b, TRUE);
            return NULL;
        }
        g_string_append_printf (b, "%s%u", n++ ? " and " : "",
                                m->os_version.build);
    }
    if (n == 0) {
        g_string_free (b, TRUE);
        return NULL;
    }
    return g_string_free (b, FALSE);
}

/* The sentence for a group of pods bound in time that did not start. */
static char *
start_sentence (const RunData *rd, const Group *g, const KbWorkloadSpec *ws,
                const char *cause, const char *size)
{
    const Scenario *sc = rd->sc;
    const KbPoolSpec *pool = pool_at (sc, g->pool);
    const KbEventSpec *e = g->event >= 0 ? g_ptr_array_index (sc->events,
                                                              g->event)
                                         : NULL;
    const char *ref = image_at (sc, ws, g->first);
    const KbImageSpec *im = ref ? scenario_find_image (sc, ref) : NULL;
    g_autofree char *dl = when (sc->metrics.placement_deadline);

    if (im && pool && pool->os == KB_OS_WINDOWS) {
        WinVersion b = pool_build_at (sc, pool, g->first);
        g_autofree char *has = image_misses_build (im, &b);
        g_autofree char *bs = platform_win_version_format (&b);

        if (has != NULL && e && e->action == KB_EVENT_UPGRADE_POOL)
            return g_strdup_printf (
                "%c%s stranded %s %s pods: their image %s has entries "
                "only for build %s, none for %u, so they sat in "
                "ErrImagePull. Rebuild the image for build %u before "
                "upgrading, or pin %s to a pool still on build %s.",
                g_ascii_toupper (cause[0]), cause + 1, size, ws->name,
                image_short (ref), has, b.build, b.build, ws->name, has);
        if (has != NULL)
            return g_strdup_printf (
                "%s %s pods could not start on %s (build %s) %s: their "
                "image %s has entries only for build %s (ErrImagePull). "
                "Rebuild the image for build %u, or pin %s to a pool on "
                "build %s.", size, ws->name, pool->name, bs, cause,
                image_short (ref), has, b.build, ws->name, has);
    }
    if (e && e->action == KB_EVENT_REGISTRY_OUTAGE)
        return g_strdup_printf (
            "%c%s held back %s %s pods: they could not pull %s and took "
            "longer than %s to start. Pre-pull the image on %s "
            "(prepulled_images) or mirror it before scaling out.",
            g_ascii_toupper (cause[0]), cause + 1, size, ws->name,
            ref ? image_short (ref) : "their image", dl,
            pool ? pool->name : "its pools");
    return g_strdup_printf (
        "%s %s pods were bound to %s %s but took longer than %s to start "
        "(image pulls, container start). Pre-pull %s on that pool, or "
        "allow a longer deadline if this is expected.", size, ws->name,
        pool ? pool->name : "a node", cause, dl,
        ref ? image_short (ref) : "the image");
}

/* The sentence for a group of pods with no node within the deadline. */
static char *
node_sentence (const RunData *rd, const Group *g, const KbWorkloadSpec *ws,
               const char *cause, const char *size)
{
    const Scenario *sc = rd->sc;
    const KbPoolSpec *pool = pool_at (sc, g->pool);
    g_autofree char *dl = when (sc->metrics.placement_deadline);
    g_autofree char *fix = NULL;

    if (pool == NULL)
        return g_strdup_printf (
            "%s %s pods never found a node %s: no pool has a node they "
            "fit (FailedScheduling). Check the workload's node selector, "
            "tolerations and requests against the pools in kbsim "
            "validate.", size, ws->name, cause);
    if (!pool->autoscale.enabled)
        fix = g_strdup_printf ("Give %s more nodes (it has %" G_GINT64_FORMAT
                               ") or an autoscale range", pool->name,
                               pool->count);
    else
        fix = g_strdup_printf ("Raise %s's autoscale.max (now %"
                               G_GINT64_FORMAT ")", pool->name,
                               pool->autoscale.max);
    return g_strdup_printf (
        "%s %s pods waited longer than %s for a node %s: %s was full "
        "(FailedScheduling: not enough free CPU or memory). %s, or lower "
        "the workload's requests.", size, ws->name, dl, cause, pool->name,
        fix);
}

static char *
group_sentence (const RunData *rd, const Group *g)
{
    const Scenario *sc = rd->sc;
    const KbWorkloadSpec *ws = g_ptr_array_index (sc->workloads,
                                                  g->workload);
    const KbEventSpec *e = g->event >= 0 ? g_ptr_array_index (sc->events,
                                                              g->event)
                                         : NULL;
    g_autofree char *ev = e ? event_phrase (e) : NULL;
    g_autofree char *cause = e ? g_strdup_printf ("after %s", ev)
                               : g_strdup ("from the start of the run");
    g_autofree char *size = units_format_value (UNITS_VALUE_PLAIN,
                                                (double) g->pods, 1);

    if (g->stage == STAGE_START)
        return start_sentence (rd, g, ws, e && (e->action
                                                == KB_EVENT_UPGRADE_POOL
                                                || e->action
                                                == KB_EVENT_REGISTRY_OUTAGE)
                                          ? ev : cause, size);
    return node_sentence (rd, g, ws, cause, size);
}

/* What the API server's message says after "is invalid: ", up to the
 * first ": " (the field), and after "Forbidden: " (why). */
static char *
rejected_sentence (const SummaryWorkload *sw, const SummaryReason *fc)
{
    const char *msg = sw->reject_message ? sw->reject_message
                    : fc && fc->example ? fc->example : "";
    const char *inv = strstr (msg, "is invalid: ");
    g_autofree char *field = NULL;
    const char *why = strstr (msg, "Forbidden: ");
    g_autofree char *n = units_format_value (UNITS_VALUE_PLAIN,
                                             (double) sw->rejected, 1);
    const char *all = sw->pods == 0 ? "all " : "";

    if (inv != NULL) {
        const char *end;

        inv += strlen ("is invalid: ");
        end = strstr (inv, ": ");
        field = end ? g_strndup (inv, (gsize) (end - inv)) : g_strdup (inv);
    }
    if (field != NULL && why != NULL)
        return g_strdup_printf (
            "%s never ran: the API server refused %s%s of its "
            "pods (FailedCreate) because %s %s. Remove %s from its pod "
            "template, or run it on Linux.", sw->name, all, n, field,
            why + strlen ("Forbidden: "), field);
    return g_strdup_printf (
        "%s never ran: the API server refused %s%s of its pods "
        "(FailedCreate). Fix the pod template as the failures section's "
        "message says.", sw->name, all, n);
}

static gint
risk_cmp (gconstpointer a, gconstpointer b)
{
    const Risk *x = *(Risk *const *) a;
    const Risk *y = *(Risk *const *) b;

    if (x->pods != y->pods)
        return x->pods > y->pods ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void
risk_free (gpointer p)
{
    Risk *r = p;

    g_free (r->text);
    g_free (r);
}

static void
risk_add (GPtrArray *risks, gint64 pods, char *text)
{
    Risk *r = g_new0 (Risk, 1);

    r->pods = pods;
    r->order = risks->len;
    r->text = text;
    g_ptr_array_add (risks, r);
}

/* The groups of pods that missed their deadline. (transfer full). */
static GArray *
missed_groups (const RunData *rd)
{
    const Scenario *sc = rd->sc;
    SimTime deadline = sc->metrics.placement_deadline;
    GArray *groups = g_array_new (FALSE, FALSE, sizeof (Group));

    for (guint i = 0; i < rd->pods->len; i++) {
        const RunPod *p = &g_array_index (rd->pods, RunPod, i);
        const KbWorkloadSpec *ws;
        Stage stage;

        if (p->created + deadline > rd->end
            || (p->running >= 0 && p->running - p->created <= deadline)
            || p->workload >= sc->workloads->len)
            continue;
        ws = g_ptr_array_index (sc->workloads, p->workload);
        stage = p->scheduled < 0 || p->scheduled - p->created > deadline
                ? STAGE_NODE : STAGE_START;
        group_add (groups, p, stage, cause_event (sc, ws, p, deadline));
    }
    return groups;
}

/* The workload's pods whose deadline has come, from the summary. */
static gint64
workload_eligible (const RunData *rd, guint w)
{
    const KbWorkloadSpec *ws = g_ptr_array_index (rd->sc->workloads, w);

    for (guint i = 0; i < rd->summary->workloads->len; i++) {
        const SummaryWorkload *sw = g_ptr_array_index (
            rd->summary->workloads, i);

        if (strcmp (sw->name, ws->name) == 0)
            return sw->eligible;
    }
    return 0;
}

GPtrArray *
risks_list (const RunData *rd, guint max)
{
    const RunSummary *s = rd->summary;
    g_autoptr (GPtrArray) risks = g_ptr_array_new_with_free_func (risk_free);
    g_autoptr (GArray) groups = missed_groups (rd);
    const SummaryReason *fc = NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < s->reasons->len; i++) {
        const SummaryReason *r = g_ptr_array_index (s->reasons, i);

        if (fc == NULL && strcmp (r->reason, "FailedCreate") == 0)
            fc = r;
    }
    /* A refused template loses the whole workload: first, whatever its
     * size. */
    for (guint i = 0; i < s->workloads->len; i++) {
        const SummaryWorkload *sw = g_ptr_array_index (s->workloads, i);

        if (sw->rejected > 0 || sw->api_rejected)
            risk_add (risks, G_MAXINT64 - i, rejected_sentence (sw, fc));
    }
    for (guint i = 0; i < groups->len; i++) {
        const Group *g = &g_array_index (groups, Group, i);

        /* Noise: a handful of a big workload's pods (0.5% or less of
         * those missed or placed) is no risk of its own. */
        if (g->pods * 200 <= workload_eligible (rd, g->workload))
            continue;
        risk_add (risks, g->pods, group_sentence (rd, g));
    }
    g_ptr_array_sort (risks, risk_cmp);
    for (guint i = 0; i < risks->len && out->len < max; i++)
        g_ptr_array_add (out, g_strdup (((Risk *) risks->pdata[i])->text));
    return out;
}
