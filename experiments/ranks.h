/* ranks.h: one kbsim job spread over the ranks of an MPI job.
 *
 * Under mpirun (or srun), every rank runs main(). exp_ranks_init() tells
 * them apart: rank 0 runs the command as it would alone, and is the only
 * rank that reads the command line, prints or writes a file; every other
 * rank is a worker (exp_ranks_serve()) that runs the replications rank 0
 * hands it, one batch of experiment_run_batch() after another, until
 * rank 0 stops it. So the planner's rounds, a sweep's points and a
 * comparison's variants all spread the same way, and the other ranks
 * need no copy of rank 0's control flow.
 *
 * Started without a launcher (no OMPI_COMM_WORLD_SIZE, PMIX_RANK or
 * PMI_RANK in the environment), nothing here touches MPI: kbsim alone
 * never starts Open MPI's runtime.
 *
 * The protocol, point to point on MPI_COMM_WORLD, each message one
 * serialized GVariant in MPI_BYTE, sent and received by the thread that
 * called exp_ranks_init() only (MPI_THREAD_FUNNELED):
 *
 *   at start  MPI_Gather of each rank's processor count to rank 0
 *   TASK   0 -> w  (batch, scenario, row, replication index, n_samples,
 *                   n_buckets, jobs, path, sets): about 60 bytes plus
 *                   the path and the --set lines
 *   RESULT w -> 0  (batch, scenario, row, conserved, the metrics, the
 *                   six series): 16 x 8 bytes plus 8 bytes per sample
 *                   and bucket per series
 *   ERROR  w -> 0  (batch, scenario, message)
 *   STOP   0 -> w  empty: the worker finalizes and exits 0
 *
 * Rank 0 keeps each worker's threads busy plus one task queued, and
 * hands the next task to whichever rank answers first (dynamic
 * assignment: runs differ in cost by large factors).
 */
#ifndef KBSIM_RANKS_H
#define KBSIM_RANKS_H

#include <glib.h>

G_BEGIN_DECLS

/* Starts MPI when a launcher started this process (and only then),
 * which may take MPI's own arguments out of argc/argv. Returns TRUE when
 * this process is a worker, which should then call exp_ranks_serve()
 * and nothing else. Call once, from main(), before any thread starts. A
 * kbsim built without MPI, started as one of several ranks, says so on
 * rank 0 and exits with status 2. */
gboolean exp_ranks_init (int *argc, char ***argv);

/* The number of ranks (1 alone) and this process's rank (0 alone). */
int      exp_ranks_size (void);
int      exp_ranks_rank (void);

/* A worker's life: serves tasks until rank 0 sends STOP, then
 * finalizes MPI. Returns the exit status (0). */
int      exp_ranks_serve (void);

/* Rank 0: stops the workers and finalizes MPI; nothing when MPI was not
 * started or is finished already. main() calls it before returning, and
 * an exit() elsewhere reaches it through atexit(). */
void     exp_ranks_finish (void);

/* Rank 0, when a rank could not do its share: calls the fail hook (if
 * one is set), prints "kbsim: message" once, stops the workers and
 * exits with status 2 (usage or input error). */
G_GNUC_NORETURN
void     exp_ranks_fail (const char *message);

/* What exp_ranks_fail() calls first: a command that opened output files
 * before its batch removes them there, so that a failed job leaves no
 * partial file. One hook at a time; func NULL clears it. */
typedef void (*ExpRanksFailHook) (gpointer data);
void     exp_ranks_set_fail_hook (ExpRanksFailHook func, gpointer data);

G_END_DECLS

#endif
