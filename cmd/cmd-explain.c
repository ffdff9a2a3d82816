/* cmd-explain.c: `kbsim explain SCENARIO --pod NAME [--at TIME]`.
 *
 * Runs the scenario up to --at (the end by default), recording the events
 * of the pod asked about, then prints its story in `kubectl describe pod`
 * style and why it is where it is (models/explain.c). --node describes a
 * node instead.
 */
#include <stdio.h>
#include <string.h>

#include "models/cluster.h"
#include "models/explain.h"
#include "models/run.h"
#include "scenarios/scenario.h"
#include "cmd/cmd.h"
#include "sim/units.h"

typedef struct {
    const char *object;
    GPtrArray *lines;
} Recorder;

static void
record (const ClusterEvent *ev, gpointer data)
{
    Recorder *r = data;

    if (strcmp (ev->object, r->object) == 0)
        g_ptr_array_add (r->lines, g_strdup_printf (
            "%" G_GINT64_FORMAT "\t%s\t%s\t%s", ev->time, ev->type,
            ev->reason, ev->message));
}

/* Runs s to `at`, recording the events of the object named target, and
 * explains that pod or node as it is then; NULL when there is no such
 * object at that time. (transfer full) */
static char *
explain_at (const Scenario *s, SimTime at, const char *target,
            gboolean node)
{
    g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
    g_autoptr (Run) run = run_new (s, 0, RUN_NO_SAMPLES);
    Recorder rec = { target, lines };
    Cluster *c = run_cluster (run);

    run_set_event_sink (run, record, &rec);
    run_until (run, at);
    if (node) {
        const Node *n = cluster_find_node (c, target);

        return n ? explain_node (c, n) : NULL;
    } else {
        const Pod *pod = explain_find_pod (c, target);

        return pod ? explain_pod (c, pod, lines) : NULL;
    }
}

static const char explain_usage[] =
    "SCENARIO - say why a pod is stuck, or describe a node";

static const char explain_description[] =
    "Examples:\n"
    "  kbsim explain scenarios/demo.yaml --pod iis-frontend-7 --at 2d1h\n"
    "  kbsim explain scenarios/mixed-minimal.yaml --workload web\n"
    "  kbsim explain scenarios/demo.yaml --node win2022-0";

int
cmd_explain (int argc, char **argv)
{
    g_auto (GStrv) sets = NULL;
    g_autofree char *pod_name = NULL, *workload = NULL, *node_name = NULL;
    g_autofree char *at_text = NULL;
    GOptionEntry entries[] = {
        { "pod", 0, 0, G_OPTION_ARG_STRING, &pod_name,
          "The pod to explain, as kbsim names it (web-3)", "NAME" },
        { "workload", 0, 0, G_OPTION_ARG_STRING, &workload,
          "Explain the first pod of this workload", "NAME" },
        { "node", 0, 0, G_OPTION_ARG_STRING, &node_name,
          "Describe this node instead", "NAME" },
        { "at", 0, 0, G_OPTION_ARG_STRING, &at_text,
          "Stop the simulation at this time (default: the end)", "TIME" },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
          "Override a value by path (repeatable)", "PATH=VALUE" },
        G_OPTION_ENTRY_NULL
    };
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = NULL;
    g_autofree char *target = NULL;
    g_autofree char *text = NULL;
    SimTime at;

    if (!cmd_parse ("explain", explain_usage, entries, explain_description,
                    &argc, &argv))
        return KB_EXIT_USAGE;
    if (argc != 2)
        return cmd_usage_error ("explain", "missing SCENARIO (a YAML file)");
    if ((pod_name != NULL) + (workload != NULL) + (node_name != NULL) != 1)
        return cmd_usage_error ("explain", "give one of --pod, --workload "
                                "or --node");
    s = scenario_load (argv[1], (const char *const *) sets, &error);
    if (s == NULL)
        return cmd_input_error (error);
    if (s->dev_host != NULL)
        return cmd_require_cluster ("explain", argv[1], TRUE);
    at = s->duration;
    if (at_text && !units_parse_duration (at_text, &at, &error))
        return cmd_usage_error ("explain", "--at: %s", error->message);
    target = node_name ? g_strdup (node_name)
             : pod_name ? g_strdup (pod_name)
                        : g_strdup_printf ("%s-0", workload);
    text = explain_at (s, MIN (at, s->duration), target, node_name != NULL);
    if (text == NULL)
        return cmd_usage_error ("explain", "no %s named '%s' at that time "
                                "(pods are named <workload>-<n>; nodes "
                                "<pool>-<n>)", node_name ? "node" : "pod",
                                target);
    fputs (text, stdout);
    return KB_EXIT_OK;
}
