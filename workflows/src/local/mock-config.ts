/**
 * Step Functions Local mock configuration (the `MockConfigFile.json` format):
 *   { StateMachines: { <name>: { TestCases: { <case>: { <stateName>: <mockedResponseName> } } } },
 *     MockedResponses: { <name>: { "0": { Return: ... }, "1-2": { Throw: { Error, Cause } } } } }
 * Invocation keys are zero-based attempt numbers (each retry is a new invocation) or ranges.
 * Source: Developer Guide, "Using mocked service integrations for testing in Step Functions Local".
 */
import { LocalRuntimeConfigError, StatesError } from './errors';

export interface MockedResponseEntry {
  Return?: unknown;
  Throw?: { Error: string; Cause?: string };
}

export interface MockConfig {
  StateMachines: Record<string, { TestCases: Record<string, Record<string, string>> }>;
  MockedResponses: Record<string, Record<string, MockedResponseEntry>>;
}

interface Range {
  from: number;
  to: number;
  entry: MockedResponseEntry;
}

/** The mocks of one test case, with per-state invocation counters for one execution. */
export class MockCase {
  private readonly counters = new Map<string, number>();

  constructor(
    readonly testCase: string,
    private readonly byState: Map<string, { responseName: string; ranges: Range[] }>,
  ) {}

  has(stateName: string): boolean {
    return this.byState.has(stateName);
  }

  /** The next mocked outcome for the state: a return value, or a thrown StatesError. */
  next(stateName: string): unknown {
    const mock = this.byState.get(stateName);
    if (!mock) throw new Error(`no mock for ${stateName}`);
    const n = this.counters.get(stateName) ?? 0;
    this.counters.set(stateName, n + 1);
    const range = mock.ranges.find((r) => n >= r.from && n <= r.to);
    if (!range) {
      throw new LocalRuntimeConfigError(
        `Mocked response '${mock.responseName}' (test case '${this.testCase}', state '${stateName}') has no entry for invocation ${n}; it defines ${mock.ranges
          .map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`))
          .join(', ')}`,
      );
    }
    if (range.entry.Throw) throw new StatesError(range.entry.Throw.Error, range.entry.Throw.Cause ?? '');
    return range.entry.Return;
  }

  /** A copy with fresh invocation counters (one per execution). */
  fresh(): MockCase {
    return new MockCase(this.testCase, this.byState);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `obj[key]` when `key` is an own property of `obj`, never an inherited one (`__proto__`, `constructor`). */
export function ownValue(obj: unknown, key: string): unknown {
  return isObject(obj) && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * Checks the configuration and selects one test case. `taskStates` maps every state name of
 * the definition (nested ones included) to its type, so mocks of unknown or non-Task states
 * are reported. Throws LocalRuntimeConfigError listing every problem.
 */
export function loadMockCase(config: unknown, stateMachineName: string, testCase: string, stateTypes: Map<string, string>): MockCase {
  const problems: string[] = [];
  if (!isObject(config) || !isObject(config.StateMachines) || !isObject(config.MockedResponses)) {
    throw new LocalRuntimeConfigError('Mock configuration must be an object with "StateMachines" and "MockedResponses" objects');
  }
  // Own properties only: '__proto__', 'toString' and the like name no state machine, test case or response.
  const machine = ownValue(config.StateMachines, stateMachineName);
  if (!isObject(machine) || !isObject(machine.TestCases)) {
    throw new LocalRuntimeConfigError(
      `Mock configuration has no state machine '${stateMachineName}' with TestCases (it has: ${Object.keys(config.StateMachines).join(', ') || 'none'}); set the stateMachineName option to one of them`,
    );
  }
  const tc = ownValue(machine.TestCases, testCase);
  if (!isObject(tc)) {
    throw new LocalRuntimeConfigError(
      `Mock configuration for state machine '${stateMachineName}' has no test case '${testCase}' (it has: ${Object.keys(machine.TestCases).join(', ') || 'none'})`,
    );
  }
  const byState = new Map<string, { responseName: string; ranges: Range[] }>();
  for (const [stateName, responseName] of Object.entries(tc)) {
    const where = `test case '${testCase}', state '${stateName}'`;
    const type = stateTypes.get(stateName);
    if (!type) problems.push(`${where}: the definition has no state named '${stateName}'`);
    else if (type !== 'Task') problems.push(`${where}: only Task states can be mocked, '${stateName}' is a ${type} state`);
    if (typeof responseName !== 'string') {
      problems.push(`${where}: the value must be the name of a mocked response`);
      continue;
    }
    const response = ownValue(config.MockedResponses, responseName);
    if (!isObject(response)) {
      problems.push(`${where}: mocked response '${responseName}' is not defined in MockedResponses`);
      continue;
    }
    const ranges: Range[] = [];
    for (const [key, entry] of Object.entries(response)) {
      const at = `mocked response '${responseName}', invocation '${key}'`;
      const m = /^(\d+)(?:-(\d+))?$/.exec(key);
      if (!m) {
        problems.push(`${at}: the key must be an invocation number ("0") or range ("1-3")`);
        continue;
      }
      const from = Number(m[1]);
      const to = m[2] === undefined ? from : Number(m[2]);
      if (to < from) problems.push(`${at}: the range ends before it starts`);
      if (!isObject(entry) || ('Return' in entry) === ('Throw' in entry)) {
        problems.push(`${at}: must contain exactly one of "Return" or "Throw"`);
        continue;
      }
      if ('Throw' in entry) {
        const t = entry.Throw;
        if (!isObject(t) || typeof t.Error !== 'string' || (t.Cause !== undefined && typeof t.Cause !== 'string')) {
          problems.push(`${at}: "Throw" must be { "Error": string, "Cause"?: string }`);
          continue;
        }
      }
      const overlap = ranges.find((r) => from <= r.to && to >= r.from);
      if (overlap) problems.push(`${at}: overlaps invocations ${overlap.from}-${overlap.to}`);
      ranges.push({ from, to, entry: entry as MockedResponseEntry });
    }
    byState.set(stateName, { responseName, ranges: ranges.sort((a, b) => a.from - b.from) });
  }
  if (problems.length > 0) {
    throw new LocalRuntimeConfigError(`Invalid mock configuration for state machine '${stateMachineName}':\n  - ${problems.join('\n  - ')}`);
  }
  return new MockCase(testCase, byState);
}
