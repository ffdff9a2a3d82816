/* test-scenario.c: the scenario loader on good and bad input.
 *
 * Each bad file under tests/data/bad/ exercises one error class; the table
 * gives the exact first message, with its file:line:col. Hostile inputs
 * (alias bombs, deep nesting, binary, invalid UTF-8, truncated copies of
 * the good files) must end in a clear error, never a crash.
 */
#include <string.h>
#include <sys/resource.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <gsl/gsl_errno.h>

#include "scenarios/scenario.h"
#include "scenarios/ytree.h"
#include "tests/support/testutil.h"

static char *
bad_path (const char *name)
{
    return g_test_build_filename (G_TEST_DIST, "data", "bad", name, NULL);
}

/* Loads a bad file and returns the whole error text, with the directory
 * part of file names removed so the table reads like a user's terminal. */
static char *
load_error (const char *name, const char *const *sets)
{
    g_autofree char *path = bad_path (name);
    g_autofree char *dir = g_path_get_dirname (path);
    g_autofree char *prefix = g_strconcat (dir, "/", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = scenario_load (path, sets, &error);
    g_auto (GStrv) parts = NULL;

    g_assert_null (s);
    g_assert_nonnull (error);
    g_assert_true (error->domain == KB_SCENARIO_ERROR);
    parts = g_strsplit (error->message, prefix, -1);
    return g_strjoinv ("", parts);
}

static void
check_first_error (const char *name, const char *expected)
{
    g_autofree char *text = load_error (name, NULL);
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

    g_assert_cmpstr (lines[0], ==, expected);
}

static void
test_error_classes (void)
{
    static const struct {
        const char *file;
        const char *first_error;
    } cases[] = {
        { "negative-count.yaml", "negative-count.yaml:7:12: count: expected "
          "a non-negative integer, got '-3'" },
        { "unknown-key.yaml", "unknown-key.yaml:10:7: unknown key "
          "'tolerration' in pod template (did you mean 'tolerations'?)" },
        { "windows-control-plane.yaml", "windows-control-plane.yaml:2:21: "
          "control_plane.os: the Kubernetes control plane runs only on Linux; "
          "got 'windows'" },
        { "duplicate-pool.yaml", "duplicate-pool.yaml:5:12: duplicate node "
          "pool name 'linux'" },
        { "undefined-pool.yaml", "undefined-pool.yaml:6:5: node pool "
          "'win2109' is not defined (did you mean 'win2019'?)" },
        { "undefined-registry.yaml", "undefined-registry.yaml:8:5: registry "
          "'mrc' is not defined (did you mean 'mcr'?)" },
        { "undefined-runtime-class.yaml", "undefined-runtime-class.yaml:12:7: "
          "runtime class 'windows-2002' is not defined (did you mean "
          "'windows-2022'?)" },
        { "unknown-os.yaml", "unknown-os.yaml:4:19: os: unknown operating "
          "system 'windwos' (did you mean 'windows'?)" },
        { "unknown-arch.yaml", "unknown-arch.yaml:4:32: arch: unknown "
          "architecture 'x86' (expected amd64, arm64, arm, 386, ppc64le or "
          "s390x)" },
        { "bad-version.yaml", "bad-version.yaml:2:26: control_plane.version: "
          "invalid Kubernetes version '1.x': expected MAJOR.MINOR[.PATCH], "
          "e.g. 1.31 or v1.31.2" },
        { "bad-windows-build.yaml", "bad-windows-build.yaml:4:43: "
          "windows_build: invalid Windows version 'ltsc2021': expected "
          "10.0.BUILD[.REVISION] or a release name (ltsc2016, ltsc2019, "
          "ltsc2022, ltsc2025, 1607, 1709, 1803, 1809, 1903, 1909, 2004, "
          "20H2, 23H2)" },
        { "windows-pool-no-build.yaml", "windows-pool-no-build.yaml:4:5: node "
          "pool 'win': a Windows pool needs windows_build (e.g. ltsc2022 or "
          "10.0.20348): process isolation requires images of the host's "
          "build" },
        { "image-no-manifests.yaml", "image-no-manifests.yaml:7:16: image "
          "'contoso/app:1' has no manifests: give at least one (os, arch, "
          "size or layers)" },
        { "missing-manifest.yaml", "missing-manifest.yaml:6:15: manifest "
          "'no-such-manifests/': no such file or folder" },
        { "repeated-manifest.yaml", "repeated-manifest.yaml:7:15: manifest "
          "'../good/manifests/' is included twice (circular or repeated "
          "reference)" },
        { "alias-bomb.yaml", "alias-bomb.yaml:7:11: the document expands to "
          "more than 1000000 nodes through aliases (an alias bomb?)" },
        { "alias-cycle.yaml", "alias-cycle.yaml:1:8: alias '*a' refers to a "
          "node that contains it (a cycle)" },
        { "alias-undefined.yaml", "alias-undefined.yaml:2:16: alias "
          "'*nowhere' refers to an undefined anchor" },
        { "deep-nesting.yaml", "deep-nesting.yaml:2:79: nesting deeper than "
          "64 levels" },
        { "nested-20.yaml", "nested-20.yaml:1:1: the scenario has no nodes: "
          "give node_pools or a node_list" },
        { "binary.yaml", "binary.yaml:1:1: not valid YAML text: control "
          "characters are not allowed (byte 0x7f)" },
        { "invalid-utf8.yaml", "invalid-utf8.yaml:1:10: not valid YAML text: "
          "incomplete UTF-8 octet sequence" },
        { "empty.yaml", "empty.yaml:1:1: expected a scenario: a mapping with "
          "name, control_plane, node_pools and workloads" },
        { "duplicate-key.yaml", "duplicate-key.yaml:2:1: duplicate key 'name' "
          "(first at line 1, column 1)" },
        { "syntax.yaml", "syntax.yaml:2:1: did not find expected ',' or ']' "
          "while parsing a flow sequence (line 1, column 7)" },
        { "two-documents.yaml", "two-documents.yaml:1:1: a scenario is one "
          "YAML document; this file has several (put Kubernetes objects in a "
          "manifest file and reference it under workloads)" },
    };

    g_test_summary ("each error class gives its exact message at the right "
                    "file:line:col");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
        check_first_error (cases[i].file, cases[i].first_error);
}

static void
test_all_errors_reported (void)
{
    g_autofree char *text = load_error ("many-errors.yaml", NULL);

    g_test_summary ("every error in a file is reported in one run, in "
                    "reading order");
    g_assert_cmpstr (text, ==,
        "many-errors.yaml:2:11: duration: invalid duration '7x': unknown "
        "unit 'x' (use us, ms, s, m, h or d)\n"
        "many-errors.yaml:5:33: count: expected a non-negative integer, got "
        "'-1'\n"
        "many-errors.yaml:6:5: node pool 'w': a Windows pool needs "
        "windows_build (e.g. ltsc2022 or 10.0.20348): process isolation "
        "requires images of the host's build\n"
        "many-errors.yaml:6:48: instance: unknown instance type 'm9.huge' "
        "(see `kbsim validate --instances`, or give cpu, memory and "
        "price_per_hour instead)\n"
        "many-errors.yaml:9:11: kind: unknown workload kind 'Jobb' (did you "
        "mean 'Job'?)\n"
        "many-errors.yaml:10:87: resources.requests.cpu: invalid cpu quantity "
        "'500x': unknown suffix 'x' (use m for millicores, or no suffix for "
        "cores)");
}

static void
test_nested_20 (void)
{
    g_autofree char *text = load_error ("nested-20.yaml", NULL);

    g_test_summary ("a 20-level-deep value where a version belongs is a "
                    "type error at its position");
    testutil_assert_contains (text, "nested-20.yaml:4:5: "
                              "control_plane.version: expected a value, got "
                              "a mapping");
}

static glong
max_rss_kib (void)
{
    struct rusage ru;

    getrusage (RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static void
test_alias_bomb_memory (void)
{
    g_autofree char *path = bad_path ("alias-bomb.yaml");
    g_autofree char *data = NULL;
    g_autoptr (GError) error = NULL;
    gsize len;
    glong before = max_rss_kib ();
    YTree *tree;

    g_test_summary ("an alias bomb (9^9 nodes expanded) fails fast in "
                    "bounded memory");
    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    tree = ytree_load_data (data, len, "bomb", &error);
    g_assert_null (tree);
    g_assert_error (error, KB_YTREE_ERROR, KB_YTREE_ERROR_SYNTAX);
    /* Aliases are shared, not copied: the peak grows by far less than one
     * expanded copy would need (9^8 nodes of at least 64 bytes = 2.7 GB). */
    g_assert_cmpint (max_rss_kib () - before, <, 64 * 1024);
}

static void
test_huge_data (void)
{
    gsize len = YTREE_MAX_BYTES + 1;
    g_autofree char *data = g_malloc (len);
    g_autoptr (GError) error = NULL;

    g_test_summary ("input over the size limit is refused before parsing");
    memset (data, 'a', len);
    g_assert_null (ytree_load_data (data, len, "huge.yaml", &error));
    g_assert_error (error, KB_YTREE_ERROR, KB_YTREE_ERROR_SYNTAX);
    g_assert_cmpstr (error->message, ==, "huge.yaml:1:1: file too large: "
                     "33554433 bytes (the limit is 32 MiB)");
}

static void
test_aliases_shared (void)
{
    static const char doc[] = "a: &x {k: v}\nb: *x\nc: [*x, *x]\n";
    g_autoptr (GError) error = NULL;
    g_autoptr (YTree) tree = ytree_load_data (doc, strlen (doc), "t", &error);
    YNode *root;

    g_test_summary ("an alias is the same node as its anchor, and weights "
                    "count the expansion");
    g_assert_no_error (error);
    root = ytree_document (tree, 0);
    g_assert_true (ynode_get (root, "a") == ynode_get (root, "b"));
    g_assert_true (ynode_item (ynode_get (root, "c"), 1)
                   == ynode_get (root, "a"));
    /* root 1 + 3 keys + a(3) + b(3) + c(1 + 3 + 3) */
    g_assert_cmpuint (root->weight, ==, 17);
    g_assert_cmpuint (ynode_get (root, "a")->line, ==, 1);
    g_assert_cmpuint (ynode_get (root, "a")->col, ==, 4);
}

static void
test_overrides (void)
{
    g_autofree char *demo = g_test_build_filename (G_TEST_DIST, "..",
                                                   "scenarios", "demo.yaml",
                                                   NULL);
    const char *const sets[] = { "node_pools.win2019.count=10",
                                 "duration=2d",
                                 "node_pools.linux-general.labels.team=api",
                                 NULL };
    const char *const bad[] = { "node_pools.win2091.count=3",
                                "node_pools.win2019.count=-4", "nokey", NULL };
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = scenario_load (demo, sets, &error);

    g_test_summary ("--set overrides scalars by path, pools by name, and "
                    "reports bad paths and values");
    g_assert_no_error (error);
    g_assert_cmpint (scenario_find_pool (s, "win2019")->count, ==, 10);
    g_assert_cmpint (s->duration, ==, 2 * SIM_DAY);
    g_assert_cmpstr (kb_labels_get (scenario_find_pool (s, "linux-general")
                                        ->labels, "team"), ==, "api");
    scenario_free (g_steal_pointer (&s));
    s = scenario_load (demo, bad, &error);
    g_assert_null (s);
    g_assert_cmpstr (error->message, ==,
        "--set node_pools.win2091.count: no entry named 'win2091' in that "
        "list\n"
        "--set 'nokey': expected PATH=VALUE, e.g. "
        "node_pools.win2019.count=10\n"
        "--set node_pools.win2019.count:1:32: count: expected a non-negative "
        "integer, got '-4'");
}

/* ---- the good examples ------------------------------------------------------ */

static void
test_demo_model (void)
{
    g_autoptr (Scenario) s = testutil_load_example ("demo.yaml");
    KbPoolSpec *win = scenario_find_pool (s, "win2019");
    KbPoolSpec *lin = scenario_find_pool (s, "linux-general");
    KbWorkloadSpec *iis = scenario_find_workload (s, "iis-frontend");
    KbWorkloadSpec *batch = scenario_find_workload (s, "nightly-batch");
    KbImageSpec *img;
    KbToleration *tol;
    KbTaint *taint;

    g_test_summary ("demo.yaml resolves to the model its text describes");
    g_assert_cmpstr (s->name, ==, "demo");
    g_assert_cmpuint (s->seed, ==, 42);
    g_assert_cmpint (s->duration, ==, 7 * SIM_DAY);
    g_assert_cmpuint (s->control_plane.version.minor, ==, 31);
    g_assert_cmpuint (s->pools->len, ==, 4);
    /* Windows pool: build, kubelet, labels, taint, price. */
    g_assert_cmpint (win->os, ==, KB_OS_WINDOWS);
    g_assert_cmpuint (win->windows_build.build, ==, 17763);
    g_assert_cmpuint (win->kubelet.minor, ==, 30);
    g_assert_cmpstr (kb_labels_get (win->labels, "kubernetes.io/os"), ==,
                     "windows");
    g_assert_cmpstr (kb_labels_get (win->labels,
                                    "node.kubernetes.io/windows-build"), ==,
                     "10.0.17763");
    g_assert_cmpuint (win->taints->len, ==, 1);
    taint = g_ptr_array_index (win->taints, 0);
    g_assert_cmpstr (taint->key, ==, "os");
    g_assert_cmpstr (taint->value, ==, "windows");
    g_assert_cmpint (taint->effect, ==, KB_TAINT_NO_SCHEDULE);
    /* m5.xlarge on Windows: $0.192 + 4 x $0.046 (facts 8). */
    g_assert_cmpfloat_with_epsilon (win->price_per_hour
                                    + win->windows_surcharge_per_hour,
                                    0.376, 1e-9);
    g_assert_cmpfloat (lin->windows_surcharge_per_hour, ==, 0);
    g_assert_cmpint (win->max_pods, ==, 14);
    g_assert_true (win->autoscale.enabled);
    g_assert_cmpint (win->autoscale.max, ==, 20);
    g_assert_cmpint (win->autoscale.provision_delay, ==, 9 * SIM_MINUTE);
    /* The IIS workload: selector, toleration, requests, rolling bounds. */
    g_assert_cmpint (iis->kind, ==, KB_WORKLOAD_DEPLOYMENT);
    g_assert_cmpint (iis->replicas, ==, 16);
    g_assert_cmpint (iis->max_surge, ==, 4);
    g_assert_cmpint (iis->max_unavailable, ==, 0);
    g_assert_cmpstr (kb_labels_get (iis->template->node_selector,
                                    "kubernetes.io/os"), ==, "windows");
    tol = g_ptr_array_index (iis->template->tolerations, 0);
    g_assert_cmpint (tol->op, ==, KB_TOLERATION_EQUAL);
    g_assert_cmpint (tol->effect, ==, KB_TAINT_NO_SCHEDULE);
    g_assert_cmpint (((KbContainerSpec *) g_ptr_array_index (
                         iis->template->containers, 0))->cpu_request, ==, 500);
    g_assert_cmpint (((KbContainerSpec *) g_ptr_array_index (
                         iis->template->containers, 0))->memory_request, ==,
                     G_GINT64_CONSTANT (1) << 30);
    /* The Job's arrivals and duration distribution. */
    g_assert_cmpint (batch->arrivals, ==, KB_ARRIVALS_POISSON);
    g_assert_cmpfloat_with_epsilon (batch->rate, 120.0 / 3600, 1e-12);
    g_assert_cmpint (batch->duration.kind, ==, SIM_DIST_LOGNORMAL);
    g_assert_cmpfloat_with_epsilon (sim_dist_mean (&batch->duration), 1200,
                                    1e-6);
    /* Images: a scenario image with shared layers, catalogue fallbacks. */
    img = scenario_find_image (s, "contoso.azurecr.io/shop/order-api:5.2");
    g_assert_cmpuint (img->manifests->len, ==, 2);
    g_assert_cmpstr (img->registry, ==, "acr");     /* matched by host */
    img = scenario_find_image (s, "docker.io/library/nginx:1.27");
    g_assert_nonnull (img);
    g_assert_true (img->from_catalog);
    g_assert_cmpstr (img->registry, ==, "dockerhub");
    /* Events sorted by time, references resolved. */
    g_assert_cmpuint (s->events->len, ==, 5);
    g_assert_cmpint (((KbEventSpec *) g_ptr_array_index (s->events, 0))
                         ->action, ==, KB_EVENT_UPGRADE_POOL);
    g_assert_cmpint (s->metrics.placement_deadline, ==, 5 * SIM_MINUTE);
}

static void
test_examples_valid (void)
{
    g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..",
                                                  "scenarios", NULL);
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;
    guint n = 0;

    g_test_summary ("every example scenario loads without errors");
    g_assert_nonnull (d);
    while ((name = g_dir_read_name (d)))
        if (g_str_has_suffix (name, ".yaml")) {
            g_autoptr (Scenario) s = testutil_load_example (name);
            g_autofree char *text = scenario_describe (s);

            testutil_assert_contains (text, s->name);
            n++;
        }
    g_assert_cmpuint (n, >=, 4);
}


static KbWorkloadSpec *
workload_at (const Scenario *s, const char *name, KbWorkloadKind kind)
{
    KbWorkloadSpec *w = scenario_find_workload (s, name);

    g_assert_nonnull (w);
    g_assert_cmpint (w->kind, ==, kind);
    return w;
}

static void
test_imported_model (void)
{
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data",
                                                   "good", "imported.yaml",
                                                   NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = scenario_load (path, NULL, &error);
    KbPoolSpec *w19, *w22, *eks;
    KbWorkloadSpec *w;
    KbRuntimeClassSpec *rc;
    KbTaint *t;

    g_test_summary ("a kubectl node list and real manifests become the "
                    "model a cluster would show");
    g_assert_no_error (error);
    g_assert_cmpuint (s->pools->len, ==, 5);
    /* Nodes: OS, build (label + kernelVersion revision), kubelet,
     * allocatable, taints, what is already pulled. */
    w19 = scenario_find_pool (s, "akswin19000000");
    g_assert_true (w19->from_node_list);
    g_assert_cmpint (w19->count, ==, 1);
    g_assert_cmpint (w19->os, ==, KB_OS_WINDOWS);
    g_assert_cmpuint (w19->windows_build.build, ==, 17763);
    g_assert_cmpint (w19->windows_build.revision, ==, 6189);
    g_assert_cmpuint (w19->kubelet.minor, ==, 29);
    g_assert_cmpint (w19->kubelet.patch, ==, 8);
    g_assert_cmpint (w19->cpu, ==, 3860);
    g_assert_cmpint (w19->memory, ==, G_GINT64_CONSTANT (13919342592));
    g_assert_cmpint (w19->max_pods, ==, 30);
    g_assert_cmpuint (w19->taints->len, ==, 1);
    t = g_ptr_array_index (w19->taints, 0);
    g_assert_cmpstr (t->key, ==, "os");
    g_assert_cmpstr (t->value, ==, "windows");
    g_assert_cmpint (t->effect, ==, KB_TAINT_NO_SCHEDULE);
    g_assert_cmpstr (g_ptr_array_index (w19->prepulled, 0), ==,
                     "mcr.microsoft.com/windows/servercore:ltsc2019");
    g_assert_cmpfloat_with_epsilon (w19->windows_surcharge_per_hour, 0.184,
                                    1e-9);
    w22 = scenario_find_pool (s, "akswin22000000");
    g_assert_cmpuint (w22->windows_build.build, ==, 20348);
    g_assert_cmpint (w22->cpu, ==, 7820);
    /* A node with no OS labels: taken from nodeInfo; cordoned, so it has
     * the unschedulable taint; an EKS kubelet version suffix. */
    eks = scenario_find_pool (s, "ip-10-0-3-77.us-west-2.compute.internal");
    g_assert_cmpint (eks->os, ==, KB_OS_WINDOWS);
    g_assert_cmpstr (kb_labels_get (eks->labels,
                                    "node.kubernetes.io/windows-build"), ==,
                     "10.0.20348");
    g_assert_cmpuint (eks->kubelet.minor, ==, 31);
    g_assert_cmpuint (eks->taints->len, ==, 2);
    t = g_ptr_array_index (eks->taints, 1);
    g_assert_cmpstr (t->key, ==, "node.kubernetes.io/unschedulable");
    g_assert_cmpint (eks->max_pods, ==, 14);
    /* Workloads from Deployment, DaemonSet, StatefulSet, Job, CronJob,
     * Pod and List objects. */
    g_assert_cmpuint (s->workloads->len, ==, 10);
    w = workload_at (s, "shop-iis", KB_WORKLOAD_DEPLOYMENT);
    g_assert_cmpint (w->replicas, ==, 4);
    g_assert_cmpint (w->max_surge, ==, 1);
    g_assert_cmpint (w->max_unavailable, ==, 0);
    g_assert_cmpstr (kb_labels_get (w->template->node_selector,
                                    "kubernetes.io/os"), ==, "windows");
    w = workload_at (s, "storefront", KB_WORKLOAD_DEPLOYMENT);
    g_assert_cmpint (w->max_surge, ==, 2);       /* 25% of 6, up */
    g_assert_cmpint (w->max_unavailable, ==, 1); /* 25% of 6, down */
    w = workload_at (s, "log-agent", KB_WORKLOAD_DAEMONSET);
    g_assert_cmpuint (w->template->node_selector->len, ==, 0);
    g_assert_cmpint (((KbToleration *) g_ptr_array_index (
                         w->template->tolerations, 0))->op, ==,
                     KB_TOLERATION_EXISTS);
    w = workload_at (s, "win-agent", KB_WORKLOAD_DAEMONSET);
    g_assert_cmpstr (w->template->runtime_class, ==, "windows-2022");
    w = workload_at (s, "nightly-report", KB_WORKLOAD_CRONJOB);
    g_assert_nonnull (w->cron);
    g_assert_cmpfloat (sim_dist_mean (&w->duration), ==, 1200);
    w = workload_at (s, "db-migrate", KB_WORKLOAD_JOB);
    g_assert_cmpint (w->completions, ==, 3);
    g_assert_cmpint (w->parallelism, ==, 2);
    workload_at (s, "session-cache", KB_WORKLOAD_STATEFULSET);
    workload_at (s, "debug-shell", KB_WORKLOAD_POD);
    workload_at (s, "api-gateway", KB_WORKLOAD_DEPLOYMENT);
    /* RuntimeClass: its scheduling selector and tolerations. */
    rc = scenario_find_runtime_class (s, "windows-2022");
    g_assert_nonnull (rc);
    g_assert_cmpstr (rc->handler, ==, "runhcs-wcow-process");
    g_assert_cmpstr (kb_labels_get (rc->node_selector,
                                    "node.kubernetes.io/windows-build"), ==,
                     "10.0.20348");
    g_assert_cmpuint (rc->tolerations->len, ==, 1);
}

/* ---- crash-proofing ------------------------------------------------------------ */

static void
load_quietly (const char *path)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = scenario_load (path, NULL, &error);

    /* Either a scenario or a positioned error; never both, never neither. */
    if (s == NULL) {
        g_assert_nonnull (error);
        g_assert_cmpuint (strlen (error->message), >, 0);
        g_assert_nonnull (strchr (error->message, ':'));
    } else {
        g_assert_null (error);
    }
}

static void
test_truncated_copies (void)
{
    g_autofree char *demo = g_test_build_filename (G_TEST_DIST, "..",
                                                   "scenarios", "demo.yaml",
                                                   NULL);
    g_autofree char *data = NULL;
    g_autofree char *tmpdir = g_dir_make_tmp ("kbsim-trunc-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (tmpdir, "t.yaml", NULL);
    gsize len;

    g_test_summary ("every truncation of demo.yaml loads or fails cleanly");
    g_assert_true (g_file_get_contents (demo, &data, &len, NULL));
    for (gsize cut = 0; cut < len; cut += 7) {
        g_assert_true (g_file_set_contents (path, data, (gssize) cut, NULL));
        load_quietly (path);
    }
    g_unlink (path);
    g_rmdir (tmpdir);
}

static void
test_bad_files_subprocess (void)
{
    g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "bad",
                                                  NULL);
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    g_test_summary ("each bad file, loaded in a child process, exits "
                    "cleanly with an error");
    if (g_test_subprocess ()) {
        load_quietly (g_getenv ("KBSIM_BAD_FILE"));
        return;
    }
    while ((name = g_dir_read_name (d))) {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_setenv ("KBSIM_BAD_FILE", path, TRUE);
        g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC,
                                G_TEST_SUBPROCESS_DEFAULT);
        g_test_trap_assert_passed ();
    }
}

