/* test-cronjob.c: the CronJob controller: when Jobs start, and what each
 * concurrencyPolicy, startingDeadlineSeconds, suspend and timeZone do.
 *
 * Before this, kbsim kept only a schedule's period: "30 2 * * *" ran at
 * 1d 00:00 instead of 02:30 on day 0, and one Job ran at a time (Forbid's
 * behaviour, while Kubernetes defaults to Allow). Every expected time here
 * is worked out by hand from cronjob_controllerv2.go and utils.go: day 0
 * is 2024-01-01 (Unix 1704067200) unless `start` says otherwise; a sync
 * comes 100 ms after each schedule time; a Job is named after its
 * schedule time in Unix minutes. */
#include <string.h>

#include <glib.h>
#include <gsl/gsl_errno.h>

#include "models/cluster.h"
#include "models/run.h"
#include "tests/support/testutil.h"

#define HEAD \
    "name: cron\n" \
    "duration: %s\n" \
    "control_plane: {version: \"1.31\"}\n" \
    "node_pools:\n" \
    "  - {name: lin, os: linux, count: 2, instance: m5.xlarge}\n" \
    "workloads:\n" \
    "  - name: tick\n" \
    "    kind: CronJob\n" \
    "    template: {containers: [{name: a, image: nginx:1.27," \
    " resources: {requests: {cpu: 100m}}}]}\n"

typedef struct {
    Scenario *s;
    Run *run;
    Cluster *c;                 /* the run's */
    GPtrArray *events;          /* "reason kind/object" */
} CronCase;

static void
collect (const ClusterEvent *ev, gpointer data)
{
    CronCase *r = data;

    g_ptr_array_add (r->events, g_strdup_printf (
        "%.1f %s %s %s/%s %s", sim_time_to_seconds (ev->time), ev->namespace,
        ev->reason, ev->kind, ev->object, ev->message));
}

/* Runs HEAD (with duration `dur`) plus the CronJob's own keys `extra`
 * (four-space indented lines) and `top` (top-level keys). */
static void
run_cron (CronCase *r, const char *dur, const char *extra, const char *top)
{
    g_autofree char *head = g_strdup_printf (HEAD, dur);
    g_autofree char *yaml = g_strconcat (top, head, extra, NULL);

    r->s = testutil_load_text (yaml);
    r->run = run_new (r->s, 0, RUN_NO_SAMPLES);
    r->c = run_cluster (r->run);
    r->events = g_ptr_array_new_with_free_func (g_free);
    run_set_event_sink (r->run, collect, r);
    run_until (r->run, r->s->duration);
}

static void
run_clear (CronCase *r)
{
    run_free (r->run);
    scenario_free (r->s);
    g_ptr_array_unref (r->events);
}

static guint
count_events (const CronCase *r, const char *needle)
{
    guint n = 0;

    for (guint i = 0; i < r->events->len; i++)
        n += strstr (g_ptr_array_index (r->events, i), needle) != NULL;
    return n;
}

static const Pod *
pod_at (const CronCase *r, guint i)
{
    GPtrArray *pods = cluster_pods (r->c);

    g_assert_cmpuint (i, <, pods->len);
    return g_ptr_array_index (pods, i);
}

