import type { Context } from 'aws-lambda';
import { handler } from '../../src/functions/detect-anomalies';
import { earlyShiftReport } from '../fixtures';

const context = { functionName: 'detect-anomalies', awsRequestId: 'test-request' } as Context;
const { anomalies, status, ...metrics } = earlyShiftReport;

describe('detect-anomalies', () => {
  test('GIVEN a slow and a fast worker WHEN checked THEN returns the metrics with both flagged', async () => {
    await expect(handler(metrics, context)).resolves.toEqual({ ...metrics, anomalies });
  });

  test('GIVEN paces near the median WHEN checked THEN returns no anomalies (the workflow marks the report routine)', async () => {
    const steady = { ...metrics, workers: metrics.workers.map((worker) => ({ ...worker, scansPerHour: 126 })) };
    await expect(handler(steady, context)).resolves.toEqual({ ...steady, anomalies: [] });
  });
});
