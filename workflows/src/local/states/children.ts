/**
 * Runs the sub-machines of a Parallel (one per branch) or a Map (one per item or batch).
 * Children run in worker slots, at most `maxConcurrency` at a time; each slot has its own
 * virtual clock starting when the parent state started, and the scheduler runs the slots in
 * virtual-time order: a slot that is free earliest takes the next item. The parent's clock
 * ends at the latest child's end. A Distributed Map's children are child executions: started
 * at most at the Map Run start rate, at most `maxDistributedMapConcurrency` at once. A failure
 * that is not tolerated stops the siblings (at their next state) and the earliest failure in
 * virtual time is reported.
 */
import { CompiledMachine } from '../definition';
import { ExecutionTimedOut, StatesError, toStatesError } from '../errors';
import { AbortToken, Aborted } from '../abort';
import type { ExecutionRun, Frame } from '../execution';
import { ChildStartLimiter } from '../scheduler-quotas';

export interface ChildJob {
  machine: CompiledMachine;
  input: unknown;
  label: string;
}

export type ChildOutcome = { ok: true; output: unknown } | { ok: false; error: StatesError; at: number };

export interface ChildRunOptions {
  maxConcurrency: number;
  /** Distributed Map children see no outer variables. */
  isolatedScope: boolean;
  /** Called after each failure of job `index`; return true to stop all children. */
  isFatal(index: number): boolean;
  /** Inline Map: the state name for MapIterationStarted / Succeeded / Failed events. */
  iterationsOf?: string;
  /** Record the children's events in this execution's history (not for Distributed Map child executions). */
  recordChildren: boolean;
  /** Distributed Map children: the Map Run's child start rate (per second) applies. */
  childStartsPerSecond?: number;
}

export async function runChildren(run: ExecutionRun, frame: Frame, jobs: ChildJob[], options: ChildRunOptions): Promise<ChildOutcome[]> {
  const outcomes: ChildOutcome[] = new Array(jobs.length);
  if (jobs.length === 0) return outcomes;
  const scheduler = run.scheduler;
  const starts = options.childStartsPerSecond === undefined ? undefined : new ChildStartLimiter(options.childStartsPerSecond, run.quotaStats);
  const abort = new AbortToken(frame.abort);
  const start = frame.clock.now;
  let nextJob = 0;
  let fatal = false;
  let timedOut: ExecutionTimedOut | undefined;
  const workerCount = Math.max(1, Math.min(options.maxConcurrency, jobs.length));
  const clocks = Array.from({ length: workerCount }, () => ({ now: start }));
  // Each child's events follow the parent's last one (ParallelStateStarted, MapStateStarted).
  const forkedFrom = frame.cursor?.last ?? 0;
  const cursors: { last: number }[] = [];

  let live = workerCount;
  const worker = async (clock: { now: number }) => {
    await scheduler.spawn(clock.now);
    try {
      await work(clock);
    } finally {
      // The last slot to finish hands its turn to the parent, which continues at once.
      if (--live > 0) scheduler.finish();
    }
  };
  const work = async (clock: { now: number }) => {
    for (let first = true; ; first = false) {
      // A slot free again takes its next item only when no frame is earlier in virtual time.
      if (!first) await scheduler.waitUntil(clock.now);
      if (fatal || run.isStopped(abort) || nextJob >= jobs.length) return;
      const index = nextJob++;
      const job = jobs[index];
      const cursor = options.recordChildren && frame.cursor ? { last: forkedFrom } : undefined;
      if (cursor) cursors.push(cursor);
      const child: Frame = {
        scope: frame.scope.child(options.isolatedScope),
        clock,
        abort,
        label: frame.label ? `${frame.label}/${job.label}` : job.label,
        execution: frame.execution,
        cursor,
        // Isolated scope = a Distributed Map child: an execution of its own, with its own transition count.
        transitions: options.isolatedScope ? { count: 0 } : frame.transitions,
        // A child execution's states are in its own history and trace, not the parent's.
        traced: options.isolatedScope ? run.traceChildExecutions : frame.traced,
      };
      const iteration = options.iterationsOf;
      if (iteration !== undefined) run.history.record(cursor, clock.now, 'MapIterationStarted', iteration, index);
      if (starts) {
        const at = starts.start(clock.now);
        if (at > clock.now) {
          try {
            await run.advanceTo(child, at);
          } catch (e) {
            if (e instanceof Aborted) return;
            throw e;
          }
        }
        run.childInFlight(true);
      }
      try {
        outcomes[index] = { ok: true, output: await run.runMachine(job.machine, job.input, child) };
        if (iteration !== undefined) run.history.record(cursor, clock.now, 'MapIterationSucceeded', iteration, index);
      } catch (e) {
        if (e instanceof Aborted) {
          if (iteration !== undefined) run.history.record(cursor, clock.now, 'MapIterationAborted', iteration, index);
          return;
        }
        if (iteration !== undefined && !(e instanceof ExecutionTimedOut)) run.history.record(cursor, clock.now, 'MapIterationFailed', iteration, index);
        if (e instanceof ExecutionTimedOut) {
          // The whole execution is over: stop every sibling, and no Catch of this state applies.
          timedOut ??= e;
          fatal = true;
          abort.abort();
          return;
        }
        outcomes[index] = { ok: false, error: toStatesError(e), at: clock.now };
        if (options.isFatal(index)) {
          fatal = true;
          abort.abort();
        }
      } finally {
        if (starts) run.childInFlight(false);
      }
    }
  };
  const workers = clocks.map((c) => worker(c));
  // The parent waits for its slots without holding virtual time back.
  scheduler.detach();
  await Promise.all(workers);
  let end = start;
  for (const c of clocks) if (c.now > end) end = c.now;
  frame.clock.now = end;
  if (frame.cursor) for (const c of cursors) if (c.last > frame.cursor.last) frame.cursor.last = c.last;
  if (timedOut) throw timedOut;
  if (frame.abort.isAborted || run.stoppedAtVirtualTime) throw new Aborted();
  return outcomes;
}

/** The failure to report: the earliest in virtual time, then the lowest index. */
export function firstFailure(outcomes: ChildOutcome[]): StatesError | undefined {
  let best: { error: StatesError; at: number } | undefined;
  for (const o of outcomes) {
    if (o && !o.ok && (!best || o.at < best.at)) best = o;
  }
  return best?.error;
}
