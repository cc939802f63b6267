/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The I/O manager's driver side (idl/ntdrv.idl): driver and device objects, device stacks,
 * file-system registration, IRPs queued to the driver owning their device and pulled with
 * next_irp (a deferred reply while the queue is empty), completion and forwarding, IRPs that
 * drivers build themselves (call_driver, answered on completion), and the restart of a driver:
 * its IRPs fail, its devices go, the volumes they served are dismounted. Completions are run
 * from io_drain at the end of each handler, never inside another op's step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"

ex_state_t ex;

static driver_t drivers[IO_MAX_DRIVERS];
static device_t *devices[IO_MAX_DEVICES];
static device_t *filesystems[IO_MAX_FILESYSTEMS];
static irp_t irps[IO_MAX_IRPS];
static op_t ops[IO_MAX_OPS];
static irp_t *done_head, *done_tail;
static uint64_t next_device_id = 1, next_irp_id = 1, next_file_id = 1;
static int draining;

void io_init(void) {}

uint64_t io_new_file_id(void) { return next_file_id++; }
device_t *io_filesystem(int i) { return i >= 0 && i < IO_MAX_FILESYSTEMS ? filesystems[i] : NULL; }
device_t *io_device_at(uint32_t i) { return i < IO_MAX_DEVICES ? devices[i] : NULL; }

driver_t *io_driver(uint64_t badge)
{
    for (unsigned i = 0; i < IO_MAX_DRIVERS; i++)
        if (drivers[i].used && drivers[i].badge == badge) return &drivers[i];
    return NULL;
}

device_t *io_device(uint64_t id)
{
    if (id == 0) return NULL;
    for (unsigned i = 0; i < IO_MAX_DEVICES; i++)
        if (devices[i] && devices[i]->id == id) return devices[i];
    return NULL;
}

device_t *io_top(device_t *d)
{
    unsigned n = 0;
    while (d && d->above && n++ < IO_MAX_DEVICES) d = d->above;
    return d;
}

/* ---- ops ---------------------------------------------------------------------------------- */

op_t *io_op_new(op_kind_t kind, uint64_t badge)
{
    for (unsigned i = 0; i < IO_MAX_OPS; i++) {
        op_t *op = &ops[i];
        if (op->used) continue;
        memset(op, 0, sizeof *op);
        op->used = 1;
        op->kind = kind;
        op->badge = badge;
        return op;
    }
    return NULL;
}

int io_op_save(op_t *op, ng_call_t *call)
{
    if (ng_reply_save(call->server, &op->reply) != NG_OK) return 0;
    op->has_reply = 1;
    return 1;
}

void io_op_free(op_t *op)
{
    if (!op || !op->used) return;
    if (op->obj) ob_deref(op->obj);
    if (op->devob) ob_deref(op->devob);
    free(op->data);
    free(op->result);
    op->used = 0;
}

void io_op_run(op_t *op)
{
    if (!op->used || !op->run) return;
    op->rounds++;
    op->blocked = 0;
    op->run(op);
}

void io_wake_blocked(void)
{
    for (unsigned i = 0; i < IO_MAX_OPS; i++)
        if (ops[i].used && ops[i].blocked && ops[i].outstanding == 0) io_op_run(&ops[i]);
}

/* ---- IRPs --------------------------------------------------------------------------------- */

irp_t *io_irp_new(op_t *op, device_t *dev, uint8_t major, irp_done_fn done)
{
    for (unsigned i = 0; i < IO_MAX_IRPS; i++) {
        irp_t *irp = &irps[i];
        if (irp->id) continue;
        memset(irp, 0, sizeof *irp);
        irp->id = next_irp_id++;
        irp->s.id = irp->id;
        irp->s.device = dev ? dev->id : 0;
        irp->s.major = major;
        irp->op = op;
        irp->done = done;
        if (op) op->outstanding++;
        return irp;
    }
    return NULL;
}

