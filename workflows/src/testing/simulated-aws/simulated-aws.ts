/**
 * A simulated AWS for the local Step Functions runtime: an organization of accounts whose
 * CloudFormation, S3 and CloudWatch answer a definition's `arn:aws:states:::aws-sdk:*` tasks,
 * with the Task's `Credentials` deciding which account a call lands in, API rate limits as token
 * buckets per (account, Region, API) in virtual time, and a count of every call.
 *
 * Plug it into `runExecution` / `LocalStateMachine`:
 *   { integrations: aws.integrations(), itemReader: aws.itemReader, resultWriter: aws.resultWriter }
 * (plus `dynamoDbIntegrations` of the embedded DynamoDB for the status table).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Integration, IntegrationRequest, ItemReaderRequest, ResultWriterRequest, StatesError } from '../../local';
import { dynamoDbIntegrations } from '../aws-integrations';
import { BehaviourOf, SimulatedCloudFormation, StackBehaviour } from './cloudformation';
import { SimulatedCloudWatch } from './cloudwatch';
import { RATE_EXCEEDED, sdkError, unmodeledError } from './errors';
import { Caller, SimulatedOrganization, SimulatedRole } from './organization';
import { OrganizationsBehaviour, SimulatedOrganizations, SimulatedStackSet } from './organizations';
import { SimulatedS3 } from './s3';
import { RateLimit, TokenBucket } from './token-bucket';

export interface SimulatedAwsOptions {
  /** @default 'o-sim0000001' */
  readonly organizationId?: string;
  /** The account the state machine runs in. @default '999988887777' */
  readonly centralAccountId?: string;
  /** Member accounts (tenant accounts). */
  readonly accounts: readonly string[];
  /** The Region every call is served in (AWS SDK integrations call the state machine's Region). @default 'eu-west-1' */
  readonly region?: string;
  /** Seeds every draw (durations, failures). @default 1 */
  readonly seed?: number;
  /**
   * Roles to create in every member account (e.g. the deploy role), each trusting the central
   * account and the organization. @default none
   */
  readonly memberRoles?: readonly string[];
  /** Stack timings and failure rates, per (account, stack name). @default the CloudFormation defaults */
  readonly stacks?: StackBehaviour | BehaviourOf;
  /**
   * CloudFormation API limits per account and Region, by API action (camelCase) or '*'.
   * AWS publishes none; users report DescribeStacks near 5 calls/s. @default { '*': { burst: 10, refillPerSecond: 5 } } (unverified)
   */
  readonly cloudFormationLimits?: Readonly<Record<string, RateLimit>>;
  /**
   * CloudWatch API limits per account and Region, by API action or '*' (CloudWatch publishes TPS
   * quotas per API on its "service quotas" page; the values vary, so none is assumed).
   * @default no throttling
   */
  readonly cloudWatchLimits?: Readonly<Record<string, RateLimit>>;
  /**
   * How a throttled call's error is named. 'generic' (default): `CloudFormation.CloudFormationException`
   * / `CloudWatch.CloudWatchException`, the SDK's class for an unmodeled error code (see errors.ts);
   * 'code': `CloudFormation.ThrottlingException`, the error code with the Exception suffix the
   * Step Functions guide says to add. The cause is "Rate exceeded (Service: ..., Status Code: 400,
   * Request ID: ...)" either way. Lets an engine's retry rules be tested against both readings.
   */
  readonly throttlingErrorNames?: 'generic' | 'code';
  /**
   * The embedded DynamoDB client for an account (e.g. one dynalite server per account, or one
   * shared server for the central account's status table). When given, `integrations()` also
   * serves `arn:aws:states:::dynamodb:*` and `aws-sdk:dynamodb:*` in the caller's account, counted
   * like every other call. @default not served (register `dynamoDbIntegrations` yourself)
   */
  readonly dynamoDb?: (accountId: string) => Promise<DynamoDBClient>;
  /** The organization's management account (Organizations' account APIs answer it only); a member. @default '111100001111' */
  readonly managementAccountId?: string;
  /** Roles to create in the management account (e.g. the account factory role), trusting the central account. @default none */
  readonly managementRoles?: readonly string[];
  /** Account creation: times, the concurrency limit and the daily cap. @default the Organizations defaults (organizations.ts) */
  readonly organizations?: OrganizationsBehaviour;
  /** Service-managed StackSets with automatic deployment to OUs (e.g. the tenant baseline with its roles). @default none */
  readonly stackSets?: readonly SimulatedStackSet[];
}

