/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The driver library's core, free of any transport: turns an IRP from the executive (ntdrv's
 * flattened irp plus its data) into IRP / IO_STACK_LOCATION / FILE_OBJECT, runs the driver's
 * dispatch routine and turns what it did (IoCompleteRequest, or IoCallDriver on the current IRP
 * after IoSkipCurrentIrpStackLocation) into the completion; IoCallDriver on an IRP built here
 * (IoBuildSynchronousFsdRequest, IoBuildDeviceIoControlRequest) goes to the driver's own
 * dispatch routine for its own devices and through the transport's call_driver for others.
 *
 * The incoming IRP's data is copied into the library's own SystemBuffer before the dispatch
 * routine runs: on the real transport it lies in the connection's shared buffer, which the next
 * call through that connection (an IoCallDriver in the middle of the IRP) overwrites.
 */
#include <stdio.h>
#include <stdlib.h>

#include <ddk/ddk.h>

#include "ddk_int.h"

ddk_state_t ddk_g;
#define D ddk_g

/* ---- Memory: malloc, else a static arena of fixed slots (drivers without a heap) ---- */

#define ARENA_SLOT 1024
#define ARENA_SLOTS 48
static _Alignas(16) uint8_t arena[ARENA_SLOTS][ARENA_SLOT];
static uint8_t arena_used[ARENA_SLOTS];

void *ddk_alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p) return p;
    if (n > ARENA_SLOT) return NULL;
    for (unsigned i = 0; i < ARENA_SLOTS; i++)
        if (!arena_used[i]) {
            arena_used[i] = 1;
            return arena[i];
        }
    return NULL;
}

void ddk_free(void *p)
{
    if (!p) return;
    uintptr_t b = (uintptr_t)p, base = (uintptr_t)arena;
    if (b >= base && b < base + sizeof arena) {
        arena_used[(b - base) / ARENA_SLOT] = 0;
        return;
    }
    free(p);
}

static void *zalloc(size_t n)
{
    void *p = ddk_alloc(n);
    if (p) memset(p, 0, n);
    return p;
}

/* ---- Devices ---- */

static PDEVICE_OBJECT find_in(PDEVICE_OBJECT list, uint64_t id)
{
    for (PDEVICE_OBJECT d = list; d; d = d->NextDevice)
        if (d->NeptuneId == id) return d;
    return NULL;
}

/* One of ours (deleted ones too, while file objects name them). */
PDEVICE_OBJECT ddk_own_device(uint64_t id)
{
    PDEVICE_OBJECT d = find_in(D.driver.DeviceObject, id);
    return d ? d : find_in(D.deleted, id);
}

PDEVICE_OBJECT ddk_device(uint64_t id)
{
    if (id == 0) return NULL;
    PDEVICE_OBJECT d = ddk_own_device(id);
    if (d) return d;
    if ((d = find_in(D.foreign, id))) return d;
    d = zalloc(sizeof *d);
    if (!d) return NULL;
    d->Type = 3;
    d->Size = sizeof *d;
    d->NeptuneId = id;
    d->StackSize = 1;
    d->SectorSize = 512;
    d->NextDevice = D.foreign;
    D.foreign = d;
    return d;
}

static void unlink_device(PDEVICE_OBJECT *list, PDEVICE_OBJECT dev)
{
    for (PDEVICE_OBJECT *p = list; *p; p = &(*p)->NextDevice)
        if (*p == dev) {
            *p = dev->NextDevice;
            dev->NextDevice = NULL;
            return;
        }
}

static void device_release(PDEVICE_OBJECT dev)
{
    if (!dev || dev->DriverObject != &D.driver) return;
    if (--dev->ReferenceCount <= 0 && (dev->Flags & DO_DELETE_PENDING)) {
        unlink_device(&D.deleted, dev);
        ddk_free(dev);
    }
}

/* A name as UTF-8 for the wire, NUL-terminated in buf (NT_NAME_MAX + 1 bytes). */
static NTSTATUS wire_name(PCUNICODE_STRING s, char *buf)
{
    NTSTATUS st = RtlUnicodeStringToUtf8z(s, buf, NT_NAME_MAX + 1);
    if (st == STATUS_BUFFER_TOO_SMALL) return STATUS_NAME_TOO_LONG;
    return NT_SUCCESS(st) ? st : STATUS_OBJECT_NAME_INVALID;
}

