/**
 * The interpreter: runs a compiled state machine in virtual time. One `ExecutionRun` per
 * execution; one `Frame` per running (sub-)machine: the top level, a Parallel branch, a Map
 * iteration, a Distributed Map child execution. Each frame has its own virtual clock; every
 * advance of a clock goes through the run's `Scheduler`, which resumes frames in virtual-time
 * order, and through Step Functions' quotas (scheduler-quotas.ts).
 */
import { isPromise, MaybePromise } from './maybe-promise';
import { AbortToken, Aborted } from './abort';
import { CompiledDefinition, CompiledMachine, CompiledState } from './definition';
import { ErrorNames, errorMatches, ExecutionTimedOut, LocalRuntimeConfigError, RuntimeError, StatesError, toStatesError } from './errors';
import { HistoryCursor, HistoryRecorder, STATE_ENTERED, STATE_EXITED } from './history';
import { executionBindings } from './jsonata-adapter';
import { jsonBytesBound, NOT_PLAIN } from './json-copy';
import { MAX_EXECUTION_SECONDS, MAX_PAYLOAD_BYTES } from './limits';
import { MockCase } from './mock-config';
import { SeededRandom } from './random';
import { dataLimitCause, payloadWithinQuota, serializedOrUndefined } from './state-io';
import { Scheduler } from './scheduler';
import { emptyQuotaStats, resolveQuotas, ResolvedQuotas, TransitionBucket } from './scheduler-quotas';
import { runStateBody } from './states';
import { catchOutput, StepResult } from './state-io';
import { BUILT_IN_INTEGRATIONS } from './task-invoker';
import { ContextObject, Integration, QuotaStats, RunExecutionOptions, TraceEvent } from './types';
import { VariableScope } from './variables';

/** How many state transitions run between two turns of the event loop. */
const YIELD_EVERY_TRANSITIONS = 200;

export interface Clock {
  now: number;
}

export interface Frame {
  readonly scope: VariableScope;
  readonly clock: Clock;
  readonly abort: AbortToken;
  /** Trace label of the enclosing branch/iteration ("" at top level). */
  readonly label: string;
  /** Context object Execution data (a Distributed Map child sees its own input). */
  readonly execution: ContextObject['Execution'];
  /** This thread's place in the execution history; undefined where nothing is recorded (Distributed Map children). */
  readonly cursor?: HistoryCursor;
  /**
   * State transitions of the execution this thread belongs to, against maxStateTransitions: a
   * Distributed Map child is an execution of its own with its own history (and its own 25,000
   * events), so it gets a fresh count; inline Map and Parallel threads share their parent's.
   * Undefined: the top-level execution's count.
   */
  readonly transitions?: { count: number };
  /** Trace this frame's states (false in Distributed Map child executions unless `traceChildExecutions`). */
  readonly traced: boolean;
}

export class ExecutionRun {
  readonly random: SeededRandom;
  readonly trace: TraceEvent[] = [];
  readonly history: HistoryRecorder;
  readonly region: string;
  /** JSONata's per-execution functions ($random, $uuid, ...), made when a JSONata expression first needs them. */
  private jsonataBindings?: Record<string, unknown>;
  readonly stateMachineContext: ContextObject['StateMachine'];
  readonly executionContext: ContextObject['Execution'];
  readonly startMs: number;
  /** When the execution times out: its TimeoutSeconds, at most AWS's one-year maximum. */
  readonly deadlineMs: number;
  private readonly deadlineCause: string;
  private transitions = 0;
  /** The error that ended the whole execution at once (the transition cap); every thread stops at its next step. */
  private haltError?: StatesError;
  private readonly maxTransitions: number;
  readonly traceData: boolean;
  readonly traceChildExecutions: boolean;
  private readonly onStateExited?: RunExecutionOptions['onStateExited'];
  /** Built-in integrations overridden by the caller's, by resource ARN prefix. */
  readonly integrations: Record<string, Integration>;
  /** The integration serving each resource ARN met so far (a longest-prefix match, found once). */
  readonly integrationByResource = new Map<string, Integration | undefined>();
  readonly scheduler: Scheduler;
  readonly quotas: ResolvedQuotas;
  readonly quotaStats: QuotaStats = emptyQuotaStats();
  private readonly transitionBucket: TransitionBucket;
  /** Distributed Map child executions running now, over the whole tree. */
  private childrenInFlight = 0;
  /** `stopAtVirtualTime` in ms, Infinity when not set. */
  readonly stopAtMs: number;
  private lastIsoMs = NaN;
  private lastIso = '';

