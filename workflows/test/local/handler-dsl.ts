/**
 * Task handlers described in JSON, so conformance cases stay data:
 *   { "return": v }                         returns v
 *   { "echo": true }                        returns the handler's input
 *   { "merge": {...} }                      returns { ...input, ...merge }
 *   { "throw": { "name", "message" } }      throws an Error with that name
 *   { "sleep": s, "then": spec }            spends s virtual seconds, then acts as `then`
 *   { "heartbeatEvery": s, "sleep": t, ...} sends a heartbeat every s seconds while sleeping
 *   { "sequence": [spec, ...] }             the n-th call acts as the n-th spec (the last repeats)
 *   { "token": true }                       returns { "token": <task token> }
 *   { "repeat": "x", "times": n }           returns "x" repeated n times (results over the payload quota)
 */
import { TaskContext, TaskHandler } from '../../src/local';

export type HandlerSpec = Record<string, unknown>;

export function handlerFromSpec(spec: HandlerSpec): TaskHandler {
  if (Array.isArray(spec.sequence)) {
    const steps = (spec.sequence as HandlerSpec[]).map(handlerFromSpec);
    let calls = 0;
    return (input, ctx) => steps[Math.min(calls++, steps.length - 1)](input, ctx);
  }
  return async (input: unknown, ctx: TaskContext) => {
    if (typeof spec.sleep === 'number') {
      const every = typeof spec.heartbeatEvery === 'number' ? spec.heartbeatEvery : undefined;
      let left = spec.sleep;
      while (left > 0) {
        const step = every === undefined ? left : Math.min(every, left);
        await ctx.sleep(step);
        left -= step;
        if (every !== undefined) ctx.heartbeat();
      }
      if (spec.then) return handlerFromSpec(spec.then as HandlerSpec)(input, ctx);
    }
    if (spec.throw) {
      const t = spec.throw as { name: string; message?: string };
      const e = new Error(t.message ?? '');
      e.name = t.name;
      throw e;
    }
    if ('return' in spec) return spec.return;
    if (typeof spec.repeat === 'string') return spec.repeat.repeat(spec.times as number);
    if (spec.echo) return input;
    if (spec.merge) return { ...(input as object), ...(spec.merge as object) };
    if (spec.token) return { token: ctx.taskToken };
    return null;
  };
}

export function handlersFromSpecs(specs: Record<string, HandlerSpec> | undefined): Record<string, TaskHandler> {
  const out: Record<string, TaskHandler> = {};
  for (const [k, v] of Object.entries(specs ?? {})) out[k] = handlerFromSpec(v);
  return out;
}
