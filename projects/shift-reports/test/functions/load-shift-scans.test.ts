import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/functions/load-shift-scans';
import shiftEnded from '../../events/shift-ended.json';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'load-shift-scans', awsRequestId: 'test-request' } as Context;
const shift = { shiftId: 'DC1-2026-03-02-EARLY', siteId: 'DC1', startedAt: '2026-03-02T06:00:00.000Z', endedAt: '2026-03-02T14:00:00.000Z' };

describe('load-shift-scans', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'shift-reports-table';
  });

  test('GIVEN the sample event WHEN loaded THEN queries the worker counters of the shift', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    await handler(shiftEnded.detail, context);
    expect(dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input)).toEqual([{
      TableName: 'shift-reports-table',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :workerPrefix)',
      ExpressionAttributeValues: { ':pk': 'SHIFT#DC1-2026-03-02-EARLY', ':workerPrefix': 'WORKER#' },
      ProjectionExpression: 'workerId, scanCount, deviceIds',
      ExclusiveStartKey: undefined,
    }]);
  });

  test('returns the shift and each worker\'s scans, device sets as sorted lists', async () => {
    dynamo.on(QueryCommand).resolves({
      Items: [{ workerId: 'W-1120', scanCount: 1600, deviceIds: new Set(['HSR2214P9X3L', 'HSC2409K7Q2M']) }],
    });
    await expect(handler(shiftEnded.detail, context)).resolves.toEqual({
      shift,
      workers: [{ workerId: 'W-1120', scanCount: 1600, deviceIds: ['HSC2409K7Q2M', 'HSR2214P9X3L'] }],
    });
  });

  test('reads every page', async () => {
    const lastKey = { pk: 'SHIFT#DC1-2026-03-02-EARLY', sk: 'WORKER#W-0977' };
    dynamo.on(QueryCommand)
      .resolvesOnce({ Items: [{ workerId: 'W-0977', scanCount: 1000, deviceIds: new Set(['RSW2601ZZ001']) }], LastEvaluatedKey: lastKey })
      .resolvesOnce({ Items: [{ workerId: 'W-1042', scanCount: 1016, deviceIds: new Set(['HSC2409K7Q2M']) }] });
    const { workers } = await handler(shiftEnded.detail, context);
    expect(workers.map((worker) => worker.workerId)).toEqual(['W-0977', 'W-1042']);
    expect(dynamo.commandCalls(QueryCommand)[1].args[0].input.ExclusiveStartKey).toEqual(lastKey);
  });

  test('GIVEN a shift nobody scanned in WHEN loaded THEN returns no workers', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [] });
    await expect(handler(shiftEnded.detail, context)).resolves.toEqual({ shift, workers: [] });
  });

  test('GIVEN an event without shift id WHEN loaded THEN throws InvalidShiftEventError and reads nothing', async () => {
    const { shiftId, ...detail } = shiftEnded.detail;
    await expect(handler(detail, context)).rejects.toMatchObject({
      name: 'InvalidShiftEventError',
      message: 'shiftId undefined is not an id (1-64 letters, digits, ".", "_", ":" or "-")',
    });
    expect(dynamo.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
