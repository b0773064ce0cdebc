/**
 * `runWorkflow(stack, input)`: executes a service's state machine locally, as synthesized, with
 * the real handler code in-process and an embedded DynamoDB. See ../local/README.md,
 * "Running a workflow locally".
 */
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ExecutionResult,
  Integration,
  LocalRuntimeConfigError,
  LocalStateMachine,
  MockConfig,
  RunExecutionOptions,
  RuntimeError,
  StatesError,
  TaskHandler,
} from '../local';
import type { ServiceStack } from '../service-stack';
import type { ServiceWorkflow } from '../service-workflow';
import { dynamoDbIntegrations, putEventsIntegration, RecordedEvent } from './aws-integrations';
import { CfnResolver, CfnTemplate } from './cfn-resolver';
import {
  clientFor,
  closeEmbeddedDynamoDb,
  createTables,
  DynamoDbEndpoint,
  embeddedDynamoDb,
  LOCAL_CREDENTIALS,
  putItems,
  scanTable,
} from './embedded-dynamodb';
import { exclusive } from './exclusive';
import { EnvironmentScope, invokeHandler, LocalFunction } from './lambda-host';
import {
  definitionOf,
  functionsFrom,
  LocalTable,
  seedByTable,
  stateMachineLogicalId,
  TableItem,
  TableSeed,
  tablesFrom,
} from './service-resources';
import { isSynthesizedService, SynthesizedService } from './synthesized-service';

export type { TableItem } from './service-resources';

/**
 * Replaces what a Task state does: a handler (for a Lambda task it receives the Payload, and its
 * return value is wrapped in the `lambda:invoke` envelope), a fixed result, or an error to throw.
 */
export type TaskOverride =
  | TaskHandler
  | { readonly return: unknown }
  | { readonly throw: { readonly error: string; readonly cause?: string } };

/** Options of `runWorkflow`. */
export interface RunWorkflowOptions {
  /**
   * Task overrides by state name, or by handler name (a `HandlerBundle` entry, e.g.
   * `'validate-scan'`: every state invoking that function). A key naming neither is an error.
   *
   * @default - every Lambda task runs its real handler
   */
  readonly overrides?: Record<string, TaskOverride>;

  /**
   * Step Functions Local mock configuration (`StateMachines.<name>.TestCases.<case>`); mocked
   * states do not run. Needs `testCase`.
   *
   * @default - no mocks
   */
  readonly mockConfig?: MockConfig | Record<string, unknown>;

  /** @default - none; required with `mockConfig` */
  readonly testCase?: string;

  /**
   * The machine's name in ARNs and in `mockConfig`.
   *
   * @default - the only machine of `mockConfig`, else the service name
   */
  readonly stateMachineName?: string;

  /**
   * Where DynamoDB calls go: `'embedded'` (dynalite, in memory; tables deleted and re-created
   * before each run) or `{ endpoint }` of a server you run (tables created when missing, kept).
   *
   * @default 'embedded'
   */
  readonly dynamodb?: 'embedded' | { readonly endpoint: string };

  /**
   * Items written before the run, by table: the key is the table's logical id or the path of
   * its construct in the stack (e.g. `'Table'` for a `ServiceTable` with id `Table`). An array
   * alone seeds the stack's only table.
   *
   * @default - empty tables
   */
  readonly seed?: TableSeed;

  /** @default 'us-east-1' */
  readonly region?: string;

  /** The tenant: FLEET_TENANT_ID and every stand-in ARN. @default '123456789012' */
  readonly accountId?: string;

  /** Values of template parameters. @default - each parameter's Default */
  readonly parameters?: Record<string, string>;

  /** Start of the virtual clock. @default - now */
  readonly startTime?: Date | string;

  /** Seed of the runtime's random source (jitter, UUIDs). @default - random */
  readonly randomSeed?: number;

  /**
   * POWERTOOLS_LOG_LEVEL of the handlers.
   *
   * @default - POWERTOOLS_LOG_LEVEL of this process when set (test setups keep handlers quiet),
   * else the function's value in the template
   */
  readonly logLevel?: string;

  /**
   * The workflow to run, when the stack has several.
   *
   * @default - the stack's only state machine
   */
  readonly workflow?: ServiceWorkflow | sfn.StateMachine;