/* ---- CronJobs and namespaces --------------------------------------------- */

/* Writes scenario (and, when manifest is not NULL, manifest.yaml beside
 * it) into a new folder and loads it: the Scenario, or NULL with *message
 * the error text, file names relative to the folder. */
static Scenario *
load_pair (const char *scenario, const char *manifest, char **message)
{
    g_autofree char *dir = g_dir_make_tmp ("kbsim-cron-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "s.yaml", NULL);
    g_autofree char *mpath = g_build_filename (dir, "manifest.yaml", NULL);
    g_autofree char *prefix = g_strconcat (dir, "/", NULL);
    g_autoptr (GError) error = NULL;
    Scenario *s;

    g_assert_true (g_file_set_contents (path, scenario, -1, NULL));
    if (manifest)
        g_assert_true (g_file_set_contents (mpath, manifest, -1, NULL));
    s = scenario_load (path, NULL, &error);
    if (s == NULL) {
        g_auto (GStrv) parts = g_strsplit (error->message, prefix, -1);

        *message = g_strjoinv ("", parts);
    }
    g_unlink (mpath);
    g_unlink (path);
    g_rmdir (dir);
    return s;
}

#define CRON_CLUSTER \
    "name: c\n" \
    "control_plane: {version: \"1.31\"%s}\n" \
    "node_pools: [{name: lin, os: linux, count: 1, instance: m5.large}]\n" \
    "workloads:\n"

static const char cron_manifest[] =
    "apiVersion: batch/v1\n"
    "kind: CronJob\n"
    "metadata: {name: nightly, namespace: shop,"
    " annotations: {kbsim.io/duration: 5m}}\n"
    "spec:\n"
    "  schedule: \"0 0 1,15 * 1\"\n"
    "  timeZone: America/New_York\n"
    "  concurrencyPolicy: Replace\n"
    "  startingDeadlineSeconds: 30\n"
    "  suspend: true\n"
    "  jobTemplate:\n"
    "    metadata: {annotations: {kbsim.io/duration: 10m}}\n"
    "    spec:\n"
    "      template:\n"
    "        metadata: {annotations: {kbsim.io/duration: 15m}}\n"
    "        spec: {restartPolicy: Never, containers: [{name: a,"
    " image: \"nginx:1.27\"}]}\n";

static void
test_cronjob_fields (void)
{
    g_autofree char *yaml = g_strdup_printf (CRON_CLUSTER
                                             "  - manifest: manifest.yaml\n"
                                             "  - {name: n, kind: CronJob,"
                                             " schedule: '@hourly',"
                                             " duration: 1m, template:"
                                             " {containers: [{name: a,"
                                             " image: \"nginx:1.27\"}]}}\n",
                                             ", time_zone: Asia/Tokyo");
    g_autofree char *err = NULL;
    g_autoptr (Scenario) s = load_pair (yaml, cron_manifest, &err);
    const KbWorkloadSpec *w, *n;

    g_test_summary ("a batch/v1 CronJob's timeZone, concurrencyPolicy, "
                    "startingDeadlineSeconds, suspend, namespace and the "
                    "innermost kbsim.io/duration; a native CronJob takes "
                    "the control plane's time zone");
    g_assert_nonnull (s);
    w = scenario_find_workload (s, "nightly");
    g_assert_nonnull (w);
    g_assert_cmpint (w->kind, ==, KB_WORKLOAD_CRONJOB);
    g_assert_nonnull (w->cron);
    g_assert_cmpstr (w->namespace, ==, "shop");
    g_assert_cmpstr (w->time_zone, ==, "America/New_York");
    g_assert_cmpint (w->concurrency, ==, KB_CONCURRENCY_REPLACE);
    g_assert_cmpint (w->starting_deadline, ==, 30 * SIM_SEC);
    g_assert_true (w->suspend);
    g_assert_cmpfloat (sim_dist_mean (&w->duration), ==, 900);
    n = scenario_find_workload (s, "n");
    g_assert_cmpstr (n->namespace, ==, "default");
    g_assert_null (n->time_zone);
    g_assert_cmpstr (g_time_zone_get_identifier (n->tz), ==, "Asia/Tokyo");
    g_assert_cmpint (n->concurrency, ==, KB_CONCURRENCY_ALLOW);
    g_assert_cmpint (n->starting_deadline, ==, -1);
}

static void
test_cronjob_errors (void)
{
    static const char bad_manifest[] =
        "apiVersion: batch/v1\n"
        "kind: CronJob\n"
        "metadata: {name: bad, namespace: Shop}\n"
        "spec:\n"
        "  schedule: \"0 25 * * *\"\n"
        "  timeZone: Mars/Olympus\n"
        "  concurrencyPolicy: Sometimes\n"
        "  jobTemplate: {spec: {template: {spec: {restartPolicy: Never,"
        " containers: [{name: a, image: \"nginx:1.27\"}]}}}}\n";
    g_autofree char *yaml = g_strdup_printf (
        CRON_CLUSTER
        "  - manifest: manifest.yaml\n"
        "  - name: native\n"
        "    kind: CronJob\n"
        "    duration: 1m\n"
        "    schedule: 0 0 * JAN-FOO *\n"
        "    template: {containers: [{name: a, image: \"nginx:1.27\"}]}\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    schedule: \"@daily\"\n"
        "    template: {containers: [{name: a, image: \"nginx:1.27\"}]}\n"
        "start: 2024-02-30\n", "");
    g_autofree char *err = NULL;
    g_autoptr (Scenario) s = load_pair (yaml, bad_manifest, &err);

    g_test_summary ("schedule errors point at the field at fault, quoted "
                    "or plain; timeZone, concurrencyPolicy, namespace and "
                    "start are checked as the API server checks them");
    g_assert_null (s);
    /* "0 25 * * *" opens at column 13 (its quote), the hour at 13+1+2 */
    testutil_assert_contains (err, "manifest.yaml:5:16: spec.schedule: "
                              "invalid value '0 25 * * *': end of range (25) "
                              "above maximum (23): 25");
    testutil_assert_contains (err, "manifest.yaml:6:13: spec.timeZone: "
                              "invalid value 'Mars/Olympus': unknown time "
                              "zone Mars/Olympus");
    testutil_assert_contains (err, "manifest.yaml:7:22: spec.concurrencyPolicy"
                              ": Unsupported value: \"Sometimes\": supported "
                              "values: \"Allow\", \"Forbid\", \"Replace\"");
    testutil_assert_contains (err, "manifest.yaml:3:34: metadata.namespace: "
                              "invalid value 'Shop'");
    /* plain "0 0 * JAN-FOO *" at column 15; FOO at 15 + 6 + 4 */
    testutil_assert_contains (err, "s.yaml:9:25: schedule: invalid value "
                              "'0 0 * JAN-FOO *': failed to parse int from "
                              "FOO: strconv.Atoi: parsing \"FOO\": invalid "
                              "syntax");
    testutil_assert_contains (err, "s.yaml:13:15: schedule: only a CronJob "
                              "takes it; 'web' is a Deployment");
    testutil_assert_contains (err, "s.yaml:15:8: start: 2024-02-30 is not a "
                              "date");
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    gsl_set_error_handler_off ();
    g_test_add_func ("/scenario/errors/classes", test_error_classes);
    g_test_add_func ("/scenario/errors/all-reported",
                     test_all_errors_reported);
    g_test_add_func ("/scenario/errors/nested-20", test_nested_20);
    g_test_add_func ("/scenario/hostile/alias-bomb-memory",
                     test_alias_bomb_memory);
    g_test_add_func ("/scenario/hostile/huge", test_huge_data);
    g_test_add_func ("/scenario/hostile/truncated", test_truncated_copies);
    g_test_add_func ("/scenario/hostile/bad-files",
                     test_bad_files_subprocess);
    g_test_add_func ("/scenario/ytree/aliases-shared", test_aliases_shared);
    g_test_add_func ("/scenario/overrides", test_overrides);
    g_test_add_func ("/scenario/demo/model", test_demo_model);
    g_test_add_func ("/scenario/examples/valid", test_examples_valid);
    g_test_add_func ("/scenario/imported/model", test_imported_model);
    g_test_add_func ("/scenario/cronjob/fields", test_cronjob_fields);
    g_test_add_func ("/scenario/cronjob/errors", test_cronjob_errors);
    return g_test_run ();
}
