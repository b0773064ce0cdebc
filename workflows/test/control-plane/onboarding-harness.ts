/**
 * The SYNTHESIZED tenant onboarding (the control plane's definition as CloudFormation would
 * receive it, resolved with stand-in names) on the local runtime, against the simulated AWS
 * (Organizations, the baseline StackSet's automatic deployment, CloudFormation per account, STS
 * by Credentials) and the embedded DynamoDB. Shared by the behaviour test and the 500-tenant measure.
 */
import {
  FLEET_ACCOUNT_FACTORY_ROLE_NAME, FLEET_DEPLOY_ROLE_NAME, OnboardingInput, OnboardingRequest, OnboardingServiceRelease,
  RELEASE_STATUS_TABLE, releaseChangeSetName, serviceStackName, TENANT_REGISTRY_TABLE,
} from '@fleet/contracts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { App, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addFleetChecks, RolloutEngine, TenantOnboarding, TenantOnboardingProps } from '../../src';
import { ExecutionResult, runExecution } from '../../src/local';
import { createTables, dynamoDbIntegrations, SimulatedAws, SimulatedAwsOptions } from '../../src/testing';
import { CfnResolver } from '../../src/testing/cfn-resolver';

export const ORG = 'o-a1b2c3d4e5';
export const CENTRAL = '999988887777';
export const MANAGEMENT = '111100001111';
export const REGION = 'eu-west-1';
export const OU = 'ou-a1b2-tenants1';
export const STATUS_TABLE = 'release-status';
export const REGISTRY_TABLE = 'tenant-registry';
export const START = '2026-12-01T00:00:00.000Z';

/**
 * A client of the embedded DynamoDB that retries a call whose connection the local server reset
 * (dynalite under 15 concurrent children on a loaded 2-core machine): a transport failure of the
 * harness, retried as any SDK client retries it, never an answer of DynamoDB.
 */
export function harnessClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 4 });
}

/**
 * The synthesized onboarding definition, with both rule packs and aws-cdk-lib's validation as the
 * control plane synthesizes. `checked: false` leaves the checks out (they do not change the
 * definition; each checked synthesis costs seconds): for tests of behaviour under other props,
 * once the default props have been synthesized checked.
 */
export function synthesizeOnboarding(props: Partial<TenantOnboardingProps> = {}, { checked = true }: { checked?: boolean } = {}): { definition: any; template: any } {
  const stack = new Stack(new App(checked ? {} : { builtinCloudFormationValidation: false }), 'Central');
  const engine = new RolloutEngine(stack, 'Rollout', { organizationId: ORG });
  const onboarding = new TenantOnboarding(stack, 'Onboarding', { organizationId: ORG, statusTable: engine.statusTable, role: engine.stateMachine.role, ...props });
  Tags.of(stack).add('fleet:tenant', 'central');
  Tags.of(stack).add('fleet:service', 'control-plane');
  if (checked) addFleetChecks(stack);
  const template = Template.fromStack(stack).toJSON();
  const tableNames = {
    [stack.getLogicalId(engine.statusTable.node.defaultChild as any)]: STATUS_TABLE,
    [stack.getLogicalId(onboarding.registryTable.node.defaultChild as any)]: REGISTRY_TABLE,
  };
  const resolver = new CfnResolver(template as any, { region: REGION, accountId: CENTRAL, partition: 'aws', stackName: 'Central', tableNames });
  const machineId = stack.getLogicalId(onboarding.stateMachine.node.defaultChild as any);
  const machine = (template as any).Resources[machineId];
  return { definition: JSON.parse(resolver.resolve(machine.Properties.DefinitionString, 'DefinitionString')), template };
}

const release = (service: string): OnboardingServiceRelease => {
  const releaseId = `${service}-0123456789abcdef`;
  return {
    service, releaseId, stackName: serviceStackName(service), changeSetName: releaseChangeSetName(releaseId),
    templateUrl: `https://fleet-releases-${CENTRAL}-${REGION}.s3.${REGION}.amazonaws.com/releases/${service}/${releaseId}/template.json`,
    parameters: [{ ParameterKey: 'FailureBusArn', ParameterValue: `arn:aws:events:${REGION}:${CENTRAL}:event-bus/fleet-failures` }],
    rollbackAlarmNames: [], monitoringTimeInMinutes: 0,
  };
};

/** The sample fleet's services: shift-reports depends on scan-ingest. */
export const LEVELS: OnboardingServiceRelease[][] = [[release('scan-ingest'), release('device-registry')], [release('shift-reports')]];

