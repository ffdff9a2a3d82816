/* desktop.c: Docker Desktop, WSL and Compose on one machine. See
 * desktop.h.
 *
 * Image choice follows moby on each daemon (facts section 2): in an image
 * index, the entry for the requested os/arch; on the Windows daemon,
 * Windows entries newer than the host build are dropped and the host's
 * own build is preferred, then the newest older one. A single manifest is
 * pulled as it is, and the mismatch surfaces when the container runs.
 */
#include "models/desktop.h"

#include <string.h>

#include "sim/units.h"

void
desktop_verdict_clear (DeskVerdict *v)
{
    g_clear_pointer (&v->message, g_free);
    g_clear_pointer (&v->why, g_free);
}

void
desktop_engine_docker (const KbDevHostSpec *h, KbOs daemon, DeskEngine *out)
{
    memset (out, 0, sizeof *out);
    out->os = daemon;
    out->arch = h->arch;
    out->host = h->build;
    out->isolation = h->windows_isolation;
    /* Windows containers need Pro or Enterprise on amd64 (facts 7) */
    out->available = daemon == KB_OS_LINUX
                     || ((h->edition == KB_EDITION_PRO
                          || h->edition == KB_EDITION_ENTERPRISE)
                         && h->arch == KB_ARCH_AMD64);
    out->name = daemon == KB_OS_LINUX
        ? (h->linux_vm_hyperv ? "Docker Desktop, Linux daemon (Hyper-V VM)"
                              : "Docker Desktop, Linux daemon (WSL 2)")
        : "Docker Desktop, Windows daemon";
}

void
desktop_engine_wsl (const KbDevHostSpec *h, const char *distro,
                    DeskEngine *out)
{
    memset (out, 0, sizeof *out);
    out->os = KB_OS_LINUX;
    out->arch = h->arch;
    out->host = h->build;
    out->available = TRUE;
    out->name = distro;
}

static char *
entry_name (const KbManifestSpec *m)
{
    if (m->os == KB_OS_WINDOWS && m->has_os_version)
        return g_strdup_printf ("windows/%s %u.%u.%u",
                                platform_arch_name (m->arch),
                                m->os_version.major, m->os_version.minor,
                                m->os_version.build);
    return g_strdup_printf ("%s/%s", platform_os_name (m->os),
                            platform_arch_name (m->arch));
}

static char *
entries_list (const KbImageSpec *img)
{
    GString *s = g_string_new (NULL);

    for (guint i = 0; i < img->manifests->len; i++) {
        g_autofree char *e = entry_name (g_ptr_array_index (img->manifests,
                                                            i));

        g_string_append_printf (s, "%s%s", i ? ", " : "", e);
    }
    return g_string_free (s, FALSE);
}

/* Docker's default isolation for Windows containers on Windows 10/11 is
 * Hyper-V (NEEDSWORK: Docker's documented client default; not in the
 * reference). */
static PlatformIsolation
isolation_of (const DeskEngine *e, const KbServiceSpec *sv)
{
    KbIsolation i = sv->isolation != KB_ISOLATION_DEFAULT ? sv->isolation
                                                          : e->isolation;

    return i == KB_ISOLATION_PROCESS ? PLATFORM_ISOLATION_PROCESS
                                     : PLATFORM_ISOLATION_HYPERV;
}

/* The entry an index gives for os/arch on engine e, or NULL. On the
 * Windows daemon, newer builds than the host's are skipped. */
static const KbManifestSpec *
pick_entry (const DeskEngine *e, const KbImageSpec *img, KbOs os,
            KbArch arch, gboolean *newer_only)
{
    const KbManifestSpec *best = NULL;

    *newer_only = FALSE;
    for (guint i = 0; i < img->manifests->len; i++) {
        const KbManifestSpec *m = g_ptr_array_index (img->manifests, i);

        if (m->os != os || m->arch != arch)
            continue;
        if (os == KB_OS_WINDOWS && e->os == KB_OS_WINDOWS
            && m->has_os_version && m->os_version.build > e->host.build) {
            *newer_only = TRUE;
            continue;
        }
        if (best == NULL)
            best = m;
        else if (os == KB_OS_WINDOWS && m->has_os_version
                 && (m->os_version.build == e->host.build
                     || (best->os_version.build != e->host.build
                         && m->os_version.build > best->os_version.build)))
            best = m;
    }
    if (best)
        *newer_only = FALSE;
    return best;
}

