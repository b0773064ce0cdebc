/**
 * `sendEvent(stacks, event)`: a tenant account on the laptop. The event is put on the account's
 * default bus; every rule of the given service stacks whose pattern matches delivers it to its
 * targets as AWS would:
 * - a state machine: an execution, started with the target's input (the local runtime, real
 *   handlers, virtual time);
 * - a function: an asynchronous invocation with the function's EventInvokeConfig (retries one and
 *   three minutes later, maximum event age) and, when it does not succeed, the invocation record
 *   sent to its on-failure destination.
 * The services share one embedded DynamoDB, one virtual clock and one bus: events their handlers
 * (AWS SDK PutEvents) or workflows (`events:putEvents`) put on the default bus are routed again,
 * up to `maxDepth` events deep. Events put on the central failure bus are shown as the message the
 * central failure rule writes into the central DLQ (`control-plane/failure-message.ts`).
 */
import { FAILURE_MESSAGE_INPUT_PATHS, FAILURE_MESSAGE_TEMPLATE } from '@fleet/contracts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { compileEventPattern, EventEnvelope, EventEnvelopeError, targetInput, TargetInputError, toEventEnvelope } from '../../event-patterns';
import { ExecutionResult, Integration, LocalRuntimeConfigError, TaskHandler } from '../../local';
import { SeededRandom } from '../../local/random';
import { ServiceStack } from '../../service-stack';
import type { SynthesizedService } from '../synthesized-service';
import { dynamoDbIntegrations } from '../aws-integrations';
import { clientFor, closeEmbeddedDynamoDb, createTables, DynamoDbEndpoint, embeddedDynamoDb, LOCAL_CREDENTIALS, putItems, scanTable } from '../embedded-dynamodb';
import { exclusive } from '../exclusive';
import { EnvironmentScope, invokeHandler, LocalFunction } from '../lambda-host';
import { seedByTable, TableItem, TableSeed } from '../service-resources';
import { AsyncOutcome, failureRecord, invokeAsynchronously, LambdaAttempt, lambdaError } from './async-invocation';
import { attachBus, localBusEndpoint } from './local-bus-endpoint';
import { AsyncInvokeConfig, LocalRule, LocalRuleTarget, LocalService } from './local-service';

/** Options of `sendEvent`. */
export interface SendEventOptions {
  /**
   * The tenant: the account of the local bus, of every stand-in ARN and of the events the
   * services put.
   *
   * @default - the event's `account`, else '123456789012'
   */
  readonly accountId?: string;

  /** @default - the event's `region`, else 'us-east-1' */
  readonly region?: string;

  /**
   * The central account (control plane) owning the failure bus. The stacks get
   * `FailureBusArn` = `arn:aws:events:<region>:<centralAccountId>:event-bus/<failureBusName>`,
   * as the StackSets deploy them.
   *
   * @default '999999999999'
   */
  readonly centralAccountId?: string;

  /** @default 'fleet-failures' (CentralFailurePath's default) */
  readonly failureBusName?: string;

  /** Values of template parameters (over the failure bus above and each parameter's Default). */
  readonly parameters?: Record<string, string>;

  /** Items written before delivery, by service name: `{ 'shift-reports': { Table: [...] } }`. */
  readonly seed?: Record<string, TableSeed>;

  /**
   * How many events deep a chain of events put by targets is routed (the event sent is depth 0).
   * A deeper event is not delivered and is listed in `unrouted`, with the reason.
   *
   * @default 8
   */
  readonly maxDepth?: number;

  /** POWERTOOLS_LOG_LEVEL of the handlers. @default - as runWorkflow */
  readonly logLevel?: string;

  /** Seed of the runtime's random source (event ids, jitter). @default - random */
  readonly randomSeed?: number;

  /** Record each state's input and output in the traces. @default true */
  readonly traceData?: boolean;

  /** Where DynamoDB calls go. @default 'embedded' */
  readonly dynamodb?: 'embedded' | { readonly endpoint: string };
}

/** Who put an event on a bus. */
export type EventOrigin = { readonly kind: 'sent' } | { readonly kind: 'target'; readonly service: string; readonly target: string; readonly via: 'PutEvents' | 'on-failure destination' };

