/** Fail: stops the (sub-)machine with Error and Cause (constants, *Path, or JSONata). */
import { StateRunner } from './index';
import { RuntimeError, StatesError } from '../errors';
import { evaluateValue } from '../state-io';
import { safeJson } from '../payload-template';

export const runFail: StateRunner = async (run, state, input, frame, ctx) => {
  const read = async (src: typeof state.error): Promise<string> => {
    if (!src) return '';
    const v = await evaluateValue(src, run, frame, ctx, input, input, state.name);
    if (typeof v !== 'string') {
      throw new RuntimeError(`An error occurred while executing the state '${state.name}'. The value of ${src.field} must be a string, got ${safeJson(v)}`);
    }
    return v;
  };
  throw new StatesError(await read(state.error), await read(state.cause));
};
