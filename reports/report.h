/* report.h: the capacity report, one A4 PDF for a finished run.
 *
 * report_write_pdf() lays out, in order: a title page with the executive
 * summary (placement per OS against a 99.9% target, the projected monthly
 * cost, the biggest risks in words: risks.h) and the pools (build and
 * kubelet at the start and the end); from a new page the nine run charts
 * two to a page, each with a sentence on what it shows; then, flowing on,
 * the failure reasons, the cost tables, the assumptions, and the scenario
 * listing.
 * Every page carries a running header (scenario, kbsim version, seed) and
 * "Page k of N". All drawing is vector; text is "DejaVu Sans" and the
 * listing "DejaVu Sans Mono".
 *
 * Figures are formatted as units_format_value() writes them: money
 * (UNITS_VALUE_USD, step 0.01) "$1,594.90", shares (UNITS_VALUE_PERCENT,
 * step 0.001) "73.6%". The PDF carries a fixed creation date, so the same
 * run gives the same bytes.
 */
#ifndef KBSIM_REPORT_H
#define KBSIM_REPORT_H

#include <glib.h>

#include "models/cluster.h"
#include "models/metrics.h"
#include "reports/chart.h"
#include "reports/rundata.h"

G_BEGIN_DECLS

#define KB_REPORT_ERROR (kb_report_error_quark ())
GQuark kb_report_error_quark (void);

typedef enum {
    KB_REPORT_ERROR_FAILED      /* cairo failed or the file could not be
                                 * written */
} KbReportError;

/* The placement target the executive summary measures against. */
#define REPORT_PLACEMENT_TARGET 0.999

/* Writes the report of the run rd (from the live run or from its files:
 * rundata.h) to path, under a temporary name renamed when complete.
 * scenario_text is the scenario file's text for the appendix, or NULL.
 * Returns FALSE with KB_REPORT_ERROR set on failure; no file is left
 * behind then. */
gboolean report_write_pdf (const char *path, const RunData *rd,
                           const char *scenario_text, GError **error);

/* A section another command adds to the report (the replications, a
 * sweep, the capacity planner) or makes a handout of: a title, then
 * blocks in the order added (headings, paragraphs, code, tables, charts
 * with a sentence under each). In a report each section starts a page
 * after the executive summary. */
typedef struct ReportSection ReportSection;

/* (transfer full): report_section_free(). */
ReportSection *report_section_new (const char *title);
void           report_section_free (ReportSection *sec);
void           report_section_add_paragraph (ReportSection *sec,
                                             const char *text);
/* A smaller heading inside the section. */
void           report_section_add_heading (ReportSection *sec,
                                           const char *text);
/* Terminal output, in a monospaced block; long lines wrap. */
void           report_section_add_code (ReportSection *sec,
                                        const char *text);
/* The table's header: n column titles; a title starting with '>' is a
 * right-aligned numeric column (the '>' is not shown). Rows must have n
 * cells. Calling it again replaces the table. */
void           report_section_set_columns (ReportSection *sec,
                                           const char *const *titles,
                                           guint n);
/* Appends a row of n cells (copied) to the last table begun. */
void           report_section_add_row (ReportSection *sec,
                                       const char *const *cells);
/* Takes chart (transfer full); caption (copied) goes under it. */
void           report_section_add_chart (ReportSection *sec, Chart *chart,
                                         const char *caption);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReportSection, report_section_free)

/* report_write_pdf() with extra sections (ReportSection *, not taken),
 * or NULL. */
gboolean report_write_pdf_with (const char *path, const RunData *rd,
                                const char *scenario_text,
                                const GPtrArray *sections, GError **error);

/* A lesson handout (kbsim demo --report): title, the sections, the run
 * charts named in charts (NULL-terminated; none without a run), and the
 * scenario's text. rd is NULL for a lesson with no cluster; then sc names
 * the scenario, and may be NULL too (a scenario the loader refused).
 * Same header, footer, fonts and atomic write as the report. */
gboolean report_write_handout (const char *path, const Scenario *sc,
                               const RunData *rd, const char *title,
                               const GPtrArray *sections,
                               const char *const *charts,
                               const char *scenario_text, GError **error);

G_END_DECLS

#endif
