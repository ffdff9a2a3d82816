/* export.h: a run's data files: summary.json, timeseries.csv, pods.csv.
 *
 * The formats are documented in reports/README.md. JSON is built with
 * json-glib; every file goes through output.c (temporary name, rename).
 */
#ifndef KBSIM_EXPORT_H
#define KBSIM_EXPORT_H

#include <stdio.h>

#include <glib.h>

#include "models/cluster.h"
#include "models/cost.h"
#include "models/metrics.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean export_summary_json (const char *path, const Cluster *c,
                              const RunSummary *s, const CostReport *cost,
                              GError **error);
gboolean export_timeseries_csv (const char *path, const Cluster *c,
                                const Metrics *m, GError **error);
gboolean export_pods_csv (const char *path, const Cluster *c,
                          GError **error);

G_END_DECLS

#endif
