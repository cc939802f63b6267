/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device access in volume sectors (bounded by the volume, so no entry of a hostile image reaches
 * past it), the one-sector data window directories and partial file writes go through, error
 * texts, and DOS date/time conversion.
 */
#include "fat_int.h"

fat_err_t fat_dev_read(fat_volume_t *v, uint64_t sector, uint32_t count, void *buf)
{
    if (sector > v->total_sectors || count > v->total_sectors - sector) return FAT_ECORRUPT;
    uint64_t k = v->blocks_per_sector;
    return v->dev.read(v->dev.ctx, sector * k, (uint32_t)(count * k), buf) ? FAT_EIO : FAT_OK;
}

fat_err_t fat_dev_write(fat_volume_t *v, uint64_t sector, uint32_t count, const void *buf)
{
    if (v->read_only) return FAT_EROFS;
    if (sector > v->total_sectors || count > v->total_sectors - sector) return FAT_ECORRUPT;
    uint64_t k = v->blocks_per_sector;
    return v->dev.write(v->dev.ctx, sector * k, (uint32_t)(count * k), buf) ? FAT_EIO : FAT_OK;
}

fat_err_t fat_dwin_load(fat_volume_t *v, uint64_t sector)
{
    if (v->dwin_sector == sector) return FAT_OK;
    v->dwin_sector = UINT64_MAX;
    fat_err_t e = fat_dev_read(v, sector, 1, v->dwin);
    if (e == FAT_OK) v->dwin_sector = sector;
    return e;
}

fat_err_t fat_dwin_store(fat_volume_t *v)
{
    return fat_dev_write(v, v->dwin_sector, 1, v->dwin);
}

void fat_dwin_forget(fat_volume_t *v, uint64_t first, uint32_t count)
{
    if (v->dwin_sector >= first && v->dwin_sector - first < count) v->dwin_sector = UINT64_MAX;
}

void fat_now(fat_volume_t *v, uint16_t *date, uint16_t *time)
{
    int64_t t = v->clock ? v->clock(v->clock_ctx) : 315532800; /* 1980-01-01 */
    fat_time_from_unix(t, date, time);
}

const char *fat_strerror(fat_err_t err)
{
    switch (err) {
    case FAT_OK: return "ok";
    case FAT_EIO: return "I/O error";
    case FAT_ECORRUPT: return "corrupt file system";
    case FAT_EINVAL: return "invalid argument";
    case FAT_ENOENT: return "not found";
    case FAT_EEXIST: return "exists";
    case FAT_ENOTDIR: return "not a directory";
    case FAT_EISDIR: return "is a directory";
    case FAT_ENOTEMPTY: return "directory not empty";
    case FAT_ENOSPC: return "no space";
    case FAT_ENAMETOOLONG: return "name too long";
    case FAT_EROFS: return "read-only";
    case FAT_EFBIG: return "file too large";
    }
    return "unknown error";
}

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

int64_t fat_time_to_unix(uint16_t date, uint16_t time)
{
    unsigned m = (date >> 5) & 15, d = date & 31;
    if (m < 1) m = 1;
    if (m > 12) m = 12;
    if (d < 1) d = 1;
    int64_t days = days_from_civil(1980 + (date >> 9), m, d);
    return days * 86400 + (time >> 11) * 3600 + ((time >> 5) & 63) * 60 + (time & 31) * 2;
}

void fat_time_from_unix(int64_t t, uint16_t *date, uint16_t *time)
{
    if (t < 315532800) t = 315532800;          /* DOS dates start in 1980 */
    if (t > 4354819199) t = 4354819199;        /* and end in 2107 */
    int64_t days = t / 86400, secs = t % 86400, y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    *date = (uint16_t)((y - 1980) << 9 | m << 5 | d);
    *time = (uint16_t)((secs / 3600) << 11 | ((secs / 60) % 60) << 5 | (secs % 60) / 2);
}
