/**
 * A fast path for the JSONata expressions Step Functions workflows write most: field lookups
 * (`$states.input.order.id`, `$name`, `$x.list[0].y`, `$list[$i]`), literals, conditions
 * (`a ? b : c`), parenthesized blocks, `in`, `$merge([...])`, `$count`, `$string`, `$exists`,
 * `$contains`, `$split`, `$lookup`, `$round`, `$min`, `$power`, `$map` with a one-parameter lambda, the
 * virtual clock's `$now()` and `$millis()`, Step Functions' `$random()` and `$uuid()`, object
 * and array constructors, comparisons, `and`/`or`, `&` and arithmetic. Each is compiled once
 * from jsonata's own AST into a closure that evaluates it without jsonata's (asynchronous,
 * sequence-building) evaluator.
 *
 * It is exact only where it answers: whenever a value leaves the plain cases (an array met
 * inside a path, a mixed-type comparison, a number `$string` would format, a builtin shadowed
 * by a workflow variable, ...), it returns FALLBACK and jsonata evaluates the expression, so
 * its errors and its sequence semantics stay jsonata's. `test/local/jsonata-fast-path.test.ts`
 * compares both on every case.
 */

/** "Not answered here: evaluate with jsonata." */
export const FALLBACK: unique symbol = Symbol('jsonata-fallback');

/** What an expression reads: `states`, a workflow variable, or FALLBACK (anything else, e.g. a function). */
export interface FastScope {
  lookup(name: string): unknown;
  /**
   * Step Functions' own functions (`random`, `uuid`, ...: jsonata-adapter's executionBindings),
   * which the variables shadow; undefined when not bound (the fast path then falls back).
   */
  builtin?(name: string): unknown;
  /** The virtual clock of the evaluating branch, for `$now()` and `$millis()`; undefined: fall back. */
  readonly nowMs?: number;
}

/** A compiled expression: its value, undefined (no result) or FALLBACK. */
export type FastExpression = (scope: FastScope) => unknown;

/** A node of jsonata's AST (`expression.ast()`), as far as the fast path reads it. */
interface AstNode {
  readonly type: string;
  readonly value?: unknown;
  readonly steps?: AstNode[];
  readonly arguments?: AstNode[];
  readonly procedure?: AstNode;
  readonly expressions?: AstNode[];
  readonly lhs?: AstNode | AstNode[][];
  readonly rhs?: AstNode;
  readonly [key: string]: unknown;
}

/** Every `$name` the expression mentions: the only bindings it can read. */
export function referencedNames(ast: unknown): string[] {
  const names = new Set<string>();
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const n = node as AstNode;
    if (n.type === 'variable' && typeof n.value === 'string' && n.value !== '') names.add(n.value);
    for (const key of Object.keys(n)) if (key !== 'value' || typeof n.value === 'object') walk(n[key]);
  };
  walk(ast);
  return [...names];
}

/** The fast closure for `ast`, or undefined when the expression is outside the fast path. */
export function compileFastPath(ast: unknown): FastExpression | undefined {
  return compileNode(ast as AstNode);
}

/** True when `node` sets no keys but these (a predicate, stage, focus or group makes it something else). */
function only(node: AstNode, keys: readonly string[]): boolean {
  for (const key of Object.keys(node)) {
    if (key !== 'type' && key !== 'value' && key !== 'position' && node[key] !== undefined && !keys.includes(key)) return false;
  }
  return true;
}

const COMPARISONS = new Set(['>', '<', '>=', '<=']);
const ARITHMETIC = new Set(['+', '-', '*', '/']);
const FUNCTIONS: Record<string, (args: FastExpression[]) => FastExpression | undefined> = {
  count: countOf,
  merge: mergeOf,
  string: stringOf,
  exists: existsOf,
  contains: containsOf,
  split: splitOf,
  round: roundOf,
  min: minOf,
  power: powerOf,
  lookup: lookupFnOf,
  now: nowOf,
  millis: millisOf,
  random: builtinCallOf('random'),
  uuid: builtinCallOf('uuid'),
};

