import { ACCOUNT_CREATION_SLOTS, FLEET_ACCOUNT_FACTORY_ROLE_NAME } from '@fleet/contracts';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { closeEmbeddedDynamoDb, embeddedDynamoDb } from '../../src/testing';
import {
  harnessClient, input, MANAGEMENT, REGISTRY_TABLE, request, resetTables, runOnboarding, simulation, START, synthesizeOnboarding,
} from './onboarding-harness';

/**
 * The account-creation semaphore and the search for a creation after a crash, on the SYNTHESIZED
 * onboarding definition against the simulated Organizations (which keeps its own record of the
 * creations in flight) and the registry table in the embedded DynamoDB.
 */

// The rule packs and aws-cdk-lib's validation leave the definition as it is; the behaviour test
// synthesizes the default props checked, so these syntheses skip them (seconds each).
const UNCHECKED = { checked: false };

// Whole onboardings over the embedded DynamoDB on a shared machine: a generous cap, not a timing assertion.
jest.setTimeout(300_000);

let client: ReturnType<typeof harnessClient>;
beforeAll(async () => {
  const { endpoint } = await embeddedDynamoDb();
  client = harnessClient(endpoint);
});
beforeEach(() => resetTables(client));
afterAll(() => closeEmbeddedDynamoDb());

const slotsKey = { tenantId: { S: ACCOUNT_CREATION_SLOTS.key } };
async function leases(): Promise<Record<string, number> | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: REGISTRY_TABLE, Key: slotsKey, ConsistentRead: true }));
  return Item ? unmarshall(Item)[ACCOUNT_CREATION_SLOTS.leases] : undefined;
}
async function registry(tenantId: string): Promise<Record<string, any> | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: REGISTRY_TABLE, Key: { tenantId: { S: tenantId } }, ConsistentRead: true }));
  return Item ? unmarshall(Item) : undefined;
}
const requests = (n: number) => Array.from({ length: n }, (_, i) => request(i + 1));
/** What the simulated Organizations recorded of every creation request, as the management account lists it. */
const creations = (aws: ReturnType<typeof simulation>, atMs: number) => (aws.organizations.listCreateAccountStatus({ accountId: MANAGEMENT, nowMs: atMs, requestId: 'test' }, { MaxResults: 20 }) as any).CreateAccountStatuses as any[];

