/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The object manager of the NT executive: typed objects with reference counts, one namespace
 * of directory and symbolic-link objects, and name parsing from the root or a directory with
 * link substitution that stops at a device (the rest of the name is the device's). Pure C
 * (malloc only): the host unit tests link it as it is.
 */
#ifndef NTEXEC_OB_H
#define NTEXEC_OB_H

#include <stddef.h>
#include <stdint.h>

#include <nt/status.h>

#define OB_NAME_MAX 260     /* bytes of a full name (ntexec.MAX_NAME) */
#define OB_MAX_OBJECTS 768  /* objects alive at once, of every type */
#define OB_MAX_LINK_DEPTH 32 /* symbolic-link substitutions while parsing one name */

typedef enum ob_type {
    OB_DIRECTORY = 1,
    OB_SYMLINK,
    OB_DEVICE,
    OB_DRIVER,
    OB_FILE,
    OB_EVENT,
    OB_PROCESS,
    OB_TYPES
} ob_type_t;

typedef struct ob ob_t;

struct ob {
    ob_type_t type;
    uint8_t permanent;  /* kept without references while it has a name (directories, devices, links) */
    uint32_t refs;      /* handles and internal references */
    char name[OB_NAME_MAX + 1]; /* its component in its directory; "" when unnamed */
    ob_t *parent;       /* its directory, NULL when unnamed */
    ob_t *next;         /* the next entry of its directory (insertion order) */
    ob_t *children;     /* a directory's entries */
    char *target;       /* a symbolic link's target (heap) */
    void *body;         /* the type's own state (io.c, ps.c) */
    void (*destroy)(ob_t *o); /* called once, before the object is freed */
};

/* The result of parsing a name: the object reached and, when parsing stopped at a device,
 * the rest of the name ("" or "\dir\file.txt"). obj carries a reference for the caller. */
typedef struct ob_parse {
    ob_t *obj;
    char rest[OB_NAME_MAX + 1];
} ob_parse_t;

enum {
    OB_PARSE_OPEN_LINK = 1, /* a link as the last component is the result, not followed */
};

/* The namespace at boot: \, \Device, \Driver, \FileSystem, \??, and \DosDevices, \GLOBAL??
 * linking to \??. Calling it again starts over (tests). */
NTSTATUS ob_init(void);
ob_t *ob_root(void);
/* Objects alive now (leak checks in tests). */
uint32_t ob_count(void);

/* A new object of `type` named `name` (absolute, or relative to directory `dir` when dir is
 * not NULL; "" or NULL: unnamed). With `make_dirs`, missing directories on the way are made.
 * The object starts with one reference for the caller. */
NTSTATUS ob_create(ob_t *dir, const char *name, ob_type_t type, int make_dirs, ob_t **out);
/* Parses `name` from the root (absolute name) or from directory `dir`. */
NTSTATUS ob_parse(ob_t *dir, const char *name, int flags, ob_parse_t *out);

void ob_ref(ob_t *o);
/* Drops a reference; an object with none left that is not permanent (or has no name) is
 * taken out of its directory, destroyed and freed. */
void ob_deref(ob_t *o);
/* Makes a permanent object temporary: it goes away with its last reference (now if none). */
void ob_make_temporary(ob_t *o);

/* Takes an object out of the namespace now (its name can be reused at once); it lives on while
 * referenced, unnamed. */
void ob_remove_name(ob_t *o);
/* The index-th entry of a directory (NULL past the last). */
ob_t *ob_dir_entry(const ob_t *dir, uint32_t index);
/* "Directory", "SymbolicLink", "Device", "Driver", "File", "Event", "Process". */
const char *ob_type_name(ob_type_t type);
/* The object's full name into buf ("\Device\Null"); its length, or -1 if it does not fit. */
int ob_full_name(const ob_t *o, char *buf, size_t size);
/* Case-insensitive (ASCII) equality, as NT compares object names. */
int ob_name_eq(const char *a, const char *b);

#endif
