/* test-catalog.c: the built-in instance and image catalogues, and image
 * reference normalisation. */
#include <string.h>

#include <glib.h>

#include "models/catalog.h"

/* ---- instances ---------------------------------------------------------- */

static void
test_instance_lookup (void)
{
    static const struct {
        const char *name;
        const char *provider;
        guint vcpu;
        double memory_gib;
        guint max_pods_linux;
        guint max_pods_windows;
    } cases[] = {
        { "m5.large", "aws", 2, 8.0, 29, 9 },
        { "m5.xlarge", "aws", 4, 16.0, 58, 14 },
        { "M5.XLarge", "aws", 4, 16.0, 58, 14 },
        { "m5.4xlarge", "aws", 16, 64.0, 234, 29 },
        { "m6i.24xlarge", "aws", 96, 384.0, 737, 49 },
        { "c5.9xlarge", "aws", 36, 72.0, 234, 29 },
        { "r5.large", "aws", 2, 16.0, 29, 9 },
        { "Standard_D4s_v5", "azure", 4, 16.0, 30, 30 },
        { "standard_d4s_v5", "azure", 4, 16.0, 30, 30 },
        { "STANDARD_D96S_V5", "azure", 96, 384.0, 30, 30 },
        { "Standard_E20s_v5", "azure", 20, 160.0, 30, 30 },
        { "standard_e96s_v5", "azure", 96, 672.0, 30, 30 },
    };

    g_test_summary ("instances are found by name, ignoring case");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        const CatalogInstance *inst = catalog_instance_lookup (cases[i].name);

        g_assert_nonnull (inst);
        g_assert_cmpint (g_ascii_strcasecmp (inst->name, cases[i].name),
                         ==, 0);
        g_assert_cmpstr (inst->provider, ==, cases[i].provider);
        g_assert_cmpuint (inst->vcpu, ==, cases[i].vcpu);
        g_assert_cmpfloat_with_epsilon (inst->memory_gib,
                                        cases[i].memory_gib, 1e-9);
        g_assert_cmpuint (inst->max_pods_linux, ==, cases[i].max_pods_linux);
        g_assert_cmpuint (inst->max_pods_windows, ==,
                          cases[i].max_pods_windows);
    }
}

static void
test_instance_unknown (void)
{
    static const char *const names[] = {
        "", "m5", "m5.xlarg", "m5.xlarge ", "c5.8xlarge", "c5.16xlarge",
        "Standard_D4s_v4", "Standard_D4_v5", "t3.micro",
    };

    g_test_summary ("unknown instance names give NULL");
    for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
        g_assert_null (catalog_instance_lookup (names[i]));
}

static void
test_instance_all_valid (void)
{
    gsize n = 0;
    const CatalogInstance *all = catalog_instances (&n);

    g_test_summary ("every instance has resources, pod capacity, prices, "
                    "and a name unique ignoring case");
    g_assert_cmpuint (n, >=, 48);
    for (gsize i = 0; i < n; i++) {
        const CatalogInstance *inst = &all[i];

        g_assert_nonnull (inst->name);
        g_assert_true (strcmp (inst->provider, "aws") == 0
                       || strcmp (inst->provider, "azure") == 0);
        g_assert_cmpuint (inst->vcpu, >, 0);
        g_assert_cmpfloat (inst->memory_gib, >, 0.0);
        g_assert_cmpuint (inst->max_pods_linux, >, 0);
        g_assert_cmpuint (inst->max_pods_windows, >, 0);
        g_assert_cmpuint (inst->max_pods_windows, <=, inst->max_pods_linux);
        g_assert_cmpfloat (inst->linux_per_hour, >, 0.0);
        g_assert_cmpfloat (inst->windows_surcharge_per_vcpu_hour, >, 0.0);
        /* The lookup finds this very row, so no other row shadows it. */
        g_assert_true (catalog_instance_lookup (inst->name) == inst);
    }
}

static void
test_instance_windows_price (void)
{
    const CatalogInstance *inst = catalog_instance_lookup ("m5.xlarge");
    double windows;

    g_test_summary ("m5.xlarge on Windows costs $0.376/h, the reference's "
                    "derived figure (section 8)");
    g_assert_nonnull (inst);
    g_assert_cmpfloat_with_epsilon (inst->linux_per_hour, 0.192, 1e-9);
    g_assert_cmpfloat_with_epsilon (inst->windows_surcharge_per_vcpu_hour,
                                    0.046, 1e-9);
    windows = inst->linux_per_hour
              + inst->windows_surcharge_per_vcpu_hour * inst->vcpu;
    g_assert_cmpfloat_with_epsilon (windows, 0.376, 1e-9);
}

