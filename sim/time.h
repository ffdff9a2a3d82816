/* time.h: virtual time.
 *
 * Simulated time is a gint64 count of microseconds since the start of the
 * run. Integer time never drifts: an event scheduled 10^9 times 1 ms apart
 * lands exactly on 10^6 s. Additions saturate at SIM_TIME_NEVER instead of
 * overflowing, so "now + a huge timeout" stays in the future.
 *
 * Low level: knows no Kubernetes object, no model and no event.
 */
#ifndef KBSIM_TIME_H
#define KBSIM_TIME_H

#include <glib.h>

G_BEGIN_DECLS

typedef gint64 SimTime;

#define SIM_USEC          ((SimTime) 1)
#define SIM_MSEC          ((SimTime) 1000)
#define SIM_SEC           ((SimTime) 1000000)
#define SIM_MINUTE        (60 * SIM_SEC)
#define SIM_HOUR          (60 * SIM_MINUTE)
#define SIM_DAY           (24 * SIM_HOUR)
#define SIM_TIME_NEVER    G_MAXINT64

/* a + b, clamped to [G_MININT64, SIM_TIME_NEVER]. */
SimTime sim_time_add (SimTime a, SimTime b);

/* Seconds (may be fractional) to SimTime, rounded to the nearest
 * microsecond and clamped; NaN gives 0. */
SimTime sim_time_from_seconds (double seconds);
double  sim_time_to_seconds (SimTime t);
double  sim_time_to_hours (SimTime t);

/* Formats t as "[-][Nd ]HH:MM:SS[.f]", the fraction with trailing zeros
 * removed: 0 -> "00:00:00", 1.5 s -> "00:00:01.5", 93784.5 s ->
 * "1d 02:03:04.5"; SIM_TIME_NEVER -> "never". Writes at most
 * SIM_TIME_FORMAT_SIZE bytes into buf and returns buf. */
#define SIM_TIME_FORMAT_SIZE 64
char *sim_time_format (SimTime t, char buf[SIM_TIME_FORMAT_SIZE]);

/* Compact duration as kubectl prints ages and pull times: "250ms", "42s",
 * "5m33s", "2h5m", "3d4h". (transfer full): g_free(). */
char *sim_time_format_short (SimTime t);

G_END_DECLS

#endif
