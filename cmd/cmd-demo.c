/* cmd-demo.c: `kbsim demo [LESSON] [--step|--auto]`: lessons on the
 * kernel barrier, narrated.
 *
 * A lesson is a scenario under scenarios/lessons/ and a few moments: at
 * each, the simulation runs up to that time, then kbsim shows what
 * happened (the events, a compact view of the nodes and their pods,
 * coloured on a terminal) and explains it, with `kbsim explain`'s answer
 * for the pod the lesson is about. --step waits for Enter at each moment.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "models/cluster.h"
#include "models/desktop.h"
#include "models/explain.h"
#include "models/run.h"
#include "reports/report.h"
#include "scenarios/scenario.h"
#include "cmd/cmd.h"

#ifndef KBSIM_DATADIR
#define KBSIM_DATADIR "scenarios"
#endif
#ifndef KBSIM_INSTALL_DATADIR
#define KBSIM_INSTALL_DATADIR "/usr/local/share/kbsim"
#endif

/* Where the lessons are: $KBSIM_DATADIR if set, else the source tree the
 * binary was built in, else the installed copy (make install). */
static const char *
lessons_datadir (void)
{
    const char *env = g_getenv ("KBSIM_DATADIR");
    g_autofree char *probe = NULL;

    if (env && *env)
        return env;
    probe = g_build_filename (KBSIM_DATADIR, "lessons", NULL);
    if (g_file_test (probe, G_FILE_TEST_IS_DIR))
        return KBSIM_DATADIR;
    return KBSIM_INSTALL_DATADIR;
}

typedef struct {
    SimTime at;
    const char *say;
} Moment;

typedef struct {
    const char *name;
    const char *title;
    const char *workload;           /* whose pod to explain, "node/NAME"
                                     * for a node, or NULL for a lesson
                                     * whose scenario kbsim rejects */
    const char *intro;
    Moment moments[4];
    const char *takeaway;
} Lesson;

