/* cmd-validate.c: `kbsim validate SCENARIO`: check and summarise.
 *
 * Prints every error with its file:line:col and exits 2, or prints the
 * one-screen summary of what the scenario contains and exits 0.
 */
#include <stdio.h>

#include "models/catalog.h"
#include "models/precheck.h"
#include "models/run.h"
#include "scenarios/scenario.h"
#include "cmd/cmd.h"

static void
print_instances (void)
{
    gsize n;
    const CatalogInstance *inst = catalog_instances (&n);

    printf ("%-20s %-6s %5s %8s %9s %9s %11s %11s\n", "INSTANCE", "CLOUD",
            "VCPU", "MEMORY", "PODS-LNX", "PODS-WIN", "LINUX $/H",
            "WINDOWS $/H");
    for (gsize i = 0; i < n; i++)
        printf ("%-20s %-6s %5u %6.0fGi %9u %9u %11.4f %11.4f\n",
                inst[i].name, inst[i].provider, inst[i].vcpu,
                inst[i].memory_gib, inst[i].max_pods_linux,
                inst[i].max_pods_windows, inst[i].linux_per_hour,
                inst[i].linux_per_hour
                    + inst[i].windows_surcharge_per_vcpu_hour * inst[i].vcpu);
}

static void
print_images (void)
{
    gsize n;
    const CatalogImage *img = catalog_images (&n);

    for (gsize i = 0; i < n; i++) {
        printf ("%s\n", img[i].name);
        for (guint j = 0; j < img[i].n_manifests; j++) {
            const CatalogManifest *m = &img[i].manifests[j];
            gint64 size = 0;

            for (guint k = 0; k < m->n_layers; k++)
                size += m->layers[k].size;
            printf ("    %s/%s%s%s  %.1f MB in %u layer%s\n", m->os, m->arch,
                    m->os_version ? " " : "",
                    m->os_version ? m->os_version : "", size / 1e6,
                    m->n_layers, m->n_layers == 1 ? "" : "s");
        }
    }
}

static const char validate_usage[] =
    "SCENARIO - check a scenario and summarise it";

/* The workloads no pool can run (precheck.h): valid YAML, but pods that
 * no node count will place, each with where it is written. */
static void
print_unplaceable (const Scenario *s)
{
    g_autoptr (Run) run = run_new (s, 0, RUN_NO_SAMPLES);
    g_autoptr (GPtrArray) found = precheck_unplaceable (run_cluster (run));

    for (guint i = 0; i < found->len; i++) {
        const PrecheckFinding *f = g_ptr_array_index (found, i);
        const KbWorkloadSpec *w = scenario_find_workload (s, f->workload);

        if (i == 0)
            printf ("\nWorkloads no pool can run (no node count places "
                    "their pods):\n");
        if (w && w->loc.file)
            printf ("  %s:%u:%u: ", w->loc.file, w->loc.line, w->loc.col);
        else
            printf ("  ");
        printf ("%s: %s. %s\n", f->workload, f->why, f->fix);
    }
}

static const char validate_description[] =
    "Reads SCENARIO (YAML; keys in scenarios/KEYS.md) with the Kubernetes "
    "manifests\nand node lists it references, and reports every mistake "
    "as file:line:col.\nExit status: 0 valid, 2 errors.\n\n"
    "Example:\n  kbsim validate scenarios/demo.yaml --set "
    "node_pools.win2019.count=10";

int
cmd_validate (int argc, char **argv)
{
    g_auto (GStrv) sets = NULL;
    gboolean quiet = FALSE, instances = FALSE, images = FALSE;
    GOptionEntry entries[] = {
        { "instances", 0, 0, G_OPTION_ARG_NONE, &instances,
          "List the built-in instance types and exit", NULL },
        { "images", 0, 0, G_OPTION_ARG_NONE, &images,
          "List the built-in image catalogue and exit", NULL },
        { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
          "Override a value by path, e.g. node_pools.win2019.count=10 "
          "(repeatable)", "PATH=VALUE" },
        { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
          "Print nothing when the scenario is valid", NULL },
        G_OPTION_ENTRY_NULL
    };
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = NULL;

    if (!cmd_parse ("validate", validate_usage, entries, validate_description,
                    &argc, &argv))
        return KB_EXIT_USAGE;
    if (instances || images) {
        if (instances)
            print_instances ();
        if (images)
            print_images ();
        return KB_EXIT_OK;
    }
    if (argc != 2)
        return cmd_usage_error ("validate", argc < 2
                                ? "missing SCENARIO (a YAML file)"
                                : "expected one SCENARIO, got %d", argc - 1);
    s = scenario_load (argv[1], (const char *const *) sets, &error);
    if (s == NULL)
        return cmd_input_error (error);
    if (!quiet) {
        g_autofree char *text = scenario_describe (s);

        fputs (text, stdout);
        print_unplaceable (s);
        printf ("\n%s: valid\n", argv[1]);
    }
    return KB_EXIT_OK;
}
