// Plain-text tables identical to Python tabulate 0.8.9's default "simple" format, which every
// alpenhorn listing uses: per-column type detection, number re-rendering and decimal alignment.
import { PyFloat, pyFloat, pyFormatFloat, pyIsInt, pyLen, pyRstrip, pyStr, pyStrip } from "./pyfmt.ts";

export type Align = "left" | "right" | "decimal" | "center" | null;

export interface TabulateOptions {
  /** Float format for float-typed columns (Python format spec), one for all or one per column. Default "g". */
  floatFmt?: string | string[];
  /** Per-column alignment overriding the detected one; null disables padding for that column. */
  colAlign?: Align[];
}

// Column types in tabulate's order of generality (binary strings never occur here).
const NONE = 0;
const BOOL = 1;
const INT = 2;
const FLOAT = 3;
const TEXT = 5;

const MIN_PADDING = 2;

// ANSI colour codes and OSC 8 hyperlinks do not count towards widths.
const INVISIBLE_RE = /\x1b\[\d+[;\d]*m|\x1b\[\d*;\d*;\d*m|\x1b\]8;;(.*?)\x1b\\/g;
const INVISIBLE_LINK_RE = /\x1B]8;[a-zA-Z0-9:]*;[^\x1B]+\x1B\\([^\x1b]+)\x1B]8;;\x1B\\/g;

function stripInvisible(s: string): string {
  return s.replace(INVISIBLE_LINK_RE, "$1").replace(INVISIBLE_RE, "");
}

// Math.max(...xs) overflows the argument limit on big tables.
function maxOf(xs: readonly number[], floor = -Infinity): number {
  let m = floor;
  for (const x of xs) if (x > m) m = x;
  return m;
}

function isIntString(s: string): boolean {
  return pyIsInt(s);
}

// tabulate's _isnumber for strings: an infinite or NaN value counts only when spelled inf/-inf/nan.
function isNumberString(s: string): boolean {
  const f = pyFloat(s);
  if (f === null) return false;
  if (!Number.isFinite(f)) return ["inf", "-inf", "nan"].includes(s.toLowerCase());
  return true;
}

function cellType(v: unknown, hasInvisible: boolean): number {
  if (v === null || v === undefined) return NONE;
  if (v instanceof Date) return TEXT;
  if (typeof v === "boolean") return BOOL;
  if (typeof v === "bigint") return INT;
  if (typeof v === "number") return Number.isInteger(v) ? INT : FLOAT;
  if (v instanceof PyFloat) return FLOAT;
  if (typeof v !== "string") return TEXT;
  // Stripping is the identity when the table has no invisible codes at all.
  const s = hasInvisible ? stripInvisible(v) : v;
  if (s === "True" || s === "False") return BOOL;
  if (isIntString(s)) return INT;
  if (isNumberString(s)) return FLOAT;
  return TEXT;
}

// reduce(_more_generic, types, bool): an all-None column ends up bool, printed like text.
// Text is the most generic type, so the scan stops at the first text cell.
function columnType(col: unknown[], hasInvisible: boolean): number {
  let t = BOOL;
  for (let i = 0; i < col.length && t < TEXT; i++) {
    const c = cellType(col[i], hasInvisible);
    if (c > t) t = c;
  }
  return t;
}

function toFloat(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  const f = typeof v === "string" ? pyFloat(v) : null;
  if (f === null) throw new Error(`could not convert string to float: ${pyStr(v)}`);
  return f;
}

function formatCell(v: unknown, type: number, floatFmt: string, hasInvisible: boolean): string {
  if (v === null || v === undefined) return "";
  if (type !== FLOAT) return pyStr(v);
  if (hasInvisible && typeof v === "string") {
    const raw = stripInvisible(v);
    return v.replaceAll(raw, pyFormatFloat(toFloat(raw), floatFmt));
  }
  return pyFormatFloat(toFloat(v), floatFmt);
}

// Digits after the decimal point (or after the exponent mark), -1 for ints and non-numbers.
function afterPoint(s: string): number {
  if (!isNumberString(s) || isIntString(s)) return -1;
  let pos = s.lastIndexOf(".");
  if (pos < 0) pos = s.toLowerCase().lastIndexOf("e");
  return pos >= 0 ? pyLen(s.slice(pos + 1)) : -1;
}

function padLeft(width: number, s: string): string {
  const n = width - pyLen(s);
  return n > 0 ? " ".repeat(n) + s : s;
}

