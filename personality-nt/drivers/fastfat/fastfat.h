/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FAT file system driver (fastfat) on the NT driver library: its volume, file and open
 * control blocks and the routines its files share. lib/fat does the on-disk work by path; the
 * volume reaches its disk through lib/bcache whose device is the disk driver, reached with
 * IoCallDriver (IoBuildSynchronousFsdRequest).
 *
 *   VCB  one mounted volume: the volume device's DeviceExtension points at it
 *   FCB  one file or directory open on it (FileObject->FsContext), shared by its opens
 *   CCB  one open (FileObject->FsContext2): the directory scan and its pattern
 */
#pragma once

#include <stdbool.h>

#include <bcache/bcache.h>
#include <ddk/ntddk.h>
#include <fat/fat.h>

#ifndef FF_EPOCH
#define FF_EPOCH 1767225600 /* 2026-01-01 00:00:00 UTC: timestamps without a clock */
#endif
#define FF_CACHE_BYTES (1024u * 1024u) /* block cache per volume */

typedef struct ff_vcb ff_vcb_t;

typedef struct ff_fcb {
    struct ff_fcb *next;
    ff_vcb_t *vcb;
    fat_file_t file;     /* node and chain position (a directory: its node) */
    bool is_dir, is_root, is_volume;
    bool delete_pending, deleted;
    uint32_t handles;    /* opens not yet cleaned up */
    uint32_t refs;       /* file objects not yet closed */
    char path[FAT_PATH_MAX]; /* '/'-separated below the root, "" for the root */
} ff_fcb_t;

typedef struct ff_ccb {
    bool delete_on_close;
    bool scanning, matched, ended;
    fat_dir_t dir;
    USHORT pattern_len; /* bytes */
    WCHAR pattern[NT_NAME_MAX + 1];
} ff_ccb_t;

struct ff_vcb {
    struct ff_vcb *next;
    PDEVICE_OBJECT volume; /* ours; NULL once dismounted */
    PDEVICE_OBJECT disk;   /* the disk below (a stand-in) */
    uint32_t block_size;
    uint64_t num_blocks;
    NTSTATUS io_status;    /* the disk's last failure, for FAT_EIO */
    bool mounted, locked, dismounted;
    PFILE_OBJECT lock_owner;
    ff_fcb_t *fcbs;
    ff_fcb_t volume_fcb;   /* opens of the volume itself (name "") */
    void *cache_mem;
    size_t cache_bytes;
    bcache_t cache;
    fat_volume_t vol;
};

/* The driver's state. */
typedef struct ff_state {
    PDRIVER_OBJECT driver;
    PDEVICE_OBJECT control;
    ff_vcb_t *volumes;
    uint32_t fault_countdown; /* FSCTL_NEPTUNE_FAULT_AFTER: fault at the IRP it counts down to */
    fat_clock_fn clock;
    void *clock_ctx;
    void *spare_cache;        /* a dismounted volume's cache memory, for the next mount */
    size_t spare_cache_bytes;
} ff_state_t;

extern ff_state_t FatData;

NTSTATUS FatDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
/* Where timestamps come from (before DriverEntry; default FF_EPOCH). */
void FatSetClock(fat_clock_fn clock, void *ctx);

/* fastfat.c */
NTSTATUS FatComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information);
NTSTATUS FatStatus(ff_vcb_t *vcb, fat_err_t e);
void FatEnter(void);
/* Writes everything of the volume back to the disk (after any IRP that changed it). */
NTSTATUS FatFlushVolume(ff_vcb_t *vcb);
int64_t FatNtTime(uint16_t date, uint16_t time);

/* disk.c: the volume's block device through IoCallDriver and the cache. */
NTSTATUS FatDiskInit(ff_vcb_t *vcb, PDEVICE_OBJECT disk);
void FatDiskFree(ff_vcb_t *vcb);
extern const fat_blockdev_t FatBlockdevTemplate;

/* create.c */
NTSTATUS FatCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatClose(PDEVICE_OBJECT DeviceObject, PIRP Irp);
/* "\a\b" (UTF-16) -> "a/b" (UTF-8) checked for NT's invalid characters. */
NTSTATUS FatPathFromName(PCUNICODE_STRING name, char *out, size_t cap);
ff_fcb_t *FatFindFcb(ff_vcb_t *vcb, const fat_node_t *node);
void FatFillCreateResult(ff_vcb_t *vcb, ff_fcb_t *fcb, nt_create_result_t *r);
uint32_t FatAttributes(uint8_t attr);
void FatFreeVcbIfUnused(ff_vcb_t *vcb);

/* io.c */
NTSTATUS FatRead(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatDeviceControl(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatQueryInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatSetInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatFlushBuffers(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* dir.c */
NTSTATUS FatDirectoryControl(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* fsctl.c */
NTSTATUS FatFileSystemControl(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatShutdown(PDEVICE_OBJECT DeviceObject, PIRP Irp);
/* Unmounts (clean) and deletes the volume device. */
NTSTATUS FatDismount(ff_vcb_t *vcb);

/* The VCB of a volume device (NULL for the control device). */
static inline ff_vcb_t *FatVcb(PDEVICE_OBJECT dev)
{
    return dev && dev->DeviceExtension ? *(ff_vcb_t **)dev->DeviceExtension : NULL;
}
