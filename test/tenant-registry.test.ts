import { ReleaseManifest, ROLLOUT_KEYS, serviceRegionKey } from '@fleet/contracts';
import { planRollout, registryProblems, releaseId, rolloutInput } from '@fleet/rollout';
import registry from '../tenants';

// tenant-baseline is deployed by its own StackSet, not by the rollout engine.
const SERVICES = ['device-registry', 'scan-ingest', 'shift-reports'];
// A Monday, 10:00 UTC: outside the Tuesday-Thursday night windows some tenants declare.
const MONDAY = new Date('2026-11-30T10:00:00Z');

function release(service: string): ReleaseManifest {
  const parameters = [{ ParameterKey: 'FailureBusArn', ParameterValue: 'arn:aws:events:{region}:999988887777:event-bus/fleet-failures' }];
  return { releaseId: releaseId({ service, templateBody: `{"service":"${service}"}`, assetHashes: [], parameters }), service, version: '0.0.0', templateHash: '', assetHashes: [], parameters, createdAt: '2026-11-30T00:00:00Z' };
}
const RELEASES = SERVICES.map(release);
const plan = () => planRollout(registry, RELEASES, { rolloutId: 'r-1', releaseBucketPrefix: 'fleet-releases', now: MONDAY });

describe('the sample tenant registry (tenants.ts)', () => {
  test('GIVEN the sample registry WHEN validated against the fleet\'s tenant services THEN it has no problem and 50 tenants: canary 2, early 8, main 40', () => {
    expect(registryProblems(registry, { services: SERVICES })).toEqual([]);
    const count = (ring: string) => registry.tenants.filter((t) => t.ring === ring).length;
    expect([registry.tenants.length, count('canary'), count('early'), count('main')]).toEqual([50, 2, 8, 40]);
  });

  test('GIVEN the sample registry WHEN planned THEN rings go in declared order, canary first with tolerance 0, services in dependency order, and only the last wave of a ring carries its gate', () => {
    const waves = plan().waves;
    expect(waves.map((w) => [w.index, w.ring, w.services.join(','), w.itemCount, w.toleratedFailurePercentage, w.gate.bakeSeconds])).toEqual([
      [0, 'canary', 'device-registry,scan-ingest', 6, 0, 0],
      [1, 'canary', 'shift-reports', 3, 0, 3600],
      [2, 'early', 'device-registry,scan-ingest', 16, 10, 0],
      [3, 'early', 'shift-reports', 8, 10, 7200],
      [4, 'main', 'device-registry,scan-ingest', 78, 5, 0],
      [5, 'main', 'shift-reports', 38, 5, 14400],
    ]);
    expect(waves[1].gate).toEqual({ bakeSeconds: 3600, alarmNames: ['fleet-canary-failures'], minimumExecutions: 200 });
    expect(waves.map((w) => w.itemsKey)).toEqual(waves.map((w) => ROLLOUT_KEYS.waveItems('r-1', w.index)));
    expect(waves.every((w) => w.items.length === w.itemCount)).toBe(true);
  });

  test('GIVEN frozen, pinned and closed-window tenants WHEN planned THEN none of them is in any wave, and each skip says why', () => {
    const { waves, skipped } = plan();
    const deployed = new Set(waves.flatMap((w) => w.items.map((i) => `${i.tenantId}/${i.service}`)));
    for (const frozen of ['meridian-textiles', 'sable-leather']) {
      expect(SERVICES.filter((s) => deployed.has(`${frozen}/${s}`))).toEqual([]);
    }
    expect(deployed.has('tidewater-wine/shift-reports')).toBe(false);
    expect(deployed.has('tidewater-wine/scan-ingest')).toBe(true);
    const reasons = (reason: string) => skipped.filter((s) => s.reason === reason);
    expect(reasons('frozen')).toHaveLength(6);
    expect(reasons('outside-window').map((s) => s.tenantId).sort()).toEqual([...Array(3).fill('alder-medical'), ...Array(3).fill('eastgate-pharma'), ...Array(3).fill('jasper-jewelry')]);
    expect(reasons('pinned')).toEqual([{ tenantId: 'tidewater-wine', service: 'shift-reports', region: 'ap-southeast-2', reason: 'pinned', detail: 'pinned to shift-reports-5a1c0e7b9d3f2468' }]);
    expect(skipped).toHaveLength(16);
  });

  test('GIVEN a tenant in two Regions WHEN planned THEN it gets one item per Region, each with that Region\'s bucket, parameters and deploy role', () => {
    const items = plan().waves[0].items.filter((i) => i.tenantId === 'acme-logistics' && i.service === 'scan-ingest');
    expect(items.map((i) => [i.region, i.templateUrl, i.parameters[0].ParameterValue, i.deployRoleArn])).toEqual([
      ['eu-west-1', `https://fleet-releases-eu-west-1.s3.eu-west-1.amazonaws.com/releases/scan-ingest/${RELEASES[1].releaseId}/template.json`, 'arn:aws:events:eu-west-1:999988887777:event-bus/fleet-failures', 'arn:aws:iam::210001000003:role/FleetDeployRole'],
      ['eu-central-1', `https://fleet-releases-eu-central-1.s3.eu-central-1.amazonaws.com/releases/scan-ingest/${RELEASES[1].releaseId}/template.json`, 'arn:aws:events:eu-central-1:999988887777:event-bus/fleet-failures', 'arn:aws:iam::210001000003:role/FleetDeployRole'],
    ]);
    expect(items[0]).toMatchObject({ stackName: 'fleet-scan-ingest', changeSetName: `fleet-${RELEASES[1].releaseId}`, monitoringTimeInMinutes: 10 });
  });

  test('GIVEN the deployed state says every canary deployment is at the release WHEN planned THEN the canary has no wave and its deployments are skipped as at-release', () => {
    const deployed = new Map(registry.tenants.filter((t) => t.ring === 'canary').map((t) => [t.id, new Map(
      [t.homeRegion, ...(t.extraRegions ?? [])].flatMap((region) => RELEASES.map((r) => [serviceRegionKey(r.service, region), r.releaseId] as [string, string]))),
    ]));
    const result = planRollout(registry, RELEASES, { rolloutId: 'r-2', releaseBucketPrefix: 'fleet-releases', now: MONDAY, deployed });
    expect(result.waves[0].ring).toBe('early');
    expect(result.waves[0].index).toBe(0);
    expect(result.skipped.filter((s) => s.reason === 'at-release')).toHaveLength(9);
  });

  test('GIVEN a plan WHEN turned into the engine input THEN it carries the waves without their item lists (those go to S3)', () => {
    const input = rolloutInput(plan(), 'fleet-rollouts');
    expect(input.bucket).toBe('fleet-rollouts');
    expect(Object.keys(input.waves[0]).sort()).toEqual(['gate', 'index', 'itemCount', 'itemsKey', 'maxConcurrency', 'ring', 'toleratedFailurePercentage']);
  });
});
