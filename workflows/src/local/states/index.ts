/** Dispatches a state visit to its type's implementation. */
import { CompiledState } from '../definition';
import type { ExecutionRun, Frame } from '../execution';
import { MaybePromise } from '../maybe-promise';
import { StepResult } from '../state-io';
import { ContextObject } from '../types';
import { runChoice } from './choice';
import { runFail } from './fail';
import { runMap } from './map';
import { runParallel } from './parallel';
import { runPass } from './pass';
import { runSucceed } from './succeed';
import { runTask } from './task';
import { runWait } from './wait';

/** A state's body: synchronous when nothing in it waits (see maybe-promise.ts). */
export type StateRunner = (run: ExecutionRun, state: CompiledState, input: unknown, frame: Frame, ctx: ContextObject) => MaybePromise<StepResult>;

const RUNNERS: Record<CompiledState['type'], StateRunner> = {
  Task: runTask,
  Pass: runPass,
  Choice: runChoice,
  Wait: runWait,
  Succeed: runSucceed,
  Fail: runFail,
  Parallel: runParallel,
  Map: runMap,
};

export function runStateBody(run: ExecutionRun, state: CompiledState, input: unknown, frame: Frame, ctx: ContextObject): MaybePromise<StepResult> {
  return RUNNERS[state.type](run, state, input, frame, ctx);
}
