/**
 * Wait: advances the branch's virtual clock by Seconds or up to Timestamp, through the
 * scheduler (other frames earlier in virtual time run first); never sleeps.
 * Source: Developer Guide, "Wait workflow state".
 */
import { StateRunner } from './index';
import { parseTimestamp } from '../choice-rules';
import { QueryEvaluationError, RuntimeError } from '../errors';
import { MAX_WAIT_SECONDS } from '../limits';
import { safeJson } from '../payload-template';
import { NOT_FOUND } from '../json-path';
import { applyInputPath, completeWithoutResult, evaluateValue, pathEnv, selectPathField } from '../state-io';

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
  const prefix = `An error occurred while executing the state '${state.name}'.`;
  if (state.seconds) {
    let v: unknown;
    if (state.seconds.kind === 'path') {
      // AWS's own words for SecondsPath (executions recorded against AWS).
      const { value, path } = selectPathField(state.seconds, run, frame, ctx, effective);
      if (value === NOT_FOUND) throw new RuntimeError(`${prefix} The SecondsPath parameter does not reference an input value: ${path.source}`);
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        throw new RuntimeError(`${prefix} The SecondsPath parameter cannot be parsed as a long value: ${path.source} == ${typeof value === 'string' ? value : safeJson(value)}`);
      }
      if (value < 0) throw new RuntimeError(`${prefix} The SecondsPath parameter references a negative value: ${path.source} == ${value}`);
      v = value;
    } else {
      v = await evaluateValue(state.seconds, run, frame, ctx, effective, input, state.name);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw invalid(state.seconds.field, v, 'a non-negative integer');
    }
    tooLong(v as number);
    await run.advanceTo(frame, frame.clock.now + (v as number) * 1000);
  } else if (state.timestamp) {
    let ms: number | undefined;
    if (state.timestamp.kind === 'path') {
      const { value, path } = selectPathField(state.timestamp, run, frame, ctx, effective);
      ms = value === NOT_FOUND ? undefined : parseTimestamp(value);
      if (ms === undefined) {
        throw new RuntimeError(
          `${prefix} The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path.source} == ${value === NOT_FOUND ? 'null' : typeof value === 'string' ? value : safeJson(value)}`,
        );
      }
    } else {
      const v = await evaluateValue(state.timestamp, run, frame, ctx, effective, input, state.name);
      ms = parseTimestamp(v);
      if (ms === undefined) {
        const message = `${prefix} The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof v === 'string' ? v : safeJson(v)}`;
        throw state.ql === 'JSONata' ? new QueryEvaluationError(message) : new RuntimeError(message);
      }
    }
    tooLong((ms - frame.clock.now) / 1000);
    await run.advanceTo(frame, ms);
  }
  return completeWithoutResult(run, state, input, effective, frame, ctx, state.next);
};
