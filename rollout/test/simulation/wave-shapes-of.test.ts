import { ReleaseManifest } from '@fleet/contracts';
import { defineTenants, planRollout, releaseId, rolloutLowerBound, waveShapesOf } from '../../src';

const release = (service: string): ReleaseManifest => {
  const parameters = [{ ParameterKey: 'FailureBusArn', ParameterValue: 'x' }];
  return { releaseId: releaseId({ service, templateBody: service, assetHashes: [], parameters }), service, version: '0.0.0', templateHash: '', assetHashes: [], parameters, createdAt: '2026-12-01T00:00:00Z' };
};
const tenant = (n: number, ring: string, extraRegions?: string[]) => ({
  id: `t${n}`, accountId: String(100000000000 + n), homeRegion: 'eu-west-1', organizationalUnit: 'ou-a1b2-eu5k2m9q', ring, ...(extraRegions ? { extraRegions } : {}),
});

describe('waveShapesOf', () => {
  test('GIVEN a planned rollout (2 rings, 2 dependency levels, one tenant in 2 Regions) WHEN shaped THEN each wave keeps its items, (account, Region) pairs, MaxConcurrency and bake, and bounds', () => {
    const registry = defineTenants({
      rings: [{ name: 'canary', maxConcurrency: 1, bakeMinutes: 60 }, { name: 'main', maxConcurrency: 50, bakeMinutes: 120 }],
      services: { b: { dependsOn: ['a'] } },
      tenants: [tenant(1, 'canary', ['us-east-1']), tenant(2, 'main'), tenant(3, 'main')],
    });
    const plan = planRollout(registry, [release('a'), release('b')], { rolloutId: 'r', releaseBucketPrefix: 'p', now: new Date('2026-12-01T10:00:00Z') });
    expect(waveShapesOf(plan)).toEqual([
      { label: '1 canary', deployments: 2, accounts: 2, maxConcurrency: 1, bakeSeconds: 0 },
      { label: '2 canary', deployments: 2, accounts: 2, maxConcurrency: 1, bakeSeconds: 3600 },
      { label: '3 main', deployments: 2, accounts: 2, maxConcurrency: 50, bakeSeconds: 0 },
      { label: '4 main', deployments: 2, accounts: 2, maxConcurrency: 50, bakeSeconds: 7200 },
    ]);
    const bound = rolloutLowerBound(waveShapesOf(plan), { changeSetSeconds: { min: 10, max: 10 }, deploySeconds: { min: 20, max: 20 } });
    expect(bound.totalSeconds).toBeCloseTo(60 + 60 + 3600 + 30.01 + 30.01 + 7200, 9);
  });
});
