/* engine.h: the discrete-event engine: clock, event table, run loop.
 *
 * Models schedule events: a static SimEventKind (a name for traces and a
 * handler) plus an object pointer and an integer argument. The engine runs
 * them in (time, scheduling order): two events at the same time run in the
 * order they were scheduled, so a run is a pure function of its inputs.
 *
 * Lifetime rule: the engine never owns, reads or frees the object pointer
 * of an event; it only hands it back to the handler. An object's owner must
 * cancel the object's pending events before freeing it (a failed node
 * cancels its pods' completions). Cancellation is O(1): the event is marked
 * and skipped when its time comes; the engine compacts the queue when
 * cancelled events outnumber live ones.
 *
 * Handlers may schedule and cancel events, including the one being run
 * (which has already left the queue: cancelling it returns FALSE), and may
 * call sim_engine_stop().
 *
 * Low level: knows no Kubernetes; a model is only an opaque pointer here.
 */
#ifndef KBSIM_ENGINE_H
#define KBSIM_ENGINE_H

#include <glib.h>

#include "sim/time.h"

G_BEGIN_DECLS

typedef struct SimEngine SimEngine;

typedef void (*SimHandler) (SimEngine *engine, gpointer obj, gint64 arg);

/* One per kind of event, usually a static const in the model's file. */
typedef struct {
    const char *name;
    SimHandler handler;
} SimEventKind;

/* A handle: a slot in the event table and that slot's generation. Handles
 * go stale when their event runs or is cancelled; a stale handle is
 * harmless. SIM_EVENT_ID_NONE (generation 0) never names an event. */
typedef struct {
    guint32 slot;
    guint32 gen;
} SimEventId;

#define SIM_EVENT_ID_NONE ((SimEventId) { 0, 0 })

/* Sees every event just before its handler runs. */
typedef void (*SimTraceHook) (SimEngine *engine, SimTime time,
                              const SimEventKind *kind, gpointer obj,
                              gint64 arg, gpointer user_data);

/* Checked after every event; returning TRUE stops the run. */
typedef gboolean (*SimStopCondition) (SimEngine *engine, gpointer user_data);

typedef enum {
    SIM_RUN_EMPTY,      /* no events left */
    SIM_RUN_TIME,       /* reached the time limit; later events queued */
    SIM_RUN_STOPPED     /* sim_engine_stop() or the stop condition */
} SimRunResult;

/* (transfer full): free with sim_engine_free(), which drops pending events
 * without running them. The clock starts at 0. */
SimEngine *sim_engine_new (void);
void       sim_engine_free (SimEngine *engine);

SimTime    sim_engine_now (const SimEngine *engine);

/* Schedules kind->handler(engine, obj, arg) at time `at`, which must not be
 * before now (a bug: g_return_val_if_fail, returns SIM_EVENT_ID_NONE). */
SimEventId sim_engine_schedule (SimEngine *engine, SimTime at,
                                const SimEventKind *kind, gpointer obj,
                                gint64 arg);
/* The same at now + delay (saturating); delay >= 0. */
SimEventId sim_engine_schedule_in (SimEngine *engine, SimTime delay,
                                   const SimEventKind *kind, gpointer obj,
                                   gint64 arg);

/* Cancels a pending event. FALSE when the handle is stale: the event ran,
 * is running, or was already cancelled. */
gboolean   sim_engine_cancel (SimEngine *engine, SimEventId id);
gboolean   sim_engine_is_pending (const SimEngine *engine, SimEventId id);
/* The time of a pending event; SIM_TIME_NEVER for a stale handle.
 * O(pending events): for tests and diagnostics, not for models. */
SimTime    sim_engine_event_time (const SimEngine *engine, SimEventId id);

/* Runs every event with time <= until, then sets the clock to until
 * (unless stopped, when the clock stays at the last event's time). */
SimRunResult sim_engine_run_until (SimEngine *engine, SimTime until);
/* Runs until no events are left or a stop. */
SimRunResult sim_engine_run (SimEngine *engine);
/* From a handler: stop once the current event is done. */
void       sim_engine_stop (SimEngine *engine);

void       sim_engine_set_trace (SimEngine *engine, SimTraceHook hook,
                                 gpointer user_data);
void       sim_engine_set_stop_condition (SimEngine *engine,
                                          SimStopCondition cond,
                                          gpointer user_data);

/* Counters: events run so far; events pending (not cancelled). */
guint64    sim_engine_events_run (const SimEngine *engine);
gsize      sim_engine_pending (const SimEngine *engine);

G_END_DECLS

#endif
