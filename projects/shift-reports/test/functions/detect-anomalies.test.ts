import type { Context } from 'aws-lambda';
import { handler } from '../../src/functions/detect-anomalies';

const context = { functionName: 'detect-anomalies', awsRequestId: 'test-request' } as Context;

describe('detect-anomalies', () => {
  test('passes a valid event through, marked as checked', async () => {
    await expect(handler({ id: 'scan-1' }, context)).resolves.toEqual({ id: 'scan-1', checked: true });
  });

  test('rejects an event without an id', async () => {
    await expect(handler({ id: '' }, context)).rejects.toThrow('detect-anomalies: event.id must be a non-empty string');
  });
});
