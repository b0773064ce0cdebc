/**
 * Conformance suite: every case in conformance/*.json is an example from AWS's Step Functions
 * Developer Guide (its page title in `source`), run through the local runtime.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { runExecution, RunExecutionOptions, validateDefinition } from '../../src/local';
import { handlersFromSpecs, HandlerSpec } from './handler-dsl';

interface Case {
  name: string;
  source?: string;
  definition: object;
  input?: unknown;
  handlers?: Record<string, HandlerSpec>;
  options?: Record<string, unknown>;
  expect: {
    status?: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
    output?: unknown;
    error?: string;
    cause?: string;
    causeContains?: string;
    endTime?: string;
    traceIncludes?: Record<string, unknown>[];
    /** The whole execution history, event by event (timestamps as ISO strings), each matched as a subset. */
    history?: Record<string, unknown>[];
    traceExcludes?: Record<string, unknown>[];
    invalid?: string[];
    configError?: string;
  };
}

interface CaseFile {
  source: string;
  cases: Case[];
}

const dir = join(__dirname, 'conformance');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe.each(files)('%s', (file) => {
  const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CaseFile;

  test.each(data.cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    if (c.expect.invalid) {
      const problems = validateDefinition(c.definition);
      const text = problems.map((p) => `${p.path}: ${p.message}`).join('\n');
      for (const fragment of c.expect.invalid) expect(text).toContain(fragment);
      return;
    }
    const options: RunExecutionOptions = {
      startTime: '2024-01-01T00:00:00.000Z',
      seed: 1,
      executionName: 'conformance',
      stateMachineName: 'Conformance',
      ...(c.options as RunExecutionOptions),
      taskHandlers: handlersFromSpecs(c.handlers),
    };
    if (c.expect.configError) {
      await expect(runExecution(c.definition, c.input ?? {}, options)).rejects.toThrow(c.expect.configError);
      return;
    }
    const result = await runExecution(c.definition, c.input ?? {}, options);
    const e = c.expect;
    const summary = { status: result.status, output: result.output, error: result.error, cause: result.cause };
    expect(summary).toMatchObject({ status: e.status ?? 'SUCCEEDED' });
    if ('output' in e) expect(result.output).toEqual(e.output);
    if (e.error !== undefined) expect(result.error).toBe(e.error);
    if (e.cause !== undefined) expect(result.cause).toBe(e.cause);
    if (e.causeContains !== undefined) expect(result.cause).toContain(e.causeContains);
    if (e.endTime !== undefined) expect(result.endTime).toBe(e.endTime);
    if (e.traceIncludes) {
      let from = 0;
      for (const expected of e.traceIncludes) {
        const at = result.trace.findIndex((t, i) => i >= from && matches(t, expected));
        if (at < 0) throw new Error(`trace has no event matching ${JSON.stringify(expected)} (from index ${from}):\n${JSON.stringify(result.trace.map(({ input: _i, output: _o, ...t }) => t), null, 1)}`);
        from = at + 1;
      }
    }
    if (e.history) {
      const history = JSON.parse(JSON.stringify(result.history)) as Record<string, unknown>[];
      expect(history.map((h) => h.type)).toEqual(e.history.map((h) => h.type));
      history.forEach((h, i) => expect(h).toMatchObject(e.history![i]));
    }
    for (const unexpected of e.traceExcludes ?? []) {
      expect(result.trace.filter((t) => matches(t, unexpected))).toEqual([]);
    }
  });

  test('every case cites its source page', () => {
    expect(data.source).toBeTruthy();
  });
});

function matches(actual: unknown, expected: unknown): boolean {
  try {
    expect(actual).toMatchObject(expected as object);
    return true;
  } catch {
    return false;
  }
}
