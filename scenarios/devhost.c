/* devhost.c: the developer's desktop part of a scenario: dev_host (a
 * Windows 10/11 machine with Docker Desktop and WSL distributions) and
 * compose (Compose projects, written inline or as real compose files,
 * each brought up on one engine).
 *
 * Compose keys follow compose-spec 05-services.md; the ones kbsim does
 * not simulate (environment, volumes, networks, command, ...) are
 * accepted and listed as ignored, so a real compose file loads as it is.
 */
#include <string.h>

#include "models/catalog.h"
#include "scenarios/loader-private.h"
#include "sim/units.h"

/* NEEDSWORK: unconfirmed in the reference; parameters with defaults a
 * scenario can change (scenarios/KEYS.md). */
#define DEFAULT_DESKTOP_BW      (50.0 * 1000 * 1000)
#define DEFAULT_SWITCH_TIME     (20 * SIM_SEC)
#define DEFAULT_WSL_START       (3 * SIM_SEC)

static const char *const edition_names[] = {
    "home", "pro", "enterprise", "education", NULL
};

static void
service_free (gpointer p)
{
    KbServiceSpec *sv = p;

    g_free (sv->name);
    g_free (sv->image);
    g_free (sv->platform);
    g_array_unref (sv->ports);
    g_ptr_array_unref (sv->depends_on);
    g_free (sv);
}

/* Looks a word up in a NULL-terminated list; errors name the choices. */
static gboolean
pick (LoadCtx *ctx, const YNode *map, const char *key, const char *prefix,
      const char *const *names, int *out)
{
    g_autofree char *v = NULL;
    g_autofree char *all = NULL;

    if (!loader__get_str (ctx, map, key, prefix, FALSE, &v))
        return FALSE;
    for (int i = 0; names[i]; i++)
        if (g_ascii_strcasecmp (v, names[i]) == 0) {
            *out = i;
            return TRUE;
        }
    all = g_strjoinv (", ", (char **) names);
    loader__error (ctx, ynode_get (map, key), "%s%s: expected one of %s, got "
                   "'%s'", prefix, key, all, v);
    return FALSE;
}

static void
read_docker_desktop (LoadCtx *ctx, const YNode *m, KbDevHostSpec *h)
{
    static const char *const keys[] = {
        "daemon", "linux_vm", "windows_isolation", "switch_time", NULL
    };
    static const char *const daemons[] = { "linux", "windows", NULL };
    static const char *const vms[] = { "wsl2", "hyperv", NULL };
    static const char *const isol[] = { "default", "process", "hyperv",
                                        NULL };
    int v;

    if (!loader__is_map (ctx, m, "dev_host.docker_desktop"))
        return;
    loader__check_keys (ctx, m, "dev_host.docker_desktop", keys, NULL);
    if (pick (ctx, m, "daemon", "docker_desktop.", daemons, &v))
        h->daemon = v == 0 ? KB_OS_LINUX : KB_OS_WINDOWS;
    if (pick (ctx, m, "linux_vm", "docker_desktop.", vms, &v))
        h->linux_vm_hyperv = v == 1;
    if (pick (ctx, m, "windows_isolation", "docker_desktop.", isol, &v))
        h->windows_isolation = (KbIsolation) v;
    loader__get_duration (ctx, m, "switch_time", "docker_desktop.",
                          &h->switch_time);
}

