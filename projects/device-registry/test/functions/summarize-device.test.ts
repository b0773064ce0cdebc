import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/functions/summarize-device';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'summarize-device', awsRequestId: 'test-request' } as Context;

describe('summarize-device', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'test-table';
  });

  test('reports whether the item exists', async () => {
    dynamo.on(GetCommand, { TableName: 'test-table', Key: { pk: 'scan-1', sk: 'item' } }).resolves({ Item: { pk: 'scan-1' } });
    await expect(handler({ id: 'scan-1' }, context)).resolves.toEqual({ id: 'scan-1', found: true });
  });

  test('reports a missing item as not found', async () => {
    dynamo.on(GetCommand).resolves({});
    await expect(handler({ id: 'scan-2' }, context)).resolves.toEqual({ id: 'scan-2', found: false });
  });
});
