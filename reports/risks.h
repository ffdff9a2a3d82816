/* risks.h: the executive summary's risks, in words, from a finished run.
 *
 * A risk is one sentence a manager can act on: what kept pods from
 * running (the cause, and the scenario event that set it off when there
 * was one), how many pods it cost, and one recommendation. They are
 * computed from a RunData only (the live run's or one read back from its
 * folder), so `kbsim report DIR` words them the same way.
 *
 * The words, not the raw messages: the failures section of the report
 * keeps one real message per reason.
 */
#ifndef KBSIM_RISKS_H
#define KBSIM_RISKS_H

#include <glib.h>

#include "reports/rundata.h"

G_BEGIN_DECLS

/* The biggest risks of the run, at most max, biggest first: workloads
 * the API server refused, then the groups of pods that missed their
 * placement deadline (by workload, by stage: waiting for a node or
 * starting on one, and by the event that caused it), largest first, ties
 * in scenario order. Each is a sentence ending with its recommendation.
 * (transfer full): g_ptr_array_unref() frees the strings too. */
GPtrArray *risks_list (const RunData *rd, guint max);

G_END_DECLS

#endif
