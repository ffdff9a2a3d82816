/* controller.c: the workload controllers that create pods.
 *
 * Deployments, ReplicaSets and StatefulSets keep their replica count,
 * replacing pods that fail or are deleted (pods stuck in back-off are not
 * failed, so they are not replaced, as in Kubernetes). DaemonSets run one
 * pod per eligible node: one whose taints the pod tolerates (with the
 * tolerations the DaemonSet controller adds) and whose labels match its
 * node selector and affinity. Jobs with `arrivals` create one pod per
 * arrival (Poisson or periodic, thinned by the daily profile); Jobs from
 * manifests run `completions` pods, `parallelism` at a time. A CronJob
 * creates a Job per tick of its schedule, as the CronJob controller does
 * (see "CronJobs" below). A bare Pod runs once.
 *
 * Replacements after failures are rate-limited per workload (1 s doubling
 * to 1000 s, the controllers' work-queue limiter), so a pod that can never
 * start does not spin. Pods that name a node (spec.nodeName) skip the
 * scheduler and go straight to that node's kubelet.
 *
 * The controllers watch pods: the kubelet tells them of pods Running and
 * ended through controller__kubelet_hooks, and they call down into the
 * scheduler and the kubelet.
 */
#include "models/model-private.h"

#include <string.h>

#define REPLACE_BACKOFF_MAX (1000 * SIM_SEC)
#define JOB_BACKOFF_LIMIT   6

static void arrival_handler (SimEngine *e, gpointer obj, gint64 arg);
static void replace_handler (SimEngine *e, gpointer obj, gint64 arg);
static void cron_handler (SimEngine *e, gpointer obj, gint64 arg);
static void job_retry_handler (SimEngine *e, gpointer obj, gint64 arg);

static const SimEventKind arrival_kind = { "job-arrival", arrival_handler };
static const SimEventKind replace_kind = { "controller-replace",
                                           replace_handler };
static const SimEventKind cron_kind = { "cronjob-sync", cron_handler };
static const SimEventKind job_retry_kind = { "job-retry",
                                             job_retry_handler };

struct Controller {
    GPtrArray *templates;           /* KbPodTemplate made by rollouts,
                                     * owned */
    GPtrArray *jobs;                /* JobRun, every Job a CronJob made,
                                     * owned */
};

static const char *
controller_kind (const Workload *w)
{
    switch (w->spec->kind) {
    case KB_WORKLOAD_DEPLOYMENT:
    case KB_WORKLOAD_REPLICASET:
        return "ReplicaSet";
    case KB_WORKLOAD_CRONJOB:
        return "Job";
    default:
        return scenario_workload_kind_name (w->spec->kind);
    }
}

static gboolean
has_daemon_pod (const Workload *w, const Node *node)
{
    for (guint i = 0; i < w->pods->len; i++)
        if (((Pod *) g_ptr_array_index (w->pods, i))->daemon_node == node)
            return TRUE;
    return FALSE;
}

static void rollout_step (Cluster *c, Workload *w);
static void delete_pod (Cluster *c, Pod *pod, const char *why);

/* The stream PURPOSE/NAME of workload w. */
static SimRng *
workload_rng (Cluster *c, Workload *w, const char *purpose)
{
    g_autofree char *name = g_strdup_printf ("%s/%s", purpose,
                                             w->spec->name);

    return cluster_rng (c, name);
}

/* A new pod of w (of its Job `job` for a CronJob), sent to the scheduler
 * or to the node it names. NULL when none could be made. */
static Pod *
make_pod (Cluster *c, Workload *w, Node *daemon_node, JobRun *job)
{
    const char *owner = job ? job->name : w->spec->name;
    Pod *pod;

    if (daemon_node && has_daemon_pod (w, daemon_node))
        return NULL;            /* one DaemonSet pod per node */
    if (w->api_rejected) {
        g_autofree char *msg = g_strdup_printf ("Error creating: %s",
                                                w->reject_message);
        SimTime now = sim_engine_now (c->engine);

        /* Each refused create is a pod the controller wanted and that
         * never ran: it counts as not placed, and FailedCreate as its
         * failure reason (the summary never calls it "No failures"). */
        if (w->rejected_at == NULL)
            w->rejected_at = g_array_new (FALSE, FALSE, sizeof (SimTime));
        g_array_append_val (w->rejected_at, now);
        w->failed_creates++;
        cluster__count_reason (c, "FailedCreate", w->os, msg);
        cluster__emit_in (c, w->spec->namespace, "Warning", "FailedCreate",
                          controller_kind (w), owner, "%s", msg);
        return NULL;
    }
    pod = cluster__new_pod (c, w, job ? job->name : NULL,
                            job ? job->next_ordinal++ : 0);
    pod->daemon_node = daemon_node;
    pod->job = job;
    if (job)
        job->live++;
    if ((w->spec->kind == KB_WORKLOAD_JOB
         || w->spec->kind == KB_WORKLOAD_CRONJOB) && w->spec->has_duration) {
        /* drawn in creation order, so the n-th Job runs as long whatever
         * the capacity that decides when it starts */
        if (w->rng_duration == NULL)
            w->rng_duration = workload_rng (c, w, "job-duration");
        pod->run_seconds = sim_dist_sample (&w->spec->duration,
                                            w->rng_duration);
    }
    cluster__emit_in (c, w->spec->namespace, "Normal", "SuccessfulCreate",
                      controller_kind (w), owner, "Created pod: %s",
                      pod->name);
    if (pod->tmpl->node_name) {
        Node *n = cluster_find_node (c, pod->tmpl->node_name);

        if (n && n->state != NODE_GONE) {
            kubelet__bind (c, pod, n);
        } else {
            pod->message = cluster_intern (c, "the pod names a node that "
                                           "does not exist (spec.nodeName)");
        }
        return pod;
    }
    sched__enqueue (c, pod);
    return pod;
}

