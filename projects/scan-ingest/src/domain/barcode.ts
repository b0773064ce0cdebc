/**
 * Barcode symbology and GS1 prefix, derived from the decoded content alone.
 *
 * GS1 numbers (GTINs) are all digits with a GS1 mod-10 check digit:
 * https://www.gs1.org/services/how-calculate-check-digit-manually
 * A scanner verifies the check digit before it reports an EAN/UPC read, so a numeric barcode of
 * a GTIN length whose check digit does not verify was not read as EAN/UPC: it is classified as
 * Code 128 (warehouse labels, location and pallet numbers), like any other content.
 */
export type Symbology = 'EAN-8' | 'UPC-A' | 'EAN-13' | 'ITF-14' | 'Code 128';

/** What the barcode content tells about the barcode. */
export interface BarcodeInfo {
  readonly symbology: Symbology;
  /** The GTIN padded to 14 digits; only for GS1 symbologies. */
  readonly gtin14?: string;
  /**
   * The three-digit GS1 prefix; only for GS1 symbologies. The company prefix itself (6-12
   * digits) cannot be cut from the GTIN: its length is only known to the GS1 registry.
   */
  readonly gs1Prefix?: string;
  /** Who issued the prefix (a GS1 member organisation, or a special use). */
  readonly gs1PrefixIssuer?: string;
}

const SYMBOLOGY_BY_LENGTH: Record<number, Symbology> = { 8: 'EAN-8', 12: 'UPC-A', 13: 'EAN-13', 14: 'ITF-14' };

/** The GS1 mod-10 check digit of `digits` (the number without its check digit). */
export function gs1CheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) {
    throw new Error(`gs1CheckDigit: "${digits}" is not a string of digits`);
  }
  let sum = 0;
  // From the right: weight 3 for the digit next to the check digit, then 1, 3, 1, ...
  for (let i = digits.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += Number(digits[i]) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether `code` is all digits and its last digit is the GS1 check digit of the others. */
export function hasValidGs1CheckDigit(code: string): boolean {
  return /^\d{2,}$/.test(code) && gs1CheckDigit(code.slice(0, -1)) === Number(code[code.length - 1]);
}

/** Symbology, GTIN and GS1 prefix of a decoded barcode. */
export function describeBarcode(barcode: string): BarcodeInfo {
  const symbology = SYMBOLOGY_BY_LENGTH[barcode.length];
  if (symbology === undefined || !hasValidGs1CheckDigit(barcode)) {
    return { symbology: 'Code 128' };
  }
  const gtin14 = barcode.padStart(14, '0');
  // EAN-8 numbers have their own prefix space (GTIN-8 prefixes), read from the EAN-8 itself;
  // for the others it is the first three digits of the GTIN-13 form (an ITF-14 without its
  // packaging indicator digit, a UPC-A with a leading 0).
  const gs1Prefix = symbology === 'EAN-8' ? barcode.slice(0, 3) : gtin14.slice(1, 4);
  return { symbology, gtin14, gs1Prefix, gs1PrefixIssuer: gs1PrefixIssuer(gs1Prefix, symbology) };
}

/** [first, last, issuer] ranges of GS1 prefixes: https://www.gs1.org/standards/id-keys/company-prefix */
const PREFIX_RANGES: ReadonlyArray<readonly [number, number, string]> = [
  [0, 19, 'GS1 US'],
  [20, 29, 'restricted circulation (in-store numbers)'],
  [30, 39, 'GS1 US'],
  [40, 49, 'restricted circulation (in-store numbers)'],
  [50, 59, 'GS1 US (coupons)'],
  [60, 139, 'GS1 US'],
  [200, 299, 'restricted circulation (in-store numbers)'],
  [300, 379, 'GS1 France'],
  [400, 440, 'GS1 Germany'],
  [450, 459, 'GS1 Japan'],
  [490, 499, 'GS1 Japan'],
  [500, 509, 'GS1 UK'],
  [540, 549, 'GS1 Belgium & Luxembourg'],
  [570, 579, 'GS1 Denmark'],
  [590, 590, 'GS1 Poland'],
  [640, 649, 'GS1 Finland'],
  [690, 699, 'GS1 China'],
  [700, 709, 'GS1 Norway'],
  [730, 739, 'GS1 Sweden'],
  [760, 769, 'GS1 Switzerland'],
  [800, 839, 'GS1 Italy'],
  [840, 849, 'GS1 Spain'],
  [870, 879, 'GS1 Netherlands'],
  [900, 919, 'GS1 Austria'],
  [930, 939, 'GS1 Australia'],
  [977, 977, 'serial publications (ISSN)'],
  [978, 979, 'books (ISBN)'],
  [980, 980, 'refund receipts'],
  [981, 984, 'coupons'],
  [990, 999, 'coupons'],
];

/** Who issued a GS1 prefix; `undefined` when the prefix is not in the table above. */
export function gs1PrefixIssuer(prefix: string, symbology: Symbology = 'EAN-13'): string | undefined {
  // GTIN-8 numbers starting with 0 or 2 are for restricted circulation (GS1 General Specifications 1.4.3).
  if (symbology === 'EAN-8' && (prefix.startsWith('0') || prefix.startsWith('2'))) {
    return 'restricted circulation (in-store numbers)';
  }
  const value = Number(prefix);
  return PREFIX_RANGES.find(([first, last]) => value >= first && value <= last)?.[2];
}
