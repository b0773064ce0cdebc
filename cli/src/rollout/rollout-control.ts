import { ConditionalCheckFailedException, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { RELEASE_STATUS_TABLE, ROLLOUT_CONTROL_PARTITION, RolloutControl } from '@fleet/contracts';
import { CliError } from '../errors';
import { awsCall } from './aws-errors';
import { findControlPlane } from './control-plane';
import { RolloutDeps } from './rollout-clients';
import { checkRolloutId } from './start-rollout';

export interface ControlOptions {
  readonly region: string;
  readonly controlPlaneStack?: string;
  readonly rolloutId: string;
}

/** The execution ARN of a rollout: the engine's executions are named after the rollout id. */
export function rolloutExecutionArn(stateMachineArn: string, rolloutId: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${rolloutId}`;
}

/**
 * `fleet rollout pause|resume|abort`: sets the rollout's control item, which the engine reads
 * before each wave and each child before it deploys (a pause lets running deployments finish).
 * An aborted rollout stays aborted; abort also stops the execution.
 */
export async function setRolloutControl(control: RolloutControl, options: ControlOptions, deps: RolloutDeps): Promise<string> {
  checkRolloutId(options.rolloutId, 'rolloutId', 'use the id npx fleet rollout start printed, for example rollout-20261201T230500Z');
  const controlPlane = await findControlPlane(deps.cfn(options.region), options.controlPlaneStack);
  try {
    await deps.dynamodb(options.region).send(new UpdateItemCommand({
      TableName: controlPlane.statusTable,
      Key: { [RELEASE_STATUS_TABLE.partitionKey]: { S: ROLLOUT_CONTROL_PARTITION }, [RELEASE_STATUS_TABLE.sortKey]: { S: options.rolloutId } },
      UpdateExpression: 'SET #control = :control, updatedAt = :now',
      ConditionExpression: 'attribute_exists(#pk) AND #control <> :aborted',
      ExpressionAttributeNames: { '#pk': RELEASE_STATUS_TABLE.partitionKey, '#control': 'control' },
      ExpressionAttributeValues: { ':control': { S: control }, ':now': { S: deps.now().toISOString() }, ':aborted': { S: 'ABORTED' } },
    }));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException') {
      if (control === 'ABORTED') {
        // Aborted already (or unknown): stopping the execution again is harmless; say which.
      } else {
        throw new CliError({
          subject: `Rollout ${options.rolloutId}`,
          problem: `cannot be ${control === 'PAUSED' ? 'paused' : 'resumed'}: it does not exist or was aborted`,
          fix: `check the id with npx fleet rollout status ${options.rolloutId}; an aborted rollout is finished, start a new one with npx fleet rollout start`,
        });
      }
    } else {
      await awsCall(`Setting rollout ${options.rolloutId} to ${control}`, `dynamodb:UpdateItem on table ${controlPlane.statusTable}`, () => Promise.reject(error));
    }
  }
  if (control !== 'ABORTED') return `Rollout ${options.rolloutId}: ${control}.`;
  const executionArn = rolloutExecutionArn(controlPlane.stateMachineArn, options.rolloutId);
  try {
    await deps.sfn(options.region).send(new StopExecutionCommand({ executionArn, error: 'Fleet.RolloutAborted', cause: `fleet rollout abort ${options.rolloutId}` }));
  } catch (error) {
    const name = (error as Error).name;
    if (name !== 'ExecutionDoesNotExist') {
      await awsCall(`Stopping ${executionArn}`, `states:StopExecution on ${executionArn}`, () => Promise.reject(error));
    }
  }
  return `Rollout ${options.rolloutId}: ABORTED, execution stopped. Deployments already running finish or roll back on their own; nothing more starts.`;
}
