/* export.c: summary.json, timeseries.csv and pods.csv.
 *
 * Numbers are written locale-free (g_ascii_formatd) and in a fixed order,
 * so the same seed gives byte-identical files. Times are in seconds of
 * simulated time since the start; column names carry their units.
 */
#include "reports/export.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "reports/output.h"

static const char *const os_keys[KB_N_OS] = { "unknown", "linux", "windows" };

/* Doubles rounded to a stable number of decimals. */
static double
round_to (double x, int decimals)
{
    double f = pow (10, decimals);

    return isfinite (x) ? round (x * f) / f : 0;
}

static void
add_int (JsonBuilder *b, const char *key, gint64 v)
{
    json_builder_set_member_name (b, key);
    json_builder_add_int_value (b, v);
}

static void
add_double (JsonBuilder *b, const char *key, double v)
{
    json_builder_set_member_name (b, key);
    if (isfinite (v))
        json_builder_add_double_value (b, round_to (v, 6));
    else
        json_builder_add_null_value (b);
}

static void
add_string (JsonBuilder *b, const char *key, const char *v)
{
    json_builder_set_member_name (b, key);
    if (v)
        json_builder_add_string_value (b, v);
    else
        json_builder_add_null_value (b);
}

static void
build_os (JsonBuilder *b, const RunSummary *s, KbOs os)
{
    json_builder_set_member_name (b, os_keys[os]);
    json_builder_begin_object (b);
    add_int (b, "arrived", s->arrived[os]);
    add_int (b, "pending", s->phase[os][POD_PENDING]);
    add_int (b, "running", s->phase[os][POD_RUNNING]);
    add_int (b, "succeeded", s->phase[os][POD_SUCCEEDED]);
    add_int (b, "failed", s->phase[os][POD_FAILED]);
    add_int (b, "placed", s->placed[os]);
    add_int (b, "eligible", s->eligible[os]);
    add_double (b, "placement", run_summary_placement (s, os));
    json_builder_set_member_name (b, "time_to_running_seconds");
    json_builder_begin_object (b);
    add_int (b, "n", s->ttr_n[os]);
    add_double (b, "p50", s->ttr_p50[os]);
    add_double (b, "p95", s->ttr_p95[os]);
    add_double (b, "p99", s->ttr_p99[os]);
    json_builder_end_object (b);
    add_int (b, "pulled_bytes", s->pull_bytes[os]);
    add_double (b, "pull_seconds", s->pull_seconds[os]);
    json_builder_end_object (b);
}

