/* queue.h: the pending-event set, a monotone priority queue.
 *
 * A discrete-event simulation never schedules into its past, so the queue
 * can exploit monotonicity: every pushed time must be >= the time of the
 * last entry popped (sim_queue_floor()). Under that rule the queue is a
 * radix heap (Ahuja, Mehlhorn, Orlin and Tarjan 1990): push is O(1), pop is
 * O(1) amortised plus at most 64 moves per entry over its whole life.
 * tests/bench-queue.c compares it with a tuned 4-ary heap on the hold
 * model; the radix heap won at every size (figures in the README).
 *
 * Ordering is (time, push order): entries with equal times pop in the order
 * they were pushed. The radix heap gives this without storing a sequence
 * number, because equal keys always share a bucket and buckets are FIFO
 * arrays that are redistributed in order (see queue.c).
 *
 * The queue stores a 32-bit payload per entry and owns nothing else; the
 * engine uses the payload as an index into its event table.
 *
 * Low level: knows no Kubernetes, no model and not the engine above it.
 */
#ifndef KBSIM_QUEUE_H
#define KBSIM_QUEUE_H

#include <glib.h>

#include "sim/time.h"

G_BEGIN_DECLS

typedef struct SimQueue SimQueue;

/* (transfer full): free with sim_queue_free(). */
SimQueue *sim_queue_new (void);
void      sim_queue_free (SimQueue *queue);

/* Adds an entry. time must be >= sim_queue_floor(queue); an earlier time is
 * a bug in the caller (g_return_if_fail). */
void      sim_queue_push (SimQueue *queue, SimTime time, guint32 payload);

/* Removes the earliest entry if its time is <= limit, storing its time and
 * payload; returns FALSE, changing nothing, when the queue is empty or its
 * earliest entry is later than limit. Pass SIM_TIME_NEVER for "any". */
gboolean  sim_queue_pop (SimQueue *queue, SimTime limit, SimTime *time,
                         guint32 *payload);

/* The earliest time without removing anything; FALSE when empty.
 * O(size of the lowest bucket). */
gboolean  sim_queue_peek_time (SimQueue *queue, SimTime *time);

/* The lowest time that may still be pushed: the time of the last entry
 * popped, or G_MININT64 before the first pop. */
SimTime   sim_queue_floor (const SimQueue *queue);

gsize     sim_queue_size (const SimQueue *queue);

/* Drops every entry for which keep(payload, data) returns FALSE, keeping
 * the order of the rest. O(n). */
typedef gboolean (*SimQueueKeepFunc) (guint32 payload, gpointer data);
/* Calls fn on every entry, in no particular order. O(n). */
typedef void (*SimQueueVisitFunc) (guint32 payload, SimTime time,
                                   gpointer data);
void      sim_queue_foreach (const SimQueue *queue, SimQueueVisitFunc fn,
                             gpointer data);
void      sim_queue_filter (SimQueue *queue, SimQueueKeepFunc keep,
                            gpointer data);

G_END_DECLS

#endif
