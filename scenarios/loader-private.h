/* loader-private.h: what the scenario loader's files share.
 *
 * loader.c reads the native scenario format; manifest.c reads Kubernetes
 * objects and node lists; podspec.c reads PodSpecs for both; devhost.c
 * reads dev_host and compose. They report into one LoadCtx, which collects
 * every error (up to SCENARIO_MAX_ERRORS) so that a user sees all their
 * mistakes in one run.
 *
 * The files call only downwards, in the order of the sections below:
 * load-util.c at the bottom, then podspec.c and sandbox.c, manifest.c,
 * devhost.c, and loader.c at the top, which nothing here calls.
 *
 * For scenarios/ only: nothing outside this folder may include it.
 */
#ifndef KBSIM_LOADER_PRIVATE_H
#define KBSIM_LOADER_PRIVATE_H

#include "scenarios/scenario.h"
#include "scenarios/ytree.h"

G_BEGIN_DECLS

typedef struct {
    char *file;                 /* or NULL: no position */
    guint line, col;
    char *text;                 /* "file:line:col: message" */
} LoadError;

typedef struct {
    Scenario *s;
    GPtrArray *errors;          /* LoadError */
    guint n_errors;             /* including those past the limit */
    GPtrArray *trees;           /* YTree: kept alive while loading */
    GPtrArray *manifest_stack;  /* char *: canonical paths being read, to
                                 * catch circular manifest references */
    GHashTable *image_refs;     /* normalised ref -> first KbLoc using it */
    gpointer read_data;         /* for loader__read_file()'s callback */
    GHashTable *node_images;    /* normalised ref -> LoaderNodeImage: the
                                 * first node whose status.images lists
                                 * it (owned) */
} LoadCtx;

/* An image a node of a node list reports in status.images. */
typedef struct {
    gint64 size;                /* sizeBytes, 0 when not given */
    KbOs os;                    /* the node's */
    char *node;                 /* the node's name */
} LoaderNodeImage;

/* ---- load-util.c: errors, getters, images used -------------------------- */

/* Records an error at node's position. */
void loader__error (LoadCtx *ctx, const YNode *node, const char *format, ...)
    G_GNUC_PRINTF (3, 4);
/* Records a message that already carries its position (or has none). */
void loader__error_raw (LoadCtx *ctx, const char *format, ...)
    G_GNUC_PRINTF (2, 3);
void loader__error_free (gpointer p);
/* Puts errors in reading order: file, line, column. */
void loader__sort_errors (LoadCtx *ctx);
/* Records an error at an explicit position. */
void loader__error_at (LoadCtx *ctx, const KbLoc *loc, const char *format,
                       ...) G_GNUC_PRINTF (3, 4);

KbLoc loader__loc (LoadCtx *ctx, const YNode *node);
/* Interns a file name in the scenario. (transfer none). */
const char *loader__intern_file (LoadCtx *ctx, const char *file);

/* Notes "file:line:col: field" among the fields accepted but unused. */
void loader__ignored (LoadCtx *ctx, const YNode *key, const char *what);

/* Type checks: each reports "what: expected ..., got ..." at node and
 * returns FALSE on a mismatch (a null scalar is not a value). node must
 * not be NULL: test what ynode_get() returned first. */
gboolean loader__is_map (LoadCtx *ctx, const YNode *node, const char *what);
gboolean loader__is_seq (LoadCtx *ctx, const YNode *node, const char *what);
gboolean loader__is_scalar (LoadCtx *ctx, const YNode *node,
                            const char *what);

/* Checks a mapping's keys: each key must be in `used` or `ignored` (both
 * NULL-terminated, ignored may be NULL); unknown ones are errors with a
 * "did you mean" suggestion; ignored ones are noted. `where` names the
 * mapping in messages: "unknown key 'x' in pod template". */
void loader__check_keys (LoadCtx *ctx, const YNode *map, const char *where,
                         const char *const *used,
                         const char *const *ignored);

/* Scalar getters for map[key]. Missing keys leave *out unchanged and
 * return FALSE without an error unless required. Bad values are reported
 * as "<prefix><key>: ..." and return FALSE. */
gboolean loader__get_str (LoadCtx *ctx, const YNode *map, const char *key,
                          const char *prefix, gboolean required,
                          char **out);
gboolean loader__get_int (LoadCtx *ctx, const YNode *map, const char *key,
                          const char *prefix, gint64 min, gint64 max,
                          gint64 *out);
gboolean loader__get_bool (LoadCtx *ctx, const YNode *map, const char *key,
                           const char *prefix, gboolean *out);
gboolean loader__get_duration (LoadCtx *ctx, const YNode *map,
                               const char *key, const char *prefix,
                               SimTime *out);
gboolean loader__get_cpu (LoadCtx *ctx, const YNode *map, const char *key,
                          const char *prefix, gint64 *out);
gboolean loader__get_bytes (LoadCtx *ctx, const YNode *map, const char *key,
                            const char *prefix, gint64 *out);
