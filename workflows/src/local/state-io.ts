/**
 * Input and output processing shared by the state types.
 * JSONPath: InputPath -> Parameters -> (work) -> ResultSelector -> ResultPath -> OutputPath.
 * JSONata: Arguments -> (work) -> Output, with `$states.input/result/errorOutput/context`.
 * Assign is evaluated with the values from state entry and applied when the state completes.
 * Source: Developer Guide, "Processing input and output in Step Functions" and
 * "Passing data between states with variables".
 */
import { CompiledCatcher, CompiledState, AssignSpec, ValueSource } from './definition';
import { ErrorNames, RuntimeError, StatesError } from './errors';
import { MAX_NESTING_DEPTH, MAX_PAYLOAD_BYTES, nestsDeeperThan } from './limits';
import type { ExecutionRun, Frame } from './execution';
import { IntrinsicEnv } from './intrinsics';
import { evaluatePath, explainNoResult, NOT_FOUND, ParsedPath, PathRoots, setAtPath } from './json-path';
import { evaluateJsonataTemplate, JsonataBindings, JsonataScope } from './jsonata-adapter';
import { isPromise, MaybePromise } from './maybe-promise';
import { evaluatePayloadTemplate, safeJson } from './payload-template';
import { ContextObject } from './types';

/** What a state body returns: its output, the next state (undefined = end), its assignments. */
export interface StepResult {
  output: unknown;
  next?: string;
  assign?: Record<string, unknown>;
}

export { MAX_PAYLOAD_BYTES } from './limits';

export function pathEnv(run: ExecutionRun, frame: Frame, input: unknown, ctx: ContextObject): IntrinsicEnv {
  return { input, context: ctx, variable: (name) => frame.scope.get(name), random: run.random };
}

export function jsonataBindings(
  run: ExecutionRun,
  frame: Frame,
  ctx: ContextObject,
  states: { input: unknown; result?: unknown; errorOutput?: unknown },
): JsonataBindings {
  // `states` is each caller's own fresh literal: the context joins it instead of a copy.
  (states as Record<string, unknown>).context = ctx;
  return new JsonataScope(states as Record<string, unknown>, frame.scope, run.jsonataBase, frame.clock.now);
}

/** "Invalid path '$.x' : No results for path: $['x']" (recorded against AWS). */
export function pathFailure(state: CompiledState, path: ParsedPath, roots: PathRoots): RuntimeError {
  return new RuntimeError(`An error occurred while executing the state '${state.name}'. Invalid path '${path.source}' : ${explainNoResult(path, roots)}`);
}

export function applyInputPath(state: CompiledState, input: unknown, env: IntrinsicEnv): unknown {
  if (state.inputPath === undefined) return input;
  if (state.inputPath === null) return {};
  const v = evaluatePath(state.inputPath, env);
  if (v === NOT_FOUND) throw pathFailure(state, state.inputPath, env);
  return v;
}

export function applyOutputPath(state: CompiledState, value: unknown, env: IntrinsicEnv): unknown {
  if (state.outputPath === undefined) return value;
  if (state.outputPath === null) return {};
  const roots = { ...env, input: value };
  const v = evaluatePath(state.outputPath, roots);
  if (v === NOT_FOUND) throw pathFailure(state, state.outputPath, roots);
  return v;
}

export function applyResultPath(stateName: string, resultPath: ParsedPath | null | undefined, rawInput: unknown, result: unknown): unknown {
  if (resultPath === undefined) return result;
  if (resultPath === null) return rawInput;
  const v = setAtPath(rawInput, resultPath, result);
  if (v === NOT_FOUND) {
    throw new StatesError(
      ErrorNames.ResultPathMatchFailure,
      `An error occurred while executing the state '${stateName}'. Unable to apply ResultPath '${resultPath.source}' to input ${safeJson(rawInput)}`,
    );
  }
  return v;
}

/** JSONPath `Parameters`, or the effective input when absent. */
export function applyParameters(state: CompiledState, effectiveInput: unknown, env: IntrinsicEnv): unknown {
  return state.parameters ? evaluatePayloadTemplate(state.parameters, env, state.name) : effectiveInput;
}

