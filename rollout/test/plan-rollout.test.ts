import { ReleaseManifest } from '@fleet/contracts';
import { defineTenants, planRollout, releaseId, RingDeclaration } from '../src';

/** How the planner cuts rings into waves (Map Runs): one per dependency level unless a ring asks for chunks. */

const release = (service: string): ReleaseManifest => {
  const parameters = [{ ParameterKey: 'FailureBusArn', ParameterValue: 'x' }];
  return { releaseId: releaseId({ service, templateBody: service, assetHashes: [], parameters }), service, version: '0.0.0', templateHash: '', assetHashes: [], parameters, createdAt: '2026-12-01T00:00:00Z' };
};
const tenants = (count: number, ring: string, from = 0) => Array.from({ length: count }, (_, i) => ({
  id: `t${from + i}`, accountId: String(100000000000 + from + i), homeRegion: 'eu-west-1', organizationalUnit: 'ou-a1b2-eu5k2m9q', ring,
}));
const plan = (main: Partial<RingDeclaration>, mainTenants: number) => planRollout(defineTenants({
  rings: [{ name: 'canary', maxConcurrency: 10, bakeMinutes: 30 }, { name: 'main', maxConcurrency: 10_000, bakeMinutes: 60, toleratedFailurePercentage: 5, ...main }],
  services: { b: { dependsOn: ['a'] } },
  tenants: [...tenants(2, 'canary'), ...tenants(mainTenants, 'main', 2)],
}), [release('a'), release('b')], { rolloutId: 'r', releaseBucketPrefix: 'p', now: new Date('2026-12-01T10:00:00Z') });

describe('planRollout: waves', () => {
  test('GIVEN a ring level of 12,500 deployments (above the 10,000 children a Map Run runs at once) and no maxWaveSize WHEN planned THEN the level is one wave: the cap is on children in flight, not on items', () => {
    const waves = plan({}, 12_500).waves;
    expect(waves.map((w) => [w.ring, w.services.join(','), w.itemCount, w.maxConcurrency, w.gate.bakeSeconds])).toEqual([
      ['canary', 'a', 2, 10, 0],
      ['canary', 'b', 2, 10, 1800],
      ['main', 'a', 12_500, 10_000, 0],
      ['main', 'b', 12_500, 10_000, 3600],
    ]);
  });

  test('GIVEN a ring with maxWaveSize 5,000 WHEN a level of 12,500 is planned THEN it is split into 5,000 + 5,000 + 2,500 in tenant order, each wave with the ring\'s tolerance, and only the ring\'s last wave carries its gate', () => {
    const waves = plan({ maxWaveSize: 5_000 }, 12_500).waves.filter((w) => w.ring === 'main');
    expect(waves.map((w) => [w.services.join(','), w.itemCount, w.toleratedFailurePercentage, w.gate.bakeSeconds])).toEqual([
      ['a', 5_000, 5, 0], ['a', 5_000, 5, 0], ['a', 2_500, 5, 0],
      ['b', 5_000, 5, 0], ['b', 5_000, 5, 0], ['b', 2_500, 5, 3600],
    ]);
    expect(waves[1].items[0].tenantId).toBe('t5002');
    expect(waves.map((w) => w.index)).toEqual([2, 3, 4, 5, 6, 7]);
  });
});
