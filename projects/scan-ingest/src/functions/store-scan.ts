import type { Context } from 'aws-lambda';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What store-scan receives from the workflow. */
export interface StoreScanEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Stores the scan under its device and day. */
export async function handler(event: StoreScanEvent, context: Context): Promise<StoreScanEvent & { storedAt: string }> {
  logger.addContext(context);
  const storedAt = new Date().toISOString();
  await documentClient.send(new PutCommand({ TableName: tableName(), Item: { pk: event.id, sk: 'item', storedAt } }));
  logger.info('store-scan: stored item', { id: event.id });
  return { ...event, storedAt };
}
