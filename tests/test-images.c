/* test-images.c: images without a hand-written entry, and images read
 * from registry JSON (images_from).
 *
 * Until issue 17, an image in neither images: nor the catalogue was an
 * error, with a "did you mean" that could name another repository
 * (servercore/iis:latest was told servercore:ltsc2019). Now the loader
 * infers what the reference and its users tell, and says so. Every
 * expected value here is derived by hand: builds from the tag table of
 * facts §1, sizes summed from the layer sizes the catalogue cites (§5.1)
 * or written in the test JSON, and the entry containerd's rule (§2)
 * picks for a 17763 and a 20348 host.
 */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "models/catalog.h"
#include "models/image.h"
#include "models/run.h"
#include "models/metrics.h"
#include "scenarios/scenario.h"
#include "tests/support/testutil.h"

static Scenario *
load_data_file (const char *name)
{
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data",
                                                   "images", name, NULL);
    g_autoptr (GError) error = NULL;
    Scenario *s = scenario_load (path, NULL, &error);

    g_assert_no_error (error);
    g_assert_nonnull (s);
    return s;
}

/* The one entry of s->list whose text contains needle. */
static const char *
find_line (const GPtrArray *list, const char *needle)
{
    const char *found = NULL;

    for (guint i = 0; i < list->len; i++)
        if (strstr (g_ptr_array_index (list, i), needle)) {
            g_assert_null (found);
            found = g_ptr_array_index (list, i);
        }
    g_assert_nonnull (found);
    return found;
}

static const KbManifestSpec *
only_manifest (const Scenario *s, const char *ref)
{
    const KbImageSpec *img = scenario_find_image (s, ref);

    g_assert_nonnull (img);
    g_assert_false (img->from_catalog);
    g_assert_true (img->is_index);
    g_assert_cmpuint (img->manifests->len, ==, 1);
    return g_ptr_array_index (img->manifests, 0);
}

/* ---- what a reference tells -------------------------------------------- */

static void
test_hints (void)
{
    static const struct {
        const char *ref;
        KbOs os;
        guint build;            /* 0: none told */
        gint64 revision;
        CatalogBase base;
        KbArch arch;
    } cases[] = {
        { "mcr.microsoft.com/dotnet/framework/aspnet:"
          "4.8-windowsservercore-ltsc2019", KB_OS_WINDOWS, 17763, -1,
          CATALOG_BASE_SERVERCORE, KB_ARCH_UNKNOWN },
        { "mcr.microsoft.com/windows/servercore:1809", KB_OS_WINDOWS, 17763,
          -1, CATALOG_BASE_SERVERCORE, KB_ARCH_UNKNOWN },
        { "microsoft/iis:windowsservercore-1709", KB_OS_WINDOWS, 16299, -1,
          CATALOG_BASE_SERVERCORE, KB_ARCH_UNKNOWN },
        { "mcr.microsoft.com/windows/nanoserver:ltsc2022", KB_OS_WINDOWS,
          20348, -1, CATALOG_BASE_NANOSERVER, KB_ARCH_UNKNOWN },
        { "contoso/pause:3.10-windows-ltsc2022-amd64", KB_OS_WINDOWS, 20348,
          -1, CATALOG_BASE_UNKNOWN, KB_ARCH_AMD64 },
        { "contoso/app:1.0-nanoserver-20H2", KB_OS_WINDOWS, 19042, -1,
          CATALOG_BASE_NANOSERVER, KB_ARCH_UNKNOWN },
        { "mcr.microsoft.com/windows/servercore:10.0.17763.5458",
          KB_OS_WINDOWS, 17763, 5458, CATALOG_BASE_SERVERCORE,
          KB_ARCH_UNKNOWN },
        { "mcr.microsoft.com/windows/server:ltsc2025", KB_OS_WINDOWS, 26100,
          -1, CATALOG_BASE_SERVER, KB_ARCH_UNKNOWN },
        /* a SAC number alone is no build: a year or a version as well */
        { "contoso/app:1809", KB_OS_UNKNOWN, 0, -1, CATALOG_BASE_UNKNOWN,
          KB_ARCH_UNKNOWN },
        /* Windows by its path, no build */
        { "mcr.microsoft.com/windows/servercore/iis:latest", KB_OS_WINDOWS,
          0, -1, CATALOG_BASE_SERVERCORE, KB_ARCH_UNKNOWN },
        /* two builds named: none assumed */
        { "contoso/app:ltsc2019-ltsc2022", KB_OS_WINDOWS, 0, -1,
          CATALOG_BASE_UNKNOWN, KB_ARCH_UNKNOWN },
        { "nginx:1.27-alpine", KB_OS_LINUX, 0, -1, CATALOG_BASE_ALPINE,
          KB_ARCH_UNKNOWN },
        { "contoso/api:7-bookworm-arm64", KB_OS_LINUX, 0, -1,
          CATALOG_BASE_DEBIAN, KB_ARCH_ARM64 },
        { "contoso/api:7", KB_OS_UNKNOWN, 0, -1, CATALOG_BASE_UNKNOWN,
          KB_ARCH_UNKNOWN },
    };

    g_test_summary ("Windows builds, bases and architectures from tags and "
                    "paths, by the table of facts §1");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        CatalogHints h;

        catalog_reference_hints (cases[i].ref, &h);
        g_test_message ("%s", cases[i].ref);
        g_assert_cmpint (h.os, ==, cases[i].os);
        g_assert_cmpint (h.has_build, ==, cases[i].build != 0);
        if (cases[i].build) {
            g_assert_cmpuint (h.build.build, ==, cases[i].build);
            g_assert_cmpint (h.build.revision, ==, cases[i].revision);
        }
        g_assert_cmpint (h.base, ==, cases[i].base);
        g_assert_cmpint (h.arch, ==, cases[i].arch);
    }
}

