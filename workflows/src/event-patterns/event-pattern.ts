/**
 * EventBridge's event pattern language, as a rule on an event bus evaluates it: exact values,
 * `prefix`, `suffix`, `equals-ignore-case`, `wildcard`, `anything-but` (a value, a list, or a
 * prefix / suffix / equals-ignore-case / wildcard), `numeric` ranges, `exists`, `cidr`, `$or`,
 * nested fields and arrays.
 *
 * Sources (each conformance case in test/event-patterns/conformance/ names its page):
 * - Event pattern syntax: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern.html
 * - Comparison operators: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * - Arrays: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 * - Null values and empty strings: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-null-values.html
 *
 * Semantics in brief: every field named by the pattern must match (AND); a field matches when any
 * of its listed values matches (OR); when the event's value is an array, it matches when any
 * element does. Fields matched inside an array of objects must all come from the same element
 * (what AWS's Event Ruler calls array-consistent matching). Comparison operators apply to leaf
 * values only; `exists: false` also matches a field whose value is an object (not a leaf).
 *
 * Written here rather than taken from a package: no npm library implements the language (the
 * serverless-offline EventBridge plugin matches inside the Serverless Framework and covers only
 * part of it; AWS's own Event Ruler is Java).
 *
 * Known difference: AWS compares exact numeric values by their JSON text (300 and 300.0 differ);
 * after JSON.parse both are the number 300, so they are equal here.
 */
import { CidrRange, inCidr, parseCidr, parseIpAddress } from './ip-address';

/** An event pattern, as in a rule's `EventPattern`. */
export type EventPattern = Record<string, unknown>;

/** A pattern EventBridge would refuse (`InvalidEventPatternException`), with every problem found. */
export class EventPatternError extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'EventPatternError';
  }
}

/** A validated pattern, ready to match events. */
export interface CompiledEventPattern {
  /** The pattern as given. */
  readonly pattern: EventPattern;
  /** True when `event` matches the pattern. */
  matches(event: unknown): boolean;
}

/**
 * Numeric matching is limited to values between -5.0e9 and +5.0e9 inclusive (Comparison
 * operators, "Numeric matching").
 */
export const NUMERIC_LIMIT = 5e9;

const MATCHER_KEYS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'exists', 'cidr'] as const;
const ANYTHING_BUT_KEYS = ['prefix', 'suffix', 'equals-ignore-case', 'wildcard'] as const;
const NUMERIC_OPERATORS = ['=', '<', '<=', '>', '>='] as const;

type Leaf = string | number | boolean | null;
type LeafTest = (value: Leaf) => boolean;

interface LeafNode {
  readonly kind: 'leaf';
  /** Matchers on a present leaf value; any one matching is enough. */
  readonly tests: LeafTest[];
  /** `exists: true` / `exists: false` among the values. */
  readonly existsTrue: boolean;
  readonly existsFalse: boolean;
}

interface ObjectNode {
  readonly kind: 'object';
  readonly fields: { readonly name: string; readonly node: LeafNode | ObjectNode }[];
  /** Each `$or` at this level: one of its alternatives (evaluated on the same object) must match. */
  readonly ors: ObjectNode[][];
}

/**
 * Validates `pattern` and returns its matcher.
 *
 * @param subject names the pattern in error messages (for example `Rule ShiftEndedRoute of shift-reports: EventPattern`)
 * @throws EventPatternError listing every problem of the pattern
 */
export function compileEventPattern(pattern: unknown, subject = 'event pattern'): CompiledEventPattern {
  const problems: string[] = [];
  const problem = (where: string, text: string, value: unknown, fix: string) =>
    problems.push(`${subject}${where ? ` at ${where}` : ''}: ${text}, got ${JSON.stringify(value)}. Fix: ${fix}.`);
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) {
    problem('', 'must be a JSON object of fields', pattern, 'write the pattern as { "source": ["..."], "detail-type": ["..."] }');
    throw new EventPatternError(problems);
  }
  const root = compileObject(pattern as Record<string, unknown>, '', problem, true);
  if (problems.length > 0) throw new EventPatternError(problems);
  return { pattern: pattern as EventPattern, matches: (event) => matchObject(root, event) };
}

/** True when `event` matches `pattern` (compiled on each call: compile once to match many events). */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  return compileEventPattern(pattern).matches(event);
}

