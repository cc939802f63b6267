/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ng_host_thread_kill: a thread blocked waiting on a notification ends at once; one that is
 * running its own code ends where it would block next (it never waits); each is reported to the
 * exit hook as killed and joins with 0; a killed thread's CSpace can then be freed; killing an
 * ended thread is refused.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include "host_test.h"

#include <stdatomic.h>
#include <time.h>

enum { SLOT_NTFN = 8 };

static _Atomic int spinning, go_block, hooked_killed, reached_after;

static void waiter(void *arg)
{
    (void)arg;
    ng_wait(SLOT_NTFN);
    reached_after = 1; /* never: the kill ends it inside ng_wait */
}

static void spinner(void *arg)
{
    (void)arg;
    spinning = 1;
    while (!go_block) {
    }
    ng_wait(SLOT_NTFN); /* killed before it got here: must not block */
    reached_after = 1;
}

static void hook(void *arg, const ng_host_exit_t *e)
{
    (void)arg;
    if (e->kind == NG_HOST_EXIT_KILLED) {
        hooked_killed++;
    }
}

int main(void)
{
    ng_host_exit_hook_set(hook);
    ng_host_object_t *n1 = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION);
    ng_host_object_t *n2 = ng_host_object_new(NG_HOST_OBJ_NOTIFICATION);
    ng_host_cspace_t *c1 = ng_host_cspace_new(4), *c2 = ng_host_cspace_new(4);
    CHECK_EQ(ng_host_cap_mint(c1, SLOT_NTFN, n1, 0, RW), NG_OK);
    CHECK_EQ(ng_host_cap_mint(c2, SLOT_NTFN, n2, 0, RW), NG_OK);

    ng_host_thread_t *w = ng_host_thread_start("waiter", c1, waiter, NULL);
    nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL); /* let it block */
    CHECK_EQ(ng_host_thread_kill(w), NG_OK);
    CHECK_EQ(ng_host_thread_join(w), 0);

    ng_host_thread_t *s = ng_host_thread_start("spinner", c2, spinner, NULL);
    while (!spinning) {
    }
    CHECK_EQ(ng_host_thread_kill(s), NG_OK);
    go_block = 1;
    CHECK_EQ(ng_host_thread_join(s), 0);

    CHECK_EQ(hooked_killed, 2);
    CHECK_EQ(reached_after, 0);
    CHECK_EQ(ng_host_thread_kill(w), NG_EBADMSG);
    ng_host_cspace_free(c1);
    ng_host_cspace_free(c2);
    printf("PASS kill\n");
    return 0;
}
