import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/functions/count-scan';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'count-scan', awsRequestId: 'test-request' } as Context;
const storedScan = {
  scanId: '01JNB4W7Q3X9K2M5T8V6R1C0DZ',
  deviceId: 'HSC2409K7Q2M',
  workerId: 'W-1042',
  shiftId: 'DC1-2026-03-02-EARLY',
  barcode: '4006381333931',
  scannedAt: '2026-03-02T07:14:33.512Z',
  storedAt: '2026-03-02T07:14:35.000Z',
};

function cancelled(scanItemReason: { Code: string; Item?: Record<string, unknown> }): TransactionCanceledException {
  return new TransactionCanceledException({
    message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, None]',
    $metadata: {},
    CancellationReasons: [scanItemReason as never, { Code: 'None' }, { Code: 'None' }],
  });
}

describe('count-scan', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'scan-ingest-table';
    jest.useFakeTimers({ now: new Date('2026-03-02T07:14:36.000Z') });
  });
  afterEach(() => jest.useRealTimers());

  test('marks the scan counted and adds to both counters in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(GetCommand).resolves({ Item: { scanCount: 118 } });
    await handler(storedScan, context);
    expect(dynamo.commandCalls(TransactWriteCommand).map((call) => call.args[0].input)).toEqual([{
      TransactItems: [
        {
          Update: {
            TableName: 'scan-ingest-table',
            Key: { pk: 'DEVICE#HSC2409K7Q2M#DAY#2026-03-02', sk: 'SCAN#2026-03-02T07:14:33.512Z#01JNB4W7Q3X9K2M5T8V6R1C0DZ' },
            UpdateExpression: 'SET countedAt = :countedAt',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(countedAt)',
            ExpressionAttributeValues: { ':countedAt': '2026-03-02T07:14:36.000Z' },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Update: {
            TableName: 'scan-ingest-table',
            Key: { pk: 'DEVICE#HSC2409K7Q2M#DAY#2026-03-02', sk: 'COUNTER' },
            UpdateExpression: 'SET deviceId = :deviceId, #day = :day ADD scanCount :one',
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: { ':deviceId': 'HSC2409K7Q2M', ':day': '2026-03-02', ':one': 1 },
          },
        },
        {
          Update: {
            TableName: 'scan-ingest-table',
            Key: { pk: 'SHIFT#DC1-2026-03-02-EARLY', sk: 'WORKER#W-1042' },
            UpdateExpression: 'SET workerId = :workerId, shiftId = :shiftId ADD scanCount :one, deviceIds :device',
            ExpressionAttributeValues: { ':workerId': 'W-1042', ':shiftId': 'DC1-2026-03-02-EARLY', ':one': 1, ':device': new Set(['HSC2409K7Q2M']) },
          },
        },
      ],
    }]);
  });

  test('reads the worker shift counter back consistently and returns it', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    dynamo.on(GetCommand).resolves({ Item: { scanCount: 118 } });
    await expect(handler(storedScan, context)).resolves.toEqual({ scanId: '01JNB4W7Q3X9K2M5T8V6R1C0DZ', counted: true, workerShiftScanCount: 118 });
    expect(dynamo.commandCalls(GetCommand)[0].args[0].input).toEqual({
      TableName: 'scan-ingest-table',
      Key: { pk: 'SHIFT#DC1-2026-03-02-EARLY', sk: 'WORKER#W-1042' },
      ProjectionExpression: 'scanCount',
      ConsistentRead: true,
    });
  });

  test('GIVEN the scan was counted by an earlier attempt WHEN counted again THEN adds nothing', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled({ Code: 'ConditionalCheckFailed', Item: { countedAt: { S: '2026-03-02T07:14:35.900Z' } } }));
    dynamo.on(GetCommand).resolves({ Item: { scanCount: 118 } });
    await expect(handler(storedScan, context)).resolves.toEqual({ scanId: '01JNB4W7Q3X9K2M5T8V6R1C0DZ', counted: false, workerShiftScanCount: 118 });
  });

  test('GIVEN the scan is not stored WHEN counted THEN throws ScanNotStoredError', async () => {
    dynamo.on(TransactWriteCommand).rejects(cancelled({ Code: 'ConditionalCheckFailed' }));
    await expect(handler(storedScan, context)).rejects.toMatchObject({
      name: 'ScanNotStoredError',
      message: 'Scan 01JNB4W7Q3X9K2M5T8V6R1C0DZ of device HSC2409K7Q2M is not stored: store-scan must run before count-scan',
    });
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });

  test('GIVEN a transaction conflict WHEN counted THEN rethrows it (the workflow reports it)', async () => {
    const conflict = cancelled({ Code: 'TransactionConflict' });
    dynamo.on(TransactWriteCommand).rejects(conflict);
    await expect(handler(storedScan, context)).rejects.toBe(conflict);
  });
});
