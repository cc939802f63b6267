/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The client: calls each kind of echo method through the generated stubs (scalars, a string,
 * bytes, a oneway, a capability) and prints each result, writes a line through the serial
 * driver, then reads the time through the timer driver (the PL031 on QEMU virt, the system
 * timer on a Pi) and sleeps a second on it (a deferred reply: the call blocks until the timer's
 * interrupt). It names no device, so it runs unchanged on every board.
 */
#include <stdio.h>
#include <string.h>

#include "server_gen.h"

static const char *err_name(int err)
{
    switch (err) {
        case NG_OK: return "ok";
        case NG_EBADMSG: return "NG_EBADMSG";
        case NG_ENOSYS: return "NG_ENOSYS";
        case NG_EIPC: return "NG_EIPC";
        default: return "error";
    }
}

int main(void)
{
    echo_client_t echo = client_use_echo();
    serial_client_t serial = client_use_serial();
    timer_client_t timer = client_use_timer();
    int err;

    uint64_t sum = 0;
    err = echo_add(&echo, 40, 2, &sum);
    printf("client: echo.add(40, 2) = %lu (%s)\n", (unsigned long)sum, err_name(err));

    ng_str_t back = { 0 };
    err = echo_echo_str(&echo, ng_str("hello, seL4"), &back);
    printf("client: echo.echo_str(\"hello, seL4\") = \"%.*s\" (%s)\n", (int)back.len, back.ptr, err_name(err));

    uint8_t data[64];
    for (unsigned i = 0; i < sizeof(data); i++) data[i] = (uint8_t)(i * 7 + 1);
    ng_bytes_t got = { 0 };
    err = echo_echo_bytes(&echo, ng_bytes(data, sizeof(data)), &got);
    int same = err == NG_OK && got.len == sizeof(data) && memcmp(got.ptr, data, sizeof(data)) == 0;
    printf("client: echo.echo_bytes(64 bytes) = %zu bytes, %s (%s)\n", got.len, same ? "identical" : "DIFFERENT",
           err_name(err));

    for (uint64_t seq = 1; seq <= 3; seq++) {
        err = echo_ping(&echo, seq);
        if (err != NG_OK) printf("client: echo.ping(%lu) failed (%s)\n", (unsigned long)seq, err_name(err));
    }
    printf("client: sent 3 pings (oneway)\n");

    bool ok = false;
    err = echo_share_ntfn(&echo, CLIENT_CAP_NTFN, &ok);
    printf("client: echo.share_ntfn(own notification) = %s (%s)\n", ok ? "true" : "false", err_name(err));
    if (err == NG_OK && ok) {
        ng_wait(CLIENT_CAP_NTFN);
        printf("client: echo signalled our notification through the transferred cap\n");
    }

    static const char line[] = "client: this line went through the uart driver\n";
    uint32_t written = 0;
    err = serial_write(&serial, ng_bytes(line, sizeof(line) - 1), &written);
    printf("client: serial.write: %u bytes (%s)\n", (unsigned)written, err_name(err));

    uint64_t before = 0, after = 0;
    err = timer_now(&timer, &before);
    printf("client: timer.now() = %lu s (%s)\n", (unsigned long)(before / 1000000000u), err_name(err));
    err = timer_sleep(&timer, 1000000000u);
    int err_after = timer_now(&timer, &after);
    if (err == NG_OK && err_after == NG_OK && after >= before + 1000000000u) {
        printf("client: slept 1 s on the timer (ok)\n");
    } else {
        printf("client: timer.sleep(1 s) = %s, clock went from %lu to %lu s\n", err_name(err),
               (unsigned long)(before / 1000000000u), (unsigned long)(after / 1000000000u));
    }

    printf("client: done\n");
    return 0;
}
