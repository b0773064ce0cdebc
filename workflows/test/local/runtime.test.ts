import { LocalRuntimeConfigError, LocalStateMachine, runExecution, StatesError, TaskContext } from '../../src/local';

const start = { startTime: '2024-01-01T00:00:00.000Z', seed: 1 };
const task = (name: string, extra: Record<string, unknown> = {}) => ({
  StartAt: name,
  States: { [name]: { Type: 'Task', Resource: 'arn:aws:states:::local:work', End: true, ...extra } },
});

describe('task handlers', () => {
  test('receive the resolved parameters and a context with the Context object and virtual time', async () => {
    let seen: { input: unknown; ctx: TaskContext } | undefined;
    const result = await runExecution(task('Work', { Parameters: { 'id.$': '$.id' } }), { id: 'a-1' }, {
      ...start,
      taskHandlers: {
        Work: async (input, ctx) => {
          seen = { input, ctx };
          await ctx.sleep(30);
          return { at: ctx.now().toISOString() };
        },
      },
    });
    expect(seen?.input).toEqual({ id: 'a-1' });
    expect(seen?.ctx.stateName).toBe('Work');
    expect(seen?.ctx.contextObject.State).toEqual({ Name: 'Work', EnteredTime: '2024-01-01T00:00:00.000Z', RetryCount: 0 });
    expect(result.output).toEqual({ at: '2024-01-01T00:00:30.000Z' });
  });

  test('cannot change the state data by mutating their input', async () => {
    const result = await runExecution(
      { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::local:work', ResultPath: '$.r', End: true } } },
      { list: [1] },
      { ...start, taskHandlers: { Work: (input: { list: number[] }) => { input.list.push(2); return 'done'; } } },
    );
    expect(result.output).toEqual({ list: [1], r: 'done' });
  });

  test('are found by state name first, then by resource ARN', async () => {
    const def = { StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Next: 'B' }, B: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', End: true } } };
    const result = await runExecution(def, {}, {
      ...start,
      taskHandlers: { A: () => ({ by: 'state' }), 'arn:aws:states:::dynamodb:putItem': (input: object) => ({ ...input, then: 'resource' }) },
    });
    expect(result.output).toEqual({ by: 'state', then: 'resource' });
  });

  test('an integration registered by ARN prefix handles matching resources', async () => {
    const result = await runExecution(task('Put', { Resource: 'arn:aws:states:::aws-sdk:dynamodb:putItem', Parameters: { TableName: 't' } }), {}, {
      ...start,
      integrations: { 'arn:aws:states:::aws-sdk:dynamodb:': (req) => ({ service: 'dynamodb', table: (req.parameters as { TableName: string }).TableName }) },
    });
    expect(result.output).toEqual({ service: 'dynamodb', table: 't' });
  });

  test('a StatesError thrown by a handler sets Error and Cause exactly', async () => {
    const result = await runExecution(task('Work'), {}, { ...start, taskHandlers: { Work: () => { throw new StatesError('Orders.Conflict', 'version 3 exists'); } } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'Orders.Conflict', cause: 'version 3 exists' });
  });

  test('GIVEN a task result larger than 256 KiB WHEN a Catch of States.ALL is there THEN it catches States.DataLimitExceeded with AWS\'s cause (recorded against AWS)', async () => {
    const def = task('Big', { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }] });
    (def.States as Record<string, unknown>).Caught = { Type: 'Succeed' };
    const result = await runExecution(def, {}, { ...start, taskHandlers: { Big: () => 'x'.repeat(300_000) } });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: { Error: 'States.DataLimitExceeded', Cause: "The state/task 'local' returned a result with a size exceeding the maximum number of bytes service limit." },
    });
  });

  test('GIVEN a Lambda function ARN task whose result is larger than 256 KiB WHEN nothing catches it THEN the cause names the function ARN', async () => {
    const arn = 'arn:aws:lambda:us-east-1:123456789012:function:big';
    const result = await runExecution({ StartAt: 'Big', States: { Big: { Type: 'Task', Resource: arn, End: true } } }, {}, { ...start, taskHandlers: { big: () => 'x'.repeat(300_000) } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded', cause: `The state/task '${arn}' returned a result with a size exceeding the maximum number of bytes service limit.` });
    expect(result.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed', 'ExecutionFailed']);
  });

  test('GIVEN a state whose own output is larger than 256 KiB WHEN it completes THEN the execution fails with States.DataLimitExceeded, checked per state and outside its Catch', async () => {
    const def = {
      StartAt: 'Grow',
      States: {
        Grow: { Type: 'Pass', Parameters: { 'a.$': '$.s', 'b.$': '$.s' }, Next: 'Shrink' },
        Shrink: { Type: 'Pass', Result: 'small', End: true },
      },
    };
    const result = await runExecution(def, { s: 'x'.repeat(150_000) }, start);
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded', cause: "The state/task 'Grow' returned a result with a size exceeding the maximum number of bytes service limit." });
    expect(result.history.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'ExecutionFailed']);
  });
});

