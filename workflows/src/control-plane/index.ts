export * from './central-failure-path';
export { ORGANIZATION_ID_PATTERN } from '../private/validation';
// The failure message format is a contract with the CLI: defined in @fleet/contracts.
export {
  CENTRAL_DLQ_DEFAULT_MAX_RECEIVE_COUNT, FAILURE_MESSAGE_FORMAT, FAILURE_MESSAGE_INPUT_PATHS, FAILURE_MESSAGE_TEMPLATE, TENANT_DEAD_LETTER_QUEUE_SUFFIX,
} from '@fleet/contracts';
export * from './fleet-recovery-role';
export * from './fleet-stack-set';
export * from './rollout-engine';
export { THROTTLING_ERRORS } from './rollout-deployment';
export * from './fleet-deploy-role';
export * from './tenant-onboarding';
