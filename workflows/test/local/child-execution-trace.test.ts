import { runExecution } from '../../src/local';

/** A Distributed Map of three two-state children, the second child retrying once. */
const DEFINITION = {
  StartAt: 'Each',
  States: {
    Each: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Work',
        States: {
          Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'work', 'Payload': { 'n.$': '$' } }, Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, MaxAttempts: 2 }], Next: 'Done' },
          Done: { Type: 'Pass', End: true },
        },
      },
      End: true,
    },
  },
};

describe('Distributed Map child executions in the trace', () => {
  const attempts = new Map<number, number>();
  const taskHandlers = {
    Work: (input: unknown) => {
      const n = (input as { n: number }).n;
      attempts.set(n, (attempts.get(n) ?? 0) + 1);
      if (n === 2 && attempts.get(n) === 1) throw Object.assign(new Error('try again'), { name: 'Flaky' });
      return n;
    },
  };

  beforeEach(() => attempts.clear());

  test('GIVEN the default WHEN a Distributed Map runs THEN its children are not in the trace (each is an execution of its own in AWS)', async () => {
    const result = await runExecution(DEFINITION, { items: [1, 2, 3] }, { taskHandlers, seed: 1 });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.trace.map((t) => t.stateName)).toEqual(['Each']);
  });

  test('GIVEN onStateExited WHEN the children run untraced THEN every child state is reported as it ends, with its retries', async () => {
    const exited: string[] = [];
    const result = await runExecution(DEFINITION, { items: [1, 2, 3] }, {
      taskHandlers, seed: 1,
      onStateExited: (s) => exited.push(`${s.stateName} ${s.status} retries=${s.retryCount}`),
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(exited.sort()).toEqual([
      'Done SUCCEEDED retries=0', 'Done SUCCEEDED retries=0', 'Done SUCCEEDED retries=0',
      'Each SUCCEEDED retries=0',
      'Work SUCCEEDED retries=0', 'Work SUCCEEDED retries=0', 'Work SUCCEEDED retries=1',
    ]);
  });

  test('GIVEN traceChildExecutions WHEN a Distributed Map runs THEN the children\'s states are traced too', async () => {
    const result = await runExecution(DEFINITION, { items: [1, 2, 3] }, { taskHandlers, seed: 1, traceChildExecutions: true });
    expect(result.trace.filter((t) => t.stateName === 'Work')).toHaveLength(3);
  });
});
