// Pure part of `alpenhorn file explain`: from facts read from the index, what the daemon would
// do about each copy and each pending copy request of one file at its next update, or why it
// waits. Every decision is the daemon's own predicate: judgeRequest and judgeRoom (the pull
// checks, src/engine/pull/rules.ts), upForDeletion, underMinimumSpace, isHealthyCopy,
// isArchiveNode and archiveRuleAllowsDelete (the deletion rule, src/common/archive-rule.ts),
// and groupStateOf (a file's state in a group, src/index/queries/copies.ts).

import { archiveRuleAllowsDelete, isArchiveNode, isHealthyCopy, underMinimumSpace, upForDeletion } from "../../common/archive-rule.ts";
import { parseUtc } from "../../common/time.ts";
import { groupStateOf } from "../../index/queries/copies.ts";
import type { HasFile, StorageGroupRow, StorageNodeRow, WantsFile } from "../../index/rows.ts";
import { judgeRequest, judgeRoom, roomRefusalText } from "../../engine/pull/rules.ts";

export interface CopyFact {
  readonly id: number;
  readonly node_id: number;
  readonly has_file: HasFile;
  readonly wants_file: WantsFile;
}

export interface RequestFact {
  readonly id: number;
  readonly group_to_id: number;
  readonly node_from_id: number;
}

export interface ExplainFacts {
  readonly copies: readonly CopyFact[];
  /** Pending copy requests of the file, in id order. */
  readonly requests: readonly RequestFact[];
  readonly nodes: ReadonlyMap<number, StorageNodeRow>;
  readonly groups: ReadonlyMap<number, StorageGroupRow>;
  /** Request id → does the source's NodeRemote call the file ready (HSM: staged)? */
  readonly sourceReady: ReadonlyMap<number, boolean>;
  /** Node id → bytes stored (for nodes with a positive max_total_gb). */
  readonly totalBytes: ReadonlyMap<number, number>;
  /** `daemon.archive_copy_count`. */
  readonly required: number;
  readonly now: Date;
  /** A node whose avail_gb_last_checked is older than this many seconds has no live daemon. */
  readonly staleSeconds: number;
}

/** What the daemon does next: `acts` (at its next update) or waits / cancels, and why. */
export interface Verdict {
  /** A stable key for scripts. */
  readonly code: string;
  /** Whether the daemon acts on it at its next update (including cancelling a request). */
  readonly acts: boolean;
  readonly text: string;
}

export interface CopyExplanation {
  readonly node: string;
  readonly has_file: HasFile;
  readonly wants_file: WantsFile;
  readonly verdict: Verdict | null;
}

export interface RequestExplanation {
  readonly id: number;
  readonly from: string;
  readonly to_group: string;
  readonly verdict: Verdict;
}

/** Why no daemon will act on a node now, or null when one is updating it. */
export function nodeIdle(node: StorageNodeRow, now: Date, staleSeconds: number): Verdict | null {
  if (!Number(node.active)) return { code: "node-inactive", acts: false, text: `waits: node ${node.name} is not active` };
  const checked = parseUtc(node.avail_gb_last_checked);
  if (checked === null) return { code: "no-daemon", acts: false, text: `waits: no daemon has ever updated node ${node.name}` };
  const age = (now.getTime() - checked.getTime()) / 1000;
  if (age > staleSeconds)
    return { code: "no-daemon", acts: false, text: `waits: no daemon has updated node ${node.name} since ${node.avail_gb_last_checked} (more than ${staleSeconds} s ago)` };
  return null;
}

const nameOf = (f: ExplainFacts, id: number) => f.nodes.get(id)?.name ?? `#${id}`;

/** What the node update does with a copy: its check, its deletion, or nothing. */
export function explainCopy(f: ExplainFacts, copy: CopyFact): Verdict | null {
  const node = f.nodes.get(copy.node_id);
  if (!node || copy.has_file === "N") return null;
  const name = node.name;
  let action: Verdict | null = null;
  if (upForDeletion(copy, underMinimumSpace(node))) {
    if (f.requests.some((r) => r.node_from_id === copy.node_id))
      action = { code: "transfer-pending", acts: false, text: `waits: delete skipped while a transfer from ${name} is pending` };
    else {
      const others = f.copies.filter((c) => c.id !== copy.id && isHealthyCopy(c) && isArchiveCopy(f, c)).length;
      action = archiveRuleAllowsDelete(others, f.required)
        ? { code: "delete", acts: true, text: `deleted at the next update of ${name}` }
        : { code: "too-few-archive-copies", acts: false, text: `waits: too few archive copies (${others}) to delete; ${f.required} needed elsewhere` };
    }
  } else if (copy.has_file === "M") action = { code: "check", acts: true, text: `checked at the next update of ${name}` };
  if (action === null) return null;
  // A node no daemon is updating does nothing, whatever it would do.
  return (action.acts && nodeIdle(node, f.now, f.staleSeconds)) || action;
}