export function request(n: number, extra: Partial<OnboardingRequest> = {}): OnboardingRequest {
  return {
    requestId: `req-${n}`, tenantId: `tenant-${n}`, accountName: `Tenant ${n}`, email: `tenant-${n}@example.com`,
    organizationalUnitId: OU, homeRegion: REGION, ...extra,
  };
}

export function input(requests: readonly OnboardingRequest[], batchId = 'batch-1'): OnboardingInput {
  return { batchId, region: REGION, partition: 'aws', levels: LEVELS, requests };
}

/** A simulated organization with the account factory role and the baseline StackSet auto-deploying to OU. */
export function simulation(extra: Partial<SimulatedAwsOptions> = {}): SimulatedAws {
  return new SimulatedAws({
    accounts: [], organizationId: ORG, centralAccountId: CENTRAL, managementAccountId: MANAGEMENT, region: REGION, seed: 5,
    managementRoles: [FLEET_ACCOUNT_FACTORY_ROLE_NAME],
    stackSets: [{ name: 'fleet-tenant-baseline', organizationalUnitIds: [OU], regions: [REGION], roles: [FLEET_DEPLOY_ROLE_NAME, 'FleetRecoveryRole'] }],
    stacks: { changeSetSeconds: { min: 5, max: 15 }, deploySeconds: { min: 60, max: 150 } },
    ...extra,
  });
}

export async function resetTables(client: DynamoDBClient): Promise<void> {
  await createTables(client, [
    {
      name: STATUS_TABLE,
      keySchema: [{ AttributeName: RELEASE_STATUS_TABLE.partitionKey, KeyType: 'HASH' }, { AttributeName: RELEASE_STATUS_TABLE.sortKey, KeyType: 'RANGE' }],
      attributeDefinitions: [{ AttributeName: RELEASE_STATUS_TABLE.partitionKey, AttributeType: 'S' }, { AttributeName: RELEASE_STATUS_TABLE.sortKey, AttributeType: 'S' }],
    },
    {
      name: REGISTRY_TABLE,
      keySchema: [{ AttributeName: TENANT_REGISTRY_TABLE.partitionKey, KeyType: 'HASH' }],
      attributeDefinitions: [{ AttributeName: TENANT_REGISTRY_TABLE.partitionKey, AttributeType: 'S' }],
    },
  ], true);
}

export function runOnboarding(definition: any, aws: SimulatedAws, client: DynamoDBClient, batch: OnboardingInput, options: { startTime?: string; wrap?: (i: Record<string, any>) => Record<string, any>; abort?: { aborted: boolean } } = {}): Promise<ExecutionResult> {
  const integrations = { ...aws.integrations(), ...dynamoDbIntegrations(async () => client) };
  return runExecution(definition, batch, {
    integrations: options.wrap ? options.wrap(integrations) : integrations,
    startTime: options.startTime ?? START,
    region: REGION,
    accountId: CENTRAL,
    maxStateTransitions: 10_000_000,
    abort: options.abort,
  });
}

/** What a batch of onboardings measured: per-tenant virtual minutes and the batch's throughput. */
export interface OnboardingFigures {
  readonly requests: number;
  readonly ready: number;
  readonly failed: number;
  /** Minutes from the tenant's request being recorded to READY (virtual time). */
  readonly readyMinutes: { readonly median: number; readonly p95: number; readonly max: number };
  /** Minutes a request waited in the batch before its onboarding began (MaxConcurrency). */
  readonly queuedMinutes: { readonly median: number; readonly max: number };
  /** Virtual hours from the batch's start to its last tenant READY. */
  readonly batchHours: number;
  readonly tenantsPerHour: number;
  readonly maxCreationsInFlight: number;
  readonly createAccountCalls: number;
  readonly wallSeconds: number;
  /**
   * What the time to ready is made of, in virtual minutes (median and p95 of each part over the
   * READY tenants, and the parts of the tenants at or above the p95): waiting for a creation slot
   * (request recorded to CreateAccount accepted), the creation (to the account recorded), the move,
   * the baseline, and the services (to READY).
   */
  readonly parts: {
    readonly all: Readonly<Record<OnboardingPart, { readonly median: number; readonly p95: number }>>;
    readonly slowest: Readonly<Record<OnboardingPart, number>>;
  };
}

export type OnboardingPart = 'slotWait' | 'creation' | 'move' | 'baseline' | 'services';

