import type { Context } from 'aws-lambda';
import { DeviceRegisteredDetail, parseRegistration, Registration } from '../domain/registration';
import { logger } from '../runtime/logger';

/** What validate-registration receives: the `detail` of the `Device Registered` event. */
export type ValidateRegistrationInput = DeviceRegisteredDetail;

/** What validate-registration returns: the registration, checked, with the model of the scanner. */
export type ValidateRegistrationOutput = Registration;

/**
 * Checks serial number format and firmware version of a new scanner.
 *
 * @throws InvalidRegistrationError when they are wrong (the workflow rejects the registration)
 */
export async function handler(event: ValidateRegistrationInput, context: Context): Promise<ValidateRegistrationOutput> {
  logger.addContext(context);
  try {
    const registration = parseRegistration(event);
    logger.info('Registration is valid', { serialNumber: registration.serialNumber, model: registration.model });
    return registration;
  } catch (error) {
    logger.warn('Registration rejected', { error: error as Error });
    throw error;
  }
}
