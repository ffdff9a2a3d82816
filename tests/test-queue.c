/* test-queue.c: the radix heap against a reference ordering.
 *
 * The reference is the obvious one: sort (time, push index) pairs. Every
 * test checks both the exact order and the count, with schedules full of
 * deliberate ties.
 */
#include <glib.h>

#include "sim/queue.h"

typedef struct {
    SimTime time;
    guint32 seq;
} Ref;

static gint
ref_cmp (gconstpointer a, gconstpointer b)
{
    const Ref *x = a, *y = b;

    if (x->time != y->time)
        return x->time < y->time ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
test_equal_times_fifo (void)
{
    g_autoptr (GRand) rand = g_rand_new_with_seed (7);
    SimQueue *q = sim_queue_new ();
    g_autoptr (GArray) ref = g_array_new (FALSE, FALSE, sizeof (Ref));
    SimTime t;
    guint32 p;
    guint n = 0;

    g_test_summary ("a shuffled schedule with many ties pops in "
                    "(time, push order)");
    for (guint32 i = 0; i < 20000; i++) {
        /* Only 50 distinct times: about 400 entries share each. */
        Ref r = { g_rand_int_range (rand, 0, 50) * 1000, i };

        sim_queue_push (q, r.time, i);
        g_array_append_val (ref, r);
    }
    g_array_sort (ref, ref_cmp);
    while (sim_queue_pop (q, SIM_TIME_NEVER, &t, &p)) {
        Ref *r = &g_array_index (ref, Ref, n);

        g_assert_cmpint (t, ==, r->time);
        g_assert_cmpuint (p, ==, r->seq);
        n++;
    }
    g_assert_cmpuint (n, ==, 20000);
    g_assert_cmpuint (sim_queue_size (q), ==, 0);
    sim_queue_free (q);
}

/* Interleaves pushes (never before the last pop, as the engine does) and
 * pops, checking each pop against a reference kept sorted. */
static void
run_interleaved (guint seed, gint64 spread, guint ops)
{
    g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
    SimQueue *q = sim_queue_new ();
    g_autoptr (GArray) ref = g_array_new (FALSE, FALSE, sizeof (Ref));
    SimTime now = 0, t;
    guint32 p, seq = 0;
    guint pops = 0;

    for (guint i = 0; i < ops; i++) {
        if (ref->len == 0 || g_rand_int_range (rand, 0, 100) < 55) {
            Ref r = { now + (gint64) (g_rand_double (rand) * spread), seq++ };
            guint pos = 0;

            sim_queue_push (q, r.time, r.seq);
            /* Insert after every entry that sorts before or equal. */
            while (pos < ref->len
                   && ref_cmp (&g_array_index (ref, Ref, pos), &r) < 0)
                pos++;
            g_array_insert_val (ref, pos, r);
        } else {
            Ref *r = &g_array_index (ref, Ref, 0);

            g_assert_true (sim_queue_pop (q, SIM_TIME_NEVER, &t, &p));
            g_assert_cmpint (t, ==, r->time);
            g_assert_cmpuint (p, ==, r->seq);
            now = t;
            g_array_remove_index (ref, 0);
            pops++;
        }
        g_assert_cmpuint (sim_queue_size (q), ==, ref->len);
    }
    g_assert_cmpuint (pops, >, ops / 3);
    sim_queue_free (q);
}

static void
test_interleaved (void)
{
    g_test_summary ("random pushes and pops match a sorted reference, "
                    "for narrow (ties) and wide (deep buckets) spreads");
    run_interleaved (1, 3, 20000);
    run_interleaved (2, 1000, 20000);
    run_interleaved (3, G_GINT64_CONSTANT (1) << 40, 20000);
}

static void
test_pop_limit (void)
{
    SimQueue *q = sim_queue_new ();
    SimTime t;
    guint32 p;

    g_test_summary ("pop honours its limit and changes nothing past it");
    sim_queue_push (q, 100, 1);
    sim_queue_push (q, 200, 2);
    sim_queue_push (q, 200, 3);
    g_assert_false (sim_queue_pop (q, 99, &t, &p));
    g_assert_cmpuint (sim_queue_size (q), ==, 3);
    g_assert_true (sim_queue_pop (q, 100, &t, &p));
    g_assert_cmpint (t, ==, 100);
    g_assert_false (sim_queue_pop (q, 150, &t, &p));
    /* A push between the last pop and the limit is still allowed. */
    g_assert_cmpint (sim_queue_floor (q), ==, 100);
    sim_queue_push (q, 150, 4);
    g_assert_true (sim_queue_peek_time (q, &t));
    g_assert_cmpint (t, ==, 150);
    g_assert_true (sim_queue_pop (q, 150, &t, &p));
    g_assert_cmpuint (p, ==, 4);
    g_assert_true (sim_queue_pop (q, SIM_TIME_NEVER, &t, &p));
    g_assert_cmpuint (p, ==, 2);
    g_assert_true (sim_queue_peek_time (q, &t));
    g_assert_cmpint (t, ==, 200);
    g_assert_true (sim_queue_pop (q, 200, &t, &p));
    g_assert_cmpuint (p, ==, 3);
    g_assert_false (sim_queue_peek_time (q, &t));
    g_assert_false (sim_queue_pop (q, SIM_TIME_NEVER, &t, &p));
    sim_queue_free (q);
}

static void
test_negative_and_extreme (void)
{
    SimQueue *q = sim_queue_new ();
    static const SimTime times[] = { 5, -3, G_MININT64, SIM_TIME_NEVER, 0,
                                     -3, G_MAXINT64 - 1 };
    static const SimTime sorted[] = { G_MININT64, -3, -3, 0, 5,
                                      G_MAXINT64 - 1, SIM_TIME_NEVER };
    static const guint32 payloads[] = { 2, 1, 5, 4, 0, 6, 3 };
    SimTime t;
    guint32 p;

    g_test_summary ("negative times and both ends of the range sort right");
    for (guint32 i = 0; i < G_N_ELEMENTS (times); i++)
        sim_queue_push (q, times[i], i);
    for (guint i = 0; i < G_N_ELEMENTS (sorted); i++) {
        g_assert_true (sim_queue_pop (q, SIM_TIME_NEVER, &t, &p));
        g_assert_cmpint (t, ==, sorted[i]);
        g_assert_cmpuint (p, ==, payloads[i]);
    }
    sim_queue_free (q);
}

static gboolean
keep_even (guint32 payload, gpointer data)
{
    (void) data;
    return payload % 2 == 0;
}

static void
test_filter (void)
{
    g_autoptr (GRand) rand = g_rand_new_with_seed (11);
    SimQueue *q = sim_queue_new ();
    g_autoptr (GArray) ref = g_array_new (FALSE, FALSE, sizeof (Ref));
    SimTime t;
    guint32 p;
    guint n = 0;

    g_test_summary ("filter drops exactly the rejected entries and keeps "
                    "the order of the rest");
    for (guint32 i = 0; i < 5000; i++) {
        Ref r = { g_rand_int_range (rand, 0, 300), i };

        sim_queue_push (q, r.time, i);
        if (i % 2 == 0)
            g_array_append_val (ref, r);
    }
    /* Pop a few first so that bucket 0 has a non-zero head. */
    g_array_sort (ref, ref_cmp);
    for (int i = 0; i < 3; i++) {
        do
            g_assert_true (sim_queue_pop (q, SIM_TIME_NEVER, &t, &p));
        while (p % 2 != 0);
        g_assert_cmpuint (p, ==, g_array_index (ref, Ref, n).seq);
        n++;
    }
    sim_queue_filter (q, keep_even, NULL);
    g_assert_cmpuint (sim_queue_size (q), ==, ref->len - n);
    while (sim_queue_pop (q, SIM_TIME_NEVER, &t, &p)) {
        g_assert_cmpuint (p, ==, g_array_index (ref, Ref, n).seq);
        g_assert_cmpint (t, ==, g_array_index (ref, Ref, n).time);
        n++;
    }
    g_assert_cmpuint (n, ==, ref->len);
    sim_queue_free (q);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/queue/equal-times-fifo", test_equal_times_fifo);
    g_test_add_func ("/queue/interleaved", test_interleaved);
    g_test_add_func ("/queue/pop-limit", test_pop_limit);
    g_test_add_func ("/queue/negative-and-extreme", test_negative_and_extreme);
    g_test_add_func ("/queue/filter", test_filter);
    return g_test_run ();
}
