/**
 * Item keys of the shift-reports table (single-table design, `pk` / `sk` strings).
 *
 * | item | pk | sk |
 * |---|---|---|
 * | scan counter of a worker in a shift | `SHIFT#<shiftId>` | `WORKER#<workerId>` |
 * | marker of a tallied scan | `SHIFT#<shiftId>` | `SCAN#<scanId>` |
 * | shift report | `SHIFT#<shiftId>` | `REPORT` |
 *
 * The worker counters (`workerId`, `scanCount`, `deviceIds`) are written by tally-scan from the
 * same `Scan Uploaded` events scan-ingest receives.
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

export const WORKER_COUNTER_PREFIX = 'WORKER#';

export function shiftPartition(shiftId: string): string {
  return `SHIFT#${shiftId}`;
}

export function shiftReportKey(shiftId: string): ItemKey {
  return { pk: shiftPartition(shiftId), sk: 'REPORT' };
}

export function workerCounterKey(shiftId: string, workerId: string): ItemKey {
  return { pk: shiftPartition(shiftId), sk: `${WORKER_COUNTER_PREFIX}${workerId}` };
}

/** Marks a scan as tallied, so a redelivered `Scan Uploaded` event is not counted twice. */
export function talliedScanKey(shiftId: string, scanId: string): ItemKey {
  return { pk: shiftPartition(shiftId), sk: `SCAN#${scanId}` };
}