describe('account-creation slots', () => {
  test('GIVEN 12 requests and a limit of 3 creations, as in Organizations WHEN onboarded together THEN Organizations never has more than 3 in flight, refuses no CreateAccount, and every slot is given back', async () => {
    const { definition } = synthesizeOnboarding({ maxConcurrentAccountCreations: 3 }, UNCHECKED);
    const aws = simulation({ organizations: { concurrentCreations: 3 } });
    const result = await runOnboarding(definition, aws, client, input(requests(12)));
    expect(result.output).toEqual(expect.objectContaining({ ready: 12, failed: 0, refused: 0 }));
    expect(aws.organizations.maxInFlight).toBe(3);
    expect(aws.organizations.creationsRequested).toBe(12);
    // Waiting happened on the semaphore, never on a TooManyRequestsException back-off.
    expect(aws.calls(undefined, 'organizations', 'createAccount')).toBe(12);
    expect(await leases()).toEqual({});
  });

  test('GIVEN a slot limit of 1 and a request whose CreateAccount fails WHEN onboarded with two others THEN the failed tenant gives its slot back and the others are READY long before its lease would expire', async () => {
    // The lease (1 h) outlasts every wait the others may make (at most 40 of 5-10 s): only a release lets them through.
    const { definition } = synthesizeOnboarding({ maxConcurrentAccountCreations: 1, creationSlotLeaseSeconds: 3_600, maxCreationSlotWaits: 40, maxConcurrentOnboardings: 3 }, UNCHECKED);
    const aws = simulation();
    const result = await runOnboarding(definition, aws, client, input([request(1, { email: 'not-an-email' }), request(2), request(3)]));
    const tenants = (result.output as any).tenants as any[];
    expect(tenants.map((t) => [t.tenantId, t.status, t.failedStep, t.error])).toEqual(expect.arrayContaining([
      ['tenant-1', 'FAILED', 'createAccount', 'Organizations.InvalidInputException'], ['tenant-2', 'READY', undefined, undefined], ['tenant-3', 'READY', undefined, undefined],
    ]));
    expect(aws.organizations.maxInFlight).toBe(1);
    expect(await leases()).toEqual({});
  });

  test('GIVEN a daily cap of 1 and a slot limit of 1 WHEN 3 tenants are onboarded THEN the creations that end FAILED give their slots back too: one READY, two FAILED on the cap, no slot held', async () => {
    const { definition } = synthesizeOnboarding({ maxConcurrentAccountCreations: 1, creationSlotLeaseSeconds: 3_600, maxCreationSlotWaits: 60 }, UNCHECKED);
    const aws = simulation({ organizations: { dailyCreations: 1 } });
    const result = await runOnboarding(definition, aws, client, input(requests(3)));
    const tenants = (result.output as any).tenants as any[];
    expect(tenants.filter((t) => t.status === 'READY')).toHaveLength(1);
    expect(tenants.filter((t) => t.error === 'Fleet.AccountCreationRateLimitExceeded')).toHaveLength(2);
    expect(await leases()).toEqual({});
  });

  test('GIVEN the only slot held by a tenant that crashed, its lease expiring 10 minutes in WHEN a request is onboarded THEN it waits for the expiry, reclaims the slot, creates its account and is READY', async () => {
    const { definition } = synthesizeOnboarding({ maxConcurrentAccountCreations: 1 }, UNCHECKED);
    const expiry = Date.parse(START) + 10 * 60_000;
    await client.send(new PutItemCommand({ TableName: REGISTRY_TABLE, Item: { ...slotsKey, leases: { M: { 'tenant-crashed': { N: String(expiry) } } } } }));
    const aws = simulation();
    const result = await runOnboarding(definition, aws, client, input([request(1)]));
    expect((result.output as any).tenants[0]).toEqual(expect.objectContaining({ tenantId: 'tenant-1', status: 'READY' }));
    const [creation] = creations(aws, Date.parse(result.endTime));
    expect(Date.parse(creation.RequestedTimestamp)).toBeGreaterThanOrEqual(expiry);
    expect(await leases()).toEqual({});
  });

  test('GIVEN a tenant waiting ahead in the queue WHEN the slot comes free THEN a newcomer does not take it before that tenant; once the tenant\'s place expires unrenewed, the newcomer takes the slot', async () => {
    const { definition } = synthesizeOnboarding({ maxConcurrentAccountCreations: 1 }, UNCHECKED);
    const start = Date.parse(START);
    const placeExpires = start + 6 * 60_000;
    await client.send(new PutItemCommand({
      TableName: REGISTRY_TABLE,
      Item: {
        ...slotsKey,
        leases: { M: { 'tenant-crashed': { N: String(start + 2 * 60_000) } } },
        queue: { M: { 'tenant-early': { M: { s: { N: String(start - 60_000) }, u: { N: String(placeExpires) } } } } },
      },
    }));
    const aws = simulation();
    const result = await runOnboarding(definition, aws, client, input([request(1)]));
    expect((result.output as any).tenants[0]).toEqual(expect.objectContaining({ tenantId: 'tenant-1', status: 'READY' }));
    const [creation] = creations(aws, Date.parse(result.endTime));
    expect(Date.parse(creation.RequestedTimestamp)).toBeGreaterThanOrEqual(placeExpires);
    const { Item } = await client.send(new GetItemCommand({ TableName: REGISTRY_TABLE, Key: slotsKey, ConsistentRead: true }));
    expect(unmarshall(Item!)).toEqual({ tenantId: ACCOUNT_CREATION_SLOTS.key, leases: {}, queue: {} });
  });

  test('GIVEN every slot held by live leases for longer than a tenant may wait WHEN a request is onboarded THEN it fails at createAccount naming the holders, and creates nothing', async () => {
    const { definition } = synthesizeOnboarding({ maxConcurrentAccountCreations: 1, maxCreationSlotWaits: 3 }, UNCHECKED);
    await client.send(new PutItemCommand({ TableName: REGISTRY_TABLE, Item: { ...slotsKey, leases: { M: { 'tenant-busy': { N: String(Date.parse(START) + 3_600_000) } } } } }));
    const aws = simulation();
    const result = await runOnboarding(definition, aws, client, input([request(1)]));
    expect((result.output as any).tenants[0]).toEqual({
      requestId: 'req-1', tenantId: 'tenant-1', status: 'FAILED', accountId: null, failedStep: 'createAccount', error: 'Fleet.NoCreationSlot',
      cause: 'tenant tenant-1: no account creation slot came free after 3 waits (1 at once, held by tenant-busy). Fix: check the creations of those tenants with aws organizations list-create-account-status, then send request req-1 again.',
    });
    expect(aws.calls(undefined, 'organizations', 'createAccount')).toBe(0);
    expect(await leases()).toEqual({ 'tenant-busy': Date.parse(START) + 3_600_000 });
  });
});

