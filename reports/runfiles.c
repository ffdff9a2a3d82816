/* runfiles.c: the run folder, writer and reader side by side. See
 * runfiles.h; the formats are documented in reports/README.md.
 *
 * Every file kbsim run leaves for kbsim report has its writer and its
 * reader here, one section per file, so a format is defined in one
 * place. Numbers are written locale-free (g_ascii_formatd) and in a fixed
 * order, so the same seed gives byte-identical files; every file goes
 * through output.c (temporary name, rename). Times are seconds of
 * simulated time since the start, six decimals in the CSV files, so they
 * come back as the same integer microseconds.
 *
 * The files are read with the same care as scenarios: every row is
 * checked (field count, numbers), and a problem is reported as
 * "file:line: message".
 */
#include "reports/runfiles.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "reports/output.h"
#include "scenarios/scenario.h"

G_DEFINE_QUARK (kb-runfiles-error-quark, kb_runfiles_error)

static const char *const os_keys[KB_N_OS] = { "unknown", "linux", "windows" };

/* ---- what the files share: CSV fields and records ---------------------- */

/* The header row: n column names. */
static void
csv_header (FILE *fp, const char *const *cols, gsize n)
{
    for (gsize j = 0; j < n; j++) {
        if (j > 0)
            fputc (',', fp);
        fputs (cols[j], fp);
    }
    fputc ('\n', fp);
}

static void
csv_time (FILE *fp, SimTime t)
{
    fputc (',', fp);
    if (t >= 0)
        output_csv_double (fp, sim_time_to_seconds (t), "%.6f");
}

typedef struct {
    const char *file;           /* for messages */
    const char *p;              /* the cursor */
    guint line;                 /* of the record being read */
} Csv;

/* The next record's fields (RFC 4180: quoted fields may hold commas,
 * quotes doubled, and line breaks). NULL at the end of the text.
 * (transfer full): g_ptr_array_unref(). */
static GPtrArray *
csv_next (Csv *c)
{
    GPtrArray *fields;
    GString *f;

    /* blank lines are not records */
    while (*c->p == '\n' || (*c->p == '\r' && c->p[1] == '\n')) {
        c->p += *c->p == '\r' ? 2 : 1;
        c->line++;
    }
    if (*c->p == '\0')
        return NULL;
    fields = g_ptr_array_new_with_free_func (g_free);
    f = g_string_new (NULL);
    c->line++;
    for (;;) {
        if (*c->p == '"') {
            c->p++;
            while (*c->p && !(*c->p == '"' && c->p[1] != '"')) {
                if (*c->p == '"')
                    c->p++;     /* a doubled quote */
                if (*c->p == '\n')
                    c->line++;
                g_string_append_c (f, *c->p++);
            }
            if (*c->p == '"')
                c->p++;
        }
        while (*c->p && *c->p != ',' && *c->p != '\n'
               && !(*c->p == '\r' && c->p[1] == '\n'))
            g_string_append_c (f, *c->p++);
        if (*c->p == '\r')
            c->p++;
        g_ptr_array_add (fields, g_strdup (f->str));
        g_string_truncate (f, 0);
        if (*c->p == ',') {
            c->p++;
            continue;
        }
        if (*c->p == '\n')
            c->p++;
        break;
    }
    g_string_free (f, TRUE);
    return fields;
}

static gboolean
csv_fail (Csv *c, GError **error, const char *what)
{
    g_set_error (error, KB_RUNFILES_ERROR, KB_RUNFILES_ERROR_FORMAT,
                 "%s:%u: %s", c->file, c->line, what);
    return FALSE;
}

static gboolean
parse_double (const char *s, double *out)
{
    char *end;

    if (*s == '\0')
        return FALSE;
    *out = g_ascii_strtod (s, &end);
    return *end == '\0' && isfinite (*out);
}

static gboolean
parse_int (const char *s, gint64 *out)
{
    return g_ascii_string_to_signed (s, 10, G_MININT64, G_MAXINT64, out,
                                     NULL);
}

/* Seconds with up to six decimals, or empty for -1. */
static gboolean
parse_time (const char *s, SimTime *out)
{
    double v;

    if (*s == '\0') {
        *out = -1;
        return TRUE;
    }
    /* at most a thousand years: far beyond any run, far from overflow */
    if (!parse_double (s, &v) || v < 0 || v > 3.2e10)
        return FALSE;
    *out = (SimTime) llround (v * 1e6);
    return TRUE;
}

static KbOs
os_from_key (const char *s)
{
    for (int os = 0; os < KB_N_OS; os++)
        if (strcmp (s, os_keys[os]) == 0)
            return (KbOs) os;
    return KB_OS_UNKNOWN;
}

