/**
 * An embedded DynamoDB-compatible server for local workflow runs: `dynalite` (in memory, pure
 * JavaScript, no Java, no Docker) on 127.0.0.1, behind a small front that adds the transaction
 * APIs dynalite 4 lacks (TransactWriteItems, TransactGetItems).
 *
 * One server per process (per Jest test file): handlers create their SDK client once per module
 * and the SDK caches the endpoint (`AWS_ENDPOINT_URL_DYNAMODB`) on the first request, so the
 * endpoint must not change between runs. Its sockets are unref'd: it never keeps a process alive.
 *
 * The SDK and dynalite are loaded on first use, so importing `@fleet/workflows` to synthesize a
 * stack never needs them.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LocalRuntimeConfigError } from '../local';

/** Credentials and region the local clients use; no request ever reaches AWS. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local', sessionToken: 'local' } as const;

type DynamoDbModule = typeof import('@aws-sdk/client-dynamodb');
type Item = Record<string, any>;

/** A DynamoDB endpoint the runner talks to. */
export interface DynamoDbEndpoint {
  readonly endpoint: string;
  /** Whether tables may be deleted and re-created (true only for the embedded server). */
  readonly embedded: boolean;
}

/** A table to create, from the template's AWS::DynamoDB::Table. */
export interface TableSpec {
  readonly name: string;
  readonly keySchema: { AttributeName: string; KeyType: string }[];
  readonly attributeDefinitions: { AttributeName: string; AttributeType: string }[];
  readonly globalSecondaryIndexes?: { IndexName: string; KeySchema: unknown[]; Projection: unknown }[];
  readonly localSecondaryIndexes?: { IndexName: string; KeySchema: unknown[]; Projection: unknown }[];
}

let embedded: Promise<{ server: http.Server; endpoint: string; close: () => Promise<void> }> | undefined;
/** The port of the last server: a restarted one listens there again, where loaded handlers' clients point. */
let lastPort = 0;

/** Starts (once per process) and returns the embedded server. */
export function embeddedDynamoDb(): Promise<DynamoDbEndpoint> {
  embedded ??= startEmbedded().catch((error) => {
    embedded = undefined;
    throw error;
  });
  return embedded.then(({ endpoint }) => ({ endpoint, embedded: true }));
}

/** Stops the embedded server; a later run starts a new one on the same port when it is free. */
export async function closeEmbeddedDynamoDb(): Promise<void> {
  const running = embedded;
  embedded = undefined;
  if (running) await (await running).close();
}

async function startEmbedded() {
  let dynalite: (options: Record<string, unknown>) => http.Server;
  try {
    dynalite = require('dynalite');
  } catch (error) {
    throw new LocalRuntimeConfigError(
      `The embedded DynamoDB needs the npm package dynalite, which could not be loaded (${(error as Error).message}). Fix: npm install --save-dev dynalite@4.0.0, or pass dynamodb: { endpoint } to use a server you run.`,
    );
  }
  // Tables become ACTIVE at once: no polling between CreateTable and the first write.
  const store = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynaliteHandler = store.listeners('request')[0] as http.RequestListener;
  let endpoint = '';
  const transactions = new Transactions(() => endpoint);
  const server = http.createServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.endsWith('.TransactWriteItems') || target.endsWith('.TransactGetItems')) {
      transactions.handle(target.slice(target.indexOf('.') + 1), req, res);
    } else {
      dynaliteHandler(req, res);
    }
  });
  server.on('connection', (socket) => socket.unref());
  const listen = (port: number) => new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  await listen(lastPort).catch(() => listen(0));
  server.unref();
  lastPort = (server.address() as AddressInfo).port;
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    endpoint,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function sdk(): DynamoDbModule {
  return require('@aws-sdk/client-dynamodb');
}

