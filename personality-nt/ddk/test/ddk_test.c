/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit tests of the driver library's core (codegen/test/nt-ddk.test.ts runs them under
 * ASan/UBSan): a test driver's DriverEntry and dispatch routines on a recording transport —
 * names converted both ways (UTF-8 <-> UTF-16, malformed input refused), IRPs and stack
 * locations filled per major function, the input copied out of the shared buffer before the
 * routine runs (an IoCallDriver in the middle overwrites it), completion data and lengths,
 * forwarding after IoSkipCurrentIrpStackLocation, IRPs built here sent to foreign devices or
 * dispatched locally, file object lifetimes, unknown devices and majors; then \Device\Null and
 * the disk driver (over a RAM backend) through the same core. Prints `ok <n> <what>` or
 * `FAIL <what>` lines; exits 1 on any failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ddk/ddk.h>

#include "../../drivers/disk/disk.h"
#include "../../drivers/null/null.h"

static int failures, checks;
#define CHECK(cond, ...)                                                                                              \
    do {                                                                                                              \
        checks++;                                                                                                     \
        if (!(cond)) {                                                                                                \
            failures++;                                                                                               \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                                                               \
            printf(__VA_ARGS__);                                                                                      \
            printf("\n");                                                                                             \
        }                                                                                                             \
    } while (0)

/* ---- Recording transport ---- */

static uint8_t shm[DDK_MAX_DATA];
static uint64_t next_dev = 100;
static char last_device_name[300], last_link[300], last_target[300];
static uint64_t deleted_dev, fs_registered;
static ntdrv_irp_t last_call;
static uint8_t last_call_in[64];
static size_t last_call_in_len;
static int calls;

static NTSTATUS t_entry(void *c, const char *n, bool *r)
{
    (void)c, (void)n;
    *r = true;
    return STATUS_SUCCESS;
}
static NTSTATUS t_create(void *c, const char *n, uint32_t t, uint32_t ch, bool ex, uint64_t *d)
{
    (void)c, (void)t, (void)ch, (void)ex;
    snprintf(last_device_name, sizeof last_device_name, "%s", n);
    *d = next_dev++;
    return STATUS_SUCCESS;
}
static NTSTATUS t_delete(void *c, uint64_t d)
{
    (void)c;
    deleted_dev = d;
    return STATUS_SUCCESS;
}
static NTSTATUS t_get(void *c, const char *n, uint64_t *d)
{
    (void)c;
    if (strcmp(n, "\\Device\\Harddisk0\\Partition0")) return STATUS_OBJECT_NAME_NOT_FOUND;
    *d = 7;
    return STATUS_SUCCESS;
}
static NTSTATUS t_attach(void *c, uint64_t s, uint64_t t, uint64_t *l)
{
    (void)c, (void)s;
    *l = t + 1000;
    return STATUS_SUCCESS;
}
static NTSTATUS t_register(void *c, uint64_t d)
{
    (void)c;
    fs_registered = d;
    return STATUS_SUCCESS;
}
static NTSTATUS t_link(void *c, const char *l, const char *t)
{
    (void)c;
    snprintf(last_link, sizeof last_link, "%s", l);
    snprintf(last_target, sizeof last_target, "%s", t);
    return STATUS_SUCCESS;
}
static NTSTATUS t_unlink(void *c, const char *l)
{
    (void)c, (void)l;
    return STATUS_SUCCESS;
}
/* A foreign device 7 answering READ with bytes i*3 and IOCTL 0x1234 with "pong". */
static NTSTATUS t_call(void *c, const ntdrv_irp_t *w, const void *in, size_t in_len, void *out, size_t cap, size_t *out_len,
                       uint64_t *info)
{
    (void)c;
    calls++;
    memset(shm, 0xEE, sizeof shm); /* the shared buffer is reused by every call */
    last_call = *w;
    last_call_in_len = in_len;
    if (in_len) memcpy(last_call_in, in, in_len < sizeof last_call_in ? in_len : sizeof last_call_in);
    *out_len = 0;
    *info = 0;
    if (w->device != 7) return STATUS_NO_SUCH_DEVICE;
    if (w->major == IRP_MJ_READ) {
        size_t n = w->length < cap ? w->length : cap;
        for (size_t i = 0; i < n; i++) ((uint8_t *)out)[i] = (uint8_t)(i * 3);
        *out_len = *info = n;
        return STATUS_SUCCESS;
    }
    if (w->major == IRP_MJ_DEVICE_CONTROL && w->control_code == 0x1234 && cap >= 4) {
        memcpy(out, "pong", 4);
        *out_len = *info = 4;
        return STATUS_SUCCESS;
    }
    return STATUS_INVALID_DEVICE_REQUEST;
}
static int t_next(void *c, const ntdrv_completion_t *d, const void *r, size_t n, ntdrv_irp_t *i, const void **data, size_t *len)
{
    (void)c, (void)d, (void)r, (void)n, (void)i, (void)data, (void)len;
    return -1;
}
static const ddk_transport_t T = {NULL, t_entry, t_create, t_delete, t_get, t_attach, t_register, t_link, t_unlink, t_call, t_next};

