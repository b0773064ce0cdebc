/**
 * The errors scan-ingest's handlers throw on purpose. Step Functions sees a Lambda error by its
 * `name` (the `Error` field a Catch matches), so each class sets `name` to a string literal: the
 * bundle is minified, and a name taken from the class (`new.target.name`) would be mangled.
 */
export abstract class ScanIngestError extends Error {}

/** The scan cannot be accepted as sent (missing field, bad barcode, implausible timestamp). */
export class InvalidScanError extends ScanIngestError {
  public override readonly name = 'InvalidScanError';
}

/**
 * The scan is already stored: a resend raced the first upload past the duplicate check. The
 * workflow treats it like a duplicate found by the check.
 */
export class DuplicateScanError extends ScanIngestError {
  public override readonly name = 'DuplicateScanError';
}

/** The scan to count is not in the table (count-scan ran without store-scan before it). */
export class ScanNotStoredError extends ScanIngestError {
  public override readonly name = 'ScanNotStoredError';
}
