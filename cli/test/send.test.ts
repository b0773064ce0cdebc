import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * `fleet send` (and `fleet run`'s routing note), spawned as users run them, in a fixture fleet
 * (test/fixtures/send): tenant services `orders` (a workflow and a function target) and `alerts`
 * (two function targets, one that always throws), and a central-account project that is skipped.
 * Needs the packages built (npx projen build:packages).
 */
const REPO = path.resolve(__dirname, '..', '..');
const FLEET = path.join(__dirname, 'fixtures', 'send');

function fleet(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(REPO, 'cli', 'bin', 'fleet.js'), ...args], {
    cwd: FLEET,
    encoding: 'utf8',
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
    timeout: 240_000,
  });
  const lines = result.stdout.trimEnd().split('\n');
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, last: lines[lines.length - 1] };
}

jest.setTimeout(300_000);

describe('fleet send', () => {
  test('GIVEN an event two tenant services subscribe to WHEN sent THEN each rule target gets it: a workflow execution and an asynchronous invocation', () => {
    const run = fleet('send', '--event', 'projects/orders/events/order-placed.json', '--json');

    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Event "Order Placed" from shop \(projects\/orders\/events\/order-placed\.json\) on the default bus of tenant 222233334444 in eu-west-1/);
    expect(run.stdout).toMatch(/Rules of alerts, orders\n/);
    expect(run.stdout).toMatch(/Delivery 1: alerts rule PlacedRoute\/Rule -> function notify \(Notify\)\n/);
    expect(run.stdout).toMatch(/Delivery 2: orders rule PlacedRoute\/Rule -> state machine Workflow\/StateMachine\n +# +state +type/);
    expect(run.stdout).toMatch(/Accept order +Task +07:00:00\.000 +0 ms +ok/);
    expect(run.stdout).toMatch(/Central failure bus: nothing arrived/);
    expect(JSON.parse(run.last)).toEqual({
      status: 'DELIVERED',
      deliveries: [
        { service: 'alerts', rule: 'PlacedRoute/Rule', target: 'Notify', kind: 'lambda', status: 'SUCCEEDED', depth: 0 },
        { service: 'orders', rule: 'PlacedRoute/Rule', target: 'Workflow/StateMachine', kind: 'state-machine', status: 'SUCCEEDED', depth: 0 },
      ],
      centralFailures: [],
      unrouted: [],
    });
  });

  test('GIVEN a handler that throws WHEN its event is sent THEN after its retries the failure message reaches the central failure bus with the tenant as envelope account, exit 1', () => {
    const run = fleet('send', '--service', 'alerts', '--event', 'projects/alerts/events/payment-failed.json', '--json');

    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/asynchronous invocation: MaximumRetryAttempts 2, MaximumEventAgeInSeconds 3600, on failure arn:aws:events:eu-west-1:999999999999:event-bus\/fleet-failures/);
    expect(run.stdout).toMatch(/1 +07:00:00\.000 +failed PagerUnreachableError: pager unreachable\n +2 +07:01:00\.000 +failed PagerUnreachableError: pager unreachable\n +3 +07:03:00\.000 +failed PagerUnreachableError: pager unreachable\n +FAILED \(RetriesExhausted\)/);
    const summary = JSON.parse(run.last);
    expect(summary.status).toBe('FAILED');
    expect(summary.centralFailures).toEqual([expect.objectContaining({
      fleetFailureMessage: 1,
      tenant: '222233334444',
      region: 'eu-west-1',
      event: expect.objectContaining({ 'source': 'lambda', 'detail-type': 'Lambda Function Invocation Result - Failure', 'account': '222233334444' }),
    })]);
  });

  test('bad input: one message naming the thing, the value and the fix, exit 1', () => {
    const missing = fleet('send', '--event', 'nope.json');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trimEnd()).toBe(`--event "nope.json": no such file (looked at ${path.join(FLEET, 'nope.json')}). Fix: give the path of an EventBridge event or a PutEvents entry, relative to ${FLEET} or absolute.`);

    const unknown = fleet('send', '--service', 'billing', '--event', 'projects/orders/events/order-placed.json');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trimEnd()).toBe(`Service "billing" not found in ${path.join(FLEET, 'projects')}. Fix: use one of "alerts", "central", "orders".`);
  });

  test('--help explains the command with examples, and the program lists it', () => {
    const help = fleet('send', '--help');
    expect(help.stdout).toMatch(/Usage: fleet send \[options\]/);
    expect(help.stdout).toMatch(/--event <file>/);
    expect(help.stdout).toMatch(/Exit status: 0 when every delivery succeeded/);
    expect(fleet('--help').stdout).toMatch(/send \[options\] +deliver an event as a tenant account would/);
  });
});

describe('fleet run with an event the service\'s rules send elsewhere', () => {
  test('GIVEN an event routed to a function WHEN run as workflow input THEN it says so and suggests fleet send', () => {
    const run = fleet('run', 'orders', '--input', 'projects/orders/events/order-shipped.json');

    expect(run.code).toBe(0);
    expect(run.stdout).toContain([
      'Note: in AWS, this "Order Shipped" event from shop does not start orders\'s state machine: its rule ShippedRoute/Rule sends it to function ship. This run starts the state machine with it anyway.',
      'To deliver it as AWS would: npx fleet send --service orders --event projects/orders/events/order-shipped.json',
    ].join('\n'));
  });

  test('GIVEN an event the service\'s rule sends to the state machine WHEN run THEN there is no note', () => {
    const run = fleet('run', 'orders', '--input', 'projects/orders/events/order-placed.json');

    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('Note:');
  });
});
