/* cmd-report.c: `kbsim report DIR`: the capacity report again, from the
 * files a finished `kbsim run` wrote, without simulating again.
 *
 * It reads the scenario as run (DIR/scenario.yaml and the overrides in
 * DIR/run.json), summary.json, timeseries.csv, pods.csv, nodes.csv and
 * pulls.csv (runfiles_read()), and lays the report out from them as `kbsim
 * run` did, so the pages read the same.
 */
#include <stdio.h>
#include <string.h>

#include "reports/report.h"
#include "reports/rundata.h"
#include "reports/runfiles.h"
#include "reports/runcharts.h"
#include "cmd/cmd.h"

static const char report_usage[] =
    "DIR - remake the PDF capacity report from a run's files";

static const char report_description[] =
    "DIR is the folder `kbsim run` wrote (out/<scenario> by default). "
    "The report is\nlaid out again from its files (summary.json, "
    "timeseries.csv, pods.csv, nodes.csv,\npulls.csv, run.json and the "
    "scenario as run, scenario.yaml), without\nsimulating again: remake "
    "it after an upgrade of kbsim's report, or under another\nname. "
    "Runs of another kbsim version are refused.\n\nExample:\n  kbsim "
    "report out/demo -o demo-capacity.pdf";

int
cmd_report (int argc, char **argv)
{
    g_autofree char *out = NULL;
    gboolean charts = FALSE;
    double dpi = 144;
    GOptionEntry entries[] = {
        { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
          "Write the report here (default DIR/report.pdf)", "FILE" },
        { "charts", 0, 0, G_OPTION_ARG_NONE, &charts,
          "Also draw the charts again into DIR/charts (PNG)", NULL },
        { "dpi", 0, 0, G_OPTION_ARG_DOUBLE, &dpi,
          "Resolution of the PNG charts (default 144)", "DPI" },
        G_OPTION_ENTRY_NULL
    };
    g_autoptr (GError) error = NULL;
    g_autoptr (RunData) rd = NULL;

    if (!cmd_parse ("report", report_usage, entries, report_description,
                    &argc, &argv))
        return KB_EXIT_USAGE;
    if (!(dpi >= 36 && dpi <= 1200))
        return cmd_usage_error ("report", "--dpi: expected 36 to 1200, got "
                                "%g", dpi);
    if (argc != 2)
        return cmd_usage_error ("report", argc < 2
                                ? "missing DIR (the folder kbsim run wrote)"
                                : "expected one DIR, got %d", argc - 1);
    if (!g_file_test (argv[1], G_FILE_TEST_IS_DIR))
        return cmd_usage_error ("report", "'%s' is not a folder (give the "
                                "folder kbsim run wrote, e.g. out/demo)",
                                argv[1]);
    rd = runfiles_read (argv[1], &error);
    if (rd == NULL)
        return cmd_input_error (error);
    if (out == NULL)
        out = g_build_filename (argv[1], "report.pdf", NULL);
    if (charts) {
        g_autofree char *dir = g_build_filename (argv[1], "charts", NULL);

        if (!runcharts_write (dir, rd, CHART_FORMAT_PNG, dpi, &error))
            return cmd_input_error (error);
    }
    /* the appendix: the scenario as run, read from DIR/scenario.yaml or
     * from the original file when that still holds the same text */
    if (!report_write_pdf (out, rd, rd->sc->source, &error))
        return cmd_input_error (error);
    printf ("Report: %s (from the files in %s)\n", out, argv[1]);
    return KB_EXIT_OK;
}
