/**
 * Runs a Task's work: a mocked response (Step Functions Local format), an integration matched
 * by resource ARN prefix (built in: Lambda), or a task handler registered by state name or
 * resource ARN. Handlers run in virtual time: `context.sleep()` spends task time, and
 * TimeoutSeconds / HeartbeatSeconds are enforced against it.
 */
import { CompiledState } from './definition';
import { ErrorNames, LocalRuntimeConfigError, RuntimeError, StatesError, toStatesError } from './errors';
import { checkDepth, checkSerializedSize, dataLimitCause, payloadWithinQuota } from './state-io';
import { copyAsJson, jsonRoundTrip, NOT_PLAIN } from './json-copy';
import { MAX_PAYLOAD_BYTES } from './limits';
import { Aborted } from './abort';
import type { ExecutionRun, Frame } from './execution';
import { ContextObject, Integration, IntegrationRequest, TaskContext, TaskCredentials, TaskHandler } from './types';

const LAMBDA_INVOKE = 'arn:aws:states:::lambda:invoke';
const LAMBDA_ARN = 'arn:aws:lambda:';

/** Strips the service integration pattern suffix (.sync, .sync:2, .waitForTaskToken). */
export function baseResource(resource: string): string {
  return resource.replace(/\.(sync(:\d+)?|waitForTaskToken)$/, '');
}

/**
 * `my-fn`, `my-fn:prod`, `123456789012:function:my-fn`, and
 * `arn:aws:lambda:us-east-1:123456789012:function:my-fn:prod` all name `my-fn`.
 */
export function lambdaFunctionName(nameOrArn: string): string {
  const m = /(?:^|:)function:([^:]+)/.exec(nameOrArn);
  if (m) return m[1];
  return nameOrArn.split(':')[0];
}

/** Lambda's error shape: error name = errorType; Cause = {errorMessage, errorType, trace}. */
export function lambdaError(thrown: unknown): StatesError {
  if (thrown instanceof StatesError) return thrown;
  if (thrown instanceof Error) {
    const errorType = thrown.name || 'Error';
    const trace = stackLines(thrown);
    return new StatesError(errorType, JSON.stringify({ errorMessage: thrown.message, errorType, trace }));
  }
  return toStatesError(thrown);
}

/**
 * The `at ...` lines of an error's stack, as Lambda's `trace` lists them. Read from V8's call
 * sites of the code that ran (as Lambda runs the bundled code), not through a source-map hook:
 * under tsx a mapped `error.stack` costs far more than the handler. A stack already formatted
 * (read before the handler threw) is split as it is.
 */
function stackLines(error: Error): string[] {
  const prepare = Error.prepareStackTrace;
  let stack: unknown;
  Error.prepareStackTrace = (_e, callSites) => callSites;
  try {
    stack = error.stack;
  } finally {
    Error.prepareStackTrace = prepare;
  }
  if (Array.isArray(stack)) {
    const lines: string[] = new Array(stack.length);
    // The error keeps a string stack, V8's own format, for whoever reads it next.
    let formatted = `${error.name}: ${error.message}`;
    for (let i = 0; i < stack.length; i++) {
      lines[i] = `at ${String(stack[i])}`;
      formatted += `\n    ${lines[i]}`;
    }
    error.stack = formatted;
    return lines;
  }
  return (typeof stack === 'string' ? stack : '').split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
}

