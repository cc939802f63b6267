/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The host test bench's "kernel": build a system of kernel-object emulations in one Linux process,
 * the way the seL4 root server builds one from untyped memory. Endpoints and notifications are
 * objects; every server is a pthread with its own CSpace (an array of slots {object, badge,
 * rights}); <neptune/ipc.h> calls look a cptr up in the calling thread's CSpace, so a thread
 * without the cap cannot reach the object (NG_EIPC), as on seL4.
 *
 * A host root server reads the generated layout tables and, per server:
 *     cs = ng_host_cspace_new(layout.cnodeBits);
 *     for each slot: ng_host_cap_mint(cs, slot.slot, objects[slot.object], slot.badge, rights);
 *     ng_host_thread_start(server.name, cs, server_main, arg);
 * Slot kinds "recv" and "reply" stay empty (the transport fills them); "reserved" slots are unused.
 *
 * Objects are never freed: a host system lives as long as the process.
 *
 * Devices: an IRQ handler object stands for one interrupt line; the root server binds it to a
 * server's notification with a badge (seL4_IRQHandler_SetNotification), a device model raises it,
 * and the driver acknowledges it with ng_irq_ack (<neptune/dev.h>). Device models behind MMIO
 * windows are registered with <neptune/host_dev.h>.
 */
#pragma once

#include <neptune/msg.h>

typedef enum ng_host_obj_type {
    NG_HOST_OBJ_ENDPOINT = 1,
    NG_HOST_OBJ_NOTIFICATION = 2,
    NG_HOST_OBJ_REPLY = 3, /* made by the transport for each call; cannot be created */
    NG_HOST_OBJ_IRQ_HANDLER = 4,
} ng_host_obj_type_t;

/* Cap rights, as seL4_CapRights_t (and CapRights in codegen/src/model/system.ts). */
enum {
    NG_HOST_RIGHT_READ = 1 << 0,        /* receive (endpoint) / wait (notification) */
    NG_HOST_RIGHT_WRITE = 1 << 1,       /* send, call / signal */
    NG_HOST_RIGHT_GRANT = 1 << 2,       /* caps travel with messages sent through this cap */
    NG_HOST_RIGHT_GRANT_REPLY = 1 << 3, /* may call (get a reply) without Grant */
    NG_HOST_RIGHTS_ALL = 0xf,
};

typedef struct ng_host_object ng_host_object_t;
typedef struct ng_host_cspace ng_host_cspace_t;
typedef struct ng_host_thread ng_host_thread_t;

/* A new endpoint, notification or IRQ handler (NULL for any other type). */
ng_host_object_t *ng_host_object_new(ng_host_obj_type_t type);

/* A CSpace of 2^bits slots, all empty; slot 0 stays the null slot. */
ng_host_cspace_t *ng_host_cspace_new(unsigned bits);

/* Put a cap to obj with badge and rights into an empty slot. Returns NG_OK, or NG_EBADMSG if the
 * slot is 0, out of range or occupied. */
int ng_host_cap_mint(ng_host_cspace_t *cs, ng_cptr_t slot, ng_host_object_t *obj, ng_badge_t badge,
                     unsigned rights);

/* Empty a slot from outside any thread (the root server taking back a cap it handed out). */
void ng_host_cap_delete(ng_host_cspace_t *cs, ng_cptr_t slot);

/* What a slot holds: returns 1 and fills the non-NULL out-arguments, or 0 if the slot is empty. */
int ng_host_cap_query(ng_host_cspace_t *cs, ng_cptr_t slot, ng_host_object_t **obj,
                      ng_badge_t *badge, unsigned *rights);

/* Bind a notification to a thread (seL4_TCB_BindNotification): a signal to it also ends the
 * thread's endpoint receive, as an empty message (label 0, len 0) whose badge is the signalled
 * word (a signal sent before the bind is taken by its next receive). One notification per thread
 * and vice versa. Returns NG_OK or NG_EBADMSG. */
int ng_host_ntfn_bind(ng_host_object_t *ntfn, ng_host_thread_t *t);

/* Signal a notification from outside any thread's CSpace (a device model, the root server): ORs
 * badge into its word and wakes a waiter or its bound thread, as ng_signal does. Any thread. */
void ng_host_ntfn_signal(ng_host_object_t *ntfn, ng_badge_t badge);