NTSTATUS IoCreateDevice(PDRIVER_OBJECT drv, ULONG ext, PUNICODE_STRING name, DEVICE_TYPE type, ULONG chars,
                        BOOLEAN exclusive, PDEVICE_OBJECT *out)
{
    char n[NT_NAME_MAX + 1];
    *out = NULL;
    if (drv != &D.driver || !D.t) return STATUS_INVALID_PARAMETER;
    NTSTATUS st = wire_name(name, n);
    if (!NT_SUCCESS(st)) return st;
    size_t head = (sizeof(DEVICE_OBJECT) + 15) & ~(size_t)15;
    PDEVICE_OBJECT d = zalloc(head + ext);
    if (!d) return STATUS_INSUFFICIENT_RESOURCES;
    uint64_t id = 0;
    st = D.t->create_device(D.t->ctx, n, type, chars, exclusive, &id);
    if (!NT_SUCCESS(st)) {
        ddk_free(d);
        return st;
    }
    d->Type = 3;
    d->Size = (USHORT)(head + ext > 0xffff ? 0xffff : head + ext);
    d->DriverObject = drv;
    d->DeviceType = type;
    d->Characteristics = chars;
    d->Flags = DO_DEVICE_INITIALIZING;
    d->DeviceExtension = ext ? (uint8_t *)d + head : NULL;
    d->StackSize = 1;
    d->SectorSize = 512;
    d->NeptuneId = id;
    d->NextDevice = drv->DeviceObject;
    drv->DeviceObject = d;
    *out = d;
    return STATUS_SUCCESS;
}

VOID IoDeleteDevice(PDEVICE_OBJECT dev)
{
    if (!dev || dev->DriverObject != &D.driver || (dev->Flags & DO_DELETE_PENDING)) return;
    NTSTATUS st = D.t->delete_device(D.t->ctx, dev->NeptuneId);
    if (!NT_SUCCESS(st)) DbgPrint("%s: IoDeleteDevice: %s\n", D.name, nt_status_name(st));
    unlink_device(&D.driver.DeviceObject, dev);
    if (dev->ReferenceCount > 0) {
        dev->Flags |= DO_DELETE_PENDING;
        dev->NextDevice = D.deleted;
        D.deleted = dev;
    } else {
        ddk_free(dev);
    }
}

PDEVICE_OBJECT IoAttachDeviceToDeviceStack(PDEVICE_OBJECT src, PDEVICE_OBJECT target)
{
    uint64_t lower = 0;
    if (!src || !target || src->DriverObject != &D.driver) return NULL;
    NTSTATUS st = D.t->attach_device(D.t->ctx, src->NeptuneId, target->NeptuneId, &lower);
    if (!NT_SUCCESS(st)) return NULL;
    PDEVICE_OBJECT l = ddk_device(lower);
    if (l) {
        l->AttachedDevice = src;
        src->StackSize = (CCHAR)(l->StackSize + 1);
    }
    return l;
}

VOID IoDetachDevice(PDEVICE_OBJECT target)
{
    if (target) target->AttachedDevice = NULL;
}

NTSTATUS IoGetDeviceObjectPointer(PUNICODE_STRING name, ACCESS_MASK access, PFILE_OBJECT *fo, PDEVICE_OBJECT *dev)
{
    (void)access;
    char n[NT_NAME_MAX + 1];
    uint64_t id = 0;
    if (fo) *fo = NULL;
    *dev = NULL;
    NTSTATUS st = wire_name(name, n);
    if (NT_SUCCESS(st)) st = D.t->get_device(D.t->ctx, n, &id);
    if (!NT_SUCCESS(st)) return st;
    *dev = ddk_device(id);
    return *dev ? STATUS_SUCCESS : STATUS_INSUFFICIENT_RESOURCES;
}

VOID ObDereferenceObject(PVOID obj) { (void)obj; }
VOID ObReferenceObject(PVOID obj) { (void)obj; }

