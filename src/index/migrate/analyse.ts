// What a migration between the two table layouts would lose or have to invent, case by case,
// by node (or host) name. "Refused" cases are undecidable: the migration does not start while
// one remains. "Lossy" cases go through, but `db migrate --check` lists them first.

import type { Db } from "../driver/types.ts";
import type { LayoutName } from "../layout/types.ts";

export interface Finding {
  /** The node or host the case is about, as the line names it. */
  readonly subject: string;
  readonly text: string;
}

export interface MigrationFindings {
  readonly refused: Finding[];
  readonly lossy: Finding[];
}

const TRANSPORT_CLASS = "Transport";

interface OldNode {
  name: string;
  host: string | null;
  username: string | null;
  address: string | null;
  storage_type: string | null;
  group_class: string | null;
}

const login = (n: { username: string | null; address: string | null }) => `username ${show(n.username)}, address ${show(n.address)}`;
const show = (v: string | null) => (v === null ? "none" : JSON.stringify(v));
const node = (name: string) => `node "${name}"`;

/**
 * The cases of a migration from 632dd41's layout to main's. `caseBlind`: host names are
 * compared as MySQL's unique index does (case and trailing blanks ignored), so strings that
 * differ only so cannot become separate host rows there.
 */
export async function analyseToMain(db: Db, columns: ReadonlySet<string>, caseBlind: boolean): Promise<MigrationFindings> {
  const refused: Finding[] = [];
  const lossy: Finding[] = [];
  // A resumed migration may have dropped the old columns already: nothing left to check then.
  if (!columns.has("host")) return { refused, lossy };
  const typeCol = columns.has("storage_type") ? "n.storage_type" : "NULL";
  const nodes = await db.all<OldNode>(
    `SELECT n.name, n.host, n.username, n.address, ${typeCol} AS storage_type, g.io_class AS group_class
       FROM storagenode n JOIN storagegroup g ON g.id = n.group_id ORDER BY n.id`,
  );

  // 1. Nodes sharing a host string must agree on the log-in details their host row will hold.
  const byHost = new Map<string, OldNode[]>();
  for (const n of nodes) if (n.host !== null) byHost.set(n.host, [...(byHost.get(n.host) ?? []), n]);
  for (const [host, members] of byHost) {
    const variants = new Set(members.map(login));
    if (variants.size > 1)
      for (const n of members)
        refused.push({ subject: node(n.name), text: `shares host ${JSON.stringify(host)} with different log-in details (${login(n)}); which one the host keeps cannot be decided` });
  }
  // 2. Log-in details without a host would need an invented host row.
  for (const n of nodes)
    if (n.host === null && (n.username !== null || n.address !== null))
      refused.push({ subject: node(n.name), text: `has log-in details (${login(n)}) but no host; a host row would have to be invented` });

  // 3. Odd host strings: kept exactly (each distinct string its own host row), but flagged.
  const blindKey = (h: string) => h.replace(/ +$/, "").toLowerCase();
  const blindGroups = new Map<string, Set<string>>();
  for (const h of byHost.keys()) blindGroups.set(blindKey(h), (blindGroups.get(blindKey(h)) ?? new Set()).add(h));
  for (const n of nodes) {
    if (n.host === null) continue;
    const clash = [...blindGroups.get(blindKey(n.host))!].filter((h) => h !== n.host);
    if (clash.length > 0) {
      const text = `host ${JSON.stringify(n.host)} differs from ${clash.map((h) => JSON.stringify(h)).join(", ")} only in case or trailing blanks`;
      if (caseBlind) refused.push({ subject: node(n.name), text: `${text}; MySQL's unique host names cannot keep them apart` });
      else lossy.push({ subject: node(n.name), text: `${text}; they become separate hosts` });
    } else if (n.host === "") lossy.push({ subject: node(n.name), text: `has an empty host string; it becomes a host named "" (not "no host")` });
    else if (n.host.trim() !== n.host) lossy.push({ subject: node(n.name), text: `host ${JSON.stringify(n.host)} has leading or trailing blanks; kept as written` });
  }

  // 4. Roles: main knows only "archive or not".
  for (const n of nodes) {
    const t = n.storage_type;
    if (t === null) continue;
    const transportGroup = n.group_class === TRANSPORT_CLASS;
    if (t !== "A" && t !== "T" && t !== "F") refused.push({ subject: node(n.name), text: `storage_type ${JSON.stringify(t)} is not A, T or F` });
    else if (t === "T" && !transportGroup)
      lossy.push({ subject: node(n.name), text: "is a transport node (T) outside a Transport group; it becomes a non-archive node and would come back as a field node (F)" });
    else if (t === "F" && transportGroup)
      lossy.push({ subject: node(n.name), text: "is a field node (F) in a Transport group; it becomes a non-archive node and would come back as a transport node (T)" });
  }
  return { refused, lossy };
}

/** The cases of a migration from main's layout back to 632dd41's. */
export async function analyseTo632(db: Db, tables: ReadonlySet<string>): Promise<MigrationFindings> {
  const lossy: Finding[] = [];
  if (!tables.has("storagehost")) return { refused: [], lossy };
  const hosts = await db.all<{ name: string; notes: string | null; nodes: number }>(
    "SELECT h.name, h.notes, (SELECT COUNT(*) FROM storagenode n WHERE n.host_id = h.id) AS nodes FROM storagehost h ORDER BY h.id",
  ).catch(() => []);
  for (const h of hosts) {
    const subject = `host "${h.name}"`;
    if (Number(h.nodes) === 0) lossy.push({ subject, text: "has no nodes; it is dropped (with its log-in details)" });
    if (h.notes !== null) lossy.push({ subject, text: `has notes (${JSON.stringify(h.notes)}); they are dropped` });
  }
  return { refused: [], lossy };
}

/** The findings of a migration towards `to`. */
export function analyse(db: Db, to: LayoutName, columns: ReadonlySet<string>, tables: ReadonlySet<string>): Promise<MigrationFindings> {
  return to === "main" ? analyseToMain(db, columns, db.dialect.uniqueNamesIgnoreCase) : analyseTo632(db, tables);
}
