import { Command } from 'commander';
import { existsSync, mkdtempSync, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { registerRollout } from '../src/commands/rollout';
import { DEFAULT_ROLLOUT_DEPS } from '../src/rollout/rollout-clients';
import { parseSimulateFlags, simulationHeapLimitMiB } from '@fleet/simulator';
import { execFileSync } from 'child_process';

// A simulation synthesizes the engine with aws-cdk-lib on a shared machine: a generous cap, not a timing assertion.
jest.setTimeout(300_000);

const NOW = new Date('2026-12-02T03:00:00Z');

async function simulate(args: string[]): Promise<{ stdout: string; stderr: string; exitCode: number | undefined }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const program = new Command('fleet').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: (t) => stdout.push(t) });
  registerRollout(program, { ...DEFAULT_ROLLOUT_DEPS, now: () => NOW }, (t) => stdout.push(t), (t) => stderr.push(t));
  const before = process.exitCode;
  try {
    await program.parseAsync(['node', 'fleet', 'rollout', 'simulate', ...args]);
    return { stdout: stdout.join(''), stderr: stderr.join(''), exitCode: process.exitCode === undefined ? undefined : Number(process.exitCode) };
  } finally {
    process.exitCode = before;
  }
}

describe('fleet rollout simulate', () => {
  test('GIVEN bad values for several flags WHEN simulate runs THEN every problem is reported at once, naming the flag, the value and the fix, and nothing runs', async () => {
    await expect(simulate(['--tenants', 'many', '--services', '0', '--failure-rate', '1.5', '--throttle', '-1', '--canary', '200%', '--gate-alarm', 'main', '--chart', 'out.png']))
      .rejects.toThrow([
        '--tenants: must be a whole number from 1 to 100,000, got "many". Fix: give the number of tenant accounts, for example --tenants 6000.',
        '--services: must be a whole number from 1 to 2,000, got "0". Fix: give the number of services per account (a stack each; CloudFormation allows 2,000 stacks per account), for example --services 20.',
        '--failure-rate: must be a probability from 0 to 1, got "1.5". Fix: give the share of stack updates that fail, for example --failure-rate 0.01.',
        '--throttle: must be a rate above 0 and at most 10000 calls per second, got "-1". Fix: give the CloudFormation API refill per second and account, for example --throttle 5 (the unverified figure users report).',
        '--canary: must be a percentage above 0 and at most 100, got "200%". Fix: give a share of the tenants, for example --canary 1%, or a count, for example --canary 10.',
        '--gate-alarm: must name a ring with a gate (canary or early; main is last and has none), got "main". Fix: give --gate-alarm canary or --gate-alarm early.',
        '--chart: must be a file name ending in .svg, got "out.png". Fix: give a file such as --chart rollout.svg.',
      ].join('\n'));
  });

  test('GIVEN a canary larger than the fleet and more levels than services WHEN simulate runs THEN both are refused with the bound in the message', async () => {
    await expect(simulate(['--tenants', '20', '--canary', '30', '--services', '2', '--levels', '3'])).rejects.toThrow([
      '--levels: cannot exceed --services (2), got "3". Fix: give at most 2.',
      '--canary: must be a whole number from 1 to 20, got "30". Fix: give a count from 1 to the tenants (20), for example --canary 10, or a share, for example --canary 1%.',
    ].join('\n'));
  });

  test('GIVEN 30 tenants x 2 services WHEN simulated THEN it prints progress on stderr, the per-wave timeline with lower bounds and the StackSets comparison, and writes the SVG chart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-simulate-'));
    const chart = path.join(dir, 'rollout.svg');
    const { stdout, stderr, exitCode } = await simulate(['--tenants', '30', '--services', '2', '--bake', '5', '--seed', '3', '--chart', chart]);

    expect(exitCode).toBe(0);
    expect(stderr).toMatch(/^Simulating 30 tenants x 2 services/);
    expect(stderr).toMatch(/virtual: 60 \/ 60 deployments done, wave \d+ main\n$/);
    expect(stdout).toMatch(/^Simulated rollout sim-3: 30 tenants x 2 services = 60 deployments in \d+ waves \(seed 3\)\n/);
    expect(stdout).toMatch(/\n {2}wave +deployments +accounts +start +end +duration +lower bound +shortest-time bound +outcome\n/);
    expect(stdout).toMatch(/\n {2}0 canary +1 +1 +0:00:00 +\d:\d\d:\d\d +\d:\d\d:\d\d +\d:\d\d:\d\d +\d:\d\d:\d\d +passed\n/);
    expect(stdout).toMatch(/\nResult: SUCCEEDED after \d:\d\d:\d\d of virtual time; lower bound \d:\d\d:\d\d from this run's stack times \([\d.]+x of it\), \d:\d\d:\d\d from the shortest stack times \([\d.]+x\)\n/);
    expect(stdout).toMatch(/\nStackSets under the same constraints, gated by the same rings and bakes: SOFT \d+:\d\d:\d\d \([\d.]+x the simulated time\), STRICT tolerance 0 \d+:\d\d:\d\d \([\d.]+x\)\n/);
    expect(stdout).toMatch(/\nStackSets ungated \(one operation per stack set over every tenant, no bake\): SOFT \d+:\d\d:\d\d \([\d.]+x\), STRICT tolerance 0 \d+:\d\d:\d\d \([\d.]+x\)\n/);
    expect(stdout).toContain('\nDeployments: 60 deployed, 0 unchanged, 0 failed, 0 skipped, 0 in progress, 0 not reached\n');
    const svg = readFileSync(chart, 'utf-8');
    expect(svg).toMatch(/^(<\?xml [^>]*\?>\n)?<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('lower bound');
  });

  test('GIVEN --json and a canary gate alarm in ALARM WHEN simulated THEN the JSON result says the rollout halted at the canary gate, exit code 1, and the default chart is under .fleet/simulations', async () => {
    const cwd = process.cwd();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-simulate-'));
    process.chdir(dir);
    try {
      const { stdout, exitCode } = await simulate(['--tenants', '20', '--services', '1', '--gate-alarm', 'canary', '--bake', '1', '--json']);
      const result = JSON.parse(stdout);
      expect(exitCode).toBe(1);
      expect({ status: result.status, error: result.error }).toEqual({ status: 'FAILED', error: 'Fleet.GateInAlarm' });
      expect(result.waves.map((w: { outcome: string }) => w.outcome)).toEqual(['halted at gate', 'not reached', 'not reached']);
      expect(result.counts).toEqual(expect.objectContaining({ planned: 20, deployed: 1, notReached: 19 }));
      expect(result.models.ratios.simulatedToLowerBound).toBeGreaterThan(0);
      expect(result.models.ratios.simulatedToRealizedBound).toBeGreaterThan(0);
      expect(result.models.stackSetsGated).toBe(true);
      expect(result.models.stackSetsSoft.intervals).toBeUndefined();
      expect(result.chart).toBe(path.join('.fleet', 'simulations', '2026-12-02T03-00-00-000Z.svg'));
      expect(existsSync(path.join(dir, result.chart))).toBe(true);
    } finally {
      process.chdir(cwd);
    }
  });

  test('GIVEN --help WHEN asked THEN every option is explained, and so is what the simulation models', async () => {
    const out: string[] = [];
    const program = new Command('fleet').exitOverride().configureOutput({ writeOut: (t) => out.push(t), writeErr: () => undefined });
    registerRollout(program, DEFAULT_ROLLOUT_DEPS, () => undefined, () => undefined);
    await expect(program.parseAsync(['node', 'fleet', 'rollout', 'simulate', '--help'])).rejects.toThrow();
    const help = out.join('');
    for (const flag of ['--tenants', '--services', '--levels', '--failure-rate', '--throttle', '--max-wave-size', '--concurrency', '--canary', '--bake', '--gate-alarm', '--seed', '--chart', '--json']) {
      expect(help).toContain(flag);
    }
    expect(help).toContain('What is modelled');
    expect(help).toContain('StackSets STRICT (tolerance 0) and SOFT');
  });
});

