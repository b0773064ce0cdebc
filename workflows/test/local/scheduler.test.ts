import { LocalRuntimeConfigError, runExecution, TaskContext } from '../../src/local';

/**
 * The scheduler (frames resume in virtual-time order), Step Functions' quotas in virtual time,
 * and stopAtVirtualTime. Every figure below is exact: the runtime never sleeps.
 */

const START = '2024-01-01T00:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000).toISOString();
const t = (iso: string) => (Date.parse(iso) - Date.parse(START)) / 1000;

/** A handler that records who called it at which virtual second. */
function recorder() {
  const calls: string[] = [];
  const handler = (input: { who: string }, ctx: TaskContext) => {
    calls.push(`${input.who}@${t(ctx.now().toISOString())}`);
    return input;
  };
  return { calls, handler };
}

const record = (who: string, next?: string) => ({
  Type: 'Task', Resource: 'arn:aws:states:::local:record', Parameters: { who }, ResultPath: null, ...(next ? { Next: next } : { End: true }),
});
const wait = (seconds: number, next: string) => ({ Type: 'Wait', Seconds: seconds, Next: next });

/** A Distributed Map over `items` whose child records its start, waits `$.seconds` and records its end. */
function distributedMap(extra: Record<string, unknown> = {}, executionType = 'STANDARD') {
  return {
    StartAt: 'Fan',
    States: {
      Fan: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType },
          StartAt: 'Begin',
          States: {
            Begin: { Type: 'Task', Resource: 'arn:aws:states:::local:record', Parameters: { 'who.$': "States.Format('{}+', $.id)" }, ResultPath: null, Next: 'Hold' },
            Hold: { Type: 'Wait', SecondsPath: '$.seconds', Next: 'End' },
            End: { Type: 'Task', Resource: 'arn:aws:states:::local:record', Parameters: { 'who.$': "States.Format('{}-', $.id)" }, End: true },
          },
        },
        End: true,
        ...extra,
      },
    },
  };
}
const items = (...seconds: number[]) => ({ items: seconds.map((s, i) => ({ id: `c${i}`, seconds: s })) });
const FAST_STARTS = { distributedMapChildStartsPerSecond: { standard: Infinity, express: Infinity } };