const CFN_ACTIONS = ['createChangeSet', 'describeChangeSet', 'executeChangeSet', 'deleteChangeSet', 'deleteStack', 'describeStacks', 'describeStackInstance'] as const;
const ORGANIZATIONS_ACTIONS = ['createAccount', 'describeCreateAccountStatus', 'listCreateAccountStatus', 'listAccounts', 'moveAccount', 'listParents', 'describeAccount', 'describeOrganization'] as const;
const S3_ACTIONS = ['getObject', 'putObject', 'headObject'] as const;
const CW_ACTIONS = ['describeAlarms', 'getMetricData'] as const;

export class SimulatedAws {
  readonly organization: SimulatedOrganization;
  /** Organizations (account creation, OUs) and the StackSets' automatic deployment. */
  readonly organizations: SimulatedOrganizations;
  readonly cloudFormation: SimulatedCloudFormation;
  readonly s3 = new SimulatedS3();
  readonly cloudWatch = new SimulatedCloudWatch();
  readonly region: string;
  private readonly limits: Readonly<Record<string, Readonly<Record<string, RateLimit>>>>;
  private readonly throttlingErrorNames: 'generic' | 'code';
  /**
   * Rate limits and call counts are kept per account, then per `<service>:<action>`: nested maps
   * look a call up without building a key string per call (a rollout makes millions of calls).
   */
  private readonly buckets = new Map<string, Map<string, TokenBucket>>();
  private readonly counts = new Map<string, Map<string, number>>();
  private throttledCount = 0;
  private readonly dynamoDbClient?: (accountId: string) => Promise<DynamoDBClient>;
  /** Per account, built on first use: the embedded-DynamoDB integrations bound to its client. */
  private readonly dynamoDbByAccount = new Map<string, Record<string, Integration>>();

  constructor(options: SimulatedAwsOptions) {
    const central = options.centralAccountId ?? '999988887777';
    const orgId = options.organizationId ?? 'o-sim0000001';
    const management = options.managementAccountId ?? '111100001111';
    this.organization = new SimulatedOrganization(orgId, central, [management, ...options.accounts]);
    this.organizations = new SimulatedOrganizations(this.organization, management, options.seed ?? 1, options.organizations ?? {}, options.stackSets ?? [], (role) => this.addRole(role));
    for (const roleName of options.managementRoles ?? []) this.addRole({ accountId: management, roleName, trustedAccounts: [central], trustedOrganizationId: orgId });
    this.region = options.region ?? 'eu-west-1';
    const behaviour = options.stacks;
    const behaviourOf: BehaviourOf = typeof behaviour === 'function' ? behaviour : () => behaviour ?? {};
    this.cloudFormation = new SimulatedCloudFormation(options.seed ?? 1, behaviourOf, (account, alarm, ms) => this.cloudWatch.alarmState(account, alarm, ms) === 'ALARM');
    this.limits = { CloudFormation: options.cloudFormationLimits ?? { '*': { burst: 10, refillPerSecond: 5 } }, CloudWatch: options.cloudWatchLimits ?? {} };
    this.throttlingErrorNames = options.throttlingErrorNames ?? 'generic';
    this.dynamoDbClient = options.dynamoDb;
    for (const roleName of options.memberRoles ?? []) {
      for (const accountId of options.accounts) this.addRole({ accountId, roleName, trustedAccounts: [central], trustedOrganizationId: orgId });
    }
  }

  addRole(role: SimulatedRole): void {
    this.organization.addRole(role);
  }

  /** Calls made, by `<account>/<service>:<action>`; `calls('111122223333', 'cloudformation')` sums a service. */
  calls(accountId?: string, service?: string, action?: string): number {
    let sum = 0;
    for (const [account, byApi] of this.counts) {
      if (accountId !== undefined && account !== accountId) continue;
      for (const [api, n] of byApi) {
        const [svc, act] = api.split(':');
        if ((service === undefined || svc === service) && (action === undefined || act === action)) sum += n;
      }
    }
    return sum;
  }

  /** Calls refused with Rate exceeded. */
  get throttled(): number {
    return this.throttledCount;
  }

  /**
   * Who the call runs as. A Task with Credentials costs an sts:AssumeRole charged to the central
   * account (the caller's quota), counted as `sts:assumeRole` even when it is refused.
   */
  private callerOf(request: IntegrationRequest): Caller {
    const roleArn = request.credentials?.RoleArn;
    if (roleArn !== undefined) this.count({ accountId: this.organization.centralAccountId }, 'sts', 'assumeRole');
    return this.organization.assume(roleArn, request.stateName);
  }

  private count(caller: Caller, service: string, action: string): void {
    let byApi = this.counts.get(caller.accountId);
    if (!byApi) {
      byApi = new Map();
      this.counts.set(caller.accountId, byApi);
    }
    const api = apiKey(service, action);
    byApi.set(api, (byApi.get(api) ?? 0) + 1);
  }

