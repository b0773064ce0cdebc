import type { ShiftReport } from '../src/domain/report';

/** The early shift at DC1 of 2 March 2026, 06:00-14:00 UTC (8 h), as reported. */
export const earlyShiftReport: ShiftReport = {
  shift: { shiftId: 'DC1-2026-03-02-EARLY', siteId: 'DC1', startedAt: '2026-03-02T06:00:00.000Z', endedAt: '2026-03-02T14:00:00.000Z' },
  shiftHours: 8,
  totalScans: 4016,
  workerCount: 4,
  medianScansPerHour: 126,
  workers: [
    { workerId: 'W-0977', scanCount: 1000, deviceCount: 1, scansPerHour: 125 },
    { workerId: 'W-1042', scanCount: 1016, deviceCount: 1, scansPerHour: 127 },
    { workerId: 'W-1077', scanCount: 400, deviceCount: 1, scansPerHour: 50 },
    { workerId: 'W-1120', scanCount: 1600, deviceCount: 2, scansPerHour: 200 },
  ],
  anomalies: [
    { workerId: 'W-1077', kind: 'slow', scansPerHour: 50, medianScansPerHour: 126, deviation: -0.6 },
    { workerId: 'W-1120', kind: 'fast', scansPerHour: 200, medianScansPerHour: 126, deviation: 0.59 },
  ],
  status: 'needs-review',
};
