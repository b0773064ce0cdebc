/**
 * The discrete-event scheduler of one execution (its Parallel branches, Map iterations and
 * Distributed Map child executions included). Frames run one at a time: a frame runs until its
 * virtual clock has to advance (a Wait, a task's duration or `context.sleep`, a retry back-off,
 * a quota delay, a Map slot freed and taking its next item), then parks at that virtual time;
 * when no frame is running, the earliest parked frame resumes (ties: the frame that parked
 * first, which is itself decided by the seeded run, so the same seed gives the same run).
 *
 * Why one at a time: the order in which frames touch shared things (the seeded random source,
 * a simulated API's rate limit, a DynamoDB table) is then the virtual-time order, whatever
 * real I/O a handler does in between. A frame awaiting real I/O (the embedded DynamoDB server)
 * still counts as running, so virtual time never moves while it waits. The cost: real I/O of
 * different frames does not overlap.
 *
 * A frame waiting for something outside the execution (a task token sent through the local
 * API) is detached: it does not hold virtual time back, and resumes at the time reached when
 * its answer comes.
 */

import { Aborted } from './abort';

interface Waiter {
  at: number;
  seq: number;
  /** The parked frame's promise, resolved with the time it resumes at (`park`: with `value`). */
  resolve: (value: any) => void;
  value?: unknown;
  /** `park`: the frame's clock, set to `target` when it resumes ... */
  clock?: { now: number };
  target?: number;
  /** ... or the promise rejected with Aborted when the execution was stopped first. */
  reject?: (stopped: Aborted) => void;
}

export class Scheduler {
  /** The virtual time of the latest frame resumed (ms). */
  now: number;
  /** Frames running (not parked, not detached, not finished). */
  private running = 1;
  private seq = 0;
  private readonly heap: Waiter[] = [];
  /** Set once virtual time reaches `stopAtMs`: every parked frame resumes there and stops. */
  stopped = false;

  constructor(startMs: number, private readonly stopAtMs = Infinity) {
    this.now = startMs;
  }

  /** How many frames are parked. */
  get parked(): number {
    return this.heap.length;
  }

  /**
   * Parks the running caller until virtual time `atMs`; resolves once it is the earliest.
   * Resolves to the time it resumed at: `atMs`, or the stop time if the execution was stopped
   * first (then `stopped` is set).
   */
  waitUntil(atMs: number): Promise<number> {
    const p = this.enqueue(atMs);
    this.running--;
    this.dispatch();
    return p;
  }

  /**
   * `waitUntil` for a frame's clock, in one promise: parks until `wakeAtMs`, then sets the clock
   * to `targetMs`; rejects with Aborted (the clock at the stop time, at most `targetMs`) when the
   * execution was stopped first. A parked frame holds nothing else (thousands park at once).
   * The promise resolves with `value`: a state that knows its result before it waits (a Wait
   * without Output or Assign) parks with it and needs no continuation.
   */
  park<T>(clock: { now: number }, wakeAtMs: number, targetMs: number, value?: T): Promise<T> {
    const p = new Promise<T>((resolve, reject) => {
      push(this.heap, { at: wakeAtMs, seq: this.seq++, resolve, clock, target: targetMs, reject, value });
    });
    this.running--;
    this.dispatch();
    return p;
  }

  /** Registers a new frame (a Map or Parallel worker) that starts once `atMs` is the earliest. */
  spawn(atMs: number): Promise<number> {
    return this.enqueue(atMs);
  }

  /** The caller stops counting as running: it waits for its children or for something outside. */
  detach(): void {
    this.running--;
    this.dispatch();
  }

  /** A detached caller runs again (its outside answer came). */
  attach(): void {
    this.running++;
  }

  /** A spawned frame finished. */
  finish(): void {
    this.running--;
    this.dispatch();
  }

  private enqueue(atMs: number): Promise<number> {
    return new Promise<number>((resolve) => {
      push(this.heap, { at: atMs, seq: this.seq++, resolve });
    });
  }

  private dispatch(): void {
    if (this.running > 0 || this.heap.length === 0) return;
    const next = pop(this.heap)!;
    if (next.at > this.stopAtMs && !this.stopped) {
      this.stopped = true;
      this.now = Math.max(this.now, this.stopAtMs);
    }
    if (!this.stopped && next.at > this.now) this.now = next.at;
    this.running++;
    const clock = next.clock;
    if (clock === undefined) next.resolve(this.now);
    else if (this.stopped) {
      clock.now = Math.max(clock.now, Math.min(this.now, next.target!));
      next.reject!(new Aborted());
    } else {
      clock.now = next.target!;
      next.resolve(next.value);
    }
  }
}

function before(a: Waiter, b: Waiter): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** Binary min-heap on (at, seq): O(log n) per park and resume. */
function push(heap: Waiter[], w: Waiter): void {
  let i = heap.length;
  heap.push(w);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(w, heap[parent])) break;
    heap[i] = heap[parent];
    i = parent;
  }
  heap[i] = w;
}

function pop(heap: Waiter[]): Waiter | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || last === undefined) return top;
  let i = 0;
  const n = heap.length;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= n) break;
    const r = l + 1;
    const c = r < n && before(heap[r], heap[l]) ? r : l;
    if (!before(heap[c], last)) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = last;
  return top;
}
