/* ytree.h: YAML documents as a small tree with positions, built safely.
 *
 * libyaml's event parser feeds an explicit stack (no recursion), so hostile
 * input gets a clear error in bounded time and memory:
 *   - files over YTREE_MAX_BYTES are refused before parsing;
 *   - nesting deeper than YTREE_MAX_DEPTH is an error;
 *   - aliases are shared, never copied, and every node records its weight
 *     (its node count with aliases expanded); a document whose weight
 *     passes YTREE_MAX_WEIGHT ("billion laughs") is an error;
 *   - an alias to its own enclosing node (a cycle) or to an unknown anchor
 *     is an error; invalid UTF-8 and binary garbage are libyaml's reader
 *     errors, reported with a position;
 *   - duplicate keys in a mapping are an error, as YAML says;
 *   - a scalar longer than YTREE_MAX_SCALAR bytes, or one holding a control
 *     character other than tab and newline, is an error (values are printed
 *     to terminals, and escape sequences must not reach them).
 * A walk over the tree still must bound its depth: aliased nodes appear
 * under several parents (the weight bounds the total work).
 *
 * Positions are 1-based line and column (libyaml's marks count from 0).
 *
 * Low level: knows no scenario; no key means anything to it.
 */
#ifndef KBSIM_YTREE_H
#define KBSIM_YTREE_H

#include <glib.h>

G_BEGIN_DECLS

#define KB_YTREE_ERROR (kb_ytree_error_quark ())
GQuark kb_ytree_error_quark (void);

typedef enum {
    KB_YTREE_ERROR_SYNTAX,      /* not YAML, or a limit above was passed */
    KB_YTREE_ERROR_IO           /* the file could not be read */
} KbYtreeError;

#define YTREE_MAX_BYTES  (32 * 1024 * 1024)
#define YTREE_MAX_DEPTH  64
#define YTREE_MAX_WEIGHT 1000000
#define YTREE_MAX_SCALAR (64 * 1024)

typedef enum {
    YNODE_SCALAR,
    YNODE_SEQUENCE,
    YNODE_MAPPING
} YNodeKind;

typedef struct YNode YNode;
struct YNode {
    YNodeKind kind;
    guint line, col;
    const char *file;       /* (transfer none): owned by the YTree */
    char *value;            /* scalar text; NULL for collections */
    gboolean plain;         /* scalar written without quotes */
    GPtrArray *items;       /* sequence: values; mapping: key, value, key,
                             * value...; (transfer none) YNode pointers */
    guint64 weight;         /* node count with aliases expanded */
};

typedef struct YTree YTree;

/* Parses every document of a YAML stream. An empty stream gives a tree
 * with no documents. (transfer full): ytree_free(). */
YTree *ytree_load_file (const char *path, GError **error);
YTree *ytree_load_data (const char *data, gsize len, const char *name,
                        GError **error);
void   ytree_free (YTree *tree);
/* The text ytree_load_file() read, handed over once; NULL after the first
 * call or for a tree made from data. (transfer full): g_free(). */
char  *ytree_steal_text (YTree *tree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (YTree, ytree_free)

guint  ytree_n_documents (const YTree *tree);
/* (transfer none): valid while the tree lives. */
YNode *ytree_document (const YTree *tree, guint i);
const char *ytree_file (const YTree *tree);

/* A new scalar owned by the tree (for --set overrides). */
/* NULL when text (len bytes) may be a scalar's value, else why not
 * (transfer full): longer than YTREE_MAX_SCALAR, or a control character
 * other than tab and newline. */
char  *ytree_check_text (const char *text, gsize len);
YNode *ytree_new_scalar (YTree *tree, const char *value, const char *file,
                         guint line, guint col);

/* The value for key in a mapping, or NULL. Non-scalar keys never match. */
YNode *ynode_get (const YNode *map, const char *key);
/* Number of entries (pairs for mappings). */
guint  ynode_len (const YNode *node);
YNode *ynode_key (const YNode *map, guint i);
YNode *ynode_value (const YNode *map, guint i);
YNode *ynode_item (const YNode *seq, guint i);
/* "a mapping", "a sequence", "'text'" for messages. (transfer full). */
char  *ynode_describe (const YNode *node);
/* A scalar that YAML reads as null: plain "", "~", "null", "Null",
 * "NULL". */
gboolean ynode_is_null (const YNode *node);

G_END_DECLS

#endif