describe('.waitForTaskToken', () => {
  test('the token is in the Context object and the handler context', async () => {
    const tokens: (string | undefined)[] = [];
    const result = await runExecution(
      task('Callback', { Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'notify', Payload: { 'token.$': '$$.Task.Token' } } }),
      {},
      { ...start, taskHandlers: { notify: (payload: { token: string }, ctx) => { tokens.push(payload.token, ctx.taskToken); return { approved: true }; } } },
    );
    expect(result.output).toEqual({ approved: true });
    expect(tokens[0]).toBeTruthy();
    expect(tokens[0]).toBe(tokens[1]);
  });
});

describe('determinism', () => {
  const def = { QueryLanguage: 'JSONata', StartAt: 'R', States: { R: { Type: 'Pass', Output: { u: '{% $uuid() %}', r: '{% $random() %}' }, End: true } } };

  test('the same seed gives the same random values, UUIDs and execution name', async () => {
    const a = await runExecution(def, {}, { seed: 42 });
    const b = await runExecution(def, {}, { seed: 42 });
    const c = await runExecution(def, {}, { seed: 43 });
    expect(a.output).toEqual(b.output);
    expect(a.executionArn).toBe(b.executionArn);
    expect(a.output).not.toEqual(c.output);
  });

  test('JitterStrategy FULL waits at most the computed delay, reproducibly', async () => {
    const jittered = task('Flaky', { Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 3, JitterStrategy: 'FULL' }] });
    const handlers = () => {
      let n = 0;
      return { Flaky: () => { if (n++ < 3) throw new Error('again'); return 'ok'; } };
    };
    const r1 = await runExecution(jittered, {}, { ...start, seed: 5, taskHandlers: handlers() });
    const r2 = await runExecution(jittered, {}, { ...start, seed: 5, taskHandlers: handlers() });
    const delays = r1.trace[0].retries.map((r) => r.delaySeconds);
    expect(delays).toHaveLength(3);
    delays.forEach((d, i) => expect(d).toBeLessThanOrEqual(10 * 2 ** i));
    expect(r2.trace[0].retries.map((r) => r.delaySeconds)).toEqual(delays);
    expect(Date.parse(r1.endTime) - Date.parse(r1.startTime)).toBe(Math.round(delays.reduce((a, b) => a + b, 0) * 1000));
  });
});

describe('mock configuration', () => {
  const def = task('Call');
  const mockConfig = {
    StateMachines: { Orders: { TestCases: { Once: { Call: 'OneReturn' } } } },
    MockedResponses: { OneReturn: { '0': { Return: { ok: true } } }, Bad: { x: { Return: 1 } } },
  };

  test('the state machine is picked from the config when it has only one', async () => {
    const result = await runExecution(def, {}, { ...start, mockConfig, testCase: 'Once' });
    expect(result.output).toEqual({ ok: true });
    expect(result.executionArn).toContain(':execution:Orders:');
  });

  test('invocations beyond the mocked ranges fail the execution loudly', async () => {
    const twice = await runExecution(
      { StartAt: 'Loop', States: { Loop: { Type: 'Map', ItemProcessor: { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::local:work', End: true } } }, End: true } } },
      [1, 2],
      { ...start, mockConfig, testCase: 'Once' },
    );
    expect(twice).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: "Mocked response 'OneReturn' (test case 'Once', state 'Call') has no entry for invocation 1; it defines 0",
    });
  });

  test('malformed invocation keys are reported before the run', async () => {
    await expect(
      runExecution(def, {}, { ...start, mockConfig: { StateMachines: { M: { TestCases: { T: { Call: 'Bad' } } } }, MockedResponses: mockConfig.MockedResponses }, testCase: 'T' }),
    ).rejects.toThrow(new LocalRuntimeConfigError(`Invalid mock configuration for state machine 'M':\n  - mocked response 'Bad', invocation 'x': the key must be an invocation number ("0") or range ("1-3")`));
  });

  test('mockConfig without testCase is a setup error', async () => {
    await expect(runExecution(def, {}, { mockConfig })).rejects.toThrow('Option mockConfig needs a testCase naming one of its TestCases');
  });
});

describe('Distributed Map options', () => {
  const distributed = (extra: Record<string, unknown>) => ({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        End: true,
        ...extra,
      },
    },
  });

  test('an itemReaders function receives the resolved ItemReader parameters', async () => {
    const result = await runExecution(
      distributed({ ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { 'Bucket.$': '$.bucket' } } }),
      { bucket: 'tenants' },
      { ...start, itemReaders: { M: (req) => [{ bucket: (req.parameters as { Bucket: string }).Bucket }] } },
    );
    expect(result.output).toEqual([{ bucket: 'tenants' }]);
  });

  test('an itemReaders function that throws fails with States.ItemReaderFailed', async () => {
    const result = await runExecution(distributed({ ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: {} } }), {}, {
      ...start,
      itemReaders: { M: () => { throw new Error('no such key'); } },
    });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed', cause: "State 'M': Error: no such key" });
  });

  test('a resultWriters function receives the results and its return value is the Map result', async () => {
    const written: unknown[] = [];
    const result = await runExecution(distributed({ ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'b', Prefix: 'p' } } }), [1, 2], {
      ...start,
      resultWriters: { M: (req) => { written.push(...req.results); return { ResultWriterDetails: { Bucket: 'b', Key: 'p/manifest.json' } }; } },
    });
    expect(written).toEqual([1, 2]);
    expect(result.output).toEqual({ ResultWriterDetails: { Bucket: 'b', Key: 'p/manifest.json' } });
  });
});

