/**
 * Measures the local runtime running N trivial children of a Distributed Map fed from the
 * simulated S3, each child making one simulated CloudFormation call with a tenant's role (the
 * shape of a rollout wave). Not a test (no timed assertions): run by hand,
 *   npx tsx workflows/test/simulated-aws/measure-distributed-map.ts 1000 5000
 * and add `node --cpu-prof` (via `node --import tsx --cpu-prof ...`) to see where the time goes.
 */
import { runExecution } from '../../src/local';
import { SimulatedAws } from '../../src/testing';

function accountOf(i: number): string {
  return String(100000000000 + i);
}

async function measure(children: number): Promise<void> {
  const accounts = Array.from({ length: children }, (_, i) => accountOf(i));
  const aws = new SimulatedAws({ accounts, memberRoles: ['FleetDeployRole'], seed: 1 });
  aws.s3.put('waves', 'wave.json', JSON.stringify(accounts.map((a) => ({ role: `arn:aws:iam::${a}:role/FleetDeployRole` }))));
  const definition = {
    StartAt: 'Wave',
    States: {
      Wave: {
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'waves', Key: 'wave.json' } },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Describe',
          States: {
            Describe: {
              Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudformation:describeStacks',
              Credentials: { 'RoleArn.$': '$.role' }, Parameters: { StackName: 'fleet-svc' },
              Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }], Next: 'Done',
            },
            Done: { Type: 'Pass', Result: 'ok', End: true },
          },
        },
        MaxConcurrency: 1000,
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'waves', Prefix: 'results' } },
        End: true,
      },
    },
  };
  const heapBefore = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  const result = await runExecution(definition, {}, { integrations: aws.integrations(), itemReader: aws.itemReader, resultWriter: aws.resultWriter, traceData: false });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  if (result.status !== "SUCCEEDED") console.log(result.error, String(result.cause).slice(0, 300));
  console.log(`${children} children: ${result.status}, ${ms.toFixed(0)} ms wall (${(ms / children).toFixed(2)} ms/child), heap +${heapMb.toFixed(0)} MB, ${aws.calls(undefined, 'cloudformation')} CloudFormation calls`);
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number);
  for (const n of sizes.length ? sizes : [1000, 5000]) await measure(n);
}

void main();
