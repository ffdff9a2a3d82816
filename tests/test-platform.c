/* test-platform.c: OS and architecture names, Windows and Kubernetes
 * version parsing, containerd's Windows image match and Microsoft's
 * host/image support matrix.
 *
 * The expected values are copied from ../shared/reference/
 * windows-kubernetes-facts.md (sections 1-3), not from platform.c: the
 * support matrix below mirrors that file's table row by row, so a reader
 * can check one against the other cell by cell.
 */
#include <string.h>

#include <glib.h>

#include "models/platform.h"

#define WIN_SYNTAX_HINT "expected 10.0.BUILD[.REVISION] or a release name " \
    "(ltsc2016, ltsc2019, ltsc2022, ltsc2025, 1607, 1709, 1803, 1809, " \
    "1903, 1909, 2004, 20H2, 23H2)"
#define KUBE_SYNTAX_HINT "expected MAJOR.MINOR[.PATCH], e.g. 1.31 or v1.31.2"

/* Checks that error is set with the given domain and code, and, when
 * message is not NULL, that it reads exactly so; then clears it. Modelled
 * on check_error() in GLib's glib/tests/keyfile.c. */
static void
check_error (GError **error, GQuark domain, gint code, const char *message)
{
    g_assert_error (*error, domain, code);
    if (message != NULL)
        g_assert_cmpstr ((*error)->message, ==, message);
    g_clear_error (error);
}

/* ---- OS and architecture ------------------------------------------------ */

static void
test_os_names (void)
{
    static const struct {
        const char *text;
        KbOs os;
    } cases[] = {
        { "linux", KB_OS_LINUX },
        { "windows", KB_OS_WINDOWS },
        { "Linux", KB_OS_UNKNOWN },
        { "WINDOWS", KB_OS_UNKNOWN },
        { "win", KB_OS_UNKNOWN },
        { "linux ", KB_OS_UNKNOWN },
        { "", KB_OS_UNKNOWN },
        { "unknown", KB_OS_UNKNOWN },
    };
    const char *const *names = platform_os_names ();
    guint n = 0;

    g_test_summary ("OS names are exact, case-sensitive GOOS spellings and "
                    "round-trip through platform_os_name");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        g_assert_cmpint (platform_os_from_string (cases[i].text), ==,
                         cases[i].os);
    for (; names[n] != NULL; n++)
        g_assert_cmpstr (platform_os_name (platform_os_from_string
                                           (names[n])), ==, names[n]);
    g_assert_cmpuint (n, ==, 2);
    g_assert_cmpstr (names[0], ==, "linux");
    g_assert_cmpstr (names[1], ==, "windows");
    g_assert_cmpstr (platform_os_name (KB_OS_UNKNOWN), ==, "unknown");
}

static void
test_arch_names (void)
{
    static const struct {
        const char *text;
        KbArch arch;
    } cases[] = {
        { "amd64", KB_ARCH_AMD64 },
        { "arm64", KB_ARCH_ARM64 },
        { "arm", KB_ARCH_ARM },
        { "386", KB_ARCH_386 },
        { "ppc64le", KB_ARCH_PPC64LE },
        { "s390x", KB_ARCH_S390X },
        { "x86_64", KB_ARCH_UNKNOWN },
        { "AMD64", KB_ARCH_UNKNOWN },
        { "aarch64", KB_ARCH_UNKNOWN },
        { " arm", KB_ARCH_UNKNOWN },
        { "", KB_ARCH_UNKNOWN },
    };
    const char *const *names = platform_arch_names ();
    guint n = 0;

    g_test_summary ("architecture names are exact GOARCH spellings and "
                    "round-trip through platform_arch_name");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        g_assert_cmpint (platform_arch_from_string (cases[i].text), ==,
                         cases[i].arch);
    for (; names[n] != NULL; n++)
        g_assert_cmpstr (platform_arch_name (platform_arch_from_string
                                             (names[n])), ==, names[n]);
    g_assert_cmpuint (n, ==, 6);
    g_assert_cmpstr (platform_arch_name (KB_ARCH_UNKNOWN), ==, "unknown");
}