static void
build_workloads (JsonBuilder *b, const RunSummary *s)
{
    json_builder_set_member_name (b, "workloads");
    json_builder_begin_array (b);
    for (guint i = 0; i < s->workloads->len; i++) {
        const SummaryWorkload *w = g_ptr_array_index (s->workloads, i);

        json_builder_begin_object (b);
        add_string (b, "name", w->name);
        add_string (b, "kind", w->kind);
        add_string (b, "os", os_keys[w->os]);
        add_int (b, "pods", w->pods);
        add_int (b, "running", w->running);
        add_int (b, "waiting", w->waiting);
        add_int (b, "placed", w->placed);
        add_int (b, "eligible", w->eligible);
        add_double (b, "placement", w->eligible
                    ? (double) w->placed / w->eligible : 1.0);
        add_string (b, "waiting_status", w->top_status);
        json_builder_set_member_name (b, "api_rejected");
        json_builder_add_boolean_value (b, w->api_rejected);
        add_string (b, "rejection", w->reject_message);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
}

static void
build_reasons (JsonBuilder *b, const RunSummary *s)
{
    json_builder_set_member_name (b, "failure_reasons");
    json_builder_begin_array (b);
    for (guint i = 0; i < s->reasons->len; i++) {
        const SummaryReason *r = g_ptr_array_index (s->reasons, i);

        json_builder_begin_object (b);
        add_string (b, "reason", r->reason);
        add_string (b, "os", os_keys[r->os]);
        add_int (b, "count", r->count);
        add_string (b, "example", r->example);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
}

static void
build_pools (JsonBuilder *b, const Cluster *c, const RunSummary *s)
{
    const Scenario *sc = cluster_scenario (c);

    json_builder_set_member_name (b, "node_pools");
    json_builder_begin_array (b);
    for (guint i = 0; i < sc->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (sc->pools, i);
        g_autofree char *build = p->os == KB_OS_WINDOWS
            ? platform_win_version_format (&p->windows_build) : NULL;
        g_autofree char *kubelet = platform_kube_version_format (&p->kubelet);

        json_builder_begin_object (b);
        add_string (b, "name", p->name);
        add_string (b, "os", os_keys[p->os]);
        add_string (b, "windows_build", build);
        add_string (b, "kubelet", kubelet);
        add_int (b, "ready_nodes", s->nodes_by_pool[i]);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
}

static void
build_cost (JsonBuilder *b, const Cluster *c, const CostReport *r)
{
    const Scenario *sc = cluster_scenario (c);

    json_builder_set_member_name (b, "cost");
    json_builder_begin_object (b);
    add_string (b, "currency", sc->cost.currency);
    add_double (b, "total", r->total);
    add_double (b, "per_30_days", r->per_30_days);
    add_double (b, "nodes", r->nodes);
    add_double (b, "control_plane", r->control_plane);
    add_double (b, "egress", r->egress);
    add_double (b, "linux_nodes", r->by_os[KB_OS_LINUX]);
    add_double (b, "windows_nodes", r->by_os[KB_OS_WINDOWS]);
    add_double (b, "windows_licence", r->windows_licence);
    add_double (b, "idle", r->idle);
    add_double (b, "per_running_pod_hour", r->per_pod_hour);
    add_double (b, "running_pod_hours", r->running_pod_hours);
    json_builder_set_member_name (b, "by_pool");
    json_builder_begin_object (b);
    for (guint i = 0; i < r->n_pools; i++)
        add_double (b, ((KbPoolSpec *) g_ptr_array_index (sc->pools, i))->name,
                    r->by_pool[i]);
    json_builder_end_object (b);
    json_builder_set_member_name (b, "by_workload");
    json_builder_begin_object (b);
    for (guint i = 0; i < r->n_workloads; i++)
        add_double (b, ((KbWorkloadSpec *) g_ptr_array_index (sc->workloads,
                                                              i))->name,
                    r->by_workload[i]);
    json_builder_end_object (b);
    json_builder_end_object (b);
}

gboolean
export_summary_json (const char *path, const Cluster *c, const RunSummary *s,
                     const CostReport *cost, GError **error)
{
    const Scenario *sc = cluster_scenario (c);
    g_autoptr (JsonBuilder) b = json_builder_new ();
    g_autoptr (JsonGenerator) gen = json_generator_new ();
    g_autoptr (JsonNode) root = NULL;
    g_autofree char *text = NULL;

    json_builder_begin_object (b);
    add_string (b, "kbsim_version", KBSIM_VERSION);
    add_string (b, "scenario", sc->name);
    add_int (b, "seed", (gint64) sc->seed);
    add_double (b, "duration_seconds", sim_time_to_seconds (s->end));
    add_double (b, "placement_deadline_seconds",
                sim_time_to_seconds (sc->metrics.placement_deadline));
    json_builder_set_member_name (b, "conservation_ok");
    json_builder_add_boolean_value (b, s->conserved);
    add_int (b, "events_processed", (gint64) s->events);
    json_builder_set_member_name (b, "os");
    json_builder_begin_object (b);
    build_os (b, s, KB_OS_LINUX);
    build_os (b, s, KB_OS_WINDOWS);
    json_builder_end_object (b);
    build_workloads (b, s);
    build_reasons (b, s);
    add_int (b, "image_pulls", s->pulls);
    build_pools (b, c, s);
    json_builder_set_member_name (b, "warnings");
    json_builder_begin_array (b);
    for (guint i = 0; i < s->warnings->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (s->warnings, i));
    json_builder_end_array (b);
    build_cost (b, c, cost);
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    json_generator_set_root (gen, root);
    json_generator_set_pretty (gen, TRUE);
    text = json_generator_to_data (gen, NULL);
    {
        g_autofree char *with_nl = g_strconcat (text, "\n", NULL);

        return output_write_file (path, with_nl, -1, error);
    }
}

static void
csv_double (FILE *fp, double v, const char *fmt)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    fputs (g_ascii_formatd (buf, sizeof buf, fmt, v), fp);
}

gboolean
export_timeseries_csv (const char *path, const Cluster *c, const Metrics *m,
                       GError **error)
{
    static const char *const cols[POD_N_COLS] = {
        "unscheduled", "creating", "backoff", "running", "succeeded",
        "failed"
    };
    const Scenario *sc = cluster_scenario (c);
    const GArray *samples = metrics_samples (m);
    OutputFile *f = output_open (path, error);
    FILE *fp;

    if (f == NULL)
        return FALSE;
    fp = output_stream (f);
    fputs ("time_s", fp);
    for (int os = KB_OS_LINUX; os < KB_N_OS; os++) {
        fprintf (fp, ",%s_arrived_pods", os_keys[os]);
        for (int col = 0; col < POD_N_COLS; col++)
            fprintf (fp, ",%s_%s_pods", os_keys[os], cols[col]);
    }
    for (guint p = 0; p < sc->pools->len; p++)
        fprintf (fp, ",cpu_requested_%s_frac",
                 ((KbPoolSpec *) g_ptr_array_index (sc->pools, p))->name);
    fputs (",conserved\n", fp);
    for (guint i = 0; i < samples->len; i++) {
        const Sample *s = &g_array_index (samples, Sample, i);

        csv_double (fp, sim_time_to_seconds (s->time), "%.6f");
        for (int os = KB_OS_LINUX; os < KB_N_OS; os++) {
            fprintf (fp, ",%" G_GINT64_FORMAT, s->arrived[os]);
            for (int col = 0; col < POD_N_COLS; col++)
                fprintf (fp, ",%" G_GINT64_FORMAT, s->v[os][col]);
        }
        for (guint p = 0; p < sc->pools->len; p++) {
            fputc (',', fp);
            csv_double (fp, s->pool_cpu_util[p], "%.4f");
        }
        fprintf (fp, ",%d\n", s->conserved ? 1 : 0);
    }
    return output_commit (f, error);
}

/* CSV quoting (RFC 4180) for free text and names. */
void
export_csv_text (FILE *fp, const char *s)
{
    if (s == NULL)
        return;
    if (strpbrk (s, ",\"\r\n") == NULL) {
        fputs (s, fp);
        return;
    }
    fputc ('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc ('"', fp);
        fputc (*s, fp);
    }
    fputc ('"', fp);
}

static void
csv_time (FILE *fp, SimTime t)
{
    fputc (',', fp);
    if (t >= 0)
        csv_double (fp, sim_time_to_seconds (t), "%.6f");
}

gboolean
export_pods_csv (const char *path, const Cluster *c, GError **error)
{
    const GPtrArray *pods = cluster_pods (c);
    OutputFile *f = output_open (path, error);
    FILE *fp;

    if (f == NULL)
        return FALSE;
    fp = output_stream (f);
    fputs ("pod,workload,os,node,created_s,scheduled_s,running_s,"
           "finished_s,phase,status,message\n", fp);
    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);

        if (p == NULL)
            continue;
        export_csv_text (fp, p->name);
        fputc (',', fp);
        export_csv_text (fp, p->workload->spec->name);
        fprintf (fp, ",%s,", os_keys[p->os]);
        export_csv_text (fp, p->node ? p->node->name : "");
        csv_time (fp, p->created);
        csv_time (fp, p->scheduled);
        csv_time (fp, p->running);
        csv_time (fp, p->finished);
        fprintf (fp, ",%s,%s,", cluster_phase_name (p->phase),
                 cluster_pod_status (p));
        export_csv_text (fp, p->message);
        fputc ('\n', fp);
    }
    return output_commit (f, error);
}