/** Runs `n` requests as one batch and measures them from the registry table. */
export async function measureOnboarding(definition: any, aws: SimulatedAws, client: DynamoDBClient, n: number): Promise<OnboardingFigures> {
  const started = process.hrtime.bigint();
  const result = await runOnboarding(definition, aws, client, input(Array.from({ length: n }, (_, i) => request(i + 1))));
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 'SUCCEEDED') throw new Error(`onboarding batch ${result.status}: ${result.error}: ${result.cause}`);
  const out = result.output as { tenants: Array<{ status: string }> };
  const unusual = out.tenants.filter((t) => t.status !== 'READY');
  if (unusual.length > 0 || out.tenants.length !== n) process.stderr.write(`${out.tenants.length} results; not READY: ${JSON.stringify(unusual, null, 2)}\n`);
  const { GetItemCommand } = await import('@aws-sdk/client-dynamodb');
  const rows = [];
  for (let i = 1; i <= n; i++) {
    rows.push((await client.send(new GetItemCommand({ TableName: REGISTRY_TABLE, Key: { tenantId: { S: `tenant-${i}` } }, ConsistentRead: true }))).Item);
  }
  const startMs = Date.parse(START);
  const ready = rows.filter((r) => r?.status?.S === 'READY');
  const readyMinutes = ready.map((r) => (Date.parse(r!.readyAt.S!) - Date.parse(r!.requestedAt.S!)) / 60_000).sort((a, b) => a - b);
  const queued = rows.filter(Boolean).map((r) => (Date.parse(r!.requestedAt.S!) - startMs) / 60_000).sort((a, b) => a - b);
  const lastReady = Math.max(...ready.map((r) => Date.parse(r!.readyAt.S!)));
  const batchHours = (lastReady - startMs) / 3_600_000;
  const at = (xs: number[], q: number) => xs[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)];
  const round = (x: number) => Math.round(x * 10) / 10;
  // The creation's request time from Organizations' own record (the registry keeps its id only).
  const endMs = lastReadyMs(rows);
  const requested = new Map<string, number>();
  for (let token: string | undefined, first = true; first || token; first = false) {
    const page = aws.organizations.listCreateAccountStatus({ accountId: aws.organizations.managementAccountId, nowMs: endMs, requestId: 'measure' }, token ? { NextToken: token } : {}) as any;
    for (const x of page.CreateAccountStatuses) requested.set(x.Id, Date.parse(x.RequestedTimestamp));
    token = page.NextToken;
  }
  const partsOf = (r: any): Record<OnboardingPart, number> => {
    const t = (iso: string) => Date.parse(iso) / 60_000;
    const created = requested.get(r.createAccountRequestId.S)! / 60_000;
    return {
      slotWait: created - t(r.requestedAt.S),
      creation: t(r.steps.M.createAccount.M.at.S) - created,
      move: t(r.steps.M.moveAccount.M.at.S) - t(r.steps.M.createAccount.M.at.S),
      baseline: t(r.steps.M.baseline.M.at.S) - t(r.steps.M.moveAccount.M.at.S),
      services: t(r.readyAt.S) - t(r.steps.M.baseline.M.at.S),
    };
  };
  const partNames: OnboardingPart[] = ['slotWait', 'creation', 'move', 'baseline', 'services'];
  const perTenant = ready.map((r) => ({ total: (Date.parse(r!.readyAt.S!) - Date.parse(r!.requestedAt.S!)) / 60_000, parts: partsOf(r) }));
  const p95Total = at(readyMinutes, 0.95);
  const slowest = perTenant.filter((x) => x.total >= p95Total);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const parts = {
    all: Object.fromEntries(partNames.map((k) => {
      const xs = perTenant.map((x) => x.parts[k]).sort((a, b) => a - b);
      return [k, { median: round(at(xs, 0.5)), p95: round(at(xs, 0.95)) }];
    })) as Record<OnboardingPart, { median: number; p95: number }>,
    slowest: Object.fromEntries(partNames.map((k) => [k, round(mean(slowest.map((x) => x.parts[k])))])) as Record<OnboardingPart, number>,
  };
  return {
    requests: n,
    ready: ready.length,
    failed: rows.filter((r) => r?.status?.S === 'FAILED').length,
    readyMinutes: { median: round(at(readyMinutes, 0.5)), p95: round(at(readyMinutes, 0.95)), max: round(readyMinutes[readyMinutes.length - 1]) },
    queuedMinutes: { median: round(at(queued, 0.5)), max: round(queued[queued.length - 1]) },
    batchHours: round(batchHours),
    tenantsPerHour: round(ready.length / batchHours),
    maxCreationsInFlight: aws.organizations.maxInFlight,
    createAccountCalls: aws.calls(undefined, 'organizations', 'createAccount'),
    wallSeconds: round(wallSeconds),
    parts,
  };
}

function lastReadyMs(rows: ReadonlyArray<Record<string, any> | undefined>): number {
  return Math.max(...rows.map((r) => Date.parse(r?.readyAt?.S ?? r?.updatedAt?.S ?? START)));
}
