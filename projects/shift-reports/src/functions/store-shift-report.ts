import type { Context } from 'aws-lambda';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What store-shift-report receives from the workflow. */
export interface StoreShiftReportEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Stores the finished report under its shift id. */
export async function handler(event: StoreShiftReportEvent, context: Context): Promise<StoreShiftReportEvent & { storedAt: string }> {
  logger.addContext(context);
  const storedAt = new Date().toISOString();
  await documentClient.send(new PutCommand({ TableName: tableName(), Item: { pk: event.id, sk: 'item', storedAt } }));
  logger.info('store-shift-report: stored item', { id: event.id });
  return { ...event, storedAt };
}
