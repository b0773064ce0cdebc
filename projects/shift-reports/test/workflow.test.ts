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

describe('shift-reports workflow', () => {
  const { StartAt, States } = definition();

  test('starts by loading the scans of the shift in the detail of the event', () => {
    expect(StartAt).toBe('Load shift scans');
    expect(States['Load shift scans'].Parameters).toEqual({ 'FunctionName': 'TOKEN', 'Payload.$': '$.detail' });
    expect(States['Load shift scans'].Next).toBe('Any scans?');
  });

  test('ends a shift nobody scanned in without a report', () => {
    expect(States['Any scans?'].Choices).toEqual([{ Variable: '$.workers[0]', IsPresent: true, Next: 'Compute shift metrics' }]);
    expect(States['Any scans?'].Default).toBe('No scans in shift');
    expect(States['No scans in shift'].Type).toBe('Succeed');
  });

  test('computes metrics, detects anomalies and flags the report for review when there are any', () => {
    expect(States['Compute shift metrics'].Next).toBe('Detect anomalies');
    expect(States['Detect anomalies'].Next).toBe('Anomalies found?');
    expect(States['Anomalies found?'].Choices).toEqual([{ Variable: '$.anomalies[0]', IsPresent: true, Next: 'Flag for review' }]);
    expect(States['Anomalies found?'].Default).toBe('Mark routine');
    expect(States['Flag for review']).toEqual({ Type: 'Pass', Result: 'needs-review', ResultPath: '$.status', Next: 'Store shift report' });
    expect(States['Mark routine']).toEqual({ Type: 'Pass', Result: 'routine', ResultPath: '$.status', Next: 'Store shift report' });
  });

  test('stores the report, keeping it as the state, then formats the summary', () => {
    expect(States['Store shift report'].ResultPath).toBeNull();
    expect(States['Store shift report'].Next).toBe('Format shift summary');
    expect(States['Format shift summary'].Next).toBe('Report ready');
    expect(States['Report ready'].Type).toBe('Succeed');
  });

  test('rejects an event that does not describe a shift without a failure report', () => {
    expect(States['Load shift scans'].Catch).toEqual([
      { ErrorEquals: ['InvalidShiftEventError'], ResultPath: '$.error', Next: 'Shift event rejected' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Has error?' },
    ]);
    expect(States['Shift event rejected']).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  test('every other error of every step goes to the failure path', () => {
    for (const name of ['Compute shift metrics', 'Detect anomalies', 'Store shift report', 'Format shift summary']) {
      expect(States[name].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Has error?' }]);
    }
  });
});
