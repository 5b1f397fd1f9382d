// What a request-filing command filed, by row id, so `--wait` follows exactly those rows and
// never someone else's requests for the same files.

/**
 * - imports: archivefileimportrequest ids (file import, node scan, node init);
 * - transfers: archivefilecopyrequest ids (file sync, node sync, group sync);
 * - checks: archivefilecopy ids set suspect (file verify, node verify);
 * - deletions: archivefilecopy ids marked or released for cleaning (file clean, node clean).
 */
export type FiledKind = "imports" | "transfers" | "checks" | "deletions";

export interface FiledWork {
  readonly kind: FiledKind;
  readonly ids: readonly number[];
}

/**
 * Filled in by a command's update run, which may run inside a retried transaction or not run
 * at all (check mode, a "no" at the prompt, nothing to do): the last record wins, and an
 * empty collector means nothing was filed.
 */
export class FiledCollector {
  private work: FiledWork | undefined;
  record(kind: FiledKind, ids: readonly number[]): void {
    this.work = { kind, ids: [...ids] };
  }
  get filed(): FiledWork | undefined {
    return this.work;
  }
}
