/* test-demo.c: every lesson runs to the end non-interactively and shows
 * its key moment: the reason and the message a real cluster prints. */
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "cmd/cmd.h"
#include "tests/support/testutil.h"

/* Every expected string comes from the simulation (events, the node
 * listing, explain's Reason and Fix), never from the lesson's own
 * narration, so a lesson whose scenario stops failing fails its test. */
static const struct {
    const char *lesson;
    const char *expect[3];
    const char *absent;             /* must not appear, or NULL */
} cases[] = {
    { "wrong-os", { "iis-1:ImagePullBackOff", "no match for platform in "
                    "manifest", "Fix: send the pod to windows nodes" },
      "iis-1:Running" },
    { "daemonset-taint", { "log-agent-2:ImagePullBackOff", "the host runs "
                           "windows", "Fix: keep the pod off Windows nodes" },
      "log-agent-2:Running" },
    { "taint-no-toleration", { "0/5 nodes are available: 2 node(s) had "
                               "untolerated taint {os: windows}, 3 node(s) "
                               "didn't match Pod's node affinity/selector.",
                               "(TaintToleration): {os: windows} NoSchedule",
                               "Fix: give the pod a toleration" },
      "iis-0:Running" },
    { "upgrade-single-build", { "shop-3:ImagePullBackOff", "Fix: rebuild the "
                                "image for build 10.0.20348",
                                "UpgradeComplete" }, NULL },
    { "hyperv-runtimeclass", { "legacy-0:ContainerCreating", "no runtime for "
                               "\"runhcs-wcow-hypervisor\" is configured",
                               "Fix: drop runtimeClassName" },
      "legacy-0:Running" },
    { "single-manifest", { "legacy-1:CrashLoopBackOff", "legacy-0:"
                           "Running", "Error: failed to create containerd "
                           "task: failed to create shim task: "
                           "hcs::CreateComputeSystem " },
      "legacy-1:Running" },
    { "pause-wrong-build", { "web-0:ContainerCreating", "Warning "
                             "FailedCreatePodSandBox", "Fix: configure the "
                             "node's runtime with a pause image" },
      "web-0:Running" },
    { "linux-only-fields", { "Warning FailedCreate  ", "spec.securityContext"
                             ".runAsUser: Forbidden", "spec.containers[0]."
                             "securityContext.privileged: Forbidden" },
      " ported-0:" },
    { "skew-blocked-upgrade", { "Warning UpgradeRefused", "is lower than "
                                "kubadm can support", "Kubelet:      1.27 "
                                "(control plane 1.30)" },
      "(control plane 1.31)" },
    { "windows-control-plane", { "windows-control-plane.yaml:12:38: "
                                 "control_plane.os: the Kubernetes control "
                                 "plane runs only on Linux; got 'windows'",
                                 "$ kbsim validate ", "Takeaway: " },
      "Events:" },
    { "slow-scale-out", { "app-cold-2:ContainerCreating", "app-baked-5:"
                          "Running", "app-cold-4:Running" },
      "app-baked-5:ContainerCreating" },
    { "desktop-linux-daemon", { "frontend       Error     no matching "
                                "manifest for linux/amd64 in the manifest "
                                "list entries", "api            Started",
                                "Ports to forward between the kernels: "
                                "5000 (api, for frontend)" },
      "frontend       Started" },
    { "desktop-windows-daemon", { "cache          Error     no matching "
                                  "manifest for windows/amd64 10.0.22631 in "
                                  "the manifest list entries",
                                  "dependency failed to start: cache",
                                  "dependency failed to start: api" },
      "Started" },
    { "desktop-platform-flag", { "frontend       Error     image operating "
                                 "system \"windows\" cannot be used on this "
                                 "platform", "the windows entry was pulled "
                                 "because the service asks for it",
                                 "api            Started" },
      "frontend       Started" },
    { "desktop-side-by-side", { "frontend       Started", "# on WSL "
                                "distribution Ubuntu", "Every service "
                                "started as configured." },
      "Error" },
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
    if (cases[i].absent) {
        g_autofree char *pattern = g_strconcat ("*", cases[i].absent, "*",
                                                NULL);

        g_test_trap_assert_stdout_unmatched (pattern);
    }
}

static void
test_list (void)
{
    g_autoptr (GString) in_order = g_string_new ("*\n");

    g_test_summary ("kbsim demo without a lesson lists them all, in the "
                    "order of their lesson blocks");
    if (g_test_subprocess ()) {
        char *argv[] = { (char *) "kbsim demo", NULL };

        exit (cmd_demo (1, argv));
    }
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    /* cases[] is in the list's order: one line per lesson, its name
     * first. */
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        g_string_append_printf (in_order, "  %s *\n", cases[i].lesson);
    g_test_trap_assert_stdout (in_order->str);
    g_test_trap_assert_stdout ("*\n  wrong-os               A Windows pod "
                               "with no nodeSelector\n*");
}

/* A lesson block with a mistake stops the demo with the mistake's
 * position, as a scenario's would. */
static void
test_bad_lesson (void)
{
    g_test_summary ("a bad lesson block is an input error with "
                    "file:line:col");
    if (g_test_subprocess ()) {
        g_autoptr (GError) error = NULL;
        g_autofree char *dir = g_dir_make_tmp (NULL, &error);
        g_autofree char *lessons = g_build_filename (dir, "lessons", NULL);
        g_autofree char *file = g_build_filename (lessons, "broken.yaml",
                                                  NULL);
        char *argv[] = { (char *) "kbsim demo", NULL };
        int rc;

        g_assert_no_error (error);
        g_assert_cmpint (g_mkdir (lessons, 0700), ==, 0);
        g_assert_true (g_file_set_contents (file, "name: broken\n"
                                            "lesson: {order: 1, title: T}\n",
                                            -1, &error));
        g_setenv ("KBSIM_DATADIR", dir, TRUE);
        rc = cmd_demo (1, argv);
        g_unlink (file);
        g_rmdir (lessons);
        g_rmdir (dir);
        exit (rc);
    }
    g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_failed ();
    g_test_trap_assert_stdout_unmatched ("*Lessons*");
    g_test_trap_assert_stderr ("*/lessons/broken.yaml:2:9: lesson.intro: "
                               "missing, and it is required\n*");
}

