/**
 * TestState: runs one state on an input and reports its output, error, next state, status
 * (SUCCEEDED, FAILED, RETRIABLE, CAUGHT_ERROR) and, at DEBUG and TRACE inspection levels, the
 * data after each processing step. A `mock` replaces the Task's work with a result or an error.
 * The state is run as a one-state machine: its Retry is reported (RETRIABLE), never performed,
 * as TestState does not retry.
 * Source: Step Functions API Reference, "TestState"; Developer Guide, "Using TestState API to
 * test a state in Step Functions".
 */
import { errorMatches } from '../errors';
import { ownValue } from '../mock-config';
import { MAX_NESTING_DEPTH, nestsDeeperThan } from '../limits';
import { LocalStateMachine } from '../local-state-machine';
import { formatProblems, validateDefinition } from '../validate';
import { evaluatePath, NOT_FOUND, parsePath, setAtPath } from '../json-path';
import { RunExecutionOptions } from '../types';
import { SfnApiError } from './sfn-api-error';

type Json = Record<string, any>;

const LEVELS = ['INFO', 'DEBUG', 'TRACE'];

export async function testState(req: Record<string, any>, base: Partial<RunExecutionOptions>): Promise<Record<string, unknown>> {
  if (typeof req.definition !== 'string') throw new SfnApiError('ValidationException', "1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null");
  const level = req.inspectionLevel ?? 'INFO';
  if (!LEVELS.includes(level)) throw new SfnApiError('ValidationException', `1 validation error detected: Value '${level}' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [${LEVELS.join(', ')}]`);
  let parsed: Json;
  try {
    parsed = JSON.parse(req.definition);
  } catch (error) {
    throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${(error as Error).message}'`);
  }
  if (nestsDeeperThan(parsed)) {
    throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '- (definition): nests more than ${MAX_NESTING_DEPTH} levels deep, more than the local runtime supports. Fix: nest JSON at most ${MAX_NESTING_DEPTH} levels deep'`);
  }
  // A state alone, or a whole state machine with stateName choosing the state.
  let name: string;
  let state: Json;
  let queryLanguage: unknown;
  if (parsed.States && typeof parsed.States === 'object') {
    name = typeof req.stateName === 'string' ? req.stateName : parsed.StartAt;
    state = ownValue(parsed.States, name) as Json;
    queryLanguage = parsed.QueryLanguage;
    if (!state) throw new SfnApiError('ValidationException', `State '${String(name)}' is not in the definition. Fix: set stateName to one of ${Object.keys(parsed.States).join(', ')}`);
  } else {
    name = typeof req.stateName === 'string' ? req.stateName : 'TestState';
    state = parsed;
  }
  let input: unknown = {};
  if (req.input !== undefined) {
    try {
      input = JSON.parse(req.input);
    } catch {
      throw new SfnApiError('InvalidExecutionInput', `Invalid Execution Input: '${String(req.input)}'`);
    }
    if (nestsDeeperThan(input)) throw new SfnApiError('InvalidExecutionInput', `Invalid Execution Input: the input nests more than ${MAX_NESTING_DEPTH} levels deep, more than the local runtime supports`);
  }

  // The state as the only state of a machine; its transitions end at stand-in Succeed states.
  const targets = new Set<string>([state.Next, state.Default, ...(state.Choices ?? []).map((c: Json) => c.Next), ...(state.Catch ?? []).map((c: Json) => c.Next)].filter((t): t is string => typeof t === 'string' && t !== name));
  const states: Json = { [name]: { ...state, Retry: undefined } };
  for (const t of targets) states[t] = { Type: 'Succeed' };
  const definition: Json = { StartAt: name, States: states, ...(queryLanguage ? { QueryLanguage: queryLanguage } : {}) };
  const problems = validateDefinition(JSON.parse(JSON.stringify(definition)));
  if (problems.length > 0) throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '${formatProblems(problems).trim()}'`);

  const options: RunExecutionOptions = { ...base, stateMachineName: 'TestState', executionName: 'TestState', traceData: true, ...mockOf(req.mock, name) };
  const result = await LocalStateMachine.compile(JSON.parse(JSON.stringify(definition))).run(input, options);
  const own = result.trace.find((t) => t.stateName === name && t.scope === '');
  const response: Record<string, unknown> = {};
  let status: string;
  if (own?.status === 'CAUGHT') {
    status = 'CAUGHT_ERROR';
    response.nextState = own.caughtBy;
    response.output = JSON.stringify(own.output ?? null);
    response.error = own.error;
    response.cause = own.cause;
  } else if (result.status === 'SUCCEEDED' && own) {
    status = 'SUCCEEDED';
    if (own.next !== undefined) response.nextState = own.next;
    response.output = JSON.stringify(own.output ?? null);
  } else {
    const retriable = ((state.Retry ?? []) as Json[]).some((r) => errorMatches(r.ErrorEquals ?? [], result.error ?? '') && (r.MaxAttempts ?? 3) > 0);
    status = retriable ? 'RETRIABLE' : 'FAILED';
    response.error = result.error;
    response.cause = result.cause;
  }
  response.status = status;
  if (level !== 'INFO') response.inspectionData = inspection(state, queryLanguage, input, result.history, own?.output);
  return response;
}

