/* image.c: platform matching for image pulls, as containerd does it.
 *
 * See image.h. The Windows build rule itself is platform.c's
 * (platform_win_containerd_match); here it is applied to an image index,
 * with containerd's preference for the highest os.version among the
 * compatible entries (containerd/platforms windowsMatchComparer).
 */
#include "models/image.h"

#include <string.h>

static gboolean
entry_fits (const KbManifestSpec *m, KbOs os, KbArch arch,
            const WinVersion *host_build, gboolean host_process)
{
    if (m->os != os || m->arch != arch)
        return FALSE;
    if (os != KB_OS_WINDOWS || host_process || !m->has_os_version)
        return TRUE;
    return platform_win_match_ok (
        platform_win_containerd_match (host_build, &m->os_version));
}

/* Higher os.version first; an entry without one ranks below any with. */
static gboolean
entry_better (const KbManifestSpec *a, const KbManifestSpec *b)
{
    if (b == NULL)
        return TRUE;
    if (a->has_os_version != b->has_os_version)
        return a->has_os_version;
    if (a->os_version.build != b->os_version.build)
        return a->os_version.build > b->os_version.build;
    return a->os_version.revision > b->os_version.revision;
}

ImageChoice
image_select (const KbImageSpec *img, KbOs os, KbArch arch,
              const WinVersion *host_build, gboolean host_process)
{
    ImageChoice c = { IMAGE_NO_MATCH, NULL };

    if (!img->is_index) {
        const KbManifestSpec *m = g_ptr_array_index (img->manifests, 0);

        c.manifest = m;
        if (m->os != os)
            c.verdict = IMAGE_WRONG_OS;
        else if (!entry_fits (m, os, m->arch, host_build, host_process))
            c.verdict = IMAGE_WRONG_BUILD;
        else
            c.verdict = IMAGE_OK;
        return c;
    }
    for (guint i = 0; i < img->manifests->len; i++) {
        const KbManifestSpec *m = g_ptr_array_index (img->manifests, i);

        if (entry_fits (m, os, arch, host_build, host_process)
            && entry_better (m, c.manifest)) {
            c.manifest = m;
            c.verdict = IMAGE_OK;
        }
    }
    return c;
}

char *
image_entry_verdict (const KbManifestSpec *m, KbOs os, KbArch arch,
                     const WinVersion *host_build, gboolean host_process,
                     gboolean *fits)
{
    g_autofree char *ver = m->has_os_version
        ? platform_win_version_format (&m->os_version) : NULL;
    g_autofree char *plat = g_strdup_printf ("%s/%s%s%s",
                                             platform_os_name (m->os),
                                             platform_arch_name (m->arch),
                                             ver ? " " : "", ver ? ver : "");

    *fits = entry_fits (m, os, arch, host_build, host_process);
    if (m->os != os)
        return g_strdup_printf ("%s: the host runs %s, and a container "
                                "shares its host's kernel", plat,
                                platform_os_name (os));
    if (m->arch != arch)
        return g_strdup_printf ("%s: the host is %s", plat,
                                platform_arch_name (arch));
    if (os == KB_OS_WINDOWS && host_process)
        return g_strdup_printf ("%s: fits (HostProcess containers are exempt "
                                "from build matching)", plat);
    if (os == KB_OS_WINDOWS) {
        PlatformWinMatch r = platform_win_containerd_match (
            host_build, m->has_os_version ? &m->os_version : NULL);
        g_autofree char *why = platform_win_match_describe (
            r, host_build, m->has_os_version ? &m->os_version : NULL);

        return g_strdup_printf ("%s: %s", plat, why);
    }
    return g_strdup_printf ("%s: fits", plat);
}

char *
image_pull_error (const char *image)
{
    /* containerd's error for an index with no entry for the host's
     * platform (facts section 6, containerd#7439, #6989). */
    return g_strdup_printf ("rpc error: code = NotFound desc = failed to pull "
                            "and unpack image \"%s\": no match for platform "
                            "in manifest: not found", image);
}

char *
image_create_error (KbOs image_os)
{
    return g_strdup_printf ("failed to create containerd container: image "
                            "operating system \"%s\" cannot be used on this "
                            "platform", platform_os_name (image_os));
}

char *
image_ref_normalise (const char *image)
{
    const char *slash = strchr (image, '/');
    const char *last = strrchr (image, '/');
    gboolean has_domain = slash != NULL
        && (memchr (image, '.', slash - image) != NULL
            || memchr (image, ':', slash - image) != NULL
            || strncmp (image, "localhost/", 10) == 0);
    const char *name = last ? last + 1 : image;
    gboolean tagged = strchr (name, ':') != NULL || strchr (name, '@');

    if (has_domain)
        return g_strconcat (image, tagged ? "" : ":latest", NULL);
    return g_strconcat ("docker.io/", slash ? "" : "library/", image,
                        tagged ? "" : ":latest", NULL);
}

