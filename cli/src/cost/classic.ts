import { CfnResource, CfnTemplate, flatten, referenced, ServiceTemplate } from './template';

/**
 * The same service built the "classic" way, derived from our template:
 * - every Lambda or Step Functions target of every EventBridge rule (event pattern or schedule)
 *   and every EventBridge Scheduler schedule gets an SQS queue in front of it (targets such as a
 *   cross-account event bus stay as they are): the rule/schedule sends to the queue, a
 *   Lambda event source mapping polls the queue and invokes the consumer. A consumer that is not a
 *   Lambda function (the state machine) gets a small "starter" function that polls the queue and
 *   starts it. Scheduler schedules become plain `AWS::Events::Rule` schedules (no jitter);
 * - a dead-letter queue per queue (redrive policy), with one alarm on its depth;
 * - one alarm per function on Errors and Throttles (a metric math alarm reading both metrics,
 *   billed as 2 alarm metrics, like two single-metric alarms);
 * - our own alarms (account-level AsyncEventsDropped/ConcurrentExecutions) are removed: the classic
 *   design replaces them with the per-function and per-DLQ alarms above.
 * Everything else (functions, state machine, table, log groups, roles) stays as it is.
 */
export function toClassic(svc: ServiceTemplate): ServiceTemplate {
  const source = svc.template.Resources ?? {};
  const resources: Record<string, CfnResource> = {};
  for (const [id, r] of Object.entries(source)) {
    if (r.Type === 'AWS::CloudWatch::Alarm' || r.Type === 'AWS::CloudWatch::CompositeAlarm') continue;
    resources[id] = structuredClone(r);
  }
  const template: CfnTemplate = { ...structuredClone(svc.template), Resources: resources };

  const put = (id: string, resource: CfnResource): string => {
    let unique = id;
    for (let i = 2; resources[unique]; i++) unique = `${id}${i}`;
    resources[unique] = resource;
    return unique;
  };

  const addQueueFor = (ownerId: string, index: number, consumerArn: unknown): { Arn: unknown } => {
    const dlq = put(`${ownerId}Target${index}ClassicDlq`, { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } });
    const queue = put(`${ownerId}Target${index}ClassicQueue`, {
      Type: 'AWS::SQS::Queue',
      Properties: { RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 3 } },
    });
    put(`${dlq}DepthAlarm`, {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum', Period: 60,
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
        Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1,
      },
    });
    let functionArn: unknown = consumerArn;
    const consumer = referenced(template, consumerArn);
    if (consumer?.resource.Type !== 'AWS::Lambda::Function') {
      const starter = put(`${ownerId}Target${index}ClassicStarter`, {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Description: `Polls the queue and starts ${consumer?.id ?? flatten(consumerArn)} (classic design)`,
          Runtime: 'nodejs22.x', Architectures: ['arm64'], MemorySize: 128, Handler: 'index.handler',
        },
      });
      functionArn = { 'Fn::GetAtt': [starter, 'Arn'] };
    }
    put(`${ownerId}Target${index}ClassicPoller`, {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] }, FunctionName: functionArn, BatchSize: 10 },
    });
    return { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } };
  };

  for (const [id, r] of Object.entries({ ...resources })) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::Events::Rule' && Array.isArray(p.Targets)) {
      p.Targets = p.Targets.map((target: Record<string, unknown>, i: number) => (isConsumer(template, target.Arn)
        ? { Id: target.Id ?? `Target${i}`, ...addQueueFor(id, i, target.Arn) }
        : target));
    } else if (r.Type === 'AWS::Scheduler::Schedule') {
      const target = addQueueFor(id, 0, p.Target?.Arn);
      resources[id] = {
        Type: 'AWS::Events::Rule',
        Properties: { ScheduleExpression: p.ScheduleExpression, State: p.State === 'DISABLED' ? 'DISABLED' : 'ENABLED', Targets: [{ Id: 'Target0', ...target }] },
      };
    }
  }

  for (const [id, r] of Object.entries({ ...resources })) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const metric = (name: string, mid: string) => ({
      Id: mid, ReturnData: false,
      MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: name, Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }] }, Period: 60, Stat: 'Sum' },
    });
    put(`${id}ErrorsThrottlesAlarm`, {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        Metrics: [metric('Errors', 'errors'), metric('Throttles', 'throttles'), { Id: 'failures', Expression: 'errors + throttles', ReturnData: true }],
        Threshold: 0, ComparisonOperator: 'GreaterThanThreshold', EvaluationPeriods: 1,
      },
    });
  }
  return { service: svc.service, template };
}

/** A target that consumes events (a function or a state machine), as opposed to a bus that forwards them. */
function isConsumer(template: CfnTemplate, arn: unknown): boolean {
  const type = referenced(template, arn)?.resource.Type;
  if (type) return ['AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Version', 'AWS::StepFunctions::StateMachine'].includes(type);
  const text = flatten(arn);
  return text.includes(':lambda:') || text.includes(':states:');
}
