import type { Context } from 'aws-lambda';
import { handler } from '../../src/functions/validate-registration';

const context = { functionName: 'validate-registration', awsRequestId: 'test-request' } as Context;
const registered = {
  registrationId: 'reg-7f3c2a91',
  serialNumber: 'HSC2409K7Q2M',
  firmwareVersion: '4.2.1',
  siteId: 'DC1',
  workerId: 'W-1042',
  registeredAt: '2026-03-02T06:58:12+01:00',
};

describe('validate-registration', () => {
  test('GIVEN a valid registration WHEN validated THEN returns it with the model and the time in UTC', async () => {
    await expect(handler(registered, context)).resolves.toEqual({
      ...registered,
      model: 'HSC',
      modelName: 'HS-C compact handheld',
      registeredAt: '2026-03-02T05:58:12.000Z',
    });
  });

  test('GIVEN no worker WHEN validated THEN returns no workerId (the workflow skips the assignment)', async () => {
    const { workerId, ...withoutWorker } = registered;
    const result = await handler(withoutWorker, context);
    expect(JSON.parse(JSON.stringify(result))).not.toHaveProperty('workerId');
  });

  test('GIVEN a malformed serial number WHEN validated THEN throws InvalidRegistrationError', async () => {
    await expect(handler({ ...registered, serialNumber: 'HSC-2409-K7Q2M' }, context)).rejects.toMatchObject({
      name: 'InvalidRegistrationError',
      message: 'serialNumber "HSC-2409-K7Q2M" is not a scanner serial number: expected model, year, week and unit, like HSC2409K7Q2M',
    });
  });

  test('GIVEN firmware older than 4.0.0 WHEN validated THEN throws InvalidRegistrationError', async () => {
    await expect(handler({ ...registered, firmwareVersion: '3.12.0' }, context)).rejects.toMatchObject({
      name: 'InvalidRegistrationError',
      message: 'firmwareVersion 3.12.0 is older than 4.0.0: update the scanner firmware, then register it again',
    });
  });
});