static char *
read_text (const char *dir, const char *name, char **path, GError **error)
{
    char *text = NULL;
    g_autoptr (GError) local = NULL;

    *path = g_build_filename (dir, name, NULL);
    if (!g_file_get_contents (*path, &text, NULL, &local)) {
        g_set_error (error, KB_RUNFILES_ERROR, KB_RUNFILES_ERROR_IO,
                     "%s: %s (was it written by kbsim run?)", *path,
                     local->message);
        return NULL;
    }
    return text;
}

/* Opens a CSV file and checks its header's first column. */
static gboolean
csv_open (const char *dir, const char *name, const char *first, Csv *c,
          char **text, char **path, GError **error)
{
    GPtrArray *head;
    gboolean ok;

    *text = read_text (dir, name, path, error);
    if (*text == NULL)
        return FALSE;
    c->file = *path;
    c->p = *text;
    c->line = 0;
    head = csv_next (c);
    ok = head && head->len > 0
         && strcmp (g_ptr_array_index (head, 0), first) == 0;
    if (head)
        g_ptr_array_unref (head);
    if (!ok) {
        c->line = MAX (c->line, 1);
        return csv_fail (c, error, "not the header kbsim writes");
    }
    return TRUE;
}

/* Reads one row into d; returns NULL when it is good, else what a good
 * row holds (for the error message). */
typedef const char *(*CsvRowFunc) (RunData *d, GPtrArray *fields);

/* Calls row on every record of DIR/name after its header (whose first
 * column is first); stops at the first bad row with "file:line: ...". */
static gboolean
csv_read_rows (const char *dir, const char *name, const char *first,
               RunData *d, CsvRowFunc row, GError **error)
{
    g_autofree char *text = NULL;
    g_autofree char *path = NULL;
    GPtrArray *f;
    Csv c;

    if (!csv_open (dir, name, first, &c, &text, &path, error))
        return FALSE;
    while ((f = csv_next (&c)) != NULL) {
        const char *bad = row (d, f);

        g_ptr_array_unref (f);
        if (bad)
            return csv_fail (&c, error, bad);
    }
    return TRUE;
}

/* ---- what the files share: JSON members -------------------------------- */

static gboolean
jnumber (JsonNode *n)
{
    return n && JSON_NODE_HOLDS_VALUE (n)
           && (json_node_get_value_type (n) == G_TYPE_INT64
               || json_node_get_value_type (n) == G_TYPE_DOUBLE);
}

/* Numbers of the wrong type read as 0 (counts) or NaN (amounts). */
static gint64
jint (JsonObject *o, const char *key)
{
    JsonNode *n = o ? json_object_get_member (o, key) : NULL;

    return jnumber (n) ? json_node_get_int (n) : 0;
}

static double
jdouble (JsonObject *o, const char *key)
{
    JsonNode *n = o ? json_object_get_member (o, key) : NULL;

    return jnumber (n) ? json_node_get_double (n) : NAN;
}

static gboolean
jbool (JsonObject *o, const char *key)
{
    JsonNode *n = o ? json_object_get_member (o, key) : NULL;

    return n && JSON_NODE_HOLDS_VALUE (n)
           && json_node_get_value_type (n) == G_TYPE_BOOLEAN
           && json_node_get_boolean (n);
}

