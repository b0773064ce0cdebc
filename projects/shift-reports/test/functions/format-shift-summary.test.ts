import type { Context } from 'aws-lambda';
import { handler } from '../../src/functions/format-shift-summary';
import { earlyShiftReport } from '../fixtures';

const context = { functionName: 'format-shift-summary', awsRequestId: 'test-request' } as Context;

describe('format-shift-summary', () => {
  test('GIVEN a report to review WHEN formatted THEN returns the shift, its status and the paragraph', async () => {
    await expect(handler(earlyShiftReport, context)).resolves.toEqual({
      shiftId: 'DC1-2026-03-02-EARLY',
      status: 'needs-review',
      summary: 'Shift DC1-2026-03-02-EARLY at DC1 (06:00-14:00 UTC, 8.0 h): 4 workers scanned 4,016 items, median pace 126.0 scans/h. '
        + 'Needs review: W-1077 was slow (50.0 scans/h, 60% below median); W-1120 was fast (200.0 scans/h, 59% above median).',
    });
  });
});
