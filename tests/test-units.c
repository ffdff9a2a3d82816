/* test-units.c: tables of valid and invalid quantities for every parser in
 * sim/units.h, one line per case as in GLib's glib/tests/keyfile.c.
 *
 * A valid case gives the exact value stored. An invalid case gives the error
 * code and, for a representative subset, the exact message; for every
 * invalid case the message must start "invalid <kind> '<text>': ", have a
 * reason, no final full stop, and the output variable must be untouched.
 */
#include "sim/units.h"

#include <locale.h>
#include <math.h>
#include <string.h>

#define INVALID KB_UNITS_ERROR_INVALID
#define RANGE   KB_UNITS_ERROR_RANGE

typedef gboolean (*IntParser) (const char *text, gint64 *out,
                               GError **error);
typedef gboolean (*DoubleParser) (const char *text, double *out,
                                  GError **error);

typedef struct {
    const char *text;
    gint64 value;
} IntCase;

typedef struct {
    const char *text;
    double value;
} DoubleCase;

typedef struct {
    const char *text;
    KbUnitsError code;
    const char *message;    /* exact message, or NULL: check the prefix */
} BadCase;

/* Stored before each call: a failing parse must leave it alone. */
#define SENTINEL 12345

/* ---- helpers ------------------------------------------------------------ */

static void
check_int_valid (IntParser parse, const IntCase *cases, gsize n)
{
    for (gsize i = 0; i < n; i++) {
        GError *error = NULL;
        gint64 v = SENTINEL;
        gboolean ok = parse (cases[i].text, &v, &error);

        g_assert_no_error (error);
        g_assert_true (ok);
        if (v != cases[i].value)
            g_test_message ("case '%s'", cases[i].text);
        g_assert_cmpint (v, ==, cases[i].value);
    }
}

static void
check_double_valid (DoubleParser parse, const DoubleCase *cases, gsize n)
{
    for (gsize i = 0; i < n; i++) {
        GError *error = NULL;
        double v = SENTINEL;
        double eps = fabs (cases[i].value) * 1e-12 + 1e-15;
        gboolean ok = parse (cases[i].text, &v, &error);

        g_assert_no_error (error);
        g_assert_true (ok);
        if (fabs (v - cases[i].value) > eps)
            g_test_message ("case '%s'", cases[i].text);
        g_assert_cmpfloat_with_epsilon (v, cases[i].value, eps);
    }
}

/* Checks the error of one invalid case and frees it. */
static void
check_error (const char *kind, const BadCase *c, gboolean ok, GError *error)
{
    g_autofree char *prefix = g_strdup_printf ("invalid %s '%s': ", kind,
                                               c->text);
    g_autofree char *head = NULL;

    if (ok || error == NULL)
        g_test_message ("case '%s' was accepted", c->text);
    g_assert_false (ok);
    g_assert_error (error, KB_UNITS_ERROR, (gint) c->code);
    if (c->message != NULL) {
        g_assert_cmpstr (error->message, ==, c->message);
    } else {
        head = g_strndup (error->message, strlen (prefix));
        g_assert_cmpstr (head, ==, prefix);
        g_assert_cmpuint (strlen (error->message), >, strlen (prefix));
        g_assert_false (g_str_has_suffix (error->message, "."));
    }
    g_error_free (error);
}

static void
check_int_invalid (IntParser parse, const char *kind, const BadCase *cases,
                   gsize n)
{
    for (gsize i = 0; i < n; i++) {
        GError *error = NULL;
        gint64 v = SENTINEL;
        gboolean ok = parse (cases[i].text, &v, &error);

        check_error (kind, &cases[i], ok, error);
        g_assert_cmpint (v, ==, SENTINEL);
    }
}

static void
check_double_invalid (DoubleParser parse, const char *kind,
                      const BadCase *cases, gsize n)
{
    for (gsize i = 0; i < n; i++) {
        GError *error = NULL;
        double v = SENTINEL;
        gboolean ok = parse (cases[i].text, &v, &error);

        check_error (kind, &cases[i], ok, error);
        g_assert_cmpfloat (v, ==, SENTINEL);
    }
}

/* ---- durations ---------------------------------------------------------- */

