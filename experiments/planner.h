/* planner.h: the capacity planner: the cheapest node counts (and instance
 * types) that meet every target with 95% confidence.
 *
 * The decision variables are pools' node counts (node_pools.P.count) or,
 * for autoscaled pools, their ceilings (node_pools.P.autoscale.max), each
 * within bounds, and optionally a choice of instance type per pool. A
 * configuration is evaluated by running it through experiment_run() with
 * the same replications 0..R-1 (common random numbers), and meets a
 * target when the 95% confidence interval clears it: its lower bound for
 * "at least" targets (placement), its upper bound for "at most" ones
 * (time to Running).
 *
 * The search (planner.c has the details) does not assume that more nodes
 * never lower placement: it samples the whole box of the variables
 * first, drops hopeless configurations after a few replications, then
 * refines around the cheapest feasible points with moves in both
 * directions and exchanges between pools of the same OS, and checks the
 * answer with fresh replications R..2R-1, raising it a node at a time if
 * that check fails.
 *
 * When no configuration in the box meets a target, the planner says so: the
 * target is "missed" (never "met": a target is judged against the value
 * asked for, whatever the search aimed at), with the best value reached,
 * what stopped it (blockers), and the cheapest configuration that does
 * as well as the best one found (the search's goal relaxed to what that
 * reached).
 */
#ifndef KBSIM_PLANNER_H
#define KBSIM_PLANNER_H

#include <glib.h>

#include "experiments/experiment.h"

G_BEGIN_DECLS

#define KB_PLAN_ERROR (kb_plan_error_quark ())
GQuark kb_plan_error_quark (void);

typedef enum {
    KB_PLAN_ERROR_INVALID,      /* a target, bound or budget is malformed */
    KB_PLAN_ERROR_SCENARIO      /* a configuration did not load */
} KbPlanError;

typedef enum {
    PLAN_AT_LEAST,
    PLAN_AT_MOST
} PlanOp;

typedef struct {
    ExpMetric metric;
    PlanOp op;
    double value;
    char *text;                 /* as given: "placement=99.9%" */
} PlanTarget;

typedef enum {
    PLAN_VAR_COUNT,             /* node_pools.P.count */
    PLAN_VAR_AUTOSCALE_MAX      /* node_pools.P.autoscale.max */
} PlanVarKind;

typedef struct {
    char *pool;
    guint pool_index;
    KbOs os;
    PlanVarKind kind;
    gint64 lo, hi;              /* bounds, inclusive */
    gint64 base_count;          /* the pool's count as written */
    gint64 base_min;            /* its autoscale.min */
    GPtrArray *instances;       /* char *: the instance types to try, or
                                 * NULL to keep the pool's own */
} PlanVar;

/* Parses "KEY=VALUE", "KEY>=VALUE" or "KEY<=VALUE" (KEY a metric key;
 * "=" means >= for metrics where higher is better, <= otherwise).
 * (transfer full): plan_target_free(); NULL with KB_PLAN_ERROR_INVALID. */
PlanTarget *plan_target_parse (const char *text, GError **error);
void        plan_target_free (PlanTarget *t);

/* Parses "20000", "20000/month", "$20,000/month" (a month is 30 days). */
gboolean    plan_budget_parse (const char *text, double *out,
                               GError **error);

/* The variables: those --vary names ("node_pools.P.count=LO:HI",
 * "node_pools.P.autoscale.max=LO:HI", "node_pools.P.instance=A,B"), or,
 * when varies is empty, every pool with default bounds (counts 0 to
 * max(2 count, count + 4); ceilings autoscale.min to 2 autoscale.max).
 * (transfer full): an array of PlanVar, plan_var_free() on each. */
GPtrArray  *plan_vars_from (const Scenario *s, const char *const *varies,
                            GError **error);
void        plan_var_free (PlanVar *v);

#define PLAN_BOX_POINTS 32

