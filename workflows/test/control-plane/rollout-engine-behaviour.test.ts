import {
  FLEET_DEPLOY_ROLE_NAME, releaseChangeSetName, RolloutInput, RolloutItem, ROLLOUT_CONTROL_PARTITION, ROLLOUT_KEYS, RolloutWave, serviceStackName, WaveGate,
} from '@fleet/contracts';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { App, Stack, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addFleetChecks, RolloutEngine } from '../../src';
import { ExecutionResult, runExecution } from '../../src/local';
import {
  BehaviourOf, clientFor, closeEmbeddedDynamoDb, createTables, dynamoDbIntegrations, embeddedDynamoDb, SimulatedAws, SimulatedAwsOptions,
} from '../../src/testing';
import { CfnResolver } from '../../src/testing/cfn-resolver';

/**
 * The SYNTHESIZED rollout engine (the state machine definition CloudFormation would receive,
 * resolved with stand-in names) runs on the local runtime; its aws-sdk tasks are served by the
 * simulated AWS organization (CloudFormation per account, STS through Credentials, S3, CloudWatch)
 * and its DynamoDB calls by the embedded server, in virtual time.
 */

// Whole rollouts over the embedded DynamoDB server on a shared machine: a generous cap, not a timing assertion.
jest.setTimeout(120_000);

const ORG = 'o-a1b2c3d4e5';
const CENTRAL = '999988887777';
const REGION = 'eu-west-1';
const TABLE = 'release-status';
const START = '2026-12-01T00:00:00.000Z';
const SERVICE = 'scan-ingest';
const RELEASE = 'scan-ingest-0123456789abcdef';

const synthesized = (() => {
  const stack = new Stack(new App(), 'Central');
  const engine = new RolloutEngine(stack, 'Rollout', { organizationId: ORG, pollSeconds: 10, throttleAttempts: 10 });
  Tags.of(stack).add('fleet:tenant', 'central');
  Tags.of(stack).add('fleet:service', 'control-plane');
  addFleetChecks(stack);
  const template = Template.fromStack(stack).toJSON();
  const tableId = stack.getLogicalId(engine.statusTable.node.defaultChild as any);
  const resolver = new CfnResolver(template as any, { region: REGION, accountId: CENTRAL, partition: 'aws', stackName: 'Central', tableNames: { [tableId]: TABLE } });
  const [machine] = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  return {
    definition: JSON.parse(resolver.resolve(machine.Properties.DefinitionString, 'DefinitionString')),
    bucket: resolver.resolve({ Ref: stack.getLogicalId(engine.rolloutBucket.node.defaultChild as any) }, 'bucket') as string,
  };
})();

const account = (n: number) => String(100000000000 + n);

function item(n: number, releaseId = RELEASE): RolloutItem {
  return {
    tenantId: `tenant-${n}`,
    accountId: account(n),
    region: REGION,
    service: SERVICE,
    releaseId,
    stackName: serviceStackName(SERVICE),
    changeSetName: releaseChangeSetName(releaseId),
    templateUrl: `https://fleet-releases-${CENTRAL}-${REGION}.s3.${REGION}.amazonaws.com/releases/${SERVICE}/${releaseId}/template.json`,
    deployRoleArn: `arn:aws:iam::${account(n)}:role/${FLEET_DEPLOY_ROLE_NAME}`,
    parameters: [{ ParameterKey: 'FailureBusArn', ParameterValue: `arn:aws:events:${REGION}:${CENTRAL}:event-bus/fleet-failures` }],
    rollbackAlarmArns: [],
    monitoringTimeInMinutes: 0,
  };
}

const NO_GATE: WaveGate = { bakeSeconds: 0, alarmNames: [], minimumExecutions: 0 };

interface WaveSpec { readonly ring: string; readonly tenants: readonly number[]; readonly tolerance?: number; readonly maxConcurrency?: number; readonly gate?: WaveGate }