/* The i-th element of a if it is an object, else NULL. */
static JsonObject *
jitem (JsonArray *a, guint i)
{
    JsonNode *n = json_array_get_element (a, i);

    return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static const char *
jstring (JsonObject *o, const char *key)
{
    JsonNode *n = o ? json_object_get_member (o, key) : NULL;

    return n && JSON_NODE_HOLDS_VALUE (n)
           && json_node_get_value_type (n) == G_TYPE_STRING
           ? json_node_get_string (n) : NULL;
}

static JsonObject *
jobject (JsonObject *o, const char *key)
{
    JsonNode *n = o ? json_object_get_member (o, key) : NULL;

    return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
jarray (JsonObject *o, const char *key)
{
    JsonNode *n = o ? json_object_get_member (o, key) : NULL;

    return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* Writes the document b built to path, pretty-printed, with a final
 * newline. */
static gboolean
write_json (const char *path, JsonBuilder *b, GError **error)
{
    g_autoptr (JsonGenerator) gen = json_generator_new ();
    g_autoptr (JsonNode) root = json_builder_get_root (b);
    g_autofree char *text = NULL;
    g_autofree char *with_nl = NULL;

    json_generator_set_root (gen, root);
    json_generator_set_pretty (gen, TRUE);
    text = json_generator_to_data (gen, NULL);
    with_nl = g_strconcat (text, "\n", NULL);
    return output_write_file (path, with_nl, -1, error);
}

/* Parses DIR/name with parser; returns its root object (transfer none:
 * valid while parser lives) and the file's path in *path (transfer
 * full), or NULL with error set when it is unreadable or not a JSON
 * object. */
static JsonObject *
read_json (const char *dir, const char *name, JsonParser *parser,
           char **path, GError **error)
{
    g_autofree char *text = read_text (dir, name, path, error);
    g_autoptr (GError) local = NULL;

    if (text == NULL)
        return NULL;
    if (!json_parser_load_from_data (parser, text, -1, &local)
        || json_parser_get_root (parser) == NULL
        || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))) {
        g_set_error (error, KB_RUNFILES_ERROR, KB_RUNFILES_ERROR_FORMAT,
                     "%s: %s", *path, local ? local->message
                                            : "not a JSON object");
        return NULL;
    }
    return json_node_get_object (json_parser_get_root (parser));
}

/* ---- summary.json ------------------------------------------------------ */

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
    output_json_int (b, "rejected", s->rejected[os]);
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
        output_json_int (b, "rejected", w->rejected);
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

/* Each registry that transferred layers; for one with an aggregate cap,
 * how long the cap bound (wall seconds) and the share of its transfer
 * time it held transfers back: what names a registry the bottleneck. */
static void
build_registries (JsonBuilder *b, const RunSummary *s)
{
    json_builder_set_member_name (b, "registries");
    json_builder_begin_array (b);
    for (guint i = 0; i < s->registries->len; i++) {
        const SummaryRegistry *r = g_ptr_array_index (s->registries, i);

        json_builder_begin_object (b);
        output_json_string (b, "name", r->name);
        output_json_double (b, "aggregate_bandwidth_bytes_per_second",
                            r->aggregate_bandwidth);
        output_json_int (b, "transfers", r->transfers);
        output_json_int (b, "transferred_bytes", r->bytes);
        output_json_double (b, "busy_seconds", r->busy_seconds);
        output_json_double (b, "transfer_seconds", r->transfer_seconds);
        output_json_double (b, "aggregate_bound_seconds", r->bound_seconds);
        output_json_double (b, "aggregate_held_seconds", r->capped_seconds);
        output_json_double (b, "aggregate_bound_share",
                            summary_registry_bound_share (r));
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
    for (guint i = 0; i < r->n_pools; i++) {
        const KbPoolSpec *p = g_ptr_array_index (sc->pools, i);

        output_json_double (b, p->name, r->by_pool[i]);
    }
    json_builder_end_object (b);
    json_builder_set_member_name (b, "by_workload");
    json_builder_begin_object (b);
    for (guint i = 0; i < r->n_workloads; i++) {
        const KbWorkloadSpec *w = g_ptr_array_index (sc->workloads, i);

        output_json_double (b, w->name, r->by_workload[i]);
    }
    json_builder_end_object (b);
    json_builder_end_object (b);
}

gboolean
runfiles_write_summary (const char *path, const Cluster *c,
                        const RunSummary *s, const CostReport *cost,
                        GError **error)
{
    const Scenario *sc = cluster_scenario (c);
    g_autoptr (JsonBuilder) b = json_builder_new ();

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
    build_registries (b, s);
    build_pools (b, c, s);
    json_builder_set_member_name (b, "warnings");
    json_builder_begin_array (b);
    for (guint i = 0; i < s->warnings->len; i++)
        json_builder_add_string_value (b, g_ptr_array_index (s->warnings, i));
    json_builder_end_array (b);
    build_cost (b, c, cost);
    json_builder_end_object (b);
    return write_json (path, b, error);
}

static void
read_summary_os (JsonObject *oo, RunSummary *s, KbOs os)
{
    JsonObject *o = jobject (oo, os_keys[os]);
    JsonObject *t = jobject (o, "time_to_running_seconds");

    s->arrived[os] = jint (o, "arrived");
    s->phase[os][POD_PENDING] = jint (o, "pending");
    s->phase[os][POD_RUNNING] = jint (o, "running");
    s->phase[os][POD_SUCCEEDED] = jint (o, "succeeded");
    s->phase[os][POD_FAILED] = jint (o, "failed");
    s->placed[os] = jint (o, "placed");
    s->eligible[os] = jint (o, "eligible");
    s->rejected[os] = jint (o, "rejected");
    s->ttr_n[os] = jint (t, "n");
    s->ttr_p50[os] = jdouble (t, "p50");
    s->ttr_p95[os] = jdouble (t, "p95");
    s->ttr_p99[os] = jdouble (t, "p99");
    s->pull_bytes[os] = jint (o, "pulled_bytes");
    s->pull_seconds[os] = jdouble (o, "pull_seconds");
}

static void
read_summary_lists (JsonObject *root, RunSummary *s, const Scenario *sc)
{
    JsonArray *a;

    a = jarray (root, "failure_reasons");
    for (guint i = 0; a && i < json_array_get_length (a); i++) {
        JsonObject *o = jitem (a, i);

        if (o == NULL)
            continue;
        run_summary_add_reason (s, jstring (o, "reason")
                                   ? jstring (o, "reason") : "",
                                os_from_key (jstring (o, "os")
                                             ? jstring (o, "os") : ""),
                                jint (o, "count"), jstring (o, "example"));
    }
    a = jarray (root, "workloads");
    for (guint i = 0; a && i < json_array_get_length (a); i++) {
        JsonObject *o = jitem (a, i);
        SummaryWorkload *w;
        const char *name = jstring (o, "name");
        const KbWorkloadSpec *spec = name ? scenario_find_workload (sc, name)
                                          : NULL;

        if (o == NULL)
            continue;
        w = run_summary_add_workload (
            s, name ? name : "",
            spec ? scenario_workload_kind_name (spec->kind)
                 : g_intern_string (jstring (o, "kind")
                                    ? jstring (o, "kind") : ""),
            os_from_key (jstring (o, "os") ? jstring (o, "os") : ""));
        w->pods = jint (o, "pods");
        w->running = jint (o, "running");
        w->waiting = jint (o, "waiting");
        w->placed = jint (o, "placed");
        w->eligible = jint (o, "eligible");
        w->rejected = jint (o, "rejected");
        w->top_status = jstring (o, "waiting_status")
                        ? g_intern_string (jstring (o, "waiting_status"))
                        : NULL;
        w->api_rejected = jbool (o, "api_rejected");
        w->reject_message = g_strdup (jstring (o, "rejection"));
    }
    a = jarray (root, "registries");
    for (guint i = 0; a && i < json_array_get_length (a); i++) {
        JsonObject *o = jitem (a, i);
        SummaryRegistry *r;

        if (o == NULL)
            continue;
        r = run_summary_add_registry (s, jstring (o, "name")
                                         ? jstring (o, "name") : "");
        r->aggregate_bandwidth = jdouble (o,
            "aggregate_bandwidth_bytes_per_second");
        r->transfers = jint (o, "transfers");
        r->bytes = jint (o, "transferred_bytes");
        r->busy_seconds = jdouble (o, "busy_seconds");
        r->transfer_seconds = jdouble (o, "transfer_seconds");
        r->bound_seconds = jdouble (o, "aggregate_bound_seconds");
        r->capped_seconds = jdouble (o, "aggregate_held_seconds");
    }
    a = jarray (root, "warnings");
    for (guint i = 0; a && i < json_array_get_length (a); i++) {
        JsonNode *n = json_array_get_element (a, i);

        if (JSON_NODE_HOLDS_VALUE (n)
            && json_node_get_value_type (n) == G_TYPE_STRING)
            g_ptr_array_add (s->warnings, g_strdup (json_node_get_string (n)));
    }
    a = jarray (root, "node_pools");
    for (guint i = 0; a && i < json_array_get_length (a)
                      && i < sc->pools->len; i++)
        s->nodes_by_pool[i] = jint (jitem (a, i), "ready_nodes");
}

static CostReport *
read_cost (JsonObject *root, const Scenario *sc, SimTime end)
{
    JsonObject *o = jobject (root, "cost");
    JsonObject *bp = jobject (o, "by_pool");
    JsonObject *bw = jobject (o, "by_workload");
    CostReport *r = g_new0 (CostReport, 1);

    r->end = end;
    r->total = jdouble (o, "total");
    r->per_30_days = jdouble (o, "per_30_days");
    r->nodes = jdouble (o, "nodes");
    r->control_plane = jdouble (o, "control_plane");
    r->egress = jdouble (o, "egress");
    r->by_os[KB_OS_LINUX] = jdouble (o, "linux_nodes");
    r->by_os[KB_OS_WINDOWS] = jdouble (o, "windows_nodes");
    r->windows_licence = jdouble (o, "windows_licence");
    r->idle = jdouble (o, "idle");
    r->per_pod_hour = jdouble (o, "per_running_pod_hour");
    r->running_pod_hours = jdouble (o, "running_pod_hours");
    r->n_pools = sc->pools->len;
    r->by_pool = g_new0 (double, MAX (r->n_pools, 1));
    for (guint i = 0; i < r->n_pools; i++)
        r->by_pool[i] = jdouble (bp, ((KbPoolSpec *) g_ptr_array_index (
            sc->pools, i))->name);
    r->n_workloads = sc->workloads->len;
    r->by_workload = g_new0 (double, MAX (r->n_workloads, 1));
    for (guint i = 0; i < r->n_workloads; i++)
        r->by_workload[i] = jdouble (bw, ((KbWorkloadSpec *)
                                          g_ptr_array_index (sc->workloads,
                                                             i))->name);
    return r;
}

static gboolean
read_summary (const char *dir, RunData *d, GError **error)
{
    g_autofree char *path = NULL;
    g_autoptr (JsonParser) parser = json_parser_new ();
    JsonObject *root = read_json (dir, RUNFILES_SUMMARY, parser, &path,
                                  error);
    RunSummary *s;
    double secs;

    if (root == NULL)
        return FALSE;
    if (g_strcmp0 (jstring (root, "scenario"), d->sc->name) != 0) {
        g_set_error (error, KB_RUNFILES_ERROR, KB_RUNFILES_ERROR_FORMAT,
                     "%s: the summary of scenario '%s', not of '%s'", path,
                     jstring (root, "scenario") ? jstring (root, "scenario")
                                                : "?", d->sc->name);
        return FALSE;
    }
    secs = jdouble (root, "duration_seconds");
    if (!(secs >= 0 && secs <= sim_time_to_seconds (d->sc->duration))) {
        g_set_error (error, KB_RUNFILES_ERROR, KB_RUNFILES_ERROR_FORMAT,
                     "%s: duration_seconds is missing, not a number, or "
                     "does not fit the scenario's duration", path);
        return FALSE;
    }
    s = run_summary_new (d->sc->pools->len);
    d->own_summary = s;
    d->summary = s;
    s->end = (SimTime) llround (secs * 1e6);
    d->end = s->end;
    s->events = (guint64) jint (root, "events_processed");
    s->conserved = jbool (root, "conservation_ok");
    for (KbOs os = KB_OS_LINUX; os <= KB_OS_WINDOWS; os++)
        read_summary_os (jobject (root, "os"), s, os);
    s->pulls = jint (root, "image_pulls");
    read_summary_lists (root, s, d->sc);
    d->own_cost = read_cost (root, d->sc, s->end);
    d->cost = d->own_cost;
    return TRUE;
}

/* ---- timeseries.csv ---------------------------------------------------- */

gboolean
runfiles_write_timeseries (const char *path, const Cluster *c,
                           const Metrics *m, GError **error)
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
        /* six places, so that an average the report rounds to 0.1%
         * comes out the same from these files as from the run (four
         * places moved the demo's 32.55% across the boundary) */
        for (guint p = 0; p < sc->pools->len; p++) {
            fputc (',', fp);
            output_csv_double (fp, s->pool_cpu_util[p], "%.6f");
        }
        fprintf (fp, ",%d\n", s->conserved ? 1 : 0);
    }
    return output_commit (f, error);
}

