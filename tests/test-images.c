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
    g_assert_cmpint (m->size, ==, 1490000000 + 441000000);
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
    return g_test_run ();
}