/* ---- Windows versions --------------------------------------------------- */

static void
test_win_parse (void)
{
    /* Release names and builds: facts section 1. */
    static const struct {
        const char *text;
        guint major, minor, build;
        gint64 revision;
    } cases[] = {
        { "10.0.20348", 10, 0, 20348, -1 },
        { "10.0.20348.2700", 10, 0, 20348, 2700 },
        { "10.0.17763.0", 10, 0, 17763, 0 },
        { "10.0.26100.33438", 10, 0, 26100, 33438 },
        { "10.1.20348", 10, 1, 20348, -1 },
        { "10.0.0", 10, 0, 0, -1 },
        { "10.0.020348", 10, 0, 20348, -1 },
        { "10.0.4294967295", 10, 0, 4294967295u, -1 },
        { "10.0.1.9223372036854775807", 10, 0, 1, G_MAXINT64 },
        { "ltsc2016", 10, 0, 14393, -1 },
        { "1607", 10, 0, 14393, -1 },
        { "1709", 10, 0, 16299, -1 },
        { "1803", 10, 0, 17134, -1 },
        { "ltsc2019", 10, 0, 17763, -1 },
        { "1809", 10, 0, 17763, -1 },
        { "1903", 10, 0, 18362, -1 },
        { "1909", 10, 0, 18363, -1 },
        { "2004", 10, 0, 19041, -1 },
        { "20H2", 10, 0, 19042, -1 },
        { "20h2", 10, 0, 19042, -1 },
        { "ltsc2022", 10, 0, 20348, -1 },
        { "LTSC2022", 10, 0, 20348, -1 },
        { "23H2", 10, 0, 25398, -1 },
        { "ltsc2025", 10, 0, 26100, -1 },
        { "LtSc2025", 10, 0, 26100, -1 },
    };

    g_test_summary ("numeric Windows versions and release names parse to "
                    "the builds of facts section 1");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *got = NULL;
        g_autofree char *want = NULL;
        WinVersion v = { 0, 0, 0, 0 };
        gboolean ok = platform_win_version_parse (cases[i].text, &v, &error);

        g_assert_no_error (error);
        g_assert_true (ok);
        got = g_strdup_printf ("%s -> %u %u %u %" G_GINT64_FORMAT,
                               cases[i].text, v.major, v.minor, v.build,
                               v.revision);
        want = g_strdup_printf ("%s -> %u %u %u %" G_GINT64_FORMAT,
                                cases[i].text, cases[i].major,
                                cases[i].minor, cases[i].build,
                                cases[i].revision);
        g_assert_cmpstr (got, ==, want);
    }
}

