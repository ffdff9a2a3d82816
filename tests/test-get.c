/* test-get.c: `kbsim get pods|nodes|events` against screens written by
 * hand from the kubectl printers, for tests/data/get/small.yaml.
 *
 * Where each expected cell comes from:
 *  - columns, READY "n/m", STATUS, RESTARTS "7 (4m31s ago)", the wide
 *    columns' "<none>": kubernetes pkg/printers/internalversion/
 *    printers.go, printPod; node STATUS "Ready,SchedulingDisabled" and
 *    ROLES "<none>": printNode and findNodeRoles; events: printEvent
 *    (OBJECT "pod/web-1", kind lowercased);
 *  - AGE "20m", "5m30s", "100m": k8s.io/apimachinery pkg/util/duration/
 *    duration.go, HumanDuration;
 *  - widths: cli-runtime pkg/printers/tabwriter.go (minwidth 6,
 *    padding 3);
 *  - order (etcd's: namespace then name, "web-10" < "web-2") and "No
 *    resources found in default namespace.": kubectl pkg/cmd/get/get.go;
 *  - OS-IMAGE "Windows Server 2022 Datacenter", KERNEL-VERSION
 *    "10.0.20348.2655": pkg/kubelet/winstats/version.go (ProductName,
 *    GetPatchVersion).
 * The scenario: two Linux nodes, linux-1 cordoned at 1m; one Windows
 * Server 2022 node; web (nginx, no nodeSelector: two pods on Windows in
 * ImagePullBackOff), legacy (a 2019 single manifest on the 2022 node:
 * CrashLoopBackOff, restarting every 5 minutes by 20m) and big (64 cpu:
 * Pending).
 */
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tests/support/testutil.h"

static char *scenario;

/* Runs kbsim with argv (NULL-terminated; "@" stands for the scenario);
 * returns the exit status, stdout in *out and stderr in *err (both may be
 * NULL). */
static int
kbsimv (char **out, char **err, const char *const *args)
{
    g_autoptr (GPtrArray) argv = g_ptr_array_new ();

    for (guint i = 0; args[i]; i++)
        g_ptr_array_add (argv, (gpointer) (strcmp (args[i], "@") == 0
                                           ? scenario : args[i]));
    g_ptr_array_add (argv, NULL);
    return testutil_kbsim (NULL, (const char *const *) argv->pdata, out,
                           err);
}

#define kbsim(out, err, ...) \
    kbsimv ((out), (err), (const char *const[]) { __VA_ARGS__ })

/* kubectl get pods at 20m. NAME is 8 wide ("legacy-0") + 3; STATUS 16
 * ("CrashLoopBackOff") + 3; RESTARTS 13 + 3. legacy-0 failed to start 8
 * times (restartCount 7): the first once its 600 MB pull and create were
 * done, then after the container back-off's 10+20+40+80+160+300+300 =
 * 910 s, the last 4m31s before 20m. (It was 4m30s while the image came
 * over a 100 MB/s pipe shared by all nodes, 6 s; the node's own 125 MB/s
 * link takes 4.8 s: 1.2 s sooner.) */
static const char pods_20m[] =
    "NAME       READY   STATUS             RESTARTS        AGE\n"
    "big-0      0/1     Pending            0               20m\n"
    "legacy-0   0/1     CrashLoopBackOff   7 (4m31s ago)   20m\n"
    "web-0      1/1     Running            0               20m\n"
    "web-1      0/1     ImagePullBackOff   0               20m\n"
    "web-2      1/1     Running            0               20m\n"
    "web-3      0/1     ImagePullBackOff   0               20m\n";

/* -o wide -l tier=front: only web has the template label tier; an
 * unscheduled or unready pod still shows the IP its sandbox got. */
static const char web_wide_20m[] =
    "NAME    READY   STATUS             RESTARTS   AGE   IP           NODE"
    "        NOMINATED NODE   READINESS GATES\n"
    "web-0   1/1     Running            0          20m   10.244.0.2   "
    "linux-0     <none>           <none>\n"
    "web-1   0/1     ImagePullBackOff   0          20m   10.244.2.3   "
    "win2022-0   <none>           <none>\n"
    "web-2   1/1     Running            0          20m   10.244.1.4   "
    "linux-1     <none>           <none>\n"
    "web-3   0/1     ImagePullBackOff   0          20m   10.244.2.5   "
    "win2022-0   <none>           <none>\n";

