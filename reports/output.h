/* output.h: files that appear whole or not at all.
 *
 * Every output is written under a temporary name in the same folder and
 * renamed over the final name once complete (git's lockfile.h), so an
 * interrupted run never leaves a half file that looks whole.
 */
#ifndef KBSIM_OUTPUT_H
#define KBSIM_OUTPUT_H

#include <stdio.h>

#include <glib.h>

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

G_END_DECLS

#endif
