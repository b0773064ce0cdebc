import { existsSync, readdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { TENANT_DEPLOYMENT } from '@fleet/contracts';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LambdaDelivery, routesFor, sendEvent, ServiceStack, StateMachineDelivery } from '@fleet/workflows';
import { REPO } from './support';

/**
 * The sample fleet as one tenant account: every sample event of every tenant service
 * (projects/<service>/events/*.json) is put on the account's bus and delivered by the services'
 * own rules (`sendEvent`, what `fleet send` runs), with the real handlers. Uses the compiled
 * packages (npm test builds them first).
 */
const PROJECTS = path.join(REPO, 'projects');
const tenantServices = readdirSync(PROJECTS).filter((name) => {
  const pkg = path.join(PROJECTS, name, 'package.json');
  return existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).fleet?.deployedTo === TENANT_DEPLOYMENT;
}).sort();

// GIVEN each tenant service's stack, synthesized once for the whole file.
const stacks: ServiceStack[] = tenantServices.flatMap((name) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(path.join(PROJECTS, name, 'src', 'stack.ts')) as Record<string, unknown>;
  const StackClass = Object.values(mod).find((v) => typeof v === 'function' && (v as { prototype?: unknown }).prototype instanceof ServiceStack) as (new (scope: App, id: string) => ServiceStack) | undefined;
  return StackClass ? [new StackClass(new App(), name)] : [];
});
beforeAll(() => stacks.forEach((s) => Template.fromStack(s)), 300_000);
jest.setTimeout(120_000);

const samples = stacks.flatMap((stack) => {
  const dir = path.join(PROJECTS, stack.serviceName, 'events');
  // The tenant baseline has a stack but no events of its own.
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((file) => ({ service: stack.serviceName, file, dir }));
});
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));
const seedFor = (service: string, dir: string, file: string) => {
  const seed = path.join(dir, 'seed', file);
  return existsSync(seed) ? { [service]: readJson(seed) } : undefined;
};

/** How each delivery ended: `<service> <target>: <status> [error | result]`. */
function outcomes(deliveries: (StateMachineDelivery | LambdaDelivery)[]): string[] {
  return deliveries.map((d) => d.kind === 'state-machine'
    ? `${d.service} ${d.target.path}: ${d.status}${d.execution.error ? ` ${d.execution.error}` : ''} at ${d.execution.path[d.execution.path.length - 1]}`
    : `${d.service} ${d.handlerName}: ${d.status} ${JSON.stringify(d.result ?? d.attempts[d.attempts.length - 1].error?.errorType)}`);
}

describe('the sample fleet as one tenant account', () => {
  test('GIVEN the tenant services WHEN a Scan Uploaded is sent THEN it reaches both scan-ingest\'s workflow and shift-reports\' tally-scan', async () => {
    const result = await sendEvent(stacks, readJson(path.join(PROJECTS, 'scan-ingest', 'events', 'scan-uploaded.json')));

    expect(outcomes(result.deliveries)).toEqual([
      'scan-ingest Workflow/StateMachine: SUCCEEDED at Scan ingested',
      'shift-reports tally-scan: SUCCEEDED {"tallied":true}',
    ]);
    expect(result.tables['shift-reports'].Table710B521B).toContainEqual(expect.objectContaining({ sk: 'WORKER#W-1042', scanCount: 1 }));
  });

  test.each(samples.map((s) => [`${s.service}/events/${s.file}`, s] as const))('GIVEN %s WHEN sent THEN exactly the targets its rules name get it, and each ends as its handlers decide', async (_name, sample) => {
    const event = readJson(path.join(sample.dir, sample.file));
    const result = await sendEvent(stacks, event, { seed: seedFor(sample.service, sample.dir, sample.file) });

    const expected = stacks.flatMap((stack) => (routesFor(stack, event) ?? []).map((r) => `${stack.serviceName} ${r.logicalId}`));
    expect(result.deliveries.map((d) => `${d.service} ${d.target.logicalId}`)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(outcomes(result.deliveries)).toEqual(EXPECTED_OUTCOMES[`${sample.service}/${sample.file}`]);
    expect(result.unrouted).toEqual([]);
  });

  test('GIVEN a heartbeat its handler rejects WHEN sent THEN after the retries its failure message is on the central bus with the tenant as envelope account', async () => {
    const heartbeat = readJson(path.join(PROJECTS, 'device-registry', 'events', 'device-heartbeat.json'));
    const result = await sendEvent(stacks, { ...heartbeat, detail: { ...heartbeat.detail, batteryPercent: 'full' } });

    const [delivery] = result.deliveries as LambdaDelivery[];
    expect(delivery.attempts.map((a) => [a.time, a.error?.errorType])).toEqual([
      ['2026-03-02T07:15:01.000Z', 'InvalidHeartbeatError'], ['2026-03-02T07:16:01.000Z', 'InvalidHeartbeatError'], ['2026-03-02T07:18:01.000Z', 'InvalidHeartbeatError'],
    ]);
    expect(result.centralFailures.map((f) => [f.message.tenant, (f.message.event as any).account, (f.message.event as any)['detail-type']])).toEqual([
      [heartbeat.account, heartbeat.account, 'Lambda Function Invocation Result - Failure'],
    ]);
  });
});

/**
 * What each sample event ends as, decided by the services' handlers: the heartbeat of a scanner
 * this fresh tenant never registered is skipped; a duplicate in a fresh tenant is the first copy;
 * an invalid scan is rejected by scan-ingest but still tallied by shift-reports (its ids are there).
 */
const EXPECTED_OUTCOMES: Record<string, string[]> = {
  'device-registry/device-heartbeat.json': ['device-registry record-heartbeat: SUCCEEDED {"serialNumber":"HSC2409K7Q2M","recorded":false,"skipped":"unknown-device"}'],
  'device-registry/device-registered-old-firmware.json': ['device-registry Workflow/StateMachine: FAILED InvalidRegistrationError at Registration rejected'],
  'device-registry/device-registered-unassigned.json': ['device-registry Workflow/StateMachine: SUCCEEDED at Device registered'],
  'device-registry/device-registered.json': ['device-registry Workflow/StateMachine: SUCCEEDED at Device registered'],
  'scan-ingest/scan-uploaded-duplicate.json': ['scan-ingest Workflow/StateMachine: SUCCEEDED at Scan ingested', 'shift-reports tally-scan: SUCCEEDED {"tallied":true}'],
  'scan-ingest/scan-uploaded-invalid.json': ['scan-ingest Workflow/StateMachine: FAILED InvalidScanError at Scan rejected', 'shift-reports tally-scan: SUCCEEDED {"tallied":true}'],
  'scan-ingest/scan-uploaded-location-label.json': ['scan-ingest Workflow/StateMachine: SUCCEEDED at Scan ingested', 'shift-reports tally-scan: SUCCEEDED {"tallied":true}'],
  'scan-ingest/scan-uploaded.json': ['scan-ingest Workflow/StateMachine: SUCCEEDED at Scan ingested', 'shift-reports tally-scan: SUCCEEDED {"tallied":true}'],
  'shift-reports/scan-uploaded.json': ['scan-ingest Workflow/StateMachine: SUCCEEDED at Scan ingested', 'shift-reports tally-scan: SUCCEEDED {"tallied":true}'],
  'shift-reports/shift-ended-invalid-window.json': ['shift-reports Workflow/StateMachine: FAILED InvalidShiftEventError at Shift event rejected'],
  'shift-reports/shift-ended.json': ['shift-reports Workflow/StateMachine: SUCCEEDED at Report ready'],
};
