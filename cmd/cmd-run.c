/* cmd-run.c: `kbsim run SCENARIO`: simulate, summarise, write the files.
 *
 * Output goes to out/<scenario name>/ unless --out names a folder:
 * summary.json, timeseries.csv, pods.csv and events.log, each written
 * under a temporary name and renamed when complete. The terminal summary
 * is printed last. Exit status: 0, or 1 when a conservation check failed
 * (a bug in kbsim, reported rather than hidden), 2 for input errors.
 */
#include <stdio.h>
#include <string.h>

#include "models/cluster.h"
#include "models/cost.h"
#include "models/desktop.h"
#include "models/metrics.h"
#include "models/run.h"
#include "experiments/expfiles.h"
#include "reports/output.h"
#include "reports/report.h"
#include "reports/runfiles.h"
#include "reports/runcharts.h"
#include "scenarios/scenario.h"
#include "experiments/expcharts.h"
#include "cmd/cmd-exp.h"
#include "experiments/ranks.h"
#include "cmd/cmd-print.h"
#include "sim/units.h"

typedef struct {
    FILE *log;
    gboolean echo;
} Sink;

/* The options as parsed: the shared ones (--set, --out, --quiet,
 * --report, --replications, --jobs) and run's own. */
typedef struct {
    CmdExpArgs x;
    gboolean echo;              /* --events */
    char *format_name;          /* --format, as given */
    ChartFormat format;
    double dpi;
} RunArgs;

