/* ytree.c: a YAML stream to a tree of YNodes, with hostile input in mind.
 *
 * The builder consumes libyaml events and keeps open collections on an
 * explicit stack. Anchors map to finished nodes; an alias appends the same
 * node again, so a "billion laughs" document stays as small in memory as
 * its text, and its expanded size is known from the weights before anyone
 * walks it. See ytree.h for the limits.
 */
#include "scenarios/ytree.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <yaml.h>

G_DEFINE_QUARK (kb-ytree-error-quark, kb_ytree_error)

struct YTree {
    char *file;
    GPtrArray *nodes;       /* owns every YNode */
    GPtrArray *documents;   /* roots, (transfer none) */
    GPtrArray *strings;     /* owns extra file names (--set) */
    char *text;             /* the file's text, or NULL (from data) */
};

typedef struct {
    YTree *tree;
    const char *data;
    gsize len;
    GPtrArray *stack;       /* open collections */
    GHashTable *anchors;    /* name -> YNode, finished nodes only */
    GHashTable *open_anchors;   /* names of collections still open */
    GPtrArray *open_names;  /* anchor name per stack level, or NULL */
    YNode *root;
    gboolean aliased;       /* the current document used an alias */
} Builder;

static void
ynode_free (gpointer p)
{
    YNode *n = p;

    g_free (n->value);
    if (n->items)
        g_ptr_array_unref (n->items);
    g_free (n);
}

static YNode *
node_new (Builder *b, YNodeKind kind, const yaml_mark_t *mark)
{
    YNode *n = g_new0 (YNode, 1);

    n->kind = kind;
    n->line = (guint) mark->line + 1;
    n->col = (guint) mark->column + 1;
    n->file = b->tree->file;
    n->weight = 1;
    if (kind != YNODE_SCALAR)
        n->items = g_ptr_array_new ();
    g_ptr_array_add (b->tree->nodes, n);
    return n;
}

static gboolean
fail (Builder *b, GError **error, guint line, guint col, const char *format,
      ...) G_GNUC_PRINTF (5, 6);

static gboolean
fail (Builder *b, GError **error, guint line, guint col, const char *format,
      ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start (ap, format);
    msg = g_strdup_vprintf (format, ap);
    va_end (ap);
    g_set_error (error, KB_YTREE_ERROR, KB_YTREE_ERROR_SYNTAX, "%s:%u:%u: %s",
                 b->tree->file, line, col, msg);
    return FALSE;
}

/* Duplicate keys: YAML forbids them, and silently taking the last one
 * would hide a user's mistake. Small mappings are checked pairwise. */
static gboolean
check_duplicate_keys (Builder *b, const YNode *map, GError **error)
{
    guint n = map->items->len / 2;
    g_autoptr (GHashTable) seen = NULL;

    if (n > 16)
        seen = g_hash_table_new (g_str_hash, g_str_equal);
    for (guint i = 0; i < n; i++) {
        const YNode *k = g_ptr_array_index (map->items, 2 * i);
        const YNode *first = NULL;

        if (k->kind != YNODE_SCALAR)
            continue;
        if (seen) {
            first = g_hash_table_lookup (seen, k->value);
            if (first == NULL)
                g_hash_table_insert (seen, k->value, (gpointer) k);
        } else {
            for (guint j = 0; j < i && first == NULL; j++) {
                const YNode *o = g_ptr_array_index (map->items, 2 * j);

                if (o->kind == YNODE_SCALAR
                    && strcmp (o->value, k->value) == 0)
                    first = o;
            }
        }
        if (first)
            return fail (b, error, k->line, k->col,
                         "duplicate key '%s' (first at line %u, column %u)",
                         k->value, first->line, first->col);
    }
    return TRUE;
}

/* The weight limit passed: name aliases only when the document used one,
 * since a plain document of a million nodes is not an alias bomb. */
static gboolean
too_heavy (Builder *b, GError **error, guint line, guint col)
{
    if (b->aliased)
        return fail (b, error, line, col, "the document expands to more "
                     "than %d nodes through aliases (an alias bomb?)",
                     YTREE_MAX_WEIGHT);
    return fail (b, error, line, col, "the document has more than %d "
                 "nodes (the limit of one YAML document)", YTREE_MAX_WEIGHT);
}

static gboolean
attach (Builder *b, YNode *node, const yaml_mark_t *mark, GError **error)
{
    YNode *parent;

    if (b->stack->len == 0) {
        b->root = node;
        return TRUE;
    }
    parent = g_ptr_array_index (b->stack, b->stack->len - 1);
    g_ptr_array_add (parent->items, node);
    parent->weight += node->weight;
    if (parent->weight > YTREE_MAX_WEIGHT)
        return too_heavy (b, error, (guint) mark->line + 1,
                          (guint) mark->column + 1);
    return TRUE;
}

