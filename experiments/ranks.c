/* ranks.c: rank 0 handing a batch's replications to the other ranks, and
 * the workers' loop. See ranks.h.
 *
 * Neither side ever blocks inside MPI while it has work: Open MPI's
 * blocking calls poll the network on a core until the message comes,
 * which on a node whose cores all run simulations would take one away
 * from them. So rank 0 looks for messages with MPI_Iprobe between its
 * own threads' completions (experiment.c waits 1 ms at a time), a worker
 * between its threads' results, and a worker sends its results with
 * MPI_Isend, so that a blocking MPI_Send of rank 0 (tasks are small and
 * go eagerly anyway) always finds its receiver polling. A worker with
 * nothing to do sleeps a millisecond between probes.
 *
 * Only the thread that called MPI_Init_thread calls MPI
 * (MPI_THREAD_FUNNELED): rank 0's calling thread, a worker's main
 * thread. The simulations run on GLib thread pools and hand their rows
 * to that thread through a GAsyncQueue.
 */
#include "experiments/ranks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "experiments/experiment-private.h"

#ifdef KBSIM_HAVE_MPI
#include <mpi.h>
#endif

/* The exit status of a usage or input error (cmd/cmd.h's KB_EXIT_USAGE,
 * which this floor cannot see). */
#define RANKS_EXIT_INPUT 2

enum {
    TAG_TASK = 1,
    TAG_RESULT,
    TAG_ERROR,
    TAG_STOP
};

#define TASK_TYPE   "(uuuuuuusas)"
#define RESULT_TYPE "(uuubadad)"
#define RESULT_FORMAT "(uuub@ad@ad)"
#define ERROR_TYPE  "(uus)"

static int ranks_rank;
static int ranks_size = 1;
static ExpRanksFailHook fail_hook;
static gpointer fail_hook_data;

void
exp_ranks_set_fail_hook (ExpRanksFailHook func, gpointer data)
{
    fail_hook = func;
    fail_hook_data = data;
}

/* The fail hook, once. */
static void
run_fail_hook (void)
{
    ExpRanksFailHook func = fail_hook;

    fail_hook = NULL;
    if (func != NULL)
        func (fail_hook_data);
}

int
exp_ranks_size (void)
{
    return ranks_size;
}

int
exp_ranks_rank (void)
{
    return ranks_rank;
}

/* Whether a launcher started this process: Open MPI's mpirun sets
 * OMPI_COMM_WORLD_SIZE on every process it starts; a PMIx launcher
 * (srun --mpi=pmix, Open MPI 5's mpirun) PMIX_RANK; a PMI-2 one
 * (srun --mpi=pmi2) PMI_RANK. */
static gboolean
launched (void)
{
    return g_getenv ("OMPI_COMM_WORLD_SIZE") != NULL
           || g_getenv ("PMIX_RANK") != NULL
           || g_getenv ("PMI_RANK") != NULL;
}

#ifndef KBSIM_HAVE_MPI

/* ---- built without MPI ------------------------------------------------- */

gboolean
exp_ranks_init (int *argc, char ***argv)
{
    const char *size = g_getenv ("OMPI_COMM_WORLD_SIZE");
    const char *rank = g_getenv ("OMPI_COMM_WORLD_RANK");

    (void) argc;
    (void) argv;
    if (size == NULL)
        size = g_getenv ("PMI_SIZE");
    if (rank == NULL)
        rank = g_getenv ("PMI_RANK");
    if (!launched () || size == NULL || atoi (size) <= 1)
        return FALSE;
    /* several copies would each run the whole command and write the
     * same files */
    if (rank == NULL || atoi (rank) == 0)
        fprintf (stderr, "kbsim: this kbsim was built without MPI, so it "
                 "cannot share a job over %s ranks; install libopenmpi-dev "
                 "and rebuild (make deps && make)\n", size);
    exit (RANKS_EXIT_INPUT);
}

int
exp_ranks_serve (void)
{
    return 0;
}

void
exp_ranks_finish (void)
{
}

void
exp_ranks_fail (const char *message)
{
    run_fail_hook ();
    fprintf (stderr, "kbsim: %s\n", message);
    exit (RANKS_EXIT_INPUT);
}