/** AWS's response envelope for `arn:aws:states:::lambda:invoke`. */
function lambdaEnvelope(payload: unknown, requestId: string): Record<string, unknown> {
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload === undefined ? null : payload,
    SdkHttpMetadata: {
      AllHttpHeaders: {
        'X-Amz-Executed-Version': ['$LATEST'],
        'x-amzn-Remapped-Content-Length': ['0'],
        Connection: ['keep-alive'],
        'x-amzn-RequestId': [requestId],
        'Content-Type': ['application/json'],
      },
      HttpHeaders: {
        Connection: 'keep-alive',
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-Remapped-Content-Length': '0',
        'x-amzn-RequestId': requestId,
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

const lambdaInvoke: Integration = async (req) => {
  const params = (req.parameters ?? {}) as Record<string, unknown>;
  const functionName = params.FunctionName;
  if (typeof functionName !== 'string') {
    throw new RuntimeError(`State '${req.stateName}' calls ${LAMBDA_INVOKE} without a FunctionName string in its Parameters/Arguments`);
  }
  const name = lambdaFunctionName(functionName);
  const handler = req.findHandler(functionName, name);
  if (!handler) {
    throw new RuntimeError(
      `State '${req.stateName}' invokes Lambda function '${name}', which has no handler: register taskHandlers['${name}'] or taskHandlers['${req.stateName}']`,
    );
  }
  let payload: unknown;
  try {
    payload = await handler(params.Payload === undefined ? {} : params.Payload, req.context);
  } catch (e) {
    throw lambdaError(e);
  }
  return req.waitForTaskToken ? payload : lambdaEnvelope(payload, req.requestId);
};

const lambdaArn: Integration = async (req) => {
  const name = lambdaFunctionName(req.resource);
  const handler = req.findHandler(req.resource, name);
  if (!handler) {
    throw new RuntimeError(
      `State '${req.stateName}' invokes Lambda function '${name}', which has no handler: register taskHandlers['${name}'] or taskHandlers['${req.stateName}']`,
    );
  }
  try {
    return await handler(req.parameters, req.context);
  } catch (e) {
    throw lambdaError(e);
  }
};

export const BUILT_IN_INTEGRATIONS: Record<string, Integration> = {
  [LAMBDA_INVOKE]: lambdaInvoke,
  [LAMBDA_ARN]: lambdaArn,
};

/** A JSON round trip (what crosses a service boundary in AWS is serialized), in one walk for plain data. */
export function jsonCopy(v: unknown): unknown {
  return jsonRoundTrip(v);
}

/**
 * A JSON round trip that also enforces the payload quota (States.DataLimitExceeded). A result
 * over the quota gets AWS's cause naming `resultOf` (the resource type of an integration, or
 * the Lambda function ARN); it fails the task, so a Catch sees it.
 */
export function serializeChecked(v: unknown, stateName: string, what: string, resultOf?: string): unknown {
  if (v === undefined) return null;
  if (v !== null && typeof v === 'object') {
    // One walk: the copy and a bound of its size; the exact size only when the bound nears the quota.
    const copy = copyAsJson(v);
    if (copy !== NOT_PLAIN && copy.bytesBound <= MAX_PAYLOAD_BYTES) return copy.value;
  }
  const tooDeep = checkDepth(v, `The ${what} of state '${stateName}'`);
  if (tooDeep) throw tooDeep;
  const text = JSON.stringify(v);
  if (text === undefined) return null;
  if (resultOf === undefined) checkSerializedSize(text, stateName, what);
  else if (!payloadWithinQuota(text)) throw new StatesError(ErrorNames.DataLimitExceeded, dataLimitCause(resultOf));
  return v === null || typeof v !== 'object' ? v : JSON.parse(text);
}

const TASK_EVENTS = { scheduled: 'TaskScheduled', started: 'TaskStarted', succeeded: 'TaskSucceeded', failed: 'TaskFailed', timedOut: 'TaskTimedOut' };
/** A Lambda function ARN as Resource (not `lambda:invoke`) gets Step Functions' older LambdaFunction* events. */
const LAMBDA_EVENTS = {
  scheduled: 'LambdaFunctionScheduled',
  started: 'LambdaFunctionStarted',
  succeeded: 'LambdaFunctionSucceeded',
  failed: 'LambdaFunctionFailed',
  timedOut: 'LambdaFunctionTimedOut',
};

export interface TaskLimits {
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

export async function invokeTask(
  run: ExecutionRun,
  state: CompiledState,
  parameters: unknown,
  frame: Frame,
  ctx: ContextObject,
  limits: TaskLimits,
  credentials?: TaskCredentials,
): Promise<unknown> {
  const resource = state.resource as string;
  const start = frame.clock.now;
  let elapsed = 0;
  const heartbeats = [0];
  // A sleep that crosses TimeoutSeconds or HeartbeatSeconds cuts the work off there: the
  // handler is abandoned (its sleep never returns), as Step Functions stops waiting for it.
  let cutOff: (() => void) | undefined;
  const limited = limits.timeoutSeconds !== undefined || limits.heartbeatSeconds !== undefined;
  const cut = limited
    ? new Promise<typeof CUT_OFF>((resolve) => {
      cutOff = () => resolve(CUT_OFF);
    })
    : undefined;
  const limitMs = () => {
    let at = Infinity;
    if (limits.heartbeatSeconds !== undefined) at = heartbeats[heartbeats.length - 1] + limits.heartbeatSeconds * 1000;
    if (limits.timeoutSeconds !== undefined) at = Math.min(at, limits.timeoutSeconds * 1000);
    return at;
  };
  const taskContext: TaskContext = {
    stateName: state.name,
    resource,
    parameters,
    taskToken: ctx.Task?.Token,
    contextObject: ctx,
    retryCount: ctx.State.RetryCount,
    credentials,
    sleep: async (seconds: number) => {
      const target = elapsed + Math.max(0, seconds) * 1000;
      const limit = limitMs();
      if (target > limit) {
        await run.advanceTo(frame, start + limit);
        elapsed = target;
        cutOff!();
        return new Promise<void>(() => undefined);
      }
      await run.advanceTo(frame, start + target);
      elapsed = target;
    },
    heartbeat: () => {
      heartbeats.push(elapsed);
    },
    now: () => new Date(start + elapsed),
  };

  // The task's events, as GetExecutionHistory shows them for this kind of resource.
  const events = state.lambdaArn ? LAMBDA_EVENTS : TASK_EVENTS;
  run.history.record(frame.cursor, start, events.scheduled, state, parameters, limits);
  run.history.record(frame.cursor, start, events.started, state);
  const failed = (error: StatesError, atMs: number, timedOut = false): StatesError => {
    run.history.record(frame.cursor, atMs, timedOut ? events.timedOut : events.failed, state, error);
    return error;
  };

  let outcome: { ok: true; value: unknown } | { ok: false; error: StatesError };
  try {
    const copy = serializeChecked(parameters, state.name, 'input (after Parameters/Arguments)');
    let value = cut ? await Promise.race([callTarget(run, state, resource, copy, taskContext), cut]) : await callTarget(run, state, resource, copy, taskContext);
    const wait = run.options.awaitTaskToken;
    if (value !== CUT_OFF && wait && taskContext.taskToken !== undefined && !run.mocks?.has(state.name)) value = await awaitOutside(run, frame, wait(taskContext.taskToken, state.name));
    outcome = { ok: true, value };
  } catch (e) {
    // StopExecution while the task waits: the execution ends ABORTED, not with the task's error.
    if (run.options.abort?.aborted || e instanceof Aborted) throw new Aborted();
    if (e instanceof RuntimeError) throw e;
    if (e instanceof LocalRuntimeConfigError) throw new RuntimeError(e.message);
    outcome = { ok: false, error: toStatesError(e) };
  }

  // Which limit, if any, was hit first in virtual time?
  let failAt = Infinity;
  let failure: StatesError | undefined;
  if (limits.heartbeatSeconds !== undefined) {
    const hb = limits.heartbeatSeconds * 1000;
    const marks = [...heartbeats, elapsed];
    for (let i = 1; i < marks.length; i++) {
      if (marks[i] - marks[i - 1] > hb) {
        failAt = marks[i - 1] + hb;
        // AWS reports heartbeat and task timeouts with the error name alone (recorded executions).
        failure = new StatesError(ErrorNames.HeartbeatTimeout);
        break;
      }
    }
  }
  if (limits.timeoutSeconds !== undefined) {
    const to = limits.timeoutSeconds * 1000;
    if (elapsed > to && to < failAt) {
      failAt = to;
      failure = new StatesError(ErrorNames.Timeout);
    }
  }
  if (failure) {
    frame.clock.now = Math.max(frame.clock.now, start + failAt);
    throw failed(failure, frame.clock.now, true);
  }
  if (start + elapsed > frame.clock.now) await run.advanceTo(frame, start + elapsed);
  if (!outcome.ok) throw failed(outcome.error, frame.clock.now);
  let result: unknown;
  try {
    result = serializeChecked(outcome.value, state.name, 'result', state.resultOwner);
  } catch (e) {
    if (e instanceof RuntimeError) throw e;
    throw failed(e as StatesError, frame.clock.now);
  }
  run.history.record(frame.cursor, frame.clock.now, events.succeeded, state, result);
  return result;
}

const CUT_OFF = Symbol('cut off at a task limit');

/**
 * Waits for a task token's answer, which comes from outside the execution (SendTaskSuccess
 * through the local API): the frame is detached from the scheduler meanwhile, so it holds no
 * virtual time back, and continues at the virtual time reached when the answer came.
 */
async function awaitOutside<T>(run: ExecutionRun, frame: Frame, answer: Promise<T>): Promise<T> {
  run.scheduler.detach();
  try {
    return await answer;
  } finally {
    run.scheduler.attach();
    frame.clock.now = Math.max(frame.clock.now, run.scheduler.now);
  }
}

async function callTarget(run: ExecutionRun, state: CompiledState, resource: string, parameters: unknown, context: TaskContext): Promise<unknown> {
  if (run.mocks?.has(state.name)) return jsonCopy(run.mocks.next(state.name));

  const handlers = run.options.taskHandlers ?? {};
  // The state's name first, then the keys in order; no array per call (once per task attempt).
  const findHandler = (...keys: string[]): TaskHandler | undefined => {
    if (Object.prototype.hasOwnProperty.call(handlers, state.name)) return handlers[state.name];
    for (let i = 0; i < keys.length; i++) {
      if (Object.prototype.hasOwnProperty.call(handlers, keys[i])) return handlers[keys[i]];
    }
    return undefined;
  };
  const base = baseResource(resource);
  const integration = findIntegration(run, base);
  if (integration) {
    const request: IntegrationRequest = {
      stateName: state.name,
      credentials: context.credentials,
      resource,
      parameters,
      context,
      waitForTaskToken: resource.endsWith('.waitForTaskToken'),
      requestId: run.random.uuid(),
      findHandler,
    };
    return integration(request);
  }
  const handler = findHandler(resource, base);
  if (!handler) {
    throw new RuntimeError(
      `State '${state.name}' calls resource '${resource}', which the local runtime cannot run: register taskHandlers['${state.name}'], taskHandlers['${base}'], an integration for its ARN prefix, or a mocked response`,
    );
  }
  return handler(parameters, context);
}

function findIntegration(run: ExecutionRun, resource: string): Integration | undefined {
  const cache = run.integrationByResource;
  if (cache.has(resource)) return cache.get(resource);
  const found = longestPrefix(run, resource);
  cache.set(resource, found);
  return found;
}

function longestPrefix(run: ExecutionRun, resource: string): Integration | undefined {
  let best: string | undefined;
  const all = run.integrations;
  for (const prefix of Object.keys(all)) {
    if (resource.startsWith(prefix) && (best === undefined || prefix.length > best.length)) best = prefix;
  }
  return best === undefined ? undefined : all[best];
}
