// A seam for in-process tests of `check-site` (never set by the binary): callbacks between the
// audit's phases and directories whose listing blocks, so a test can mutate the tree mid-walk
// or simulate a hung mount without a real one.

export interface AuditTestHooks {
  readonly afterSnapshot?: () => void | Promise<void>;
  readonly afterBatch?: (batches: number) => void | Promise<void>;
  /** Absolute directory path → milliseconds its listing blocks. */
  readonly slow?: Record<string, number>;
}

export const auditTestHooks: { current: AuditTestHooks | null } = { current: null };
