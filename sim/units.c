/* units.c: parsing of the quantities scenarios are written in.
 *
 * Every parser follows the same path: check_text() rejects what no quantity
 * may contain (nothing, white space, a sign), scan_number() finds the
 * decimal number at the start, and a table of Unit rows names the suffixes
 * allowed after it. A unit is an exact factor * 1024^pow1024 * 10^pow10, so
 * the integer parsers (durations, CPU, bytes) convert with exact decimal
 * arithmetic in decimal_to_int64(): a double would silently lose integers
 * above 2^53 and blur the gint64 overflow boundary. The double parsers hand
 * the checked number to g_ascii_strtod(), so no parser depends on the locale.
 */
#include "sim/units.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

G_DEFINE_QUARK (kb-units-error-quark, kb_units_error)

/* ---- errors ------------------------------------------------------------ */

/* What is being parsed, for messages. */
typedef struct {
    const char *name;       /* "invalid <name> '<text>': ..." */
    const char *expected;   /* "expected <expected>" */
} Kind;

static const Kind duration_kind = {
    "duration", "a number and unit such as 90s or 1h30m"
};
static const Kind cpu_kind = {
    "cpu quantity", "cores such as 2 or 0.5, or millicores such as 500m"
};
static const Kind memory_kind = {
    "memory quantity", "a quantity such as 512Mi, 2Gi or 1.5GB"
};
static const Kind bandwidth_kind = {
    "bandwidth", "a rate such as 100MB/s, 1Gbit/s or 500Mbps"
};
static const Kind decimal_kind = {
    "amount", "a non-negative decimal such as 0.192"
};
static const Kind rate_kind = {
    "rate", "a count per time such as 120/h or 0.5/s"
};
static const Kind fraction_kind = {
    "fraction", "a fraction such as 0.999 or a percentage such as 99.9%"
};

#define DURATION_UNITS "(use us, ms, s, m, h or d)"
#define MEMORY_SUFFIXES "(use Ki, Mi, Gi, Ti, Pi, Ei, k, M, G, T, P, E " \
    "or a byte unit such as MB, GiB)"
#define RATE_UNITS "(use s, m, min, h or d)"

static gboolean fail (GError **error, KbUnitsError code, const Kind *kind,
                      const char *text, const char *fmt, ...)
    G_GNUC_PRINTF (5, 6);

/* Sets "invalid <kind> '<text>': <reason>" and returns FALSE. */
static gboolean
fail (GError **error, KbUnitsError code, const Kind *kind, const char *text,
      const char *fmt, ...)
{
    g_autofree char *reason = NULL;
    va_list ap;

    va_start (ap, fmt);
    reason = g_strdup_vprintf (fmt, ap);
    va_end (ap);
    g_set_error (error, KB_UNITS_ERROR, code, "invalid %s '%s': %s",
                 kind->name, text, reason);
    return FALSE;
}

/* ---- units ------------------------------------------------------------- */

/* One suffix: the value of one unit is factor * 1024^pow1024 * 10^pow10. */
typedef struct {
    const char *name;
    guint32 factor;
    guint8 pow1024;
    gint8 pow10;
} Unit;

/* Largest first: a compound duration must follow this order. */
static const Unit duration_units[] = {
    { "d", 864, 0, 8 },         /* 86400 s = 864 * 10^8 us */
    { "h", 36, 0, 8 },
    { "m", 6, 0, 7 },
    { "s", 1, 0, 6 },
    { "ms", 1, 0, 3 },
    { "us", 1, 0, 0 },
    { NULL, 0, 0, 0 }
};

static const Unit cpu_units[] = {
    { "", 1, 0, 3 },            /* cores */
    { "m", 1, 0, 0 },           /* millicores */
    { NULL, 0, 0, 0 }
};