/* An index with no entry for the platform: the pull fails. */
static void
decide_no_entry (const DeskEngine *e, const KbImageSpec *img,
                 const KbServiceSpec *sv, KbOs os, KbArch arch,
                 gboolean newer_only, DeskVerdict *out)
{
    g_autofree char *have = entries_list (img);

    out->outcome = DESK_PULL_FAILS;
    if (os == KB_OS_WINDOWS && e->os == KB_OS_WINDOWS)
        out->message = g_strdup_printf (
            "no matching manifest for windows/%s %u.%u.%u in the "
            "manifest list entries", platform_arch_name (arch),
            e->host.major, e->host.minor, e->host.build);
    else
        out->message = g_strdup_printf (
            "no matching manifest for %s/%s in the manifest list "
            "entries", platform_os_name (os),
            platform_arch_name (arch));
    if (newer_only)
        out->why = g_strdup_printf (
            "%s has entries for %s; every Windows entry is of a "
            "newer build than this host (%u), and Docker skips "
            "those (\"a Windows version X-based image is "
            "incompatible with a %u host\"): a newer image needs a "
            "newer Windows.", sv->image, have, e->host.build,
            e->host.build);
    else
        out->why = g_strdup_printf (
            "%s has entries for %s, none for %s/%s%s", sv->image,
            have, platform_os_name (os), platform_arch_name (arch),
            sv->platform_os != KB_OS_UNKNOWN
            ? " (the service's platform)"
            : e->os == KB_OS_LINUX
              ? ": this engine runs a Linux kernel, and a container "
                "shares its engine's kernel"
              : ": this engine is the Windows kernel, and a "
                "container shares its engine's kernel");
}

/* The entry pulled is of another OS than the engine's kernel. */
static void
decide_wrong_os (const DeskEngine *e, const KbServiceSpec *sv,
                 const KbManifestSpec *m, DeskVerdict *out)
{
    out->outcome = DESK_RUN_FAILS;
    out->message = g_strdup_printf ("image operating system \"%s\" "
                                    "cannot be used on this platform",
                                    platform_os_name (m->os));
    out->why = g_strdup_printf (
        "the %s entry was pulled%s, but %s has a %s kernel: platform "
        "picks which variant of an image to pull, it never supplies a "
        "kernel", platform_os_name (m->os),
        sv->platform ? " because the service asks for it with platform"
                     : " (a single manifest is pulled as it is)",
        e->name, e->os == KB_OS_LINUX ? "Linux" : "Windows");
}

/* A Windows entry whose build the host cannot run under the service's
 * isolation: the container fails at create. */
static void
decide_wrong_build (const DeskEngine *e, const KbServiceSpec *sv,
                    const KbManifestSpec *m, DeskVerdict *out)
{
    gboolean process = isolation_of (e, sv) == PLATFORM_ISOLATION_PROCESS;

    out->outcome = DESK_CREATE_FAILS;
    out->message = g_strdup_printf (
        "container %08x encountered an error during CreateContainer: "
        "failure in a Windows system call: The operating system of the "
        "container does not match the operating system of the host. "
        "(0xc0370101)", g_str_hash (sv->name));
    out->why = g_strdup_printf (
        "under %s isolation the container shares the host's kernel, so "
        "its build must match: image %u, host %u%s",
        process ? "process" : "Hyper-V", m->os_version.build, e->host.build,
        process ? "; Hyper-V isolation (isolation: hyperv) runs older builds"
                : "");
}