static const Lesson lessons[] = {
    { "wrong-os", "A Windows pod with no nodeSelector", "iis",
      "An untainted mixed cluster: two Linux nodes, one Windows Server 2022 "
      "node. The IIS Deployment forgot its nodeSelector, and the scheduler "
      "cannot know what kernel an image needs.",
      { { 30 * SIM_SEC, "The scheduler placed the pods where they fit best, "
          "some on Linux nodes. There, containerd looks for a linux/amd64 "
          "entry in the IIS image index and finds none." },
        { 10 * SIM_MINUTE, "Minutes later nothing has changed: the pod stays "
          "bound to its Linux node, retrying the pull with a back-off "
          "growing to 5 minutes. Kubernetes never moves it." } },
      "Every Windows pod needs nodeSelector kubernetes.io/os: windows (and "
      "every Linux pod the reverse, or a taint on the Windows nodes)." },
    { "daemonset-taint", "A Linux DaemonSet on Windows nodes", "log-agent",
      "A log agent DaemonSet without a nodeSelector: it wants one pod on "
      "every node it tolerates, and the Windows nodes are not tainted.",
      { { 1 * SIM_MINUTE, "One agent pod per node, the Windows ones "
          "included. On those, the Debian image has no windows entry." },
        { 15 * SIM_MINUTE, "The Windows agents stay in ImagePullBackOff. "
          "Tainting the Windows pool os=windows:NoSchedule keeps every pod "
          "without the toleration off it: add taints to the pool in the "
          "lesson's scenario (scenarios/KEYS.md) and run it with kbsim run."
        } },
      "Taint Windows pools (os=windows:NoSchedule) so that only pods that "
      "say they are Windows pods land there." },
    { "taint-no-toleration", "The taint without the toleration", "iis",
      "The Windows pool is tainted as the Kubernetes docs recommend; the "
      "IIS Deployment selects Windows nodes but forgot the toleration.",
      { { 30 * SIM_SEC, "No node passes: the Linux nodes fail NodeAffinity, "
          "the Windows nodes fail TaintToleration first (filters run in "
          "order, and a node records only its first failure)." } },
      "A Windows pod needs both: the nodeSelector and a toleration for "
      "os=windows:NoSchedule (a RuntimeClass can carry both)." },
    { "upgrade-single-build", "A Windows node upgrade under a single-build "
      "image", "shop",
      "Two Windows Server 2019 nodes run the shop; its image index has only "
      "a 10.0.17763 entry. At 30 minutes the pool is re-imaged to Windows "
      "Server 2022, one node at a time.",
      { { 25 * SIM_MINUTE, "Before the upgrade everything runs." },
        { 55 * SIM_MINUTE, "The upgraded nodes run build 20348. Under "
          "process isolation a 2022 host runs only 2022 images: the "
          "evicted pods come back, land on upgraded nodes, and cannot "
          "pull." } },
      "Rebuild images for the new build and publish a multi-build index "
      "before upgrading Windows nodes." },
    { "hyperv-runtimeclass", "A RuntimeClass asking for Hyper-V isolation",
      "legacy",
      "An app is given a RuntimeClass whose handler asks for Hyper-V "
      "isolation, which outside Kubernetes lets a host run images of "
      "older builds.",
      { { 2 * SIM_MINUTE, "The pod is scheduled, but its sandbox never "
          "starts: Kubernetes supports only process isolation on Windows, "
          "so the node's containerd has no runtime for that handler." } },
      "On Kubernetes, Windows containers run process-isolated: the image "
      "must be one the node's build can run (its own build, or one the "
      "compatibility matrix allows), and Hyper-V is no way around it." },
    { "single-manifest", "A Windows node upgrade under a single-manifest "
      "image", "legacy",
      "An image pushed as a single manifest (no image index) for Windows "
      "Server 2019 runs on a 2019 node. At 10 minutes the node is re-imaged "
      "to Windows Server 2022.",
      { { 5 * SIM_MINUTE, "Before the upgrade the pod runs: the image's "
          "build is the host's." },
        { 30 * SIM_MINUTE, "containerd checks platforms only inside an "
          "image index: a single manifest is pulled whatever it is built "
          "for. So the pull on the upgraded node succeeds, and the failure "
          "comes later, when the container is created: 0xc0370101, the "
          "container OS does not match the host (CreateContainerError)." } },
      "Publish Windows images as an index with os.version set, so that a "
      "mismatch fails fast at pull with a clear message; rebuild them "
      "before upgrading nodes." },
    { "pause-wrong-build", "The pause image of the wrong build", "web",
      "The node's runtime is configured with a pause (sandbox) image built "
      "only for Windows Server 2019; the node runs 2022.",
      { { 3 * SIM_MINUTE, "Every pod needs its sandbox first, and the "
          "sandbox image is subject to the same build rule: the pod stays in "
          "ContainerCreating with FailedCreatePodSandBox, retried with "
          "back-off." } },
      "Use a multi-arch pause image with an entry for every Windows build "
      "in the cluster (registry.k8s.io/pause carries them)." },
    { "linux-only-fields", "A Windows pod with Linux-only securityContext",
      "ported",
      "A Deployment ported from Linux says it is a Windows pod (spec.os.name: "
      "windows) but keeps runAsUser and privileged.",
      { { 1 * SIM_MINUTE, "The API server rejects such pods when they are "
          "created: the ReplicaSet reports FailedCreate and not a single pod "
          "exists." } },
      "On Windows use securityContext.windowsOptions (runAsUserName, "
      "hostProcess) instead of the Linux fields." },
    { "skew-blocked-upgrade", "A control-plane upgrade blocked by an old "
      "kubelet", "node/win-0",
      "The control plane runs 1.30; the Windows pool's kubelets are still at "
      "1.27, three minors behind, the most the skew policy allows.",
      { { 61 * SIM_MINUTE, "At one hour the control plane was to move to "
          "1.31. That would leave the 1.27 kubelets four minors behind: "
          "kubeadm refuses the upgrade (see the UpgradeRefused event)." } },
      "Upgrade kubelets (node pools) before the control plane falls more than "
      "three minors ahead of them." },
    { "windows-control-plane", "A control plane that cannot be Windows",
      NULL,
      "An all-Windows shop plans its cluster with the control plane on "
      "Windows too.",
      { { 0, "The Kubernetes control plane (API server, scheduler, "
          "controller manager, etcd) runs only on Linux, and kbsim refuses "
          "the scenario as a real installation would. Every cluster with "
          "Windows nodes is a mixed cluster: a Linux control plane, or a "
          "managed one whose nodes run Linux, and Windows workers." } },
      "Plan a Linux control plane (or a managed one) from the start; only "
      "worker pools can be Windows." },
    { "slow-scale-out", "A scale-out stalled by 2 GB pulls, and baked "
      "images", "app-cold",
      "The same IIS app on two Windows pools: one pulls the 2.2 GB "
      "servercore base from the registry, one bakes it into the node image.",
      { { 11 * SIM_MINUTE, "At 10 minutes both Deployments scaled from 1 "
          "pod to 6; two fit on a node. A minute later the baked pool runs "
          "all six (its nodes pull only the small IIS layer); on the cold "
          "pool only the node that already held the image runs its pods, "
          "the others are still pulling 2.2 GB over a shared registry link."
          },
        { 13 * SIM_MINUTE, "Two minutes later the cold pool catches up. In "
          "a real scale-out those minutes are capacity you pay for and "
          "cannot use." } },
      "Bake the Windows base images into the node image (prepulled_images), "
      "as AKS does for its Windows VHDs." },
    /* The developer's desktop: Docker Desktop, WSL and Compose. The
     * workload field names the compose file's front end; these lessons
     * print the whole bring-up at once (one moment). */
    { "desktop-linux-daemon", "A mixed compose file on Docker Desktop's "
      "Linux daemon", "frontend",
      "A developer on Windows 11 Pro runs `docker compose up` on a file "
      "with an IIS front end (a Windows Server 2022 image) and two Linux "
      "services. Docker Desktop's default daemon is the Linux one, in a "
      "WSL 2 VM.",
      { { 0, "The Linux services start. The IIS image index has only a "
          "windows/amd64 entry, and the daemon asks for linux/amd64: the "
          "pull fails before anything runs." } },
      "Docker Desktop's Linux daemon runs a Linux kernel in a VM, even on "
      "Windows: Windows images cannot run there." },
    { "desktop-windows-daemon", "The same compose file on the Windows "
      "daemon", "frontend",
      "The developer clicks \"Switch to Windows containers\" and runs the "
      "same file again. Now the daemon is the host's own Windows 11 "
      "kernel.",
      { { 0, "The IIS image would run (Windows 11 accepts Windows Server "
          "2022 images, the stable-ABI exception), but the Linux images "
          "have no windows entry, so their pulls fail, and the front end "
          "waits on a dependency that never starts." } },
      "Switching the daemon moves the failure, it does not remove it: one "
      "daemon runs one kernel's containers." },
    { "desktop-platform-flag", "platform: windows/amd64 on the Linux daemon",
      "frontend",
      "Someone adds `platform: windows/amd64` to the front end, hoping to "
      "force it onto the Linux daemon.",
      { { 0, "The platform key chooses which entry of the image index to "
          "pull, and the windows/amd64 entry is pulled. Running it needs a "
          "Windows kernel, which a Linux engine does not have." } },
      "Compose's platform picks an image variant or architecture; it never "
      "supplies a kernel." },
    { "desktop-side-by-side", "Windows on Docker Desktop, Linux in WSL, "
      "side by side", "frontend",
      "The layout that works: Docker Desktop runs the Windows daemon for "
      "the IIS front end, and a WSL distribution (Ubuntu) runs its own "
      "Linux engine for the API and the cache.",
      { { 0, "Every service starts, on two kernels at once. The front end "
          "reaches the API on the port the WSL side publishes (5000), which "
          "WSL 2 forwards to Windows' localhost." } },
      "Run each kernel's containers on an engine with that kernel, and "
      "connect them through published ports." },
};

