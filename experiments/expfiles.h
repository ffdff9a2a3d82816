/* expfiles.h: the data files of the experiments (replications, sweeps,
 * comparisons, the planner). Formats in reports/README.md.
 */
#ifndef KBSIM_EXPFILES_H
#define KBSIM_EXPFILES_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "experiments/experiment.h"

G_BEGIN_DECLS

/* The unit suffix of a metric's CSV column: "frac", "s", "pods", "usd",
 * "bytes". */
const char *expfiles_metric_unit (ExpMetric m);

/* One row per replication: replication, then every metric as
 * KEY_UNIT. */
gboolean expfiles_replications_csv (const char *path, const ExpResult *r,
                                    GError **error);

/* Long format, one row per (result, metric): the key columns (NULL-
 * terminated titles; keys[i] holds result i's cells, as many), then
 * metric, unit, n, mean, sd, ci95_low, ci95_high, min, max. */
gboolean expfiles_stats_csv (const char *path, const char *const *key_titles,
                             const char *const *const *keys,
                             ExpResult *const *results, guint n,
                             GError **error);

/* The same as JSON: {kbsim_version, scenario, seed, replications,
 * first_replication, points: [{keys: {title: cell}, conserved,
 * metrics: {KEY: {unit, n, mean, sd, ci95_low, ci95_high, min, max,
 * values: [...]}}}]}. extra, when not NULL, is a JSON object whose
 * members are added at the top level (the planner's answer). */
gboolean expfiles_stats_json (const char *path, const char *const *key_titles,
                              const char *const *const *keys,
                              ExpResult *const *results, guint n,
                              JsonNode *extra, GError **error);

G_END_DECLS

#endif
