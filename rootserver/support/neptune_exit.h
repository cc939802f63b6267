/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How a server tells the root server it has finished: the label of the message its exit
 * handler sends on its fault endpoint (slot 2), with the exit status in the first word. Far
 * from every seL4 fault label, so the root server tells the two apart.
 */
#pragma once

#define NEPTUNE_EXIT_LABEL 0x4e5845u /* "NXE" */

/* MCS kernel: "initialised, now waiting in my first receive", sent by the seL4 transport
 * (runtime/sel4/include/neptune/transport.h, NG_SEL4_READY_LABEL) with seL4_NBSendRecv. */
#define NEPTUNE_READY_LABEL 0x4e5852u /* "NXR" */