/** Every problem EventBridge would refuse `pattern` for; empty when it is valid. */
export function validateEventPattern(pattern: unknown, subject?: string): string[] {
  try {
    compileEventPattern(pattern, subject);
    return [];
  } catch (error) {
    if (error instanceof EventPatternError) return error.problems;
    throw error;
  }
}

type Report = (where: string, text: string, value: unknown, fix: string) => void;

function compileObject(pattern: Record<string, unknown>, where: string, problem: Report, top: boolean): ObjectNode {
  const fields: ObjectNode['fields'] = [];
  const ors: ObjectNode[][] = [];
  const entries = Object.entries(pattern);
  if (entries.length === 0) {
    problem(where, top ? 'must name at least one field' : 'must name at least one field (an empty object matches nothing)', pattern,
      'add the fields to match, e.g. { "source": ["my.app"] }, or remove the empty object');
  }
  for (const [name, value] of entries) {
    const path = where ? `${where}.${name}` : name;
    if (name === '$or') {
      if (!Array.isArray(value) || value.length < 2 || !value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
        problem(path, '"$or" must be a list of at least two objects of fields', value, 'write "$or": [ { "a": ["x"] }, { "b": ["y"] } ]');
        continue;
      }
      ors.push(value.map((alternative, i) => compileObject(alternative as Record<string, unknown>, `${path}[${i}]`, problem, false)));
      continue;
    }
    if (Array.isArray(value)) {
      fields.push({ name, node: compileLeaf(value, path, problem) });
    } else if (value !== null && typeof value === 'object') {
      fields.push({ name, node: compileObject(value as Record<string, unknown>, path, problem, false) });
    } else {
      problem(path, 'must be a list of values to match or an object of nested fields', value, `put the value in a list: [${JSON.stringify(value)}]`);
    }
  }
  return { kind: 'object', fields, ors };
}

function compileLeaf(values: unknown[], where: string, problem: Report): LeafNode {
  const tests: LeafTest[] = [];
  let existsTrue = false;
  let existsFalse = false;
  if (values.length === 0) {
    problem(where, 'must list at least one value (an empty list matches nothing)', values, 'list the values to match, or remove the field');
  }
  for (const [i, value] of values.entries()) {
    const at = `${where}[${i}]`;
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      tests.push((v) => v === value);
      continue;
    }
    if (Array.isArray(value)) {
      problem(at, 'a list of values cannot contain a list', value, 'flatten it into one list of values');
      continue;
    }
    const keys = Object.keys(value as object);
    const known = keys.filter((k) => (MATCHER_KEYS as readonly string[]).includes(k));
    if (keys.length !== 1 || known.length !== 1) {
      problem(at, `a matcher is an object with exactly one of ${MATCHER_KEYS.map((k) => `"${k}"`).join(', ')}`, value,
        keys.length > 1 ? 'split it into one matcher object per operator in the list' : 'use one of those operators, or an exact value');
      continue;
    }
    const key = known[0];
    const arg = (value as Record<string, unknown>)[key];
    if (key === 'exists') {
      if (typeof arg !== 'boolean') problem(at, '"exists" takes true or false', arg, 'write { "exists": true } or { "exists": false }');
      else if (arg) existsTrue = true;
      else existsFalse = true;
      continue;
    }
    const test = compileMatcher(key, arg, at, problem);
    if (test) tests.push(test);
  }
  return { kind: 'leaf', tests, existsTrue, existsFalse };
}

function compileMatcher(key: string, arg: unknown, at: string, problem: Report): LeafTest | undefined {
  switch (key) {
    case 'prefix':
    case 'suffix': {
      const ends = key === 'prefix'
        ? (v: string, s: string) => v.startsWith(s)
        : (v: string, s: string) => v.endsWith(s);
      if (typeof arg === 'string') return (v) => typeof v === 'string' && ends(v, arg);
      const ignoreCase = ignoreCaseArgument(arg);
      if (ignoreCase !== undefined) {
        const folded = fold(ignoreCase);
        return (v) => typeof v === 'string' && ends(fold(v), folded);
      }
      problem(at, `"${key}" takes a string or { "equals-ignore-case": string }`, arg, `write { "${key}": "text" }`);
      return undefined;
    }
    case 'equals-ignore-case': {
      if (typeof arg !== 'string') {
        problem(at, '"equals-ignore-case" takes a string', arg, 'write { "equals-ignore-case": "text" }');
        return undefined;
      }
      const folded = fold(arg);
      return (v) => typeof v === 'string' && fold(v) === folded;
    }
    case 'wildcard': {
      const regex = wildcardRegex(arg, at, problem);
      return regex && ((v) => typeof v === 'string' && regex.test(v));
    }
    case 'numeric':
      return numericTest(arg, at, problem);
    case 'cidr': {
      const range = typeof arg === 'string' ? parseCidr(arg) : undefined;
      if (!range) {
        problem(at, '"cidr" takes an IPv4 or IPv6 range in CIDR notation', arg, 'write for example { "cidr": "10.0.0.0/24" } or { "cidr": "2001:db8::/32" }');
        return undefined;
      }
      return cidrTest(range);
    }
    case 'anything-but': {
      const inner = anythingButInner(arg, at, problem);
      return inner && ((v) => !inner(v));
    }
  }
  return undefined;
}

