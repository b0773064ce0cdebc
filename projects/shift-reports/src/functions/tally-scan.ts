import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { talliedScanKey, workerCounterKey } from '../domain/keys';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** The fields of a `Scan Uploaded` detail this function needs (scan-ingest validates the rest). */
export interface ScanUploadedDetail {
  readonly scanId?: unknown;
  readonly deviceId?: unknown;
  readonly workerId?: unknown;
  readonly shiftId?: unknown;
}

export type TallyScanEvent = EventBridgeEvent<'Scan Uploaded', ScanUploadedDetail>;

export interface TallyScanResult {
  readonly tallied: boolean;
  /** Why the scan was not tallied. */
  readonly reason?: 'already tallied' | 'incomplete scan';
}

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/**
 * Adds each uploaded scan to its worker's shift tally, exactly once.
 *
 * Called by EventBridge directly (asynchronously, retried on error). One transaction writes a
 * marker for the scan (conditional: absent) and adds to the worker's counter, so a redelivered
 * event or a scanner's resend adds nothing. An incomplete scan is skipped, not retried: retrying
 * cannot fix its data, and scan-ingest rejects and reports it.
 */
export async function handler(event: TallyScanEvent, context: Context): Promise<TallyScanResult> {
  logger.addContext(context);
  const { scanId, deviceId, workerId, shiftId } = event.detail ?? {};
  if (![scanId, deviceId, workerId, shiftId].every((id) => typeof id === 'string' && ID_PATTERN.test(id))) {
    logger.warn('Scan skipped: incomplete', { scanId, deviceId, workerId, shiftId });
    return { tallied: false, reason: 'incomplete scan' };
  }
  const ids = { scanId, deviceId, workerId, shiftId } as Record<'scanId' | 'deviceId' | 'workerId' | 'shiftId', string>;
  try {
    await documentClient.send(new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: tableName(),
            Item: { ...talliedScanKey(ids.shiftId, ids.scanId), workerId: ids.workerId, talliedAt: event.time },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: tableName(),
            Key: workerCounterKey(ids.shiftId, ids.workerId),
            UpdateExpression: 'SET workerId = :workerId ADD scanCount :one, deviceIds :device',
            ExpressionAttributeValues: { ':workerId': ids.workerId, ':one': 1, ':device': new Set([ids.deviceId]) },
          },
        },
      ],
    }));
  } catch (error) {
    if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
      logger.info('Scan already tallied', { scanId: ids.scanId });
      return { tallied: false, reason: 'already tallied' };
    }
    throw error;
  }
  logger.info('Scan tallied', { scanId: ids.scanId, workerId: ids.workerId, shiftId: ids.shiftId });
  return { tallied: true };
}
