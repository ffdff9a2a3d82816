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
