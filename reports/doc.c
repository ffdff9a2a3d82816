/* doc.c: A4 pages: the cursor, the running header and footer, and the
 * blocks laid down the page. See doc.h.
 *
 * The document is laid out twice by the same code: a first pass draws
 * onto a PDF surface with no output only to count the pages, the second
 * draws onto the real file with the total known, so every footer can say
 * "Page k of N". A Doc carries the cursor: the current page and the y of
 * the next block. Blocks ask doc_need() for their height first and move
 * to a new page when they do not fit.
 *
 * Text is measured with canvas.h's context (hinting off, 72 "dpi"), as
 * chart.c's is, so a point is a point on every surface and both passes
 * break the same way.
 */
#include "reports/doc.h"

#include <stdarg.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "reports/canvas.h"

#define PAGE_W      595.0
#define PAGE_H      842.0
#define MARGIN      50.0
#define CONTENT_W   (PAGE_W - 2 * MARGIN)
#define TOP         70.0
#define BOTTOM      (PAGE_H - 56.0)
#define CELL_PAD    4.0

typedef enum {
    FONT_BODY,
    FONT_BOLD,
    FONT_SMALL,
    FONT_NOTE,
    FONT_H1,
    FONT_H2,
    FONT_H3,
    FONT_MONO,
    FONT_LISTING,               /* the scenario appendix: a little smaller,
                                 * so that the demo's listing takes whole
                                 * pages */
    N_FONTS
} Font;

static const char *const font_names[N_FONTS] = {
    "DejaVu Sans 9.5", "DejaVu Sans Bold 9.5", "DejaVu Sans 7.5",
    "DejaVu Sans Oblique 9", "DejaVu Sans Bold 20", "DejaVu Sans Bold 14",
    "DejaVu Sans Bold 11", "DejaVu Sans Mono 7.5", "DejaVu Sans Mono 7"
};

struct Doc {
    cairo_t *cr;
    PangoContext *pango;
    PangoFontDescription *fonts[N_FONTS];
    const char *const *header;  /* left, centre, right */
    DocDrawFunc draw;
    gpointer data;
    int page;                   /* pages begun so far */
    int n_pages;                /* the total; 0 while counting */
    gboolean open;              /* a page is begun and not shown */
    double y;                   /* where the next block starts */
};

/* ---- text -------------------------------------------------------------- */

typedef enum {
    TEXT_LINE,                  /* one line, ellipsized at width */
    TEXT_WRAP                   /* wrapped at width */
} TextMode;

/* (transfer full): g_object_unref(). width <= 0: unbounded. */
static PangoLayout *
doc_layout (Doc *d, Font f, const char *text, double width, TextMode mode,
            PangoAlignment align)
{
    PangoLayout *l = pango_layout_new (d->pango);

    pango_layout_set_font_description (l, d->fonts[f]);
    pango_layout_set_text (l, text, -1);
    if (width > 0) {
        pango_layout_set_width (l, pango_units_from_double (width));
        if (mode == TEXT_LINE)
            pango_layout_set_ellipsize (l, PANGO_ELLIPSIZE_END);
        else
            pango_layout_set_wrap (l, PANGO_WRAP_WORD_CHAR);
    }
    pango_layout_set_alignment (l, align);
    return l;
}

static double
layout_height (PangoLayout *l)
{
    int w, h;

    pango_layout_get_size (l, &w, &h);
    return pango_units_to_double (h);
}

static double
layout_width (PangoLayout *l)
{
    int w, h;

    pango_layout_get_size (l, &w, &h);
    return pango_units_to_double (w);
}

static void
show (Doc *d, PangoLayout *l, double x, double y, double gray)
{
    cairo_set_source_rgb (d->cr, gray, gray, gray);
    cairo_move_to (d->cr, x, y);
    pango_cairo_show_layout (d->cr, l);
}

/* ---- pages ------------------------------------------------------------- */