VOID IoRegisterFileSystem(PDEVICE_OBJECT dev)
{
    NTSTATUS st = D.t->register_file_system(D.t->ctx, dev->NeptuneId);
    if (!NT_SUCCESS(st)) DbgPrint("%s: IoRegisterFileSystem: %s\n", D.name, nt_status_name(st));
}

NTSTATUS IoCreateSymbolicLink(PUNICODE_STRING link, PUNICODE_STRING target)
{
    char l[NT_NAME_MAX + 1], t[NT_NAME_MAX + 1];
    NTSTATUS st = wire_name(link, l);
    if (NT_SUCCESS(st)) st = wire_name(target, t);
    return NT_SUCCESS(st) ? D.t->create_symbolic_link(D.t->ctx, l, t) : st;
}

NTSTATUS IoDeleteSymbolicLink(PUNICODE_STRING link)
{
    char l[NT_NAME_MAX + 1];
    NTSTATUS st = wire_name(link, l);
    return NT_SUCCESS(st) ? D.t->delete_symbolic_link(D.t->ctx, l) : st;
}

/* ---- IRPs ---- */

static void irp_init(PIRP irp)
{
    memset(irp, 0, sizeof *irp);
    irp->Type = 6;
    irp->Size = sizeof *irp;
    irp->StackCount = DDK_IRP_STACK;
    irp->CurrentLocation = DDK_IRP_STACK + 1;
    irp->Tail.Overlay.CurrentStackLocation = &irp->Stack[DDK_IRP_STACK];
    irp->NeptuneOutputLength = -1;
    irp->IoStatus.Status = STATUS_SUCCESS;
}

PIRP IoAllocateIrp(CCHAR stack, BOOLEAN quota)
{
    (void)quota;
    if (stack > DDK_IRP_STACK) return NULL;
    PIRP irp = ddk_alloc(sizeof *irp);
    if (irp) irp_init(irp);
    return irp;
}

VOID IoFreeIrp(PIRP irp)
{
    if (!irp || irp == &D.irp) return;
    if (irp->NeptuneOwnsBuffer) ddk_free(irp->AssociatedIrp.SystemBuffer);
    ddk_free(irp);
}

PIRP IoBuildSynchronousFsdRequest(ULONG major, PDEVICE_OBJECT dev, PVOID buf, ULONG len, PLARGE_INTEGER off,
                                  PKEVENT ev, PIO_STATUS_BLOCK iosb)
{
    PIRP irp = IoAllocateIrp(DDK_IRP_STACK, FALSE);
    if (!irp) return NULL;
    irp->NeptuneBuilt = 1;
    irp->UserBuffer = buf;
    irp->AssociatedIrp.SystemBuffer = buf;
    irp->NeptuneBufferLength = len;
    irp->UserIosb = iosb;
    irp->UserEvent = ev;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = (UCHAR)major;
    sp->DeviceObject = dev;
    if (major == IRP_MJ_READ || major == IRP_MJ_WRITE) {
        sp->Parameters.Read.Length = len;
        sp->Parameters.Read.ByteOffset.QuadPart = off ? off->QuadPart : 0;
    }
    return irp;
}

PIRP IoBuildDeviceIoControlRequest(ULONG code, PDEVICE_OBJECT dev, PVOID in, ULONG in_len, PVOID out, ULONG out_len,
                                   BOOLEAN internal, PKEVENT ev, PIO_STATUS_BLOCK iosb)
{
    PIRP irp = IoAllocateIrp(DDK_IRP_STACK, FALSE);
    if (!irp) return NULL;
    ULONG n = in_len > out_len ? in_len : out_len;
    if (n > DDK_MAX_DATA || !(irp->AssociatedIrp.SystemBuffer = zalloc(n))) {
        IoFreeIrp(irp);
        return NULL;
    }
    if (in_len) memcpy(irp->AssociatedIrp.SystemBuffer, in, in_len);
    irp->NeptuneBuilt = 1;
    irp->NeptuneOwnsBuffer = 1;
    irp->NeptuneBufferLength = n;
    irp->NeptuneOutput = out;
    irp->NeptuneOutputCap = out_len;
    irp->UserIosb = iosb;
    irp->UserEvent = ev;
    PIO_STACK_LOCATION sp = IoGetNextIrpStackLocation(irp);
    sp->MajorFunction = internal ? IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ_DEVICE_CONTROL;
    sp->DeviceObject = dev;
    sp->Parameters.DeviceIoControl.IoControlCode = code;
    sp->Parameters.DeviceIoControl.InputBufferLength = in_len;
    sp->Parameters.DeviceIoControl.OutputBufferLength = out_len;
    return irp;
}

