/**
 * The local Step Functions endpoint, driven by @aws-sdk/client-sfn itself with an endpoint
 * override: the SDK must accept every response and raise AWS's exception classes.
 */
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  GetExecutionHistoryCommand,
  InvalidDefinition,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  RedriveExecutionCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TestStateCommand,
} from '@aws-sdk/client-sfn';
import { request as httpRequest } from 'http';
import { SfnApiServer, startSfnApiServer } from '../../../src/local/api';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let server: SfnApiServer;
let sfn: SFNClient;
const tokens: string[] = [];
let attempts = 0;

const ORDER = {
  StartAt: 'Price',
  States: {
    Price: { Type: 'Task', Resource: 'arn:aws:states:::local:price', ResultPath: '$.price', Next: 'Approve' },
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::local:approve.waitForTaskToken',
      Parameters: { 'token.$': '$$.Task.Token', 'orderId.$': '$.orderId' },
      ResultPath: '$.approval',
      Next: 'Wait a day',
    },
    'Wait a day': { Type: 'Wait', Seconds: 86400, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

beforeAll(async () => {
  server = await startSfnApiServer({
    port: 0,
    mockConfig: {
      StateMachines: { order: { TestCases: { Cheap: { Price: 'CheapPrice' } } } },
      MockedResponses: { CheapPrice: { '0': { Return: { total: 1 } } } },
    },
    runOptions: () => ({
      taskHandlers: {
        Price: () => ({ total: 120 }),
        Approve: (params: { token: string }) => {
          tokens.push(params.token);
          return null;
        },
        Flaky: () => {
          if (attempts++ === 0) throw Object.assign(new Error('down'), { name: 'Outage' });
          return 'recovered';
        },
      },
    }),
  });
  sfn = new SFNClient({ endpoint: server.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true });
});

afterAll(async () => {
  sfn.destroy();
  await server.close();
});

const until = async <T>(read: () => Promise<T>, done: (v: T) => boolean): Promise<T> => {
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setImmediate(r));
  }
};

