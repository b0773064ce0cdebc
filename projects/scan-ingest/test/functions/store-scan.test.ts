import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, StoreScanInput } from '../../src/functions/store-scan';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'store-scan', awsRequestId: 'test-request' } as Context;
const enrichedScan: StoreScanInput = {
  scanId: '01JNB4W7Q3X9K2M5T8V6R1C0DZ',
  deviceId: 'HSC2409K7Q2M',
  workerId: 'W-1042',
  shiftId: 'DC1-2026-03-02-EARLY',
  barcode: '4006381333931',
  scannedAt: '2026-03-02T07:14:33.512Z',
  barcodeInfo: { symbology: 'EAN-13', gtin14: '04006381333931', gs1Prefix: '400', gs1PrefixIssuer: 'GS1 Germany' },
};

describe('store-scan', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'scan-ingest-table';
    jest.useFakeTimers({ now: new Date('2026-03-02T07:14:35.000Z') });
  });
  afterEach(() => jest.useRealTimers());

  test('stores the scan under its device and day, only if not stored yet', async () => {
    dynamo.on(PutCommand).resolves({});
    await handler(enrichedScan, context);
    expect(dynamo.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([{
      TableName: 'scan-ingest-table',
      Item: {
        pk: 'DEVICE#HSC2409K7Q2M#DAY#2026-03-02',
        sk: 'SCAN#2026-03-02T07:14:33.512Z#01JNB4W7Q3X9K2M5T8V6R1C0DZ',
        type: 'scan',
        scanId: '01JNB4W7Q3X9K2M5T8V6R1C0DZ',
        deviceId: 'HSC2409K7Q2M',
        workerId: 'W-1042',
        shiftId: 'DC1-2026-03-02-EARLY',
        barcode: '4006381333931',
        scannedAt: '2026-03-02T07:14:33.512Z',
        symbology: 'EAN-13',
        gtin14: '04006381333931',
        gs1Prefix: '400',
        gs1PrefixIssuer: 'GS1 Germany',
        storedAt: '2026-03-02T07:14:35.000Z',
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }]);
  });

  test('returns the scan with the time it was stored', async () => {
    dynamo.on(PutCommand).resolves({});
    await expect(handler(enrichedScan, context)).resolves.toEqual({ ...enrichedScan, storedAt: '2026-03-02T07:14:35.000Z' });
  });

  test('GIVEN a resend stored first WHEN stored THEN throws DuplicateScanError', async () => {
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    await expect(handler(enrichedScan, context)).rejects.toMatchObject({
      name: 'DuplicateScanError',
      message: 'Scan 01JNB4W7Q3X9K2M5T8V6R1C0DZ of device HSC2409K7Q2M is already stored',
    });
  });

  test('GIVEN any other DynamoDB error WHEN stored THEN rethrows it unchanged', async () => {
    const throttled = new Error('Rate of requests exceeds the allowed throughput');
    dynamo.on(PutCommand).rejects(throttled);
    await expect(handler(enrichedScan, context)).rejects.toBe(throttled);
  });
});
