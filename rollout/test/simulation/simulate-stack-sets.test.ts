import { simulateStackSets, StackSetsModelOptions, StackTimes, StackUpdateInterval } from '../../src';

// Every stack update takes exactly 30 s, so durations are exact.
const fixed: StackTimes = { changeSetSeconds: { min: 10, max: 10 }, deploySeconds: { min: 20, max: 20 } };
const ranged: StackTimes = { changeSetSeconds: { min: 5, max: 20 }, deploySeconds: { min: 30, max: 120 } };
const model = (over: Partial<StackSetsModelOptions>) => simulateStackSets({
  tenants: 10, services: 1, mode: 'SOFT', failureTolerance: 0, maxConcurrent: 3, stackTimes: fixed, seed: 7, ...over,
});

/** The most updates in flight at once. */
function peakInFlight(intervals: readonly StackUpdateInterval[]): number {
  const edges = intervals.flatMap((i) => [[i.startSeconds, 1], [i.endSeconds, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let peak = 0;
  for (const [, d] of edges) peak = Math.max(peak, (now += d));
  return peak;
}

describe('simulateStackSets: durations with nothing failing', () => {
  test('GIVEN SOFT, MaxConcurrent 3 and 10 accounts WHEN modelled THEN 4 rounds of 30 s, every account deployed once', () => {
    const r = model({});
    expect(r).toMatchObject({ totalSeconds: 120, stoppedEarly: false, failed: 0, deployed: 10, notStarted: 0 });
    expect(new Set(r.intervals.map((i) => i.account)).size).toBe(10);
    expect(r.runs).toEqual([{ service: 'service-1', region: 'region-1', level: 1, concurrency: 3, tolerance: 0, startSeconds: 0, endSeconds: 120, deployed: 10, failed: 0, stopped: false }]);
  });

  test('GIVEN STRICT with tolerance 0 WHEN modelled THEN one account at a time whatever MaxConcurrent says: 10 x 30 s', () => {
    const r = model({ mode: 'STRICT', maxConcurrent: 10 });
    expect(r.totalSeconds).toBe(300);
    expect(r.runs[0].concurrency).toBe(1);
    expect(peakInFlight(r.intervals)).toBe(1);
  });

  test('GIVEN STRICT with tolerance 2 and MaxConcurrent 10 WHEN modelled THEN tolerance + 1 = 3 at once: 4 rounds', () => {
    expect(model({ mode: 'STRICT', failureTolerance: 2, maxConcurrent: 10 }).totalSeconds).toBe(120);
  });

  test('GIVEN percentages WHEN modelled THEN they round down, MaxConcurrent never to zero', () => {
    expect(model({ maxConcurrent: { percentage: 39 } }).runs[0].concurrency).toBe(3);
    expect(model({ maxConcurrent: { percentage: 5 } })).toMatchObject({ totalSeconds: 300, runs: [{ concurrency: 1 }] });
    expect(model({ mode: 'STRICT', maxConcurrent: 10, failureTolerance: { percentage: 29 } }).runs[0]).toMatchObject({ tolerance: 2, concurrency: 3 });
  });

  test('GIVEN 100 per stack set (unverified quota) lowered to 4 WHEN MaxConcurrent is 100 THEN 4 run at once: 3 rounds', () => {
    expect(model({ maxConcurrent: 100, quotas: { stackSetMaxConcurrentPerStackSet: 4 } }).totalSeconds).toBe(90);
  });

  test('GIVEN two stack sets sharing a Region limit of 5 operations WHEN each may run 10 THEN 20 instances go 5 at a time: 4 rounds', () => {
    const r = model({ services: 2, maxConcurrent: 10, quotas: { stackSetOperationsPerRegion: 5 } });
    expect(r.totalSeconds).toBe(120);
    expect(peakInFlight(r.intervals)).toBe(5);
  });

  test('GIVEN 30 stack sets of 10 at once sharing a Region limit of 50 WHEN modelled THEN 600 instances go 50 at a time: 12 rounds, and every stack set finishes', () => {
    const r = model({ tenants: 20, services: 30, maxConcurrent: 10, quotas: { stackSetOperationsPerRegion: 50 } });
    expect(r).toMatchObject({ totalSeconds: 360, deployed: 600 });
    expect(peakInFlight(r.intervals)).toBe(50);
    expect(r.runs).toHaveLength(30);
  });

  test('GIVEN 4 services in 2 dependency levels WHEN modelled THEN the levels run one after the other, stack sets of a level together', () => {
    const r = model({ tenants: 6, services: 4, dependencyLevels: 2 });
    expect(r.totalSeconds).toBe(120);
    const level2 = r.intervals.filter((i) => i.wave === 'level 2');
    expect(new Set(level2.map((i) => i.service))).toEqual(new Set(['service-3', 'service-4']));
    expect(Math.min(...level2.map((i) => i.startSeconds))).toBe(60);
    expect(peakInFlight(r.intervals.filter((i) => i.wave === 'level 1'))).toBe(6);
  });

  test('GIVEN 2 Regions WHEN modelled THEN SEQUENTIAL: the second Region starts when the first is done', () => {
    const r = model({ tenants: 4, maxConcurrent: 4, regions: 2 });
    expect(r.totalSeconds).toBe(60);
    expect(r.intervals.filter((i) => i.region === 'region-2').every((i) => i.startSeconds === 30)).toBe(true);
  });

  test('GIVEN 6,000 tenants x 20 services, SOFT at 100 WHEN modelled THEN 20 stack sets in parallel, each 60 rounds of 30 s', () => {
    const r = simulateStackSets({ tenants: 6000, services: 20, mode: 'SOFT', failureTolerance: 0, maxConcurrent: 100, stackTimes: fixed, seed: 1 });
    expect(r).toMatchObject({ totalSeconds: 1800, deployed: 120_000, failed: 0 });
    expect(r.intervals).toHaveLength(120_000);
  });

  test('GIVEN a seed and ranged stack times WHEN modelled twice, and in the other mode THEN the same seed gives the same run, and both modes the same time per instance', () => {
    const soft = model({ stackTimes: ranged, seed: 42 });
    expect(model({ stackTimes: ranged, seed: 42 })).toEqual(soft);
    expect(model({ stackTimes: ranged, seed: 43 }).totalSeconds).not.toBe(soft.totalSeconds);
    const strict = model({ stackTimes: ranged, seed: 42, mode: 'STRICT' });
    const durations = (r: typeof soft) => Object.fromEntries(r.intervals.map((i) => [i.account, i.endSeconds - i.startSeconds]));
    const a = durations(soft);
    const b = durations(strict);
    for (const account of Object.keys(a)) expect(b[account]).toBeCloseTo(a[account], 9);
  });
});

describe('simulateStackSets: failures', () => {
  test('GIVEN SOFT, tolerance 1 and every update failing WHEN modelled THEN all 3 in flight fail, the operation stops and 7 accounts are never tried', () => {
    const r = model({ failureTolerance: 1, failureRate: 1 });
    expect(r).toMatchObject({ totalSeconds: 30, stoppedEarly: true, failed: 3, deployed: 0, notStarted: 7 });
    expect(r.runs[0].stopped).toBe(true);
  });

  test('GIVEN STRICT, tolerance 1 and every update failing WHEN modelled THEN 2 at once, no new start after the first failure, at most tolerance + 1 failures', () => {
    const r = model({ mode: 'STRICT', failureTolerance: 1, maxConcurrent: 3, failureRate: 1 });
    expect(r).toMatchObject({ totalSeconds: 30, stoppedEarly: true, failed: 2, notStarted: 8 });
  });

  test('GIVEN an operation that stops WHEN later Regions and dependency levels exist THEN none of them is tried', () => {
    const r = model({ services: 2, dependencyLevels: 2, regions: 2, failureRate: 1 });
    expect(r.stoppedEarly).toBe(true);
    expect(new Set(r.intervals.map((i) => `${i.wave} ${i.region}`))).toEqual(new Set(['level 1 region-1']));
    expect(r.notStarted).toBe(40 - 3);
  });

  test('GIVEN STRICT with tolerance 3 and failures drawn at 20% WHEN modelled over many seeds THEN in flight never exceeds tolerance + 1 - failures so far, and failures never exceed tolerance + 1', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const r = simulateStackSets({ tenants: 60, services: 1, mode: 'STRICT', failureTolerance: 3, maxConcurrent: 10, failureRate: 0.2, stackTimes: ranged, seed });
      expect(r.failed).toBeLessThanOrEqual(4);
      for (const i of r.intervals) {
        const failedBefore = r.intervals.filter((f) => f.outcome === 'failed' && f.endSeconds <= i.startSeconds).length;
        const inFlight = r.intervals.filter((o) => o.startSeconds <= i.startSeconds && o.endSeconds > i.startSeconds).length;
        expect(inFlight).toBeLessThanOrEqual(4 - failedBefore);
      }
      const soft = simulateStackSets({ tenants: 60, services: 1, mode: 'SOFT', failureTolerance: 3, maxConcurrent: 10, failureRate: 0.2, stackTimes: ranged, seed });
      if (soft.failed > 4) expect(soft.stoppedEarly).toBe(true);
    }
  });

  test('GIVEN SOFT with tolerance 3 and failures at 20% WHEN modelled THEN it keeps 10 in flight until the fourth failure, and stops once failures pass 3', () => {
    let stopped = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const r = simulateStackSets({ tenants: 200, services: 1, mode: 'SOFT', failureTolerance: 3, maxConcurrent: 10, failureRate: 0.2, stackTimes: ranged, seed });
      const failures = r.intervals.filter((i) => i.outcome === 'failed').sort((a, b) => a.endSeconds - b.endSeconds);
      const fourth = failures[3];
      if (!fourth) continue;
      stopped++;
      expect(r.stoppedEarly).toBe(true);
      expect(r.intervals.every((i) => i.startSeconds < fourth.endSeconds)).toBe(true);
      expect(peakInFlight(r.intervals)).toBe(10);
    }
    expect(stopped).toBeGreaterThan(15);
  });
});

