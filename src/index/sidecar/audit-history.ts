// The audit's sidecar SQLite file (`check-site.sqlite` in the state directory): run history
// and per-finding sightings, so each run can say what is new, persisting and resolved, and
// `--fix` can act only on findings seen unchanged in several runs. It lives apart from the
// Data Index on purpose: the index schema is alpenhorn's and stays untouched.

import { Database } from "bun:sqlite";
import { IndexError } from "../../common/errors.ts";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, node TEXT NOT NULL, started TEXT NOT NULL,
     finished TEXT NOT NULL, status INTEGER NOT NULL, summary TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS findings (node TEXT NOT NULL, class TEXT NOT NULL, path TEXT NOT NULL,
     signature TEXT NOT NULL, first_run INTEGER NOT NULL, last_run INTEGER NOT NULL, sightings INTEGER NOT NULL,
     PRIMARY KEY (node, class, path))`,
];

/** One finding as history keys it; `signature` changes when what was seen changes. */
export interface Sighting {
  readonly cls: string;
  readonly path: string;
  readonly signature: string;
}

export interface RunDiff {
  /** Consecutive runs (this one included) that saw each finding unchanged, by `cls\0path`. */
  readonly sightings: Map<string, number>;
  readonly new: number;
  readonly persisting: number;
  /** Findings of the previous run not seen again. */
  readonly resolved: number;
  readonly previousRun: number | null;
}

export const sightingKey = (cls: string, path: string) => `${cls}\0${path}`;

export class AuditHistory {
  private constructor(private readonly db: Database) {}

  static open(path: string): AuditHistory {
    try {
      const db = new Database(path, { create: true, readwrite: true });
      db.run("PRAGMA busy_timeout = 30000");
      for (const s of SCHEMA) db.run(s);
      return new AuditHistory(db);
    } catch (err) {
      throw new IndexError(`cannot open audit history ${path}: ${(err as Error).message}`, "unavailable", err);
    }
  }

  /**
   * Record a finished run and its findings in one transaction. A finding continues its streak
   * only if the previous run of the node saw it with the same signature.
   */
  record(node: string, started: string, finished: string, status: number, summary: string, found: readonly Sighting[]): RunDiff {
    const tx = this.db.transaction((): RunDiff => {
      const prev = this.db.query<{ id: number }, [string]>("SELECT MAX(id) AS id FROM runs WHERE node = ?").get(node)?.id ?? null;
      const run = Number(this.db.query("INSERT INTO runs (node, started, finished, status, summary) VALUES (?, ?, ?, ?, ?)").run(node, started, finished, status, summary).lastInsertRowid);
      const old = new Map<string, { signature: string; last_run: number; sightings: number; first_run: number }>();
      for (const r of this.db.query<{ class: string; path: string; signature: string; last_run: number; sightings: number; first_run: number }, [string]>("SELECT class, path, signature, last_run, sightings, first_run FROM findings WHERE node = ?").iterate(node))
        old.set(sightingKey(r.class, r.path), r);
      const upsert = this.db.query(
        "INSERT OR REPLACE INTO findings (node, class, path, signature, first_run, last_run, sightings) VALUES (?, ?, ?, ?, ?, ?, ?)",
      );
      const sightings = new Map<string, number>();
      let fresh = 0;
      let persisting = 0;
      for (const f of found) {
        const key = sightingKey(f.cls, f.path);
        const o = old.get(key);
        const streak = o && o.last_run === prev && o.signature === f.signature ? o.sightings + 1 : 1;
        if (streak === 1) fresh++;
        else persisting++;
        sightings.set(key, streak);
        upsert.run(node, f.cls, f.path, f.signature, streak === 1 ? run : o!.first_run, run, streak);
        old.delete(key);
      }
      let resolved = 0;
      for (const o of old.values()) if (o.last_run === prev) resolved++;
      this.db.query("DELETE FROM findings WHERE node = ? AND last_run < ?").run(node, run);
      return { sightings, new: fresh, persisting, resolved, previousRun: prev };
    });
    try {
      return tx();
    } catch (err) {
      throw new IndexError(`cannot write audit history: ${(err as Error).message}`, "other", err);
    }
  }

  close(): void {
    this.db.close();
  }
}

/**
 * One audit per node at a time: an exclusive SQLite lock on `path`, held until release. SQLite
 * locks are POSIX advisory locks, so the kernel drops them when the process dies (no stale
 * lock file to clean up); a second holder in the same process is refused too.
 */
export class AuditLock {
  private constructor(private readonly db: Database) {}

  /** The lock, or null when another audit holds it. */
  static tryAcquire(path: string): AuditLock | null {
    let db: Database;
    try {
      db = new Database(path, { create: true, readwrite: true });
    } catch (err) {
      throw new IndexError(`cannot open lock file ${path}: ${(err as Error).message}`, "unavailable", err);
    }
    try {
      db.run("PRAGMA busy_timeout = 0");
      db.run("PRAGMA locking_mode = EXCLUSIVE");
      db.run("BEGIN EXCLUSIVE");
      // A write makes the exclusive lock real on the file (and creates it if new).
      db.run("CREATE TABLE IF NOT EXISTS holder (pid INTEGER)");
      db.run("DELETE FROM holder");
      db.run("INSERT INTO holder (pid) VALUES (?)", [process.pid]);
      return new AuditLock(db);
    } catch (err) {
      db.close();
      if (/locked|busy/i.test((err as Error).message)) return null;
      throw new IndexError(`cannot lock ${path}: ${(err as Error).message}`, "other", err);
    }
  }

  release(): void {
    try {
      this.db.run("ROLLBACK");
    } catch {
      // Already gone with the connection.
    }
    this.db.close();
  }
}
