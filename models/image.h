/* image.h: which entry of an image a node pulls, and what goes wrong.
 *
 * containerd picks the manifest from an image index by platform (facts
 * section 2): OS and architecture must match; for Windows, the host and
 * image builds must satisfy containerd's rule (platform.h), preferring the
 * highest compatible os.version; an entry without os.version matches any
 * build; HostProcess containers are exempt from build matching. The filter
 * applies only inside an index: a single (non-index) manifest is pulled
 * whatever its platform and fails later, when the container is created.
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
                             * build: pulls, then create fails (0xc0370101) */
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

/* The messages a real cluster prints (facts section 6).
 * (transfer full). */
char *image_pull_error (const char *image);
char *image_create_error (const char *container, ImageVerdict verdict,
                          KbOs image_os);
char *image_sandbox_error (const char *pod, const char *pause_image);

G_END_DECLS

#endif