static gboolean
open_collection (Builder *b, YNodeKind kind, const yaml_event_t *ev,
                 const yaml_char_t *anchor, GError **error)
{
    YNode *n;

    if (b->stack->len >= YTREE_MAX_DEPTH)
        return fail (b, error, (guint) ev->start_mark.line + 1,
                     (guint) ev->start_mark.column + 1,
                     "nesting deeper than %d levels", YTREE_MAX_DEPTH);
    n = node_new (b, kind, &ev->start_mark);
    if (!attach (b, n, &ev->start_mark, error))
        return FALSE;
    g_ptr_array_add (b->stack, n);
    g_ptr_array_add (b->open_names, g_strdup ((const char *) anchor));
    if (anchor)
        g_hash_table_add (b->open_anchors, g_strdup ((const char *) anchor));
    return TRUE;
}

static gboolean
close_collection (Builder *b, const yaml_event_t *ev, GError **error)
{
    YNode *n = g_ptr_array_steal_index (b->stack, b->stack->len - 1);
    g_autofree char *anchor = g_ptr_array_steal_index (b->open_names,
                                                       b->open_names->len - 1);

    /* The parent counted this node's weight when it was attached, at 1;
     * add what the children brought since. */
    if (b->stack->len > 0) {
        YNode *parent = g_ptr_array_index (b->stack, b->stack->len - 1);

        parent->weight += n->weight - 1;
        if (parent->weight > YTREE_MAX_WEIGHT)
            return too_heavy (b, error, (guint) ev->start_mark.line + 1,
                              (guint) ev->start_mark.column + 1);
    }
    if (n->kind == YNODE_MAPPING && !check_duplicate_keys (b, n, error))
        return FALSE;
    if (anchor) {
        g_hash_table_remove (b->open_anchors, anchor);
        g_hash_table_replace (b->anchors, g_steal_pointer (&anchor), n);
    }
    return TRUE;
}

char *
ytree_check_text (const char *text, gsize len)
{
    if (len > YTREE_MAX_SCALAR)
        return g_strdup_printf ("a value of %" G_GSIZE_FORMAT " bytes (the "
                                "limit is %d KiB)", len,
                                YTREE_MAX_SCALAR >> 10);
    for (gsize i = 0; i < len; i++) {
        guchar c = (guchar) text[i];
        guint cp = 0;

        if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
            cp = c;
        /* C1 controls U+0080..U+009F are 0xC2 0x80..0x9F in UTF-8 */
        else if (c == 0xc2 && i + 1 < len && (guchar) text[i + 1] >= 0x80
                 && (guchar) text[i + 1] <= 0x9f)
            cp = (guchar) text[i + 1];
        else
            continue;
        return g_strdup_printf ("a control character (U+%04X) in a value: "
                                "only tab and newline are allowed, since "
                                "values reach the terminal", cp);
    }
    return NULL;
}

static gboolean
add_scalar (Builder *b, const yaml_event_t *ev, GError **error)
{
    YNode *n;
    g_autofree char *why = ytree_check_text ((const char *)
                                             ev->data.scalar.value,
                                             ev->data.scalar.length);

    if (why)
        return fail (b, error, (guint) ev->start_mark.line + 1,
                     (guint) ev->start_mark.column + 1, "%s", why);
    n = node_new (b, YNODE_SCALAR, &ev->start_mark);
    n->value = g_strndup ((const char *) ev->data.scalar.value,
                          ev->data.scalar.length);
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    if (ev->data.scalar.anchor)
        g_hash_table_replace (b->anchors,
                              g_strdup ((const char *) ev->data.scalar.anchor),
                              n);
    return attach (b, n, &ev->start_mark, error);
}

static gboolean
add_alias (Builder *b, const yaml_event_t *ev, GError **error)
{
    const char *name = (const char *) ev->data.alias.anchor;
    guint line = (guint) ev->start_mark.line + 1;
    guint col = (guint) ev->start_mark.column + 1;
    YNode *target;

    if (g_hash_table_contains (b->open_anchors, name))
        return fail (b, error, line, col, "alias '*%s' refers to a node "
                     "that contains it (a cycle)", name);
    target = g_hash_table_lookup (b->anchors, name);
    if (target == NULL)
        return fail (b, error, line, col, "alias '*%s' refers to an "
                     "undefined anchor", name);
    b->aliased = TRUE;
    return attach (b, target, &ev->start_mark, error);
}

/* Reader errors (bad UTF-8, control bytes) carry a byte offset, not a
 * mark; turn it into a line and column. */
static void
offset_to_position (const char *data, gsize len, gsize offset, guint *line,
                    guint *col)
{
    *line = 1;
    *col = 1;
    for (gsize i = 0; i < offset && i < len; i++) {
        if (data[i] == '\n') {
            (*line)++;
            *col = 1;
        } else {
            (*col)++;
        }
    }
}

