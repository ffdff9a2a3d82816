/* cmd-exp.h: helpers of the commands that run experiments (run with
 * --replications, sweep, compare, plan). */
#ifndef KBSIM_CMD_EXP_H
#define KBSIM_CMD_EXP_H

#include <glib.h>

#include "reports/report.h"
#include "cmd/cmd.h"
#include "experiments/experiment.h"

G_BEGIN_DECLS

/* A progress line on stderr, "what: 12/30 runs done, 4 s elapsed, about
 * 6 s left", shown only on a terminal, not when quiet, and only once work
 * has taken a second. A command running several batches sets total (all
 * runs it will do, 0 if unknown) and done_before (runs of earlier
 * batches). */
typedef struct {
    const char *what;
    gboolean enabled, shown;
    guint done_before, total;
} CmdProgress;

void cmd_progress_init (CmdProgress *p, const char *what, gboolean quiet);
/* Points o's progress callback at p. */
void cmd_progress_attach (CmdProgress *p, ExpOptions *o);
/* Clears the line, if one is shown. */
void cmd_progress_end (CmdProgress *p);

/* Checks --replications (1..100000) and --jobs (0..1024); on error
 * prints it, sets *status and returns FALSE. */
gboolean cmd_check_replications (const char *cmd, int replications,
                                 int jobs, int *status);

/* "lo .. hi" in m's unit, or "-" without an interval. (transfer full) */
char *cmd_format_ci (ExpMetric m, const ExpStats *st);

/* Prints mean, CI, min and max of the metrics listed (all when which is
 * NULL and n is EXP_N_METRICS). */
void cmd_print_stats (const ExpResult *r, const ExpMetric *which, guint n);

/* A report section with the same table. (transfer full) */
ReportSection *cmd_stats_section (const char *title, const ExpResult *r);

G_END_DECLS

#endif
