/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The NT driver model as a driver process sees it: NT's types (DRIVER_OBJECT with its
 * MajorFunction table, DEVICE_OBJECT with its DeviceExtension, IRP with IoStatus and
 * AssociatedIrp.SystemBuffer, IO_STACK_LOCATION with its Parameters, FILE_OBJECT with
 * FsContext/FsContext2/FileName, UNICODE_STRING of 16-bit WCHARs) and the Io/Rtl/Ke routines a
 * driver calls, with NT's names and argument orders, so that a driver reads like an NT driver:
 *
 *   NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
 *   {
 *       UNICODE_STRING name;
 *       RtlInitUnicodeString(&name, u"\\Device\\Null");
 *       ... IoCreateDevice(DriverObject, 0, &name, FILE_DEVICE_NULL, 0, FALSE, &dev);
 *       DriverObject->MajorFunction[IRP_MJ_READ] = NullRead;
 *   }
 *
 * What differs from NT, because a driver is a process that pulls IRPs from the executive
 * (idl/ntdrv.idl) rather than code inside it: dispatch is synchronous (a routine completes the
 * IRP with IoCompleteRequest or passes it down with IoCallDriver before it returns; STATUS_PENDING
 * is not supported); every request is buffered (input and output in
 * Irp->AssociatedIrp.SystemBuffer, which Irp->UserBuffer also points at; no MDLs); a device of
 * another driver is a stand-in DEVICE_OBJECT (DriverObject NULL) that IoCallDriver reaches
 * through the executive; strings cross the wire as UTF-8 and are UTF-16 here.
 */
#ifndef DDK_NTDDK_H
#define DDK_NTDDK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <nt/ioctl.h>
#include <nt/irp.h>
#include <nt/status.h>

/* ---- Basic types ---- */
#define VOID void
typedef void *PVOID;
typedef char CHAR, CCHAR, *PCHAR;
typedef const char *PCSTR;
typedef uint8_t UCHAR, BOOLEAN, *PUCHAR, *PBOOLEAN;
typedef int16_t SHORT, CSHORT;
typedef uint16_t USHORT, WCHAR, *PUSHORT, *PWCHAR, *PWCH, *PWSTR;
typedef const uint16_t *PCWSTR, *PCWCH;
typedef int32_t LONG, *PLONG;
typedef uint32_t ULONG, *PULONG, DEVICE_TYPE, ACCESS_MASK;
typedef int64_t LONGLONG;
typedef uint64_t ULONGLONG, ULONG_PTR, SIZE_T, *PULONG_PTR;
typedef NTSTATUS *PNTSTATUS;
typedef void *HANDLE;
typedef CCHAR KPROCESSOR_MODE;
#define TRUE 1
#define FALSE 0
#define KernelMode 0
#define UserMode 1
#define IO_NO_INCREMENT 0
#define IN
#define OUT
#define OPTIONAL

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

/* A counted UTF-16 string: Length and MaximumLength in bytes, Buffer not NUL-terminated. */
typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

typedef struct _IO_STATUS_BLOCK {
    NTSTATUS Status;
    ULONG_PTR Information;
} IO_STATUS_BLOCK, *PIO_STATUS_BLOCK;

/* A synchronisation event: every IRP completes before IoCallDriver returns, so waiting on one
 * never blocks; it exists so that NT-shaped code (IoBuildSynchronousFsdRequest + wait) runs. */
typedef enum _EVENT_TYPE { NotificationEvent, SynchronizationEvent } EVENT_TYPE;
typedef struct _KEVENT {
    LONG SignalState;
} KEVENT, *PKEVENT;
typedef enum _KWAIT_REASON { Executive = 0 } KWAIT_REASON;

/* ---- Codes ---- */
#define IRP_MJ_CREATE 0x00
#define IRP_MJ_CLOSE 0x02
#define IRP_MJ_READ 0x03
#define IRP_MJ_WRITE 0x04
#define IRP_MJ_QUERY_INFORMATION 0x05
#define IRP_MJ_SET_INFORMATION 0x06
#define IRP_MJ_FLUSH_BUFFERS 0x09
#define IRP_MJ_QUERY_VOLUME_INFORMATION 0x0a
#define IRP_MJ_DIRECTORY_CONTROL 0x0c
#define IRP_MJ_FILE_SYSTEM_CONTROL 0x0d
#define IRP_MJ_DEVICE_CONTROL 0x0e
#define IRP_MJ_INTERNAL_DEVICE_CONTROL 0x0f
#define IRP_MJ_SHUTDOWN 0x10
#define IRP_MJ_CLEANUP 0x12
#define IRP_MJ_MAXIMUM_FUNCTION 0x1b

