/**
 * Item keys of the scan-ingest table (single-table design, `pk` / `sk` strings).
 *
 * | item | pk | sk |
 * |---|---|---|
 * | scan | `DEVICE#<deviceId>#DAY#<yyyy-mm-dd>` | `SCAN#<scannedAt>#<scanId>` |
 * | device day counter | `DEVICE#<deviceId>#DAY#<yyyy-mm-dd>` | `COUNTER` |
 * | worker shift counter | `SHIFT#<shiftId>` | `WORKER#<workerId>` |
 *
 * A device's scans of one day share a partition, sorted by time; a resend of a scan (same scanId
 * and scannedAt, set by the scanner) has the same key, which is what deduplication relies on.
 * The worker shift counters use the keys shift-reports reads (`load-shift-scans`).
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** The UTC day of an ISO 8601 UTC timestamp. */
export function utcDay(isoTimestamp: string): string {
  return isoTimestamp.slice(0, 10);
}

export function scanKey(scan: { deviceId: string; scanId: string; scannedAt: string }): ItemKey {
  return { pk: `DEVICE#${scan.deviceId}#DAY#${utcDay(scan.scannedAt)}`, sk: `SCAN#${scan.scannedAt}#${scan.scanId}` };
}

export function deviceDayCounterKey(scan: { deviceId: string; scannedAt: string }): ItemKey {
  return { pk: `DEVICE#${scan.deviceId}#DAY#${utcDay(scan.scannedAt)}`, sk: 'COUNTER' };
}

export function workerShiftCounterKey(scan: { shiftId: string; workerId: string }): ItemKey {
  return { pk: `SHIFT#${scan.shiftId}`, sk: `WORKER#${scan.workerId}` };
}
