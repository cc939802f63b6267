/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The root servers' shared half (rootserver/common/) on its own, with a clock the test sets:
 * the restart policy (table policy first, then at most RS_RESTART_BURST restarts within
 * RS_RESTART_WINDOW_MS, a new window once one ran out, given up on after that), the words of
 * its reports, and the table check on good and broken tables. Prints
 *   common: <checks> checks, <failed> failed
 */
#include <stdio.h>
#include <string.h>

#include <rootserver/common.h>

static unsigned checks, failed;

#define CHECK(cond)                                                        \
    do {                                                                   \
        checks++;                                                          \
        if (!(cond)) {                                                     \
            failed++;                                                      \
            printf("FAIL line %d: %s\n", __LINE__, #cond);                 \
        }                                                                  \
    } while (0)

const rs_target_t rs_target = {
    .prefix = "test: ",
    .max_cnode_bits = 16,
    .max_priority = 254,
    .page_bits = 12,
    .large_page_bits = 21,
};

uint64_t rs_clock_ms(void)
{
    return 0;
}

static const rs_end_t exit0 = { .kind = RS_END_EXIT, .status = 0 };
static const rs_end_t vmfault = { .kind = RS_END_VM_FAULT, .addr = 0x10, .pc = 0x400000 };

static void check_policy(void)
{
    rs_server_t always = { .name = "always", .restart = RS_RESTART_ALWAYS };
    rs_server_t never = { .name = "never", .restart = RS_RESTART_NEVER };
    rs_server_t onfault = { .name = "onfault", .restart = RS_RESTART_ON_FAULT, .max_restarts = 2 };
    rs_restart_state_t st;

    memset(&st, 0, sizeof st);
    CHECK(rs_restart_decide(&never, &st, &vmfault, 0) == RS_DECIDE_STOP);
    CHECK(st.restarts == 0);

    /* on-fault: not after an exit, and at most max_restarts in all */
    memset(&st, 0, sizeof st);
    CHECK(rs_restart_decide(&onfault, &st, &exit0, 0) == RS_DECIDE_STOP);
    CHECK(rs_restart_decide(&onfault, &st, &vmfault, 0) == RS_DECIDE_RESTART);
    CHECK(rs_restart_decide(&onfault, &st, &vmfault, 60000) == RS_DECIDE_RESTART);
    CHECK(rs_restart_decide(&onfault, &st, &vmfault, 120000) == RS_DECIDE_STOP);
    CHECK(st.restarts == 2);

    /* a storm: BURST restarts at once, then given up on */
    memset(&st, 0, sizeof st);
    for (unsigned i = 0; i < RS_RESTART_BURST; i++) {
        CHECK(rs_restart_decide(&always, &st, &exit0, 1000 + i) == RS_DECIDE_RESTART);
    }
    CHECK(st.restarts == RS_RESTART_BURST);
    CHECK(rs_restart_decide(&always, &st, &exit0, 1000 + RS_RESTART_BURST) == RS_DECIDE_GIVE_UP);
    CHECK(st.restarts == RS_RESTART_BURST);
    /* still within the window that started at the first restart */
    CHECK(rs_restart_decide(&always, &st, &exit0, 1000 + RS_RESTART_WINDOW_MS - 1) == RS_DECIDE_GIVE_UP);

    /* a server that ends less often than the limit is restarted for ever */
    memset(&st, 0, sizeof st);
    uint64_t now = 5000;
    for (unsigned i = 0; i < 4 * RS_RESTART_BURST; i++) {
        CHECK(rs_restart_decide(&always, &st, &vmfault, now) == RS_DECIDE_RESTART);
        now += RS_RESTART_WINDOW_MS / RS_RESTART_BURST + 1;
    }
    CHECK(st.restarts == 4 * RS_RESTART_BURST);

    /* a burst, a quiet window, another burst: a new window each time */
    memset(&st, 0, sizeof st);
    for (unsigned i = 0; i < RS_RESTART_BURST; i++) {
        CHECK(rs_restart_decide(&always, &st, &exit0, 100) == RS_DECIDE_RESTART);
    }
    CHECK(rs_restart_decide(&always, &st, &exit0, 100 + RS_RESTART_WINDOW_MS) == RS_DECIDE_RESTART);
    CHECK(st.window_restarts == 1);

    /* a clock that never moves (a target without one): BURST restarts in all */
    memset(&st, 0, sizeof st);
    unsigned restarted = 0;
    for (unsigned i = 0; i < 100; i++) {
        restarted += rs_restart_decide(&always, &st, &exit0, 0) == RS_DECIDE_RESTART;
    }
    CHECK(restarted == RS_RESTART_BURST);
}

static const rs_object_t objects[] = {
    { .id = "ep:echo", .type = RS_OBJ_ENDPOINT },
    { .id = "frames:buf", .type = RS_OBJ_FRAMES, .size_bits = 12, .pages = 1 },
    { .id = "frames:bad", .type = RS_OBJ_FRAMES, .size_bits = 13, .pages = 1 },
};
static const rs_cap_t good_caps[] = {
    { .slot = 2, .kind = RS_SLOT_RESERVED, .object = RS_NO_OBJECT },
    { .slot = 8, .kind = RS_SLOT_SERVE_EP, .object = 0, .rights = RS_RIGHT_READ },
};
static const rs_mapping_t good_maps[] = { { .object = 1, .vaddr = 0x10000000 } };
static const rs_cap_t bad_caps[] = {
    { .slot = 3, .kind = RS_SLOT_USE_EP, .object = 0 },     /* a reserved slot */
    { .slot = 9, .kind = RS_SLOT_USE_EP, .object = 7 },     /* a missing object */
    { .slot = 9, .kind = RS_SLOT_USE_EP, .object = 0 },     /* slot used twice */
    { .slot = 99, .kind = RS_SLOT_USE_EP, .object = 0 },    /* outside its CNode */
    { .slot = 10, .kind = RS_SLOT_USE_EP, .object = 1 },    /* frames as a cap */
};
static const rs_mapping_t bad_maps[] = {
    { .object = 1, .vaddr = 0x10000010 }, /* not page aligned */
    { .object = 0, .vaddr = 0x10000000 }, /* not frames */
};

static void check_tables(void)
{
    rs_server_t good = { .name = "good", .cnode_bits = 5, .priority = 100, .fault_badge = 1,
                         .caps = good_caps, .ncaps = 2, .maps = good_maps, .nmaps = 1 };
    rs_system_t sys = { .version = RS_TABLES_VERSION, .name = "t", .objects = objects, .nobjects = 2,
                        .fault_ep = RS_NO_OBJECT, .servers = &good, .nservers = 1 };
    CHECK(rs_tables_validate(&sys) == 0);

    rs_system_t old = sys;
    old.version = RS_TABLES_VERSION + 1;
    CHECK(rs_tables_validate(&old) == 1);

    rs_server_t bad = { .name = "bad", .cnode_bits = 5, .priority = 255, .fault_badge = 0,
                        .restart = (rs_restart_t)9, .caps = bad_caps, .ncaps = 5, .maps = bad_maps, .nmaps = 2 };
    rs_system_t broken = { .version = RS_TABLES_VERSION, .name = "t", .objects = objects, .nobjects = 3,
                           .fault_ep = 1, .servers = &bad, .nservers = 1 };
    /* frames of 2^13, fault endpoint not an endpoint, fault badge 0, priority, restart policy,
     * 5 cap problems, 2 mapping problems */
    CHECK(rs_tables_validate(&broken) == 12);

    rs_server_t huge = good;
    huge.cnode_bits = 17;
    sys.servers = &huge;
    CHECK(rs_tables_validate(&sys) == 1);
}

static void check_words(void)
{
    rs_server_t s = { .name = "storm", .restart = RS_RESTART_ALWAYS };
    rs_restart_state_t st = { .restarts = 5, .window_restarts = 5 };
    rs_end_t sig = vmfault;
    sig.detail = "SIGSEGV";
    CHECK(strcmp(rs_end_name(RS_END_CAP_FAULT), "cap fault") == 0);
    rs_report_end(&s, &exit0);
    rs_report_end(&s, &sig);
    rs_report_decision(&s, &st, RS_DECIDE_RESTART, true);
    rs_report_decision(&s, &st, RS_DECIDE_GIVE_UP, false);
    rs_report_decision(&s, &st, RS_DECIDE_STOP, false);
}

int main(void)
{
    check_policy();
    check_tables();
    check_words();
    printf("common: %u checks, %u failed\n", checks, failed);
    return failed != 0;
}
