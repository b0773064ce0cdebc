/**
 * A fast path for the JSONata expressions Step Functions workflows write most: field lookups
 * (`$states.input.order.id`, `$name`), literals, `$merge([...])`, `$count`, `$string`, object
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
    default:
      return undefined;
  }
}

/** `$name.a.b`: a variable, then plain field names. */
function pathOf(node: AstNode): FastExpression | undefined {
  if (!only(node, ['steps']) || !node.steps || node.steps.length === 0) return undefined;
  const [first, ...rest] = node.steps;
  if (first.type !== 'variable' || !only(first, []) || typeof first.value !== 'string' || first.value === '') return undefined;
  const fields: string[] = [];
  for (const step of rest) {
    if (step.type !== 'name' || !only(step, []) || typeof step.value !== 'string') return undefined;
    fields.push(step.value);
  }
  return lookupOf(first.value, fields);
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
  if (!only(node, ['arguments', 'procedure']) || !procedure || procedure.type !== 'variable' || !only(procedure, [])) return undefined;
  const name = procedure.value as string;
  const make = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!make || !node.arguments) return undefined;
  const args = node.arguments.map(compileNode);
  if (args.some((a) => a === undefined)) return undefined;
  const call = make(args as FastExpression[]);
  if (!call) return undefined;
  // A workflow variable (or $states) of the same name shadows jsonata's builtin.
  return (scope) => (scope.lookup(name) === FALLBACK ? call(scope) : FALLBACK);
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

/** `[a, b]`: items without a result are dropped; an array item (jsonata would flatten it) falls back. */
function arrayOf(node: AstNode): FastExpression | undefined {
  if (!only(node, ['expressions']) || !node.expressions) return undefined;
  const items = node.expressions.map(compileNode);
  if (items.some((i) => i === undefined)) return undefined;
  return (scope) => {
    const out: unknown[] = [];
    for (const item of items as FastExpression[]) {
      const value = item(scope);
      if (value === FALLBACK || Array.isArray(value)) return FALLBACK;
      if (value !== undefined) out.push(value);
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
    return (scope) => {
      const a = lhs(scope);
      const b = rhs(scope);
      if (typeof a !== 'boolean' || typeof b !== 'boolean') return FALLBACK;
      return op === 'and' ? a && b : a || b;
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
