import { detectPaceAnomalies } from '../../src/domain/anomalies';
import { ShiftMetrics } from '../../src/domain/metrics';

function metricsOf(paces: Record<string, number>, medianScansPerHour: number): ShiftMetrics {
  const workers = Object.entries(paces).map(([workerId, scansPerHour]) => ({ workerId, scanCount: scansPerHour * 8, deviceCount: 1, scansPerHour }));
  return {
    shift: { shiftId: 'S', siteId: 'DC1', startedAt: '2026-03-02T06:00:00.000Z', endedAt: '2026-03-02T14:00:00.000Z' },
    shiftHours: 8,
    totalScans: workers.reduce((sum, worker) => sum + worker.scanCount, 0),
    workerCount: workers.length,
    medianScansPerHour,
    workers,
  };
}

describe('detectPaceAnomalies', () => {
  test('flags workers at least 50 % below or above the median, farthest first', () => {
    expect(detectPaceAnomalies(metricsOf({ 'W-0977': 125, 'W-1042': 127, 'W-1077': 50, 'W-1120': 200 }, 126))).toEqual([
      { workerId: 'W-1077', kind: 'slow', scansPerHour: 50, medianScansPerHour: 126, deviation: -0.6 },
      { workerId: 'W-1120', kind: 'fast', scansPerHour: 200, medianScansPerHour: 126, deviation: 0.59 },
    ]);
  });

  test('the threshold is inclusive', () => {
    expect(detectPaceAnomalies(metricsOf({ a: 100, b: 100, c: 50, d: 149.9 }, 100))).toEqual([
      { workerId: 'c', kind: 'slow', scansPerHour: 50, medianScansPerHour: 100, deviation: -0.5 },
    ]);
  });

  test('finds none when every pace is near the median', () => {
    expect(detectPaceAnomalies(metricsOf({ a: 110, b: 95, c: 120 }, 110))).toEqual([]);
  });

  test('finds none with fewer than 3 workers: the median of two says little', () => {
    expect(detectPaceAnomalies(metricsOf({ a: 10, b: 200 }, 105))).toEqual([]);
  });

  test('takes a custom threshold', () => {
    expect(detectPaceAnomalies(metricsOf({ a: 100, b: 100, c: 70 }, 100), 0.25).map((anomaly) => anomaly.workerId)).toEqual(['c']);
  });
});
