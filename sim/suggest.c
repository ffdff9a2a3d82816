/* suggest.c: nearest-name suggestions for error messages.
 *
 * Optimal-string-alignment distance (Levenshtein plus adjacent
 * transpositions, so "mrc" is one step from "mcr"), O(|a|·|b|) time and
 * memory; words longer than SUGGEST_MAX_LEN get no suggestion and
 * candidates whose length alone puts them out of reach are skipped, so the
 * cost stays small on hostile input.
 */
#include "sim/suggest.h"

#include <string.h>

guint
suggest_distance (const char *a, const char *b)
{
    gsize la = strlen (a), lb = strlen (b), w = lb + 1;
    g_autofree guint *d = g_new (guint, (la + 1) * w);

    for (gsize i = 0; i <= la; i++)
        d[i * w] = (guint) i;
    for (gsize j = 0; j <= lb; j++)
        d[j] = (guint) j;
    for (gsize i = 1; i <= la; i++)
        for (gsize j = 1; j <= lb; j++) {
            guint best = d[(i - 1) * w + j - 1] + (a[i - 1] != b[j - 1]);

            best = MIN (best, d[(i - 1) * w + j] + 1);
            best = MIN (best, d[i * w + j - 1] + 1);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2]
                && a[i - 2] == b[j - 1])
                best = MIN (best, d[(i - 2) * w + j - 2] + 1);
            d[i * w + j] = best;
        }
    return d[la * w + lb];
}

const char *
suggest_closest (const char *word, const char *const *candidates)
{
    const char *best = NULL;
    guint best_d = G_MAXUINT;
    gsize len = strlen (word);
    guint limit = 1 + (guint) len / 4;

    /* A typo is short: past SUGGEST_MAX_LEN there is no suggestion, so a
     * hostile key of megabytes costs nothing here. */
    if (len > SUGGEST_MAX_LEN)
        return NULL;
    for (gsize i = 0; candidates[i]; i++) {
        gsize clen = strlen (candidates[i]);
        guint d;

        /* the distance is at least the difference in length */
        if ((clen > len ? clen - len : len - clen) > limit)
            continue;
        d = suggest_distance (word, candidates[i]);

        if (d < best_d) {
            best = candidates[i];
            best_d = d;
        }
    }
    if (best_d > limit || best_d >= strlen (word))
        return NULL;
    return best;
}