/** An event on the tenant's default bus and the rules it matched. */
export interface RoutedEvent {
  readonly event: EventEnvelope;
  readonly depth: number;
  readonly from: EventOrigin;
  /** `<service>/<rule path>` of every matching rule. */
  readonly rules: string[];
}

/** What both kinds of delivery have. */
interface DeliveryBase {
  readonly service: string;
  readonly rule: { readonly logicalId: string; readonly path: string; readonly arn: string };
  readonly target: { readonly id: string; readonly arn: string; readonly logicalId: string; readonly path: string };
  /** The event that matched, and how deep in the chain it is. */
  readonly event: EventEnvelope;
  readonly depth: number;
  /** What the target received (after Input, InputPath or InputTransformer). */
  readonly input: unknown;
  /** Events the target put (on any bus), in order. */
  readonly eventsPut: EventEnvelope[];
  readonly status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
}

/** A state machine execution started by a rule. */
export interface StateMachineDelivery extends DeliveryBase {
  readonly kind: 'state-machine';
  readonly execution: ExecutionResult & { readonly path: string[] };
}

/** An asynchronous Lambda invocation made by a rule. */
export interface LambdaDelivery extends DeliveryBase {
  readonly kind: 'lambda';
  readonly handlerName: string;
  readonly asyncConfig: AsyncInvokeConfig;
  readonly attempts: LambdaAttempt[];
  readonly outcome: AsyncOutcome;
  /** The result of the successful attempt. */
  readonly result?: unknown;
}

/** One delivery of an event to one rule target. */
export type TargetDelivery = StateMachineDelivery | LambdaDelivery;

/** An event that reached the central failure bus, and the central DLQ message it becomes. */
export interface CentralFailure {
  readonly event: EventEnvelope;
  readonly from: EventOrigin;
  /** The body the central failure rule writes into the central DLQ (its input transformer applied). */
  readonly message: Record<string, unknown>;
}

/** An event or record sent somewhere this harness does not deliver (another bus, an SQS destination...). */
export interface OtherDestination {
  readonly destination: string;
  readonly event: EventEnvelope | Record<string, unknown>;
  readonly from: EventOrigin;
}

/** An event that was not routed, and why. */
export interface UnroutedEvent {
  readonly event: EventEnvelope;
  readonly depth: number;
  readonly from: EventOrigin;
  readonly reason: string;
}

/** A table after the deliveries. */
export interface ServiceTableSnapshot {
  readonly service: string;
  /** Logical id in the service's template. */
  readonly logicalId: string;
  /** Construct path in the stack. */
  readonly path: string;
  /** Name in the local account (`<stack name>-<logical id>`). */
  readonly tableName: string;
  readonly items: TableItem[];
}

/** What `sendEvent` (and `fleet send`) returns. */
export interface SendEventResult {
  readonly account: string;
  readonly region: string;
  /** The event sent, as put on the bus. */
  readonly event: EventEnvelope;
  /** Every event on the tenant's default bus, in the order routed. */
  readonly routed: RoutedEvent[];
  /** Every delivery to a rule target, in order. */
  readonly deliveries: TargetDelivery[];
  /** Items of every table after the deliveries: service -> table logical id -> items. */
  readonly tables: Record<string, Record<string, TableItem[]>>;
  readonly tableSnapshots: ServiceTableSnapshot[];
  /** Events that reached the central failure bus. */
  readonly centralFailures: CentralFailure[];
  readonly otherDestinations: OtherDestination[];
  readonly unrouted: UnroutedEvent[];
  /** Stops the embedded DynamoDB (optional: it never keeps the process alive). */
  close(): Promise<void>;
}

interface QueuedEvent {
  readonly event: EventEnvelope;
  readonly depth: number;
  readonly from: EventOrigin;
}

const services = new WeakMap<ServiceStack | SynthesizedService, Map<string, LocalService>>();

/**
 * Puts `event` on a local tenant account's default bus holding `stacks`, and delivers it (and
 * every event put in consequence) to the targets of the matching rules.
 *
 * @param event an EventBridge event (as in `events/*.json`; missing envelope fields are filled
 *   in) or a PutEvents entry (`Source`, `DetailType`, `Detail`)
 * @throws LocalRuntimeConfigError for setup mistakes (an invalid event or pattern, a bad seed, an
 *   input template that gives no JSON)
 */
