/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The object manager's ntexec methods: directory objects (open, list with type names),
 * symbolic links (create, open, query), NtDuplicateObject, NtClose of objects other than
 * files (file.c closes those), NtDisplayString and the executive's statistics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "obapi.h"

#define OBJ_PERMANENT 0x10u

static NTSTATUS attrs_name(const ntexec_object_attributes_t *a, char *name)
{
    size_t n = strnlen(a->object_name, sizeof a->object_name);
    if (n > OB_NAME_MAX) return STATUS_OBJECT_NAME_INVALID;
    memcpy(name, a->object_name, n);
    name[n] = 0;
    return STATUS_SUCCESS;
}

/* Parses attrs (root_directory must be a directory object) to an object of `type`. */
static NTSTATUS open_named(ht_table_t *t, const ntexec_object_attributes_t *a, ob_type_t type, int flags, ob_t **out)
{
    char name[OB_NAME_MAX + 1];
    NTSTATUS s = attrs_name(a, name);
    if (!NT_SUCCESS(s)) return s;
    ob_t *dir = NULL;
    if (a->root_directory) {
        s = ht_lookup(t, a->root_directory, OB_DIRECTORY, 0, &dir, NULL);
        if (!NT_SUCCESS(s)) return s;
    }
    ob_parse_t p;
    s = ob_parse(dir, name, flags, &p);
    if (!NT_SUCCESS(s)) return s;
    if (p.obj->type != type || p.rest[0]) {
        ob_deref(p.obj);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    *out = p.obj;
    return STATUS_SUCCESS;
}

static int o_open_directory_object(void *ctx, ng_call_t *call, const ntexec_open_directory_object_req_t *req, ntexec_open_directory_object_rep_t *rep)
{
    (void)ctx;
    ht_table_t *t = ht_table(call->badge, 1);
    if (!t) return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    ob_t *o;
    NTSTATUS s = open_named(t, &req->attrs, OB_DIRECTORY, 0, &o);
    if (NT_SUCCESS(s)) {
        s = ht_insert(t, o, ht_map_generic(OB_DIRECTORY, req->desired_access), &rep->dir);
        ob_deref(o);
    }
    rep->status = s;
    return NG_OK;
}

static int o_query_directory_object(void *ctx, ng_call_t *call, const ntexec_query_directory_object_req_t *req, ntexec_query_directory_object_rep_t *rep)
{
    (void)ctx;
    ob_t *dir;
    NTSTATUS s = ht_lookup(ht_table(call->badge, 0), req->dir, OB_DIRECTORY, NTEXEC_DIRECTORY_QUERY, &dir, NULL);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    uint32_t index = req->restart_scan ? 0 : req->context;
    ob_t *e = ob_dir_entry(dir, index);
    if (!e) return rep->status = STATUS_NO_MORE_ENTRIES, NG_OK;
    rep->name = ng_str(e->name);
    rep->type_name = ng_str(ob_type_name(e->type));
    rep->next_context = index + 1;
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

static int o_create_symbolic_link_object(void *ctx, ng_call_t *call, const ntexec_create_symbolic_link_object_req_t *req, ntexec_create_symbolic_link_object_rep_t *rep)
{
    (void)ctx;
    ht_table_t *t = ht_table(call->badge, 1);
    if (!t) return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    char name[OB_NAME_MAX + 1];
    NTSTATUS s = attrs_name(&req->attrs, name);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    if (req->target.len == 0 || req->target.len > OB_NAME_MAX || req->target.ptr[0] != '\\' || memchr(req->target.ptr, 0, req->target.len))
        return rep->status = STATUS_OBJECT_NAME_INVALID, NG_OK;
    ob_t *dir = NULL;
    if (req->attrs.root_directory) {
        s = ht_lookup(t, req->attrs.root_directory, OB_DIRECTORY, 0, &dir, NULL);
        if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    }
    ob_t *o;
    s = ob_create(dir, name, OB_SYMLINK, 0, &o);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    o->target = malloc(req->target.len + 1);
    if (!o->target) {
        ob_deref(o);
        return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    }
    memcpy(o->target, req->target.ptr, req->target.len);
    o->target[req->target.len] = 0;
    /* Named links live while referenced, unless made permanent (OBJ_PERMANENT). */
    o->permanent = (req->attrs.attributes & OBJ_PERMANENT) != 0;
    s = ht_insert(t, o, ht_map_generic(OB_SYMLINK, req->desired_access), &rep->link);
    ob_deref(o);
    rep->status = s;
    return NG_OK;
}

static int o_open_symbolic_link_object(void *ctx, ng_call_t *call, const ntexec_open_symbolic_link_object_req_t *req, ntexec_open_symbolic_link_object_rep_t *rep)
{
    (void)ctx;
    ht_table_t *t = ht_table(call->badge, 1);
    if (!t) return rep->status = STATUS_INSUFFICIENT_RESOURCES, NG_OK;
    ob_t *o;
    NTSTATUS s = open_named(t, &req->attrs, OB_SYMLINK, OB_PARSE_OPEN_LINK, &o);
    if (NT_SUCCESS(s)) {
        s = ht_insert(t, o, ht_map_generic(OB_SYMLINK, req->desired_access), &rep->link);
        ob_deref(o);
    }
    rep->status = s;
    return NG_OK;
}

static int o_query_symbolic_link_object(void *ctx, ng_call_t *call, const ntexec_query_symbolic_link_object_req_t *req, ntexec_query_symbolic_link_object_rep_t *rep)
{
    (void)ctx;
    ob_t *o;
    NTSTATUS s = ht_lookup(ht_table(call->badge, 0), req->link, OB_SYMLINK, NTEXEC_SYMBOLIC_LINK_QUERY, &o, NULL);
    if (NT_SUCCESS(s)) rep->target = ng_str(o->target ? o->target : "");
    rep->status = s;
    return NG_OK;
}

static int o_duplicate_object(void *ctx, ng_call_t *call, const ntexec_duplicate_object_req_t *req, ntexec_duplicate_object_rep_t *rep)
{
    (void)ctx;
    ht_table_t *t = ht_table(call->badge, 0);
    ob_t *o;
    uint32_t granted = 0;
    NTSTATUS s = ht_lookup(t, req->source, 0, 0, &o, &granted);
    if (!NT_SUCCESS(s)) return rep->status = s, NG_OK;
    uint32_t access = granted;
    if (!(req->options & NTEXEC_DUPLICATE_SAME_ACCESS)) {
        access = ht_map_generic(o->type, req->desired_access);
        /* A copy never grants more than its source. */
        if ((access & granted) != access) return rep->status = STATUS_ACCESS_DENIED, NG_OK;
    }
    s = ht_insert(t, o, access, &rep->target);
    if (NT_SUCCESS(s) && (req->options & NTEXEC_DUPLICATE_CLOSE_SOURCE)) {
        ob_t *src;
        if (NT_SUCCESS(ht_remove(t, req->source, &src))) ob_deref(src);
    }
    rep->status = s;
    return NG_OK;
}

static int o_display_string(void *ctx, ng_call_t *call, const ntexec_display_string_req_t *req, ntexec_display_string_rep_t *rep)
{
    (void)ctx;
    (void)call;
    /* Copied first: printing is IPC, which reuses the buffer the text may lie in. */
    char text[NTEXEC_MAX_CONTROL + 1];
    size_t n = req->text.len < NTEXEC_MAX_CONTROL ? req->text.len : NTEXEC_MAX_CONTROL;
    memcpy(text, req->text.ptr, n);
    text[n] = 0;
    printf("%s", text);
    fflush(stdout);
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

static int o_query_statistics(void *ctx, ng_call_t *call, ntexec_query_statistics_rep_t *rep)
{
    (void)ctx;
    ht_table_t *t = ht_table(call->badge, 0);
    rep->irps = ex.irps;
    rep->cache_hits = cc_stats.hits;
    rep->cache_misses = cc_stats.misses;
    rep->handles = t ? t->count : 0;
    rep->status = STATUS_SUCCESS;
    return NG_OK;
}

void obapi_ntexec_ops(ntexec_ops_t *ops)
{
    ops->open_directory_object = o_open_directory_object;
    ops->query_directory_object = o_query_directory_object;
    ops->create_symbolic_link_object = o_create_symbolic_link_object;
    ops->open_symbolic_link_object = o_open_symbolic_link_object;
    ops->query_symbolic_link_object = o_query_symbolic_link_object;
    ops->duplicate_object = o_duplicate_object;
    ops->display_string = o_display_string;
    ops->query_statistics = o_query_statistics;
}
