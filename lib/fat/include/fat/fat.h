/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A FAT12/16/32 file system, read and write, as a library with no seL4, transport or allocator
 * dependency: the caller hands it a block device (three function pointers, usually a block cache)
 * and the memory of every object (volume, file, directory iterator). It keeps long file names
 * (VFAT) with generated 8.3 aliases, FSInfo, the volume's dirty bits and timestamps from a clock
 * the caller supplies. Every walk over on-disk structures is bounded, so a hostile image gives an
 * error code (FAT_ECORRUPT), never a crash or a hang.
 */
#ifndef FAT_FAT_H
#define FAT_FAT_H

#include <stddef.h>
#include <stdint.h>

/* Results; FAT_OK is 0. */
typedef enum fat_err {
    FAT_OK = 0,
    FAT_EIO,          /* the block device failed */
    FAT_ECORRUPT,     /* the image breaks the format (bad BPB, bad cluster, loop, ...) */
    FAT_EINVAL,       /* bad argument: empty or invalid name, moving a directory into itself */
    FAT_ENOENT,       /* no such file; also "no more entries" from fat_readdir */
    FAT_EEXIST,       /* the name exists */
    FAT_ENOTDIR,      /* a path component is not a directory */
    FAT_EISDIR,       /* a file operation on a directory */
    FAT_ENOTEMPTY,    /* removing a directory that has entries */
    FAT_ENOSPC,       /* no free cluster, or a full fixed root directory */
    FAT_ENAMETOOLONG, /* a name over 255 UTF-16 units or a path over FAT_PATH_MAX */
    FAT_EROFS,        /* the volume is mounted read-only */
    FAT_EFBIG,        /* a file would pass 4 GiB - 1 */
} fat_err_t;

/* A short text for an error code. */
const char *fat_strerror(fat_err_t err);

#define FAT_NAME_MAX 255       /* UTF-16 units of a long name */
#define FAT_NAME_BUF 768       /* bytes of a UTF-8 name with its NUL (255 BMP chars * 3 + 1) */
#define FAT_PATH_MAX 1024      /* bytes of a path */
#define FAT_SECTOR_MAX 4096    /* largest sector size accepted */
#define FAT_DIR_ENTRIES_MAX 65536 /* entries per directory, as the format defines */

#define FAT_ATTR_READ_ONLY 0x01
#define FAT_ATTR_HIDDEN 0x02
#define FAT_ATTR_SYSTEM 0x04
#define FAT_ATTR_VOLUME_ID 0x08
#define FAT_ATTR_DIRECTORY 0x10
#define FAT_ATTR_ARCHIVE 0x20

/* The device below the file system. Every call moves whole blocks of `block_size` bytes (512
 * to FAT_SECTOR_MAX, dividing the volume's sector size); a nonzero return is an I/O error. */
typedef struct fat_blockdev {
    void *ctx;
    uint32_t block_size;
    uint64_t num_blocks;
    int (*read)(void *ctx, uint64_t lba, uint32_t count, void *buf);
    int (*write)(void *ctx, uint64_t lba, uint32_t count, const void *buf);
    int (*flush)(void *ctx);
} fat_blockdev_t;

/* Seconds since 1970-01-01 00:00 UTC, for timestamps; none means 1980-01-01. */
typedef int64_t (*fat_clock_fn)(void *ctx);

typedef enum fat_type { FAT_TYPE_12 = 12, FAT_TYPE_16 = 16, FAT_TYPE_32 = 32 } fat_type_t;

/* fat_mount flags. */
#define FAT_MOUNT_READ_ONLY 0x1u

/* A file or directory as its directory entry describes it. */
typedef struct fat_node {
    uint32_t first_cluster; /* 0: an empty file, or the root directory */
    uint32_t size;          /* bytes; 0 for directories */
    uint8_t attr;
    uint8_t is_root;
    uint16_t wtime, wdate;  /* DOS time and date of the last write */
    uint16_t ctime, cdate;  /* creation */
    uint64_t entry_sector;  /* where the short entry lives (not for the root) */
    uint32_t entry_offset;  /* its byte offset in that sector */
    uint32_t dir_first;     /* first cluster of the directory holding it (0: fixed root) */
    uint32_t entry_index;   /* index of the short entry in that directory */
    uint32_t name_index;    /* index of its first long-name entry (entry_index if none) */
} fat_node_t;

/* An open file: the node plus the position of the last cluster reached, for sequential I/O. */
typedef struct fat_file {
    fat_node_t node;
    uint32_t pos_index;   /* cluster number `pos_cluster` is the file's cluster at this index */
    uint32_t pos_cluster; /* 0: no position kept */
} fat_file_t;

/* A directory being listed. */
typedef struct fat_dir {
    fat_node_t node;
    uint32_t index;   /* next entry to read */
    uint32_t cindex;  /* position cache of the chain walk */
    uint32_t cluster;
} fat_dir_t;

/* One directory entry as fat_readdir returns it. */
typedef struct fat_dirent {
    char name[FAT_NAME_BUF];  /* the long name, else the short one (UTF-8) */
    char short_name[13];      /* the 8.3 name, "NAME.EXT" */
    uint8_t attr;
    uint32_t size;
    uint32_t first_cluster;
    int64_t mtime;            /* seconds since 1970 (from the DOS date and time) */
} fat_dirent_t;

/* Geometry and usage of a mounted volume. */
typedef struct fat_info {
    fat_type_t type;
    uint32_t sector_size;
    uint32_t cluster_size;
    uint32_t clusters;      /* data clusters */
    uint32_t free_clusters; /* 0xFFFFFFFF when not known (see fat_count_free) */
} fat_info_t;

