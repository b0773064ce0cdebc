import type { Context } from 'aws-lambda';
import { detectPaceAnomalies, PaceAnomaly } from '../domain/anomalies';
import { ShiftMetrics } from '../domain/metrics';
import { logger } from '../runtime/logger';

/** What detect-anomalies receives: the shift metrics. */
export type DetectAnomaliesInput = ShiftMetrics;

/** What detect-anomalies returns: the metrics with the workers far from the median. */
export interface DetectAnomaliesOutput extends ShiftMetrics {
  /** Farthest from the median first; empty when every pace is normal. */
  readonly anomalies: PaceAnomaly[];
}

/** Flags workers whose pace is far from the shift median. */
export async function handler(event: DetectAnomaliesInput, context: Context): Promise<DetectAnomaliesOutput> {
  logger.addContext(context);
  const anomalies = detectPaceAnomalies(event);
  logger.info('Pace anomalies detected', { shiftId: event.shift.shiftId, anomalyCount: anomalies.length });
  return { ...event, anomalies };
}
