/* experiment.c: replications in parallel and their statistics. See
 * experiment.h.
 *
 * Threads share only read-only data: the scenarios (a Cluster never
 * writes to its Scenario) and the options. Each task writes its own row
 * of its result and, under the batch's mutex, counts itself done; the
 * calling thread waits on a condition for the count, waking every 200 ms
 * to report progress.
 */
#include "experiments/experiment.h"

#include <math.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "experiments/experiment-private.h"
#include "experiments/ranks.h"
#include "reports/chart.h"
#include "reports/runcharts.h"
#include "sim/suggest.h"

static const ExpMetricInfo metric_info[EXP_N_METRICS] = {
    [EXP_PLACEMENT] = { "placement", "placement success",
                        EXP_UNIT_SHARE, +1 },
    [EXP_PLACEMENT_LINUX] = { "placement_linux",
                              "placement success, Linux pods",
                              EXP_UNIT_SHARE, +1 },
    [EXP_PLACEMENT_WINDOWS] = { "placement_windows",
                                "placement success, Windows pods",
                                EXP_UNIT_SHARE, +1 },
    [EXP_TTR_MEAN] = { "mean_time_to_running", "mean time to Running",
                       EXP_UNIT_SECONDS, -1 },
    [EXP_TTR_P95] = { "p95_time_to_running", "p95 time to Running",
                      EXP_UNIT_SECONDS, -1 },
    [EXP_TTR_P95_LINUX] = { "p95_time_to_running_linux",
                            "p95 time to Running, Linux pods",
                            EXP_UNIT_SECONDS, -1 },
    [EXP_TTR_P95_WINDOWS] = { "p95_time_to_running_windows",
                              "p95 time to Running, Windows pods",
                              EXP_UNIT_SECONDS, -1 },
    [EXP_ARRIVED] = { "pods_arrived", "pods created", EXP_UNIT_PODS, 0 },
    [EXP_PENDING_END] = { "pods_pending_at_end", "pods Pending at the end",
                          EXP_UNIT_PODS, -1 },
    [EXP_FAILED] = { "pods_failed", "pods Failed", EXP_UNIT_PODS, -1 },
    [EXP_COST_30D] = { "cost_per_30_days", "cost per 30 days",
                       EXP_UNIT_USD, -1 },
    [EXP_COST_RUN] = { "cost_of_run", "cost of the run", EXP_UNIT_USD, -1 },
    [EXP_LICENCE_30D] = { "windows_licence_per_30_days",
                          "Windows licence per 30 days", EXP_UNIT_USD, -1 },
    [EXP_IDLE_SHARE] = { "idle_share", "idle share of node cost",
                         EXP_UNIT_SHARE, -1 },
    [EXP_PULL_BYTES_WINDOWS] = { "pull_bytes_windows",
                                 "image bytes pulled, Windows",
                                 EXP_UNIT_BYTES, -1 },
    [EXP_PULL_BYTES_LINUX] = { "pull_bytes_linux",
                               "image bytes pulled, Linux",
                               EXP_UNIT_BYTES, -1 },
};

const ExpMetricInfo *
exp_metric_info (ExpMetric m)
{
    g_return_val_if_fail (m < EXP_N_METRICS, NULL);
    return &metric_info[m];
}

gboolean
exp_metric_lookup (const char *key, ExpMetric *out)
{
    for (int m = 0; m < EXP_N_METRICS; m++)
        if (strcmp (metric_info[m].key, key) == 0) {
            *out = (ExpMetric) m;
            return TRUE;
        }
    return FALSE;
}

char *
exp_metric_keys (void)
{
    GString *s = g_string_new (NULL);

    for (int m = 0; m < EXP_N_METRICS; m++)
        g_string_append_printf (s, "%s%s", m ? ", " : "", metric_info[m].key);
    return g_string_free (s, FALSE);
}

