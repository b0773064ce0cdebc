import { FLEET_CFN_EXECUTION_ROLE_NAME, FLEET_DEPLOY_ROLE_NAME, RELEASE_STATUS_TABLE, ROLLOUT_CONTROL_PARTITION } from '@fleet/contracts';
import { Aws, Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/**
 * The error names the AWS SDK integrations raise when throttled. Step Functions names an
 * `aws-sdk:*` error `<Service>.<exception class>`; CloudFormation and CloudWatch throttle with
 * the error code `Throttling` ("Rate exceeded"), which has no modeled exception class, so it
 * surfaces as the service's generic exception and is told apart by its cause (`isThrottled`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
 */
export const THROTTLING_ERRORS = [
  'CloudFormation.ThrottlingException', 'CloudFormation.Throttling',
  'CloudWatch.ThrottlingException', 'CloudWatch.Throttling',
  'DynamoDb.ThrottlingException', 'DynamoDb.ProvisionedThroughputExceededException', 'DynamoDb.RequestLimitExceededException',
  'Sts.ThrottlingException',
];

/** JSONata: is the caught error (the state input of a catcher) a throttling answer? */
const IS_THROTTLED = "($contains($string($states.input.Error), 'Throttl') or $contains($string($states.input.Cause), 'Rate exceeded') or $contains($string($states.input.Cause), 'Throttling'))";

/** Tunables of the child workflow (one deployment). */
export interface RolloutDeploymentTimings {
  /** Base of the jittered poll Waits, seconds. */
  readonly pollSeconds: number;
  /** Polls of one change set or stack operation before the deployment is recorded FAILED. */
  readonly maxPolls: number;
  /** Back-off attempts of a throttled call before it counts as failed. */
  readonly throttleAttempts: number;
  /** Longest back-off, seconds. */
  readonly maxBackoffSeconds: number;
  /** Seconds between checks of a paused rollout. */
  readonly pausePollSeconds: number;
  /**
   * The shortest stack update expected, seconds: the first Wait after ExecuteChangeSet lasts this
   * long, then the jittered polls start. No update completes earlier, so completion is detected
   * no later, with fewer polls (each poll is three state transitions, billed). Undefined: poll
   * from the start.
   */
  readonly minimumStackUpdateSeconds?: number;
  /** Per service (the item's `service`), overriding `minimumStackUpdateSeconds`. */
  readonly minimumStackUpdateSecondsByService?: Readonly<Record<string, number>>;
}

/** Retry policy of every SDK call on throttling: exponential, capped, full jitter. */
export function retryThrottling(task: sfn.TaskStateBase, timings: RolloutDeploymentTimings): void {
  task.addRetry({
    errors: THROTTLING_ERRORS,
    interval: Duration.seconds(1),
    backoffRate: 2,
    maxAttempts: timings.throttleAttempts,
    maxDelay: Duration.seconds(timings.maxBackoffSeconds),
    jitterStrategy: sfn.JitterType.FULL,
  });
}

/**
 * The child of a wave's Distributed Map: one (tenant, service, Region) deployment, from the item
 * `{ item: RolloutItem, rolloutId }`. All states are JSONata; variables hold the item.
 *
 * 1. Read the status item; skip with no CloudFormation call when `deployedRelease` is the release.
 * 2. Read the rollout's control item (PAUSED waits, ABORTED skips), then record the desired
 *    release, IN_PROGRESS.
 * 3. DescribeStacks (deploy role credentials): missing or REVIEW_IN_PROGRESS => CREATE, an
 *    operation in progress (a crashed run's) => poll it, ROLLBACK_COMPLETE (a failed first
 *    create, which CloudFormation lets nobody update) => DeleteStack, poll until the name is
 *    free, then CREATE; else UPDATE.
 * 4. CreateChangeSet named from the release id with the RollbackConfiguration; AlreadyExists is
 *    the same change set of an earlier attempt => resume by describing it.
 * 5. Poll DescribeChangeSet with jittered Waits: "didn't contain changes" => UNCHANGED; already
 *    executed (resume) => poll the stack; CREATE_COMPLETE => ExecuteChangeSet.
 * 6. Poll DescribeStacks until complete, failed or rolled back; record DEPLOYED (with
 *    `deployedRelease`), FAILED or ROLLED_BACK (with the reason). Failures end in a Fail state
 *    so the Map Run counts them against the wave's tolerance.
 */
export class RolloutDeployment extends Construct {
  public readonly startState: sfn.IChainable;

  public constructor(scope: Construct, id: string, props: { table: dynamodb.ITable; timings: RolloutDeploymentTimings }) {
    super(scope, id);
    const { table, timings } = props;
    const deployRoles = `arn:${Aws.PARTITION}:iam::*:role/${FLEET_DEPLOY_ROLE_NAME}`;
    const credentials: sfn.Credentials = { role: new DeployRole(deployRoles) };
    const tenantStacks = `arn:${Aws.PARTITION}:cloudformation:*:*:stack/fleet-*/*`;
    const statusKey = `{ '${RELEASE_STATUS_TABLE.partitionKey}': { 'S': $item.tenantId }, '${RELEASE_STATUS_TABLE.sortKey}': { 'S': $item.service & '#' & $item.region } }`;
    const jitteredWait = `{% $round(${timings.pollSeconds} + $random() * ${timings.pollSeconds}) %}`;

    const dynamo = (sid: string, action: 'getItem' | 'updateItem', args: Record<string, unknown>, extra: Partial<tasks.CallAwsServiceJsonataProps> = {}) => {
      const task = tasks.CallAwsService.jsonata(this, sid, {
        service: 'dynamodb', action, iamAction: `dynamodb:${action[0].toUpperCase()}${action.slice(1)}`,
        iamResources: [table.tableArn], parameters: { TableName: table.tableName, ...args }, ...extra,
      });
      retryThrottling(task, timings);
      return task;
    };
    const cfn = (sid: string, action: string, args: Record<string, unknown>, extra: Partial<tasks.CallAwsServiceJsonataProps> = {}) => {
      const task = tasks.CallAwsService.jsonata(this, sid, {
        service: 'cloudformation', action, iamAction: `cloudformation:${action[0].toUpperCase()}${action.slice(1)}`,
        // The call runs with the deploy role's credentials in the tenant account; this grant is
        // what CDK derives for the engine role and names the tenant stacks only.
        // The answer's fields the next states read are assigned to variables (extra.assign): the
        // state passes on nothing, so no API answer rides along as the input of the Waits and
        // Choices after it (smaller history events; thousands of children hold less while parked).
        iamResources: [tenantStacks], parameters: args, credentials, outputs: {}, ...extra,
      });
      retryThrottling(task, timings);
      return task;
    };
    const record = (sid: string, status: string, withDeployed: boolean, reason: string) => dynamo(sid, 'updateItem', {
      Key: `{% ${statusKey} %}`,
      UpdateExpression: withDeployed
        ? 'SET #status = :status, #reason = :reason, #deployed = :release, #rollout = :rollout, #updated = :now'
        : 'SET #status = :status, #reason = :reason, #rollout = :rollout, #updated = :now',
      ExpressionAttributeNames: {
        '#status': 'status', '#reason': 'reason', '#rollout': 'rolloutId', '#updated': 'updatedAt',
        ...(withDeployed ? { '#deployed': 'deployedRelease' } : {}),
      },
      ExpressionAttributeValues: `{% { ':status': { 'S': '${status}' }, ':reason': { 'S': ${reason} }, ':rollout': { 'S': $rolloutId }, ':now': { 'S': $now() }${withDeployed ? ", ':release': { 'S': $item.releaseId }" : ''} } %}`,
    }, { outputs: `{% { 'tenantId': $item.tenantId, 'service': $item.service, 'region': $item.region, 'releaseId': $item.releaseId, 'status': '${status}', 'reason': ${reason} } %}` });

    // 1. The status item.
    const begin = sfn.Pass.jsonata(this, 'StartDeployment', {
      assign: {
        item: '{% $states.input.item %}',
        rolloutId: '{% $states.input.rolloutId %}',
        polls: 0,
        throttles: 0,
        stackStatus: '',
        stackReason: '',
        changeSetStatus: '',
        changeSetReason: '',
        executionStatus: '',
        failure: '',
      },
    });
    const readStatus = dynamo('ReadStatus', 'getItem', { Key: `{% ${statusKey} %}`, ConsistentRead: true }, {
      assign: { deployedRelease: "{% $exists($states.result.Item.deployedRelease.S) ? $states.result.Item.deployedRelease.S : '' %}" },
    });
    // Skipped items write nothing: an unchanged release costs one read and no CloudFormation call.
    const skip = sfn.Succeed.jsonata(this, 'AlreadyAtRelease', {
      outputs: "{% { 'tenantId': $item.tenantId, 'service': $item.service, 'region': $item.region, 'releaseId': $item.releaseId, 'status': 'SKIPPED', 'reason': 'already at the release' } %}",
    });

    // 2. Desired release.
    const markInProgress = dynamo('RecordDesiredRelease', 'updateItem', {
      Key: `{% ${statusKey} %}`,
      UpdateExpression: 'SET #desired = :release, #status = :status, #rollout = :rollout, #updated = :now REMOVE #reason',
      ExpressionAttributeNames: { '#desired': 'desiredRelease', '#status': 'status', '#rollout': 'rolloutId', '#updated': 'updatedAt', '#reason': 'reason' },
      ExpressionAttributeValues: "{% { ':release': { 'S': $item.releaseId }, ':status': { 'S': 'IN_PROGRESS' }, ':rollout': { 'S': $rolloutId }, ':now': { 'S': $now() } } %}",
    });

    // Terminal records.
    const recordDeployed = record('RecordDeployed', 'DEPLOYED', true, "'stack ' & $stackStatus");
    const recordUnchanged = record('RecordUnchanged', 'UNCHANGED', true, "'the template and parameters did not change'");
    const recordRolledBack = record('RecordRolledBack', 'ROLLED_BACK', false, "$stackStatus & ': ' & $stackReason");
    const recordFailed = record('RecordFailed', 'FAILED', false, '$failure');
    const failed = sfn.Fail.jsonata(this, 'DeploymentFailed', {
      error: 'Fleet.DeploymentFailed',
      cause: "{% $item.tenantId & ' ' & $item.service & ' ' & $item.region & ': ' & $states.input.reason %}",
    });
    // RecordDeployed and RecordUnchanged end the child: their output is its output (a Succeed
    // after them was one more billed transition per deployment).
    recordRolledBack.next(failed);
    recordFailed.next(failed);
    // Any error left after the retries is this deployment's failure, recorded with its cause.
    const failure = sfn.Pass.jsonata(this, 'CallFailed', {
      assign: { failure: "{% $string($states.input.Error) & ': ' & $string($states.input.Cause) %}" },
    }).next(recordFailed);
    // A throttled call whose Retry is spent, or a throttling answer without a modeled exception
    // ("Rate exceeded" as the generic service exception): back off with full jitter and call
    // again, at most `throttleAttempts` times per deployment; any other error is the failure.
    const failWith = (task: sfn.TaskStateBase, next: sfn.IChainable = failure) => {
      const id = task.node.id;
      const backOff = sfn.Wait.jsonata(this, `${id}BackOff`, {
        time: sfn.WaitTime.seconds(`{% $round($random() * $min([${timings.maxBackoffSeconds}, $power(2, $throttles + 1)])) %}`),
        assign: { throttles: '{% $throttles + 1 %}' },
      });
      backOff.next(task);
      task.addCatch(sfn.Choice.jsonata(this, `${id}Throttled?`)
        .when(sfn.Condition.jsonata(`{% ${IS_THROTTLED} and $throttles < ${timings.throttleAttempts} %}`), backOff)
        .otherwise(next), { errors: ['States.ALL'] });
    };

    // 3. The stack as it is.
    const describeStack = cfn('DescribeStack', 'describeStacks', { StackName: '{% $item.stackName %}' }, {
      assign: { stackStatus: '{% $states.result.Stacks[0].StackStatus %}' },
    });
    // DescribeStacks answers a missing stack with ValidationError "Stack with id X does not exist";
    // the rule assigns stackStatus NONE itself (a Pass there was one more billed transition).
    const classifyDescribeError = sfn.Choice.jsonata(this, 'StackMissing?');

    // CloudFormation's service role in the tenant account, in the deploy role's partition.
    const executionRoleArn = `{% 'arn:' & $split($item.deployRoleArn, ':')[1] & ':iam::' & $item.accountId & ':role/${FLEET_CFN_EXECUTION_ROLE_NAME}' %}`;

    // 4. The change set.
    const createChangeSet = cfn('CreateChangeSet', 'createChangeSet', {
      StackName: '{% $item.stackName %}',
      ChangeSetName: '{% $item.changeSetName %}',
      ChangeSetType: "{% ($stackStatus = 'NONE' or $stackStatus = 'REVIEW_IN_PROGRESS') ? 'CREATE' : 'UPDATE' %}",
      TemplateURL: '{% $item.templateUrl %}',
      Parameters: '{% $item.parameters %}',
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      RoleARN: executionRoleArn,
      // Rollback triggers belong to the change set: ExecuteChangeSet takes none.
      RollbackConfiguration: {
        RollbackTriggers: "{% [$map($item.rollbackAlarmArns, function($arn) { { 'Arn': $arn, 'Type': 'AWS::CloudWatch::Alarm' } })] %}",
        MonitoringTimeInMinutes: '{% $item.monitoringTimeInMinutes %}',
      },
      ClientToken: '{% $item.changeSetName %}',
    }, { assign: { polls: 0 } });
    const waitChangeSet = sfn.Wait.jsonata(this, 'WaitForChangeSet', { time: sfn.WaitTime.seconds(jitteredWait) });
    const describeChangeSet = cfn('DescribeChangeSet', 'describeChangeSet', {
      StackName: '{% $item.stackName %}', ChangeSetName: '{% $item.changeSetName %}',
    }, {
      assign: {
        polls: '{% $polls + 1 %}',
        changeSetStatus: '{% $states.result.Status %}',
        executionStatus: "{% $exists($states.result.ExecutionStatus) ? $states.result.ExecutionStatus : '' %}",
        changeSetReason: "{% $exists($states.result.StatusReason) ? $states.result.StatusReason : '' %}",
      },
    });
    const changeSetState = sfn.Choice.jsonata(this, 'ChangeSetReady?');
    const executeChangeSet = cfn('ExecuteChangeSet', 'executeChangeSet', {
      StackName: '{% $item.stackName %}', ChangeSetName: '{% $item.changeSetName %}', ClientRequestToken: '{% $item.changeSetName %}',
    }, { assign: { polls: 0 } });

    // 6. The stack operation.
    const waitStack = sfn.Wait.jsonata(this, 'WaitForStack', { time: sfn.WaitTime.seconds(jitteredWait) });
    const pollStack = cfn('PollStack', 'describeStacks', { StackName: '{% $item.stackName %}' }, {
      assign: {
        polls: '{% $polls + 1 %}',
        stackStatus: '{% $states.result.Stacks[0].StackStatus %}',
        stackReason: "{% $exists($states.result.Stacks[0].StackStatusReason) ? $states.result.Stacks[0].StackStatusReason : '' %}",
      },
    });
    const stackState = sfn.Choice.jsonata(this, 'StackDone?');

    const tooManyPolls = `{% $polls >= ${timings.maxPolls} %}`;
    const timedOut = sfn.Pass.jsonata(this, 'TimedOut', {
      assign: { failure: `{% 'gave up after ${timings.maxPolls} polls (change set ' & $changeSetStatus & ', stack ' & $stackStatus & ')' %}` },
    }).next(recordFailed);
    const changeSetFailed = sfn.Pass.jsonata(this, 'ChangeSetFailed', {
      assign: { failure: "{% 'change set FAILED: ' & $changeSetReason %}" },
    }).next(recordFailed);

    // 3b. A failed first create left the stack in ROLLBACK_COMPLETE: CloudFormation allows only
    // deleting it (its resources were rolled back already), so delete it and create it again.
    // Only that status is deleted: an UPDATE_ROLLBACK_COMPLETE stack runs the previous release
    // and is updated as usual.
    const deleteFailedCreate = cfn('DeleteFailedCreate', 'deleteStack', {
      StackName: '{% $item.stackName %}',
      RoleARN: executionRoleArn,
      ClientRequestToken: "{% $item.changeSetName & '-delete' %}",
    }, { assign: { polls: 0 } });
    const waitDeletion = sfn.Wait.jsonata(this, 'WaitForDeletion', { time: sfn.WaitTime.seconds(jitteredWait) });
    const pollDeletion = cfn('PollDeletion', 'describeStacks', { StackName: '{% $item.stackName %}' }, {
      assign: {
        polls: '{% $polls + 1 %}',
        stackStatus: '{% $states.result.Stacks[0].StackStatus %}',
        stackReason: "{% $exists($states.result.Stacks[0].StackStatusReason) ? $states.result.Stacks[0].StackStatusReason : '' %}",
      },
    });
    // Deleted: DescribeStacks by name answers "does not exist", and the name is free for CREATE.
    const stackDeleted = sfn.Choice.jsonata(this, 'StackDeleted?')
      .when(sfn.Condition.jsonata("{% $contains($string($states.input.Cause), 'does not exist') %}"), createChangeSet, { assign: { stackStatus: 'NONE' } })
      .otherwise(failure);
    deleteFailedCreate.next(waitDeletion);
    failWith(deleteFailedCreate);
    waitDeletion.next(pollDeletion);
    failWith(pollDeletion, stackDeleted);
    pollDeletion.next(sfn.Choice.jsonata(this, 'DeletionDone?')
      .when(sfn.Condition.jsonata("{% $stackStatus = 'DELETE_FAILED' %}"), sfn.Pass.jsonata(this, 'DeletionFailed', {
        assign: { failure: "{% 'deleting the stack a failed create left in ROLLBACK_COMPLETE: DELETE_FAILED: ' & $stackReason %}" },
      }).next(recordFailed))
      .when(sfn.Condition.jsonata(tooManyPolls), timedOut)
      .otherwise(waitDeletion));

    // Wiring.
    // The rollout's control item, read again before deploying: a pause or an abort during a long
    // wave stops children that have not started their deployment yet.
    const readControl = dynamo('ReadControlBeforeDeploy', 'getItem', {
      Key: `{% { '${RELEASE_STATUS_TABLE.partitionKey}': { 'S': '${ROLLOUT_CONTROL_PARTITION}' }, '${RELEASE_STATUS_TABLE.sortKey}': { 'S': $rolloutId } } %}`,
      ConsistentRead: true,
    }, { assign: { control: "{% $exists($states.result.Item.control.S) ? $states.result.Item.control.S : 'RUNNING' %}" } });
    failWith(readControl);
    const aborted = sfn.Succeed.jsonata(this, 'AbortedBeforeDeploy', {
      outputs: "{% { 'tenantId': $item.tenantId, 'service': $item.service, 'region': $item.region, 'releaseId': $item.releaseId, 'status': 'SKIPPED', 'reason': 'rollout aborted' } %}",
    });
    const paused = sfn.Wait.jsonata(this, 'PausedBeforeDeploy', { time: sfn.WaitTime.duration(Duration.seconds(timings.pausePollSeconds)) });
    paused.next(readControl);
    readControl.next(sfn.Choice.jsonata(this, 'ControlBeforeDeploy?')
      .when(sfn.Condition.jsonata("{% $control = 'ABORTED' %}"), aborted)
      .when(sfn.Condition.jsonata("{% $control = 'PAUSED' %}"), paused)
      .otherwise(markInProgress));
    const readStatusNext = sfn.Choice.jsonata(this, 'AtRelease?')
      .when(sfn.Condition.jsonata('{% $deployedRelease = $item.releaseId %}'), skip)
      .otherwise(readControl);
    readStatus.next(readStatusNext);
    failWith(readStatus);
    failWith(markInProgress);
    markInProgress.next(describeStack);
    failWith(describeStack, classifyDescribeError);
    classifyDescribeError
      .when(sfn.Condition.jsonata("{% $contains($string($states.input.Cause), 'does not exist') %}"), createChangeSet, { assign: { stackStatus: 'NONE' } })
      .otherwise(failure);
    const stackNow = sfn.Choice.jsonata(this, 'OperationInProgress?')
      .when(sfn.Condition.jsonata("{% $stackStatus = 'ROLLBACK_COMPLETE' %}"), deleteFailedCreate)
      // A run that crashed after DeleteStack: wait for the deletion, then create.
      .when(sfn.Condition.jsonata("{% $stackStatus = 'DELETE_IN_PROGRESS' %}"), waitDeletion)
      // A run that crashed after ExecuteChangeSet: wait for that operation instead of starting one.
      .when(sfn.Condition.jsonata("{% $stackStatus != 'REVIEW_IN_PROGRESS' and $contains($stackStatus, '_IN_PROGRESS') %}"), waitStack)
      .otherwise(createChangeSet);
    describeStack.next(stackNow);

    createChangeSet.next(waitChangeSet);
    // The same change set name from an earlier attempt: resume with it (never a second one).
    createChangeSet.addCatch(waitChangeSet, { errors: ['CloudFormation.AlreadyExistsException'], outputs: '{% $states.input %}' });
    failWith(createChangeSet);
    waitChangeSet.next(describeChangeSet);
    failWith(describeChangeSet);
    describeChangeSet.next(changeSetState);
    changeSetState
      .when(sfn.Condition.jsonata("{% $changeSetStatus = 'FAILED' and ($contains($changeSetReason, \"didn't contain changes\") or $contains($changeSetReason, 'No updates are to be performed')) %}"), recordUnchanged)
      .when(sfn.Condition.jsonata("{% $changeSetStatus = 'FAILED' %}"), changeSetFailed)
      .when(sfn.Condition.jsonata("{% $executionStatus = 'EXECUTE_IN_PROGRESS' or $executionStatus = 'EXECUTE_COMPLETE' or $executionStatus = 'EXECUTE_FAILED' %}"), waitStack)
      .when(sfn.Condition.jsonata("{% $changeSetStatus = 'CREATE_COMPLETE' and $executionStatus = 'AVAILABLE' %}"), executeChangeSet)
      .when(sfn.Condition.jsonata(tooManyPolls), timedOut)
      .otherwise(waitChangeSet);
    const firstWait = firstStackWait(timings);
    if (firstWait === undefined) executeChangeSet.next(waitStack);
    else executeChangeSet.next(sfn.Wait.jsonata(this, 'WaitForUpdate', { time: firstWait }).next(pollStack));
    // Already executing (a retried call whose first attempt went through): poll the stack.
    executeChangeSet.addCatch(waitStack, { errors: ['CloudFormation.InvalidChangeSetStatusException'], outputs: '{% $states.input %}' });
    failWith(executeChangeSet);
    waitStack.next(pollStack);
    failWith(pollStack);
    pollStack.next(stackState);
    stackState
      .when(sfn.Condition.jsonata("{% $stackStatus in ['CREATE_COMPLETE', 'UPDATE_COMPLETE', 'IMPORT_COMPLETE'] %}"), recordDeployed)
      .when(sfn.Condition.jsonata("{% $stackStatus in ['ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE'] %}"), recordRolledBack)
      .when(sfn.Condition.jsonata("{% $contains($stackStatus, '_FAILED') %}"), sfn.Pass.jsonata(this, 'StackFailed', {
        assign: { failure: "{% $stackStatus & ': ' & $stackReason %}" },
      }).next(recordFailed))
      .when(sfn.Condition.jsonata(tooManyPolls), timedOut)
      .otherwise(waitStack);

    begin.next(readStatus);
    this.startState = begin;
  }
}

/** The first Wait after ExecuteChangeSet: the service's shortest update, else the fleet's, else none. */
function firstStackWait(timings: RolloutDeploymentTimings): sfn.WaitTime | undefined {
  const byService = timings.minimumStackUpdateSeconds === undefined && timings.minimumStackUpdateSecondsByService === undefined ? undefined : timings.minimumStackUpdateSecondsByService ?? {};
  if (byService === undefined) return undefined;
  const fallback = timings.minimumStackUpdateSeconds ?? 0;
  if (Object.keys(byService).length === 0) return sfn.WaitTime.duration(Duration.seconds(fallback));
  // A JSONata object literal (JSON) of integers keyed by service names the engine validated: data, not code.
  const table = JSON.stringify(byService);
  return sfn.WaitTime.seconds(`{% $exists($lookup(${table}, $item.service)) ? $lookup(${table}, $item.service) : ${fallback} %}`);
}

/**
 * The Credentials of a child's CloudFormation calls: the deploy role of the item's account. CDK
 * grants `sts:AssumeRole` on `resource`; the role name is fixed and the organization condition is
 * added by the engine (`RolloutEngine`), so only deploy roles of the organization can be assumed.
 */
class DeployRole extends sfn.TaskRole {
  public readonly roleArn = '{% $item.deployRoleArn %}';
  public constructor(public readonly resource: string) {
    super();
  }
}
