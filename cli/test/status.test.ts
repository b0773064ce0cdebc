import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient, CloudFormationServiceException, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CONTROL_PLANE_OUTPUTS, RELEASE_STATUS_TABLE, ROLLOUT_CONTROL_PARTITION, serviceRegionKey } from '@fleet/contracts';
import { keepCleanupToFileManifest, OwnedFile } from '@fleet/blueprints';
import { mockClient } from 'aws-sdk-client-mock';
import { Project } from 'projen/lib/project';
import { runOwned } from '../src/commands/owned';
import { runStatus, StatusDeps } from '../src/commands/status';
import { DEFAULT_DEPLOYED_RELEASE_CLIENTS } from '../src/status/deployed-releases';

const V1 = '// Handles an order.\nexport function handle(order: unknown) {\n  return order;\n}\n';
const V2 = '// Handles an order. Idempotent: EventBridge delivers at least once.\nexport function handle(order: unknown) {\n  return order;\n}\n';

/** A generated project (real projen, a real owned-file ledger) with the package.json fields a blueprint writes. */
function generate(dir: string, sample: string, fleet: { blueprint: string; deployedTo: string }): void {
  const project = new Project({ name: path.basename(dir), outdir: dir, commitGenerated: true });
  keepCleanupToFileManifest(project);
  new OwnedFile(project, 'src/handler.ts', sample);
  new OwnedFile(project, 'src/stack.ts', 'export {};\n');
  project.synth();
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: path.basename(dir), version: '1.2.0', fleet, devDependencies: { '@fleet/blueprints': '0.1.0' } }));
}

/**
 * A scratch fleet: a manifest declaring `orders`, `billing`, `reports` (never generated) and
 * retiring `legacy`, whose owned file is still there. `orders` has a clean owned-file update
 * waiting, `billing` a conflicting one.
 */
function scratchFleet(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'fleet-status-'));
  writeFileSync(path.join(root, '.projenrc.ts'), [
    "import { Fleet } from '@fleet/blueprints';",
    'new Fleet({',
    "  name: 'scratch',",
    "  services: [{ name: 'orders', blueprint: 'step-functions-service' }, { name: 'billing', blueprint: 'step-functions-service' }, { name: 'reports', blueprint: 'step-functions-service' }],",
    "  retired: ['legacy'],",
    '}).synth();',
    '',
  ].join('\n'));
  const tenant = { blueprint: 'step-functions-service', deployedTo: 'every-tenant-account' };
  for (const [name, edit] of [['orders', (t: string) => t.replace('return order;', 'return { order };')], ['billing', (t: string) => t.replace('// Handles an order.', '// Handles an invoice.')]] as const) {
    const dir = path.join(root, 'projects', name);
    mkdirSync(dir, { recursive: true });
    generate(dir, V1, tenant);
    writeFileSync(path.join(dir, 'src/handler.ts'), edit(V1));
    generate(dir, V2, tenant);
  }
  mkdirSync(path.join(root, 'projects', 'legacy', 'src'), { recursive: true });
  writeFileSync(path.join(root, 'projects', 'legacy', 'src', 'handler.ts'), V1);
  return root;
}

const cloudFormation = mockClient(CloudFormationClient);
const dynamodb = mockClient(DynamoDBClient);
afterEach(() => {
  cloudFormation.reset();
  dynamodb.reset();
});

function deps(cwd: string): StatusDeps {
  return { clients: DEFAULT_DEPLOYED_RELEASE_CLIENTS, cwd: () => cwd, write: () => undefined };
}