static void
test_win_parse_invalid (void)
{
    /* message NULL: only the prefix "invalid Windows version '<text>'" is
     * checked. */
    static const struct {
        const char *text;
        const char *message;
    } cases[] = {
        { "ltsc2021",
          "invalid Windows version 'ltsc2021': " WIN_SYNTAX_HINT },
        { "10.0",
          "invalid Windows version '10.0': " WIN_SYNTAX_HINT },
        { "6.3.9600",
          "invalid Windows version '6.3.9600': major version must be 10 "
          "(Windows Server 2016 and later, Windows 10 and 11 all report "
          "10.0)" },
        { "10.0.4294967296",
          "invalid Windows version '10.0.4294967296': number out of "
          "range" },
        { "", "invalid Windows version '': " WIN_SYNTAX_HINT },
        { "10", NULL },
        { "10.0.20348.1.2", NULL },
        { "10.0.20348.", NULL },
        { "10..20348", NULL },
        { ".10.0.20348", NULL },
        { " 10.0.20348", NULL },
        { "10.0.20348 ", NULL },
        { "10.0.20348\n", NULL },
        { "10.0.-1", NULL },
        { "10.0.+1", NULL },
        { "-10.0.1", NULL },
        { "10.0.0x4f7c", NULL },
        { "10.0.20348a", NULL },
        { "10,0,20348", NULL },
        { "10.0.1.9223372036854775808", NULL },
        { "99999999999.0.1", NULL },
        { "11.0.22000", NULL },
        { "ltsc 2022", NULL },
        { " ltsc2022", NULL },
        { "ltsc2022 ", NULL },
        { "2022", NULL },
        { "21H2", NULL },
        { "v10.0.20348", NULL },
    };

    g_test_summary ("malformed, out-of-range and non-10 Windows versions "
                    "are rejected with a message quoting the text");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *prefix = g_strdup_printf
            ("invalid Windows version '%s': ", cases[i].text);
        g_autofree char *head = NULL;
        GError *error = NULL;
        WinVersion v = { 1, 2, 3, 4 };
        gboolean ok = platform_win_version_parse (cases[i].text, &v, &error);

        head = error != NULL ? g_strndup (error->message, strlen (prefix))
                             : g_strdup ("(accepted)");
        g_assert_cmpstr (head, ==, prefix);
        g_assert_false (ok);
        check_error (&error, KB_PLATFORM_ERROR, KB_PLATFORM_ERROR_INVALID,
                     cases[i].message);
    }
}

static void
test_win_format (void)
{
    static const struct {
        WinVersion v;
        const char *text;
    } cases[] = {
        { { 10, 0, 20348, -1 }, "10.0.20348" },
        { { 10, 0, 20348, 2700 }, "10.0.20348.2700" },
        { { 10, 0, 17763, 0 }, "10.0.17763.0" },
        { { 10, 0, 4294967295u, G_MAXINT64 },
          "10.0.4294967295.9223372036854775807" },
    };

    g_test_summary ("Windows versions format as 10.0.BUILD[.REVISION] and "
                    "parse back to the same value");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *text = platform_win_version_format (&cases[i].v);
        g_autoptr (GError) error = NULL;
        WinVersion back = { 0, 0, 0, 0 };

        g_assert_cmpstr (text, ==, cases[i].text);
        g_assert_true (platform_win_version_parse (text, &back, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (back.major, ==, cases[i].v.major);
        g_assert_cmpuint (back.minor, ==, cases[i].v.minor);
        g_assert_cmpuint (back.build, ==, cases[i].v.build);
        g_assert_cmpint (back.revision, ==, cases[i].v.revision);
    }
}

static void
test_win_build_name (void)
{
    /* Facts section 1: the server table, then the client builds. */
    static const struct {
        guint build;
        const char *name;
    } cases[] = {
        { 14393, "Windows Server 2016 (ltsc2016)" },
        { 16299, "Windows Server 1709" },
        { 17134, "Windows Server 1803" },
        { 17763, "Windows Server 2019 (ltsc2019)" },
        { 18362, "Windows Server 1903" },
        { 18363, "Windows Server 1909" },
        { 19041, "Windows Server 2004" },
        { 19042, "Windows Server 20H2" },
        { 20348, "Windows Server 2022 (ltsc2022)" },
        { 25398, "Windows Server 23H2" },
        { 26100, "Windows Server 2025 (ltsc2025)" },   /* = Win11 24H2 */
        { 19043, "Windows 10 21H1" },
        { 19044, "Windows 10 21H2" },
        { 19045, "Windows 10 22H2" },
        { 22000, "Windows 11 21H2" },
        { 22621, "Windows 11 22H2" },
        { 22631, "Windows 11 23H2" },                  /* unconfirmed */
        { 0, NULL },
        { 9600, NULL },
        { 20349, NULL },
        { 26200, NULL },
    };

    g_test_summary ("known builds have human names; a build shared by a "
                    "server and a client release gets the server name");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        g_assert_cmpstr (platform_win_build_name (cases[i].build), ==,
                         cases[i].name);
}

/* ---- Kubernetes versions ------------------------------------------------ */

static void
test_kube_parse (void)
{
    static const struct {
        const char *text;
        guint minor;
        gint patch;
    } cases[] = {
        { "1.31", 31, -1 },
        { "v1.31", 31, -1 },
        { "1.31.2", 31, 2 },
        { "v1.31.2", 31, 2 },
        { "1.0", 0, -1 },
        { "1.25.0", 25, 0 },
        { "v1.036", 36, -1 },
        { "1.2147483647.2147483647", G_MAXINT, G_MAXINT },
    };

    g_test_summary ("Kubernetes versions [v]1.MINOR[.PATCH] parse, patch -1 "
                    "when absent");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *got = NULL;
        g_autofree char *want = NULL;
        KubeVersion v = { 0, 0, 0 };
        gboolean ok = platform_kube_version_parse (cases[i].text, &v,
                                                   &error);

        g_assert_no_error (error);
        g_assert_true (ok);
        got = g_strdup_printf ("%s -> %u %u %d", cases[i].text, v.major,
                               v.minor, v.patch);
        want = g_strdup_printf ("%s -> 1 %u %d", cases[i].text,
                                cases[i].minor, cases[i].patch);
        g_assert_cmpstr (got, ==, want);
    }
}

