/* skew.c: Kubernetes' version-skew policy, the kubelet checks kubeadm
 * runs before a control-plane upgrade, and the Windows Server builds each
 * Kubernetes release supports as node OS.
 *
 * The policy is stated relative to the API server and in minor versions
 * only: patch releases never matter here, just as kubeadm's own
 * KubeletVersionCheck compares only Major() and Minor(). Versions are
 * assumed to be of major 1, the only major platform_kube_version_parse()
 * accepts.
 *
 * Every fact comes from ../shared/reference/windows-kubernetes-facts.md
 * (called "facts" below): section 4 for the skew policy and kubeadm's
 * messages, section 3 for the Windows support table. All functions are
 * pure; the only allocations are the strings and errors they return.
 */
#include "models/skew.h"

G_DEFINE_QUARK (kb-skew-error-quark, kb_skew_error)

/* ---- the skew policy ---------------------------------------------------- */

/* Facts section 4 (kubernetes/website:content/en/releases/
 * version-skew-policy.md): a kubelet or kube-proxy may be 3 minors older
 * than the API server. The policy widened from 2 to 3 with the 1.28
 * release (2023-08-15), for kubelets of 1.25 and later only
 * (kubernetes/sig-release discussion #2271), so an older kubelet keeps the
 * old limit of 2. */
#define KUBELET_N3_SINCE_MINOR 25
#define KUBELET_MAX_LAG 3
#define KUBELET_MAX_LAG_BEFORE_1_25 2

/* Facts section 4: kube-controller-manager, kube-scheduler and
 * cloud-controller-manager may be 1 minor older than the API server, and
 * the newest and oldest of HA API servers may be 1 minor apart. */
#define CONTROL_PLANE_MAX_LAG 1

/* Whether component, lagging the API server by at most max_lag minors,
 * is within the policy. A negative lag means it is newer, which no
 * component may be. */
static SkewVerdict
verdict_for_lag (const KubeVersion *apiserver, const KubeVersion *component,
                 guint max_lag)
{
    int lag = platform_kube_minor_diff (apiserver, component);

    if (lag < 0)
        return SKEW_NEWER;
    if ((guint) lag > max_lag)
        return SKEW_TOO_OLD;
    return SKEW_OK;
}

guint
skew_kubelet_max_lag (const KubeVersion *kubelet)
{
    g_return_val_if_fail (kubelet != NULL, 0);

    if (kubelet->minor < KUBELET_N3_SINCE_MINOR)
        return KUBELET_MAX_LAG_BEFORE_1_25;
    return KUBELET_MAX_LAG;
}

SkewVerdict
skew_kubelet (const KubeVersion *apiserver, const KubeVersion *kubelet)
{
    g_return_val_if_fail (apiserver != NULL, SKEW_OK);
    g_return_val_if_fail (kubelet != NULL, SKEW_OK);

    return verdict_for_lag (apiserver, kubelet,
                            skew_kubelet_max_lag (kubelet));
}

SkewVerdict
skew_control_plane_component (const KubeVersion *apiserver,
                              const KubeVersion *component)
{
    g_return_val_if_fail (apiserver != NULL, SKEW_OK);
    g_return_val_if_fail (component != NULL, SKEW_OK);

    return verdict_for_lag (apiserver, component, CONTROL_PLANE_MAX_LAG);
}

gboolean
skew_apiservers_ok (const KubeVersion *a, const KubeVersion *b)
{
    int diff;

    g_return_val_if_fail (a != NULL && b != NULL, FALSE);

    diff = platform_kube_minor_diff (a, b);
    return ABS (diff) <= CONTROL_PLANE_MAX_LAG;
}

/* ---- sentences ---------------------------------------------------------- */

/* "1.31": the policy speaks of minor versions, so any patch is left out.
 * (transfer full). */
static char *
format_minor (const KubeVersion *v)
{
    return g_strdup_printf ("%u.%u", v->major, v->minor);
}

/* "1.31.0": kubeadm prints a parsed semantic version, which always has a
 * patch (facts section 4 quotes "1.25.0"), so a missing patch reads 0.
 * (transfer full). */
static char *
format_semver (const KubeVersion *v)
{
    return g_strdup_printf ("%u.%u.%d", v->major, v->minor, MAX (v->patch, 0));
}

/* The lag the policy allows the named component. skew_describe() is not
 * told which rule produced the verdict, so it goes by the name: kubelet
 * and kube-proxy follow the kubelet rule (facts section 4 gives both the
 * same limits); every other component (kube-controller-manager,
 * kube-scheduler, cloud-controller-manager, an HA kube-apiserver) is
 * allowed 1. */
