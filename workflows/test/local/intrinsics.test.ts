import fc from 'fast-check';
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

describe('SeededRandom.uuid', () => {
  /** The formatting it replaced (bytes, hex strings, slices): the same UUID for the same draws. */
  function uuidByBytes(random: SeededRandom): string {
    const bytes: number[] = [];
    for (let i = 0; i < 16; i++) bytes.push(Math.floor(random.next() * 256));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  test('GIVEN any seed WHEN UUIDs are drawn THEN they are the byte-by-byte formatting of the same draws, version 4', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 5 }), (seed, count) => {
      const fast = new SeededRandom(seed);
      const reference = new SeededRandom(seed);
      for (let i = 0; i < count; i++) {
        const uuid = fast.uuid();
        expect(uuid).toBe(uuidByBytes(reference));
        expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      }
      // The same number of draws: what follows (jitter, task tokens) is unchanged too.
      expect(fast.next()).toBe(reference.next());
    }), { numRuns: 500 });
  });
});
