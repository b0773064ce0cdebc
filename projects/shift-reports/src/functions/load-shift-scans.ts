import type { Context } from 'aws-lambda';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { logger } from '../runtime/logger';
import { documentClient, tableName } from '../runtime/table';

/** What load-shift-scans receives from the workflow. */
export interface LoadShiftScansEvent {
  readonly id: string;
  readonly [key: string]: unknown;
}

/** Loads the counters recorded for the shift. */
export async function handler(event: LoadShiftScansEvent, context: Context): Promise<LoadShiftScansEvent & { found: boolean }> {
  logger.addContext(context);
  const { Item } = await documentClient.send(new GetCommand({ TableName: tableName(), Key: { pk: event.id, sk: 'item' } }));
  logger.info('load-shift-scans: looked up item', { id: event.id, found: Item !== undefined });
  return { ...event, found: Item !== undefined };
}
