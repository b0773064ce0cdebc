/** Public types of the local Step Functions runtime. */
import type { StateType } from './definition';
import type { HistoryEvent } from './history';
import type { MockConfig } from './mock-config';

/** The Context object (`$$` in JSONPath, `$states.context` in JSONata). */
export interface ContextObject {
  Execution: {
    Id: string;
    Input: unknown;
    Name: string;
    RoleArn: string;
    StartTime: string;
    RedriveCount: number;
  };
  StateMachine: { Id: string; Name: string };
  State: { Name: string; EnteredTime: string; RetryCount: number };
  Task?: { Token: string };
  Map?: { Item: { Index: number; Value: unknown } };
}

/** What a task handler receives besides its input. */
export interface TaskContext {
  readonly stateName: string;
  readonly resource: string;
  /** The state's resolved Parameters / Arguments (for Lambda handlers the input is only the Payload). */
  readonly parameters: unknown;
  /** Set for `.waitForTaskToken` resources; the handler's return value is the SendTaskSuccess output. */
  readonly taskToken?: string;
  readonly contextObject: ContextObject;
  readonly retryCount: number;
  /**
   * The Task's resolved `Credentials`: the role Step Functions assumes for this call
   * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-access-cross-acct-resources.html).
   * Undefined when the state has none: the call runs as the state machine's own role.
   */
  readonly credentials?: TaskCredentials;
  /** Spends virtual time inside the task (to exercise TimeoutSeconds); never really sleeps. */
  sleep(seconds: number): Promise<void>;
  /** Records a heartbeat at the current virtual time (SendTaskHeartbeat), for HeartbeatSeconds. */
  heartbeat(): void;
  /** The current virtual time. */
  now(): Date;
}

/**
 * Plays the role of the task's target (a Lambda function, a service API): returns the result or
 * throws. A thrown error's `name` becomes the ASL error name and its message the cause; throw a
 * `StatesError` to set both exactly.
 */
export type TaskHandler = (input: any, context: TaskContext) => unknown;

/** A Task's `Credentials` field, resolved (TaskCredentials in the Step Functions API). */
export interface TaskCredentials {
  readonly RoleArn: string;
}

export interface IntegrationRequest {
  readonly stateName: string;
  /** The resolved `Credentials` of the Task, if any: run the call as that role, in its account. */
  readonly credentials?: TaskCredentials;
  readonly resource: string;
  readonly parameters: unknown;
  readonly context: TaskContext;
  readonly waitForTaskToken: boolean;
  /** A fresh request id (from the seeded random source) for response metadata. */
  readonly requestId: string;
  /** The first registered task handler among `keys` (state name is always tried first). */
  findHandler(...keys: string[]): TaskHandler | undefined;
}

/** Implements a service integration (resource ARN prefix), e.g. `arn:aws:states:::dynamodb:`. */
export type Integration = (request: IntegrationRequest) => unknown;

export interface ItemReaderRequest {
  readonly stateName: string;
  readonly itemReader: Record<string, unknown>;
  /** ItemReader.Parameters / Arguments, resolved. */
  readonly parameters: unknown;
}

export interface ResultWriterRequest {
  readonly stateName: string;
  readonly resultWriter: Record<string, unknown>;
  readonly results: unknown[];
  /** ResultWriter.Parameters / Arguments, resolved (Bucket, Prefix). */
  readonly parameters?: unknown;
  /** The Map Run's ARN, as ResultWriterDetails and the manifest name it. */
  readonly mapRunArn?: string;
}

