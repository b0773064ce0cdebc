import type { Context } from 'aws-lambda';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { shiftPartition, WORKER_COUNTER_PREFIX } from '../domain/keys';
import { WorkerScans } from '../domain/metrics';
import { parseShift, Shift, ShiftEndedDetail } from '../domain/shift';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What load-shift-scans receives: the `detail` of the `Shift Ended` event. */
export type LoadShiftScansInput = ShiftEndedDetail;

/** What load-shift-scans returns: the shift and the scan counter of each worker in it. */
export interface LoadShiftScansOutput {
  readonly shift: Shift;
  /** Empty when nobody scanned in the shift. */
  readonly workers: WorkerScans[];
}

/**
 * Loads the counters recorded for the shift: one item per worker, all in the shift's partition
 * (a Query, paginated: a large site has hundreds of workers per shift).
 *
 * @throws InvalidShiftEventError when the event does not describe a shift
 */
export async function handler(event: LoadShiftScansInput, context: Context): Promise<LoadShiftScansOutput> {
  logger.addContext(context);
  const shift = parseShift(event);
  const workers: WorkerScans[] = [];
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient.send(new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :workerPrefix)',
      ExpressionAttributeValues: { ':pk': shiftPartition(shift.shiftId), ':workerPrefix': WORKER_COUNTER_PREFIX },
      ProjectionExpression: 'workerId, scanCount, deviceIds',
      ExclusiveStartKey: exclusiveStartKey,
    }));
    for (const item of page.Items ?? []) {
      workers.push({
        workerId: String(item.workerId),
        scanCount: Number(item.scanCount ?? 0),
        // A string set comes back as a Set, which would serialize to {} in the Lambda result.
        deviceIds: [...(item.deviceIds as Set<string> | undefined ?? [])].sort(),
      });
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  logger.info('Shift scans loaded', { shiftId: shift.shiftId, workerCount: workers.length });
  return { shift, workers };
}
