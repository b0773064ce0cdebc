/**
 * The control plane's release status table, in memory, serving the engine's DynamoDB tasks
 * (`aws-sdk:dynamodb:getItem|putItem|updateItem` and the optimized `dynamodb:` forms).
 *
 * Why not the embedded DynamoDB server (dynalite): a fleet rollout makes four to five status
 * calls per (tenant, service); 120,000 deployments are over half a million HTTP round trips,
 * which would dominate the simulation. The engine uses a small, fixed subset of the API (a key
 * lookup, a put, and `SET`/`REMOVE` update expressions with name and value placeholders), and
 * that subset is served here with DynamoDB's answers: GetItem returns `{ Item }` or `{}`,
 * UpdateItem creates the item when it is missing (an "upsert"), and an expression this fake does
 * not understand fails loudly instead of being guessed at. `test/in-memory-status-table.test.ts`
 * runs the same rollout against dynalite and this table and compares every item.
 */
import { Integration, IntegrationRequest, StatesError } from '@fleet/workflows/testing';

/** A DynamoDB attribute value as the low-level API writes it (`{ S: 'x' }`, `{ N: '1' }`, ...). */
export type AttributeValue = Readonly<Record<string, unknown>>;
export type StatusItem = Record<string, AttributeValue>;

const ACTIONS = ['getItem', 'putItem', 'updateItem'] as const;

export class InMemoryStatusTable {
  private readonly items = new Map<string, StatusItem>();

  /** @param keyNames the partition and sort key attribute names (RELEASE_STATUS_TABLE). */
  constructor(private readonly tableName: string, private readonly keyNames: readonly [string, string]) {}

  /** Every item, in insertion order (a Scan). */
  scan(): StatusItem[] {
    return [...this.items.values()].map((item) => ({ ...item }));
  }

  /** The item with this key, or undefined. */
  get(partition: string, sort: string): StatusItem | undefined {
    const item = this.items.get(JSON.stringify([partition, sort]));
    return item ? { ...item } : undefined;
  }

  /** Writes an item directly (the CLI's `fleet rollout pause` writes the control item this way). */
  put(item: StatusItem): void {
    this.items.set(this.keyOf(item, 'put'), { ...item });
  }

  /** `arn:aws:states:::aws-sdk:dynamodb:` and `arn:aws:states:::dynamodb:`, bound to this table. */
  integrations(): Record<string, Integration> {
    const serve = (prefix: string, errorPrefix: string): Integration => (request) => {
      const override = request.findHandler();
      if (override) return override(request.parameters, request.context);
      const action = request.resource.slice(prefix.length) as (typeof ACTIONS)[number];
      if (!ACTIONS.includes(action)) {
        throw new StatesError('States.Runtime', `State '${request.stateName}' calls ${request.resource}: the simulated status table serves ${ACTIONS.join(', ')} only. Fix: add the action to simulator/src/in-memory-status-table.ts.`);
      }
      return this[action](request, errorPrefix);
    };
    return {
      'arn:aws:states:::aws-sdk:dynamodb:': serve('arn:aws:states:::aws-sdk:dynamodb:', 'DynamoDb'),
      'arn:aws:states:::dynamodb:': serve('arn:aws:states:::dynamodb:', 'DynamoDB'),
    };
  }

  private params(request: IntegrationRequest, errorPrefix: string): Record<string, any> {
    const p = (request.parameters ?? {}) as Record<string, any>;
    if (p.TableName !== this.tableName) {
      throw new StatesError(`${errorPrefix}.ResourceNotFoundException`, `Requested resource not found: Table: ${String(p.TableName)} not found`);
    }
    return p;
  }

  private keyOf(item: Record<string, any> | undefined, what: string, errorPrefix = 'DynamoDb'): string {
    const [pk, sk] = this.keyNames;
    const partition = item?.[pk]?.S;
    const sort = item?.[sk]?.S;
    if (typeof partition !== 'string' || typeof sort !== 'string') {
      throw new StatesError(`${errorPrefix}.ValidationException`, `The provided key element does not match the schema (${what}: ${JSON.stringify(item)})`);
    }
    return JSON.stringify([partition, sort]);
  }