/* Kubernetes quantity suffixes, then the byte spellings of image sizes. */
static const Unit byte_units[] = {
    { "", 1, 0, 0 },
    { "Ki", 1, 1, 0 }, { "Mi", 1, 2, 0 }, { "Gi", 1, 3, 0 },
    { "Ti", 1, 4, 0 }, { "Pi", 1, 5, 0 }, { "Ei", 1, 6, 0 },
    { "k", 1, 0, 3 }, { "M", 1, 0, 6 }, { "G", 1, 0, 9 },
    { "T", 1, 0, 12 }, { "P", 1, 0, 15 }, { "E", 1, 0, 18 },
    { "B", 1, 0, 0 }, { "kB", 1, 0, 3 }, { "KB", 1, 0, 3 },
    { "MB", 1, 0, 6 }, { "GB", 1, 0, 9 }, { "TB", 1, 0, 12 },
    { "PB", 1, 0, 15 }, { "EB", 1, 0, 18 },
    { "KiB", 1, 1, 0 }, { "MiB", 1, 2, 0 }, { "GiB", 1, 3, 0 },
    { "TiB", 1, 4, 0 }, { "PiB", 1, 5, 0 }, { "EiB", 1, 6, 0 },
    { NULL, 0, 0, 0 }
};

/* In bytes: one bit is 125 * 10^-3 bytes. */
static const Unit bit_units[] = {
    { "bit", 125, 0, -3 }, { "kbit", 125, 0, 0 }, { "Mbit", 125, 0, 3 },
    { "Gbit", 125, 0, 6 }, { "Tbit", 125, 0, 9 },
    { NULL, 0, 0, 0 }
};

/* In bytes per second. */
static const Unit bps_units[] = {
    { "bps", 125, 0, -3 }, { "kbps", 125, 0, 0 }, { "Mbps", 125, 0, 3 },
    { "Gbps", 125, 0, 6 }, { "Tbps", 125, 0, 9 },
    { NULL, 0, 0, 0 }
};

/* In seconds. */
static const Unit rate_units[] = {
    { "s", 1, 0, 0 }, { "m", 6, 0, 1 }, { "min", 6, 0, 1 },
    { "h", 36, 0, 2 }, { "d", 864, 0, 2 },
    { NULL, 0, 0, 0 }
};

/* The row of table named by the len bytes at name, ASCII case folded if
 * fold is set; NULL if there is none. */
static const Unit *
unit_find (const Unit *table, const char *name, gsize len, gboolean fold)
{
    for (; table->name != NULL; table++) {
        if (strlen (table->name) != len)
            continue;
        if (fold ? g_ascii_strncasecmp (table->name, name, len) == 0
                 : strncmp (table->name, name, len) == 0)
            return table;
    }
    return NULL;
}

static double
unit_value (const Unit *unit)
{
    double v = ldexp (unit->factor, 10 * unit->pow1024);
    double p = 1.0;     /* 10^|pow10| is exact in a double up to 10^22 */

    for (int i = 0; i < ABS (unit->pow10); i++)
        p *= 10.0;
    return unit->pow10 < 0 ? v / p : v * p;
}

/* ---- numbers ----------------------------------------------------------- */

/* Returns the end of the unsigned decimal number at p (digits with at most
 * one '.', at least one digit, then, if allow_exp, an optional exponent
 * "e3", "E+9"), or p itself if there is none. An 'e' or 'E' that no digit
 * follows is left alone: "1E" is one exa. */
static const char *
scan_number (const char *p, gboolean allow_exp, gboolean *has_exp)
{
    const char *q = p;
    gboolean digits = FALSE;

    for (; g_ascii_isdigit (*q); q++)
        digits = TRUE;
    if (*q == '.')
        for (q++; g_ascii_isdigit (*q); q++)
            digits = TRUE;
    if (!digits)
        return p;
    if (has_exp != NULL)
        *has_exp = FALSE;
    if (allow_exp && (*q == 'e' || *q == 'E')) {
        const char *e = q + 1 + (q[1] == '+' || q[1] == '-');

        if (g_ascii_isdigit (*e)) {
            for (q = e; g_ascii_isdigit (*q); q++)
                ;
            if (has_exp != NULL)
                *has_exp = TRUE;
        }
    }
    return q;
}

/* An unsigned integer of BIG_LIMBS 32-bit limbs, least significant first:
 * room for MAX_DIGITS significant digits times the largest factor (1024^6,
 * or 864) times 10^18, so only a result far beyond gint64 overflows it. */
#define BIG_LIMBS 8
#define MAX_DIGITS 40

typedef struct {
    guint32 limb[BIG_LIMBS];
} Big;

