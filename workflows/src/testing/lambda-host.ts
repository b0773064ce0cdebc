/**
 * Runs a function's real handler source in this process, the way the Lambda Node.js runtime
 * calls it: `handler(event, context)` with a Lambda-like context, the function's environment
 * variables set, and the module loaded once (a warm container) per process.
 */
import * as crypto from 'crypto';
import { LocalRuntimeConfigError } from '../local';

/** What the runner knows about one function of the stack. */
export interface LocalFunction {
  /** CloudFormation logical id; also the stand-in function name. */
  readonly logicalId: string;
  /** Construct path, for messages. */
  readonly path: string;
  /** `HandlerBundle` entry name. */
  readonly handlerName: string;
  /** The `.ts` source of the handler. */
  readonly entry: string;
  /** Exported function name (from the template's `Handler`, `index.handler` -> `handler`). */
  readonly exportName: string;
  /** Environment variables from the template, resolved. */
  readonly environment: Record<string, string>;
  readonly memorySize: number;
  readonly timeoutSeconds: number;
  readonly arn: string;
}

/** The parts of the Lambda context object handlers use (aws-lambda's `Context`). */
export interface LocalLambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  getRemainingTimeInMillis(): number;
  done(error?: Error, result?: unknown): void;
  fail(error: Error | string): void;
  succeed(result: unknown): void;
}

/** Sets environment variables and remembers what was there, to put it back once. */
export class EnvironmentScope {
  private readonly saved = new Map<string, string | undefined>();

  set(variables: Record<string, string | undefined>): void {
    for (const [name, value] of Object.entries(variables)) {
      if (!this.saved.has(name)) this.saved.set(name, process.env[name]);
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }

  restore(): void {
    for (const [name, value] of this.saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    this.saved.clear();
  }
}

let tsxRegistered = false;

/**
 * Loads a TypeScript module: under Jest its own transform (ts-jest) handles `.ts`; elsewhere
 * tsx's CommonJS hook is registered once, unless another `.ts` hook is already in place.
 */
export function requireTypeScript(file: string): any {
  const underJest = process.env.JEST_WORKER_ID !== undefined;
  if (!underJest && !tsxRegistered && !require.extensions?.['.ts']) {
    let tsx: { register: () => unknown };
    try {
      tsx = require('tsx/cjs/api');
    } catch (error) {
      throw new LocalRuntimeConfigError(
        `Loading the TypeScript source ${file} needs the npm package tsx, which could not be loaded (${(error as Error).message}). Fix: npm install --save-dev tsx, or run under Jest with ts-jest.`,
      );
    }
    tsx.register();
    tsxRegistered = true;
  }
  return require(file);
}

/** Calls the handler of `fn` with `event`; returns its result or throws what it threw. */
export async function invokeHandler(fn: LocalFunction, event: unknown, env: EnvironmentScope, requestId: string = crypto.randomUUID()): Promise<unknown> {
  env.set({
    ...fn.environment,
    AWS_LAMBDA_FUNCTION_NAME: fn.logicalId,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.logicalId}`,
    AWS_LAMBDA_LOG_STREAM_NAME: logStream(),
    _HANDLER: `index.${fn.exportName}`,
    _X_AMZN_TRACE_ID: undefined,
    // In-process there is nothing for NODE_OPTIONS (--enable-source-maps) to act on.
    NODE_OPTIONS: process.env.NODE_OPTIONS,
  });
  let mod: any;
  try {
    mod = requireTypeScript(fn.entry);
  } catch (error) {
    if (error instanceof LocalRuntimeConfigError) throw error;
    // Lambda reports a module that fails to load as Runtime.ImportModuleError.
    const failure = new Error(`Error: Cannot load handler ${fn.entry} of function ${fn.path}: ${(error as Error).message}`);
    failure.name = 'Runtime.ImportModuleError';
    throw failure;
  }
  const handler = mod?.[fn.exportName];
  if (typeof handler !== 'function') {
    const failure = new Error(`index.${fn.exportName} is undefined or not exported (${fn.entry} exports ${JSON.stringify(Object.keys(mod ?? {}))})`);
    failure.name = 'Runtime.HandlerNotFound';
    throw failure;
  }

  const deadline = Date.now() + fn.timeoutSeconds * 1000;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: unknown, result?: unknown) => {
      if (settled) return;
      settled = true;
      if (error !== undefined && error !== null) reject(error);
      else resolve(result);
    };
    const context: LocalLambdaContext = {
      callbackWaitsForEmptyEventLoop: true,
      functionName: fn.logicalId,
      functionVersion: '$LATEST',
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: String(fn.memorySize),
      awsRequestId: requestId,
      logGroupName: `/aws/lambda/${fn.logicalId}`,
      logStreamName: logStream(),
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: (error, result) => finish(error, result),
      fail: (error) => finish(typeof error === 'string' ? new Error(error) : error),
      succeed: (result) => finish(undefined, result),
    };
    try {
      // Callback-style handlers (three parameters) finish through the callback, as in Lambda.
      const returned = handler.length >= 3
        ? handler(event, context, (error: unknown, result: unknown) => finish(error, result))
        : handler(event, context);
      if (handler.length < 3 || (returned && typeof returned.then === 'function')) {
        Promise.resolve(returned).then((result) => finish(undefined, result), (error) => finish(error ?? new Error('Handler rejected with no reason')));
      }
    } catch (error) {
      finish(error);
    }
  });
}

function logStream(): string {
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[$LATEST]00000000000000000000000000000000`;
}
