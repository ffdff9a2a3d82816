/* lesson.c: the lesson block of a scenario file, read and checked.
 *
 * A lesson file is parsed into a YAML tree (ytree.c) and only its
 * top-level `lesson` mapping is read; the rest is the scenario loader's
 * business. The fields are read with the loader's getters (load-util.c),
 * so that a mistake reads as it would anywhere in a scenario:
 * "file:line:col: lesson.moments[1].at: invalid duration ...", every
 * mistake at once, sorted by position. No scenario is built here: the
 * LoadCtx only collects errors, and its Scenario stays NULL (the getters
 * and the key check never touch it).
 *
 * The block also has to disappear from the scenario a handout prints:
 * scenario_text cuts its lines out of the file's text (cut_block()).
 * lesson_list() reads a folder of lessons and puts them in their order.
 */
#include "scenarios/lesson.h"

#include <string.h>

#include "scenarios/loader-private.h"

G_DEFINE_QUARK (kb-lesson-error-quark, kb_lesson_error)

static const char *const lesson_keys[] = {
    "order", "title", "explain", "intro", "moments", "takeaway", NULL
};
static const char *const moment_keys[] = { "at", "say", NULL };

void
lesson_free (Lesson *l)
{
    if (l == NULL)
        return;
    for (guint i = 0; i < l->n_moments; i++)
        g_free (l->moments[i].say);
    g_free (l->moments);
    g_free (l->name);
    g_free (l->title);
    g_free (l->workload);
    g_free (l->intro);
    g_free (l->takeaway);
    g_free (l->scenario_text);
    g_free (l);
}

/* map[key] if it has a value; else reports it missing, in the getters'
 * words, and returns NULL. */
static const YNode *
required (LoadCtx *ctx, const YNode *map, const char *key,
          const char *prefix)
{
    const YNode *v = ynode_get (map, key);

    if (v != NULL && !ynode_is_null (v))
        return v;
    loader__error (ctx, v ? v : map, "%s%s: missing, and it is required",
                   prefix, key);
    return NULL;
}

static void
read_moments (LoadCtx *ctx, const YNode *seq, GArray *out)
{
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *m = ynode_item (seq, i);
        g_autofree char *what = g_strdup_printf ("lesson.moments[%u]", i);
        g_autofree char *prefix = g_strconcat (what, ".", NULL);
        LessonMoment mo = { 0, NULL };

        if (!loader__is_map (ctx, m, what))
            continue;
        loader__check_keys (ctx, m, what, moment_keys, NULL);
        if (required (ctx, m, "at", prefix)
            && loader__get_duration (ctx, m, "at", prefix, &mo.at)
            && out->len > 0
            && mo.at < g_array_index (out, LessonMoment, out->len - 1).at)
            loader__error (ctx, ynode_get (m, "at"), "%sat: must not be "
                           "earlier than the moment before it, got '%s'",
                           prefix, ynode_get (m, "at")->value);
        loader__get_str (ctx, m, "say", prefix, TRUE, &mo.say);
        g_array_append_val (out, mo);
    }
}

static void
read_explain (LoadCtx *ctx, const YNode *block, Lesson *l)
{
    if (!loader__get_str (ctx, block, "explain", "lesson.", FALSE,
                          &l->workload))
        return;
    if (strcmp (l->workload, "node/") == 0)
        loader__error (ctx, ynode_get (block, "explain"), "lesson.explain: "
                       "expected a workload or node/NAME, got 'node/'");
}

static void
read_block (LoadCtx *ctx, const YNode *block, Lesson *l)
{
    g_autoptr (GArray) moments = g_array_new (FALSE, TRUE,
                                              sizeof (LessonMoment));
    const YNode *n;

    if (!loader__is_map (ctx, block, "lesson"))
        return;
    loader__check_keys (ctx, block, "lesson", lesson_keys, NULL);
    if (required (ctx, block, "order", "lesson."))
        loader__get_int (ctx, block, "order", "lesson.", 0, G_MAXINT32,
                         &l->order);
    loader__get_str (ctx, block, "title", "lesson.", TRUE, &l->title);
    read_explain (ctx, block, l);
    loader__get_str (ctx, block, "intro", "lesson.", TRUE, &l->intro);
    if ((n = required (ctx, block, "moments", "lesson."))
        && loader__is_seq (ctx, n, "lesson.moments")) {
        if (ynode_len (n) == 0)
            loader__error (ctx, n, "lesson.moments: needs at least one "
                           "moment");
        read_moments (ctx, n, moments);
    }
    loader__get_str (ctx, block, "takeaway", "lesson.", TRUE, &l->takeaway);
    l->n_moments = moments->len;
    l->moments = (LessonMoment *) g_array_free (
        g_steal_pointer (&moments), FALSE);
}