/* ---- experiments ----------------------------------------------------------- */

const char *
export_metric_unit (ExpMetric m)
{
    static const char *const units[] = {
        [EXP_UNIT_SHARE] = "frac", [EXP_UNIT_SECONDS] = "s",
        [EXP_UNIT_PODS] = "pods", [EXP_UNIT_USD] = "usd",
        [EXP_UNIT_BYTES] = "bytes"
    };

    return units[exp_metric_info (m)->unit];
}

/* Finite values with 9 significant digits; an empty cell for none. */
static void
csv_value (FILE *fp, double v)
{
    if (isfinite (v))
        csv_double (fp, v, "%.9g");
}

gboolean
export_replications_csv (const char *path, const ExpResult *r,
                         GError **error)
{
    OutputFile *f = output_open (path, error);
    FILE *fp;

    if (f == NULL)
        return FALSE;
    fp = output_stream (f);
    fputs ("replication", fp);
    for (int m = 0; m < EXP_N_METRICS; m++)
        fprintf (fp, ",%s_%s", exp_metric_info (m)->key,
                 export_metric_unit (m));
    fputc ('\n', fp);
    for (guint k = 0; k < r->n; k++) {
        fprintf (fp, "%u", r->first + k);
        for (int m = 0; m < EXP_N_METRICS; m++) {
            fputc (',', fp);
            csv_value (fp, exp_result_value (r, k, m));
        }
        fputc ('\n', fp);
    }
    return output_commit (f, error);
}

/* A CSV cell: quoted when it holds a comma, quote or line break. */
static void
csv_cell (FILE *fp, const char *s)
{
    if (strpbrk (s, ",\"\r\n") == NULL) {
        fputs (s, fp);
        return;
    }
    fputc ('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc ('"', fp);
        fputc (*s, fp);
    }
    fputc ('"', fp);
}

