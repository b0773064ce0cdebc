/** Succeed: ends the (sub-)machine successfully. */
import { StateRunner } from './index';
import { applyInputPath, completeWithoutResult, pathEnv } from '../state-io';

export const runSucceed: StateRunner = (run, state, input, frame, ctx) => {
  const effective = state.ql === 'JSONPath' ? applyInputPath(state, input, pathEnv(run, frame, input, ctx)) : input;
  return completeWithoutResult(run, state, input, effective, frame, ctx, undefined);
};
