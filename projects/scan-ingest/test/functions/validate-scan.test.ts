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

const uploadedAt = '2026-03-02T07:20:00Z';

describe('validate-scan', () => {
  test('GIVEN a complete scan WHEN validated THEN returns it with the timestamp in UTC', async () => {
    await expect(handler({ detail: upload, uploadedAt }, context)).resolves.toEqual({ ...upload, scannedAt: '2026-03-02T07:14:33.512Z' });
  });

  test('GIVEN a scan with extra fields WHEN validated THEN returns only the scan fields', async () => {
    const withFirmware = { ...upload, firmware: '4.2.1' };
    const result = await handler({ detail: withFirmware, uploadedAt }, context);
    expect(Object.keys(result).sort()).toEqual(['barcode', 'deviceId', 'scanId', 'scannedAt', 'shiftId', 'workerId']);
  });

  test('GIVEN no device WHEN validated THEN throws InvalidScanError naming deviceId', async () => {
    const { deviceId, ...withoutDevice } = upload;
    const error = await handler({ detail: withoutDevice, uploadedAt }, context).catch((e: Error) => e);
    expect(error).toMatchObject({ name: 'InvalidScanError', message: 'deviceId undefined is not an id (1-64 letters, digits, ".", "_", ":" or "-")' });
  });

  test('GIVEN a scan from a clock 10 minutes ahead WHEN validated THEN throws InvalidScanError', async () => {
    await expect(handler({ detail: { ...upload, scannedAt: '2026-03-02T07:30:00Z' }, uploadedAt }, context)).rejects.toMatchObject({
      name: 'InvalidScanError',
      message: 'scannedAt 2026-03-02T07:30:00Z is more than 5 minutes in the future: check the scanner clock',
    });
  });

  test('GIVEN a scan buffered 8 days before upload WHEN validated THEN throws InvalidScanError', async () => {
    await expect(handler({ detail: { ...upload, scannedAt: '2026-02-22T07:00:00Z' }, uploadedAt }, context)).rejects.toMatchObject({
      name: 'InvalidScanError',
      message: 'scannedAt 2026-02-22T07:00:00Z is more than 7 days old',
    });
  });

  test('GIVEN an old upload replayed today WHEN validated THEN judges it by its upload time and accepts it', async () => {
    jest.useFakeTimers({ now: new Date('2026-11-27T12:00:00Z') });
    try {
      await expect(handler({ detail: upload, uploadedAt }, context)).resolves.toMatchObject({ scanId: upload.scanId });
    } finally {
      jest.useRealTimers();
    }
  });
});
