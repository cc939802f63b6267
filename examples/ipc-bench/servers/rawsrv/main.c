/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * rawsrv: echo.bench written by hand, twice, as the benchmark's baselines. First a libsel4 loop
 * (seL4_Recv, then seL4_ReplyRecv with the reply in message registers), which also echoes
 * IPC_BENCH_LABEL_ECHO_WORDS requests word for word (the 4- and 5-word calls). On
 * IPC_BENCH_LABEL_TO_INLINE it moves to an inline-assembly loop that passes the message in
 * x2..x5 only and checks nothing: the floor no server can go below. Benchmark code, so it talks
 * to libsel4 directly; it uses the generated wrapper only for its slot numbers.
 *
 * On the MCS kernel both loops receive with the reply object in slot 7 (x6 in the inline loop),
 * and the first receive tells the root server it is initialised, as the generated transport
 * does, so that the root server can make it passive (the MCS fast path needs that).
 */
#include <stdio.h>

#include <sel4/sel4.h>

#include "../../include/ipc_bench.h"
#include "server_gen.h"

_Static_assert(IPC_BENCH_INFO(ECHO_BENCH_LABEL, 1) == 0x299ac001ul, "message info layout as seL4's");

#ifdef CONFIG_KERNEL_MCS
#define RAW_REPLY RAWSRV_CAP_REPLY_OBJ
#define RAW_X6 register seL4_Word x6 __asm__("x6") = RAW_REPLY
#define RAW_X6_IN , "r"(x6)
#else
#define RAW_X6
#define RAW_X6_IN
#endif

/*
 * The floor: ReplyRecv (x7 = seL4_SysReplyRecv, x0 = endpoint, x1 = message info, x2..x5 = the
 * message) answering r = a + b, forever. The first trap answers the control message with an
 * empty reply. Everything stays in registers: the kernel's fast path restores the others.
 */
static void __attribute__((noreturn)) serve_inline(void)
{
    register seL4_Word x0 __asm__("x0") = RAWSRV_CAP_EP;
    register seL4_Word x1 __asm__("x1") = IPC_BENCH_INFO(0, 0);
    register seL4_Word x7 __asm__("x7") = (seL4_Word)seL4_SysReplyRecv;
    RAW_X6;
    __asm__ volatile("1:\n\t"
                     "svc #0\n\t"
                     "add x2, x2, x3\n\t"
                     "mov x0, %[ep]\n\t"
                     "mov x1, %[info]\n\t"
                     "b 1b"
                     : "+r"(x0), "+r"(x1)
                     : "r"(x7), [ep] "i"(RAWSRV_CAP_EP), [info] "i"(IPC_BENCH_INFO(0, 1)) RAW_X6_IN
                     : "x2", "x3", "x4", "x5", "memory");
    __builtin_unreachable();
}

/* The libsel4 loop: what a careful hand-written server looks like (it checks the label). */
static void serve_libsel4(void)
{
    seL4_Word badge;
#ifdef CONFIG_KERNEL_MCS
    seL4_MessageInfo_t info = seL4_NBSendRecv(NG_SEL4_FAULT_EP, seL4_MessageInfo_new(NG_SEL4_READY_LABEL, 0, 0, 0),
                                              RAWSRV_CAP_EP, &badge, RAW_REPLY);
#else
    seL4_MessageInfo_t info = seL4_Recv(RAWSRV_CAP_EP, &badge);
#endif
    for (;;) {
        seL4_MessageInfo_t reply;
        switch (seL4_MessageInfo_get_label(info)) {
            case ECHO_BENCH_LABEL:
                seL4_SetMR(0, seL4_GetMR(0) + seL4_GetMR(1));
                reply = seL4_MessageInfo_new(0, 0, 0, 1);
                break;
            case IPC_BENCH_LABEL_ECHO_WORDS:
                /* The words are still in the message registers: send them back as they are. */
                reply = seL4_MessageInfo_new(0, 0, 0, seL4_MessageInfo_get_length(info));
                break;
            case IPC_BENCH_LABEL_TO_INLINE:
                return;
            default:
                reply = seL4_MessageInfo_new(NG_ENOSYS, 0, 0, 0);
                break;
        }
#ifdef CONFIG_KERNEL_MCS
        info = seL4_ReplyRecv(RAWSRV_CAP_EP, reply, &badge, RAW_REPLY);
#else
        info = seL4_ReplyRecv(RAWSRV_CAP_EP, reply, &badge);
#endif
    }
}

int main(void)
{
    printf("rawsrv: serving echo.bench by hand on slot %u\n", (unsigned)RAWSRV_CAP_EP);
    serve_libsel4();
    serve_inline();
}