static void
sample_clear (gpointer p)
{
    g_free (((Sample *) p)->pool_cpu_util);
}

static const char *
sample_row (RunData *d, GPtrArray *f)
{
    guint n_pools = d->sc->pools->len;
    guint want = 1 + 2 * (1 + POD_N_COLS) + n_pools + 1;
    GArray *samples = d->own_samples;
    Sample s = { 0 };
    guint k = 1;
    gboolean ok = f->len == want
                  && parse_time (g_ptr_array_index (f, 0), &s.time)
                  && s.time >= 0 && s.time <= d->end
                  && (samples->len == 0
                      || s.time >= g_array_index (samples, Sample,
                                                  samples->len - 1).time);

    s.pool_cpu_util = g_new0 (double, MAX (n_pools, 1));
    for (int os = KB_OS_LINUX; ok && os < KB_N_OS; os++) {
        ok = parse_int (g_ptr_array_index (f, k++), &s.arrived[os]);
        for (int col = 0; ok && col < POD_N_COLS; col++)
            ok = parse_int (g_ptr_array_index (f, k++), &s.v[os][col]);
    }
    for (guint p = 0; ok && p < n_pools; p++)
        ok = parse_double (g_ptr_array_index (f, k++), &s.pool_cpu_util[p]);
    if (!ok) {
        g_free (s.pool_cpu_util);
        return "not a row of the columns its header names for this "
               "scenario's pools, at a time within the run and after the "
               "row before";
    }
    s.conserved = strcmp (g_ptr_array_index (f, k), "1") == 0;
    g_array_append_val (samples, s);
    return NULL;
}