char *
exp_metric_unknown (const char *key)
{
    const char *names[EXP_N_METRICS + 1];
    const char *close;
    g_autofree char *keys = exp_metric_keys ();

    for (int i = 0; i < EXP_N_METRICS; i++)
        names[i] = metric_info[i].key;
    names[EXP_N_METRICS] = NULL;
    close = suggest_closest (key, names);
    return g_strdup_printf ("no metric '%s'%s%s%s; metrics: %s", key,
                            close ? " (did you mean '" : "",
                            close ? close : "", close ? "'?)" : "", keys);
}

char *
exp_metric_format (ExpMetric m, double v)
{
    g_return_val_if_fail (m < EXP_N_METRICS, NULL);
    if (!isfinite (v))
        return g_strdup ("-");
    switch (metric_info[m].unit) {
    case EXP_UNIT_SHARE:
        return units_format_value (UNITS_VALUE_PERCENT, v, 0.0001);
    case EXP_UNIT_SECONDS:
        return units_format_value (UNITS_VALUE_TIME, v, v < 60 ? 0.1 : 1);
    case EXP_UNIT_USD:
        return units_format_value (UNITS_VALUE_USD, v, 0.01);
    case EXP_UNIT_BYTES:
        return units_format_value (UNITS_VALUE_BYTES, v, 0);
    case EXP_UNIT_PODS:
    default:
        return units_format_value (UNITS_VALUE_PLAIN, v,
                                   v == floor (v) || fabs (v) >= 1000
                                   ? 1 : 0.1);
    }
}

char *
exp_metric_format_near (ExpMetric m, double v, double near)
{
    double step = 0.0001;       /* exp_metric_format()'s for shares */

    if (metric_info[m].unit != EXP_UNIT_SHARE || !isfinite (v)
        || !isfinite (near))
        return exp_metric_format (m, v);
    for (;;) {
        char *a = units_format_value (UNITS_VALUE_PERCENT, v, step);
        g_autofree char *b = units_format_value (UNITS_VALUE_PERCENT, near,
                                                 step);

        if (strcmp (a, b) != 0 || v == near || step < 1e-9)
            return a;
        g_free (a);
        step /= 10;
    }
}

/* ---- statistics ---------------------------------------------------------- */

void
exp_stats_compute (const double *v, guint n, ExpStats *out)
{
    double sum = 0, ss = 0;
    guint k = 0;

    memset (out, 0, sizeof *out);
    out->min = INFINITY;
    out->max = -INFINITY;
    for (guint i = 0; i < n; i++) {
        if (!isfinite (v[i]))
            continue;
        k++;
        sum += v[i];
        out->min = MIN (out->min, v[i]);
        out->max = MAX (out->max, v[i]);
    }
    out->n = k;
    if (k == 0) {
        out->mean = out->sd = out->half = out->lo = out->hi = NAN;
        out->min = out->max = NAN;
        return;
    }
    out->mean = sum / k;
    for (guint i = 0; i < n; i++)
        if (isfinite (v[i]))
            ss += (v[i] - out->mean) * (v[i] - out->mean);
    if (k < 2) {
        out->sd = out->half = out->lo = out->hi = NAN;
        return;
    }
    out->sd = sqrt (ss / (k - 1));
    out->half = gsl_cdf_tdist_Pinv (0.975, k - 1) * out->sd / sqrt (k);
    out->lo = out->mean - out->half;
    out->hi = out->mean + out->half;
}

/* ---- one replication ------------------------------------------------------- */

