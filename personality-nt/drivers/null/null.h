/* SPDX-License-Identifier: BSD-2-Clause */
/* \Device\Null's DriverEntry (null.c), for main.c and the host tests. */
#pragma once

#include <ddk/ntddk.h>

NTSTATUS NullDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
