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

static void
build_os (JsonBuilder *b, const RunSummary *s, KbOs os)
{
    json_builder_set_member_name (b, os_keys[os]);
    json_builder_begin_object (b);
    output_json_int (b, "arrived", s->arrived[os]);
    output_json_int (b, "pending", s->phase[os][POD_PENDING]);
    output_json_int (b, "running", s->phase[os][POD_RUNNING]);
    output_json_int (b, "succeeded", s->phase[os][POD_SUCCEEDED]);
    output_json_int (b, "failed", s->phase[os][POD_FAILED]);
    output_json_int (b, "placed", s->placed[os]);
    output_json_int (b, "eligible", s->eligible[os]);
    output_json_double (b, "placement", run_summary_placement (s, os));
    json_builder_set_member_name (b, "time_to_running_seconds");
    json_builder_begin_object (b);
    output_json_int (b, "n", s->ttr_n[os]);
    output_json_double (b, "p50", s->ttr_p50[os]);
    output_json_double (b, "p95", s->ttr_p95[os]);
    output_json_double (b, "p99", s->ttr_p99[os]);
    json_builder_end_object (b);
    output_json_int (b, "pulled_bytes", s->pull_bytes[os]);
    output_json_double (b, "pull_seconds", s->pull_seconds[os]);
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
        output_json_string (b, "name", w->name);
        output_json_string (b, "kind", w->kind);
        output_json_string (b, "os", os_keys[w->os]);
        output_json_int (b, "pods", w->pods);
        output_json_int (b, "running", w->running);
        output_json_int (b, "waiting", w->waiting);
        output_json_int (b, "placed", w->placed);
        output_json_int (b, "eligible", w->eligible);
        output_json_double (b, "placement", w->eligible
                    ? (double) w->placed / w->eligible : 1.0);
        output_json_string (b, "waiting_status", w->top_status);
        json_builder_set_member_name (b, "api_rejected");
        json_builder_add_boolean_value (b, w->api_rejected);
        output_json_string (b, "rejection", w->reject_message);
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
        output_json_string (b, "reason", r->reason);
        output_json_string (b, "os", os_keys[r->os]);
        output_json_int (b, "count", r->count);
        output_json_string (b, "example", r->example);
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
        output_json_string (b, "name", p->name);
        output_json_string (b, "os", os_keys[p->os]);
        output_json_string (b, "windows_build", build);
        output_json_string (b, "kubelet", kubelet);
        output_json_int (b, "ready_nodes", s->nodes_by_pool[i]);
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
    output_json_string (b, "currency", sc->cost.currency);
    output_json_double (b, "total", r->total);
    output_json_double (b, "per_30_days", r->per_30_days);
    output_json_double (b, "nodes", r->nodes);
    output_json_double (b, "control_plane", r->control_plane);
    output_json_double (b, "egress", r->egress);
    output_json_double (b, "linux_nodes", r->by_os[KB_OS_LINUX]);
    output_json_double (b, "windows_nodes", r->by_os[KB_OS_WINDOWS]);
    output_json_double (b, "windows_licence", r->windows_licence);
    output_json_double (b, "idle", r->idle);
    output_json_double (b, "per_running_pod_hour", r->per_pod_hour);
    output_json_double (b, "running_pod_hours", r->running_pod_hours);
    json_builder_set_member_name (b, "by_pool");
    json_builder_begin_object (b);
    for (guint i = 0; i < r->n_pools; i++)
        output_json_double (b, ((KbPoolSpec *) g_ptr_array_index (sc->pools, i))->name,
                    r->by_pool[i]);
    json_builder_end_object (b);
    json_builder_set_member_name (b, "by_workload");
    json_builder_begin_object (b);
    for (guint i = 0; i < r->n_workloads; i++)
        output_json_double (b, ((KbWorkloadSpec *) g_ptr_array_index (sc->workloads,
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
    output_json_string (b, "kbsim_version", KBSIM_VERSION);
    output_json_string (b, "scenario", sc->name);
    output_json_int (b, "seed", (gint64) sc->seed);
    output_json_double (b, "duration_seconds", sim_time_to_seconds (s->end));
    output_json_double (b, "placement_deadline_seconds",
                sim_time_to_seconds (sc->metrics.placement_deadline));
    json_builder_set_member_name (b, "conservation_ok");
    json_builder_add_boolean_value (b, s->conserved);
    output_json_int (b, "events_processed", (gint64) s->events);
    json_builder_set_member_name (b, "os");
    json_builder_begin_object (b);
    build_os (b, s, KB_OS_LINUX);
    build_os (b, s, KB_OS_WINDOWS);
    json_builder_end_object (b);
    build_workloads (b, s);
    build_reasons (b, s);
    output_json_int (b, "image_pulls", s->pulls);
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

        output_csv_double (fp, sim_time_to_seconds (s->time), "%.6f");
        for (int os = KB_OS_LINUX; os < KB_N_OS; os++) {
            fprintf (fp, ",%" G_GINT64_FORMAT, s->arrived[os]);
            for (int col = 0; col < POD_N_COLS; col++)
                fprintf (fp, ",%" G_GINT64_FORMAT, s->v[os][col]);
        }
        for (guint p = 0; p < sc->pools->len; p++) {
            fputc (',', fp);
            output_csv_double (fp, s->pool_cpu_util[p], "%.4f");
        }
        fprintf (fp, ",%d\n", s->conserved ? 1 : 0);
    }
    return output_commit (f, error);
}

static void
csv_time (FILE *fp, SimTime t)
{
    fputc (',', fp);
    if (t >= 0)
        output_csv_double (fp, sim_time_to_seconds (t), "%.6f");
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
        output_csv_text (fp, p->name);
        fputc (',', fp);
        output_csv_text (fp, p->workload->spec->name);
        fprintf (fp, ",%s,", os_keys[p->os]);
        output_csv_text (fp, p->node ? p->node->name : "");
        csv_time (fp, p->created);
        csv_time (fp, p->scheduled);
        csv_time (fp, p->running);
        csv_time (fp, p->finished);
        fprintf (fp, ",%s,%s,", cluster_phase_name (p->phase),
                 cluster_pod_status (p));
        output_csv_text (fp, p->message);
        fputc ('\n', fp);
    }
    return output_commit (f, error);
}
