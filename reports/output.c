/* output.c: temporary name, then rename; and what a signal must remove.
 *
 * Every temporary file, every staging folder and every file finished
 * inside a staging folder is listed in a fixed table of paths that the
 * SIGINT/SIGTERM handler walks with async-signal-safe calls only (unlink,
 * rmdir, _exit): the table is static memory, a slot is claimed with an
 * atomic compare-and-swap and its path copied before it is published, so
 * the handler never reads memory that malloc owns. See output.h.
 */
#include "reports/output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

G_DEFINE_QUARK (kb-output-error-quark, kb_output_error)

/* ---- what a signal removes ------------------------------------------ */

enum {
    LIVE_FREE,
    LIVE_CLAIMED,           /* being filled in: the handler skips it */
    LIVE_FILE,              /* unlink() on a signal */
    LIVE_DIR                /* rmdir() on a signal, after the files */
};

typedef struct {
    int state;              /* accessed with __atomic builtins */
    char path[PATH_MAX];
} LiveEntry;

/* OUTPUT_MAX_LIVE paths at once; beyond that a file is still written
 * atomically, only not removed by a signal (a run keeps a few dozen). */
static LiveEntry live[OUTPUT_MAX_LIVE];

static int
live_add (const char *path, int kind)
{
    if (strlen (path) >= PATH_MAX)
        return -1;
    for (int i = 0; i < OUTPUT_MAX_LIVE; i++) {
        int expect = LIVE_FREE;

        if (__atomic_compare_exchange_n (&live[i].state, &expect,
                                         LIVE_CLAIMED, FALSE,
                                         __ATOMIC_ACQ_REL,
                                         __ATOMIC_RELAXED)) {
            strcpy (live[i].path, path);
            __atomic_store_n (&live[i].state, kind, __ATOMIC_RELEASE);
            return i;
        }
    }
    return -1;
}

static void
live_remove (int i)
{
    if (i >= 0)
        __atomic_store_n (&live[i].state, LIVE_FREE, __ATOMIC_RELEASE);
}

/* Forgets every entry at or below dir (a staging folder swapped in). */
static void
live_remove_under (const char *dir)
{
    size_t n = strlen (dir);

    for (int i = 0; i < OUTPUT_MAX_LIVE; i++) {
        int st = __atomic_load_n (&live[i].state, __ATOMIC_ACQUIRE);

        if ((st == LIVE_FILE || st == LIVE_DIR)
            && strncmp (live[i].path, dir, n) == 0
            && (live[i].path[n] == '\0' || live[i].path[n] == '/'))
            live_remove (i);
    }
}

/* Whether path lies inside a listed staging folder. */
static gboolean
live_under_dir (const char *path)
{
    for (int i = 0; i < OUTPUT_MAX_LIVE; i++) {
        size_t n;

        if (__atomic_load_n (&live[i].state, __ATOMIC_ACQUIRE) != LIVE_DIR)
            continue;
        n = strlen (live[i].path);
        if (strncmp (path, live[i].path, n) == 0 && path[n] == '/')
            return TRUE;
    }
    return FALSE;
}

static void
on_signal (int sig)
{
    /* Files first, then folders; a folder not yet empty (its subfolder
     * comes later in the table) goes in a later pass. Staging folders
     * nest at most OUTPUT_MAX_DEPTH deep. */
    for (int i = 0; i < OUTPUT_MAX_LIVE; i++)
        if (__atomic_load_n (&live[i].state, __ATOMIC_ACQUIRE) == LIVE_FILE)
            unlink (live[i].path);
    for (int pass = 0; pass < OUTPUT_MAX_DEPTH; pass++)
        for (int i = 0; i < OUTPUT_MAX_LIVE; i++)
            if (__atomic_load_n (&live[i].state, __ATOMIC_ACQUIRE)
                == LIVE_DIR)
                rmdir (live[i].path);
    _exit (128 + sig);
}

