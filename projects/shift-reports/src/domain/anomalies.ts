import { round, ShiftMetrics } from './metrics';

/** A worker whose pace is far from the shift median. */
export interface PaceAnomaly {
  readonly workerId: string;
  /** Slow: may need help or was off the floor; fast: may be double-scanning. */
  readonly kind: 'slow' | 'fast';
  readonly scansPerHour: number;
  readonly medianScansPerHour: number;
  /** (pace - median) / median, two decimals: -0.6 is 60 % below the median. */
  readonly deviation: number;
}

/** A pace this far from the median (as a fraction of it), or farther, is an anomaly. */
export const PACE_DEVIATION_THRESHOLD = 0.5;

/** Below this many workers the median says little about a normal pace: no anomalies. */
export const MIN_WORKERS_FOR_ANOMALIES = 3;

/** Workers whose pace deviates from the shift median by at least the threshold, farthest first. */
export function detectPaceAnomalies(metrics: ShiftMetrics, threshold = PACE_DEVIATION_THRESHOLD): PaceAnomaly[] {
  const { medianScansPerHour } = metrics;
  if (metrics.workerCount < MIN_WORKERS_FOR_ANOMALIES || medianScansPerHour <= 0) {
    return [];
  }
  return metrics.workers
    .map((worker) => ({ worker, deviation: (worker.scansPerHour - medianScansPerHour) / medianScansPerHour }))
    .filter(({ deviation }) => Math.abs(deviation) >= threshold)
    .sort((a, b) => Math.abs(b.deviation) - Math.abs(a.deviation) || a.worker.workerId.localeCompare(b.worker.workerId))
    .map(({ worker, deviation }) => ({
      workerId: worker.workerId,
      kind: deviation < 0 ? 'slow' as const : 'fast' as const,
      scansPerHour: worker.scansPerHour,
      medianScansPerHour,
      deviation: round(deviation, 2),
    }));
}
