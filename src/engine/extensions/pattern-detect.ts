// Import detection of the built-in pattern_importer: the nearest ancestor directory that
// full-matches an AcqType pattern names the acquisition; the LAST FileType whose pattern
// full-matches the rest of the path types the file (alpenhorn's example, kept as it is).

import { dirname } from "node:path";
import { childPath } from "../fs/paths.ts";
import type { Db } from "../../index/driver/types.ts";
import { insertAcqData, insertFileData, listPatternTypes, type PatternTypeRow } from "../../index/queries/pattern-importer.ts";
import type { StorageNodeRow } from "../../index/rows.ts";
import type { DetectResult } from "./types.ts";

/**
 * Python's `.` (no DOTALL) matches anything but a newline; a JS `.` also refuses `\r`,
 * U+2028 and U+2029. Rewrite each unescaped `.` outside a character class as `[^\n]` (and
 * a class's leading `]`, a literal in Python, as `\]`).
 */
function pythonDots(pattern: string): string {
  let out = "";
  let inClass = false;
  let classStart = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      out += c + (pattern[i + 1] ?? "");
      i++;
    } else if (inClass) {
      // A `]` right after `[` or `[^` is a literal, as in Python.
      const first = out.length === classStart || (out.length === classStart + 1 && out[classStart] === "^");
      if (c === "]" && !first) inClass = false;
      out += c === "]" && first ? "\\]" : c;
    } else if (c === "[") {
      inClass = true;
      out += c;
      classStart = out.length;
    } else out += c === "." ? "[^\\n]" : c;
  }
  return out;
}

/** Python `re` syntax → JS, anchored for a full match (Python's re.fullmatch). */
export function fullMatchRegex(pattern: string): RegExp {
  const js = pythonDots(pattern).replaceAll("(?P<", "(?<").replace(/\(\?P=(\w+)\)/g, "\\k<$1>");
  return new RegExp(`^(?:${js})$`, "u");
}

const compiled = new Map<string, RegExp[]>();
/** The type's patterns, parsed once; invalid JSON or a non-array is an error, as upstream. */
function patternsOf(type: PatternTypeRow): RegExp[] {
  let list = compiled.get(type.patterns);
  if (!list) {
    const parsed: unknown = JSON.parse(type.patterns);
    if (!Array.isArray(parsed)) throw new Error(`patterns of type ${type.name} are not a list`);
    list = parsed.map((p) => fullMatchRegex(String(p)));
    compiled.set(type.patterns, list);
  }
  return list;
}

const matches = (type: PatternTypeRow, name: string) => patternsOf(type).some((re) => re.test(name));

/** The type tables as detection reads them; a batch of imports reads them once (snapshot). */
export interface PatternTypes {
  readonly acqTypes: readonly PatternTypeRow[];
  readonly fileTypes: readonly PatternTypeRow[];
  /** Directory → its acquisition (name and type), found once per directory for these tables. */
  readonly acqOfDir: Map<string, { name: string; type: PatternTypeRow } | null>;
}

export async function readPatternTypes(db: Db): Promise<PatternTypes> {
  return { acqTypes: await listPatternTypes(db, "acqtype"), fileTypes: await listPatternTypes(db, "filetype"), acqOfDir: new Map() };
}

/** The nearest ancestor directory of `path` matching an acquisition type. */
function acqOf(types: PatternTypes, path: string): { name: string; type: PatternTypeRow } | null {
  const parent = dirname(path);
  let found = types.acqOfDir.get(parent);
  if (found !== undefined) return found;
  found = null;
  for (let dir = parent; dir !== "." && dir !== "/" && dir !== ""; dir = dirname(dir)) {
    const type = types.acqTypes.find((t) => matches(t, dir));
    if (type) {
      found = { name: dir, type };
      break;
    }
  }
  types.acqOfDir.set(parent, found);
  return found;
}

/**
 * The extension's `detect`: the type tables read for each file, as alpenhorn's example does,
 * so a type added while the daemon runs applies to the next file.
 */
export async function detectByPatterns(db: Db, path: string, _node: StorageNodeRow): Promise<DetectResult> {
  return detectWithTypes(await readPatternTypes(db), path);
}

/** The acquisition and the types a path is detected as, or null (not an acquisition file). */
export interface PatternMatch {
  readonly acqName: string;
  readonly acqTypeId: number;
  readonly fileTypeId: number;
}

/** Detection against given type tables, as rows to write (a batch writes them set-wise: engine/import/batch.ts). */
export function matchWithTypes(types: PatternTypes, path: string): PatternMatch | null {
  const acq = acqOf(types, path);
  if (!acq) return null;
  const fileName = childPath(acq.name, path);
  let fileType: PatternTypeRow | null = null;
  for (const t of types.fileTypes) if (matches(t, fileName)) fileType = t;
  if (!fileType) return null;
  return { acqName: acq.name, acqTypeId: acq.type.id, fileTypeId: fileType.id };
}

/** Detection against given type tables, with the callback that writes the type rows of one file. */
export function detectWithTypes(types: PatternTypes, path: string): DetectResult {
  const m = matchWithTypes(types, path);
  if (!m) return { acqName: null };
  return {
    acqName: m.acqName,
    callback: async (tx, _copy, newFile, newAcq) => {
      if (newAcq) await insertAcqData(tx, newAcq.id, m.acqTypeId);
      if (newFile) await insertFileData(tx, newFile.id, m.fileTypeId);
    },
  };
}
