import type { Context } from 'aws-lambda';
import { logger } from '../runtime/logger';

/** What compute-shift-metrics receives from the workflow. */
export interface ComputeShiftMetricsEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Computes totals and scans per hour for each worker. */
export async function handler(event: ComputeShiftMetricsEvent, context: Context): Promise<ComputeShiftMetricsEvent & { checked: true }> {
  logger.addContext(context);
  if (typeof event.id !== 'string' || event.id === '') {
    throw new Error('compute-shift-metrics: event.id must be a non-empty string');
  }
  logger.info('compute-shift-metrics: checked event', { id: event.id });
  return { ...event, checked: true };
}
