// What the audit never compares, by name (pure): alpenhorn never imports a dot-named file, so
// lock files (`.NAME.lock`), pull placeholders (`.NAME.placeholder`), rsync and our own
// temporaries (`.alpentemp*`) and every dot file or directory are ignored, as is the root's
// `ALPENHORN_NODE`; `--ignore GLOB` patterns (on the path relative to the root) add to them.

export class IgnoreRules {
  private readonly globs: InstanceType<typeof Bun.Glob>[];
  /** Whether `--ignore` patterns were given (without them, `ignored` never looks at `rel`). */
  readonly hasGlobs: boolean;
  constructor(readonly patterns: readonly string[] = []) {
    this.globs = patterns.map((p) => new Bun.Glob(p));
    this.hasGlobs = this.globs.length > 0;
  }

  /** Whether the entry `name` at root-relative `rel` (its own path) is ignored. */
  ignored(rel: string, name: string, atRoot: boolean): boolean {
    if (name.charCodeAt(0) === 46 /* "." */) return true;
    if (atRoot && name === "ALPENHORN_NODE") return true;
    for (const g of this.globs) if (g.match(rel)) return true;
    return false;
  }

  /** Whether a registered path is ignored: any of its components is dot-named or a glob matches. */
  ignoredPath(rel: string): boolean {
    if (rel === "ALPENHORN_NODE" || rel.startsWith(".") || rel.includes("/.")) return true;
    for (const g of this.globs) if (g.match(rel)) return true;
    return false;
  }
}