/** TestState's `mock`: a result (JSON text) or an errorOutput, through a one-state mock configuration. */
function mockOf(mock: Record<string, any> | undefined, name: string): Partial<RunExecutionOptions> {
  if (!mock) return {};
  let entry: Record<string, unknown>;
  if (mock.errorOutput) entry = { Throw: { Error: mock.errorOutput.error ?? '', Cause: mock.errorOutput.cause ?? '' } };
  else {
    try {
      entry = { Return: JSON.parse(mock.result) };
    } catch {
      throw new SfnApiError('ValidationException', `mock.result must be JSON text, got ${JSON.stringify(mock.result)}`);
    }
  }
  return {
    mockConfig: { StateMachines: { TestState: { TestCases: { Mocked: { [name]: 'TestStateMock' } } } }, MockedResponses: { TestStateMock: { '0': entry } } },
    testCase: 'Mocked',
  };
}

/** The data after each step of JSONPath processing (InspectionData), as JSON text. */
function inspection(state: Json, queryLanguage: unknown, input: unknown, history: { type: string; [k: string]: any }[], output: unknown): Record<string, unknown> {
  const text = (v: unknown) => JSON.stringify(v ?? null);
  const data: Record<string, unknown> = { input: text(input) };
  const ql = state.QueryLanguage ?? queryLanguage ?? 'JSONPath';
  const taskResult = history.find((e) => e.type === 'TaskSucceeded' || e.type === 'LambdaFunctionSucceeded');
  const resultText: string | undefined = taskResult ? (taskResult.taskSucceededEventDetails ?? taskResult.lambdaFunctionSucceededEventDetails)?.output : undefined;
  if (ql === 'JSONPath') {
    const afterInputPath = state.InputPath === null ? {} : state.InputPath === undefined ? input : evaluatePath(parsePath(state.InputPath), { input });
    data.afterInputPath = text(afterInputPath === NOT_FOUND ? null : afterInputPath);
    const scheduled = history.find((e) => e.type === 'TaskScheduled');
    if (scheduled) data.afterParameters = scheduled.taskScheduledEventDetails.parameters;
    if (resultText !== undefined) {
      data.result = resultText;
      // ResultPath applies to the state's raw input.
      if (state.ResultSelector === undefined && typeof state.ResultPath === 'string') {
        const combined = setAtPath(input, parsePath(state.ResultPath), JSON.parse(resultText));
        if (combined !== NOT_FOUND) data.afterResultPath = text(combined);
      }
    }
  } else if (resultText !== undefined) data.result = resultText;
  if (output !== undefined && data.afterResultPath === undefined && state.OutputPath === undefined) data.afterResultPath = text(output);
  return data;
}
