/**
 * Property tests of tenant isolation in `fleet dlq redrive`: random queues of failure messages
 * across random tenants, many with forged tenant fields in their payloads, random partial
 * failures of AssumeRole, PutEvents, Invoke, StartExecution, SendMessage and DeleteMessage.
 * Three kinds of failure are redelivered three ways: a failed invocation of an EventBridge event
 * (PutEvents), a failed direct invocation (Invoke), a failed execution (StartExecution with the
 * failed execution's input). After redriving every tenant in turn:
 * 1. no event is ever delivered into an account other than its message's envelope account;
 * 2. no message is deleted from the DLQ without an accepted redelivery or a quarantine copy;
 * 3. every message ends redelivered and deleted, still in the DLQ, or in quarantine: none lost;
 * 4. a message whose payload contradicts its envelope account (or has none) is never delivered;
 * and a dry run changes nothing at all.
 */
import * as fc from 'fast-check';
import { FailureMessage, readFailureMessage } from '../../src/dlq/failure-message';
import { CENTRAL, centralBody, deliveredSeq, DLQ_URL, FakeAws, lambdaFailureEvent, QUARANTINE_URL, REGION, TENANT_DLQ_URL, workflowFailedEvent } from './fake-aws';

const CENTRAL_RULE = `arn:aws:events:${REGION}:${CENTRAL}:rule/fleet-failures/TenantFailures`;
const QUEUES = [DLQ_URL, TENANT_DLQ_URL];
import { runDlq } from './harness';
import { propertyRuns, propertyTimeout } from './property-runs';

const account = fc.stringMatching(/^[1-9]\d{11}$/);

type Forgery = 'none' | 'function-arn' | 'original-account' | 'detail-tenant-field' | 'resource-arn' | 'nested-arn' | 'rule-tenant' | 'no-tenant' | 'not-json';

interface GeneratedMessage {
  readonly id: string;
  /** The envelope account AWS set (the truth), or undefined for a message without one. */
  readonly envelope?: string;
  readonly forgery: Forgery;
  readonly body: string;
  /** SQS message attributes (a dead letter's RULE_ARN). */
  readonly attributes?: Record<string, string>;
  /** The queue it is in: the central DLQ, or the tenant dead-letter queue for rule dead letters. */
  readonly queue?: string;
  /** For a Workflow Failed message: the failed execution to create in the fake (its account may be forged). */
  readonly execution?: { readonly account: string; readonly seq: number };
}

const forgery = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Forgery>('none') },
  { weight: 6, arbitrary: fc.constantFrom<Forgery>('function-arn', 'original-account', 'detail-tenant-field', 'resource-arn', 'nested-arn', 'rule-tenant') },
  { weight: 1, arbitrary: fc.constantFrom<Forgery>('no-tenant', 'not-json') },
);

/** A queue: tenants, and messages that each belong to one of them. */
const scenario = fc.uniqueArray(account, { minLength: 2, maxLength: 6 }).chain((tenants) => fc.record({
  tenants: fc.constant(tenants),
  messages: fc.array(fc.record({
    tenant: fc.constantFrom(...tenants),
    victim: fc.constantFrom(...tenants),
    kind: fc.constantFrom('lambda', 'lambda', 'lambda', 'direct', 'workflow', 'workflow', 'rule'),
    shape: fc.constantFrom('central', 'central', 'central', 'event'),
    forgery,
  }), { minLength: 40, maxLength: 250 }),
  failures: fc.record({
    assumeRole: fc.array(fc.constantFrom<'ok' | 'throw' | 'wrong-account'>('ok', 'ok', 'ok', 'ok', 'ok', 'throw', 'wrong-account'), { minLength: 1, maxLength: 6 }),
    putEvents: fc.array(fc.constantFrom<'ok' | 'throw' | 'failed-entry'>('ok', 'ok', 'ok', 'ok', 'ok', 'throw', 'failed-entry'), { minLength: 1, maxLength: 13 }),
    invoke: fc.array(fc.constantFrom<'ok' | 'throw' | 'not-queued'>('ok', 'ok', 'ok', 'ok', 'throw', 'not-queued'), { minLength: 1, maxLength: 9 }),
    startExecution: fc.array(fc.constantFrom<'ok' | 'throw'>('ok', 'ok', 'ok', 'throw'), { minLength: 1, maxLength: 5 }),
    /** Some failed executions are gone (older than 90 days): DescribeExecution fails. */
    executionKept: fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }).map((a) => [true, ...a]),
    deleteMessage: fc.array(fc.boolean(), { minLength: 1, maxLength: 11 }).map((a) => [true, true, ...a]),
    sendMessage: fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
  }),
  withQuarantineQueue: fc.boolean(),
}));

