import type { Context } from 'aws-lambda';
import { formatShiftSummary, ReviewStatus, ShiftReport } from '../domain/report';
import { logger } from '../runtime/logger';

/** What format-shift-summary receives: the finished report. */
export type FormatShiftSummaryInput = ShiftReport;

/** What format-shift-summary returns: the output of the workflow. */
export interface FormatShiftSummaryOutput {
  readonly shiftId: string;
  readonly status: ReviewStatus;
  readonly summary: string;
}

/** Formats a one-paragraph summary for the supervisor. */
export async function handler(event: FormatShiftSummaryInput, context: Context): Promise<FormatShiftSummaryOutput> {
  logger.addContext(context);
  const summary = formatShiftSummary(event);
  logger.info('Shift summary formatted', { shiftId: event.shift.shiftId, status: event.status });
  return { shiftId: event.shift.shiftId, status: event.status, summary };
}