  private getItem(request: IntegrationRequest, errorPrefix: string): unknown {
    const p = this.params(request, errorPrefix);
    const item = this.items.get(this.keyOf(p.Key, 'Key', errorPrefix));
    return item ? { Item: { ...item } } : {};
  }

  private putItem(request: IntegrationRequest, errorPrefix: string): unknown {
    const p = this.params(request, errorPrefix);
    this.items.set(this.keyOf(p.Item, 'Item', errorPrefix), { ...(p.Item as StatusItem) });
    return {};
  }

  /** `SET #a = :a, #b = :b REMOVE #c`: the two clauses the engine writes, with placeholders. */
  private updateItem(request: IntegrationRequest, errorPrefix: string): unknown {
    const p = this.params(request, errorPrefix);
    const key = this.keyOf(p.Key, 'Key', errorPrefix);
    const names = (p.ExpressionAttributeNames ?? {}) as Record<string, string>;
    const values = (p.ExpressionAttributeValues ?? {}) as Record<string, AttributeValue>;
    if (p.ConditionExpression !== undefined) {
      throw new StatesError('States.Runtime', `State '${request.stateName}': the simulated status table does not evaluate ConditionExpression. Fix: add it to simulator/src/in-memory-status-table.ts.`);
    }
    const invalid = (why: string) => new StatesError(`${errorPrefix}.ValidationException`, `Invalid UpdateExpression: ${why}; expression: ${String(p.UpdateExpression)}`);
    const name = (token: string): string => {
      if (!token.startsWith('#')) return token;
      const resolved = names[token];
      if (resolved === undefined) throw invalid(`An expression attribute name used in the document path is not defined; attribute name: ${token}`);
      return resolved;
    };
    const item: StatusItem = { ...(this.items.get(key) ?? { ...p.Key }) };
    for (const op of parseUpdateExpression(String(p.UpdateExpression ?? ''))) {
      if (op.kind === 'invalid') throw invalid(op.why);
      if (op.kind === 'remove') {
        delete item[name(op.path)];
        continue;
      }
      const value = values[op.value];
      if (value === undefined) throw invalid(`An expression attribute value used in expression is not defined; attribute value: ${op.value}`);
      const attribute = name(op.path);
      if (this.keyNames.includes(attribute)) throw invalid(`Cannot update attribute ${attribute}. This attribute is part of the key`);
      item[attribute] = value;
    }
    this.items.set(key, item);
    return {};
  }
}

/** One step of an update expression, in order; a syntax problem stays in place so it is reported where it was met. */
type UpdateOp = { kind: 'set'; path: string; value: string } | { kind: 'remove'; path: string } | { kind: 'invalid'; why: string };

/**
 * The engine sends the same few update expressions for every deployment: each is parsed once
 * (the split and the regular expressions per call were a steady share of the simulation's
 * allocations). Bounded: a caller sending ever new expressions would only refill it.
 */
const PARSED_UPDATES = new Map<string, readonly UpdateOp[]>();
const MAX_PARSED_UPDATES = 1_000;

function parseUpdateExpression(expression: string): readonly UpdateOp[] {
  const known = PARSED_UPDATES.get(expression);
  if (known) return known;
  const ops: UpdateOp[] = [];
  const clauses = expression.split(/\s*\b(SET|REMOVE)\s+/).filter((s) => s.trim() !== '');
  parse: for (let i = 0; i < clauses.length; i += 2) {
    const verb = clauses[i];
    const body = clauses[i + 1];
    if ((verb !== 'SET' && verb !== 'REMOVE') || body === undefined) {
      ops.push({ kind: 'invalid', why: `Syntax error near "${verb}"` });
      break;
    }
    for (const part of body.split(',').map((s) => s.trim())) {
      if (verb === 'REMOVE') {
        ops.push({ kind: 'remove', path: part });
        continue;
      }
      const m = /^(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)$/.exec(part);
      if (!m) {
        ops.push({ kind: 'invalid', why: `the simulated table understands "path = :value" only, got "${part}"` });
        break parse;
      }
      ops.push({ kind: 'set', path: m[1], value: m[2] });
    }
  }
  if (PARSED_UPDATES.size >= MAX_PARSED_UPDATES) PARSED_UPDATES.clear();
  PARSED_UPDATES.set(expression, ops);
  return ops;
}