static gboolean
is_blank (const char *line)
{
    while (g_ascii_isspace (*line))
        ++line;
    return *line == '\0';
}

/* text without the lesson block: the lines from the key (line `from`,
 * counting from 1) up to the next top-level key (line `to`), or to the
 * end (`to` 0), with the blank lines just above the key. The blank and
 * comment lines just above a next key stay: they belong to it. So a block
 * appended after a blank line leaves the file as it was before.
 * (transfer full). */
static char *
cut_block (const char *text, guint from, guint to)
{
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    guint n = g_strv_length (lines);
    guint start = from - 1;
    guint end = to ? to - 1 : n;
    GString *out;

    if (to == 0 && n > 0 && lines[n - 1][0] == '\0')
        end = n - 1;        /* the text's final newline stays */
    if (start >= n || end > n || end <= start)
        return g_strdup (text);
    while (to != 0 && end > start + 1 && (is_blank (lines[end - 1])
                                          || lines[end - 1][0] == '#'))
        end--;
    while (start > 0 && is_blank (lines[start - 1]))
        start--;
    out = g_string_new (NULL);
    for (guint i = 0; i < n; i++) {
        if (i >= start && i < end)
            continue;
        g_string_append (out, lines[i]);
        if (i + 1 < n)
            g_string_append_c (out, '\n');
    }
    return g_string_free (out, FALSE);
}

/* The scenario's text without the block at key index i of root. A root
 * written in flow style ({... lesson: ...}) keeps its text whole. */
static char *
scenario_text (const char *text, const YNode *root, guint i)
{
    const YNode *key = ynode_key (root, i);
    guint to = i + 1 < ynode_len (root) ? ynode_key (root, i + 1)->line : 0;

    if (key->col != 1 || (to != 0 && to <= key->line))
        return g_strdup (text);
    return cut_block (text, key->line, to);
}

/* The errors collected, one per line in reading order, as the loader
 * reports them. (transfer full). */
static char *
errors_text (LoadCtx *ctx, const char *file)
{
    GString *msg = g_string_new (NULL);

    loader__sort_errors (ctx);
    for (guint k = 0; k < ctx->errors->len; k++)
        g_string_append_printf (msg, "%s%s", k ? "\n" : "",
                                ((LoadError *) g_ptr_array_index (
                                    ctx->errors, k))->text);
    if (ctx->n_errors > ctx->errors->len)
        g_string_append_printf (msg, "\n%s: and %u more errors", file,
                                ctx->n_errors - ctx->errors->len);
    return g_string_free (msg, FALSE);
}

/* The lesson in tree; text is the file's (for scenario_text). */
static Lesson *
from_tree (YTree *tree, const char *text, const char *file, GError **error)
{
    const YNode *root = ytree_n_documents (tree) > 0
                        ? ytree_document (tree, 0) : NULL;
    LoadCtx ctx = { 0 };
    g_autofree char *base = g_path_get_basename (file);
    Lesson *l;
    guint i;

    for (i = 0; root && root->kind == YNODE_MAPPING && i < ynode_len (root);
         i++)
        if (ynode_key (root, i)->kind == YNODE_SCALAR
            && strcmp (ynode_key (root, i)->value, "lesson") == 0)
            break;
    if (root == NULL || root->kind != YNODE_MAPPING || i == ynode_len (root)) {
        g_set_error (error, KB_LESSON_ERROR, KB_LESSON_ERROR_NO_LESSON,
                     "%s:1:1: not a lesson: no top-level 'lesson' key",
                     file);
        return NULL;
    }
    l = g_new0 (Lesson, 1);
    l->name = g_str_has_suffix (base, ".yaml")
              ? g_strndup (base, strlen (base) - 5) : g_strdup (base);
    l->scenario_text = scenario_text (text, root, i);
    ctx.errors = g_ptr_array_new_with_free_func (loader__error_free);
    read_block (&ctx, ynode_value (root, i), l);
    if (ctx.n_errors > 0) {
        g_autofree char *msg = errors_text (&ctx, file);

        g_set_error_literal (error, KB_LESSON_ERROR, KB_LESSON_ERROR_INVALID,
                             msg);
        g_clear_pointer (&l, lesson_free);
    }
    g_ptr_array_unref (ctx.errors);
    return l;
}