function build(spec0: { tenant: string; victim: string; kind: string; shape: string; forgery: Forgery }, seq: number): GeneratedMessage {
  let spec = spec0;
  const id = `m${String(seq).padStart(4, '0')}`;
  // The victim is the account a forger wants the event delivered into; it may be the tenant itself.
  const other = spec.victim === spec.tenant ? '123456789012' : spec.victim;
  if (spec.kind === 'rule') return buildRuleDeadLetter(id, spec, other, seq);
  const workflow = spec.kind === 'workflow';
  const directPayload = spec.kind === 'direct';
  let event = workflow ? workflowFailedEvent(spec.tenant, seq) : lambdaFailureEvent({ account: spec.tenant, seq, directPayload });
  let execution = workflow ? { account: spec.tenant, seq } : undefined;
  // On a Workflow Failed event, "function-arn" forges the execution and state machine ARNs;
  // "original-account" and "resource-arn" do not apply and leave it clean.
  const applies = !workflow || !['original-account', 'resource-arn'].includes(spec.forgery);
  if (!applies) spec = { ...spec, forgery: 'none' };
  if (workflow && spec.forgery === 'function-arn') {
    // The forger points the redrive at an execution of the victim's, which exists there.
    event = workflowFailedEvent(spec.tenant, seq);
    const victims = workflowFailedEvent(other, seq);
    event.detail.executionId = victims.detail.executionId;
    event.detail.stateMachineId = victims.detail.stateMachineId;
    execution = { account: other, seq };
  } else if (!workflow || spec.forgery === 'detail-tenant-field' || spec.forgery === 'nested-arn') {
    switch (spec.forgery) {
      case 'function-arn':
        event = lambdaFailureEvent({ account: spec.tenant, functionAccount: other, seq, directPayload });
        break;
      case 'original-account':
        event = lambdaFailureEvent({ account: spec.tenant, eventAccount: other, seq, directPayload });
        break;
      case 'detail-tenant-field':
        event.detail.tenantId = other;
        break;
      case 'resource-arn':
        event.resources = [`arn:aws:lambda:${REGION}:${other}:function:x`];
        break;
      case 'nested-arn':
        event.detail.extra = { deep: [{ target: `arn:aws:events:${REGION}:${other}:event-bus/default` }] };
        break;
      default:
    }
  }
  if (spec.forgery === 'not-json') return { id, forgery: spec.forgery, body: `garbage ${seq}` };
  const forged = spec.forgery !== 'none' && spec.forgery !== 'no-tenant';
  if (spec.shape === 'event' && spec.forgery !== 'rule-tenant') {
    if (spec.forgery === 'no-tenant') delete event.account;
    // A bare event in a central queue is a dead letter of the central rule (the delivery DLQ).
    return { id, envelope: spec.forgery === 'no-tenant' ? undefined : spec.tenant, forgery: spec.forgery, body: JSON.stringify(event), execution, attributes: { RULE_ARN: CENTRAL_RULE } };
  }
  const body = centralBody(event, spec.forgery === 'rule-tenant' ? { tenant: other } : spec.forgery === 'no-tenant' ? { tenant: undefined } : {});
  return {
    id,
    envelope: spec.forgery === 'no-tenant' ? undefined : spec.forgery === 'rule-tenant' ? other : spec.tenant,
    forgery: spec.forgery === 'no-tenant' ? 'no-tenant' : forged ? spec.forgery : 'none',
    body: JSON.stringify(body),
    execution,
  };
}

