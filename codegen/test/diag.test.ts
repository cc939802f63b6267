// SPDX-License-Identifier: BSD-2-Clause
/** Diagnostics: formatting, ordering and "did you mean". */

import { describe, expect, it } from "vitest";
import { DiagnosticBag, didYouMean } from "../src/diag/diagnostics.ts";

describe("didYouMean", () => {
  it("suggests for a swapped, missing, extra or wrong letter", () => {
    const names = ["echo", "serial", "blockdev", "pathmgr"];
    expect(didYouMean("ehco", names)).toBe("echo");
    expect(didYouMean("seral", names)).toBe("serial");
    expect(didYouMean("blockdevv", names)).toBe("blockdev");
    expect(didYouMean("pathmgx", names)).toBe("pathmgr");
  });

  it("stays quiet when nothing is close", () => {
    expect(didYouMean("network", ["echo", "serial"])).toBeUndefined();
    expect(didYouMean("ab", ["echo"])).toBeUndefined();
  });
});

describe("DiagnosticBag", () => {
  it("formats path:line:col: severity: message with a hint line, sorted by position", () => {
    const bag = new DiagnosticBag();
    bag.error({ file: "b.idl", line: 1, col: 1 }, "second");
    bag.error({ file: "a.idl", line: 3, col: 7 }, "first", "do this");
    bag.warning({ file: "a.idl", line: 9, col: 2 }, "third");
    expect(bag.format()).toBe("a.idl:3:7: error: first\nhint: do this\na.idl:9:2: warning: third\nb.idl:1:1: error: second");
    expect(bag.hasErrors).toBe(true);
    expect(bag.errors.length).toBe(2);
  });
});
