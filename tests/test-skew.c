/* test-skew.c: the version-skew policy, kubeadm's upgrade refusals and
 * the Windows Server builds each Kubernetes release supports.
 *
 * The expected values are written out by hand from ../shared/reference/
 * windows-kubernetes-facts.md (section 4 for the policy and kubeadm's
 * messages, section 3 for Windows), not computed with skew.c's formulas:
 * each table below can be checked against the facts cell by cell.
 */
#include <glib.h>

#include "models/skew.h"

/* Shorthands for the verdict and Windows tables, so a row fits on one line. */
#define NEW SKEW_NEWER
#define OK  SKEW_OK
#define OLD SKEW_TOO_OLD
#define YES TRUE
#define NO  FALSE

static const char *
verdict_name (SkewVerdict v)
{
    switch (v) {
    case SKEW_OK:
        return "ok";
    case SKEW_NEWER:
        return "newer";
    case SKEW_TOO_OLD:
        return "too old";
    }
    return "invalid";
}

/* Compares verdicts as "<label>: <verdict>" strings, so that a failure
 * names the case as well as the two verdicts. */
static void
check_verdict (const char *label, SkewVerdict got, SkewVerdict want)
{
    g_autofree char *g = g_strdup_printf ("%s: %s", label,
                                          verdict_name (got));
    g_autofree char *w = g_strdup_printf ("%s: %s", label,
                                          verdict_name (want));

    g_assert_cmpstr (g, ==, w);
}

static KubeVersion
kv (const char *text)
{
    GError *error = NULL;
    KubeVersion v = { 0, 0, -1 };

    platform_kube_version_parse (text, &v, &error);
    g_assert_no_error (error);
    return v;
}

/* Checks that error is set with KB_SKEW_ERROR_REFUSED and reads exactly
 * message; then clears it. Modelled on check_error() in GLib's
 * glib/tests/keyfile.c. */
static void
check_refused (GError **error, const char *message)
{
    g_assert_error (*error, KB_SKEW_ERROR, KB_SKEW_ERROR_REFUSED);
    g_assert_cmpstr ((*error)->message, ==, message);
    g_clear_error (error);
}

/* ---- kubelet ------------------------------------------------------------ */

static void
test_kubelet_table (void)
{
    /* Columns: the kubelet 2 and 1 minors newer than the API server, the
     * same, then 1, 2, 3 and 4 minors older. Kubelets older than 1.25 may
     * lag by 2 only, so the N-3 column is too old up to API server 1.27
     * (kubelet 1.24) and ok from 1.28 (kubelet 1.25). */
    static const struct {
        guint api;
        SkewVerdict want[7];
    } cases[] = {
        /* API     +2   +1   0   -1  -2  -3   -4 */
        { 24, { NEW, NEW, OK, OK, OK, OLD, OLD } }, /* 1.22 ok, 1.21 old */
        { 25, { NEW, NEW, OK, OK, OK, OLD, OLD } }, /* 1.22 is < 1.25 */
        { 26, { NEW, NEW, OK, OK, OK, OLD, OLD } }, /* 1.23 is < 1.25 */
        { 27, { NEW, NEW, OK, OK, OK, OLD, OLD } }, /* 1.24 is < 1.25 */
        { 28, { NEW, NEW, OK, OK, OK, OK, OLD } },  /* 1.25 may lag 3 */
        { 29, { NEW, NEW, OK, OK, OK, OK, OLD } },
        { 30, { NEW, NEW, OK, OK, OK, OK, OLD } },
        { 31, { NEW, NEW, OK, OK, OK, OK, OLD } },
        { 32, { NEW, NEW, OK, OK, OK, OK, OLD } },
        { 33, { NEW, NEW, OK, OK, OK, OK, OLD } },
        { 34, { NEW, NEW, OK, OK, OK, OK, OLD } },
        { 35, { NEW, NEW, OK, OK, OK, OK, OLD } },
    };
    static const int offset[7] = { 2, 1, 0, -1, -2, -3, -4 };

    g_test_summary ("every API server 1.24..1.35 against kubelets two "
                    "minors newer to four older, as the policy's table "
                    "(facts section 4) gives them");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        for (gsize j = 0; j < G_N_ELEMENTS (offset); j++) {
            KubeVersion api = { 1, cases[i].api, -1 };
            KubeVersion kubelet = { 1, (guint) ((int) cases[i].api
                                                + offset[j]), -1 };
            g_autofree char *label = g_strdup_printf
                ("API server 1.%u, kubelet 1.%u", api.minor, kubelet.minor);

            check_verdict (label, skew_kubelet (&api, &kubelet),
                           cases[i].want[j]);
        }
    }
}

