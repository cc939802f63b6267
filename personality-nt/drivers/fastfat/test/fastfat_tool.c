/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host test driver for fastfat (codegen/test/nt-ddk.test.ts): fastfat's DriverEntry and dispatch
 * routines run on the driver library's core, fed IRP by IRP from commands on stdin (one per
 * line, fields separated by tabs), over a test transport whose IoCallDriver target is a RAM disk
 * backed by an image file (pread/pwrite). Each IRP prints `<command>\t<STATUS_NAME>\t<information>`
 * and what it returned. The IRP's input is handed over in a "shared buffer" that every
 * IoCallDriver scribbles over, as the real transport's next call would.
 *
 * Commands (fid: the executive's file object id, any number):
 *   mount                                 IRP_MN_MOUNT_VOLUME of the disk
 *   create fid name disp opts [access]    name "" = the volume, "\" = the root
 *   read fid off len [hostfile]           the data goes to hostfile at off
 *   write fid off hostfile [hoff len]     bytes of hostfile
 *   get fid hostfile / put fid hostfile   whole file in 64 KiB IRPs
 *   cleanup fid / close fid / flush fid / shutdown
 *   query fid class
 *   rename fid name replace / disp fid 0|1 / eof fid size / alloc fid size
 *   dir fid flags pattern / ls fid pattern
 *   fsctl fid code [u32] / rp fid start_vcn out_len
 *   raw dev major minor fid flags offset length info_class control_code name datalen
 *   diskfail status_hex after  (disk I/O fails with that status after `after` more transfers)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ddk/ddk.h>

#include "fastfat.h"

#define DISK_ID 0x10u
#define MAX_FIELDS 16

static int img = -1;
static uint64_t img_size;
static uint64_t next_id = 0x100, irp_id = 1, control_id, volume_id;
static uint8_t shm[DDK_MAX_DATA];
static uint8_t out_buf[DDK_MAX_DATA];
static size_t out_len;
static NTSTATUS fail_status;
static long fail_after = -1;

/* ---- Test transport ---- */

static NTSTATUS t_driver_entry(void *ctx, const char *name, bool *restarted)
{
    (void)ctx;
    printf("driver_entry\t%s\n", name);
    *restarted = false;
    return STATUS_SUCCESS;
}

static NTSTATUS t_create_device(void *ctx, const char *name, uint32_t type, uint32_t ch, bool ex, uint64_t *dev)
{
    (void)ctx, (void)ch, (void)ex;
    *dev = next_id++;
    printf("create_device\t%s\t%u\t%llu\n", name, (unsigned)type, (unsigned long long)*dev);
    return STATUS_SUCCESS;
}

static NTSTATUS t_delete_device(void *ctx, uint64_t dev)
{
    (void)ctx;
    printf("delete_device\t%llu\n", (unsigned long long)dev);
    return STATUS_SUCCESS;
}

static NTSTATUS t_get_device(void *ctx, const char *name, uint64_t *dev)
{
    (void)ctx, (void)name;
    *dev = DISK_ID;
    return STATUS_SUCCESS;
}

static NTSTATUS t_attach_device(void *ctx, uint64_t src, uint64_t target, uint64_t *lower)
{
    (void)ctx, (void)src;
    *lower = target;
    return STATUS_SUCCESS;
}

static NTSTATUS t_register_file_system(void *ctx, uint64_t dev)
{
    (void)ctx;
    control_id = dev;
    printf("register_file_system\t%llu\n", (unsigned long long)dev);
    return STATUS_SUCCESS;
}

static NTSTATUS t_link(void *ctx, const char *link, const char *target)
{
    (void)ctx;
    printf("symlink\t%s\t%s\n", link, target);
    return STATUS_SUCCESS;
}

static NTSTATUS t_unlink(void *ctx, const char *link)
{
    (void)ctx, (void)link;
    return STATUS_SUCCESS;
}

/* The RAM disk: 512-byte sectors over the image file. */
static NTSTATUS t_call_driver(void *ctx, const ntdrv_irp_t *w, const void *in, size_t in_len, void *out, size_t cap,
                              size_t *out_len, uint64_t *info)
{
    (void)ctx;
    memset(shm, 0xEE, sizeof shm); /* what the next call through the real transport does to the buffer */
    *out_len = 0;
    *info = 0;
    if (w->device != DISK_ID) return STATUS_NO_SUCH_DEVICE;
    if (fail_after >= 0 && fail_after-- == 0) {
        fail_after = 0;
        return fail_status;
    }
    switch (w->major) {
    case IRP_MJ_READ:
    case IRP_MJ_WRITE: {
        if (w->offset < 0 || w->offset % 512 || w->length % 512) return STATUS_INVALID_PARAMETER;
        if ((uint64_t)w->offset >= img_size) return STATUS_END_OF_FILE;
        size_t n = w->length;
        if ((uint64_t)w->offset + n > img_size) n = (size_t)(img_size - (uint64_t)w->offset);
        ssize_t r;
        if (w->major == IRP_MJ_READ) {
            if (n > cap) return STATUS_INVALID_PARAMETER;
            r = pread(img, out, n, w->offset);
            *out_len = r > 0 ? (size_t)r : 0;
        } else {
            if (in_len < n) return STATUS_INVALID_PARAMETER;
            r = pwrite(img, in, n, w->offset);
        }
        if (r != (ssize_t)n) return STATUS_IO_DEVICE_ERROR;
        *info = n;
        return STATUS_SUCCESS;
    }
    case IRP_MJ_FLUSH_BUFFERS:
        return STATUS_SUCCESS;
    case IRP_MJ_DEVICE_CONTROL:
        if (w->control_code == IOCTL_DISK_GET_LENGTH_INFO && cap >= 8 && w->length >= 8) {
            nt_get_length_information_t li = {.length = (int64_t)img_size};
            memcpy(out, &li, sizeof li);
            *out_len = *info = sizeof li;
            return STATUS_SUCCESS;
        }
        if (w->control_code == IOCTL_DISK_GET_DRIVE_GEOMETRY && cap >= sizeof(nt_disk_geometry_t)) {
            nt_disk_geometry_t g = {.cylinders = (int64_t)(img_size / 512 / 63 / 255), .media_type = 12,
                                    .tracks_per_cylinder = 255, .sectors_per_track = 63, .bytes_per_sector = 512};
            memcpy(out, &g, sizeof g);
            *out_len = *info = sizeof g;
            return STATUS_SUCCESS;
        }
        return STATUS_INVALID_DEVICE_REQUEST;
    default:
        return STATUS_INVALID_DEVICE_REQUEST;
    }
}

static int t_next_irp(void *ctx, const ntdrv_completion_t *done, const void *r, size_t n, ntdrv_irp_t *irp,
                      const void **data, size_t *len)
{
    (void)ctx, (void)done, (void)r, (void)n, (void)irp, (void)data, (void)len;
    return -1;
}

static const ddk_transport_t transport = {
    .driver_entry = t_driver_entry, .create_device = t_create_device, .delete_device = t_delete_device,
    .get_device = t_get_device, .attach_device = t_attach_device, .register_file_system = t_register_file_system,
    .create_symbolic_link = t_link, .delete_symbolic_link = t_unlink, .call_driver = t_call_driver,
    .next_irp = t_next_irp,
};

/* ---- IRPs ---- */

static ntdrv_completion_t irp(uint64_t dev, uint8_t major, uint8_t minor, uint64_t file, const void *data, size_t len,
                              ntdrv_irp_t *w)
{
    w->id = irp_id++;
    w->device = dev;
    w->file = file;
    w->major = major;
    w->minor = minor;
    if (len) memcpy(shm, data, len);
    ntdrv_completion_t done;
    const void *res;
    ddk_dispatch(w, shm, len, &done, &res, &out_len);
    memcpy(out_buf, res, out_len);
    if (done.id != w->id) printf("error\tcompletion names IRP %llu\n", (unsigned long long)done.id);
    return done;
}

static void blank(ntdrv_irp_t *w) { memset(w, 0, sizeof *w); }

static void print_status(const char *cmd, ntdrv_completion_t d)
{
    printf("%s\t%s\t%llu", cmd, nt_status_name(d.status), (unsigned long long)d.information);
    if (d.forward_to) printf("\tforward=%llu", (unsigned long long)d.forward_to);
}

static uint64_t num(const char *s) { return strtoull(s, NULL, 0); }

static size_t read_host(const char *path, uint8_t **data)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        printf("error\t%s: %s\n", path, strerror(errno));
        *data = NULL;
        return 0;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *data = malloc(n > 0 ? (size_t)n : 1);
    size_t got = fread(*data, 1, (size_t)n, f);
    fclose(f);
    return got;
}

