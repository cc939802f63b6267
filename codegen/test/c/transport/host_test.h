/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tiny helpers for the host-transport test programs: CHECK prints the failing expression and
 * exits 1; tests print "PASS <name>" at the end, which transport-host.test.ts looks for.
 */
#pragma once

#include <neptune/ipc.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                                              \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);             \
            exit(1);                                                                             \
        }                                                                                        \
    } while (0)

#define CHECK_EQ(a, b)                                                                           \
    do {                                                                                         \
        unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);           \
        if (a_ != b_) {                                                                          \
            fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %llu, %s == %llu\n", __FILE__,        \
                    __LINE__, #a, a_, #b, b_);                                                   \
            exit(1);                                                                             \
        }                                                                                        \
    } while (0)

#define RW (NG_HOST_RIGHT_READ | NG_HOST_RIGHT_WRITE)
/* What the layout gives a client of an rpc interface: send, and get a reply. */
#define CLIENT_RIGHTS (NG_HOST_RIGHT_WRITE | NG_HOST_RIGHT_GRANT_REPLY)
