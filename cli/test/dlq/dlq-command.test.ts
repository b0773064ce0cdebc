import { readFailureMessage } from '../../src/dlq/failure-message';
import { CliError } from '../../src/errors';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { centralBody, CENTRAL, DLQ_URL, FakeAws, lambdaFailureEvent, POISON_URL, QUARANTINE_URL, REGION, TENANT_DLQ_URL, workflowFailedEvent } from './fake-aws';
import { FakeClock, runDlq } from './harness';

const A = '111122223333';
const B = '444455556666';
const Q = ['--queue-url', DLQ_URL];
const CENTRAL_RULE = `arn:aws:events:${REGION}:${CENTRAL}:rule/fleet-failures/TenantFailures`;

let aws: FakeAws;
beforeEach(() => {
  aws = new FakeAws();
});
afterEach(() => aws.restore());

describe('reading a message', () => {
  const read = (body: unknown) => readFailureMessage({ MessageId: 'm1', ReceiptHandle: 'r', Body: typeof body === 'string' ? body : JSON.stringify(body) });

  test('the tenant is the envelope account the rule wrote, and the event agrees', () => {
    const m = read(centralBody(lambdaFailureEvent({ account: A })));
    expect(m).toMatchObject({ shape: 'central', tenant: A, region: REGION, kind: 'lambda-failure' });
    expect(m.quarantine).toBeUndefined();
    expect(m.claims.map((c) => c.path)).toEqual([
      'resources[0]', 'detail.requestContext.functionArn', 'detail.requestPayload.account',
    ]);
  });

  test('a bare event from the delivery DLQ (RULE_ARN of the central rule) takes its tenant from its own envelope', () => {
    const m = readFailureMessage({ MessageId: 'm1', ReceiptHandle: 'r', Body: JSON.stringify(lambdaFailureEvent({ account: A })), MessageAttributes: { RULE_ARN: { DataType: 'String', StringValue: CENTRAL_RULE } } });
    expect(m).toMatchObject({ shape: 'event', tenant: A, kind: 'lambda-failure' });
    expect(m.quarantine).toBeUndefined();
  });

  test('a bare event without RULE_ARN in a central queue was not written by EventBridge as a dead letter', () => {
    expect(read(lambdaFailureEvent({ account: A })).quarantine?.code).toBe('untrusted-sender');
  });

  test('a central-format body with message attributes was not written by the central rule', () => {
    const m = readFailureMessage({ MessageId: 'm1', ReceiptHandle: 'r', Body: JSON.stringify(centralBody(lambdaFailureEvent({ account: A }))), MessageAttributes: { X: { DataType: 'String', StringValue: 'y' } } });
    expect(m.quarantine?.reason).toBe('the central rule writes no message attributes, and this central-format message has X: it was written by something else');
  });

  test('a message quarantined once stays quarantined, whichever queue it is read from', () => {
    const m = readFailureMessage({ MessageId: 'm1', ReceiptHandle: 'r', Body: JSON.stringify(lambdaFailureEvent({ account: A })), MessageAttributes: {
      FLEET_QUARANTINE_CODE: { DataType: 'String', StringValue: 'untrusted-sender' }, FLEET_QUARANTINE_REASON: { DataType: 'String', StringValue: 'forged' }, RULE_ARN: { DataType: 'String', StringValue: CENTRAL_RULE },
    } });
    expect(m.quarantine?.reason).toBe('quarantined before by fleet dlq (untrusted-sender: forged); never redriven');
  });

  test.each([
    ['not JSON', 'hello', 'the body is not JSON, so there is no envelope account'],
    ['no account', centralBody(lambdaFailureEvent({ account: A }), { tenant: undefined }), 'the envelope account is missing'],
    ['a bad account', centralBody(lambdaFailureEvent({ account: A }), { tenant: '12345' }), 'the envelope account is not a 12-digit account id ("12345")'],
    ['a rule tenant that is not the event account', centralBody(lambdaFailureEvent({ account: A }), { tenant: B }), `the rule wrote tenant ${B} but the event's account is "${A}"`],
    ['a forged function ARN', centralBody(lambdaFailureEvent({ account: A, functionAccount: B })),
      `the payload names another account than the envelope's ${A}: resources[0] says ${B}; detail.requestContext.functionArn says ${B}`],
    ['a forged original event', centralBody(lambdaFailureEvent({ account: A, eventAccount: B })),
      `the payload names another account than the envelope's ${A}: detail.requestPayload.account says ${B}`],
    ['a forged tenant field deep in the detail', centralBody(lambdaFailureEvent({ account: A, detail: { order: { tenantId: B } } })),
      `the payload names another account than the envelope's ${A}: detail.requestPayload.detail.order.tenantId says ${B}`],
  ])('quarantines %s', (_name, body, reason) => {
    expect(read(body).quarantine?.reason).toBe(reason);
  });

  test('an ARN inside an error message is not a claim; a whole ARN value is', () => {
    const event = workflowFailedEvent(A);
    event.detail.error.Cause = `cannot put to arn:aws:events:${REGION}:${CENTRAL}:event-bus/fleet-failures`;
    expect(read(centralBody(event)).quarantine).toBeUndefined();
    event.detail.error.target = `arn:aws:events:${REGION}:${CENTRAL}:event-bus/fleet-failures`;
    expect(read(centralBody(event)).quarantine?.code).toBe('payload-claims-other-account');
  });
});