static const IntCase duration_valid[] = {
    { "0", 0 },
    { "0s", 0 },
    { "0us", 0 },
    { "100us", 100 },
    { "1ms", 1000 },
    { "250ms", 250000 },
    { "1s", 1000000 },
    { "90s", 90000000 },
    { "1m", 60000000 },
    { "30m", 1800000000 },
    { "1h", 3600000000 },
    { "1.5h", 5400000000 },
    { "1d", 86400000000 },
    { "7d", 604800000000 },
    { "0.1d", 8640000000 },
    { "1h30m", 5400000000 },
    { "2d12h", 216000000000 },
    { "1h0m0s", 3600000000 },
    { "1d2h3m4s5ms6us", 93784005006 },
    { "1.5m30s", 120000000 },
    { "0.5s", 500000 },
    { ".5s", 500000 },
    { "5.s", 5000000 },
    { "007s", 7000000 },
    { "1.5ms", 1500 },
    { "0.000001s", 1 },
    { "0.5us", 1 },                     /* halves round up */
    { "0.4999us", 0 },
    { "1.0000004s", 1000000 },
    { "1.0000005s", 1000001 },
    { "106751991d", G_GINT64_CONSTANT (9223372022400000000) },
    { "9223372036854775807us", G_MAXINT64 },
    { "9223372036854.775807s", G_MAXINT64 },
    { "2562047788h54s775ms807us", G_MAXINT64 },
};

static const BadCase duration_invalid[] = {
    { "", INVALID, "invalid duration '': empty (expected a number and unit "
      "such as 90s or 1h30m)" },
    { " 5s", INVALID, "invalid duration ' 5s': white space is not allowed" },
    { "5s ", INVALID, NULL },
    { "5 s", INVALID, NULL },
    { "1h 30m", INVALID, NULL },
    { "5s\n", INVALID, NULL },
    { "-5m", RANGE, "invalid duration '-5m': must not be negative" },
    { "-0", RANGE, NULL },
    { "+5m", INVALID, "invalid duration '+5m': a sign is not allowed "
      "(expected a number and unit such as 90s or 1h30m)" },
    { "90x", INVALID, "invalid duration '90x': unknown unit 'x' (use us, ms, "
      "s, m, h or d)" },
    { "90sx", INVALID, "invalid duration '90sx': unknown unit 'sx' (use us, "
      "ms, s, m, h or d)" },
    { "5min", INVALID, "invalid duration '5min': unknown unit 'min' (use us, "
      "ms, s, m, h or d)" },
    { "5M", INVALID, NULL },
    { "5S", INVALID, NULL },
    { "5Ms", INVALID, NULL },
    { "1w", INVALID, NULL },
    { "5\xc2\xb5s", INVALID, NULL },    /* µs */
    { "1,5h", INVALID, NULL },
    { "1h-5m", INVALID, NULL },
    { "1e3s", INVALID, NULL },
    { "0x10s", INVALID, NULL },
    { "30", INVALID, "invalid duration '30': missing unit after '30' (use "
      "us, ms, s, m, h or d)" },
    { "1h30", INVALID, "invalid duration '1h30': missing unit after '30' "
      "(use us, ms, s, m, h or d)" },
    { "1.5", INVALID, NULL },
    { "00", INVALID, NULL },
    { "0.0", INVALID, NULL },
    { "1.2.3s", INVALID, NULL },
    { "s", INVALID, "invalid duration 's': missing number (expected a number "
      "and unit such as 90s or 1h30m)" },
    { "ms", INVALID, NULL },
    { ".s", INVALID, NULL },
    { "nan", INVALID, NULL },
    { "inf", INVALID, NULL },
    { "30m1h", INVALID, "invalid duration '30m1h': unit 'h' after 'm' (write "
      "each unit once, largest first, as in 1h30m)" },
    { "1m1m", INVALID, "invalid duration '1m1m': unit 'm' after 'm' (write "
      "each unit once, largest first, as in 1h30m)" },
    { "1ms1s", INVALID, NULL },
    { "1s1ms1s", INVALID, NULL },
    { "1s1d", INVALID, NULL },
    { "9999999999999d", RANGE, "invalid duration '9999999999999d': too large "
      "(at most 9223372036854775807 microseconds)" },
    { "9223372036854775808us", RANGE, NULL },
    { "106751992d", RANGE, NULL },
    { "106751991d5h", RANGE, NULL },    /* each part fits, the sum not */
    { "99999999999999999999999999999999999999999999999s", RANGE, NULL },
};