/* big = big * m + add; FALSE if that no longer fits. */
static gboolean
big_mul_add (Big *big, guint32 m, guint32 add)
{
    guint64 carry = add;

    for (int i = 0; i < BIG_LIMBS; i++) {
        guint64 t = (guint64) big->limb[i] * m + carry;

        big->limb[i] = (guint32) t;
        carry = t >> 32;
    }
    return carry == 0;
}

/* big = big / d; returns the remainder. */
static guint32
big_div (Big *big, guint32 d)
{
    guint64 rem = 0;

    for (int i = BIG_LIMBS - 1; i >= 0; i--) {
        guint64 t = (rem << 32) | big->limb[i];

        big->limb[i] = (guint32) (t / d);
        rem = t % d;
    }
    return (guint32) rem;
}

static gboolean
big_is_zero (const Big *big)
{
    for (int i = 0; i < BIG_LIMBS; i++)
        if (big->limb[i] != 0)
            return FALSE;
    return TRUE;
}

static gboolean
big_to_int64 (const Big *big, gint64 *out)
{
    for (int i = 2; i < BIG_LIMBS; i++)
        if (big->limb[i] != 0)
            return FALSE;
    if (big->limb[1] > G_MAXINT32)
        return FALSE;
    *out = (gint64) ((guint64) big->limb[1] << 32 | big->limb[0]);
    return TRUE;
}

/* Reads the digits of the number scan_number() found in [p, end) into big,
 * adjusting *exp10 for the digits after the point and for those past
 * MAX_DIGITS, which are dropped (*inexact notes a dropped non-zero one).
 * Returns where the exponent, if any, starts. */
static const char *
read_mantissa (Big *big, const char *p, const char *end, int *exp10,
               gboolean *inexact)
{
    gboolean fraction = FALSE;
    int digits = 0;

    for (; p < end && *p != 'e' && *p != 'E'; p++) {
        if (*p == '.') {
            fraction = TRUE;
        } else if (digits >= MAX_DIGITS) {
            if (!fraction)
                (*exp10)++;
            if (*p != '0')
                *inexact = TRUE;
        } else {
            big_mul_add (big, 10, *p - '0');    /* cannot overflow */
            if (fraction)
                (*exp10)--;
            if (digits > 0 || *p != '0')
                digits++;               /* leading zeros do not count */
        }
    }
    return p;
}

/* Adds the exponent at p ("e-3"), clamped far beyond any useful size. */
static void
read_exponent (const char *p, const char *end, int *exp10)
{
    int sign = 1, e = 0;

    if (p == end)
        return;
    p++;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    for (; p < end; p++)
        if (e < 100000)
            e = e * 10 + (*p - '0');
    *exp10 += sign * e;
}

/* big = big * 10^exp10, rounding halves up when exp10 < 0; *inexact notes
 * a discarded non-zero remainder. FALSE on overflow. */
static gboolean
big_scale10 (Big *big, int exp10, gboolean *inexact)
{
    gboolean round_up = FALSE;

    for (; exp10 > 0 && !big_is_zero (big); exp10--)
        if (!big_mul_add (big, 10, 0))
            return FALSE;
    for (; exp10 < 0 && !big_is_zero (big); exp10++) {
        guint32 rem = big_div (big, 10);

        *inexact |= rem != 0;
        round_up = exp10 == -1 && rem >= 5;
    }
    return !round_up || big_mul_add (big, 1, 1);
}

/* Converts the number in [p, end), as checked by scan_number(), times unit
 * to the nearest integer. Sets *inexact (may be NULL) to whether rounding
 * changed the value. Returns FALSE if the result exceeds G_MAXINT64. */
static gboolean
decimal_to_int64 (const char *p, const char *end, const Unit *unit,
                  gint64 *out, gboolean *inexact)
{
    Big big = { { 0 } };
    int exp10 = unit->pow10;
    gboolean dropped = FALSE;

    p = read_mantissa (&big, p, end, &exp10, &dropped);
    read_exponent (p, end, &exp10);
    if (!big_mul_add (&big, unit->factor, 0))
        return FALSE;
    for (int i = 0; i < unit->pow1024; i++)
        if (!big_mul_add (&big, 1024, 0))
            return FALSE;
    if (!big_scale10 (&big, exp10, &dropped))
        return FALSE;
    if (inexact != NULL)
        *inexact = dropped;
    return big_to_int64 (&big, out);
}

