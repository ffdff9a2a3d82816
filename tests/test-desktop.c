/* test-desktop.c: the developer's desktop: which Compose service starts on
 * which engine, with the exact error Docker prints otherwise (facts
 * sections 2, 6 and 7), and the dev_host scenario keys. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "models/catalog.h"

#include "models/desktop.h"
#include "tests/support/testutil.h"

/* Images of every shape the table needs, on a host whose build and
 * edition each row overrides. */
static const char *images_yaml =
    "name: desk\n"
    "dev_host: {edition: pro, build: \"10.0.22631\"}\n"
    "images:\n"
    "  - name: lin:1\n"
    "    manifests: [{os: linux, arch: amd64, layers: [{digest: sha256:l,"
    " size: 10MB}]}]\n"
    "  - name: win2022:1\n"
    "    manifests: [{os: windows, arch: amd64, os_version: 10.0.20348,"
    " layers: [{digest: sha256:w2, size: 2GB}]}]\n"
    "  - name: win2019:1\n"
    "    manifests: [{os: windows, arch: amd64, os_version: 10.0.17763,"
    " layers: [{digest: sha256:w1, size: 2GB}]}]\n"
    "  - name: winall:1\n"
    "    manifests:\n"
    "      - {os: windows, arch: amd64, os_version: 10.0.17763, layers:"
    " [{digest: sha256:a1, size: 1GB}]}\n"
    "      - {os: windows, arch: amd64, os_version: 10.0.20348, layers:"
    " [{digest: sha256:a2, size: 1GB}]}\n"
    "      - {os: windows, arch: amd64, os_version: 10.0.26100, layers:"
    " [{digest: sha256:a3, size: 1GB}]}\n"
    "  - name: single-lin:1\n"
    "    index: false\n"
    "    manifests: [{os: linux, arch: amd64, layers: [{digest: sha256:s,"
    " size: 10MB}]}]\n"
    "  - name: single-win:1\n"
    "    index: false\n"
    "    manifests: [{os: windows, arch: amd64, os_version: 10.0.20348,"
    " layers: [{digest: sha256:sw, size: 2GB}]}]\n"
    "compose:\n"
    "  - name: p\n"
    "    services:\n"
    "      a: {image: lin:1}\n"
    "      b: {image: win2022:1}\n"
    "      c: {image: win2019:1}\n"
    "      d: {image: winall:1}\n"
    "      e: {image: single-lin:1}\n"
    "      f: {image: single-win:1}\n";

typedef struct {
    const char *daemon;         /* "linux" or "windows" */
    const char *image;
    const char *platform;       /* compose platform, or NULL */
    guint host;                 /* host build */
    KbIsolation isolation;
    KbEdition edition;
    DeskOutcome want;
    const char *message;        /* a substring of Docker's text, or NULL */
    guint picked;               /* Windows build of the entry pulled, or 0 */
} Row;