/* ---- the aspnet Deployment -------------------------------------------- */

static void
test_aspnet_inferred (void)
{
    g_autoptr (Scenario) s = load_data_file ("aspnet.yaml");
    const char *ref = "mcr.microsoft.com/dotnet/framework/aspnet:"
                      "4.8-windowsservercore-ltsc2019";
    const KbManifestSpec *m = only_manifest (s, ref);
    const char *note = find_line (s->defaults_used, ref);
    const CatalogImage *sc = catalog_image_lookup (
        "mcr.microsoft.com/windows/servercore:ltsc2019");

    g_test_summary ("aspnet:4.8-windowsservercore-ltsc2019 becomes a "
                    "windows/amd64 10.0.17763 index entry with Server Core "
                    "ltsc2019's layers, noted with its file:line:col");
    g_assert_cmpint (m->os, ==, KB_OS_WINDOWS);
    g_assert_cmpint (m->arch, ==, KB_ARCH_AMD64);
    g_assert_true (m->has_os_version);
    g_assert_cmpuint (m->os_version.build, ==, 17763);
    /* base 1.49 GB + update 441 MB (facts §5.1) */
    g_assert_cmpint (m->size, ==, (gint64) 1490000000 + 441000000);
    g_assert_cmpuint (m->layers->len, ==, 2);
    g_assert_cmpstr (((KbLayerSpec *) g_ptr_array_index (m->layers, 0))
                     ->digest, ==, sc->manifests[0].layers[0].digest);
    testutil_assert_contains (note, "aspnet-deploy.yaml:18:18");
    testutil_assert_contains (note, "tag 'ltsc2019'");
    testutil_assert_contains (note, "windows/amd64 10.0.17763");
    g_assert_cmpuint (s->warnings->len, ==, 0);
}

static void
test_aspnet_select (void)
{
    g_autoptr (Scenario) s = load_data_file ("aspnet.yaml");
    const KbImageSpec *img = scenario_find_image (
        s, "mcr.microsoft.com/dotnet/framework/aspnet:"
           "4.8-windowsservercore-ltsc2019");
    WinVersion h2019 = { 10, 0, 17763, 6054 }, h2022 = { 10, 0, 20348, 2700 };

    g_test_summary ("containerd's rule: the 17763 host takes the entry, the "
                    "20348 host finds no match in the index");
    g_assert_cmpint (image_select (img, KB_OS_WINDOWS, KB_ARCH_AMD64, &h2019,
                                   FALSE).verdict, ==, IMAGE_OK);
    g_assert_cmpint (image_select (img, KB_OS_WINDOWS, KB_ARCH_AMD64, &h2022,
                                   FALSE).verdict, ==, IMAGE_NO_MATCH);
}

