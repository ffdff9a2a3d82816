/* expcharts.h: charts of experiments: replications, sweeps, comparisons
 * and the capacity planner's frontier.
 *
 * Every chart shows means with their 95% confidence intervals (a band
 * under a line, or whiskers on a dot), computed by exp_stats_compute(),
 * and says in its subtitle how many replications stand behind it.
 * (transfer full) for every Chart returned: chart_free().
 */
#ifndef KBSIM_EXPCHARTS_H
#define KBSIM_EXPCHARTS_H

#include <glib.h>

#include "reports/chart.h"
#include "experiments/experiment.h"

G_BEGIN_DECLS

/* The chart format of a metric's unit. */
UnitsValueFormat expchart_format (ExpMetric m);

/* Pods waiting (Pending) over time per OS: the mean over the
 * replications at each sample, with its band. */
Chart *expchart_waiting (const ExpResult *r);
/* Placement success per OS by creation time (the placement chart of a
 * run), the mean over the replications with its band. */
Chart *expchart_placement (const ExpResult *r);
/* Pods Running over time per OS, the same way. */
Chart *expchart_running (const ExpResult *r);

/* The same, one line per result (all of one OS or both), for variants
 * compared side by side. names[i] labels results[i]. */
Chart *expchart_waiting_overlay (ExpResult *const *results,
                                 const char *const *names, guint n);

/* A metric against one swept parameter: mean with band at each x. */
Chart *expchart_sweep_line (ExpResult *const *results, const double *x,
                            guint n, const char *x_label, ExpMetric m);

/* A metric over a grid of two parameters: results[iy * nx + ix] at
 * (x[ix], y_labels[iy]), x ascending; cells show the mean. */
Chart *expchart_sweep_heatmap (ExpResult *const *results, const double *x,
                               guint nx, const char *x_label,
                               const char *const *y_labels, guint ny,
                               const char *y_label, ExpMetric m);

/* One bar per variant for a metric (the mean); CIs are in the table. */
Chart *expchart_compare_bars (ExpResult *const *results,
                              const char *const *names, guint n,
                              ExpMetric m);

/* The capacity planner's frontier: each configuration it ran at its mean
 * cost (x) and the mean of metric m (y) with whiskers lo..hi, coloured by
 * whether it met every target; best is drawn apart; target (NaN: none)
 * as a horizontal line; the cheapest-so-far envelope as a step line. */
Chart *expchart_frontier (const double *cost, const double *y,
                          const double *lo, const double *hi,
                          const gboolean *feasible, guint n, guint best,
                          ExpMetric m, double target);

G_END_DECLS

#endif
