/* test-inputs.c: inputs that once hung or crashed the loader: files that
 * are not regular files, required keys given as null.
 *
 * History: a FIFO given as a scenario or manifest blocked the loader
 * forever, and /dev/zero or /dev/urandom was read until memory ran out,
 * because the 32 MiB limit was applied only to regular files. Each case
 * runs in a subprocess with a 2 s limit, so a hang fails the test. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "scenarios/scenario.h"
#include "tests/support/testutil.h"

static const char *scenario_with_manifest =
    "name: inputs\n"
    "duration: 1h\n"
    "control_plane: {version: \"1.31\"}\n"
    "node_pools:\n"
    "  - {name: lnx, os: linux, count: 1, instance: m5.xlarge}\n"
    "workloads:\n"
    "  - manifest: %s\n";

/* Loads path in a subprocess (with 2 s to do it) and checks that it fails
 * with a message holding want. */
static void
check_refused (const char *path, const char *want)
{
    if (g_test_subprocess ()) {
        g_autoptr (GError) error = NULL;
        g_autoptr (Scenario) s = scenario_load (path, NULL, &error);

        g_assert_null (s);
        g_assert_error (error, KB_SCENARIO_ERROR, KB_SCENARIO_ERROR_IO);
        g_printerr ("%s\n", error->message);
        return;
    }
    g_test_trap_subprocess (NULL, 2 * G_USEC_PER_SEC,
                            G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    g_test_trap_assert_stderr (want);
}

static char *fifo_dir;

static const char *
fifo_path (void)
{
    static char *path;

    if (path == NULL) {
        fifo_dir = g_dir_make_tmp ("kbsim-inputs-XXXXXX", NULL);
        path = g_build_filename (fifo_dir, "pipe.yaml", NULL);
        g_assert_cmpint (mkfifo (path, 0600), ==, 0);
    }
    return path;
}

static void
test_fifo_scenario (void)
{
    g_test_summary ("a FIFO as the scenario is refused without waiting for "
                    "a writer");
    check_refused (fifo_path (), "*pipe.yaml: not a regular file (a FIFO, "
                   "socket or device)*");
}

static void
test_dev_zero_scenario (void)
{
    g_test_summary ("/dev/zero as the scenario is refused, not read until "
                    "memory runs out");
    check_refused ("/dev/zero", "/dev/zero: not a regular file*");
}

static void
test_device_manifest (void)
{
    const char *devices[] = { "/dev/zero", "/dev/urandom", NULL };

    g_test_summary ("a device named as a manifest is refused, naming the "
                    "device");
    for (guint i = 0; devices[i]; i++) {
        g_autofree char *yaml = g_strdup_printf (scenario_with_manifest,
                                                 devices[i]);
        g_autofree char *dir = g_dir_make_tmp ("kbsim-inputs-XXXXXX", NULL);
        g_autofree char *path = g_build_filename (dir, "s.yaml", NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (Scenario) s = NULL;

        g_assert_true (g_file_set_contents (path, yaml, -1, NULL));
        s = scenario_load (path, NULL, &error);
        g_assert_null (s);
        testutil_assert_contains (error->message, "not a regular file");
        testutil_assert_contains (error->message, devices[i]);
        g_unlink (path);
        g_rmdir (dir);
    }
}

static void
test_fifo_manifest (void)
{
    if (g_test_subprocess ()) {
        g_autofree char *yaml = g_strdup_printf (scenario_with_manifest,
                                                 fifo_path ());
        g_autofree char *path = g_build_filename (fifo_dir, "s.yaml", NULL);
        g_autoptr (GError) error = NULL;
        g_autoptr (Scenario) s = NULL;

        g_assert_true (g_file_set_contents (path, yaml, -1, NULL));
        s = scenario_load (path, NULL, &error);
        g_assert_null (s);
        g_printerr ("%s\n", error->message);
        return;
    }
    g_test_summary ("a FIFO named as a manifest is refused at once");
    g_test_trap_subprocess (NULL, 2 * G_USEC_PER_SEC,
                            G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed ();
    g_test_trap_assert_stderr ("*s.yaml:7:*pipe.yaml: not a regular file*");
}

/* History: a required event key given as a YAML null counted as present
 * for the check, then read as unset, and `kbsim run` died with SIGSEGV
 * (set_replicas) or misbehaved silently. */
static void
test_null_required_keys (void)
{
    static const struct {
        const char *event, *message;
    } cases[] = {
        { "{at: 10m, action: set_replicas, workload: web, replicas: ~}",
          "set_replicas: missing replicas, and it is required" },
        { "{at: 10m, action: scale_pool, pool: lnx, count: null}",
          "scale_pool: missing count, and it is required" },
        { "{at: 10m, action: rollout, workload: web, image: ~}",
          "rollout: missing image, and it is required" },
        { "{at: 10m, action: upgrade_control_plane, version: ~}",
          "upgrade_control_plane: missing version, and it is required" },
        { "{at: 10m, action: upgrade_pool, pool: lnx, kubelet: ~}",
          "upgrade_pool: give windows_build, kubelet or both" },
    };

    g_test_summary ("a required event key that is null is missing");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *yaml = g_strdup_printf (
            "name: nulls\nduration: 2h\ncontrol_plane: {version: \"1.31\"}\n"
            "node_pools:\n  - {name: lnx, os: linux, count: 2, instance: "
            "m5.xlarge}\nworkloads:\n  - name: web\n    kind: Deployment\n"
            "    replicas: 2\n    template:\n      containers: [{name: w, "
            "image: nginx:1.27}]\nevents:\n  - %s\n", cases[i].event);
        g_autoptr (GError) error = NULL;
        g_autoptr (Scenario) s = scenario_load_data ("s.yaml", yaml,
                                                     strlen (yaml), NULL,
                                                     &error);

        g_assert_null (s);
        testutil_assert_contains (error->message, "s.yaml:13:");
        testutil_assert_contains (error->message, cases[i].message);
    }
}

int
main (int argc, char **argv)
{
    int status;

    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/inputs/fifo-scenario", test_fifo_scenario);
    g_test_add_func ("/inputs/dev-zero-scenario", test_dev_zero_scenario);
    g_test_add_func ("/inputs/device-manifest", test_device_manifest);
    g_test_add_func ("/inputs/fifo-manifest", test_fifo_manifest);
    g_test_add_func ("/inputs/null-required-keys", test_null_required_keys);
    status = g_test_run ();
    if (fifo_dir != NULL) {
        g_autofree char *p = g_build_filename (fifo_dir, "pipe.yaml", NULL);
        g_autofree char *s = g_build_filename (fifo_dir, "s.yaml", NULL);

        g_unlink (p);
        g_unlink (s);
        g_rmdir (fifo_dir);
    }
    return status;
}
