/* bench-exp.c: experiments at scale: 100 replications of the demo
 * scenario on 1 and on 2 threads (simulations per second and the
 * speed-up), and the capacity planner on the demo scenario with
 * --target placement=99.9%.
 *
 * KBSIM_BENCH_REPS changes the number of replications (default 100);
 * KBSIM_BENCH_PLAN=0 skips the planner. Never part of make test.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>
#include <gsl/gsl_errno.h>

#include "experiments/experiment.h"
#include "experiments/planner.h"

#ifndef KBSIM_DATADIR
#define KBSIM_DATADIR "scenarios"
#endif

static double
run_reps (const Scenario *s, guint reps, guint jobs)
{
    ExpOptions o = { 0 };
    gint64 t0 = g_get_monotonic_time ();
    ExpResult *r;
    double secs;

    o.replications = reps;
    o.jobs = jobs;
    r = experiment_run (s, &o);
    secs = (g_get_monotonic_time () - t0) / 1e6;
    if (!r->conserved) {
        fprintf (stderr, "conservation failed\n");
        exit (1);
    }
    exp_result_free (r);
    return secs;
}

int
main (void)
{
    const char *path = KBSIM_DATADIR "/demo.yaml";
    const char *env = g_getenv ("KBSIM_BENCH_REPS");
    guint reps = env ? (guint) atoi (env) : 100;
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = NULL;
    double t1, t2;

    gsl_set_error_handler_off ();
    if (reps < 2)
        reps = 2;
    s = scenario_load (path, NULL, &error);
    if (s == NULL) {
        fprintf (stderr, "%s\n", error->message);
        return 1;
    }
    printf ("replications of %s (7 simulated days each), %u of them, %u "
            "processors\n", path, reps, g_get_num_processors ());
    t1 = run_reps (s, reps, 1);
    printf ("  --jobs 1: %6.1f s, %5.2f simulations/s\n", t1, reps / t1);
    t2 = run_reps (s, reps, 2);
    printf ("  --jobs 2: %6.1f s, %5.2f simulations/s\n", t2, reps / t2);
    printf ("  speed-up 1 -> 2 jobs: %.2fx\n", t1 / t2);

    if (g_strcmp0 (g_getenv ("KBSIM_BENCH_PLAN"), "0") != 0) {
        g_autoptr (GPtrArray) targets = g_ptr_array_new_with_free_func (
            (GDestroyNotify) plan_target_free);
        g_autoptr (GPtrArray) vars = plan_vars_from (s, NULL, &error);
        PlanProblem p = { 0 };
        PlanResult *r;
        gint64 t0 = g_get_monotonic_time ();
        double secs;

        g_ptr_array_add (targets, plan_target_parse ("placement=99.9%",
                                                     NULL));
        p.scenario_path = path;
        p.targets = targets;
        p.vars = vars;
        p.budget = INFINITY;
        p.replications = 10;
        p.jobs = 0;
        r = planner_run (&p, &error);
        if (r == NULL) {
            fprintf (stderr, "%s\n", error->message);
            return 1;
        }
        secs = (g_get_monotonic_time () - t0) / 1e6;
        printf ("planner on %s, --target placement=99.9%%, 10 replications "
                "per configuration:\n  %u configurations, %u simulations "
                "in %.1f s (%.2f simulations/s); answer %.2f per 30 days, "
                "%s\n", path, r->points->len, r->simulations, secs,
                r->simulations / secs, r->best->cost,
                r->targets_met ? "targets met" : "targets out of reach");
        plan_result_free (r);
    }
    return 0;
}