static void
page_begin (Doc *d)
{
    double third = CONTENT_W / 3;
    PangoLayout *l;

    d->page++;
    d->open = TRUE;
    l = doc_layout (d, FONT_SMALL, d->header[0], third, TEXT_LINE,
                    PANGO_ALIGN_LEFT);
    show (d, l, MARGIN, 30, 0.35);
    g_object_unref (l);
    l = doc_layout (d, FONT_SMALL, d->header[1], third, TEXT_LINE,
                    PANGO_ALIGN_CENTER);
    show (d, l, MARGIN + third, 30, 0.35);
    g_object_unref (l);
    l = doc_layout (d, FONT_SMALL, d->header[2], third, TEXT_LINE,
                    PANGO_ALIGN_RIGHT);
    show (d, l, MARGIN + 2 * third, 30, 0.35);
    g_object_unref (l);
    cairo_set_source_rgb (d->cr, 0.7, 0.7, 0.7);
    cairo_set_line_width (d->cr, 0.5);
    cairo_move_to (d->cr, MARGIN, 44);
    cairo_line_to (d->cr, PAGE_W - MARGIN, 44);
    cairo_stroke (d->cr);
    d->y = TOP;
}

static void
page_end (Doc *d)
{
    g_autofree char *text = NULL;
    PangoLayout *l;

    if (!d->open)
        return;
    if (d->n_pages > 0)
        text = g_strdup_printf ("Page %d of %d", d->page, d->n_pages);
    else
        text = g_strdup_printf ("Page %d of %d", d->page, d->page);
    l = doc_layout (d, FONT_SMALL, text, CONTENT_W, TEXT_LINE,
                    PANGO_ALIGN_CENTER);
    show (d, l, MARGIN, PAGE_H - 36, 0.35);
    g_object_unref (l);
    cairo_show_page (d->cr);
    d->open = FALSE;
}

void
doc_new_page (Doc *d)
{
    page_end (d);
    page_begin (d);
}

void
doc_title_page (Doc *d, double space)
{
    doc_new_page (d);
    d->y = TOP + space;
}

/* Makes room for a block h high: a new page when it does not fit (a block
 * taller than a page starts at the top of one). */
static void
doc_need (Doc *d, double h)
{
    if (!d->open)
        page_begin (d);
    else if (d->y + h > BOTTOM && d->y > TOP)
        doc_new_page (d);
}

/* ---- blocks ------------------------------------------------------------ */

void
doc_heading (Doc *d, DocLevel level, const char *text)
{
    Font f = level == DOC_H1 ? FONT_H1 : level == DOC_H2 ? FONT_H2 : FONT_H3;
    PangoLayout *l = doc_layout (d, f, text, CONTENT_W, TEXT_WRAP,
                                 PANGO_ALIGN_LEFT);
    double h = layout_height (l);

    /* keep a heading with at least a few lines of what follows */
    doc_need (d, h + 60);
    if (d->y > TOP)
        d->y += f == FONT_H3 ? 6 : 10;
    show (d, l, MARGIN, d->y, 0.0);
    d->y += h + 6;
    g_object_unref (l);
}

static void
paragraph (Doc *d, Font f, const char *text)
{
    PangoLayout *l = doc_layout (d, f, text, CONTENT_W, TEXT_WRAP,
                                 PANGO_ALIGN_LEFT);
    double h = layout_height (l);

    doc_need (d, h);
    show (d, l, MARGIN, d->y, 0.0);
    d->y += h + 5;
    g_object_unref (l);
}

void
doc_paragraph (Doc *d, const char *text)
{
    paragraph (d, FONT_BODY, text);
}

void
doc_note (Doc *d, const char *text)
{
    paragraph (d, FONT_NOTE, text);
}

void
doc_bullet (Doc *d, const char *mark, const char *text)
{
    PangoLayout *m = doc_layout (d, FONT_BODY, mark, 14, TEXT_LINE,
                                 PANGO_ALIGN_LEFT);
    PangoLayout *l = doc_layout (d, FONT_BODY, text, CONTENT_W - 16,
                                 TEXT_WRAP, PANGO_ALIGN_LEFT);
    double h = layout_height (l);

    doc_need (d, h);
    show (d, m, MARGIN, d->y, 0.0);
    show (d, l, MARGIN + 16, d->y, 0.0);
    d->y += h + 4;
    g_object_unref (m);
    g_object_unref (l);
}

