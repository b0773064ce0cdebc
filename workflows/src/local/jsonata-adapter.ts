/**
 * JSONata for Step Functions: `{% expression %}` strings anywhere in a field's value, the
 * reserved `$states` variable, workflow variables as `$name`, and the functions Step Functions
 * adds ($partition, $range, $hash, $random, $uuid, $parse; $eval is not available).
 * Each expression is compiled once per process (by its text) and evaluated per state visit,
 * without jsonata when the fast path answers (jsonata-fast-path.ts).
 * Source: Developer Guide, "Transforming data with JSONata in Step Functions".
 */
import { createHash } from 'crypto';
import jsonata from 'jsonata';
import { QueryEvaluationError } from './errors';
import { compileFastPath, FALLBACK, FastExpression, FastScope, referencedNames } from './jsonata-fast-path';
import { NOT_FOUND } from './json-path';
import { MAX_NESTING_DEPTH, nestsDeeperThan } from './limits';
import { isPromise, MaybePromise } from './maybe-promise';
import { SeededRandom } from './random';

const TEMPLATE = /^\{%([\s\S]*)%\}$/;

/** One compiled expression: jsonata's, the fast path's (when it has one) and the names it reads. */
interface CompiledExpression {
  readonly expression: jsonata.Expression;
  readonly fast?: FastExpression;
  readonly names: readonly string[];
}

/**
 * Compiled expressions by source text, shared by every definition of the process: the same
 * expression is parsed once (validation, compilation, each Map iteration). A jsonata Expression
 * is reusable: `evaluate` binds into a fresh frame each time.
 */
const compiled = new Map<string, CompiledExpression>();

function compileExpression(source: string): CompiledExpression {
  const hit = compiled.get(source);
  if (hit) return hit;
  const expression = jsonata(source);
  const ast = expression.ast();
  const entry = { expression, fast: compileFastPath(ast), names: referencedNames(ast) };
  if (compiled.size > 10_000) compiled.clear();
  compiled.set(source, entry);
  return entry;
}

/** Whether the fast path compiles this expression (the text between `{%` and `%}`). */
export function hasJsonataFastPath(source: string): boolean {
  return compileExpression(source.trim()).fast !== undefined;
}

/** One answer of the fast path, with the bindings jsonata would have been given for it. */
export interface FastPathSample {
  readonly source: string;
  /** jsonata's compiled expression: `expression.evaluate(undefined, bindings)` is what the fast path stood in for. */
  readonly expression: jsonata.Expression;
  readonly answer: unknown;
  /** `bindingsFor` the expression's names; Step Functions' functions it called replay the values the fast path got. */
  readonly bindings: Record<string, unknown>;
}

let fastPathAudit: ((sample: FastPathSample) => void) | undefined;

/**
 * For tests: every answer of the fast path goes to `audit` (until it is unset), so that a test
 * can evaluate the same expression with jsonata on the same bindings and compare.
 */
export function auditJsonataFastPath(audit: ((sample: FastPathSample) => void) | undefined): void {
  fastPathAudit = audit;
}

function audited(fast: FastExpression, source: string, expression: jsonata.Expression, names: readonly string[], scope: JsonataScope, audit: (sample: FastPathSample) => void): unknown {
  const calls = new Map<string, unknown[]>();
  const recording: FastScope = {
    lookup: (name) => scope.lookup(name),
    nowMs: scope.nowMs,
    builtin: (name) => {
      const fn = scope.builtin(name);
      if (typeof fn !== 'function') return fn;
      return (...args: unknown[]) => {
        const value = (fn as (...a: unknown[]) => unknown)(...args);
        if (!calls.has(name)) calls.set(name, []);
        calls.get(name)!.push(value);
        return value;
      };
    },
  };
  const answer = fast(recording);
  if (answer !== FALLBACK) {
    const bindings = scope.bindingsFor(names);
    for (const [name, values] of calls) {
      let i = 0;
      bindings[name] = () => values[i++];
    }
    audit({ source, expression, answer, bindings });
  }
  return answer;
}

export function isJsonataString(value: unknown): value is string {
  return typeof value === 'string' && TEMPLATE.test(value);
}

export type JsonataTemplate =
  | { kind: 'const'; value: unknown }
  | { kind: 'expr'; expression: jsonata.Expression; source: string; field: string; fast?: FastExpression; names: readonly string[] }
  | { kind: 'object'; entries: [string, JsonataTemplate][] }
  | { kind: 'array'; items: JsonataTemplate[] };

export class JsonataSyntaxError extends Error {
  constructor(field: string, source: string, reason: string) {
    super(`Invalid JSONata expression '${source}' in field '${field}': ${reason}`);
    this.name = 'JsonataSyntaxError';
  }
}

