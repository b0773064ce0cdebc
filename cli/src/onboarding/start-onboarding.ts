import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ONBOARDING_STEPS, OnboardingInput, OnboardingRequest, OnboardingResult, Problem, ReleaseManifest } from '@fleet/contracts';
import { onboardingLevels, partitionOf } from '@fleet/rollout';
import { CliError } from '../errors';
import { awsCall } from '../rollout/aws-errors';
import { findBuiltRelease } from '../rollout/build-release';
import { findControlPlane } from '../rollout/control-plane';
import { loadRegistry, rolloutServices } from '../rollout/load-registry';
import { RolloutDeps } from '../rollout/rollout-clients';
import { checkRolloutId } from '../rollout/start-rollout';

/** The rollout clients plus a pause between progress polls (replaced in tests). */
export interface OnboardDeps extends RolloutDeps {
  sleep?(ms: number): Promise<void>;
}

export interface OnboardOptions {
  readonly root: string;
  readonly requests: readonly OnboardingRequest[];
  readonly controlPlaneStack?: string;
  readonly batchId?: string;
}

/** One execution per home Region: each Region's control plane onboards its tenants. */
export interface StartedBatch {
  readonly batchId: string;
  readonly region: string;
  readonly executionArn: string;
  readonly registryTable: string;
  readonly tenants: readonly string[];
  readonly releases: readonly string[];
}

