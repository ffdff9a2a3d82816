/* sandbox.c: the pod sandbox a node runs, for node pools and node lists.
 *
 * Every node, whether it comes from a scenario's node_pools (loader.c) or
 * from `kubectl get nodes -o yaml` (manifest.c), gets its sandbox (pause)
 * image and its container start time here, so the two readers cannot
 * drift apart. Keys and defaults are documented in scenarios/KEYS.md.
 */
#include "scenarios/loader-private.h"

#include "models/catalog.h"

#define DEFAULT_SANDBOX_IMAGE   "registry.k8s.io/pause:3.10"
#define DEFAULT_START_LINUX     (1 * SIM_SEC)
#define DEFAULT_START_WINDOWS   (5 * SIM_SEC)

/* The sandbox (pause) image and the container start time. The pause image
 * is multi-arch with Windows entries per build (facts section 3); a
 * Windows start takes longer than a Linux one. NEEDSWORK: the start times
 * are not in the reference; they are parameters with plain defaults. */
void
loader__default_sandbox (LoadCtx *ctx, const YNode *m, KbPoolSpec *p)
{
    g_autofree char *pause = NULL;

    if (loader__get_str (ctx, m, "sandbox_image", "", FALSE, &pause))
        p->sandbox_image = catalog_normalize_reference (pause);
    else
        p->sandbox_image = g_strdup (DEFAULT_SANDBOX_IMAGE);
    loader__use_image (ctx, p->sandbox_image,
                       ynode_get (m, "sandbox_image")
                           ? ynode_get (m, "sandbox_image") : m);
    p->container_start = p->os == KB_OS_WINDOWS ? DEFAULT_START_WINDOWS
                                                : DEFAULT_START_LINUX;
    loader__get_duration (ctx, m, "container_start", "", &p->container_start);
}