static const char nodes_5m30s[] =
    "NAME        STATUS                     ROLES    AGE     VERSION\n"
    "linux-0     Ready                      <none>   5m30s   v1.31.4\n"
    "linux-1     Ready,SchedulingDisabled   <none>   5m30s   v1.31.4\n"
    "win2022-0   Ready                      <none>   5m30s   v1.30.8\n";

static const char nodes_wide_100m[] =
    "NAME        STATUS                     ROLES    AGE    VERSION   "
    "INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         "
    "KERNEL-VERSION    CONTAINER-RUNTIME\n"
    "linux-0     Ready                      <none>   100m   v1.31.4   "
    "10.0.0.10     <none>        Ubuntu 22.04.5 LTS               "
    "5.15.0-1075-aws   containerd://1.7.22\n"
    "linux-1     Ready,SchedulingDisabled   <none>   100m   v1.31.4   "
    "10.0.0.11     <none>        Ubuntu 22.04.5 LTS               "
    "5.15.0-1075-aws   containerd://1.7.22\n"
    "win2022-0   Ready                      <none>   100m   v1.30.8   "
    "10.0.0.12     <none>        Windows Server 2022 Datacenter   "
    "10.0.20348.2655   containerd://1.7.22\n";

typedef struct {
    const char *path;
    const char *summary;
    const char *const args[12];
    const char *expect;
} Screen;

static const Screen screens[] = {
    { "/get/pods", "pods: Running, ImagePullBackOff, CrashLoopBackOff with "
      "restarts, Pending", { "get", "pods", "@", "--at", "20m", NULL },
      pods_20m },
    { "/get/pods-wide-selector", "-o wide adds IP, NODE, NOMINATED NODE, "
      "READINESS GATES; -l keeps the pods whose labels match",
      { "get", "po", "@", "--at", "20m", "-o", "wide", "-l", "tier=front",
        NULL },
      web_wide_20m },
    { "/get/nodes", "nodes: a cordoned node is Ready,SchedulingDisabled; "
      "AGE 5m30s", { "get", "nodes", "@", "--at", "5m30s", NULL },
      nodes_5m30s },
    { "/get/nodes-wide", "nodes -o wide: OS-IMAGE and KERNEL-VERSION of "
      "Windows from the registry; AGE 100m (minutes up to 3h)",
      { "get", "no", "@", "--at", "100m", "-o", "wide", NULL },
      nodes_wide_100m },
};

static void
test_screen (gconstpointer data)
{
    const Screen *sc = data;
    g_autofree char *out = NULL, *err = NULL;
    int status;

    g_test_summary (sc->summary);
    status = kbsimv (&out, &err, sc->args);
    g_assert_cmpstr (err, ==, "");
    g_assert_cmpint (status, ==, 0);
    g_assert_cmpstr (out, ==, sc->expect);
}

static void
test_events (void)
{
    g_autofree char *out = NULL, *late = NULL;
    g_auto (GStrv) lines = NULL;

    g_test_summary ("events: LAST SEEN TYPE REASON OBJECT MESSAGE; repeats "
                    "folded; listed by object then time; gone after the "
                    "1h --event-ttl");
    g_assert_cmpint (kbsim (&out, NULL, "get", "events", "@", "--at",
                            "20m", NULL), ==, 0);
    lines = g_strsplit (out, "\n", -1);
    g_assert_cmpstr (lines[0], ==, "LAST SEEN   TYPE      REASON           "
                     "    OBJECT              MESSAGE");
    /* big-0's events sort before the ReplicaSet big's ('-' < '.'). */
    g_assert_true (g_str_has_prefix (lines[1], "20m         Warning   "
                                     "FailedScheduling     pod/big-0   "));
    testutil_assert_contains (out, "\n20m         Normal    "
                              "SuccessfulCreate     replicaset/big      "
                              "Created pod: big-0\n");
    testutil_assert_contains (out, "\n19m         Normal    "
                              "NodeNotSchedulable   node/linux-1        "
                              "Node linux-1 status is now: "
                              "NodeNotSchedulable\n");
    testutil_assert_contains (out, "\n4m46s       Warning   Failed         "
                              "      pod/web-1           Error: "
                              "ErrImagePull\n");
    g_assert_cmpint (kbsim (&late, NULL, "get", "ev", "@", "--at",
                            "2h", NULL), ==, 0);
    testutil_assert_lacks (late, "Scheduled");
    testutil_assert_lacks (late, "NodeNotSchedulable");
    testutil_assert_contains (late, "pod/legacy-0");
}

