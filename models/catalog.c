/* catalog.c: the built-in instance and image catalogues.
 *
 * See catalog.h. Both catalogues are static const tables searched linearly:
 * they hold a few dozen rows and are read while a scenario loads, never in
 * the event loop, so an index would cost more code than it saves time.
 *
 * Sources. "ref §N" is section N of
 * shared/reference/windows-kubernetes-facts.md, which is the project's
 * authority. Figures it marks unconfirmed are marked so here too. Figures
 * that are public list prices or specifications but do not appear in the
 * reference say "unconfirmed against the reference"; they are what AWS,
 * Azure and the registries published, but nobody here has checked them
 * against a primary source. Every price is USD per hour, on-demand, AWS
 * us-east-1 or Azure East US.
 *
 * Image layer digests are synthetic: "sha256:kbsim-..." is no real hash,
 * only a stable id. What matters to the simulator is that two images built
 * on the same base layer carry the same string, so that a node that has
 * pulled one skips that layer when pulling the other. Sizes are compressed
 * (registry transfer) bytes in decimal units, as docker-library/repo-info
 * and `docker image ls` print them.
 */
#include "models/catalog.h"

#include <string.h>

/* ---- instance types ----------------------------------------------------- */

/* Windows Server licence-included surcharge, $0.046 per vCPU-hour on AWS:
 * ref §8 (AWS EC2 user guide, "Optimize CPUs for License-Included
 * instances"). It gives m5.xlarge 0.192 + 4 * 0.046 = $0.376/h, the
 * reference's derived Windows price. The same rate applies to the m, c and
 * r families (ref §8 cites an analysis finding $0.045-0.047 everywhere
 * except the t family). */
#define AWS_WINDOWS_SURCHARGE 0.046

/* Azure Windows surcharge: ~$0.046 per vCPU-hour, ref §8 (derived there
 * from Standard_D4s_v5 ~$0.19/h Linux vs ~$0.37/h Windows; unconfirmed). */
#define AZURE_WINDOWS_SURCHARGE 0.046

/* Linux prices per vCPU-hour, East US. Azure prices every size of a v5
 * family in proportion to its vCPUs. Dsv5: D4s_v5 ~$0.192/h per ref §8
 * (unconfirmed there), so $0.048 per vCPU-hour. Esv5: $0.063 per vCPU-hour
 * (E2s_v5 $0.126/h), a public list price, unconfirmed against the
 * reference. */
#define AZURE_DSV5_PER_VCPU 0.048
#define AZURE_ESV5_PER_VCPU 0.063

/* AKS with Azure CNI gives every node 30 pods by default, Linux and Windows
 * alike: ref §3 (PSRule.Rules.Azure Azure.AKS.NodeMinPods). */
#define AKS_AZURE_CNI_MAX_PODS 30

/* Max pods on EKS.
 *
 * Linux: the VPC CNI formula ENIs * (IPv4 per ENI - 1) + 2, tabulated in
 * awslabs/amazon-eks-ami files/eni-max-pods.txt. Not in the reference, so
 * unconfirmed against it; the m5, c5 and r5 rows below match that file's
 * 2020 copy, and m6i has the same ENI limits as m5.
 *   large            3 ENIs x 10 IPs ->  29
 *   xlarge, 2xlarge  4 ENIs x 15 IPs ->  58
 *   4x/8x/9x/12x     8 ENIs x 30 IPs -> 234
 *   16x/24xlarge    15 ENIs x 50 IPs -> 737
 *
 * Windows: one ENI, so IPv4 addresses per ENI - 1 (ref §3, from the EKS
 * user guide's Windows page). The reference gives m5.xlarge 14 and marks
 * its 15 IPs per ENI unconfirmed; the other sizes use the same ENI limits
 * as above (9, 14, 29, 49) and are unconfirmed against the reference. */

#define AWS(name, vcpu, mem, pods_linux, pods_windows, price) \
    { name, "aws", vcpu, mem, pods_linux, pods_windows, price, \
      AWS_WINDOWS_SURCHARGE }

#define AZURE(name, vcpu, mem, per_vcpu) \
    { name, "azure", vcpu, mem, AKS_AZURE_CNI_MAX_PODS, \
      AKS_AZURE_CNI_MAX_PODS, (vcpu) * (per_vcpu), AZURE_WINDOWS_SURCHARGE }