/** Writes the wave lists into the simulated rollout bucket and returns the engine's input. */
function rollout(aws: SimulatedAws, rolloutId: string, waves: readonly WaveSpec[], releaseId = RELEASE): RolloutInput {
  const planned: RolloutWave[] = waves.map((wave, index) => {
    const itemsKey = ROLLOUT_KEYS.waveItems(rolloutId, index);
    aws.s3.put(synthesized.bucket, itemsKey, JSON.stringify(wave.tenants.map((n) => item(n, releaseId))));
    return {
      index, ring: wave.ring, itemsKey, itemCount: wave.tenants.length,
      toleratedFailurePercentage: wave.tolerance ?? 0, maxConcurrency: wave.maxConcurrency ?? 10, gate: wave.gate ?? NO_GATE,
    };
  });
  return { rolloutId, bucket: synthesized.bucket, waves: planned };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

let client: ReturnType<typeof clientFor>;
beforeAll(async () => {
  const { endpoint } = await embeddedDynamoDb();
  client = clientFor(endpoint, REGION);
});
beforeEach(async () => {
  await createTables(client, [{
    name: TABLE,
    keySchema: [{ AttributeName: 'tenantId', KeyType: 'HASH' }, { AttributeName: 'serviceRegion', KeyType: 'RANGE' }],
    attributeDefinitions: [{ AttributeName: 'tenantId', AttributeType: 'S' }, { AttributeName: 'serviceRegion', AttributeType: 'S' }],
  }], true);
});
afterAll(() => closeEmbeddedDynamoDb());

function simulation(tenants: number, extra: Partial<SimulatedAwsOptions> = {}): SimulatedAws {
  return new SimulatedAws({
    accounts: range(1, tenants).map(account), organizationId: ORG, centralAccountId: CENTRAL, region: REGION,
    memberRoles: [FLEET_DEPLOY_ROLE_NAME], seed: 11, stacks: { changeSetSeconds: { min: 5, max: 15 }, deploySeconds: { min: 30, max: 90 } }, ...extra,
  });
}

function run(aws: SimulatedAws, input: RolloutInput, options: { abort?: { aborted: boolean }; wrap?: (integrations: Record<string, any>) => Record<string, any>; startTime?: string } = {}): Promise<ExecutionResult> {
  const integrations = { ...aws.integrations(), ...dynamoDbIntegrations(async () => client) };
  return runExecution(synthesized.definition, input, {
    integrations: options.wrap ? options.wrap(integrations) : integrations,
    itemReader: aws.itemReader,
    resultWriter: aws.resultWriter,
    startTime: options.startTime ?? START,
    region: REGION,
    accountId: CENTRAL,
    abort: options.abort,
    maxStateTransitions: 1_000_000,
  });
}

async function status(n: number): Promise<Record<string, string> | undefined> {
  const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { tenantId: { S: `tenant-${n}` }, serviceRegion: { S: `${SERVICE}#${REGION}` } } }));
  return Item ? Object.fromEntries(Object.entries(Item).map(([k, v]) => [k, (v as any).S])) : undefined;
}

const cfnCalls = (aws: SimulatedAws, n: number, action?: string) => aws.calls(account(n), 'cloudformation', action);
const failing = (accounts: readonly number[]): BehaviourOf => (accountId) => ({
  changeSetSeconds: { min: 5, max: 15 }, deploySeconds: { min: 30, max: 90 }, failureRate: accounts.map(account).includes(accountId) ? 1 : 0,
});