static void write_host(const char *path, uint64_t off, const void *data, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd < 0 || pwrite(fd, data, n, (off_t)off) != (ssize_t)n) printf("error\t%s: %s\n", path, strerror(errno));
    if (fd >= 0) close(fd);
}

static ntdrv_completion_t do_read(uint64_t fid, uint64_t off, uint32_t len)
{
    ntdrv_irp_t w;
    blank(&w);
    w.offset = (int64_t)off;
    w.length = len;
    return irp(volume_id, IRP_MJ_READ, 0, fid, NULL, 0, &w);
}

static ntdrv_completion_t do_write(uint64_t fid, uint64_t off, const void *data, uint32_t len)
{
    ntdrv_irp_t w;
    blank(&w);
    w.offset = (int64_t)off;
    w.length = len;
    return irp(volume_id, IRP_MJ_WRITE, 0, fid, data, len, &w);
}

static ntdrv_completion_t set_info(uint64_t fid, uint32_t cls, const void *data, size_t len)
{
    ntdrv_irp_t w;
    blank(&w);
    w.info_class = cls;
    w.length = (uint32_t)len;
    return irp(volume_id, IRP_MJ_SET_INFORMATION, 0, fid, data, len, &w);
}

static void print_entry(const char *tag)
{
    const nt_dir_entry_t *d = (const void *)out_buf;
    printf("%s\t%s\t%s\t%#x\t%lld\t%lld\n", tag, d->file_name, d->short_name, (unsigned)d->file_attributes,
           (long long)d->end_of_file, (long long)nt_time_to_unix(d->last_write_time));
}

