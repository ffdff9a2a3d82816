/* cmd.c: option parsing and error printing shared by the subcommands. */
#include "cmd/cmd.h"

#include <stdio.h>

gboolean
cmd_parse (const char *cmd, const char *usage, const GOptionEntry *entries,
           const char *description, int *argc, char ***argv)
{
    g_autoptr (GOptionContext) context = g_option_context_new (usage);
    g_autoptr (GError) error = NULL;

    g_option_context_add_main_entries (context, entries, NULL);
    g_option_context_set_description (context, description);
    g_option_context_set_help_enabled (context, TRUE);
    if (g_option_context_parse (context, argc, argv, &error))
        return TRUE;
    cmd_usage_error (cmd, "%s", error->message);
    return FALSE;
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