#define IRP_MN_QUERY_DIRECTORY 0x01
#define IRP_MN_USER_FS_REQUEST 0x00
#define IRP_MN_MOUNT_VOLUME 0x01

/* Irp->Flags */
#define IRP_NOCACHE 0x00000001
#define IRP_PAGING_IO 0x00000002
#define IRP_SYNCHRONOUS_PAGING_IO 0x00000040
/* IrpSp->Flags */
#define SL_RESTART_SCAN 0x01
#define SL_RETURN_SINGLE_ENTRY 0x02
#define SL_INDEX_SPECIFIED 0x04
#define SL_CASE_SENSITIVE 0x80

#define FILE_DEVICE_CD_ROM_FILE_SYSTEM 0x03
#define FILE_DEVICE_DISK_FILE_SYSTEM 0x08
#define FILE_DEVICE_NETWORK_FILE_SYSTEM 0x14
#define FILE_DEVICE_NULL 0x15
#define FILE_DEVICE_UNKNOWN 0x22

/* DEVICE_OBJECT Characteristics and Flags */
#define FILE_REMOVABLE_MEDIA 0x00000001
#define FILE_READ_ONLY_DEVICE 0x00000002
#define FILE_DEVICE_SECURE_OPEN 0x00000100
#define DO_BUFFERED_IO 0x00000004
#define DO_DEVICE_INITIALIZING 0x00000080
#define DO_DELETE_PENDING 0x00010000 /* neptune: deleted, kept while file objects name it */

/* CreateDisposition (IrpSp->Parameters.Create.Options >> 24) and CreateOptions (low 24 bits). */
#define FILE_SUPERSEDE 0x00000000
#define FILE_OPEN 0x00000001
#define FILE_CREATE 0x00000002
#define FILE_OPEN_IF 0x00000003
#define FILE_OVERWRITE 0x00000004
#define FILE_OVERWRITE_IF 0x00000005
#define FILE_MAXIMUM_DISPOSITION 0x00000005
#define FILE_DIRECTORY_FILE 0x00000001
#define FILE_WRITE_THROUGH 0x00000002
#define FILE_SEQUENTIAL_ONLY 0x00000004
#define FILE_NON_DIRECTORY_FILE 0x00000040
#define FILE_DELETE_ON_CLOSE 0x00001000
/* IoStatus.Information of a create */
#define FILE_SUPERSEDED 0x00000000
#define FILE_OPENED 0x00000001
#define FILE_CREATED 0x00000002
#define FILE_OVERWRITTEN 0x00000003
#define FILE_EXISTS 0x00000004
#define FILE_DOES_NOT_EXIST 0x00000005

#define FILE_ATTRIBUTE_READONLY 0x00000001
#define FILE_ATTRIBUTE_HIDDEN 0x00000002
#define FILE_ATTRIBUTE_SYSTEM 0x00000004
#define FILE_ATTRIBUTE_DIRECTORY 0x00000010
#define FILE_ATTRIBUTE_ARCHIVE 0x00000020
#define FILE_ATTRIBUTE_NORMAL 0x00000080

#define FILE_READ_DATA 0x0001
#define FILE_LIST_DIRECTORY 0x0001
#define FILE_WRITE_DATA 0x0002
#define FILE_APPEND_DATA 0x0004
#define DELETE 0x00010000
#define SYNCHRONIZE 0x00100000
#define GENERIC_READ 0x80000000
#define GENERIC_WRITE 0x40000000

typedef enum _FILE_INFORMATION_CLASS {
    FileDirectoryInformation = 1,
    FileBothDirectoryInformation = 3,
    FileBasicInformation = 4,
    FileStandardInformation = 5,
    FileInternalInformation = 6,
    FileRenameInformation = 10,
    FileDispositionInformation = 13,
    FilePositionInformation = 14,
    FileAllocationInformation = 19,
    FileEndOfFileInformation = 20,
    FileNetworkOpenInformation = 34,
} FILE_INFORMATION_CLASS;

typedef enum _FS_INFORMATION_CLASS {
    FileFsVolumeInformation = 1,
    FileFsSizeInformation = 3,
    FileFsDeviceInformation = 4,
    FileFsAttributeInformation = 5,
} FS_INFORMATION_CLASS;

/* ---- Objects ---- */
struct _DEVICE_OBJECT;
struct _DRIVER_OBJECT;
struct _IRP;
struct _FILE_OBJECT;

