// Building a node's or group's I/O instance from its row, the same way for both: resolve the
// io_class, parse io_config, give it a fresh FIFO. Any failure is logged and skips the
// node or group this loop (alpenhorn crashed on several of them).

import type { DaemonContext } from "../context.ts";
import type { IOConfig, IOServices } from "../extension-api.ts";
import { parseIOConfig, type Resolved } from "../io/registry.ts";
import { ioServices } from "../io/services.ts";
import type { FifoKey } from "../scheduler/queue.ts";

let fifoSerial = 0;
/** A FIFO key unique to one I/O instance, so a re-initialised node never shares its old FIFO. */
export function newFifoKey(kind: "Node" | "Group", name: string): string {
  return `${kind}:${name}:${++fifoSerial}`;
}

/** The new I/O instance and its FIFO, or null (logged at ERROR) when the class or config is unusable. */
export function buildIO<F, IO>(
  ctx: DaemonContext,
  kind: "Node" | "Group",
  name: string,
  resolved: Resolved<F>,
  ioConfig: string | null,
  make: (factory: F, config: IOConfig, services: IOServices) => IO,
): { io: IO; fifo: FifoKey; services: IOServices } | null {
  const what = `Storage${kind} ${name}`;
  if (!resolved.ok) {
    ctx.log.error(resolved.message);
    return null;
  }
  let config: IOConfig;
  try {
    config = parseIOConfig(ioConfig);
  } catch (err) {
    ctx.log.error(`${(err as Error).message}  Ignoring ${what}.`);
    return null;
  }
  const fifo = newFifoKey(kind, name);
  ctx.queue.labelFifo(fifo, `${kind} ${name}`);
  try {
    const services = ioServices(ctx, fifo, kind === "Node" ? fifo : undefined);
    return { io: make(resolved.factory, config, services), fifo, services };
  } catch (err) {
    // An extension's class refusing its config: skip it like an invalid io_config.
    ctx.log.error(`I/O class "${resolved.name}" failed: ${(err as Error).message}  Ignoring ${what}.`);
    return null;
  }
}