describe('the rollout engine on the simulated AWS', () => {
  test('GIVEN two waves WHEN rolled out THEN every tenant is DEPLOYED at the release; a second run makes no CloudFormation call (the children skip on the status table)', async () => {
    const aws = simulation(5);
    const input = rollout(aws, 'r-happy', [{ ring: 'canary', tenants: [1] }, { ring: 'main', tenants: [2, 3, 4, 5] }]);
    const first = await run(aws, input);
    expect({ status: first.status, error: first.error, cause: first.cause }).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });
    for (const n of range(1, 5)) {
      expect(await status(n)).toEqual(expect.objectContaining({ status: 'DEPLOYED', desiredRelease: RELEASE, deployedRelease: RELEASE, rolloutId: 'r-happy' }));
      expect(cfnCalls(aws, n, 'executeChangeSet')).toBe(1);
    }
    const callsBefore = aws.calls(undefined, 'cloudformation');

    const again = await run(aws, rollout(aws, 'r-again', [{ ring: 'canary', tenants: [1] }, { ring: 'main', tenants: [2, 3, 4, 5] }]));
    expect(again.status).toBe('SUCCEEDED');
    expect(aws.calls(undefined, 'cloudformation')).toBe(callsBefore);
  });

  test('GIVEN a canary whose stack rolls back WHEN rolled out THEN the rollout stops before the next wave, and the canary is recorded ROLLED_BACK', async () => {
    const aws = simulation(4, { stacks: failing([1]) });
    const result = await run(aws, rollout(aws, 'r-canary', [{ ring: 'canary', tenants: [1], tolerance: 0 }, { ring: 'main', tenants: [2, 3, 4] }]));
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('Fleet.WaveFailed');
    expect(await status(1)).toEqual(expect.objectContaining({ status: 'ROLLED_BACK', desiredRelease: RELEASE }));
    expect((await status(1))?.deployedRelease).toBeUndefined();
    for (const n of [2, 3, 4]) {
      expect(cfnCalls(aws, n)).toBe(0);
      expect(await status(n)).toBeUndefined();
    }
  });

  test.each([
    [1, 'SUCCEEDED'],
    [3, 'FAILED'],
  ])('GIVEN a wave of 10 tolerating 20%% WHEN %i tenants fail THEN the wave %s, and the next wave runs only if it passed', async (failures, outcome) => {
    const aws = simulation(12, { stacks: failing(range(2, 1 + failures)) });
    const result = await run(aws, rollout(aws, `r-tolerance-${failures}`, [
      { ring: 'early', tenants: range(1, 10), tolerance: 20 },
      { ring: 'main', tenants: [11, 12] },
    ]));
    expect(result.status).toBe(outcome);
    const states = await Promise.all(range(1, 10).map(status));
    expect(states.filter((s) => s?.status === 'ROLLED_BACK')).toHaveLength(failures);
    expect(states.filter((s) => s?.status === 'DEPLOYED')).toHaveLength(10 - failures);
    expect(cfnCalls(aws, 11) > 0).toBe(outcome === 'SUCCEEDED');
  });

  test('GIVEN CloudFormation throttling ("Rate exceeded") in every account WHEN a wave deploys THEN calls back off and every tenant is still DEPLOYED', async () => {
    const aws = simulation(8, { cloudFormationLimits: { '*': { burst: 1, refillPerSecond: 0.05 } } });
    const result = await run(aws, rollout(aws, 'r-throttled', [{ ring: 'main', tenants: range(1, 8), maxConcurrency: 8 }]));
    expect({ status: result.status, cause: result.cause }).toEqual({ status: 'SUCCEEDED', cause: undefined });
    expect(aws.throttled).toBeGreaterThan(0);
    for (const n of range(1, 8)) {
      expect(await status(n)).toEqual(expect.objectContaining({ status: 'DEPLOYED', deployedRelease: RELEASE }));
      expect(cfnCalls(aws, n, 'executeChangeSet')).toBe(1);
    }
  });

  test('GIVEN a gate alarm in ALARM WHEN the canary wave is done THEN the rollout stops with Fleet.GateInAlarm before the next wave', async () => {
    const aws = simulation(3);
    aws.cloudWatch.setAlarm(CENTRAL, 'fleet-canary-health', 'ALARM', Date.parse(START));
    const result = await run(aws, rollout(aws, 'r-alarm', [
      { ring: 'canary', tenants: [1], gate: { bakeSeconds: 600, alarmNames: ['fleet-canary-health'], minimumExecutions: 0 } },
      { ring: 'main', tenants: [2, 3] },
    ]));
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('Fleet.GateInAlarm');
    expect(result.cause).toBe('wave 0 gate: in ALARM: fleet-canary-health');
    expect(cfnCalls(aws, 2) + cfnCalls(aws, 3)).toBe(0);
  });

  test('GIVEN a traffic rule WHEN the wave\'s tenants were silent during the bake THEN the gate does not pass (Fleet.GateSilent); with enough executions it passes', async () => {
    const gate: WaveGate = { bakeSeconds: 600, alarmNames: [], minimumExecutions: 5 };
    const silent = simulation(2);
    const stopped = await run(silent, rollout(silent, 'r-silent', [{ ring: 'canary', tenants: [1], gate }, { ring: 'main', tenants: [2] }]));
    expect(stopped.status).toBe('FAILED');
    expect(stopped.error).toBe('Fleet.GateSilent');
    expect(stopped.cause).toBe('wave 0 gate: 0 executions during the bake, fewer than the 5 required (a silent gate does not pass)');
    expect(cfnCalls(silent, 2)).toBe(0);

    const busy = simulation(2);
    // One execution a minute for a day of virtual time: every bake window sees about ten.
    for (let minute = 0; minute < 24 * 60; minute++) busy.cloudWatch.recordMetric(CENTRAL, 'AWS/States/ExecutionsStarted', 1, Date.parse(START) + minute * 60_000);
    const passed = await run(busy, rollout(busy, 'r-busy', [{ ring: 'canary', tenants: [1], gate }, { ring: 'main', tenants: [2] }]));
    expect(passed.status).toBe('SUCCEEDED');
  });

  describe('a stack a failed first create left in ROLLBACK_COMPLETE (CloudFormation only lets it be deleted)', () => {
    const RELEASE_2 = 'scan-ingest-fedcba9876543210';
    const LATER = '2026-12-01T02:00:00.000Z';
    /** Tenant 1's first create rolls back; later executions of its stack succeed. */
    function firstCreateFails() {
      const failures = { on: true };
      const aws = simulation(1, { stacks: () => ({ changeSetSeconds: { min: 5, max: 15 }, deploySeconds: { min: 30, max: 90 }, failureRate: failures.on ? 1 : 0 }) });
      return { aws, failures };
    }
    const stackStatus = (aws: SimulatedAws, at: string) => aws.cloudFormation.inspect(account(1), REGION, serviceStackName(SERVICE), Date.parse(at))?.status;

    test('GIVEN a tenant whose first create rolled back WHEN the next release rolls out THEN the engine deletes the stack, creates it again and records DEPLOYED', async () => {
      const { aws, failures } = firstCreateFails();
      const first = await run(aws, rollout(aws, 'r-first', [{ ring: 'main', tenants: [1] }]));
      expect(first.status).toBe('FAILED');
      expect(await status(1)).toEqual(expect.objectContaining({ status: 'ROLLED_BACK' }));
      expect(stackStatus(aws, LATER)).toBe('ROLLBACK_COMPLETE');

      failures.on = false;
      const second = await run(aws, rollout(aws, 'r-second', [{ ring: 'main', tenants: [1] }], RELEASE_2), { startTime: LATER });
      expect({ status: second.status, cause: second.cause }).toEqual({ status: 'SUCCEEDED', cause: undefined });
      expect(await status(1)).toEqual(expect.objectContaining({ status: 'DEPLOYED', deployedRelease: RELEASE_2 }));
      expect(cfnCalls(aws, 1, 'deleteStack')).toBe(1);
      expect(cfnCalls(aws, 1, 'executeChangeSet')).toBe(2);
      expect(stackStatus(aws, '2026-12-01T04:00:00.000Z')).toBe('CREATE_COMPLETE');
    });

    test('GIVEN a crash after DeleteStack (the stack DELETE_IN_PROGRESS) WHEN the rollout resumes THEN it waits for the deletion and creates the stack, without deleting again', async () => {
      const { aws, failures } = firstCreateFails();
      await run(aws, rollout(aws, 'r-first', [{ ring: 'main', tenants: [1] }]));
      failures.on = false;
      // What the crashed child did before it died: DeleteStack with the deploy role.
      aws.cloudFormation.deleteStack({ accountId: account(1), region: REGION, nowMs: Date.parse(LATER), requestId: '00000000-0000-4000-8000-000000000000', stateName: 'DeleteFailedCreate' }, { StackName: serviceStackName(SERVICE) });
      expect(stackStatus(aws, LATER)).toBe('DELETE_IN_PROGRESS');

      const resumed = await run(aws, rollout(aws, 'r-second', [{ ring: 'main', tenants: [1] }], RELEASE_2), { startTime: LATER });
      expect(resumed.status).toBe('SUCCEEDED');
      expect(await status(1)).toEqual(expect.objectContaining({ status: 'DEPLOYED', deployedRelease: RELEASE_2 }));
      expect(cfnCalls(aws, 1, 'deleteStack')).toBe(0);
    });

    test('GIVEN a stack whose update rolled back (UPDATE_ROLLBACK_COMPLETE, still running the previous release) WHEN the next release rolls out THEN it is updated, never deleted', async () => {
      const failures = { on: true };
      const aws = simulation(1, { stacks: () => ({ deploySeconds: { min: 30, max: 90 }, failureRate: failures.on ? 1 : 0 }) });
      aws.cloudFormation.seedStack(account(1), REGION, serviceStackName(SERVICE), { TemplateURL: 'https://old', Parameters: [] }, 0);
      await run(aws, rollout(aws, 'r-first', [{ ring: 'main', tenants: [1] }]));
      expect(stackStatus(aws, LATER)).toBe('UPDATE_ROLLBACK_COMPLETE');
      failures.on = false;
      const second = await run(aws, rollout(aws, 'r-second', [{ ring: 'main', tenants: [1] }], RELEASE_2), { startTime: LATER });
      expect(second.status).toBe('SUCCEEDED');
      expect(cfnCalls(aws, 1, 'deleteStack')).toBe(0);
      expect(stackStatus(aws, '2026-12-01T04:00:00.000Z')).toBe('UPDATE_COMPLETE');
    });
  });

  test('GIVEN a rollout that crashed mid-wave WHEN a new execution resumes the same rollout THEN it completes and no change set is executed twice', async () => {
    const aws = simulation(6);
    const input = rollout(aws, 'r-crash', [{ ring: 'main', tenants: range(1, 6), maxConcurrency: 6 }]);
    const abort = { aborted: false };
    let executed = 0;
    const crashed = await run(aws, input, {
      abort,
      wrap: (integrations) => Object.fromEntries(Object.entries(integrations).map(([resource, integration]) => [resource, async (request: any) => {
        const answer = await integration(request);
        // The control plane dies once two stacks are being updated.
        if (request.resource.endsWith('cloudformation:executeChangeSet') && ++executed === 2) abort.aborted = true;
        return answer;
      }])),
    });
    expect(crashed.status).toBe('ABORTED');
    const executedBefore = range(1, 6).map((n) => cfnCalls(aws, n, 'executeChangeSet'));
    // Crashed mid-wave: some stacks were being updated, the others not started.
    expect(executedBefore.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    expect(executedBefore.reduce((a, b) => a + b, 0)).toBeLessThan(6);

    const resumed = await run(aws, input, { startTime: crashed.endTime });
    expect({ status: resumed.status, cause: resumed.cause }).toEqual({ status: 'SUCCEEDED', cause: undefined });
    for (const n of range(1, 6)) {
      expect(await status(n)).toEqual(expect.objectContaining({ status: 'DEPLOYED', deployedRelease: RELEASE }));
      expect(cfnCalls(aws, n, 'executeChangeSet')).toBe(1);
    }
  });

  test('GIVEN a paused rollout WHEN it is resumed (control RUNNING) THEN the engine waited without deploying, then deploys the wave', async () => {
    const aws = simulation(2);
    const control = (value: string) => client.send(new PutItemCommand({ TableName: TABLE, Item: { tenantId: { S: ROLLOUT_CONTROL_PARTITION }, serviceRegion: { S: 'r-paused' }, control: { S: value } } }));
    await control('PAUSED');
    let reads = 0;
    let callsWhilePaused = -1;
    const result = await run(aws, rollout(aws, 'r-paused', [{ ring: 'canary', tenants: [1] }, { ring: 'main', tenants: [2] }]), {
      wrap: (integrations) => Object.fromEntries(Object.entries(integrations).map(([resource, integration]) => [resource, async (request: any) => {
        if (request.stateName === 'ReadControl' && ++reads === 3) {
          callsWhilePaused = aws.calls(undefined, 'cloudformation');
          await control('RUNNING');
        }
        return integration(request);
      }])),
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(callsWhilePaused).toBe(0);
    expect(result.trace.filter((t) => t.stateName === 'Paused' && t.scope === '')).toHaveLength(2);
    expect(await status(2)).toEqual(expect.objectContaining({ status: 'DEPLOYED' }));
  });

  test('GIVEN a rollout aborted while a wave runs WHEN a child has not started deploying THEN it skips without a CloudFormation call, and the rollout ends aborted', async () => {
    const aws = simulation(3);
    let statusReads = 0;
    const result = await run(aws, rollout(aws, 'r-abort-mid-wave', [{ ring: 'main', tenants: [1, 2, 3], maxConcurrency: 1 }]), {
      wrap: (integrations) => Object.fromEntries(Object.entries(integrations).map(([resource, integration]) => [resource, async (request: any) => {
        // Abort once the first tenant is done: the operator's `fleet rollout abort`.
        if (request.stateName === 'ReadStatus' && ++statusReads === 2) {
          await client.send(new PutItemCommand({ TableName: TABLE, Item: { tenantId: { S: ROLLOUT_CONTROL_PARTITION }, serviceRegion: { S: 'r-abort-mid-wave' }, control: { S: 'ABORTED' } } }));
        }
        return integration(request);
      }])),
    });
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('Fleet.RolloutAborted');
    expect(result.cause).toBe('rollout r-abort-mid-wave aborted after 1 of 1 waves');
    expect(cfnCalls(aws, 1, 'executeChangeSet')).toBe(1);
    expect(cfnCalls(aws, 2) + cfnCalls(aws, 3)).toBe(0);
  });

  test('GIVEN the rollout\'s control item says ABORTED WHEN the engine reaches a wave THEN it ends as Fleet.RolloutAborted without a CloudFormation call', async () => {
    const aws = simulation(1);
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { tenantId: { S: ROLLOUT_CONTROL_PARTITION }, serviceRegion: { S: 'r-aborted' }, control: { S: 'ABORTED' } } }));
    const result = await run(aws, rollout(aws, 'r-aborted', [{ ring: 'canary', tenants: [1] }]));
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('Fleet.RolloutAborted');
    expect(aws.calls(undefined, 'cloudformation')).toBe(0);
  });
});
