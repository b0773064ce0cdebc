import { CONTROL_PLANE_OUTPUTS, FLEET_DEPLOY_ROLE_NAME, FLEET_ROLLOUT_ENGINE_ROLE_NAME, RELEASE_STATUS_TABLE, ROLLOUT_CONTROL_PARTITION } from '@fleet/contracts';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { nagResourceName } from '../private/acknowledgments';
import { childPath, optionError } from '../private/errors';
import { checkIntegerRange, checkOrganizationId } from '../private/validation';
import { retryThrottling, RolloutDeployment, RolloutDeploymentTimings } from './rollout-deployment';

/** A service name as the registry spells it (it keys a JSONata object in the definition). */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Properties of a `RolloutEngine`. */
export interface RolloutEngineProps {
  /** The AWS Organizations id: the engine may assume deploy roles of this organization's accounts only. */
  readonly organizationId: string;

  /**
   * Prefix of the per-Region release buckets (`<prefix>-<region>`), readable by the organization only.
   * @default `fleet-releases-<account id>`
   */
  readonly releaseBucketPrefix?: string;

  /**
   * The traffic rule's metric in the control plane account: its Sum over the bake is the wave's
   * executions (for example a metric the tenants' workflows publish, or one a CloudWatch
   * cross-account observability link makes visible here). A metric with no data reads as 0, so
   * the rule fails closed: a silent gate does not pass.
   * @default - `AWS/States` `ExecutionsStarted`, no dimensions
   */
  readonly trafficMetric?: { readonly namespace: string; readonly metricName: string; readonly dimensions?: Readonly<Record<string, string>> };

  /** Seconds between checks of a paused rollout. @default 60 */
  readonly pausePollSeconds?: number;

  /** Base of the jittered Waits between change set and stack polls, seconds (waits are base to 2 x base). @default 10 */
  readonly pollSeconds?: number;

  /**
   * The shortest stack update of the fleet's services, seconds: a child waits this long after
   * ExecuteChangeSet before its first DescribeStacks, then polls every `pollSeconds` to twice
   * that. Completion is detected no later (no update finishes sooner), with fewer polls: each
   * poll is three state transitions, which Standard workflows bill.
   * @default - no first wait: polls start at once
   */
  readonly minimumStackUpdateSeconds?: number;

  /**
   * The shortest stack update per service (by service name), seconds, overriding
   * `minimumStackUpdateSeconds` for those services.
   * @default - `minimumStackUpdateSeconds` for every service
   */
  readonly minimumStackUpdateSecondsByService?: Readonly<Record<string, number>>;

  /** Polls of one change set or stack operation before the deployment counts as failed. @default 360 (about 1.5 h at the default) */
  readonly maxPolls?: number;

  /** Attempts of a throttled call (Retry with full jitter, then as many jittered back-offs). @default 8 */
  readonly throttleAttempts?: number;

  /** The longest back-off of a throttled call, seconds. @default 60 */
  readonly maxBackoffSeconds?: number;

  /**
   * What happens to the status table and the buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN (the deployed state of every tenant is the record of the fleet)
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The rollout engine: a Standard state machine that deploys a release wave by wave.
 *
 * Input: `RolloutInput`. For each wave in order: read the rollout's control item (PAUSED waits
 * and reads again, ABORTED ends the execution as `Fleet.RolloutAborted`); one Distributed Map
 * Run over the wave's items (ItemReader: the JSON array at `itemsKey` in the rollout bucket;
 * MaxConcurrency and ToleratedFailurePercentage from the wave; ResultWriter to the rollout
 * bucket); then the health gate: a bake Wait, the gate's alarms (any in ALARM, or any missing,
 * stops with `Fleet.GateInAlarm`), and the minimum-traffic rule (fewer executions than
 * `minimumExecutions` stops with `Fleet.GateSilent`: a silent gate does not pass).
 *
 * The children are Standard workflows: a deployment waits minutes to hours on CloudFormation,
 * beyond Express's 5 minutes, and Standard runs exactly once per item, which redrive relies on.
 *
 * Query language: JSONata in every state but the Map, which is JSONPath because
 * `ToleratedFailurePercentagePath` has no JSONata form in aws-cdk-lib.
 */
export class RolloutEngine extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly statusTable: dynamodb.Table;
  public readonly rolloutBucket: s3.Bucket;
  public readonly releaseBucket: s3.Bucket;
  /** `<prefix>`: the release bucket of Region R is `<prefix>-R`. */
  public readonly releaseBucketPrefix: string;

