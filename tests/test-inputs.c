/* test-inputs.c: inputs that once hung or crashed the loader: files that
 * are not regular files, required keys given as null, control characters
 * that reached the terminal, a plain large document called an alias bomb.
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

static const char *control_yaml =
    "name: ctl\nduration: 1h\ncontrol_plane: {version: \"1.31\"}\n"
    "node_pools:\n  - {name: \"%s\", os: linux, count: 1, "
    "instance: m5.xlarge}\n";

/* History: an ESC in a pool name went through to the terminal in every
 * message that named the pool, so a scenario could clear a trainer's
 * screen or retitle the window. Each control character is refused where
 * it stands; tab and newline stay allowed. */
static void
test_control_characters (void)
{
    static const struct {
        const char *name, *code;
    } cases[] = {
        { "a\\eb", "U+001B" },     /* ESC, as a YAML escape */
        { "a\\x07b", "U+0007" },   /* BEL */
        { "a\\x7fb", "U+007F" },   /* DEL */
        { "a\\x9bb", "U+009B" },   /* CSI, a C1 control */
    };

    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *yaml = g_strdup_printf (control_yaml,
                                                 cases[i].name);
        g_autoptr (GError) error = NULL;
        g_autoptr (Scenario) s = scenario_load_data ("c.yaml", yaml,
                                                     strlen (yaml), NULL,
                                                     &error);

        g_assert_null (s);
        /* line 5, column 12: the quoted name after "  - {name: " */
        testutil_assert_contains (error->message, "c.yaml:5:12");
        testutil_assert_contains (error->message, cases[i].code);
        g_assert_null (strchr (error->message, '\033'));
    }
}

/* The same for --set: the value is refused, and the message shows it
 * escaped, so no control character reaches the terminal. */
static void
test_control_in_override (void)
{
    g_autofree char *yaml = g_strdup_printf (control_yaml, "lnx");
    const char *const sets[] = { "duration=2h\033[2J", NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = scenario_load_data ("c.yaml", yaml,
                                                 strlen (yaml), sets,
                                                 &error);

    g_assert_null (s);
    testutil_assert_contains (error->message, "U+001B");
    testutil_assert_contains (error->message, "\\033[2J");
    g_assert_null (strchr (error->message, '\033'));
}

/* History: a document of more than a million plain nodes, with no alias
 * in it, was refused as "an alias bomb?". */
static void
test_large_plain_document (void)
{
    GString *doc = g_string_new ("name: big\nlist: [");

    for (int i = 0; i < 1000001; i++)
        g_string_append (doc, "0,");
    g_string_append (doc, "0]\n");

    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = scenario_load_data ("big.yaml", doc->str,
                                                 doc->len, NULL, &error);

    g_string_free (doc, TRUE);
    g_assert_null (s);
    testutil_assert_contains (error->message, "more than 1000000 nodes");
    g_assert_null (strstr (error->message, "alias"));
}

/* A value longer than 64 KiB is refused with its size, at its place. */
static void
test_long_value (void)
{
    GString *doc = g_string_new ("name: \"");

    for (int i = 0; i < 70000; i++)
        g_string_append_c (doc, 'x');
    g_string_append (doc, "\"\n");

    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = scenario_load_data ("long.yaml", doc->str,
                                                 doc->len, NULL, &error);

    g_string_free (doc, TRUE);
    g_assert_null (s);
    testutil_assert_contains (error->message, "long.yaml:1:7");
    testutil_assert_contains (error->message, "70000 bytes");
    testutil_assert_contains (error->message, "64 KiB");
}

static Scenario *
load_with (const char *yaml, const char *const *sets, GError **error)
{
    return scenario_load_data ("b.yaml", yaml, strlen (yaml), sets, error);
}

/* The bound on a run's memory: a million metric samples.  Expected
 * figures by hand: 12 h at 10 ms is 43,200 s / 0.01 s = 4.32e6 samples,
 * and 43,200 s / 1e6 = 0.0432 s is the finest sample_every inside the
 * limit; 4000 days at 5 m is 4000 * 288 = 1.152e6 samples, and 345,600,000
 * s / 1e6 = 345.6 s.  A long run with sparse samples is allowed: 24,000
 * days is what the Erlang C test needs. */
static void
test_run_bounds (void)
{
    g_autofree char *yaml = g_strdup_printf ("%s%s", control_yaml,
                                             "metrics: {sample_every: 5m}\n");
    g_autofree char *plain = g_strdup_printf (yaml, "lnx");
    const char *const fine[] = { "duration=12h",
                                 "metrics.sample_every=10ms", NULL };
    const char *const edge[] = { "duration=12h",
                                 "metrics.sample_every=0.0432s", NULL };
    const char *const long_run[] = { "duration=4000d", NULL };
    const char *const longest[] = { "duration=24000d",
                                    "metrics.sample_every=1d", NULL };
    g_autoptr (GError) e1 = NULL;
    g_autoptr (GError) e2 = NULL;
    g_autoptr (GError) e3 = NULL;
    g_autoptr (GError) e4 = NULL;
    g_autoptr (Scenario) s1 = load_with (plain, fine, &e1);
    g_autoptr (Scenario) s2 = load_with (plain, edge, &e2);
    g_autoptr (Scenario) s3 = load_with (plain, long_run, &e3);
    g_autoptr (Scenario) s4 = load_with (plain, longest, &e4);

    g_assert_null (s1);
    testutil_assert_contains (e1->message, "4.32e+06 samples");
    testutil_assert_contains (e1->message, "use at least 0.0432 s");
    g_assert_no_error (e2);
    g_assert_nonnull (s2);
    g_assert_null (s3);
    testutil_assert_contains (e3->message, "1.15e+06 samples");
    testutil_assert_contains (e3->message, "use at least 345.6 s");
    g_assert_no_error (e4);
    g_assert_nonnull (s4);
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
    g_test_add_func ("/inputs/control-characters", test_control_characters);
    g_test_add_func ("/inputs/control-in-override",
                     test_control_in_override);
    g_test_add_func ("/inputs/large-plain-document",
                     test_large_plain_document);
    g_test_add_func ("/inputs/long-value", test_long_value);
    g_test_add_func ("/inputs/run-bounds", test_run_bounds);
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
