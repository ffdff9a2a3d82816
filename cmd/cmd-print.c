/* cmd-print.c: the terminal table printer. See cmd-print.h.
 *
 * Rows are kept until printed, because a fitted column's width depends on
 * every cell in it. Cells are stored row after row in one array of
 * strings.
 */
#include "cmd/cmd-print.h"

#include <stdio.h>

struct CmdTextTable {
    CmdColumn *columns;
    guint n;
    GPtrArray *cells;           /* char *, n per row */
};

CmdTextTable *
cmd_text_table_new (const CmdColumn *columns, guint n)
{
    CmdTextTable *t;

    g_return_val_if_fail (n > 0, NULL);
    t = g_new0 (CmdTextTable, 1);
    t->columns = g_memdup2 (columns, n * sizeof *columns);
    t->n = n;
    t->cells = g_ptr_array_new_with_free_func (g_free);
    return t;
}

void
cmd_text_table_free (CmdTextTable *t)
{
    if (t == NULL)
        return;
    g_ptr_array_unref (t->cells);
    g_free (t->columns);
    g_free (t);
}

void
cmd_text_table_add_row (CmdTextTable *t, const char *const *cells)
{
    for (guint c = 0; c < t->n; c++)
        g_ptr_array_add (t->cells, g_strdup (cells[c]));
}

static void
print_cell (const CmdColumn *col, const char *cell, guint fit)
{
    if (col->width > 0) {
        int clip = col->clip > 0 ? col->clip : G_MAXINT;

        printf (col->right ? "%*.*s" : "%-*.*s", col->width, clip, cell);
    } else if (col->width == CMD_WIDTH_FIT) {
        int pad = (int) (fit - (guint) g_utf8_strlen (cell, -1));

        if (col->right)
            printf ("%*s%s", pad, "", cell);
        else
            printf ("%s%*s", cell, pad, "");
    } else {
        fputs (cell, stdout);
    }
    if (col->gap)
        fputs (col->gap, stdout);
}

void
cmd_text_table_print (const CmdTextTable *t)
{
    g_autofree guint *fit = g_new0 (guint, t->n);

    for (guint i = 0; i < t->cells->len; i++)
        fit[i % t->n] = MAX (fit[i % t->n], (guint) g_utf8_strlen (
            g_ptr_array_index (t->cells, i), -1));
    for (guint i = 0; i < t->cells->len; i++) {
        print_cell (&t->columns[i % t->n], g_ptr_array_index (t->cells, i),
                    fit[i % t->n]);
        if (i % t->n == t->n - 1)
            putchar ('\n');
    }
}
