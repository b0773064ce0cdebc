import type { Context } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What summarize-device receives from the workflow. */
export interface SummarizeDeviceEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Builds the registration summary returned to the caller. */
export async function handler(event: SummarizeDeviceEvent, context: Context): Promise<SummarizeDeviceEvent & { found: boolean }> {
  logger.addContext(context);
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: { pk: event.id, sk: 'item' } }));
  logger.info('summarize-device: looked up item', { id: event.id, found: Item !== undefined });
  return { ...event, found: Item !== undefined };
}
