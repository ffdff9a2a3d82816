/* units.h: parsing of the quantities scenarios are written in.
 *
 * Every parser takes a NUL-terminated string, stores the value in *out only
 * on success, and returns FALSE with KB_UNITS_ERROR set on failure. Parsers
 * are strict: surrounding white space, negative values, overflow, trailing
 * garbage and unknown suffixes are errors, and the message quotes the bad
 * text, e.g. "invalid duration '90x': unknown unit 'x' (use us, ms, s, m, h
 * or d)". Messages start lowercase and carry no location: callers prefix
 * file:line:col with g_prefix_error().
 *
 * Parsing is locale-independent ("1.5" is one and a half everywhere).
 *
 * Low level: knows how quantities are spelt; no Kubernetes object, no model.
 */
#ifndef KBSIM_UNITS_H
#define KBSIM_UNITS_H

#include <glib.h>

G_BEGIN_DECLS

#define KB_UNITS_ERROR (kb_units_error_quark ())
GQuark kb_units_error_quark (void);

typedef enum {
    KB_UNITS_ERROR_INVALID,     /* not a number of the kind asked for */
    KB_UNITS_ERROR_RANGE,       /* negative, or too large to represent */
    KB_UNITS_ERROR_FAILED
} KbUnitsError;

/* Durations: a number with a unit, or several in descending order as Go
 * writes them: "250ms", "90s", "30m", "1.5h", "7d", "1h30m", "100us".
 * A bare "0" is allowed; any other bare number is an error (is "30" seconds
 * or minutes?). Stored in microseconds. */
gboolean units_parse_duration (const char *text, gint64 *out_us,
                               GError **error);

/* CPU in Kubernetes quantity notation: "500m", "2", "0.5", "1.25".
 * Stored in millicores; a value finer than 1m is an error. */
gboolean units_parse_cpu (const char *text, gint64 *out_millicores,
                          GError **error);

/* Memory and sizes: Kubernetes quantities ("512Mi", "16Gi", "2.1G", "300M",
 * "1e9", "123456") and the byte spellings image sizes are quoted in
 * ("1.49GB", "441MB", "3.8MB", "2GiB", "512KiB", "100kB", "10B"; "70 MB" is
 * an error: no spaces). Decimal suffixes are powers of 1000, binary ones of
 * 1024. Stored in bytes, rounded to the nearest byte. */
gboolean units_parse_bytes (const char *text, gint64 *out_bytes,
                            GError **error);

/* Bandwidth: a size per second, in bytes or bits: "60MB/s", "200MiB/s",
 * "1Gbit/s", "100Mbit/s", "500Mbps", "1Gbps". Stored in bytes per second. */
gboolean units_parse_bandwidth (const char *text, double *out_bytes_per_s,
                                GError **error);

/* A plain non-negative decimal, "0.192", with no unit: prices, budgets,
 * weights, shapes. Stored as a double. Messages call it an "amount"
 * ("invalid amount '-1': must not be negative"). */
gboolean units_parse_decimal (const char *text, double *out, GError **error);

/* Rates: a count per unit of time, "120/h", "2/s", "30/m", "30/min",
 * "5/d", "0.5/s". Stored as events per second. */
gboolean units_parse_rate (const char *text, double *out_per_s,
                           GError **error);

/* A plain non-negative decimal or a percentage: "0.999", "99.9%".
 * Stored as a fraction (99.9% -> 0.999). */
gboolean units_parse_fraction (const char *text, double *out,
                               GError **error);

/* Human-readable sizes for summaries: "1.49 GB", "70.0 MB", "812 B".
 * Decimal units (1 GB = 10^9 bytes), three significant figures.
 * (transfer full): free with g_free(). */
char *units_format_bytes (gint64 bytes);

/* How a number is written for people (axes, tables, summaries). Tick labels
 * carry the unit: PERCENT "40%", USD "$1,234", BYTES "1.5 GB"; so an axis
 * title needs no unit in parentheses for those. */
typedef enum {
    UNITS_VALUE_PLAIN,          /* 12,500   0.25 */
    UNITS_VALUE_PERCENT,        /* fractions: 0.4 -> 40% */
    UNITS_VALUE_USD,            /* $1,234   $0.50 */
    UNITS_VALUE_BYTES,          /* bytes, decimal units: 1.5 GB, 250 MB */
    UNITS_VALUE_TIME            /* seconds: 30 min, 6 h, 1 d 12 h */
} UnitsValueFormat;

/* Formats v for people, as a chart axis writes it. step is the tick spacing and
 * sets the precision: the decimals multiples of step need, the same for
 * every tick (step 0.2: "0.0", "0.2"; step 2,500: "12,500"); step <= 0
 * means enough decimals for three significant figures of v ("12.3",
 * "0.0123", "12,345"). Thousands are separated by commas; a number that
 * rounds to zero has no minus sign.
 *   PLAIN    "12,500"  "-0.5"
 *   PERCENT  v is a fraction: "40%", "12.5%"
 *   USD      "$1,234", "-$5"; at least cents when step < 1: "$0.50"
 *   BYTES    v in bytes, in the largest unit (B, kB, MB, GB, TB, PB;
 *            powers of 1000) of which step is at least a tenth: step
 *            0.5 GB: "1.5 GB"; 50 MB: "250 MB"; with step <= 0 the largest
 *            unit not above v: "1.49 GB"
 *   TIME     v in seconds, rounded to the largest of d, h, min, s not
 *            above step (below a second, to step's decimals): "0",
 *            "45 s", "30 min", "6 h", "1 d", "1 d 12 h", "1.5 s"; with
 *            step <= 0 without trailing zeros: "1 min 35 s", "12.5 s"
 * Non-finite v gives "n/a".
 * (transfer full): free with g_free(). */
char *units_format_value (UnitsValueFormat format, double v, double step);

G_END_DECLS

#endif