static void
test_duration_valid (void)
{
    g_test_summary ("Durations, compound ones included, are stored in "
                    "microseconds rounded to the nearest");
    check_int_valid (units_parse_duration, duration_valid,
                     G_N_ELEMENTS (duration_valid));
}

static void
test_duration_invalid (void)
{
    g_test_summary ("Malformed, negative, bare, out-of-order and "
                    "overflowing durations are rejected with clear messages");
    check_int_invalid (units_parse_duration, "duration", duration_invalid,
                       G_N_ELEMENTS (duration_invalid));
}

/* ---- CPU ---------------------------------------------------------------- */

static const IntCase cpu_valid[] = {
    { "0", 0 },
    { "0m", 0 },
    { "1m", 1 },
    { "500m", 500 },
    { "1500m", 1500 },
    { "2", 2000 },
    { "64", 64000 },
    { "0.5", 500 },
    { ".5", 500 },
    { "1.25", 1250 },
    { "0.001", 1 },
    { "1.000", 1000 },
    { "1.00000000000000000000000000000000000000000000000000", 1000 },
    { "9223372036854775807m", G_MAXINT64 },
    { "9223372036854775.807", G_MAXINT64 },
};

static const BadCase cpu_invalid[] = {
    { "", INVALID, "invalid cpu quantity '': empty (expected cores such as 2 "
      "or 0.5, or millicores such as 500m)" },
    { " 1", INVALID, NULL },
    { "1 ", INVALID, NULL },
    { "500 m", INVALID, NULL },
    { "-1", RANGE, "invalid cpu quantity '-1': must not be negative" },
    { "-500m", RANGE, NULL },
    { "+1", INVALID, NULL },
    { "0.0001", INVALID, "invalid cpu quantity '0.0001': finer than 1m" },
    { "1.5m", INVALID, "invalid cpu quantity '1.5m': finer than 1m" },
    { "0.0005", INVALID, NULL },
    { "2k", INVALID, "invalid cpu quantity '2k': unknown suffix 'k' (use m "
      "for millicores, or no suffix for cores)" },
    { "500M", INVALID, NULL },
    { "1Gi", INVALID, NULL },
    { "500mm", INVALID, NULL },
    { "2cores", INVALID, NULL },
    { "1e3", INVALID, NULL },
    { "0x10", INVALID, NULL },
    { "1,5", INVALID, NULL },
    { "1.2.3", INVALID, NULL },
    { "m", INVALID, "invalid cpu quantity 'm': missing number (expected "
      "cores such as 2 or 0.5, or millicores such as 500m)" },
    { ".", INVALID, NULL },
    { "nan", INVALID, NULL },
    { "inf", INVALID, NULL },
    { "9223372036854775808m", RANGE, "invalid cpu quantity "
      "'9223372036854775808m': too large (at most 9223372036854775807 "
      "millicores)" },
    { "9999999999999999", RANGE, NULL },
};

static void
test_cpu_valid (void)
{
    g_test_summary ("Cores and millicores are stored in millicores");
    check_int_valid (units_parse_cpu, cpu_valid, G_N_ELEMENTS (cpu_valid));
}

static void
test_cpu_invalid (void)
{
    g_test_summary ("CPU quantities that are malformed, negative, too large "
                    "or finer than 1m are rejected");
    check_int_invalid (units_parse_cpu, "cpu quantity", cpu_invalid,
                       G_N_ELEMENTS (cpu_invalid));
}

/* ---- bytes -------------------------------------------------------------- */