static Pod *
create_pod (Cluster *c, Workload *w, Node *daemon_node)
{
    return make_pod (c, w, daemon_node, NULL);
}

/* ---- API-server validation of Windows pods ------------------------------- */

/* A pod with spec.os.name windows may not set Linux-only fields: the API
 * server rejects it and the controller's create fails (facts section 3).
 * NEEDSWORK: the exact validation text is unconfirmed in the reference;
 * this follows the API server's field-error format. */
static char *
windows_fields_problem (const KbPodTemplate *t, const char *pod_name)
{
    GString *msg;

    if (t->os_name != KB_OS_WINDOWS || t->linux_only_fields->len == 0)
        return NULL;
    msg = g_string_new (NULL);
    g_string_append_printf (msg, "Pod \"%s\" is invalid: ", pod_name);
    for (guint i = 0; i < t->linux_only_fields->len; i++)
        g_string_append_printf (msg, "%sspec.%s: Forbidden: cannot be set "
                                "for a windows pod", i ? ", " : "",
                                (char *) g_ptr_array_index (
                                    t->linux_only_fields, i));
    return g_string_free (msg, FALSE);
}

/* The RuntimeClass admission controller merges the class's nodeSelector
 * into the pod's and rejects the pod when a key conflicts. */
static char *
runtime_class_problem (Cluster *c, const KbPodTemplate *t)
{
    const KbRuntimeClassSpec *rc;
    const char *conflict = NULL;
    char *why = NULL;
    FilterPod sp;

    if (t->runtime_class == NULL)
        return NULL;
    rc = scenario_find_runtime_class (c->s, t->runtime_class);
    if (rc == NULL)
        return NULL;
    if (!filter_pod_init (&sp, t, rc, 0, 0, &conflict))
        why = g_strdup_printf ("pod rejected: RuntimeClass \"%s\" "
                               "scheduling.nodeSelector conflicts with the "
                               "pod's nodeSelector on \"%s\"", rc->name,
                               conflict);
    filter_pod_clear (&sp);
    return why;
}

char *
controller__rejection (Cluster *c, const KbPodTemplate *t,
                       const char *pod_name)
{
    char *why = windows_fields_problem (t, pod_name);

    return why ? why : runtime_class_problem (c, t);
}

/* ---- DaemonSets ---------------------------------------------------------- */

/* The tolerations the DaemonSet controller adds to its pods
 * (pkg/controller/daemon/util/daemonset_util.go,
 * AddOrUpdateDaemonPodTolerations), all operator Exists: not-ready and
 * unreachable for NoExecute with no tolerationSeconds, so the taint
 * manager never evicts them; disk, memory and pid pressure and
 * unschedulable for NoSchedule; network-unavailable for NoSchedule on
 * hostNetwork pods. An Exists toleration with a key and an effect
 * tolerates exactly the taints of that key and effect. */
gboolean
controller__daemon_tolerates (const KbPodTemplate *tmpl, const KbTaint *t)
{
    static const struct {
        const char *key;
        KbTaintEffect effect;
    } added[] = {
        { "node.kubernetes.io/not-ready", KB_TAINT_NO_EXECUTE },
        { "node.kubernetes.io/unreachable", KB_TAINT_NO_EXECUTE },
        { "node.kubernetes.io/disk-pressure", KB_TAINT_NO_SCHEDULE },
        { "node.kubernetes.io/memory-pressure", KB_TAINT_NO_SCHEDULE },
        { "node.kubernetes.io/pid-pressure", KB_TAINT_NO_SCHEDULE },
        { "node.kubernetes.io/unschedulable", KB_TAINT_NO_SCHEDULE },
    };

    if (tmpl->host_network && t->effect == KB_TAINT_NO_SCHEDULE
        && strcmp (t->key, "node.kubernetes.io/network-unavailable") == 0)
        return TRUE;
    for (gsize i = 0; i < G_N_ELEMENTS (added); i++)
        if (t->effect == added[i].effect && strcmp (t->key, added[i].key) == 0)
            return TRUE;
    return FALSE;
}