/* Random IRPs (deterministic from `seed`): any major, minor, file object, offset, length,
 * class, control code, name and data, to the volume and the control device. Everything but the
 * fault on purpose. A volume dismounted on the way is mounted again. */
static uint64_t rng;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void fuzz(unsigned long count, uint64_t seed)
{
    static const uint8_t majors[] = {IRP_MJ_CREATE, IRP_MJ_CLOSE, IRP_MJ_READ, IRP_MJ_WRITE, IRP_MJ_QUERY_INFORMATION,
                                     IRP_MJ_SET_INFORMATION, IRP_MJ_FLUSH_BUFFERS, IRP_MJ_DIRECTORY_CONTROL,
                                     IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MJ_DEVICE_CONTROL, IRP_MJ_CLEANUP, 0x1b, 0x30};
    static const char *names[] = {"", "\\", "\\docs", "\\readme.txt", "\\docs\\notes.md", "\\new*", "\\a\\b\\c",
                                  "\\docs\\x.txt", "\\fz", "\\fz\\y.bin", "\\Mixed Case Long Name.bin", "*", "\\docs\\",
                                  "\\..", "\\x\xff\xfe"};
    static const uint32_t codes[] = {FSCTL_LOCK_VOLUME, FSCTL_UNLOCK_VOLUME, FSCTL_DISMOUNT_VOLUME, FSCTL_IS_VOLUME_MOUNTED,
                                     FSCTL_GET_RETRIEVAL_POINTERS, 0x12345, 0};
    static const int64_t offsets[] = {0, 1, 511, 512, 4096, 65536, 1 << 20, -1, -2, INT64_MAX, 0xFFFFFFFFll};
    static const uint32_t lengths[] = {0, 1, 8, 24, 40, 300, 512, 4096, 65536, 65537, UINT32_MAX};
    static const uint32_t info_classes[] = {4, 5, 6, 10, 13, 14, 19, 20, 34, 0, 99};
    static uint8_t data[8192];
    static unsigned long counts[6];
    rng = seed ? seed : 1;
    const char *t = getenv("FASTFAT_FUZZ_TRACE"); /* print the IRPs from this index on */
    long trace = t ? atol(t) : -1;
    for (unsigned long i = 0; i < count; i++) {
        if (volume_id == 0 || (rnd() % 64) == 0) {
            ntdrv_irp_t m;
            blank(&m);
            m.target = DISK_ID;
            ntdrv_completion_t d = irp(control_id, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_MOUNT_VOLUME, 0, NULL, 0, &m);
            if (NT_SUCCESS(d.status)) volume_id = d.information;
        }
        ntdrv_irp_t w;
        blank(&w);
        uint8_t major = majors[rnd() % sizeof majors];
        uint8_t minor = (uint8_t)(rnd() % 3);
        uint64_t file = 1 + rnd() % 12;
        w.flags = (uint32_t)(rnd() & 0x00830043);
        w.offset = rnd() % 4 ? offsets[rnd() % (sizeof offsets / sizeof offsets[0])] : (int64_t)(rnd() % (1u << 22));
        w.length = lengths[rnd() % (sizeof lengths / sizeof lengths[0])];
        w.info_class = info_classes[rnd() % (sizeof info_classes / sizeof info_classes[0])];
        w.control_code = codes[rnd() % (sizeof codes / sizeof codes[0])];
        w.options = (uint32_t)((rnd() % 7) << 24 | (rnd() % 4 ? (rnd() & 0x1041) : (uint32_t)rnd()));
        w.desired_access = (uint32_t)rnd();
        snprintf(w.name, sizeof w.name, "%s", names[rnd() % (sizeof names / sizeof names[0])]);
        size_t len = rnd() % 3 ? 0 : rnd() % sizeof data;
        for (size_t k = 0; k < len; k++) data[k] = (uint8_t)rnd();
        if (major == IRP_MJ_SET_INFORMATION && len >= 8 && rnd() % 2) { /* sometimes a well-formed structure */
            if (w.info_class == 10) {
                nt_file_rename_information_t *r = (void *)data;
                memset(r, 0, sizeof *r);
                snprintf(r->name, sizeof r->name, "%s", names[rnd() % (sizeof names / sizeof names[0])]);
                r->name_length = (uint32_t)strlen(r->name);
                r->replace_if_exists = (uint8_t)(rnd() % 2);
                len = sizeof *r;
            } else {
                int64_t v = (int64_t)(rnd() % 200000);
                memcpy(data, &v, 8);
                data[0] = w.info_class == 13 ? (uint8_t)(rnd() % 2) : data[0];
            }
        }
        if (major == IRP_MJ_WRITE) w.length = (uint32_t)len;
        uint64_t dev = rnd() % 8 == 0 ? control_id : volume_id;
        ntdrv_completion_t d = irp(dev, major, minor, file, data, len, &w);
        if (trace >= 0 && (long)i >= trace)
            printf("irp %lu: dev %s major %u minor %u file %llu offset %lld length %u class %u code %#x options %#x name %s"
                   " data %zu -> %s %llu\n",
                   i, dev == control_id ? "ctl" : "vol", major, minor, (unsigned long long)file, (long long)w.offset,
                   (unsigned)w.length, (unsigned)w.info_class, (unsigned)w.control_code, (unsigned)w.options, w.name, len,
                   nt_status_name(d.status), (unsigned long long)d.information);
        if (d.status >= 0) counts[0]++;
        else counts[1]++;
        if (d.forward_to) counts[2]++;
    }
    printf("fuzz\tok=%lu\terrors=%lu\tforwarded=%lu\n", counts[0], counts[1], counts[2]);
}