static const IntCase bytes_valid[] = {
    { "0", 0 },
    { "123456", 123456 },
    { "512Mi", 536870912 },
    { "16Gi", G_GINT64_CONSTANT (17179869184) },
    { "2.1G", 2100000000 },
    { "300M", 300000000 },
    { "1k", 1000 },
    { "1T", G_GINT64_CONSTANT (1000000000000) },
    { "1P", G_GINT64_CONSTANT (1000000000000000) },
    { "1E", G_GINT64_CONSTANT (1000000000000000000) },
    { "9E", G_GINT64_CONSTANT (9000000000000000000) },
    { "1Ki", 1024 },
    { "1.5Ki", 1536 },
    { "0.1Ki", 102 },                   /* 102.4 */
    { "1Ti", G_GINT64_CONSTANT (1099511627776) },
    { "1Pi", G_GINT64_CONSTANT (1125899906842624) },
    { "1Ei", G_GINT64_CONSTANT (1152921504606846976) },
    { "7Ei", G_GINT64_CONSTANT (8070450532247928832) },
    { "7.999999999999999999Ei", G_MAXINT64 },   /* 2^63 - 1.15 */
    { "1e9", 1000000000 },
    { "1E9", 1000000000 },
    { "1e+3", 1000 },
    { "1.5e3", 1500 },
    { "25e-1", 3 },                     /* 2.5 rounds up */
    { "1e-3", 0 },
    { "0e999999", 0 },
    { "1.49GB", 1490000000 },
    { "441MB", 441000000 },
    { "3.8MB", 3800000 },
    { "2GiB", G_GINT64_CONSTANT (2147483648) },
    { "512KiB", 524288 },
    { "100kB", 100000 },
    { "100KB", 100000 },
    { "10B", 10 },
    { "1TB", G_GINT64_CONSTANT (1000000000000) },
    { "1PB", G_GINT64_CONSTANT (1000000000000000) },
    { "1TiB", G_GINT64_CONSTANT (1099511627776) },
    { "0.5", 1 },
    { "0.4", 0 },
    { "1.00000000000000000000000000000000000000000000000001Ki", 1024 },
    { "9223372036854775807", G_MAXINT64 },
    { "9223372036854775807.4", G_MAXINT64 },
};

static const BadCase bytes_invalid[] = {
    { "", INVALID, "invalid memory quantity '': empty (expected a quantity "
      "such as 512Mi, 2Gi or 1.5GB)" },
    { " 1Mi", INVALID, "invalid memory quantity ' 1Mi': white space is not "
      "allowed" },
    { "1Mi ", INVALID, NULL },
    { "70 MB", INVALID, NULL },
    { "1Mi\n", INVALID, NULL },
    { "-1", RANGE, "invalid memory quantity '-1': must not be negative" },
    { "-5Mi", RANGE, NULL },
    { "+1", INVALID, NULL },
    { "12Qi", INVALID, "invalid memory quantity '12Qi': unknown suffix 'Qi' "
      "(use Ki, Mi, Gi, Ti, Pi, Ei, k, M, G, T, P, E or a byte unit such as "
      "MB, GiB)" },
    { "1g", INVALID, "invalid memory quantity '1g': unknown suffix 'g' "
      "(suffixes are case-sensitive: did you mean G?)" },
    { "1gi", INVALID, NULL },
    { "1gb", INVALID, NULL },
    { "1K", INVALID, NULL },
    { "1mib", INVALID, NULL },
    { "5m", INVALID, "invalid memory quantity '5m': suffix 'm' means milli "
      "(1/1000), not mega (use M or Mi)" },
    { "Mi", INVALID, "invalid memory quantity 'Mi': missing number (expected "
      "a quantity such as 512Mi, 2Gi or 1.5GB)" },
    { ".", INVALID, NULL },
    { "e9", INVALID, NULL },
    { "1e3Mi", INVALID, "invalid memory quantity '1e3Mi': an exponent cannot "
      "be combined with a suffix" },
    { "1e", INVALID, NULL },
    { "1e+", INVALID, NULL },
    { "1.2.3", INVALID, NULL },
    { "1Mix", INVALID, NULL },
    { "90sx", INVALID, NULL },
    { "1MiB/s", INVALID, NULL },
    { "1_000", INVALID, NULL },
    { "0x10", INVALID, NULL },
    { "nan", INVALID, NULL },
    { "inf", INVALID, NULL },
    { "Infinity", INVALID, NULL },
    { "9223372036854775808", RANGE, "invalid memory quantity "
      "'9223372036854775808': too large (at most 9223372036854775807 "
      "bytes)" },
    { "100000000Ei", RANGE, NULL },
    { "8Ei", RANGE, NULL },
    { "10E", RANGE, NULL },
    { "1e19", RANGE, NULL },
    { "1e999999999", RANGE, NULL },
    { "99999999999999999999999999999999999999999999999999999", RANGE, NULL },
};

static void
test_bytes_valid (void)
{
    g_test_summary ("Kubernetes quantities and byte spellings are stored in "
                    "bytes, exactly up to G_MAXINT64");
    check_int_valid (units_parse_bytes, bytes_valid,
                     G_N_ELEMENTS (bytes_valid));
}