static const Row rows[] = {
    { "linux", "lin:1", NULL, 22631, 0, KB_EDITION_PRO, DESK_STARTS, NULL, 0 },
    { "linux", "win2022:1", NULL, 22631, 0, KB_EDITION_PRO, DESK_PULL_FAILS,
      "no matching manifest for linux/amd64 in the manifest list entries",
      0 },
    { "linux", "win2022:1", "windows/amd64", 22631, 0, KB_EDITION_PRO,
      DESK_RUN_FAILS, "image operating system \"windows\" cannot be used on "
      "this platform", 20348 },
    { "linux", "lin:1", "windows/amd64", 22631, 0, KB_EDITION_PRO,
      DESK_PULL_FAILS, "no matching manifest for windows/amd64 in the "
      "manifest list entries", 0 },
    { "linux", "single-win:1", NULL, 22631, 0, KB_EDITION_PRO,
      DESK_RUN_FAILS, "image operating system \"windows\" cannot be used",
      20348 },
    { "windows", "lin:1", NULL, 22631, KB_ISOLATION_PROCESS, KB_EDITION_PRO,
      DESK_PULL_FAILS, "no matching manifest for windows/amd64 10.0.22631 in "
      "the manifest list entries", 0 },
    { "windows", "single-lin:1", NULL, 22631, 0, KB_EDITION_PRO,
      DESK_RUN_FAILS, "image operating system \"linux\" cannot be used on "
      "this platform", 0 },
    /* Windows 11 runs Windows Server 2022 images under process isolation
     * (the stable-ABI exception) */
    { "windows", "win2022:1", NULL, 22631, KB_ISOLATION_PROCESS,
      KB_EDITION_PRO, DESK_STARTS, NULL, 20348 },
    /* Windows 10: a 2022 image is newer than the host; Docker skips it */
    { "windows", "win2022:1", NULL, 19045, KB_ISOLATION_HYPERV,
      KB_EDITION_PRO, DESK_PULL_FAILS, "no matching manifest for "
      "windows/amd64 10.0.19045", 0 },
    /* an older build: process isolation fails at create, Hyper-V runs it */
    { "windows", "win2019:1", NULL, 19045, KB_ISOLATION_PROCESS,
      KB_EDITION_PRO, DESK_CREATE_FAILS, "does not match the operating "
      "system of the host. (0xc0370101)", 17763 },
    { "windows", "win2019:1", NULL, 19045, KB_ISOLATION_HYPERV,
      KB_EDITION_PRO, DESK_STARTS, NULL, 17763 },
    { "windows", "win2019:1", NULL, 22631, KB_ISOLATION_DEFAULT,
      KB_EDITION_ENTERPRISE, DESK_STARTS, NULL, 17763 },
    /* an index of three builds: the newest not above the host */
    { "windows", "winall:1", NULL, 22631, KB_ISOLATION_PROCESS,
      KB_EDITION_PRO, DESK_STARTS, NULL, 20348 },
    { "windows", "winall:1", NULL, 26100, KB_ISOLATION_PROCESS,
      KB_EDITION_PRO, DESK_STARTS, NULL, 26100 },
    { "windows", "winall:1", NULL, 17763, KB_ISOLATION_PROCESS,
      KB_EDITION_PRO, DESK_STARTS, NULL, 17763 },
    /* Home runs Linux containers only */
    { "windows", "win2022:1", NULL, 22631, 0, KB_EDITION_HOME,
      DESK_NO_DAEMON, NULL, 0 },
    { "linux", "lin:1", NULL, 22631, 0, KB_EDITION_HOME, DESK_STARTS, NULL,
      0 },
};

static void
test_decisions (void)
{
    g_autoptr (Scenario) s = testutil_load_text (images_yaml);
    KbDevHostSpec h = *s->dev_host;

    g_test_summary ("(daemon, image platforms, compose platform, host "
                    "build, isolation) against start or Docker's exact "
                    "error");
    for (gsize i = 0; i < G_N_ELEMENTS (rows); i++) {
        const Row *r = &rows[i];
        KbServiceSpec sv = { 0 };
        DeskEngine e;
        DeskVerdict v;
        g_autofree char *norm = NULL;

        h.build.build = r->host;
        h.edition = r->edition;
        h.windows_isolation = r->isolation;
        desktop_engine_docker (&h, strcmp (r->daemon, "linux") == 0
                               ? KB_OS_LINUX : KB_OS_WINDOWS, &e);
        sv.name = (char *) "svc";
        sv.image = (char *) r->image;
        sv.platform = (char *) r->platform;
        if (r->platform) {
            sv.platform_os = KB_OS_WINDOWS;
            sv.platform_arch = KB_ARCH_AMD64;
        }
        norm = catalog_normalize_reference (r->image);
        desktop_decide (&e, scenario_find_image (s, norm), &sv, &v);
        g_test_message ("row %zu: %s daemon, %s, host %u: %d %s", i,
                        r->daemon, r->image, r->host, v.outcome,
                        v.message ? v.message : "");
        g_assert_cmpint (v.outcome, ==, r->want);
        if (r->message)
            testutil_assert_contains (v.message, r->message);
        if (r->picked)
            g_assert_cmpuint (v.manifest->os_version.build, ==, r->picked);
        if (r->want != DESK_STARTS)
            g_assert_nonnull (v.why);
        desktop_verdict_clear (&v);
    }
}

