// Disposable temp directories for tests (`using dir = tempDir("x")`), removed on dispose.

import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TempDir extends Disposable {
  readonly path: string;
  /** Write files relative to the dir (parents created); returns the dir's path. */
  write(files: Record<string, string>): string;
  join(...parts: string[]): string;
}

export function tempDir(prefix = "ah"): TempDir {
  const path = mkdtempSync(join(tmpdir(), `alpenhorn-${prefix}-`));
  return {
    path,
    write(files) {
      for (const [rel, text] of Object.entries(files)) {
        const p = join(path, rel);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, text);
      }
      return path;
    },
    join: (...parts) => join(path, ...parts),
    [Symbol.dispose]() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}
