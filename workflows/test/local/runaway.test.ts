/**
 * A runaway execution stops as soon as its outcome is decided: once the transition cap fails
 * it, no Map iteration or state starts any more, and no Catch keeps it going.
 */
import { LocalStateMachine } from '../../src/local';

const pass = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
/** A Map over $.c whose every iteration gets the whole execution input's c again. */
const mapOver = (name: string, processor: object, extra: object = {}) => ({
  StartAt: name,
  States: { [name]: { Type: 'Map', ItemsPath: '$.c', ItemSelector: { 'c.$': '$$.Execution.Input.c' }, ItemProcessor: processor, End: true, ...extra } },
});
const items = (n: number) => ({ c: Array.from({ length: n }, (_, i) => i) });
const CAP = 1_000;
const CAP_CAUSE = `The execution exceeded ${CAP} state transitions (maxStateTransitions); is there an endless loop through 'M3'?`;

describe('GIVEN a Map in a Map in a Map over 200 items each (8 million Pass states)', () => {
  const definition = mapOver('M1', mapOver('M2', mapOver('M3', pass)));

  test('WHEN it runs THEN the transition cap fails it, and no iteration starts after the cap', async () => {
    const r = await LocalStateMachine.compile(definition).run(items(200), { maxStateTransitions: CAP, traceData: false });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: CAP_CAUSE });
    expect(r.trace.length).toBeLessThanOrEqual(CAP);
    // Every started iteration runs at least its first state, so iterations stay within the cap
    // (before the fix each Map entered after the cap still started all its 200 iterations).
    const started = r.history.filter((e) => e.type === 'MapIterationStarted').length;
    expect(started).toBeLessThanOrEqual(CAP);
  }, 60_000);

  test('WHEN a Catch of States.ALL wraps the Maps THEN the cap still fails the execution', async () => {
    const caught = mapOver('M1', mapOver('M2', mapOver('M3', pass)), {
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Again' }],
      End: undefined,
      Next: 'Done',
    });
    const def = { ...caught, States: { ...caught.States, Again: { Type: 'Pass', Next: 'M1b' }, M1b: { Type: 'Pass', Next: 'Done' }, Done: { Type: 'Succeed' } } };
    const r = await LocalStateMachine.compile(def).run(items(200), { maxStateTransitions: CAP, traceData: false });
    expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: CAP_CAUSE });
    expect(r.trace.some((e) => e.stateName === 'Again')).toBe(false);
  }, 60_000);
});

describe('GIVEN a Distributed Map whose children are executions of their own', () => {
  const distributed = (child: object) => ({
    StartAt: 'Wave',
    States: {
      Wave: {
        Type: 'Map',
        ItemsPath: '$.c',
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...child },
        MaxConcurrency: 50,
        End: true,
      },
    },
  });

  test('WHEN 300 children of 2 states each run under a cap of 100 THEN it succeeds: each child counts its own transitions (its own history), not the parent\'s', async () => {
    const def = distributed({ StartAt: 'One', States: { One: { Type: 'Pass', Next: 'Two' }, Two: { Type: 'Pass', End: true } } });
    const r = await LocalStateMachine.compile(def).run(items(300), { maxStateTransitions: 100, traceData: false });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toHaveLength(300);
  });

  test('WHEN one child loops forever THEN that child exceeds the cap and the Map fails, the cause naming the loop', async () => {
    const def = distributed({ StartAt: 'Loop', States: { Loop: { Type: 'Pass', Next: 'Loop' } } });
    const r = await LocalStateMachine.compile(def).run(items(1), { maxStateTransitions: 100, traceData: false });
    expect(r.status).toBe('FAILED');
    expect(JSON.stringify(r.cause)).toContain("The execution exceeded 100 state transitions (maxStateTransitions); is there an endless loop through 'Loop'?");
  });
});
