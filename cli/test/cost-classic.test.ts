import { toClassic } from '../src/cost/classic';
import { serviceCost } from '../src/cost/model';
import { CfnTemplate } from '../src/cost/template';

const ours: CfnTemplate = {
  Resources: {
    Validate: { Type: 'AWS::Lambda::Function', Properties: { Architectures: ['arm64'], MemorySize: 256 } },
    Heartbeat: { Type: 'AWS::Lambda::Function', Properties: { Architectures: ['arm64'], MemorySize: 256 } },
    Workflow: { Type: 'AWS::StepFunctions::StateMachine', Properties: { StateMachineType: 'STANDARD', DefinitionString: '{}' } },
    RegisteredRule: {
      Type: 'AWS::Events::Rule',
      Properties: { EventPattern: { source: ['scanner.device'] }, Targets: [{ Id: 'Target0', Arn: { Ref: 'Workflow' }, RoleArn: 'role' }] },
    },
    HeartbeatRule: {
      Type: 'AWS::Events::Rule',
      Properties: { EventPattern: { source: ['scanner.device'] }, Targets: [{ Id: 'Target0', Arn: { 'Fn::GetAtt': ['Heartbeat', 'Arn'] } }] },
    },
    DroppedAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Metrics: [{ Id: 'q', Expression: 'SELECT SUM(AsyncEventsDropped) FROM SCHEMA("AWS/Lambda", FunctionName)', Period: 60 }] },
    },
  },
};

describe('the classic design, derived from our template', () => {
  const classic = toClassic({ service: 'svc', template: ours }).template;
  const ofType = (type: string) => Object.entries(classic.Resources!).filter(([, r]) => r.Type === type);

  test('each rule target gets a queue with a DLQ, and a poller in front of its consumer', () => {
    const queues = ofType('AWS::SQS::Queue');
    expect(queues).toHaveLength(4);
    expect(queues.filter(([, q]) => q.Properties?.RedrivePolicy)).toHaveLength(2);
    const pollers = ofType('AWS::Lambda::EventSourceMapping');
    expect(pollers).toHaveLength(2);
    for (const [, rule] of ofType('AWS::Events::Rule')) {
      const target = rule.Properties!.Targets[0];
      expect(classic.Resources![target.Arn['Fn::GetAtt'][0]].Type).toBe('AWS::SQS::Queue');
    }
    // the function consumer is polled directly; the state machine gets a starter function
    expect(pollers.map(([, m]) => m.Properties!.FunctionName)).toEqual(
      expect.arrayContaining([{ 'Fn::GetAtt': ['Heartbeat', 'Arn'] }, { 'Fn::GetAtt': ['RegisteredRuleTarget0ClassicStarter', 'Arn'] }]),
    );
  });

  test('our alarms are replaced by one Errors/Throttles alarm per function and one per DLQ depth', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.map(([id]) => id).sort()).toEqual([
      'HeartbeatErrorsThrottlesAlarm',
      'HeartbeatRuleTarget0ClassicDlqDepthAlarm',
      'RegisteredRuleTarget0ClassicDlqDepthAlarm',
      'RegisteredRuleTarget0ClassicStarterErrorsThrottlesAlarm',
      'ValidateErrorsThrottlesAlarm',
    ]);
  });

  test('the classic idle cost: 2 pollers + 2 DLQ alarms + 3 two-metric function alarms', () => {
    const cost = serviceCost({ service: 'svc', template: classic });
    // 2 x 657,000 x $0.40/M + 2 x $0.10 + 3 x 2 x $0.10
    expect(cost.monthly).toBeCloseTo(0.5256 + 0.2 + 0.6, 10);
    expect(cost.unpriced).toEqual([]);
  });

  test('a Scheduler schedule becomes a plain schedule rule feeding a queue', () => {
    const scheduled = toClassic({
      service: 's',
      template: {
        Resources: {
          F: { Type: 'AWS::Lambda::Function', Properties: {} },
          S: { Type: 'AWS::Scheduler::Schedule', Properties: { ScheduleExpression: 'rate(1 day)', Target: { Arn: { 'Fn::GetAtt': ['F', 'Arn'] } } } },
        },
      },
    }).template;
    expect(scheduled.Resources!.S.Type).toBe('AWS::Events::Rule');
    expect(scheduled.Resources!.S.Properties!.ScheduleExpression).toBe('rate(1 day)');
    expect(Object.values(scheduled.Resources!).filter((r) => r.Type === 'AWS::Lambda::EventSourceMapping')).toHaveLength(1);
  });

  test('the input template is not modified', () => {
    expect(Object.keys(ours.Resources!)).toHaveLength(6);
    expect(ours.Resources!.HeartbeatRule.Properties!.Targets[0].Arn).toEqual({ 'Fn::GetAtt': ['Heartbeat', 'Arn'] });
  });
});

describe('the classic design keeps forwarding rules as they are', () => {
  test('a rule forwarding to another account\'s bus gets no queue and no poller', () => {
    const forward: CfnTemplate = {
      Resources: {
        Forward: {
          Type: 'AWS::Events::Rule',
          Properties: { EventPattern: { source: ['aws.cloudwatch'] }, Targets: [{ Id: 'Target0', Arn: { Ref: 'FailureBusArn' }, RoleArn: 'role' }] },
        },
      },
    };
    const classic = toClassic({ service: 'baseline', template: forward }).template;
    expect(classic.Resources).toEqual(forward.Resources);
  });
});