static void
test_kube_parse_invalid (void)
{
    static const struct {
        const char *text;
        const char *message;
    } cases[] = {
        { "1.x", "invalid Kubernetes version '1.x': " KUBE_SYNTAX_HINT },
        { "2.0",
          "invalid Kubernetes version '2.0': major version must be 1" },
        { "1.2147483648",
          "invalid Kubernetes version '1.2147483648': number out of "
          "range" },
        { "", "invalid Kubernetes version '': " KUBE_SYNTAX_HINT },
        { "v", NULL },
        { "1", NULL },
        { "v1", NULL },
        { "0.9", NULL },
        { "1.31.", NULL },
        { "1..31", NULL },
        { "1.31.2.3", NULL },
        { "V1.31", NULL },
        { "vv1.31", NULL },
        { " 1.31", NULL },
        { "1.31 ", NULL },
        { "v 1.31", NULL },
        { "1.-1", NULL },
        { "1.+31", NULL },
        { "1.31.-2", NULL },
        { "1.31.2-rc.1", NULL },
        { "v1.31.0-alpha.1", NULL },
        { "1.31.2147483648", NULL },
        { "4294967296.1", NULL },
        { "1.31.x", NULL },
    };

    g_test_summary ("malformed, out-of-range and non-1 Kubernetes versions "
                    "are rejected with a message quoting the text");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *prefix = g_strdup_printf
            ("invalid Kubernetes version '%s': ", cases[i].text);
        g_autofree char *head = NULL;
        GError *error = NULL;
        KubeVersion v = { 7, 7, 7 };
        gboolean ok = platform_kube_version_parse (cases[i].text, &v,
                                                   &error);

        head = error != NULL ? g_strndup (error->message, strlen (prefix))
                             : g_strdup ("(accepted)");
        g_assert_cmpstr (head, ==, prefix);
        g_assert_false (ok);
        check_error (&error, KB_PLATFORM_ERROR, KB_PLATFORM_ERROR_INVALID,
                     cases[i].message);
    }
}

static void
test_kube_format (void)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "1.31", "1.31" },
        { "v1.31", "1.31" },
        { "1.31.2", "1.31.2" },
        { "v1.31.2", "1.31.2" },
        { "v1.036.007", "1.36.7" },
        { "1.0.0", "1.0.0" },
    };

    g_test_summary ("Kubernetes versions format without the v and parse "
                    "back to the same value");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        g_autofree char *text = NULL;
        KubeVersion v, back;

        g_assert_true (platform_kube_version_parse (cases[i].in, &v,
                                                    &error));
        g_assert_no_error (error);
        text = platform_kube_version_format (&v);
        g_assert_cmpstr (text, ==, cases[i].out);
        g_assert_true (platform_kube_version_parse (text, &back, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (back.major, ==, v.major);
        g_assert_cmpuint (back.minor, ==, v.minor);
        g_assert_cmpint (back.patch, ==, v.patch);
    }
}