static gboolean
parser_error (Builder *b, const yaml_parser_t *p, GError **error)
{
    guint line, col;
    const char *problem = p->problem ? p->problem : "unknown problem";

    if (p->error == YAML_READER_ERROR) {
        offset_to_position (b->data, b->len, p->problem_offset, &line, &col);
        if (p->problem_value != -1)
            return fail (b, error, line, col, "not valid YAML text: %s "
                         "(byte 0x%02x)", problem, p->problem_value & 0xff);
        return fail (b, error, line, col, "not valid YAML text: %s",
                     problem);
    }
    line = (guint) p->problem_mark.line + 1;
    col = (guint) p->problem_mark.column + 1;
    if (p->context)
        return fail (b, error, line, col, "%s %s (line %u, column %u)",
                     problem, p->context, (guint) p->context_mark.line + 1,
                     (guint) p->context_mark.column + 1);
    return fail (b, error, line, col, "%s", problem);
}

static gboolean
handle_event (Builder *b, const yaml_event_t *ev, GError **error)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        b->root = NULL;
        b->aliased = FALSE;
        g_hash_table_remove_all (b->anchors);
        return TRUE;
    case YAML_DOCUMENT_END_EVENT:
        if (b->root)
            g_ptr_array_add (b->tree->documents, b->root);
        return TRUE;
    case YAML_SCALAR_EVENT:
        return add_scalar (b, ev, error);
    case YAML_ALIAS_EVENT:
        return add_alias (b, ev, error);
    case YAML_SEQUENCE_START_EVENT:
        return open_collection (b, YNODE_SEQUENCE, ev,
                                ev->data.sequence_start.anchor, error);
    case YAML_MAPPING_START_EVENT:
        return open_collection (b, YNODE_MAPPING, ev,
                                ev->data.mapping_start.anchor, error);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return close_collection (b, ev, error);
    default:
        return TRUE;
    }
}

static YTree *
tree_new (const char *name)
{
    YTree *tree = g_new0 (YTree, 1);

    tree->file = g_strdup (name);
    tree->nodes = g_ptr_array_new_with_free_func (ynode_free);
    tree->documents = g_ptr_array_new ();
    tree->strings = g_ptr_array_new_with_free_func (g_free);
    return tree;
}

YTree *
ytree_load_data (const char *data, gsize len, const char *name,
                 GError **error)
{
    Builder b = { 0 };
    yaml_parser_t parser;
    gboolean ok = TRUE, done = FALSE;

    b.tree = tree_new (name);
    b.data = data;
    b.len = len;
    if (len > YTREE_MAX_BYTES) {
        fail (&b, error, 1, 1, "file too large: %" G_GSIZE_FORMAT " bytes "
              "(the limit is %d MiB)", len, YTREE_MAX_BYTES >> 20);
        ytree_free (b.tree);
        return NULL;
    }
    b.stack = g_ptr_array_new ();
    b.open_names = g_ptr_array_new_with_free_func (g_free);
    b.anchors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    b.open_anchors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            NULL);
    yaml_parser_initialize (&parser);
    yaml_parser_set_input_string (&parser, (const unsigned char *) data, len);
    while (ok && !done) {
        yaml_event_t ev;

        if (!yaml_parser_parse (&parser, &ev)) {
            ok = parser_error (&b, &parser, error);
            break;
        }
        ok = handle_event (&b, &ev, error);
        done = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete (&ev);
    }
    yaml_parser_delete (&parser);
    g_ptr_array_unref (b.stack);
    g_ptr_array_unref (b.open_names);
    g_hash_table_unref (b.anchors);
    g_hash_table_unref (b.open_anchors);
    if (!ok) {
        ytree_free (b.tree);
        return NULL;
    }
    return b.tree;
}

/* Reads a regular file of at most YTREE_MAX_BYTES. The file is opened
 * without blocking and checked on the open descriptor, so a FIFO, a
 * device such as /dev/zero or a file swapped after a check is refused
 * rather than waited on or read without end. (transfer full). */
