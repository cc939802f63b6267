/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pipe: anonymous pipes of the POSIX personality (idl/pipe.idl), registered with the pathname
 * manager at /dev/pipe. Each pipe is a ring buffer with counts of open read and write ends; an
 * end is a handle of one connection (the resource-manager library's tables, keyed by badge).
 * A read of an empty pipe and a write to a full one wait as saved replies; when a write, a read
 * or a close changes the pipe, each is answered NG_EAGAIN with no data and the client calls again
 * at once (the C library layer does), so the server never touches a waiting client's shared
 * buffer — which is gone if that client was killed meanwhile (its reply cap too: the answer goes
 * nowhere). Ends move to
 * another connection through one-time tickets (share, then adopt). The system must name it
 * `pipe`.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server_gen.h"
#include <resmgr/register.h>
#include <resmgr/resmgr.h>

#define PIPES 16
#define CAPACITY 16384u
#define WAITERS 4
#define TICKETS 16
#define MAX_FILES 64
#define PUBLIC_BADGE RESMGR_PUBLIC_BADGE(PIPE_DYNAMIC_BADGE_BASE)
#define PUBLIC_SLOT PIPE_SLOT_FREE_FIRST

enum { END_READ = 0, END_WRITE = 1 };

/* A call waiting for the pipe to change. */
typedef struct {
    int used;
    ng_reply_t reply;
} waiter_t;

typedef struct {
    int used;
    uint8_t buf[CAPACITY];
    uint32_t head, len;
    uint32_t ends[2]; /* open read ends, open write ends (tickets included) */
    waiter_t readers[WAITERS], writers[WAITERS];
} pipe_buf_t;

typedef struct {
    uint64_t ticket; /* 0: free */
    pipe_buf_t *p;
    uint32_t end;
} ticket_t;

static pipe_buf_t pipes[PIPES];
static ticket_t tickets[TICKETS];
static resmgr_file_t files[MAX_FILES];
static resmgr_table_t table;
static ng_server_t srv;
static uint64_t ticket_state;

/* A fast-moving counter to mix into tickets: the generic timer's virtual count on AArch64
 * (readable at EL0), the host's monotonic clock elsewhere. */
static uint64_t counter(void)
{
#if defined(__aarch64__)
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
    return v;
#else
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

/* Tickets are 64-bit values that are hard to guess (splitmix64 over a state mixed with the
 * counter above and each request's badge) and valid once; a ticket is not a capability, so a
 * process that guessed one could adopt the end (the cap-based hand-over is future work). */
static uint64_t new_ticket(uint64_t badge)
{
    ticket_state += 0x9e3779b97f4a7c15ull ^ (badge << 17) ^ counter();
    uint64_t z = ticket_state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return z ? z : 1;
}

static pipe_buf_t *pipe_of(const resmgr_file_t *f) { return f->obj; }
static uint32_t end_of(const resmgr_file_t *f) { return (uint32_t)f->aux; }

/* Copies up to n bytes out of the ring into out; the count. */
static uint32_t take(pipe_buf_t *p, uint8_t *out, uint32_t n)
{
    if (n > p->len) n = p->len;
    for (uint32_t i = 0; i < n; i++) out[i] = p->buf[(p->head + i) % CAPACITY];
    p->head = (p->head + n) % CAPACITY;
    p->len -= n;
    return n;
}

static uint32_t put(pipe_buf_t *p, const uint8_t *in, uint32_t n)
{
    uint32_t room = CAPACITY - p->len;
    if (n > room) n = room;
    for (uint32_t i = 0; i < n; i++) p->buf[(p->head + p->len + i) % CAPACITY] = in[i];
    p->len += n;
    return n;
}

/* Wakes whatever waits and may go on now (readers: bytes, or no writers left; writers: room, or
 * no readers left): NG_EAGAIN, and they call again. */
static void wake(pipe_buf_t *p)
{
    int readers = p->len > 0 || p->ends[END_WRITE] == 0;
    int writers = p->len < CAPACITY || p->ends[END_READ] == 0;
    for (int i = 0; i < WAITERS; i++) {
        if (readers && p->readers[i].used) {
            p->readers[i].used = 0;
            pipe_read_reply(&srv, p->readers[i].reply, NG_EAGAIN, NULL, NULL, 0);
        }
        if (writers && p->writers[i].used) {
            p->writers[i].used = 0;
            pipe_write_reply(&srv, p->writers[i].reply, NG_EAGAIN, NULL);
        }
    }
}

static waiter_t *waiter(waiter_t *ws)
{
    for (int i = 0; i < WAITERS; i++)
        if (!ws[i].used) return &ws[i];
    return NULL;
}

static void end_closed(pipe_buf_t *p, uint32_t end)
{
    if (p->ends[end] > 0) p->ends[end]--;
    if (p->ends[END_READ] == 0 && p->ends[END_WRITE] == 0) {
        p->used = 0;
        return;
    }
    wake(p);
}

static int p_create(void *ctx, ng_call_t *call, pipe_create_rep_t *rep)
{
    (void)ctx;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    pipe_buf_t *p = NULL;
    for (int i = 0; i < PIPES && !p; i++)
        if (!pipes[i].used) p = &pipes[i];
    if (!p) return PIPE_ERR_NO_SPACE;
    resmgr_file_t *r = resmgr_file_open(&table, call->badge, END_READ, p);
    resmgr_file_t *w = r ? resmgr_file_open(&table, call->badge, END_WRITE, p) : NULL;
    if (!w) {
        if (r) resmgr_file_close(r);
        return PIPE_ERR_NO_SPACE;
    }
    memset(p, 0, sizeof *p);
    p->used = 1;
    p->ends[END_READ] = p->ends[END_WRITE] = 1;
    r->aux = END_READ;
    w->aux = END_WRITE;
    rep->rd = r->handle;
    rep->wr = w->handle;
    return NG_OK;
}

static int p_read(void *ctx, ng_call_t *call, const pipe_read_req_t *req, pipe_read_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f || end_of(f) != END_READ) return PIPE_ERR_BAD_HANDLE;
    pipe_buf_t *p = pipe_of(f);
    uint32_t want = req->len < PIPE_MAX_IO ? req->len : PIPE_MAX_IO;
    uint8_t *shm = call->msg ? call->msg->shm : NULL;
    size_t shm_size = call->msg ? call->msg->shm_size : 0;
    if (want > shm_size) want = (uint32_t)shm_size;
    if (want == 0 || p->len > 0 || p->ends[END_WRITE] == 0) {
        uint32_t n = shm ? take(p, shm, want) : 0;
        rep->data = ng_bytes(shm, n);
        if (n > 0) wake(p);
        return NG_OK;
    }
    waiter_t *w = waiter(p->readers);
    if (!w) return NG_EAGAIN;
    int err = ng_reply_save(call->server, &w->reply);
    if (err != NG_OK) return err;
    w->used = 1;
    return NG_DEFERRED;
}

static int p_write(void *ctx, ng_call_t *call, const pipe_write_req_t *req, pipe_write_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f || end_of(f) != END_WRITE) return PIPE_ERR_BAD_HANDLE;
    pipe_buf_t *p = pipe_of(f);
    if (p->ends[END_READ] == 0) return PIPE_ERR_BROKEN;
    if (req->data.len == 0) {
        rep->written = 0;
        return NG_OK;
    }
    if (p->len < CAPACITY) {
        rep->written = put(p, req->data.ptr, (uint32_t)req->data.len);
        wake(p);
        return NG_OK;
    }
    waiter_t *w = waiter(p->writers);
    if (!w) return NG_EAGAIN;
    int err = ng_reply_save(call->server, &w->reply);
    if (err != NG_OK) return err;
    w->used = 1;
    return NG_DEFERRED;
}

