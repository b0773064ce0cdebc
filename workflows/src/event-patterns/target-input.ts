/**
 * What a rule target receives: the whole event, a constant `Input`, the part `InputPath` selects,
 * or what `InputTransformer` builds from `InputPathsMap` and `InputTemplate`
 * (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html).
 *
 * Template rules, as EventBridge applies them: a `<variable>` inside a JSON string is replaced by
 * the value's text (escaped for the string); elsewhere by the value as JSON (a string keeps its
 * quotes). `<aws.events.event>` (the event without `detail`) and `<aws.events.event.json>` (the
 * whole event) are inserted as JSON. A path that selects nothing gives `null` (outside quotes) or
 * nothing (inside quotes). Text in angle brackets that names no variable is left as it is.
 */
import { evaluatePath, NOT_FOUND, parsePath } from '../local/json-path';

/** The target settings of `AWS::Events::Rule` that shape the input (CloudFormation names). */
export interface TargetInputSettings {
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { readonly InputPathsMap?: Record<string, string>; readonly InputTemplate: string };
}

/** Values of the predefined variables for one delivery. */
export interface PredefinedVariables {
  readonly ruleArn: string;
  readonly ruleName: string;
  /** ISO 8601 time EventBridge received the event. */
  readonly ingestionTime: string;
}

/** A target input that cannot be built (the deployment or the delivery would fail). */
export class TargetInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetInputError';
  }
}

const RESERVED_PREFIX = 'aws.events.';

/**
 * The input the target receives for `event`.
 *
 * @param subject names the target in error messages
 * @throws TargetInputError when a path is not valid JSONPath or the template does not give JSON
 */
export function targetInput(event: Record<string, unknown>, settings: TargetInputSettings, predefined: PredefinedVariables, subject: string): unknown {
  const given = ['Input', 'InputPath', 'InputTransformer'].filter((k) => (settings as Record<string, unknown>)[k] !== undefined);
  if (given.length > 1) {
    throw new TargetInputError(`${subject}: sets ${given.join(' and ')}, got ${JSON.stringify(settings)}. Fix: use only one of Input, InputPath and InputTransformer (EventBridge refuses more).`);
  }
  if (settings.Input !== undefined) {
    try {
      return JSON.parse(settings.Input);
    } catch (error) {
      throw new TargetInputError(`${subject}: Input must be JSON text, got ${JSON.stringify(settings.Input)} (${(error as Error).message}). Fix: give valid JSON.`);
    }
  }
  if (settings.InputPath !== undefined) {
    const value = select(event, settings.InputPath, `${subject}: InputPath`);
    return value === undefined ? null : value;
  }
  if (settings.InputTransformer !== undefined) {
    return renderTemplate(event, settings.InputTransformer, predefined, subject);
  }
  return event;
}

function select(event: unknown, path: string, where: string): unknown {
  let parsed;
  try {
    parsed = parsePath(path);
  } catch (error) {
    throw new TargetInputError(`${where} ${JSON.stringify(path)} is not a JSONPath (${(error as Error).message}). Fix: write a path such as $.detail or $.detail.items[0].`);
  }
  const value = evaluatePath(parsed, { input: event });
  return value === NOT_FOUND ? undefined : value;
}

function renderTemplate(
  event: Record<string, unknown>,
  transformer: NonNullable<TargetInputSettings['InputTransformer']>,
  predefined: PredefinedVariables,
  subject: string,
): unknown {
  const variables = new Map<string, { value: unknown; raw?: string }>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) {
    if (name.startsWith(RESERVED_PREFIX)) {
      throw new TargetInputError(`${subject}: InputPathsMap variable ${JSON.stringify(name)} uses a reserved name. Fix: rename it; names starting with "${RESERVED_PREFIX}" are EventBridge's predefined variables.`);
    }
    variables.set(name, { value: select(event, path, `${subject}: InputPathsMap.${name}`) });
  }
  const { detail: _detail, ...withoutDetail } = event;
  variables.set('aws.events.rule-arn', { value: predefined.ruleArn });
  variables.set('aws.events.rule-name', { value: predefined.ruleName });
  variables.set('aws.events.event.ingestion-time', { value: predefined.ingestionTime });
  variables.set('aws.events.event', { value: withoutDetail, raw: JSON.stringify(withoutDetail) });
  variables.set('aws.events.event.json', { value: event, raw: JSON.stringify(event) });

  const template = transformer.InputTemplate;
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '\\' && inString) {
      out += c + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') {
      inString = !inString;
      out += c;
      continue;
    }
    if (c === '<') {
      const end = template.indexOf('>', i + 1);
      const name = end < 0 ? '' : template.slice(i + 1, end);
      const variable = variables.get(name);
      if (variable) {
        out += substitute(variable.value, variable.raw, inString);
        i = end;
        continue;
      }
    }
    out += c;
  }
  try {
    return JSON.parse(out);
  } catch (error) {
    throw new TargetInputError(
      `${subject}: InputTemplate does not give JSON for this event (${(error as Error).message}), got ${JSON.stringify(out)}. Fix: quote text around variables ("<name> text") and leave variables holding objects unquoted.`,
    );
  }
}

function substitute(value: unknown, raw: string | undefined, inString: boolean): string {
  if (inString) {
    if (value === undefined) return '';
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return JSON.stringify(text).slice(1, -1);
  }
  if (raw !== undefined) return raw;
  return value === undefined ? 'null' : JSON.stringify(value);
}
