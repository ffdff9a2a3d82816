/* cmd.h: what every subcommand of the kbsim program shares.
 *
 * Each cmd-<name>.c defines one cmd_<name>() taking the arguments after the
 * command word (argv[0] is "kbsim <name>") and returning the exit status:
 * KB_EXIT_OK, KB_EXIT_CHECKS_FAILED or KB_EXIT_USAGE.
 */
#ifndef KBSIM_CMD_H
#define KBSIM_CMD_H

#include <glib.h>

G_BEGIN_DECLS

enum {
    KB_EXIT_OK = 0,             /* success */
    KB_EXIT_CHECKS_FAILED = 1,  /* the scenario's checks failed */
    KB_EXIT_USAGE = 2           /* usage or input error */
};

typedef int (*CmdFunc) (int argc, char **argv);

typedef struct {
    const char *name;
    const char *summary;        /* one line for the command list */
    CmdFunc func;               /* NULL: not built yet */
    const char *arrives_with;   /* for those not built: which part brings it */
} Cmd;

/* The table of subcommands, ending with a zeroed entry. */
extern const Cmd cmd_table[];

/* Parses argv for the subcommand cmd: usage is the parameter line of
 * --help ("SCENARIO - simulate a scenario"), entries its options,
 * description the text after them. On a usage error prints "kbsim CMD:
 * message" and a hint to stderr and returns FALSE. */
gboolean cmd_parse (const char *cmd, const char *usage,
                    const GOptionEntry *entries, const char *description,
                    int *argc, char ***argv);

/* GLib's --help text with every line longer than width broken between
 * words: option descriptions keep their column, other lines continue
 * four spaces in. (transfer full) */
char *cmd_wrap_help (const char *help, guint width);

/* Prints "kbsim CMD: message" and the help hint to stderr; returns
 * KB_EXIT_USAGE. */
int cmd_usage_error (const char *cmd, const char *format, ...)
    G_GNUC_PRINTF (2, 3);

/* Prints "kbsim: message" (for input errors already carrying a location)
 * to stderr; returns KB_EXIT_USAGE. */
int cmd_input_error (const GError *error);

/* For commands that simulate a cluster: a dev_host scenario has none.
 * Prints why and returns KB_EXIT_USAGE, or returns KB_EXIT_OK. */
int cmd_require_cluster (const char *cmd, const char *file,
                         gboolean has_dev_host);

int cmd_validate (int argc, char **argv);
int cmd_run (int argc, char **argv);
int cmd_explain (int argc, char **argv);
int cmd_get (int argc, char **argv);
int cmd_headroom (int argc, char **argv);
int cmd_demo (int argc, char **argv);
int cmd_plan (int argc, char **argv);
int cmd_sweep (int argc, char **argv);
int cmd_compare (int argc, char **argv);
int cmd_report (int argc, char **argv);

/* The default output folder of a command on scenario name:
 * out/NAME[/sub], where NAME keeps letters, digits, '-', '_' and '.'
 * (not first) and turns every other byte into '_', at most
 * CMD_MAX_OUT_NAME of them, so that a name such as "../../x" stays inside
 * out/. (transfer full): g_free(). */
#define CMD_MAX_OUT_NAME 100
char *cmd_default_out (const char *name, const char *sub);

G_END_DECLS

#endif