static gboolean
daemon_tolerates (const FilterPod *sp, const KbTaint *t)
{
    return controller__daemon_tolerates (sp->tmpl, t)
           || filter_tolerates (sp->tolerations, t);
}

static gboolean
daemon_eligible (Cluster *c, Workload *w, const Node *node)
{
    Pod probe = { 0 };
    const FilterPod *sp;

    if (node->state == NODE_GONE)
        return FALSE;
    probe.tmpl = w->tmpl;
    sp = sched__view (c, &probe);
    for (guint i = 0; i < node->taints->len; i++) {
        const KbTaint *t = g_ptr_array_index (node->taints, i);

        if (t->effect != KB_TAINT_PREFER_NO_SCHEDULE
            && !daemon_tolerates (sp, t))
            return FALSE;
    }
    return filter_node_affinity (sp, node->labels, node->name);
}

void
controller__node_added (Cluster *c, Node *node)
{
    for (guint i = 0; i < c->workloads->len; i++) {
        Workload *w = g_ptr_array_index (c->workloads, i);

        if (w->spec->kind == KB_WORKLOAD_DAEMONSET
            && daemon_eligible (c, w, node))
            create_pod (c, w, node);
    }
}

/* ---- Jobs ---------------------------------------------------------------- */

static double
peak_rate (const Workload *w)
{
    double m = 0;

    for (int h = 0; h < 24; h++)
        m = MAX (m, w->spec->daily_profile[h]);
    return w->rate * m;
}

static void
schedule_arrival (Cluster *c, Workload *w)
{
    const KbWorkloadSpec *s = w->spec;
    double peak = peak_rate (w), gap;

    if (peak <= 0)
        return;
    if (w->rng_arrivals == NULL)
        w->rng_arrivals = workload_rng (c, w, "arrivals");
    gap = s->arrivals == KB_ARRIVALS_PERIODIC
              ? 1.0 / peak
              : gsl_ran_exponential (sim_rng_gsl (w->rng_arrivals),
                                     1.0 / peak);
    w->next_arrival = sim_engine_schedule_in (c->engine,
                                              sim_time_from_seconds (gap),
                                              &arrival_kind, w, 0);
}

static void
arrival_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    Workload *w = obj;
    Cluster *c = w->cluster;
    const KbWorkloadSpec *s = w->spec;
    guint hour = (guint) (sim_engine_now (e) / SIM_HOUR % 24);

    (void) arg;
    /* Thinning (Lewis and Shedler): accept with rate(t) / peak rate. */
    if (!s->has_daily_profile
        || sim_rng_uniform (w->rng_thinning ? w->rng_thinning
                            : (w->rng_thinning = workload_rng (
                                   c, w, "arrivals-thinning")))
               < w->rate * s->daily_profile[hour] / peak_rate (w))
        create_pod (c, w, NULL);
    schedule_arrival (c, w);
}

static void
run_job_batch (Cluster *c, Workload *w)
{
    gint64 running = w->pods->len;
    gint64 want = MIN (w->spec->parallelism, w->completions_left);

    for (gint64 i = running; i < want; i++)
        create_pod (c, w, NULL);
}

/* ---- CronJobs ------------------------------------------------------------
 *
 * The CronJob controller as pkg/controller/cronjob/cronjob_controllerv2.go
 * (syncCronJob) and utils.go (mostRecentScheduleTime,
 * nextScheduleTimeDuration) have it. The CronJob is created at time 0;
 * each sync finds the most recent schedule time not yet run (after
 * status.lastScheduleTime, and within startingDeadlineSeconds when set)
 * and starts a Job for it, unless the policy says otherwise: Allow (the
 * default) runs Jobs side by side, Forbid starts none while one is active
 * (the slot then runs when that Job ends, if it is still the latest and
 * within the deadline), Replace deletes the active Jobs first. Only the
 * most recent missed time ever runs. A sync comes 100 ms after each
 * schedule time (nextScheduleDelta) and whenever one of its Jobs ends.
 * A suspended CronJob starts nothing. Each Job runs `completions` pods,
 * `parallelism` at a time, and fails after more than JOB_BACKOFF_LIMIT
 * failed pods (backoffLimit's default, 6).
 */

#define CRON_SYNC_DELTA  (100 * SIM_MSEC)
#define CRON_MANY_MISSED 100

typedef enum {
    MISSED_NONE,
    MISSED_FEW,
    MISSED_MANY
} Missed;

/* The first schedule time after t, or SIM_TIME_NEVER. The schedule works
 * in whole Unix seconds; time 0 is the scenario's start. */