static void irp_free(irp_t *irp)
{
    free(irp->in);
    free(irp->out);
    memset(irp, 0, sizeof *irp);
}

static void complete(irp_t *irp, NTSTATUS status, uint64_t information)
{
    if (irp->completed) return;
    irp->completed = 1;
    irp->status = status;
    irp->information = information;
    irp->driver = NULL;
    irp->held = 0;
    irp->cnext = NULL;
    if (done_tail) done_tail->cnext = irp;
    else done_head = irp;
    done_tail = irp;
}

static void unqueue(driver_t *d, irp_t *irp)
{
    irp_t **pp = &d->qhead;
    irp_t *prev = NULL;
    while (*pp && *pp != irp) {
        prev = *pp;
        pp = &(*pp)->qnext;
    }
    if (!*pp) return;
    *pp = irp->qnext;
    if (d->qtail == irp) d->qtail = prev;
    irp->qnext = NULL;
}

/* Hands an IRP to a driver blocked in next_irp (its deferred reply carries it). */
static void deliver(driver_t *d, irp_t *irp)
{
    uint8_t *shm;
    size_t size;
    ex_shm_of(d->badge, &shm, &size);
    ntdrv_next_irp_rep_t rep;
    memset(&rep, 0, sizeof rep);
    rep.irp = irp->s;
    rep.data = ng_bytes(irp->in, irp->in_len);
    d->waiting = 0;
    irp->held = 1;
    ex.irps++;
    (void)ntdrv_next_irp_reply(&ex.srv, d->wait_reply, NG_OK, &rep, shm, size);
}

static void enqueue(driver_t *d, irp_t *irp)
{
    irp->driver = d;
    irp->held = 0;
    if (d->waiting) {
        deliver(d, irp);
        return;
    }
    irp->qnext = NULL;
    if (d->qtail) d->qtail->qnext = irp;
    else d->qhead = irp;
    d->qtail = irp;
}

void io_irp_send(irp_t *irp, uint8_t *in, uint32_t in_len)
{
    irp->in = in;
    irp->in_len = in ? in_len : 0;
    device_t *dev = io_device(irp->s.device);
    if (!dev || !dev->driver) {
        complete(irp, STATUS_DEVICE_DOES_NOT_EXIST, 0);
        return;
    }
    enqueue(dev->driver, irp);
}

void io_drain(void)
{
    if (draining) return;
    draining = 1;
    for (;;) {
        irp_t *irp = done_head;
        if (!irp) break;
        done_head = irp->cnext;
        if (!done_head) done_tail = NULL;
        op_t *op = irp->op;
        if (op && op->used) {
            if (irp->done) irp->done(op, irp);
            if (!NT_SUCCESS(irp->status) && NT_SUCCESS(op->status)) op->status = irp->status;
        }
        irp_free(irp);
        if (op && op->used) {
            if (op->outstanding > 0) op->outstanding--;
            if (op->outstanding == 0) io_op_run(op);
        }
        io_wake_blocked();
    }
    draining = 0;
}

/* ---- devices and volumes ------------------------------------------------------------------ */

static void device_destroy(ob_t *o)
{
    device_t *d = o->body;
    if (!d) return;
    for (unsigned i = 0; i < IO_MAX_DEVICES; i++)
        if (devices[i] == d) devices[i] = NULL;
    free(d);
    o->body = NULL;
}

void io_dismount(device_t *vol)
{
    if (!vol) return;
    file_dismount_volume(vol, NULL);
    for (uint32_t i = 0;; i++) {
        fcb_t *f = file_fcb_at(i);
        if (!f) break;
        if (f->used && f->vol == vol) file_fcb_dismount(f);
    }
    if (vol->real && vol->real->mounted == vol) vol->real->mounted = NULL;
    vol->real = NULL;
}

/* Takes a device out of use: its IRPs fail, volumes on it or of it are dismounted, it leaves
 * the stack and the namespace; the object lives on while file objects reference it. */
