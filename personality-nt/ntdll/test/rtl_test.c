/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host unit test of ntdll's string routines (rtl.c; codegen/test/nt.test.ts builds it with ASan
 * and UBSan): UNICODE_STRING set-up and comparison, UTF-8 <-> UTF-16 with surrogate pairs,
 * replacement of bad input, lengths in bytes, buffers too small, and the layouts of NT's
 * records (checked at compile time by ntioapi.h).
 */
#include <stdio.h>
#include <string.h>

#include <nt/ntioapi.h>
#include <nt/rtl.h>

static int failures;

static void expect(const char *what, int ok)
{
    if (!ok) {
        printf("FAILED %s\n", what);
        failures++;
    }
}

static void roundtrip(const char *utf8, size_t units)
{
    WCHAR w[64];
    UNICODE_STRING s;
    char back[256], what[128];
    snprintf(what, sizeof what, "roundtrip \"%s\"", utf8);
    expect(what, RtlUtf8zToUnicodeString(&s, w, sizeof w, utf8) == STATUS_SUCCESS);
    expect(what, s.Length == units * sizeof(WCHAR) && w[units] == 0);
    expect(what, RtlUnicodeStringToUtf8z(&s, back, sizeof back) == STATUS_SUCCESS && strcmp(back, utf8) == 0);
}

int main(void)
{
    UNICODE_STRING a, b;
    RtlInitUnicodeString(&a, u"\\Device\\Null");
    expect("init length", a.Length == 24 && a.MaximumLength == 26);
    RtlInitUnicodeString(&b, u"\\DEVICE\\null");
    expect("case-insensitive equal", RtlEqualUnicodeString(&a, &b, TRUE));
    expect("case-sensitive differs", !RtlEqualUnicodeString(&a, &b, FALSE));
    RtlInitUnicodeString(&b, NULL);
    expect("init NULL", b.Length == 0 && b.MaximumLength == 0 && b.Buffer == NULL);

    WCHAR small[4];
    UNICODE_STRING c = { 0, sizeof small, small };
    RtlCopyUnicodeString(&c, &a);
    expect("copy cut to the destination", c.Length == sizeof small && small[0] == '\\' && small[3] == 'v');

    roundtrip("", 0);
    roundtrip("\\??\\C:\\readme.txt", 17);
    roundtrip("caf\xc3\xa9", 4);                /* U+00E9 */
    roundtrip("\xe2\x82\xac 5", 3);              /* U+20AC */
    roundtrip("\xf0\x9f\x98\x80", 2);            /* U+1F600: a surrogate pair */

    WCHAR w[16];
    ULONG got = 0;
    expect("stray continuation byte", RtlUTF8ToUnicodeN(w, sizeof w, &got, "a\x80z", 3) == STATUS_SUCCESS && got == 6 &&
                                          w[1] == 0xFFFD);
    expect("overlong form", RtlUTF8ToUnicodeN(w, sizeof w, &got, "\xc0\xaf", 2) == STATUS_SUCCESS && w[0] == 0xFFFD);
    expect("encoded surrogate", RtlUTF8ToUnicodeN(w, sizeof w, &got, "\xed\xa0\x80", 3) == STATUS_SUCCESS && w[0] == 0xFFFD);
    expect("truncated sequence", RtlUTF8ToUnicodeN(w, sizeof w, &got, "\xe2\x82", 2) == STATUS_SUCCESS && got == 4);
    expect("length only", RtlUTF8ToUnicodeN(NULL, 0, &got, "\xf0\x9f\x98\x80xy", 6) == STATUS_SUCCESS && got == 8);
    expect("too small", RtlUTF8ToUnicodeN(w, 4, &got, "abc", 3) == STATUS_BUFFER_TOO_SMALL && got == 4);
    expect("pair does not split", RtlUTF8ToUnicodeN(w, 2, &got, "\xf0\x9f\x98\x80", 4) == STATUS_BUFFER_TOO_SMALL && got == 0);

    char out[8];
    const WCHAR lone[] = { 'a', 0xD800, 'b' };
    expect("lone surrogate", RtlUnicodeToUTF8N(out, sizeof out, &got, lone, sizeof lone) == STATUS_SUCCESS && got == 5 &&
                                 memcmp(out, "a\xef\xbf\xbd" "b", 5) == 0);
    const WCHAR euro[] = { 0x20AC, 0x20AC, 0x20AC };
    expect("utf-8 too small", RtlUnicodeToUTF8N(out, 7, &got, euro, sizeof euro) == STATUS_BUFFER_TOO_SMALL && got == 6);

    UNICODE_STRING s;
    RtlInitUnicodeString(&s, u"0123456789");
    char name[8];
    expect("utf8z too long", RtlUnicodeStringToUtf8z(&s, name, sizeof name) == STATUS_NAME_TOO_LONG && name[0] == 0);
    WCHAR tiny[3];
    expect("unicode string too long", RtlUtf8zToUnicodeString(&s, tiny, sizeof tiny, "abc") == STATUS_NAME_TOO_LONG);
    expect("unicode string fits", RtlUtf8zToUnicodeString(&s, tiny, sizeof tiny, "ab") == STATUS_SUCCESS && s.Length == 4);

    printf("rtl_test: %d failures\n", failures);
    return failures != 0;
}