describe('the scheduler runs frames in virtual-time order', () => {
  test('GIVEN two Parallel branches whose Waits interleave WHEN they call a shared handler THEN it sees the calls in virtual-time order (ties: the frame that parked first)', async () => {
    const { calls, handler } = recorder();
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'A wait', States: { 'A wait': wait(100, 'A'), A: record('A@end') } },
            { StartAt: 'B0', States: { B0: record('B', 'B wait 1'), 'B wait 1': wait(50, 'B1'), B1: record('B', 'B wait 2'), 'B wait 2': wait(50, 'B2'), B2: record('B') } },
          ],
        },
      },
    };
    const result = await runExecution(definition, {}, { startTime: START, seed: 1, taskHandlers: { 'arn:aws:states:::local:record': handler } });
    expect(result.status).toBe('SUCCEEDED');
    expect(calls).toEqual(['B@0', 'B@50', 'A@end@100', 'B@100']);
    expect(result.endTime).toBe(at(100));
  });

  test('GIVEN a Map with 2 slots and items of unequal length WHEN a slot is free earlier THEN it takes the next item first', async () => {
    const { calls, handler } = recorder();
    const result = await runExecution(distributedMap({ MaxConcurrency: 2 }), items(100, 10, 10, 10, 500), {
      startTime: START, seed: 1, taskHandlers: { 'arn:aws:states:::local:record': handler }, quotas: FAST_STARTS,
    });
    expect(result.status).toBe('SUCCEEDED');
    // c0 holds one slot 100 s; the other slot runs c1, c2, c3 back to back, and c4 goes to the slot free first (at 30 s).
    expect(calls).toEqual(['c0+@0', 'c1+@0', 'c1-@10', 'c2+@10', 'c2-@20', 'c3+@20', 'c3-@30', 'c4+@30', 'c0-@100', 'c4-@530']);
    expect(result.endTime).toBe(at(530));
  });

  test('GIVEN a handler doing real asynchronous I/O WHEN another branch is later in virtual time THEN virtual time waits for the I/O', async () => {
    const { calls, handler } = recorder();
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'IO', States: { IO: { Type: 'Task', Resource: 'arn:aws:states:::local:io', ResultPath: null, Next: 'A' }, A: record('A') } },
            { StartAt: 'B wait', States: { 'B wait': wait(1, 'B'), B: record('B') } },
          ],
        },
      },
    };
    const io = () => new Promise((resolve) => setTimeout(() => resolve('read'), 20));
    const result = await runExecution(definition, {}, { startTime: START, seed: 1, taskHandlers: { 'arn:aws:states:::local:record': handler, 'arn:aws:states:::local:io': io } });
    expect(result.status).toBe('SUCCEEDED');
    expect(calls).toEqual(['A@0', 'B@1']);
  });

  test('GIVEN jittered retries in concurrent children WHEN run twice with one seed THEN both runs are identical', async () => {
    const definition = {
      StartAt: 'Fan',
      States: {
        Fan: {
          Type: 'Map', MaxConcurrency: 3, End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
            StartAt: 'Flaky',
            States: {
              Flaky: {
                Type: 'Task', Resource: 'arn:aws:states:::local:flaky', End: true,
                Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 5, JitterStrategy: 'FULL' }],
              },
            },
          },
        },
      },
    };
    const once = async () => {
      const calls: string[] = [];
      let n = 0;
      const flaky = (input: { id: number }, ctx: TaskContext) => {
        calls.push(`${input.id}@${t(ctx.now().toISOString())}`);
        if (n++ % 3 !== 2) throw Object.assign(new Error('busy'), { name: 'Busy' });
        return input.id;
      };
      const result = await runExecution(definition, Array.from({ length: 8 }, (_, id) => ({ id })), {
        startTime: START, seed: 42, taskHandlers: { 'arn:aws:states:::local:flaky': flaky },
      });
      return { calls, output: result.output, endTime: result.endTime };
    };
    const first = await once();
    expect(await once()).toEqual(first);
    // The shared handler saw its calls in virtual-time order.
    const times = first.calls.map((c) => Number(c.split('@')[1]));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  test('GIVEN a task whose sleep crosses its TimeoutSeconds WHEN it runs THEN it fails at the timeout and the abandoned handler calls nothing after its sleep', async () => {
    const { calls, handler } = recorder();
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel', End: true,
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Caught' }],
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: 'arn:aws:states:::local:slow', TimeoutSeconds: 10, End: true } } },
            { StartAt: 'B wait', States: { 'B wait': wait(5, 'B'), B: record('B') } },
          ],
        },
        Caught: { Type: 'Pass', End: true },
      },
    };
    const slow = async (_: unknown, ctx: TaskContext) => {
      await ctx.sleep(100);
      calls.push('slow handler went on');
    };
    const result = await runExecution(definition, {}, { startTime: START, seed: 1, taskHandlers: { 'arn:aws:states:::local:record': handler, 'arn:aws:states:::local:slow': slow } });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.trace.find((e) => e.stateName === 'Slow')).toMatchObject({ status: 'FAILED', error: 'States.Timeout', exitedTime: at(10) });
    expect(calls).toEqual(['B@5']);
    expect(result.endTime).toBe(at(10));
  });
});