static void
test_instance_linear_prices (void)
{
    /* Every size in these families is priced in proportion to its vCPUs,
     * so a typo in one row shows up as a different rate. */
    static const struct {
        const char *prefix;
        double per_vcpu;
    } families[] = {
        { "m5.", 0.048 },
        { "m6i.", 0.048 },
        { "c5.", 0.0425 },
        { "r5.", 0.063 },
        { "Standard_D", 0.048 },
        { "Standard_E", 0.063 },
    };
    gsize n = 0;
    const CatalogInstance *all = catalog_instances (&n);

    g_test_summary ("Linux prices are linear in vCPUs within each family");
    for (gsize f = 0; f < G_N_ELEMENTS (families); f++) {
        guint seen = 0;

        for (gsize i = 0; i < n; i++) {
            if (!g_str_has_prefix (all[i].name, families[f].prefix))
                continue;
            g_assert_cmpfloat_with_epsilon (all[i].linux_per_hour
                                            / all[i].vcpu,
                                            families[f].per_vcpu, 1e-9);
            seen++;
        }
        g_assert_cmpuint (seen, >=, 7);
    }
}

/* ---- images ------------------------------------------------------------- */

static gint64
manifest_size (const CatalogManifest *m)
{
    gint64 total = 0;

    for (guint i = 0; i < m->n_layers; i++)
        total += m->layers[i].size;
    return total;
}

static void
check_manifest (const CatalogManifest *m)
{
    g_assert_true (strcmp (m->arch, "amd64") == 0
                   || strcmp (m->arch, "arm64") == 0);
    if (strcmp (m->os, "windows") == 0) {
        g_assert_nonnull (m->os_version);
        g_assert_true (g_str_has_prefix (m->os_version, "10.0."));
    } else {
        g_assert_cmpstr (m->os, ==, "linux");
        g_assert_null (m->os_version);
    }
    g_assert_cmpuint (m->n_layers, >=, 1);
    for (guint k = 0; k < m->n_layers; k++) {
        g_assert_true (g_str_has_prefix (m->layers[k].digest, "sha256:"));
        g_assert_cmpint (m->layers[k].size, >, 0);
    }
}

static void
test_image_all_valid (void)
{
    gsize n = 0;
    const CatalogImage *all = catalog_images (&n);

    g_test_summary ("every image is normalised and has manifests of layers "
                    "with positive sizes; Windows ones have os.version "
                    "10.0.*");
    g_assert_cmpuint (n, >=, 17);
    for (gsize i = 0; i < n; i++) {
        g_autofree char *norm = catalog_normalize_reference (all[i].name);

        g_assert_cmpstr (norm, ==, all[i].name);
        g_assert_true (catalog_image_lookup (all[i].name) == &all[i]);
        g_assert_cmpuint (all[i].n_manifests, >=, 1);
        for (guint j = 0; j < all[i].n_manifests; j++)
            check_manifest (&all[i].manifests[j]);
    }
}

static void
test_image_shared_digest_same_size (void)
{
    g_autoptr (GHashTable) sizes = g_hash_table_new (g_str_hash,
                                                     g_str_equal);
    gsize n = 0;
    const CatalogImage *all = catalog_images (&n);

    g_test_summary ("a layer digest means the same size everywhere");
    for (gsize i = 0; i < n; i++) {
        for (guint j = 0; j < all[i].n_manifests; j++) {
            const CatalogManifest *m = &all[i].manifests[j];

            for (guint k = 0; k < m->n_layers; k++) {
                const CatalogLayer *l = &m->layers[k];
                const CatalogLayer *prev =
                    g_hash_table_lookup (sizes, l->digest);

                if (prev != NULL)
                    g_assert_cmpint (prev->size, ==, l->size);
                else
                    g_hash_table_insert (sizes, (gpointer) l->digest,
                                         (gpointer) l);
            }
        }
    }
}

static const CatalogManifest *
find_manifest (const CatalogImage *img, const char *os, const char *arch,
               const char *build_prefix)
{
    for (guint i = 0; i < img->n_manifests; i++) {
        const CatalogManifest *m = &img->manifests[i];

        if (strcmp (m->os, os) != 0 || strcmp (m->arch, arch) != 0)
            continue;
        if (build_prefix == NULL
            || g_str_has_prefix (m->os_version, build_prefix))
            return m;
    }
    return NULL;
}

