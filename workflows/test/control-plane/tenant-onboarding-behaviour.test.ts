import { serviceStackName } from '@fleet/contracts';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { closeEmbeddedDynamoDb, embeddedDynamoDb } from '../../src/testing';
import {
  harnessClient, input, LEVELS, OU, REGION, REGISTRY_TABLE, request, resetTables, runOnboarding, simulation, START, STATUS_TABLE, synthesizeOnboarding,
} from './onboarding-harness';

/**
 * The SYNTHESIZED onboarding definition on the local runtime, against the simulated
 * Organizations, the baseline StackSet's automatic deployment and per-account CloudFormation,
 * with the registry and release status tables in the embedded DynamoDB, in virtual time.
 */

// Whole onboardings over the embedded DynamoDB on a shared machine: a generous cap, not a timing assertion.
jest.setTimeout(180_000);

const { definition } = synthesizeOnboarding();
let client: ReturnType<typeof harnessClient>;
beforeAll(async () => {
  const { endpoint } = await embeddedDynamoDb();
  client = harnessClient(endpoint);
});
beforeEach(() => resetTables(client));
afterAll(() => closeEmbeddedDynamoDb());

async function registry(tenantId: string): Promise<Record<string, any> | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: REGISTRY_TABLE, Key: { tenantId: { S: tenantId } }, ConsistentRead: true }));
  return Item ? unmarshall(Item) : undefined;
}

async function deployment(tenantId: string, service: string): Promise<Record<string, any> | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: STATUS_TABLE, Key: { tenantId: { S: tenantId }, serviceRegion: { S: `${service}#${REGION}` } } }));
  return Item ? unmarshall(Item) : undefined;
}

const stepStates = (item: Record<string, any> | undefined) => Object.fromEntries(Object.entries(item?.steps ?? {}).map(([k, v]: [string, any]) => [k, v.state]));

