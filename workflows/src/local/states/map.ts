/**
 * Map (inline and distributed): ItemsPath/Items, ItemSelector (with $$.Map.Item), ItemBatcher,
 * MaxConcurrency, ToleratedFailureCount/Percentage, ItemReader/ResultWriter via options.
 * Source: Developer Guide, "Map workflow state", "Using Map state in Distributed mode",
 * "ItemBatcher (Map)", "Setting failure thresholds for Distributed Map states".
 */
import { StateRunner } from './index';
import { CompiledState, Json, ValueSource } from '../definition';
import { ErrorNames, QueryEvaluationError, RuntimeError, StatesError, UnsupportedFeatureError, toStatesError } from '../errors';
import type { ExecutionRun, Frame } from '../execution';
import { evaluatePath, NOT_FOUND } from '../json-path';
import { compileJsonataTemplate, evaluateJsonataTemplate } from '../jsonata-adapter';
import { compilePayloadTemplate, evaluatePayloadTemplate, safeJson } from '../payload-template';
import { applyInputPath, completeWithResult, evaluateValue, jsonataBindings, pathEnv, pathFailure, selectPathField } from '../state-io';
import { ContextObject } from '../types';
import { ChildJob, firstFailure, runChildren } from './children';

/** How a JSONata or constant value out of range is described. */
const RANGE_WORDS: Record<string, string> = {
  'MaxItemsPerBatch must be positive.': 'a positive integer',
  'MaxInputBytesPerBatch must be between 1 and 262144.': 'a positive integer of at most 262144',
  'MaxConcurrency cannot be negative.': 'a non-negative integer',
  'ToleratedFailureCount cannot be negative.': 'a non-negative integer',
  'ToleratedFailurePercentage must be between 0 and 100.': 'a number from 0 to 100',
};