describe('fleet dlq redrive', () => {
  test('assumes the tenant\'s role, invokes the failed function again with the event it failed on, then deletes the message', async () => {
    aws.add('m1', centralBody(lambdaFailureEvent({ account: A, seq: 7 })));
    aws.add('m2', centralBody(lambdaFailureEvent({ account: B, seq: 8 })));
    const { output, error } = await runDlq(['redrive', '--tenant', A, ...Q]);
    expect(error).toBeUndefined();
    expect(aws.assumedRoles).toEqual([`arn:aws:iam::${A}:role/FleetRecoveryRole`]);
    const functionArn = `arn:aws:lambda:${REGION}:${A}:function:scan-ingest-store-scan:$LATEST`;
    expect(aws.deliveries).toEqual([{
      kind: 'invoke',
      account: A,
      region: REGION,
      functionArn,
      payload: JSON.stringify(lambdaFailureEvent({ account: A, seq: 7 }).detail.requestPayload),
    }]);
    expect(aws.ids(DLQ_URL)).toEqual(['m2']);
    expect(aws.isVisible(DLQ_URL, 'm2')).toBe(true); // released for other operators
    expect(output).toBe(`redelivered                    m1 -> invocation req-0 of ${functionArn}\n1 redelivered\n1 message of other tenants left untouched\n`);
  });

  test('keeps the message when PutEvents does not accept the event, and says so', async () => {
    aws.add('m1', lambdaFailureEvent({ account: A }).detail.requestPayload, { RULE_ARN: `arn:aws:events:${REGION}:${A}:rule/x` }, TENANT_DLQ_URL);
    aws.failures = { putEvents: () => 'failed-entry' };
    const { output, error } = await runDlq(['redrive', '--tenant', A, '--queue-url', TENANT_DLQ_URL]);
    expect(aws.ids(TENANT_DLQ_URL)).toEqual(['m1']);
    expect(output).toContain('failed                         m1: PutEvents did not accept the event (FailedEntryCount 1, InternalException: simulated)');
    expect(error).toBeInstanceOf(CliError);
    expect(error!.message).toBe('fleet dlq redrive: 1 message could not be redelivered or quarantined and stay in the queue (reasons above). Fix: correct the cause and run the same command again.');
  });

  test('delivers nothing when the assumed session is not the tenant\'s', async () => {
    aws.add('m1', centralBody(lambdaFailureEvent({ account: A })));
    aws.failures = { assumeRole: () => 'wrong-account' };
    const { output } = await runDlq(['redrive', '--tenant', A, ...Q]);
    expect(aws.deliveries).toEqual([]);
    expect(aws.ids(DLQ_URL)).toEqual(['m1']);
    expect(output).toContain(`returned a session of "arn:aws:sts::${CENTRAL}:assumed-role/FleetRecoveryRole/fleet-dlq-redrive", not of account ${A}; nothing is delivered with it`);
  });

  test('assumes a missing role once per tenant, not once per message', async () => {
    for (let i = 0; i < 5; i++) aws.add(`m${i}`, centralBody(lambdaFailureEvent({ account: A, seq: i })));
    aws.failures = { assumeRole: () => 'throw' };
    const { output } = await runDlq(['redrive', '--tenant', A, ...Q]);
    expect(aws.assumedRoles).toHaveLength(1);
    expect(output).toContain(`cannot assume arn:aws:iam::${A}:role/FleetRecoveryRole: AccessDenied: not authorized to perform sts:AssumeRole on arn:aws:iam::${A}:role/FleetRecoveryRole. Fix: deploy FleetRecoveryRole in account ${A}, trusting this account, or pass --role-name`);
    expect(aws.ids(DLQ_URL)).toHaveLength(5);
  });

  test('moves a forged message to the quarantine queue with the reason, never delivers it', async () => {
    aws.add('m1', lambdaFailureEvent({ account: A, functionAccount: B }), { RULE_ARN: CENTRAL_RULE });
    const { output } = await runDlq(['redrive', '--tenant', A, ...Q, '--quarantine-queue-url', QUARANTINE_URL]);
    expect(aws.deliveries).toEqual([]);
    expect(aws.assumedRoles).toEqual([]);
    expect(aws.ids(DLQ_URL)).toEqual([]);
    const [quarantined] = [...aws.queue(QUARANTINE_URL).values()];
    expect(JSON.parse(quarantined.body)).toEqual(lambdaFailureEvent({ account: A, functionAccount: B }));
    expect(quarantined.attributes).toEqual({
      FLEET_QUARANTINE_REASON: `the payload names another account than the envelope's ${A}: resources[0] says ${B}; detail.requestContext.functionArn says ${B}`,
      FLEET_QUARANTINE_CODE: 'payload-claims-other-account',
      FLEET_ENVELOPE_ACCOUNT: A,
      FLEET_SOURCE_QUEUE: DLQ_URL,
      RULE_ARN: CENTRAL_RULE,
    });
    expect(output).toMatch(/^quarantined {20}m1: the payload names another account/);
  });

  test('without a quarantine queue, a forged message stays in the DLQ and is not redriven', async () => {
    aws.add('m1', centralBody(lambdaFailureEvent({ account: A, eventAccount: B })));
    const { output } = await runDlq(['redrive', '--tenant', A, ...Q]);
    expect(aws.deliveries).toEqual([]);
    expect(aws.ids(DLQ_URL)).toEqual(['m1']);
    expect(output).toContain('quarantined messages stay in the DLQ; pass --quarantine-queue-url (or set FLEET_DLQ_QUARANTINE_URL) to move them');
  });

  test('starts a failed execution again with its input, under a name that makes a second redrive a no-op', async () => {
    aws.addFailedExecution(A, 1, { scanId: 'scan-42', seq: 1 });
    aws.add('m1', centralBody(workflowFailedEvent(A, 1)));
    // The first delete fails: the message stays although its execution was started.
    aws.failures = { deleteMessage: (call) => call > 0 };
    const first = await runDlq(['redrive', '--tenant', A, ...Q]);
    aws.closeExecutions(); // the restarted execution finishes before the next redrive
    const stateMachineArn = `arn:aws:states:${REGION}:${A}:stateMachine:scan-ingest`;
    const started = `arn:aws:states:${REGION}:${A}:execution:scan-ingest:redrive-wf-1`;
    expect(first.output).toContain(`redelivered-not-deleted        m1 -> execution ${started}: delivered, but deleting it failed`);
    expect(aws.ids(DLQ_URL)).toEqual(['m1']);
    const second = await runDlq(['redrive', '--tenant', A, ...Q]);
    expect(second.output).toContain(`redelivered                    m1 -> execution ${started} (started by an earlier redrive)`);
    expect(aws.ids(DLQ_URL)).toEqual([]);
    expect(aws.deliveries).toEqual([{
      kind: 'start-execution', account: A, region: REGION, stateMachineArn, name: 'redrive-wf-1', input: JSON.stringify({ scanId: 'scan-42', seq: 1 }),
    }]);
  });

  test('keeps a Workflow Failed message whose execution can no longer be read', async () => {
    aws.add('m1', centralBody(workflowFailedEvent(A, 1)));
    const { output, error } = await runDlq(['redrive', '--tenant', A, ...Q]);
    expect(aws.ids(DLQ_URL)).toEqual(['m1']);
    expect(output).toContain(`failed                         m1: ExecutionDoesNotExist: arn:aws:states:${REGION}:${A}:execution:scan-ingest:run-1`);
    expect(error).toBeInstanceOf(CliError);
  });

  test('invokes the function again when the failed payload was not an EventBridge event', async () => {
    aws.add('m1', centralBody(lambdaFailureEvent({ account: A, seq: 3, directPayload: true })));
    const { output } = await runDlq(['redrive', '--tenant', A, ...Q]);
    const functionArn = `arn:aws:lambda:${REGION}:${A}:function:scan-ingest-store-scan:$LATEST`;
    expect(aws.deliveries).toEqual([{ kind: 'invoke', account: A, region: REGION, functionArn, payload: JSON.stringify({ seq: 3, barcode: '4006381333931' }) }]);
    expect(output).toContain(`redelivered                    m1 -> invocation req-0 of ${functionArn}`);
    expect(aws.ids(DLQ_URL)).toEqual([]);
  });

  test('keeps the message when Lambda does not queue the invocation', async () => {
    aws.add('m1', centralBody(lambdaFailureEvent({ account: A, directPayload: true })));
    aws.failures = { invoke: () => 'not-queued' };
    const { output } = await runDlq(['redrive', '--tenant', A, ...Q]);
    expect(aws.ids(DLQ_URL)).toEqual(['m1']);
    expect(output).toContain('answered 200, not 202 (queued)');
  });

  test('puts an event a tenant rule could not deliver back on the tenant\'s bus', async () => {
    const event = lambdaFailureEvent({ account: A, seq: 5 }).detail.requestPayload;
    aws.add('m1', event, { RULE_ARN: `arn:aws:events:${REGION}:${A}:rule/scan-ingest-ScanUploaded`, ERROR_CODE: 'SDKClientException' });
    const { output } = await runDlq(['redrive', '--tenant', A, ...Q]);
    expect(aws.deliveries).toEqual([{
      kind: 'put-event', account: A, region: REGION, busArn: `arn:aws:events:${REGION}:${A}:event-bus/default`,
      entry: { EventBusName: 'default', Source: 'scanner.device', DetailType: 'Scan Uploaded', Detail: JSON.stringify(event.detail), Resources: undefined, Time: new Date(event.time) },
    }]);
    expect(output).toContain('redelivered                    m1 -> event ev-0-0');
  });

  test('quarantines a dead letter whose rule is not of the event\'s account and region; in a central queue it is not even taken for one', async () => {
    aws.add('m1', lambdaFailureEvent({ account: A }).detail.requestPayload, { RULE_ARN: `arn:aws:events:${REGION}:${B}:rule/x` }, TENANT_DLQ_URL);
    aws.add('m2', lambdaFailureEvent({ account: A }).detail.requestPayload, { RULE_ARN: `arn:aws:events:us-east-1:${A}:rule/x` }, TENANT_DLQ_URL);
    const { output } = await runDlq(['redrive', '--tenant', A, '--queue-url', TENANT_DLQ_URL]);
    expect(aws.deliveries).toEqual([]);
    expect(output).toContain(`quarantined-in-place           m1: the event is of account ${A} in ${REGION} but the rule that could not deliver it (RULE_ARN arn:aws:events:${REGION}:${B}:rule/x) is not`);
    expect(output).toContain(`quarantined-in-place           m2: the event is of account ${A} in ${REGION} but the rule that could not deliver it (RULE_ARN arn:aws:events:us-east-1:${A}:rule/x) is not`);
    aws.add('m3', lambdaFailureEvent({ account: A }).detail.requestPayload, { RULE_ARN: `arn:aws:events:${REGION}:${B}:rule/x` });
    const central = await runDlq(['redrive', '--tenant', A, ...Q]);
    expect(aws.deliveries).toEqual([]);
    expect(central.output).toContain('skipped                        m3: not a Lambda failure record or a Workflow Failed event');
  });

  test('in the tenant dead-letter queue, trusts only EventBridge\'s dead letters: a rule targeting it directly cannot pass for the central rule', async () => {
    const TQ = ['--queue-url', TENANT_DLQ_URL];
    const ruleArn = `arn:aws:events:${REGION}:${A}:rule/scan-ingest-ScanUploaded`;
    aws.add('real', lambdaFailureEvent({ account: A, seq: 1 }).detail.requestPayload, { RULE_ARN: ruleArn }, TENANT_DLQ_URL);
    // What a tenant B rule with an input transformer could write: the central format, claiming A.
    aws.add('forged-central', centralBody(lambdaFailureEvent({ account: A, seq: 2 })), {}, TENANT_DLQ_URL);
    // A bare event without the RULE_ARN EventBridge adds to its dead letters.
    aws.add('no-rule', lambdaFailureEvent({ account: A, seq: 3 }).detail.requestPayload, {}, TENANT_DLQ_URL);
    const { output } = await runDlq(['redrive', '--tenant', A, ...TQ]);
    expect(aws.deliveries.map((d) => [d.kind, d.account])).toEqual([['put-event', A]]);
    expect(output).toContain('quarantined-in-place           forged-central: in the tenant dead-letter queue only EventBridge\'s own dead letters (a bare event with a RULE_ARN attribute) are trusted, and this message has the central rule\'s format, which only a forger could write here');
    expect(output).toContain('quarantined-in-place           no-rule: in the tenant dead-letter queue only EventBridge\'s own dead letters (a bare event with a RULE_ARN attribute) are trusted, and this message has no RULE_ARN');
    expect(aws.ids(TENANT_DLQ_URL)).toEqual(['forged-central', 'no-rule']);
  });

  test('invokes the function again even for an event of an AWS source; a rule dead letter of one stays', async () => {
    const event = lambdaFailureEvent({ account: A });
    event.detail.requestPayload.source = 'aws.s3';
    aws.add('m1', centralBody(event));
    aws.add('m2', event.detail.requestPayload, { RULE_ARN: `arn:aws:events:${REGION}:${A}:rule/x` }, TENANT_DLQ_URL);
    await runDlq(['redrive', '--tenant', A, ...Q]);
    expect(aws.deliveries.map((d) => d.kind)).toEqual(['invoke']);
    const { output } = await runDlq(['redrive', '--tenant', A, '--queue-url', TENANT_DLQ_URL]);
    expect(aws.ids(TENANT_DLQ_URL)).toEqual(['m2']);
    expect(output).toContain('skipped                        m2: events of AWS sources (aws.s3) cannot be put again by PutEvents');
  });

  test('--dry-run calls nothing that changes anything and says what would happen', async () => {
    aws.add('m1', centralBody(lambdaFailureEvent({ account: A })));
    aws.add('m2', centralBody(lambdaFailureEvent({ account: A, functionAccount: B })));
    const { output } = await runDlq(['redrive', '--tenant', A, '--dry-run', ...Q, '--quarantine-queue-url', QUARANTINE_URL]);
    expect(aws.deliveries).toEqual([]);
    expect(aws.assumedRoles).toEqual([]);
    expect(aws.deletes).toEqual([]);
    expect(aws.sends).toEqual([]);
    expect(aws.ids(DLQ_URL)).toEqual(['m1', 'm2']);
    expect(output).toContain(`would-redeliver                m1: invoke arn:aws:lambda:${REGION}:${A}:function:scan-ingest-store-scan:$LATEST asynchronously with the failed payload`);
    expect(output).toContain('dry run, nothing changed: 1 would-redeliver, 1 would-quarantine');
  });

  test('--rate spaces the deliveries', async () => {
    for (let i = 0; i < 5; i++) aws.add(`m${i}`, centralBody(lambdaFailureEvent({ account: A, seq: i })));
    const clock = new FakeClock();
    await runDlq(['redrive', '--tenant', A, '--rate', '2', ...Q], { clock });
    expect(aws.deliveries).toHaveLength(5);
    expect(clock.slept).toBe(2000); // 5 deliveries at 2 per second: 4 gaps of 500 ms
  });

  test('--max stops after n messages; --message-id redrives one', async () => {
    for (let i = 0; i < 5; i++) aws.add(`m${i}`, centralBody(lambdaFailureEvent({ account: A, seq: i })));
    await runDlq(['redrive', '--tenant', A, '--max', '2', ...Q]);
    expect(aws.ids(DLQ_URL)).toEqual(['m2', 'm3', 'm4']);
    await runDlq(['redrive', '--tenant', A, '--message-id', 'm4', ...Q]);
    expect(aws.ids(DLQ_URL)).toEqual(['m2', 'm3']);
  });

  test('reads the queue URL from FLEET_DLQ_URL', async () => {
    aws.add('m1', centralBody(lambdaFailureEvent({ account: A })));
    await runDlq(['redrive', '--tenant', A], { env: { FLEET_DLQ_URL: DLQ_URL } });
    expect(aws.ids(DLQ_URL)).toEqual([]);
  });
});

