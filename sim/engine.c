/* engine.c: clock, event table and run loop.
 *
 * Events live in a table of slots; the queue orders slot indices by time.
 * A slot is released (its generation bumped, so old handles go stale) when
 * its event is popped, whether it ran or had been cancelled. Free slots are
 * kept on a stack, so the table's size is the peak number of events pending
 * at once (cancelled ones included until purged).
 */
#include "sim/engine.h"

#include "sim/queue.h"

typedef enum {
    SLOT_FREE,
    SLOT_PENDING,
    SLOT_CANCELLED
} SlotState;

/* 32 bytes, two to a cache line: the run loop reads one slot per event,
 * at random, so its size matters (the hold-model benchmark). The event's
 * time lives only in the queue. */
typedef struct {
    const SimEventKind *kind;
    gpointer obj;
    gint64 arg;
    guint32 gen;
    guint32 state;
} Slot;

struct SimEngine {
    SimTime now;
    SimQueue *queue;
    Slot *slots;
    guint32 n_slots;
    guint32 cap_slots;
    guint32 *free_slots;        /* stack of released slot indices */
    guint32 n_free;
    gsize n_pending;
    gsize n_cancelled;
    guint64 events_run;
    gboolean stop;
    SimTraceHook trace;
    gpointer trace_data;
    SimStopCondition stop_cond;
    gpointer stop_data;
};

/* Purge cancelled entries once they are this many and outnumber the
 * live ones, so that the queue stays within twice its live size. */
#define PURGE_MIN 4096

SimEngine *
sim_engine_new (void)
{
    SimEngine *engine = g_new0 (SimEngine, 1);

    engine->queue = sim_queue_new ();
    return engine;
}

void
sim_engine_free (SimEngine *engine)
{
    if (engine == NULL)
        return;
    sim_queue_free (engine->queue);
    g_free (engine->slots);
    g_free (engine->free_slots);
    g_free (engine);
}

SimTime
sim_engine_now (const SimEngine *engine)
{
    return engine->now;
}

static guint32
slot_take (SimEngine *engine)
{
    if (engine->n_free > 0)
        return engine->free_slots[--engine->n_free];
    if (engine->n_slots == engine->cap_slots) {
        g_return_val_if_fail (engine->cap_slots < G_MAXUINT32 / 2, 0);
        engine->cap_slots = engine->cap_slots ? engine->cap_slots * 2 : 256;
        engine->slots = g_renew (Slot, engine->slots, engine->cap_slots);
        engine->free_slots = g_renew (guint32, engine->free_slots,
                                      engine->cap_slots);
    }
    engine->slots[engine->n_slots].gen = 0;
    return engine->n_slots++;
}

static void
slot_release (SimEngine *engine, guint32 i)
{
    Slot *s = &engine->slots[i];

    s->state = SLOT_FREE;
    s->gen++;
    engine->free_slots[engine->n_free++] = i;
}

SimEventId
sim_engine_schedule (SimEngine *engine, SimTime at, const SimEventKind *kind,
                     gpointer obj, gint64 arg)
{
    guint32 i;
    Slot *s;

    g_return_val_if_fail (kind != NULL && kind->handler != NULL,
                          SIM_EVENT_ID_NONE);
    g_return_val_if_fail (at >= engine->now, SIM_EVENT_ID_NONE);
    i = slot_take (engine);
    s = &engine->slots[i];
    if (s->gen == 0)
        s->gen = 1;             /* generation 0 means "no event" */
    s->kind = kind;
    s->obj = obj;
    s->arg = arg;
    s->state = SLOT_PENDING;
    sim_queue_push (engine->queue, at, i);
    engine->n_pending++;
    return (SimEventId) { i, s->gen };
}

SimEventId
sim_engine_schedule_in (SimEngine *engine, SimTime delay,
                        const SimEventKind *kind, gpointer obj, gint64 arg)
{
    g_return_val_if_fail (delay >= 0, SIM_EVENT_ID_NONE);
    return sim_engine_schedule (engine, sim_time_add (engine->now, delay),
                                kind, obj, arg);
}

static Slot *
slot_lookup (const SimEngine *engine, SimEventId id)
{
    Slot *s;

    if (id.gen == 0 || id.slot >= engine->n_slots)
        return NULL;
    s = &engine->slots[id.slot];
    if (s->gen != id.gen || s->state != SLOT_PENDING)
        return NULL;
    return s;
}

