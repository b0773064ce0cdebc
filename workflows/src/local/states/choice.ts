/** Choice: the first matching rule picks the next state; otherwise Default or States.NoChoiceMatched. */
import { StateRunner } from './index';
import { evaluateCondition, evaluateJsonPathRule } from '../choice-rules';
import { ErrorNames, StatesError } from '../errors';
import { applyInputPath, completeWithoutResult, jsonataBindings, pathEnv } from '../state-io';

export const runChoice: StateRunner = async (run, state, input, frame, ctx) => {
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
  } else {
    const bindings = jsonataBindings(run, frame, ctx, { input });
    for (const choice of choices) {
      if (await evaluateCondition(choice.rule, bindings, state.name)) {
        return completeWithoutResult(run, state, input, input, frame, ctx, choice.next, choice);
      }
    }
    if (state.default !== undefined) return completeWithoutResult(run, state, input, input, frame, ctx, state.default);
  }
  throw new StatesError(ErrorNames.NoChoiceMatched, `No Choice Rule matched and no Default is defined in state '${state.name}'`);
};
