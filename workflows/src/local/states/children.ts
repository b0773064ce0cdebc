/**
 * Runs the sub-machines of a Parallel (one per branch) or a Map (one per item or batch).
 * Children run as concurrent promises, at most `maxConcurrency` at a time; each worker slot has
 * its own virtual clock starting when the parent state started, so the parent's clock ends at
 * the latest child's end. A failure that is not tolerated stops the siblings (at their next
 * state) and the earliest failure in virtual time is reported.
 */
import { CompiledMachine } from '../definition';
import { ExecutionTimedOut, StatesError, toStatesError } from '../errors';
import { AbortToken, Aborted } from '../abort';
import type { ExecutionRun, Frame } from '../execution';

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
}

export async function runChildren(run: ExecutionRun, frame: Frame, jobs: ChildJob[], options: ChildRunOptions): Promise<ChildOutcome[]> {
  const outcomes: ChildOutcome[] = new Array(jobs.length);
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

  const worker = async (clock: { now: number }) => {
    while (!fatal && !run.isStopped(abort) && nextJob < jobs.length) {
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
      };
      const iteration = options.iterationsOf;
      if (iteration !== undefined) run.history.record(cursor, clock.now, 'MapIterationStarted', iteration, index);
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
      }
    }
  };
  await Promise.all(clocks.map((c) => worker(c)));
  frame.clock.now = Math.max(start, ...clocks.map((c) => c.now));
  if (frame.cursor && cursors.length > 0) frame.cursor.last = Math.max(frame.cursor.last, ...cursors.map((c) => c.last));
  if (timedOut) throw timedOut;
  if (frame.abort.isAborted) throw new Aborted();
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
