import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  HistoryEvent,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  TestStateCommand,
} from '@aws-sdk/client-sfn';
import { readFileSync } from 'fs';

/**
 * `fleet sfn serve scan-ingest`, spawned as users run it (node cli/bin/fleet.js), driven by
 * @aws-sdk/client-sfn with an endpoint override. Needs the packages built (npm test builds them).
 */
const REPO = path.resolve(__dirname, '..', '..');
let child: ChildProcess;
let sfn: SFNClient;
let banner = '';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:scan-ingest';

beforeAll(async () => {
  child = spawn(process.execPath, [path.join(REPO, 'cli', 'bin', 'fleet.js'), 'sfn', 'serve', 'scan-ingest', '--port', '0'], {
    cwd: REPO,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      banner += d;
      const m = /Step Functions API on (http:\/\/\S+)/.exec(banner);
      if (m && banner.includes('Press Ctrl-C')) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`fleet sfn serve exited with ${code}: ${stderr}`)));
  });
  sfn = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true });
}, 120_000);

afterAll(async () => {
  sfn?.destroy();
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
});

const finished = async (executionArn: string) => {
  for (;;) {
    const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('GIVEN fleet sfn serve scan-ingest', () => {
  test('THEN it names the endpoint and the service\'s state machine', async () => {
    expect(banner).toContain(`State machine ${MACHINE} (scan-ingest, real handlers, embedded DynamoDB)`);
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE }));
    expect(d).toMatchObject({ name: 'scan-ingest', status: 'ACTIVE', type: 'STANDARD' });
    expect(Object.keys(JSON.parse(d.definition!).States)).toEqual(expect.arrayContaining(['Validate scan', 'Store scan']));
  });

  test('WHEN a scan event is started THEN the real handlers run it to SUCCEEDED, and the history is AWS-shaped', async () => {
    const input = readFileSync(path.join(REPO, 'projects/scan-ingest/events/scan-uploaded.json'), 'utf8');
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE, name: 'scan-1', input }));
    const d = await finished(executionArn!);
    expect(d).toMatchObject({ status: 'SUCCEEDED', name: 'scan-1', executionArn: `arn:aws:states:us-east-1:123456789012:execution:scan-ingest:scan-1` });

    const events: HistoryEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 10, nextToken }));
      events.push(...page.events!);
      nextToken = page.nextToken;
    } while (nextToken);
    expect(events[0]).toMatchObject({ id: 1, previousEventId: 0, type: 'ExecutionStarted' });
    expect(events[events.length - 1]).toMatchObject({ type: 'ExecutionSucceeded' });
    const entered = events.filter((e) => e.type === 'TaskStateEntered').map((e) => e.stateEnteredEventDetails!.name);
    expect(entered).toEqual(['Validate scan', 'Find stored copy', 'Enrich scan', 'Store scan', 'Count scan']);
    const scheduled = events.find((e) => e.type === 'TaskScheduled')!;
    expect(scheduled.taskScheduledEventDetails).toMatchObject({ resourceType: 'lambda', resource: 'invoke', region: 'us-east-1' });
    expect(events.every((e, i) => e.id === i + 1 && (e.previousEventId ?? 0) < e.id && e.timestamp instanceof Date)).toBe(true);

    // The same scan again is a duplicate: the table kept the first one.
    const again = await sfn.send(new StartExecutionCommand({ stateMachineArn: MACHINE, name: 'scan-2', input }));
    const second = await sfn.send(new GetExecutionHistoryCommand({ executionArn: (await finished(again.executionArn!)).executionArn, maxResults: 1000 }));
    expect(second.events!.some((e) => e.type === 'SucceedStateEntered' && e.stateEnteredEventDetails!.name === 'Duplicate ignored')).toBe(true);
  }, 60_000);

  test('WHEN TestState runs one state of the service\'s definition THEN it answers with the next state and the output', async () => {
    const { definition } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: MACHINE }));
    const r = await sfn.send(new TestStateCommand({
      definition,
      stateName: 'Already stored?',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      input: JSON.stringify({ duplicateCheck: { Payload: { duplicate: true } } }),
      inspectionLevel: 'DEBUG',
    }));
    expect(r).toMatchObject({ status: 'SUCCEEDED', nextState: 'Duplicate ignored', output: '{"duplicateCheck":{"Payload":{"duplicate":true}}}' });
    expect(r.inspectionData?.input).toBe('{"duplicateCheck":{"Payload":{"duplicate":true}}}');
  });

  test('WHEN a state machine with a callback task is created THEN SendTaskSuccess completes it', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({
      name: 'approval',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      definition: JSON.stringify({
        StartAt: 'Ask',
        States: { Ask: { Type: 'Task', Resource: 'arn:aws:states:::events:putEvents.waitForTaskToken', Parameters: { Entries: [{ Detail: { 'token.$': '$$.Task.Token' }, DetailType: 'Approval Requested', Source: 'local.test' }] }, End: true } },
      }),
    }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    let token: string | undefined;
    while (!token) {
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      const scheduled = events!.find((e) => e.type === 'TaskScheduled');
      if (scheduled) token = JSON.parse(scheduled.taskScheduledEventDetails!.parameters!).Entries[0].Detail.token;
      else await new Promise((r) => setTimeout(r, 20));
    }
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    const d = await finished(executionArn!);
    expect(d).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
  });

  test('WHEN an unknown state machine is started THEN StateMachineDoesNotExist', async () => {
    await expect(sfn.send(new StartExecutionCommand({ stateMachineArn: `${MACHINE}-nope` }))).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });
});
