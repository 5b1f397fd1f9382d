// The process's standard streams as the CLI sees them, injectable so tests run commands
// in-process through the same edge as the binary.

import { writeSync } from "node:fs";
import { ExitRequest } from "../../common/errors.ts";

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Next line of standard input without its newline; null at end of input. */
  readLine(): Promise<string | null>;
  /** The rest of standard input. */
  readAll(): Promise<string>;
  /** Whether stderr is a terminal (live progress lines are drawn only then). */
  readonly stderrIsTTY?: boolean;
}

/** Line reader over an async byte source, shared by the real and the test stdin. */
export class LineReader {
  private buffer = "";
  private done = false;
  private readonly decoder = new TextDecoder();
  constructor(private readonly next: () => Promise<Uint8Array | null>) {}

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const chunk = await this.next();
    if (chunk === null) {
      this.done = true;
      this.buffer += this.decoder.decode();
      return false;
    }
    this.buffer += this.decoder.decode(chunk, { stream: true });
    return true;
  }

  async readLine(): Promise<string | null> {
    for (;;) {
      const nl = this.buffer.indexOf("\n");
      if (nl >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        return line;
      }
      if (!(await this.fill())) {
        if (this.buffer === "") return null;
        const line = this.buffer;
        this.buffer = "";
        return line;
      }
    }
  }

  async readAll(): Promise<string> {
    while (await this.fill());
    const all = this.buffer;
    this.buffer = "";
    return all;
  }
}

const encoder = new TextEncoder();
/** Something to Atomics.wait on: a short sleep of the main thread without spinning. */
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Write all of `text`, as a blocking stream would take it. A pipe can be non-blocking (a
 * parent's Bun.spawn pipe, a shell's): when its reader falls behind, a write takes part of the
 * text or fails with EAGAIN, which must mean "wait", not a lost log line or a `Fatal error!`.
 * A reader that went away (`alpenhorn … | head`) ends the run quietly, not with a trace.
 */
function writeAllOrQuit(fd: number, text: string): void {
  const bytes = encoder.encode(text);
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "EPIPE") throw new ExitRequest(1);
      if (code !== "EAGAIN") throw err;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
}

/** The real streams. Output is written synchronously so it interleaves with prompts correctly. */
export function processIO(): CliIO {
  let reader: LineReader | undefined;
  const stdin = () => {
    if (!reader) {
      const r = Bun.stdin.stream().getReader();
      reader = new LineReader(async () => {
        const { value, done } = await r.read();
        return done ? null : value;
      });
    }
    return reader;
  };
  return {
    stdout: (t) => writeAllOrQuit(1, t),
    stderr: (t) => writeAllOrQuit(2, t),
    readLine: () => stdin().readLine(),
    readAll: () => stdin().readAll(),
    stderrIsTTY: Boolean(process.stderr.isTTY),
  };
}

/** Captured streams for in-process tests: `input` is what standard input holds. */
export function memoryIO(input = ""): CliIO & { out: string; err: string } {
  const bytes = new TextEncoder().encode(input);
  let given = false;
  const reader = new LineReader(async () => {
    if (given) return null;
    given = true;
    return bytes;
  });
  const io = {
    out: "",
    err: "",
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    readLine: () => reader.readLine(),
    readAll: () => reader.readAll(),
  };
  return io;
}