static void
test_kube_minor_diff (void)
{
    static const struct {
        const char *a, *b;
        int diff;
    } cases[] = {
        { "1.31", "1.28", 3 },
        { "1.28", "1.31", -3 },
        { "v1.31.5", "1.31.0", 0 },
        { "1.25", "1.24.9", 1 },
        { "1.0", "1.2147483647", -G_MAXINT },
        { "1.2147483647", "1.0", G_MAXINT },
    };

    g_test_summary ("platform_kube_minor_diff is a.minor - b.minor, patch "
                    "ignored");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (GError) error = NULL;
        KubeVersion a, b;

        g_assert_true (platform_kube_version_parse (cases[i].a, &a,
                                                    &error));
        g_assert_true (platform_kube_version_parse (cases[i].b, &b,
                                                    &error));
        g_assert_no_error (error);
        g_assert_cmpint (platform_kube_minor_diff (&a, &b), ==,
                         cases[i].diff);
    }
}

/* ---- containerd's match ------------------------------------------------- */

static const char *
match_name (PlatformWinMatch m)
{
    switch (m) {
    case PLATFORM_WIN_MATCH:
        return "MATCH";
    case PLATFORM_WIN_MATCH_ANY:
        return "ANY";
    case PLATFORM_WIN_MISMATCH_MAJOR:
        return "MAJOR";
    case PLATFORM_WIN_MISMATCH_EXACT:
        return "EXACT";
    case PLATFORM_WIN_MISMATCH_RANGE:
        return "RANGE";
    }
    return "?";
}

/* Short names for the table below. */
#define OK  PLATFORM_WIN_MATCH
#define ANY PLATFORM_WIN_MATCH_ANY
#define EXA PLATFORM_WIN_MISMATCH_EXACT
#define RNG PLATFORM_WIN_MISMATCH_RANGE
#define MAJ PLATFORM_WIN_MISMATCH_MAJOR

static void
test_containerd_match (void)
{
    /* Image builds of the columns; 0 stands for an index entry without
     * os.version (image NULL). */
    static const guint images[] = {
        14393, 17763, 20348, 22621, 25398, 26100, 0
    };
    /* Facts section 2, "How runtimes enforce it": below 20348 the builds
     * must be equal; from 20348 the image must lie in [previous LTSC, host]
     * with LTSCs {20348, 26100}. The 26200 row is a hypothetical later
     * host, whose range starts at 26100. */
    static const struct {
        guint host;
        PlatformWinMatch want[G_N_ELEMENTS (images)];
    } rows[] = {
        /*          14393 17763 20348 22621 25398 26100 none */
        { 17763, {  EXA,  OK,   EXA,  EXA,  EXA,  EXA,  ANY } },
        { 19042, {  EXA,  EXA,  EXA,  EXA,  EXA,  EXA,  ANY } },
        { 20348, {  RNG,  RNG,  OK,   RNG,  RNG,  RNG,  ANY } },
        { 22621, {  RNG,  RNG,  OK,   OK,   RNG,  RNG,  ANY } },
        { 25398, {  RNG,  RNG,  OK,   OK,   OK,   RNG,  ANY } },
        { 26100, {  RNG,  RNG,  OK,   OK,   OK,   OK,   ANY } },
        { 26200, {  RNG,  RNG,  RNG,  RNG,  RNG,  OK,   ANY } },
    };

    g_test_summary ("containerd's checkWindowsHostAndContainerCompat for "
                    "every host/image pair of the brief");
    for (gsize r = 0; r < G_N_ELEMENTS (rows); r++) {
        for (gsize c = 0; c < G_N_ELEMENTS (images); c++) {
            WinVersion host = { 10, 0, rows[r].host, -1 };
            WinVersion image = { 10, 0, images[c], -1 };
            PlatformWinMatch m = platform_win_containerd_match
                (&host, images[c] != 0 ? &image : NULL);
            g_autofree char *got = g_strdup_printf
                ("host %u image %u: %s", rows[r].host, images[c],
                 match_name (m));
            g_autofree char *want = g_strdup_printf
                ("host %u image %u: %s", rows[r].host, images[c],
                 match_name (rows[r].want[c]));

            g_assert_cmpstr (got, ==, want);
        }
    }
}

