/* output.h: files and folders that appear whole or not at all.
 *
 * Every output is written under a temporary name in the same folder and
 * renamed over the final name once complete (git's lockfile.h), so an
 * interrupted run never leaves a half file that looks whole; a run's
 * folder is written as a staging folder and swapped in, so a failed or
 * interrupted run leaves the old folder as it was.
 */
#ifndef KBSIM_OUTPUT_H
#define KBSIM_OUTPUT_H

#include <stdio.h>

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define KB_OUTPUT_ERROR (kb_output_error_quark ())
GQuark kb_output_error_quark (void);

typedef enum {
    KB_OUTPUT_ERROR_FAILED
} KbOutputError;

/* Writes data to path atomically. */
gboolean output_write_file (const char *path, const char *data, gssize len,
                            GError **error);

/* A stream for larger outputs: output_open() creates "path.XXXXXX",
 * output_commit() flushes, closes and renames it, output_abort() removes
 * it. (transfer full): exactly one of commit or abort frees it. */
typedef struct OutputFile OutputFile;

OutputFile *output_open (const char *path, GError **error);
FILE       *output_stream (OutputFile *f);
gboolean    output_commit (OutputFile *f, GError **error);
void        output_abort (OutputFile *f);

/* Creates a folder and its parents. */
gboolean output_mkdir (const char *path, GError **error);

/* A folder that appears whole or not at all: output_dir_open() creates a
 * staging folder beside final ("final.kbsim-XXXXXX"), whose path
 * output_dir_path() gives for writing into; output_dir_commit() swaps it
 * in for final (the old folder is removed once the new one is in place);
 * output_dir_abort() removes it, leaving final as it was. An existing
 * final is replaced only when it is empty or holds marker (a file kbsim
 * writes there, such as run.json); otherwise output_dir_open() fails and
 * says so. (transfer full): exactly one of commit or abort frees it. */
typedef struct OutputDir OutputDir;

OutputDir  *output_dir_open (const char *final, const char *marker,
                             GError **error);
const char *output_dir_path (const OutputDir *d);
gboolean    output_dir_commit (OutputDir *d, GError **error);
void        output_dir_abort (OutputDir *d);

/* Installs the SIGINT and SIGTERM handler: it removes every temporary
 * file of output_open(), every staging folder of output_dir_open() with
 * what was written into it, and exits with 128 + the signal's number
 * (130, 143). At most OUTPUT_MAX_LIVE paths are tracked at once, staging
 * folders nested at most OUTPUT_MAX_DEPTH deep. Call once, from main(). */
#define OUTPUT_MAX_LIVE 256
#define OUTPUT_MAX_DEPTH 4
void output_install_signal_handlers (void);

/* JSON members: key then value; a NULL string or a non-finite double is
 * written as null, doubles rounded to 6 decimals. */
void output_json_int (JsonBuilder *b, const char *key, gint64 v);
void output_json_double (JsonBuilder *b, const char *key, double v);
void output_json_string (JsonBuilder *b, const char *key, const char *v);
/* x rounded to decimals places; 0 when x is not finite. */
double output_round (double x, int decimals);

/* CSV fields: a double in the printf format fmt, locale-free; s as one
 * field (RFC 4180), quoted when it holds a comma, quote or line break
 * (NULL writes nothing). */
void output_csv_double (FILE *fp, double v, const char *fmt);
void output_csv_text (FILE *fp, const char *s);

G_END_DECLS

#endif