/** What `anything-but` excludes: a value, a list of only strings or only numbers, or a string matcher. */
function anythingButInner(arg: unknown, at: string, problem: Report): LeafTest | undefined {
  const bad = () => problem(at,
    '"anything-but" takes a string, a number, a list of only strings or only numbers, or one of { "prefix" | "suffix" | "equals-ignore-case" | "wildcard" }',
    arg, 'write for example { "anything-but": ["stopped", "overloaded"] } or { "anything-but": { "prefix": "init" } }');
  if (typeof arg === 'string' || typeof arg === 'number') return (v) => v === arg;
  if (Array.isArray(arg)) {
    const allStrings = arg.every((v) => typeof v === 'string');
    const allNumbers = arg.every((v) => typeof v === 'number');
    if (arg.length === 0 || !(allStrings || allNumbers)) {
      bad();
      return undefined;
    }
    const excluded = new Set<unknown>(arg);
    return (v) => excluded.has(v);
  }
  if (arg === null || typeof arg !== 'object') {
    bad();
    return undefined;
  }
  const keys = Object.keys(arg);
  if (keys.length !== 1 || !(ANYTHING_BUT_KEYS as readonly string[]).includes(keys[0])) {
    bad();
    return undefined;
  }
  const key = keys[0];
  const value = (arg as Record<string, unknown>)[key];
  const where = `${at}.anything-but`;
  if (key === 'prefix' || key === 'suffix') {
    if (typeof value !== 'string') {
      problem(where, `"${key}" inside "anything-but" takes a string`, value, `write { "anything-but": { "${key}": "text" } }`);
      return undefined;
    }
    return key === 'prefix' ? (v) => typeof v === 'string' && v.startsWith(value) : (v) => typeof v === 'string' && v.endsWith(value);
  }
  // equals-ignore-case and wildcard take one string or a list of strings inside anything-but.
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string')) {
    problem(where, `"${key}" inside "anything-but" takes a string or a list of strings`, value, `write { "anything-but": { "${key}": ["a", "b"] } }`);
    return undefined;
  }
  if (key === 'equals-ignore-case') {
    const folded = new Set(list.map(fold));
    return (v) => typeof v === 'string' && folded.has(fold(v));
  }
  const regexes = list.map((w, i) => wildcardRegex(w, Array.isArray(value) ? `${where}.wildcard[${i}]` : `${where}.wildcard`, problem));
  if (regexes.some((r) => r === undefined)) return undefined;
  return (v) => typeof v === 'string' && regexes.some((r) => r!.test(v));
}

function ignoreCaseArgument(arg: unknown): string | undefined {
  if (arg === null || typeof arg !== 'object' || Array.isArray(arg)) return undefined;
  const keys = Object.keys(arg);
  const value = (arg as Record<string, unknown>)['equals-ignore-case'];
  return keys.length === 1 && typeof value === 'string' ? value : undefined;
}

/** Case-insensitive comparison form (Unicode lower case of the upper case, so ß/SS and similar fold alike). */
function fold(text: string): string {
  return text.toUpperCase().toLowerCase();
}

/**
 * `*` matches any run of characters (none included); `\*` is a literal asterisk and `\\` a
 * literal backslash; two consecutive wildcards and any other escape are refused (Comparison
 * operators, "Wildcard matching").
 */
