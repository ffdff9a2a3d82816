/* planner.c: the capacity planner. See planner.h.
 *
 * Search. A configuration is a value per variable (plus an instance
 * choice per variable that has several). Every configuration run is
 * memoised by its --set lines, so no point runs twice. Nothing here
 * assumes that more nodes never hurt: kbsim's own model breaks that (a
 * registry link shared by every node's pulls, cold pulls on new nodes).
 *
 *   1. Run `top`, every variable at its upper bound, and keep one
 *      replication whole: whether the two OS interact, and what stops
 *      pods there (blockers, refused templates first).
 *   2. Stage A, the box: a factorial design over every variable (both
 *      bounds, then levels added to the widest-spaced variable while the
 *      design stays within box_points configurations), or a Halton
 *      sample when even two levels each are too many; per instance
 *      combination (at most 16). Common random numbers throughout.
 *   3. Sequential testing: a configuration runs SCREEN_REPS replications
 *      first and is dropped when even the optimistic end of its 95%
 *      interval misses a goal; the rest run only for those that may meet.
 *   4. When no point of the box meets the targets, the goals become what
 *      the best point reached (its 95% bounds), and the targets are
 *      reported missed, never met.
 *   5. Stage B, local search from the cheapest feasible points: moves of
 *      one pool up or down by a step, and exchanges (one pool up, another
 *      of the same OS down), to the best neighbour that is feasible and
 *      cheaper; steps start at half the box's spacing and halve down to
 *      1, and the search stops when no neighbour at step 1 beats it.
 *      Moves that can only cost more (fixed counts whose node prices add
 *      up to more) are not run.
 *   6. Verify the answer with fresh replications; if a target is missed,
 *      add a node to the pool whose OS the missed target measures and
 *      verify again, up to 3 times. Pairs of points that differ in one
 *      pool where more nodes do worse (95% intervals apart) are noted.
 */
#include "experiments/planner.h"

#include <math.h>
#include <string.h>

#include "models/catalog.h"
#include "models/precheck.h"
#include "sim/units.h"

G_DEFINE_QUARK (kb-plan-error-quark, kb_plan_error)

#define MAX_COMBOS      16
#define MAX_RAISES      3
#define SCREEN_REPS     2       /* replications before a point may be
                                 * dropped as hopeless: with Student's t
                                 * at 1 degree of freedom (12.71) the 95%
                                 * interval is as valid as with more,
                                 * only wider, so only points far from
                                 * every goal go; two run side by side on
                                 * two cores */
#define MAX_STARTS      2       /* local searches per combination */
#define MAX_ROUNDS      64      /* moves per local search */

static const char *
os_word (KbOs os)
{
    return os == KB_OS_WINDOWS ? "Windows" : "Linux";
}

/* ---- targets, budget, variables --------------------------------------------- */

PlanTarget *
plan_target_parse (const char *text, GError **error)
{
    const char *eq = strchr (text, '=');
    g_autofree char *key = NULL;
    g_autofree char *keys = NULL;
    const char *value;
    PlanTarget *t;
    g_autoptr (GError) err = NULL;
    gboolean ok = FALSE;
    PlanOp op;
    ExpMetric m;
    gsize klen;

    if (eq == NULL || eq == text) {
        g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                     "--target '%s': expected METRIC=VALUE, e.g. "
                     "placement=99.9%% or p95_time_to_running=5m", text);
        return NULL;
    }
    klen = eq - text;
    value = eq + 1;
    if (eq[-1] == '>' || eq[-1] == '<')
        klen--;
    key = g_strndup (text, klen);
    if (!exp_metric_lookup (key, &m)) {
        keys = exp_metric_unknown (key);
        g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                     "--target '%s': %s", text, keys);
        return NULL;
    }
    op = exp_metric_info (m)->better >= 0 ? PLAN_AT_LEAST : PLAN_AT_MOST;
    if (eq[-1] == '>')
        op = PLAN_AT_LEAST;
    else if (eq[-1] == '<')
        op = PLAN_AT_MOST;
    t = g_new0 (PlanTarget, 1);
    t->metric = m;
    t->op = op;
    t->text = g_strdup (text);
    switch (exp_metric_info (m)->unit) {
    case EXP_UNIT_SHARE:
        ok = units_parse_fraction (value, &t->value, &err);
        break;
    case EXP_UNIT_SECONDS: {
        gint64 us;

        ok = units_parse_duration (value, &us, &err);
        t->value = us / 1e6;
        break;
    }
    case EXP_UNIT_USD:
        ok = units_parse_decimal (value, &t->value, &err);
        break;
    case EXP_UNIT_BYTES: {
        gint64 b;

        ok = units_parse_bytes (value, &b, &err);
        t->value = (double) b;
        break;
    }
    case EXP_UNIT_PODS:
    default: {
        char *end;

        t->value = g_ascii_strtod (value, &end);
        ok = end != value && *end == '\0' && isfinite (t->value);
        if (!ok)
            g_set_error (&err, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                         "expected a number, got '%s'", value);
        break;
    }
    }
    if (!ok) {
        g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                     "--target '%s': %s", text, err->message);
        plan_target_free (t);
        return NULL;
    }
    return t;
}

void
plan_target_free (PlanTarget *t)
{
    if (t == NULL)
        return;
    g_free (t->text);
    g_free (t);
}

gboolean
plan_budget_parse (const char *text, double *out, GError **error)
{
    static const char *const suffixes[] = { "/month", "/mo", "/30d", NULL };
    g_autofree char *copy = g_strstrip (g_strdup (text));
    g_autoptr (GError) err = NULL;

    char *w = copy;

    for (int i = 0; suffixes[i]; i++)
        if (g_str_has_suffix (copy, suffixes[i])) {
            copy[strlen (copy) - strlen (suffixes[i])] = '\0';
            break;
        }
    /* "$20,000": a currency sign and thousands separators are fine */
    for (const char *r = copy + (copy[0] == '$'); *r; r++)
        if (*r != ',')
            *w++ = *r;
    *w = '\0';
    if (!units_parse_decimal (copy, out, &err) || !(*out > 0)) {
        g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                     "--budget '%s': expected an amount per 30 days such as "
                     "20000/month%s%s", text, err ? ": " : "",
                     err ? err->message : "");
        return FALSE;
    }
    return TRUE;
}

void
plan_var_free (PlanVar *v)
{
    if (v == NULL)
        return;
    g_free (v->pool);
    if (v->instances)
        g_ptr_array_unref (v->instances);
    g_free (v);
}

static PlanVar *
var_for_pool (const KbPoolSpec *pool, guint index)
{
    PlanVar *v = g_new0 (PlanVar, 1);

    v->pool = g_strdup (pool->name);
    v->pool_index = index;
    v->os = pool->os;
    v->base_count = pool->count;
    v->base_min = pool->autoscale.enabled ? pool->autoscale.min : 0;
    if (pool->autoscale.enabled) {
        v->kind = PLAN_VAR_AUTOSCALE_MAX;
        v->lo = MAX (pool->autoscale.min, 1);
        v->hi = MAX (2 * pool->autoscale.max, v->lo);
    } else {
        v->kind = PLAN_VAR_COUNT;
        v->lo = 0;
        v->hi = MAX (2 * pool->count, pool->count + 4);
    }
    return v;
}

static PlanVar *
find_var (GPtrArray *vars, const char *pool)
{
    for (guint i = 0; i < vars->len; i++) {
        PlanVar *v = g_ptr_array_index (vars, i);

        if (strcmp (v->pool, pool) == 0)
            return v;
    }
    return NULL;
}

static gboolean
parse_bounds (const char *vary, const char *text, gint64 *lo, gint64 *hi,
              GError **error)
{
    g_auto (GStrv) parts = g_strsplit (text, ":", 3);
    guint64 a, b;

    if (g_strv_length (parts) != 2
        || !g_ascii_string_to_unsigned (parts[0], 10, 0, 100000, &a, NULL)
        || !g_ascii_string_to_unsigned (parts[1], 10, 0, 100000, &b, NULL)
        || a > b) {
        g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                     "--vary '%s': expected bounds LO:HI, whole numbers "
                     "with LO <= HI, e.g. 2:20", vary);
        return FALSE;
    }
    *lo = (gint64) a;
    *hi = (gint64) b;
    return TRUE;
}

/* The pool that path (node_pools.POOL.WHAT) names, its index and WHAT
 * (pointing into path), or NULL; of pools whose names fit, the last in
 * the scenario's order. */
static const KbPoolSpec *
vary_pool (const Scenario *s, const char *path, guint *index,
           const char **what)
{
    const KbPoolSpec *pool = NULL;

    if (path == NULL || !g_str_has_prefix (path, "node_pools."))
        return NULL;
    for (guint i = 0; i < s->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (s->pools, i);
        gsize n = strlen (p->name);

        if (strncmp (path + 11, p->name, n) == 0 && path[11 + n] == '.') {
            pool = p;
            *index = i;
            *what = path + 12 + n;
        }
    }
    return pool;
}

