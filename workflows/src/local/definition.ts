/**
 * Compiles an ASL definition once into the form the interpreter runs: paths parsed, payload
 * templates and JSONata expressions precompiled, query language resolved per state.
 * `validateDefinition` (validate.ts) runs first; compile assumes a valid definition.
 */
import { isLambdaFunctionArn, taskResourceParts } from './history';
import { parsePath, ParsedPath } from './json-path';
import { compileJsonataTemplate, isJsonataString, JsonataTemplate } from './jsonata-adapter';
import { compileChoiceRule, CompiledChoiceRule } from './choice-rules';
import { compileDynamicValue, compilePayloadTemplate, PayloadTemplate } from './payload-template';

export type QueryLanguage = 'JSONPath' | 'JSONata';
export type StateType = 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';
export type Json = Record<string, unknown>;

/** A number/string field given as a constant, a JSONPath (`...Path` field) or a JSONata string. */
export type ValueSource =
  | { kind: 'const'; value: unknown; field: string }
  | { kind: 'path'; tpl: PayloadTemplate; field: string }
  | { kind: 'jsonata'; tpl: JsonataTemplate; field: string };

export type AssignSpec = { ql: 'JSONPath'; tpl: PayloadTemplate } | { ql: 'JSONata'; tpl: JsonataTemplate };

export interface CompiledRetrier {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds?: number;
  jitter: 'FULL' | 'NONE';
}

export interface CompiledCatcher {
  errorEquals: string[];
  next: string;
  /** JSONPath: undefined = "$", null = discard. */
  resultPath?: ParsedPath | null;
  output?: JsonataTemplate;
  assign?: AssignSpec;
}

export interface CompiledChoice {
  rule: CompiledChoiceRule;
  next: string;
  assign?: AssignSpec;
  output?: JsonataTemplate;
}

export interface CompiledMap {
  distributed: boolean;
  /** A Distributed Map whose children are Express workflows (ProcessorConfig.ExecutionType). */
  express: boolean;
  processor: CompiledMachine;
  itemsPath?: ParsedPath;
  items?: ValueSource;
  itemSelector?: AssignSpec;
  maxConcurrency?: ValueSource;
  toleratedFailureCount?: ValueSource;
  toleratedFailurePercentage?: ValueSource;
  itemBatcher?: {
    maxItemsPerBatch?: ValueSource;
    maxInputBytesPerBatch?: ValueSource;
    batchInput?: AssignSpec;
  };
  itemReader?: Json;
  resultWriter?: Json;
}

export interface CompiledState {
  name: string;
  type: StateType;
  ql: QueryLanguage;
  raw: Json;
  next?: string;
  end: boolean;
  // JSONPath fields. undefined = default "$"; null = JSON null (discard / empty object).
  inputPath?: ParsedPath | null;
  outputPath?: ParsedPath | null;
  resultPath?: ParsedPath | null;
  parameters?: PayloadTemplate;
  resultSelector?: PayloadTemplate;
  result?: unknown;
  hasResult: boolean;
  // JSONata fields.
  arguments?: JsonataTemplate;
  output?: JsonataTemplate;
  assign?: AssignSpec;
  retry: CompiledRetrier[];
  catch: CompiledCatcher[];
  // Task
  resource?: string;
  /** Task `Credentials` (JSONPath payload template, or JSONata template), resolved per visit. */
  credentials?: PayloadTemplate;
  credentialsJsonata?: JsonataTemplate;
  /** A Lambda function ARN as Resource: LambdaFunction* history events. */
  lambdaArn?: boolean;
  /** Who "returned a result" in AWS's States.DataLimitExceeded cause: the Lambda ARN, else the integration's resource type. */
  resultOwner?: string;
  timeoutSeconds?: ValueSource;
  heartbeatSeconds?: ValueSource;
  // Wait
  seconds?: ValueSource;
  timestamp?: ValueSource;
  // Fail
  error?: ValueSource;
  cause?: ValueSource;
  // Choice
  choices?: CompiledChoice[];
  default?: string;
  // Parallel
  branches?: CompiledMachine[];
  // Map
  map?: CompiledMap;
}

