/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * probe: a client of idl/ntexec.idl for the executive's tests (with probedrv serving
 * \Device\Probe): name parsing and its errors, handles and access masks, directory objects and
 * symbolic links, statistics (a read is one IRP), and a driver that dies holding this client's
 * WRITE: the write fails with STATUS_DEVICE_DOES_NOT_EXIST, the old handle answers the same,
 * and once the driver has restarted a new open works. Ends with "probe: N checks passed, M
 * failed".
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"
#include <nt/status.h>

#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u

static unsigned passed, failed;
static ntexec_client_t c;

static void check(const char *what, int32_t got, int32_t want)
{
    if (got == want) passed++;
    else failed++;
    printf("probe: %s: %s (%s)\n", what, nt_status_name(got), got == want ? "ok" : "FAILED");
}

static void check_true(const char *what, int ok)
{
    if (ok) passed++;
    else failed++;
    printf("probe: %s (%s)\n", what, ok ? "ok" : "FAILED");
}

static int32_t open_name(const char *name, uint32_t access, uint64_t *h)
{
    ntexec_object_attributes_t a;
    memset(&a, 0, sizeof a);
    snprintf(a.object_name, sizeof a.object_name, "%s", name);
    int32_t st = 0;
    ntexec_io_status_block_t iosb;
    *h = 0;
    int err = ntexec_open_file(&c, access, &a, 0, 0, &st, h, &iosb);
    return err == NG_OK ? st : -1;
}

static int32_t read_h(uint64_t h, char *buf, size_t size, size_t *got)
{
    int32_t st = 0;
    ntexec_io_status_block_t iosb;
    ng_bytes_t data = { 0 };
    int err = ntexec_read_file(&c, h, (uint32_t)size, 0, &st, &iosb, &data);
    *got = 0;
    if (err != NG_OK) return -1;
    if (data.len <= size) {
        memcpy(buf, data.ptr, data.len);
        *got = data.len;
    }
    return st;
}

static int32_t write_h(uint64_t h, const char *s)
{
    int32_t st = 0;
    ntexec_io_status_block_t iosb;
    return ntexec_write_file(&c, h, 0, ng_bytes(s, strlen(s)), &st, &iosb) == NG_OK ? st : -1;
}

static int32_t close_h(uint64_t h)
{
    int32_t st = 0;
    return ntexec_close(&c, h, &st) == NG_OK ? st : -1;
}

static uint64_t irps(void)
{
    int32_t st;
    uint64_t n = 0, hits, misses;
    uint32_t handles;
    ntexec_query_statistics(&c, &st, &n, &hits, &misses, &handles);
    return n;
}

/* Opens \??\P: once probedrv serves it (it starts beside us): up to 20 tries a second apart. */
static int32_t open_probe(uint32_t access, uint64_t *h)
{
    timer_client_t t = probe_use_timer();
    int32_t st = STATUS_UNSUCCESSFUL;
    for (int i = 0; i < 20; i++) {
        st = open_name("\\??\\P:", access, h);
        if (st == STATUS_SUCCESS) break;
        timer_sleep(&t, 1000000000ull);
    }
    return st;
}

static void names(void)
{
    uint64_t h;
    check("open \\Device\\Nope", open_name("\\Device\\Nope", GENERIC_READ, &h), STATUS_OBJECT_NAME_NOT_FOUND);
    check("open \\Nope\\Null", open_name("\\Nope\\Null", GENERIC_READ, &h), STATUS_OBJECT_PATH_NOT_FOUND);
    check("open a relative name", open_name("Device\\Probe", GENERIC_READ, &h), STATUS_OBJECT_PATH_SYNTAX_BAD);
    check("open an empty component", open_name("\\Device\\\\Probe", GENERIC_READ, &h), STATUS_OBJECT_NAME_INVALID);
    check("open a directory as a file", open_name("\\Device", GENERIC_READ, &h), STATUS_OBJECT_TYPE_MISMATCH);
    /* \Device listed with type names; \DosDevices is \??. */
    ntexec_object_attributes_t a;
    memset(&a, 0, sizeof a);
    strcpy(a.object_name, "\\Device");
    int32_t st = 0;
    uint64_t dir = 0;
    ntexec_open_directory_object(&c, 0x0001, &a, &st, &dir);
    check("open directory \\Device", st, STATUS_SUCCESS);
    int found = 0;
    uint32_t ctx = 0, n = 0;
    for (;;) {
        ng_str_t name, type;
        uint32_t next = 0;
        if (ntexec_query_directory_object(&c, dir, ctx == 0, ctx, &st, &name, &type, &next) != NG_OK || st != STATUS_SUCCESS) break;
        if (name.len == 5 && memcmp(name.ptr, "Probe", 5) == 0 && type.len == 6 && memcmp(type.ptr, "Device", 6) == 0) found = 1;
        ctx = next;
        n++;
    }
    check("the listing ends", st, STATUS_NO_MORE_ENTRIES);
    check_true("\\Device lists Probe as a Device", found);
    check("read a directory object as a file", read_h(dir, (char[4]){ 0 }, 4, &(size_t){ 0 }), STATUS_OBJECT_TYPE_MISMATCH);
    check("close the directory", close_h(dir), STATUS_SUCCESS);
    memset(&a, 0, sizeof a);
    strcpy(a.object_name, "\\DosDevices\\P:");
    uint64_t link = 0;
    ntexec_open_symbolic_link_object(&c, 0x0001, &a, &st, &link);
    check("open the link \\DosDevices\\P:", st, STATUS_SUCCESS);
    ng_str_t target = { 0 };
    ntexec_query_symbolic_link_object(&c, link, &st, &target);
    check_true("it points at \\Device\\Probe", st == STATUS_SUCCESS && target.len == 13 && memcmp(target.ptr, "\\Device\\Probe", 13) == 0);
    close_h(link);
}

