import { compareWithModels, FleetSimulation, realizedWaves, stackSetsRings } from '../src';

/**
 * The comparison figures of `fleet rollout simulate` and bench:rollout, from a real simulated
 * rollout: the engine's own run is one schedule under the quotas, so no bound may exceed it.
 */

// A whole rollout of the synthesized engine on a shared 2-core machine: a generous cap, not a timing assertion.
jest.setTimeout(600_000);

describe('compareWithModels', () => {
  const sim = new FleetSimulation({ tenants: 300, services: 3, bakeMinutes: 10, seed: 4 });
  let run: Awaited<ReturnType<FleetSimulation['run']>>;
  beforeAll(async () => {
    run = await sim.run();
  });

  test('GIVEN a clean rollout of 300 tenants x 3 services WHEN compared THEN the bound from its own stack times is at or below the simulated time (and per wave below its Map Run), and at or above the shortest-time bound', () => {
    const models = compareWithModels(sim, run);
    expect(run.status).toBe('SUCCEEDED');
    expect(models.realizedBound.totalSeconds).toBeLessThanOrEqual(run.virtualSeconds);
    expect(models.realizedBound.totalSeconds).toBeGreaterThanOrEqual(models.lowerBound.totalSeconds);
    run.waves.forEach((w, i) => expect(models.realizedBound.waves[i].deploySeconds).toBeLessThanOrEqual(w.endSeconds! - w.startSeconds!));
    expect(models.ratios.simulatedToRealizedBound).toBeCloseTo(run.virtualSeconds / models.realizedBound.totalSeconds, 9);
  });

  test('GIVEN the run WHEN its waves are realized THEN every deployment has one time: its change set plus its stack update', () => {
    const waves = realizedWaves(sim, run);
    expect(waves.map((w) => w.stackSeconds.length)).toEqual(sim.plan.waves.map((w) => w.itemCount));
    const times = sim.stackTimesOf(0);
    const first = sim.plan.waves[0].items.find((i) => i.service === 'svc-01')!;
    const t = waves[0].stackSeconds[sim.plan.waves[0].items.indexOf(first)];
    expect(t).toBeGreaterThanOrEqual(times.changeSetSeconds.min + times.deploySeconds.min);
    expect(t).toBeLessThanOrEqual(times.changeSetSeconds.max + times.deploySeconds.max);
  });

  test('GIVEN the default comparison WHEN StackSets are modelled THEN they run the engine\'s rings with the same bakes, the ungated figures beside, without per-instance intervals', () => {
    const models = compareWithModels(sim, run);
    expect(stackSetsRings(sim)).toEqual([{ label: 'canary', tenants: 3, bakeSeconds: 600 }, { label: 'early', tenants: 30, bakeSeconds: 600 }, { label: 'main', tenants: 267, bakeSeconds: 0 }]);
    expect(models.stackSetsGated).toBe(true);
    expect(new Set(models.stackSetsSoft.runs.map((r) => r.ring))).toEqual(new Set(['canary', 'early', 'main']));
    // Gating adds the two bakes and a start per ring: never faster than one operation over everyone.
    expect(models.stackSetsSoft.totalSeconds).toBeGreaterThanOrEqual(models.stackSetsUngated!.soft.totalSeconds + 1200);
    expect(models.stackSetsSoft.stackInstanceUpdates).toBe(900);
    expect('intervals' in models.stackSetsSoft).toBe(false);
    const ungated = compareWithModels(sim, run, { gatedStackSets: false });
    expect(ungated.stackSetsSoft.totalSeconds).toBe(models.stackSetsUngated!.soft.totalSeconds);
    expect(ungated.stackSetsUngated).toBeUndefined();
  });
});