export function sendEvent(stacks: ServiceStack | SynthesizedService | readonly (ServiceStack | SynthesizedService)[], event: unknown, options: SendEventOptions = {}): Promise<SendEventResult> {
  return exclusive(() => new LocalTenant(Array.isArray(stacks) ? stacks : [stacks as ServiceStack | SynthesizedService], options).send(event));
}

class LocalTenant {
  private region: string;
  private account: string;
  private centralBusArn = '';
  private readonly central: string;
  private readonly maxDepth: number;
  private readonly source: SeededRandom;
  private readonly routed: RoutedEvent[] = [];
  private readonly deliveries: TargetDelivery[] = [];
  private readonly centralFailures: CentralFailure[] = [];
  private readonly otherDestinations: OtherDestination[] = [];
  private readonly unrouted: UnroutedEvent[] = [];
  private readonly queue: QueuedEvent[] = [];
  private loaded: LocalService[] = [];

  constructor(private readonly stacks: readonly (ServiceStack | SynthesizedService)[], private readonly options: SendEventOptions) {
    if (stacks.length === 0) throw new LocalRuntimeConfigError('sendEvent: no service stack given. Fix: pass the stack (or the stacks of the fleet\'s tenant services) to deliver to.');
    this.region = options.region ?? 'us-east-1';
    this.account = options.accountId ?? '123456789012';
    this.central = options.centralAccountId ?? '999999999999';
    this.maxDepth = options.maxDepth ?? 8;
    this.source = new SeededRandom(options.randomSeed ?? Math.floor(Math.random() * 2 ** 31));
  }

  async send(input: unknown): Promise<SendEventResult> {
    const raw = (input ?? {}) as Record<string, unknown>;
    // The tenant is the account and region of the event sent, unless told otherwise.
    const region = this.options.region ?? (typeof raw.region === 'string' ? raw.region : undefined) ?? this.region;
    this.region = region;
    this.account = this.options.accountId ?? (typeof raw.account === 'string' ? raw.account : undefined) ?? this.account;
    this.centralBusArn = `arn:aws:events:${region}:${this.central}:event-bus/${this.options.failureBusName ?? 'fleet-failures'}`;
    let event: EventEnvelope;
    try {
      event = toEventEnvelope(input, this.envelopeDefaults(new Date()), 'sendEvent: event');
    } catch (error) {
      if (error instanceof EventEnvelopeError) throw new LocalRuntimeConfigError(error.message);
      throw error;
    }

    this.loaded = this.stacks.map((stack) => this.service(stack));
    const names = this.loaded.map((s) => s.name);
    const duplicate = names.find((n, i) => names.indexOf(n) !== i);
    if (duplicate) throw new LocalRuntimeConfigError(`sendEvent: two stacks of service ${JSON.stringify(duplicate)}. Fix: pass each service's stack once (a tenant account holds one stack per service).`);
    for (const key of Object.keys(this.options.seed ?? {})) {
      if (!names.includes(key)) throw new LocalRuntimeConfigError(`sendEvent: seed names service ${JSON.stringify(key)}, which is not among the stacks. Fix: key the seed by one of ${names.map((n) => JSON.stringify(n)).join(', ')}.`);
    }

    const dynamo: DynamoDbEndpoint = this.options.dynamodb === undefined || this.options.dynamodb === 'embedded'
      ? await embeddedDynamoDb()
      : { endpoint: this.options.dynamodb.endpoint, embedded: false };
    const client = clientFor(dynamo.endpoint, region);
    const base = new EnvironmentScope();
    const detach = attachBus((entries) => this.putFromSdk(entries));
    try {
      const tables = this.loaded.flatMap((s) => s.tables);
      await createTables(client, tables.map((t) => t.spec), dynamo.embedded);
      for (const service of this.loaded) {
        for (const [table, items] of seedByTable(this.options.seed?.[service.name], service.tables, `sendEvent: seed[${JSON.stringify(service.name)}]`)) {
          await putItems(client, table, items);
        }
      }
      base.set({
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: LOCAL_CREDENTIALS.sessionToken,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_EVENTBRIDGE: await localBusEndpoint(),
      });
      const integrations = { ...dynamoDbIntegrations(async () => client as DynamoDBClient) };

      this.queue.push({ event, depth: 0, from: { kind: 'sent' } });
      while (this.queue.length > 0) await this.route(this.queue.shift()!, integrations);

      const tableSnapshots: ServiceTableSnapshot[] = [];
      for (const service of this.loaded) {
        for (const t of service.tables) {
          tableSnapshots.push({
            service: service.name,
            logicalId: t.logicalId,
            path: t.path.replace(/\/Resource$/, ''),
            tableName: t.spec.name,
            items: await scanTable(client, t.spec.name, t.spec.keySchema.map((k) => k.AttributeName)),
          });
        }
      }
      const byService: Record<string, Record<string, TableItem[]>> = {};
      for (const t of tableSnapshots) (byService[t.service] ??= {})[t.logicalId] = t.items;
      return {
        account: this.account,
        region,
        event,
        routed: this.routed,
        deliveries: this.deliveries,
        tables: byService,
        tableSnapshots,
        centralFailures: this.centralFailures,
        otherDestinations: this.otherDestinations,
        unrouted: this.unrouted,
        close: () => (dynamo.embedded ? closeEmbeddedDynamoDb() : Promise.resolve()),
      };
    } finally {
      detach();
      base.restore();
      client.destroy();
    }
  }

