/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ntexec: the NT executive (personality-nt/README.md). It serves idl/ntexec.idl to NT programs
 * and idl/ntdrv.idl to driver processes from one receive loop, never calling a driver: IRPs
 * wait in queues until their driver's next_irp takes them, and the clients that started them
 * wait as saved replies. The object manager is ob.c (obapi.c its methods), handles handle.c,
 * the I/O manager io.c (drivers, devices, IRPs) and file.c (files, mounting, the cache's I/O),
 * the cache manager cc.c, processes, events and waits ps.c.
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"
#include "io.h"
#include "obapi.h"
#include "ps.h"

#define NTFN_SLOT NTEXEC_SLOT_FREE_FIRST
#define CHILD_CAP_SLOT (NTEXEC_SLOT_FREE_FIRST + 1)
_Static_assert(CHILD_CAP_SLOT + PS_MAX_PROCESSES <= NTEXEC_SLOT_FREE_END, "ntexec: the slots for children's caps do not fit");

void ex_shm_of(uint64_t badge, uint8_t **shm, size_t *size)
{
    ng_msg_t m;
    memset(&m, 0, sizeof m);
    /* A process that ended has no buffer any more (the root server destroyed it). */
    if (ps_badge_live(badge)) ntexec_server_shm(&m, badge);
    *shm = m.shm;
    *size = m.shm_size;
}

void ex_conn_drop(uint64_t badge)
{
    unsigned k = (unsigned)(badge & 0xffu);
    if ((badge & ~(uint64_t)0xffffu) == NTEXEC_CONN_BADGE_BASE && k < NTEXEC_CONNECTIONS && ntexec_conns[k].badge == badge)
        ntexec_conn_drop(k);
}

int ex_is_static_badge(uint64_t badge) { return badge != 0 && badge < NTEXEC_DYNAMIC_BADGE_BASE; }

static int badge_live(uint64_t badge) { return ntexec_conn_live(badge, NULL) && ps_badge_live(badge); }

static void on_notify(void *ctx, ng_badge_t bits)
{
    (void)ctx;
    if (bits & 1u) ps_tick();
}

/* ntexec's methods come from file.c, obapi.c and ps.c (filled in at start), ntdrv's from io.c. */
static ntexec_ops_t nt_ops;
static const ntexec_server_ops_t ops = { .ntexec = &nt_ops, .ntdrv = &io_ntdrv_ops, .notify = on_notify };

int main(void)
{
    if (!NT_SUCCESS(ob_init())) {
        printf("ntexec: cannot make the object namespace\n");
        return 1;
    }
    ht_init(badge_live);
    cc_init();
    io_init();
    ps_init(NTFN_SLOT, CHILD_CAP_SLOT);
    file_ntexec_ops(&nt_ops);
    obapi_ntexec_ops(&nt_ops);
    ps_ntexec_ops(&nt_ops);
    printf("ntexec: NT executive up: \\Device \\Driver \\FileSystem \\?? (cache %u views of %u KiB)\n", CC_MAX_VIEWS, CC_VIEW_BYTES / 1024);
    ntexec_server_init(&ex.srv);
    ntexec_serve(&ex.srv, &ops, NULL);
    return 0;
}
