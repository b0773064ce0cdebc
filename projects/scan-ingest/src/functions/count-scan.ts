import type { Context } from 'aws-lambda';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What count-scan receives from the workflow. */
export interface CountScanEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Increments the per-device and per-shift scan counters. */
export async function handler(event: CountScanEvent, context: Context): Promise<CountScanEvent & { storedAt: string }> {
  logger.addContext(context);
  const storedAt = new Date().toISOString();
  await documentClient.send(new PutCommand({ TableName: tableName(), Item: { pk: event.id, sk: 'item', storedAt } }));
  logger.info('count-scan: stored item', { id: event.id });
  return { ...event, storedAt };
}