describe('fleet dlq list, show, purge', () => {
  test('list groups the messages by envelope account', async () => {
    aws.add('m1', centralBody(lambdaFailureEvent({ account: A })));
    aws.add('m2', centralBody(workflowFailedEvent(A)));
    aws.add('m3', centralBody(lambdaFailureEvent({ account: B, functionAccount: A })));
    aws.add('m4', 'not json');
    const { output } = await runDlq(['list', ...Q]);
    expect(output).toBe([
      '4 messages from 3 tenants',
      'tenant                 messages  lambda  workflow  rule  other  quarantine  oldest',
      '---------------------  --------  ------  --------  ----  -----  ----------  ------------------------',
      '111122223333           2         1       1         0     0      0           2023-11-14T22:13:20.000Z',
      '(no envelope account)  1         0       0         0     1      1           2023-11-14T22:13:20.000Z',
      '444455556666           1         1       0         0     0      1           2023-11-14T22:13:20.000Z',
      '',
    ].join('\n'));
    expect(aws.deletes).toEqual([]);
    expect(aws.ids(DLQ_URL).every((id) => aws.isVisible(DLQ_URL, id))).toBe(true);
  });

  test('show prints the tenant, the checks and the body', async () => {
    aws.add('m1', centralBody(lambdaFailureEvent({ account: A, functionAccount: B })));
    const { output } = await runDlq(['show', 'm1', ...Q]);
    expect(output).toContain(`tenant:    ${A}\n`);
    expect(output).toContain(`redrive:   QUARANTINE (the payload names another account than the envelope's ${A}`);
    expect(output).toContain('"fleetFailureMessage": 1');
    const missing = await runDlq(['show', 'nope', ...Q]);
    expect(missing.error?.message).toBe(`fleet dlq show: message "nope" is not in ${DLQ_URL}. Fix: copy an id from \`fleet dlq list --tenant <account>\`; a message being processed by someone else is hidden until its visibility timeout ends.`);
  });

  test('purge deletes only the tenant\'s messages, and keeps its suspicious ones', async () => {
    aws.add('m1', centralBody(lambdaFailureEvent({ account: A })));
    aws.add('m2', centralBody(lambdaFailureEvent({ account: B })));
    aws.add('m3', centralBody(lambdaFailureEvent({ account: A, eventAccount: B })));
    const { output } = await runDlq(['purge', '--tenant', A, '--yes', ...Q]);
    expect(aws.ids(DLQ_URL)).toEqual(['m2', 'm3']);
    expect(output).toBe(`deleted 1 message of tenant ${A}\nkept m3: the payload names another account than the envelope's ${A}: detail.requestPayload.account says ${B} (redrive quarantines it)\n`);
  });
});

