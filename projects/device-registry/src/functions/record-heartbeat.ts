import type { Context } from 'aws-lambda';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What record-heartbeat receives from the workflow. */
export interface RecordHeartbeatEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Records battery and last-seen time from a device heartbeat. */
export async function handler(event: RecordHeartbeatEvent, context: Context): Promise<RecordHeartbeatEvent & { storedAt: string }> {
  logger.addContext(context);
  const storedAt = new Date().toISOString();
  await documentClient.send(new PutCommand({ TableName: tableName(), Item: { pk: event.id, sk: 'item', storedAt } }));
  logger.info('record-heartbeat: stored item', { id: event.id });
  return { ...event, storedAt };
}
