/**
 * Choice rules: JSONPath comparison operators (with `...Path` variants, And/Or/Not and the
 * Is* type tests) and JSONata `Condition`.
 * Source: Developer Guide, "Choice workflow state" (Choice Rules, comparison operators).
 */
import { isPromise, MaybePromise } from './maybe-promise';
import { QueryEvaluationError, RuntimeError } from './errors';
import { deepEqual, evaluatePath, NOT_FOUND, parsePath, ParsedPath, PathRoots } from './json-path';
import { compileJsonataTemplate, evaluateJsonataTemplate, JsonataBindings, JsonataTemplate } from './jsonata-adapter';

type Json = Record<string, unknown>;

export type CompiledChoiceRule =
  | { kind: 'and' | 'or'; rules: CompiledChoiceRule[] }
  | { kind: 'not'; rule: CompiledChoiceRule }
  | { kind: 'test'; variable: ParsedPath; operator: string; value: unknown; valuePath?: ParsedPath }
  | { kind: 'condition'; tpl: JsonataTemplate };

const COMPARISONS = [
  'StringEquals', 'StringLessThan', 'StringGreaterThan', 'StringLessThanEquals', 'StringGreaterThanEquals',
  'NumericEquals', 'NumericLessThan', 'NumericGreaterThan', 'NumericLessThanEquals', 'NumericGreaterThanEquals',
  'BooleanEquals',
  'TimestampEquals', 'TimestampLessThan', 'TimestampGreaterThan', 'TimestampLessThanEquals', 'TimestampGreaterThanEquals',
];
const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'];

/** Every operator a JSONPath Choice rule may use. */
export const CHOICE_OPERATORS: ReadonlySet<string> = new Set([
  ...COMPARISONS,
  ...COMPARISONS.map((c) => `${c}Path`),
  'StringMatches',
  ...TYPE_TESTS,
]);

/** The operators present in a rule object (a valid rule has exactly one). */
export function operatorsOf(rule: Json): string[] {
  return Object.keys(rule).filter((k) => CHOICE_OPERATORS.has(k) || k === 'And' || k === 'Or' || k === 'Not');
}

export function compileChoiceRule(rule: Json, ql: 'JSONPath' | 'JSONata', field: string): CompiledChoiceRule {
  if (ql === 'JSONata') return { kind: 'condition', tpl: compileJsonataTemplate(rule.Condition, `${field}/Condition`) };
  if (Array.isArray(rule.And)) return { kind: 'and', rules: (rule.And as Json[]).map((r, i) => compileChoiceRule(r, ql, `${field}.And[${i}]`)) };
  if (Array.isArray(rule.Or)) return { kind: 'or', rules: (rule.Or as Json[]).map((r, i) => compileChoiceRule(r, ql, `${field}.Or[${i}]`)) };
  if (rule.Not) return { kind: 'not', rule: compileChoiceRule(rule.Not as Json, ql, `${field}.Not`) };
  const operator = operatorsOf(rule)[0];
  const value = rule[operator];
  const isPathOperator = operator.endsWith('Path');
  return {
    kind: 'test',
    variable: parsePath(rule.Variable as string),
    operator: isPathOperator ? operator.slice(0, -4) : operator,
    value,
    valuePath: isPathOperator ? parsePath(value as string) : undefined,
  };
}

/** RFC 3339 timestamps as Step Functions accepts them (uppercase T, zone required). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function parseTimestamp(v: unknown): number | undefined {
  if (typeof v !== 'string' || !TIMESTAMP.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** StringMatches: `*` matches any run of characters; `\*` is a literal asterisk. */
function wildcardMatch(value: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += escapeRegex(pattern[++i]);
    else if (c === '*') re += '[\\s\\S]*';
    else re += escapeRegex(c);
  }
  return new RegExp(`^${re}$`).test(value);
}