describe('tenant onboarding on the simulated AWS', () => {
  test('GIVEN one request WHEN onboarded THEN the account is created, moved to its OU, gets the baseline, every service in dependency order, and a READY registry row', async () => {
    const aws = simulation();
    const result = await runOnboarding(definition, aws, client, input([request(1)]));
    expect({ status: result.status, error: result.error, cause: result.cause }).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });
    const output = result.output as any;
    expect(output).toEqual(expect.objectContaining({ batchId: 'batch-1', ready: 1, failed: 0, refused: 0 }));
    const [tenant] = output.tenants;
    expect(tenant).toEqual(expect.objectContaining({ requestId: 'req-1', tenantId: 'tenant-1', status: 'READY', resumed: false }));
    const accountId = tenant.accountId as string;
    expect(accountId).toMatch(/^\d{12}$/);

    const row = await registry('tenant-1');
    expect(row).toEqual(expect.objectContaining({
      status: 'READY', requestId: 'req-1', accountId, organizationalUnitId: OU, homeRegion: REGION, email: 'tenant-1@example.com',
      services: { 'scan-ingest': LEVELS[0][0].releaseId, 'device-registry': LEVELS[0][1].releaseId, 'shift-reports': LEVELS[1][0].releaseId },
    }));
    expect(stepStates(row)).toEqual({ record: 'DONE', createAccount: 'DONE', moveAccount: 'DONE', baseline: 'DONE', services: 'DONE', register: 'DONE' });
    expect(Date.parse(row!.readyAt)).toBeGreaterThan(Date.parse(START));

    // In its OU, with the baseline's deploy role; every service stack complete at its release.
    expect(aws.calls(undefined, 'organizations', 'createAccount')).toBe(1);
    expect(aws.calls(undefined, 'organizations', 'moveAccount')).toBe(1);
    const endMs = Date.parse(result.endTime);
    for (const s of LEVELS.flat()) {
      expect(aws.cloudFormation.inspect(accountId, REGION, serviceStackName(s.service), endMs)?.status).toBe('CREATE_COMPLETE');
      expect(await deployment('tenant-1', s.service)).toEqual(expect.objectContaining({ status: 'DEPLOYED', deployedRelease: s.releaseId, rolloutId: 'onboard-req-1' }));
    }
    expect(aws.calls(accountId, 'cloudformation', 'executeChangeSet')).toBe(3);
  });

  test('GIVEN services in two dependency levels WHEN a tenant is onboarded THEN no change set of the second level is created before every stack of the first is complete', async () => {
    const aws = simulation();
    const calls: Array<{ state: string; stack: string; at: number; status?: string }> = [];
    const result = await runOnboarding(definition, aws, client, input([request(1)]), { wrap: recording(calls) });
    expect(result.status).toBe('SUCCEEDED');
    const firstLevelDone = Math.max(...LEVELS[0].map((s) => Math.min(...calls.filter((c) => c.stack === s.stackName && c.status === 'CREATE_COMPLETE').map((c) => c.at))));
    const secondLevelStart = Math.min(...calls.filter((c) => c.stack === LEVELS[1][0].stackName && c.state === 'CreateChangeSet').map((c) => c.at));
    expect(Number.isFinite(firstLevelDone) && Number.isFinite(secondLevelStart)).toBe(true);
    expect(secondLevelStart).toBeGreaterThanOrEqual(firstLevelDone);
  });

  test('GIVEN a tenant onboarded WHEN the same request runs again THEN it returns the existing result: no second CreateAccount, no CloudFormation call', async () => {
    const aws = simulation();
    const first = await runOnboarding(definition, aws, client, input([request(1)]));
    const accountId = (first.output as any).tenants[0].accountId;
    const before = { organizations: aws.calls(undefined, 'organizations'), cloudformation: aws.calls(undefined, 'cloudformation') };

    const again = await runOnboarding(definition, aws, client, input([request(1)], 'batch-2'), { startTime: first.endTime });
    expect((again.output as any).tenants).toEqual([{ requestId: 'req-1', tenantId: 'tenant-1', status: 'READY', accountId, resumed: true }]);
    expect(aws.calls(undefined, 'organizations', 'createAccount')).toBe(1);
    // Only the parent's DescribeOrganization.
    expect(aws.calls(undefined, 'organizations')).toBe(before.organizations + 1);
    expect(aws.calls(undefined, 'cloudformation')).toBe(before.cloudformation);
  });

  test('GIVEN a request whose run stopped after CreateAccount WHEN the same request runs again THEN it resumes: polls that creation, creates no second account, and the tenant becomes READY', async () => {
    const aws = simulation();
    const abort = { aborted: false };
    const crashed = await runOnboarding(definition, aws, client, input([request(1)]), {
      wrap: (integrations) => Object.fromEntries(Object.entries(integrations).map(([resource, integration]) => [resource, async (r: any) => {
        const answer = await integration(r);
        if (r.stateName === 'RecordCreateRequest') abort.aborted = true;
        return answer;
      }])),
      abort,
    });
    expect(crashed.status).toBe('ABORTED');
    expect(stepStates(await registry('tenant-1'))).toEqual({ record: 'DONE', createAccount: 'IN_PROGRESS' });

    const resumed = await runOnboarding(definition, aws, client, input([request(1)], 'batch-2'), { startTime: crashed.endTime });
    expect((resumed.output as any).tenants[0]).toEqual(expect.objectContaining({ status: 'READY', resumed: true }));
    expect(aws.calls(undefined, 'organizations', 'createAccount')).toBe(1);
    expect(await registry('tenant-1')).toEqual(expect.objectContaining({ status: 'READY', batchId: 'batch-2' }));
  });

  test('GIVEN a tenant onboarded by one request WHEN another request names the same tenant THEN it is refused with a clear cause and changes nothing', async () => {
    const aws = simulation();
    await runOnboarding(definition, aws, client, input([request(1)]));
    const other = await runOnboarding(definition, aws, client, input([request(1, { requestId: 'req-other' })], 'batch-2'));
    expect((other.output as any).tenants).toEqual([{
      requestId: 'req-other', tenantId: 'tenant-1', status: 'REFUSED', error: 'Fleet.TenantHeldByAnotherRequest',
      cause: 'tenant tenant-1: request req-other refused: request req-1 is READY for this tenant. Fix: the tenant is onboarded already (see its registry item); use another tenant id for a new tenant.',
    }]);
    expect(aws.calls(undefined, 'organizations', 'createAccount')).toBe(1);
    expect(await registry('tenant-1')).toEqual(expect.objectContaining({ requestId: 'req-1', batchId: 'batch-1' }));
  });

  test('GIVEN 12 requests and Organizations creating 3 accounts at once WHEN onboarded together THEN never more than 3 creations are in flight, refused creations back off, and every tenant is READY', async () => {
    const aws = simulation({ organizations: { concurrentCreations: 3 } });
    const result = await runOnboarding(definition, aws, client, input(Array.from({ length: 12 }, (_, i) => request(i + 1))));
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual(expect.objectContaining({ ready: 12, failed: 0, refused: 0 }));
    expect(aws.organizations.maxInFlight).toBe(3);
    expect(aws.organizations.creationsRequested).toBe(12);
    // The refusals (TooManyRequestsException) were retried, not reported.
    expect(aws.calls(undefined, 'organizations', 'createAccount')).toBeGreaterThan(12);
  });

  test('GIVEN a daily cap of 2 accounts WHEN 3 tenants are onboarded THEN the third is FAILED at createAccount with the reason and what to do; the others are READY', async () => {
    const aws = simulation({ organizations: { dailyCreations: 2 } });
    const result = await runOnboarding(definition, aws, client, input([request(1), request(2), request(3)]));
    const tenants = (result.output as any).tenants as any[];
    expect(tenants.filter((t) => t.status === 'READY')).toHaveLength(2);
    const [capped] = tenants.filter((t) => t.status === 'FAILED');
    const n = capped.tenantId.split('-')[1];
    expect(capped).toEqual({
      requestId: `req-${n}`, tenantId: `tenant-${n}`, status: 'FAILED', accountId: null, failedStep: 'createAccount', error: 'Fleet.AccountCreationRateLimitExceeded',
      cause: `tenant tenant-${n}: Organizations did not create account Tenant ${n}: the daily account creation limit is reached (ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED). Fix: send request req-${n} again after 24 hours (it resumes here), or ask AWS Support to raise the limit.`,
    });
    const row = await registry(`tenant-${n}`);
    expect(row).toEqual(expect.objectContaining({ status: 'FAILED', failedStep: 'createAccount' }));
    expect(row!.steps.createAccount).toEqual(expect.objectContaining({ state: 'FAILED', error: 'Fleet.AccountCreationRateLimitExceeded', cause: capped.cause }));
  });

  test('GIVEN a service whose stack rolls back in the new account WHEN onboarded THEN the tenant is FAILED at the services step with the deployment\'s cause, and no later level is deployed', async () => {
    const aws = simulation({ stacks: (_account, stackName) => ({ changeSetSeconds: { min: 5, max: 15 }, deploySeconds: { min: 60, max: 150 }, failureRate: stackName === serviceStackName('device-registry') ? 1 : 0 }) });
    const result = await runOnboarding(definition, aws, client, input([request(1)]));
    const [tenant] = (result.output as any).tenants;
    expect(tenant).toEqual(expect.objectContaining({ status: 'FAILED', failedStep: 'services', error: 'Fleet.DeploymentFailed' }));
    expect(tenant.cause).toBe('tenant-1 device-registry eu-west-1: ROLLBACK_COMPLETE: The following resource(s) failed to create or update: [simulated resource failure].');
    const row = await registry('tenant-1');
    expect(stepStates(row)).toEqual({ record: 'DONE', createAccount: 'DONE', moveAccount: 'DONE', baseline: 'DONE', services: 'FAILED' });
    expect(row!.steps.services.cause).toBe(tenant.cause);
    expect(aws.calls(tenant.accountId, 'cloudformation', 'createChangeSet')).toBe(2);
    expect(await deployment('tenant-1', 'shift-reports')).toBeUndefined();
  });

  test('GIVEN an OU the baseline StackSet does not target WHEN onboarded THEN the tenant fails at the baseline step saying which OU to target', async () => {
    const { definition: quick } = synthesizeOnboarding({ maxPolls: 20 }, { checked: false });
    const aws = simulation();
    const result = await runOnboarding(quick, aws, client, input([request(1, { organizationalUnitId: 'ou-a1b2-elsewhere' })]));
    const [tenant] = (result.output as any).tenants;
    expect(tenant).toEqual(expect.objectContaining({ status: 'FAILED', failedStep: 'baseline', error: 'Fleet.BaselineTimedOut' }));
    expect(tenant.cause).toBe(`tenant tenant-1: no fleet-tenant-baseline instance SUCCEEDED in account ${tenant.accountId} (eu-west-1) after 20 polls (last: NONE). Fix: make ou-a1b2-elsewhere a target OU of fleet-tenant-baseline with automatic deployment in eu-west-1, then send request req-1 again.`);
  });
});

/** Records the CloudFormation calls: state, stack, virtual time, and the stack status answered. */
function recording(calls: Array<{ state: string; stack: string; at: number; status?: string }>) {
  return (integrations: Record<string, any>) => Object.fromEntries(Object.entries(integrations).map(([resource, integration]) => [resource, async (r: any) => {
    const answer = await integration(r);
    if (resource.includes('cloudformation')) {
      calls.push({ state: r.stateName, stack: String(r.parameters?.StackName), at: r.context.now().getTime(), status: (answer as any)?.Stacks?.[0]?.StackStatus });
    }
    return answer;
  }]));
}
