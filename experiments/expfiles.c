/* expfiles.c: the files of replications, sweeps, comparisons and the
 * planner: replications.csv and the long-format statistics as CSV and JSON
 * (formats in reports/README.md). Every file goes through output.c.
 */
#include "experiments/expfiles.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reports/output.h"

const char *
expfiles_metric_unit (ExpMetric m)
{
    static const char *const units[] = {
        [EXP_UNIT_SHARE] = "frac", [EXP_UNIT_SECONDS] = "s",
        [EXP_UNIT_PODS] = "pods", [EXP_UNIT_USD] = "usd",
        [EXP_UNIT_BYTES] = "bytes"
    };

    return units[exp_metric_info (m)->unit];
}

/* Finite values with 9 significant digits; an empty cell for none. */
static void
csv_value (FILE *fp, double v)
{
    if (isfinite (v))
        output_csv_double (fp, v, "%.9g");
}

gboolean
expfiles_replications_csv (const char *path, const ExpResult *r,
                           GError **error)
{
    OutputFile *f = output_open (path, error);
    FILE *fp;

    if (f == NULL)
        return FALSE;
    fp = output_stream (f);
    fputs ("replication", fp);
    for (int m = 0; m < EXP_N_METRICS; m++)
        fprintf (fp, ",%s_%s", exp_metric_info (m)->key,
                 expfiles_metric_unit (m));
    fputc ('\n', fp);
    for (guint k = 0; k < r->n; k++) {
        fprintf (fp, "%u", r->first + k);
        for (int m = 0; m < EXP_N_METRICS; m++) {
            fputc (',', fp);
            csv_value (fp, exp_result_value (r, k, m));
        }
        fputc ('\n', fp);
    }
    return output_commit (f, error);
}

gboolean
expfiles_stats_csv (const char *path, const char *const *key_titles,
                    const char *const *const *keys, ExpResult *const *results,
                    guint n, GError **error)
{
    guint n_keys = key_titles ? g_strv_length ((char **) key_titles) : 0;
    OutputFile *f = output_open (path, error);
    FILE *fp;

    if (f == NULL)
        return FALSE;
    fp = output_stream (f);
    for (guint j = 0; j < n_keys; j++) {
        output_csv_text (fp, key_titles[j]);
        fputc (',', fp);
    }
    fputs ("metric,unit,n,mean,sd,ci95_low,ci95_high,min,max\n", fp);
    for (guint i = 0; i < n; i++)
        for (int m = 0; m < EXP_N_METRICS; m++) {
            ExpStats st;

            exp_result_stats (results[i], m, &st);
            for (guint j = 0; j < n_keys; j++) {
                output_csv_text (fp, keys[i][j]);
                fputc (',', fp);
            }
            fprintf (fp, "%s,%s,%u", exp_metric_info (m)->key,
                     expfiles_metric_unit (m), st.n);
            for (int v = 0; v < 6; v++) {
                const double x[] = { st.mean, st.sd, st.lo, st.hi, st.min,
                                     st.max };

                fputc (',', fp);
                csv_value (fp, x[v]);
            }
            fputc ('\n', fp);
        }
    return output_commit (f, error);
}

static void
add_double9 (JsonBuilder *b, const char *key, double v)
{
    if (key != NULL)
        json_builder_set_member_name (b, key);
    if (isfinite (v)) {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        /* through text, so the file does not depend on how the last bits
         * of a double print */
        json_builder_add_double_value (b, g_ascii_strtod (
            g_ascii_formatd (buf, sizeof buf, "%.9g", v), NULL));
    } else {
        json_builder_add_null_value (b);
    }
}

static void
build_point (JsonBuilder *b, const char *const *key_titles,
             const char *const *keys, const ExpResult *r)
{
    json_builder_begin_object (b);
    json_builder_set_member_name (b, "keys");
    json_builder_begin_object (b);
    for (guint j = 0; key_titles && key_titles[j]; j++)
        output_json_string (b, key_titles[j], keys[j]);
    json_builder_end_object (b);
    json_builder_set_member_name (b, "conserved");
    json_builder_add_boolean_value (b, r->conserved);
    json_builder_set_member_name (b, "metrics");
    json_builder_begin_object (b);
    for (int m = 0; m < EXP_N_METRICS; m++) {
        ExpStats st;

        exp_result_stats (r, m, &st);
        json_builder_set_member_name (b, exp_metric_info (m)->key);
        json_builder_begin_object (b);
        output_json_string (b, "unit", expfiles_metric_unit (m));
        output_json_int (b, "n", st.n);
        add_double9 (b, "mean", st.mean);
        add_double9 (b, "sd", st.sd);
        add_double9 (b, "ci95_low", st.lo);
        add_double9 (b, "ci95_high", st.hi);
        add_double9 (b, "min", st.min);
        add_double9 (b, "max", st.max);
        json_builder_set_member_name (b, "values");
        json_builder_begin_array (b);
        for (guint k = 0; k < r->n; k++) {
            double v = exp_result_value (r, k, m);

            if (isfinite (v))
                add_double9 (b, NULL, v);
            else
                json_builder_add_null_value (b);
        }
        json_builder_end_array (b);
        json_builder_end_object (b);
    }
    json_builder_end_object (b);
    json_builder_end_object (b);
}

gboolean
expfiles_stats_json (const char *path, const char *const *key_titles,
                     const char *const *const *keys, ExpResult *const *results,
                     guint n, JsonNode *extra, GError **error)
{
    const Scenario *sc = n > 0 ? results[0]->scenario : NULL;
    g_autoptr (JsonBuilder) b = json_builder_new ();
    g_autoptr (JsonGenerator) gen = json_generator_new ();
    g_autoptr (JsonNode) root = NULL;
    g_autofree char *text = NULL;
    g_autofree char *with_nl = NULL;

    json_builder_begin_object (b);
    output_json_string (b, "kbsim_version", KBSIM_VERSION);
    output_json_string (b, "scenario", sc ? sc->name : NULL);
    output_json_int (b, "seed", sc ? (gint64) sc->seed : 0);
    output_json_int (b, "replications", n > 0 ? results[0]->n : 0);
    output_json_int (b, "first_replication", n > 0 ? results[0]->first : 0);
    json_builder_set_member_name (b, "points");
    json_builder_begin_array (b);
    for (guint i = 0; i < n; i++)
        build_point (b, key_titles, keys ? keys[i] : NULL, results[i]);
    json_builder_end_array (b);
    if (extra != NULL && JSON_NODE_HOLDS_OBJECT (extra)) {
        JsonObject *o = json_node_get_object (extra);
        g_autoptr (GList) members = json_object_get_members (o);

        for (GList *l = members; l; l = l->next) {
            json_builder_set_member_name (b, l->data);
            json_builder_add_value (b, json_node_copy (
                json_object_get_member (o, l->data)));
        }
    }
    json_builder_end_object (b);
    root = json_builder_get_root (b);
    json_generator_set_root (gen, root);
    json_generator_set_pretty (gen, TRUE);
    text = json_generator_to_data (gen, NULL);
    with_nl = g_strconcat (text, "\n", NULL);
    return output_write_file (path, with_nl, -1, error);
}