void
desktop_decide (const DeskEngine *e, const KbImageSpec *img,
                const KbServiceSpec *sv, DeskVerdict *out)
{
    KbOs os = sv->platform_os != KB_OS_UNKNOWN ? sv->platform_os : e->os;
    KbArch arch = sv->platform_arch != KB_ARCH_UNKNOWN ? sv->platform_arch
                                                       : e->arch;
    const KbManifestSpec *m;
    gboolean newer_only = FALSE;

    memset (out, 0, sizeof *out);
    if (!e->available) {
        out->outcome = DESK_NO_DAEMON;
        out->message = g_strdup ("Windows containers are not available on "
                                 "this machine");
        out->why = g_strdup ("Docker Desktop runs Windows containers only on "
                             "Windows 10/11 Pro or Enterprise on amd64; "
                             "Home and Education editions, and Arm64, run "
                             "Linux containers only");
        return;
    }
    if (img == NULL || img->manifests->len == 0) {
        out->outcome = DESK_PULL_FAILS;
        out->message = g_strdup_printf ("pull access denied for %s",
                                        sv->image);
        out->why = g_strdup ("the image is not described");
        return;
    }
    m = img->is_index ? pick_entry (e, img, os, arch, &newer_only)
                      : g_ptr_array_index (img->manifests, 0);
    if (m == NULL) {
        decide_no_entry (e, img, sv, os, arch, newer_only, out);
        return;
    }
    out->manifest = m;
    if (m->os != e->os)
        decide_wrong_os (e, sv, m, out);
    else if (m->os == KB_OS_WINDOWS && m->has_os_version
             && !platform_win_supported (e->host.build, m->os_version.build,
                                         isolation_of (e, sv)))
        decide_wrong_build (e, sv, m, out);
    else
        out->outcome = DESK_STARTS;
}

/* ---- bringing projects up ------------------------------------------------ */

typedef struct {
    const KbServiceSpec *sv;
    const KbComposeSpec *project;
    DeskVerdict v;
    double seconds;             /* pull time */
} Up;

static const KbImageSpec *
image_of (const Scenario *s, const KbServiceSpec *sv)
{
    return scenario_find_image (s, sv->image);
}

static double
pull_seconds (const KbDevHostSpec *h, const KbManifestSpec *m)
{
    return m ? (double) m->size / h->bandwidth : 0;
}

static gboolean
port_in_use (GArray *used, guint16 port)
{
    for (guint i = 0; i < used->len; i++)
        if (g_array_index (used, guint16, i) == port)
            return TRUE;
    return FALSE;
}

static Up *
find_up (GPtrArray *ups, const KbComposeSpec *c, const char *name)
{
    for (guint i = 0; i < ups->len; i++) {
        Up *u = g_ptr_array_index (ups, i);

        if (u->project == c && strcmp (u->sv->name, name) == 0)
            return u;
    }
    return NULL;
}

static void
up_free (gpointer p)
{
    Up *u = p;

    desktop_verdict_clear (&u->v);
    g_free (u);
}

static void
engine_for (const Scenario *s, const KbComposeSpec *c, DeskEngine *e)
{
    if (strcmp (c->engine, "desktop") == 0)
        desktop_engine_docker (s->dev_host, s->dev_host->daemon, e);
    else
        desktop_engine_wsl (s->dev_host, c->engine, e);
}

/* Whether every service that sv depends on has been brought up; *failed
 * names one of them that did not start, or is NULL. */
static gboolean
dependencies_up (GPtrArray *ups, const KbComposeSpec *c,
                 const KbServiceSpec *sv, const char **failed)
{
    gboolean ready = TRUE;

    *failed = NULL;
    for (guint k = 0; k < sv->depends_on->len; k++) {
        Up *d = find_up (ups, c, g_ptr_array_index (sv->depends_on, k));

        if (d == NULL)
            ready = FALSE;
        else if (d->v.outcome != DESK_STARTS)
            *failed = d->sv->name;
    }
    return ready;
}

/* A service that would start publishes its host ports, marking them in
 * used; a port already in use, or published twice by the service, fails
 * it instead. */
