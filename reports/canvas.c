/* canvas.c: the text, PDF and file set-up the charts and the report
 * share. See canvas.h.
 *
 * chart.c and the report's pages (doc.c) both draw through here, so each
 * piece exists once: the options of the pango context, the PDF metadata
 * with its one pinned date, and the sequence that makes a cairo file
 * safe to find: draw into output.c's temporary file, check the context's
 * sticky status, finish the surface, check its status, and only then
 * rename. Drawing follows cairo's habit: draw everything, then look at
 * the status once.
 */
#include "reports/canvas.h"

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <pango/pangocairo.h>

#include "reports/output.h"

G_DEFINE_QUARK (kb-canvas-error-quark, kb_canvas_error)

/* cairo stamps PDFs with the time of writing; a fixed date makes the
 * same drawing give the same bytes. */
#define PDF_DATE "2026-01-01T00:00:00Z"

PangoContext *
canvas_text_context (cairo_t *cr)
{
    PangoContext *pango = pango_font_map_create_context (
        pango_cairo_font_map_get_default ());
    cairo_font_options_t *options = cairo_font_options_create ();

    cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_antialias (options, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options (pango, options);
    cairo_font_options_destroy (options);
    pango_cairo_context_set_resolution (pango, 72.0);
    pango_context_set_round_glyph_positions (pango, FALSE);
    pango_context_set_language (pango, pango_language_from_string ("en"));
    if (cr != NULL)
        pango_cairo_update_context (cr, pango);
    return pango;
}

cairo_surface_t *
canvas_pdf_new (cairo_write_func_t write, void *closure, double width,
                double height, const char *title)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream (write, closure,
                                                              width, height);

    cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_CREATE_DATE,
                                    PDF_DATE);
    cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_CREATOR,
                                    "kbsim " KBSIM_VERSION);
    if (title != NULL)
        cairo_pdf_surface_set_metadata (s, CAIRO_PDF_METADATA_TITLE, title);
    return s;
}

gboolean
canvas_png_size (double width, double height, double dpi, int *px_w,
                 int *px_h)
{
    double pw = ceil (width * dpi / 72 - 1e-6);
    double ph = ceil (height * dpi / 72 - 1e-6);

    if (!(dpi > 0 && pw >= 1 && ph >= 1 && pw <= CANVAS_PNG_MAX_PX
          && ph <= CANVAS_PNG_MAX_PX))
        return FALSE;
    *px_w = (int) pw;
    *px_h = (int) ph;
    return TRUE;
}

/* ---- files ------------------------------------------------------------- */

static cairo_status_t
write_stream (void *closure, const unsigned char *data, unsigned int length)
{
    FILE *fp = closure;

    if (fwrite (data, 1, length, fp) != length)
        return CAIRO_STATUS_WRITE_ERROR;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
surface_new (CanvasFormat format, FILE *fp, double w, double h, int px_w,
             int px_h, const char *title)
{
    cairo_surface_t *s;

    switch (format) {
    case CANVAS_PNG:
        return cairo_image_surface_create (CAIRO_FORMAT_RGB24, px_w, px_h);
    case CANVAS_SVG:
        s = cairo_svg_surface_create_for_stream (write_stream, fp, w, h);
        cairo_svg_surface_set_document_unit (s, CAIRO_SVG_UNIT_PT);
        return s;
    case CANVAS_PDF:
    default:
        return canvas_pdf_new (write_stream, fp, w, h, title);
    }
}

/* Draws into a surface for the file fp and finishes it; returns cairo's
 * verdict on all of it. */
static cairo_status_t
draw_file (CanvasFormat format, FILE *fp, double w, double h, double dpi,
           int px_w, int px_h, const char *title, CanvasDrawFunc draw,
           gpointer data)
{
    cairo_surface_t *surface = surface_new (format, fp, w, h, px_w, px_h,
                                            title);
    cairo_t *cr = cairo_create (surface);
    cairo_status_t status;

    if (format == CANVAS_PNG) {
        /* Whole pixels: the last row and column may go past h and w. */
        cairo_set_source_rgb (cr, 1, 1, 1);
        cairo_paint (cr);
        cairo_scale (cr, dpi / 72, dpi / 72);
    }
    draw (cr, data);
    status = cairo_status (cr);
    cairo_destroy (cr);
    if (status == CAIRO_STATUS_SUCCESS && format == CANVAS_PNG)
        status = cairo_surface_write_to_png_stream (surface, write_stream,
                                                    fp);
    cairo_surface_finish (surface);
    if (status == CAIRO_STATUS_SUCCESS)
        status = cairo_surface_status (surface);
    cairo_surface_destroy (surface);
    return status;
}

gboolean
canvas_save (const char *path, CanvasFormat format, double width,
             double height, double dpi, const char *title,
             CanvasDrawFunc draw, gpointer data, GError **error)
{
    GError *local = NULL;
    OutputFile *out;
    cairo_status_t status;
    int px_w = 0, px_h = 0;

    g_return_val_if_fail (path != NULL && draw != NULL, FALSE);
    g_return_val_if_fail (format >= CANVAS_PNG && format <= CANVAS_PDF,
                          FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
    if (format == CANVAS_PNG
        && !canvas_png_size (width, height, dpi, &px_w, &px_h))
        g_return_val_if_reached (FALSE);
    out = output_open (path, &local);
    if (out == NULL) {
        g_set_error_literal (error, KB_CANVAS_ERROR, KB_CANVAS_ERROR_IO,
                             local->message);
        g_error_free (local);
        return FALSE;
    }
    status = draw_file (format, output_stream (out), width, height, dpi,
                        px_w, px_h, title, draw, data);
    if (status != CAIRO_STATUS_SUCCESS) {
        output_abort (out);
        g_set_error (error, KB_CANVAS_ERROR,
                     status == CAIRO_STATUS_WRITE_ERROR
                     ? KB_CANVAS_ERROR_IO : KB_CANVAS_ERROR_FAILED,
                     "%s: cannot write: %s", path,
                     cairo_status_to_string (status));
        return FALSE;
    }
    if (!output_commit (out, &local)) {
        g_set_error_literal (error, KB_CANVAS_ERROR, KB_CANVAS_ERROR_IO,
                             local->message);
        g_error_free (local);
        return FALSE;
    }
    return TRUE;
}

void
canvas_release_fonts (void)
{
    void *lib;
    void (*fini) (void) = NULL;

    pango_cairo_font_map_set_default (NULL);
    cairo_debug_reset_static_data ();
    /* FcFini through dlsym: kbsim does not link fontconfig itself */
    lib = dlopen ("libfontconfig.so.1", RTLD_LAZY | RTLD_NOLOAD);
    if (lib == NULL)
        return;
    *(void **) &fini = dlsym (lib, "FcFini");
    if (fini != NULL)
        fini ();
    dlclose (lib);
}
