/* SPDX-License-Identifier: BSD-2-Clause */
/* fast: the MCS example's client with the default budget (1 ms every 1 ms) (spin.h). */
#include "../../include/spin.h"

int main(void)
{
    echo_client_t calc = fast_use_echo();
    spin_run("fast", &calc, 0u);
    return 0;
}
