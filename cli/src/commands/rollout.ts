import { Command } from 'commander';
import { findFleetRoot } from '../fleet-root';
import { findControlPlane } from '../rollout/control-plane';
import { setRolloutControl } from '../rollout/rollout-control';
import { controlPlaneRegion, DEFAULT_ROLLOUT_DEPS, RolloutDeps } from '../rollout/rollout-clients';
import { buildPlan, renderPlan } from '../rollout/rollout-plan';
import { renderStatus, rolloutStatus } from '../rollout/rollout-status';
import { newRolloutId, startRollout } from '../rollout/start-rollout';
import { deployedState, scanStatusTable } from '../rollout/status-table';
import { terminalSafeJson } from '../rollout/terminal-safe';

interface AwsOptions { region?: string; controlPlaneStack?: string }

/** `fleet rollout plan|start|status|pause|resume|abort`: deploy the built releases to the tenants, wave by wave. */
export function registerRollout(program: Command, deps: RolloutDeps = DEFAULT_ROLLOUT_DEPS, write: (text: string) => void = (text) => process.stdout.write(text)): void {
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