static guint
allowed_lag (const char *component, const KubeVersion *version)
{
    if (g_str_equal (component, "kubelet")
        || g_str_equal (component, "kube-proxy"))
        return skew_kubelet_max_lag (version);
    return CONTROL_PLANE_MAX_LAG;
}

/* The sentence trusts the verdict it is given; it does not recompute it.
 * For SKEW_TOO_OLD the allowed lag comes from allowed_lag() above. */
char *
skew_describe (SkewVerdict v, const char *component,
               const KubeVersion *apiserver, const KubeVersion *version)
{
    g_autofree char *api = NULL;
    g_autofree char *ver = NULL;
    int lag;

    g_return_val_if_fail (component != NULL, NULL);
    g_return_val_if_fail (apiserver != NULL && version != NULL, NULL);

    api = format_minor (apiserver);
    ver = format_minor (version);
    switch (v) {
    case SKEW_OK:
        return g_strdup_printf ("%s %s is within the policy for API "
                                "server %s", component, ver, api);
    case SKEW_NEWER:
        return g_strdup_printf ("%s %s is newer than the API server %s; "
                                "the policy never allows that",
                                component, ver, api);
    case SKEW_TOO_OLD:
        lag = platform_kube_minor_diff (apiserver, version);
        return g_strdup_printf ("%s %s is %d minor version%s older than "
                                "the API server %s; the policy allows %u",
                                component, ver, lag, lag == 1 ? "" : "s",
                                api, allowed_lag (component, version));
    }
    g_return_val_if_reached (NULL);
}

/* ---- control-plane upgrades --------------------------------------------- */

/* kubeadm prints each failed preflight check as "[ERROR <check name>]: "
 * and the error. Both kubelet messages below come from kubeadm's
 * KubeletVersionCheck (kubernetes/kubernetes:cmd/kubeadm/app/preflight/
 * checks.go), whose name is "KubeletVersion". The facts (section 4) quote
 * the prefix only with the "higher than" message; that the "lower than"
 * message carries the same prefix is an assumption, although it follows
 * from both being errors of the same check. */
#define KUBEADM_KUBELET_PREFIX "[ERROR KubeletVersion]: "

/* One minor step up: refuse the same minor, a downgrade or a skipped
 * minor (facts section 4, "Upgrade order": the API server is upgraded
 * first and never skips a minor). Patches are ignored like everywhere in
 * this file, so 1.31.1 -> 1.31.2 is "already at 1.31".
 * NEEDSWORK: if scenarios ever model patch upgrades, let them through
 * here; the policy has nothing to say about them. */
static gboolean
check_step (const KubeVersion *from, const KubeVersion *to, GError **error)
{
    g_autofree char *f = format_minor (from);
    g_autofree char *t = format_minor (to);
    g_autofree char *next = NULL;
    int step = platform_kube_minor_diff (to, from);
    KubeVersion one_up = *from;

    if (step == 1)
        return TRUE;
    if (step == 0) {
        g_set_error (error, KB_SKEW_ERROR, KB_SKEW_ERROR_REFUSED,
                     "the control plane is already at %s", f);
    } else if (step < 0) {
        g_set_error (error, KB_SKEW_ERROR, KB_SKEW_ERROR_REFUSED,
                     "downgrading the control plane from %s to %s is not "
                     "supported", f, t);
    } else {
        one_up.minor++;
        next = format_minor (&one_up);
        g_set_error (error, KB_SKEW_ERROR, KB_SKEW_ERROR_REFUSED,
                     "upgrade one minor version at a time: %s -> %s, "
                     "not %s -> %s", f, next, f, t);
    }
    return FALSE;
}

/* Whether kubelet stays within the policy once the control plane is at
 * `to`, with kubeadm's words when it does not (quoted verbatim from
 * checks.go via the facts, section 4, so they keep kubeadm's capital
 * letters, full stops and its "kubadm" typo). kubeadm itself compares a
 * kubelet against a fixed minimum version (MinimumKubeletVersion) rather
 * than against `to`; kbsim applies the skew policy and borrows only the
 * wording. */
