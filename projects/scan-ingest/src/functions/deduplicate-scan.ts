import type { Context } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { scanKey } from '../domain/keys';
import { Scan } from '../domain/scan';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What deduplicate-scan receives: a checked scan. */
export type DeduplicateScanInput = Scan;

/** What deduplicate-scan returns (the workflow keeps it beside the scan). */
export interface DeduplicateScanOutput {
  /** Whether the scan is already stored. */
  readonly duplicate: boolean;
}

/**
 * Drops scans already stored (scanners resend on flaky Wi-Fi): looks the scan up by its key.
 *
 * An eventually consistent read is enough here: a resend that races the first upload past this
 * check is stopped by store-scan's conditional write.
 */
export async function handler(event: DeduplicateScanInput, context: Context): Promise<DeduplicateScanOutput> {
  logger.addContext(context);
  const { Item } = await documentClient.send(new GetCommand({
    TableName: tableName(),
    Key: scanKey(event),
    ProjectionExpression: 'pk',
  }));
  const duplicate = Item !== undefined;
  logger.info(duplicate ? 'Scan already stored' : 'Scan is new', { scanId: event.scanId, deviceId: event.deviceId });
  return { duplicate };
}
