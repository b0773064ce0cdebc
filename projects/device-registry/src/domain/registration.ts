import { InvalidRegistrationError } from '../errors';
import { toUtcTimestamp } from './timestamp';

/** The `detail` of a `Device Registered` event, as the provisioning app sends it (not yet checked). */
export interface DeviceRegisteredDetail {
  /** Id of the registration request; a redelivery of the same event keeps it. */
  readonly registrationId?: unknown;
  /** Serial number printed on the scanner. */
  readonly serialNumber?: unknown;
  /** Firmware version the scanner reports, `major.minor.patch`. */
  readonly firmwareVersion?: unknown;
  /** Site (warehouse) the scanner is registered at. */
  readonly siteId?: unknown;
  /** Worker to assign the scanner to right away, if any. */
  readonly workerId?: unknown;
  /** When the scanner was registered, ISO 8601 with a UTC offset. */
  readonly registeredAt?: unknown;
}

/** A checked registration. */
export interface Registration {
  readonly registrationId: string;
  readonly serialNumber: string;
  /** Model code, the first three letters of the serial number. */
  readonly model: string;
  readonly modelName: string;
  readonly firmwareVersion: string;
  readonly siteId: string;
  readonly workerId?: string;
  /** ISO 8601 in UTC. */
  readonly registeredAt: string;
}

/** Scanner models, by the code that starts their serial numbers. */
export const MODELS: Readonly<Record<string, string>> = {
  HSC: 'HS-C compact handheld',
  HSR: 'HS-R rugged handheld',
  RSW: 'RS-W wearable ring scanner',
};

/** Firmware before 4.0.0 sends no `Device Heartbeat` events, so the registry could not track the scanner. */
export const MINIMUM_FIRMWARE = '4.0.0';

/** Model code (3 letters), year (2 digits), week (01-53), unit (5 letters or digits): `HSC2409K7Q2M`. */
const SERIAL_NUMBER = /^([A-Z]{3})(\d{2})(0[1-9]|[1-4]\d|5[0-3])[A-Z0-9]{5}$/;
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** Compares `major.minor.patch` versions: negative, 0 or positive like a sort comparator. */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) {
      return pa[i] - pb[i];
    }
  }
  return 0;
}

/**
 * The model code of a serial number, or `undefined` when it is not a serial number of a known
 * model.
 */
export function modelOfSerialNumber(serialNumber: string): string | undefined {
  const model = SERIAL_NUMBER.exec(serialNumber)?.[1];
  return model !== undefined && model in MODELS ? model : undefined;
}

/**
 * Checks a registration and returns it normalized.
 *
 * @throws InvalidRegistrationError naming the first field that is wrong
 */
export function parseRegistration(detail: DeviceRegisteredDetail): Registration {
  const registrationId = requireId(detail.registrationId, 'registrationId');
  const siteId = requireId(detail.siteId, 'siteId');
  const workerId = detail.workerId === undefined ? undefined : requireId(detail.workerId, 'workerId');

  const serialNumber = detail.serialNumber;
  if (typeof serialNumber !== 'string' || !SERIAL_NUMBER.test(serialNumber)) {
    throw new InvalidRegistrationError(`serialNumber ${JSON.stringify(serialNumber)} is not a scanner serial number: expected model, year, week and unit, like HSC2409K7Q2M`);
  }
  const model = modelOfSerialNumber(serialNumber);
  if (model === undefined) {
    throw new InvalidRegistrationError(`serialNumber ${serialNumber} is of an unknown model ${serialNumber.slice(0, 3)}: known models are ${Object.keys(MODELS).join(', ')}`);
  }

  const firmwareVersion = detail.firmwareVersion;
  if (typeof firmwareVersion !== 'string' || !SEMVER.test(firmwareVersion)) {
    throw new InvalidRegistrationError(`firmwareVersion ${JSON.stringify(firmwareVersion)} is not a version like 4.2.1`);
  }
  if (compareVersions(firmwareVersion, MINIMUM_FIRMWARE) < 0) {
    throw new InvalidRegistrationError(`firmwareVersion ${firmwareVersion} is older than ${MINIMUM_FIRMWARE}: update the scanner firmware, then register it again`);
  }

  const registeredAt = toUtcTimestamp(detail.registeredAt);
  if (registeredAt === undefined) {
    throw new InvalidRegistrationError(`registeredAt ${JSON.stringify(detail.registeredAt)} is not an ISO 8601 timestamp with a UTC offset`);
  }

  return { registrationId, serialNumber, model, modelName: MODELS[model], firmwareVersion, siteId, workerId, registeredAt };
}

function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) {
    throw new InvalidRegistrationError(`${field} ${JSON.stringify(value)} is not an id (1-64 letters, digits, ".", "_", ":" or "-")`);
  }
  return value;
}