typedef NTSTATUS (*PDRIVER_DISPATCH)(struct _DEVICE_OBJECT *DeviceObject, struct _IRP *Irp);
typedef VOID (*PDRIVER_UNLOAD)(struct _DRIVER_OBJECT *DriverObject);
typedef NTSTATUS (*PDRIVER_INITIALIZE)(struct _DRIVER_OBJECT *DriverObject, PUNICODE_STRING RegistryPath);

/* Volume parameter block: ties a disk (RealDevice) to the file system's volume device. A file
 * system sets DeviceObject when it mounts (IRP_MN_MOUNT_VOLUME). */
typedef struct _VPB {
    CSHORT Type;
    CSHORT Size;
    USHORT Flags;
    USHORT VolumeLabelLength;
    struct _DEVICE_OBJECT *DeviceObject;
    struct _DEVICE_OBJECT *RealDevice;
    ULONG SerialNumber;
    ULONG ReferenceCount;
    WCHAR VolumeLabel[32];
} VPB, *PVPB;
#define VPB_MOUNTED 0x0001
#define VPB_LOCKED 0x0002

typedef struct _DRIVER_OBJECT {
    CSHORT Type;
    CSHORT Size;
    struct _DEVICE_OBJECT *DeviceObject; /* the driver's devices (NextDevice links them) */
    ULONG Flags;
    UNICODE_STRING DriverName;           /* \Driver\<name> */
    PUNICODE_STRING HardwareDatabase;
    PDRIVER_INITIALIZE DriverInit;
    PDRIVER_UNLOAD DriverUnload;
    PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];
} DRIVER_OBJECT, *PDRIVER_OBJECT;

typedef struct _DEVICE_OBJECT {
    CSHORT Type;
    USHORT Size;
    LONG ReferenceCount;                  /* file objects naming it */
    struct _DRIVER_OBJECT *DriverObject;  /* NULL: a device of another driver (a stand-in) */
    struct _DEVICE_OBJECT *NextDevice;
    struct _DEVICE_OBJECT *AttachedDevice;
    ULONG Flags;
    ULONG Characteristics;
    PVPB Vpb;
    PVOID DeviceExtension;
    DEVICE_TYPE DeviceType;
    CCHAR StackSize;
    ULONG AlignmentRequirement;
    USHORT SectorSize;
    /* neptune: the executive's name for the device (ntdrv `device`). */
    uint64_t NeptuneId;
} DEVICE_OBJECT, *PDEVICE_OBJECT;

typedef struct _FILE_OBJECT {
    CSHORT Type;
    CSHORT Size;
    PDEVICE_OBJECT DeviceObject;
    PVPB Vpb;
    PVOID FsContext;   /* the file system's per-file state (FCB) */
    PVOID FsContext2;  /* its per-open state (CCB) */
    BOOLEAN DeletePending;
    BOOLEAN ReadAccess, WriteAccess, DeleteAccess;
    ULONG Flags;
    UNICODE_STRING FileName; /* as given at IRP_MJ_CREATE: the path below the device */
    LARGE_INTEGER CurrentByteOffset;
    /* neptune: the executive's name for the file object (ntdrv irp.file). */
    uint64_t NeptuneId;
} FILE_OBJECT, *PFILE_OBJECT;

typedef struct _IO_SECURITY_CONTEXT {
    PVOID SecurityQos;
    PVOID AccessState;
    ACCESS_MASK DesiredAccess;
    ULONG FullCreateOptions;
} IO_SECURITY_CONTEXT, *PIO_SECURITY_CONTEXT;

