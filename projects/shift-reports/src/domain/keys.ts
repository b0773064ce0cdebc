/**
 * Item keys of the shift-reports table (single-table design, `pk` / `sk` strings).
 *
 * | item | pk | sk |
 * |---|---|---|
 * | scan counter of a worker in a shift | `SHIFT#<shiftId>` | `WORKER#<workerId>` |
 * | shift report | `SHIFT#<shiftId>` | `REPORT` |
 *
 * The worker counters have the keys and attributes (`workerId`, `scanCount`, `deviceIds`)
 * scan-ingest's count-scan writes.
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
