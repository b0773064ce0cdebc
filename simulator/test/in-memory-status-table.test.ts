import { PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { RELEASE_STATUS_TABLE, ROLLOUT_CONTROL_PARTITION } from '@fleet/contracts';
import {
  clientFor, closeEmbeddedDynamoDb, createTables, dynamoDbIntegrations, embeddedDynamoDb, Integration, IntegrationRequest,
} from '@fleet/workflows/testing';
import { FleetSimulation, SIMULATED_STATUS_TABLE, StatusItem } from '../src';

/**
 * The simulator serves the engine's status table from memory (dynalite would be half a million
 * HTTP round trips at fleet scale). This proves the fake answers as the embedded DynamoDB does:
 * every status call of a real simulated rollout goes to both, and the answers and the final
 * items must be the same.
 */
jest.setTimeout(300_000);

afterAll(() => closeEmbeddedDynamoDb());

type Settled = { ok: true; value: unknown } | { ok: false; error: string };
const settle = async (work: () => unknown): Promise<Settled> => {
  try {
    return { ok: true, value: await work() };
  } catch (e) {
    return { ok: false, error: String((e as { error?: string }).error ?? (e as Error).name) };
  }
};
const byKey = (items: StatusItem[]) => [...items].sort((a, b) => JSON.stringify([a.tenantId, a.serviceRegion]).localeCompare(JSON.stringify([b.tenantId, b.serviceRegion])));
// Timestamps come from the execution's clock: the same in both tables.

test('GIVEN a rollout of 6 tenants x 2 services WHEN every status table call is served by the in-memory table and by the embedded DynamoDB THEN each answer and the final items are identical', async () => {
  const { endpoint } = await embeddedDynamoDb();
  const client = clientFor(endpoint, 'eu-west-1');
  await createTables(client, [{
    name: SIMULATED_STATUS_TABLE,
    keySchema: [{ AttributeName: RELEASE_STATUS_TABLE.partitionKey, KeyType: 'HASH' }, { AttributeName: RELEASE_STATUS_TABLE.sortKey, KeyType: 'RANGE' }],
    attributeDefinitions: [{ AttributeName: RELEASE_STATUS_TABLE.partitionKey, AttributeType: 'S' }, { AttributeName: RELEASE_STATUS_TABLE.sortKey, AttributeType: 'S' }],
  }], true);
  const sim = new FleetSimulation({ tenants: 6, services: 2, canaryTenants: 1, bakeMinutes: 0, seed: 4, failingTenants: [4], toleratedFailurePercentage: 50 });
  await client.send(new PutItemCommand({ TableName: SIMULATED_STATUS_TABLE, Item: sim.statusTable.get(ROLLOUT_CONTROL_PARTITION, sim.plan.rolloutId) as any }));

  const real = dynamoDbIntegrations(async () => client);
  const inMemory = sim.statusTable.integrations();
  const differences: unknown[] = [];
  let calls = 0;
  sim.statusTable.integrations = () => Object.fromEntries(Object.entries(inMemory).map(([prefix, integration]): [string, Integration] => [prefix, async (request: IntegrationRequest) => {
    calls++;
    const fake = await settle(() => integration(request));
    const embedded = await settle(() => real[prefix](request));
    if (JSON.stringify(fake) !== JSON.stringify(embedded)) differences.push({ state: request.stateName, parameters: request.parameters, fake, embedded });
    if (!fake.ok) throw new Error(fake.error);
    return fake.value;
  }]));
  const run = await sim.run();

  // Tenant 4 fails both of its stack updates (each wave tolerates it), so FAILED and ROLLED_BACK records are compared too.
  expect(run.counts.failed).toBe(2);
  expect(calls).toBeGreaterThan(40);
  expect(differences).toEqual([]);
  const { Items = [] } = await client.send(new ScanCommand({ TableName: SIMULATED_STATUS_TABLE }));
  expect(byKey(sim.statusTable.scan())).toEqual(byKey(Items as unknown as StatusItem[]));
});
