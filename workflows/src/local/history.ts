/**
 * The execution history in the shape of Step Functions' GetExecutionHistory: typed events with
 * ids in the order they happened, the id of the previous event of the same thread (branch,
 * iteration), timestamps on the virtual clock, and the details object per event type (input,
 * output and parameters as JSON strings, `...Details: { truncated: false }`).
 *
 * Recording must cost next to nothing (the runtime's speed is a feature): each event is a few
 * array slots holding references to the state data (never mutated in place); the details are
 * built, and the data serialized, only when the history is read.
 * Source: Step Functions API Reference, "GetExecutionHistory" and "HistoryEvent"; event
 * sequences as recorded against AWS in LocalStack's AWS-validated snapshots
 * (tests/aws/services/stepfunctions/v2/**\/*.snapshot.json).
 */
import type { CompiledState } from './definition';
import type { StatesError } from './errors';

/** One event, as `@aws-sdk/client-sfn`'s `HistoryEvent` (timestamp a Date). */
export interface HistoryEvent {
  timestamp: Date;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: unknown;
}

/** Where a thread of events stands: the id its next event follows. */
export interface HistoryCursor {
  last: number;
}

/** Event types with arguments `a`, `b`, `c` (see `details`). */
export type HistoryEventType = string;

const STATE_TYPES = ['Task', 'Pass', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
/** `TaskStateEntered`, ... interned once. */
export const STATE_ENTERED: Record<string, string> = Object.fromEntries(STATE_TYPES.map((t) => [t, `${t}StateEntered`]));
export const STATE_EXITED: Record<string, string> = Object.fromEntries(STATE_TYPES.map((t) => [t, `${t}StateExited`]));

/** Slots per event in the recorder's flat array: type, time, previous id, a, b, c. */
const STRIDE = 6;

export class HistoryRecorder {
  /** One flat array (fewer allocations than an object per event). */
  private readonly slots: unknown[] = [];

  constructor(private readonly region: string) {}

  get size(): number {
    return this.slots.length / STRIDE;
  }

  /** Appends an event after the cursor's last one and moves the cursor; returns its id (0: not recorded). */
  record(cursor: HistoryCursor | undefined, atMs: number, type: HistoryEventType, a?: unknown, b?: unknown, c?: unknown): number {
    if (!cursor) return 0;
    this.slots.push(type, atMs, cursor.last, a, b, c);
    return (cursor.last = this.slots.length / STRIDE);
  }

  /** The events as GetExecutionHistory returns them. */
  toEvents(): HistoryEvent[] {
    const events: HistoryEvent[] = [];
    for (let i = 0; i < this.slots.length; i += STRIDE) {
      const [type, atMs, previousEventId, a, b, c] = this.slots.slice(i, i + STRIDE) as [string, number, number, unknown, unknown, unknown];
      const event: HistoryEvent = { timestamp: new Date(atMs), type, id: i / STRIDE + 1, previousEventId };
      const d = this.details(type, a, b, c);
      if (d) event[d[0]] = d[1];
      events.push(event);
    }
    return events;
  }

  private details(type: string, a: unknown, b: unknown, c: unknown): [string, Record<string, unknown>] | undefined {
    if (type.endsWith('StateEntered')) return ['stateEnteredEventDetails', { name: a, ...data('input', b) }];
    if (type.endsWith('StateExited')) {
      const d: Record<string, unknown> = { name: a, ...data('output', b) };
      if (c) {
        d.assignedVariables = Object.fromEntries(Object.entries(c as object).map(([k, v]) => [k, JSON.stringify(v)]));
        d.assignedVariablesDetails = { truncated: false };
      }
      return ['stateExitedEventDetails', d];
    }
    switch (type) {
      case 'ExecutionStarted':
        return ['executionStartedEventDetails', { ...data('input', a), roleArn: b }];
      case 'ExecutionSucceeded':
        return ['executionSucceededEventDetails', data('output', b)];
      case 'ExecutionFailed':
        return ['executionFailedEventDetails', errorDetails(b as StatesError)];
      case 'ExecutionTimedOut':
        return ['executionTimedOutEventDetails', errorDetails(b as StatesError)];
      case 'ExecutionAborted':
        return ['executionAbortedEventDetails', errorDetails(b as StatesError | undefined)];
      case 'TaskScheduled': {
        const limits = (c ?? {}) as { timeoutSeconds?: number; heartbeatSeconds?: number };
        return ['taskScheduledEventDetails', {
          ...taskResourceParts((a as CompiledState).resource!),
          region: this.region,
          parameters: JSON.stringify(b ?? null),
          ...(limits.timeoutSeconds !== undefined ? { timeoutInSeconds: limits.timeoutSeconds } : {}),
          ...(limits.heartbeatSeconds !== undefined ? { heartbeatInSeconds: limits.heartbeatSeconds } : {}),
        }];
      }
      case 'TaskStarted':
        return ['taskStartedEventDetails', taskResourceParts((a as CompiledState).resource!)];
      case 'TaskSubmitted':
        return ['taskSubmittedEventDetails', { ...taskResourceParts((a as CompiledState).resource!), ...data('output', b) }];
      case 'TaskSucceeded':
        return ['taskSucceededEventDetails', { ...taskResourceParts((a as CompiledState).resource!), ...data('output', b) }];
      case 'TaskFailed':
        return ['taskFailedEventDetails', { ...errorDetails(b as StatesError), ...taskResourceParts((a as CompiledState).resource!) }];
      case 'TaskTimedOut':
        return ['taskTimedOutEventDetails', { ...errorDetails(b as StatesError), ...taskResourceParts((a as CompiledState).resource!) }];
      case 'LambdaFunctionScheduled': {
        const limits = (c ?? {}) as { timeoutSeconds?: number };
        return ['lambdaFunctionScheduledEventDetails', {
          resource: (a as CompiledState).resource,
          ...data('input', b),
          ...(limits.timeoutSeconds !== undefined ? { timeoutInSeconds: limits.timeoutSeconds } : {}),
        }];
      }
      case 'LambdaFunctionSucceeded':
        return ['lambdaFunctionSucceededEventDetails', data('output', b)];
      case 'LambdaFunctionFailed':
        return ['lambdaFunctionFailedEventDetails', errorDetails(b as StatesError)];
      case 'LambdaFunctionTimedOut':
        return ['lambdaFunctionTimedOutEventDetails', errorDetails(b as StatesError)];
      case 'MapStateStarted':
        return ['mapStateStartedEventDetails', { length: a }];
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
      case 'MapIterationAborted':
        return [`mapIteration${type.slice('MapIteration'.length)}EventDetails`, { name: a, index: b }];
      case 'MapRunStarted':
        return ['mapRunStartedEventDetails', { mapRunArn: a }];
      case 'MapRunFailed':
        return ['mapRunFailedEventDetails', errorDetails(b as StatesError)];
      default:
        return undefined;
    }
  }
}

function data(field: 'input' | 'output', value: unknown): Record<string, unknown> {
  return { [field]: JSON.stringify(value ?? null), [`${field}Details`]: { truncated: false } };
}

function errorDetails(error: StatesError | undefined): Record<string, unknown> {
  if (!error) return {};
  return { ...(error.error ? { error: error.error } : {}), ...(error.cause ? { cause: error.cause } : {}) };
}

/**
 * `resourceType` and `resource` of a Task's events: `arn:aws:states:::lambda:invoke` is
 * `lambda` / `invoke`, `arn:aws:states:::aws-sdk:dynamodb:getItem` is `aws-sdk:dynamodb` /
 * `getItem`; the integration pattern suffix stays on the resource (`invoke.waitForTaskToken`).
 */
export function taskResourceParts(resource: string): { resourceType: string; resource: string } {
  const m = /^arn:[^:]+:states:::(.+)$/.exec(resource);
  if (!m) return { resourceType: resource.split(':')[2] ?? 'unknown', resource };
  const rest = m[1];
  const cut = rest.lastIndexOf(':');
  return cut < 0 ? { resourceType: rest, resource: rest } : { resourceType: rest.slice(0, cut), resource: rest.slice(cut + 1) };
}

/** A Lambda function ARN as a Task's Resource gets the LambdaFunction* events. */
export function isLambdaFunctionArn(resource: string): boolean {
  return resource.startsWith('arn:aws:lambda:') || /^arn:[^:]+:lambda:/.test(resource);
}