/** The flag parser alone: these never start the simulation they describe. */
describe('fleet rollout simulate flags: resource bombs', () => {
  // Each flag is bounded alone (100,000 tenants, 2,000 services); the product is what costs memory.
  test('GIVEN --tenants 100000 --services 2000 WHEN the flags are parsed THEN the deployments (tenants x services) are refused above what one machine can simulate', () => {
    expect(() => parseSimulateFlags({ tenants: '100000', services: '2000' })).toThrow(/--tenants x --services/);
  });

  test('GIVEN --tenants 100000 with the default 20 services WHEN the flags are parsed THEN refused too', () => {
    expect(() => parseSimulateFlags({ tenants: '100000' })).toThrow(
      '--tenants x --services: must be at most 250,000 deployments (one machine\'s memory: about 10 KiB each), got "100000 x 20 = 2,000,000". Fix: give fewer tenants or services, for example --tenants 12500 --services 20; a rollout\'s duration grows about linearly past that, so simulate a sample of the fleet');
  });
});

describe('fleet rollout simulate from the fleet bin', () => {
  test('GIVEN a Node with the default heap WHEN the bin runs a simulation THEN it runs once more under the old-space cap for its size, and prints one result', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-sim-heap-'));
    const bin = path.resolve(__dirname, '..', 'bin', 'fleet.js');
    const out = execFileSync(process.execPath, [bin, 'rollout', 'simulate', '--tenants', '20', '--services', '2', '--json', '--chart', path.join(dir, 'run.svg')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const result = JSON.parse(out);
    expect(result.status).toBe('SUCCEEDED');
    // V8's heap limit is the capped old space plus the young generation's semi-spaces.
    expect(result.heapLimitMiB).toBeGreaterThanOrEqual(simulationHeapLimitMiB(40));
    expect(result.heapLimitMiB).toBeLessThan(simulationHeapLimitMiB(40) + 128);
    expect(existsSync(path.join(dir, 'run.svg'))).toBe(true);
  });
});