describe('Step Functions quotas in virtual time', () => {
  const passes = (n: number) => ({
    StartAt: 'P0',
    States: Object.fromEntries(Array.from({ length: n }, (_, i) => [`P${i}`, i === n - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `P${i + 1}` }])),
  });

  test('GIVEN a state-transition bucket of 2 refilled at 1 per second WHEN 5 states run THEN the 3rd, 4th and 5th wait for their tokens (delayed, not failed)', async () => {
    const result = await runExecution(passes(5), {}, { startTime: START, seed: 1, quotas: { stateTransitions: { bucket: 2, refillPerSecond: 1 } } });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.trace.map((e) => t(e.enteredTime))).toEqual([0, 0, 1, 2, 3]);
    expect(result.endTime).toBe(at(3));
    expect(result.quotaStats).toMatchObject({ stateTransitions: 5, transitionsThrottled: 3, transitionDelaySeconds: 3 });
  });

  test('GIVEN the bucket refilled during a Wait WHEN states follow THEN they run at once, up to the bucket size', async () => {
    const definition = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'Hold' }, Hold: wait(60, 'C'), C: { Type: 'Pass', Next: 'D' }, D: { Type: 'Pass', Next: 'E' }, E: { Type: 'Pass', End: true } } };
    const result = await runExecution(definition, {}, { startTime: START, seed: 1, quotas: { stateTransitions: { bucket: 2, refillPerSecond: 1 } } });
    // A, B take the bucket; Hold waits 1 s for a token; after the Wait the bucket is full again (2): C, D at once, E one second later.
    expect(result.trace.map((e) => `${e.stateName}@${t(e.enteredTime)}`)).toEqual(['A@0', 'B@0', 'Hold@1', 'C@61', 'D@61', 'E@62']);
  });

  test('GIVEN one bucket for the whole execution tree WHEN Distributed Map children run THEN their transitions draw from the parent\'s bucket', async () => {
    const { handler } = recorder();
    const result = await runExecution(distributedMap(), items(0, 0), {
      startTime: START, seed: 1, taskHandlers: { 'arn:aws:states:::local:record': handler },
      quotas: { ...FAST_STARTS, stateTransitions: { bucket: 4, refillPerSecond: 2 } },
    });
    expect(result.status).toBe('SUCCEEDED');
    // Fan + 2 children x 3 states = 7 transitions; 4 at once, then one every 0.5 s.
    expect(result.quotaStats).toMatchObject({ stateTransitions: 7, transitionsThrottled: 3 });
    expect(result.endTime).toBe(at(1.5));
  });

  test('GIVEN a child start rate of 2 per second WHEN a Map Run starts 5 Standard children THEN they start 0.5 s apart, the first at once', async () => {
    const { calls, handler } = recorder();
    const result = await runExecution(distributedMap(), items(0, 0, 0, 0, 0), {
      startTime: START, seed: 1, taskHandlers: { 'arn:aws:states:::local:record': handler }, quotas: { distributedMapChildStartsPerSecond: { standard: 2 } },
    });
    expect(calls.filter((c) => c.includes('+'))).toEqual(['c0+@0', 'c1+@0.5', 'c2+@1', 'c3+@1.5', 'c4+@2']);
    expect(result.quotaStats).toMatchObject({ childStarts: 5, childStartDelaySeconds: 5 });
  });

  test('GIVEN Express children WHEN the Map Run starts them THEN the Express rate applies', async () => {
    const { calls, handler } = recorder();
    await runExecution(distributedMap({}, 'EXPRESS'), items(0, 0, 0), {
      startTime: START, seed: 1, taskHandlers: { 'arn:aws:states:::local:record': handler }, quotas: { distributedMapChildStartsPerSecond: { standard: 1, express: 4 } },
    });
    expect(calls.filter((c) => c.includes('+'))).toEqual(['c0+@0', 'c1+@0.25', 'c2+@0.5']);
  });

  test('GIVEN the default quotas WHEN a Map Run starts 3 Standard children THEN they start 10 ms apart (100 per second)', async () => {
    const { calls, handler } = recorder();
    const result = await runExecution(distributedMap(), items(0, 0, 0), { startTime: START, seed: 1, taskHandlers: { 'arn:aws:states:::local:record': handler } });
    expect(calls.filter((c) => c.includes('+'))).toEqual(['c0+@0', 'c1+@0.01', 'c2+@0.02']);
    expect(result.quotaStats?.transitionsThrottled).toBe(0);
  });

  test('GIVEN maxDistributedMapConcurrency 2 WHEN a Map without MaxConcurrency runs 5 children THEN at most 2 run at once', async () => {
    const { calls, handler } = recorder();
    const result = await runExecution(distributedMap(), items(10, 10, 10, 10, 10), {
      startTime: START, seed: 1, taskHandlers: { 'arn:aws:states:::local:record': handler }, quotas: { ...FAST_STARTS, maxDistributedMapConcurrency: 2 },
    });
    expect(calls.filter((c) => c.includes('+'))).toEqual(['c0+@0', 'c1+@0', 'c2+@10', 'c3+@10', 'c4+@20']);
    expect(result.quotaStats).toMatchObject({ peakChildrenInFlight: 2, childStarts: 5 });
    expect(result.endTime).toBe(at(30));
  });

  test('GIVEN bad quota values WHEN the execution is started THEN every problem is reported at once', async () => {
    const run = runExecution(passes(1), {}, { quotas: { stateTransitions: { bucket: 0, refillPerSecond: -1 }, maxDistributedMapConcurrency: 2.5 } });
    await expect(run).rejects.toThrow(LocalRuntimeConfigError);
    await expect(run).rejects.toThrow(
      'Option quotas is invalid:\n' +
      '  - quotas.stateTransitions.bucket: must be a positive integer (or Infinity), got 0\n' +
      '  - quotas.stateTransitions.refillPerSecond: must be a positive number (or Infinity), got -1\n' +
      '  - quotas.maxDistributedMapConcurrency: must be a positive integer (or Infinity), got 2.5\n' +
      "Fix: pass positive numbers, or leave a quota out for AWS's default.",
    );
  });

  test('GIVEN a Region outside us-east-1, us-west-2 and eu-west-1 WHEN no bucket is given THEN the smaller default bucket (800, 800 per second) applies', async () => {
    const result = await runExecution(passes(802), {}, { startTime: START, seed: 1, region: 'ap-south-1' });
    expect(result.quotaStats).toMatchObject({ stateTransitions: 802, transitionsThrottled: 2 });
    expect(result.endTime).toBe(at(2 / 800));
  });
});