/* node_pools.POOL.instance=A,B: the instance types v tries. */
static gboolean
vary_instances (PlanVar *v, const char *vary, const char *list,
                GError **error)
{
    g_auto (GStrv) types = g_strsplit (list, ",", -1);

    if (v->instances)
        g_ptr_array_unref (v->instances);
    v->instances = g_ptr_array_new_with_free_func (g_free);
    for (guint i = 0; types[i]; i++) {
        g_strstrip (types[i]);
        if (catalog_instance_lookup (types[i]) == NULL) {
            g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                         "--vary '%s': '%s' is not an instance type of "
                         "the catalogue (see scenarios/KEYS.md)", vary,
                         types[i]);
            return FALSE;
        }
        if (types[i][0] != '\0')
            g_ptr_array_add (v->instances, g_strdup (types[i]));
    }
    if (v->instances->len == 0) {
        g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                     "--vary '%s': name at least one instance type", vary);
        return FALSE;
    }
    return TRUE;
}

/* One --vary: node_pools.POOL.(count|autoscale.max|instance)=... */
static gboolean
add_vary (const Scenario *s, GPtrArray *vars, const char *vary,
          GError **error)
{
    const char *eq = strchr (vary, '=');
    g_autofree char *path = eq ? g_strndup (vary, eq - vary) : NULL;
    const char *what = NULL;
    guint index = 0;
    const KbPoolSpec *pool = vary_pool (s, path, &index, &what);
    PlanVar *v;

    if (pool == NULL || !(strcmp (what, "count") == 0
                          || strcmp (what, "autoscale.max") == 0
                          || strcmp (what, "instance") == 0)) {
        g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                     "--vary '%s': the planner varies node_pools.POOL.count"
                     "=LO:HI, node_pools.POOL.autoscale.max=LO:HI or "
                     "node_pools.POOL.instance=TYPE,TYPE, with POOL one of "
                     "the scenario's pools", vary);
        return FALSE;
    }
    if (pool->from_node_list) {
        g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                     "--vary '%s': pool '%s' is one real node from a node "
                     "list; it cannot be resized", vary, pool->name);
        return FALSE;
    }
    v = find_var (vars, pool->name);
    if (v == NULL) {
        v = var_for_pool (pool, index);
        g_ptr_array_add (vars, v);
    }
    if (strcmp (what, "instance") == 0)
        return vary_instances (v, vary, eq + 1, error);
    if (strcmp (what, "autoscale.max") == 0 && !pool->autoscale.enabled) {
        g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                     "--vary '%s': pool '%s' does not autoscale; vary its "
                     "count", vary, pool->name);
        return FALSE;
    }
    v->kind = strcmp (what, "count") == 0 ? PLAN_VAR_COUNT
                                          : PLAN_VAR_AUTOSCALE_MAX;
    if (!parse_bounds (vary, eq + 1, &v->lo, &v->hi, error))
        return FALSE;
    if (v->kind == PLAN_VAR_AUTOSCALE_MAX && v->lo < 1) {
        g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                     "--vary '%s': an autoscaling ceiling must be at least "
                     "1", vary);
        return FALSE;
    }
    return TRUE;
}

GPtrArray *
plan_vars_from (const Scenario *s, const char *const *varies,
                GError **error)
{
    GPtrArray *vars = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                      plan_var_free);

    for (guint i = 0; varies && varies[i]; i++)
        if (!add_vary (s, vars, varies[i], error)) {
            g_ptr_array_unref (vars);
            return NULL;
        }
    if (vars->len == 0)
        for (guint i = 0; i < s->pools->len; i++) {
            const KbPoolSpec *p = g_ptr_array_index (s->pools, i);

            if (!p->from_node_list)
                g_ptr_array_add (vars, var_for_pool (p, i));
        }
    if (vars->len == 0) {
        g_set_error (error, KB_PLAN_ERROR, KB_PLAN_ERROR_INVALID,
                     "the scenario has no node pool the planner can resize");
        g_ptr_array_unref (vars);
        return NULL;
    }
    return vars;
}

/* ---- evaluating a configuration ------------------------------------------- */

gboolean
plan_target_met (const PlanTarget *t, double value, const ExpResult *r,
                 double *bound)
{
    ExpStats st;
    double b;

    exp_result_stats (r, t->metric, &st);
    if (st.n < r->n) {
        /* a replication where no pod ran has no time to Running: the
         * configuration cannot be said to meet a target on it */
        if (bound)
            *bound = NAN;
        return FALSE;
    }
    if (!isfinite (st.half))
        b = st.mean;
    else
        b = t->op == PLAN_AT_LEAST ? st.lo : st.hi;
    if (bound)
        *bound = b;
    /* a relative tolerance for the relaxed targets, which are a bound
     * computed from the same data */
    return t->op == PLAN_AT_LEAST ? b >= value - 1e-12 * fabs (value)
                                  : b <= value + 1e-12 * fabs (value);
}

typedef struct {
    const PlanProblem *p;
    PlanResult *r;
    GHashTable *memo;           /* joined sets -> PlanPoint */
    double *goal;               /* per target: the value to meet */
    gint64 t0;
    guint sims_before;
    const char *stage;          /* for the progress line */
    guint stage_done, stage_total;
    gboolean stage_sims;        /* the stage counts simulations */
    gint64 stage_t0;
    GError *error;
} Search;

static void
plan_point_free (PlanPoint *pt)
{
    if (pt == NULL)
        return;
    exp_result_free (pt->result);
    scenario_free (pt->scenario);
    g_strfreev (pt->sets);
    g_free (pt->values);
    g_free (pt->instance);
    g_free (pt);
}

static char **
point_sets (const PlanProblem *p, const gint64 *values, const guint *inst)
{
    GPtrArray *sets = g_ptr_array_new ();

    for (guint i = 0; p->base_sets && p->base_sets[i]; i++)
        g_ptr_array_add (sets, g_strdup (p->base_sets[i]));
    for (guint i = 0; i < p->vars->len; i++) {
        const PlanVar *v = g_ptr_array_index (p->vars, i);

        if (v->kind == PLAN_VAR_COUNT) {
            g_ptr_array_add (sets, g_strdup_printf (
                "node_pools.%s.count=%" G_GINT64_FORMAT, v->pool,
                values[i]));
        } else {
            g_ptr_array_add (sets, g_strdup_printf (
                "node_pools.%s.autoscale.max=%" G_GINT64_FORMAT, v->pool,
                values[i]));
            /* the loader wants min <= max; the count starts within */
            if (values[i] < v->base_min)
                g_ptr_array_add (sets, g_strdup_printf (
                    "node_pools.%s.autoscale.min=%" G_GINT64_FORMAT,
                    v->pool, values[i]));
            if (values[i] < v->base_count)
                g_ptr_array_add (sets, g_strdup_printf (
                    "node_pools.%s.count=%" G_GINT64_FORMAT, v->pool,
                    values[i]));
        }
        if (v->instances)
            g_ptr_array_add (sets, g_strdup_printf (
                "node_pools.%s.instance=%s", v->pool,
                (char *) g_ptr_array_index (v->instances, inst[i])));
    }
    g_ptr_array_add (sets, NULL);
    return (char **) g_ptr_array_free (sets, FALSE);
}

static void
report_progress (Search *x, guint configurations, guint done)
{
    gint64 now = g_get_monotonic_time ();
    PlanProgress at = { configurations, x->sims_before + done,
                        (now - x->t0) / 1e6, x->stage, x->stage_done,
                        x->stage_total, (now - x->stage_t0) / 1e6 };

    if (x->p->progress)
        x->p->progress (&at, x->p->progress_data);
}

static void
begin_stage (Search *x, const char *stage, guint total)
{
    x->stage = stage;
    x->stage_done = 0;
    x->stage_total = total;
    x->stage_sims = FALSE;
    x->stage_t0 = g_get_monotonic_time ();
    report_progress (x, x->r->points->len, 0);
}

static void
batch_progress (guint done, guint total, double elapsed, gpointer data)
{
    Search *x = data;

    (void) total;
    (void) elapsed;             /* the search's own clock counts */
    if (x->stage_sims)
        x->stage_done = done;
    report_progress (x, x->r->points->len, done);
}

/* Runs replications first..first+n-1 of a configuration, over every
 * MPI rank there is. (transfer full) */