function padRight(width: number, s: string): string {
  const n = width - pyLen(s);
  return n > 0 ? s + " ".repeat(n) : s;
}

function padBoth(width: number, s: string): string {
  const n = width - pyLen(s);
  if (n <= 0) return s;
  const left = Math.floor(n / 2);
  return " ".repeat(left) + s + " ".repeat(n - left);
}

// Python str.splitlines(): no trailing empty piece, "" gives no lines.
function splitLines(s: string): string[] {
  const parts = s.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (parts[parts.length - 1] === "") parts.pop();
  return parts;
}

interface Measure {
  width: (s: string) => number;
  hasInvisible: boolean;
  multiline: boolean;
}

function lineWidth(s: string, hasInvisible: boolean): number {
  return pyLen(hasInvisible ? stripInvisible(s) : s);
}

function makeMeasure(hasInvisible: boolean, multiline: boolean): Measure {
  const width = multiline
    ? (s: string) => maxOf(s.split(/[\r\n]/).map((l) => lineWidth(l, hasInvisible)))
    : (s: string) => lineWidth(s, hasInvisible);
  return { width, hasInvisible, multiline };
}

function alignColumn(strings: string[], align: Align, minWidth: number, m: Measure): string[] {
  let cells = strings;
  let pad: (w: number, s: string) => string;
  if (align === "decimal") {
    const decimals = cells.map((s) => afterPoint(m.hasInvisible ? stripInvisible(s) : s));
    const most = maxOf(decimals);
    cells = cells.map((s, i) => s + " ".repeat(most - decimals[i]!));
    pad = padLeft;
  } else if (!align) {
    pad = (_w, s) => s;
  } else {
    cells = cells.map(pyStrip);
    pad = align === "right" ? padLeft : align === "center" ? padBoth : padRight;
  }
  const widths = cells.map(m.width);
  const maxWidth = maxOf(widths, minWidth);
  // Invisible characters are added to the target width so padding counts only visible ones.
  if (m.multiline) {
    return cells.map((ms) => {
      if (!m.hasInvisible) return splitLines(ms).map((s) => pad(maxWidth, s)).join("\n");
      // tabulate pairs splitlines() pieces with [\r\n]-split pieces, dropping any surplus.
      const parts = ms.split(/[\r\n]/);
      const lines = splitLines(ms).slice(0, parts.length);
      return lines.map((s, j) => pad(maxWidth + pyLen(parts[j]!) - lineWidth(parts[j]!, true), s)).join("\n");
    });
  }
  return cells.map((s, i) => pad(maxWidth + (pyLen(s) - widths[i]!), s));
}

function alignHeader(header: string, align: Align, width: number, m: Measure): string {
  if (m.multiline) {
    return header
      .split(/\r|\n/)
      .map((h) => alignHeader(h, align, width, { ...m, multiline: false }))
      .join("\n");
  }
  const w = width + pyLen(header) - lineWidth(header, m.hasInvisible);
  if (align === "left") return padRight(w, header);
  if (align === "center") return padBoth(w, header);
  if (!align) return header;
  return padLeft(w, header);
}

function buildRow(cells: string[]): string {
  return pyRstrip(cells.join("  "));
}

function appendRow(lines: string[], cells: string[], widths: number[], multiline: boolean): void {
  if (!multiline) {
    lines.push(buildRow(cells));
    return;
  }
  const cellLines = cells.map(splitLines);
  const n = maxOf(cellLines.map((l) => l.length), 0);
  for (let i = 0; i < n; i++) {
    lines.push(buildRow(cellLines.map((l, j) => l[i] ?? " ".repeat(widths[j]!))));
  }
}

// ---- the plain path: no invisible codes, no line breaks (every listing in practice) ------
// Cells are padded while the lines are written instead of being materialised padded first;
// the result is the same string the general path (alignColumn/appendRow) builds.

const SPACES: string[] = [];
function spaces(n: number): string {
  if (n <= 0) return "";
  if (n >= 128) return " ".repeat(n);
  let sp = SPACES[n];
  if (sp === undefined) sp = SPACES[n] = " ".repeat(n);
  return sp;
}

interface PlainColumn {
  cells: string[];
  /** Spaces appended for decimal alignment, or null. */
  trail: Int32Array | null;
  /** Width of cell + trail. */
  widths: Int32Array;
  width: number;
  align: Align;
}