static void
publish_ports (Up *u, GArray *used)
{
    const KbServiceSpec *sv = u->sv;

    for (guint k = 0; u->v.outcome == DESK_STARTS && k < sv->ports->len;
         k++) {
        guint16 port = g_array_index (sv->ports, KbPortSpec, k).host;
        gboolean twice = FALSE;

        for (guint j = 0; j < k; j++)
            twice |= port != 0
                     && g_array_index (sv->ports, KbPortSpec, j).host == port;
        if (port == 0)
            continue;
        if (port_in_use (used, port) || twice) {
            u->v.outcome = DESK_PORT_TAKEN;
            u->v.message = g_strdup_printf (
                "Bind for 0.0.0.0:%u failed: port is already allocated",
                port);
            u->v.why = g_strdup_printf (
                "another container already publishes port %u; WSL 2 "
                "forwards a distribution's ports to Windows' localhost, so "
                "Docker Desktop and WSL engines share one set of host "
                "ports", port);
        }
    }
    for (guint k = 0; u->v.outcome == DESK_STARTS && k < sv->ports->len;
         k++) {
        guint16 port = g_array_index (sv->ports, KbPortSpec, k).host;

        if (port)
            g_array_append_val (used, port);
    }
}

/* One service brought up on engine e: it fails with the dependency
 * failed_dep when that is not NULL, else as desktop_decide() and its
 * ports say. */
static Up *
up_service (const Scenario *s, const DeskEngine *e, const KbComposeSpec *c,
            const KbServiceSpec *sv, const char *failed_dep, GArray *used)
{
    Up *u = g_new0 (Up, 1);

    u->sv = sv;
    u->project = c;
    if (failed_dep) {
        u->v.outcome = DESK_DEPENDENCY;
        u->v.message = g_strdup_printf ("dependency failed to start: %s",
                                        failed_dep);
    } else {
        desktop_decide (e, image_of (s, sv), sv, &u->v);
        u->seconds = pull_seconds (s->dev_host, u->v.manifest);
    }
    publish_ports (u, used);
    return u;
}

/* Brings one project up in depends_on order (a service after those it
 * depends on; file order otherwise), marking ports taken in used. */
static void
bring_up (const Scenario *s, const KbComposeSpec *c, GArray *used,
          GPtrArray *ups)
{
    DeskEngine e;
    guint done = 0, n = c->services->len;
    g_autofree gboolean *placed = g_new0 (gboolean, n);
    gboolean force = FALSE;

    engine_for (s, c, &e);
    while (done < n) {
        gboolean progress = FALSE;

        for (guint i = 0; i < n; i++) {
            const KbServiceSpec *sv = g_ptr_array_index (c->services, i);
            const char *failed_dep;

            if (placed[i])
                continue;
            /* a dependency cycle: the first waiting service goes ahead */
            if (!dependencies_up (ups, c, sv, &failed_dep) && !force)
                continue;
            force = FALSE;
            g_ptr_array_add (ups, up_service (s, &e, c, sv, failed_dep,
                                              used));
            placed[i] = TRUE;
            done++;
            progress = TRUE;
        }
        force = !progress;
    }
}

static const char *
edition_name (KbEdition e)
{
    static const char *const names[] = { "Home", "Pro", "Enterprise",
                                         "Education" };

    return names[e];
}

static void
describe_host (GString *out, const KbDevHostSpec *h)
{
    const char *name = platform_win_build_name (h->build.build);
    DeskEngine win;

    desktop_engine_docker (h, KB_OS_WINDOWS, &win);
    g_string_append_printf (out, "Developer machine: %s%s%u.%u.%u%s %s, %s\n",
                            name ? name : "Windows", name ? " (" : " ",
                            h->build.major, h->build.minor, h->build.build,
                            name ? ")" : "", edition_name (h->edition),
                            platform_arch_name (h->arch));
    g_string_append_printf (out, "Docker Desktop: the %s daemon is active; "
                            "Windows containers %s\n",
                            h->daemon == KB_OS_LINUX ? "Linux" : "Windows",
                            win.available ? "are available (one daemon at a "
                                            "time)"
                                          : "are not available here (they "
                                            "need Pro or Enterprise on "
                                            "amd64)");
    for (guint i = 0; i < h->wsl->len; i++)
        g_string_append_printf (out, "%s%s%s", i ? ", " : "WSL "
                                "distributions with their own Linux "
                                "engine: ", (char *) g_ptr_array_index (
                                    h->wsl, i), i + 1 == h->wsl->len
                                ? "\n" : "");
}