/* The number that starts text and ends at end, as a double; FALSE with
 * error set if it is too large for one. */
static gboolean
decimal_to_double (const char *text, const char *end, const Kind *kind,
                   double *out, GError **error)
{
    g_autofree char *number = g_strndup (text, end - text);
    double v = g_ascii_strtod (number, NULL);

    if (!isfinite (v))
        return fail (error, KB_UNITS_ERROR_RANGE, kind, text, "too large");
    *out = v;
    return TRUE;
}

/* ---- shared checks ----------------------------------------------------- */

/* Rejects what no quantity may contain: nothing, white space, a sign. */
static gboolean
check_text (const char *text, const Kind *kind, GError **error)
{
    if (*text == '\0')
        return fail (error, KB_UNITS_ERROR_INVALID, kind, text,
                     "empty (expected %s)", kind->expected);
    for (const char *p = text; *p != '\0'; p++)
        if (g_ascii_isspace (*p))
            return fail (error, KB_UNITS_ERROR_INVALID, kind, text,
                         "white space is not allowed");
    if (*text == '-')
        return fail (error, KB_UNITS_ERROR_RANGE, kind, text,
                     "must not be negative");
    if (*text == '+')
        return fail (error, KB_UNITS_ERROR_INVALID, kind, text,
                     "a sign is not allowed (expected %s)", kind->expected);
    return TRUE;
}

/* check_text(), then the number at the start of text: returns its end, or
 * NULL with error set. */
static const char *
begin_parse (const char *text, const Kind *kind, gboolean allow_exp,
             gboolean *has_exp, GError **error)
{
    const char *end;

    if (!check_text (text, kind, error))
        return NULL;
    end = scan_number (text, allow_exp, has_exp);
    if (end == text) {
        fail (error, KB_UNITS_ERROR_INVALID, kind, text,
              "missing number (expected %s)", kind->expected);
        return NULL;
    }
    return end;
}

/* Text after a number that should have ended the quantity. */
static gboolean
fail_trailing (GError **error, const Kind *kind, const char *text,
               const char *rest)
{
    return fail (error, KB_UNITS_ERROR_INVALID, kind, text,
                 "unexpected '%s' (expected %s)", rest, kind->expected);
}

/* ---- durations --------------------------------------------------------- */

/* Parses the "<number><unit>" at *p, adds it to *total and moves *p past
 * it. *last is the duration_units index of the previous unit, or -1. */
static gboolean
duration_part (const char *text, const char **p, int *last, gint64 *total,
               GError **error)
{
    const char *num = *p, *end = scan_number (num, FALSE, NULL), *stop;
    const Unit *unit;
    gint64 us;

    if (end == num)
        return fail (error, KB_UNITS_ERROR_INVALID, &duration_kind, text,
                     "missing number (expected %s)", duration_kind.expected);
    for (stop = end; *stop != '\0' && !g_ascii_isdigit (*stop)
                     && *stop != '.'; stop++)
        ;
    if (stop == end)
        return fail (error, KB_UNITS_ERROR_INVALID, &duration_kind, text,
                     "missing unit after '%.*s' " DURATION_UNITS,
                     (int) (end - num), num);
    unit = unit_find (duration_units, end, stop - end, FALSE);
    if (unit == NULL)
        return fail (error, KB_UNITS_ERROR_INVALID, &duration_kind, text,
                     "unknown unit '%.*s' " DURATION_UNITS,
                     (int) (stop - end), end);
    if (unit - duration_units <= *last)
        return fail (error, KB_UNITS_ERROR_INVALID, &duration_kind, text,
                     "unit '%s' after '%s' (write each unit once, largest "
                     "first, as in 1h30m)", unit->name,
                     duration_units[*last].name);
    if (!decimal_to_int64 (num, end, unit, &us, NULL)
        || us > G_MAXINT64 - *total)
        return fail (error, KB_UNITS_ERROR_RANGE, &duration_kind, text,
                     "too large (at most %" G_GINT64_FORMAT " microseconds)",
                     G_MAXINT64);
    *total += us;
    *last = unit - duration_units;
    *p = stop;
    return TRUE;
}

