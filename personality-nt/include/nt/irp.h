/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The data of IRPs between the executive and file-system drivers (the `data`/`result` bytes of
 * idl/ntdrv.idl's next_irp and call_driver): fixed little-endian layouts, one per request kind,
 * shared by the executive (personality-nt/executive) and the driver library (personality-nt/ddk).
 * Names travel as UTF-8 with '\' separators. No seL4 dependency.
 */
#ifndef NT_IRP_H
#define NT_IRP_H

#include <stdint.h>

#define NT_NAME_MAX 260 /* bytes of a name, as ntexec.MAX_NAME and ntdrv.MAX_NAME */

/* IRP_MJ_CREATE result (completion data) of a file system: what the executive keeps in its
 * file control block so that later opens, size queries and cached reads need no IRP.
 * `file_id` names the file on its volume (equal for two names of one file, e.g. its directory
 * entry's location): opens of one file share one FCB and one cache. */
typedef struct nt_create_result {
    uint64_t file_id;
    int64_t end_of_file;
    int64_t allocation_size;
    int64_t creation_time;     /* NT time: 100 ns since 1601 */
    int64_t last_access_time;
    int64_t last_write_time;
    int64_t change_time;
    uint32_t file_attributes;  /* FILE_ATTRIBUTE_* */
    uint32_t directory;        /* 1: a directory */
} nt_create_result_t;

/* IRP_MJ_QUERY_INFORMATION results (info_class 4, 5) in NT's layouts. */
typedef struct nt_file_basic_information {
    int64_t creation_time;
    int64_t last_access_time;
    int64_t last_write_time;
    int64_t change_time;
    uint32_t file_attributes;
    uint32_t reserved;
} nt_file_basic_information_t;

typedef struct nt_file_standard_information {
    int64_t allocation_size;
    int64_t end_of_file;
    uint32_t number_of_links;
    uint8_t delete_pending;
    uint8_t directory;
    uint8_t reserved[2];
} nt_file_standard_information_t;

/* IRP_MJ_SET_INFORMATION input (info_class 10 rename, 13 disposition, 19 allocation,
 * 20 end of file). A rename's name is the full path on the same volume ("\dir\new.txt"). */
typedef struct nt_file_rename_information {
    uint8_t replace_if_exists;
    uint8_t reserved[3];
    uint32_t name_length;      /* bytes, without a NUL */
    char name[NT_NAME_MAX + 1];
} nt_file_rename_information_t;

typedef struct nt_file_disposition_information {
    uint8_t delete_file;
} nt_file_disposition_information_t;

typedef struct nt_file_end_of_file_information {
    int64_t end_of_file;       /* also FileAllocationInformation's AllocationSize */
} nt_file_end_of_file_information_t;

/* IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY result: one entry
 * (SL_RETURN_SINGLE_ENTRY); the file system keeps the scan position per file object and
 * restarts it, taking irp.name as the pattern, on SL_RESTART_SCAN or the first query. Status
 * STATUS_NO_MORE_FILES after the last entry (STATUS_NO_SUCH_FILE if none ever matched). */
typedef struct nt_dir_entry {
    uint32_t file_index;
    uint32_t file_attributes;
    int64_t creation_time;
    int64_t last_access_time;
    int64_t last_write_time;
    int64_t change_time;
    int64_t end_of_file;
    int64_t allocation_size;
    char short_name[13];       /* 8.3 name, "" when the long name is one */
    char file_name[NT_NAME_MAX + 1];
} nt_dir_entry_t;

/* NT time helpers: 100 ns intervals between 1601-01-01 and 1970-01-01. */
#define NT_TIME_UNIX_EPOCH 116444736000000000LL
static inline int64_t nt_time_from_unix(int64_t seconds) { return seconds * 10000000LL + NT_TIME_UNIX_EPOCH; }
static inline int64_t nt_time_to_unix(int64_t t) { return (t - NT_TIME_UNIX_EPOCH) / 10000000LL; }

#endif