void
exp_metrics_of_run (const RunSummary *s, const CostReport *cost,
                    double out[EXP_N_METRICS])
{
    gint64 placed = 0, eligible = 0, arrived = 0, pending = 0, failed = 0;

    for (int os = 0; os < KB_N_OS; os++) {
        placed += s->placed[os];
        eligible += s->eligible[os];
        arrived += s->arrived[os];
        pending += s->phase[os][POD_PENDING];
        failed += s->phase[os][POD_FAILED];
    }
    out[EXP_PLACEMENT] = eligible ? (double) placed / eligible : 1.0;
    out[EXP_PLACEMENT_LINUX] = run_summary_placement (s, KB_OS_LINUX);
    out[EXP_PLACEMENT_WINDOWS] = run_summary_placement (s, KB_OS_WINDOWS);
    out[EXP_TTR_MEAN] = s->ttr_mean_all;
    out[EXP_TTR_P95] = s->ttr_p95_all;
    out[EXP_TTR_P95_LINUX] = s->ttr_p95[KB_OS_LINUX];
    out[EXP_TTR_P95_WINDOWS] = s->ttr_p95[KB_OS_WINDOWS];
    out[EXP_ARRIVED] = arrived;
    out[EXP_PENDING_END] = pending;
    out[EXP_FAILED] = failed;
    out[EXP_COST_30D] = cost->per_30_days;
    out[EXP_COST_RUN] = cost->total;
    out[EXP_LICENCE_30D] = cost->total > 0
                           ? cost->windows_licence * cost->per_30_days
                             / cost->total
                           : 0;
    out[EXP_IDLE_SHARE] = cost->nodes > 0 ? cost->idle / cost->nodes : 0;
    out[EXP_PULL_BYTES_WINDOWS] = s->pull_bytes[KB_OS_WINDOWS];
    out[EXP_PULL_BYTES_LINUX] = s->pull_bytes[KB_OS_LINUX];
}

static void
record_samples (ExpResult *r, guint rep, const Metrics *m)
{
    const GArray *samples = metrics_samples (m);
    guint n = MIN (samples->len, r->n_samples);

    for (guint i = 0; i < n; i++) {
        const Sample *sm = &g_array_index (samples, Sample, i);

        for (int os = 0; os < KB_N_OS; os++) {
            gsize at = (gsize) rep * r->n_samples + i;

            r->waiting[os][at] = (double) (sm->v[os][POD_COL_UNSCHEDULED]
                                           + sm->v[os][POD_COL_CREATING]
                                           + sm->v[os][POD_COL_BACKOFF]);
            r->running[os][at] = (double) sm->v[os][POD_COL_RUNNING];
        }
    }
}

/* Placement success per creation-time bucket, as runcharts.c's placement
 * chart computes it. */
static void
record_placement (ExpResult *r, guint rep, Cluster *c)
{
    GPtrArray *pods = cluster_pods (c);
    SimTime end = sim_engine_now (cluster_engine (c));
    SimTime deadline = r->scenario->metrics.placement_deadline;
    SimTime bucket = runcharts_placement_bucket (r->scenario->duration);
    guint n = r->n_buckets;
    g_autofree double *placed = g_new0 (double, KB_N_OS * n);
    g_autofree double *total = g_new0 (double, KB_N_OS * n);

    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);
        guint b;

        if (p == NULL || p->created + deadline > end)
            continue;
        /* past the buckets kept (many replications of a long run) */
        if (p->created / bucket >= (SimTime) n)
            continue;
        b = (guint) (p->created / bucket);
        total[p->os * n + b]++;
        placed[p->os * n + b] += p->running >= 0
                                 && p->running - p->created <= deadline;
    }
    for (int os = 0; os < KB_N_OS; os++)
        for (guint b = 0; b < n; b++)
            r->placement[os][(gsize) rep * n + b] =
                total[os * n + b] > 0 ? placed[os * n + b] / total[os * n + b]
                                      : NAN;
}

/* The samples a run of s takes: one at each multiple of sample_every up
 * to the end, and the final one (metrics.c). Only the first n_samples of
 * a replication are kept, so a series always has the same length. */
/* At most this many series values per result (n replications times
 * n_samples, per OS): about 100 MB at most, whatever the run. */
#define MAX_SERIES_VALUES ((gsize) 1 << 22)

guint
exp__samples_for (const Scenario *s, guint replications)
{
    SimTime every = s->metrics.sample_every;
    gsize n;

    if (every <= 0)
        return 1;
    n = (gsize) MIN (s->duration / every + 1, 100000);
    /* long runs with many replications keep the first part of their
     * series only (the charts show the mean over replications) */
    return (guint) MAX (MIN (n, MAX_SERIES_VALUES / replications), 1);
}

