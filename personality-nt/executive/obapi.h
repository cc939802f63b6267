/* SPDX-License-Identifier: BSD-2-Clause */
/* The object manager's ntexec methods (obapi.c). */
#ifndef NTEXEC_OBAPI_H
#define NTEXEC_OBAPI_H

#include <ntexec_server_gen.h>

void obapi_ntexec_ops(ntexec_ops_t *ops);

#endif