static ExpResult *
run_config (Search *x, const PlanPoint *pt, guint first, guint n,
            gboolean keep)
{
    ExpSource src = { x->p->scenario_path,
                      (const char *const *) pt->sets };
    ExpOptions o = { 0 };
    ExpResult *res;

    o.replications = n;
    o.first = first;
    o.jobs = x->p->jobs;
    o.keep_first = keep;
    o.progress = batch_progress;
    o.progress_data = x;
    o.sources = &src;
    res = experiment_run (pt->scenario, &o);
    x->sims_before += o.replications;
    x->r->simulations += o.replications;
    return res;
}

/* Whether pt misses a goal even at the optimistic end of its 95%
 * interval (or has no value at all in its replications): a
 * configuration screened on SCREEN_REPS replications is dropped then,
 * as a sequential test would, without running the rest. */
static gboolean
hopeless (const Search *x, const PlanPoint *pt, gint *which)
{
    for (guint i = 0; i < x->p->targets->len; i++) {
        const PlanTarget *t = g_ptr_array_index (x->p->targets, i);
        double goal = x->goal[i], opt;
        ExpStats st;

        exp_result_stats (pt->result, t->metric, &st);
        *which = (gint) i;
        if (st.n == 0)
            return TRUE;
        if (st.n < pt->result->n)
            continue;
        opt = !isfinite (st.half) ? st.mean
              : t->op == PLAN_AT_LEAST ? st.hi : st.lo;
        if (t->op == PLAN_AT_LEAST ? opt < goal - 1e-12 * fabs (goal)
                                   : opt > goal + 1e-12 * fabs (goal))
            return TRUE;
    }
    return FALSE;
}

/* Judges pt against the goals: a screened point that is not hopeless
 * gets the rest of its replications first, so that every point called
 * feasible was judged on all of them. */
static void
judge (Search *x, PlanPoint *pt)
{
    ExpStats st;
    gint which = -1;

    if (pt->screened && !hopeless (x, pt, &which)) {
        exp_result_append (pt->result, run_config (
            x, pt, pt->result->n,
            x->p->replications - pt->result->n, FALSE));
        pt->screened = FALSE;
    }
    exp_result_stats (pt->result, EXP_COST_30D, &st);
    pt->cost = st.mean;
    pt->feasible = TRUE;
    pt->failed = -1;
    if (pt->screened) {
        pt->feasible = FALSE;
        pt->failed = which;
        return;
    }
    for (guint i = 0; i < x->p->targets->len; i++)
        if (!plan_target_met (g_ptr_array_index (x->p->targets, i),
                              x->goal[i], pt->result, NULL)) {
            pt->feasible = FALSE;
            pt->failed = (gint) i;
            break;
        }
}

/* A new point for values/inst, its scenario loaded but nothing run, or
 * NULL with x->error set when the configuration does not load. */
static PlanPoint *
point_new (Search *x, const gint64 *values, const guint *inst, char **sets)
{
    const PlanProblem *p = x->p;
    PlanPoint *pt = g_new0 (PlanPoint, 1);

    pt->sets = sets;
    pt->values = g_memdup2 (values, p->vars->len * sizeof (gint64));
    pt->instance = g_memdup2 (inst, p->vars->len * sizeof (guint));
    pt->scenario = scenario_load (p->scenario_path,
                                  (const char *const *) sets, &x->error);
    if (pt->scenario == NULL) {
        plan_point_free (pt);
        return NULL;
    }
    pt->screened = p->replications > SCREEN_REPS;
    return pt;
}

static void
point_add (Search *x, PlanPoint *pt, char *key)
{
    pt->order = x->r->points->len;
    g_ptr_array_add (x->r->points, pt);
    g_hash_table_insert (x->memo, key, pt);
}

/* The point for values/inst, run if new. NULL with x->error set when the
 * configuration does not load. (transfer none): owned by r->points. */
static PlanPoint *
evaluate (Search *x, const gint64 *values, const guint *inst)
{
    const PlanProblem *p = x->p;
    char **sets = point_sets (p, values, inst);
    g_autofree char *key = g_strjoinv ("\n", sets);
    PlanPoint *pt = g_hash_table_lookup (x->memo, key);

    if (pt != NULL) {
        g_strfreev (sets);
        return pt;
    }
    if ((pt = point_new (x, values, inst, sets)) == NULL)
        return NULL;
    pt->result = run_config (x, pt, 0, pt->screened
                             ? SCREEN_REPS : p->replications, FALSE);
    judge (x, pt);
    point_add (x, pt, g_steal_pointer (&key));
    report_progress (x, x->r->points->len, 0);
    return pt;
}

/* Runs replications first..first+n-1 of every scenario of pts in one
 * batch, so that the threads stay busy across configurations; each
 * replication's numbers are those it has alone. Returns the results in
 * pts' order. (transfer full): free the array, the results go to the
 * points. */
static ExpResult **
run_points (Search *x, GPtrArray *pts, guint first, guint n)
{
    g_autofree const Scenario **scen = g_new (const Scenario *, pts->len);
    g_autofree ExpSource *src = g_new (ExpSource, pts->len);
    ExpOptions o = { 0 };
    ExpResult **res;

    for (guint i = 0; i < pts->len; i++) {
        const PlanPoint *pt = g_ptr_array_index (pts, i);

        scen[i] = pt->scenario;
        src[i].path = x->p->scenario_path;
        src[i].sets = (const char *const *) pt->sets;
    }
    o.replications = n;
    o.first = first;
    o.jobs = x->p->jobs;
    o.progress = batch_progress;
    o.progress_data = x;
    o.sources = src;
    res = experiment_run_batch (scen, pts->len, &o);
    x->sims_before += n * pts->len;
    x->r->simulations += n * pts->len;
    return res;
}

/* evaluate() for n configurations at once (values: n rows of the
 * variables), as the same calls one after the other would leave them:
 * the new ones are screened together, then those not hopeless get the
 * rest of their replications together, and all are judged in order.
 * FALSE with x->error set on a load error. */
static gboolean
evaluate_many (Search *x, const gint64 *values, guint n, const guint *inst)
{
    const PlanProblem *p = x->p;
    guint nv = p->vars->len;
    g_autoptr (GPtrArray) fresh = g_ptr_array_new ();
    g_autoptr (GPtrArray) rest = g_ptr_array_new ();
    g_autofree ExpResult **first = NULL;
    g_autofree ExpResult **more = NULL;
    gboolean screened = p->replications > SCREEN_REPS;

    for (guint k = 0; k < n; k++) {
        char **sets = point_sets (p, values + (gsize) k * nv, inst);
        char *key = g_strjoinv ("\n", sets);
        PlanPoint *pt;

        if (g_hash_table_contains (x->memo, key)) {
            g_strfreev (sets);
            g_free (key);
            continue;
        }
        if ((pt = point_new (x, values + (gsize) k * nv, inst, sets))
            == NULL) {
            g_free (key);
            return FALSE;
        }
        /* in the memo now, so that a repeat in values is not run twice;
         * in r->points in the order evaluate() would have added them */
        point_add (x, pt, key);
        g_ptr_array_add (fresh, pt);
    }
    if (fresh->len == 0)
        return TRUE;
    begin_stage (x, x->stage, fresh->len * (screened ? SCREEN_REPS
                                                     : p->replications));
    x->stage_sims = TRUE;
    first = run_points (x, fresh, 0, screened ? SCREEN_REPS
                                              : p->replications);
    for (guint i = 0; i < fresh->len; i++) {
        PlanPoint *pt = g_ptr_array_index (fresh, i);
        gint which;

        pt->result = first[i];
        if (pt->screened && !hopeless (x, pt, &which))
            g_ptr_array_add (rest, pt);
    }
    if (rest->len > 0) {
        begin_stage (x, "box-rest",
                     rest->len * (p->replications - SCREEN_REPS));
        x->stage_sims = TRUE;
        more = run_points (x, rest, SCREEN_REPS,
                           p->replications - SCREEN_REPS);
        for (guint i = 0; i < rest->len; i++) {
            PlanPoint *pt = g_ptr_array_index (rest, i);

            exp_result_append (pt->result, more[i]);
            pt->screened = FALSE;
        }
    }
    for (guint i = 0; i < fresh->len; i++)
        judge (x, g_ptr_array_index (fresh, i));
    report_progress (x, x->r->points->len, 0);
    return TRUE;
}

/* ---- the search ---------------------------------------------------------------- */

static double
node_price (const Scenario *s, const PlanVar *v)
{
    const KbPoolSpec *pool = g_ptr_array_index (s->pools, v->pool_index);

    return (pool->price_per_hour + pool->windows_surcharge_per_hour)
           * pool->discount;
}

/* Whether every pool searched runs the same OS. */
static gboolean
one_os (const PlanProblem *p)
{
    for (guint i = 1; i < p->vars->len; i++)
        if (((PlanVar *) g_ptr_array_index (p->vars, i))->os
            != ((PlanVar *) g_ptr_array_index (p->vars, 0))->os)
            return FALSE;
    return TRUE;
}

