import type { Context } from 'aws-lambda';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ScanNotStoredError } from '../errors';
import { deviceDayCounterKey, scanKey, utcDay, workerShiftCounterKey } from '../domain/keys';
import { Scan } from '../domain/scan';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What count-scan receives: a stored scan (the workflow state may carry more fields). */
export type CountScanInput = Scan;

/** What count-scan returns. */
export interface CountScanOutput {
  readonly scanId: string;
  /** False when the scan had already been counted (a retry of this step): nothing was added. */
  readonly counted: boolean;
  /** Scans of the worker in the shift so far, this one included. */
  readonly workerShiftScanCount: number;
}

/**
 * Increments the per-device (per day) and per-worker (per shift) scan counters.
 *
 * Exactly once per scan: one transaction marks the scan item as counted (on condition that it
 * is not yet) and adds to both counters, so a retried invocation cannot count a scan twice.
 */
export async function handler(event: CountScanInput, context: Context): Promise<CountScanOutput> {
  logger.addContext(context);
  const table = tableName();
  const countedAt = new Date().toISOString();
  let counted = true;
  try {
    await documentClient.send(new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: table,
            Key: scanKey(event),
            UpdateExpression: 'SET countedAt = :countedAt',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(countedAt)',
            ExpressionAttributeValues: { ':countedAt': countedAt },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
        {
          Update: {
            TableName: table,
            Key: deviceDayCounterKey(event),
            UpdateExpression: 'SET deviceId = :deviceId, #day = :day ADD scanCount :one',
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: { ':deviceId': event.deviceId, ':day': utcDay(event.scannedAt), ':one': 1 },
          },
        },
        {
          Update: {
            TableName: table,
            Key: workerShiftCounterKey(event),
            UpdateExpression: 'SET workerId = :workerId, shiftId = :shiftId ADD scanCount :one, deviceIds :device',
            ExpressionAttributeValues: { ':workerId': event.workerId, ':shiftId': event.shiftId, ':one': 1, ':device': new Set([event.deviceId]) },
          },
        },
      ],
    }));
  } catch (error) {
    // The reasons are in the order of TransactItems; the scan item is the first.
    const scanItemReason = error instanceof TransactionCanceledException ? error.CancellationReasons?.[0] : undefined;
    if (scanItemReason?.Code !== 'ConditionalCheckFailed') {
      throw error;
    }
    if (scanItemReason.Item === undefined) {
      throw new ScanNotStoredError(`Scan ${event.scanId} of device ${event.deviceId} is not stored: store-scan must run before count-scan`, { cause: error });
    }
    counted = false;
    logger.info('Scan already counted', { scanId: event.scanId });
  }

  const { Item } = await documentClient.send(new GetCommand({
    TableName: table,
    Key: workerShiftCounterKey(event),
    ProjectionExpression: 'scanCount',
    ConsistentRead: true,
  }));
  const workerShiftScanCount = Number(Item?.scanCount ?? 0);
  if (counted) {
    logger.info('Scan counted', { scanId: event.scanId, workerId: event.workerId, shiftId: event.shiftId, workerShiftScanCount });
  }
  return { scanId: event.scanId, counted, workerShiftScanCount };
}
