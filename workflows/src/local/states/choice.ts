/** Choice: the first matching rule picks the next state; otherwise Default or States.NoChoiceMatched. */
import { StateRunner } from './index';
import { CompiledState } from '../definition';
import { evaluateCondition, evaluateJsonPathRule } from '../choice-rules';
import { ErrorNames, StatesError } from '../errors';
import type { ExecutionRun, Frame } from '../execution';
import { JsonataBindings } from '../jsonata-adapter';
import { isPromise, MaybePromise } from '../maybe-promise';
import { applyInputPath, completeWithoutResult, jsonataBindings, pathEnv, StepResult } from '../state-io';
import { ContextObject } from '../types';

export const runChoice: StateRunner = (run, state, input, frame, ctx) => {
  const choices = state.choices ?? [];
  if (state.ql === 'JSONPath') {
    const effective = applyInputPath(state, input, pathEnv(run, frame, input, ctx));
    const env = pathEnv(run, frame, effective, ctx);
    for (const choice of choices) {
      if (evaluateJsonPathRule(choice.rule, env, state.name)) {
        return completeWithoutResult(run, state, input, effective, frame, ctx, choice.next, choice);
      }
    }
    if (state.default !== undefined) return completeWithoutResult(run, state, input, effective, frame, ctx, state.default);
    throw noChoiceMatched(state);
  }
  return chooseJsonata(run, state, input, frame, ctx, jsonataBindings(run, frame, ctx, { input }), 0);
};

/** JSONata rules from `from` on, in order; synchronous while the conditions are. */
function chooseJsonata(run: ExecutionRun, state: CompiledState, input: unknown, frame: Frame, ctx: ContextObject, bindings: JsonataBindings, from: number): MaybePromise<StepResult> {
  const choices = state.choices ?? [];
  for (let i = from; i < choices.length; i++) {
    const matched = evaluateCondition(choices[i].rule, bindings, state.name);
    if (isPromise(matched)) {
      return matched.then((m) => (m ? completeWithoutResult(run, state, input, input, frame, ctx, choices[i].next, choices[i]) : chooseJsonata(run, state, input, frame, ctx, bindings, i + 1)));
    }
    if (matched) return completeWithoutResult(run, state, input, input, frame, ctx, choices[i].next, choices[i]);
  }
  if (state.default !== undefined) return completeWithoutResult(run, state, input, input, frame, ctx, state.default);
  throw noChoiceMatched(state);
}

function noChoiceMatched(state: CompiledState): StatesError {
  return new StatesError(ErrorNames.NoChoiceMatched, `No Choice Rule matched and no Default is defined in state '${state.name}'`);
}
