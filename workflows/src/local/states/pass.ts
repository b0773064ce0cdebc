/** Pass: passes its input (or `Result`, or the Parameters output) to its output. */
import { StateRunner } from './index';
import { applyInputPath, applyParameters, completeWithResult, completeWithoutResult, pathEnv } from '../state-io';

export const runPass: StateRunner = (run, state, input, frame, ctx) => {
  if (state.ql === 'JSONata') return completeWithoutResult(run, state, input, input, frame, ctx, state.next);
  const effective = applyInputPath(state, input, pathEnv(run, frame, input, ctx));
  const result = state.hasResult ? state.result : applyParameters(state, effective, pathEnv(run, frame, effective, ctx));
  return completeWithResult(run, state, input, result, frame, ctx);
};
