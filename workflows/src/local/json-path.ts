/**
 * The JSONPath dialect Step Functions uses (Jayway JsonPath): `$` is the state input, `$$` the
 * Context object, `$name` a workflow variable. Definite paths (names and single indices) yield
 * one value; indefinite paths (wildcards, slices, unions, filters, `..`) yield an array.
 * Source: Developer Guide, "Paths" and "Reference paths" pages; the ASL specification, "Paths".
 */

export type PathRoot = { kind: 'input' } | { kind: 'context' } | { kind: 'variable'; name: string };

type Segment =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'names'; names: string[] }
  | { kind: 'indices'; indices: number[] }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start?: number; end?: number; step?: number }
  | { kind: 'filter'; expr: FilterExpr }
  | { kind: 'descend'; then: Segment }
  | { kind: 'length' };

export interface ParsedPath {
  readonly source: string;
  readonly root: PathRoot;
  readonly segments: readonly Segment[];
  /** True when the path can only ever select one node. */
  readonly definite: boolean;
  /** True when the path is a Reference Path: only names and single indices. */
  readonly reference: boolean;
}

export class JsonPathSyntaxError extends Error {
  constructor(path: string, reason: string) {
    super(`Invalid JSONPath '${path}': ${reason}`);
    this.name = 'JsonPathSyntaxError';
  }
}

/** Marker for "the path selects nothing". */
export const NOT_FOUND: unique symbol = Symbol('NOT_FOUND');
export type Lookup = unknown | typeof NOT_FOUND;

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const cache = new Map<string, ParsedPath>();

/** Parses (and caches) a JSONPath. Throws JsonPathSyntaxError. */
export function parsePath(source: string): ParsedPath {
  const hit = cache.get(source);
  if (hit) return hit;
  const parsed = new PathParser(source).parse();
  if (cache.size > 10_000) cache.clear();
  cache.set(source, parsed);
  return parsed;
}

/** Is `value` a string that looks like a path (starts with `$`)? */
export function isPathLike(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith('$');
}

class PathParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parse(): ParsedPath {
    const s = this.src.trim();
    if (!s.startsWith('$')) throw new JsonPathSyntaxError(this.src, "a path must start with '$'");
    let root: PathRoot;
    this.pos = 1;
    if (s.startsWith('$$')) {
      root = { kind: 'context' };
      this.pos = 2;
    } else {
      const m = VARIABLE_NAME.exec(s.slice(1));
      if (m) {
        root = { kind: 'variable', name: m[0] };
        this.pos = 1 + m[0].length;
      } else {
        root = { kind: 'input' };
      }
    }
    const segments: Segment[] = [];
    const text = s;
    while (this.pos < text.length) {
      segments.push(this.segment(text));
    }
    const definite = segments.every((g) => g.kind === 'name' || g.kind === 'index' || g.kind === 'length');
    const reference = segments.every((g) => g.kind === 'name' || g.kind === 'index');
    return { source: this.src, root, segments, definite, reference };
  }

  private segment(t: string): Segment {
    const c = t[this.pos];
    if (c === '.') {
      if (t[this.pos + 1] === '.') {
        this.pos += 2;
        if (t[this.pos] === '[') return { kind: 'descend', then: this.bracket(t) };
        return { kind: 'descend', then: this.dotName(t) };
      }
      this.pos++;
      return this.dotName(t);
    }
    if (c === '[') return this.bracket(t);
    throw new JsonPathSyntaxError(this.src, `unexpected '${c}' at position ${this.pos}`);
  }

  private dotName(t: string): Segment {
    if (t[this.pos] === '*') {
      this.pos++;
      return { kind: 'wildcard' };
    }
    const start = this.pos;
    while (this.pos < t.length && t[this.pos] !== '.' && t[this.pos] !== '[') this.pos++;
    const name = t.slice(start, this.pos);
    if (!name) throw new JsonPathSyntaxError(this.src, `empty field name at position ${start}`);
    if (name === 'length()' && this.pos === t.length) return { kind: 'length' };
    return { kind: 'name', name };
  }

  private bracket(t: string): Segment {
    this.pos++; // [
    this.skipWs(t);
    let seg: Segment;
    if (t[this.pos] === '*') {
      this.pos++;
      seg = { kind: 'wildcard' };
    } else if (t[this.pos] === '?') {
      this.pos++;
      this.skipWs(t);
      if (t[this.pos] !== '(') throw new JsonPathSyntaxError(this.src, "a filter must look like [?(...)]");
      const end = this.matchingParen(t, this.pos);
      const exprText = t.slice(this.pos + 1, end);
      this.pos = end + 1;
      seg = { kind: 'filter', expr: new FilterParser(exprText, this.src).parse() };
    } else if (t[this.pos] === "'" || t[this.pos] === '"') {
      const names: string[] = [];
      for (;;) {
        names.push(this.quoted(t));
        this.skipWs(t);
        if (t[this.pos] !== ',') break;
        this.pos++;
        this.skipWs(t);
      }
      seg = names.length === 1 ? { kind: 'name', name: names[0] } : { kind: 'names', names };
    } else {
      const close = t.indexOf(']', this.pos);
      if (close < 0) throw new JsonPathSyntaxError(this.src, "missing ']'");
      const body = t.slice(this.pos, close).trim();
      this.pos = close;
      seg = this.numeric(body);
    }
    this.skipWs(t);
    if (t[this.pos] !== ']') throw new JsonPathSyntaxError(this.src, `expected ']' at position ${this.pos}`);
    this.pos++;
    return seg;
  }

  private numeric(body: string): Segment {
    const int = (x: string): number | undefined => {
      const v = x.trim();
      if (v === '') return undefined;
      if (!/^-?\d+$/.test(v)) throw new JsonPathSyntaxError(this.src, `'${x}' is not an integer`);
      return Number(v);
    };
    if (body.includes(':')) {
      const [a, b, c] = body.split(':');
      return { kind: 'slice', start: int(a), end: int(b ?? ''), step: int(c ?? '') };
    }
    if (body.includes(',')) return { kind: 'indices', indices: body.split(',').map((x) => int(x) as number) };
    const index = int(body);
    if (index === undefined) throw new JsonPathSyntaxError(this.src, 'empty brackets');
    return { kind: 'index', index };
  }

  private quoted(t: string): string {
    const q = t[this.pos++];
    let out = '';
    while (this.pos < t.length && t[this.pos] !== q) {
      if (t[this.pos] === '\\') this.pos++;
      out += t[this.pos++];
    }
    if (t[this.pos] !== q) throw new JsonPathSyntaxError(this.src, 'unterminated quoted name');
    this.pos++;
    return out;
  }

  private matchingParen(t: string, open: number): number {
    let depth = 0;
    let quote: string | undefined;
    for (let i = open; i < t.length; i++) {
      const c = t[i];
      if (quote) {
        if (c === '\\') i++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i;
    }
    throw new JsonPathSyntaxError(this.src, "unbalanced '(' in filter");
  }

  private skipWs(t: string): void {
    while (t[this.pos] === ' ') this.pos++;
  }
}

