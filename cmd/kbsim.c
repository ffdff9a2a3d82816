/* kbsim.c: main() and the table of subcommands.
 *
 * `kbsim COMMAND [OPTION...] [ARG...]`. The command word picks an entry of
 * cmd_table; everything after it is that command's, parsed with GOption in
 * its cmd-<name>.c. Exit status: 0 success, 1 the scenario's checks failed,
 * 2 usage or input error.
 *
 * Under mpirun or srun every rank starts in main(): rank 0 runs the
 * command, the others only serve its batches (experiments/ranks.h).
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <gsl/gsl_errno.h>

#include "cmd/cmd.h"
#include "experiments/ranks.h"
#include "reports/chart.h"
#include "reports/output.h"
#include "sim/suggest.h"

const Cmd cmd_table[] = {
    { "run", "Simulate a scenario; print a summary, write data and charts",
      cmd_run, NULL },
    { "validate", "Check a scenario and summarise what it contains",
      cmd_validate, NULL },
    { "plan", "Find the cheapest node mix that meets placement targets",
      cmd_plan, NULL },
    { "sweep", "Run a grid of what-if variants with confidence intervals",
      cmd_sweep, NULL },
    { "compare", "Compare scenarios or variants side by side",
      cmd_compare, NULL },
    { "explain", "Say why a pod is stuck, or describe a node",
      cmd_explain, NULL },
    { "get", "List pods, nodes or events as `kubectl get` shows them",
      cmd_get, NULL },
    { "headroom", "Count how many more copies of a pod fit, per pool",
      cmd_headroom, NULL },
    { "demo", "Step-by-step lessons on the kernel barrier",
      cmd_demo, NULL },
    { "report", "Remake the PDF capacity report from a finished run",
      cmd_report, NULL },
    { NULL, NULL, NULL, NULL }
};

static void
print_usage (FILE *out)
{
    fprintf (out,
             "Usage:\n"
             "  kbsim COMMAND [OPTION...] [ARG...]\n"
             "\n"
             "Simulate mixed Windows/Linux Kubernetes clusters: where pods "
             "land, why they\n"
             "fail (the kernel barrier: Windows containers run only on "
             "Windows nodes of a\n"
             "matching build, Linux ones only on Linux), and what the "
             "cluster costs.\n"
             "\n"
             "Commands:\n");
    for (const Cmd *c = cmd_table; c->name; c++)
        fprintf (out, "  %-10s %s%s\n", c->name, c->summary,
                 c->func ? "" : " (not built yet)");
    fprintf (out,
             "  %-10s %s\n"
             "\n"
             "Options:\n"
             "  -h, --help     Show this help\n"
             "  --version      Show the version\n"
             "\n"
             "Use \"kbsim help COMMAND\" or \"kbsim COMMAND --help\" for a "
             "command's options.\n"
             "Example:\n"
             "  kbsim validate scenarios/demo.yaml\n"
             "  kbsim run scenarios/demo.yaml --set node_pools.win2019.count=10"
             "\n",
             "help", "Show help for a command");
}

static const Cmd *
find_cmd (const char *name)
{
    for (const Cmd *c = cmd_table; c->name; c++)
        if (strcmp (c->name, name) == 0)
            return c;
    return NULL;
}

static int
unknown_command (const char *name)
{
    const char *names[G_N_ELEMENTS (cmd_table) + 1];
    const char *best;
    gsize n = 0;

    for (const Cmd *c = cmd_table; c->name; c++)
        names[n++] = c->name;
    names[n++] = "help";
    names[n] = NULL;
    best = suggest_closest (name, names);
    fprintf (stderr, "kbsim: unknown command '%s'", name);
    if (best)
        fprintf (stderr, " (did you mean '%s'?)", best);
    fprintf (stderr, "\nRun 'kbsim --help' for the list of commands.\n");
    return KB_EXIT_USAGE;
}

static int
run_cmd (const Cmd *c, int argc, char **argv)
{
    g_autofree char *argv0 = g_strdup_printf ("kbsim %s", c->name);
    int status;

    if (c->func == NULL) {
        fprintf (stderr, "kbsim: '%s' is not built yet; it arrives with %s "
                 "(see the Status section of README.md)\n", c->name,
                 c->arrives_with);
        return KB_EXIT_USAGE;
    }
    argv[0] = argv0;
    g_set_prgname (argv0);      /* GOption's usage line: "kbsim run" */
    status = c->func (argc, argv);
    chart_release_fonts ();     /* so valgrind and LSan see only ours */
    return status;
}

static int
help_cmd (int argc, char **argv)
{
    const Cmd *c;
    char *sub_argv[] = { NULL, (char *) "--help", NULL };

    if (argc < 3) {
        print_usage (stdout);
        return KB_EXIT_OK;
    }
    c = find_cmd (argv[2]);
    if (c == NULL)
        return unknown_command (argv[2]);
    return run_cmd (c, 2, sub_argv);
}

static int
kbsim_main (int argc, char **argv)
{
    const Cmd *c;

    if (argc < 2) {
        print_usage (stderr);
        return KB_EXIT_USAGE;
    }
    if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "-V") == 0) {
        printf ("kbsim %s\n", KBSIM_VERSION);
        return KB_EXIT_OK;
    }
    if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0) {
        print_usage (stdout);
        return KB_EXIT_OK;
    }
    if (strcmp (argv[1], "help") == 0)
        return help_cmd (argc, argv);
    if (argv[1][0] == '-') {
        fprintf (stderr, "kbsim: unknown option '%s' before the command\n"
                 "Run 'kbsim --help' for usage.\n", argv[1]);
        return KB_EXIT_USAGE;
    }
    c = find_cmd (argv[1]);
    if (c == NULL)
        return unknown_command (argv[1]);
    return run_cmd (c, argc - 1, argv + 1);
}

/* Under mpirun every rank starts here: rank 0 goes on to the command,
 * the others serve its batches (experiments/ranks.h). */
int
main (int argc, char **argv)
{
    int status;

    setlocale (LC_ALL, "");
    gsl_set_error_handler_off ();
    g_set_prgname ("kbsim");
    output_install_signal_handlers ();
    if (exp_ranks_init (&argc, &argv))
        return exp_ranks_serve ();
    status = kbsim_main (argc, argv);
    exp_ranks_finish ();
    return status;
}
