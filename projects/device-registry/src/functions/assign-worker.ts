import type { Context } from 'aws-lambda';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { AssignmentConflictError, DeviceNotFoundError } from '../errors';
import { assignmentKey, deviceProfileKey } from '../domain/keys';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What assign-worker receives. */
export interface AssignWorkerInput {
  readonly serialNumber: string;
  readonly workerId: string;
  /** When the assignment starts, ISO 8601 in UTC. */
  readonly assignedAt: string;
}

/** What assign-worker returns. */
export interface AssignWorkerOutput {
  readonly serialNumber: string;
  readonly workerId: string;
  /** When the current assignment started (the earlier time when the worker already had the device). */
  readonly assignedAt: string;
  /** The worker whose assignment was ended, if any. */
  readonly previousWorkerId?: string;
  /** False when the worker already had the device: nothing was written. */
  readonly changed: boolean;
}

/**
 * Assigns the device to a worker, ending any previous assignment.
 *
 * Reads the current assignment, then in one transaction moves the profile to the new worker
 * (on condition that the assignment is still the one read), ends the previous assignment and
 * starts the new one in the history.
 *
 * @throws DeviceNotFoundError when the device is not registered
 * @throws AssignmentConflictError when the assignment changed meanwhile (the workflow retries)
 */
export async function handler(event: AssignWorkerInput, context: Context): Promise<AssignWorkerOutput> {
  logger.addContext(context);
  const { serialNumber, workerId, assignedAt } = event;
  const table = tableName();

  const { Item: profile } = await documentClient.send(new GetCommand({
    TableName: table,
    Key: deviceProfileKey(serialNumber),
    ProjectionExpression: 'assignedWorkerId, assignedAt',
    ConsistentRead: true,
  }));
  if (profile === undefined) {
    throw new DeviceNotFoundError(`No device is registered under serial number ${serialNumber}`);
  }
  const previousWorkerId = profile.assignedWorkerId as string | undefined;
  const previousAssignedAt = profile.assignedAt as string | undefined;
  if (previousWorkerId === workerId && previousAssignedAt !== undefined) {
    logger.info('Worker already has the device', { serialNumber, workerId });
    return { serialNumber, workerId, assignedAt: previousAssignedAt, changed: false };
  }

  const endPrevious = previousWorkerId !== undefined && previousAssignedAt !== undefined
    ? [{
      Update: {
        TableName: table,
        Key: assignmentKey(serialNumber, previousAssignedAt),
        UpdateExpression: 'SET endedAt = :endedAt',
        ExpressionAttributeValues: { ':endedAt': assignedAt },
      },
    }]
    : [];
  try {
    await documentClient.send(new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: deviceProfileKey(serialNumber),
            UpdateExpression: 'SET assignedWorkerId = :workerId, assignedAt = :assignedAt',
            ConditionExpression: previousWorkerId === undefined
              ? 'attribute_exists(pk) AND attribute_not_exists(assignedWorkerId)'
              : 'attribute_exists(pk) AND assignedWorkerId = :previousWorkerId',
            ExpressionAttributeValues: {
              ':workerId': workerId,
              ':assignedAt': assignedAt,
              ...(previousWorkerId === undefined ? {} : { ':previousWorkerId': previousWorkerId }),
            },
          },
        },
        ...endPrevious,
        {
          Put: {
            TableName: table,
            Item: { ...assignmentKey(serialNumber, assignedAt), type: 'assignment', serialNumber, workerId, startedAt: assignedAt },
          },
        },
      ],
    }));
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
      throw new AssignmentConflictError(`The assignment of device ${serialNumber} changed while assigning it to worker ${workerId}`, { cause: error });
    }
    throw error;
  }
  logger.info('Device assigned', { serialNumber, workerId, previousWorkerId });
  return { serialNumber, workerId, assignedAt, previousWorkerId, changed: true };
}
