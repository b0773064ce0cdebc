import { computeShiftMetrics, median, round } from '../../src/domain/metrics';

const shift = { shiftId: 'DC1-2026-03-02-EARLY', siteId: 'DC1', startedAt: '2026-03-02T06:00:00.000Z', endedAt: '2026-03-02T14:00:00.000Z' };

describe('median', () => {
  test.each([
    [[], 0],
    [[7], 7],
    [[3, 1, 2], 2],
    [[125, 50, 200, 127], 126],
  ])('of %o is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe('round', () => {
  test('rounds half away from zero', () => {
    expect(round(2.25, 1)).toBe(2.3);
    expect(round(-0.595, 2)).toBe(-0.6);
  });
});

describe('computeShiftMetrics', () => {
  test('computes totals and scans per hour over the whole shift, workers by id', () => {
    expect(computeShiftMetrics(shift, [
      { workerId: 'W-1120', scanCount: 1600, deviceIds: ['HSC2409K7Q2M', 'HSR2214P9X3L'] },
      { workerId: 'W-0977', scanCount: 1000, deviceIds: ['RSW2601ZZ001'] },
      { workerId: 'W-1077', scanCount: 401, deviceIds: ['HSC2411B0T7E'] },
    ])).toEqual({
      shift,
      shiftHours: 8,
      totalScans: 3001,
      workerCount: 3,
      medianScansPerHour: 125,
      workers: [
        { workerId: 'W-0977', scanCount: 1000, deviceCount: 1, scansPerHour: 125 },
        { workerId: 'W-1077', scanCount: 401, deviceCount: 1, scansPerHour: 50.1 },
        { workerId: 'W-1120', scanCount: 1600, deviceCount: 2, scansPerHour: 200 },
      ],
    });
  });

  test('a shift of 7 h 20 min has 7.33 hours', () => {
    expect(computeShiftMetrics({ ...shift, endedAt: '2026-03-02T13:20:00.000Z' }, []).shiftHours).toBe(7.33);
  });
});