static char *
read_regular (const char *path, gsize *len, GError **error)
{
    int fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    GString *buf;
    struct stat st;
    char chunk[65536];
    gssize n;

    if (fd < 0 || fstat (fd, &st) != 0) {
        int saved = errno;

        g_set_error (error, KB_YTREE_ERROR, KB_YTREE_ERROR_IO,
                     "%s: cannot read: %s", path, g_strerror (saved));
        if (fd >= 0)
            close (fd);
        return NULL;
    }
    if (!S_ISREG (st.st_mode)) {
        g_set_error (error, KB_YTREE_ERROR, KB_YTREE_ERROR_IO,
                     S_ISDIR (st.st_mode)
                         ? "%s: is a directory, not a YAML file"
                         : "%s: not a regular file (a FIFO, socket or "
                           "device): kbsim reads YAML from regular files "
                           "only", path);
        close (fd);
        return NULL;
    }
    /* Refuse huge files before reading them into memory; the read stops
     * at the limit too, should the file grow meanwhile. */
    if (st.st_size > YTREE_MAX_BYTES) {
        g_set_error (error, KB_YTREE_ERROR, KB_YTREE_ERROR_SYNTAX,
                     "%s:1:1: file too large: %" G_GINT64_FORMAT " bytes "
                     "(the limit is %d MiB)", path, (gint64) st.st_size,
                     YTREE_MAX_BYTES >> 20);
        close (fd);
        return NULL;
    }
    buf = g_string_sized_new ((gsize) st.st_size + 1);
    while ((n = read (fd, chunk, sizeof chunk)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || buf->len + (gsize) n > YTREE_MAX_BYTES) {
            int saved = n < 0 ? errno : EFBIG;

            g_set_error (error, KB_YTREE_ERROR, KB_YTREE_ERROR_IO,
                         "%s: cannot read: %s", path, g_strerror (saved));
            g_string_free (buf, TRUE);
            close (fd);
            return NULL;
        }
        g_string_append_len (buf, chunk, n);
    }
    close (fd);
    *len = buf->len;
    return g_string_free (buf, FALSE);
}

YTree *
ytree_load_file (const char *path, GError **error)
{
    gsize len = 0;
    char *data = read_regular (path, &len, error);
    YTree *tree;

    if (data == NULL)
        return NULL;
    tree = ytree_load_data (data, len, path, error);
    if (tree != NULL)
        tree->text = data;
    else
        g_free (data);
    return tree;
}

char *
ytree_steal_text (YTree *tree)
{
    return g_steal_pointer (&tree->text);
}

void
ytree_free (YTree *tree)
{
    if (tree == NULL)
        return;
    g_ptr_array_unref (tree->nodes);
    g_ptr_array_unref (tree->documents);
    g_ptr_array_unref (tree->strings);
    g_free (tree->text);
    g_free (tree->file);
    g_free (tree);
}

guint
ytree_n_documents (const YTree *tree)
{
    return tree->documents->len;
}

YNode *
ytree_document (const YTree *tree, guint i)
{
    g_return_val_if_fail (i < tree->documents->len, NULL);
    return g_ptr_array_index (tree->documents, i);
}

const char *
ytree_file (const YTree *tree)
{
    return tree->file;
}

YNode *
ytree_new_scalar (YTree *tree, const char *value, const char *file,
                  guint line, guint col)
{
    YNode *n = g_new0 (YNode, 1);
    char *f = g_strdup (file);

    g_ptr_array_add (tree->strings, f);
    n->kind = YNODE_SCALAR;
    n->value = g_strdup (value);
    n->plain = TRUE;
    n->file = f;
    n->line = line;
    n->col = col;
    n->weight = 1;
    g_ptr_array_add (tree->nodes, n);
    return n;
}

YNode *
ynode_get (const YNode *map, const char *key)
{
    if (map == NULL || map->kind != YNODE_MAPPING)
        return NULL;
    for (guint i = 0; i + 1 < map->items->len; i += 2) {
        const YNode *k = g_ptr_array_index (map->items, i);

        if (k->kind == YNODE_SCALAR && strcmp (k->value, key) == 0)
            return g_ptr_array_index (map->items, i + 1);
    }
    return NULL;
}

guint
ynode_len (const YNode *node)
{
    if (node == NULL || node->items == NULL)
        return 0;
    return node->kind == YNODE_MAPPING ? node->items->len / 2
                                       : node->items->len;
}

YNode *
ynode_key (const YNode *map, guint i)
{
    return g_ptr_array_index (map->items, 2 * i);
}

YNode *
ynode_value (const YNode *map, guint i)
{
    return g_ptr_array_index (map->items, 2 * i + 1);
}

YNode *
ynode_item (const YNode *seq, guint i)
{
    return g_ptr_array_index (seq->items, i);
}

char *
ynode_describe (const YNode *node)
{
    switch (node->kind) {
    case YNODE_MAPPING:
        return g_strdup ("a mapping");
    case YNODE_SEQUENCE:
        return g_strdup ("a list");
    default:
        if (ynode_is_null (node))
            return g_strdup ("nothing");
        if (strlen (node->value) > 40)
            return g_strdup_printf ("'%.37s...'", node->value);
        return g_strdup_printf ("'%s'", node->value);
    }
}

gboolean
ynode_is_null (const YNode *node)
{
    static const char *const nulls[] = { "", "~", "null", "Null", "NULL" };

    if (node->kind != YNODE_SCALAR || !node->plain)
        return FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS (nulls); i++)
        if (strcmp (node->value, nulls[i]) == 0)
            return TRUE;
    return FALSE;
}
