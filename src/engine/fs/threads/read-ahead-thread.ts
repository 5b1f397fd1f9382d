// The read-ahead thread of an fs thread (read-ahead.ts): reads a big file into the shared ring
// while the fs thread hashes what was read before, so the copy out of the page cache (a tenth
// of an MD5's time) is off the hash's path. It only ever reads the fd it is given, in order,
// and blocks (never spins) when the ring is full or no job is posted.

import { readSync } from "node:fs";
import { FAILED, FULL, LAST, Ring, type RingShape } from "./read-ahead-layout.ts";

export interface ReadAheadStart {
  readonly sab: SharedArrayBuffer;
  readonly shape: RingShape;
}

declare const self: Worker;

function serve(ring: Ring): never {
  const { slots, slotBytes } = ring.shape;
  let seen = 0;
  for (;;) {
    const job = ring.nextJob(seen);
    seen = job.job;
    let position = job.from;
    for (let i = 0; ; i = (i + 1) % slots) {
      ring.awaitEmpty(i);
      let n: number;
      try {
        n = readSync(job.fd, ring.buffers[i]!, 0, slotBytes, position);
      } catch (err) {
        ring.set(i, FAILED, Math.abs((err as NodeJS.ErrnoException).errno ?? 5));
        break;
      }
      position += n;
      // A short read of a regular file is its end (as hash.ts's own loop).
      if (n < slotBytes) {
        ring.set(i, LAST, n);
        break;
      }
      ring.set(i, FULL, n);
    }
  }
}

self.onmessage = (event: MessageEvent<ReadAheadStart>) => {
  const ring = new Ring(event.data.sab, event.data.shape);
  ring.markReady();
  serve(ring);
};
