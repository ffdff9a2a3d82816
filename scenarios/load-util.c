/* load-util.c: error collection, typed getters and the record of images
 * used, for the loader's files.
 *
 * Every getter reports into the LoadCtx and carries on, so one run lists
 * all of a file's mistakes. Messages follow "file:line:col: what: problem",
 * lowercase, quoting the bad text. This is the bottom of scenarios/ (above
 * ytree.c): it calls no other reader of the loader.
 */
#include "scenarios/loader-private.h"

#include <errno.h>
#include <string.h>

#include "sim/suggest.h"
#include "sim/units.h"

/* Errors kept before sorting; the first SCENARIO_MAX_ERRORS in reading
 * order are shown. */
#define LOAD_MAX_KEPT 1000

static void
add_error (LoadCtx *ctx, const char *file, guint line, guint col,
           const char *msg)
{
    LoadError *e;

    ctx->n_errors++;
    if (ctx->errors->len >= LOAD_MAX_KEPT)
        return;
    e = g_new0 (LoadError, 1);
    e->file = g_strdup (file);
    e->line = line;
    e->col = col;
    e->text = g_strdup_printf ("%s:%u:%u: %s", file, line, col, msg);
    g_ptr_array_add (ctx->errors, e);
}

void
loader__error_raw (LoadCtx *ctx, const char *format, ...)
{
    LoadError *e;
    va_list ap;

    ctx->n_errors++;
    if (ctx->errors->len >= LOAD_MAX_KEPT)
        return;
    e = g_new0 (LoadError, 1);
    va_start (ap, format);
    e->text = g_strdup_vprintf (format, ap);
    va_end (ap);
    g_ptr_array_add (ctx->errors, e);
}

void
loader__error_free (gpointer p)
{
    LoadError *e = p;

    g_free (e->file);
    g_free (e->text);
    g_free (e);
}

/* Errors in reading order: by file (those without a position first, in
 * the order found), then line and column. g_ptr_array_sort is stable, so
 * equal positions keep the order they were found in. */
