// `alpenhorn node drain NODE [--to GROUP]... [--check | --force] [--status [--json]]`: empty a node
// without any file dropping below the archive-copy rule. Copies safe elsewhere are released
// (the daemon deletes them under its usual rule); files short of archive copies get copy
// requests first, and a later run, once the pulls have landed, releases them. The plan is
// _drain-plan.ts (pure), on facts read in four statements (src/index/queries/drain.ts).

import { archiveCopyCount, isArchiveNode } from "../../common/archive-rule.ts";
import { CliError, ExitRequest } from "../../common/errors.ts";
import { prettyBytes } from "../../common/format.ts";
import { utcNow } from "../../common/time.ts";
import type { Db } from "../../index/driver/types.ts";
import { setCopyWantsFile } from "../../index/queries/copies-bulk.ts";
import { drainFacts, type DrainCopy } from "../../index/queries/drain.ts";
import { listGroups } from "../../index/queries/groups.ts";
import { selectNodes } from "../../index/queries/nodes.ts";
import { insertCopyRequests } from "../../index/queries/requests.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import { plural } from "../_shared/bulk-format.ts";
import { checkThenUpdate, notBoth, requiresOther, type RunMode } from "../_shared/confirm.ts";
import type { CommandContext } from "../_shared/context.ts";
import { defineCommand } from "../_shared/define.ts";
import { jsonOption, writeJson } from "../_shared/json-output.ts";
import { checkOption, forceOption } from "../_shared/options.ts";
import { resolveGroup, resolveNode } from "../_shared/resolve.ts";
import { planDrain, tally, type CopyFate, type DrainPlan } from "./_drain-plan.ts";

const copies = (n: number) => `${n} ${n === 1 ? "copy" : "copies"}`;
const files = (t: { files: number; bytes: number }) => `${t.files} ${plural(t.files, "file")} (${prettyBytes(t.bytes)})`;

/** Groups that gain an archive copy from a pull: those with an active archive node. */
function archiveGroups(nodes: readonly StorageNodeRow[]): Set<number> {
  return new Set(nodes.filter((n) => isArchiveNode(n) && Number(n.active)).map((n) => Number(n.group_id)));
}

interface Planned {
  readonly node: StorageNodeRow;
  readonly plan: DrainPlan;
  readonly groupNames: ReadonlyMap<number, string>;
}

async function makePlan(ctx: CommandContext, db: Db, nodeName: string, to: readonly string[]): Promise<Planned> {
  const node = await resolveNode(db, nodeName);
  const all = await selectNodes(db);
  const groups = await listGroups(db);
  const archive = archiveGroups(all);
  let targets: number[];
  if (to.length > 0) {
    targets = [];
    for (const name of to) {
      const g = await resolveGroup(db, name);
      // A copy in a group without an archive node does not count towards the rule.
      if (!archive.has(Number(g.id))) throw new CliError(`Group "${g.name}" has no active archive node: copies there do not count as archive copies.`);
      if (!targets.includes(Number(g.id))) targets.push(Number(g.id));
    }
  } else targets = groups.filter((g) => archive.has(Number(g.id))).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((g) => Number(g.id));
  const facts = await drainFacts(db, Number(node.id));
  const plan = planDrain(facts, { node, nodes: new Map(all.map((n) => [Number(n.id), n])), targets, required: archiveCopyCount(ctx.config) });
  return { node, plan, groupNames: new Map(groups.map((g) => [Number(g.id), g.name])) };
}

function byKind<K extends CopyFate["kind"]>(plan: DrainPlan, kind: K): Array<{ copy: DrainCopy; fate: Extract<CopyFate, { kind: K }> }> {
  return plan.fates.filter((f) => f.fate.kind === kind) as Array<{ copy: DrainCopy; fate: Extract<CopyFate, { kind: K }> }>;
}