static gboolean
read_timeseries (const char *dir, RunData *d, GError **error)
{
    d->own_samples = g_array_new (FALSE, TRUE, sizeof (Sample));
    g_array_set_clear_func (d->own_samples, sample_clear);
    d->samples = d->own_samples;
    return csv_read_rows (dir, RUNFILES_TIMESERIES, "time_s", d, sample_row,
                          error);
}

/* ---- pods.csv ---------------------------------------------------------- */

/* The columns, in order; the reader finds its fields by these indexes. */
enum {
    PODS_POD, PODS_NAMESPACE, PODS_WORKLOAD, PODS_OS, PODS_NODE,
    PODS_CREATED, PODS_SCHEDULED, PODS_RUNNING, PODS_FINISHED, PODS_PHASE,
    PODS_STATUS, PODS_MESSAGE, PODS_N_COLS
};

static const char *const pod_cols[PODS_N_COLS] = {
    [PODS_POD] = "pod", [PODS_NAMESPACE] = "namespace",
    [PODS_WORKLOAD] = "workload", [PODS_OS] = "os", [PODS_NODE] = "node",
    [PODS_CREATED] = "created_s", [PODS_SCHEDULED] = "scheduled_s",
    [PODS_RUNNING] = "running_s", [PODS_FINISHED] = "finished_s",
    [PODS_PHASE] = "phase", [PODS_STATUS] = "status",
    [PODS_MESSAGE] = "message"
};