  private throttle(service: 'CloudFormation' | 'CloudWatch', caller: Caller, action: string, nowMs: number, requestId: string): void {
    const limits = this.limits[service];
    const limit = limits[action] ?? limits['*'];
    if (!limit) return;
    // One Region per simulated AWS: the account and the API name the bucket.
    let byApi = this.buckets.get(caller.accountId);
    if (!byApi) {
      byApi = new Map();
      this.buckets.set(caller.accountId, byApi);
    }
    const api = apiKey(service, action);
    let bucket = byApi.get(api);
    if (!bucket) {
      bucket = new TokenBucket(limit, nowMs);
      byApi.set(api, bucket);
    }
    if (!bucket.take(nowMs)) {
      this.throttledCount++;
      throw this.throttlingErrorNames === 'code'
        ? sdkError(service, 'Throttling', RATE_EXCEEDED, requestId)
        : unmodeledError(service, RATE_EXCEEDED, requestId);
    }
  }


  /** The integrations to pass to the runtime: `arn:aws:states:::aws-sdk:cloudformation:`, `s3:`, `cloudwatch:` (and DynamoDB with the `dynamoDb` option). */
  integrations(): Record<string, Integration> {
    const serve = (service: string, actions: readonly string[], handle: (action: string, request: IntegrationRequest, caller: Caller, nowMs: number) => unknown): Integration => {
      // The action of each resource ARN, parsed once (a definition names a handful of resources).
      const actionOf = new Map<string, string>();
      return (request) => {
        const override = request.findHandler();
        if (override) return override(request.parameters, request.context);
        let action = actionOf.get(request.resource);
        if (action === undefined) {
          action = request.resource.slice(`arn:aws:states:::aws-sdk:${service}:`.length).replace(/\.(sync(:\d+)?|waitForTaskToken)$/, '');
          actionOf.set(request.resource, action);
        }
        if (!actions.includes(action)) {
          throw new StatesError('States.Runtime', `State '${request.stateName}' calls ${request.resource}: the simulated AWS serves ${service} ${actions.join(', ')} only. Fix: add the action to workflows/src/testing/simulated-aws, or register a task handler for the state.`);
        }
        const caller = this.callerOf(request);
        const nowMs = request.context.now().getTime();
        this.count(caller, service, action);
        return handle(action, request, caller, nowMs);
      };
    };
    const dynamoDb = (prefix: string): Integration => async (request) => {
      const override = request.findHandler();
      if (override) return override(request.parameters, request.context);
      const caller = this.callerOf(request);
      this.count(caller, 'dynamodb', request.resource.slice(prefix.length));
      let routes = this.dynamoDbByAccount.get(caller.accountId);
      if (!routes) {
        const client = this.dynamoDbClient!;
        routes = dynamoDbIntegrations(() => client(caller.accountId));
        this.dynamoDbByAccount.set(caller.accountId, routes);
      }
      return routes[prefix](request);
    };
    const dynamoDbRoutes: Record<string, Integration> = this.dynamoDbClient
      ? { 'arn:aws:states:::dynamodb:': dynamoDb('arn:aws:states:::dynamodb:'), 'arn:aws:states:::aws-sdk:dynamodb:': dynamoDb('arn:aws:states:::aws-sdk:dynamodb:') }
      : {};
    return {
      ...dynamoDbRoutes,
      'arn:aws:states:::aws-sdk:cloudformation:': serve('cloudformation', CFN_ACTIONS, (action, request, caller, nowMs) => {
        this.throttle('CloudFormation', caller, action, nowMs, request.requestId);
        const context = { accountId: caller.accountId, region: this.region, nowMs, requestId: request.requestId, stateName: request.stateName };
        const p = (request.parameters ?? {}) as Record<string, any>;
        if (action === 'describeStackInstance') return this.organizations.describeStackInstance(context, p);
        const cfn = this.cloudFormation as unknown as Record<string, (c: typeof context, p: Record<string, any>) => unknown>;
        return cfn[action].call(this.cloudFormation, context, p);
      }),
      'arn:aws:states:::aws-sdk:organizations:': serve('organizations', ORGANIZATIONS_ACTIONS, (action, request, caller, nowMs) => {
        const context = { accountId: caller.accountId, nowMs, requestId: request.requestId };
        const p = (request.parameters ?? {}) as Record<string, any>;
        const org = this.organizations as unknown as Record<string, (c: typeof context, p: Record<string, any>) => unknown>;
        return org[action].call(this.organizations, context, p);
      }),
      'arn:aws:states:::aws-sdk:s3:': serve('s3', S3_ACTIONS, (action, request) => {
        const p = (request.parameters ?? {}) as Record<string, any>;
        if (action === 'getObject') return this.s3.getObject(p, request.requestId);
        if (action === 'headObject') return this.s3.headObject(p, request.requestId);
        return this.s3.putObject(p);
      }),
      'arn:aws:states:::aws-sdk:cloudwatch:': serve('cloudwatch', CW_ACTIONS, (action, request, caller, nowMs) => {
        this.throttle('CloudWatch', caller, action, nowMs, request.requestId);
        const p = (request.parameters ?? {}) as Record<string, any>;
        return action === 'describeAlarms' ? this.cloudWatch.describeAlarms(caller.accountId, p, nowMs) : this.cloudWatch.getMetricData(caller.accountId, p);
      }),
    };
  }