static SimTime
cron_next (const Workload *w, SimTime t)
{
    gint64 start = w->cluster->s->start_unix, next;
    gint64 secs = t >= 0 ? t / SIM_SEC : -((-t + SIM_SEC - 1) / SIM_SEC);

    if (!cron_schedule_next (w->spec->cron, w->spec->tz, start + secs,
                             &next))
        return SIM_TIME_NEVER;
    return (next - start) * SIM_SEC;
}

/* utils.go, mostRecentScheduleTime: *recent is the latest schedule time
 * after *earliest and not after now (-1: none). FALSE when two schedule
 * times are less than a second apart or the schedule never fires. */
static gboolean
most_recent (const Workload *w, SimTime now, gboolean with_deadline,
             SimTime *earliest, SimTime *recent, Missed *missed)
{
    SimTime e = w->last_schedule >= 0 ? w->last_schedule : 0;
    SimTime t1, t2, deadline = w->spec->starting_deadline;
    gint64 interval, n;

    *recent = -1;
    *missed = MISSED_NONE;
    if (with_deadline && deadline >= 0 && now - deadline > e)
        e = now - deadline;
    *earliest = e;
    if ((t1 = cron_next (w, e)) == SIM_TIME_NEVER)
        return FALSE;
    if (now < t1)
        return TRUE;
    if ((t2 = cron_next (w, t1)) == SIM_TIME_NEVER)
        return FALSE;
    if (now < t2) {
        *recent = t1;
        return TRUE;
    }
    interval = (t2 - t1) / SIM_SEC;
    if (interval < 1)
        return FALSE;
    /* a rough count of the times missed, then a walk from two intervals
     * before the estimate (which is exact for @every) up to now */
    n = (now - t1) / SIM_SEC / interval + 1;
    for (SimTime t = cron_next (w, t1 + (n - 2) * interval * SIM_SEC);
         t <= now; t = cron_next (w, t))
        *recent = t;
    *missed = n > CRON_MANY_MISSED ? MISSED_MANY : MISSED_FEW;
    return TRUE;
}

/* utils.go, nextScheduleTimeDuration: the next sync, 100 ms after the
 * next schedule time. */
static void
cron_requeue (Cluster *c, Workload *w)
{
    SimTime now = sim_engine_now (c->engine), earliest, recent, next;
    Missed missed;

    if (!most_recent (w, now, FALSE, &earliest, &recent, &missed))
        recent = now;
    else if (recent < 0)
        recent = missed == MISSED_NONE ? earliest : now;
    sim_engine_cancel (c->engine, w->cron_timer);
    if ((next = cron_next (w, recent)) != SIM_TIME_NEVER)
        w->cron_timer = sim_engine_schedule (
            c->engine, sim_time_add (next, CRON_SYNC_DELTA), &cron_kind, w,
            0);
}

static void
cron_emit (Cluster *c, Workload *w, const char *type, const char *reason,
           const char *message)
{
    cluster__emit_in (c, w->spec->namespace, type, reason, "CronJob",
                      w->spec->name, "%s", message);
}

static void
job_run_batch (Cluster *c, JobRun *run)
{
    const KbWorkloadSpec *s = run->cronjob->spec;
    gint64 missing = MIN (s->parallelism, run->completions_left) - run->live;

    for (gint64 i = 0; i < missing; i++)
        if (make_pod (c, run->cronjob, NULL, run) == NULL)
            break;
}

/* Deletes the Job's pods that have not ended (the Job deleted, or
 * failed: the Job controller deletes its active pods). */
static void
job_delete_pods (Cluster *c, JobRun *run, const char *why)
{
    Workload *w = run->cronjob;

    for (guint i = w->pods->len; i-- > 0;) {
        Pod *p = g_ptr_array_index (w->pods, i);

        if (p->job == run) {
            run->live--;
            delete_pod (c, p, why);
        }
    }
}

static void cron_sync (Cluster *c, Workload *w);

static void
job_leave_active (Workload *w, JobRun *run)
{
    run->finished = TRUE;
    sim_engine_cancel (w->cluster->engine, run->retry);
    g_ptr_array_remove (w->active_jobs, run);
}

/* The Job ended: the Job controller's event, then the CronJob controller
 * sees it leave the active list (syncCronJob's SawCompletedJob) and syncs,
 * as the Job's update enqueues its CronJob. */
