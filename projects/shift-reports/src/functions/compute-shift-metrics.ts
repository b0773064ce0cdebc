import type { Context } from 'aws-lambda';
import { computeShiftMetrics, ShiftMetrics } from '../domain/metrics';
import { logger } from '../runtime/logger';
import type { LoadShiftScansOutput } from './load-shift-scans';

/** What compute-shift-metrics receives: the shift and its worker counters. */
export type ComputeShiftMetricsInput = LoadShiftScansOutput;

/** What compute-shift-metrics returns. */
export type ComputeShiftMetricsOutput = ShiftMetrics;

/** Computes totals and scans per hour for each worker. */
export async function handler(event: ComputeShiftMetricsInput, context: Context): Promise<ComputeShiftMetricsOutput> {
  logger.addContext(context);
  const metrics = computeShiftMetrics(event.shift, event.workers);
  logger.info('Shift metrics computed', { shiftId: metrics.shift.shiftId, totalScans: metrics.totalScans, medianScansPerHour: metrics.medianScansPerHour });
  return metrics;
}