describe('guards', () => {
  test('an endless loop stops at maxStateTransitions with States.Runtime', async () => {
    const result = await runExecution({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } }, {}, { maxStateTransitions: 50 });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: "The execution exceeded 50 state transitions (maxStateTransitions); is there an endless loop through 'A'?" });
  });

  test('a definition string is parsed and validated', async () => {
    await expect(runExecution('{"StartAt": ', {})).rejects.toThrow('Invalid state machine definition:\n  - (definition): is not valid JSON');
  });
});

describe('limits: JSON nested deeper than the runtime supports fails the execution clearly, never overflows the stack', () => {
  const nested = (levels: number) => {
    let v: unknown = 1;
    for (let i = 0; i < levels; i++) v = { a: v };
    return v;
  };
  const fix = 'more than the local runtime supports (JSON that deep overflows a JavaScript stack). Fix: flatten the data, or store it (S3, DynamoDB) and pass a reference.';

  test('GIVEN an execution input nested 10,000 levels WHEN it runs THEN it fails with States.Runtime naming the input', async () => {
    const result = await runExecution({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, nested(10_000), start);
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: `The execution input nests more than 1000 levels deep, ${fix}` });
    expect(result.trace).toEqual([]);
  });

  test('GIVEN a task that returns a value nested 10,000 levels WHEN it runs THEN the execution fails with States.Runtime naming the state', async () => {
    const result = await runExecution(task('Deep'), {}, { ...start, taskHandlers: { Deep: () => nested(10_000) } });
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: `The result of state 'Deep' nests more than 1000 levels deep, ${fix}` });
  });

  test('GIVEN States.StringToJson of a string nested 10,000 levels WHEN it runs THEN it fails with States.IntrinsicFailure', async () => {
    const text = JSON.stringify(nested(1_001)).replace(/1}+$/, '') ;
    const deep = `${text}1${'}'.repeat(1_001)}`;
    const result = await runExecution({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'v.$': 'States.StringToJson($.s)' }, End: true } } }, { s: deep }, start);
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.IntrinsicFailure' });
    expect(result.cause).toContain('the JSON nests more than 1000 levels deep, more than the local runtime supports');
  });

  test('GIVEN an input nested 1,000 levels WHEN it runs THEN it succeeds unchanged', async () => {
    const result = await runExecution({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, nested(999), start);
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual(nested(999));
  });
});

// Speed is measured by `npm run bench:workflow` (docs/benchmarks.md), never by a timed assertion.
describe('a compiled definition', () => {
  test('GIVEN one compiled 10-state workflow WHEN it runs 500 times THEN every run starts from its own input and ends the same', async () => {
    const states: Record<string, unknown> = {};
    for (let i = 0; i < 9; i++) {
      states[`S${i}`] = {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: 'step', 'Payload.$': '$' },
        OutputPath: '$.Payload',
        Retry: [{ ErrorEquals: ['Lambda.ServiceException'], MaxAttempts: 2 }],
        Next: i === 8 ? 'Done' : `S${i + 1}`,
      };
    }
    states.Done = { Type: 'Succeed' };
    const machine = LocalStateMachine.compile({ StartAt: 'S0', States: states });
    const options = { seed: 1, taskHandlers: { step: (e: { n: number }) => ({ n: e.n + 1 }) } };
    const outputs = [];
    for (let i = 0; i < 500; i++) outputs.push((await machine.run({ n: i }, options)).output);
    expect(outputs).toEqual(Array.from({ length: 500 }, (_, i) => ({ n: i + 9 })));
  });
});
