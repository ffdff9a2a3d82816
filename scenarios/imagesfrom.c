/* imagesfrom.c: images read from the registry's own JSON (images_from).
 *
 * The formats, as the tools print them:
 *
 * - An OCI image index (opencontainers/image-spec image-index.md, media
 *   type application/vnd.oci.image.index.v1+json) or a Docker manifest
 *   list (distribution's "Image Manifest Version 2, Schema 2",
 *   application/vnd.docker.distribution.manifest.list.v2+json): an object
 *   with `manifests`, each a descriptor {mediaType, digest, size} with a
 *   `platform` {architecture, os, os.version, os.features, variant}. It
 *   names its manifests by digest only. `crane manifest`, `skopeo inspect
 *   --raw`, `regctl manifest get --format raw-body` and `docker buildx
 *   imagetools inspect --raw` print this for a multi-platform tag.
 * - An image manifest (image-spec manifest.md; Docker's
 *   application/vnd.docker.distribution.manifest.v2+json): `config` and
 *   `layers`, descriptors with digest and size. What the same tools print
 *   for a single-platform tag or for REF@DIGEST.
 * - An image config (image-spec config.md): `architecture`, `os`,
 *   `os.version`, `rootfs`. `crane config`, `skopeo inspect --config
 *   --raw`. A single manifest's platform is in its config.
 * - `docker manifest inspect -v` (docker/cli cli/command/manifest/
 *   inspect.go, types.ImageManifest): for a list, an array of {Ref,
 *   Descriptor (with platform), SchemaV2Manifest or OCIManifest}; for a
 *   single image, one such object.
 *
 * A manifest's digest is the SHA-256 of its exact bytes (image-spec
 * descriptor.md), so the files of a folder find each other by digest: an
 * index finds its manifests, a manifest its config, whatever the files
 * are called. A file at DIR/<registry>/<repository>/<tag>.json names
 * the image <registry>/<repository>:<tag>; `docker manifest inspect -v`
 * names it in Ref; {name, file} names it explicitly.
 *
 * Layer digests are kept as the registry gives them, so two images built
 * on the same base layer share it exactly and a node that has pulled one
 * skips it in the other. Entries for platforms kbsim does not model
 * (attestations' unknown/unknown, riscv64, ...) are skipped and counted.
 *
 * Limits, each refused with its own message: a file of IMAGES_JSON_MAX_
 * BYTES, IMAGES_JSON_MAX_DEPTH levels of nesting, IMAGES_JSON_MAX_FILES
 * files under a folder (IMAGES_JSON_MAX_DIRS deep), IMAGES_JSON_MAX_
 * ENTRIES entries in an index, IMAGES_JSON_MAX_LAYERS layers in a
 * manifest. Real ones are far smaller: an index of 16 platforms with
 * attestations is some 10 kB, a Windows manifest has a handful of layers.
 */
#include "scenarios/loader-private.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "models/catalog.h"

#define IMAGES_JSON_MAX_BYTES   (4 * 1024 * 1024)
#define IMAGES_JSON_MAX_DEPTH   32
#define IMAGES_JSON_MAX_FILES   10000
#define IMAGES_JSON_MAX_DIRS    8
#define IMAGES_JSON_MAX_ENTRIES 1000
#define IMAGES_JSON_MAX_LAYERS  1000

typedef enum {
    BLOB_INDEX,                 /* OCI index or Docker manifest list */
    BLOB_MANIFEST,              /* one image manifest */
    BLOB_CONFIG,                /* an image config */
    BLOB_VERBOSE_LIST,          /* docker manifest inspect -v, a list */
    BLOB_VERBOSE_ONE            /* docker manifest inspect -v, one image */
} BlobKind;

typedef struct {
    char *file;                 /* as named in messages */
    char *digest;               /* "sha256:<hex of its bytes>" */
    char *name;                 /* the image it describes, or NULL */
    BlobKind kind;
    JsonNode *root;
    gboolean referenced;        /* an index or verbose list names it */
} Blob;

typedef struct {
    LoadCtx *ctx;
    GPtrArray *blobs;           /* Blob */
    GHashTable *by_digest;      /* digest -> Blob (transfer none) */
    guint n_files;
    const YNode *entry;         /* where images_from was written */
} Reader;

static void
blob_free (gpointer p)
{
    Blob *b = p;

    g_free (b->file);
    g_free (b->digest);
    g_free (b->name);
    json_node_unref (b->root);
    g_free (b);
}

