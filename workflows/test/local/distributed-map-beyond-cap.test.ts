import { runExecution, TaskContext } from '../../src/local';

/**
 * A Map Run takes any number of items and runs at most 10,000 children at once (Developer Guide:
 * "If you don't specify [MaxConcurrency], Step Functions runs 10,000 parallel child workflow
 * executions"; MapRunItemCounts.pending counts items whose child has not started yet). The
 * rollout planner relies on it: one wave per ring and dependency level, however large.
 */

const START = '2024-01-01T00:00:00.000Z';
const t = (iso: string) => (Date.parse(iso) - Date.parse(START)) / 1000;

test('GIVEN 10,050 items and the default quotas (10,000 children per Map Run, 100 starts/s) WHEN a Distributed Map without MaxConcurrency runs children that wait 1,000 s THEN all succeed, at most 10,000 run at once, and item 10,001 starts when the first child ends', async () => {
  const starts: number[] = [];
  const definition = {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Begin',
          States: {
            Begin: { Type: 'Task', Resource: 'arn:aws:states:::local:record', Parameters: { 'i.$': '$.i' }, ResultPath: null, Next: 'Hold' },
            Hold: { Type: 'Wait', Seconds: 1000, End: true },
          },
        },
        ResultSelector: { 'count.$': 'States.ArrayLength($)' },
        End: true,
      },
    },
  };
  const items = Array.from({ length: 10_050 }, (_, i) => ({ i }));
  const result = await runExecution(definition, { items }, {
    startTime: START, seed: 1,
    taskHandlers: { 'arn:aws:states:::local:record': (input: { i: number }, ctx: TaskContext) => { starts[input.i] = t(ctx.now().toISOString()); return input; } },
  });
  expect(result.status).toBe('SUCCEEDED');
  expect(result.output).toEqual({ count: 10_050 });
  expect(result.quotaStats).toMatchObject({ childStarts: 10_050, peakChildrenInFlight: 10_000 });
  // 100 starts a second: child 9,999 (0-based) starts at 99.99 s; child 10,000 waits for a slot.
  expect(starts[9_999]).toBeCloseTo(99.99, 6);
  expect(starts[10_000]).toBe(1000);
  expect(t(result.endTime)).toBeCloseTo(1000 + 49 * 0.01 + 1000, 6);
});
