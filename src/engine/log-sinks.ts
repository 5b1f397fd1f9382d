// Optional daemon log outputs from config (alpenhorn/common/logger.py at 632dd41): a log file (plain, self-rotating, or
// reopened after external rotation) and syslog over UDP/TCP or a Unix socket. Records written
// before the sinks existed are replayed into them from the start-up buffer.

import { appendFileSync, closeSync, existsSync, fstatSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { createSocket } from "node:dgram";
import { connect, type Socket } from "node:net";
import { homedir } from "node:os";
import type { Config } from "../common/config.ts";
import { ConfigError } from "../common/errors.ts";
import type { LevelName, Logger, LogSink } from "../common/logger.ts";

/** Keeps records until the configured sinks exist (capacity 10 000, extra dropped). */
export class StartupBuffer implements LogSink {
  readonly records: Array<[string, LevelName]> = [];
  closed = false;
  write(line: string, level: LevelName): void {
    if (!this.closed && this.records.length < 10_000) this.records.push([line, level]);
  }
}

/**
 * Lines written during one turn of the event loop, written out together at its end (or every
 * MAX_HELD lines): a daemon busy with thousands of files per second logs a few lines for each,
 * and one write per line would cost more than the work they describe. `flush()` writes what is
 * held at once; the daemon calls it before it exits, and on process exit.
 */
export class BatchingSink implements LogSink {
  private static readonly MAX_HELD = 1000;
  private lines: string[] = [];
  private levels: LevelName[] = [];
  private scheduled = false;
  constructor(private readonly out: (lines: string[], levels: LevelName[]) => void) {
    unflushed.add(this);
  }
  write(line: string, level: LevelName): void {
    this.lines.push(line);
    this.levels.push(level);
    if (this.lines.length >= BatchingSink.MAX_HELD) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }
  flush(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const lines = this.lines;
    const levels = this.levels;
    this.lines = [];
    this.levels = [];
    this.out(lines, levels);
  }
  /** Write what is held; later lines are written at once. */
  close(): void {
    this.flush();
    unflushed.delete(this);
    this.write = (line, level) => this.out([line], [level]);
  }
}

/** Batching sinks not yet closed, flushed if the process exits under them. */
const unflushed = new Set<BatchingSink>();
process.on("exit", () => {
  for (const sink of unflushed) sink.flush();
});

class FileSink implements LogSink {
  private fd: number;
  private ino = 0;
  constructor(
    private readonly path: string,
    private readonly mode: { rotate?: { maxBytes: number; backups: number }; watch?: boolean },
  ) {
    this.fd = this.open();
  }
  private open(): number {
    const fd = openSync(this.path, "a");
    this.ino = statSync(this.path).ino;
    return fd;
  }
  write(line: string): void {
    this.writeLines([line]);
  }
  /** The lines in order, in as few writes as the rotation allows. */
  writeLines(lines: readonly string[]): void {
    if (this.mode.watch && (!existsSync(this.path) || statSync(this.path).ino !== this.ino)) {
      closeSync(this.fd);
      this.fd = this.open();
    }
    const rotate = this.mode.rotate;
    let size = rotate ? fstatSync(this.fd).size : 0;
    let held: string[] = [];
    for (const line of lines) {
      const text = line + "\n";
      const bytes = rotate ? Buffer.byteLength(text) : 0;
      // As Python's RotatingFileHandler: roll over when this record would reach max_bytes.
      if (rotate && size > 0 && size + bytes >= rotate.maxBytes) {
        writeSync(this.fd, held.join(""));
        held = [];
        closeSync(this.fd);
        for (let i = rotate.backups - 1; i >= 1; i--) if (existsSync(`${this.path}.${i}`)) renameSync(`${this.path}.${i}`, `${this.path}.${i + 1}`);
        renameSync(this.path, `${this.path}.1`);
        this.fd = this.open();
        size = 0;
      }
      held.push(text);
      size += bytes;
    }
    if (held.length > 0) writeSync(this.fd, held.join(""));
  }
}

const FACILITIES: Record<string, number> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9, authpriv: 10, ftp: 11,
  local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21, local6: 22, local7: 23,
};
const SEVERITY: Record<LevelName, number> = { DEBUG: 7, INFO: 6, WARNING: 4, ERROR: 3, CRITICAL: 2 };