function compileNode(node: AstNode): FastExpression | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      if (!only(node, [])) return undefined;
      const value = node.value;
      return () => value;
    }
    case 'variable':
      if (!only(node, []) || typeof node.value !== 'string' || node.value === '') return undefined;
      return lookupOf(node.value, []);
    case 'path':
      return pathOf(node);
    case 'function':
      return functionOf(node);
    case 'unary':
      if (node.value === '[') return arrayOf(node);
      if (node.value === '{') return objectOf(node);
      return undefined;
    case 'binary':
      return binaryOf(node);
    case 'condition':
      return conditionOf(node);
    case 'block':
      return blockOf(node);
    default:
      return undefined;
  }
}

/** `c ? a : b` (and `c ? a`): jsonata casts the condition to a boolean; only booleans and "no result" (false) are answered here. */
function conditionOf(node: AstNode): FastExpression | undefined {
  if (!only(node, ['condition', 'then', 'else'])) return undefined;
  const condition = compileNode(node.condition as AstNode);
  const then = compileNode(node.then as AstNode);
  const otherwise = node.else === undefined ? () => undefined : compileNode(node.else as AstNode);
  if (!condition || !then || !otherwise) return undefined;
  return (scope) => {
    const c = condition(scope);
    if (c === FALLBACK) return FALLBACK;
    if (c === true) return then(scope);
    if (c === false || c === undefined) return otherwise(scope);
    return FALLBACK;
  };
}

/** `(a; b)`: the last expression's value. A binding (`$x := ...`) is not compiled (jsonata scopes it to the block). */
function blockOf(node: AstNode): FastExpression | undefined {
  if (!only(node, ['expressions']) || !node.expressions) return undefined;
  const parts = node.expressions.map(compileNode);
  if (parts.some((p) => p === undefined)) return undefined;
  return (scope) => {
    let value: unknown;
    for (const part of parts as FastExpression[]) {
      value = part(scope);
      if (value === FALLBACK) return FALLBACK;
    }
    return value;
  };
}

/** A single `[index]` filter (a number, or an expression giving one), or undefined when `stages` is anything else. */
function indexFilterOf(stages: unknown): FastExpression | undefined {
  if (!Array.isArray(stages) || stages.length !== 1) return undefined;
  const stage = stages[0] as AstNode;
  if (stage.type !== 'filter' || !only(stage, ['expr'])) return undefined;
  const expr = stage.expr as AstNode | undefined;
  // A predicate reading the context item (`[price > 1]`) starts with a name step: not compiled.
  return expr ? compileNode(expr) : undefined;
}

/**
 * jsonata's numeric filter: the sequence's item at floor(index), counted from the end when
 * negative; a value that is not an array is a sequence of one. An item that is itself an array
 * (which jsonata would flatten) and a non-numeric predicate (a boolean filter) fall back.
 */
function pick(value: unknown, index: unknown): unknown {
  if (value === FALLBACK || index === FALLBACK) return FALLBACK;
  if (typeof index !== 'number' || !Number.isFinite(index)) return FALLBACK;
  if (value === undefined) return undefined;
  const sequence = Array.isArray(value) ? value : [value];
  let i = Math.floor(index);
  if (i < 0) i += sequence.length;
  const item = sequence[i];
  return Array.isArray(item) ? FALLBACK : item;
}