static const CatalogInstance instances[] = {
    /* m5: 4 GiB per vCPU. m5.xlarge $0.192/h is from ref §8 (there
     * "unconfirmed vs AWS page"); the other prices are AWS's public list
     * prices, linear in size ($0.048 per vCPU-hour), unconfirmed against
     * the reference. Sizes are AWS's specifications, likewise. */
    AWS ("m5.large",      2,   8.0,  29,  9, 0.096),
    AWS ("m5.xlarge",     4,  16.0,  58, 14, 0.192),
    AWS ("m5.2xlarge",    8,  32.0,  58, 14, 0.384),
    AWS ("m5.4xlarge",   16,  64.0, 234, 29, 0.768),
    AWS ("m5.8xlarge",   32, 128.0, 234, 29, 1.536),
    AWS ("m5.12xlarge",  48, 192.0, 234, 29, 2.304),
    AWS ("m5.16xlarge",  64, 256.0, 737, 49, 3.072),
    AWS ("m5.24xlarge",  96, 384.0, 737, 49, 4.608),

    /* m6i: same sizes and list prices as m5 (public list prices,
     * unconfirmed against the reference). */
    AWS ("m6i.large",     2,   8.0,  29,  9, 0.096),
    AWS ("m6i.xlarge",    4,  16.0,  58, 14, 0.192),
    AWS ("m6i.2xlarge",   8,  32.0,  58, 14, 0.384),
    AWS ("m6i.4xlarge",  16,  64.0, 234, 29, 0.768),
    AWS ("m6i.8xlarge",  32, 128.0, 234, 29, 1.536),
    AWS ("m6i.12xlarge", 48, 192.0, 234, 29, 2.304),
    AWS ("m6i.16xlarge", 64, 256.0, 737, 49, 3.072),
    AWS ("m6i.24xlarge", 96, 384.0, 737, 49, 4.608),

    /* c5: 2 GiB per vCPU, $0.0425 per vCPU-hour (c5.large $0.085/h); no
     * 8xlarge or 16xlarge, a 9xlarge instead. Public list prices and
     * specifications, unconfirmed against the reference. */
    AWS ("c5.large",      2,   4.0,  29,  9, 0.085),
    AWS ("c5.xlarge",     4,   8.0,  58, 14, 0.170),
    AWS ("c5.2xlarge",    8,  16.0,  58, 14, 0.340),
    AWS ("c5.4xlarge",   16,  32.0, 234, 29, 0.680),
    AWS ("c5.9xlarge",   36,  72.0, 234, 29, 1.530),
    AWS ("c5.12xlarge",  48,  96.0, 234, 29, 2.040),
    AWS ("c5.24xlarge",  96, 192.0, 737, 49, 4.080),

    /* r5: 8 GiB per vCPU, $0.063 per vCPU-hour (r5.large $0.126/h).
     * Public list prices and specifications, unconfirmed against the
     * reference. */
    AWS ("r5.large",      2,  16.0,  29,  9, 0.126),
    AWS ("r5.xlarge",     4,  32.0,  58, 14, 0.252),
    AWS ("r5.2xlarge",    8,  64.0,  58, 14, 0.504),
    AWS ("r5.4xlarge",   16, 128.0, 234, 29, 1.008),
    AWS ("r5.8xlarge",   32, 256.0, 234, 29, 2.016),
    AWS ("r5.12xlarge",  48, 384.0, 234, 29, 3.024),
    AWS ("r5.16xlarge",  64, 512.0, 737, 49, 4.032),
    AWS ("r5.24xlarge",  96, 768.0, 737, 49, 6.048),

    /* Dsv5: 4 GiB per vCPU. Standard_D4s_v5 (4 vCPU, 16 GiB) is in ref §8;
     * the other sizes are Microsoft's specifications, unconfirmed against
     * the reference. */
    AZURE ("Standard_D2s_v5",   2,   8.0, AZURE_DSV5_PER_VCPU),
    AZURE ("Standard_D4s_v5",   4,  16.0, AZURE_DSV5_PER_VCPU),
    AZURE ("Standard_D8s_v5",   8,  32.0, AZURE_DSV5_PER_VCPU),
    AZURE ("Standard_D16s_v5", 16,  64.0, AZURE_DSV5_PER_VCPU),
    AZURE ("Standard_D32s_v5", 32, 128.0, AZURE_DSV5_PER_VCPU),
    AZURE ("Standard_D48s_v5", 48, 192.0, AZURE_DSV5_PER_VCPU),
    AZURE ("Standard_D64s_v5", 64, 256.0, AZURE_DSV5_PER_VCPU),
    AZURE ("Standard_D96s_v5", 96, 384.0, AZURE_DSV5_PER_VCPU),

    /* Esv5: 8 GiB per vCPU up to E64s_v5; E96s_v5 has 672 GiB, not 768
     * (MicrosoftDocs/azure-docs ev5-esv5-series.md: "up to 672 GiB of
     * RAM"; older revisions of that page said 768). E20s_v5 is the one
     * size off the doubling ladder. Unconfirmed against the reference. */
    AZURE ("Standard_E2s_v5",   2,  16.0, AZURE_ESV5_PER_VCPU),
    AZURE ("Standard_E4s_v5",   4,  32.0, AZURE_ESV5_PER_VCPU),
    AZURE ("Standard_E8s_v5",   8,  64.0, AZURE_ESV5_PER_VCPU),
    AZURE ("Standard_E16s_v5", 16, 128.0, AZURE_ESV5_PER_VCPU),
    AZURE ("Standard_E20s_v5", 20, 160.0, AZURE_ESV5_PER_VCPU),
    AZURE ("Standard_E32s_v5", 32, 256.0, AZURE_ESV5_PER_VCPU),
    AZURE ("Standard_E48s_v5", 48, 384.0, AZURE_ESV5_PER_VCPU),
    AZURE ("Standard_E64s_v5", 64, 512.0, AZURE_ESV5_PER_VCPU),
    AZURE ("Standard_E96s_v5", 96, 672.0, AZURE_ESV5_PER_VCPU),
};

