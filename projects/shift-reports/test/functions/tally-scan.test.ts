import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, TallyScanEvent } from '../../src/functions/tally-scan';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'tally-scan', awsRequestId: 'test-request' } as Context;

function scanUploaded(detail: Record<string, unknown>): TallyScanEvent {
  return {
    'version': '0',
    'id': 'event-1',
    'detail-type': 'Scan Uploaded',
    'source': 'scanner.device',
    'account': '111122223333',
    'time': '2026-03-02T07:14:34Z',
    'region': 'eu-west-1',
    'resources': [],
    detail,
  };
}

const scan = { scanId: '01JNB4W7Q3X9K2M5T8V6R1C0DZ', deviceId: 'HSC2409K7Q2M', workerId: 'W-1042', shiftId: 'DC1-2026-03-02-EARLY' };

describe('tally-scan', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'shift-table';
  });

  test('GIVEN a new scan WHEN tallied THEN marks the scan and adds one to its worker\'s counter in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});

    await expect(handler(scanUploaded(scan), context)).resolves.toEqual({ tallied: true });

    const { TransactItems } = dynamo.commandCalls(TransactWriteCommand)[0].args[0].input;
    expect(TransactItems).toEqual([
      {
        Put: {
          TableName: 'shift-table',
          Item: { pk: 'SHIFT#DC1-2026-03-02-EARLY', sk: 'SCAN#01JNB4W7Q3X9K2M5T8V6R1C0DZ', workerId: 'W-1042', talliedAt: '2026-03-02T07:14:34Z' },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: 'shift-table',
          Key: { pk: 'SHIFT#DC1-2026-03-02-EARLY', sk: 'WORKER#W-1042' },
          UpdateExpression: 'SET workerId = :workerId ADD scanCount :one, deviceIds :device',
          ExpressionAttributeValues: { ':workerId': 'W-1042', ':one': 1, ':device': new Set(['HSC2409K7Q2M']) },
        },
      },
    ]);
  });

  test('GIVEN a scan already tallied WHEN redelivered THEN adds nothing and succeeds', async () => {
    dynamo.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }),
    );
    await expect(handler(scanUploaded(scan), context)).resolves.toEqual({ tallied: false, reason: 'already tallied' });
  });

  test('GIVEN an incomplete scan WHEN tallied THEN skips it without writing', async () => {
    await expect(handler(scanUploaded({ ...scan, workerId: '' }), context)).resolves.toEqual({ tallied: false, reason: 'incomplete scan' });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  test('GIVEN DynamoDB fails for another reason WHEN tallied THEN throws so EventBridge and Lambda retry', async () => {
    dynamo.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    await expect(handler(scanUploaded(scan), context)).rejects.toThrow('ProvisionedThroughputExceededException');
  });
});