static int p_close(void *ctx, ng_call_t *call, const pipe_close_req_t *req)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return PIPE_ERR_BAD_HANDLE;
    pipe_buf_t *p = pipe_of(f);
    uint32_t end = end_of(f);
    resmgr_file_close(f);
    end_closed(p, end);
    return NG_OK;
}

static int p_share(void *ctx, ng_call_t *call, const pipe_share_req_t *req, pipe_share_rep_t *rep)
{
    (void)ctx;
    resmgr_file_t *f = resmgr_file_get(&table, call->badge, req->h);
    if (!f) return PIPE_ERR_BAD_HANDLE;
    for (int i = 0; i < TICKETS; i++) {
        if (tickets[i].ticket != 0) continue;
        tickets[i] = (ticket_t){new_ticket(call->badge), pipe_of(f), end_of(f)};
        pipe_of(f)->ends[end_of(f)]++;
        rep->ticket = tickets[i].ticket;
        return NG_OK;
    }
    return PIPE_ERR_NO_SPACE;
}

static ticket_t *ticket_of(uint64_t value)
{
    for (int i = 0; value != 0 && i < TICKETS; i++)
        if (tickets[i].ticket == value) return &tickets[i];
    return NULL;
}

static int p_adopt(void *ctx, ng_call_t *call, const pipe_adopt_req_t *req, pipe_adopt_rep_t *rep)
{
    (void)ctx;
    if (!resmgr_badge_ok(call->badge, PUBLIC_BADGE)) return NG_EDENIED;
    ticket_t *t = ticket_of(req->ticket);
    if (!t) return PIPE_ERR_BAD_TICKET;
    resmgr_file_t *f = resmgr_file_open(&table, call->badge, t->end, t->p);
    if (!f) return PIPE_ERR_NO_SPACE;
    f->aux = t->end;
    t->ticket = 0;
    rep->h = f->handle;
    return NG_OK;
}

static int p_cancel(void *ctx, ng_call_t *call, const pipe_cancel_req_t *req)
{
    (void)ctx;
    (void)call;
    ticket_t *t = ticket_of(req->ticket);
    if (!t) return PIPE_ERR_BAD_TICKET;
    t->ticket = 0;
    end_closed(t->p, t->end);
    return NG_OK;
}

static const pipe_ops_t pipe_ops = {
    .create = p_create, .read = p_read, .write = p_write, .close = p_close,
    .share = p_share, .adopt = p_adopt, .cancel = p_cancel,
};

static const pipe_server_ops_t ops = {.pipe = &pipe_ops};

int main(void)
{
    pathreg_client_t reg = pipe_use_pathreg();
    uint32_t id = 0;
    int err = resmgr_register_begin(&reg, PIPE_CAP_EP_MINT, PUBLIC_SLOT, PUBLIC_BADGE);
    if (err == NG_OK) err = resmgr_register(&reg, PUBLIC_SLOT, "/dev/pipe", PATHMGR_PREFIX_KIND_DEVICE, &id);
    if (err != NG_OK) {
        printf("pipe: cannot register /dev/pipe (%d)\n", err);
        return 1;
    }
    ticket_state = ((uint64_t)id << 32) ^ (uint64_t)(uintptr_t)&ticket_state;
    resmgr_table_init(&table, files, MAX_FILES, id << 12, pipe_conn_live, NULL);
    printf("pipe: serving /dev/pipe (registration %u, %u pipes of %u bytes)\n", (unsigned)id, PIPES, CAPACITY);
    pipe_server_init(&srv);
    pipe_serve(&srv, &ops, NULL);
    return 0;
}
