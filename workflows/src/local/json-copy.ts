/**
 * What crosses a service boundary in AWS is serialized: a task gets a copy of its input and the
 * state machine a copy of the task's result, within the 256 KiB payload quota. Serializing and
 * parsing each payload (JSON.stringify + JSON.parse) did that exactly but cost a string and a
 * parse per task; `copyAsJson` makes the same copy in one walk and an upper bound of the UTF-8
 * size of its JSON text on the way, so the exact size is computed only when the bound comes near
 * the quota.
 *
 * It answers only for plain JSON data (plain objects, arrays, strings, numbers, booleans, null,
 * and what JSON drops or nulls: undefined, functions, symbols, non-finite numbers), at most
 * MAX_NESTING_DEPTH levels deep. Anything else (a Date or other toJSON, a class instance, a
 * BigInt, a cycle, a `__proto__` key) is NOT_PLAIN, and the caller does the JSON round trip.
 */
import { MAX_NESTING_DEPTH } from './limits';

/** "Not plain JSON data: use the JSON round trip." */
export const NOT_PLAIN: unique symbol = Symbol('not plain JSON data');

/** Upper bounds, in UTF-8 bytes of JSON text: a UTF-16 unit is at most 3 bytes, or 6 when escaped (\u001f). */
const BYTES_PER_CHAR = 6;
/** The longest JSON text of a finite number (-1.7976931348623157e+308 is 24 characters). */
const NUMBER_BYTES = 24;

export interface JsonCopy {
  readonly value: unknown;
  /** At least the UTF-8 byte length of JSON.stringify(value). */
  readonly bytesBound: number;
}

/** The copy a JSON round trip of `value` gives, or NOT_PLAIN; `value` must not be undefined at the top (JSON has no text for it). */
export function copyAsJson(value: unknown): JsonCopy | typeof NOT_PLAIN {
  const size = { bytes: 0 };
  const copy = walk(value, 0, size, true);
  if (copy === NOT_PLAIN || copy === DROPPED) return NOT_PLAIN;
  return { value: copy, bytesBound: size.bytes };
}

/** An upper bound of the UTF-8 size of JSON.stringify(value), or NOT_PLAIN (then measure the text). */
export function jsonBytesBound(value: unknown): number | typeof NOT_PLAIN {
  const size = { bytes: 0 };
  const r = walk(value, 0, size, false);
  return r === NOT_PLAIN || r === DROPPED ? NOT_PLAIN : size.bytes;
}

/**
 * JSON.parse(JSON.stringify(value)) for any value (undefined gives null, as Step Functions
 * hands on no output as null): plain data in one walk, without the text; the rest through
 * the text itself, so a Date, a toJSON or a BigInt behave exactly as JSON treats them.
 */
export function jsonRoundTrip(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  const copy = walk(value, 0, { bytes: 0 }, true);
  if (copy !== NOT_PLAIN && copy !== DROPPED) return copy;
  return JSON.parse(JSON.stringify(value));
}

/** A value JSON leaves out of an object (undefined, a function, a symbol): null in an array. */
const DROPPED: unique symbol = Symbol('dropped by JSON');

/**
 * One walk for both uses: adds the size bound of `value` to `size` and, when `copying`, returns
 * the copy a JSON round trip gives (undefined when only measuring). NOT_PLAIN: not plain data;
 * DROPPED: a value JSON leaves out.
 */
function walk(value: unknown, depth: number, size: { bytes: number }, copying: boolean): unknown {
  switch (typeof value) {
    case 'string':
      size.bytes += value.length * BYTES_PER_CHAR + 2;
      return value;
    case 'number':
      size.bytes += NUMBER_BYTES;
      // JSON has no -0 (it reads back as 0) and no NaN or Infinity (null).
      return value === 0 ? 0 : Number.isFinite(value) ? value : null;
    case 'boolean':
      size.bytes += 5;
      return value;
    case 'undefined':
    case 'function':
    case 'symbol':
      size.bytes += 4;
      return DROPPED;
    case 'bigint':
      return NOT_PLAIN;
  }
  if (value === null) {
    size.bytes += 4;
    return null;
  }
  if (depth >= MAX_NESTING_DEPTH) return NOT_PLAIN;
  if (Array.isArray(value)) {
    if ((value as { toJSON?: unknown }).toJSON !== undefined) return NOT_PLAIN;
    const out: unknown[] | undefined = copying ? new Array(value.length) : undefined;
    size.bytes += 2 + value.length;
    for (let i = 0; i < value.length; i++) {
      const c = walk(value[i], depth + 1, size, copying);
      if (c === NOT_PLAIN) return NOT_PLAIN;
      if (out) out[i] = c === DROPPED ? null : c;
    }
    return out;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const source = value as Record<string, unknown>;
  if (typeof source.toJSON === 'function') return NOT_PLAIN;
  const out: Record<string, unknown> | undefined = copying ? {} : undefined;
  size.bytes += 2;
  for (const key of Object.keys(source)) {
    // Assigning a `__proto__` key would set the copy's prototype; measuring it is harmless.
    if (out && key === '__proto__') return NOT_PLAIN;
    const c = walk(source[key], depth + 1, size, copying);
    if (c === NOT_PLAIN) return NOT_PLAIN;
    if (c === DROPPED) continue;
    size.bytes += key.length * BYTES_PER_CHAR + 4;
    if (out) out[key] = c;
  }
  return out;
}
