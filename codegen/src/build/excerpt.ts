// SPDX-License-Identifier: BSD-2-Clause
/**
 * The part of a failed build's output worth showing: the compiler's (or linker's, or CMake's)
 * first error with its context, not the first line that happens to contain "error" (musl's
 * configure prints `checking whether compiler accepts -Werror... yes` on every fresh build).
 *
 *   FAILED: servers/echo/CMakeFiles/server.echo.dir/main.c.o
 *   servers/echo/main.c: In function 'main':
 *   servers/echo/main.c:12:5: error: implicit declaration of function 'echo_frob' …
 */

/** A diagnostic line of gcc, the linker or CMake that means failure. */
const ERROR_LINE = /^\S.*?:\d+(?::\d+)?: (?:fatal )?error:|^\S.*?: undefined reference to |^collect2: error:|^\S*ld(?:\.\w+)?: .*error|^CMake Error/;
/** Lines gcc prints before an error to say where it is. */
const CONTEXT_LINE = /^In file included from |^\s+from |: In function |: At top level:|: In member function /;

export function buildErrorExcerpt(output: string, lines = 40): string {
  const all = output.replace(/\r/g, "").trimEnd().split("\n");
  const failed = all.findIndex((l) => l.startsWith("FAILED: "));
  const start = Math.max(0, failed);
  let at = all.findIndex((l, i) => i >= start && ERROR_LINE.test(l));
  if (at < 0) at = failed;
  if (at < 0) return all.slice(-lines).join("\n");
  let from = at;
  while (from > start && CONTEXT_LINE.test(all[from - 1])) from--;
  const head = failed >= 0 && failed < from ? [all[failed]] : [];
  return [...head, ...all.slice(from, from + lines - head.length)].join("\n");
}
