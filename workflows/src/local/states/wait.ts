/**
 * Wait: advances the branch's virtual clock by Seconds or up to Timestamp, through the
 * scheduler (other frames earlier in virtual time run first); never sleeps.
 * Source: Developer Guide, "Wait workflow state".
 *
 * A parked Wait is what most of a fleet simulation's memory is (thousands of children wait at
 * once), so the body keeps nothing across the park but what the continuation needs.
 */
import { StateRunner } from './index';
import { parseTimestamp } from '../choice-rules';
import type { CompiledState } from '../definition';
import { QueryEvaluationError, RuntimeError } from '../errors';
import type { ExecutionRun, Frame } from '../execution';
import { MAX_WAIT_SECONDS } from '../limits';
import { isPromise, MaybePromise } from '../maybe-promise';
import { safeJson } from '../payload-template';
import { NOT_FOUND } from '../json-path';
import { applyInputPath, completeWithoutResult, evaluateValue, pathEnv, selectPathField, StepResult } from '../state-io';
import type { ContextObject } from '../types';

export const runWait: StateRunner = (run, state, input, frame, ctx) => {
  const effective = state.ql === 'JSONPath' ? applyInputPath(state, input, pathEnv(run, frame, input, ctx)) : input;
  const until = waitUntilMs(run, state, input, effective, frame, ctx);
  if (isPromise(until)) return until.then((ms) => waitThenComplete(run, state, input, effective, frame, ctx, ms));
  return waitThenComplete(run, state, input, effective, frame, ctx, until);
};

function waitThenComplete(run: ExecutionRun, state: CompiledState, input: unknown, effective: unknown, frame: Frame, ctx: ContextObject, untilMs: number | undefined): MaybePromise<StepResult> {
  if (untilMs === undefined || untilMs <= frame.clock.now) return completeWithoutResult(run, state, input, effective, frame, ctx, state.next);
  // Without Output, OutputPath or Assign the result is known now (nothing in it reads the clock):
  // the frame parks holding only that result.
  if (state.output === undefined && state.outputPath === undefined && state.assign === undefined) {
    return run.parkUntil(frame, untilMs, { output: effective, next: state.next, assign: undefined });
  }
  return run.advanceTo(frame, untilMs).then(() => completeWithoutResult(run, state, input, effective, frame, ctx, state.next));
}

/** The virtual time the state waits until (undefined: neither Seconds nor Timestamp). */
function waitUntilMs(run: ExecutionRun, state: CompiledState, input: unknown, effective: unknown, frame: Frame, ctx: ContextObject): number | undefined | Promise<number> {
  if (state.seconds) {
    if (state.seconds.kind === 'path') {
      // AWS's own words for SecondsPath (executions recorded against AWS).
      const { value, path } = selectPathField(state.seconds, run, frame, ctx, effective);
      if (value === NOT_FOUND) throw new RuntimeError(`${errorPrefix(state)} The SecondsPath parameter does not reference an input value: ${path.source}`);
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw new RuntimeError(`${errorPrefix(state)} The SecondsPath parameter cannot be parsed as a long value: ${path.source} == ${typeof value === 'string' ? value : safeJson(value)}`);
      }
      if (value < 0) throw new RuntimeError(`${errorPrefix(state)} The SecondsPath parameter references a negative value: ${path.source} == ${value}`);
      return afterSeconds(state, frame, value);
    }
    const field = state.seconds.field;
    const v = evaluateValue(state.seconds, run, frame, ctx, effective, input, state.name);
    if (isPromise(v)) return v.then((seconds) => afterSeconds(state, frame, checkedSeconds(state, field, seconds)));
    return afterSeconds(state, frame, checkedSeconds(state, field, v));
  }
  if (state.timestamp) {
    if (state.timestamp.kind === 'path') {
      const { value, path } = selectPathField(state.timestamp, run, frame, ctx, effective);
      const ms = value === NOT_FOUND ? undefined : parseTimestamp(value);
      if (ms === undefined) {
        throw new RuntimeError(
          `${errorPrefix(state)} The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path.source} == ${value === NOT_FOUND ? 'null' : typeof value === 'string' ? value : safeJson(value)}`,
        );
      }
      return atTimestamp(state, frame, ms);
    }
    const v = evaluateValue(state.timestamp, run, frame, ctx, effective, input, state.name);
    if (isPromise(v)) return v.then((t) => atTimestamp(state, frame, parsedTimestamp(state, t)));
    return atTimestamp(state, frame, parsedTimestamp(state, v));
  }
  return undefined;
}

function errorPrefix(state: CompiledState): string {
  return `An error occurred while executing the state '${state.name}'.`;
}

function invalid(state: CompiledState, field: string, v: unknown, what: string): Error {
  const message = `${errorPrefix(state)} The value of ${field} must be ${what}, got ${safeJson(v)}`;
  return state.ql === 'JSONata' ? new QueryEvaluationError(message) : new RuntimeError(message);
}

function checkedSeconds(state: CompiledState, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalid(state, field, v, 'a non-negative integer');
  return v;
}

function parsedTimestamp(state: CompiledState, v: unknown): number {
  const ms = parseTimestamp(v);
  if (ms === undefined) {
    const message = `${errorPrefix(state)} The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof v === 'string' ? v : safeJson(v)}`;
    throw state.ql === 'JSONata' ? new QueryEvaluationError(message) : new RuntimeError(message);
  }
  return ms;
}

/**
 * AWS refuses a delay of 2^31 seconds or more at once; a shorter one past the execution's
 * deadline times the execution out (ExecutionRun.checkDeadline).
 */
function tooLong(state: CompiledState, seconds: number): void {
  if (seconds > MAX_WAIT_SECONDS) throw new RuntimeError(`${errorPrefix(state)} Wait state delay is too long.`);
}

function afterSeconds(state: CompiledState, frame: Frame, seconds: number): number {
  tooLong(state, seconds);
  return frame.clock.now + seconds * 1000;
}

function atTimestamp(state: CompiledState, frame: Frame, ms: number): number {
  tooLong(state, (ms - frame.clock.now) / 1000);
  return ms;
}