describe('stopAtVirtualTime', () => {
  test('GIVEN a Wait past the stop time WHEN the execution runs THEN it ends ABORTED at the stop time, and the state after the Wait never runs', async () => {
    const { calls, handler } = recorder();
    const definition = { StartAt: 'Hold', States: { Hold: wait(100, 'Later'), Later: record('later') } };
    const result = await runExecution(definition, {}, { startTime: START, seed: 1, stopAtVirtualTime: at(50), taskHandlers: { 'arn:aws:states:::local:record': handler } });
    expect(result.status).toBe('ABORTED');
    expect(result.endTime).toBe(at(50));
    expect(calls).toEqual([]);
    expect(result.trace.map((e) => [e.stateName, e.status, e.exitedTime])).toEqual([['Hold', 'ABORTED', at(50)]]);
    expect(result.history.at(-1)?.type).toBe('ExecutionAborted');
  });

  test('GIVEN a Distributed Map mid-run WHEN the stop time comes THEN children started before it ran up to it, and none starts after', async () => {
    const { calls, handler } = recorder();
    const result = await runExecution(distributedMap({ MaxConcurrency: 2 }), items(10, 10, 10, 10, 10), {
      startTime: START, seed: 1, stopAtVirtualTime: at(15), quotas: FAST_STARTS, taskHandlers: { 'arn:aws:states:::local:record': handler },
    });
    expect(result.status).toBe('ABORTED');
    expect(result.endTime).toBe(at(15));
    expect(calls).toEqual(['c0+@0', 'c1+@0', 'c0-@10', 'c1-@10', 'c2+@10', 'c3+@10']);
  });

  test('GIVEN an execution that ends before the stop time WHEN it runs THEN it succeeds as usual', async () => {
    const result = await runExecution({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 10, End: true } } }, {}, { startTime: START, stopAtVirtualTime: new Date(at(50)) });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.endTime).toBe(at(10));
  });

  test('GIVEN a stop time that is not a date WHEN the execution is started THEN it is refused with the value and the fix', async () => {
    await expect(runExecution(passes1(), {}, { stopAtVirtualTime: 'soon' })).rejects.toThrow(
      "Option stopAtVirtualTime: not a valid date, got 'soon'. Fix: pass a Date or an ISO-8601 timestamp.",
    );
  });
});

function passes1() {
  return { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
}
