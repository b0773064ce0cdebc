import { FAILURE_MESSAGE_INPUT_PATHS, FAILURE_MESSAGE_TEMPLATE } from '@fleet/contracts';
import { targetInput, TargetInputError, toEventEnvelope } from '../../src/event-patterns';

/** The EC2 example of "Amazon EventBridge input transformation" (EventBridge User Guide, eb-transform-target-input). */
const EC2 = {
  'version': '0',
  'id': '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 Instance State-change Notification',
  'source': 'aws.ec2',
  'account': '123456789012',
  'time': '2015-11-11T21:29:54Z',
  'region': 'us-east-1',
  'resources': ['arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111'],
  'detail': { 'instance-id': 'i-0123456789', 'state': 'RUNNING' },
};
const PREDEFINED = { ruleArn: 'arn:aws:events:us-east-1:123456789012:rule/r', ruleName: 'r', ingestionTime: '2015-11-11T21:29:55Z' };
const paths = { instance: '$.detail.instance-id', state: '$.detail.state' };

describe('target input (EventBridge User Guide, "Amazon EventBridge input transformation")', () => {
  test('without Input, InputPath or InputTransformer the target receives the whole event', () => {
    expect(targetInput(EC2, {}, PREDEFINED, 't')).toBe(EC2);
  });

  test('InputPath selects a part of the event; Input is a constant', () => {
    expect(targetInput(EC2, { InputPath: '$.detail' }, PREDEFINED, 't')).toEqual(EC2.detail);
    expect(targetInput(EC2, { Input: '{"fixed":true}' }, PREDEFINED, 't')).toEqual({ fixed: true });
  });

  test('a JSON template: a variable outside quotes keeps its JSON type, inside quotes it becomes text', () => {
    const template = '{"instance": <instance>, "state": [9, <state>, true], "Transformed": "Yes", "text": "<instance> is in state <state>"}';
    expect(targetInput(EC2, { InputTransformer: { InputPathsMap: paths, InputTemplate: template } }, PREDEFINED, 't')).toEqual({
      instance: 'i-0123456789', state: [9, 'RUNNING', true], Transformed: 'Yes', text: 'i-0123456789 is in state RUNNING',
    });
  });

  test('a string template gives a string', () => {
    expect(targetInput(EC2, { InputTransformer: { InputPathsMap: paths, InputTemplate: '"instance <instance> is in <state>"' } }, PREDEFINED, 't')).toBe('instance i-0123456789 is in RUNNING');
  });

  test('the predefined variables: rule, ingestion time, the event with and without detail', () => {
    const template = '{"rule":"<aws.events.rule-name>","arn":"<aws.events.rule-arn>","at":"<aws.events.event.ingestion-time>","envelope":<aws.events.event>,"all":<aws.events.event.json>}';
    const { detail: _d, ...envelope } = EC2;
    expect(targetInput(EC2, { InputTransformer: { InputTemplate: template } }, PREDEFINED, 't')).toEqual({
      rule: 'r', arn: PREDEFINED.ruleArn, at: PREDEFINED.ingestionTime, envelope, all: EC2,
    });
  });

  test('the central failure rule\'s template gives the central DLQ body: tenant and region from the envelope', () => {
    const message = targetInput(EC2, { InputTransformer: { InputPathsMap: { ...FAILURE_MESSAGE_INPUT_PATHS }, InputTemplate: FAILURE_MESSAGE_TEMPLATE } }, PREDEFINED, 't');
    expect(message).toEqual({ fleetFailureMessage: 1, tenant: '123456789012', region: 'us-east-1', eventId: EC2.id, ruleArn: PREDEFINED.ruleArn, ingestedAt: PREDEFINED.ingestionTime, event: EC2 });
  });

  test('a template that gives no JSON, a reserved variable name, and two input settings are refused with the fix', () => {
    expect(() => targetInput(EC2, { InputTransformer: { InputPathsMap: paths, InputTemplate: '{"text": <instance> is <state>}' } }, PREDEFINED, 'Rule R, target T'))
      .toThrow(TargetInputError);
    expect(() => targetInput(EC2, { InputTransformer: { InputPathsMap: paths, InputTemplate: '{"text": <instance> is <state>}' } }, PREDEFINED, 'Rule R, target T'))
      .toThrow(/^Rule R, target T: InputTemplate does not give JSON for this event \(.+\), got "\{\\"text\\": \\"i-0123456789\\" is \\"RUNNING\\"\}"\. Fix: quote text around variables \("<name> text"\) and leave variables holding objects unquoted\.$/);
    expect(() => targetInput(EC2, { InputTransformer: { InputPathsMap: { 'aws.events.x': '$.id' }, InputTemplate: '{}' } }, PREDEFINED, 'T'))
      .toThrow('T: InputPathsMap variable "aws.events.x" uses a reserved name. Fix: rename it; names starting with "aws.events." are EventBridge\'s predefined variables.');
    expect(() => targetInput(EC2, { Input: '{}', InputPath: '$' }, PREDEFINED, 'T'))
      .toThrow('T: sets Input and InputPath, got {"Input":"{}","InputPath":"$"}. Fix: use only one of Input, InputPath and InputTransformer (EventBridge refuses more).');
  });
});

describe('toEventEnvelope', () => {
  const defaults = { account: '111122223333', region: 'eu-west-1', time: '2026-03-02T07:00:00Z', id: () => 'id-1' };

  test('fills what EventBridge sets on an event given without it', () => {
    expect(toEventEnvelope({ 'source': 's', 'detail-type': 'D' }, defaults)).toEqual({
      'version': '0', 'id': 'id-1', 'source': 's', 'detail-type': 'D', 'account': '111122223333', 'time': '2026-03-02T07:00:00Z', 'region': 'eu-west-1', 'resources': [], 'detail': {},
    });
  });

  test('a PutEvents entry becomes the envelope EventBridge delivers', () => {
    expect(toEventEnvelope({ Source: 's', DetailType: 'D', Detail: '{"a":1}', Resources: ['arn:x'], Time: '2026-03-02T08:00:00.000Z' }, defaults)).toEqual({
      'version': '0', 'id': 'id-1', 'source': 's', 'detail-type': 'D', 'account': '111122223333', 'time': '2026-03-02T08:00:00Z', 'region': 'eu-west-1', 'resources': ['arn:x'], 'detail': { a: 1 },
    });
  });

  test('every problem of an entry is reported at once', () => {
    expect(() => toEventEnvelope({ Source: '', DetailType: 'D', Detail: '[1]', Bus: 'x' }, defaults, 'events/x.json')).toThrow([
      'events/x.json: PutEvents entries have no field "Bus". Fix: use Source, DetailType, Detail, Resources, Time, EventBusName, TraceHeader.',
      'events/x.json: Source must be a non-empty string, got "". Fix: set Source (PutEvents refuses an entry without it).',
      'events/x.json: Detail must be a JSON object, got "[1]". Fix: send an object.',
    ].join('\n'));
  });
});