// ---- filter expressions: [?(@.price < 10 && @.tags)] ----

type FilterExpr =
  | { kind: 'or' | 'and'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'cmp'; op: string; left: FilterExpr; right: FilterExpr }
  | { kind: 'literal'; value: unknown }
  | { kind: 'regex'; value: RegExp }
  | { kind: 'path'; relative: boolean; path: ParsedPath };

class FilterParser {
  private pos = 0;
  constructor(private readonly t: string, private readonly whole: string) {}

  parse(): FilterExpr {
    const e = this.or();
    this.ws();
    if (this.pos < this.t.length) throw new JsonPathSyntaxError(this.whole, `unexpected '${this.t.slice(this.pos)}' in filter`);
    return e;
  }

  private or(): FilterExpr {
    let left = this.and();
    while (this.eat('||')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): FilterExpr {
    let left = this.unary();
    while (this.eat('&&')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  private unary(): FilterExpr {
    this.ws();
    if (this.t[this.pos] === '!' && this.t[this.pos + 1] !== '=') {
      this.pos++;
      return { kind: 'not', expr: this.unary() };
    }
    const left = this.operand();
    for (const op of ['==', '!=', '<=', '>=', '=~', '<', '>']) {
      if (this.eat(op)) return { kind: 'cmp', op, left, right: this.operand() };
    }
    return left;
  }

  private operand(): FilterExpr {
    this.ws();
    const c = this.t[this.pos];
    if (c === '(') {
      this.pos++;
      const e = this.or();
      if (!this.eat(')')) throw new JsonPathSyntaxError(this.whole, "missing ')' in filter");
      return e;
    }
    if (c === "'" || c === '"') {
      let out = '';
      this.pos++;
      while (this.pos < this.t.length && this.t[this.pos] !== c) {
        if (this.t[this.pos] === '\\') this.pos++;
        out += this.t[this.pos++];
      }
      this.pos++;
      return { kind: 'literal', value: out };
    }
    if (c === '/') {
      const end = this.t.indexOf('/', this.pos + 1);
      const body = this.t.slice(this.pos + 1, end);
      this.pos = end + 1;
      let flags = '';
      while (/[a-z]/.test(this.t[this.pos] ?? '')) flags += this.t[this.pos++];
      return { kind: 'regex', value: new RegExp(body, flags) };
    }
    if (c === '@' || c === '$') {
      const start = this.pos;
      this.pos++;
      while (this.pos < this.t.length) {
        const ch = this.t[this.pos];
        if (ch === '[') {
          let depth = 0;
          for (; this.pos < this.t.length; this.pos++) {
            if (this.t[this.pos] === '[') depth++;
            if (this.t[this.pos] === ']' && --depth === 0) break;
          }
          this.pos++;
        } else if (/[\w.$*()-]/.test(ch) && !(ch === ')' )) this.pos++;
        else break;
      }
      const text = this.t.slice(start, this.pos);
      const relative = c === '@';
      return { kind: 'path', relative, path: parsePath(relative ? '$' + text.slice(1) : text) };
    }
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(this.t.slice(this.pos));
    if (!m) throw new JsonPathSyntaxError(this.whole, `unexpected '${this.t.slice(this.pos)}' in filter`);
    this.pos += m[0].length;
    return { kind: 'literal', value: JSON.parse(m[0]) };
  }

  private eat(s: string): boolean {
    this.ws();
    if (this.t.startsWith(s, this.pos)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  private ws(): void {
    while (this.t[this.pos] === ' ') this.pos++;
  }
}

// ---- evaluation ----

export interface PathRoots {
  input: unknown;
  context?: unknown;
  variable?: (name: string) => Lookup;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function rootValue(path: ParsedPath, roots: PathRoots): Lookup {
  switch (path.root.kind) {
    case 'input':
      return roots.input;
    case 'context':
      return roots.context === undefined ? NOT_FOUND : roots.context;
    case 'variable':
      return roots.variable ? roots.variable(path.root.name) : NOT_FOUND;
  }
}

/**
 * Evaluates a path. Definite paths return the value or NOT_FOUND; indefinite paths always
 * return an array of the matches (possibly empty), as Jayway JsonPath does.
 */
export function evaluatePath(path: ParsedPath | string, roots: PathRoots): Lookup {
  const p = typeof path === 'string' ? parsePath(path) : path;
  const root = rootValue(p, roots);
  if (root === NOT_FOUND) return p.definite ? NOT_FOUND : [];
  if (p.definite) {
    let cur: unknown = root;
    for (const seg of p.segments) {
      if (seg.kind === 'name') {
        if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, seg.name)) return NOT_FOUND;
        cur = cur[seg.name];
      } else if (seg.kind === 'index') {
        if (!Array.isArray(cur)) return NOT_FOUND;
        const i = seg.index < 0 ? cur.length + seg.index : seg.index;
        if (i < 0 || i >= cur.length) return NOT_FOUND;
        cur = cur[i];
      } else if (seg.kind === 'length') {
        if (Array.isArray(cur)) cur = cur.length;
        else if (typeof cur === 'string') cur = cur.length;
        else if (isObject(cur)) cur = Object.keys(cur).length;
        else return NOT_FOUND;
      }
    }
    return cur;
  }
  let nodes: unknown[] = [root];
  for (const seg of p.segments) {
    const next: unknown[] = [];
    for (const n of nodes) step(seg, n, next, roots);
    nodes = next;
  }
  return nodes;
}

function step(seg: Segment, node: unknown, out: unknown[], roots: PathRoots): void {
  switch (seg.kind) {
    case 'name':
      if (isObject(node) && Object.prototype.hasOwnProperty.call(node, seg.name)) out.push(node[seg.name]);
      return;
    case 'names':
      if (isObject(node)) for (const n of seg.names) if (n in node) out.push(node[n]);
      return;
    case 'index':
    case 'indices': {
      if (!Array.isArray(node)) return;
      for (const raw of seg.kind === 'index' ? [seg.index] : seg.indices) {
        const i = raw < 0 ? node.length + raw : raw;
        if (i >= 0 && i < node.length) out.push(node[i]);
      }
      return;
    }
    case 'wildcard':
      if (Array.isArray(node)) out.push(...node);
      else if (isObject(node)) out.push(...Object.values(node));
      return;
    case 'slice': {
      if (!Array.isArray(node)) return;
      const len = node.length;
      const stepBy = seg.step ?? 1;
      const norm = (v: number | undefined, dflt: number) =>
        v === undefined ? dflt : v < 0 ? Math.max(0, len + v) : Math.min(v, len);
      const start = norm(seg.start, 0);
      const end = norm(seg.end, len);
      for (let i = start; i < end; i += stepBy > 0 ? stepBy : 1) out.push(node[i]);
      return;
    }
    case 'filter': {
      const items = Array.isArray(node) ? node : isObject(node) ? Object.values(node) : [];
      for (const item of items) if (truthy(evalFilter(seg.expr, item, roots))) out.push(item);
      return;
    }
    case 'descend': {
      const visit = (n: unknown) => {
        step(seg.then, n, out, roots);
        if (Array.isArray(n)) n.forEach(visit);
        else if (isObject(n)) Object.values(n).forEach(visit);
      };
      visit(node);
      return;
    }
    case 'length':
      if (Array.isArray(node) || typeof node === 'string') out.push(node.length);
      return;
  }
}

function truthy(v: unknown): boolean {
  if (v === NOT_FOUND) return false;
  return v !== false && v !== null && v !== undefined;
}

function evalFilter(e: FilterExpr, current: unknown, roots: PathRoots): unknown {
  switch (e.kind) {
    case 'or':
      return truthy(evalFilter(e.left, current, roots)) || truthy(evalFilter(e.right, current, roots));
    case 'and':
      return truthy(evalFilter(e.left, current, roots)) && truthy(evalFilter(e.right, current, roots));
    case 'not':
      return !truthy(evalFilter(e.expr, current, roots));
    case 'literal':
    case 'regex':
      return e.value;
    case 'path': {
      const v = evaluatePath(e.path, e.relative ? { ...roots, input: current } : roots);
      return v;
    }
    case 'cmp': {
      const l = evalFilter(e.left, current, roots);
      const r = evalFilter(e.right, current, roots);
      if (l === NOT_FOUND || r === NOT_FOUND) return e.op === '!=';
      switch (e.op) {
        case '==':
          return deepEqual(l, r);
        case '!=':
          return !deepEqual(l, r);
        case '=~':
          return typeof l === 'string' && r instanceof RegExp && r.test(l);
        default: {
          if (!((typeof l === 'number' && typeof r === 'number') || (typeof l === 'string' && typeof r === 'string'))) return false;
          if (e.op === '<') return l < r;
          if (e.op === '<=') return l <= r;
          if (e.op === '>') return l > r;
          return l >= r;
        }
      }
    }
  }
}

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * Returns a copy of `target` with `value` placed at the reference path (ResultPath semantics).
 * Containers along the path are copied, never mutated; missing objects are created.
 * Returns NOT_FOUND when the path runs through a value that is not an object.
 */
export function setAtPath(target: unknown, path: ParsedPath, value: unknown): Lookup {
  if (path.root.kind !== 'input') return NOT_FOUND;
  const segs = path.segments;
  if (segs.length === 0) return value;
  const rec = (node: unknown, i: number): Lookup => {
    const seg = segs[i];
    const last = i === segs.length - 1;
    if (seg.kind === 'name') {
      if (node !== undefined && !isObject(node)) return NOT_FOUND;
      const obj = { ...((node as Record<string, unknown>) ?? {}) };
      const child = last ? value : rec(obj[seg.name], i + 1);
      if (child === NOT_FOUND) return NOT_FOUND;
      obj[seg.name] = child;
      return obj;
    }
    if (seg.kind === 'index') {
      if (!Array.isArray(node)) return NOT_FOUND;
      const idx = seg.index < 0 ? node.length + seg.index : seg.index;
      if (idx < 0 || idx >= node.length) return NOT_FOUND;
      const arr = node.slice();
      const child = last ? value : rec(arr[idx], i + 1);
      if (child === NOT_FOUND) return NOT_FOUND;
      arr[idx] = child;
      return arr;
    }
    return NOT_FOUND;
  };
  return rec(target, 0);
}

/** A path in Jayway's bracket notation: `$['a']['b'][0]`. */
function bracketNotation(root: string, segments: readonly Segment[]): string {
  let out = root;
  for (const seg of segments) {
    if (seg.kind === 'name') out += `['${seg.name}']`;
    else if (seg.kind === 'index') out += `[${seg.index}]`;
  }
  return out;
}

/**
 * Why a definite path selected nothing, in the words of Jayway JsonPath, which Step Functions
 * uses: "No results for path: $['x']" when the last step is missing, "Missing property in path
 * $['a']" when a step before it is (executions recorded against AWS).
 */
export function explainNoResult(path: ParsedPath, roots: PathRoots): string {
  const root = path.root.kind === 'context' ? '$$' : path.root.kind === 'variable' ? `$${path.root.name}` : '$';
  let cur: unknown = rootValue(path, roots);
  const segs = path.segments;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const last = i === segs.length - 1;
    let next: Lookup = NOT_FOUND;
    if (seg.kind === 'name' && isObject(cur) && Object.prototype.hasOwnProperty.call(cur, seg.name)) next = cur[seg.name];
    else if (seg.kind === 'index' && Array.isArray(cur)) {
      const j = seg.index < 0 ? cur.length + seg.index : seg.index;
      if (j >= 0 && j < cur.length) next = cur[j];
    } else if (seg.kind === 'length') return `No results for path: ${bracketNotation(root, segs)}`;
    if (next === NOT_FOUND) {
      return last ? `No results for path: ${bracketNotation(root, segs)}` : `Missing property in path ${bracketNotation(root, segs.slice(0, i + 1))}`;
    }
    cur = next;
  }
  return `No results for path: ${bracketNotation(root, segs)}`;
}
