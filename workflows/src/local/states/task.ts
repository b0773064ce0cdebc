/**
 * Task: resolves Parameters/Arguments, runs the work (mock, integration or handler) with
 * TimeoutSeconds/HeartbeatSeconds in virtual time, then processes the result.
 * Source: Developer Guide, "Task workflow state".
 */
import { StateRunner } from './index';
import { QueryEvaluationError, RuntimeError } from '../errors';
import { evaluatePayloadTemplate, safeJson } from '../payload-template';
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
import type { CompiledState, ValueSource } from '../definition';
import { isPromise } from '../maybe-promise';
import type { ExecutionRun, Frame } from '../execution';
import type { ContextObject, TaskCredentials } from '../types';

/**
 * The Task's `Credentials`, resolved like its Parameters/Arguments (`RoleArn.$` paths, JSONata
 * expressions). Step Functions requires a RoleArn string; anything else fails the state with
 * States.Runtime, as an invalid Parameters value does.
 */
async function resolveCredentials(run: ExecutionRun, state: CompiledState, effective: unknown, input: unknown, frame: Frame, ctx: ContextObject): Promise<TaskCredentials | undefined> {
  let value: unknown;
  if (state.credentials) value = evaluatePayloadTemplate(state.credentials, pathEnv(run, frame, effective, ctx), state.name);
  else if (state.credentialsJsonata) value = await evaluateJsonataTemplate(state.credentialsJsonata, jsonataBindings(run, frame, ctx, { input }), state.name);
  else return undefined;
  const roleArn = (value as { RoleArn?: unknown } | null)?.RoleArn;
  if (typeof roleArn !== 'string' || roleArn.length === 0) {
    throw new RuntimeError(`An error occurred while executing the state '${state.name}'. The Credentials field must resolve to an object with a RoleArn string, got ${safeJson(value)}`);
  }
  return { RoleArn: roleArn };
}

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
    if (state.arguments) {
      const args = evaluateJsonataTemplate(state.arguments, jsonataBindings(run, frame, ctx, { input }), state.name);
      parameters = isPromise(args) ? await args : args;
    } else parameters = input;
  }

  const limits: TaskLimits = {};
  if (state.timeoutSeconds) limits.timeoutSeconds = await taskLimit(run, state, state.timeoutSeconds, frame, ctx, effective, input);
  if (state.heartbeatSeconds) limits.heartbeatSeconds = await taskLimit(run, state, state.heartbeatSeconds, frame, ctx, effective, input);

  const credentials = state.credentials || state.credentialsJsonata ? await resolveCredentials(run, state, effective, input, frame, ctx) : undefined;
  // invokeTask serializes the parameters and the result, enforcing the payload quota.
  const result = await invokeTask(run, state, parameters, frame, ctx, limits, credentials);
  return completeWithResult(run, state, input, result, frame, ctx);
};

/** TimeoutSeconds or HeartbeatSeconds (constant, `...Path` or JSONata): a positive integer. */
async function taskLimit(run: ExecutionRun, state: CompiledState, src: ValueSource, frame: Frame, ctx: ContextObject, effective: unknown, input: unknown): Promise<number> {
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
  return v;
}
