/**
 * The Step Functions service in memory: state machines, executions (run by the local runtime
 * in virtual time, started at the real current time), their histories, task tokens for
 * `.waitForTaskToken`, StopExecution and RedriveExecution. One method per API action, taking
 * and returning the action's JSON request and response shapes.
 * Source: Step Functions API Reference (each action's request, response and errors).
 */
import { StatesError } from '../errors';
import { HistoryEvent } from '../history';
import { LocalStateMachine } from '../local-state-machine';
import { ownValue } from '../mock-config';
import { MAX_PAYLOAD_BYTES, nestsDeeperThan } from '../limits';
import { ExecutionResult, RunExecutionOptions } from '../types';
import { formatProblems, validateDefinition } from '../validate';
import { SfnApiError } from './sfn-api-error';
import { testState } from './test-state';

type Json = Record<string, any>;

export interface SfnServiceOptions {
  /** @default "us-east-1" */
  readonly region?: string;
  /** @default "123456789012" */
  readonly accountId?: string;
  /** Step Functions Local mock configuration; a test case is chosen by `<state machine ARN>#<TestCase>`. */
  readonly mockConfig?: Record<string, unknown>;
  /**
   * What runs the tasks of a state machine (handlers, integrations), by state machine name: for
   * `fleet sfn serve <service>`, the service's real Lambda handlers and an embedded DynamoDB.
   */
  readonly runOptions?: (stateMachineName: string) => Promise<Partial<RunExecutionOptions>> | Partial<RunExecutionOptions>;
}

interface StateMachineRecord {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: 'STANDARD' | 'EXPRESS';
  creationDate: Date;
  machine: LocalStateMachine;
}

interface ExecutionRecord {
  arn: string;
  stateMachine: StateMachineRecord;
  name: string;
  input: string;
  testCase?: string;
  status: 'RUNNING' | ExecutionResult['status'];
  startDate: Date;
  stopDate?: Date;
  result?: ExecutionResult;
  /** Events of the runs before the current one (a redriven execution keeps them). */
  earlier: HistoryEvent[];
  current: () => HistoryEvent[];
  done: Promise<void>;
  abort: { aborted: boolean; error?: string; cause?: string };
  redriveCount: number;
  redriveDate?: Date;
}

interface PendingToken {
  execution: ExecutionRecord;
  stateName: string;
  resolve(output: unknown): void;
  reject(error: StatesError): void;
}

const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

export class SfnService {
  private readonly region: string;
  private readonly accountId: string;
  private readonly machines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionRecord>();
  private readonly tokens = new Map<string, PendingToken>();

  constructor(private readonly options: SfnServiceOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
  }

  /** Registers a state machine without the API (`fleet sfn serve <service>`). */
  register(name: string, definition: object | string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): string {
    return this.CreateStateMachine({ name, definition: typeof definition === 'string' ? definition : JSON.stringify(definition), type, roleArn: this.defaultRole() }).stateMachineArn;
  }

  /** Resolves once every execution has finished (tests, shutdown). */
  async settled(): Promise<void> {
    await Promise.all([...this.executions.values()].map((e) => e.done));
  }

