/**
 * Lambda's asynchronous invocation, as EventBridge uses it for a function target: the event is
 * queued, tried, and on a function error tried again up to `MaximumRetryAttempts` times, one
 * minute after the first attempt and two minutes after the second; an event older than
 * `MaximumEventAgeInSeconds` is not tried again. An event that did not succeed goes to the
 * on-failure destination as an invocation record.
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
import type { AsyncInvokeConfig } from './local-service';

/** Seconds after the first attempt at which Lambda makes attempt `n` (0-based). */
export function attemptDelaySeconds(n: number): number {
  // 0, then +60 s, then +120 s more (and, were more retries allowed, +120 s each).
  return n === 0 ? 0 : 60 + (n - 1) * 120;
}

/** How an asynchronous event ended. */
export type AsyncOutcome = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded';

/** One attempt of an asynchronous invocation. */
export interface LambdaAttempt {
  /** 1-based. */
  readonly attempt: number;
  /** Virtual time of the attempt. */
  readonly time: string;
  readonly requestId: string;
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly result?: unknown;
  readonly error?: LambdaError;
}

/** What the Node.js runtime reports for an error a handler threw. */
export interface LambdaError {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: string[];
}

/** The error as the Node.js runtime serializes it into the response payload. */
export function lambdaError(error: unknown): LambdaError {
  if (error instanceof Error) {
    const errorType = error.name && error.name !== 'Error' ? error.name : (error.constructor?.name ?? 'Error');
    return { errorType, errorMessage: error.message, trace: error.stack?.split('\n') };
  }
  return { errorType: 'Error', errorMessage: typeof error === 'string' ? error : JSON.stringify(error) };
}

/** Plans the attempts: calls `attempt` at each allowed time until one succeeds. */
export async function invokeAsynchronously(
  config: AsyncInvokeConfig,
  queuedAt: Date,
  attempt: (time: Date, n: number) => Promise<LambdaAttempt>,
): Promise<{ attempts: LambdaAttempt[]; outcome: AsyncOutcome }> {
  const attempts: LambdaAttempt[] = [];
  for (let n = 0; n <= config.maximumRetryAttempts; n++) {
    const delay = attemptDelaySeconds(n);
    // Lambda discards an event older than the maximum age instead of trying it again.
    if (n > 0 && delay > config.maximumEventAgeInSeconds) return { attempts, outcome: 'EventAgeExceeded' };
    const result = await attempt(new Date(queuedAt.getTime() + delay * 1000), n);
    attempts.push(result);
    if (result.status === 'SUCCEEDED') return { attempts, outcome: 'Success' };
  }
  return { attempts, outcome: 'RetriesExhausted' };
}

/**
 * The invocation record Lambda sends to an on-failure destination
 * (Lambda Developer Guide, "Capturing records of asynchronous invocations").
 */
export function failureRecord(functionArn: string, payload: unknown, attempts: LambdaAttempt[], outcome: AsyncOutcome, time: Date): Record<string, unknown> {
  const last = attempts[attempts.length - 1];
  return {
    version: '1.0',
    timestamp: time.toISOString(),
    requestContext: {
      requestId: last?.requestId ?? '00000000-0000-0000-0000-000000000000',
      functionArn: `${functionArn}:$LATEST`,
      condition: outcome,
      approximateInvokeCount: attempts.length,
    },
    requestPayload: payload,
    ...(last?.error ? {
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: last.error,
    } : {}),
  };
}