static void
print_up (GString *out, const Scenario *s, const KbComposeSpec *c,
          GPtrArray *ups)
{
    DeskEngine e;

    engine_for (s, c, &e);
    g_string_append_printf (out, "\n$ docker compose -p %s up -d      # on "
                            "%s%s%s\n", c->name, e.os == KB_OS_LINUX
                            && strcmp (c->engine, "desktop") != 0
                            ? "WSL distribution " : "", e.name,
                            e.os == KB_OS_LINUX
                            && strcmp (c->engine, "desktop") != 0
                            ? " (its own Linux engine)" : "");
    for (guint i = 0; i < ups->len; i++) {
        const Up *u = g_ptr_array_index (ups, i);

        if (u->project != c)
            continue;
        if (u->v.outcome == DESK_STARTS) {
            g_autofree char *entry = entry_name (u->v.manifest);
            g_autofree char *size = units_format_bytes (u->v.manifest->size);

            g_string_append_printf (out, " \u2714 %-14s Started   %s (%s, "
                                    "%s, pulled in %.*f s)\n", u->sv->name,
                                    u->sv->image, entry, size,
                                    u->seconds < 10 ? 1 : 0, u->seconds);
        } else {
            g_string_append_printf (out, " \u2718 %-14s Error     %s\n",
                                    u->sv->name, u->v.message);
        }
    }
}

/* Which OS kernels can run a service at all on this host, whatever the
 * daemon: a Linux engine, Docker Desktop's Windows daemon. */
static void
capable (const Scenario *s, const KbServiceSpec *sv, gboolean *linux_ok,
         gboolean *windows_ok, DeskVerdict *windows_v)
{
    DeskEngine lin, win;
    DeskVerdict v;

    desktop_engine_docker (s->dev_host, KB_OS_LINUX, &lin);
    desktop_engine_docker (s->dev_host, KB_OS_WINDOWS, &win);
    desktop_decide (&lin, image_of (s, sv), sv, &v);
    *linux_ok = v.outcome == DESK_STARTS;
    desktop_verdict_clear (&v);
    desktop_decide (&win, image_of (s, sv), sv, windows_v);
    *windows_ok = windows_v->outcome == DESK_STARTS;
}

static double
side_seconds (const Scenario *s, const KbServiceSpec *sv, KbOs os)
{
    DeskEngine e;
    DeskVerdict v;
    double t;

    desktop_engine_docker (s->dev_host, os, &e);
    desktop_decide (&e, image_of (s, sv), sv, &v);
    t = pull_seconds (s->dev_host, v.manifest);
    desktop_verdict_clear (&v);
    return t;
}

/* Sorts the services of project c onto the side that runs them: a Linux
 * engine when one can (lin[i]), else Docker Desktop's Windows daemon;
 * adds their names to lside or wside and their pull times to *tl or *tw.
 * Says in out which services run in no layout, and returns FALSE if any
 * does not. */
static gboolean
split_sides (GString *out, const Scenario *s, const KbComposeSpec *c,
             gboolean *lin, GPtrArray *lside, GPtrArray *wside, double *tl,
             double *tw)
{
    gboolean all = TRUE;

    for (guint i = 0; i < c->services->len; i++) {
        const KbServiceSpec *sv = g_ptr_array_index (c->services, i);
        DeskVerdict wv;
        gboolean win;

        capable (s, sv, &lin[i], &win, &wv);
        if (!lin[i] && !win) {
            g_string_append_printf (out, "  %s runs in no layout on this "
                                    "machine: %s%s%s%s\n", sv->name,
                                    wv.message ? wv.message : "",
                                    wv.why ? " (" : "", wv.why ? wv.why : "",
                                    wv.why ? ")" : "");
            all = FALSE;
        }
        desktop_verdict_clear (&wv);
        if (lin[i]) {
            g_ptr_array_add (lside, sv->name);
            *tl += side_seconds (s, sv, KB_OS_LINUX);
        } else if (win) {
            g_ptr_array_add (wside, sv->name);
            *tw += side_seconds (s, sv, KB_OS_WINDOWS);
        }
    }
    return all;
}

