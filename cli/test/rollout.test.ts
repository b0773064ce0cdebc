import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetItemCommand, PutItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, DescribeMapRunCommand, ListMapRunsCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { RELEASE_KEYS, ROLLOUT_KEYS, RolloutInput } from '@fleet/contracts';
import { Command } from 'commander';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as path from 'path';
import { registerRelease, runRelease } from '../src/commands/release';
import { registerRollout } from '../src/commands/rollout';
import { registerTenants } from '../src/commands/tenants';
import { RolloutDeps } from '../src/rollout/rollout-clients';
import { aws, awsCalls, controlPlaneDeployed as sharedControlPlaneDeployed, fakeSynth as sharedFakeSynth, makeFleetRoot, resetAws, testDeps } from './fixtures/rollout-deps';

const { cfn, s3, sfn, dynamodb } = aws;
const NOW = new Date('2026-11-30T10:00:00Z');
const STATE_MACHINE = 'arn:aws:states:eu-west-1:999988887777:stateMachine:fleet-rollout';

const deps: RolloutDeps = testDeps(NOW);

const RINGS = `[{ name: 'canary', maxConcurrency: 1, bakeMinutes: 30, gateAlarmNames: ['canary-failures'], minimumExecutions: 10 }, { name: 'main', toleratedFailurePercentage: 10, maxConcurrency: 20, bakeMinutes: 60 }]`;
const TENANTS = `[
  { id: 'acme', accountId: '111111111111', homeRegion: 'eu-west-1', organizationalUnit: 'ou-a1b2-eu5k2m9q', ring: 'canary' },
  { id: 'borealis', accountId: '222222222222', homeRegion: 'eu-west-1', extraRegions: ['us-east-1'], organizationalUnit: 'ou-a1b2-eu5k2m9q', ring: 'main' },
  { id: 'cobalt', accountId: '333333333333', homeRegion: 'us-east-1', organizationalUnit: 'ou-a1b2-us7h4n1p', ring: 'main', frozen: true },
]`;

let root: string;
let output: string[];

/** A fleet root with two tenant services and a registry (a plain object: defineTenants is the identity). */
function makeFleet(registry = `export default { rings: ${RINGS}, services: { 'scan-ingest': { dependsOn: ['device-registry'] } }, tenants: ${TENANTS} };\n`): string {
  return makeFleetRoot(registry, { version: '1.2.3', prefix: 'fleet-rollout-test-' });
}

/** The service synthesis stand-in with a file asset; `templateSuffix` makes a new release. */
function fakeSynth(templateSuffix = '') {
  return sharedFakeSynth({ templateSuffix, assets: true });
}

async function run(args: string[]): Promise<string> {
  const program = new Command('fleet').exitOverride().configureOutput({ writeErr: () => undefined });
  const write = (text: string) => output.push(text);
  registerTenants(program, write);
  registerRelease(program, deps, write);
  registerRollout(program, deps, write);
  await program.parseAsync(['node', 'fleet', ...args]);
  return output.join('');
}

async function release(): Promise<void> {
  await runRelease([], { all: true, failureBusArn: 'arn:aws:events:{region}:999988887777:event-bus/failures' }, root, deps, fakeSynth());
}

function controlPlaneDeployed(): void {
  sharedControlPlaneDeployed({ now: NOW, rolloutStateMachineArn: STATE_MACHINE });
}

beforeEach(() => {
  resetAws();
  output = [];
  root = makeFleet();
  jest.spyOn(process, 'cwd').mockReturnValue(root);
});

afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

