/* manifest.c: real Kubernetes objects and node lists into a scenario.
 *
 * A scenario may take its workloads from the manifests a team already
 * applies (`workloads: [{manifest: deploy/}]`) and its nodes from
 * `kubectl get nodes -o yaml` (`node_list: nodes.yaml`). Both are read as
 * the API server and the kubelet would see them: every field of the
 * objects is accepted, the ones the simulation uses are checked, the rest
 * of a workload's spec is noted as ignored, and kinds the simulation has no
 * use for (Service, ConfigMap, ...) are noted and skipped. Metadata and
 * status are never checked key by key: real objects carry annotations,
 * managedFields and conditions by the dozen.
 *
 * A manifest path is a file (one or several YAML documents) or a folder,
 * whose *.yaml and *.yml files are read in byte order of their names. The
 * canonical path of every manifest read goes on ctx->manifest_stack and
 * stays there for the whole load: Kubernetes YAML cannot include other
 * files, so the only way to read one twice is to reference it twice
 * (directly, or through a folder and one of its files), which is reported.
 *
 * kbsim reads one annotation of its own, kbsim.io/duration on a Job or
 * CronJob (see read_duration_annotation()).
 */
#include "scenarios/loader-private.h"

#include <stdio.h>
#include <string.h>

#include "models/catalog.h"
#include "sim/units.h"

/* Lists inside lists: kubectl never writes them, but nothing stops a
 * hand-written file; the bound keeps a hostile one cheap. */
#define MAX_LIST_DEPTH 4

/* Per-node network and extraction speeds for nodes from a node list: the
 * values loader.c uses for node pools (DEFAULT_NODE_NET_BW,
 * DEFAULT_DISK_BW_*; facts 5.4, figures unconfirmed). Keep them in step. */
#define NODE_NET_BW         (125.0 * 1000 * 1000)
#define NODE_DISK_BW_LINUX  (200.0 * 1000 * 1000)
#define NODE_DISK_BW_WIN    (60.0 * 1000 * 1000)

/* What the API server would default a missing pods allocatable to: the
 * kubelet's --max-pods default. */
#define NODE_DEFAULT_MAX_PODS 110

/* ---- files and folders -------------------------------------------------- */

/* base_dir/path, or path when it is absolute. A base of "." adds nothing,
 * so that messages say "manifests/x.yaml", not "./manifests/x.yaml". */
static char *
resolve_path (const char *path, const char *base_dir)
{
    if (g_path_is_absolute (path) || base_dir == NULL || base_dir[0] == '\0'
        || strcmp (base_dir, ".") == 0)
        return g_strdup (path);
    return g_build_filename (base_dir, path, NULL);
}

/* Pushes path's canonical form on ctx->manifest_stack, or reports that it
 * is there already. shown is the path as the scenario spells it. */
static gboolean
mark_read (LoadCtx *ctx, const YNode *entry, const char *shown,
           const char *path)
{
    /* Absolute, without "." and "..": two spellings of one file compare
     * equal (symbolic links are not followed). */
    char *canon = g_canonicalize_filename (path, NULL);

    for (guint i = 0; i < ctx->manifest_stack->len; i++)
        if (strcmp (g_ptr_array_index (ctx->manifest_stack, i), canon)
            == 0) {
            loader__error (ctx, entry, "manifest '%s' is included twice "
                           "(circular or repeated reference)", shown);
            g_free (canon);
            return FALSE;
        }
    g_ptr_array_add (ctx->manifest_stack, canon);
    return TRUE;
}

/* Editors' backups and hidden files (".#x.yaml") are skipped. */
static gboolean
is_yaml_name (const char *name)
{
    return name[0] != '.' && (g_str_has_suffix (name, ".yaml")
                              || g_str_has_suffix (name, ".yml"));
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The names of a folder's YAML files, sorted bytewise (g_ptr_array_sort
 * is stable; names are unique anyway), not recursing into subfolders.
 * NULL after reporting at entry. (transfer full). */