gboolean
units_parse_duration (const char *text, gint64 *out_us, GError **error)
{
    const char *p = text;
    gint64 total = 0;
    int last = -1;

    g_return_val_if_fail (text != NULL && out_us != NULL, FALSE);
    if (!check_text (text, &duration_kind, error))
        return FALSE;
    if (strcmp (text, "0") == 0) {
        *out_us = 0;
        return TRUE;
    }
    while (*p != '\0')
        if (!duration_part (text, &p, &last, &total, error))
            return FALSE;
    *out_us = total;
    return TRUE;
}

/* ---- CPU and bytes ----------------------------------------------------- */

gboolean
units_parse_cpu (const char *text, gint64 *out_millicores, GError **error)
{
    const char *end;
    const Unit *unit;
    gboolean inexact;
    gint64 v;

    g_return_val_if_fail (text != NULL && out_millicores != NULL, FALSE);
    end = begin_parse (text, &cpu_kind, FALSE, NULL, error);
    if (end == NULL)
        return FALSE;
    unit = unit_find (cpu_units, end, strlen (end), FALSE);
    if (unit == NULL)
        return fail (error, KB_UNITS_ERROR_INVALID, &cpu_kind, text,
                     "unknown suffix '%s' (use m for millicores, or no "
                     "suffix for cores)", end);
    if (!decimal_to_int64 (text, end, unit, &v, &inexact))
        return fail (error, KB_UNITS_ERROR_RANGE, &cpu_kind, text,
                     "too large (at most %" G_GINT64_FORMAT " millicores)",
                     G_MAXINT64);
    if (inexact)
        return fail (error, KB_UNITS_ERROR_INVALID, &cpu_kind, text,
                     "finer than 1m");
    *out_millicores = v;
    return TRUE;
}

/* Explains why suffix is not a memory suffix. */
static gboolean
fail_bytes_suffix (GError **error, const char *text, const char *suffix)
{
    const Unit *hint = unit_find (byte_units, suffix, strlen (suffix), TRUE);

    if (strcmp (suffix, "m") == 0)
        return fail (error, KB_UNITS_ERROR_INVALID, &memory_kind, text,
                     "suffix 'm' means milli (1/1000), not mega "
                     "(use M or Mi)");
    if (hint != NULL)
        return fail (error, KB_UNITS_ERROR_INVALID, &memory_kind, text,
                     "unknown suffix '%s' (suffixes are case-sensitive: "
                     "did you mean %s?)", suffix, hint->name);
    return fail (error, KB_UNITS_ERROR_INVALID, &memory_kind, text,
                 "unknown suffix '%s' " MEMORY_SUFFIXES, suffix);
}

static gboolean
fail_exponent (GError **error, const Kind *kind, const char *text)
{
    return fail (error, KB_UNITS_ERROR_INVALID, kind, text,
                 "an exponent cannot be combined with a suffix");
}

gboolean
units_parse_bytes (const char *text, gint64 *out_bytes, GError **error)
{
    const char *end;
    const Unit *unit;
    gboolean has_exp = FALSE;
    gint64 v;

    g_return_val_if_fail (text != NULL && out_bytes != NULL, FALSE);
    end = begin_parse (text, &memory_kind, TRUE, &has_exp, error);
    if (end == NULL)
        return FALSE;
    unit = unit_find (byte_units, end, strlen (end), FALSE);
    if (unit == NULL)
        return fail_bytes_suffix (error, text, end);
    if (has_exp && *end != '\0')
        return fail_exponent (error, &memory_kind, text);
    if (!decimal_to_int64 (text, end, unit, &v, NULL))
        return fail (error, KB_UNITS_ERROR_RANGE, &memory_kind, text,
                     "too large (at most %" G_GINT64_FORMAT " bytes)",
                     G_MAXINT64);
    *out_bytes = v;
    return TRUE;
}

/* ---- bandwidth --------------------------------------------------------- */

/* Finds the unit after the number at end: "<size unit>/s" or "<x>bps".
 * Sets *bytes_per_s to the value of one such unit. */
