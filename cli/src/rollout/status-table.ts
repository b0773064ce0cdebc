import { AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { RELEASE_STATUS_TABLE, ROLLOUT_CONTROL_PARTITION } from '@fleet/contracts';
import { awsCall } from './aws-errors';

/** One row of the release status table (the control items left out). */
export interface StatusRow {
  readonly tenantId: string;
  readonly serviceRegion: string;
  readonly desiredRelease?: string;
  readonly deployedRelease?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly rolloutId?: string;
}

/** Every deployment row of the status table, optionally only those a rollout wrote. */
export async function scanStatusTable(dynamodb: DynamoDBClient, table: string, rolloutId?: string): Promise<StatusRow[]> {
  const rows: StatusRow[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await awsCall(`Reading the release status table ${table}`, `dynamodb:Scan on table ${table}`, () => dynamodb.send(new ScanCommand({
      TableName: table,
      ExclusiveStartKey: start,
      ...(rolloutId ? { FilterExpression: '#rollout = :rollout', ExpressionAttributeNames: { '#rollout': 'rolloutId' }, ExpressionAttributeValues: { ':rollout': { S: rolloutId } } } : {}),
    })));
    for (const item of page.Items ?? []) {
      const text = (name: string) => item[name]?.S;
      const tenantId = text(RELEASE_STATUS_TABLE.partitionKey);
      if (tenantId === undefined || tenantId === ROLLOUT_CONTROL_PARTITION) continue;
      rows.push({
        tenantId,
        serviceRegion: text(RELEASE_STATUS_TABLE.sortKey) ?? '',
        desiredRelease: text('desiredRelease'),
        deployedRelease: text('deployedRelease'),
        status: text('status'),
        reason: text('reason'),
        rolloutId: text('rolloutId'),
      });
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return rows;
}

/** The planner's deployed state: tenant -> serviceRegion -> deployed release. */
export function deployedState(rows: readonly StatusRow[]): Map<string, Map<string, string>> {
  const state = new Map<string, Map<string, string>>();
  for (const row of rows) {
    if (!row.deployedRelease) continue;
    if (!state.has(row.tenantId)) state.set(row.tenantId, new Map());
    state.get(row.tenantId)!.set(row.serviceRegion, row.deployedRelease);
  }
  return state;
}