ExpRanksBatch *
exp__ranks_batch_new (const ExpSource *sources, ExpResult **results,
                      guint n, guint jobs, ExpTakeFunc take,
                      ExpDoneFunc done, gpointer data)
{
    (void) sources, (void) results, (void) n, (void) jobs, (void) take;
    (void) done, (void) data;
    return NULL;
}

gboolean
exp__ranks_serve_batch (ExpRanksBatch *rb, char **error)
{
    (void) rb, (void) error;
    return FALSE;
}

guint
exp__ranks_in_flight (const ExpRanksBatch *rb)
{
    (void) rb;
    return 0;
}

void
exp__ranks_batch_free (ExpRanksBatch *rb)
{
    (void) rb;
}

#else

/* ---- start and end ----------------------------------------------------- */

#include <signal.h>

static gboolean ranks_mpi;      /* MPI_Init_thread done, not finalized */
static struct sigaction ranks_old_term;
static guint *ranks_cores;      /* rank 0: each rank's processor count */
static guint ranks_batches;     /* rank 0: batches begun */
/* rank 0: what travelled, for KBSIM_MPI_STATS=1 */
static guint64 stat_tasks, stat_task_bytes, stat_results, stat_result_bytes;
static gint64 stat_serve_us;    /* receiving, storing, sending the next */

static void
at_exit (void)
{
    exp_ranks_finish ();
}

/* Rank 0's SIGTERM under mpirun: mpirun sends it to every rank when one
 * rank ended early (a crash, a kill) or when mpirun itself was
 * interrupted. Says so once, then lets the handler that was there
 * (output_install_signal_handlers(): it removes the files not yet
 * complete) finish the process. Async-signal-safe: write() only. */
static void
on_term (int sig)
{
    static const char msg[] =
        "kbsim: the MPI job is being stopped (a rank ended early, or the "
        "job was interrupted); files not yet complete are removed\n";
    ssize_t ignored = write (STDERR_FILENO, msg, sizeof msg - 1);

    (void) ignored;
    if (ranks_old_term.sa_handler != SIG_DFL
        && ranks_old_term.sa_handler != SIG_IGN)
        ranks_old_term.sa_handler (sig);
    signal (sig, SIG_DFL);
    raise (sig);
}

static void
install_term_handler (void)
{
    struct sigaction sa;

    memset (&sa, 0, sizeof sa);
    sa.sa_handler = on_term;
    sigemptyset (&sa.sa_mask);
    sigaddset (&sa.sa_mask, SIGINT);
    sigaction (SIGTERM, &sa, &ranks_old_term);
}

