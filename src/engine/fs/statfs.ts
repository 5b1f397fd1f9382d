// Free space of the filesystem holding a path: statfs bavail × bsize, null when it fails.

import { statfsSync } from "node:fs";

export function bytesAvailable(path: string): number | null {
  try {
    const s = statfsSync(path);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}