static gint
error_cmp (gconstpointer a, gconstpointer b)
{
    const LoadError *x = *(LoadError **) a, *y = *(LoadError **) b;
    int c;

    if (x->file == NULL || y->file == NULL)
        return (x->file != NULL) - (y->file != NULL);
    c = strcmp (x->file, y->file);
    if (c)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

void
loader__sort_errors (LoadCtx *ctx)
{
    g_ptr_array_sort (ctx->errors, error_cmp);
    if (ctx->errors->len > SCENARIO_MAX_ERRORS)
        g_ptr_array_set_size (ctx->errors, SCENARIO_MAX_ERRORS);
}

void
loader__error (LoadCtx *ctx, const YNode *node, const char *format, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start (ap, format);
    msg = g_strdup_vprintf (format, ap);
    va_end (ap);
    add_error (ctx, node->file, node->line, node->col, msg);
}

void
loader__error_at (LoadCtx *ctx, const KbLoc *loc, const char *format, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start (ap, format);
    msg = g_strdup_vprintf (format, ap);
    va_end (ap);
    add_error (ctx, loc->file, loc->line, loc->col, msg);
}

const char *
loader__intern_file (LoadCtx *ctx, const char *file)
{
    for (guint i = 0; i < ctx->s->files->len; i++)
        if (strcmp (g_ptr_array_index (ctx->s->files, i), file) == 0)
            return g_ptr_array_index (ctx->s->files, i);
    g_ptr_array_add (ctx->s->files, g_strdup (file));
    return g_ptr_array_index (ctx->s->files, ctx->s->files->len - 1);
}

KbLoc
loader__loc (LoadCtx *ctx, const YNode *node)
{
    KbLoc loc = { loader__intern_file (ctx, node->file), node->line,
                  node->col };

    return loc;
}

void
loader__ignored (LoadCtx *ctx, const YNode *key, const char *what)
{
    g_ptr_array_add (ctx->s->ignored_fields,
                     g_strdup_printf ("%s:%u:%u: %s", key->file, key->line,
                                      key->col, what));
}

void
loader__use_image (LoadCtx *ctx, const char *ref, const YNode *node)
{
    if (!g_hash_table_contains (ctx->image_refs, ref)) {
        KbLoc *loc = g_new (KbLoc, 1);

        *loc = loader__loc (ctx, node);
        g_hash_table_insert (ctx->image_refs, g_strdup (ref), loc);
    }
}

static gboolean
is_kind (LoadCtx *ctx, const YNode *node, const char *what, YNodeKind kind,
         const char *expected)
{
    g_autofree char *got = NULL;

    if (node->kind == kind && !(kind == YNODE_SCALAR && ynode_is_null (node)))
        return TRUE;
    got = ynode_describe (node);
    loader__error (ctx, node, "%s: expected %s, got %s", what, expected, got);
    return FALSE;
}

gboolean
loader__is_map (LoadCtx *ctx, const YNode *node, const char *what)
{
    return is_kind (ctx, node, what, YNODE_MAPPING, "a mapping");
}

gboolean
loader__is_seq (LoadCtx *ctx, const YNode *node, const char *what)
{
    return is_kind (ctx, node, what, YNODE_SEQUENCE, "a list");
}

gboolean
loader__is_scalar (LoadCtx *ctx, const YNode *node, const char *what)
{
    return is_kind (ctx, node, what, YNODE_SCALAR, "a value");
}

static gboolean
in_list (const char *key, const char *const *list)
{
    for (gsize i = 0; list && list[i]; i++)
        if (strcmp (key, list[i]) == 0)
            return TRUE;
    return FALSE;
}

void
loader__check_keys (LoadCtx *ctx, const YNode *map, const char *where,
                    const char *const *used, const char *const *ignored)
{
    for (guint i = 0; i < ynode_len (map); i++) {
        const YNode *k = ynode_key (map, i);
        const char *hint;

        if (k->kind != YNODE_SCALAR) {
            loader__error (ctx, k, "%s: keys must be plain text", where);
            continue;
        }
        if (in_list (k->value, used))
            continue;
        if (in_list (k->value, ignored)) {
            loader__ignored (ctx, k, k->value);
            continue;
        }
        hint = suggest_closest (k->value, used);
        if (hint == NULL && ignored)
            hint = suggest_closest (k->value, ignored);
        if (hint)
            loader__error (ctx, k, "unknown key '%s' in %s (did you mean "
                           "'%s'?)", k->value, where, hint);
        else
            loader__error (ctx, k, "unknown key '%s' in %s", k->value, where);
    }
}

/* The scalar at map[key], or NULL (reported when required or not a
 * scalar). */
static const YNode *
scalar_at (LoadCtx *ctx, const YNode *map, const char *key,
           const char *prefix, gboolean required)
{
    const YNode *v = ynode_get (map, key);

    if (v == NULL || ynode_is_null (v)) {
        if (required)
            loader__error (ctx, v ? v : map, "%s%s: missing, and it is "
                           "required", prefix, key);
        return NULL;
    }
    {
        g_autofree char *what = g_strconcat (prefix, key, NULL);

        if (!loader__is_scalar (ctx, v, what))
            return NULL;
    }
    return v;
}

gboolean
loader__get_str (LoadCtx *ctx, const YNode *map, const char *key,
                 const char *prefix, gboolean required, char **out)
{
    const YNode *v = scalar_at (ctx, map, key, prefix, required);

    if (v == NULL)
        return FALSE;
    if (v->value[0] == '\0') {
        loader__error (ctx, v, "%s%s: must not be empty", prefix, key);
        return FALSE;
    }
    g_free (*out);
    *out = g_strdup (v->value);
    return TRUE;
}

gboolean
loader__get_int (LoadCtx *ctx, const YNode *map, const char *key,
                 const char *prefix, gint64 min, gint64 max, gint64 *out)
{
    const YNode *v = scalar_at (ctx, map, key, prefix, FALSE);
    const char *t;
    char *end;
    gint64 x;

    if (v == NULL)
        return FALSE;
    t = v->value;
    errno = 0;
    x = g_ascii_strtoll (t, &end, 10);
    if (*t == '\0' || *end != '\0' || g_ascii_isspace (*t) || *t == '+'
        || errno == ERANGE) {
        loader__error (ctx, v, "%s%s: expected %s integer, got '%s'", prefix,
                       key, min >= 0 ? "a non-negative" : "an", t);
        return FALSE;
    }
    if (x < min) {
        if (min == 0)
            loader__error (ctx, v, "%s%s: expected a non-negative integer, "
                           "got '%s'", prefix, key, t);
        else
            loader__error (ctx, v, "%s%s: must be at least %" G_GINT64_FORMAT
                           ", got '%s'", prefix, key, min, t);
        return FALSE;
    }
    if (x > max) {
        loader__error (ctx, v, "%s%s: must be at most %" G_GINT64_FORMAT
                       ", got '%s'", prefix, key, max, t);
        return FALSE;
    }
    *out = x;
    return TRUE;
}

gboolean
loader__get_bool (LoadCtx *ctx, const YNode *map, const char *key,
                  const char *prefix, gboolean *out)
{
    const YNode *v = scalar_at (ctx, map, key, prefix, FALSE);

    if (v == NULL)
        return FALSE;
    if (strcmp (v->value, "true") == 0)
        *out = TRUE;
    else if (strcmp (v->value, "false") == 0)
        *out = FALSE;
    else {
        loader__error (ctx, v, "%s%s: expected true or false, got '%s'",
                       prefix, key, v->value);
        return FALSE;
    }
    return TRUE;
}

/* Runs a units parser on map[key] and reports its error at the value. */
#define GET_UNITS(parse, type)                                             \
    const YNode *v = scalar_at (ctx, map, key, prefix, FALSE);             \
    g_autoptr (GError) err = NULL;                                         \
    type x;                                                                \
                                                                           \
    if (v == NULL)                                                         \
        return FALSE;                                                      \
    if (!parse (v->value, &x, &err)) {                                     \
        loader__error (ctx, v, "%s%s: %s", prefix, key, err->message);     \
        return FALSE;                                                      \
    }                                                                      \
    *out = x;                                                              \
    return TRUE

gboolean
loader__get_duration (LoadCtx *ctx, const YNode *map, const char *key,
                      const char *prefix, SimTime *out)
{
    GET_UNITS (units_parse_duration, gint64);
}

gboolean
loader__get_cpu (LoadCtx *ctx, const YNode *map, const char *key,
                 const char *prefix, gint64 *out)
{
    GET_UNITS (units_parse_cpu, gint64);
}

gboolean
loader__get_bytes (LoadCtx *ctx, const YNode *map, const char *key,
                   const char *prefix, gint64 *out)
{
    GET_UNITS (units_parse_bytes, gint64);
}

gboolean
loader__get_number (LoadCtx *ctx, const YNode *map, const char *key,
                    const char *prefix, double min, double max, double *out)
{
    const YNode *v = scalar_at (ctx, map, key, prefix, FALSE);
    g_autoptr (GError) err = NULL;
    double x;

    if (v == NULL)
        return FALSE;
    if (!units_parse_decimal (v->value, &x, &err) || x < min || x > max) {
        g_autofree char *lo = g_strdup_printf ("%g", min);
        g_autofree char *hi = g_strdup_printf ("%g", max);

        loader__error (ctx, v, "%s%s: expected a number from %s to %s, got "
                       "'%s'", prefix, key, lo, hi, v->value);
        return FALSE;
    }
    *out = x;
    return TRUE;
}

char *
loader__scalar_dup (LoadCtx *ctx, const YNode *node, const char *what)
{
    if (!loader__is_scalar (ctx, node, what))
        return NULL;
    return g_strdup (node->value);
}