VOID IoCompleteRequest(PIRP irp, CCHAR boost)
{
    (void)boost;
    if (irp->NeptuneState != DDK_IRP_ACTIVE) {
        DbgPrint("%s: IRP completed twice\n", D.name);
        return;
    }
    irp->NeptuneState = DDK_IRP_COMPLETED;
    if (irp->NeptuneOutput && irp->IoStatus.Status >= 0 && irp->IoStatus.Status != STATUS_PENDING) {
        size_t n = irp->IoStatus.Information;
        if (n > irp->NeptuneOutputCap) n = irp->NeptuneOutputCap;
        if (n > irp->NeptuneBufferLength) n = irp->NeptuneBufferLength;
        memcpy(irp->NeptuneOutput, irp->AssociatedIrp.SystemBuffer, n);
    }
    if (irp->UserIosb) *irp->UserIosb = irp->IoStatus;
    if (irp->UserEvent) KeSetEvent(irp->UserEvent, 0, FALSE);
}

/* The dispatch routine for `major`, or NT's default (STATUS_INVALID_DEVICE_REQUEST). */
static NTSTATUS invalid_request(PDEVICE_OBJECT dev, PIRP irp)
{
    (void)dev;
    irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    irp->IoStatus.Information = 0;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}

/* Runs our own dispatch routine on the current stack location; an IRP the routine left
 * neither completed nor passed on is completed with what it returned. */
