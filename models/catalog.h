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

#include "models/platform.h"

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

/* ---- what a reference says about itself --------------------------------- */

/* The base image an image reference names in its path or tag. */
typedef enum {
    CATALOG_BASE_UNKNOWN,
    CATALOG_BASE_NANOSERVER,
    CATALOG_BASE_SERVERCORE,
    CATALOG_BASE_SERVER,            /* mcr.microsoft.com/windows/server */
    CATALOG_BASE_ALPINE,
    CATALOG_BASE_DEBIAN,
    CATALOG_BASE_UBUNTU
} CatalogBase;

/* What an image reference's path and tag tell of its platform, by the
 * conventions Microsoft and image publishers follow (KEYS.md, "Images
 * without an entry"). The *_from fields quote the part of the reference
 * that told it ("tag 'ltsc2019'", "path 'windows'"), "" when nothing did. */
typedef struct {
    KbOs os;                        /* KB_OS_UNKNOWN: not told */
    char os_from[64];
    gboolean has_build;             /* a Windows build was told */
    WinVersion build;               /* revision -1 unless a 10.0.B.R tag */
    char build_from[64];
    gboolean build_conflict;        /* two parts name different builds */
    CatalogBase base;
    char base_from[64];
    KbArch arch;                    /* KB_ARCH_UNKNOWN: not told */
} CatalogHints;

/* Reads reference (any form catalog_normalize_reference takes) into
 * *out. Never fails: a reference that tells nothing leaves every field
 * unknown. */
void catalog_reference_hints (const char *reference, CatalogHints *out);

/* The catalogue image a Windows base of that build is (Nano Server,
 * Server Core or Server; ltsc2019, ltsc2022, ltsc2025), whose layers an
 * image built on it carries; or a Linux base's (alpine:3.22,
 * debian:bookworm-slim, ubuntu:24.04; build ignored). NULL when the
 * catalogue has none. (transfer none): static data. */
const CatalogImage *catalog_base_image (CatalogBase base, guint build);
/* "servercore", "nanoserver", ...; "" for CATALOG_BASE_UNKNOWN.
 * (transfer none). */
const char *catalog_base_name (CatalogBase base);

G_END_DECLS

#endif