  private service(stack: ServiceStack | SynthesizedService): LocalService {
    const parameters = { FailureBusArn: this.centralBusArn, ...this.options.parameters };
    const options = { region: this.region, accountId: this.account, parameters, logLevel: this.options.logLevel };
    const key = JSON.stringify(options);
    let byOptions = services.get(stack);
    if (!byOptions) services.set(stack, (byOptions = new Map()));
    let service = byOptions.get(key);
    if (!service) byOptions.set(key, (service = LocalService.load(stack, options)));
    return service;
  }

  private async route(item: QueuedEvent, integrations: Record<string, Integration>): Promise<void> {
    const matches: { service: LocalService; rule: LocalRule }[] = [];
    for (const service of this.loaded) {
      for (const rule of service.rules) if (rule.pattern.matches(item.event)) matches.push({ service, rule });
    }
    if (matches.length > 0 && item.depth > this.maxDepth) {
      this.unrouted.push({
        ...item,
        reason: `event ${JSON.stringify(item.event['detail-type'])} from ${item.event.source}, put by ${describe(item.from)}, is ${item.depth} events deep in the chain started by the event sent, past the bound of ${this.maxDepth}; `
          + `it matches ${matches.map((m) => `${m.service.name}/${m.rule.path}`).join(', ')}. A target that puts events its own rules match loops forever in AWS (billed per event). Fix: narrow the rule's pattern so it excludes what its target puts, or raise maxDepth (fleet send --max-depth) if the chain is meant to be this long.`,
      });
      return;
    }
    this.routed.push({ ...item, rules: matches.map((m) => `${m.service.name}/${m.rule.path}`) });
    for (const { service, rule } of matches) {
      for (const target of rule.targets) await this.deliver(service, rule, target, item, integrations);
    }
  }

