/* cron.h: CronJob schedules: parsing and the next time one fires.
 *
 * The syntax is the one the CronJob controller accepts, that is
 * github.com/robfig/cron/v3's ParseStandard (parser.go, spec.go): five
 * fields, minute hour day-of-month month day-of-week, each a
 * comma-separated list of `*`, `?` (the same as `*`), N, N-M, with an
 * optional /STEP (`N/STEP` means N-max/STEP); months `jan`..`dec` and
 * weekdays `sun`..`sat` by name, in any case; day-of-week 0..6 (7 is out
 * of range). The descriptors `@yearly` `@annually` `@monthly` `@weekly`
 * `@daily` `@midnight` `@hourly` and `@every DURATION` (Go's duration
 * syntax, rounded down to whole seconds, at least 1 s) stand for their
 * fields. A schedule with "TZ" anywhere in it is refused, as the API
 * server refuses it (pkg/apis/batch/validation: "cannot use TZ or CRON_TZ
 * in schedule, use timeZone field instead").
 *
 * Days: when day-of-month or day-of-week was written starting with `*` or
 * `?` and no step above 1 (robfig's star bit), a day must match both;
 * when both are restricted, either one. So `0 0 1,15 * 1` fires on the
 * 1st, the 15th and every Monday, and `*\/2` counts as restricted (Vixie
 * cron would call it a star: robfig is what Kubernetes runs).
 *
 * Times are whole seconds since the Unix epoch, UTC; fields are matched
 * in a GTimeZone's local time, with robfig's handling of daylight-saving
 * changes: a local time that does not exist is skipped (a 02:30 daily job
 * does not run on the spring-forward day), one that occurs twice fires
 * twice, and local dates are formed as Go's time.Date forms them.
 *
 * Low level: knows no simulation, no Kubernetes object and no file; the
 * caller turns an error's offset into a file position.
 */
#ifndef KBSIM_CRON_H
#define KBSIM_CRON_H

#include <glib.h>

G_BEGIN_DECLS

#define KB_CRON_ERROR (kb_cron_error_quark ())
GQuark kb_cron_error_quark (void);

typedef enum {
    KB_CRON_ERROR_FAILED        /* the schedule does not parse */
} KbCronError;

typedef struct CronSchedule CronSchedule;

/* Parses text. On error returns NULL, sets error to robfig's message
 * (or the API server's, for TZ) and *offset to the byte offset in text
 * of the part at fault (0 when it is the whole text). (transfer full):
 * cron_schedule_free(). */
CronSchedule *cron_schedule_parse (const char *text, guint *offset,
                                   GError **error);
void          cron_schedule_free (CronSchedule *cron);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CronSchedule, cron_schedule_free)

/* The first time the schedule fires strictly after `after` (Unix
 * seconds), its fields read in tz (NULL: UTC). FALSE when it never fires
 * within five years of local time (robfig gives up there too: "0 0 30 2
 * *"). */
gboolean cron_schedule_next (const CronSchedule *cron, GTimeZone *tz,
                             gint64 after, gint64 *next);

/* Civil date of a day counted from 1970-01-01 (day 0), proleptic
 * Gregorian, and back; exposed for the loader's start date. */
void  cron__civil_from_days (gint64 days, gint *year, gint *month,
                             gint *day);
gint64 cron__days_from_civil (gint year, gint month, gint day);

G_END_DECLS

#endif