static void
test_image_windows_bases (void)
{
    static const struct {
        const char *reference;
        const char *os_version;
        guint n_layers;
        gint64 size;
    } cases[] = {
        { "mcr.microsoft.com/windows/nanoserver:ltsc2022",
          "10.0.20348.5622", 1, 124600000 },
        { "mcr.microsoft.com/windows/nanoserver:ltsc2025",
          "10.0.26100.33438", 1, 197700000 },
        { "mcr.microsoft.com/windows/servercore:ltsc2022",
          "10.0.20348.5499", 2, 2180000000 },
        { "mcr.microsoft.com/windows/servercore:ltsc2025",
          "10.0.26100.33296", 2, 2440000000 },
        { "mcr.microsoft.com/windows/servercore:ltsc2019",
          "10.0.17763.5458", 2, 1931000000 },
    };

    g_test_summary ("Windows base images are single-entry manifest lists "
                    "with the reference's os.version and sizes");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        const CatalogImage *img = catalog_image_lookup (cases[i].reference);
        const CatalogManifest *m;

        g_assert_nonnull (img);
        g_assert_true (img->is_index);
        g_assert_cmpuint (img->n_manifests, ==, 1);
        m = &img->manifests[0];
        g_assert_cmpstr (m->os, ==, "windows");
        g_assert_cmpstr (m->arch, ==, "amd64");
        g_assert_cmpstr (m->os_version, ==, cases[i].os_version);
        g_assert_cmpuint (m->n_layers, ==, cases[i].n_layers);
        g_assert_cmpint (manifest_size (m), ==, cases[i].size);
    }
}

static void
test_image_shared_base (void)
{
    static const struct {
        const char *a;
        const char *b;
        guint n_shared;
    } cases[] = {
        { "mcr.microsoft.com/windows/servercore:ltsc2022",
          "mcr.microsoft.com/windows/servercore/iis:"
          "windowsservercore-ltsc2022", 2 },
        { "mcr.microsoft.com/windows/servercore:ltsc2019",
          "mcr.microsoft.com/windows/servercore/iis:"
          "windowsservercore-ltsc2019", 2 },
        { "debian:bookworm-slim", "nginx:1.27", 1 },
    };

    g_test_summary ("images built on a base share its layer digests");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        const CatalogImage *a = catalog_image_lookup (cases[i].a);
        const CatalogImage *b = catalog_image_lookup (cases[i].b);
        const CatalogManifest *ma, *mb;

        g_assert_nonnull (a);
        g_assert_nonnull (b);
        ma = &a->manifests[0];
        mb = &b->manifests[0];
        g_assert_cmpuint (mb->n_layers, >, cases[i].n_shared);
        for (guint k = 0; k < cases[i].n_shared; k++)
            g_assert_cmpstr (ma->layers[k].digest, ==,
                             mb->layers[k].digest);
    }
}

static void
test_image_pause (void)
{
    static const struct {
        const char *pause;
        const char *os;
        const char *arch;
        const char *build;      /* os.version prefix, or NULL */
        const char *base;       /* image whose first layer it shares */
    } cases[] = {
        { "registry.k8s.io/pause:3.9", "linux", "amd64", NULL, NULL },
        { "registry.k8s.io/pause:3.9", "linux", "arm64", NULL, NULL },
        { "registry.k8s.io/pause:3.9", "windows", "amd64", "10.0.17763",
          "mcr.microsoft.com/windows/nanoserver:ltsc2019" },
        { "registry.k8s.io/pause:3.9", "windows", "amd64", "10.0.20348.",
          "mcr.microsoft.com/windows/nanoserver:ltsc2022" },
        { "registry.k8s.io/pause:3.10", "windows", "amd64", "10.0.26100.",
          "mcr.microsoft.com/windows/nanoserver:ltsc2025" },
        { "mcr.microsoft.com/oss/kubernetes/pause:3.6", "linux", "amd64",
          NULL, NULL },
        { "mcr.microsoft.com/oss/kubernetes/pause:3.6", "windows", "amd64",
          "10.0.17763", "mcr.microsoft.com/windows/nanoserver:ltsc2019" },
        { "mcr.microsoft.com/oss/kubernetes/pause:3.6", "windows", "amd64",
          "10.0.20348.", "mcr.microsoft.com/windows/nanoserver:ltsc2022" },
    };

    g_test_summary ("pause indexes carry Linux and Windows entries; the "
                    "Windows ones sit on Nano Server layers");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        const CatalogImage *img = catalog_image_lookup (cases[i].pause);
        const CatalogManifest *m;

        g_assert_nonnull (img);
        g_assert_true (img->is_index);
        m = find_manifest (img, cases[i].os, cases[i].arch, cases[i].build);
        g_assert_nonnull (m);
        if (cases[i].base != NULL) {
            const CatalogImage *base = catalog_image_lookup (cases[i].base);

            g_assert_nonnull (base);
            g_assert_cmpstr (m->layers[0].digest, ==,
                             base->manifests[0].layers[0].digest);
            g_assert_cmpstr (m->os_version, ==,
                             base->manifests[0].os_version);
        }
    }
    /* pause:3.9 predates Windows Server 2025. */
    g_assert_null (find_manifest (catalog_image_lookup (
                                      "registry.k8s.io/pause:3.9"),
                                  "windows", "amd64", "10.0.26100"));
}

