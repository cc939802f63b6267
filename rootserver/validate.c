/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checks the generated tables before anything is created: object indices in range and of the
 * right type, slots inside each CNode and clear of the reserved ones, no slot used twice,
 * mappings page aligned. neptune-gen's layout already guarantees all of this; the check keeps a
 * stale or hand-edited system_gen.c from turning into a half-built system.
 */
#include <stdio.h>

#include <sel4/sel4.h>

#include "env.h"

#define RS_RESERVED_SLOTS 8u
#define RS_MAX_CNODE_BITS 16u

static int rs_bad(const char *server, const char *what, uint64_t value)
{
    printf("neptune rootserver: tables: %s: %s (%llu)\n", server, what, (unsigned long long)value);
    return 1;
}

const rs_cap_t *rs_own_ntfn(const rs_server_t *s)
{
    for (uint32_t i = 0; i < s->ncaps; i++) {
        if (s->caps[i].kind == RS_SLOT_NTFN && s->caps[i].object != RS_NO_OBJECT) {
            return &s->caps[i];
        }
    }
    return NULL;
}

static int rs_validate_caps(const rs_system_t *sys, const rs_server_t *s)
{
    int errors = 0;
    uint32_t nslots = 1u << s->cnode_bits;
    for (uint32_t i = 0; i < s->ncaps; i++) {
        const rs_cap_t *c = &s->caps[i];
        if (c->slot >= nslots) {
            errors += rs_bad(s->name, "slot outside its CNode", c->slot);
            continue;
        }
        if (c->kind == RS_SLOT_RESERVED) {
            if (c->slot >= RS_RESERVED_SLOTS) {
                errors += rs_bad(s->name, "reserved slot above 7", c->slot);
            }
            continue;
        }
        if (c->slot < RS_RESERVED_SLOTS) {
            errors += rs_bad(s->name, "cap in a reserved slot", c->slot);
        }
        for (uint32_t j = 0; j < i; j++) {
            if (s->caps[j].slot == c->slot) {
                errors += rs_bad(s->name, "slot used twice", c->slot);
            }
        }
        if (c->object == RS_NO_OBJECT) {
            continue;
        }
        if (c->object >= sys->nobjects) {
            errors += rs_bad(s->name, "cap names a missing object", c->object);
            continue;
        }
        rs_object_type_t t = sys->objects[c->object].type;
        if (t == RS_OBJ_FRAMES || t == RS_OBJ_FRAMES_AT) {
            errors += rs_bad(s->name, "frames are mapped, not installed as caps", c->slot);
        }
        if (c->badge != 0 && t != RS_OBJ_ENDPOINT && t != RS_OBJ_NOTIFICATION && t != RS_OBJ_IRQ_HANDLER) {
            errors += rs_bad(s->name, "badge on an object that takes none", c->slot);
        }
        if (t == RS_OBJ_IRQ_HANDLER && c->badge != 0 && rs_own_ntfn(s) == NULL) {
            errors += rs_bad(s->name, "IRQ badge but no own notification to deliver it", c->slot);
        }
    }
    return errors;
}

static int rs_validate_maps(const rs_system_t *sys, const rs_server_t *s)
{
    int errors = 0;
    for (uint32_t i = 0; i < s->nmaps; i++) {
        const rs_mapping_t *m = &s->maps[i];
        if (m->object >= sys->nobjects) {
            errors += rs_bad(s->name, "mapping names a missing object", m->object);
            continue;
        }
        const rs_object_t *o = &sys->objects[m->object];
        if (o->type != RS_OBJ_FRAMES && o->type != RS_OBJ_FRAMES_AT) {
            errors += rs_bad(s->name, "mapping of an object that is not frames", m->object);
            continue;
        }
        if (m->vaddr & ((1ull << o->size_bits) - 1)) {
            errors += rs_bad(s->name, "mapping vaddr not page aligned", m->vaddr);
        }
    }
    return errors;
}

int rs_tables_validate(const rs_system_t *sys)
{
    int errors = 0;
    if (sys->version != RS_TABLES_VERSION) {
        return rs_bad(sys->name, "tables version differs from the root server's", sys->version);
    }
    for (uint32_t i = 0; i < sys->nobjects; i++) {
        const rs_object_t *o = &sys->objects[i];
        if ((o->type == RS_OBJ_FRAMES || o->type == RS_OBJ_FRAMES_AT) &&
            (o->pages == 0 || (o->size_bits != seL4_PageBits && o->size_bits != seL4_LargePageBits))) {
            errors += rs_bad(o->id, "frames need pages > 0 of 4K or 2M", o->size_bits);
        }
    }
    if (sys->fault_ep != RS_NO_OBJECT &&
        (sys->fault_ep >= sys->nobjects || sys->objects[sys->fault_ep].type != RS_OBJ_ENDPOINT)) {
        errors += rs_bad(sys->name, "fault endpoint is not an endpoint object", sys->fault_ep);
    }
    for (uint32_t i = 0; i < sys->nservers; i++) {
        const rs_server_t *s = &sys->servers[i];
        if (s->fault_badge == 0) {
            errors += rs_bad(s->name, "fault badge 0 (unbadged faults name nobody)", 0);
        }
        for (uint32_t j = 0; j < i; j++) {
            if (sys->servers[j].fault_badge == s->fault_badge) {
                errors += rs_bad(s->name, "fault badge used twice", s->fault_badge);
            }
        }
        if (s->cnode_bits < 4 || s->cnode_bits > RS_MAX_CNODE_BITS) {
            errors += rs_bad(s->name, "cnode_bits out of range", s->cnode_bits);
            continue;
        }
        if (s->priority > seL4_MaxPrio - 1) {
            errors += rs_bad(s->name, "priority above the root server's", s->priority);
        }
        errors += rs_validate_caps(sys, s);
        errors += rs_validate_maps(sys, s);
    }
    return errors;
}
