import { deviceDayCounterKey, scanKey, workerShiftCounterKey } from '../../src/domain/keys';

describe('item keys', () => {
  const scan = { scanId: 'S1', deviceId: 'HSC2409K7Q2M', workerId: 'W-1042', shiftId: 'DC1-2026-03-02-EARLY', scannedAt: '2026-03-02T23:59:59.999Z' };

  test('a scan and its device day counter share the partition of the UTC day', () => {
    expect(scanKey(scan)).toEqual({ pk: 'DEVICE#HSC2409K7Q2M#DAY#2026-03-02', sk: 'SCAN#2026-03-02T23:59:59.999Z#S1' });
    expect(deviceDayCounterKey(scan)).toEqual({ pk: 'DEVICE#HSC2409K7Q2M#DAY#2026-03-02', sk: 'COUNTER' });
  });

  test('the worker shift counter has the key shift-reports reads', () => {
    expect(workerShiftCounterKey(scan)).toEqual({ pk: 'SHIFT#DC1-2026-03-02-EARLY', sk: 'WORKER#W-1042' });
  });
});
