import { App, CfnElement, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EventRoute, EventRouteProps, ServiceStack } from '../src';
import { buildFixtureService } from './fixtures/service';

describe('EventRoute', () => {
  // GIVEN the fixture service: OrderPlaced -> workflow (defaults), OrderCancelled -> Goodbye function
  const service = buildFixtureService();
  const template = Template.fromStack(service.stack);
  const id = (construct: { node: { defaultChild?: unknown } }) => service.stack.getLogicalId(construct.node.defaultChild as CfnElement);

  test('routes to the state machine on the default bus with the default retry policy; dead letters go to the central DLQ when one is given', () => {
    // THEN
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: { 'source': ['tenant.orders'], 'detail-type': ['Order Placed'] },
      Targets: [{
        Id: 'Target0',
        Arn: { Ref: id(service.workflow.stateMachine) },
        RoleArn: Match.anyValue(),
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { 'Fn::If': ['HasFailureDeadLetterQueue', { Arn: { Ref: 'FailureDeadLetterQueueArn' } }, { Ref: 'AWS::NoValue' }] },
      }],
    });
  });

  test('routes to a function with the given retry policy; dead letters go to the central DLQ when one is given', () => {
    // THEN
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      Description: 'Cancelled orders',
      EventPattern: { 'source': ['tenant.orders'], 'detail-type': ['Order Cancelled'], 'detail': { reason: ['fraud'] } },
      Targets: [{
        Id: 'Target0',
        Arn: { 'Fn::GetAtt': [id(service.goodbye), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 86400 },
        DeadLetterConfig: { 'Fn::If': ['HasFailureDeadLetterQueue', { Arn: { Ref: 'FailureDeadLetterQueueArn' } }, { Ref: 'AWS::NoValue' }] },
      }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [id(service.goodbye), 'Arn'] },
    });
  });

  test('no SQS anywhere on the event path', () => {
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 0);
  });
});

describe('EventRoute validation', () => {
  function attempt(props: Partial<EventRouteProps>): () => EventRoute {
    const stack = new ServiceStack(new App(), 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    const target = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:eu-west-1:111111111111:function:f');
    return () => new EventRoute(stack, 'Route', {
      eventPattern: { source: ['tenant.orders'], detailType: ['Order Placed'] }, target, ...props,
    });
  }

  test('accepts the range limits', () => {
    expect(attempt({ retryAttempts: 0, maxEventAge: Duration.seconds(60) })).not.toThrow();
    expect(attempt({ retryAttempts: 185, maxEventAge: Duration.hours(24) })).not.toThrow();
  });

  test('rejects an empty source', () => {
    expect(attempt({ eventPattern: { source: [], detailType: ['Order Placed'] } })).toThrow(
      'Svc/Route: eventPattern.source must list at least one source, got []. '
      + 'Name the sources to route (for example ["tenant.orders"]): a rule without one would match events of every source.');
  });

  test('rejects an empty detailType', () => {
    expect(attempt({ eventPattern: { source: ['tenant.orders'], detailType: [] } })).toThrow(
      'Svc/Route: eventPattern.detailType must list at least one detail type, got []. Name the detail types to route (for example ["Order Placed"]).');
  });

  test.each([[186], [-1], [2.5]])('rejects retryAttempts %j', (retryAttempts) => {
    expect(attempt({ retryAttempts })).toThrow(
      `Svc/Route: retryAttempts must be an integer between 0 and 185, got ${retryAttempts}. `
      + 'Pass a value from 0 to 185 (the limits of an EventBridge retry policy).');
  });

  test.each([[Duration.seconds(30), '30 seconds'], [Duration.hours(25), '1 day 1 hour']])('rejects maxEventAge %s', (maxEventAge, shown) => {
    expect(attempt({ maxEventAge })).toThrow(
      `Svc/Route: maxEventAge must be a whole number of seconds between 60 and 86400, got "${shown}". `
      + 'Pass a Duration from 1 minute to 1 day (the limits of an EventBridge retry policy).');
  });
});
