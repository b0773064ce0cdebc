import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { runWorkflow } from '../../src';
import { buildFixtureService } from '../fixtures/service';
import { ORDER, OrdersStack, STOCK } from '../fixtures/orders/service';

// GIVEN one synthesized orders service for the whole file (synthesis bundles the handlers once).
const stack = new OrdersStack(new App(), 'orders');
const TABLE = 'Table710B521B';
// Synthesis (with the guardrail checks) takes seconds once; runs reuse it.
beforeAll(() => Template.fromStack(stack), 120_000);
// The first run also compiles the handlers (ts-jest) and loads the AWS SDK.
jest.setTimeout(30_000);

describe('runWorkflow on a service stack', () => {
  test('runs the real handlers and direct DynamoDB tasks against the embedded DynamoDB', async () => {
    const run = await runWorkflow(stack, ORDER, { seed: { Table: [STOCK(5)] } });

    expect(run.status).toBe('SUCCEEDED');
    expect(run.path).toEqual(['Save order', 'Reserve stock', 'Count order', 'Read stats', 'Order placed']);
    expect(run.output).toMatchObject({ order: ORDER, reservation: { Payload: { reserved: 2 }, StatusCode: 200 }, stats: { orders: 1 } });
    expect(run.tables[TABLE]).toEqual([
      { pk: 'CUSTOMER#c-7', sk: 'STATS', orders: 1 },
      { pk: 'ORDER#o-1', sk: 'ORDER', gsi1pk: 'CUSTOMER#c-7', status: 'PLACED', sku: 'SKU-1', quantity: 2 },
      { pk: 'ORDER#o-1', sk: 'RESERVATION#SKU-1', quantity: 2 },
      { pk: 'STOCK#SKU-1', sk: 'STOCK', available: 3 },
    ]);
    expect(run.events).toEqual([]);
  });

  test('each handler runs with a Lambda-like context and its environment from the template', async () => {
    const run = await runWorkflow(stack, ORDER, { seed: [STOCK(5)], accountId: '111122223333', region: 'eu-west-1', logLevel: 'SILENT' });

    expect((run.output as any).ranAs).toEqual({
      functionName: expect.stringMatching(/^SaveOrder/),
      invokedFunctionArn: expect.stringMatching(/^arn:aws:lambda:eu-west-1:111122223333:function:SaveOrder/),
      hasTimeLeft: true,
      tenant: '111122223333',
      table: TABLE,
      logLevel: 'SILENT',
      service: 'orders',
    });
  });

  test('every run starts from empty tables plus its seed', async () => {
    await runWorkflow(stack, ORDER, { seed: [STOCK(5)] });
    const second = await runWorkflow(stack, { ...ORDER, orderId: 'o-2' }, { seed: [STOCK(1)] });

    expect(second.status).toBe('FAILED');
    expect(second.tables[TABLE]).toEqual([
      { pk: 'ORDER#o-2', sk: 'ORDER', gsi1pk: 'CUSTOMER#c-7', status: 'PLACED', sku: 'SKU-1', quantity: 2 },
      { pk: 'STOCK#SKU-1', sk: 'STOCK', available: 1 },
    ]);
  });

  test('a cancelled DynamoDB transaction reaches the handler as TransactionCanceledException and nothing is written', async () => {
    const run = await runWorkflow(stack, ORDER, { seed: [STOCK(1)] });

    expect(run.status).toBe('FAILED');
    expect(run.path).toEqual(['Save order', 'Reserve stock', 'Out of stock']);
    expect(run.error).toBe('OutOfStockError');
    expect(JSON.parse(run.cause!)).toMatchObject({ errorType: 'OutOfStockError', errorMessage: 'Not enough SKU-1 in stock for 2' });
    expect(run.tables[TABLE].filter((item) => item.sk !== 'ORDER')).toEqual([{ pk: 'STOCK#SKU-1', sk: 'STOCK', available: 1 }]);
  });

  test('an error thrown by a handler is caught as in AWS (error name = errorType)', async () => {
    const run = await runWorkflow(stack, { orderId: 'o-3' });

    expect(run.path).toEqual(['Save order', 'Order rejected']);
    expect(run.error).toBe('InvalidOrderError');
  });
});

