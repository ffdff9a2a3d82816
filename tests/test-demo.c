/* test-demo.c: every lesson runs to the end non-interactively and shows
 * its key moment: the reason and the message a real cluster prints. */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <gsl/gsl_errno.h>

#include "sim/cmd.h"

static const struct {
    const char *lesson;
    const char *expect[3];
} cases[] = {
    { "wrong-os", { "ImagePullBackOff", "no match for platform in manifest",
                    "nodeSelector kubernetes.io/os: windows" } },
    { "daemonset-taint", { "ImagePullBackOff", "the host runs windows",
                           "os=windows:NoSchedule" } },
    { "taint-no-toleration", { "0/5 nodes are available: 2 node(s) had "
                               "untolerated taint {os: windows}, 3 node(s) "
                               "didn't match Pod's node affinity/selector.",
                               "(TaintToleration): {os: windows} NoSchedule",
                               "Takeaway" } },
    { "upgrade-single-build", { "ImagePullBackOff", "rebuild the image for "
                                "build 10.0.20348", "UpgradeComplete" } },
    { "hyperv-runtimeclass", { "ContainerCreating", "no runtime for "
                               "\"runhcs-wcow-hypervisor\" is configured",
                               "Takeaway" } },
    { "single-manifest", { "CreateContainerError", "(0xc0370101)",
                           "a single manifest" } },
    { "pause-wrong-build", { "FailedCreatePodSandBox", "(0xc0370101)",
                             "ContainerCreating" } },
    { "linux-only-fields", { "FailedCreate", "spec.securityContext.runAsUser:"
                             " Forbidden", "windowsOptions" } },
    { "skew-blocked-upgrade", { "UpgradeRefused", "is lower than kubadm can "
                                "support", "Takeaway" } },
    { "slow-scale-out", { "app-baked-0:Running", "Nothing blocks it",
                          "prepulled_images" } },
};

static void
test_lesson (gconstpointer data)
{
    gsize i = GPOINTER_TO_SIZE (data);

    g_test_summary ("a lesson runs through with --auto and shows its key "
                    "reason, message and fix");
    if (g_test_subprocess ()) {
        char *argv[] = { (char *) "kbsim demo", (char *) cases[i].lesson,
                         (char *) "--auto", (char *) "--plain", NULL };

        exit (cmd_demo (4, argv));
    }
    g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC,
                            G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    for (gsize k = 0; k < G_N_ELEMENTS (cases[i].expect); k++) {
        g_autofree char *pattern = g_strconcat ("*", cases[i].expect[k], "*",
                                                NULL);

        g_test_trap_assert_stdout (pattern);
    }
}

static void
test_list (void)
{
    g_test_summary ("kbsim demo without a lesson lists them all");
    if (g_test_subprocess ()) {
        char *argv[] = { (char *) "kbsim demo", NULL };

        exit (cmd_demo (1, argv));
    }
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *pattern = g_strconcat ("*", cases[i].lesson, "*",
                                                NULL);

        g_test_trap_assert_stdout (pattern);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/demo/list", test_list);
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *path = g_strconcat ("/demo/lesson/", cases[i].lesson,
                                             NULL);

        g_test_add_data_func (path, GSIZE_TO_POINTER (i), test_lesson);
    }
    return g_test_run ();
}