/* A mounted volume; the caller owns the memory, the library owns the fields. */
typedef struct fat_volume {
    fat_blockdev_t dev;
    fat_clock_fn clock;
    void *clock_ctx;
    fat_type_t type;
    uint8_t read_only;
    uint8_t mounted;
    uint8_t fsinfo_ok;      /* FAT32 FSInfo present and valid: kept up to date */
    uint8_t mirror;         /* write every FAT copy */
    uint8_t active_fat;
    uint8_t num_fats;
    uint8_t fat1_clean_bit; /* FAT[1] had the clean-shutdown bit we clear while mounted */
    uint32_t blocks_per_sector;
    uint32_t bps;           /* bytes per sector */
    uint32_t spc;           /* sectors per cluster */
    uint32_t cluster_size;
    uint32_t reserved;      /* reserved sectors (the first FAT starts here) */
    uint32_t fat_size;      /* sectors per FAT */
    uint32_t root_sector;   /* FAT12/16 fixed root directory */
    uint32_t root_entries;
    uint32_t root_cluster;  /* FAT32 */
    uint32_t data_sector;
    uint32_t total_sectors;
    uint32_t clusters;      /* data clusters: valid ones are 2 .. clusters + 1 */
    uint32_t fsinfo_sector;
    uint32_t backup_boot;   /* FAT32 backup boot sector, 0 if none */
    uint32_t free_count;    /* 0xFFFFFFFF: unknown */
    uint32_t next_free;     /* allocation hint */
    uint32_t eoc;           /* end-of-chain value written (0xFFF, 0xFFFF, 0x0FFFFFFF) */
    /* Two sectors of the FAT (write-back; two so that a FAT12 entry across a sector boundary
     * reaches the device in one write) and one of directories/data (write-through). */
    uint32_t fwin_sector;   /* relative to the FAT start; UINT32_MAX: empty */
    uint32_t fwin_count;    /* sectors in the window: 1 or 2 */
    uint8_t fwin_dirty;
    uint64_t dwin_sector;   /* UINT64_MAX: empty */
    uint8_t fwin[2 * FAT_SECTOR_MAX];
    uint8_t dwin[FAT_SECTOR_MAX];
    uint8_t zero_buf[FAT_SECTOR_MAX];
} fat_volume_t;

/* Mounts the volume on `dev`: validates the boot sector, picks the FAT type by cluster count,
 * reads FSInfo; unless read-only, marks the volume dirty until fat_unmount. */
fat_err_t fat_mount(fat_volume_t *v, const fat_blockdev_t *dev, unsigned flags);
/* Writes everything back, marks the volume clean and flushes the device. */
fat_err_t fat_unmount(fat_volume_t *v);
/* Writes everything back (FAT, FSInfo) and flushes the device; the volume stays dirty. */
fat_err_t fat_sync(fat_volume_t *v);
void fat_set_clock(fat_volume_t *v, fat_clock_fn clock, void *ctx);
void fat_get_info(const fat_volume_t *v, fat_info_t *info);
/* Counts free clusters by reading the whole FAT. */
fat_err_t fat_count_free(fat_volume_t *v, uint32_t *free_clusters);

/* Finds a path ("a/b/c", '/'-separated, empty or "/" for the root; names compare without
 * regard to ASCII case, against the long and the short name). */
fat_err_t fat_lookup(fat_volume_t *v, const char *path, fat_node_t *node);

/* fat_open flags. */
#define FAT_O_CREATE 0x1u
#define FAT_O_EXCL 0x2u
#define FAT_O_TRUNC 0x4u

/* Opens a file (FAT_EISDIR for a directory), creating or truncating it as flags say. */
fat_err_t fat_open(fat_volume_t *v, const char *path, unsigned flags, fat_file_t *f);
/* Reads up to `len` bytes at `offset`; *done < len only at the end of the file. */
fat_err_t fat_read(fat_volume_t *v, fat_file_t *f, uint32_t offset, void *buf, size_t len, size_t *done);
/* Writes `len` bytes at `offset`, growing the file (a gap reads as zeros). */
fat_err_t fat_write(fat_volume_t *v, fat_file_t *f, uint32_t offset, const void *buf, size_t len, size_t *done);
/* Cuts or extends (with zeros) the file to `size` bytes. */
fat_err_t fat_truncate(fat_volume_t *v, fat_file_t *f, uint32_t size);

fat_err_t fat_mkdir(fat_volume_t *v, const char *path);
/* Removes a file, or an empty directory. */
fat_err_t fat_unlink(fat_volume_t *v, const char *path);
/* Renames or moves a file or directory (FAT_EEXIST if `to` exists). */
fat_err_t fat_rename(fat_volume_t *v, const char *from, const char *to);

fat_err_t fat_opendir(fat_volume_t *v, const char *path, fat_dir_t *d);
/* The next entry other than "." and ".." and the volume label; FAT_ENOENT after the last. */
fat_err_t fat_readdir(fat_volume_t *v, fat_dir_t *d, fat_dirent_t *ent);

/* The cluster after `c` in its chain: *next = 0 at the end; FAT_ECORRUPT for a free, bad or
 * out-of-range link, FAT_EINVAL if `c` is no data cluster. For callers that map a file's
 * clusters onto the volume (cluster c's sector is data_sector + (c - 2) * spc). */
fat_err_t fat_chain_next(fat_volume_t *v, uint32_t c, uint32_t *next);

/* DOS date/time <-> seconds since 1970 (UTC). */
int64_t fat_time_to_unix(uint16_t date, uint16_t time);
void fat_time_from_unix(int64_t t, uint16_t *date, uint16_t *time);

#endif /* FAT_FAT_H */
