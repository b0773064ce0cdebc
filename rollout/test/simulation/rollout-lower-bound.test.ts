import { FLEET_QUOTA_DEFAULTS, rolloutLowerBound, StackTimes, WaveShape } from '../../src';

// Stack updates take 30 s at the least (10 + 20) and 90 s on average (30 + 60).
const stackTimes: StackTimes = { changeSetSeconds: { min: 10, max: 50 }, deploySeconds: { min: 20, max: 100 } };
const wave = (over: Partial<WaveShape> = {}): WaveShape => ({ label: 'w', deployments: 100, accounts: 100, maxConcurrency: 10_000, bakeSeconds: 0, ...over });

describe('rolloutLowerBound', () => {
  test('GIVEN no quotas WHEN defaults are read THEN they are the eu-west-1 figures of rollout-facts.md', () => {
    expect(FLEET_QUOTA_DEFAULTS).toEqual({
      stateTransitions: { bucket: 5000, refillPerSecond: 5000 },
      distributedMapChildStartsPerSecond: 100,
      maxChildrenPerMapRun: 10_000,
      cloudFormationApi: { burst: 10, refillPerSecond: 5 },
      stackSetOperationsPerRegion: 10_000,
      stackSetMaxConcurrentPerStackSet: 100,
    });
  });

  test('GIVEN 1,000 deployments in 1,000 accounts and no concurrency cap WHEN bounded THEN the child start rate binds: 999 / 100 per s (the first starts at once) + one 30 s stack time', () => {
    const bound = rolloutLowerBound([wave({ deployments: 1000, accounts: 1000 })], stackTimes);
    expect(bound.waves[0]).toEqual({
      label: 'w', startSeconds: 0, endSeconds: 39.99, binding: 'child-start-rate', deploySeconds: 39.99, bakeSeconds: 0,
      constraints: { childStartRate: 39.99, concurrency: 30, stateTransitions: 0.2, cloudFormationApi: 0 },
    });
    expect(bound).toMatchObject({ totalSeconds: 39.99, stackSeconds: 30, stackTimeBasis: 'minimum' });
  });

  test('GIVEN MaxConcurrency 10 for 100 deployments WHEN bounded THEN concurrency binds: 10 rounds of 30 s', () => {
    const bound = rolloutLowerBound([wave({ maxConcurrency: 10 })], stackTimes);
    expect(bound.waves[0]).toMatchObject({ binding: 'concurrency', deploySeconds: 300 });
    expect(bound.waves[0].constraints.childStartRate).toBe(30.99);
  });

  test('GIVEN a Map Run cap of 8 children below the wave MaxConcurrency WHEN bounded THEN the cap binds: ceil(20 / 8) = 3 rounds', () => {
    const bound = rolloutLowerBound([wave({ deployments: 20, accounts: 20 })], stackTimes, { maxChildrenPerMapRun: 8 });
    expect(bound.waves[0]).toMatchObject({ binding: 'concurrency', deploySeconds: 90 });
  });

  test('GIVEN a state-transition bucket of 100 refilling 10/s WHEN 100 deployments need 6 transitions each THEN transitions bind: (600 - 100) / 10 = 50 s', () => {
    const bound = rolloutLowerBound([wave()], stackTimes, { stateTransitions: { bucket: 100, refillPerSecond: 10 } });
    expect(bound.waves[0]).toMatchObject({ binding: 'state-transitions', deploySeconds: 50 });
    const more = rolloutLowerBound([wave()], stackTimes, { stateTransitions: { bucket: 100, refillPerSecond: 10 } }, { stateTransitionsPerDeployment: 18 });
    expect(more.waves[0]).toMatchObject({ binding: 'state-transitions', deploySeconds: 170 });
  });

  test('GIVEN 200 deployments in 3 accounts and a CloudFormation bucket of 10 refilling 1/s WHEN bounded THEN the busiest account binds: (67 - 10) / 1 = 57 s', () => {
    const bound = rolloutLowerBound([wave({ deployments: 200, accounts: 3 })], stackTimes, { cloudFormationApi: { burst: 10, refillPerSecond: 1 } });
    expect(bound.waves[0]).toMatchObject({ binding: 'cloudformation-api', deploySeconds: 57 });
    const polls = rolloutLowerBound([wave({ deployments: 200, accounts: 3 })], stackTimes, { cloudFormationApi: { burst: 10, refillPerSecond: 1 } }, { cloudFormationCallsPerDeployment: 2 });
    expect(polls.waves[0].deploySeconds).toBe(124);
  });

  test('GIVEN three waves with bakes, one empty WHEN bounded THEN waves run in sequence, each bake after its deployments, the empty wave only bakes', () => {
    const bound = rolloutLowerBound([
      wave({ label: 'canary', deployments: 10, accounts: 10, bakeSeconds: 600 }),
      wave({ label: 'frozen ring', deployments: 0, accounts: 0, bakeSeconds: 60 }),
      wave({ label: 'everyone', deployments: 5000, accounts: 5000, bakeSeconds: 0 }),
    ], stackTimes);
    expect(bound.waves.map(({ label, startSeconds, endSeconds, binding }) => ({ label, startSeconds, endSeconds, binding }))).toEqual([
      { label: 'canary', startSeconds: 0, endSeconds: 630.09, binding: 'child-start-rate' },
      { label: 'frozen ring', startSeconds: 630.09, endSeconds: 690.09, binding: 'empty' },
      { label: 'everyone', startSeconds: 690.09, endSeconds: 690.09 + 79.99, binding: 'child-start-rate' },
    ]);
    expect(bound.totalSeconds).toBeCloseTo(770.08, 9);
  });

  test('GIVEN the mean basis WHEN bounded THEN every constraint uses the 90 s mean stack time and the result says so', () => {
    const bound = rolloutLowerBound([wave({ maxConcurrency: 10 })], stackTimes, undefined, { stackTime: 'mean' });
    expect(bound).toMatchObject({ stackSeconds: 90, stackTimeBasis: 'mean', totalSeconds: 900 });
  });

  test('GIVEN bad waves, stack times and quotas WHEN bounded THEN every problem is reported at once', () => {
    expect(() => rolloutLowerBound(
      [wave({ label: '', deployments: 2.5 }), wave({ accounts: 0, maxConcurrency: 0, bakeSeconds: -1 })],
      { changeSetSeconds: { min: 5, max: 1 }, deploySeconds: { min: 0, max: 1 } },
      { distributedMapChildStartsPerSecond: 0 },
    )).toThrow([
      'rolloutLowerBound has 7 problems; nothing was computed:',
      '  1. quotas.distributedMapChildStartsPerSecond: must be a positive number, got 0. Fix: Pass the quota as a number, or leave it out for the default (100).',
      '  2. stackTimes.changeSetSeconds: must be { min, max } with 0 <= min <= max seconds, got {"min":5,"max":1}. Fix: Give changeSetSeconds a minimum and a maximum in seconds, the minimum not above the maximum.',
      '  3. waves[0].label: must be a non-empty string, got "". Fix: Name the wave (its ring or wave name).',
      '  4. waves[0].deployments: must be a whole number of zero or more, got 2.5. Fix: Count the stack updates of the wave.',
      '  5. waves[1].accounts: must be a whole number of 1 or more, got 0. Fix: Count the distinct tenant accounts the wave deploys to.',
      '  6. waves[1].maxConcurrency: must be a whole number of 1 or more, got 0. Fix: Give the wave its Map MaxConcurrency (10000 for no cap of its own).',
      '  7. waves[1].bakeSeconds: must be a number of seconds, zero or more, got -1. Fix: Give the bake in seconds (0 for none).',
    ].join('\n'));
  });
});