static void device_delete(device_t *d, int fail_held)
{
    if (!d || !d->driver) return;
    driver_t *drv = d->driver;
    for (irp_t *irp = drv->qhead, *next; irp; irp = next) {
        next = irp->qnext;
        if (irp->s.device == d->id) {
            unqueue(drv, irp);
            complete(irp, STATUS_DEVICE_DOES_NOT_EXIST, 0);
        }
    }
    /* IRPs its driver holds: a live driver deleting its own device still completes them. */
    for (unsigned i = 0; fail_held && i < IO_MAX_IRPS; i++)
        if (irps[i].id && irps[i].held && irps[i].driver == drv && irps[i].s.device == d->id)
            complete(&irps[i], STATUS_DEVICE_DOES_NOT_EXIST, 0);
    if (d->mounted) io_dismount(d->mounted);
    if (d->real) io_dismount(d);
    for (unsigned i = 0; i < IO_MAX_FILESYSTEMS; i++)
        if (filesystems[i] == d) filesystems[i] = NULL;
    if (d->above) d->above->below = d->below;
    if (d->below) d->below->above = d->above;
    d->above = d->below = NULL;
    d->driver = NULL;
    for (unsigned i = 0; i < IO_MAX_DEVICES; i++)
        if (devices[i] == d) devices[i] = NULL;
    /* Its \FileSystem link, if any, goes with it. */
    if (d->filesystem && drv->ob) {
        ob_parse_t p;
        char name[OB_NAME_MAX + 1];
        snprintf(name, sizeof name, "\\FileSystem\\%s", drv->ob->name);
        if (NT_SUCCESS(ob_parse(NULL, name, OB_PARSE_OPEN_LINK, &p))) {
            ob_remove_name(p.obj);
            ob_deref(p.obj);
        }
    }
    /* Out of the namespace now (a new instance may create the name again); freed now, or with
     * the last file object on it. */
    ob_remove_name(d->ob);
}

/* ---- ntdrv handlers ------------------------------------------------------------------------ */

static NTSTATUS str_copy(char *dst, size_t size, ng_str_t s)
{
    if (s.len >= size || memchr(s.ptr, 0, s.len)) return STATUS_OBJECT_NAME_INVALID;
    memcpy(dst, s.ptr, s.len);
    dst[s.len] = 0;
    return STATUS_SUCCESS;
}

/* The driver behind a badge, or NULL (and the status to answer). Run-time connections are no
 * drivers: only processes the layout grants ntdrv reach these methods by a static badge. */
static driver_t *caller_driver(ng_call_t *call, int32_t *status)
{
    driver_t *d = ex_is_static_badge(call->badge) ? io_driver(call->badge) : NULL;
    if (!d) *status = ex_is_static_badge(call->badge) ? STATUS_INVALID_DEVICE_STATE : STATUS_ACCESS_DENIED;
    return d;
}

/* Removes the symbolic links a driver made under dir (depth-bounded walk). */
static void remove_links_of(ob_t *dir, driver_t *d, int depth)
{
    if (!dir || dir->type != OB_DIRECTORY || depth > 16) return;
    for (ob_t *o = dir->children, *next; o; o = next) {
        next = o->next;
        if (o->type == OB_SYMLINK && o->body == d) ob_remove_name(o);
        else if (o->type == OB_DIRECTORY) remove_links_of(o, d, depth + 1);
    }
}

/* Every trace of a dead instance: IRPs it held or had queued fail, call_driver calls it made
 * are forgotten, its devices and links go, its volumes are dismounted. */
