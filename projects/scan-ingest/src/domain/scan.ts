import { InvalidScanError } from '../errors';

/** The `detail` of a `Scan Uploaded` event, as the scanner sends it (not yet checked). */
export interface ScanUploadedDetail {
  /** Id the scanner gives the scan; a resend of the same scan keeps it. */
  readonly scanId?: unknown;
  /** Serial number of the scanner. */
  readonly deviceId?: unknown;
  /** Worker logged in on the scanner. */
  readonly workerId?: unknown;
  /** Shift the scanner was scanning for. */
  readonly shiftId?: unknown;
  /** Decoded barcode content. */
  readonly barcode?: unknown;
  /** When the barcode was read, ISO 8601 with a UTC offset, by the scanner's clock. */
  readonly scannedAt?: unknown;
}

/** A checked scan. */
export interface Scan {
  readonly scanId: string;
  readonly deviceId: string;
  readonly workerId: string;
  readonly shiftId: string;
  readonly barcode: string;
  /** ISO 8601 in UTC (`toISOString()`), so that keys sort by time. */
  readonly scannedAt: string;
}

/** Scanner clocks drift; a scan this far ahead of the service clock is a wrong clock, not a scan. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Scanners buffer scans while offline; older than this, the shift it belongs to is long reported. */
export const MAX_SCAN_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** Longest barcode accepted: GS1-128 carries at most 48 data characters. */
export const MAX_BARCODE_LENGTH = 48;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const PRINTABLE_ASCII = /^[\x20-\x7E]+$/;
const ISO_8601_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks a scan as uploaded and returns it normalized (timestamp in UTC).
 *
 * @throws InvalidScanError naming the first field that is wrong
 */
export function parseScan(detail: ScanUploadedDetail, now: Date): Scan {
  const scanId = requireId(detail, 'scanId');
  const deviceId = requireId(detail, 'deviceId');
  const workerId = requireId(detail, 'workerId');
  const shiftId = requireId(detail, 'shiftId');

  const barcode = detail.barcode;
  if (typeof barcode !== 'string' || barcode.length === 0) {
    throw new InvalidScanError('barcode is missing: the scanner must send the decoded barcode content');
  }
  if (barcode.length > MAX_BARCODE_LENGTH || !PRINTABLE_ASCII.test(barcode)) {
    throw new InvalidScanError(`barcode "${barcode}" is not 1-${MAX_BARCODE_LENGTH} printable ASCII characters`);
  }

  const scannedAt = detail.scannedAt;
  if (typeof scannedAt !== 'string' || !ISO_8601_WITH_OFFSET.test(scannedAt) || Number.isNaN(Date.parse(scannedAt))) {
    throw new InvalidScanError(`scannedAt ${JSON.stringify(scannedAt)} is not an ISO 8601 timestamp with a UTC offset`);
  }
  const scannedAtMs = Date.parse(scannedAt);
  if (scannedAtMs > now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw new InvalidScanError(`scannedAt ${scannedAt} is more than 5 minutes in the future: check the scanner clock`);
  }
  if (scannedAtMs < now.getTime() - MAX_SCAN_AGE_MS) {
    throw new InvalidScanError(`scannedAt ${scannedAt} is more than 7 days old`);
  }

  return { scanId, deviceId, workerId, shiftId, barcode, scannedAt: new Date(scannedAtMs).toISOString() };
}

function requireId(detail: ScanUploadedDetail, field: 'scanId' | 'deviceId' | 'workerId' | 'shiftId'): string {
  const value = detail[field];
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new InvalidScanError(`${field} ${JSON.stringify(value)} is not an id (1-64 letters, digits, ".", "_", ":" or "-")`);
  }
  return value;
}

/** The fields of a `Scan`, without whatever else the workflow state carries. */
export function scanOf(input: Scan): Scan {
  const { scanId, deviceId, workerId, shiftId, barcode, scannedAt } = input;
  return { scanId, deviceId, workerId, shiftId, barcode, scannedAt };
}
