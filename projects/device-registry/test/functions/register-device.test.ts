import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/functions/register-device';
import { Registration } from '../../src/domain/registration';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'register-device', awsRequestId: 'test-request' } as Context;
const registration: Registration = {
  registrationId: 'reg-7f3c2a91',
  serialNumber: 'HSC2409K7Q2M',
  model: 'HSC',
  modelName: 'HS-C compact handheld',
  firmwareVersion: '4.2.1',
  siteId: 'DC1',
  workerId: 'W-1042',
  registeredAt: '2026-03-02T05:58:12.000Z',
};

function serialTakenBy(registrationId: string): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({
    message: 'The conditional request failed',
    $metadata: {},
    Item: { pk: { S: 'DEVICE#HSC2409K7Q2M' }, registrationId: { S: registrationId } },
  });
}

describe('register-device', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'device-registry-table';
  });

  test('creates the device profile only if the serial number is free', async () => {
    dynamo.on(PutCommand).resolves({});
    await expect(handler(registration, context)).resolves.toEqual({ serialNumber: 'HSC2409K7Q2M', replayed: false });
    expect(dynamo.commandCalls(PutCommand).map((call) => call.args[0].input)).toEqual([{
      TableName: 'device-registry-table',
      Item: {
        pk: 'DEVICE#HSC2409K7Q2M',
        sk: 'PROFILE',
        type: 'device',
        registrationId: 'reg-7f3c2a91',
        serialNumber: 'HSC2409K7Q2M',
        model: 'HSC',
        modelName: 'HS-C compact handheld',
        firmwareVersion: '4.2.1',
        siteId: 'DC1',
        registeredAt: '2026-03-02T05:58:12.000Z',
      },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }]);
  });

  test('GIVEN the serial number registered by another registration WHEN registered THEN throws DeviceAlreadyRegisteredError', async () => {
    dynamo.on(PutCommand).rejects(serialTakenBy('reg-0b5e1d44'));
    await expect(handler(registration, context)).rejects.toMatchObject({
      name: 'DeviceAlreadyRegisteredError',
      message: 'Serial number HSC2409K7Q2M is already registered (registration reg-0b5e1d44): retire that device before registering it again',
    });
  });

  test('GIVEN the same registration delivered again WHEN registered THEN succeeds as a replay', async () => {
    dynamo.on(PutCommand).rejects(serialTakenBy('reg-7f3c2a91'));
    await expect(handler(registration, context)).resolves.toEqual({ serialNumber: 'HSC2409K7Q2M', replayed: true });
  });

  test('GIVEN any other DynamoDB error WHEN registered THEN rethrows it unchanged', async () => {
    const throttled = new Error('Rate of requests exceeds the allowed throughput');
    dynamo.on(PutCommand).rejects(throttled);
    await expect(handler(registration, context)).rejects.toBe(throttled);
  });
});