static void driver_reset(driver_t *d)
{
    for (irp_t *irp = d->qhead, *next; irp; irp = next) {
        next = irp->qnext;
        irp->qnext = NULL;
        complete(irp, STATUS_DEVICE_DOES_NOT_EXIST, 0);
    }
    d->qhead = d->qtail = NULL;
    for (unsigned i = 0; i < IO_MAX_IRPS; i++)
        if (irps[i].id && irps[i].driver == d) complete(&irps[i], STATUS_DEVICE_DOES_NOT_EXIST, 0);
    for (unsigned i = 0; i < IO_MAX_OPS; i++) {
        op_t *op = &ops[i];
        if (op->used && op->from_driver == d) {
            op->has_reply = 0; /* the caller is gone: nothing to answer, no buffer to touch */
            op->from_driver = NULL;
        }
    }
    if (d->waiting) {
        ntdrv_next_irp_rep_t rep;
        memset(&rep, 0, sizeof rep);
        (void)ntdrv_next_irp_reply(&ex.srv, d->wait_reply, NG_EAGAIN, &rep, NULL, 0);
        d->waiting = 0;
    }
    for (unsigned i = 0; i < IO_MAX_DEVICES; i++)
        if (devices[i] && devices[i]->driver == d) device_delete(devices[i], 1);
    /* Symbolic links it made (their body names it), wherever they are. */
    remove_links_of(ob_root(), d, 0);
}