function plainColumn(strings: string[], align: Align, minWidth: number): PlainColumn {
  const n = strings.length;
  let cells = strings;
  let trail: Int32Array | null = null;
  const widths = new Int32Array(n);
  if (align === "decimal") {
    trail = new Int32Array(n);
    let most = -Infinity;
    for (let i = 0; i < n; i++) {
      const d = afterPoint(cells[i]!);
      trail[i] = d;
      if (d > most) most = d;
    }
    for (let i = 0; i < n; i++) trail[i] = most - trail[i]!;
  } else if (align) {
    cells = new Array<string>(n);
    for (let i = 0; i < n; i++) cells[i] = pyStrip(strings[i]!);
  }
  let width = minWidth;
  for (let i = 0; i < n; i++) {
    const w = pyLen(cells[i]!) + (trail === null ? 0 : trail[i]!);
    widths[i] = w;
    if (w > width) width = w;
  }
  return { cells, trail, widths, width, align };
}

// Appends one padded cell's pieces.
function pushCell(out: string[], col: PlainColumn, r: number): void {
  const cell = col.cells[r]!;
  const n = col.width - col.widths[r]!;
  switch (col.align) {
    case "left":
      out.push(cell, spaces(n));
      break;
    case "center": {
      const left = n > 0 ? Math.floor(n / 2) : 0;
      out.push(spaces(left), cell, spaces(n - left));
      break;
    }
    case "right":
      out.push(spaces(n), cell);
      break;
    case "decimal":
      out.push(spaces(n), cell, spaces(col.trail![r]!));
      break;
    default:
      out.push(cell);
  }
}

// Python's (a + b + ...).rstrip() over the pieces from `from` on, in place.
function rstripPieces(out: string[], from: number): void {
  while (out.length > from) {
    const last = pyRstrip(out[out.length - 1]!);
    if (last !== "") {
      out[out.length - 1] = last;
      return;
    }
    out.pop();
  }
}

function plainLines(cols: PlainColumn[], nrows: number, headerCells: string[] | null, widths: number[], trailer: boolean): string {
  const sep = buildRow(widths.map((w) => "-".repeat(w)));
  const lines: string[] = headerCells ? [buildRow(headerCells), sep] : [sep];
  const parts: string[] = [];
  for (let r = 0; r < nrows; r++) {
    parts.length = 0;
    for (let c = 0; c < cols.length; c++) {
      if (c > 0) parts.push("  ");
      pushCell(parts, cols[c]!, r);
    }
    rstripPieces(parts, 0);
    lines.push(parts.join(""));
  }
  if (trailer) lines.push(sep);
  return lines.join("\n");
}

// Scans the cells' str() for what decides the general path: an ESC (possible invisible codes,
// then tabulate's own test on the joined text decides) or a line break.
const SPECIAL_RE = /[\x1b\r\n]/;
const SIMPLE_TYPES = new Set(["number", "bigint", "boolean", "undefined"]);

function scanSpecial(hdrs: readonly string[], rows: readonly (readonly unknown[])[]): { esc: boolean; breaks: boolean } {
  let esc = false;
  let breaks = false;
  const check = (s: string) => {
    if (!SPECIAL_RE.test(s)) return;
    if (s.includes("\x1b")) esc = true;
    if (s.includes("\n") || s.includes("\r")) breaks = true;
  };
  for (const h of hdrs) check(h);
  for (const row of rows) {
    for (const v of row) {
      if (typeof v === "string") check(v);
      // str() of numbers, booleans, None, floats and datetimes has neither ESC nor breaks.
      else if (v !== null && !SIMPLE_TYPES.has(typeof v) && !(v instanceof PyFloat) && !(v instanceof Date)) check(pyStr(v));
    }
    if (esc) break;
  }
  return { esc, breaks };
}

/**
 * tabulate(rows, headers) in the "simple" format, without a trailing newline. Cells are the
 * database values: null is a missing value, "" makes its column text, numeric strings are
 * typed and re-rendered, integral JS numbers are ints, other numbers and PyFloat are floats.
 */
