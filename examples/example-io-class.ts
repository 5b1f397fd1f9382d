// An example I/O-class extension, loadable by path (`extensions: [/etc/alpenhorn/example-io-class.ts]`).
// Nodes with io_class "Capped" behave like Default ones but never report more free space than
// their io_config allows, e.g. io_config '{"max_avail_gb": 500}' on a shared filesystem.

/** The parts of the contract used here (the full one: src/engine/io/types.ts, NodeIO). */
interface NodeIO {
  bytesAvail(fast: boolean): number | null | Promise<number | null>;
}
interface NodeIOInit {
  readonly node: { readonly name: string; readonly root: string | null };
  /** The node's io_config, parsed ({} when NULL). */
  readonly config: Record<string, unknown>;
  /** The built-in Default node I/O: build one and override what differs. */
  readonly defaultIO: (init: NodeIOInit) => NodeIO;
}

const GIB = 2 ** 30;

/** Called for every node with io_class "Capped" (again when its io_config changes). */
function cappedNode(init: NodeIOInit): NodeIO {
  const cap = Number(init.config.max_avail_gb ?? Infinity);
  // Throwing skips the node with an ERROR until its io_config is fixed.
  if (!(cap >= 0)) throw new Error(`max_avail_gb must be a non-negative number, not ${JSON.stringify(init.config.max_avail_gb)}.`);
  const io = init.defaultIO(init);
  const free = io.bytesAvail.bind(io);
  // Overriding on the instance keeps every other Default behaviour (import, tidy-up, watching).
  io.bytesAvail = async (fast) => {
    const bytes = await free(fast);
    return bytes === null ? null : Math.min(bytes, cap * GIB);
  };
  return io;
}

export function register_extensions() {
  // No groupClass: groups of Capped nodes use io_class NULL (Default), as usual.
  return [{ type: "io-class", name: "CappedIO", version: "1.0.0", ioClassName: "Capped", nodeClass: cappedNode }];
}
