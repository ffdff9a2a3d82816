/* output.c: temporary name, then rename. See output.h. */
#include "reports/output.h"

#include <math.h>
#include <string.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

G_DEFINE_QUARK (kb-output-error-quark, kb_output_error)

struct OutputFile {
    char *path;
    char *tmp;
    FILE *fp;
};

gboolean
output_write_file (const char *path, const char *data, gssize len,
                   GError **error)
{
    g_autoptr (GError) local = NULL;

    if (!g_file_set_contents_full (path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0644,
                                   &local)) {
        g_set_error (error, KB_OUTPUT_ERROR, KB_OUTPUT_ERROR_FAILED,
                     "%s: cannot write: %s", path, local->message);
        return FALSE;
    }
    return TRUE;
}

OutputFile *
output_open (const char *path, GError **error)
{
    OutputFile *f = g_new0 (OutputFile, 1);
    int fd;

    f->path = g_strdup (path);
    f->tmp = g_strconcat (path, ".XXXXXX", NULL);
    fd = g_mkstemp_full (f->tmp, O_RDWR | O_CREAT | O_EXCL, 0644);
    if (fd < 0 || (f->fp = fdopen (fd, "w")) == NULL) {
        int saved = errno;

        g_set_error (error, KB_OUTPUT_ERROR, KB_OUTPUT_ERROR_FAILED,
                     "%s: cannot write: %s", path, g_strerror (saved));
        if (fd >= 0) {
            close (fd);
            g_unlink (f->tmp);
        }
        g_free (f->path);
        g_free (f->tmp);
        g_free (f);
        return NULL;
    }
    return f;
}

FILE *
output_stream (OutputFile *f)
{
    return f->fp;
}

static void
output_free (OutputFile *f)
{
    g_free (f->path);
    g_free (f->tmp);
    g_free (f);
}

gboolean
output_commit (OutputFile *f, GError **error)
{
    gboolean ok = !ferror (f->fp);

    ok &= fflush (f->fp) == 0;
    ok &= fsync (fileno (f->fp)) == 0;
    ok &= fclose (f->fp) == 0;
    if (ok && g_rename (f->tmp, f->path) != 0)
        ok = FALSE;
    if (!ok) {
        int saved = errno;

        g_set_error (error, KB_OUTPUT_ERROR, KB_OUTPUT_ERROR_FAILED,
                     "%s: cannot write: %s", f->path, g_strerror (saved));
        g_unlink (f->tmp);
    }
    output_free (f);
    return ok;
}

void
output_abort (OutputFile *f)
{
    if (f == NULL)
        return;
    fclose (f->fp);
    g_unlink (f->tmp);
    output_free (f);
}

gboolean
output_mkdir (const char *path, GError **error)
{
    if (g_mkdir_with_parents (path, 0755) != 0) {
        int saved = errno;

        g_set_error (error, KB_OUTPUT_ERROR, KB_OUTPUT_ERROR_FAILED,
                     "%s: cannot create folder: %s", path,
                     g_strerror (saved));
        return FALSE;
    }
    return TRUE;
}

/* ---- JSON members and CSV fields ---------------------------------- */

/* Doubles rounded to a stable number of decimals. */
double
output_round (double x, int decimals)
{
    double f = pow (10, decimals);

    return isfinite (x) ? round (x * f) / f : 0;
}

void
output_json_int (JsonBuilder *b, const char *key, gint64 v)
{
    json_builder_set_member_name (b, key);
    json_builder_add_int_value (b, v);
}

void
output_json_double (JsonBuilder *b, const char *key, double v)
{
    json_builder_set_member_name (b, key);
    if (isfinite (v))
        json_builder_add_double_value (b, output_round (v, 6));
    else
        json_builder_add_null_value (b);
}

void
output_json_string (JsonBuilder *b, const char *key, const char *v)
{
    json_builder_set_member_name (b, key);
    if (v)
        json_builder_add_string_value (b, v);
    else
        json_builder_add_null_value (b);
}

void
output_csv_double (FILE *fp, double v, const char *fmt)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    fputs (g_ascii_formatd (buf, sizeof buf, fmt, v), fp);
}

/* CSV quoting (RFC 4180) for free text and names. */
void
output_csv_text (FILE *fp, const char *s)
{
    if (s == NULL)
        return;
    if (strpbrk (s, ",\"\r\n") == NULL) {
        fputs (s, fp);
        return;
    }
    fputc ('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc ('"', fp);
        fputc (*s, fp);
    }
    fputc ('"', fp);
}
