import type { Context } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DeviceNotFoundError } from '../errors';
import { deviceProfileKey } from '../domain/keys';
import { describeDevice, DeviceProfile } from '../domain/summary';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What summarize-device receives. */
export interface SummarizeDeviceInput {
  readonly serialNumber: string;
}

/** What summarize-device returns: the registration summary, the output of the workflow. */
export interface SummarizeDeviceOutput extends DeviceProfile {
  readonly summary: string;
}

/**
 * Builds the registration summary returned to the caller, from the stored profile (a strongly
 * consistent read: the profile was written by the steps just before).
 *
 * @throws DeviceNotFoundError when the device is not registered
 */
export async function handler(event: SummarizeDeviceInput, context: Context): Promise<SummarizeDeviceOutput> {
  logger.addContext(context);
  const { Item } = await documentClient.send(new GetCommand({
    TableName: tableName(),
    Key: deviceProfileKey(event.serialNumber),
    ProjectionExpression: 'serialNumber, modelName, firmwareVersion, siteId, registeredAt, assignedWorkerId',
    ConsistentRead: true,
  }));
  if (Item === undefined) {
    throw new DeviceNotFoundError(`No device is registered under serial number ${event.serialNumber}`);
  }
  const profile: DeviceProfile = {
    serialNumber: Item.serialNumber,
    modelName: Item.modelName,
    firmwareVersion: Item.firmwareVersion,
    siteId: Item.siteId,
    registeredAt: Item.registeredAt,
    assignedWorkerId: Item.assignedWorkerId,
  };
  logger.info('Device summarized', { serialNumber: profile.serialNumber });
  return { ...profile, summary: describeDevice(profile) };
}