#undef AWS
#undef AZURE

/* Case-insensitive, because people write both "Standard_D4s_v5" and
 * "standard_d4s_v5". No two names differ only in case; test-catalog
 * checks that. */
const CatalogInstance *
catalog_instance_lookup (const char *name)
{
    g_return_val_if_fail (name != NULL, NULL);

    for (gsize i = 0; i < G_N_ELEMENTS (instances); i++)
        if (g_ascii_strcasecmp (instances[i].name, name) == 0)
            return &instances[i];
    return NULL;
}

const CatalogInstance *
catalog_instances (gsize *n)
{
    if (n != NULL)
        *n = G_N_ELEMENTS (instances);
    return instances;
}

/* ---- image layers ------------------------------------------------------- */

/* Decimal units, rounded to whole bytes; usable in static initialisers. */
#define KB(x) ((gint64) ((x) * 1e3 + 0.5))
#define MB(x) ((gint64) ((x) * 1e6 + 0.5))
#define GB(x) ((gint64) ((x) * 1e9 + 0.5))

/* A layer is written once, as a macro, and used wherever it is shared, so
 * that a digest always comes with the same size. */

/* Nano Server: one layer per image (ref §5.1). */
/* ltsc2022 10.0.20348.5622: 124.6 MB, ref §5.1 (repo-info
 * hello-world/remote/nanoserver-ltsc2022.md). */
#define L_NANO_2022 { "sha256:kbsim-nanoserver-10.0.20348.5622", MB (124.6) }
/* ltsc2025 10.0.26100.33438: 197.7 MB, ref §5.1 (repo-info
 * hello-world/remote/nanoserver-ltsc2025.md). */
#define L_NANO_2025 { "sha256:kbsim-nanoserver-10.0.26100.33438", MB (197.7) }
/* ltsc2019: not in the reference; ~105 MB is a plausible figure between
 * the older, smaller 1809 images and ltsc2022. Unconfirmed. */
#define L_NANO_2019 { "sha256:kbsim-nanoserver-10.0.17763", MB (105.0) }

/* Server Core: a base layer ("Apply image") plus the monthly update layer
 * ("Install update"), ref §5.1 notes. */
/* ltsc2022: base 1.49 GB + update 0.69 GB, ref §5.1 (repo-info
 * golang/remote/1-windowsservercore-ltsc2022.md, first two layers). */
#define L_SC_2022_BASE \
    { "sha256:kbsim-servercore-ltsc2022-base", GB (1.49) }
#define L_SC_2022_UPDATE \
    { "sha256:kbsim-servercore-10.0.20348.5499-update", GB (0.69) }
/* ltsc2025: base 1.52 GB + update 0.92 GB, ref §5.1 (repo-info
 * golang/remote/1-windowsservercore-ltsc2025.md). */
#define L_SC_2025_BASE \
    { "sha256:kbsim-servercore-ltsc2025-base", GB (1.52) }
#define L_SC_2025_UPDATE \
    { "sha256:kbsim-servercore-10.0.26100.33296-update", GB (0.92) }
/* ltsc2019 (March 2024): base 1.49 GB + delta 441 MB, ref §5.1 (Microsoft
 * staff comment in microsoft/Windows-Containers#475). */
#define L_SC_2019_BASE \
    { "sha256:kbsim-servercore-ltsc2019-base", GB (1.49) }
#define L_SC_2019_UPDATE \
    { "sha256:kbsim-servercore-10.0.17763.5458-update", MB (441.0) }

/* The "Windows Server" image: ref §5.1 has no compressed size, only the
 * base-image doc's "3.1 GB" (not saying compressed or unpacked). We use
 * 3.1 GB compressed, in one layer. Unconfirmed. */