function wildcardRegex(arg: unknown, at: string, problem: Report): RegExp | undefined {
  if (typeof arg !== 'string') {
    problem(at, '"wildcard" takes a string', arg, 'write { "wildcard": "dir/*.png" }');
    return undefined;
  }
  let source = '';
  for (let i = 0; i < arg.length; i++) {
    const c = arg[i];
    if (c === '\\') {
      const next = arg[i + 1];
      if (next !== '*' && next !== '\\') {
        problem(at, 'a backslash in "wildcard" may only escape "*" or another backslash', arg, 'write \\\\* for a literal asterisk and \\\\\\\\ for a literal backslash');
        return undefined;
      }
      source += `\\${next}`;
      i++;
    } else if (c === '*') {
      if (arg[i + 1] === '*') {
        problem(at, '"wildcard" cannot have two consecutive "*"', arg, 'use a single "*" (it already matches any run of characters)');
        return undefined;
      }
      source += '.*';
    } else {
      source += c.replace(/[.+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'su');
}

function numericTest(arg: unknown, at: string, problem: Report): LeafTest | undefined {
  const fix = 'write pairs of an operator (=, <, <=, >, >=) and a number, e.g. { "numeric": [">", 0, "<=", 5] }';
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) {
    problem(at, '"numeric" takes one or two comparisons: [operator, number] or [lower operator, number, upper operator, number]', arg, fix);
    return undefined;
  }
  const comparisons: [string, number][] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const [op, n] = [arg[i], arg[i + 1]];
    if (typeof op !== 'string' || !(NUMERIC_OPERATORS as readonly string[]).includes(op)) {
      problem(at, `"numeric" operator must be one of ${NUMERIC_OPERATORS.join(', ')}`, op, fix);
      return undefined;
    }
    if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > NUMERIC_LIMIT) {
      problem(at, `"numeric" compares with numbers between -${NUMERIC_LIMIT.toExponential(1)} and ${NUMERIC_LIMIT.toExponential(1)}`, n, 'use a JSON number in that range');
      return undefined;
    }
    comparisons.push([op, n]);
  }
  if (comparisons.length === 2) {
    const [[op1, n1], [op2, n2]] = comparisons;
    const lower = op1 === '>' || op1 === '>=';
    const upper = op2 === '<' || op2 === '<=';
    if (!lower || !upper) {
      problem(at, '"numeric" with two comparisons must give the lower bound (> or >=) first and the upper bound (< or <=) second', arg, 'write e.g. [">", 0, "<=", 5]; "=" stands alone');
      return undefined;
    }
    if (n1 >= n2) {
      problem(at, '"numeric" lower bound must be below the upper bound', arg, 'swap or correct the bounds');
      return undefined;
    }
  }
  return (v) => typeof v === 'number' && comparisons.every(([op, n]) => compare(op, v, n));
}

function compare(op: string, value: number, bound: number): boolean {
  switch (op) {
    case '=': return value === bound;
    case '<': return value < bound;
    case '<=': return value <= bound;
    case '>': return value > bound;
    default: return value >= bound;
  }
}

function cidrTest(range: CidrRange): LeafTest {
  return (v) => {
    if (typeof v !== 'string') return false;
    const address = parseIpAddress(v);
    return address !== undefined && inCidr(address, range);
  };
}

// ---- matching ----

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * `value` is the event's value at this level: an object (its fields are matched), an array (any
 * element, arrays flattened, must match the whole node, so fields come from one element), or
 * anything else (every field is absent).
 */
function matchObject(node: ObjectNode, value: unknown): boolean {
  if (Array.isArray(value)) {
    const elements = value.flat(Infinity);
    if (elements.length === 0) return matchObject(node, undefined);
    return elements.some((element) => matchObject(node, element));
  }
  const fields = isPlainObject(value) ? value : {};
  for (const { name, node: child } of node.fields) {
    const fieldValue = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
    if (!(child.kind === 'leaf' ? matchLeaf(child, fieldValue) : matchObject(child, fieldValue))) return false;
  }
  return node.ors.every((alternatives) => alternatives.some((alternative) => matchObject(alternative, value)));
}

function matchLeaf(node: LeafNode, value: unknown): boolean {
  const leaves = leavesOf(value);
  if (leaves.length === 0) return node.existsFalse;
  if (node.existsTrue) return true;
  return leaves.some((leaf) => node.tests.some((test) => test(leaf)));
}

/** The leaf values of a field: itself, or the leaves of an array (flattened); objects are not leaves. */
function leavesOf(value: unknown): Leaf[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flat(Infinity).filter((v) => !isPlainObject(v)) as Leaf[];
  return isPlainObject(value) ? [] : [value as Leaf];
}
