import { Shift, shiftHours } from './shift';

/** Scans of one worker in a shift, as counted by scan-ingest. */
export interface WorkerScans {
  readonly workerId: string;
  readonly scanCount: number;
  /** Scanners the worker used, sorted. */
  readonly deviceIds: string[];
}

/** Pace of one worker. */
export interface WorkerMetrics {
  readonly workerId: string;
  readonly scanCount: number;
  readonly deviceCount: number;
  /** Scans per hour of the shift, one decimal. */
  readonly scansPerHour: number;
}

/** Totals and pace of a shift. */
export interface ShiftMetrics {
  readonly shift: Shift;
  /** Length of the shift, two decimals. */
  readonly shiftHours: number;
  readonly totalScans: number;
  readonly workerCount: number;
  /** Median of the workers' scans per hour, one decimal. */
  readonly medianScansPerHour: number;
  /** By workerId. */
  readonly workers: WorkerMetrics[];
}

/** Rounds half away from zero to `decimals` decimals. */
export function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.sign(value) * Math.round(Math.abs(value) * factor) / factor;
}

/** Median of `values` (mean of the middle two for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    return 0;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Totals and scans per hour of each worker. The pace is over the whole shift: a worker who
 * scanned for half of it shows half the pace, which is what the supervisor should see.
 */
export function computeShiftMetrics(shift: Shift, workerScans: readonly WorkerScans[]): ShiftMetrics {
  const hours = shiftHours(shift);
  const workers = [...workerScans]
    .sort((a, b) => a.workerId.localeCompare(b.workerId))
    .map((worker) => ({
      workerId: worker.workerId,
      scanCount: worker.scanCount,
      deviceCount: worker.deviceIds.length,
      scansPerHour: round(worker.scanCount / hours, 1),
    }));
  return {
    shift,
    shiftHours: round(hours, 2),
    totalScans: workers.reduce((sum, worker) => sum + worker.scanCount, 0),
    workerCount: workers.length,
    medianScansPerHour: round(median(workers.map((worker) => worker.scansPerHour)), 1),
    workers,
  };
}