static gboolean color;

static const char *
paint (const char *status)
{
    if (!color)
        return "";
    if (strcmp (status, "Running") == 0)
        return "\033[32m";
    if (strstr (status, "BackOff") || strstr (status, "Err")
        || strstr (status, "Error"))
        return "\033[31m";
    return "\033[33m";
}

/* The nodes by OS with their pods, coloured for a terminal when asked. */
static void
show_nodes (GString *out, Cluster *c, gboolean colored)
{
    GPtrArray *nodes = cluster_nodes (c);

    g_string_append (out, "\n  Nodes and their pods:\n");
    for (guint i = 0; i < nodes->len; i++) {
        const Node *n = g_ptr_array_index (nodes, i);

        if (n->state == NODE_GONE)
            continue;
        g_string_append_printf (out, "    %-8s %-10s",
                                platform_os_name (n->os), n->name);
        for (guint k = 0; k < n->pods->len; k++) {
            const Pod *p = g_ptr_array_index (n->pods, k);
            const char *st = cluster_pod_status (p);

            g_string_append_printf (out, " %s%s:%s%s",
                                    colored ? paint (st) : "", p->name, st,
                                    colored ? "\033[0m" : "");
        }
        g_string_append (out, "\n");
    }
}

typedef struct {
    GPtrArray *shown;               /* event lines since the last moment */
    GHashTable *by_object;          /* object -> GPtrArray of event lines
                                     * for explain_pod() */
} DemoLog;