static gboolean
bandwidth_unit (const char *text, const char *end, gboolean has_exp,
                double *bytes_per_s, GError **error)
{
    const char *slash = strchr (end, '/');
    gsize len = slash != NULL ? (gsize) (slash - end) : strlen (end);
    const Unit *unit = unit_find (byte_units, end, len, FALSE);

    if (unit == NULL)
        unit = unit_find (bit_units, end, len, FALSE);
    if (has_exp && len > 0)
        return fail_exponent (error, &bandwidth_kind, text);
    if (slash == NULL && unit != NULL)
        return fail (error, KB_UNITS_ERROR_INVALID, &bandwidth_kind, text,
                     "missing '/s' (expected %s)", bandwidth_kind.expected);
    if (slash == NULL)
        unit = unit_find (bps_units, end, len, FALSE);
    if (unit == NULL)
        return fail (error, KB_UNITS_ERROR_INVALID, &bandwidth_kind, text,
                     "unknown unit '%.*s' (use a byte or bit unit such as "
                     "MB, MiB or Mbit followed by /s, or kbps, Mbps or "
                     "Gbps)", (int) len, end);
    if (slash != NULL && strcmp (slash, "/s") != 0)
        return fail (error, KB_UNITS_ERROR_INVALID, &bandwidth_kind, text,
                     "expected '/s' after the size, not '%s'", slash);
    *bytes_per_s = unit_value (unit);
    return TRUE;
}

gboolean
units_parse_bandwidth (const char *text, double *out_bytes_per_s,
                       GError **error)
{
    const char *end;
    gboolean has_exp = FALSE;
    double unit = 0.0, v = 0.0;

    g_return_val_if_fail (text != NULL && out_bytes_per_s != NULL, FALSE);
    end = begin_parse (text, &bandwidth_kind, TRUE, &has_exp, error);
    if (end == NULL || !bandwidth_unit (text, end, has_exp, &unit, error)
        || !decimal_to_double (text, end, &bandwidth_kind, &v, error))
        return FALSE;
    v *= unit;
    if (!isfinite (v))
        return fail (error, KB_UNITS_ERROR_RANGE, &bandwidth_kind, text,
                     "too large");
    if (v <= 0.0)
        return fail (error, KB_UNITS_ERROR_RANGE, &bandwidth_kind, text,
                     "must be greater than zero");
    *out_bytes_per_s = v;
    return TRUE;
}

/* ---- plain decimals, rates and fractions ------------------------------- */

gboolean
units_parse_decimal (const char *text, double *out, GError **error)
{
    const char *end;

    g_return_val_if_fail (text != NULL && out != NULL, FALSE);
    end = begin_parse (text, &decimal_kind, FALSE, NULL, error);
    if (end == NULL)
        return FALSE;
    if (*end != '\0')
        return fail_trailing (error, &decimal_kind, text, end);
    return decimal_to_double (text, end, &decimal_kind, out, error);
}

gboolean
units_parse_rate (const char *text, double *out_per_s, GError **error)
{
    const char *end;
    const Unit *unit;
    double v;

    g_return_val_if_fail (text != NULL && out_per_s != NULL, FALSE);
    end = begin_parse (text, &rate_kind, FALSE, NULL, error);
    if (end == NULL)
        return FALSE;
    if (*end == '\0')
        return fail (error, KB_UNITS_ERROR_INVALID, &rate_kind, text,
                     "missing '/' and time unit (expected %s)",
                     rate_kind.expected);
    if (*end != '/')
        return fail_trailing (error, &rate_kind, text, end);
    unit = unit_find (rate_units, end + 1, strlen (end + 1), FALSE);
    if (unit == NULL && end[1] == '\0')
        return fail (error, KB_UNITS_ERROR_INVALID, &rate_kind, text,
                     "missing time unit after '/' " RATE_UNITS);
    if (unit == NULL)
        return fail (error, KB_UNITS_ERROR_INVALID, &rate_kind, text,
                     "unknown time unit '%s' " RATE_UNITS, end + 1);
    if (!decimal_to_double (text, end, &rate_kind, &v, error))
        return FALSE;
    *out_per_s = v / unit_value (unit);
    return TRUE;
}