export interface CompiledMachine {
  startAt: string;
  states: Map<string, CompiledState>;
  timeoutSeconds?: number;
}

export interface CompiledDefinition {
  machine: CompiledMachine;
  queryLanguage: QueryLanguage;
  raw: Json;
}

export function compileDefinition(raw: Json): CompiledDefinition {
  const ql = (raw.QueryLanguage as QueryLanguage | undefined) ?? 'JSONPath';
  return { machine: compileMachine(raw, ql), queryLanguage: ql, raw };
}

function compileMachine(raw: Json, ql: QueryLanguage): CompiledMachine {
  const states = new Map<string, CompiledState>();
  for (const [name, def] of Object.entries(raw.States as Record<string, Json>)) {
    states.set(name, compileState(name, def, ql));
  }
  return { startAt: raw.StartAt as string, states, timeoutSeconds: raw.TimeoutSeconds as number | undefined };
}

function optionalPath(v: unknown): ParsedPath | null | undefined {
  if (v === undefined) return undefined;
  if (v === null) return null;
  return parsePath(v as string);
}

function compileAssign(value: unknown, ql: QueryLanguage, field = 'Assign'): AssignSpec | undefined {
  if (value === undefined) return undefined;
  return ql === 'JSONata' ? { ql, tpl: compileJsonataTemplate(value, field) } : { ql, tpl: compilePayloadTemplate(value, field) };
}

/** A field that may be a constant, a `<field>Path` JSONPath, or (JSONata) a `{% %}` string. */
export function compileValue(def: Json, field: string, ql: QueryLanguage): ValueSource | undefined {
  const value = def[field];
  const pathValue = def[`${field}Path`];
  if (pathValue !== undefined) return { kind: 'path', tpl: compileDynamicValue(pathValue, `${field}Path`), field: `${field}Path` };
  if (value === undefined) return undefined;
  if (ql === 'JSONata' && isJsonataString(value)) return { kind: 'jsonata', tpl: compileJsonataTemplate(value, field), field };
  return { kind: 'const', value, field };
}

