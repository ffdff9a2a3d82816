/* fuzz-targets.c: see fuzz-targets.h. */
#include "tests/support/fuzz-targets.h"

#include <string.h>

#include "models/cron.h"
#include "models/run.h"
#include "scenarios/scenario.h"
#include "scenarios/ytree.h"
#include "sim/units.h"

/* The input as a NUL-terminated string (a parser's view). */
static char *
as_text (const uint8_t *data, size_t len)
{
    return g_strndup ((const char *) data, len);
}

void
fuzz_yaml (const uint8_t *data, size_t len)
{
    g_autoptr (GError) error = NULL;
    YTree *tree = ytree_load_data ((const char *) data, len, "fuzz.yaml",
                                   &error);

    ytree_free (tree);
}

/* The first byte picks the parser, the rest is its text. */
void
fuzz_units (const uint8_t *data, size_t len)
{
    g_autofree char *text = NULL;
    g_autoptr (GError) error = NULL;
    gint64 i;
    double d;

    if (len == 0)
        return;
    text = as_text (data + 1, len - 1);
    switch (data[0] % 8) {
    case 0: units_parse_duration (text, &i, &error); break;
    case 1: units_parse_cpu (text, &i, &error); break;
    case 2: units_parse_bytes (text, &i, &error); break;
    case 3: units_parse_bandwidth (text, &d, &error); break;
    case 4: units_parse_decimal (text, &d, &error); break;
    case 5: units_parse_rate (text, &d, &error); break;
    case 6: units_parse_fraction (text, &d, &error); break;
    default:
        /* formatting: the text's bytes read as a double */
        if (len >= 1 + sizeof d) {
            memcpy (&d, data + 1, sizeof d);
            g_free (units_format_value ((UnitsValueFormat) (data[0] % 5),
                                        d, d / 7));
        }
        break;
    }
}

/* A schedule, then its next few fire times in UTC and in a zone with
 * daylight saving. */
void
fuzz_cron (const uint8_t *data, size_t len)
{
    g_autofree char *text = as_text (data, len);
    g_autoptr (GError) error = NULL;
    g_autoptr (CronSchedule) cron = NULL;
    GTimeZone *zones[2];
    guint offset = 0;

    cron = cron_schedule_parse (text, &offset, &error);
    if (cron == NULL)
        return;
    zones[0] = g_time_zone_new_utc ();
    zones[1] = g_time_zone_new_identifier ("America/New_York");
    for (guint z = 0; z < 2; z++) {
        gint64 t = 1704067200;  /* 2024-01-01 00:00 UTC */

        for (guint k = 0; zones[z] && k < 4; k++)
            if (!cron_schedule_next (cron, zones[z], t, &t))
                break;
        if (zones[z])
            g_time_zone_unref (zones[z]);
    }
}

/* Whether a loaded scenario is small enough to simulate in a fuzzing
 * budget: few nodes, few pods, a short run. Larger ones are only
 * loaded (their bounds are the loader's business). */
static gboolean
small (const Scenario *s)
{
    gint64 nodes = 0, pods = 0;

    if (s->dev_host != NULL || s->duration > 6 * SIM_HOUR)
        return FALSE;
    for (guint i = 0; i < s->pools->len; i++)
        nodes += ((const KbPoolSpec *) g_ptr_array_index (s->pools, i))->count;
    for (guint i = 0; i < s->workloads->len; i++)
        pods += ((const KbWorkloadSpec *) g_ptr_array_index (s->workloads,
                                                             i))->replicas;
    return nodes <= 20 && pods <= 100;
}

/* Loads the bytes as a scenario; what loads is described, and a small
 * one simulated, so the models see fuzzed values. */
void
fuzz_scenario (const uint8_t *data, size_t len)
{
    g_autoptr (GError) error = NULL;
    g_autoptr (Scenario) s = scenario_load_data ("fuzz.yaml",
                                                 (const char *) data, len,
                                                 NULL, &error);

    if (s == NULL)
        return;
    g_free (scenario_describe (s));
    if (small (s)) {
        Run *run = run_new (s, 0, RUN_NO_SAMPLES);

        run_until (run, s->duration);
        run_free (run);
    }
}

/* Each line of the input is a --set override on a fixed scenario. */
void
fuzz_set (const uint8_t *data, size_t len)
{
    static const char base[] =
        "name: fuzz-set\n"
        "duration: 1h\n"
        "control_plane: {version: \"1.31\"}\n"
        "node_pools:\n"
        "  - {name: lnx, os: linux, count: 2, instance: m5.xlarge}\n"
        "workloads:\n"
        "  - name: web\n"
        "    kind: Deployment\n"
        "    replicas: 2\n"
        "    template:\n"
        "      containers: [{name: w, image: nginx:1.27}]\n";
    g_autofree char *text = as_text (data, len);
    g_auto (GStrv) sets = g_strsplit (text, "\n", 16);
    g_autoptr (GError) error = NULL;
    Scenario *s = scenario_load_data ("fuzz-set.yaml", base, sizeof base - 1,
                                      (const char *const *) sets, &error);

    if (s != NULL)
        scenario_free (s);
}

FuzzTarget
fuzz_target_find (const char *name)
{
    static const struct {
        const char *name;
        FuzzTarget fn;
    } targets[] = {
        { "yaml", fuzz_yaml },
        { "units", fuzz_units },
        { "cron", fuzz_cron },
        { "scenario", fuzz_scenario },
        { "set", fuzz_set },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (targets); i++)
        if (strcmp (name, targets[i].name) == 0)
            return targets[i].fn;
    return NULL;
}
