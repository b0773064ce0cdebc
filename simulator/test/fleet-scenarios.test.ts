import { serviceRegionKey } from '@fleet/contracts';
import { drawUnit, FleetSimulation, SimulationOptions, SimulationRun } from '../src';

/**
 * Scenarios at fleet scale: the synthesized rollout engine, planned by the real planner, runs on
 * the local runtime against a simulated organization of hundreds of accounts, in virtual time.
 * Each proves a property operators rely on when a release goes to every tenant.
 */

// Whole rollouts of hundreds of child executions on a shared 2-core machine: a generous cap, not a timing assertion.
jest.setTimeout(600_000);

/** Every planned (tenant, service) of the simulation: its status item and its stack updates. */
function deploymentsOf(sim: FleetSimulation) {
  const executions = sim.executionsPerStack();
  return sim.plan.waves.flatMap((wave) => wave.items.map((item) => {
    const status = sim.statusTable.get(item.tenantId, serviceRegionKey(item.service, item.region));
    return {
      key: `${item.tenantId}/${item.service}`,
      ring: wave.ring,
      status: (status?.status as { S?: string } | undefined)?.S,
      deployedRelease: (status?.deployedRelease as { S?: string } | undefined)?.S,
      releaseId: item.releaseId,
      executions: executions.get(`${item.accountId}/${item.stackName}`) ?? 0,
    };
  }));
}

function accountsTouched(run: SimulationRun): Set<string> {
  return new Set(run.intervals.map((i) => i.account));
}

function ringAccounts(sim: FleetSimulation, ring: string): Set<string> {
  return new Set(sim.fleet.registry.tenants.filter((t) => t.ring === ring).map((t) => t.accountId));
}

describe('a simulated rollout over the fleet', () => {
  test('GIVEN 1,000 tenants whose canary account fails its update WHEN the rollout runs THEN it stops after the canary wave and nothing past the canary is deployed', async () => {
    const sim = new FleetSimulation({ tenants: 1_000, services: 1, canaryTenants: 10, failingTenants: [3], seed: 21 });
    const run = await sim.run();

    expect({ status: run.status, error: run.error }).toEqual({ status: 'FAILED', error: 'Fleet.WaveFailed' });
    expect(run.waves.map((w) => w.outcome)).toEqual(['failed', 'not reached', 'not reached']);
    const canary = ringAccounts(sim, 'canary');
    expect([...accountsTouched(run)].filter((a) => !canary.has(a))).toEqual([]);
    expect(sim.aws.calls('100000000999', 'cloudformation')).toBe(0);
    const outside = deploymentsOf(sim).filter((d) => d.ring !== 'canary');
    expect(outside.filter((d) => d.status !== undefined || d.executions > 0)).toEqual([]);
    expect(sim.statusTable.get('t-00003', serviceRegionKey('svc-01', 'eu-west-1'))?.status).toEqual({ S: 'ROLLED_BACK' });
    expect(run.counts.deployed).toBeLessThan(10);
    expect(run.counts.notReached).toBeGreaterThanOrEqual(990);
  });

  test('GIVEN a throttling storm (CloudFormation refilling 0.3 calls/s per account) WHEN 200 tenants x 3 services roll out THEN calls are throttled, the rollout takes longer than unthrottled, and every tenant ends at the release with each stack updated exactly once', async () => {
    const fleet: SimulationOptions = { tenants: 200, services: 3, dependencyLevels: 1, bakeMinutes: 0, seed: 7, engine: { throttleAttempts: 20 } };
    const calm = await new FleetSimulation(fleet).run();
    const sim = new FleetSimulation({ ...fleet, cloudFormationLimit: { refillPerSecond: 0.3, burst: 1 } });
    const storm = await sim.run();

    expect({ status: storm.status, error: storm.error, cause: storm.cause }).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });
    expect(calm.counts.throttledCalls).toBe(0);
    expect(storm.counts.throttledCalls).toBeGreaterThan(100);
    expect(storm.counts.retries).toBeGreaterThan(0);
    expect(storm.virtualSeconds).toBeGreaterThan(calm.virtualSeconds);
    const deployments = deploymentsOf(sim);
    expect(deployments).toHaveLength(600);
    expect(deployments.filter((d) => d.status !== 'DEPLOYED' || d.deployedRelease !== d.releaseId || d.executions !== 1)).toEqual([]);
    expect(storm.counts).toEqual(expect.objectContaining({ planned: 600, deployed: 600, failed: 0, notReached: 0, stackUpdates: 600 }));
  });

  test('GIVEN a control plane that crashes at a seeded random point WHEN a new execution runs the same plan over the same status table THEN every tenant ends at the release, each stack updated exactly once', async () => {
    const seed = 12;
    const sim = new FleetSimulation({ tenants: 400, services: 2, canaryTenants: 4, earlyTenants: 40, bakeMinutes: 0, seed });
    // Somewhere between 100 s and 800 s of a rollout of about 950 s (6 waves of 110-210 s).
    const crashAt = Math.round(100 + 700 * drawUnit(seed, 'crash-point'));
    const crashed = await sim.run({ crashAtSeconds: crashAt });
    expect({ status: crashed.status, crashed: crashed.crashed }).toEqual({ status: 'ABORTED', crashed: true });
    expect(crashed.counts.deployed).toBeGreaterThan(0);
    expect(crashed.counts.deployed).toBeLessThan(sim.planned);

    const resumed = await sim.run();
    expect({ status: resumed.status, cause: resumed.cause }).toEqual({ status: 'SUCCEEDED', cause: undefined });
    const deployments = deploymentsOf(sim);
    expect(deployments).toHaveLength(800);
    expect(deployments.filter((d) => d.status !== 'DEPLOYED' || d.deployedRelease !== d.releaseId || d.executions !== 1)).toEqual([]);
    // What the crashed run had finished was skipped on the status table, with no CloudFormation call.
    expect(resumed.counts.skipped).toBeGreaterThanOrEqual(crashed.counts.deployed);
    expect(resumed.counts.stackUpdates).toBe(800);
  });

  test('GIVEN the canary ring\'s gate alarm in ALARM WHEN 300 tenants x 2 services roll out THEN the rollout halts at the canary gate with Fleet.GateInAlarm, before any early or main tenant is touched', async () => {
    const sim = new FleetSimulation({ tenants: 300, services: 2, canaryTenants: 3, gateAlarms: ['canary'], bakeMinutes: 10, seed: 5 });
    const run = await sim.run();

    expect({ status: run.status, error: run.error }).toEqual({ status: 'FAILED', error: 'Fleet.GateInAlarm' });
    const canaryWaves = sim.plan.waves.filter((w) => w.ring === 'canary').length;
    expect(run.cause).toBe(`wave ${canaryWaves - 1} gate: in ALARM: fleet-canary-health`);
    expect(run.waves.map((w) => w.outcome)).toEqual([
      ...Array(canaryWaves - 1).fill('passed'), 'halted at gate', ...Array(sim.plan.waves.length - canaryWaves).fill('not reached'),
    ]);
    const canary = ringAccounts(sim, 'canary');
    expect([...accountsTouched(run)].filter((a) => !canary.has(a))).toEqual([]);
    expect(deploymentsOf(sim).filter((d) => d.ring === 'canary' && d.status !== 'DEPLOYED')).toEqual([]);
    // The gate read the alarm after the bake, not before.
    const gateWave = run.waves[canaryWaves - 1];
    expect(gateWave.gateEndSeconds! - gateWave.endSeconds!).toBeGreaterThanOrEqual(600);
  });
});
