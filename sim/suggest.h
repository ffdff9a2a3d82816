/* suggest.h: "did you mean ...?" for misspelt keys, commands and names.
 *
 * Low level: knows no Kubernetes; callers bring the names to choose from.
 */
#ifndef KBSIM_SUGGEST_H
#define KBSIM_SUGGEST_H

#include <glib.h>

G_BEGIN_DECLS

/* Words longer than this get no suggestion: no typo is that long. */
#define SUGGEST_MAX_LEN 256

/* Edit distance between a and b: insert, delete, substitute, or swap two
 * adjacent characters, each counting one. */
guint suggest_distance (const char *a, const char *b);

/* The candidate closest to word, if it is close enough to be a plausible
 * typo (distance at most 1 + strlen(word) / 4, and smaller than word), else
 * NULL; NULL too when word is longer than SUGGEST_MAX_LEN. Ties go to the
 * earlier candidate. candidates ends with NULL.
 * (transfer none): one of candidates. */
const char *suggest_closest (const char *word,
                             const char *const *candidates);

G_END_DECLS

#endif
