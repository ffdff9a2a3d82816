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
#include "experiments/expfiles.h"
#include "reports/export.h"
#include "reports/output.h"
#include "reports/report.h"
#include "reports/runcharts.h"
#include "scenarios/scenario.h"
#include "experiments/expcharts.h"
#include "cmd/cmd-exp.h"
#include "cmd/cmd-print.h"
#include "sim/units.h"

typedef struct {
    FILE *log;
    gboolean echo;
} Sink;

static void
event_sink (const ClusterEvent *ev, gpointer data)
{
    Sink *s = data;
    char when[SIM_TIME_FORMAT_SIZE];

    sim_time_format (ev->time, when);
    if (s->log)
        fprintf (s->log, "%s\t%s\t%s\t%s/%s\t%s\n", when, ev->type,
                 ev->reason, ev->kind, ev->object, ev->message);
    if (s->echo)
        printf ("%-16s %-7s %-22s %s/%s: %s\n", when, ev->type, ev->reason,
                ev->kind, ev->object, ev->message);
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

static gboolean
write_outputs (const char *dir, Cluster *c, const Metrics *m,
               const RunSummary *s,
               const CostReport *cost, ExpResult *xr, ChartFormat format,
               double dpi, const char *report_path, const char *scenario_path,
               const char *const *sets, const char *scenario_text,
               GError **error)
{
    g_autofree char *charts = g_build_filename (dir, "charts", NULL);
    g_autofree char *summary = g_build_filename (dir, "summary.json", NULL);
    g_autofree char *ts = g_build_filename (dir, "timeseries.csv", NULL);
    g_autofree char *pods = g_build_filename (dir, "pods.csv", NULL);
    g_autoptr (GPtrArray) sections = g_ptr_array_new_with_free_func (
        (GDestroyNotify) report_section_free);

    g_autoptr (RunData) rd = rundata_from_run (c, m, s);

    return export_summary_json (summary, c, s, cost, error)
           && export_timeseries_csv (ts, c, m, error)
           && export_pods_csv (pods, c, error)
           && rundata_write_extra (dir, c, scenario_path, sets,
                                   scenario_text, error)
           && runcharts_write (charts, rd, format, dpi, error)
           && (xr == NULL
               || write_replications (dir, charts, xr, format, dpi, sections,
                                      error))
           && report_write_pdf_with (report_path, rd, scenario_text,
                                     sections, error);
}

static void
print_warnings (const RunSummary *s)
{
    if (s->warnings->len == 0)
        return;
    printf ("\nWarnings:\n");
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

int
cmd_run (int argc, char **argv)
{
    g_auto (GStrv) sets = NULL;
    g_autofree char *out = NULL;
    gboolean echo = FALSE, quiet = FALSE;
    g_autofree char *format = NULL;
    g_autofree char *report = NULL;
    double dpi = 144;
    int replications = 1, jobs = 0;
    ChartFormat chart_format = CHART_FORMAT_PNG;
    GOptionEntry entries[] = {
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
          "Override a value by path (repeatable)", "PATH=VALUE" },
        { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
          "Write the files here (default out/<scenario name>)", "DIR" },
        { "events", 0, 0, G_OPTION_ARG_NONE, &echo,
          "Print every event as it happens", NULL },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
          "Print no summary", NULL },
        { "report", 0, 0, G_OPTION_ARG_FILENAME, &report,
          "Write the PDF capacity report here (default DIR/report.pdf)",
          "FILE" },
        { "format", 0, 0, G_OPTION_ARG_STRING, &format,
          "Chart format: png (default), svg or pdf", "FORMAT" },
        { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &dpi,
          "Resolution of PNG charts (default 144)", "DPI" },
        { "replications", 'r', 0, G_OPTION_ARG_INT, &replications,
          "Run N independent replications and report means with 95% "
          "confidence intervals (default 1)", "N" },
        { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
          "Threads for replications (default: one per core)", "N" },
        G_OPTION_ENTRY_NULL
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "SCENARIO - simulate a scenario");
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = NULL;
    g_autofree char *log_path = NULL;
    Sink sink = { NULL, FALSE };
    OutputFile *log;
    Run *run;
    Cluster *c;
    const Metrics *m;
    const RunSummary *sum;
    const CostReport *cost;
    ExpResult *xr = NULL;
    gint64 t0 = g_get_monotonic_time ();
    int status = KB_EXIT_OK;

    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (ctx,
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
        "  kbsim run scenarios/demo.yaml --replications 30 --jobs 2");
    if (!cmd_parse_options (ctx, "run", &argc, &argv))
        return KB_EXIT_USAGE;
    if (format && strcmp (format, "svg") == 0)
        chart_format = CHART_FORMAT_SVG;
    else if (format && strcmp (format, "pdf") == 0)
        chart_format = CHART_FORMAT_PDF;
    else if (format && strcmp (format, "png") != 0)
        return cmd_usage_error ("run", "--format: expected png, svg or pdf, "
                                "got '%s'", format);
    if (!(dpi >= 36 && dpi <= 1200))
        return cmd_usage_error ("run", "--dpi: expected 36 to 1200, got %g",
                                dpi);
    if (!cmd_check_replications ("run", replications, jobs, &status))
        return status;
    if (argc != 2)
        return cmd_usage_error ("run", argc < 2
                                ? "missing SCENARIO (a YAML file)"
                                : "expected one SCENARIO, got %d", argc - 1);
    s = scenario_load (argv[1], (const char *const *) sets, &error);
    if (s == NULL)
        return cmd_input_error (error);
    if (out == NULL)
        out = g_build_filename ("out", s->name, NULL);
    if (s->dev_host != NULL && replications > 1)
        return cmd_require_cluster ("run --replications", argv[1], TRUE);
    if (s->dev_host != NULL)
        return run_desktop (s, out, quiet);
    if (report == NULL)
        report = g_build_filename (out, "report.pdf", NULL);
    if (!output_mkdir (out, &error))
        return cmd_input_error (error);
    log_path = g_build_filename (out, "events.log", NULL);
    if ((log = output_open (log_path, &error)) == NULL)
        return cmd_input_error (error);
    sink.log = output_stream (log);
    sink.echo = echo;
    if (replications > 1) {
        ExpOptions o = { 0 };
        CmdProgress progress;

        o.replications = (guint) replications;
        o.jobs = (guint) jobs;
        o.keep_first = TRUE;
        o.first_sink = event_sink;
        o.first_sink_data = &sink;
        cmd_progress_init (&progress, "kbsim run", quiet);
        cmd_progress_attach (&progress, &o);
        xr = experiment_run (s, &o);
        cmd_progress_end (&progress);
        run = xr->run;
    } else {
        run = run_new (s, 0, RUN_FLAGS_NONE);
        run_set_event_sink (run, event_sink, &sink);
        run_execute (run);
    }
    c = run_cluster (run);
    m = run_metrics (run);
    sum = run_summary (run);
    cost = run_cost (run);
    if (!output_commit (log, &error)
        || !write_outputs (out, c, m, sum, cost, xr, chart_format, dpi,
                           report, argv[1], (const char *const *) sets,
                           s->source, &error)) {
        status = cmd_input_error (error);
    } else if (!quiet) {
        char dur[SIM_TIME_FORMAT_SIZE];

        if (xr != NULL)
            printf ("%s: %u replications of %s simulated in %.2f s (seed %"
                    G_GUINT64_FORMAT "); replication 0 (%" G_GUINT64_FORMAT
                    " events):\n", s->name, xr->n,
                    sim_time_format (s->duration, dur),
                    (g_get_monotonic_time () - t0) / 1e6, s->seed,
                    sum->events);
        else
            printf ("%s: %s simulated in %.2f s (%" G_GUINT64_FORMAT
                    " events, seed %" G_GUINT64_FORMAT ")\n", s->name,
                    sim_time_format (s->duration, dur),
                    (g_get_monotonic_time () - t0) / 1e6, sum->events,
                    s->seed);
        print_os_table (sum, s);
        print_workloads (sum);
        print_reasons (sum);
        print_pulls_and_nodes (sum, s);
        print_warnings (sum);
        print_cost (cost, s);
        if (xr != NULL) {
            printf ("\nOver %u replications (the figures above are "
                    "replication 0's):\n", xr->n);
            cmd_print_stats (xr, NULL, EXP_N_METRICS);
        }
        printf ("\nFiles: %s/{summary.json,timeseries.csv,pods.csv,"
                "nodes.csv,pulls.csv,events.log,run.json,scenario.yaml,"
                "charts/%s}\nReport: %s (kbsim report %s remakes it)\n",
                out, xr ? ",replications.csv,replications.json" : "", report,
                out);
    }
    if (status == KB_EXIT_OK && xr != NULL && !xr->conserved) {
        fprintf (stderr, "kbsim run: conservation check failed in a "
                 "replication (a kbsim bug)\n");
        status = KB_EXIT_CHECKS_FAILED;
    }
    if (status == KB_EXIT_OK && !sum->conserved) {
        fprintf (stderr, "kbsim run: conservation check failed: arrived != "
                 "pending + running + succeeded + failed (a kbsim bug)\n");
        status = KB_EXIT_CHECKS_FAILED;
    }
    if (xr != NULL)
        exp_result_free (xr);
    else
        run_free (run);
    return status;
}
