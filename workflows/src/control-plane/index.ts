export * from './central-failure-path';
export * from './failure-message';
export * from './fleet-recovery-role';
