/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Control codes the NT personality uses (NT's CTL_CODE encoding and values): the file-system
 * controls of volume locking and dismounting and the disk IOCTLs, plus neptune's own controls
 * (function codes 0x800 and up, the range NT leaves to others).
 */
#ifndef NT_IOCTL_H
#define NT_IOCTL_H

#include <stdint.h>

#define NT_CTL_CODE(type, function, method, access) \
    (((uint32_t)(type) << 16) | ((uint32_t)(access) << 14) | ((uint32_t)(function) << 2) | (uint32_t)(method))

#define METHOD_BUFFERED 0
#define FILE_ANY_ACCESS 0
#define FILE_READ_ACCESS 1
#define FILE_WRITE_ACCESS 2

#define FILE_DEVICE_DISK 0x07
#define FILE_DEVICE_FILE_SYSTEM 0x09

/* File-system controls (NtFsControlFile). */
#define FSCTL_LOCK_VOLUME NT_CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 6, METHOD_BUFFERED, FILE_ANY_ACCESS)     /* 0x90018 */
#define FSCTL_UNLOCK_VOLUME NT_CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 7, METHOD_BUFFERED, FILE_ANY_ACCESS)   /* 0x9001c */
#define FSCTL_DISMOUNT_VOLUME NT_CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 8, METHOD_BUFFERED, FILE_ANY_ACCESS) /* 0x90020 */
#define FSCTL_IS_VOLUME_MOUNTED NT_CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 10, METHOD_BUFFERED, FILE_ANY_ACCESS) /* 0x90028 */
/* Extents of a file: input a starting VCN (int64, in clusters), output
 * RETRIEVAL_POINTERS_BUFFER-shaped runs (see nt_retrieval_pointers_t). */
#define FSCTL_GET_RETRIEVAL_POINTERS NT_CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 28, 3, FILE_ANY_ACCESS)  /* 0x90073 */

/* neptune: the file system faults on purpose (a write to address 0) when it handles its
 * input's uint32 count-th IRP from now: a driver death at a chosen point, for fault tests. */
#define FSCTL_NEPTUNE_FAULT_AFTER NT_CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* Disk controls (NtDeviceIoControlFile). */
#define IOCTL_DISK_GET_DRIVE_GEOMETRY NT_CTL_CODE(FILE_DEVICE_DISK, 0, METHOD_BUFFERED, FILE_ANY_ACCESS)      /* 0x70000 */
#define IOCTL_DISK_GET_LENGTH_INFO NT_CTL_CODE(FILE_DEVICE_DISK, 0x17, METHOD_BUFFERED, FILE_READ_ACCESS)     /* 0x7405c */

/* FSCTL_GET_RETRIEVAL_POINTERS output: `count` runs; run i covers the file's clusters from
 * the previous run's next_vcn (the first: starting_vcn) up to runs[i].next_vcn, on the volume
 * from cluster runs[i].lcn. `cluster_bytes` and `first_cluster_offset` (the volume byte offset
 * of LCN 0) let the executive turn clusters into volume offsets; they are neptune's additions
 * (NT takes them from the volume's geometry). */
typedef struct nt_retrieval_run {
    int64_t next_vcn;
    int64_t lcn;
} nt_retrieval_run_t;

typedef struct nt_retrieval_pointers {
    uint32_t count;
    uint32_t cluster_bytes;
    int64_t starting_vcn;
    int64_t first_cluster_offset;
    nt_retrieval_run_t runs[];
} nt_retrieval_pointers_t;

/* IOCTL_DISK_GET_LENGTH_INFO output (GET_LENGTH_INFORMATION). */
typedef struct nt_get_length_information {
    int64_t length;
} nt_get_length_information_t;

/* IOCTL_DISK_GET_DRIVE_GEOMETRY output (DISK_GEOMETRY). */
typedef struct nt_disk_geometry {
    int64_t cylinders;
    uint32_t media_type;  /* FixedMedia = 12 */
    uint32_t tracks_per_cylinder;
    uint32_t sectors_per_track;
    uint32_t bytes_per_sector;
} nt_disk_geometry_t;

#endif
