import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { CONTROL_PLANE_OUTPUTS, RELEASE_STATUS_TABLE, ROLLOUT_CONTROL_PARTITION } from '@fleet/contracts';
import { CliError } from '../errors';

/**
 * The control plane's stack name: the id `projects/control-plane/src/main.ts` gives its stack
 * (CDK uses a top-level stack's id as its name when none is set).
 */
export const DEFAULT_CONTROL_PLANE_STACK = 'control-plane';

/** Where one service is deployed, summed over the (tenant, Region) items of the release status table. */
export interface DeployedSummary {
  /** (tenant, Region) deployments the table records for the service. */
  readonly deployments: number;
  /** Deployed release id -> deployments at it; deployments with none yet are not counted here. */
  readonly releases: Readonly<Record<string, number>>;
  /** Deployment state -> deployments in it. */
  readonly states: Readonly<Record<string, number>>;
}

/** The AWS clients `fleet status --deployed` uses, replaceable in tests. */
export interface DeployedReleaseClients {
  cloudFormation(region: string | undefined): CloudFormationClient;
  dynamodb(region: string | undefined): DynamoDBClient;
}

export const DEFAULT_DEPLOYED_RELEASE_CLIENTS: DeployedReleaseClients = {
  cloudFormation: (region) => new CloudFormationClient(region ? { region } : {}),
  dynamodb: (region) => new DynamoDBClient(region ? { region } : {}),
};

export interface DeployedReleaseOptions {
  /** @default the SDK's Region (AWS_REGION, the profile) */
  readonly region?: string;
  /** @default DEFAULT_CONTROL_PLANE_STACK */
  readonly controlPlaneStack?: string;
}

const SUBJECT = 'fleet status --deployed';

/**
 * Service name -> where it is deployed, read from the control plane's release status table (found
 * through the control plane stack's `ReleaseStatusTableName` output). Reads only: DescribeStacks
 * and Scan.
 */
export async function deployedReleases(options: DeployedReleaseOptions = {}, clients: DeployedReleaseClients = DEFAULT_DEPLOYED_RELEASE_CLIENTS): Promise<Map<string, DeployedSummary>> {
  const stackName = options.controlPlaneStack ?? DEFAULT_CONTROL_PLANE_STACK;
  const where = options.region ? ` in ${options.region}` : '';
  const tableName = await releaseStatusTable(clients.cloudFormation(options.region), stackName, where);
  const dynamodb = clients.dynamodb(options.region);
  const counts = new Map<string, { deployments: number; releases: Record<string, number>; states: Record<string, number> }>();
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await call(`reading the release status table ${tableName}`, () => dynamodb.send(new ScanCommand({
      TableName: tableName,
      ExclusiveStartKey: startKey,
      // Only what the summary needs; '#s' because "status" is a DynamoDB reserved word.
      ProjectionExpression: '#t, #k, #d, #s',
      ExpressionAttributeNames: { '#t': RELEASE_STATUS_TABLE.partitionKey, '#k': RELEASE_STATUS_TABLE.sortKey, '#d': 'deployedRelease', '#s': 'status' },
    })));
    for (const item of page.Items ?? []) {
      const tenant = item[RELEASE_STATUS_TABLE.partitionKey]?.S;
      const key = item[RELEASE_STATUS_TABLE.sortKey]?.S;
      // The rollout control items share the table; they are not deployments.
      if (tenant === undefined || tenant === ROLLOUT_CONTROL_PARTITION || key === undefined) continue;
      const cut = key.lastIndexOf('#');
      const service = cut > 0 ? key.slice(0, cut) : key;
      const summary = counts.get(service) ?? { deployments: 0, releases: {}, states: {} };
      summary.deployments += 1;
      const release = item.deployedRelease?.S;
      if (release) summary.releases[release] = (summary.releases[release] ?? 0) + 1;
      const state = item.status?.S ?? 'UNKNOWN';
      summary.states[state] = (summary.states[state] ?? 0) + 1;
      counts.set(service, summary);
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return counts;
}

/** The release status table's name, from the control plane stack's outputs. */
async function releaseStatusTable(cloudFormation: CloudFormationClient, stackName: string, where: string): Promise<string> {
  const output = CONTROL_PLANE_OUTPUTS.releaseStatusTableName;
  let stacks;
  try {
    stacks = await call(`reading the control plane stack ${JSON.stringify(stackName)}`, () => cloudFormation.send(new DescribeStacksCommand({ StackName: stackName })));
  } catch (error) {
    // DescribeStacks answers a stack that does not exist with a ValidationError "Stack with id <name> does not exist".
    if (error instanceof AwsCallError && error.awsError.name === 'ValidationError' && /does not exist/.test(error.awsError.message)) {
      throw new CliError({
        subject: SUBJECT,
        problem: `the control plane stack is not deployed${where} (${error.awsError.message})`,
        value: stackName,
        fix: 'deploy projects/control-plane in the central account, or pass --control-plane-stack <name> (and --region) if it has another name or Region',
      });
    }
    throw error;
  }
  const value = stacks.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === output)?.OutputValue;
  if (!value) {
    throw new CliError({ subject: SUBJECT, problem: `the control plane stack${where} has no ${output} output, so no release status table`, value: stackName, fix: 'deploy the current projects/control-plane (the rollout engine adds the table), then run again' });
  }
  return value;
}

/** An AWS call that failed for another reason than credentials or Region; the SDK's error is kept. */
class AwsCallError extends CliError {
  constructor(what: string, public readonly awsError: Error) {
    super({ subject: SUBJECT, problem: `${what} failed`, value: `${awsError?.name ?? 'Error'}: ${awsError?.message ?? String(awsError)}`, fix: 'check that the credentials are for the control plane account and allow cloudformation:DescribeStacks and dynamodb:Scan on the release status table' });
  }
}

/** Runs an AWS call; credentials and Region problems become errors with the fix. */
async function call<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    const e = error as Error;
    if (e?.name === 'CredentialsProviderError') {
      throw new CliError({ subject: SUBJECT, problem: `found no AWS credentials while ${what}`, value: e.message, fix: 'sign in to the control plane (central) account, e.g. aws sso login --profile <name> and export AWS_PROFILE=<name>; or drop --deployed to see the fleet without AWS' });
    }
    if (/Region is missing/i.test(e?.message ?? '')) {
      throw new CliError({ subject: SUBJECT, problem: `has no AWS Region set while ${what}`, fix: 'pass --region <region> (the control plane\'s Region) or set AWS_REGION' });
    }
    throw new AwsCallError(what, e);
  }
}
