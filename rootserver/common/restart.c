/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The restart policy, for both root servers: whether a server that ended (fault or exit) is
 * restarted. Its table policy first ("never"; "on-fault" up to max_restarts, not after an exit;
 * "always"), then a rate limit over time as init systems apply one: at most RS_RESTART_BURST
 * restarts in a window of RS_RESTART_WINDOW_MS that starts at the first restart after the last
 * window ran out. An end beyond that is not restarted: the server is given up on, stopped and
 * reported, so a server that exits at once cannot keep the root server restarting it forever.
 * Pure: decides and counts, prints nothing (report.c has the words).
 */
#include <rootserver/common.h>

static bool rs_policy_allows(const rs_server_t *s, const rs_restart_state_t *st, const rs_end_t *e)
{
    switch (s->restart) {
    case RS_RESTART_ALWAYS:
        return true;
    case RS_RESTART_ON_FAULT:
        return e->kind != RS_END_EXIT && st->restarts < s->max_restarts;
    default:
        return false;
    }
}

rs_decision_t rs_restart_decide(const rs_server_t *s, rs_restart_state_t *st, const rs_end_t *e,
                                uint64_t now_ms)
{
    if (!rs_policy_allows(s, st, e)) {
        return RS_DECIDE_STOP;
    }
    bool window_open = st->window_restarts > 0 && now_ms >= st->window_start_ms &&
                       now_ms - st->window_start_ms < RS_RESTART_WINDOW_MS;
    if (!window_open) {
        st->window_start_ms = now_ms;
        st->window_restarts = 0;
    }
    if (st->window_restarts >= RS_RESTART_BURST) {
        return RS_DECIDE_GIVE_UP;
    }
    st->window_restarts++;
    st->restarts++;
    return RS_DECIDE_RESTART;
}
