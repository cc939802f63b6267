/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mount: what is mounted where, one line per entry of the pathname manager's prefix table
 * (idl/pathmgr.idl `list`): the prefix, its kind (a directory tree or a single device) and its
 * registration id. Plain POSIX has no call for this, so mount is one of the two utilities that
 * speak an IDL interface themselves (through the pathmgr cap its layout gives it). Mounting
 * is the resource managers' own business (they register with the pathname manager): this
 * mount only lists.
 */
#include <stdio.h>

#include "server_gen.h"

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: mount\n");
        return 2;
    }
    pathmgr_client_t pm = mount_use_pathmgr();
    for (uint32_t i = 0;; i++) {
        ng_str_t prefix;
        pathmgr_prefix_kind_t kind;
        pathmgr_prefix_id_t id;
        bool more;
        int err = pathmgr_list(&pm, i, &prefix, &kind, &id, &more);
        if (err == PATHMGR_ERR_NOT_FOUND) break;
        if (err != NG_OK) {
            fprintf(stderr, "mount: pathmgr.list(%u): error %d\n", (unsigned)i, err);
            return 1;
        }
        printf("%.*s type %s (id %u)\n", (int)prefix.len, prefix.ptr, kind == PATHMGR_PREFIX_KIND_DEVICE ? "device" : "directory",
               (unsigned)id);
        if (!more) break;
    }
    return 0;
}
