/* cron.c: see cron.h. The parser follows robfig/cron v3's parser.go
 * (getField, getRange, parseDescriptor) rule for rule, with its error
 * messages, and adds the offset of the part at fault; the next-time search
 * follows spec.go's Next: match the month, then the day, hour, minute and
 * second, each by stepping that field and starting over when a step wraps
 * into the field above. Everything is in whole seconds.
 */
#include "models/cron.h"

#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (kb-cron-error-quark, kb_cron_error)

/* robfig's starBit: the field was written as * or ? (no step above 1). */
#define STAR_BIT (G_GUINT64_CONSTANT (1) << 63)

typedef enum {
    F_MINUTE,
    F_HOUR,
    F_DOM,
    F_MONTH,
    F_DOW,
    F_N
} CronField;

typedef struct {
    guint min, max;
    const char *const *names;   /* the names of min, min + 1, ... */
} Bounds;

static const char *const month_names[] = {
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
    "nov", "dec", NULL
};
static const char *const dow_names[] = {
    "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

static const Bounds bounds[F_N] = {
    { 0, 59, NULL }, { 0, 23, NULL }, { 1, 31, NULL }, { 1, 12, month_names },
    { 0, 6, dow_names }
};

struct CronSchedule {
    guint64 bits[F_N];          /* bit v: value v matches; STAR_BIT */
    gint64 every;               /* @every, seconds; 0 for fields */
};

/* ---- parsing ------------------------------------------------------------ */

static gboolean G_GNUC_PRINTF (4, 5)
fail (GError **error, guint *offset, gsize at, const char *format, ...)
{
    va_list ap;
    char *msg;

    va_start (ap, format);
    msg = g_strdup_vprintf (format, ap);
    va_end (ap);
    g_set_error_literal (error, KB_CRON_ERROR, KB_CRON_ERROR_FAILED, msg);
    g_free (msg);
    *offset = (guint) at;
    return FALSE;
}

/* Go's strconv.Atoi: an optional sign and at least one digit. */
static gboolean
go_atoi (const char *s, gint64 *out, const char **why)
{
    const char *p = s + (*s == '+' || *s == '-');
    gint64 v = 0;

    *why = "invalid syntax";
    if (*p == '\0')
        return FALSE;
    for (; *p; p++) {
        if (!g_ascii_isdigit (*p))
            return FALSE;
        if (v > (G_MAXINT64 - (*p - '0')) / 10) {
            *why = "value out of range";
            for (p++; *p; p++)
                if (!g_ascii_isdigit (*p)) {
                    *why = "invalid syntax";
                    return FALSE;
                }
            return FALSE;
        }
        v = v * 10 + (*p - '0');
    }
    *out = *s == '-' ? -v : v;
    return TRUE;
}

/* robfig's parseIntOrName and mustParseInt. */
static gboolean
parse_value (const char *s, const Bounds *b, gsize at, guint64 *out,
             guint *offset, GError **error)
{
    const char *why;
    gint64 v;

    for (guint i = 0; b->names && b->names[i]; i++)
        if (g_ascii_strcasecmp (s, b->names[i]) == 0) {
            *out = b->min + i;
            return TRUE;
        }
    if (!go_atoi (s, &v, &why))
        return fail (error, offset, at, "failed to parse int from %s: "
                     "strconv.Atoi: parsing \"%s\": %s", s, s, why);
    if (v < 0)
        return fail (error, offset, at, "negative number (%" G_GINT64_FORMAT
                     ") not allowed: %s", v, s);
    *out = (guint64) v;
    return TRUE;
}

static guint64
range_bits (guint64 lo, guint64 hi, guint64 step)
{
    guint64 bits = 0;

    for (guint64 i = lo; i <= hi; i += step)
        bits |= G_GUINT64_CONSTANT (1) << i;
    return bits;
}

/* g_strsplit gives no piece for "", where Go's strings.Split gives one. */
static GStrv
go_split (const char *s, const char *sep)
{
    GStrv v = g_strsplit (s, sep, -1);

    if (v[0] == NULL) {
        g_strfreev (v);
        v = g_new0 (char *, 2);
        v[0] = g_strdup ("");
    }
    return v;
}

/* robfig's getRange: one list element, expr, at offset at. */
static gboolean
parse_range (const char *expr, gsize at, const Bounds *b, guint64 *bits,
             guint *offset, GError **error)
{
    g_auto (GStrv) rs = go_split (expr, "/");
    g_auto (GStrv) lh = go_split (rs[0], "-");
    guint nrs = g_strv_length (rs), nlh = g_strv_length (lh);
    guint64 lo, hi, step = 1, extra = 0;

    if (strcmp (lh[0], "*") == 0 || strcmp (lh[0], "?") == 0) {
        lo = b->min;
        hi = b->max;
        extra = STAR_BIT;
    } else {
        if (!parse_value (lh[0], b, at, &lo, offset, error))
            return FALSE;
        if (nlh > 2)
            return fail (error, offset, at, "too many hyphens: %s", expr);
        hi = lo;
        if (nlh == 2 && !parse_value (lh[1], b, at + strlen (lh[0]) + 1,
                                      &hi, offset, error))
            return FALSE;
    }
    if (nrs > 2)
        return fail (error, offset, at, "too many slashes: %s", expr);
    if (nrs == 2) {
        if (!parse_value (rs[1], &bounds[F_MINUTE], at + strlen (rs[0]) + 1,
                          &step, offset, error))
            return FALSE;
        if (nlh == 1)
            hi = b->max;        /* "N/step" is "N-max/step" */
        if (step > 1)
            extra = 0;
    }
    if (lo < b->min)
        return fail (error, offset, at, "beginning of range (%" G_GUINT64_FORMAT
                     ") below minimum (%u): %s", lo, b->min, expr);
    if (hi > b->max)
        return fail (error, offset, at, "end of range (%" G_GUINT64_FORMAT
                     ") above maximum (%u): %s", hi, b->max, expr);
    if (lo > hi)
        return fail (error, offset, at, "beginning of range (%"
                     G_GUINT64_FORMAT ") beyond end of range (%"
                     G_GUINT64_FORMAT "): %s", lo, hi, expr);
    if (step == 0)
        return fail (error, offset, at, "step of range should be a positive "
                     "number: %s", expr);
    *bits |= range_bits (lo, hi, step) | extra;
    return TRUE;
}

/* robfig's getField: a comma-separated list (empty elements skipped, as
 * strings.FieldsFunc skips them). */
static gboolean
parse_field (const char *text, gsize start, gsize len, const Bounds *b,
             guint64 *bits, guint *offset, GError **error)
{
    gsize i = start, end = start + len;

    *bits = 0;
    while (i < end) {
        gsize j = i;
        g_autofree char *expr = NULL;

        while (j < end && text[j] != ',')
            j++;
        if (j > i) {
            expr = g_strndup (text + i, j - i);
            if (!parse_range (expr, i, b, bits, offset, error))
                return FALSE;
        }
        i = j + 1;
    }
    return TRUE;
}

/* Go's time.ParseDuration, to whole nanoseconds. */
static gboolean
go_duration (const char *orig, gint64 *ns, char **why)
{
    static const struct { const char *unit; double ns; } units[] = {
        { "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "\xce\xbcs", 1e3 },
        { "ms", 1e6 }, { "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 }
    };
    const char *s = orig + (*orig == '-' || *orig == '+');
    double total = 0;

    *why = NULL;
    if (strcmp (s, "0") == 0) {
        *ns = 0;
        return TRUE;
    }
    if (*s == '\0')
        goto invalid;
    while (*s) {
        const char *num = s, *u;
        gsize ulen;
        gboolean known = FALSE;
        double v;

        while (g_ascii_isdigit (*s))
            s++;
        if (*s == '.')
            for (s++; g_ascii_isdigit (*s); s++)
                ;
        if (s == num || (s - num == 1 && *num == '.'))
            goto invalid;
        v = g_ascii_strtod (num, NULL);
        for (u = s; *s && *s != '.' && !g_ascii_isdigit (*s); s++)
            ;
        ulen = (gsize) (s - u);
        if (ulen == 0) {
            *why = g_strdup_printf ("time: missing unit in duration \"%s\"",
                                    orig);
            return FALSE;
        }
        for (gsize k = 0; k < G_N_ELEMENTS (units) && !known; k++)
            if (strlen (units[k].unit) == ulen
                && strncmp (u, units[k].unit, ulen) == 0) {
                total += v * units[k].ns;
                known = TRUE;
            }
        if (!known) {
            *why = g_strdup_printf ("time: unknown unit \"%.*s\" in duration "
                                    "\"%s\"", (int) ulen, u, orig);
            return FALSE;
        }
    }
    if (total > 9.2e18)
        goto invalid;
    *ns = (gint64) total * (*orig == '-' ? -1 : 1);
    return TRUE;
invalid:
    *why = g_strdup_printf ("time: invalid duration \"%s\"", orig);
    return FALSE;
}

/* robfig's parseDescriptor; text starts with '@'. */
static CronSchedule *
parse_descriptor (const char *text, guint *offset, GError **error)
{
    static const struct { const char *name; const char *fields; } macros[] = {
        { "@yearly", "0 0 1 1 *" }, { "@annually", "0 0 1 1 *" },
        { "@monthly", "0 0 1 * *" }, { "@weekly", "0 0 * * 0" },
        { "@daily", "0 0 * * *" }, { "@midnight", "0 0 * * *" },
        { "@hourly", "0 * * * *" }
    };
    CronSchedule *c;
    g_autofree char *why = NULL;
    gint64 ns;

    for (gsize i = 0; i < G_N_ELEMENTS (macros); i++)
        if (strcmp (text, macros[i].name) == 0)
            return cron_schedule_parse (macros[i].fields, offset, error);
    if (!g_str_has_prefix (text, "@every ")) {
        fail (error, offset, 0, "unrecognized descriptor: %s", text);
        return NULL;
    }
    if (!go_duration (text + 7, &ns, &why)) {
        fail (error, offset, 7, "failed to parse duration %s: %s", text, why);
        return NULL;
    }
    c = g_new0 (CronSchedule, 1);
    /* robfig's Every: at least a second, whole seconds */
    c->every = MAX (ns, G_GINT64_CONSTANT (1000000000)) / 1000000000;
    return c;
}

CronSchedule *
cron_schedule_parse (const char *text, guint *offset, GError **error)
{
    gsize start[F_N + 1], len[F_N + 1], i = 0;
    guint n = 0;
    const char *tz;
    CronSchedule *c;

    g_return_val_if_fail (text != NULL && offset != NULL, NULL);
    *offset = 0;
    if (*text == '\0') {
        fail (error, offset, 0, "empty spec string");
        return NULL;
    }
    if ((tz = strstr (text, "TZ")) != NULL) {
        fail (error, offset, (gsize) (tz - text), "cannot use TZ or CRON_TZ "
              "in schedule, use timeZone field instead");
        return NULL;
    }
    if (text[0] == '@')
        return parse_descriptor (text, offset, error);
    while (text[i]) {
        while (g_ascii_isspace (text[i]))
            i++;
        if (text[i] == '\0')
            break;
        if (n <= F_N)
            start[n] = i;
        while (text[i] && !g_ascii_isspace (text[i]))
            i++;
        if (n <= F_N)
            len[n] = i - start[n];
        n++;
    }
    if (n != F_N) {
        g_auto (GStrv) words = g_strsplit_set (text, " \t\n\r\v\f", -1);
        GString *list = g_string_new (NULL);

        for (guint k = 0; words[k]; k++)
            if (words[k][0])
                g_string_append_printf (list, "%s%s", list->len ? " " : "",
                                        words[k]);
        fail (error, offset, 0, "expected exactly 5 fields, found %u: [%s]",
              n, list->str);
        g_string_free (list, TRUE);
        return NULL;
    }
    c = g_new0 (CronSchedule, 1);
    for (guint f = 0; f < F_N; f++)
        if (!parse_field (text, start[f], len[f], &bounds[f], &c->bits[f],
                          offset, error)) {
            g_free (c);
            return NULL;
        }
    return c;
}

void
cron_schedule_free (CronSchedule *cron)
{
    g_free (cron);
}

/* ---- dates -------------------------------------------------------------- */

static gint64
floor_div (gint64 a, gint64 b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* The civil-from-days and days-from-civil conversions count eras of 400
 * years (146097 days) from 0000-03-01, so that leap days fall at the end
 * of each computed year. */
gint64
cron__days_from_civil (gint year, gint month, gint day)
{
    gint64 y = (gint64) year - (month <= 2);
    gint64 era = floor_div (y, 400);
    gint64 yoe = y - era * 400;
    gint64 mp = (month + 9) % 12;
    gint64 doy = (153 * mp + 2) / 5 + day - 1;
    gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

void
cron__civil_from_days (gint64 days, gint *year, gint *month, gint *day)
{
    gint64 z = days + 719468;
    gint64 era = floor_div (z, 146097);
    gint64 doe = z - era * 146097;
    gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    gint64 mp = (5 * doy + 2) / 153;

    *day = (gint) (doy - (153 * mp + 2) / 5 + 1);
    *month = (gint) (mp < 10 ? mp + 3 : mp - 9);
    *year = (gint) (yoe + era * 400 + (*month <= 2));
}

/* A moment and its local fields in the zone. */
typedef struct {
    GTimeZone *tz;
    gint64 utc;
    gint year, month, day, hour, minute, second, wday;
} Tm;

static gint64
zone_offset (GTimeZone *tz, gint64 utc)
{
    return g_time_zone_get_offset (tz, g_time_zone_find_interval (
                                           tz, G_TIME_TYPE_UNIVERSAL, utc));
}

static void
tm_set (Tm *t, gint64 utc)
{
    gint64 local = utc + zone_offset (t->tz, utc);
    gint64 days = floor_div (local, 86400), secs = local - days * 86400;

    t->utc = utc;
    cron__civil_from_days (days, &t->year, &t->month, &t->day);
    t->hour = (gint) (secs / 3600);
    t->minute = (gint) (secs / 60 % 60);
    t->second = (gint) (secs % 60);
    t->wday = (gint) (days - 7 * floor_div (days + 4, 7) + 4);  /* 1970-01-01
                                                                 * was a
                                                                 * Thursday */
}

/* Go's time.Date in the zone: out-of-range fields carry over; a local time
 * in a gap or an overlap gets the offset Go's lookup finds (the zone of
 * the local time read as UTC, unless that puts the moment outside that
 * zone's interval: then the interval it lands in). */
static void
tm_date (Tm *t, gint year, gint month, gint day, gint hour, gint minute,
         gint second)
{
    gint64 m0 = (gint64) month - 1;
    gint64 y = year + floor_div (m0, 12);
    gint64 local, utc;
    gint i1, i2;

    m0 -= 12 * floor_div (m0, 12);
    local = (cron__days_from_civil ((gint) y, (gint) m0 + 1, 1) + day - 1)
                * 86400
            + hour * 3600 + minute * 60 + second;
    i1 = g_time_zone_find_interval (t->tz, G_TIME_TYPE_UNIVERSAL, local);
    utc = local - g_time_zone_get_offset (t->tz, i1);
    i2 = g_time_zone_find_interval (t->tz, G_TIME_TYPE_UNIVERSAL, utc);
    if (i2 != i1)
        utc = local - g_time_zone_get_offset (t->tz, i2);
    tm_set (t, utc);
}

static gboolean
has (const CronSchedule *c, CronField f, gint v)
{
    return (c->bits[f] >> v) & 1;
}

/* robfig's dayMatches: AND when either field was a star, else OR. */
static gboolean
day_matches (const CronSchedule *c, const Tm *t)
{
    gboolean dom = has (c, F_DOM, t->day), dow = has (c, F_DOW, t->wday);

    if ((c->bits[F_DOM] | c->bits[F_DOW]) & STAR_BIT)
        return dom && dow;
    return dom || dow;
}

/* spec.go's Next, field by field; `added` is set once a field has been
 * stepped, after which the lower fields start from their first value. */
static gboolean
next_in_zone (const CronSchedule *c, Tm *t, gint64 after)
{
    gboolean added = FALSE;
    gint year_limit;

    tm_set (t, after + 1);
    year_limit = t->year + 5;
wrap:
    if (t->year > year_limit)
        return FALSE;
    while (!has (c, F_MONTH, t->month)) {
        if (!added)
            tm_date (t, t->year, t->month, 1, 0, 0, 0);
        added = TRUE;
        tm_date (t, t->year, t->month + 1, t->day, t->hour, t->minute,
                 t->second);
        if (t->month == 1)
            goto wrap;
    }
    while (!day_matches (c, t)) {
        if (!added)
            tm_date (t, t->year, t->month, t->day, 0, 0, 0);
        added = TRUE;
        tm_date (t, t->year, t->month, t->day + 1, t->hour, t->minute,
                 t->second);
        /* midnight may not exist on a DST change: back to the day's
         * start (robfig's Sao Paulo note) */
        if (t->hour != 0)
            tm_set (t, t->utc + 3600 * (t->hour > 12 ? 24 - t->hour
                                                     : -t->hour));
        if (t->day == 1)
            goto wrap;
    }
    while (!has (c, F_HOUR, t->hour)) {
        if (!added)
            tm_date (t, t->year, t->month, t->day, t->hour, 0, 0);
        added = TRUE;
        tm_set (t, t->utc + 3600);
        if (t->hour == 0)
            goto wrap;
    }
    while (!has (c, F_MINUTE, t->minute)) {
        if (!added)
            tm_set (t, t->utc - (t->utc - 60 * floor_div (t->utc, 60)));
        added = TRUE;
        tm_set (t, t->utc + 60);
        if (t->minute == 0)
            goto wrap;
    }
    if (t->second != 0) {
        /* the seconds field is 0: robfig steps a second at a time to the
         * next minute and starts over, which is this jump */
        added = TRUE;
        tm_set (t, t->utc + 60 - t->second);
        goto wrap;
    }
    return TRUE;
}

gboolean
cron_schedule_next (const CronSchedule *cron, GTimeZone *tz, gint64 after,
                    gint64 *next)
{
    Tm t = { 0 };
    gboolean ok;

    g_return_val_if_fail (cron != NULL && next != NULL, FALSE);
    if (cron->every > 0) {
        *next = after + cron->every;
        return TRUE;
    }
    t.tz = tz ? g_time_zone_ref (tz) : g_time_zone_new_utc ();
    ok = next_in_zone (cron, &t, after);
    g_time_zone_unref (t.tz);
    if (ok)
        *next = t.utc;
    return ok;
}