static void
read_dev_host (LoadCtx *ctx, const YNode *m)
{
    static const char *const keys[] = {
        "edition", "build", "arch", "docker_desktop", "wsl", "bandwidth",
        "wsl_start", NULL
    };
    KbDevHostSpec *h = g_new0 (KbDevHostSpec, 1);
    g_autofree char *build = NULL;
    g_autofree char *arch = NULL;
    const YNode *n;
    int v;

    ctx->s->dev_host = h;
    h->loc = loader__loc (ctx, m);
    h->edition = KB_EDITION_PRO;
    h->arch = KB_ARCH_AMD64;
    h->daemon = KB_OS_LINUX;
    h->wsl = g_ptr_array_new_with_free_func (g_free);
    h->bandwidth = DEFAULT_DESKTOP_BW;
    h->switch_time = DEFAULT_SWITCH_TIME;
    h->wsl_start = DEFAULT_WSL_START;
    platform_win_version_parse ("10.0.22631", &h->build, NULL);
    if (!loader__is_map (ctx, m, "dev_host"))
        return;
    loader__check_keys (ctx, m, "dev_host", keys, NULL);
    if (pick (ctx, m, "edition", "dev_host.", edition_names, &v))
        h->edition = (KbEdition) v;
    if (loader__get_str (ctx, m, "build", "dev_host.", FALSE, &build)) {
        g_autoptr (GError) err = NULL;

        if (!platform_win_version_parse (build, &h->build, &err))
            loader__error (ctx, ynode_get (m, "build"), "dev_host.build: %s",
                           err->message);
        else if (h->build.build < 10240 || h->build.build == 14393
                 || h->build.build == 17763 || h->build.build == 20348)
            loader__error (ctx, ynode_get (m, "build"), "dev_host.build: "
                           "Docker Desktop runs on Windows 10 or 11, not on "
                           "Windows Server (build %u)", h->build.build);
    }
    if (loader__get_str (ctx, m, "arch", "dev_host.", FALSE, &arch)) {
        h->arch = platform_arch_from_string (arch);
        if (h->arch != KB_ARCH_AMD64 && h->arch != KB_ARCH_ARM64)
            loader__error (ctx, ynode_get (m, "arch"), "dev_host.arch: "
                           "expected amd64 or arm64, got '%s'", arch);
    }
    if ((n = ynode_get (m, "docker_desktop")) && !ynode_is_null (n))
        read_docker_desktop (ctx, n, h);
    if ((n = ynode_get (m, "wsl")) && !ynode_is_null (n)
        && loader__is_seq (ctx, n, "dev_host.wsl"))
        for (guint i = 0; i < ynode_len (n); i++) {
            char *name = loader__scalar_dup (ctx, ynode_item (n, i),
                                             "dev_host.wsl");

            if (name)
                g_ptr_array_add (h->wsl, name);
        }
    n = ynode_get (m, "bandwidth");
    if (n && loader__is_scalar (ctx, n, "dev_host.bandwidth")) {
        g_autoptr (GError) err = NULL;

        if (!units_parse_bandwidth (n->value, &h->bandwidth, &err))
            loader__error (ctx, n, "dev_host.bandwidth: %s", err->message);
    }
    loader__get_duration (ctx, m, "wsl_start", "dev_host.", &h->wsl_start);
}

/* ---- compose ------------------------------------------------------------ */

static const char *const service_used[] = {
    "image", "platform", "isolation", "ports", "depends_on", NULL
};
static const char *const service_ignored[] = {
    "build", "command", "entrypoint", "environment", "env_file", "volumes",
    "networks", "container_name", "restart", "healthcheck", "labels",
    "working_dir", "user", "hostname", "expose", "deploy", "logging",
    "profiles", "stdin_open", "tty", "extra_hosts", "cpus", "mem_limit",
    "pull_policy", NULL
};

/* "8080:80", "80", "127.0.0.1:8080:80", "8080:80/tcp", or the long form
 * {target: 80, published: 8080}. */
static void
read_port (LoadCtx *ctx, const YNode *p, KbServiceSpec *sv)
{
    KbPortSpec port = { 0, 0 };
    guint64 a = 0, b = 0;

    if (p->kind == YNODE_MAPPING) {
        gint64 target = 0, published = 0;

        if (ynode_get (p, "target") == NULL)
            loader__error (ctx, p, "ports.target: missing, and it is "
                           "required (the container's port)");
        loader__get_int (ctx, p, "target", "ports.", 1, 65535, &target);
        loader__get_int (ctx, p, "published", "ports.", 1, 65535,
                         &published);
        port.container = (guint16) target;
        port.host = (guint16) published;
    } else if (loader__is_scalar (ctx, p, "ports")) {
        g_autofree char *text = g_strdup (p->value);
        char *slash = strchr (text, '/');
        g_auto (GStrv) parts = NULL;
        guint n;

        if (slash)
            *slash = '\0';
        parts = g_strsplit (text, ":", -1);
        n = g_strv_length (parts);
        if (n < 1 || n > 3
            || !g_ascii_string_to_unsigned (parts[n - 1], 10, 1, 65535, &b,
                                            NULL)
            || (n >= 2 && !g_ascii_string_to_unsigned (parts[n - 2], 10, 1,
                                                       65535, &a, NULL))) {
            loader__error (ctx, p, "ports: expected HOST:CONTAINER (e.g. "
                           "\"8080:80\") or CONTAINER, got '%s'", p->value);
            return;
        }
        port.container = (guint16) b;
        port.host = (guint16) a;
    } else {
        return;
    }
    g_array_append_val (sv->ports, port);
}

