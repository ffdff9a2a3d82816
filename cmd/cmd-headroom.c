/* cmd-headroom.c: `kbsim headroom SCENARIO (--workload NAME | --pod FILE)
 * [--at T] [--max-limit N] [--set PATH=VALUE]... [-o json]`.
 *
 * Runs the scenario up to --at (every event at or before T, so at 0 the
 * workloads' first pods are placed), then counts how many more copies of
 * the pod fit, per node pool and in total, as kubernetes-sigs/
 * cluster-capacity counts them (models/headroom.h): copies scheduled one
 * at a time and bound, until one fails; the failure's FailedScheduling
 * text is the reason. Nothing is simulated past T. Prints a table, or
 * the same data as JSON.
 */
#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "models/cluster.h"
#include "models/headroom.h"
#include "models/platform.h"
#include "models/run.h"
#include "scenarios/scenario.h"
#include "cmd/cmd.h"
#include "sim/suggest.h"
#include "sim/units.h"

typedef struct {
    char *workload;
    char *pod_file;
    char *at_text;
    char *output;
    gint64 max_limit;
    GStrv sets;
} HeadroomArgs;

static void
headroom_args_clear (HeadroomArgs *a)
{
    g_free (a->workload);
    g_free (a->pod_file);
    g_free (a->at_text);
    g_free (a->output);
    g_strfreev (a->sets);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HeadroomArgs, headroom_args_clear)

static const char headroom_usage[] =
    "SCENARIO - count how many more copies of a pod fit";

static const char headroom_description[] =
    "Answers \"how many more of these would fit?\" as kubernetes-sigs/"
    "cluster-capacity\ndoes: copies of the pod are scheduled one at a time "
    "through the scheduler's\nfilters and scores (taints, nodeSelector and "
    "affinity, the os, arch and\nwindows-build labels, cpu, memory, max pods "
    "per node, host ports), each bound\nto its node before the next is "
    "tried, until one fails. FITS is how many were\nbound in each pool; "
    "\"stopped by\" is why the next one did not fit:\n\"Unschedulable:\" "
    "and the scheduler's FailedScheduling text (as `kubectl\ndescribe pod` "
    "shows it), or \"LimitReached:\" with --max-limit.\n"
    "\n"
    "The cluster is the one the run has at --at: every event at or before "
    "that time\nhas run, so at the default 0 the workloads' first pods are "
    "placed (Pending pods\nhold nothing). Nothing is simulated past --at, "
    "and the copies never become pods\nof the run.\n"
    "\n"
    "The pod is a workload's template (--workload; at --at, so after a "
    "rollout its\nnew template) or the pod of a Kubernetes Pod manifest "
    "(--pod FILE, checked like\nthe scenario's manifests; its images must "
    "be in the scenario or in kbsim's\ncatalogue). As in cluster-capacity, "
    "spec.nodeName is cleared. A pod file:\n"
    "\n"
    "  apiVersion: v1\n"
    "  kind: Pod\n"
    "  metadata: {name: probe}\n"
    "  spec:\n"
    "    nodeSelector: {kubernetes.io/os: windows}\n"
    "    containers:\n"
    "      - name: iis\n"
    "        image: mcr.microsoft.com/windows/servercore/iis:"
    "windowsservercore-ltsc2022\n"
    "        resources: {requests: {cpu: 500m, memory: 2Gi}}\n"
    "\n"
    "Examples:\n"
    "  kbsim headroom scenarios/mixed-minimal.yaml --workload iis\n"
    "  kbsim headroom scenarios/demo.yaml --workload iis-frontend --at 2d1h "
    "-o json\n"
    "  kbsim headroom scenarios/mixed-minimal.yaml --pod probe.yaml "
    "--set node_pools.win2022.count=4";

/* Parses the options; FALSE after printing a usage error. */
static gboolean
parse_args (HeadroomArgs *a, int *argc, char ***argv)
{
    GOptionEntry entries[] = {
        { "workload", 0, 0, G_OPTION_ARG_STRING, &a->workload,
          "Count copies of this workload's pod template", "NAME" },
        { "pod", 0, 0, G_OPTION_ARG_FILENAME, &a->pod_file,
          "Count copies of the pod in this Pod manifest", "FILE" },
        { "at", 0, 0, G_OPTION_ARG_STRING, &a->at_text,
          "Count in the cluster as it is at this time (default 0)", "TIME" },
        { "max-limit", 0, 0, G_OPTION_ARG_INT64, &a->max_limit,
          "Stop after N copies (default 0: no limit)", "N" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &a->sets,
          "Override a value by path (repeatable)", "PATH=VALUE" },
        { "output", 'o', 0, G_OPTION_ARG_STRING, &a->output,
          "Output format: text (default) or json", "FORMAT" },
        G_OPTION_ENTRY_NULL
    };

    if (!cmd_parse ("headroom", headroom_usage, entries,
                    headroom_description, argc, argv))
        return FALSE;
    if (*argc < 2) {
        cmd_usage_error ("headroom", "missing SCENARIO (a YAML file)");
        return FALSE;
    }
    if (*argc > 2) {
        cmd_usage_error ("headroom", "unexpected argument '%s' (give one "
                         "SCENARIO)", (*argv)[2]);
        return FALSE;
    }
    if ((a->workload != NULL) == (a->pod_file != NULL)) {
        cmd_usage_error ("headroom", "give one of --workload NAME or --pod "
                         "FILE");
        return FALSE;
    }
    if (a->max_limit < 0) {
        cmd_usage_error ("headroom", "--max-limit: must be 0 (no limit) or "
                         "more, got %" G_GINT64_FORMAT, a->max_limit);
        return FALSE;
    }
    if (a->output && strcmp (a->output, "text") != 0
        && strcmp (a->output, "json") != 0) {
        cmd_usage_error ("headroom", "-o: unknown format '%s' (use text or "
                         "json)", a->output);
        return FALSE;
    }
    return TRUE;
}

