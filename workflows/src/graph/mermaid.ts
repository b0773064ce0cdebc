/**
 * Draws an Amazon States Language definition as a Mermaid flowchart (GitHub renders Mermaid in
 * Markdown: https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/creating-diagrams).
 *
 * One node per state, its shape telling its type; Parallel and Map states are subgraphs holding
 * their branches / item processor. Edges: Next (plain), Choice rules (labelled with a short form
 * of the condition), Default (`default`), Catch (dashed, labelled with the error names). The
 * output depends only on the definition, so a committed diagram can be checked for staleness.
 */

type Json = Record<string, unknown>;

/** Options of `toMermaid`. */
export interface MermaidOptions {
  /**
   * Longest edge label, in characters; longer conditions are cut with `…`.
   *
   * @default 48
   */
  readonly maxLabelLength?: number;
}

/** A definition that cannot be drawn: names where, shows the value and says the fix. */
export class MermaidDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MermaidDefinitionError';
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The Mermaid `flowchart TD` text of `definition` (an ASL object or JSON string), ending with a
 * newline.
 */
export function toMermaid(definition: object | string, options: MermaidOptions = {}): string {
  let parsed: unknown = definition;
  if (typeof definition === 'string') {
    try {
      parsed = JSON.parse(definition);
    } catch (e) {
      throw new MermaidDefinitionError(`The definition is not valid JSON: ${(e as Error).message}. Fix: pass an Amazon States Language document.`);
    }
  }
  return new MermaidWriter(options.maxLabelLength ?? 48).write(parsed);
}

/** States of one machine (the top level, a Parallel branch or a Map item processor). */
interface Scope {
  /** Where, for errors: `States`, `States.Fan out.Branches[0].States`. */
  readonly path: string;
  readonly states: Json;
  /** Node id of each state of this scope, by state name. */
  readonly ids: Map<string, string>;
}

class MermaidWriter {
  private readonly nodes: string[] = [];
  private readonly classes = { succeed: [] as string[], fail: [] as string[], marker: [] as string[] };
  private readonly usedIds = new Set<string>();

  constructor(private readonly maxLabelLength: number) {}

  write(definition: unknown): string {
    this.nodes.push('  start(("start"))');
    const { scope, edges } = this.machine(definition, '', '  ');
    this.nodes.push('  finish((("end")))');
    this.classes.marker.push('start', 'finish');

    const lines = [
      'flowchart TD',
      ...this.nodes,
      `  start --> ${scope.ids.get(this.startAt(definition))}`,
      ...edges,
      ...this.terminalEdges(scope, 'finish'),
    ];
    lines.push(
      '  classDef succeed fill:#dff5e1,stroke:#2e7d32',
      '  classDef fail fill:#fde2e1,stroke:#c62828',
      '  classDef marker fill:#333,stroke:#333,color:#fff',
    );
    for (const [name, ids] of Object.entries(this.classes)) if (ids.length) lines.push(`  class ${ids.join(',')} ${name}`);
    return `${lines.join('\n')}\n`;
  }

  /** StartAt of a machine `machine()` has checked. */
  private startAt(def: unknown): string {
    return (def as Json).StartAt as string;
  }

  /**
   * Declares the nodes of one machine; returns its scope and its edges, state by state, each
   * state's own edges before those inside it.
   */
  private machine(def: unknown, path: string, indent: string): { scope: Scope; edges: string[] } {
    const where = path || '(definition)';
    if (!isObject(def) || !isObject(def.States) || Object.keys(def.States).length === 0) {
      throw new MermaidDefinitionError(`${where}: must be an object with StartAt and a non-empty States object. Fix: pass an Amazon States Language document.`);
    }
    const statesPath = path ? `${path}.States` : 'States';
    if (typeof def.StartAt !== 'string' || !(def.StartAt in def.States)) {
      throw new MermaidDefinitionError(`${path ? `${path}.` : ''}StartAt: names ${JSON.stringify(def.StartAt)}, which is not a state of ${statesPath}. Fix: name one of ${Object.keys(def.States).map((n) => JSON.stringify(n)).join(', ')}.`);
    }
    const scope: Scope = { path: statesPath, states: def.States, ids: new Map() };
    // Ids first, so that edges can point to states declared later.
    for (const name of Object.keys(def.States)) scope.ids.set(name, this.allocateId(name));
    const inner = Object.entries(def.States).map(([name, state]) => this.state(scope, name, state, indent));
    const edges = Object.entries(def.States).flatMap(([name, state], i) => [...this.stateEdges(scope, name, state as Json), ...inner[i]]);
    return { scope, edges };
  }

