/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host kernel objects and CSpaces: creation, minting, lookup, and the blocked-thread queues.
 * Everything created is kept on a global list, so it stays reachable for the life of the process.
 */
#include "kernel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pthread_mutex_t ng_host_lock = PTHREAD_MUTEX_INITIALIZER;
ng_host_object_t *ng_host_all_objects;
ng_host_thread_t *ng_host_all_threads;
static ng_host_cspace_t *all_cspaces;

ng_host_object_t *ng_host_object_new(ng_host_obj_type_t type)
{
    if (type != NG_HOST_OBJ_ENDPOINT && type != NG_HOST_OBJ_NOTIFICATION &&
        type != NG_HOST_OBJ_IRQ_HANDLER) {
        return NULL;
    }
    ng_host_object_t *o = calloc(1, sizeof *o);
    if (!o) {
        return NULL;
    }
    o->type = type;
    pthread_mutex_lock(&ng_host_lock);
    o->all_next = ng_host_all_objects;
    ng_host_all_objects = o;
    pthread_mutex_unlock(&ng_host_lock);
    return o;
}

ng_host_cspace_t *ng_host_cspace_new(unsigned bits)
{
    if (bits == 0 || bits > 20) {
        return NULL;
    }
    size_t n = (size_t)1 << bits;
    ng_host_cspace_t *cs = calloc(1, sizeof *cs + n * sizeof cs->slots[0]);
    if (!cs) {
        return NULL;
    }
    cs->nslots = (unsigned)n;
    pthread_mutex_lock(&ng_host_lock);
    cs->all_next = all_cspaces;
    all_cspaces = cs;
    pthread_mutex_unlock(&ng_host_lock);
    return cs;
}

void ng_host_cspace_free(ng_host_cspace_t *cs)
{
    if (!cs) {
        return;
    }
    pthread_mutex_lock(&ng_host_lock);
    for (ng_host_cspace_t **pp = &all_cspaces; *pp; pp = &(*pp)->all_next) {
        if (*pp == cs) {
            *pp = cs->all_next;
            break;
        }
    }
    for (ng_host_thread_t *t = ng_host_all_threads; t; t = t->all_next) {
        if (t->cspace == cs) {
            t->cspace = NULL;
        }
    }
    pthread_mutex_unlock(&ng_host_lock);
    free(cs);
}

int ng_host_cap_mint(ng_host_cspace_t *cs, ng_cptr_t slot, ng_host_object_t *obj, ng_badge_t badge,
                     unsigned rights)
{
    int err = NG_EBADMSG;
    if (!cs || !obj || obj->type == NG_HOST_OBJ_REPLY || slot == 0 || slot >= cs->nslots) {
        return err;
    }
    pthread_mutex_lock(&ng_host_lock);
    ng_host_slot_t *s = &cs->slots[slot];
    if (!s->obj) {
        s->obj = obj;
        s->badge = badge;
        s->rights = rights & NG_HOST_RIGHTS_ALL;
        err = NG_OK;
    }
    pthread_mutex_unlock(&ng_host_lock);
    return err;
}

void ng_host_cap_delete(ng_host_cspace_t *cs, ng_cptr_t slot)
{
    if (!cs || slot == 0 || slot >= cs->nslots) {
        return;
    }
    pthread_mutex_lock(&ng_host_lock);
    memset(&cs->slots[slot], 0, sizeof cs->slots[slot]);
    pthread_mutex_unlock(&ng_host_lock);
}

int ng_host_cap_query(ng_host_cspace_t *cs, ng_cptr_t slot, ng_host_object_t **obj,
                      ng_badge_t *badge, unsigned *rights)
{
    int full = 0;
    if (!cs || slot >= cs->nslots) {
        return 0;
    }
    pthread_mutex_lock(&ng_host_lock);
    ng_host_slot_t s = cs->slots[slot];
    pthread_mutex_unlock(&ng_host_lock);
    if (s.obj) {
        full = 1;
        if (obj) {
            *obj = s.obj;
        }
        if (badge) {
            *badge = s.badge;
        }
        if (rights) {
            *rights = s.rights;
        }
    }
    return full;
}

ng_host_slot_t *ng_host_lookup(ng_host_thread_t *t, ng_cptr_t cptr)
{
    if (cptr == 0 || !t->cspace || cptr >= t->cspace->nslots) {
        return NULL;
    }
    return &t->cspace->slots[cptr];
}

void ng_host_queue_push(ng_host_queue_t *q, ng_host_thread_t *t)
{
    t->q_next = NULL;
    if (q->tail) {
        q->tail->q_next = t;
    } else {
        q->head = t;
    }
    q->tail = t;
}

void ng_host_queue_remove(ng_host_queue_t *q, ng_host_thread_t *t)
{
    ng_host_thread_t **pp = &q->head, *prev = NULL;
    while (*pp && *pp != t) {
        prev = *pp;
        pp = &(*pp)->q_next;
    }
    if (*pp) {
        *pp = t->q_next;
        if (q->tail == t) {
            q->tail = prev;
        }
        t->q_next = NULL;
    }
}

int ng_host_ntfn_bind(ng_host_object_t *ntfn, ng_host_thread_t *t)
{
    int err = NG_EBADMSG;
    if (!ntfn || !t || ntfn->type != NG_HOST_OBJ_NOTIFICATION) {
        return err;
    }
    pthread_mutex_lock(&ng_host_lock);
    if (!ntfn->bound && !t->bound_ntfn) {
        ntfn->bound = t;
        t->bound_ntfn = ntfn;
        err = NG_OK;
    }
    pthread_mutex_unlock(&ng_host_lock);
    return err;
}

ng_host_thread_t *ng_host_queue_pop(ng_host_queue_t *q)
{
    ng_host_thread_t *t = q->head;
    if (t) {
        q->head = t->q_next;
        if (!q->head) {
            q->tail = NULL;
        }
        t->q_next = NULL;
    }
    return t;
}
