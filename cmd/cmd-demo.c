/* cmd-demo.c: `kbsim demo [LESSON] [--step|--auto]`: lessons on the
 * kernel barrier, narrated.
 *
 * A lesson is a scenario under scenarios/lessons/ whose `lesson` block
 * (scenarios/lesson.h) names a few moments: at each, the simulation runs
 * up to that time, then kbsim shows what happened (the events, a compact
 * view of the nodes and their pods, coloured on a terminal) and explains
 * it, with `kbsim explain`'s answer for the pod the lesson is about.
 * --step waits for Enter at each moment.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "models/cluster.h"
#include "models/desktop.h"
#include "models/explain.h"
#include "models/run.h"
#include "reports/report.h"
#include "scenarios/lesson.h"
#include "scenarios/scenario.h"
#include "cmd/cmd.h"

#ifndef KBSIM_DATADIR
#define KBSIM_DATADIR "scenarios"
#endif
#ifndef KBSIM_INSTALL_DATADIR
#define KBSIM_INSTALL_DATADIR "/usr/local/share/kbsim"
#endif

/* Where the lessons are: $KBSIM_DATADIR if set, else the source tree the
 * binary was built in, else the installed copy (make install). */
static const char *
lessons_datadir (void)
{
    const char *env = g_getenv ("KBSIM_DATADIR");
    g_autofree char *probe = NULL;

    if (env && *env)
        return env;
    probe = g_build_filename (KBSIM_DATADIR, "lessons", NULL);
    if (g_file_test (probe, G_FILE_TEST_IS_DIR))
        return KBSIM_DATADIR;
    return KBSIM_INSTALL_DATADIR;
}

static gboolean color;

static const char *
paint (const char *status)
{
    if (!color)
        return "";
    if (strcmp (status, "Running") == 0)
        return "\033[32m";
    if (strstr (status, "BackOff") || strstr (status, "Err")
        || strstr (status, "Error"))
        return "\033[31m";
    return "\033[33m";
}

/* The nodes by OS with their pods, coloured for a terminal when asked. */
static void
show_nodes (GString *out, Cluster *c, gboolean colored)
{
    GPtrArray *nodes = cluster_nodes (c);

    g_string_append (out, "\n  Nodes and their pods:\n");
    for (guint i = 0; i < nodes->len; i++) {
        const Node *n = g_ptr_array_index (nodes, i);

        if (n->state == NODE_GONE)
            continue;
        g_string_append_printf (out, "    %-8s %-10s",
                                platform_os_name (n->os), n->name);
        for (guint k = 0; k < n->pods->len; k++) {
            const Pod *p = g_ptr_array_index (n->pods, k);
            const char *st = cluster_pod_status (p);

            g_string_append_printf (out, " %s%s:%s%s",
                                    colored ? paint (st) : "", p->name, st,
                                    colored ? "\033[0m" : "");
        }
        g_string_append (out, "\n");
    }
}

typedef struct {
    GPtrArray *shown;               /* event lines since the last moment */
    GHashTable *by_object;          /* object -> GPtrArray of event lines
                                     * for explain_pod() */
} DemoLog;

static void
demo_sink (const ClusterEvent *ev, gpointer data)
{
    DemoLog *log = data;
    char t[SIM_TIME_FORMAT_SIZE];

    g_ptr_array_add (log->shown, g_strdup_printf (
        "%-15s %-7s %-22s %s/%s: %s", sim_time_format (ev->time, t),
        ev->type, ev->reason, ev->kind, ev->object, ev->message));
    {
        GPtrArray *lines = g_hash_table_lookup (log->by_object, ev->object);

        if (lines == NULL) {
            lines = g_ptr_array_new_with_free_func (g_free);
            g_hash_table_insert (log->by_object, g_strdup (ev->object),
                                 lines);
        }
        g_ptr_array_add (lines, g_strdup_printf (
            "%" G_GINT64_FORMAT "\t%s\t%s\t%s", ev->time, ev->type,
            ev->reason, ev->message));
    }
}

/* The pod of the lesson's workload most worth explaining: one in
 * back-off or whose sandbox fails, else one waiting, else the first. */
