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
