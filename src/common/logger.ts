// Logging in alpenhorn's two formats, byte for byte: the CLI's `LEVEL >> message` and the
// daemon's `Mon DD HH:MM:SS LEVEL >> [thread] message`. The logger filters by Python's level
// numbers, formats each record and hands the line to its sinks. The worker's name travels in
// an AsyncLocalStorage context, so log calls never pass it along.

import { AsyncLocalStorage } from "node:async_hooks";
import { writeSync } from "node:fs";

export const LEVELS = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 } as const;
export type LevelName = keyof typeof LEVELS;

/** Name of the running flow: `MainThread`, or `Worker#N` inside a worker's context. */
const flowName = new AsyncLocalStorage<string>();
export function runAs<T>(name: string, fn: () => T): T {
  return flowName.run(name, fn);
}
export function currentFlow(): string {
  return flowName.getStore() ?? "MainThread";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad2 = (n: number) => String(n).padStart(2, "0");
/** `%b %d %H:%M:%S` in local time, as the daemon stamps its records. */
export function daemonTimestamp(d: Date): string {
  return `${MONTHS[d.getMonth()]} ${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** The daemon's stamp of now, made once per second: a busy daemon logs thousands of lines in one. */
let stampSecond = -1;
let stamp = "";
function stampNow(): string {
  const ms = Date.now();
  const second = Math.floor(ms / 1000);
  if (second !== stampSecond) {
    stampSecond = second;
    stamp = daemonTimestamp(new Date(ms));
  }
  return stamp;
}

export type LogFormat = "cli" | "daemon";
/** Formats one record; pure, so tests pin the formats. */
export function formatRecord(format: LogFormat, level: LevelName, message: string, flow: string, at?: Date): string {
  return format === "cli" ? `${level} >> ${message}` : `${at ? daemonTimestamp(at) : stampNow()} ${level} >> [${flow}] ${message}`;
}

/** A destination for formatted lines (stderr, a log file, syslog). */
export interface LogSink {
  write(line: string, level: LevelName): void;
  /** Several lines at once (one write where the sink can); else `write` is called for each. */
  writeLines?(lines: readonly string[], levels: readonly LevelName[]): void;
  /** Write out anything held back; writes go straight through afterwards. */
  close?(): void;
}

export const stderrSink: LogSink = {
  // Synchronous, so each record is on disk or in the pipe before the next statement runs.
  write: (line) => void writeSync(2, line + "\n"),
};

export class Logger {
  private threshold: number;
  private readonly sinks: LogSink[];

  constructor(
    private readonly format: LogFormat,
    level: LevelName | number = "WARNING",
    sinks: LogSink[] = [stderrSink],
  ) {
    this.threshold = typeof level === "number" ? level : LEVELS[level];
    this.sinks = sinks;
  }

  setLevel(level: LevelName | number): void {
    this.threshold = typeof level === "number" ? level : LEVELS[level];
  }
  get level(): number {
    return this.threshold;
  }
  isEnabled(level: LevelName): boolean {
    return LEVELS[level] >= this.threshold;
  }
  addSink(sink: LogSink): void {
    this.sinks.push(sink);
  }
  /** Close the sinks that hold lines back (the daemon, as it returns). */
  closeSinks(): void {
    for (const sink of this.sinks) sink.close?.();
  }

  log(level: LevelName, message: string): void {
    if (!this.isEnabled(level)) return;
    // Every record is written, identical ones too: alpenhorn repeats the same lines every loop.
    const line = formatRecord(this.format, level, message, currentFlow());
    for (const sink of this.sinks) sink.write(line, level);
  }
  debug(message: string): void {
    this.log("DEBUG", message);
  }
  info(message: string): void {
    this.log("INFO", message);
  }
  warning(message: string): void {
    this.log("WARNING", message);
  }
  error(message: string): void {
    this.log("ERROR", message);
  }
  critical(message: string): void {
    this.log("CRITICAL", message);
  }
}