#define L_SERVER_2022 { "sha256:kbsim-server-10.0.20348.5499", GB (3.1) }
#define L_SERVER_2025 { "sha256:kbsim-server-10.0.26100.33296", GB (3.1) }

/* IIS adds its own layers on top of Server Core; not in the reference.
 * ~80 MB in one layer is a plausible figure. Unconfirmed. */
#define L_IIS_2019 { "sha256:kbsim-iis-ltsc2019", MB (80.0) }
#define L_IIS_2022 { "sha256:kbsim-iis-ltsc2022", MB (80.0) }

/* Pause images. Linux entries: ~300 KB each (the brief's figure; not in
 * the reference, unconfirmed). Windows entries are built FROM Nano Server,
 * so they carry that build's Nano Server layer (shared with the nanoserver
 * images above: a simplification, as a real pause build pins whichever
 * Nano Server revision was current when it was built) plus a small layer
 * with pause.exe, here 0.5 MB. Both unconfirmed. */
#define L_PAUSE(tag, plat, size) { "sha256:kbsim-pause-" tag "-" plat, size }
#define L_PAUSE_LINUX(tag, arch) L_PAUSE (tag, "linux-" arch, KB (300.0))
#define L_PAUSE_WIN(tag, build) L_PAUSE (tag, "windows-" build, MB (0.5))

/* Linux images: one layer per platform (ref §5.1, repo-info remote pages).
 * alpine:3.22 3.8 MB, debian:bookworm-slim 28.2 MB, ubuntu:24.04 29.8 MB
 * (amd64). The arm64 entries are assumed to be the same size as amd64:
 * unconfirmed. */
#define L_ALPINE_322(arch) { "sha256:kbsim-alpine-3.22-" arch, MB (3.8) }
#define L_DEBIAN_BOOKWORM_SLIM(arch) \
    { "sha256:kbsim-debian-bookworm-slim-" arch, MB (28.2) }
#define L_UBUNTU_2404(arch) { "sha256:kbsim-ubuntu-24.04-" arch, MB (29.8) }

/* nginx:1.27 is built FROM debian:bookworm-slim, so it shares that layer
 * (again assuming the same base revision), plus nginx's own layers, here
 * one: 70 MB total on amd64 and 68 MB on arm64 (the brief's scenario
 * example; not in the reference, unconfirmed). */
#define L_NGINX_127_AMD64 { "sha256:kbsim-nginx-1.27-amd64", MB (70.0 - 28.2) }
#define L_NGINX_127_ARM64 { "sha256:kbsim-nginx-1.27-arm64", MB (68.0 - 28.2) }

/* ---- image manifests ---------------------------------------------------- */

/* os.version strings. Nano Server and Server Core ltsc2022/ltsc2025 come
 * from ref §5.1. servercore:ltsc2019 10.0.17763.5458 is the scenario
 * example's (March 2024, matching the 441 MB delta). nanoserver:ltsc2019
 * has no revision in the reference, so it carries the bare build. The
 * server images reuse Server Core's revisions (same Patch Tuesday):
 * unconfirmed. */
#define V_NANO_2019 "10.0.17763"
#define V_NANO_2022 "10.0.20348.5622"
#define V_NANO_2025 "10.0.26100.33438"
#define V_SC_2019   "10.0.17763.5458"
#define V_SC_2022   "10.0.20348.5499"
#define V_SC_2025   "10.0.26100.33296"

#define MANIFEST(os, arch, version, layers) \
    { os, arch, version, layers, G_N_ELEMENTS (layers) }
#define WINDOWS(version, layers) MANIFEST ("windows", "amd64", version, layers)
#define LINUX(arch, layers)      MANIFEST ("linux", arch, NULL, layers)

/* Windows base images. */
static const CatalogLayer nano_2019[] = { L_NANO_2019 };
static const CatalogLayer nano_2022[] = { L_NANO_2022 };
static const CatalogLayer nano_2025[] = { L_NANO_2025 };
static const CatalogLayer sc_2019[] = { L_SC_2019_BASE, L_SC_2019_UPDATE };
static const CatalogLayer sc_2022[] = { L_SC_2022_BASE, L_SC_2022_UPDATE };
static const CatalogLayer sc_2025[] = { L_SC_2025_BASE, L_SC_2025_UPDATE };
static const CatalogLayer server_2022[] = { L_SERVER_2022 };
static const CatalogLayer server_2025[] = { L_SERVER_2025 };
static const CatalogLayer iis_2019[] = {
    L_SC_2019_BASE, L_SC_2019_UPDATE, L_IIS_2019
};
static const CatalogLayer iis_2022[] = {
    L_SC_2022_BASE, L_SC_2022_UPDATE, L_IIS_2022
};