/** An event a tenant rule could not deliver, as EventBridge writes it: the bare event, RULE_ARN beside. */
function buildRuleDeadLetter(id: string, spec: { tenant: string; forgery: Forgery }, other: string, seq: number): GeneratedMessage {
  const event = lambdaFailureEvent({ account: spec.tenant, seq }).detail.requestPayload;
  // "rule-tenant" forges the rule's account; "detail-tenant-field" and "nested-arn" the payload.
  const forgery: Forgery = ['rule-tenant', 'detail-tenant-field', 'nested-arn', 'no-tenant'].includes(spec.forgery) ? spec.forgery : 'none';
  if (forgery === 'detail-tenant-field') event.detail.tenantId = other;
  if (forgery === 'nested-arn') event.detail.extra = { deep: [{ target: `arn:aws:events:${REGION}:${other}:event-bus/default` }] };
  if (forgery === 'no-tenant') delete event.account;
  const ruleAccount = forgery === 'rule-tenant' ? other : spec.tenant;
  return {
    id, forgery, envelope: forgery === 'no-tenant' ? undefined : spec.tenant, body: JSON.stringify(event),
    attributes: { RULE_ARN: `arn:aws:events:${REGION}:${ruleAccount}:rule/scan-ingest-ScanUploaded`, ERROR_CODE: 'SDKClientException' },
    queue: TENANT_DLQ_URL,
  };
}

function cycle<T>(values: T[]): (i: number) => T {
  return (i) => values[i % values.length];
}

const stats = { runs: 0, messages: 0, redelivered: 0, quarantined: 0, stayed: 0, forged: 0, deliveries: { 'put-event': 0, 'invoke': 0, 'start-execution': 0 } };
afterAll(() => {
  // The figures quoted in docs/failure-path.md.
  process.stdout.write(`redrive isolation property: ${JSON.stringify(stats)}\n`);
});

