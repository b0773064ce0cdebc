import type { Context } from 'aws-lambda';
import { handler } from '../../src/functions/compute-shift-metrics';

const context = { functionName: 'compute-shift-metrics', awsRequestId: 'test-request' } as Context;

describe('compute-shift-metrics', () => {
  test('passes a valid event through, marked as checked', async () => {
    await expect(handler({ id: 'scan-1' }, context)).resolves.toEqual({ id: 'scan-1', checked: true });
  });

  test('rejects an event without an id', async () => {
    await expect(handler({ id: '' }, context)).rejects.toThrow('compute-shift-metrics: event.id must be a non-empty string');
  });
});