static const Pod *
focus_pod (Cluster *c, const char *workload)
{
    GPtrArray *pods = cluster_pods (c);
    const Pod *waiting = NULL, *first = NULL;

    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);

        if (p == NULL || strcmp (p->workload->spec->name, workload) != 0
            || p->phase == POD_FAILED)
            continue;
        if (first == NULL)
            first = p;
        if (cluster_pod_column (p) == POD_COL_BACKOFF
            || p->reason == POD_REASON_CREATE_POD_SANDBOX_ERROR)
            return p;
        if (p->phase == POD_PENDING && waiting == NULL)
            waiting = p;
    }
    return waiting ? waiting : first;
}

/* (transfer full): the explain command and its answer for a node. */
static char *
explain_focus_node (Cluster *c, const char *name, const char *path,
                    SimTime at)
{
    const Node *node = cluster_find_node (c, name);
    char t[SIM_TIME_FORMAT_SIZE];
    g_autofree char *text = NULL;

    if (node == NULL)
        return NULL;
    text = explain_node (c, node);
    return g_strdup_printf ("$ kbsim explain %s --node %s --at %s\n%s",
                            path, name, sim_time_format (at, t), text);
}

static void
list_lessons (GPtrArray *lessons)
{
    printf ("Lessons (kbsim demo NAME, with --step to pause at each "
            "moment):\n");
    for (guint i = 0; i < lessons->len; i++) {
        const Lesson *l = g_ptr_array_index (lessons, i);

        printf ("  %-22s %s\n", l->name, l->title);
    }
}

/* The handout a lesson writes with --report: what the terminal shows,
 * without colours, in one section. */
typedef enum {
    HANDOUT_HEADING,
    HANDOUT_PARAGRAPH,
    HANDOUT_CODE
} HandoutKind;

typedef struct {
    ReportSection *sec;         /* NULL without --report */
} Handout;

static void
handout_text (Handout *h, HandoutKind kind, const char *text)
{
    if (h->sec == NULL || text == NULL)
        return;
    if (kind == HANDOUT_CODE)
        report_section_add_code (h->sec, text);
    else if (kind == HANDOUT_HEADING)
        report_section_add_heading (h->sec, text);
    else
        report_section_add_paragraph (h->sec, text);
}

static void
print_title (const Lesson *l)
{
    printf ("%s%s%s\n\n%s\n", color ? "\033[1m" : "", l->title,
            color ? "\033[0m" : "", l->intro);
}

/* A lesson whose story fits one screen: the scenario is refused (the
 * text is the loader's errors) or describes a developer's desktop. */
static void
run_one_screen (const Lesson *l, const char *command, const char *text,
                Handout *h)
{
    g_autofree char *code = g_strdup_printf ("$ %s\n%s", command, text);

    print_title (l);
    printf ("\n%s\n\n%s\n\nTakeaway: %s\n", code, l->moments[0].say,
            l->takeaway);
    handout_text (h, HANDOUT_PARAGRAPH, l->intro);
    handout_text (h, HANDOUT_CODE, code);
    handout_text (h, HANDOUT_PARAGRAPH, l->moments[0].say);
}

/* Runs the cluster to each moment, printing (and collecting for the
 * handout) events, nodes, the narration and the explanation. */