describe('GIVEN a state machine created through the API', () => {
  let arn: string;
  beforeAll(async () => {
    arn = (await sfn.send(new CreateStateMachineCommand({ name: 'order', definition: JSON.stringify(ORDER), roleArn: 'arn:aws:iam::123456789012:role/r' }))).stateMachineArn!;
  });

  test('THEN Describe and List show it as AWS does', async () => {
    expect(arn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:order');
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
    expect(d).toMatchObject({ name: 'order', status: 'ACTIVE', type: 'STANDARD', definition: JSON.stringify(ORDER), roleArn: 'arn:aws:iam::123456789012:role/r' });
    expect(d.creationDate).toBeInstanceOf(Date);
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines?.map((m) => m.name)).toContain('order');
  });

  test('WHEN an execution waits for its task token THEN it is RUNNING until SendTaskSuccess, then SUCCEEDED with the callback output and an AWS-shaped history', async () => {
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'o-1', input: JSON.stringify({ orderId: 'o-1' }) }));
    expect(executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:order:o-1');
    await until(async () => tokens.length, (n) => n > 0);
    const running = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(running.status).toBe('RUNNING');
    await expect(sfn.send(new SendTaskHeartbeatCommand({ taskToken: tokens[0] }))).resolves.toBeDefined();

    await sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[0], output: JSON.stringify({ approved: true }) }));
    const done = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(done).toMatchObject({ status: 'SUCCEEDED', name: 'o-1', stateMachineArn: arn, redriveCount: 0 });
    expect(JSON.parse(done.output!)).toEqual({ orderId: 'o-1', price: { total: 120 }, approval: { approved: true } });
    // The Wait took a virtual day.
    expect(done.stopDate!.getTime()).toBeGreaterThanOrEqual(done.startDate!.getTime() + 86_400_000);

    const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 5 }));
    expect(first.events).toHaveLength(5);
    expect(first.nextToken).toBeDefined();
    const rest = await sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken: first.nextToken }));
    const events = [...first.events!, ...rest.events!];
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited',
      'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited',
      'WaitStateEntered', 'WaitStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded',
    ]);
    expect(events[0]).toMatchObject({ id: 1, previousEventId: 0, executionStartedEventDetails: { input: '{"orderId":"o-1"}', roleArn: 'arn:aws:iam::123456789012:role/r' } });
    expect(events[0].timestamp).toBeInstanceOf(Date);
    expect(events[7]).toMatchObject({ id: 8, previousEventId: 7, taskScheduledEventDetails: { resourceType: 'local', resource: 'approve.waitForTaskToken', region: 'us-east-1' } });
    expect(events.every((e, i) => e.id === i + 1)).toBe(true);
    const list = await sfn.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'SUCCEEDED' }));
    expect(list.executions?.map((e) => e.name)).toEqual(['o-1']);
  });

  test('WHEN the same name is started with another input THEN ExecutionAlreadyExists', async () => {
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'o-1', input: '{"orderId":"other"}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  test('WHEN a task token fails with SendTaskFailure THEN the execution FAILED with that error, and the token is gone', async () => {
    const before = tokens.length;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'o-2', input: '{"orderId":"o-2"}' }));
    await until(async () => tokens.length, (n) => n > before);
    const token = tokens[tokens.length - 1];
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'over budget' }));
    const done = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(done).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'over budget', redriveStatus: 'REDRIVABLE' });
    await expect(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);

    // RedriveExecution restarts at the failed state; the history continues with ExecutionRedriven.
    await sfn.send(new RedriveExecutionCommand({ executionArn }));
    await until(async () => tokens.length, (n) => n > before + 1);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[tokens.length - 1], output: '{"approved":true}' }));
    const redriven = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(redriven).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    const types = events!.map((e) => e.type);
    expect(types.filter((t) => t === 'ExecutionStarted')).toHaveLength(1);
    expect(types).toContain('ExecutionRedriven');
    expect(types.slice(types.indexOf('ExecutionRedriven') + 1, types.indexOf('ExecutionRedriven') + 2)).toEqual(['TaskStateEntered']);
    expect(events!.every((e, i) => e.id === i + 1)).toBe(true);
  });

  test('WHEN StopExecution is called on a waiting execution THEN it is ABORTED with the given error', async () => {
    const before = tokens.length;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'o-3', input: '{"orderId":"o-3"}' }));
    await until(async () => tokens.length, (n) => n > before);
    await sfn.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'by the customer' }));
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Cancelled', cause: 'by the customer' });
    const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(events![0]).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'Cancelled', cause: 'by the customer' } });
  });

  test('WHEN started as <ARN>#<TestCase> THEN the mock configuration\'s test case answers the mocked states', async () => {
    const before = tokens.length;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${arn}#Cheap`, name: 'o-4', input: '{"orderId":"o-4"}' }));
    await until(async () => tokens.length, (n) => n > before);
    await sfn.send(new SendTaskSuccessCommand({ taskToken: tokens[tokens.length - 1], output: '{"approved":true}' }));
    const d = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (x) => x.status !== 'RUNNING');
    expect(JSON.parse(d.output!).price).toEqual({ total: 1 });
  });

  test('WHEN the state machine is deleted THEN it does not exist any more', async () => {
    const tmp = (await sfn.send(new CreateStateMachineCommand({ name: 'tmp', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }), roleArn: 'arn:aws:iam::123456789012:role/r' }))).stateMachineArn!;
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: tmp }));
    await expect(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: tmp }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('errors answer with AWS\'s codes', () => {
  test('an invalid definition is InvalidDefinition, naming every problem', async () => {
    const error = await sfn.send(new CreateStateMachineCommand({ name: 'bad', definition: JSON.stringify({ StartAt: 'Nope', States: { A: { Type: 'Pass' } } }), roleArn: 'arn:aws:iam::123456789012:role/r' })).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect(error.message).toContain("StartAt: names 'Nope', which is not a state in this States object");
    expect(error.message).toContain('a Pass state must have exactly one of "Next" or "End": true');
  });

  test('an unknown state machine is StateMachineDoesNotExist', async () => {
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:missing' }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});

describe('StartSyncExecution on an EXPRESS state machine', () => {
  test('returns the finished execution', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'express', type: 'EXPRESS', definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: true }, End: true } } }), roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const r = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{}' }));
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: '{"ok":true}' });
  });
});

describe('TestState', () => {
  const task = JSON.stringify({ Type: 'Task', Resource: 'arn:aws:states:::local:price', InputPath: '$.order', ResultPath: '$.price', Retry: [{ ErrorEquals: ['Outage'] }], Catch: [{ ErrorEquals: ['Declined'], Next: 'Handle' }], Next: 'Ship' });

  test('a mocked result at DEBUG level: output, next state and the data after each step', async () => {
    const r = await sfn.send(new TestStateCommand({ definition: task, stateName: 'Price', roleArn: 'arn:aws:iam::123456789012:role/r', input: '{"order":{"id":1}}', inspectionLevel: 'DEBUG', mock: { result: '{"total":5}' } }));
    expect(r).toMatchObject({ status: 'SUCCEEDED', nextState: 'Ship', output: '{"order":{"id":1},"price":{"total":5}}' });
    expect(r.inspectionData).toMatchObject({ input: '{"order":{"id":1}}', afterInputPath: '{"id":1}', result: '{"total":5}' });
  });

  test('a mocked error that a Retrier matches is RETRIABLE; one a Catcher matches is CAUGHT_ERROR with the catch target', async () => {
    const retriable = await sfn.send(new TestStateCommand({ definition: task, stateName: 'Price', input: '{"order":{}}', mock: { errorOutput: { error: 'Outage', cause: 'down' } } }));
    expect(retriable).toMatchObject({ status: 'RETRIABLE', error: 'Outage', cause: 'down' });
    const caught = await sfn.send(new TestStateCommand({ definition: task, stateName: 'Price', input: '{"order":{}}', mock: { errorOutput: { error: 'Declined', cause: 'no' } } }));
    expect(caught).toMatchObject({ status: 'CAUGHT_ERROR', nextState: 'Handle', error: 'Declined' });
  });

  test('without a mock the task runs its handler', async () => {
    const r = await sfn.send(new TestStateCommand({ definition: task, stateName: 'Price', input: '{"order":{"id":2}}' }));
    expect(r).toMatchObject({ status: 'SUCCEEDED', output: '{"order":{"id":2},"price":{"total":120}}' });
  });
});