static void
test_first_run (void)
{
    CronCase r;
    const Pod *p;

    g_test_summary ("\"30 2 * * *\" first runs at 02:30 on day 0 (not 1d "
                    "00:00), its Job named for 2024-01-01T02:30Z");
    run_cron (&r, "1d", "    schedule: \"30 2 * * *\"\n    duration: 20m\n",
              "");
    g_assert_cmpuint (cluster_pods (r.c)->len, ==, 1);
    p = pod_at (&r, 0);
    /* 2:30 = 9000 s, + 100 ms; 1704076200 / 60 = 28401270 */
    g_assert_cmpint (p->created, ==, 9000 * SIM_SEC + 100 * SIM_MSEC);
    g_assert_cmpstr (p->name, ==, "tick-28401270-0");
    g_assert_cmpuint (count_events (&r, "9000.1 default SuccessfulCreate "
                                    "CronJob/tick Created job "
                                    "tick-28401270"), ==, 1);
    g_assert_cmpuint (count_events (&r, "SuccessfulCreate Job/tick-28401270 "
                                    "Created pod: tick-28401270-0"), ==, 1);
    g_assert_cmpuint (count_events (&r, "Completed Job/tick-28401270 Job "
                                    "completed"), ==, 1);
    g_assert_cmpuint (count_events (&r, "SawCompletedJob CronJob/tick Saw "
                                    "completed job: tick-28401270, status: "
                                    "Complete"), ==, 1);
    run_clear (&r);

    /* "30 * * * *": half past, from 00:30 */
    run_cron (&r, "2h", "    schedule: \"30 * * * *\"\n    duration: 5m\n",
              "");
    g_assert_cmpuint (cluster_pods (r.c)->len, ==, 2);
    g_assert_cmpint (pod_at (&r, 0)->created, ==,
                     1800 * SIM_SEC + 100 * SIM_MSEC);
    g_assert_cmpint (pod_at (&r, 1)->created, ==,
                     5400 * SIM_SEC + 100 * SIM_MSEC);
    run_clear (&r);
}

/* "*\/10 * * * *" for an hour, Jobs of 25 minutes: schedule times 600,
 * 1200, 1800, 2400 and 3000 s (the 3600 s sync at 3600.1 is past the
 * end). */
#define TEN "    schedule: \"*/10 * * * *\"\n    duration: 25m\n"

static void
test_allow (void)
{
    CronCase r;

    g_test_summary ("Allow (the default): a Job at every tick, three at "
                    "once when each runs 25 minutes and ticks are 10 apart");
    run_cron (&r, "1h", TEN, "");
    g_assert_cmpuint (cluster_pods (r.c)->len, ==, 5);
    for (guint i = 0; i < 5; i++)
        g_assert_cmpint (pod_at (&r, i)->created, ==,
                         (600 * (i + 1)) * SIM_SEC + 100 * SIM_MSEC);
    /* at 3000.1 s the Jobs of 1800, 2400 and 3000 run: 1800's ends about
     * 1800 + 1500 = 3300 s; 1200's ended about 2700 s */
    g_assert_cmpint (pod_at (&r, 2)->phase, ==, POD_SUCCEEDED);
    g_assert_cmpint (pod_at (&r, 3)->phase, ==, POD_RUNNING);
    g_assert_cmpint (pod_at (&r, 4)->phase, ==, POD_RUNNING);
    g_assert_cmpuint (count_events (&r, "JobAlreadyActive"), ==, 0);
    run_clear (&r);
}

static void
test_forbid (void)
{
    CronCase r;
    const Pod *a, *b;

    g_test_summary ("Forbid: ticks while a Job runs are skipped; when it "
                    "ends, the latest missed tick starts late (no deadline) "
                    "or the next tick waits (startingDeadlineSeconds 60)");
    run_cron (&r, "1h", TEN "    concurrency_policy: Forbid\n", "");
    /* 600 s: Job A, ends about 600 + 1500 = 2100 s. 1200.1 and 1800.1:
     * JobAlreadyActive. When A ends, the most recent missed time is 1800
     * (1200 is dropped): Job B starts then, named for 1800 s (Unix minute
     * 28401150), and runs past the end, so 2400.1 and 3000.1 are refused
     * too. */
    g_assert_cmpuint (cluster_pods (r.c)->len, ==, 2);
    a = pod_at (&r, 0);
    b = pod_at (&r, 1);
    g_assert_cmpstr (a->name, ==, "tick-28401130-0");
    g_assert_cmpstr (b->name, ==, "tick-28401150-0");
    g_assert_cmpint (b->created, ==, a->finished);
    g_assert_cmpint (a->finished, >, 2100 * SIM_SEC);
    g_assert_cmpint (a->finished, <, 2400 * SIM_SEC);
    g_assert_cmpuint (count_events (&r, "JobAlreadyActive CronJob/tick Not "
                                    "starting job because prior execution "
                                    "is running and concurrency policy is "
                                    "Forbid"), ==, 4);
    run_clear (&r);

    /* With startingDeadlineSeconds 60, A's end (about 2100 s) sees only
     * times after 2040 s: none is due, and 2400.1 starts Job B. */
    run_cron (&r, "1h", TEN "    concurrency_policy: Forbid\n"
              "    starting_deadline: 60s\n", "");
    g_assert_cmpuint (cluster_pods (r.c)->len, ==, 2);
    g_assert_cmpstr (pod_at (&r, 1)->name, ==, "tick-28401160-0");
    g_assert_cmpint (pod_at (&r, 1)->created, ==,
                     2400 * SIM_SEC + 100 * SIM_MSEC);
    /* refused at 1200.1, 1800.1 and 3000.1 */
    g_assert_cmpuint (count_events (&r, "JobAlreadyActive"), ==, 3);
    run_clear (&r);
}

