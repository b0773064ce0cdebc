import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/functions/deduplicate-scan';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'deduplicate-scan', awsRequestId: 'test-request' } as Context;
const scan = {
  scanId: '01JNB4W7Q3X9K2M5T8V6R1C0DZ',
  deviceId: 'HSC2409K7Q2M',
  workerId: 'W-1042',
  shiftId: 'DC1-2026-03-02-EARLY',
  barcode: '4006381333931',
  scannedAt: '2026-03-02T07:14:33.512Z',
};

describe('deduplicate-scan', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'scan-ingest-table';
  });

  test('GIVEN a scan not stored yet WHEN checked THEN is not a duplicate', async () => {
    dynamo.on(GetCommand).resolves({});
    await expect(handler(scan, context)).resolves.toEqual({ duplicate: false });
  });

  test('GIVEN a scan already stored WHEN checked THEN is a duplicate', async () => {
    dynamo.on(GetCommand).resolves({ Item: { pk: 'DEVICE#HSC2409K7Q2M#DAY#2026-03-02' } });
    await expect(handler(scan, context)).resolves.toEqual({ duplicate: true });
  });

  test('looks the scan up by device, day, time and scan id, reading only the key', async () => {
    dynamo.on(GetCommand).resolves({});
    await handler(scan, context);
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([{
      TableName: 'scan-ingest-table',
      Key: { pk: 'DEVICE#HSC2409K7Q2M#DAY#2026-03-02', sk: 'SCAN#2026-03-02T07:14:33.512Z#01JNB4W7Q3X9K2M5T8V6R1C0DZ' },
      ProjectionExpression: 'pk',
    }]);
  });

  test('GIVEN DynamoDB fails WHEN checked THEN the error propagates (the workflow reports it)', async () => {
    dynamo.on(GetCommand).rejects(new Error('Throughput exceeds the current capacity'));
    await expect(handler(scan, context)).rejects.toThrow('Throughput exceeds the current capacity');
  });
});
