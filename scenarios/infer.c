/* infer.c: an image that neither the scenario's images: nor the built-in
 * catalogue describes, inferred from what the scenario says about it.
 *
 * Real manifests name images nobody wrote an entry for. Rather than
 * refuse them, the loader builds an entry from three kinds of evidence,
 * strongest first, and says under Defaults used what it inferred and
 * from where:
 *
 *   1. the reference itself: its tag and path (catalog_reference_hints:
 *      ltsc2019, 1809 after windowsservercore-, nanoserver-ltsc2022,
 *      mcr.microsoft.com/windows/...);
 *   2. its users: the pods whose containers run it (spec.os.name, a
 *      kubernetes.io/os nodeSelector or required node affinity, their
 *      RuntimeClass's nodeSelector, hostProcess), the pools that use it
 *      as sandbox or prepulled image, a node whose status.images lists it;
 *   3. the cluster: when every pool runs Linux, so does the image.
 *
 * Nothing here pretends to know a Windows build: an image whose build no
 * part of its reference tells gets a Windows entry without os.version,
 * which containerd matches on every build (containerd/platforms
 * platform_windows_compat.go; ref §2: "Empty/missing os.version matches
 * anything"), and a warning that the build barrier cannot be judged for
 * it, with the images: entry that would settle it.
 *
 * Sizes: what a node's status.images reports; else the catalogue's base
 * image the reference names (Windows bases share the catalogue's layers,
 * as every image built on a Server Core or Nano Server release carries
 * its "Apply image" base layer, ref §5.1 notes); the image's own layers
 * on top are not known and not counted, which the note says. Inferred
 * images are indexes (manifest lists): the MCR and Docker official images
 * are published so (ref §5.2), and an index is what makes a wrong-build
 * pull fail with containerd's "no match for platform in manifest".
 */
#include "scenarios/loader-private.h"

#include <string.h>

#include "models/catalog.h"
#include "sim/units.h"

/* Typical sizes where the reference names no base (ref §5.1): a Windows
 * image is taken to be built on Server Core, as the .NET Framework, IIS
 * and most application images are (ltsc2022: base 1.49 GB + update
 * 0.69 GB); a Linux one on debian:bookworm-slim, 28.2 MB, the base of most
 * official images. Both are lower bounds: the image's own layers are not
 * known. */
#define TYPICAL_WINDOWS_SIZE ((gint64) 2180000000)
#define TYPICAL_LINUX_SIZE   ((gint64) 28200000)

/* What the users of an image ask for. */
typedef struct {
    gboolean os[3];             /* indexed by KbOs */
    char *why[3];               /* the first "spec.os.name of the pod at
                                 * f:l:c" for each */
    KbArch arch;                /* the first arch asked for, or unknown */
} Users;

static void
users_clear (Users *u)
{
    for (guint i = 0; i < G_N_ELEMENTS (u->why); i++)
        g_free (u->why[i]);
}

static void
users_add (Users *u, KbOs os, char *why)
{
    if (os == KB_OS_UNKNOWN || u->os[os]) {
        g_free (why);
        return;
    }
    u->os[os] = TRUE;
    u->why[os] = why;
}

static char *
loc_text (const KbLoc *loc)
{
    return g_strdup_printf ("%s:%u:%u", loc->file ? loc->file : "?",
                            loc->line, loc->col);
}

/* kubernetes.io/os as every required node affinity term asks for it with
 * In and one value; KB_OS_UNKNOWN when the terms do not all agree. */
static KbOs
affinity_os (const KbPodTemplate *t)
{
    KbOs os = KB_OS_UNKNOWN;

    for (guint i = 0; i < t->required_terms->len; i++) {
        const KbSelectorTerm *term = g_ptr_array_index (t->required_terms,
                                                        i);
        KbOs here = KB_OS_UNKNOWN;

        for (guint j = 0; j < term->requirements->len; j++) {
            const KbSelectorRequirement *r =
                g_ptr_array_index (term->requirements, j);

            if (!r->field && r->op == KB_SELECTOR_IN && r->values->len == 1
                && strcmp (r->key, "kubernetes.io/os") == 0)
                here = platform_os_from_string (
                    g_ptr_array_index (r->values, 0));
        }
        if (here == KB_OS_UNKNOWN || (i > 0 && here != os))
            return KB_OS_UNKNOWN;
        os = here;
    }
    return os;
}

