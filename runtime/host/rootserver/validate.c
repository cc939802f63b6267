/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checks the generated tables before anything is created, as the seL4 root server does: the
 * version, object indices in range and of the right type, slots inside each CNode, no slot used
 * twice. neptune-gen's layout guarantees this; the check keeps a stale system_gen.c from turning
 * into a half-built system.
 */
#include <stdio.h>

#include "root.h"

#define HR_RESERVED_SLOTS 8u
#define HR_MAX_CNODE_BITS 20u

static int bad(const char *server, const char *what, uint64_t value)
{
    printf(HR_PREFIX "tables: %s: %s (%llu)\n", server, what, (unsigned long long)value);
    return 1;
}

static int validate_server(const rs_system_t *sys, const rs_server_t *s)
{
    int errors = 0;
    if (s->cnode_bits == 0 || s->cnode_bits > HR_MAX_CNODE_BITS) {
        return bad(s->name, "CNode size out of range", s->cnode_bits);
    }
    uint32_t nslots = 1u << s->cnode_bits;
    for (uint32_t i = 0; i < s->ncaps; i++) {
        const rs_cap_t *c = &s->caps[i];
        if (c->slot >= nslots) {
            errors += bad(s->name, "slot outside its CNode", c->slot);
            continue;
        }
        if (c->kind != RS_SLOT_RESERVED && c->slot < HR_RESERVED_SLOTS) {
            errors += bad(s->name, "cap in a reserved slot", c->slot);
        }
        for (uint32_t j = 0; j < i; j++) {
            if (s->caps[j].slot == c->slot) {
                errors += bad(s->name, "slot used twice", c->slot);
            }
        }
        if (c->object == RS_NO_OBJECT) {
            continue;
        }
        if (c->object >= sys->nobjects) {
            errors += bad(s->name, "cap names a missing object", c->object);
            continue;
        }
        rs_object_type_t t = sys->objects[c->object].type;
        if (t == RS_OBJ_FRAMES || t == RS_OBJ_FRAMES_AT) {
            errors += bad(s->name, "frames are mapped, not installed as caps", c->slot);
        }
    }
    for (uint32_t i = 0; i < s->nmaps; i++) {
        const rs_mapping_t *m = &s->maps[i];
        if (m->object >= sys->nobjects) {
            errors += bad(s->name, "mapping names a missing object", m->object);
            continue;
        }
        rs_object_type_t t = sys->objects[m->object].type;
        if (t != RS_OBJ_FRAMES && t != RS_OBJ_FRAMES_AT) {
            errors += bad(s->name, "mapping of an object that is not frames", m->object);
        }
        if (m->vaddr & 0xfffu) {
            errors += bad(s->name, "mapping not page aligned", m->vaddr);
        }
    }
    return errors;
}

int hr_tables_validate(const rs_system_t *sys)
{
    if (sys->version != RS_TABLES_VERSION) {
        return bad(sys->name ? sys->name : "?", "tables of another version", sys->version);
    }
    int errors = 0;
    if (sys->fault_ep != RS_NO_OBJECT && sys->fault_ep >= sys->nobjects) {
        errors += bad(sys->name, "fault endpoint names a missing object", sys->fault_ep);
    }
    for (uint32_t i = 0; i < sys->nobjects; i++) {
        const rs_object_t *o = &sys->objects[i];
        if ((o->type == RS_OBJ_FRAMES || o->type == RS_OBJ_FRAMES_AT) &&
            (o->size_bits < 12 || o->size_bits > 30 || o->pages == 0)) {
            errors += bad(o->id, "frames of a bad size", o->size_bits);
        }
    }
    for (uint32_t i = 0; i < sys->nservers; i++) {
        errors += validate_server(sys, &sys->servers[i]);
    }
    return errors;
}
