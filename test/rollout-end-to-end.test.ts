import { FLEET_DEPLOY_ROLE_NAME, ReleaseManifest, serviceRegionKey } from '@fleet/contracts';
import { planRollout, releaseId, rolloutInput } from '@fleet/rollout';
import { RolloutEngine } from '@fleet/workflows';
import { runExecution } from '@fleet/workflows/local';
import {
  CfnResolver, clientFor, closeEmbeddedDynamoDb, createTables, dynamoDbIntegrations, embeddedDynamoDb, SimulatedAws,
} from '@fleet/workflows/testing';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import registry from '../tenants';

/**
 * The deploy path end to end, on the laptop: the sample registry (tenants.ts) planned by
 * @fleet/rollout exactly as `fleet rollout start` would upload it, run by the SYNTHESIZED rollout
 * engine of the control plane on the local runtime, against a simulated organization holding
 * every account of the registry. Proves the planner's output is the engine's input, and that
 * frozen, pinned and out-of-window tenants are never touched.
 */
jest.setTimeout(180_000);

const REGION = 'eu-west-1';
const CENTRAL = '999988887777';
const ORG = 'o-a1b2c3d4e5';
const TABLE = 'release-status';
const SERVICES = ['device-registry', 'scan-ingest', 'shift-reports'];
// A Monday 10:00 UTC: the tenants with Tuesday-Thursday windows are outside them.
const MONDAY = new Date('2026-11-30T10:00:00Z');

function release(service: string): ReleaseManifest {
  const parameters = [{ ParameterKey: 'FailureBusArn', ParameterValue: `arn:aws:events:{region}:${CENTRAL}:event-bus/fleet-failures` }];
  return { releaseId: releaseId({ service, templateBody: `{"service":"${service}"}`, assetHashes: [], parameters }), service, version: '0.0.0', templateHash: '', assetHashes: [], parameters, createdAt: '2026-11-30T00:00:00Z' };
}

const engine = (() => {
  const stack = new Stack(new App(), 'ControlPlane');
  const rollout = new RolloutEngine(stack, 'Rollout', { organizationId: ORG, pollSeconds: 10 });
  const template = Template.fromStack(stack).toJSON();
  const tableId = stack.getLogicalId(rollout.statusTable.node.defaultChild as any);
  const resolver = new CfnResolver(template as any, { region: REGION, accountId: CENTRAL, partition: 'aws', stackName: 'ControlPlane', tableNames: { [tableId]: TABLE } });
  const [machine] = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  return {
    definition: JSON.parse(resolver.resolve(machine.Properties.DefinitionString, 'DefinitionString')),
    bucket: resolver.resolve({ Ref: stack.getLogicalId(rollout.rolloutBucket.node.defaultChild as any) }, 'bucket') as string,
  };
})();

afterAll(() => closeEmbeddedDynamoDb());

test('GIVEN the sample 50-tenant registry WHEN its plan is run by the synthesized engine THEN every planned deployment is DEPLOYED once, and skipped tenants get no call', async () => {
  const { endpoint } = await embeddedDynamoDb();
  const client = clientFor(endpoint, REGION);
  await createTables(client, [{
    name: TABLE,
    keySchema: [{ AttributeName: 'tenantId', KeyType: 'HASH' }, { AttributeName: 'serviceRegion', KeyType: 'RANGE' }],
    attributeDefinitions: [{ AttributeName: 'tenantId', AttributeType: 'S' }, { AttributeName: 'serviceRegion', AttributeType: 'S' }],
  }], true);

  const plan = planRollout(registry, SERVICES.map(release), { rolloutId: 'r-sample', releaseBucketPrefix: 'fleet-releases', now: MONDAY });
  const aws = new SimulatedAws({
    accounts: registry.tenants.map((t) => t.accountId), organizationId: ORG, centralAccountId: CENTRAL, region: REGION,
    memberRoles: [FLEET_DEPLOY_ROLE_NAME], seed: 5, stacks: { changeSetSeconds: { min: 5, max: 15 }, deploySeconds: { min: 30, max: 90 } },
  });
  // What `fleet rollout start` uploads; healthy gates: their alarms OK, enough traffic during every bake.
  for (const wave of plan.waves) {
    aws.s3.put(engine.bucket, wave.itemsKey, JSON.stringify(wave.items));
    for (const alarm of wave.gate.alarmNames) aws.cloudWatch.setAlarm(CENTRAL, alarm, 'OK', 0);
  }
  for (let minute = 0; minute < 7 * 24 * 60; minute += 10) aws.cloudWatch.recordMetric(CENTRAL, 'AWS/States/ExecutionsStarted', 100, MONDAY.getTime() + minute * 60_000);

  const result = await runExecution(engine.definition, rolloutInput(plan, engine.bucket), {
    integrations: { ...aws.integrations(), ...dynamoDbIntegrations(async () => client) },
    itemReader: aws.itemReader, resultWriter: aws.resultWriter,
    startTime: MONDAY.toISOString(), region: REGION, accountId: CENTRAL, maxStateTransitions: 1_000_000,
  });
  expect({ status: result.status, error: result.error, cause: result.cause }).toEqual({ status: 'SUCCEEDED', error: undefined, cause: undefined });

  const { Items = [] } = await client.send(new ScanCommand({ TableName: TABLE }));
  const recorded = new Map(Items.filter((i) => i.tenantId.S !== '#rollout').map((i) => [`${i.tenantId.S}/${i.serviceRegion.S}`, i]));
  const planned = plan.waves.flatMap((w) => w.items);
  expect(planned.length).toBeGreaterThan(100);
  for (const item of planned) {
    const status = recorded.get(`${item.tenantId}/${serviceRegionKey(item.service, item.region)}`);
    expect({ key: `${item.tenantId}/${item.service}`, status: status?.status.S, deployed: status?.deployedRelease.S })
      .toEqual({ key: `${item.tenantId}/${item.service}`, status: 'DEPLOYED', deployed: item.releaseId });
  }
  expect(recorded.size).toBe(planned.length);
  // Skipped: never a status item, and a tenant skipped for every service gets no call at all.
  for (const skip of plan.skipped) expect(recorded.has(`${skip.tenantId}/${serviceRegionKey(skip.service, skip.region)}`)).toBe(false);
  for (const frozen of registry.tenants.filter((t) => t.frozen)) expect(aws.calls(frozen.accountId)).toBe(0);
  // Each (account, service) stack executed once in the simulated Region.
  const homeItems = planned.filter((i) => i.region === REGION);
  for (const item of homeItems) expect(aws.cloudFormation.inspect(item.accountId, REGION, item.stackName, Date.parse(result.endTime))?.status).toMatch(/^(CREATE|UPDATE)_COMPLETE$/);
});