  /** Declares the node (or subgraph) of a state; returns the edges inside it. */
  private state(scope: Scope, name: string, state: unknown, indent: string): string[] {
    const id = scope.ids.get(name)!;
    const path = `${scope.path}.${name}`;
    if (!isObject(state) || typeof state.Type !== 'string') {
      throw new MermaidDefinitionError(`${path}: must be an object with a Type, got ${JSON.stringify(state)}. Fix: give the state a Type (Task, Pass, Choice, ...).`);
    }
    const label = escapeLabel(name);
    const inner: string[] = [];
    switch (state.Type) {
      case 'Task':
        this.nodes.push(`${indent}${id}["${label}"]`);
        break;
      case 'Pass':
        this.nodes.push(`${indent}${id}[/"${label}"/]`);
        break;
      case 'Wait':
        this.nodes.push(`${indent}${id}{{"${label}<br/>${escapeLabel(waitSummary(state))}"}}`);
        break;
      case 'Choice':
        this.nodes.push(`${indent}${id}{"${label}"}`);
        break;
      case 'Succeed':
        this.nodes.push(`${indent}${id}(["${label}"])`);
        this.classes.succeed.push(id);
        break;
      case 'Fail':
        this.nodes.push(`${indent}${id}(["${label}"])`);
        this.classes.fail.push(id);
        break;
      case 'Parallel': {
        const branches = state.Branches;
        if (!Array.isArray(branches) || branches.length === 0) {
          throw new MermaidDefinitionError(`${path}.Branches: must be a non-empty array of machines, got ${JSON.stringify(branches)}. Fix: give the Parallel state at least one branch.`);
        }
        this.nodes.push(`${indent}subgraph ${id}["${label} (Parallel)"]`);
        branches.forEach((branch, i) => inner.push(...this.child(`${id}_b${i}`, `branch ${i + 1}`, branch, `${path}.Branches[${i}]`, `${indent}  `)));
        this.nodes.push(`${indent}end`);
        break;
      }
      case 'Map': {
        const field = state.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator';
        const processor = state[field];
        const distributed = isObject(processor) && isObject(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
        this.nodes.push(`${indent}subgraph ${id}["${label} (${distributed ? 'Distributed Map' : 'Map'})"]`);
        inner.push(...this.child(`${id}_items`, 'each item', processor, `${path}.${field}`, `${indent}  `));
        this.nodes.push(`${indent}end`);
        break;
      }
      default:
        throw new MermaidDefinitionError(`${path}.Type: is not a state type, got ${JSON.stringify(state.Type)}. Fix: use Task, Pass, Choice, Wait, Succeed, Fail, Parallel or Map.`);
    }
    return inner;
  }

  /** A Parallel branch or Map item processor: a subgraph with its own start and end markers; returns its edges. */
  private child(id: string, title: string, def: unknown, path: string, indent: string): string[] {
    const start = this.allocateId(`${id}_start`, true);
    const end = this.allocateId(`${id}_end`, true);
    this.nodes.push(`${indent}subgraph ${id}["${title}"]`);
    this.nodes.push(`${indent}  ${start}(("start"))`);
    const { scope, edges } = this.machine(def, path, `${indent}  `);
    this.nodes.push(`${indent}  ${end}((("end")))`);
    this.nodes.push(`${indent}end`);
    this.classes.marker.push(start, end);
    return [`  ${start} --> ${scope.ids.get(this.startAt(def))}`, ...edges, ...this.terminalEdges(scope, end)];
  }

  private stateEdges(scope: Scope, name: string, state: Json): string[] {
    const edges: string[] = [];
    const id = scope.ids.get(name)!;
    const path = `${scope.path}.${name}`;
    const target = (field: string, next: unknown): string => {
      if (typeof next !== 'string' || !scope.ids.has(next)) {
        throw new MermaidDefinitionError(`${path}.${field}: names ${JSON.stringify(next)}, which is not a state of ${scope.path}. Fix: name one of ${[...scope.ids.keys()].map((n) => JSON.stringify(n)).join(', ')}.`);
      }
      return scope.ids.get(next)!;
    };
    if (Array.isArray(state.Choices)) {
      state.Choices.forEach((rule, i) => {
        const condition = isObject(rule) ? this.cut(describeRule(rule)) : '?';
        edges.push(`  ${id} -->|"${escapeLabel(condition)}"| ${target(`Choices[${i}].Next`, isObject(rule) ? rule.Next : undefined)}`);
      });
      if (state.Default !== undefined) edges.push(`  ${id} -->|"default"| ${target('Default', state.Default)}`);
    }
    if (state.Next !== undefined) edges.push(`  ${id} --> ${target('Next', state.Next)}`);
    if (Array.isArray(state.Catch)) {
      state.Catch.forEach((catcher, i) => {
        const errors = isObject(catcher) && Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.join(', ') : '?';
        edges.push(`  ${id} -.->|"${escapeLabel(this.cut(errors))}"| ${target(`Catch[${i}].Next`, isObject(catcher) ? catcher.Next : undefined)}`);
      });
    }
    return edges;
  }

  /** Edges from the states that end this scope (End, Succeed, Fail) to its end marker. */
  private terminalEdges(scope: Scope, end: string): string[] {
    return Object.entries(scope.states)
      .filter(([, state]) => (state as Json).End === true || (state as Json).Type === 'Succeed' || (state as Json).Type === 'Fail')
      .map(([name]) => `  ${scope.ids.get(name)} --> ${end}`);
  }

  /**
   * A Mermaid-safe id for a state name: letters, digits and `_` only, prefixed with `s_` so that
   * no state can be called like a keyword (`end`, `graph`, `subgraph`, `class`, ...); a suffix
   * keeps ids of names that sanitize alike distinct.
   */
  private allocateId(name: string, raw = false): string {
    const base = raw ? name : `s_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let id = base;
    for (let n = 2; this.usedIds.has(id) || id === 'start' || id === 'finish'; n++) id = `${base}_${n}`;
    this.usedIds.add(id);
    return id;
  }

  private cut(text: string): string {
    return text.length <= this.maxLabelLength ? text : `${text.slice(0, this.maxLabelLength - 1)}…`;
  }
}

const OPERATORS: Record<string, string> = {
  Equals: '==', LessThan: '<', GreaterThan: '>', LessThanEquals: '<=', GreaterThanEquals: '>=',
};

/** A short form of a Choice rule: `$.total > 100`, `$.id present`, `not ($.a == "x")`, a JSONata condition. */
export function describeRule(rule: Json): string {
  if (typeof rule.Condition === 'string') return stripJsonata(rule.Condition);
  if (Array.isArray(rule.And)) return rule.And.map((r) => wrap(describeRule(r as Json))).join(' and ');
  if (Array.isArray(rule.Or)) return rule.Or.map((r) => wrap(describeRule(r as Json))).join(' or ');
  if (isObject(rule.Not)) return `not ${wrap(describeRule(rule.Not), true)}`;
  const variable = String(rule.Variable);
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'Variable' || key === 'Next' || key === 'Assign' || key === 'Comment' || key === 'Output') continue;
    const typeTest = /^Is(Null|Present|Numeric|String|Boolean|Timestamp)$/.exec(key);
    if (typeTest) {
      const what = typeTest[1] === 'Present' ? 'present' : `is ${typeTest[1].toLowerCase()}`;
      return value === false ? `${variable} not ${what.replace(/^is /, '')}` : `${variable} ${what}`;
    }
    if (key === 'StringMatches') return `${variable} matches ${JSON.stringify(value)}`;
    const comparison = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/.exec(key);
    if (comparison) {
      const operand = comparison[3] ? String(value) : JSON.stringify(value);
      return `${variable} ${OPERATORS[comparison[2]]} ${operand}`;
    }
  }
  return variable;
}

function wrap(text: string, always = false): string {
  return always || / (and|or) /.test(text) ? `(${text})` : text;
}

function stripJsonata(text: string): string {
  const m = /^\{%([\s\S]*)%\}$/.exec(text.trim());
  return (m ? m[1] : text).trim().replace(/\s+/g, ' ');
}

function waitSummary(state: Json): string {
  if (typeof state.Seconds === 'number') return `wait ${formatSeconds(state.Seconds)}`;
  if (typeof state.Seconds === 'string') return `wait ${stripJsonata(state.Seconds)} s`;
  if (typeof state.SecondsPath === 'string') return `wait ${state.SecondsPath} s`;
  if (typeof state.Timestamp === 'string') return `until ${stripJsonata(state.Timestamp)}`;
  if (typeof state.TimestampPath === 'string') return `until ${state.TimestampPath}`;
  return 'wait';
}

function formatSeconds(seconds: number): string {
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/**
 * Text inside a quoted Mermaid label, with Mermaid entity codes
 * (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters) for `"`
 * (ends the label), `#` (starts an entity code) and `<` (labels are HTML: `<b` would start a
 * tag); `>` is left readable. Line breaks become spaces.
 */
function escapeLabel(text: string): string {
  return text.replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/\r?\n/g, ' ');
}