/* ---- The test driver ---- */

static PDEVICE_OBJECT test_dev, lower_dev, disk_dev;
static char seen_name[600];
static uint8_t seen_data[16];
static uint8_t seen_after_call[16];
static ULONG seen_options, seen_access;
static UCHAR seen_sl_flags;
static ULONG seen_irp_flags;
static int64_t seen_offset;
static PVOID seen_fscontext;

static NTSTATUS done_with(PIRP irp, NTSTATUS st, ULONG_PTR info)
{
    irp->IoStatus.Status = st;
    irp->IoStatus.Information = info;
    IoCompleteRequest(irp, IO_NO_INCREMENT);
    return st;
}

static NTSTATUS TestCreate(PDEVICE_OBJECT dev, PIRP irp)
{
    (void)dev;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    RtlUnicodeStringToUtf8z(&sp->FileObject->FileName, seen_name, sizeof seen_name);
    seen_options = sp->Parameters.Create.Options;
    seen_access = sp->Parameters.Create.SecurityContext->DesiredAccess;
    if (strcmp(seen_name, "\\deny") == 0) return done_with(irp, STATUS_ACCESS_DENIED, 0);
    sp->FileObject->FsContext = (PVOID)0x5eed;
    nt_create_result_t r = {.file_id = 77, .end_of_file = 1234};
    memcpy(irp->AssociatedIrp.SystemBuffer, &r, sizeof r);
    IoSetOutputLength(irp, sizeof r);
    return done_with(irp, STATUS_SUCCESS, FILE_CREATED);
}

/* WRITE: reads its input, calls the foreign disk in the middle, reads the input again. */
static NTSTATUS TestWrite(PDEVICE_OBJECT dev, PIRP irp)
{
    (void)dev;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    memcpy(seen_data, irp->AssociatedIrp.SystemBuffer, sizeof seen_data);
    seen_offset = sp->Parameters.Write.ByteOffset.QuadPart;
    seen_irp_flags = irp->Flags;
    seen_fscontext = sp->FileObject ? sp->FileObject->FsContext : NULL;
    uint8_t buf[512];
    IO_STATUS_BLOCK iosb = {0};
    KEVENT ev;
    KeInitializeEvent(&ev, NotificationEvent, FALSE);
    LARGE_INTEGER off = {.QuadPart = 4096};
    PIRP sub = IoBuildSynchronousFsdRequest(IRP_MJ_READ, disk_dev, buf, sizeof buf, &off, &ev, &iosb);
    NTSTATUS st = IoCallDriver(disk_dev, sub);
    CHECK(st == STATUS_SUCCESS && iosb.Status == STATUS_SUCCESS && iosb.Information == 512, "sub-read %s", nt_status_name(st));
    CHECK(buf[10] == 30 && ev.SignalState == 1, "sub-read data and event");
    memcpy(seen_after_call, irp->AssociatedIrp.SystemBuffer, sizeof seen_after_call);
    return done_with(irp, STATUS_SUCCESS, sp->Parameters.Write.Length);
}

/* READ: passes the IRP down to the lower device. */
static NTSTATUS TestRead(PDEVICE_OBJECT dev, PIRP irp)
{
    (void)dev;
    IoSkipCurrentIrpStackLocation(irp);
    return IoCallDriver(lower_dev, irp);
}

static NTSTATUS TestQueryDir(PDEVICE_OBJECT dev, PIRP irp)
{
    (void)dev;
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    seen_sl_flags = sp->Flags;
    if (sp->Parameters.QueryDirectory.FileName)
        RtlUnicodeStringToUtf8z(sp->Parameters.QueryDirectory.FileName, seen_name, sizeof seen_name);
    else
        seen_name[0] = 0;
    /* returns without completing: the core completes with this status */
    return STATUS_NO_MORE_FILES;
}

