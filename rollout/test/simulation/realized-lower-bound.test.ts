import fc from 'fast-check';
import { realizedLowerBound, RealizedWave, rolloutLowerBound } from '../../src';

const wave = (stackSeconds: number[], over: Partial<RealizedWave> = {}): RealizedWave => ({
  label: 'w', deployments: stackSeconds.length, accounts: stackSeconds.length, maxConcurrency: 10_000, bakeSeconds: 0, stackSeconds, ...over,
});

/**
 * A schedule the model allows: children start in `order`, at least 1 / rate apart (the first at
 * once), each as soon as one of `cap` slots is free; returns when the last ends.
 */
function greedySchedule(times: readonly number[], order: readonly number[], cap: number, rate: number): number {
  const slotsFreeAt = new Array<number>(Math.min(cap, times.length)).fill(0);
  let lastStart = -Infinity;
  let end = 0;
  for (const i of order) {
    let slot = 0;
    for (let s = 1; s < slotsFreeAt.length; s++) if (slotsFreeAt[s] < slotsFreeAt[slot]) slot = s;
    const start = Math.max(lastStart + 1 / rate, slotsFreeAt[slot], 0);
    lastStart = start;
    slotsFreeAt[slot] = start + times[i];
    end = Math.max(end, start + times[i]);
  }
  return end;
}

describe('realizedLowerBound', () => {
  test('GIVEN one deployment of 100 s WHEN bounded THEN the wave takes 100 s, and its bake follows', () => {
    const bound = realizedLowerBound([wave([100], { bakeSeconds: 600 })]);
    expect(bound.totalSeconds).toBe(700);
    expect(bound.waves[0]).toMatchObject({ deploySeconds: 100, binding: 'start-ramp', longestStackSeconds: 100, totalStackSeconds: 100 });
  });

  test('GIVEN 100 s and 50 s in one slot WHEN bounded THEN they run back to back: 150 s (the slot area); with 10 slots the longest started first binds: 100 s', () => {
    expect(realizedLowerBound([wave([50, 100], { maxConcurrency: 1 })]).waves[0]).toMatchObject({ deploySeconds: 150, binding: 'slot-area' });
    expect(realizedLowerBound([wave([50, 100], { maxConcurrency: 10 })]).waves[0]).toMatchObject({ deploySeconds: 100, binding: 'start-ramp' });
  });

  test('GIVEN three 10 s deployments in 2 slots WHEN bounded THEN one slot runs two of them back to back: 20 s (busiest slot)', () => {
    expect(realizedLowerBound([wave([10, 10, 10], { maxConcurrency: 2 })]).waves[0]).toMatchObject({ deploySeconds: 20, binding: 'busiest-slot' });
  });

  test('GIVEN 1,000 deployments of 10 s at 100 starts/s WHEN bounded THEN the last child starts at 9.99 s and ends at 19.99 s', () => {
    const bound = realizedLowerBound([wave(new Array(1000).fill(10))]);
    expect(bound.waves[0].constraints.startRamp).toBeCloseTo(19.99, 9);
    expect(bound.waves[0].binding).toBe('start-ramp');
  });

  test('GIVEN 20,000 deployments of 100 s under the 10,000-children cap at 1,000 starts/s WHEN bounded THEN the slot area binds: 2 x 100 s plus the ramp\'s lost triangle', () => {
    const bound = realizedLowerBound([wave(new Array(20_000).fill(100))], { distributedMapChildStartsPerSecond: 1000, stateTransitions: { bucket: 1e9, refillPerSecond: 1e9 } });
    // 10,000 slots opening 1 ms apart lose 9,999² / (2 x 1,000) slot-seconds: T = (2,000,000 + 49,990.0005) / 10,000.
    expect(bound.waves[0].constraints.slotArea).toBeCloseTo(204.99900005, 6);
    expect(bound.waves[0].constraints.startRamp).toBeCloseTo(119.999, 9);
    expect(bound.waves[0].constraints.busiestSlot).toBe(200);
    expect(bound.waves[0].binding).toBe('slot-area');
  });

  test('GIVEN skipped deployments (fewer times than deployments) WHEN bounded THEN each still needs a child start: 0 s each', () => {
    const bound = realizedLowerBound([wave([1], { deployments: 501, accounts: 501 })]);
    // The 501st child starts at 500 / 100 = 5 s.
    expect(bound.waves[0].constraints.startRamp).toBeCloseTo(5, 9);
    expect(bound.waves[0].totalStackSeconds).toBe(1);
  });

  test('GIVEN waves with bakes WHEN bounded THEN they run in sequence and an empty wave only bakes', () => {
    const bound = realizedLowerBound([wave([100], { label: 'canary', bakeSeconds: 1800 }), wave([], { label: 'frozen', bakeSeconds: 60 }), wave([40, 60], { label: 'main' })]);
    expect(bound.waves.map((w) => [w.label, w.startSeconds, w.endSeconds, w.binding])).toEqual([
      ['canary', 0, 1900, 'start-ramp'], ['frozen', 1900, 1960, 'empty'], ['main', 1960, 2020, 'start-ramp'],
    ]);
  });

  test('GIVEN random waves (times, caps, start rates) WHEN bounded THEN the bound never exceeds a schedule the model can build (longest first or in any order), and is never below the minimum-based bound', () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 60 }),
      fc.integer({ min: 1, max: 12 }),
      fc.constantFrom(0.5, 1, 2, 100),
      fc.integer({ min: 0, max: 1_000_000 }),
      (times, cap, rate, shuffleSeed) => {
        const quotas = { distributedMapChildStartsPerSecond: rate };
        const bound = realizedLowerBound([wave(times, { maxConcurrency: cap })], quotas).totalSeconds;
        const longestFirst = times.map((_, i) => i).sort((a, b) => times[b] - times[a]);
        const shuffled = times.map((_, i) => i).sort((a, b) => ((a * 7919 + shuffleSeed) % 101) - ((b * 7919 + shuffleSeed) % 101));
        expect(bound).toBeLessThanOrEqual(greedySchedule(times, longestFirst, cap, rate) + 1e-9);
        expect(bound).toBeLessThanOrEqual(greedySchedule(times, shuffled, cap, rate) + 1e-9);
        const min = Math.min(...times);
        const minimum = rolloutLowerBound([{ label: 'w', deployments: times.length, accounts: times.length, maxConcurrency: cap, bakeSeconds: 0 }], { changeSetSeconds: { min: 0, max: 0 }, deploySeconds: { min, max: min } }, quotas).totalSeconds;
        expect(bound).toBeGreaterThanOrEqual(minimum - 1e-9);
      },
    ), { numRuns: 300, seed: 12 });
  });

  test('GIVEN bad times and a bad wave WHEN bounded THEN every problem is reported at once', () => {
    expect(() => realizedLowerBound([wave([1, -2]), wave([1, 2], { deployments: 1, maxConcurrency: 0 })])).toThrow([
      'realizedLowerBound has 3 problems; nothing was computed:',
      '  1. waves[0].stackSeconds[1]: must be a number of seconds, zero or more, got -2. Fix: Give each deployment\'s time in seconds.',
      '  2. waves[1].stackSeconds: has more times (2) than the wave has deployments (1). Fix: Pass at most one time per deployment of the wave.',
      '  3. waves[1].maxConcurrency: must be a whole number of 1 or more, got 0. Fix: Give the wave its Map MaxConcurrency (10000 for no cap of its own).',
    ].join('\n'));
  });
});