static void
test_containerd_major_minor (void)
{
    static const struct {
        WinVersion host, image;
        PlatformWinMatch want;
    } cases[] = {
        { { 10, 0, 20348, -1 }, { 6, 3, 20348, -1 }, MAJ },
        { { 10, 0, 20348, -1 }, { 10, 1, 20348, -1 }, MAJ },
        { { 10, 0, 17763, -1 }, { 11, 0, 17763, -1 }, MAJ },
        { { 10, 0, 26100, -1 }, { 9, 0, 26100, -1 }, MAJ },
        { { 10, 1, 20348, -1 }, { 10, 1, 20348, -1 }, OK },
        { { 6, 3, 9600, -1 }, { 6, 3, 9600, -1 }, OK },
    };
    WinVersion old = { 6, 3, 9600, -1 };

    g_test_summary ("host and image major.minor must be equal before "
                    "builds are compared");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        g_assert_cmpstr (match_name (platform_win_containerd_match
                                     (&cases[i].host, &cases[i].image)), ==,
                         match_name (cases[i].want));
    /* No os.version wins even on a host of another major: there is
     * nothing to compare. */
    g_assert_cmpstr (match_name (platform_win_containerd_match (&old, NULL)),
                     ==, "ANY");
}

static void
test_containerd_revisions (void)
{
    /* Facts section 2: revisions are irrelevant to the match (and
     * containerd parses only major.minor.build). */
    static const struct {
        WinVersion host, image;
        PlatformWinMatch want;
    } cases[] = {
        { { 10, 0, 17763, 1 }, { 10, 0, 17763, 6893 }, OK },
        { { 10, 0, 17763, -1 }, { 10, 0, 17763, 6893 }, OK },
        { { 10, 0, 17763, 6893 }, { 10, 0, 17763, -1 }, OK },
        { { 10, 0, 20348, 2700 }, { 10, 0, 20348, 5622 }, OK },
        { { 10, 0, 26100, 9999 }, { 10, 0, 20348, 0 }, OK },
        { { 10, 0, 14393, 100 }, { 10, 0, 14393, 200 }, OK },
        { { 10, 0, 17763, 6893 }, { 10, 0, 14393, 6893 }, EXA },
        { { 10, 0, 20348, 0 }, { 10, 0, 26100, 0 }, RNG },
    };

    g_test_summary ("revisions never change containerd's answer");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        g_assert_cmpstr (match_name (platform_win_containerd_match
                                     (&cases[i].host, &cases[i].image)), ==,
                         match_name (cases[i].want));
}

static void
test_match_ok (void)
{
    g_test_summary ("only MATCH and MATCH_ANY are successes");
    g_assert_true (platform_win_match_ok (PLATFORM_WIN_MATCH));
    g_assert_true (platform_win_match_ok (PLATFORM_WIN_MATCH_ANY));
    g_assert_false (platform_win_match_ok (PLATFORM_WIN_MISMATCH_MAJOR));
    g_assert_false (platform_win_match_ok (PLATFORM_WIN_MISMATCH_EXACT));
    g_assert_false (platform_win_match_ok (PLATFORM_WIN_MISMATCH_RANGE));
}

