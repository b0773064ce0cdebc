import { ConditionalCheckFailedException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { RELEASE_STATUS_TABLE, ROLLOUT_CONTROL_PARTITION, ROLLOUT_KEYS } from '@fleet/contracts';
import { rolloutInput, RolloutPlan } from '@fleet/rollout';
import { CliError } from '../errors';
import { awsCall } from './aws-errors';
import { findControlPlane } from './control-plane';
import { RolloutDeps } from './rollout-clients';
import { buildPlan } from './rollout-plan';
import { deployedState, scanStatusTable } from './status-table';

export interface StartOptions {
  readonly root: string;
  readonly region: string;
  readonly controlPlaneStack?: string;
  readonly rolloutId?: string;
  readonly services?: readonly string[];
  /** Read the status table and leave out what is already at its release (the engine skips it anyway). */
  readonly compareDeployed?: boolean;
}

export interface StartResult {
  readonly rolloutId: string;
  readonly plan: RolloutPlan;
  /** Undefined when the plan has no wave (nothing to deploy): nothing was started. */
  readonly executionArn?: string;
}

// Step Functions execution names: 1-80 characters of letters, digits, hyphens and underscores.
const ROLLOUT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,79}$/;

/**
 * Refuses a rollout id that is not an execution name: it also becomes S3 keys (rollouts/<id>/...)
 * and the execution ARN, where "../" or ":" would reach another object or execution.
 */
export function checkRolloutId(rolloutId: string, subject: string, fix: string): void {
  if (!ROLLOUT_ID.test(rolloutId)) {
    throw new CliError({ subject, problem: 'must be 1-80 letters, digits, hyphens or underscores (it names the Step Functions execution)', value: rolloutId, fix });
  }
}

/** A rollout id from the time: `rollout-20261201T230500Z`. */
export function newRolloutId(now: Date): string {
  return `rollout-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/**
 * `fleet rollout start`: plans over the validated registry and the built releases, uploads each
 * wave's list and the plan to the rollout bucket (ROLLOUT_KEYS), writes the rollout's control item
 * RUNNING (refusing an id already used) and starts the engine with the rollout id as execution
 * name, so a repeated start cannot run the same rollout twice.
 */
export async function startRollout(options: StartOptions, deps: RolloutDeps): Promise<StartResult> {
  const rolloutId = options.rolloutId ?? newRolloutId(deps.now());
  checkRolloutId(rolloutId, '--rollout-id', 'for example --rollout-id rollout-2026-12-01');
  // Offline checks first: an invalid registry or a missing release stops before any AWS call.
  buildPlan({ root: options.root, rolloutId, now: deps.now(), services: options.services });
  const controlPlane = await findControlPlane(deps.cfn(options.region), options.controlPlaneStack);
  const dynamodb = deps.dynamodb(options.region);
  const deployed = options.compareDeployed ? deployedState(await scanStatusTable(dynamodb, controlPlane.statusTable)) : undefined;
  const { plan } = buildPlan({ root: options.root, rolloutId, now: deps.now(), services: options.services, releaseBucketPrefix: controlPlane.releaseBucketPrefix, deployed });
  if (plan.waves.length === 0) return { rolloutId, plan };

  const s3 = deps.s3(options.region);
  const bucket = controlPlane.rolloutBucket;
  const put = (key: string, body: unknown) => awsCall(`Uploading s3://${bucket}/${key}`, `s3:PutObject on arn:aws:s3:::${bucket}/rollouts/*`, () =>
    s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(body), ContentType: 'application/json' })));
  for (const wave of plan.waves) await put(wave.itemsKey, wave.items);
  const input = rolloutInput(plan, bucket);
  await put(ROLLOUT_KEYS.plan(rolloutId), input);

  const now = deps.now().toISOString();
  try {
    await dynamodb.send(new PutItemCommand({
      TableName: controlPlane.statusTable,
      Item: {
        [RELEASE_STATUS_TABLE.partitionKey]: { S: ROLLOUT_CONTROL_PARTITION },
        [RELEASE_STATUS_TABLE.sortKey]: { S: rolloutId },
        control: { S: 'RUNNING' },
        updatedAt: { S: now },
      },
      ConditionExpression: 'attribute_not_exists(#pk)',
      ExpressionAttributeNames: { '#pk': RELEASE_STATUS_TABLE.partitionKey },
    }));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') {
      throw new CliError({ subject: `Rollout ${rolloutId}`, problem: 'exists already', fix: `see it with npx fleet rollout status ${rolloutId}, continue it with npx fleet rollout resume ${rolloutId}, or start a new rollout without --rollout-id` });
    }
    await awsCall(`Writing the control item of ${rolloutId}`, `dynamodb:PutItem on table ${controlPlane.statusTable}`, () => Promise.reject(error));
  }
  const started = await awsCall(`Starting the rollout engine ${controlPlane.stateMachineArn}`, `states:StartExecution on ${controlPlane.stateMachineArn}`, () =>
    deps.sfn(options.region).send(new StartExecutionCommand({ stateMachineArn: controlPlane.stateMachineArn, name: rolloutId, input: JSON.stringify(input) })));
  return { rolloutId, plan, executionArn: started.executionArn };
}
