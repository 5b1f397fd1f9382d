// Logging in alpenhorn's two formats, byte for byte: the CLI's `LEVEL >> message` and the
// daemon's `Mon DD HH:MM:SS LEVEL >> [thread] message`. One consola instance dispatches;
// our reporter formats and filters by Python's level numbers. The worker's name travels
// in an AsyncLocalStorage context, so log calls never pass it along.

import { AsyncLocalStorage } from "node:async_hooks";
import { writeSync } from "node:fs";
import { createConsola, type ConsolaInstance, type LogObject } from "consola/core";

export const LEVELS = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 } as const;
export type LevelName = keyof typeof LEVELS;

const TYPE_OF_LEVEL = { DEBUG: "debug", INFO: "info", WARNING: "warn", ERROR: "error", CRITICAL: "fatal" } as const;
const LEVEL_OF_TYPE: Record<string, LevelName> = { debug: "DEBUG", trace: "DEBUG", info: "INFO", log: "INFO", success: "INFO", warn: "WARNING", error: "ERROR", fatal: "CRITICAL" };

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

export type LogFormat = "cli" | "daemon";
/** Formats one record; pure, so tests pin the formats. */
export function formatRecord(format: LogFormat, level: LevelName, message: string, flow: string, at: Date): string {
  return format === "cli" ? `${level} >> ${message}` : `${daemonTimestamp(at)} ${level} >> [${flow}] ${message}`;
}

/** A destination for formatted lines (stderr, a log file, syslog). */
export interface LogSink {
  write(line: string, level: LevelName): void;
}

export const stderrSink: LogSink = {
  // Synchronous, so each record is on disk or in the pipe before the next statement runs.
  write: (line) => void writeSync(2, line + "\n"),
};

export class Logger {
  private threshold: number;
  private readonly sinks: LogSink[];
  private readonly consola: ConsolaInstance;

  constructor(
    private readonly format: LogFormat,
    level: LevelName | number = "WARNING",
    sinks: LogSink[] = [stderrSink],
  ) {
    this.threshold = typeof level === "number" ? level : LEVELS[level];
    this.sinks = sinks;
    this.consola = createConsola({
      level: 5,
      throttle: 0, // alpenhorn repeats identical lines every loop; never fold them
      reporters: [{ log: (obj: LogObject) => this.emit(obj) }],
    });
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

  log(level: LevelName, message: string): void {
    if (!this.isEnabled(level)) return;
    this.consola[TYPE_OF_LEVEL[level]](message);
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

  private emit(obj: LogObject): void {
    const level = LEVEL_OF_TYPE[obj.type] ?? "INFO";
    const message = obj.args.map(String).join(" ");
    const line = formatRecord(this.format, level, message, currentFlow(), obj.date);
    for (const sink of this.sinks) sink.write(line, level);
  }
}
