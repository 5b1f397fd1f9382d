// `alpenhorn status` (pure): the facts read from the index turned into one report (the shape
// `--json` prints) and the text screen an operator reads.

import { prettyBytes } from "../../common/format.ts";
import { parseUtc } from "../../common/time.ts";
import type { CopyTallyRow, StatusNodeRow } from "../../index/queries/status.ts";
import { formatDuration } from "./duration.ts";

const GIB = 2 ** 30;

/**
 * A daemon records every available node's free space each update; it is alive when one of its
 * host's nodes was checked within this many update intervals. The daemon stamps the check up
 * to 10 s in the future (jitter for its skew check), so 10 s more are allowed.
 */
export const ALIVE_INTERVALS = 3;
const STAMP_JITTER_S = 10;

export interface StatusFacts {
  readonly nodes: readonly StatusNodeRow[];
  readonly tallies: readonly CopyTallyRow[];
  readonly imports: ReadonlyArray<{ node_id: number; requests: number }>;
  readonly transfers: ReadonlyArray<{ group_name: string; node_name: string; requests: number; bytes: number | string | null }>;
  /** `node risk`'s only_here class over every node: files whose only healthy copy is on one node. */
  readonly risk: { readonly files: number; readonly bytes: number };
}

export interface Amount {
  count: number;
  bytes: number;
}

export interface NodeStatus {
  name: string;
  group: string;
  active: boolean;
  /** Seconds since the daemon last recorded this node's free space; null: never. */
  checked_ago_s: number | null;
  avail_gb: number | null;
  min_avail_gb: number;
  max_total_gb: number | null;
  /** Bytes of the copies present or suspect on the node (what max_total_gb limits). */
  stored_bytes: number;
}

export interface HostStatus {
  /** null for nodes without a host. */
  host: string | null;
  /** alive: a node checked recently; silent: active nodes but none checked recently; idle: no active node. */
  daemon: "alive" | "silent" | "idle";
  last_seen_ago_s: number | null;
  nodes: NodeStatus[];
}

export interface StatusReport {
  update_interval_s: number;
  alive_within_s: number;
  hosts: HostStatus[];
  pending: {
    imports: Array<{ node: string; requests: number }>;
    transfers: Array<{ group: string; from_node: string; requests: number; bytes: number }>;
    cleaning: Array<{ node: string; released: Amount; marked: Amount }>;
  };
  space: Array<{ node: string; problem: "below-min-free" | "over-max"; gb: number; limit_gb: number }>;
  copies: { suspect: Array<{ node: string } & Amount>; corrupt: Array<{ node: string } & Amount> };
  risk: { only_here: { files: number; bytes: number } };
}

const num = (v: number | string | null | undefined) => Number(v ?? 0);

function add(a: Amount | undefined, count: number, bytes: number): Amount {
  return { count: (a?.count ?? 0) + count, bytes: (a?.bytes ?? 0) + bytes };
}

export function buildStatus(facts: StatusFacts, nowMs: number, update_interval_s: number): StatusReport {
  const alive_within_s = ALIVE_INTERVALS * update_interval_s + STAMP_JITTER_S;
  const nodeName = new Map(facts.nodes.map((n) => [Number(n.id), n.name]));

  // Per node: stored bytes, suspect, corrupt, released and marked copies.
  const stored = new Map<number, number>();
  const suspect = new Map<number, Amount>();
  const corrupt = new Map<number, Amount>();
  const released = new Map<number, Amount>();
  const marked = new Map<number, Amount>();
  for (const t of facts.tallies) {
    const id = Number(t.node_id);
    const count = num(t.copies);
    const bytes = num(t.bytes);
    if (t.has_file === "Y" || t.has_file === "M") stored.set(id, (stored.get(id) ?? 0) + bytes);
    if (t.has_file === "M") suspect.set(id, add(suspect.get(id), count, bytes));
    if (t.has_file === "X") corrupt.set(id, add(corrupt.get(id), count, bytes));
    if (t.wants_file === "N") released.set(id, add(released.get(id), count, bytes));
    if (t.wants_file === "M") marked.set(id, add(marked.get(id), count, bytes));
  }

  const hosts = new Map<string | null, HostStatus>();
  const space: StatusReport["space"] = [];
  for (const n of facts.nodes) {
    const checked = parseUtc(n.avail_gb_last_checked);
    const node: NodeStatus = {
      name: n.name,
      group: n.group_name,
      active: Boolean(Number(n.active)),
      checked_ago_s: checked ? Math.max(0, (nowMs - checked.getTime()) / 1000) : null,
      avail_gb: n.avail_gb === null ? null : Number(n.avail_gb),
      min_avail_gb: num(n.min_avail_gb),
      max_total_gb: n.max_total_gb === null ? null : Number(n.max_total_gb),
      stored_bytes: stored.get(Number(n.id)) ?? 0,
    };
    const host = hosts.get(n.host) ?? { host: n.host, daemon: "idle", last_seen_ago_s: null, nodes: [] };
    host.nodes.push(node);
    if (node.active && node.checked_ago_s !== null && (host.last_seen_ago_s === null || node.checked_ago_s < host.last_seen_ago_s)) host.last_seen_ago_s = node.checked_ago_s;
    hosts.set(n.host, host);
    // The same limits the daemon applies before a pull (min_avail_gb, max_total_gb > 0).
    if (node.avail_gb !== null && node.avail_gb < node.min_avail_gb) space.push({ node: n.name, problem: "below-min-free", gb: node.avail_gb, limit_gb: node.min_avail_gb });
    if (node.max_total_gb !== null && node.max_total_gb > 0 && node.stored_bytes / GIB >= node.max_total_gb)
      space.push({ node: n.name, problem: "over-max", gb: node.stored_bytes / GIB, limit_gb: node.max_total_gb });
  }
  for (const h of hosts.values()) {
    if (!h.nodes.some((n) => n.active)) h.daemon = "idle";
    else h.daemon = h.last_seen_ago_s !== null && h.last_seen_ago_s <= alive_within_s ? "alive" : "silent";
  }

  const byNode = (m: Map<number, Amount>) =>
    [...m].map(([id, a]) => ({ node: nodeName.get(id) ?? `#${id}`, ...a })).sort((x, y) => (x.node < y.node ? -1 : x.node > y.node ? 1 : 0));
  const cleaningIds = new Set([...released.keys(), ...marked.keys()]);
  return {
    update_interval_s,
    alive_within_s,
    hosts: [...hosts.values()].sort((a, b) => (a.host === null ? 1 : b.host === null ? -1 : a.host < b.host ? -1 : a.host > b.host ? 1 : 0)),
    pending: {
      imports: facts.imports
        .map((i) => ({ node: nodeName.get(Number(i.node_id)) ?? `#${i.node_id}`, requests: num(i.requests) }))
        .sort((x, y) => (x.node < y.node ? -1 : 1)),
      transfers: facts.transfers.map((t) => ({ group: t.group_name, from_node: t.node_name, requests: num(t.requests), bytes: num(t.bytes) })),
      cleaning: [...cleaningIds]
        .map((id) => ({ node: nodeName.get(id) ?? `#${id}`, released: released.get(id) ?? { count: 0, bytes: 0 }, marked: marked.get(id) ?? { count: 0, bytes: 0 } }))
        .sort((x, y) => (x.node < y.node ? -1 : 1)),
    },
    space,
    copies: { suspect: byNode(suspect), corrupt: byNode(corrupt) },
    risk: { only_here: { files: facts.risk.files, bytes: facts.risk.bytes } },
  };
}