static void handles(void)
{
    uint64_t r, w;
    char buf[32];
    size_t got = 0;
    check("open \\??\\P: for reading", open_probe(GENERIC_READ, &r), STATUS_SUCCESS);
    uint64_t before = irps();
    check("read it", read_h(r, buf, sizeof buf, &got), STATUS_SUCCESS);
    check_true("it says \"probe data\"", got == 10 && memcmp(buf, "probe data", 10) == 0);
    check_true("the read was one IRP", irps() == before + 1);
    check("write through the read-only handle", write_h(r, "x"), STATUS_ACCESS_DENIED);
    check("a handle never issued", read_h(0x1234, buf, sizeof buf, &got), STATUS_INVALID_HANDLE);
    check("a handle value not a multiple of 4", read_h(r + 2, buf, sizeof buf, &got), STATUS_INVALID_HANDLE);
    check("open for writing", open_name("\\??\\P:", GENERIC_WRITE, &w), STATUS_SUCCESS);
    check("read through the write-only handle", read_h(w, buf, sizeof buf, &got), STATUS_ACCESS_DENIED);
    check("write it", write_h(w, "hello"), STATUS_SUCCESS);
    check("close the read handle", close_h(r), STATUS_SUCCESS);
    check("close it again", close_h(r), STATUS_INVALID_HANDLE);
    check("read through the closed handle", read_h(r, buf, sizeof buf, &got), STATUS_INVALID_HANDLE);

    /* The driver dies holding our WRITE. */
    check("write \"die\": the driver dies holding it", write_h(w, "die"), STATUS_DEVICE_DOES_NOT_EXIST);
    check("the old handle after the driver's death", write_h(w, "again"), STATUS_DEVICE_DOES_NOT_EXIST);
    check("close the old handle", close_h(w), STATUS_SUCCESS);
    check("open \\??\\P: again (the driver restarted)", open_probe(GENERIC_READ | GENERIC_WRITE, &w), STATUS_SUCCESS);
    check("read from the new instance", read_h(w, buf, sizeof buf, &got), STATUS_SUCCESS);
    check("close", close_h(w), STATUS_SUCCESS);
    int32_t st;
    uint64_t n, hits, misses;
    uint32_t count = 99;
    ntexec_query_statistics(&c, &st, &n, &hits, &misses, &count);
    check_true("no handle left open", count == 0);
}

/* Processes: one that faults is seen ended at a reaping tick; one terminated at once. */
static void processes(void)
{
    int32_t st = 0, exit_status = 0;
    uint64_t h = 0;
    uint32_t pid = 0;
    ntexec_create_process(&c, ng_str("probekid"), ng_str("probekid fault"), &st, &h, &pid);
    check("start probekid fault", st, STATUS_SUCCESS);
    ntexec_wait_for_single_object(&c, h, false, -1, &st);
    check("wait for it", st, STATUS_WAIT_0);
    ntexec_query_information_process(&c, h, &st, &exit_status, &pid);
    check("its exit status", exit_status, (int32_t)0xC0000005);
    check("close it", close_h(h), STATUS_SUCCESS);
    ntexec_create_process(&c, ng_str("probekid"), ng_str("probekid block"), &st, &h, &pid);
    check("start probekid block", st, STATUS_SUCCESS);
    ntexec_wait_for_single_object(&c, h, false, 0, &st);
    check("poll it: still running", st, STATUS_TIMEOUT);
    ntexec_wait_for_single_object(&c, h, false, 1500, &st);
    check("wait 1.5 s: still running", st, STATUS_TIMEOUT);
    ntexec_query_information_process(&c, h, &st, &exit_status, &pid);
    check("its exit status while it runs", exit_status, STATUS_PENDING);
    ntexec_terminate_process(&c, h, 42, &st);
    check("terminate it", st, STATUS_SUCCESS);
    ntexec_wait_for_single_object(&c, h, false, -1, &st);
    check("wait for it", st, STATUS_WAIT_0);
    ntexec_query_information_process(&c, h, &st, &exit_status, &pid);
    check("its exit status", exit_status, 42);
    ntexec_terminate_process(&c, h, 43, &st);
    check("terminate it again", st, STATUS_PROCESS_IS_TERMINATING);
    check("close it", close_h(h), STATUS_SUCCESS);
    ntexec_create_process(&c, ng_str("nope"), ng_str(""), &st, &h, &pid);
    check("start a program that does not exist", st, STATUS_OBJECT_NAME_NOT_FOUND);
    /* A synchronization event wakes one waiter per set; a process handle is no event. */
    ntexec_object_attributes_t a;
    memset(&a, 0, sizeof a);
    uint64_t ev = 0;
    ntexec_create_event(&c, 0x001F0003, &a, NTEXEC_EVENT_TYPE_SYNCHRONIZATION, true, &st, &ev);
    check("create a signalled synchronization event", st, STATUS_SUCCESS);
    ntexec_wait_for_single_object(&c, ev, false, 0, &st);
    check("wait on it", st, STATUS_WAIT_0);
    ntexec_wait_for_single_object(&c, ev, false, 0, &st);
    check("wait again: the wait reset it", st, STATUS_TIMEOUT);
    int32_t prev = 0;
    ntexec_set_event(&c, h, &st, &prev);
    check("set_event on a closed process handle", st, STATUS_INVALID_HANDLE);
    close_h(ev);
}

int main(void)
{
    c = probe_use_ntexec();
    handles();
    names();
    processes();
    printf("probe: %u checks passed, %u failed\n", passed, failed);
    return 0;
}
