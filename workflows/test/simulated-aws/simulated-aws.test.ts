import { runExecution } from '../../src/local';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { clientFor, closeEmbeddedDynamoDb, createTables, embeddedDynamoDb, NO_CHANGES_REASON, SimulatedAws } from '../../src/testing';

const TENANT_A = '111111111111';
const TENANT_B = '222222222222';
const OUTSIDE = '333333333333';
const ROLE = (account: string) => `arn:aws:iam::${account}:role/FleetDeployRole`;
const START = '2026-12-01T00:00:00.000Z';

function simulation(extra: Partial<ConstructorParameters<typeof SimulatedAws>[0]> = {}): SimulatedAws {
  return new SimulatedAws({ accounts: [TENANT_A, TENANT_B], memberRoles: ['FleetDeployRole'], seed: 7, ...extra });
}

/** One Task calling `action` with the role in `$.role`, its error caught into the output. */
function oneCall(action: string, parameters: object, withCredentials = true): object {
  return {
    StartAt: 'Call',
    States: {
      Call: {
        Type: 'Task',
        Resource: `arn:aws:states:::aws-sdk:${action}`,
        ...(withCredentials ? { Credentials: { 'RoleArn.$': '$.role' } } : {}),
        Parameters: parameters,
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Pass', End: true },
    },
  };
}

async function call(aws: SimulatedAws, action: string, parameters: object, input: object, startTime = START): Promise<any> {
  const result = await runExecution(oneCall(action, parameters), input, { integrations: aws.integrations(), startTime });
  return result.output;
}

/**
 * A child deployment as the rollout engine does it, in JSONPath: create the change set with the
 * tenant's role, wait until it is ready, execute, wait until the stack settles.
 */
const DEPLOY = {
  StartAt: 'Create',
  States: {
    Create: {
      Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudformation:createChangeSet',
      Credentials: { 'RoleArn.$': '$.role' },
      Parameters: { 'StackName.$': '$.stack', 'ChangeSetName.$': '$.changeSet', 'ChangeSetType.$': '$.type', 'TemplateURL.$': '$.template', 'Parameters': [] },
      ResultPath: null, Next: 'WaitChangeSet',
    },
    WaitChangeSet: { Type: 'Wait', Seconds: 10, Next: 'DescribeChangeSet' },
    DescribeChangeSet: {
      Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudformation:describeChangeSet',
      Credentials: { 'RoleArn.$': '$.role' },
      Parameters: { 'StackName.$': '$.stack', 'ChangeSetName.$': '$.changeSet' },
      ResultSelector: { 'Status.$': '$.Status', 'ExecutionStatus.$': '$.ExecutionStatus', 'StatusReason.$': 'States.ArrayGetItem(States.Array(States.JsonToString($), \'\'), 0)' },
      ResultPath: '$.changeSetState', Next: 'ChangeSetReady?',
    },
    'ChangeSetReady?': {
      Type: 'Choice',
      Choices: [
        { Variable: '$.changeSetState.Status', StringEquals: 'CREATE_COMPLETE', Next: 'Execute' },
        { Variable: '$.changeSetState.Status', StringEquals: 'FAILED', Next: 'Unchanged' },
      ],
      Default: 'WaitChangeSet',
    },
    Unchanged: { Type: 'Pass', Result: 'UNCHANGED', ResultPath: '$.outcome', End: true },
    Execute: {
      Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudformation:executeChangeSet',
      Credentials: { 'RoleArn.$': '$.role' },
      Parameters: { 'StackName.$': '$.stack', 'ChangeSetName.$': '$.changeSet' },
      ResultPath: null, Next: 'WaitStack',
    },
    WaitStack: { Type: 'Wait', Seconds: 30, Next: 'DescribeStack' },
    DescribeStack: {
      Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:cloudformation:describeStacks',
      Credentials: { 'RoleArn.$': '$.role' },
      Parameters: { 'StackName.$': '$.stack' },
      ResultSelector: { 'Status.$': '$.Stacks[0].StackStatus' },
      ResultPath: '$.stackState', Next: 'Settled?',
    },
    'Settled?': {
      Type: 'Choice',
      Choices: [
        { Variable: '$.stackState.Status', StringMatches: '*_IN_PROGRESS', Next: 'WaitStack' },
      ],
      Default: 'Done',
    },
    Done: { Type: 'Pass', InputPath: '$.stackState.Status', ResultPath: '$.outcome', End: true },
  },
};

const deployInput = (account: string, changeSet: string, type = 'CREATE') => ({
  role: ROLE(account), stack: 'fleet-scan-ingest', changeSet, type, template: 'https://releases.s3.amazonaws.com/scan-ingest/r1/template.json',
});

describe('simulated AWS: Credentials decide the account', () => {
  test('GIVEN tenant A\'s deploy role WHEN a Task creates a change set THEN the stack exists in A and not in B, and the call is counted against A', async () => {
    const aws = simulation();
    const out = await call(aws, 'cloudformation:createChangeSet',
      { StackName: 'fleet-scan-ingest', ChangeSetName: 'fleet-r1', ChangeSetType: 'CREATE', TemplateURL: 'https://x/t.json' }, { role: ROLE(TENANT_A) });
    expect(out.StackId).toMatch(new RegExp(`^arn:aws:cloudformation:eu-west-1:${TENANT_A}:stack/fleet-scan-ingest/`));
    expect(aws.cloudFormation.inspect(TENANT_A, 'eu-west-1', 'fleet-scan-ingest', Date.parse(START))?.status).toBe('REVIEW_IN_PROGRESS');
    expect(aws.cloudFormation.inspect(TENANT_B, 'eu-west-1', 'fleet-scan-ingest', Date.parse(START))).toBeUndefined();
    expect(aws.calls(TENANT_A, 'cloudformation')).toBe(1);
    expect(aws.calls(TENANT_B)).toBe(0);
  });

  test('GIVEN a role in an account outside the organization, or one that does not exist WHEN a Task uses it THEN the Task fails and nothing is called', async () => {
    const aws = simulation();
    aws.addRole({ accountId: OUTSIDE, roleName: 'FleetDeployRole', trustedAccounts: ['999988887777'] });
    const params = { StackName: 's', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateURL: 'https://x' };
    expect(await call(aws, 'cloudformation:createChangeSet', params, { role: ROLE(OUTSIDE) })).toEqual({
      Error: 'States.TaskFailed',
      Cause: `State 'Call': Step Functions could not assume the role '${ROLE(OUTSIDE)}' given in Credentials: AccessDenied: account ${OUTSIDE} is not in organization o-sim0000001`,
    });
    expect((await call(aws, 'cloudformation:createChangeSet', params, { role: `arn:aws:iam::${TENANT_A}:role/Other` })).Cause)
      .toContain(`AccessDenied: the role does not exist in account ${TENANT_A}`);
    expect(aws.calls(undefined, 'cloudformation')).toBe(0);
    // Each attempt cost an sts:AssumeRole, charged to the state machine's (central) account.
    expect(aws.calls('999988887777', 'sts', 'assumeRole')).toBe(2);
  });

  test('GIVEN a role a Task has already assumed WHEN the role is removed THEN the next Task using it is refused (the resolved caller is not reused)', async () => {
    const aws = simulation();
    const params = { StackName: 's', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateURL: 'https://x' };
    expect(await call(aws, 'cloudformation:describeStacks', { StackName: 'none' }, { role: ROLE(TENANT_A) })).toMatchObject({ Cause: expect.stringContaining('does not exist') });
    aws.organization.removeRole(TENANT_A, 'FleetDeployRole');
    expect((await call(aws, 'cloudformation:createChangeSet', params, { role: ROLE(TENANT_A) })).Cause)
      .toContain(`AccessDenied: the role does not exist in account ${TENANT_A}`);
    expect(aws.calls(TENANT_A, 'cloudformation')).toBe(1);
  });

  test('GIVEN no Credentials WHEN a Task calls S3 THEN it runs as the central account', async () => {
    const aws = simulation();
    aws.s3.put('rollouts', 'waves/000.json', '[]');
    const result = await runExecution(oneCall('s3:getObject', { Bucket: 'rollouts', Key: 'waves/000.json' }, false), {}, { integrations: aws.integrations() });
    expect((result.output as any).Body).toBe('[]');
    expect(aws.calls('999988887777', 's3', 'getObject')).toBe(1);
  });
});

describe('simulated AWS: CloudFormation lifecycles', () => {
  test('GIVEN a new tenant WHEN the deploy workflow runs THEN the stack goes through review and creation to CREATE_COMPLETE, in virtual time', async () => {
    const aws = simulation();
    const result = await runExecution(DEPLOY, deployInput(TENANT_A, 'fleet-r1'), { integrations: aws.integrations(), startTime: START });
    expect(result.status).toBe('SUCCEEDED');
    expect((result.output as any).outcome).toBe('CREATE_COMPLETE');
    const end = Date.parse(result.endTime);
    expect(aws.cloudFormation.inspect(TENANT_A, 'eu-west-1', 'fleet-scan-ingest', end)).toEqual({
      status: 'CREATE_COMPLETE', deployedContent: JSON.stringify(['https://releases.s3.amazonaws.com/scan-ingest/r1/template.json', []]), changeSets: ['fleet-r1'],
    });
    // Defaults: 5-20 s for the change set, 60-180 s to deploy, polled every 10 s / 30 s.
    expect(end - Date.parse(START)).toBeGreaterThanOrEqual(70_000);
    expect(end - Date.parse(START)).toBeLessThanOrEqual(260_000);
  });

  test('GIVEN a stack already at the release WHEN the same template is submitted THEN the change set FAILS with AWS\'s "didn\'t contain changes" reason and nothing executes', async () => {
    const aws = simulation();
    aws.cloudFormation.seedStack(TENANT_A, 'eu-west-1', 'fleet-scan-ingest', { TemplateURL: deployInput(TENANT_A, 'x').template, Parameters: [] }, 0);
    const result = await runExecution(DEPLOY, deployInput(TENANT_A, 'fleet-r1', 'UPDATE'), { integrations: aws.integrations(), startTime: START });
    expect((result.output as any).outcome).toBe('UNCHANGED');
    expect(aws.calls(TENANT_A, 'cloudformation', 'executeChangeSet')).toBe(0);
    const described = await call(aws, 'cloudformation:describeChangeSet', { StackName: 'fleet-scan-ingest', ChangeSetName: 'fleet-r1' }, { role: ROLE(TENANT_A) }, '2026-12-01T01:00:00.000Z');
    expect(described).toMatchObject({ Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', StatusReason: NO_CHANGES_REASON });
    expect(NO_CHANGES_REASON).toBe("The submitted information didn't contain changes. Submit different information to create a change set.");
  });

  test('GIVEN parameters that differ only in how they split WHEN submitted over the deployed ones THEN the change set has changes (no "didn\'t contain changes")', async () => {
    const aws = simulation();
    aws.cloudFormation.seedStack(TENANT_A, 'eu-west-1', 'fleet-scan-ingest', { TemplateURL: 'https://x/1', Parameters: [{ ParameterKey: 'A', ParameterValue: 'x&B=y' }] }, 0);
    await call(aws, 'cloudformation:createChangeSet', {
      StackName: 'fleet-scan-ingest', ChangeSetName: 'fleet-r2', ChangeSetType: 'UPDATE', TemplateURL: 'https://x/1',
      Parameters: [{ ParameterKey: 'A', ParameterValue: 'x' }, { ParameterKey: 'B', ParameterValue: 'y' }],
    }, { role: ROLE(TENANT_A) });
    const described = await call(aws, 'cloudformation:describeChangeSet', { StackName: 'fleet-scan-ingest', ChangeSetName: 'fleet-r2' }, { role: ROLE(TENANT_A) }, '2026-12-01T01:00:00.000Z');
    expect(described.StatusReason).not.toBe(NO_CHANGES_REASON);
    expect(described).toMatchObject({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' });
  });

  test('GIVEN an injected resource failure WHEN a new stack is deployed THEN it rolls back to ROLLBACK_COMPLETE and cannot then be updated', async () => {
    const aws = simulation({ stacks: { failureRate: 1 } });
    const result = await runExecution(DEPLOY, deployInput(TENANT_A, 'fleet-r1'), { integrations: aws.integrations(), startTime: START });
    expect((result.output as any).outcome).toBe('ROLLBACK_COMPLETE');
    const update = await call(aws, 'cloudformation:createChangeSet',
      { StackName: 'fleet-scan-ingest', ChangeSetName: 'fleet-r2', ChangeSetType: 'UPDATE', TemplateURL: 'https://x/2' }, { role: ROLE(TENANT_A) }, result.endTime);
    expect(update.Error).toBe('CloudFormation.CloudFormationException');
    expect(update.Cause).toMatch(/^Stack:arn:aws:cloudformation:eu-west-1:111111111111:stack\/fleet-scan-ingest\/\S+ is in ROLLBACK_COMPLETE state and can not be updated\. \(Service: CloudFormation, Status Code: 400, Request ID: [0-9a-f-]{36}\)$/);
  });

  test('GIVEN a stack a failed create left in ROLLBACK_COMPLETE WHEN it is deleted THEN it is DELETE_IN_PROGRESS, then its name names no stack (CREATE works again) while its ARN describes DELETE_COMPLETE; deleting again succeeds', async () => {
    const aws = simulation({ stacks: { failureRate: 1, deleteSeconds: { min: 20, max: 20 } } });
    const failed = await runExecution(DEPLOY, deployInput(TENANT_A, 'fleet-r1'), { integrations: aws.integrations(), startTime: START });
    expect((failed.output as any).outcome).toBe('ROLLBACK_COMPLETE');
    const input = { role: ROLE(TENANT_A) };
    const from = Date.parse(failed.endTime);
    const at = (s: number) => new Date(from + s * 1000).toISOString();
    const { Stacks: [before] } = await call(aws, 'cloudformation:describeStacks', { StackName: 'fleet-scan-ingest' }, input, at(0));
    expect(await call(aws, 'cloudformation:deleteStack', { StackName: 'fleet-scan-ingest' }, input, at(0))).toEqual({});
    expect((await call(aws, 'cloudformation:describeStacks', { StackName: 'fleet-scan-ingest' }, input, at(10))).Stacks[0].StackStatus).toBe('DELETE_IN_PROGRESS');
    const byName = await call(aws, 'cloudformation:describeStacks', { StackName: 'fleet-scan-ingest' }, input, at(25));
    expect(byName.Cause).toMatch(/^Stack with id fleet-scan-ingest does not exist \(Service/);
    const byArn = await call(aws, 'cloudformation:describeStacks', { StackName: before.StackId }, input, at(25));
    expect(byArn.Stacks[0]).toMatchObject({ StackId: before.StackId, StackStatus: 'DELETE_COMPLETE' });
    expect(await call(aws, 'cloudformation:deleteStack', { StackName: 'fleet-scan-ingest' }, input, at(26))).toEqual({});
    const created = await call(aws, 'cloudformation:createChangeSet', { StackName: 'fleet-scan-ingest', ChangeSetName: 'fleet-r2', ChangeSetType: 'CREATE', TemplateURL: 'https://x/2' }, input, at(30));
    expect(created.StackId).not.toBe(before.StackId);
  });

  test('GIVEN a stack being updated WHEN it is deleted THEN CloudFormation refuses, naming its status', async () => {
    const aws = simulation({ stacks: { deploySeconds: { min: 120, max: 120 } } });
    aws.cloudFormation.seedStack(TENANT_A, 'eu-west-1', 'fleet-scan-ingest', { TemplateURL: 'https://old', Parameters: [] }, 0);
    const input = { role: ROLE(TENANT_A) };
    await call(aws, 'cloudformation:createChangeSet', { StackName: 'fleet-scan-ingest', ChangeSetName: 'fleet-r2', ChangeSetType: 'UPDATE', TemplateURL: 'https://new' }, input, START);
    await call(aws, 'cloudformation:executeChangeSet', { StackName: 'fleet-scan-ingest', ChangeSetName: 'fleet-r2' }, input, '2026-12-01T00:01:00.000Z');
    const refused = await call(aws, 'cloudformation:deleteStack', { StackName: 'fleet-scan-ingest' }, input, '2026-12-01T00:02:00.000Z');
    expect(refused.Cause).toMatch(/is in UPDATE_IN_PROGRESS state and can not be deleted\. \(Service: CloudFormation/);
  });

  test('GIVEN a rollback alarm that goes into ALARM during the monitoring time WHEN an update runs THEN the stack rolls back to UPDATE_ROLLBACK_COMPLETE', async () => {
    const aws = simulation({ stacks: { deploySeconds: { min: 60, max: 60 } } });
    aws.cloudFormation.seedStack(TENANT_A, 'eu-west-1', 'fleet-scan-ingest', { TemplateURL: 'https://old', Parameters: [] }, 0);
    aws.cloudWatch.setAlarm(TENANT_A, 'fleet-workflow-failures', 'ALARM', Date.parse(START) + 5 * 60_000);
    const definition = JSON.parse(JSON.stringify(DEPLOY));
    definition.States.Create.Parameters.RollbackConfiguration = {
      RollbackTriggers: [{ Arn: `arn:aws:cloudwatch:eu-west-1:${TENANT_A}:alarm:fleet-workflow-failures`, Type: 'AWS::CloudWatch::Alarm' }],
      MonitoringTimeInMinutes: 10,
    };
    const result = await runExecution(definition, deployInput(TENANT_A, 'fleet-r2', 'UPDATE'), { integrations: aws.integrations(), startTime: START });
    expect((result.output as any).outcome).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(aws.cloudFormation.inspect(TENANT_A, 'eu-west-1', 'fleet-scan-ingest', Date.parse(result.endTime))?.deployedContent).toBe(JSON.stringify(['https://old', []]));
  });

  test('GIVEN an update in progress WHEN another change set is created THEN the ValidationError "is in UPDATE_IN_PROGRESS state and can not be updated", and describeStacks keeps the creation time', async () => {
    const aws = simulation({ stacks: { deploySeconds: { min: 120, max: 120 } } });
    aws.cloudFormation.seedStack(TENANT_A, 'eu-west-1', 'fleet-scan-ingest', { TemplateURL: 'https://old', Parameters: [] }, Date.parse('2026-11-01T00:00:00.000Z'));
    const input = { role: ROLE(TENANT_A) };
    const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000).toISOString();
    const changeSet = (name: string) => ({ StackName: 'fleet-scan-ingest', ChangeSetName: name, ChangeSetType: 'UPDATE', TemplateURL: `https://new/${name}` });
    await call(aws, 'cloudformation:createChangeSet', changeSet('fleet-r2'), input, at(0));
    expect(await call(aws, 'cloudformation:executeChangeSet', { StackName: 'fleet-scan-ingest', ChangeSetName: 'fleet-r2' }, input, at(30))).toEqual({});
    const during = await call(aws, 'cloudformation:createChangeSet', changeSet('fleet-r3'), input, at(60));
    expect(during.Error).toBe('CloudFormation.CloudFormationException');
    expect(during.Cause).toMatch(/^Stack:arn:aws:cloudformation:eu-west-1:111111111111:stack\/fleet-scan-ingest\/seeded is in UPDATE_IN_PROGRESS state and can not be updated\. \(Service: CloudFormation/);
    const after = await call(aws, 'cloudformation:describeStacks', { StackName: 'fleet-scan-ingest' }, input, at(200));
    expect(after.Stacks[0]).toMatchObject({ StackStatus: 'UPDATE_COMPLETE', CreationTime: '2026-11-01T00:00:00.000Z', LastUpdatedTime: at(150) });
  });

  test('GIVEN a change set name used before WHEN it is created again THEN AlreadyExistsException, as a retried child sees it', async () => {
    const aws = simulation();
    const params = { StackName: 'fleet-scan-ingest', ChangeSetName: 'fleet-r1', ChangeSetType: 'CREATE', TemplateURL: 'https://x' };
    await call(aws, 'cloudformation:createChangeSet', params, { role: ROLE(TENANT_A) });
    const again = await call(aws, 'cloudformation:createChangeSet', params, { role: ROLE(TENANT_A) });
    expect(again.Error).toBe('CloudFormation.AlreadyExistsException');
    expect(again.Cause).toMatch(/^ChangeSet \[fleet-r1\] already exists \(Service: CloudFormation, Status Code: 400, Request ID: /);
    const update = await call(aws, 'cloudformation:createChangeSet', { ...params, StackName: 'other', ChangeSetType: 'UPDATE' }, { role: ROLE(TENANT_A) });
    expect(update.Cause).toMatch(/^Stack \[other\] does not exist \(Service/);
    const badName = await call(aws, 'cloudformation:createChangeSet', { ...params, StackName: 'fleet_scan' }, { role: ROLE(TENANT_A) });
    expect(badName.Cause).toMatch(/^1 validation error detected: Value 'fleet_scan' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: /);
    const missing = await call(aws, 'cloudformation:describeStacks', { StackName: 'nope' }, { role: ROLE(TENANT_A) });
    expect(missing.Cause).toMatch(/^Stack with id nope does not exist \(Service/);
  });
});

describe('simulated AWS: the CloudFormation event log', () => {
  test('GIVEN a deployment, a rolled-back one and an unchanged one WHEN they run THEN the log holds one record each, with the drawn start and end and the outcome', async () => {
    const aws = simulation({ stacks: (account) => ({ failureRate: account === TENANT_B ? 1 : 0 }) });
    const deployed = await runExecution(DEPLOY, deployInput(TENANT_A, 'fleet-r1'), { integrations: aws.integrations(), startTime: START });
    const rolledBack = await runExecution(DEPLOY, deployInput(TENANT_B, 'fleet-r1'), { integrations: aws.integrations(), startTime: START });
    const unchanged = await runExecution(DEPLOY, deployInput(TENANT_A, 'fleet-r2', 'UPDATE'), { integrations: aws.integrations(), startTime: deployed.endTime });
    expect([deployed, rolledBack, unchanged].map((r) => (r.output as any).outcome)).toEqual(['CREATE_COMPLETE', 'ROLLBACK_COMPLETE', 'UNCHANGED']);

    const log = aws.cloudFormation.updates;
    expect(log.map((u) => [u.accountId, u.stackName, u.changeSetName, u.outcome])).toEqual([
      [TENANT_A, 'fleet-scan-ingest', 'fleet-r1', 'deployed'],
      [TENANT_B, 'fleet-scan-ingest', 'fleet-r1', 'rolled-back'],
      [TENANT_A, 'fleet-scan-ingest', 'fleet-r2', 'unchanged'],
    ]);
    for (const u of log) expect(u.endMs).toBeGreaterThan(u.startMs);
    // The deployment ends when the stack is complete: before the poll that saw it, after the execute call.
    expect(log[0].endMs).toBeLessThanOrEqual(Date.parse(deployed.endTime));
    expect(log[0].endMs - log[0].startMs).toBeGreaterThanOrEqual(60_000);
    expect(log[0].endMs - log[0].startMs).toBeLessThanOrEqual(180_000);
  });
});

describe('simulated AWS: throttling in virtual time', () => {
  test('GIVEN a burst of 2 and 1 call/s WHEN 3 calls come at once THEN the third is Rate exceeded, and once the window (burst / rate = 2 s) has passed a call goes through again', async () => {
    const aws = simulation({ cloudFormationLimits: { '*': { burst: 2, refillPerSecond: 1 } } });
    const params = { StackName: 'nope' };
    const input = { role: ROLE(TENANT_A) };
    await call(aws, 'cloudformation:describeStacks', params, input);
    await call(aws, 'cloudformation:describeStacks', params, input);
    const third = await call(aws, 'cloudformation:describeStacks', params, input);
    expect(third.Error).toBe('CloudFormation.CloudFormationException');
    expect(third.Cause).toMatch(/^Rate exceeded \(Service: CloudFormation, Status Code: 400, Request ID: /);
    expect(aws.throttled).toBe(1);
    // Tenant B has its own quota: calls are charged to the account owning the credentials.
    expect((await call(aws, 'cloudformation:describeStacks', params, { role: ROLE(TENANT_B) })).Cause).toMatch(/^Stack with id nope/);
    // Out of virtual-time order (another child's clock behind): the window around that time is full too.
    expect((await call(aws, 'cloudformation:describeStacks', params, input, '2026-11-30T23:59:59.500Z')).Cause).toMatch(/^Rate exceeded/);
    expect((await call(aws, 'cloudformation:describeStacks', params, input, '2026-12-01T00:00:02.000Z')).Cause).toMatch(/^Stack with id nope/);
  });

  test('GIVEN CloudWatch limits and throttlingErrorNames "code" WHEN describeAlarms is called past the burst THEN CloudWatch.ThrottlingException with the Rate exceeded cause', async () => {
    const aws = simulation({ cloudWatchLimits: { describeAlarms: { burst: 1, refillPerSecond: 1 } }, throttlingErrorNames: 'code' });
    const params = { AlarmNames: ['fleet-canary-health'] };
    expect((await call(aws, 'cloudwatch:describeAlarms', params, { role: ROLE(TENANT_A) })).MetricAlarms).toEqual([]);
    const second = await call(aws, 'cloudwatch:describeAlarms', params, { role: ROLE(TENANT_A) });
    expect(second.Error).toBe('CloudWatch.ThrottlingException');
    expect(second.Cause).toMatch(/^Rate exceeded \(Service: CloudWatch, Status Code: 400, Request ID: /);
    expect(aws.calls(TENANT_A, 'cloudwatch', 'describeAlarms')).toBe(2);
  });
});

describe('simulated AWS: Distributed Map over S3', () => {
  test('GIVEN a wave list in S3 WHEN a Distributed Map reads it and writes results THEN every item runs once and the results land in S3 as AWS lays them out', async () => {
    const aws = simulation();
    aws.s3.put('rollouts', 'w/000.json', JSON.stringify([{ n: 1 }, { n: 2 }, { n: 3 }]));
    const definition = {
      StartAt: 'Wave',
      States: {
        Wave: {
          Type: 'Map',
          ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.key' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, $.n)' }, End: true } } },
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' } },
          End: true,
        },
      },
    };
    const result = await runExecution(definition, { bucket: 'rollouts', key: 'w/000.json', prefix: 'results/000' },
      { integrations: aws.integrations(), itemReader: aws.itemReader, resultWriter: aws.resultWriter, executionName: 'rollout-1' });
    expect(result.status).toBe('SUCCEEDED');
    const details = (result.output as any).ResultWriterDetails;
    expect(details.Bucket).toBe('rollouts');
    const manifest = JSON.parse(aws.s3.get('rollouts', details.Key)!);
    expect(manifest.ResultFiles.SUCCEEDED[0].Size).toBe(3);
    const succeeded = JSON.parse(aws.s3.get('rollouts', manifest.ResultFiles.SUCCEEDED[0].Key)!);
    expect(succeeded.map((r: any) => JSON.parse(r.Output).n)).toEqual([2, 4, 6]);
  });
});

describe('simulated AWS: determinism', () => {
  test('GIVEN the same seed WHEN the same deployment runs twice THEN it takes the same virtual time; another seed, another time', async () => {
    const times: number[] = [];
    for (const seed of [7, 7, 8]) {
      const aws = simulation({ seed });
      const r = await runExecution(DEPLOY, deployInput(TENANT_A, 'fleet-r1'), { integrations: aws.integrations(), startTime: START, seed: 1 });
      times.push(Date.parse(r.endTime));
    }
    expect(times[0]).toBe(times[1]);
    expect(times[2]).not.toBe(times[0]);
  });
});

describe('simulated AWS: DynamoDB through the embedded server, in the caller\'s account', () => {
  afterAll(() => closeEmbeddedDynamoDb());

  test('GIVEN a dynamoDb client per account WHEN a Task with tenant A\'s role and one without Credentials write items THEN the client of A and of the central account serve them, and each call is counted there', async () => {
    const { endpoint } = await embeddedDynamoDb();
    const client = clientFor(endpoint, 'eu-west-1');
    await createTables(client, [{ name: 'sim-status', keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] }], true);
    const asked: string[] = [];
    const aws = simulation({ dynamoDb: async (accountId) => { asked.push(accountId); return client; } });
    const put = (withCredentials: boolean, pk: string) => runExecution(
      oneCall('dynamodb:putItem', { TableName: 'sim-status', Item: { pk: { S: pk } } }, withCredentials),
      { role: ROLE(TENANT_A) },
      { integrations: aws.integrations(), startTime: START },
    );
    expect((await put(true, 'from-tenant')).status).toBe('SUCCEEDED');
    expect((await put(false, 'from-central')).status).toBe('SUCCEEDED');
    expect(asked).toEqual([TENANT_A, '999988887777']);
    expect(aws.calls(TENANT_A, 'dynamodb', 'putItem')).toBe(1);
    expect(aws.calls('999988887777', 'dynamodb', 'putItem')).toBe(1);
    expect((await client.send(new GetItemCommand({ TableName: 'sim-status', Key: { pk: { S: 'from-tenant' } } }))).Item).toEqual({ pk: { S: 'from-tenant' } });
  });
});
