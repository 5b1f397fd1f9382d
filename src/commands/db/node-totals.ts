// `alpenhorn db node-totals [--enable | --disable | --check]`: the optional per-node totals that
// make `node stats` answer from a few rows on big indexes (src/index/node-totals.ts).

import { CliError, UsageError } from "../../common/errors.ts";
import { dropNodeTotals, enableNodeTotals, nodeTotalsDrift, nodeTotalsState, type NodeTotalsRow } from "../../index/node-totals.ts";
import { defineCommand } from "../_shared/define.ts";

const STATE_LINE = {
  on: "Node totals are on.",
  off: "Node totals are off.",
  partial: "Node totals are half made (their table or some of their triggers are missing): use --enable to rebuild them or --disable to remove them.",
} as const;

const fmt = (r: NodeTotalsRow | null) => (r ? `${r.copies} copies, ${r.sized} sized, ${r.bytes} bytes` : "nothing");

export default defineCommand({
  meta: { name: "node-totals", description: "Keep per-node copy totals for fast stats." },
  help: `Keep per-node copy totals for fast stats.

With --enable, adds a table of copy counts and file sizes per node and copy state to the Data Index, with triggers that keep it current whoever writes the index, and fills it from the copies; "node stats", "node show --stats" and "group show" then read it instead of counting every copy.  Each write of a copy costs a few microseconds more.  --disable removes the table and triggers; --check recounts the copies and reports any difference.  Without an option, says whether the totals are on.`,
  options: {
    enable: { names: ["--enable"], kind: "flag", help: "Create (or rebuild) the totals and their triggers." },
    disable: { names: ["--disable"], kind: "flag", help: "Remove the totals and their triggers." },
    check: { names: ["--check"], kind: "flag", help: "Compare the totals with a recount of the copies; exit 1 if they differ." },
  },
  args: [],
  async run(ctx, a) {
    const chosen = [a.enable && "--enable", a.disable && "--disable", a.check && "--check"].filter(Boolean);
    if (chosen.length > 1) throw new UsageError(`${chosen.join(" and ")} cannot be used together`);
    const db = ctx.db;
    if (a.enable) {
      await enableNodeTotals(db);
      ctx.out.print("Node totals enabled.");
      return;
    }
    if (a.disable) {
      await dropNodeTotals(db);
      ctx.out.print("Node totals disabled.");
      return;
    }
    const state = await nodeTotalsState(db);
    if (!a.check) {
      ctx.out.print(STATE_LINE[state]);
      if (state === "partial") throw new CliError("Node totals are incomplete.");
      return;
    }
    if (state !== "on") throw new CliError(STATE_LINE[state]);
    const drift = await nodeTotalsDrift(db);
    if (drift.length === 0) {
      ctx.out.print("Node totals match the copies.");
      return;
    }
    for (const d of drift) {
      const k = d.stored ?? d.counted!;
      ctx.out.print(`Node id ${k.node_id}, has_file ${k.has_file}, wants_file ${k.wants_file}: stored ${fmt(d.stored)}; counted ${fmt(d.counted)}`);
    }
    throw new CliError(`Node totals differ from the copies in ${drift.length} place${drift.length === 1 ? "" : "s"}: use --enable to rebuild them.`);
  },
});