  public constructor(scope: Construct, id: string, props: RolloutEngineProps) {
    const path = childPath(scope, id);
    checkOrganizationId(path, props.organizationId);
    checkIntegerRange(path, 'pausePollSeconds', props.pausePollSeconds, 1, 86_400, 'seconds between checks of a paused rollout');
    checkIntegerRange(path, 'pollSeconds', props.pollSeconds, 1, 3_600, 'seconds between polls');
    checkIntegerRange(path, 'minimumStackUpdateSeconds', props.minimumStackUpdateSeconds, 1, 3_600, 'seconds of the shortest stack update');
    for (const [service, seconds] of Object.entries(props.minimumStackUpdateSecondsByService ?? {})) {
      if (!SERVICE_NAME.test(service)) {
        throw optionError(path, 'minimumStackUpdateSecondsByService', 'has a key that is not a service name', service, 'Use the service names of the registry (lowercase letters, digits and dashes, starting with a letter)');
      }
      checkIntegerRange(path, `minimumStackUpdateSecondsByService['${service}']`, seconds, 1, 3_600, 'seconds of the shortest stack update');
    }
    checkIntegerRange(path, 'maxPolls', props.maxPolls, 1, 5_000, 'polls per operation; each child history holds at most 25,000 events');
    checkIntegerRange(path, 'throttleAttempts', props.throttleAttempts, 0, 20, 'attempts of a throttled call');
    checkIntegerRange(path, 'maxBackoffSeconds', props.maxBackoffSeconds, 1, 3_600, 'seconds');
    super(scope, id);
    // ResultWriterV2 (the current ResultWriter) is behind this flag; set for this subtree only.
    this.node.setContext('@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2', true);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const timings: RolloutDeploymentTimings = {
      pollSeconds: props.pollSeconds ?? 10,
      maxPolls: props.maxPolls ?? 360,
      throttleAttempts: props.throttleAttempts ?? 8,
      maxBackoffSeconds: props.maxBackoffSeconds ?? 60,
      pausePollSeconds: props.pausePollSeconds ?? 60,
      minimumStackUpdateSeconds: props.minimumStackUpdateSeconds,
      minimumStackUpdateSecondsByService: props.minimumStackUpdateSecondsByService,
    };

    this.statusTable = new dynamodb.Table(this, 'StatusTable', {
      partitionKey: { name: RELEASE_STATUS_TABLE.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: RELEASE_STATUS_TABLE.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy,
    });

    this.rolloutBucket = privateBucket(this, 'RolloutBucket', removalPolicy);
    this.releaseBucketPrefix = props.releaseBucketPrefix ?? `fleet-releases-${Aws.ACCOUNT_ID}`;
    this.releaseBucket = privateBucket(this, 'ReleaseBucket', removalPolicy, `${this.releaseBucketPrefix}-${Aws.REGION}`);
    // Tenant accounts read templates and code (CloudFormation with the deploy role's credentials);
    // nobody outside the organization can.
    this.releaseBucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ReadableByTheOrganizationOnly',
      principals: [new iam.AnyPrincipal()],
      actions: ['s3:GetObject'],
      resources: [this.releaseBucket.arnForObjects('*')],
      conditions: { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } },
    }));

    const definition = this.definition(props, timings);
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy });
    // A fixed name: the deploy role of every tenant account trusts this role by its ARN.
    const role = new iam.Role(this, 'Role', {
      roleName: FLEET_ROLLOUT_ENGINE_ROLE_NAME,
      assumedBy: new iam.ServicePrincipal('states.amazonaws.com'),
      description: 'The fleet rollout engine: assumes the tenant deploy roles of the organization',
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      role,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: 'Fleet rollout: waves of Distributed Map Runs over the wave lists, gated on alarms and traffic',
    });

    // Deploy roles of the organization only: the role name is fixed, the account is the item's.
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({
      sid: 'AssumeDeployRolesOfTheOrganizationOnly',
      effect: iam.Effect.DENY,
      actions: ['sts:AssumeRole'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'aws:ResourceOrgID': props.organizationId } },
    }));
    this.rolloutBucket.grantReadWrite(this.stateMachine);
    this.acknowledge(props);

    new CfnOutput(this, 'RolloutStateMachineArn', { key: CONTROL_PLANE_OUTPUTS.rolloutStateMachineArn, value: this.stateMachine.stateMachineArn, description: 'The rollout engine fleet rollout start runs.' });
    new CfnOutput(this, 'RolloutBucketName', { key: CONTROL_PLANE_OUTPUTS.rolloutBucketName, value: this.rolloutBucket.bucketName, description: 'Wave lists and results of the rollouts.' });
    new CfnOutput(this, 'ReleaseStatusTableName', { key: CONTROL_PLANE_OUTPUTS.releaseStatusTableName, value: this.statusTable.tableName, description: 'Desired and deployed release per tenant, service and Region.' });
    new CfnOutput(this, 'ReleaseBucketPrefix', { key: CONTROL_PLANE_OUTPUTS.releaseBucketPrefix, value: this.releaseBucketPrefix, description: 'Release buckets are <prefix>-<region>.' });
  }

  private definition(props: RolloutEngineProps, timings: RolloutDeploymentTimings): sfn.IChainable {
    const table = this.statusTable;
    const start = sfn.Pass.jsonata(this, 'StartRollout', {
      assign: { rollout: '{% $states.input %}', waveIndex: 0 },
      outputs: '{% $states.input %}',
    });
    const readControl = tasks.CallAwsService.jsonata(this, 'ReadControl', {
      service: 'dynamodb', action: 'getItem', iamAction: 'dynamodb:GetItem', iamResources: [table.tableArn],
      parameters: {
        TableName: table.tableName,
        Key: `{% { '${RELEASE_STATUS_TABLE.partitionKey}': { 'S': '${ROLLOUT_CONTROL_PARTITION}' }, '${RELEASE_STATUS_TABLE.sortKey}': { 'S': $rollout.rolloutId } } %}`,
        ConsistentRead: true,
      },
      assign: { control: "{% $exists($states.result.Item.control.S) ? $states.result.Item.control.S : 'RUNNING' %}" },
    });
    retryThrottling(readControl, timings);
    const aborted = sfn.Fail.jsonata(this, 'RolloutAborted', { error: 'Fleet.RolloutAborted', cause: "{% 'rollout ' & $rollout.rolloutId & ' aborted after ' & $string($waveIndex) & ' of ' & $string($count($rollout.waves)) & ' waves' %}" });
    const paused = sfn.Wait.jsonata(this, 'Paused', { time: sfn.WaitTime.duration(Duration.seconds(props.pausePollSeconds ?? 60)) });
    const succeeded = sfn.Succeed.jsonata(this, 'RolloutComplete', {
      outputs: "{% { 'rolloutId': $rollout.rolloutId, 'status': 'COMPLETE', 'waves': $count($rollout.waves) } %}",
    });

    const prepareWave = sfn.Pass.jsonata(this, 'PrepareWave', {
      assign: { wave: '{% $rollout.waves[$waveIndex] %}' },
      outputs: `{% ($w := $rollout.waves[$waveIndex]; {
        'rolloutId': $rollout.rolloutId,
        'bucket': $rollout.bucket,
        'itemsKey': $w.itemsKey,
        'resultsPrefix': 'rollouts/' & $rollout.rolloutId & '/results/' & $formatNumber($w.index, '000'),
        'maxConcurrency': $w.maxConcurrency,
        'toleratedFailurePercentage': $w.toleratedFailurePercentage
      }) %}`,
    });
    const deployment = new RolloutDeployment(this, 'Deployment', { table, timings });
    const deployWave = new sfn.DistributedMap(this, 'DeployWave', {
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      label: 'Wave',
      mapExecutionType: sfn.StateMachineType.STANDARD,
      itemReader: new sfn.S3JsonItemReader({ bucket: this.rolloutBucket, key: sfn.JsonPath.stringAt('$.itemsKey') }),
      maxConcurrencyPath: '$.maxConcurrency',
      toleratedFailurePercentagePath: '$.toleratedFailurePercentage',
      itemSelector: { 'item.$': '$$.Map.Item.Value', 'rolloutId.$': '$.rolloutId' },
      resultWriterV2: new sfn.ResultWriterV2({ bucket: this.rolloutBucket, prefix: sfn.JsonPath.stringAt('$.resultsPrefix') }),
      resultPath: sfn.JsonPath.DISCARD,
    });
    deployWave.itemProcessor(deployment.startState, { mode: sfn.ProcessorMode.DISTRIBUTED, executionType: sfn.ProcessorType.STANDARD });
    const waveFailed = sfn.Fail.jsonata(this, 'WaveFailed', {
      error: 'Fleet.WaveFailed',
      cause: "{% 'wave ' & $string($wave.index) & ' (' & $wave.ring & '): ' & $string($states.input.Error) & ': ' & $string($states.input.Cause) %}",
    });
    deployWave.addCatch(waveFailed, { errors: ['States.ALL'] });

    // The health gate.
    const bake = sfn.Wait.jsonata(this, 'Bake', { time: sfn.WaitTime.seconds('{% $wave.gate.bakeSeconds %}') });
    const describeAlarms = tasks.CallAwsService.jsonata(this, 'ReadGateAlarms', {
      service: 'cloudwatch', action: 'describeAlarms', iamAction: 'cloudwatch:DescribeAlarms', iamResources: ['*'],
      parameters: { AlarmNames: '{% $wave.gate.alarmNames %}', AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
      assign: {
        alarming: "{% [$states.result.MetricAlarms[StateValue = 'ALARM'].AlarmName, $states.result.CompositeAlarms[StateValue = 'ALARM'].AlarmName] %}",
        found: '{% [$states.result.MetricAlarms.AlarmName, $states.result.CompositeAlarms.AlarmName] %}',
      },
    });
    retryThrottling(describeAlarms, timings);
    const gateInAlarm = sfn.Fail.jsonata(this, 'GateInAlarm', {
      error: 'Fleet.GateInAlarm',
      cause: "{% 'wave ' & $string($wave.index) & ' gate: in ALARM: ' & $join($alarming, ', ') %}",
    });
    const gateAlarmMissing = sfn.Fail.jsonata(this, 'GateAlarmMissing', {
      error: 'Fleet.GateAlarmMissing',
      cause: "{% 'wave ' & $string($wave.index) & ' gate: no such alarm: ' & $join($wave.gate.alarmNames[$not($ in $found)], ', ') %}",
    });
    const readTraffic = tasks.CallAwsService.jsonata(this, 'ReadGateTraffic', {
      service: 'cloudwatch', action: 'getMetricData', iamAction: 'cloudwatch:GetMetricData', iamResources: ['*'],
      parameters: {
        StartTime: "{% $fromMillis($toMillis($states.context.State.EnteredTime) - ($wave.gate.bakeSeconds < 60 ? 60 : $wave.gate.bakeSeconds) * 1000) %}",
        EndTime: '{% $states.context.State.EnteredTime %}',
        MetricDataQueries: [{
          Id: 'traffic',
          MetricStat: {
            Metric: {
              Namespace: props.trafficMetric?.namespace ?? 'AWS/States',
              MetricName: props.trafficMetric?.metricName ?? 'ExecutionsStarted',
              Dimensions: Object.entries(props.trafficMetric?.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value })),
            },
            Period: '{% $wave.gate.bakeSeconds < 60 ? 60 : $floor($wave.gate.bakeSeconds / 60) * 60 %}',
            Stat: 'Sum',
          },
        }],
      },
      assign: { executions: "{% $sum($states.result.MetricDataResults[Id = 'traffic'].Values) %}" },
    });
    retryThrottling(readTraffic, timings);
    const gateSilent = sfn.Fail.jsonata(this, 'GateSilent', {
      error: 'Fleet.GateSilent',
      cause: "{% 'wave ' & $string($wave.index) & ' gate: ' & $string($executions) & ' executions during the bake, fewer than the ' & $string($wave.gate.minimumExecutions) & ' required (a silent gate does not pass)' %}",
    });
    const nextWave = sfn.Pass.jsonata(this, 'WavePassed', { assign: { waveIndex: '{% $waveIndex + 1 %}' } });

    // The control item is read before each wave and once after the last, so an abort during the
    // last wave ends the rollout as aborted, not complete.
    const moreWaves = sfn.Choice.jsonata(this, 'MoreWaves?')
      .when(sfn.Condition.jsonata('{% $waveIndex < $count($rollout.waves) %}'), prepareWave)
      .otherwise(succeeded);
    start.next(readControl);
    readControl.next(sfn.Choice.jsonata(this, 'Control?')
      .when(sfn.Condition.jsonata("{% $control = 'ABORTED' %}"), aborted)
      .when(sfn.Condition.jsonata("{% $control = 'PAUSED' %}"), paused)
      .otherwise(moreWaves));
    paused.next(readControl);
    prepareWave.next(deployWave);
    deployWave.next(bake);
    const traffic = sfn.Choice.jsonata(this, 'TrafficRule?')
      .when(sfn.Condition.jsonata('{% $wave.gate.minimumExecutions > 0 %}'), readTraffic)
      .otherwise(nextWave);
    bake.next(sfn.Choice.jsonata(this, 'GateAlarms?')
      .when(sfn.Condition.jsonata('{% $count($wave.gate.alarmNames) > 0 %}'), describeAlarms)
      .otherwise(traffic));
    describeAlarms.next(sfn.Choice.jsonata(this, 'AlarmsHealthy?')
      .when(sfn.Condition.jsonata('{% $count($alarming) > 0 %}'), gateInAlarm)
      .when(sfn.Condition.jsonata('{% $count($found) < $count($distinct($wave.gate.alarmNames)) %}'), gateAlarmMissing)
      .otherwise(traffic));
    readTraffic.next(sfn.Choice.jsonata(this, 'EnoughTraffic?')
      .when(sfn.Condition.jsonata('{% $executions >= $wave.gate.minimumExecutions %}'), nextWave)
      .otherwise(gateSilent));
    nextWave.next(readControl);
    return start;
  }

  private acknowledge(props: RolloutEngineProps): void {
    const policy = this.stateMachine.role.node.tryFindChild('DefaultPolicy') ?? this.stateMachine.role;
    const deployRoles = `arn:${Aws.PARTITION}:iam::*:role/${FLEET_DEPLOY_ROLE_NAME}`;
    const reasons: Array<[string, string]> = [
      [deployRoles, `Any account's deploy role, denied outside organization ${props.organizationId} (aws:ResourceOrgID): the accounts come from the wave lists`],
      [`arn:${Aws.PARTITION}:cloudformation:*:*:stack/fleet-*/*`, 'The fleet stacks, called with the deploy role\'s credentials in the tenant account (CDK derives this grant from the tasks)'],
      ['*', 'CloudWatch DescribeAlarms and GetMetricData support no resource-level permissions'],
      [`<${Aws.ACCOUNT_ID}>`, ''],
    ];
    for (const [resource, reason] of reasons) {
      if (!reason) continue;
      Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceName(this, resource)}]`, reason });
    }
    for (const objects of [this.rolloutBucket.arnForObjects('*'), `arn:${Aws.PARTITION}:s3:::${this.rolloutBucket.bucketName}/*`]) {
      Validations.of(policy).acknowledge({ id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagResourceName(this, objects)}]`, reason: 'Wave lists and results under rollouts/ of the engine\'s own bucket' });
    }
    // The Distributed Map's own grant (CDK): its child executions and Map Runs, of this state machine only.
    const mapPolicy = this.stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (mapPolicy) {
      const machineId = Stack.of(this).getLogicalId(this.stateMachine.node.defaultChild as any);
      const name = JSON.stringify({ 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: machineId }] }] });
      for (const suffix of [':*', '/Wave:*']) {
        Validations.of(mapPolicy).acknowledge({
          id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${name}${suffix}]`,
          reason: 'Child executions and Map Runs of this state machine only (Distributed Map, redrive)',
        });
      }
    }
    Validations.of(policy).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Action::s3:Abort*]', reason: 'grantReadWrite of the engine\'s own bucket (ResultWriter uploads in parts)' });
    Validations.of(policy).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Action::s3:DeleteObject*]', reason: 'grantReadWrite of the engine\'s own bucket' });
    Validations.of(policy).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Action::s3:GetBucket*]', reason: 'grantReadWrite of the engine\'s own bucket' });
    Validations.of(policy).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Action::s3:GetObject*]', reason: 'grantReadWrite of the engine\'s own bucket' });
    Validations.of(policy).acknowledge({ id: 'AwsSolutions::AwsSolutions-IAM5[Action::s3:List*]', reason: 'grantReadWrite of the engine\'s own bucket' });
  }
}

/** A bucket only its account reaches: blocked public access, TLS only, S3-managed encryption. */
function privateBucket(scope: Construct, id: string, removalPolicy: RemovalPolicy, bucketName?: string): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    bucketName,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: true,
    removalPolicy,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions::AwsSolutions-S1',
    reason: 'Writes come from the engine and fleet release only, recorded by CloudTrail; an access-log bucket would cost while idle',
  });
  return bucket;
}
