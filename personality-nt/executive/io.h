/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The I/O manager's objects: drivers (one per driver process, by badge), devices and their
 * stacks, volume parameter blocks, IRPs queued to drivers, and the pending operations of
 * clients that wait for IRPs (an `op`: a saved reply plus the state of a request that goes on
 * each time its IRPs complete). Also file objects and file control blocks (fcb: one per open
 * file of a volume, with its attributes and cache).
 */
#ifndef NTEXEC_IO_H
#define NTEXEC_IO_H

#include <stdint.h>

#include <ntdrv_server_gen.h>
#include <ntexec_server_gen.h>
#include <nt/irp.h>
#include <nt/status.h>

#include "cc.h"
#include "handle.h"
#include "ob.h"

#define IO_MAX_DRIVERS 16
#define IO_MAX_DEVICES 64
#define IO_MAX_FILESYSTEMS 8
#define IO_MAX_IRPS 96
#define IO_MAX_OPS 48
#define IO_MAX_FCBS 64
#define IO_MAX_DATA NTDRV_MAX_DATA

typedef struct driver driver_t;
typedef struct device device_t;
typedef struct irp irp_t;
typedef struct op op_t;
typedef struct fcb fcb_t;
typedef struct file file_t;

struct driver {
    int used;
    uint64_t badge;
    uint32_t generation;     /* bumped by each driver_entry of a restarted instance */
    ob_t *ob;                /* \Driver\<name> */
    int waiting;             /* blocked in next_irp: wait_reply answers it */
    ng_reply_t wait_reply;
    irp_t *qhead, *qtail;    /* IRPs queued for it */
};

struct device {
    uint64_t id;             /* never reused */
    ob_t *ob;                /* its object (\Device\…); the device lives while it is referenced */
    driver_t *driver;        /* NULL once deleted */
    uint32_t type, characteristics;
    device_t *above, *below; /* its stack */
    device_t *mounted;       /* a disk's VPB: the volume device mounted on it */
    device_t *real;          /* a volume device: the disk it was mounted on */
    int filesystem;          /* a registered file system's control device */
    int mounting;            /* a mount is in progress */
};

/* What an op answers (which ntexec/ntdrv reply it sends). */
typedef enum op_kind {
    OP_CREATE = 1, OP_READ, OP_WRITE, OP_QUERY_DIR, OP_QUERY_BASIC, OP_QUERY_STANDARD, OP_SET_INFO,
    OP_FLUSH, OP_FSCTL, OP_IOCTL, OP_CLOSE, OP_SHUTDOWN, OP_CALL_DRIVER, OP_INTERNAL,
} op_kind_t;

typedef void (*op_fn)(op_t *op);
typedef void (*irp_done_fn)(op_t *op, irp_t *irp);

struct irp {
    uint64_t id;             /* 0: free */
    ntdrv_irp_t s;           /* header and current stack location, as the driver sees it */
    uint8_t *in;             /* input data (heap) */
    uint32_t in_len;
    uint8_t *out;            /* output data of the completion (heap) */
    uint32_t out_len;
    NTSTATUS status;
    uint64_t information;
    driver_t *driver;        /* the driver it is queued at or held by */
    int held;                /* taken by next_irp */
    irp_t *qnext;
    op_t *op;
    irp_done_fn done;
    /* A cache read or write-back: the view and pages it is for (checked again on completion:
     * a dismount may have given the view away meanwhile). */
    cc_view_t *view;
    cc_map_t *map;
    uint64_t vindex;
    cc_run_t run;
    /* Takes the completion's output in place, from the driver's buffer (a cache fill copies it
     * straight into its view); `taken` once it did. */
    void (*take)(irp_t *irp, const uint8_t *data, uint32_t len);
    int taken;
    int completed;
    irp_t *cnext;            /* completion list */
};

struct op {
    int used;
    op_kind_t kind;
    uint64_t badge;          /* the client (or the driver for call_driver) */
    int has_reply;
    ng_reply_t reply;
    driver_t *from_driver;   /* call_driver: its caller, and the caller's generation */
    uint32_t from_generation;
    op_fn run;
    int step;
    uint32_t rounds;         /* runs so far (a bound against endless retries) */
    uint32_t outstanding;    /* IRPs in flight */
    int blocked;             /* waits for pages another op is reading */
    NTSTATUS status;         /* the first failure of its IRPs */
    uint64_t information;
    ob_t *obj;               /* the object it works on (referenced) */
    file_t *fo;              /* the file object it works on (kept alive by obj, or a close's own) */
    ob_t *devob;             /* a create's device (referenced) */
    device_t *target;        /* where a create goes: the device, or the top of the mounted volume */
    device_t *vol;           /* a create's volume device, if any */
    fcb_t *fcb;
    device_t *dev;
    /* The request. */
    ntexec_create_file_req_t create;
    int64_t offset;
    uint32_t length;
    uint8_t *data;           /* write data, control input (heap) */
    uint32_t data_len;
    uint32_t code, info_class, out_len;
    ntexec_file_set_information_t set;
    uint64_t file_id;        /* a create's FILE_OBJECT id */
    int fs_index;            /* the file system a mount offers the volume to next */
    char name[OB_NAME_MAX + 1];
    /* The result (besides status/information). */
    uint8_t *result;
    uint32_t result_len;
    uint64_t handle;
    ntexec_create_file_rep_t *sync_rep; /* a create still in its handler answers here */
    int32_t *sync_status;    /* a close still in its handler answers here */
};

