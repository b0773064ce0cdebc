/**
 * The public entry points: `LocalStateMachine.compile(definition)` validates and compiles once;
 * `.run(input, options)` executes in virtual time. `runExecution` does both, caching the
 * compiled form per definition object or string.
 */
import { compileDefinition, CompiledDefinition, CompiledMachine, Json } from './definition';
import { ExecutionTimedOut, LocalRuntimeConfigError, StatesError } from './errors';
import { Aborted } from './abort';
import { ExecutionRun } from './execution';
import { loadMockCase, MockCase } from './mock-config';
import { safeJson } from './payload-template';
import { checkDepth, checkPayloadSize } from './state-io';
import { jsonCopy } from './task-invoker';
import { copyAsJson, NOT_PLAIN } from './json-copy';
import { MAX_PAYLOAD_BYTES } from './limits';
import { HistoryEvent, HistoryRecorder } from './history';
import { ExecutionResult, QuotaStats, RunExecutionOptions } from './types';
import { formatProblems, parseDefinition, validateDefinition, ValidationProblem } from './validate';

/** The definition is invalid; `problems` lists every reason. */
export class DefinitionError extends LocalRuntimeConfigError {
  constructor(readonly problems: ValidationProblem[]) {
    super(`Invalid state machine definition:\n${formatProblems(problems)}`);
    this.name = 'DefinitionError';
  }
}

export class LocalStateMachine {
  /** Every state name (nested ones included) and its type. */
  readonly stateTypes: ReadonlyMap<string, string>;
  private readonly mockCache = new WeakMap<object, Map<string, MockCase>>();

  private constructor(private readonly compiled: CompiledDefinition) {
    const types = new Map<string, string>();
    const collect = (m: CompiledMachine) => {
      for (const s of m.states.values()) {
        types.set(s.name, s.type);
        s.branches?.forEach(collect);
        if (s.map) collect(s.map.processor);
      }
    };
    collect(compiled.machine);
    this.stateTypes = types;
  }

  /** Validates and compiles a definition (JSON string or object). Throws DefinitionError. */
  static compile(definition: object | string): LocalStateMachine {
    const problems = validateDefinition(definition);
    if (problems.length > 0) throw new DefinitionError(problems);
    return new LocalStateMachine(compileDefinition(parseDefinition(definition).value as Json));
  }

  /**
   * Runs one execution. Resolves with SUCCEEDED or FAILED; rejects only for setup mistakes
   * (LocalRuntimeConfigError: bad mock configuration, bad options).
   */
  async run(input: unknown = {}, options: RunExecutionOptions = {}): Promise<ExecutionResult> {
    const mocks = this.mocksFor(options);
    const effectiveOptions =
      options.mockConfig && options.stateMachineName === undefined ? { ...options, stateMachineName: this.mockMachineName(options) } : options;
    // Plain data within the quota: copied, depth- and size-checked in one walk.
    const plainInput = plainCopyWithinQuota(input);
    // Too deep to copy safely: fail the execution instead of overflowing the stack.
    const tooDeep = plainInput ? undefined : checkDepth(input, 'The execution input');
    const executionInput = plainInput ? plainInput.value : tooDeep ? {} : jsonCopy(input);
    const run = new ExecutionRun(this.compiled, executionInput, effectiveOptions, mocks);
    const frame = run.rootFrame();
    const startTime = new Date(run.startMs).toISOString();
    run.history.record({ last: 0 }, run.startMs, 'ExecutionStarted', executionInput, run.executionContext.RoleArn);
    const closing: Record<ExecutionResult['status'], string> = {
      SUCCEEDED: 'ExecutionSucceeded',
      FAILED: 'ExecutionFailed',
      TIMED_OUT: 'ExecutionTimedOut',
      ABORTED: 'ExecutionAborted',
    };
    effectiveOptions.onStart?.(() => run.history.toEvents());
    const result = (r: ResultFields): ExecutionResult => {
      run.history.record(frame.cursor, frame.clock.now, closing[r.status], undefined, r.status === 'SUCCEEDED' ? r.output : { error: r.error, cause: r.cause });
      return new LocalExecutionResult(r, run.trace, startTime, new Date(frame.clock.now).toISOString(), run.executionContext.Id, run.history, run.quotaStats);
    };
    try {
      if (tooDeep) throw tooDeep;
      if (!plainInput) checkPayloadSize(executionInput, '(execution)', 'input');
      const output = await run.runMachine(this.compiled.machine, executionInput, frame);
      const plainOutput = plainCopyWithinQuota(output);
      if (plainOutput) return result({ status: 'SUCCEEDED', output: plainOutput.value });
      checkPayloadSize(output, '(execution)', 'output');
      return result({ status: 'SUCCEEDED', output: jsonCopy(output) });
    } catch (e) {
      const halted = run.haltedBy;
      if (halted) return result({ status: 'FAILED', error: halted.error, cause: halted.cause });
      if (e instanceof ExecutionTimedOut) return result({ status: 'TIMED_OUT', error: e.error, cause: e.cause || undefined });
      if (e instanceof StatesError) {
        return result({ status: 'FAILED', error: e.error || undefined, cause: e.cause || undefined });
      }
      if (e instanceof Aborted && run.stoppedAtVirtualTime) {
        // Stopped at stopAtVirtualTime: the execution ends there, as after StopExecution.
        frame.clock.now = run.stopAtMs;
        return result({ status: 'ABORTED' });
      }
      if (e instanceof Aborted) {
        const stop = effectiveOptions.abort;
        return stop?.aborted
          ? result({ status: 'ABORTED', error: stop.error, cause: stop.cause })
          : result({ status: 'FAILED', error: 'States.Runtime', cause: 'The execution was aborted' });
      }
      return result({
        status: 'FAILED',
        error: 'States.Runtime',
        cause: `Internal error in the local Step Functions runtime (please report it): ${e instanceof Error ? e.stack ?? e.message : safeJson(e)}`,
      });
    }
  }

