import { Template } from 'aws-cdk-lib/assertions';
import { runWorkflow, serviceApp } from '@fleet/workflows';
import { buildStack } from '../src/main';
import registered from '../events/device-registered.json';
import oldFirmware from '../events/device-registered-old-firmware.json';
import unassigned from '../events/device-registered-unassigned.json';

// The App `fleet run` builds: no CloudFormation validator, no cdk-nag packs, no bundling (the
// handlers run from source). The one checked synthesis of this stack is test/stack.test.ts's.
const LOCAL_RUN = { validation: false, bundling: false };

/**
 * The real workflow, with the real handlers, against an embedded DynamoDB (runWorkflow from
 * @fleet/workflows). Each run starts with empty tables.
 */
const stack = buildStack(serviceApp(LOCAL_RUN));
const TABLE = 'Table710B521B';
beforeAll(() => Template.fromStack(stack), 120_000);
// The first run also compiles the handlers (ts-jest) and loads the AWS SDK.
jest.setTimeout(30_000);

describe('device-registry workflow, run locally', () => {
  test('a registration with a worker registers the device, assigns it and summarizes it', async () => {
    const run = await runWorkflow(stack, registered);

    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).toEqual(['Validate registration', 'Register device', 'Worker given?', 'Assign worker', 'Summarize device', 'Device registered']);
    expect(run.output).toMatchObject({ serialNumber: 'HSC2409K7Q2M', siteId: 'DC1', assignedWorkerId: 'W-1042' });
    expect(run.tables[TABLE]).toEqual([
      expect.objectContaining({ pk: 'DEVICE#HSC2409K7Q2M', sk: 'ASSIGNMENT#2026-03-02T05:58:12.000Z', workerId: 'W-1042' }),
      expect.objectContaining({ pk: 'DEVICE#HSC2409K7Q2M', sk: 'PROFILE', registrationId: 'reg-7f3c2a91', firmwareVersion: '4.2.1', assignedWorkerId: 'W-1042' }),
    ]);
  });

  test('a registration without a worker skips the assignment', async () => {
    const run = await runWorkflow(stack, unassigned);

    expect(run.path).toEqual(['Validate registration', 'Register device', 'Worker given?', 'Summarize device', 'Device registered']);
    expect(run.tables[TABLE]).toEqual([expect.objectContaining({ pk: 'DEVICE#RSW2601ZZ001', sk: 'PROFILE' })]);
  });

  test('firmware below the minimum is rejected without a failure report and nothing is stored', async () => {
    const run = await runWorkflow(stack, oldFirmware);

    expect(run.status).toBe('FAILED');
    expect(run.path).toEqual(['Validate registration', 'Registration rejected']);
    expect(run.error).toBe('InvalidRegistrationError');
    expect(run.events).toEqual([]);
    expect(run.tables[TABLE]).toEqual([]);
  });

  test('a serial number registered by another registration ends in Serial number taken', async () => {
    const seed = { Table: [{ pk: 'DEVICE#HSC2409K7Q2M', sk: 'PROFILE', type: 'device', registrationId: 'reg-other', serialNumber: 'HSC2409K7Q2M' }] };
    const run = await runWorkflow(stack, registered, { seed });

    expect(run.path).toEqual(['Validate registration', 'Register device', 'Serial number taken']);
    expect(run.error).toBe('DeviceAlreadyRegisteredError');
  });

  test('a failing assignment goes to the failure path and is reported to the failure bus', async () => {
    const run = await runWorkflow(stack, registered, {
      overrides: { 'Assign worker': { throw: { error: 'States.TaskFailed', cause: 'simulated outage' } } },
    });

    expect(run.status).toBe('FAILED');
    expect(run.path).toEqual(['Validate registration', 'Register device', 'Worker given?', 'Assign worker', 'Has error?', 'Report failure', 'Workflow failed']);
    expect(run).toMatchObject({ error: 'States.TaskFailed', cause: 'simulated outage' });
    expect(run.events).toEqual([expect.objectContaining({ Source: 'fleet.device-registry', DetailType: 'Workflow Failed' })]);
    // The device was registered before the failure: the profile stays, without a worker.
    expect(run.tables[TABLE]).toEqual([expect.objectContaining({ sk: 'PROFILE', registrationId: 'reg-7f3c2a91' })]);
    expect(run.tables[TABLE][0]).not.toHaveProperty('assignedWorkerId');
  });
});
