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
import { MAX_NESTING_DEPTH, MAX_REQUEST_BODY_BYTES, nestsDeeperThan } from '../limits';
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
  let closeAfter = false;
  const send = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/x-amz-json-1.0',
      'Content-Length': Buffer.byteLength(text),
      'x-amzn-RequestId': crypto.randomUUID(),
    };
    if (closeAfter) headers.Connection = 'close';
    res.writeHead(status, headers);
    // A body left unread is not drained: the connection closes once the answer is out.
    res.end(text, closeAfter ? () => req.destroy() : undefined);
  };
  try {
    checkHost(req.headers.host);
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : '';
    if (req.method !== 'POST' || !(SFN_API_ACTIONS as readonly string[]).includes(action)) {
      throw new SfnApiError('UnknownOperationException', `Unknown operation '${target}'. The local endpoint serves ${SFN_API_ACTIONS.join(', ')}.`);
    }
    let text: string;
    try {
      text = await readBody(req);
    } catch (error) {
      closeAfter = true;
      throw error;
    }
    let body: Record<string, unknown>;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new SfnApiError('SerializationException', 'The request body is not JSON');
    }
    // Checked before any handler walks the body: a deeper one would overflow the stack there.
    if (nestsDeeperThan(body)) {
      throw new SfnApiError(
        'ValidationException',
        `Request body: nests more than ${MAX_NESTING_DEPTH} levels deep, more than the local runtime supports. Fix: send JSON nested at most ${MAX_NESTING_DEPTH} levels deep.`,
      );
    }
    const method = (service as unknown as Record<string, (b: unknown) => unknown>)[action];
    send(200, await method.call(service, body));
  } catch (error) {
    if (error instanceof SfnApiError) send(error.statusCode, error.toBody());
    else send(500, { __type: 'com.amazonaws.states#InternalFailure', message: (error as Error)?.message ?? String(error) });
  }
}

/** Loopback host names; any port. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/**
 * Answers only requests addressed to a loopback name: a web page whose name an attacker
 * rebinds to 127.0.0.1 (DNS rebinding) still sends its own name in Host, so it cannot drive
 * the handlers of `fleet sfn serve <service>`.
 */
function checkHost(host: string | undefined): void {
  if (host !== undefined && LOOPBACK_HOST.test(host)) return;
  throw new SfnApiError(
    'AccessDeniedException',
    `Host header: the local Step Functions endpoint answers only loopback hosts, got '${host ?? ''}'. Fix: address it as http://localhost:<port>, http://127.0.0.1:<port> or http://[::1]:<port>.`,
    403,
  );
}

/** The body as text; rejects with 413 once it passes MAX_REQUEST_BODY_BYTES, without reading the rest. */
function readBody(req: IncomingMessage): Promise<string> {
  const tooLarge = (got: string) =>
    new SfnApiError(
      'ValidationException',
      `Request body: larger than the local endpoint's limit of ${MAX_REQUEST_BODY_BYTES} bytes, got ${got}. Fix: keep definitions under 1 MB and execution input under 256 KiB (AWS's quotas).`,
      413,
    );
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_REQUEST_BODY_BYTES) return Promise.reject(tooLarge(`${declared} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BODY_BYTES) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge(`more than ${MAX_REQUEST_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
