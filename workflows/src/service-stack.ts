import { KEBAB_CASE } from '@fleet/contracts';
import { Aws, CfnCondition, CfnOutput, CfnParameter, Fn, IResolvable, Stack, StackProps, Tags, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct, IConstruct } from 'constructs';
import { addFleetChecks } from './guardrails/fleet-guardrails-checks';
import { optionError } from './private/errors';
import { FLEET_TAGS } from './private/fleet-tags';
import { FleetStackSynthesizer } from './private/fleet-stack-synthesizer';

export { FLEET_TAGS } from './private/fleet-tags';

/** Properties of a `ServiceStack`. */
export interface ServiceStackProps extends StackProps {
  /**
   * Name of the microservice, in kebab-case (for example `order-intake`). Used in tags, in
   * `POWERTOOLS_SERVICE_NAME` and as the failure event source `fleet.<serviceName>`.
   */
  readonly serviceName: string;

  /** Version of the blueprint that generated this service; stamped on every resource as a tag. */
  readonly blueprintVersion: string;

  /**
   * Central S3 bucket holding the file assets (Lambda bundles), readable by every tenant account.
   * `${AWS::Region}` is replaced by the deployment region, so one bucket per region is needed
   * (Lambda reads code only from a bucket in its own region).
   *
   * @default 'fleet-assets-${AWS::Region}'
   */
  readonly assetBucketName?: string;
}


/**
 * The one CloudFormation stack of a fleet microservice, deployed unchanged by a StackSet into
 * every tenant account.
 *
 * - Env-agnostic: account and region are whatever the StackSet instance targets.
 * - No bootstrap needed in tenant accounts (see `FleetStackSynthesizer`): no `BootstrapVersion`
 *   parameter, no `Rules` section, file assets in a central bucket, no Docker assets.
 * - A `FailureBusArn` parameter selects the central failure bus (empty: the account's `default` bus).
 * - Tags every taggable resource with tenant (account id), service and blueprint version.
 */
export class ServiceStack extends Stack {
  /**
   * The `ServiceStack` that contains `scope`.
   *
   * @throws when `scope` is not inside a `ServiceStack`
   */
  public static of(scope: IConstruct): ServiceStack {
    const stack = Stack.of(scope);
    if (stack instanceof ServiceStack) return stack;
    throw optionError(scope, 'scope', 'is not inside a ServiceStack', stack.node.path,
      'Create fleet constructs inside a ServiceStack (new ServiceStack(app, id, { serviceName, blueprintVersion }))');
  }

  /** Name of the microservice (kebab-case). */
  public readonly serviceName: string;

  /** Version of the blueprint that generated the service. */
  public readonly blueprintVersion: string;

  /** The `FailureBusArn` parameter (empty string: use the account's `default` bus). */
  public readonly failureBusArnParameter: CfnParameter;

  /**
   * The `FailureDeadLetterQueueArn` parameter: the central tenant dead-letter queue, where this
   * account's rules put the events they could not deliver (empty: no dead-letter queue, such events are dropped after
   * their retries).
   */
  public readonly failureDeadLetterQueueArnParameter: CfnParameter;

  /** True when `FailureDeadLetterQueueArn` is set. */
  public readonly hasFailureDeadLetterQueue: CfnCondition;

  /**
   * Where failed asynchronous invocations and failed workflow executions are reported: the
   * central failure bus given by the `FailureBusArn` parameter, or this account's `default` bus.
   */
  public readonly failureBus: events.IEventBus;