describe('fleet tenants', () => {
  test('GIVEN a valid registry WHEN validated and listed THEN it says so, and lists tenants in ring order with their flags', async () => {
    expect(await run(['tenants', 'validate'])).toBe('tenants.ts: valid, 3 tenants in 2 rings (canary 1, main 2).\n');
    output = [];
    expect((await run(['tenants', 'list'])).split('\n')[3]).toBe('cobalt    333333333333  us-east-1            main    frozen');
  });

  test('GIVEN an invalid registry WHEN any command runs THEN every problem is listed and nothing is written or called', async () => {
    rmSync(path.join(root, 'tenants.ts'));
    writeFileSync(path.join(root, 'tenants.ts'), `export default { rings: ${RINGS}, tenants: [
      { id: 'acme', accountId: '1111', homeRegion: 'eu-west-1', organizationalUnit: 'ou-a1b2-eu5k2m9q', ring: 'main' },
      { id: 'acme', accountId: '222222222222', homeRegion: 'mars-1', organizationalUnit: 'ou-a1b2-eu5k2m9q', ring: 'main', pinnedReleases: { 'billing': 'billing-0123456789abcdef' } },
    ] };\n`);
    const expected = [
      'The tenant registry (tenants.ts) has 5 problems; nothing was written or deployed:',
      '  1. tenants["acme"].accountId: must be a 12-digit AWS account id, as a string, got "1111". Fix: copy the account id from AWS Organizations, keeping leading zeros (a string, not a number).',
      '  2. tenants[1].id: duplicate tenant id, also tenants[0], got "acme". Fix: give each tenant its own id.',
      '  3. tenants[1].homeRegion: not an AWS Region, got "mars-1". Fix: use a Region code such as "eu-west-1" or "us-east-1".',
      '  4. tenants[1].pinnedReleases["billing"]: pins a release of a service the fleet does not have, got "billing". Fix: use one of "device-registry", "scan-ingest".',
      '  5. rings[0] ("canary"): the canary ring has no tenants, so no release would be tried before the rest of the fleet, got 0. Fix: put at least one representative tenant in ring "canary".',
    ].join('\n');
    await expect(run(['tenants', 'validate'])).rejects.toThrow(expected);
    await expect(runRelease([], { all: true }, root, deps, fakeSynth())).rejects.toThrow(expected);
    await expect(run(['rollout', 'start'])).rejects.toThrow(expected);
    expect(existsSync(path.join(root, '.fleet'))).toBe(false);
    expect(awsCalls()).toBe(0);
  });
});

describe('fleet release', () => {
  test('GIVEN unchanged sources WHEN released twice THEN the id is the same and the release is not rewritten; a changed template gets a new id', async () => {
    const first = await runRelease(['scan-ingest'], {}, root, deps, fakeSynth());
    const id = /^(scan-ingest-[0-9a-f]{16}) {2}built/.exec(first[0])![1];
    const manifest = readFileSync(path.join(root, '.fleet', 'releases', 'scan-ingest', id, 'release.json'), 'utf-8');
    expect(JSON.parse(manifest)).toMatchObject({ releaseId: id, service: 'scan-ingest', version: '1.2.3', assetHashes: ['abc123'], parameters: [] });
    expect(existsSync(path.join(root, '.fleet', 'releases', 'scan-ingest', id, 'assets', 'abc123.zip'))).toBe(true);
    const second = await runRelease(['scan-ingest'], {}, root, { ...deps, now: () => new Date('2027-01-01T00:00:00Z') }, fakeSynth());
    expect(second[0]).toMatch(new RegExp(`^${id} {2}unchanged \\(already built\\)`));
    expect(readFileSync(path.join(root, '.fleet', 'releases', 'scan-ingest', id, 'release.json'), 'utf-8')).toBe(manifest);
    const changed = await runRelease(['scan-ingest'], {}, root, deps, fakeSynth(' v2'));
    expect(changed[0].split(' ')[0]).not.toBe(id);
  });

  test('GIVEN a built release WHEN published THEN each Region of the registry gets the template, the manifest and the assets, skipping objects already there', async () => {
    controlPlaneDeployed();
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
    s3.on(HeadObjectCommand, { Bucket: 'fleet-assets-eu-west-1', Key: 'abc123.zip' }).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const lines = await runRelease(['scan-ingest'], { publish: true }, root, deps, fakeSynth());
    const id = lines[0].split(' ')[0];
    expect(lines[1]).toBe(`${id}  published to 2 Regions: 5 uploaded, 1 already present`);
    expect(s3.commandCalls(PutObjectCommand).map((c) => `${c.args[0].input.Bucket}/${c.args[0].input.Key}`).sort()).toEqual([
      'fleet-assets-us-east-1/abc123.zip',
      `fleet-releases-eu-west-1/${RELEASE_KEYS.manifest('scan-ingest', id)}`,
      `fleet-releases-eu-west-1/${RELEASE_KEYS.template('scan-ingest', id)}`,
      `fleet-releases-us-east-1/${RELEASE_KEYS.manifest('scan-ingest', id)}`,
      `fleet-releases-us-east-1/${RELEASE_KEYS.template('scan-ingest', id)}`,
    ]);
  });

  test('GIVEN a release bucket prefix that is not a bucket name WHEN publishing THEN it is refused before anything is built or uploaded', async () => {
    await expect(runRelease(['scan-ingest'], { publish: true, releaseBucketPrefix: 'evil/../x' }, root, deps, fakeSynth())).rejects.toThrow(
      '--release-bucket-prefix: not a bucket name prefix, got "evil/../x". Fix: use lowercase letters, digits and hyphens, at most 48 characters (buckets are named <prefix>-<region>).',
    );
    expect(existsSync(path.join(root, '.fleet'))).toBe(false);
    expect(awsCalls()).toBe(0);
  });

  test('GIVEN publishing without permission WHEN released THEN the error names the call and the permission', async () => {
    controlPlaneDeployed();
    s3.on(HeadObjectCommand).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    await expect(runRelease(['device-registry'], { publish: true }, root, deps, fakeSynth())).rejects.toThrow(
      /^Uploading s3:\/\/fleet-assets-eu-west-1\/abc123.zip: access denied \(User is not authorized\)\. Fix: use a role in the control plane account allowed s3:PutObject on arn:aws:s3:::fleet-assets-eu-west-1\/\*\.$/,
    );
  });
});

