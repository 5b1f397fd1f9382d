// io_class name → I/O class. Built-ins first (NULL means Default); extensions add their own
// through IOClassExtension objects whose nodeClass/groupClass are our factories. Every factory
// is handed the Default I/O as `defaultIO`, for classes that wrap or extend it.

import type { LoadedExtensions } from "../extensions/types.ts";
import { defaultGroupIO } from "./default/group.ts";
import { defaultNodeIO } from "./default/node.ts";
import { defaultNodeRemote } from "./default/remote.ts";
import { lustreHSMGroupIO } from "./lustre/hsm-group.ts";
import { lustreHSMNodeIO } from "./lustre/hsm-node.ts";
import { lustreHSMNodeRemote } from "./lustre/hsm-remote.ts";
import { lustreQuotaNodeIO } from "./lustre/quota.ts";
import { pollingNodeIO } from "./polling.ts";
import { transportGroupIO } from "./transport.ts";
import type { GroupIO, GroupIOFactory, GroupIOInit, NodeIO, NodeIOFactory, NodeIOInit, NodeRemoteFactory } from "../extension-api.ts";

/** One I/O class: any half may be missing (e.g. Transport has no node class). */
interface IOClass {
  readonly node?: NodeIOFactory;
  readonly remote?: NodeRemoteFactory;
  readonly group?: GroupIOFactory;
}

/** Built-in classes present in this build (alpenhorn/io/ at 632dd41). */
const BUILT_IN: Record<string, IOClass> = {
  Default: { node: defaultNodeIO, remote: defaultNodeRemote, group: defaultGroupIO },
  Polling: { node: pollingNodeIO, remote: defaultNodeRemote },
  LustreQuota: { node: lustreQuotaNodeIO, remote: defaultNodeRemote },
  LustreHSM: { node: lustreHSMNodeIO, remote: lustreHSMNodeRemote, group: lustreHSMGroupIO },
  Transport: { group: transportGroupIO },
};

/** The NodeRemote factory of a built-in class (NULL means Default); undefined for other classes. */
export function builtInRemote(ioClass: string | null): NodeRemoteFactory | undefined {
  return Object.hasOwn(BUILT_IN, ioClass ?? "Default") ? BUILT_IN[ioClass ?? "Default"]!.remote : undefined;
}

export type Resolved<F> = { ok: true; factory: F; name: string } | { ok: false; message: string };

export class IORegistry {
  constructor(private readonly extensions: LoadedExtensions) {}

  private lookup(name: string): { cls: IOClass; ext?: string } | undefined {
    const builtIn = BUILT_IN[name];
    if (builtIn) return { cls: builtIn };
    const l = this.extensions.ioClasses.get(name);
    if (!l) return undefined;
    return { cls: { node: l.ext.nodeClass, group: l.ext.groupClass }, ext: l.fullName };
  }

  nodeClass(ioClass: string | null, nodeName: string): Resolved<(init: NodeIOInit) => NodeIO> {
    const r = this.resolve<NodeIOFactory>(ioClass, "StorageNode", nodeName, (c) => c.node);
    return r.ok ? { ...r, factory: (init) => r.factory({ ...init, defaultIO: defaultNodeIO }) } : r;
  }
  groupClass(ioClass: string | null, groupName: string): Resolved<(init: GroupIOInit) => GroupIO> {
    const r = this.resolve<GroupIOFactory>(ioClass, "StorageGroup", groupName, (c) => c.group);
    return r.ok ? { ...r, factory: (init) => r.factory({ ...init, defaultIO: defaultGroupIO }) } : r;
  }

  private resolve<F>(ioClass: string | null, kind: string, name: string, half: (c: IOClass) => F | undefined): Resolved<F> {
    const cls = ioClass ?? "Default";
    const found = this.lookup(cls);
    if (!found) return { ok: false, message: `Unknown I/O class: "${cls}".  Ignoring ${kind} ${name}.` };
    const factory = half(found.cls);
    if (!factory)
      return { ok: false, message: `No implementation of I/O class "${cls}" in extension "${found.ext ?? "alpenhorn"}" for ${kind} ${name}.` };
    return { ok: true, factory, name: cls };
  }
}

/** Parse `io_config`: NULL → {}; anything but a JSON object is an error. */
const LOGGED_CONFIG_CHARS = 200;

/**
 * The io_config text as the error quotes it, cut short when long: the error is logged again
 * every update loop, and a megabyte of garbage in the column must not become a megabyte per
 * loop in the log (tests/faults/hostile-io-config.test.ts).
 */
function quotedForLog(text: string): string {
  return text.length <= LOGGED_CONFIG_CHARS ? text : `${text.slice(0, LOGGED_CONFIG_CHARS)}… (${text.length} characters)`;
}

export function parseIOConfig(text: string | null): Record<string, unknown> {
  if (text === null || text === undefined || text === "") return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new Error(`Invalid io_config: "${quotedForLog(text)}".`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new Error(`Invalid io_config: "${quotedForLog(text)}".`);
  return v as Record<string, unknown>;
}
