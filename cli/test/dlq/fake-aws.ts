/**
 * In-memory SQS queues (`FakeSqs`: visibility timeout, receive counts, redrive policy, in-flight
 * limit, sampled and empty receives, on a fake clock), STS, EventBridge, Lambda and Step
 * Functions behind aws-sdk-client-mock, with failures that tests switch on, and a journal of
 * every call that changed something. The real services cannot run here; this fake keeps the
 * properties the recovery tool relies on: every tenant call acts in the account of the client's
 * credentials and is refused (as IAM would refuse the FleetRecoveryRole) on a resource of
 * another account; PutEvents resolves `EventBusName` as EventBridge does (a name is a bus of
 * the caller's account, an ARN any account's) and the role may put on its own default bus only;
 * StartExecution with a name already used and the same input returns the existing execution.
 */
import { EventBridgeClient, PutEventsCommand, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { FakeClock, FakeQueueOptions, FakeSqs, FakeSqsBehaviour, sqsError, StoredMessage } from './fake-sqs';

export { FakeClock } from './fake-sqs';
export type { StoredMessage } from './fake-sqs';

export const CENTRAL = '999988887777';
export const REGION = 'eu-west-1';
export const DLQ_URL = `https://sqs.${REGION}.amazonaws.com/${CENTRAL}/fleet-failures`;
export const QUARANTINE_URL = `https://sqs.${REGION}.amazonaws.com/${CENTRAL}/fleet-quarantine`;
export const TENANT_DLQ_URL = `https://sqs.${REGION}.amazonaws.com/${CENTRAL}/fleet-failures-tenant-dead-letters`;
export const POISON_URL = `https://sqs.${REGION}.amazonaws.com/${CENTRAL}/fleet-poison`;

/** Decides, per call, whether a fake AWS call fails. Default: never. */
export interface FailurePlan {
  assumeRole?(tenant: string): 'ok' | 'throw' | 'wrong-account';
  putEvents?(call: number): 'ok' | 'throw' | 'failed-entry';
  invoke?(call: number): 'ok' | 'throw' | 'not-queued';
  startExecution?(call: number): 'ok' | 'throw';
  deleteMessage?(call: number): boolean;
  sendMessage?(call: number): boolean;
}

/** One accepted redelivery, made with the credentials of `account`. A put names the bus it landed on. */
export type Delivery =
  | { readonly kind: 'put-event'; readonly account: string; readonly region: string; readonly busArn: string; readonly entry: PutEventsRequestEntry }
  | { readonly kind: 'invoke'; readonly account: string; readonly region: string; readonly functionArn: string; readonly payload: string }
  | { readonly kind: 'start-execution'; readonly account: string; readonly region: string; readonly stateMachineArn: string; readonly name: string; readonly input: string };

/** A PutEvents entry the fake saw, accepted or not: who called, and the bus the entry named. */
export interface PutAttempt {
  readonly callerAccount: string;
  readonly callerRegion: string;
  readonly busArn: string;
  readonly refused?: string;
}

/** An execution the fake Step Functions knows. */
interface StoredExecution {
  readonly stateMachineArn: string;
  readonly input: string;
  /** Closed executions refuse a second StartExecution of their name (ExecutionAlreadyExists). */
  closed?: boolean;
}

/** The `seq` a test payload carries, wherever the delivery put it. */
export function deliveredSeq(d: Delivery): number {
  const text = d.kind === 'put-event' ? d.entry.Detail! : d.kind === 'invoke' ? d.payload : d.input;
  const parsed = JSON.parse(text);
  return (parsed.seq ?? parsed.detail?.seq) as number;
}

export interface FakeAwsOptions {
  readonly clock?: FakeClock;
  readonly sqs?: FakeSqsBehaviour;
  /** Options of the central DLQ (in-flight limit, redrive policy to POISON_URL). */
  readonly dlq?: FakeQueueOptions;
}

/**
 * The bus a PutEvents entry goes to, as EventBridge resolves `EventBusName`: a name (or none:
 * `default`) is a bus of the caller's account and region; an ARN names any account's bus.
 */
export function resolveBus(eventBusName: string | undefined, account: string, region: string): string {
  const name = eventBusName ?? 'default';
  return name.startsWith('arn:') ? name : `arn:aws:events:${region}:${account}:event-bus/${name}`;
}

export class FakeAws {
  public readonly clock: FakeClock;
  public readonly sqsModel: FakeSqs;
  public readonly deliveries: Delivery[] = [];
  /** Every PutEvents entry, refused ones included. */
  public readonly putAttempts: PutAttempt[] = [];
  /** Every successful delete, in order: [queue url, message id]. */
  public readonly deletes: Array<[string, string]> = [];
  /** Every successful send: [queue url, body]. */
  public readonly sends: Array<[string, string, Record<string, string>]> = [];
  public readonly assumedRoles: string[] = [];
  public failures: FailurePlan = {};
  private putCalls = 0;

  /** PutEvents calls so far, failed ones included. */
  public get putEventsCalls(): number {
    return this.putCalls;
  }
  private deleteCalls = 0;
  private sendCalls = 0;

  public readonly sqs = mockClient(SQSClient);
  public readonly sts = mockClient(STSClient);
  public readonly eventBridge = mockClient(EventBridgeClient);
  public readonly lambda = mockClient(LambdaClient);
  public readonly sfn = mockClient(SFNClient);
  /** Executions by ARN: the failed ones tests add, and the ones StartExecution created. */
  public readonly executions = new Map<string, StoredExecution>();
  private invokeCalls = 0;
  private startCalls = 0;

  constructor(options: FakeAwsOptions = {}) {
    this.clock = options.clock ?? new FakeClock();
    this.sqsModel = new FakeSqs(this.clock, options.sqs);
    this.sqsModel.createQueue(DLQ_URL, options.dlq);
    this.sqsModel.createQueue(QUARANTINE_URL);
    this.sqsModel.createQueue(TENANT_DLQ_URL);
    this.sqsModel.createQueue(POISON_URL);
    this.sqs.on(ReceiveMessageCommand).callsFake((input) => this.sqsModel.receive(input));
    this.sqs.on(GetQueueAttributesCommand).callsFake((input) => ({ Attributes: this.sqsModel.attributes(input.QueueUrl) }));
    this.sqs.on(DeleteMessageCommand).callsFake((input) => {
      const call = this.deleteCalls++;
      if (this.failures.deleteMessage && !this.failures.deleteMessage(call)) throw new Error('InternalError: simulated DeleteMessage failure');
      const deleted = this.sqsModel.delete(input.QueueUrl, input.ReceiptHandle);
      if (deleted) this.deletes.push([input.QueueUrl, deleted.id]);
      return {};
    });
    this.sqs.on(SendMessageCommand).callsFake((input) => {
      const call = this.sendCalls++;
      if (this.failures.sendMessage && !this.failures.sendMessage(call)) throw new Error('InternalError: simulated SendMessage failure');
      const attributes = Object.fromEntries(Object.entries(input.MessageAttributes ?? {}).map(([k, v]: [string, any]) => [k, v.StringValue]));
      const id = `q-${this.sendCalls}`;
      this.sqsModel.add(input.QueueUrl, id, input.MessageBody, attributes);
      this.sends.push([input.QueueUrl, input.MessageBody, attributes]);
      return { MessageId: id };
    });
    this.sqs.on(ChangeMessageVisibilityCommand).callsFake((input) => {
      const result = this.sqsModel.changeVisibility(input.QueueUrl, input.ReceiptHandle, input.VisibilityTimeout);
      if (!result.ok) throw sqsError(result.code, input.ReceiptHandle);
      return {};
    });
    this.sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input) => {
      if (input.Entries.length > 10) throw sqsError('AWS.SimpleQueueService.TooManyEntriesInBatchRequest', `${input.Entries.length} entries`);
      const results = input.Entries.map((e: any) => ({ id: e.Id, result: this.sqsModel.changeVisibility(input.QueueUrl, e.ReceiptHandle, e.VisibilityTimeout) }));
      return {
        Successful: results.filter((r: any) => r.result.ok).map((r: any) => ({ Id: r.id })),
        Failed: results.filter((r: any) => !r.result.ok).map((r: any) => ({ Id: r.id, Code: r.result.code, SenderFault: true })),
      };
    });
    this.sts.on(AssumeRoleCommand).callsFake((input) => {
      const account = /^arn:aws:iam::(\d{12}):role\//.exec(input.RoleArn)![1];
      this.assumedRoles.push(input.RoleArn);
      const mode = this.failures.assumeRole?.(account) ?? 'ok';
      if (mode === 'throw') throw new Error(`AccessDenied: not authorized to perform sts:AssumeRole on ${input.RoleArn}`);
      const sessionAccount = mode === 'wrong-account' ? CENTRAL : account;
      return {
        AssumedRoleUser: { Arn: `arn:aws:sts::${sessionAccount}:assumed-role/FleetRecoveryRole/${input.RoleSessionName}`, AssumedRoleId: 'AROA:x' },
        // The fake encodes the account in the key id, so the tenant services know whose credentials they got.
        Credentials: { AccessKeyId: `ASIA${sessionAccount}`, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(4102444800000) },
      };
    });
    this.eventBridge.on(PutEventsCommand).callsFake(async (input, getClient) => {
      const call = this.putCalls++;
      const { account, region } = await this.caller(getClient());
      // IAM first, as AWS: the FleetRecoveryRole may put on its own account's default bus only
      // (events:PutEvents on arn:aws:events:*:<account>:event-bus/default); an entry naming
      // another account's bus by ARN is a cross-account put, and refused.
      const buses = input.Entries.map((entry: PutEventsRequestEntry) => resolveBus(entry.EventBusName, account, region));
      const refusal = buses.map((bus: string) => this.busRefusal(bus, account, region)).find((r: string | undefined) => r !== undefined);
      for (const bus of buses) this.putAttempts.push({ callerAccount: account, callerRegion: region, busArn: bus, refused: refusal });
      if (refusal) throw Object.assign(new Error(`AccessDeniedException: ${refusal}`), { name: 'AccessDeniedException' });
      const mode = this.failures.putEvents?.(call) ?? 'ok';
      if (mode === 'throw') throw new Error('ThrottlingException: simulated PutEvents failure');
      if (mode === 'failed-entry') return { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalException', ErrorMessage: 'simulated' }] };
      input.Entries.forEach((entry: PutEventsRequestEntry, i: number) => {
        const [, , , busRegion, busAccount] = buses[i].split(':');
        this.deliveries.push({ kind: 'put-event', account: busAccount, region: busRegion, busArn: buses[i], entry });
      });
      return { FailedEntryCount: 0, Entries: input.Entries.map((_: unknown, i: number) => ({ EventId: `ev-${call}-${i}` })) };
    });
    this.lambda.on(InvokeCommand).callsFake(async (input, getClient) => {
      const call = this.invokeCalls++;
      const { account, region } = await this.caller(getClient());
      this.authorize(account, region, input.FunctionName, 'lambda:InvokeFunction');
      const mode = this.failures.invoke?.(call) ?? 'ok';
      if (mode === 'throw') throw new Error('TooManyRequestsException: simulated Invoke failure');
      if (mode === 'not-queued') return { StatusCode: 200, $metadata: { requestId: `req-${call}` } };
      this.deliveries.push({ kind: 'invoke', account, region, functionArn: input.FunctionName, payload: Buffer.from(input.Payload).toString('utf8') });
      return { StatusCode: 202, $metadata: { requestId: `req-${call}` } };
    });
    this.sfn.on(DescribeExecutionCommand).callsFake(async (input, getClient) => {
      const { account, region } = await this.caller(getClient());
      this.authorize(account, region, input.executionArn, 'states:DescribeExecution');
      const execution = this.executions.get(input.executionArn);
      if (!execution) throw new Error(`ExecutionDoesNotExist: ${input.executionArn}`);
      return { executionArn: input.executionArn, stateMachineArn: execution.stateMachineArn, input: execution.input, status: 'FAILED' };
    });
    this.sfn.on(StartExecutionCommand).callsFake(async (input, getClient) => {
      const call = this.startCalls++;
      const { account, region } = await this.caller(getClient());
      this.authorize(account, region, input.stateMachineArn, 'states:StartExecution');
      if ((this.failures.startExecution?.(call) ?? 'ok') === 'throw') throw new Error('ThrottlingException: simulated StartExecution failure');
      const executionArn = `${input.stateMachineArn.replace(':stateMachine:', ':execution:')}:${input.name}`;
      const existing = this.executions.get(executionArn);
      // Step Functions: the same name and input again returns the running execution; a closed
      // one, or another input, is ExecutionAlreadyExists.
      if (existing) {
        if (existing.closed || existing.input !== input.input) {
          const error = new Error(`Execution Already Exists: '${executionArn}'`);
          error.name = 'ExecutionAlreadyExists';
          throw error;
        }
        return { executionArn, startDate: new Date(0) };
      }
      this.executions.set(executionArn, { stateMachineArn: input.stateMachineArn, input: input.input });
      this.deliveries.push({ kind: 'start-execution', account, region, stateMachineArn: input.stateMachineArn, name: input.name, input: input.input });
      return { executionArn, startDate: new Date(0) };
    });
  }

  /** Why the tenant role may not put on `bus`, or undefined when it may. */
  private busRefusal(bus: string, account: string, region: string): string | undefined {
    const match = /^arn:aws[a-z-]*:events:([a-z0-9-]+):(\d{12}):event-bus\/(.+)$/.exec(bus);
    if (!match) return `${bus} is not an event bus ARN`;
    const [, busRegion, busAccount, name] = match;
    if (busAccount !== account) return `${account} is not authorized to perform events:PutEvents on ${bus} (a bus of another account)`;
    if (name !== 'default') return `${account} is not authorized to perform events:PutEvents on ${bus} (the recovery role may put on the default bus only)`;
    if (busRegion !== region) return `${bus} is not in the client's region ${region}`;
    return undefined;
  }

  /** Every execution started so far finishes. */
  public closeExecutions(): void {
    for (const execution of this.executions.values()) execution.closed = true;
  }

  /** A failed execution of `account`'s `scan-ingest` state machine, as `workflowFailedEvent(account, seq)` names it. */
  public addFailedExecution(account: string, seq: number, input: object = { seq }): void {
    const event = workflowFailedEvent(account, seq);
    this.executions.set(event.detail.executionId, { stateMachineArn: event.detail.stateMachineId, input: JSON.stringify(input), closed: true });
  }

  private async caller(client: { config: any }): Promise<{ account: string; region: string }> {
    const credentials = await (client.config.credentials as () => Promise<{ accessKeyId: string }>)();
    return { account: credentials.accessKeyId.slice(4), region: await client.config.region() };
  }

  /** What IAM does for the FleetRecoveryRole: its session acts on its own account's resources, in any region it is called in. */
  private authorize(account: string, region: string, arn: string, action: string): void {
    const [, , , arnRegion, arnAccount] = arn.split(':');
    if (arnAccount !== account || arnRegion !== region) {
      throw new Error(`AccessDeniedException: ${account} is not authorized to perform ${action} on ${arn}`);
    }
  }

  public add(id: string, body: unknown, attributes: Record<string, string> = {}, url: string = DLQ_URL): void {
    this.sqsModel.add(url, id, typeof body === 'string' ? body : JSON.stringify(body), attributes);
  }

  /** The messages of a queue, by id. */
  public queue(url: string): Map<string, StoredMessage> {
    return this.sqsModel.queue(url).messages;
  }

  /** True when the message is visible to the next reader (released, or never received). */
  public isVisible(url: string, id: string): boolean {
    return this.queue(url).get(id)!.visibleAt <= this.clock.now();
  }

  /** Message ids in a queue, sorted. */
  public ids(url: string): string[] {
    return [...this.queue(url).keys()].sort();
  }

  public restore(): void {
    this.sqs.restore();
    this.sts.restore();
    this.eventBridge.restore();
    this.lambda.restore();
    this.sfn.restore();
  }
}

