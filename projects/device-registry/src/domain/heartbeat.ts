import { InvalidHeartbeatError } from '../errors';
import { toUtcTimestamp } from './timestamp';

/** The `detail` of a `Device Heartbeat` event, as the scanner sends it (not yet checked). */
export interface DeviceHeartbeatDetail {
  readonly serialNumber?: unknown;
  /** Battery charge, 0-100. */
  readonly batteryPercent?: unknown;
  /** Firmware running on the scanner (updated over the air). */
  readonly firmwareVersion?: unknown;
  /** When the scanner sent the heartbeat, ISO 8601 with a UTC offset. */
  readonly sentAt?: unknown;
}

/** A checked heartbeat. */
export interface Heartbeat {
  readonly serialNumber: string;
  readonly batteryPercent: number;
  readonly firmwareVersion?: string;
  /** ISO 8601 in UTC. */
  readonly sentAt: string;
}

/** At or below this charge, the scanner will not last a shift: the heartbeat is logged as a warning. */
export const LOW_BATTERY_PERCENT = 15;

/**
 * Checks a heartbeat.
 *
 * @throws InvalidHeartbeatError naming the first field that is wrong
 */
export function parseHeartbeat(detail: DeviceHeartbeatDetail): Heartbeat {
  const { serialNumber, batteryPercent, firmwareVersion } = detail;
  if (typeof serialNumber !== 'string' || serialNumber === '') {
    throw new InvalidHeartbeatError(`serialNumber ${JSON.stringify(serialNumber)} is missing`);
  }
  if (typeof batteryPercent !== 'number' || !Number.isInteger(batteryPercent) || batteryPercent < 0 || batteryPercent > 100) {
    throw new InvalidHeartbeatError(`batteryPercent ${JSON.stringify(batteryPercent)} is not an integer from 0 to 100`);
  }
  if (firmwareVersion !== undefined && typeof firmwareVersion !== 'string') {
    throw new InvalidHeartbeatError(`firmwareVersion ${JSON.stringify(firmwareVersion)} is not a string`);
  }
  const sentAt = toUtcTimestamp(detail.sentAt);
  if (sentAt === undefined) {
    throw new InvalidHeartbeatError(`sentAt ${JSON.stringify(detail.sentAt)} is not an ISO 8601 timestamp with a UTC offset`);
  }
  return { serialNumber, batteryPercent, firmwareVersion, sentAt };
}