typedef struct _IO_STACK_LOCATION {
    UCHAR MajorFunction;
    UCHAR MinorFunction;
    UCHAR Flags;
    UCHAR Control;
    union {
        struct {
            PIO_SECURITY_CONTEXT SecurityContext;
            ULONG Options; /* CreateDisposition << 24 | CreateOptions */
            USHORT FileAttributes;
            USHORT ShareAccess;
            ULONG EaLength;
        } Create;
        struct {
            ULONG Length;
            ULONG Key;
            LARGE_INTEGER ByteOffset;
        } Read;
        struct {
            ULONG Length;
            ULONG Key;
            LARGE_INTEGER ByteOffset;
        } Write;
        struct {
            ULONG Length;
            FILE_INFORMATION_CLASS FileInformationClass;
        } QueryFile;
        struct {
            ULONG Length;
            FILE_INFORMATION_CLASS FileInformationClass;
            struct _FILE_OBJECT *FileObject;
            BOOLEAN ReplaceIfExists;
            BOOLEAN AdvanceOnly;
        } SetFile;
        struct {
            ULONG Length;
            PUNICODE_STRING FileName; /* the pattern; NULL when none was given */
            FILE_INFORMATION_CLASS FileInformationClass;
            ULONG FileIndex;
        } QueryDirectory;
        struct {
            ULONG Length;
            FS_INFORMATION_CLASS FsInformationClass;
        } QueryVolume;
        struct {
            ULONG OutputBufferLength;
            ULONG InputBufferLength;
            ULONG FsControlCode;
            PVOID Type3InputBuffer;
        } FileSystemControl;
        struct {
            ULONG OutputBufferLength;
            ULONG InputBufferLength;
            ULONG IoControlCode;
            PVOID Type3InputBuffer;
        } DeviceIoControl;
        struct {
            PVPB Vpb;
            struct _DEVICE_OBJECT *DeviceObject; /* the device to mount */
        } MountVolume;
        struct {
            PVOID Argument1, Argument2, Argument3, Argument4;
        } Others;
    } Parameters;
    PDEVICE_OBJECT DeviceObject;
    PFILE_OBJECT FileObject;
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;

/* An IRP with two stack locations: the current one (this driver's) and the next (for a lower
 * driver). Neptune fields at the end are the library's own. */
#define DDK_IRP_STACK 2
typedef struct _IRP {
    CSHORT Type;
    USHORT Size;
    PVOID MdlAddress; /* always NULL: every request is buffered */
    ULONG Flags;
    union {
        struct _IRP *MasterIrp;
        PVOID SystemBuffer;
    } AssociatedIrp;
    IO_STATUS_BLOCK IoStatus;
    KPROCESSOR_MODE RequestorMode;
    BOOLEAN PendingReturned;
    CHAR StackCount;
    CHAR CurrentLocation;
    BOOLEAN Cancel;
    PIO_STATUS_BLOCK UserIosb;
    PKEVENT UserEvent;
    PVOID UserBuffer;
    struct {
        struct {
            struct _IO_STACK_LOCATION *CurrentStackLocation;
        } Overlay;
    } Tail;
    IO_STACK_LOCATION Stack[DDK_IRP_STACK];
    /* neptune */
    ULONG NeptuneBufferLength;  /* bytes SystemBuffer holds */
    LONG NeptuneOutputLength;   /* output bytes in SystemBuffer; -1: IoStatus.Information */
    uint64_t NeptuneId;         /* the executive's IRP id; 0 for an IRP built here */
    uint64_t NeptuneForwardTo;  /* IoCallDriver passed it down to this (foreign) device */
    UCHAR NeptuneState;         /* DDK_IRP_* */
    UCHAR NeptuneOwnsBuffer;    /* SystemBuffer was allocated for this IRP */
    UCHAR NeptuneBuilt;         /* IoBuild*Request: freed when IoCallDriver returns */
    UCHAR NeptuneDepth;         /* IoCallDriver calls under way on it */
    PVOID NeptuneOutput;        /* where a METHOD_BUFFERED request's output goes back */
    ULONG NeptuneOutputCap;
} IRP, *PIRP;
#define DDK_IRP_ACTIVE 0
#define DDK_IRP_COMPLETED 1
#define DDK_IRP_FORWARDED 2

/* ---- Io ---- */
static inline PIO_STACK_LOCATION IoGetCurrentIrpStackLocation(PIRP Irp) { return Irp->Tail.Overlay.CurrentStackLocation; }
static inline PIO_STACK_LOCATION IoGetNextIrpStackLocation(PIRP Irp) { return Irp->Tail.Overlay.CurrentStackLocation - 1; }
static inline VOID IoSkipCurrentIrpStackLocation(PIRP Irp)
{
    Irp->CurrentLocation++;
    Irp->Tail.Overlay.CurrentStackLocation++;
}
static inline VOID IoCopyCurrentIrpStackLocationToNext(PIRP Irp)
{
    *IoGetNextIrpStackLocation(Irp) = *IoGetCurrentIrpStackLocation(Irp);
}
/* neptune: how many output bytes of SystemBuffer go back when they are not IoStatus.Information
 * (a create's nt_create_result_t, whose Information is the create action). */
static inline VOID IoSetOutputLength(PIRP Irp, ULONG Length) { Irp->NeptuneOutputLength = (LONG)Length; }

NTSTATUS IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
                        DEVICE_TYPE DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                        PDEVICE_OBJECT *DeviceObject);
VOID IoDeleteDevice(PDEVICE_OBJECT DeviceObject);
PDEVICE_OBJECT IoAttachDeviceToDeviceStack(PDEVICE_OBJECT SourceDevice, PDEVICE_OBJECT TargetDevice);
VOID IoDetachDevice(PDEVICE_OBJECT TargetDevice);
/* The file object is NULL here (the executive keeps it); DeviceObject is a stand-in. */
NTSTATUS IoGetDeviceObjectPointer(PUNICODE_STRING ObjectName, ACCESS_MASK DesiredAccess, PFILE_OBJECT *FileObject,
                                  PDEVICE_OBJECT *DeviceObject);