/* Runs aspnet.yaml with only pool `keep` of the two Windows pools. */
static RunSummary *
run_aspnet_on (const char *keep, Run **run)
{
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data",
                                                   "images", "aspnet.yaml",
                                                   NULL);
    g_autofree char *set = g_strdup_printf ("node_pools.%s.count=0",
                                            strcmp (keep, "win2019") == 0
                                            ? "win2022" : "win2019");
    const char *sets[] = { set, NULL };
    g_autoptr (GError) error = NULL;
    Scenario *s = scenario_load (path, sets, &error);

    g_assert_no_error (error);
    *run = run_new (s, 0, RUN_FLAGS_NONE);
    run_execute (*run);
    return (RunSummary *) run_summary (*run);
}

static void
test_aspnet_runs (void)
{
    Run *run;
    const RunSummary *sum;
    const SummaryReason *r;
    const Scenario *s;

    g_test_summary ("the Deployment runs on a ltsc2019 pool and fails with "
                    "'no match for platform in manifest' on a ltsc2022 pool");
    sum = run_aspnet_on ("win2019", &run);
    g_assert_cmpint (sum->phase[KB_OS_WINDOWS][POD_RUNNING], ==, 2);
    g_assert_cmpuint (sum->reasons->len, ==, 0);
    s = run_scenario (run);
    run_free (run);
    scenario_free ((Scenario *) s);

    sum = run_aspnet_on ("win2022", &run);
    g_assert_cmpint (sum->phase[KB_OS_WINDOWS][POD_RUNNING], ==, 0);
    g_assert_cmpuint (sum->reasons->len, >=, 1);
    r = g_ptr_array_index (sum->reasons, 0);
    g_assert_cmpstr (r->reason, ==, "ErrImagePull");
    testutil_assert_contains (r->example, "no match for platform in "
                              "manifest: not found");
    s = run_scenario (run);
    run_free (run);
    scenario_free ((Scenario *) s);
}

/* ---- other inferences ---------------------------------------------------- */

static void
test_windows_without_build (void)
{
    g_autoptr (Scenario) s = load_data_file ("infer.yaml");
    const char *ref = "mcr.microsoft.com/windows/servercore/iis:latest";
    const KbManifestSpec *m = only_manifest (s, ref);
    const char *warning = find_line (s->warnings, ref);

    g_test_summary ("a Windows image whose build nothing tells matches every "
                    "build, and the warning shows what to declare");
    g_assert_cmpint (m->os, ==, KB_OS_WINDOWS);
    g_assert_false (m->has_os_version);
    /* typical Server Core ltsc2022: 1.49 + 0.69 GB (facts §5.1) */
    g_assert_cmpint (m->size, ==, 2180000000);
    testutil_assert_contains (warning, "/infer.yaml:16:");
    testutil_assert_contains (warning, "cannot judge the build barrier");
    testutil_assert_contains (warning, "os: windows, os_version:");
    testutil_assert_contains (warning, "size:");
    testutil_assert_lacks (warning, "did you mean");
    testutil_assert_lacks (warning, "servercore:ltsc2019");
}

static void
test_os_from_pods (void)
{
    g_autoptr (Scenario) s = load_data_file ("infer.yaml");
    const KbManifestSpec *agent = only_manifest (
        s, "docker.io/contoso/agent:2.1");
    const KbManifestSpec *api = only_manifest (s, "docker.io/contoso/api:7");
    const KbManifestSpec *proxy = only_manifest (
        s, "docker.io/library/nginx:1.27-alpine");

    g_test_summary ("spec.os.name tells the OS; nothing at all is Linux, "
                    "assumed aloud; an alpine tag has alpine's size");
    g_assert_cmpint (agent->os, ==, KB_OS_WINDOWS);
    g_assert_false (agent->has_os_version);
    testutil_assert_contains (find_line (s->defaults_used, "agent:2.1"),
                              "spec.os.name of the pod at ");
    find_line (s->warnings, "contoso/agent:2.1");
    g_assert_cmpint (api->os, ==, KB_OS_LINUX);
    testutil_assert_contains (find_line (s->warnings, "contoso/api:7"),
                              "nothing tells its OS; linux assumed");
    g_assert_cmpint (proxy->os, ==, KB_OS_LINUX);
    g_assert_cmpint (proxy->size, ==, 3800000);     /* alpine:3.22, §5.1 */
    g_assert_cmpuint (s->warnings->len, ==, 3);
}