/** Callers skip the call when there is no Assign: most states have none. */
export function evaluateAssign(
  spec: AssignSpec | undefined,
  run: ExecutionRun,
  frame: Frame,
  ctx: ContextObject,
  data: { pathInput: unknown; statesInput: unknown; result?: unknown; errorOutput?: unknown },
  stateName: string,
): MaybePromise<Record<string, unknown> | undefined> {
  if (!spec) return undefined;
  if (spec.ql === 'JSONPath') return assignedObject(evaluatePayloadTemplate(spec.tpl, pathEnv(run, frame, data.pathInput, ctx), stateName), stateName);
  const v = evaluateJsonataTemplate(
    spec.tpl,
    jsonataBindings(run, frame, ctx, { input: data.statesInput, result: data.result, errorOutput: data.errorOutput }),
    stateName,
  );
  return isPromise(v) ? v.then((value) => assignedObject(value, stateName)) : assignedObject(v, stateName);
}

function assignedObject(v: unknown, stateName: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new RuntimeError(`State '${stateName}': Assign must produce a JSON object, got ${safeJson(v)}`);
  }
  return v as Record<string, unknown>;
}

/** Evaluates a number/string field given as constant, `...Path` or JSONata. */
export function evaluateValue(
  src: ValueSource,
  run: ExecutionRun,
  frame: Frame,
  ctx: ContextObject,
  effectiveInput: unknown,
  rawInput: unknown,
  stateName: string,
): MaybePromise<unknown> {
  switch (src.kind) {
    case 'const':
      return src.value;
    case 'path':
      return evaluatePayloadTemplate(src.tpl, pathEnv(run, frame, effectiveInput, ctx), stateName);
    case 'jsonata':
      return evaluateJsonataTemplate(src.tpl, jsonataBindings(run, frame, ctx, { input: rawInput }), stateName);
  }
}

/**
 * The step result once Assign (evaluated first, with the values from state entry) and the
 * JSONata Output are known; each may still be pending.
 */
function stepResult(assign: MaybePromise<Record<string, unknown> | undefined>, output: () => MaybePromise<unknown>, next: string | undefined): MaybePromise<StepResult> {
  if (isPromise(assign)) return assign.then(async (a) => ({ output: await output(), next, assign: a }));
  const o = output();
  return isPromise(o) ? o.then((value) => ({ output: value, next, assign })) : { output: o, next, assign };
}

/**
 * Completes a state that produced a result (Task, Parallel, Map, Pass): ResultSelector,
 * Assign, ResultPath and OutputPath in JSONPath; Assign and Output in JSONata.
 */
export function completeWithResult(
  run: ExecutionRun,
  state: CompiledState,
  rawInput: unknown,
  result: unknown,
  frame: Frame,
  ctx: ContextObject,
): MaybePromise<StepResult> {
  if (state.ql === 'JSONPath') {
    const selected = state.resultSelector
      ? evaluatePayloadTemplate(state.resultSelector, pathEnv(run, frame, result, ctx), state.name)
      : result;
    const assign = state.assign && evaluateAssign(state.assign, run, frame, ctx, { pathInput: selected, statesInput: rawInput }, state.name);
    return stepResult(assign, () => {
      const combined = applyResultPath(state.name, state.resultPath, rawInput, selected);
      return applyOutputPath(state, combined, pathEnv(run, frame, combined, ctx));
    }, state.next);
  }
  const assign = state.assign && evaluateAssign(state.assign, run, frame, ctx, { pathInput: result, statesInput: rawInput, result }, state.name);
  const outputTpl = state.output;
  if (!outputTpl) return isPromise(assign) ? assign.then((a) => ({ output: result, next: state.next, assign: a })) : { output: result, next: state.next, assign };
  return stepResult(assign, () => evaluateJsonataTemplate(outputTpl, jsonataBindings(run, frame, ctx, { input: rawInput, result }), state.name), state.next);
}

/**
 * Completes a state without a result (Wait, Choice, Succeed): OutputPath on the effective input
 * in JSONPath, Output (default: the input) in JSONata.
 */
