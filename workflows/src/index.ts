export * from './event-route';
export * from './failure-path';
export * from './handler-bundle';
export * from './service-stack';
export * from './service-table';
export * from './service-workflow';
export * from './tenant-function';
export * from './control-plane';