static int d_driver_entry(void *ctx, ng_call_t *call, const ntdrv_driver_entry_req_t *req, ntdrv_driver_entry_rep_t *rep)
{
    (void)ctx;
    char name[NTDRV_MAX_DRIVER + 1];
    if (!ex_is_static_badge(call->badge)) return rep->status = STATUS_ACCESS_DENIED, NG_OK;
    if (!NT_SUCCESS(rep->status = str_copy(name, sizeof name, req->name)) || !name[0] || strchr(name, '\\'))
        return rep->status = STATUS_OBJECT_NAME_INVALID, NG_OK;
    driver_t *d = io_driver(call->badge);
    if (d) {
        printf("ntexec: driver %s restarted: failing its IRPs, dismounting its volumes\n", d->ob ? d->ob->name : name);
        driver_reset(d);
        d->generation++;
        io_drain();
        rep->restarted = true;
        rep->status = STATUS_SUCCESS;
        return NG_OK;
    }
    for (unsigned i = 0; i < IO_MAX_DRIVERS && !d; i++)
        if (!drivers[i].used) d = &drivers[i];
    if (!d) return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    char full[OB_NAME_MAX + 1];
    snprintf(full, sizeof full, "\\Driver\\%s", name);
    ob_t *o;
    NTSTATUS s = ob_create(NULL, full, OB_DRIVER, 0, &o);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    o->permanent = 1;
    o->refs = 0;
    memset(d, 0, sizeof *d);
    d->used = 1;
    d->badge = call->badge;
    d->ob = o;
    o->body = d;
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

static int d_create_device(void *ctx, ng_call_t *call, const ntdrv_create_device_req_t *req, ntdrv_create_device_rep_t *rep)
{
    (void)ctx;
    driver_t *drv = caller_driver(call, &rep->status);
    if (!drv) return NG_OK;
    char name[OB_NAME_MAX + 1];
    if (!NT_SUCCESS(rep->status = str_copy(name, sizeof name, req->name))) return NG_OK;
    unsigned slot = IO_MAX_DEVICES;
    for (unsigned i = 0; i < IO_MAX_DEVICES && slot == IO_MAX_DEVICES; i++)
        if (!devices[i]) slot = i;
    device_t *d = slot < IO_MAX_DEVICES ? calloc(1, sizeof *d) : NULL;
    if (!d) return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    d->id = next_device_id++;
    char full[OB_NAME_MAX + 1];
    if (!name[0]) snprintf(full, sizeof full, "\\Device\\%08llx", (unsigned long long)d->id);
    else if (name[0] == '\\') snprintf(full, sizeof full, "%s", name);
    else if (strlen(name) + 8 > OB_NAME_MAX) return free(d), rep->status = STATUS_NAME_TOO_LONG, NG_OK;
    else snprintf(full, sizeof full, "\\Device\\%s", name);
    ob_t *o;
    NTSTATUS s = ob_create(NULL, full, OB_DEVICE, 1, &o);
    if (!NT_SUCCESS(s)) return free(d), rep->status = s, NG_OK;
    o->permanent = 1;
    o->refs = 0;
    o->body = d;
    o->destroy = device_destroy;
    d->ob = o;
    d->driver = drv;
    d->type = req->device_type;
    d->characteristics = req->characteristics;
    devices[slot] = d;
    rep->device = d->id;
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

/* A device of the calling driver, or NULL with the status to answer. */
static device_t *own_device(driver_t *drv, uint64_t id, int32_t *status)
{
    device_t *d = io_device(id);
    if (!d) *status = STATUS_NO_SUCH_DEVICE;
    else if (d->driver != drv) *status = STATUS_ACCESS_DENIED, d = NULL;
    return d;
}

static int d_delete_device(void *ctx, ng_call_t *call, const ntdrv_delete_device_req_t *req, ntdrv_delete_device_rep_t *rep)
{
    (void)ctx;
    driver_t *drv = caller_driver(call, &rep->status);
    device_t *d = drv ? own_device(drv, req->device, &rep->status) : NULL;
    if (!d) return NG_OK;
    device_delete(d, 0);
    io_drain();
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

static int d_get_device(void *ctx, ng_call_t *call, const ntdrv_get_device_req_t *req, ntdrv_get_device_rep_t *rep)
{
    (void)ctx;
    driver_t *drv = caller_driver(call, &rep->status);
    if (!drv) return NG_OK;
    char name[OB_NAME_MAX + 1];
    if (!NT_SUCCESS(rep->status = str_copy(name, sizeof name, req->name))) return NG_OK;
    ob_parse_t p;
    NTSTATUS s = ob_parse(NULL, name, 0, &p);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    if (p.obj->type != OB_DEVICE || p.rest[0] || !p.obj->body) s = STATUS_OBJECT_TYPE_MISMATCH;
    else rep->device = ((device_t *)p.obj->body)->id;
    ob_deref(p.obj);
    rep->status = s;
    return NG_OK;
}

static int d_attach_device(void *ctx, ng_call_t *call, const ntdrv_attach_device_req_t *req, ntdrv_attach_device_rep_t *rep)
{
    (void)ctx;
    driver_t *drv = caller_driver(call, &rep->status);
    device_t *src = drv ? own_device(drv, req->source, &rep->status) : NULL;
    if (!src) return NG_OK;
    device_t *target = io_device(req->target);
    if (!target || !target->driver) return rep->status = STATUS_NO_SUCH_DEVICE, NG_OK;
    if (src->above || src->below || target == src) return rep->status = STATUS_INVALID_PARAMETER, NG_OK;
    device_t *top = io_top(target);
    top->above = src;
    src->below = top;
    rep->lower = top->id;
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

static int d_register_file_system(void *ctx, ng_call_t *call, const ntdrv_register_file_system_req_t *req, ntdrv_register_file_system_rep_t *rep)
{
    (void)ctx;
    driver_t *drv = caller_driver(call, &rep->status);
    device_t *d = drv ? own_device(drv, req->device, &rep->status) : NULL;
    if (!d) return NG_OK;
    if (d->filesystem) return rep->status = STATUS_SUCCESS, NG_OK;
    int slot = -1;
    for (int i = 0; i < IO_MAX_FILESYSTEMS && slot < 0; i++)
        if (!filesystems[i]) slot = i;
    if (slot < 0) return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    filesystems[slot] = d;
    d->filesystem = 1;
    /* \FileSystem\<driver> names it. */
    char link[OB_NAME_MAX + 1], target[OB_NAME_MAX + 1];
    ob_t *o;
    if (ob_full_name(d->ob, target, sizeof target) > 0 && drv->ob) {
        snprintf(link, sizeof link, "\\FileSystem\\%s", drv->ob->name);
        if (NT_SUCCESS(ob_create(NULL, link, OB_SYMLINK, 0, &o))) {
            o->target = strdup(target);
            o->permanent = 1;
            o->refs = 0;
        }
    }
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

static int d_create_symbolic_link(void *ctx, ng_call_t *call, const ntdrv_create_symbolic_link_req_t *req, ntdrv_create_symbolic_link_rep_t *rep)
{
    (void)ctx;
    driver_t *drv = caller_driver(call, &rep->status);
    if (!drv) return NG_OK;
    char link[OB_NAME_MAX + 1], target[OB_NAME_MAX + 1];
    if (!NT_SUCCESS(rep->status = str_copy(link, sizeof link, req->link))) return NG_OK;
    if (!NT_SUCCESS(rep->status = str_copy(target, sizeof target, req->target))) return NG_OK;
    if (target[0] != '\\') return rep->status = STATUS_OBJECT_PATH_SYNTAX_BAD, NG_OK;
    ob_t *o;
    NTSTATUS s = ob_create(NULL, link, OB_SYMLINK, 0, &o);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    o->target = strdup(target);
    if (!o->target) {
        ob_make_temporary(o);
        ob_deref(o);
        return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    }
    o->permanent = 1;
    o->refs = 0;
    o->body = drv;
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

static int d_delete_symbolic_link(void *ctx, ng_call_t *call, const ntdrv_delete_symbolic_link_req_t *req, ntdrv_delete_symbolic_link_rep_t *rep)
{
    (void)ctx;
    driver_t *drv = caller_driver(call, &rep->status);
    if (!drv) return NG_OK;
    char link[OB_NAME_MAX + 1];
    if (!NT_SUCCESS(rep->status = str_copy(link, sizeof link, req->link))) return NG_OK;
    ob_parse_t p;
    NTSTATUS s = ob_parse(NULL, link, OB_PARSE_OPEN_LINK, &p);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    if (p.obj->type != OB_SYMLINK) s = STATUS_OBJECT_TYPE_MISMATCH;
    else ob_remove_name(p.obj);
    ob_deref(p.obj);
    rep->status = s;
    return NG_OK;
}

/* The IRP `id` that driver d holds. */
static irp_t *held_irp(driver_t *d, uint64_t id)
{
    for (unsigned i = 0; i < IO_MAX_IRPS; i++)
        if (irps[i].id == id && irps[i].held && irps[i].driver == d && !irps[i].completed) return &irps[i];
    return NULL;
}

static int d_next_irp(void *ctx, ng_call_t *call, const ntdrv_next_irp_req_t *req, ntdrv_next_irp_rep_t *rep)
{
    (void)ctx;
    int32_t status;
    driver_t *d = caller_driver(call, &status);
    if (!d) return NG_EDENIED;
    if (d->waiting) return NG_EAGAIN; /* one next_irp at a time */
    if (req->done.id) {
        irp_t *irp = held_irp(d, req->done.id);
        if (irp && req->done.forward_to) {
            device_t *lower = io_device(req->done.forward_to);
            irp->held = 0;
            irp->driver = NULL;
            if (!lower || !lower->driver) {
                complete(irp, STATUS_DEVICE_DOES_NOT_EXIST, 0);
            } else {
                irp->s.device = lower->id;
                enqueue(lower->driver, irp);
            }
        } else if (irp) {
            size_t n = req->result.len > IO_MAX_DATA ? IO_MAX_DATA : req->result.len;
            if (irp->take) {
                irp->status = req->done.status;
                irp->take(irp, req->result.ptr, (uint32_t)n);
                irp->taken = 1;
            } else if (n) {
                irp->out = malloc(n);
                if (irp->out) {
                    memcpy(irp->out, req->result.ptr, n);
                    irp->out_len = (uint32_t)n;
                }
            }
            complete(irp, req->done.status, req->done.information);
        }
    }
    /* Continue whatever waited for that completion before taking the next IRP. */
    io_drain();
    irp_t *next = d->qhead;
    if (next) {
        d->qhead = next->qnext;
        if (!d->qhead) d->qtail = NULL;
        next->qnext = NULL;
        next->held = 1;
        ex.irps++;
        rep->irp = next->s;
        rep->data = ng_bytes(next->in, next->in_len);
        return NG_OK;
    }
    if (ng_reply_save(call->server, &d->wait_reply) != NG_OK) return NG_EAGAIN;
    d->waiting = 1;
    return NG_DEFERRED;
}

static void call_driver_done(op_t *op, irp_t *irp)
{
    op->status = irp->status;
    op->information = irp->information;
    if (irp->out_len) {
        op->result = irp->out;
        op->result_len = irp->out_len;
        irp->out = NULL;
        irp->out_len = 0;
    }
}

static void call_driver_run(op_t *op)
{
    if (op->outstanding) return;
    if (op->has_reply && op->from_driver && op->from_driver->generation == op->from_generation) {
        uint8_t *shm;
        size_t size;
        ex_shm_of(op->badge, &shm, &size);
        ntdrv_call_driver_rep_t rep;
        memset(&rep, 0, sizeof rep);
        rep.status = op->status;
        rep.information = op->information;
        rep.data = ng_bytes(op->result, op->result_len);
        (void)ntdrv_call_driver_reply(&ex.srv, op->reply, NG_OK, &rep, shm, size);
    } else if (op->has_reply) {
        ntdrv_call_driver_rep_t rep;
        memset(&rep, 0, sizeof rep);
        (void)ntdrv_call_driver_reply(&ex.srv, op->reply, NG_EAGAIN, &rep, NULL, 0);
    }
    io_op_free(op);
}

static int d_call_driver(void *ctx, ng_call_t *call, const ntdrv_call_driver_req_t *req, ntdrv_call_driver_rep_t *rep)
{
    (void)ctx;
    driver_t *d = caller_driver(call, &rep->status);
    if (!d) return NG_OK;
    device_t *target = io_device(req->irp.device);
    if (!target || !target->driver) return rep->status = STATUS_DEVICE_DOES_NOT_EXIST, NG_OK;
    if (target->driver == d) return rep->status = STATUS_INVALID_DEVICE_REQUEST, NG_OK; /* it would wait for itself */
    if (req->data.len > IO_MAX_DATA) return rep->status = STATUS_INVALID_PARAMETER, NG_OK;
    op_t *op = io_op_new(OP_CALL_DRIVER, call->badge);
    uint8_t *in = req->data.len ? malloc(req->data.len) : NULL;
    irp_t *irp = op ? io_irp_new(op, target, req->irp.major, call_driver_done) : NULL;
    if (!irp || (req->data.len && !in)) {
        free(in);
        if (irp) irp_free(irp);
        io_op_free(op);
        return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    }
    uint64_t id = irp->id;
    irp->s = req->irp;
    irp->s.id = id;
    irp->s.device = target->id;
    irp->s.name[sizeof irp->s.name - 1] = 0;
    if (in) memcpy(in, req->data.ptr, req->data.len);
    if (!io_op_save(op, call)) {
        free(in);
        irp_free(irp);
        io_op_free(op);
        return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    }
    op->from_driver = d;
    op->from_generation = d->generation;
    op->run = call_driver_run;
    io_irp_send(irp, in, (uint32_t)req->data.len);
    io_drain();
    return NG_DEFERRED;
}

const ntdrv_ops_t io_ntdrv_ops = {
    .driver_entry = d_driver_entry,
    .create_device = d_create_device,
    .delete_device = d_delete_device,
    .get_device = d_get_device,
    .attach_device = d_attach_device,
    .register_file_system = d_register_file_system,
    .create_symbolic_link = d_create_symbolic_link,
    .delete_symbolic_link = d_delete_symbolic_link,
    .next_irp = d_next_irp,
    .call_driver = d_call_driver,
};
