/* test-cron.c: the CronJob schedule parser and the next time a schedule
 * fires.
 *
 * Before models/cron.c, kbsim kept only the period a schedule implies, so
 * "30 2 * * *" ran at 1d 00:00 and not at 02:30, and lists, ranges, names
 * and the day-of-month/day-of-week rule were refused. The expected times
 * below were worked out by hand on a calendar (2024-01-01 is a Monday;
 * America/New_York springs forward on 2024-03-10 at 02:00 and falls back
 * on 2024-11-03 at 02:00; Amsterdam is UTC+1 in winter), never by running
 * the code. */
#include <glib.h>

#include "models/cron.h"

static gint64
unix_of (const char *iso)
{
    g_autoptr (GDateTime) d = g_date_time_new_from_iso8601 (iso, NULL);

    g_assert_nonnull (d);
    return g_date_time_to_unix (d);
}

typedef struct {
    const char *schedule;
    const char *zone;           /* NULL: UTC */
    const char *after;
    const char *next;           /* NULL: never fires */
} NextCase;

static const NextCase next_cases[] = {
    /* steps: 0, 15, 30, 45 past each hour, strictly after */
    { "*/15 * * * *", NULL, "2024-01-01T00:00:00Z", "2024-01-01T00:15:00Z" },
    { "*/15 * * * *", NULL, "2024-01-01T00:07:30Z", "2024-01-01T00:15:00Z" },
    { "*/15 * * * *", NULL, "2024-01-01T00:45:00Z", "2024-01-01T01:00:00Z" },
    /* N/step is N-max/step: 5, 25, 45 */
    { "5/20 * * * *", NULL, "2024-01-01T00:45:00Z", "2024-01-01T01:05:00Z" },
    /* the cases: 02:30 on day 0, and half past every hour */
    { "30 2 * * *", NULL, "2024-01-01T00:00:00Z", "2024-01-01T02:30:00Z" },
    { "30 * * * *", NULL, "2024-01-01T00:00:00Z", "2024-01-01T00:30:00Z" },
    { "0 2 * * *", NULL, "2024-01-01T00:00:00Z", "2024-01-01T02:00:00Z" },
    /* lists and ranges */
    { "0 8-10,17 * * *", NULL, "2024-01-01T10:00:00Z",
      "2024-01-01T17:00:00Z" },
    /* both day fields restricted: the 1st, the 15th OR a Monday */
    { "0 0 1,15 * 1", NULL, "2024-01-01T00:00:00Z", "2024-01-08T00:00:00Z" },
    { "0 0 1,15 * 1", NULL, "2024-01-08T00:00:00Z", "2024-01-15T00:00:00Z" },
    { "0 0 1,15 * 1", NULL, "2024-01-29T00:00:00Z", "2024-02-01T00:00:00Z" },
    /* day-of-week a star: day-of-month alone decides */
    { "0 0 1,15 * *", NULL, "2024-01-01T00:00:00Z", "2024-01-15T00:00:00Z" },
    /* robfig: a step above 1 clears the star, so OR: the 3rd (odd) comes
     * before the next Monday (Vixie cron would AND them) */
    { "0 0 */2 * 1", NULL, "2024-01-01T00:00:00Z", "2024-01-03T00:00:00Z" },
    /* names, any case; weekdays of Jan-Mar only: after Friday 29 March
     * comes the weekend, then April..December are excluded, and
     * 2025-01-01 is a Wednesday */
    { "0 9 * jan-MAR Mon-fri", NULL, "2024-03-29T09:00:00Z",
      "2025-01-01T09:00:00Z" },
    { "0 12 * * SUN", NULL, "2024-01-01T00:00:00Z", "2024-01-07T12:00:00Z" },
    /* macros */
    { "@weekly", NULL, "2024-01-01T00:00:00Z", "2024-01-07T00:00:00Z" },
    { "@monthly", NULL, "2024-01-31T12:00:00Z", "2024-02-01T00:00:00Z" },
    { "@yearly", NULL, "2024-06-01T00:00:00Z", "2025-01-01T00:00:00Z" },
    { "@annually", NULL, "2024-06-01T00:00:00Z", "2025-01-01T00:00:00Z" },
    { "@daily", NULL, "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z" },
    { "@midnight", NULL, "2024-01-01T23:59:59Z", "2024-01-02T00:00:00Z" },
    { "@hourly", NULL, "2024-01-01T10:59:59Z", "2024-01-01T11:00:00Z" },
    /* @every: a constant delay, rounded down to whole seconds */
    { "@every 90m", NULL, "2024-01-01T00:00:00Z", "2024-01-01T01:30:00Z" },
    { "@every 1.5s", NULL, "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z" },
    /* leap day */
    { "0 0 29 2 *", NULL, "2024-03-01T00:00:00Z", "2028-02-29T00:00:00Z" },
    /* never: 30 February */
    { "0 0 30 2 *", NULL, "2024-01-01T00:00:00Z", NULL },
    /* time zones: 02:30 in Amsterdam in winter is 01:30 UTC */
    { "30 2 * * *", "Europe/Amsterdam", "2024-01-01T00:00:00Z",
      "2024-01-01T01:30:00Z" },
    /* spring forward: 02:30 does not exist on 10 March, so the next run is
     * 11 March 02:30 EDT */
    { "30 2 * * *", "America/New_York", "2024-03-09T08:00:00Z",
      "2024-03-11T06:30:00Z" },
    /* fall back: 01:30 happens twice on 3 November, EDT then EST */
    { "30 1 * * *", "America/New_York", "2024-11-03T00:00:00Z",
      "2024-11-03T05:30:00Z" },
    { "30 1 * * *", "America/New_York", "2024-11-03T05:30:00Z",
      "2024-11-03T06:30:00Z" },
    { "30 1 * * *", "America/New_York", "2024-11-03T06:30:00Z",
      "2024-11-04T06:30:00Z" },
};

