/**
 * Local runs in one process take turns: handlers read `process.env`, which is process-wide, and
 * the embedded servers are shared. `runWorkflow` and `sendEvent` both queue here.
 */
let queue: Promise<unknown> = Promise.resolve();

/** Runs `work` after every run queued before it has finished (whatever its outcome). */
export function exclusive<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work);
  queue = run.catch(() => undefined);
  return run;
}