static void
demo_sink (const ClusterEvent *ev, gpointer data)
{
    DemoLog *log = data;
    char t[SIM_TIME_FORMAT_SIZE];

    g_ptr_array_add (log->shown, g_strdup_printf (
        "%-15s %-7s %-22s %s/%s: %s", sim_time_format (ev->time, t),
        ev->type, ev->reason, ev->kind, ev->object, ev->message));
    {
        GPtrArray *lines = g_hash_table_lookup (log->by_object, ev->object);

        if (lines == NULL) {
            lines = g_ptr_array_new_with_free_func (g_free);
            g_hash_table_insert (log->by_object, g_strdup (ev->object),
                                 lines);
        }
        g_ptr_array_add (lines, g_strdup_printf (
            "%" G_GINT64_FORMAT "\t%s\t%s\t%s", ev->time, ev->type,
            ev->reason, ev->message));
    }
}

/* The pod of the lesson's workload most worth explaining: one in
 * back-off or whose sandbox fails, else one waiting, else the first. */
static const Pod *
focus_pod (Cluster *c, const char *workload)
{
    GPtrArray *pods = cluster_pods (c);
    const Pod *waiting = NULL, *first = NULL;

    for (guint i = 0; i < pods->len; i++) {
        const Pod *p = g_ptr_array_index (pods, i);

        if (p == NULL || strcmp (p->workload->spec->name, workload) != 0
            || p->phase == POD_FAILED)
            continue;
        if (first == NULL)
            first = p;
        if (cluster_pod_column (p) == POD_COL_BACKOFF
            || p->reason == POD_REASON_CREATE_POD_SANDBOX_ERROR)
            return p;
        if (p->phase == POD_PENDING && waiting == NULL)
            waiting = p;
    }
    return waiting ? waiting : first;
}

/* (transfer full): the explain command and its answer for a node. */
static char *
explain_focus_node (Cluster *c, const char *name, const char *path,
                    SimTime at)
{
    const Node *node = cluster_find_node (c, name);
    char t[SIM_TIME_FORMAT_SIZE];
    g_autofree char *text = NULL;

    if (node == NULL)
        return NULL;
    text = explain_node (c, node);
    return g_strdup_printf ("$ kbsim explain %s --node %s --at %s\n%s",
                            path, name, sim_time_format (at, t), text);
}

static void
list_lessons (void)
{
    printf ("Lessons (kbsim demo NAME, with --step to pause at each "
            "moment):\n");
    for (gsize i = 0; i < G_N_ELEMENTS (lessons); i++)
        printf ("  %-22s %s\n", lessons[i].name, lessons[i].title);
}

/* The handout a lesson writes with --report: what the terminal shows,
 * without colours, in one section. */
typedef enum {
    HANDOUT_HEADING,
    HANDOUT_PARAGRAPH,
    HANDOUT_CODE
} HandoutKind;

typedef struct {
    ReportSection *sec;         /* NULL without --report */
} Handout;

static void
handout_text (Handout *h, HandoutKind kind, const char *text)
{
    if (h->sec == NULL || text == NULL)
        return;
    if (kind == HANDOUT_CODE)
        report_section_add_code (h->sec, text);
    else if (kind == HANDOUT_HEADING)
        report_section_add_heading (h->sec, text);
    else
        report_section_add_paragraph (h->sec, text);
}

static void
print_title (const Lesson *l)
{
    printf ("%s%s%s\n\n%s\n", color ? "\033[1m" : "", l->title,
            color ? "\033[0m" : "", l->intro);
}

/* A lesson whose story fits one screen: the scenario is refused (the
 * text is the loader's errors) or describes a developer's desktop. */
static void
run_one_screen (const Lesson *l, const char *command, const char *text,
                Handout *h)
{
    g_autofree char *code = g_strdup_printf ("$ %s\n%s", command, text);

    print_title (l);
    printf ("\n%s\n\n%s\n\nTakeaway: %s\n", code, l->moments[0].say,
            l->takeaway);
    handout_text (h, HANDOUT_PARAGRAPH, l->intro);
    handout_text (h, HANDOUT_CODE, code);
    handout_text (h, HANDOUT_PARAGRAPH, l->moments[0].say);
}

/* Runs the cluster to each moment, printing (and collecting for the
 * handout) events, nodes, the narration and the explanation. */
