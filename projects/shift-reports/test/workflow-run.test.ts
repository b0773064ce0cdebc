import { Template } from 'aws-cdk-lib/assertions';
import { runWorkflow, serviceApp } from '@fleet/workflows';
import { buildStack } from '../src/main';
import shiftEnded from '../events/shift-ended.json';
import invalidWindow from '../events/shift-ended-invalid-window.json';
import counters from '../events/seed/shift-ended.json';

// The App `fleet run` builds: no CloudFormation validator, no cdk-nag packs, no bundling (the
// handlers run from source). The one checked synthesis of this stack is test/stack.test.ts's.
const LOCAL_RUN = { validation: false, bundling: false };

/**
 * The real workflow, with the real handlers, against an embedded DynamoDB (runWorkflow from
 * @fleet/workflows). `events/seed/shift-ended.json` holds the worker counters the shift left
 * (what `fleet run` also writes before running `events/shift-ended.json`).
 */
const stack = buildStack(serviceApp(LOCAL_RUN));
const TABLE = 'Table710B521B';
beforeAll(() => Template.fromStack(stack), 120_000);
// The first run also compiles the handlers (ts-jest) and loads the AWS SDK.
jest.setTimeout(30_000);

describe('shift-reports workflow, run locally', () => {
  test('a shift with a slow and a fast worker is flagged for review and its report stored', async () => {
    const run = await runWorkflow(stack, shiftEnded, { seed: counters });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).toEqual([
      'Load shift scans', 'Any scans?', 'Compute shift metrics', 'Detect anomalies', 'Anomalies found?',
      'Flag for review', 'Store shift report', 'Format shift summary', 'Report ready',
    ]);
    expect(run.output).toMatchObject({ shiftId: 'DC1-2026-03-02-EARLY', status: 'needs-review' });
    const report = run.tables[TABLE].find((item) => item.sk === 'REPORT');
    expect(report).toMatchObject({
      pk: 'SHIFT#DC1-2026-03-02-EARLY',
      status: 'needs-review',
      totalScans: 4016,
      workerCount: 4,
      medianScansPerHour: 126,
      anomalies: [expect.objectContaining({ workerId: 'W-1077', kind: 'slow' }), expect.objectContaining({ workerId: 'W-1120', kind: 'fast' })],
    });
  });

  test('a shift nobody scanned in ends without a report', async () => {
    const run = await runWorkflow(stack, shiftEnded);

    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).toEqual(['Load shift scans', 'Any scans?', 'No scans in shift']);
    expect(run.tables[TABLE]).toEqual([]);
  });

  test('an event that does not describe a shift is rejected without a failure report', async () => {
    const run = await runWorkflow(stack, invalidWindow, { seed: counters });

    expect(run.status).toBe('FAILED');
    expect(run.path).toEqual(['Load shift scans', 'Shift event rejected']);
    expect(run.error).toBe('InvalidShiftEventError');
    expect(run.events).toEqual([]);
  });

  test('a failing store goes to the failure path and no report is written', async () => {
    const run = await runWorkflow(stack, shiftEnded, {
      seed: counters,
      overrides: { 'Store shift report': { throw: { error: 'Lambda.Unknown', cause: 'simulated crash' } } },
    });

    expect(run.status).toBe('FAILED');
    expect(run.path.slice(-4)).toEqual(['Store shift report', 'Has error?', 'Report failure', 'Workflow failed']);
    expect(run.events).toEqual([expect.objectContaining({ Source: 'fleet.shift-reports', DetailType: 'Workflow Failed' })]);
    expect(run.tables[TABLE].find((item) => item.sk === 'REPORT')).toBeUndefined();
  });
});