/* ---- tables ------------------------------------------------------------ */

static gboolean
column_flexible (const DocColumn *c)
{
    return c->flex || c->wrap;
}

/* Each column's natural width into w: its widest cell or title, padded.
 * Returns their sum; *flex is the flexible columns' part of it. */
static double
table_natural_widths (Doc *d, const DocColumn *cols, guint n,
                      GPtrArray *rows, double *w, double *flex)
{
    double total = 0;

    *flex = 0;
    for (guint j = 0; j < n; j++) {
        PangoLayout *l = doc_layout (d, FONT_BOLD, cols[j].title, 0,
                                     TEXT_LINE, PANGO_ALIGN_LEFT);

        w[j] = layout_width (l);
        g_object_unref (l);
        for (guint i = 0; i < rows->len; i++) {
            char **row = g_ptr_array_index (rows, i);

            l = doc_layout (d, FONT_BODY, row[j], 0, TEXT_LINE,
                            PANGO_ALIGN_LEFT);
            w[j] = MAX (w[j], layout_width (l));
            g_object_unref (l);
        }
        w[j] += 2 * CELL_PAD;
        total += w[j];
        if (column_flexible (&cols[j]))
            *flex += w[j];
    }
    return total;
}

/* Flexible columns share what the others leave: each in turn, narrowest
 * first, takes its natural width or an equal share of what is left,
 * whichever is less (and at least 30 points). */
static void
table_share_flex (const DocColumn *cols, guint n, double *w, double total,
                  double flex)
{
    double rest = MAX (CONTENT_W - (total - flex), 0);
    guint left = 0;
    g_autofree gboolean *done = g_new0 (gboolean, n);

    for (guint j = 0; j < n; j++)
        if (column_flexible (&cols[j]))
            left++;
    while (left > 0) {
        guint pick = n;

        for (guint j = 0; j < n; j++)
            if (column_flexible (&cols[j]) && !done[j]
                && (pick == n || w[j] < w[pick]))
                pick = j;
        if (w[pick] > rest / left) {
            for (guint j = 0; j < n; j++)
                if (column_flexible (&cols[j]) && !done[j])
                    w[j] = MAX (rest / left, 30.0);
            break;
        }
        rest -= w[pick];
        done[pick] = TRUE;
        left--;
    }
}

/* The columns' widths across the content width. */
static void
table_widths (Doc *d, const DocColumn *cols, guint n, GPtrArray *rows,
              double *w)
{
    double flex;
    double total = table_natural_widths (d, cols, n, rows, w, &flex);

    if (flex > 0) {
        table_share_flex (cols, n, w, total, flex);
        total = 0;
        for (guint j = 0; j < n; j++)
            total += w[j];
    }
    if (total > CONTENT_W)
        for (guint j = 0; j < n; j++)
            w[j] *= CONTENT_W / total;
    else if (flex == 0)
        for (guint j = 0; j < n; j++)
            w[j] += (CONTENT_W - total) / n;
}

/* The header row, on a tinted band, at the cursor. */
static void
table_header (Doc *d, const DocColumn *cols, guint n, const double *w,
              double line_h)
{
    double hx = MARGIN;

    doc_need (d, 2 * line_h);
    cairo_set_source_rgb (d->cr, 0.82, 0.85, 0.89);
    cairo_rectangle (d->cr, MARGIN, d->y, CONTENT_W, line_h);
    cairo_fill (d->cr);
    for (guint j = 0; j < n; j++) {
        PangoLayout *l = doc_layout (d, FONT_BOLD, cols[j].title,
                                     w[j] - 2 * CELL_PAD, TEXT_LINE,
                                     cols[j].numeric ? PANGO_ALIGN_RIGHT
                                                     : PANGO_ALIGN_LEFT);

        show (d, l, hx + CELL_PAD, d->y + CELL_PAD - 0.5, 0.0);
        g_object_unref (l);
        hx += w[j];
    }
    d->y += line_h;
}