function compileState(name: string, def: Json, inherited: QueryLanguage): CompiledState {
  const ql = (def.QueryLanguage as QueryLanguage | undefined) ?? inherited;
  const type = def.Type as StateType;
  const s: CompiledState = {
    name,
    type,
    ql,
    raw: def,
    next: def.Next as string | undefined,
    end: def.End === true || type === 'Succeed' || type === 'Fail',
    hasResult: 'Result' in def,
    result: def.Result,
    retry: [],
    catch: [],
    assign: compileAssign(def.Assign, ql),
  };
  if (ql === 'JSONPath') {
    s.inputPath = optionalPath(def.InputPath);
    s.outputPath = optionalPath(def.OutputPath);
    s.resultPath = optionalPath(def.ResultPath);
    if (def.Parameters !== undefined && type !== 'Map') s.parameters = compilePayloadTemplate(def.Parameters, 'Parameters');
    if (def.ResultSelector !== undefined) s.resultSelector = compilePayloadTemplate(def.ResultSelector, 'ResultSelector');
    if (type === 'Task' && def.Credentials !== undefined) s.credentials = compilePayloadTemplate(def.Credentials, 'Credentials');
  } else {
    if (def.Arguments !== undefined) s.arguments = compileJsonataTemplate(def.Arguments, 'Arguments');
    if (type === 'Task' && def.Credentials !== undefined) s.credentialsJsonata = compileJsonataTemplate(def.Credentials, 'Credentials');
    if (def.Output !== undefined) s.output = compileJsonataTemplate(def.Output, 'Output');
  }
  for (const r of (def.Retry as Json[] | undefined) ?? []) {
    s.retry.push({
      errorEquals: r.ErrorEquals as string[],
      intervalSeconds: (r.IntervalSeconds as number | undefined) ?? 1,
      maxAttempts: (r.MaxAttempts as number | undefined) ?? 3,
      backoffRate: (r.BackoffRate as number | undefined) ?? 2,
      maxDelaySeconds: r.MaxDelaySeconds as number | undefined,
      jitter: (r.JitterStrategy as 'FULL' | 'NONE' | undefined) ?? 'NONE',
    });
  }
  for (const c of (def.Catch as Json[] | undefined) ?? []) {
    s.catch.push({
      errorEquals: c.ErrorEquals as string[],
      next: c.Next as string,
      resultPath: ql === 'JSONPath' ? optionalPath(c.ResultPath) : undefined,
      output: ql === 'JSONata' && c.Output !== undefined ? compileJsonataTemplate(c.Output, 'Catch/Output') : undefined,
      assign: compileAssign(c.Assign, ql, 'Catch/Assign'),
    });
  }
  switch (type) {
    case 'Task':
      s.resource = def.Resource as string;
      s.lambdaArn = isLambdaFunctionArn(s.resource);
      s.resultOwner = s.lambdaArn ? s.resource : taskResourceParts(s.resource).resourceType;
      s.timeoutSeconds = compileValue(def, 'TimeoutSeconds', ql);
      s.heartbeatSeconds = compileValue(def, 'HeartbeatSeconds', ql);
      break;
    case 'Wait':
      s.seconds = compileValue(def, 'Seconds', ql);
      s.timestamp = compileValue(def, 'Timestamp', ql);
      break;
    case 'Fail':
      s.error = compileValue(def, 'Error', ql);
      s.cause = compileValue(def, 'Cause', ql);
      break;
    case 'Choice':
      s.default = def.Default as string | undefined;
      s.choices = (def.Choices as Json[]).map((c, i) => ({
        rule: compileChoiceRule(c, ql, `Choices[${i}]`),
        next: c.Next as string,
        assign: compileAssign(c.Assign, ql, `Choices[${i}]/Assign`),
        output: ql === 'JSONata' && c.Output !== undefined ? compileJsonataTemplate(c.Output, `Choices[${i}]/Output`) : undefined,
      }));
      break;
    case 'Parallel':
      s.branches = (def.Branches as Json[]).map((b) => compileMachine(b, ql));
      if (ql === 'JSONPath' && def.Parameters !== undefined) s.parameters = compilePayloadTemplate(def.Parameters, 'Parameters');
      break;
    case 'Map':
      s.map = compileMapState(def, ql);
      break;
    default:
      break;
  }
  return s;
}

function compileMapState(def: Json, ql: QueryLanguage): CompiledMap {
  const processorDef = (def.ItemProcessor ?? def.Iterator) as Json;
  const config = (processorDef.ProcessorConfig as Json | undefined) ?? {};
  const selector = def.ItemSelector ?? def.Parameters;
  const batcher = def.ItemBatcher as Json | undefined;
  return {
    distributed: config.Mode === 'DISTRIBUTED',
    express: config.ExecutionType === 'EXPRESS',
    processor: compileMachine(processorDef, ql),
    itemsPath: ql === 'JSONPath' && def.ItemsPath !== undefined ? parsePath(def.ItemsPath as string) : undefined,
    items: ql === 'JSONata' ? compileValue(def, 'Items', ql) : undefined,
    itemSelector: compileAssign(selector, ql, def.ItemSelector !== undefined ? 'ItemSelector' : 'Parameters'),
    maxConcurrency: compileValue(def, 'MaxConcurrency', ql),
    toleratedFailureCount: compileValue(def, 'ToleratedFailureCount', ql),
    toleratedFailurePercentage: compileValue(def, 'ToleratedFailurePercentage', ql),
    itemBatcher: batcher
      ? {
          maxItemsPerBatch: compileValue(batcher, 'MaxItemsPerBatch', ql),
          maxInputBytesPerBatch: compileValue(batcher, 'MaxInputBytesPerBatch', ql),
          batchInput: compileAssign(batcher.BatchInput, ql, 'ItemBatcher/BatchInput'),
        }
      : undefined,
    itemReader: def.ItemReader as Json | undefined,
    resultWriter: def.ResultWriter as Json | undefined,
  };
}
