// Test data for the benchmarks: a file of `mb` MiB whose every MiB differs (so no cache or
// filesystem can shortcut it), written in 1 MiB chunks.

import { closeSync, openSync, writeSync } from "node:fs";

export function makeFile(path: string, mb: number): void {
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < mb; i++) {
    chunk.fill(i & 0xff);
    chunk.writeUInt32LE(i, 0);
    writeSync(fd, chunk);
  }
  closeSync(fd);
}