/** `$name.a.b`: a variable, then plain field names. */
function pathOf(node: AstNode): FastExpression | undefined {
  if (!only(node, ['steps']) || !node.steps || node.steps.length === 0) return undefined;
  const [first, ...rest] = node.steps;
  if (first.type !== 'variable' || !only(first, []) || typeof first.value !== 'string' || first.value === '') return undefined;
  const fields: string[] = [];
  const indexes: (FastExpression | undefined)[] = [];
  for (const step of rest) {
    if (step.type !== 'name' || !only(step, ['stages']) || typeof step.value !== 'string') return undefined;
    const index = step.stages === undefined ? undefined : indexFilterOf(step.stages);
    if (step.stages !== undefined && !index) return undefined;
    fields.push(step.value);
    indexes.push(index);
  }
  return indexes.some((i) => i !== undefined) ? indexedLookupOf(first.value, fields, indexes) : lookupOf(first.value, fields);
}

/** `$name.a[0].b`: as lookupOf, with a numeric filter after some fields (applied to that field's value, as jsonata's step stages are). */
function indexedLookupOf(name: string, fields: readonly string[], indexes: readonly (FastExpression | undefined)[]): FastExpression {
  return (scope) => {
    let current = scope.lookup(name);
    if (current === FALLBACK) return FALLBACK;
    for (let i = 0; i < fields.length; i++) {
      if (current === undefined || current === null) return undefined;
      if (typeof current !== 'object' || Array.isArray(current)) return FALLBACK;
      current = Object.prototype.hasOwnProperty.call(current, fields[i]) ? (current as Record<string, unknown>)[fields[i]] : undefined;
      const index = indexes[i];
      if (index) {
        current = pick(current, index(scope));
        if (current === FALLBACK) return FALLBACK;
      }
    }
    return current;
  };
}

/**
 * Walks plain objects only: jsonata maps a path over arrays (and flattens), so an array before
 * the last field falls back. Null or a missing field gives no result, as in jsonata.
 */
function lookupOf(name: string, fields: readonly string[]): FastExpression {
  return (scope) => {
    let current = scope.lookup(name);
    if (current === FALLBACK) return FALLBACK;
    for (const field of fields) {
      if (current === undefined || current === null) return undefined;
      if (typeof current !== 'object' || Array.isArray(current)) return FALLBACK;
      current = Object.prototype.hasOwnProperty.call(current, field) ? (current as Record<string, unknown>)[field] : undefined;
    }
    return current;
  };
}

function functionOf(node: AstNode): FastExpression | undefined {
  const procedure = node.procedure;
  if (!only(node, ['arguments', 'procedure', 'predicate']) || !procedure || procedure.type !== 'variable' || !only(procedure, [])) return undefined;
  const name = procedure.value as string;
  if (!node.arguments) return undefined;
  let call: FastExpression | undefined;
  if (name === 'map') call = mapOf(node.arguments);
  else {
    const make = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (!make) return undefined;
    const args = node.arguments.map(compileNode);
    if (args.some((a) => a === undefined)) return undefined;
    call = make(args as FastExpression[]);
  }
  if (!call) return undefined;
  const fn = call;
  // A workflow variable (or $states) of the same name shadows jsonata's builtin.
  const guarded: FastExpression = (scope) => (scope.lookup(name) === FALLBACK ? fn(scope) : FALLBACK);
  if (node.predicate === undefined) return guarded;
  const index = indexFilterOf(node.predicate);
  if (!index) return undefined;
  return (scope) => {
    const value = guarded(scope);
    return value === FALLBACK ? FALLBACK : pick(value, index(scope));
  };
}

/**
 * `$map(array, function($x) { body })`: the body per item with `$x` bound; items without a
 * result are dropped; a one-item result is that item and none is no result (jsonata's
 * sequences). A lambda with a signature, more parameters, or a result that is an array falls back.
 */