  public constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, {
      description: `Fleet service ${props.serviceName} (blueprint ${props.blueprintVersion})`,
      // AWS::CDK::Metadata brings a region-list Condition into every tenant stack; nothing reads it.
      analyticsReporting: false,
      ...props,
      synthesizer: props.synthesizer ?? new FleetStackSynthesizer({
        fileAssetsBucketName: props.assetBucketName ?? 'fleet-assets-${AWS::Region}',
      }),
    });

    if (!KEBAB_CASE.test(props.serviceName)) {
      throw optionError(this, 'serviceName', 'must be kebab-case', props.serviceName,
        'Use lowercase letters and digits separated by single hyphens, starting with a letter (for example "order-intake")');
    }
    if (props.env?.account !== undefined || props.env?.region !== undefined) {
      throw optionError(this, 'env', 'must not be set on a ServiceStack', props.env,
        'Remove env: a StackSet deploys the same template into every tenant account and region');
    }

    this.serviceName = props.serviceName;
    this.blueprintVersion = props.blueprintVersion;

    this.failureBusArnParameter = new CfnParameter(this, 'FailureBusArn', {
      type: 'String',
      default: '',
      // Fail the deployment early on a typo rather than at the first failed event.
      allowedPattern: '^$|^arn:aws[a-z-]*:events:[a-z0-9-]+:[0-9]{12}:event-bus/[A-Za-z0-9._/-]+$',
      description: 'ARN of the central failure EventBridge bus. Empty: this account\'s default bus.',
    });

    this.failureDeadLetterQueueArnParameter = new CfnParameter(this, 'FailureDeadLetterQueueArn', {
      type: 'String',
      default: '',
      // Only the central tenant dead-letter queue: the central DLQ itself refuses tenant rules, and
      // EventBridge would drop every dead letter silently.
      allowedPattern: '^$|^arn:aws[a-z-]*:sqs:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,61}-tenant-dead-letters$',
      description: 'ARN of the central tenant dead-letter queue (control-plane output TenantDeadLetterQueueArn, same region, name ending in -tenant-dead-letters). Empty: rules keep no dead letters.',
    });
    this.hasFailureDeadLetterQueue = new CfnCondition(this, 'HasFailureDeadLetterQueue', {
      expression: Fn.conditionNot(Fn.conditionEquals(this.failureDeadLetterQueueArnParameter.valueAsString, '')),
    });

    const useDefaultBus = new CfnCondition(this, 'FailureBusIsAccountDefault', {
      expression: Fn.conditionEquals(this.failureBusArnParameter.valueAsString, ''),
    });
    const defaultBusArn = this.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
    const failureBusArn = Token.asString(Fn.conditionIf(useDefaultBus.logicalId, defaultBusArn,
      this.failureBusArnParameter.valueAsString) as IResolvable);
    this.failureBus = events.EventBus.fromEventBusArn(this, 'FailureBus', failureBusArn);
    // Says per tenant which bus is in use (outputs are free), and keeps the parameter and the
    // condition referenced in a stack that does not use the bus (CloudFormation validation warns).
    new CfnOutput(this, 'FailureDeadLetterQueueInUse', {
      value: Token.asString(Fn.conditionIf(this.hasFailureDeadLetterQueue.logicalId, this.failureDeadLetterQueueArnParameter.valueAsString, 'none')),
      description: 'Where this account\'s rules put the events they could not deliver.',
    });
    new CfnOutput(this, 'FailureBusArnInUse', {
      value: failureBusArn,
      description: 'The EventBridge bus receiving failed invocations and executions.',
    });

    // The account id is a deploy-time token. CDK drops stack-level tags whose value is a token
    // (with a warning) and they would not reach the resources through CloudFormation anyway, so
    // the tenant tag goes on resources only; the two literal tags also stay on the stack.
    Tags.of(this).add(FLEET_TAGS.TENANT, Aws.ACCOUNT_ID, { excludeResourceTypes: ['aws:cdk:stack'] });
    Tags.of(this).add(FLEET_TAGS.SERVICE, props.serviceName);
    Tags.of(this).add(FLEET_TAGS.BLUEPRINT_VERSION, props.blueprintVersion);

    // The fleet guardrails and cdk-nag's AwsSolutions pack run at every synthesis of the App;
    // a finding fails synthesis (and Template.fromStack in tests) until fixed or acknowledged.
    addFleetChecks(this);

    // Transforms and macros are not allowed in StackSets with service-managed permissions.
    this.node.addValidation({
      validate: () => {
        const transforms = this.templateOptions.transforms ?? [];
        return transforms.length === 0 ? [] : [optionError(this, 'templateOptions.transforms', 'must be empty in a fleet service stack', transforms,
          'Remove the transform: StackSets cannot deploy templates that use transforms or macros').message];
      },
    });
  }

}