static void
test_image_lookup (void)
{
    static const struct {
        const char *reference;
        const char *name;       /* NULL: not in the catalogue */
    } cases[] = {
        { "nginx:1.27", "docker.io/library/nginx:1.27" },
        { "docker.io/nginx:1.27", "docker.io/library/nginx:1.27" },
        { "index.docker.io/library/alpine:3.22",
          "docker.io/library/alpine:3.22" },
        { "alpine:3.22", "docker.io/library/alpine:3.22" },
        { "ubuntu:24.04", "docker.io/library/ubuntu:24.04" },
        { "mcr.microsoft.com/windows/servercore:ltsc2022",
          "mcr.microsoft.com/windows/servercore:ltsc2022" },
        { "registry.k8s.io/pause:3.10", "registry.k8s.io/pause:3.10" },
        { "nginx", NULL },
        { "nginx:1.26", NULL },
        { "nginx@sha256:0123", NULL },
        { "mcr.microsoft.com/windows/servercore:ltsc2016", NULL },
        { "mcr.microsoft.com/windows/servercore:LTSC2022", NULL },
        { "example.com/nginx:1.27", NULL },
        { "", NULL },
    };

    g_test_summary ("images are found by normalised reference");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        const CatalogImage *img = catalog_image_lookup (cases[i].reference);

        if (cases[i].name == NULL) {
            g_assert_null (img);
        } else {
            g_assert_nonnull (img);
            g_assert_cmpstr (img->name, ==, cases[i].name);
        }
    }
}

static void
test_normalize (void)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        { "nginx:1.27", "docker.io/library/nginx:1.27" },
        { "nginx", "docker.io/library/nginx:latest" },
        { "library/nginx", "docker.io/library/nginx:latest" },
        { "foo/bar:1", "docker.io/foo/bar:1" },
        { "foo/bar", "docker.io/foo/bar:latest" },
        { "foo/bar/baz", "docker.io/foo/bar/baz:latest" },
        { "docker.io/nginx", "docker.io/library/nginx:latest" },
        { "docker.io/library/nginx:1.27", "docker.io/library/nginx:1.27" },
        { "index.docker.io/nginx", "docker.io/library/nginx:latest" },
        { "index.docker.io/foo/bar:1", "docker.io/foo/bar:1" },
        { "mcr.microsoft.com/windows/servercore:ltsc2022",
          "mcr.microsoft.com/windows/servercore:ltsc2022" },
        { "mcr.microsoft.com/windows/nanoserver",
          "mcr.microsoft.com/windows/nanoserver:latest" },
        { "registry.k8s.io/pause", "registry.k8s.io/pause:latest" },
        { "localhost/app", "localhost/app:latest" },
        { "localhost:5000/app", "localhost:5000/app:latest" },
        { "localhost:5000/team/app:v2", "localhost:5000/team/app:v2" },
        { "myhost:5000/app", "myhost:5000/app:latest" },
        { "localhostx/app", "docker.io/localhostx/app:latest" },
        { "foo.com", "docker.io/library/foo.com:latest" },
        { "nginx@sha256:abc", "docker.io/library/nginx@sha256:abc" },
        { "nginx:1.27@sha256:abc", "docker.io/library/nginx:1.27@sha256:abc" },
        { "localhost:5000/app@sha256:abc", "localhost:5000/app@sha256:abc" },
        { "ghcr.io/org/app@sha256:abc", "ghcr.io/org/app@sha256:abc" },
    };

    g_test_summary ("references normalise as container runtimes do");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *out = catalog_normalize_reference (cases[i].in);

        g_assert_cmpstr (out, ==, cases[i].out);
    }
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/catalog/instance/lookup", test_instance_lookup);
    g_test_add_func ("/catalog/instance/unknown", test_instance_unknown);
    g_test_add_func ("/catalog/instance/all-valid", test_instance_all_valid);
    g_test_add_func ("/catalog/instance/windows-price",
                     test_instance_windows_price);
    g_test_add_func ("/catalog/instance/linear-prices",
                     test_instance_linear_prices);
    g_test_add_func ("/catalog/image/all-valid", test_image_all_valid);
    g_test_add_func ("/catalog/image/shared-digest-same-size",
                     test_image_shared_digest_same_size);
    g_test_add_func ("/catalog/image/windows-bases",
                     test_image_windows_bases);
    g_test_add_func ("/catalog/image/shared-base", test_image_shared_base);
    g_test_add_func ("/catalog/image/pause", test_image_pause);
    g_test_add_func ("/catalog/image/lookup", test_image_lookup);
    g_test_add_func ("/catalog/normalize", test_normalize);
    return g_test_run ();
}