describe('simulateStackSets: gated by rings, as the engine is', () => {
  test('GIVEN rings of 2 and 8 accounts with a 100 s bake, SOFT at 3 WHEN modelled THEN one operation per ring (1 round, the bake, 3 rounds) and no bake after the last ring', () => {
    const r = model({ rings: [{ label: 'canary', tenants: 2, bakeSeconds: 100 }, { label: 'main', tenants: 8, bakeSeconds: 500 }] });
    expect(r.totalSeconds).toBe(30 + 100 + 90);
    expect(r.runs.map((run) => [run.ring, run.startSeconds, run.endSeconds, run.deployed])).toEqual([['canary', 0, 30, 2], ['main', 130, 220, 8]]);
    expect([...new Set(r.intervals.map((i) => i.wave))]).toEqual(['canary level 1', 'main level 1']);
    expect(r.intervals.filter((i) => i.wave === 'canary level 1').map((i) => i.account)).toEqual(['tenant-01', 'tenant-02']);
  });

  test('GIVEN rings and 2 dependency levels WHEN modelled THEN each ring runs its levels in order before its bake, and percentages are of the ring\'s accounts', () => {
    const r = model({ services: 2, dependencyLevels: 2, maxConcurrent: { percentage: 50 }, rings: [{ tenants: 2, bakeSeconds: 60 }, { tenants: 8, bakeSeconds: 0 }] });
    // Ring 1: 50% of 2 = 1 at once, 2 rounds per level; ring 2: 4 at once, 2 rounds per level.
    expect(r.runs.map((run) => [run.ring, run.level, run.concurrency, run.startSeconds, run.endSeconds])).toEqual([
      ['ring 1', 1, 1, 0, 60], ['ring 1', 2, 1, 60, 120], ['ring 2', 1, 4, 180, 240], ['ring 2', 2, 4, 240, 300],
    ]);
  });

  test('GIVEN an operation that stops in the first ring WHEN modelled THEN no bake and no later ring follow', () => {
    const r = model({ failureRate: 1, rings: [{ tenants: 2, bakeSeconds: 1000 }, { tenants: 8, bakeSeconds: 0 }] });
    expect(r).toMatchObject({ stoppedEarly: true, totalSeconds: 30, notStarted: 8 });
  });

  test('GIVEN each service its own stack times WHEN modelled THEN each stack set draws from its own service\'s ranges', () => {
    const slow: StackTimes = { changeSetSeconds: { min: 10, max: 10 }, deploySeconds: { min: 50, max: 50 } };
    const r = model({ services: 2, serviceStackTimes: [fixed, slow] });
    expect(r.runs.map((run) => [run.service, run.endSeconds])).toEqual([['service-1', 120], ['service-2', 240]]);
    expect(() => model({ services: 2, serviceStackTimes: [fixed] })).toThrow('serviceStackTimes: must be an array of one StackTimes per service (2), got "1 entries". Fix: Pass each service\'s ranges in service order, or leave it out to use stackTimes for all.');
  });

  test('GIVEN a per-instance overhead of 10 s WHEN modelled THEN every instance takes 40 s: 4 rounds of 40 s', () => {
    expect(model({ instanceOverheadSeconds: 10 }).totalSeconds).toBe(160);
  });

  test('GIVEN rings that do not add up to the tenants and a negative overhead WHEN modelled THEN both problems are reported at once', () => {
    expect(() => model({ instanceOverheadSeconds: -1, rings: [{ tenants: 3, bakeSeconds: -5 }] })).toThrow([
      'simulateStackSets has 3 problems; nothing was computed:',
      '  1. instanceOverheadSeconds: must be a number of seconds, zero or more, got -1. Fix: Give the seconds StackSets adds per stack instance, or leave it out for 0 (no published figure).',
      '  2. rings[0].bakeSeconds: must be a number of seconds, zero or more, got -5. Fix: Give the bake after the ring in seconds (0 for none).',
      "  3. rings: hold 3 tenants in all, not the 10 of tenants. Fix: Make the rings' tenant counts add up to tenants.",
    ].join('\n'));
  });
});

