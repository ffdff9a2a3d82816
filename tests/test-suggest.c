/* test-suggest.c: edit distance and "did you mean" choices. */
#include <string.h>

#include <glib.h>

#include "sim/suggest.h"

static void
test_distance (void)
{
    static const struct {
        const char *a, *b;
        guint d;
    } cases[] = {
        { "", "", 0 },
        { "abc", "abc", 0 },
        { "", "abc", 3 },
        { "tolerration", "tolerations", 2 },
        { "mrc", "mcr", 1 },              /* a transposition counts one */
        { "windwos", "windows", 1 },
        { "kitten", "sitting", 3 },
        { "Jobb", "Job", 1 },
    };

    g_test_summary ("optimal-string-alignment distance on known pairs");
    for (gsize i = 0; i < G_N_ELEMENTS (cases); i++) {
        g_assert_cmpuint (suggest_distance (cases[i].a, cases[i].b), ==,
                          cases[i].d);
        g_assert_cmpuint (suggest_distance (cases[i].b, cases[i].a), ==,
                          cases[i].d);
    }
}

static void
test_closest (void)
{
    static const char *const keys[] = { "tolerations", "nodeSelector",
                                        "containers", "affinity", NULL };

    g_test_summary ("suggestions only for plausible typos");
    g_assert_cmpstr (suggest_closest ("tolerration", keys), ==,
                     "tolerations");
    g_assert_cmpstr (suggest_closest ("nodeselector", keys), ==,
                     "nodeSelector");
    g_assert_cmpstr (suggest_closest ("container", keys), ==, "containers");
    g_assert_null (suggest_closest ("volumes", keys));
    g_assert_null (suggest_closest ("x", keys));
}

/* History: a key of megabytes took the O(n*m) distance against every
 * candidate on the error path. Past SUGGEST_MAX_LEN nothing is suggested,
 * even for a candidate one edit away. */
static void
test_long_word (void)
{
    char word[SUGGEST_MAX_LEN + 2], near[SUGGEST_MAX_LEN + 3];
    const char *cands[] = { near, NULL };

    memset (word, 'a', sizeof word - 1);
    word[sizeof word - 1] = '\0';
    memcpy (near, word, sizeof word);
    strcat (near, "b");              /* one insertion away */
    g_assert_null (suggest_closest (word, cands));
    word[SUGGEST_MAX_LEN] = '\0';      /* at the limit: still suggested */
    near[SUGGEST_MAX_LEN] = 'b';
    near[SUGGEST_MAX_LEN + 1] = '\0';
    g_assert_true (suggest_closest (word, cands) == near);
}

int
main (int argc, char **argv)
{
    g_test_init (&argc, &argv, NULL);
    g_test_add_func ("/suggest/distance", test_distance);
    g_test_add_func ("/suggest/closest", test_closest);
    g_test_add_func ("/suggest/long-word", test_long_word);
    return g_test_run ();
}
