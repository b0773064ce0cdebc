import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { LambdaDelivery, sendEvent, StateMachineDelivery, routesFor } from '../../src';
import { BillingStack, LedgerStack, ORDER_PLACED } from '../fixtures/tenant/services';

// GIVEN two services of one tenant account, each synthesized once for the whole file.
const billing = new BillingStack(new App(), 'billing');
const ledger = new LedgerStack(new App(), 'ledger');
const TABLE = 'Table710B521B';
beforeAll(() => {
  Template.fromStack(billing);
  Template.fromStack(ledger);
}, 180_000);
// The first delivery also compiles the handlers (ts-jest) and loads the AWS SDK.
jest.setTimeout(60_000);

const TENANT = ORDER_PLACED.account;
const event = (detailType: string, source: string, detail: object) => ({ ...ORDER_PLACED, 'detail-type': detailType, source, detail });

describe('sendEvent: a tenant account routing by the services\' own rules', () => {
  test('GIVEN an Order Placed WHEN sent THEN every matching rule of both services delivers it, and an event a handler puts is routed again', async () => {
    const result = await sendEvent([billing, ledger], ORDER_PLACED, { randomSeed: 1 });

    expect(result.account).toBe(TENANT);
    expect(result.routed.map((r) => [r.event['detail-type'], r.depth, r.rules])).toEqual([
      ['Order Placed', 0, ['billing/OrderPlacedRoute/Rule', 'billing/PaymentRoute/Rule', 'billing/BigOrderAudit', 'ledger/OrderPlacedRoute/Rule']],
      ['Payment Recorded', 1, ['billing/ReceiptRoute/Rule']],
    ]);
    expect(result.deliveries.map((d) => [d.service, d.kind, d.target.path, d.status])).toEqual([
      ['billing', 'state-machine', 'Workflow/StateMachine', 'SUCCEEDED'],
      ['billing', 'lambda', 'RecordPayment', 'SUCCEEDED'],
      ['billing', 'lambda', 'AuditOrder', 'SUCCEEDED'],
      ['ledger', 'lambda', 'TallyOrder', 'SUCCEEDED'],
      ['billing', 'lambda', 'WriteReceipt', 'SUCCEEDED'],
    ]);
    const execution = result.deliveries[0] as StateMachineDelivery;
    // A rule targeting a state machine passes the whole event as the execution input.
    expect(execution.input).toEqual(ORDER_PLACED);
    expect(execution.execution.path).toEqual(['Charge', 'Charged']);
    // Each service writes its own table, though both tables have the same logical id.
    expect(result.tables.billing[TABLE].map((i) => i.pk)).toEqual(['CHARGE#o-1', 'PAYMENT#o-1', 'RECEIPT#o-1']);
    expect(result.tables.ledger[TABLE]).toEqual([{ pk: 'ORDERS', sk: 'COUNT', orders: 1 }]);
    expect(result.tableSnapshots.map((t) => t.tableName)).toEqual([`billing-${TABLE}`, `ledger-${TABLE}`]);
    // The event record-payment put with the SDK, as EventBridge stamps it: the tenant's account.
    const payment = result.deliveries[1] as LambdaDelivery;
    expect(payment.eventsPut).toEqual([expect.objectContaining({ 'source': 'billing.payments', 'detail-type': 'Payment Recorded', 'account': TENANT, 'region': 'eu-west-1', 'detail': { orderId: 'o-1', amount: 250 } })]);
    expect(payment.result).toEqual({ recorded: 'o-1', eventId: payment.eventsPut[0].id });
    expect(result.centralFailures).toEqual([]);
    expect(result.unrouted).toEqual([]);
  });

  test('GIVEN a rule with an input transformer WHEN its event is sent THEN the target receives the transformed input', async () => {
    const result = await sendEvent(billing, ORDER_PLACED, { randomSeed: 1 });

    const audit = result.deliveries.find((d) => d.target.path === 'AuditOrder') as LambdaDelivery;
    expect(audit.input).toEqual({ order: 'o-1', amount: 250, note: 'big order o-1' });
    expect(audit.result).toEqual({ received: audit.input });
  });

  test('GIVEN an order of 50 WHEN sent THEN the numeric pattern of the audit rule does not match it', async () => {
    const result = await sendEvent(billing, { ...ORDER_PLACED, detail: { orderId: 'o-2', amount: 50 } });

    expect(result.routed[0].rules).toEqual(['billing/OrderPlacedRoute/Rule', 'billing/PaymentRoute/Rule']);
  });

  test('GIVEN a handler that throws WHEN its event is sent THEN it is retried per its EventInvokeConfig and its record reaches the central failure bus with the tenant as envelope account', async () => {
    const result = await sendEvent([billing, ledger], event('Ledger Closed', 'shop.ledger', { ledger: 'L-9' }), { centralAccountId: '999988887777' });

    const delivery = result.deliveries[0] as LambdaDelivery;
    expect(delivery.asyncConfig).toEqual({ maximumRetryAttempts: 1, maximumEventAgeInSeconds: 3600, onFailure: 'arn:aws:events:eu-west-1:999988887777:event-bus/fleet-failures' });
    expect(delivery.attempts.map((a) => [a.attempt, a.time, a.status, a.error?.errorType])).toEqual([
      [1, '2026-03-02T07:00:00.000Z', 'FAILED', 'LedgerUnavailableError'],
      [2, '2026-03-02T07:01:00.000Z', 'FAILED', 'LedgerUnavailableError'],
    ]);
    expect(delivery.outcome).toBe('RetriesExhausted');
    expect(result.centralFailures).toHaveLength(1);
    const [failure] = result.centralFailures;
    expect(failure.event).toMatchObject({
      'source': 'lambda',
      'detail-type': 'Lambda Function Invocation Result - Failure',
      'account': TENANT,
      'detail': {
        requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 2, functionArn: expect.stringMatching(/^arn:aws:lambda:eu-west-1:111122223333:function:CloseLedger.*:\$LATEST$/) },
        requestPayload: expect.objectContaining({ 'detail-type': 'Ledger Closed' }),
        responsePayload: { errorType: 'LedgerUnavailableError', errorMessage: expect.stringMatching(/^Ledger L-9 is unavailable/) },
      },
    });
    // The central DLQ message: the control plane's input transformer, the tenant from the envelope.
    expect(failure.message).toEqual({
      fleetFailureMessage: 1,
      tenant: TENANT,
      region: 'eu-west-1',
      eventId: failure.event.id,
      ruleArn: 'arn:aws:events:eu-west-1:999988887777:rule/fleet-failures/CentralFailureRule',
      ingestedAt: failure.event.time,
      event: failure.event,
    });
  });

  test('GIVEN a workflow task that fails WHEN its event is sent THEN the failure path\'s Workflow Failed reaches the central failure bus', async () => {
    const result = await sendEvent(billing, { ...ORDER_PLACED, detail: { orderId: 'o-3' } });

    const execution = result.deliveries[0] as StateMachineDelivery;
    expect(execution.status).toBe('FAILED');
    expect(execution.execution.path.slice(-3)).toEqual(['Has error?', 'Report failure', 'Workflow failed']);
    expect(result.centralFailures.map((f) => [f.event.source, f.event['detail-type'], f.message.tenant, f.from])).toEqual([
      ['fleet.billing', 'Workflow Failed', TENANT, { kind: 'target', service: 'billing', target: 'Workflow/StateMachine', via: 'PutEvents' }],
    ]);
  });

  test('GIVEN a target that puts the event its own rule matches WHEN sent THEN routing stops at the depth bound and says why', async () => {
    const result = await sendEvent(billing, event('Ping', 'billing.ping', {}), { maxDepth: 3 });

    expect(result.deliveries.map((d) => (d as LambdaDelivery).result)).toEqual([{ hop: 1 }, { hop: 2 }, { hop: 3 }, { hop: 4 }]);
    expect(result.unrouted).toHaveLength(1);
    expect(result.unrouted[0].reason).toBe(
      'event "Ping" from billing.ping, put by billing Ping (PutEvents), is 4 events deep in the chain started by the event sent, past the bound of 3; it matches billing/PingRoute/Rule. '
      + 'A target that puts events its own rules match loops forever in AWS (billed per event). Fix: narrow the rule\'s pattern so it excludes what its target puts, or raise maxDepth (fleet send --max-depth) if the chain is meant to be this long.',
    );
  });

  test('GIVEN a PutEvents entry WHEN sent THEN the envelope is built for the tenant', async () => {
    const result = await sendEvent(ledger, { Source: 'shop.orders', DetailType: 'Order Placed', Detail: JSON.stringify({ orderId: 'o-4' }) }, { accountId: '444455556666', region: 'eu-central-1' });

    expect(result.event).toMatchObject({ 'version': '0', 'account': '444455556666', 'region': 'eu-central-1', 'resources': [], 'detail': { orderId: 'o-4' } });
    expect(result.deliveries.map((d) => d.target.path)).toEqual(['TallyOrder']);
  });

  test('GIVEN an event no rule matches WHEN sent THEN nothing is delivered', async () => {
    const result = await sendEvent([billing, ledger], event('Order Cancelled', 'shop.orders', {}));

    expect(result.routed).toEqual([expect.objectContaining({ rules: [] })]);
    expect(result.deliveries).toEqual([]);
  });

  test('GIVEN a bad event and a bad seed WHEN sent THEN the error names each problem and the fix', async () => {
    await expect(sendEvent(billing, { source: 'shop.orders', detail: 'x' })).rejects.toThrow(
      'sendEvent: event: "detail-type" must be a non-empty string, got undefined. Fix: set "detail-type" (rules match on it).\n'
      + 'sendEvent: event: "detail" must be a JSON object, got "x". Fix: put the event\'s data in an object.',
    );
    await expect(sendEvent(billing, ORDER_PLACED, { seed: { shop: [] } })).rejects.toThrow(
      'sendEvent: seed names service "shop", which is not among the stacks. Fix: key the seed by one of "billing".',
    );
  });

  test('routesFor says where the service\'s rules send an event, and that a workflow input is no event', () => {
    expect(routesFor(billing, event('Ledger Closed', 'shop.ledger', {}))).toEqual([
      { rule: 'LedgerClosedRoute/Rule', kind: 'lambda', logicalId: expect.stringMatching(/^CloseLedger/), handlerName: 'close-ledger', arn: expect.any(String) },
    ]);
    expect(routesFor(billing, { orderId: 'o-1' })).toBeUndefined();
  });
});
