/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checks the generated tables before anything is created, for both root servers: the version,
 * object indices in range and of the right type, slots inside each CNode and clear of the
 * reserved ones, no slot used twice, badges only where they mean something, fault badges unique,
 * mappings aligned to their page size, frame sizes the target has. neptune-gen's layout already
 * guarantees all of this; the check keeps a stale or hand-edited system_gen.c from turning into a
 * half-built system.
 */
#include <stdio.h>

#include <rootserver/common.h>

#define RS_RESERVED_SLOTS 8u

static int rs_bad(const char *who, const char *what, uint64_t value)
{
    printf("%stables: %s: %s (%llu)\n", rs_target.prefix, who ? who : "?", what,
           (unsigned long long)value);
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

bool rs_holds_service_cap(const rs_server_t *s)
{
    for (uint32_t i = 0; i < s->ncaps; i++) {
        if (s->caps[i].kind == RS_SLOT_SPAWN_EP || s->caps[i].kind == RS_SLOT_ROOT_EP) {
            return true;
        }
    }
    return false;
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
        if (rs_object_is_frames(t)) {
            errors += rs_bad(s->name, "frames are mapped, not installed as caps", c->slot);
        }
        if (c->badge != 0 && t != RS_OBJ_ENDPOINT && t != RS_OBJ_NOTIFICATION &&
            t != RS_OBJ_IRQ_HANDLER) {
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
        if (!rs_object_is_frames(o->type)) {
            errors += rs_bad(s->name, "mapping of an object that is not frames", m->object);
            continue;
        }
        if (o->size_bits < 64 && (m->vaddr & ((1ull << o->size_bits) - 1))) {
            errors += rs_bad(s->name, "mapping vaddr not page aligned", m->vaddr);
        }
    }
    return errors;
}

static int rs_validate_server(const rs_system_t *sys, uint32_t index)
{
    const rs_server_t *s = &sys->servers[index];
    int errors = 0;
    if (s->fault_badge == 0) {
        errors += rs_bad(s->name, "fault badge 0 (unbadged faults name nobody)", 0);
    }
    for (uint32_t j = 0; j < index; j++) {
        if (sys->servers[j].fault_badge == s->fault_badge) {
            errors += rs_bad(s->name, "fault badge used twice", s->fault_badge);
        }
    }
    if (s->cnode_bits < 4 || s->cnode_bits > rs_target.max_cnode_bits) {
        return errors + rs_bad(s->name, "cnode_bits out of range", s->cnode_bits);
    }
    if (s->priority > rs_target.max_priority) {
        errors += rs_bad(s->name, "priority above the root server's", s->priority);
    }
    if (s->restart != RS_RESTART_NEVER && s->restart != RS_RESTART_ALWAYS &&
        s->restart != RS_RESTART_ON_FAULT) {
        errors += rs_bad(s->name, "unknown restart policy", (uint64_t)s->restart);
    }
    errors += rs_validate_caps(sys, s);
    errors += rs_validate_maps(sys, s);
    return errors;
}

/* A program: its caps are filled at spawn (empty slots, fresh objects), so none may name a table
 * object, and it may map nothing of the tables. */
static int rs_validate_program(const rs_system_t *sys, const rs_server_t *p)
{
    int errors = 0;
    if (p->cnode_bits < 4 || p->cnode_bits > rs_target.max_cnode_bits) {
        return rs_bad(p->name, "cnode_bits out of range", p->cnode_bits);
    }
    if (p->priority > rs_target.max_priority) {
        errors += rs_bad(p->name, "priority above the root server's", p->priority);
    }
    if (p->nmaps != 0) {
        errors += rs_bad(p->name, "a program maps no table frames", p->nmaps);
    }
    for (uint32_t i = 0; i < p->ncaps; i++) {
        if (p->caps[i].object != RS_NO_OBJECT) {
            errors += rs_bad(p->name, "a program's cap names a table object", p->caps[i].slot);
        }
    }
    return errors + rs_validate_caps(sys, p);
}

int rs_tables_validate(const rs_system_t *sys)
{
    if (sys->version != RS_TABLES_VERSION) {
        return rs_bad(sys->name, "tables version differs from the root server's", sys->version);
    }
    int errors = 0;
    for (uint32_t i = 0; i < sys->nobjects; i++) {
        const rs_object_t *o = &sys->objects[i];
        if (rs_object_is_frames(o->type) &&
            (o->pages == 0 ||
             (o->size_bits != rs_target.page_bits && o->size_bits != rs_target.large_page_bits))) {
            errors += rs_bad(o->id, "frames need pages > 0 of a small or large page", o->size_bits);
        }
        if (o->type == RS_OBJ_DMA_INFO &&
            (o->of >= sys->nobjects || sys->objects[o->of].type != RS_OBJ_DMA || o->pages != 1)) {
            errors += rs_bad(o->id, "DMA info page does not describe a DMA object", o->of);
        }
    }
    if (sys->fault_ep != RS_NO_OBJECT &&
        (sys->fault_ep >= sys->nobjects || sys->objects[sys->fault_ep].type != RS_OBJ_ENDPOINT)) {
        errors += rs_bad(sys->name, "fault endpoint is not an endpoint object", sys->fault_ep);
    }
    for (uint32_t i = 0; i < sys->nservers; i++) {
        errors += rs_validate_server(sys, i);
    }
    for (uint32_t i = 0; i < sys->nprograms; i++) {
        errors += rs_validate_program(sys, &sys->programs[i]);
    }
    return errors;
}