describe('simulateStackSets: bad options', () => {
  test('GIVEN bad options WHEN modelled THEN every problem is reported at once', () => {
    expect(() => simulateStackSets({
      tenants: 0, services: 2, dependencyLevels: 3, mode: 'LAX' as 'SOFT', failureTolerance: { percentage: 120 }, maxConcurrent: 0,
      failureRate: 2, stackTimes: fixed, seed: 1.5,
    })).toThrow([
      'simulateStackSets has 7 problems; nothing was computed:',
      '  1. tenants: must be a whole number of 1 or more, got 0. Fix: Give the number of tenant accounts.',
      '  2. dependencyLevels: must be a whole number from 1 to services (2), got 3. Fix: Give the number of dependency levels, at most one per service, or leave it out for 1.',
      "  3. mode: must be 'STRICT' or 'SOFT', got \"LAX\". Fix: Use 'STRICT' for STRICT_FAILURE_TOLERANCE or 'SOFT' for SOFT_FAILURE_TOLERANCE.",
      '  4. failureTolerance: must be a count or { percentage } from 0 to 100, got {"percentage":120}. Fix: Give FailureToleranceCount as a whole number (0 stops at the first failure) or { percentage } from 0 to 100.',
      '  5. maxConcurrent: must be a whole number of 1 or more, got 0. Fix: Give MaxConcurrentCount as a whole number of 1 or more or { percentage } above 0, at most 100.',
      '  6. failureRate: must be a number from 0 to 1, got 2. Fix: Give the chance that one stack update fails, e.g. 0.01, or leave it out for 0.',
      '  7. seed: must be a whole number, got 1.5. Fix: Pass a whole number; the same seed gives the same run.',
    ].join('\n'));
  });
});
