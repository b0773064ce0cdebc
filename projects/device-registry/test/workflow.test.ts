import { Template } from 'aws-cdk-lib/assertions';
import { serviceApp } from '@fleet/workflows';
import { buildStack } from '../src/main';

// The App `fleet run` builds: no CloudFormation validator, no cdk-nag packs, no bundling (the
// handlers run from source). The one checked synthesis of this stack is test/stack.test.ts's.
const LOCAL_RUN = { validation: false, bundling: false };

interface AslState {
  readonly Type: string;
  readonly Next?: string;
  readonly Default?: string;
  readonly Choices?: Array<{ Variable: string; Next: string; [test: string]: unknown }>;
  readonly Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>;
  readonly [key: string]: unknown;
}

/** The state machine definition; the tokens in it (function ARNs, bus name) become "TOKEN". */
function definition(): { StartAt: string; States: Record<string, AslState> } {
  const template = Template.fromStack(buildStack(serviceApp(LOCAL_RUN)));
  const [stateMachine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const parts: unknown[] = stateMachine.Properties.DefinitionString['Fn::Join'][1];
  return JSON.parse(parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join(''));
}

describe('device-registry workflow', () => {
  const { StartAt, States } = definition();

  test('starts by validating the detail of the event', () => {
    expect(StartAt).toBe('Validate registration');
    expect(States['Validate registration'].Parameters).toEqual({ 'FunctionName': 'TOKEN', 'Payload.$': '$.detail' });
  });

  test('registers the device, keeping the registration as the state', () => {
    expect(States['Validate registration'].Next).toBe('Register device');
    expect(States['Register device'].ResultPath).toBeNull();
    expect(States['Register device'].Next).toBe('Worker given?');
  });

  test('assigns the worker only when the registration names one, then summarizes', () => {
    expect(States['Worker given?'].Choices).toEqual([{ Variable: '$.workerId', IsPresent: true, Next: 'Assign worker' }]);
    expect(States['Worker given?'].Default).toBe('Summarize device');
    expect(States['Assign worker'].Parameters).toEqual({
      FunctionName: 'TOKEN',
      Payload: { 'serialNumber.$': '$.serialNumber', 'workerId.$': '$.workerId', 'assignedAt.$': '$.registeredAt' },
    });
    expect(States['Assign worker'].ResultPath).toBe('$.assignment');
    expect(States['Assign worker'].Next).toBe('Summarize device');
    expect(States['Summarize device'].Next).toBe('Device registered');
    expect(States['Device registered'].Type).toBe('Succeed');
  });

  test('retries an assignment that raced another one', () => {
    expect(States['Assign worker'].Retry).toContainEqual({
      ErrorEquals: ['AssignmentConflictError'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL',
    });
  });

  test('rejects an invalid registration and a taken serial number without a failure report', () => {
    expect(States['Validate registration'].Catch![0]).toEqual({ ErrorEquals: ['InvalidRegistrationError'], ResultPath: '$.error', Next: 'Registration rejected' });
    expect(States['Register device'].Catch![0]).toEqual({ ErrorEquals: ['DeviceAlreadyRegisteredError'], ResultPath: '$.error', Next: 'Serial number taken' });
    expect(States['Registration rejected']).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    expect(States['Serial number taken']).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  test('every other error of every step goes to the failure path', () => {
    for (const name of ['Validate registration', 'Register device', 'Assign worker', 'Summarize device']) {
      expect(States[name].Catch!.at(-1)).toEqual({ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Has error?' });
    }
  });

  test('does not invoke record-heartbeat: heartbeats go to it directly', () => {
    const invoked = Object.values(States).filter((state) => state.Resource !== undefined && String(state.Resource).includes('lambda:invoke'));
    expect(invoked).toHaveLength(4);
  });
});