static void
read_service (LoadCtx *ctx, const YNode *key, const YNode *m,
              KbComposeSpec *c)
{
    static const char *const isol[] = { "default", "process", "hyperv",
                                        NULL };
    KbServiceSpec *sv = g_new0 (KbServiceSpec, 1);
    const YNode *n;
    int v;

    if (key->kind != YNODE_SCALAR || key->value == NULL
        || ynode_is_null (key))
        loader__error (ctx, key, "service names must be plain strings");
    sv->name = g_strdup (key->value ? key->value : "");
    sv->loc = loader__loc (ctx, key);
    sv->ports = g_array_new (FALSE, FALSE, sizeof (KbPortSpec));
    sv->depends_on = g_ptr_array_new_with_free_func (g_free);
    g_ptr_array_add (c->services, sv);
    if (!loader__is_map (ctx, m, "service"))
        return;
    loader__check_keys (ctx, m, "compose service", service_used,
                        service_ignored);
    if (loader__get_str (ctx, m, "image", "", TRUE, &sv->image)) {
        char *norm = catalog_normalize_reference (sv->image);

        g_free (sv->image);
        sv->image = norm;
        loader__use_image (ctx, norm, ynode_get (m, "image"));
    } else {
        sv->image = g_strdup ("");
        if (ynode_get (m, "build"))
            loader__error (ctx, ynode_get (m, "build"), "build: kbsim does "
                           "not build images; give the image the build "
                           "makes (image:) and describe it under images");
    }
    if (loader__get_str (ctx, m, "platform", "", FALSE, &sv->platform)) {
        g_auto (GStrv) parts = g_strsplit (sv->platform, "/", 3);

        sv->platform_os = platform_os_from_string (parts[0]);
        if (parts[0] && parts[1])
            sv->platform_arch = platform_arch_from_string (parts[1]);
        if (sv->platform_os == KB_OS_UNKNOWN
            || (parts[1] && sv->platform_arch == KB_ARCH_UNKNOWN))
            loader__error (ctx, ynode_get (m, "platform"), "platform: "
                           "expected os[/arch[/variant]] such as "
                           "linux/amd64 or windows/amd64, got '%s'",
                           sv->platform);
    }
    if (pick (ctx, m, "isolation", "", isol, &v))
        sv->isolation = (KbIsolation) v;
    if ((n = ynode_get (m, "ports")) && !ynode_is_null (n)
        && loader__is_seq (ctx, n, "ports"))
        for (guint i = 0; i < ynode_len (n); i++)
            read_port (ctx, ynode_item (n, i), sv);
    n = ynode_get (m, "depends_on");
    if (n && n->kind == YNODE_SEQUENCE) {
        for (guint i = 0; i < ynode_len (n); i++) {
            char *d = loader__scalar_dup (ctx, ynode_item (n, i),
                                          "depends_on");

            if (d)
                g_ptr_array_add (sv->depends_on, d);
        }
    } else if (n && n->kind == YNODE_MAPPING) {
        /* the long form: {db: {condition: service_started}} */
        for (guint i = 0; i + 1 < n->items->len; i += 2) {
            const YNode *k = g_ptr_array_index (n->items, i);

            if (k->kind == YNODE_SCALAR && k->value)
                g_ptr_array_add (sv->depends_on, g_strdup (k->value));
        }
    } else if (n && !ynode_is_null (n)) {
        loader__error (ctx, n, "depends_on: expected a list of services");
    }
}

static void
read_services (LoadCtx *ctx, const YNode *m, KbComposeSpec *c)
{
    if (!loader__is_map (ctx, m, "services"))
        return;
    for (guint i = 0; i + 1 < m->items->len; i += 2)
        read_service (ctx, g_ptr_array_index (m->items, i),
                      g_ptr_array_index (m->items, i + 1), c);
}

/* A real compose file: its services; the other top-level keys (name,
 * version, networks, volumes, ...) are not simulated. */
static void
read_compose_document (LoadCtx *ctx, const YNode *doc, const char *file)
{
    static const char *const used[] = { "services", NULL };
    static const char *const ignored[] = {
        "name", "version", "networks", "volumes", "configs", "secrets",
        "include", NULL
    };
    KbComposeSpec *c = ctx->read_data;

    (void) file;
    if (!loader__is_map (ctx, doc, "compose file"))
        return;
    loader__check_keys (ctx, doc, "compose file", used, ignored);
    if (ynode_get (doc, "services"))
        read_services (ctx, ynode_get (doc, "services"), c);
    else
        loader__error (ctx, doc, "compose file: no services");
}