describe('fleet dlq redrive, property tests', () => {
  test('recovery stays inside the tenant\'s account: no message crosses tenants (own account and own bus), none is deleted without redelivery, none is lost', async () => {
    await fc.assert(fc.asyncProperty(scenario, async ({ tenants, messages, failures, withQuarantineQueue }) => {
      const aws = new FakeAws();
      try {
        const generated = messages.map((spec, i) => build(spec, i));
        for (const m of generated) aws.add(m.id, m.body, m.attributes, m.queue ?? DLQ_URL);
        generated.forEach((m, i) => {
          if (m.execution && failures.executionKept[i % failures.executionKept.length]) aws.addFailedExecution(m.execution.account, m.execution.seq);
        });
        const bodies = new Map(generated.map((m) => [m.id, m.body]));
        const byId = new Map(generated.map((m) => [m.id, m]));
        // What the tool itself will judge, to tell forged messages from clean ones.
        const judged = new Map<string, FailureMessage>(generated.map((m) => [m.id, readFailureMessage({
          MessageId: m.id, ReceiptHandle: 'x', Body: m.body,
          MessageAttributes: Object.fromEntries(Object.entries(m.attributes ?? {}).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
        }, { tenantDeadLetters: m.queue === TENANT_DLQ_URL })]));
        aws.failures = {
          assumeRole: (tenant) => failures.assumeRole[tenants.indexOf(tenant) % failures.assumeRole.length] ?? 'ok',
          putEvents: cycle(failures.putEvents),
          invoke: cycle(failures.invoke),
          startExecution: cycle(failures.startExecution),
          deleteMessage: cycle(failures.deleteMessage),
          sendMessage: cycle(failures.sendMessage),
        };

        const quarantineArgs = withQuarantineQueue ? ['--quarantine-queue-url', QUARANTINE_URL] : [];
        for (const tenant of tenants) {
          for (const queue of QUEUES) await runDlq(['redrive', '--tenant', tenant, '--queue-url', queue, '--rate', '1000', '--max', '100000', ...quarantineArgs]);
        }

        // 1. Every delivery went into the envelope account of the message it came from, in its region.
        const delivered = new Set<string>();
        for (const d of aws.deliveries) {
          const seq = deliveredSeq(d);
          const source = generated[seq];
          expect(d.account).toBe(source.envelope);
          expect(d.region).toBe(REGION);
          // A put lands on the envelope account's own default bus, not merely with its credentials.
          if (d.kind === 'put-event') expect(d.busArn).toBe(`arn:aws:events:${REGION}:${source.envelope}:event-bus/default`);
          // 4. never a forged or tenant-less message
          expect(source.forgery).toBe('none');
          expect(judged.get(source.id)!.quarantine).toBeUndefined();
          // and each kind the way it failed: events put again, direct payloads invoked, executions started again
          const kind = messages[seq].kind;
          expect(d.kind).toBe(kind === 'workflow' ? 'start-execution' : kind === 'rule' ? 'put-event' : 'invoke');
          // a redelivered message is delivered once: a retried StartExecution reuses its name
          expect(delivered.has(source.id)).toBe(false);
          delivered.add(source.id);
        }
        // Recovery stays inside the tenant's account: no put even tried another bus than the caller's own default bus.
        for (const attempt of aws.putAttempts) {
          expect(attempt.busArn).toBe(`arn:aws:events:${attempt.callerRegion}:${attempt.callerAccount}:event-bus/default`);
          expect(attempt.refused).toBeUndefined();
        }
        // 2. Deleted from the DLQ only after a redelivery or a quarantine copy.
        const copied = new Set(aws.sends.filter(([url]) => url === QUARANTINE_URL).map(([, body]) => body));
        for (const [url, id] of aws.deletes) {
          expect(QUEUES).toContain(url);
          expect(delivered.has(id) || copied.has(bodies.get(id)!)).toBe(true);
        }
        // 3. Every message is somewhere: still in the DLQ, in quarantine, or redelivered and deleted.
        const inDlq = new Set(QUEUES.flatMap((queue) => aws.ids(queue)));
        const quarantinedBodies = new Set([...aws.queue(QUARANTINE_URL).values()].map((m) => m.body));
        for (const m of generated) {
          const redeliveredAndDeleted = delivered.has(m.id) && !inDlq.has(m.id);
          expect(inDlq.has(m.id) || quarantinedBodies.has(m.body) || redeliveredAndDeleted).toBe(true);
          // Nothing of another account sits in the DLQ changed: bodies are untouched.
          if (inDlq.has(m.id)) expect(aws.queue(m.queue ?? DLQ_URL).get(m.id)!.body).toBe(m.body);
        }
        // Every forgery is caught: the tool judges each forged or tenant-less message untrustworthy.
        for (const m of generated) {
          expect({ id: m.id, forgery: m.forgery, caught: judged.get(m.id)!.quarantine !== undefined }).toEqual({ id: m.id, forgery: m.forgery, caught: m.forgery !== 'none' });
        }
        // Quarantine holds only messages the tool judged untrustworthy.
        for (const body of quarantinedBodies) {
          const id = generated.find((m) => m.body === body)!.id;
          expect(judged.get(id)!.quarantine).toBeDefined();
          expect(byId.get(id)!.forgery).not.toBe('none');
        }
        stats.runs++;
        stats.messages += generated.length;
        stats.redelivered += [...delivered].filter((id) => !inDlq.has(id)).length;
        stats.quarantined += generated.filter((m) => quarantinedBodies.has(m.body)).length;
        stats.stayed += inDlq.size;
        stats.forged += generated.filter((m) => m.forgery !== 'none').length;
        for (const d of aws.deliveries) stats.deliveries[d.kind]++;
      } finally {
        aws.restore();
      }
    }), { numRuns: propertyRuns(100) });
  }, propertyTimeout(100, 600));

  test('in the tenant dead-letter queue, only EventBridge\'s dead letters of the event\'s own account are ever delivered', async () => {
    // Any rule of the organization may write into that queue, also directly, with a body of its own.
    const message = fc.record({
      tenant: account,
      victim: account,
      form: fc.constantFrom('dead-letter', 'dead-letter', 'foreign-rule', 'central-format', 'bare-without-rule-arn'),
    });
    await fc.assert(fc.asyncProperty(fc.array(message, { minLength: 10, maxLength: 80 }), async (specs) => {
      const aws = new FakeAws();
      try {
        const rule = (owner: string) => ({ RULE_ARN: `arn:aws:events:${REGION}:${owner}:rule/scan-ingest-ScanUploaded` });
        specs.forEach((spec, seq) => {
          const event = lambdaFailureEvent({ account: spec.victim, seq }).detail.requestPayload;
          // The writer is spec.tenant; what it claims is spec.victim's account.
          if (spec.form === 'dead-letter') aws.add(`m${seq}`, lambdaFailureEvent({ account: spec.tenant, seq }).detail.requestPayload, rule(spec.tenant), TENANT_DLQ_URL);
          if (spec.form === 'foreign-rule') aws.add(`m${seq}`, event, rule(spec.tenant), TENANT_DLQ_URL);
          if (spec.form === 'central-format') aws.add(`m${seq}`, centralBody(lambdaFailureEvent({ account: spec.victim, seq })), {}, TENANT_DLQ_URL);
          if (spec.form === 'bare-without-rule-arn') aws.add(`m${seq}`, event, {}, TENANT_DLQ_URL);
        });
        const accounts = [...new Set(specs.flatMap((x) => [x.tenant, x.victim]))];
        for (const tenant of accounts) await runDlq(['redrive', '--tenant', tenant, '--queue-url', TENANT_DLQ_URL, '--rate', '1000', '--max', '100000']);
        for (const d of aws.deliveries) {
          const spec = specs[deliveredSeq(d)];
          // Delivered only when EventBridge itself wrote the dead letter of the writer's own rule...
          expect(spec.form === 'dead-letter' || (spec.form === 'foreign-rule' && spec.tenant === spec.victim)).toBe(true);
          // ...and then only into that account.
          expect(d.account).toBe(spec.tenant);
        }
      } finally {
        aws.restore();
      }
    }), { numRuns: propertyRuns(30) });
  }, propertyTimeout(30, 600));

  test('a dry run changes nothing', async () => {
    await fc.assert(fc.asyncProperty(scenario, async ({ tenants, messages }) => {
      const aws = new FakeAws();
      try {
        const generated = messages.map((spec, i) => build(spec, i));
        for (const m of generated) aws.add(m.id, m.body, m.attributes, m.queue ?? DLQ_URL);
        for (const tenant of tenants) {
          for (const queue of QUEUES) await runDlq(['redrive', '--tenant', tenant, '--dry-run', '--queue-url', queue, '--quarantine-queue-url', QUARANTINE_URL]);
        }
        expect(aws.deliveries).toEqual([]);
        expect(aws.deletes).toEqual([]);
        expect(aws.sends).toEqual([]);
        expect(aws.assumedRoles).toEqual([]);
        expect(QUEUES.flatMap((queue) => [...aws.queue(queue).values()].map((m) => [m.id, m.body, aws.isVisible(queue, m.id)])).sort())
          .toEqual(generated.map((m) => [m.id, m.body, true]).sort());
      } finally {
        aws.restore();
      }
    }), { numRuns: propertyRuns(15) });
  }, propertyTimeout(15, 250));
});
