/* platform.c: names of operating systems and architectures, parsing of
 * Windows and Kubernetes versions, and the two rules that decide whether a
 * Windows container image may run on a Windows host.
 *
 * The two rules answer different questions, and kbsim needs both:
 *
 * - platform_win_containerd_match() is what containerd *does* when it picks
 *   an entry of an image index for a Windows node, so it decides whether a
 *   pull finds an image at all (containerd/platforms
 *   platform_windows_compat.go, checkWindowsHostAndContainerCompat).
 * - platform_win_supported() is what Microsoft *supports*: its published
 *   host/image matrix. The two disagree at the edges; containerd lets a
 *   host of build 26100 pick an image of build 25398, for example, which
 *   the matrix does not list.
 *
 * Every fact comes from ../shared/reference/windows-kubernetes-facts.md
 * (called "facts" below); the section is named next to each table.
 *
 * Numbers are scanned by hand with ASCII digits only, so no parser depends
 * on the locale or accepts the white space, signs and "0x" prefixes that
 * strtoul() would.
 */
#include "models/platform.h"

#include <string.h>

G_DEFINE_QUARK (kb-platform-error-quark, kb_platform_error)

/* ---- operating systems and architectures ------------------------------- */

/* GOOS / GOARCH spellings, indexed by KbOs / KbArch (facts section 3: the
 * kubernetes.io/os and kubernetes.io/arch node labels). Index 0 is the
 * UNKNOWN value, left out of the lists returned by the *_names()
 * functions. */
static const char *const os_names[] = {
    "unknown", "linux", "windows", NULL
};

static const char *const arch_names[] = {
    "unknown", "amd64", "arm64", "arm", "386", "ppc64le", "s390x", NULL
};

const char *
platform_os_name (KbOs os)
{
    g_return_val_if_fail ((guint) os < G_N_ELEMENTS (os_names) - 1, NULL);
    return os_names[os];
}

KbOs
platform_os_from_string (const char *text)
{
    g_return_val_if_fail (text != NULL, KB_OS_UNKNOWN);
    for (guint i = 1; os_names[i] != NULL; i++)
        if (strcmp (text, os_names[i]) == 0)
            return (KbOs) i;
    return KB_OS_UNKNOWN;
}

const char *
platform_arch_name (KbArch arch)
{
    g_return_val_if_fail ((guint) arch < G_N_ELEMENTS (arch_names) - 1,
                          NULL);
    return arch_names[arch];
}

KbArch
platform_arch_from_string (const char *text)
{
    g_return_val_if_fail (text != NULL, KB_ARCH_UNKNOWN);
    for (guint i = 1; arch_names[i] != NULL; i++)
        if (strcmp (text, arch_names[i]) == 0)
            return (KbArch) i;
    return KB_ARCH_UNKNOWN;
}

const char *const *
platform_os_names (void)
{
    return os_names + 1;
}

const char *const *
platform_arch_names (void)
{
    return arch_names + 1;
}

/* ---- dotted numbers ---------------------------------------------------- */

typedef enum {
    NUM_OK,
    NUM_SYNTAX,     /* not N(.N)*, or too many parts */
    NUM_RANGE       /* well formed, but a part exceeds its limit */
} NumStatus;

/* Parses the whole of text as 1 to max_parts decimal numbers joined by
 * dots, part i at most limits[i]. Only ASCII digits are allowed: no sign,
 * no white space, no empty part. A syntax error anywhere wins over an
 * out-of-range part, so "10.0.99999999999x" is reported as malformed. */
