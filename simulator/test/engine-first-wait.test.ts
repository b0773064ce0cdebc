import { serviceRegionKey } from '@fleet/contracts';
import { FleetSimulation, SimulationOptions } from '../src';

/**
 * A deployment child waits its service's shortest stack update after ExecuteChangeSet before it
 * polls (RolloutEngine `minimumStackUpdateSecondsByService`; the simulator sets it from the
 * simulated stack times). No update completes sooner, so the polls it saves (three billed state
 * transitions each) never made a difference: completion is seen as early as before.
 */

jest.setTimeout(300_000);

/** Seconds from each stack update's end to the child recording DEPLOYED (its `updatedAt`). */
function detectionLags(sim: FleetSimulation): number[] {
  const ends = new Map(sim.aws.cloudFormation.updates.map((u) => [`${u.accountId}/${u.stackName}`, u.endMs]));
  return sim.plan.waves.flatMap((wave) => wave.items.map((item) => {
    const status = sim.statusTable.get(item.tenantId, serviceRegionKey(item.service, item.region));
    const recorded = Date.parse((status?.updatedAt as { S: string }).S);
    return (recorded - ends.get(`${item.accountId}/${item.stackName}`)!) / 1000;
  }));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('the first wait after ExecuteChangeSet', () => {
  test('GIVEN 100 tenants x 3 services WHEN children wait their service\'s shortest update before polling THEN they make at least a fifth fewer CloudFormation calls and see completion as early (mean lag within a second)', async () => {
    const fleet: SimulationOptions = { tenants: 100, services: 3, dependencyLevels: 1, bakeMinutes: 0, seed: 11 };
    const pollingAtOnce = new FleetSimulation({ ...fleet, engine: { minimumStackUpdateSecondsByService: undefined } });
    const before = await pollingAtOnce.run();
    const waiting = new FleetSimulation(fleet);
    const after = await waiting.run();

    expect([before.status, after.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect([before.counts.deployed, after.counts.deployed]).toEqual([300, 300]);
    expect(after.counts.cloudFormationCalls).toBeLessThan(before.counts.cloudFormationCalls * 0.8);
    const [lagBefore, lagAfter] = [mean(detectionLags(pollingAtOnce)), mean(detectionLags(waiting))];
    expect(Math.min(...detectionLags(waiting))).toBeGreaterThanOrEqual(0);
    expect(lagAfter).toBeLessThan(lagBefore + 1);
  });
});
