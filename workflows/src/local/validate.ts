/**
 * Static checks of a definition, reporting every problem with where it is: transitions
 * (Next/End, unknown targets, unreachable states), fields allowed per state type and query
 * language, path / intrinsic / JSONata syntax, Retry and Catch, Choice rules, Map modes and
 * workflow variable scopes. AWS rejects such definitions at CreateStateMachine.
 * Sources: Developer Guide pages for each state type, "Handling errors", "Passing data between
 * states with variables"; the ASL specification.
 */
import { CHOICE_OPERATORS, operatorsOf, parseTimestamp } from './choice-rules';
import { compileValue, QueryLanguage } from './definition';
import { parsePath } from './json-path';
import { MAX_NESTING_DEPTH, nestsDeeperThan } from './limits';
import { compileJsonataTemplate, isJsonataString } from './jsonata-adapter';
import { compileDynamicValue, compilePayloadTemplate } from './payload-template';

export interface ValidationProblem {
  /** Where: e.g. "States.Fan out.Branches[0].States.Lookup.Next". */
  readonly path: string;
  readonly stateName?: string;
  readonly message: string;
}

type Json = Record<string, unknown>;

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const JSONPATH_IO = ['InputPath', 'OutputPath'];
const FIELDS: Record<string, { JSONPath: string[]; JSONata: string[] }> = {
  Task: {
    JSONPath: [...JSONPATH_IO, 'Resource', 'Next', 'End', 'Parameters', 'ResultPath', 'ResultSelector', 'Retry', 'Catch', 'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials', 'Assign'],
    JSONata: ['Resource', 'Next', 'End', 'Arguments', 'Output', 'Retry', 'Catch', 'TimeoutSeconds', 'HeartbeatSeconds', 'Credentials', 'Assign'],
  },
  Pass: {
    JSONPath: [...JSONPATH_IO, 'Next', 'End', 'Parameters', 'ResultPath', 'Result', 'Assign'],
    JSONata: ['Next', 'End', 'Output', 'Assign'],
  },
  Choice: {
    JSONPath: [...JSONPATH_IO, 'Choices', 'Default', 'Assign'],
    JSONata: ['Choices', 'Default', 'Output', 'Assign'],
  },
  Wait: {
    JSONPath: [...JSONPATH_IO, 'Next', 'End', 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath', 'Assign'],
    JSONata: ['Next', 'End', 'Seconds', 'Timestamp', 'Output', 'Assign'],
  },
  Succeed: { JSONPath: [...JSONPATH_IO], JSONata: ['Output'] },
  Fail: { JSONPath: ['Error', 'Cause', 'ErrorPath', 'CausePath'], JSONata: ['Error', 'Cause'] },
  Parallel: {
    JSONPath: [...JSONPATH_IO, 'Branches', 'Next', 'End', 'Parameters', 'ResultPath', 'ResultSelector', 'Retry', 'Catch', 'Assign'],
    JSONata: ['Branches', 'Next', 'End', 'Arguments', 'Output', 'Retry', 'Catch', 'Assign'],
  },
  Map: {
    JSONPath: [
      ...JSONPATH_IO, 'ItemProcessor', 'Iterator', 'ItemsPath', 'ItemSelector', 'Parameters', 'ItemReader', 'ItemBatcher', 'ResultWriter',
      'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'ToleratedFailureCount',
      'ToleratedFailureCountPath', 'Label', 'Next', 'End', 'ResultPath', 'ResultSelector', 'Retry', 'Catch', 'Assign',
    ],
    JSONata: [
      'ItemProcessor', 'Items', 'ItemSelector', 'ItemReader', 'ItemBatcher', 'ResultWriter', 'MaxConcurrency', 'ToleratedFailurePercentage',
      'ToleratedFailureCount', 'Label', 'Next', 'End', 'Output', 'Retry', 'Catch', 'Assign',
    ],
  },
};

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_STATE_NAME = 80;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class Validator {
  readonly problems: ValidationProblem[] = [];
  private readonly seenNames = new Map<string, string>();

  constructor(private readonly topQl: QueryLanguage) {}

  add(path: string, message: string, stateName?: string): void {
    this.problems.push({ path, stateName, message });
  }

  /** Runs `fn`, turning a thrown compile error into a problem. */
  attempt(path: string, stateName: string | undefined, fn: () => unknown): void {
    try {
      fn();
    } catch (e) {
      this.add(path, (e as Error).message, stateName);
    }
  }

  machine(def: unknown, path: string, outerVariables: ReadonlySet<string>, inheritedQl: QueryLanguage, isolated: boolean): void {
    if (!isObject(def)) {
      this.add(path || '(definition)', 'must be an object with StartAt and States');
      return;
    }
    const prefix = path ? `${path}.` : '';
    const allowedTop = path ? ['StartAt', 'States', 'Comment', 'ProcessorConfig'] : ['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage'];
    for (const k of Object.keys(def)) if (!allowedTop.includes(k)) this.add(`${prefix}${k}`, `unknown field '${k}'`);
    if (!isObject(def.States) || Object.keys(def.States).length === 0) {
      this.add(`${prefix}States`, 'must be a non-empty object of states');
      return;
    }
    const states = def.States;
    if (typeof def.StartAt !== 'string') this.add(`${prefix}StartAt`, 'is required and must be a state name');
    else if (!(def.StartAt in states)) this.add(`${prefix}StartAt`, `names '${def.StartAt}', which is not a state in this States object`);
    if (def.TimeoutSeconds !== undefined && !(Number.isInteger(def.TimeoutSeconds) && (def.TimeoutSeconds as number) > 0)) {
      this.add(`${prefix}TimeoutSeconds`, 'must be a positive integer');
    }

    // Variables assigned in this scope may not reuse names from outer scopes.
    const scopeVariables = new Set<string>();
    for (const [name, state] of Object.entries(states)) {
      const statePath = `${prefix}States.${name}`;
      this.state(name, state, statePath, states, outerVariables, scopeVariables, inheritedQl, isolated);
    }
    this.reachability(def, states, prefix);
  }

  private reachability(def: Json, states: Json, prefix: string): void {
    if (typeof def.StartAt !== 'string' || !(def.StartAt in states)) return;
    const seen = new Set<string>([def.StartAt]);
    const queue = [def.StartAt];
    while (queue.length) {
      const s = states[queue.pop() as string];
      if (!isObject(s)) continue;
      const targets: unknown[] = [s.Next, s.Default];
      if (Array.isArray(s.Choices)) for (const c of s.Choices) if (isObject(c)) targets.push(c.Next);
      if (Array.isArray(s.Catch)) for (const c of s.Catch) if (isObject(c)) targets.push(c.Next);
      for (const t of targets) {
        if (typeof t === 'string' && t in states && !seen.has(t)) {
          seen.add(t);
          queue.push(t);
        }
      }
    }
    for (const name of Object.keys(states)) {
      if (!seen.has(name)) this.add(`${prefix}States.${name}`, `state '${name}' is not reachable from StartAt '${def.StartAt}'`, name);
    }
  }

  private state(
    name: string,
    s: unknown,
    path: string,
    siblings: Json,
    outerVariables: ReadonlySet<string>,
    scopeVariables: Set<string>,
    inheritedQl: QueryLanguage,
    isolated: boolean,
  ): void {
    const add = (field: string, message: string) => this.add(field ? `${path}.${field}` : path, message, name);
    if (name.length > MAX_STATE_NAME) add('', `state names are limited to ${MAX_STATE_NAME} characters`);
    const other = this.seenNames.get(name);
    if (other) add('', `state name '${name}' is also used at ${other}; state names must be unique in the whole state machine`);
    else this.seenNames.set(name, path);
    if (!isObject(s)) {
      add('', 'must be an object');
      return;
    }
    const type = s.Type;
    if (typeof type !== 'string' || !FIELDS[type]) {
      add('Type', `must be one of ${Object.keys(FIELDS).join(', ')}, got ${JSON.stringify(type)}`);
      return;
    }
    let ql = inheritedQl;
    if (s.QueryLanguage !== undefined) {
      if (s.QueryLanguage !== 'JSONPath' && s.QueryLanguage !== 'JSONata') add('QueryLanguage', 'must be "JSONPath" or "JSONata"');
      else if (this.topQl === 'JSONata' && s.QueryLanguage === 'JSONPath') {
        add('QueryLanguage', 'a state cannot use JSONPath when the state machine\'s QueryLanguage is JSONata');
      } else ql = s.QueryLanguage;
    }
    const allowed = FIELDS[type][ql];
    const otherLanguage = FIELDS[type][ql === 'JSONPath' ? 'JSONata' : 'JSONPath'];
    for (const field of Object.keys(s)) {
      if (COMMON.includes(field) || allowed.includes(field)) continue;
      if (otherLanguage.includes(field)) {
        add(field, `field '${field}' is not supported in ${ql} states${ql === 'JSONata' ? ' (use Arguments, Output and {% %} expressions)' : ' (set "QueryLanguage": "JSONata" to use it)'}`);
      } else add(field, `unknown field '${field}' for a ${type} state`);
    }

    // Transitions.
    const terminal = type === 'Succeed' || type === 'Fail';
    if (type === 'Choice') {
      if (s.Next !== undefined || s.End !== undefined) add('', 'a Choice state cannot have Next or End');
    } else if (!terminal) {
      const hasNext = s.Next !== undefined;
      const hasEnd = s.End === true;
      if (hasNext === hasEnd) add('', `a ${type} state must have exactly one of "Next" or "End": true`);
      if (s.End !== undefined && s.End !== true) add('End', 'must be true when present');
    }
    const target = (field: string, value: unknown) => {
      if (value === undefined) return;
      if (typeof value !== 'string') add(field, 'must be a state name');
      else if (!(value in siblings)) add(field, `names '${value}', which is not a state in the same States object`);
    };
    if (!terminal && type !== 'Choice') target('Next', s.Next);

    // Input/output fields.
    if (ql === 'JSONPath') {
      for (const f of ['InputPath', 'OutputPath']) {
        if (s[f] !== undefined && s[f] !== null) this.attempt(`${path}.${f}`, name, () => parsePath(this.str(s[f], f)));
      }
      if (s.ResultPath !== undefined && s.ResultPath !== null) {
        this.attempt(`${path}.ResultPath`, name, () => {
          const p = parsePath(this.str(s.ResultPath, 'ResultPath'));
          if (!p.reference || p.root.kind !== 'input') throw new Error(`ResultPath '${p.source}' must be a reference path on $ (names and indexes only)`);
        });
      }
      for (const f of ['Parameters', 'ResultSelector', 'ItemSelector']) {
        if (s[f] !== undefined) this.attempt(`${path}.${f}`, name, () => compilePayloadTemplate(s[f], f));
      }
    } else {
      for (const f of ['Arguments', 'Output']) {
        if (s[f] !== undefined) {
          this.attempt(`${path}.${f}`, name, () => compileJsonataTemplate(s[f], f));
          // AWS takes a key ending in '.$' in Output as a literal key (recorded executions); in Arguments it is refused here, as a likely JSONPath leftover.
          if (f === 'Arguments') this.noDollarKeys(s[f], `${path}.${f}`, name);
        }
      }
      if (s.Arguments !== undefined && !isObject(s.Arguments) && !isJsonataString(s.Arguments)) add('Arguments', 'must be an object or a {% %} JSONata string');
    }
    this.assign(s.Assign, `${path}.Assign`, name, ql, outerVariables, scopeVariables);

    // Numbers that may come from a path or JSONata.
    const checkNumber = (def: Json, field: string, fieldPath: string, min: number) => {
      const v = def[field];
      const pv = def[`${field}Path`];
      if (v !== undefined && pv !== undefined) this.add(`${fieldPath}`, `only one of ${field} and ${field}Path may be set`, name);
      this.attempt(`${fieldPath}.${field}`, name, () => compileValue(def, field, ql));
      if (v !== undefined && !(ql === 'JSONata' && isJsonataString(v)) && !(typeof v === 'number' && Number.isInteger(v) && v >= min)) {
        this.add(`${fieldPath}.${field}`, `must be an integer >= ${min}${ql === 'JSONata' ? ' or a {% %} JSONata expression' : ''}`, name);
      }
    };

    switch (type) {
      case 'Task':
        if (typeof s.Resource !== 'string' || !s.Resource.startsWith('arn:')) add('Resource', 'is required and must be an ARN');
        checkNumber(s, 'TimeoutSeconds', path, 1);
        checkNumber(s, 'HeartbeatSeconds', path, 1);
        if (typeof s.TimeoutSeconds === 'number' && typeof s.HeartbeatSeconds === 'number' && s.HeartbeatSeconds >= s.TimeoutSeconds) {
          add('HeartbeatSeconds', 'must be smaller than TimeoutSeconds');
        }
        break;
      case 'Wait': {
        const modes = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((f) => s[f] !== undefined);
        if (modes.length !== 1) add('', `a Wait state needs exactly one of Seconds, Timestamp${ql === 'JSONPath' ? ', SecondsPath, TimestampPath' : ''}; found ${modes.length ? modes.join(', ') : 'none'}`);
        if (s.Seconds !== undefined) checkNumber(s, 'Seconds', path, 0);
        if (s.SecondsPath !== undefined) this.attempt(`${path}.SecondsPath`, name, () => compileDynamicValue(s.SecondsPath, 'SecondsPath'));
        if (s.TimestampPath !== undefined) this.attempt(`${path}.TimestampPath`, name, () => compileDynamicValue(s.TimestampPath, 'TimestampPath'));
        if (s.Timestamp !== undefined) {
          if (ql === 'JSONata' && isJsonataString(s.Timestamp)) this.attempt(`${path}.Timestamp`, name, () => compileJsonataTemplate(s.Timestamp, 'Timestamp'));
          // With a zone: AWS cannot parse '2016-12-05T21:29:29' (recorded executions).
          else if (parseTimestamp(s.Timestamp) === undefined) add('Timestamp', `must be an ISO-8601 timestamp with a zone, such as 2026-01-01T00:00:00Z, got ${JSON.stringify(s.Timestamp)}`);
        }
        break;
      }
      case 'Fail':
        for (const f of ['Error', 'Cause']) {
          if (s[f] !== undefined && s[`${f}Path`] !== undefined) add('', `only one of ${f} and ${f}Path may be set`);
          if (s[f] !== undefined && typeof s[f] !== 'string') add(f, 'must be a string');
          if (ql === 'JSONata' && isJsonataString(s[f])) this.attempt(`${path}.${f}`, name, () => compileJsonataTemplate(s[f], f));
          if (s[`${f}Path`] !== undefined) this.attempt(`${path}.${f}Path`, name, () => compileDynamicValue(s[`${f}Path`], `${f}Path`));
        }
        break;
      case 'Choice':
        this.choice(s, path, name, ql, siblings, outerVariables, scopeVariables);
        break;
      case 'Parallel':
        if (!Array.isArray(s.Branches) || s.Branches.length === 0) add('Branches', 'must be a non-empty array of state machines');
        else {
          const visible = new Set([...outerVariables, ...scopeVariables]);
          s.Branches.forEach((b, i) => this.machine(b, `${path}.Branches[${i}]`, visible, ql, false));
        }
        break;
      case 'Map':
        this.map(s, path, name, ql, outerVariables, scopeVariables, isolated);
        break;
      default:
        break;
    }
    if (type === 'Task' || type === 'Parallel' || type === 'Map') {
      this.retry(s.Retry, `${path}.Retry`, name);
      this.catchers(s.Catch, `${path}.Catch`, name, ql, siblings, outerVariables, scopeVariables);
    }
  }

  private str(v: unknown, field: string): string {
    if (typeof v !== 'string') throw new Error(`${field} must be a string or null`);
    return v;
  }

  private noDollarKeys(v: unknown, path: string, stateName: string): void {
    if (Array.isArray(v)) v.forEach((x, i) => this.noDollarKeys(x, `${path}[${i}]`, stateName));
    else if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k.endsWith('.$')) this.add(`${path}.${k}`, `keys ending in '.$' are JSONPath syntax; in JSONata states write "${k.slice(0, -2)}": "{% ... %}"`, stateName);
        this.noDollarKeys(x, `${path}.${k}`, stateName);
      }
    }
  }

  private assign(
    value: unknown,
    path: string,
    stateName: string,
    ql: QueryLanguage,
    outerVariables: ReadonlySet<string>,
    scopeVariables: Set<string>,
  ): void {
    if (value === undefined) return;
    if (!isObject(value)) {
      this.add(path, 'Assign must be an object of variable names to values', stateName);
      return;
    }
    this.attempt(path, stateName, () => (ql === 'JSONata' ? compileJsonataTemplate(value, 'Assign') : compilePayloadTemplate(value, 'Assign')));
    for (const key of Object.keys(value)) {
      const name = ql === 'JSONPath' && key.endsWith('.$') ? key.slice(0, -2) : key;
      if (!VARIABLE_NAME.test(name)) this.add(`${path}.${key}`, `'${name}' is not a valid variable name (letters, digits and _, not starting with a digit)`, stateName);
      else if (name === 'states') this.add(`${path}.${key}`, "'states' is reserved for $states", stateName);
      else if (outerVariables.has(name)) {
        this.add(`${path}.${key}`, `variable '${name}' is assigned in an outer scope; a Parallel branch or Map iteration can read it but not assign it`, stateName);
      }
      scopeVariables.add(name);
    }
  }

  private retry(value: unknown, path: string, stateName: string): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      this.add(path, 'must be an array of retriers', stateName);
      return;
    }
    value.forEach((r, i) => {
      const p = `${path}[${i}]`;
      if (!isObject(r)) return this.add(p, 'must be an object', stateName);
      this.errorEquals(r.ErrorEquals, `${p}.ErrorEquals`, stateName, i === value.length - 1);
      for (const k of Object.keys(r)) {
        if (!['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'].includes(k)) this.add(`${p}.${k}`, `unknown retrier field '${k}'`, stateName);
      }
      const int = (k: string, min: number) => {
        if (r[k] !== undefined && !(Number.isInteger(r[k]) && (r[k] as number) >= min)) this.add(`${p}.${k}`, `must be an integer >= ${min}`, stateName);
      };
      int('IntervalSeconds', 1);
      int('MaxAttempts', 0);
      int('MaxDelaySeconds', 1);
      if (r.BackoffRate !== undefined && !(typeof r.BackoffRate === 'number' && r.BackoffRate >= 1)) this.add(`${p}.BackoffRate`, 'must be a number >= 1.0', stateName);
      if (r.JitterStrategy !== undefined && r.JitterStrategy !== 'FULL' && r.JitterStrategy !== 'NONE') this.add(`${p}.JitterStrategy`, 'must be "FULL" or "NONE"', stateName);
    });
  }

  private catchers(
    value: unknown,
    path: string,
    stateName: string,
    ql: QueryLanguage,
    siblings: Json,
    outerVariables: ReadonlySet<string>,
    scopeVariables: Set<string>,
  ): void {
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      this.add(path, 'must be an array of catchers', stateName);
      return;
    }
    value.forEach((c, i) => {
      const p = `${path}[${i}]`;
      if (!isObject(c)) return this.add(p, 'must be an object', stateName);
      this.errorEquals(c.ErrorEquals, `${p}.ErrorEquals`, stateName, i === value.length - 1);
      const allowed = ql === 'JSONPath' ? ['ErrorEquals', 'Next', 'ResultPath', 'Assign', 'Comment'] : ['ErrorEquals', 'Next', 'Output', 'Assign', 'Comment'];
      for (const k of Object.keys(c)) if (!allowed.includes(k)) this.add(`${p}.${k}`, `field '${k}' is not allowed in a ${ql} catcher`, stateName);
      if (typeof c.Next !== 'string') this.add(`${p}.Next`, 'is required', stateName);
      else if (!(c.Next in siblings)) this.add(`${p}.Next`, `names '${c.Next}', which is not a state in the same States object`, stateName);
      if (ql === 'JSONPath' && c.ResultPath !== undefined && c.ResultPath !== null) {
        this.attempt(`${p}.ResultPath`, stateName, () => {
          const rp = parsePath(this.str(c.ResultPath, 'ResultPath'));
          if (!rp.reference) throw new Error(`ResultPath '${rp.source}' must be a reference path`);
        });
      }
      if (ql === 'JSONata' && c.Output !== undefined) this.attempt(`${p}.Output`, stateName, () => compileJsonataTemplate(c.Output, 'Output'));
      this.assign(c.Assign, `${p}.Assign`, stateName, ql, outerVariables, scopeVariables);
    });
  }

  private errorEquals(value: unknown, path: string, stateName: string, isLast: boolean): void {
    if (!Array.isArray(value) || value.length === 0 || !value.every((e) => typeof e === 'string')) {
      this.add(path, 'must be a non-empty array of error names', stateName);
      return;
    }
    if (value.includes('States.ALL')) {
      if (value.length > 1) this.add(path, "'States.ALL' must appear alone in ErrorEquals", stateName);
      if (!isLast) this.add(path, "a retrier or catcher with 'States.ALL' must be the last one", stateName);
    }
  }

  private choice(
    s: Json,
    path: string,
    name: string,
    ql: QueryLanguage,
    siblings: Json,
    outerVariables: ReadonlySet<string>,
    scopeVariables: Set<string>,
  ): void {
    if (!Array.isArray(s.Choices) || s.Choices.length === 0) {
      this.add(`${path}.Choices`, 'must be a non-empty array of rules', name);
      return;
    }
    if (s.Default !== undefined && (typeof s.Default !== 'string' || !(s.Default in siblings))) {
      this.add(`${path}.Default`, `names '${String(s.Default)}', which is not a state in the same States object`, name);
    }
    s.Choices.forEach((rule, i) => {
      const p = `${path}.Choices[${i}]`;
      if (!isObject(rule)) return this.add(p, 'must be an object', name);
      if (typeof rule.Next !== 'string') this.add(`${p}.Next`, 'a top-level Choice rule needs Next', name);
      else if (!(rule.Next in siblings)) this.add(`${p}.Next`, `names '${rule.Next}', which is not a state in the same States object`, name);
      this.assign(rule.Assign, `${p}.Assign`, name, ql, outerVariables, scopeVariables);
      if (ql === 'JSONata') {
        for (const k of Object.keys(rule)) if (!['Condition', 'Next', 'Assign', 'Output', 'Comment'].includes(k)) this.add(`${p}.${k}`, `field '${k}' is not allowed in a JSONata Choice rule (use Condition)`, name);
        if (!isJsonataString(rule.Condition) && typeof rule.Condition !== 'boolean') this.add(`${p}.Condition`, 'must be a {% %} JSONata expression', name);
        else this.attempt(`${p}.Condition`, name, () => compileJsonataTemplate(rule.Condition, 'Condition'));
        if (rule.Output !== undefined) this.attempt(`${p}.Output`, name, () => compileJsonataTemplate(rule.Output, 'Output'));
      } else {
        if (rule.Output !== undefined || rule.Condition !== undefined) this.add(p, 'Output and Condition are JSONata fields', name);
        this.rule(rule, p, name, true);
      }
    });
  }

  private rule(rule: unknown, path: string, stateName: string, top: boolean): void {
    if (!isObject(rule)) return this.add(path, 'must be an object', stateName);
    const ops = operatorsOf(rule);
    if (ops.length !== 1) {
      this.add(path, `a Choice rule needs exactly one comparison operator, And, Or or Not; found ${ops.length ? ops.join(', ') : 'none'}`, stateName);
      return;
    }
    const allowed = new Set([...ops, 'Variable', 'Comment', ...(top ? ['Next', 'Assign'] : [])]);
    for (const k of Object.keys(rule)) if (!allowed.has(k)) this.add(`${path}.${k}`, `unknown field '${k}' in Choice rule`, stateName);
    const op = ops[0];
    if (op === 'And' || op === 'Or') {
      if (!Array.isArray(rule[op]) || (rule[op] as unknown[]).length === 0) this.add(`${path}.${op}`, 'must be a non-empty array of rules', stateName);
      else (rule[op] as unknown[]).forEach((r, i) => this.rule(r, `${path}.${op}[${i}]`, stateName, false));
      if (rule.Variable !== undefined) this.add(`${path}.Variable`, `${op} rules take no Variable`, stateName);
      return;
    }
    if (op === 'Not') {
      this.rule(rule.Not, `${path}.Not`, stateName, false);
      return;
    }
    if (typeof rule.Variable !== 'string') this.add(`${path}.Variable`, 'is required and must be a path', stateName);
    else this.attempt(`${path}.Variable`, stateName, () => parsePath(rule.Variable as string));
    const v = rule[op];
    if (op.endsWith('Path')) {
      if (typeof v !== 'string') this.add(`${path}.${op}`, 'must be a path', stateName);
      else this.attempt(`${path}.${op}`, stateName, () => parsePath(v));
    } else if (op.startsWith('Is')) {
      if (typeof v !== 'boolean') this.add(`${path}.${op}`, 'must be true or false', stateName);
    } else if (op.startsWith('String') && typeof v !== 'string') this.add(`${path}.${op}`, 'must be a string', stateName);
    else if (op.startsWith('Numeric') && typeof v !== 'number') this.add(`${path}.${op}`, 'must be a number', stateName);
    else if (op.startsWith('Boolean') && typeof v !== 'boolean') this.add(`${path}.${op}`, 'must be a boolean', stateName);
    else if (op.startsWith('Timestamp') && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) this.add(`${path}.${op}`, 'must be an RFC 3339 timestamp', stateName);
    if (!CHOICE_OPERATORS.has(op)) this.add(`${path}.${op}`, 'unknown operator', stateName);
  }

  private map(
    s: Json,
    path: string,
    name: string,
    ql: QueryLanguage,
    outerVariables: ReadonlySet<string>,
    scopeVariables: Set<string>,
    isolated: boolean,
  ): void {
    const add = (field: string, message: string) => this.add(`${path}.${field}`, message, name);
    if (s.ItemProcessor !== undefined && s.Iterator !== undefined) add('Iterator', 'use ItemProcessor or the legacy Iterator, not both');
    if (s.ItemSelector !== undefined && s.Parameters !== undefined) add('Parameters', 'use ItemSelector or the legacy Parameters, not both');
    const processor = s.ItemProcessor ?? s.Iterator;
    if (!isObject(processor)) {
      add('ItemProcessor', 'is required');
      return;
    }
    const config = processor.ProcessorConfig;
    let distributed = false;
    if (config !== undefined) {
      if (!isObject(config)) add('ItemProcessor.ProcessorConfig', 'must be an object');
      else {
        if (config.Mode !== undefined && config.Mode !== 'INLINE' && config.Mode !== 'DISTRIBUTED') add('ItemProcessor.ProcessorConfig.Mode', 'must be INLINE or DISTRIBUTED');
        distributed = config.Mode === 'DISTRIBUTED';
        if (config.ExecutionType !== undefined && config.ExecutionType !== 'STANDARD' && config.ExecutionType !== 'EXPRESS') add('ItemProcessor.ProcessorConfig.ExecutionType', 'must be STANDARD or EXPRESS');
        if (distributed && config.ExecutionType === undefined) add('ItemProcessor.ProcessorConfig.ExecutionType', 'is required in DISTRIBUTED mode (STANDARD or EXPRESS)');
      }
    }
    if (!distributed) {
      for (const f of ['ItemReader', 'ItemBatcher', 'ResultWriter', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', 'ToleratedFailureCount', 'ToleratedFailureCountPath', 'Label']) {
        if (s[f] !== undefined) add(f, `${f} is only available in DISTRIBUTED mode (ItemProcessor.ProcessorConfig.Mode)`);
      }
    }
    if (ql === 'JSONPath' && s.ItemsPath !== undefined) {
      this.attempt(`${path}.ItemsPath`, name, () => {
        const p = parsePath(this.str(s.ItemsPath, 'ItemsPath'));
        if (!p.reference) throw new Error(`ItemsPath '${p.source}' must be a reference path`);
      });
    }
    if (ql === 'JSONata') {
      if (s.Items !== undefined) {
        if (!Array.isArray(s.Items) && !isJsonataString(s.Items)) add('Items', 'must be an array or a {% %} JSONata expression');
        this.attempt(`${path}.Items`, name, () => compileJsonataTemplate(s.Items, 'Items'));
      }
      if (s.ItemSelector !== undefined) this.attempt(`${path}.ItemSelector`, name, () => compileJsonataTemplate(s.ItemSelector, 'ItemSelector'));
    } else if (s.Parameters !== undefined) this.attempt(`${path}.Parameters`, name, () => compilePayloadTemplate(s.Parameters, 'Parameters'));
    const checkNumber = (def: Json, field: string, fieldPath: string, min: number, max = Infinity, integer = true) => {
      const v = def[field];
      if (v !== undefined && def[`${field}Path`] !== undefined) this.add(fieldPath, `only one of ${field} and ${field}Path may be set`, name);
      this.attempt(`${fieldPath}.${field}`, name, () => compileValue(def, field, ql));
      if (v !== undefined && !(ql === 'JSONata' && isJsonataString(v)) && !(typeof v === 'number' && (!integer || Number.isInteger(v)) && v >= min && v <= max)) {
        this.add(`${fieldPath}.${field}`, `must be ${integer ? 'an integer' : 'a number'} from ${min}${max === Infinity ? '' : ` to ${max}`}`, name);
      }
    };
    checkNumber(s, 'MaxConcurrency', path, 0);
    checkNumber(s, 'ToleratedFailureCount', path, 0);
    checkNumber(s, 'ToleratedFailurePercentage', path, 0, 100, false);
    if (s.ItemBatcher !== undefined) {
      if (!isObject(s.ItemBatcher)) add('ItemBatcher', 'must be an object');
      else {
        const b = s.ItemBatcher;
        for (const k of Object.keys(b)) {
          if (!['MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath', 'BatchInput'].includes(k)) add(`ItemBatcher.${k}`, `unknown ItemBatcher field '${k}'`);
        }
        if (['MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'].every((k) => b[k] === undefined)) {
          add('ItemBatcher', 'needs MaxItemsPerBatch or MaxInputBytesPerBatch');
        }
        checkNumber(b, 'MaxItemsPerBatch', `${path}.ItemBatcher`, 1);
        checkNumber(b, 'MaxInputBytesPerBatch', `${path}.ItemBatcher`, 1, 262_144);
        if (b.BatchInput !== undefined) {
          this.attempt(`${path}.ItemBatcher.BatchInput`, name, () => (ql === 'JSONata' ? compileJsonataTemplate(b.BatchInput, 'BatchInput') : compilePayloadTemplate(b.BatchInput, 'BatchInput')));
        }
      }
    }
    // Iterations read outer variables, except Distributed Map children which see none.
    const visible = distributed ? new Set<string>() : new Set([...outerVariables, ...scopeVariables]);
    const { ProcessorConfig: _ignored, ...machine } = processor;
    this.machine(machine, `${path}.${s.ItemProcessor !== undefined ? 'ItemProcessor' : 'Iterator'}`, visible, ql, isolated || distributed);
  }
}