static void
run_moments (const Lesson *l, Run *run, DemoLog *log, const char *path,
             gboolean step, Handout *h)
{
    Cluster *c = run_cluster (run);

    for (guint m = 0; m < l->n_moments; m++) {
        g_autoptr (GString) term = g_string_new (NULL);
        g_autoptr (GString) plain = g_string_new (NULL);
        g_autofree char *heading = NULL;
        g_autofree char *why = NULL;
        const Pod *pod;
        char t[SIM_TIME_FORMAT_SIZE];
        guint first;

        if (step) {
            int ch;

            printf ("\n[Enter to run to %s]", sim_time_format (
                l->moments[m].at, t));
            fflush (stdout);
            /* EOF or a read error (stdin closed) ends the wait too,
             * and every later one: the lesson then runs through. */
            while ((ch = getchar ()) != '\n' && ch != EOF)
                ;
            if (ch == EOF)
                step = FALSE;
        }
        run_until (run, l->moments[m].at);
        heading = g_strdup_printf ("At %s", sim_time_format (
            l->moments[m].at, t));
        printf ("\n== %s ==\n", sim_time_format (l->moments[m].at, t));
        g_string_append (plain, "  Events:\n");
        first = log->shown->len > 10 ? log->shown->len - 10 : 0;
        if (first)
            g_string_append_printf (plain, "    (%u earlier)\n", first);
        for (guint i = first; i < log->shown->len; i++)
            g_string_append_printf (plain, "    %s\n",
                                    (char *) g_ptr_array_index (log->shown,
                                                                i));
        g_ptr_array_set_size (log->shown, 0);
        g_string_append (term, plain->str);
        show_nodes (term, c, color);
        show_nodes (plain, c, FALSE);
        printf ("%s\n%s\n", term->str, l->moments[m].say);
        handout_text (h, HANDOUT_HEADING, heading);
        handout_text (h, HANDOUT_CODE, plain->str);
        handout_text (h, HANDOUT_PARAGRAPH, l->moments[m].say);
        if (l->workload == NULL)
            continue;
        if (g_str_has_prefix (l->workload, "node/")) {
            why = explain_focus_node (c, l->workload + 5, path,
                                      l->moments[m].at);
        } else if ((pod = focus_pod (c, l->workload)) != NULL) {
            g_autoptr (GPtrArray) none = g_ptr_array_new ();
            GPtrArray *lines = g_hash_table_lookup (log->by_object,
                                                    pod->name);
            g_autofree char *text = explain_pod (c, pod, lines ? lines
                                                                : none);

            why = g_strdup_printf ("$ kbsim explain %s --pod %s --at %s\n%s",
                                   path, pod->name, sim_time_format (
                                       l->moments[m].at, t), text);
        }
        if (why) {
            printf ("\n%s", why);
            handout_text (h, HANDOUT_CODE, why);
        }
    }
}

static int
write_handout (const Lesson *l, const char *report, const Scenario *s,
               Run *run, Handout *h)
{
    const char *charts[4] = { NULL };
    guint n_charts = 0;
    g_autoptr (GPtrArray) sections = g_ptr_array_new_with_free_func (
        (GDestroyNotify) report_section_free);
    g_autoptr (GError) error = NULL;
    g_autofree char *takeaway = g_strdup_printf ("Takeaway: %s",
                                                 l->takeaway);
    const RunSummary *sum;
    RunData *rd = NULL;
    gboolean ok;

    handout_text (h, HANDOUT_PARAGRAPH, takeaway);
    g_ptr_array_add (sections, g_steal_pointer (&h->sec));
    if (run != NULL) {
        /* the charts cover the lesson's whole scenario */
        run_execute (run);
        sum = run_summary (run);
        /* only the charts that have something to show */
        if (sum->arrived[KB_OS_WINDOWS] > 0)
            charts[n_charts++] = "phases-windows";
        if (sum->arrived[KB_OS_LINUX] > 0)
            charts[n_charts++] = "phases-linux";
        if (sum->reasons->len > 0)
            charts[n_charts++] = "reasons";
        rd = rundata_from_run (run_cluster (run), run_metrics (run), sum);
    }
    ok = report_write_handout (report, s, rd, l->title, sections,
                               (const char *const *) charts,
                               l->scenario_text, &error);
    rundata_free (rd);
    if (!ok)
        return cmd_input_error (error);
    printf ("\nHandout: %s\n", report);
    return KB_EXIT_OK;
}

