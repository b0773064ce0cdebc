import type { Context } from 'aws-lambda';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { shiftReportKey } from '../domain/keys';
import { ShiftReport } from '../domain/report';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What store-shift-report receives: the finished report. */
export type StoreShiftReportInput = ShiftReport;

/** What store-shift-report returns. */
export interface StoreShiftReportOutput {
  readonly shiftId: string;
  readonly generatedAt: string;
  /** False when a report generated later was already stored (it is kept). */
  readonly stored: boolean;
}

/**
 * Stores the finished report under its shift id.
 *
 * A shift can be reported more than once (a redelivered `Shift Ended` event, or a re-run after
 * late scans). The write is conditional on being newer than the stored report, so that a slow
 * execution cannot replace the report of a later one.
 */
export async function handler(event: StoreShiftReportInput, context: Context): Promise<StoreShiftReportOutput> {
  logger.addContext(context);
  const generatedAt = new Date().toISOString();
  const { shift, shiftHours, totalScans, workerCount, medianScansPerHour, workers, anomalies, status } = event;
  try {
    await documentClient.send(new PutCommand({
      TableName: tableName(),
      Item: {
        ...shiftReportKey(shift.shiftId),
        type: 'shift-report',
        ...shift,
        shiftHours,
        totalScans,
        workerCount,
        medianScansPerHour,
        workers,
        anomalies,
        status,
        generatedAt,
      },
      ConditionExpression: 'attribute_not_exists(pk) OR generatedAt < :generatedAt',
      ExpressionAttributeValues: { ':generatedAt': generatedAt },
    }));
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      logger.info('A newer report of the shift is already stored', { shiftId: shift.shiftId });
      return { shiftId: shift.shiftId, generatedAt, stored: false };
    }
    throw error;
  }
  logger.info('Shift report stored', { shiftId: shift.shiftId, status });
  return { shiftId: shift.shiftId, generatedAt, stored: true };
}
