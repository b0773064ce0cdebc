import { Command } from 'commander';
import { CliError } from '../errors';
import { findFleetRoot } from '../fleet-root';
import { findControlPlane } from '../rollout/control-plane';
import { setRolloutControl } from '../rollout/rollout-control';
import { controlPlaneRegion, DEFAULT_ROLLOUT_DEPS, RolloutDeps } from '../rollout/rollout-clients';
import { buildPlan, renderPlan } from '../rollout/rollout-plan';
import { renderStatus, rolloutStatus } from '../rollout/rollout-status';
import { rerunWithHeapLimit } from '../rollout/simulation-process';
import { newRolloutId, startRollout } from '../rollout/start-rollout';
import { deployedState, scanStatusTable } from '../rollout/status-table';
import { terminalSafeJson } from '../rollout/terminal-safe';

interface AwsOptions { region?: string; controlPlaneStack?: string }

const collect = (value: string, previous: string[] = []) => [...previous, value];

const SIMULATE_HELP = `
What is modelled (every number is a parameter; defaults from ../shared/reference/rollout-facts.md):
  - the tenant registry: --tenants accounts in the rings canary (--canary, default 1%), early (10%)
    and main (the rest); --services stacks per account, in --levels dependency levels (default 2:
    one shared service first); planned by the real planner (fleet rollout plan): one wave per ring
    and level (split at --max-wave-size when given), a gate after every ring but the last (--bake
    minutes, then its alarm)
  - the engine: the control plane's RolloutEngine, synthesized by aws-cdk-lib, run on the local
    Step Functions runtime in virtual time (Distributed Map per wave, children polling with jitter)
  - CloudFormation per account: change set 5-20 s and stack update 60-180 s (unverified; each
    service's ranges scaled by a seeded factor of 0.5-1.5), failures by --failure-rate (rolled
    back in 30-90 s), API throttling by a token bucket per account and API (--throttle refill per
    second, burst twice that; default 5/s, the rate users report, unverified)
  - STS (the deploy role of each account), S3 (wave lists, results), CloudWatch (gate alarms:
    --gate-alarm puts a ring's gate alarm in ALARM), the release status table
  - Step Functions quotas (10,000 children per Map Run, 100 Standard child starts/s, 5,000
    transitions bucket and refill), enforced by the runtime's scheduler and used by the bounds
Then prints, per wave, the simulated duration and its lower bounds; the total against the lower
bound from this run's own stack times (the fastest any engine could have finished with the same
draws) and the one from the shortest stack times (for any draw), and against
StackSets STRICT (tolerance 0) and SOFT under the same constraints: gated as the engine is (per
ring one operation per stack set, the same bake between rings), and ungated. No AWS account is
used. Exit code 1 when the rollout stopped (failure, gate).
`;

