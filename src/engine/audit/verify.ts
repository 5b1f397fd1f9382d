// `--verify md5`: the MD5 of a sample of the files that matched their copy, against the index.
// The sample is chosen during the walk (a k/n slice by path hash, so n runs cover the node, or
// x% at random); a budget (time or bytes) stops the reading early. A mismatch is reported as
// corrupt; --fix then only asks the daemon to re-check (it may be a pull overwriting the file).

import type { Db } from "../../index/driver/types.ts";
import { auditFileMd5s } from "../../index/queries/audit.ts";
import type { FsPool } from "../fs/threads/pool.ts";
import type { DiskCandidate } from "./classify.ts";
import type { CopyTable } from "./copy-table.ts";
import type { Finding } from "./findings.ts";
import type { Budget } from "./options.ts";

export interface VerifyResult {
  readonly findings: Finding[];
  readonly files: number;
  readonly bytes: number;
}

export async function verifySample(db: Db, pool: FsPool, root: string, table: CopyTable, sample: DiskCandidate[], budget: Budget | null, threads: number, timeout: number): Promise<VerifyResult> {
  const md5s = await auditFileMd5s(db, sample.map((s) => table.fileId[s.row]!));
  const start = performance.now();
  let files = 0;
  let bytes = 0;
  const findings: Finding[] = [];
  const spent = () => (budget === null ? false : budget.kind === "time" ? (performance.now() - start) / 1000 >= budget.seconds : bytes >= budget.bytes);
  let next = 0;
  const worker = async () => {
    while (next < sample.length && !spent()) {
      const s = sample[next++]!;
      const want = md5s.get(table.fileId[s.row]!) ?? null;
      if (want === null) continue;
      const r = await pool.call("md5", [`${root}/${s.path}`], { timeout }).catch(() => null);
      if (r === null || "changed" in r) continue;
      files++;
      bytes += r.size;
      if (r.md5 !== want.toLowerCase())
        findings.push({
          class: "corrupt",
          path: s.path,
          disk_size: r.size,
          disk_mtime: new Date(s.time).toISOString(),
          index_size: table.size[s.row]!,
          has_file: table.hasFile(s.row),
          last_update: null,
          copy_id: table.copyId[s.row]!,
          file_id: table.fileId[s.row]!,
          md5: r.md5,
          index_md5: want,
          sightings: 1,
          action: null,
        });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, threads) }, worker));
  return { findings, files, bytes };
}
