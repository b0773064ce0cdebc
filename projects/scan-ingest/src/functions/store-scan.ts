import type { Context } from 'aws-lambda';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DuplicateScanError } from '../errors';
import { scanKey } from '../domain/keys';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';
import type { EnrichScanOutput } from './enrich-scan';

/** What store-scan receives: the enriched scan. */
export type StoreScanInput = EnrichScanOutput;

/** What store-scan returns: the stored scan and when it was stored. */
export interface StoreScanOutput extends EnrichScanOutput {
  readonly storedAt: string;
}

/**
 * Stores the scan under its device and day.
 *
 * The write is conditional: two resends of one scan can both pass deduplicate-scan, and only the
 * first may be stored (and counted).
 *
 * @throws DuplicateScanError when the scan is already stored
 */
export async function handler(event: StoreScanInput, context: Context): Promise<StoreScanOutput> {
  logger.addContext(context);
  const storedAt = new Date().toISOString();
  const { scanId, deviceId, workerId, shiftId, barcode, scannedAt, barcodeInfo } = event;
  try {
    await documentClient.send(new PutCommand({
      TableName: tableName(),
      Item: { ...scanKey(event), type: 'scan', scanId, deviceId, workerId, shiftId, barcode, scannedAt, ...barcodeInfo, storedAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    }));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      throw new DuplicateScanError(`Scan ${scanId} of device ${deviceId} is already stored`, { cause: error });
    }
    throw error;
  }
  logger.info('Scan stored', { scanId, deviceId });
  return { ...event, storedAt };
}
