// The fs thread pool: every filesystem call of the daemon runs on a Bun Worker thread, so a
// hung mount (a stat or read that never returns) blocks one thread, never the event loop that
// runs the main loop, the other nodes' tasks and the signal handlers. Each call has a timeout;
// a call that times out is abandoned (its thread cannot be interrupted in the kernel) and a new
// thread takes its place. When the abandoned call returns at last, its thread is reused.

import type { OpArgs, OpName, OpResult } from "./ops.ts";
import type { OpReply, OpRequest, WireError } from "./thread.ts";
import { threadEntry } from "../../thread-entry.ts";

/** A call that did not finish in time; the thread running it was abandoned. */
export class FsTimeoutError extends Error {
  override name = "FsTimeoutError";
  constructor(
    readonly what: string,
    readonly seconds: number,
  ) {
    super(`timeout after ${seconds}s calling ${what}`);
  }
}

/** A call refused at once: an earlier call of its group is still blocked past its timeout. */
export class FsBlockedError extends Error {
  override name = "FsBlockedError";
  constructor(readonly what: string) {
    super(`not calling ${what}: an earlier call on the same storage is still blocked`);
  }
}

export interface CallOptions {
  /** Seconds without completion (or, for MD5, without progress); default: the pool's. */
  readonly timeout?: number;
  readonly signal?: AbortSignal;
  /** How the call is named in a timeout message. */
  readonly what?: string;
  /**
   * Calls on one storage (a node): while one of them is blocked past its timeout, the group's
   * further calls fail at once with FsBlockedError rather than block one more thread each.
   */
  readonly group?: string;
}

export interface PoolOptions {
  /** Threads kept even when idle. */
  readonly minThreads: number;
  /** Threads at most, abandoned ones included; further calls wait for one. */
  readonly maxThreads: number;
  /** Default timeout of a call, in seconds (Infinity: none). */
  readonly timeout: number;
  /** Idle threads above minThreads end after this many seconds. */
  readonly idleSeconds?: number;
  /** Test seam: how a thread is started. */
  readonly spawn?: () => Worker;
}

interface Call {
  readonly id: number;
  readonly request: OpRequest;
  readonly timeout: number;
  readonly what: string | undefined;
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly signal?: AbortSignal;
  readonly group?: string;
  /** Timed out while its thread was running it: the thread is blocked in it still. */
  abandoned?: boolean;
  timer?: ReturnType<typeof setTimeout>;
  onAbort?: () => void;
  thread?: Thread;
  settled: boolean;
}

interface Thread {
  readonly worker: Worker;
  /** The call it runs; a settled call here means the thread was abandoned and is still blocked. */
  call: Call | null;
  idleSince: number;
  /** When the current call was handed to it. */
  startedAt: number;
}

/** A call running longer than this may be stuck: its thread stops counting as capacity. */
const SLOW_MS = 250;

const spawnThread = () => new Worker(threadEntry("src/engine/fs/threads/thread"));

/** An error from a thread, as the Error (with errno fields) the callers expect. */
function revive(w: WireError): Error {
  const e = Object.assign(new Error(w.message), { code: w.code, errno: w.errno, syscall: w.syscall, path: w.path });
  e.name = w.name;
  return e;
}

export class FsPool {
  private readonly threads = new Set<Thread>();
  private readonly waiting: Call[] = [];
  /** Abandoned calls still blocking their threads, by group. */
  private readonly blocked = new Map<string, number>();
  private nextId = 1;
  private closed = false;
  private readonly reaper: ReturnType<typeof setInterval>;

  constructor(private readonly opts: PoolOptions) {
    for (let i = 0; i < opts.minThreads; i++) this.spawn();
    this.reaper = setInterval(() => this.reap(), 5000);
    this.reaper.unref?.();
  }

  /** Threads started and not ended (idle, busy and abandoned). */
  get size(): number {
    return this.threads.size;
  }
  /** Threads still blocked in a call that was abandoned after its timeout. */
  get abandoned(): number {
    let n = 0;
    for (const t of this.threads) if (t.call?.settled) n++;
    return n;
  }

