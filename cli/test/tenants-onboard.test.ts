import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { OnboardingInput } from '@fleet/contracts';
import { Command } from 'commander';
import { rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { runRelease } from '../src/commands/release';
import { registerTenants } from '../src/commands/tenants';
import { OnboardDeps } from '../src/onboarding/start-onboarding';
import { aws, awsCalls, controlPlaneDeployed as sharedControlPlaneDeployed, fakeSynth as sharedFakeSynth, makeFleetRoot, resetAws, testDeps } from './fixtures/rollout-deps';

const { sfn, dynamodb } = aws;
const NOW = new Date('2026-12-01T10:00:00Z');
const ONBOARDING = 'arn:aws:states:eu-west-1:999988887777:stateMachine:fleet-onboarding';
const EXECUTION = `arn:aws:states:eu-west-1:999988887777:execution:fleet-onboarding:onboard-acme`;

const deps: OnboardDeps = testDeps(NOW);

let root: string;
let output: string[];

/** A fleet root with two tenant services (scan-ingest after device-registry) and a registry. */
function makeFleet(): string {
  return makeFleetRoot(`export default { rings: [{ name: 'main', maxConcurrency: 10, bakeMinutes: 0 }], services: { 'scan-ingest': { dependsOn: ['device-registry'], rollbackAlarmNames: ['scan-errors'] } }, tenants: [
    { id: 'existing', accountId: '111111111111', homeRegion: 'eu-west-1', organizationalUnit: 'ou-a1b2-eu5k2m9q', ring: 'main' },
  ] };\n`, { prefix: 'fleet-onboard-test-' });
}

const fakeSynth = sharedFakeSynth();

async function run(args: string[]): Promise<string> {
  const program = new Command('fleet').exitOverride().configureOutput({ writeErr: () => undefined });
  registerTenants(program, (text) => output.push(text), deps);
  await program.parseAsync(['node', 'fleet', ...args]);
  return output.join('');
}

function controlPlaneDeployed(withOnboarding = true): void {
  sharedControlPlaneDeployed({
    now: NOW, rolloutStateMachineArn: 'arn:aws:states:eu-west-1:999988887777:stateMachine:fleet-rollout',
    ...(withOnboarding ? { onboarding: { stateMachineArn: ONBOARDING, registryTable: 'fleet-tenant-registry' } } : {}),
  });
}

const FLAGS = ['tenants', 'onboard', '--tenant', 'acme', '--account-name', 'Acme', '--email', 'aws+acme@example.com', '--ou', 'ou-a1b2-eu5k2m9q', '--region', 'eu-west-1'];

beforeEach(async () => {
  resetAws();
  output = [];
  root = makeFleet();
  jest.spyOn(process, 'cwd').mockReturnValue(root);
  await runRelease([], { all: true, failureBusArn: 'arn:aws:events:{region}:999988887777:event-bus/failures' }, root, deps, fakeSynth);
});

afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('fleet tenants onboard', () => {
  test('GIVEN bad flags WHEN onboarding THEN every problem is reported at once and no AWS call is made', async () => {
    await expect(run(['tenants', 'onboard', '--tenant', 'Acme Corp', '--email', 'acme', '--ou', 'ou-x', '--region', 'mars-1'])).rejects.toThrow([
      '--account-name: is required. Fix: pass --account-name <value>, or give every request in --file <requests.json>.',
      '--tenant: must be kebab-case, at most 64 characters, got "Acme Corp". Fix: use a tenant id such as "acme-logistics".',
      '--email: must be an email address of 6-64 characters, unique in AWS (the account root user), got "acme". Fix: use an address such as "aws+acme@example.com".',
      '--ou: must be an OU id ("ou-" then the root part and 8-32 letters or digits), got "ou-x". Fix: copy it from `aws organizations list-organizational-units-for-parent` (a target OU of the tenant baseline StackSet).',
      '--region: must be an AWS Region, got "mars-1". Fix: use a Region name such as "eu-west-1" (the Region of the control plane that onboards the tenant).',
    ].join('\n'));
    expect(awsCalls()).toBe(0);
  });

  test('GIVEN a requests file with problems WHEN onboarding THEN each is named by its place in the file, duplicates included', async () => {
    writeFileSync(path.join(root, 'requests.json'), JSON.stringify([
      { requestId: 'r1', tenantId: 'acme', accountName: 'Acme', email: 'a@example.com', organizationalUnitId: 'ou-a1b2-eu5k2m9q', homeRegion: 'eu-west-1' },
      { requestId: 'r2', tenantId: 'acme', accountName: 'Acme 2', email: 'a@example.com', organizationalUnitId: 'ou-a1b2-eu5k2m9q', region: 'eu-west-1' },
    ]));
    await expect(run(['tenants', 'onboard', '--file', 'requests.json'])).rejects.toThrow([
      'requests.json[1].region: is not a field of a request, got "eu-west-1". Fix: use only requestId, tenantId, accountName, email, organizationalUnitId, homeRegion.',
      'requests.json[1].homeRegion: is required. Fix: add it to the request.',
      'requests.json[1].tenantId: repeats request 0 of the batch, got "acme". Fix: give each tenant one request in a batch.',
      'requests.json[1].email: repeats request 0 of the batch, got "a@example.com". Fix: give each tenant one request in a batch and each account its own email.',
    ].join('\n'));
    await expect(run(['tenants', 'onboard', '--file', 'requests.json', '--tenant', 'acme'])).rejects.toThrow(
      '--file: cannot be combined with --tenant, got "requests.json". Fix: put every request in the file, or leave --file out and describe one tenant with flags.');
    expect(awsCalls()).toBe(0);
  });

  test('GIVEN valid flags WHEN onboarding THEN one execution named after the batch gets the request and the current releases in dependency order', async () => {
    controlPlaneDeployed();
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: NOW });
    const text = await run([...FLAGS, '--batch-id', 'onboard-acme']);
    const [call] = sfn.commandCalls(StartExecutionCommand);
    expect(call.args[0].input.stateMachineArn).toBe(ONBOARDING);
    expect(call.args[0].input.name).toBe('onboard-acme');
    const input = JSON.parse(call.args[0].input.input!) as OnboardingInput;
    expect(input.requests).toEqual([{ requestId: 'onboard-acme', tenantId: 'acme', accountName: 'Acme', email: 'aws+acme@example.com', organizationalUnitId: 'ou-a1b2-eu5k2m9q', homeRegion: 'eu-west-1' }]);
    expect({ batchId: input.batchId, region: input.region, partition: input.partition }).toEqual({ batchId: 'onboard-acme', region: 'eu-west-1', partition: 'aws' });
    expect(input.levels.map((level) => level.map((s) => s.service))).toEqual([['device-registry'], ['scan-ingest']]);
    const [scan] = input.levels[1];
    expect(scan).toEqual(expect.objectContaining({
      stackName: 'fleet-scan-ingest', changeSetName: `fleet-${scan.releaseId}`, rollbackAlarmNames: ['scan-errors'], monitoringTimeInMinutes: 0,
      templateUrl: `https://fleet-releases-eu-west-1.s3.eu-west-1.amazonaws.com/releases/scan-ingest/${scan.releaseId}/template.json`,
      parameters: [{ ParameterKey: 'FailureBusArn', ParameterValue: 'arn:aws:events:eu-west-1:999988887777:event-bus/failures' }],
    }));
    expect(text).toContain(`Onboarding onboard-acme started: 1 tenant in eu-west-1, services at ${input.levels.flat().map((s) => s.releaseId).join(', ')}.\n  ${EXECUTION}\n`);
  });

  test('GIVEN --wait WHEN the onboarding runs THEN each step is printed as it changes, and a failed tenant ends the command with its cause', async () => {
    controlPlaneDeployed();
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: NOW });
    const step = (state: string, extra: Record<string, any> = {}) => ({ M: { state: { S: state }, at: { S: NOW.toISOString() }, ...extra } });
    const cause = 'tenant acme: Organizations did not create account Acme: the daily account creation limit is reached (ACCOUNT_CREATION_RATE_LIMIT_EXCEEDED). Fix: send request onboard-acme again after 24 hours (it resumes here), or ask AWS Support to raise the limit.';
    dynamodb.on(GetItemCommand)
      .resolvesOnce({ Item: { tenantId: { S: 'acme' }, steps: { M: { record: step('DONE'), createAccount: step('IN_PROGRESS') } } } })
      .resolves({ Item: { tenantId: { S: 'acme' }, steps: { M: { record: step('DONE'), createAccount: step('FAILED', { error: { S: 'Fleet.AccountCreationRateLimitExceeded' }, cause: { S: cause } }) } } } });
    sfn.on(DescribeExecutionCommand)
      .resolvesOnce({ executionArn: EXECUTION, status: 'RUNNING', stateMachineArn: ONBOARDING, startDate: NOW })
      .resolves({ executionArn: EXECUTION, status: 'SUCCEEDED', stateMachineArn: ONBOARDING, startDate: NOW, output: JSON.stringify({
        batchId: 'onboard-acme', ready: 0, failed: 1, refused: 0,
        tenants: [{ requestId: 'onboard-acme', tenantId: 'acme', status: 'FAILED', failedStep: 'createAccount', error: 'Fleet.AccountCreationRateLimitExceeded', cause }],
      }) });
    await expect(run([...FLAGS, '--batch-id', 'onboard-acme', '--wait'])).rejects.toThrow(
      'Onboarding: not ready: acme. Fix: read each cause above, fix it, and run the same command again (the same request ids resume).');
    expect(output.join('')).toBe([
      'Onboarding onboard-acme: 1 tenant in eu-west-1',
      '  acme  record  DONE',
      '  acme  createAccount  IN_PROGRESS',
      `  acme  createAccount  FAILED: Fleet.AccountCreationRateLimitExceeded: ${cause}`,
      `onboard-acme: SUCCEEDED; acme FAILED: ${cause}`,
      '',
    ].join('\n'));
  });

  test('GIVEN a control plane built without onboarding WHEN onboarding THEN it says how to add it, and starts nothing', async () => {
    controlPlaneDeployed(false);
    await expect(run(FLAGS)).rejects.toThrow('Control plane stack "control-plane" in eu-west-1: has no tenant onboarding (no TenantOnboardingStateMachineArn output). Fix: remove onboarding: false from the control plane in .projenrc.ts, run npx projen, and deploy projects/control-plane again.');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('GIVEN --json WHEN started THEN the batch is printed as JSON', async () => {
    controlPlaneDeployed();
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: NOW });
    const [batch] = JSON.parse(await run([...FLAGS, '--json']));
    expect(batch).toEqual(expect.objectContaining({ batchId: 'onboard-20261201T100000Z', region: 'eu-west-1', executionArn: EXECUTION, registryTable: 'fleet-tenant-registry', tenants: ['acme'] }));
  });
});
