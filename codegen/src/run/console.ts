// SPDX-License-Identifier: BSD-2-Clause
/**
 * Runs a program whose output is a system console (QEMU's serial port, or the host target),
 * echoes it, and watches it: with `expect`, ends the program as soon as every pattern has
 * appeared (exit 0) or when the time is up or the program ends first (exit 1, with the tail of
 * the log). QEMU never exits by itself when the system is done, so the watcher ends it.
 */

import { spawn } from "node:child_process";

export interface ConsoleRun {
  cmd: string;
  args: string[];
  /** Patterns that must all appear (in any order) for success. Empty: run until the program ends. */
  expect: RegExp[];
  /** Pattern that means failure at once (e.g. a kernel panic). */
  fail?: RegExp;
  timeoutSec: number;
  /** Echo the console to our stdout. */
  echo: boolean;
  /** Connect our stdin to the program (interactive runs without expect). */
  interactive?: boolean;
  /** Typed input: each chunk is written to the program's stdin once the console has been quiet
   * for `inputQuietMs` (after it printed something), one chunk at a time. */
  input?: Buffer[];
  inputQuietMs?: number;
  /** With it, a line (not a control chunk such as Ctrl-C) waits also until the console has
   * printed a match of this pattern (the prompt) since the previous chunk: a slow command that
   * is quiet for a while does not get the next lines typed into it. (Not anchored at the end:
   * another process may print a line after the prompt.) */
  inputPrompt?: RegExp;
  env?: NodeJS.ProcessEnv;
}

export interface ConsoleResult {
  ok: boolean;
  /** The time ran out (with `expect` empty, the normal end of a timed run). */
  timedOut: boolean;
  reason: string;
  log: string;
  seconds: number;
}

export function runConsole(opts: ConsoleRun): Promise<ConsoleResult> {
  const start = Date.now();
  return new Promise((resolve) => {
    const child = spawn(opts.cmd, opts.args, {
      stdio: [opts.input ? "pipe" : opts.interactive ? "inherit" : "ignore", "pipe", "pipe"],
      env: opts.env ?? process.env,
    });
    let log = "";
    let done = false;
    let settling = false;
    const pending = new Set(opts.expect);
    let timedOut = false;
    // Typed input: the next chunk goes once the console has said something and then been
    // quiet for a moment (a prompt is waiting), so lines arrive as a person would type them.
    const input = [...(opts.input ?? [])];
    const quiet = opts.inputQuietMs ?? 300;
    let lastOutput = 0;
    let lastSent = 0;
    let sinceSent = "";
    const prompt = opts.inputPrompt ? new RegExp(opts.inputPrompt.source, opts.inputPrompt.flags.replace(/[gy]/g, "")) : undefined;
    const feeder = input.length
      ? setInterval(() => {
          const now = Date.now();
          if (!input.length || !lastOutput || now - lastOutput < quiet || now - lastSent < quiet) return;
          const next = input[0]!;
          const control = next.length === 1 && next[0]! < 0x20 && next[0] !== 0x0a; // a ^X line (inputChunks)
          if (prompt && !control && !prompt.test(sinceSent.replace(/\r/g, ""))) return;
          child.stdin?.write(input.shift()!);
          lastSent = now;
          sinceSent = "";
        }, 50)
      : undefined;
    child.stdin?.on("error", () => {}); // the program may end before it reads everything
    const finish = (ok: boolean, reason: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (feeder) clearInterval(feeder);
      if (child.exitCode === null) child.kill("SIGTERM");
      setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 2000).unref();
      resolve({ ok, timedOut, reason, log, seconds: (Date.now() - start) / 1000 });
    };
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      if (done) return; // QEMU is being ended: what it still prints is not part of the run
      log += text;
      if (feeder) sinceSent = (sinceSent + text).slice(-4096);
      lastOutput = Date.now();
      if (opts.echo) process.stdout.write(text);
      if (opts.fail && opts.fail.test(log)) return finish(false, `console matched failure pattern ${opts.fail}`);
      for (const re of [...pending]) if (re.test(log)) pending.delete(re);
      // Success: let the line that completed the match finish printing (or give up after a
      // moment), so the console does not stop mid-line.
      if (settling && text.includes("\n")) return finish(true, "every expected pattern appeared");
      if (opts.expect.length && pending.size === 0 && !settling) {
        settling = true;
        if (log.endsWith("\n")) return finish(true, "every expected pattern appeared");
        setTimeout(() => finish(true, "every expected pattern appeared"), 300).unref();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("error", (e) => finish(false, `could not start ${opts.cmd}: ${e.message}`));
    child.on("exit", (code, signal) => {
      if (opts.expect.length === 0) return finish(code === 0, `exited with ${signal ?? code}`);
      if (settling) return finish(true, "every expected pattern appeared");
      finish(false, `${opts.cmd} ended (${signal ?? `exit ${code}`}) before ${[...pending].join(", ")} appeared`);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      finish(false, pending.size ? `timed out after ${opts.timeoutSec} s waiting for ${[...pending].join(", ")}` : `stopped after ${opts.timeoutSec} s`);
    }, opts.timeoutSec * 1000);
  });
}

/** The last `lines` lines of a console log, for an error report. */
export function logTail(log: string, lines = 30): string {
  return log.replace(/\r/g, "").split("\n").slice(-lines).join("\n");
}

/**
 * The chunks `--input FILE` types: each line followed by a newline, except a line that is only
 * `^X` (a caret and a letter, or `^@`…`^_`), which is that control byte alone (`^C` interrupts,
 * `^D` ends input on a terminal). A final line without a newline is typed without one.
 */
export function inputChunks(text: string): Buffer[] {
  const lines = text.split("\n");
  const last = lines.pop() ?? "";
  const out = lines.map((l) => (/^\^[@-_a-z]$/.test(l) ? Buffer.from([l.toUpperCase().charCodeAt(1) & 0x1f]) : Buffer.from(`${l}\n`)));
  if (last !== "") out.push(/^\^[@-_a-z]$/.test(last) ? Buffer.from([last.toUpperCase().charCodeAt(1) & 0x1f]) : Buffer.from(last));
  return out;
}