static void
test_bytes_invalid (void)
{
    g_test_summary ("Malformed, negative, overflowing and wrongly cased "
                    "memory quantities are rejected");
    check_int_invalid (units_parse_bytes, "memory quantity", bytes_invalid,
                       G_N_ELEMENTS (bytes_invalid));
}

/* ---- bandwidth ---------------------------------------------------------- */

static const DoubleCase bandwidth_valid[] = {
    { "60MB/s", 60e6 },
    { "200MiB/s", 209715200 },
    { "1.5GB/s", 1.5e9 },
    { "0.5KiB/s", 512 },
    { "1Ki/s", 1024 },
    { "100B/s", 100 },
    { "100/s", 100 },
    { "1e9/s", 1e9 },
    { "8bit/s", 1 },
    { "10kbit/s", 1250 },
    { "100Mbit/s", 12.5e6 },
    { "1Gbit/s", 125e6 },
    { "1Tbit/s", 125e9 },
    { "8bps", 1 },
    { "8kbps", 1000 },
    { "500Mbps", 62.5e6 },
    { "1Gbps", 125e6 },
};

static const BadCase bandwidth_invalid[] = {
    { "", INVALID, NULL },
    { "1 MB/s", INVALID, NULL },
    { "1MB/s ", INVALID, NULL },
    { "0MB/s", RANGE, "invalid bandwidth '0MB/s': must be greater than "
      "zero" },
    { "0Mbps", RANGE, NULL },
    { "0/s", RANGE, NULL },
    { "1e-999/s", RANGE, NULL },
    { "-1MB/s", RANGE, "invalid bandwidth '-1MB/s': must not be negative" },
    { "100MB", INVALID, "invalid bandwidth '100MB': missing '/s' (expected a "
      "rate such as 100MB/s, 1Gbit/s or 500Mbps)" },
    { "100", INVALID, NULL },
    { "1Gbit", INVALID, NULL },
    { "100MB/h", INVALID, "invalid bandwidth '100MB/h': expected '/s' after "
      "the size, not '/h'" },
    { "100MB/", INVALID, NULL },
    { "100MB/S", INVALID, NULL },
    { "100MB/s/s", INVALID, NULL },
    { "5x/s", INVALID, "invalid bandwidth '5x/s': unknown unit 'x' (use a "
      "byte or bit unit such as MB, MiB or Mbit followed by /s, or kbps, "
      "Mbps or Gbps)" },
    { "5m/s", INVALID, NULL },
    { "1gbps", INVALID, NULL },
    { "1Mbps/s", INVALID, NULL },
    { "Mbps", INVALID, NULL },
    { "/s", INVALID, NULL },
    { "1e999/s", RANGE, "invalid bandwidth '1e999/s': too large" },
    { "1e3MB/s", INVALID, NULL },
    { "nan/s", INVALID, NULL },
};

static void
test_bandwidth_valid (void)
{
    g_test_summary ("Byte and bit rates are stored in bytes per second");
    check_double_valid (units_parse_bandwidth, bandwidth_valid,
                        G_N_ELEMENTS (bandwidth_valid));
}

static void
test_bandwidth_invalid (void)
{
    g_test_summary ("Zero, negative, per-hour and malformed bandwidths are "
                    "rejected");
    check_double_invalid (units_parse_bandwidth, "bandwidth",
                          bandwidth_invalid, G_N_ELEMENTS (bandwidth_invalid));
}

/* ---- money, rates, fractions -------------------------------------------- */

static const DoubleCase money_valid[] = {
    { "0.192", 0.192 },
    { "0", 0 },
    { "12", 12 },
    { "1.5", 1.5 },
    { ".5", 0.5 },
    { "3.", 3 },
    { "1000000", 1e6 },
};

static const BadCase money_invalid[] = {
    { "", INVALID, "invalid amount '': empty (expected a non-negative "
      "decimal such as 0.192)" },
    { " 1", INVALID, NULL },
    { "1 ", INVALID, NULL },
    { "-1", RANGE, "invalid amount '-1': must not be negative" },
    { "+1", INVALID, NULL },
    { "1e3", INVALID, "invalid amount '1e3': unexpected 'e3' (expected a "
      "non-negative decimal such as 0.192)" },
    { "$5", INVALID, NULL },
    { "5$", INVALID, NULL },
    { "1,5", INVALID, NULL },
    { "1.2.3", INVALID, NULL },
    { "0x10", INVALID, NULL },
    { "0.192/h", INVALID, NULL },
    { "nan", INVALID, "invalid amount 'nan': missing number (expected a "
      "non-negative decimal such as 0.192)" },
    { "inf", INVALID, NULL },
};

