// Space reservations for queued pulls (alpenhorn/io/default/node.py: reserve_bytes and
// release_bytes at 632dd41): a pull reserves twice its file's size on the destination when it
// is queued and releases it when its task ends, so pulls queued in one update never together
// overfill a node that had room for each alone. Kept per node name, for the whole process, so
// a re-initialised I/O instance keeps the reservations of its predecessor's tasks.

import type { NodeIO } from "../extension-api.ts";

const RESERVE_FACTOR = 2;
const reserved = new Map<string, number>();

/** Reserve room for a file of `size` bytes; false when the node lacks it. */
export async function reserveBytes(nodeName: string, io: NodeIO, size: number): Promise<boolean> {
  return reserveFrom(nodeName, await io.bytesAvail(true).catch(() => null), size);
}

/** reserveBytes against free space already measured (null: unknown, always enough). */
export function reserveFrom(nodeName: string, avail: number | null, size: number): boolean {
  const need = RESERVE_FACTOR * size;
  const held = reserved.get(nodeName) ?? 0;
  if (avail !== null && avail - held < need) return false;
  reserved.set(nodeName, held + need);
  return true;
}

/** Would a file of `size` bytes fit, reservations counted (alpenhorn: DefaultNodeIO.fits)? Reserves nothing. */
export async function fitsBytes(nodeName: string, io: NodeIO, size: number): Promise<boolean> {
  const avail = await io.bytesAvail(true).catch(() => null);
  return avail === null || avail - (reserved.get(nodeName) ?? 0) >= RESERVE_FACTOR * size;
}

export function releaseBytes(nodeName: string, size: number): void {
  const left = (reserved.get(nodeName) ?? 0) - RESERVE_FACTOR * size;
  if (left > 0) reserved.set(nodeName, left);
  else reserved.delete(nodeName);
}

/** Bytes reserved on a node now (tests). */
export function reservedBytes(nodeName: string): number {
  return reserved.get(nodeName) ?? 0;
}
