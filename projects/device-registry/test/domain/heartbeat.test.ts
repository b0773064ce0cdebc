import { parseHeartbeat } from '../../src/domain/heartbeat';

const detail = { serialNumber: 'HSC2409K7Q2M', batteryPercent: 64, firmwareVersion: '4.2.1', sentAt: '2026-03-02T08:15:00+01:00' };

describe('parseHeartbeat', () => {
  test('normalizes the time to UTC', () => {
    expect(parseHeartbeat(detail)).toEqual({ ...detail, sentAt: '2026-03-02T07:15:00.000Z' });
  });

  test.each([
    [{ serialNumber: '' }, 'serialNumber "" is missing'],
    [{ batteryPercent: -1 }, 'batteryPercent -1 is not an integer from 0 to 100'],
    [{ batteryPercent: 55.5 }, 'batteryPercent 55.5 is not an integer from 0 to 100'],
    [{ batteryPercent: '64' }, 'batteryPercent "64" is not an integer from 0 to 100'],
    [{ firmwareVersion: 421 }, 'firmwareVersion 421 is not a string'],
    [{ sentAt: 1772435700 }, 'sentAt 1772435700 is not an ISO 8601 timestamp with a UTC offset'],
  ])('rejects %o: %s', (change, message) => {
    expect(() => parseHeartbeat({ ...detail, ...change })).toThrow(expect.objectContaining({ name: 'InvalidHeartbeatError', message }));
  });
});
