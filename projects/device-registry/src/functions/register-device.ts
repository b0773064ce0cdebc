import type { Context } from 'aws-lambda';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DeviceAlreadyRegisteredError } from '../errors';
import { deviceProfileKey } from '../domain/keys';
import { Registration } from '../domain/registration';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What register-device receives: a checked registration. */
export type RegisterDeviceInput = Registration;

/** What register-device returns. */
export interface RegisterDeviceOutput {
  readonly serialNumber: string;
  /** True when this registration had already created the record (a redelivered event). */
  readonly replayed: boolean;
}

/**
 * Creates the device record, refusing a serial number already registered.
 *
 * The write is conditional on the serial number being free. EventBridge delivers an event at
 * least once, so a failed condition caused by this same registration (same registrationId) is
 * a replay, not a conflict.
 *
 * @throws DeviceAlreadyRegisteredError when another registration holds the serial number
 */
export async function handler(event: RegisterDeviceInput, context: Context): Promise<RegisterDeviceOutput> {
  logger.addContext(context);
  const { registrationId, serialNumber, model, modelName, firmwareVersion, siteId, registeredAt } = event;
  try {
    await documentClient.send(new PutCommand({
      TableName: tableName(),
      Item: { ...deviceProfileKey(serialNumber), type: 'device', registrationId, serialNumber, model, modelName, firmwareVersion, siteId, registeredAt },
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) {
      throw error;
    }
    const existingRegistrationId = error.Item?.registrationId?.S;
    if (existingRegistrationId !== registrationId) {
      throw new DeviceAlreadyRegisteredError(
        `Serial number ${serialNumber} is already registered (registration ${existingRegistrationId ?? 'unknown'}): retire that device before registering it again`,
        { cause: error },
      );
    }
    logger.info('Registration replayed: device already registered by it', { serialNumber, registrationId });
    return { serialNumber, replayed: true };
  }
  logger.info('Device registered', { serialNumber, registrationId, siteId });
  return { serialNumber, replayed: false };
}