static void
run_args_clear (RunArgs *a)
{
    cmd_exp_args_clear (&a->x);
    g_clear_pointer (&a->format_name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RunArgs, run_args_clear)

static void
event_sink (const ClusterEvent *ev, gpointer data)
{
    Sink *s = data;
    char when[SIM_TIME_FORMAT_SIZE];

    if (s->log)
        runfiles_write_event (s->log, ev);
    if (s->echo) {
        sim_time_format (ev->time, when);
        printf ("%-16s %-7s %-22s %s/%s: %s\n", when, ev->type, ev->reason,
                ev->kind, ev->object, ev->message);
    }
}

static char *
percent (gint64 part, gint64 whole)
{
    if (whole == 0)
        return g_strdup ("-");
    return g_strdup_printf ("%.1f%%", 100.0 * part / whole);
}

static char *
seconds_short (double s)
{
    if (s != s)
        return g_strdup ("-");
    return sim_time_format_short (sim_time_from_seconds (s));
}

static char *
count (gint64 n)
{
    return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

static void
print_os_table (const RunSummary *s, const Scenario *sc)
{
    static const CmdColumn cols[] = {
        { 10, FALSE, 0, " " }, { 9, TRUE, 0, " " }, { 9, TRUE, 0, " " },
        { 9, TRUE, 0, " " }, { 10, TRUE, 0, " " }, { 8, TRUE, 0, " " },
        { 9, TRUE, 0, " " }, { 8, TRUE, 0, " " }, { 8, TRUE, 0, " " },
        { 8, TRUE, 0, NULL }
    };
    g_autoptr (CmdTextTable) t = cmd_text_table_new (cols,
                                                     G_N_ELEMENTS (cols));
    g_autofree char *dl = sim_time_format_short (
        sc->metrics.placement_deadline);

    cmd_text_table_add_row (t, (const char *const[]) {
        "PODS", "arrived", "pending", "running", "succeeded", "failed",
        "placed", "p50", "p95", "p99" });
    for (KbOs os = KB_OS_LINUX; os <= KB_OS_WINDOWS; os++) {
        g_autofree char *arrived = count (s->arrived[os]);
        g_autofree char *pending = count (s->phase[os][POD_PENDING]);
        g_autofree char *running = count (s->phase[os][POD_RUNNING]);
        g_autofree char *succeeded = count (s->phase[os][POD_SUCCEEDED]);
        g_autofree char *failed = count (s->phase[os][POD_FAILED]);
        g_autofree char *pl = percent (s->placed[os], s->eligible[os]);
        g_autofree char *p50 = seconds_short (s->ttr_p50[os]);
        g_autofree char *p95 = seconds_short (s->ttr_p95[os]);
        g_autofree char *p99 = seconds_short (s->ttr_p99[os]);

        cmd_text_table_add_row (t, (const char *const[]) {
            platform_os_name (os), arrived, pending, running, succeeded,
            failed, pl, p50, p95, p99 });
    }
    printf ("\n");
    cmd_text_table_print (t);
    printf ("(placed: Running within %s of creation; p50/p95/p99: time to "
            "Running)\n", dl);
    for (KbOs os = KB_OS_LINUX; os <= KB_OS_WINDOWS; os++)
        if (s->rejected[os] > 0)
            printf ("(%s: %" G_GINT64_FORMAT " pod%s the API server refused "
                    "to create count%s as not placed)\n",
                    platform_os_name (os), s->rejected[os],
                    s->rejected[os] == 1 ? "" : "s",
                    s->rejected[os] == 1 ? "s" : "");
}

static void
print_workloads (const RunSummary *s)
{
    static const CmdColumn cols[] = {
        { 22, FALSE, 22, " " }, { 11, FALSE, 0, " " }, { 8, FALSE, 0, " " },
        { 6, TRUE, 0, " " }, { 8, TRUE, 0, " " }, { 8, TRUE, 0, " " },
        { 8, TRUE, 0, "  " }, { CMD_WIDTH_NONE }
    };
    g_autoptr (CmdTextTable) t = cmd_text_table_new (cols,
                                                     G_N_ELEMENTS (cols));

    cmd_text_table_add_row (t, (const char *const[]) {
        "WORKLOAD", "KIND", "OS", "PODS", "RUNNING", "WAITING", "PLACED",
        "WAITING AS" });
    for (guint i = 0; i < s->workloads->len; i++) {
        const SummaryWorkload *w = g_ptr_array_index (s->workloads, i);
        g_autofree char *pods = count (w->pods);
        g_autofree char *running = count (w->running);
        g_autofree char *waiting = count (w->waiting);
        g_autofree char *pl = percent (w->placed, w->eligible);

        cmd_text_table_add_row (t, (const char *const[]) {
            w->name, w->kind, platform_os_name (w->os), pods, running,
            waiting, pl, w->api_rejected ? "rejected by the API server"
                         : w->top_status ? w->top_status : "" });
    }
    printf ("\n");
    cmd_text_table_print (t);
}

static void
print_reasons (const RunSummary *s)
{
    if (s->reasons->len == 0) {
        printf ("\nNo failures.\n");
        return;
    }
    printf ("\nTop failure reasons (pods affected, one real message each):\n");
    for (guint i = 0; i < s->reasons->len && i < 6; i++) {
        const SummaryReason *r = g_ptr_array_index (s->reasons, i);

        printf ("  %-24s %-8s %6" G_GINT64_FORMAT "\n    %s\n", r->reason,
                platform_os_name (r->os), r->count, r->example);
    }
}

static void
print_pulls_and_nodes (const RunSummary *s, const Scenario *sc)
{
    printf ("\nImage pulls: %" G_GINT64_FORMAT, s->pulls);
    for (KbOs os = KB_OS_LINUX; os <= KB_OS_WINDOWS; os++) {
        g_autofree char *b = units_format_bytes (s->pull_bytes[os]);
        g_autofree char *t = seconds_short (s->pull_seconds[os]);

        printf ("; %s %s in %s of pulling", platform_os_name (os), b, t);
    }
    if (s->registries->len)
        printf ("\nRegistries (layer transfers):");
    for (guint i = 0; i < s->registries->len; i++) {
        g_autofree char *line = summary_registry_describe (
            g_ptr_array_index (s->registries, i));

        printf ("\n  %s", line);
    }
    printf ("\nNodes ready:");
    for (guint i = 0; i < sc->pools->len; i++)
        printf ("%s %s %" G_GINT64_FORMAT, i ? "," : "",
                ((KbPoolSpec *) g_ptr_array_index (sc->pools, i))->name,
                s->nodes_by_pool[i]);
    printf ("\n");
}

static const char *const format_ext[] = { "png", "svg", "pdf" };

/* With replications: replications.csv, replications.json, the charts
 * of pods waiting and running with their bands, and a report section. */
static gboolean
write_replications (const char *dir, const char *charts, ExpResult *xr,
                    ChartFormat format, double dpi, GPtrArray *sections,
                    GError **error)
{
    static const struct {
        const char *name;
        Chart *(*build) (const ExpResult *r);
        const char *caption;
    } bands[] = {
        { "placement-replications", expchart_placement,
          "Placement success by creation time, the mean over the "
          "replications with its 95% band." },
        { "waiting-replications", expchart_waiting,
          "Pods waiting (Pending) over time, the mean over the replications "
          "with its 95% band: where the band is wide, one run's figure says "
          "little." },
        { "running-replications", expchart_running,
          "Pods Running over time, the mean over the replications with its "
          "95% band." },
    };
    g_autofree char *csv = g_build_filename (dir, "replications.csv", NULL);
    g_autofree char *json = g_build_filename (dir, "replications.json",
                                              NULL);
    ReportSection *sec = cmd_stats_section ("Replications", xr);
    gboolean ok;

    g_ptr_array_add (sections, sec);
    ok = expfiles_replications_csv (csv, xr, error)
         && expfiles_stats_json (json, NULL, NULL, &xr, 1, NULL, error)
         && output_mkdir (charts, error);
    for (gsize i = 0; ok && i < G_N_ELEMENTS (bands); i++) {
        g_autofree char *name = g_strdup_printf ("%s.%s", bands[i].name,
                                                 format_ext[format]);
        g_autofree char *path = g_build_filename (charts, name, NULL);
        Chart *chart = bands[i].build (xr);

        ok = chart_save (chart, path, format, 720, 360, dpi, error);
        report_section_add_chart (sec, chart, bands[i].caption);
    }
    return ok;
}

/* The run's files (summary.json, timeseries.csv, pods.csv and those
 * kbsim report needs), its charts, the replications' files and the
 * PDF report. */
static gboolean
write_outputs (const RunArgs *a, Run *run, ExpResult *xr,
               const char *scenario_path, GError **error)
{
    const char *dir = a->x.out;
    Cluster *c = run_cluster (run);
    const char *text = run_scenario (run)->source;
    g_autofree char *charts = g_build_filename (dir, "charts", NULL);
    g_autofree char *summary = g_build_filename (dir, RUNFILES_SUMMARY, NULL);
    g_autofree char *ts = g_build_filename (dir, RUNFILES_TIMESERIES, NULL);
    g_autofree char *pods = g_build_filename (dir, RUNFILES_PODS, NULL);
    g_autoptr (GPtrArray) sections = g_ptr_array_new_with_free_func (
        (GDestroyNotify) report_section_free);
    g_autoptr (RunData) rd = rundata_from_run (c, run_metrics (run),
                                               run_summary (run));

    return runfiles_write_summary (summary, c, run_summary (run),
                                   run_cost (run), error)
           && runfiles_write_timeseries (ts, c, run_metrics (run), error)
           && runfiles_write_pods (pods, c, error)
           && runfiles_write_extra (dir, c, scenario_path,
                                    (const char *const *) a->x.sets, text,
                                    error)
           && runcharts_write (charts, rd, a->format, a->dpi, error)
           && (xr == NULL
               || write_replications (dir, charts, xr, a->format, a->dpi,
                                      sections, error))
           && report_write_pdf_with (a->x.report, rd, text, sections, error);
}

/* The run's warnings after the scenario's own (images whose Windows build
 * nothing tells, ...), which loading found. */
static void
print_warnings (const RunSummary *s, const Scenario *sc)
{
    if (s->warnings->len == 0 && sc->warnings->len == 0)
        return;
    printf ("\nWarnings:\n");
    for (guint i = 0; i < sc->warnings->len; i++)
        printf ("  %s\n", (char *) g_ptr_array_index (sc->warnings, i));
    for (guint i = 0; i < s->warnings->len; i++)
        printf ("  %s\n", (char *) g_ptr_array_index (s->warnings, i));
}

static void
print_cost (const CostReport *r, const Scenario *sc)
{
    const char *cur = sc->cost.currency;

    printf ("\nCost (%s): %.2f for the run, %.2f per 30 days projected\n",
            cur, r->total, r->per_30_days);
    printf ("  nodes %.2f (Linux %.2f, Windows %.2f of which licence %.2f), "
            "control plane %.2f, egress %.2f\n", r->nodes,
            r->by_os[KB_OS_LINUX], r->by_os[KB_OS_WINDOWS],
            r->windows_licence, r->control_plane, r->egress);
    printf ("  by pool:");
    for (guint i = 0; i < r->n_pools; i++)
        printf ("%s %s %.2f", i ? "," : "",
                ((KbPoolSpec *) g_ptr_array_index (sc->pools, i))->name,
                r->by_pool[i]);
    printf ("\n  idle capacity %.2f (%.0f%% of node cost); %.4f per running "
            "pod-hour\n", r->idle, r->nodes > 0 ? 100 * r->idle / r->nodes
                                                : 0, r->per_pod_hour);
}

/* A developer's desktop: no cluster to simulate, but each Compose
 * service against its engine; the story goes to the terminal and to
 * DIR/desktop.txt. */
static int
run_desktop (const Scenario *s, const char *out, gboolean quiet)
{
    g_autofree char *text = desktop_report (s);
    g_autofree char *path = g_build_filename (out, "desktop.txt", NULL);
    g_autoptr (GError) error = NULL;

    if (!output_mkdir (out, &error)
        || !output_write_file (path, text, -1, &error))
        return cmd_input_error (error);
    if (!quiet)
        printf ("%s\nFile: %s\n", text, path);
    return KB_EXIT_OK;
}

/* ---- the command -------------------------------------------------------- */

static const char run_description[] =
    "Runs SCENARIO in virtual time, prints a summary (pods by OS, "
    "placement\nsuccess, time to Running, failure reasons with real "
    "messages) and writes\nsummary.json, timeseries.csv, pods.csv and "
    "events.log, the charts under charts/, and the PDF capacity report."
    "\n\nWith --replications N it runs N independent replications "
    "(replication k\nuses the same random numbers whatever --jobs is), "
    "prints every metric as a\nmean with its 95% confidence interval, "
    "adds replications.csv and\nreplications.json, and a Replications "
    "section in the report; the other\nfiles describe replication 0."
    "\n\nExamples:\n  kbsim run scenarios/demo.yaml --set "
    "node_pools.win2019.count=10 --out /tmp/what-if\n"
    "  kbsim run scenarios/demo.yaml --replications 30 --jobs 2";

/* --format and --dpi, once parsed. */
static gboolean
run_check_charts (RunArgs *a, int *status)
{
    const char *f = a->format_name;

    if (f && strcmp (f, "svg") == 0)
        a->format = CHART_FORMAT_SVG;
    else if (f && strcmp (f, "pdf") == 0)
        a->format = CHART_FORMAT_PDF;
    else if (f && strcmp (f, "png") != 0) {
        *status = cmd_usage_error ("run", "--format: expected png, svg or "
                                   "pdf, got '%s'", f);
        return FALSE;
    }
    if (!(a->dpi >= 36 && a->dpi <= 1200)) {
        *status = cmd_usage_error ("run", "--dpi: expected 36 to 1200, got "
                                   "%g", a->dpi);
        return FALSE;
    }
    return TRUE;
}

static const char run_usage[] =
    "SCENARIO - simulate a scenario";

static gboolean
run_options (RunArgs *a, int *argc, char ***argv, int *status)
{
    GOptionEntry entries[] = {
        cmd_exp_option (CMD_EXP_SET, &a->x,
                        "Override a value by path (repeatable)"),
        cmd_exp_option (CMD_EXP_OUT, &a->x, "Write the files here (default "
                        "out/<scenario name>)"),
        { "events", 0, 0, G_OPTION_ARG_NONE, &a->echo,
          "Print every event as it happens", NULL },
        cmd_exp_option (CMD_EXP_QUIET, &a->x, "Print no summary"),
        cmd_exp_option (CMD_EXP_REPORT, &a->x, "Write the PDF capacity "
                        "report here (default DIR/report.pdf)"),
        { "format", 0, 0, G_OPTION_ARG_STRING, &a->format_name,
          "Chart format: png (default), svg or pdf", "FORMAT" },
        { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &a->dpi,
          "Resolution of PNG charts (default 144)", "DPI" },
        cmd_exp_option (CMD_EXP_REPLICATIONS, &a->x,
                        "Run N independent replications and report means "
                        "with 95% confidence intervals (default 1)"),
        cmd_exp_option (CMD_EXP_JOBS, &a->x,
                        "Threads for replications (default: one per core)"),
        G_OPTION_ENTRY_NULL
    };

    if (!cmd_parse ("run", run_usage, entries, run_description,
                    argc, argv)) {
        *status = KB_EXIT_USAGE;
        return FALSE;
    }
    if (!run_check_charts (a, status)
        || !cmd_check_replications ("run", a->x.replications, a->x.jobs,
                                    status))
        return FALSE;
    if (*argc != 2) {
        *status = cmd_usage_error ("run", *argc < 2
                                   ? "missing SCENARIO (a YAML file)"
                                   : "expected one SCENARIO, got %d",
                                   *argc - 1);
        return FALSE;
    }
    return TRUE;
}

/* Replication 0, alone or as the first of --replications (then *xr holds
 * the figures of them all); its events go to sink. s was loaded from
 * path with --set a->x.sets, which is how the other ranks load it under
 * mpirun. (transfer full): the Run, taken from *xr when there is one;
 * run_free(). */
static Run *
simulate (const Scenario *s, const char *path, const RunArgs *a,
          Sink *sink, ExpResult **xr)
{
    ExpSource src = { path, (const char *const *) a->x.sets };
    ExpOptions o = { 0 };
    CmdProgress progress;
    Run *run;

    *xr = NULL;
    if (a->x.replications == 1) {
        run = run_new (s, 0, RUN_FLAGS_NONE);
        run_set_event_sink (run, event_sink, sink);
        run_execute (run);
        return run;
    }
    o.replications = (guint) a->x.replications;
    o.jobs = (guint) a->x.jobs;
    o.keep_first = TRUE;
    o.first_sink = event_sink;
    o.first_sink_data = sink;
    o.sources = &src;
    cmd_progress_init (&progress, "kbsim run", a->x.quiet);
    cmd_progress_attach (&progress, &o);
    *xr = experiment_run (s, &o);
    cmd_progress_end (&progress);
    return g_steal_pointer (&(*xr)->run);
}

/* The terminal summary: replication 0's figures, then the statistics of
 * all replications, then where the files are. */
static void
print_run (const RunArgs *a, Run *run, const ExpResult *xr, double secs)
{
    const Scenario *s = run_scenario (run);
    const RunSummary *sum = run_summary (run);
    g_autofree char *report = a->x.report ? g_strdup (a->x.report)
        : g_build_filename (a->x.out, "report.pdf", NULL);
    char dur[SIM_TIME_FORMAT_SIZE];

    if (xr != NULL)
        printf ("%s: %u replications of %s simulated in %.2f s (seed %"
                G_GUINT64_FORMAT "); replication 0 (%" G_GUINT64_FORMAT
                " events):\n", s->name, xr->n,
                sim_time_format (s->duration, dur), secs, s->seed,
                sum->events);
    else
        printf ("%s: %s simulated in %.2f s (%" G_GUINT64_FORMAT
                " events, seed %" G_GUINT64_FORMAT ")\n", s->name,
                sim_time_format (s->duration, dur), secs, sum->events,
                s->seed);
    print_os_table (sum, s);
    print_workloads (sum);
    print_reasons (sum);
    print_pulls_and_nodes (sum, s);
    print_warnings (sum, s);
    print_cost (run_cost (run), s);
    if (xr != NULL) {
        printf ("\nOver %u replications (the figures above are "
                "replication 0's):\n", xr->n);
        cmd_print_stats (xr, NULL, EXP_N_METRICS);
    }
    printf ("\nFiles: %s/{summary.json,timeseries.csv,pods.csv,"
            "nodes.csv,pulls.csv,events.log,run.json,scenario.yaml,"
            "charts/%s}\nReport: %s (kbsim report %s remakes it)\n",
            a->x.out, xr ? ",replications.csv,replications.json" : "",
            report, a->x.out);
}

/* A bug in kbsim, reported rather than hidden. */
static int
check_conservation (const Run *run, const ExpResult *xr, int status)
{
    if (status == KB_EXIT_OK && xr != NULL && !xr->conserved) {
        fprintf (stderr, "kbsim run: conservation check failed in a "
                 "replication (a kbsim bug)\n");
        status = KB_EXIT_CHECKS_FAILED;
    }
    if (status == KB_EXIT_OK && !run_summary (run)->conserved) {
        fprintf (stderr, "kbsim run: conservation check failed: arrived != "
                 "pending + running + succeeded + failed (a kbsim bug)\n");
        status = KB_EXIT_CHECKS_FAILED;
    }
    return status;
}

/* The files run_into() has open while it simulates: what a failed MPI
 * job removes (exp_ranks_fail()). */
typedef struct {
    OutputFile *log;
    OutputDir *dir;
} Staged;

static void
abort_staged (gpointer data)
{
    Staged *st = data;

    output_abort (st->log);
    output_dir_abort (st->dir);
}

/* Simulates into a staging folder beside DIR (events.log as it goes, then
 * the other files) and swaps it in for DIR once everything is written, so
 * a failed or interrupted run leaves DIR as it was; then, unless quiet,
 * the summary. */
static int
run_into (const RunArgs *a, const Scenario *s, const char *path, gint64 t0)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (ExpResult) xr = NULL;
    g_autoptr (Run) run = NULL;
    g_autofree char *log_path = NULL;
    g_autofree char *report = NULL;
    Sink sink = { NULL, a->echo };
    RunArgs staged = *a;        /* borrows a's strings */
    OutputDir *dir;
    OutputFile *log;
    Staged open_files;
    gboolean ok;

    if ((dir = output_dir_open (a->x.out, RUNFILES_RUN, &error)) == NULL)
        return cmd_input_error (error);
    staged.x.out = (char *) output_dir_path (dir);
    log_path = g_build_filename (staged.x.out, RUNFILES_EVENTS, NULL);
    if (a->x.report == NULL)
        staged.x.report = report = g_build_filename (staged.x.out,
                                                     "report.pdf", NULL);
    if ((log = output_open (log_path, &error)) == NULL) {
        output_dir_abort (dir);
        return cmd_input_error (error);
    }
    sink.log = output_stream (log);
    open_files = (Staged) { log, dir };
    exp_ranks_set_fail_hook (abort_staged, &open_files);
    run = simulate (s, path, a, &sink, &xr);
    exp_ranks_set_fail_hook (NULL, NULL);
    ok = output_commit (log, &error)
         && write_outputs (&staged, run, xr, path, &error);
    if (!ok)
        output_dir_abort (dir);
    if (!ok || !output_dir_commit (dir, &error))
        return check_conservation (run, xr, cmd_input_error (error));
    if (!a->x.quiet)
        print_run (a, run, xr, (g_get_monotonic_time () - t0) / 1e6);
    return check_conservation (run, xr, KB_EXIT_OK);
}

int
cmd_run (int argc, char **argv)
{
    g_auto (RunArgs) a = { .x.replications = 1, .dpi = 144,
                           .format = CHART_FORMAT_PNG };
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = NULL;
    gint64 t0 = g_get_monotonic_time ();
    int status = KB_EXIT_OK;

    if (!run_options (&a, &argc, &argv, &status))
        return status;
    s = scenario_load (argv[1], (const char *const *) a.x.sets, &error);
    if (s == NULL)
        return cmd_input_error (error);
    /* A deprecated key runs as it always did, and says so. */
    for (guint i = 0; i < s->deprecated->len; i++)
        fprintf (stderr, "kbsim run: warning: %s\n",
                 (char *) g_ptr_array_index (s->deprecated, i));
    if (a.x.out == NULL)
        a.x.out = cmd_default_out (s->name, NULL);
    if (s->dev_host != NULL && a.x.replications > 1)
        return cmd_require_cluster ("run --replications", argv[1], TRUE);
    if (s->dev_host != NULL)
        return run_desktop (s, a.x.out, a.x.quiet);
    return run_into (&a, s, argv[1], t0);
}