  /** Record each state's input and output in the trace. @default true */
  readonly traceData?: boolean;
}

/** A table after the run. */
export interface TableSnapshot {
  /** Logical id, the stand-in table name. */
  readonly name: string;
  /** Construct path in the stack (e.g. `Table/Table`). */
  readonly path: string;
  /** Every item, sorted by key; string and number sets are `Set`s. */
  readonly items: TableItem[];
}

/** What `runWorkflow` returns: the interpreter's result plus what the run left behind. */
export interface WorkflowRun extends ExecutionResult {
  /** Names of the top-level states, in the order they were entered. */
  readonly path: string[];
  /** The PutEvents entries the workflow sent (recorded, never delivered). */
  readonly events: RecordedEvent[];
  /** Every item of every table after the run, by table logical id. */
  readonly tables: Record<string, TableItem[]>;
  /** The same, with each table's construct path. */
  readonly tableSnapshots: TableSnapshot[];
  /**
   * Stops the embedded DynamoDB. Optional: it never keeps the process alive, and the next run
   * starts it again on the same port.
   */
  close(): Promise<void>;
}

/**
 * Runs the stack's workflow locally: synthesizes the stack, resolves the definition's
 * CloudFormation intrinsics with stand-in values, runs each Lambda task's real handler
 * in-process (with the function's environment from the template), sends DynamoDB calls to an
 * embedded server holding the template's tables, and records PutEvents.
 *
 * Runs in one process are serialized: handlers read `process.env`, which is process-wide.
 *
 * @throws LocalRuntimeConfigError for setup mistakes (unresolvable intrinsic, unknown override,
 * bad seed, bad mock configuration); a failed execution resolves with `status: 'FAILED'`.
 */
export function runWorkflow(stack: ServiceStack | SynthesizedService, input: unknown = {}, options: RunWorkflowOptions = {}): Promise<WorkflowRun> {
  return exclusive(() => runExclusive(stack, input, options));
}

async function runExclusive(stack: ServiceStack | SynthesizedService, input: unknown, options: RunWorkflowOptions): Promise<WorkflowRun> {
  const { serviceName, region, accountId, resources, tables, machine, functions } = resolveWorkflow(stack, options);
  const taskHandlers = overridesToHandlers(options.overrides ?? {}, machine, functions);
  const env = new EnvironmentScope();
  for (const fn of functions) {
    taskHandlers[fn.logicalId] ??= (payload) => invokeHandler(fn, payload, env);
  }
  // Lambda functions that are not TenantFunctions have no known source: fail loudly if called.
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::Lambda::Function' && !(id in taskHandlers)) {
      taskHandlers[id] = () => {
        throw new RuntimeError(`Lambda function ${id} is not a TenantFunction, so its handler source is unknown. Fix: give the state an override in runWorkflow's overrides.`);
      };
    }
  }

  const dynamo: DynamoDbEndpoint = options.dynamodb === undefined || options.dynamodb === 'embedded'
    ? await embeddedDynamoDb()
    : { endpoint: options.dynamodb.endpoint, embedded: false };
  const client = clientFor(dynamo.endpoint, region);
  const events: RecordedEvent[] = [];
  const integrations: Record<string, Integration> = {
    ...dynamoDbIntegrations(async () => client as DynamoDBClient),
    ...putEventsIntegration(events),
  };

  try {
    await createTables(client, tables.map((t) => t.spec), dynamo.embedded);
    for (const [table, items] of seedByTable(options.seed, tables)) await putItems(client, table, items);

    env.set({
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: LOCAL_CREDENTIALS.sessionToken,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    });
    const mockMachines = Object.keys(((options.mockConfig as { StateMachines?: object } | undefined)?.StateMachines) ?? {});
    const result = await machine.run(input, {
      taskHandlers,
      integrations,
      mockConfig: options.mockConfig,
      testCase: options.testCase,
      stateMachineName: options.stateMachineName ?? (mockMachines.length === 1 ? mockMachines[0] : serviceName),
      region,
      accountId,
      startTime: options.startTime,
      seed: options.randomSeed,
      traceData: options.traceData,
    });
    env.restore();

    const tableSnapshots: TableSnapshot[] = [];
    for (const t of tables) {
      tableSnapshots.push({ name: t.spec.name, path: t.path, items: await scanTable(client, t.spec.name, t.spec.keySchema.map((k) => k.AttributeName)) });
    }
    return {
      ...result,
      // A getter on the result, which spreading does not copy.
      history: result.history,
      path: result.trace.filter((e) => e.scope === '').map((e) => e.stateName),
      events,
      tables: Object.fromEntries(tableSnapshots.map((t) => [t.name, t.items])),
      tableSnapshots,
      close: () => (dynamo.embedded ? closeEmbeddedDynamoDb() : Promise.resolve()),
    };
  } finally {
    env.restore();
    client.destroy();
  }
}

