/* experiment-private.h: what experiment.c and ranks.c share, for no one
 * else: the rows of a result, one replication run into its row, and the
 * master's side of a batch spread over MPI ranks.
 */
#ifndef KBSIM_EXPERIMENT_PRIVATE_H
#define KBSIM_EXPERIMENT_PRIVATE_H

#include "experiments/experiment.h"

G_BEGIN_DECLS

/* A result of n rows for replications first..first+n-1 of s, each series
 * n_samples and n_buckets long and NaN until a row is run.
 * (transfer full): exp_result_free(). */
ExpResult *exp__result_new (const Scenario *s, guint n, guint first,
                            guint n_samples, guint n_buckets);
/* The series lengths a batch of that many replications of s keeps. */
guint      exp__samples_for (const Scenario *s, guint replications);
guint      exp__buckets_for (const Scenario *s, guint replications);

/* Runs replication r->first + rep of r->scenario into row rep of r, with
 * its events to sink (or NULL); *keep, when keep is not NULL, receives
 * the Run ((transfer full): run_free()). Returns whether the run
 * conserved its pods. Thread-safe for distinct rows. */
gboolean   exp__replicate (ExpResult *r, guint rep, ClusterEventFunc sink,
                           gpointer sink_data, Run **keep);

/* ---- rank 0's side of a batch (ranks.c) ---------------------------------- */

/* Hands out the next task (scenario, row); FALSE when none is left. */
typedef gboolean (*ExpTakeFunc) (gpointer data, guint *scenario,
                                 guint *rep);
/* A task run elsewhere is in its row now. */
typedef void (*ExpDoneFunc) (gpointer data, guint scenario,
                             gboolean conserved);

typedef struct ExpRanksBatch ExpRanksBatch;

/* NULL when this process is alone (no mpirun, or one rank): the batch
 * then runs on its threads only. jobs: the batch's --jobs (0: each rank
 * its own cores). (transfer full): exp__ranks_batch_free(). */
ExpRanksBatch *exp__ranks_batch_new (const ExpSource *sources,
                                     ExpResult **results, guint n,
                                     guint jobs, ExpTakeFunc take,
                                     ExpDoneFunc done, gpointer data);
/* Receives what the ranks sent, without blocking, and gives each rank
 * with room more tasks from take. A result goes into its row of the
 * batch's results, then to done. Returns TRUE, and sets *error ((transfer
 * full)) unless it is set already, when a rank reported an error: take
 * should then hand out nothing more; the tasks in flight still finish.
 * Call from the thread that called exp_ranks_init() only. */
gboolean exp__ranks_serve_batch (ExpRanksBatch *rb, char **error);
/* Tasks sent and not yet answered. */
guint    exp__ranks_in_flight (const ExpRanksBatch *rb);
void     exp__ranks_batch_free (ExpRanksBatch *rb);

G_END_DECLS

#endif
