/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the benchmark client and the hand-written server agree on beyond idl/echo.idl: two
 * control labels for rawsrv's libsel4 loop (labels below 0x100 are never an IDL method's) and
 * the message info words of the inline-svc loops, which pass the message in registers only.
 */
#pragma once

/* rawsrv, libsel4 loop: reply with the very words of the request (the 4- and 5-word calls). */
#define IPC_BENCH_LABEL_ECHO_WORDS 0xb0u
/* rawsrv: answer this, then leave the libsel4 loop for the inline-svc loop for good. */
#define IPC_BENCH_LABEL_TO_INLINE 0xb1u

/* seL4 message info as a word: label << 12 | caps_unwrapped << 9 | extra_caps << 7 | length.
 * The inline loops build it by hand; the libsel4 code checks it against seL4_MessageInfo_new. */
#define IPC_BENCH_INFO(label, len) (((unsigned long)(label) << 12) | (unsigned long)(len))
