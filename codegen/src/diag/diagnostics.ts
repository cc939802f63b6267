// SPDX-License-Identifier: BSD-2-Clause
/**
 * Diagnostics shared by every stage: a source position, a message and an optional hint.
 *
 * Stages never throw for a user's mistake; they add to a DiagnosticBag and carry on where they
 * can, so one run reports every error. The CLI prints the bag as
 *   path:line:col: error: message
 *   hint: what to do
 * and exits 1 when it holds an error.
 */

export interface SourcePos {
  /** Path as the user gave it (relative to the working directory where possible). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
}

export type Severity = "error" | "warning" | "note";

export interface Diagnostic {
  severity: Severity;
  pos: SourcePos | undefined;
  message: string;
  hint?: string;
}

export class DiagnosticBag {
  readonly items: Diagnostic[] = [];

  error(pos: SourcePos | undefined, message: string, hint?: string): void {
    this.items.push({ severity: "error", pos, message, hint });
  }

  warning(pos: SourcePos | undefined, message: string, hint?: string): void {
    this.items.push({ severity: "warning", pos, message, hint });
  }

  note(pos: SourcePos | undefined, message: string, hint?: string): void {
    this.items.push({ severity: "note", pos, message, hint });
  }

  merge(other: DiagnosticBag): void {
    this.items.push(...other.items);
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }

  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "error");
  }

  /** Sorted by file, line, column so output is stable whatever order stages ran in. */
  sorted(): Diagnostic[] {
    return [...this.items].sort((a, b) => {
      const fa = a.pos?.file ?? "";
      const fb = b.pos?.file ?? "";
      if (fa !== fb) return fa < fb ? -1 : 1;
      return (a.pos?.line ?? 0) - (b.pos?.line ?? 0) || (a.pos?.col ?? 0) - (b.pos?.col ?? 0);
    });
  }

  format(): string {
    return this.sorted().map(formatDiagnostic).join("\n");
  }
}

export function formatPos(pos: SourcePos | undefined): string {
  return pos ? `${pos.file}:${pos.line}:${pos.col}` : "neptune-gen";
}

export function formatDiagnostic(d: Diagnostic): string {
  const head = `${formatPos(d.pos)}: ${d.severity}: ${d.message}`;
  return d.hint ? `${head}\nhint: ${d.hint}` : head;
}

/**
 * "did you mean" suggestions: the closest candidate by edit distance, if it is close enough to
 * be a plausible typo.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best !== undefined && bestDist <= limit ? best : undefined;
}

export function suggestionHint(name: string, candidates: Iterable<string>): string | undefined {
  const s = didYouMean(name, candidates);
  return s ? `did you mean '${s}'?` : undefined;
}

/** Optimal string alignment distance: Levenshtein plus transpositions ("ehco" → "echo" is 1). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Thrown only to abort a stage whose errors are already in the bag; the CLI catches it. */
export class UserErrors extends Error {
  constructor(readonly bag: DiagnosticBag) {
    super(bag.format());
  }
}