/* Whether a target measures pods of both OS together. */
static gboolean
joint_target (const PlanProblem *p)
{
    for (guint i = 0; i < p->targets->len; i++) {
        const PlanTarget *t = g_ptr_array_index (p->targets, i);

        switch (t->metric) {
        case EXP_PLACEMENT_LINUX:
        case EXP_PLACEMENT_WINDOWS:
        case EXP_TTR_P95_LINUX:
        case EXP_TTR_P95_WINDOWS:
        case EXP_PULL_BYTES_LINUX:
        case EXP_PULL_BYTES_WINDOWS:
            break;
        default:
            return TRUE;
        }
    }
    return FALSE;
}

/* The registry host of a normalised image reference: what comes before
 * the first '/'. */
static char *
registry_host (const char *image)
{
    const char *slash = strchr (image, '/');

    return slash ? g_strndup (image, slash - image) : g_strdup (image);
}

/* Whether a pod of one OS was bound to a node of the other in the kept
 * replication, or a registry serves images of both OS. */
static gboolean
os_coupled (const Cluster *top, gboolean joint, GPtrArray *notes)
{
    GPtrArray *pods = cluster_pods (top);
    GPtrArray *wls = cluster_workloads (top);
    GHashTable *hosts = g_hash_table_new (g_str_hash, g_str_equal);
    gint64 misplaced = 0;
    const char *shared = NULL;

    for (guint i = 0; i < pods->len; i++) {
        const Pod *pod = g_ptr_array_index (pods, i);

        if (pod && pod->node && pod->node->os != pod->os
            && pod->os != KB_OS_UNKNOWN)
            misplaced++;
    }
    for (guint i = 0; i < wls->len && shared == NULL; i++) {
        const Workload *w = g_ptr_array_index (wls, i);

        for (guint j = 0; w->os != KB_OS_UNKNOWN
                          && j < w->spec->template->containers->len; j++) {
            const KbContainerSpec *ct = g_ptr_array_index (
                w->spec->template->containers, j);
            g_autofree char *host = registry_host (ct->image);
            gpointer seen = g_hash_table_lookup (hosts, host);
            KbOs os = w->os;

            if (seen && GPOINTER_TO_INT (seen) != (int) os + 1) {
                shared = g_intern_string (host);
                break;
            }
            g_hash_table_insert (hosts, (gpointer) g_intern_string (host),
                                 GINT_TO_POINTER ((int) os + 1));
        }
    }
    g_hash_table_unref (hosts);
    if (misplaced > 0)
        g_ptr_array_add (notes, g_strdup_printf (
            "Windows and Linux pools were searched jointly: %" G_GINT64_FORMAT
            " pod(s) were bound to a node of the other OS, so one OS's "
            "pools change what the other's pods see.", misplaced));
    else if (shared != NULL)
        g_ptr_array_add (notes, g_strdup_printf (
            "Windows and Linux pools were searched jointly: registry %s "
            "serves images of both, so their pulls share its bandwidth.",
            shared));
    else if (joint)
        g_ptr_array_add (notes, g_strdup (
            "Windows and Linux pools were searched jointly: no pod was bound "
            "to a node of the other OS and no registry serves both, but a "
            "target counts the pods of both OS, so their pools share its "
            "slack."));
    else
        g_ptr_array_add (notes, g_strdup (
            "Windows and Linux pools were searched separately: no pod was "
            "bound to a node of the other OS, no registry serves both and "
            "every target measures one OS, so one pass settles each."));
    return misplaced > 0 || shared != NULL || joint;
}

/* ---- stage A: the whole box ----------------------------------------------- */

static guint
box_points (const PlanProblem *p)
{
    return p->box_points ? p->box_points : PLAN_BOX_POINTS;
}

/* Levels per variable for a factorial design of at most box_points()
 * configurations: every variable starts at its two bounds (one level if
 * lo == hi), then the variable with the widest spacing gains a level
 * while the product stays within. FALSE when even two levels each are
 * too many (then the box is sampled by a Halton sequence instead). */
static gboolean
box_levels (const PlanProblem *p, guint *g)
{
    guint n = p->vars->len;
    double product = 1;

    for (guint i = 0; i < n; i++) {
        const PlanVar *v = g_ptr_array_index (p->vars, i);

        g[i] = v->hi > v->lo ? 2 : 1;
        product *= g[i];
    }
    if (product > box_points (p))
        return FALSE;
    for (;;) {
        gint wide = -1;
        double spacing = 1;

        for (guint i = 0; i < n; i++) {
            const PlanVar *v = g_ptr_array_index (p->vars, i);
            double sp = g[i] > 1 ? (double) (v->hi - v->lo) / (g[i] - 1) : 0;

            if (sp > spacing
                && product / g[i] * (g[i] + 1) <= box_points (p)) {
                spacing = sp;
                wide = (gint) i;
            }
        }
        if (wide < 0)
            return TRUE;
        product = product / g[wide] * (g[wide] + 1);
        g[wide]++;
    }
}

/* Level j of g between lo and hi, evenly, rounded. */
static gint64
level (const PlanVar *v, guint j, guint g)
{
    if (g <= 1)
        return v->hi;
    return v->lo + (gint64) llround ((double) j * (v->hi - v->lo) / (g - 1));
}

/* The radical inverse of j in base b: the Halton sequence's j-th term. */
static double
radical_inverse (guint j, guint b)
{
    double f = 1, r = 0;

    for (; j > 0; j /= b) {
        f /= b;
        r += f * (j % b);
    }
    return r;
}

/* Evaluates the sample of the box for one instance combination; *step
 * gets each variable's initial step for the local search (half the
 * sample's spacing, at least 1). FALSE on a load error. */
static gboolean
sample_box (Search *x, const guint *inst, gint64 *step)
{
    static const guint primes[] = { 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31,
                                    37, 41, 43, 47, 53, 59, 61, 67, 71 };
    const PlanProblem *p = x->p;
    guint n = p->vars->len, total = 1;
    g_autofree guint *g = g_new (guint, n);
    g_autofree gint64 *rows = NULL;
    gboolean grid = box_levels (p, g);

    for (guint i = 0; i < n; i++) {
        const PlanVar *v = g_ptr_array_index (p->vars, i);
        double per = grid ? g[i] : pow (box_points (p), 1.0 / n);

        step[i] = MAX (1, (gint64) ((v->hi - v->lo) / MAX (per - 1, 1) / 2));
        total *= grid ? g[i] : 1;
    }
    total = grid ? total : box_points (p);
    rows = g_new (gint64, (gsize) (total + 1) * n);
    for (guint k = 0; k < total; k++) {
        guint rest = k;
        gint64 *vals = rows + (gsize) k * n;

        for (guint i = 0; i < n; i++) {
            const PlanVar *v = g_ptr_array_index (p->vars, i);

            if (grid) {
                vals[i] = level (v, rest % g[i], g[i]);
                rest /= g[i];
            } else {
                /* k = 0 is the lower corner; the top was run already */
                double u = radical_inverse (
                    k, primes[i % G_N_ELEMENTS (primes)]);

                vals[i] = MIN (v->hi, v->lo + (gint64) floor (
                                   u * (double) (v->hi - v->lo + 1)));
            }
        }
    }
    for (guint i = 0; i < n; i++)
        rows[(gsize) total * n + i] =
            ((PlanVar *) g_ptr_array_index (p->vars, i))->hi;
    return evaluate_many (x, rows, total + 1, inst);
}

/* ---- stage B: local search ------------------------------------------------ */

/* Whether a beats b: feasible first, then cheaper (by more than
 * rounding), then, at the same cost, smaller (the sum of its n values):
 * an autoscaling ceiling the autoscaler never reaches costs nothing, and
 * the answer is the lowest one that does as well. */
static gboolean
beats (const PlanPoint *a, const PlanPoint *b, guint n)
{
    double tol = 1e-9 * fabs (b->cost);
    gint64 sa = 0, sb = 0;

    if (a->feasible != b->feasible)
        return a->feasible;
    if (a->cost < b->cost - tol || a->cost > b->cost + tol)
        return a->cost < b->cost;
    for (guint i = 0; i < n; i++) {
        sa += a->values[i];
        sb += b->values[i];
    }
    return sa < sb;
}

/* A move of the local search: d per variable, and what it saves in node
 * prices per hour at most (an autoscaled pool's ceiling counts as if
 * its nodes all ran, an upper bound on what a higher ceiling costs). */
typedef struct {
    gint64 *d;
    double delta;
    guint order;
} Move;

static void
move_clear (gpointer p)
{
    g_free (((Move *) p)->d);
}

