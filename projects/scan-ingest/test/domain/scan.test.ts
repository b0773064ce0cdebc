import { parseScan } from '../../src/domain/scan';

const now = new Date('2026-03-02T07:20:00Z');
const upload = {
  scanId: '01JNB4W7Q3X9K2M5T8V6R1C0DZ',
  deviceId: 'HSC2409K7Q2M',
  workerId: 'W-1042',
  shiftId: 'DC1-2026-03-02-EARLY',
  barcode: '4006381333931',
  scannedAt: '2026-03-02T07:14:33.512Z',
};

describe('parseScan', () => {
  test('accepts a scan buffered offline for up to 7 days', () => {
    expect(parseScan({ ...upload, scannedAt: '2026-02-23T07:20:00Z' }, now).scannedAt).toBe('2026-02-23T07:20:00.000Z');
  });

  test('accepts a scanner clock up to 5 minutes ahead', () => {
    expect(parseScan({ ...upload, scannedAt: '2026-03-02T07:25:00Z' }, now).scannedAt).toBe('2026-03-02T07:25:00.000Z');
  });

  test.each([
    [{ scanId: '' }, 'scanId "" is not an id (1-64 letters, digits, ".", "_", ":" or "-")'],
    [{ workerId: 42 }, 'workerId 42 is not an id (1-64 letters, digits, ".", "_", ":" or "-")'],
    [{ barcode: '' }, 'barcode is missing: the scanner must send the decoded barcode content'],
    [{ barcode: 'ABC\u0001' }, 'barcode "ABC\u0001" is not 1-48 printable ASCII characters'],
    [{ barcode: '1'.repeat(49) }, `barcode "${'1'.repeat(49)}" is not 1-48 printable ASCII characters`],
    [{ scannedAt: '2026-03-02 07:14:33' }, 'scannedAt "2026-03-02 07:14:33" is not an ISO 8601 timestamp with a UTC offset'],
    [{ scannedAt: '2026-03-02T07:14:33' }, 'scannedAt "2026-03-02T07:14:33" is not an ISO 8601 timestamp with a UTC offset'],
    [{ scannedAt: '2026-02-23T07:19:59Z' }, 'scannedAt 2026-02-23T07:19:59Z is more than 7 days old'],
  ])('rejects %o: %s', (change, message) => {
    expect(() => parseScan({ ...upload, ...change }, now)).toThrow(message);
  });

  test('throws InvalidScanError', () => {
    expect(() => parseScan({}, now)).toThrow(expect.objectContaining({ name: 'InvalidScanError' }));
  });
});