static void
test_kubelet_max_lag (void)
{
    static const struct {
        const char *kubelet;
        guint lag;
    } cases[] = {
        { "1.20", 2 },
        { "1.24", 2 },
        { "1.24.17", 2 },
        { "1.25", 3 },
        { "1.25.0", 3 },
        { "1.31", 3 },
        { "1.35", 3 },
    };

    g_test_summary ("kubelets from 1.25 may lag 3 minors, older ones 2");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KubeVersion k = kv (cases[i].kubelet);

        g_assert_cmpuint (skew_kubelet_max_lag (&k), ==, cases[i].lag);
    }
}

static void
test_kubelet_patches (void)
{
    static const struct {
        const char *api;
        const char *kubelet;
        SkewVerdict want;
    } cases[] = {
        { "1.31.0", "1.31.9", OK },     /* a newer patch is not newer */
        { "1.31.9", "1.31.0", OK },
        { "1.31", "1.28.15", OK },
        { "1.31.2", "1.27.16", OLD },
        { "1.31.0", "1.32.0", NEW },
        { "v1.28.3", "v1.25.0", OK },
        { "v1.27.3", "v1.24.17", OLD },
    };

    g_test_summary ("patch releases never change a verdict");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KubeVersion api = kv (cases[i].api);
        KubeVersion k = kv (cases[i].kubelet);
        g_autofree char *label = g_strdup_printf
            ("API server %s, kubelet %s", cases[i].api, cases[i].kubelet);

        check_verdict (label, skew_kubelet (&api, &k), cases[i].want);
    }
}

/* ---- control plane ------------------------------------------------------ */

static void
test_control_plane (void)
{
    static const struct {
        const char *api;
        const char *component;
        SkewVerdict want;
    } cases[] = {
        { "1.31", "1.33", NEW },
        { "1.31", "1.32", NEW },
        { "1.31", "1.31", OK },
        { "1.31", "1.30", OK },
        { "1.31", "1.29", OLD },
        { "1.31", "1.28", OLD },
        { "1.24", "1.23", OK },
        { "1.24", "1.22", OLD },
        { "1.31.4", "1.30.11", OK },
    };

    g_test_summary ("controller-manager, scheduler and cloud-controller-"
                    "manager: never newer, at most 1 minor older");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KubeVersion api = kv (cases[i].api);
        KubeVersion c = kv (cases[i].component);
        g_autofree char *label = g_strdup_printf
            ("API server %s, component %s", cases[i].api,
             cases[i].component);

        check_verdict (label, skew_control_plane_component (&api, &c),
                       cases[i].want);
    }
}

static void
test_apiservers (void)
{
    static const struct {
        const char *a;
        const char *b;
        gboolean ok;
    } cases[] = {
        { "1.31", "1.31", TRUE },
        { "1.31", "1.30", TRUE },
        { "1.30", "1.31", TRUE },
        { "1.31.0", "1.31.7", TRUE },
        { "1.31", "1.29", FALSE },
        { "1.29", "1.31", FALSE },
        { "1.24", "1.35", FALSE },
    };

    g_test_summary ("HA API servers: newest and oldest within one minor, "
                    "in either order");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KubeVersion a = kv (cases[i].a);
        KubeVersion b = kv (cases[i].b);

        g_assert_cmpint (skew_apiservers_ok (&a, &b), ==, cases[i].ok);
    }
}

/* ---- upgrades ----------------------------------------------------------- */

#define TOO_OLD(v) "[ERROR KubeletVersion]: Kubelet version \"" v "\" is " \
    "lower than kubadm can support. Please upgrade kubelet"
#define TOO_NEW(k, cp) "[ERROR KubeletVersion]: the kubelet version is " \
    "higher than the control plane version. This is not a supported " \
    "version skew and may lead to a malfunctional cluster. Kubelet " \
    "version: \"" k "\" Control plane version: \"" cp "\""

