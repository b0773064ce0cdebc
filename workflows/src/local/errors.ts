/**
 * Error names defined by the Amazon States Language and Step Functions.
 * Source: Step Functions Developer Guide, "Handling errors in Step Functions workflows".
 */
export const ErrorNames = {
  ALL: 'States.ALL',
  BranchFailed: 'States.BranchFailed',
  DataLimitExceeded: 'States.DataLimitExceeded',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ItemReaderFailed: 'States.ItemReaderFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  ParameterPathFailure: 'States.ParameterPathFailure',
  QueryEvaluationError: 'States.QueryEvaluationError',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ResultWriterFailed: 'States.ResultWriterFailed',
  Runtime: 'States.Runtime',
  TaskFailed: 'States.TaskFailed',
  Timeout: 'States.Timeout',
} as const;

/**
 * A failure inside a running state machine: `error` is the ASL error name matched by
 * `ErrorEquals`, `cause` the human-readable text (AWS: the `Cause` of the failure event).
 */
export class StatesError extends Error {
  constructor(
    public readonly error: string,
    public readonly cause: string = '',
  ) {
    // No stack trace: an ASL error is data (its name and cause), and an execution at fleet
    // scale raises and catches hundreds of thousands of them (throttling, polls), where
    // capturing a stack each time was a measurable share of the run.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(cause ? `${error}: ${cause}` : error);
    Error.stackTraceLimit = limit;
    this.name = 'StatesError';
  }

  /** The error output a Catcher receives: `{ Error, Cause }`. */
  toErrorOutput(): { Error: string; Cause: string } {
    return { Error: this.error, Cause: this.cause };
  }
}

/**
 * `States.Runtime`: never retried, never caught, not even by `States.ALL`
 * (Developer Guide, "Handling errors": States.Runtime).
 */
export class RuntimeError extends StatesError {
  constructor(cause: string) {
    super(ErrorNames.Runtime, cause);
    this.name = 'RuntimeError';
  }
}

/** A JSONata expression failed or returned a value of the wrong type. */
export class QueryEvaluationError extends StatesError {
  constructor(cause: string) {
    super(ErrorNames.QueryEvaluationError, cause);
    this.name = 'QueryEvaluationError';
  }
}

/** An intrinsic function (States.Format, States.ArrayGetItem, ...) failed. */
export class IntrinsicFailureError extends StatesError {
  constructor(cause: string) {
    super(ErrorNames.IntrinsicFailure, cause);
    this.name = 'IntrinsicFailureError';
  }
}

/**
 * A feature this local runtime does not implement. Raised as `States.Runtime` so the
 * execution fails loudly instead of silently diverging from AWS.
 */
export class UnsupportedFeatureError extends RuntimeError {
  constructor(stateName: string, feature: string, remedy?: string) {
    super(`State '${stateName}' uses ${feature}, which the local runtime does not support${remedy ? `: ${remedy}` : ''}`);
    this.name = 'UnsupportedFeatureError';
  }
}

/**
 * The execution ran past its deadline: the state machine's TimeoutSeconds, or AWS's one-year
 * maximum execution time ("it will fail with a States.Timeout error", Developer Guide, "Step
 * Functions service quotas"). Ends the whole execution: no Retry or Catch sees it, and the
 * execution's status is TIMED_OUT.
 */
export class ExecutionTimedOut extends StatesError {
  constructor(cause = '') {
    super(ErrorNames.Timeout, cause);
    this.name = 'ExecutionTimedOut';
  }
}

/**
 * A problem in the caller's setup (options, mock configuration, definition that does not
 * compile). Thrown from `runExecution` before the execution starts; never an ASL error.
 */
export class LocalRuntimeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LocalRuntimeConfigError';
  }
}

/**
 * Errors `States.ALL` cannot match (Developer Guide, "Handling errors": States.ALL). The guide
 * also names States.DataLimitExceeded, but executions recorded against AWS show `States.ALL`
 * catching a Task result over the quota (LocalStack's AWS-validated snapshot
 * error_handling/test_states_errors.snapshot.json); a state's own output over the quota fails
 * the execution outside any Catch (ExecutionRun), which keeps what the guide says true there.
 */
const UNMATCHABLE_BY_ALL: ReadonlySet<string> = new Set([ErrorNames.Runtime]);

/**
 * Does a Retrier's or Catcher's `ErrorEquals` list match this error name?
 * `States.Timeout` also matches heartbeat timeouts (States.HeartbeatTimeout).
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (error === ErrorNames.Runtime) return false;
  for (const name of errorEquals) {
    if (name === error) return true;
    if (name === ErrorNames.ALL && !UNMATCHABLE_BY_ALL.has(error)) return true;
    if (name === ErrorNames.Timeout && error === ErrorNames.HeartbeatTimeout) return true;
  }
  return false;
}

/**
 * Converts anything a handler throws into a StatesError. A thrown `Error` keeps its `name`
 * as the ASL error name (AWS uses the Lambda `errorType`) and its message as the cause.
 */
export function toStatesError(thrown: unknown): StatesError {
  if (thrown instanceof StatesError) return thrown;
  if (thrown instanceof Error) {
    const named = thrown as Error & { error?: unknown; cause?: unknown };
    if (typeof named.error === 'string') {
      return new StatesError(named.error, typeof named.cause === 'string' ? named.cause : thrown.message);
    }
    return new StatesError(thrown.name || 'Error', thrown.message);
  }
  if (thrown && typeof thrown === 'object') {
    const o = thrown as { Error?: unknown; Cause?: unknown; error?: unknown; cause?: unknown };
    const error = o.Error ?? o.error;
    if (typeof error === 'string') {
      const cause = o.Cause ?? o.cause;
      return new StatesError(error, typeof cause === 'string' ? cause : cause === undefined ? '' : JSON.stringify(cause));
    }
  }
  return new StatesError(ErrorNames.TaskFailed, String(thrown));
}