/* --at as a time within the scenario; FALSE after printing why not. */
static gboolean
parse_at (const HeadroomArgs *a, const Scenario *s, SimTime *at)
{
    g_autoptr (GError) error = NULL;
    char end[SIM_TIME_FORMAT_SIZE];

    *at = 0;
    if (a->at_text == NULL)
        return TRUE;
    if (!units_parse_duration (a->at_text, at, &error)) {
        cmd_usage_error ("headroom", "--at: %s", error->message);
        return FALSE;
    }
    if (*at < 0 || *at > s->duration) {
        cmd_usage_error ("headroom", "--at %s: outside the scenario, which "
                         "runs from 0 to %s", a->at_text,
                         sim_time_format (s->duration, end));
        return FALSE;
    }
    return TRUE;
}

/* The workload named name at the cluster's time, or NULL after printing
 * the nearest name. */
static const Workload *
find_workload (Cluster *c, const char *name, const char *file)
{
    GPtrArray *ws = cluster_workloads (c);
    g_autoptr (GPtrArray) names = g_ptr_array_new ();
    const char *hint;

    for (guint i = 0; i < ws->len; i++) {
        const Workload *w = g_ptr_array_index (ws, i);

        if (strcmp (w->spec->name, name) == 0)
            return w;
        g_ptr_array_add (names, w->spec->name);
    }
    g_ptr_array_add (names, NULL);
    hint = suggest_closest (name, (const char *const *) names->pdata);
    if (ws->len == 0)
        cmd_usage_error ("headroom", "%s has no workloads; give the pod with "
                         "--pod FILE", file);
    else if (hint)
        cmd_usage_error ("headroom", "no workload '%s' in %s (did you mean "
                         "'%s'?)", name, file, hint);
    else
        cmd_usage_error ("headroom", "no workload '%s' in %s", name, file);
    return NULL;
}

/* ---- output -------------------------------------------------------------- */

static void
print_text (const Headroom *h, const char *what)
{
    char at[SIM_TIME_FORMAT_SIZE];
    int w = (int) strlen ("total");
    gint64 nodes = 0;

    for (guint i = 0; i < h->pools->len; i++) {
        const HeadroomPool *p = &g_array_index (h->pools, HeadroomPool, i);

        w = MAX (w, (int) strlen (p->name));
        nodes += p->nodes;
    }
    printf ("Headroom for %s at %s (copies placed one at a time)\n\n",
            what, sim_time_format (h->at, at));
    printf ("%-*s  %-7s  %5s  %5s\n", w, "POOL", "OS", "NODES", "FITS");
    for (guint i = 0; i < h->pools->len; i++) {
        const HeadroomPool *p = &g_array_index (h->pools, HeadroomPool, i);

        printf ("%-*s  %-7s  %5" G_GINT64_FORMAT "  %5" G_GINT64_FORMAT "\n",
                w, p->name, platform_os_name (p->os), p->nodes, p->fits);
    }
    printf ("%-*s  %-7s  %5" G_GINT64_FORMAT "  %5" G_GINT64_FORMAT "\n", w,
            "total", "", nodes, h->total);
    printf ("\nstopped by: %s: %s\n", h->stop_type, h->stop_message);
}