static void
set_tree_error (GError **error, const GError *local)
{
    g_set_error_literal (error, KB_LESSON_ERROR,
                         local->code == KB_YTREE_ERROR_IO
                             ? KB_LESSON_ERROR_IO : KB_LESSON_ERROR_INVALID,
                         local->message);
}

Lesson *
lesson_load (const char *path, GError **error)
{
    g_autoptr (GError) local = NULL;
    g_autoptr (YTree) tree = ytree_load_file (path, &local);
    g_autofree char *text = NULL;

    if (tree == NULL) {
        set_tree_error (error, local);
        return NULL;
    }
    text = ytree_steal_text (tree);
    return from_tree (tree, text ? text : "", path, error);
}

Lesson *
lesson_load_data (const char *data, gsize len, const char *file,
                  GError **error)
{
    g_autoptr (GError) local = NULL;
    g_autoptr (YTree) tree = ytree_load_data (data, len, file, &local);
    g_autofree char *text = g_strndup (data, len);

    if (tree == NULL) {
        set_tree_error (error, local);
        return NULL;
    }
    return from_tree (tree, text, file, error);
}

static gint
lesson_cmp (gconstpointer a, gconstpointer b)
{
    const Lesson *x = *(Lesson **) a, *y = *(Lesson **) b;

    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp (x->name, y->name);
}

static gint
path_cmp (gconstpointer a, gconstpointer b)
{
    return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The paths of dir's *.yaml files, sorted (a folder lists its files in
 * the file system's order). (transfer full). */
static GPtrArray *
yaml_files (const char *dir, GError **error)
{
    g_autoptr (GError) local = NULL;
    g_autoptr (GDir) d = g_dir_open (dir, 0, &local);
    GPtrArray *names;
    const char *name;

    if (d == NULL) {
        g_set_error (error, KB_LESSON_ERROR, KB_LESSON_ERROR_IO,
                     "cannot read the lessons: %s", local->message);
        return NULL;
    }
    names = g_ptr_array_new_with_free_func (g_free);
    while ((name = g_dir_read_name (d)) != NULL)
        if (g_str_has_suffix (name, ".yaml"))
            g_ptr_array_add (names, g_build_filename (dir, name, NULL));
    g_ptr_array_sort (names, path_cmp);
    return names;
}

GPtrArray *
lesson_list (const char *dir, GError **error)
{
    g_autoptr (GPtrArray) files = yaml_files (dir, error);
    g_autoptr (GPtrArray) lessons = NULL;

    if (files == NULL)
        return NULL;
    lessons = g_ptr_array_new_with_free_func ((GDestroyNotify) lesson_free);
    for (guint i = 0; i < files->len; i++) {
        const char *path = g_ptr_array_index (files, i);
        g_autoptr (GError) local = NULL;
        Lesson *l;

        if (g_file_test (path, G_FILE_TEST_IS_DIR))
            continue;
        l = lesson_load (path, &local);
        if (l != NULL)
            g_ptr_array_add (lessons, l);
        else if (!g_error_matches (local, KB_LESSON_ERROR,
                                   KB_LESSON_ERROR_NO_LESSON)) {
            g_propagate_error (error, g_steal_pointer (&local));
            return NULL;
        }
    }
    g_ptr_array_sort (lessons, lesson_cmp);
    return g_steal_pointer (&lessons);
}
