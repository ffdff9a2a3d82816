/* report.c: the capacity report as one A4 PDF. See report.h.
 *
 * The document is laid out twice by the same code: a first pass draws
 * onto a PDF surface with no output only to count the pages, the second
 * draws onto the real file with the total known, so every footer can say
 * "Page k of N". A Doc carries the cursor: the current page and the y of
 * the next block. Blocks (headings, paragraphs, table rows, charts) ask
 * doc_need() for their height first and move to a new page when they do
 * not fit; a table repeats its header row on each page it reaches.
 *
 * Text is measured with canvas.h's context (hinting off, 72 "dpi"), as
 * chart.c's is, so a point is a point on every surface and both passes
 * break the same way.
 */
#include "reports/report.h"

#include <math.h>
#include <string.h>

#include <pango/pangocairo.h>

#include "models/cost.h"
#include "reports/canvas.h"
#include "reports/chart.h"
#include "reports/runcharts.h"

G_DEFINE_QUARK (kb-report-error-quark, kb_report_error)

#define PAGE_W      595.0
#define PAGE_H      842.0
#define MARGIN      50.0
#define CONTENT_W   (PAGE_W - 2 * MARGIN)
#define TOP         70.0
#define BOTTOM      (PAGE_H - 56.0)
#define CELL_PAD    4.0
#define RISK_CHARS  110

typedef enum {
    FONT_BODY,
    FONT_BOLD,
    FONT_SMALL,
    FONT_NOTE,
    FONT_H1,
    FONT_H2,
    FONT_H3,
    FONT_MONO,
    N_FONTS
} Font;

static const char *const font_names[N_FONTS] = {
    "DejaVu Sans 9.5", "DejaVu Sans Bold 9.5", "DejaVu Sans 7.5",
    "DejaVu Sans Oblique 9", "DejaVu Sans Bold 20", "DejaVu Sans Bold 14",
    "DejaVu Sans Bold 11", "DejaVu Sans Mono 7.5"
};

static const char *const chart_order[] = {
    "placement", "phases-linux", "phases-windows", "reasons", "ttr", "pulls",
    "cost", "cost-os", "utilization"
};

typedef struct {
    cairo_t *cr;
    PangoContext *pango;
    PangoFontDescription *fonts[N_FONTS];
    const RunData *rd;          /* NULL: a handout without a run */
    const Scenario *sc;
    const RunSummary *s;
    const CostReport *cost;
    const char *text;
    const GPtrArray *sections;  /* ReportSection *, or NULL */
    gboolean handout;           /* a lesson handout, not a report */
    const char *title;          /* the handout's */
    const char *const *chart_names;     /* the handout's run charts */
    int page;                   /* pages begun so far */
    int n_pages;                /* the total; 0 while counting */
    gboolean open;              /* a page is begun and not shown */
    double y;                   /* where the next block starts */
} Doc;

/* ---- formatting --------------------------------------------------------- */

static char *
money (double v)
{
    return units_format_value (UNITS_VALUE_USD, v, 0.01);
}

static char *
share (double frac)
{
    return units_format_value (UNITS_VALUE_PERCENT, frac, 0.001);
}

static char *
seconds (double v)
{
    return units_format_value (UNITS_VALUE_TIME, v, 0);
}

/* s on one line, at most max characters, "…" marking a cut. */
static char *
shorten (const char *s, glong max)
{
    g_autofree char *flat = g_strdup (s);

    g_strdelimit (flat, "\r\n\t", ' ');
    if (g_utf8_strlen (flat, -1) <= max)
        return g_steal_pointer (&flat);
    {
        g_autofree char *head = g_utf8_substring (flat, 0, max - 1);

        return g_strconcat (g_strchomp (head), "\u2026", NULL);
    }
}

static const char *
os_word (KbOs os)
{
    return os == KB_OS_WINDOWS ? "Windows" : os == KB_OS_LINUX ? "Linux"
                                                               : "other";
}

/* ---- text ---------------------------------------------------------------- */

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

/* ---- pages --------------------------------------------------------------- */