gboolean
runfiles_write_pods (const char *path, const Cluster *c, GError **error)
{
    const GPtrArray *pods = cluster_pods (c);
    OutputFile *f = output_open (path, error);
    FILE *fp;

    if (f == NULL)
        return FALSE;
    fp = output_stream (f);
    csv_header (fp, pod_cols, G_N_ELEMENTS (pod_cols));
    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);

        if (p == NULL)
            continue;
        output_csv_text (fp, p->name);
        fputc (',', fp);
        output_csv_text (fp, p->workload->spec->namespace);
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

static const char *
pod_row (RunData *d, GPtrArray *f)
{
    RunPod p;
    SimTime sched, fin;

    if (!(f->len == PODS_N_COLS
          && parse_time (g_ptr_array_index (f, PODS_CREATED), &p.created)
          && p.created >= 0
          && parse_time (g_ptr_array_index (f, PODS_SCHEDULED), &sched)
          && parse_time (g_ptr_array_index (f, PODS_RUNNING), &p.running)
          && parse_time (g_ptr_array_index (f, PODS_FINISHED), &fin)
          && p.created <= d->end && p.running <= d->end
          && (p.running < 0 || p.running >= p.created)))
        return "expected 12 fields: pod, namespace, workload, os, node, four "
               "times in seconds within the run (Running not before "
               "creation), phase, status, message";
    p.os = os_from_key (g_ptr_array_index (f, PODS_OS));
    p.scheduled = sched;
    p.workload = G_MAXUINT;
    for (guint w = 0; w < d->sc->workloads->len; w++)
        if (strcmp (((KbWorkloadSpec *) g_ptr_array_index (
                        d->sc->workloads, w))->name,
                    g_ptr_array_index (f, PODS_WORKLOAD)) == 0) {
            p.workload = w;
            break;
        }
    if (p.workload == G_MAXUINT)
        return "a workload the scenario does not have";
    p.pool = d->node_pools
             ? (gint) GPOINTER_TO_UINT (g_hash_table_lookup (
                   d->node_pools, g_ptr_array_index (f, PODS_NODE))) - 1
             : -1;
    g_array_append_val (d->pods, p);
    if (p.running >= 0) {
        double wait = sim_time_to_seconds (p.running - p.created);

        g_array_append_val (d->ttr[p.os], wait);
    }
    return NULL;
}

/* ---- nodes.csv --------------------------------------------------------- */

static const char *const node_cols[] = {
    "node", "pool", "os", "added_s", "removed_s", "price_per_hour"
};

static gboolean
write_nodes (const char *path, Cluster *c, GError **error)
{
    GPtrArray *nodes = cluster_nodes (c);
    const Scenario *s = cluster_scenario (c);
    OutputFile *f = output_open (path, error);
    FILE *fp;

    if (f == NULL)
        return FALSE;
    fp = output_stream (f);
    csv_header (fp, node_cols, G_N_ELEMENTS (node_cols));
    for (guint i = 0; i < nodes->len; i++) {
        const Node *n = g_ptr_array_index (nodes, i);
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        output_csv_text (fp, n->name);
        fputc (',', fp);
        output_csv_text (fp, ((KbPoolSpec *) g_ptr_array_index (
                             s->pools, n->pool))->name);
        fprintf (fp, ",%s", os_keys[n->os]);
        csv_time (fp, n->added);
        csv_time (fp, n->removed);
        fprintf (fp, ",%s\n", g_ascii_formatd (buf, sizeof buf, "%.17g",
                                               cost_node_hourly (n)));
    }
    return output_commit (f, error);
}

