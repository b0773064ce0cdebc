import {
  ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED, ACCOUNT_CREATION_SLOTS, FLEET_ACCOUNT_FACTORY_ROLE_NAME, FLEET_DEPLOY_ROLE_NAME, ONBOARDING_OUTPUTS, TENANT_REGISTRY_TABLE,
} from '@fleet/contracts';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { nagResourceName } from '../private/acknowledgments';
import { childPath } from '../private/errors';
import { checkIntegerRange, checkOrganizationId } from '../private/validation';
import { retryThrottling, RolloutDeployment, RolloutDeploymentTimings } from './rollout-deployment';

/** Properties of a `TenantOnboarding`. */
export interface TenantOnboardingProps {
  /** The AWS Organizations id of the fleet. */
  readonly organizationId: string;

  /** The release status table of the rollout engine: each service deployment is recorded there, so later rollouts skip the new tenant where it is at the release. */
  readonly statusTable: dynamodb.ITable;

  /**
   * The state machine's role. Pass the rollout engine's role (`FleetRolloutEngineRole`): the
   * tenant deploy roles trust that role only, and the account factory role trusts it too.
   */
  readonly role: iam.IRole;

  /**
   * The service-managed StackSet that deploys the tenant baseline (deploy role, recovery role,
   * alarms) by automatic deployment to the request's OU; the onboarding waits for its instance.
   * @default 'fleet-tenant-baseline'
   */
  readonly baselineStackSetName?: string;

  /**
   * Tenants onboarded at once (the Distributed Map's MaxConcurrency). Organizations creates
   * about 5 accounts at once; the others wait for a creation slot, so a value of a few times
   * that keeps the creation slots busy while earlier tenants deploy their services.
   * @default 15
   */
  readonly maxConcurrentOnboardings?: number;

  /**
   * Account creations started at once: a semaphore on one item of the registry table (a map of
   * leases taken with a conditional update, `size(leases) < limit`) holds every other tenant back
   * before CreateAccount, so tenants wait for a free slot instead of backing off on
   * TooManyRequestsException. Set it to the organization's limit; a lower real limit is still
   * handled (the refused CreateAccount backs off and tries again).
   * @default 5 (about 5 creations at once: third-party sources, unverified)
   */
  readonly maxConcurrentAccountCreations?: number;

  /**
   * How long a creation slot stays taken without renewal, seconds: a child that crashed while
   * holding one frees it after this. The holder renews its lease while it polls its creation.
   * @default 600
   */
  readonly creationSlotLeaseSeconds?: number;

  /** Base of the jittered wait of a tenant waiting for a creation slot, seconds (waits are base to 2 x base). @default 5 */
  readonly creationSlotWaitSeconds?: number;

  /** Waits for a creation slot before the step fails. @default 720 (about 1.5 h at the default wait) */
  readonly maxCreationSlotWaits?: number;

  /** Base of the jittered Waits between status polls (account, baseline, stacks), seconds (waits are base to 2 x base). @default 15 */
  readonly pollSeconds?: number;

  /** Polls of one account creation or baseline instance before the step counts as failed. @default 240 (about 1.5 h at the default) */
  readonly maxPolls?: number;

  /**
   * CreateAccount attempts refused with TooManyRequestsException or ConcurrentModificationException
   * (too many creations at once) before the step fails; each waits a jittered `creationBackoffSeconds`.
   * @default 120
   */
  readonly maxCreationAttempts?: number;

  /** Base of the jittered back-off of a refused CreateAccount, seconds. @default 20 */
  readonly creationBackoffSeconds?: number;

  /** Attempts of a throttled call. @default 8 */
  readonly throttleAttempts?: number;

  /** The longest back-off of a throttled call, seconds. @default 60 */
  readonly maxBackoffSeconds?: number;

  /** What happens to the tenant registry table when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** Organizations' errors meaning "too many account operations at once": wait and try again. */
const TOO_MANY = ['Organizations.TooManyRequestsException', 'Organizations.ConcurrentModificationException'];

/**
 * Tenant onboarding: a Standard state machine that takes a batch of `OnboardingRequest`s
 * (`OnboardingInput`) and makes each tenant ready: a new account in its OU with the tenant
 * baseline, every service at the fleet's current release in dependency order, and a row in the
 * tenant registry table. One Distributed Map child execution per tenant (its own history, so one
 * execution onboards hundreds), at most `maxConcurrentOnboardings` at once.
 *
 * Per tenant (JSONata; each step is recorded in the registry item's `steps` map with its state,
 * time, and on failure the error and cause; a failure ends that tenant only):
 * 1. record: a conditional put keyed by tenant id. The same request id again resumes (a READY
 *    tenant is returned as it is, with no call); another request for the tenant is REFUSED.
 * 2. createAccount: a creation slot first (`maxConcurrentAccountCreations`: a semaphore item
 *    in the registry table, `ACCOUNT_CREATION_SLOTS`: leases taken by conditional update,
 *    renewed while the creation is polled, given back when it ends or the tenant fails, removed
 *    by the next waiter once expired; waiters queue and take slots in order of arrival), then
 *    Organizations `CreateAccount` with the management account's `FleetAccountFactoryRole` (the
 *    management account read from `DescribeOrganization`), then `DescribeCreateAccountStatus`
 *    with jittered Waits. TooManyRequests / ConcurrentModification (a real limit lower than the
 *    slots) back off with jitter; FAILED reports the reason, the daily limit with what to do.
 *    The request id of the creation is recorded at once, so a resumed request never creates
 *    twice; a resumed request without one (a crash right after CreateAccount) looks for its
 *    creation first: ListCreateAccountStatus IN_PROGRESS by name, then ListAccounts by email.
 * 3. moveAccount: `ListParents`, then `MoveAccount` from the root unless already in the OU.
 * 4. baseline: the baseline StackSet's automatic deployment to the OU deploys the tenant
 *    baseline (it holds the deploy role, so nothing of ours can deploy it first); the step polls
 *    `DescribeStackInstance` until SUCCEEDED.
 * 5. services: per dependency level, an inline Map of the rollout engine's own deployment
 *    (`RolloutDeployment`: change set named from the release, status table, deploy role).
 * 6. register: status READY, account id, services and releases, ready time.
 */
export class TenantOnboarding extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly registryTable: dynamodb.Table;