/* Microsoft publishes each MCR Windows tag as a manifest list with a
 * single windows/amd64 entry (ref §5.2). */
static const CatalogManifest m_nano_2019[] = {
    WINDOWS (V_NANO_2019, nano_2019)
};
static const CatalogManifest m_nano_2022[] = {
    WINDOWS (V_NANO_2022, nano_2022)
};
static const CatalogManifest m_nano_2025[] = {
    WINDOWS (V_NANO_2025, nano_2025)
};
static const CatalogManifest m_sc_2019[] = { WINDOWS (V_SC_2019, sc_2019) };
static const CatalogManifest m_sc_2022[] = { WINDOWS (V_SC_2022, sc_2022) };
static const CatalogManifest m_sc_2025[] = { WINDOWS (V_SC_2025, sc_2025) };
static const CatalogManifest m_server_2022[] = {
    WINDOWS (V_SC_2022, server_2022)
};
static const CatalogManifest m_server_2025[] = {
    WINDOWS (V_SC_2025, server_2025)
};
static const CatalogManifest m_iis_2019[] = { WINDOWS (V_SC_2019, iis_2019) };
static const CatalogManifest m_iis_2022[] = { WINDOWS (V_SC_2022, iis_2022) };

/* Pause images: multi-arch indexes (ref §3). Only amd64 and arm64 of the
 * Linux entries are listed; the real indexes also carry arm, ppc64le and
 * s390x. The Windows entries carry the os.version of the Nano Server
 * layer they share. registry.k8s.io/pause:3.10's ltsc2025 entry is the
 * brief's; unconfirmed against the reference. */
static const CatalogLayer pause39_amd64[] = { L_PAUSE_LINUX ("3.9", "amd64") };
static const CatalogLayer pause39_arm64[] = { L_PAUSE_LINUX ("3.9", "arm64") };
static const CatalogLayer pause39_1809[] = {
    L_NANO_2019, L_PAUSE_WIN ("3.9", "17763")
};
static const CatalogLayer pause39_2022[] = {
    L_NANO_2022, L_PAUSE_WIN ("3.9", "20348")
};
static const CatalogManifest m_pause39[] = {
    LINUX ("amd64", pause39_amd64),
    LINUX ("arm64", pause39_arm64),
    WINDOWS (V_NANO_2019, pause39_1809),
    WINDOWS (V_NANO_2022, pause39_2022),
};

static const CatalogLayer pause310_amd64[] = {
    L_PAUSE_LINUX ("3.10", "amd64")
};
static const CatalogLayer pause310_arm64[] = {
    L_PAUSE_LINUX ("3.10", "arm64")
};
static const CatalogLayer pause310_1809[] = {
    L_NANO_2019, L_PAUSE_WIN ("3.10", "17763")
};
static const CatalogLayer pause310_2022[] = {
    L_NANO_2022, L_PAUSE_WIN ("3.10", "20348")
};
static const CatalogLayer pause310_2025[] = {
    L_NANO_2025, L_PAUSE_WIN ("3.10", "26100")
};
static const CatalogManifest m_pause310[] = {
    LINUX ("amd64", pause310_amd64),
    LINUX ("arm64", pause310_arm64),
    WINDOWS (V_NANO_2019, pause310_1809),
    WINDOWS (V_NANO_2022, pause310_2022),
    WINDOWS (V_NANO_2025, pause310_2025),
};

/* mcr.microsoft.com/oss/kubernetes/pause:3.6, the Microsoft-signed sandbox
 * image (ref §3): linux/amd64 plus ltsc2019 and ltsc2022. */
static const CatalogLayer mspause36_amd64[] = {
    L_PAUSE_LINUX ("mcr-3.6", "amd64")
};
static const CatalogLayer mspause36_1809[] = {
    L_NANO_2019, L_PAUSE_WIN ("mcr-3.6", "17763")
};
static const CatalogLayer mspause36_2022[] = {
    L_NANO_2022, L_PAUSE_WIN ("mcr-3.6", "20348")
};
static const CatalogManifest m_mspause36[] = {
    LINUX ("amd64", mspause36_amd64),
    WINDOWS (V_NANO_2019, mspause36_1809),
    WINDOWS (V_NANO_2022, mspause36_2022),
};

/* Linux official images are OCI indexes (ref §5.2); the unknown/unknown
 * attestation entries and architectures other than amd64 and arm64 are
 * left out. */
static const CatalogLayer alpine_amd64[] = { L_ALPINE_322 ("amd64") };
static const CatalogLayer alpine_arm64[] = { L_ALPINE_322 ("arm64") };
static const CatalogManifest m_alpine[] = {
    LINUX ("amd64", alpine_amd64),
    LINUX ("arm64", alpine_arm64),
};