/** A low-level client for the runner's own calls (table setup, scans, direct integrations). */
export function clientFor(endpoint: string, region: string): DynamoDBClient {
  const { DynamoDBClient: Client } = sdk();
  return new Client({ endpoint, region, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
}

/**
 * Creates the tables. On the embedded server existing ones are deleted first, so every run starts
 * empty; on a server you run, existing tables are kept as they are.
 */
export async function createTables(client: DynamoDBClient, tables: TableSpec[], recreate: boolean): Promise<void> {
  const { CreateTableCommand, DeleteTableCommand, ListTablesCommand } = sdk();
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const table of tables) {
    registerKeySchema(table.name, table.keySchema.map((k) => k.AttributeName));
    if (existing.has(table.name)) {
      if (!recreate) continue;
      await client.send(new DeleteTableCommand({ TableName: table.name }));
      await tableSettled(client, table.name, 'gone');
    }
    await client.send(new CreateTableCommand({
      TableName: table.name,
      KeySchema: table.keySchema as any,
      AttributeDefinitions: table.attributeDefinitions as any,
      BillingMode: 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: table.globalSecondaryIndexes?.length ? table.globalSecondaryIndexes as any : undefined,
      LocalSecondaryIndexes: table.localSecondaryIndexes?.length ? table.localSecondaryIndexes as any : undefined,
    }));
    await tableSettled(client, table.name, 'active');
  }
}

/**
 * Waits until a table is ACTIVE (`'active'`) or gone (`'gone'`). dynalite answers CreateTable with
 * the table CREATING and DeleteTable with it DELETING, and finishes either on a later timer tick
 * (even with createTableMs and deleteTableMs 0), so the next request sent at once can meet
 * ResourceNotFoundException or ResourceInUseException on a busy machine; AWS behaves the same.
 */
async function tableSettled(client: DynamoDBClient, name: string, settled: 'active' | 'gone'): Promise<void> {
  const { DescribeTableCommand } = sdk();
  const deadline = Date.now() + TABLE_SETTLE_TIMEOUT_MS;
  for (;;) {
    let status: string | undefined;
    try {
      status = (await client.send(new DescribeTableCommand({ TableName: name }))).Table?.TableStatus;
    } catch (error) {
      if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      status = undefined;
    }
    if (settled === 'gone' ? status === undefined : status === 'ACTIVE') return;
    if (Date.now() > deadline) {
      throw new LocalRuntimeConfigError(
        `The table ${name} was ${status ?? 'missing'} after ${TABLE_SETTLE_TIMEOUT_MS / 1000} s on the embedded DynamoDB, not ${settled === 'gone' ? 'deleted' : 'ACTIVE'}. Fix: make sure no other run in this process creates or deletes it at the same time, then run again.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const TABLE_SETTLE_TIMEOUT_MS = 10_000;

/** Writes items (plain JavaScript values, as the DocumentClient takes them). */
export async function putItems(client: DynamoDBClient, table: string, items: Item[]): Promise<void> {
  const { PutItemCommand } = sdk();
  const { marshall } = require('@aws-sdk/util-dynamodb') as typeof import('@aws-sdk/util-dynamodb');
  for (const item of items) {
    await client.send(new PutItemCommand({ TableName: table, Item: marshall(item, { removeUndefinedValues: true }) }));
  }
}

/** Every item of the table as plain values (string and number sets become `Set`s), sorted by key. */
export async function scanTable(client: DynamoDBClient, table: string, keyNames: string[]): Promise<Item[]> {
  const { ScanCommand } = sdk();
  const { unmarshall } = require('@aws-sdk/util-dynamodb') as typeof import('@aws-sdk/util-dynamodb');
  const items: Item[] = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) items.push(unmarshall(item));
    start = page.LastEvaluatedKey;
  } while (start);
  const key = (item: Item) => keyNames.map((k) => String(item[k] ?? ''));
  return items.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    }
    return 0;
  });
}

/**
 * TransactWriteItems and TransactGetItems on top of single-item operations. All conditions are
 * checked first (every cancellation reason is reported, as in AWS), then the writes are applied
 * with their conditions; should a concurrent write slip in between, the applied writes are
 * rolled back from the snapshots taken before. Isolation from concurrent readers is not modelled.
 */
class Transactions {
  private client?: DynamoDBClient;

  constructor(private readonly endpoint: () => string) {}

  handle(operation: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: any;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        return this.send(res, 400, { __type: 'com.amazon.coral.service#SerializationException', message: 'Request body is not JSON' });
      }
      const work = operation === 'TransactWriteItems' ? this.write(body) : this.get(body);
      work.then(
        (result) => this.send(res, 200, result),
        (error: any) => this.send(res, error?.$metadata?.httpStatusCode ?? 400, {
          __type: `com.amazonaws.dynamodb.v20120810#${error?.name ?? 'InternalServerError'}`,
          message: error?.message ?? String(error),
          ...(error?.CancellationReasons ? { CancellationReasons: error.CancellationReasons } : {}),
        }),
      );
    });
  }

  private send(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': 'local' });
    res.end(text);
  }

  private db(): DynamoDBClient {
    this.client ??= clientFor(this.endpoint(), 'us-east-1');
    return this.client;
  }

  private async get(body: { TransactItems?: { Get: any }[] }): Promise<unknown> {
    const { GetItemCommand } = sdk();
    const responses = [];
    for (const { Get } of body.TransactItems ?? []) {
      const out = await this.db().send(new GetItemCommand({ ...Get, ConsistentRead: true }));
      responses.push(out.Item ? { Item: out.Item } : {});
    }
    return { Responses: responses };
  }

  private async write(body: { TransactItems?: Record<string, any>[]; ClientRequestToken?: string }): Promise<unknown> {
    const m = sdk();
    const actions = (body.TransactItems ?? []).map((entry) => {
      const [kind, op] = Object.entries(entry)[0] ?? [];
      const key = kind === 'Put' ? keyOf(op.Item, op.TableName) : op?.Key;
      return { kind: kind as string, op, key };
    });
    if (actions.length === 0 || actions.length > 100) {
      throw validation(`TransactItems must have between 1 and 100 actions, got ${actions.length}`);
    }
    const seen = new Set<string>();
    for (const a of actions) {
      const id = `${a.op.TableName}\u0000${JSON.stringify(sortKeys(a.key))}`;
      if (seen.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
      seen.add(id);
    }
    // Snapshots, then every condition, as AWS reports a reason per action.
    const snapshots = await Promise.all(actions.map(async (a) =>
      (await this.db().send(new m.GetItemCommand({ TableName: a.op.TableName, Key: a.key, ConsistentRead: true }))).Item));
    const reasons: Record<string, unknown>[] = [];
    for (const [i, a] of actions.entries()) {
      const passed = a.op.ConditionExpression === undefined || await this.conditionHolds(a.op, a.key, snapshots[i]);
      reasons.push(passed ? { Code: 'None' } : {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        ...(a.op.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && snapshots[i] ? { Item: snapshots[i] } : {}),
      });
    }
    if (reasons.some((r) => r.Code !== 'None')) throw cancelled(reasons);

    const applied: number[] = [];
    try {
      for (const [i, a] of actions.entries()) {
        const { ReturnValuesOnConditionCheckFailure: _ignored, ...op } = a.op;
        if (a.kind === 'Put') await this.db().send(new m.PutItemCommand(op));
        else if (a.kind === 'Update') await this.db().send(new m.UpdateItemCommand(op));
        else if (a.kind === 'Delete') await this.db().send(new m.DeleteItemCommand(op));
        else if (a.kind !== 'ConditionCheck') throw validation(`Unknown transaction action ${a.kind}`);
        applied.push(i);
      }
    } catch (error) {
      for (const i of applied.reverse()) {
        const a = actions[i];
        if (snapshots[i]) await this.db().send(new m.PutItemCommand({ TableName: a.op.TableName, Item: snapshots[i] }));
        else await this.db().send(new m.DeleteItemCommand({ TableName: a.op.TableName, Key: a.key }));
      }
      if ((error as Error).name === 'ConditionalCheckFailedException') {
        throw cancelled(actions.map((_, i) => (i === applied.length ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' } : { Code: 'None' })));
      }
      throw error;
    }
    return {};
  }

  /** Tests the condition by writing the item back unchanged under it (a key-only item is removed again). */
  private async conditionHolds(op: any, key: Item, snapshot: Item | undefined): Promise<boolean> {
    const m = sdk();
    const expression = String(op.ConditionExpression);
    const used = (map: Record<string, unknown> | undefined) =>
      map && Object.keys(map).some((k) => expression.includes(k))
        ? Object.fromEntries(Object.entries(map).filter(([k]) => new RegExp(`${escapeRegExp(k)}(?![A-Za-z0-9_])`).test(expression)))
        : undefined;
    try {
      await this.db().send(new m.PutItemCommand({
        TableName: op.TableName,
        Item: snapshot ?? key,
        ConditionExpression: expression,
        ExpressionAttributeNames: used(op.ExpressionAttributeNames) as any,
        ExpressionAttributeValues: used(op.ExpressionAttributeValues) as any,
      }));
      if (!snapshot) await this.db().send(new m.DeleteItemCommand({ TableName: op.TableName, Key: key }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function sortKeys(value: Item): Item {
  return Object.fromEntries(Object.entries(value ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
}

const keySchemas = new Map<string, string[]>();

/** The key attributes of a Put's item (the schemas are registered when the runner creates tables). */
function keyOf(item: Item, table: string): Item {
  const names = keySchemas.get(table);
  if (!names) return item;
  return Object.fromEntries(names.map((n) => [n, item[n]]));
}

/** Remembers the key attribute names of a table (for transactions). */
export function registerKeySchema(table: string, keyNames: string[]): void {
  keySchemas.set(table, keyNames);
}

function validation(message: string): Error {
  const error = new Error(message);
  error.name = 'ValidationException';
  return error;
}

function cancelled(reasons: Record<string, unknown>[]): Error {
  const error = new Error(`Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`) as Error & { CancellationReasons: unknown };
  error.name = 'TransactionCanceledException';
  error.CancellationReasons = reasons;
  return error;
}