  /**
   * Reads a Distributed Map's items from the simulated S3: ItemReader `arn:aws:states:::s3:getObject`
   * with ReaderConfig InputType JSON (a JSON array) or JSONL (one item per line).
   */
  readonly itemReader = (request: ItemReaderRequest): unknown => {
    const reader = request.itemReader as { Resource?: string; ReaderConfig?: { InputType?: string } };
    const p = (request.parameters ?? {}) as { Bucket?: string; Key?: string };
    if (reader.Resource !== 'arn:aws:states:::s3:getObject') {
      throw new StatesError('States.Runtime', `State '${request.stateName}': the simulated AWS reads items with arn:aws:states:::s3:getObject only, got ${String(reader.Resource)}`);
    }
    const body = this.s3.get(String(p.Bucket), String(p.Key));
    if (body === undefined) throw new StatesError('S3.NoSuchKeyException', `The specified key does not exist. (Bucket: ${p.Bucket}, Key: ${p.Key})`);
    const type = reader.ReaderConfig?.InputType ?? 'JSON';
    if (type === 'JSONL') return body.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l));
    if (type !== 'JSON') throw new StatesError('States.Runtime', `State '${request.stateName}': the simulated AWS reads ReaderConfig.InputType JSON or JSONL, got ${type}`);
    return JSON.parse(body);
  };

  /**
   * Writes a Distributed Map's results as AWS does (Developer Guide, "ResultWriter"): under
   * `<Prefix>/<map run id>/`, `manifest.json` plus `SUCCEEDED_0.json` and `FAILED_0.json`; the
   * state's result is `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }`.
   */
  readonly resultWriter = (request: ResultWriterRequest): unknown => {
    const p = (request.parameters ?? {}) as { Bucket?: string; Prefix?: string };
    const bucket = String(p.Bucket);
    const mapRunArn = request.mapRunArn ?? `arn:aws:states:${this.region}:${this.organization.centralAccountId}:mapRun:${request.stateName}`;
    const runId = mapRunArn.split(':').pop()!.replace(/\//g, '-');
    const base = `${p.Prefix ? `${String(p.Prefix).replace(/\/$/, '')}/` : ''}${runId}`;
    const succeeded = request.results.filter((r) => !isErrorOutput(r));
    const failed = request.results.filter(isErrorOutput);
    this.s3.put(bucket, `${base}/SUCCEEDED_0.json`, JSON.stringify(succeeded.map((Output) => ({ Status: 'SUCCEEDED', Output: JSON.stringify(Output) }))));
    this.s3.put(bucket, `${base}/FAILED_0.json`, JSON.stringify(failed.map((r) => ({ Status: 'FAILED', ...(r as object) }))));
    const manifest = {
      DestinationBucket: bucket,
      MapRunArn: mapRunArn,
      ResultFiles: {
        FAILED: [{ Key: `${base}/FAILED_0.json`, Size: failed.length }],
        PENDING: [],
        SUCCEEDED: [{ Key: `${base}/SUCCEEDED_0.json`, Size: succeeded.length }],
      },
    };
    this.s3.put(bucket, `${base}/manifest.json`, JSON.stringify(manifest));
    return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: bucket, Key: `${base}/manifest.json` } };
  };
}

/** `<service>:<action>`, built once per pair (the same few dozen strings for every call). */
const API_KEYS = new Map<string, Map<string, string>>();
function apiKey(service: string, action: string): string {
  let byAction = API_KEYS.get(service);
  if (!byAction) {
    byAction = new Map();
    API_KEYS.set(service, byAction);
  }
  let key = byAction.get(action);
  if (key === undefined) {
    key = `${service}:${action}`;
    byAction.set(action, key);
  }
  return key;
}

function isErrorOutput(r: unknown): boolean {
  return typeof r === 'object' && r !== null && 'Error' in r && 'Cause' in r && Object.keys(r).length === 2;
}