static void
test_match_describe (void)
{
    static const struct {
        WinVersion host, image;
        gboolean no_image;
        const char *text;
    } cases[] = {
        { { 10, 0, 17763, -1 }, { 10, 0, 20348, -1 }, FALSE,
          "a host below build 20348 runs only images of its own build "
          "(host 10.0.17763, image 10.0.20348)" },
        { { 10, 0, 17763, 6893 }, { 10, 0, 17763, 6054 }, FALSE,
          "a host below build 20348 runs images of its own build "
          "(host 10.0.17763.6893, image 10.0.17763.6054)" },
        { { 10, 0, 26100, -1 }, { 10, 0, 17763, -1 }, FALSE,
          "a host of build 26100 runs only images from build 20348 to its "
          "own (host 10.0.26100, image 10.0.17763)" },
        { { 10, 0, 22621, -1 }, { 10, 0, 20348, -1 }, FALSE,
          "a host of build 22621 runs images from build 20348 to its own "
          "(host 10.0.22621, image 10.0.20348)" },
        { { 10, 0, 20348, -1 }, { 6, 3, 9600, -1 }, FALSE,
          "host and image must have the same major and minor version "
          "(host 10.0.20348, image 6.3.9600)" },
        { { 10, 0, 20348, -1 }, { 0, 0, 0, 0 }, TRUE,
          "an image entry without os.version matches any host "
          "(host 10.0.20348, image without os.version)" },
    };

    g_test_summary ("each outcome is explained in one sentence naming both "
                    "versions");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        const WinVersion *image = cases[i].no_image ? NULL : &cases[i].image;
        PlatformWinMatch m = platform_win_containerd_match (&cases[i].host,
                                                            image);
        g_autofree char *text = platform_win_match_describe
            (m, &cases[i].host, image);

        g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* ---- Microsoft's support matrix ----------------------------------------- */

/* One cell as the facts file writes it: first character Hyper-V ('H'
 * supported, '-' not), second process isolation ('P' or '-'). */
static void
check_supported (const char *label, guint host, guint image,
                 const char *want)
{
    g_autofree char *got = g_strdup_printf
        ("%s (%u) image %u: %c%c", label, host, image,
         platform_win_supported (host, image, PLATFORM_ISOLATION_HYPERV)
             ? 'H' : '-',
         platform_win_supported (host, image, PLATFORM_ISOLATION_PROCESS)
             ? 'P' : '-');
    g_autofree char *expected = g_strdup_printf
        ("%s (%u) image %u: %s", label, host, image, want);

    g_assert_cmpstr (got, ==, expected);
}

static void
test_supported_matrix (void)
{
    static const guint images[] = { 26100, 20348, 17763, 14393 };
    /* Facts section 2, "Host <-> container-image compatibility", one line
     * per row (Windows 11 and Windows 10 once per build), columns in the
     * file's order. */
    static const struct {
        const char *row;
        guint host;
        const char *cells[G_N_ELEMENTS (images)];
    } rows[] = {
        /*                         WS2025 WS2022 WS2019 WS2016 */
        { "WS2025",          26100, { "HP", "HP", "H-", "H-" } },
        /* WS2022 x 26100: "not listed (treat no/no)". */
        { "WS2022",          20348, { "--", "HP", "H-", "H-" } },
        { "WS2019",          17763, { "--", "--", "HP", "H-" } },
        { "WS2016",          14393, { "--", "--", "--", "HP" } },
        /* Windows 11 x 26100: footnote 1, 24H2 and later only. */
        { "Windows 11 21H2", 22000, { "--", "HP", "H-", "H-" } },
        { "Windows 11 22H2", 22621, { "--", "HP", "H-", "H-" } },
        { "Windows 11 23H2", 22631, { "--", "HP", "H-", "H-" } },
        { "Windows 11 24H2", 26100, { "HP", "HP", "H-", "H-" } },
        { "Windows 10 2004", 19041, { "--", "--", "H-", "H-" } },
        { "Windows 10 20H2", 19042, { "--", "--", "H-", "H-" } },
        { "Windows 10 21H1", 19043, { "--", "--", "H-", "H-" } },
        { "Windows 10 21H2", 19044, { "--", "--", "H-", "H-" } },
        { "Windows 10 22H2", 19045, { "--", "--", "H-", "H-" } },
        /* WS 23H2: "—" for 26100; 20348 the "only supported image". */
        { "WS 23H2 (AC)",    25398, { "--", "HP", "--", "--" } },
    };

    g_test_summary ("every cell of Microsoft's host/image matrix, both "
                    "isolation modes");
    for (gsize r = 0; r < G_N_ELEMENTS (rows); r++)
        for (gsize c = 0; c < G_N_ELEMENTS (images); c++)
            check_supported (rows[r].row, rows[r].host, images[c],
                             rows[r].cells[c]);
}

static void
test_supported_rules (void)
{
    /* Cells outside the matrix: process needs equal builds, Hyper-V an
     * image no newer than the host (facts section 2, "Rules to encode",
     * and the SAC-era doc: each SAC host runs its own build under process
     * isolation and all older ones under Hyper-V). */
    static const struct {
        const char *why;
        guint host, image;
        const char *want;
    } cases[] = {
        { "SAC 1903 own build",          18362, 18362, "HP" },
        { "SAC 1903, older 1809",        18362, 17763, "H-" },
        { "SAC 1909, newer 2004",        18363, 19041, "--" },
        { "SAC 2004 own build",          19041, 19041, "HP" },
        { "SAC 20H2 own build",          19042, 19042, "HP" },
        { "SAC 20H2, older 2004",        19042, 19041, "H-" },
        { "SAC 1709, older 2016",        16299, 14393, "H-" },
        { "WS2019, newer SAC 1903",      17763, 18362, "--" },
        { "WS2016, newer SAC 1709",      14393, 16299, "--" },
        { "WS2022, older SAC 20H2",      20348, 19042, "H-" },
        { "Win11 22H2 own build",        22621, 22621, "HP" },
        { "WS2025, 23H2 image",          26100, 25398, "H-" },
        { "WS2025, Win11 22H2 image",    26100, 22621, "H-" },
        { "WS 23H2 own build",           25398, 25398, "--" },
        { "WS 23H2, Win11 22H2 image",   25398, 22621, "--" },
        { "later host, own build",       26200, 26200, "HP" },
        { "later host, WS2025",          26200, 26100, "H-" },
        { "later host, WS2022",          26200, 20348, "H-" },
        { "unknown old host, WS2016",    10240, 14393, "--" },
    };

    g_test_summary ("builds outside the matrix follow its stated rules");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        check_supported (cases[i].why, cases[i].host, cases[i].image,
                         cases[i].want);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/platform/os/names", test_os_names);
    g_test_add_func ("/platform/arch/names", test_arch_names);
    g_test_add_func ("/platform/win-version/parse", test_win_parse);
    g_test_add_func ("/platform/win-version/parse-invalid",
                     test_win_parse_invalid);
    g_test_add_func ("/platform/win-version/format", test_win_format);
    g_test_add_func ("/platform/win-version/build-name",
                     test_win_build_name);
    g_test_add_func ("/platform/kube-version/parse", test_kube_parse);
    g_test_add_func ("/platform/kube-version/parse-invalid",
                     test_kube_parse_invalid);
    g_test_add_func ("/platform/kube-version/format", test_kube_format);
    g_test_add_func ("/platform/kube-version/minor-diff",
                     test_kube_minor_diff);
    g_test_add_func ("/platform/win-compat/containerd",
                     test_containerd_match);
    g_test_add_func ("/platform/win-compat/containerd-major-minor",
                     test_containerd_major_minor);
    g_test_add_func ("/platform/win-compat/containerd-revisions",
                     test_containerd_revisions);
    g_test_add_func ("/platform/win-compat/match-ok", test_match_ok);
    g_test_add_func ("/platform/win-compat/describe", test_match_describe);
    g_test_add_func ("/platform/win-compat/supported-matrix",
                     test_supported_matrix);
    g_test_add_func ("/platform/win-compat/supported-rules",
                     test_supported_rules);
    return g_test_run ();
}