/** Compiles every `{% %}` string inside `value`; other values stay constants. */
export function compileJsonataTemplate(value: unknown, field: string): JsonataTemplate {
  if (typeof value === 'string') {
    const m = TEMPLATE.exec(value);
    if (!m) return { kind: 'const', value };
    const source = m[1].trim();
    try {
      const { expression, fast, names } = compileExpression(source);
      return { kind: 'expr', expression, source, field, fast, names };
    } catch (e) {
      throw new JsonataSyntaxError(field, source, (e as Error).message);
    }
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileJsonataTemplate(v, `${field}[${i}]`));
    return items.every((t) => t.kind === 'const') ? { kind: 'const', value } : { kind: 'array', items };
  }
  if (value !== null && typeof value === 'object') {
    const entries: [string, JsonataTemplate][] = Object.entries(value).map(([k, v]) => [k, compileJsonataTemplate(v, `${field}/${k}`)]);
    return entries.every(([, t]) => t.kind === 'const') ? { kind: 'const', value } : { kind: 'object', entries };
  }
  return { kind: 'const', value };
}

/** The workflow variables in scope (a VariableScope), read by name: no copy of them per state. */
export interface VariableLookup {
  get(name: string): unknown;
}

/**
 * What an expression can see: `$states`, the workflow variables, Step Functions' functions and
 * the virtual clock. Bindings for jsonata are built per expression from the names it mentions
 * (most mention `$states` alone), and not at all for the fast path.
 */
export class JsonataScope {
  constructor(
    private readonly states: Record<string, unknown>,
    private readonly variables: VariableLookup,
    private readonly functions: Record<string, unknown>,
    readonly nowMs: number,
  ) {}

  lookup(name: string): unknown {
    if (name === 'states') return this.states;
    const value = this.variables.get(name);
    return value === NOT_FOUND ? FALLBACK : value;
  }

  builtin(name: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.functions, name) ? this.functions[name] : undefined;
  }

  /**
   * The bindings of the names an expression mentions, with the precedence of one merged object:
   * the clock's $now and $millis, then `states`, then the variables, then Step Functions'
   * functions (jsonata's builtins sit below them all).
   */
  bindingsFor(names: readonly string[]): Record<string, unknown> {
    const b: Record<string, unknown> = {};
    for (const name of names) {
      if (name === 'now' || name === 'millis') addClockBinding(b, name, this.nowMs);
      else if (name === 'states') b.states = this.states;
      else if (this.variables.get(name) !== NOT_FOUND) b[name] = this.variables.get(name);
      else if (Object.prototype.hasOwnProperty.call(this.functions, name)) b[name] = this.functions[name];
    }
    return b;
  }
}

/** Kept as an alias: callers pass a JsonataScope wherever bindings are needed. */
export type JsonataBindings = JsonataScope;

/**
 * The template's value. Synchronous (no promise) when every expression in it is answered by the
 * fast path; a promise from the first expression that needs jsonata's evaluator on.
 */
export function evaluateJsonataTemplate(tpl: JsonataTemplate, bindings: JsonataBindings, stateName: string): MaybePromise<unknown> {
  switch (tpl.kind) {
    case 'const':
      return tpl.value;
    case 'expr':
      return evaluateExpression(tpl, bindings, stateName);
    case 'array': {
      const out: unknown[] = new Array(tpl.items.length);
      for (let i = 0; i < tpl.items.length; i++) {
        const v = evaluateJsonataTemplate(tpl.items[i], bindings, stateName);
        if (isPromise(v)) return finishArray(tpl.items, i, v, out, bindings, stateName);
        out[i] = v;
      }
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      const entries = tpl.entries;
      for (let i = 0; i < entries.length; i++) {
        const v = evaluateJsonataTemplate(entries[i][1], bindings, stateName);
        if (isPromise(v)) return finishObject(entries, i, v, out, bindings, stateName);
        out[entries[i][0]] = v;
      }
      return out;
    }
  }
}

/** The rest of an array template, in order, once item `from` turned asynchronous. */
async function finishArray(items: JsonataTemplate[], from: number, pending: Promise<unknown>, out: unknown[], bindings: JsonataBindings, stateName: string): Promise<unknown[]> {
  out[from] = await pending;
  for (let i = from + 1; i < items.length; i++) out[i] = await evaluateJsonataTemplate(items[i], bindings, stateName);
  return out;
}

/** The rest of an object template, in order, once entry `from` turned asynchronous. */
async function finishObject(
  entries: [string, JsonataTemplate][], from: number, pending: Promise<unknown>, out: Record<string, unknown>, bindings: JsonataBindings, stateName: string,
): Promise<Record<string, unknown>> {
  out[entries[from][0]] = await pending;
  for (let i = from + 1; i < entries.length; i++) out[entries[i][0]] = await evaluateJsonataTemplate(entries[i][1], bindings, stateName);
  return out;
}

type CompiledExpressionTemplate = Extract<JsonataTemplate, { kind: 'expr' }>;

function evaluateExpression(tpl: CompiledExpressionTemplate, bindings: JsonataBindings, stateName: string): MaybePromise<unknown> {
  const fast = tpl.fast ? (fastPathAudit ? audited(tpl.fast, tpl.source, tpl.expression, tpl.names, bindings, fastPathAudit) : tpl.fast(bindings)) : FALLBACK;
  if (fast !== FALLBACK) return checkedResult(tpl, fast, stateName);
  return evaluateWithJsonata(tpl, bindings, stateName);
}

