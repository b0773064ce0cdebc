import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../src/functions/summarize-device';

const dynamo = mockClient(DynamoDBDocumentClient);
const context = { functionName: 'summarize-device', awsRequestId: 'test-request' } as Context;
const profile = {
  pk: 'DEVICE#HSC2409K7Q2M',
  sk: 'PROFILE',
  serialNumber: 'HSC2409K7Q2M',
  modelName: 'HS-C compact handheld',
  firmwareVersion: '4.2.1',
  siteId: 'DC1',
  registeredAt: '2026-03-02T05:58:12.000Z',
  assignedWorkerId: 'W-1042',
};

describe('summarize-device', () => {
  beforeEach(() => {
    dynamo.reset();
    process.env.TABLE_NAME = 'device-registry-table';
  });

  test('reads the profile just written, strongly consistent', async () => {
    dynamo.on(GetCommand).resolves({ Item: profile });
    await handler({ serialNumber: 'HSC2409K7Q2M' }, context);
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([{
      TableName: 'device-registry-table',
      Key: { pk: 'DEVICE#HSC2409K7Q2M', sk: 'PROFILE' },
      ProjectionExpression: 'serialNumber, modelName, firmwareVersion, siteId, registeredAt, assignedWorkerId',
      ConsistentRead: true,
    }]);
  });

  test('GIVEN an assigned device WHEN summarized THEN returns the profile and a one-sentence summary', async () => {
    dynamo.on(GetCommand).resolves({ Item: profile });
    const { pk, sk, ...fields } = profile;
    await expect(handler({ serialNumber: 'HSC2409K7Q2M' }, context)).resolves.toEqual({
      ...fields,
      summary: 'Scanner HSC2409K7Q2M (HS-C compact handheld, firmware 4.2.1) is registered at site DC1 since 2026-03-02 and assigned to worker W-1042.',
    });
  });

  test('GIVEN an unregistered device WHEN summarized THEN throws DeviceNotFoundError', async () => {
    dynamo.on(GetCommand).resolves({});
    await expect(handler({ serialNumber: 'HSC2409K7Q2M' }, context)).rejects.toMatchObject({
      name: 'DeviceNotFoundError',
      message: 'No device is registered under serial number HSC2409K7Q2M',
    });
  });
});