static void
read_compose (LoadCtx *ctx, const YNode *seq, const char *base_dir)
{
    static const char *const keys[] = { "name", "engine", "file",
                                        "services", NULL };

    if (!loader__is_seq (ctx, seq, "compose"))
        return;
    for (guint i = 0; i < ynode_len (seq); i++) {
        const YNode *m = ynode_item (seq, i);
        KbComposeSpec *c = g_new0 (KbComposeSpec, 1);
        g_autofree char *file = NULL;
        guint errors_before = ctx->n_errors;

        c->loc = loader__loc (ctx, m);
        c->services = g_ptr_array_new_with_free_func (service_free);
        g_ptr_array_add (ctx->s->compose, c);
        if (!loader__is_map (ctx, m, "compose")) {
            c->name = g_strdup ("");
            c->engine = g_strdup ("desktop");
            continue;
        }
        loader__check_keys (ctx, m, "compose project", keys, NULL);
        if (!loader__get_str (ctx, m, "name", "compose.", FALSE, &c->name))
            c->name = g_strdup_printf ("project%u", i + 1);
        if (!loader__get_str (ctx, m, "engine", "compose.", FALSE,
                              &c->engine))
            c->engine = g_strdup ("desktop");
        if (loader__get_str (ctx, m, "file", "compose.", FALSE, &file)) {
            ctx->read_data = c;
            loader__read_file (ctx, ynode_get (m, "file"), "compose file",
                               file, base_dir, read_compose_document);
            ctx->read_data = NULL;
        }
        if (ynode_get (m, "services"))
            read_services (ctx, ynode_get (m, "services"), c);
        if (file == NULL && ynode_get (m, "services") == NULL)
            loader__error (ctx, m, "compose project: give services or a "
                           "compose file (file:)");
        else if (c->services->len == 0 && ctx->n_errors == errors_before)
            loader__error (ctx, m, "compose project '%s': no services",
                           c->name);
    }
}

/* The index of the service named name in c, or -1. */
static gint
service_index (const KbComposeSpec *c, const char *name)
{
    for (guint l = 0; l < c->services->len; l++)
        if (strcmp (((KbServiceSpec *) g_ptr_array_index (c->services,
                                                          l))->name,
                    name) == 0)
            return (gint) l;
    return -1;
}

/* Whether following depends_on from service i reaches service target. */
static gboolean
reaches (const KbComposeSpec *c, guint i, guint target, gboolean *seen)
{
    const KbServiceSpec *sv = g_ptr_array_index (c->services, i);

    for (guint k = 0; k < sv->depends_on->len; k++) {
        gint d = service_index (c, g_ptr_array_index (sv->depends_on, k));

        if (d < 0 || seen[d])
            continue;
        if ((guint) d == target)
            return TRUE;
        seen[d] = TRUE;
        if (reaches (c, (guint) d, target, seen))
            return TRUE;
    }
    return FALSE;
}

/* Engines named, services unique per project, depends_on resolvable and
 * without cycles (docker compose refuses those too). */
static void
check_compose (LoadCtx *ctx)
{
    const KbDevHostSpec *h = ctx->s->dev_host;

    for (guint i = 0; i < ctx->s->compose->len; i++) {
        const KbComposeSpec *c = g_ptr_array_index (ctx->s->compose, i);
        gboolean known = strcmp (c->engine, "desktop") == 0;

        for (guint j = 0; !known && j < h->wsl->len; j++)
            known = strcmp (c->engine, g_ptr_array_index (h->wsl, j)) == 0;
        if (!known)
            loader__error_at (ctx, &c->loc, "compose.engine: '%s' is neither "
                              "desktop nor a distribution under dev_host.wsl",
                              c->engine);
        for (guint j = 0; j < c->services->len; j++) {
            const KbServiceSpec *sv = g_ptr_array_index (c->services, j);
            g_autofree gboolean *seen = g_new0 (gboolean, c->services->len);

            if (service_index (c, sv->name) != (gint) j)
                loader__error_at (ctx, &sv->loc, "service '%s' is defined "
                                  "twice in project '%s'", sv->name,
                                  c->name);
            else if (reaches (c, j, j, seen))
                loader__error_at (ctx, &sv->loc, "service '%s': depends_on "
                                  "leads back to itself (a dependency "
                                  "cycle)", sv->name);
            for (guint k = 0; k < sv->depends_on->len; k++) {
                const char *d = g_ptr_array_index (sv->depends_on, k);
                gboolean found = FALSE;

                for (guint l = 0; l < c->services->len && !found; l++)
                    found = strcmp (((KbServiceSpec *) g_ptr_array_index (
                                        c->services, l))->name, d) == 0;
                if (!found)
                    loader__error_at (ctx, &sv->loc, "service '%s': "
                                      "depends_on names '%s', which is not "
                                      "a service of project '%s'", sv->name,
                                      d, c->name);
            }
        }
    }
}

void
loader__dev_host (LoadCtx *ctx, const YNode *root, const char *base_dir)
{
    const YNode *n = ynode_get (root, "dev_host");

    if (n == NULL) {
        if (ynode_get (root, "compose"))
            loader__error (ctx, ynode_get (root, "compose"), "compose: "
                           "needs a dev_host (the machine it runs on)");
        return;
    }
    read_dev_host (ctx, n);
    if ((n = ynode_get (root, "compose")) && !ynode_is_null (n))
        read_compose (ctx, n, base_dir);
    if (ctx->s->compose->len == 0)
        loader__error (ctx, root, "dev_host: give at least one compose "
                       "project");
    check_compose (ctx);
}