  constructor(
    readonly definition: CompiledDefinition,
    readonly input: unknown,
    readonly options: RunExecutionOptions,
    readonly mocks: MockCase | undefined,
  ) {
    this.random = new SeededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 32));
    const region = options.region ?? 'us-east-1';
    this.region = region;
    this.history = new HistoryRecorder(region);
    const account = options.accountId ?? '123456789012';
    const smName = options.stateMachineName ?? 'LocalStateMachine';
    const execName = options.executionName ?? this.random.uuid();
    const start = options.startTime === undefined ? Date.now() : new Date(options.startTime).getTime();
    if (Number.isNaN(start)) throw new LocalRuntimeConfigError(`Option startTime '${String(options.startTime)}' is not a valid date`);
    this.startMs = start;
    this.stateMachineContext = { Id: `arn:aws:states:${region}:${account}:stateMachine:${smName}`, Name: smName };
    this.executionContext = {
      Id: `arn:aws:states:${region}:${account}:execution:${smName}:${execName}`,
      Input: input,
      Name: execName,
      RoleArn: options.roleArn ?? `arn:aws:iam::${account}:role/LocalStepFunctionsRole`,
      StartTime: new Date(start).toISOString(),
      RedriveCount: 0,
    };
    const timeout = definition.machine.timeoutSeconds;
    this.deadlineMs = start + Math.min(timeout ?? Infinity, MAX_EXECUTION_SECONDS) * 1000;
    // AWS gives a TimeoutSeconds timeout no cause; the one-year limit is worth explaining locally.
    this.deadlineCause =
      timeout !== undefined && timeout <= MAX_EXECUTION_SECONDS
        ? ''
        : `The execution ran longer than the maximum execution time of one year (${MAX_EXECUTION_SECONDS} seconds) of a Standard workflow`;
    this.maxTransitions = options.maxStateTransitions ?? 25_000;
    this.traceData = options.traceData ?? true;
    this.traceChildExecutions = options.traceChildExecutions ?? false;
    this.onStateExited = options.onStateExited;
    // Read only: without the caller's integrations, the built-in table itself.
    this.integrations = options.integrations ? { ...BUILT_IN_INTEGRATIONS, ...options.integrations } : BUILT_IN_INTEGRATIONS;
    this.quotas = resolveQuotas(options.quotas, region);
    this.transitionBucket = new TransitionBucket(this.quotas.stateTransitions.bucket, this.quotas.stateTransitions.refillPerSecond, this.quotaStats);
    const stopAt = options.stopAtVirtualTime === undefined ? Infinity : new Date(options.stopAtVirtualTime).getTime();
    if (Number.isNaN(stopAt)) {
      throw new LocalRuntimeConfigError(`Option stopAtVirtualTime: not a valid date, got '${String(options.stopAtVirtualTime)}'. Fix: pass a Date or an ISO-8601 timestamp.`);
    }
    this.stopAtMs = stopAt;
    this.scheduler = new Scheduler(start, stopAt);
  }

  get jsonataBase(): Record<string, unknown> {
    return (this.jsonataBindings ??= executionBindings(this.random));
  }

  /** Was the execution stopped by `stopAtVirtualTime`? */
  get stoppedAtVirtualTime(): boolean {
    return this.scheduler.stopped;
  }

  /**
   * Advances the frame's clock to `atMs` through the scheduler: the frame parks until no frame
   * is earlier. A time past the execution's deadline parks until the deadline only (the caller's
   * deadline check then times the execution out there). Throws Aborted when the execution was
   * stopped at a virtual time before `atMs`.
   */
  advanceTo(frame: Frame, atMs: number): Promise<unknown> {
    if (atMs <= frame.clock.now) return RESOLVED;
    return this.scheduler.park(frame.clock, Math.min(atMs, this.deadlineMs), atMs);
  }

  /** `advanceTo` a time after the frame's clock, resolving with `value` (see `Scheduler.park`). */
  parkUntil<T>(frame: Frame, atMs: number, value: T): Promise<T> {
    return this.scheduler.park(frame.clock, Math.min(atMs, this.deadlineMs), atMs, value);
  }

  /** A Distributed Map child execution started (true) or ended (false). */
  childInFlight(started: boolean): void {
    if (started) {
      if (++this.childrenInFlight > this.quotaStats.peakChildrenInFlight) this.quotaStats.peakChildrenInFlight = this.childrenInFlight;
    } else this.childrenInFlight--;
  }

  rootFrame(): Frame {
    return {
      scope: VariableScope.root(),
      clock: { now: this.startMs },
      abort: new AbortToken(),
      label: '',
      execution: this.executionContext,
      // AWS links the first state's entry to no event (previousEventId 0), not to ExecutionStarted.
      cursor: { last: 0 },
      traced: true,
    };
  }

  /** `enteredTime`: the state's EnteredTime when already formatted (traced frames format it for the trace). */
  contextObject(state: CompiledState, frame: Frame, enteredMs: number, retryCount: number, enteredTime?: string): ContextObject {
    return {
      Execution: frame.execution,
      StateMachine: this.stateMachineContext,
      State: { Name: state.name, EnteredTime: enteredTime ?? this.isoTime(enteredMs), RetryCount: retryCount },
    };
  }

  /**
   * A virtual time as ISO-8601, remembered for the last time asked: the states a frame runs
   * between two parks all enter at the same virtual time, so most Context objects share one string.
   */
  isoTime(ms: number): string {
    if (ms !== this.lastIsoMs) {
      this.lastIsoMs = ms;
      this.lastIso = new Date(ms).toISOString();
    }
    return this.lastIso;
  }

  /** The error that halted the execution, if one did: it is the execution's error, whatever a Catch says. */
  get haltedBy(): StatesError | undefined {
    return this.haltError;
  }

  /**
   * Has this thread to stop: the execution halted, was stopped (StopExecution), or a sibling
   * failed? Checked before each state and each Map iteration or Parallel branch starts, so no
   * new work starts once the outcome is decided.
   */
  isStopped(abort: AbortToken): boolean {
    return this.haltError !== undefined || abort.isAborted || this.options.abort?.aborted === true || this.scheduler.stopped;
  }

  /** Runs states from StartAt until a terminal state; returns the machine's output. */
  async runMachine(machine: CompiledMachine, input: unknown, frame: Frame): Promise<unknown> {
    const first = machine === this.definition.machine && this.options.startAt !== undefined ? this.options.startAt : machine.startAt;
    let state = machine.states.get(first) as CompiledState;
    let current = input;
    for (;;) {
      if (this.isStopped(frame.abort)) throw new Aborted();
      ++this.transitions;
      if (frame.transitions ? ++frame.transitions.count > this.maxTransitions : this.transitions > this.maxTransitions) {
        const error = new RuntimeError(`The execution exceeded ${this.maxTransitions} state transitions (maxStateTransitions); is there an endless loop through '${state.name}'?`);
        // A Distributed Map child fails on its own; the top-level execution halts everything.
        if (frame.transitions) throw error;
        this.haltError = error;
        throw error;
      }
      // States run as promise chains that never wait on I/O unless a task does: yielding now and
      // then lets the API server answer other requests while a long execution runs.
      if (this.transitions % YIELD_EVERY_TRANSITIONS === 0) await new Promise(setImmediate);
      // The state-transition quota: an empty bucket delays the transition until its token refills.
      const allowedAt = this.transitionBucket.take(frame.clock.now);
      if (allowedAt > frame.clock.now) await this.advanceTo(frame, allowedAt);
      const visited = this.runState(state, current, frame);
      const r = isPromise(visited) ? await visited : visited;
      if (r.next === undefined) return r.output;
      current = r.output;
      state = machine.states.get(r.next) as CompiledState;
    }
  }

  /** Throws ExecutionTimedOut, with the frame's clock at the deadline, once the clock passed it. */
  checkDeadline(frame: Frame): void {
    if (frame.clock.now > this.deadlineMs) {
      frame.clock.now = this.deadlineMs;
      throw new ExecutionTimedOut(this.deadlineCause);
    }
  }

  /**
   * Runs one state visit: synchronous when its body is (see maybe-promise.ts); a failure goes to
   * `retryOrCatch`, which waits out Retry back-offs and runs the body again.
   */
  private runState(state: CompiledState, input: unknown, frame: Frame): MaybePromise<StepResult> {
    const entered = frame.clock.now;
    const enteredTime = frame.traced ? new Date(entered).toISOString() : undefined;
    let event: TraceEvent;
    if (frame.traced) {
      event = {
        scope: frame.label,
        stateName: state.name,
        stateType: state.type,
        enteredTime: enteredTime!,
        exitedTime: '',
        durationMs: 0,
        retryCount: 0,
        status: 'SUCCEEDED',
        retries: [],
        input: this.traceData ? input : undefined,
      };
      this.trace.push(event);
    } else {
      // Untraced frames (Distributed Map children) write into a scratch event nobody reads.
      event = UNTRACED_EVENT;
    }
    const enteredId = this.history.record(frame.cursor, entered, STATE_ENTERED[state.type], state.name, input);
    const visit: StateVisit = { state, input, frame, entered, enteredTime, event, enteredId, retryCount: 0 };
    return this.attempt(visit);
  }

  /** One attempt of the state's body; its success is completed here, its failure handled by `retryOrCatch`. */
  private attempt(visit: StateVisit): MaybePromise<StepResult> {
    const ctx = this.contextObject(visit.state, visit.frame, visit.entered, visit.retryCount, visit.enteredTime);
    let body: MaybePromise<StepResult>;
    try {
      body = runStateBody(this, visit.state, visit.input, visit.frame, ctx);
    } catch (thrown) {
      return this.retryOrCatch(visit, thrown, ctx);
    }
    if (isPromise(body)) return body.then((r) => this.succeeded(visit, r, ctx), (thrown) => this.retryOrCatch(visit, thrown, ctx));
    return this.succeeded(visit, body, ctx);
  }

  /** The body returned: the deadline, the output quota, Assign, then the exit is recorded. */
  private succeeded(visit: StateVisit, r: StepResult, ctx: ContextObject): MaybePromise<StepResult> {
    const { state, frame, event } = visit;
    try {
      this.checkDeadline(frame);
    } catch (thrown) {
      return this.retryOrCatch(visit, thrown, ctx);
    }
    // The state's own output over the quota fails the execution; no Catch of the state sees it.
    const tooLarge = r.output === visit.input ? undefined : outputSizeError(state, r.output);
    if (tooLarge) {
      event.error = tooLarge.error;
      event.cause = tooLarge.cause;
      this.finish(visit, 'FAILED');
      throw tooLarge;
    }
    if (r.assign) frame.scope.assign(state.name, r.assign);
    this.finish(visit, 'SUCCEEDED', r);
    return r;
  }

  /** Records the state's exit (trace, history, the observer). */
  private finish(visit: StateVisit, status: TraceEvent['status'], r?: StepResult): void {
    const { state, frame, event, entered } = visit;
    if (frame.traced) {
      // Most states take no virtual time: their exit time is their entry time, already formatted.
      event.exitedTime = frame.clock.now === entered ? event.enteredTime : new Date(frame.clock.now).toISOString();
      event.durationMs = frame.clock.now - entered;
      event.status = status;
      if (r) {
        event.next = r.next;
        if (this.traceData) event.output = r.output;
      }
    }
    if (r && frame.cursor) this.history.record(frame.cursor, frame.clock.now, STATE_EXITED[state.type], state.name, r.output, r.assign);
    this.onStateExited?.({ scope: frame.label, stateName: state.name, status, retryCount: visit.retryCount });
  }

  /**
   * The body (or the deadline check after it) threw: a Retry waits out its back-off and runs the
   * body again, a Catch completes the state with the error output, anything else fails it.
   */
  private async retryOrCatch(visit: StateVisit, thrown: unknown, ctx: ContextObject): Promise<StepResult> {
    const { state, input, frame, event } = visit;
    if (thrown instanceof Aborted) {
      this.finish(visit, 'ABORTED');
      throw thrown;
    }
    if (this.haltError !== undefined) {
      // The execution is over: no Retry or Catch applies.
      this.finish(visit, 'FAILED');
      throw thrown;
    }
    if (thrown instanceof ExecutionTimedOut || frame.clock.now > this.deadlineMs) {
      const timedOut = thrown instanceof ExecutionTimedOut ? thrown : new ExecutionTimedOut(this.deadlineCause);
      frame.clock.now = Math.min(frame.clock.now, this.deadlineMs);
      event.error = timedOut.error;
      this.finish(visit, 'FAILED');
      throw timedOut;
    }
    const err = withEnteredEventId(
      thrown instanceof LocalRuntimeConfigError ? new RuntimeError(thrown.message) : toStatesError(thrown),
      state.name,
      visit.enteredId,
    );
    const retrierIndex = state.retry.findIndex((r) => errorMatches(r.errorEquals, err.error));
    if (retrierIndex >= 0) {
      const retrier = state.retry[retrierIndex];
      // Attempts per retrier, counted from the first retry on (most states never retry).
      const attempts = (visit.attempts ??= state.retry.map(() => 0));
      if (attempts[retrierIndex] < retrier.maxAttempts) {
        let delay = retrier.intervalSeconds * Math.pow(retrier.backoffRate, attempts[retrierIndex]);
        if (retrier.maxDelaySeconds !== undefined) delay = Math.min(delay, retrier.maxDelaySeconds);
        if (retrier.jitter === 'FULL') delay = this.random.next() * delay;
        delay = Math.round(delay * 1000) / 1000;
        attempts[retrierIndex]++;
        visit.retryCount++;
        if (frame.traced) event.retries.push({ error: err.error, cause: err.cause, delaySeconds: delay });
        event.retryCount = visit.retryCount;
        try {
          await this.advanceTo(frame, frame.clock.now + delay * 1000);
        } catch (stopped) {
          this.finish(visit, 'ABORTED');
          throw stopped;
        }
        if (frame.clock.now > this.deadlineMs) {
          frame.clock.now = this.deadlineMs;
          event.error = ErrorNames.Timeout;
          this.finish(visit, 'FAILED');
          throw new ExecutionTimedOut(this.deadlineCause);
        }
        return this.attempt(visit);
      }
    }
    event.error = err.error;
    event.cause = err.cause;
    const catcher = state.catch.find((c) => errorMatches(c.errorEquals, err.error));
    if (catcher) {
      const pending = catchOutput(this, state, catcher, input, err, frame, ctx);
      const caught = isPromise(pending) ? await pending : pending;
      if (caught.assign) frame.scope.assign(state.name, caught.assign);
      event.caughtBy = catcher.next;
      this.finish(visit, 'CAUGHT', caught);
      return caught;
    }
    this.finish(visit, 'FAILED');
    throw err;
  }
}

