/**
 * Task: resolves Parameters/Arguments, runs the work (mock, integration or handler) with
 * TimeoutSeconds/HeartbeatSeconds in virtual time, then processes the result.
 * Source: Developer Guide, "Task workflow state".
 */
import { StateRunner } from './index';
import { QueryEvaluationError, RuntimeError } from '../errors';
import { safeJson } from '../payload-template';
import { invokeTask, TaskLimits } from '../task-invoker';
import {
  applyInputPath,
  applyParameters,
  completeWithResult,
  evaluateValue,
  jsonataBindings,
  pathEnv,
  pathFailure,
  selectPathField,
} from '../state-io';
import { NOT_FOUND } from '../json-path';
import { evaluateJsonataTemplate } from '../jsonata-adapter';

export const runTask: StateRunner = async (run, state, input, frame, ctx) => {
  if (state.resource?.endsWith('.waitForTaskToken')) {
    ctx.Task = { Token: Buffer.from(run.random.uuid()).toString('base64') };
  }
  let effective = input;
  let parameters: unknown;
  if (state.ql === 'JSONPath') {
    effective = applyInputPath(state, input, pathEnv(run, frame, input, ctx));
    parameters = applyParameters(state, effective, pathEnv(run, frame, effective, ctx));
  } else {
    parameters = state.arguments ? await evaluateJsonataTemplate(state.arguments, jsonataBindings(run, frame, ctx, { input }), state.name) : input;
  }

  const limits: TaskLimits = {};
  for (const [key, src] of [
    ['timeoutSeconds', state.timeoutSeconds],
    ['heartbeatSeconds', state.heartbeatSeconds],
  ] as const) {
    if (!src) continue;
    let v: unknown;
    if (src.kind === 'path') {
      const selected = selectPathField(src, run, frame, ctx, effective);
      if (selected.value === NOT_FOUND) throw pathFailure(state, selected.path, selected.roots);
      v = selected.value;
    } else v = await evaluateValue(src, run, frame, ctx, effective, input, state.name);
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
      const message = `An error occurred while executing the state '${state.name}'. The value of ${src.field} must be a positive integer, got ${safeJson(v)}`;
      throw state.ql === 'JSONata' && src.kind === 'jsonata' ? new QueryEvaluationError(message) : new RuntimeError(message);
    }
    limits[key] = v;
  }

  // invokeTask serializes the parameters and the result, enforcing the payload quota.
  const result = await invokeTask(run, state, parameters, frame, ctx, limits);
  return completeWithResult(run, state, input, result, frame, ctx);
};
