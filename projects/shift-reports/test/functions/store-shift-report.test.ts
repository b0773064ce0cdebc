import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/functions/store-shift-report';
import { earlyShiftReport } from '../fixtures';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'store-shift-report', awsRequestId: 'test-request' } as Context;

describe('store-shift-report', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'shift-reports-table';
    jest.useFakeTimers({ now: new Date('2026-03-02T14:00:07.250Z') });
  });
  afterEach(() => jest.useRealTimers());

  test('stores the report under its shift id unless a newer one is stored', async () => {
    dynamo.on(PutCommand).resolves({});
    await expect(handler(earlyShiftReport, context)).resolves.toEqual({
      shiftId: 'DC1-2026-03-02-EARLY', generatedAt: '2026-03-02T14:00:07.250Z', stored: true,
    });
    expect(dynamo.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([{
      TableName: 'shift-reports-table',
      Item: {
        pk: 'SHIFT#DC1-2026-03-02-EARLY',
        sk: 'REPORT',
        type: 'shift-report',
        shiftId: 'DC1-2026-03-02-EARLY',
        siteId: 'DC1',
        startedAt: '2026-03-02T06:00:00.000Z',
        endedAt: '2026-03-02T14:00:00.000Z',
        shiftHours: 8,
        totalScans: 4016,
        workerCount: 4,
        medianScansPerHour: 126,
        workers: earlyShiftReport.workers,
        anomalies: earlyShiftReport.anomalies,
        status: 'needs-review',
        generatedAt: '2026-03-02T14:00:07.250Z',
      },
      ConditionExpression: 'attribute_not_exists(pk) OR generatedAt < :generatedAt',
      ExpressionAttributeValues: { ':generatedAt': '2026-03-02T14:00:07.250Z' },
    }]);
  });

  test('GIVEN a newer report already stored WHEN stored THEN keeps it and says so', async () => {
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    await expect(handler(earlyShiftReport, context)).resolves.toEqual({
      shiftId: 'DC1-2026-03-02-EARLY', generatedAt: '2026-03-02T14:00:07.250Z', stored: false,
    });
  });

  test('GIVEN any other DynamoDB error WHEN stored THEN rethrows it unchanged', async () => {
    const throttled = new Error('Rate of requests exceeds the allowed throughput');
    dynamo.on(PutCommand).rejects(throttled);
    await expect(handler(earlyShiftReport, context)).rejects.toBe(throttled);
  });
});
