/* queue.c: a radix heap over 64-bit times, FIFO among equal times.
 *
 * Times are mapped to unsigned keys that sort the same way (flip the sign
 * bit). The heap remembers `last`, the key of the most recent minimum.
 * Bucket 0 holds entries whose key equals last; bucket b (1..64) holds
 * entries whose key first differs from last at bit b-1, counting from the
 * least significant, i.e. b = 64 - clz(key ^ last).
 *
 * Invariant: every entry in bucket b satisfies bucket_of(key, last) == b.
 * Pop takes bucket 0 from its head. When bucket 0 is empty it finds the
 * lowest non-empty bucket b, sets last to that bucket's minimum and moves
 * each of its entries to bucket_of(key, new last) < b. Entries in buckets
 * above b keep their index, since the new last agrees with the old one on
 * every bit at or above b.
 *
 * Why equal times stay FIFO: two entries with the same key are always in
 * the same bucket (the bucket depends only on key and last). A later push
 * appends behind the earlier entry; a redistribution walks a bucket in
 * order and appends, so it never swaps them. Bucket 0 is consumed from the
 * head. Hence (time, push order) is the pop order, with no sequence number
 * stored.
 *
 * Each entry moves to a strictly lower bucket at most 64 times in its life,
 * so pop is O(1) amortised, push is O(1). Memory: 16 bytes an entry plus
 * the bucket arrays' spare capacity.
 */
#include "sim/queue.h"

#include <string.h>

#define N_BUCKETS 65

typedef struct {
    guint64 key;
    guint32 payload;
    guint32 unused;
} Entry;

typedef struct {
    Entry *v;
    gsize head;                 /* bucket 0 only: next entry to pop */
    gsize len;
    gsize cap;
} Bucket;

struct SimQueue {
    Bucket bucket[N_BUCKETS];
    guint64 nonempty;           /* bit b-1 set when bucket b (b >= 1) has
                                 * entries; bucket 0 is tested directly */
    guint64 last;               /* 0 (time G_MININT64) before any pop */
    gsize size;
};

static inline guint64
key_of (SimTime t)
{
    return (guint64) t ^ G_GUINT64_CONSTANT (0x8000000000000000);
}

static inline SimTime
time_of (guint64 key)
{
    return (SimTime) (key ^ G_GUINT64_CONSTANT (0x8000000000000000));
}

static inline guint
bucket_of (guint64 key, guint64 last)
{
    guint64 x = key ^ last;

    return x == 0 ? 0 : 64 - (guint) __builtin_clzll (x);
}

static inline void
bucket_append (Bucket *b, guint64 key, guint32 payload)
{
    if (G_UNLIKELY (b->len == b->cap)) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->v = g_renew (Entry, b->v, b->cap);
    }
    b->v[b->len].key = key;
    b->v[b->len].payload = payload;
    b->len++;
}

SimQueue *
sim_queue_new (void)
{
    return g_new0 (SimQueue, 1);
}

void
sim_queue_free (SimQueue *queue)
{
    if (queue == NULL)
        return;
    for (guint b = 0; b < N_BUCKETS; b++)
        g_free (queue->bucket[b].v);
    g_free (queue);
}

void
sim_queue_push (SimQueue *queue, SimTime time, guint32 payload)
{
    guint64 key = key_of (time);
    guint b;

    /* Before the first pop `last` is 0, the smallest key: an anchor below
     * every key keeps the invariant. */
    g_return_if_fail (key >= queue->last);
    b = bucket_of (key, queue->last);
    bucket_append (&queue->bucket[b], key, payload);
    if (b > 0)
        queue->nonempty |= G_GUINT64_CONSTANT (1) << (b - 1);
    queue->size++;
}

static guint64
bucket_min (const Bucket *b)
{
    guint64 m = G_MAXUINT64;

    for (gsize i = 0; i < b->len; i++)
        if (b->v[i].key < m)
            m = b->v[i].key;
    return m;
}

/* Moves the lowest non-empty bucket into lower ones around its minimum,
 * which becomes `last`. Bucket 0 must be empty and the queue not. */
static void
redistribute (SimQueue *queue, guint b, guint64 min)
{
    Bucket *src = &queue->bucket[b];

    queue->last = min;
    for (gsize i = 0; i < src->len; i++) {
        guint64 key = src->v[i].key;
        guint nb = bucket_of (key, min);

        bucket_append (&queue->bucket[nb], key, src->v[i].payload);
        if (nb > 0)
            queue->nonempty |= G_GUINT64_CONSTANT (1) << (nb - 1);
    }
    src->len = 0;
    queue->nonempty &= ~(G_GUINT64_CONSTANT (1) << (b - 1));
}

gboolean
sim_queue_pop (SimQueue *queue, SimTime limit, SimTime *time,
               guint32 *payload)
{
    Bucket *zero = &queue->bucket[0];

    if (zero->head == zero->len) {
        guint b;
        guint64 min;

        if (queue->nonempty == 0)
            return FALSE;
        b = 1 + (guint) __builtin_ctzll (queue->nonempty);
        min = bucket_min (&queue->bucket[b]);
        if (min > key_of (limit))
            return FALSE;
        zero->head = zero->len = 0;
        redistribute (queue, b, min);
    } else if (queue->last > key_of (limit)) {
        return FALSE;
    }
    *time = time_of (queue->last);
    *payload = zero->v[zero->head].payload;
    zero->head++;
    if (zero->head == zero->len)
        zero->head = zero->len = 0;
    queue->size--;
    return TRUE;
}

gboolean
sim_queue_peek_time (SimQueue *queue, SimTime *time)
{
    Bucket *zero = &queue->bucket[0];

    if (zero->head < zero->len) {
        *time = time_of (queue->last);
        return TRUE;
    }
    if (queue->nonempty == 0)
        return FALSE;
    *time = time_of (bucket_min (
        &queue->bucket[1 + __builtin_ctzll (queue->nonempty)]));
    return TRUE;
}

SimTime
sim_queue_floor (const SimQueue *queue)
{
    return time_of (queue->last);
}

gsize
sim_queue_size (const SimQueue *queue)
{
    return queue->size;
}

void
sim_queue_filter (SimQueue *queue, SimQueueKeepFunc keep, gpointer data)
{
    for (guint b = 0; b < N_BUCKETS; b++) {
        Bucket *bk = &queue->bucket[b];
        gsize out = 0;

        for (gsize i = bk->head; i < bk->len; i++)
            if (keep (bk->v[i].payload, data))
                bk->v[out++] = bk->v[i];
        queue->size -= bk->len - bk->head - out;
        bk->head = 0;
        bk->len = out;
        if (b > 0 && out == 0)
            queue->nonempty &= ~(G_GUINT64_CONSTANT (1) << (b - 1));
    }
}

void
sim_queue_foreach (const SimQueue *queue, SimQueueVisitFunc fn,
                   gpointer data)
{
    for (guint b = 0; b < N_BUCKETS; b++) {
        const Bucket *bk = &queue->bucket[b];

        for (gsize i = bk->head; i < bk->len; i++)
            fn (bk->v[i].payload, time_of (bk->v[i].key), data);
    }
}