static NTSTATUS TestPending(PDEVICE_OBJECT dev, PIRP irp)
{
    (void)dev, (void)irp;
    return STATUS_PENDING;
}

/* DEVICE_CONTROL: 1 = an ioctl to the foreign device; 2 = one to our own device (local). */
static NTSTATUS TestIoctl(PDEVICE_OBJECT dev, PIRP irp)
{
    PIO_STACK_LOCATION sp = IoGetCurrentIrpStackLocation(irp);
    ULONG code = sp->Parameters.DeviceIoControl.IoControlCode;
    if (code == 0x1234) return done_with(irp, STATUS_SUCCESS, 0);
    if (code == 3) { /* the nested one */
        memcpy(irp->AssociatedIrp.SystemBuffer, "self", 4);
        return done_with(irp, STATUS_SUCCESS, 4);
    }
    char out[8] = {0};
    IO_STATUS_BLOCK iosb = {0};
    PIRP sub = IoBuildDeviceIoControlRequest(code == 1 ? 0x1234 : 3, code == 1 ? disk_dev : dev, "ping", 4, out, sizeof out,
                                             FALSE, NULL, &iosb);
    NTSTATUS st = IoCallDriver(code == 1 ? disk_dev : dev, sub);
    memcpy(irp->AssociatedIrp.SystemBuffer, out, 4);
    return done_with(irp, st, NT_SUCCESS(st) ? 4 : 0);
}

static NTSTATUS TestEntry(PDRIVER_OBJECT drv, PUNICODE_STRING reg)
{
    UNICODE_STRING name;
    WCHAR wname[] = {'\\', 'D', 'e', 'v', 'i', 'c', 'e', '\\', 'T', 0xe9, 0xd83d, 0xde00, 0};
    char r[200];
    RtlUnicodeStringToUtf8z(reg, r, sizeof r);
    CHECK(strstr(r, "\\Services\\ddktest") != NULL, "registry path %s", r);
    RtlInitUnicodeString(&name, wname);
    NTSTATUS st = IoCreateDevice(drv, 40, &name, FILE_DEVICE_UNKNOWN, 0, FALSE, &test_dev);
    if (!NT_SUCCESS(st)) return st;
    CHECK(strcmp(last_device_name, "\\Device\\T\xc3\xa9\xf0\x9f\x98\x80") == 0, "device name as UTF-8: %s", last_device_name);
    CHECK(test_dev->DeviceExtension && ((uint8_t *)test_dev->DeviceExtension)[39] == 0, "zeroed extension");
    UNICODE_STRING dn;
    RtlInitUnicodeString(&dn, u"\\Device\\Harddisk0\\Partition0");
    PFILE_OBJECT fo;
    st = IoGetDeviceObjectPointer(&dn, 0, &fo, &disk_dev);
    CHECK(NT_SUCCESS(st) && disk_dev && disk_dev->NeptuneId == 7 && disk_dev->DriverObject == NULL, "IoGetDeviceObjectPointer");
    lower_dev = IoAttachDeviceToDeviceStack(test_dev, disk_dev);
    CHECK(lower_dev && lower_dev->NeptuneId == 1007, "IoAttachDeviceToDeviceStack");
    drv->MajorFunction[IRP_MJ_CREATE] = TestCreate;
    drv->MajorFunction[IRP_MJ_WRITE] = TestWrite;
    drv->MajorFunction[IRP_MJ_READ] = TestRead;
    drv->MajorFunction[IRP_MJ_DIRECTORY_CONTROL] = TestQueryDir;
    drv->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = TestPending;
    drv->MajorFunction[IRP_MJ_DEVICE_CONTROL] = TestIoctl;
    return STATUS_SUCCESS;
}

/* ---- Driving it ---- */

static uint64_t irp_ids = 1;
static ntdrv_completion_t done;
static uint8_t result[DDK_MAX_DATA];
static size_t result_len;

static void send(ntdrv_irp_t *w, const void *data, size_t len)
{
    w->id = irp_ids++;
    if (data && len) memcpy(shm, data, len); /* data NULL: whatever the buffer holds (len may be absurd) */
    const void *res;
    ddk_dispatch(w, shm, len, &done, &res, &result_len);
    memcpy(result, res, result_len);
    CHECK(done.id == w->id, "completion id");
}

