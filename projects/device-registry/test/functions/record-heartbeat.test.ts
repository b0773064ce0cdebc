import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler, RecordHeartbeatInput } from '../../src/functions/record-heartbeat';
import heartbeatEvent from '../../events/device-heartbeat.json';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'record-heartbeat', awsRequestId: 'test-request' } as Context;
const event = heartbeatEvent as RecordHeartbeatInput;

function conditionFailed(item?: Record<string, { S: string }>): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: item });
}

describe('record-heartbeat', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'device-registry-table';
  });

  test('GIVEN the sample event WHEN recorded THEN updates last-seen time, battery and firmware if newer', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await expect(handler(event, context)).resolves.toEqual({ serialNumber: 'HSC2409K7Q2M', recorded: true });
    expect(dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input)).toEqual([{
      TableName: 'device-registry-table',
      Key: { pk: 'DEVICE#HSC2409K7Q2M', sk: 'PROFILE' },
      UpdateExpression: 'SET lastSeenAt = :sentAt, batteryPercent = :batteryPercent, firmwareVersion = :firmwareVersion',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastSeenAt) OR lastSeenAt < :sentAt)',
      ExpressionAttributeValues: { ':sentAt': '2026-03-02T07:15:00.000Z', ':batteryPercent': 64, ':firmwareVersion': '4.2.1' },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }]);
  });

  test('GIVEN no firmware in the heartbeat WHEN recorded THEN keeps the stored firmware', async () => {
    dynamo.on(UpdateCommand).resolves({});
    const { firmwareVersion, ...detail } = event.detail;
    await handler({ ...event, detail }, context);
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({
      UpdateExpression: 'SET lastSeenAt = :sentAt, batteryPercent = :batteryPercent',
      ExpressionAttributeValues: { ':sentAt': '2026-03-02T07:15:00.000Z', ':batteryPercent': 64 },
    });
  });

  test('GIVEN a heartbeat older than the last recorded WHEN recorded THEN skips it', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed({ pk: { S: 'DEVICE#HSC2409K7Q2M' }, lastSeenAt: { S: '2026-03-02T07:16:00.000Z' } }));
    await expect(handler(event, context)).resolves.toEqual({ serialNumber: 'HSC2409K7Q2M', recorded: false, skipped: 'out-of-order' });
  });

  test('GIVEN an unregistered device WHEN recorded THEN skips it instead of failing', async () => {
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    await expect(handler(event, context)).resolves.toEqual({ serialNumber: 'HSC2409K7Q2M', recorded: false, skipped: 'unknown-device' });
  });

  test('GIVEN a battery level out of range WHEN recorded THEN throws InvalidHeartbeatError and writes nothing', async () => {
    await expect(handler({ ...event, detail: { ...event.detail, batteryPercent: 140 } }, context)).rejects.toMatchObject({
      name: 'InvalidHeartbeatError',
      message: 'batteryPercent 140 is not an integer from 0 to 100',
    });
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });
});
