import type { Context } from 'aws-lambda';
import { parseScan, Scan, ScanUploadedDetail } from '../domain/scan';
import { logger } from '../runtime/logger';

/** What validate-scan receives: the `detail` of the `Scan Uploaded` event and when EventBridge received it. */
export interface ValidateScanInput {
  readonly detail: ScanUploadedDetail;
  /** The event's `time`: when the upload reached EventBridge (ISO 8601). */
  readonly uploadedAt: string;
}

/** What validate-scan returns: the scan, checked and with its timestamp in UTC. */
export type ValidateScanOutput = Scan;

/**
 * Checks that a scan has a device, a barcode and a plausible timestamp.
 *
 * @throws InvalidScanError when it does not (the workflow rejects the scan without reporting a failure)
 */
export async function handler(event: ValidateScanInput, context: Context): Promise<ValidateScanOutput> {
  logger.addContext(context);
  try {
    // Age and clock skew are judged against the upload time, not the time this runs: a
    // redriven or replayed event is as valid as it was when it arrived.
    const uploadedAt = new Date(event.uploadedAt);
    const scan = parseScan(event.detail ?? {}, Number.isNaN(uploadedAt.getTime()) ? new Date() : uploadedAt);
    logger.info('Scan is valid', { scanId: scan.scanId, deviceId: scan.deviceId });
    return scan;
  } catch (error) {
    logger.warn('Scan rejected', { error: error as Error });
    throw error;
  }
}
