/**
 * JSONPath payload templates (Parameters, ResultSelector, ItemSelector, Assign): a key ending in
 * `.$` takes its value from a path or an intrinsic function; every other value is copied as is.
 * Source: ASL specification "Payload Template"; Developer Guide "Manipulate parameters in
 * Step Functions workflows".
 */
import { RuntimeError } from './errors';
import { evaluateIntrinsic, IntrinsicCall, IntrinsicEnv, isIntrinsic, parseIntrinsic } from './intrinsics';
import { evaluatePath, NOT_FOUND, parsePath, ParsedPath } from './json-path';

export type PayloadTemplate =
  | { kind: 'const'; value: unknown }
  | { kind: 'path'; path: ParsedPath; field: string }
  | { kind: 'intrinsic'; call: IntrinsicCall; field: string }
  | { kind: 'object'; entries: [string, PayloadTemplate][] }
  | { kind: 'array'; items: PayloadTemplate[] };

/** Compiles a template; throws JsonPathSyntaxError / IntrinsicSyntaxError / Error on bad input. */
export function compilePayloadTemplate(value: unknown, field: string): PayloadTemplate {
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compilePayloadTemplate(v, `${field}[${i}]`));
    return items.every((t) => t.kind === 'const') ? { kind: 'const', value } : { kind: 'array', items };
  }
  if (value !== null && typeof value === 'object') {
    const entries: [string, PayloadTemplate][] = [];
    for (const [key, v] of Object.entries(value)) {
      if (key.endsWith('.$')) {
        const name = key.slice(0, -2);
        entries.push([name, compileDynamicValue(v, key)]);
      } else {
        entries.push([key, compilePayloadTemplate(v, key)]);
      }
    }
    return entries.every(([, t]) => t.kind === 'const') ? { kind: 'const', value } : { kind: 'object', entries };
  }
  return { kind: 'const', value };
}

/** The value of a `key.$` field: a path (`$.x`, `$$.x`, `$var.x`) or an intrinsic function. */
export function compileDynamicValue(value: unknown, field: string): PayloadTemplate {
  if (typeof value !== 'string') {
    throw new Error(`The value of field '${field}' must be a JSONPath or an intrinsic function string`);
  }
  if (isIntrinsic(value)) return { kind: 'intrinsic', call: parseIntrinsic(value.trim()), field };
  return { kind: 'path', path: parsePath(value), field };
}

export function evaluatePayloadTemplate(tpl: PayloadTemplate, env: IntrinsicEnv, stateName: string): unknown {
  switch (tpl.kind) {
    case 'const':
      return tpl.value;
    case 'path': {
      const v = evaluatePath(tpl.path, env);
      if (v === NOT_FOUND) {
        // Recorded against AWS; the input quoted is the state's, also for $$ paths.
        throw new RuntimeError(
          `An error occurred while executing the state '${stateName}'. The JSONPath '${tpl.path.source}' specified for the field '${tpl.field}' could not be found in the input '${safeJson(env.input)}'`,
        );
      }
      return v;
    }
    case 'intrinsic':
      try {
        return evaluateIntrinsic(tpl.call, env);
      } catch (e) {
        if (e instanceof RuntimeError) {
          throw new RuntimeError(`An error occurred while executing the state '${stateName}'. ${e.cause} (field '${tpl.field}')`);
        }
        throw e;
      }
    case 'array':
      return tpl.items.map((t) => evaluatePayloadTemplate(t, env, stateName));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, t] of tpl.entries) out[k] = evaluatePayloadTemplate(t, env, stateName);
      return out;
    }
  }
}

export function safeJson(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? 'undefined' : s.length > 1000 ? `${s.slice(0, 1000)}...` : s;
  } catch {
    return String(v);
  }
}
