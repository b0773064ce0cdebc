import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * `fleet run`, spawned as users run it (node cli/bin/fleet.js). Needs the packages built
 * (npm test builds them first; by hand: npx tsc -p workflows/tsconfig.build.json && npx tsc -p cli/tsconfig.build.json).
 */
const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = 'cli/test/fixtures/run';

function fleet(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(REPO, 'cli', 'bin', 'fleet.js'), 'run', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    timeout: 180_000,
  });
  const lines = result.stdout.trimEnd().split('\n');
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, last: lines[lines.length - 1] };
}

const definitionRun = (...extra: string[]) =>
  fleet('--definition', `${FIXTURES}/order.asl.json`, '--input', `${FIXTURES}/order-input.json`, '--mock-config', `${FIXTURES}/order-mocks.json`, ...extra);

describe('fleet run --definition with a Step Functions Local mock file', () => {
  test('a succeeding test case: trace with virtual time, output, exit 0, JSON summary as the last line', () => {
    const run = definitionRun('--test-case', 'HappyPath', '--json');

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Run of cli\/test\/fixtures\/run\/order\.asl\.json \(state machine "order", test case "HappyPath"\)/);
    expect(run.stdout).toMatch(/2 {2}Wait an hour +Wait +\S+ +1 h +ok/);
    expect(JSON.parse(run.last)).toEqual({ status: 'SUCCEEDED', output: { orderId: 'o-1', chargeId: 'ch-9', shipped: true }, error: null, cause: null });
  });

  test('a failing test case: retries and the caught error in the trace, exit 1', () => {
    const run = definitionRun('--test-case', 'RetryThenDecline', '--json');

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Charge card +Task +\S+ +6 s +2 \(Lambda\.ServiceException\) +caught CardDeclined -> Declined/);
    expect(JSON.parse(run.last)).toEqual({ status: 'FAILED', output: null, error: 'OrderDeclined', cause: 'The card was declined' });
  });
});

describe('fleet run --history', () => {
  test('GIVEN --history WHEN the run ends THEN the execution history is printed in GetExecutionHistory\'s shape before the JSON summary', () => {
    const run = definitionRun('--test-case', 'HappyPath', '--history', '--json');

    expect(run.code).toBe(0);
    const start = run.stdout.indexOf('{\n  "events"');
    expect(run.stdout).toMatch(/Execution history \(GetExecutionHistory, \d+ events\):/);
    const text = run.stdout.slice(start, run.stdout.lastIndexOf('\n', run.stdout.length - 2));
    const { events } = JSON.parse(text) as { events: { id: number; previousEventId: number; type: string; timestamp: string }[] };
    expect(events[0]).toMatchObject({ id: 1, previousEventId: 0, type: 'ExecutionStarted' });
    expect(events[events.length - 1]).toMatchObject({ id: events.length, type: 'ExecutionSucceeded' });
    expect(events.map((e) => e.type)).toContain('WaitStateExited');
    expect(JSON.parse(run.last).status).toBe('SUCCEEDED');
  });
});

describe('bad input: one message naming the thing, the value and the fix, exit 1', () => {
  test.each([
    [['--definition', 'nope.asl.json'], `--definition "nope.asl.json": no such file (looked at ${path.join(REPO, 'nope.asl.json')}). Fix: give the path of an Amazon States Language definition, relative to ${REPO} or absolute.`],
    [['--definition', `${FIXTURES}/order.asl.json`, '--input', `${FIXTURES}/broken.json`], `--input "${FIXTURES}/broken.json": not valid JSON (Unexpected end of JSON input). Fix: make the file the execution input in JSON.`],
    [['--definition', `${FIXTURES}/order.asl.json`, '--mock-config', `${FIXTURES}/order-mocks.json`, '--test-case', 'Sad'], `--test-case "Sad" is not a test case of "order" in ${FIXTURES}/order-mocks.json. Fix: use one of "HappyPath", "RetryThenDecline".`],
    [['--definition', `${FIXTURES}/order.asl.json`, '--test-case', 'HappyPath'], 'fleet run: --test-case "HappyPath" needs --mock-config. Fix: add --mock-config <file>.'],
    [['scan-ingst'], expect.stringMatching(/^Service "scan-ingst" not found in .*projects\. Fix: use one of .*"scan-ingest"/)],
    [[], 'fleet run: nothing to run. Fix: name a service (fleet run scan-ingest --input event.json), give --definition <file.asl.json>, or run inside a service folder.'],
  ])('fleet run %j', (args, message) => {
    const run = fleet(...(args as string[]));

    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd()).toEqual(message);
  });
});

test('--help explains the command with examples', () => {
  const run = fleet('--help');

  expect(run.code).toBe(0);
  expect(run.stdout).toContain('Usage: fleet run [options] [service]');
  expect(run.stdout).toContain('npx fleet run scan-ingest --input projects/scan-ingest/events/scan-uploaded.json');
  expect(run.stdout).toContain('--mock-config <file>');
  expect(run.stdout).toContain('Exit status: 0 when the execution SUCCEEDED');
});

test('fleet run <service> runs the real handlers and shows the items they wrote', () => {
  const run = fleet('device-registry', '--input', 'projects/device-registry/events/device-registered.json', '--json');

  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Assign worker +Task .* ok/);
  expect(run.stdout).toContain('DynamoDB table Table710B521B (Table/Table): 2 items');
  expect(run.stdout).toContain('"sk":"ASSIGNMENT#2026-03-02T05:58:12.000Z"');
  expect(JSON.parse(run.last)).toMatchObject({ status: 'SUCCEEDED', output: { serialNumber: 'HSC2409K7Q2M', assignedWorkerId: 'W-1042' }, error: null });
}, 180_000);
