import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { clientFor, closeEmbeddedDynamoDb, createTables, embeddedDynamoDb, putItems, scanTable, TableSpec } from '../../src/testing/embedded-dynamodb';

const ORDERS: TableSpec = {
  name: 'orders',
  keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
};

afterAll(() => closeEmbeddedDynamoDb());

describe('embedded DynamoDB tables', () => {
  test('GIVEN a table with items WHEN the tables are re-created while the server still drops the old one THEN the re-creation waits for it and starts empty', async () => {
    const { endpoint } = await embeddedDynamoDb();
    const client = clientFor(endpoint, 'eu-west-1');
    // The server drops a deleted table on a later timer tick. On a busy machine that tick comes
    // late (here: every zero-delay timer fires 30 ms late); re-creating must wait for it.
    const realSetTimeout = global.setTimeout;
    const lateTicks = jest.spyOn(global, 'setTimeout').mockImplementation(((callback: () => void, ms?: number) =>
      realSetTimeout(callback, (ms ?? 0) <= 1 ? 30 : ms)) as typeof setTimeout);
    try {
      for (let round = 0; round < 5; round++) {
        await createTables(client, [ORDERS], true);
        await putItems(client, ORDERS.name, [{ id: `order-${round}` }]);
        await createTables(client, [ORDERS], true);
        expect(await scanTable(client, ORDERS.name, ['id'])).toEqual([]);
      }
    } finally {
      lateTicks.mockRestore();
    }
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual(['orders']);
  });

  test('GIVEN a server you run WHEN the tables exist THEN they are kept with their items', async () => {
    const { endpoint } = await embeddedDynamoDb();
    const client = clientFor(endpoint, 'eu-west-1');
    await createTables(client, [ORDERS], true);
    await putItems(client, ORDERS.name, [{ id: 'kept' }]);
    await createTables(client, [ORDERS], false);
    expect(await scanTable(client, ORDERS.name, ['id'])).toEqual([{ id: 'kept' }]);
  });
});