function mapOf(args: AstNode[]): FastExpression | undefined {
  if (args.length !== 2) return undefined;
  const [arrayNode, lambda] = args;
  const array = compileNode(arrayNode);
  if (!array || lambda.type !== 'lambda' || !only(lambda, ['arguments', 'body'])) return undefined;
  const params = lambda.arguments ?? [];
  if (params.length !== 1 || params[0].type !== 'variable' || !only(params[0], []) || typeof params[0].value !== 'string' || params[0].value === '') return undefined;
  const param = params[0].value;
  const body = compileNode(lambda.body as AstNode);
  if (!body) return undefined;
  return (scope) => {
    const value = array(scope);
    if (value === FALLBACK || value === undefined) return value;
    const items = Array.isArray(value) ? value : [value];
    const out: unknown[] = [];
    for (const item of items) {
      const local: FastScope = {
        lookup: (n) => (n === param ? item : scope.lookup(n)),
        builtin: scope.builtin ? (n) => scope.builtin!(n) : undefined,
        nowMs: scope.nowMs,
      };
      const r = body(local);
      if (r === FALLBACK || Array.isArray(r)) return FALLBACK;
      if (r !== undefined) out.push(r);
    }
    return out.length === 0 ? undefined : out.length === 1 ? out[0] : out;
  };
}

/** `$exists(x)`: whether x has a result. */
function existsOf([arg, ...more]: FastExpression[]): FastExpression | undefined {
  if (!arg || more.length > 0) return undefined;
  return (scope) => {
    const value = arg(scope);
    return value === FALLBACK ? FALLBACK : value !== undefined;
  };
}

/** `$contains(s, "text")` with a string pattern (a regex is not compiled). */
function containsOf([str, pattern, ...more]: FastExpression[]): FastExpression | undefined {
  if (!str || !pattern || more.length > 0) return undefined;
  return (scope) => {
    const s = str(scope);
    const p = pattern(scope);
    if (s === FALLBACK || p === FALLBACK) return FALLBACK;
    if (s === undefined) return undefined;
    if (typeof s !== 'string' || typeof p !== 'string') return FALLBACK;
    return s.includes(p);
  };
}

/** `$split(s, "separator")` with a string separator and no limit. */
function splitOf([str, separator, ...more]: FastExpression[]): FastExpression | undefined {
  if (!str || !separator || more.length > 0) return undefined;
  return (scope) => {
    const s = str(scope);
    const sep = separator(scope);
    if (s === FALLBACK || sep === FALLBACK) return FALLBACK;
    if (s === undefined) return undefined;
    if (typeof s !== 'string' || typeof sep !== 'string') return FALLBACK;
    return s.split(sep);
  };
}

/** `$round(n)`: jsonata rounds half to even, and never gives -0. */
function roundOf([arg, ...more]: FastExpression[]): FastExpression | undefined {
  if (!arg || more.length > 0) return undefined;
  return (scope) => {
    const value = arg(scope);
    if (value === FALLBACK || value === undefined) return value;
    if (typeof value !== 'number' || !Number.isFinite(value)) return FALLBACK;
    let result = Math.round(value);
    if (Math.abs(result - value) === 0.5 && Math.abs(result % 2) === 1) result -= 1;
    return Object.is(result, -0) ? 0 : result;
  };
}

/** `$min(numbers)`: no result for none; anything but numbers falls back (jsonata raises T0412). */
function minOf([arg, ...more]: FastExpression[]): FastExpression | undefined {
  if (!arg || more.length > 0) return undefined;
  return (scope) => {
    const value = arg(scope);
    if (value === FALLBACK || value === undefined) return value;
    const numbers = Array.isArray(value) ? value : [value];
    if (numbers.length === 0) return undefined;
    let min = Infinity;
    for (const n of numbers) {
      if (typeof n !== 'number') return FALLBACK;
      if (n < min) min = n;
    }
    return min;
  };
}

/** `$power(base, exponent)`: a non-finite result falls back (jsonata raises D3061). */
function powerOf([base, exponent, ...more]: FastExpression[]): FastExpression | undefined {
  if (!base || !exponent || more.length > 0) return undefined;
  return (scope) => {
    const b = base(scope);
    const e = exponent(scope);
    if (b === FALLBACK || e === FALLBACK) return FALLBACK;
    if (b === undefined) return undefined;
    if (typeof b !== 'number' || typeof e !== 'number') return FALLBACK;
    const r = Math.pow(b, e);
    return Number.isFinite(r) ? r : FALLBACK;
  };
}

