import { defineTenants, TenantRegistry, TenantRegistryError, validateRegistry } from '../src';

const RINGS = [
  { name: 'canary', maxConcurrency: 1, bakeMinutes: 60 },
  { name: 'main', toleratedFailurePercentage: 5, maxConcurrency: 50, bakeMinutes: 120 },
];
const tenant = (id: string, accountId: string, ring = 'main') => ({ id, accountId, homeRegion: 'eu-west-1', organizationalUnit: 'ou-a1b2-eu5k2m9q', ring });

describe('tenant registry validation', () => {
  test('GIVEN a registry with every kind of problem WHEN validated THEN one error lists them all, in order, each with the value and the fix', () => {
    const registry = defineTenants({
      rings: [{ ...RINGS[0], toleratedFailurePercentage: 10 }, RINGS[1], { name: 'main', maxConcurrency: 0, bakeMinutes: 5 }],
      services: { 'scan-ingest': { dependsOn: ['billing'] }, 'shift-reports': { dependsOn: ['device-registry'] }, 'device-registry': { dependsOn: ['shift-reports'] } },
      tenants: [
        { ...tenant('acme', '111122223333', 'canary'), frozen: true },
        tenant('acme', '11112222333'),
        tenant('borealis', '111122223333'),
        { ...tenant('cobalt', '444455556666', 'beta'), homeRegion: 'eu-west-9', extraRegions: ['eu-west-1'] },
        { ...tenant('dunmore', '777788889999'), pinnedReleases: { 'billing': 'billing-0123456789abcdef', 'scan-ingest': 'scan-ingest-123' } },
        { ...tenant('eastgate', '121212121212'), windows: [{ days: [], startHourUtc: 2, endHourUtc: 6 }, { days: ['tue'], startHourUtc: 6, endHourUtc: 6 }] },
      ],
    });
    let error: unknown;
    try {
      validateRegistry(registry, { services: ['device-registry', 'scan-ingest', 'shift-reports'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TenantRegistryError);
    expect((error as Error).message.split('\n')).toEqual([
      'The tenant registry (tenants.ts) has 15 problems; nothing was written or deployed:',
      '  1. rings[0].toleratedFailurePercentage: the canary ring (the first declared) tolerates no failure, got 10. Fix: remove it or set it to 0.',
      '  2. rings[2].name: duplicate ring name, also rings[1], got "main". Fix: give each ring its own name.',
      '  3. rings[2].maxConcurrency: must be a whole number from 1 to 10000 (a Distributed Map runs at most 10000 children at once), got 0. Fix: set how many deployments of the ring run at once, for example 50.',
      '  4. tenants["acme"].frozen: a frozen tenant cannot be in the canary ring "canary" (the canary takes every release first), got true. Fix: move the tenant to a later ring, or unfreeze it.',
      '  5. tenants[1].id: duplicate tenant id, also tenants[0], got "acme". Fix: give each tenant its own id.',
      '  6. tenants[1].accountId: must be a 12-digit AWS account id, as a string, got "11112222333". Fix: copy the account id from AWS Organizations, keeping leading zeros (a string, not a number).',
      '  7. tenants["borealis"].accountId: account id already used by tenant "acme", got "111122223333". Fix: one tenant per account: correct the account id, or remove one of the two tenants.',
      '  8. tenants["cobalt"].homeRegion: not an AWS Region, got "eu-west-9". Fix: use a Region code such as "eu-west-1" or "us-east-1".',
      '  9. tenants["cobalt"].ring: not a declared ring, got "beta". Fix: use one of "canary", "main", or declare the ring in rings.',
      '  10. tenants["dunmore"].pinnedReleases["billing"]: pins a release of a service the fleet does not have, got "billing". Fix: use one of "device-registry", "scan-ingest", "shift-reports".',
      '  11. tenants["dunmore"].pinnedReleases["scan-ingest"]: must be a release id of scan-ingest ("scan-ingest-" and 16 hex digits), got "scan-ingest-123". Fix: copy the id printed by npx fleet release scan-ingest.',
      '  12. tenants["eastgate"].windows[0].days: the window never opens: it lists no day, got []. Fix: list the days the tenant accepts deployments, for example ["tue", "wed", "thu"].',
      '  13. tenants["eastgate"].windows[1]: the window never opens: endHourUtc is not later than startHourUtc (windows do not wrap past midnight), got {"startHourUtc":6,"endHourUtc":6}. Fix: make endHourUtc later than startHourUtc, or split a night window into two windows.',
      '  14. services["scan-ingest"].dependsOn[0]: not a service of the fleet, got "billing". Fix: use one of "device-registry", "scan-ingest", "shift-reports".',
      '  15. services: the dependencies form a cycle, so no service could go first, got "device-registry -> shift-reports -> device-registry". Fix: remove one of the dependencies in the cycle.',
    ]);
    expect((error as TenantRegistryError).problems).toHaveLength(15);
  });

  test('GIVEN alarm names with ARN separators or wildcards WHEN validated THEN each is a listed problem (they would widen a rollback trigger or a gate)', () => {
    const registry = defineTenants({
      rings: [{ ...RINGS[0], gateAlarmNames: ['canary-health', 'prod:*'] }, RINGS[1]],
      services: { 'scan-ingest': { rollbackAlarmNames: ['scan-ingest errors', 'x/../y'] } },
      tenants: [tenant('acme', '111122223333', 'canary'), tenant('borealis', '222233334444')],
    });
    expect(() => validateRegistry(registry)).toThrow([
      'The tenant registry (tenants.ts) has 2 problems; nothing was written or deployed:',
      '  1. rings[0].gateAlarmNames[1]: not an alarm name this tool accepts, got "prod:*". Fix: use letters, digits, spaces and . _ + = @ , - only (at most 255 characters), the alarm\'s exact name.',
      '  2. services["scan-ingest"].rollbackAlarmNames[1]: not an alarm name this tool accepts, got "x/../y". Fix: use letters, digits, spaces and . _ + = @ , - only (at most 255 characters), the alarm\'s exact name.',
    ].join('\n'));
  });

  test('GIVEN a canary ring with no tenant WHEN validated THEN the empty canary is refused', () => {
    expect(() => validateRegistry({ rings: RINGS, tenants: [tenant('acme', '111122223333')] })).toThrow(
      'rings[0] ("canary"): the canary ring has no tenants, so no release would be tried before the rest of the fleet, got 0. Fix: put at least one representative tenant in ring "canary".',
    );
  });

  test('GIVEN no ring at all WHEN validated THEN the registry is refused with an example of rings', () => {
    const registry = { rings: [], tenants: [] } as TenantRegistry;
    expect(() => validateRegistry(registry)).toThrow(/^The tenant registry \(tenants.ts\) has 1 problem; nothing was written or deployed:\n {2}1\. rings: must declare at least one ring/);
  });

  test('GIVEN extraRegions written as one string, not a list WHEN validated THEN it is a listed problem with the fix, not a crash', () => {
    const registry = { rings: RINGS, tenants: [{ ...tenant('acme', '011122223333', 'canary'), extraRegions: 'us-east-1' as unknown as string[] }] };
    expect(() => validateRegistry(registry)).toThrow(new TenantRegistryError([{
      subject: 'tenants["acme"].extraRegions', problem: 'must be a list of Region codes', value: 'us-east-1', fix: 'write it as a list, for example ["us-east-1"]',
    }]));
  });

  test('GIVEN a maxWaveSize of 0 WHEN validated THEN it is refused, and the fix says that leaving it out means one wave per ring and level', () => {
    const registry = { rings: [RINGS[0], { ...RINGS[1], maxWaveSize: 0 }], tenants: [tenant('acme', '011122223333', 'canary')] };
    expect(() => validateRegistry(registry)).toThrow(new TenantRegistryError([{
      subject: 'rings[1].maxWaveSize', problem: 'must be a whole number, at least 1', value: 0,
      fix: 'set the largest number of deployments in one wave (each wave decides its failure tolerance alone), or remove it for one wave per ring and dependency level',
    }]));
  });

  test('GIVEN a valid registry WHEN validated THEN it is returned as declared', () => {
    const registry = { rings: RINGS, tenants: [tenant('acme', '011122223333', 'canary')] };
    expect(validateRegistry(registry)).toBe(registry);
  });
});
