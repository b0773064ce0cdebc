import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/functions/assign-worker';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'assign-worker', awsRequestId: 'test-request' } as Context;
const assignment = { serialNumber: 'HSC2409K7Q2M', workerId: 'W-1042', assignedAt: '2026-03-02T05:58:12.000Z' };

describe('assign-worker', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'device-registry-table';
  });

  test('reads the current assignment consistently', async () => {
    dynamo.on(GetCommand).resolves({ Item: {} });
    dynamo.on(TransactWriteCommand).resolves({});
    await handler(assignment, context);
    expect(dynamo.commandCalls(GetCommand)[0].args[0].input).toEqual({
      TableName: 'device-registry-table',
      Key: { pk: 'DEVICE#HSC2409K7Q2M', sk: 'PROFILE' },
      ProjectionExpression: 'assignedWorkerId, assignedAt',
      ConsistentRead: true,
    });
  });

  test('GIVEN an unassigned device WHEN assigned THEN assigns it if still unassigned and starts the history', async () => {
    dynamo.on(GetCommand).resolves({ Item: {} });
    dynamo.on(TransactWriteCommand).resolves({});
    await expect(handler(assignment, context)).resolves.toEqual({ ...assignment, previousWorkerId: undefined, changed: true });
    expect(dynamo.commandCalls(TransactWriteCommand)[0].args[0].input).toEqual({
      TransactItems: [
        {
          Update: {
            TableName: 'device-registry-table',
            Key: { pk: 'DEVICE#HSC2409K7Q2M', sk: 'PROFILE' },
            UpdateExpression: 'SET assignedWorkerId = :workerId, assignedAt = :assignedAt',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(assignedWorkerId)',
            ExpressionAttributeValues: { ':workerId': 'W-1042', ':assignedAt': '2026-03-02T05:58:12.000Z' },
          },
        },
        {
          Put: {
            TableName: 'device-registry-table',
            Item: {
              pk: 'DEVICE#HSC2409K7Q2M',
              sk: 'ASSIGNMENT#2026-03-02T05:58:12.000Z',
              type: 'assignment',
              serialNumber: 'HSC2409K7Q2M',
              workerId: 'W-1042',
              startedAt: '2026-03-02T05:58:12.000Z',
            },
          },
        },
      ],
    });
  });

  test('GIVEN a device assigned to another worker WHEN assigned THEN ends that assignment in the same transaction', async () => {
    dynamo.on(GetCommand).resolves({ Item: { assignedWorkerId: 'W-0977', assignedAt: '2026-02-27T06:01:00.000Z' } });
    dynamo.on(TransactWriteCommand).resolves({});
    await expect(handler(assignment, context)).resolves.toEqual({ ...assignment, previousWorkerId: 'W-0977', changed: true });
    const [profileUpdate, endPrevious] = dynamo.commandCalls(TransactWriteCommand)[0].args[0].input.TransactItems!;
    expect(profileUpdate.Update).toMatchObject({
      ConditionExpression: 'attribute_exists(pk) AND assignedWorkerId = :previousWorkerId',
      ExpressionAttributeValues: { ':workerId': 'W-1042', ':assignedAt': '2026-03-02T05:58:12.000Z', ':previousWorkerId': 'W-0977' },
    });
    expect(endPrevious).toEqual({
      Update: {
        TableName: 'device-registry-table',
        Key: { pk: 'DEVICE#HSC2409K7Q2M', sk: 'ASSIGNMENT#2026-02-27T06:01:00.000Z' },
        UpdateExpression: 'SET endedAt = :endedAt',
        ExpressionAttributeValues: { ':endedAt': '2026-03-02T05:58:12.000Z' },
      },
    });
  });

  test('GIVEN the worker already has the device WHEN assigned THEN writes nothing', async () => {
    dynamo.on(GetCommand).resolves({ Item: { assignedWorkerId: 'W-1042', assignedAt: '2026-03-01T06:00:00.000Z' } });
    await expect(handler(assignment, context)).resolves.toEqual({ ...assignment, assignedAt: '2026-03-01T06:00:00.000Z', changed: false });
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  test('GIVEN an unregistered device WHEN assigned THEN throws DeviceNotFoundError', async () => {
    dynamo.on(GetCommand).resolves({});
    await expect(handler(assignment, context)).rejects.toMatchObject({
      name: 'DeviceNotFoundError',
      message: 'No device is registered under serial number HSC2409K7Q2M',
    });
  });

  test('GIVEN the assignment changed meanwhile WHEN assigned THEN throws AssignmentConflictError', async () => {
    dynamo.on(GetCommand).resolves({ Item: {} });
    dynamo.on(TransactWriteCommand).rejects(new TransactionCanceledException({
      message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
      $metadata: {},
      CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
    }));
    await expect(handler(assignment, context)).rejects.toMatchObject({
      name: 'AssignmentConflictError',
      message: 'The assignment of device HSC2409K7Q2M changed while assigning it to worker W-1042',
    });
  });
});