static void
job_finish (Cluster *c, JobRun *run, gboolean complete)
{
    Workload *w = run->cronjob;
    g_autofree char *msg = g_strdup_printf ("Saw completed job: %s, status: "
                                            "%s", run->name, complete
                                            ? "Complete" : "Failed");

    if (!complete)
        job_delete_pods (c, run, "its Job failed");
    job_leave_active (w, run);
    /* job_controller.go: "Completed", or the Failed condition's reason */
    cluster__emit_in (c, w->spec->namespace, complete ? "Normal" : "Warning",
                      complete ? "Completed" : "BackoffLimitExceeded", "Job",
                      run->name, "%s", complete ? "Job completed"
                      : "Job has reached the specified backoff limit");
    cron_emit (c, w, "Normal", "SawCompletedJob", msg);
    cron_sync (c, w);
}

/* A pod of a CronJob's Job ended (it had left the workload already). */
static void
job_pod_ended (Cluster *c, Pod *pod)
{
    JobRun *run = pod->job;
    const KbWorkloadSpec *s = run->cronjob->spec;

    run->live--;
    if (run->finished)
        return;
    if (pod->phase == POD_SUCCEEDED) {
        if (--run->completions_left <= 0 && run->live <= 0)
            job_finish (c, run, TRUE);
        else
            job_run_batch (c, run);
        return;
    }
    if (++run->failures > JOB_BACKOFF_LIMIT) {
        job_finish (c, run, FALSE);
        return;
    }
    /* the same back-off as a Job's replacements: 1 s doubling */
    if (run->live < MIN (s->parallelism, run->completions_left)
        && !sim_engine_is_pending (c->engine, run->retry))
        run->retry = sim_engine_schedule_in (
            c->engine, MIN (SIM_SEC << MIN (run->failures - 1, 10u),
                            REPLACE_BACKOFF_MAX), &job_retry_kind, run, 0);
}

static void
job_retry_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    JobRun *run = obj;

    (void) e;
    (void) arg;
    if (!run->finished)
        job_run_batch (run->cronjob->cluster, run);
}

/* A new Job of w for the schedule time `scheduled`. */
static void
job_create (Cluster *c, Workload *w, SimTime scheduled)
{
    JobRun *run = g_new0 (JobRun, 1);
    g_autofree char *msg = NULL;

    run->cronjob = w;
    /* getTimeHashInMinutes: the schedule time in Unix minutes */
    run->name = g_strdup_printf ("%s-%" G_GINT64_FORMAT, w->spec->name,
                                 (c->s->start_unix + scheduled / SIM_SEC)
                                     / 60);
    run->scheduled = scheduled;
    run->completions_left = w->spec->completions;
    g_ptr_array_add (c->controller->jobs, run);
    g_ptr_array_add (w->active_jobs, run);
    msg = g_strdup_printf ("Created job %s", run->name);
    cron_emit (c, w, "Normal", "SuccessfulCreate", msg);
    job_run_batch (c, run);
}

/* Replace: syncCronJob deletes each active Job before the new one. */
static void
job_delete (Cluster *c, Workload *w, JobRun *run)
{
    g_autofree char *msg = g_strdup_printf ("Deleted job %s", run->name);

    job_leave_active (w, run);
    job_delete_pods (c, run, "its Job was replaced (concurrencyPolicy: "
                     "Replace)");
    cron_emit (c, w, "Normal", "SuccessfulDelete", msg);
}

static gboolean
job_is_active (const Workload *w, SimTime scheduled)
{
    for (guint i = 0; i < w->active_jobs->len; i++)
        if (((JobRun *) g_ptr_array_index (w->active_jobs, i))->scheduled
            == scheduled)
            return TRUE;
    return FALSE;
}

/* syncCronJob from step 4 on (steps 1 to 3 have nothing to do here: the
 * active list is kept as Jobs end, and the time zone was checked when the
 * scenario was read). */
static void
cron_sync (Cluster *c, Workload *w)
{
    const KbWorkloadSpec *s = w->spec;
    SimTime now = sim_engine_now (c->engine), earliest, scheduled;
    Missed missed;

    if (s->suspend || s->cron == NULL)
        return;                 /* no Job and no requeue */
    if (!most_recent (w, now, TRUE, &earliest, &scheduled, &missed)) {
        g_autofree char *msg = g_strdup_printf (
            "invalid schedule: %s : time difference between two schedules "
            "is less than 1 second", s->schedule);

        cron_emit (c, w, "Warning", "InvalidSchedule", msg);
        return;
    }
    if (scheduled >= 0 && missed == MISSED_MANY)
        cron_emit (c, w, "Warning", "TooManyMissedTimes", "too many missed "
                   "start times. Set or decrease .spec.startingDeadlineSeconds "
                   "or check clock skew");
    /* (step 7, "too late", cannot happen: most_recent already kept to
     * the deadline) */
    if (scheduled < 0 || w->last_schedule == scheduled
        || job_is_active (w, scheduled)) {
        cron_requeue (c, w);
        return;
    }
    if (s->concurrency == KB_CONCURRENCY_FORBID && w->active_jobs->len > 0) {
        cron_emit (c, w, "Normal", "JobAlreadyActive", "Not starting job "
                   "because prior execution is running and concurrency "
                   "policy is Forbid");
        cron_requeue (c, w);
        return;
    }
    while (s->concurrency == KB_CONCURRENCY_REPLACE
           && w->active_jobs->len > 0)
        job_delete (c, w, g_ptr_array_index (w->active_jobs, 0));
    w->last_schedule = scheduled;
    job_create (c, w, scheduled);
    cron_requeue (c, w);
}

