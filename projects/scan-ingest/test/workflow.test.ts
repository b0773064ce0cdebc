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

describe('scan-ingest workflow', () => {
  const { StartAt, States } = definition();

  test('starts by validating the detail of the event against its arrival time', () => {
    expect(StartAt).toBe('Validate scan');
    expect(States['Validate scan'].Parameters).toEqual({ FunctionName: 'TOKEN', Payload: { 'detail.$': '$.detail', 'uploadedAt.$': '$.time' } });
  });

  test('the happy path validates, checks, enriches, stores and counts the scan', () => {
    expect(States['Validate scan'].Next).toBe('Find stored copy');
    expect(States['Find stored copy'].Next).toBe('Already stored?');
    expect(States['Already stored?'].Default).toBe('Enrich scan');
    expect(States['Enrich scan'].Next).toBe('Store scan');
    expect(States['Store scan'].Next).toBe('Count scan');
    expect(States['Count scan'].Next).toBe('Scan ingested');
    expect(States['Scan ingested'].Type).toBe('Succeed');
  });

  test('keeps the scan as the state and the duplicate check beside it', () => {
    expect(States['Find stored copy'].ResultPath).toBe('$.duplicateCheck');
    expect(States['Already stored?'].Choices).toEqual([
      { Variable: '$.duplicateCheck.Payload.duplicate', BooleanEquals: true, Next: 'Duplicate ignored' },
    ]);
    expect(States['Duplicate ignored'].Type).toBe('Succeed');
  });

  test('a scan stored by a racing resend is ignored like a duplicate', () => {
    expect(States['Store scan'].Catch).toEqual([
      { ErrorEquals: ['DuplicateScanError'], ResultPath: '$.error', Next: 'Duplicate ignored' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Has error?' },
    ]);
  });

  test('an invalid scan is rejected without a failure report', () => {
    expect(States['Validate scan'].Catch).toEqual([
      { ErrorEquals: ['InvalidScanError'], ResultPath: '$.error', Next: 'Scan rejected' },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Has error?' },
    ]);
    expect(States['Scan rejected']).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  test('every other error of every step goes to the failure path', () => {
    for (const name of ['Find stored copy', 'Enrich scan', 'Count scan']) {
      expect(States[name].Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Has error?' }]);
    }
  });
});