export function completeWithoutResult(
  run: ExecutionRun,
  state: CompiledState,
  rawInput: unknown,
  effectiveInput: unknown,
  frame: Frame,
  ctx: ContextObject,
  next: string | undefined,
  rule?: { assign?: AssignSpec; output?: import('./jsonata-adapter').JsonataTemplate },
): MaybePromise<StepResult> {
  // A matched Choice rule assigns its own variables; the state-level Assign applies otherwise.
  const assignSpec = rule ? rule.assign : state.assign;
  if (state.ql === 'JSONPath') {
    const assign = assignSpec && evaluateAssign(assignSpec, run, frame, ctx, { pathInput: effectiveInput, statesInput: rawInput }, state.name);
    return stepResult(assign, () => applyOutputPath(state, effectiveInput, pathEnv(run, frame, effectiveInput, ctx)), next);
  }
  const assign = assignSpec && evaluateAssign(assignSpec, run, frame, ctx, { pathInput: rawInput, statesInput: rawInput }, state.name);
  const outputTpl = rule?.output ?? state.output;
  if (!outputTpl) return isPromise(assign) ? assign.then((a) => ({ output: rawInput, next, assign: a })) : { output: rawInput, next, assign };
  return stepResult(assign, () => evaluateJsonataTemplate(outputTpl, jsonataBindings(run, frame, ctx, { input: rawInput }), state.name), next);
}

/** The output, next state and assignments of a Catcher that caught `err`. */
export function catchOutput(
  run: ExecutionRun,
  state: CompiledState,
  catcher: CompiledCatcher,
  rawInput: unknown,
  err: StatesError,
  frame: Frame,
  ctx: ContextObject,
): MaybePromise<StepResult> {
  const errorOutput = err.toErrorOutput();
  if (state.ql === 'JSONPath') {
    const assign = catcher.assign && evaluateAssign(catcher.assign, run, frame, ctx, { pathInput: errorOutput, statesInput: rawInput }, state.name);
    return stepResult(assign, () => applyResultPath(state.name, catcher.resultPath, rawInput, errorOutput), catcher.next);
  }
  const assign = catcher.assign && evaluateAssign(catcher.assign, run, frame, ctx, { pathInput: errorOutput, statesInput: rawInput, errorOutput }, state.name);
  const outputTpl = catcher.output;
  return stepResult(assign, () => (outputTpl ? evaluateJsonataTemplate(outputTpl, jsonataBindings(run, frame, ctx, { input: rawInput, errorOutput }), state.name) : errorOutput), catcher.next);
}

/** A States.Runtime error when `value` nests deeper than the runtime supports, else undefined. */
export function checkDepth(value: unknown, what: string): RuntimeError | undefined {
  if (!nestsDeeperThan(value)) return undefined;
  return new RuntimeError(
    `${what} nests more than ${MAX_NESTING_DEPTH} levels deep, more than the local runtime supports (JSON that deep overflows a JavaScript stack). Fix: flatten the data, or store it (S3, DynamoDB) and pass a reference.`,
  );
}

/** Enforces the 256 KiB payload quota (States.DataLimitExceeded). */
export function checkPayloadSize(value: unknown, stateName: string, what: string): void {
  const text = JSON.stringify(value);
  if (text !== undefined) checkSerializedSize(text, stateName, what);
}

export function checkSerializedSize(text: string, stateName: string, what: string): void {
  // Only count bytes precisely when the character count could exceed the quota.
  if (text.length * 3 < MAX_PAYLOAD_BYTES) return;
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) {
    throw new StatesError(
      ErrorNames.DataLimitExceeded,
      `The ${what} of state '${stateName}' is ${bytes} bytes, larger than the 262144-byte quota`,
    );
  }
}

/** AWS's cause for a result over the quota; `name` is the state, or the task's resource. */
export function dataLimitCause(name: string): string {
  return `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`;
}

export function payloadWithinQuota(text: string): boolean {
  return text.length * 3 < MAX_PAYLOAD_BYTES || Buffer.byteLength(text, 'utf8') <= MAX_PAYLOAD_BYTES;
}

/** JSON text of a state's data; values too deep to serialize are reported where they enter. */
export function serializedOrUndefined(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/**
 * The value a `...Path` field selects, or NOT_FOUND: for the fields whose failures AWS words
 * its own way (SecondsPath, TimestampPath, TimeoutSecondsPath, MaxConcurrencyPath, ...).
 */
export function selectPathField(src: ValueSource & { kind: 'path' }, run: ExecutionRun, frame: Frame, ctx: ContextObject, effectiveInput: unknown): { value: unknown; path: ParsedPath; roots: PathRoots } {
  const tpl = src.tpl as { kind: string; path?: ParsedPath };
  const roots = pathEnv(run, frame, effectiveInput, ctx);
  if (tpl.kind !== 'path' || !tpl.path) return { value: evaluatePayloadTemplate(src.tpl, roots, ''), path: undefined as unknown as ParsedPath, roots };
  return { value: evaluatePath(tpl.path, roots), path: tpl.path, roots };
}