/* Deliver an IRQ handler's interrupts to ntfn with badge (seL4_IRQHandler_SetNotification).
 * Returns NG_OK or NG_EBADMSG (wrong object types). */
int ng_host_irq_set_notification(ng_host_object_t *irq, ng_host_object_t *ntfn, ng_badge_t badge);

/* A device model drives the interrupt line, as seL4 sees it: a delivered interrupt stays masked
 * until the driver calls ng_irq_ack on its IRQ handler cap; a level-triggered line still asserted
 * then is delivered again. ng_host_irq_set_level sets a level-triggered line (1 asserted, 0 not);
 * ng_host_irq_pulse latches one edge. Any thread. */
void ng_host_irq_set_level(ng_host_object_t *irq, int asserted);
void ng_host_irq_pulse(ng_host_object_t *irq);

/* How a started thread ended, as the seL4 root server would decode it from a fault message. */
typedef enum ng_host_exit_kind {
    NG_HOST_EXIT_RETURNED = 0,       /* its entry returned */
    NG_HOST_EXIT_VM_FAULT = 1,       /* SIGSEGV, SIGBUS, or a register access outside its windows */
    NG_HOST_EXIT_CAP_FAULT = 2,      /* receive or wait on a cap it does not hold */
    NG_HOST_EXIT_USER_EXCEPTION = 3, /* SIGILL, SIGFPE */
    NG_HOST_EXIT_KILLED = 4,         /* ng_host_thread_kill */
} ng_host_exit_kind_t;

/* "SIGSEGV", "SIGBUS", … for the signals that stand for faults ("signal" for others). */
const char *ng_host_signal_name(int sig);

typedef struct ng_host_exit {
    ng_host_exit_kind_t kind;
    int sig;        /* what ng_host_thread_join returns */
    uintptr_t addr; /* vm fault: data address; cap fault: the cptr; exception: the signal */
    uintptr_t pc;   /* where it happened (0 if unknown) */
    int called_exit; /* returned: through exit(status) rather than a return from its entry */
    int status;      /* the status it passed to exit() */
} ng_host_exit_t;

/* Called on a started thread that ends (returns or faults), after the kernel cleaned up after it
 * and outside any lock, with the `arg` it was started with. While a hook is set the library
 * prints no fault line of its own: the hook reports (the host root server prints faults as the
 * seL4 one does). NULL restores the default. Set it before starting threads. */
typedef void (*ng_host_exit_hook_t)(void *arg, const ng_host_exit_t *exit);
/* While a hook is set, exit() called on a started thread ends only that thread (reported as
 * returned, called_exit = 1), as a server's exit() on seL4 ends only that server; elsewhere, or
 * without a hook, exit() ends the process as usual. */
void ng_host_exit_hook_set(ng_host_exit_hook_t hook);

/* Start a server thread running entry(arg) with CSpace cs. The name appears in fault reports. */
ng_host_thread_t *ng_host_thread_start(const char *name, ng_host_cspace_t *cs,
                                       void (*entry)(void *arg), void *arg);

/* Make the calling thread (e.g. a test's main) a host thread with CSpace cs, so it can use the
 * IPC API. Faults in an adopted thread are not isolated. */
ng_host_thread_t *ng_host_thread_adopt(const char *name, ng_host_cspace_t *cs);

/* Wait until a started thread ends. Returns 0 if its entry returned, or the signal that killed it
 * (SIGSEGV, SIGBUS, SIGILL, SIGFPE; or SIGABRT after an IPC on an invalid cap that seL4 would
 * treat as a cap fault). */
int ng_host_thread_join(ng_host_thread_t *t);

/* End a started thread from outside (seL4: its TCB suspended and destroyed). A thread blocked in
 * the host kernel (a receive, wait, send or call) ends at once; one running its own code ends at
 * its next host-kernel call (threads cannot be stopped safely anywhere else). It ends as any
 * thread does (exit hook with NG_HOST_EXIT_KILLED; ng_host_thread_join returns 0). Returns NG_OK,
 * or NG_EBADMSG if t is not a started thread or has ended. Any thread but t. */
int ng_host_thread_kill(ng_host_thread_t *t);

/* Free a CSpace nobody uses any more (its thread has ended): its caps are dropped. */
void ng_host_cspace_free(ng_host_cspace_t *cs);

/* The calling thread's host thread, or NULL. */
ng_host_thread_t *ng_host_self(void);