class SyslogSink implements LogSink {
  private udp?: ReturnType<typeof createSocket>;
  private stream?: Socket;
  constructor(
    private readonly facility: number,
    private readonly target: { host: string; port: number; tcp: boolean } | { socket: string },
  ) {
    if ("socket" in target) this.stream = connect(target.socket);
    else if (target.tcp) this.stream = connect(target.port, target.host);
    else this.udp = createSocket("udp4");
    this.stream?.on("error", () => undefined);
    this.udp?.unref();
    this.stream?.unref();
  }
  write(line: string, level: LevelName): void {
    const msg = `<${this.facility * 8 + SEVERITY[level]}>${line}\x00`;
    if (this.udp && !("socket" in this.target)) this.udp.send(msg, this.target.port, this.target.host);
    else this.stream?.write(msg);
  }
}

/** Python's repr() of a str (quotes chosen as Python does; common escapes). */
function pyStrRepr(v: string): string {
  const q = v.includes("'") && !v.includes('"') ? '"' : "'";
  const body = v.replaceAll("\\", "\\\\").replaceAll("\n", "\\n").replaceAll("\r", "\\r").replaceAll("\t", "\\t");
  return q + (q === "'" ? body.replaceAll("'", "\\'") : body) + q;
}

const isMap = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);

/** Add the configured file/syslog sinks to `log` and replay the start-up buffer into them. */
export function configureSinks(config: Config, log: Logger, buffer: StartupBuffer, env: Record<string, string | undefined> = process.env): void {
  const sinks: LogSink[] = [];
  const syslog = config.raw("logging.syslog");
  if (isMap(syslog) && Object.keys(syslog as object).length > 0 && config.bool("logging.syslog.enable", true)) {
    const address = config.str("logging.syslog.address", "localhost");
    const port = config.int("logging.syslog.port", { default: 514, min: 0, max: 65535 });
    const tcp = config.bool("logging.syslog.use_tcp", false);
    const facname = config.str("logging.syslog.facility", "user").toLowerCase();
    const facility = FACILITIES[facname];
    if (facility === undefined) throw new ConfigError(`unknown facility ${facname} in logging.syslog.facility`);
    // Bun has no Unix datagram sockets: refuse at start-up rather than drop every record.
    if (port === 0 && !tcp)
      throw new ConfigError(
        `logging.syslog: Unix datagram socket ${address} is not supported; set logging.syslog.use_tcp: true for a stream socket, or log to a UDP port`,
      );
    if (port === 0) log.info(`Logging to syslog socket ${address} as facility ${facname}`);
    // alpenhorn formats the (address, port) tuple it has already built (alpenhorn/common/logger.py).
    else log.info(`Logging to syslog at (${pyStrRepr(address)}, ${port}):${port} via ${tcp ? "TCP" : "UDP"} as facility ${facname}`);
    sinks.push(new SyslogSink(facility, port === 0 ? { socket: address } : { host: address, port, tcp }));
  }
  const file = config.raw("logging.file");
  if (isMap(file)) {
    let name = config.str("logging.file.name");
    // `~` is the daemon's HOME (as Python's expanduser), not the account's passwd entry.
    if (name === "~" || name.startsWith("~/")) name = (env.HOME || homedir()) + name.slice(1);
    const watch = config.bool("logging.file.watch", false);
    const rotate = config.bool("logging.file.rotate", false);
    if (watch && rotate) throw new ConfigError("logging.file.rotate and logging.file.watch both true in config");
    const maxBytes = rotate ? config.bytes("logging.file.max_bytes", "4M") : 0;
    const backups = rotate ? config.int("logging.file.backup_count", { default: 10, min: 1 }) : 0;
    log.info(`Logging to${rotate ? " [rotating]" : watch ? " [watching]" : ""} ${name}`);
    // An unopenable log file (missing directory, a directory, no permission) is a config
    // mistake: one `Error:` line at start-up, not a `Fatal error!` traceback.
    try {
      appendFileSync(name, "");
    } catch (err) {
      throw new ConfigError(`unable to open log file ${name} (logging.file.name): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const fileSink = new FileSink(name, { watch, rotate: rotate ? { maxBytes, backups } : undefined });
    sinks.push(new BatchingSink((lines) => fileSink.writeLines(lines)));
  }
  for (const s of sinks) {
    for (const [line, level] of buffer.records) s.write(line, level);
    log.addSink(s);
  }
  buffer.records.length = 0;
  buffer.closed = true;
}
