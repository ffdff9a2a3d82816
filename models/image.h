/* image.h: which entry of an image a node pulls, and what goes wrong.
 *
 * containerd picks the manifest from an image index by platform (facts
 * section 2): OS and architecture must match; for Windows, the host and
 * image builds must satisfy containerd's rule (platform.h), preferring the
 * highest compatible os.version; an entry without os.version matches any
 * build; HostProcess containers are exempt from build matching. The filter
 * applies only inside an index: a single (non-index) manifest is pulled
 * whatever its platform and fails later: at create for another OS, when
 * its task starts for another Windows build.
 *
 * Knows no node, pod or cluster: a host's platform in, a choice out.
 */
#ifndef KBSIM_IMAGE_H
#define KBSIM_IMAGE_H

#include <glib.h>

#include "models/platform.h"
#include "models/spec.h"

G_BEGIN_DECLS

typedef enum {
    IMAGE_OK,               /* an entry runs on this host */
    IMAGE_NO_MATCH,         /* index without a compatible entry: the pull
                             * fails (ErrImagePull) */
    IMAGE_WRONG_OS,         /* single manifest of another OS: pulls, then
                             * create fails */
    IMAGE_WRONG_BUILD       /* single Windows manifest of an incompatible
                             * build: pulls and is created, then the task
                             * fails to start (hcs::CreateComputeSystem) */
} ImageVerdict;

typedef struct {
    ImageVerdict verdict;
    const KbManifestSpec *manifest; /* the entry pulled; NULL for
                                     * IMAGE_NO_MATCH */
} ImageChoice;

ImageChoice image_select (const KbImageSpec *img, KbOs os, KbArch arch,
                          const WinVersion *host_build,
                          gboolean host_process);

/* Why one index entry does or does not fit the host, for explanations:
 * "linux/amd64: the host runs Windows" or "windows/amd64 10.0.17763: a
 * host below build 20348 runs only images of its own build ...".
 * (transfer full). */
char *image_entry_verdict (const KbManifestSpec *m, KbOs os, KbArch arch,
                           const WinVersion *host_build,
                           gboolean host_process, gboolean *fits);

/* The messages a real cluster prints (facts sections 6 and 10.2), each
 * the runtime's part only: the kubelet adds its own prefix where it has
 * one. All (transfer full), free with g_free().
 *
 * image_ref_normalise: a reference as containerd writes it
 * (distribution/reference ParseDockerRef): "nginx:1.27" becomes
 * "docker.io/library/nginx:1.27", a missing tag ":latest".
 *
 * image_runtime_id: the 64 hex digits containerd would use as the ID of a
 * container or sandbox; containerd draws them at random, here they are the
 * SHA-256 of the names, so a seed gives the same text every time.
 * container is NULL for a pod's sandbox.
 *
 * image_pull_error: an index with no entry for the host's platform.
 * image_create_error: a single manifest of another OS, at create.
 * image_start_error: a single Windows manifest of another build: the
 * container was created, its task fails to start.
 * image_sandbox_error: the same for the pod's sandbox (pause) container,
 * in the kubelet's FailedCreatePodSandBox words.
 * image_sandbox_pull_error: a pause image index with no entry for the
 * host: the sandbox fails when containerd pulls it.
 * image_registry_timeout_error: the registry cannot be reached; with
 * sandbox, as the sandbox image's pull inside FailedCreatePodSandBox. */
char *image_ref_normalise (const char *image);
char *image_runtime_id (const char *pod, const char *container);
char *image_pull_error (const char *image);
char *image_create_error (KbOs image_os);
char *image_start_error (const char *pod, const char *container);
char *image_sandbox_error (const char *pod);
char *image_sandbox_pull_error (const char *pause_image);
char *image_registry_timeout_error (const char *image, gboolean sandbox);

G_END_DECLS

#endif
