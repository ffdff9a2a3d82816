/* cmd-exp.h: what the commands that run experiments (run with
 * --replications, sweep, compare, plan) share: their common options,
 * the variants a sweep or comparison runs side by side, the progress
 * line, the statistics table and the files of the first replication.
 *
 * Below cmd/'s commands and above experiments/: the words here are the
 * command line's (options, exit statuses, terminal lines), the work is
 * experiment_run_batch()'s.
 */
#ifndef KBSIM_CMD_EXP_H
#define KBSIM_CMD_EXP_H

#include <glib.h>

#include "reports/chart.h"
#include "reports/report.h"
#include "cmd/cmd.h"
#include "experiments/experiment.h"

G_BEGIN_DECLS

/* ---- the options they share --------------------------------------------- */

/* The shared options as parsed. A command sets its defaults (such as
 * replications) before parsing; the strings and lists are GOption's and
 * cmd_exp_args_clear() frees them. */
typedef struct {
    char **sets;                /* --set PATH=VALUE..., or NULL */
    char **metrics;             /* --metric KEY..., or NULL */
    int replications;           /* --replications N */
    int jobs;                   /* --jobs N; 0: one per core */
    char *out;                  /* --out DIR, or NULL */
    char *report;               /* --report FILE, or NULL */
    gboolean quiet;             /* --quiet */
} CmdExpArgs;

void cmd_exp_args_clear (CmdExpArgs *a);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CmdExpArgs, cmd_exp_args_clear)

typedef enum {
    CMD_EXP_SET,
    CMD_EXP_METRIC,
    CMD_EXP_REPLICATIONS,
    CMD_EXP_JOBS,
    CMD_EXP_OUT,
    CMD_EXP_REPORT,
    CMD_EXP_QUIET,
    CMD_EXP_N_OPTIONS
} CmdExpOption;

/* The GOptionEntry of shared option `which`: its names, argument type
 * and placeholder come from the one table in cmd-exp.c, its value goes
 * into a, and help is the command's own line (what --replications
 * counts, where --out defaults to). For a command's option array, in the
 * order its help lists them. */
GOptionEntry cmd_exp_option (CmdExpOption which, CmdExpArgs *a,
                             const char *help);

/* Checks --replications (1..100000) and --jobs (0..1024); on error
 * prints it, sets *status and returns FALSE. */
gboolean cmd_check_replications (const char *cmd, int replications,
                                 int jobs, int *status);

/* Turns --metric keys into out; without keys, the n defaults, or every
 * metric when defaults is NULL. On an unknown key prints it (with the
 * closest key and the list), sets *status and returns FALSE. */
gboolean cmd_exp_parse_metrics (const char *cmd, char **keys,
                                const ExpMetric *defaults, guint n,
                                GArray *out, int *status);

/* ---- variants run side by side ------------------------------------------ */

/* The scenarios a sweep or comparison runs as one batch, the cells that
 * name each in its table and files, and their results. Everything is
 * owned and freed by cmd_variants_clear(). */
typedef struct {
    guint n;
    Scenario **scenarios;       /* n; NULL until loaded */
    char ***keys;               /* n NULL-terminated lists of cells */
    ExpResult **results;        /* n once run, else NULL */
    ExpSource *sources;         /* n: the path and --set lines each was
                                 * loaded from (for the other MPI ranks) */
    char **paths;               /* n, the strings sources point to */
    char ***sets;
} CmdVariants;

void cmd_variants_init (CmdVariants *v, guint n);
void cmd_variants_clear (CmdVariants *v);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CmdVariants, cmd_variants_clear)

/* Loads variant i from path with the base overrides, then extra; an
 * error is prefixed by label ("label: ...") and a developer's desktop
 * (dev_host) is refused. */
gboolean cmd_variants_load (CmdVariants *v, guint i, const char *path,
                            const char *const *base,
                            const char *const *extra, const char *label,
                            GError **error);

/* Runs replications 0..a->replications-1 of every variant as one batch
 * on a->jobs threads, with a progress line unless a->quiet; each
 * result keeps its first replication whole (for the report). */
void cmd_variants_run (CmdVariants *v, const char *what,
                       const CmdExpArgs *a);

/* ---- progress ----------------------------------------------------------- */

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

/* ---- figures, tables and files ------------------------------------------ */

/* "lo .. hi" in m's unit, or "-" without an interval. (transfer full) */
char *cmd_format_ci (ExpMetric m, const ExpStats *st);

/* "mean ± half-width" in m's unit, or the mean alone without an
 * interval. (transfer full) */
char *cmd_format_mean_pm (ExpMetric m, const ExpStats *st);

/* Prints mean, CI, min and max of the metrics listed (all when which is
 * NULL and n is EXP_N_METRICS). */
void cmd_print_stats (const ExpResult *r, const ExpMetric *which, guint n);

/* A report section with the same table. (transfer full) */
ReportSection *cmd_stats_section (const char *title, const ExpResult *r);

/* Saves chart as DIR/NAME.png (720 x 400 at 144 dpi), then hands it to
 * sec with caption, or frees it when sec is NULL. */
gboolean cmd_save_chart (Chart *chart, const char *dir, const char *name,
                         ReportSection *sec, const char *caption,
                         GError **error);

/* The capacity report of r's first replication (kept whole) with the
 * sections before its pages; the appendix lists r's scenario as
 * written. */
gboolean cmd_write_first_report (const char *path, const ExpResult *r,
                                 const GPtrArray *sections, GError **error);

G_END_DECLS

#endif