export interface RunExecutionOptions {
  /** Handlers by state name, by resource ARN, or by Lambda FunctionName (name or ARN). */
  readonly taskHandlers?: Record<string, TaskHandler>;
  /** Integrations by resource ARN prefix; they override the built-in Lambda integration. */
  readonly integrations?: Record<string, Integration>;
  /** @default a UUID from the seeded random source */
  readonly executionName?: string;
  /** Names the machine in ARNs and selects it in `mockConfig`. @default "LocalStateMachine" */
  readonly stateMachineName?: string;
  /** Start of the virtual clock. @default the real current time */
  readonly startTime?: Date | string;
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default "123456789012" */
  readonly accountId?: string;
  /** @default arn:aws:iam::<accountId>:role/LocalStepFunctionsRole */
  readonly roleArn?: string;
  /** Step Functions Local mock configuration; requires `testCase`. */
  readonly mockConfig?: MockConfig | Record<string, unknown>;
  readonly testCase?: string;
  /** Seed for jitter, $random, $uuid, States.UUID, States.MathRandom and task tokens. @default random */
  readonly seed?: number;
  /** Items for Distributed Map states with an ItemReader, by state name. */
  readonly itemReaders?: Record<string, unknown[] | ((request: ItemReaderRequest) => unknown)>;
  /** Receivers for Distributed Map results when the state has a ResultWriter, by state name. */
  readonly resultWriters?: Record<string, (request: ResultWriterRequest) => unknown>;
  /** Reads items for every Distributed Map not named in `itemReaders` (e.g. a simulated Amazon S3). */
  readonly itemReader?: (request: ItemReaderRequest) => unknown;
  /** Writes results for every Distributed Map not named in `resultWriters`. */
  readonly resultWriter?: (request: ResultWriterRequest) => unknown;
  /** Guard against endless loops, per execution (each Distributed Map child counts its own). @default 25000 (AWS's execution history limit) */
  readonly maxStateTransitions?: number;
  /** Record each state's input and output in the trace. @default true */
  readonly traceData?: boolean;
  /**
   * Trace the states of Distributed Map child executions too (each is an execution of its own in
   * AWS, with its own history; at fleet scale their trace would hold millions of events).
   * @default false
   */
  readonly traceChildExecutions?: boolean;
  /**
   * Called as each state ends, in Distributed Map child executions too (traced or not): counts
   * over a fleet-scale run without holding its trace.
   */
  readonly onStateExited?: (state: { readonly scope: string; readonly stateName: string; readonly status: TraceEvent['status']; readonly retryCount: number }) => void;
  /**
   * Completes `.waitForTaskToken` tasks the way Step Functions does: after the task's work (a
   * handler or integration, which receives the token) the execution waits for this promise,
   * SendTaskSuccess's output, or its rejection (a StatesError: SendTaskFailure). Mocked tasks do
   * not wait.
   * @default - the work's return value is the callback's output
   */
  readonly awaitTaskToken?: (token: string, stateName: string) => Promise<unknown>;
  /** Called once the execution started, with a reader of its history so far (for GetExecutionHistory while it runs). */
  readonly onStart?: (history: () => HistoryEvent[]) => void;
  /** Set `aborted` to stop the execution at its next state (StopExecution): the result is ABORTED. */
  readonly abort?: { readonly aborted: boolean; readonly error?: string; readonly cause?: string };
  /** Start at this top-level state instead of StartAt (a redrive restarts at the failed state). */
  readonly startAt?: string;
  /**
   * Step Functions' own quotas, modelled in virtual time over the whole execution tree (see
   * scheduler-quotas.ts). Each one left out has AWS's default for the Region.
   */
  readonly quotas?: ExecutionQuotas;
  /**
   * Stops the execution (ABORTED, as StopExecution does) when its virtual time reaches this
   * instant: every branch, iteration and child execution stops where it is.
   * @default - never
   */
  readonly stopAtVirtualTime?: Date | string;
}

/** Step Functions quotas of `RunExecutionOptions.quotas` (Infinity: unlimited). */
export interface ExecutionQuotas {
  /**
   * The state-transition token bucket shared by the execution and its child executions: an
   * empty bucket delays transitions until refilled (never fails them).
   * @default bucket 5,000 and 5,000 per second in us-east-1, us-west-2 and eu-west-1; 800 and 800 elsewhere
   */
  readonly stateTransitions?: { readonly bucket?: number; readonly refillPerSecond?: number };
  /** How fast a Map Run starts child executions. @default standard 100, express 1,000 per second */
  readonly distributedMapChildStartsPerSecond?: { readonly standard?: number; readonly express?: number };
  /** Child executions of one Map Run running at once, whatever MaxConcurrency says. @default 10,000 */
  readonly maxDistributedMapConcurrency?: number;
}

/** What the quotas did to a run (`ExecutionResult.quotaStats`). */
export interface QuotaStats {
  /** State transitions of the whole execution tree. */
  stateTransitions: number;
  /** Transitions that found the bucket empty and waited. */
  transitionsThrottled: number;
  /** Virtual seconds transitions spent waiting for tokens, summed. */
  transitionDelaySeconds: number;
  /** Distributed Map child executions started. */
  childStarts: number;
  /** Virtual seconds child executions waited for the start rate, summed. */
  childStartDelaySeconds: number;
  /** Most Distributed Map child executions running at once in the whole tree. */
  peakChildrenInFlight: number;
}

export type TraceStatus = 'SUCCEEDED' | 'CAUGHT' | 'FAILED' | 'ABORTED';

/** One visit of one state, in virtual time. */
export interface TraceEvent {
  /** Where the state runs: "" at top level, else e.g. "Fan out[1]" or "Process items[3]". */
  readonly scope: string;
  readonly stateName: string;
  readonly stateType: StateType;
  readonly enteredTime: string;
  exitedTime: string;
  durationMs: number;
  retryCount: number;
  status: TraceStatus;
  /** Each failed attempt that was retried, with the delay before the next one. */
  readonly retries: { error: string; cause: string; delaySeconds: number }[];
  error?: string;
  cause?: string;
  /** The Catch target, when the error was caught. */
  caughtBy?: string;
  next?: string;
  input?: unknown;
  output?: unknown;
}

export interface ExecutionResult {
  /** TIMED_OUT: past the machine's TimeoutSeconds or AWS's one-year maximum execution time. */
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  output?: unknown;
  error?: string;
  cause?: string;
  trace: TraceEvent[];
  /** The execution history as GetExecutionHistory returns it (events in id order, virtual timestamps). */
  readonly history: HistoryEvent[];
  startTime: string;
  endTime: string;
  executionArn: string;
  /** What Step Functions' quotas did to the run. */
  readonly quotaStats?: QuotaStats;
}
