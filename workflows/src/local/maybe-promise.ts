/**
 * A value now, or a promise of it. The state machinery returns values synchronously until
 * something really has to wait (a task, a Wait, jsonata's own evaluator), because an async
 * function allocates a promise and a suspended frame at every call: a Distributed Map child of
 * the rollout engine visits dozens of states, each with several template evaluations, and
 * those allocations made up most of what a fleet simulation allocated (docs/benchmarks.md,
 * bench:rollout). Callers check with `isPromise` and await only then.
 */
export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}
