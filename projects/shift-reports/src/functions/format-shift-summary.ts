import type { Context } from 'aws-lambda';
import { logger } from '../runtime/logger';

/** What format-shift-summary receives from the workflow. */
export interface FormatShiftSummaryEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Formats a one-paragraph summary for the supervisor. */
export async function handler(event: FormatShiftSummaryEvent, context: Context): Promise<FormatShiftSummaryEvent & { checked: true }> {
  logger.addContext(context);
  if (typeof event.id !== 'string' || event.id === '') {
    throw new Error('format-shift-summary: event.id must be a non-empty string');
  }
  logger.info('format-shift-summary: checked event', { id: event.id });
  return { ...event, checked: true };
}
