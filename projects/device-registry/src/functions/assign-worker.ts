import type { Context } from 'aws-lambda';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What assign-worker receives from the workflow. */
export interface AssignWorkerEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Assigns the device to a worker, ending any previous assignment. */
export async function handler(event: AssignWorkerEvent, context: Context): Promise<AssignWorkerEvent & { storedAt: string }> {
  logger.addContext(context);
  const storedAt = new Date().toISOString();
  await documentClient.send(new PutCommand({ TableName: tableName(), Item: { pk: event.id, sk: 'item', storedAt } }));
  logger.info('assign-worker: stored item', { id: event.id });
  return { ...event, storedAt };
}