gboolean
export_stats_csv (const char *path, const char *const *key_titles,
                  const char *const *const *keys, ExpResult *const *results,
                  guint n, GError **error)
{
    guint n_keys = key_titles ? g_strv_length ((char **) key_titles) : 0;
    OutputFile *f = output_open (path, error);
    FILE *fp;

    if (f == NULL)
        return FALSE;
    fp = output_stream (f);
    for (guint j = 0; j < n_keys; j++) {
        csv_cell (fp, key_titles[j]);
        fputc (',', fp);
    }
    fputs ("metric,unit,n,mean,sd,ci95_low,ci95_high,min,max\n", fp);
    for (guint i = 0; i < n; i++)
        for (int m = 0; m < EXP_N_METRICS; m++) {
            ExpStats st;

            exp_result_stats (results[i], m, &st);
            for (guint j = 0; j < n_keys; j++) {
                csv_cell (fp, keys[i][j]);
                fputc (',', fp);
            }
            fprintf (fp, "%s,%s,%u", exp_metric_info (m)->key,
                     export_metric_unit (m), st.n);
            for (int v = 0; v < 6; v++) {
                const double x[] = { st.mean, st.sd, st.lo, st.hi, st.min,
                                     st.max };

                fputc (',', fp);
                csv_value (fp, x[v]);
            }
            fputc ('\n', fp);
        }
    return output_commit (f, error);
}

static void
add_double9 (JsonBuilder *b, const char *key, double v)
{
    if (key != NULL)
        json_builder_set_member_name (b, key);
    if (isfinite (v)) {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        /* through text, so the file does not depend on how the last bits
         * of a double print */
        json_builder_add_double_value (b, g_ascii_strtod (
            g_ascii_formatd (buf, sizeof buf, "%.9g", v), NULL));
    } else {
        json_builder_add_null_value (b);
    }
}

static void
build_point (JsonBuilder *b, const char *const *key_titles,
             const char *const *keys, const ExpResult *r)
{
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "keys");
    json_builder_begin_object (b);
    for (guint j = 0; key_titles && key_titles[j]; j++)
        add_string (b, key_titles[j], keys[j]);
    json_builder_end_object (b);
    json_builder_set_member_name (b, "conserved");
    json_builder_add_boolean_value (b, r->conserved);
    json_builder_set_member_name (b, "metrics");
    json_builder_begin_object (b);
    for (int m = 0; m < EXP_N_METRICS; m++) {
        ExpStats st;

        exp_result_stats (r, m, &st);
        json_builder_set_member_name (b, exp_metric_info (m)->key);
        json_builder_begin_object (b);
        add_string (b, "unit", export_metric_unit (m));
        add_int (b, "n", st.n);
        add_double9 (b, "mean", st.mean);
        add_double9 (b, "sd", st.sd);
        add_double9 (b, "ci95_low", st.lo);
        add_double9 (b, "ci95_high", st.hi);
        add_double9 (b, "min", st.min);
        add_double9 (b, "max", st.max);
        json_builder_set_member_name (b, "values");
        json_builder_begin_array (b);
        for (guint k = 0; k < r->n; k++) {
            double v = exp_result_value (r, k, m);

            if (isfinite (v))
                add_double9 (b, NULL, v);
            else
                json_builder_add_null_value (b);
        }
        json_builder_end_array (b);
        json_builder_end_object (b);
    }
    json_builder_end_object (b);
    json_builder_end_object (b);
}

gboolean
export_stats_json (const char *path, const char *const *key_titles,
                   const char *const *const *keys, ExpResult *const *results,
                   guint n, JsonNode *extra, GError **error)
{
    const Scenario *sc = n > 0 ? results[0]->scenario : NULL;
    g_autoptr (JsonBuilder) b = json_builder_new ();
    g_autoptr (JsonGenerator) gen = json_generator_new ();
    g_autoptr (JsonNode) root = NULL;
    g_autofree char *text = NULL;
    g_autofree char *with_nl = NULL;

    json_builder_begin_object (b);
    add_string (b, "kbsim_version", KBSIM_VERSION);
    add_string (b, "scenario", sc ? sc->name : NULL);
    add_int (b, "seed", sc ? (gint64) sc->seed : 0);
    add_int (b, "replications", n > 0 ? results[0]->n : 0);
    add_int (b, "first_replication", n > 0 ? results[0]->first : 0);
    json_builder_set_member_name (b, "points");
    json_builder_begin_array (b);
    for (guint i = 0; i < n; i++)
        build_point (b, key_titles, keys ? keys[i] : NULL, results[i]);
    json_builder_end_array (b);
    if (extra != NULL && JSON_NODE_HOLDS_OBJECT (extra)) {
        JsonObject *o = json_node_get_object (extra);
        g_autoptr (GList) members = json_object_get_members (o);

        for (GList *l = members; l; l = l->next) {
            json_builder_set_member_name (b, l->data);
            json_builder_add_value (b, json_node_copy (
                json_object_get_member (o, l->data)));
        }
    }
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    json_generator_set_root (gen, root);
    json_generator_set_pretty (gen, TRUE);
    text = json_generator_to_data (gen, NULL);
    with_nl = g_strconcat (text, "\n", NULL);
    return output_write_file (path, with_nl, -1, error);
}