static void
cron_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    Workload *w = obj;

    (void) e;
    (void) arg;
    cron_sync (w->cluster, w);
}

/* ---- start and replacement ----------------------------------------------- */

static void
start_workload (Cluster *c, Workload *w)
{
    const KbWorkloadSpec *s = w->spec;

    switch (s->kind) {
    case KB_WORKLOAD_DAEMONSET:
        for (guint i = 0; i < c->nodes->len; i++)
            if (daemon_eligible (c, w, g_ptr_array_index (c->nodes, i)))
                create_pod (c, w, g_ptr_array_index (c->nodes, i));
        break;
    case KB_WORKLOAD_JOB:
        if (s->arrivals != KB_ARRIVALS_NONE) {
            schedule_arrival (c, w);
        } else {
            w->completions_left = s->completions;
            run_job_batch (c, w);
        }
        break;
    case KB_WORKLOAD_CRONJOB:
        cron_sync (c, w);       /* created at time 0 */
        break;
    case KB_WORKLOAD_POD:
        create_pod (c, w, NULL);
        break;
    default:
        w->desired = s->replicas;
        for (gint64 i = 0; i < w->desired; i++)
            create_pod (c, w, NULL);
        break;
    }
}

static void
job_run_free (gpointer p)
{
    JobRun *run = p;

    g_free (run->name);
    g_free (run);
}

Controller *
controller__new (Cluster *c)
{
    Controller *ctl = g_new0 (Controller, 1);

    ctl->templates = g_ptr_array_new_with_free_func (kb_pod_template_free);
    ctl->jobs = g_ptr_array_new_with_free_func (job_run_free);
    for (guint i = 0; i < c->s->workloads->len; i++) {
        Workload *w = g_new0 (Workload, 1);
        char *name0;

        w->cluster = c;
        w->index = i;
        w->spec = g_ptr_array_index (c->s->workloads, i);
        w->pods = g_ptr_array_new ();
        w->tmpl = w->spec->template;
        w->os = cluster__workload_os (c, w->tmpl);
        w->rate = w->spec->rate;
        w->last_schedule = -1;
        if (w->spec->kind == KB_WORKLOAD_CRONJOB)
            w->active_jobs = g_ptr_array_new ();
        name0 = g_strdup_printf ("%s-0", w->spec->name);
        w->reject_message = controller__rejection (c, w->tmpl, name0);
        w->api_rejected = w->reject_message != NULL;
        g_free (name0);
        g_ptr_array_add (c->workloads, w);
    }
    return ctl;
}

void
controller__free (Controller *ctl)
{
    if (ctl == NULL)
        return;
    g_ptr_array_unref (ctl->templates);
    g_ptr_array_unref (ctl->jobs);
    g_free (ctl);
}

void
controller__start_workloads (Cluster *c)
{
    for (guint i = 0; i < c->workloads->len; i++)
        start_workload (c, g_ptr_array_index (c->workloads, i));
}

static gboolean
is_replicated (const Workload *w)
{
    switch (w->spec->kind) {
    case KB_WORKLOAD_DEPLOYMENT:
    case KB_WORKLOAD_REPLICASET:
    case KB_WORKLOAD_STATEFULSET:
        return TRUE;
    default:
        return FALSE;
    }
}

static void
replace_handler (SimEngine *e, gpointer obj, gint64 arg)
{
    Workload *w = obj;
    Node *node = arg >= 0 ? g_ptr_array_index (w->cluster->nodes, arg)
                          : NULL;

    if (node && node->state == NODE_NOT_READY) {
        /* Back when the node is: try again then. */
        sim_engine_schedule_in (e, 30 * SIM_SEC, &replace_kind, w, arg);
        return;
    }
    if (node && !daemon_eligible (w->cluster, w, node))
        return;
    if (w->spec->kind != KB_WORKLOAD_DAEMONSET && node == NULL
        && is_replicated (w) && (gint64) w->pods->len >= w->desired)
        return;                 /* scaled down meanwhile */
    create_pod (w->cluster, w, node);
}

static void
replace_later (Cluster *c, Workload *w, Pod *pod)
{
    SimTime delay = MIN (SIM_SEC << MIN (w->failed_creates, 10u),
                         REPLACE_BACKOFF_MAX);

    w->failed_creates++;
    sim_engine_schedule_in (c->engine, delay, &replace_kind, w,
                            pod->daemon_node ? (gint64) pod->daemon_node->id
                                             : -1);
}

