/* bench-queue.c: the classic hold model for the pending-event set.
 *
 * A queue is filled with N events; each hold operation pops the earliest
 * and pushes one at that time plus an exponential increment (mean 1 s, in
 * microseconds), so the size stays N. We report hold operations per second,
 * the median of five runs, for the engine's radix heap (SimQueue), for the
 * whole engine (schedule + run loop + handler call), and, for comparison,
 * for a tuned 4-ary heap of (time, sequence, payload) entries: the structure
 * the choice was measured against. Never part of make test.
 */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "sim/engine.h"
#include "sim/queue.h"
#include "sim/rng.h"

#define REPEATS 5

/* Pre-drawn increments, so that drawing random numbers is not measured. */
static gint64 *incr;
static gsize n_incr;

static inline gint64
next_incr (gsize *k)
{
    gint64 v = incr[*k];

    *k = *k + 1 == n_incr ? 0 : *k + 1;
    return v;
}

/* ---- 4-ary heap baseline ------------------------------------------------ */

typedef struct {
    gint64 time;
    guint64 seq;
    guint64 payload;
} HeapEntry;

typedef struct {
    HeapEntry *v;
    gsize n;
    guint64 seq;
} Heap4;

static inline gboolean
heap_less (const HeapEntry *a, const HeapEntry *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void
heap4_push (Heap4 *h, gint64 time, guint64 payload)
{
    HeapEntry e = { time, h->seq++, payload };
    gsize i = h->n++;

    while (i > 0) {
        gsize parent = (i - 1) / 4;

        if (!heap_less (&e, &h->v[parent]))
            break;
        h->v[i] = h->v[parent];
        i = parent;
    }
    h->v[i] = e;
}

/* Pop and push fused: the hole left at the root is filled by sifting the
 * new entry down, one pass instead of two. */
static void
heap4_replace_top (Heap4 *h, gint64 time, guint64 payload)
{
    HeapEntry e = { time, h->seq++, payload };
    gsize i = 0;

    for (;;) {
        gsize c = 4 * i + 1, best, end;

        if (c >= h->n)
            break;
        best = c;
        end = c + 4 < h->n ? c + 4 : h->n;
        for (gsize j = c + 1; j < end; j++)
            if (heap_less (&h->v[j], &h->v[best]))
                best = j;
        if (!heap_less (&h->v[best], &e))
            break;
        h->v[i] = h->v[best];
        i = best;
    }
    h->v[i] = e;
}

static double
hold_heap4 (gsize size, gsize ops)
{
    Heap4 h = { g_new (HeapEntry, size), 0, 0 };
    gsize k = 0;
    gint64 t0;

    for (gsize i = 0; i < size; i++)
        heap4_push (&h, next_incr (&k), i);
    t0 = g_get_monotonic_time ();
    for (gsize i = 0; i < ops; i++)
        heap4_replace_top (&h, h.v[0].time + next_incr (&k), h.v[0].payload);
    t0 = g_get_monotonic_time () - t0;
    g_free (h.v);
    return ops / (t0 / 1e6);
}

/* ---- SimQueue ------------------------------------------------------------ */

static double
hold_queue (gsize size, gsize ops)
{
    SimQueue *q = sim_queue_new ();
    gsize k = 0;
    gint64 t0;

    for (gsize i = 0; i < size; i++)
        sim_queue_push (q, next_incr (&k), (guint32) i);
    t0 = g_get_monotonic_time ();
    for (gsize i = 0; i < ops; i++) {
        SimTime t;
        guint32 p;

        sim_queue_pop (q, SIM_TIME_NEVER, &t, &p);
        sim_queue_push (q, t + next_incr (&k), p);
    }
    t0 = g_get_monotonic_time () - t0;
    sim_queue_free (q);
    return ops / (t0 / 1e6);
}

/* ---- whole engine --------------------------------------------------------- */

typedef struct {
    gsize k;
    gsize left;
} EngineBench;

static void hold_handler (SimEngine *engine, gpointer obj, gint64 arg);
static const SimEventKind hold_kind = { "hold", hold_handler };

static void
hold_handler (SimEngine *engine, gpointer obj, gint64 arg)
{
    EngineBench *b = obj;

    if (b->left == 0) {
        sim_engine_stop (engine);
        return;
    }
    b->left--;
    sim_engine_schedule_in (engine, next_incr (&b->k), &hold_kind, b, arg);
}

static double
hold_engine (gsize size, gsize ops)
{
    SimEngine *e = sim_engine_new ();
    EngineBench b = { 0, ops };
    gint64 t0;

    for (gsize i = 0; i < size; i++)
        sim_engine_schedule (e, next_incr (&b.k), &hold_kind, &b, 0);
    t0 = g_get_monotonic_time ();
    sim_engine_run (e);
    t0 = g_get_monotonic_time () - t0;
    sim_engine_free (e);
    return ops / (t0 / 1e6);
}

static int
cmp_double (const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}

static double
median_of (double (*f) (gsize, gsize), gsize size, gsize ops)
{
    double r[REPEATS];

    for (int i = 0; i < REPEATS; i++)
        r[i] = f (size, ops);
    qsort (r, REPEATS, sizeof r[0], cmp_double);
    return r[REPEATS / 2];
}

int
main (void)
{
    static const gsize sizes[] = { 1000, 100000, 1000000 };
    SimRng *rng = sim_rng_new (1, "bench-hold", 0);

    n_incr = 1 << 22;
    incr = g_new (gint64, n_incr);
    for (gsize i = 0; i < n_incr; i++)
        incr[i] = 1 + (gint64) gsl_ran_exponential (sim_rng_gsl (rng), 1e6);
    printf ("hold model, exponential increments (mean 1 s), median of %d "
            "runs, million hold operations per second\n", REPEATS);
    printf ("%10s %14s %14s %14s %8s\n", "pending", "radix-heap",
            "engine", "4-ary-heap", "ratio");
    for (gsize s = 0; s < G_N_ELEMENTS (sizes); s++) {
        gsize ops = 5000000;
        double q = median_of (hold_queue, sizes[s], ops);
        double e = median_of (hold_engine, sizes[s], ops);
        double h = median_of (hold_heap4, sizes[s], ops);

        printf ("%10zu %14.1f %14.1f %14.1f %7.2fx\n", sizes[s], q / 1e6,
                e / 1e6, h / 1e6, q / h);
    }
    g_free (incr);
    sim_rng_free (rng);
    return 0;
}
