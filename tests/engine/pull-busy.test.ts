// No finished pull is lost to contention: the completion's writes (the copy row and the
// request in one transaction, then the auto-actions) are retried when the index answers
// `database is locked` (SQLite after its busy timeout) or a MySQL deadlock, on a real index
// whose transactions fail busy a few times first.

import { expect, test } from "bun:test";
import { IndexError } from "../../src/common/errors.ts";
import { Metrics } from "../../src/engine/metrics.ts";
import { finishPull } from "../../src/engine/pull/finish.ts";
import { pullFacts } from "../../src/index/queries/pull-facts.ts";
import type { Driver } from "../../src/index/driver/types.ts";
import { demoIndex } from "./_daemon.ts";
import { copyOn, request, requestRow, twoNodes } from "./_pull.ts";

/** `db` whose first `failures` transactions fail as busy before running. */
function flaky(db: Driver, failures: number): { db: Driver; attempts: () => number } {
  let attempts = 0;
  const wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "transaction")
        return async (fn: (tx: Driver) => Promise<unknown>) => {
          attempts++;
          if (attempts <= failures) throw new IndexError("database is locked", "busy");
          return target.transaction(fn as never);
        };
      const v = Reflect.get(target, prop, receiver);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
  return { db: wrapped, attempts: () => attempts };
}

test("the completion transaction is retried through busy errors and the pull is booked once", async () => {
  await using idx = await demoIndex("sqlite");
  const { src, dst } = await twoNodes(idx, { a: "a" }, { source: "A", dest: "A" });
  const id = await request(idx, src.reg.a!.fileId, src.node.id, dst.group.id);
  const [req] = (await pullFacts(idx.db, dst.group.id)).pending;
  const { db, attempts } = flaky(idx.db, 3);
  const lines: string[] = [];
  const log = { debug: () => undefined, info: (m: string) => lines.push(m), warning: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
  const ctx = { db, log, metrics: new Metrics("test") };
  const node = { ctx, row: dst.node, name: dst.node.name } as never;
  await finishPull(node, req!, { id: dst.group.id, name: dst.group.name }, src.node, { result: "done", used: 4096 }, Date.now() - 100);
  // Three busy failures, then the one transaction of the completion and its auto-actions.
  expect(attempts()).toBe(4);
  expect(lines.some((l) => l.startsWith("Pull of 2025/02/21/a complete."))).toBe(true);
  expect(await copyOn(idx, src.reg.a!.fileId, dst.node.id)).toMatchObject({ has_file: "Y", size_b: 4096 });
  expect(await requestRow(idx, id)).toMatchObject({ completed: 1, cancelled: 0 });
  expect(ctx.metrics.value("requests_completed", { type: "copy", result: "success", node: "demo_storage1", group: "demo_storage2" })).toBe(1);
}, 60_000);
