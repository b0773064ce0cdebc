/** `src/runtime/logger.ts` (managed): the one logger every handler imports. */
export const LOGGER_SOURCE = [
  "import { Logger } from '@aws-lambda-powertools/logger';",
  '',
  '/**',
  ' * Created once per cold start and shared by the handler in this bundle. Every line carries the',
  ' * tenant: each tenant has its own AWS account, so the account id (set by the stack as',
  ' * FLEET_TENANT_ID) is the tenant id.',
  ' */',
  'export const logger = new Logger({',
  "  persistentKeys: { tenant: process.env.FLEET_TENANT_ID ?? 'unknown' },",
  '});',
].join('\n');

/** `src/runtime/table.ts` (managed): the DynamoDB client and the table name for handlers with table access. */
export const TABLE_SOURCE = [
  "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
  "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';",
  '',
  '/**',
  ' * One client per cold start. Locally, AWS_ENDPOINT_URL_DYNAMODB points it at an embedded',
  ' * DynamoDB-compatible server; in AWS it uses the function role.',
  ' */',
  'export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {',
  '  marshallOptions: { removeUndefinedValues: true },',
  '});',
  '',
  '/** The service table, set by the stack for functions with table access in the manifest. */',
  'export function tableName(): string {',
  '  const name = process.env.TABLE_NAME;',
  '  if (!name) {',
  "    throw new Error('TABLE_NAME is not set: this function has tableAccess \"none\" in the manifest. Fix: give it tableAccess \"read\", \"write\" or \"read-write\" and regenerate.');",
  '  }',
  '  return name;',
  '}',
].join('\n');
