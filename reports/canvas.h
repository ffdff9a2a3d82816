/* canvas.h: what every drawing in reports/ is set up with, written once.
 *
 * A low-level layer under chart.c and the report's pages: it knows cairo,
 * pango and output.c, and nothing of charts, reports or runs. Do not
 * give it functions that know what is drawn.
 *
 * - Text: canvas_text_context() is the pango context every chart and page
 *   measures and draws its text with. Hinting off, unhinted metrics and a
 *   resolution of 72 (a font size in points is that many user units) make
 *   a layout the same on every surface and at every scale.
 * - PDF: canvas_pdf_new() makes a PDF surface with kbsim's metadata,
 *   among it a pinned creation date (cairo otherwise stamps the time of
 *   writing), so the same drawing gives the same bytes.
 * - Files: canvas_save() draws a PNG, SVG or PDF into a file that appears
 *   whole or not at all: output.c's temporary file, the surface finished
 *   and its status checked, then the rename.
 */
#ifndef KBSIM_CANVAS_H
#define KBSIM_CANVAS_H

#include <cairo.h>
#include <glib.h>
#include <pango/pango.h>

G_BEGIN_DECLS

#define KB_CANVAS_ERROR (kb_canvas_error_quark ())
GQuark kb_canvas_error_quark (void);

typedef enum {
    KB_CANVAS_ERROR_IO,         /* the file could not be written */
    KB_CANVAS_ERROR_FAILED      /* cairo reported an error while drawing */
} KbCanvasError;

typedef enum {
    CANVAS_PNG,
    CANVAS_SVG,
    CANVAS_PDF
} CanvasFormat;

/* cairo's largest image surface, in pixels a side. */
#define CANVAS_PNG_MAX_PX 32767

/* The pango context for text drawn on cr, or only measured when cr is
 * NULL: the default cairo font map, hinting off, unhinted metrics, grey
 * antialiasing, 72 dpi, unrounded glyph positions, English.
 * (transfer full): g_object_unref(). */
PangoContext *canvas_text_context (cairo_t *cr);

/* A PDF surface of width x height points writing through write (NULL:
 * nowhere, for measuring) with closure: creator "kbsim VERSION", the
 * creation date pinned, title when not NULL. (transfer full):
 * cairo_surface_destroy(). */
cairo_surface_t *canvas_pdf_new (cairo_write_func_t write, void *closure,
                                 double width, double height,
                                 const char *title);

/* The pixel size of a PNG of width x height points at dpi: each side
 * rounded up to whole pixels. FALSE when dpi is not positive or a side
 * comes out under 1 or over CANVAS_PNG_MAX_PX pixels. */
gboolean canvas_png_size (double width, double height, double dpi,
                          int *px_w, int *px_h);

/* Draws on cr in points; a PDF may have several pages (cairo_show_page
 * between them; the last is shown when the surface is finished). Leaves
 * failures in cr's sticky status. */
typedef void (*CanvasDrawFunc) (cairo_t *cr, gpointer data);

/* Writes the file path of width x height points: draw (cr, data) draws
 * it, on a white PNG of dpi pixels per inch (canvas_png_size() must
 * accept it), on an SVG in points, or on a PDF from canvas_pdf_new()
 * with title. The file is written under a temporary name and renamed
 * once cairo has finished it without error. Returns FALSE with
 * KB_CANVAS_ERROR set ("PATH: cannot write: why") otherwise; no file is
 * left behind then. */
gboolean canvas_save (const char *path, CanvasFormat format, double width,
                      double height, double dpi, const char *title,
                      CanvasDrawFunc draw, gpointer data, GError **error);

/* Frees what pango, cairo and fontconfig keep for the life of the
 * process (font maps, caches), so leak checkers report only kbsim's own
 * leaks. Call once, when nothing will be drawn again. */
void canvas_release_fonts (void);

G_END_DECLS

#endif
