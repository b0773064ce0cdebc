import type { Context } from 'aws-lambda';
import { parseScan, Scan, ScanUploadedDetail } from '../domain/scan';
import { logger } from '../runtime/logger';

/** What validate-scan receives: the `detail` of the `Scan Uploaded` event. */
export type ValidateScanInput = ScanUploadedDetail;

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
    const scan = parseScan(event, new Date());
    logger.info('Scan is valid', { scanId: scan.scanId, deviceId: scan.deviceId });
    return scan;
  } catch (error) {
    logger.warn('Scan rejected', { error: error as Error });
    throw error;
  }
}