/** `fleet rollout plan|start|status|pause|resume|abort`: deploy the built releases to the tenants, wave by wave. */
export function registerRollout(
  program: Command, deps: RolloutDeps = DEFAULT_ROLLOUT_DEPS, write: (text: string) => void = (text) => process.stdout.write(text),
  writeError: (text: string) => void = (text) => process.stderr.write(text),
): void {
  const rollout = program
    .command('rollout')
    .summary('plan, start and follow a rollout of the built releases to every tenant, wave by wave')
    .description('Rings in the order of tenants.ts (canary first, no failure tolerated), one Distributed Map per wave, a health gate between rings. See docs/deploying.md.');
  const aws = (command: Command) => command
    .option('--region <region>', 'the control plane\'s Region (default AWS_REGION)')
    .option('--control-plane-stack <name>', 'the control plane stack (default control-plane)');

  aws(rollout.command('plan [services...]'))
    .description('print the waves, the tenants and services of each, and what is skipped and why; no AWS call unless --compare-deployed')
    .option('--compare-deployed', 'read the release status table and skip what is already at its release')
    .option('--json', 'print the plan as JSON')
    .action(async (services: string[], options: AwsOptions & { compareDeployed?: boolean; json?: boolean }) => {
      const root = findFleetRoot();
      let deployed;
      if (options.compareDeployed) {
        // Validate offline first: an invalid registry or a missing release makes no AWS call.
        buildPlan({ root, rolloutId: 'plan', now: deps.now(), services });
        const region = controlPlaneRegion(options.region, deps.env);
        const controlPlane = await findControlPlane(deps.cfn(region), options.controlPlaneStack);
        deployed = deployedState(await scanStatusTable(deps.dynamodb(region), controlPlane.statusTable));
      }
      const { plan, releases } = buildPlan({ root, rolloutId: newRolloutId(deps.now()), now: deps.now(), services, deployed });
      write(`${options.json ? terminalSafeJson(plan) : renderPlan(plan, releases)}\n`);
    });

  aws(rollout.command('start [services...]'))
    .description('upload the wave lists, write the control item RUNNING and start the rollout engine')
    .option('--rollout-id <id>', 'name of the rollout and of its execution (default rollout-<UTC time>)')
    .option('--compare-deployed', 'leave out what the status table says is at its release (the engine skips it in any case)')
    .action(async (services: string[], options: AwsOptions & { rolloutId?: string; compareDeployed?: boolean }) => {
      const result = await startRollout({
        root: findFleetRoot(), region: controlPlaneRegion(options.region, deps.env), controlPlaneStack: options.controlPlaneStack,
        rolloutId: options.rolloutId, services, compareDeployed: options.compareDeployed,
      }, deps);
      if (!result.executionArn) {
        write(`Rollout ${result.rolloutId}: nothing to deploy (${result.plan.skipped.length} skipped); nothing was started.\n`);
        return;
      }
      const deployments = result.plan.waves.reduce((n, w) => n + w.itemCount, 0);
      write(`Rollout ${result.rolloutId} started: ${result.plan.waves.length} waves, ${deployments} deployments, ${result.plan.skipped.length} skipped.\n  ${result.executionArn}\nFollow it with: npx fleet rollout status ${result.rolloutId}\n`);
    });

  aws(rollout.command('status <rolloutId>'))
    .description('live progress: a bar per wave, deployments by state, failures by tenant with the reason, what waits on a gate')
    .option('--json', 'print the status as JSON')
    .action(async (rolloutId: string, options: AwsOptions & { json?: boolean }) => {
      const report = await rolloutStatus({ region: controlPlaneRegion(options.region, deps.env), controlPlaneStack: options.controlPlaneStack, rolloutId }, deps);
      write(`${options.json ? terminalSafeJson(report) : renderStatus(report)}\n`);
    });

  rollout.command('simulate')
    .description('simulate a rollout of the synthesized engine over a synthetic fleet, in virtual time: timeline, lower bound, StackSets, SVG chart')
    .option('--tenants <n>', 'tenant accounts (default 1000)')
    .option('--services <n>', 'services per account, one stack each (default 20)')
    .option('--levels <n>', 'dependency levels among the services: 1 independent, --services a chain (default 2)')
    .option('--failure-rate <p>', 'probability from 0 to 1 that a stack update fails and rolls back (default 0)')
    .option('--throttle <callsPerSecond>', 'CloudFormation API refill per second per account and API (default 5, burst twice that)')
    .option('--max-wave-size <n>', 'split each ring\'s dependency level into waves of at most this many deployments, each with its own failure tolerance (default: no split, one wave per ring and level)')
    .option('--concurrency <n>', 'deployments at once per wave (Distributed Map MaxConcurrency, at most 10000; default 10000)')
    .option('--canary <n|p%>', 'canary tenants, a count or a share (default 1%, at least 1)')
    .option('--bake <minutes>', 'bake before the gate of each ring but the last (default 30)')
    .option('--gate-alarm <ring>', 'put the gate alarm of a ring (canary or early) in ALARM: the rollout must halt there (repeatable)', collect)
    .option('--seed <n>', 'seeds every draw: the same seed gives the same timeline (default 1)')
    .option('--chart <file.svg>', 'where to write the chart (default .fleet/simulations/<UTC time>.svg)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', SIMULATE_HELP)
    .action(async (options: Record<string, any>) => {
      // Loaded only here: the simulator loads aws-cdk-lib to synthesize the engine.
      const simulator = await import('@fleet/simulator');
      let root = process.cwd();
      try {
        root = findFleetRoot();
      } catch {
        // Outside a fleet the default chart goes under the current folder.
      }
      try {
        const { simulation } = simulator.parseSimulateFlags(options as any);
        const rerun = rerunWithHeapLimit(simulator.simulationHeapLimitMiB(simulation.tenants * (simulation.services ?? 20)));
        if (rerun !== undefined) {
          process.exitCode = rerun;
          return;
        }
        process.exitCode = await simulator.runSimulateCommand(options, {
          stdout: write, stderr: writeError, root, cwd: process.cwd(), now: deps.now,
        });
      } catch (error) {
        if (error instanceof simulator.SimulationOptionsError) throw new CliError(error.message);
        throw error;
      }
    });

  for (const [verb, control, description] of [
    ['pause', 'PAUSED', 'no new wave or deployment starts; running deployments finish'],
    ['resume', 'RUNNING', 'let a paused rollout continue'],
    ['abort', 'ABORTED', 'end the rollout: nothing more starts and the execution is stopped'],
  ] as const) {
    aws(rollout.command(`${verb} <rolloutId>`))
      .description(description)
      .action(async (rolloutId: string, options: AwsOptions) => {
        write(`${await setRolloutControl(control, { region: controlPlaneRegion(options.region, deps.env), controlPlaneStack: options.controlPlaneStack, rolloutId }, deps)}\n`);
      });
  }
}