static NTSTATUS run_dispatch(PDEVICE_OBJECT dev, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    sp->DeviceObject = dev;
    PDRIVER_DISPATCH fn = sp->MajorFunction <= IRP_MJ_MAXIMUM_FUNCTION ? D.driver.MajorFunction[sp->MajorFunction] : NULL;
    NTSTATUS st = (fn ? fn : invalid_request)(dev, irp);
    if (irp->NeptuneState == DDK_IRP_ACTIVE) {
        if (st == STATUS_PENDING) {
            DbgPrint("%s: major %u returned STATUS_PENDING without completing: not supported\n", D.name,
                     (unsigned)sp->MajorFunction);
            st = STATUS_INTERNAL_ERROR;
        }
        irp->IoStatus.Status = st;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
    return st;
}

/* An IRP built here, to a device of another driver, through the executive. */
static void call_foreign(PDEVICE_OBJECT dev, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    ntdrv_irp_t w;
    memset(&w, 0, sizeof w);
    w.device = dev->NeptuneId;
    w.file = sp->FileObject ? sp->FileObject->NeptuneId : 0;
    w.major = sp->MajorFunction;
    w.minor = sp->MinorFunction;
    w.flags = irp->Flags | (uint32_t)sp->Flags << 16;
    const void *in = NULL;
    size_t in_len = 0, cap = 0;
    void *out = NULL;
    switch (sp->MajorFunction) {
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        w.offset = sp->Parameters.Read.ByteOffset.QuadPart;
        w.length = sp->Parameters.Read.Length;
        if (sp->MajorFunction == IRP_MJ_WRITE) in = irp->UserBuffer, in_len = w.length;
        else out = irp->UserBuffer, cap = w.length;
        break;
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
    case IRP_MJ_FILE_SYSTEM_CONTROL:
        w.control_code = sp->Parameters.DeviceIoControl.IoControlCode;
        w.length = sp->Parameters.DeviceIoControl.OutputBufferLength;
        in = irp->AssociatedIrp.SystemBuffer, in_len = sp->Parameters.DeviceIoControl.InputBufferLength;
        out = irp->AssociatedIrp.SystemBuffer, cap = irp->NeptuneBufferLength;
        break;
    case IRP_MJ_QUERY_INFORMATION:
    case IRP_MJ_SET_INFORMATION:
        w.info_class = sp->Parameters.QueryFile.FileInformationClass;
        w.length = sp->Parameters.QueryFile.Length;
        in = irp->AssociatedIrp.SystemBuffer, in_len = sp->MajorFunction == IRP_MJ_SET_INFORMATION ? w.length : 0;
        out = irp->AssociatedIrp.SystemBuffer, cap = irp->NeptuneBufferLength;
        break;
    default:
        break;
    }
    if (in_len > DDK_MAX_DATA || cap > DDK_MAX_DATA || (in_len && !in) || (cap && !out)) {
        irp->IoStatus.Status = STATUS_INVALID_PARAMETER;
        irp->IoStatus.Information = 0;
    } else {
        size_t got = 0;
        uint64_t info = 0;
        irp->IoStatus.Status = D.t->call_driver(D.t->ctx, &w, in, in_len, out, cap, &got, &info);
        irp->IoStatus.Information = info;
    }
    IoCompleteRequest(irp, IO_NO_INCREMENT);
}

NTSTATUS IoCallDriver(PDEVICE_OBJECT dev, PIRP irp)
{
    if (!dev || !irp || irp->CurrentLocation <= 1) return STATUS_INVALID_PARAMETER;
    irp->CurrentLocation--;
    irp->Tail.Overlay.CurrentStackLocation--;
    bool own = dev->DriverObject == &D.driver;
    if (irp->NeptuneId != 0 && !own) {
        /* The executive's IRP, passed down: the completion names the lower device. */
        irp->NeptuneForwardTo = dev->NeptuneId;
        irp->NeptuneState = DDK_IRP_FORWARDED;
        return STATUS_PENDING;
    }
    irp->NeptuneDepth++;
    NTSTATUS st;
    if (own) {
        st = run_dispatch(dev, irp);
    } else {
        call_foreign(dev, irp);
        st = irp->IoStatus.Status;
    }
    if (irp->NeptuneState == DDK_IRP_COMPLETED) st = irp->IoStatus.Status;
    if (--irp->NeptuneDepth == 0 && irp->NeptuneBuilt) IoFreeIrp(irp);
    return st;
}

/* ---- File objects ---- */

static ddk_file_t **file_slot(uint64_t id)
{
    ddk_file_t **p = &D.files;
    while (*p && (*p)->fo.NeptuneId != id) p = &(*p)->next;
    return p;
}

static void file_free(ddk_file_t *f)
{
    if (!f) return;
    ddk_file_t **p = file_slot(f->fo.NeptuneId);
    if (*p == f) *p = f->next;
    device_release(f->fo.DeviceObject);
    ddk_free(f);
}

/* A new file object for IRP_MJ_CREATE, named as the wire says. */
static NTSTATUS file_create(const ntdrv_irp_t *w, PDEVICE_OBJECT dev, ddk_file_t **out)
{
    *out = NULL;
    size_t n = strnlen(w->name, sizeof w->name - 1);
    ULONG units;
    if (!NT_SUCCESS(RtlUTF8ToUnicodeN(NULL, 0xfffe, &units, w->name, (ULONG)n))) return STATUS_OBJECT_NAME_INVALID;
    ddk_file_t *f = zalloc(sizeof *f + units + 2);
    if (!f) return STATUS_INSUFFICIENT_RESOURCES;
    RtlUTF8ToUnicodeN(f->name, units, &units, w->name, (ULONG)n);
    f->fo.Type = 5;
    f->fo.Size = sizeof f->fo;
    f->fo.FileName.Buffer = f->name;
    f->fo.FileName.Length = (USHORT)units;
    f->fo.FileName.MaximumLength = (USHORT)(units + 2);
    f->fo.DeviceObject = dev;
    f->fo.NeptuneId = w->file;
    f->fo.ReadAccess = (w->desired_access & (FILE_READ_DATA | GENERIC_READ)) != 0;
    f->fo.WriteAccess = (w->desired_access & (FILE_WRITE_DATA | FILE_APPEND_DATA | GENERIC_WRITE)) != 0;
    f->fo.DeleteAccess = (w->desired_access & DELETE) != 0;
    dev->ReferenceCount++;
    if (w->file) {
        ddk_file_t **old = file_slot(w->file);
        if (*old) file_free(*old); /* a stale one of the same id: the executive reused it */
        f->next = D.files;
        D.files = f;
    }
    *out = f;
    return STATUS_SUCCESS;
}

/* ---- One IRP from the executive ---- */

/* Output bytes the request may return (SystemBuffer must hold them). */
static size_t output_room(const ntdrv_irp_t *w)
{
    switch (w->major) {
    case IRP_MJ_CREATE:
        return sizeof(nt_create_result_t);
    case IRP_MJ_READ:
    case IRP_MJ_QUERY_INFORMATION:
    case IRP_MJ_QUERY_VOLUME_INFORMATION:
    case IRP_MJ_DIRECTORY_CONTROL:
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        return w->length;
    case IRP_MJ_FILE_SYSTEM_CONTROL:
        return w->minor == IRP_MN_MOUNT_VOLUME ? 0 : w->length;
    default:
        return 0;
    }
}

static bool returns_data(UCHAR major, UCHAR minor)
{
    switch (major) {
    case IRP_MJ_READ:
    case IRP_MJ_QUERY_INFORMATION:
    case IRP_MJ_QUERY_VOLUME_INFORMATION:
    case IRP_MJ_DIRECTORY_CONTROL:
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        return true;
    case IRP_MJ_FILE_SYSTEM_CONTROL:
        return minor != IRP_MN_MOUNT_VOLUME;
    default:
        return false;
    }
}

static void fill_stack(PIO_STACK_LOCATION sp, const ntdrv_irp_t *w, size_t in_len)
{
    sp->MajorFunction = w->major;
    sp->MinorFunction = w->minor;
    sp->Flags = (UCHAR)(w->flags >> 16);
    switch (w->major) {
    case IRP_MJ_CREATE:
        D.security.DesiredAccess = w->desired_access;
        D.security.FullCreateOptions = w->options;
        sp->Parameters.Create.SecurityContext = &D.security;
        sp->Parameters.Create.Options = w->options;
        sp->Parameters.Create.FileAttributes = (USHORT)w->file_attributes;
        sp->Parameters.Create.ShareAccess = (USHORT)w->share_access;
        break;
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        sp->Parameters.Read.Length = w->length;
        sp->Parameters.Read.ByteOffset.QuadPart = w->offset;
        break;
    case IRP_MJ_QUERY_INFORMATION:
        sp->Parameters.QueryFile.Length = w->length;
        sp->Parameters.QueryFile.FileInformationClass = (FILE_INFORMATION_CLASS)w->info_class;
        break;
    case IRP_MJ_SET_INFORMATION:
        sp->Parameters.SetFile.Length = (ULONG)in_len;
        sp->Parameters.SetFile.FileInformationClass = (FILE_INFORMATION_CLASS)w->info_class;
        if (w->info_class == FileRenameInformation && in_len >= 1)
            sp->Parameters.SetFile.ReplaceIfExists = ((const uint8_t *)D.irp.AssociatedIrp.SystemBuffer)[0] != 0;
        break;
    case IRP_MJ_QUERY_VOLUME_INFORMATION:
        sp->Parameters.QueryVolume.Length = w->length;
        sp->Parameters.QueryVolume.FsInformationClass = (FS_INFORMATION_CLASS)w->info_class;
        break;
    case IRP_MJ_DIRECTORY_CONTROL:
        sp->Parameters.QueryDirectory.Length = w->length;
        sp->Parameters.QueryDirectory.FileInformationClass = (FILE_INFORMATION_CLASS)w->info_class;
        sp->Parameters.QueryDirectory.FileIndex = (ULONG)w->offset;
        sp->Parameters.QueryDirectory.FileName = D.pattern.Length ? &D.pattern : NULL;
        break;
    case IRP_MJ_FILE_SYSTEM_CONTROL:
        if (w->minor == IRP_MN_MOUNT_VOLUME) {
            memset(&D.vpb, 0, sizeof D.vpb);
            D.vpb.Type = 10;
            D.vpb.Size = sizeof D.vpb;
            D.vpb.RealDevice = ddk_device(w->target);
            sp->Parameters.MountVolume.Vpb = &D.vpb;
            sp->Parameters.MountVolume.DeviceObject = D.vpb.RealDevice;
            break;
        }
        /* FileSystemControl has DeviceIoControl's shape */
        /* fall through */
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        sp->Parameters.DeviceIoControl.OutputBufferLength = w->length;
        sp->Parameters.DeviceIoControl.InputBufferLength = (ULONG)in_len;
        sp->Parameters.DeviceIoControl.IoControlCode = w->control_code;
        break;
    default:
        break;
    }
}

static void finish(ntdrv_completion_t *done, NTSTATUS st, uint64_t info, const void **result, size_t *len)
{
    done->status = st;
    done->information = info;
    *result = D.buf;
    *len = 0;
}

void ddk_dispatch(const ntdrv_irp_t *w, const void *data, size_t len, ntdrv_completion_t *done, const void **result,
                  size_t *result_len)
{
    memset(done, 0, sizeof *done);
    done->id = w->id;
    PDEVICE_OBJECT dev = ddk_own_device(w->device);
    bool closing = w->major == IRP_MJ_CLOSE || w->major == IRP_MJ_CLEANUP;
    ddk_file_t *file = w->file ? *file_slot(w->file) : NULL;
    size_t room = output_room(w);
    if (!dev) {
        if (w->major == IRP_MJ_CLOSE) file_free(file);
        return finish(done, closing ? STATUS_SUCCESS : STATUS_NO_SUCH_DEVICE, 0, result, result_len);
    }
    /* A deleted device still named by file objects gets their cleanup and close, and file
     * system controls (umount's unlock comes after its dismount); nothing else. */
    if ((dev->Flags & DO_DELETE_PENDING) && !closing && w->major != IRP_MJ_FILE_SYSTEM_CONTROL)
        return finish(done, dev->DeviceType == FILE_DEVICE_DISK_FILE_SYSTEM ? STATUS_VOLUME_DISMOUNTED
                                                                            : STATUS_DEVICE_DOES_NOT_EXIST,
                      0, result, result_len);
    if (len > DDK_MAX_DATA || room > DDK_MAX_DATA || w->major > IRP_MJ_MAXIMUM_FUNCTION)
        return finish(done, STATUS_INVALID_PARAMETER, 0, result, result_len);

    /* Copy the input out of the transport's buffer before anything can reuse it. */
    PIRP irp = &D.irp;
    irp_init(irp);
    if (len) memcpy(D.buf, data, len);
    size_t n = len > room ? len : room;
    if (n > len) memset(D.buf + len, 0, n - len);
    irp->AssociatedIrp.SystemBuffer = D.buf;
    irp->UserBuffer = D.buf;
    irp->NeptuneBufferLength = (ULONG)n;
    irp->NeptuneId = w->id;
    irp->Flags = w->flags & 0xffff;
    irp->RequestorMode = UserMode;
    irp->CurrentLocation = DDK_IRP_STACK;
    irp->Tail.Overlay.CurrentStackLocation = &irp->Stack[DDK_IRP_STACK - 1];
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);

    if (w->major == IRP_MJ_DIRECTORY_CONTROL) {
        size_t pn = strnlen(w->name, sizeof w->name - 1);
        ULONG b = 0;
        if (!NT_SUCCESS(RtlUTF8ToUnicodeN(D.pattern_buf, sizeof D.pattern_buf, &b, w->name, (ULONG)pn)))
            return finish(done, STATUS_OBJECT_NAME_INVALID, 0, result, result_len);
        D.pattern.Buffer = D.pattern_buf;
        D.pattern.Length = (USHORT)b;
        D.pattern.MaximumLength = sizeof D.pattern_buf;
    }
    fill_stack(sp, w, len);

    ddk_file_t transient;
    bool created = false;
    if (w->major == IRP_MJ_CREATE) {
        NTSTATUS st = file_create(w, dev, &file);
        if (!NT_SUCCESS(st)) return finish(done, st, 0, result, result_len);
        created = true;
    } else if (w->file && !file) {
        /* A file object this instance never saw opened (e.g. from before a restart). */
        memset(&transient, 0, sizeof transient);
        transient.fo.Type = 5;
        transient.fo.NeptuneId = w->file;
        file = &transient;
    }
    sp->FileObject = file ? &file->fo : NULL;
    if (w->major == IRP_MJ_SET_INFORMATION) sp->Parameters.SetFile.FileObject = sp->FileObject;

    run_dispatch(dev, irp);

    NTSTATUS st = irp->IoStatus.Status;
    if (irp->NeptuneState == DDK_IRP_FORWARDED) {
        done->forward_to = irp->NeptuneForwardTo;
        *result = D.buf;
        *result_len = 0;
        st = STATUS_SUCCESS; /* the file object lives on; the lower driver decides */
    } else {
        uint64_t info = irp->IoStatus.Information;
        if (w->major == IRP_MJ_FILE_SYSTEM_CONTROL && w->minor == IRP_MN_MOUNT_VOLUME && NT_SUCCESS(st) &&
            D.vpb.DeviceObject)
            info = D.vpb.DeviceObject->NeptuneId;
        size_t out = 0;
        if ((uint32_t)st < 0xC0000000u) {
            if (irp->NeptuneOutputLength >= 0) out = (size_t)irp->NeptuneOutputLength;
            else if (returns_data(w->major, w->minor)) out = (size_t)info;
        }
        if (out > n) out = n;
        done->status = st;
        done->information = info;
        *result = D.buf;
        *result_len = out;
    }
    /* A file object ends with CLOSE, or with a failed CREATE; one without an id lives for one IRP. */
    if (file && file != &transient &&
        (w->major == IRP_MJ_CLOSE || (created && (!NT_SUCCESS(st) || !w->file))))
        file_free(file);
}