static void
test_events_wide_count (void)
{
    g_autofree char *out = NULL;

    g_test_summary ("events -o wide: COUNT of the folded repeats and NAME "
                    "<object>.<hex UnixNano>");
    g_assert_cmpint (kbsim (&out, NULL, "get", "events", "@", "--at",
                            "20m", "-o", "wide", NULL), ==, 0);
    testutil_assert_contains (out, "LAST SEEN   TYPE      REASON           "
                              "    OBJECT              SUBOBJECT   SOURCE   "
                              "MESSAGE");
    /* 8 failed pulls of web-1 in 20m on the image back-off */
    testutil_assert_contains (out, "Error: ErrImagePull");
    testutil_assert_contains (out, "   19m          8       web-1.17a61017");
}

static void
test_json (void)
{
    g_autofree char *out = NULL;
    g_autoptr (JsonParser) p = json_parser_new ();
    g_autoptr (GError) error = NULL;
    JsonObject *root, *legacy, *meta, *spec;
    JsonArray *items;

    g_test_summary ("-o json: a v1 List, keys sorted, 4-space indent, "
                    "metadata, spec.nodeName, status.containerStatuses");
    g_assert_cmpint (kbsim (&out, NULL, "get", "pods", "@", "--at",
                            "20m", "-o", "json", NULL), ==, 0);
    g_assert_true (g_str_has_prefix (out, "{\n    \"apiVersion\": \"v1\",\n"
                                     "    \"items\": [\n        {\n"
                                     "            \"apiVersion\": \"v1\",\n"));
    g_assert_true (g_str_has_suffix (out, "    \"kind\": \"List\",\n"
                                     "    \"metadata\": {\n"
                                     "        \"resourceVersion\": \"\"\n"
                                     "    }\n}\n"));
    g_assert_true (json_parser_load_from_data (p, out, -1, &error));
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (p));
    items = json_object_get_array_member (root, "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 6);
    legacy = json_array_get_object_element (items, 1);
    meta = json_object_get_object_member (legacy, "metadata");
    spec = json_object_get_object_member (legacy, "spec");
    g_assert_cmpstr (json_object_get_string_member (meta, "name"), ==,
                     "legacy-0");
    g_assert_cmpstr (json_object_get_string_member (spec, "nodeName"), ==,
                     "win2022-0");
    testutil_assert_contains (out, "\"reason\": \"CrashLoopBackOff\"");
    testutil_assert_contains (out, "\"restartCount\": 7");
    testutil_assert_contains (out, "\"reason\": \"ImagePullBackOff\"");
    testutil_assert_contains (out, "\"creationTimestamp\": "
                              "\"2024-01-01T00:00:00Z\"");
    testutil_assert_contains (out, "\"tier\": \"front\"");
}

static void
test_yaml (void)
{
    g_autofree char *out = NULL;

    g_test_summary ("-o yaml: sigs.k8s.io/yaml layout (sorted keys, "
                    "sequences not indented, ambiguous strings quoted)");
    g_assert_cmpint (kbsim (&out, NULL, "get", "nodes", "@", "--at",
                            "20m", "-o", "yaml", NULL), ==, 0);
    g_assert_true (g_str_has_prefix (out, "apiVersion: v1\nitems:\n"
                                     "- apiVersion: v1\n  kind: Node\n"
                                     "  metadata:\n"
                                     "    creationTimestamp: "
                                     "\"2024-01-01T00:00:00Z\"\n"));
    testutil_assert_contains (out, "      cpu: 3920m\n");
    testutil_assert_contains (out, "    unschedulable: true\n");
    testutil_assert_contains (out, "      osImage: Windows Server 2022 "
                              "Datacenter\n");
    g_assert_true (g_str_has_suffix (out, "kind: List\nmetadata:\n"
                                     "  resourceVersion: \"\"\n"));
}

