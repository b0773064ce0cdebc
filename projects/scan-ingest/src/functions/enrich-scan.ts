import type { Context } from 'aws-lambda';
import { BarcodeInfo, describeBarcode } from '../domain/barcode';
import { Scan, scanOf } from '../domain/scan';
import { logger } from '../runtime/logger';

/** What enrich-scan receives: a new scan (the workflow state may carry more fields). */
export type EnrichScanInput = Scan;

/** What enrich-scan returns: the scan with what its barcode tells. */
export interface EnrichScanOutput extends Scan {
  readonly barcodeInfo: BarcodeInfo;
}

/** Derives the barcode symbology and GS1 prefix. */
export async function handler(event: EnrichScanInput, context: Context): Promise<EnrichScanOutput> {
  logger.addContext(context);
  const barcodeInfo = describeBarcode(event.barcode);
  logger.info('Scan enriched', { scanId: event.scanId, symbology: barcodeInfo.symbology, gs1Prefix: barcodeInfo.gs1Prefix });
  return { ...scanOf(event), barcodeInfo };
}