/** Parses a definition given as a JSON string or object. */
export function parseDefinition(definition: object | string): { value?: Json; problem?: ValidationProblem } {
  if (typeof definition === 'string') {
    try {
      definition = JSON.parse(definition) as object;
    } catch (e) {
      return { problem: { path: '(definition)', message: `is not valid JSON: ${(e as Error).message}` } };
    }
  }
  if (!isObject(definition)) return { problem: { path: '(definition)', message: 'must be a JSON object' } };
  // Checked first: every later walk of the definition recurses and would overflow the stack.
  if (nestsDeeperThan(definition)) {
    return { problem: { path: '(definition)', message: `nests more than ${MAX_NESTING_DEPTH} levels deep, more than the local runtime supports. Fix: nest JSON at most ${MAX_NESTING_DEPTH} levels deep` } };
  }
  return { value: definition };
}

/**
 * Returns every problem found in the definition (an empty array when it is valid).
 */
export function validateDefinition(definition: object | string): ValidationProblem[] {
  const { value, problem } = parseDefinition(definition);
  if (!value) return [problem!];
  const ql = value.QueryLanguage;
  const v = new Validator(ql === 'JSONata' ? 'JSONata' : 'JSONPath');
  if (ql !== undefined && ql !== 'JSONPath' && ql !== 'JSONata') v.add('QueryLanguage', 'must be "JSONPath" or "JSONata"');
  v.machine(value, '', new Set(), ql === 'JSONata' ? 'JSONata' : 'JSONPath', false);
  return v.problems;
}

export function formatProblems(problems: readonly ValidationProblem[]): string {
  return problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
}