guint
exp_default_jobs (void)
{
    return MAX (g_get_num_processors (), 1);
}

guint
exp__buckets_for (const Scenario *s, guint replications)
{
    SimTime bucket = runcharts_placement_bucket (s->duration);

    return (guint) MIN ((gsize) (s->duration / bucket + 1),
                        MAX_SERIES_VALUES / replications);
}

ExpResult *
exp__result_new (const Scenario *s, guint n, guint first, guint n_samples,
                 guint n_buckets)
{
    ExpResult *r = g_new0 (ExpResult, 1);
    SimTime every = s->metrics.sample_every;
    SimTime bucket = runcharts_placement_bucket (s->duration);

    r->scenario = s;
    r->n = n;
    r->first = first;
    r->conserved = TRUE;
    r->values = g_new0 (double, r->n * EXP_N_METRICS);
    r->n_samples = n_samples;
    r->sample_seconds = g_new0 (double, r->n_samples);
    for (guint k = 0; k < r->n_samples; k++)
        r->sample_seconds[k] = sim_time_to_seconds (
            MIN ((SimTime) k * every, s->duration));
    r->n_buckets = n_buckets;
    r->bucket_seconds = g_new (double, r->n_buckets);
    for (guint b = 0; b < r->n_buckets; b++)
        r->bucket_seconds[b] = sim_time_to_seconds (b * bucket);
    for (int os = 0; os < KB_N_OS; os++) {
        gsize len = (gsize) r->n * r->n_samples;
        gsize blen = (gsize) r->n * r->n_buckets;

        r->placement[os] = g_new (double, blen);
        for (gsize k = 0; k < blen; k++)
            r->placement[os][k] = NAN;
        r->waiting[os] = g_new (double, len);
        r->running[os] = g_new (double, len);
        for (gsize k = 0; k < len; k++)
            r->waiting[os][k] = r->running[os][k] = NAN;
    }
    return r;
}

/* ---- a batch ------------------------------------------------------------- */

/* A batch's tasks are its (scenario, replication) pairs in
 * replication-major order: with a batch of sweep points, every point
 * gets its first replications early, so progress is even. One counter
 * hands them out, to this process's threads and, through the calling
 * thread, to the other ranks alike, so a slow run never holds back a
 * queue of its own (dynamic assignment).
 *
 * The task that keeps its Run whole or feeds first_sink (replication
 * `first` of scenario 0, task 0) always runs here: the Run and the
 * sink's events cannot travel. */
typedef struct {
    GMutex lock;
    GCond cond;
    guint n;                    /* scenarios */
    guint total;                /* tasks */
    guint next;                 /* the next task to hand out */
    guint done;
    guint local_busy;           /* this process's loops still running */
    gboolean stop;              /* a rank failed: hand out no more */
    const ExpOptions *o;
    ExpResult **results;
} Batch;

/* The next task's scenario and row; FALSE when none is left. */
static gboolean
take_task (Batch *b, guint *scenario, guint *rep)
{
    gboolean ok;

    g_mutex_lock (&b->lock);
    ok = !b->stop && b->next < b->total;
    if (ok) {
        *scenario = b->next % b->n;
        *rep = b->next / b->n;
        b->next++;
    }
    g_mutex_unlock (&b->lock);
    return ok;
}

static void
count_done (Batch *b, guint k)
{
    g_mutex_lock (&b->lock);
    b->done += k;
    g_cond_signal (&b->cond);
    g_mutex_unlock (&b->lock);
}

gboolean
exp__replicate (ExpResult *r, guint rep, ClusterEventFunc sink,
                gpointer sink_data, Run **keep)
{
    Run *run = run_new (r->scenario, r->first + rep, RUN_FLAGS_NONE);
    gboolean conserved;

    if (sink != NULL)
        run_set_event_sink (run, sink, sink_data);
    run_execute (run);
    exp_metrics_of_run (run_summary (run), run_cost (run),
                        r->values + (gsize) rep * EXP_N_METRICS);
    record_samples (r, rep, run_metrics (run));
    record_placement (r, rep, run_cluster (run));
    conserved = run_summary (run)->conserved;
    if (keep != NULL)
        *keep = g_steal_pointer (&run);
    run_free (run);
    return conserved;
}

