import { Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { FailurePath } from './failure-path';
import { nagResourceName } from './private/acknowledgments';
import { validateDefinition } from './local/validate';
import { optionError } from './private/errors';
import { ServiceStack } from './service-stack';
import { ServiceTable } from './service-table';

/** Options of `WorkflowContext.invoke`. */
export interface InvokeOptions {
  /**
   * Name of the state (unique in the workflow).
   *
   * @default - the function name
   */
  readonly stateName?: string;

  /**
   * Payload sent to the function.
   *
   * @default - the state input
   */
  readonly payload?: sfn.TaskInput;

  /**
   * Where the Lambda result (`{ Payload, StatusCode, ... }`) goes in the state input.
   *
   * @default - the result replaces the input (then `outputPath` defaults to `$.Payload`)
   */
  readonly resultPath?: string;

  /**
   * Which part of the state output is passed on.
   *
   * @default '$.Payload' when `resultPath` is not given, else the whole output
   */
  readonly outputPath?: string;
}

/** What a team's `define` function gets to build its workflow. */
export interface WorkflowContext {
  /** Scope for the states the team creates. */
  readonly scope: Construct;

  /** The functions of the service, by name. */
  readonly functions: Record<string, lambda.IFunction>;

  /** The service table, when the workflow was given one. */
  readonly table?: ServiceTable;

  /**
   * The shared failure path (report to the failure bus, then fail with `$.error`). Route a
   * Choice branch here; put `{ Error, Cause }` in `$.error` first to report a specific error.
   */
  readonly failurePath: FailurePath;

  /**
   * A Lambda invoke task for `functions[functionName]` that retries Lambda service errors and
   * throttles, and catches every other error (`States.ALL`) into `failurePath` with the error in
   * `$.error`.
   */
  invoke(functionName: string, options?: InvokeOptions): tasks.LambdaInvoke;
}

/** Properties of a `ServiceWorkflow`. */
export interface ServiceWorkflowProps {
  /** Builds the workflow definition from the context. */
  readonly define: (ctx: WorkflowContext) => sfn.IChainable;

  /** The functions the workflow may invoke, by name. */
  readonly functions: Record<string, lambda.IFunction>;

  /**
   * The service table, passed on to `define` (for DynamoDB tasks).
   *
   * @default - no table in the context
   */
  readonly table?: ServiceTable;

  /** Bus receiving the `Workflow Failed` events (usually `ServiceStack.failureBus`). */
  readonly failureBus: events.IEventBus;

  /**
   * Maximum duration of an execution.
   *
   * @default Duration.hours(1) - Standard's own limit is one year; a stuck execution should fail
   * (and reach the failure bus) within the hour
   */
  readonly timeout?: Duration;

  /**
   * Execution logging level.
   *
   * @default sfn.LogLevel.ERROR - each log line is paid in every tenant account; the execution
   * history of a Standard workflow already keeps every step for 90 days at no charge
   */
  readonly logLevel?: sfn.LogLevel;
}

/**
 * The Standard Step Functions state machine of a fleet service, with the shared failure path,
 * Lambda invocations that retry service errors and catch the rest, and logging to a log group
 * with a one-week retention.
 */
export class ServiceWorkflow extends Construct {
  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;

  /** The shared failure path. */
  public readonly failurePath: FailurePath;

  /** The execution log group. */
  public readonly logGroup: logs.LogGroup;

  private readonly functions: Record<string, lambda.IFunction>;
  private readonly stateNames = new Set<string>();
  private readonly definitionBody: GraphCapturingDefinitionBody;

  public constructor(scope: Construct, id: string, props: ServiceWorkflowProps) {
    super(scope, id);
    this.functions = props.functions;
    const service = ServiceStack.of(this);

    this.failurePath = new FailurePath(this, 'FailurePath', { failureBus: props.failureBus, serviceName: service.serviceName });

    const context: WorkflowContext = {
      scope: this,
      functions: props.functions,
      table: props.table,
      failurePath: this.failurePath,
      invoke: (functionName, options) => this.invoke(functionName, options),
    };
    const definition = props.define(context);

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      // The /aws/vendedlogs/ prefix keeps the account's CloudWatch Logs resource policy (5,120
      // characters, shared by all ~20 services) from growing with each state machine:
      // https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
      logGroupName: `/aws/vendedlogs/states/${service.serviceName}-${Names.uniqueResourceName(this, { maxLength: 64 })}`,
      retention: logs.RetentionDays.ONE_WEEK,
      // Explicit name: a retained group would make the next create of the stack fail.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.definitionBody = new GraphCapturingDefinitionBody(definition);
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: this.definitionBody,
      timeout: props.timeout ?? Duration.hours(1),
      logs: {
        destination: this.logGroup,
        level: props.logLevel ?? sfn.LogLevel.ERROR,
        // Payloads hold tenant data and make every line bigger; the execution history has them.
        includeExecutionData: false,
      },
    });
    this.acknowledgeNagFindings();

    // CDK checks only the graph's shape (duplicate names, dangling Next); AWS would reject the
    // rest at CreateStateMachine, i.e. during the first StackSet rollout to every tenant. The
    // local runtime's validator finds those problems at synth instead (issue 3, item 5).
    this.node.addValidation({ validate: () => this.validateDefinition() });
  }

  /** Problems of the rendered definition, one message per problem, naming the state. */
  private validateDefinition(): string[] {
    return validateDefinition(withTokenResourcesAsArns(this.renderDefinition()) as object).map((problem) => {
      const where = problem.stateName !== undefined ? `state ${JSON.stringify(problem.stateName)} at ${problem.path}` : problem.path;
      const reason = problem.message.replace(/\.$/, '');
      return `Invalid workflow definition: ${where}: ${reason}. Fix: correct the state in the workflow's define function (src/workflow.ts).`;
    });
  }

  /**
   * The Amazon States Language definition rendered from the state graph, as a plain object.
   * CDK tokens (function ARNs, the partition, ...) stay opaque strings such as
   * `${Token[TOKEN.123]}`: use it to draw, inspect or run the workflow locally, not to deploy.
   */
  public renderDefinition(): Record<string, unknown> {
    const graph = this.definitionBody.graph;
    if (graph === undefined) {
      // Cannot happen: StateMachine binds the body in its constructor.
      throw new Error(`${this.node.path}: the state machine definition has not been bound to a state graph yet.`);
    }
    // Resolving turns JsonPath.DISCARD into null and ARNs into CloudFormation intrinsics; the
    // intrinsics then become readable opaque strings (`arn:${AWS::Partition}:states:::...`).
    const resolved = Stack.of(this).resolve(graph.toGraphJson()) as Record<string, unknown>;
    return opaqueIntrinsics(resolved) as Record<string, unknown>;
  }

  /** cdk-nag AwsSolutions findings accepted for the state machine and its role, each with its reason. */
  private acknowledgeNagFindings(): void {
    Validations.of(this.stateMachine).acknowledge(
      { id: 'AwsSolutions-SF1', reason: 'Logs at ERROR by default: each log line is paid in every tenant account, and the execution history of a Standard workflow keeps every step for 90 days at no charge' },
      { id: 'AwsSolutions-SF2', reason: 'No X-Ray tracing: traces are paid per execution in every tenant account; failures reach the central failure bus with the execution id' },
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'The CloudWatch Logs delivery actions Step Functions needs for logging do not support resource-level permissions: https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html' },
    );
    for (const fn of Object.values(this.functions)) {
      // LambdaInvoke grants invoking the function's versions and aliases too (`<arn>:*`).
      Validations.of(this.stateMachine).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagResourceName(this, fn.functionArn)}:*]`,
        reason: 'CDK LambdaInvoke grants invoking the versions and aliases of this one function (<function arn>:*), nothing else',
      });
    }
  }

  /** Permits starting executions of the state machine. */
  public grantStartExecution(grantee: iam.IGrantable): iam.Grant {
    return this.stateMachine.grantStartExecution(grantee);
  }

  private invoke(functionName: string, options: InvokeOptions = {}): tasks.LambdaInvoke {
    const fn = this.functions[functionName];
    if (fn === undefined) {
      throw optionError(this, 'functionName', 'is not one of the workflow functions', functionName,
        `Use one of: ${Object.keys(this.functions).sort().join(', ')}`);
    }
    const stateName = options.stateName ?? functionName;
    if (this.stateNames.has(stateName)) {
      throw optionError(this, 'stateName', 'is already used in this workflow', stateName,
        'Pass a unique stateName to each invoke of the same function');
    }
    this.stateNames.add(stateName);

    // LambdaInvoke adds CDK's retrier for Lambda service errors by default
    // (ClientExecutionTimeoutException, ServiceException, AWSLambdaException, SdkClientException;
    // 2 s, 6 attempts, backoff 2).
    const task = new tasks.LambdaInvoke(this, stateName, {
      lambdaFunction: fn,
      payload: options.payload,
      resultPath: options.resultPath,
      outputPath: options.outputPath ?? (options.resultPath === undefined ? '$.Payload' : undefined),
    });
    // CDK's default leaves out throttles, which the Step Functions console's default includes:
    // a new tenant account has a low concurrency quota. Jittered, so thousands of tenants
    // throttled together do not retry together.
    // https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
    task.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(2),
      maxAttempts: 6,
      backoffRate: 2,
      jitterStrategy: sfn.JitterType.FULL,
    });
    task.addCatch(this.failurePath, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    return task;
  }
}

/**
 * Replaces each CloudFormation intrinsic in a resolved value by an opaque string: `Ref` by
 * `${Name}`, `Fn::GetAtt` by `${Resource.Attribute}`, `Fn::Join` by its joined parts, any other
 * by `${Fn::Name}`. Drops undefined fields like JSON.stringify does.
 */
function opaqueIntrinsics(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(opaqueIntrinsics);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 1) {
    const [key, arg] = entries[0];
    if (key === 'Ref') return `\${${String(arg)}}`;
    if (key === 'Fn::GetAtt' && Array.isArray(arg)) return `\${${arg.join('.')}}`;
    if (key === 'Fn::Join' && Array.isArray(arg) && Array.isArray(arg[1])) {
      return (arg[1] as unknown[]).map((part) => {
        const rendered = opaqueIntrinsics(part);
        return typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
      }).join(String(arg[0]));
    }
    if (key.startsWith('Fn::')) return `\${${key}}`;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, opaqueIntrinsics(v)]));
}

/**
 * A copy of a rendered definition for validation, in which a Task `Resource` that is wholly a
 * CloudFormation reference (`${Fn.Arn}`: a Lambda ARN with `payloadResponseOnly`, an activity)
 * is prefixed with `arn:`: it resolves to an ARN at deploy time and CloudFormation checks it.
 */
function withTokenResourcesAsArns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withTokenResourcesAsArns);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, v]) => [
    key,
    key === 'Resource' && typeof v === 'string' && v.startsWith('${') ? `arn:${v}` : withTokenResourcesAsArns(v),
  ]));
}

/**
 * `DefinitionBody.fromChainable` that keeps the `StateGraph` the state machine binds it to, so
 * the definition can be rendered again (for validation and diagrams) without building a second
 * graph: a state belongs to one graph only.
 */
class GraphCapturingDefinitionBody extends sfn.ChainDefinitionBody {
  public graph?: sfn.StateGraph;

  public override bind(scope: Construct, sfnPrincipal: iam.IPrincipal, sfnProps: sfn.StateMachineProps, graph?: sfn.StateGraph): sfn.DefinitionConfig {
    this.graph = graph;
    return super.bind(scope, sfnPrincipal, sfnProps, graph);
  }
}