function isArchiveCopy(f: ExplainFacts, c: CopyFact): boolean {
  const n = f.nodes.get(c.node_id);
  return n !== undefined && isArchiveNode(n);
}

/** What the group update of the request's destination does with it. */
export function explainRequest(f: ExplainFacts, req: RequestFact): Verdict {
  // The group update takes each file's first pending request into the group, in id order.
  const first = f.requests.find((r) => r.group_to_id === req.group_to_id)!;
  if (first.id !== req.id) return { code: "behind-request", acts: false, text: `waits: request #${first.id} of the file into the same group goes first` };
  const group = f.groups.get(req.group_to_id);
  const groupName = group?.name ?? `#${req.group_to_id}`;
  const members = [...f.nodes.values()].filter((n) => Number(n.group_id) === req.group_to_id);
  const inGroup = groupStateOf(
    f.copies
      .filter((c) => members.some((m) => Number(m.id) === c.node_id))
      .map((c) => ({ has_file: c.has_file, node_id: c.node_id, node_name: nameOf(f, c.node_id) })),
  );
  const active = members.filter((m) => Number(m.active));
  const source = f.nodes.get(req.node_from_id);
  const sourceState = f.copies.find((c) => c.node_id === req.node_from_id)?.has_file ?? "N";
  const verdict = judgeRequest(inGroup.state, source, sourceState);
  const src = nameOf(f, req.node_from_id);
  let result: Verdict;
  if (!verdict.go) {
    result = {
      duplicate: { code: "already-in-group", acts: true, text: `cancelled: already present in group ${groupName} (on ${inGroup.node?.name})` },
      "group-needs-check": { code: "group-needs-check", acts: false, text: `waits: the copy in group ${groupName} (on ${inGroup.node?.name}) needs a check` },
      "source-inactive": { code: "source-inactive", acts: false, text: `waits: source node ${src} is not active` },
      missing: { code: "source-missing", acts: true, text: `cancelled: not available on source node ${src}` },
      "source-needs-check": { code: "source-needs-check", acts: false, text: `waits: the source copy on ${src} needs a check` },
    }[verdict.why];
  } else if (!f.sourceReady.get(req.id)) result = { code: "not-ready", acts: false, text: `waits: not ready on source node ${src} (being staged)` };
  else result = explainDestination(f, active, groupName);
  // The group's update runs on the daemon of one of its active nodes: with none, nothing happens.
  if (result.acts) {
    if (active.length === 0) return noDestination(groupName);
    const idle = active.map((m) => nodeIdle(m, f.now, f.staleSeconds));
    if (idle.every((v) => v !== null)) return idle[0]!;
  }
  return result;
}

const noDestination = (groupName: string): Verdict => ({ code: "no-destination", acts: false, text: `waits: group ${groupName} has no active node` });

/** Room on the group's active members: the first with room takes the pull. */
function explainDestination(f: ExplainFacts, members: readonly StorageNodeRow[], groupName: string): Verdict {
  if (members.length === 0) return noDestination(groupName);
  let refusal: Verdict | null = null;
  for (const m of members) {
    const room = judgeRoom(m, () => f.totalBytes.get(Number(m.id)) ?? 0);
    if (room.ok) {
      const idle = nodeIdle(m, f.now, f.staleSeconds);
      if (idle) {
        refusal ??= idle;
        continue;
      }
      return { code: "pull", acts: true, text: `pulled at the next update of group ${groupName} (onto ${m.name})` };
    }
    refusal ??= { code: room.why === "min-free" ? "destination-min-free" : "destination-full", acts: false, text: `waits: destination ${m.name}: ${roomRefusalText(room)}` };
  }
  return refusal!;
}
