/**
 * Limits of Step Functions Standard workflows that the local runtime enforces, and the one
 * bound of its own (JSON nesting depth).
 * Source: Developer Guide, "Step Functions service quotas": quotas related to state machine
 * executions and to task executions.
 */

/** Maximum input, output or result size of a task, state or execution: 256 KiB as UTF-8. */
export const MAX_PAYLOAD_BYTES = 262_144;

/**
 * "Maximum execution time: 1 year. If an execution runs for more than the 1-year maximum, it
 * will fail with a States.Timeout error." (quotas page). A year is taken as 365 days.
 */
export const MAX_EXECUTION_SECONDS = 365 * 24 * 3600;

/**
 * A Wait whose delay is 2^31 seconds or more fails at once with States.Runtime "Wait state
 * delay is too long." (an execution recorded against AWS: a Wait to 24,855 days ahead waits,
 * 24,856 days fails; LocalStack's AWS-validated snapshot tests/aws/services/stepfunctions/v2/
 * base/test_wait.snapshot.json). Shorter waits past the one-year limit time the execution out.
 */
export const MAX_WAIT_SECONDS = 2 ** 31 - 1;

/**
 * The largest request body the local API server reads. AWS caps a state machine definition at
 * 1 MB and a whole API request at 1 MB ("Quotas related to accounts", Step Functions service
 * quotas: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html), and an
 * execution input at 256 KiB. A definition sent as a JSON string grows when its quotes are
 * escaped, so the local cap leaves room: 2 MiB, far below what could exhaust memory.
 */
export const MAX_REQUEST_BODY_BYTES = 2 * 1024 * 1024;

/**
 * How deeply the runtime lets JSON values nest. AWS documents no depth limit; this bound keeps
 * every serialization and path evaluation far from the JavaScript stack limit (Node's
 * JSON.stringify overflows between 4,000 and 5,000 levels), so a deeper value fails the
 * execution with a clear States.Runtime instead of a stack overflow.
 */
export const MAX_NESTING_DEPTH = 1_000;

/**
 * Does `value` nest deeper than `limit` levels? Recursive but bounded: it never descends more
 * than `limit` + 1 levels, far below the JavaScript stack limit, and allocates nothing (it runs
 * on every task's input and result).
 */
export function nestsDeeperThan(value: unknown, limit: number = MAX_NESTING_DEPTH): boolean {
  if (value === null || typeof value !== 'object') return false;
  return deeper(value as object, 1, limit);
}

function deeper(node: object, depth: number, limit: number): boolean {
  if (depth > limit) return true;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const c: unknown = node[i];
      if (c !== null && typeof c === 'object' && deeper(c, depth + 1, limit)) return true;
    }
    return false;
  }
  for (const k in node) {
    const c: unknown = (node as Record<string, unknown>)[k];
    if (c !== null && typeof c === 'object' && deeper(c, depth + 1, limit)) return true;
  }
  return false;
}

/**
 * Step Functions quotas the runtime models in virtual time (defaults of `RunExecutionOptions.quotas`).
 * Source: Developer Guide, "Step Functions service quotas" (state transition throttling: bucket
 * 5,000 and refill 5,000 per second in US East (N. Virginia), US West (Oregon) and Europe
 * (Ireland), 800 and 800 elsewhere) and "Using Map state in Distributed mode" (at most 10,000
 * child executions of a Map Run at once; child executions started at up to 100 per second for
 * Standard and 1,000 per second for Express children).
 */
export const STATE_TRANSITION_QUOTA_REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1'];
export const STATE_TRANSITIONS_LARGE = { bucket: 5_000, refillPerSecond: 5_000 };
export const STATE_TRANSITIONS_SMALL = { bucket: 800, refillPerSecond: 800 };
export const DISTRIBUTED_MAP_CHILD_STARTS_PER_SECOND = { standard: 100, express: 1_000 };
export const MAX_DISTRIBUTED_MAP_CONCURRENCY = 10_000;
