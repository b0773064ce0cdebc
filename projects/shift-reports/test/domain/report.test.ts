import { formatShiftSummary } from '../../src/domain/report';
import { earlyShiftReport } from '../fixtures';

describe('formatShiftSummary', () => {
  test('names the workers to review, with their pace against the median', () => {
    expect(formatShiftSummary(earlyShiftReport)).toBe(
      'Shift DC1-2026-03-02-EARLY at DC1 (06:00-14:00 UTC, 8.0 h): 4 workers scanned 4,016 items, median pace 126.0 scans/h. '
      + 'Needs review: W-1077 was slow (50.0 scans/h, 60% below median); W-1120 was fast (200.0 scans/h, 59% above median).',
    );
  });

  test('says so when every pace was normal', () => {
    expect(formatShiftSummary({ ...earlyShiftReport, workerCount: 1, anomalies: [], status: 'routine' })).toBe(
      'Shift DC1-2026-03-02-EARLY at DC1 (06:00-14:00 UTC, 8.0 h): 1 worker scanned 4,016 items, median pace 126.0 scans/h. '
      + 'No worker\'s pace was far from the median.',
    );
  });
});