export function tabulate(rows: readonly (readonly unknown[])[], headers: readonly string[] = [], opts: TabulateOptions = {}): string {
  let hdrs = [...headers];
  if (hdrs.length > 0 && rows.length > 0 && hdrs.length < rows[0]!.length) {
    hdrs = [...Array<string>(rows[0]!.length - hdrs.length).fill(""), ...hdrs];
  }

  let hasInvisible = false;
  let multiline: boolean;
  const special = scanSpecial(hdrs, rows);
  if (special.esc) {
    const plainText = [hdrs.join("\t"), ...rows.map((r) => r.map((v) => pyStr(v)).join("\t"))].join("\t");
    hasInvisible = new RegExp(INVISIBLE_RE.source).test(plainText) || new RegExp(INVISIBLE_LINK_RE.source).test(plainText);
    multiline = /[\r\n]/.test(plainText);
  } else {
    multiline = special.breaks;
  }
  const m = makeMeasure(hasInvisible, multiline);

  let ncols = 0;
  for (const r of rows) if (r.length > ncols) ncols = r.length;
  const cols: unknown[][] = [];
  for (let c = 0; c < ncols; c++) {
    const col = new Array<unknown>(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      col[r] = c < row.length ? row[c] : null;
    }
    cols.push(col);
  }
  const types = cols.map((c) => columnType(c, hasInvisible));
  const floatFmts = cols.map((_, i) =>
    typeof opts.floatFmt === "string" ? opts.floatFmt : (opts.floatFmt?.[i] ?? "g"),
  );
  const formatted = cols.map((c, i) => {
    const type = types[i]!;
    const fmt = floatFmts[i]!;
    const out = new Array<string>(c.length);
    for (let r = 0; r < c.length; r++) out[r] = formatCell(c[r], type, fmt, hasInvisible);
    return out;
  });

  const aligns: Align[] = types.map((t) => (t === INT || t === FLOAT ? "decimal" : "left"));
  opts.colAlign?.forEach((a, i) => {
    // tabulate assigns by index and raises IndexError past the last column; so do we.
    if (i >= aligns.length) throw new RangeError("list assignment index out of range");
    aligns[i] = a;
  });

  let minWidths = hdrs.length > 0 ? hdrs.map((h) => m.width(h) + MIN_PADDING) : cols.map(() => 0);
  const n = Math.min(formatted.length, minWidths.length);

  if (!hasInvisible && !multiline && n > 0) {
    // Every padded cell of a column is exactly the column's width (or, unpadded, no wider),
    // so the general path's re-measuring of the padded cells gives these widths back.
    const pcols = formatted.slice(0, n).map((c, i) => plainColumn(c, aligns[i]!, minWidths[i]!));
    const widths = pcols.map((c) => c.width);
    let headerCells: string[] | null = null;
    if (hdrs.length > 0) {
      const k = Math.min(hdrs.length, aligns.length, widths.length);
      headerCells = hdrs.slice(0, k).map((h, i) => alignHeader(h, aligns[i]!, widths[i]!, m));
    }
    return plainLines(pcols, rows.length, headerCells, widths, hdrs.length === 0);
  }

  const aligned = formatted.slice(0, n).map((c, i) => alignColumn(c, aligns[i]!, minWidths[i]!, m));

  const lines: string[] = [];
  if (hdrs.length > 0) {
    // With no data every header is left-aligned in a column of len(header) + 2.
    const tCols = aligned.length > 0 ? aligned : hdrs.map(() => [""]);
    const tAligns: Align[] = aligns.length > 0 ? aligns : hdrs.map(() => "left");
    minWidths = minWidths
      .slice(0, tCols.length)
      .map((w, i) => maxOf(tCols[i]!.map(m.width), w));
    const k = Math.min(hdrs.length, tAligns.length, minWidths.length);
    const headerCells = hdrs.slice(0, k).map((h, i) => alignHeader(h, tAligns[i]!, minWidths[i]!, m));
    appendRow(lines, headerCells, minWidths, m.multiline);
    lines.push(buildRow(minWidths.map((w) => "-".repeat(w))));
  } else {
    minWidths = aligned.map((c) => maxOf(c.map(m.width)));
    lines.push(buildRow(minWidths.map((w) => "-".repeat(w))));
  }
  const nrows = aligned.length > 0 ? rows.length : 0;
  for (let r = 0; r < nrows; r++) {
    appendRow(lines, aligned.map((c) => c[r]!), minWidths, m.multiline);
  }
  if (hdrs.length === 0) lines.push(buildRow(minWidths.map((w) => "-".repeat(w))));

  if (hdrs.length === 0 && nrows === 0) return "";
  return lines.join("\n");
}