function escapeRegex(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const family = op.startsWith('String') ? 'String' : op.startsWith('Numeric') ? 'Numeric' : op.startsWith('Boolean') ? 'Boolean' : 'Timestamp';
  const relation = op.slice(family.length);
  let x: string | number | boolean;
  let y: string | number | boolean;
  if (family === 'String') {
    if (typeof a !== 'string' || typeof b !== 'string') return false;
    if (relation === 'Matches') return wildcardMatch(a, b);
    [x, y] = [a, b];
  } else if (family === 'Numeric') {
    if (typeof a !== 'number' || typeof b !== 'number') return false;
    [x, y] = [a, b];
  } else if (family === 'Boolean') {
    return typeof a === 'boolean' && a === b;
  } else {
    const ta = parseTimestamp(a);
    const tb = parseTimestamp(b);
    if (ta === undefined || tb === undefined) return false;
    [x, y] = [ta, tb];
  }
  switch (relation) {
    case 'Equals':
      return x === y;
    case 'LessThan':
      return x < y;
    case 'GreaterThan':
      return x > y;
    case 'LessThanEquals':
      return x <= y;
    case 'GreaterThanEquals':
      return x >= y;
    default:
      return false;
  }
}

/** Evaluates a JSONPath rule against the state's effective input. */
export function evaluateJsonPathRule(rule: CompiledChoiceRule, roots: PathRoots, stateName: string): boolean {
  switch (rule.kind) {
    case 'and':
      return rule.rules.every((r) => evaluateJsonPathRule(r, roots, stateName));
    case 'or':
      return rule.rules.some((r) => evaluateJsonPathRule(r, roots, stateName));
    case 'not':
      return !evaluateJsonPathRule(rule.rule, roots, stateName);
    case 'condition':
      throw new Error('JSONata condition in a JSONPath rule');
    case 'test': {
      const v = evaluatePath(rule.variable, roots);
      if (rule.operator === 'IsPresent') return (v !== NOT_FOUND) === rule.value;
      if (v === NOT_FOUND) {
        throw new RuntimeError(
          `An error occurred while executing the state '${stateName}'. Invalid path '${rule.variable.source}': The choice state's condition path references an invalid value.`,
        );
      }
      switch (rule.operator) {
        case 'IsNull':
          return (v === null) === rule.value;
        case 'IsNumeric':
          return (typeof v === 'number') === rule.value;
        case 'IsString':
          return (typeof v === 'string') === rule.value;
        case 'IsBoolean':
          return (typeof v === 'boolean') === rule.value;
        case 'IsTimestamp':
          return (parseTimestamp(v) !== undefined) === rule.value;
        default: {
          let expected = rule.value;
          if (rule.valuePath) {
            expected = evaluatePath(rule.valuePath, roots);
            if (expected === NOT_FOUND) {
              throw new RuntimeError(
                `An error occurred while executing the state '${stateName}'. Invalid path '${rule.valuePath.source}': The choice state's condition path references an invalid value.`,
              );
            }
          }
          if (rule.operator === 'NumericEquals' && typeof v === 'number' && typeof expected === 'number') return v === expected;
          if (rule.operator === 'StringEquals' && !rule.valuePath) return typeof v === 'string' && deepEqual(v, expected);
          return compare(rule.operator, v, expected);
        }
      }
    }
  }
}

export function evaluateCondition(rule: CompiledChoiceRule, bindings: JsonataBindings, stateName: string): MaybePromise<boolean> {
  if (rule.kind !== 'condition') throw new Error('not a JSONata condition');
  const v = evaluateJsonataTemplate(rule.tpl, bindings, stateName);
  return isPromise(v) ? v.then((value) => booleanCondition(value, stateName)) : booleanCondition(v, stateName);
}

function booleanCondition(v: unknown, stateName: string): boolean {
  if (typeof v !== 'boolean') {
    throw new QueryEvaluationError(
      `An error occurred while executing the state '${stateName}'. The Condition field must evaluate to a boolean, but it returned ${JSON.stringify(v)}.`,
    );
  }
  return v;
}