gboolean
units_parse_fraction (const char *text, double *out, GError **error)
{
    const char *end;
    double v;

    g_return_val_if_fail (text != NULL && out != NULL, FALSE);
    end = begin_parse (text, &fraction_kind, FALSE, NULL, error);
    if (end == NULL)
        return FALSE;
    if (*end != '\0' && strcmp (end, "%") != 0)
        return fail_trailing (error, &fraction_kind, text, end);
    if (!decimal_to_double (text, end, &fraction_kind, &v, error))
        return FALSE;
    if (*end == '%')
        v /= 100.0;
    if (v > 1.0)
        return fail (error, KB_UNITS_ERROR_RANGE, &fraction_kind, text,
                     "must be between 0 and 1 (0%% and 100%%)");
    *out = v;
    return TRUE;
}

/* ---- formatting -------------------------------------------------------- */

/* a / b rounded to the nearest integer, halves up. */
static guint64
div_round (guint64 a, guint64 b)
{
    guint64 q = a / b, r = a % b;

    return r >= b - r ? q + 1 : q;
}

/* Integer arithmetic throughout, so rounding is exact and the output needs
 * no locale-dependent printf of a double. For each unit from kB up, try
 * 2, 1, then 0 decimals: the first count below 1000 has three figures. */
char *
units_format_bytes (gint64 bytes)
{
    static const char *const names[] = { "kB", "MB", "GB", "TB", "PB", "EB" };
    const char *sign = bytes < 0 ? "-" : "";
    guint64 mag = bytes < 0 ? -(guint64) bytes : (guint64) bytes;
    guint64 unit = 1;

    if (mag < 1000)
        return g_strdup_printf ("%s%" G_GUINT64_FORMAT " B", sign, mag);
    for (guint k = 0; k < G_N_ELEMENTS (names); k++) {
        guint64 n;

        unit *= 1000;
        if ((n = div_round (mag, unit / 100)) < 1000)
            return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%02u %s", sign,
                                    n / 100, (guint) (n % 100), names[k]);
        if ((n = div_round (mag, unit / 10)) < 1000)
            return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%u %s", sign,
                                    n / 10, (guint) (n % 10), names[k]);
        if ((n = div_round (mag, unit)) < 1000)
            return g_strdup_printf ("%s%" G_GUINT64_FORMAT " %s", sign, n,
                                    names[k]);
    }
    g_assert_not_reached ();
}

/* ---- numbers ---------------------------------------------------------- */

#define MAX_DECIMALS 10

/* The fewest decimals that write multiples of step exactly. step > 0. */
static int
decimals_for (double step)
{
    for (int d = 0; d < MAX_DECIMALS; d++) {
        double scaled = step * pow (10, d);

        if (fabs (scaled - round (scaled)) <= 1e-6 * scaled)
            return d;
    }
    return MAX_DECIMALS;
}

/* A step that gives v three significant figures. */
static double
precision_for (double v)
{
    if (v == 0 || !isfinite (v))
        return 1;
    return pow (10, floor (log10 (fabs (v))) - 2);
}

/* Appends |v| with d decimals and commas between thousands. Returns
 * whether the digits written are all zeros, so the caller can leave out
 * a minus sign. */
static gboolean
append_grouped (GString *out, double v, int d)
{
    char fmt[16];
    char buf[512];
    gsize int_len;
    const char *dot;

    g_snprintf (fmt, sizeof fmt, "%%.%df", d);
    g_ascii_formatd (buf, sizeof buf, fmt, fabs (v));
    dot = strchr (buf, '.');
    int_len = dot != NULL ? (gsize) (dot - buf) : strlen (buf);
    for (gsize i = 0; i < int_len; i++) {
        if (i > 0 && (int_len - i) % 3 == 0)
            g_string_append_c (out, ',');
        g_string_append_c (out, buf[i]);
    }
    if (dot != NULL)
        g_string_append (out, dot);
    return strspn (buf, "0.") == strlen (buf);
}

/* Writes a sign (when the rounded number is not 0), prefix and |v|. */
static void
append_signed (GString *out, double v, int d, const char *prefix)
{
    GString *digits = g_string_new (NULL);
    gboolean zero = append_grouped (digits, v, d);

    if (v < 0 && !zero)
        g_string_append_c (out, '-');
    g_string_append (out, prefix);
    g_string_append (out, digits->str);
    g_string_free (digits, TRUE);
}