static NumStatus
parse_dotted (const char *text, guint max_parts, const guint64 *limits,
              guint64 *parts, guint *n_parts)
{
    const char *p = text;
    gboolean range = FALSE;
    guint n = 0;

    for (;;) {
        guint64 v = 0;

        if (n == max_parts || !g_ascii_isdigit (*p))
            return NUM_SYNTAX;
        for (; g_ascii_isdigit (*p); p++) {
            guint d = (guint) (*p - '0');

            /* v * 10 + d <= limit, without overflowing guint64. */
            if (v > (limits[n] - d) / 10)
                range = TRUE;
            else
                v = v * 10 + d;
        }
        parts[n++] = v;
        if (*p == '\0')
            break;
        if (*p != '.')
            return NUM_SYNTAX;
        p++;
    }
    *n_parts = n;
    return range ? NUM_RANGE : NUM_OK;
}

/* ---- Windows versions --------------------------------------------------- */

/* Release names accepted in place of a version, in the order the error
 * message lists them (facts section 1, "Name / image tag" column; 1607 is
 * the SAC-style name of Windows Server 2016, 1809 that of 2019). */
static const struct {
    const char *name;
    guint build;
} win_releases[] = {
    { "ltsc2016", 14393 },
    { "ltsc2019", 17763 },
    { "ltsc2022", 20348 },
    { "ltsc2025", 26100 },
    { "1607", 14393 },
    { "1709", 16299 },
    { "1803", 17134 },
    { "1809", 17763 },
    { "1903", 18362 },
    { "1909", 18363 },
    { "2004", 19041 },
    { "20H2", 19042 },
    { "23H2", 25398 },
};

/* Human names by build (facts section 1: the server table, then the client
 * builds). Where a client and a server release share a build (17763,
 * 19041, 19042, 26100), the server name is given, since kbsim's hosts are
 * servers. */
static const struct {
    guint build;
    const char *name;
} win_build_names[] = {
    { 14393, "Windows Server 2016 (ltsc2016)" },
    { 16299, "Windows Server 1709" },
    { 17134, "Windows Server 1803" },
    { 17763, "Windows Server 2019 (ltsc2019)" },
    { 18362, "Windows Server 1903" },
    { 18363, "Windows Server 1909" },
    { 19041, "Windows Server 2004" },
    { 19042, "Windows Server 20H2" },
    { 19043, "Windows 10 21H1" },
    { 19044, "Windows 10 21H2" },
    { 19045, "Windows 10 22H2" },
    { 20348, "Windows Server 2022 (ltsc2022)" },
    { 22000, "Windows 11 21H2" },
    { 22621, "Windows 11 22H2" },
    /* Unconfirmed in the facts: seen only as a host os.version in
     * containerd/nerdctl#3381 logs. */
    { 22631, "Windows 11 23H2" },
    { 25398, "Windows Server 23H2" },
    { 26100, "Windows Server 2025 (ltsc2025)" },
};

static void
set_win_syntax_error (GError **error, const char *text)
{
    g_autoptr (GString) names = g_string_new (NULL);

    for (gsize i = 0; i < G_N_ELEMENTS (win_releases); i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "",
                                win_releases[i].name);
    g_set_error (error, KB_PLATFORM_ERROR, KB_PLATFORM_ERROR_INVALID,
                 "invalid Windows version '%s': expected "
                 "10.0.BUILD[.REVISION] or a release name (%s)",
                 text, names->str);
}

