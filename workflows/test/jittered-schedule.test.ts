import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { FleetGuardrailsChecks, JitteredSchedule, SCHEDULE_OFFSET_PARAMETER, ServiceStack, scheduleOffsetMinute } from '../src';
import { buildFixtureService } from './fixtures/service';

describe('JitteredSchedule', () => {
  // GIVEN the fixture service with two schedules: one on the workflow, one on a function
  const service = buildFixtureService();
  const every15 = new JitteredSchedule(service.stack, 'Reconcile', { target: service.workflow, every: Duration.minutes(15), description: 'Reconcile orders' });
  const every6h = new JitteredSchedule(service.stack, 'Cleanup', { target: service.goodbye, every: Duration.hours(6), input: { job: 'cleanup' }, retryAttempts: 0, maxEventAge: Duration.minutes(5) });
  const template = Template.fromStack(service.stack);
  const json = template.toJSON();
  const resolve = (value: unknown) => service.stack.resolve(value);

  test('uses EventBridge Scheduler with a flexible window, a per-account offset minute and UTC', () => {
    // THEN
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Description: 'Reconcile orders',
      ScheduleExpression: { 'Fn::Join': ['', ['cron(', { 'Fn::FindInMap': ['FleetScheduleOffsets', { Ref: SCHEDULE_OFFSET_PARAMETER }, 'every15'] }, '/15 * * * ? *)']] },
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 7 },
      State: 'ENABLED',
    });
    expect(resolve(every6h.scheduleExpression)).toEqual({ 'Fn::Join': ['', ['cron(', { Ref: SCHEDULE_OFFSET_PARAMETER }, ' 0/6 * * ? *)']] });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 } });
  });

  test('the offset is one stack parameter (0-59) with a mapping that takes it modulo the interval', () => {
    // THEN
    expect(json.Parameters[SCHEDULE_OFFSET_PARAMETER]).toEqual({
      Type: 'Number', Default: 0, MinValue: 0, MaxValue: 59,
      Description: 'Minute (0-59) by which this account\'s schedules are shifted. Set per stack instance by the control plane (scheduleOffsetMinute(accountId)).',
    });
    expect(Object.keys(json.Mappings.FleetScheduleOffsets)).toHaveLength(60);
    expect(json.Mappings.FleetScheduleOffsets['0']).toEqual({ every15: '0' });
    expect(json.Mappings.FleetScheduleOffsets['37']).toEqual({ every15: '7' });
    expect(json.Mappings.FleetScheduleOffsets['59']).toEqual({ every15: '14' });
  });

  test('targets the state machine or the function with an explicit retry policy and no dead-letter queue', () => {
    // THEN
    const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((r: any) => r.Properties.Target);
    const stateMachineId = service.stack.getLogicalId(service.workflow.stateMachine.node.defaultChild as any);
    const goodbyeId = service.stack.getLogicalId(service.goodbye.node.defaultChild as any);
    expect(schedules).toEqual(expect.arrayContaining([
      {
        Arn: { Ref: stateMachineId },
        RoleArn: { 'Fn::GetAtt': [service.stack.getLogicalId(every15.role.node.defaultChild as any), 'Arn'] },
        Input: '{"scheduledTime":"<aws.scheduler.scheduled-time>","executionId":"<aws.scheduler.execution-id>"}',
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 900 },
      },
      {
        Arn: { 'Fn::GetAtt': [goodbyeId, 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [service.stack.getLogicalId(every6h.role.node.defaultChild as any), 'Arn'] },
        Input: '{"job":"cleanup"}',
        RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 300 },
      },
    ]));
    for (const target of schedules) expect(target.DeadLetterConfig).toBeUndefined();
    template.resourceCountIs('AWS::SQS::Queue', 0);
  });

  test('the role can only be assumed by Scheduler for this account, and only starts its one target', () => {
    // THEN
    const role = json.Resources[service.stack.getLogicalId(every15.role.node.defaultChild as any)];
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([{
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    }]);
    const policies = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((p: any) => p.Properties.Roles.some((r: any) => /^(Reconcile|Cleanup)Role/.test(r.Ref)))
      .map((p: any) => p.Properties.PolicyDocument.Statement);
    expect(policies).toEqual(expect.arrayContaining([
      [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: service.stack.getLogicalId(service.workflow.stateMachine.node.defaultChild as any) } }],
      [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { 'Fn::GetAtt': [service.stack.getLogicalId(service.goodbye.node.defaultChild as any), 'Arn'] } }],
    ]));
    expect(policies).toHaveLength(2);
  });

  test('passes both rule packs (synthesis would throw otherwise)', () => {
    // THEN
    expect(new FleetGuardrailsChecks().validateScope(service.app).violations).toEqual([]);
  });

  test('a stack without schedules has no offset parameter', () => {
    // GIVEN (an empty stack: aws-cdk-lib's validator would warn that it has no resources)
    const stack = new ServiceStack(new App({ builtinCloudFormationValidation: false }), 'Plain', { serviceName: 'plain', blueprintVersion: '1.0.0' });
    // THEN
    expect(Template.fromStack(stack).toJSON().Parameters[SCHEDULE_OFFSET_PARAMETER]).toBeUndefined();
  });

  describe('rejects, naming the option, the value and the fix', () => {
    const fn = () => {
      const stack = new Stack(new App(), 'S');
      return { stack, target: lambda.Function.fromFunctionArn(stack, 'F', 'arn:aws:lambda:eu-west-1:123456789012:function:f') };
    };
    test.each([
      [{ every: Duration.minutes(7) }, 'S/Job: every must divide an hour or a day, got "7 minutes". Pass one of 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 minutes or 1, 2, 3, 4, 6, 8, 12, 24 hours: other intervals would drift against the per-account offset minute.'],
      [{ every: Duration.days(2) }, 'S/Job: every must divide an hour or a day, got "2 days". Pass one of 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 minutes or 1, 2, 3, 4, 6, 8, 12, 24 hours: other intervals would drift against the per-account offset minute.'],
      [{ every: Duration.minutes(5), flexibleWindow: Duration.minutes(5) }, 'S/Job: flexibleWindow must be a whole number of minutes from 1 to 4, got "5 minutes". Pass a window shorter than the interval (EventBridge Scheduler allows 1-1440 minutes), so runs do not overlap.'],
      [{ every: Duration.hours(1), retryAttempts: 186 }, 'S/Job: retryAttempts must be an integer between 0 and 185, got 186. Pass a value from 0 to 185 (the limits of an EventBridge Scheduler retry policy).'],
      [{ every: Duration.hours(1), maxEventAge: Duration.seconds(30) }, 'S/Job: maxEventAge must be a whole number of seconds between 60 and 86400, got "30 seconds". Pass a Duration from 1 minute to 1 day (the limits of an EventBridge Scheduler retry policy).'],
    ])('%j', (props, message) => {
      const { stack, target } = fn();
      expect(() => new JitteredSchedule(stack, 'Job', { target, ...props } as any)).toThrow(message);
    });
  });
});

describe('scheduleOffsetMinute', () => {
  test('is deterministic and within 0-59', () => {
    expect(scheduleOffsetMinute('123456789012')).toBe(scheduleOffsetMinute('123456789012'));
    expect(scheduleOffsetMinute('123456789012')).toBeGreaterThanOrEqual(0);
    expect(scheduleOffsetMinute('123456789012')).toBeLessThan(60);
  });

  test('spreads 6,000 consecutive account ids over every minute of the hour', () => {
    // GIVEN account ids as an organization hands them out (close together)
    const counts = new Array(60).fill(0);
    for (let i = 0; i < 6_000; i++) counts[scheduleOffsetMinute(String(100_000_000_000 + i))]++;
    // THEN no minute gets more than twice its fair share (100)
    expect(Math.min(...counts)).toBeGreaterThan(50);
    expect(Math.max(...counts)).toBeLessThan(200);
  });

  test('rejects what is not an account id', () => {
    expect(() => scheduleOffsetMinute('12345')).toThrow('scheduleOffsetMinute: accountId must be a 12-digit AWS account id, got "12345". Pass the tenant account id, for example "123456789012".');
  });
});
