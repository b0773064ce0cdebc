import { App, CfnElement, Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { HandlerBundle, ServiceStack, TenantFunction } from '../src';
import { buildFixtureService, HELLO_ENTRY } from './fixtures/service';

const FAILURE_BUS_ARN = {
  'Fn::If': ['FailureBusIsAccountDefault', {
    'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default']],
  }, { Ref: 'FailureBusArn' }],
};

describe('TenantFunction', () => {
  // GIVEN the fixture service: `Hello` with defaults, `Goodbye` with retryAttempts 0, maxEventAge 5 min
  const service = buildFixtureService();
  const template = Template.fromStack(service.stack);
  const stack = service.stack;
  const helloId = stack.getLogicalId(service.hello.node.defaultChild as CfnElement);
  const goodbyeId = stack.getLogicalId(service.goodbye.node.defaultChild as CfnElement);

  test('runs Node.js 22 on arm64 with index.handler and the defaults', () => {
    // THEN
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 10,
      MemorySize: 256,
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'order-intake',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
          FLEET_TENANT_ID: { Ref: 'AWS::AccountId' },
        },
      },
      LoggingConfig: { LogGroup: { Ref: stack.getLogicalId(service.hello.logGroup.node.defaultChild as logs.CfnLogGroup) } },
    });
    template.resourceCountIs('AWS::Lambda::Function', 2);
  });

  test('environment overrides the log level but never the service name', () => {
    // THEN
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          POWERTOOLS_SERVICE_NAME: 'order-intake',
          POWERTOOLS_LOG_LEVEL: 'DEBUG',
          NODE_OPTIONS: '--enable-source-maps',
          FLEET_TENANT_ID: { Ref: 'AWS::AccountId' },
        },
      },
    });
  });

  test('has an explicit log group with one week retention and no LogRetention custom resource', () => {
    // THEN
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 7 }, 3);
    template.resourceCountIs('Custom::LogRetention', 0);
  });

  test('has an asynchronous invocation config per function with all three fields', () => {
    // THEN
    const configs = template.findResources('AWS::Lambda::EventInvokeConfig');
    const byFunction = Object.fromEntries(Object.values(configs).map((config) => [config.Properties.FunctionName.Ref, config.Properties]));
    expect(byFunction).toEqual({
      [helloId]: {
        FunctionName: { Ref: helloId },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 3600,
        DestinationConfig: { OnFailure: { Destination: FAILURE_BUS_ARN } },
      },
      [goodbyeId]: {
        FunctionName: { Ref: goodbyeId },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 0,
        MaximumEventAgeInSeconds: 300,
        DestinationConfig: { OnFailure: { Destination: FAILURE_BUS_ARN } },
      },
    });
  });

  test('may put events on the failure bus', () => {
    // THEN
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: FAILURE_BUS_ARN }]) },
      Roles: [{ Ref: stack.getLogicalId(service.hello.role!.node.defaultChild as CfnElement) }],
    });
  });
});

describe('TenantFunction validation', () => {
  function attempt(props: { retryAttempts?: number; maxEventAge?: Duration }): () => TenantFunction {
    const stack = new ServiceStack(new App(), 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    const bundle = new HandlerBundle(stack, 'Handlers', { entries: { hello: HELLO_ENTRY } });
    return () => new TenantFunction(stack, 'Fn', { bundle, handlerName: 'hello', failureBus: stack.failureBus, ...props });
  }

  test.each([[3], [-1], [1.5]])('rejects retryAttempts %j', (retryAttempts) => {
    expect(attempt({ retryAttempts })).toThrow(
      `Svc/Fn: retryAttempts must be an integer between 0 and 2, got ${retryAttempts}. `
      + 'Pass a value from 0 to 2 (Lambda retries a failed asynchronous invocation at most twice).');
  });

  test.each([
    [Duration.seconds(59), '59 seconds'],
    [Duration.hours(7), '7 hours'],
    [Duration.millis(60_500), '1 minute 500 millis'],
  ])('rejects maxEventAge %s', (maxEventAge, shown) => {
    expect(attempt({ maxEventAge })).toThrow(
      `Svc/Fn: maxEventAge must be a whole number of seconds between 60 and 21600, got "${shown}". `
      + 'Pass a Duration from 1 minute to 6 hours (the limits of Lambda asynchronous invocation).');
  });

  test('accepts the range limits', () => {
    expect(attempt({ retryAttempts: 0, maxEventAge: Duration.seconds(60) })).not.toThrow();
    expect(attempt({ retryAttempts: 2, maxEventAge: Duration.hours(6) })).not.toThrow();
  });

  test('rejects an unknown handler name', () => {
    expect(attempt({ retryAttempts: 1 })).not.toThrow();
    const stack = new ServiceStack(new App(), 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    const bundle = new HandlerBundle(stack, 'Handlers', { entries: { hello: HELLO_ENTRY } });
    expect(() => new TenantFunction(stack, 'Fn', { bundle, handlerName: 'bye', failureBus: stack.failureBus })).toThrow(
      'Svc/Handlers: name is not a bundled handler, got "bye". Use one of the entries: hello.');
  });
});