gboolean
exp_ranks_init (int *argc, char ***argv)
{
    guint32 mine = exp_default_jobs ();
    guint32 *all = NULL;
    int provided = MPI_THREAD_SINGLE;

    if (!launched ())
        return FALSE;
    /* the default error handler, MPI_ERRORS_ARE_FATAL, ends the job on
     * any MPI failure: nothing below checks return codes */
    MPI_Init_thread (argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_rank (MPI_COMM_WORLD, &ranks_rank);
    MPI_Comm_size (MPI_COMM_WORLD, &ranks_size);
    ranks_mpi = TRUE;
    if (provided < MPI_THREAD_FUNNELED) {
        if (ranks_rank == 0)
            fprintf (stderr, "kbsim: this MPI library cannot run threads "
                     "beside MPI (MPI_THREAD_FUNNELED)\n");
        MPI_Abort (MPI_COMM_WORLD, RANKS_EXIT_INPUT);
    }
    if (ranks_rank == 0)
        all = g_new (guint32, ranks_size);
    MPI_Gather (&mine, 1, MPI_UINT32_T, all, 1, MPI_UINT32_T, 0,
                MPI_COMM_WORLD);
    if (ranks_rank != 0)
        return TRUE;
    ranks_cores = g_new (guint, ranks_size);
    for (int r = 0; r < ranks_size; r++)
        ranks_cores[r] = MAX (all[r], 1);
    g_free (all);
    atexit (at_exit);
    if (ranks_size > 1)
        install_term_handler ();
    return FALSE;
}

void
exp_ranks_finish (void)
{
    if (!ranks_mpi)
        return;
    ranks_mpi = FALSE;
    if (ranks_rank == 0 && g_getenv ("KBSIM_MPI_STATS") != NULL)
        fprintf (stderr, "kbsim: %d ranks, %d batches; %" G_GUINT64_FORMAT
                 " tasks to other ranks (%" G_GUINT64_FORMAT " bytes each on "
                 "average), %" G_GUINT64_FORMAT " results back (%"
                 G_GUINT64_FORMAT " bytes each); rank 0 spent %.1f us on "
                 "each\n", ranks_size, ranks_batches, stat_tasks,
                 stat_tasks ? stat_task_bytes / stat_tasks : 0, stat_results,
                 stat_results ? stat_result_bytes / stat_results : 0,
                 stat_results ? (double) stat_serve_us / stat_results : 0.0);
    if (ranks_rank == 0)
        for (int w = 1; w < ranks_size; w++)
            MPI_Send (NULL, 0, MPI_BYTE, w, TAG_STOP, MPI_COMM_WORLD);
    g_clear_pointer (&ranks_cores, g_free);
    MPI_Finalize ();
}

void
exp_ranks_fail (const char *message)
{
    run_fail_hook ();
    fprintf (stderr, "kbsim: %s\n", message);
    fflush (stderr);
    exp_ranks_finish ();
    exit (RANKS_EXIT_INPUT);
}

/* ---- messages ---------------------------------------------------------- */

/* Receives the message st announced. (transfer full): g_variant_unref();
 * NULL for an empty one. */
static GVariant *
recv_variant (const MPI_Status *st, const char *type)
{
    MPI_Status got;
    int len = 0;
    void *buf;

    MPI_Get_count (st, MPI_BYTE, &len);
    buf = g_malloc (MAX (len, 1));
    MPI_Recv (buf, len, MPI_BYTE, st->MPI_SOURCE, st->MPI_TAG,
              MPI_COMM_WORLD, &got);
    if (type == NULL) {
        g_free (buf);
        return NULL;
    }
    /* not trusted: g_variant_get() checks it as it reads */
    return g_variant_ref_sink (g_variant_new_from_data (
        G_VARIANT_TYPE (type), buf, (gsize) len, FALSE, g_free, buf));
}

/* Sends a TASK (counted for KBSIM_MPI_STATS). */
static void
send_variant (int to, int tag, GVariant *v)
{
    g_autoptr (GVariant) owned = g_variant_ref_sink (v);

    stat_tasks++;
    stat_task_bytes += g_variant_get_size (owned);
    MPI_Send (g_variant_get_data (owned), (int) g_variant_get_size (owned),
              MPI_BYTE, to, tag, MPI_COMM_WORLD);
}

static GVariant *
doubles (const double *v, gsize n)
{
    return g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, v, n,
                                      sizeof (double));
}

/* ---- rank 0's side of a batch ------------------------------------------ */

struct ExpRanksBatch {
    guint id;
    const ExpSource *sources;
    ExpResult **results;
    guint n;
    guint jobs;
    ExpTakeFunc take;
    ExpDoneFunc done;
    gpointer data;
    guint *in_flight;           /* per rank */
    guint total_in_flight;
    gboolean stopped;           /* take said no, or a rank failed */
};

ExpRanksBatch *
exp__ranks_batch_new (const ExpSource *sources, ExpResult **results,
                      guint n, guint jobs, ExpTakeFunc take,
                      ExpDoneFunc done, gpointer data)
{
    ExpRanksBatch *rb;

    if (!ranks_mpi || ranks_size < 2 || ranks_rank != 0)
        return NULL;
    rb = g_new0 (ExpRanksBatch, 1);
    rb->id = ++ranks_batches;
    rb->sources = sources;
    rb->results = results;
    rb->n = n;
    rb->jobs = jobs;
    rb->take = take;
    rb->done = done;
    rb->data = data;
    rb->in_flight = g_new0 (guint, ranks_size);
    return rb;
}

void
exp__ranks_batch_free (ExpRanksBatch *rb)
{
    if (rb == NULL)
        return;
    g_return_if_fail (rb->total_in_flight == 0);
    g_free (rb->in_flight);
    g_free (rb);
}

guint
exp__ranks_in_flight (const ExpRanksBatch *rb)
{
    return rb->total_in_flight;
}

/* What rank w keeps in flight: its threads, and one more queued so that
 * it never waits for rank 0's answer between two runs. */
static guint
capacity (const ExpRanksBatch *rb, int w)
{
    return (rb->jobs ? rb->jobs : ranks_cores[w]) + 1;
}

