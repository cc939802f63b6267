/* SPDX-License-Identifier: BSD-2-Clause */
/* ntnull: \Device\Null as a driver process (the system must name it `ntnull`). */
#include <ddk/transport.h>

#include "server_gen.h"
#include "null.h"

int main(void) { return ddk_main(ntnull_use_ntdrv(), "ntnull", NullDriverEntry); }
