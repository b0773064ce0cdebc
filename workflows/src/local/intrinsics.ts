/**
 * Intrinsic functions for JSONPath states (`"field.$": "States.Format('{}', $.name)"`).
 * Source: Developer Guide, "Intrinsic functions for JSONPath states in Step Functions".
 */
import { createHash } from 'crypto';
import { IntrinsicFailureError, RuntimeError } from './errors';
import { deepEqual, evaluatePath, NOT_FOUND, parsePath, ParsedPath, PathRoots } from './json-path';
import { MAX_NESTING_DEPTH, nestsDeeperThan } from './limits';
import { randomFromSeed, SeededRandom } from './random';

type Arg =
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'literal'; value: unknown }
  | { kind: 'path'; path: ParsedPath }
  | { kind: 'call'; call: IntrinsicCall };

export interface IntrinsicCall {
  readonly name: string;
  readonly args: readonly Arg[];
  readonly source: string;
}

export class IntrinsicSyntaxError extends Error {
  constructor(source: string, reason: string) {
    super(`Invalid intrinsic function '${source}': ${reason}`);
    this.name = 'IntrinsicSyntaxError';
  }
}

/** Does this `.$` value call an intrinsic function rather than name a path? */
export function isIntrinsic(value: string): boolean {
  return /^\s*States\.[A-Za-z0-9]+\s*\(/.test(value);
}

const cache = new Map<string, IntrinsicCall>();

export function parseIntrinsic(source: string): IntrinsicCall {
  const hit = cache.get(source);
  if (hit) return hit;
  const p = new Parser(source);
  const call = p.call();
  p.ws();
  if (p.pos !== source.length) throw new IntrinsicSyntaxError(source, `unexpected '${source.slice(p.pos)}'`);
  const arity = ARITY[call.name];
  if (!arity) throw new IntrinsicSyntaxError(source, `unknown function '${call.name}'`);
  cache.set(source, call);
  return call;
}

class Parser {
  pos = 0;
  constructor(private readonly s: string) {}

  ws(): void {
    while (/\s/.test(this.s[this.pos] ?? '')) this.pos++;
  }

  call(): IntrinsicCall {
    this.ws();
    const start = this.pos;
    const m = /^States\.[A-Za-z0-9]+/.exec(this.s.slice(this.pos));
    if (!m) throw new IntrinsicSyntaxError(this.s, `expected a States.* function at position ${this.pos}`);
    const name = m[0];
    this.pos += name.length;
    this.ws();
    if (this.s[this.pos] !== '(') throw new IntrinsicSyntaxError(this.s, `expected '(' after ${name}`);
    this.pos++;
    const args: Arg[] = [];
    this.ws();
    if (this.s[this.pos] === ')') this.pos++;
    else {
      for (;;) {
        args.push(this.arg());
        this.ws();
        const c = this.s[this.pos++];
        if (c === ')') break;
        if (c !== ',') throw new IntrinsicSyntaxError(this.s, `expected ',' or ')' in ${name}`);
      }
    }
    const arity = ARITY[name];
    if (arity && (args.length < arity[0] || args.length > arity[1])) {
      throw new IntrinsicSyntaxError(
        this.s,
        `${name} takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1] === Infinity ? 'any number of' : arity[1]}`} arguments, got ${args.length}`,
      );
    }
    return { name, args, source: this.s.slice(start, this.pos) };
  }

  arg(): Arg {
    this.ws();
    const c = this.s[this.pos];
    if (c === "'") {
      const start = ++this.pos;
      let value = '';
      while (this.pos < this.s.length && this.s[this.pos] !== "'") {
        if (this.s[this.pos] === '\\') {
          this.pos++;
          // \{ and \} stay escaped only for States.Format's template (see `raw`).
        }
        value += this.s[this.pos++];
      }
      if (this.s[this.pos] !== "'") throw new IntrinsicSyntaxError(this.s, 'unterminated string literal');
      const raw = this.s.slice(start, this.pos);
      this.pos++;
      return { kind: 'string', value, raw };
    }
    if (this.s.startsWith('States.', this.pos)) return { kind: 'call', call: this.call() };
    if (c === '$') {
      const start = this.pos;
      let depth = 0;
      let quote: string | undefined;
      for (; this.pos < this.s.length; this.pos++) {
        const ch = this.s[this.pos];
        if (quote) {
          // A quoted key may hold an escaped quote: $['it\'s'].
          if (ch === '\\') this.pos++;
          else if (ch === quote) quote = undefined;
          continue;
        }
        if (ch === "'" || ch === '"') quote = ch;
        else if (ch === '[' || ch === '(') depth++;
        else if (ch === ']' || (ch === ')' && depth > 0)) depth--;
        else if ((ch === ',' || ch === ')') && depth === 0) break;
      }
      const text = this.s.slice(start, this.pos).trim();
      return { kind: 'path', path: parsePath(text) };
    }
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(this.s.slice(this.pos));
    if (!m) throw new IntrinsicSyntaxError(this.s, `unexpected '${this.s.slice(this.pos)}'`);
    this.pos += m[0].length;
    return { kind: 'literal', value: JSON.parse(m[0]) };
  }
}

/** [min, max] argument counts. */
const ARITY: Record<string, [number, number]> = {
  'States.Format': [1, Infinity],
  'States.StringToJson': [1, 1],
  'States.JsonToString': [1, 1],
  'States.Array': [0, Infinity],
  'States.ArrayPartition': [2, 2],
  'States.ArrayContains': [2, 2],
  'States.ArrayRange': [3, 3],
  'States.ArrayGetItem': [2, 2],
  'States.ArrayLength': [1, 1],
  'States.ArrayUnique': [1, 1],
  'States.Base64Encode': [1, 1],
  'States.Base64Decode': [1, 1],
  'States.Hash': [2, 2],
  'States.JsonMerge': [3, 3],
  'States.MathRandom': [2, 3],
  'States.MathAdd': [2, 2],
  'States.StringSplit': [2, 2],
  'States.UUID': [0, 0],
};

export interface IntrinsicEnv extends PathRoots {
  random: SeededRandom;
}

const HASH_ALGORITHMS: Record<string, string> = {
  MD5: 'md5',
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

/** Maximum input size of the Base64 and Hash functions (Developer Guide). */
const MAX_STRING_INPUT = 10_000;
/** Maximum number of elements States.ArrayRange may produce (Developer Guide). */
const MAX_RANGE_ITEMS = 1_000;

export function evaluateIntrinsic(call: IntrinsicCall, env: IntrinsicEnv): unknown {
  const values = call.args.map((a) => argValue(a, env));
  const fail = (reason: string): never => {
    throw new IntrinsicFailureError(`Invalid arguments in ${call.name}: ${reason} (in '${call.source}')`);
  };
  const str = (i: number, what: string): string => (typeof values[i] === 'string' ? (values[i] as string) : fail(`${what} must be a string`));
  const arr = (i: number): unknown[] => (Array.isArray(values[i]) ? (values[i] as unknown[]) : fail(`argument ${i + 1} must be an array`));
  const int = (i: number, what: string): number => {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`${what} must be a number`);
    // AWS rounds non-integer values to the nearest integer for these functions.
    return Math.round(v);
  };

  switch (call.name) {
    case 'States.Format': {
      // The template may come from a path or a nested call, not only a literal (ASL
      // specification, "Intrinsic Functions": States.Format's first argument is a string).
      const template = call.args[0];
      let raw: string;
      if (template.kind === 'string') raw = template.raw;
      else if (typeof values[0] === 'string') raw = values[0] as string;
      else return fail(`the template (first argument) must be a string, got ${JSON.stringify(values[0])}`);
      let out = '';
      let used = 1;
      for (let i = 0; i < raw.length; i++) {
        const ch = raw[i];
        if (ch === '\\' && i + 1 < raw.length) {
          out += raw[++i];
        } else if (ch === '{' && raw[i + 1] === '}') {
          if (used >= values.length) fail('the template has more {} placeholders than arguments');
          out += formatArgument(values[used++]);
          i++;
        } else out += ch;
      }
      if (used !== values.length) fail('the template has fewer {} placeholders than arguments');
      return out;
    }
    case 'States.StringToJson': {
      const s = str(0, 'the argument');
      // AWS returns null for an empty or blank string (recorded: test_json_manipulation test_string_to_json).
      if (s.trim() === '') return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(s);
      } catch {
        return fail(`'${s}' is not valid JSON`);
      }
      if (nestsDeeperThan(parsed)) fail(`the JSON nests more than ${MAX_NESTING_DEPTH} levels deep, more than the local runtime supports`);
      return parsed;
    }
    case 'States.JsonToString':
      return JSON.stringify(values[0]);
    case 'States.Array':
      return values;
    case 'States.ArrayPartition': {
      const a = arr(0);
      const size = int(1, 'the chunk size');
      if (size <= 0) fail('the chunk size must be positive');
      const out: unknown[][] = [];
      for (let i = 0; i < a.length; i += size) out.push(a.slice(i, i + size));
      return out;
    }
    case 'States.ArrayContains': {
      const a = arr(0);
      return a.some((x) => deepEqual(x, values[1]));
    }
    case 'States.ArrayRange': {
      const start = int(0, 'the start');
      const end = int(1, 'the end');
      const stepBy = int(2, 'the step');
      if (stepBy === 0) fail('the step must not be 0');
      const out: number[] = [];
      for (let v = start; stepBy > 0 ? v <= end : v >= end; v += stepBy) {
        out.push(v);
        if (out.length > MAX_RANGE_ITEMS) fail(`the range has more than ${MAX_RANGE_ITEMS} items`);
      }
      return out;
    }
    case 'States.ArrayGetItem': {
      const a = arr(0);
      const i = int(1, 'the index');
      if (i < 0 || i >= a.length) fail(`index ${i} is out of bounds for an array of length ${a.length}`);
      return a[i];
    }
    case 'States.ArrayLength':
      return arr(0).length;
    case 'States.ArrayUnique': {
      const out: unknown[] = [];
      for (const x of arr(0)) if (!out.some((y) => deepEqual(x, y))) out.push(x);
      return out;
    }
    case 'States.Base64Encode': {
      const s = str(0, 'the argument');
      if (s.length > MAX_STRING_INPUT) fail(`the input is longer than ${MAX_STRING_INPUT} characters`);
      return Buffer.from(s, 'utf8').toString('base64');
    }
    case 'States.Base64Decode': {
      const s = str(0, 'the argument');
      if (s.length > MAX_STRING_INPUT) fail(`the input is longer than ${MAX_STRING_INPUT} characters`);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) fail(`'${s}' is not valid base64`);
      return Buffer.from(s, 'base64').toString('utf8');
    }
    case 'States.Hash': {
      const data = typeof values[0] === 'string' ? (values[0] as string) : JSON.stringify(values[0]);
      if (data === undefined) fail('the data must not be null');
      if (data.length > MAX_STRING_INPUT) fail(`the input is longer than ${MAX_STRING_INPUT} characters`);
      const algorithm = str(1, 'the algorithm');
      const node = HASH_ALGORITHMS[algorithm];
      if (!node) fail(`'${algorithm}' is not one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
      return createHash(node).update(data, 'utf8').digest('hex');
    }
    case 'States.JsonMerge': {
      const [a, b, deep] = values;
      const isObj = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
      if (!isObj(a) || !isObj(b)) fail('both values to merge must be JSON objects');
      // AWS supports only the shallow merge mode.
      if (deep !== false) fail('only shallow merging is supported: the third argument must be false');
      return { ...(a as object), ...(b as object) };
    }
    case 'States.MathRandom': {
      const start = int(0, 'the start');
      const end = int(1, 'the end');
      if (end <= start) fail('the end must be greater than the start');
      const r = values.length === 3 ? randomFromSeed(int(2, 'the seed')) : env.random.next();
      return start + Math.floor(r * (end - start));
    }
    case 'States.MathAdd':
      return int(0, 'the first value') + int(1, 'the second value');
    case 'States.StringSplit': {
      const s = str(0, 'the string');
      const delimiters = str(1, 'the delimiter');
      if (delimiters === '') return [s];
      const out: string[] = [];
      let cur = '';
      for (const ch of s) {
        if (delimiters.includes(ch)) {
          if (cur) out.push(cur);
          cur = '';
        } else cur += ch;
      }
      if (cur) out.push(cur);
      return out;
    }
    case 'States.UUID':
      return env.random.uuid();
    default:
      return fail('unknown function');
  }
}

/**
 * How States.Format writes a value: strings as they are, objects and arrays the way Java's
 * Map and List print themselves, `{Arg1=1, Arg2=[]}` (recorded against AWS:
 * intrinsic_functions/test_generic.snapshot.json, test_format_2).
 */
function formatArgument(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(formatNested).join(', ')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}=${formatNested(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

function formatNested(v: unknown): string {
  return v === null ? 'null' : formatArgument(v);
}

function argValue(arg: Arg, env: IntrinsicEnv): unknown {
  switch (arg.kind) {
    case 'string':
    case 'literal':
      return arg.value;
    case 'call':
      return evaluateIntrinsic(arg.call, env);
    case 'path': {
      const v = evaluatePath(arg.path, env);
      if (v === NOT_FOUND) throw new RuntimeError(`The JsonPath argument '${arg.path.source}' could not be found in the input`);
      return v;
    }
  }
}
