// What the import benchmarks import and how they check it: N unregistered 1 KiB files named as
// the pattern_importer's demo types want them (`YYYY/MM/DD/00/mmss.dat`, PER_ACQ per
// acquisition, distinct contents), and the index after the daemon ran: every file registered
// once with its size and MD5 and a copy 'Y'. bench/import.ts and bench/original.ts (ours and the
// Python original) use the same two, so both measure the same work.

import { Database } from "bun:sqlite";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PER_ACQ } from "./_site.ts";

/** The `a`th day from 2025-01-01 as `YYYY/MM/DD` (the demo's acquisition type). */
function acqName(a: number): string {
  const d = new Date(Date.UTC(2025, 0, 1) + a * 86_400_000);
  return `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, "0")}/${String(d.getUTCDate()).padStart(2, "0")}`;
}

/** Write `n` importable files under `root`; rel → MD5. */
export function writeImportable(root: string, n: number): Map<string, string> {
  const md5s = new Map<string, string>();
  const buf = Buffer.alloc(1024);
  for (let i = 0; i < n; i++) {
    const j = i % PER_ACQ;
    const acq = acqName(Math.floor(i / PER_ACQ));
    if (j === 0) mkdirSync(join(root, acq, "00"), { recursive: true });
    const rel = `${acq}/00/${String(Math.floor(j / 60)).padStart(2, "0")}${String(j % 60).padStart(2, "0")}.dat`;
    buf.fill(i & 0xff);
    buf.writeUInt32LE(i, 0);
    writeFileSync(join(root, rel), buf);
    md5s.set(rel, new Bun.CryptoHasher("md5").update(buf).digest("hex"));
  }
  return md5s;
}

/** Throw unless the SQLite index at `dbPath` registered exactly `md5s`' files, each right, each copy 'Y'. */
export function expectImported(dbPath: string, md5s: ReadonlyMap<string, string>, where: string): void {
  const db = new Database(dbPath, { readonly: true });
  const rows = db
    .query(
      `SELECT a.name || '/' || f.name AS rel, f.size_b AS size, f.md5sum AS md5, c.has_file AS has
         FROM archivefile f JOIN archiveacq a ON a.id = f.acq_id LEFT JOIN archivefilecopy c ON c.file_id = f.id`,
    )
    .all() as Array<{ rel: string; size: number; md5: string; has: string }>;
  db.close();
  const bad = rows.filter((r) => r.size !== 1024 || r.md5 !== md5s.get(r.rel) || r.has !== "Y");
  if (rows.length !== md5s.size || bad.length > 0) throw new Error(`${rows.length} files registered of ${md5s.size}, ${bad.length} wrong (${where})`);
}