static void
test_linux_only_cluster (void)
{
    g_autoptr (Scenario) s = load_data_file ("linux-only.yaml");
    const KbManifestSpec *m = only_manifest (s, "docker.io/library/"
                                                "nginx:1.72");
    const char *note = find_line (s->defaults_used, "nginx:1.72");

    g_test_summary ("a mistyped tag loads in a Linux cluster, and the note "
                    "names the catalogued tag of the same repository");
    g_assert_cmpint (m->os, ==, KB_OS_LINUX);
    g_assert_cmpint (m->size, ==, 28200000);    /* debian slim, §5.1 */
    testutil_assert_contains (note, "every node pool runs Linux");
    testutil_assert_contains (note, "docker.io/library/nginx:1.27 has an "
                              "entry");
    g_assert_cmpuint (s->warnings->len, ==, 0);
}

/* ---- images_from: registry JSON ------------------------------------------ */

static const KbManifestSpec *
pick (const KbImageSpec *img, KbOs os, KbArch arch, guint build)
{
    WinVersion host = { 10, 0, build, 1 };
    ImageChoice c = image_select (img, os, arch, &host, FALSE);

    g_assert_cmpint (c.verdict, ==, IMAGE_OK);
    return c.manifest;
}

static const char *
layer_digest (const KbManifestSpec *m, guint i)
{
    return ((KbLayerSpec *) g_ptr_array_index (m->layers, i))->digest;
}

static void
test_registry_index (void)
{
    g_autoptr (Scenario) s = load_data_file ("registry.yaml");
    const KbImageSpec *web = scenario_find_image (
        s, "contoso.azurecr.io/shop/web:1.0");

    g_test_summary ("an OCI index with a Linux entry and two Windows builds: "
                    "sizes summed from its manifests' layers, and the entry "
                    "containerd's rule picks for each host");
    g_assert_nonnull (web);
    g_assert_true (web->is_index);
    /* four entries, the unknown/unknown attestation skipped */
    g_assert_cmpuint (web->manifests->len, ==, 3);
    find_line (s->defaults_used, "1 entry for platforms kbsim does not");
    /* 28.2 MB + 5 MB */
    g_assert_cmpint (pick (web, KB_OS_LINUX, KB_ARCH_AMD64, 0)->size, ==,
                     33200000);
    /* 17763 host: its own build only; 1.49 GB + 441 MB + 12 MB */
    g_assert_cmpint (pick (web, KB_OS_WINDOWS, KB_ARCH_AMD64, 17763)->size,
                     ==, 1943000000);
    /* 20348 host: 20348 only; 1.49 GB + 690 MB + 12 MB */
    g_assert_cmpint (pick (web, KB_OS_WINDOWS, KB_ARCH_AMD64, 20348)->size,
                     ==, 2192000000);
    /* 26100 host: [20348, 26100], the 20348 entry */
    g_assert_cmpuint (pick (web, KB_OS_WINDOWS, KB_ARCH_AMD64, 26100)
                      ->os_version.revision, ==, 2700);
    g_assert_cmpint (image_select (web, KB_OS_LINUX, KB_ARCH_ARM64, NULL,
                                   FALSE).verdict, ==, IMAGE_NO_MATCH);
}