gboolean
platform_win_version_parse (const char *text, WinVersion *out,
                            GError **error)
{
    static const guint64 limits[] = {
        G_MAXUINT, G_MAXUINT, G_MAXUINT, G_MAXINT64
    };
    guint64 parts[G_N_ELEMENTS (limits)];
    guint n = 0;
    NumStatus st;

    g_return_val_if_fail (text != NULL, FALSE);
    g_return_val_if_fail (out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    for (gsize i = 0; i < G_N_ELEMENTS (win_releases); i++) {
        if (g_ascii_strcasecmp (text, win_releases[i].name) == 0) {
            *out = (WinVersion) { 10, 0, win_releases[i].build, -1 };
            return TRUE;
        }
    }

    st = parse_dotted (text, G_N_ELEMENTS (limits), limits, parts, &n);
    if (st == NUM_SYNTAX || n < 3) {
        set_win_syntax_error (error, text);
        return FALSE;
    }
    if (st == NUM_RANGE) {
        g_set_error (error, KB_PLATFORM_ERROR, KB_PLATFORM_ERROR_INVALID,
                     "invalid Windows version '%s': number out of range",
                     text);
        return FALSE;
    }
    /* Every release kbsim models, from Windows Server 2016 on, reports
     * 10.0 (facts section 1). */
    if (parts[0] != 10) {
        g_set_error (error, KB_PLATFORM_ERROR, KB_PLATFORM_ERROR_INVALID,
                     "invalid Windows version '%s': major version must be "
                     "10 (Windows Server 2016 and later, Windows 10 and 11 "
                     "all report 10.0)", text);
        return FALSE;
    }
    *out = (WinVersion) {
        (guint) parts[0], (guint) parts[1], (guint) parts[2],
        n == 4 ? (gint64) parts[3] : -1
    };
    return TRUE;
}

char *
platform_win_version_format (const WinVersion *v)
{
    g_return_val_if_fail (v != NULL, NULL);
    if (v->revision < 0)
        return g_strdup_printf ("%u.%u.%u", v->major, v->minor, v->build);
    return g_strdup_printf ("%u.%u.%u.%" G_GINT64_FORMAT, v->major,
                            v->minor, v->build, v->revision);
}

const char *
platform_win_build_name (guint build)
{
    for (gsize i = 0; i < G_N_ELEMENTS (win_build_names); i++)
        if (win_build_names[i].build == build)
            return win_build_names[i].name;
    return NULL;
}

/* ---- Kubernetes versions ------------------------------------------------ */

gboolean
platform_kube_version_parse (const char *text, KubeVersion *out,
                             GError **error)
{
    /* Minor and patch fit in an int, so platform_kube_minor_diff() cannot
     * overflow and patch fits KubeVersion.patch. */
    static const guint64 limits[] = { G_MAXUINT, G_MAXINT, G_MAXINT };
    guint64 parts[G_N_ELEMENTS (limits)];
    const char *p;
    guint n = 0;
    NumStatus st;

    g_return_val_if_fail (text != NULL, FALSE);
    g_return_val_if_fail (out != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    p = text[0] == 'v' ? text + 1 : text;
    st = parse_dotted (p, G_N_ELEMENTS (limits), limits, parts, &n);
    if (st == NUM_SYNTAX || n < 2) {
        g_set_error (error, KB_PLATFORM_ERROR, KB_PLATFORM_ERROR_INVALID,
                     "invalid Kubernetes version '%s': expected "
                     "MAJOR.MINOR[.PATCH], e.g. 1.31 or v1.31.2", text);
        return FALSE;
    }
    if (st == NUM_RANGE) {
        g_set_error (error, KB_PLATFORM_ERROR, KB_PLATFORM_ERROR_INVALID,
                     "invalid Kubernetes version '%s': number out of range",
                     text);
        return FALSE;
    }
    if (parts[0] != 1) {
        g_set_error (error, KB_PLATFORM_ERROR, KB_PLATFORM_ERROR_INVALID,
                     "invalid Kubernetes version '%s': major version must "
                     "be 1", text);
        return FALSE;
    }
    *out = (KubeVersion) {
        (guint) parts[0], (guint) parts[1], n == 3 ? (gint) parts[2] : -1
    };
    return TRUE;
}

char *
platform_kube_version_format (const KubeVersion *v)
{
    g_return_val_if_fail (v != NULL, NULL);
    if (v->patch < 0)
        return g_strdup_printf ("%u.%u", v->major, v->minor);
    return g_strdup_printf ("%u.%u.%d", v->major, v->minor, v->patch);
}

int
platform_kube_minor_diff (const KubeVersion *a, const KubeVersion *b)
{
    g_return_val_if_fail (a != NULL && b != NULL, 0);
    g_return_val_if_fail (a->minor <= G_MAXINT && b->minor <= G_MAXINT, 0);
    return (int) a->minor - (int) b->minor;
}

/* ---- containerd's rule -------------------------------------------------- */

/* Stable-ABI LTSC builds, ascending (facts section 2; containerd/platforms
 * platform_windows_compat.go, compatLTSCReleases). */
static const guint compat_ltsc[] = { 20348, 26100 };

/* The oldest image build a host of build >= 20348 accepts: the newest
 * stable-ABI LTSC strictly older than the host, or 20348 when there is none
 * (the host is 20348 itself). Strictly older, so that a 26100 host still
 * accepts 20348 images, as the facts say ("host 26100 -> 20348..26100"). */
static guint
previous_ltsc (guint host_build)
{
    for (gsize i = G_N_ELEMENTS (compat_ltsc); i-- > 0;)
        if (host_build > compat_ltsc[i])
            return compat_ltsc[i];
    return compat_ltsc[0];
}

PlatformWinMatch
platform_win_containerd_match (const WinVersion *host,
                               const WinVersion *image)
{
    g_return_val_if_fail (host != NULL, PLATFORM_WIN_MISMATCH_MAJOR);

    /* An index entry without os.version matches any host. Revisions are
     * never compared. */
    if (image == NULL)
        return PLATFORM_WIN_MATCH_ANY;
    if (host->major != image->major || host->minor != image->minor)
        return PLATFORM_WIN_MISMATCH_MAJOR;
    if (host->build < compat_ltsc[0])
        return host->build == image->build ? PLATFORM_WIN_MATCH
                                           : PLATFORM_WIN_MISMATCH_EXACT;
    if (image->build >= previous_ltsc (host->build)
        && image->build <= host->build)
        return PLATFORM_WIN_MATCH;
    return PLATFORM_WIN_MISMATCH_RANGE;
}

gboolean
platform_win_match_ok (PlatformWinMatch m)
{
    return m == PLATFORM_WIN_MATCH || m == PLATFORM_WIN_MATCH_ANY;
}

char *
platform_win_match_describe (PlatformWinMatch m, const WinVersion *host,
                             const WinVersion *image)
{
    g_autofree char *h = NULL;
    g_autofree char *i = NULL;

    g_return_val_if_fail (host != NULL, NULL);
    h = platform_win_version_format (host);
    i = image != NULL ? platform_win_version_format (image)
                      : g_strdup ("without os.version");

    switch (m) {
    case PLATFORM_WIN_MATCH:
        if (host->build < compat_ltsc[0])
            return g_strdup_printf ("a host below build %u runs images of "
                                    "its own build (host %s, image %s)",
                                    compat_ltsc[0], h, i);
        return g_strdup_printf ("a host of build %u runs images from build "
                                "%u to its own (host %s, image %s)",
                                host->build, previous_ltsc (host->build),
                                h, i);
    case PLATFORM_WIN_MATCH_ANY:
        return g_strdup_printf ("an image entry without os.version matches "
                                "any host (host %s, image %s)", h, i);
    case PLATFORM_WIN_MISMATCH_MAJOR:
        return g_strdup_printf ("host and image must have the same major "
                                "and minor version (host %s, image %s)",
                                h, i);
    case PLATFORM_WIN_MISMATCH_EXACT:
        return g_strdup_printf ("a host below build %u runs only images of "
                                "its own build (host %s, image %s)",
                                compat_ltsc[0], h, i);
    case PLATFORM_WIN_MISMATCH_RANGE:
        return g_strdup_printf ("a host of build %u runs only images from "
                                "build %u to its own (host %s, image %s)",
                                host->build, previous_ltsc (host->build),
                                h, i);
    default:
        g_return_val_if_reached (NULL);
    }
}

/* ---- Microsoft's support matrix ----------------------------------------- */

/* Cell values: which isolation modes the matrix marks as supported. */
#define SUP_PROCESS (1u << PLATFORM_ISOLATION_PROCESS)
#define SUP_HYPERV  (1u << PLATFORM_ISOLATION_HYPERV)
#define YES (SUP_HYPERV | SUP_PROCESS)  /* H yes, P yes */
#define HV  SUP_HYPERV                  /* H yes, P no */
#define NO  0u                          /* H no, P no */

/* The image columns of the matrix. */
static const guint win_matrix_images[] = { 26100, 20348, 17763, 14393 };

/* Facts section 2, "Host <-> container-image compatibility", row by row.
 * A row covers host builds first..last. WS2025 and Windows 11 24H2 share
 * build 26100 and identical rows, so one row serves both. Windows 10 is
 * 19041..19045; 19041 and 19042 are also the SAC servers 2004 and 20H2,
 * whose older rule (own build under process, all older under Hyper-V)
 * agrees with the row. only_listed: the row rules out every image not in
 * a column (WS 23H2 "only supports the Windows Server 2022 LTSC container
 * image", portability.md). */
static const struct {
    guint first, last;
    guint cell[G_N_ELEMENTS (win_matrix_images)];
    gboolean only_listed;
} win_matrix[] = {
    /*                          26100 20348 17763 14393 */
    { 26100, 26100, /* WS2025 */  { YES, YES, HV,  HV  }, FALSE },
    /* 26100 on WS2022: not listed, treated as no/no. */
    { 20348, 20348, /* WS2022 */  { NO,  YES, HV,  HV  }, FALSE },
    { 17763, 17763, /* WS2019 */  { NO,  NO,  YES, HV  }, FALSE },
    { 14393, 14393, /* WS2016 */  { NO,  NO,  NO,  YES }, FALSE },
    /* Windows 11: 26100 images only from 24H2 (footnote 1), whose row is
     * the 26100 row above. 22631 (23H2) is unconfirmed in section 1. */
    { 22000, 22000, /* 21H2 */    { NO,  YES, HV,  HV  }, FALSE },
    { 22621, 22621, /* 22H2 */    { NO,  YES, HV,  HV  }, FALSE },
    { 22631, 22631, /* 23H2 */    { NO,  YES, HV,  HV  }, FALSE },
    { 19041, 19045, /* Win10 */   { NO,  NO,  HV,  HV  }, FALSE },
    { 25398, 25398, /* WS 23H2 */ { NO,  YES, NO,  NO  }, TRUE },
};

/* The matrix's stated rules, for cells outside it (facts section 2):
 * Hyper-V runs any image no newer than the host; process isolation needs
 * the same build. The stable-ABI exceptions (20348 images on Windows 11,
 * 26100 and 25398 hosts) need no code here: every host they name is a row
 * of win_matrix, and 20348 is a column. */
static gboolean
win_rule_supported (guint host_build, guint image_build,
                    PlatformIsolation isolation)
{
    if (isolation == PLATFORM_ISOLATION_HYPERV)
        return image_build <= host_build;
    return image_build == host_build;
}

gboolean
platform_win_supported (guint host_build, guint image_build,
                        PlatformIsolation isolation)
{
    g_return_val_if_fail (isolation == PLATFORM_ISOLATION_PROCESS
                          || isolation == PLATFORM_ISOLATION_HYPERV, FALSE);

    for (gsize r = 0; r < G_N_ELEMENTS (win_matrix); r++) {
        if (host_build < win_matrix[r].first
            || host_build > win_matrix[r].last)
            continue;
        for (gsize c = 0; c < G_N_ELEMENTS (win_matrix_images); c++)
            if (win_matrix_images[c] == image_build)
                return (win_matrix[r].cell[c] & (1u << isolation)) != 0;
        if (win_matrix[r].only_listed)
            return FALSE;
        break;
    }
    return win_rule_supported (host_build, image_build, isolation);
}