describe('fleet rollout', () => {
  test('GIVEN a hand-edited latest pointer that leaves the releases folder WHEN planned THEN the error names the pointer and nothing outside is read', async () => {
    await release();
    writeFileSync(path.join(root, '.fleet', 'releases', 'scan-ingest', 'latest'), '../../../etc\n');
    await expect(run(['rollout', 'plan'])).rejects.toThrow(
      `Release pointer ${path.join('.fleet', 'releases', 'scan-ingest', 'latest')}: not a release id of scan-ingest, got "../../../etc". Fix: use an id of the form scan-ingest-<16 hex digits> (npx fleet release scan-ingest rewrites the pointer).`,
    );
  });

  test('GIVEN no built release WHEN planned THEN the error says which releases to build', async () => {
    await expect(run(['rollout', 'plan'])).rejects.toThrow('Releases: none is built for device-registry, scan-ingest. Fix: run npx fleet release --all first.');
  });

  test('GIVEN built releases WHEN planned THEN waves, tenants, services and skips are printed without any AWS call', async () => {
    await release();
    const text = await run(['rollout', 'plan']);
    const lines = text.split('\n');
    expect(lines[1]).toBe('4 waves, 6 deployments, 2 skipped');
    expect(lines.slice(3, 11).filter((l, i) => i % 2 === 0)).toEqual([
      'Wave 0 (canary): device-registry to 1 tenant, 1 deployment; tolerance 0%, 1 at once',
      'Wave 1 (canary): scan-ingest to 1 tenant, 1 deployment; tolerance 0%, 1 at once; then gate: bake 30 min, alarms canary-failures, at least 10 executions',
      'Wave 2 (main): device-registry to 1 tenant, 2 deployments; tolerance 10%, 20 at once',
      'Wave 3 (main): scan-ingest to 1 tenant, 2 deployments; tolerance 10%, 20 at once; then gate: bake 60 min',
    ]);
    expect(lines.slice(-2)).toEqual(['  cobalt: tenant is frozen (device-registry@us-east-1, scan-ingest@us-east-1)', '']);
    expect(awsCalls()).toBe(0);
  });

  test('GIVEN --compare-deployed WHEN the status table says a deployment is at its release THEN it is skipped as already at the release', async () => {
    await release();
    controlPlaneDeployed();
    const id = readFileSync(path.join(root, '.fleet', 'releases', 'device-registry', 'latest'), 'utf-8').trim();
    dynamodb.on(ScanCommand).resolves({ Items: [
      { tenantId: { S: 'acme' }, serviceRegion: { S: 'device-registry#eu-west-1' }, deployedRelease: { S: id }, status: { S: 'DEPLOYED' } },
      { tenantId: { S: '#rollout' }, serviceRegion: { S: 'rollout-1' }, control: { S: 'RUNNING' } },
    ] });
    const text = await run(['rollout', 'plan', '--compare-deployed']);
    expect(text).toContain(`  acme: already at ${id} (device-registry@eu-west-1)`);
    expect(text.split('\n')[1]).toBe('3 waves, 5 deployments, 3 skipped');
  });

  test('GIVEN a deployed control plane WHEN a rollout starts THEN the wave lists and plan go to the rollout bucket, the control item is RUNNING and the engine starts with the rollout id', async () => {
    await release();
    controlPlaneDeployed();
    s3.on(PutObjectCommand).resolves({});
    dynamodb.on(PutItemCommand).resolves({});
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE.replace('stateMachine', 'execution')}:r-1`, startDate: NOW });
    const text = await run(['rollout', 'start', '--rollout-id', 'r-1']);
    expect(text).toBe(`Rollout r-1 started: 4 waves, 6 deployments, 2 skipped.\n  arn:aws:states:eu-west-1:999988887777:execution:fleet-rollout:r-1\nFollow it with: npx fleet rollout status r-1\n`);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => `${p.Bucket}/${p.Key}`)).toEqual([0, 1, 2, 3].map((i) => `fleet-rollouts/${ROLLOUT_KEYS.waveItems('r-1', i)}`).concat(`fleet-rollouts/${ROLLOUT_KEYS.plan('r-1')}`));
    const wave0 = JSON.parse(puts[0].Body as string);
    expect(wave0).toEqual([expect.objectContaining({ tenantId: 'acme', accountId: '111111111111', region: 'eu-west-1', service: 'device-registry', deployRoleArn: 'arn:aws:iam::111111111111:role/FleetDeployRole',
      parameters: [{ ParameterKey: 'FailureBusArn', ParameterValue: 'arn:aws:events:eu-west-1:999988887777:event-bus/failures' }] })]);
    expect(wave0[0].templateUrl).toMatch(/^https:\/\/fleet-releases-eu-west-1\.s3\.eu-west-1\.amazonaws\.com\/releases\/device-registry\/device-registry-[0-9a-f]{16}\/template\.json$/);
    expect(dynamodb.commandCalls(PutItemCommand)[0].args[0].input).toEqual({
      TableName: 'fleet-release-status',
      Item: { tenantId: { S: '#rollout' }, serviceRegion: { S: 'r-1' }, control: { S: 'RUNNING' }, updatedAt: { S: NOW.toISOString() } },
      ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': 'tenantId' },
    });
    const start = sfn.commandCalls(StartExecutionCommand)[0].args[0].input;
    const input = JSON.parse(start.input!) as RolloutInput;
    expect([start.stateMachineArn, start.name, input.rolloutId, input.bucket, input.waves.map((w) => w.toleratedFailurePercentage)]).toEqual([STATE_MACHINE, 'r-1', 'r-1', 'fleet-rollouts', [0, 0, 10, 10]]);
  });

  test('GIVEN a rollout id already used WHEN started again THEN it is refused and no execution starts', async () => {
    await release();
    controlPlaneDeployed();
    s3.on(PutObjectCommand).resolves({});
    dynamodb.on(PutItemCommand).rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
    await expect(run(['rollout', 'start', '--rollout-id', 'r-1'])).rejects.toThrow('Rollout r-1: exists already. Fix: see it with npx fleet rollout status r-1, continue it with npx fleet rollout resume r-1, or start a new rollout without --rollout-id.');
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  test('GIVEN no control plane stack WHEN a rollout starts THEN the error says to deploy the control plane first, and nothing is uploaded', async () => {
    await release();
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id control-plane does not exist'), { name: 'ValidationError' }));
    await expect(run(['rollout', 'start'])).rejects.toThrow('Control plane stack "control-plane": is not deployed in this account and Region. Fix: deploy the control plane in the central account first (cd projects/control-plane && npx cdk deploy), or pass --control-plane-stack <name>; see docs/deploying.md.');
    expect(s3.calls()).toHaveLength(0);
  });

  test('GIVEN a control plane deployed before the rollout engine WHEN a rollout starts THEN the missing outputs are named', async () => {
    await release();
    cfn.on(DescribeStacksCommand).resolves({ Stacks: [{ StackName: 'control-plane', StackStatus: 'CREATE_COMPLETE', CreationTime: NOW, Outputs: [] }] });
    await expect(run(['rollout', 'start'])).rejects.toThrow('Control plane stack "control-plane": has no output RolloutStateMachineArn, RolloutBucketName, ReleaseStatusTableName, ReleaseBucketPrefix (deployed before the rollout engine).');
  });

  test('GIVEN no AWS credentials WHEN a rollout starts THEN the error says to sign in', async () => {
    await release();
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    await expect(run(['rollout', 'start'])).rejects.toThrow('Reading the control plane stack control-plane: no AWS credentials found (Could not load credentials from any providers). Fix: sign in to the control plane account (for example `aws sso login --profile <profile>` and AWS_PROFILE=<profile>), then run the command again.');
  });

  test('GIVEN a rollout in its second wave with a failure WHEN its status is read THEN each wave has a bar and counts, failures name the tenant and reason, and --json has the same', async () => {
    controlPlaneDeployed();
    const input: RolloutInput = { rolloutId: 'r-1', bucket: 'fleet-rollouts', waves: [0, 1, 2].map((index) => ({
      index, ring: index === 0 ? 'canary' : 'main', itemsKey: ROLLOUT_KEYS.waveItems('r-1', index), itemCount: index === 0 ? 2 : 4,
      toleratedFailurePercentage: index === 0 ? 0 : 25, maxConcurrency: 2, gate: { bakeSeconds: 1800, alarmNames: ['canary-failures'], minimumExecutions: 10 },
    })) };
    s3.on(GetObjectCommand, { Bucket: 'fleet-rollouts', Key: ROLLOUT_KEYS.plan('r-1') }).resolves({ Body: { transformToString: async () => JSON.stringify(input) } } as never);
    const executionArn = 'arn:aws:states:eu-west-1:999988887777:execution:fleet-rollout:r-1';
    sfn.on(DescribeExecutionCommand, { executionArn }).resolves({ executionArn, status: 'RUNNING', stateMachineArn: STATE_MACHINE, startDate: NOW });
    sfn.on(ListMapRunsCommand, { executionArn }).resolves({ mapRuns: [
      { mapRunArn: 'run-1', executionArn, stateMachineArn: STATE_MACHINE, startDate: new Date('2026-11-30T10:05:00Z') },
      { mapRunArn: 'run-0', executionArn, stateMachineArn: STATE_MACHINE, startDate: new Date('2026-11-30T10:00:00Z') },
    ] });
    const counts = (c: Record<string, number>) => ({ pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 0, resultsWritten: 0, ...c });
    sfn.on(DescribeMapRunCommand, { mapRunArn: 'run-0' }).resolves({ status: 'SUCCEEDED', itemCounts: counts({ succeeded: 2, total: 2 }) } as never);
    sfn.on(DescribeMapRunCommand, { mapRunArn: 'run-1' }).resolves({ status: 'RUNNING', itemCounts: counts({ succeeded: 1, failed: 1, running: 1, pending: 1, total: 4 }) } as never);
    dynamodb.on(ScanCommand).resolves({ Items: [
      { tenantId: { S: 'acme' }, serviceRegion: { S: 'scan-ingest#eu-west-1' }, status: { S: 'DEPLOYED' }, rolloutId: { S: 'r-1' } },
      { tenantId: { S: 'borealis' }, serviceRegion: { S: 'scan-ingest#us-east-1' }, status: { S: 'ROLLED_BACK' }, reason: { S: 'Alarm scan-ingest-errors went to ALARM' }, rolloutId: { S: 'r-1' } },
    ] });
    dynamodb.on(GetItemCommand).resolves({ Item: { control: { S: 'RUNNING' } } });
    expect((await run(['rollout', 'status', 'r-1'])).split('\n')).toEqual([
      'Rollout r-1: execution RUNNING, control RUNNING',
      'Wave  0 canary   [########################] 2/2 SUCCEEDED: 2 succeeded',
      'Wave  1 main     [############------------] 2/4 RUNNING: 1 succeeded, 1 failed, 1 running, 1 pending',
      'Wave  2 main     [------------------------] 0/4 NOT_STARTED: 0 succeeded, 4 pending',
      'Deployments by state: DEPLOYED 1, ROLLED_BACK 1',
      'Failures:',
      '  borealis scan-ingest us-east-1 ROLLED_BACK: Alarm scan-ingest-errors went to ALARM',
      '',
    ]);
    output = [];
    const json = JSON.parse(await run(['rollout', 'status', 'r-1', '--json']));
    expect(json.waves.map((w: { state: string }) => w.state)).toEqual(['SUCCEEDED', 'RUNNING', 'NOT_STARTED']);
    expect(json.failures).toEqual([{ tenantId: 'borealis', service: 'scan-ingest', region: 'us-east-1', status: 'ROLLED_BACK', reason: 'Alarm scan-ingest-errors went to ALARM' }]);
  });

  test('GIVEN a wave done and the next not started WHEN status is read THEN it says the rollout waits on the gate and its rules', async () => {
    controlPlaneDeployed();
    const input: RolloutInput = { rolloutId: 'r-1', bucket: 'fleet-rollouts', waves: [0, 1].map((index) => ({
      index, ring: index === 0 ? 'canary' : 'main', itemsKey: ROLLOUT_KEYS.waveItems('r-1', index), itemCount: 1,
      toleratedFailurePercentage: 0, maxConcurrency: 1, gate: { bakeSeconds: 1800, alarmNames: ['canary-failures'], minimumExecutions: 10 },
    })) };
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => JSON.stringify(input) } } as never);
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' } as never);
    sfn.on(ListMapRunsCommand).resolves({ mapRuns: [{ mapRunArn: 'run-0', executionArn: 'x', stateMachineArn: STATE_MACHINE, startDate: NOW }] });
    sfn.on(DescribeMapRunCommand).resolves({ status: 'SUCCEEDED', itemCounts: { succeeded: 1, total: 1 } } as never);
    dynamodb.on(ScanCommand).resolves({ Items: [] });
    dynamodb.on(GetItemCommand).resolves({ Item: { control: { S: 'RUNNING' } } });
    expect(await run(['rollout', 'status', 'r-1'])).toContain('Waiting: gate after wave 0 (canary): bake 30 min, alarms canary-failures not in ALARM, at least 10 executions\n');
  });

  test('GIVEN a status row whose reason carries terminal escape sequences WHEN status is printed, as text or JSON, THEN the control characters (newlines too) are shown escaped, never sent to the terminal', async () => {
    controlPlaneDeployed();
    const input: RolloutInput = { rolloutId: 'r-1', bucket: 'fleet-rollouts', waves: [{
      index: 0, ring: 'canary', itemsKey: ROLLOUT_KEYS.waveItems('r-1', 0), itemCount: 1,
      toleratedFailurePercentage: 0, maxConcurrency: 1, gate: { bakeSeconds: 0, alarmNames: [], minimumExecutions: 0 },
    }] };
    s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => JSON.stringify(input) } } as never);
    sfn.on(DescribeExecutionCommand).resolves({ status: 'FAILED', error: 'States.TaskFailed', cause: 'bad\u001b]0;owned\u0007' } as never);
    sfn.on(ListMapRunsCommand).resolves({ mapRuns: [] });
    // The reason comes from the tenant account (CloudFormation status reasons quote its resources).
    dynamodb.on(ScanCommand).resolves({ Items: [
      { tenantId: { S: 'acme' }, serviceRegion: { S: 'scan-ingest#eu-west-1' }, status: { S: 'FAILED' }, reason: { S: 'Resource x\u001b[2J\u001b[31m\rOK\u009b1A\nWave  1 main DONE' }, rolloutId: { S: 'r-1' } },
    ] });
    dynamodb.on(GetItemCommand).resolves({ Item: { control: { S: 'RUNNING\u001b[8m' } } });
    const text = await run(['rollout', 'status', 'r-1']);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text.split('\n')).toEqual([
      'Rollout r-1: execution FAILED, control RUNNING\\x1b[8m',
      '  States.TaskFailed: bad\\x1b]0;owned\\x07',
      'Wave  0 canary   [------------------------] 0/1 NOT_STARTED: 0 succeeded, 1 pending',
      'Deployments by state: FAILED 1',
      'Failures:',
      '  acme scan-ingest eu-west-1 FAILED: Resource x\\x1b[2J\\x1b[31m\\x0dOK\\x9b1A\\x0aWave  1 main DONE',
      '',
    ]);
    output = [];
    const json = await run(['rollout', 'status', 'r-1', '--json']);
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    // Escaped on the terminal, yet the parsed value is the reason as the tenant account wrote it.
    expect(json).toContain('OK\\u009b1A');
    expect(JSON.stringify(JSON.parse(json))).toContain('OK\u009b1A');
  });

  test('GIVEN a rollout id that is not an execution name WHEN status, pause or abort is asked THEN it is refused before any AWS call', async () => {
    controlPlaneDeployed();
    for (const verb of ['status', 'pause', 'abort']) {
      await expect(run(['rollout', verb, '../r-1'])).rejects.toThrow('rolloutId: must be 1-80 letters, digits, hyphens or underscores (it names the Step Functions execution), got "../r-1". Fix: use the id npx fleet rollout start printed, for example rollout-20261201T230500Z.');
    }
    await expect(run(['rollout', 'abort', 'r-1:other'])).rejects.toThrow('got "r-1:other"');
    expect(awsCalls()).toBe(0);
  });

  test('GIVEN a rollout WHEN paused, resumed and aborted THEN the control item changes, and abort also stops the execution', async () => {
    controlPlaneDeployed();
    dynamodb.on(UpdateItemCommand).resolves({});
    sfn.on(StopExecutionCommand).resolves({ stopDate: NOW });
    expect(await run(['rollout', 'pause', 'r-1'])).toBe('Rollout r-1: PAUSED.\n');
    await run(['rollout', 'resume', 'r-1']);
    await run(['rollout', 'abort', 'r-1']);
    expect(dynamodb.commandCalls(UpdateItemCommand).map((c) => c.args[0].input.ExpressionAttributeValues![':control'].S)).toEqual(['PAUSED', 'RUNNING', 'ABORTED']);
    expect(dynamodb.commandCalls(UpdateItemCommand)[0].args[0].input.Key).toEqual({ tenantId: { S: '#rollout' }, serviceRegion: { S: 'r-1' } });
    expect(sfn.commandCalls(StopExecutionCommand).map((c) => c.args[0].input.executionArn)).toEqual(['arn:aws:states:eu-west-1:999988887777:execution:fleet-rollout:r-1']);
  });

  test('GIVEN an aborted or unknown rollout WHEN resumed THEN it is refused with the fix', async () => {
    controlPlaneDeployed();
    dynamodb.on(UpdateItemCommand).rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));
    await expect(run(['rollout', 'resume', 'r-9'])).rejects.toThrow('Rollout r-9: cannot be resumed: it does not exist or was aborted. Fix: check the id with npx fleet rollout status r-9; an aborted rollout is finished, start a new one with npx fleet rollout start.');
  });
});
