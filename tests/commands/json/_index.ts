// One known index for the `--json` tests (632dd41's layout): every value a listing shows is
// set here, so the tests can state each document field by field.

import type { Db } from "../../../src/index/driver/types.ts";
import { seed } from "../../helpers/seed.ts";

/** Whole seconds: MySQL's DATETIME columns (alpenhorn's schema) keep no fraction. */
export const TIMES = {
  f1: "2025-01-01 00:00:00.000000",
  f2: "2025-06-30 12:34:56.000000",
  f3: "2025-07-01 08:00:00.000000",
  checked: "2025-01-02 03:04:05.000000",
  requested: "2025-02-03 04:05:06.000000",
  started: "2025-02-03 04:05:07.000000",
  completed: "2025-02-03 04:06:00.000000",
  imported: "2025-03-01 10:00:00.000000",
  init: "2025-03-01 09:00:00.000000",
} as const;

/** The MD5 of f1 as stored (upper case: `--json` gives it lower case, as the tables do). */
export const F1_MD5 = "0123456789ABCDEF0123456789ABCDEF";

/**
 * Groups G1 (N1) and G2 (N2, N3); acquisitions A1 (f1 1 KiB, f2 2 KiB), A2 (f3, no size) and
 * A3 (empty). Copies: f1 healthy on N1 (4096 B on disk) and suspect on N2; f2 corrupt on N1
 * and removed from N2; f3 healthy but released on N3. Requests: f1 N1→G2 pending (started),
 * f2 N1→G2 complete; imports on N1: a node init and `sub/dir` (scan). Actions: N1→G2
 * autosync, N3→G1 autoclean.
 */
export async function knownIndex(db: Db) {
  const g1 = await seed.group(db, { name: "G1", notes: "first group", io_config: '{"a": 1}' });
  const g2 = await seed.group(db, { name: "G2", io_class: "Polling" });
  const n1 = await seed.node(db, {
    name: "N1",
    group_id: g1.id,
    storage_type: "A",
    active: 1,
    host: "h1",
    address: "n1.example",
    username: "alpen",
    root: "/n1",
    max_total_gb: 1,
    avail_gb: 0.5,
    min_avail_gb: 0.25,
    avail_gb_last_checked: TIMES.checked,
    auto_import: 1,
    auto_verify: 3,
    notes: "node one",
    io_config: '{"k": "v"}',
  });
  const n2 = await seed.node(db, { name: "N2", group_id: g2.id, storage_type: "T" });
  const n3 = await seed.node(db, { name: "N3", group_id: g2.id, storage_type: "F", active: 1, host: "h1", root: "/n3" });
  const a1 = await seed.acq(db, { name: "A1" });
  const a2 = await seed.acq(db, { name: "A2" });
  await seed.acq(db, { name: "A3" });
  const f1 = await seed.file(db, { name: "f1", acq_id: a1.id, size_b: 1024, md5sum: F1_MD5, registered: TIMES.f1 });
  const f2 = await seed.file(db, { name: "f2", acq_id: a1.id, size_b: 2048, registered: TIMES.f2 });
  const f3 = await seed.file(db, { name: "f3", acq_id: a2.id, registered: TIMES.f3 });
  await seed.copy(db, { file_id: f1.id, node_id: n1.id, has_file: "Y", size_b: 4096 });
  await seed.copy(db, { file_id: f1.id, node_id: n2.id, has_file: "M", size_b: 1024 });
  await seed.copy(db, { file_id: f2.id, node_id: n1.id, has_file: "X", size_b: 2048 });
  await seed.copy(db, { file_id: f2.id, node_id: n2.id, has_file: "N", wants_file: "N" });
  await seed.copy(db, { file_id: f3.id, node_id: n3.id, has_file: "Y", wants_file: "N" });
  await seed.copyRequest(db, { file_id: f1.id, node_from_id: n1.id, group_to_id: g2.id, timestamp: TIMES.requested, transfer_started: TIMES.started });
  await seed.copyRequest(db, {
    file_id: f2.id,
    node_from_id: n1.id,
    group_to_id: g2.id,
    completed: 1,
    timestamp: TIMES.requested,
    transfer_started: TIMES.started,
    transfer_completed: TIMES.completed,
  });
  await seed.importRequest(db, { node_id: n1.id, path: "sub/dir", recurse: 1, timestamp: TIMES.imported });
  await seed.importRequest(db, { node_id: n1.id, path: "ALPENHORN_NODE", timestamp: TIMES.init });
  await seed.transferAction(db, { node_from_id: n1.id, group_to_id: g2.id, autosync: 1 });
  await seed.transferAction(db, { node_from_id: n3.id, group_to_id: g1.id, autoclean: 1 });
}

/** A stored time as `--json` gives it. */
export const iso = (stored: string) => stored.replace(" ", "T") + "Z";

/** The sorted field names of a JSON object, to compare with the documented list. */
export const fields = (o: unknown) => Object.keys(o as object).sort();
