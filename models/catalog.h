/* catalog.h: built-in catalogues of instance types and well-known images,
 * so that a short scenario can say `instance: m5.xlarge` or
 * `image: mcr.microsoft.com/windows/servercore:ltsc2022` without listing
 * sizes and prices. A scenario's own entries override these.
 *
 * Every figure cites its source in catalog.c; figures the reference marks
 * unconfirmed say so there. Knows no scenario and no cluster: static
 * tables only.
 */
#ifndef KBSIM_CATALOG_H
#define KBSIM_CATALOG_H

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
    const char *name;               /* "m5.xlarge", "Standard_D4s_v5" */
    const char *provider;           /* "aws", "azure" */
    guint vcpu;
    double memory_gib;
    guint max_pods_linux;           /* default pod capacity on Linux */
    guint max_pods_windows;         /* default pod capacity on Windows */
    double linux_per_hour;          /* USD, on-demand */
    double windows_surcharge_per_vcpu_hour;     /* USD, licence */
} CatalogInstance;

typedef struct {
    const char *digest;             /* stable id; shared layers share it */
    gint64 size;                    /* compressed bytes (transfer size) */
} CatalogLayer;

typedef struct {
    const char *os;                 /* "linux", "windows" */
    const char *arch;               /* "amd64", "arm64" */
    const char *os_version;         /* Windows: "10.0.20348.2700"; or NULL */
    const CatalogLayer *layers;
    guint n_layers;
} CatalogManifest;

typedef struct {
    const char *name;               /* normalised reference, see below */
    const CatalogManifest *manifests;
    guint n_manifests;
    gboolean is_index;              /* an OCI index / manifest list, rather
                                     * than a single manifest */
} CatalogImage;

/* (transfer none): static data. NULL when unknown. */
const CatalogInstance *catalog_instance_lookup (const char *name);
const CatalogInstance *catalog_instances (gsize *n);
const CatalogImage    *catalog_image_lookup (const char *reference);
const CatalogImage    *catalog_images (gsize *n);

/* Normalises an image reference as container runtimes do: "nginx:1.27" ->
 * "docker.io/library/nginx:1.27", "foo/bar" -> "docker.io/foo/bar:latest",
 * "mcr.microsoft.com/windows/servercore:ltsc2022" unchanged.
 * (transfer full): g_free(). */
char *catalog_normalize_reference (const char *reference);

G_END_DECLS

#endif