static void
test_next (void)
{
    g_test_summary ("next fire times, worked out by hand, for steps, "
                    "lists, ranges, names, the OR rule, macros, @every, "
                    "time zones and both DST changes");
    for (gsize i = 0; i < G_N_ELEMENTS (next_cases); i++) {
        const NextCase *k = &next_cases[i];
        g_autoptr (GError) err = NULL;
        g_autoptr (GTimeZone) tz = k->zone ? g_time_zone_new_identifier (
                                                 k->zone)
                                           : NULL;
        guint off = 99;
        g_autoptr (CronSchedule) c = cron_schedule_parse (k->schedule, &off,
                                                          &err);
        gint64 next = 0;
        gboolean ok;

        g_test_message ("%s in %s after %s", k->schedule,
                        k->zone ? k->zone : "UTC", k->after);
        g_assert_no_error (err);
        g_assert_nonnull (c);
        if (k->zone)
            g_assert_nonnull (tz);
        ok = cron_schedule_next (c, tz, unix_of (k->after), &next);
        if (k->next == NULL) {
            g_assert_false (ok);
            continue;
        }
        g_assert_true (ok);
        g_assert_cmpint (next, ==, unix_of (k->next));
    }
}

typedef struct {
    const char *schedule;
    guint offset;
    const char *message;
} ErrorCase;

static const ErrorCase error_cases[] = {
    { "61 * * * *", 0, "end of range (61) above maximum (59): 61" },
    { "0 25 * * *", 2, "end of range (25) above maximum (23): 25" },
    { "0 0 0 * *", 4, "beginning of range (0) below minimum (1): 0" },
    { "0 0 * * 7", 8, "end of range (7) above maximum (6): 7" },
    { "0 0 * foo *", 6, "failed to parse int from foo: strconv.Atoi: "
      "parsing \"foo\": invalid syntax" },
    { "0 0 1,x * *", 6, "failed to parse int from x: strconv.Atoi: "
      "parsing \"x\": invalid syntax" },
    { "0 0 * jan-xyz *", 10, "failed to parse int from xyz: strconv.Atoi: "
      "parsing \"xyz\": invalid syntax" },
    { "10-5 * * * *", 0, "beginning of range (10) beyond end of range (5): "
      "10-5" },
    { "*/0 * * * *", 0, "step of range should be a positive number: */0" },
    { "1-2-3 * * * *", 0, "too many hyphens: 1-2-3" },
    { "1/2/3 * * * *", 0, "too many slashes: 1/2/3" },
    { "0 0 * *", 0, "expected exactly 5 fields, found 4: [0 0 * *]" },
    { "0 0 * * * *", 0, "expected exactly 5 fields, found 6: [0 0 * * * *]" },
    { "", 0, "empty spec string" },
    { "@fortnightly", 0, "unrecognized descriptor: @fortnightly" },
    { "@every 1d", 7, "failed to parse duration @every 1d: time: unknown "
      "unit \"d\" in duration \"1d\"" },
    { "TZ=UTC 0 0 * * *", 0, "cannot use TZ or CRON_TZ in schedule, use "
      "timeZone field instead" },
    { "CRON_TZ=UTC 0 0 * * *", 5, "cannot use TZ or CRON_TZ in schedule, "
      "use timeZone field instead" },
};

static void
test_errors (void)
{
    g_test_summary ("invalid schedules: robfig's message (the API server's "
                    "for TZ) and the offset of the part at fault");
    for (gsize i = 0; i < G_N_ELEMENTS (error_cases); i++) {
        const ErrorCase *k = &error_cases[i];
        g_autoptr (GError) err = NULL;
        guint off = 99;
        CronSchedule *c = cron_schedule_parse (k->schedule, &off, &err);

        g_test_message ("'%s'", k->schedule);
        g_assert_null (c);
        g_assert_error (err, KB_CRON_ERROR, KB_CRON_ERROR_FAILED);
        g_assert_cmpstr (err->message, ==, k->message);
        g_assert_cmpuint (off, ==, k->offset);
    }
}

static void
test_civil (void)
{
    gint y, m, d;

    g_test_summary ("day numbers and civil dates agree with GLib's");
    for (gint64 day = -719000; day < 800000; day += 997) {
        g_autoptr (GDateTime) g = g_date_time_new_from_unix_utc (day * 86400);

        cron__civil_from_days (day, &y, &m, &d);
        g_assert_cmpint (y, ==, g_date_time_get_year (g));
        g_assert_cmpint (m, ==, g_date_time_get_month (g));
        g_assert_cmpint (d, ==, g_date_time_get_day_of_month (g));
        g_assert_cmpint (cron__days_from_civil (y, m, d), ==, day);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/cron/next", test_next);
    g_test_add_func ("/cron/errors", test_errors);
    g_test_add_func ("/cron/civil", test_civil);
    return g_test_run ();
}
