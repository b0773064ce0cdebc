import type { Context } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What deduplicate-scan receives from the workflow. */
export interface DeduplicateScanEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Drops scans already stored (scanners resend on flaky Wi-Fi). */
export async function handler(event: DeduplicateScanEvent, context: Context): Promise<DeduplicateScanEvent & { found: boolean }> {
  logger.addContext(context);
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: { pk: event.id, sk: 'item' } }));
  logger.info('deduplicate-scan: looked up item', { id: event.id, found: Item !== undefined });
  return { ...event, found: Item !== undefined };
}
