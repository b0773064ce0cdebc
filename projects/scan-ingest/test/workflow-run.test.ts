import { Template } from 'aws-cdk-lib/assertions';
import { runWorkflow, serviceApp } from '@fleet/workflows';
import { buildStack } from '../src/main';
import uploaded from '../events/scan-uploaded.json';
import duplicate from '../events/scan-uploaded-duplicate.json';
import invalid from '../events/scan-uploaded-invalid.json';
import locationLabel from '../events/scan-uploaded-location-label.json';

// The App `fleet run` builds: no CloudFormation validator, no cdk-nag packs, no bundling (the
// handlers run from source). The one checked synthesis of this stack is test/stack.test.ts's.
const LOCAL_RUN = { validation: false, bundling: false };

/**
 * The real workflow, with the real handlers, against an embedded DynamoDB (runWorkflow from
 * @fleet/workflows). Each run starts with empty tables plus its seed.
 */
const stack = buildStack(serviceApp(LOCAL_RUN));
const TABLE = 'Table710B521B';
beforeAll(() => Template.fromStack(stack), 120_000);
// The first run also compiles the handlers (ts-jest) and loads the AWS SDK.
jest.setTimeout(30_000);

describe('scan-ingest workflow, run locally', () => {
  test('a new scan is validated, checked, enriched, stored and counted', async () => {
    const run = await runWorkflow(stack, uploaded);

    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).toEqual(['Validate scan', 'Find stored copy', 'Already stored?', 'Enrich scan', 'Store scan', 'Count scan', 'Scan ingested']);
    expect(run.output).toEqual({ scanId: '01JNB4W7Q3X9K2M5T8V6R1C0DZ', counted: true, workerShiftScanCount: 1 });
    expect(run.tables[TABLE]).toEqual([
      expect.objectContaining({ pk: 'DEVICE#HSC2409K7Q2M#DAY#2026-03-02', sk: 'COUNTER', scanCount: 1 }),
      expect.objectContaining({
        pk: 'DEVICE#HSC2409K7Q2M#DAY#2026-03-02',
        sk: 'SCAN#2026-03-02T07:14:33.512Z#01JNB4W7Q3X9K2M5T8V6R1C0DZ',
        barcode: '4006381333931',
        symbology: 'EAN-13',
        gs1PrefixIssuer: 'GS1 Germany',
      }),
      expect.objectContaining({ pk: 'SHIFT#DC1-2026-03-02-EARLY', sk: 'WORKER#W-1042', scanCount: 1, deviceIds: new Set(['HSC2409K7Q2M']) }),
    ]);
  });

  test('a resend of a stored scan is ignored: nothing is written or counted twice', async () => {
    const first = await runWorkflow(stack, uploaded);
    const resend = await runWorkflow(stack, duplicate, { seed: { Table: first.tables[TABLE] } });

    expect(resend.status).toBe('SUCCEEDED');
    expect(resend.path).toEqual(['Validate scan', 'Find stored copy', 'Already stored?', 'Duplicate ignored']);
    expect(resend.tables[TABLE]).toEqual(first.tables[TABLE]);
  });

  test('a scan without a barcode is rejected without a failure report', async () => {
    const run = await runWorkflow(stack, invalid);

    expect(run.status).toBe('FAILED');
    expect(run.path).toEqual(['Validate scan', 'Scan rejected']);
    expect(run.error).toBe('InvalidScanError');
    expect(run.events).toEqual([]);
    expect(run.tables[TABLE]).toEqual([]);
  });

  test('a location label is stored and counted like any scan', async () => {
    const run = await runWorkflow(stack, locationLabel);

    expect(run.status).toBe('SUCCEEDED');
    expect(run.tables[TABLE]).toContainEqual(expect.objectContaining({ barcode: 'LOC-A12-03' }));
  });

  test('a failing store goes to the failure path: reported to the failure bus, nothing stored', async () => {
    const run = await runWorkflow(stack, uploaded, {
      overrides: { 'Store scan': { throw: { error: 'DynamoDB.ProvisionedThroughputExceededException', cause: 'simulated throttling' } } },
    });

    expect(run.status).toBe('FAILED');
    expect(run.path).toEqual(['Validate scan', 'Find stored copy', 'Already stored?', 'Enrich scan', 'Store scan', 'Has error?', 'Report failure', 'Workflow failed']);
    expect(run).toMatchObject({ error: 'DynamoDB.ProvisionedThroughputExceededException', cause: 'simulated throttling' });
    expect(run.events).toEqual([expect.objectContaining({
      Source: 'fleet.scan-ingest',
      DetailType: 'Workflow Failed',
      Detail: expect.objectContaining({ error: { Error: 'DynamoDB.ProvisionedThroughputExceededException', Cause: 'simulated throttling' } }),
    })]);
    expect(run.tables[TABLE]).toEqual([]);
  });
});