static int
run_lesson (const Lesson *l, gboolean step, const char *report)
{
    g_autofree char *path = g_strdup_printf ("%s/lessons/%s.yaml",
                                             lessons_datadir (), l->name);
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = scenario_load (path, NULL, &error);
    Handout h = { NULL };
    DemoLog log;
    Run *run;
    int status;

    if (report)
        h.sec = report_section_new ("The lesson");
    if (s == NULL && l->workload == NULL
        && g_error_matches (error, KB_SCENARIO_ERROR,
                            KB_SCENARIO_ERROR_INVALID)) {
        /* The lesson is the refusal itself (not a file that is missing). */
        g_autofree char *cmd = g_strdup_printf ("kbsim validate %s", path);

        run_one_screen (l, cmd, error->message, &h);
        return report ? write_handout (l, report, NULL, NULL, &h)
                      : KB_EXIT_OK;
    }
    if (s == NULL) {
        report_section_free (h.sec);
        return cmd_input_error (error);
    }
    if (s->dev_host != NULL) {
        g_autofree char *text = desktop_report (s);
        g_autofree char *cmd = g_strdup_printf ("kbsim run %s", path);

        run_one_screen (l, cmd, text, &h);
        return report ? write_handout (l, report, s, NULL, &h)
                      : KB_EXIT_OK;
    }
    log.shown = g_ptr_array_new_with_free_func (g_free);
    log.by_object = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);
    print_title (l);
    handout_text (&h, HANDOUT_PARAGRAPH, l->intro);
    /* samples only for the handout's charts */
    run = run_new (s, 0, report ? RUN_FLAGS_NONE : RUN_NO_SAMPLES);
    run_set_event_sink (run, demo_sink, &log);
    run_moments (l, run, &log, path, step, &h);
    printf ("\nTakeaway: %s\n", l->takeaway);
    status = report ? write_handout (l, report, s, run, &h)
                    : KB_EXIT_OK;
    run_free (run);
    g_ptr_array_unref (log.shown);
    g_hash_table_unref (log.by_object);
    return status;
}

static const char demo_usage[] =
    "[LESSON] - narrated lessons on the kernel barrier";

static const char demo_description[] =
    "Without LESSON, lists the lessons. Each runs a scenario from "
    "scenarios/lessons/\nto its interesting moments, shows the events "
    "and the nodes, and explains. --report writes a PDF handout of it: the "
    "\nnarration, what the terminal showed at each moment, the run's "
    "charts and the\nscenario.\n\nExamples:\n  kbsim demo wrong-os "
    "--step\n  kbsim demo wrong-os --auto --report wrong-os.pdf";

int
cmd_demo (int argc, char **argv)
{
    gboolean step = FALSE, autorun = FALSE, plain = FALSE;
    g_autofree char *report = NULL;
    g_autofree char *dir = NULL;
    g_autoptr (GPtrArray) lessons = NULL;
    g_autoptr (GError) error = NULL;
    GOptionEntry entries[] = {
        { "report", 0, 0, G_OPTION_ARG_FILENAME, &report,
          "Also write a PDF handout of the lesson with its charts", "FILE" },
        { "step", 0, 0, G_OPTION_ARG_NONE, &step,
          "Wait for Enter at each moment", NULL },
        { "auto", 0, 0, G_OPTION_ARG_NONE, &autorun,
          "Run through without waiting", NULL },
        { "plain", 0, 0, G_OPTION_ARG_NONE, &plain,
          "No colours, even on a terminal", NULL },
        G_OPTION_ENTRY_NULL
    };

    if (!cmd_parse ("demo", demo_usage, entries, demo_description,
                    &argc, &argv))
        return KB_EXIT_USAGE;
    color = !plain && isatty (STDOUT_FILENO);
    if (argc < 2 && report)
        return cmd_usage_error ("demo", "--report needs a LESSON");
    if (argc > 2)
        return cmd_usage_error ("demo", "one lesson at a time; unexpected "
                                "'%s'", argv[2]);
    dir = g_strdup_printf ("%s/lessons", lessons_datadir ());
    if ((lessons = lesson_list (dir, &error)) == NULL)
        return cmd_input_error (error);
    if (argc < 2) {
        list_lessons (lessons);
        return KB_EXIT_OK;
    }
    for (guint i = 0; i < lessons->len; i++) {
        const Lesson *l = g_ptr_array_index (lessons, i);

        if (strcmp (l->name, argv[1]) == 0)
            return run_lesson (l, step && !autorun, report);
    }
    return cmd_usage_error ("demo", "no lesson named '%s' (run 'kbsim demo' "
                            "for the list)", argv[1]);
}