/* The OS a pod template asks for, and the field that says so. */
static KbOs
template_os (const Scenario *s, const KbPodTemplate *t, const char **field)
{
    const char *sel = kb_labels_get (t->node_selector, "kubernetes.io/os");
    const KbRuntimeClassSpec *rc = t->runtime_class
        ? scenario_find_runtime_class (s, t->runtime_class) : NULL;
    const char *rc_sel = rc ? kb_labels_get (rc->node_selector,
                                             "kubernetes.io/os") : NULL;
    KbOs os;

    *field = "spec.os.name";
    if (t->os_name != KB_OS_UNKNOWN)
        return t->os_name;
    *field = "nodeSelector kubernetes.io/os";
    if (sel && (os = platform_os_from_string (sel)) != KB_OS_UNKNOWN)
        return os;
    *field = "required node affinity on kubernetes.io/os";
    if ((os = affinity_os (t)) != KB_OS_UNKNOWN)
        return os;
    *field = "RuntimeClass nodeSelector";
    if (rc_sel && (os = platform_os_from_string (rc_sel)) != KB_OS_UNKNOWN)
        return os;
    *field = "windowsOptions.hostProcess";
    if (t->host_process)
        return KB_OS_WINDOWS;
    return KB_OS_UNKNOWN;
}

static gboolean
template_uses (const KbPodTemplate *t, const char *ref)
{
    const GPtrArray *lists[] = { t->containers, t->init_containers };

    for (guint k = 0; k < G_N_ELEMENTS (lists); k++)
        for (guint i = 0; i < lists[k]->len; i++)
            if (strcmp (((KbContainerSpec *)
                         g_ptr_array_index (lists[k], i))->image, ref) == 0)
                return TRUE;
    return FALSE;
}

static void
template_evidence (const Scenario *s, const KbPodTemplate *t, Users *u)
{
    const char *field;
    KbOs os = template_os (s, t, &field);
    const char *arch = kb_labels_get (t->node_selector, "kubernetes.io/arch");
    g_autofree char *where = loc_text (&t->loc);

    if (os != KB_OS_UNKNOWN)
        users_add (u, os, g_strdup_printf ("%s of the pod at %s", field,
                                           where));
    if (arch && u->arch == KB_ARCH_UNKNOWN)
        u->arch = platform_arch_from_string (arch);
}

static gboolean
has_string (const GPtrArray *list, const char *s)
{
    for (guint i = 0; i < list->len; i++)
        if (strcmp (g_ptr_array_index (list, i), s) == 0)
            return TRUE;
    return FALSE;
}

/* Every user of ref: pods (workloads and rollouts), pools, nodes. */
static void
gather_users (LoadCtx *ctx, const char *ref, Users *u)
{
    const Scenario *s = ctx->s;
    const LoaderNodeImage *ni;

    for (guint i = 0; i < s->workloads->len; i++) {
        const KbWorkloadSpec *w = g_ptr_array_index (s->workloads, i);

        if (template_uses (w->template, ref))
            template_evidence (s, w->template, u);
    }
    for (guint i = 0; i < s->events->len; i++) {
        const KbEventSpec *e = g_ptr_array_index (s->events, i);
        const KbWorkloadSpec *w = e->image && e->workload
            ? scenario_find_workload (s, e->workload) : NULL;

        if (w && strcmp (e->image, ref) == 0)
            template_evidence (s, w->template, u);
    }
    for (guint i = 0; i < s->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (s->pools, i);
        gboolean sandbox = p->sandbox_image
                           && strcmp (p->sandbox_image, ref) == 0;

        if (sandbox || has_string (p->prepulled, ref))
            users_add (u, p->os, g_strdup_printf (
                "node pool %s, which %s it", p->name,
                sandbox ? "runs it as sandbox image" : "has it prepulled"));
    }
    ni = ctx->node_images ? g_hash_table_lookup (ctx->node_images, ref)
                          : NULL;
    if (ni != NULL)
        users_add (u, ni->os, g_strdup_printf ("node %s, whose "
                                               "status.images lists it",
                                               ni->node));
}

/* The OS an image without an entry runs on; *why says how that was told,
 * *assumed whether it was only assumed. Several OSes when its users ask
 * for several and its name tells none: a multi-OS index. */