static void
json_pools (JsonBuilder *b, const Headroom *h)
{
    json_builder_set_member_name (b, "pools");
    json_builder_begin_array (b);
    for (guint i = 0; i < h->pools->len; i++) {
        const HeadroomPool *p = &g_array_index (h->pools, HeadroomPool, i);

        json_builder_begin_object (b);
        json_builder_set_member_name (b, "name");
        json_builder_add_string_value (b, p->name);
        json_builder_set_member_name (b, "os");
        json_builder_add_string_value (b, platform_os_name (p->os));
        json_builder_set_member_name (b, "nodes");
        json_builder_add_int_value (b, p->nodes);
        json_builder_set_member_name (b, "fits");
        json_builder_add_int_value (b, p->fits);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
    json_builder_set_member_name (b, "nodes");
    json_builder_begin_array (b);
    for (guint i = 0; i < h->nodes->len; i++) {
        const HeadroomNode *n = &g_array_index (h->nodes, HeadroomNode, i);

        json_builder_begin_object (b);
        json_builder_set_member_name (b, "name");
        json_builder_add_string_value (b, n->name);
        json_builder_set_member_name (b, "pool");
        json_builder_add_string_value (b, g_array_index (
            h->pools, HeadroomPool, n->pool).name);
        json_builder_set_member_name (b, "fits");
        json_builder_add_int_value (b, n->fits);
        json_builder_end_object (b);
    }
    json_builder_end_array (b);
}

static void
print_json (const Headroom *h, const Scenario *s, const HeadroomArgs *a,
            const char *pod_name)
{
    g_autoptr (JsonBuilder) b = json_builder_new ();
    g_autoptr (JsonGenerator) gen = json_generator_new ();
    g_autoptr (JsonNode) root = NULL;
    g_autofree char *text = NULL;
    char at[SIM_TIME_FORMAT_SIZE];

    json_builder_begin_object (b);
    json_builder_set_member_name (b, "scenario");
    json_builder_add_string_value (b, s->name);
    json_builder_set_member_name (b, a->workload ? "workload" : "pod_file");
    json_builder_add_string_value (b, a->workload ? a->workload
                                                  : a->pod_file);
    json_builder_set_member_name (b, "pod");
    json_builder_add_string_value (b, pod_name);
    json_builder_set_member_name (b, "at");
    json_builder_add_string_value (b, sim_time_format (h->at, at));
    json_builder_set_member_name (b, "at_seconds");
    json_builder_add_int_value (b, h->at / SIM_SEC);
    json_builder_set_member_name (b, "max_limit");
    json_builder_add_int_value (b, a->max_limit);
    json_builder_set_member_name (b, "total");
    json_builder_add_int_value (b, h->total);
    json_pools (b, h);
    json_builder_set_member_name (b, "stop_type");
    json_builder_add_string_value (b, h->stop_type);
    json_builder_set_member_name (b, "stop_message");
    json_builder_add_string_value (b, h->stop_message);
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    json_generator_set_root (gen, root);
    json_generator_set_pretty (gen, TRUE);
    text = json_generator_to_data (gen, NULL);
    printf ("%s\n", text);
}

/* ---- the command --------------------------------------------------------- */

/* Loads the scenario and, with --pod, the pod; NULL after printing. */
static Scenario *
load (const HeadroomArgs *a, const char *file, KbWorkloadSpec **pod)
{
    g_autoptr (GError) error = NULL;
    const char *const *sets = (const char *const *) a->sets;
    Scenario *s = a->pod_file
                  ? scenario_load_with_pod (file, sets, a->pod_file, pod,
                                            &error)
                  : scenario_load (file, sets, &error);

    if (s == NULL)
        cmd_input_error (error);
    return s;
}

/* Runs s to at and counts; the exit status. */
static int
count_and_print (const HeadroomArgs *a, const Scenario *s, SimTime at,
                 const KbWorkloadSpec *pod, const char *file)
{
    g_autoptr (Run) run = run_new (s, 0, RUN_NO_SAMPLES);
    Cluster *c = run_cluster (run);
    g_autoptr (GError) error = NULL;
    g_autoptr (Headroom) h = NULL;
    g_autofree char *what = NULL;
    const KbPodTemplate *tmpl;
    const char *name;

    run_until (run, at);
    if (pod != NULL) {
        tmpl = pod->template;
        name = pod->name;
        what = g_strdup_printf ("pod '%s' (%s)", name, a->pod_file);
    } else {
        const Workload *w = find_workload (c, a->workload, file);

        if (w == NULL)
            return KB_EXIT_USAGE;
        tmpl = w->tmpl;
        name = w->spec->name;
        what = g_strdup_printf ("workload '%s'", name);
    }
    h = headroom_count (c, tmpl, name, a->max_limit, &error);
    if (h == NULL) {
        fprintf (stderr, "kbsim headroom: the API server rejects %s, so no "
                 "copy can be created: %s\n", what, error->message);
        return KB_EXIT_USAGE;
    }
    if (a->output && strcmp (a->output, "json") == 0)
        print_json (h, s, a, name);
    else
        print_text (h, what);
    return KB_EXIT_OK;
}

int
cmd_headroom (int argc, char **argv)
{
    g_auto (HeadroomArgs) a = { 0 };
    g_autoptr (Scenario) s = NULL;
    KbWorkloadSpec *pod = NULL;
    SimTime at;
    int status;

    if (!parse_args (&a, &argc, &argv))
        return KB_EXIT_USAGE;
    s = load (&a, argv[1], &pod);
    if (s == NULL)
        return KB_EXIT_USAGE;
    if (s->dev_host != NULL) {
        g_clear_pointer (&pod, kb_workload_free);
        return cmd_require_cluster ("headroom", argv[1], TRUE);
    }
    if (!parse_at (&a, s, &at)) {
        g_clear_pointer (&pod, kb_workload_free);
        return KB_EXIT_USAGE;
    }
    status = count_and_print (&a, s, at, pod, argv[1]);
    g_clear_pointer (&pod, kb_workload_free);
    return status;
}
