import { errorMatches, StatesError } from '../../src/local';
import { toStatesError } from '../../src/local/errors';

describe('error matching in Retry and Catch', () => {
  test.each([
    [['States.ALL'], 'CustomError', true],
    [['States.ALL'], 'States.TaskFailed', true],
    [['States.ALL'], 'States.Runtime', false],
    // Recorded against AWS: States.ALL catches a Task result over the quota.
    [['States.ALL'], 'States.DataLimitExceeded', true],
    [['States.DataLimitExceeded'], 'States.DataLimitExceeded', true],
    [['States.Runtime'], 'States.Runtime', false],
    [['States.Timeout'], 'States.HeartbeatTimeout', true],
    [['States.HeartbeatTimeout'], 'States.Timeout', false],
    [['ErrorA', 'ErrorB'], 'ErrorB', true],
    [['errora'], 'ErrorA', false],
  ])('ErrorEquals %j matches %s: %s', (errorEquals, error, expected) => {
    expect(errorMatches(errorEquals, error)).toBe(expected);
  });

  test('a thrown Error keeps its name as the error and its message as the cause', () => {
    const e = new Error('card declined');
    e.name = 'PaymentFailed';
    expect(toStatesError(e).toErrorOutput()).toEqual({ Error: 'PaymentFailed', Cause: 'card declined' });
    expect(toStatesError({ Error: 'X', Cause: { detail: 1 } }).toErrorOutput()).toEqual({ Error: 'X', Cause: '{"detail":1}' });
    expect(toStatesError(new StatesError('Exact', 'cause'))).toEqual(new StatesError('Exact', 'cause'));
  });
});

describe("a Lambda handler's error as Step Functions reports it", () => {
  const { lambdaError } = jest.requireActual('../../src/local/task-invoker') as typeof import('../../src/local/task-invoker');

  function throwsFromHandler(): Error {
    try {
      (function reserveStock() {
        throw Object.assign(new Error('stock service busy'), { name: 'StockServiceBusy' });
      })();
    } catch (e) {
      return e as Error;
    }
    throw new Error('unreachable');
  }

  test('GIVEN a handler that throws WHEN converted THEN the error is its name and the cause has errorMessage, errorType and the trace lines; the error keeps a string stack', () => {
    const thrown = throwsFromHandler();
    const err = lambdaError(thrown);
    expect(err.error).toBe('StockServiceBusy');
    const cause = JSON.parse(err.cause) as { errorMessage: string; errorType: string; trace: string[] };
    expect({ errorMessage: cause.errorMessage, errorType: cause.errorType }).toEqual({ errorMessage: 'stock service busy', errorType: 'StockServiceBusy' });
    expect(cause.trace[0]).toMatch(/^at reserveStock \(.*errors\.test\.ts:\d+:\d+\)$/);
    expect(cause.trace.every((line) => line.startsWith('at '))).toBe(true);
    expect(typeof thrown.stack).toBe('string');
    expect(thrown.stack!.split('\n')[0]).toBe('StockServiceBusy: stock service busy');
  });

  test('GIVEN an error whose stack was read before it reached the runtime WHEN converted THEN the trace is that stack\'s lines', () => {
    const thrown = throwsFromHandler();
    const read = thrown.stack!;
    const cause = JSON.parse(lambdaError(thrown).cause) as { trace: string[] };
    expect(cause.trace).toEqual(read.split('\n').slice(1).map((l) => l.trim()));
  });
});