describe('recovery stays inside the tenant\'s account', () => {
  test('recovery stays inside the tenant\'s account: a put naming another account\'s bus by ARN is refused to the tenant role, and recorded as such', async () => {
    const tenant = new EventBridgeClient({ region: REGION, credentials: { accessKeyId: `ASIA${A}`, secretAccessKey: 'x' } });
    const entry = { Source: 'scanner.device', DetailType: 'Scan Uploaded', Detail: '{}' };
    await expect(tenant.send(new PutEventsCommand({ Entries: [{ ...entry, EventBusName: `arn:aws:events:${REGION}:${B}:event-bus/default` }] })))
      .rejects.toThrow(`AccessDeniedException: ${A} is not authorized to perform events:PutEvents on arn:aws:events:${REGION}:${B}:event-bus/default (a bus of another account)`);
    await expect(tenant.send(new PutEventsCommand({ Entries: [{ ...entry, EventBusName: 'fleet-failures' }] })))
      .rejects.toThrow(`(the recovery role may put on the default bus only)`);
    await tenant.send(new PutEventsCommand({ Entries: [{ ...entry, EventBusName: 'default' }] }));
    expect(aws.putAttempts.map((a) => [a.busArn, a.refused === undefined])).toEqual([
      [`arn:aws:events:${REGION}:${B}:event-bus/default`, false],
      [`arn:aws:events:${REGION}:${A}:event-bus/fleet-failures`, false],
      [`arn:aws:events:${REGION}:${A}:event-bus/default`, true],
    ]);
    expect(aws.deliveries.map((d) => [d.kind, d.account, (d as { busArn: string }).busArn])).toEqual([['put-event', A, `arn:aws:events:${REGION}:${A}:event-bus/default`]]);
  });
});