export const runMap: StateRunner = async (run, state, input, frame, ctx) => {
  const map = state.map!;
  const effective = state.ql === 'JSONPath' ? applyInputPath(state, input, pathEnv(run, frame, input, ctx)) : input;
  const fail = (message: string) =>
    state.ql === 'JSONata' ? new QueryEvaluationError(message) : new RuntimeError(message);
  const prefix = `An error occurred while executing the state '${state.name}'.`;
  const number = async (src: ValueSource | undefined, dflt: number, what: string, check: (n: number) => boolean, integer = true): Promise<number> => {
    if (!src) return dflt;
    if (src.kind === 'path') {
      // AWS's words for a *Path field that selects no number (executions recorded against AWS).
      const { value, path } = selectPathField(src, run, frame, ctx, effective);
      if (typeof value !== 'number' || (integer && !Number.isInteger(value))) {
        const shown = value === NOT_FOUND ? 'null' : typeof value === 'string' ? value : safeJson(value);
        throw new RuntimeError(`${prefix} The ${src.field} field refers to value "${shown}" which is not a valid ${integer ? 'integer' : 'float'}: ${path.source}`);
      }
      if (!check(value)) throw new RuntimeError(`${prefix} ${what}`);
      return value;
    }
    const v = await evaluateValue(src, run, frame, ctx, effective, input, state.name);
    if (typeof v !== 'number' || !check(v) || (integer && !Number.isInteger(v))) {
      throw fail(src.kind === 'const' ? `${prefix} ${what}` : `${prefix} The value of ${src.field} must be ${RANGE_WORDS[what] ?? 'a valid number'}, got ${safeJson(v)}`);
    }
    return v;
  };

  // 1. The items.
  let items: unknown;
  if (map.itemReader) {
    items = await readItems(run, state, effective, input, frame, ctx);
  } else if (state.ql === 'JSONPath') {
    const roots = pathEnv(run, frame, effective, ctx);
    items = map.itemsPath ? evaluatePath(map.itemsPath, roots) : effective;
    if (items === NOT_FOUND) throw pathFailure(state, map.itemsPath!, roots);
  } else {
    items = map.items ? await evaluateValue(map.items, run, frame, ctx, effective, input, state.name) : input;
  }
  if (!Array.isArray(items)) {
    // AWS's words (executions recorded against AWS).
    const expr = map.items?.kind === 'jsonata' && map.items.tpl.kind === 'expr' ? map.items.tpl.source : undefined;
    throw expr !== undefined
      ? new QueryEvaluationError(
          `${prefix} The JSONata expression '${expr}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${items === null ? 'null' : typeof items}' for value: ${safeJson(items)}`,
        )
      : fail(`${prefix} Map state input must be an array but was: ${safeJson(items)}`);
  }

  // 2. ItemSelector, evaluated per item with $$.Map.Item.
  let childInputs: unknown[] = items;
  if (map.itemSelector) {
    childInputs = [];
    for (let index = 0; index < items.length; index++) {
      const itemCtx: ContextObject = { ...ctx, Map: { Item: { Index: index, Value: items[index] } } };
      const spec = map.itemSelector;
      childInputs.push(
        spec.ql === 'JSONPath'
          ? evaluatePayloadTemplate(spec.tpl, pathEnv(run, frame, effective, itemCtx), state.name)
          : await evaluateJsonataTemplate(spec.tpl, jsonataBindings(run, frame, itemCtx, { input }), state.name),
      );
    }
  }

  // 3. ItemBatcher (Distributed mode only).
  let batches: { input: unknown; size: number }[] = childInputs.map((i) => ({ input: i, size: 1 }));
  if (map.itemBatcher) {
    const b = map.itemBatcher;
    const maxItems = await number(b.maxItemsPerBatch, Infinity, 'MaxItemsPerBatch must be positive.', (n) => n > 0);
    const maxBytes = await number(b.maxInputBytesPerBatch, 262_144, 'MaxInputBytesPerBatch must be between 1 and 262144.', (n) => n > 0 && n <= 262_144);
    // Each child execution receives { "BatchInput": <BatchInput>, "Items": [...] }.
    let batchInput: Record<string, unknown> = {};
    if (b.batchInput) {
      const v =
        b.batchInput.ql === 'JSONPath'
          ? evaluatePayloadTemplate(b.batchInput.tpl, pathEnv(run, frame, effective, ctx), state.name)
          : await evaluateJsonataTemplate(b.batchInput.tpl, jsonataBindings(run, frame, ctx, { input }), state.name);
      batchInput = { BatchInput: v };
    }
    batches = [];
    let current: unknown[] = [];
    let bytes = 2;
    for (const item of childInputs) {
      const size = Buffer.byteLength(JSON.stringify(item) ?? 'null', 'utf8') + 1;
      if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
        batches.push({ input: { ...batchInput, Items: current }, size: current.length });
        current = [];
        bytes = 2;
      }
      current.push(item);
      bytes += size;
    }
    if (current.length > 0) batches.push({ input: { ...batchInput, Items: current }, size: current.length });
  }

  // 4. Run the iterations / child executions.
  // AWS leaves an execution with a negative MaxConcurrencyPath hanging (recorded); failing is the useful local answer.
  const maxConcurrency = await number(map.maxConcurrency, 0, 'MaxConcurrency cannot be negative.', (n) => n >= 0);
  const toleratedCount = await number(map.toleratedFailureCount, 0, 'ToleratedFailureCount cannot be negative.', (n) => n >= 0);
  const toleratedPercentage = await number(map.toleratedFailurePercentage, 0, 'ToleratedFailurePercentage must be between 0 and 100.', (n) => n >= 0 && n <= 100, false);
  const totalItems = items.length;
  let failedItems = 0;
  const jobs: ChildJob[] = batches.map((b, i) => ({ machine: map.processor, input: b.input, label: `${state.name}[${i}]` }));
  // With neither threshold set, any failure fails the Map Run; with one or both, exceeding
  // either one does.
  const countSet = map.toleratedFailureCount !== undefined;
  const percentageSet = map.toleratedFailurePercentage !== undefined;
  const exceeded = () =>
    (!countSet && !percentageSet && failedItems > 0) ||
    (countSet && failedItems > toleratedCount) ||
    (percentageSet && totalItems > 0 && (failedItems * 100) / totalItems > toleratedPercentage);
  run.history.record(frame.cursor, frame.clock.now, 'MapStateStarted', items.length);
  // arn:aws:states:<region>:<account>:mapRun:<machine>/<state>:<id>; the id is derived, not drawn, so the seeded random sequence is unchanged.
  const mapRunArn = `${run.stateMachineContext.Id.replace(':stateMachine:', ':mapRun:')}/${state.name}:${frame.execution.Name}-${run.history.size + 1}`;
  if (map.distributed) run.history.record(frame.cursor, frame.clock.now, 'MapRunStarted', mapRunArn);
  const outcomes = await runChildren(run, frame, jobs, {
    iterationsOf: map.distributed ? undefined : state.name,
    recordChildren: !map.distributed,
    // A Map Run runs at most maxDistributedMapConcurrency children at once, whatever MaxConcurrency says.
    maxConcurrency: map.distributed
      ? Math.min(maxConcurrency === 0 ? Infinity : maxConcurrency, run.quotas.maxDistributedMapConcurrency)
      : maxConcurrency === 0 ? Infinity : maxConcurrency,
    childStartsPerSecond: map.distributed
      ? run.quotas.distributedMapChildStartsPerSecond[map.express ? 'express' : 'standard']
      : undefined,
    isolatedScope: map.distributed,
    isFatal: (index) => {
      if (!map.distributed) return true;
      // A failed child execution fails every item of its batch.
      failedItems += batches[index].size;
      return exceeded();
    },
  });
  const mapFailed = (error: StatesError): StatesError => {
    if (map.distributed) run.history.record(frame.cursor, frame.clock.now, 'MapRunFailed', undefined, error);
    run.history.record(frame.cursor, frame.clock.now, 'MapStateFailed');
    return error;
  };
  if (!map.distributed) {
    const failure = firstFailure(outcomes);
    if (failure) throw mapFailed(failure);
  } else {
    if (failedItems > 0 && exceeded()) {
      const first = firstFailure(outcomes);
      throw mapFailed(new StatesError(
        ErrorNames.ExceedToleratedFailureThreshold,
        `The specified tolerated failure threshold was exceeded in state '${state.name}': ${failedItems} of ${totalItems} items failed (ToleratedFailureCount ${toleratedCount}, ToleratedFailurePercentage ${toleratedPercentage}); first failure: ${first?.error} ${first?.cause}`,
      ));
    }
    run.history.record(frame.cursor, frame.clock.now, 'MapRunSucceeded');
  }
  run.history.record(frame.cursor, frame.clock.now, 'MapStateSucceeded');
  const results = outcomes.map((o) => (o === undefined ? null : o.ok ? o.output : o.error.toErrorOutput()));

  // 5. ResultWriter (Distributed mode only).
  if (map.resultWriter) {
    const writer = run.options.resultWriters?.[state.name] ?? run.options.resultWriter;
    if (!writer) throw new UnsupportedFeatureError(state.name, 'ResultWriter (writing results to Amazon S3)', 'pass a function in the resultWriters option for this state, or a resultWriter for every state');
    let written: unknown;
    try {
      const parameters = await resolveS3Parameters(run, state, map.resultWriter, 'ResultWriter', effective, input, frame, ctx);
      written = await writer({ stateName: state.name, resultWriter: map.resultWriter, results, parameters, mapRunArn: `${ctx.StateMachine.Id.replace(':stateMachine:', ':mapRun:')}/${state.name}:${ctx.Execution.Name}` });
    } catch (e) {
      const err = toStatesError(e);
      throw new StatesError(ErrorNames.ResultWriterFailed, `State '${state.name}': ${err.error}: ${err.cause}`);
    }
    return completeWithResult(run, state, input, written === undefined ? {} : written, frame, ctx);
  }
  return completeWithResult(run, state, input, results, frame, ctx);
};