describe('overrides', () => {
  test('{ throw } on one task forces the failure path: retried, caught, reported to the failure bus', async () => {
    const run = await runWorkflow(stack, ORDER, {
      seed: [STOCK(5)],
      overrides: { 'Reserve stock': { throw: { error: 'Lambda.ServiceException', cause: 'Rate exceeded' } } },
    });

    expect(run.status).toBe('FAILED');
    expect(run.path).toEqual(['Save order', 'Reserve stock', 'Has error?', 'Report failure', 'Workflow failed']);
    expect(run.trace.find((e) => e.stateName === 'Reserve stock')!.retryCount).toBe(6);
    expect(run).toMatchObject({ error: 'Lambda.ServiceException', cause: 'Rate exceeded' });
    expect(run.events).toEqual([{
      EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/default',
      Source: 'fleet.orders',
      DetailType: 'Workflow Failed',
      Detail: {
        executionId: run.executionArn,
        stateMachineId: expect.stringContaining(':stateMachine:orders'),
        error: { Error: 'Lambda.ServiceException', Cause: 'Rate exceeded' },
      },
    }]);
  });

  test('a handler override by function name replaces the real handler, keeping the lambda:invoke envelope', async () => {
    const run = await runWorkflow(stack, ORDER, { seed: [STOCK(5)], overrides: { 'reserve-stock': async (payload) => ({ reserved: payload.order.quantity * 10 }) } });

    expect(run.output).toMatchObject({ reservation: { Payload: { reserved: 20 } } });
    expect(run.tables[TABLE].find((item) => item.pk === 'STOCK#SKU-1')).toEqual(STOCK(5));
  });

  test('{ return } replaces a direct DynamoDB task', async () => {
    const run = await runWorkflow(stack, ORDER, { seed: [STOCK(5)], overrides: { 'Read stats': { return: { Item: { orders: { N: '41' } } } } } });

    expect(run.output).toMatchObject({ stats: { orders: 41 } });
  });

  test('a Step Functions Local mock configuration mocks states by name', async () => {
    const mockConfig = {
      StateMachines: { orders: { TestCases: { NoStock: { 'Reserve stock': 'OutOfStock' } } } },
      MockedResponses: { OutOfStock: { 0: { Throw: { Error: 'OutOfStockError', Cause: 'mocked' } } } },
    };
    const run = await runWorkflow(stack, ORDER, { mockConfig, testCase: 'NoStock' });

    expect(run.path).toEqual(['Save order', 'Reserve stock', 'Out of stock']);
    expect(run.cause).toBe('mocked');
  });
});

describe('setup mistakes fail before the run, naming the thing and the fix', () => {
  test('an override for a state or function that does not exist', async () => {
    await expect(runWorkflow(stack, ORDER, { overrides: { 'Reserve stok': { return: {} } } })).rejects.toThrow(
      'runWorkflow: overrides key "Reserve stok" names neither a state nor a function. Fix: use a state name ("Count order", "Default error", "Has error?", "Order placed", "Order rejected", "Out of stock", "Read stats", "Report failure", "Reserve stock", "Save order", "Workflow failed") or a handler name ("save-order", "reserve-stock").',
    );
  });

  test('seed for a table that is not in the stack', async () => {
    await expect(runWorkflow(stack, ORDER, { seed: { Orders: [] } })).rejects.toThrow(
      `runWorkflow: seed names table "Orders", which is not in the stack. Fix: use a logical id or construct path of ${TABLE} (Table/Table).`,
    );
  });
});

describe('the fixture service without DynamoDB access', () => {
  test('routes an output without a name to the failure path and records the report', async () => {
    const { stack: orders } = buildFixtureService();
    const run = await runWorkflow(orders, { name: 'Ada' });

    expect(run.path).toEqual(['hello', 'Valid?', 'Has error?', 'Default error', 'Report failure', 'Workflow failed']);
    expect(run.error).toBe('Fleet.WorkflowFailed');
    expect(run.events).toHaveLength(1);
    expect(run.tables).toEqual({ [Object.keys(run.tables)[0]]: [] });
  });
});
