/**
 * Wait: advances the branch's virtual clock by Seconds or up to Timestamp; never sleeps.
 * Source: Developer Guide, "Wait workflow state".
 */
import { StateRunner } from './index';
import { parseTimestamp } from '../choice-rules';
import { QueryEvaluationError, RuntimeError } from '../errors';
import { MAX_WAIT_SECONDS } from '../limits';
import { safeJson } from '../payload-template';
import { applyInputPath, completeWithoutResult, evaluateValue, pathEnv } from '../state-io';

export const runWait: StateRunner = async (run, state, input, frame, ctx) => {
  const effective = state.ql === 'JSONPath' ? applyInputPath(state, input, pathEnv(run, frame, input, ctx)) : input;
  const invalid = (field: string, v: unknown, what: string) => {
    const message = `An error occurred while executing the state '${state.name}'. The value of ${field} must be ${what}, got ${safeJson(v)}`;
    return state.ql === 'JSONata' ? new QueryEvaluationError(message) : new RuntimeError(message);
  };
  // AWS refuses a delay of 2^31 seconds or more at once; a shorter one past the execution's
  // deadline times the execution out (ExecutionRun.checkDeadline).
  const tooLong = (seconds: number) => {
    if (seconds > MAX_WAIT_SECONDS) throw new RuntimeError(`An error occurred while executing the state '${state.name}'. Wait state delay is too long.`);
  };
  if (state.seconds) {
    const v = await evaluateValue(state.seconds, run, frame, ctx, effective, input, state.name);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalid(state.seconds.field, v, 'a non-negative integer');
    tooLong(v);
    frame.clock.now += v * 1000;
  } else if (state.timestamp) {
    const v = await evaluateValue(state.timestamp, run, frame, ctx, effective, input, state.name);
    const ms = parseTimestamp(v);
    if (ms === undefined) throw invalid(state.timestamp.field, v, 'an RFC 3339 timestamp such as 2026-01-01T00:00:00Z');
    tooLong((ms - frame.clock.now) / 1000);
    frame.clock.now = Math.max(frame.clock.now, ms);
  }
  return completeWithoutResult(run, state, input, effective, frame, ctx, state.next);
};
