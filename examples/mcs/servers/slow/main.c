/* SPDX-License-Identifier: BSD-2-Clause */
/* slow: the MCS example's client with a small budget (200 us every 10 ms), and a heavy last call (spin.h). */
#include "../../include/spin.h"

int main(void)
{
    echo_client_t calc = slow_use_echo();
    spin_run("slow", &calc, 3000u);
    return 0;
}