/** What `serviceWorkflowRuntime` prepares: a service's workflow, ready to run many times (`fleet sfn serve <service>`). */
export interface ServiceWorkflowRuntime {
  /** The state machine's name: the service name. */
  readonly name: string;
  /** The definition as synthesized, with stand-in ARNs. */
  readonly definition: object;
  /** Handlers (the real Lambda handlers) and integrations (embedded DynamoDB, recorded PutEvents) for every run. */
  readonly runOptions: Pick<RunExecutionOptions, 'taskHandlers' | 'integrations' | 'region' | 'accountId'>;
  /** The PutEvents entries sent so far. */
  readonly events: RecordedEvent[];
  /** Puts the process environment back and stops the embedded DynamoDB. */
  close(): Promise<void>;
}

/**
 * Prepares a service stack's workflow for repeated runs in one long-lived process: the
 * definition resolved as `runWorkflow` does, the real handlers, and the template's tables
 * created once in the embedded DynamoDB (kept between runs, as in a deployed account). The
 * process environment points handlers at it until `close()`; runs may overlap, so handlers
 * see one shared environment, as `runWorkflow`'s limits say.
 */
export async function serviceWorkflowRuntime(
  stack: ServiceStack | SynthesizedService,
  options: Pick<RunWorkflowOptions, 'region' | 'accountId' | 'parameters' | 'logLevel' | 'workflow' | 'dynamodb'> = {},
): Promise<ServiceWorkflowRuntime> {
  const { serviceName, region, accountId, tables, definition, functions } = resolveWorkflow(stack, options);
  const env = new EnvironmentScope();
  const taskHandlers: Record<string, TaskHandler> = {};
  for (const fn of functions) taskHandlers[fn.logicalId] = (payload) => invokeHandler(fn, payload, env);
  const dynamo: DynamoDbEndpoint = options.dynamodb === undefined || options.dynamodb === 'embedded'
    ? await embeddedDynamoDb()
    : { endpoint: options.dynamodb.endpoint, embedded: false };
  const client = clientFor(dynamo.endpoint, region);
  const events: RecordedEvent[] = [];
  await createTables(client, tables.map((t) => t.spec), dynamo.embedded);
  env.set({
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: LOCAL_CREDENTIALS.sessionToken,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  });
  return {
    name: serviceName,
    definition,
    runOptions: {
      taskHandlers,
      integrations: { ...dynamoDbIntegrations(async () => client as DynamoDBClient), ...putEventsIntegration(events) },
      region,
      accountId,
    },
    events,
    close: async () => {
      env.restore();
      client.destroy();
      if (dynamo.embedded) await closeEmbeddedDynamoDb();
    },
  };
}

/** A service stack's workflow as the local runtime runs it: shared by `runWorkflow` and `serviceWorkflowRuntime`. */
interface ResolvedWorkflow {
  readonly serviceName: string;
  readonly region: string;
  readonly accountId: string;
  readonly resources: NonNullable<CfnTemplate['Resources']>;
  readonly tables: LocalTable[];
  /** The definition with every intrinsic resolved to stand-in values. */
  readonly definition: object;
  readonly machine: LocalStateMachine;
  readonly functions: LocalFunction[];
}

/**
 * Resolves what a local run needs, from the stack (synthesized here, once: CDK keeps the
 * assembly) or from a `SynthesizedService` (no synthesis): the template's tables, its state
 * machine definition (CloudFormation intrinsics replaced by stand-in values), compiled, and its
 * functions with their handler sources and environments.
 */
