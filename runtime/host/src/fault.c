/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fault isolation for host server threads: SIGSEGV, SIGBUS, SIGILL and SIGFPE raised by a started
 * thread's own code are reported as `fault: server <name>: signal SIGSEGV at <addr>` and end only
 * that thread (siglongjmp on its alternate signal stack back to its exit path); the others keep
 * running, as on seL4 where the supervisor receives the fault.
 *
 * Limits: the faulting thread's locks, heap blocks and other process state are not released
 * (servers share one address space, so a wild write can still corrupt another server); a fault
 * inside the host kernel itself or in an adopted thread takes the default action (the process
 * dies); signals sent with kill/raise are not faults and are left alone.
 */
#include "kernel.h"

#include <signal.h>
#include <stdint.h>
#include <ucontext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALTSTACK_BYTES (256 * 1024)

static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE };
static pthread_once_t handlers_once = PTHREAD_ONCE_INIT;

const char *ng_host_signal_name(int sig)
{
    switch (sig) {
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGILL:
        return "SIGILL";
    case SIGFPE:
        return "SIGFPE";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGABRT:
        return "SIGABRT";
    default:
        return "signal";
    }
}

/* Async-signal-safe formatting: write(2) only. */
static void put(const char *s)
{
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

static void put_hex(uintptr_t v)
{
    char b[2 + 2 * sizeof v + 1];
    int i = (int)sizeof b - 1;
    b[i] = '\0';
    do {
        b[--i] = "0123456789abcdef"[v & 0xf];
        v >>= 4;
    } while (v && i > 2);
    b[--i] = 'x';
    b[--i] = '0';
    put(&b[i]);
}

/* The faulting instruction's address, where the architecture is known. */
static uintptr_t fault_pc(void *uctx)
{
    const ucontext_t *uc = uctx;
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    return (uintptr_t)uc->uc_mcontext.pc;
#else
    (void)uc;
    return 0;
#endif
}

static void on_fault(int sig, siginfo_t *info, void *uctx)
{
    ng_host_thread_t *t = ng_host_self();
    if (!t || !t->started || !t->jmp_armed || t->in_kernel || info->si_code <= 0) {
        /* Not an isolatable fault: let the default action happen when the instruction reruns. */
        signal(sig, SIG_DFL);
        if (info->si_code <= 0) {
            raise(sig);
        }
        return;
    }
    int vm = sig == SIGSEGV || sig == SIGBUS;
    t->exit_info.kind = vm ? NG_HOST_EXIT_VM_FAULT : NG_HOST_EXIT_USER_EXCEPTION;
    t->exit_info.addr = vm ? (uintptr_t)info->si_addr : (uintptr_t)sig;
    t->exit_info.pc = fault_pc(uctx);
    if (!ng_host_exit_hook) {
        put("fault: server ");
        put(t->name);
        put(": signal ");
        put(ng_host_signal_name(sig));
        put(" at ");
        put_hex((uintptr_t)info->si_addr);
        put("\n");
    }
    siglongjmp(t->fault_jmp, sig);
}

static void install_handlers(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof fault_signals / sizeof fault_signals[0]; i++) {
        sigaction(fault_signals[i], &sa, NULL);
    }
}

void ng_host_fault_init_thread(ng_host_thread_t *t)
{
    pthread_once(&handlers_once, install_handlers);
    t->altstack = malloc(ALTSTACK_BYTES);
    if (t->altstack) {
        stack_t ss = { .ss_sp = t->altstack, .ss_size = ALTSTACK_BYTES, .ss_flags = 0 };
        sigaltstack(&ss, NULL);
    }
}

void ng_host_fault_fini_thread(ng_host_thread_t *t)
{
    stack_t ss = { .ss_sp = NULL, .ss_size = 0, .ss_flags = SS_DISABLE };
    sigaltstack(&ss, NULL);
    free(t->altstack);
    t->altstack = NULL;
}