static void
decide_os (LoadCtx *ctx, const CatalogHints *h, Users *u, gboolean os[3],
           GString *why, gboolean *assumed)
{
    gboolean any_windows = FALSE;

    *assumed = FALSE;
    memset (os, 0, 3 * sizeof os[0]);
    if (h->os != KB_OS_UNKNOWN) {
        KbOs other = h->os == KB_OS_LINUX ? KB_OS_WINDOWS : KB_OS_LINUX;

        os[h->os] = TRUE;
        g_string_append_printf (why, "from the %s", h->os_from);
        if (u->os[other])
            g_string_append_printf (why, " (the %s asks for %s nodes, where "
                                    "it cannot run)", u->why[other],
                                    platform_os_name (other));
        return;
    }
    for (KbOs o = KB_OS_LINUX; o <= KB_OS_WINDOWS; o++)
        if (u->os[o]) {
            os[o] = TRUE;
            g_string_append_printf (why, "%s%s from the %s", why->len ? "; "
                                    : "", platform_os_name (o), u->why[o]);
        }
    if (why->len)
        return;
    for (guint i = 0; i < ctx->s->pools->len; i++)
        any_windows |= ((KbPoolSpec *) g_ptr_array_index (ctx->s->pools,
                                                          i))->os
                       == KB_OS_WINDOWS;
    os[KB_OS_LINUX] = TRUE;
    if (!any_windows) {
        g_string_append (why, "as every node pool runs Linux");
        return;
    }
    g_string_append (why, "assumed, as neither its name nor its pods say "
                     "(no spec.os.name or kubernetes.io/os selector)");
    *assumed = TRUE;
}

/* One layer of size bytes that only this image has. */
static void
own_layer (KbManifestSpec *mf, const char *ref, const char *what,
           gint64 size)
{
    KbLayerSpec *l = g_new0 (KbLayerSpec, 1);

    l->digest = g_strdup_printf ("kbsim-inferred:%s@%s", ref, what);
    l->size = size;
    mf->size += size;
    g_ptr_array_add (mf->layers, l);
}

/* The layers of the catalogue manifest of base that fits os/arch/build.
 * FALSE when the catalogue has none. */
static gboolean
base_layers (KbManifestSpec *mf, const CatalogImage *base)
{
    for (guint i = 0; base && i < base->n_manifests; i++) {
        const CatalogManifest *cm = &base->manifests[i];

        if (platform_os_from_string (cm->os) != mf->os
            || platform_arch_from_string (cm->arch) != mf->arch)
            continue;
        for (guint j = 0; j < cm->n_layers; j++) {
            KbLayerSpec *l = g_new0 (KbLayerSpec, 1);

            l->digest = g_strdup (cm->layers[j].digest);
            l->size = cm->layers[j].size;
            mf->size += l->size;
            g_ptr_array_add (mf->layers, l);
        }
        return TRUE;
    }
    return FALSE;
}

/* Fills mf's layers and says where its size came from. */
static void
size_manifest (LoadCtx *ctx, const char *ref, const CatalogHints *h,
               KbManifestSpec *mf, GString *note)
{
    const LoaderNodeImage *ni = ctx->node_images
        ? g_hash_table_lookup (ctx->node_images, ref) : NULL;
    CatalogBase base = h->base;
    const CatalogImage *bi;
    g_autofree char *sz = NULL;

    if (ni != NULL && ni->size > 0 && ni->os == mf->os) {
        own_layer (mf, ref, "node", ni->size);
        sz = units_format_bytes (mf->size);
        g_string_append_printf (note, "%s as node %s's status.images "
                                "reports it", sz, ni->node);
        return;
    }
    if (mf->os == KB_OS_WINDOWS && base == CATALOG_BASE_UNKNOWN)
        base = CATALOG_BASE_SERVERCORE;
    bi = mf->os == KB_OS_WINDOWS && !mf->has_os_version ? NULL
         : catalog_base_image (base, mf->os_version.build);
    if (bi != NULL && mf->os == KB_OS_WINDOWS && base_layers (mf, bi)) {
        sz = units_format_bytes (mf->size);
        g_string_append_printf (note, "%s: the layers of %s it is built on "
                                "(%s; ref §5.1), its own not counted", sz,
                                bi->name, h->base != CATALOG_BASE_UNKNOWN
                                ? h->base_from : "assumed Server Core");
        return;
    }
    if (bi != NULL && base_layers (mf, bi)) {
        /* a Linux base: its size, not its layer, since nothing says the
         * image is built on that very release */
        gint64 size = mf->size;

        g_ptr_array_set_size (mf->layers, 0);
        mf->size = 0;
        own_layer (mf, ref, platform_arch_name (mf->arch), size);
        sz = units_format_bytes (mf->size);
        g_string_append_printf (note, "%s, the size of %s (%s; ref §5.1), "
                                "its own layers not counted", sz, bi->name,
                                h->base_from);
        return;
    }
    own_layer (mf, ref, platform_os_name (mf->os), mf->os == KB_OS_WINDOWS
               ? TYPICAL_WINDOWS_SIZE : TYPICAL_LINUX_SIZE);
    sz = units_format_bytes (mf->size);
    g_string_append_printf (note, "%s, typical of %s (ref §5.1), its own "
                            "layers not counted", sz, mf->os == KB_OS_WINDOWS
                            ? "Server Core ltsc2022" : "debian:bookworm-slim");
}

