/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What both clients of the MCS example do: SPIN_ROUNDS rounds of the same busy loop, a call to
 * calc after each (printed), then one call that makes calc spin `heavy` thousand iterations on
 * the caller's scheduling context. Same work for both, so only their budgets tell them apart.
 */
#pragma once

#include <stdio.h>

#include "server_gen.h"

#define SPIN_ROUNDS 5u
#define SPIN_ITERATIONS 2000000ul

static inline void spin_run(const char *name, const echo_client_t *calc, uint64_t heavy)
{
    for (unsigned round = 1; round <= SPIN_ROUNDS; round++) {
        for (volatile unsigned long i = 0; i < SPIN_ITERATIONS; i++) {
        }
        uint64_t sum = 0;
        int err = echo_add(calc, round, 0, &sum);
        printf("%s: round %u of %u done; calc.add(%u, 0) = %lu (%s)\n", name, round, SPIN_ROUNDS, round,
               (unsigned long)sum, err == NG_OK ? "ok" : "failed");
    }
    if (heavy) {
        uint64_t sum = 0;
        int err = echo_add(calc, 1, heavy, &sum);
        printf("%s: heavy calc.add(1, %lu) = %lu (%s)\n", name, (unsigned long)heavy, (unsigned long)sum,
               err == NG_OK ? "ok" : "failed");
    }
    printf("%s: done\n", name);
}