static const char *
node_row (RunData *d, GPtrArray *f)
{
    RunNode n = { 0 };

    G_STATIC_ASSERT (G_N_ELEMENTS (node_cols) == 6);
    if (!(f->len == G_N_ELEMENTS (node_cols)
          && parse_time (g_ptr_array_index (f, 3), &n.added)
          && parse_time (g_ptr_array_index (f, 4), &n.removed)
          && parse_double (g_ptr_array_index (f, 5), &n.hourly)
          && n.added <= d->end && n.removed <= d->end && n.hourly >= 0))
        return "expected 6 fields: node, pool, os, added_s and removed_s "
               "within the run, price_per_hour";
    for (guint p = 0; p < d->sc->pools->len; p++)
        if (strcmp (((KbPoolSpec *) g_ptr_array_index (d->sc->pools,
                                                       p))->name,
                    g_ptr_array_index (f, 1)) == 0) {
            n.pool = p;
            g_array_append_val (d->nodes, n);
            if (d->node_pools == NULL)
                d->node_pools = g_hash_table_new_full (g_str_hash,
                                                       g_str_equal, g_free,
                                                       NULL);
            g_hash_table_insert (d->node_pools,
                                 g_strdup (g_ptr_array_index (f, 0)),
                                 GUINT_TO_POINTER (p + 1));
            return NULL;
        }
    return "a pool the scenario does not have";
}

/* ---- pulls.csv --------------------------------------------------------- */

static const char *const pull_cols[] = {
    "image", "pulls_linux", "pulls_windows", "bytes_linux", "bytes_windows",
    "seconds_linux", "seconds_windows"
};

static gboolean
write_pulls (const char *path, Cluster *c, GError **error)
{
    g_autoptr (GPtrArray) pulls = cluster_image_pulls (c);
    OutputFile *f = output_open (path, error);
    FILE *fp;

    if (f == NULL)
        return FALSE;
    fp = output_stream (f);
    csv_header (fp, pull_cols, G_N_ELEMENTS (pull_cols));
    for (guint i = 0; i < pulls->len; i++) {
        const ImagePullStats *p = g_ptr_array_index (pulls, i);
        char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

        output_csv_text (fp, p->image);
        fprintf (fp, ",%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%"
                 G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",%s,%s\n",
                 p->pulls[KB_OS_LINUX], p->pulls[KB_OS_WINDOWS],
                 p->bytes[KB_OS_LINUX], p->bytes[KB_OS_WINDOWS],
                 g_ascii_formatd (a, sizeof a, "%.17g",
                                  p->seconds[KB_OS_LINUX]),
                 g_ascii_formatd (b, sizeof b, "%.17g",
                                  p->seconds[KB_OS_WINDOWS]));
    }
    return output_commit (f, error);
}

static const char *
pull_row (RunData *d, GPtrArray *f)
{
    ImagePullStats p = { 0 };

    G_STATIC_ASSERT (G_N_ELEMENTS (pull_cols) == 7);
    if (!(f->len == G_N_ELEMENTS (pull_cols)
          && parse_int (g_ptr_array_index (f, 1), &p.pulls[KB_OS_LINUX])
          && parse_int (g_ptr_array_index (f, 2), &p.pulls[KB_OS_WINDOWS])
          && parse_int (g_ptr_array_index (f, 3), &p.bytes[KB_OS_LINUX])
          && parse_int (g_ptr_array_index (f, 4), &p.bytes[KB_OS_WINDOWS])
          && parse_double (g_ptr_array_index (f, 5),
                           &p.seconds[KB_OS_LINUX])
          && parse_double (g_ptr_array_index (f, 6),
                           &p.seconds[KB_OS_WINDOWS])))
        return "expected 7 fields: image, pulls, bytes and seconds for "
               "Linux and Windows";
    p.image = g_intern_string (g_ptr_array_index (f, 0));
    g_ptr_array_add (d->pulls, g_memdup2 (&p, sizeof p));
    return NULL;
}

/* ---- run.json and scenario.yaml ---------------------------------------- */

static gboolean
write_run_json (const char *path, const char *scenario_path,
                const char *const *overrides, GError **error)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    g_autofree char *abs = g_canonicalize_filename (scenario_path, NULL);

    json_builder_begin_object (b);
    output_json_string (b, "kbsim_version", KBSIM_VERSION);
    output_json_string (b, "scenario_file", scenario_path);
    output_json_string (b, "scenario_path", abs);
    json_builder_set_member_name (b, "set");
    json_builder_begin_array (b);
    for (guint i = 0; overrides && overrides[i]; i++)
        json_builder_add_string_value (b, overrides[i]);
    json_builder_end_array (b);
    json_builder_end_object (b);
    return write_json (path, b, error);
}

/* What run.json says: the version is this kbsim's; *given is the
 * scenario's path as the run was given it and *file its absolute path
 * (either NULL when missing), both borrowed from parser; the overrides
 * go into sets (borrowed too), then a NULL. */
