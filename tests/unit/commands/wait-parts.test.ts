// The pure parts of `--wait`: DUR parsing, verdicts per kind of filed row, the tally and the
// progress line's text.

import { describe, expect, test } from "bun:test";
import { formatDuration, parseDuration } from "../../../src/commands/_shared/duration.ts";
import { progressLine, progressText } from "../../../src/commands/_shared/progress.ts";
import { checkVerdict, deletionVerdict, importVerdict, transferVerdict, WaitTally } from "../../../src/commands/_shared/wait-outcome.ts";

describe("DUR", () => {
  test("seconds, minutes, hours; anything else refused", () => {
    expect(parseDuration("90")).toBe(90);
    expect(parseDuration("90s")).toBe(90);
    expect(parseDuration("15m")).toBe(900);
    expect(parseDuration("2h")).toBe(7200);
    for (const bad of ["", "0", "0s", "1.5m", "15 m", "m", "-5", "2d", "1e3"]) expect(parseDuration(bad)).toBeNull();
  });
  test("printed as 42s, 3m05s, 1h02m03s", () => {
    expect(formatDuration(42.4)).toBe("42s");
    expect(formatDuration(185)).toBe("3m05s");
    expect(formatDuration(3723)).toBe("1h02m03s");
  });
});

describe("verdicts", () => {
  test("each kind's pending, done and bad ends", () => {
    expect(importVerdict({ completed: 0 })).toBe("pending");
    expect(importVerdict({ completed: 1 })).toBe("done");
    expect(importVerdict(undefined)).toBe("vanished");
    expect(transferVerdict({ completed: 0, cancelled: 0 })).toBe("pending");
    expect(transferVerdict({ completed: 1, cancelled: 0 })).toBe("done");
    expect(transferVerdict({ completed: 0, cancelled: 1 })).toBe("cancelled");
    expect(checkVerdict({ has_file: "M" })).toBe("pending");
    expect(checkVerdict({ has_file: "Y" })).toBe("done");
    expect(checkVerdict({ has_file: "X" })).toBe("corrupt");
    expect(checkVerdict({ has_file: "N" })).toBe("missing");
    expect(deletionVerdict({ has_file: "Y", wants_file: "N" })).toBe("pending");
    expect(deletionVerdict({ has_file: "M", wants_file: "N" })).toBe("pending");
    expect(deletionVerdict({ has_file: "N", wants_file: "N" })).toBe("done");
    expect(deletionVerdict({ has_file: "Y", wants_file: "Y" })).toBe("cancelled");
  });
  test("the tally keeps the first final verdict and counts bytes only when every size is known", () => {
    const t = new WaitTally([1, 2, 3]);
    t.apply(1, "done", 100);
    t.apply(2, "cancelled", 50);
    t.apply(1, "cancelled", 100);
    expect(t.pendingIds()).toEqual([3]);
    expect(t.counts()).toEqual({ total: 3, finished: 2, failed: 1, pending: 1, bytesTotal: null, bytesFinished: null });
    t.apply(3, "pending", 10);
    // A pending row's size counts towards the total at once, so the progress line has it.
    expect(t.counts()).toMatchObject({ pending: 1, bytesTotal: 160, bytesFinished: 150 });
    t.apply(3, "done", 10);
    expect(t.counts()).toEqual({ total: 3, finished: 3, failed: 1, pending: 0, bytesTotal: 160, bytesFinished: 160 });
    expect(t.unfinished()).toEqual([[2, "cancelled"]]);
  });
});

describe("progress line", () => {
  test("text with bytes, rate and ETA; by count when there are no sizes", () => {
    expect(progressText({ finished: 1, total: 4, noun: "transfers", bytesFinished: 2048, bytesTotal: 8192, elapsedS: 2 })).toBe(
      "1/4 transfers, 2.000 kiB of 8.000 kiB, 1.000 kiB/s, 2s elapsed, ETA 6s",
    );
    expect(progressText({ finished: 0, total: 1, noun: "import requests", bytesFinished: null, bytesTotal: null, elapsedS: 3 })).toBe(
      "0/1 import requests, 3s elapsed, ETA unknown",
    );
    expect(progressText({ finished: 2, total: 2, noun: "checks", bytesFinished: 10, bytesTotal: 10, elapsedS: 1 })).toBe(
      "2/2 checks, 10 B of 10 B, 10 B/s, 1s elapsed, done",
    );
  });
  test("drawn with \\r only when enabled, ended by one newline", () => {
    let out = "";
    const facts = { finished: 0, total: 1, noun: "checks", bytesFinished: null, bytesTotal: null, elapsedS: 0 };
    const off = progressLine(false, (t) => (out += t));
    off.draw(facts);
    off.finish();
    expect(out).toBe("");
    const on = progressLine(true, (t) => (out += t));
    on.draw(facts);
    on.draw({ ...facts, finished: 1 });
    on.finish();
    expect(out).toBe("\r\x1b[K0/1 checks, 0s elapsed, ETA unknown\r\x1b[K1/1 checks, 0s elapsed, done\n");
  });
});