  call<K extends OpName>(op: K, args: OpArgs<K>, opts: CallOptions = {}): Promise<OpResult<K>> {
    if (this.closed) return Promise.reject(new Error("fs thread pool is closed"));
    opts.signal?.throwIfAborted();
    if (opts.group !== undefined && (this.blocked.get(opts.group) ?? 0) > 0)
      return Promise.reject(new FsBlockedError(opts.what ?? `${op}(${(args as unknown[]).map((a) => JSON.stringify(a)).join(", ")})`));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      const call: Call = {
        id,
        request: { id, op, args: args as unknown[] },
        timeout: opts.timeout ?? this.opts.timeout,
        what: opts.what,
        resolve: resolve as (v: unknown) => void,
        reject,
        signal: opts.signal,
        group: opts.group,
        settled: false,
      };
      if (!(call.timeout > 0)) return this.fail(call, this.timeoutError(call));
      if (opts.signal) {
        call.onAbort = () => this.fail(call, opts.signal!.reason);
        opts.signal.addEventListener("abort", call.onAbort, { once: true });
      }
      this.arm(call);
      this.waiting.push(call);
      this.dispatch();
    });
  }

  /** (Re)start a call's timer: at submission, and on each progress report. */
  private arm(call: Call): void {
    if (call.timer) clearTimeout(call.timer);
    if (call.timeout === Infinity) return;
    call.timer = setTimeout(() => {
      if (call.thread && call.group !== undefined) {
        call.abandoned = true;
        this.blocked.set(call.group, (this.blocked.get(call.group) ?? 0) + 1);
      }
      this.fail(call, this.timeoutError(call));
    }, call.timeout * 1000);
  }

  private timeoutError(call: Call): FsTimeoutError {
    const { op, args } = call.request;
    return new FsTimeoutError(call.what ?? `${op}(${args.map((a) => JSON.stringify(a)).join(", ")})`, call.timeout);
  }

  /** Settle a call with an error; its thread, if any, stays blocked until the call returns. */
  private fail(call: Call, err: unknown): void {
    if (call.settled) return;
    this.settle(call);
    const at = this.waiting.indexOf(call);
    if (at >= 0) this.waiting.splice(at, 1);
    call.reject(err);
    // The abandoned thread is replaced at once if calls are waiting for one.
    this.dispatch();
  }

  private settle(call: Call): void {
    call.settled = true;
    if (call.timer) clearTimeout(call.timer);
    if (call.onAbort) call.signal?.removeEventListener("abort", call.onAbort);
  }

  private spawn(): Thread {
    const worker = (this.opts.spawn ?? spawnThread)();
    const thread: Thread = { worker, call: null, idleSince: performance.now(), startedAt: 0 };
    worker.onmessage = (e: MessageEvent<OpReply>) => this.onReply(thread, e.data);
    worker.onerror = (e) => {
      // A thread that died (it should not: ops catch their errors) takes its call with it.
      this.threads.delete(thread);
      if (thread.call) this.fail(thread.call, new Error(`fs thread failed: ${e.message}`));
      this.dispatch();
    };
    // Blocked threads must never keep the daemon from exiting.
    worker.unref();
    this.threads.add(thread);
    return thread;
  }

  private onReply(thread: Thread, reply: OpReply): void {
    const call = thread.call;
    if (!call || call.id !== reply.id) return;
    if ("progress" in reply) {
      if (!call.settled) this.arm(call);
      return;
    }
    thread.call = null;
    thread.idleSince = performance.now();
    if (call.abandoned && call.group !== undefined) {
      const n = (this.blocked.get(call.group) ?? 1) - 1;
      if (n > 0) this.blocked.set(call.group, n);
      else this.blocked.delete(call.group);
    }
    if (!call.settled) {
      this.settle(call);
      if (reply.ok) call.resolve(reply.value);
      else call.reject(revive(reply.error));
    }
    this.dispatch();
  }

  /**
   * Hand waiting calls to idle threads. A new thread is started only while fewer than
   * minThreads threads are idle or busy with a recent call: threads blocked for long (a hung
   * mount, or a long hash) stop counting, so they never starve the other calls.
   */
  private dispatch(): void {
    const now = performance.now();
    while (this.waiting.length > 0) {
      let idle: Thread | undefined;
      let healthy = 0;
      for (const t of this.threads) {
        if (!t.call) idle ??= t;
        if (!t.call || (!t.call.settled && now - t.startedAt < SLOW_MS)) healthy++;
      }
      if (!idle) {
        if (healthy >= this.opts.minThreads || this.threads.size >= this.opts.maxThreads) break;
        idle = this.spawn();
      }
      const call = this.waiting.shift()!;
      idle.call = call;
      idle.startedAt = now;
      call.thread = idle;
      idle.worker.postMessage(call.request);
    }
    // Calls still waiting: look again once the busy threads may count as slow.
    if (this.waiting.length > 0 && !this.recheck) {
      this.recheck = setTimeout(() => {
        this.recheck = undefined;
        this.dispatch();
      }, SLOW_MS);
      this.recheck.unref?.();
    }
  }
  private recheck: ReturnType<typeof setTimeout> | undefined;

  /** End idle threads above the minimum that have waited long enough. */
  private reap(): void {
    const limit = (this.opts.idleSeconds ?? 30) * 1000;
    const now = performance.now();
    let idle = 0;
    for (const t of this.threads) if (!t.call) idle++;
    let spare = this.threads.size - this.opts.minThreads;
    for (const t of this.threads) {
      if (spare <= 0 || idle <= 0) return;
      if (t.call || now - t.idleSince < limit) continue;
      t.worker.terminate();
      this.threads.delete(t);
      spare--;
      idle--;
    }
  }

  /** Fail waiting calls and end every thread (blocked ones end with the process). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.reaper);
    if (this.recheck) clearTimeout(this.recheck);
    for (const c of [...this.waiting]) this.fail(c, new Error("fs thread pool is closed"));
    for (const t of this.threads) {
      if (t.call && !t.call.settled) this.fail(t.call, new Error("fs thread pool is closed"));
      t.worker.terminate();
    }
    this.threads.clear();
  }
}