static void command(char **f, int n)
{
    ntdrv_irp_t w;
    ntdrv_completion_t d;
    blank(&w);
    const char *c = f[0];
    if (!strcmp(c, "mount")) {
        w.target = DISK_ID;
        d = irp(control_id, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_MOUNT_VOLUME, 0, NULL, 0, &w);
        if (NT_SUCCESS(d.status)) volume_id = d.information;
        print_status(c, d);
    } else if (!strcmp(c, "create") && n >= 5) {
        snprintf(w.name, sizeof w.name, "%s", f[2]);
        w.options = (uint32_t)(num(f[3]) << 24 | num(f[4]));
        w.desired_access = n > 5 ? (uint32_t)num(f[5]) : FILE_READ_DATA | FILE_WRITE_DATA | DELETE;
        d = irp(volume_id, IRP_MJ_CREATE, 0, num(f[1]), NULL, 0, &w);
        print_status(c, d);
        if (NT_SUCCESS(d.status)) {
            nt_create_result_t r;
            memcpy(&r, out_buf, sizeof r);
            if (out_len != sizeof r) printf("\tresult-bytes=%zu", out_len);
            printf("\tid=%llu\teof=%lld\talloc=%lld\tattr=%#x\tdir=%u", (unsigned long long)r.file_id,
                   (long long)r.end_of_file, (long long)r.allocation_size, (unsigned)r.file_attributes,
                   (unsigned)r.directory);
        }
    } else if (!strcmp(c, "read") && n >= 4) {
        d = do_read(num(f[1]), num(f[2]), (uint32_t)num(f[3]));
        print_status(c, d);
        if (NT_SUCCESS(d.status) && n > 4) write_host(f[4], num(f[2]), out_buf, out_len);
        if (out_len != (NT_SUCCESS(d.status) ? d.information : 0)) printf("\tresult-bytes=%zu", out_len);
    } else if (!strcmp(c, "write") && n >= 4) {
        uint8_t *data;
        size_t len = read_host(f[3], &data);
        size_t hoff = n > 4 ? num(f[4]) : 0, hlen = n > 5 ? num(f[5]) : len - hoff;
        if (hoff > len) hoff = len;
        if (hlen > len - hoff) hlen = len - hoff;
        d = do_write(num(f[1]), num(f[2]), data + hoff, (uint32_t)hlen);
        free(data);
        print_status(c, d);
    } else if (!strcmp(c, "put") && n >= 3) {
        uint8_t *data;
        size_t len = read_host(f[2], &data), off = 0;
        d.status = STATUS_SUCCESS;
        while (off < len && NT_SUCCESS(d.status)) {
            uint32_t k = len - off < DDK_MAX_DATA ? (uint32_t)(len - off) : DDK_MAX_DATA;
            d = do_write(num(f[1]), off, data + off, k);
            if (NT_SUCCESS(d.status) && d.information != k) printf("error\tshort write\n");
            off += k;
        }
        free(data);
        d.information = off;
        print_status(c, d);
    } else if (!strcmp(c, "get") && n >= 3) {
        int fd = open(f[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) close(fd);
        uint64_t off = 0;
        for (;;) {
            d = do_read(num(f[1]), off, DDK_MAX_DATA);
            if (!NT_SUCCESS(d.status)) break;
            write_host(f[2], off, out_buf, out_len);
            off += out_len;
        }
        if (d.status == STATUS_END_OF_FILE) d.status = STATUS_SUCCESS;
        d.information = off;
        print_status(c, d);
    } else if ((!strcmp(c, "cleanup") || !strcmp(c, "close") || !strcmp(c, "flush")) && n >= 2) {
        uint8_t major = !strcmp(c, "cleanup") ? IRP_MJ_CLEANUP : !strcmp(c, "close") ? IRP_MJ_CLOSE : IRP_MJ_FLUSH_BUFFERS;
        d = irp(volume_id, major, 0, num(f[1]), NULL, 0, &w);
        print_status(c, d);
    } else if (!strcmp(c, "shutdown")) {
        d = irp(control_id, IRP_MJ_SHUTDOWN, 0, 0, NULL, 0, &w);
        print_status(c, d);
    } else if (!strcmp(c, "query") && n >= 3) {
        w.info_class = (uint32_t)num(f[2]);
        w.length = n > 3 ? (uint32_t)num(f[3]) : 256;
        d = irp(volume_id, IRP_MJ_QUERY_INFORMATION, 0, num(f[1]), NULL, 0, &w);
        print_status(c, d);
        if (NT_SUCCESS(d.status) && w.info_class == FileBasicInformation) {
            nt_file_basic_information_t b;
            memcpy(&b, out_buf, sizeof b);
            printf("\tattr=%#x\tmtime=%lld", (unsigned)b.file_attributes, (long long)nt_time_to_unix(b.last_write_time));
        } else if (NT_SUCCESS(d.status) && w.info_class == FileStandardInformation) {
            nt_file_standard_information_t s;
            memcpy(&s, out_buf, sizeof s);
            printf("\teof=%lld\talloc=%lld\tdelete=%u\tdir=%u", (long long)s.end_of_file, (long long)s.allocation_size,
                   (unsigned)s.delete_pending, (unsigned)s.directory);
        }
    } else if (!strcmp(c, "rename") && n >= 4) {
        nt_file_rename_information_t r;
        memset(&r, 0, sizeof r);
        r.replace_if_exists = (uint8_t)num(f[3]);
        r.name_length = (uint32_t)strlen(f[2]);
        snprintf(r.name, sizeof r.name, "%s", f[2]);
        d = set_info(num(f[1]), FileRenameInformation, &r, offsetof(nt_file_rename_information_t, name) + r.name_length);
        print_status(c, d);
    } else if (!strcmp(c, "disp") && n >= 3) {
        uint8_t del = (uint8_t)num(f[2]);
        d = set_info(num(f[1]), FileDispositionInformation, &del, 1);
        print_status(c, d);
    } else if ((!strcmp(c, "eof") || !strcmp(c, "alloc")) && n >= 3) {
        int64_t size = (int64_t)num(f[2]);
        d = set_info(num(f[1]), !strcmp(c, "eof") ? FileEndOfFileInformation : FileAllocationInformation, &size, 8);
        print_status(c, d);
    } else if ((!strcmp(c, "dir") && n >= 4) || (!strcmp(c, "ls") && n >= 3)) {
        bool ls = !strcmp(c, "ls");
        const char *pattern = ls ? f[2] : f[3];
        uint32_t flags = ls ? NTDRV_SL_RESTART_SCAN : (uint32_t)num(f[2]);
        for (;;) {
            blank(&w);
            w.info_class = FileBothDirectoryInformation;
            w.length = sizeof(nt_dir_entry_t);
            w.flags = flags | NTDRV_SL_RETURN_SINGLE_ENTRY;
            snprintf(w.name, sizeof w.name, "%s", pattern);
            d = irp(volume_id, IRP_MJ_DIRECTORY_CONTROL, IRP_MN_QUERY_DIRECTORY, num(f[1]), NULL, 0, &w);
            if (!ls || !NT_SUCCESS(d.status)) break;
            print_entry("entry");
            flags = 0;
        }
        if (!ls && NT_SUCCESS(d.status)) print_entry("entry");
        print_status(c, d);
    } else if (!strcmp(c, "fsctl") && n >= 3) {
        uint32_t in = n > 3 ? (uint32_t)num(f[3]) : 0;
        w.control_code = (uint32_t)num(f[2]);
        d = irp(volume_id ? volume_id : control_id, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_USER_FS_REQUEST, num(f[1]), &in,
                n > 3 ? sizeof in : 0, &w);
        print_status(c, d);
    } else if (!strcmp(c, "rp") && n >= 4) {
        int64_t vcn = (int64_t)num(f[2]);
        w.control_code = FSCTL_GET_RETRIEVAL_POINTERS;
        w.length = (uint32_t)num(f[3]);
        d = irp(volume_id, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_USER_FS_REQUEST, num(f[1]), &vcn, sizeof vcn, &w);
        print_status(c, d);
        if (out_len >= sizeof(nt_retrieval_pointers_t)) {
            nt_retrieval_pointers_t h;
            memcpy(&h, out_buf, sizeof h);
            printf("\tcount=%u\tcluster=%u\tstart=%lld\tfirst=%lld", (unsigned)h.count, (unsigned)h.cluster_bytes,
                   (long long)h.starting_vcn, (long long)h.first_cluster_offset);
            for (uint32_t i = 0; i < h.count && sizeof h + (i + 1) * sizeof(nt_retrieval_run_t) <= out_len; i++) {
                nt_retrieval_run_t r;
                memcpy(&r, out_buf + sizeof h + i * sizeof r, sizeof r);
                printf("\n\trun\t%lld\t%lld", (long long)r.next_vcn, (long long)r.lcn);
            }
        }
    } else if (!strcmp(c, "raw") && n >= 12) {
        w.major = (uint8_t)num(f[2]);
        w.minor = (uint8_t)num(f[3]);
        w.flags = (uint32_t)num(f[5]);
        w.offset = (int64_t)num(f[6]);
        w.length = (uint32_t)num(f[7]);
        w.info_class = (uint32_t)num(f[8]);
        w.control_code = (uint32_t)num(f[9]);
        w.options = w.major == IRP_MJ_CREATE ? (uint32_t)num(f[8]) : 0;
        snprintf(w.name, sizeof w.name, "%s", f[10]);
        size_t len = num(f[11]);
        static uint8_t junk[DDK_MAX_DATA + 16];
        for (size_t i = 0; i < sizeof junk; i++) junk[i] = (uint8_t)(i * 37 + 11);
        if (len > DDK_MAX_DATA) { /* the transport never hands more; the core must refuse it anyway */
            ntdrv_completion_t dd;
            const void *res;
            w.id = irp_id++;
            w.device = !strcmp(f[1], "vol") ? volume_id : !strcmp(f[1], "ctl") ? control_id : num(f[1]);
            w.file = num(f[4]);
            ddk_dispatch(&w, junk, len, &dd, &res, &out_len);
            print_status(c, dd);
        } else {
            uint8_t maj = w.major, min = w.minor;
            uint64_t dev = !strcmp(f[1], "vol") ? volume_id : !strcmp(f[1], "ctl") ? control_id : num(f[1]);
            d = irp(dev, maj, min, num(f[4]), junk, len, &w);
            print_status(c, d);
        }
    } else if (!strcmp(c, "fuzz") && n >= 3) {
        fuzz((unsigned long)num(f[1]), num(f[2]));
        printf("fuzz\tdone");
    } else if (!strcmp(c, "diskfail") && n >= 3) {
        fail_status = (NTSTATUS)num(f[1]);
        fail_after = (long)num(f[2]);
        printf("diskfail");
    } else if (!strcmp(c, "diskok")) {
        fail_after = -1;
        printf("diskok");
    } else {
        printf("error\tbad command %s", c);
    }
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fastfat_tool <image> < commands\n");
        return 2;
    }
    img = open(argv[1], O_RDWR);
    struct stat st;
    if (img < 0 || fstat(img, &st)) {
        perror(argv[1]);
        return 2;
    }
    img_size = (uint64_t)st.st_size;
    setvbuf(stdout, NULL, _IOLBF, 0);
    NTSTATUS s = ddk_start(&transport, "fastfat", FatDriverEntry);
    printf("start\t%s\n", nt_status_name(s));
    static char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#') continue;
        char *f[MAX_FIELDS];
        int n = 0;
        for (char *p = line; n < MAX_FIELDS;) {
            f[n++] = p;
            char *t = strchr(p, '\t');
            if (!t) break;
            *t = 0;
            p = t + 1;
        }
        command(f, n);
    }
    close(img);
    return 0;
}
