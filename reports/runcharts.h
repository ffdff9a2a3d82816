/* runcharts.h: the charts a run produces, in out/<scenario>/charts/.
 *
 *   placement   placement success over time per OS, with event markers
 *   phases-OS   pods by state over time, stacked, one chart per OS
 *   reasons     failure reasons by OS (pods affected)
 *   ttr         time to Running, empirical CDF per OS with p50 and p95
 *   pulls       bytes pulled per image, Windows against Linux
 *   cost        cost accrued over time, stacked by pool
 *   cost-os     cost by OS, the Windows licence shown on its own
 *   utilization requested CPU by pool over time (heat map)
 */
#ifndef KBSIM_RUNCHARTS_H
#define KBSIM_RUNCHARTS_H

#include <glib.h>

#include "models/cluster.h"
#include "models/cost.h"
#include "models/metrics.h"
#include "reports/chart.h"
#include "reports/rundata.h"

G_BEGIN_DECLS

/* The width of the placement chart's creation-time buckets for a run
 * that ended at end: 6 h beyond two days, 1 h beyond 12 h, else about a
 * twelfth of the run in whole minutes. */
SimTime runcharts_placement_bucket (SimTime end);

/* The charts' names, in order, NULL-terminated. (transfer none). */
const char *const *runcharts_names (void);

/* The named chart for this run, or NULL for an unknown name.
 * (transfer full): chart_free(). */
Chart *runcharts_build (const char *name, const RunData *d);

/* Writes every chart into dir (created if needed) in the given format
 * (PNG at dpi). Returns FALSE with the first error. */
gboolean runcharts_write (const char *dir, const RunData *d,
                          ChartFormat format, double dpi, GError **error);

G_END_DECLS

#endif