static void
send_task (ExpRanksBatch *rb, int w, guint scenario, guint rep)
{
    const ExpSource *src = &rb->sources[scenario];
    const ExpResult *r = rb->results[scenario];
    static const char *const none[] = { NULL };

    send_variant (w, TAG_TASK, g_variant_new (
        "(uuuuuuus^as)", rb->id, scenario, rep, r->first + rep, r->n_samples,
        r->n_buckets, rb->jobs, src->path, src->sets ? src->sets : none));
    rb->in_flight[w]++;
    rb->total_in_flight++;
}

static void
fill (ExpRanksBatch *rb, int w)
{
    guint scenario, rep;

    while (!rb->stopped && rb->in_flight[w] < capacity (rb, w)) {
        if (!rb->take (rb->data, &scenario, &rep)) {
            rb->stopped = TRUE;
            return;
        }
        send_task (rb, w, scenario, rep);
    }
}

/* The series of a row in a RESULT, one after the other: per OS, pods
 * waiting (n_samples), pods Running (n_samples), placement by bucket
 * (n_buckets). */
static gsize
series_len (const ExpResult *r)
{
    return (gsize) KB_N_OS * (2 * r->n_samples + r->n_buckets);
}

/* Puts a RESULT into its row. (transfer full): NULL, or what is wrong. */
static char *
store_result (ExpRanksBatch *rb, int w, GVariant *msg)
{
    g_autoptr (GVariant) values = NULL;
    g_autoptr (GVariant) series = NULL;
    guint id, scenario, rep;
    gboolean conserved;
    const double *v, *at;
    gsize nv = 0, len = 0, ns, nb;
    ExpResult *r;

    g_variant_get (msg, RESULT_FORMAT, &id, &scenario, &rep, &conserved,
                   &values, &series);
    if (id != rb->id || scenario >= rb->n
        || rep >= rb->results[scenario]->n)
        return g_strdup_printf ("rank %d answered a task it was not given "
                                "(is it the same kbsim?)", w);
    r = rb->results[scenario];
    ns = r->n_samples;
    nb = r->n_buckets;
    v = g_variant_get_fixed_array (values, &nv, sizeof (double));
    at = g_variant_get_fixed_array (series, &len, sizeof (double));
    if (nv != EXP_N_METRICS || len != series_len (r))
        return g_strdup_printf ("rank %d sent a result of another shape "
                                "(is it the same kbsim?)", w);
    memcpy (r->values + (gsize) rep * EXP_N_METRICS, v, sizeof r->values[0]
            * EXP_N_METRICS);
    for (int os = 0; os < KB_N_OS; os++) {
        memcpy (r->waiting[os] + rep * ns, at, ns * sizeof *at);
        memcpy (r->running[os] + rep * ns, at + ns, ns * sizeof *at);
        memcpy (r->placement[os] + rep * nb, at + 2 * ns, nb * sizeof *at);
        at += 2 * ns + nb;
    }
    rb->done (rb->data, scenario, conserved);
    return NULL;
}

gboolean
exp__ranks_serve_batch (ExpRanksBatch *rb, char **error)
{
    gboolean failed = FALSE;
    MPI_Status st;
    int flag;

    for (int w = 1; w < ranks_size; w++)
        fill (rb, w);
    for (;;) {
        g_autoptr (GVariant) msg = NULL;
        char *why = NULL;
        int w;

        gint64 t0;

        MPI_Iprobe (MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag)
            return failed;
        t0 = g_get_monotonic_time ();
        w = st.MPI_SOURCE;
        if (st.MPI_TAG == TAG_RESULT) {
            msg = recv_variant (&st, RESULT_TYPE);
            stat_results++;
            stat_result_bytes += g_variant_get_size (msg);
            why = store_result (rb, w, msg);
        } else if (st.MPI_TAG == TAG_ERROR) {
            g_autofree char *text = NULL;

            msg = recv_variant (&st, ERROR_TYPE);
            g_variant_get (msg, ERROR_TYPE, NULL, NULL, &text);
            why = g_strdup_printf ("rank %d: %s", w, text);
        } else {
            recv_variant (&st, NULL);
            why = g_strdup_printf ("rank %d sent an unknown message (tag "
                                   "%d)", w, st.MPI_TAG);
        }
        g_return_val_if_fail (rb->in_flight[w] > 0, TRUE);
        rb->in_flight[w]--;
        rb->total_in_flight--;
        if (why != NULL) {
            rb->stopped = failed = TRUE;
            if (*error == NULL)
                *error = why;
            else
                g_free (why);
        }
        fill (rb, w);
        stat_serve_us += g_get_monotonic_time () - t0;
    }
}

