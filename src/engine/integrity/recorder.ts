// The daemon's write-behind records of integrity work: check verdicts and finished deletions,
// each written in batches (write-behind.ts says why that is safe).

import type { Logger } from "../../common/logger.ts";
import { utcNow } from "../../common/time.ts";
import type { Db } from "../../index/driver/types.ts";
import { recordCheckVerdicts, recordDeleted, type CheckVerdict } from "../../index/queries/integrity.ts";
import { WriteBehind } from "./write-behind.ts";

export type Verdict = CheckVerdict;

export class Recorder {
  private readonly verdicts: WriteBehind<Verdict>;
  private readonly deletions: WriteBehind<number>;

  constructor(db: Db, log: Logger) {
    this.verdicts = new WriteBehind((batch) => recordCheckVerdicts(db, batch, utcNow()).then(() => undefined), log, "check results");
    this.deletions = new WriteBehind((ids) => db.transaction((tx) => recordDeleted(tx, ids, utcNow())), log, "deletions");
  }

  verdict(v: Verdict): void {
    this.verdicts.add(v);
  }
  deleted(copyId: number): void {
    this.deletions.add(copyId);
  }

  /** Records not yet written. */
  get pending(): number {
    return this.verdicts.pending + this.deletions.pending;
  }

  async flush(): Promise<void> {
    await Promise.all([this.verdicts.flush(), this.deletions.flush()]);
  }
}