static void
test_registry_single_and_verbose (void)
{
    g_autoptr (Scenario) s = load_data_file ("registry.yaml");
    const KbImageSpec *web = scenario_find_image (
        s, "contoso.azurecr.io/shop/web:1.0");
    const KbImageSpec *agent = scenario_find_image (
        s, "contoso.azurecr.io/tools/agent:2");
    const KbImageSpec *cli = scenario_find_image (s, "docker.io/contoso/"
                                                     "cli:3");
    const KbManifestSpec *a, *w22;
    WinVersion h2019 = { 10, 0, 17763, 1 };

    g_test_summary ("a single manifest takes its platform from its config; "
                    "docker manifest inspect -v names its image in Ref; "
                    "shared layers keep one digest");
    g_assert_nonnull (agent);
    g_assert_false (agent->is_index);
    a = g_ptr_array_index (agent->manifests, 0);
    g_assert_cmpint (a->os, ==, KB_OS_WINDOWS);
    g_assert_cmpuint (a->os_version.build, ==, 20348);
    g_assert_cmpint (a->size, ==, (gint64) 1490000000 + 690000000 + 3000000);
    /* a single manifest is pulled whatever its build, then fails to
     * start (facts §2) */
    g_assert_cmpint (image_select (agent, KB_OS_WINDOWS, KB_ARCH_AMD64,
                                   &h2019, FALSE).verdict, ==,
                     IMAGE_WRONG_BUILD);
    w22 = pick (web, KB_OS_WINDOWS, KB_ARCH_AMD64, 20348);
    g_assert_cmpstr (layer_digest (a, 0), ==, layer_digest (w22, 0));
    g_assert_cmpstr (layer_digest (a, 1), ==, layer_digest (w22, 1));
    g_assert_cmpstr (layer_digest (a, 2), !=, layer_digest (w22, 2));

    g_assert_nonnull (cli);
    g_assert_true (cli->is_index);
    g_assert_cmpint (pick (cli, KB_OS_LINUX, KB_ARCH_AMD64, 0)->size, ==,
                     3800000 + 9000000);
    g_assert_cmpint (pick (cli, KB_OS_LINUX, KB_ARCH_ARM64, 0)->size, ==,
                     3800000 + 8500000);
    g_assert_cmpuint (s->warnings->len, ==, 0);
}

/* Writes s.yaml (scenario) and json as FILE into a new folder, loads it
 * and returns the first error line, the folder's path removed. */
static char *
registry_error (const char *file, const char *json, gssize len,
                const char *extra)
{
    g_autofree char *dir = g_dir_make_tmp ("kbsim-images-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "s.yaml", NULL);
    g_autofree char *jpath = g_build_filename (dir, file, NULL);
    g_autofree char *jdir = g_path_get_dirname (jpath);
    g_autofree char *prefix = g_strconcat (dir, "/", NULL);
    g_autofree char *yaml = g_strdup_printf (
        "name: t\ncontrol_plane: {version: \"1.31\"}\n"
        "node_pools: [{name: l, os: linux, count: 1, instance: m5.xlarge}]\n"
        "images_from: [%s]\n%s", strchr (file, '/') ? "reg/" : file,
        extra ? extra : "");
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = NULL;
    g_auto (GStrv) parts = NULL, lines = NULL;
    g_autofree char *joined = NULL;

    g_assert_cmpint (g_mkdir_with_parents (jdir, 0700), ==, 0);
    g_assert_true (g_file_set_contents (path, yaml, -1, NULL));
    g_assert_true (g_file_set_contents (jpath, json, len, NULL));
    s = scenario_load (path, NULL, &error);
    g_assert_null (s);
    g_assert_nonnull (error);
    parts = g_strsplit (error->message, prefix, -1);
    joined = g_strjoinv ("", parts);
    lines = g_strsplit (joined, "\n", 2);
    g_unlink (jpath);
    g_unlink (path);
    return g_strdup (lines[0]);
}

static void
test_registry_errors (void)
{
    static const char index_head[] =
        "{\"schemaVersion\": 2, \"manifests\": [{\"mediaType\": "
        "\"application/vnd.oci.image.manifest.v1+json\", \"digest\": "
        "\"sha256:00\", \"size\": 10, \"platform\": {\"architecture\": "
        "\"amd64\", \"os\": \"linux\"}}]}";
    static const struct {
        const char *file, *json, *first_error, *extra;
    } cases[] = {
        { "x.json", "{\"schemaVersion\": 2,\n \"manifests\": [,]}",
          "x.json:2:16: Parse error: unexpected character `,', expected "
          "character `]'", NULL },
        { "x.json", "{\"foo\": 1}", "x.json:1:1: not a registry manifest: "
          "expected an OCI image index, a Docker manifest list, an image "
          "manifest, an image config or the output of `docker manifest "
          "inspect -v`", NULL },
        { "x.json", "{\"mediaType\": \"application/vnd.oci.artifact\", "
          "\"manifests\": []}", "x.json:1:1: not a registry manifest "
          "(mediaType 'application/vnd.oci.artifact'): expected an OCI "
          "image index, a Docker manifest list, an image manifest, an image "
          "config or the output of `docker manifest inspect -v`", NULL },
        { "reg/example.com/app/1.json", index_head,
          "reg/example.com/app/1.json: manifests[0]: manifest sha256:00 is "
          "not among the files (add what `crane manifest REF@DIGEST` prints "
          "to the folder, or use `docker manifest inspect -v`, which "
          "includes it)", NULL },
        { "reg/app.json", index_head, "reg/app.json: cannot tell which image "
          "this describes: give it as {name: REF, file: FILE} under "
          "images_from, or place it at "
          "FOLDER/<registry>/<repository>/<tag>.json", NULL },
        { "v.json", "[{\"Ref\": \"docker.io/a/b:1\", \"Descriptor\": "
          "{\"platform\": {\"architecture\": \"amd64\", \"os\": \"linux\"}}, "
          "\"SchemaV2Manifest\": {\"layers\": [{\"digest\": \"sha256:1\", "
          "\"size\": -5}]}}]", "v.json: [0]: layers[0]: a layer needs its "
          "digest (a string) and size (bytes, a non-negative integer)",
          NULL },
        { "v.json", "{\"Ref\": \"docker.io/a/b:1\", \"Descriptor\": "
          "{\"platform\": {\"architecture\": \"amd64\", \"os\": \"linux\"}}, "
          "\"SchemaV2Manifest\": {\"layers\": [{\"digest\": \"sha256:1\", "
          "\"size\": 5}]}}", "v.json: image docker.io/a/b:1 is described "
          "twice (first at s.yaml:6:5)", "images:\n  - name: a/b:1\n"
          "    manifests: [{os: linux, size: 1MB}]\n" },
        { "e.json", "", "e.json:1:1: empty file: expected a registry manifest "
          "(JSON)", NULL },
    };
    g_autoptr (GString) deep = g_string_new (NULL);
    g_autofree char *big = g_malloc0 (5 * 1024 * 1024);
    g_autofree char *msg = NULL;

    g_test_summary ("bad registry JSON names file, line and column where "
                    "json-glib gives them, and the real cause");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *first = registry_error (cases[i].file,
                                                 cases[i].json, -1,
                                                 cases[i].extra);

        g_assert_cmpstr (first, ==, cases[i].first_error);
    }
    for (int i = 0; i < 100; i++)
        g_string_append_c (deep, '[');
    for (int i = 0; i < 100; i++)
        g_string_append_c (deep, ']');
    msg = registry_error ("d.json", deep->str, -1, NULL);
    g_assert_cmpstr (msg, ==, "d.json:1:1: JSON nested 100 levels deep (the "
                     "limit is 32; a manifest needs 4)");
    g_free (msg);
    memset (big, ' ', 5 * 1024 * 1024);
    msg = registry_error ("b.json", big, 5 * 1024 * 1024, NULL);
    g_assert_cmpstr (msg, ==, "b.json:1:1: 5242880 bytes is too large for a "
                     "registry manifest (the limit is 4 MiB; real ones are "
                     "kilobytes)");
}

