export * from './fleet-quotas';
export * from './human-duration';
export * from './render-rollout-chart';
export * from './rollout-lower-bound';
export * from './simulate-stack-sets';
export * from './simulation-input-error';
export * from './stack-times';
export * from './stack-update-interval';
