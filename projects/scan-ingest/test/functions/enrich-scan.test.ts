import type { Context } from 'aws-lambda';
import { handler } from '../../src/functions/enrich-scan';

const context = { functionName: 'enrich-scan', awsRequestId: 'test-request' } as Context;

describe('enrich-scan', () => {
  test('passes a valid event through, marked as checked', async () => {
    await expect(handler({ id: 'scan-1' }, context)).resolves.toEqual({ id: 'scan-1', checked: true });
  });

  test('rejects an event without an id', async () => {
    await expect(handler({ id: '' }, context)).rejects.toThrow('enrich-scan: event.id must be a non-empty string');
  });
});