static void
test_registry_truncated (void)
{
    g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data",
                                                   "images",
                                                   "cli-verbose.json", NULL);
    g_autofree char *data = NULL;
    gsize len;

    g_test_summary ("every truncation of a docker manifest inspect -v file "
                    "is refused with an error, never a crash");
    g_assert_true (g_file_get_contents (path, &data, &len, NULL));
    for (gsize cut = 0; cut + 2 < len; cut += 37) {
        g_autofree char *first = registry_error ("t.json", data,
                                                 (gssize) cut, NULL);

        g_assert_true (g_str_has_prefix (first, "t.json:"));
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/images/hints", test_hints);
    g_test_add_func ("/images/aspnet/inferred", test_aspnet_inferred);
    g_test_add_func ("/images/aspnet/select", test_aspnet_select);
    g_test_add_func ("/images/aspnet/runs", test_aspnet_runs);
    g_test_add_func ("/images/infer/windows-without-build",
                     test_windows_without_build);
    g_test_add_func ("/images/infer/os-from-pods", test_os_from_pods);
    g_test_add_func ("/images/infer/linux-only-cluster",
                     test_linux_only_cluster);
    g_test_add_func ("/images/registry/index", test_registry_index);
    g_test_add_func ("/images/registry/single-and-verbose",
                     test_registry_single_and_verbose);
    g_test_add_func ("/images/registry/errors", test_registry_errors);
    g_test_add_func ("/images/registry/truncated", test_registry_truncated);
    return g_test_run ();
}