/** One visit of a state: what its attempts, its retries and its exit share. */
interface StateVisit {
  readonly state: CompiledState;
  readonly input: unknown;
  readonly frame: Frame;
  readonly entered: number;
  /** The entry time formatted (traced frames only). */
  readonly enteredTime?: string;
  readonly event: TraceEvent;
  /** The history id of the StateEntered event (0: not recorded). */
  readonly enteredId: number;
  retryCount: number;
  attempts?: number[];
}

const RESOLVED = Promise.resolve();

/** The scratch trace event of untraced states: written, never read. */
const UNTRACED_EVENT: TraceEvent = {
  scope: '', stateName: '', stateType: 'Pass', enteredTime: '', exitedTime: '', durationMs: 0, retryCount: 0, status: 'SUCCEEDED', retries: [], input: undefined,
};

const STATE_ERROR_PREFIX = 'An error occurred while executing the state ';

/**
 * AWS names the event at which the failing state was entered in the causes of the errors it
 * raises itself: "An error occurred while executing the state 'X' (entered at the event id #2).
 * ..." (executions recorded against AWS). The runtime's own messages start with the prefix
 * without the id; this adds it once the id is known.
 */
function withEnteredEventId(err: StatesError, stateName: string, enteredId: number): StatesError {
  const prefix = `${STATE_ERROR_PREFIX}'${stateName}'.`;
  if (enteredId === 0 || !err.cause.startsWith(prefix)) return err;
  const cause = `${STATE_ERROR_PREFIX}'${stateName}' (entered at the event id #${enteredId}).${err.cause.slice(prefix.length)}`;
  const copy = Object.create(Object.getPrototypeOf(err)) as StatesError;
  Object.assign(copy, err, { cause, message: `${err.error}: ${cause}` });
  return copy;
}

/** "The state/task 'X' returned a result with a size exceeding ..." (recorded against AWS). */
function outputSizeError(state: CompiledState, output: unknown): StatesError | undefined {
  const bound = jsonBytesBound(output);
  if (bound !== NOT_PLAIN && bound <= MAX_PAYLOAD_BYTES) return undefined;
  const text = serializedOrUndefined(output);
  if (text === undefined || payloadWithinQuota(text)) return undefined;
  return new StatesError(ErrorNames.DataLimitExceeded, dataLimitCause(state.name));
}