struct fcb {
    int used;
    device_t *vol;           /* the volume device (referenced through its object) */
    uint64_t file_id;        /* nt_create_result_t.file_id */
    uint64_t fs_file;        /* the FILE_OBJECT id the file system knows (paging I/O goes on it) */
    char path[OB_NAME_MAX + 1];
    nt_create_result_t attr;
    cc_map_t map;
    uint32_t opens;          /* file objects on it */
    int delete_pending;
    int dismounted;
    int closing;             /* its last open is closing: new opens make a new fcb */
    int lost;                /* dismounted with dirty data: the last close reports it */
    /* Share access (IoCheckShareAccess): opens that read, write or delete, how many of them do
     * each, and how many let others do each. */
    uint32_t share_opens, readers, writers, deleters, shared_read, shared_write, shared_delete;
};

struct file {
    ob_t *ob;
    device_t *dev;           /* where its IRPs go (referenced through its object) */
    device_t *vol;           /* its volume device, or NULL (not a file of a mounted volume) */
    uint64_t id;             /* its FILE_OBJECT id */
    fcb_t *fcb;              /* a cached file of a volume, or NULL */
    int own_id;              /* the file system knows `id` (its own CREATE) */
    char path[OB_NAME_MAX + 1];
    int64_t position;
    int directory;
    int volume;              /* an open of the volume itself (\??\C:) */
    int dismounted;
    int closing;
    int last;                /* closing the fcb's last open */
    int slot;                /* its place in file.c's table */
    uint8_t share[6];        /* what it counts in its fcb's share access: read, write, delete,
                              * shares read, write, delete (all 0: not counted) */
};

/* Executive-wide state and statistics. */
typedef struct ex_state {
    ng_server_t srv;
    uint64_t irps;           /* IRPs sent to drivers */
    int shutdown;
} ex_state_t;
extern ex_state_t ex;

/* The shared buffer of a client (static or run-time connection badge). */
void ex_shm_of(uint64_t badge, uint8_t **shm, size_t *size);
/* Closes a run-time connection (a process that ended). */
void ex_conn_drop(uint64_t badge);
/* Whether a badge is a driver's (a static ntdrv client). */
int ex_is_static_badge(uint64_t badge);

/* io.c: drivers, devices, IRPs, ops. */
void io_init(void);
device_t *io_device(uint64_t id);
device_t *io_top(device_t *d);
driver_t *io_driver(uint64_t badge);
irp_t *io_irp_new(op_t *op, device_t *dev, uint8_t major, irp_done_fn done);
/* Queues an IRP to its device's driver (a dead device completes it at once with
 * STATUS_DEVICE_DOES_NOT_EXIST). Takes `in` (heap) as its input data. */
void io_irp_send(irp_t *irp, uint8_t *in, uint32_t in_len);
/* Runs completions (and the ops they continue) until none is left: every handler ends with it. */
void io_drain(void);
op_t *io_op_new(op_kind_t kind, uint64_t badge);
/* Saves the current caller's reply in the op (false: no reply slot left). */
int io_op_save(op_t *op, ng_call_t *call);
/* Runs an op's next step now (from a handler). */
void io_op_run(op_t *op);
void io_op_free(op_t *op);
/* Ops waiting for pages other ops read: run again after each fill. */
void io_wake_blocked(void);
uint64_t io_new_file_id(void);
device_t *io_filesystem(int i);
/* Takes a volume out of use: cached data dropped (discard) or already written, file objects on
 * it answer STATUS_VOLUME_DISMOUNTED, its disk's VPB cleared. */
void io_dismount(device_t *vol);
/* The volumes mounted now (shutdown, listings). */
device_t *io_device_at(uint32_t i);
extern const ntdrv_ops_t io_ntdrv_ops;

/* file.c: file objects, the cache glue and the ntexec file methods. */
const ntexec_ops_t *file_ntexec_ops(ntexec_ops_t *ops);
fcb_t *file_fcb_at(uint32_t i);
void file_fcb_dismount(fcb_t *f);
/* Every file object on a volume (but `keep`) answers STATUS_VOLUME_DISMOUNTED from now on. */
void file_dismount_volume(device_t *vol, file_t *keep);
/* Writes back every dirty view of the fcb: issues WRITE IRPs for op; how many it issued. */
uint32_t file_write_back(op_t *op, fcb_t *f);

#endif