/* Lays out row's n cells into cells (transfer full); returns the row's
 * height, at least line_h. */
static double
table_cells (Doc *d, const DocColumn *cols, guint n, const double *w,
             char **row, double line_h, PangoLayout **cells)
{
    double h = line_h;

    for (guint j = 0; j < n; j++) {
        cells[j] = doc_layout (d, FONT_BODY, row[j], w[j] - 2 * CELL_PAD,
                               cols[j].wrap ? TEXT_WRAP : TEXT_LINE,
                               cols[j].numeric ? PANGO_ALIGN_RIGHT
                                               : PANGO_ALIGN_LEFT);
        h = MAX (h, layout_height (cells[j]) + 2 * CELL_PAD - 1);
    }
    return h;
}

/* Draws the i-th row's cells (and frees them), h high, at the cursor;
 * odd rows on a grey band. */
static void
table_row (Doc *d, guint n, const double *w, PangoLayout **cells, double h,
           guint i)
{
    double x = MARGIN;

    if (i % 2 == 1) {
        cairo_set_source_rgb (d->cr, 0.95, 0.95, 0.95);
        cairo_rectangle (d->cr, MARGIN, d->y, CONTENT_W, h);
        cairo_fill (d->cr);
    }
    for (guint j = 0; j < n; j++) {
        show (d, cells[j], x + CELL_PAD, d->y + CELL_PAD - 0.5, 0.0);
        g_object_unref (cells[j]);
        x += w[j];
    }
    d->y += h;
}

void
doc_table (Doc *d, const DocColumn *cols, guint n, GPtrArray *rows)
{
    g_autofree double *w = g_new0 (double, n);
    int header_page = -1;
    double line_h;
    PangoLayout *probe;

    table_widths (d, cols, n, rows, w);
    probe = doc_layout (d, FONT_BODY, "Xg", 0, TEXT_LINE, PANGO_ALIGN_LEFT);
    line_h = layout_height (probe) + 2 * CELL_PAD - 1;
    g_object_unref (probe);

    /* one step past the last row: the header of a table without rows,
     * and the closing rule, need a page too */
    for (guint i = 0; i <= rows->len; i++) {
        char **row = i < rows->len ? g_ptr_array_index (rows, i) : NULL;
        g_autofree PangoLayout **cells = g_new0 (PangoLayout *, n);
        double h = row ? table_cells (d, cols, n, w, row, line_h, cells)
                       : line_h;

        doc_need (d, row ? h : 0);
        if (d->page != header_page) {
            table_header (d, cols, n, w, line_h);
            header_page = d->page;
        }
        if (row)
            table_row (d, n, w, cells, h, i);
    }
    cairo_set_source_rgb (d->cr, 0.6, 0.6, 0.6);
    cairo_set_line_width (d->cr, 0.5);
    cairo_move_to (d->cr, MARGIN, d->y);
    cairo_line_to (d->cr, MARGIN + CONTENT_W, d->y);
    cairo_stroke (d->cr);
    d->y += 10;
}

GPtrArray *
doc_rows_new (void)
{
    return g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
}

void
doc_row_add (GPtrArray *rows, ...)
{
    GPtrArray *cells = g_ptr_array_new ();
    va_list ap;
    char *cell;

    va_start (ap, rows);
    while ((cell = va_arg (ap, char *)) != NULL)
        g_ptr_array_add (cells, cell);
    va_end (ap);
    g_ptr_array_add (cells, NULL);
    g_ptr_array_add (rows, g_ptr_array_free (cells, FALSE));
}

/* ---- monospaced text and charts ---------------------------------------- */

/* One monospaced line (tabs and carriage returns as spaces; an empty
 * line keeps its height), wrapped at width, at x; on a light band when
 * boxed. */
