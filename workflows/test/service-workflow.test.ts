import { App, CfnElement, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { HandlerBundle, ServiceStack, ServiceWorkflow, TenantFunction } from '../src';
import { buildFixtureService, HELLO_ENTRY } from './fixtures/service';
import { definitionOf } from './helpers';

const LAMBDA_SERVICE_RETRY = {
  ErrorEquals: ['Lambda.ClientExecutionTimeoutException', 'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
  IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2,
};
const THROTTLE_RETRY = { ErrorEquals: ['Lambda.TooManyRequestsException'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, JitterStrategy: 'FULL' };
const CATCH_TO_FAILURE_PATH = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Has error?' }];

describe('ServiceWorkflow', () => {
  // GIVEN the fixture service: hello -> Valid? -> (Say goodbye | failurePath)
  const service = buildFixtureService();
  const template = Template.fromStack(service.stack);
  const definition = definitionOf(template);

  test('is a STANDARD state machine with a one-hour timeout, logging errors to a one-week log group', () => {
    // THEN
    const logGroupId = service.stack.getLogicalId(service.workflow.logGroup.node.defaultChild as CfnElement);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      LoggingConfiguration: {
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
        IncludeExecutionData: false,
        Level: 'ERROR',
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/order-intake-'),
      RetentionInDays: 7,
    });
    expect(definition.TimeoutSeconds).toBe(3600);
  });

  test('invoke() retries Lambda service errors and throttles, and catches everything into the failure path', () => {
    // THEN
    expect(definition.StartAt).toBe('hello');
    expect(definition.States.hello).toEqual({
      Type: 'Task',
      Resource: 'arn:<token>:states:::lambda:invoke',
      Parameters: { 'FunctionName': '<token>', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      Retry: [LAMBDA_SERVICE_RETRY, THROTTLE_RETRY],
      Catch: CATCH_TO_FAILURE_PATH,
      Next: 'Valid?',
    });
  });

  test('invoke() with resultPath keeps the input and has no default outputPath', () => {
    // THEN
    expect(definition.States['Say goodbye']).toEqual({
      Type: 'Task',
      Resource: 'arn:<token>:states:::lambda:invoke',
      Parameters: { 'FunctionName': '<token>', 'Payload.$': '$' },
      ResultPath: '$.goodbye',
      Retry: [LAMBDA_SERVICE_RETRY, THROTTLE_RETRY],
      Catch: CATCH_TO_FAILURE_PATH,
      End: true,
    });
  });

  test('the failure path reports to the failure bus, then re-raises the original error', () => {
    // THEN a Choice can route to it: the failure path starts with its own check of $.error
    expect(definition.States['Valid?'].Default).toBe('Has error?');
    expect(definition.States['Has error?']).toEqual({
      Type: 'Choice',
      Choices: [{ And: [{ Variable: '$.error.Error', IsPresent: true }, { Variable: '$.error.Cause', IsPresent: true }], Next: 'Report failure' }],
      Default: 'Default error',
    });
    expect(definition.States['Default error']).toEqual({
      Type: 'Pass',
      Result: { Error: 'Fleet.WorkflowFailed', Cause: 'The workflow was routed to the failure path without $.error' },
      ResultPath: '$.error',
      Next: 'Report failure',
    });
    expect(definition.States['Report failure']).toEqual({
      Type: 'Task',
      Resource: 'arn:<token>:states:::events:putEvents',
      Parameters: {
        Entries: [{
          Source: 'fleet.order-intake',
          DetailType: 'Workflow Failed',
          EventBusName: '<token>',
          Detail: { 'executionId.$': '$$.Execution.Id', 'stateMachineId.$': '$$.StateMachine.Id', 'error.$': '$.error' },
        }],
      },
      ResultPath: null,
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2, JitterStrategy: 'FULL' }],
      // Never back into the failure path: straight to the Fail state, keeping $.error.
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'Workflow failed' }],
      Next: 'Workflow failed',
    });
    expect(definition.States['Workflow failed']).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  test('the state machine may invoke the functions and put events on the failure bus', () => {
    // THEN
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'lambda:InvokeFunction' }),
          Match.objectLike({ Action: 'events:PutEvents', Resource: { 'Fn::If': Match.arrayWith(['FailureBusIsAccountDefault']) } }),
        ]),
      },
    });
  });

  test('grantStartExecution delegates to the state machine', () => {
    // GIVEN
    const role = new iam.Role(service.stack, 'Starter', { assumedBy: new iam.AccountRootPrincipal() });
    // WHEN
    const grant = service.workflow.grantStartExecution(role);
    // THEN
    expect(grant.success).toBe(true);
    expect(service.stack.resolve(grant.principalStatements[0].toStatementJson())).toEqual({
      Action: 'states:StartExecution',
      Effect: 'Allow',
      Resource: { Ref: service.stack.getLogicalId(service.workflow.stateMachine.node.defaultChild as CfnElement) },
    });
  });
});

describe('ServiceWorkflow options and errors', () => {
  function newWorkflow(define: ServiceWorkflowDefine, extra: { timeout?: Duration; logLevel?: sfn.LogLevel } = {}) {
    const stack = new ServiceStack(new App(), 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    const bundle = new HandlerBundle(stack, 'Handlers', { entries: { hello: HELLO_ENTRY } });
    const hello = new TenantFunction(stack, 'Hello', { bundle, handlerName: 'hello', failureBus: stack.failureBus });
    const workflow = new ServiceWorkflow(stack, 'Workflow', { functions: { hello }, failureBus: stack.failureBus, define, ...extra });
    return { stack, workflow };
  }
  type ServiceWorkflowDefine = ConstructorParameters<typeof ServiceWorkflow>[2]['define'];

  test('timeout and logLevel are passed on', () => {
    // WHEN
    const { stack } = newWorkflow((ctx) => ctx.invoke('hello'), { timeout: Duration.minutes(5), logLevel: sfn.LogLevel.ALL });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { LoggingConfiguration: Match.objectLike({ Level: 'ALL' }) });
    expect(definitionOf(template).TimeoutSeconds).toBe(300);
  });

  test('invoke() rejects an unknown function, listing the known ones', () => {
    expect(() => newWorkflow((ctx) => ctx.invoke('helo'))).toThrow(
      'Svc/Workflow: functionName is not one of the workflow functions, got "helo". Use one of: hello.');
  });

  test('invoke() rejects a state name used twice', () => {
    expect(() => newWorkflow((ctx) => ctx.invoke('hello').next(ctx.invoke('hello')))).toThrow(
      'Svc/Workflow: stateName is already used in this workflow, got "hello". Pass a unique stateName to each invoke of the same function.');
  });
});