  public constructor(scope: Construct, id: string, props: TenantOnboardingProps) {
    const path = childPath(scope, id);
    checkOrganizationId(path, props.organizationId);
    checkIntegerRange(path, 'maxConcurrentOnboardings', props.maxConcurrentOnboardings, 1, 1_000, 'tenants onboarded at once');
    checkIntegerRange(path, 'pollSeconds', props.pollSeconds, 1, 3_600, 'seconds between polls');
    checkIntegerRange(path, 'maxPolls', props.maxPolls, 1, 2_000, 'polls per step; each tenant\'s history holds at most 25,000 events');
    checkIntegerRange(path, 'maxCreationAttempts', props.maxCreationAttempts, 1, 1_000, 'CreateAccount attempts');
    checkIntegerRange(path, 'maxConcurrentAccountCreations', props.maxConcurrentAccountCreations, 1, 100, 'account creations at once');
    checkIntegerRange(path, 'creationSlotLeaseSeconds', props.creationSlotLeaseSeconds, 60, 86_400, 'seconds; longer than the longest wait between two polls of a creation');
    checkIntegerRange(path, 'creationSlotWaitSeconds', props.creationSlotWaitSeconds, 1, 3_600, 'seconds');
    checkIntegerRange(path, 'maxCreationSlotWaits', props.maxCreationSlotWaits, 1, 2_000, 'waits per tenant; each tenant\'s history holds at most 25,000 events');
    checkIntegerRange(path, 'creationBackoffSeconds', props.creationBackoffSeconds, 1, 3_600, 'seconds');
    checkIntegerRange(path, 'throttleAttempts', props.throttleAttempts, 0, 20, 'attempts of a throttled call');
    checkIntegerRange(path, 'maxBackoffSeconds', props.maxBackoffSeconds, 1, 3_600, 'seconds');
    super(scope, id);
    const pollSeconds = props.pollSeconds ?? 15;
    const timings: RolloutDeploymentTimings = {
      pollSeconds,
      maxPolls: 360,
      throttleAttempts: props.throttleAttempts ?? 8,
      maxBackoffSeconds: props.maxBackoffSeconds ?? 60,
      pausePollSeconds: 60,
    };
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.registryTable = new dynamodb.Table(this, 'RegistryTable', {
      partitionKey: { name: TENANT_REGISTRY_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });
    const definition = this.definition(props, timings);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      role: props.role,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: 'Fleet tenant onboarding: account, OU, baseline, every service at its current release, registry',
    });
    this.acknowledge(props);
    new CfnOutput(this, 'OnboardingStateMachineArn', { key: ONBOARDING_OUTPUTS.onboardingStateMachineArn, value: this.stateMachine.stateMachineArn, description: 'The onboarding fleet tenants onboard runs.' });
    new CfnOutput(this, 'RegistryTableName', { key: ONBOARDING_OUTPUTS.tenantRegistryTableName, value: this.registryTable.tableName, description: 'Onboarded tenants: request, steps, account, services and releases.' });
  }

  private definition(props: TenantOnboardingProps, timings: RolloutDeploymentTimings): sfn.IChainable {
    const table = this.registryTable;
    const pollSeconds = timings.pollSeconds;
    const maxPolls = props.maxPolls ?? 240;
    const maxCreationAttempts = props.maxCreationAttempts ?? 120;
    const backoff = props.creationBackoffSeconds ?? 20;
    const stackSetName = props.baselineStackSetName ?? 'fleet-tenant-baseline';
    const slotLimit = props.maxConcurrentAccountCreations ?? 5;
    const leaseMs = (props.creationSlotLeaseSeconds ?? 600) * 1000;
    const slotWait = props.creationSlotWaitSeconds ?? 5;
    const maxSlotWaits = props.maxCreationSlotWaits ?? 720;
    // A waiter's place in the queue outlives several of its waits (at most 2 x slotWait each); a crashed waiter's place expires after it.
    const queueLeaseMs = Math.max(60, 6 * slotWait) * 1000;
    const jittered = (base: number) => sfn.WaitTime.seconds(`{% $round(${base} + $random() * ${base}) %}`);
    const key = `{ '${TENANT_REGISTRY_TABLE.partitionKey}': { 'S': $request.tenantId } }`;
    const slotKey = `{ '${TENANT_REGISTRY_TABLE.partitionKey}': { 'S': '${ACCOUNT_CREATION_SLOTS.key}' } }`;
    const stepValue = (state: string, extra = '') => `{ 'M': { 'state': { 'S': '${state}' }, 'at': { 'S': $now() }${extra} } }`;

    // The parent: who the management account is, then one child execution per request.
    const describeOrganization = tasks.CallAwsService.jsonata(this, 'DescribeOrganization', {
      service: 'organizations', action: 'describeOrganization', iamAction: 'organizations:DescribeOrganization', iamResources: ['*'],
      parameters: {},
      assign: { managementAccountId: '{% $states.result.Organization.MasterAccountId %}' },
      outputs: '{% $states.input %}',
    });
    describeOrganization.addRetry({ errors: TOO_MANY, interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 6, jitterStrategy: sfn.JitterType.FULL });

    const dynamo = (sid: string, action: 'getItem' | 'putItem' | 'updateItem', args: Record<string, unknown>, extra: Partial<tasks.CallAwsServiceJsonataProps> = {}) => {
      const task = tasks.CallAwsService.jsonata(this, sid, {
        service: 'dynamodb', action, iamAction: `dynamodb:${action[0].toUpperCase()}${action.slice(1)}`,
        iamResources: [table.tableArn], parameters: { TableName: table.tableName, ...args }, ...extra,
      });
      retryThrottling(task, timings);
      return task;
    };
    /** Records a step's state (and more SET clauses) in the tenant's registry item. */
    const recordStep = (sid: string, step: string, state: string, more: { set?: string; names?: Record<string, string>; values?: string; next?: string } = {}) => dynamo(sid, 'updateItem', {
      Key: `{% ${key} %}`,
      UpdateExpression: `SET #steps.#step = :step, #updated = :now${more.set ? `, ${more.set}` : ''}`,
      ExpressionAttributeNames: { '#steps': 'steps', '#step': step, '#updated': 'updatedAt', ...(more.names ?? {}) },
      ExpressionAttributeValues: `{% { ':step': ${stepValue(state)}, ':now': { 'S': $now() }${more.values ? `, ${more.values}` : ''} } %}`,
    }, more.next ? { assign: { step: more.next } } : {});
    const factoryCredentials: sfn.Credentials = { role: new AccountFactoryRole(`arn:${Aws.PARTITION}:iam::*:role/${FLEET_ACCOUNT_FACTORY_ROLE_NAME}`) };
    const organizations = (sid: string, action: string, args: Record<string, unknown>, extra: Partial<tasks.CallAwsServiceJsonataProps> = {}) => {
      const task = tasks.CallAwsService.jsonata(this, sid, {
        service: 'organizations', action, iamAction: `organizations:${action[0].toUpperCase()}${action.slice(1)}`,
        // Called with the account factory role's credentials in the management account.
        iamResources: ['*'], parameters: args, credentials: factoryCredentials, ...extra,
      });
      return task;
    };

    // Every failure of a tenant ends here: the step, the error and its cause recorded, the tenant FAILED.
    const recordFailure = dynamo('RecordFailure', 'updateItem', {
      Key: `{% ${key} %}`,
      UpdateExpression: 'SET #steps.#step = :step, #status = :failed, #failedStep = :stepName, #updated = :now',
      ExpressionAttributeNames: { '#steps': 'steps', '#step': '{% $step %}', '#status': 'status', '#failedStep': 'failedStep', '#updated': 'updatedAt' },
      ExpressionAttributeValues: `{% { ':step': ${stepValue('FAILED', ", 'error': { 'S': $stepError }, 'cause': { 'S': $stepCause }")}, ':failed': { 'S': 'FAILED' }, ':stepName': { 'S': $step }, ':now': { 'S': $now() } } %}`,
    });
    // A creation slot still held (a failure between taking it and the creation's end) is given back first; if that fails too, its lease expires.
    const releaseOnFailure = dynamo('ReleaseCreationSlotOnFailure', 'updateItem', {
      Key: `{% ${slotKey} %}`,
      // Its lease or its place in the queue, whichever it has.
      UpdateExpression: 'REMOVE #leases.#me, #queue.#me',
      ExpressionAttributeNames: { '#leases': ACCOUNT_CREATION_SLOTS.leases, '#queue': ACCOUNT_CREATION_SLOTS.queue, '#me': '{% $request.tenantId %}' },
    }, { assign: { slotHeld: false } });
    releaseOnFailure.addCatch(recordFailure, { errors: ['States.ALL'] });
    releaseOnFailure.next(recordFailure);
    const failurePath = sfn.Choice.jsonata(this, 'HoldsCreationSlot?')
      .when(sfn.Condition.jsonata('{% $slotHeld %}'), releaseOnFailure)
      .otherwise(recordFailure);
    const failed = sfn.Succeed.jsonata(this, 'OnboardingFailed', {
      outputs: "{% { 'requestId': $request.requestId, 'tenantId': $request.tenantId, 'status': 'FAILED', 'accountId': $accountId = '' ? null : $accountId, 'failedStep': $step, 'error': $stepError, 'cause': $stepCause } %}",
    });
    recordFailure.next(failed);
    const caught = (sid: string) => sfn.Pass.jsonata(this, sid, {
      assign: { stepError: '{% $string($states.input.Error) %}', stepCause: '{% $string($states.input.Cause) %}' },
    }).next(failurePath);
    const stepFailed = caught('StepFailed');
    const failWith = (sid: string, error: string, cause: string) => sfn.Pass.jsonata(this, sid, {
      assign: { stepError: error, stepCause: `{% ${cause} %}` },
    }).next(failurePath);

    // 1. record the request.
    const begin = sfn.Pass.jsonata(this, 'BeginTenant', {
      assign: {
        request: '{% $states.input.request %}', batchId: '{% $states.input.batchId %}', region: '{% $states.input.region %}',
        partition: '{% $states.input.partition %}', levels: '{% $states.input.levels %}', factoryRoleArn: `{% 'arn:' & $states.input.partition & ':iam::' & $states.input.managementAccountId & ':role/${FLEET_ACCOUNT_FACTORY_ROLE_NAME}' %}`,
        step: 'record', stepError: '', stepCause: '', accountId: '', createRequestId: '', accountPolls: 0, creationAttempts: 0, baselinePolls: 0,
        levelIndex: 0, resumed: false, slotHeld: false, slotWaits: 0, slotExpiresAt: 0, queueUntil: 0, slots: null, lookupToken: '',
      },
    });
    const wrongRegion = sfn.Succeed.jsonata(this, 'WrongRegion', {
      outputs: "{% { 'requestId': $request.requestId, 'tenantId': $request.tenantId, 'status': 'REFUSED', 'error': 'Fleet.WrongRegion', 'cause': 'tenant ' & $request.tenantId & ': homeRegion ' & $request.homeRegion & ' is not the Region of this control plane (' & $region & '). Fix: onboard it with the control plane of ' & $request.homeRegion & '.' } %}",
    });
    const recordRequest = dynamo('RecordRequest', 'putItem', {
      Item: `{% { '${TENANT_REGISTRY_TABLE.partitionKey}': { 'S': $request.tenantId }, 'requestId': { 'S': $request.requestId }, 'status': { 'S': 'IN_PROGRESS' },
        'accountName': { 'S': $request.accountName }, 'email': { 'S': $request.email }, 'organizationalUnitId': { 'S': $request.organizationalUnitId },
        'homeRegion': { 'S': $request.homeRegion }, 'batchId': { 'S': $batchId }, 'requestedAt': { 'S': $now() }, 'updatedAt': { 'S': $now() },
        'steps': { 'M': { 'record': ${stepValue('DONE')}, 'createAccount': ${stepValue('IN_PROGRESS')} } } } %}`,
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': TENANT_REGISTRY_TABLE.partitionKey },
    }, { assign: { step: 'createAccount' } });
    const readExisting = dynamo('ReadExistingRequest', 'getItem', { Key: `{% ${key} %}`, ConsistentRead: true }, {
      assign: {
        existing: '{% $states.result.Item %}',
        accountId: "{% $exists($states.result.Item.accountId.S) ? $states.result.Item.accountId.S : '' %}",
        createRequestId: "{% $exists($states.result.Item.createAccountRequestId.S) ? $states.result.Item.createAccountRequestId.S : '' %}",
        resumed: true,
      },
    });
    const refused = sfn.Succeed.jsonata(this, 'RequestRefused', {
      outputs: "{% { 'requestId': $request.requestId, 'tenantId': $request.tenantId, 'status': 'REFUSED', 'error': 'Fleet.TenantHeldByAnotherRequest', 'cause': 'tenant ' & $request.tenantId & ': request ' & $request.requestId & ' refused: request ' & $existing.requestId.S & ' is ' & $existing.status.S & ' for this tenant. Fix: ' & ($existing.status.S = 'READY' ? 'the tenant is onboarded already (see its registry item); use another tenant id for a new tenant.' : 'send request ' & $existing.requestId.S & ' again to resume it, or use another tenant id.') } %}",
    });
    const alreadyReady = sfn.Succeed.jsonata(this, 'AlreadyReady', {
      outputs: "{% { 'requestId': $request.requestId, 'tenantId': $request.tenantId, 'status': 'READY', 'accountId': $accountId, 'resumed': true } %}",
    });
    const markResumed = dynamo('MarkResumed', 'updateItem', {
      Key: `{% ${key} %}`,
      UpdateExpression: 'SET #status = :inProgress, #batch = :batch, #updated = :now REMOVE #failedStep',
      ExpressionAttributeNames: { '#status': 'status', '#batch': 'batchId', '#updated': 'updatedAt', '#failedStep': 'failedStep' },
      ExpressionAttributeValues: "{% { ':inProgress': { 'S': 'IN_PROGRESS' }, ':batch': { 'S': $batchId }, ':now': { 'S': $now() } } %}",
    }, { assign: { step: 'createAccount' } });
    readExisting.next(sfn.Choice.jsonata(this, 'SameRequest?')
      .when(sfn.Condition.jsonata('{% $existing.requestId.S != $request.requestId %}'), refused)
      .when(sfn.Condition.jsonata("{% $existing.status.S = 'READY' %}"), alreadyReady)
      .otherwise(markResumed));
    recordRequest.addCatch(readExisting, { errors: ['DynamoDb.ConditionalCheckFailedException'] });
    recordRequest.addCatch(stepFailed, { errors: ['States.ALL'] });
    readExisting.addCatch(stepFailed, { errors: ['States.ALL'] });
    markResumed.addCatch(stepFailed, { errors: ['States.ALL'] });

    // 2. create the account, holding one of the creation slots (the semaphore item of the registry table).
    const throttledOrganizations = (task: tasks.CallAwsService) => task.addRetry({
      errors: TOO_MANY, interval: Duration.seconds(2), backoffRate: 2, maxAttempts: timings.throttleAttempts, maxDelay: Duration.seconds(timings.maxBackoffSeconds), jitterStrategy: sfn.JitterType.FULL,
    });
    const leaseExpiry = `$toMillis($now()) + ${leaseMs}`;
    const slotNames = { '#leases': ACCOUNT_CREATION_SLOTS.leases, '#me': '{% $request.tenantId %}' };
    const createAccount = organizations('CreateAccount', 'createAccount', {
      AccountName: '{% $request.accountName %}',
      Email: '{% $request.email %}',
      Tags: [{ Key: 'fleet:tenant', Value: '{% $request.tenantId %}' }],
    }, { assign: { createRequestId: '{% $states.result.CreateAccountStatus.Id %}', creationAttempts: '{% $creationAttempts + 1 %}' } });
    // Taken only while fewer than the limit are held; the tenant id is the holder, so a resumed request finds its own lease.
    const acquireSlot = dynamo('AcquireCreationSlot', 'updateItem', {
      Key: `{% ${slotKey} %}`,
      UpdateExpression: 'SET #leases.#me = :expiry',
      // The fast path: a free slot and nobody waiting for one.
      ConditionExpression: 'size(#leases) < :limit AND attribute_not_exists(#leases.#me) AND size(#queue) = :zero',
      ExpressionAttributeNames: { ...slotNames, '#queue': ACCOUNT_CREATION_SLOTS.queue },
      ExpressionAttributeValues: `{% { ':expiry': { 'N': $string(${leaseExpiry}) }, ':limit': { 'N': '${slotLimit}' }, ':zero': { 'N': '0' } } %}`,
    }, { assign: { slotHeld: true, slotExpiresAt: `{% ${leaseExpiry} %}` } });
    // What the semaphore holds: leases, the live queue in order of arrival, whether this tenant's
    // turn has come (among the first `free` of the queue), and one expired lease or stale queue
    // entry (a child that crashed) to remove.
    const L = ACCOUNT_CREATION_SLOTS.leases;
    const Q = ACCOUNT_CREATION_SLOTS.queue;
    const readSlots = dynamo('ReadCreationSlots', 'getItem', { Key: `{% ${slotKey} %}`, ConsistentRead: true }, {
      assign: {
        slots: `{% ($l := $states.result.Item.${L}.M; $q := $states.result.Item.${Q}.M; $t := $toMillis($now()); $me := $request.tenantId;
          $live := $exists($q) ? $filter($keys($q), function($k) { $number($lookup($q, $k).M.u.N) > $t }) : undefined;
          $order := $sort($append([], $live), function($a, $b) { ($sa := $number($lookup($q, $a).M.s.N); $sb := $number($lookup($q, $b).M.s.N); $sa > $sb or ($sa = $sb and $a > $b)) });
          $free := ${slotLimit} - $count($keys($l));
          $expired := $exists($l) ? $filter($keys($l), function($k) { $number($lookup($l, $k).N) <= $t }) : undefined;
          $stale := $exists($q) ? $filter($keys($q), function($k) { $number($lookup($q, $k).M.u.N) <= $t and $k != $me }) : undefined;
          {
            'missing': $not($exists($l)) or $not($exists($q)),
            'held': $exists($l) and $exists($lookup($l, $me)),
            'queued': $me in $order,
            'turn': $free > 0 and $me in $order[[0..($free - 1)]],
            'holders': $join($append([], $keys($l)), ', '),
            'victim': $exists($expired) ? { 'map': '${L}', 'key': $expired[0], 'expiry': $lookup($l, $expired[0]).N }
              : $exists($stale) ? { 'map': '${Q}', 'key': $stale[0], 'expiry': $lookup($q, $stale[0]).M.u.N } : null
          }) %}`,
      },
    });
    const initSlots = dynamo('CreateCreationSlots', 'updateItem', {
      Key: `{% ${slotKey} %}`,
      UpdateExpression: 'SET #leases = if_not_exists(#leases, :empty), #queue = if_not_exists(#queue, :empty)',
      ExpressionAttributeNames: { '#leases': L, '#queue': Q },
      ExpressionAttributeValues: { ':empty': { M: {} } },
    });
    const queueEntry = `{ 'M': { 's': { 'N': $string($toMillis($now())) }, 'u': { 'N': $string($toMillis($now()) + ${queueLeaseMs}) } } }`;
    const enqueue = dynamo('QueueForCreationSlot', 'updateItem', {
      Key: `{% ${slotKey} %}`,
      UpdateExpression: 'SET #queue.#me = :entry',
      ExpressionAttributeNames: { '#queue': Q, '#me': '{% $request.tenantId %}' },
      ExpressionAttributeValues: `{% { ':entry': ${queueEntry} } %}`,
    }, { assign: { slotHeld: true, queueUntil: `{% $toMillis($now()) + ${queueLeaseMs} %}` } });
    // A waiter keeps its place by renewing its entry once half of it has run out.
    const keepPlace = dynamo('KeepPlaceInQueue', 'updateItem', {
      Key: `{% ${slotKey} %}`,
      UpdateExpression: 'SET #queue.#me.#until = :until',
      ConditionExpression: 'attribute_exists(#queue.#me)',
      ExpressionAttributeNames: { '#queue': Q, '#me': '{% $request.tenantId %}', '#until': 'u' },
      ExpressionAttributeValues: `{% { ':until': { 'N': $string($toMillis($now()) + ${queueLeaseMs}) } } %}`,
    }, { assign: { queueUntil: `{% $toMillis($now()) + ${queueLeaseMs} %}` } });
    const acquireQueued = dynamo('TakeCreationSlotInTurn', 'updateItem', {
      Key: `{% ${slotKey} %}`,
      UpdateExpression: 'SET #leases.#me = :expiry REMOVE #queue.#me',
      ConditionExpression: 'size(#leases) < :limit AND attribute_not_exists(#leases.#me)',
      ExpressionAttributeNames: { ...slotNames, '#queue': Q },
      ExpressionAttributeValues: `{% { ':expiry': { 'N': $string(${leaseExpiry}) }, ':limit': { 'N': '${slotLimit}' } } %}`,
    }, { assign: { slotHeld: true, slotExpiresAt: `{% ${leaseExpiry} %}` } });
    const reclaimSlot = dynamo('RemoveExpiredLease', 'updateItem', {
      Key: `{% ${slotKey} %}`,
      UpdateExpression: 'REMOVE #map.#victim',
      // Only the lease (or entry) as read: one renewed or removed since is left alone.
      ConditionExpression: `{% $slots.victim.map = '${Q}' ? '#map.#victim.#until = :expiry' : '#map.#victim = :expiry' %}`,
      // DynamoDB refuses a name the expressions do not use.
      ExpressionAttributeNames: `{% $merge([{ '#map': $slots.victim.map, '#victim': $slots.victim.key }, $slots.victim.map = '${Q}' ? { '#until': 'u' } : {}]) %}`,
      ExpressionAttributeValues: "{% { ':expiry': { 'N': $slots.victim.expiry } } %}",
    });
    const retrySlot = sfn.Pass.jsonata(this, 'RetryCreationSlot', { assign: { slotWaits: '{% $slotWaits + 1 %}' } });
    const waitSlot = sfn.Wait.jsonata(this, 'WaitForCreationSlot', { time: jittered(slotWait), assign: { slotWaits: '{% $slotWaits + 1 %}' } });
    const noSlot = failWith('NoCreationSlot', 'Fleet.NoCreationSlot',
      `'tenant ' & $request.tenantId & ': no account creation slot came free after ${maxSlotWaits} waits (${slotLimit} at once, held by ' & $slots.holders & '). Fix: check the creations of those tenants with aws organizations list-create-account-status, then send request ' & $request.requestId & ' again.'`);
    const slotHeldAlready = sfn.Pass.jsonata(this, 'CreationSlotHeldAlready', { assign: { slotHeld: true, slotExpiresAt: 0 } });
    acquireSlot.addCatch(readSlots, { errors: ['DynamoDb.ConditionalCheckFailedException', 'DynamoDb.ValidationException', 'DynamoDb.DynamoDbException'] });
    acquireSlot.addCatch(stepFailed, { errors: ['States.ALL'] });
    // Taken by another first: read again.
    acquireQueued.addCatch(retrySlot, { errors: ['DynamoDb.ConditionalCheckFailedException'] });
    keepPlace.addCatch(waitSlot, { errors: ['States.ALL'] });
    for (const task of [readSlots, initSlots, enqueue, acquireQueued]) task.addCatch(stepFailed, { errors: ['States.ALL'] });
    // Someone else removed or renewed it first: read again.
    reclaimSlot.addCatch(retrySlot, { errors: ['DynamoDb.ConditionalCheckFailedException'] });
    reclaimSlot.addCatch(stepFailed, { errors: ['States.ALL'] });
    readSlots.next(sfn.Choice.jsonata(this, 'CreationSlotFree?')
      .when(sfn.Condition.jsonata('{% $slots.missing %}'), initSlots)
      .when(sfn.Condition.jsonata('{% $slots.held %}'), slotHeldAlready)
      .when(sfn.Condition.jsonata(`{% $slotWaits >= ${maxSlotWaits} %}`), noSlot)
      .when(sfn.Condition.jsonata('{% $slots.victim != null %}'), reclaimSlot)
      .when(sfn.Condition.jsonata('{% $not($slots.queued) %}'), enqueue)
      .when(sfn.Condition.jsonata('{% $slots.turn %}'), acquireQueued)
      .when(sfn.Condition.jsonata(`{% $queueUntil - $toMillis($now()) < ${queueLeaseMs / 2} %}`), keepPlace)
      .otherwise(waitSlot));
    initSlots.next(acquireSlot);
    reclaimSlot.next(retrySlot);
    retrySlot.next(readSlots);
    enqueue.next(readSlots);
    keepPlace.next(waitSlot);
    waitSlot.next(readSlots);
    acquireSlot.next(createAccount);
    acquireQueued.next(createAccount);
    slotHeldAlready.next(createAccount);

    const creationBackOff = sfn.Wait.jsonata(this, 'CreationBackOff', { time: jittered(backoff), assign: { creationAttempts: '{% $creationAttempts + 1 %}' } });
    creationBackOff.next(createAccount);
    // Refused although a slot is held: the organization's limit is lower than maxConcurrentAccountCreations (or other creations run outside the onboarding).
    createAccount.addCatch(sfn.Choice.jsonata(this, 'TooManyCreations?')
      .when(sfn.Condition.jsonata(`{% $states.input.Error in ${JSON.stringify(TOO_MANY).replace(/"/g, "'")} and $creationAttempts < ${maxCreationAttempts} %}`), creationBackOff)
      .otherwise(stepFailed), { errors: ['States.ALL'] });
    const recordCreation = recordStep('RecordCreateRequest', 'createAccount', 'IN_PROGRESS', {
      set: '#createRequest = :createRequest', names: { '#createRequest': 'createAccountRequestId' }, values: "':createRequest': { 'S': $createRequestId }",
    });
    recordCreation.addCatch(stepFailed, { errors: ['States.ALL'] });
    const waitAccount = sfn.Wait.jsonata(this, 'WaitForAccount', { time: jittered(pollSeconds) });
    const describeCreation = organizations('DescribeCreateAccountStatus', 'describeCreateAccountStatus', { CreateAccountRequestId: '{% $createRequestId %}' }, {
      assign: {
        accountPolls: '{% $accountPolls + 1 %}',
        creationState: '{% $states.result.CreateAccountStatus.State %}',
        accountId: "{% $exists($states.result.CreateAccountStatus.AccountId) ? $states.result.CreateAccountStatus.AccountId : '' %}",
        creationFailure: "{% $exists($states.result.CreateAccountStatus.FailureReason) ? $states.result.CreateAccountStatus.FailureReason : '' %}",
      },
    });
    throttledOrganizations(describeCreation);
    describeCreation.addCatch(stepFailed, { errors: ['States.ALL'] });
    const recordAccount = recordStep('RecordAccount', 'createAccount', 'DONE', {
      set: '#account = :account, #steps.#next = :next', names: { '#account': 'accountId', '#next': 'moveAccount' }, next: 'moveAccount',
      values: `':account': { 'S': $accountId }, ':next': ${stepValue('IN_PROGRESS')}`,
    });
    recordAccount.addCatch(stepFailed, { errors: ['States.ALL'] });
    const dailyLimit = failWith('DailyLimitReached', 'Fleet.AccountCreationRateLimitExceeded',
      `'tenant ' & $request.tenantId & ': Organizations did not create account ' & $request.accountName & ': the daily account creation limit is reached (${ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED}). Fix: send request ' & $request.requestId & ' again after 24 hours (it resumes here), or ask AWS Support to raise the limit.'`);
    const creationFailed = failWith('AccountCreationFailed', 'Fleet.AccountCreationFailed',
      "'tenant ' & $request.tenantId & ': Organizations could not create account ' & $request.accountName & ' (' & $request.email & '): ' & $creationFailure & '. Fix: see CreateAccountStatus FailureReason in the Organizations API reference; correct the request and send it under a new request id.'");
    const creationTimedOut = failWith('AccountCreationTimedOut', 'Fleet.AccountCreationTimedOut',
      `'tenant ' & $request.tenantId & ': the account was not created after ${maxPolls} polls (CreateAccount request ' & $createRequestId & '). Fix: check it with aws organizations describe-create-account-status, then send request ' & $request.requestId & ' again.'`);
    // The creation ended (or is given up): its slot is given back before anything else, on every outcome.
    const outcome = sfn.Choice.jsonata(this, 'CreationOutcome?')
      .when(sfn.Condition.jsonata("{% $creationState = 'SUCCEEDED' %}"), recordAccount)
      .when(sfn.Condition.jsonata(`{% $creationState = 'FAILED' and $creationFailure = '${ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED}' %}`), dailyLimit)
      .when(sfn.Condition.jsonata("{% $creationState = 'FAILED' %}"), creationFailed)
      .otherwise(creationTimedOut);
    const releaseSlot = dynamo('ReleaseCreationSlot', 'updateItem', {
      Key: `{% ${slotKey} %}`,
      UpdateExpression: 'REMOVE #leases.#me',
      ConditionExpression: 'attribute_exists(#leases.#me)',
      ExpressionAttributeNames: slotNames,
    }, { assign: { slotHeld: false } });
    // Not held any more (reclaimed after its lease expired) or not reachable: nothing to give back, its lease expires.
    const slotGone = sfn.Pass.jsonata(this, 'CreationSlotGone', { assign: { slotHeld: false } });
    releaseSlot.addCatch(slotGone, { errors: ['States.ALL'] });
    releaseSlot.next(outcome);
    slotGone.next(outcome);
    const creationEnded = sfn.Choice.jsonata(this, 'ReleaseCreationSlot?')
      .when(sfn.Condition.jsonata('{% $slotHeld %}'), releaseSlot)
      .otherwise(outcome);
    // Still in progress: the lease is renewed once half of it has run out, so a long creation keeps its slot.
    const renewSlot = dynamo('RenewCreationSlot', 'updateItem', {
      Key: `{% ${slotKey} %}`,
      UpdateExpression: 'SET #leases.#me = :expiry',
      ConditionExpression: 'attribute_exists(#leases.#me)',
      ExpressionAttributeNames: slotNames,
      ExpressionAttributeValues: `{% { ':expiry': { 'N': $string(${leaseExpiry}) } } %}`,
    }, { assign: { slotExpiresAt: `{% ${leaseExpiry} %}` } });
    const slotLost = sfn.Pass.jsonata(this, 'CreationSlotLost', { assign: { slotHeld: false } });
    renewSlot.addCatch(slotLost, { errors: ['States.ALL'] });
    renewSlot.next(waitAccount);
    slotLost.next(waitAccount);
    const stillCreating = sfn.Choice.jsonata(this, 'RenewCreationSlot?')
      .when(sfn.Condition.jsonata(`{% $slotHeld and $slotExpiresAt - $toMillis($now()) < ${leaseMs / 2} %}`), renewSlot)
      .otherwise(waitAccount);
    waitAccount.next(describeCreation);
    describeCreation.next(sfn.Choice.jsonata(this, 'AccountCreated?')
      .when(sfn.Condition.jsonata(`{% $creationState in ['SUCCEEDED', 'FAILED'] or $accountPolls >= ${maxPolls} %}`), creationEnded)
      .otherwise(stillCreating));
    createAccount.next(recordCreation);
    recordCreation.next(waitAccount);

    // Resuming a request whose creation id was never recorded (a crash between CreateAccount and
    // recording its id): find that creation before creating one. In progress, by account name in
    // ListCreateAccountStatus (its entries carry no email); completed, by email in ListAccounts
    // (an email belongs to one AWS account). Both paginate (Organizations API reference).
    const nextToken = "$exists($states.result.NextToken) ? $states.result.NextToken : ''";
    const findCreation = organizations('FindCreationInProgress', 'listCreateAccountStatus',
      // One JSONata expression for the whole Arguments: NextToken is absent on the first page.
      "{% $merge([{ 'States': ['IN_PROGRESS'] }, $lookupToken = '' ? {} : { 'NextToken': $lookupToken }]) %}" as unknown as Record<string, unknown>, {
        assign: {
          createRequestId: "{% ($m := $states.result.CreateAccountStatuses[AccountName = $request.accountName]; $exists($m) ? $m[0].Id : '') %}",
          lookupToken: `{% ${nextToken} %}`,
        },
      });
    const findAccount = organizations('FindCreatedAccount', 'listAccounts',
      "{% $lookupToken = '' ? {} : { 'NextToken': $lookupToken } %}" as unknown as Record<string, unknown>, {
        assign: {
          accountId: "{% ($m := $states.result.Accounts[$lowercase(Email) = $lowercase($request.email)]; $exists($m) ? $m[0].Id : '') %}",
          lookupToken: `{% ${nextToken} %}`,
        },
      });
    for (const task of [findCreation, findAccount]) {
      throttledOrganizations(task);
      task.addCatch(stepFailed, { errors: ['States.ALL'] });
    }
    // Found in progress: its id is recorded and polled; the crashed run's lease (if any) is this tenant's and is given back at the end.
    const adoptCreation = sfn.Pass.jsonata(this, 'AdoptCreationInProgress', { assign: { slotHeld: true, slotExpiresAt: 0 } });
    adoptCreation.next(recordCreation);
    const adoptAccount = sfn.Pass.jsonata(this, 'AdoptCreatedAccount', { assign: { slotHeld: true, creationState: 'SUCCEEDED' } });
    adoptAccount.next(creationEnded);
    findCreation.next(sfn.Choice.jsonata(this, 'CreationInProgress?')
      .when(sfn.Condition.jsonata("{% $createRequestId != '' %}"), adoptCreation)
      .when(sfn.Condition.jsonata("{% $lookupToken != '' %}"), findCreation)
      .otherwise(findAccount));
    findAccount.next(sfn.Choice.jsonata(this, 'AccountCreatedBefore?')
      .when(sfn.Condition.jsonata("{% $accountId != '' %}"), adoptAccount)
      .when(sfn.Condition.jsonata("{% $lookupToken != '' %}"), findAccount)
      .otherwise(acquireSlot));

    // Resuming: an account already created is not created again; a creation already requested is polled.
    const pollRecorded = sfn.Pass.jsonata(this, 'PollRecordedCreation', { assign: { slotHeld: true, slotExpiresAt: 0 } });
    pollRecorded.next(waitAccount);
    const resumeAt = sfn.Choice.jsonata(this, 'AccountState?')
      .when(sfn.Condition.jsonata("{% $accountId != '' %}"), recordAccount)
      .when(sfn.Condition.jsonata("{% $createRequestId != '' %}"), pollRecorded)
      .otherwise(findCreation);
    markResumed.next(resumeAt);
    recordRequest.next(acquireSlot);

    // 3. move it to its OU (idempotent: ListParents first).
    const listParents = organizations('ListParents', 'listParents', { ChildId: '{% $accountId %}' }, {
      assign: { parentId: '{% $states.result.Parents[0].Id %}' },
    });
    const moveAccount = organizations('MoveAccount', 'moveAccount', {
      AccountId: '{% $accountId %}', SourceParentId: '{% $parentId %}', DestinationParentId: '{% $request.organizationalUnitId %}',
    });
    for (const task of [listParents, moveAccount]) {
      task.addRetry({ errors: TOO_MANY, interval: Duration.seconds(2), backoffRate: 2, maxAttempts: timings.throttleAttempts, maxDelay: Duration.seconds(timings.maxBackoffSeconds), jitterStrategy: sfn.JitterType.FULL });
    }
    const recordMoved = recordStep('RecordMoved', 'moveAccount', 'DONE', {
      set: '#steps.#next = :next', names: { '#next': 'baseline' }, next: 'baseline', values: `':next': ${stepValue('IN_PROGRESS')}`,
    });
    recordMoved.addCatch(stepFailed, { errors: ['States.ALL'] });
    listParents.addCatch(stepFailed, { errors: ['States.ALL'] });
    // Already there (a move that went through before a crash): nothing to do.
    moveAccount.addCatch(recordMoved, { errors: ['Organizations.DuplicateAccountException'], outputs: '{% $states.input %}' });
    moveAccount.addCatch(stepFailed, { errors: ['States.ALL'] });
    recordAccount.next(listParents);
    listParents.next(sfn.Choice.jsonata(this, 'InItsOU?')
      .when(sfn.Condition.jsonata('{% $parentId = $request.organizationalUnitId %}'), recordMoved)
      .otherwise(moveAccount));
    moveAccount.next(recordMoved);

    // 4. the baseline, deployed by its StackSet's automatic deployment to the OU.
    const waitBaseline = sfn.Wait.jsonata(this, 'WaitForBaseline', { time: jittered(pollSeconds) });
    const describeBaseline = tasks.CallAwsService.jsonata(this, 'DescribeBaselineInstance', {
      service: 'cloudformation', action: 'describeStackInstance', iamAction: 'cloudformation:DescribeStackInstance',
      iamResources: [`arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stackset/${stackSetName}:*`],
      parameters: { StackSetName: stackSetName, StackInstanceAccount: '{% $accountId %}', StackInstanceRegion: '{% $region %}', CallAs: 'DELEGATED_ADMIN' },
      assign: {
        baselinePolls: '{% $baselinePolls + 1 %}',
        baselineState: "{% $exists($states.result.StackInstance.StackInstanceStatus.DetailedStatus) ? $states.result.StackInstance.StackInstanceStatus.DetailedStatus : 'PENDING' %}",
        baselineReason: "{% $exists($states.result.StackInstance.StatusReason) ? $states.result.StackInstance.StatusReason : '' %}",
      },
    });
    retryThrottling(describeBaseline, timings);
    // No instance yet: the automatic deployment has not picked the account up.
    const noInstanceYet = sfn.Pass.jsonata(this, 'NoBaselineInstanceYet', { assign: { baselinePolls: '{% $baselinePolls + 1 %}', baselineState: 'NONE' } });
    describeBaseline.addCatch(noInstanceYet, { errors: ['CloudFormation.StackInstanceNotFoundException'] });
    describeBaseline.addCatch(stepFailed, { errors: ['States.ALL'] });
    const baselineFailed = failWith('BaselineFailed', 'Fleet.BaselineFailed',
      `'tenant ' & $request.tenantId & ': the ${stackSetName} instance in account ' & $accountId & ' (' & $region & ') is ' & $baselineState & ': ' & $baselineReason & '. Fix: see the StackSet operation in the CloudFormation console, fix the cause, then send request ' & $request.requestId & ' again.'`);
    const baselineTimedOut = failWith('BaselineTimedOut', 'Fleet.BaselineTimedOut',
      `'tenant ' & $request.tenantId & ': no ${stackSetName} instance SUCCEEDED in account ' & $accountId & ' (' & $region & ') after ${maxPolls} polls (last: ' & $baselineState & '). Fix: make ' & $request.organizationalUnitId & ' a target OU of ${stackSetName} with automatic deployment in ' & $region & ', then send request ' & $request.requestId & ' again.'`);
    const recordBaseline = recordStep('RecordBaseline', 'baseline', 'DONE', {
      set: '#steps.#next = :next', names: { '#next': 'services' }, next: 'services', values: `':next': ${stepValue('IN_PROGRESS')}`,
    });
    recordBaseline.addCatch(stepFailed, { errors: ['States.ALL'] });
    const baselineDone = sfn.Choice.jsonata(this, 'BaselineReady?')
      .when(sfn.Condition.jsonata("{% $baselineState = 'SUCCEEDED' %}"), recordBaseline)
      .when(sfn.Condition.jsonata("{% $baselineState in ['FAILED', 'CANCELLED', 'INOPERABLE', 'FAILED_IMPORT', 'SKIPPED_SUSPENDED_ACCOUNT'] %}"), baselineFailed)
      .when(sfn.Condition.jsonata(`{% $baselinePolls >= ${maxPolls} %}`), baselineTimedOut)
      .otherwise(waitBaseline);
    recordMoved.next(waitBaseline);
    waitBaseline.next(describeBaseline);
    describeBaseline.next(baselineDone);
    noInstanceYet.next(baselineDone);

    // 5. every service at its current release, a dependency level at a time, by the rollout engine's own deployment.
    const deployment = new RolloutDeployment(this, 'Deployment', { table: props.statusTable, timings });
    const deployLevel = sfn.Map.jsonata(this, 'DeployLevel', {
      items: sfn.ProvideItems.jsonata(`{% $append([], $map($levels[$levelIndex], function($s) { { 'rolloutId': 'onboard-' & $request.requestId, 'item': $merge([$s, {
        'tenantId': $request.tenantId, 'accountId': $accountId, 'region': $region,
        'deployRoleArn': 'arn:' & $partition & ':iam::' & $accountId & ':role/${FLEET_DEPLOY_ROLE_NAME}',
        'rollbackAlarmArns': $append([], $map($s.rollbackAlarmNames, function($n) { 'arn:' & $partition & ':cloudwatch:' & $region & ':' & $accountId & ':alarm:' & $n }))
      }]) } })) %}`),
      assign: { levelIndex: '{% $levelIndex + 1 %}' },
    });
    deployLevel.itemProcessor(deployment.startState);
    deployLevel.addCatch(stepFailed, { errors: ['States.ALL'] });
    const services = `$merge($map($reduce($levels, function($a, $l) { $append($a, $l) }, []), function($s) { { $s.service: { 'S': $s.releaseId } } }))`;
    const register = dynamo('RegisterTenant', 'updateItem', {
      Key: `{% ${key} %}`,
      UpdateExpression: 'SET #steps.#services = :done, #steps.#register = :done, #status = :ready, #account = :account, #services = :services, #readyAt = :now, #updated = :now',
      ExpressionAttributeNames: { '#steps': 'steps', '#services': 'services', '#register': 'register', '#status': 'status', '#account': 'accountId', '#readyAt': 'readyAt', '#updated': 'updatedAt' },
      ExpressionAttributeValues: `{% { ':done': ${stepValue('DONE')}, ':ready': { 'S': 'READY' }, ':account': { 'S': $accountId }, ':services': { 'M': $count($levels) = 0 ? {} : ${services} }, ':now': { 'S': $now() } } %}`,
    });
    register.addCatch(stepFailed, { errors: ['States.ALL'] });
    const ready = sfn.Succeed.jsonata(this, 'TenantReady', {
      outputs: "{% { 'requestId': $request.requestId, 'tenantId': $request.tenantId, 'status': 'READY', 'accountId': $accountId, 'resumed': $resumed } %}",
    });
    const moreLevels = sfn.Choice.jsonata(this, 'MoreLevels?')
      .when(sfn.Condition.jsonata('{% $levelIndex < $count($levels) %}'), deployLevel)
      .otherwise(sfn.Pass.jsonata(this, 'AllServicesDeployed', { assign: { step: 'register' } }).next(register));
    recordBaseline.next(moreLevels);
    deployLevel.next(moreLevels);
    register.next(ready);

    const reservedId = sfn.Succeed.jsonata(this, 'ReservedTenantId', {
      outputs: `{% { 'requestId': $request.requestId, 'tenantId': $request.tenantId, 'status': 'REFUSED', 'error': 'Fleet.ReservedTenantId', 'cause': 'tenant ' & $request.tenantId & ': the id names the creation-slot item of the registry table, not a tenant. Fix: use a kebab-case tenant id, as in tenants.ts.' } %}`,
    });
    begin.next(sfn.Choice.jsonata(this, 'HomeRegion?')
      .when(sfn.Condition.jsonata(`{% $request.tenantId = '${ACCOUNT_CREATION_SLOTS.key}' %}`), reservedId)
      .when(sfn.Condition.jsonata('{% $request.homeRegion != $region %}'), wrongRegion)
      .otherwise(recordRequest));

    const tenants = sfn.DistributedMap.jsonata(this, 'OnboardTenants', {
      label: 'Tenants',
      mapExecutionType: sfn.StateMachineType.STANDARD,
      items: sfn.ProvideItems.jsonata('{% $states.input.requests %}'),
      maxConcurrency: props.maxConcurrentOnboardings ?? 15,
      // Every child ends in a Succeed with its result (READY, FAILED, REFUSED); an unexpected
      // failure of one child must not stop the others.
      toleratedFailurePercentage: 100,
      itemSelector: {
        request: '{% $states.context.Map.Item.Value %}',
        batchId: '{% $states.input.batchId %}', region: '{% $states.input.region %}', partition: '{% $states.input.partition %}',
        levels: '{% $states.input.levels %}', managementAccountId: '{% $managementAccountId %}',
      },
    });
    tenants.itemProcessor(begin, { mode: sfn.ProcessorMode.DISTRIBUTED, executionType: sfn.ProcessorType.STANDARD });
    const done = sfn.Succeed.jsonata(this, 'BatchDone', {
      outputs: `{% ($r := $append([], $filter($states.input, function($x) { $exists($x.status) })); {
        'batchId': $batchId,
        'ready': $count($r[status = 'READY']), 'failed': $count($r[status = 'FAILED']), 'refused': $count($r[status = 'REFUSED']),
        'tenants': $r
      }) %}`,
    });
    const start = sfn.Pass.jsonata(this, 'StartBatch', { assign: { batchId: '{% $states.input.batchId %}' } });
    start.next(describeOrganization);
    describeOrganization.next(tenants);
    tenants.next(done);
    return start;
  }

  private acknowledge(props: TenantOnboardingProps): void {
    const role = props.role;
    const policy = role.node.tryFindChild('DefaultPolicy') ?? role;
    const stackSetName = props.baselineStackSetName ?? 'fleet-tenant-baseline';
    const reasons: Array<[string, string]> = [
      [`arn:${Aws.PARTITION}:iam::*:role/${FLEET_ACCOUNT_FACTORY_ROLE_NAME}`, `The management account's account factory role, read from DescribeOrganization; denied outside organization ${props.organizationId} (aws:ResourceOrgID)`],
      ['*', 'Organizations DescribeOrganization supports no resource-level permissions; the account calls run with the account factory role\'s credentials'],
      [`arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:stackset/${stackSetName}:*`, 'The baseline StackSet (its id suffix is generated)'],
      [`arn:${Aws.PARTITION}:iam::*:role/${FLEET_DEPLOY_ROLE_NAME}`, `Any new account's deploy role, denied outside organization ${props.organizationId} (aws:ResourceOrgID)`],
      [`arn:${Aws.PARTITION}:cloudformation:*:*:stack/fleet-*/*`, 'The fleet stacks of the new account, called with its deploy role\'s credentials'],
    ];
    for (const [resource, reason] of reasons) {
      Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceName(this, resource)}]`, reason });
    }
    const mapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (mapPolicy) {
      const machineId = Stack.of(this).getLogicalId(this.stateMachine.node.defaultChild as any);
      const name = JSON.stringify({ 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: machineId }] }] });
      for (const suffix of [':*', '/Tenants:*']) {
        Validations.of(mapPolicy).acknowledge({
          id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}${suffix}]`,
          reason: 'Child executions and Map Runs of the onboarding state machine only (Distributed Map, redrive)',
        });
      }
    }
  }
}

/**
 * The Credentials of the Organizations calls: the account factory role of the management
 * account (its id from DescribeOrganization). CDK grants `sts:AssumeRole` on `resource`.
 */
class AccountFactoryRole extends sfn.TaskRole {
  public readonly roleArn = '{% $factoryRoleArn %}';
  public constructor(public readonly resource: string) {
    super();
  }
}