/* The dependencies that cross the kernels when the sides run apart
 * ("web needs db" in across), and the ports to forward for them. */
static void
cross_kernel_needs (const KbComposeSpec *c, const gboolean *lin,
                    GString *across, GString *ports)
{
    guint n = c->services->len;

    for (guint i = 0; i < n; i++) {
        const KbServiceSpec *sv = g_ptr_array_index (c->services, i);

        for (guint k = 0; k < sv->depends_on->len; k++) {
            const char *dn = g_ptr_array_index (sv->depends_on, k);
            guint di = 0;
            const KbServiceSpec *d = NULL;

            for (guint j = 0; j < n; j++)
                if (strcmp (((KbServiceSpec *) g_ptr_array_index (
                                 c->services, j))->name, dn) == 0) {
                    d = g_ptr_array_index (c->services, j);
                    di = j;
                }
            if (d == NULL || lin[di] == lin[i])
                continue;
            g_string_append_printf (across, "%s%s needs %s", across->len
                                    ? ", " : "", sv->name, dn);
            if (d->ports->len == 0)
                g_string_append_printf (ports, "%s%s needs %s across the "
                                        "kernels, but %s publishes no "
                                        "port: publish one", ports->len
                                        ? "; " : "", sv->name, dn, dn);
            for (guint p = 0; p < d->ports->len; p++)
                g_string_append_printf (
                    ports, "%s%u (%s, for %s)", ports->len ? "; " : "",
                    g_array_index (d->ports, KbPortSpec, p).host
                    ? g_array_index (d->ports, KbPortSpec, p).host
                    : g_array_index (d->ports, KbPortSpec, p).container,
                    dn, sv->name);
        }
    }
}

/* Layout 1: one daemon at a time. */
static void
print_switch_layout (GString *out, const KbDevHostSpec *h, const char *w,
                     const GString *across)
{
    g_string_append_printf (out, "  1. Switch daemons: Linux services "
                            "on the Linux daemon, then \"Switch to "
                            "Windows containers\" for %s. Only one "
                            "daemon runs at a time, so switching stops "
                            "the other side's containers: never all at "
                            "once. Each switch takes about %.0f s.%s%s%s"
                            "\n", w, sim_time_to_seconds (h->switch_time),
                            across->len ? " Here " : "", across->str,
                            across->len ? " across the kernels, so this "
                                          "layout cannot run the project "
                                          "as a whole." : "");
}

/* Layout 2: the Windows daemon beside a WSL distribution's engine, with
 * the ports to forward and the time until both sides are ready. */
static void
print_side_by_side (GString *out, const KbDevHostSpec *h, const char *w,
                    const char *l, const GString *ports, double tl,
                    double tw)
{
    const char *distro = h->wsl->len ? g_ptr_array_index (h->wsl, 0) : NULL;

    g_string_append_printf (out, "  2. Side by side: %s on Docker "
                            "Desktop's Windows daemon, %s in %s with its "
                            "own Linux engine; both run at once. ", w, l,
                            distro ? distro
                                   : "a WSL distribution (add one under "
                                     "dev_host.wsl)");
    if (ports->len)
        g_string_append_printf (out, "Ports to forward between the "
                                "kernels: %s. WSL 2 forwards a "
                                "distribution's published ports to "
                                "Windows' localhost; the Windows "
                                "containers reach them through the "
                                "host's address, not their own "
                                "localhost. ", ports->str);
    else
        g_string_append (out, "No service depends on one across the "
                         "kernels, so no port needs forwarding. ");
    g_string_append_printf (out, "Ready in about %.0f s (the slower "
                            "side: Windows pulls %.0f s; WSL start %.0f "
                            "s and Linux pulls %.0f s).\n",
                            MAX (tw, sim_time_to_seconds (h->wsl_start)
                                     + tl), tw,
                            sim_time_to_seconds (h->wsl_start), tl);
}