static gboolean
read_run_json (const char *dir, JsonParser *parser, const char **given,
               const char **file, GPtrArray *sets, GError **error)
{
    g_autofree char *path = NULL;
    JsonObject *root = read_json (dir, RUNFILES_RUN, parser, &path, error);
    const char *version;
    JsonArray *a;

    if (root == NULL)
        return FALSE;
    version = jstring (root, "kbsim_version");
    if (g_strcmp0 (version, KBSIM_VERSION) != 0) {
        g_set_error (error, KB_RUNFILES_ERROR, KB_RUNFILES_ERROR_VERSION,
                     "%s: written by kbsim %s, and this is kbsim %s: run the "
                     "scenario again", path, version ? version : "?",
                     KBSIM_VERSION);
        return FALSE;
    }
    *given = jstring (root, "scenario_file");
    *file = jstring (root, "scenario_path");
    a = jarray (root, "set");
    for (guint i = 0; a && i < json_array_get_length (a); i++) {
        JsonNode *n = json_array_get_element (a, i);

        if (!JSON_NODE_HOLDS_VALUE (n)
            || json_node_get_value_type (n) != G_TYPE_STRING) {
            g_set_error (error, KB_RUNFILES_ERROR, KB_RUNFILES_ERROR_FORMAT,
                         "%s: set: every override must be a string", path);
            return FALSE;
        }
        g_ptr_array_add (sets, (gpointer) json_node_get_string (n));
    }
    g_ptr_array_add (sets, NULL);
    return TRUE;
}

/* The scenario as run: from its original file when that still holds the
 * text the run read (relative paths then work), else from the copy. */
static gboolean
read_scenario (const char *dir, RunData *d, GError **error)
{
    g_autoptr (JsonParser) parser = json_parser_new ();
    g_autoptr (GPtrArray) sets = g_ptr_array_new ();
    g_autofree char *copy_path = g_build_filename (dir, RUNFILES_SCENARIO,
                                                   NULL);
    g_autofree char *copy = NULL;
    g_autofree char *orig = NULL;
    g_autoptr (GError) local = NULL;
    const char *given, *file;
    const char *const *overrides;

    if (!read_run_json (dir, parser, &given, &file, sets, error))
        return FALSE;
    overrides = (const char *const *) sets->pdata;
    if (!g_file_get_contents (copy_path, &copy, NULL, &local)) {
        g_set_error (error, KB_RUNFILES_ERROR, KB_RUNFILES_ERROR_IO, "%s: %s",
                     copy_path, local->message);
        return FALSE;
    }
    if (file && g_file_get_contents (file, &orig, NULL, NULL)
        && strcmp (orig, copy) == 0)
        d->own_sc = scenario_load (file, overrides, error);
    else
        d->own_sc = scenario_load (copy_path, overrides, error);
    d->sc = d->own_sc;
    if (d->own_sc && given) {
        /* the report names the file as the run was given it */
        g_free (d->own_sc->file);
        d->own_sc->file = g_strdup (given);
    }
    return d->sc != NULL;
}

/* ---- the folder -------------------------------------------------------- */

gboolean
runfiles_write_extra (const char *dir, Cluster *c,
                      const char *scenario_path,
                      const char *const *overrides,
                      const char *scenario_text, GError **error)
{
    g_autofree char *nodes = g_build_filename (dir, RUNFILES_NODES, NULL);
    g_autofree char *pulls = g_build_filename (dir, RUNFILES_PULLS, NULL);
    g_autofree char *run = g_build_filename (dir, RUNFILES_RUN, NULL);
    g_autofree char *yaml = g_build_filename (dir, RUNFILES_SCENARIO, NULL);

    return write_nodes (nodes, c, error) && write_pulls (pulls, c, error)
           && write_run_json (run, scenario_path, overrides, error)
           && output_write_file (yaml, scenario_text ? scenario_text : "",
                                 -1, error);
}

RunData *
runfiles_read (const char *dir, GError **error)
{
    RunData *d = rundata__new ();

    if (!read_scenario (dir, d, error) || !read_summary (dir, d, error)
        || !read_timeseries (dir, d, error)
        || !csv_read_rows (dir, RUNFILES_NODES, node_cols[0], d, node_row,
                           error)
        || !csv_read_rows (dir, RUNFILES_PODS, pod_cols[0], d, pod_row,
                           error)
        || !csv_read_rows (dir, RUNFILES_PULLS, pull_cols[0], d, pull_row,
                           error)) {
        rundata_free (d);
        return NULL;
    }
    return d;
}

/* ---- events.log ----------------------------------------------------------- */

void
runfiles_write_event (FILE *fp, const ClusterEvent *ev)
{
    char when[SIM_TIME_FORMAT_SIZE];

    fprintf (fp, "%s\t%s\t%s\t%s\t%s/%s\t%s\n",
             sim_time_format (ev->time, when), ev->namespace, ev->type,
             ev->reason, ev->kind, ev->object, ev->message);
}
