import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { CliError } from '../errors';

/** The AWS clients and clock of the rollout commands, replaceable in tests. */
export interface RolloutDeps {
  cfn(region: string): CloudFormationClient;
  s3(region: string): S3Client;
  sfn(region: string): SFNClient;
  dynamodb(region: string): DynamoDBClient;
  now(): Date;
  readonly env: NodeJS.ProcessEnv;
}

export const DEFAULT_ROLLOUT_DEPS: RolloutDeps = {
  cfn: (region) => new CloudFormationClient({ region }),
  s3: (region) => new S3Client({ region }),
  sfn: (region) => new SFNClient({ region }),
  dynamodb: (region) => new DynamoDBClient({ region }),
  now: () => new Date(),
  env: process.env,
};

/** The control plane's Region: `--region`, else AWS_REGION / AWS_DEFAULT_REGION. */
export function controlPlaneRegion(option: string | undefined, env: NodeJS.ProcessEnv): string {
  const region = option ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (!region) throw new CliError({ subject: 'The control plane\'s Region', problem: 'is not set: no --region, AWS_REGION or AWS_DEFAULT_REGION', fix: 'pass --region <region> (the Region the control plane is deployed in), for example --region eu-west-1' });
  return region;
}
