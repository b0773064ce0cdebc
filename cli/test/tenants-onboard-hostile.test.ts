import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { CONTROL_PLANE_OUTPUTS, ONBOARDING_OUTPUTS } from '@fleet/contracts';
import { Command } from 'commander';
import { rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { runRelease } from '../src/commands/release';
import { registerTenants } from '../src/commands/tenants';
import { aws, awsCalls, controlPlaneDeployed, fakeSynth, makeFleetRoot, resetAws, testDeps } from './fixtures/rollout-deps';

/**
 * `fleet tenants onboard` given requests by someone who means harm, or by mistake: every one is
 * refused before the first StartExecution, so no tenant of a batch is half-onboarded.
 */

const NOW = new Date('2026-12-01T10:00:00Z');
const deps = testDeps(NOW);
const ONBOARDING = 'arn:aws:states:eu-west-1:999988887777:stateMachine:fleet-onboarding';
const ROLLOUT = 'arn:aws:states:eu-west-1:999988887777:stateMachine:fleet-rollout';
let root: string;

async function onboard(args: string[]): Promise<string> {
  const output: string[] = [];
  const program = new Command('fleet').exitOverride().configureOutput({ writeErr: () => undefined });
  registerTenants(program, (text) => output.push(text), deps);
  await program.parseAsync(['node', 'fleet', 'tenants', 'onboard', ...args]);
  return output.join('');
}

function request(i: number, overrides: Record<string, string> = {}): Record<string, string> {
  const id = `tenant-${String(i).padStart(4, '0')}`;
  return { requestId: `r-${id}`, tenantId: id, accountName: `Tenant ${i}`, email: `aws+${id}@example.com`, organizationalUnitId: 'ou-a1b2-eu5k2m9q', homeRegion: 'eu-west-1', ...overrides };
}

function requestsFile(requests: object[]): string {
  writeFileSync(path.join(root, 'requests.json'), JSON.stringify(requests));
  return 'requests.json';
}

beforeEach(async () => {
  resetAws();
  root = makeFleetRoot(`export default { rings: [{ name: 'main', maxConcurrency: 10, bakeMinutes: 0 }], services: { 'scan-ingest': { dependsOn: ['device-registry'] } }, tenants: [
    { id: 'existing', accountId: '111111111111', homeRegion: 'eu-west-1', organizationalUnit: 'ou-a1b2-eu5k2m9q', ring: 'main' },
  ] };\n`, { prefix: 'fleet-onboard-hostile-' });
  jest.spyOn(process, 'cwd').mockReturnValue(root);
  await runRelease([], { all: true, failureBusArn: 'arn:aws:events:{region}:999988887777:event-bus/failures' }, root, deps, fakeSynth());
  aws.sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:aws:states:eu-west-1:999988887777:execution:fleet-onboarding:x', startDate: NOW });
});

afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('fleet tenants onboard refuses hostile requests before any account is created', () => {
  test('GIVEN account names with a bidirectional override, a non-breaking space or DEL (CreateAccount takes printable ASCII only) WHEN onboarding THEN each is refused, no AWS call', async () => {
    const file = requestsFile([request(1, { accountName: 'Acme \u202eevil' }), request(2, { accountName: 'Acme\u00a0Logistics' }), request(3, { accountName: 'Acme\u007f' })]);
    const fix = 'Fix: use a name such as "Acme Logistics".';
    const what = 'must be 1-50 printable ASCII characters (the AWS account name: letters, digits, spaces and punctuation)';
    await expect(onboard(['--file', file])).rejects.toThrow([
      `requests.json[0].accountName: ${what}, got "Acme \u202eevil". ${fix}`,
      `requests.json[1].accountName: ${what}, got "Acme\u00a0Logistics". ${fix}`,
      `requests.json[2].accountName: ${what}, got "Acme\u007f". ${fix}`,
    ].join('\n'));
    expect(awsCalls()).toBe(0);
  });

  test('GIVEN a request for a tenant tenants.ts already has WHEN onboarding THEN refused: a second account would be created for it', async () => {
    controlPlaneDeployed({ now: NOW, rolloutStateMachineArn: ROLLOUT, onboarding: { stateMachineArn: ONBOARDING, registryTable: 'fleet-tenant-registry' } });
    await expect(onboard(['--tenant', 'existing', '--account-name', 'Existing again', '--email', 'aws+again@example.com', '--ou', 'ou-a1b2-eu5k2m9q', '--region', 'eu-west-1'])).rejects.toThrow(
      'Tenant "existing" (request onboard-existing): is already in tenants.ts with account 111111111111; onboarding it would create a second account. Fix: give a new tenant its own id; a tenant of tenants.ts gets new services by npx fleet rollout start.',
    );
    expect(awsCalls()).toBe(0);
  });

  test('GIVEN a batch whose execution input exceeds the 256 KiB Step Functions accepts WHEN onboarding THEN refused with the batch size that fits, nothing started', async () => {
    controlPlaneDeployed({ now: NOW, rolloutStateMachineArn: ROLLOUT, onboarding: { stateMachineArn: ONBOARDING, registryTable: 'fleet-tenant-registry' } });
    const file = requestsFile(Array.from({ length: 1_600 }, (_, i) => request(i)));
    await expect(onboard(['--file', file, '--batch-id', 'onboard-big'])).rejects.toThrow(
      /^Onboarding batch onboard-big: is [\d,]+ bytes of execution input for 1600 requests in eu-west-1, more than the 262,144 Step Functions accepts, got 1600\. Fix: split the requests into files of at most 1,\d{3} and onboard each with its own --batch-id\.$/,
    );
    expect(aws.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('GIVEN a batch over two Regions, one control plane without onboarding WHEN onboarding THEN neither Region starts (no half-onboarded batch)', async () => {
    aws.cfn.on(DescribeStacksCommand).callsFake(async (_input, getClient) => {
      const region = await (getClient() as CloudFormationClient).config.region();
      return { Stacks: [{
        StackName: 'control-plane', StackStatus: 'UPDATE_COMPLETE', CreationTime: NOW,
        Outputs: [
          { OutputKey: CONTROL_PLANE_OUTPUTS.rolloutStateMachineArn, OutputValue: ROLLOUT },
          { OutputKey: CONTROL_PLANE_OUTPUTS.rolloutBucketName, OutputValue: 'fleet-rollouts' },
          { OutputKey: CONTROL_PLANE_OUTPUTS.releaseStatusTableName, OutputValue: 'fleet-release-status' },
          { OutputKey: CONTROL_PLANE_OUTPUTS.releaseBucketPrefix, OutputValue: 'fleet-releases' },
          ...(region === 'eu-west-1' ? [
            { OutputKey: ONBOARDING_OUTPUTS.onboardingStateMachineArn, OutputValue: ONBOARDING },
            { OutputKey: ONBOARDING_OUTPUTS.tenantRegistryTableName, OutputValue: 'fleet-tenant-registry' },
          ] : []),
        ],
      }] };
    });
    const file = requestsFile([request(1), request(2, { homeRegion: 'us-east-1' })]);
    await expect(onboard(['--file', file])).rejects.toThrow(
      'Control plane stack "control-plane" in us-east-1: has no tenant onboarding (no TenantOnboardingStateMachineArn output). Fix: remove onboarding: false from the control plane in .projenrc.ts, run npx projen, and deploy projects/control-plane again.',
    );
    expect(aws.sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});
