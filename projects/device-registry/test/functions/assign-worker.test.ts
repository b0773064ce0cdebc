import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/functions/assign-worker';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'assign-worker', awsRequestId: 'test-request' } as Context;

describe('assign-worker', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'test-table';
  });

  test('stores the item under its id', async () => {
    dynamo.on(PutCommand).resolves({});
    const result = await handler({ id: 'scan-1' }, context);
    expect(result.id).toBe('scan-1');
    expect(dynamo.commandCalls(PutCommand)[0].args[0].input).toMatchObject({ TableName: 'test-table', Item: { pk: 'scan-1', sk: 'item' } });
  });
});