static GPtrArray *
folder_files (LoadCtx *ctx, const YNode *entry, const char *what,
              const char *shown, const char *dir)
{
    g_autoptr (GError) err = NULL;
    GDir *d = g_dir_open (dir, 0, &err);
    GPtrArray *names;
    const char *name;

    if (d == NULL) {
        loader__error (ctx, entry, "%s '%s': %s", what, shown, err->message);
        return NULL;
    }
    names = g_ptr_array_new_with_free_func (g_free);
    while ((name = g_dir_read_name (d)) != NULL) {
        g_autofree char *full = g_build_filename (dir, name, NULL);

        if (is_yaml_name (name)
            && g_file_test (full, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add (names, g_strdup (name));
    }
    g_dir_close (d);
    if (names->len == 0) {
        loader__error (ctx, entry, "%s '%s': the folder has no .yaml or .yml "
                       "files", what, shown);
        g_ptr_array_unref (names);
        return NULL;
    }
    g_ptr_array_sort (names, compare_strings);
    return names;
}

/* Records a ytree error. Syntax errors already say "file:line:col: ...";
 * they are recorded at that position, so that they sort with the rest.
 * Others (permissions) are reported at the scenario's entry. */
static void
report_tree_error (LoadCtx *ctx, const YNode *entry, const char *what,
                   const char *shown, const char *file, const GError *err)
{
    const char *msg = err->message;
    gsize flen = strlen (file);
    guint line, col;
    int used = 0;

    if (err->code == KB_YTREE_ERROR_SYNTAX && strncmp (msg, file, flen) == 0
        && msg[flen] == ':'
        && sscanf (msg + flen, ":%u:%u: %n", &line, &col, &used) == 2
        && used > 0) {
        KbLoc loc = { loader__intern_file (ctx, file), line, col };

        loader__error_at (ctx, &loc, "%s", msg + flen + used);
    } else if (err->code == KB_YTREE_ERROR_SYNTAX) {
        loader__error_raw (ctx, "%s", msg);
    } else {
        loader__error (ctx, entry, "%s '%s': %s", what, shown, msg);
    }
}

/* Parses file and keeps its tree alive for the rest of the load.
 * (transfer none), or NULL after reporting. */
static YTree *
load_tree (LoadCtx *ctx, const YNode *entry, const char *what,
           const char *shown, const char *file)
{
    g_autoptr (GError) err = NULL;
    YTree *tree = ytree_load_file (file, &err);

    if (tree == NULL) {
        report_tree_error (ctx, entry, what, shown, file, err);
        return NULL;
    }
    g_ptr_array_add (ctx->trees, tree);
    return tree;
}

typedef void (*ReadDocument) (LoadCtx *ctx, const YNode *doc,
                              const char *file);

/* Calls read on every document of path: a file, or each YAML file of a
 * folder. Checks for repeated manifests when check_repeats. */
static void
read_path (LoadCtx *ctx, const YNode *entry, const char *what,
           const char *path, const char *base_dir, gboolean check_repeats,
           ReadDocument read)
{
    g_autofree char *full = resolve_path (path, base_dir);
    g_autoptr (GPtrArray) names = NULL;

    if (path[0] == '\0') {
        loader__error (ctx, entry, "%s: must not be empty", what);
        return;
    }
    if (!g_file_test (full, G_FILE_TEST_EXISTS)) {
        loader__error (ctx, entry, "%s '%s': no such file or folder", what,
                       path);
        return;
    }
    if (check_repeats && !mark_read (ctx, entry, path, full))
        return;
    if (!g_file_test (full, G_FILE_TEST_IS_DIR)) {
        YTree *tree = load_tree (ctx, entry, what, path, full);

        for (guint i = 0; tree && i < ytree_n_documents (tree); i++)
            read (ctx, ytree_document (tree, i), full);
        return;
    }
    names = folder_files (ctx, entry, what, path, full);
    for (guint i = 0; names && i < names->len; i++) {
        const char *name = g_ptr_array_index (names, i);
        g_autofree char *file = g_build_filename (full, name, NULL);
        g_autofree char *shown = g_build_filename (path, name, NULL);
        YTree *tree;

        if (check_repeats && !mark_read (ctx, entry, shown, file))
            continue;
        tree = load_tree (ctx, entry, what, shown, file);
        for (guint j = 0; tree && j < ytree_n_documents (tree); j++)
            read (ctx, ytree_document (tree, j), file);
    }
}

/* ---- object headers ----------------------------------------------------- */

/* The kinds the simulation reads, the API group version that serves each,
 * and the keys of its spec: used, and real but unused (k8s.io/api
 * apps/v1, batch/v1, core/v1 and node/v1 types.go). */
typedef enum {
    OBJ_WORKLOAD,
    OBJ_RUNTIME_CLASS,
    OBJ_LIST
} ObjectClass;

static const char *const deploy_used[] = {
    "replicas", "selector", "template", "strategy", NULL
};
static const char *const deploy_ignored[] = {
    "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds",
    "paused", NULL
};
static const char *const rs_used[] = {
    "replicas", "selector", "template", NULL
};
static const char *const rs_ignored[] = { "minReadySeconds", NULL };
static const char *const sts_ignored[] = {
    "serviceName", "podManagementPolicy", "updateStrategy",
    "volumeClaimTemplates", "persistentVolumeClaimRetentionPolicy",
    "ordinals", "minReadySeconds", "revisionHistoryLimit", NULL
};
static const char *const ds_used[] = { "selector", "template", NULL };
static const char *const ds_ignored[] = {
    "updateStrategy", "minReadySeconds", "revisionHistoryLimit", NULL
};
static const char *const job_used[] = {
    "completions", "parallelism", "template", NULL
};
static const char *const job_ignored[] = {
    "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished",
    "completionMode", "suspend", "selector", "manualSelector",
    "podFailurePolicy", "backoffLimitPerIndex", "maxFailedIndexes",
    "podReplacementPolicy", "successPolicy", "managedBy", NULL
};
static const char *const cron_used[] = {
    "schedule", "jobTemplate", "timeZone", "concurrencyPolicy", "suspend",
    "startingDeadlineSeconds", NULL
};
static const char *const cron_ignored[] = {
    "successfulJobsHistoryLimit", "failedJobsHistoryLimit", NULL
};

typedef struct {
    const char *kind;
    const char *api_version;
    const char *spec_name;          /* for messages */
    ObjectClass class;
    KbWorkloadKind workload;
    const char *const *used;
    const char *const *ignored;
} KindInfo;

static const KindInfo kinds[] = {
    { "Deployment", "apps/v1", "Deployment spec", OBJ_WORKLOAD,
      KB_WORKLOAD_DEPLOYMENT, deploy_used, deploy_ignored },
    { "ReplicaSet", "apps/v1", "ReplicaSet spec", OBJ_WORKLOAD,
      KB_WORKLOAD_REPLICASET, rs_used, rs_ignored },
    { "StatefulSet", "apps/v1", "StatefulSet spec", OBJ_WORKLOAD,
      KB_WORKLOAD_STATEFULSET, rs_used, sts_ignored },
    { "DaemonSet", "apps/v1", "DaemonSet spec", OBJ_WORKLOAD,
      KB_WORKLOAD_DAEMONSET, ds_used, ds_ignored },
    { "Job", "batch/v1", "Job spec", OBJ_WORKLOAD, KB_WORKLOAD_JOB,
      job_used, job_ignored },
    { "CronJob", "batch/v1", "CronJob spec", OBJ_WORKLOAD,
      KB_WORKLOAD_CRONJOB, cron_used, cron_ignored },
    { "Pod", "v1", "pod template", OBJ_WORKLOAD, KB_WORKLOAD_POD, NULL,
      NULL },
    { "RuntimeClass", "node.k8s.io/v1", NULL, OBJ_RUNTIME_CLASS, 0, NULL,
      NULL },
    { "List", "v1", NULL, OBJ_LIST, 0, NULL, NULL },
};

static const KindInfo *
kind_info (const char *kind)
{
    for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
        if (strcmp (kinds[i].kind, kind) == 0)
            return &kinds[i];
    return NULL;
}

/* An object's apiVersion and kind. Items of a typed list (DeploymentList,
 * as the API returns) may leave them out; defaults come from the list. */
typedef struct {
    const char *api_version;
    const char *kind;
} ObjectDefaults;

/* metadata.name, or "" after reporting. (transfer full). */
static char *
object_name (LoadCtx *ctx, const YNode *doc)
{
    const YNode *meta = ynode_get (doc, "metadata");
    char *name = NULL;

    if (meta == NULL || ynode_is_null (meta))
        loader__error (ctx, doc, "metadata.name: missing, and it is "
                       "required");
    else if (loader__is_map (ctx, meta, "metadata"))
        loader__get_str (ctx, meta, "name", "metadata.", TRUE, &name);
    return name ? name : g_strdup ("");
}

/* map[key] as a mapping, or NULL after reporting "<prefix><key>: missing"
 * or a type error. */
static const YNode *
required_map (LoadCtx *ctx, const YNode *map, const char *key,
              const char *prefix)
{
    const YNode *v = ynode_get (map, key);
    g_autofree char *what = g_strconcat (prefix, key, NULL);

    if (v == NULL || ynode_is_null (v)) {
        loader__error (ctx, v ? v : map, "%s: missing, and it is required",
                       what);
        return NULL;
    }
    return loader__is_map (ctx, v, what) ? v : NULL;
}

/* ---- workloads ---------------------------------------------------------- */

/* A PodTemplateSpec {metadata, spec} at owner.template into a template;
 * an empty one after reporting, so a workload is always complete. */
static KbPodTemplate *
read_template (LoadCtx *ctx, const YNode *owner, const char *prefix)
{
    static const char *const keys[] = { "metadata", "spec", NULL };
    g_autofree char *tprefix = g_strconcat (prefix, "template.", NULL);
    const YNode *t = required_map (ctx, owner, "template", prefix);
    const YNode *spec;
    KbPodTemplate *empty;

    if (t != NULL) {
        loader__check_keys (ctx, t, "pod template spec", keys, NULL);
        spec = required_map (ctx, t, "spec", tprefix);
        if (spec != NULL) {
            const YNode *meta = ynode_get (t, "metadata");
            KbPodTemplate *pt = loader__pod_spec (ctx, spec);

            /* the labels topologySpreadConstraints and kbsim get -l
             * select */
            if (meta && meta->kind == YNODE_MAPPING) {
                g_autofree char *what = g_strconcat (tprefix,
                                                     "metadata.labels", NULL);

                g_ptr_array_unref (pt->labels);
                pt->labels = loader__labels (ctx, ynode_get (meta, "labels"),
                                             what);
            }
            return pt;
        }
    }
    empty = kb_pod_template_new ();
    empty->loc = loader__loc (ctx, t ? t : owner);
    return empty;
}

/* apps/v1 requires a selector, and the API server rejects one whose
 * matchLabels the template's labels do not satisfy ("selector does not
 * match template labels"). matchExpressions are not evaluated. */
static void
check_selector (LoadCtx *ctx, const YNode *spec)
{
    const YNode *sel = ynode_get (spec, "selector");
    const YNode *ml = ynode_get (sel, "matchLabels");
    const YNode *labels = ynode_get (ynode_get (ynode_get (spec, "template"),
                                                "metadata"), "labels");

    if (sel == NULL || ynode_is_null (sel)) {
        loader__error (ctx, spec, "spec.selector: missing, and it is "
                       "required");
        return;
    }
    if (!loader__is_map (ctx, sel, "spec.selector") || ml == NULL
        || ml->kind != YNODE_MAPPING)
        return;
    for (guint i = 0; i < ynode_len (ml); i++) {
        const YNode *k = ynode_key (ml, i), *v = ynode_value (ml, i);
        const YNode *have;

        if (k->kind != YNODE_SCALAR || v->kind != YNODE_SCALAR)
            continue;
        have = ynode_get (labels, k->value);
        if (have == NULL || have->kind != YNODE_SCALAR
            || strcmp (have->value, v->value) != 0)
            loader__error (ctx, k, "spec.selector: matchLabels %s=%s is not "
                           "among the template's labels (the API server "
                           "rejects this: selector does not match template "
                           "labels)", k->value, v->value);
    }
}

/* A rolling-update bound, an IntOrString: "2" or "25%". *raw is the
 * number as written (for the both-zero rule); *out the pod count, a
 * percentage of replicas rounded up for surge and down for unavailable, as
 * kubernetes pkg/controller/deployment/util ResolveFenceposts does. */
static gboolean
read_bound (LoadCtx *ctx, const YNode *ru, const char *key,
            gboolean is_surge, gint64 replicas, gint64 *raw, gint64 *out)
{
    const YNode *v = ynode_get (ru, key);
    g_autofree char *what = g_strconcat ("strategy.rollingUpdate.", key,
                                         NULL);
    gint64 pct = 0;
    gsize len;

    if (v == NULL || ynode_is_null (v) || !loader__is_scalar (ctx, v, what))
        return FALSE;
    len = strlen (v->value);
    if (len == 0 || v->value[len - 1] != '%') {
        if (!loader__get_int (ctx, ru, key, "strategy.rollingUpdate.", 0,
                              10000000, raw))
            return FALSE;
        *out = *raw;
        return TRUE;
    }
    /* Kubernetes takes whole percentages only. */
    for (gsize i = 0; i + 1 < len && pct >= 0; i++)
        pct = g_ascii_isdigit (v->value[i]) && i < 6
                  ? pct * 10 + (v->value[i] - '0') : -1;
    if (len == 1 || pct < 0 || (!is_surge && pct > 100)) {
        loader__error (ctx, v, "%s: expected an integer or a whole "
                       "percentage%s, got '%s'", what,
                       is_surge ? "" : " from 0% to 100%", v->value);
        return FALSE;
    }
    *raw = pct;
    *out = is_surge ? (pct * replicas + 99) / 100 : pct * replicas / 100;
    return TRUE;
}

/* spec.strategy of a Deployment. Kubernetes defaults to RollingUpdate
 * with maxSurge and maxUnavailable 25%; Recreate stops every old pod
 * before starting new ones. */
static void
read_strategy (LoadCtx *ctx, const YNode *spec, KbWorkloadSpec *w)
{
    static const char *const keys[] = { "type", "rollingUpdate", NULL };
    static const char *const ru_keys[] = { "maxSurge", "maxUnavailable",
                                           NULL };
    const YNode *st = ynode_get (spec, "strategy");
    const YNode *ru = ynode_get (st, "rollingUpdate");
    g_autofree char *type = NULL;
    gint64 raw_surge = 25, raw_unavailable = 25;

    w->max_surge = (25 * w->replicas + 99) / 100;
    w->max_unavailable = 25 * w->replicas / 100;
    if (st && !ynode_is_null (st)
        && loader__is_map (ctx, st, "spec.strategy")) {
        loader__check_keys (ctx, st, "strategy", keys, NULL);
        loader__get_str (ctx, st, "type", "strategy.", FALSE, &type);
        if (type && strcmp (type, "Recreate") == 0) {
            if (ru && !ynode_is_null (ru))
                loader__error (ctx, ru, "strategy.rollingUpdate: may not be "
                               "given when type is Recreate");
            w->max_surge = 0;
            w->max_unavailable = w->replicas;
            return;
        }
        if (type && strcmp (type, "RollingUpdate") != 0)
            loader__error (ctx, ynode_get (st, "type"), "strategy.type: "
                           "expected RollingUpdate or Recreate, got '%s'",
                           type);
    }
    if (ru && !ynode_is_null (ru)
        && loader__is_map (ctx, ru, "strategy.rollingUpdate")) {
        loader__check_keys (ctx, ru, "rollingUpdate", ru_keys, NULL);
        read_bound (ctx, ru, "maxSurge", TRUE, w->replicas, &raw_surge,
                    &w->max_surge);
        read_bound (ctx, ru, "maxUnavailable", FALSE, w->replicas,
                    &raw_unavailable, &w->max_unavailable);
        if (raw_surge == 0 && raw_unavailable == 0)
            loader__error (ctx, ru, "strategy.rollingUpdate.maxUnavailable: "
                           "may not be 0 when maxSurge is 0");
    }
    /* Percentages that both round down to 0 would stall a rollout. */
    if (w->max_surge == 0 && w->max_unavailable == 0)
        w->max_unavailable = 1;
}

/* ---- CronJob fields -------------------------------------------------- */

gboolean
loader__cron_schedule (LoadCtx *ctx, const YNode *n, const char *what,
                       KbWorkloadSpec *w)
{
    g_autoptr (GError) err = NULL;
    guint off = 0;
    KbLoc loc;

    if (!loader__is_scalar (ctx, n, what))
        return FALSE;
    g_free (w->schedule);
    w->schedule = g_strdup (n->value);
    cron_schedule_free (w->cron);
    w->cron = cron_schedule_parse (n->value, &off, &err);
    if (w->cron)
        return TRUE;
    /* the column of the part at fault: exact for a one-line scalar,
     * plain or quoted without escapes */
    loc = loader__loc (ctx, n);
    if (strchr (n->value, '\n') == NULL)
        loc.col += (n->plain ? 0 : 1) + off;
    loader__error_at (ctx, &loc, "%s: invalid value '%s': %s", what,
                      n->value, err->message);
    return FALSE;
}

/* What the API server says of a timeZone it refuses, or NULL
 * (pkg/apis/batch/validation/validation.go, validateTimeZone: each part
 * of the name in [A-Za-z.-_0-9+]{1,14}, not "." or "..", not starting
 * with "-"; not "Local"; then time.LoadLocation, here GLib reading the
 * system's tzdata). (transfer full). */
static char *
time_zone_problem (const char *name, GTimeZone **tz)
{
    g_auto (GStrv) parts = g_strsplit (name, "/", -1);

    if (name[0] == '\0')
        return g_strdup ("timeZone must be nil or non-empty string");
    for (guint i = 0; parts[i]; i++) {
        gsize len = strlen (parts[i]);
        gboolean ok = len >= 1 && len <= 14 && parts[i][0] != '-'
                      && strcmp (parts[i], ".") && strcmp (parts[i], "..");

        for (const char *p = parts[i]; ok && *p; p++)
            ok = g_ascii_isalnum (*p) || strchr ("._-+", *p);
        if (!ok)
            return g_strdup_printf ("unknown time zone %s", name);
    }
    if (g_ascii_strcasecmp (name, "Local") == 0)
        return g_strdup ("timeZone must be an explicit time zone as defined "
                         "in https://www.iana.org/time-zones");
    *tz = g_time_zone_new_identifier (name);
    if (*tz == NULL)
        return g_strdup_printf ("unknown time zone %s", name);
    return NULL;
}

gboolean
loader__time_zone (LoadCtx *ctx, const YNode *n, const char *what,
                   char **name, GTimeZone **tz)
{
    g_autofree char *why = NULL;
    GTimeZone *z = NULL;

    if (!loader__is_scalar (ctx, n, what))
        return FALSE;
    why = time_zone_problem (n->value, &z);
    if (why) {
        loader__error (ctx, n, "%s: invalid value '%s': %s", what, n->value,
                       why);
        return FALSE;
    }
    g_free (*name);
    *name = g_strdup (n->value);
    if (*tz)
        g_time_zone_unref (*tz);
    *tz = z;
    return TRUE;
}

void
loader__concurrency (LoadCtx *ctx, const YNode *map, const char *key,
                     const char *prefix, KbWorkloadSpec *w)
{
    static const char *const names[] = { "Allow", "Forbid", "Replace",
                                         NULL };
    g_autofree char *v = NULL;

    if (!loader__get_str (ctx, map, key, prefix, FALSE, &v))
        return;
    for (guint i = 0; names[i]; i++)
        if (strcmp (v, names[i]) == 0) {
            w->concurrency = (KbConcurrencyPolicy) i;
            return;
        }
    /* validation.go, validateConcurrencyPolicy: field.NotSupported */
    loader__error (ctx, ynode_get (map, key), "%s%s: Unsupported value: "
                   "\"%s\": supported values: \"Allow\", \"Forbid\", "
                   "\"Replace\"", prefix, key, v);
}

void
loader__namespace (LoadCtx *ctx, const YNode *n, const char *what,
                   KbWorkloadSpec *w)
{
    gsize len;
    gboolean ok;

    if (n == NULL || ynode_is_null (n) || !loader__is_scalar (ctx, n, what))
        return;
    /* apimachinery's IsDNS1123Label, which namespaces must satisfy */
    len = strlen (n->value);
    ok = len >= 1 && len <= 63 && g_ascii_isalnum (n->value[0])
         && g_ascii_isalnum (n->value[len - 1]);
    for (const char *p = n->value; ok && *p; p++)
        ok = (g_ascii_isalnum (*p) && !g_ascii_isupper (*p)) || *p == '-';
    if (!ok) {
        loader__error (ctx, n, "%s: invalid value '%s': a lowercase RFC 1123 "
                       "label must consist of lower case alphanumeric "
                       "characters or '-', and must start and end with an "
                       "alphanumeric character (at most 63)", what,
                       n->value);
        return;
    }
    g_free (w->namespace);
    w->namespace = g_strdup (n->value);
}

/* kbsim.io/duration (a kbsim extension): how long each pod of a Job or
 * CronJob runs, as a duration ("20m", "1h30m"), in the annotations of
 * the object, of a CronJob's jobTemplate, or of the pod template; the
 * innermost one given wins (it describes the pod). A manifest says what a
 * container does, not how long it takes; without the annotation the pods
 * run until the simulation stops (has_duration FALSE, which validate
 * points out). */
static void
read_duration_at (LoadCtx *ctx, const YNode *obj, const char *prefix,
                  KbWorkloadSpec *w)
{
    const YNode *ann = ynode_get (ynode_get (obj, "metadata"),
                                  "annotations");
    g_autofree char *where = g_strconcat (prefix, "metadata.annotations.",
                                          NULL);
    SimTime t;

    if (ann == NULL || ann->kind != YNODE_MAPPING
        || ynode_get (ann, "kbsim.io/duration") == NULL
        || !loader__get_duration (ctx, ann, "kbsim.io/duration", where, &t))
        return;
    sim_dist_clear (&w->duration);
    sim_dist_init_constant (&w->duration, sim_time_to_seconds (t));
    w->has_duration = TRUE;
}

static void
read_duration_annotation (LoadCtx *ctx, const YNode *doc, KbWorkloadSpec *w)
{
    const YNode *spec = ynode_get (doc, "spec");
    const YNode *jt = ynode_get (spec, "jobTemplate");

    read_duration_at (ctx, doc, "", w);
    if (w->kind == KB_WORKLOAD_CRONJOB) {
        read_duration_at (ctx, jt, "spec.jobTemplate.", w);
        spec = ynode_get (jt, "spec");
    }
    read_duration_at (ctx, ynode_get (spec, "template"), w->kind
                      == KB_WORKLOAD_CRONJOB ? "spec.jobTemplate.spec."
                      "template." : "spec.template.", w);
}

/* A JobSpec: completions and parallelism default to 1. A work-queue Job
 * (parallelism without completions) starts parallelism pods that each run
 * to the end, so it counts as that many completions. */
static void
read_job_spec (LoadCtx *ctx, const YNode *spec, const char *prefix,
               KbWorkloadSpec *w)
{
    const YNode *pod = ynode_get (ynode_get (spec, "template"), "spec");
    const YNode *rp = ynode_get (pod, "restartPolicy");

    loader__check_keys (ctx, spec, "Job spec", job_used, job_ignored);
    loader__get_int (ctx, spec, "completions", prefix, 1, 10000000,
                     &w->completions);
    if (loader__get_int (ctx, spec, "parallelism", prefix, 1, 10000000,
                         &w->parallelism)
        && ynode_get (spec, "completions") == NULL)
        w->completions = w->parallelism;
    w->template = read_template (ctx, spec, prefix);
    /* A pod's restartPolicy defaults to Always, which the API server
     * rejects for a Job. */
    if (pod && pod->kind == YNODE_MAPPING && rp == NULL)
        loader__error (ctx, pod, "%stemplate.spec.restartPolicy: missing; a "
                       "Job's pods need Never or OnFailure (the default, "
                       "Always, is rejected)", prefix);
    else if (rp && rp->kind == YNODE_SCALAR && strcmp (rp->value, "Never")
             && strcmp (rp->value, "OnFailure"))
        loader__error (ctx, rp, "%stemplate.spec.restartPolicy: a Job's pods "
                       "need Never or OnFailure, got '%s'", prefix,
                       rp->value);
}

static void
read_cronjob (LoadCtx *ctx, const YNode *spec, KbWorkloadSpec *w)
{
    static const char *const jt_keys[] = { "metadata", "spec", NULL };
    const YNode *jt, *js, *n;
    gint64 deadline;

    if ((n = ynode_get (spec, "schedule")) == NULL)
        loader__error (ctx, spec, "spec.schedule: missing, and it is "
                       "required");
    else
        loader__cron_schedule (ctx, n, "spec.schedule", w);
    if ((n = ynode_get (spec, "timeZone")) && !ynode_is_null (n))
        loader__time_zone (ctx, n, "spec.timeZone", &w->time_zone, &w->tz);
    loader__concurrency (ctx, spec, "concurrencyPolicy", "spec.", w);
    loader__get_bool (ctx, spec, "suspend", "spec.", &w->suspend);
    if (loader__get_int (ctx, spec, "startingDeadlineSeconds", "spec.", 0,
                         G_MAXINT64 / SIM_SEC, &deadline))
        w->starting_deadline = deadline * SIM_SEC;
    jt = required_map (ctx, spec, "jobTemplate", "spec.");
    js = jt ? required_map (ctx, jt, "spec", "spec.jobTemplate.") : NULL;
    if (jt)
        loader__check_keys (ctx, jt, "jobTemplate", jt_keys, NULL);
    if (js) {
        read_job_spec (ctx, js, "spec.jobTemplate.spec.", w);
    } else {
        w->template = kb_pod_template_new ();
        w->template->loc = loader__loc (ctx, jt ? jt : spec);
    }
}

static void
read_workload_spec (LoadCtx *ctx, const YNode *spec, const KindInfo *ki,
                    KbWorkloadSpec *w)
{
    switch (ki->workload) {
    case KB_WORKLOAD_POD:
        w->template = loader__pod_spec (ctx, spec);
        return;
    case KB_WORKLOAD_JOB:
        read_job_spec (ctx, spec, "spec.", w);
        return;
    case KB_WORKLOAD_CRONJOB:
        loader__check_keys (ctx, spec, ki->spec_name, ki->used,
                            ki->ignored);
        read_cronjob (ctx, spec, w);
        return;
    default:
        break;
    }
    loader__check_keys (ctx, spec, ki->spec_name, ki->used, ki->ignored);
    if (ki->workload != KB_WORKLOAD_DAEMONSET)
        loader__get_int (ctx, spec, "replicas", "spec.", 0, 10000000,
                         &w->replicas);
    check_selector (ctx, spec);
    if (ki->workload == KB_WORKLOAD_DEPLOYMENT)
        read_strategy (ctx, spec, w);
    w->template = read_template (ctx, spec, "spec.");
}

static void
read_workload (LoadCtx *ctx, const YNode *doc, const KindInfo *ki,
               const char *file)
{
    static const char *const keys[] = { "apiVersion", "kind", "metadata",
                                        "spec", "status", NULL };
    KbWorkloadSpec *w = kb_workload_new ();
    const YNode *spec;

    w->kind = ki->workload;
    w->loc = loader__loc (ctx, doc);
    w->source = g_strdup (file);
    w->arrivals = KB_ARRIVALS_NONE;
    w->replicas = 1;
    loader__check_keys (ctx, doc, ki->kind, keys, NULL);
    w->name = object_name (ctx, doc);
    loader__namespace (ctx, ynode_get (ynode_get (doc, "metadata"),
                                       "namespace"), "metadata.namespace", w);
    if (w->kind == KB_WORKLOAD_JOB || w->kind == KB_WORKLOAD_CRONJOB)
        read_duration_annotation (ctx, doc, w);
    spec = required_map (ctx, doc, "spec", "");
    if (spec != NULL)
        read_workload_spec (ctx, spec, ki, w);
    if (w->template == NULL) {
        w->template = kb_pod_template_new ();
        w->template->loc = w->loc;
    }
    if (w->kind == KB_WORKLOAD_POD) {       /* a bare Pod's own labels */
        g_ptr_array_unref (w->template->labels);
        w->template->labels = loader__labels (ctx, ynode_get (ynode_get (
            doc, "metadata"), "labels"), "metadata.labels");
    }
    g_ptr_array_add (ctx->s->workloads, w);
}

/* node.k8s.io/v1 RuntimeClass: handler and scheduling sit at the top
 * level, not under spec. */
static void
read_runtime_class (LoadCtx *ctx, const YNode *doc)
{
    static const char *const keys[] = { "apiVersion", "kind", "metadata",
                                        "handler", "scheduling", NULL };
    static const char *const ignored[] = { "overhead", NULL };
    static const char *const sched_keys[] = { "nodeSelector", "tolerations",
                                              NULL };
    KbRuntimeClassSpec *rc = g_new0 (KbRuntimeClassSpec, 1);
    const YNode *sch = ynode_get (doc, "scheduling");

    rc->loc = loader__loc (ctx, doc);
    loader__check_keys (ctx, doc, "RuntimeClass", keys, ignored);
    rc->name = object_name (ctx, doc);
    if (!loader__get_str (ctx, doc, "handler", "", TRUE, &rc->handler))
        rc->handler = g_strdup ("");
    if (sch && !ynode_is_null (sch) && loader__is_map (ctx, sch,
                                                       "scheduling"))
        loader__check_keys (ctx, sch, "scheduling", sched_keys, NULL);
    rc->node_selector = loader__labels (ctx, ynode_get (sch, "nodeSelector"),
                                        "scheduling.nodeSelector");
    rc->tolerations = loader__tolerations (ctx, ynode_get (sch,
                                                           "tolerations"),
                                           "scheduling.tolerations");
    g_ptr_array_add (ctx->s->runtime_classes, rc);
}

/* A kind the simulation does not model: noted, not an error. */
static void
note_unsimulated (LoadCtx *ctx, const YNode *doc, const YNode *at,
                  const char *kind)
{
    const YNode *name = ynode_get (ynode_get (doc, "metadata"), "name");
    g_autofree char *what = NULL;

    if (name && name->kind == YNODE_SCALAR && !ynode_is_null (name))
        what = g_strdup_printf ("kind %s '%s' (not simulated%s)", kind,
                                name->value, strcmp (kind, "Node") == 0
                                ? "; nodes go in node_list" : "");
    else
        what = g_strdup_printf ("kind %s (not simulated)", kind);
    loader__ignored (ctx, at, what);
}

/* The object's kind and apiVersion, checked against what serves the kinds
 * kbsim reads. FALSE after reporting. */
static gboolean
object_header (LoadCtx *ctx, const YNode *doc, const ObjectDefaults *defs,
               char **api_version, char **kind)
{
    const KindInfo *ki;

    if (ynode_get (doc, "kind") || defs == NULL) {
        if (!loader__get_str (ctx, doc, "kind", "", TRUE, kind))
            return FALSE;
    } else {
        *kind = g_strdup (defs->kind);
    }
    if (ynode_get (doc, "apiVersion") || defs == NULL) {
        if (!loader__get_str (ctx, doc, "apiVersion", "", TRUE, api_version))
            return FALSE;
    } else {
        *api_version = g_strdup (defs->api_version);
    }
    ki = kind_info (*kind);
    if (ki && strcmp (ki->api_version, *api_version) != 0) {
        const YNode *at = ynode_get (doc, "apiVersion");

        loader__error (ctx, at ? at : doc, "apiVersion: '%s' does not serve "
                       "kind %s (use %s)", *api_version, *kind,
                       ki->api_version);
        return FALSE;
    }
    return TRUE;
}

static void read_object (LoadCtx *ctx, const YNode *doc, const char *file,
                         const ObjectDefaults *defs, guint depth);

/* kind: List (what `kubectl get -o yaml` writes) or a typed list
 * (DeploymentList, as the API returns it), whose items may leave out
 * apiVersion and kind. */
static void
read_list (LoadCtx *ctx, const YNode *doc, const char *file,
           const char *api_version, const char *kind, guint depth)
{
    static const char *const keys[] = { "apiVersion", "kind", "metadata",
                                        "items", NULL };
    const YNode *items = ynode_get (doc, "items");
    g_autofree char *item_kind = g_strndup (kind, strlen (kind) - 4);
    ObjectDefaults defs = { api_version, item_kind };

    loader__check_keys (ctx, doc, kind, keys, NULL);
    if (depth >= MAX_LIST_DEPTH) {
        loader__error (ctx, doc, "kind %s: lists nested more than %d deep",
                       kind, MAX_LIST_DEPTH);
        return;
    }
    if (items == NULL) {
        loader__error (ctx, doc, "items: missing, and it is required");
        return;
    }
    if (ynode_is_null (items) || !loader__is_seq (ctx, items, "items"))
        return;
    for (guint i = 0; i < ynode_len (items); i++)
        read_object (ctx, ynode_item (items, i), file,
                     item_kind[0] ? &defs : NULL, depth + 1);
}

static void
read_object (LoadCtx *ctx, const YNode *doc, const char *file,
             const ObjectDefaults *defs, guint depth)
{
    g_autofree char *api_version = NULL, *kind = NULL;
    const KindInfo *ki;
    const YNode *kind_node;

    if (ynode_is_null (doc))
        return;                 /* an empty document, as after a final --- */
    if (!loader__is_map (ctx, doc, "Kubernetes object")
        || !object_header (ctx, doc, defs, &api_version, &kind))
        return;
    kind_node = ynode_get (doc, "kind") ? ynode_get (doc, "kind") : doc;
    ki = kind_info (kind);
    if ((ki && ki->class == OBJ_LIST)
        || (ki == NULL && g_str_has_suffix (kind, "List")
            && ynode_get (doc, "items"))) {
        read_list (ctx, doc, file, api_version, kind, depth);
        return;
    }
    if (ki == NULL)
        note_unsimulated (ctx, doc, kind_node, kind);
    else if (ki->class == OBJ_RUNTIME_CLASS)
        read_runtime_class (ctx, doc);
    else
        read_workload (ctx, doc, ki, file);
}

static void
read_manifest_document (LoadCtx *ctx, const YNode *doc, const char *file)
{
    read_object (ctx, doc, file, NULL, 0);
}

void
loader__object (LoadCtx *ctx, const YNode *doc, const char *file)
{
    read_object (ctx, doc, file, NULL, 0);
}

void
loader__read_file (LoadCtx *ctx, const YNode *entry, const char *what,
                   const char *path, const char *base_dir,
                   void (*read) (LoadCtx *ctx, const YNode *doc,
                                 const char *file))
{
    read_path (ctx, entry, what, path, base_dir, FALSE, read);
}

void
loader__manifest (LoadCtx *ctx, const YNode *entry, const char *path,
                  const char *base_dir)
{
    read_path (ctx, entry, "manifest", path, base_dir, TRUE,
               read_manifest_document);
}

/* ---- node lists --------------------------------------------------------- */

/* A node's fact from its label, else from status.nodeInfo[info_key];
 * either name may be NULL. (transfer none): a non-null scalar, or NULL. */
static const YNode *
node_fact (const YNode *node, const char *label, const char *info_key)
{
    const YNode *v = NULL;

    if (label)
        v = ynode_get (ynode_get (ynode_get (node, "metadata"), "labels"),
                       label);

    if ((v == NULL || v->kind != YNODE_SCALAR || ynode_is_null (v))
        && info_key)
        v = ynode_get (ynode_get (ynode_get (node, "status"), "nodeInfo"),
                       info_key);
    return v && v->kind == YNODE_SCALAR && !ynode_is_null (v) ? v : NULL;
}

/* The Windows build: node.kubernetes.io/windows-build ("10.0.20348"), with
 * the revision from status.nodeInfo.kernelVersion ("10.0.20348.2655")
 * when the two agree; the kernel version alone when there is no label. */
static void
read_node_build (LoadCtx *ctx, const YNode *node, KbPoolSpec *p)
{
    const YNode *label = node_fact (node, "node.kubernetes.io/windows-build",
                                    NULL);
    const YNode *kernel = node_fact (node, NULL, "kernelVersion");
    g_autoptr (GError) err = NULL;
    WinVersion kv;
    gboolean has_kv = kernel && platform_win_version_parse (kernel->value,
                                                            &kv, NULL);

    if (label == NULL && kernel == NULL) {
        loader__error (ctx, node, "node '%s': a Windows node needs its build "
                       "(label node.kubernetes.io/windows-build or status."
                       "nodeInfo.kernelVersion)", p->name);
        return;
    }
    if (label == NULL) {
        if (!platform_win_version_parse (kernel->value, &p->windows_build,
                                         &err))
            loader__error (ctx, kernel, "status.nodeInfo.kernelVersion: %s",
                           err->message);
        return;
    }
    if (!platform_win_version_parse (label->value, &p->windows_build, &err)) {
        loader__error (ctx, label, "node.kubernetes.io/windows-build: %s",
                       err->message);
        return;
    }
    if (has_kv && kv.major == p->windows_build.major
        && kv.minor == p->windows_build.minor
        && kv.build == p->windows_build.build)
        p->windows_build.revision = kv.revision;
}

static void
read_node_platform (LoadCtx *ctx, const YNode *node, KbPoolSpec *p)
{
    const YNode *os = node_fact (node, "kubernetes.io/os", "operatingSystem");
    const YNode *arch = node_fact (node, "kubernetes.io/arch",
                                   "architecture");

    if (os == NULL)
        loader__error (ctx, node, "node '%s': no operating system (label "
                       "kubernetes.io/os or status.nodeInfo.operatingSystem)",
                       p->name);
    else if ((p->os = platform_os_from_string (os->value)) == KB_OS_UNKNOWN)
        loader__error (ctx, os, "node '%s': unknown operating system '%s' "
                       "(expected linux or windows)", p->name, os->value);
    p->arch = KB_ARCH_AMD64;
    if (arch && (p->arch = platform_arch_from_string (arch->value))
                    == KB_ARCH_UNKNOWN)
        loader__error (ctx, arch, "node '%s': unknown architecture '%s' "
                       "(expected amd64, arm64, arm, 386, ppc64le or s390x)",
                       p->name, arch->value);
    if (p->os == KB_OS_WINDOWS)
        read_node_build (ctx, node, p);
}

/* status.nodeInfo.kubeletVersion. Distributions append a suffix ("v1.30.4-
 * eks-a737599", "v1.30.5-gke.1014001"): everything from the first '-' or
 * '+' is dropped. Without it the loader gives the control plane's version
 * (kubelet.major stays 0). */
static void
read_node_kubelet (LoadCtx *ctx, const YNode *node, KbPoolSpec *p)
{
    const YNode *v = node_fact (node, NULL, "kubeletVersion");
    g_autofree char *text = NULL;
    g_autoptr (GError) err = NULL;

    if (v == NULL)
        return;
    text = g_strndup (v->value, strcspn (v->value, "-+"));
    if (!platform_kube_version_parse (text, &p->kubelet, &err)) {
        loader__error (ctx, v, "status.nodeInfo.kubeletVersion: %s",
                       err->message);
        p->kubelet.major = 0;
    }
}

/* status.allocatable: what the scheduler may hand out. Extended resources
 * (ephemeral-storage, hugepages-*, attachable volumes, GPUs) are not
 * modelled. */
static void
read_node_allocatable (LoadCtx *ctx, const YNode *node, KbPoolSpec *p)
{
    const YNode *alloc = ynode_get (ynode_get (node, "status"),
                                    "allocatable");
    static const char *const required[] = { "cpu", "memory" };

    p->max_pods = NODE_DEFAULT_MAX_PODS;
    if (alloc == NULL || ynode_is_null (alloc)) {
        loader__error (ctx, node, "node '%s': status.allocatable: missing, "
                       "and it is required (cpu and memory)", p->name);
        return;
    }
    if (!loader__is_map (ctx, alloc, "status.allocatable"))
        return;
    for (gsize i = 0; i < G_N_ELEMENTS (required); i++)
        if (ynode_get (alloc, required[i]) == NULL)
            loader__error (ctx, alloc, "status.allocatable.%s: missing, and "
                           "it is required", required[i]);
    loader__get_cpu (ctx, alloc, "cpu", "status.allocatable.", &p->cpu);
    loader__get_bytes (ctx, alloc, "memory", "status.allocatable.",
                       &p->memory);
    loader__get_int (ctx, alloc, "pods", "status.allocatable.", 1, 100000,
                     &p->max_pods);
}

/* The instance type label names the machine; the catalogue, when it
 * knows it, gives the price (Windows: the licence surcharge per vCPU).
 * Unknown types cost 0. */
static void
read_node_instance (const YNode *node, KbPoolSpec *p)
{
    const YNode *v = node_fact (node, "node.kubernetes.io/instance-type",
                                NULL);
    const CatalogInstance *inst;

    if (v == NULL)
        v = node_fact (node, "beta.kubernetes.io/instance-type", NULL);
    if (v == NULL)
        return;
    p->instance = g_strdup (v->value);
    inst = catalog_instance_lookup (p->instance);
    if (inst == NULL)
        return;
    p->price_per_hour = inst->linux_per_hour;
    if (p->os == KB_OS_WINDOWS)
        p->windows_surcharge_per_hour =
            inst->windows_surcharge_per_vcpu_hour * inst->vcpu;
}

static gboolean
has_string (const GPtrArray *list, const char *s)
{
    for (guint i = 0; i < list->len; i++)
        if (strcmp (g_ptr_array_index (list, i), s) == 0)
            return TRUE;
    return FALSE;
}

/* status.images: what is already on the node. Each entry lists a digest
 * reference and usually a tagged one; the first name without a digest is
 * kept, normalised. Untagged (digest-only) images are skipped. */
static void
read_node_images (const YNode *node, KbPoolSpec *p)
{
    const YNode *images = ynode_get (ynode_get (node, "status"), "images");

    if (images == NULL || images->kind != YNODE_SEQUENCE)
        return;
    for (guint i = 0; i < ynode_len (images); i++) {
        const YNode *names = ynode_get (ynode_item (images, i), "names");

        for (guint j = 0; names && names->kind == YNODE_SEQUENCE
                          && j < ynode_len (names); j++) {
            const YNode *n = ynode_item (names, j);
            char *norm;

            if (n->kind != YNODE_SCALAR || ynode_is_null (n)
                || strchr (n->value, '@'))
                continue;
            norm = catalog_normalize_reference (n->value);
            if (has_string (p->prepulled, norm))
                g_free (norm);
            else
                g_ptr_array_add (p->prepulled, norm);
            break;
        }
    }
}

void
loader__note_node_images (LoadCtx *ctx, const YNode *node,
                          const KbPoolSpec *p)
{
    const YNode *images = ynode_get (ynode_get (node, "status"), "images");

    if (images == NULL || images->kind != YNODE_SEQUENCE
        || ctx->node_images == NULL)
        return;
    for (guint i = 0; i < ynode_len (images); i++) {
        const YNode *item = ynode_item (images, i);
        const YNode *names = ynode_get (item, "names");
        const YNode *size = ynode_get (item, "sizeBytes");

        for (guint j = 0; names && names->kind == YNODE_SEQUENCE
                          && j < ynode_len (names); j++) {
            const YNode *n = ynode_item (names, j);
            LoaderNodeImage *ni;
            char *norm;

            if (n->kind != YNODE_SCALAR || ynode_is_null (n)
                || strchr (n->value, '@'))
                continue;
            norm = catalog_normalize_reference (n->value);
            if (g_hash_table_contains (ctx->node_images, norm)) {
                g_free (norm);
                break;
            }
            ni = g_new0 (LoaderNodeImage, 1);
            ni->os = p->os;
            ni->node = g_strdup (p->name);
            if (size && size->kind == YNODE_SCALAR && size->value)
                ni->size = g_ascii_strtoll (size->value, NULL, 10);
            if (ni->size < 0)
                ni->size = 0;
            g_hash_table_insert (ctx->node_images, norm, ni);
            break;
        }
    }
}

/* spec.taints, plus the taint the node controller adds to a cordoned node
 * (spec.unschedulable), in case the list was trimmed of it. */
static void
read_node_taints (LoadCtx *ctx, const YNode *node, KbPoolSpec *p)
{
    static const char *const cordon = "node.kubernetes.io/unschedulable";
    const YNode *spec = ynode_get (node, "spec");
    gboolean unschedulable = FALSE;
    KbTaint *t;

    if (spec == NULL || ynode_is_null (spec)
        || !loader__is_map (ctx, spec, "spec"))
        return;
    g_ptr_array_unref (p->taints);
    p->taints = loader__taints (ctx, ynode_get (spec, "taints"),
                                "spec.taints");
    if (!loader__get_bool (ctx, spec, "unschedulable", "spec.",
                           &unschedulable) || !unschedulable)
        return;
    for (guint i = 0; i < p->taints->len; i++) {
        t = g_ptr_array_index (p->taints, i);
        if (strcmp (t->key, cordon) == 0 && t->effect == KB_TAINT_NO_SCHEDULE)
            return;
    }
    t = g_new0 (KbTaint, 1);
    t->key = g_strdup (cordon);
    t->value = g_strdup ("");
    t->effect = KB_TAINT_NO_SCHEDULE;
    g_ptr_array_add (p->taints, t);
}

/* The labels the kubelet always sets, for lists trimmed by hand (facts
 * section 3). Labels the node has are kept as they are. */
static void
add_missing_labels (KbPoolSpec *p)
{
    if (kb_labels_get (p->labels, "kubernetes.io/os") == NULL
        && p->os != KB_OS_UNKNOWN)
        kb_labels_set (p->labels, "kubernetes.io/os",
                       platform_os_name (p->os));
    if (kb_labels_get (p->labels, "kubernetes.io/arch") == NULL
        && p->arch != KB_ARCH_UNKNOWN)
        kb_labels_set (p->labels, "kubernetes.io/arch",
                       platform_arch_name (p->arch));
    if (kb_labels_get (p->labels, "kubernetes.io/hostname") == NULL
        && p->name[0])
        kb_labels_set (p->labels, "kubernetes.io/hostname", p->name);
    if (p->os == KB_OS_WINDOWS && p->windows_build.major > 0
        && kb_labels_get (p->labels, "node.kubernetes.io/windows-build")
               == NULL) {
        g_autofree char *b = g_strdup_printf ("%u.%u.%u",
                                              p->windows_build.major,
                                              p->windows_build.minor,
                                              p->windows_build.build);

        kb_labels_set (p->labels, "node.kubernetes.io/windows-build", b);
    }
}

static void
read_node (LoadCtx *ctx, const YNode *node)
{
    KbPoolSpec *p = kb_pool_new ();
    const YNode *meta = ynode_get (node, "metadata");

    p->loc = loader__loc (ctx, node);
    p->count = 1;
    p->from_node_list = TRUE;
    p->name = object_name (ctx, node);
    if (meta && meta->kind == YNODE_MAPPING) {
        g_ptr_array_unref (p->labels);
        p->labels = loader__labels (ctx, ynode_get (meta, "labels"),
                                    "metadata.labels");
    }
    read_node_taints (ctx, node, p);
    read_node_platform (ctx, node, p);
    read_node_kubelet (ctx, node, p);
    read_node_allocatable (ctx, node, p);
    read_node_instance (node, p);
    read_node_images (node, p);
    loader__note_node_images (ctx, node, p);
    loader__default_sandbox (ctx, node, p);
    p->network_bandwidth = NODE_NET_BW;
    p->disk_bandwidth = p->os == KB_OS_WINDOWS ? NODE_DISK_BW_WIN
                                               : NODE_DISK_BW_LINUX;
    add_missing_labels (p);
    if (p->name[0] && scenario_find_pool (ctx->s, p->name)) {
        loader__error (ctx, ynode_get (meta, "name"), "duplicate node name "
                       "'%s'", p->name);
        kb_pool_free (p);
        return;
    }
    g_ptr_array_add (ctx->s->pools, p);
}

static void
read_node_object (LoadCtx *ctx, const YNode *doc, gboolean in_node_list,
                  guint depth)
{
    g_autofree char *kind = NULL;
    const YNode *items;

    if (ynode_is_null (doc) || !loader__is_map (ctx, doc, "node list"))
        return;
    if (ynode_get (doc, "kind") == NULL && in_node_list) {
        read_node (ctx, doc);
        return;
    }
    if (!loader__get_str (ctx, doc, "kind", "", TRUE, &kind))
        return;
    if (strcmp (kind, "Node") == 0) {
        read_node (ctx, doc);
        return;
    }
    if (strcmp (kind, "List") != 0 && strcmp (kind, "NodeList") != 0) {
        loader__error (ctx, ynode_get (doc, "kind"), "node list: expected "
                       "kind Node, List or NodeList, got '%s' (write the "
                       "file with `kubectl get nodes -o yaml`)", kind);
        return;
    }
    items = ynode_get (doc, "items");
    if (depth >= MAX_LIST_DEPTH)
        loader__error (ctx, doc, "kind %s: lists nested more than %d deep",
                       kind, MAX_LIST_DEPTH);
    else if (items == NULL)
        loader__error (ctx, doc, "items: missing, and it is required");
    else if (!ynode_is_null (items) && loader__is_seq (ctx, items, "items"))
        for (guint i = 0; i < ynode_len (items); i++)
            read_node_object (ctx, ynode_item (items, i),
                              strcmp (kind, "NodeList") == 0, depth + 1);
}

static void
read_node_document (LoadCtx *ctx, const YNode *doc, const char *file)
{
    (void) file;
    read_node_object (ctx, doc, FALSE, 0);
}

void
loader__node_list (LoadCtx *ctx, const YNode *entry, const char *path,
                   const char *base_dir)
{
    read_path (ctx, entry, "node list", path, base_dir, FALSE,
               read_node_document);
}
