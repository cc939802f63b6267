/* SPDX-License-Identifier: BSD-2-Clause */
/* Asks for more heap than its spawner's whole budget: spawning it fails with no_memory. */
int main(void)
{
    return 0;
}