  CreateStateMachine(req: Json): { stateMachineArn: string; creationDate: number } {
    const name = this.name(req.name, 'name');
    if (typeof req.definition !== 'string') throw new SfnApiError('ValidationException', "1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null");
    const problems = validateDefinition(req.definition);
    if (problems.length > 0) throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '${formatProblems(problems).trim()}'`);
    const type = req.type ?? 'STANDARD';
    if (type !== 'STANDARD' && type !== 'EXPRESS') throw new SfnApiError('ValidationException', `1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
    const arn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
    const existing = this.machines.get(arn);
    if (existing) {
      if (existing.definition === req.definition && existing.type === type) return { stateMachineArn: arn, creationDate: epoch(existing.creationDate) };
      throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const record: StateMachineRecord = {
      arn,
      name,
      definition: req.definition,
      roleArn: typeof req.roleArn === 'string' ? req.roleArn : this.defaultRole(),
      type,
      creationDate: new Date(),
      machine: LocalStateMachine.compile(req.definition),
    };
    this.machines.set(arn, record);
    return { stateMachineArn: arn, creationDate: epoch(record.creationDate) };
  }

  DescribeStateMachine(req: Json): Json {
    const m = this.machine(req.stateMachineArn);
    return { stateMachineArn: m.arn, name: m.name, status: 'ACTIVE', definition: m.definition, roleArn: m.roleArn, type: m.type, creationDate: epoch(m.creationDate) };
  }

  ListStateMachines(req: Json): Json {
    const all = [...this.machines.values()].map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: epoch(m.creationDate) }));
    return page(all, req, 'stateMachines');
  }

  DeleteStateMachine(req: Json): Json {
    const m = this.machine(req.stateMachineArn);
    this.machines.delete(m.arn);
    return {};
  }

  StartExecution(req: Json): { executionArn: string; startDate: number } {
    const { machine, testCase } = this.machineWithTestCase(req.stateMachineArn);
    const name = req.name === undefined ? crypto.randomUUID() : this.name(req.name, 'name');
    const input = this.input(req.input);
    const arn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      // Idempotent for an open execution with the same input (API Reference, StartExecution).
      if (existing.status === 'RUNNING' && existing.input === input) return { executionArn: arn, startDate: epoch(existing.startDate) };
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = this.launch(machine, name, arn, input, testCase);
    return { executionArn: execution.arn, startDate: epoch(execution.startDate) };
  }

  async StartSyncExecution(req: Json): Promise<Json> {
    const { machine } = this.machineWithTestCase(req.stateMachineArn);
    if (machine.type !== 'EXPRESS') throw new SfnApiError('StateMachineTypeNotSupported', `This operation is not supported by this type of state machine: '${machine.arn}'`);
    const { executionArn } = this.StartExecution(req);
    const execution = this.executions.get(executionArn)!;
    await execution.done;
    const d = this.DescribeExecution({ executionArn });
    return { ...d, billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: 100 } };
  }

  DescribeExecution(req: Json): Json {
    const e = this.execution(req.executionArn);
    const out: Json = {
      executionArn: e.arn,
      stateMachineArn: e.stateMachine.arn,
      name: e.name,
      status: e.status,
      startDate: epoch(e.startDate),
      input: e.input,
      inputDetails: { included: true },
      redriveCount: e.redriveCount,
      redriveStatus: this.redrivable(e) ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
    };
    if (e.stopDate) out.stopDate = epoch(e.stopDate);
    if (e.redriveDate) out.redriveDate = epoch(e.redriveDate);
    const r = e.result;
    if (r && e.status === 'SUCCEEDED') {
      out.output = JSON.stringify(r.output ?? null);
      out.outputDetails = { included: true };
    }
    // A timed-out execution has neither error nor cause (recorded: timeouts/test_timeouts.snapshot.json).
    if (r && (e.status === 'FAILED' || e.status === 'ABORTED')) {
      if (r.error) out.error = r.error;
      if (r.cause) out.cause = r.cause;
    }
    return out;
  }

  GetExecutionHistory(req: Json): Json {
    const e = this.execution(req.executionArn);
    let events = this.history(e);
    if (req.includeExecutionData === false) events = events.map(withoutData);
    if (req.reverseOrder === true) events = [...events].reverse();
    return page(events.map(serializeEvent), req, 'events', 100);
  }

  ListExecutions(req: Json): Json {
    const m = this.machine(req.stateMachineArn);
    const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
    if (req.statusFilter !== undefined && !statuses.includes(req.statusFilter)) {
      throw new SfnApiError('ValidationException', `1 validation error detected: Value '${req.statusFilter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${statuses.join(', ')}]`);
    }
    const all = [...this.executions.values()]
      .filter((e) => e.stateMachine.arn === m.arn && (req.statusFilter === undefined || e.status === req.statusFilter))
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime())
      .map((e) => ({
        executionArn: e.arn,
        stateMachineArn: m.arn,
        name: e.name,
        status: e.status,
        startDate: epoch(e.startDate),
        ...(e.stopDate ? { stopDate: epoch(e.stopDate) } : {}),
        redriveCount: e.redriveCount,
      }));
    return page(all, req, 'executions');
  }

  async StopExecution(req: Json): Promise<Json> {
    const e = this.execution(req.executionArn);
    if (e.status === 'RUNNING') {
      e.abort.aborted = true;
      e.abort.error = req.error;
      e.abort.cause = req.cause;
      // A task waiting for its token stops waiting.
      for (const [token, pending] of this.tokens) {
        if (pending.execution === e) {
          this.tokens.delete(token);
          pending.reject(new StatesError('States.Runtime', 'The execution was stopped'));
        }
      }
      await e.done;
    }
    return { stopDate: epoch(e.stopDate ?? new Date()) };
  }

  RedriveExecution(req: Json): Json {
    const e = this.execution(req.executionArn);
    if (!this.redrivable(e)) {
      throw new SfnApiError('ExecutionNotRedrivable', `Execution is RUNNING or SUCCEEDED and cannot be redriven: '${e.arn}'`);
    }
    // Restart at the top-level state that failed, with the input it had (Developer Guide,
    // "Redriving state machines"); states that had succeeded are not run again.
    const failed = [...(e.result?.trace ?? [])].reverse().find((t) => t.scope === '' && (t.status === 'FAILED' || t.status === 'ABORTED'));
    e.earlier = this.history(e);
    e.redriveCount++;
    e.redriveDate = new Date();
    this.run(e, failed ? { startAt: failed.stateName, input: failed.input } : undefined);
    return { redriveDate: epoch(e.redriveDate) };
  }

  SendTaskSuccess(req: Json): Json {
    const pending = this.token(req.taskToken);
    let output: unknown;
    try {
      output = JSON.parse(req.output);
    } catch {
      throw new SfnApiError('InvalidOutput', `Invalid Output: '${String(req.output)}'`);
    }
    this.tokens.delete(req.taskToken);
    pending.resolve(output);
    return {};
  }

  SendTaskFailure(req: Json): Json {
    const pending = this.token(req.taskToken);
    this.tokens.delete(req.taskToken);
    pending.reject(new StatesError(req.error ?? '', req.cause ?? ''));
    return {};
  }

  SendTaskHeartbeat(req: Json): Json {
    this.token(req.taskToken);
    return {};
  }

  async TestState(req: Json): Promise<Json> {
    const extra = this.options.runOptions ? await this.options.runOptions(typeof req.stateName === 'string' ? req.stateName : 'TestState') : {};
    return testState(req, { ...extra, region: this.region, accountId: this.accountId });
  }

  // ---- executions ----

  private launch(machine: StateMachineRecord, name: string, arn: string, input: string, testCase: string | undefined): ExecutionRecord {
    const execution: ExecutionRecord = {
      arn,
      stateMachine: machine,
      name,
      input,
      testCase,
      status: 'RUNNING',
      startDate: new Date(),
      earlier: [],
      current: () => [],
      done: Promise.resolve(),
      abort: { aborted: false },
      redriveCount: 0,
    };
    this.executions.set(arn, execution);
    this.run(execution);
    return execution;
  }

  private run(e: ExecutionRecord, from?: { startAt: string; input: unknown }): void {
    e.status = 'RUNNING';
    e.stopDate = undefined;
    e.abort = { aborted: false };
    const startTime = e.redriveDate ?? e.startDate;
    const work = async () => {
      const extra = this.options.runOptions ? await this.options.runOptions(e.stateMachine.name) : {};
      const options: RunExecutionOptions = {
        ...extra,
        executionName: e.name,
        stateMachineName: e.stateMachine.name,
        region: this.region,
        accountId: this.accountId,
        roleArn: e.stateMachine.roleArn,
        startTime,
        mockConfig: e.testCase !== undefined ? this.options.mockConfig : undefined,
        testCase: e.testCase,
        abort: e.abort,
        startAt: from?.startAt,
        onStart: (read) => {
          e.current = read;
        },
        awaitTaskToken: (token, stateName) =>
          new Promise((resolve, reject) => {
            this.tokens.set(token, { execution: e, stateName, resolve, reject });
          }),
      };
      const result = await e.stateMachine.machine.run(from ? from.input : JSON.parse(e.input), options);
      e.result = result;
      e.current = () => result.history;
      e.status = result.status;
      // Virtual time: a Wait of a day ends the execution a day after its start.
      e.stopDate = new Date(result.endTime);
    };
    e.done = work().catch((error: Error) => {
      e.status = 'FAILED';
      e.stopDate = new Date();
      e.result = { status: 'FAILED', error: 'States.Runtime', cause: error.message, trace: [], history: [], startTime: startTime.toISOString(), endTime: new Date().toISOString(), executionArn: e.arn };
    });
  }

  /** The events of every run of the execution, ids continuing across a redrive. */
  private history(e: ExecutionRecord): HistoryEvent[] {
    const current = e.current();
    if (e.earlier.length === 0) return current;
    const offset = e.earlier.length + 1;
    const redriven: HistoryEvent = {
      timestamp: e.redriveDate!,
      type: 'ExecutionRedriven',
      id: offset,
      previousEventId: e.earlier.length,
      executionRedrivenEventDetails: { redriveCount: e.redriveCount },
    };
    // The new run's ExecutionStarted is replaced by ExecutionRedriven.
    const rest = current.filter((ev) => ev.type !== 'ExecutionStarted').map((ev) => ({
      ...ev,
      id: ev.id - 1 + offset,
      previousEventId: ev.previousEventId <= 1 ? offset : ev.previousEventId - 1 + offset,
    }));
    return [...e.earlier, redriven, ...rest];
  }

  private redrivable(e: ExecutionRecord): boolean {
    return e.status === 'FAILED' || e.status === 'TIMED_OUT' || e.status === 'ABORTED';
  }

  // ---- request checks ----

  private defaultRole(): string {
    return `arn:aws:iam::${this.accountId}:role/LocalStepFunctionsRole`;
  }

  private name(value: unknown, field: string): string {
    if (typeof value !== 'string' || !NAME.test(value)) throw new SfnApiError('InvalidName', `Invalid Name: '${String(value)}' (${field}: 1-80 characters, no whitespace, brackets, wildcards or special characters)`);
    return value;
  }

  private input(value: unknown): string {
    const text = value === undefined ? '{}' : value;
    if (typeof text !== 'string') throw new SfnApiError('InvalidExecutionInput', `Invalid Execution Input: '${String(text)}'`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new SfnApiError('InvalidExecutionInput', `Invalid Execution Input: '${text.slice(0, 200)}' (${(error as Error).message})`);
    }
    if (Buffer.byteLength(text, 'utf8') > MAX_PAYLOAD_BYTES) throw new SfnApiError('InvalidExecutionInput', `Invalid Execution Input: the input is larger than ${MAX_PAYLOAD_BYTES} bytes`);
    if (nestsDeeperThan(parsed)) throw new SfnApiError('InvalidExecutionInput', 'Invalid Execution Input: the input nests more than 1000 levels deep, more than the local runtime supports');
    return text;
  }

  private machine(arn: unknown): StateMachineRecord {
    if (typeof arn !== 'string' || !/^arn:aws[\w-]*:states:[^:]+:\d{12}:stateMachine:[^:#]+$/.test(arn)) {
      throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
    }
    const m = this.machines.get(arn);
    if (!m) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return m;
  }

  /** `<state machine ARN>#<TestCase>` selects a test case of the mock configuration (Step Functions Local). */
  private machineWithTestCase(arn: unknown): { machine: StateMachineRecord; testCase?: string } {
    if (typeof arn === 'string' && arn.includes('#')) {
      const [base, testCase] = [arn.slice(0, arn.indexOf('#')), arn.slice(arn.indexOf('#') + 1)];
      const machine = this.machine(base);
      const cases = ownValue(ownValue(ownValue(this.options.mockConfig, 'StateMachines'), machine.name), 'TestCases') as Json | undefined;
      if (!cases || !Object.hasOwn(cases, testCase)) {
        throw new SfnApiError(
          'ValidationException',
          `Test case '${testCase}' is not in the mock configuration for state machine '${machine.name}' (it has: ${cases ? Object.keys(cases).join(', ') : 'no mock configuration'}). Fix: start fleet sfn serve with --mock-config, or use one of its test cases.`,
        );
      }
      return { machine, testCase };
    }
    return { machine: this.machine(arn) };
  }

  private execution(arn: unknown): ExecutionRecord {
    if (typeof arn !== 'string' || !/^arn:aws[\w-]*:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn)) {
      throw new SfnApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
    }
    const e = this.executions.get(arn);
    if (!e) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  }

  private token(token: unknown): PendingToken {
    if (typeof token !== 'string' || token.length === 0) throw new SfnApiError('InvalidToken', `Invalid Token: '${String(token)}'`);
    const pending = this.tokens.get(token);
    if (!pending) throw new SfnApiError('TaskDoesNotExist', 'Task Timed Out or Does Not Exist');
    return pending;
  }
}

