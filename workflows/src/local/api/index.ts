/**
 * The Step Functions API endpoint over the local runtime (`fleet sfn serve`). Imported on its
 * own path (`@fleet/workflows/local/api`), never from the package index, so service CDK
 * apps do not load it.
 */
export { startSfnApiServer, SFN_API_ACTIONS } from './sfn-api-server';
export type { SfnApiServer, SfnApiServerOptions } from './sfn-api-server';
export { SfnService } from './sfn-service';
export type { SfnServiceOptions } from './sfn-service';
export { SfnApiError } from './sfn-api-error';