/* ---- Starting and running ---- */

NTSTATUS ddk_start(const ddk_transport_t *t, const char *name, PDRIVER_INITIALIZE entry)
{
    D.t = t;
    snprintf(D.name, sizeof D.name, "%s", name);
    memset(&D.driver, 0, sizeof D.driver);
    D.driver.Type = 4;
    D.driver.Size = sizeof D.driver;
    for (int i = 0; i <= IRP_MJ_MAXIMUM_FUNCTION; i++) D.driver.MajorFunction[i] = invalid_request;
    char full[64];
    snprintf(full, sizeof full, "\\Driver\\%s", name);
    ULONG b = 0;
    RtlUTF8ToUnicodeN(D.driver_name, sizeof D.driver_name - 2, &b, full, (ULONG)strlen(full));
    D.driver.DriverName.Buffer = D.driver_name;
    D.driver.DriverName.Length = (USHORT)b;
    D.driver.DriverName.MaximumLength = sizeof D.driver_name;
    D.driver.DriverInit = entry;
    bool restarted = false;
    NTSTATUS st = t->driver_entry(t->ctx, name, &restarted);
    if (!NT_SUCCESS(st)) return st;
    D.restarted = restarted;
    static WCHAR reg_buf[96];
    UNICODE_STRING reg = {0, sizeof reg_buf, reg_buf};
    snprintf(full, sizeof full, "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\%s", name);
    RtlUTF8ToUnicodeN(reg_buf, sizeof reg_buf, &b, full, (ULONG)strlen(full));
    reg.Length = (USHORT)b;
    return entry(&D.driver, &reg);
}

PDRIVER_OBJECT ddk_driver(void) { return &D.driver; }

void ddk_reset(void)
{
    while (D.files) {
        ddk_file_t *f = D.files;
        D.files = f->next;
        ddk_free(f);
    }
    PDEVICE_OBJECT lists[3] = {D.driver.DeviceObject, D.deleted, D.foreign};
    for (int i = 0; i < 3; i++)
        for (PDEVICE_OBJECT d = lists[i], next; d; d = next) {
            next = d->NextDevice;
            ddk_free(d);
        }
    memset(&D, 0, sizeof D);
}
bool ddk_restarted(void) { return D.restarted; }

int ddk_run(void)
{
    ntdrv_completion_t done;
    memset(&done, 0, sizeof done);
    const void *result = NULL;
    size_t result_len = 0;
    for (;;) {
        ntdrv_irp_t irp;
        const void *data = NULL;
        size_t len = 0;
        int err = D.t->next_irp(D.t->ctx, &done, result, result_len, &irp, &data, &len);
        if (err) return err;
        ddk_dispatch(&irp, data, len, &done, &result, &result_len);
    }
}
