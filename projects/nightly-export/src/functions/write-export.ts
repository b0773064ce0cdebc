import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/** What each step receives: the schedule's input, and the steps of this run done so far. */
export interface JobRun {
  /** When the run was scheduled (Scheduler's `<aws.scheduler.scheduled-time>`). */
  readonly scheduledTime: string;
  /** The schedule's execution id: the same on every retry of one run. */
  readonly executionId: string;
  readonly stepsDone?: readonly string[];
}

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/**
 * Writes the export record of the run.
 *
 * A step of nightly-export. This file is yours: regeneration never overwrites it.
 */
export async function handler(run: JobRun): Promise<JobRun> {
  // One item per run and step: a retried run writes the same item again.
  await documentClient.send(new PutCommand({
    TableName: process.env.TABLE_NAME,
    Item: { pk: `RUN#${run.scheduledTime}`, sk: 'STEP#write-export', executionId: run.executionId },
  }));
  return { ...run, stepsDone: [...(run.stepsDone ?? []), 'write-export'] };
}