/* ---- reading and classifying files ------------------------------------- */

/* The deepest nesting of [ and { outside strings: json-glib recurses, so
 * a file of 4 MiB of '[' must be refused before it is parsed. */
static guint
json_depth (const char *text, gsize len)
{
    guint depth = 0, max = 0;
    gboolean in_string = FALSE;

    for (gsize i = 0; i < len; i++) {
        char c = text[i];

        if (in_string) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_string = FALSE;
        } else if (c == '"') {
            in_string = TRUE;
        } else if (c == '[' || c == '{') {
            depth++;
            max = MAX (max, depth);
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return max;
}

static const char *
member_str (JsonObject *o, const char *key)
{
    JsonNode *n = o ? json_object_get_member (o, key) : NULL;

    return n && JSON_NODE_HOLDS_VALUE (n)
           && json_node_get_value_type (n) == G_TYPE_STRING
           ? json_node_get_string (n) : NULL;
}

static JsonObject *
member_obj (JsonObject *o, const char *key)
{
    JsonNode *n = o ? json_object_get_member (o, key) : NULL;

    return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static JsonArray *
member_arr (JsonObject *o, const char *key)
{
    JsonNode *n = o ? json_object_get_member (o, key) : NULL;

    return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* Which of the formats root is; FALSE after reporting. */
static gboolean
classify (Reader *r, Blob *b)
{
    JsonObject *o = JSON_NODE_HOLDS_OBJECT (b->root)
                    ? json_node_get_object (b->root) : NULL;
    const char *mt = member_str (o, "mediaType");

    if (JSON_NODE_HOLDS_ARRAY (b->root)) {
        b->kind = BLOB_VERBOSE_LIST;
        return TRUE;
    }
    if (o && json_object_has_member (o, "Descriptor")) {
        b->kind = BLOB_VERBOSE_ONE;
        return TRUE;
    }
    if (o && member_arr (o, "manifests")
        && (mt == NULL
            || strcmp (mt, "application/vnd.oci.image.index.v1+json") == 0
            || strcmp (mt, "application/vnd.docker.distribution.manifest."
                           "list.v2+json") == 0)) {
        b->kind = BLOB_INDEX;
        return TRUE;
    }
    if (o && member_arr (o, "layers") && member_obj (o, "config")) {
        b->kind = BLOB_MANIFEST;
        return TRUE;
    }
    if (o && member_str (o, "os") && member_str (o, "architecture")) {
        b->kind = BLOB_CONFIG;
        return TRUE;
    }
    loader__error_raw (r->ctx, "%s:1:1: not a registry manifest%s%s%s: "
                       "expected an OCI image index, a Docker manifest list, "
                       "an image manifest, an image config or the output of "
                       "`docker manifest inspect -v`", b->file,
                       mt ? " (mediaType '" : "", mt ? mt : "",
                       mt ? "')" : "");
    return FALSE;
}

/* Reads one JSON file as a blob; NULL after reporting. */
static Blob *
read_blob (Reader *r, const char *path, const char *shown)
{
    g_autofree char *text = NULL;
    g_autoptr (GError) err = NULL;
    g_autoptr (JsonParser) parser = NULL;
    gsize len;
    guint depth;
    Blob *b;

    if (!g_file_get_contents (path, &text, &len, &err)) {
        loader__error_raw (r->ctx, "%s: %s", shown, err->message);
        return NULL;
    }
    if (len > IMAGES_JSON_MAX_BYTES) {
        loader__error_raw (r->ctx, "%s:1:1: %" G_GSIZE_FORMAT " bytes is too "
                           "large for a registry manifest (the limit is %d "
                           "MiB; real ones are kilobytes)", shown, len,
                           IMAGES_JSON_MAX_BYTES >> 20);
        return NULL;
    }
    if ((depth = json_depth (text, len)) > IMAGES_JSON_MAX_DEPTH) {
        loader__error_raw (r->ctx, "%s:1:1: JSON nested %u levels deep (the "
                           "limit is %d; a manifest needs 4)", shown, depth,
                           IMAGES_JSON_MAX_DEPTH);
        return NULL;
    }
    parser = json_parser_new ();
    if (!json_parser_load_from_data (parser, text, (gssize) len, &err)) {
        /* json-glib writes "<data>:LINE:COL: Parse error: ..." */
        const char *msg = g_str_has_prefix (err->message, "<data>:")
                          ? err->message + strlen ("<data>:") : err->message;

        loader__error_raw (r->ctx, "%s:%s", shown, msg);
        return NULL;
    }
    if (json_parser_get_root (parser) == NULL) {
        loader__error_raw (r->ctx, "%s:1:1: empty file: expected a registry "
                           "manifest (JSON)", shown);
        return NULL;
    }
    b = g_new0 (Blob, 1);
    b->file = g_strdup (shown);
    b->root = json_node_ref (json_parser_get_root (parser));
    {
        g_autofree char *sum = g_compute_checksum_for_data (
            G_CHECKSUM_SHA256, (const guchar *) text, len);

        b->digest = g_strconcat ("sha256:", sum, NULL);
    }
    if (!classify (r, b)) {
        blob_free (b);
        return NULL;
    }
    return b;
}

static void
add_blob (Reader *r, Blob *b)
{
    if (!g_hash_table_contains (r->by_digest, b->digest))
        g_hash_table_insert (r->by_digest, b->digest, b);
    g_ptr_array_add (r->blobs, b);
}

/* The image a file at rel (relative to its folder) describes by where it
 * lies: <registry>/<repository>/<tag>.json; NULL when too shallow. */
static char *
name_from_path (const char *rel)
{
    g_autofree char *dir = g_path_get_dirname (rel);
    g_autofree char *base = g_path_get_basename (rel);

    if (strchr (dir, '/') == NULL || !g_str_has_suffix (base, ".json"))
        return NULL;
    base[strlen (base) - 5] = '\0';
    return g_strdup_printf ("%s:%s", dir, base);
}

static gint
str_cmp (gconstpointer a, gconstpointer b)
{
    return strcmp (*(const char **) a, *(const char **) b);
}

/* Every *.json under dir (rel its path below the top folder), sorted. */
static void
read_dir (Reader *r, const char *dir, const char *rel, guint depth)
{
    g_autoptr (GError) err = NULL;
    g_autoptr (GDir) d = g_dir_open (dir, 0, &err);
    g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
    const char *n;

    if (d == NULL) {
        loader__error (r->ctx, r->entry, "images_from: %s", err->message);
        return;
    }
    if (depth > IMAGES_JSON_MAX_DIRS) {
        loader__error (r->ctx, r->entry, "images_from: %s: folders nested "
                       "deeper than %d levels", dir, IMAGES_JSON_MAX_DIRS);
        return;
    }
    while ((n = g_dir_read_name (d)) != NULL)
        g_ptr_array_add (names, g_strdup (n));
    g_ptr_array_sort (names, str_cmp);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index (names, i);
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autofree char *sub = rel[0] ? g_strconcat (rel, "/", name, NULL)
                                      : g_strdup (name);
        Blob *b;

        if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
            read_dir (r, path, sub, depth + 1);
            continue;
        }
        if (!g_str_has_suffix (name, ".json"))
            continue;
        if (++r->n_files > IMAGES_JSON_MAX_FILES) {
            if (r->n_files == IMAGES_JSON_MAX_FILES + 1)
                loader__error (r->ctx, r->entry, "images_from: more than %d "
                               "JSON files under the folder",
                               IMAGES_JSON_MAX_FILES);
            return;
        }
        if ((b = read_blob (r, path, path)) == NULL)
            continue;
        b->name = name_from_path (sub);
        add_blob (r, b);
    }
}

/* ---- building images --------------------------------------------------- */

/* A platform object into mf; FALSE for one kbsim does not model (the
 * caller counts it). */
static gboolean
read_platform (JsonObject *p, KbManifestSpec *mf)
{
    const char *os = member_str (p, "os");
    const char *arch = member_str (p, "architecture");
    const char *ver = member_str (p, "os.version");

    mf->os = os ? platform_os_from_string (os) : KB_OS_UNKNOWN;
    mf->arch = arch ? platform_arch_from_string (arch) : KB_ARCH_UNKNOWN;
    if (mf->os == KB_OS_UNKNOWN || mf->arch == KB_ARCH_UNKNOWN)
        return FALSE;
    mf->has_os_version = mf->os == KB_OS_WINDOWS && ver
                         && platform_win_version_parse (ver, &mf->os_version,
                                                        NULL);
    return TRUE;
}

/* The layers of a manifest object into mf; FALSE after reporting. */
static gboolean
read_layers (Reader *r, const char *file, const char *where, JsonObject *m,
             KbManifestSpec *mf)
{
    JsonArray *layers = member_arr (m, "layers");
    guint n = layers ? json_array_get_length (layers) : 0;

    if (layers == NULL) {
        loader__error_raw (r->ctx, "%s: %slayers: missing, and an image "
                           "manifest needs them", file, where);
        return FALSE;
    }
    if (n > IMAGES_JSON_MAX_LAYERS) {
        loader__error_raw (r->ctx, "%s: %slayers: %u layers (the limit is "
                           "%d)", file, where, n, IMAGES_JSON_MAX_LAYERS);
        return FALSE;
    }
    for (guint i = 0; i < n; i++) {
        JsonNode *ln = json_array_get_element (layers, i);
        JsonObject *l = JSON_NODE_HOLDS_OBJECT (ln)
                        ? json_node_get_object (ln) : NULL;
        JsonNode *sz = l ? json_object_get_member (l, "size") : NULL;
        const char *digest = member_str (l, "digest");
        KbLayerSpec *layer;

        if (digest == NULL || sz == NULL || !JSON_NODE_HOLDS_VALUE (sz)
            || json_node_get_value_type (sz) != G_TYPE_INT64
            || json_node_get_int (sz) < 0) {
            loader__error_raw (r->ctx, "%s: %slayers[%u]: a layer needs its "
                               "digest (a string) and size (bytes, a "
                               "non-negative integer)", file, where, i);
            return FALSE;
        }
        layer = g_new0 (KbLayerSpec, 1);
        layer->digest = g_strdup (digest);
        layer->size = json_node_get_int (sz);
        mf->size += layer->size;
        g_ptr_array_add (mf->layers, layer);
    }
    return TRUE;
}

/* The blob with digest, or NULL after reporting what to add. */
static Blob *
find_blob (Reader *r, const char *file, const char *where,
           const char *digest, const char *what, const char *how)
{
    Blob *b = digest ? g_hash_table_lookup (r->by_digest, digest) : NULL;

    if (b == NULL)
        loader__error_raw (r->ctx, "%s: %s%s %s is not among the files "
                           "(add what %s prints to the folder, or use "
                           "`docker manifest inspect -v`, which includes it)",
                           file, where, what, digest ? digest : "(no digest)",
                           how);
    else
        b->referenced = TRUE;
    return b;
}

/* An index's entries, each with its manifest found by digest. */
static gboolean
build_index (Reader *r, Blob *b, KbImageSpec *img, guint *skipped)
{
    JsonArray *ms = member_arr (json_node_get_object (b->root), "manifests");
    guint n = json_array_get_length (ms);

    if (n > IMAGES_JSON_MAX_ENTRIES) {
        loader__error_raw (r->ctx, "%s: manifests: %u entries (the limit is "
                           "%d)", b->file, n, IMAGES_JSON_MAX_ENTRIES);
        return FALSE;
    }
    for (guint i = 0; i < n; i++) {
        JsonNode *en = json_array_get_element (ms, i);
        JsonObject *e = JSON_NODE_HOLDS_OBJECT (en)
                        ? json_node_get_object (en) : NULL;
        KbManifestSpec *mf = kb_manifest_new ();
        g_autofree char *where = g_strdup_printf ("manifests[%u]: ", i);
        Blob *child;

        mf->loc = img->loc;
        if (!read_platform (member_obj (e, "platform"), mf)) {
            (*skipped)++;
            g_ptr_array_unref (mf->layers);
            g_free (mf);
            continue;
        }
        g_ptr_array_add (img->manifests, mf);
        child = find_blob (r, b->file, where, member_str (e, "digest"),
                           "manifest", "`crane manifest REF@DIGEST`");
        if (child == NULL)
            return FALSE;
        if (child->kind != BLOB_MANIFEST) {
            loader__error_raw (r->ctx, "%s: %s%s is not an image manifest "
                               "(nested indexes are not read)", b->file,
                               where, child->file);
            return FALSE;
        }
        if (!read_layers (r, child->file, "",
                          json_node_get_object (child->root), mf))
            return FALSE;
    }
    return TRUE;
}

/* One `docker manifest inspect -v` object (o) into img. */
static gboolean
build_verbose (Reader *r, Blob *b, JsonObject *o, const char *where,
               KbImageSpec *img, guint *skipped)
{
    JsonObject *m = member_obj (o, "SchemaV2Manifest");
    KbManifestSpec *mf;

    if (m == NULL)
        m = member_obj (o, "OCIManifest");
    mf = kb_manifest_new ();
    mf->loc = img->loc;
    if (!read_platform (member_obj (member_obj (o, "Descriptor"), "platform"),
                        mf)) {
        (*skipped)++;
        g_ptr_array_unref (mf->layers);
        g_free (mf);
        return TRUE;
    }
    g_ptr_array_add (img->manifests, mf);
    if (m == NULL) {
        loader__error_raw (r->ctx, "%s: %sneither SchemaV2Manifest nor "
                           "OCIManifest: no layers to read", b->file, where);
        return FALSE;
    }
    return read_layers (r, b->file, where, m, mf);
}

/* A single manifest, its platform from its config. */
static gboolean
build_single (Reader *r, Blob *b, KbImageSpec *img)
{
    JsonObject *m = json_node_get_object (b->root);
    KbManifestSpec *mf = kb_manifest_new ();
    Blob *config;

    mf->loc = img->loc;
    g_ptr_array_add (img->manifests, mf);
    config = find_blob (r, b->file, "", member_str (member_obj (m, "config"),
                                                    "digest"),
                        "config", "`crane config REF`");
    if (config == NULL)
        return FALSE;
    if (config->kind != BLOB_CONFIG
        || !read_platform (json_node_get_object (config->root), mf)) {
        loader__error_raw (r->ctx, "%s: its config %s gives no os and "
                           "architecture kbsim models (linux or windows)",
                           b->file, config->file);
        return FALSE;
    }
    return read_layers (r, b->file, "", m, mf);
}

/* The image's name from a verbose object's Ref, without its digest. */
static char *
verbose_name (JsonObject *o)
{
    const char *ref = member_str (o, "Ref");

    return ref ? g_strndup (ref, strcspn (ref, "@")) : NULL;
}

static void
note_skipped (LoadCtx *ctx, const KbImageSpec *img, const char *file,
              guint skipped)
{
    if (skipped > 0)
        g_ptr_array_add (ctx->s->defaults_used, g_strdup_printf (
            "image %s (%s): %u entr%s for platforms kbsim does not model "
            "(attestations' unknown/unknown, other OSes or architectures) "
            "skipped", img->name, file, skipped, skipped == 1 ? "y" : "ies"));
}

/* The image a top-level blob describes; NULL after reporting. */
static KbImageSpec *
build_image (Reader *r, Blob *b)
{
    KbImageSpec *img = kb_image_new ();
    guint skipped = 0;
    gboolean ok = TRUE;
    JsonArray *list = b->kind == BLOB_VERBOSE_LIST
                      ? json_node_get_array (b->root) : NULL;

    img->loc.file = loader__intern_file (r->ctx, b->file);
    img->loc.line = img->loc.col = 1;
    img->is_index = b->kind == BLOB_INDEX || b->kind == BLOB_VERBOSE_LIST;
    if (b->name == NULL && b->kind == BLOB_VERBOSE_ONE)
        b->name = verbose_name (json_node_get_object (b->root));
    for (guint i = 0; b->name == NULL && list
                      && i < json_array_get_length (list); i++)
        if (JSON_NODE_HOLDS_OBJECT (json_array_get_element (list, i)))
            b->name = verbose_name (json_node_get_object (
                json_array_get_element (list, i)));
    if (b->name == NULL) {
        loader__error_raw (r->ctx, "%s: cannot tell which image this "
                           "describes: give it as {name: REF, file: FILE} "
                           "under images_from, or place it at "
                           "FOLDER/<registry>/<repository>/<tag>.json",
                           b->file);
        kb_image_free (img);
        return NULL;
    }
    img->name = catalog_normalize_reference (b->name);
    if (b->kind == BLOB_INDEX)
        ok = build_index (r, b, img, &skipped);
    else if (b->kind == BLOB_MANIFEST)
        ok = build_single (r, b, img);
    else if (b->kind == BLOB_VERBOSE_ONE)
        ok = build_verbose (r, b, json_node_get_object (b->root), "", img,
                            &skipped);
    else if (json_array_get_length (list) > IMAGES_JSON_MAX_ENTRIES) {
        loader__error_raw (r->ctx, "%s: %u entries (the limit is %d)",
                           b->file, json_array_get_length (list),
                           IMAGES_JSON_MAX_ENTRIES);
        ok = FALSE;
    }
    for (guint i = 0; ok && list && i < json_array_get_length (list); i++) {
        JsonNode *en = json_array_get_element (list, i);
        g_autofree char *where = g_strdup_printf ("[%u]: ", i);

        ok = JSON_NODE_HOLDS_OBJECT (en)
             && build_verbose (r, b, json_node_get_object (en), where, img,
                               &skipped);
        if (!JSON_NODE_HOLDS_OBJECT (en))
            loader__error_raw (r->ctx, "%s: %sexpected an object of "
                               "`docker manifest inspect -v`", b->file,
                               where);
    }
    if (ok && img->manifests->len == 0) {
        loader__error_raw (r->ctx, "%s: no entry for linux or windows on an "
                           "architecture kbsim models", b->file);
        ok = FALSE;
    }
    if (!ok) {
        kb_image_free (img);
        return NULL;
    }
    note_skipped (r->ctx, img, b->file, skipped);
    return img;
}

static void
add_image (Reader *r, Blob *b)
{
    KbImageSpec *img = build_image (r, b);
    const KbImageSpec *old;

    if (img == NULL)
        return;
    if ((old = scenario_find_image (r->ctx->s, img->name)) != NULL) {
        loader__error_raw (r->ctx, "%s: image %s is described twice (first "
                           "at %s:%u:%u)", b->file, img->name,
                           old->loc.file ? old->loc.file : "?",
                           old->loc.line, old->loc.col);
        kb_image_free (img);
        return;
    }
    g_ptr_array_add (r->ctx->s->images, img);
}

/* ---- entry point ------------------------------------------------------- */

/* One item of images_from: a FILE or DIR, or {name, file}. */
static void
read_item (Reader *r, const YNode *item, const char *base_dir)
{
    static const char *const keys[] = { "name", "file", NULL };
    g_autofree char *file = NULL, *name = NULL, *path = NULL;
    Blob *b;

    r->entry = item;
    if (item->kind == YNODE_MAPPING) {
        loader__check_keys (r->ctx, item, "images_from entry", keys, NULL);
        if (!loader__get_str (r->ctx, item, "file", "images_from.", TRUE,
                              &file)
            || !loader__get_str (r->ctx, item, "name", "images_from.", TRUE,
                                 &name))
            return;
    } else if (loader__is_scalar (r->ctx, item, "images_from")) {
        file = g_strdup (item->value);
    } else {
        return;
    }
    path = g_path_is_absolute (file) ? g_strdup (file)
                                     : g_build_filename (base_dir, file, NULL);
    if (name == NULL && g_file_test (path, G_FILE_TEST_IS_DIR)) {
        read_dir (r, path, "", 0);
        return;
    }
    if (!g_file_test (path, G_FILE_TEST_EXISTS)) {
        loader__error (r->ctx, item, "images_from: '%s': no such file or "
                       "folder", file);
        return;
    }
    if ((b = read_blob (r, path, path)) == NULL)
        return;
    b->name = g_steal_pointer (&name);
    add_blob (r, b);
}

void
loader__images_from (LoadCtx *ctx, const YNode *value, const char *base_dir)
{
    Reader r = { ctx, g_ptr_array_new_with_free_func (blob_free),
                 g_hash_table_new (g_str_hash, g_str_equal), 0, value };

    if (value->kind == YNODE_SEQUENCE)
        for (guint i = 0; i < ynode_len (value); i++)
            read_item (&r, ynode_item (value, i), base_dir);
    else
        read_item (&r, value, base_dir);
    /* indexes first, so that the manifests they name are known as theirs
     * before single manifests are taken as images of their own */
    for (guint pass = 0; pass < 2; pass++)
        for (guint i = 0; i < r.blobs->len; i++) {
            Blob *b = g_ptr_array_index (r.blobs, i);
            gboolean list = b->kind == BLOB_INDEX
                            || b->kind == BLOB_VERBOSE_LIST
                            || b->kind == BLOB_VERBOSE_ONE;

            if ((pass == 0 && list)
                || (pass == 1 && b->kind == BLOB_MANIFEST
                    && !b->referenced))
                add_image (&r, b);
        }
    g_hash_table_unref (r.by_digest);
    g_ptr_array_unref (r.blobs);
}