static void
page_begin (Doc *d)
{
    g_autofree char *seed = d->sc ? g_strdup_printf ("seed %"
                                                     G_GUINT64_FORMAT,
                                                     d->sc->seed)
                                  : g_strdup ("");
    double third = CONTENT_W / 3;
    PangoLayout *l;

    d->page++;
    d->open = TRUE;
    l = doc_layout (d, FONT_SMALL, d->sc ? d->sc->name : d->title, third,
                    TEXT_LINE, PANGO_ALIGN_LEFT);
    show (d, l, MARGIN, 30, 0.35);
    g_object_unref (l);
    l = doc_layout (d, FONT_SMALL, "kbsim " KBSIM_VERSION, third, TEXT_LINE,
                    PANGO_ALIGN_CENTER);
    show (d, l, MARGIN + third, 30, 0.35);
    g_object_unref (l);
    l = doc_layout (d, FONT_SMALL, seed, third, TEXT_LINE,
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

static void
doc_new_page (Doc *d)
{
    page_end (d);
    page_begin (d);
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

/* ---- blocks -------------------------------------------------------------- */

static void
doc_heading (Doc *d, Font f, const char *text)
{
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
doc_paragraph_at (Doc *d, Font f, const char *text, double indent)
{
    PangoLayout *l = doc_layout (d, f, text, CONTENT_W - indent, TEXT_WRAP,
                                 PANGO_ALIGN_LEFT);
    double h = layout_height (l);

    doc_need (d, h);
    show (d, l, MARGIN + indent, d->y, 0.0);
    d->y += h + 5;
    g_object_unref (l);
}

static void
doc_paragraph (Doc *d, const char *text)
{
    doc_paragraph_at (d, FONT_BODY, text, 0);
}

static void
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

/* ---- tables -------------------------------------------------------------- */

typedef struct {
    const char *title;
    gboolean numeric;           /* right-aligned */
    gboolean flex;              /* takes spare width, gives it up first */
    gboolean wrap;              /* wraps instead of ellipsizing */
} Column;

/* A table of rows (char ** of n cells each, owned by the array) across
 * the content width; the header row repeats on every page. Cells that do
 * not fit their column are ellipsized, or wrapped in wrap columns. */
static void
doc_table (Doc *d, const Column *cols, guint n, GPtrArray *rows)
{
    g_autofree double *w = g_new0 (double, n);
    double total = 0, flex = 0, line_h;
    int header_page = -1;
    PangoLayout *probe;

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
        if (cols[j].flex || cols[j].wrap)
            flex += w[j];
    }
    if (flex > 0) {
        /* flexible columns share what the others leave: each in turn,
         * narrowest first, takes its natural width or an equal share of
         * what is left, whichever is less */
        double rest = MAX (CONTENT_W - (total - flex), 0);
        guint left = 0;
        g_autofree gboolean *done = g_new0 (gboolean, n);

        for (guint j = 0; j < n; j++)
            if (cols[j].flex || cols[j].wrap)
                left++;
        while (left > 0) {
            guint pick = n;

            for (guint j = 0; j < n; j++)
                if ((cols[j].flex || cols[j].wrap) && !done[j]
                    && (pick == n || w[j] < w[pick]))
                    pick = j;
            if (w[pick] > rest / left) {
                for (guint j = 0; j < n; j++)
                    if ((cols[j].flex || cols[j].wrap) && !done[j])
                        w[j] = MAX (rest / left, 30.0);
                break;
            }
            rest -= w[pick];
            done[pick] = TRUE;
            left--;
        }
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
    probe = doc_layout (d, FONT_BODY, "Xg", 0, TEXT_LINE, PANGO_ALIGN_LEFT);
    line_h = layout_height (probe) + 2 * CELL_PAD - 1;
    g_object_unref (probe);

    for (guint i = 0; i <= rows->len; i++) {
        char **row = i < rows->len ? g_ptr_array_index (rows, i) : NULL;
        double h = line_h, x = MARGIN;
        PangoLayout **cells = g_new0 (PangoLayout *, n);

        for (guint j = 0; row && j < n; j++) {
            cells[j] = doc_layout (d, FONT_BODY, row[j],
                                   w[j] - 2 * CELL_PAD,
                                   cols[j].wrap ? TEXT_WRAP : TEXT_LINE,
                                   cols[j].numeric ? PANGO_ALIGN_RIGHT
                                                   : PANGO_ALIGN_LEFT);
            h = MAX (h, layout_height (cells[j]) + 2 * CELL_PAD - 1);
        }
        if (row)
            doc_need (d, h);
        else
            doc_need (d, 0);    /* the closing rule */
        if (d->page != header_page) {
            double hx = MARGIN;

            doc_need (d, 2 * line_h);
            cairo_set_source_rgb (d->cr, 0.82, 0.85, 0.89);
            cairo_rectangle (d->cr, MARGIN, d->y, CONTENT_W, line_h);
            cairo_fill (d->cr);
            for (guint j = 0; j < n; j++) {
                PangoLayout *l = doc_layout (d, FONT_BOLD, cols[j].title,
                                             w[j] - 2 * CELL_PAD, TEXT_LINE,
                                             cols[j].numeric
                                             ? PANGO_ALIGN_RIGHT
                                             : PANGO_ALIGN_LEFT);

                show (d, l, hx + CELL_PAD, d->y + CELL_PAD - 0.5, 0.0);
                g_object_unref (l);
                hx += w[j];
            }
            d->y += line_h;
            header_page = d->page;
        }
        if (row) {
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
        g_free (cells);
    }
    cairo_set_source_rgb (d->cr, 0.6, 0.6, 0.6);
    cairo_set_line_width (d->cr, 0.5);
    cairo_move_to (d->cr, MARGIN, d->y);
    cairo_line_to (d->cr, MARGIN + CONTENT_W, d->y);
    cairo_stroke (d->cr);
    d->y += 10;
}

static GPtrArray *
rows_new (void)
{
    return g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
}

/* Appends a row of the NULL-terminated cells given, which it takes. */
static void
row_add (GPtrArray *rows, ...)
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

/* ---- page 1: title and executive summary --------------------------------- */

static void
section_title (Doc *d)
{
    const RunSummary *s = d->s;
    g_autofree char *title = g_strdup_printf ("Capacity report: %s",
                                              d->sc->name);
    g_autofree char *month = money (d->cost->per_30_days);
    g_autofree char *total = money (d->cost->total);
    g_autofree char *dur = seconds (sim_time_to_seconds (d->sc->duration));
    g_autofree char *target = share (REPORT_PLACEMENT_TARGET);
    g_autofree char *about = NULL;
    g_autofree char *cost_line = NULL;
    guint risks = 0;

    page_begin (d);
    d->y = TOP + 40;
    doc_heading (d, FONT_H1, title);
    if (d->sc->description[0] != '\0')
        doc_paragraph (d, d->sc->description);
    about = g_strdup_printf ("Simulated %s of virtual time from %s with "
                             "seed %" G_GUINT64_FORMAT "; %" G_GUINT64_FORMAT
                             " events.", dur, d->sc->file, d->sc->seed,
                             s->events);
    doc_paragraph_at (d, FONT_NOTE, about, 0);

    doc_heading (d, FONT_H2, "Executive summary");
    doc_heading (d, FONT_H3, "Placement");
    for (KbOs os = KB_OS_LINUX; os <= KB_OS_WINDOWS; os++) {
        double p = run_summary_placement (s, os);
        g_autofree char *pct = share (p);
        g_autofree char *line = NULL;

        if (s->eligible[os] == 0)
            line = g_strdup_printf ("%s: no pod reached its placement "
                                    "deadline; meets the %s target "
                                    "trivially.", os_word (os), target);
        else
            line = g_strdup_printf ("%s: %" G_GINT64_FORMAT " of %"
                                    G_GINT64_FORMAT " pods placed (%s); %s "
                                    "the %s target.", os_word (os),
                                    s->placed[os], s->eligible[os], pct,
                                    p >= REPORT_PLACEMENT_TARGET ? "meets"
                                                                 : "misses",
                                    target);
        doc_bullet (d, "\u2022", line);
    }
    doc_heading (d, FONT_H3, "Cost");
    cost_line = g_strdup_printf ("Monthly cost: %s per 30 days at this run's "
                                 "rate (%s for the %s simulated).", month,
                                 total, dur);
    doc_bullet (d, "\u2022", cost_line);
    if (d->cost->nodes > 0) {
        g_autofree char *lic = money (d->cost->windows_licence);
        g_autofree char *idle = share (d->cost->idle / d->cost->nodes);
        g_autofree char *more = g_strdup_printf (
            "Windows licence: %s of the run's cost; idle capacity: %s of "
            "node cost.", lic, idle);

        doc_bullet (d, "\u2022", more);
    }
    doc_heading (d, FONT_H3, "Biggest risks");
    for (guint i = 0; i < s->reasons->len && risks < 3; i++) {
        const SummaryReason *r = g_ptr_array_index (s->reasons, i);
        g_autofree char *ex = shorten (r->example ? r->example : "",
                                       RISK_CHARS);
        g_autofree char *line = g_strdup_printf (
            "%" G_GINT64_FORMAT " %s pod%s hit %s: %s", r->count,
            os_word (r->os), r->count == 1 ? "" : "s", r->reason, ex);
        g_autofree char *mark = g_strdup_printf ("%u.", ++risks);

        doc_bullet (d, mark, line);
    }
    for (guint i = 0; i < s->warnings->len && risks < 3; i++) {
        g_autofree char *w = shorten (g_ptr_array_index (s->warnings, i),
                                      RISK_CHARS + 40);
        g_autofree char *mark = g_strdup_printf ("%u.", ++risks);

        doc_bullet (d, mark, w);
    }
    if (risks == 0)
        doc_paragraph (d, "No pod was kept from running and no warning was "
                       "raised in this run.");
    if (!s->conserved)
        doc_paragraph (d, "Warning: the conservation check failed (a kbsim "
                       "bug); the figures may be wrong.");
}

/* ---- page 2: the pools --------------------------------------------------- */

static void
section_pools (Doc *d)
{
    static const Column cols[] = {
        { "Pool", FALSE, TRUE, FALSE },
        { "OS", FALSE, FALSE, FALSE },
        { "Windows build", FALSE, FALSE, FALSE },
        { "Kubelet", FALSE, FALSE, FALSE },
        { "Nodes at end", TRUE, FALSE, FALSE },
        { "Instance", FALSE, TRUE, FALSE },
        { "$/hour", TRUE, FALSE, FALSE },
    };
    g_autoptr (GPtrArray) rows = rows_new ();
    const KbControlPlaneSpec *cp = &d->sc->control_plane;
    g_autofree char *cpv = platform_kube_version_format (&cp->version);
    g_autofree char *intro = NULL;
    gint64 nodes = 0;

    doc_new_page (d);
    doc_heading (d, FONT_H2, "The cluster as configured");
    for (guint i = 0; i < d->sc->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (d->sc->pools, i);
        gint64 n = i < (guint) d->s->nodes_by_pool_len
                   ? d->s->nodes_by_pool[i] : 0;

        nodes += n;
        row_add (rows, g_strdup (p->name),
                 g_strdup (os_word (p->os)),
                 p->os == KB_OS_WINDOWS
                 ? platform_win_version_format (&p->windows_build)
                 : g_strdup ("\u2014"),
                 platform_kube_version_format (&p->kubelet),
                 g_strdup_printf ("%" G_GINT64_FORMAT, n),
                 g_strdup (p->instance ? p->instance : "custom"),
                 units_format_value (UNITS_VALUE_USD, p->price_per_hour
                                     + p->windows_surcharge_per_hour,
                                     0.001),
                 NULL);
    }
    intro = g_strdup_printf ("%u node pool%s with %" G_GINT64_FORMAT
                             " ready node%s at the end of the run; control "
                             "plane Kubernetes %s on %" G_GINT64_FORMAT
                             " node%s. The price per hour is the list price "
                             "of a node, Windows licence included, before "
                             "discounts.",
                             d->sc->pools->len,
                             d->sc->pools->len == 1 ? "" : "s", nodes,
                             nodes == 1 ? "" : "s", cpv, cp->nodes,
                             cp->nodes == 1 ? "" : "s");
    doc_paragraph (d, intro);
    doc_table (d, cols, G_N_ELEMENTS (cols), rows);
}

/* ---- the charts ---------------------------------------------------------- */

static char *
sentence_phases (const RunSummary *s, KbOs os)
{
    const gint64 *ph = s->phase[os];

    if (s->arrived[os] == 0)
        return g_strdup_printf ("No %s pods arrived in this run.",
                                os_word (os));
    return g_strdup_printf ("Of %" G_GINT64_FORMAT " %s pods that arrived, "
                            "%" G_GINT64_FORMAT " were Running at the end, %"
                            G_GINT64_FORMAT " Pending, %" G_GINT64_FORMAT
                            " Succeeded and %" G_GINT64_FORMAT " Failed.",
                            s->arrived[os], os_word (os), ph[POD_RUNNING],
                            ph[POD_PENDING], ph[POD_SUCCEEDED],
                            ph[POD_FAILED]);
}

static char *
sentence_ttr (const RunSummary *s)
{
    GString *b = g_string_new (NULL);

    for (KbOs os = KB_OS_LINUX; os <= KB_OS_WINDOWS; os++) {
        g_autofree char *p50 = seconds (s->ttr_p50[os]);
        g_autofree char *p95 = seconds (s->ttr_p95[os]);

        if (s->ttr_n[os] == 0)
            g_string_append_printf (b, "%sno %s pod reached Running",
                                    b->len ? "; " : "", os_word (os));
        else
            g_string_append_printf (b, "%shalf the %s pods were Running "
                                    "within %s of creation, 95%% within %s",
                                    b->len ? "; " : "", os_word (os), p50,
                                    p95);
    }
    b->str[0] = g_ascii_toupper (b->str[0]);
    g_string_append_c (b, '.');
    return g_string_free (b, FALSE);
}

static char *
sentence_utilization (Doc *d)
{
    const GArray *samples = d->rd->samples;
    guint n = d->sc->pools->len, best = 0, worst = 0;
    g_autofree double *avg = g_new0 (double, MAX (n, 1));
    g_autofree char *hi = NULL;
    g_autofree char *lo = NULL;

    if (n == 0 || samples->len == 0)
        return g_strdup ("No pool was sampled in this run.");
    for (guint i = 0; i < samples->len; i++) {
        const Sample *sm = &g_array_index (samples, Sample, i);

        for (guint p = 0; p < n; p++)
            avg[p] += sm->pool_cpu_util[p] / samples->len;
    }
    for (guint p = 1; p < n; p++) {
        if (avg[p] > avg[best])
            best = p;
        if (avg[p] < avg[worst])
            worst = p;
    }
    hi = share (avg[best]);
    lo = share (avg[worst]);
    return g_strdup_printf (
        "On average %s had the most of its CPU requested (%s) and %s the "
        "least (%s).",
        ((KbPoolSpec *) g_ptr_array_index (d->sc->pools, best))->name, hi,
        ((KbPoolSpec *) g_ptr_array_index (d->sc->pools, worst))->name, lo);
}

/* One sentence on what the named chart shows for this run.
 * (transfer full). */
static char *
chart_sentence (Doc *d, const char *name)
{
    const RunSummary *s = d->s;
    const CostReport *r = d->cost;

    if (strcmp (name, "placement") == 0) {
        g_autofree char *w = share (run_summary_placement (s, KB_OS_WINDOWS));
        g_autofree char *l = share (run_summary_placement (s, KB_OS_LINUX));

        return g_strdup_printf ("Windows pods were placed %s of the time, "
                                "Linux %s.", w, l);
    }
    if (strcmp (name, "phases-linux") == 0)
        return sentence_phases (s, KB_OS_LINUX);
    if (strcmp (name, "phases-windows") == 0)
        return sentence_phases (s, KB_OS_WINDOWS);
    if (strcmp (name, "reasons") == 0) {
        const SummaryReason *top;

        if (s->reasons->len == 0)
            return g_strdup ("No pod waited or failed for any reason.");
        top = g_ptr_array_index (s->reasons, 0);
        return g_strdup_printf ("%u reason%s kept pods from running; the "
                                "most common was %s (%" G_GINT64_FORMAT
                                " %s pods).", s->reasons->len,
                                s->reasons->len == 1 ? "" : "s", top->reason,
                                top->count, os_word (top->os));
    }
    if (strcmp (name, "ttr") == 0)
        return sentence_ttr (s);
    if (strcmp (name, "pulls") == 0) {
        g_autofree char *w = g_format_size_full (
            s->pull_bytes[KB_OS_WINDOWS], G_FORMAT_SIZE_DEFAULT);
        g_autofree char *l = g_format_size_full (
            s->pull_bytes[KB_OS_LINUX], G_FORMAT_SIZE_DEFAULT);

        return g_strdup_printf ("%" G_GINT64_FORMAT " image pulls moved %s "
                                "to Windows nodes and %s to Linux nodes.",
                                s->pulls, w, l);
    }
    if (strcmp (name, "cost") == 0) {
        g_autofree char *t = money (r->total);
        g_autofree char *lic = money (r->windows_licence);

        return g_strdup_printf ("The run cost %s; %s of it is Windows "
                                "licence.", t, lic);
    }
    if (strcmp (name, "cost-os") == 0) {
        g_autofree char *l = money (r->by_os[KB_OS_LINUX]);
        g_autofree char *w = money (r->by_os[KB_OS_WINDOWS]);
        g_autofree char *lic = money (r->windows_licence);

        return g_strdup_printf ("Linux nodes cost %s and Windows nodes %s, "
                                "%s of which is licence.", l, w, lic);
    }
    if (strcmp (name, "utilization") == 0)
        return sentence_utilization (d);
    return g_strdup ("");
}

/* A chart with its caption in a slot of height slot at the cursor. */
static void
doc_chart (Doc *d, Chart *chart, const char *caption, double slot)
{
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

static void
section_charts (Doc *d)
{
    double slot = (BOTTOM - TOP) / 2;

    doc_new_page (d);
    for (gsize i = 0; i < G_N_ELEMENTS (chart_order); i++) {
        g_autoptr (Chart) chart = runcharts_build (chart_order[i], d->rd);
        g_autofree char *text = chart_sentence (d, chart_order[i]);

        doc_chart (d, chart, text, slot);
    }
}

/* ---- failures, cost, assumptions, listing -------------------------------- */

static void
section_failures (Doc *d)
{
    static const Column cols[] = {
        { "Reason", FALSE, FALSE, FALSE },
        { "OS", FALSE, FALSE, FALSE },
        { "Pods", TRUE, FALSE, FALSE },
        { "Example message", FALSE, FALSE, TRUE },
    };
    g_autoptr (GPtrArray) rows = rows_new ();

    doc_new_page (d);
    doc_heading (d, FONT_H2, "Failures");
    if (d->s->reasons->len == 0) {
        doc_paragraph (d, "No pod waited or failed for any reason in this "
                       "run.");
        return;
    }
    doc_paragraph (d, "Why pods were kept from running, with one real "
                   "message for each reason, most pods first.");
    for (guint i = 0; i < d->s->reasons->len; i++) {
        const SummaryReason *r = g_ptr_array_index (d->s->reasons, i);

        row_add (rows, g_strdup (r->reason), g_strdup (os_word (r->os)),
                 g_strdup_printf ("%" G_GINT64_FORMAT, r->count),
                 g_strdup (r->example ? r->example : ""), NULL);
    }
    doc_table (d, cols, G_N_ELEMENTS (cols), rows);
}

static void
section_cost (Doc *d)
{
    static const Column kv[] = {
        { "Item", FALSE, TRUE, FALSE },
        { "Amount", TRUE, FALSE, FALSE },
    };
    static const Column pool_cols[] = {
        { "Pool", FALSE, TRUE, FALSE },
        { "OS", FALSE, FALSE, FALSE },
        { "Cost", TRUE, FALSE, FALSE },
        { "Share of nodes", TRUE, FALSE, FALSE },
    };
    static const Column os_cols[] = {
        { "Node OS", FALSE, TRUE, FALSE },
        { "Node cost", TRUE, FALSE, FALSE },
        { "Of which licence", TRUE, FALSE, FALSE },
        { "Share of nodes", TRUE, FALSE, FALSE },
    };
    static const Column wl_cols[] = {
        { "Workload", FALSE, TRUE, FALSE },
        { "Kind", FALSE, FALSE, FALSE },
        { "OS", FALSE, FALSE, FALSE },
        { "Cost", TRUE, FALSE, FALSE },
        { "Share of nodes", TRUE, FALSE, FALSE },
    };
    const CostReport *r = d->cost;
    double nodes = r->nodes > 0 ? r->nodes : 1;
    g_autoptr (GPtrArray) a = rows_new ();
    g_autoptr (GPtrArray) b = rows_new ();
    g_autoptr (GPtrArray) c = rows_new ();
    g_autoptr (GPtrArray) w = rows_new ();

    doc_new_page (d);
    doc_heading (d, FONT_H2, "Cost");
    doc_paragraph (d, "Nodes are billed per second from launch to "
                   "termination; a node's cost is shared among its pods by "
                   "their requests, and what is left is idle capacity.");
    row_add (a, g_strdup ("Total for the run"), money (r->total), NULL);
    row_add (a, g_strdup ("Projected per 30 days"), money (r->per_30_days),
             NULL);
    row_add (a, g_strdup ("Nodes"), money (r->nodes), NULL);
    row_add (a, g_strdup ("Control plane"), money (r->control_plane), NULL);
    row_add (a, g_strdup ("Registry egress"), money (r->egress), NULL);
    row_add (a, g_strdup ("Idle capacity"), money (r->idle), NULL);
    row_add (a, g_strdup ("Running pod-hours"),
             units_format_value (UNITS_VALUE_PLAIN, r->running_pod_hours,
                                 0.1), NULL);
    row_add (a, g_strdup ("Per running pod-hour"),
             units_format_value (UNITS_VALUE_USD, r->per_pod_hour, 0.0001),
             NULL);
    doc_table (d, kv, G_N_ELEMENTS (kv), a);

    doc_heading (d, FONT_H3, "By pool");
    for (guint i = 0; i < r->n_pools && i < d->sc->pools->len; i++) {
        const KbPoolSpec *p = g_ptr_array_index (d->sc->pools, i);

        row_add (b, g_strdup (p->name), g_strdup (os_word (p->os)),
                 money (r->by_pool[i]), share (r->by_pool[i] / nodes), NULL);
    }
    doc_table (d, pool_cols, G_N_ELEMENTS (pool_cols), b);

    doc_heading (d, FONT_H3, "By OS");
    for (KbOs os = KB_OS_LINUX; os <= KB_OS_WINDOWS; os++)
        row_add (c, g_strdup (os_word (os)), money (r->by_os[os]),
                 money (os == KB_OS_WINDOWS ? r->windows_licence : 0),
                 share (r->by_os[os] / nodes), NULL);
    doc_table (d, os_cols, G_N_ELEMENTS (os_cols), c);

    doc_heading (d, FONT_H3, "By workload");
    for (guint i = 0; i < r->n_workloads && i < d->sc->workloads->len; i++) {
        const KbWorkloadSpec *ws = g_ptr_array_index (d->sc->workloads, i);
        KbOs os = KB_OS_UNKNOWN;

        for (guint k = 0; k < d->s->workloads->len; k++) {
            const SummaryWorkload *sw = g_ptr_array_index (d->s->workloads,
                                                           k);

            if (strcmp (sw->name, ws->name) == 0) {
                os = sw->os;
                break;
            }
        }
        row_add (w, g_strdup (ws->name),
                 g_strdup (scenario_workload_kind_name (ws->kind)),
                 g_strdup (os_word (os)), money (r->by_workload[i]),
                 share (r->by_workload[i] / nodes), NULL);
    }
    row_add (w, g_strdup ("(idle capacity)"), g_strdup (""), g_strdup (""),
             money (r->idle), share (r->idle / nodes), NULL);
    doc_table (d, wl_cols, G_N_ELEMENTS (wl_cols), w);
}

static const char *const built_in[] = {
    "Time is virtual: events run in order on one clock, and the same "
    "scenario and seed give the same run.",
    "Pods are placed by filtering nodes as the kube-scheduler does (node "
    "selectors, affinity, taints and tolerations, resources, spec.os).",
    "A Windows image runs under process isolation only when its OS build "
    "suits the host's, as containerd decides.",
    "Image pulls share each registry's bandwidth; every pull also takes "
    "the registry's latency and any pull delay given.",
    "A pod is placed when it reaches Running within the placement deadline "
    "of its creation.",
    "Nodes are billed per second from launch to termination, booting, "
    "draining and failed time included; Windows adds a licence surcharge "
    "per vCPU-hour.",
    "The control-plane fee runs for the whole run and registry egress is "
    "charged per GB pulled.",
    "The monthly figure projects this run's average rate over 30 days.",
};

static void
section_assumptions (Doc *d)
{
    const GPtrArray *du = d->sc->defaults_used;

    doc_heading (d, FONT_H2, "Assumptions");
    doc_heading (d, FONT_H3, "Defaults this scenario relied on");
    if (du == NULL || du->len == 0)
        doc_paragraph (d, "None: the scenario set every value kbsim "
                       "uses.");
    for (guint i = 0; du && i < du->len; i++)
        doc_bullet (d, "\u2022", g_ptr_array_index (du, i));
    doc_heading (d, FONT_H3, "How kbsim models the cluster");
    for (gsize i = 0; i < G_N_ELEMENTS (built_in); i++)
        doc_bullet (d, "\u2022", built_in[i]);
}

static void
section_listing (Doc *d)
{
    g_auto (GStrv) lines = NULL;
    g_autofree char *file = g_strdup_printf ("As read from %s.", d->sc
                                             ? d->sc->file
                                             : "the lesson's scenario file");

    doc_new_page (d);
    doc_heading (d, FONT_H2, "Appendix: the scenario");
    doc_paragraph_at (d, FONT_NOTE, file, 0);
    if (d->text == NULL) {
        doc_paragraph (d, "The scenario's text was not given.");
        return;
    }
    lines = g_strsplit (d->text, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++) {
        PangoLayout *l;
        double h;

        if (lines[i + 1] == NULL && lines[i][0] == '\0')
            break;              /* the final newline */
        g_strdelimit (lines[i], "\t\r", ' ');
        l = doc_layout (d, FONT_MONO, lines[i][0] ? lines[i] : " ",
                        CONTENT_W, TEXT_WRAP, PANGO_ALIGN_LEFT);
        h = layout_height (l);
        doc_need (d, h);
        show (d, l, MARGIN, d->y, 0.0);
        d->y += h;
        g_object_unref (l);
    }
}

/* ---- sections other commands add ------------------------------------------ */

typedef enum {
    BLOCK_HEADING,
    BLOCK_PARAGRAPH,
    BLOCK_CODE,
    BLOCK_TABLE,
    BLOCK_CHART
} BlockKind;

typedef struct {
    BlockKind kind;
    char *text;                 /* heading, paragraph, code, caption */
    Chart *chart;
    Column *cols;               /* tables */
    char **col_titles;          /* what cols[].title points into */
    guint n_cols;
    GPtrArray *rows;            /* char ** */
} Block;

struct ReportSection {
    char *title;
    GPtrArray *blocks;          /* Block, in order */
    Block *table;               /* the table rows go to, or NULL */
};

static void
block_free (gpointer p)
{
    Block *b = p;

    g_free (b->text);
    if (b->chart)
        chart_free (b->chart);
    g_free (b->cols);
    g_strfreev (b->col_titles);
    if (b->rows)
        g_ptr_array_unref (b->rows);
    g_free (b);
}

static Block *
block_add (ReportSection *sec, BlockKind kind, const char *text)
{
    Block *b = g_new0 (Block, 1);

    b->kind = kind;
    b->text = g_strdup (text);
    g_ptr_array_add (sec->blocks, b);
    return b;
}

ReportSection *
report_section_new (const char *title)
{
    ReportSection *sec = g_new0 (ReportSection, 1);

    sec->title = g_strdup (title);
    sec->blocks = g_ptr_array_new_with_free_func (block_free);
    return sec;
}

void
report_section_free (ReportSection *sec)
{
    if (sec == NULL)
        return;
    g_free (sec->title);
    g_ptr_array_unref (sec->blocks);
    g_free (sec);
}

void
report_section_add_paragraph (ReportSection *sec, const char *text)
{
    block_add (sec, BLOCK_PARAGRAPH, text);
}

void
report_section_add_heading (ReportSection *sec, const char *text)
{
    block_add (sec, BLOCK_HEADING, text);
}

void
report_section_add_code (ReportSection *sec, const char *text)
{
    block_add (sec, BLOCK_CODE, text);
}

void
report_section_set_columns (ReportSection *sec, const char *const *titles,
                            guint n)
{
    Block *b = block_add (sec, BLOCK_TABLE, NULL);

    b->n_cols = n;
    b->cols = g_new0 (Column, n);
    b->col_titles = g_new0 (char *, n + 1);
    b->rows = rows_new ();
    for (guint j = 0; j < n; j++) {
        gboolean numeric = titles[j][0] == '>';

        b->col_titles[j] = g_strdup (titles[j] + numeric);
        b->cols[j].title = b->col_titles[j];
        b->cols[j].numeric = numeric;
        b->cols[j].wrap = j == 0;
    }
    sec->table = b;
}

void
report_section_add_row (ReportSection *sec, const char *const *cells)
{
    Block *b = sec->table;
    char **row;

    g_return_if_fail (b != NULL);
    row = g_new0 (char *, b->n_cols + 1);
    for (guint j = 0; j < b->n_cols; j++)
        row[j] = g_strdup (cells[j]);
    g_ptr_array_add (b->rows, row);
}

void
report_section_add_chart (ReportSection *sec, Chart *chart,
                          const char *caption)
{
    Block *b = block_add (sec, BLOCK_CHART, caption ? caption : "");

    b->chart = chart;
}

/* Monospaced lines, wrapped where longer than the page, on a light
 * background so a reader sees where the terminal output starts. */
static void
doc_code (Doc *d, const char *text)
{
    g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
    guint n = g_strv_length (lines);

    while (n > 0 && lines[n - 1][0] == '\0')
        n--;
    d->y += 2;
    for (guint i = 0; i < n; i++) {
        PangoLayout *l;
        double h;

        g_strdelimit (lines[i], "\t\r", ' ');
        l = doc_layout (d, FONT_MONO, lines[i][0] ? lines[i] : " ",
                        CONTENT_W - 8, TEXT_WRAP, PANGO_ALIGN_LEFT);
        h = layout_height (l);
        doc_need (d, h);
        cairo_set_source_rgb (d->cr, 0.955, 0.955, 0.955);
        cairo_rectangle (d->cr, MARGIN, d->y, CONTENT_W, h);
        cairo_fill (d->cr);
        show (d, l, MARGIN + 4, d->y, 0.0);
        d->y += h;
        g_object_unref (l);
    }
    d->y += 7;
}

static void
section_blocks (Doc *d, const ReportSection *sec)
{
    doc_heading (d, FONT_H2, sec->title);
    for (guint i = 0; i < sec->blocks->len; i++) {
        const Block *b = g_ptr_array_index (sec->blocks, i);

        switch (b->kind) {
        case BLOCK_HEADING:
            doc_heading (d, FONT_H3, b->text);
            break;
        case BLOCK_PARAGRAPH:
            doc_paragraph (d, b->text);
            break;
        case BLOCK_CODE:
            doc_code (d, b->text);
            break;
        case BLOCK_TABLE:
            if (b->rows->len > 0)
                doc_table (d, b->cols, b->n_cols, b->rows);
            break;
        case BLOCK_CHART:
        default:
            doc_chart (d, b->chart, b->text, (BOTTOM - TOP) / 2);
            break;
        }
    }
}

static void
section_extra (Doc *d, const ReportSection *sec)
{
    doc_new_page (d);
    section_blocks (d, sec);
}

/* A lesson handout: the title, the sections one after another, the run
 * charts named, and the scenario. */
static void
section_handout (Doc *d)
{
    page_begin (d);
    d->y = TOP + 10;
    doc_heading (d, FONT_H1, d->title);
    for (guint i = 0; d->sections && i < d->sections->len; i++)
        section_blocks (d, g_ptr_array_index (d->sections, i));
    for (guint i = 0; d->chart_names && d->chart_names[i]; i++) {
        g_autoptr (Chart) chart = runcharts_build (d->chart_names[i], d->rd);
        g_autofree char *text = chart_sentence (d, d->chart_names[i]);

        if (i == 0)
            doc_heading (d, FONT_H2, "The run in charts");
        doc_chart (d, chart, text, (BOTTOM - TOP) / 2);
    }
    section_listing (d);
}

/* ---- the document -------------------------------------------------------- */

/* Lays out the whole report on cr, and finishes its last page. */
static void
render (Doc *d, cairo_t *cr)
{
    d->cr = cr;
    d->pango = canvas_text_context (d->cr);
    for (int i = 0; i < N_FONTS; i++)
        d->fonts[i] = pango_font_description_from_string (font_names[i]);
    d->page = 0;
    d->open = FALSE;

    if (d->handout) {
        section_handout (d);
    } else {
        section_title (d);
        for (guint i = 0; d->sections && i < d->sections->len; i++)
            section_extra (d, g_ptr_array_index (d->sections, i));
        section_pools (d);
        section_charts (d);
        section_failures (d);
        section_cost (d);
        section_assumptions (d);
        section_listing (d);
    }
    page_end (d);

    for (int i = 0; i < N_FONTS; i++)
        pango_font_description_free (d->fonts[i]);
    g_object_unref (d->pango);
    d->cr = NULL;
}

static void
render_file (cairo_t *cr, gpointer data)
{
    render (data, cr);
}

gboolean
report_write_pdf (const char *path, const RunData *rd,
                  const char *scenario_text, GError **error)
{
    return report_write_pdf_with (path, rd, scenario_text, NULL, error);
}

/* Lays d out twice (pages counted, then drawn) into path, under a
 * temporary name renamed when complete. */
static gboolean
write_doc (Doc *d, const char *path, const char *pdf_title, GError **error)
{
    cairo_surface_t *surface;
    cairo_t *cr;
    GError *local = NULL;

    /* pass 1: count the pages on a surface with no output */
    surface = canvas_pdf_new (NULL, NULL, PAGE_W, PAGE_H, NULL);
    cr = cairo_create (surface);
    d->n_pages = 0;
    render (d, cr);
    d->n_pages = d->page;
    cairo_destroy (cr);
    cairo_surface_finish (surface);
    cairo_surface_destroy (surface);

    /* pass 2: the file */
    if (!canvas_save (path, CANVAS_PDF, PAGE_W, PAGE_H, 0, pdf_title,
                      render_file, d, &local)) {
        g_set_error_literal (error, KB_REPORT_ERROR, KB_REPORT_ERROR_FAILED,
                             local->message);
        g_error_free (local);
        return FALSE;
    }
    return TRUE;
}

gboolean
report_write_pdf_with (const char *path, const RunData *rd,
                       const char *scenario_text, const GPtrArray *sections,
                       GError **error)
{
    g_autofree char *title = NULL;
    Doc d = { 0 };

    g_return_val_if_fail (path != NULL && rd != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    d.rd = rd;
    d.sc = rd->sc;
    d.s = rd->summary;
    d.cost = rd->cost;
    d.text = scenario_text;
    d.sections = sections;
    title = g_strdup_printf ("Capacity report: %s", d.sc->name);
    return write_doc (&d, path, title, error);
}

gboolean
report_write_handout (const char *path, const Scenario *sc, const RunData *rd,
                      const char *title, const GPtrArray *sections,
                      const char *const *charts, const char *scenario_text,
                      GError **error)
{
    Doc d = { 0 };

    g_return_val_if_fail (path != NULL && title != NULL, FALSE);
    g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

    d.handout = TRUE;
    d.title = title;
    d.chart_names = rd ? charts : NULL;
    d.rd = rd;
    d.sc = rd ? rd->sc : sc;
    d.s = rd ? rd->summary : NULL;
    d.cost = rd ? rd->cost : NULL;
    d.text = scenario_text;
    d.sections = sections;
    return write_doc (&d, path, title, error);
}