/** awsJson1_0 timestamps are epoch seconds. */
function epoch(d: Date): number {
  return d.getTime() / 1000;
}

function serializeEvent(e: HistoryEvent): Json {
  return { ...e, timestamp: epoch(e.timestamp) };
}

function withoutData(e: HistoryEvent): HistoryEvent {
  const out: HistoryEvent = { ...e };
  for (const [k, v] of Object.entries(e)) {
    if (k.endsWith('EventDetails') && v && typeof v === 'object') {
      const { input: _i, output: _o, parameters: _p, ...rest } = v as Json;
      out[k] = rest;
    }
  }
  return out;
}

/** `maxResults` / `nextToken` paging (the token is the offset, opaque to clients). */
function page<T>(items: T[], req: Json, key: string, defaultMax = 100): Json {
  const max = req.maxResults === undefined || req.maxResults === 0 ? defaultMax : req.maxResults;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > 1000) {
    throw new SfnApiError('ValidationException', `1 validation error detected: Value '${String(req.maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  }
  let start = 0;
  if (req.nextToken !== undefined) {
    start = Number(Buffer.from(String(req.nextToken), 'base64').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw new SfnApiError('InvalidToken', `Invalid Token: '${String(req.nextToken)}'`);
  }
  const slice = items.slice(start, start + max);
  const out: Json = { [key]: slice };
  if (start + max < items.length) out.nextToken = Buffer.from(String(start + max)).toString('base64');
  return out;
}