static const CatalogLayer debian_amd64[] = {
    L_DEBIAN_BOOKWORM_SLIM ("amd64")
};
static const CatalogLayer debian_arm64[] = {
    L_DEBIAN_BOOKWORM_SLIM ("arm64")
};
static const CatalogManifest m_debian[] = {
    LINUX ("amd64", debian_amd64),
    LINUX ("arm64", debian_arm64),
};

static const CatalogLayer ubuntu_amd64[] = { L_UBUNTU_2404 ("amd64") };
static const CatalogLayer ubuntu_arm64[] = { L_UBUNTU_2404 ("arm64") };
static const CatalogManifest m_ubuntu[] = {
    LINUX ("amd64", ubuntu_amd64),
    LINUX ("arm64", ubuntu_arm64),
};

static const CatalogLayer nginx_amd64[] = {
    L_DEBIAN_BOOKWORM_SLIM ("amd64"), L_NGINX_127_AMD64
};
static const CatalogLayer nginx_arm64[] = {
    L_DEBIAN_BOOKWORM_SLIM ("arm64"), L_NGINX_127_ARM64
};
static const CatalogManifest m_nginx[] = {
    LINUX ("amd64", nginx_amd64),
    LINUX ("arm64", nginx_arm64),
};

/* ---- images ------------------------------------------------------------- */

#define IMAGE(name, manifests) \
    { name, manifests, G_N_ELEMENTS (manifests), TRUE }

/* Names are in normalised form (catalog_normalize_reference). Every entry
 * is an index: see the comments on the manifests above. */
static const CatalogImage images[] = {
    IMAGE ("mcr.microsoft.com/windows/nanoserver:ltsc2019", m_nano_2019),
    IMAGE ("mcr.microsoft.com/windows/nanoserver:ltsc2022", m_nano_2022),
    IMAGE ("mcr.microsoft.com/windows/nanoserver:ltsc2025", m_nano_2025),
    IMAGE ("mcr.microsoft.com/windows/servercore:ltsc2019", m_sc_2019),
    IMAGE ("mcr.microsoft.com/windows/servercore:ltsc2022", m_sc_2022),
    IMAGE ("mcr.microsoft.com/windows/servercore:ltsc2025", m_sc_2025),
    IMAGE ("mcr.microsoft.com/windows/server:ltsc2022", m_server_2022),
    IMAGE ("mcr.microsoft.com/windows/server:ltsc2025", m_server_2025),
    IMAGE ("mcr.microsoft.com/windows/servercore/iis:"
           "windowsservercore-ltsc2019", m_iis_2019),
    IMAGE ("mcr.microsoft.com/windows/servercore/iis:"
           "windowsservercore-ltsc2022", m_iis_2022),
    IMAGE ("registry.k8s.io/pause:3.9", m_pause39),
    IMAGE ("registry.k8s.io/pause:3.10", m_pause310),
    IMAGE ("mcr.microsoft.com/oss/kubernetes/pause:3.6", m_mspause36),
    IMAGE ("docker.io/library/alpine:3.22", m_alpine),
    IMAGE ("docker.io/library/debian:bookworm-slim", m_debian),
    IMAGE ("docker.io/library/ubuntu:24.04", m_ubuntu),
    IMAGE ("docker.io/library/nginx:1.27", m_nginx),
};

/* Exact comparison: repository paths are lowercase by the distribution
 * spec, but tags are case-sensitive. */
const CatalogImage *
catalog_image_lookup (const char *reference)
{
    g_autofree char *name = NULL;

    g_return_val_if_fail (reference != NULL, NULL);

    name = catalog_normalize_reference (reference);
    for (gsize i = 0; i < G_N_ELEMENTS (images); i++)
        if (strcmp (images[i].name, name) == 0)
            return &images[i];
    return NULL;
}

const CatalogImage *
catalog_images (gsize *n)
{
    if (n != NULL)
        *n = G_N_ELEMENTS (images);
    return images;
}

/* ---- reference normalisation -------------------------------------------- */

/* The rules of distribution/reference's ParseNormalizedNamed, which Docker,
 * containerd and the kubelet share: the first path component is a registry
 * host when there is a later one and it contains '.' or ':' or is
 * "localhost"; otherwise the registry is docker.io, where a one-component
 * path gains "library/". "index.docker.io" is the legacy spelling of
 * docker.io. */
static gboolean
is_registry_host (const char *name, gsize len)
{
    return memchr (name, '.', len) != NULL
           || memchr (name, ':', len) != NULL
           || (len == strlen ("localhost")
               && strncmp (name, "localhost", len) == 0);
}