/** `$lookup(object, "key")`: an own field of a plain object (an array maps over its items in jsonata: falls back). */
function lookupFnOf([object, key, ...more]: FastExpression[]): FastExpression | undefined {
  if (!object || !key || more.length > 0) return undefined;
  return (scope) => {
    const o = object(scope);
    const k = key(scope);
    if (o === FALLBACK || k === FALLBACK) return FALLBACK;
    if (typeof k !== 'string') return FALLBACK;
    if (o === undefined || o === null || typeof o !== 'object') return o === undefined ? undefined : FALLBACK;
    if (Array.isArray(o)) return FALLBACK;
    return Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined;
  };
}

/** `$now()` without a picture: the ISO 8601 form of the virtual clock (jsonata's default picture, in UTC). */
function nowOf(args: FastExpression[]): FastExpression | undefined {
  if (args.length > 0) return undefined;
  return (scope) => (scope.nowMs === undefined ? FALLBACK : new Date(scope.nowMs).toISOString());
}

function millisOf(args: FastExpression[]): FastExpression | undefined {
  if (args.length > 0) return undefined;
  return (scope) => (scope.nowMs === undefined ? FALLBACK : scope.nowMs);
}

/** `$random()`, `$uuid()`: Step Functions' functions, called as jsonata would call them (once, no arguments). */
function builtinCallOf(name: string): (args: FastExpression[]) => FastExpression | undefined {
  return (args) => {
    if (args.length > 0) return undefined;
    return (scope) => {
      const fn = scope.builtin?.(name);
      return typeof fn === 'function' ? (fn as () => unknown)() : FALLBACK;
    };
  };
}

function countOf([arg, ...more]: FastExpression[]): FastExpression | undefined {
  if (!arg || more.length > 0) return undefined;
  return (scope) => {
    const value = arg(scope);
    if (value === FALLBACK) return FALLBACK;
    if (value === undefined) return 0;
    if (!Array.isArray(value)) return 1;
    return value.some(Array.isArray) ? FALLBACK : value.length;
  };
}

function mergeOf([arg, ...more]: FastExpression[]): FastExpression | undefined {
  if (!arg || more.length > 0) return undefined;
  return (scope) => {
    const value = arg(scope);
    if (value === FALLBACK || value === undefined) return value;
    const objects = Array.isArray(value) ? value : [value];
    const merged: Record<string, unknown> = {};
    for (const object of objects) {
      if (!isPlainObject(object)) return FALLBACK;
      Object.assign(merged, object);
    }
    return merged;
  };
}

function stringOf([arg, ...more]: FastExpression[]): FastExpression | undefined {
  if (!arg || more.length > 0) return undefined;
  return (scope) => {
    const value = arg(scope);
    return value === undefined ? undefined : asString(value);
  };
}

/**
 * What `$string` (and `&`) make of a scalar; FALLBACK for what jsonata formats its own way
 * (non-integral numbers to 15 significant digits, objects and arrays as JSON).
 */
function asString(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : FALLBACK;
  if (typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return FALLBACK;
}

/**
 * `[a, b]`: items without a result are dropped; an array from a path or a function (a sequence)
 * is appended item by item, as jsonata does; an array constructor inside, or an appended item
 * that is an array, falls back.
 */
function arrayOf(node: AstNode): FastExpression | undefined {
  if (!only(node, ['expressions']) || !node.expressions) return undefined;
  const items = node.expressions.map(compileNode);
  if (items.some((i) => i === undefined)) return undefined;
  const nested = node.expressions.map((e) => e.type === 'unary' && e.value === '[');
  return (scope) => {
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      const value = (items[i] as FastExpression)(scope);
      if (value === FALLBACK) return FALLBACK;
      if (Array.isArray(value)) {
        if (nested[i]) return FALLBACK;
        for (const v of value) {
          if (Array.isArray(v)) return FALLBACK;
          out.push(v);
        }
      } else if (value !== undefined) out.push(value);
    }
    return out;
  };
}