describe('fleet status (the repository only)', () => {
  test('GIVEN a fleet with owned-file updates waiting, a retired service and an undeclared one WHEN fleet status runs THEN each service shows blueprint, versions, deployment and what is behind, and no AWS call is made', async () => {
    const root = scratchFleet();
    expect(await runStatus({}, deps(root))).toBe([
      '  service  blueprint               version  blueprints  deployed to           owned files                             files by policy',
      '  billing  step-functions-service  1.2.0    0.1.0       every-tenant-account  1 behind the blueprint (1 conflicting)  6 always-update, 2 three-way-merge',
      '  orders   step-functions-service  1.2.0    0.1.0       every-tenant-account  1 behind the blueprint                  6 always-update, 2 three-way-merge',
      '',
      'Retired:',
      '  legacy  1 file its team owned still in projects/legacy/ (move them, delete the folder, then remove the name from retired)',
      '',
      'Declared in .projenrc.ts but not generated yet: reports. Run npx projen.',
      '',
      'Take owned-file updates with npx fleet owned <service> --diff, then --apply; resolve conflict markers by hand.',
      '',
    ].join('\n'));
    expect(cloudFormation.calls()).toHaveLength(0);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  test('GIVEN the same fleet WHEN fleet status --json runs THEN the JSON holds the same facts per service', async () => {
    const POLICIES = { 'always-update': 6, 'never-update': 0, 'add-only': 0, 'three-way-merge': 2 };
    const root = scratchFleet();
    expect(JSON.parse(await runStatus({ json: true }, deps(root)))).toEqual({
      services: [
        { name: 'billing', blueprint: 'step-functions-service', blueprintVersion: '0.1.0', version: '1.2.0', deployedTo: 'every-tenant-account', ownedUpdates: [{ path: 'src/handler.ts', status: 'conflict', conflicts: 1 }], unresolvedConflicts: [], filesByPolicy: POLICIES },
        { name: 'orders', blueprint: 'step-functions-service', blueprintVersion: '0.1.0', version: '1.2.0', deployedTo: 'every-tenant-account', ownedUpdates: [{ path: 'src/handler.ts', status: 'clean', conflicts: 0 }], unresolvedConflicts: [], filesByPolicy: POLICIES },
      ],
      notGenerated: ['reports'],
      retired: [{ name: 'legacy', keptFiles: ['src/handler.ts'] }],
    });
  });

  test('GIVEN a conflicting update written with markers WHEN fleet status runs THEN the file is shown as holding conflict markers until resolved', async () => {
    const root = scratchFleet();
    runOwned('billing', { apply: true, withConflicts: true }, root);
    runOwned('orders', { apply: true }, root);
    const text = await runStatus({}, deps(root));
    expect(text).toContain('  billing  step-functions-service  1.2.0    0.1.0       every-tenant-account  1 with conflict markers  6 always-update, 2 three-way-merge\n');
    expect(text).toContain('  orders   step-functions-service  1.2.0    0.1.0       every-tenant-account  up to date               6 always-update, 2 three-way-merge\n');
    writeFileSync(path.join(root, 'projects', 'billing', 'src', 'handler.ts'), V2);
    expect(await runStatus({}, deps(root))).toContain('  billing  step-functions-service  1.2.0    0.1.0       every-tenant-account  up to date   6 always-update, 2 three-way-merge\n');
  });
});

describe('fleet status --deployed (the release status table)', () => {
  const TABLE = 'fleet-release-status';
  const item = (tenantId: string, service: string, region: string, status: string, deployedRelease?: string) => ({
    [RELEASE_STATUS_TABLE.partitionKey]: { S: tenantId },
    [RELEASE_STATUS_TABLE.sortKey]: { S: serviceRegionKey(service, region) },
    status: { S: status },
    ...(deployedRelease ? { deployedRelease: { S: deployedRelease } } : {}),
  });

  function controlPlane(outputs: Record<string, string>): void {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'control-plane' }).resolves({
      Stacks: [{ StackName: 'control-plane', StackStatus: 'UPDATE_COMPLETE', CreationTime: new Date(0), Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })) }],
    });
  }

  test('GIVEN deployments over two Scan pages WHEN fleet status --deployed runs THEN each service shows its releases and states, the rollout control items aside', async () => {
    const root = scratchFleet();
    controlPlane({ [CONTROL_PLANE_OUTPUTS.releaseStatusTableName]: TABLE });
    const lastKey = { [RELEASE_STATUS_TABLE.partitionKey]: { S: '222233334444' }, [RELEASE_STATUS_TABLE.sortKey]: { S: serviceRegionKey('orders', 'eu-west-1') } };
    dynamodb.on(ScanCommand, { TableName: TABLE, ExclusiveStartKey: undefined }).resolves({
      Items: [
        item('111122223333', 'orders', 'eu-west-1', 'DEPLOYED', 'orders-00000000000000b2'),
        item('222233334444', 'orders', 'eu-west-1', 'FAILED', 'orders-00000000000000a1'),
        { [RELEASE_STATUS_TABLE.partitionKey]: { S: ROLLOUT_CONTROL_PARTITION }, [RELEASE_STATUS_TABLE.sortKey]: { S: 'rollout-1' }, control: { S: 'RUNNING' } },
      ],
      LastEvaluatedKey: lastKey,
    });
    dynamodb.on(ScanCommand, { TableName: TABLE, ExclusiveStartKey: lastKey }).resolves({
      Items: [
        item('333344445555', 'orders', 'eu-west-1', 'UNCHANGED', 'orders-00000000000000b2'),
        item('333344445555', 'legacy', 'eu-west-1', 'DEPLOYED', 'legacy-00000000000000c3'),
        item('333344445555', 'payments', 'us-east-1', 'IN_PROGRESS'),
      ],
    });
    const text = await runStatus({ deployed: true, region: 'eu-west-1' }, deps(root));
    expect(text.split('\n').slice(0, 3)).toEqual([
      '  service  blueprint               version  blueprints  deployed to           owned files                             files by policy                     deployed releases',
      '  billing  step-functions-service  1.2.0    0.1.0       every-tenant-account  1 behind the blueprint (1 conflicting)  6 always-update, 2 three-way-merge  not deployed',
      '  orders   step-functions-service  1.2.0    0.1.0       every-tenant-account  1 behind the blueprint                  6 always-update, 2 three-way-merge  orders-00000000000000b2 on 2, orders-00000000000000a1 on 1; 1 FAILED (of 3)',
    ]);
    expect(text).toContain('  legacy  1 file its team owned still in projects/legacy/ (move them, delete the folder, then remove the name from retired); still deployed: legacy-00000000000000c3 on 1 (of 1)\n');
    expect(text).toContain('Deployed but not in this repository: payments (no release deployed yet; 1 IN_PROGRESS (of 1)).\n');
    expect(dynamodb.commandCalls(ScanCommand)).toHaveLength(2);
    const json = JSON.parse(await runStatus({ deployed: true, json: true }, deps(root)));
    expect(json.services.find((s: any) => s.name === 'orders').deployed).toEqual({ deployments: 3, releases: { 'orders-00000000000000b2': 2, 'orders-00000000000000a1': 1 }, states: { DEPLOYED: 1, FAILED: 1, UNCHANGED: 1 } });
    expect(json.services.find((s: any) => s.name === 'billing').deployed).toBeNull();
    expect(json.deployedNotInRepository).toEqual({ payments: { deployments: 1, releases: {}, states: { IN_PROGRESS: 1 } } });
  });

  test('GIVEN no control plane stack WHEN fleet status --deployed runs THEN the error says it is not deployed and how to fix it', async () => {
    const root = scratchFleet();
    // What DescribeStacks answers for a stack name that does not exist.
    cloudFormation.on(DescribeStacksCommand).rejects(new CloudFormationServiceException({ name: 'ValidationError', $fault: 'client', $metadata: { httpStatusCode: 400 }, message: 'Stack with id control-plane does not exist' }));
    await expect(runStatus({ deployed: true, region: 'eu-west-1' }, deps(root))).rejects.toThrow(
      'fleet status --deployed: the control plane stack is not deployed in eu-west-1 (Stack with id control-plane does not exist), got "control-plane". Fix: deploy projects/control-plane in the central account, or pass --control-plane-stack <name> (and --region) if it has another name or Region.',
    );
    expect(dynamodb.calls()).toHaveLength(0);
  });

  test('GIVEN a control plane without the rollout engine WHEN fleet status --deployed runs THEN the missing output is named with the fix', async () => {
    const root = scratchFleet();
    controlPlane({ FailureQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/999988887777/fleet-failures' });
    await expect(runStatus({ deployed: true, region: 'eu-west-1' }, deps(root))).rejects.toThrow(
      'fleet status --deployed: the control plane stack in eu-west-1 has no ReleaseStatusTableName output, so no release status table, got "control-plane". Fix: deploy the current projects/control-plane (the rollout engine adds the table), then run again.',
    );
  });

  test('GIVEN no AWS credentials anywhere WHEN fleet status --deployed runs with the real SDK clients THEN the error says so with a Fix line', async () => {
    const root = scratchFleet();
    cloudFormation.restore();
    dynamodb.restore();
    const empty = path.join(root, 'no-aws-config');
    writeFileSync(empty, '');
    const saved = { ...process.env };
    for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
    // No profile files, no instance metadata: the SDK's whole default chain finds nothing, without a network call.
    Object.assign(process.env, { AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty, AWS_EC2_METADATA_DISABLED: 'true' });
    try {
      await expect(runStatus({ deployed: true, region: 'eu-west-1' }, deps(root))).rejects.toThrow(
        'fleet status --deployed: found no AWS credentials while reading the control plane stack "control-plane", got "Could not load credentials from any providers". Fix: sign in to the control plane (central) account, e.g. aws sso login --profile <name> and export AWS_PROFILE=<name>; or drop --deployed to see the fleet without AWS.',
      );
    } finally {
      process.env = saved;
    }
  });
});