static gboolean
keep_live (guint32 payload, gpointer data)
{
    SimEngine *engine = data;

    if (engine->slots[payload].state != SLOT_CANCELLED)
        return TRUE;
    slot_release (engine, payload);
    return FALSE;
}

gboolean
sim_engine_cancel (SimEngine *engine, SimEventId id)
{
    Slot *s = slot_lookup (engine, id);

    if (s == NULL)
        return FALSE;
    s->state = SLOT_CANCELLED;
    engine->n_pending--;
    engine->n_cancelled++;
    if (engine->n_cancelled >= PURGE_MIN
        && engine->n_cancelled > engine->n_pending) {
        sim_queue_filter (engine->queue, keep_live, engine);
        engine->n_cancelled = 0;
    }
    return TRUE;
}

gboolean
sim_engine_is_pending (const SimEngine *engine, SimEventId id)
{
    return slot_lookup (engine, id) != NULL;
}

typedef struct {
    guint32 slot;
    SimTime time;
} TimeSearch;

static void
note_time (guint32 payload, SimTime time, gpointer data)
{
    TimeSearch *t = data;

    if (payload == t->slot)
        t->time = time;
}

SimTime
sim_engine_event_time (const SimEngine *engine, SimEventId id)
{
    TimeSearch t = { id.slot, SIM_TIME_NEVER };

    if (slot_lookup (engine, id) == NULL)
        return SIM_TIME_NEVER;
    sim_queue_foreach (engine->queue, note_time, &t);
    return t.time;
}

/* Runs events up to `until`; the common core of run and run_until. */
static SimRunResult
run_events (SimEngine *engine, SimTime until)
{
    SimTime t;
    guint32 i;

    engine->stop = FALSE;
    while (sim_queue_pop (engine->queue, until, &t, &i)) {
        Slot *s = &engine->slots[i];
        const SimEventKind *kind = s->kind;
        gpointer obj = s->obj;
        gint64 arg = s->arg;

        if (s->state == SLOT_CANCELLED) {
            engine->n_cancelled--;
            slot_release (engine, i);
            continue;
        }
        /* Release before the handler runs: the handler may reuse the
         * slot, and its own handle is already stale. */
        slot_release (engine, i);
        engine->n_pending--;
        engine->now = t;
        if (G_UNLIKELY (engine->trace != NULL))
            engine->trace (engine, t, kind, obj, arg, engine->trace_data);
        kind->handler (engine, obj, arg);
        engine->events_run++;
        if (G_UNLIKELY (engine->stop))
            return SIM_RUN_STOPPED;
        if (G_UNLIKELY (engine->stop_cond != NULL)
            && engine->stop_cond (engine, engine->stop_data))
            return SIM_RUN_STOPPED;
    }
    return engine->n_pending == 0 ? SIM_RUN_EMPTY : SIM_RUN_TIME;
}

SimRunResult
sim_engine_run_until (SimEngine *engine, SimTime until)
{
    SimRunResult r;

    g_return_val_if_fail (until >= engine->now, SIM_RUN_TIME);
    r = run_events (engine, until);
    if (r != SIM_RUN_STOPPED) {
        engine->now = until;
        /* Reaching the limit is the outcome asked for, even when the queue
         * happens to be empty as well. */
        if (r == SIM_RUN_EMPTY && until != SIM_TIME_NEVER)
            r = SIM_RUN_TIME;
    }
    return r;
}

SimRunResult
sim_engine_run (SimEngine *engine)
{
    return run_events (engine, SIM_TIME_NEVER);
}

void
sim_engine_stop (SimEngine *engine)
{
    engine->stop = TRUE;
}

void
sim_engine_set_trace (SimEngine *engine, SimTraceHook hook,
                      gpointer user_data)
{
    engine->trace = hook;
    engine->trace_data = user_data;
}

void
sim_engine_set_stop_condition (SimEngine *engine, SimStopCondition cond,
                               gpointer user_data)
{
    engine->stop_cond = cond;
    engine->stop_data = user_data;
}

guint64
sim_engine_events_run (const SimEngine *engine)
{
    return engine->events_run;
}

gsize
sim_engine_pending (const SimEngine *engine)
{
    return engine->n_pending;
}
