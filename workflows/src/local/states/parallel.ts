/**
 * Parallel: runs every branch on the same input; the result is the array of branch outputs.
 * A failing branch fails the state with the branch's own error and stops the other branches.
 * Source: Developer Guide, "Parallel workflow state".
 */
import { StateRunner } from './index';
import { evaluateJsonataTemplate } from '../jsonata-adapter';
import { applyInputPath, applyParameters, completeWithResult, jsonataBindings, pathEnv } from '../state-io';
import { firstFailure, runChildren } from './children';

export const runParallel: StateRunner = async (run, state, input, frame, ctx) => {
  let branchInput: unknown;
  if (state.ql === 'JSONPath') {
    const effective = applyInputPath(state, input, pathEnv(run, frame, input, ctx));
    branchInput = applyParameters(state, effective, pathEnv(run, frame, effective, ctx));
  } else {
    branchInput = state.arguments ? await evaluateJsonataTemplate(state.arguments, jsonataBindings(run, frame, ctx, { input }), state.name) : input;
  }
  const branches = state.branches ?? [];
  run.history.record(frame.cursor, frame.clock.now, 'ParallelStateStarted');
  const outcomes = await runChildren(
    run,
    frame,
    branches.map((machine, i) => ({ machine, input: branchInput, label: `${state.name}[${i}]` })),
    { maxConcurrency: Infinity, isolatedScope: false, isFatal: () => true, recordChildren: true },
  );
  const failure = firstFailure(outcomes);
  if (failure) {
    run.history.record(frame.cursor, frame.clock.now, 'ParallelStateFailed');
    throw failure;
  }
  run.history.record(frame.cursor, frame.clock.now, 'ParallelStateSucceeded');
  const results = outcomes.map((o) => (o.ok ? o.output : null));
  return completeWithResult(run, state, input, results, frame, ctx);
};