/** ItemReader / ResultWriter `Parameters` (JSONPath) or `Arguments` (JSONata), resolved against the state's input. */
async function resolveS3Parameters(
  run: ExecutionRun, state: CompiledState, field: Record<string, unknown>, name: 'ItemReader' | 'ResultWriter',
  effective: unknown, input: unknown, frame: Frame, ctx: ContextObject,
): Promise<unknown> {
  const raw = (field.Parameters ?? field.Arguments) as Json | undefined;
  if (raw === undefined) return undefined;
  return state.ql === 'JSONPath'
    ? evaluatePayloadTemplate(compilePayloadTemplate(raw, `${name}.Parameters`), pathEnv(run, frame, effective, ctx), state.name)
    : evaluateJsonataTemplate(compileJsonataTemplate(raw, `${name}.Arguments`), jsonataBindings(run, frame, ctx, { input }), state.name);
}

async function readItems(run: ExecutionRun, state: CompiledState, effective: unknown, input: unknown, frame: Frame, ctx: ContextObject): Promise<unknown[]> {
  const reader = run.options.itemReaders?.[state.name] ?? run.options.itemReader;
  if (reader === undefined) {
    throw new UnsupportedFeatureError(state.name, 'ItemReader (reading items from Amazon S3)', 'pass the items in the itemReaders option for this state, or an itemReader for every state');
  }
  const itemReader = state.map!.itemReader!;
  let items: unknown;
  try {
    if (Array.isArray(reader)) items = reader;
    else {
      const parameters = await resolveS3Parameters(run, state, itemReader, 'ItemReader', effective, input, frame, ctx);
      items = await reader({ stateName: state.name, itemReader, parameters });
    }
  } catch (e) {
    if (e instanceof RuntimeError) throw e;
    const err = toStatesError(e);
    throw new StatesError(ErrorNames.ItemReaderFailed, `State '${state.name}': ${err.error}: ${err.cause}`);
  }
  if (!Array.isArray(items)) {
    throw new StatesError(ErrorNames.ItemReaderFailed, `State '${state.name}': the itemReaders option returned ${safeJson(items)}, not an array of items`);
  }
  const maxItems = (itemReader.ReaderConfig as { MaxItems?: unknown } | undefined)?.MaxItems;
  return typeof maxItems === 'number' ? items.slice(0, maxItems) : items;
}