static void
test_lessons (void)
{
    const struct {
        const char *file;
        guint started, total;
        const char *text;
    } cases[] = {
        { "lessons/desktop-linux-daemon.yaml", 2, 3, "Side by side" },
        { "lessons/desktop-windows-daemon.yaml", 0, 3,
          "dependency failed to start: api" },
        { "lessons/desktop-platform-flag.yaml", 1, 2,
          "never supplies a kernel" },
        { "lessons/desktop-side-by-side.yaml", 3, 3,
          "Every service started as configured." },
    };

    g_test_summary ("each desktop lesson brings up what its story says");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autoptr (Scenario) s = testutil_load_example (cases[i].file);
        g_autofree char *text = desktop_report (s);
        guint started, total;

        desktop_count (s, &started, &total);
        g_assert_cmpuint (started, ==, cases[i].started);
        g_assert_cmpuint (total, ==, cases[i].total);
        testutil_assert_contains (text, cases[i].text);
    }
}

static void
test_ports_and_home (void)
{
    g_autoptr (Scenario) s = testutil_load_text (
        "name: ports\n"
        "dev_host: {edition: home, build: \"10.0.19045\", wsl: [Ubuntu]}\n"
        "compose:\n"
        "  - name: a\n"
        "    engine: Ubuntu\n"
        "    services: {web: {image: nginx:1.27, ports: [\"8080:80\"]}}\n"
        "  - name: b\n"
        "    services:\n"
        "      web2: {image: nginx:1.27, ports: [\"127.0.0.1:8080:80/tcp\"]}\n"
        "      iis: {image: \"mcr.microsoft.com/windows/servercore/iis:"
        "windowsservercore-ltsc2022\", depends_on: [web2]}\n");
    g_autofree char *text = desktop_report (s);

    g_test_summary ("a host port is published once across Docker Desktop "
                    "and WSL; Home editions get no Windows layout");
    testutil_assert_contains (text, "Bind for 0.0.0.0:8080 failed: port is "
                              "already allocated");
    testutil_assert_contains (text, "dependency failed to start: web2");
    testutil_assert_contains (text, "Windows 10 22H2");
    testutil_assert_contains (text, "Windows containers are not available");
}

static void
test_load_errors (void)
{
    const struct {
        const char *yaml;
        const char *error;
    } cases[] = {
        { "name: x\ncompose: [{services: {a: {image: nginx:1.27}}}]\n",
          ":2:10: compose: needs a dev_host" },
        { "name: x\ndev_host: {}\ncompose:\n  - {engine: Debian, services: "
          "{a: {image: nginx:1.27}}}\n", "'Debian' is neither desktop nor" },
        { "name: x\ndev_host: {}\ncompose:\n  - services:\n      a: {image: "
          "nginx:1.27, depends_on: [db]}\n", "depends_on names 'db'" },
        { "name: x\ndev_host: {}\ncompose:\n  - services:\n      a: {image: "
          "nginx:1.27, platform: plan9/amd64}\n", ":5:40: platform: expected "
          "os[/arch[/variant]]" },
        { "name: x\ndev_host: {}\ncompose:\n  - services:\n      a: {image: "
          "nginx:1.27, ports: [\"80:http\"]}\n", "ports: expected "
          "HOST:CONTAINER" },
        { "name: x\ndev_host: {build: ltsc2022}\ncompose:\n  - services: {a: "
          "{image: nginx:1.27}}\n", "Docker Desktop runs on Windows 10 or "
          "11" },
        { "name: x\ndev_host: {docker_desktop: {daemon: macos}}\ncompose:\n"
          "  - services: {a: {image: nginx:1.27}}\n", "docker_desktop.daemon: "
          "expected one of linux, windows" },
        { "name: x\ndev_host: {}\ncompose:\n  - services: {a: {build: .}}\n",
          "kbsim does not build images" },
        { "name: x\ndev_host: {}\ncompose:\n  - services:\n"
          "      f: {image: nginx:1.27, depends_on: [a]}\n"
          "      a: {image: nginx:1.27, depends_on: [b]}\n"
          "      b: {image: nginx:1.27, depends_on: [a]}\n",
          ":6:7: service 'a': depends_on leads back to itself" },
        { "name: x\ndev_host: {}\ncompose:\n  - services:\n"
          "      a: {image: nginx:1.27}\n      a: {image: alpine:3.22}\n",
          "duplicate key" },
    };

    g_test_summary ("dev_host and compose mistakes are named with their "
                    "position");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_autofree char *dir = g_dir_make_tmp ("kbsim-desk-XXXXXX", NULL);
        g_autofree char *path = g_build_filename (dir, "x.yaml", NULL);
        g_autoptr (GError) error = NULL;
        Scenario *s;

        g_assert_true (g_file_set_contents (path, cases[i].yaml, -1, NULL));
        s = scenario_load (path, NULL, &error);
        g_assert_null (s);
        g_test_message ("%s", error->message);
        testutil_assert_contains (error->message, cases[i].error);
        g_unlink (path);
        g_rmdir (dir);
    }
}

