/* cmd.c: option parsing and error printing shared by the subcommands. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

gboolean
cmd_parse (const char *cmd, const char *usage, const GOptionEntry *entries,
           const char *description, int *argc, char ***argv)
{
    g_autoptr (GOptionContext) context = g_option_context_new (usage);
    g_autoptr (GError) error = NULL;

    g_option_context_add_main_entries (context, entries, NULL);
    g_option_context_set_description (context, description);
    g_option_context_set_help_enabled (context, TRUE);
    for (int i = 1; i < *argc && strcmp ((*argv)[i], "--") != 0; i++)
        if (strcmp ((*argv)[i], "--help") == 0 || strcmp ((*argv)[i], "-h") == 0
            || strcmp ((*argv)[i], "-?") == 0) {
            /* GLib's own help does not wrap option descriptions: the same
             * text, wrapped to 80 columns; it exits 0 as GLib's does */
            char *help = g_option_context_get_help (context, TRUE, NULL);
            char *wrapped = cmd_wrap_help (help, 80);

            fputs (wrapped, stdout);
            /* exit() runs no cleanup attributes: free by hand */
            g_free (wrapped);
            g_free (help);
            g_option_context_free (g_steal_pointer (&context));
            exit (KB_EXIT_OK);
        }
    if (g_option_context_parse (context, argc, argv, &error))
        return TRUE;
    cmd_usage_error (cmd, "%s", error->message);
    return FALSE;
}

/* Appends text's words to out from column col, breaking before width and
 * starting each new line with indent spaces. */
static void
wrap_words (GString *out, const char *text, guint col, guint indent,
            guint width)
{
    g_auto (GStrv) words = g_strsplit (text, " ", -1);
    gboolean first = TRUE;

    for (guint i = 0; words[i]; i++) {
        glong len = g_utf8_strlen (words[i], -1);

        if (words[i][0] == '\0')
            continue;
        if (!first && col + 1 + len > width) {
            g_string_append_printf (out, "\n%*s", (int) indent, "");
            col = indent;
        } else if (!first) {
            g_string_append_c (out, ' ');
            col++;
        }
        g_string_append (out, words[i]);
        col += len;
        first = FALSE;
    }
}

char *
cmd_wrap_help (const char *help, guint width)
{
    g_auto (GStrv) lines = g_strsplit (help, "\n", -1);
    GString *out = g_string_new (NULL);

    for (guint i = 0; lines[i]; i++) {
        const char *l = lines[i];
        const char *gap;

        if (i > 0)
            g_string_append_c (out, '\n');
        if ((guint) g_utf8_strlen (l, -1) <= width) {
            g_string_append (out, l);
            continue;
        }
        /* an option line: "  -x, --long=ARG    Description" keeps its
         * description in its column */
        gap = l[0] == ' ' && l[2] == '-' ? strstr (l + 2, "  ") : NULL;
        if (gap) {
            const char *desc = gap;
            guint col;

            while (*desc == ' ')
                desc++;
            col = (guint) g_utf8_strlen (l, desc - l);
            if (col < width / 2) {
                g_string_append_len (out, l, desc - l);
                wrap_words (out, desc, col, col, width);
                continue;
            }
        }
        {
            guint lead = 0;

            while (l[lead] == ' ')
                lead++;
            g_string_append_len (out, l, lead);
            wrap_words (out, l + lead, lead, lead + 4, width);
        }
    }
    return g_string_free (out, FALSE);
}

int
cmd_usage_error (const char *cmd, const char *format, ...)
{
    va_list ap;
    g_autofree char *msg = NULL;

    va_start (ap, format);
    msg = g_strdup_vprintf (format, ap);
    va_end (ap);
    fprintf (stderr, "kbsim %s: %s\nRun 'kbsim help %s' for usage.\n", cmd,
             msg, cmd);
    return KB_EXIT_USAGE;
}

int
cmd_require_cluster (const char *cmd, const char *file,
                     gboolean has_dev_host)
{
    if (!has_dev_host)
        return KB_EXIT_OK;
    fprintf (stderr, "kbsim %s: %s describes a developer's desktop "
             "(dev_host), not a cluster; 'kbsim run %s' shows what starts "
             "where\n", cmd, file, file);
    return KB_EXIT_USAGE;
}

int
cmd_input_error (const GError *error)
{
    fprintf (stderr, "%s\n", error->message);
    return KB_EXIT_USAGE;
}

char *
cmd_default_out (const char *name, const char *sub)
{
    GString *safe = g_string_new (NULL);

    /* A name may hold anything; the folder made of it must stay a single
     * path component below out/: no separator, no "." or "..", nothing
     * a terminal would interpret. */
    for (const char *p = name; *p; p++)
        g_string_append_c (safe, g_ascii_isalnum (*p) || *p == '-'
                                 || *p == '_' || *p == '.' ? *p : '_');
    if (safe->len == 0 || safe->str[0] == '.')
        g_string_prepend_c (safe, '_');
    if (safe->len > CMD_MAX_OUT_NAME)
        g_string_truncate (safe, CMD_MAX_OUT_NAME);
    return g_build_filename ("out", safe->str, sub, NULL);
}