NTSTATUS IoCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp);
VOID IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost);
PIRP IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota);
VOID IoFreeIrp(PIRP Irp);
PIRP IoBuildSynchronousFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject, PVOID Buffer, ULONG Length,
                                  PLARGE_INTEGER StartingOffset, PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock);
PIRP IoBuildDeviceIoControlRequest(ULONG IoControlCode, PDEVICE_OBJECT DeviceObject, PVOID InputBuffer,
                                   ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength,
                                   BOOLEAN InternalDeviceIoControl, PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock);
VOID ObReferenceObject(PVOID Object);
VOID ObDereferenceObject(PVOID Object);
VOID IoRegisterFileSystem(PDEVICE_OBJECT DeviceObject);
NTSTATUS IoCreateSymbolicLink(PUNICODE_STRING SymbolicLinkName, PUNICODE_STRING DeviceName);
NTSTATUS IoDeleteSymbolicLink(PUNICODE_STRING SymbolicLinkName);

/* ---- Ke / Ex ---- */
VOID KeInitializeEvent(PKEVENT Event, EVENT_TYPE Type, BOOLEAN State);
LONG KeSetEvent(PKEVENT Event, LONG Increment, BOOLEAN Wait);
VOID KeClearEvent(PKEVENT Event);
NTSTATUS KeWaitForSingleObject(PVOID Object, KWAIT_REASON WaitReason, KPROCESSOR_MODE WaitMode, BOOLEAN Alertable,
                               PLARGE_INTEGER Timeout);
typedef enum _POOL_TYPE { NonPagedPool, PagedPool } POOL_TYPE;
PVOID ExAllocatePoolWithTag(POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag);
VOID ExFreePool(PVOID P);
VOID ExFreePoolWithTag(PVOID P, ULONG Tag);
ULONG DbgPrint(PCSTR Format, ...) __attribute__((format(printf, 1, 2)));

/* ---- Rtl: strings ---- */
VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString);
VOID RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString);
NTSTATUS RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source);
LONG RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive);
BOOLEAN RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive);
BOOLEAN RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2, BOOLEAN CaseInSensitive);
WCHAR RtlUpcaseUnicodeChar(WCHAR SourceCharacter);
VOID RtlFreeUnicodeString(PUNICODE_STRING UnicodeString);
/* UTF-8 <-> UTF-16 (NT has these two); BytesInUnicodeString/BytesInUTF8String report what was
 * written; STATUS_BUFFER_TOO_SMALL when it did not fit, STATUS_INVALID_PARAMETER for malformed
 * input (NT would substitute U+FFFD; names with such bytes are refused here instead). */
NTSTATUS RtlUTF8ToUnicodeN(PWSTR UnicodeStringDestination, ULONG UnicodeStringMaxByteCount,
                           PULONG UnicodeStringActualByteCount, PCSTR UTF8StringSource, ULONG UTF8StringByteCount);
NTSTATUS RtlUnicodeToUTF8N(PCHAR UTF8StringDestination, ULONG UTF8StringMaxByteCount, PULONG UTF8StringActualByteCount,
                           PCWCH UnicodeStringSource, ULONG UnicodeStringByteCount);
/* neptune conveniences: a UNICODE_STRING from UTF-8 (Buffer from the pool; free it with
 * RtlFreeUnicodeString), and a UNICODE_STRING into a NUL-terminated UTF-8 buffer. */
NTSTATUS RtlCreateUnicodeStringFromUtf8(PUNICODE_STRING Destination, PCSTR Source, ULONG Bytes);
NTSTATUS RtlUnicodeStringToUtf8z(PCUNICODE_STRING Source, PCHAR Destination, ULONG DestinationBytes);

/* FsRtl: `Name` matches `Expression` with the wildcards * and ? (case-insensitive when asked). */
BOOLEAN FsRtlIsNameInExpression(PUNICODE_STRING Expression, PUNICODE_STRING Name, BOOLEAN IgnoreCase, PWCH UpcaseTable);
BOOLEAN FsRtlDoesNameContainWildCards(PUNICODE_STRING Name);

#define RtlZeroMemory(d, n) memset((d), 0, (n))
#define RtlCopyMemory(d, s, n) memcpy((d), (s), (n))
#define RtlMoveMemory(d, s, n) memmove((d), (s), (n))
#define UNREFERENCED_PARAMETER(p) ((void)(p))

#endif /* DDK_NTDDK_H */