char *
image_runtime_id (const char *pod, const char *container)
{
    g_autofree char *key = g_strconcat (container ? "container:" : "sandbox:",
                                        pod, "/", container ? container : "",
                                        NULL);

    return g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
}

/* What hcsshim reports when a process-isolated compute system has another
 * build than the host (internal/hcs/system.go names the operation
 * "hcs::CreateComputeSystem" and the ID), as containerd's shim returns it:
 * runtime/v2 task_manager.go "failed to create shim task: %w", the ttrpc
 * code Unknown appended as ": unknown" (facts 10.2). */
static char *
hcs_mismatch (const char *id)
{
    return g_strdup_printf ("failed to create shim task: "
                            "hcs::CreateComputeSystem %s: The container "
                            "operating system does not match the host "
                            "operating system.: unknown", id);
}

char *
image_start_error (const char *pod, const char *container)
{
    g_autofree char *id = image_runtime_id (pod, container);
    g_autofree char *hcs = hcs_mismatch (id);

    /* internal/cri/server/container_start.go: "failed to create containerd
     * task: %w". The create step before it made no HCS call. */
    return g_strdup_printf ("failed to create containerd task: %s", hcs);
}

char *
image_sandbox_error (const char *pod)
{
    g_autofree char *id = image_runtime_id (pod, NULL);
    g_autofree char *hcs = hcs_mismatch (id);

    /* containerd 2.x internal/cri/server/sandbox_run.go "failed to start
     * sandbox %q: %w" around podsandbox/sandbox_run.go "failed to create
     * containerd task: %w"; the kubelet's "Failed to create pod sandbox:
     * %v" around the gRPC status (facts 10.2). */
    return g_strdup_printf ("Failed to create pod sandbox: rpc error: code = "
                            "Unknown desc = failed to start sandbox \"%s\": "
                            "failed to create containerd task: %s", id, hcs);
}

char *
image_sandbox_pull_error (const char *pause_image)
{
    g_autofree char *ref = image_ref_normalise (pause_image);

    /* podsandbox/sandbox_run.go "failed to get sandbox image %q: %w"
     * (the image as configured), ensureImageExists "failed to pull image
     * %q: %w", image_pull.go "failed to pull and unpack image %q: %w" (the
     * normalised reference), then the platform matcher's "no match for
     * platform in manifest: not found", a NotFound (facts 6, 10.2). */
    return g_strdup_printf ("Failed to create pod sandbox: rpc error: code = "
                            "NotFound desc = failed to get sandbox image "
                            "\"%s\": failed to pull image \"%s\": failed to "
                            "pull and unpack image \"%s\": no match for "
                            "platform in manifest: not found", pause_image,
                            pause_image, ref);
}

/* A documentation address (RFC 5737, 203.0.113.0/24) that stands for the
 * registry host's, the same for the same host. */
static guint
doc_ip_octet (const char *host)
{
    return g_str_hash (host) % 254 + 1;
}

char *
image_registry_timeout_error (const char *image, gboolean sandbox)
{
    g_autofree char *ref = image_ref_normalise (image);
    const char *slash = strchr (ref, '/');
    g_autofree char *domain = g_strndup (ref, slash - ref);
    const char *path = slash + 1;
    const char *at = strchr (path, '@');
    const char *colon = at ? at : strrchr (path, ':');
    g_autofree char *repo = g_strndup (path, colon - path);
    /* containerd's resolver asks registry-1.docker.io for docker.io
     * (remotes/docker/config/hosts.go). */
    const char *host = strcmp (domain, "docker.io") == 0
        ? "registry-1.docker.io" : domain;
    g_autofree char *resolve = g_strdup_printf (
        "failed to pull and unpack image \"%s\": failed to resolve reference "
        "\"%s\": failed to do request: Head \"https://%s/v2/%s/manifests/%s\""
        ": dial tcp 203.0.113.%u:443: i/o timeout", ref, ref, host, repo,
        colon + 1, doc_ip_octet (host));

    /* client/pull.go "failed to resolve reference %q: %w", the resolver's
     * "failed to do request: %w" around Go's net/http error (facts 10.2);
     * gRPC code Unknown, as containerd adds no code to a network error. */
    if (sandbox)
        return g_strdup_printf ("Failed to create pod sandbox: rpc error: "
                                "code = Unknown desc = failed to get sandbox "
                                "image \"%s\": failed to pull image \"%s\": "
                                "%s", image, image, resolve);
    return g_strdup_printf ("rpc error: code = Unknown desc = %s", resolve);
}
