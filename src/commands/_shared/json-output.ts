// `--json` of the listing and showing commands: one JSON document on stdout, in one format for
// every command (two-space indentation, snake_case fields, sizes in bytes, times in ISO 8601
// UTC, null for a value that does not exist). The README's "JSON output" section lists the
// fields of each command; tests/commands/json/ pins them.

import { option } from "./define.ts";
import type { CommandContext } from "./context.ts";

/** The `--json` flag; `what` completes "Print … as JSON instead of the table." */
export function jsonOption(what: string) {
  return option({ names: ["--json"], kind: "flag", help: `Print ${what} as one JSON document instead.` });
}

/** The text of one document, as every `--json` prints it. */
export function formatJson(doc: unknown): string {
  return JSON.stringify(doc, null, 2);
}

/**
 * Write one document. Through `print`, not `echo`: `-q` quiets the command's prose, but a
 * script that asked for JSON must still get a document it can parse.
 */
export function writeJson(ctx: CommandContext, doc: unknown): void {
  ctx.out.print(formatJson(doc));
}

/**
 * A JSON array written element by element, for listings too long to hold (`file list --node`
 * over a million copies). The bytes are exactly formatJson's of the whole array, so a streamed
 * and a collected listing cannot differ. An error between begin and end leaves the array
 * unclosed on stdout: the error line on stderr and the exit status say so, and a parser
 * rejects the truncated document rather than taking it for a short list.
 */
export class JsonArrayWriter {
  private count = 0;
  constructor(private readonly ctx: CommandContext) {}

  /** Append elements (one write per call, so a chunk of rows costs one system call). */
  push(items: readonly unknown[]): void {
    if (items.length === 0) return;
    let text = this.count === 0 ? "[\n" : ",\n";
    text += items.map((item) => "  " + formatJson(item).replaceAll("\n", "\n  ")).join(",\n");
    this.count += items.length;
    this.ctx.out.write(text);
  }

  /** Close the array (`[]` when nothing was pushed) and end the line. */
  end(): void {
    this.ctx.out.write(this.count === 0 ? "[]\n" : "\n]\n");
  }
}

const STORED_TIME = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?)?$/;

/**
 * A stored naive-UTC time (`YYYY-MM-DD HH:MM:SS[.ffffff]`, as the index holds it) in ISO 8601
 * with its zone: `YYYY-MM-DDTHH:MM:SS.ffffffZ`, always six fractional digits so every time has
 * one shape. NULL (or empty) is null; text that is not a time is given as stored, as the tables
 * show it.
 */
export function isoUtc(stored: string | number | Date | null | undefined): string | null {
  if (stored === null || stored === undefined || stored === "") return null;
  if (stored instanceof Date) return Number.isNaN(stored.getTime()) ? null : stored.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
  const m = STORED_TIME.exec(String(stored));
  if (!m) return String(stored);
  return `${m[1]}T${m[2] ?? "00:00:00"}.${(m[3] ?? "").padEnd(6, "0")}Z`;
}

/** A byte count read from the index (a number, or a string from MySQL's BIGINT and SUM), or null. */
export function bytesOrNull(v: number | string | bigint | null | undefined): number | null {
  return v === null || v === undefined ? null : Number(v);
}

/** GiB as the node table stores them, in whole bytes (truncated, as the tables' sizes are); null stays null. */
export function gibToBytes(gb: number | string | null | undefined): number | null {
  return gb === null || gb === undefined ? null : Math.trunc(Number(gb) * 2 ** 30);
}

/** A stored MD5 as the tables print it: lower case; null when not recorded. */
export function md5OrNull(md5: string | null | undefined): string | null {
  return md5 === null || md5 === undefined ? null : md5.toLowerCase();
}

/**
 * A stored I/O config (JSON text) decoded: null when none is stored; text that is not JSON is
 * given as the stored string (the table says `INVALID`).
 */
export function ioConfigJson(stored: string | null | undefined): unknown {
  if (!stored) return null;
  try {
    return JSON.parse(stored);
  } catch {
    return stored;
  }
}

/** `text` of the empty string or NULL as null: notes and I/O classes a table shows blank or as "Default". */
export function textOrNull(text: string | null | undefined): string | null {
  return text === null || text === undefined || text === "" ? null : text;
}

/**
 * The actions one storagetransferaction row holds that are on, as `--json` names them, in the
 * order the tables list them (auto-clean, then auto-sync).
 */
export function actionNames(row: { readonly autoclean: unknown; readonly autosync: unknown }): Array<"autoclean" | "autosync"> {
  const names: Array<"autoclean" | "autosync"> = [];
  if (row.autoclean) names.push("autoclean");
  if (row.autosync) names.push("autosync");
  return names;
}
