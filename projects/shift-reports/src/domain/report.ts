import { PaceAnomaly } from './anomalies';
import { ShiftMetrics } from './metrics';

/** Whether a supervisor should look at the report. */
export type ReviewStatus = 'needs-review' | 'routine';

/** A finished shift report. */
export interface ShiftReport extends ShiftMetrics {
  readonly anomalies: PaceAnomaly[];
  readonly status: ReviewStatus;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** One paragraph for the supervisor. */
export function formatShiftSummary(report: ShiftReport): string {
  const { shift } = report;
  const window = `${shift.startedAt.slice(11, 16)}-${shift.endedAt.slice(11, 16)} UTC, ${oneDecimal.format(report.shiftHours)} h`;
  const workers = report.workerCount === 1 ? '1 worker' : `${report.workerCount} workers`;
  const opening = `Shift ${shift.shiftId} at ${shift.siteId} (${window}): ${workers} scanned ${integer.format(report.totalScans)} items, `
    + `median pace ${oneDecimal.format(report.medianScansPerHour)} scans/h.`;
  if (report.anomalies.length === 0) {
    return `${opening} No worker's pace was far from the median.`;
  }
  const details = report.anomalies.map((anomaly) => {
    const percent = integer.format(Math.abs(anomaly.deviation) * 100);
    return `${anomaly.workerId} was ${anomaly.kind} (${oneDecimal.format(anomaly.scansPerHour)} scans/h, ${percent}% ${anomaly.kind === 'slow' ? 'below' : 'above'} median)`;
  });
  return `${opening} Needs review: ${details.join('; ')}.`;
}
