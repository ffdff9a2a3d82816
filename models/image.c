/* image.c: platform matching for image pulls, as containerd does it.
 *
 * See image.h. The Windows build rule itself is platform.c's
 * (platform_win_containerd_match); here it is applied to an image index,
 * with containerd's preference for the highest os.version among the
 * compatible entries (containerd/platforms windowsMatchComparer).
 */
#include "models/image.h"

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
image_create_error (const char *container, ImageVerdict verdict,
                    KbOs image_os)
{
    if (verdict == IMAGE_WRONG_BUILD)
        /* hcsshim's wording (facts section 6: microsoft/service-fabric
         * #1000); the kubelet reason is CreateContainerError (inferred
         * there, not observed). */
        return g_strdup_printf ("failed to create containerd container: "
                                "hcsshim::CreateComputeSystem %s: The "
                                "container operating system does not match "
                                "the host operating system. (0xc0370101)",
                                container);
    return g_strdup_printf ("failed to create containerd container: image "
                            "operating system \"%s\" cannot be used on this "
                            "platform", platform_os_name (image_os));
}

char *
image_sandbox_error (const char *pod, const char *pause_image)
{
    /* FailedCreatePodSandBox with the 0xc0370101 text (facts section 6:
     * MicrosoftDocs/Virtualization-Documentation#765). */
    return g_strdup_printf ("Failed to create pod sandbox: rpc error: code = "
                            "Unknown desc = failed to start sandbox container "
                            "for pod \"%s\": hcsshim::CreateComputeSystem "
                            "%s: The container operating system does not "
                            "match the host operating system. (0xc0370101) "
                            "(sandbox image %s)", pod, pod, pause_image);
}
