import type { Context } from 'aws-lambda';
import { handler } from '../../src/functions/validate-scan';

const context = { functionName: 'validate-scan', awsRequestId: 'test-request' } as Context;
const upload = {
  scanId: '01JNB4W7Q3X9K2M5T8V6R1C0DZ',
  deviceId: 'HSC2409K7Q2M',
  workerId: 'W-1042',
  shiftId: 'DC1-2026-03-02-EARLY',
  barcode: '4006381333931',
  scannedAt: '2026-03-02T08:14:33.512+01:00',
};

describe('validate-scan', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-03-02T07:20:00Z') }));
  afterEach(() => jest.useRealTimers());

  test('GIVEN a complete scan WHEN validated THEN returns it with the timestamp in UTC', async () => {
    await expect(handler(upload, context)).resolves.toEqual({ ...upload, scannedAt: '2026-03-02T07:14:33.512Z' });
  });

  test('GIVEN a scan with extra fields WHEN validated THEN returns only the scan fields', async () => {
    const result = await handler({ ...upload, firmware: '4.2.1' } as typeof upload, context);
    expect(Object.keys(result).sort()).toEqual(['barcode', 'deviceId', 'scanId', 'scannedAt', 'shiftId', 'workerId']);
  });

  test('GIVEN no device WHEN validated THEN throws InvalidScanError naming deviceId', async () => {
    const { deviceId, ...withoutDevice } = upload;
    const error = await handler(withoutDevice, context).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'InvalidScanError', message: 'deviceId undefined is not an id (1-64 letters, digits, ".", "_", ":" or "-")' });
  });

  test('GIVEN a scan from a clock 10 minutes ahead WHEN validated THEN throws InvalidScanError', async () => {
    await expect(handler({ ...upload, scannedAt: '2026-03-02T07:30:00Z' }, context)).rejects.toMatchObject({
      name: 'InvalidScanError',
      message: 'scannedAt 2026-03-02T07:30:00Z is more than 5 minutes in the future: check the scanner clock',
    });
  });
});