gboolean loader__get_number (LoadCtx *ctx, const YNode *map, const char *key,
                             const char *prefix, double min, double max,
                             double *out);

/* Parses a scalar node as a string list element etc. */
char *loader__scalar_dup (LoadCtx *ctx, const YNode *node, const char *what);

/* Records that an image reference is used (so it is resolved later). */
void loader__use_image (LoadCtx *ctx, const char *ref, const YNode *node);

/* ---- podspec.c: PodSpecs, labels, taints, tolerations ------------------- */

/* Label maps (nodeSelector, labels): a mapping of strings into a sorted
 * GPtrArray of KbLabel. */
GPtrArray *loader__labels (LoadCtx *ctx, const YNode *map, const char *what);
GPtrArray *loader__tolerations (LoadCtx *ctx, const YNode *seq,
                                const char *what);
GPtrArray *loader__taints (LoadCtx *ctx, const YNode *seq, const char *what);

/* A PodSpec (Kubernetes field names) into a template; unknown keys are
 * errors, known-but-unused ones are noted as ignored. */
KbPodTemplate *loader__pod_spec (LoadCtx *ctx, const YNode *spec);

/* ---- sandbox.c: what every node runs ------------------------------------ */

/* Sets a pool's sandbox_image (default registry.k8s.io/pause:3.10, or the
 * map's sandbox_image) and container_start; m may be a node object. */
void loader__default_sandbox (LoadCtx *ctx, const YNode *m, KbPoolSpec *p);

/* ---- manifest.c: Kubernetes objects, node lists, files ------------------ */

/* A CronJob's schedule (the scalar n) into w->schedule and w->cron,
 * errors pointing at the part of the text at fault; and a time zone name
 * (spec.timeZone, control_plane.time_zone) checked as the API server
 * checks it, into *name and *tz. `what` names the key in messages. FALSE
 * after reporting. */
gboolean loader__cron_schedule (LoadCtx *ctx, const YNode *n,
                                const char *what, KbWorkloadSpec *w);
gboolean loader__time_zone (LoadCtx *ctx, const YNode *n, const char *what,
                            char **name, GTimeZone **tz);
/* map[key] as a concurrencyPolicy: Allow, Forbid or Replace. */
void loader__concurrency (LoadCtx *ctx, const YNode *map, const char *key,
                          const char *prefix, KbWorkloadSpec *w);
/* metadata.namespace or a workload's namespace: an RFC 1123 label. */
void loader__namespace (LoadCtx *ctx, const YNode *n, const char *what,
                        KbWorkloadSpec *w);

/* Kubernetes objects from a manifest entry: a file, a multi-document
 * file or a folder. Adds workloads and runtime classes. */
void loader__manifest (LoadCtx *ctx, const YNode *entry, const char *path,
                       const char *base_dir);
/* One Kubernetes object (a document of a manifest file): adds what it
 * holds as loader__manifest does. */
void loader__object (LoadCtx *ctx, const YNode *doc, const char *file);
/* Nodes from `kubectl get nodes -o yaml`: adds one pool per node. */
void loader__node_list (LoadCtx *ctx, const YNode *entry, const char *path,
                        const char *base_dir);
/* Calls read on every document of the YAML file path (relative to
 * base_dir); a missing or malformed file is an error at entry. */
void loader__read_file (LoadCtx *ctx, const YNode *entry, const char *what,
                        const char *path, const char *base_dir,
                        void (*read) (LoadCtx *ctx, const YNode *doc,
                                      const char *file));

/* Records what node (a Node object read into p) lists in status.images,
 * for images without an entry (infer.c). */
void loader__note_node_images (LoadCtx *ctx, const YNode *node,
                               const KbPoolSpec *p);

/* ---- infer.c: images without an entry ----------------------------------- */

/* An image for ref, which neither images: nor the catalogue describes,
 * from what its name and its users tell (KEYS.md, "Images without an
 * entry"): its platform from the tag and path, the pods and pools that use
 * it; its size from the base image it names or a node's status.images.
 * Each inference is noted under Defaults used with loc; a Windows image
 * whose build nothing tells gets an entry without os.version and a
 * warning. (transfer full): kb_image_free(). */
KbImageSpec *loader__infer_image (LoadCtx *ctx, const char *ref,
                                  const KbLoc *loc);

/* ---- imagesfrom.c: registry JSON ---------------------------------------- */

/* images_from: value is a FILE or DIR (relative to base_dir), a
 * {name, file} mapping or a list of them. Adds the images the registry
 * JSON there describes (KEYS.md, "images_from"). */
void loader__images_from (LoadCtx *ctx, const YNode *value,
                          const char *base_dir);

/* ---- devhost.c: the developer's desktop --------------------------------- */

/* dev_host and compose. */
void loader__dev_host (LoadCtx *ctx, const YNode *root,
                       const char *base_dir);

G_END_DECLS

#endif