static gint
move_cmp (gconstpointer a, gconstpointer b)
{
    const Move *x = a, *y = b;

    if (x->delta != y->delta)
        return x->delta < y->delta ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* Adds the move cur + d when it stays within the bounds and may save:
 * it lowers some pool and the node prices it adds do not exceed those
 * it removes. */
static void
add_move (const PlanProblem *p, const PlanPoint *cur, const gint64 *d,
          GArray *moves)
{
    Move m = { NULL, 0, moves->len };
    gboolean lowers = FALSE;

    for (guint i = 0; i < p->vars->len; i++) {
        const PlanVar *v = g_ptr_array_index (p->vars, i);
        gint64 to = cur->values[i] + d[i];

        if (d[i] == 0)
            continue;
        if (to < v->lo || to > v->hi)
            return;
        lowers = lowers || d[i] < 0;
        m.delta += (double) d[i] * node_price (cur->scenario, v);
    }
    if (!lowers || m.delta > 1e-12)
        return;
    m.d = g_memdup2 (d, p->vars->len * sizeof (gint64));
    g_array_append_val (moves, m);
}

/* The moves from cur at these steps: one pool down (or up, which never
 * saves alone), or one pool up and another of the same OS down (pools
 * that can stand in for each other), the biggest saving first. */
static GArray *
moves_from (const PlanProblem *p, const PlanPoint *cur, const gint64 *step)
{
    guint n = p->vars->len;
    GArray *moves = g_array_new (FALSE, FALSE, sizeof (Move));
    g_autofree gint64 *d = g_new0 (gint64, n);

    g_array_set_clear_func (moves, move_clear);
    for (guint i = 0; i < n; i++) {
        const PlanVar *vi = g_ptr_array_index (p->vars, i);

        d[i] = -step[i];
        add_move (p, cur, d, moves);
        d[i] = step[i];
        for (guint j = 0; j < n; j++) {
            const PlanVar *vj = g_ptr_array_index (p->vars, j);

            if (j == i || vj->os != vi->os)
                continue;
            for (gint64 k = 1; k <= step[j]; k *= 2) {
                d[j] = -k;
                add_move (p, cur, d, moves);
            }
            d[j] = 0;
        }
        d[i] = 0;
    }
    g_array_sort (moves, move_cmp);
    return moves;
}

/* From a feasible start, moves to the first neighbour (the biggest
 * saving first) that is feasible and cheaper, halving the steps when
 * none is, down to steps of 1. Returns the last point, or NULL on a load
 * error. */
static PlanPoint *
local_search (Search *x, PlanPoint *cur, const gint64 *step0)
{
    const PlanProblem *p = x->p;
    guint n = p->vars->len;
    g_autofree gint64 *step = g_memdup2 (step0, n * sizeof (gint64));
    g_autofree gint64 *vals = g_new (gint64, n);

    for (guint round = 0; round < MAX_ROUNDS; round++) {
        g_autoptr (GArray) moves = moves_from (p, cur, step);
        PlanPoint *next = NULL;
        gboolean ones = TRUE;

        for (guint k = 0; k < moves->len && next == NULL; k++) {
            const Move *m = &g_array_index (moves, Move, k);
            PlanPoint *pt;

            for (guint i = 0; i < n; i++)
                vals[i] = cur->values[i] + m->d[i];
            if ((pt = evaluate (x, vals, cur->instance)) == NULL)
                return NULL;
            if (beats (pt, cur, n))
                next = pt;
        }
        if (next) {
            cur = next;
            x->r->passes++;
            continue;
        }
        for (guint i = 0; i < n; i++) {
            ones = ones && step[i] == 1;
            step[i] = MAX (1, step[i] / 2);
        }
        if (ones)
            break;
    }
    return cur;
}

/* The points of combination inst that meet the goals, cheapest first. */
static GPtrArray *
feasible_of (const PlanResult *r, const guint *inst, guint n)
{
    GPtrArray *out = g_ptr_array_new ();

    for (guint k = 0; k < r->points->len; k++) {
        PlanPoint *pt = g_ptr_array_index (r->points, k);

        if (pt->feasible && memcmp (pt->instance, inst,
                                    n * sizeof (guint)) == 0)
            g_ptr_array_add (out, pt);
    }
    for (guint a = 1; a < out->len; a++)
        for (guint b = a; b > 0 && beats (out->pdata[b], out->pdata[b - 1], n);
             b--) {
            gpointer t = out->pdata[b];

            out->pdata[b] = out->pdata[b - 1];
            out->pdata[b - 1] = t;
        }
    return out;
}

/* Stage B for one combination: a local search from each of its
 * MAX_STARTS cheapest feasible points. Returns the best point found, or
 * the combination's top when none is feasible; NULL on a load error. */
static PlanPoint *
refine_combo (Search *x, const guint *inst, const gint64 *step)
{
    guint n = x->p->vars->len;
    g_autoptr (GPtrArray) starts = feasible_of (x->r, inst, n);
    PlanPoint *best = NULL;

    for (guint k = 0; k < starts->len && k < MAX_STARTS; k++) {
        PlanPoint *pt = local_search (x, starts->pdata[k], step);

        if (pt == NULL)
            return NULL;
        if (best == NULL || beats (pt, best, n))
            best = pt;
    }
    if (best == NULL) {
        g_autofree gint64 *vals = g_new (gint64, n);

        for (guint i = 0; i < n; i++)
            vals[i] = ((PlanVar *) g_ptr_array_index (x->p->vars, i))->hi;
        best = evaluate (x, vals, inst);
    }
    return best;
}

/* The instance choice of combination c, into inst. */
static void
combo_inst (const PlanProblem *p, guint c, guint *inst)
{
    for (guint i = 0; i < p->vars->len; i++) {
        const PlanVar *v = g_ptr_array_index (p->vars, i);

        inst[i] = 0;
        if (v->instances) {
            inst[i] = c % v->instances->len;
            c /= v->instances->len;
        }
    }
}

static guint
n_combos (const PlanProblem *p)
{
    guint combos = 1;

    for (guint i = 0; i < p->vars->len; i++) {
        const PlanVar *v = g_ptr_array_index (p->vars, i);

        if (v->instances)
            combos *= v->instances->len;
    }
    return MIN (combos, MAX_COMBOS);
}

/* Stage A for every combination; steps gets each one's initial steps
 * (combos x vars). FALSE on a load error. */
static gboolean
sample_all (Search *x, gint64 *steps)
{
    const PlanProblem *p = x->p;
    guint n = p->vars->len;
    g_autofree guint *inst = g_new0 (guint, n);

    for (guint c = 0; c < n_combos (p); c++) {
        combo_inst (p, c, inst);
        if (!sample_box (x, inst, steps + (gsize) c * n))
            return FALSE;
    }
    return TRUE;
}

/* Stage B for every combination: the best answer of all. */
static PlanPoint *
refine_all (Search *x, const gint64 *steps)
{
    const PlanProblem *p = x->p;
    guint n = p->vars->len;
    g_autofree guint *inst = g_new0 (guint, n);
    PlanPoint *best = NULL;

    for (guint c = 0; c < n_combos (p); c++) {
        PlanPoint *pt;

        combo_inst (p, c, inst);
        if ((pt = refine_combo (x, inst, steps + (gsize) c * n)) == NULL)
            return NULL;
        if (best == NULL || beats (pt, best, n))
            best = pt;
    }
    return best;
}

/* ---- responses that fall as a pool grows ----------------------------------- */

/* Whether image ref has a manifest for os (so nodes of os pull it). */
static gboolean
pulled_by (const Scenario *s, const char *ref, KbOs os)
{
    const KbImageSpec *im = scenario_find_image (s, ref);

    for (guint m = 0; im && m < im->manifests->len; m++)
        if (((const KbManifestSpec *) g_ptr_array_index (im->manifests,
                                                         m))->os == os)
            return TRUE;
    return FALSE;
}

/* The registries with an aggregate cap that serve images nodes of os
 * pull, with the cap: "acr (50.0 MB/s)". A registry without one links
 * each node on its own, so more nodes do not slow its pulls.
 * (transfer full) */
static char *
registries_of (const Scenario *s, KbOs os)
{
    GString *out = g_string_new (NULL);

    for (guint r = 0; r < s->registries->len; r++) {
        const KbRegistrySpec *rg = g_ptr_array_index (s->registries, r);
        gboolean used = FALSE;

        for (guint w = 0; w < s->workloads->len && !used; w++) {
            const KbWorkloadSpec *ws = g_ptr_array_index (s->workloads, w);

            for (guint c = 0; c < ws->template->containers->len; c++) {
                const KbContainerSpec *ct = g_ptr_array_index (
                    ws->template->containers, c);
                g_autofree char *host = registry_host (ct->image);

                if (strcmp (host, rg->host) == 0
                    && pulled_by (s, ct->image, os))
                    used = TRUE;
            }
        }
        if (used && rg->aggregate_bandwidth > 0) {
            g_autofree char *bw = units_format_bytes (
                (gint64) rg->aggregate_bandwidth);

            g_string_append_printf (out, "%s%s (%s/s)", out->len ? ", " : "",
                                    rg->name, bw);
        }
    }
    return g_string_free (out, FALSE);
}

/* Whether a and b differ in variable i only (same instances too). */
static gboolean
differ_in (const PlanProblem *p, const PlanPoint *a, const PlanPoint *b,
           guint i)
{
    for (guint j = 0; j < p->vars->len; j++)
        if (a->instance[j] != b->instance[j]
            || (j != i && a->values[j] != b->values[j]))
            return FALSE;
    return a->values[i] < b->values[i];
}

/* The optimistic and pessimistic ends of r's interval for t (the mean
 * when there is none); FALSE when a replication has no value. */
static gboolean
ends (const PlanTarget *t, const ExpResult *r, double *mean, double *good,
      double *bad)
{
    ExpStats st;
    gboolean fin;

    exp_result_stats (r, t->metric, &st);
    if (st.n < r->n || st.n == 0)
        return FALSE;
    fin = isfinite (st.half);
    *mean = st.mean;
    *good = !fin ? st.mean : t->op == PLAN_AT_LEAST ? st.hi : st.lo;
    *bad = !fin ? st.mean : t->op == PLAN_AT_LEAST ? st.lo : st.hi;
    return TRUE;
}

/* Notes that hi (more nodes of v than lo, all else equal) does worse on
 * a target with 95% confidence. TRUE when it did. */
static gboolean
note_fall (Search *x, const PlanVar *v, guint i, const PlanPoint *lo,
           const PlanPoint *hi)
{
    for (guint k = 0; k < x->p->targets->len; k++) {
        const PlanTarget *t = g_ptr_array_index (x->p->targets, k);
        double ma, ga, ba, mb, gb, bb;
        g_autofree char *fa = NULL;
        g_autofree char *fb = NULL;
        g_autofree char *regs = NULL;
        g_autofree char *via = NULL;

        if (!ends (t, lo->result, &ma, &ga, &ba)
            || !ends (t, hi->result, &mb, &gb, &bb)
            || !(t->op == PLAN_AT_LEAST ? gb < ba : gb > ba))
            continue;
        fa = exp_metric_format (t->metric, ma);
        fb = exp_metric_format (t->metric, mb);
        regs = registries_of (lo->scenario, v->os);
        via = regs[0] ? g_strdup_printf (" (the pulls of every %s node "
                                         "share %s, and new nodes pull "
                                         "cold)", os_word (v->os), regs)
                      : g_strdup ("");
        g_ptr_array_add (x->r->notes, g_strdup_printf (
            "%s gets worse as %s grows: %s at %" G_GINT64_FORMAT ", %s at %"
            G_GINT64_FORMAT " (other pools as they were, 95%% intervals "
            "apart). More nodes do worse here%s, so the planner sampled the "
            "whole box rather than assume more nodes never hurt.",
            exp_metric_info (t->metric)->label, v->pool, fa, lo->values[i],
            fb, hi->values[i], via));
        return TRUE;
    }
    return FALSE;
}

/* For each variable: two points that differ in it alone, where the one
 * with more nodes does worse on a target with 95% confidence (the
 * intervals apart). One note per variable. */
static void
note_falls (Search *x)
{
    const PlanProblem *p = x->p;
    const PlanResult *r = x->r;

    for (guint i = 0; i < p->vars->len; i++) {
        const PlanVar *v = g_ptr_array_index (p->vars, i);
        gboolean said = FALSE;

        for (guint a = 0; a < r->points->len && !said; a++)
            for (guint b = 0; b < r->points->len && !said; b++) {
                const PlanPoint *lo = g_ptr_array_index (r->points, a);
                const PlanPoint *hi = g_ptr_array_index (r->points, b);

                if (!lo->screened && !hi->screened
                    && differ_in (p, lo, hi, i))
                    said = note_fall (x, v, i, lo, hi);
            }
    }
}
/* ---- verification and the words ------------------------------------------- */

/* The variable to raise when target t is missed: one of the OS t
 * measures (any OS for overall metrics), the cheapest node first. */
static gint
raise_candidate (const PlanProblem *p, const PlanPoint *pt, gint t)
{
    const PlanTarget *tg = t >= 0 ? g_ptr_array_index (p->targets, t) : NULL;
    KbOs want = KB_OS_UNKNOWN;
    gint pick = -1;

    if (tg && (tg->metric == EXP_PLACEMENT_WINDOWS
               || tg->metric == EXP_TTR_P95_WINDOWS
               || tg->metric == EXP_PULL_BYTES_WINDOWS))
        want = KB_OS_WINDOWS;
    else if (tg && (tg->metric == EXP_PLACEMENT_LINUX
                    || tg->metric == EXP_TTR_P95_LINUX
                    || tg->metric == EXP_PULL_BYTES_LINUX))
        want = KB_OS_LINUX;
    for (guint i = 0; i < p->vars->len; i++) {
        const PlanVar *v = g_ptr_array_index (p->vars, i);

        if (pt->values[i] >= v->hi || (want != KB_OS_UNKNOWN
                                       && v->os != want))
            continue;
        if (pick < 0 || node_price (pt->scenario, v)
                        < node_price (pt->scenario,
                                      g_ptr_array_index (p->vars, pick)))
            pick = (gint) i;
    }
    return pick;
}

static gboolean
verify (Search *x, PlanResult *r)
{
    const PlanProblem *p = x->p;
    PlanPoint *pt = r->best;

    for (guint attempt = 0; attempt <= MAX_RAISES; attempt++) {
        PlanTarget *missed = NULL;
        gint which = -1, v;
        g_autofree gint64 *vals = NULL;

        exp_result_free (r->verify);
        r->verify = run_config (x, pt,
                                p->replications * (attempt + 1),
                                p->replications, TRUE);
        r->verify_point = pt;
        for (guint i = 0; i < p->targets->len; i++)
            if (!plan_target_met (g_ptr_array_index (p->targets, i),
                                  x->goal[i], r->verify, NULL)) {
                missed = g_ptr_array_index (p->targets, i);
                which = (gint) i;
                break;
            }
        if (missed == NULL) {
            r->verified = TRUE;
            r->best = pt;
            return TRUE;
        }
        v = raise_candidate (p, pt, which);
        if (v < 0 || attempt == MAX_RAISES) {
            /* the recommendation is what was checked last */
            r->best = pt;
            g_ptr_array_add (r->notes, g_strdup_printf (
                "Fresh replications missed %s %s; the recommendation is "
                "not confirmed.", missed->text, v < 0
                ? "and no pool can be raised within its bounds"
                : "after three nodes were added one at a time"));
            return TRUE;
        }
        vals = g_memdup2 (pt->values, p->vars->len * sizeof (gint64));
        vals[v]++;
        g_ptr_array_add (r->notes, g_strdup_printf (
            "Fresh replications %u-%u missed %s at %s %" G_GINT64_FORMAT
            "; raised to %" G_GINT64_FORMAT " and checked again.",
            p->replications * (attempt + 1),
            p->replications * (attempt + 2) - 1, missed->text,
            ((PlanVar *) g_ptr_array_index (p->vars, v))->pool,
            pt->values[v], vals[v]));
        if ((pt = evaluate (x, vals, pt->instance)) == NULL)
            return FALSE;
        r->raised++;
    }
    return TRUE;
}

/* What makes one replication of s miss the deadline for pods of os: no
 * node in time (requests), or a node in time but pulls and start-up
 * still running at the deadline. (transfer full) */
static char *
late_pods (const Scenario *s, KbOs os)
{
    g_autoptr (Run) one = run_new (s, 0, RUN_FLAGS_NONE);
    SimTime deadline = s->metrics.placement_deadline;
    GPtrArray *pods;
    gint64 unbound = 0, slow = 0;

    run_execute (one);
    pods = cluster_pods (run_cluster (one));
    for (guint k = 0; k < pods->len; k++) {
        const Pod *pod = g_ptr_array_index (pods, k);

        if (pod == NULL || pod->os != os
            || pod->created + deadline > run_summary (one)->end)
            continue;
        if (pod->running >= 0 && pod->running - pod->created <= deadline)
            continue;
        if (pod->scheduled < 0 || pod->scheduled - pod->created > deadline)
            unbound++;
        else
            slow++;
    }
    if (unbound == 0 && slow == 0)
        return g_strdup_printf ("by the interval, not by one run: the "
                                "replication examined had no late %s pods",
                                os_word (os));
    if (slow > unbound) {
        g_autoptr (GString) caps = g_string_new (NULL);
        const GPtrArray *regs = run_summary (one)->registries;

        /* a registry whose aggregate cap held its pulls back: more nodes
         * only share it further */
        for (guint i = 0; regs && i < regs->len; i++) {
            const SummaryRegistry *r = g_ptr_array_index (regs, i);

            if (summary_registry_is_bottleneck (r))
                g_string_append_printf (
                    caps, "%s%s (its aggregate cap held back %.0f%% of "
                    "their transfer time)", caps->len ? ", " : "",
                    r->name, 100 * summary_registry_bound_share (r));
        }
        return g_strdup_printf (
            "by image pulls and start-up, not by CPU: %" G_GINT64_FORMAT
            " of %" G_GINT64_FORMAT " late %s pods had a node in time but "
            "were still pulling or starting at the deadline%s%s%s", slow,
            slow + unbound, os_word (os),
            caps->len ? "; pulls waited on " : "", caps->str,
            caps->len ? ": a faster registry tier, per-node links or "
            "pre-pulled images help where nodes do not" : "");
    }
    return g_strdup_printf (
        "by CPU and memory requests: %" G_GINT64_FORMAT " of %"
        G_GINT64_FORMAT " late %s pods found no node in time "
        "(FailedScheduling)", unbound, slow + unbound, os_word (os));
}

/* The sentence on variable v, which at value n (the point below) misses
 * the target it first fails, and why. (transfer full) */
static char *
miss_sentence (const Search *x, const PlanVar *v, const PlanPoint *below,
               gint64 n, const char *why)
{
    const PlanTarget *t = g_ptr_array_index (x->p->targets, below->failed);
    double goal = x->goal[below->failed], bound;
    g_autofree char *got = NULL;
    g_autofree char *missing = NULL;

    plan_target_met (t, goal, below->result, &bound);
    if (goal != t->value) {
        g_autofree char *searched = exp_metric_format (t->metric, goal);

        got = exp_metric_format_near (t->metric, bound, goal);
        missing = g_strdup_printf ("the %s searched for", searched);
    } else {
        got = exp_metric_format_near (t->metric, bound, t->value);
        missing = g_strdup (t->text);
    }
    return g_strdup_printf (
        "%s (%s) is sized %s; with %" G_GINT64_FORMAT " %s, %s reaches "
        "only %s (95%% bound), missing %s.", v->pool, os_word (v->os), why,
        n, v->kind == PLAN_VAR_COUNT ? "nodes" : "as ceiling",
        exp_metric_info (t->metric)->label, got, missing);
}

/* Why a pool cannot go lower: run one node less and, when that misses a
 * target, sort the late pods of the pool's OS in one kept replication
 * into those that found no node in time and those bound in time but
 * still pulling or starting. */
static gboolean
explain_var (Search *x, PlanResult *r, guint i)
{
    const PlanProblem *p = x->p;
    const PlanVar *v = g_ptr_array_index (p->vars, i);
    const PlanPoint *best = r->best;
    g_autofree gint64 *vals = NULL;
    g_autofree char *why = NULL;
    PlanPoint *below;

    if (best->values[i] <= v->lo) {
        g_ptr_array_add (r->explain, g_strdup_printf (
            "%s is at its lower bound (%" G_GINT64_FORMAT "): the targets "
            "allow that few; --vary node_pools.%s.%s=LO:HI searches lower.",
            v->pool, v->lo, v->pool, v->kind == PLAN_VAR_COUNT
                                     ? "count" : "autoscale.max"));
        return TRUE;
    }
    vals = g_memdup2 (best->values, p->vars->len * sizeof (gint64));
    vals[i]--;
    if ((below = evaluate (x, vals, best->instance)) == NULL)
        return FALSE;
    if (below->feasible) {
        g_ptr_array_add (r->explain, g_strdup_printf (
            "%s: one node fewer also meets the targets on replications "
            "0-%u; it is kept for the fresh replications' sake.", v->pool,
            p->replications - 1));
        return TRUE;
    }
    why = late_pods (below->scenario, v->os);
    r->simulations++;
    g_ptr_array_add (r->explain, miss_sentence (x, v, below, vals[i], why));
    return TRUE;
}

/* The sentences on what kept pods from running in one run of the upper
 * bounds: each workload the API server refused (no node count fixes
 * it), then the most common other failure reasons. */
static void
find_blockers (PlanResult *r, const RunSummary *s)
{
    for (guint i = 0; i < s->workloads->len; i++) {
        const SummaryWorkload *w = g_ptr_array_index (s->workloads, i);

        if (!w->api_rejected)
            continue;
        r->unfixable = TRUE;
        g_ptr_array_add (r->blockers, g_strdup_printf (
            "%s (%s): the API server refuses its pods, so no node count "
            "can place them; %" G_GINT64_FORMAT " pod%s counted as not "
            "placed: %s. Fix the template.", w->name,
            w->os == KB_OS_WINDOWS ? "Windows" : "Linux", w->rejected,
            w->rejected == 1 ? "" : "s", w->reject_message));
    }
    for (guint i = 0, n = 0; i < s->reasons->len && n < 3; i++) {
        const SummaryReason *rs = g_ptr_array_index (s->reasons, i);

        if (strcmp (rs->reason, "FailedCreate") == 0)
            continue;           /* said above */
        n++;
        g_ptr_array_add (r->blockers, g_strdup_printf (
            "%" G_GINT64_FORMAT " %s pod%s hit %s at the upper bounds: %s",
            rs->count, rs->os == KB_OS_WINDOWS ? "Windows" : "Linux",
            rs->count == 1 ? "" : "s", rs->reason,
            rs->example ? rs->example : ""));
    }
    /* a registry whose aggregate cap held the pulls back: what binds is
     * the link, which more nodes only share further */
    for (guint i = 0; s->registries && i < s->registries->len; i++) {
        const SummaryRegistry *reg = g_ptr_array_index (s->registries, i);
        g_autofree char *cap = NULL;

        if (!summary_registry_is_bottleneck (reg))
            continue;
        cap = units_format_bytes ((gint64) reg->aggregate_bandwidth);
        g_ptr_array_add (r->blockers, g_strdup_printf (
            "Pulls from %s waited on its aggregate cap (%s/s) for %.0f%% of "
            "their transfer time at the upper bounds: more nodes share it "
            "further; a faster registry tier, per-node links or pre-pulled "
            "images would help.", reg->name, cap,
            100 * summary_registry_bound_share (reg)));
    }
}

gboolean
plan_result_met (const PlanProblem *p, const PlanResult *r)
{
    const ExpResult *judged = r->verify ? r->verify : r->best->result;

    if (!r->targets_met || !r->verified)
        return FALSE;
    for (guint i = 0; i < p->targets->len; i++) {
        const PlanTarget *t = g_ptr_array_index (p->targets, i);

        if (!plan_target_met (t, t->value, judged, NULL))
            return FALSE;
    }
    return TRUE;
}

/* Step 1: top, every variable at its upper bound, and one replication
 * of it kept whole to see whether the pools of the two OS interact
 * (*coupled). FALSE on a load error. */
/* The workloads no pool can run at the upper bounds of any instance
 * combination (precheck.h): named among the blockers before anything
 * else, as what no node count fixes. Their pods stay in every figure as
 * not placed; the search sizes the pools for the others. FALSE on a
 * load error. */
static gboolean
precheck (Search *x, const gint64 *vals)
{
    const PlanProblem *p = x->p;
    PlanResult *r = x->r;
    g_autofree guint *inst = g_new0 (guint, p->vars->len);
    g_autoptr (GPtrArray) found = NULL;

    for (guint k = 0; k < n_combos (p); k++) {
        g_auto (GStrv) sets = NULL;
        g_autoptr (GPtrArray) here = NULL;
        Scenario *s;
        Run *run;

        combo_inst (p, k, inst);
        sets = point_sets (p, vals, inst);
        s = scenario_load (p->scenario_path, (const char *const *) sets,
                           &x->error);
        if (s == NULL)
            return FALSE;
        run = run_new (s, 0, RUN_NO_SAMPLES);
        here = precheck_unplaceable (run_cluster (run));
        run_free (run);
        scenario_free (s);
        if (found == NULL) {
            found = g_steal_pointer (&here);
            continue;
        }
        /* unplaceable only if no combination places it */
        for (guint i = found->len; i > 0; i--) {
            const PrecheckFinding *f = g_ptr_array_index (found, i - 1);
            gboolean still = FALSE;

            for (guint j = 0; j < here->len; j++)
                still |= strcmp (((PrecheckFinding *) g_ptr_array_index (
                                     here, j))->workload, f->workload) == 0;
            if (!still)
                g_ptr_array_remove_index (found, i - 1);
        }
    }
    for (guint i = 0; found && i < found->len; i++) {
        const PrecheckFinding *f = g_ptr_array_index (found, i);

        r->unfixable = TRUE;
        r->unplaceable++;
        g_ptr_array_add (r->blockers, g_strdup_printf (
            "%s (%s): no pool can run its pods, so no node count places "
            "them; they count as not placed. %s. %s", f->workload,
            f->os == KB_OS_WINDOWS ? "Windows" : "Linux", f->why, f->fix));
    }
    if (r->unplaceable > 0)
        g_ptr_array_add (r->notes, g_strdup_printf (
            "%u workload%s no pool can run (see what stops the pods) %s "
            "sized for: the search sizes the pools for the others, and "
            "every figure counts %s pods as not placed.", r->unplaceable,
            r->unplaceable == 1 ? "" : "s",
            r->unplaceable == 1 ? "is not" : "are not",
            r->unplaceable == 1 ? "its" : "their"));
    return TRUE;
}

static gboolean
run_top (Search *x, gboolean *coupled)
{
    const PlanProblem *p = x->p;
    PlanResult *r = x->r;
    guint n = p->vars->len;
    g_autofree gint64 *vals = g_new (gint64, n);
    g_autofree guint *inst = g_new0 (guint, n);
    g_autoptr (Run) kept = NULL;

    for (guint i = 0; i < n; i++)
        vals[i] = ((PlanVar *) g_ptr_array_index (p->vars, i))->hi;
    if (!precheck (x, vals))
        return FALSE;
    if ((r->top = evaluate (x, vals, inst)) == NULL)
        return FALSE;
    kept = run_new (r->top->scenario, 0, RUN_FLAGS_NONE);
    run_execute (kept);
    r->simulations++;
    find_blockers (r, run_summary (kept));
    if (one_os (p))
        *coupled = p->vars->len > 1 && joint_target (p);
    else
        *coupled = os_coupled (run_cluster (kept), joint_target (p),
                               r->notes);
    return TRUE;
}

/* Gives pt the rest of its replications if it was screened. */
static void
complete (Search *x, PlanPoint *pt)
{
    if (!pt->screened)
        return;
    exp_result_append (pt->result, run_config (
        x, pt, pt->result->n, x->p->replications - pt->result->n,
        FALSE));
    pt->screened = FALSE;
    judge (x, pt);
}

/* How far a point's 95% bound on target t gets towards goal, as a number
 * where more is better, capped at the goal: -INFINITY without a value. */
static double
progress_to (const PlanTarget *t, double goal, const PlanPoint *pt)
{
    double bound;

    plan_target_met (t, goal, pt->result, &bound);
    if (!isfinite (bound))
        return -INFINITY;
    return t->op == PLAN_AT_LEAST ? MIN (bound, goal) : -MAX (bound, goal);
}

/* The point that gets furthest towards the targets, taken in the order
 * given (the first target decides, then the next), then the cheaper:
 * with non-monotone responses that need not be the top. */
static PlanPoint *
reference_point (Search *x)
{
    const PlanProblem *p = x->p;
    PlanPoint *ref = x->r->top;

    for (guint k = 0; k < x->r->points->len; k++) {
        PlanPoint *pt = g_ptr_array_index (x->r->points, k);
        gint cmp = 0;

        if (pt->screened)
            continue;
        for (guint i = 0; i < p->targets->len && cmp == 0; i++) {
            const PlanTarget *t = g_ptr_array_index (p->targets, i);
            double a = progress_to (t, t->value, pt);
            double b = progress_to (t, t->value, ref);

            cmp = a > b ? 1 : a < b ? -1 : 0;
        }
        if (cmp > 0 || (cmp == 0 && pt->cost < ref->cost))
            ref = pt;
    }
    return ref;
}

/* When no point of the box meets the targets: the goals become what the
 * reference point reached (its 95% bound), with a note where the mean
 * alone would have met a target, and every point is judged again. */
static void
relax_targets (Search *x)
{
    const PlanProblem *p = x->p;
    PlanResult *r = x->r;
    const PlanPoint *ref = reference_point (x);

    for (guint i = 0; i < p->targets->len; i++) {
        const PlanTarget *t = g_ptr_array_index (p->targets, i);
        double bound;
        ExpStats st;

        if (plan_target_met (t, x->goal[i], ref->result, &bound)
            || !isfinite (bound))
            continue;
        x->goal[i] = bound;
        exp_result_stats (ref->result, t->metric, &st);
        if (t->op == PLAN_AT_LEAST ? st.mean >= t->value
                                   : st.mean <= t->value) {
            g_autofree char *mean = exp_metric_format (t->metric, st.mean);

            g_ptr_array_add (r->notes, g_strdup_printf (
                "At the best configuration in the box the mean of %s (%s) "
                "meets %s, but its 95%% interval is too wide to confirm it "
                "with %u replications: more replications (--replications) "
                "may show the target within reach.",
                exp_metric_info (t->metric)->label, mean, t->text,
                p->replications));
        }
    }
    for (guint i = 0; i < r->points->len; i++)
        judge (x, g_ptr_array_index (r->points, i));
}

static gboolean
any_feasible (const PlanResult *r)
{
    for (guint i = 0; i < r->points->len; i++)
        if (((PlanPoint *) g_ptr_array_index (r->points, i))->feasible)
            return TRUE;
    return FALSE;
}

/* Stage A (the box), the goals, stage B (local search), verification,
 * and the sentences on what binds each pool. */
static gboolean
search (Search *x)
{
    PlanResult *r = x->r;
    gboolean coupled = TRUE;
    g_autofree gint64 *steps = g_new (gint64, (gsize) n_combos (x->p)
                                              * x->p->vars->len);

    begin_stage (x, "top", 0);
    if (!run_top (x, &coupled))
        return FALSE;
    complete (x, r->top);
    r->independent = !coupled;
    begin_stage (x, "box", 0);
    if (!sample_all (x, steps))
        return FALSE;
    r->targets_met = any_feasible (r);
    if (!r->targets_met)
        relax_targets (x);
    memcpy (r->relaxed, x->goal, x->p->targets->len * sizeof (double));
    begin_stage (x, "refine", 0);
    if ((r->best = refine_all (x, steps)) == NULL)
        return FALSE;
    begin_stage (x, "verify", 0);
    if (!verify (x, r))
        return FALSE;
    note_falls (x);
    begin_stage (x, "explain", x->p->vars->len);
    for (guint i = 0; i < x->p->vars->len; i++) {
        if (!explain_var (x, r, i))
            return FALSE;
        x->stage_done++;
    }
    return TRUE;
}

PlanResult *
planner_run (const PlanProblem *p, GError **error)
{
    PlanResult *r = g_new0 (PlanResult, 1);
    Search x = { 0 };
    guint nt = p->targets->len;
    gboolean ok;

    x.p = p;
    x.r = r;
    x.t0 = g_get_monotonic_time ();
    x.memo = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    x.goal = g_new (double, nt);
    for (guint i = 0; i < nt; i++)
        x.goal[i] = ((PlanTarget *) g_ptr_array_index (p->targets, i))->value;
    r->points = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                plan_point_free);
    r->explain = g_ptr_array_new_with_free_func (g_free);
    r->blockers = g_ptr_array_new_with_free_func (g_free);
    r->notes = g_ptr_array_new_with_free_func (g_free);
    r->relaxed = g_new (double, nt);
    ok = search (&x);
    r->seconds = (g_get_monotonic_time () - x.t0) / 1e6;
    g_hash_table_unref (x.memo);
    g_free (x.goal);
    if (!ok) {
        g_propagate_error (error, x.error ? x.error
                           : g_error_new (KB_PLAN_ERROR,
                                          KB_PLAN_ERROR_SCENARIO,
                                          "a configuration failed to load"));
        plan_result_free (r);
        return NULL;
    }
    r->within_budget = !(r->best->cost > p->budget);
    return r;
}

void
plan_result_free (PlanResult *r)
{
    if (r == NULL)
        return;
    exp_result_free (r->verify);
    g_ptr_array_unref (r->points);
    g_ptr_array_unref (r->explain);
    g_ptr_array_unref (r->blockers);
    g_ptr_array_unref (r->notes);
    g_free (r->relaxed);
    g_free (r);
}

char *
plan_point_describe (const PlanProblem *p, const PlanPoint *pt)
{
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < p->vars->len; i++) {
        const PlanVar *v = g_ptr_array_index (p->vars, i);

        g_string_append_printf (s, "%s%s %s %" G_GINT64_FORMAT, i ? ", " : "",
                                v->pool, v->kind == PLAN_VAR_COUNT
                                ? "count" : "autoscale.max", pt->values[i]);
        if (v->instances)
            g_string_append_printf (s, " (%s)", (char *) g_ptr_array_index (
                v->instances, pt->instance[i]));
    }
    return g_string_free (s, FALSE);
}