/* Another tag of the same repository that the catalogue or images: has,
 * for the note: a likely typo, never a different repository. */
static const char *
same_repository (LoadCtx *ctx, const char *ref)
{
    const char *slash = strrchr (ref, '/');
    const char *colon = strrchr (slash ? slash : ref, ':');
    gsize n = colon ? (gsize) (colon - ref) + 1 : 0;
    gsize n_cat;
    const CatalogImage *cat = catalog_images (&n_cat);

    if (n == 0 || strchr (ref, '@'))
        return NULL;
    for (gsize i = 0; i < n_cat; i++)
        if (strncmp (cat[i].name, ref, n) == 0)
            return cat[i].name;
    for (guint i = 0; i < ctx->s->images->len; i++) {
        const KbImageSpec *img = g_ptr_array_index (ctx->s->images, i);

        if (strncmp (img->name, ref, n) == 0)
            return img->name;
    }
    return NULL;
}

static void
warn_no_build (LoadCtx *ctx, const char *ref, const KbLoc *loc)
{
    g_autofree char *where = loc_text (loc);

    g_ptr_array_add (ctx->s->warnings, g_strdup_printf (
        "%s: image %s runs Windows, but nothing tells its build: kbsim "
        "cannot judge the build barrier for it and lets it run on every "
        "Windows build; declare it under images, e.g. {name: %s, "
        "manifests: [{os: windows, os_version: ltsc2022, size: 2.2GB}]} "
        "(os_version and size from `docker manifest inspect -v`), or give "
        "its registry JSON under images_from", where, ref, ref));
}

KbImageSpec *
loader__infer_image (LoadCtx *ctx, const char *ref, const KbLoc *loc)
{
    KbImageSpec *img = kb_image_new ();
    CatalogHints h;
    Users u = { { FALSE }, { NULL }, KB_ARCH_UNKNOWN };
    gboolean os[3], assumed;
    g_autoptr (GString) why = g_string_new (NULL);
    g_autoptr (GString) note = g_string_new (NULL);
    g_autofree char *where = loc_text (loc);
    const char *other;

    catalog_reference_hints (ref, &h);
    gather_users (ctx, ref, &u);
    decide_os (ctx, &h, &u, os, why, &assumed);
    img->name = g_strdup (ref);
    img->is_index = TRUE;
    img->loc = *loc;
    g_string_append_printf (note, "image %s (%s): not under images or in "
                            "the catalogue; inferred", ref, where);
    for (KbOs o = KB_OS_LINUX; o <= KB_OS_WINDOWS; o++) {
        KbManifestSpec *mf;
        g_autofree char *ver = NULL;

        if (!os[o])
            continue;
        mf = kb_manifest_new ();
        mf->os = o;
        mf->arch = h.arch != KB_ARCH_UNKNOWN ? h.arch
                   : u.arch != KB_ARCH_UNKNOWN ? u.arch : KB_ARCH_AMD64;
        mf->loc = *loc;
        if (o == KB_OS_WINDOWS && h.has_build) {
            mf->has_os_version = TRUE;
            mf->os_version = h.build;
            ver = platform_win_version_format (&h.build);
        }
        g_string_append_printf (note, " %s/%s%s%s", platform_os_name (o),
                                platform_arch_name (mf->arch),
                                ver ? " " : "", ver ? ver : "");
        if (ver)
            g_string_append_printf (note, " (build from the %s)",
                                    h.build_from);
        else if (o == KB_OS_WINDOWS)
            g_string_append (note, h.build_conflict
                             ? " (its tag names two builds: none assumed)"
                             : " (no build told: matches every build)");
        g_string_append (note, ", ");
        size_manifest (ctx, ref, &h, mf, note);
        g_string_append (note, ";");
        g_ptr_array_add (img->manifests, mf);
        if (o == KB_OS_WINDOWS && !ver)
            warn_no_build (ctx, ref, loc);
    }
    g_string_append_printf (note, " OS %s", why->str);
    if ((other = same_repository (ctx, ref)) != NULL)
        g_string_append_printf (note, "; %s has an entry (another tag of "
                                "this repository)", other);
    if (assumed)
        g_ptr_array_add (ctx->s->warnings, g_strdup_printf (
            "%s: image %s: nothing tells its OS; linux assumed (declare it "
            "under images with os, arch and size, or set spec.os.name on "
            "its pods)", where, ref));
    g_ptr_array_add (ctx->s->defaults_used, g_string_free (
        g_steal_pointer (&note), FALSE));
    users_clear (&u);
    return img;
}