static void
run_one (Batch *b, guint scenario, guint rep)
{
    ExpResult *r = b->results[scenario];
    gboolean first = rep == 0 && scenario == 0;
    Run *kept = NULL;
    gboolean conserved;

    conserved = exp__replicate (
        r, rep, first ? b->o->first_sink : NULL, b->o->first_sink_data,
        first && b->o->keep_first ? &kept : NULL);
    g_mutex_lock (&b->lock);
    if (!conserved)
        r->conserved = FALSE;
    if (kept != NULL)
        r->run = kept;
    g_mutex_unlock (&b->lock);
    count_done (b, 1);
}

/* A pool thread's loop: task 0 first when it is reserved for this
 * process (data RUN_RESERVED, else RUN_LOOP: a pool takes no NULL), then
 * whatever the counter hands out. */
enum { RUN_LOOP = 1, RUN_RESERVED };

static void
run_local (gpointer data, gpointer user_data)
{
    Batch *b = user_data;
    guint scenario, rep;

    if (GPOINTER_TO_UINT (data) == RUN_RESERVED)
        run_one (b, 0, 0);
    while (take_task (b, &scenario, &rep))
        run_one (b, scenario, rep);
    g_mutex_lock (&b->lock);
    b->local_busy--;
    g_cond_signal (&b->cond);
    g_mutex_unlock (&b->lock);
}

/* Waits until this process's loops and the other ranks' tasks are done,
 * serving the ranks and reporting progress from this thread every
 * 200 ms. Returns the first rank's error, if any ((transfer full)). */
static char *
wait_for_batch (Batch *b, ExpRanksBatch *rb, gint64 t0)
{
    const ExpOptions *o = b->o;
    gint64 shown = t0;
    char *error = NULL;

    for (;;) {
        gint64 now = g_get_monotonic_time ();
        /* with ranks to serve, look at them every millisecond (a blocking
         * receive would spin on a core: exp__ranks_serve_batch()) */
        gint64 until = now + (rb ? 1 : 200) * G_TIME_SPAN_MILLISECOND;
        gboolean idle;

        if (rb != NULL && exp__ranks_serve_batch (rb, &error)) {
            g_mutex_lock (&b->lock);
            b->stop = TRUE;
            g_mutex_unlock (&b->lock);
        }
        g_mutex_lock (&b->lock);
        idle = b->local_busy == 0
               && (rb == NULL || exp__ranks_in_flight (rb) == 0);
        if (!idle)
            g_cond_wait_until (&b->cond, &b->lock, until);
        g_mutex_unlock (&b->lock);
        if (o->progress
            && (idle || g_get_monotonic_time () - shown
                        >= 200 * G_TIME_SPAN_MILLISECOND)) {
            guint done;

            g_mutex_lock (&b->lock);
            done = b->done;
            g_mutex_unlock (&b->lock);
            shown = g_get_monotonic_time ();
            o->progress (done, b->total, (shown - t0) / 1e6,
                         o->progress_data);
        }
        if (idle)
            return error;
    }
}

/* The other ranks' share: hands them tasks from the batch's counter.
 * exp__ranks_serve_batch() calls it for each rank with room. */
static gboolean
take_remote (gpointer data, guint *scenario, guint *rep)
{
    return take_task (data, scenario, rep);
}

static void
remote_done (gpointer data, guint scenario, gboolean conserved)
{
    Batch *b = data;

    g_mutex_lock (&b->lock);
    if (!conserved)
        b->results[scenario]->conserved = FALSE;
    g_mutex_unlock (&b->lock);
    count_done (b, 1);
}

