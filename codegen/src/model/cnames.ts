// SPDX-License-Identifier: BSD-2-Clause
/**
 * Names an IDL may not use because the generated C would not compile or would clash with the
 * implementation: C keywords (C89 to C23), identifiers C reserves (`_X…`, `__…`), the few
 * standard macros a generated name could hit, and the runtime's and seL4's prefixes.
 */

const C_KEYWORDS = new Set([
  "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
  "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
  "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
  "volatile", "while", "alignas", "alignof", "bool", "constexpr", "false", "nullptr", "static_assert",
  "thread_local", "true", "typeof", "typeof_unqual", "_Alignas", "_Alignof", "_Atomic", "_Bool",
  "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local",
]);

/** Standard macros and names a C translation unit of ours sees through its includes. */
const C_RESERVED_NAMES = new Set(["errno", "assert", "NULL", "offsetof", "main", "asm"]);

/**
 * Longest name an IDL or a system description may give: names become C identifiers and file
 * and folder names (`include/<namespace>_client_gen.h`, `servers/<server>/`), which file
 * systems limit to 255 bytes.
 */
export const MAX_NAME_LENGTH = 128;

/** A long name shortened for a message. */
export function shortName(name: string): string {
  return name.length > 40 ? `${name.slice(0, 24)}…${name.slice(-8)}` : name;
}

/** Why `name` cannot be a C identifier, or undefined when it is fine. */
export function cNameProblem(name: string): string | undefined {
  if (name.length > MAX_NAME_LENGTH) return `'${shortName(name)}' is ${name.length} characters long, more than ${MAX_NAME_LENGTH} (names become C identifiers and file names)`;
  if (C_KEYWORDS.has(name)) return `'${name}' is a C keyword`;
  if (/^_[A-Z_]/.test(name)) return `'${name}' is reserved in C (a leading underscore followed by a capital or '_')`;
  if (C_RESERVED_NAMES.has(name)) return `'${name}' is a reserved name in C (a standard macro or function)`;
  if (/^(ng|NG|seL4|sel4)_/.test(name)) return `'${name}' uses a prefix reserved for the runtime and seL4 (ng_, seL4_)`;
  return undefined;
}