  private async deliver(service: LocalService, rule: LocalRule, target: LocalRuleTarget, item: QueuedEvent, integrations: Record<string, Integration>): Promise<void> {
    const subject = `Rule ${rule.path} of ${service.name}, target ${target.id}`;
    if (target.kind === 'other' || target.logicalId === undefined) {
      this.otherDestinations.push({ destination: target.arn, event: item.event, from: item.from });
      return;
    }
    const ingested = new Date(item.event.time);
    const at = Number.isNaN(ingested.getTime()) ? new Date() : ingested;
    let input: unknown;
    try {
      input = targetInput(item.event as unknown as Record<string, unknown>, target.input, {
        ruleArn: rule.arn,
        ruleName: rule.name,
        ingestionTime: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      }, subject);
    } catch (error) {
      if (error instanceof TargetInputError) throw new LocalRuntimeConfigError(error.message);
      throw error;
    }
    const base = {
      service: service.name,
      rule: { logicalId: rule.logicalId, path: rule.path, arn: rule.arn },
      event: item.event,
      depth: item.depth,
      input,
    };
    const pathOf = (id: string) => service.pathOf(id);

    if (target.kind === 'state-machine') {
      const eventsPut: EventEnvelope[] = [];
      const origin: EventOrigin = { kind: 'target', service: service.name, target: pathOf(target.logicalId), via: 'PutEvents' };
      const machine = service.machine(target.logicalId);
      const result = await machine.run(input, {
        taskHandlers: this.taskHandlers(service),
        integrations: {
          ...integrations,
          'arn:aws:states:::events:putEvents': (request) => {
            const entries = ((request.parameters as { Entries?: Record<string, unknown>[] } | undefined)?.Entries) ?? [];
            return { Entries: this.put(entries, origin, item.depth + 1, request.context.now(), eventsPut), FailedEntryCount: 0 };
          },
        },
        stateMachineName: target.logicalId,
        executionName: `${item.event.id}`.slice(0, 80),
        region: this.region,
        accountId: this.account,
        startTime: at,
        seed: Math.floor(this.source.next() * 2 ** 31),
        traceData: this.options.traceData,
      });
      this.deliveries.push({
        ...base,
        kind: 'state-machine',
        target: { id: target.id, arn: target.arn, logicalId: target.logicalId, path: origin.target },
        execution: { ...result, path: result.trace.filter((e) => e.scope === '').map((e) => e.stateName) },
        eventsPut,
        status: result.status,
      });
      return;
    }

    const fn = service.fn(target.logicalId);
    const path = pathOf(target.logicalId);
    if (!fn) {
      throw new LocalRuntimeConfigError(`${subject}: function ${target.logicalId} is not a TenantFunction, so its handler source is unknown. Fix: build the function with TenantFunction.`);
    }
    const config = service.asyncConfig(target.logicalId);
    const eventsPut: EventEnvelope[] = [];
    const origin: EventOrigin = { kind: 'target', service: service.name, target: path, via: 'PutEvents' };
    const { attempts, outcome } = await invokeAsynchronously(config, at, async (time, n) => {
      const requestId = this.source.uuid();
      this.sdkContext = { origin, depth: item.depth + 1, time, eventsPut };
      try {
        const result = await this.invoke(fn, input, requestId);
        return { attempt: n + 1, time: time.toISOString(), requestId, status: 'SUCCEEDED', result };
      } catch (error) {
        return { attempt: n + 1, time: time.toISOString(), requestId, status: 'FAILED', error: lambdaError(error) };
      } finally {
        this.sdkContext = undefined;
      }
    });
    const delivery: LambdaDelivery = {
      ...base,
      kind: 'lambda',
      target: { id: target.id, arn: target.arn, logicalId: target.logicalId, path },
      handlerName: fn.handlerName,
      asyncConfig: config,
      attempts,
      outcome,
      result: outcome === 'Success' ? attempts[attempts.length - 1].result : undefined,
      eventsPut,
      status: outcome === 'Success' ? 'SUCCEEDED' : 'FAILED',
    };
    this.deliveries.push(delivery);
    if (outcome !== 'Success' && config.onFailure) {
      const last = attempts[attempts.length - 1];
      const time = last ? new Date(last.time) : at;
      const record = failureRecord(fn.arn, input, attempts, outcome, time);
      const destinationOrigin: EventOrigin = { ...origin, via: 'on-failure destination' };
      if (/^arn:aws[a-z-]*:events:/.test(config.onFailure)) {
        this.putEnvelope({
          'version': '0',
          'id': this.source.uuid(),
          'detail-type': 'Lambda Function Invocation Result - Failure',
          'source': 'lambda',
          'account': this.account,
          'time': iso(time),
          'region': this.region,
          'resources': [`${fn.arn}:$LATEST`],
          'detail': record,
        }, config.onFailure, destinationOrigin, item.depth + 1, eventsPut);
      } else {
        this.otherDestinations.push({ destination: config.onFailure, event: record, from: destinationOrigin });
      }
    }
  }

  private sdkContext: { origin: EventOrigin; depth: number; time: Date; eventsPut: EventEnvelope[] } | undefined;

