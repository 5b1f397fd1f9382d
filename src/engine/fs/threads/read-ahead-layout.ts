// The shared memory between an fs thread hashing a big file and its read-ahead thread
// (read-ahead.ts, read-ahead-thread.ts): a ring of slots the reader fills with consecutive
// reads of one file and the hasher empties in the same order. Only this module knows where
// each field lives.

/** A slot's state: the only field both threads write (Atomics only). */
export const EMPTY = 0;
/** Filled with `length` bytes; more follow. */
export const FULL = 1;
/** Filled with the file's last `length` bytes (maybe 0): the reader is done with this job. */
export const LAST = 2;
/** The read failed: `length` holds its errno (positive); the reader is done with this job. */
export const FAILED = 3;

/**
 * Int32 words: [0] the reader is ready, [1] the job counter, [2] the job's fd; [8, 9] the job's
 * first byte as a float64 (offsets beyond 2^31); then each slot's state, then each slot's
 * length. The slots' bytes start at the next 64-byte boundary.
 */
const READY = 0;
const JOB = 1;
const FD = 2;
const POSITION_BYTE = 8 * 4;
const STATE_AT = 10;
const wordCount = (slots: number) => STATE_AT + 2 * slots;
const dataOffset = (slots: number) => Math.ceil((wordCount(slots) * 4) / 64) * 64;

export interface RingShape {
  readonly slots: number;
  readonly slotBytes: number;
}

/** Both threads' view of one shared buffer. */
export class Ring {
  readonly words: Int32Array;
  private readonly position: Float64Array;
  readonly buffers: Uint8Array[];
  private readonly stateAt = STATE_AT;
  private readonly lengthAt: number;

  constructor(
    readonly sab: SharedArrayBuffer,
    readonly shape: RingShape,
  ) {
    const { slots, slotBytes } = shape;
    this.lengthAt = STATE_AT + slots;
    this.words = new Int32Array(sab, 0, wordCount(slots));
    this.position = new Float64Array(sab, POSITION_BYTE, 1);
    this.buffers = Array.from({ length: slots }, (_, i) => new Uint8Array(sab, dataOffset(slots) + i * slotBytes, slotBytes));
  }

  static create(shape: RingShape): Ring {
    return new Ring(new SharedArrayBuffer(dataOffset(shape.slots) + shape.slots * shape.slotBytes), shape);
  }

  // --- the reader's start-up handshake ---
  markReady(): void {
    Atomics.store(this.words, READY, 1);
    Atomics.notify(this.words, READY);
  }
  /** Waits up to `ms` for the reader to start; false if it did not. */
  awaitReady(ms: number): boolean {
    return Atomics.wait(this.words, READY, 0, ms) !== "timed-out" || Atomics.load(this.words, READY) === 1;
  }

  // --- jobs: the hasher posts one, the reader waits for the next ---
  postJob(fd: number, from: number): void {
    this.words[FD] = fd;
    this.position[0] = from;
    Atomics.add(this.words, JOB, 1);
    Atomics.notify(this.words, JOB);
  }
  /** Blocks until a job after `seen` is posted; returns its number, fd and first byte. */
  nextJob(seen: number): { job: number; fd: number; from: number } {
    Atomics.wait(this.words, JOB, seen);
    return { job: Atomics.load(this.words, JOB), fd: this.words[FD]!, from: this.position[0]! };
  }

  // --- slots ---
  state(i: number): number {
    return Atomics.load(this.words, this.stateAt + i);
  }
  length(i: number): number {
    return this.words[this.lengthAt + i]!;
  }
  /** The reader: blocks until slot `i` is empty. */
  awaitEmpty(i: number): void {
    let now: number;
    while ((now = this.state(i)) !== EMPTY) Atomics.wait(this.words, this.stateAt + i, now);
  }
  /** The hasher: blocks until slot `i` is filled (or failed); returns its state. */
  awaitFilled(i: number): number {
    let now: number;
    while ((now = this.state(i)) === EMPTY) Atomics.wait(this.words, this.stateAt + i, EMPTY);
    return now;
  }
  /** Sets slot `i` (its length first, so the other thread sees it with the state). */
  set(i: number, s: number, length = 0): void {
    this.words[this.lengthAt + i] = length;
    Atomics.store(this.words, this.stateAt + i, s);
    Atomics.notify(this.words, this.stateAt + i);
  }
}