async function evaluateWithJsonata(tpl: CompiledExpressionTemplate, bindings: JsonataBindings, stateName: string): Promise<unknown> {
  let result: unknown;
  try {
    // No input document: Step Functions expressions reach data through $states and variables.
    result = await tpl.expression.evaluate(undefined, bindings.bindingsFor(tpl.names));
  } catch (e) {
    const err = e as { message?: string; code?: string };
    throw new QueryEvaluationError(
      `An error occurred while executing the state '${stateName}'. The JSONata expression '${tpl.source}' specified for the field '${tpl.field}' threw an error during evaluation. ${err.code ? `${err.code}: ` : ''}${err.message ?? String(e)}`,
    );
  }
  return checkedResult(tpl, result, stateName);
}

/** An expression's result as Step Functions accepts it: not undefined, not a function. */
function checkedResult(tpl: CompiledExpressionTemplate, result: unknown, stateName: string): unknown {
  if (result === undefined) {
    throw new QueryEvaluationError(
      `An error occurred while executing the state '${stateName}'. The JSONata expression '${tpl.source}' specified for the field '${tpl.field}' returned nothing (undefined).`,
    );
  }
  if (typeof result === 'function' || (typeof result === 'object' && result !== null && ('_jsonata_lambda' in result || '_jsonata_function' in result))) {
    throw new QueryEvaluationError(
      `An error occurred while executing the state '${stateName}'. The JSONata expression '${tpl.source}' specified for the field '${tpl.field}' returned an unsupported result type.`,
    );
  }
  return result;
}

const HASH_ALGORITHMS: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

function fail(message: string): never {
  throw Object.assign(new Error(message), { code: 'States' });
}

/** A JSONata native function object, called with jsonata's focus as `this`. */
function nativeFunction(implementation: (this: { environment: jsonata.Environment }, ...args: any[]) => unknown) {
  return { _jsonata_function: true, implementation };
}

/** Bindings shared by every expression of one execution: Step Functions' extra functions. */
export function executionBindings(random: SeededRandom): Record<string, unknown> {
  return {
    partition: (array: unknown, size: unknown) => {
      if (!Array.isArray(array)) fail('$partition: the first argument must be an array');
      if (typeof size !== 'number' || !Number.isInteger(size) || size <= 0) fail('$partition: the size must be a positive integer');
      const out: unknown[][] = [];
      for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
      return out;
    },
    range: (start: unknown, end: unknown, step: unknown) => {
      if (typeof start !== 'number' || typeof end !== 'number' || typeof step !== 'number') fail('$range: start, end and step must be numbers');
      if (step === 0) fail('$range: the step must not be 0');
      const out: number[] = [];
      for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
        out.push(v);
        if (out.length > 1000) fail('$range: the range has more than 1000 items');
      }
      // A one-item result is a singleton sequence, which JSONata unwraps: $range(1, 9, 9) is 1
      // (recorded against AWS: intrinsic_functions/test_array_jsonata.snapshot.json, test_array_range).
      return out.length === 1 ? out[0] : out;
    },
    hash: (value: unknown, algorithm: unknown) => {
      const node = typeof algorithm === 'string' ? HASH_ALGORITHMS[algorithm] : undefined;
      if (!node) fail(`$hash: the algorithm must be one of ${Object.keys(HASH_ALGORITHMS).join(', ')}`);
      const data = typeof value === 'string' ? value : JSON.stringify(value);
      if (data === undefined) fail('$hash: the value must not be undefined');
      return createHash(node).update(data, 'utf8').digest('hex');
    },
    random: (seed?: unknown) => {
      if (seed === undefined) return random.next();
      if (typeof seed !== 'number' || !Number.isInteger(seed)) fail('$random: the seed must be an integer');
      return new SeededRandom(seed).next();
    },
    uuid: () => random.uuid(),
    parse: (text: unknown) => {
      if (typeof text !== 'string') fail('$parse: the argument must be a string');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        return fail(`$parse: ${(e as Error).message}`);
      }
      if (nestsDeeperThan(parsed)) fail(`$parse: the JSON nests more than ${MAX_NESTING_DEPTH} levels deep, more than the local runtime supports`);
      return parsed;
    },
    eval: () => fail('$eval is not available in Step Functions; use $parse'),
  };
}

/** $now() and $millis() read the virtual clock of the branch evaluating the expression. */
function addClockBinding(bindings: Record<string, unknown>, name: 'now' | 'millis', nowMs: number): void {
  if (name === 'millis') {
    bindings.millis = () => nowMs;
    return;
  }
  bindings.now = nativeFunction(function (picture?: unknown, timezone?: unknown) {
    const fromMillis = this.environment.lookup('fromMillis') as { implementation: (...a: unknown[]) => unknown };
    return fromMillis.implementation.call(this, nowMs, picture, timezone);
  });
}