ExpResult **
experiment_run_batch (const Scenario *const *scenarios, guint n,
                      const ExpOptions *o)
{
    ExpResult **results = g_new0 (ExpResult *, n);
    guint jobs = o->jobs ? o->jobs : exp_default_jobs ();
    gint64 t0 = g_get_monotonic_time ();
    gboolean reserve = o->keep_first || o->first_sink != NULL;
    g_autofree char *error = NULL;
    ExpRanksBatch *rb = NULL;
    GThreadPool *pool;
    guint loops;
    Batch b = { .n = n, .o = o, .results = results };

    g_return_val_if_fail (o->replications >= 1, results);
    g_mutex_init (&b.lock);
    g_cond_init (&b.cond);
    b.total = n * o->replications;
    for (guint i = 0; i < n; i++)
        results[i] = exp__result_new (
            scenarios[i], o->replications, o->first,
            exp__samples_for (scenarios[i], o->replications),
            exp__buckets_for (scenarios[i], o->replications));
    b.next = reserve ? 1 : 0;
    loops = MIN (jobs, b.total);
    b.local_busy = loops;
    if (o->sources != NULL && n > 0)
        rb = exp__ranks_batch_new (o->sources, results, n, o->jobs,
                                   take_remote, remote_done, &b);
    pool = g_thread_pool_new (run_local, &b, (int) loops, FALSE, NULL);
    for (guint i = 0; i < loops; i++)
        g_thread_pool_push (pool, GUINT_TO_POINTER (i == 0 && reserve
                                                    ? RUN_RESERVED
                                                    : RUN_LOOP), NULL);
    error = wait_for_batch (&b, rb, t0);
    g_thread_pool_free (pool, FALSE, TRUE);
    exp__ranks_batch_free (rb);
    g_mutex_clear (&b.lock);
    g_cond_clear (&b.cond);
    if (error != NULL)
        exp_ranks_fail (error);
    return results;
}

ExpResult *
experiment_run (const Scenario *s, const ExpOptions *o)
{
    ExpResult **all = experiment_run_batch (&s, 1, o);
    ExpResult *r = all[0];

    g_free (all);
    return r;
}

void
exp_result_free (ExpResult *r)
{
    if (r == NULL)
        return;
    g_free (r->values);
    g_free (r->sample_seconds);
    for (int os = 0; os < KB_N_OS; os++) {
        g_free (r->waiting[os]);
        g_free (r->running[os]);
        g_free (r->placement[os]);
    }
    g_free (r->bucket_seconds);
    run_free (r->run);
    g_free (r);
}

void
exp_result_append (ExpResult *into, ExpResult *more)
{
    g_return_if_fail (more->first == into->first + into->n);
    into->values = g_renew (double, into->values,
                            (gsize) (into->n + more->n) * EXP_N_METRICS);
    memcpy (into->values + (gsize) into->n * EXP_N_METRICS, more->values,
            (gsize) more->n * EXP_N_METRICS * sizeof (double));
    into->n += more->n;
    into->conserved = into->conserved && more->conserved;
    g_clear_pointer (&into->sample_seconds, g_free);
    g_clear_pointer (&into->bucket_seconds, g_free);
    for (int os = 0; os < KB_N_OS; os++) {
        g_clear_pointer (&into->waiting[os], g_free);
        g_clear_pointer (&into->running[os], g_free);
        g_clear_pointer (&into->placement[os], g_free);
    }
    into->n_samples = into->n_buckets = 0;
    g_clear_pointer (&into->run, run_free);
    exp_result_free (more);
}

double
exp_result_value (const ExpResult *r, guint rep, ExpMetric m)
{
    g_return_val_if_fail (rep < r->n && m < EXP_N_METRICS, NAN);
    return r->values[rep * EXP_N_METRICS + m];
}

void
exp_result_stats (const ExpResult *r, ExpMetric m, ExpStats *out)
{
    g_autofree double *v = g_new (double, r->n);

    for (guint k = 0; k < r->n; k++)
        v[k] = exp_result_value (r, k, m);
    exp_stats_compute (v, r->n, out);
}