  private mockMachineName(options: RunExecutionOptions): string {
    if (options.stateMachineName !== undefined) return options.stateMachineName;
    const machines = Object.keys(((options.mockConfig as Json).StateMachines as Json | undefined) ?? {});
    return machines.length === 1 ? machines[0] : 'LocalStateMachine';
  }

  private mocksFor(options: RunExecutionOptions): MockCase | undefined {
    if (!options.mockConfig) {
      if (options.testCase !== undefined) throw new LocalRuntimeConfigError(`Option testCase '${options.testCase}' needs a mockConfig`);
      return undefined;
    }
    if (options.testCase === undefined) throw new LocalRuntimeConfigError('Option mockConfig needs a testCase naming one of its TestCases');
    const machineName = this.mockMachineName(options);
    const key = `${machineName}\u0000${options.testCase}`;
    let byKey = this.mockCache.get(options.mockConfig);
    if (!byKey) this.mockCache.set(options.mockConfig, (byKey = new Map()));
    let mock = byKey.get(key);
    if (!mock) {
      mock = loadMockCase(options.mockConfig, machineName, options.testCase, this.stateTypes as Map<string, string>);
      byKey.set(key, mock);
    }
    return mock.fresh();
  }
}

type ResultFields = Pick<ExecutionResult, 'status' | 'output' | 'error' | 'cause'>;

/** The result of one run; the history is built from the recorder on first read (most runs never read it). */
class LocalExecutionResult implements ExecutionResult {
  status: ExecutionResult['status'];
  output?: unknown;
  error?: string;
  cause?: string;
  // ES private fields: not copied by spreading, not serialized.
  #built: HistoryEvent[] | undefined;
  readonly #recorder: HistoryRecorder;

  constructor(
    r: ResultFields,
    readonly trace: ExecutionResult['trace'],
    readonly startTime: string,
    readonly endTime: string,
    readonly executionArn: string,
    recorder: HistoryRecorder,
    readonly quotaStats: QuotaStats,
  ) {
    this.#recorder = recorder;
    this.status = r.status;
    if ('output' in r) this.output = r.output;
    if (r.error !== undefined) this.error = r.error;
    if (r.cause !== undefined) this.cause = r.cause;
  }

  get history(): HistoryEvent[] {
    return (this.#built ??= this.#recorder.toEvents());
  }

  /** Serializing a result includes the history, like any other field (spreading does not: copy `history` explicitly). */
  toJSON(): Record<string, unknown> {
    return { ...(this as object), history: this.history };
  }
}

const objectCache = new WeakMap<object, LocalStateMachine>();
const stringCache = new Map<string, LocalStateMachine>();

/** Compiles (once per definition object or string) and runs one execution. */
export async function runExecution(definition: object | string, input: unknown = {}, options: RunExecutionOptions = {}): Promise<ExecutionResult> {
  let machine = typeof definition === 'string' ? stringCache.get(definition) : objectCache.get(definition);
  if (!machine) {
    machine = LocalStateMachine.compile(definition);
    if (typeof definition === 'string') {
      if (stringCache.size >= 100) stringCache.clear();
      stringCache.set(definition, machine);
    } else objectCache.set(definition, machine);
  }
  return machine.run(input, options);
}

/**
 * The JSON copy of an object or array of plain data whose JSON size bound is within the payload
 * quota: then it is neither too deep (the walk refuses deeper data) nor too large, and no
 * separate depth check, serialization and parse are needed. Undefined: take the general path.
 */
function plainCopyWithinQuota(value: unknown): { value: unknown } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const copy = copyAsJson(value);
  return copy !== NOT_PLAIN && copy.bytesBound <= MAX_PAYLOAD_BYTES ? copy : undefined;
}
