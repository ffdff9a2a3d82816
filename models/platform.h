/* platform.h: operating systems, architectures, Windows builds and
 * Kubernetes versions, and the rules that decide whether a container image
 * built for one Windows build runs on a host of another. Knows no
 * Kubernetes object (node, pod, image): values and rules only.
 *
 * Facts: ../shared/reference/windows-kubernetes-facts.md, sections 1-3.
 */
#ifndef KBSIM_PLATFORM_H
#define KBSIM_PLATFORM_H

#include <glib.h>

G_BEGIN_DECLS

#define KB_PLATFORM_ERROR (kb_platform_error_quark ())
GQuark kb_platform_error_quark (void);

typedef enum {
    KB_PLATFORM_ERROR_INVALID,
    KB_PLATFORM_ERROR_FAILED
} KbPlatformError;

typedef enum {
    KB_OS_UNKNOWN = 0,
    KB_OS_LINUX,
    KB_OS_WINDOWS
} KbOs;

typedef enum {
    KB_ARCH_UNKNOWN = 0,
    KB_ARCH_AMD64,
    KB_ARCH_ARM64,
    KB_ARCH_ARM,
    KB_ARCH_386,
    KB_ARCH_PPC64LE,
    KB_ARCH_S390X
} KbArch;

/* GOOS / GOARCH spellings as Kubernetes labels and OCI platforms use them
 * ("linux", "windows"; "amd64", "arm64", ...). from_string is exact and
 * case-sensitive; it returns KB_OS_UNKNOWN / KB_ARCH_UNKNOWN otherwise.
 * The name of KB_OS_UNKNOWN / KB_ARCH_UNKNOWN is "unknown", which
 * from_string does not accept. (transfer none): static strings. */
const char *platform_os_name (KbOs os);
KbOs        platform_os_from_string (const char *text);
const char *platform_arch_name (KbArch arch);
KbArch      platform_arch_from_string (const char *text);
/* NULL-terminated lists of the accepted spellings, in enum order, for
 * suggestions. (transfer none): static. */
const char *const *platform_os_names (void);
const char *const *platform_arch_names (void);

/* A Windows version Major.Minor.Build[.Revision]. revision is -1 when not
 * given. */
typedef struct {
    guint major;
    guint minor;
    guint build;
    gint64 revision;
} WinVersion;

/* Accepts "10.0.20348", "10.0.20348.2700", and release names: "ltsc2016",
 * "ltsc2019", "ltsc2022", "ltsc2025", "1607", "1709", "1803", "1809",
 * "1903", "1909", "2004", "20H2", "23H2" (case-insensitive for names).
 * Errors quote the text and list the names. */
gboolean platform_win_version_parse (const char *text, WinVersion *out,
                                     GError **error);
/* "10.0.20348" or "10.0.20348.2700". (transfer full): g_free(). */
char    *platform_win_version_format (const WinVersion *v);
/* "Windows Server 2022 (ltsc2022)", "Windows Server 1809", "Windows 11
 * 22H2", or NULL for an unknown build. (transfer none): static. */
const char *platform_win_build_name (guint build);

/* Kubernetes versions "1.31", "v1.31", "1.31.2", "v1.31.2"; patch is -1
 * when not given. Only major 1 is accepted. */
typedef struct {
    guint major;
    guint minor;
    gint patch;
} KubeVersion;

gboolean platform_kube_version_parse (const char *text, KubeVersion *out,
                                      GError **error);
/* "1.31" or "1.31.2" (no leading v). (transfer full): g_free(). */
char    *platform_kube_version_format (const KubeVersion *v);
/* a.minor - b.minor (both major 1). */
int      platform_kube_minor_diff (const KubeVersion *a,
                                   const KubeVersion *b);

/* Why a Windows image entry can or cannot run on a host under process
 * isolation, as containerd decides when it picks an entry of an image
 * index (containerd/platforms platform_windows_compat.go, facts section 2). */
typedef enum {
    PLATFORM_WIN_MATCH,             /* compatible */
    PLATFORM_WIN_MATCH_ANY,         /* image has no os.version: matches */
    PLATFORM_WIN_MISMATCH_MAJOR,    /* major.minor differ */
    PLATFORM_WIN_MISMATCH_EXACT,    /* host < 20348 needs the same build */
    PLATFORM_WIN_MISMATCH_RANGE     /* host >= 20348: image build must be in
                                     * [previous LTSC, host build] */
} PlatformWinMatch;

/* containerd's rule for process isolation. image may be NULL (no
 * os.version in the index entry), which matches anything. Revisions are
 * ignored. For a host of build >= 20348 the range starts at the newest
 * stable-ABI LTSC (20348, 26100) strictly older than the host, or at 20348
 * for a 20348 host: host 20348 takes 20348 only, hosts 22621 and 25398
 * take 20348..host, host 26100 takes 20348..26100, and a later host H
 * takes 26100..H. */
PlatformWinMatch platform_win_containerd_match (const WinVersion *host,
                                                const WinVersion *image);
gboolean         platform_win_match_ok (PlatformWinMatch m);
/* One sentence naming the rule, for explanations: "a host below build
 * 20348 runs only images of its own build (host 10.0.17763, image
 * 10.0.20348)". (transfer full): g_free(). */
char            *platform_win_match_describe (PlatformWinMatch m,
                                              const WinVersion *host,
                                              const WinVersion *image);

typedef enum {
    PLATFORM_ISOLATION_PROCESS,
    PLATFORM_ISOLATION_HYPERV
} PlatformIsolation;

/* Microsoft's support matrix (facts section 2, "Windows container version
 * compatibility"): is an image of image_build supported on a host of
 * host_build under the given isolation? Builds not in the matrix follow
 * its stated rules (process: equal builds, plus the stable-ABI exceptions;
 * Hyper-V: image build <= host build). A WS 23H2 host (25398) supports
 * only 20348 images, in either mode, as its row says. */
gboolean platform_win_supported (guint host_build, guint image_build,
                                 PlatformIsolation isolation);

G_END_DECLS

#endif
