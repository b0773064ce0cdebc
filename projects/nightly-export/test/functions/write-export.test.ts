import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/functions/write-export';

const dynamo = mockClient(DynamoDBDocumentClient);

describe('write-export', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'job-table';
  });

  test('GIVEN a scheduled run WHEN write-export runs THEN it records itself as done', async () => {
    dynamo.on(PutCommand).resolves({});
    await expect(handler({ scheduledTime: '2026-03-02T03:07:00Z', executionId: 'run-1' })).resolves.toEqual({
      scheduledTime: '2026-03-02T03:07:00Z', executionId: 'run-1', stepsDone: ['write-export'],
    });
    expect(dynamo.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([
      { TableName: 'job-table', Item: { pk: 'RUN#2026-03-02T03:07:00Z', sk: 'STEP#write-export', executionId: 'run-1' } },
    ]);
  });
});