/** `onboard-20261201T230500Z`, with the Region when a batch spans several. */
function newBatchId(now: Date): string {
  return `onboard-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/** The services a new tenant gets and the fleet's current release of each (the latest built, as `fleet rollout` deploys). */
function currentReleases(root: string): ReleaseManifest[] {
  const services = rolloutServices(root);
  const missing: string[] = [];
  const releases: ReleaseManifest[] = [];
  for (const service of services) {
    const built = findBuiltRelease(root, service);
    if (built) releases.push(built.manifest);
    else missing.push(service);
  }
  if (missing.length > 0) {
    throw new CliError({ subject: 'Releases', problem: 'a new tenant gets every service, and some have no built release', value: missing, fix: `run npx fleet release ${missing.length === services.length ? '--all' : missing.join(' ')} first` });
  }
  return releases;
}

/**
 * Step Functions' largest execution input: 256 KiB as a UTF-8 string (Step Functions quotas,
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). A batch over it is
 * refused by StartExecution; measured here first, so no Region's batch starts when one cannot.
 */
export const MAX_EXECUTION_INPUT_BYTES = 256 * 1024;

/**
 * `fleet tenants onboard`: the fleet's current releases in dependency order (offline checks
 * first: registry, releases, tenants the registry already has), then per home Region the
 * control plane's onboarding outputs and one StartExecution named after the batch (a repeated
 * start of one batch id is refused by Step Functions; a repeated request id resumes inside the
 * state machine). Every Region's control plane is read and every batch checked before the first
 * one starts: a problem in one Region starts none, rather than leaving the others half-onboarded.
 */
export async function startOnboarding(options: OnboardOptions, deps: OnboardDeps): Promise<StartedBatch[]> {
  const batchId = options.batchId ?? newBatchId(deps.now());
  checkRolloutId(batchId, '--batch-id', 'for example --batch-id onboard-acme');
  const registry = loadRegistry(options.root);
  // tenants.ts lists tenants with their accounts: onboarding one again would create a second
  // account (the onboarding's own registry table only knows the tenants it onboarded itself).
  const known = options.requests.flatMap((request) => {
    const tenant = registry.tenants.find((t) => t.id === request.tenantId);
    return tenant ? [{
      subject: `Tenant ${JSON.stringify(request.tenantId)} (request ${request.requestId})`,
      problem: `is already in tenants.ts with account ${tenant.accountId}; onboarding it would create a second account`,
      fix: 'give a new tenant its own id; a tenant of tenants.ts gets new services by npx fleet rollout start',
    }] : [];
  });
  if (known.length > 0) throw new CliError(known);
  const releases = currentReleases(options.root);
  const regions = [...new Set(options.requests.map((r) => r.homeRegion))];
  const planned: Array<{ input: OnboardingInput; arn: string; registryTable: string }> = [];
  const problems: Problem[] = [];
  for (const region of regions) {
    const controlPlane = await findControlPlane(deps.cfn(region), options.controlPlaneStack);
    if (!controlPlane.onboarding) {
      problems.push({
        subject: `Control plane stack ${JSON.stringify(options.controlPlaneStack ?? 'control-plane')} in ${region}`,
        problem: 'has no tenant onboarding (no TenantOnboardingStateMachineArn output)',
        fix: 'remove onboarding: false from the control plane in .projenrc.ts, run npx projen, and deploy projects/control-plane again',
      });
      continue;
    }
    const requests = options.requests.filter((r) => r.homeRegion === region);
    const input: OnboardingInput = {
      batchId: regions.length > 1 ? `${batchId}-${region}` : batchId,
      region,
      partition: partitionOf(region),
      levels: onboardingLevels(registry, releases, { region, releaseBucketPrefix: controlPlane.releaseBucketPrefix }),
      requests,
    };
    const bytes = Buffer.byteLength(JSON.stringify(input), 'utf-8');
    if (bytes > MAX_EXECUTION_INPUT_BYTES) {
      const fits = Math.max(1, Math.floor((requests.length * MAX_EXECUTION_INPUT_BYTES) / bytes));
      problems.push({
        subject: `Onboarding batch ${input.batchId}`,
        problem: `is ${bytes.toLocaleString('en-US')} bytes of execution input for ${requests.length} requests in ${region}, more than the ${MAX_EXECUTION_INPUT_BYTES.toLocaleString('en-US')} Step Functions accepts`,
        value: requests.length,
        fix: `split the requests into files of at most ${fits.toLocaleString('en-US')} and onboard each with its own --batch-id`,
      });
      continue;
    }
    planned.push({ input, arn: controlPlane.onboarding.stateMachineArn, registryTable: controlPlane.onboarding.registryTable });
  }
  if (problems.length > 0) throw new CliError(problems);
  const started: StartedBatch[] = [];
  for (const { input, arn, registryTable } of planned) {
    const answer = await awsCall(`Starting the tenant onboarding ${arn}`, `states:StartExecution on ${arn}`, () =>
      deps.sfn(input.region).send(new StartExecutionCommand({ stateMachineArn: arn, name: input.batchId, input: JSON.stringify(input) })));
    started.push({
      batchId: input.batchId, region: input.region, executionArn: answer.executionArn!, registryTable,
      tenants: input.requests.map((r) => r.tenantId), releases: input.levels.flat().map((s) => s.releaseId),
    });
  }
  return started;
}

/** The batch's end: the execution's status and each tenant's result. */
export interface BatchOutcome {
  readonly batchId: string;
  readonly status: string;
  readonly tenants: readonly OnboardingResult[];
}

/**
 * Follows a started batch until its execution ends: each poll reads the tenants' registry items
 * and reports every step that changed state ("tenant step STATE" and the cause of a failure).
 */
export async function waitForBatch(batch: StartedBatch, deps: OnboardDeps, report: (line: string) => void, pollMs = 15_000): Promise<BatchOutcome> {
  const seen = new Map<string, string>();
  const sfn = deps.sfn(batch.region);
  const dynamodb = deps.dynamodb(batch.region);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (;;) {
    const execution = await awsCall(`Reading the execution ${batch.executionArn}`, `states:DescribeExecution on ${batch.executionArn}`, () =>
      sfn.send(new DescribeExecutionCommand({ executionArn: batch.executionArn })));
    for (const tenantId of batch.tenants) {
      const { Item } = await awsCall(`Reading tenant ${tenantId} in ${batch.registryTable}`, `dynamodb:GetItem on table ${batch.registryTable}`, () =>
        dynamodb.send(new GetItemCommand({ TableName: batch.registryTable, Key: { tenantId: { S: tenantId } }, ConsistentRead: true })));
      const steps = Item?.steps?.M ?? {};
      for (const step of ONBOARDING_STEPS) {
        const m = steps[step]?.M;
        const s = m ? { state: m.state?.S ?? '', error: m.error?.S, cause: m.cause?.S } : undefined;
        if (!s || seen.get(`${tenantId}/${step}`) === s.state) continue;
        seen.set(`${tenantId}/${step}`, s.state);
        report(`${tenantId}  ${step}  ${s.state}${s.state === 'FAILED' ? `: ${s.error}: ${s.cause}` : ''}`);
      }
    }
    if (execution.status !== 'RUNNING') {
      const output = execution.output ? JSON.parse(execution.output) as { tenants?: OnboardingResult[] } : {};
      return { batchId: batch.batchId, status: execution.status ?? 'UNKNOWN', tenants: output.tenants ?? [] };
    }
    await sleep(pollMs);
  }
}
