/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The line editor, on raw bytes from descriptor 0 (the console gives them as typed, with no line
 * discipline). On a terminal: the prompt, echo of what is typed, backspace or DEL erases a
 * character, ^U the line, ^C discards the line, ^D on an empty line ends the input, escape
 * sequences (arrow keys) are ignored. Otherwise: bytes up to a newline, no echo. Bytes typed
 * while a foreground job ran come first.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "sh.h"

#define CTRL(c) ((c) & 0x1f)

static char typeahead[SH_LINE_MAX];
static size_t ntypeahead;

void sh_edit_typeahead(char c)
{
    if (ntypeahead < sizeof typeahead) typeahead[ntypeahead++] = c;
}

/* The next input byte: 1, or 0 at end of input. */
static int next_byte(char *c)
{
    if (ntypeahead > 0) {
        *c = typeahead[0];
        memmove(typeahead, typeahead + 1, --ntypeahead);
        return 1;
    }
    return read(0, c, 1) == 1;
}

int sh_edit_nonblock(int on)
{
    int fl = fcntl(0, F_GETFL);
    if (fl < 0 || fcntl(0, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) != 0) return -1;
    /* A layer may accept the call and drop the flag: only a flag that stuck counts. */
    fl = fcntl(0, F_GETFL);
    return fl >= 0 && ((fl & O_NONBLOCK) != 0) == (on != 0) ? 0 : -1;
}

static void echo(const char *s, size_t n)
{
    if (write(1, s, n) < 0) return;
}

static void erase(size_t n)
{
    while (n-- > 0) echo("\b \b", 3);
}

int sh_edit_line(char *buf, size_t size, const char *prompt, int tty)
{
    size_t len = 0;
    int escape = 0; /* inside an escape sequence: 1 after ESC, 2 after ESC [ */
    char c;
    if (tty) echo(prompt, strlen(prompt));
    while (next_byte(&c)) {
        if (!tty) {
            if (c == '\n') break;
            if (len + 1 < size) buf[len++] = c;
            continue;
        }
        if (escape == 1) {
            escape = c == '[' ? 2 : 0;
        } else if (escape == 2) {
            escape = (c >= '@' && c <= '~') ? 0 : 2;
        } else if (c == '\r' || c == '\n') {
            echo("\n", 1);
            buf[len] = '\0';
            return (int)len;
        } else if (c == 0x7f || c == '\b') {
            if (len > 0) {
                len--;
                erase(1);
            }
        } else if (c == CTRL('U')) {
            erase(len);
            len = 0;
        } else if (c == CTRL('C')) {
            echo("^C\n", 3);
            len = 0;
            echo(prompt, strlen(prompt));
        } else if (c == CTRL('D')) {
            if (len == 0) {
                echo("\n", 1);
                return -1;
            }
        } else if (c == 0x1b) {
            escape = 1;
        } else if ((unsigned char)c >= ' ' || c == '\t') {
            if (len + 1 < size) {
                buf[len++] = c;
                echo(&c, 1);
            }
        }
    }
    buf[len] = '\0';
    /* End of input: a last line without its newline still counts. */
    return len > 0 ? (int)len : -1;
}