  /** PutEvents from a handler's AWS SDK client (the local EventBridge endpoint). */
  private putFromSdk(entries: Record<string, unknown>[]): { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] {
    const context = this.sdkContext;
    if (!context) {
      return entries.map(() => ({ ErrorCode: 'InternalException', ErrorMessage: 'PutEvents outside a function invocation of this tenant' }));
    }
    return this.put(entries, context.origin, context.depth, context.time, context.eventsPut);
  }

  /** Puts PutEvents entries, each on its bus; returns PutEvents' result entries. */
  private put(entries: Record<string, unknown>[], from: EventOrigin, depth: number, time: Date, eventsPut: EventEnvelope[]): { EventId?: string; ErrorCode?: string; ErrorMessage?: string }[] {
    return entries.map((entry) => {
      const { EventBusName, ...rest } = entry;
      let envelope: EventEnvelope;
      try {
        envelope = toEventEnvelope(rest, this.envelopeDefaults(time), `PutEvents entry of ${describe(from)}`);
      } catch (error) {
        if (error instanceof EventEnvelopeError) return { ErrorCode: 'MalformedDetail', ErrorMessage: error.message };
        throw error;
      }
      this.putEnvelope(envelope, typeof EventBusName === 'string' ? EventBusName : 'default', from, depth, eventsPut);
      return { EventId: envelope.id };
    });
  }

  private putEnvelope(event: EventEnvelope, bus: string, from: EventOrigin, depth: number, eventsPut: EventEnvelope[]): void {
    eventsPut.push(event);
    const defaultBusArn = `arn:aws:events:${this.region}:${this.account}:event-bus/default`;
    if (bus === 'default' || bus === defaultBusArn) {
      this.queue.push({ event, depth, from });
    } else if (bus === this.centralBusArn) {
      this.centralFailures.push({ event, from, message: this.centralMessage(event) });
    } else {
      this.otherDestinations.push({ destination: bus, event, from });
    }
  }

  /**
   * What the control plane's central failure rule writes for `event`: it matches every event of
   * another account than the central one and transforms it with FAILURE_MESSAGE_TEMPLATE.
   */
  private centralMessage(event: EventEnvelope): Record<string, unknown> {
    const central = this.central;
    const busName = this.centralBusArn.split('event-bus/')[1];
    if (!compileEventPattern({ account: [{ 'anything-but': central }] }).matches(event)) return {};
    return targetInput(event as unknown as Record<string, unknown>, {
      InputTransformer: { InputPathsMap: { ...FAILURE_MESSAGE_INPUT_PATHS }, InputTemplate: FAILURE_MESSAGE_TEMPLATE },
    }, {
      ruleArn: `arn:aws:events:${this.region}:${central}:rule/${busName}/CentralFailureRule`,
      ruleName: 'CentralFailureRule',
      ingestionTime: event.time,
    }, 'central failure rule') as Record<string, unknown>;
  }

  private taskHandlers(service: LocalService): Record<string, TaskHandler> {
    const handlers: Record<string, TaskHandler> = {};
    for (const fn of service.functions) handlers[fn.logicalId] = (payload) => this.invoke(fn, payload);
    for (const [id, resource] of Object.entries(service.template.Resources ?? {})) {
      if (resource.Type === 'AWS::Lambda::Function' && !(id in handlers)) {
        handlers[id] = () => {
          throw new LocalRuntimeConfigError(`Lambda function ${id} of ${service.name} is not a TenantFunction, so its handler source is unknown. Fix: build it with TenantFunction.`);
        };
      }
    }
    return handlers;
  }

  /** Runs a handler with its own environment, put back afterwards (functions of several services share the process). */
  private async invoke(fn: LocalFunction, payload: unknown, requestId?: string): Promise<unknown> {
    const scope = new EnvironmentScope();
    try {
      return await invokeHandler(fn, payload, scope, requestId);
    } finally {
      scope.restore();
    }
  }

  private envelopeDefaults(time: Date) {
    return { account: this.account, region: this.region, time: iso(time), id: () => this.source.uuid() };
  }
}

function describe(from: EventOrigin): string {
  return from.kind === 'sent' ? 'the sender' : `${from.service} ${from.target} (${from.via})`;
}

function iso(time: Date): string {
  return time.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