static const DoubleCase rate_valid[] = {
    { "120/h", 120.0 / 3600 },
    { "3600/h", 1 },
    { "2/s", 2 },
    { "30/m", 0.5 },
    { "30/min", 0.5 },
    { "5/d", 5.0 / 86400 },
    { "0.5/s", 0.5 },
    { ".5/s", 0.5 },
    { "0/h", 0 },
};

static const BadCase rate_invalid[] = {
    { "", INVALID, NULL },
    { "120", INVALID, "invalid rate '120': missing '/' and time unit "
      "(expected a count per time such as 120/h or 0.5/s)" },
    { "120/y", INVALID, "invalid rate '120/y': unknown time unit 'y' (use s, "
      "m, min, h or d)" },
    { "120/", INVALID, "invalid rate '120/': missing time unit after '/' "
      "(use s, m, min, h or d)" },
    { "1x/h", INVALID, "invalid rate '1x/h': unexpected 'x/h' (expected a "
      "count per time such as 120/h or 0.5/s)" },
    { "-1/s", RANGE, "invalid rate '-1/s': must not be negative" },
    { "1/hour", INVALID, NULL },
    { "1/H", INVALID, NULL },
    { "1/ms", INVALID, NULL },
    { "1//h", INVALID, NULL },
    { "1/h/s", INVALID, NULL },
    { "1/ h", INVALID, NULL },
    { "1e3/h", INVALID, NULL },
    { "/h", INVALID, NULL },
    { "inf/s", INVALID, NULL },
};

static const DoubleCase fraction_valid[] = {
    { "0.999", 0.999 },
    { "99.9%", 0.999 },
    { "0", 0 },
    { "1", 1 },
    { "1.0", 1 },
    { "0.5", 0.5 },
    { "0%", 0 },
    { "12.5%", 0.125 },
    { "50%", 0.5 },
    { "100%", 1 },
};

static const BadCase fraction_invalid[] = {
    { "", INVALID, NULL },
    { "120%", RANGE, "invalid fraction '120%': must be between 0 and 1 (0% "
      "and 100%)" },
    { "1.5", RANGE, NULL },
    { "100.1%", RANGE, NULL },
    { "-0.1", RANGE, "invalid fraction '-0.1': must not be negative" },
    { "50 %", INVALID, NULL },
    { "%", INVALID, "invalid fraction '%': missing number (expected a "
      "fraction such as 0.999 or a percentage such as 99.9%)" },
    { "%50", INVALID, NULL },
    { "50%%", INVALID, "invalid fraction '50%%': unexpected '%%' (expected a "
      "fraction such as 0.999 or a percentage such as 99.9%)" },
    { "0.5x", INVALID, NULL },
    { "1e-3", INVALID, NULL },
    { "nan", INVALID, NULL },
};

static void
test_money_valid (void)
{
    g_test_summary ("Plain non-negative decimals are accepted as money");
    check_double_valid (units_parse_decimal, money_valid,
                        G_N_ELEMENTS (money_valid));
}

static void
test_money_invalid (void)
{
    g_autofree char *huge = g_strnfill (400, '9');
    const BadCase too_large = { huge, RANGE, NULL };

    g_test_summary ("Money with a sign, currency, exponent or too many "
                    "digits for a double is rejected");
    check_double_invalid (units_parse_decimal, "amount", money_invalid,
                          G_N_ELEMENTS (money_invalid));
    check_double_invalid (units_parse_decimal, "amount", &too_large, 1);
}

static void
test_rate_valid (void)
{
    g_test_summary ("Counts per time unit are stored per second");
    check_double_valid (units_parse_rate, rate_valid,
                        G_N_ELEMENTS (rate_valid));
}

static void
test_rate_invalid (void)
{
    g_test_summary ("Rates without a known time unit are rejected");
    check_double_invalid (units_parse_rate, "rate", rate_invalid,
                          G_N_ELEMENTS (rate_invalid));
}

static void
test_fraction_valid (void)
{
    g_test_summary ("Fractions and percentages in [0, 1] are accepted");
    check_double_valid (units_parse_fraction, fraction_valid,
                        G_N_ELEMENTS (fraction_valid));
}