const files = (n: number) => `${n} ${n === 1 ? "file" : "files"}`;
const amount = (a: Amount) => `${files(a.count)} (${prettyBytes(a.bytes)})`;
const ago = (s: number | null) => (s === null ? "never" : `${formatDuration(s)} ago`);

/** The screen, section by section; `none` lines keep every section present so the eye finds it. */
export function statusText(r: StatusReport): string[] {
  const out: string[] = ["Hosts:"];
  for (const h of r.hosts) {
    const word =
      h.daemon === "alive" ? `daemon alive (last update ${ago(h.last_seen_ago_s)})` : h.daemon === "silent" ? `NO DAEMON (last update ${ago(h.last_seen_ago_s)})` : "no active nodes";
    out.push(`  ${h.host ?? "(no host)"}: ${word}`);
    for (const n of h.nodes) {
      const notes = [`group ${n.group}`];
      if (!n.active) notes.push("inactive");
      else notes.push(`checked ${ago(n.checked_ago_s)}`);
      if (n.avail_gb !== null) notes.push(`${prettyBytes(Math.round(n.avail_gb * GIB))} free`);
      out.push(`    ${n.name} (${notes.join(", ")})`);
    }
  }
  if (!r.hosts.length) out.push("  no nodes");

  out.push("", "Pending work:");
  const before = out.length;
  for (const i of r.pending.imports) out.push(`  import: Node "${i.node}": ${i.requests} ${i.requests === 1 ? "request" : "requests"}`);
  for (const t of r.pending.transfers) out.push(`  copy: Node "${t.from_node}" to Group "${t.group}": ${amount({ count: t.requests, bytes: t.bytes })}`);
  for (const c of r.pending.cleaning) {
    const parts = [];
    if (c.released.count) parts.push(`${amount(c.released)} released`);
    if (c.marked.count) parts.push(`${amount(c.marked)} marked`);
    out.push(`  clean: Node "${c.node}": ${parts.join(", ")}`);
  }
  if (out.length === before) out.push("  none");

  out.push("", "Space:");
  for (const s of r.space)
    out.push(
      s.problem === "below-min-free"
        ? `  Node "${s.node}": below minimum free space (${s.gb.toFixed(2)} GiB < ${s.limit_gb.toFixed(2)} GiB)`
        : `  Node "${s.node}": over maximum size (${s.gb.toFixed(2)} GiB >= ${s.limit_gb.toFixed(2)} GiB)`,
    );
  if (!r.space.length) out.push("  every node within its limits");

  out.push("", "Copies:");
  for (const s of r.copies.suspect) out.push(`  suspect: Node "${s.node}": ${amount(s)}`);
  for (const c of r.copies.corrupt) out.push(`  corrupt: Node "${c.node}": ${amount(c)}`);
  if (!r.copies.suspect.length && !r.copies.corrupt.length) out.push("  none suspect or corrupt");

  out.push("", "Risk:");
  const k = r.risk.only_here.files;
  out.push(k ? `  ${files(k)} (${prettyBytes(r.risk.only_here.bytes)}) with a single healthy copy` : "  no file with a single healthy copy");
  return out;
}
