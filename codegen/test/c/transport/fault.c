/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fault isolation: a server that dereferences a bad pointer while serving a call is reported as
 * `fault: server crashy: signal SIGSEGV at 0x…` and ends; its caller, a caller queued on its
 * endpoint, and a caller whose reply it had saved all get NG_EIPC; later calls fail at once;
 * another server keeps serving, before and after.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "host_test.h"

#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>

enum { SLOT_EP = 8, SLOT_EP2, SLOT_REPLY = 12 };
enum { L_PING = 0x101, L_HOLD = 0x102, L_CRASH = 0x103 };

static const ng_cptr_t reply_slots[] = { SLOT_REPLY };
static _Atomic int held, crashing;

static void serve(void *arg)
{
    int may_crash = arg != NULL;
    ng_server_t s;
    ng_msg_t m;
    ng_badge_t badge;
    ng_server_init(&s, SLOT_EP, 0, reply_slots, 1);
    ng_recv(&s, &m, &badge);
    for (;;) {
        if (m.label == L_HOLD) {
            ng_reply_t r;
            CHECK_EQ(ng_reply_save(&s, &r), NG_OK);
            held = 1;
            ng_recv(&s, &m, &badge);
            continue;
        }
        if (m.label == L_CRASH && may_crash) {
            crashing = 1;
            while (held < 2) { /* until a second caller is about to queue up behind us */
                sched_yield();
            }
            /* Give it time to queue (either way it gets NG_EIPC: queued now, or the endpoint
             * is dead by the time it calls). */
            nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL);
            *(volatile int *)(uintptr_t)0x10 = 1;
        }
        m.label = NG_OK;
        m.mr[0] = badge + 1000;
        m.len = 1;
        ng_reply_recv(&s, &m, &badge);
    }
}

typedef struct {
    ng_word_t label;
    int err;
} call_arg_t;

static void caller(void *arg)
{
    call_arg_t *c = arg;
    ng_msg_t m;
    ng_msg_start(&m, c->label);
    if (c->label == 0) {
        held = 2; /* we are about to queue up behind the crashing call */
        ng_msg_start(&m, L_PING);
    }
    c->err = ng_call(SLOT_EP, &m);
}

static int ping(ng_cptr_t ep)
{
    ng_msg_t m;
    ng_msg_start(&m, L_PING);
    int err = ng_call(ep, &m);
    if (err == NG_OK) {
        CHECK_EQ(m.mr[0], 1007);
    }
    return err;
}

int main(void)
{
    ng_host_object_t *ep = ng_host_object_new(NG_HOST_OBJ_ENDPOINT);
    ng_host_object_t *ep2 = ng_host_object_new(NG_HOST_OBJ_ENDPOINT);
    ng_host_cspace_t *crashy = ng_host_cspace_new(4), *steady = ng_host_cspace_new(4),
                     *client = ng_host_cspace_new(4);
    CHECK_EQ(ng_host_cap_mint(crashy, SLOT_EP, ep, 0, NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(steady, SLOT_EP, ep2, 0, NG_HOST_RIGHT_READ), 0);
    CHECK_EQ(ng_host_cap_mint(client, SLOT_EP, ep, 7, CLIENT_RIGHTS), 0);
    CHECK_EQ(ng_host_cap_mint(client, SLOT_EP2, ep2, 7, CLIENT_RIGHTS), 0);

    CHECK(ng_host_thread_adopt("main", client));
    ng_host_thread_t *ct = ng_host_thread_start("crashy", crashy, serve, (void *)1);
    CHECK(ng_host_thread_start("steady", steady, serve, NULL));
    CHECK_EQ(ping(SLOT_EP), NG_OK);
    CHECK_EQ(ping(SLOT_EP2), NG_OK);

    call_arg_t hold = { L_HOLD, -1 }, crash = { L_CRASH, -1 }, queued = { 0, -1 };
    ng_host_thread_t *th = ng_host_thread_start("holder", client, caller, &hold);
    while (held < 1) {
        sched_yield();
    }
    ng_host_thread_t *tc = ng_host_thread_start("victim", client, caller, &crash);
    while (!crashing) {
        sched_yield();
    }
    ng_host_thread_t *tq = ng_host_thread_start("queued", client, caller, &queued);

    CHECK_EQ(ng_host_thread_join(ct), SIGSEGV);
    CHECK_EQ(ng_host_thread_join(th), 0);
    CHECK_EQ(ng_host_thread_join(tc), 0);
    CHECK_EQ(ng_host_thread_join(tq), 0);
    CHECK_EQ(hold.err, NG_EIPC);  /* its saved reply died with the server */
    CHECK_EQ(crash.err, NG_EIPC); /* the call being served */
    CHECK_EQ(queued.err, NG_EIPC); /* queued on the dead server's endpoint */
    CHECK_EQ(ping(SLOT_EP), NG_EIPC);
    CHECK_EQ(ping(SLOT_EP2), NG_OK);
    puts("PASS fault");
    return 0;
}