/** One raw request, so headers and bodies the SDK never sends can be tried. */
const raw = (target: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<{ status: number; body: { __type: string; message: string } }> =>
  new Promise((resolve, reject) => {
    const req = httpRequest(
      `${server.url}/`,
      { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${target}`, 'Content-Length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
const deep = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
const DEPTH_DEFINITION = (levels: number) => `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":${deep(levels)},"End":true}}}`;

describe('GIVEN the endpoint reached by a name other than a loopback one (DNS rebinding)', () => {
  test('WHEN a request carries Host attacker.example:18083 THEN it is refused with 403 naming the Host and the fix', async () => {
    const r = await raw('ListStateMachines', '{}', { Host: 'attacker.example:18083' });
    expect(r).toEqual({
      status: 403,
      body: {
        __type: 'com.amazonaws.states#AccessDeniedException',
        message:
          "Host header: the local Step Functions endpoint answers only loopback hosts, got 'attacker.example:18083'. Fix: address it as http://localhost:<port>, http://127.0.0.1:<port> or http://[::1]:<port>.",
      },
    });
  });

  test.each(['localhost:18083', '127.0.0.1', '[::1]:8083', 'LOCALHOST'])('WHEN Host is %s THEN the request is served', async (host) => {
    expect((await raw('ListStateMachines', '{}', { Host: host })).status).toBe(200);
  });
});

describe('GIVEN a mock configuration with the test case Cheap of state machine order', () => {
  test.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty'])('WHEN an execution names the inherited name #%s THEN it is not a test case', async (name) => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'order', definition: JSON.stringify(ORDER), roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const error = await sfn.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}#${name}` })).catch((e) => e);
    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe(
      `Test case '${name}' is not in the mock configuration for state machine 'order' (it has: Cheap). Fix: start fleet sfn serve with --mock-config, or use one of its test cases.`,
    );
  });
});

describe('GIVEN JSON nested 200,000 levels deep', () => {
  const LIMIT_DEFINITION =
    "Invalid State Machine Definition: '- (definition): nests more than 1000 levels deep, more than the local runtime supports. Fix: nest JSON at most 1000 levels deep'";

  test('WHEN it is the Parameters of a CreateStateMachine definition THEN the answer is InvalidDefinition naming the limit', async () => {
    const error = await sfn.send(new CreateStateMachineCommand({ name: 'deep', definition: DEPTH_DEFINITION(200_000), roleArn: 'arn:aws:iam::123456789012:role/r' })).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect(error.message).toBe(LIMIT_DEFINITION);
  });

  test('WHEN it is the definition of TestState THEN the answer is InvalidDefinition naming the limit', async () => {
    const error = await sfn.send(new TestStateCommand({ definition: `{"Type":"Pass","Parameters":${deep(200_000)},"End":true}`, roleArn: 'arn:aws:iam::123456789012:role/r' })).catch((e) => e);
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect(error.message).toBe(LIMIT_DEFINITION);
  });

  test('WHEN it is a field of the request body THEN the answer is 400 ValidationException, not a stack overflow', async () => {
    const r = await raw('CreateStateMachine', `{"name":${deep(200_000)},"definition":"{}"}`);
    expect(r).toEqual({
      status: 400,
      body: {
        __type: 'com.amazonaws.states#ValidationException',
        message: 'Request body: nests more than 1000 levels deep, more than the local runtime supports. Fix: send JSON nested at most 1000 levels deep.',
      },
    });
  });
});

describe('GIVEN a request body over the 2 MiB cap', () => {
  test('WHEN it is sent THEN the answer is 413 naming the limit, without reading the body', async () => {
    const body = Buffer.alloc(2 * 1024 * 1024 + 1, 0x20);
    const r = await raw('CreateStateMachine', body);
    expect(r).toEqual({
      status: 413,
      body: {
        __type: 'com.amazonaws.states#ValidationException',
        message: `Request body: larger than the local endpoint's limit of 2097152 bytes, got 2097153 bytes. Fix: keep definitions under 1 MB and execution input under 256 KiB (AWS's quotas).`,
      },
    });
  });

});