static void
test_replace (void)
{
    CronCase r;

    g_test_summary ("Replace: each tick deletes the running Job (its pod "
                    "ends then) and starts a new one");
    run_cron (&r, "1h", TEN "    concurrency_policy: Replace\n", "");
    g_assert_cmpuint (cluster_pods (r.c)->len, ==, 5);
    for (guint i = 0; i < 4; i++) {
        const Pod *p = pod_at (&r, i), *next = pod_at (&r, i + 1);

        g_assert_cmpint (next->created, ==,
                         (600 * (i + 2)) * SIM_SEC + 100 * SIM_MSEC);
        g_assert_cmpint (p->finished, ==, next->created);
        g_assert_cmpint (p->phase, ==, POD_FAILED);
    }
    g_assert_cmpint (pod_at (&r, 4)->phase, ==, POD_RUNNING);
    g_assert_cmpuint (count_events (&r, "SuccessfulDelete CronJob/tick "
                                    "Deleted job tick-"), ==, 4);
    run_clear (&r);
}

static void
test_suspend_and_zones (void)
{
    CronCase r;

    g_test_summary ("suspend starts nothing; timeZone and start move the "
                    "first run: 02:30 in Amsterdam is 01:30 UTC in January "
                    "and 00:30 UTC in July; Sunday comes on day 6");
    run_cron (&r, "1d", "    schedule: \"*/10 * * * *\"\n    duration: 5m\n"
              "    suspend: true\n", "");
    g_assert_cmpuint (cluster_pods (r.c)->len, ==, 0);
    run_clear (&r);

    run_cron (&r, "1d", "    schedule: \"30 2 * * *\"\n    duration: 5m\n"
              "    time_zone: Europe/Amsterdam\n", "");
    g_assert_cmpint (pod_at (&r, 0)->created, ==,
                     5400 * SIM_SEC + 100 * SIM_MSEC);
    run_clear (&r);

    run_cron (&r, "1d", "    schedule: \"30 2 * * *\"\n    duration: 5m\n"
              "    time_zone: Europe/Amsterdam\n", "start: 2024-07-01\n");
    g_assert_cmpint (pod_at (&r, 0)->created, ==,
                     1800 * SIM_SEC + 100 * SIM_MSEC);
    run_clear (&r);

    /* 2024-01-01 is a Monday: "@weekly" (Sunday 00:00) is day 6 */
    run_cron (&r, "7d", "    schedule: \"@weekly\"\n    duration: 5m\n", "");
    g_assert_cmpuint (cluster_pods (r.c)->len, ==, 1);
    g_assert_cmpint (pod_at (&r, 0)->created, ==,
                     6 * SIM_DAY + 100 * SIM_MSEC);
    run_clear (&r);
}

int
main (int argc, char **argv)
{
    gsl_set_error_handler_off ();
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/cronjob/first-run", test_first_run);
    g_test_add_func ("/cronjob/allow", test_allow);
    g_test_add_func ("/cronjob/forbid", test_forbid);
    g_test_add_func ("/cronjob/replace", test_replace);
    g_test_add_func ("/cronjob/suspend-and-zones", test_suspend_and_zones);
    return g_test_run ();
}