/* Loads path; when it loads, its report must be made without trouble. */
static void
load_and_report (const char *path)
{
    g_autoptr (GError) error = NULL;
    Scenario *s = scenario_load (path, NULL, &error);

    if (s == NULL) {
        g_assert_nonnull (error);
        return;
    }
    if (s->dev_host) {
        g_autofree char *text = desktop_report (s);

        g_assert_nonnull (text);
    }
    scenario_free (s);
}

/* Every truncation of a desktop lesson, and of the compose file a
 * scenario names, loads cleanly or fails with an error: never a crash. */
static void
test_truncations (void)
{
    g_autofree char *lesson = g_test_build_filename (
        G_TEST_DIST, "..", "scenarios", "lessons", "desktop-side-by-side.yaml",
        NULL);
    g_autofree char *compose = g_test_build_filename (
        G_TEST_DIST, "..", "scenarios", "lessons", "compose", "shop.yaml",
        NULL);
    g_autofree char *dir = g_dir_make_tmp ("kbsim-desk-trunc-XXXXXX", NULL);
    g_autofree char *path = g_build_filename (dir, "t.yaml", NULL);
    g_autofree char *cpath = g_build_filename (dir, "c.yaml", NULL);
    g_autofree char *data = NULL;
    gsize len;

    g_test_summary ("truncated dev_host scenarios and compose files load or "
                    "fail cleanly");
    g_assert_true (g_file_get_contents (lesson, &data, &len, NULL));
    for (gsize cut = 0; cut < len; cut += 3) {
        g_assert_true (g_file_set_contents (path, data, (gssize) cut, NULL));
        load_and_report (path);
    }
    g_clear_pointer (&data, g_free);
    g_assert_true (g_file_get_contents (compose, &data, &len, NULL));
    g_assert_true (g_file_set_contents (path,
        "name: t\n"
        "dev_host: {docker_desktop: {daemon: windows}, wsl: [Ubuntu]}\n"
        "compose: [{name: a, file: c.yaml}, {name: b, engine: Ubuntu,"
        " file: c.yaml}]\n", -1, NULL));
    for (gsize cut = 0; cut < len; cut += 2) {
        g_assert_true (g_file_set_contents (cpath, data, (gssize) cut, NULL));
        load_and_report (path);
    }
    g_unlink (path);
    g_unlink (cpath);
    g_rmdir (dir);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/desktop/decisions", test_decisions);
    g_test_add_func ("/desktop/lessons", test_lessons);
    g_test_add_func ("/desktop/ports-and-home", test_ports_and_home);
    g_test_add_func ("/desktop/load-errors", test_load_errors);
    g_test_add_func ("/desktop/truncations", test_truncations);
    return g_test_run ();
}