static ntdrv_irp_t mk(uint64_t dev, uint8_t major, uint64_t file)
{
    ntdrv_irp_t w;
    memset(&w, 0, sizeof w);
    w.device = dev;
    w.major = major;
    w.file = file;
    return w;
}

static void test_rtl(void)
{
    WCHAR w[8];
    ULONG n;
    CHECK(RtlUTF8ToUnicodeN(w, sizeof w, &n, "a\xc3\xa9\xf0\x9f\x98\x80", 7) == STATUS_SUCCESS && n == 8 && w[1] == 0xe9 &&
              w[2] == 0xd83d && w[3] == 0xde00,
          "UTF-8 -> UTF-16 with a surrogate pair");
    CHECK(RtlUTF8ToUnicodeN(w, sizeof w, &n, "\xc0\xaf", 2) == STATUS_INVALID_PARAMETER, "overlong UTF-8 refused");
    CHECK(RtlUTF8ToUnicodeN(w, sizeof w, &n, "\xed\xa0\x80", 3) == STATUS_INVALID_PARAMETER, "encoded surrogate refused");
    CHECK(RtlUTF8ToUnicodeN(w, sizeof w, &n, "\xe2\x82", 2) == STATUS_INVALID_PARAMETER, "truncated UTF-8 refused");
    CHECK(RtlUTF8ToUnicodeN(w, 4, &n, "abc", 3) == STATUS_BUFFER_TOO_SMALL && n == 4, "too small");
    char u[8];
    WCHAR lone[] = {'x', 0xd800};
    CHECK(RtlUnicodeToUTF8N(u, sizeof u, &n, lone, 4) == STATUS_INVALID_PARAMETER, "lone surrogate refused");
    UNICODE_STRING a, b, e;
    RtlInitUnicodeString(&a, u"Readme.TXT");
    RtlInitUnicodeString(&b, u"README.txt");
    CHECK(RtlEqualUnicodeString(&a, &b, TRUE) && !RtlEqualUnicodeString(&a, &b, FALSE), "RtlEqualUnicodeString");
    CHECK(a.Length == 20 && a.MaximumLength == 22, "RtlInitUnicodeString lengths");
    struct {
        PCWSTR expr, name;
        BOOLEAN match;
    } cases[] = {
        {u"*", u"anything", TRUE},      {u"*.txt", u"README.TXT", TRUE}, {u"*.txt", u"readme.txt.bak", FALSE},
        {u"r?ad*", u"Read me", TRUE},   {u"?", u"", FALSE},              {u"a*b*c", u"aXXbYYc", TRUE},
        {u"a*b*c", u"aXXbYY", FALSE},   {u"**", u"", TRUE},              {u"x", u"X", TRUE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        RtlInitUnicodeString(&e, cases[i].expr);
        RtlInitUnicodeString(&a, cases[i].name);
        CHECK(FsRtlIsNameInExpression(&e, &a, TRUE, NULL) == cases[i].match, "wildcard case %zu", i);
    }
    UNICODE_STRING c;
    CHECK(RtlCreateUnicodeStringFromUtf8(&c, "\xc3\xa9t\xc3\xa9", 5) == STATUS_SUCCESS && c.Length == 6 && c.Buffer[0] == 0xe9,
          "RtlCreateUnicodeStringFromUtf8");
    RtlFreeUnicodeString(&c);
}

static void test_core(void)
{
    NTSTATUS st = ddk_start(&T, "ddktest", TestEntry);
    CHECK(st == STATUS_SUCCESS && ddk_restarted(), "ddk_start: %s", nt_status_name(st));
    CHECK(ddk_driver()->DriverName.Length == 30, "driver name \\Driver\\ddktest");
    uint64_t dev = test_dev->NeptuneId;

    /* CREATE: the name reaches FileObject->FileName as UTF-16; result bytes are the routine's. */
    ntdrv_irp_t w = mk(dev, IRP_MJ_CREATE, 500);
    snprintf(w.name, sizeof w.name, "\\dir\\f\xc3\xa9.txt");
    w.options = FILE_OPEN_IF << 24 | FILE_NON_DIRECTORY_FILE;
    w.desired_access = FILE_READ_DATA;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_SUCCESS && done.information == FILE_CREATED, "create completes");
    CHECK(strcmp(seen_name, "\\dir\\f\xc3\xa9.txt") == 0, "FileName round trip: %s", seen_name);
    CHECK(seen_options == (FILE_OPEN_IF << 24 | FILE_NON_DIRECTORY_FILE) && seen_access == FILE_READ_DATA, "create parameters");
    nt_create_result_t r;
    memcpy(&r, result, sizeof r);
    CHECK(result_len == sizeof r && r.file_id == 77 && r.end_of_file == 1234, "create result data (%zu bytes)", result_len);

    /* A malformed name never reaches the driver. */
    w = mk(dev, IRP_MJ_CREATE, 501);
    snprintf(w.name, sizeof w.name, "\\bad\xff");
    seen_name[0] = 0;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_OBJECT_NAME_INVALID && seen_name[0] == 0, "malformed UTF-8 name: %s", nt_status_name(done.status));

    /* A failed create: its file object is gone again (a later IRP on that id finds none). */
    w = mk(dev, IRP_MJ_CREATE, 502);
    snprintf(w.name, sizeof w.name, "\\deny");
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_ACCESS_DENIED && result_len == 0, "failed create: no data");
    w = mk(dev, IRP_MJ_WRITE, 502);
    w.length = 4;
    send(&w, "abcd", 4);
    CHECK(seen_fscontext == NULL, "no file object after a failed create");

    /* WRITE: the input is copied before the routine runs; IoCallDriver in the middle does not
     * change what the routine sees. */
    w = mk(dev, IRP_MJ_WRITE, 500);
    w.offset = 8192;
    w.length = 16;
    w.flags = IRP_PAGING_IO | IRP_NOCACHE;
    send(&w, "0123456789abcdef", 16);
    CHECK(memcmp(seen_data, "0123456789abcdef", 16) == 0, "write data");
    CHECK(memcmp(seen_after_call, "0123456789abcdef", 16) == 0, "write data intact after IoCallDriver");
    CHECK(seen_offset == 8192 && seen_irp_flags == (IRP_PAGING_IO | IRP_NOCACHE), "write parameters");
    CHECK(seen_fscontext == (PVOID)0x5eed, "same FILE_OBJECT from create to write");
    CHECK(done.status == STATUS_SUCCESS && done.information == 16 && result_len == 0, "write completion");
    CHECK(last_call.major == IRP_MJ_READ && last_call.offset == 4096 && last_call.length == 512 && last_call.device == 7 &&
              last_call.file == 0,
          "IoBuildSynchronousFsdRequest became call_driver");

    /* READ: passed down to the lower device. */
    w = mk(dev, IRP_MJ_READ, 500);
    w.length = 100;
    send(&w, NULL, 0);
    CHECK(done.forward_to == 1007 && result_len == 0, "forwarded to the lower device");

    /* DIRECTORY_CONTROL: pattern and stack flags; a routine returning without completing. */
    w = mk(dev, IRP_MJ_DIRECTORY_CONTROL, 500);
    w.minor = IRP_MN_QUERY_DIRECTORY;
    w.flags = NTDRV_SL_RESTART_SCAN | NTDRV_SL_RETURN_SINGLE_ENTRY;
    w.length = sizeof(nt_dir_entry_t);
    snprintf(w.name, sizeof w.name, "*.TXT");
    send(&w, NULL, 0);
    CHECK(seen_sl_flags == (SL_RESTART_SCAN | SL_RETURN_SINGLE_ENTRY) && strcmp(seen_name, "*.TXT") == 0, "query directory");
    CHECK(done.status == STATUS_NO_MORE_FILES && result_len == 0, "completed with the returned status");

    /* STATUS_PENDING without completing is not supported: an error, not a hang. */
    w = mk(dev, IRP_MJ_FLUSH_BUFFERS, 500);
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_INTERNAL_ERROR, "pending: %s", nt_status_name(done.status));

    /* IOCTLs built here: to the foreign device through call_driver, to our own locally. */
    w = mk(dev, IRP_MJ_DEVICE_CONTROL, 500);
    w.control_code = 1;
    w.length = 8;
    calls = 0;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_SUCCESS && result_len == 4 && memcmp(result, "pong", 4) == 0, "foreign ioctl output");
    CHECK(calls == 1 && last_call.control_code == 0x1234 && last_call_in_len == 4 && memcmp(last_call_in, "ping", 4) == 0 &&
              last_call.length == 8,
          "foreign ioctl input");
    w.control_code = 2;
    calls = 0;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_SUCCESS && memcmp(result, "self", 4) == 0 && calls == 0, "local ioctl");

    /* No routine for the major; a major out of range; a device not ours. */
    w = mk(dev, IRP_MJ_QUERY_INFORMATION, 500);
    w.length = 64;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_INVALID_DEVICE_REQUEST && result_len == 0, "no routine");
    w = mk(dev, 0x40, 500);
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_INVALID_PARAMETER, "major out of range");
    w = mk(999, IRP_MJ_READ, 500);
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_NO_SUCH_DEVICE, "unknown device");
    w = mk(999, IRP_MJ_CLOSE, 500);
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_SUCCESS, "close on an unknown device");
    w = mk(dev, IRP_MJ_WRITE, 500);
    w.length = 4;
    send(&w, NULL, DDK_MAX_DATA + 1);
    CHECK(done.status == STATUS_INVALID_PARAMETER, "oversized data");
    w = mk(dev, IRP_MJ_READ, 500);
    w.length = DDK_MAX_DATA + 1;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_INVALID_PARAMETER, "oversized output");

    /* CLOSE ends the file object: the id is unknown afterwards. */
    w = mk(dev, IRP_MJ_CLOSE, 500);
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_INVALID_DEVICE_REQUEST, "close without a routine: %s", nt_status_name(done.status));
    w = mk(dev, IRP_MJ_WRITE, 500);
    w.length = 1;
    send(&w, "x", 1);
    CHECK(seen_fscontext == NULL, "closed file object is gone");

    /* IoDeleteDevice. */
    IoDeleteDevice(test_dev);
    CHECK(deleted_dev == dev, "delete_device");
    w = mk(dev, IRP_MJ_READ, 0);
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_NO_SUCH_DEVICE, "deleted device");
    ddk_reset();
}