/* ---- a worker ---------------------------------------------------------- */

typedef struct {
    guint batch, scenario, rep;
    ExpResult *row;             /* one row, of replication index */
    gboolean conserved;
} Job;

typedef struct {
    GThreadPool *pool;
    GAsyncQueue *finished;      /* Job, from the pool's threads */
    GHashTable *scenarios;      /* "path\nset\nset" -> Scenario */
    GPtrArray *sending;         /* Sending */
    guint in_flight;            /* jobs in the pool */
} Worker;

/* A message on its way: its buffer lives until the send completes. */
typedef struct {
    MPI_Request req;
    GVariant *v;
} Sending;

/* At most this many scenarios are kept loaded between tasks (a plan
 * visits hundreds of configurations; most come back only to finish
 * their replications). */
#define WORKER_MAX_SCENARIOS 64

static void
job_run (gpointer data, gpointer user_data)
{
    Job *j = data;
    Worker *wk = user_data;

    j->conserved = exp__replicate (j->row, 0, NULL, NULL, NULL);
    g_async_queue_push (wk->finished, j);
}

static void
isend (Worker *wk, int tag, GVariant *v)
{
    Sending *s = g_new (Sending, 1);

    s->v = g_variant_ref_sink (v);
    MPI_Isend (g_variant_get_data (s->v), (int) g_variant_get_size (s->v),
               MPI_BYTE, 0, tag, MPI_COMM_WORLD, &s->req);
    g_ptr_array_add (wk->sending, s);
}

/* Frees the sends that completed; all of them, waiting, when wait. */
static void
reap_sends (Worker *wk, gboolean wait)
{
    for (guint i = wk->sending->len; i > 0; i--) {
        Sending *s = g_ptr_array_index (wk->sending, i - 1);
        int flag = 1;

        if (wait)
            MPI_Wait (&s->req, MPI_STATUS_IGNORE);
        else
            MPI_Test (&s->req, &flag, MPI_STATUS_IGNORE);
        if (!flag)
            continue;
        g_variant_unref (s->v);
        g_free (s);
        g_ptr_array_remove_index (wk->sending, i - 1);
    }
}

static void
send_result (Worker *wk, Job *j)
{
    const ExpResult *r = j->row;
    gsize ns = r->n_samples, nb = r->n_buckets;
    g_autofree double *series = g_new (double, series_len (r));
    double *at = series;

    for (int os = 0; os < KB_N_OS; os++) {
        memcpy (at, r->waiting[os], ns * sizeof *at);
        memcpy (at + ns, r->running[os], ns * sizeof *at);
        memcpy (at + 2 * ns, r->placement[os], nb * sizeof *at);
        at += 2 * ns + nb;
    }
    isend (wk, TAG_RESULT, g_variant_new (
        RESULT_FORMAT, j->batch, j->scenario, j->rep, j->conserved,
        doubles (r->values, EXP_N_METRICS),
        doubles (series, series_len (r))));
    exp_result_free (j->row);
    g_free (j);
    wk->in_flight--;
}

/* The test hooks: KBSIM_TEST_RANK_SET="R:PATH=VALUE" adds a --set that
 * only rank R sees (so that its scenario fails to load, say), and
 * KBSIM_TEST_RANK_EXIT=R makes rank R die at its first task. */
static const char *
injected_set (void)
{
    const char *hook = g_getenv ("KBSIM_TEST_RANK_SET");
    char *end;
    long r;

    if (hook == NULL)
        return NULL;
    r = strtol (hook, &end, 10);
    return *end == ':' && r == ranks_rank ? end + 1 : NULL;
}

static void
maybe_die (void)
{
    const char *hook = g_getenv ("KBSIM_TEST_RANK_EXIT");

    if (hook != NULL && atoi (hook) == ranks_rank)
        _exit (9);
}

/* The scenario of a task, loaded once. (transfer none): owned by the
 * worker. NULL with error set when it does not load. */