/* This is a normaliser, not a validator: malformed references come out
 * in some form that matches no catalogue entry. A digest ("@sha256:...")
 * is kept verbatim, and a reference with one gets no default tag; a tag
 * given alongside it is kept, as Docker does. */
char *
catalog_normalize_reference (const char *reference)
{
    const char *at, *slash, *path, *last;
    const char *domain = "docker.io", *library = "", *tag = "";
    g_autofree char *name = NULL;
    g_autofree char *host = NULL;

    g_return_val_if_fail (reference != NULL, NULL);

    at = strchr (reference, '@');
    name = at != NULL ? g_strndup (reference, (gsize) (at - reference))
                      : g_strdup (reference);

    path = name;
    slash = strchr (name, '/');
    if (slash != NULL && is_registry_host (name, (gsize) (slash - name))) {
        host = g_strndup (name, (gsize) (slash - name));
        domain = strcmp (host, "index.docker.io") == 0 ? "docker.io" : host;
        path = slash + 1;
    }
    if (strcmp (domain, "docker.io") == 0 && strchr (path, '/') == NULL)
        library = "library/";

    last = strrchr (path, '/');
    last = last != NULL ? last + 1 : path;
    if (at == NULL && strchr (last, ':') == NULL)
        tag = ":latest";

    return g_strconcat (domain, "/", library, path, tag,
                        at != NULL ? at : "", NULL);
}

/* ---- what a reference says about itself --------------------------------- */

/* The tag conventions (KEYS.md, "Images without an entry"):
 *
 * - Microsoft's release names: ltsc2016, ltsc2019, ltsc2022, ltsc2025,
 *   20H2, 23H2, and full versions 10.0.BUILD[.REV] (mcr.microsoft.com tags
 *   such as servercore:10.0.17763.5458). The builds are ref §1's table.
 * - The SAC numbers 1607, 1709, 1803, 1809, 1903, 1909, 2004 (ref §1) are
 *   read as builds only when another part already says Windows: alone, a
 *   four-digit tag is as likely a year or an app version.
 * - Base names: windowsservercore, servercore, nanoserver, and the path
 *   component windows (mcr.microsoft.com/windows/...), as the MCR images
 *   and the community's derived tags (aspnet:4.8-windowsservercore-
 *   ltsc2019, pause:3.10-windows-ltsc2022-amd64) write them; alpine,
 *   bookworm/bullseye, jammy/noble for the Linux bases of ref §5.1.
 * - Architectures amd64 and arm64 as tag parts (...-ltsc2022-amd64).
 *
 * Tags are split at '-' and '_' and compared case-insensitively. */

static const struct {
    const char *word;
    KbOs os;
    CatalogBase base;
} base_words[] = {
    { "windowsservercore", KB_OS_WINDOWS, CATALOG_BASE_SERVERCORE },
    { "servercore",        KB_OS_WINDOWS, CATALOG_BASE_SERVERCORE },
    { "nanoserver",        KB_OS_WINDOWS, CATALOG_BASE_NANOSERVER },
    { "windows",           KB_OS_WINDOWS, CATALOG_BASE_UNKNOWN },
    { "alpine",            KB_OS_LINUX,   CATALOG_BASE_ALPINE },
    { "bookworm",          KB_OS_LINUX,   CATALOG_BASE_DEBIAN },
    { "bullseye",          KB_OS_LINUX,   CATALOG_BASE_DEBIAN },
    { "debian",            KB_OS_LINUX,   CATALOG_BASE_DEBIAN },
    { "jammy",             KB_OS_LINUX,   CATALOG_BASE_UBUNTU },
    { "noble",             KB_OS_LINUX,   CATALOG_BASE_UBUNTU },
    { "ubuntu",            KB_OS_LINUX,   CATALOG_BASE_UBUNTU },
};

/* Names that are Windows builds on their own, and those that are only
 * when something else says Windows. */
static const char *const sure_builds[] = {
    "ltsc2016", "ltsc2019", "ltsc2022", "ltsc2025", "20H2", "23H2", NULL
};
static const char *const sac_builds[] = {
    "1607", "1709", "1803", "1809", "1903", "1909", "2004", NULL
};

static gboolean
in_list (const char *const *list, const char *word)
{
    for (gsize i = 0; list[i]; i++)
        if (g_ascii_strcasecmp (list[i], word) == 0)
            return TRUE;
    return FALSE;
}

static void
hint_os (CatalogHints *h, KbOs os, const char *where, const char *word)
{
    if (h->os != KB_OS_UNKNOWN)
        return;
    h->os = os;
    g_snprintf (h->os_from, sizeof h->os_from, "%s '%s'", where, word);
}

