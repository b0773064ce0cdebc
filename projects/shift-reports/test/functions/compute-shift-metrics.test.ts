import type { Context } from 'aws-lambda';
import { handler } from '../../src/functions/compute-shift-metrics';

const context = { functionName: 'compute-shift-metrics', awsRequestId: 'test-request' } as Context;
const shift = { shiftId: 'DC1-2026-03-02-EARLY', siteId: 'DC1', startedAt: '2026-03-02T06:00:00.000Z', endedAt: '2026-03-02T14:00:00.000Z' };

describe('compute-shift-metrics', () => {
  test('GIVEN the worker counters WHEN computed THEN returns totals, pace per worker and the median pace', async () => {
    await expect(handler({
      shift,
      workers: [
        { workerId: 'W-1042', scanCount: 1016, deviceIds: ['HSC2409K7Q2M'] },
        { workerId: 'W-0977', scanCount: 1000, deviceIds: ['RSW2601ZZ001'] },
      ],
    }, context)).resolves.toEqual({
      shift,
      shiftHours: 8,
      totalScans: 2016,
      workerCount: 2,
      medianScansPerHour: 126,
      workers: [
        { workerId: 'W-0977', scanCount: 1000, deviceCount: 1, scansPerHour: 125 },
        { workerId: 'W-1042', scanCount: 1016, deviceCount: 1, scansPerHour: 127 },
      ],
    });
  });
});
