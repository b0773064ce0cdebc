import type { Context } from 'aws-lambda';
import { handler } from '../../src/functions/enrich-scan';

const context = { functionName: 'enrich-scan', awsRequestId: 'test-request' } as Context;
const scan = {
  scanId: '01JNB4W7Q3X9K2M5T8V6R1C0DZ',
  deviceId: 'HSC2409K7Q2M',
  workerId: 'W-1042',
  shiftId: 'DC1-2026-03-02-EARLY',
  barcode: '4006381333931',
  scannedAt: '2026-03-02T07:14:33.512Z',
};

describe('enrich-scan', () => {

  test('GIVEN an EAN-13 WHEN enriched THEN adds symbology, GTIN-14 and GS1 prefix', async () => {
    await expect(handler(scan, context)).resolves.toEqual({
      ...scan,
      barcodeInfo: { symbology: 'EAN-13', gtin14: '04006381333931', gs1Prefix: '400', gs1PrefixIssuer: 'GS1 Germany' },
    });
  });

  test('GIVEN a warehouse location label WHEN enriched THEN is Code 128 without GTIN', async () => {
    await expect(handler({ ...scan, barcode: 'LOC-A12-03' }, context)).resolves.toEqual({
      ...scan,
      barcode: 'LOC-A12-03',
      barcodeInfo: { symbology: 'Code 128' },
    });
  });

  test('GIVEN the workflow state with the duplicate check WHEN enriched THEN drops it', async () => {
    const state = { ...scan, duplicateCheck: { Payload: { duplicate: false }, StatusCode: 200 } };
    const result = await handler(state, context);
    expect(result).not.toHaveProperty('duplicateCheck');
  });
});
