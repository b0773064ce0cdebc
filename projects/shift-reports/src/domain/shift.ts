import { InvalidShiftEventError } from '../errors';

/** The `detail` of a `Shift Ended` event (not yet checked). */
export interface ShiftEndedDetail {
  readonly shiftId?: unknown;
  readonly siteId?: unknown;
  /** ISO 8601 with a UTC offset. */
  readonly startedAt?: unknown;
  /** ISO 8601 with a UTC offset. */
  readonly endedAt?: unknown;
}

/** A checked shift. */
export interface Shift {
  readonly shiftId: string;
  readonly siteId: string;
  /** ISO 8601 in UTC. */
  readonly startedAt: string;
  /** ISO 8601 in UTC. */
  readonly endedAt: string;
}

/** Longest shift accepted: a longer window is a wrong start or end time. */
export const MAX_SHIFT_HOURS = 16;

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const ISO_8601_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks a shift.
 *
 * @throws InvalidShiftEventError naming the first field that is wrong
 */
export function parseShift(detail: ShiftEndedDetail): Shift {
  const shiftId = requireId(detail.shiftId, 'shiftId');
  const siteId = requireId(detail.siteId, 'siteId');
  const startedAt = requireTimestamp(detail.startedAt, 'startedAt');
  const endedAt = requireTimestamp(detail.endedAt, 'endedAt');
  const hours = shiftHours({ startedAt, endedAt });
  if (hours <= 0 || hours > MAX_SHIFT_HOURS) {
    throw new InvalidShiftEventError(`Shift ${shiftId} from ${startedAt} to ${endedAt} does not last between 0 and ${MAX_SHIFT_HOURS} hours`);
  }
  return { shiftId, siteId, startedAt, endedAt };
}

/** Length of a shift in hours. */
export function shiftHours(shift: { startedAt: string; endedAt: string }): number {
  return (Date.parse(shift.endedAt) - Date.parse(shift.startedAt)) / 3_600_000;
}

function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new InvalidShiftEventError(`${field} ${JSON.stringify(value)} is not an id (1-64 letters, digits, ".", "_", ":" or "-")`);
  }
  return value;
}

function requireTimestamp(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ISO_8601_WITH_OFFSET.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidShiftEventError(`${field} ${JSON.stringify(value)} is not an ISO 8601 timestamp with a UTC offset`);
  }
  return new Date(Date.parse(value)).toISOString();
}