describe('a scan ends with every message seen, or says it could not', () => {
  test('a scan sees every message although SQS answers empty while messages wait (short polling samples servers)', async () => {
    aws.restore();
    aws = new FakeAws({ sqs: { emptyChance: 1, maxSpuriousEmpties: 3 } });
    for (let i = 0; i < 25; i++) aws.add(`m${String(i).padStart(2, '0')}`, centralBody(lambdaFailureEvent({ account: i % 5 === 0 ? A : B, seq: i })));
    const { output, error } = await runDlq(['list', '--tenant', A, '--json', ...Q], { clock: aws.clock });
    expect(error).toBeUndefined();
    expect(JSON.parse(output).map((m: { messageId: string }) => m.messageId)).toEqual(['m00', 'm05', 'm10', 'm15', 'm20']);
    expect(aws.sqsModel.emptyReceives).toBeGreaterThan(2);
  });

  test('a scan sees every message once although its messages came back mid-scan (lost visibility extensions): received again, not listed twice', async () => {
    aws.restore();
    aws = new FakeAws({ sqs: { latencyMs: 20_000, visibilityChangeFailChance: 1 } });
    for (let i = 0; i < 40; i++) aws.add(`m${String(i).padStart(2, '0')}`, centralBody(lambdaFailureEvent({ account: A, seq: i })));
    const { output, error } = await runDlq(['redrive', '--tenant', A, '--rate', '1000', '--max', '1000', ...Q], { clock: aws.clock });
    expect(error).toBeUndefined();
    expect(aws.deliveries).toHaveLength(40);
    expect(aws.ids(DLQ_URL)).toEqual([]);
    expect(output).toContain('40 redelivered');
  });

  test('a scan that cannot reach every message (the in-flight limit) fails saying so, and never reports the rest as absent', async () => {
    aws.restore();
    aws = new FakeAws({ dlq: { inFlightLimit: 20 } });
    for (let i = 0; i < 30; i++) aws.add(`m${String(i).padStart(2, '0')}`, centralBody(lambdaFailureEvent({ account: i < 25 ? B : A, seq: i })));
    const { output, error } = await runDlq(['list', '--tenant', A, ...Q], { clock: aws.clock });
    expect(output).toBe(`no messages of tenant ${A}\n`);
    expect(error).toBeInstanceOf(CliError);
    expect(error!.message).toBe(`fleet dlq list: the scan of ${DLQ_URL} stopped after 20 messages, before it saw every message: 10 receives in a row brought nothing new while SQS counts about 10 visible messages (hidden from this run by SQS's sampling, or its in-flight limit reached with 20 held by this run). What it did not reach stays in the queue, untouched. Fix: redrive or purge the tenant with the most messages first (\`fleet dlq list\` shows it; those commands delete as they read, so the rest comes within reach), then run the same command again.`);
    // The purge of the flooding tenant deletes as it reads, so it gets through; then A's are in reach.
    expect((await runDlq(['purge', '--tenant', B, '--yes', ...Q], { clock: aws.clock })).error).toBeUndefined();
    const again = await runDlq(['list', '--tenant', A, ...Q], { clock: aws.clock });
    expect(again.error).toBeUndefined();
    expect(again.output).toMatch(/^5 messages of tenant 111122223333\n/);
  });

  test('one tenant cannot starve another: a queue with a receive limit gets a warning, since every scan receives every message', async () => {
    aws.restore();
    aws = new FakeAws({ dlq: { redrive: { targetUrl: POISON_URL, maxReceiveCount: 100 } } });
    aws.add('m1', centralBody(lambdaFailureEvent({ account: A })));
    const { output } = await runDlq(['list', ...Q], { clock: aws.clock });
    expect(output).toContain(`warning: ${DLQ_URL} moves a message to its dead-letter queue after 100 receives, and every scan receives every message of the queue, so reading one tenant's messages counts toward every other tenant's. Fix: remove the queue's redrive policy (CentralFailurePath without maxReceiveCount; see docs/failure-path.md).`);
  });
});

