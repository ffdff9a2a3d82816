/* export.h: the names the run's data files were written by before
 * runfiles.h; each calls its runfiles_write_*() namesake. New code calls
 * runfiles.h.
 */
#ifndef KBSIM_EXPORT_H
#define KBSIM_EXPORT_H

#include "reports/runfiles.h"

G_BEGIN_DECLS

/* runfiles_write_summary(), runfiles_write_timeseries(),
 * runfiles_write_pods(). */
gboolean export_summary_json (const char *path, const Cluster *c,
                              const RunSummary *s, const CostReport *cost,
                              GError **error);
gboolean export_timeseries_csv (const char *path, const Cluster *c,
                                const Metrics *m, GError **error);
gboolean export_pods_csv (const char *path, const Cluster *c,
                          GError **error);

G_END_DECLS

#endif
