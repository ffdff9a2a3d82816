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
#include "sim/experiment.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

gboolean export_summary_json (const char *path, const Cluster *c,
                              const RunSummary *s, const CostReport *cost,
                              GError **error);
gboolean export_timeseries_csv (const char *path, const Cluster *c,
                                const Metrics *m, GError **error);
gboolean export_pods_csv (const char *path, const Cluster *c,
                          GError **error);

/* Writes s as one CSV field (RFC 4180): quoted when it holds a comma,
 * quote or line break. NULL writes nothing. */
void export_csv_text (FILE *fp, const char *s);

/* ---- experiments (replications, sweeps, comparisons, the planner) ---- */

/* The unit suffix of a metric's CSV column: "frac", "s", "pods", "usd",
 * "bytes". */
const char *export_metric_unit (ExpMetric m);

/* One row per replication: replication, then every metric as
 * KEY_UNIT. */
gboolean export_replications_csv (const char *path, const ExpResult *r,
                                  GError **error);

/* Long format, one row per (result, metric): the key columns (NULL-
 * terminated titles; keys[i] holds result i's cells, as many), then
 * metric, unit, n, mean, sd, ci95_low, ci95_high, min, max. */
gboolean export_stats_csv (const char *path, const char *const *key_titles,
                           const char *const *const *keys,
                           ExpResult *const *results, guint n,
                           GError **error);

/* The same as JSON: {kbsim_version, scenario, seed, replications,
 * first_replication, points: [{keys: {title: cell}, conserved,
 * metrics: {KEY: {unit, n, mean, sd, ci95_low, ci95_high, min, max,
 * values: [...]}}}]}. extra, when not NULL, is a JSON object whose
 * members are added at the top level (the planner's answer). */
gboolean export_stats_json (const char *path, const char *const *key_titles,
                            const char *const *const *keys,
                            ExpResult *const *results, guint n,
                            JsonNode *extra, GError **error);

G_END_DECLS

#endif