/* $KBSIM_DATADIR wins over the built-in places: a copy of a lesson there,
 * with its moment's state changed, is the one that runs. */
static void
test_datadir (void)
{
    g_test_summary ("lessons are read from $KBSIM_DATADIR when it is set");
    if (g_test_subprocess ()) {
        g_autoptr (GError) error = NULL;
        g_autofree char *dir = g_dir_make_tmp ("kbsim-datadir-XXXXXX",
                                               &error);
        g_autofree char *lessons = g_build_filename (dir, "lessons", NULL);
        g_autofree char *file = g_build_filename (lessons, "wrong-os.yaml",
                                                  NULL);
        g_autofree char *text = NULL;
        char *argv[] = { (char *) "kbsim demo", (char *) "wrong-os",
                         (char *) "--auto", (char *) "--plain", NULL };
        int rc;

        g_assert_no_error (error);
        g_assert_true (g_file_get_contents (KBSIM_DATADIR
                                            "/lessons/wrong-os.yaml", &text,
                                            NULL, &error));
        g_assert_cmpint (g_mkdir (lessons, 0700), ==, 0);
        /* Give the Windows pods a nodeSelector: nothing goes wrong. */
        testutil_assert_contains (text, "    template:\n");
        {
            g_auto (GStrv) parts = g_strsplit (text, "    template:\n", 2);
            g_autofree char *fixed = g_strconcat (
                parts[0], "    template:\n      nodeSelector: "
                "{kubernetes.io/os: windows}\n", parts[1], NULL);

            g_assert_true (g_file_set_contents (file, fixed, -1, &error));
        }
        g_setenv ("KBSIM_DATADIR", dir, TRUE);
        rc = cmd_demo (4, argv);
        g_unlink (file);
        g_rmdir (lessons);
        g_rmdir (dir);
        exit (rc);
    }
    g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC,
                            G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    g_test_trap_assert_stdout ("*kbsim-datadir-*/lessons/wrong-os.yaml*");
    g_test_trap_assert_stdout_unmatched ("*ImagePullBackOff*");
}


/* --report writes a handout: a cluster lesson with its moments and
 * charts, a desktop lesson, and a lesson whose scenario is refused. */
static void
test_handouts (void)
{
    const struct {
        const char *lesson;
        const char *expect[3];
    } hs[] = {
        { "wrong-os", { "A Windows pod with no nodeSelector", "At 00:00:30",
                        "Windows pods by state" } },
        { "desktop-platform-flag", { "platform: windows/amd64 on the Linux "
                                     "daemon", "cannot be used on this "
                                     "platform", "Appendix: the scenario" } },
        { "windows-control-plane", { "A control plane that cannot be "
                                     "Windows", "control plane runs only on "
                                     "Linux", "Takeaway:" } },
    };
    g_autofree char *dir = NULL;

    g_test_summary ("demo --report writes a PDF handout with the lesson's "
                    "story and charts");
    if (g_test_subprocess ()) {
        char *argv[] = { (char *) "kbsim demo",
                         (char *) g_getenv ("KBSIM_HANDOUT_LESSON"),
                         (char *) "--auto", (char *) "--plain",
                         (char *) "--report",
                         (char *) g_getenv ("KBSIM_HANDOUT_PDF"), NULL };
        int rc = cmd_demo (6, argv);

        testutil_release_fonts ();      /* the handout drew text */
        exit (rc);
    }
    dir = g_dir_make_tmp ("kbsim-handout-XXXXXX", NULL);
    for (gsize i = 0; i < G_N_ELEMENTS (hs); i++) {
        g_autofree char *pdf = g_strdup_printf ("%s/%s.pdf", dir,
                                                hs[i].lesson);
        g_autofree char *text = NULL;

        g_setenv ("KBSIM_HANDOUT_LESSON", hs[i].lesson, TRUE);
        g_setenv ("KBSIM_HANDOUT_PDF", pdf, TRUE);
        g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC,
                                G_TEST_SUBPROCESS_INHERIT_STDERR);
        g_test_trap_assert_passed ();
        g_test_trap_assert_stdout ("*Handout: *");
        g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
        text = testutil_pdf_words (pdf);
        if (text != NULL) {     /* else skipped: no pdftotext */
            for (gsize k = 0; k < G_N_ELEMENTS (hs[i].expect); k++) {
                g_test_message ("%s: %s", hs[i].lesson, hs[i].expect[k]);
                testutil_assert_contains (text, hs[i].expect[k]);
            }
            /* the appendix shows the scenario, not the narration */
            testutil_assert_lacks (text, "lesson: order:");
        }
        g_unlink (pdf);
    }
    g_rmdir (dir);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/demo/list", test_list);
    g_test_add_func ("/demo/datadir", test_datadir);
    g_test_add_func ("/demo/bad-lesson", test_bad_lesson);
    g_test_add_func ("/demo/handouts", test_handouts);
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *path = g_strconcat ("/demo/lesson/", cases[i].lesson,
                                             NULL);

        g_test_add_data_func (path, GSIZE_TO_POINTER (i), test_lesson);
    }
    return g_test_run ();
}