static gboolean
check_kubelet (const KubeVersion *to, const KubeVersion *kubelet,
               GError **error)
{
    g_autofree char *kv = NULL;
    g_autofree char *cv = NULL;

    switch (skew_kubelet (to, kubelet)) {
    case SKEW_OK:
        return TRUE;
    case SKEW_NEWER:
        kv = format_semver (kubelet);
        cv = format_semver (to);
        g_set_error (error, KB_SKEW_ERROR, KB_SKEW_ERROR_REFUSED,
                     KUBEADM_KUBELET_PREFIX "the kubelet version is higher "
                     "than the control plane version. This is not a "
                     "supported version skew and may lead to a "
                     "malfunctional cluster. Kubelet version: \"%s\" "
                     "Control plane version: \"%s\"", kv, cv);
        return FALSE;
    case SKEW_TOO_OLD:
        kv = format_semver (kubelet);
        g_set_error (error, KB_SKEW_ERROR, KB_SKEW_ERROR_REFUSED,
                     KUBEADM_KUBELET_PREFIX "Kubelet version \"%s\" is lower "
                     "than kubadm can support. Please upgrade kubelet", kv);
        return FALSE;
    }
    g_return_val_if_reached (FALSE);
}

/* The version step is checked before any kubelet, so a skipped minor is
 * reported as such even when kubelets would also be left behind. */
gboolean
skew_check_upgrade (const KubeVersion *from, const KubeVersion *to,
                    const KubeVersion *kubelets, guint n, GError **error)
{
    g_return_val_if_fail (from != NULL && to != NULL, FALSE);
    g_return_val_if_fail (kubelets != NULL || n == 0, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    if (!check_step (from, to, error))
        return FALSE;
    for (guint i = 0; i < n; i++)
        if (!check_kubelet (to, &kubelets[i], error))
            return FALSE;
    return TRUE;
}

/* ---- Windows Server builds by Kubernetes release ------------------------ */

/* Supported Windows node builds by Kubernetes era, one row per row of the
 * facts' table (section 3; sources kubernetes/website
 * content/en/docs/concepts/windows/intro.md and PR #26486), plus one row
 * before it. Minor versions are inclusive; unused build slots are 0.
 * Build numbers are from facts section 1. Choices:
 *
 * - 1.14-1.16 are outside the table: Windows GA in 1.14, with Windows
 *   Server 2019 (17763) the only supported OS (Kubernetes blog "Kubernetes
 *   v1.14 delivers production-level support for Windows nodes and Windows
 *   containers", 2019-04-01, and that era's intro-windows-in-kubernetes
 *   page; neither is in the facts). Before 1.14 nothing is supported.
 * - The table's "~v1.2x-1.34" row is taken to start at 1.19, right after
 *   the 1.18 row, and to list 17763 and 20348 throughout. WS2022 (20348)
 *   did not exist before 2021-08 (facts section 1), so early releases
 *   simply never meet it in practice.
 * - SAC 20H2 (19042) is "listed" by intro.md in that era. We accept it
 *   for 1.19-1.24: 20H2 shipped 2020-10-20 and left mainstream support
 *   2022-08-09 (facts section 1), and 1.24 is the last release published
 *   before that date (1.25 came out on 2022-08-23, a date not in the
 *   facts). SAC 2004 (19041) is not listed, so it is not accepted.
 * - From 1.35 on: WS2022 and WS2025 only, as in the release-1.36
 *   documentation (website PR #53724, merged 2025-12-19), per skew.h. */
static const struct {
    guint first_minor;
    guint last_minor;
    guint builds[4];
} windows_eras[] = {
    { 14, 16, { 17763 } },                  /* Windows GA in 1.14 */
    { 17, 17, { 17763 } },                  /* WS2019, SAC 1809 */
    { 18, 18, { 17763, 18362, 18363 } },    /* + SAC 1903, 1909 */
    { 19, 24, { 17763, 19042, 20348 } },    /* + SAC 20H2, WS2022 */
    { 25, 34, { 17763, 20348 } },           /* LTSC 2019 and 2022 */
    { 35, G_MAXUINT, { 20348, 26100 } },    /* WS2022, WS2025 */
};

gboolean
skew_windows_build_supported (const KubeVersion *k8s, guint build)
{
    g_return_val_if_fail (k8s != NULL, FALSE);

    if (k8s->major != 1 || build == 0)
        return FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS (windows_eras); i++) {
        if (k8s->minor < windows_eras[i].first_minor
            || k8s->minor > windows_eras[i].last_minor)
            continue;
        for (gsize j = 0; j < G_N_ELEMENTS (windows_eras[i].builds); j++)
            if (windows_eras[i].builds[j] == build)
                return TRUE;
        return FALSE;
    }
    return FALSE;
}