static void
test_deterministic (void)
{
    g_autofree char *a = NULL, *b = NULL;

    g_test_summary ("the same seed prints the same bytes");
    g_assert_cmpint (kbsim (&a, NULL, "get", "events", "@", "--at",
                            "1h", "-o", "wide", NULL), ==, 0);
    g_assert_cmpint (kbsim (&b, NULL, "get", "events", "@", "--at",
                            "1h", "-o", "wide", NULL), ==, 0);
    g_assert_cmpstr (a, ==, b);
}

static void
test_no_resources (void)
{
    g_autofree char *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;

    g_test_summary ("no rows: get.go's \"No resources found\" on stderr, "
                    "exit 0; events carry no labels");
    g_assert_cmpint (kbsim (&out, &err, "get", "pods", "@", "-n",
                            "kube-system", NULL), ==, 0);
    g_assert_cmpstr (out, ==, "");
    g_assert_cmpstr (err, ==, "No resources found in kube-system "
                     "namespace.\n");
    g_assert_cmpint (kbsim (&out2, &err2, "get", "events", "@", "-l",
                            "app=web", NULL), ==, 0);
    g_assert_cmpstr (err2, ==, "No resources found in default "
                     "namespace.\n");
}

typedef struct {
    const char *path;
    const char *const args[8];
    const char *message;
} BadArgs;

static const BadArgs bad_args[] = {
    { "/get/error/resource", { "get", "pdos", "@", NULL },
      "kbsim get: unknown resource 'pdos' (did you mean 'pods'?)\n" },
    { "/get/error/resource-far", { "get", "deployments", "@", NULL },
      "kbsim get: unknown resource 'deployments': use pods, nodes or "
      "events\n" },
    { "/get/error/at", { "get", "pods", "@", "--at", "3h", NULL },
      "kbsim get: --at 3h is past the end of the run (" },
    { "/get/error/selector", { "get", "pods", "@", "-l", "app in web",
                               NULL },
      "kbsim get: -l/--selector: invalid selector 'app in web': expected "
      "'(' after in/notin at 'web'\n" },
    { "/get/error/output", { "get", "pods", "@", "-o", "table", NULL },
      "kbsim get: -o/--output: unknown format 'table' (use wide, json or "
      "yaml)\n" },
};

static void
test_bad_args (gconstpointer data)
{
    const BadArgs *b = data;
    g_autofree char *err = NULL;

    g_test_summary ("usage errors name the flag and exit 2");
    g_assert_cmpint (kbsimv (NULL, &err, b->args), ==, 2);
    testutil_assert_contains (err, b->message);
}

int
main (int argc, char **argv)
{
    int status;

    g_test_init (&argc, &argv, NULL);
    scenario = g_test_build_filename (G_TEST_DIST, "data", "get",
                                      "small.yaml", NULL);
    for (gsize i = 0; i < G_N_ELEMENTS (screens); i++)
        g_test_add_data_func (screens[i].path, &screens[i], test_screen);
    g_test_add_func ("/get/events", test_events);
    g_test_add_func ("/get/events-wide-count", test_events_wide_count);
    g_test_add_func ("/get/json", test_json);
    g_test_add_func ("/get/yaml", test_yaml);
    g_test_add_func ("/get/deterministic", test_deterministic);
    g_test_add_func ("/get/no-resources", test_no_resources);
    for (gsize i = 0; i < G_N_ELEMENTS (bad_args); i++)
        g_test_add_data_func (bad_args[i].path, &bad_args[i], test_bad_args);
    status = g_test_run ();
    g_free (scenario);
    return status;
}