static void test_null(void)
{
    CHECK(ddk_start(&T, "ntnull", NullDriverEntry) == STATUS_SUCCESS, "null DriverEntry");
    CHECK(strcmp(last_device_name, "\\Device\\Null") == 0, "\\Device\\Null");
    uint64_t dev = ddk_driver()->DeviceObject->NeptuneId;
    ntdrv_irp_t w = mk(dev, IRP_MJ_CREATE, 1);
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_SUCCESS, "null create");
    w = mk(dev, IRP_MJ_READ, 1);
    w.length = 10;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_END_OF_FILE && result_len == 0, "null read");
    w = mk(dev, IRP_MJ_WRITE, 1);
    w.length = 5;
    send(&w, "hello", 5);
    CHECK(done.status == STATUS_SUCCESS && done.information == 5, "null write");
    w = mk(dev, IRP_MJ_DEVICE_CONTROL, 1);
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_INVALID_DEVICE_REQUEST, "null ioctl");
    w = mk(dev, IRP_MJ_CLOSE, 1);
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_SUCCESS, "null close");
    ddk_reset();
}

/* A RAM disk of 64 blocks of 512 bytes, transfers of 4 blocks; `fail` makes I/O fail. */
static uint8_t ram[64 * 512];
static NTSTATUS ram_fail;
static int ram_calls;
static NTSTATUS r_info(void *c, disk_geometry_t *g)
{
    (void)c;
    if (ram_fail == STATUS_NO_MEDIA_IN_DEVICE) return ram_fail;
    *g = (disk_geometry_t){512, 2048, 64, false};
    return STATUS_SUCCESS;
}
static NTSTATUS r_read(void *c, uint64_t lba, uint32_t n, void *buf)
{
    (void)c;
    ram_calls++;
    if (ram_fail) return ram_fail;
    if (n > 4 || lba + n > 64) return STATUS_INVALID_PARAMETER;
    memcpy(buf, ram + lba * 512, n * 512);
    return STATUS_SUCCESS;
}
static NTSTATUS r_write(void *c, uint64_t lba, uint32_t n, const void *buf)
{
    (void)c;
    ram_calls++;
    if (ram_fail) return ram_fail;
    if (n > 4 || lba + n > 64) return STATUS_INVALID_PARAMETER;
    memcpy(ram + lba * 512, buf, n * 512);
    return STATUS_SUCCESS;
}
static NTSTATUS r_flush(void *c)
{
    (void)c;
    return ram_fail ? ram_fail : STATUS_SUCCESS;
}