/* Where the search stands. stage_total is 0 when the stage's length is
 * not known beforehand (the local search stops when no neighbour
 * improves). */
typedef struct {
    guint configurations;
    guint simulations;
    double elapsed;                 /* seconds since the search began */
    const char *stage;              /* "top", "box", "box-rest",
                                     * "refine", "verify", "explain" */
    guint stage_done;               /* configurations, or simulations in
                                     * the box stages */
    guint stage_total;
    double stage_elapsed;           /* seconds since the stage began */
} PlanProgress;

typedef void (*PlanProgressFunc) (const PlanProgress *at, gpointer data);

typedef struct {
    const char *scenario_path;
    const char *const *base_sets;   /* --set overrides, or NULL */
    GPtrArray *targets;             /* PlanTarget */
    GPtrArray *vars;                /* PlanVar */
    double budget;                  /* per 30 days; INFINITY: none */
    guint replications;
    guint jobs;
    guint box_points;               /* configurations sampled across the
                                     * whole box per instance combination;
                                     * 0: PLAN_BOX_POINTS */
    PlanProgressFunc progress;
    gpointer progress_data;
} PlanProblem;

typedef struct {
    gint64 *values;             /* per variable */
    guint *instance;            /* per variable: index into its
                                 * instances, 0 when it has none */
    char **sets;                /* the --set lines of this configuration */
    Scenario *scenario;
    ExpResult *result;
    double cost;                /* mean cost per 30 days */
    gboolean feasible;          /* meets the search's goals (the targets,
                                 * or lower when they are out of reach) */
    gboolean screened;          /* run on its first replications only and
                                 * dropped: even its interval's optimistic
                                 * end misses a goal */
    gint failed;                /* the first target missed, or -1 */
    guint order;                /* evaluation order, from 0 */
} PlanPoint;

typedef struct {
    GPtrArray *points;          /* PlanPoint: every configuration run */
    PlanPoint *best;            /* the recommendation (in points) */
    PlanPoint *top;             /* every variable at its upper bound */
    gboolean targets_met;       /* FALSE: even top misses a target */
    double *relaxed;            /* per target: the value searched for */
    gboolean within_budget;
    gboolean independent;       /* Windows and Linux searched apart */
    ExpResult *verify;          /* best, fresh replications */
    PlanPoint *verify_point;    /* what verify ran (best or raised) */
    gboolean verified;
    guint raised;               /* nodes added after verification */
    guint passes;               /* local-search moves made */
    guint simulations;
    double seconds;
    GPtrArray *explain;         /* char *: sentences on what binds */
    GPtrArray *blockers;        /* char *: what kept pods from running at
                                 * the upper bounds (the largest
                                 * configuration): workloads no pool can
                                 * run and refused templates first, which
                                 * no node count can fix, then the most
                                 * common failure reasons */
    gboolean unfixable;         /* the API server refused a template, or
                                 * no pool can run one: no configuration
                                 * can place every pod */
    guint unplaceable;          /* workloads no pool can run
                                 * (precheck.h) */
    GPtrArray *notes;           /* char *: how the search went */
} PlanResult;

/* (transfer full): plan_result_free(); NULL with error set when a
 * configuration does not load. */
PlanResult *planner_run (const PlanProblem *p, GError **error);
void        plan_result_free (PlanResult *r);

/* Whether the plan meets every target as asked (not as relaxed), on
 * the replications that judged it: the fresh ones when it was verified. */
gboolean    plan_result_met (const PlanProblem *p, const PlanResult *r);

/* Whether r meets target t with 95% confidence, and the bound used. */
gboolean    plan_target_met (const PlanTarget *t, double value,
                             const ExpResult *r, double *bound);

/* "win2022 count 5" for each variable of pt, comma separated.
 * (transfer full) */
char       *plan_point_describe (const PlanProblem *p, const PlanPoint *pt);

G_END_DECLS

#endif
