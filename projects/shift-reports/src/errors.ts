/**
 * The errors shift-reports' handlers throw on purpose. Step Functions sees a Lambda error by its
 * `name` (the `Error` field a Catch matches), so each class sets `name` to a string literal: the
 * bundle is minified, and a name taken from the class would be mangled.
 */
export abstract class ShiftReportsError extends Error {}

/** The `Shift Ended` event cannot be reported on (missing shift id, impossible shift window). */
export class InvalidShiftEventError extends ShiftReportsError {
  public override readonly name = 'InvalidShiftEventError';
}