/* The layouts that run every service of project c. */
static void
print_layouts (GString *out, const Scenario *s, const KbComposeSpec *c)
{
    const KbDevHostSpec *h = s->dev_host;
    g_autofree gboolean *lin = g_new0 (gboolean, c->services->len);
    g_autoptr (GPtrArray) lside = g_ptr_array_new ();
    g_autoptr (GPtrArray) wside = g_ptr_array_new ();
    g_autoptr (GString) ports = g_string_new (NULL);
    g_autoptr (GString) across = g_string_new (NULL);
    g_autofree char *l = NULL;
    g_autofree char *w = NULL;
    double tl = 0, tw = 0;
    DeskEngine wengine;

    if (!split_sides (out, s, c, lin, lside, wside, &tl, &tw)
        || wside->len == 0 || lside->len == 0)
        return;
    g_ptr_array_add (lside, NULL);
    g_ptr_array_add (wside, NULL);
    l = g_strjoinv (", ", (char **) lside->pdata);
    w = g_strjoinv (", ", (char **) wside->pdata);
    g_string_append_printf (out, "\nLayouts for project %s (Windows "
                            "services: %s; Linux services: %s):\n",
                            c->name, w, l);
    desktop_engine_docker (h, KB_OS_WINDOWS, &wengine);
    if (!wengine.available) {
        g_string_append (out, "  none on this machine: the Windows "
                         "services need Windows containers, which "
                         "Docker Desktop offers only on Windows 10/11 "
                         "Pro or Enterprise on amd64. Run them on a "
                         "Windows Server host or a Pro machine.\n");
        return;
    }
    /* ports the Windows side needs from the Linux side, and back */
    cross_kernel_needs (c, lin, across, ports);
    print_switch_layout (out, h, w, across);
    print_side_by_side (out, h, w, l, ports, tl, tw);
}

void
desktop_count (const Scenario *s, guint *started, guint *total)
{
    g_autoptr (GArray) used = g_array_new (FALSE, FALSE, sizeof (guint16));
    g_autoptr (GPtrArray) ups = g_ptr_array_new_with_free_func (up_free);

    *started = *total = 0;
    for (guint i = 0; i < s->compose->len; i++)
        bring_up (s, g_ptr_array_index (s->compose, i), used, ups);
    for (guint i = 0; i < ups->len; i++) {
        const Up *u = g_ptr_array_index (ups, i);

        *started += u->v.outcome == DESK_STARTS;
        (*total)++;
    }
}

char *
desktop_report (const Scenario *s)
{
    GString *out = g_string_new (NULL);
    g_autoptr (GArray) used = g_array_new (FALSE, FALSE, sizeof (guint16));
    g_autoptr (GPtrArray) ups = g_ptr_array_new_with_free_func (up_free);
    gboolean any_failed = FALSE;

    g_return_val_if_fail (s->dev_host != NULL, g_string_free (out, FALSE));
    describe_host (out, s->dev_host);
    for (guint i = 0; i < s->compose->len; i++) {
        const KbComposeSpec *c = g_ptr_array_index (s->compose, i);

        bring_up (s, c, used, ups);
        print_up (out, s, c, ups);
    }
    for (guint i = 0; i < ups->len; i++) {
        const Up *u = g_ptr_array_index (ups, i);

        if (u->v.outcome == DESK_STARTS || u->v.why == NULL)
            continue;
        if (!any_failed)
            g_string_append (out, "\nWhy:\n");
        any_failed = TRUE;
        g_string_append_printf (out, "  %s: %s.\n", u->sv->name, u->v.why);
    }
    for (guint i = 0; i < ups->len; i++)
        any_failed |= ((const Up *) g_ptr_array_index (ups, i))->v.outcome
                      != DESK_STARTS;
    if (!any_failed)
        g_string_append (out, "\nEvery service started as configured.\n");
    for (guint i = 0; any_failed && i < s->compose->len; i++)
        print_layouts (out, s, g_ptr_array_index (s->compose, i));
    return g_string_free (out, FALSE);
}