export function lambdaFailureEvent(opts: { account: string; functionAccount?: string; eventAccount?: string; region?: string; seq?: number; detail?: object; directPayload?: boolean }): any {
  const region = opts.region ?? REGION;
  const functionAccount = opts.functionAccount ?? opts.account;
  const requestPayload = opts.directPayload
    // Invoked asynchronously by code, not by an EventBridge rule: the payload is not an event.
    ? { seq: opts.seq ?? 1, barcode: '4006381333931', ...(opts.eventAccount ? { account: opts.eventAccount } : {}), ...(opts.detail ?? {}) }
    : {
      'version': '0',
      'id': `orig-${opts.seq ?? 1}`,
      'detail-type': 'Scan Uploaded',
      'source': 'scanner.device',
      'account': opts.eventAccount ?? opts.account,
      'time': '2026-03-01T09:59:58Z',
      region,
      'resources': [],
      'detail': { seq: opts.seq ?? 1, barcode: '4006381333931', ...(opts.detail ?? {}) },
    };
  return {
    'version': '0',
    'id': `e-${opts.seq ?? 1}`,
    'detail-type': 'Lambda Function Invocation Result - Failure',
    'source': 'lambda',
    'account': opts.account,
    'time': '2026-03-01T10:00:00Z',
    region,
    'resources': [`arn:aws:lambda:${region}:${functionAccount}:function:scan-ingest-store-scan:$LATEST`],
    'detail': {
      version: '1.0',
      timestamp: '2026-03-01T10:00:00.000Z',
      requestContext: {
        requestId: 'c2a6f2ae-7dbb-4d22-8782-d0485c9877e2',
        functionArn: `arn:aws:lambda:${region}:${functionAccount}:function:scan-ingest-store-scan:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'table throttled' },
    },
  };
}

/** The body the central rule writes: the envelope's account and region on top, the event beside. */
export function centralBody(event: any, overrides: { tenant?: unknown; region?: unknown } = {}): any {
  return {
    fleetFailureMessage: 1,
    tenant: 'tenant' in overrides ? overrides.tenant : event.account,
    region: 'region' in overrides ? overrides.region : event.region,
    eventId: event.id,
    ruleArn: `arn:aws:events:${REGION}:${CENTRAL}:rule/fleet-failures/TenantFailures`,
    ingestedAt: '2026-03-01T10:00:01Z',
    event,
  };
}

export function workflowFailedEvent(account: string, seq = 1): any {
  return {
    'version': '0',
    'id': `wf-${seq}`,
    'detail-type': 'Workflow Failed',
    'source': 'fleet.scan-ingest',
    account,
    'time': '2026-03-01T10:00:00Z',
    'region': REGION,
    'resources': [],
    'detail': {
      executionId: `arn:aws:states:${REGION}:${account}:execution:scan-ingest:run-${seq}`,
      stateMachineId: `arn:aws:states:${REGION}:${account}:stateMachine:scan-ingest`,
      error: { Error: 'States.TaskFailed', Cause: 'boom' },
    },
  };
}