static void
mono_line (Doc *d, char *line, double x, double width, gboolean boxed,
           Font font)
{
    PangoLayout *l;
    double h;

    g_strdelimit (line, "\t\r", ' ');
    l = doc_layout (d, font, line[0] ? line : " ", width, TEXT_WRAP,
                    PANGO_ALIGN_LEFT);
    h = layout_height (l);
    doc_need (d, h);
    if (boxed) {
        cairo_set_source_rgb (d->cr, 0.955, 0.955, 0.955);
        cairo_rectangle (d->cr, MARGIN, d->y, CONTENT_W, h);
        cairo_fill (d->cr);
    }
    show (d, l, x, d->y, 0.0);
    d->y += h;
    g_object_unref (l);
}

void
doc_code (Doc *d, const char *text)
{
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    guint n = g_strv_length (lines);

    while (n > 0 && lines[n - 1][0] == '\0')
        n--;
    d->y += 2;
    for (guint i = 0; i < n; i++)
        mono_line (d, lines[i], MARGIN + 4, CONTENT_W - 8, TRUE, FONT_MONO);
    d->y += 7;
}

void
doc_listing (Doc *d, const char *text)
{
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

    for (guint i = 0; lines[i] != NULL; i++) {
        if (lines[i + 1] == NULL && lines[i][0] == '\0')
            break;              /* the final newline */
        mono_line (d, lines[i], MARGIN, CONTENT_W, FALSE, FONT_LISTING);
    }
}

void
doc_chart (Doc *d, Chart *chart, const char *caption)
{
    double slot = (BOTTOM - TOP) / 2;
    PangoLayout *l = doc_layout (d, FONT_NOTE, caption, CONTENT_W,
                                 TEXT_WRAP, PANGO_ALIGN_LEFT);
    double th = layout_height (l);
    double ch = slot - th - 22;

    doc_need (d, slot);
    if (chart != NULL) {
        cairo_save (d->cr);
        cairo_translate (d->cr, MARGIN, d->y);
        cairo_rectangle (d->cr, 0, 0, CONTENT_W, ch);
        cairo_clip (d->cr);
        chart_render (chart, d->cr, CONTENT_W, ch);
        cairo_restore (d->cr);
    }
    show (d, l, MARGIN, d->y + ch + 4, 0.15);
    g_object_unref (l);
    d->y += slot;
}

/* ---- the document ------------------------------------------------------ */

/* Lays the whole document out on cr, and finishes its last page. */
static void
doc_render (Doc *d, cairo_t *cr)
{
    d->cr = cr;
    d->pango = canvas_text_context (cr);
    for (int i = 0; i < N_FONTS; i++)
        d->fonts[i] = pango_font_description_from_string (font_names[i]);
    d->page = 0;
    d->open = FALSE;
    d->draw (d, d->data);
    page_end (d);
    for (int i = 0; i < N_FONTS; i++)
        pango_font_description_free (d->fonts[i]);
    g_object_unref (d->pango);
    d->pango = NULL;
    d->cr = NULL;
}

static void
doc_render_file (cairo_t *cr, gpointer data)
{
    doc_render (data, cr);
}

gboolean
doc_write_pdf (const char *path, const char *title,
               const char *const header[3], DocDrawFunc draw, gpointer data,
               GError **error)
{
    Doc d = { 0 };
    cairo_surface_t *surface;
    cairo_t *cr;

    g_return_val_if_fail (path != NULL && header != NULL && draw != NULL,
                          FALSE);
    d.header = header;
    d.draw = draw;
    d.data = data;

    /* pass 1: count the pages on a surface with no output */
    surface = canvas_pdf_new (NULL, NULL, PAGE_W, PAGE_H, NULL);
    cr = cairo_create (surface);
    doc_render (&d, cr);
    d.n_pages = d.page;
    cairo_destroy (cr);
    cairo_surface_finish (surface);
    cairo_surface_destroy (surface);

    /* pass 2: the file */
    return canvas_save (path, CANVAS_PDF, PAGE_W, PAGE_H, 0, title,
                        doc_render_file, &d, error);
}