static void
run_moments (const Lesson *l, Run *run, DemoLog *log, const char *path,
             gboolean step, Handout *h)
{
    Cluster *c = run_cluster (run);

    for (gsize m = 0; m < G_N_ELEMENTS (l->moments) && l->moments[m].say;
         m++) {
        g_autoptr (GString) term = g_string_new (NULL);
        g_autoptr (GString) plain = g_string_new (NULL);
        g_autofree char *heading = NULL;
        g_autofree char *why = NULL;
        const Pod *pod;
        char t[SIM_TIME_FORMAT_SIZE];
        guint first;

        if (step) {
            int ch;

            printf ("\n[Enter to run to %s]", sim_time_format (
                l->moments[m].at, t));
            fflush (stdout);
            /* EOF or a read error (stdin closed) ends the wait too,
             * and every later one: the lesson then runs through. */
            while ((ch = getchar ()) != '\n' && ch != EOF)
                ;
            if (ch == EOF)
                step = FALSE;
        }
        run_until (run, l->moments[m].at);
        heading = g_strdup_printf ("At %s", sim_time_format (
            l->moments[m].at, t));
        printf ("\n== %s ==\n", sim_time_format (l->moments[m].at, t));
        g_string_append (plain, "  Events:\n");
        first = log->shown->len > 10 ? log->shown->len - 10 : 0;
        if (first)
            g_string_append_printf (plain, "    (%u earlier)\n", first);
        for (guint i = first; i < log->shown->len; i++)
            g_string_append_printf (plain, "    %s\n",
                                    (char *) g_ptr_array_index (log->shown,
                                                                i));
        g_ptr_array_set_size (log->shown, 0);
        g_string_append (term, plain->str);
        show_nodes (term, c, color);
        show_nodes (plain, c, FALSE);
        printf ("%s\n%s\n", term->str, l->moments[m].say);
        handout_text (h, HANDOUT_HEADING, heading);
        handout_text (h, HANDOUT_CODE, plain->str);
        handout_text (h, HANDOUT_PARAGRAPH, l->moments[m].say);
        if (l->workload == NULL)
            continue;
        if (g_str_has_prefix (l->workload, "node/")) {
            why = explain_focus_node (c, l->workload + 5, path,
                                      l->moments[m].at);
        } else if ((pod = focus_pod (c, l->workload)) != NULL) {
            g_autoptr (GPtrArray) none = g_ptr_array_new ();
            GPtrArray *lines = g_hash_table_lookup (log->by_object,
                                                    pod->name);
            g_autofree char *text = explain_pod (c, pod, lines ? lines
                                                                : none);

            why = g_strdup_printf ("$ kbsim explain %s --pod %s --at %s\n%s",
                                   path, pod->name, sim_time_format (
                                       l->moments[m].at, t), text);
        }
        if (why) {
            printf ("\n%s", why);
            handout_text (h, HANDOUT_CODE, why);
        }
    }
}

static int
write_handout (const Lesson *l, const char *report, const char *path,
               const Scenario *s, Run *run, Handout *h)
{
    const char *charts[4] = { NULL };
    guint n_charts = 0;
    g_autoptr (GPtrArray) sections = g_ptr_array_new_with_free_func (
        (GDestroyNotify) report_section_free);
    g_autoptr (GError) error = NULL;
    g_autofree char *text = NULL;
    g_autofree char *takeaway = g_strdup_printf ("Takeaway: %s",
                                                 l->takeaway);
    const RunSummary *sum;
    RunData *rd = NULL;
    gboolean ok;

    handout_text (h, HANDOUT_PARAGRAPH, takeaway);
    g_ptr_array_add (sections, g_steal_pointer (&h->sec));
    g_file_get_contents (path, &text, NULL, NULL);
    if (run != NULL) {
        /* the charts cover the lesson's whole scenario */
        run_execute (run);
        sum = run_summary (run);
        /* only the charts that have something to show */
        if (sum->arrived[KB_OS_WINDOWS] > 0)
            charts[n_charts++] = "phases-windows";
        if (sum->arrived[KB_OS_LINUX] > 0)
            charts[n_charts++] = "phases-linux";
        if (sum->reasons->len > 0)
            charts[n_charts++] = "reasons";
        rd = rundata_from_run (run_cluster (run), run_metrics (run), sum);
    }
    ok = report_write_handout (report, s, rd, l->title, sections,
                               (const char *const *) charts, text, &error);
    rundata_free (rd);
    if (!ok)
        return cmd_input_error (error);
    printf ("\nHandout: %s\n", report);
    return KB_EXIT_OK;
}

