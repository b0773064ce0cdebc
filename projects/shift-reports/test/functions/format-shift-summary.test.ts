import type { Context } from 'aws-lambda';
import { handler } from '../../src/functions/format-shift-summary';

const context = { functionName: 'format-shift-summary', awsRequestId: 'test-request' } as Context;

describe('format-shift-summary', () => {
  test('passes a valid event through, marked as checked', async () => {
    await expect(handler({ id: 'scan-1' }, context)).resolves.toEqual({ id: 'scan-1', checked: true });
  });

  test('rejects an event without an id', async () => {
    await expect(handler({ id: '' }, context)).rejects.toThrow('format-shift-summary: event.id must be a non-empty string');
  });
});
