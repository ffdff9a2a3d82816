/* desktop.h: the kernel barrier on a developer's machine: Docker Desktop's
 * two daemons, WSL distributions with their own engine, and Compose.
 *
 * A container shares its engine's kernel. Docker Desktop runs one daemon
 * at a time (facts section 7): the Linux daemon, in a WSL 2 or Hyper-V VM
 * with a Linux kernel, or the Windows daemon on the host's Windows kernel
 * (Windows 10/11 Pro or Enterprise on amd64 only). A WSL distribution may
 * run a Linux engine of its own beside Docker Desktop. Compose's platform
 * key picks which variant of an image to pull; it never supplies a
 * kernel.
 *
 * desktop_decide() says whether one service starts on one engine and, if
 * not, what Docker prints (facts section 6) and why; desktop_report()
 * brings every Compose project of a scenario up on its engine and lays
 * out the alternatives that work (switching daemons; Windows on Docker
 * Desktop beside Linux in WSL), with the ports to forward and a start-time
 * estimate.
 */
#ifndef KBSIM_DESKTOP_H
#define KBSIM_DESKTOP_H

#include <glib.h>

#include "models/spec.h"

G_BEGIN_DECLS

typedef struct {
    KbOs os;                    /* the engine's kernel */
    KbArch arch;
    WinVersion host;            /* the Windows host (its build) */
    KbIsolation isolation;      /* the Windows daemon's default */
    gboolean available;         /* FALSE: Docker Desktop cannot run this
                                 * daemon here (edition, arch) */
    const char *name;           /* for messages */
} DeskEngine;

typedef enum {
    DESK_STARTS,
    DESK_NO_DAEMON,             /* Windows containers unavailable here */
    DESK_PULL_FAILS,            /* no entry of the index fits */
    DESK_RUN_FAILS,             /* the image's OS is not the engine's */
    DESK_CREATE_FAILS,          /* Windows build mismatch (0xc0370101) */
    DESK_PORT_TAKEN,            /* a published host port is in use */
    DESK_DEPENDENCY             /* a depends_on service did not start */
} DeskOutcome;

typedef struct {
    DeskOutcome outcome;
    const KbManifestSpec *manifest;     /* the entry pulled, or NULL */
    char *message;              /* what Docker prints, or NULL */
    char *why;                  /* kbsim's explanation, or NULL */
} DeskVerdict;

void desktop_verdict_clear (DeskVerdict *v);

/* The engines of a dev host: Docker Desktop with its Linux or its Windows
 * daemon active, or a WSL distribution's Linux engine. */
void desktop_engine_docker (const KbDevHostSpec *h, KbOs daemon,
                            DeskEngine *out);
void desktop_engine_wsl (const KbDevHostSpec *h, const char *distro,
                         DeskEngine *out);

/* Whether service sv (image img) starts on engine e, ports and
 * dependencies aside. Fills *out; clear it with desktop_verdict_clear(). */
void desktop_decide (const DeskEngine *e, const KbImageSpec *img,
                     const KbServiceSpec *sv, DeskVerdict *out);

/* The whole story of a dev_host scenario, as text: the host, every
 * project brought up (docker compose style), why each failure happened,
 * and the layouts that work. (transfer full): g_free(). */
char *desktop_report (const Scenario *s);

/* How many services of the scenario started as configured, and how many
 * there are. */
void desktop_count (const Scenario *s, guint *started, guint *total);

G_END_DECLS

#endif
