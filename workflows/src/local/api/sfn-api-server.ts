/**
 * The Step Functions API on localhost: the awsJson1_0 protocol (POST /, `X-Amz-Target:
 * AWSStepFunctions.<Action>`, JSON bodies, epoch-second timestamps, errors as `__type`), served
 * with node:http from an in-memory SfnService, so `@aws-sdk/client-sfn` with an `endpoint`
 * override works unchanged (set `disableHostPrefix: true`: StartSyncExecution otherwise goes to
 * `sync-<host>`). No AWS SDK is loaded here.
 * Source: Step Functions API Reference; Smithy awsJson1_0 protocol.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';
import { LocalRuntimeConfigError } from '../errors';
import { SfnApiError } from './sfn-api-error';
import { SfnService, SfnServiceOptions } from './sfn-service';

/** The actions served; any other answers UnknownOperationException. */
export const SFN_API_ACTIONS = [
  'CreateStateMachine',
  'DescribeStateMachine',
  'ListStateMachines',
  'DeleteStateMachine',
  'StartExecution',
  'StartSyncExecution',
  'DescribeExecution',
  'GetExecutionHistory',
  'ListExecutions',
  'StopExecution',
  'RedriveExecution',
  'SendTaskSuccess',
  'SendTaskFailure',
  'SendTaskHeartbeat',
  'TestState',
] as const;

export interface SfnApiServerOptions extends SfnServiceOptions {
  /** @default 8083 (Step Functions Local's port); 0 picks a free one */
  readonly port?: number;
  /** @default "127.0.0.1": never reachable from other machines */
  readonly host?: string;
  /** The service to serve; one is created from the other options when absent. */
  readonly service?: SfnService;
}

export interface SfnApiServer {
  readonly url: string;
  readonly port: number;
  readonly service: SfnService;
  close(): Promise<void>;
}

/** Starts the endpoint; resolves once it listens. */
export async function startSfnApiServer(options: SfnApiServerOptions = {}): Promise<SfnApiServer> {
  const service = options.service ?? new SfnService(options);
  const server: Server = createServer((req, res) => void handle(service, req, res));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new LocalRuntimeConfigError(`Port ${options.port ?? 8083} on ${host} is in use. Fix: stop what listens there, or choose another with --port.`)
          : error,
      ),
    );
    server.listen(options.port ?? 8083, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    service,
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

async function handle(service: SfnService, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const send = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': crypto.randomUUID() });
    res.end(text);
  };
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
    if (req.method !== 'POST' || !(SFN_API_ACTIONS as readonly string[]).includes(action)) {
      throw new SfnApiError('UnknownOperationException', `Unknown operation '${target}'. The local endpoint serves ${SFN_API_ACTIONS.join(', ')}.`);
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown>;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new SfnApiError('SerializationException', 'The request body is not JSON');
    }
    const method = (service as unknown as Record<string, (b: unknown) => unknown>)[action];
    send(200, await method.call(service, body));
  } catch (error) {
    if (error instanceof SfnApiError) send(error.statusCode, error.toBody());
    else send(500, { __type: 'com.amazonaws.states#InternalFailure', message: (error as Error)?.message ?? String(error) });
  }
}
