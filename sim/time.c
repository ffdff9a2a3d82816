/* time.c: conversions and formatting of virtual time.
 *
 * See time.h. Everything here is pure arithmetic on gint64 microseconds;
 * the only floating point is at the edges, converting to and from seconds
 * for people and for distributions.
 */
#include "sim/time.h"

#include <math.h>
#include <stdio.h>

SimTime
sim_time_add (SimTime a, SimTime b)
{
    if (b > 0 && a > SIM_TIME_NEVER - b)
        return SIM_TIME_NEVER;
    if (b < 0 && a < G_MININT64 - b)
        return G_MININT64;
    return a + b;
}

SimTime
sim_time_from_seconds (double seconds)
{
    double us = seconds * 1e6;

    if (isnan (us))
        return 0;
    /* 9.2e18 is the largest double below 2^63 with room for rounding. */
    if (us >= 9.2e18)
        return SIM_TIME_NEVER;
    if (us <= -9.2e18)
        return G_MININT64;
    return (SimTime) llround (us);
}

double
sim_time_to_seconds (SimTime t)
{
    return (double) t / (double) SIM_SEC;
}

double
sim_time_to_hours (SimTime t)
{
    return (double) t / (double) SIM_HOUR;
}

char *
sim_time_format (SimTime t, char buf[SIM_TIME_FORMAT_SIZE])
{
    const char *sign = "";
    guint64 u, days, h, m, s, frac;
    char days_text[24] = "";
    char frac_text[16] = "";

    if (t == SIM_TIME_NEVER) {
        g_strlcpy (buf, "never", SIM_TIME_FORMAT_SIZE);
        return buf;
    }
    if (t < 0) {
        sign = "-";
        u = (guint64) -(t + 1) + 1;     /* |G_MININT64| without overflow */
    } else {
        u = (guint64) t;
    }
    frac = u % 1000000;
    s = u / 1000000;
    days = s / 86400;
    h = s / 3600 % 24;
    m = s / 60 % 60;
    s %= 60;
    if (days > 0)
        snprintf (days_text, sizeof days_text, "%" G_GUINT64_FORMAT "d ",
                  days);
    if (frac > 0) {
        int len = snprintf (frac_text, sizeof frac_text,
                            ".%06" G_GUINT64_FORMAT, frac);
        while (len > 1 && frac_text[len - 1] == '0')
            frac_text[--len] = '\0';
    }
    snprintf (buf, SIM_TIME_FORMAT_SIZE, "%s%s%02" G_GUINT64_FORMAT ":%02"
              G_GUINT64_FORMAT ":%02" G_GUINT64_FORMAT "%s",
              sign, days_text, h, m, s, frac_text);
    return buf;
}

char *
sim_time_format_short (SimTime t)
{
    gint64 s;

    if (t == SIM_TIME_NEVER)
        return g_strdup ("never");
    if (t < 0)
        t = 0;
    if (t < SIM_SEC)
        return g_strdup_printf ("%" G_GINT64_FORMAT "ms", t / SIM_MSEC);
    s = t / SIM_SEC;
    if (s < 60)
        return g_strdup_printf ("%" G_GINT64_FORMAT "s", s);
    if (s < 3600)
        return s % 60 ? g_strdup_printf ("%" G_GINT64_FORMAT "m%"
                                         G_GINT64_FORMAT "s", s / 60, s % 60)
                      : g_strdup_printf ("%" G_GINT64_FORMAT "m", s / 60);
    if (s < 86400)
        return s / 60 % 60 ? g_strdup_printf ("%" G_GINT64_FORMAT "h%"
                                              G_GINT64_FORMAT "m", s / 3600,
                                              s / 60 % 60)
                           : g_strdup_printf ("%" G_GINT64_FORMAT "h",
                                              s / 3600);
    return s / 3600 % 24 ? g_strdup_printf ("%" G_GINT64_FORMAT "d%"
                                            G_GINT64_FORMAT "h", s / 86400,
                                            s / 3600 % 24)
                         : g_strdup_printf ("%" G_GINT64_FORMAT "d",
                                            s / 86400);
}
