// Pure planner of `alpenhorn node drain`: for each copy on the node, whether the daemon may
// delete it now under the archive-copy rule (then it is released), or which groups must get a
// copy first (then copy requests are filed), by the daemon's own predicates (isHealthyCopy,
// isArchiveNode, archiveRuleAllowsDelete in src/common/archive-rule.ts).

import { archiveRuleAllowsDelete, isArchiveNode, isHealthyCopy } from "../../common/archive-rule.ts";
import type { DrainCopy, DrainFacts } from "../../index/queries/drain.ts";
import type { StorageNodeRow } from "../../index/rows.ts";

/** What happens to one copy on the node. */
export type CopyFate =
  /** Already released: the daemon deletes it when the rule allows. */
  | { readonly kind: "released" }
  /** Enough archive copies elsewhere: release it now. */
  | { readonly kind: "release" }
  /** Short of archive copies, but pending requests will bring enough: wait for them. */
  | { readonly kind: "waiting" }
  /** Short of archive copies: request copies into `groups` from `source` (`short`: too few groups). */
  | { readonly kind: "copy"; readonly source: number; readonly groups: readonly number[]; readonly short: number }
  /** No healthy copy anywhere to copy from: cannot be drained safely. */
  | { readonly kind: "stuck" };

export interface DrainPlan {
  readonly fates: ReadonlyArray<{ readonly copy: DrainCopy; readonly fate: CopyFate }>;
}

export interface DrainInputs {
  readonly node: StorageNodeRow;
  readonly nodes: ReadonlyMap<number, StorageNodeRow>;
  /** Groups copies may be requested into, in the caller's order (ties of the pending count). */
  readonly targets: readonly number[];
  /** `daemon.archive_copy_count`. */
  readonly required: number;
}

/**
 * The plan over the facts. Each file needing copies gets requests into the target groups that
 * lack it (no healthy or suspect copy there, no pending request there, not the node's own
 * group), fewest pending requests first — counting the requests this plan adds — so a drain
 * spreads its pulls. The source is the node itself when its copy is healthy and it is active,
 * else a healthy copy on an active node, else the node's own healthy copy (the pull waits).
 */
export function planDrain(facts: DrainFacts, inputs: DrainInputs): DrainPlan {
  const { node, nodes, required } = inputs;
  const nodeId = Number(node.id);
  const copiesOf = groupBy(facts.copies, (c) => c.file_id);
  const requestsOf = groupBy(facts.requests, (r) => r.file_id);
  const load = new Map(facts.pendingPerGroup);
  const groupOf = (id: number) => Number(nodes.get(id)?.group_id ?? -1);
  const isArchive = (id: number) => {
    const n = nodes.get(id);
    return n !== undefined && isArchiveNode(n);
  };
  const active = (id: number) => Boolean(Number(nodes.get(id)?.active ?? 0));
  const fates: Array<{ copy: DrainCopy; fate: CopyFate }> = [];
  for (const copy of facts.here) {
    if (copy.wants_file === "N") {
      fates.push({ copy, fate: { kind: "released" } });
      continue;
    }
    const others = (copiesOf.get(copy.file_id) ?? []).filter((c) => c.node_id !== nodeId);
    const archived = others.filter((c) => isHealthyCopy(c) && isArchive(c.node_id)).length;
    if (archiveRuleAllowsDelete(archived, required)) {
      fates.push({ copy, fate: { kind: "release" } });
      continue;
    }
    const pending = requestsOf.get(copy.file_id) ?? [];
    const inFlight = new Set(pending.map((r) => r.group_to_id).filter((g) => inputs.targets.includes(g)));
    let need = required - archived - inFlight.size;
    if (need <= 0) {
      fates.push({ copy, fate: { kind: "waiting" } });
      continue;
    }
    const source =
      isHealthyCopy(copy) && active(nodeId) ? nodeId : (others.find((c) => isHealthyCopy(c) && active(c.node_id))?.node_id ?? (isHealthyCopy(copy) ? nodeId : null));
    if (source === null) {
      fates.push({ copy, fate: { kind: "stuck" } });
      continue;
    }
    const held = new Set(others.filter((c) => c.has_file === "Y" || c.has_file === "M").map((c) => groupOf(c.node_id)));
    const requested = new Set(pending.map((r) => r.group_to_id));
    const free = inputs.targets.filter((g) => g !== Number(node.group_id) && !held.has(g) && !requested.has(g));
    // Fewest pending requests first; the caller's order breaks ties (stable sort).
    const chosen = [...free].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0)).slice(0, need);
    for (const g of chosen) load.set(g, (load.get(g) ?? 0) + 1);
    need -= chosen.length;
    fates.push({ copy, fate: { kind: "copy", source, groups: chosen, short: need } });
  }
  return { fates };
}

function groupBy<T>(items: readonly T[], key: (t: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** Files and bytes of a list of copies. */
export function tally(copies: readonly DrainCopy[]): { files: number; bytes: number } {
  return { files: copies.length, bytes: copies.reduce((n, c) => n + c.size_b, 0) };
}
