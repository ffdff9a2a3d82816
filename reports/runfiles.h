/* runfiles.h: the run folder: the files `kbsim run` writes and `kbsim
 * report DIR` reads back.
 *
 * summary.json, timeseries.csv and pods.csv are the run's data files;
 * nodes.csv, pulls.csv, run.json (the scenario's path and the --set
 * overrides) and scenario.yaml (its text) are what the report needs
 * besides them. Each file's writer and reader sit side by side in
 * runfiles.c, so a format is defined in one place; the formats are
 * documented in reports/README.md. Every file is written under a
 * temporary name and renamed when complete (output.h), and writing
 * errors are KB_OUTPUT_ERROR.
 */
#ifndef KBSIM_RUNFILES_H
#define KBSIM_RUNFILES_H

#include <glib.h>

#include "models/cluster.h"
#include "models/cost.h"
#include "models/metrics.h"
#include "reports/rundata.h"

G_BEGIN_DECLS

#define KB_RUNFILES_ERROR (kb_runfiles_error_quark ())
GQuark kb_runfiles_error_quark (void);

typedef enum {
    KB_RUNFILES_ERROR_IO,       /* a file is missing or unreadable */
    KB_RUNFILES_ERROR_FORMAT,   /* a file does not hold what kbsim writes */
    KB_RUNFILES_ERROR_VERSION   /* written by another kbsim version */
} KbRunFilesError;

/* The files' names in the folder. */
#define RUNFILES_SUMMARY    "summary.json"
#define RUNFILES_TIMESERIES "timeseries.csv"
#define RUNFILES_PODS       "pods.csv"
#define RUNFILES_NODES      "nodes.csv"
#define RUNFILES_PULLS      "pulls.csv"
#define RUNFILES_RUN        "run.json"
#define RUNFILES_SCENARIO   "scenario.yaml"
#define RUNFILES_EVENTS     "events.log"

/* The run's data files, each at path (RUNFILES_SUMMARY, _TIMESERIES and
 * _PODS in the folder). */
gboolean runfiles_write_summary (const char *path, const Cluster *c,
                                 const RunSummary *s, const CostReport *cost,
                                 GError **error);
gboolean runfiles_write_timeseries (const char *path, const Cluster *c,
                                    const Metrics *m, GError **error);
gboolean runfiles_write_pods (const char *path, const Cluster *c,
                              GError **error);

/* One line of events.log, written as the run goes: time, namespace,
 * type, reason, kind/object and message, separated by tabs. */
void runfiles_write_event (FILE *fp, const ClusterEvent *ev);

/* nodes.csv, pulls.csv, run.json and scenario.yaml (scenario_text, or
 * empty when NULL) into dir. */
gboolean runfiles_write_extra (const char *dir, Cluster *c,
                               const char *scenario_path,
                               const char *const *overrides,
                               const char *scenario_text, GError **error);

/* The run again from the folder dir: the scenario as run (scenario.yaml,
 * with the overrides recorded in run.json; the original file instead
 * when it still holds the same text, so relative paths work),
 * summary.json, timeseries.csv, pods.csv, nodes.csv and pulls.csv.
 * Errors are KB_RUNFILES_ERROR and name the file and, for text files,
 * the line. (transfer full): rundata_free(). */
RunData *runfiles_read (const char *dir, GError **error);

G_END_DECLS

#endif