static void
test_fraction_invalid (void)
{
    g_test_summary ("Fractions above 1 or 100%, and malformed ones, are "
                    "rejected");
    check_double_invalid (units_parse_fraction, "fraction", fraction_invalid,
                          G_N_ELEMENTS (fraction_invalid));
}

/* ---- formatting and the rest -------------------------------------------- */

static const struct {
    gint64 bytes;
    const char *text;
} format_cases[] = {
    { 0, "0 B" },
    { 1, "1 B" },
    { 812, "812 B" },
    { 999, "999 B" },
    { 1000, "1.00 kB" },
    { 1234, "1.23 kB" },
    { 1235, "1.24 kB" },                /* halves round up */
    { 9994, "9.99 kB" },
    { 9995, "10.0 kB" },
    { 99950, "100 kB" },
    { 999499, "999 kB" },
    { 999500, "1.00 MB" },
    { 3800000, "3.80 MB" },
    { 70000000, "70.0 MB" },
    { 441000000, "441 MB" },
    { 1490000000, "1.49 GB" },
    { G_GINT64_CONSTANT (1000000000000), "1.00 TB" },
    { G_GINT64_CONSTANT (1500000000000000), "1.50 PB" },
    { G_MAXINT64, "9.22 EB" },
    { -1500, "-1.50 kB" },
    { -5, "-5 B" },
    { G_MININT64, "-9.22 EB" },
};

static void
test_format_bytes (void)
{
    g_test_summary ("Sizes format in decimal units with three significant "
                    "figures");
    for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++) {
        g_autofree char *s = units_format_bytes (format_cases[i].bytes);

        g_assert_cmpstr (s, ==, format_cases[i].text);
    }
}

/* A locale with a decimal comma must not change how "1.5" reads. */
static void
test_locale (void)
{
    static const char *const locales[] = {
        "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "de_DE",
        "fr_FR", "nl_NL.UTF-8", "it_IT.UTF-8"
    };
    g_autofree char *saved = g_strdup (setlocale (LC_NUMERIC, NULL));
    const char *found = NULL;
    gint64 us = 0;
    double v = 0;

    g_test_summary ("Parsing ignores a locale whose decimal point is ','");
    for (gsize i = 0; i < G_N_ELEMENTS (locales) && found == NULL; i++)
        found = setlocale (LC_NUMERIC, locales[i]);
    if (found == NULL) {
        g_test_skip ("no locale with a decimal comma is installed");
        return;
    }
    g_assert_true (units_parse_duration ("1.5h", &us, NULL));
    g_assert_cmpint (us, ==, 5400000000);
    g_assert_true (units_parse_decimal ("0.192", &v, NULL));
    g_assert_cmpfloat_with_epsilon (v, 0.192, 1e-15);
    g_assert_false (units_parse_decimal ("0,192", &v, NULL));
    setlocale (LC_NUMERIC, saved);
}

static void
test_error_quark (void)
{
    g_test_summary ("The error domain has its documented name");
    g_assert_cmpstr (g_quark_to_string (KB_UNITS_ERROR), ==,
                     "kb-units-error-quark");
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);

    g_test_add_func ("/units/duration/valid", test_duration_valid);
    g_test_add_func ("/units/duration/invalid", test_duration_invalid);
    g_test_add_func ("/units/cpu/valid", test_cpu_valid);
    g_test_add_func ("/units/cpu/invalid", test_cpu_invalid);
    g_test_add_func ("/units/bytes/valid", test_bytes_valid);
    g_test_add_func ("/units/bytes/invalid", test_bytes_invalid);
    g_test_add_func ("/units/bandwidth/valid", test_bandwidth_valid);
    g_test_add_func ("/units/bandwidth/invalid", test_bandwidth_invalid);
    g_test_add_func ("/units/money/valid", test_money_valid);
    g_test_add_func ("/units/money/invalid", test_money_invalid);
    g_test_add_func ("/units/rate/valid", test_rate_valid);
    g_test_add_func ("/units/rate/invalid", test_rate_invalid);
    g_test_add_func ("/units/fraction/valid", test_fraction_valid);
    g_test_add_func ("/units/fraction/invalid", test_fraction_invalid);
    g_test_add_func ("/units/format-bytes", test_format_bytes);
    g_test_add_func ("/units/locale", test_locale);
    g_test_add_func ("/units/error-quark", test_error_quark);

    return g_test_run ();
}