async function runDrain(ctx: CommandContext, db: Db, mode: RunMode, nodeName: string, to: readonly string[]): Promise<void> {
  const { node, plan, groupNames } = await makePlan(ctx, db, nodeName, to);
  const echo = (line = "") => ctx.out.echo(line);
  const copy = byKind(plan, "copy");
  const release = byKind(plan, "release");
  const requests = copy.flatMap((c) => c.fate.groups.map((g) => ({ copy: c.copy, group: g, source: c.fate.source })));
  const short = copy.filter((c) => c.fate.short > 0);
  if (mode.firstTime) {
    echo(`Node "${node.name}": ${files(tally(plan.fates.map((f) => f.copy)))} on the node.`);
    const stuck = byKind(plan, "stuck");
    if (stuck.length) echo(`${files(tally(stuck.map((f) => f.copy)))} without a healthy copy anywhere: cannot be drained safely.`);
    if (short.length) echo(`${files(tally(short.map((f) => f.copy)))} short of archive groups to copy to: cannot reach the archive-copy rule.`);
    const waiting = byKind(plan, "waiting");
    if (waiting.length) echo(`${files(tally(waiting.map((f) => f.copy)))} waiting for pending copies.`);
    const released = byKind(plan, "released");
    if (released.length) echo(`${files(tally(released.map((f) => f.copy)))} released, awaiting deletion.`);
  }
  if (requests.length === 0 && release.length === 0) {
    echo("Nothing to do.");
    throw new ExitRequest(0);
  }
  if (requests.length) {
    echo(`${mode.update ? "Requesting" : "Would request"} ${copies(requests.length)} first:`);
    const perGroup = new Map<number, DrainCopy[]>();
    for (const r of requests) {
      const list = perGroup.get(r.group);
      if (list) list.push(r.copy);
      else perGroup.set(r.group, [r.copy]);
    }
    for (const [g, list] of [...perGroup].sort((a, b) => (groupNames.get(a[0])! < groupNames.get(b[0])! ? -1 : 1)))
      echo(`  ${files(tally(list))} to group ${groupNames.get(g)}`);
  }
  if (release.length) echo(`${mode.update ? "Releasing" : "Would release"} ${files(tally(release.map((f) => f.copy)))}: enough archive copies elsewhere.`);
  if (!mode.update) return;
  // Requests in batches of one source and one group, as the sync commands file them.
  const batches = new Map<string, { source: number; group: number; fileIds: number[] }>();
  for (const r of requests) {
    const key = `${r.source}:${r.group}`;
    let b = batches.get(key);
    if (!b) batches.set(key, (b = { source: r.source, group: r.group, fileIds: [] }));
    b.fileIds.push(r.copy.file_id);
  }
  const now = utcNow();
  for (const b of batches.values()) await insertCopyRequests(db, b.fileIds, b.source, b.group, now);
  const releasedCount = await setCopyWantsFile(db, release.map((f) => f.copy.id), "N");
  echo(`Requested ${copies(requests.length)}; released ${releasedCount} ${plural(releasedCount, "file")}.`);
}

/** Each fate's files and bytes, every fate present (zeros too) so scripts need not guess. */
function statusJson(node: StorageNodeRow, plan: DrainPlan) {
  const of = (kind: CopyFate["kind"]) => tally(plan.fates.filter((f) => f.fate.kind === kind).map((f) => f.copy));
  return {
    node: node.name,
    ...tally(plan.fates.map((f) => f.copy)),
    released: of("released"),
    waiting: of("waiting"),
    release: of("release"),
    copy: of("copy"),
    stuck: of("stuck"),
  };
}

async function showStatus(ctx: CommandContext, nodeName: string, to: readonly string[], json: boolean): Promise<void> {
  const { node, plan } = await makePlan(ctx, ctx.db, nodeName, to);
  if (json) return writeJson(ctx, statusJson(node, plan));
  if (plan.fates.length === 0) {
    ctx.out.echo(`Node "${node.name}" is drained: no files left on it.`);
    return;
  }
  ctx.out.echo(`Node "${node.name}": ${files(tally(plan.fates.map((f) => f.copy)))} still on the node:`);
  const lines: Array<[CopyFate["kind"], string]> = [
    ["released", "released, awaiting deletion by the daemon"],
    ["waiting", "waiting for pending copies to land"],
    ["release", "safe elsewhere, to release (run node drain again)"],
    ["copy", "needing copies first (run node drain again)"],
    ["stuck", "without a healthy copy anywhere: cannot be drained safely"],
  ];
  for (const [kind, words] of lines) {
    const list = plan.fates.filter((f) => f.fate.kind === kind).map((f) => f.copy);
    if (list.length) ctx.out.echo(`  ${files(tally(list))} ${words}`);
  }
}

export default defineCommand({
  meta: { name: "drain", description: "Empty a Storage Node safely." },
  help: `Empty a Storage Node safely.

Plans what it takes to remove every file from NODE without any file dropping below the archive-copy rule (a copy is only deleted while at least "daemon.archive_copy_count", by default 2, healthy copies remain on other archive nodes), and carries out its first step:

* files with enough healthy archive copies elsewhere are released from NODE, so the daemon deletes them as it does any released file;

* files with too few are requested to be copied first, into the groups given with --to (which may be given more than once), or, by default, into the groups with an active archive node that lack the file, those with the fewest pending requests first.

Once those copies have been made, run the command again to release the rest.  Use --status to see how far the drain is.

Files without a healthy copy anywhere cannot be drained safely and are left as they are.

By default the plan is shown and confirmation asked before anything is changed.`,
  options: {
    check: checkOption("requested or released"),
    force: forceOption("update"),
    status: { names: ["--status"], kind: "flag", help: "Only show how far the drain of NODE is." },
    json: jsonOption("the --status report"),
    to: {
      names: ["--to"],
      kind: "value",
      multiple: true,
      metavar: "GROUP",
      help: "May be specified multiple times.  Copy files needing another archive copy to group(s) GROUP.",
    },
  },
  args: [{ name: "NODE" }],
  async run(ctx, a) {
    notBoth(a.check, "check", a.force, "force");
    notBoth(a.status, "status", a.check, "check");
    notBoth(a.status, "status", a.force, "force");
    // The plan and its prompt stay text: JSON is for the report that only reads.
    requiresOther(a.json, "json", a.status, "status");
    if (a.status) return showStatus(ctx, a.node, a.to, a.json);
    await checkThenUpdate(ctx, { check: a.check, force: a.force }, (mode) => ctx.db.transaction((tx) => runDrain(ctx, tx, mode, a.node, a.to)));
  },
});
