// SQL of the built-in pattern_importer extension: its type tables and per-acq/per-file rows.

import type { Db } from "../driver/types.ts";
import { chunks } from "./bulk-common.ts";

export interface PatternTypeRow {
  id: number;
  name: string;
  patterns: string;
  notes: string | null;
}

export async function insertPatternType(db: Db, table: "acqtype" | "filetype", name: string, patterns: string[], notes: string | null): Promise<void> {
  await db.run(`INSERT INTO ${table} (name, patterns, notes) VALUES (?, ?, ?)`, [name, JSON.stringify(patterns), notes]);
}

/** Type rows in table order (detection tries them in this order). */
export async function listPatternTypes(db: Db, table: "acqtype" | "filetype"): Promise<PatternTypeRow[]> {
  return db.all<PatternTypeRow>(`SELECT id, name, patterns, notes FROM ${table} ORDER BY id`);
}

export async function insertAcqData(db: Db, acqId: number, typeId: number | null): Promise<void> {
  await db.run(`${db.dialect.insertIgnore("acqdata")} (acq_id, type_id) VALUES (?, ?)`, [acqId, typeId]);
}

export async function insertFileData(db: Db, fileId: number, typeId: number | null): Promise<void> {
  await db.run(`${db.dialect.insertIgnore("filedata")} (file_id, type_id) VALUES (?, ?)`, [fileId, typeId]);
}

/** An acquisition's or file's id with its type's. */
export interface TypedRow {
  readonly id: number;
  readonly typeId: number | null;
}

/** insertAcqData for many acquisitions, in multi-row statements. */
export async function insertAcqDataMany(db: Db, rows: readonly TypedRow[]): Promise<void> {
  await insertTypedMany(db, "acqdata", "acq_id", rows);
}

/** insertFileData for many files, in multi-row statements. */
export async function insertFileDataMany(db: Db, rows: readonly TypedRow[]): Promise<void> {
  await insertTypedMany(db, "filedata", "file_id", rows);
}

async function insertTypedMany(db: Db, table: "acqdata" | "filedata", idColumn: string, rows: readonly TypedRow[]): Promise<void> {
  for (const part of chunks(db, rows, 2)) {
    await db.run(
      `${db.dialect.insertIgnore(table)} (${idColumn}, type_id) VALUES ${part.map(() => "(?, ?)").join(", ")}`,
      part.flatMap((r) => [r.id, r.typeId]),
    );
  }
}
