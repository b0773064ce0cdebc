import { IntrinsicFailureError, RuntimeError } from '../../src/local';
import { evaluateIntrinsic, parseIntrinsic } from '../../src/local/intrinsics';
import { SeededRandom } from '../../src/local/random';

const run = (source: string, input: unknown = {}, seed = 1) =>
  evaluateIntrinsic(parseIntrinsic(source), { input, random: new SeededRandom(seed) });

describe('intrinsic functions', () => {
  test('string literals take escaped quotes and braces', () => {
    expect(run("States.Format('It\\'s {}', $.x)", { x: 'ok' })).toBe("It's ok");
  });

  test('States.Format needs exactly one argument per placeholder', () => {
    expect(() => run("States.Format('{} {}', $.x)", { x: 1 })).toThrow(
      new IntrinsicFailureError("Invalid arguments in States.Format: the template has more {} placeholders than arguments (in 'States.Format('{} {}', $.x)')"),
    );
  });

  test('unknown functions and wrong argument counts are syntax errors', () => {
    expect(() => parseIntrinsic('States.Nope()')).toThrow("Invalid intrinsic function 'States.Nope()': unknown function 'States.Nope'");
    expect(() => parseIntrinsic('States.ArrayLength($.a, $.b)')).toThrow('States.ArrayLength takes 1 arguments, got 2');
  });

  test('a path argument that matches nothing is a States.Runtime error', () => {
    expect(() => run('States.ArrayLength($.missing)')).toThrow(RuntimeError);
  });

  test('States.ArrayRange is inclusive and limited to 1000 items', () => {
    expect(run('States.ArrayRange(10, 0, -5)')).toEqual([10, 5, 0]);
    expect(() => run('States.ArrayRange(0, 5000, 1)')).toThrow('the range has more than 1000 items');
  });

  test('States.MathRandom is reproducible from the seed option and from its own seed argument', () => {
    expect(run('States.MathRandom(1, 100)', {}, 7)).toBe(run('States.MathRandom(1, 100)', {}, 7));
    expect(run('States.MathRandom(1, 100, 3)', {}, 1)).toBe(run('States.MathRandom(1, 100, 3)', {}, 2));
  });

  test('States.Base64Decode rejects text that is not base64', () => {
    expect(() => run("States.Base64Decode('***')")).toThrow("'***' is not valid base64");
  });
});