static void
test_upgrade (void)
{
    /* kubelets is NULL-terminated; message NULL means the upgrade may
     * proceed. */
    static const struct {
        const char *from;
        const char *to;
        const char *kubelets[4];
        const char *message;
    } cases[] = {
        { "1.30", "1.31", { "1.30", "1.29", "1.28" }, NULL },
        { "1.30", "1.31", { NULL }, NULL },
        { "1.30.4", "1.31.0", { "1.31.0", "1.30.4" }, NULL },
        { "1.25", "1.26", { "1.24" }, NULL },
        { "1.31", "1.31", { "1.31" },
          "the control plane is already at 1.31" },
        { "1.31.1", "1.31.2", { NULL },
          "the control plane is already at 1.31" },
        { "1.31", "1.30", { "1.30" },
          "downgrading the control plane from 1.31 to 1.30 is not "
          "supported" },
        { "1.30", "1.32", { "1.30" },
          "upgrade one minor version at a time: 1.30 -> 1.31, not "
          "1.30 -> 1.32" },
        { "1.28", "1.31", { "1.27" },
          "upgrade one minor version at a time: 1.28 -> 1.29, not "
          "1.28 -> 1.31" },
        { "1.30", "1.31", { "1.27" }, TOO_OLD ("1.27.0") },
        { "1.30", "1.31", { "1.27.16" }, TOO_OLD ("1.27.16") },
        { "1.26", "1.27", { "1.24" }, TOO_OLD ("1.24.0") },
        { "1.30", "1.31", { "1.32" }, TOO_NEW ("1.32.0", "1.31.0") },
        { "1.30.2", "1.31.5", { "1.32.1" }, TOO_NEW ("1.32.1", "1.31.5") },
        { "1.30", "1.31", { "1.31", "1.27", "1.32" }, TOO_OLD ("1.27.0") },
        { "1.30", "1.31", { "1.28", "1.32", "1.27" },
          TOO_NEW ("1.32.0", "1.31.0") },
    };

    g_test_summary ("control-plane upgrades go one minor up at a time and "
                    "leave no kubelet outside the policy; refusals use "
                    "kubeadm's words and name the first offending kubelet");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KubeVersion from = kv (cases[i].from);
        KubeVersion to = kv (cases[i].to);
        KubeVersion kubelets[G_N_ELEMENTS (cases[i].kubelets)];
        GError *error = NULL;
        guint n = 0;
        gboolean ok;

        for (; cases[i].kubelets[n] != NULL; n++)
            kubelets[n] = kv (cases[i].kubelets[n]);
        ok = skew_check_upgrade (&from, &to, n > 0 ? kubelets : NULL, n,
                                 &error);
        if (cases[i].message == NULL) {
            g_assert_no_error (error);
            g_assert_cmpint (ok, ==, TRUE);
        } else {
            g_assert_cmpint (ok, ==, FALSE);
            check_refused (&error, cases[i].message);
        }
    }
}

static void
test_upgrade_no_error (void)
{
    KubeVersion from = kv ("1.30");
    KubeVersion to = kv ("1.31");
    KubeVersion old = kv ("1.26");

    g_test_summary ("a NULL error still gets the verdict");
    g_assert_cmpint (skew_check_upgrade (&from, &to, &old, 1, NULL), ==,
                     FALSE);
    g_assert_cmpint (skew_check_upgrade (&to, &from, NULL, 0, NULL), ==,
                     FALSE);
    g_assert_cmpint (skew_check_upgrade (&from, &to, NULL, 0, NULL), ==,
                     TRUE);
}

/* ---- sentences ---------------------------------------------------------- */

