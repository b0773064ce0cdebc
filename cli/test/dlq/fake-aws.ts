/**
 * In-memory SQS queues, STS, EventBridge, Lambda and Step Functions behind aws-sdk-client-mock,
 * with failures that tests switch on, and a journal of every call that changed something. The
 * real services cannot run here; this fake keeps the properties the recovery tool relies on: a
 * received message is hidden until released or deleted, a delete needs the receipt handle,
 * every tenant call acts in the account of the client's credentials and is refused (as IAM
 * would refuse the FleetRecoveryRole) on a resource of another account, and StartExecution
 * with a name already used and the same input returns the existing execution.
 */
import { EventBridgeClient, PutEventsCommand, PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';

export const CENTRAL = '999988887777';
export const REGION = 'eu-west-1';
export const DLQ_URL = `https://sqs.${REGION}.amazonaws.com/${CENTRAL}/fleet-failures`;
export const QUARANTINE_URL = `https://sqs.${REGION}.amazonaws.com/${CENTRAL}/fleet-quarantine`;
export const TENANT_DLQ_URL = `https://sqs.${REGION}.amazonaws.com/${CENTRAL}/fleet-failures-tenant-dead-letters`;

export interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  receipt?: string;
}

/** Decides, per call, whether a fake AWS call fails. Default: never. */
export interface FailurePlan {
  assumeRole?(tenant: string): 'ok' | 'throw' | 'wrong-account';
  putEvents?(call: number): 'ok' | 'throw' | 'failed-entry';
  invoke?(call: number): 'ok' | 'throw' | 'not-queued';
  startExecution?(call: number): 'ok' | 'throw';
  deleteMessage?(call: number): boolean;
  sendMessage?(call: number): boolean;
}

/** One accepted redelivery, made with the credentials of `account`. */
export type Delivery =
  | { readonly kind: 'put-event'; readonly account: string; readonly region: string; readonly entry: PutEventsRequestEntry }
  | { readonly kind: 'invoke'; readonly account: string; readonly region: string; readonly functionArn: string; readonly payload: string }
  | { readonly kind: 'start-execution'; readonly account: string; readonly region: string; readonly stateMachineArn: string; readonly name: string; readonly input: string };

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

export class FakeAws {
  public readonly queues = new Map<string, Map<string, StoredMessage>>();
  public readonly deliveries: Delivery[] = [];
  /** Every successful delete, in order: [queue url, message id]. */
  public readonly deletes: Array<[string, string]> = [];
  /** Every successful send: [queue url, body]. */
  public readonly sends: Array<[string, string, Record<string, string>]> = [];
  public readonly assumedRoles: string[] = [];
  public failures: FailurePlan = {};
  private receiptSeq = 0;
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

  constructor() {
    this.queues.set(DLQ_URL, new Map());
    this.queues.set(QUARANTINE_URL, new Map());
    this.queues.set(TENANT_DLQ_URL, new Map());
    this.sqs.on(ReceiveMessageCommand).callsFake((input) => {
      const queue = this.queue(input.QueueUrl);
      const visible = [...queue.values()].filter((m) => m.receipt === undefined).slice(0, input.MaxNumberOfMessages ?? 1);
      for (const m of visible) m.receipt = `rh-${++this.receiptSeq}`;
      return {
        Messages: visible.map((m) => ({
          MessageId: m.id,
          ReceiptHandle: m.receipt,
          Body: m.body,
          Attributes: { SentTimestamp: '1700000000000', ApproximateReceiveCount: '1' },
          MessageAttributes: Object.fromEntries(Object.entries(m.attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
        })),
      };
    });
    this.sqs.on(DeleteMessageCommand).callsFake((input) => {
      const call = this.deleteCalls++;
      if (this.failures.deleteMessage && !this.failures.deleteMessage(call)) throw new Error('InternalError: simulated DeleteMessage failure');
      const queue = this.queue(input.QueueUrl);
      const message = [...queue.values()].find((m) => m.receipt !== undefined && m.receipt === input.ReceiptHandle);
      if (!message) throw new Error(`ReceiptHandleIsInvalid: ${input.ReceiptHandle}`);
      queue.delete(message.id);
      this.deletes.push([input.QueueUrl, message.id]);
      return {};
    });
    this.sqs.on(SendMessageCommand).callsFake((input) => {
      const call = this.sendCalls++;
      if (this.failures.sendMessage && !this.failures.sendMessage(call)) throw new Error('InternalError: simulated SendMessage failure');
      const attributes = Object.fromEntries(Object.entries(input.MessageAttributes ?? {}).map(([k, v]: [string, any]) => [k, v.StringValue]));
      const id = `q-${this.sendCalls}`;
      this.queue(input.QueueUrl).set(id, { id, body: input.MessageBody, attributes });
      this.sends.push([input.QueueUrl, input.MessageBody, attributes]);
      return { MessageId: id };
    });
    this.sqs.on(ChangeMessageVisibilityBatchCommand).callsFake((input) => {
      const queue = this.queue(input.QueueUrl);
      for (const entry of input.Entries) {
        const message = [...queue.values()].find((m) => m.receipt === entry.ReceiptHandle);
        if (message && entry.VisibilityTimeout === 0) message.receipt = undefined;
      }
      return { Successful: input.Entries.map((e: any) => ({ Id: e.Id })), Failed: [] };
    });
    this.sts.on(AssumeRoleCommand).callsFake((input) => {
      const account = /^arn:aws:iam::(\d{12}):role\//.exec(input.RoleArn)![1];
      this.assumedRoles.push(input.RoleArn);
      const mode = this.failures.assumeRole?.(account) ?? 'ok';
      if (mode === 'throw') throw new Error(`AccessDenied: not authorized to perform sts:AssumeRole on ${input.RoleArn}`);
      const sessionAccount = mode === 'wrong-account' ? CENTRAL : account;
      return {
        AssumedRoleUser: { Arn: `arn:aws:sts::${sessionAccount}:assumed-role/FleetRecoveryRole/${input.RoleSessionName}`, AssumedRoleId: 'AROA:x' },
        // The fake encodes the account in the key id, so PutEvents knows whose credentials it got.
        Credentials: { AccessKeyId: `ASIA${sessionAccount}`, SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date(4102444800000) },
      };
    });
    this.eventBridge.on(PutEventsCommand).callsFake(async (input, getClient) => {
      const call = this.putCalls++;
      const client = getClient();
      const credentials = await (client.config.credentials as () => Promise<{ accessKeyId: string }>)();
      const region = await client.config.region();
      const mode = this.failures.putEvents?.(call) ?? 'ok';
      if (mode === 'throw') throw new Error('ThrottlingException: simulated PutEvents failure');
      if (mode === 'failed-entry') return { FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalException', ErrorMessage: 'simulated' }] };
      for (const entry of input.Entries) this.deliveries.push({ kind: 'put-event', account: credentials.accessKeyId.slice(4), region, entry });
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
    this.queue(url).set(id, { id, body: typeof body === 'string' ? body : JSON.stringify(body), attributes });
  }

  public queue(url: string): Map<string, StoredMessage> {
    const queue = this.queues.get(url);
    if (!queue) throw new Error(`AWS.SimpleQueueService.NonExistentQueue: ${url}`);
    return queue;
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

/** A Lambda on-failure destination record for `functionAccount`, wrapping an original event of `eventAccount`. */
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