describe('clear errors', () => {
  test.each([
    [['redrive', '--tenant', A], 'fleet dlq redrive: no queue given. Fix: pass --queue-url <url> or set FLEET_DLQ_URL to the FailureQueueUrl output of the control-plane stack.'],
    [['redrive', ...Q], 'fleet dlq redrive: --tenant <account> is required. Fix: name the tenant whose messages to redeliver, e.g. --tenant 111122223333.'],
    [['redrive', '--tenant', 'acme', ...Q], 'fleet dlq redrive: --tenant must be a 12-digit AWS account id, got "acme". Fix: copy the account id from `fleet dlq list`.'],
    [['redrive', '--tenant', A, '--rate', '0', ...Q], 'fleet dlq redrive: --rate must be a number of deliveries per second above 0 and at most 1000, got "0". Fix: for example --rate 5 (or 0.5 for one every two seconds).'],
    [['redrive', '--tenant', A, '--max', '-1', ...Q], 'fleet dlq redrive: --max must be a whole number from 1 to 1000000, got "-1". Fix: for example --max 100.'],
    [['list', '--queue-url', 'fleet-failures'], 'fleet dlq list: --queue-url must be an SQS queue URL, got "fleet-failures". Fix: use the form https://sqs.<region>.amazonaws.com/<account>/<queue-name>.'],
    [['purge', '--tenant', A, ...Q], `fleet dlq purge: deleting tenant ${A}'s messages cannot be undone, and --yes was not given. Fix: look at them with \`fleet dlq list --tenant ${A}\` (or --dry-run), then add --yes.`],
  ])('fleet dlq %j', async (args, message) => {
    const { error } = await runDlq(args as string[]);
    expect(error).toBeInstanceOf(CliError);
    expect(error!.message).toBe(message);
  });

  test('every subcommand has --help with examples', async () => {
    for (const sub of ['list', 'show', 'redrive', 'purge']) {
      const { output } = await runDlq([sub, '--help']);
      expect(output).toContain('Examples:');
      expect(output).toContain(`npx fleet dlq ${sub}`);
    }
  });
});