static void
test_describe (void)
{
    static const struct {
        SkewVerdict v;
        const char *component;
        const char *api;
        const char *version;
        const char *text;
    } cases[] = {
        { OLD, "kubelet", "1.31", "1.27",
          "kubelet 1.27 is 4 minor versions older than the API server "
          "1.31; the policy allows 3" },
        { OLD, "kubelet", "1.24", "1.21",
          "kubelet 1.21 is 3 minor versions older than the API server "
          "1.24; the policy allows 2" },
        { OLD, "kube-proxy", "1.31.2", "1.27.16",
          "kube-proxy 1.27 is 4 minor versions older than the API server "
          "1.31; the policy allows 3" },
        { OLD, "kube-scheduler", "1.31", "1.29",
          "kube-scheduler 1.29 is 2 minor versions older than the API "
          "server 1.31; the policy allows 1" },
        { NEW, "kubelet", "1.31", "1.32",
          "kubelet 1.32 is newer than the API server 1.31; the policy "
          "never allows that" },
        { NEW, "kube-controller-manager", "1.31.0", "1.32.1",
          "kube-controller-manager 1.32 is newer than the API server "
          "1.31; the policy never allows that" },
        { OK, "kubelet", "1.31", "1.30",
          "kubelet 1.30 is within the policy for API server 1.31" },
        { OK, "kubelet", "1.31.2", "1.28.4",
          "kubelet 1.28 is within the policy for API server 1.31" },
    };

    g_test_summary ("one lowercase sentence per verdict, versions as "
                    "MAJOR.MINOR");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KubeVersion api = kv (cases[i].api);
        KubeVersion ver = kv (cases[i].version);
        g_autofree char *text = skew_describe (cases[i].v,
                                               cases[i].component,
                                               &api, &ver);

        g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* ---- Windows ------------------------------------------------------------ */

static void
test_windows_table (void)
{
    /* Facts section 3, with the choices documented in skew.c: 1.14-1.16
     * (Windows GA) take WS2019 only; 1.17 WS2019/SAC 1809; 1.18 adds SAC
     * 1903 and 1909; 1.19-1.34 LTSC 2019 and 2022, and SAC 20H2 up to
     * 1.24; from 1.35 WS2022 and WS2025. */
    static const guint builds[] = {
        14393, 17763, 18362, 18363, 19041, 19042, 20348, 25398, 26100
    };
    static const struct {
        guint minor;
        gboolean want[9];
    } cases[] = {
        /* 1.x  14393 17763 18362 18363 19041 19042 20348 25398 26100 */
        { 13, { NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO } },
        { 14, { NO,  YES, NO,  NO,  NO,  NO,  NO,  NO,  NO } },
        { 16, { NO,  YES, NO,  NO,  NO,  NO,  NO,  NO,  NO } },
        { 17, { NO,  YES, NO,  NO,  NO,  NO,  NO,  NO,  NO } },
        { 18, { NO,  YES, YES, YES, NO,  NO,  NO,  NO,  NO } },
        { 19, { NO,  YES, NO,  NO,  NO,  YES, YES, NO,  NO } },
        { 24, { NO,  YES, NO,  NO,  NO,  YES, YES, NO,  NO } },
        { 25, { NO,  YES, NO,  NO,  NO,  NO,  YES, NO,  NO } },
        { 31, { NO,  YES, NO,  NO,  NO,  NO,  YES, NO,  NO } },
        { 34, { NO,  YES, NO,  NO,  NO,  NO,  YES, NO,  NO } },
        { 35, { NO,  NO,  NO,  NO,  NO,  NO,  YES, NO,  YES } },
        { 36, { NO,  NO,  NO,  NO,  NO,  NO,  YES, NO,  YES } },
    };

    g_test_summary ("supported Windows node builds by Kubernetes release, "
                    "as the table in facts section 3 lists them");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        for (gsize j = 0; j < G_N_ELEMENTS (builds); j++) {
            KubeVersion k = { 1, cases[i].minor, -1 };
            g_autofree char *got = g_strdup_printf
                ("1.%u on %u: %d", k.minor, builds[j],
                 skew_windows_build_supported (&k, builds[j]));
            g_autofree char *want = g_strdup_printf
                ("1.%u on %u: %d", k.minor, builds[j], cases[i].want[j]);

            g_assert_cmpstr (got, ==, want);
        }
    }
}

static void
test_windows_edges (void)
{
    static const struct {
        const char *k8s;
        guint build;
        gboolean want;
    } cases[] = {
        { "1.31.4", 20348, TRUE },      /* patches do not matter */
        { "v1.35.0", 17763, FALSE },
        { "1.31", 0, FALSE },
        { "1.31", 22621, FALSE },       /* Windows 11 client build */
        { "1.99", 26100, TRUE },        /* the last row is open-ended */
    };

    g_test_summary ("patches, unknown builds and releases past the table");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        KubeVersion k = kv (cases[i].k8s);

        g_assert_cmpint (skew_windows_build_supported (&k, cases[i].build),
                         ==, cases[i].want);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/skew/kubelet/table", test_kubelet_table);
    g_test_add_func ("/skew/kubelet/max-lag", test_kubelet_max_lag);
    g_test_add_func ("/skew/kubelet/patches", test_kubelet_patches);
    g_test_add_func ("/skew/control-plane/components", test_control_plane);
    g_test_add_func ("/skew/control-plane/apiservers", test_apiservers);
    g_test_add_func ("/skew/upgrade/table", test_upgrade);
    g_test_add_func ("/skew/upgrade/no-error", test_upgrade_no_error);
    g_test_add_func ("/skew/describe", test_describe);
    g_test_add_func ("/skew/windows/table", test_windows_table);
    g_test_add_func ("/skew/windows/edges", test_windows_edges);
    return g_test_run ();
}
