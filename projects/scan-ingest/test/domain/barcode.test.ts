import { describeBarcode, gs1CheckDigit, gs1PrefixIssuer, hasValidGs1CheckDigit } from '../../src/domain/barcode';

describe('gs1CheckDigit', () => {
  test.each([
    ['400638133393', 1], // EAN-13 4006381333931
    ['03600029145', 2], // UPC-A 036000291452
    ['9638507', 4], // EAN-8 96385074
    ['1001234567890', 2], // ITF-14 10012345678902: 3*(0+8+6+4+2+0+1) + 1*(9+7+5+3+1+0) = 88
  ])('check digit of %s is %d', (digits, expected) => {
    expect(gs1CheckDigit(digits)).toBe(expected);
  });

  test('rejects non-digits', () => {
    expect(() => gs1CheckDigit('12A4')).toThrow('gs1CheckDigit: "12A4" is not a string of digits');
  });
});

describe('hasValidGs1CheckDigit', () => {
  test('accepts a correct check digit and refuses a misread one', () => {
    expect(hasValidGs1CheckDigit('4006381333931')).toBe(true);
    expect(hasValidGs1CheckDigit('4006381333932')).toBe(false);
  });
});

describe('describeBarcode', () => {
  test.each([
    ['4006381333931', { symbology: 'EAN-13', gtin14: '04006381333931', gs1Prefix: '400', gs1PrefixIssuer: 'GS1 Germany' }],
    ['036000291452', { symbology: 'UPC-A', gtin14: '00036000291452', gs1Prefix: '003', gs1PrefixIssuer: 'GS1 US' }],
    ['96385074', { symbology: 'EAN-8', gtin14: '00000096385074', gs1Prefix: '963', gs1PrefixIssuer: undefined }],
    ['10012345678902', { symbology: 'ITF-14', gtin14: '10012345678902', gs1Prefix: '001', gs1PrefixIssuer: 'GS1 US' }],
    ['9780306406157', { symbology: 'EAN-13', gtin14: '09780306406157', gs1Prefix: '978', gs1PrefixIssuer: 'books (ISBN)' }],
    ['2123456789010', { symbology: 'EAN-13', gtin14: '02123456789010', gs1Prefix: '212', gs1PrefixIssuer: 'restricted circulation (in-store numbers)' }],
  ])('%s is %o', (barcode, expected) => {
    expect(describeBarcode(barcode)).toEqual(expected);
  });

  test('a GTIN-length number with a wrong check digit is Code 128', () => {
    expect(describeBarcode('4006381333932')).toEqual({ symbology: 'Code 128' });
  });

  test('alphanumeric content is Code 128', () => {
    expect(describeBarcode('PAL-000187-DC1')).toEqual({ symbology: 'Code 128' });
  });
});

describe('gs1PrefixIssuer', () => {
  test('EAN-8 numbers starting with 0 or 2 are restricted circulation', () => {
    expect(gs1PrefixIssuer('021', 'EAN-8')).toBe('restricted circulation (in-store numbers)');
    expect(gs1PrefixIssuer('021', 'EAN-13')).toBe('restricted circulation (in-store numbers)');
    expect(gs1PrefixIssuer('501', 'EAN-8')).toBe('GS1 UK');
  });
});
