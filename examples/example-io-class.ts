// An example I/O-class extension, loadable by path (`extensions: [/etc/alpenhorn/example-io-class.ts]`).
// Nodes with io_class "Capped" behave like Default ones but never report more free space than
// their io_config allows, e.g. io_config '{"max_avail_gb": 500}' on a shared filesystem.
//
// The types come from alpenhorn-ts's extension API, src/engine/extension-api.ts: a type-only
// import, erased when the daemon loads this file, so a site may keep a copy of that one file
// next to its extensions (or drop the import: the daemon checks nothing at run time).

import type { NodeIO, NodeIOFactoryInit } from "../src/engine/extension-api.ts";

const GIB = 2 ** 30;

/** Called for every node with io_class "Capped" (again when its io_config changes). */
function cappedNode(init: NodeIOFactoryInit): NodeIO {
  const cap = Number(init.config.max_avail_gb ?? Infinity);
  // Throwing skips the node with an ERROR until its io_config is fixed.
  if (!(cap >= 0)) throw new Error(`max_avail_gb must be a non-negative number, not ${JSON.stringify(init.config.max_avail_gb)}.`);
  const io = init.defaultIO(init);
  const free = io.bytesAvail.bind(io);
  // Overriding on the instance keeps every other Default behaviour (import, tidy-up, watching).
  io.bytesAvail = async (fast) => {
    const bytes = await free(fast);
    if (bytes !== null && bytes > cap * GIB) init.services.log.debug(`Node ${init.node.name}: free space capped at ${cap} GiB.`);
    return bytes === null ? null : Math.min(bytes, cap * GIB);
  };
  return io;
}

export function register_extensions() {
  // No groupClass: groups of Capped nodes use io_class NULL (Default), as usual.
  return [{ type: "io-class", name: "CappedIO", version: "1.0.0", ioClassName: "Capped", nodeClass: cappedNode }];
}
