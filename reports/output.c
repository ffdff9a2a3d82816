/* output.c: temporary name, then rename. See output.h. */
#include "reports/output.h"

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
