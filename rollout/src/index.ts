export * from './aws-regions';
export * from './deployment-window';
export * from './plan-rollout';
export * from './registry-problem';
export * from './release-id';
export * from './tenant-registry';
export * from './validate-registry';
export * from './onboarding-levels';