static void
format_bytes (GString *out, double v, double step)
{
    static const char *const names[] = { "B", "kB", "MB", "GB", "TB",
                                         "PB" };
    int u = 0;

    if (step > 0) {
        while (u + 1 < (int) G_N_ELEMENTS (names)
               && step >= pow (1000, u + 1) / 10)
            u++;
    } else {
        while (u + 1 < (int) G_N_ELEMENTS (names)
               && fabs (v) >= pow (1000, u + 1))
            u++;
        step = precision_for (v / pow (1000, u)) * pow (1000, u);
    }
    append_signed (out, v / pow (1000, u), decimals_for (step / pow (1000, u)),
                   "");
    g_string_append_printf (out, " %s", names[u]);
}

/* Appends total (in 1/scale s, scale = 10^d) as "1 d 2 h 3 min 4.5 s",
 * leaving out zero parts; trim drops trailing zeros of the seconds. */
static void
append_time_parts (GString *out, gint64 total, gint64 scale, int d,
                   gboolean trim)
{
    static const struct {
        gint64 seconds;
        const char *name;
    } parts[] = { { 86400, "d" }, { 3600, "h" }, { 60, "min" } };
    gint64 frac;

    for (gsize i = 0; i < G_N_ELEMENTS (parts); i++) {
        gint64 q = total / (parts[i].seconds * scale);

        total -= q * parts[i].seconds * scale;
        if (q > 0)
            g_string_append_printf (out, "%s%" G_GINT64_FORMAT " %s",
                                    out->len > 0 ? " " : "", q,
                                    parts[i].name);
    }
    if (total == 0)
        return;
    frac = total % scale;
    while (trim && d > 0 && frac % 10 == 0) {
        frac /= 10;
        d--;
    }
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT,
                            out->len > 0 ? " " : "", total / scale);
    if (d > 0)
        g_string_append_printf (out, ".%0*" G_GINT64_FORMAT, d, frac);
    g_string_append (out, " s");
}

/* Seconds as "1 d 12 h", rounded to the largest of d, h, min, s not above
 * step, or to step's decimals below a second. */
static void
format_time (GString *out, double v, double step)
{
    static const double units[] = { 86400, 3600, 60, 1 };
    double mag = fabs (v), unit = 1;
    GString *parts = g_string_new (NULL);
    gboolean trim = step <= 0;
    gint64 scale, total;
    int d = 0;

    if (trim)
        step = precision_for (v);
    if (step >= 1) {
        for (gsize i = 0; i < G_N_ELEMENTS (units) && unit == 1; i++)
            if (units[i] <= step)
                unit = units[i];
    } else {
        d = MIN (decimals_for (step), 6);
    }
    if (mag >= 1e12) {
        /* Beyond 30,000 years: whole days, whatever the step. */
        append_signed (out, v / 86400, 0, "");
        g_string_append (out, " d");
        g_string_free (parts, TRUE);
        return;
    }
    scale = (gint64) llround (pow (10, d));
    total = (gint64) llround (mag * scale);
    if (d == 0)
        total = (total + (gint64) unit / 2) / (gint64) unit * (gint64) unit;
    append_time_parts (parts, total, scale, d, trim);
    if (parts->len == 0)
        g_string_append_c (out, '0');
    else if (v < 0)
        g_string_append_c (out, '-');
    g_string_append (out, parts->str);
    g_string_free (parts, TRUE);
}

char *
units_format_value (UnitsValueFormat format, double v, double step)
{
    GString *out;
    int d;

    if (!isfinite (v))
        return g_strdup ("n/a");
    out = g_string_new (NULL);
    switch (format) {
    case UNITS_VALUE_PERCENT:
        step = step > 0 ? step * 100 : precision_for (v * 100);
        append_signed (out, v * 100, decimals_for (step), "");
        g_string_append_c (out, '%');
        break;
    case UNITS_VALUE_USD:
        d = decimals_for (step > 0 ? step : precision_for (v));
        append_signed (out, v, d > 0 ? MAX (d, 2) : 0, "$");
        break;
    case UNITS_VALUE_BYTES:
        format_bytes (out, v, step);
        break;
    case UNITS_VALUE_TIME:
        format_time (out, v, step);
        break;
    case UNITS_VALUE_PLAIN:
    default:
        append_signed (out, v,
                       decimals_for (step > 0 ? step : precision_for (v)),
                       "");
        break;
    }
    return g_string_free (out, FALSE);
}
