/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Private state of the host kernel emulation: objects, CSpaces, threads, and the one big lock
 * that serialises every "system call" (as seL4's kernel lock does). Threads block on their own
 * condition variable; whoever changes a blocked thread's state signals it.
 *
 * Rule: user memory (ng_msg_t, message words outside the thread buffer) is only touched without
 * the lock held, so a fault in a server never happens inside the kernel.
 */
#pragma once

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* sigaltstack, siginfo_t, sigsetjmp under -std=c11 */
#endif

#include <neptune/host.h>
#include <neptune/ipc.h>
#include <pthread.h>
#include <setjmp.h>

typedef enum ng_host_state {
    NG_HOST_RUNNING,
    NG_HOST_BLOCKED_SEND, /* queued on an endpoint; send or call */
    NG_HOST_BLOCKED_RECV, /* queued on an endpoint */
    NG_HOST_BLOCKED_REPLY,
    NG_HOST_BLOCKED_NTFN,
    NG_HOST_DEAD,
} ng_host_state_t;

typedef struct ng_host_slot {
    ng_host_object_t *obj; /* NULL: empty */
    ng_badge_t badge;
    unsigned rights;
} ng_host_slot_t;

struct ng_host_cspace {
    unsigned nslots;
    ng_host_cspace_t *all_next;
    ng_host_slot_t slots[];
};

/* A FIFO of blocked threads (linked through ng_host_thread.q_next). */
typedef struct ng_host_queue {
    ng_host_thread_t *head, *tail;
} ng_host_queue_t;

struct ng_host_object {
    ng_host_obj_type_t type;
    ng_host_object_t *all_next;
    /* endpoint */
    ng_host_queue_t senders;
    ng_host_queue_t receivers;
    ng_host_thread_t *owner; /* the server that receives on it (ng_server_init) */
    int dead;                /* its owner died: every call and send fails */
    /* notification */
    int active;
    ng_word_t word;
    ng_host_queue_t waiters;
    ng_host_thread_t *bound; /* its signals also wake this thread's endpoint receive */
    /* reply */
    ng_host_thread_t *caller;
    int can_grant;
    /* IRQ handler */
    ng_host_object_t *irq_ntfn; /* where its interrupts go (NULL: nowhere yet) */
    ng_badge_t irq_badge;
    int irq_line;    /* level: the line is asserted */
    int irq_latched; /* edge: an edge came while masked */
    int irq_masked;  /* delivered, not yet acknowledged */
};

struct ng_host_thread {
    char name[48];
    ng_host_cspace_t *cspace;
    ng_host_thread_t *all_next;
    pthread_t pthread;
    int started; /* by ng_host_thread_start (faults isolated) rather than adopted */
    void (*entry)(void *);
    void *arg;

    pthread_cond_t cond;
    ng_host_state_t state;
    ng_host_thread_t *q_next;
    ng_host_object_t *blocked_ep;  /* the endpoint it waits on in BLOCKED_RECV */
    ng_host_object_t *bound_ntfn;  /* its bound notification, or NULL */

    /* The thread's "IPC buffer": ng_msg_start points mr here; messages arrive here. */
    ng_word_t buf[NG_MSG_MAX_WORDS];
    /* Outgoing message (valid while sending). */
    ng_word_t s_label;
    unsigned s_len, s_ncaps;
    ng_cptr_t s_caps[NG_MSG_MAX_CAPS];
    ng_badge_t s_badge;
    int s_grant, s_call;
    /* Incoming message (written by the kernel while the thread is blocked). */
    ng_word_t r_label;
    unsigned r_len, r_ncaps;
    ng_cptr_t r_caps[NG_MSG_MAX_CAPS];
    ng_badge_t r_cap_badges[NG_MSG_MAX_CAPS]; /* unwrapped caps: their badges */
    ng_badge_t r_badge;
    int r_status;     /* NG_OK or NG_EIPC */
    int r_cap_landed; /* a cap was written into recv_slot */
    ng_cptr_t recv_slot;
    int recv_grant;             /* its receive cap has Grant: its replies may carry caps */
    ng_host_object_t *caller;   /* reply object of the call being served */

    /* ng_host_thread_kill: end at the next return from the host kernel. */
    int kill_pending;

    /* Fault isolation. */
    sigjmp_buf fault_jmp;
    volatile int jmp_armed;
    volatile int in_kernel;
    int exit_sig;
    ng_host_exit_t exit_info;
    void *altstack;
};

extern pthread_mutex_t ng_host_lock;
extern ng_host_object_t *ng_host_all_objects;
extern ng_host_thread_t *ng_host_all_threads;

void ng_host_kernel_enter(ng_host_thread_t *t);
void ng_host_kernel_exit(ng_host_thread_t *t);

/* The calling host thread; aborts with a message if the thread was never started or adopted. */
ng_host_thread_t *ng_host_current(const char *what);

/* The slot cptr names in t's CSpace, or NULL if out of range (slot 0 is never valid). */
ng_host_slot_t *ng_host_lookup(ng_host_thread_t *t, ng_cptr_t cptr);

void ng_host_queue_push(ng_host_queue_t *q, ng_host_thread_t *t);
ng_host_thread_t *ng_host_queue_pop(ng_host_queue_t *q);
void ng_host_queue_remove(ng_host_queue_t *q, ng_host_thread_t *t);

/* Deliver a bound notification's word to t as an empty message with that badge. Lock held. */
void ng_host_deliver_signal(ng_host_thread_t *t, ng_word_t word);

/* Block t (its state already set) until someone makes it RUNNING again. Lock held. */
void ng_host_block(ng_host_thread_t *t);
/* Make a blocked thread RUNNING with a result. Lock held. */
void ng_host_wake(ng_host_thread_t *t, int status);

/* Fail the caller waiting on a reply object and free it. Lock held. */
void ng_host_reply_fail(ng_host_object_t *reply, const char *why);

/* The exit hook (<neptune/host.h>), or NULL. */
extern ng_host_exit_hook_t ng_host_exit_hook;

/* Signal a notification (ng_signal's effect). Lock held. */
void ng_host_signal_locked(ng_host_object_t *n, ng_badge_t badge);

/* Whether cptr names a slot of t's CSpace at all (slot 0 included). A cptr beyond it is a cap
 * fault on seL4, not an error: the lookup of a single-level CSpace's guard fails. */
static inline int ng_host_cptr_exists(const ng_host_thread_t *t, ng_cptr_t cptr)
{
    return t->cspace && cptr < t->cspace->nslots;
}

/* End the calling thread as seL4 would fault it (unrecoverable IPC misuse) at pc (the server
 * code's call into the transport). Lock NOT held. */
_Noreturn void ng_host_thread_fault(ng_host_thread_t *t, const char *what, ng_cptr_t cptr,
                                    uintptr_t pc);
/* End the calling thread with a vm fault at addr (a register access no model answers), after
 * printing why. Lock NOT held. */
_Noreturn void ng_host_thread_vm_fault(ng_host_thread_t *t, uintptr_t addr, uintptr_t pc,
                                       const char *why);

/* Install the fault handlers and the calling thread's alternate signal stack. */
void ng_host_fault_init_thread(ng_host_thread_t *t);
void ng_host_fault_fini_thread(ng_host_thread_t *t);
