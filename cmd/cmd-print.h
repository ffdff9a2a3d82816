/* cmd-print.h: the one printer of the tables the commands show on the
 * terminal (run's pods and workloads, the statistics of replications,
 * sweep's grid, compare's side by side, plan's pools).
 *
 * A table is a list of columns, each with its width, alignment and the
 * gap printed after it, and rows of text cells; cmd_text_table_print()
 * writes them to stdout, one line per row. A fixed width pads and cuts
 * the way printf's %-*.*s does, counting bytes (a '±' counts twice),
 * which is how these tables have always lined up; CMD_WIDTH_FIT sizes a
 * column to its widest cell counted in characters. Knows nothing of
 * simulations: cells arrive formatted.
 */
#ifndef KBSIM_CMD_PRINT_H
#define KBSIM_CMD_PRINT_H

#include <glib.h>

G_BEGIN_DECLS

enum {
    CMD_WIDTH_NONE = 0,         /* cells as they are: a last column */
    CMD_WIDTH_FIT = -1          /* as wide as the widest cell */
};

typedef struct {
    int width;                  /* > 0 bytes, or CMD_WIDTH_NONE, _FIT */
    gboolean right;             /* right-aligned (padded on the left) */
    int clip;                   /* > 0: cells cut to this many bytes */
    const char *gap;            /* after each cell; NULL for none */
} CmdColumn;

typedef struct CmdTextTable CmdTextTable;

/* A table with n columns; columns is copied. (transfer full):
 * cmd_text_table_free(). */
CmdTextTable *cmd_text_table_new (const CmdColumn *columns, guint n);
void          cmd_text_table_free (CmdTextTable *t);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmdTextTable, cmd_text_table_free)

/* Appends a row of one cell per column (copied); a header is the first
 * row. */
void cmd_text_table_add_row (CmdTextTable *t, const char *const *cells);

/* Writes every row to stdout. */
void cmd_text_table_print (const CmdTextTable *t);

G_END_DECLS

#endif
