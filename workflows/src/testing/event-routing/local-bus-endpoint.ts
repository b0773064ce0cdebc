/**
 * The EventBridge endpoint handlers talk to locally: `AWS_ENDPOINT_URL_EVENTBRIDGE` points the
 * AWS SDK's EventBridge client here, and `PutEvents` (AWS JSON 1.1, target `AWSEvents.PutEvents`)
 * hands the entries to the tenant's bus. Other actions answer `UnknownOperationException`.
 *
 * One server per process, like the embedded DynamoDB: handlers create their client once per
 * module and keep its endpoint. Its sockets are unref'd: it never keeps a process alive.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

/** Receives the entries of one PutEvents call; returns one result per entry (an EventId or an error). */
export type PutEventsSink = (entries: Record<string, unknown>[]) => { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[];

let server: Promise<string> | undefined;
let sink: PutEventsSink | undefined;

/** Starts the endpoint once per process and returns its URL. */
export function localBusEndpoint(): Promise<string> {
  server ??= start().catch((error) => {
    server = undefined;
    throw error;
  });
  return server;
}

/** Routes PutEvents calls to `next` until the returned function is called. */
export function attachBus(next: PutEventsSink): () => void {
  sink = next;
  return () => {
    if (sink === next) sink = undefined;
  };
}

function start(): Promise<string> {
  const http_ = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': 'local' });
        res.end(text);
      };
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target !== 'AWSEvents.PutEvents') {
        return reply(400, { __type: 'UnknownOperationException', message: `The local EventBridge endpoint only runs PutEvents, not ${target || '(no X-Amz-Target)'}.` });
      }
      let body: { Entries?: Record<string, unknown>[] };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return reply(400, { __type: 'SerializationException', message: 'Request body is not JSON' });
      }
      const entries = body.Entries ?? [];
      if (entries.length === 0 || entries.length > 10) {
        return reply(400, { __type: 'ValidationException', message: `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and 10 (got ${entries.length})` });
      }
      if (!sink) {
        return reply(500, { __type: 'InternalException', message: 'No local tenant account is receiving events: PutEvents was called outside a sendEvent run.' });
      }
      const results = sink(entries);
      reply(200, { Entries: results, FailedEntryCount: results.filter((r) => r.ErrorCode).length });
    });
  });
  http_.on('connection', (socket) => socket.unref());
  return new Promise((resolve, reject) => {
    http_.once('error', reject);
    http_.listen(0, '127.0.0.1', () => {
      http_.unref();
      resolve(`http://127.0.0.1:${(http_.address() as AddressInfo).port}`);
    });
  });
}