void
output_install_signal_handlers (void)
{
    struct sigaction sa;

    memset (&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset (&sa.sa_mask);
    sigaddset (&sa.sa_mask, SIGINT);
    sigaddset (&sa.sa_mask, SIGTERM);
    sigaction (SIGINT, &sa, NULL);
    sigaction (SIGTERM, &sa, NULL);
}

/* ---- files ---------------------------------------------------------- */

struct OutputFile {
    char *path;
    char *tmp;
    FILE *fp;
    int live;               /* its slot in the table, or -1 */
};

gboolean
output_write_file (const char *path, const char *data, gssize len,
                   GError **error)
{
    OutputFile *f = output_open (path, error);

    if (f == NULL)
        return FALSE;
    fwrite (data, 1, len < 0 ? strlen (data) : (size_t) len, f->fp);
    return output_commit (f, error);
}

OutputFile *
output_open (const char *path, GError **error)
{
    OutputFile *f = g_new0 (OutputFile, 1);
    int fd;

    f->path = g_strdup (path);
    f->tmp = g_strconcat (path, ".XXXXXX", NULL);
    fd = g_mkstemp_full (f->tmp, O_RDWR | O_CREAT | O_EXCL, 0644);
    f->live = fd >= 0 ? live_add (f->tmp, LIVE_FILE) : -1;
    if (fd < 0 || (f->fp = fdopen (fd, "w")) == NULL) {
        int saved = errno;

        g_set_error (error, KB_OUTPUT_ERROR, KB_OUTPUT_ERROR_FAILED,
                     "%s: cannot write: %s", path, g_strerror (saved));
        if (fd >= 0) {
            close (fd);
            g_unlink (f->tmp);
        }
        live_remove (f->live);
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
    /* A file finished inside a staging folder stays listed, so that a
     * signal before the folder is swapped in removes it too. */
    if (ok && live_under_dir (f->path))
        live_add (f->path, LIVE_FILE);
    if (ok && g_rename (f->tmp, f->path) != 0)
        ok = FALSE;
    if (!ok) {
        int saved = errno;

        g_set_error (error, KB_OUTPUT_ERROR, KB_OUTPUT_ERROR_FAILED,
                     "%s: cannot write: %s", f->path, g_strerror (saved));
        g_unlink (f->tmp);
    }
    live_remove (f->live);
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
    live_remove (f->live);
    output_free (f);
}

gboolean
output_mkdir (const char *path, GError **error)
{
    if (live_under_dir (path) && !g_file_test (path, G_FILE_TEST_IS_DIR))
        live_add (path, LIVE_DIR);
    if (g_mkdir_with_parents (path, 0755) != 0) {
        int saved = errno;

        g_set_error (error, KB_OUTPUT_ERROR, KB_OUTPUT_ERROR_FAILED,
                     "%s: cannot create folder: %s", path,
                     g_strerror (saved));
        return FALSE;
    }
    return TRUE;
}

/* ---- folders that appear whole ---------------------------------------- */

struct OutputDir {
    char *final;
    char *staging;
    int live;
};

/* Removes path and everything below it, following no symbolic link. */
static void
remove_tree (const char *path)
{
    GStatBuf st;
    GDir *dir;
    const char *name;

    if (g_lstat (path, &st) != 0)
        return;
    if (!S_ISDIR (st.st_mode)) {
        g_unlink (path);
        return;
    }
    if ((dir = g_dir_open (path, 0, NULL)) != NULL) {
        while ((name = g_dir_read_name (dir)) != NULL) {
            g_autofree char *child = g_build_filename (path, name, NULL);

            remove_tree (child);
        }
        g_dir_close (dir);
    }
    g_rmdir (path);
}

/* Whether final may be replaced: absent, an empty folder, or a folder
 * holding marker (a folder kbsim wrote). */
static gboolean
replaceable (const char *final, const char *marker, GError **error)
{
    g_autofree char *mark = g_build_filename (final, marker, NULL);
    GDir *dir;
    gboolean empty;

    if (!g_file_test (final, G_FILE_TEST_EXISTS))
        return TRUE;
    if (!g_file_test (final, G_FILE_TEST_IS_DIR)) {
        g_set_error (error, KB_OUTPUT_ERROR, KB_OUTPUT_ERROR_FAILED,
                     "%s: exists and is not a folder", final);
        return FALSE;
    }
    dir = g_dir_open (final, 0, NULL);
    empty = dir != NULL && g_dir_read_name (dir) == NULL;
    if (dir != NULL)
        g_dir_close (dir);
    if (empty || g_file_test (mark, G_FILE_TEST_EXISTS))
        return TRUE;
    g_set_error (error, KB_OUTPUT_ERROR, KB_OUTPUT_ERROR_FAILED,
                 "%s: exists and is not a folder kbsim wrote (it has no %s): "
                 "choose another --out or remove it", final, marker);
    return FALSE;
}

OutputDir *
output_dir_open (const char *final, const char *marker, GError **error)
{
    g_autofree char *parent = g_path_get_dirname (final);
    OutputDir *d;

    if (!replaceable (final, marker, error) || !output_mkdir (parent, error))
        return NULL;
    d = g_new0 (OutputDir, 1);
    d->final = g_strdup (final);
    d->staging = g_strconcat (final, ".kbsim-XXXXXX", NULL);
    if (g_mkdtemp_full (d->staging, 0755) == NULL) {
        int saved = errno;

        g_set_error (error, KB_OUTPUT_ERROR, KB_OUTPUT_ERROR_FAILED,
                     "%s: cannot create folder: %s", d->staging,
                     g_strerror (saved));
        g_free (d->final);
        g_free (d->staging);
        g_free (d);
        return NULL;
    }
    d->live = live_add (d->staging, LIVE_DIR);
    return d;
}

const char *
output_dir_path (const OutputDir *d)
{
    return d->staging;
}

static void
output_dir_free (OutputDir *d)
{
    live_remove_under (d->staging);
    live_remove (d->live);
    g_free (d->final);
    g_free (d->staging);
    g_free (d);
}

gboolean
output_dir_commit (OutputDir *d, GError **error)
{
    g_autofree char *old = NULL;
    int saved;

    if (g_file_test (d->final, G_FILE_TEST_IS_DIR)) {
        /* rename() replaces an empty folder: make one to receive the
         * old results, so the final name is never missing for long. */
        old = g_strconcat (d->final, ".kbsim-old-XXXXXX", NULL);
        if (g_mkdtemp_full (old, 0755) == NULL
            || g_rename (d->final, old) != 0)
            goto fail;
    }
    if (g_rename (d->staging, d->final) != 0) {
        saved = errno;
        if (old != NULL)
            g_rename (old, d->final);
        errno = saved;
        goto fail;
    }
    if (old != NULL)
        remove_tree (old);
    output_dir_free (d);
    return TRUE;
fail:
    saved = errno;
    g_set_error (error, KB_OUTPUT_ERROR, KB_OUTPUT_ERROR_FAILED,
                 "%s: cannot replace: %s", d->final, g_strerror (saved));
    if (old != NULL)
        g_rmdir (old);
    output_dir_abort (d);
    return FALSE;
}

void
output_dir_abort (OutputDir *d)
{
    if (d == NULL)
        return;
    remove_tree (d->staging);
    output_dir_free (d);
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
