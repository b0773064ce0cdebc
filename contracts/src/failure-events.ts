/**
 * `detail-type` of the event the fleet's `FailurePath` puts on the failure bus when an execution
 * fails; `fleet dlq` recognizes failed executions by it.
 */
export const WORKFLOW_FAILED_DETAIL_TYPE = 'Workflow Failed';
