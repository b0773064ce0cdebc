import { evaluatePath, NOT_FOUND, parsePath, setAtPath } from '../../src/local/json-path';

describe('JSONPath (Jayway dialect used by Step Functions)', () => {
  const input = { a: { b: [10, 20, 30] }, 'odd key': 1, list: [{ x: 1 }, { x: 2 }] };

  test('a definite path yields the value, or NOT_FOUND when absent', () => {
    expect(evaluatePath('$.a.b[1]', { input })).toBe(20);
    expect(evaluatePath('$.a.b[-1]', { input })).toBe(30);
    expect(evaluatePath("$['odd key']", { input })).toBe(1);
    expect(evaluatePath('$.a.missing', { input })).toBe(NOT_FOUND);
    expect(evaluatePath('$.a.b[9]', { input })).toBe(NOT_FOUND);
  });

  test('an indefinite path always yields an array', () => {
    expect(evaluatePath('$.list[*].x', { input })).toEqual([1, 2]);
    expect(evaluatePath('$.list[*].nope', { input })).toEqual([]);
    expect(evaluatePath('$.list[?(@.x >= 2)]', { input })).toEqual([{ x: 2 }]);
    expect(evaluatePath("$.list[?(@.x == 1 || @.x == 2)].x", { input })).toEqual([1, 2]);
  });

  test('$$ reads the Context object and $name a variable', () => {
    expect(evaluatePath('$$.State.Name', { input, context: { State: { Name: 'S' } } })).toBe('S');
    expect(evaluatePath('$order.id', { input, variable: (n) => (n === 'order' ? { id: 7 } : NOT_FOUND) })).toBe(7);
    expect(evaluatePath('$unknown', { input, variable: () => NOT_FOUND })).toBe(NOT_FOUND);
  });

  test('parsing classifies reference paths', () => {
    expect(parsePath('$.a.b[0]').reference).toBe(true);
    expect(parsePath('$.a[*]').reference).toBe(false);
    expect(() => parsePath('a.b')).toThrow("Invalid JSONPath 'a.b': a path must start with '$'");
    expect(() => parsePath('$.a[')).toThrow("Invalid JSONPath '$.a[': missing ']'");
  });

  test('setAtPath copies the containers it changes and never mutates the input', () => {
    const original = { a: { keep: true }, other: { untouched: 1 } };
    const out = setAtPath(original, parsePath('$.a.result'), 5) as Record<string, Record<string, unknown>>;
    expect(out).toEqual({ a: { keep: true, result: 5 }, other: { untouched: 1 } });
    expect(original).toEqual({ a: { keep: true }, other: { untouched: 1 } });
    expect(out.other).toBe(original.other);
    expect(setAtPath({ a: 'text' }, parsePath('$.a.b'), 1)).toBe(NOT_FOUND);
    expect(setAtPath({}, parsePath('$.new.deep'), 1)).toEqual({ new: { deep: 1 } });
  });
});
