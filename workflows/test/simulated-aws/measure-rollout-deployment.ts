/**
 * Measures the local runtime running the REAL deployment child of the rollout engine (the
 * ItemProcessor of the synthesized `RolloutEngine`'s wave Map, as CloudFormation would receive
 * it) over N tenant accounts of the simulated AWS: status read, control read, desired release,
 * DescribeStacks, CreateChangeSet, jittered Wait + DescribeChangeSet polls, ExecuteChangeSet,
 * stack polls, record; all JSONata. Not a test (no timed assertions): run by hand,
 *   npx tsx workflows/test/simulated-aws/measure-rollout-deployment.ts 5000 20000
 * (`--concurrency 1000` sets the wave's MaxConcurrency) and add `node --cpu-prof --import tsx`
 * to see where the time goes.
 *
 * The status table is an in-memory stand-in (getItem: the item written last, updateItem: SET of
 * string values), not the embedded DynamoDB server: this measures the runtime, and the embedded
 * server's HTTP round trips would dominate (and the scheduler runs one frame at a time).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FLEET_DEPLOY_ROLE_NAME, releaseChangeSetName, RolloutItem, serviceStackName } from '@fleet/contracts';
import { RolloutEngine } from '../../src';
import { runExecution } from '../../src/local';
import { Integration, SimulatedAws } from '../../src/testing';
import { CfnResolver } from '../../src/testing/cfn-resolver';

const ORG = 'o-a1b2c3d4e5';
const CENTRAL = '999988887777';
const REGION = 'eu-west-1';
const SERVICE = 'scan-ingest';
const RELEASE = 'scan-ingest-0123456789abcdef';

/** The wave Map of the synthesized engine, as a machine of its own (its Next and Catch removed). */
function waveMachine(): { definition: object; bucket: string } {
  const stack = new Stack(new App(), 'Central');
  const engine = new RolloutEngine(stack, 'Rollout', { organizationId: ORG, pollSeconds: 10, throttleAttempts: 10 });
  const template = Template.fromStack(stack).toJSON();
  const tableId = stack.getLogicalId(engine.statusTable.node.defaultChild as any);
  const resolver = new CfnResolver(template as any, { region: REGION, accountId: CENTRAL, partition: 'aws', stackName: 'Central', tableNames: { [tableId]: 'release-status' } });
  const [machine] = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  const engineDefinition = JSON.parse(resolver.resolve(machine.Properties.DefinitionString, 'DefinitionString'));
  const find = (states: Record<string, any>): any => {
    for (const s of Object.values(states)) {
      if (s.Type === 'Map' && s.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED') return s;
      for (const b of s.Branches ?? []) {
        const found = find(b.States);
        if (found) return found;
      }
    }
    return undefined;
  };
  const { Next: _next, Catch: _catch, ...wave } = find(engineDefinition.States);
  return { definition: { StartAt: 'Wave', States: { Wave: { ...wave, End: true } } }, bucket: wave.ItemReader.Parameters.Bucket };
}

const account = (n: number) => String(100000000000 + n);

function item(n: number): RolloutItem {
  return {
    tenantId: `tenant-${n}`, accountId: account(n), region: REGION, service: SERVICE, releaseId: RELEASE,
    stackName: serviceStackName(SERVICE), changeSetName: releaseChangeSetName(RELEASE),
    templateUrl: `https://fleet-releases-${CENTRAL}-${REGION}.s3.${REGION}.amazonaws.com/releases/${SERVICE}/${RELEASE}/template.json`,
    deployRoleArn: `arn:aws:iam::${account(n)}:role/${FLEET_DEPLOY_ROLE_NAME}`,
    parameters: [], rollbackAlarmArns: [], monitoringTimeInMinutes: 0,
  };
}

/** An in-memory status table: enough of getItem and updateItem (SET of S values) for the child. */
function statusTable(): Record<string, Integration> {
  const items = new Map<string, Record<string, { S: string }>>();
  const keyOf = (key: Record<string, { S: string }>) => Object.values(key).map((v) => v.S).join('\u0000');
  return {
    'arn:aws:states:::aws-sdk:dynamodb:getItem': (req) => {
      const item = items.get(keyOf((req.parameters as any).Key));
      return item ? { Item: item } : {};
    },
    'arn:aws:states:::aws-sdk:dynamodb:updateItem': (req) => {
      const p = req.parameters as any;
      const key = keyOf(p.Key);
      const item = { ...(items.get(key) ?? p.Key) };
      const set = /SET (.*?)(?: REMOVE|$)/.exec(p.UpdateExpression)?.[1] ?? '';
      for (const part of set.split(',')) {
        const [name, value] = part.split('=').map((x: string) => x.trim());
        item[p.ExpressionAttributeNames[name]] = p.ExpressionAttributeValues[value];
      }
      items.set(key, item);
      return {};
    },
  };
}

async function measure(children: number, concurrency: number): Promise<void> {
  const { definition, bucket } = waveMachine();
  const accounts = Array.from({ length: children }, (_, i) => account(i + 1));
  const aws = new SimulatedAws({ accounts, organizationId: ORG, centralAccountId: CENTRAL, region: REGION, memberRoles: [FLEET_DEPLOY_ROLE_NAME], seed: 1 });
  aws.s3.put(bucket, 'waves/0.json', JSON.stringify(accounts.map((_, i) => item(i + 1))));
  const input = { rolloutId: 'r1', itemsKey: 'waves/0.json', maxConcurrency: concurrency, toleratedFailurePercentage: 100, resultsPrefix: 'results/0' };
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peakHeap = heapBefore;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 50);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const result = await runExecution(definition, input, {
    integrations: { ...aws.integrations(), ...statusTable() }, itemReader: aws.itemReader, resultWriter: aws.resultWriter,
    traceData: false, startTime: '2026-12-01T00:00:00Z', region: REGION, accountId: CENTRAL, seed: 1, maxStateTransitions: 10_000_000,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  clearInterval(sampler);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  if (result.status !== 'SUCCEEDED') console.log(result.error, String(result.cause).slice(0, 300));
  const virtualSeconds = (Date.parse(result.endTime) - Date.parse(result.startTime)) / 1000;
  const s = result.quotaStats ?? { stateTransitions: NaN, transitionsThrottled: NaN, transitionDelaySeconds: NaN, childStarts: NaN, peakChildrenInFlight: NaN };
  console.log(
    `${children} deployments (MaxConcurrency ${concurrency}): ${result.status}, ${ms.toFixed(0)} ms wall (${(ms / children).toFixed(3)} ms/child), cpu ${cpuMs.toFixed(0)} ms (${(cpuMs / children).toFixed(3)} ms/child), ` +
    `peak heap +${((peakHeap - heapBefore) / 1e6).toFixed(0)} MB, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB; ` +
    `virtual ${virtualSeconds.toFixed(0)} s; ${s.stateTransitions} transitions (${(s.stateTransitions / children).toFixed(1)}/child, ${s.transitionsThrottled} delayed ${s.transitionDelaySeconds.toFixed(1)} s), ` +
    `${s.childStarts} child starts, peak ${s.peakChildrenInFlight} in flight; ${aws.calls(undefined, 'cloudformation')} CloudFormation calls, ${aws.throttled} throttled`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--concurrency');
  const concurrency = at >= 0 ? Number(args.splice(at, 2)[1]) : 1000;
  const sizes = args.map(Number);
  for (const n of sizes.length ? sizes : [1000, 5000]) await measure(n, concurrency);
}

export { measure };
if (!process.env.MEASURE_NO_MAIN) void main();