/** `{"key": value, ...}` with literal, distinct keys; a key without a value is left out. */
function objectOf(node: AstNode): FastExpression | undefined {
  const pairs = node.lhs;
  if (!only(node, ['lhs']) || !Array.isArray(pairs)) return undefined;
  const entries: [string, FastExpression][] = [];
  const keys = new Set<string>();
  for (const pair of pairs as AstNode[][]) {
    if (!Array.isArray(pair) || pair.length !== 2) return undefined;
    const [key, value] = pair;
    if (key.type !== 'string' || !only(key, []) || typeof key.value !== 'string' || keys.has(key.value)) return undefined;
    const compiled = compileNode(value);
    if (!compiled) return undefined;
    keys.add(key.value);
    entries.push([key.value, compiled]);
  }
  return (scope) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of entries) {
      const v = value(scope);
      if (v === FALLBACK) return FALLBACK;
      if (v !== undefined) out[key] = v;
    }
    return out;
  };
}

function binaryOf(node: AstNode): FastExpression | undefined {
  if (!only(node, ['lhs', 'rhs']) || Array.isArray(node.lhs)) return undefined;
  const lhs = compileNode(node.lhs as AstNode);
  const rhs = compileNode(node.rhs as AstNode);
  if (!lhs || !rhs) return undefined;
  const op = node.value as string;
  if (COMPARISONS.has(op)) {
    return (scope) => {
      const a = lhs(scope);
      const b = rhs(scope);
      if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) return FALLBACK;
      return op === '>' ? a > b : op === '<' ? a < b : op === '>=' ? a >= b : a <= b;
    };
  }
  if (op === '=' || op === '!=') {
    return (scope) => {
      const a = lhs(scope);
      const b = rhs(scope);
      if (!isScalar(a) || !isScalar(b)) return FALLBACK;
      return op === '=' ? a === b : a !== b;
    };
  }
  if (op === 'and' || op === 'or') {
    // jsonata casts both sides to booleans, "no result" to false; other types fall back.
    return (scope) => {
      const a = lhs(scope);
      const b = rhs(scope);
      if ((typeof a !== 'boolean' && a !== undefined) || (typeof b !== 'boolean' && b !== undefined)) return FALLBACK;
      return op === 'and' ? a === true && b === true : a === true || b === true;
    };
  }
  if (op === 'in') {
    // jsonata: false when either side has no result; a scalar right side is a list of one; strict equality.
    return (scope) => {
      const a = lhs(scope);
      const b = rhs(scope);
      if (a === FALLBACK || b === FALLBACK) return FALLBACK;
      if (a === undefined || b === undefined) return false;
      if (!isScalar(a)) return FALLBACK;
      return Array.isArray(b) ? b.includes(a) : b === a;
    };
  }
  if (op === '&') {
    return (scope) => {
      const a = lhs(scope);
      const b = rhs(scope);
      const sa = a === undefined ? '' : asString(a);
      const sb = b === undefined ? '' : asString(b);
      if (sa === FALLBACK || sb === FALLBACK) return FALLBACK;
      return `${sa as string}${sb as string}`;
    };
  }
  if (ARITHMETIC.has(op)) {
    return (scope) => {
      const a = lhs(scope);
      const b = rhs(scope);
      if (typeof a !== 'number' || typeof b !== 'number') return FALLBACK;
      const r = op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;
      // jsonata raises D1001 on an infinite result.
      return Number.isFinite(r) ? r : FALLBACK;
    };
  }
  return undefined;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