static int
run_lesson (const Lesson *l, gboolean step, const char *report)
{
    g_autofree char *path = g_strdup_printf ("%s/lessons/%s.yaml",
                                             lessons_datadir (), l->name);
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = scenario_load (path, NULL, &error);
    Handout h = { NULL };
    DemoLog log;
    Run *run;
    int status;

    if (report)
        h.sec = report_section_new ("The lesson");
    if (s == NULL && l->workload == NULL
        && g_error_matches (error, KB_SCENARIO_ERROR,
                            KB_SCENARIO_ERROR_INVALID)) {
        /* The lesson is the refusal itself (not a file that is missing). */
        g_autofree char *cmd = g_strdup_printf ("kbsim validate %s", path);

        run_one_screen (l, cmd, error->message, &h);
        return report ? write_handout (l, report, path, NULL, NULL, &h)
                      : KB_EXIT_OK;
    }
    if (s == NULL) {
        report_section_free (h.sec);
        return cmd_input_error (error);
    }
    if (s->dev_host != NULL) {
        g_autofree char *text = desktop_report (s);
        g_autofree char *cmd = g_strdup_printf ("kbsim run %s", path);

        run_one_screen (l, cmd, text, &h);
        return report ? write_handout (l, report, path, s, NULL, &h)
                      : KB_EXIT_OK;
    }
    log.shown = g_ptr_array_new_with_free_func (g_free);
    log.by_object = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_ptr_array_unref);
    print_title (l);
    handout_text (&h, HANDOUT_PARAGRAPH, l->intro);
    /* samples only for the handout's charts */
    run = run_new (s, 0, report ? RUN_FLAGS_NONE : RUN_NO_SAMPLES);
    run_set_event_sink (run, demo_sink, &log);
    run_moments (l, run, &log, path, step, &h);
    printf ("\nTakeaway: %s\n", l->takeaway);
    status = report ? write_handout (l, report, path, s, run, &h)
                    : KB_EXIT_OK;
    run_free (run);
    g_ptr_array_unref (log.shown);
    g_hash_table_unref (log.by_object);
    return status;
}

int
cmd_demo (int argc, char **argv)
{
    gboolean step = FALSE, autorun = FALSE, plain = FALSE;
    g_autofree char *report = NULL;
    GOptionEntry entries[] = {
        { "report", 0, 0, G_OPTION_ARG_FILENAME, &report,
          "Also write a PDF handout of the lesson with its charts", "FILE" },
        { "step", 0, 0, G_OPTION_ARG_NONE, &step,
          "Wait for Enter at each moment", NULL },
        { "auto", 0, 0, G_OPTION_ARG_NONE, &autorun,
          "Run through without waiting", NULL },
        { "plain", 0, 0, G_OPTION_ARG_NONE, &plain,
          "No colours, even on a terminal", NULL },
        G_OPTION_ENTRY_NULL
    };
    g_autoptr (GOptionContext) ctx = g_option_context_new (
        "[LESSON] - narrated lessons on the kernel barrier");

    g_option_context_add_main_entries (ctx, entries, NULL);
    g_option_context_set_description (ctx,
        "Without LESSON, lists the lessons. Each runs a scenario from "
        "scenarios/lessons/\nto its interesting moments, shows the events "
        "and the nodes, and explains. --report writes a PDF handout of it: the "
        "\nnarration, what the terminal showed at each moment, the run's "
        "charts and the\nscenario.\n\nExamples:\n  kbsim demo wrong-os "
        "--step\n  kbsim demo wrong-os --auto --report wrong-os.pdf");
    if (!cmd_parse_options (ctx, "demo", &argc, &argv))
        return KB_EXIT_USAGE;
    color = !plain && isatty (STDOUT_FILENO);
    if (argc < 2 && report)
        return cmd_usage_error ("demo", "--report needs a LESSON");
    if (argc < 2) {
        list_lessons ();
        return KB_EXIT_OK;
    }
    if (argc > 2)
        return cmd_usage_error ("demo", "one lesson at a time; unexpected "
                                "'%s'", argv[2]);
    for (gsize i = 0; i < G_N_ELEMENTS (lessons); i++)
        if (strcmp (lessons[i].name, argv[1]) == 0)
            return run_lesson (&lessons[i], step && !autorun, report);
    return cmd_usage_error ("demo", "no lesson named '%s' (run 'kbsim demo' "
                            "for the list)", argv[1]);
}
