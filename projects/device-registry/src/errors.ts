/**
 * The errors device-registry's handlers throw on purpose. Step Functions sees a Lambda error by
 * its `name` (the `Error` field a Catch or Retry matches), so each class sets `name` to a string
 * literal: the bundle is minified, and a name taken from the class would be mangled.
 */
export abstract class DeviceRegistryError extends Error {}

/** The registration cannot be accepted (serial number format, firmware version, ids). */
export class InvalidRegistrationError extends DeviceRegistryError {
  public override readonly name = 'InvalidRegistrationError';
}

/** Another registration already holds this serial number. */
export class DeviceAlreadyRegisteredError extends DeviceRegistryError {
  public override readonly name = 'DeviceAlreadyRegisteredError';
}

/** The device's assignment changed between reading and writing it; the workflow retries. */
export class AssignmentConflictError extends DeviceRegistryError {
  public override readonly name = 'AssignmentConflictError';
}

/** No device is registered under this serial number. */
export class DeviceNotFoundError extends DeviceRegistryError {
  public override readonly name = 'DeviceNotFoundError';
}

/** A heartbeat the device sent cannot be recorded as sent (battery level, timestamp). */
export class InvalidHeartbeatError extends DeviceRegistryError {
  public override readonly name = 'InvalidHeartbeatError';
}