static const Scenario *
worker_scenario (Worker *wk, const char *path, const char **sets,
                 GError **error)
{
    g_autoptr (GPtrArray) all = g_ptr_array_new ();
    g_autofree char *joined = g_strjoinv ("\n", (char **) sets);
    char *key = g_strconcat (path, "\n", joined, NULL);
    const char *extra = injected_set ();
    Scenario *s = g_hash_table_lookup (wk->scenarios, key);

    if (s != NULL) {
        g_free (key);
        return s;
    }
    for (guint i = 0; sets[i]; i++)
        g_ptr_array_add (all, (gpointer) sets[i]);
    if (extra != NULL)
        g_ptr_array_add (all, (gpointer) extra);
    g_ptr_array_add (all, NULL);
    s = scenario_load (path, (const char *const *) all->pdata, error);
    if (s == NULL) {
        g_free (key);
        return NULL;
    }
    /* the jobs in the pool hold their scenarios: forget them only when
     * the pool is empty */
    if (g_hash_table_size (wk->scenarios) >= WORKER_MAX_SCENARIOS
        && wk->in_flight == 0)
        g_hash_table_remove_all (wk->scenarios);
    g_hash_table_insert (wk->scenarios, key, s);
    return s;
}

static void
worker_task (Worker *wk, GVariant *msg)
{
    g_autoptr (GError) error = NULL;
    g_autofree const char **sets = NULL;
    const char *path;
    guint batch, scenario, rep, index, ns, nb, jobs;
    const Scenario *s;
    Job *j;

    maybe_die ();
    g_variant_get (msg, "(uuuuuuu&s^a&s)", &batch, &scenario, &rep, &index,
                   &ns, &nb, &jobs, &path, &sets);
    s = worker_scenario (wk, path, sets, &error);
    if (s == NULL) {
        char host[256] = "";
        g_autofree char *text = NULL;

        gethostname (host, sizeof host - 1);
        text = g_strdup_printf ("(%s) %s", host, error->message);
        isend (wk, TAG_ERROR, g_variant_new (ERROR_TYPE, batch, scenario,
                                             text));
        return;
    }
    j = g_new0 (Job, 1);
    j->batch = batch;
    j->scenario = scenario;
    j->rep = rep;
    j->row = exp__result_new (s, 1, index, ns, nb);
    jobs = jobs ? jobs : exp_default_jobs ();
    if ((guint) g_thread_pool_get_max_threads (wk->pool) != jobs)
        g_thread_pool_set_max_threads (wk->pool, (int) jobs, NULL);
    wk->in_flight++;
    g_thread_pool_push (wk->pool, j, NULL);
}

int
exp_ranks_serve (void)
{
    Worker wk = { 0 };
    gboolean stop = FALSE;

    wk.finished = g_async_queue_new ();
    wk.scenarios = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) scenario_free);
    wk.sending = g_ptr_array_new ();
    wk.pool = g_thread_pool_new (job_run, &wk, (int) exp_default_jobs (),
                                 FALSE, NULL);
    while (!stop) {
        gboolean busy = FALSE;
        MPI_Status st;
        Job *j;
        int flag;

        MPI_Iprobe (0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (flag) {
            g_autoptr (GVariant) msg = NULL;

            busy = TRUE;
            if (st.MPI_TAG == TAG_TASK) {
                msg = recv_variant (&st, TASK_TYPE);
                worker_task (&wk, msg);
            } else {
                recv_variant (&st, NULL);
                stop = st.MPI_TAG == TAG_STOP;
            }
        }
        while ((j = g_async_queue_try_pop (wk.finished)) != NULL) {
            send_result (&wk, j);
            busy = TRUE;
        }
        reap_sends (&wk, FALSE);
        if (busy)
            continue;
        /* Nothing came: wait a millisecond for a result, or sleep one.
         * A result on its way is a large message, which moves only while
         * this side calls MPI (rank 0's receive waits for it): look
         * again after 20 us then. */
        if (wk.sending->len > 0)
            g_usleep (20);
        else if (wk.in_flight > 0) {
            j = g_async_queue_timeout_pop (wk.finished, 1000);
            if (j != NULL)
                send_result (&wk, j);
        } else {
            g_usleep (1000);
        }
    }
    g_thread_pool_free (wk.pool, FALSE, TRUE);
    reap_sends (&wk, TRUE);
    g_ptr_array_free (wk.sending, TRUE);
    g_hash_table_destroy (wk.scenarios);
    g_async_queue_unref (wk.finished);
    MPI_Finalize ();
    return 0;
}

#endif
