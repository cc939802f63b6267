/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Object manager: the namespace (directories, symbolic links), reference counts and name
 * parsing. A name is walked one component at a time from the root or a directory; a symbolic
 * link is replaced by its target followed by the rest of the name and parsing starts over at
 * the root (at most OB_MAX_LINK_DEPTH times); a device ends the walk and keeps the rest of the
 * name for its driver (IRP_MJ_CREATE).
 */
#include <stdlib.h>
#include <string.h>

#include "ob.h"

static ob_t *root;
static uint32_t live;

static const char *const type_names[OB_TYPES] = {
    [OB_DIRECTORY] = "Directory", [OB_SYMLINK] = "SymbolicLink", [OB_DEVICE] = "Device",
    [OB_DRIVER] = "Driver", [OB_FILE] = "File", [OB_EVENT] = "Event", [OB_PROCESS] = "Process",
};

const char *ob_type_name(ob_type_t type)
{
    return type > 0 && type < OB_TYPES ? type_names[type] : "Unknown";
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

int ob_name_eq(const char *a, const char *b)
{
    while (*a && *b && lower(*a) == lower(*b)) a++, b++;
    return *a == 0 && *b == 0;
}

/* Compares a component (n bytes at c) with a NUL-terminated name. */
static int component_eq(const char *c, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (name[i] == 0 || lower(name[i]) != lower(c[i])) return 0;
    return name[n] == 0;
}

static ob_t *find_child(const ob_t *dir, const char *c, size_t n)
{
    for (ob_t *o = dir->children; o; o = o->next)
        if (component_eq(c, n, o->name)) return o;
    return NULL;
}

static void unlink_from_parent(ob_t *o)
{
    if (!o->parent) return;
    for (ob_t **pp = &o->parent->children; *pp; pp = &(*pp)->next) {
        if (*pp == o) {
            *pp = o->next;
            break;
        }
    }
    o->parent = NULL;
    o->next = NULL;
}

static void free_object(ob_t *o)
{
    if (o->destroy) o->destroy(o);
    /* A directory going away leaves its entries unnamed: they live on while referenced. */
    while (o->children) {
        ob_t *c = o->children;
        o->children = c->next;
        c->parent = NULL;
        c->next = NULL;
        if (c->refs == 0) free_object(c);
    }
    free(o->target);
    free(o);
    live--;
}

void ob_ref(ob_t *o)
{
    if (o) o->refs++;
}

void ob_deref(ob_t *o)
{
    if (!o) return;
    if (o->refs > 0) o->refs--;
    if (o->refs > 0 || (o->permanent && o->parent)) return;
    unlink_from_parent(o);
    free_object(o);
}

void ob_make_temporary(ob_t *o)
{
    if (!o) return;
    o->permanent = 0;
    if (o->refs == 0) {
        unlink_from_parent(o);
        free_object(o);
    }
}

void ob_remove_name(ob_t *o)
{
    if (!o) return;
    o->permanent = 0;
    unlink_from_parent(o);
    if (o->refs == 0) free_object(o);
}

uint32_t ob_count(void) { return live; }
ob_t *ob_root(void) { return root; }

static ob_t *new_object(ob_type_t type)
{
    if (live >= OB_MAX_OBJECTS) return NULL;
    ob_t *o = calloc(1, sizeof *o);
    if (!o) return NULL;
    o->type = type;
    o->refs = 1;
    live++;
    return o;
}

/* Splits `name` into the directory that must hold its last component (parsed, or made with
 * make_dirs) and that component. */
static NTSTATUS parent_of(ob_t *dir, const char *name, int make_dirs, ob_t **parent, const char **last)
{
    const char *p = name;
    ob_t *cur = dir;
    if (!cur) {
        if (name[0] != '\\') return STATUS_OBJECT_PATH_SYNTAX_BAD;
        cur = root;
        p++;
    } else if (name[0] == '\\') {
        return STATUS_OBJECT_PATH_SYNTAX_BAD;
    }
    for (;;) {
        const char *q = strchr(p, '\\');
        if (!q) break;
        size_t n = (size_t)(q - p);
        if (n == 0) return STATUS_OBJECT_NAME_INVALID;
        if (cur->type != OB_DIRECTORY) return STATUS_OBJECT_PATH_NOT_FOUND;
        ob_t *next = find_child(cur, p, n);
        if (!next) {
            if (!make_dirs) return STATUS_OBJECT_PATH_NOT_FOUND;
            if (n > OB_NAME_MAX) return STATUS_NAME_TOO_LONG;
            next = new_object(OB_DIRECTORY);
            if (!next) return STATUS_INSUFFICIENT_RESOURCES;
            memcpy(next->name, p, n);
            next->name[n] = 0;
            next->permanent = 1;
            next->refs = 0;
            next->parent = cur;
            ob_t **pp = &cur->children;
            while (*pp) pp = &(*pp)->next;
            *pp = next;
        }
        if (next->type == OB_SYMLINK) return STATUS_OBJECT_PATH_NOT_FOUND; /* not followed when creating */
        cur = next;
        p = q + 1;
    }
    if (cur->type != OB_DIRECTORY) return STATUS_OBJECT_PATH_NOT_FOUND;
    if (*p == 0) return STATUS_OBJECT_NAME_INVALID;
    *parent = cur;
    *last = p;
    return STATUS_SUCCESS;
}

NTSTATUS ob_create(ob_t *dir, const char *name, ob_type_t type, int make_dirs, ob_t **out)
{
    *out = NULL;
    if (type <= 0 || type >= OB_TYPES) return STATUS_INVALID_PARAMETER;
    if (dir && dir->type != OB_DIRECTORY) return STATUS_OBJECT_TYPE_MISMATCH;
    if (name && strlen(name) > OB_NAME_MAX) return STATUS_NAME_TOO_LONG;
    ob_t *parent = NULL;
    const char *last = NULL;
    if (name && name[0]) {
        NTSTATUS s = parent_of(dir, name, make_dirs, &parent, &last);
        if (!NT_SUCCESS(s)) return s;
        if (find_child(parent, last, strlen(last))) return STATUS_OBJECT_NAME_COLLISION;
    }
    ob_t *o = new_object(type);
    if (!o) return STATUS_INSUFFICIENT_RESOURCES;
    if (parent) {
        strcpy(o->name, last);
        o->parent = parent;
        ob_t **pp = &parent->children;
        while (*pp) pp = &(*pp)->next;
        *pp = o;
    }
    *out = o;
    return STATUS_SUCCESS;
}

NTSTATUS ob_parse(ob_t *dir, const char *name, int flags, ob_parse_t *out)
{
    char cur_name[OB_NAME_MAX + 1];
    out->obj = NULL;
    out->rest[0] = 0;
    if (!name || strlen(name) > OB_NAME_MAX) return STATUS_OBJECT_NAME_INVALID;
    strcpy(cur_name, name);
    ob_t *cur = dir;
    const char *p = cur_name;
    if (!cur) {
        if (cur_name[0] != '\\') return STATUS_OBJECT_PATH_SYNTAX_BAD;
        cur = root;
        p++;
    } else if (cur_name[0] == '\\') {
        return STATUS_OBJECT_PATH_SYNTAX_BAD;
    }
    unsigned depth = 0;
    for (;;) {
        if (cur->type == OB_DEVICE) {
            /* The rest belongs to the device: "" or "\dir\file". */
            if (*p) {
                if (strlen(p) + 1 > OB_NAME_MAX) return STATUS_NAME_TOO_LONG;
                out->rest[0] = '\\';
                strcpy(out->rest + 1, p);
            }
            break;
        }
        if (*p == 0) break;
        if (cur->type != OB_DIRECTORY) return STATUS_OBJECT_PATH_NOT_FOUND;
        const char *q = strchr(p, '\\');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (n == 0) return STATUS_OBJECT_NAME_INVALID;
        ob_t *next = find_child(cur, p, n);
        int last = q == NULL || q[1] == 0;
        if (!next) return last ? STATUS_OBJECT_NAME_NOT_FOUND : STATUS_OBJECT_PATH_NOT_FOUND;
        p = q ? q + 1 : p + n;
        if (next->type == OB_SYMLINK && !(last && (flags & OB_PARSE_OPEN_LINK))) {
            if (++depth > OB_MAX_LINK_DEPTH) return STATUS_OBJECT_PATH_INVALID;
            const char *t = next->target ? next->target : "";
            if (t[0] != '\\') return STATUS_OBJECT_PATH_INVALID;
            char sub[OB_NAME_MAX + 1];
            size_t tl = strlen(t), rl = q ? strlen(q) : 0;
            if (tl + rl > OB_NAME_MAX) return STATUS_NAME_TOO_LONG;
            memcpy(sub, t, tl);
            if (q) memcpy(sub + tl, q, rl);
            sub[tl + rl] = 0;
            strcpy(cur_name, sub);
            cur = root;
            p = cur_name + 1;
            continue;
        }
        cur = next;
        /* A device reached through its name: what follows it is its own ("\rest"). */
        if (cur->type == OB_DEVICE && q) {
            p = q;
            if (strlen(p) > OB_NAME_MAX) return STATUS_NAME_TOO_LONG;
            strcpy(out->rest, p[1] ? p : "\\");
            break;
        }
    }
    ob_ref(cur);
    out->obj = cur;
    return STATUS_SUCCESS;
}

ob_t *ob_dir_entry(const ob_t *dir, uint32_t index)
{
    if (!dir || dir->type != OB_DIRECTORY) return NULL;
    ob_t *o = dir->children;
    while (o && index--) o = o->next;
    return o;
}

int ob_full_name(const ob_t *o, char *buf, size_t size)
{
    if (!o || size == 0) return -1;
    if (o == root) {
        if (size < 2) return -1;
        strcpy(buf, "\\");
        return 1;
    }
    if (!o->parent) {
        buf[0] = 0;
        return 0;
    }
    int n = o->parent == root ? 0 : ob_full_name(o->parent, buf, size);
    if (n < 0) return -1;
    size_t l = strlen(o->name);
    if ((size_t)n + 1 + l + 1 > size) return -1;
    buf[n] = '\\';
    memcpy(buf + n + 1, o->name, l + 1);
    return n + 1 + (int)l;
}

static NTSTATUS make_permanent(const char *name, ob_type_t type, const char *target)
{
    ob_t *o;
    NTSTATUS s = ob_create(NULL, name, type, 0, &o);
    if (!NT_SUCCESS(s)) return s;
    if (target) {
        o->target = malloc(strlen(target) + 1);
        if (!o->target) return STATUS_INSUFFICIENT_RESOURCES;
        strcpy(o->target, target);
    }
    o->permanent = 1;
    o->refs = 0;
    return STATUS_SUCCESS;
}

NTSTATUS ob_init(void)
{
    if (root) {
        root->permanent = 0;
        free_object(root);
        root = NULL;
    }
    root = new_object(OB_DIRECTORY);
    if (!root) return STATUS_INSUFFICIENT_RESOURCES;
    root->permanent = 1;
    static const char *const dirs[] = { "\\Device", "\\Driver", "\\FileSystem", "\\??" };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        NTSTATUS s = make_permanent(dirs[i], OB_DIRECTORY, NULL);
        if (!NT_SUCCESS(s)) return s;
    }
    NTSTATUS s = make_permanent("\\DosDevices", OB_SYMLINK, "\\??");
    if (NT_SUCCESS(s)) s = make_permanent("\\GLOBAL??", OB_SYMLINK, "\\??");
    return s;
}
