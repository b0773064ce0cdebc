import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FleetGuardrailsChecks, ServiceStack, TenantAlarms, TenantBaselineStack } from '../src';
import { buildFixtureService } from './fixtures/service';

const FAILURE_BUS_IS_CENTRAL = { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'FailureBusArn' }, ''] }] };

describe('TenantAlarms', () => {
  // GIVEN the fixture service with a per-service alarm
  const service = buildFixtureService();
  const alarms = new TenantAlarms(service.stack, 'Alarms', { functions: [service.hello, service.goodbye] });
  const template = Template.fromStack(service.stack);
  const json = template.toJSON();
  const id = (construct: any) => service.stack.getLogicalId(construct.node.defaultChild ?? construct);

  test('one alarm sums AsyncEventsDropped over the service functions with metric math', () => {
    // THEN
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    const alarm = json.Resources[id(alarms.alarms[0])].Properties;
    expect(alarm.AlarmName).toBe('fleet-order-intake-async-events-dropped');
    expect(alarm.Metrics).toEqual([
      { Id: 'expr_1', Label: 'AsyncEventsDropped', Expression: 'SUM([m0,m1])', ReturnData: true },
      { Id: 'm0', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'AsyncEventsDropped', Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(service.hello) } }] }, Period: 300, Stat: 'Sum' } },
      { Id: 'm1', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'AsyncEventsDropped', Dimensions: [{ Name: 'FunctionName', Value: { Ref: id(service.goodbye) } }] }, Period: 300, Stat: 'Sum' } },
    ]);
    expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', TreatMissingData: 'notBreaching' });
    expect(alarm.AlarmActions).toBeUndefined();
  });

  test('forwards the alarm state changes to the central failure bus, only when FailureBusArn names one', () => {
    // THEN
    const rule = json.Resources[id(alarms.forwardRule)];
    expect(rule.Condition).toBeDefined();
    expect(json.Conditions[rule.Condition]).toEqual(FAILURE_BUS_IS_CENTRAL);
    expect(rule.Properties.EventPattern).toEqual({
      'source': ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      'detail': { alarmName: ['fleet-order-intake-async-events-dropped'] },
    });
    expect(rule.Properties.Targets).toEqual([expect.objectContaining({ Arn: { Ref: 'FailureBusArn' } })]);
    const conditional = Object.values<any>(json.Resources).filter((r) => r.Condition === rule.Condition).map((r) => r.Type).sort();
    expect(conditional).toEqual(['AWS::Events::Rule', 'AWS::IAM::Policy', 'AWS::IAM::Role']);
  });

  test('passes both rule packs', () => {
    // THEN (synthesis above would have thrown too)
    expect(new FleetGuardrailsChecks().validateScope(service.app).violations).toEqual([]);
    expect(new AwsSolutionsChecks().validateScope(service.app).violations).toEqual([]);
  });

  test('more than 10 functions need one alarm per 10 (the metric math limit)', () => {
    // GIVEN
    const stack = new ServiceStack(new App(), 'Big', { serviceName: 'big', blueprintVersion: '1.0.0' });
    const functions = Array.from({ length: 11 }, (_, i) => lambda.Function.fromFunctionName(stack, `F${i}`, `f${i}`));
    // WHEN
    const big = new TenantAlarms(stack, 'Alarms', { functions });
    // THEN
    expect(big.alarms.map((alarm) => stack.resolve((alarm as any).alarmName))).toEqual(['fleet-big-async-events-dropped', 'fleet-big-async-events-dropped-2']);
  });

  test('account alarms: a Metrics Insights query over every function, and the account ConcurrentExecutions', () => {
    // GIVEN
    const stack = new TenantBaselineStack(new App(), 'Baseline', { blueprintVersion: '1.0.0', centralAccountId: '999988887777' });
    // WHEN
    const account = Template.fromStack(stack);
    // THEN exactly two alarms
    account.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    account.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'fleet-account-async-events-dropped',
      Metrics: [{ Id: 'dropped', Expression: 'SELECT SUM(AsyncEventsDropped) FROM SCHEMA("AWS/Lambda", FunctionName)', Period: 300, ReturnData: true }],
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
    const concurrency = Object.values<any>(account.findResources('AWS::CloudWatch::Alarm')).find((r) => r.Properties.AlarmName === 'fleet-account-concurrent-executions').Properties;
    expect(concurrency).toEqual(expect.objectContaining({ Namespace: 'AWS/Lambda', MetricName: 'ConcurrentExecutions', Statistic: 'Maximum', Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 5, Threshold: 800 }));
    expect(concurrency.Dimensions).toBeUndefined();
  });

  test('a ServiceStack has no alarm unless asked', () => {
    Template.fromStack(new ServiceStack(new App({ builtinCloudFormationValidation: false }), 'Plain', { serviceName: 'plain', blueprintVersion: '1.0.0' })).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test.each([
    [{}, 'Svc/Alarms: functions must list at least one function unless account is true, got []. Pass the service\'s functions, or account: true for the account-wide alarms.'],
    [{ account: true, concurrencyThreshold: 0 }, 'Svc/Alarms: concurrencyThreshold must be an integer between 1 and 1000000, got 0. Pass a value from 1 to 1000000 (a number of concurrent executions).'],
  ])('rejects %j naming the option, the value and the fix', (props, message) => {
    const stack = new ServiceStack(new App(), 'Svc', { serviceName: 'svc', blueprintVersion: '1.0.0' });
    expect(() => new TenantAlarms(stack, 'Alarms', props)).toThrow(message);
  });

});