static void
hint_build (CatalogHints *h, const char *word)
{
    WinVersion v;

    if (!platform_win_version_parse (word, &v, NULL))
        return;
    if (h->has_build && h->build.build != v.build) {
        h->build_conflict = TRUE;
        return;
    }
    if (h->has_build && h->build.revision >= 0)
        return;             /* keep the fuller 10.0.B.R */
    h->has_build = TRUE;
    h->build = v;
    g_snprintf (h->build_from, sizeof h->build_from, "tag '%s'", word);
    hint_os (h, KB_OS_WINDOWS, "tag", word);
}

static void
hint_word (CatalogHints *h, const char *where, const char *word)
{
    for (gsize i = 0; i < G_N_ELEMENTS (base_words); i++) {
        if (g_ascii_strcasecmp (word, base_words[i].word) != 0
            && !(base_words[i].base == CATALOG_BASE_ALPINE
                 && g_ascii_strncasecmp (word, "alpine", 6) == 0))
            continue;
        hint_os (h, base_words[i].os, where, word);
        if (h->base == CATALOG_BASE_UNKNOWN
            && base_words[i].base != CATALOG_BASE_UNKNOWN) {
            h->base = base_words[i].base;
            g_snprintf (h->base_from, sizeof h->base_from, "%s '%s'", where,
                        word);
        }
        return;
    }
    if (strcmp (where, "path") == 0)
        return;
    if (in_list (sure_builds, word) || g_str_has_prefix (word, "10.0."))
        hint_build (h, word);
    else if (g_ascii_strcasecmp (word, "amd64") == 0)
        h->arch = KB_ARCH_AMD64;
    else if (g_ascii_strcasecmp (word, "arm64") == 0)
        h->arch = KB_ARCH_ARM64;
}

void
catalog_reference_hints (const char *reference, CatalogHints *out)
{
    g_autofree char *norm = NULL;
    g_auto (GStrv) path = NULL, words = NULL;
    char *at, *colon, *last;

    g_return_if_fail (reference != NULL && out != NULL);
    memset (out, 0, sizeof *out);
    out->build.revision = -1;
    norm = catalog_normalize_reference (reference);
    if ((at = strchr (norm, '@')) != NULL)
        *at = '\0';
    last = strrchr (norm, '/');
    colon = strrchr (last ? last : norm, ':');
    if (colon != NULL)
        *colon = '\0';
    /* the path without its registry host: normalised names have one */
    path = g_strsplit (last ? strchr (norm, '/') + 1 : norm, "/", -1);
    for (guint i = 0; path[i]; i++) {
        hint_word (out, "path", path[i]);
        if (g_ascii_strcasecmp (path[i], "server") == 0 && i > 0
            && g_ascii_strcasecmp (path[i - 1], "windows") == 0
            && out->base == CATALOG_BASE_UNKNOWN) {
            out->base = CATALOG_BASE_SERVER;
            g_snprintf (out->base_from, sizeof out->base_from,
                        "path 'windows/server'");
        }
    }
    if (colon == NULL)
        return;
    words = g_strsplit_set (colon + 1, "-_", -1);
    for (guint i = 0; words[i]; i++)
        hint_word (out, "tag", words[i]);
    if (out->os != KB_OS_WINDOWS)
        return;
    for (guint i = 0; words[i]; i++)
        if (in_list (sac_builds, words[i]))
            hint_build (out, words[i]);
    if (out->build_conflict) {
        out->has_build = FALSE;
        out->build_from[0] = '\0';
    }
}

const char *
catalog_base_name (CatalogBase base)
{
    static const char *const names[] = {
        "", "nanoserver", "servercore", "server", "alpine", "debian",
        "ubuntu"
    };

    g_return_val_if_fail ((guint) base < G_N_ELEMENTS (names), "");
    return names[base];
}

const CatalogImage *
catalog_base_image (CatalogBase base, guint build)
{
    const char *ltsc = build == 17763 ? "ltsc2019"
                       : build == 20348 ? "ltsc2022"
                       : build == 26100 ? "ltsc2025" : NULL;
    g_autofree char *name = NULL;

    switch (base) {
    case CATALOG_BASE_ALPINE:
        return catalog_image_lookup ("alpine:3.22");
    case CATALOG_BASE_DEBIAN:
        return catalog_image_lookup ("debian:bookworm-slim");
    case CATALOG_BASE_UBUNTU:
        return catalog_image_lookup ("ubuntu:24.04");
    case CATALOG_BASE_UNKNOWN:
        return NULL;
    default:
        break;
    }
    if (ltsc == NULL)
        return NULL;
    name = g_strdup_printf ("mcr.microsoft.com/windows/%s:%s",
                            catalog_base_name (base), ltsc);
    return catalog_image_lookup (name);
}
