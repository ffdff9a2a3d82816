/* test-time.c: virtual time arithmetic and formatting. */
#include <math.h>

#include <glib.h>

#include "sim/time.h"

static void
test_format (void)
{
    static const struct {
        SimTime t;
        const char *text;
    } cases[] = {
        { 0, "00:00:00" },
        { 1500000, "00:00:01.5" },
        { 250, "00:00:00.00025" },
        { 59 * SIM_SEC, "00:00:59" },
        { SIM_HOUR + 2 * SIM_MINUTE + 3 * SIM_SEC, "01:02:03" },
        { SIM_DAY + 2 * SIM_HOUR + 3 * SIM_MINUTE + 4 * SIM_SEC
          + 500 * SIM_MSEC, "1d 02:03:04.5" },
        { 7 * SIM_DAY, "7d 00:00:00" },
        { -90 * SIM_SEC, "-00:01:30" },
        { SIM_TIME_NEVER, "never" },
        { G_MININT64, "-106751991d 04:00:54.775808" },
    };
    char buf[SIM_TIME_FORMAT_SIZE];

    g_test_summary ("sim_time_format prints [-][Nd ]HH:MM:SS[.f]");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        g_assert_cmpstr (sim_time_format (cases[i].t, buf), ==,
                         cases[i].text);
}

static void
test_format_short (void)
{
    static const struct {
        SimTime t;
        const char *text;
    } cases[] = {
        { 250 * SIM_MSEC, "250ms" },
        { 42 * SIM_SEC, "42s" },
        { 5 * SIM_MINUTE + 33 * SIM_SEC, "5m33s" },
        { 5 * SIM_MINUTE, "5m" },
        { 2 * SIM_HOUR + 5 * SIM_MINUTE + 7 * SIM_SEC, "2h5m" },
        { 3 * SIM_DAY + 4 * SIM_HOUR, "3d4h" },
        { 3 * SIM_DAY, "3d" },
    };

    g_test_summary ("kubectl-style short durations");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *s = sim_time_format_short (cases[i].t);

        g_assert_cmpstr (s, ==, cases[i].text);
    }
}

static void
test_add_saturates (void)
{
    g_test_summary ("additions clamp instead of overflowing");
    g_assert_cmpint (sim_time_add (5, 7), ==, 12);
    g_assert_cmpint (sim_time_add (SIM_TIME_NEVER - 1, 10), ==,
                     SIM_TIME_NEVER);
    g_assert_cmpint (sim_time_add (SIM_DAY, SIM_TIME_NEVER), ==,
                     SIM_TIME_NEVER);
    g_assert_cmpint (sim_time_add (G_MININT64 + 1, -10), ==, G_MININT64);
    g_assert_cmpint (sim_time_add (-5, 3), ==, -2);
}

static void
test_seconds (void)
{
    g_test_summary ("conversions to and from seconds round and clamp");
    g_assert_cmpint (sim_time_from_seconds (1.5), ==, 1500000);
    g_assert_cmpint (sim_time_from_seconds (1e-7), ==, 0);
    g_assert_cmpint (sim_time_from_seconds (2.6e-6), ==, 3);
    g_assert_cmpint (sim_time_from_seconds (1e300), ==, SIM_TIME_NEVER);
    g_assert_cmpint (sim_time_from_seconds (-1e300), ==, G_MININT64);
    g_assert_cmpint (sim_time_from_seconds (NAN), ==, 0);
    g_assert_cmpfloat (sim_time_to_seconds (2500000), ==, 2.5);
    g_assert_cmpfloat (sim_time_to_hours (90 * SIM_MINUTE), ==, 1.5);
}

static void
test_no_drift (void)
{
    SimTime t = 0;

    g_test_summary ("integer time does not drift over 10^7 additions");
    for (int i = 0; i < 10000000; i++)
        t = sim_time_add (t, SIM_MSEC);
    g_assert_cmpint (t, ==, 10000 * SIM_SEC);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/time/format", test_format);
    g_test_add_func ("/time/format-short", test_format_short);
    g_test_add_func ("/time/add-saturates", test_add_saturates);
    g_test_add_func ("/time/seconds", test_seconds);
    g_test_add_func ("/time/no-drift", test_no_drift);
    return g_test_run ();
}
