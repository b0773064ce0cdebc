import fc from 'fast-check';
import { copyAsJson, jsonBytesBound, jsonRoundTrip, NOT_PLAIN } from '../../src/local/json-copy';
import { serializeChecked } from '../../src/local/task-invoker';
import { LocalStateMachine } from '../../src/local';

/**
 * A task's input and result are copied as a JSON round trip would copy them, in one walk that
 * also bounds the JSON size (task-invoker's serializeChecked); the exact size is measured only
 * near the 256 KiB quota. These properties hold the copy to JSON.parse(JSON.stringify(v)).
 */

const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v));
const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');

/** JSON values plus what JSON drops or nulls: undefined, NaN, Infinity, -0, functions. */
const loose = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue(),
    fc.constantFrom(undefined, NaN, Infinity, -0, () => 1, '\u0000\u001f"\\', '\ud800', 'é€𝄞'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('copyAsJson', () => {
  test('GIVEN any object of JSON values and what JSON drops WHEN copied THEN the copy is the JSON round trip and the bound is at least its UTF-8 size', () => {
    fc.assert(fc.property(fc.oneof(fc.array(loose), fc.dictionary(fc.string(), loose)), (v) => {
      const copy = copyAsJson(v);
      if (copy === NOT_PLAIN) {
        // The one plain-data case left to the round trip: a `__proto__` key (assigning it would set a prototype).
        expect(JSON.stringify(v)).toContain('"__proto__"');
        return;
      }
      expect(Object.is(JSON.stringify(copy.value), JSON.stringify(roundTrip(v)))).toBe(true);
      expect(copy.value).toEqual(roundTrip(v));
      expect(copy.bytesBound).toBeGreaterThanOrEqual(bytes(v));
      expect(jsonBytesBound(v)).toBeGreaterThanOrEqual(bytes(v));
    }), { numRuns: 1_000 });
  });

  test('GIVEN -0, NaN, holes and a jsonata sequence (an array with extra properties) WHEN copied THEN they read back as JSON gives them', () => {
    const sequence = Object.assign([1, 2], { sequence: true });
    // eslint-disable-next-line no-sparse-arrays
    const v = { z: -0, n: NaN, holes: [1, , 3], s: sequence, u: undefined, f: () => 1 };
    const copy = copyAsJson(v);
    expect(copy === NOT_PLAIN ? copy : JSON.stringify(copy.value)).toBe(JSON.stringify(roundTrip(v)));
    expect(copy === NOT_PLAIN ? copy : Object.is((copy.value as { z: number }).z, 0)).toBe(true);
  });

  test.each([
    ['a Date', { at: new Date(0) }],
    ['a class instance', { m: new Map() }],
    ['a toJSON', { v: { toJSON: () => 'x' } }],
    ['a BigInt', { b: BigInt(1) }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"x": 1}}')],
  ])('GIVEN %s WHEN copied THEN it is not plain data, and serializeChecked still gives the JSON round trip', (_what, v) => {
    expect(copyAsJson(v)).toBe(NOT_PLAIN);
    if (typeof (v as { b?: unknown }).b === 'bigint') expect(() => serializeChecked(v, 'S', 'input')).toThrow(TypeError);
    else expect(JSON.stringify(serializeChecked(v, 'S', 'input'))).toBe(JSON.stringify(roundTrip(v)));
  });

  test('GIVEN a value nested 1,001 levels deep or a cycle WHEN copied THEN it is not plain data, and serializeChecked reports the depth', () => {
    let deep: unknown = {};
    for (let i = 0; i < 1_000; i++) deep = { d: deep };
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const v of [deep, cyclic]) {
      expect(copyAsJson(v)).toBe(NOT_PLAIN);
      expect(() => serializeChecked(v, 'S', 'input')).toThrow(/nests more than 1000 levels deep/);
    }
  });

  test('GIVEN payloads around the 262,144-byte quota WHEN checked THEN the exact UTF-8 size decides, as AWS counts it', () => {
    const sized = (n: number) => ({ s: 'x'.repeat(n - 8) }); // {"s":"..."} is n bytes
    expect(bytes(sized(262_144))).toBe(262_144);
    expect(serializeChecked(sized(262_144), 'S', 'input')).toEqual(sized(262_144));
    expect(() => serializeChecked(sized(262_145), 'S', 'input')).toThrow("The input of state 'S' is 262145 bytes, larger than the 262144-byte quota");
    // Three bytes per character: over the quota by bytes while under it by characters.
    const wide = { s: '€'.repeat(90_000) };
    expect(() => serializeChecked(wide, 'S', 'result', 'arn:aws:states:::lambda:invoke')).toThrow('exceeding the maximum number of bytes service limit');
  });
});

describe('jsonRoundTrip', () => {
  // The execution's input and output, and mocked responses, go through it instead of JSON.parse(JSON.stringify(v)).
  test('GIVEN any value WHEN copied THEN an object is what JSON.parse(JSON.stringify(v)) gives, a scalar itself, undefined null', () => {
    fc.assert(fc.property(fc.oneof(loose, fc.array(loose), fc.dictionary(fc.string(), loose)), (v) => {
      const copy = jsonRoundTrip(v);
      if (typeof v !== 'object' || v === null) {
        // Scalars are handed on as they are, undefined as null (as the runtime's JSON copy always did).
        expect(Object.is(copy, v === undefined ? null : v)).toBe(true);
        return;
      }
      const expected = roundTrip(v);
      expect(JSON.stringify(copy)).toBe(JSON.stringify(expected));
      expect(copy).toEqual(expected);
      expect(copy).not.toBe(v);
    }), { numRuns: 1_000 });
  });

  test.each([
    ['a Date', { at: new Date(0) }],
    ['a toJSON', { v: { toJSON: () => 'x' } }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"x": 1}}')],
    ['a class instance', { m: new Map([[1, 2]]) }],
  ])('GIVEN %s WHEN copied THEN JSON itself decides', (_what, v) => {
    expect(JSON.stringify(jsonRoundTrip(v))).toBe(JSON.stringify(roundTrip(v)));
  });

  test('GIVEN a BigInt WHEN copied THEN it throws as JSON.stringify does', () => {
    expect(() => jsonRoundTrip({ b: BigInt(1) })).toThrow(TypeError);
  });
});

describe('an execution\'s input and output', () => {
  // Plain data within the quota is copied and checked in one walk; the rest takes the general path.
  const passThrough = LocalStateMachine.compile({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

  test('GIVEN any object of JSON values and what JSON drops WHEN it is the input of a Pass-only execution THEN the output is its JSON round trip', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(fc.array(loose), fc.dictionary(fc.string(), loose)), async (v) => {
      const result = await passThrough.run(v);
      expect(result.status).toBe('SUCCEEDED');
      expect(JSON.stringify(result.output)).toBe(JSON.stringify(roundTrip(v)));
    }), { numRuns: 300 });
  });

  test('GIVEN an input over the quota, or one with a Date WHEN run THEN the general path decides, as before', async () => {
    const tooLarge = await passThrough.run({ s: 'x'.repeat(262_144) });
    expect(tooLarge.status).toBe('FAILED');
    expect(tooLarge.error).toBe('States.DataLimitExceeded');
    const dated = await passThrough.run({ at: new Date(0) });
    expect(dated.output).toEqual({ at: '1970-01-01T00:00:00.000Z' });
  });
});
