/* doc.h: A4 pages for the report and the handouts.
 *
 * A Doc is a cursor on a PDF of A4 pages: each block (a heading, a
 * paragraph, a bullet, a table, monospaced text, a chart with its
 * caption) goes below the last, and a block that does not fit starts a
 * new page. A table repeats its header row on every page it reaches.
 * Every page carries a running header in three parts (left, centre,
 * right) under which a rule is drawn, and a footer "Page k of N".
 *
 * The page layer: it knows pages, text and charts to place, not what
 * they say. What a report or a handout holds is report.c's; do not give
 * this file functions that know a run.
 *
 * Text is "DejaVu Sans" (9.5 pt body), code and listings "DejaVu Sans
 * Mono"; all of it is measured with canvas.h's context, so both passes of
 * doc_write_pdf() break lines and pages the same way.
 */
#ifndef KBSIM_DOC_H
#define KBSIM_DOC_H

#include <glib.h>

#include "reports/chart.h"

G_BEGIN_DECLS

typedef struct Doc Doc;

/* Heading sizes: the title, a section, a part of a section. */
typedef enum {
    DOC_H1,
    DOC_H2,
    DOC_H3
} DocLevel;

/* A table column. A flex column takes spare width and gives it up first;
 * a wrap column does too, and wraps its cells instead of ellipsizing
 * them. */
typedef struct {
    const char *title;
    gboolean numeric;           /* right-aligned */
    gboolean flex;
    gboolean wrap;
} DocColumn;

/* Adds the document's blocks to d, from the start; called once per pass,
 * so it must add the same blocks each time. */
typedef void (*DocDrawFunc) (Doc *d, gpointer data);

/* Writes the PDF at path: draw lays the document out once on a surface
 * with no output to count the pages, then again into the file, so that
 * every footer knows N. header holds the running header's left, centre
 * and right texts; title is the PDF's. The file is written through
 * canvas_save() (temporary name, renamed when complete). Returns FALSE
 * with KB_CANVAS_ERROR set on failure; no file is left behind then. */
gboolean doc_write_pdf (const char *path, const char *title,
                        const char *const header[3], DocDrawFunc draw,
                        gpointer data, GError **error);

/* Ends the page begun, if any, and begins the next. */
void doc_new_page (Doc *d);
/* doc_new_page(), with the first block space points lower: a title
 * page. */
void doc_title_page (Doc *d, double space);

/* A heading; it moves to a new page unless a few lines fit under it. */
void doc_heading (Doc *d, DocLevel level, const char *text);
void doc_paragraph (Doc *d, const char *text);
/* A paragraph in smaller oblique type: a note, a source. */
void doc_note (Doc *d, const char *text);
/* text, wrapped, after mark ("•", "1.") in a narrow column. */
void doc_bullet (Doc *d, const char *mark, const char *text);

/* A table of n columns across the page; rows holds char ** of n cells
 * each (doc_rows_new()). Columns start at their widest cell; flex and
 * wrap columns share what the others leave, narrowest first; a table too
 * wide is scaled down, one too narrow without flex columns is widened
 * evenly. Cells that do not fit are ellipsized, or wrapped in wrap
 * columns. */
void doc_table (Doc *d, const DocColumn *cols, guint n, GPtrArray *rows);
/* Rows for doc_table(). (transfer full): g_ptr_array_unref() frees the
 * rows and their cells. */
GPtrArray *doc_rows_new (void);
/* Appends a row of the cells given, NULL-terminated, which it takes
 * (g_malloc'd strings). */
void doc_row_add (GPtrArray *rows, ...) G_GNUC_NULL_TERMINATED;

/* Terminal output: monospaced lines, wrapped where longer than the page,
 * on a light background; blank lines at the end are dropped. */
void doc_code (Doc *d, const char *text);
/* A file's text: monospaced lines, wrapped, without a background; only
 * the final newline is dropped. */
void doc_listing (Doc *d, const char *text);

/* chart (NULL: none, only the caption) drawn across the page with its
 * caption under it, in half a page's height. */
void doc_chart (Doc *d, Chart *chart, const char *caption);

G_END_DECLS

#endif