/* The pod leaves w's live pods, in O(1): the last live pod takes its
 * place. FALSE if it had left already. */
static gboolean
leave_workload (Workload *w, Pod *pod)
{
    Pod *last;

    if (pod->wl_index >= w->pods->len || w->pods->pdata[pod->wl_index] != pod)
        return FALSE;
    last = g_ptr_array_index (w->pods, w->pods->len - 1);
    w->pods->pdata[pod->wl_index] = last;
    last->wl_index = pod->wl_index;
    g_ptr_array_set_size (w->pods, w->pods->len - 1);
    return TRUE;
}

/* A controller deletes one of its pods (scale-down, a rollout's old
 * pod): the pod leaves the workload first, so its end asks for no
 * replacement. */
static void
delete_pod (Cluster *c, Pod *pod, const char *why)
{
    leave_workload (pod->workload, pod);
    kubelet__evict (c, pod, why);
}

/* The kubelet ended a pod: Succeeded, Failed or deleted. Replace it, or
 * run the next pods of a Job, or advance a rollout. */
static void
pod_ended (Cluster *c, Pod *pod)
{
    Workload *w = pod->workload;
    const KbWorkloadSpec *s = w->spec;

    if (!leave_workload (w, pod))
        return;                 /* deleted by its controller */
    if (w->rolling) {
        rollout_step (c, w);
        return;
    }
    switch (s->kind) {
    case KB_WORKLOAD_POD:
        break;
    case KB_WORKLOAD_CRONJOB:
        job_pod_ended (c, pod);
        break;
    case KB_WORKLOAD_JOB:
        if (s->arrivals != KB_ARRIVALS_NONE)
            break;
        if (pod->phase == POD_SUCCEEDED) {
            w->completions_left--;
            run_job_batch (c, w);
        } else if (w->failed_creates < JOB_BACKOFF_LIMIT
                   && (gint64) w->pods->len
                          < MIN (s->parallelism, w->completions_left)) {
            replace_later (c, w, pod);
        }
        break;
    default:
        replace_later (c, w, pod);
        break;
    }
}

/* ---- rollouts ------------------------------------------------------------ */

/* The template with its containers' image replaced: containers whose
 * image names the same repository move to the new tag; if none does, the
 * first container does. Everything else is shared with the old template
 * (reference-counted lists). */
static KbPodTemplate *
template_with_image (const KbPodTemplate *old, const char *image)
{
    KbPodTemplate *t = g_new0 (KbPodTemplate, 1);
    const char *colon = strrchr (image, ':');
    gsize repo_len = colon && !strchr (colon, '/') ? (gsize) (colon - image)
                                                    : strlen (image);
    gboolean any = FALSE;

    *t = *old;
    t->labels = g_ptr_array_ref (old->labels);
    t->node_selector = g_ptr_array_ref (old->node_selector);
    t->required_terms = g_ptr_array_ref (old->required_terms);
    t->preferred_terms = g_ptr_array_ref (old->preferred_terms);
    t->tolerations = g_ptr_array_ref (old->tolerations);
    t->init_containers = g_ptr_array_ref (old->init_containers);
    t->linux_only_fields = g_ptr_array_ref (old->linux_only_fields);
    t->windows_unsupported = g_ptr_array_ref (old->windows_unsupported);
    t->spread_constraints = g_ptr_array_ref (old->spread_constraints);
    t->runtime_class = g_strdup (old->runtime_class);
    t->node_name = g_strdup (old->node_name);
    t->priority_class = g_strdup (old->priority_class);
    t->scheduler_name = g_strdup (old->scheduler_name);
    t->containers = g_ptr_array_new_with_free_func (kb_container_free);
    for (guint i = 0; i < old->containers->len; i++) {
        const KbContainerSpec *oc = g_ptr_array_index (old->containers, i);
        KbContainerSpec *nc = g_new0 (KbContainerSpec, 1);
        gboolean same_repo = strncmp (oc->image, image, repo_len) == 0
                             && oc->image[repo_len] == ':';

        *nc = *oc;
        nc->name = g_strdup (oc->name);
        nc->host_ports = g_array_ref (oc->host_ports);
        nc->image = g_strdup (same_repo ? image : oc->image);
        any |= same_repo;
        g_ptr_array_add (t->containers, nc);
    }
    if (!any && t->containers->len > 0) {
        KbContainerSpec *first = g_ptr_array_index (t->containers, 0);

        g_free (first->image);
        first->image = g_strdup (image);
    }
    return t;
}

static gint64
count_new (const Workload *w)
{
    gint64 n = 0;

    for (guint i = 0; i < w->pods->len; i++)
        n += ((const Pod *) g_ptr_array_index (w->pods, i))->tmpl == w->tmpl;
    return n;
}