static void test_disk(void)
{
    static const disk_backend_t b = {NULL, r_info, r_read, r_write, r_flush};
    for (size_t i = 0; i < sizeof ram; i++) ram[i] = (uint8_t)(i / 512);
    DiskSetBackend(&b);
    CHECK(ddk_start(&T, "ntdisk", DiskDriverEntry) == STATUS_SUCCESS, "disk DriverEntry");
    CHECK(strcmp(last_device_name, "\\Device\\Harddisk0\\Partition0") == 0, "disk device name");
    CHECK(strcmp(last_link, "\\??\\C:") == 0 && strcmp(last_target, "\\Device\\Harddisk0\\Partition0") == 0, "C: link");
    uint64_t dev = ddk_driver()->DeviceObject->NeptuneId;
    ntdrv_irp_t w = mk(dev, IRP_MJ_READ, 0);
    w.offset = 512 * 3;
    w.length = 512 * 10;
    ram_calls = 0;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_SUCCESS && done.information == 5120 && result_len == 5120 && result[0] == 3 &&
              result[5119] == 12 && ram_calls == 3,
          "disk read in pieces of the largest transfer (%d calls)", ram_calls);
    w.offset = 512 * 60; /* runs past the end: cut short */
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_SUCCESS && done.information == 2048 && result[2047] == 63, "short read at the end");
    w.offset = 512 * 64;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_END_OF_FILE, "read past the end");
    w.offset = 100;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_INVALID_PARAMETER, "unaligned offset");
    w.offset = 0;
    w.length = 700;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_INVALID_PARAMETER, "unaligned length");
    uint8_t blk[1024];
    memset(blk, 0xab, sizeof blk);
    w = mk(dev, IRP_MJ_WRITE, 0);
    w.offset = 512;
    w.length = sizeof blk;
    send(&w, blk, sizeof blk);
    CHECK(done.status == STATUS_SUCCESS && done.information == 1024 && ram[512] == 0xab && ram[1535] == 0xab && ram[1536] == 3,
          "disk write");
    w = mk(dev, IRP_MJ_DEVICE_CONTROL, 0);
    w.control_code = IOCTL_DISK_GET_LENGTH_INFO;
    w.length = 8;
    send(&w, NULL, 0);
    int64_t len;
    memcpy(&len, result, 8);
    CHECK(done.status == STATUS_SUCCESS && result_len == 8 && len == 64 * 512, "IOCTL_DISK_GET_LENGTH_INFO");
    w.length = 4;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_BUFFER_TOO_SMALL, "length info, small buffer");
    w.control_code = IOCTL_DISK_GET_DRIVE_GEOMETRY;
    w.length = sizeof(nt_disk_geometry_t);
    send(&w, NULL, 0);
    nt_disk_geometry_t g;
    memcpy(&g, result, sizeof g);
    CHECK(done.status == STATUS_SUCCESS && g.bytes_per_sector == 512 && g.media_type == 12, "IOCTL_DISK_GET_DRIVE_GEOMETRY");
    w.control_code = 0x12345;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_INVALID_DEVICE_REQUEST, "unknown ioctl");
    ram_fail = STATUS_IO_DEVICE_ERROR;
    w = mk(dev, IRP_MJ_READ, 0);
    w.length = 512;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_IO_DEVICE_ERROR, "device error");
    w = mk(dev, IRP_MJ_FLUSH_BUFFERS, 0);
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_IO_DEVICE_ERROR, "flush error");
    ram_fail = STATUS_SUCCESS;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_SUCCESS, "flush");
    ddk_reset();

    /* No medium at start: the device exists and says so. */
    ram_fail = STATUS_NO_MEDIA_IN_DEVICE;
    CHECK(ddk_start(&T, "ntdisk", DiskDriverEntry) == STATUS_SUCCESS, "disk DriverEntry without a medium");
    dev = ddk_driver()->DeviceObject->NeptuneId;
    w = mk(dev, IRP_MJ_READ, 0);
    w.length = 512;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_NO_MEDIA_IN_DEVICE, "no medium: %s", nt_status_name(done.status));
    ram_fail = STATUS_SUCCESS;
    send(&w, NULL, 0);
    CHECK(done.status == STATUS_SUCCESS, "medium arrived");
    ddk_reset();
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_rtl();
    test_core();
    test_null();
    test_disk();
    printf("%s %d checks, %d failed\n", failures ? "FAIL" : "ok", checks, failures);
    return failures ? 1 : 0;
}
