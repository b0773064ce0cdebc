import type { Context, EventBridgeEvent } from 'aws-lambda';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DeviceHeartbeatDetail, LOW_BATTERY_PERCENT, parseHeartbeat } from '../domain/heartbeat';
import { deviceProfileKey } from '../domain/keys';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What record-heartbeat receives: the whole `Device Heartbeat` event (a rule targets the function directly). */
export type RecordHeartbeatInput = EventBridgeEvent<'Device Heartbeat', DeviceHeartbeatDetail>;

/** What record-heartbeat returns (visible in the function's logs only: the invocation is asynchronous). */
export interface RecordHeartbeatOutput {
  readonly serialNumber: string;
  readonly recorded: boolean;
  /** Why the heartbeat was not recorded. */
  readonly skipped?: 'unknown-device' | 'out-of-order';
}

/**
 * Records battery and last-seen time from a device heartbeat.
 *
 * EventBridge does not keep order, so the update is conditional on the heartbeat being newer
 * than the last one recorded; an older one is skipped. A heartbeat of an unregistered scanner
 * is skipped too (and logged): failing would only retry it and report it every minute.
 *
 * @throws InvalidHeartbeatError when the heartbeat is malformed
 */
export async function handler(event: RecordHeartbeatInput, context: Context): Promise<RecordHeartbeatOutput> {
  logger.addContext(context);
  const heartbeat = parseHeartbeat(event.detail);
  const { serialNumber, batteryPercent, firmwareVersion, sentAt } = heartbeat;
  try {
    await documentClient.send(new UpdateCommand({
      TableName: tableName(),
      Key: deviceProfileKey(serialNumber),
      UpdateExpression: firmwareVersion === undefined
        ? 'SET lastSeenAt = :sentAt, batteryPercent = :batteryPercent'
        : 'SET lastSeenAt = :sentAt, batteryPercent = :batteryPercent, firmwareVersion = :firmwareVersion',
      ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastSeenAt) OR lastSeenAt < :sentAt)',
      ExpressionAttributeValues: {
        ':sentAt': sentAt,
        ':batteryPercent': batteryPercent,
        ...(firmwareVersion === undefined ? {} : { ':firmwareVersion': firmwareVersion }),
      },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) {
      throw error;
    }
    if (error.Item === undefined) {
      logger.warn('Heartbeat of an unregistered device skipped', { serialNumber });
      return { serialNumber, recorded: false, skipped: 'unknown-device' };
    }
    logger.info('Heartbeat older than the last recorded one skipped', { serialNumber, sentAt });
    return { serialNumber, recorded: false, skipped: 'out-of-order' };
  }
  if (batteryPercent <= LOW_BATTERY_PERCENT) {
    logger.warn('Scanner battery low', { serialNumber, batteryPercent });
  } else {
    logger.info('Heartbeat recorded', { serialNumber, batteryPercent });
  }
  return { serialNumber, recorded: true };
}