static gint64
count_running (const Workload *w, gboolean new_only)
{
    gint64 n = 0;

    for (guint i = 0; i < w->pods->len; i++) {
        const Pod *p = g_ptr_array_index (w->pods, i);

        n += p->phase == POD_RUNNING && (!new_only || p->tmpl == w->tmpl);
    }
    return n;
}

/* One step of the Deployment controller's rolling update: create new pods
 * (up to replicas of them) while the total stays within replicas +
 * maxSurge; delete old ones while the Running pods stay at least
 * replicas - maxUnavailable. */
static void
rollout_step (Cluster *c, Workload *w)
{
    gboolean progress = TRUE;

    while (progress) {
        gint64 total = w->pods->len, running = count_running (w, FALSE);
        Pod *old = NULL;

        progress = FALSE;
        for (guint i = 0; i < w->pods->len; i++) {
            Pod *p = g_ptr_array_index (w->pods, i);

            /* Prefer deleting old pods that are not Running. */
            if (p->tmpl != w->tmpl
                && (old == NULL || (old->phase == POD_RUNNING
                                    && p->phase != POD_RUNNING)))
                old = p;
        }
        if (old == NULL && total >= w->desired
            && count_running (w, TRUE) >= w->desired) {
            w->rolling = FALSE;
            cluster__emit_in (c, w->spec->namespace, "Normal",
                              "RolloutComplete", "Deployment", w->spec->name, "all %" G_GINT64_FORMAT " replicas "
                           "updated", w->desired);
            return;
        }
        if (total < w->desired + w->roll_surge && count_new (w) < w->desired) {
            if (create_pod (c, w, NULL))
                progress = TRUE;
            continue;
        }
        if (old && (old->phase != POD_RUNNING
                    || running - 1 >= w->desired - w->roll_unavailable)) {
            delete_pod (c, old, "replaced by a rollout");
            progress = TRUE;
        }
    }
}

void
controller__rollout (Cluster *c, Workload *w, const char *image,
                     gint64 max_surge, gint64 max_unavailable)
{
    KbPodTemplate *t;

    if (w->spec->kind != KB_WORKLOAD_DEPLOYMENT
        && w->spec->kind != KB_WORKLOAD_REPLICASET)
        return;
    t = template_with_image (w->tmpl, image);
    g_ptr_array_add (c->controller->templates, t);
    w->tmpl = t;
    /* Kubernetes refuses 0/0; the scenario's rolling bounds apply. */
    w->roll_surge = max_surge >= 0 ? max_surge : MAX (w->spec->max_surge, 0);
    w->roll_unavailable = max_unavailable >= 0
                          ? max_unavailable : MAX (w->spec->max_unavailable, 0);
    if (w->roll_surge == 0 && w->roll_unavailable == 0)
        w->roll_surge = 1;
    w->rolling = TRUE;
    cluster__emit_in (c, w->spec->namespace, "Normal", "ScalingReplicaSet",
                      "Deployment", w->spec->name, "Rolling out image %s (maxSurge %"
                   G_GINT64_FORMAT ", maxUnavailable %" G_GINT64_FORMAT ")",
                   image, w->roll_surge, w->roll_unavailable);
    rollout_step (c, w);
}

/* The kubelet started a pod: a rollout may go on. */
static void
pod_running (Cluster *c, Pod *pod)
{
    if (pod->workload->rolling)
        rollout_step (c, pod->workload);
}

const KubeletHooks controller__kubelet_hooks = {
    .pod_running = pod_running,
    .pod_ended = pod_ended,
};

void
controller__set_replicas (Cluster *c, Workload *w, gint64 n)
{
    if (!is_replicated (w))
        return;
    w->desired = n;
    /* Create exactly the missing pods: one may fail at once (a nodeName
     * pod refused by the kubelet) and leave the count short again. */
    for (gint64 k = w->pods->len; k < w->desired; k++)
        if (create_pod (c, w, NULL) == NULL)
            break;
    /* Scale-down deletes the newest pods first (the ReplicaSet prefers
     * pods that are not yet running; newest is a fair stand-in). */
    while ((gint64) w->pods->len > w->desired) {
        Pod *newest = NULL;

        for (guint i = 0; i < w->pods->len; i++) {
            Pod *p = g_ptr_array_index (w->pods, i);

            if (newest == NULL || p->id > newest->id)
                newest = p;
        }
        delete_pod (c, newest, "scaled down");  /* not replaced */
    }
}

void
controller__set_rate (Cluster *c, Workload *w, double rate)
{
    if (w->spec->arrivals == KB_ARRIVALS_NONE)
        return;
    w->rate = rate;
    /* Poisson arrivals are memoryless: redrawing the next one at the new
     * rate is exact. */
    sim_engine_cancel (c->engine, w->next_arrival);
    schedule_arrival (c, w);
}