function resolveWorkflow(
  source: ServiceStack | SynthesizedService,
  options: Pick<RunWorkflowOptions, 'region' | 'accountId' | 'parameters' | 'logLevel' | 'workflow'>,
): ResolvedWorkflow {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const stack = isSynthesizedService(source) ? undefined : source;
  if (stack === undefined && options.workflow !== undefined) {
    throw new LocalRuntimeConfigError('runWorkflow: the workflow option needs the stack, got a synthesized service. Fix: pass the stack, or leave workflow out for a stack with one state machine.');
  }
  const service = stack === undefined ? (source as SynthesizedService) : synthesizeOnUse(stack);
  const { template } = service;
  const resources = template.Resources ?? {};
  const tables = tablesFrom(template, service.tablePaths);
  const resolver = new CfnResolver(template, {
    region,
    accountId,
    partition: 'aws',
    stackName: service.stackName,
    parameters: options.parameters,
    tableNames: Object.fromEntries(tables.map((t) => [t.spec.name, t.spec.name])),
  });
  const machineId = stateMachineLogicalId(service.stackName, template, stack && options.workflow ? chosenMachineId(stack, options.workflow) : undefined);
  const definition = definitionOf(resolver, machineId, resources[machineId].Properties ?? {});
  const machine = LocalStateMachine.compile(definition);
  const functions = functionsFrom(template, service.functions, resolver, options.logLevel);
  return { serviceName: service.serviceName, region, accountId, resources, tables, definition, machine, functions };
}

/**
 * Synthesizes a stack that was passed in. Required here, not imported: with a `SynthesizedService`
 * (the CLI's synthesis cache) a run loads no aws-cdk-lib; with a stack it is loaded already.
 */
export function synthesizeOnUse(stack: ServiceStack): SynthesizedService {
  return (require('./synthesize-service') as typeof import('./synthesize-service')).synthesizeService(stack, { renderWorkflow: false });
}

function chosenMachineId(stack: ServiceStack, chosen: ServiceWorkflow | sfn.StateMachine): string {
  const { ServiceWorkflow: Workflow } = require('../service-workflow') as typeof import('../service-workflow');
  const machine = chosen instanceof Workflow ? chosen.stateMachine : chosen;
  return stack.resolve((machine.node.defaultChild as sfn.CfnStateMachine).logicalId);
}

function overridesToHandlers(overrides: Record<string, TaskOverride>, machine: LocalStateMachine, functions: LocalFunction[]): Record<string, TaskHandler> {
  const handlers: Record<string, TaskHandler> = {};
  for (const [key, override] of Object.entries(overrides)) {
    const handler = toHandler(key, override);
    if (machine.stateTypes.has(key)) {
      handlers[key] = handler;
      continue;
    }
    const targets = functions.filter((f) => f.handlerName === key);
    if (targets.length === 0) {
      throw new LocalRuntimeConfigError(
        `runWorkflow: overrides key ${JSON.stringify(key)} names neither a state nor a function. Fix: use a state name (${[...machine.stateTypes.keys()].sort().map((s) => JSON.stringify(s)).join(', ')}) or a handler name (${functions.map((f) => JSON.stringify(f.handlerName)).join(', ')}).`,
      );
    }
    for (const f of targets) handlers[f.logicalId] = handler;
  }
  return handlers;
}

function toHandler(key: string, override: TaskOverride): TaskHandler {
  if (typeof override === 'function') return override;
  if (override && typeof override === 'object' && 'throw' in override) {
    const { error, cause } = override.throw ?? ({} as { error?: string; cause?: string });
    if (typeof error !== 'string' || error === '') {
      throw new LocalRuntimeConfigError(`runWorkflow: overrides[${JSON.stringify(key)}].throw.error must be a non-empty string, got ${JSON.stringify(error)}. Fix: give the error name, e.g. { throw: { error: 'Lambda.ServiceException', cause: '...' } }.`);
    }
    return () => {
      throw new StatesError(error, cause ?? '');
    };
  }
  if (override && typeof override === 'object' && 'return' in override) {
    const value = override.return;
    return () => value;
  }
  throw new LocalRuntimeConfigError(`runWorkflow: overrides[${JSON.stringify(key)}] must be a function, { return: value } or { throw: { error, cause } }, got ${JSON.stringify(override)}. Fix: use one of those forms.`);
}
