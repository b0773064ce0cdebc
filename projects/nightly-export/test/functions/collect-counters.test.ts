import { handler } from '../../src/functions/collect-counters';

describe('collect-counters', () => {
  test('GIVEN a scheduled run WHEN collect-counters runs THEN it records itself as done', async () => {
    await expect(handler({ scheduledTime: '2026-03-02T03:07:00Z', executionId: 'run-1' })).resolves.toEqual({
      scheduledTime: '2026-03-02T03:07:00Z', executionId: 'run-1', stepsDone: ['collect-counters'],
    });
  });
});