describe('a request resumed after a crash between CreateAccount and recording its id', () => {
  /** Runs request 1 until CreateAccount has answered, then stops the execution before anything else runs. */
  async function crashAfterCreateAccount(aws: ReturnType<typeof simulation>, definition: any) {
    const abort = { aborted: false };
    const crashed = await runOnboarding(definition, aws, client, input([request(1)]), {
      wrap: (integrations) => Object.fromEntries(Object.entries(integrations).map(([resource, integration]) => [resource, async (r: any) => {
        const answer = await integration(r);
        if (r.stateName === 'CreateAccount') abort.aborted = true;
        return answer;
      }])),
      abort,
    });
    expect(crashed.status).toBe('ABORTED');
    const row = await registry('tenant-1');
    expect(row?.createAccountRequestId).toBeUndefined();
    expect(aws.organizations.creationsRequested).toBe(1);
    return crashed;
  }
  // Five more member accounts and pages of 2: the search has to follow NextToken.
  const members = ['100000000001', '100000000002', '100000000003', '100000000004', '100000000005'];

  test('GIVEN the creation still in progress WHEN the same request runs again THEN it finds the creation by ListCreateAccountStatus, polls it, creates no second account, and the tenant is READY', async () => {
    const { definition } = synthesizeOnboarding({}, UNCHECKED);
    const aws = simulation({ accounts: members, organizations: { pageSize: 2 }, managementRoles: [FLEET_ACCOUNT_FACTORY_ROLE_NAME] });
    const crashed = await crashAfterCreateAccount(aws, definition);
    const resumed = await runOnboarding(definition, aws, client, input([request(1)], 'batch-2'), { startTime: crashed.endTime });
    expect((resumed.output as any).tenants[0]).toEqual(expect.objectContaining({ status: 'READY', resumed: true }));
    expect(aws.calls(undefined, 'organizations', 'createAccount')).toBe(1);
    expect(aws.organizations.creationsRequested).toBe(1);
    expect(aws.calls(undefined, 'organizations', 'listCreateAccountStatus')).toBe(1);
    expect(aws.calls(undefined, 'organizations', 'listAccounts')).toBe(0);
    const [creation] = creations(aws, Date.parse(resumed.endTime));
    expect(await registry('tenant-1')).toEqual(expect.objectContaining({ status: 'READY', createAccountRequestId: creation.Id, accountId: creation.AccountId }));
    expect(await leases()).toEqual({});
  });

  test('GIVEN the creation completed before the request runs again WHEN it resumes THEN it finds the account by its email in ListAccounts, page after page, creates no second account, and the tenant is READY', async () => {
    const { definition } = synthesizeOnboarding({}, UNCHECKED);
    const aws = simulation({ accounts: members, organizations: { pageSize: 2 }, managementRoles: [FLEET_ACCOUNT_FACTORY_ROLE_NAME] });
    const crashed = await crashAfterCreateAccount(aws, definition);
    const anHourLater = new Date(Date.parse(crashed.endTime) + 3_600_000).toISOString();
    const resumed = await runOnboarding(definition, aws, client, input([request(1)], 'batch-2'), { startTime: anHourLater });
    const tenant = (resumed.output as any).tenants[0];
    expect(tenant).toEqual(expect.objectContaining({ status: 'READY', resumed: true }));
    expect(aws.calls(undefined, 'organizations', 'createAccount')).toBe(1);
    // 8 accounts (management, central, 5 members, the new one) in pages of 2.
    expect(aws.calls(undefined, 'organizations', 'listAccounts')).toBe(4);
    const [creation] = creations(aws, Date.parse(resumed.endTime));
    expect(tenant.accountId).toBe(creation.AccountId);
    expect(await leases()).toEqual({});
  });
});
